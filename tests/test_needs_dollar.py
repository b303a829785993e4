"""`Rule.needs_dollar`: a whole-document rule that declares it finds nothing in a document
whose text holds no ``$`` (`ozml.lint.rule.holds_dollar`), and the linter runs it only where
there is one, whether its rules are imported lazily (`ozml.lint.linter.LazyRules`, by
`ozml.lint.manifest.DOLLAR`) or given made (`Rule.needs_dollar`): one declaration."""

from __future__ import annotations

from collections.abc import Iterator

from test_fused_equivalence import assert_declared_out, documents

from ozml.diagnostics import Diagnostic
from ozml.lint import RULES, LintSettings
from ozml.lint import linter as linter_module
from ozml.lint.context import LintContext
from ozml.lint.rule import holds_dollar
from ozml.lint.rules.undefined_variable import UndefinedVariable
from ozml.parser import parse


def test_only_the_rules_whose_findings_are_uses_need_a_dollar() -> None:
    """undefined-variable and item-outside-foreach report uses (``$name``); unused-variable,
    undefined-array and growing-variable report definitions and loops, which need no ``$``."""
    needing = {rule.code for rule in RULES if rule.needs_dollar}
    assert needing == {"OZ701", "OZ704"}
    for rule in RULES:
        if rule.needs_dollar:
            assert not rule.per_element, rule.code
            assert not rule.parser_rule, rule.code
            assert not rule.project_rule, rule.code


def test_rules_that_need_a_dollar_find_nothing_without_one() -> None:
    """What `Rule.needs_dollar` promises (the linter skips the rule otherwise). Held over the
    rules' examples, the example files, the generated documents and near misses, each also
    with its ``$`` taken out, in every context; each such rule is also seen finding something
    where there is one."""
    needy = [rule() for rule in RULES if rule.needs_dollar]
    sources = [data for name, data in documents() if not name.startswith("corpus:")]
    sources += [data.replace(b"$", b"") for data in sources if b"$" in data]
    assert_declared_out(needy, sources, lambda rule, ctx: not holds_dollar(ctx))


def test_holds_dollar_reads_utf16_and_text() -> None:
    settings = LintSettings()
    for text, dollar in (
        ('<Response><Speak>Hello $name</Speak></Response>', True),
        ('<Response><Speak Text="$x"/></Response>', True),
        ("<Response><Speak>Hello</Speak></Response>", False),
    ):
        for data in (
            text.encode(),
            ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16"),
        ):
            ctx = LintContext(parse(data, "doc.xml"), settings)
            assert holds_dollar(ctx) is dollar, data


class _Asked(UndefinedVariable):
    """undefined-variable, counting the documents it is asked about."""

    asked = 0

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        type(self).asked += 1
        return super().check(ctx)


def test_a_list_of_made_rules_runs_a_rule_that_needs_a_dollar_only_where_there_is_one() -> None:
    """The plan of a list given made (the language server's, a test's) reads the rule's own
    declaration; the lazy list reads the manifest's, generated from it."""
    settings = LintSettings()
    rules = [_Asked()]
    without = parse(b"<Response><Speak>Hello</Speak></Response>", "doc.xml")
    assert linter_module.lint_result(without, settings, rules) == []
    assert _Asked.asked == 0
    with_one = parse(b"<Response><Speak>Hello $nmae</Speak></Response>", "doc.xml")
    found = linter_module.lint_result(with_one, settings, rules)
    assert _Asked.asked == 1
    assert [d.code for d in found] == ["OZ701"]
    lazy = linter_module.lazy_rules(settings)
    assert [d.code for d in linter_module.lint_result(with_one, settings, lazy)] == ["OZ701"]
    assert linter_module.lint_result(without, settings, lazy) == []
