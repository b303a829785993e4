"""The one-pass linter gives exactly the findings the rule-by-rule linter gave.

Rules declare what they look at (the document, or each element of the commands a table built
once per context selects) and one walk over the tree dispatches to them (`ozml.lint.linter`).
Nothing of a result may change with it: code, name, severity, message, span (offsets
included), suggestion and fix. Two nets hold it:

* reference digests (``tests/data/fused_reference.json``) of every finding of the linter as it
  was before the dispatch, on every rule's examples, the example files, the corpus in
  ``tests/corpus``, the benchmark corpus (clean and with mistakes), documents generated from
  the catalog with random mistakes, and near misses of clean documents (one mutation each), in
  every context; regenerate them only for a deliberate change of results
  (``PYTHONPATH=tests python tests/test_fused_equivalence.py --write``);
* hypothesis near misses linted through the dispatch tables and through each rule's own walk
  (`Rule.check`), which must agree.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import responses
from test_lint_quick import _mutate, generated

from ozml.builder import Response
from ozml.catalog import Context, MatchKind, ParamMatch
from ozml.diagnostics import Diagnostic
from ozml.lint import RULES, LintSettings, lint
from ozml.lint import linter as linter_module
from ozml.lint import stream as stream_module
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule
from ozml.nodes import Attribute
from ozml.parser import STREAM_FROM, parse
from ozml.resolve import Resolved

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "tests" / "data" / "fused_reference.json"
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import document  # noqa: E402

SETTINGS = [LintSettings(context=c, context_origin="--context") for c in Context]
GENERATED = 1500
MUTATED = 1500


def documents() -> Iterator[tuple[str, bytes]]:
    """Every reference document, named."""
    for rule in RULES:
        if rule.project_rule:  # its examples run in a project (tests/test_project_rules.py)
            continue
        for which, text in zip(("fails", "passes"), rule.examples(), strict=True):
            yield f"example:{rule.code}:{which}", text.encode()
    for folder in ("examples", "tests/corpus"):
        for path in sorted((REPO / folder).rglob("*.xml")):
            yield f"file:{path.relative_to(REPO)}", path.read_bytes()
    for seed, rate in ((7, 0.0), (8, 0.25), (9, 1.0)):
        rng = random.Random(seed)
        for index in range(150):
            yield f"corpus:{seed}:{index}", document(rng, mistake_rate=rate).encode()
    for seed in range(GENERATED):
        yield f"generated:{seed}", generated(seed)
    for seed in range(MUTATED):
        rng = random.Random(seed)
        base = generated(seed) if seed % 2 else document(rng, mistake_rate=0.0).encode()
        yield f"mutated:{seed}", _mutate(rng, base.decode()).encode("utf-8", "surrogatepass")


def shown(found: list[Diagnostic]) -> str:
    return "\n".join(repr(d) for d in found)


def digest(found: list[Diagnostic]) -> str:
    return hashlib.sha256(shown(found).encode()).hexdigest()[:20]


def results() -> Iterator[tuple[str, bytes, LintSettings, list[Diagnostic]]]:
    for name, data in documents():
        for chosen in SETTINGS:
            yield f"{name}@{chosen.context.value}", data, chosen, lint(data, "doc.xml", chosen)


def test_reference_results() -> None:
    reference = json.loads(REFERENCE.read_text())
    seen = 0
    for key, data, _, found in results():
        assert key in reference, key
        if digest(found) != reference[key]:
            text = data.decode("utf-8", "replace")
            pytest.fail(f"{key} changed:\n{text}\nnow:\n{shown(found)}")
        seen += 1
    assert seen == len(reference)


def by_walks(data: bytes, chosen: LintSettings) -> list[Diagnostic]:
    parsed = parse(data, "doc.xml", max_bytes=chosen.max_bytes, templates=chosen.templates)
    return linter_module.lint_result(parsed, chosen, walk=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses(), st.integers(0, 2**32))
def test_dispatch_agrees_with_the_rules_own_walks(built: Response, seed: int) -> None:
    data = _mutate(random.Random(seed), built.to_xml()).encode("utf-8", "surrogatepass")
    rules = [rule() for rule in RULES]
    for chosen in SETTINGS:
        assert shown(lint(data, "doc.xml", chosen)) == shown(by_walks(data, chosen))
        parsed = parse(data, "doc.xml", templates=chosen.templates)
        if parsed.document.root is not None:
            ctx = LintContext(parsed, chosen)
            walked = [d for rule in rules for d in rule.check(ctx)]
            assert shown(linter_module.check_rules(ctx, rules)) == shown(walked)


def _with_firsts(
    rec: Resolved,
) -> Iterator[tuple[int, tuple[Attribute, ParamMatch | None], bool]]:
    """Each attribute of `rec` with its place and whether it is the first of the element that
    stands for its parameter (what `Rule.attribute` is told)."""
    seen: set[int] = set()
    for place, (attr, pm) in enumerate(rec.attributes):
        key = id(pm.param) if pm is not None else -1
        yield place, (attr, pm), key not in seen
        seen.add(key)


def test_element_rules_find_nothing_where_their_tables_leave_them_out() -> None:
    """What the tables promise, on every element of the generated documents and near misses
    that a rule `applies` to (its hooks are called for no other element:
    `test_element_hooks_are_called_only_where_the_rule_applies`): a `names_only` rule finds
    nothing in a plain element, and `attribute` finds nothing in an attribute whose parameter
    `reads_attribute` leaves out (the linter does not call them there)."""
    element_rules = [rule() for rule in RULES if rule.per_element]
    plan = linter_module.Plan(element_rules, Context.ANY)
    checked = unjudged = 0
    for seed in range(300):
        for data in (generated(seed), _mutate(random.Random(seed), generated(seed).decode())):
            for chosen in SETTINGS:
                parsed = parse(data, "doc.xml", templates=chosen.templates)
                if parsed.document.root is None:
                    continue
                ctx = LintContext(parsed, chosen)
                for rec in ctx.records:
                    entry = linter_module._Entry(rec.command, chosen.context, plan.each)
                    plain = (
                        rec.match is not None
                        and all(
                            pm is not None
                            and pm.kind is MatchKind.EXACT
                            and id(pm.param) in entry.plain
                            for _, pm in rec.attributes
                        )
                        and rec.match.kind is MatchKind.EXACT
                    )
                    for rule in element_rules:
                        if not rule.applies(rec.command, chosen.context):
                            continue
                        if plain and rule.names_only:
                            assert list(rule.element(ctx, rec)) == [], (rule.code, data)
                            checked += 1
                        for place, (attr, pm), first in _with_firsts(rec):
                            if pm is not None and not rule.reads_attribute(pm.param):
                                found = rule.attribute(ctx, rec, place, pm, first)
                                assert list(found) == [], (
                                    rule.code,
                                    attr,
                                    data,
                                )
                                unjudged += 1
    assert checked > 10_000
    assert unjudged > 10_000


def _watched(rule: Rule, calls: Counter[str]) -> Rule:
    """`rule`, or for an element rule a rule of a subclass that counts the calls of its hooks
    by the code and the way it was run (`calls`, by "CODE element" and "CODE attribute") and
    fails where it does not apply (`Rule.applies`, and for `attribute`, `Rule.reads_attribute`)."""
    cls = type(rule)
    if not cls.per_element:
        return rule

    def element(self: Rule, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        assert cls.applies(rec.command, ctx.context), (cls.code, rec.tag, ctx.context)
        calls[f"{cls.code} element"] += 1
        return cls.element(self, ctx, rec)

    def attribute(
        self: Rule, ctx: LintContext, rec: Resolved, place: int, pm: ParamMatch, first: bool
    ) -> Iterator[Diagnostic]:
        assert cls.applies(rec.command, ctx.context), (cls.code, rec.tag, ctx.context)
        assert cls.reads_attribute(pm.param), (cls.code, rec.tag, pm.param.name)
        calls[f"{cls.code} attribute"] += 1
        return cls.attribute(self, ctx, rec, place, pm, first)

    watched = type(f"Watched{cls.__name__}", (cls,), {"element": element, "attribute": attribute})
    return watched()  # type: ignore[no-any-return]


def _plain_commands(data: bytes) -> str:
    """What a rule's example holds between its root's tags, when it is a plain ``<Response>``
    (no comment, processing instruction, CDATA section or namespace): a part of a large
    document that is linted as it is read (`ozml.lint.stream`); else nothing."""
    text = data.decode()
    if re.search(r"<!--|<\?|<!\[CDATA\[|<!DOCTYPE|xmlns|xml:|\{", text):
        return ""
    match = re.fullmatch(r"\s*<Response>(.*)</Response>\s*", text, re.S)
    return match.group(1) if match else ""


def test_element_hooks_are_called_only_where_the_rule_applies() -> None:
    """What lets a rule's `element` and `attribute` leave out what its `applies` says (and
    `attribute` what its `reads_attribute` says): every way ozml runs them calls them only
    where it holds. The linter's one pass (`lint_result`), each rule's own walk (`Rule.check`,
    ``walk=True``), a large document linted as it is read (`ozml.lint.stream`), and the
    language server's lint after an edit (`ozml.lsp.incremental`), over the rules' examples,
    the example files and generated documents and near misses, in every context; the findings
    are those of the rules themselves, and every element rule is called every way."""
    from ozml.lsp import incremental

    calls: dict[str, Counter[str]] = {way: Counter() for way in ("pass", "walk", "edit", "read")}
    sources = [data for name, data in documents() if not name.startswith("corpus:")]
    picked = sources[: len(sources) - GENERATED - MUTATED + 300]
    large = "".join(_plain_commands(data) for data in sources[: 2 * len(RULES)])
    big = f"<Response>{large * (STREAM_FROM // len(large) + 1)}</Response>".encode()
    for chosen in SETTINGS:
        rules = linter_module.active_rules(chosen)
        ways = {way: [_watched(rule, counted) for rule in rules] for way, counted in calls.items()}
        memo: incremental.Memo | None = None
        for data in picked:
            parsed = parse(data, "doc.xml", templates=chosen.templates)
            found = shown(linter_module.lint_result(parsed, chosen, rules))
            assert shown(linter_module.lint_result(parsed, chosen, ways["pass"])) == found
            walked = linter_module.lint_result(parsed, chosen, ways["walk"], walk=True)
            assert shown(walked) == found
            edited, memo = incremental.lint(parsed, chosen, ways["edit"], memo)
            assert shown(edited) == found
        sink = stream_module.Stream(chosen, ways["read"])
        parsed = parse(big, "doc.xml", templates=chosen.templates, records=sink)
        streamed = sink.finish(parsed)
        assert streamed is not None  # read a run at a time
        assert shown(streamed) == shown(linter_module.lint_result(parse(big), chosen, rules))
    element_rules = {rule.code for rule in RULES if rule.per_element}
    for way, counted in calls.items():
        assert {key.split()[0] for key in counted} == element_rules, way


def test_whole_rules_find_nothing_without_the_commands_they_need() -> None:
    """What `Rule.needs` promises (the linter skips the rule otherwise): a whole-document rule
    that names the commands it needs finds nothing in a document holding none of them. Held
    over the rules' examples, the example files, the generated documents and near misses, in
    every context; each such rule is also seen finding something where they are."""
    needy = [rule() for rule in RULES if rule.needs]
    assert {rule.code for rule in needy} >= {"OZ401", "OZ402", "OZ702", "OZ703", "OZ801"}
    sources = [data for name, data in documents() if not name.startswith("corpus:")]
    assert_declared_out(
        needy, sources, lambda rule, ctx: rule.needs.isdisjoint(rec.name for rec in ctx.records)
    )


def assert_declared_out(
    needy: list[Rule], sources: list[bytes], ruled_out: Callable[[Rule, LintContext], bool]
) -> None:
    """What a whole-document rule's declaration promises (`Rule.needs`, `Rule.needs_dollar`;
    the linter skips the rule where it rules the rule out): each rule of `needy` finds nothing
    in a document of `sources` where `ruled_out` says so, in every context (more than 10,000
    such checks), and finds something somewhere else."""
    skipped = 0
    finding: set[str] = set()
    for data in sources:
        for chosen in SETTINGS:
            parsed = parse(data, "doc.xml", templates=chosen.templates)
            if parsed.document.root is None:
                continue
            ctx = LintContext(parsed, chosen)
            for rule in needy:
                found = list(rule.check(ctx))
                if ruled_out(rule, ctx):
                    assert found == [], (rule.code, data)
                    skipped += 1
                elif found:
                    finding.add(rule.code)
    assert skipped > 10_000
    assert finding == {rule.code for rule in needy}


def test_element_rules_read_only_what_they_declare() -> None:
    """What the linter's memory of clean elements relies on (`Rule.reads`): whether a rule
    finds something in an element depends only on the element's shape (``reads = "shape"``)
    or its content (``"content"``; without its text where `Rule.reads_text` says so, and
    without the values of the parameters `Rule.reads_value` leaves out), in a given context.
    The same for `Rule.attribute` and what it may read of an attribute. Held over the rules'
    examples, the example files and the generated documents and near misses: no two elements
    (or attributes) with the same key get different verdicts from one rule."""
    element_rules = [rule() for rule in RULES if rule.per_element]
    verdicts: dict[tuple[object, ...], tuple[bool, str]] = {}
    by_value: dict[tuple[object, ...], tuple[bool, str]] = {}  # `Rule.attribute`'s
    repeated = judged = 0
    masked: set[tuple[object, ...]] = set()  # keys that leave some value out
    sources = [data for name, data in documents() if not name.startswith("corpus:")]
    for data in sources[:4000]:
        for chosen in SETTINGS:
            parsed = parse(data, "doc.xml", templates=chosen.templates)
            if parsed.document.root is None:
                continue
            ctx = LintContext(parsed, chosen)
            if not linter_module._memorable(ctx):
                continue
            for rec in ctx.records:
                shape = linter_module.shape_of(rec)
                judged += _attribute_verdicts(ctx, rec, element_rules, chosen, by_value, data)
                for rule in element_rules:
                    if rule.reads == "shape":
                        key = shape
                    else:
                        valued = linter_module._valued(rec.command, [rule])
                        with_text = rule.reads_text(rec.command)
                        counted = linter_module.counted_values(rec, valued)
                        key = linter_module.content_of(shape, rec, with_text, counted)
                        if key is not None and None in key[1]:
                            masked.add(key)
                    if key is None or not rule.applies(rec.command, chosen.context):
                        continue
                    verdict = bool(list(rule.element(ctx, rec)))
                    where = (rule.code, chosen.context, key)
                    seen = verdicts.setdefault(where, (verdict, data.decode("utf-8", "replace")))
                    if seen[0] != verdict:
                        pytest.fail(f"{rule.code} judges {key} both ways:\n{seen[1]}\n{data!r}")
                    repeated += 1
    assert repeated > len(verdicts) * 2  # most keys were judged more than once
    assert len(masked) > 1000  # `Rule.reads_value` is put to the test
    assert judged > len(by_value) * 2  # and `Rule.attribute` too


def _attribute_verdicts(
    ctx: LintContext,
    rec: Resolved,
    rules: list[Rule],
    chosen: LintSettings,
    verdicts: dict[tuple[object, ...], tuple[bool, str]],
    data: bytes,
) -> int:
    """Hold each rule's `attribute` to what it may read (`Rule.attribute`): no two attributes
    with the same element name, attribute name, value and firstness (the first attribute of
    the element for its parameter, or not) get different verdicts. How many were judged."""
    judged = 0
    for place, (attr, pm), first in _with_firsts(rec):
        if pm is None:
            continue
        for rule in rules:
            if not (rule.applies(rec.command, chosen.context) and rule.reads_attribute(pm.param)):
                continue
            verdict = bool(list(rule.attribute(ctx, rec, place, pm, first)))
            where = (rule.code, chosen.context, rec.element.tag, attr.name, first, attr.value)
            seen_verdict = verdicts.setdefault(where, (verdict, data.decode("utf-8", "replace")))
            if seen_verdict[0] != verdict:
                pytest.fail(f"{rule.code} judges {where} both ways:\n{seen_verdict[1]}\n{data!r}")
            judged += 1
    return judged


def main() -> int:
    if sys.argv[1:] != ["--write"]:
        print("usage: PYTHONPATH=tests python tests/test_fused_equivalence.py --write")
        return 2
    reference = {key: digest(found) for key, _, _, found in results()}
    REFERENCE.write_text(json.dumps(reference, indent=0, sort_keys=True) + "\n")
    print(f"wrote {len(reference)} digests to {REFERENCE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
