"""Incremental re-linting gives exactly what a full lint gives, edit after edit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ozml.catalog import Context
from ozml.diagnostics import Diagnostic
from ozml.lint import RULES, LintSettings, lint_result, variables
from ozml.lint.context import Earlier, LintContext
from ozml.lint.linter import active_rules
from ozml.lsp.completion import cursor_at
from ozml.lsp.convert import LineIndex
from ozml.lsp.hover import hover
from ozml.lsp.incremental import LOCAL_RULES, Memo, lint
from ozml.lsp.scan import ScannedElement, open_stack, scan, token_at
from ozml.lsp.variables import Variables
from ozml.nodes import Element
from ozml.parser import ParseResult, parse
from ozml.resolve import resolve
from ozml.syntaxes import DEFAULT

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

BASE = """<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Var Id="who">caller</Var>
  <Play Repeat="True">welcome.wav</Play>
  <UserInput Timeout="10" Repeat="true">
    <InitialCommands>
      <Speak>Hello $who, press 1 or 2.</Speak>
    </InitialCommands>
    <Inputs>
      <Input Key="1"><Forward Destination="102"/></Input>
      <Input Key="1"><GoTo>menu.php</GoTo></Input>
    </Inputs>
  </UserInput>
  <Array Id="days"><Item>Mon</Item></Array>
  <ForEach Source="days"><Speak Txt="x">$item</Speak></ForEach>
  <Speak Language="en-US">Bye $nobody</Speak> <!-- ozml: noqa OZ701 -->
  <Hangup/>
  <Speak>never</Speak>
</Response>
"""

#: Pieces an edit inserts: markup, names, quotes, line breaks, directives.
PIECES = [
    "\n",
    "\n  ",
    " ",
    "x",
    "1",
    '"',
    "<",
    ">",
    "/",
    "<Hangup/>",
    "<Speak>hi</Speak>",
    '<Var Id="who">x</Var>',
    "\n  <Reject/>\n",
    "$who",
    "Speak",
    'Party="all" ',
    "<!-- ozml: noqa -->",
    "<!-- ozml: context=3pcc -->",
    "</Input>",
    "True",
]


def full(text: str, lint_settings: LintSettings) -> list[tuple[Diagnostic, int, int]]:
    found = lint_result(parse(text), lint_settings, active_rules(lint_settings))
    return [(d, d.span.start, d.span.end) for d in found]


#: A document in which no rule that reads only the variables finds anything
#: (`Rule.reads_variables`): after an edit that leaves its variables as they were, the
#: language server does not run them again.
QUIET = """<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Var Id="who">caller</Var>
  <Speak>Hello $who.</Speak>
  <UserInput Timeout="10">
    <InitialCommands>
      <Speak>Press 1 or 2, $who.</Speak>
    </InitialCommands>
    <Inputs>
      <Input Key="1"><Speak>One</Speak></Input>
      <Input Key="2"><Speak>Two</Speak></Input>
    </Inputs>
  </UserInput>
  <Array Id="days"><Item>Mon</Item></Array>
  <ForEach Source="days"><Speak>$item</Speak></ForEach>
  <Speak>Goodbye.</Speak>
</Response>
"""


def bases() -> list[str]:
    found = [BASE, QUIET]
    found.extend(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.xml")))
    return found


edit = st.tuples(st.floats(0, 1), st.integers(0, 12), st.sampled_from(PIECES))


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.sampled_from(bases()),
    st.sampled_from([Context.ANY, Context.EXTENSION, Context.THREE_PCC]),
    st.lists(edit, min_size=1, max_size=8),
)
def test_incremental_lint_equals_full_lint(
    base: str, context: Context, edits: list[tuple[float, int, str]]
) -> None:
    lint_settings = LintSettings(context=context)
    rules = active_rules(lint_settings)
    text = base
    parsed = parse(text)
    found, memo = lint(parsed, lint_settings, rules, None)
    assert [(d, d.span.start, d.span.end) for d in found] == full(text, lint_settings)
    for where, length, piece in edits:
        at = int(where * len(text))
        text = text[:at] + piece + text[at + min(length, len(text) - at) :]
        # As the server does: each parse starts from the one before (`parse`'s `previous`).
        parsed = parse(text, previous=parsed)
        found, memo = lint(parsed, lint_settings, rules, memo)
        assert [(d, d.span.start, d.span.end) for d in found] == full(text, lint_settings)


def test_an_edit_inside_one_command_reuses_the_others() -> None:
    lint_settings = LintSettings()
    rules = active_rules(lint_settings)
    lines = ["<Response>"] + [f'  <Speak Language="en-US">Line {i}</Speak>' for i in range(50)]
    lines += ['  <Play Repeat="True">a.wav</Play>', "</Response>", ""]
    text = "\n".join(lines)
    _, memo = lint(parse(text), lint_settings, rules, None)
    assert isinstance(memo, Memo)
    edited = text.replace("Line 20", "Line 200")
    found, after = lint(parse(edited), lint_settings, rules, memo)
    assert after is not None
    same = [a is b for a, b in zip(memo.children, after.children, strict=True)]
    # Re-linted: the edited Speak and its neighbours (lxml gives lines, not columns, so a command
    # sharing a line with the edit counts as touched), and the Play, which has a finding.
    assert [i for i, kept in enumerate(same) if not kept] == [19, 20, 21, 50]
    assert [d.code for d in found] == ["OZ303"]


def test_every_local_rule_exists() -> None:
    assert {rule.code for rule in RULES} >= LOCAL_RULES


@pytest.mark.parametrize("text", ["<Response><Speak>", "", "<Response>\r<Hangup/>\r</Response>"])
def test_unusual_documents_fall_back_to_the_full_lint(text: str) -> None:
    lint_settings = LintSettings()
    found, memo = lint(parse(text), lint_settings, active_rules(lint_settings), None)
    assert memo is None
    assert [(d, d.span.start) for d in found] == [(d, s) for d, s, _ in full(text, lint_settings)]


#: Pieces that keep a document well-formed when inserted right after a ">".
WHOLE = [
    "\n",
    "\n\n  ",
    "<Hangup/>",
    "\n  <Speak>hi $who</Speak>",
    '<Var Id="who">x</Var>',
    '\n  <Play Repeat="True">a.wav</Play>\n',
    "<Reject/>",
    "<Bogus/>",
    "<!-- ozml: noqa OZ303 -->",
    '<UserInput><Inputs><Input Key="1"/><Input Key="1"/></Inputs></UserInput>',
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(bases()),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(WHOLE)), min_size=1, max_size=8),
)
def test_incremental_lint_equals_full_lint_over_well_formed_edits(
    base: str, edits: list[tuple[float, str]]
) -> None:
    def versions() -> Iterator[str]:
        text = base
        yield text
        for where, piece in edits:
            inside = text.find("<Response>") + len("<Response>")
            ends = [i + 1 for i, ch in enumerate(text) if ch == ">" and i >= inside - 1]
            ends = [i for i in ends if i < text.rfind("</Response>") + 1]
            at = ends[int(where * (len(ends) - 1))]
            text = text[:at] + piece + text[at:]
            yield text

    assert_each_version_lints_as_a_whole(versions())


def assert_each_version_lints_as_a_whole(versions: Iterable[str]) -> None:
    """Lint each version of a document from the lint of the one before (as the server does:
    each parse from the parse before), and hold each to a full lint of its text."""
    lint_settings = LintSettings()
    rules = active_rules(lint_settings)
    parsed: ParseResult | None = None
    memo: Memo | None = None
    for text in versions:
        parsed = parse(text, previous=parsed)
        found, memo = lint(parsed, lint_settings, rules, memo)
        assert [(d, d.span.start, d.span.end) for d in found] == full(text, lint_settings)


def test_findings_of_commands_checked_together_are_kept_with_their_command() -> None:
    """The first lint checks every command in one run; the findings are shared out among the
    commands, so that an edit below them keeps them (reused, not re-checked) and an edit of one
    re-checks only it."""
    lint_settings = LintSettings()
    rules = active_rules(lint_settings)
    lines = ["<Response>"]
    for i in range(30):
        repeat = "True" if i % 10 == 3 else "true"
        lines.append(f'  <Play Repeat="{repeat}">a{i}.wav</Play>')
    lines += ["</Response>", ""]
    text = "\n".join(lines)
    _, memo = lint(parse(text), lint_settings, rules, None)
    assert memo is not None
    with_findings = [i for i, child in enumerate(memo.children) if child.findings]
    assert with_findings == [3, 13, 23]
    assert all(len(memo.children[i].findings) == 1 for i in with_findings)
    edited = text.replace("a28.wav", "b28.wav")
    found, after = lint(parse(edited), lint_settings, rules, memo)
    assert after is not None
    assert [(d, d.span.start, d.span.end) for d in found] == full(edited, lint_settings)
    assert all(after.children[i] is memo.children[i] for i in (3, 13, 23))
    edited = text.replace("a13.wav", "b13.wav")
    found, after = lint(parse(edited), lint_settings, rules, memo)
    assert after is not None
    assert [(d, d.span.start, d.span.end) for d in found] == full(edited, lint_settings)
    assert after.children[3] is memo.children[3]
    assert after.children[13] is not memo.children[13]


#: Documents with server-side template parts of every syntax: in texts and values, between
#: commands, in tags, holding "<", quotes and markup, and openers without their closer.
TEMPLATED = [
    """<Response>
  <% if known %>
  <Var Id="who">{{ name }}</Var>
  <% end %>
  <Speak>{{<%}}$who <?= $x ?> ${y} a <% b </Speak>
  <Speak Text="<%= t %> {{ "<b>" }} $who" {% if p %}Party="all"{% endif %}/>
  <UserInput Timeout="<?php echo $t > 1 ? 2 : 3; ?>">
    <Inputs>{# a comment #}<Input Key="1"><Hangup/></Input>{{ x </Inputs>
  </UserInput>
  <?php if ($a) { ?><Reject/><?php } ?>
  <!-- {{ not a part }} --><![CDATA[<% nor this %>]]>
</Response>
""",
    """<Response>
  <Var Id="v">V</Var>
  <Speak>{{ a }}$v</Speak>
  <Speak>x <% y %> z</Speak>
  <Play Repeat="true">a.wav</Play>
  <Speak Text="$v {{ b }}"/>
</Response>
""",
    """<Response>
  <Speak>{{ w }}</Speak>
  <Speak>x <% y </Speak>
  <Play Repeat="true">{{ q }}.wav</Play>
  <UserInput Timeout="1"><Inputs><Input Key="1"><Hangup/></Input></Inputs></UserInput>
  <Speak>a <?= b </Speak>
  <Speak>{{ c </Speak>
  <Reject/>
</Response>
""",
]

#: What an edit of a templated document inserts: openers and closers of every syntax too.
TEMPLATE_PIECES = [
    *PIECES, "{{", "}}", "{%", "%}", "{#", "#}", "<%", "%>", "<%=", "<?=", "<?php ", "?>",
    "${", "}", "'", "<% if x %>", "{{ $who }}",
]  # fmt: skip
template_edit = st.tuples(st.floats(0, 1), st.integers(0, 12), st.sampled_from(TEMPLATE_PIECES))
#: The template syntaxes a document may be read with (``templates`` setting).
SYNTAX_SETS = [DEFAULT, frozenset({"asp"}), frozenset({"jinja", "el"}), frozenset()]


def _tree(elements: Iterable[ScannedElement | Element]) -> list[object]:
    """Element names as a tree, of the tolerant scan or of the parser's document."""
    found: list[object] = []
    for element in elements:
        if isinstance(element, Element):
            found.append((element.tag, _tree(element.elements)))
        else:
            found.append((element.name, _tree(element.children)))
    return found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(bases() + TEMPLATED),
    st.lists(edit | template_edit, min_size=1, max_size=6),
    st.floats(0, 1),
    st.sampled_from(SYNTAX_SETS),
)
def test_the_cursor_found_from_an_earlier_scan_is_the_cursor_found_from_the_start(
    base: str, edits: list[tuple[float, int, str]], where: float, syntaxes: frozenset[str]
) -> None:
    """Completion reads the text from the last scan on (`open_stack` with `known`), never from
    the start: what it finds is what reading from the start finds, whatever the edits between,
    also when an edit makes a template part of what was not one (a closer typed after an
    opener), or undoes one. Where the text is well-formed, the scan's elements are the
    parser's (`ozml.templates` says where the parts are, for both)."""
    known = scan(base, syntaxes)
    text = base
    for at_fraction, length, piece in edits:
        at = int(at_fraction * len(text))
        text = text[:at] + piece + text[at + min(length, len(text) - at) :]
        offset = int(where * len(text))
        expected = open_stack(text, offset, syntaxes=syntaxes)
        assert open_stack(text, offset, known, syntaxes) == expected
        expected_cursor = cursor_at(text, offset, syntaxes=syntaxes)
        assert cursor_at(text, offset, known, syntaxes) == expected_cursor
        read = parse(text, templates=syntaxes)
        if not read.problems and read.document.root is not None:
            assert _tree(scan(text, syntaxes).roots) == _tree([read.document.root]), text
        if at_fraction < 0.3:
            known = scan(text, syntaxes)  # now and then the base moves on, as the editor asks


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(bases() + TEMPLATED),
    st.lists(edit | template_edit, min_size=1, max_size=6),
    st.floats(0, 1),
    st.sampled_from(SYNTAX_SETS),
)
def test_hover_from_an_earlier_scan_is_hover_from_a_scan_of_the_whole_text(
    base: str, edits: list[tuple[float, int, str]], where: float, syntaxes: frozenset[str]
) -> None:
    """Hover reads the token under the cursor from the last scan on, and makes the variable
    index only when the cursor may be on a variable: the answer is the one a scan of the whole
    text gives, with the template parts of the syntaxes the document is read with."""
    known = scan(base, syntaxes)
    text = base
    for at_fraction, length, piece in edits:
        at = int(at_fraction * len(text))
        text = text[:at] + piece + text[at + min(length, len(text) - at) :]
        whole = scan(text, syntaxes)
        index = LineIndex(text)
        for offset in {int(where * len(text)), at, at + len(piece) // 2}:
            offset = min(offset, len(text))
            assert token_at(text, offset, known, syntaxes) == whole.token_at(offset)
            expected = hover(whole, index, offset, Context.ANY, Variables(whole))
            variables = partial(Variables, scan(text, syntaxes))
            found = hover(None, index, offset, Context.ANY, variables, True, known, syntaxes)
            assert found == expected
        if at_fraction < 0.3:
            known = whole


def test_an_opener_or_closer_typed_or_deleted_anywhere_reads_as_a_whole_scan() -> None:
    """One edit anywhere in a templated document: a closer typed after an opener that had none
    (the part now takes in the tags between them), or deleted, an opener typed or deleted.
    Reading on from the scan before the edit finds what reading the whole text finds: the
    earlier scan's tokens are taken only up to where the parts of the two texts still agree,
    not up to the edit (random edits seldom type the one closer after the one opener)."""
    for base in TEMPLATED[1:]:
        for syntaxes in (DEFAULT, frozenset({"asp"})):
            known = scan(base, syntaxes)
            for piece in ("%>", "?>", "}}", "<%"):
                for at in range(len(base) + 1):
                    typed = base[:at] + piece + base[at:]
                    deleted = base[:at] + base[at + len(piece) :]
                    for text in (typed, deleted):
                        for offset in (min(at + len(piece), len(text)), len(text)):
                            whole = open_stack(text, offset, syntaxes=syntaxes)
                            assert open_stack(text, offset, known, syntaxes) == whole, text
                            token = token_at(text, offset, None, syntaxes)
                            assert token_at(text, offset, known, syntaxes) == token, text


def test_hover_off_variables_makes_no_variable_index() -> None:
    text = BASE
    offset = text.index("Timeout") + 2
    index = LineIndex(text)

    def variables() -> Variables:
        raise AssertionError("the variable index is not needed here")

    found = hover(None, index, offset, Context.ANY, variables, True, scan(text))
    assert found is not None
    on_variable = text.index("$who") + 2
    assert hover(None, index, on_variable, Context.ANY, lambda: Variables(scan(text))) is not None


def described(analysis: variables.Analysis) -> tuple[object, ...]:
    """What the variable rules read of an analysis, with records known by their elements."""

    def defs(table: dict[str, list[variables.Definition]]) -> dict[str, list[object]]:
        return {
            name: [(d.name, id(d.rec.element), d.attribute, d.order) for d in found]
            for name, found in table.items()
        }

    return (
        [(u.token, u.name, id(u.rec.element), u.attribute, u.occurrence, u.order)
         for u in analysis.uses],
        defs(analysis.variables),
        defs(analysis.arrays),
        [(id(rec.element), value, attr, order) for rec, value, attr, order in analysis.loops],
        analysis.used_names,
        analysis.array_reads,
        analysis.undocumented_names,
        analysis.dynamic_variables,
        analysis.dynamic_arrays,
        analysis.dynamic_reads,
        analysis.continues_elsewhere,
    )


def analysed_after_edits(base: str, edits: list[tuple[float, int, str]]) -> int:
    """Edits `base` as the server does (each parse from the last, each context from what the
    last left) and compares each variable analysis with one of the whole document; the number
    of command analyses taken from the one before."""
    lint_settings = LintSettings()
    text = base
    parsed = parse(text)
    earlier = Earlier(None)
    taken = 0
    for where, length, piece in edits:
        at = int(where * len(text))
        text = text[:at] + piece + text[at + min(length, len(text) - at) :]
        result = parse(text, previous=parsed)
        root = result.document.root
        if root is None:
            continue
        ctx = LintContext(result, lint_settings, earlier=earlier)
        before = earlier.variables
        got = variables.analyse(ctx)
        whole = variables._analyse(resolve(root), "$" in text, lint_settings.templates)
        assert described(got) == described(whole)
        parts = variables.parts_of(ctx)
        assert isinstance(parts, variables._Parts)
        if isinstance(before, variables._Parts):
            old = {id(part) for *_, part in before.found.values()}
            taken += sum(id(part) in old for *_, part in parts.found.values())
        parsed, earlier = result, Earlier(ctx.records, parts)
    return taken


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(bases()), st.lists(edit, min_size=1, max_size=8))
def test_the_variable_analysis_made_in_parts_is_that_of_the_whole_document(
    base: str, edits: list[tuple[float, int, str]]
) -> None:
    analysed_after_edits(base, edits)


def test_the_variable_analysis_of_untouched_commands_is_taken() -> None:
    lines = ["<Response>"]
    for i in range(30):
        lines.append(f'  <Var Id="v{i}">x</Var>')
        lines.append(f"  <Speak>Hello $v{i} and $v{i + 1}</Speak>")
    lines += ["</Response>", ""]
    text = "\n".join(lines)
    at = (text.index("Hello $v15") + 0.5) / len(text)  # just after the H
    # The first edit's analysis is the first made in parts; after the second, every command
    # but the edited one and its neighbours is taken (the root, parsed anew, is not).
    assert analysed_after_edits(text, [(at, 0, "x"), (at, 0, "y")]) == 60 - 3


def _variable_rule_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The codes of the rules that read only the variables, each time one runs."""
    runs: list[str] = []
    for rule in RULES:
        if rule.reads_variables:
            check = rule.check

            def counted(
                self: object, ctx: LintContext, check: object = check, code: str = rule.code
            ) -> object:
                runs.append(code)
                return check(self, ctx)  # type: ignore[operator]

            monkeypatch.setattr(rule, "check", counted)
    return runs


def test_rules_that_read_only_the_variables_run_again_only_when_the_variables_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = _variable_rule_runs(monkeypatch)
    variable_rules = {r.code for r in RULES if r.reads_variables}
    assert variable_rules == {"OZ701", "OZ702", "OZ703", "OZ704", "OZ705"}
    lint_settings = LintSettings()
    rules = active_rules(lint_settings)
    text = QUIET
    parsed = parse(text)
    found, memo = lint(parsed, lint_settings, rules, None)

    def quiet() -> frozenset[str]:
        assert memo is not None
        return memo.quiet

    assert found == []
    assert quiet() == variable_rules
    assert set(runs) == variable_rules

    def edited(old: str, new: str) -> list[tuple[Diagnostic, int, int]]:
        nonlocal text, parsed, found, memo
        text = text.replace(old, new, 1)
        parsed = parse(text, previous=parsed)
        runs.clear()
        found, memo = lint(parsed, lint_settings, rules, memo)
        got = [(d, d.span.start, d.span.end) for d in found]
        ran = list(runs)
        assert got == full(text, lint_settings)
        runs[:] = ran  # what the incremental lint ran, not the full lint beside it
        return got

    # A command without variables, then a line added after it: the variables are as they were
    # (the commands around the edited lines are analysed again, and found written the same).
    edited("<Speak>Goodbye.</Speak>", "<Speak>Good bye.</Speak>")
    assert runs == []
    edited("<Speak>Good bye.</Speak>", "<Speak>Good bye.</Speak>\n  <Hangup/>")
    assert runs == []
    # Text typed inside a command that holds a use, and in the text around the use itself: its
    # uses are where they were.
    edited("<Speak>One</Speak>", "<Speak>Only one</Speak>")
    edited("Press 1 or 2, $who.", "Please press 1 or 2, $who.")
    assert runs == []
    # An element added before the use in its command: the use stands elsewhere, so they run.
    edited("<Speak>Please press", "<Play>menu.wav</Play><Speak>Please press")
    assert set(runs) == variable_rules
    assert found == []
    assert quiet() == variable_rules
    # A Var's value changed (growing-variable estimates values): they run.
    edited(">caller</Var>", ">the caller</Var>")
    assert set(runs) == variable_rules
    # A use of a name no Var defines: they run, and undefined-variable finds it.
    assert [d.code for d, *_ in edited("1 or 2, $who.", "1 or 2, $whom.")] == ["OZ701"]
    assert set(runs) == variable_rules
    assert "OZ701" not in quiet()
    # Put back: they run again (undefined-variable found something last time).
    edited("$whom.", "$who.")
    assert "OZ701" in runs
    assert found == []
    assert quiet() == variable_rules
    # A command that holds no variable but sets a flag: a GoTo lets the script continue in
    # another document (unused-variable reads that).
    edited("<Hangup/>", "<GoTo>next.php</GoTo>")
    assert set(runs) == variable_rules


def test_the_signature_of_a_commands_variables_reads_every_field_of_its_analysis() -> None:
    """`variables.unchanged` compares what `_signature` describes: every field of an analysis
    but its caches (a new field must be added there, or edits could hide it)."""
    fields = set(variables.Analysis.__slots__)
    assert set(variables.SIGNED) == {n for n in fields if not n.startswith("_")}
    made = variables.Analysis()
    assert all(hasattr(made, name) for name in fields)  # every field is made
    assert set(variables.Analysis.HELD) | set(variables.Analysis.FLAGS) == set(variables.SIGNED)


#: Edits of `QUIET` that keep it well-formed (each replaces the first occurrence of its text,
#: when there is one): typing in texts, uses added, renamed and moved, definitions added and
#: changed, loops and flags added.
QUIET_EDITS = [
    ("Hello $who.", "Hello there $who."),
    ("Hello $who.", "Hello $who and $who."),
    ("Hello $who.", "Hello."),
    ("Hello", "Hello $nobody"),
    ("Press 1", "Press one"),
    ("$who.</Speak>\n    </InitialCommands>", "$whom.</Speak>\n    </InitialCommands>"),
    ("<Speak>One</Speak>", "<Speak>One $who</Speak>"),
    ("<Speak>One</Speak>", "<Speak>Only one</Speak>"),
    ("<Speak>Two</Speak>", "<GoTo>next.php</GoTo>"),
    ("<Speak>Goodbye.</Speak>", "<Speak>Goodbye, $who.</Speak>"),
    ("<Speak>Goodbye.</Speak>", "<Speak>Good bye.</Speak>\n  <Hangup/>"),
    ("<Speak>Goodbye.</Speak>", '<Var Id="who">again</Var>'),
    ("<Speak>Goodbye.</Speak>", '<Var Id="late">x</Var>\n  <Speak>$late</Speak>'),
    (">caller</Var>", ">the caller</Var>"),
    (">caller</Var>", ">$who $who</Var>"),
    ('<Var Id="who">', '<Var Id="whom">'),
    ("<Item>Mon</Item>", "<Item>Mon</Item><Item>Tue</Item>"),
    ('Source="days"', 'Source="weeks"'),
    ("<Speak>$item</Speak>", "<Speak>$item and $who</Speak>"),
    ("<Speak>$item</Speak>", "<Play>a.wav</Play><Speak>$item</Speak>"),
    ("  <Speak>Hello", "  <Play>intro.wav</Play>\n  <Speak>Hello"),
    ("  <Array", '  <Speak>$item</Speak>\n  <Array'),
    ("</Response>", '  <Var Id="tail">$who</Var>\n</Response>'),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(QUIET_EDITS), min_size=1, max_size=10))
def test_well_formed_edits_of_variables_give_the_full_lint(edits: list[tuple[str, str]]) -> None:
    """Whether the variable rules run again or not, each edit's findings are a full lint's."""

    def versions() -> Iterator[str]:
        text = QUIET
        yield text
        for old, new in edits:
            text = text.replace(old, new, 1)
            yield text

    assert_each_version_lints_as_a_whole(versions())
