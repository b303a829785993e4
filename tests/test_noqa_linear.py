"""Suppression comments in linear time: the same answers as the walks they replaced.

`ozml.lint.noqa` once walked, for each comment, every comment after it (to find what a comment
alone on its line applies to), the text back to its start and on to its end (to find a line's
ends in a text without ``\\r``), every comment for each line it covers, every unit for each
finding (``--add-noqa``), and rebuilt the text once per added comment. Each property below
holds the new structure to the old walk, written out here, on generated documents; the
reported cases run under a deadline in a fresh interpreter.
"""

from __future__ import annotations

from deadline import within
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.diagnostics import Edit
from ozml.lint import directives, noqa
from ozml.parser import parse

_PIECES = st.sampled_from(
    [
        "<Speak>Hi</Speak>",
        '<Speak Bogus="1">Hi</Speak>',
        '<Speak\n  Bogus="2">Hi</Speak>',
        "<Speak>one\ntwo\nthree</Speak>",
        "<Play>a.wav</Play>",
        "<!-- ozml: noqa -->",
        "<!-- ozml: noqa OZ103 -->",
        "<!-- ozml: noqa OZ103,OZ105 -->",
        "<!-- a note -->",
        "",
        "   ",
    ]
)


@st.composite
def _documents(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.lists(_PIECES, min_size=1, max_size=3), max_size=12))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    body = newline.join(" ".join(pieces) for pieces in lines)
    return f"<Response>{newline}{body}{newline}</Response>{newline}".replace("\n", newline)


def _old_line_start(text: str, offset: int) -> int:
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


def _old_line_end(text: str, offset: int) -> int:
    ends = [i for i in (text.find("\n", offset), text.find("\r", offset)) if i >= 0]
    return min(ends) if ends else len(text)


def _old_placement(layout: noqa.Layout, directive: directives.Directive) -> tuple[int, bool] | None:
    text = layout.text
    if text[_old_line_start(text, directive.start) : directive.start].strip():
        return layout.line(directive.start), True
    if text[directive.end : _old_line_end(text, directive.end)].strip():
        return layout.line(directive.end), False
    pos = directive.end
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        following = layout.directive_at.get(pos)
        if following is None:
            break
        pos = following.end
    if pos >= len(text):
        return None
    return layout.line(pos), False


def _old_unit_around(layout: noqa.Layout, line: int) -> tuple[int, int]:
    first, last = line, line
    for a, b in layout.units:
        if a <= line <= b and (b - a) > (last - first):
            first, last = a, b
    return first, last


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_placements_line_ends_and_units_are_the_walks(text: str) -> None:
    source = parse(text.encode(), "doc.xml").source
    found = directives.scan(source)
    layout = noqa.Layout(source, found)
    for directive in found:
        for offset in (directive.start, directive.end):
            assert layout.line_start(offset) == _old_line_start(source.text, offset)
            assert layout.line_end(offset) == _old_line_end(source.text, offset)
        assert layout.placement(directive) == _old_placement(layout, directive)
        assert layout.comment_removal(directive) is not None
    for line in range(1, source.text.count("\n") + source.text.count("\r") + 2):
        assert layout.widest.get(line, (line, line)) == _old_unit_around(layout, line)


class _Comment:
    def __init__(self, codes: frozenset[str]) -> None:
        self.codes = codes


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 12),
            st.integers(0, 4),
            st.frozensets(st.sampled_from(["A", "B", "C"]), max_size=2),
        ),
        max_size=20,
    )
)
def test_by_line_chooses_as_one_chooser_of_every_comment_of_the_line(
    comments: list[tuple[int, int, frozenset[str]]],
) -> None:
    made = [(range(first, first + length), _Comment(codes)) for first, length, codes in comments]
    by_line: noqa.ByLine[_Comment] = noqa.ByLine()
    for lines, comment in made:
        by_line.add(lines, comment)
    for line in range(18):
        everyone = noqa.Chooser([c for lines, c in made if line in lines])
        for code in ("A", "B", "C", "D"):
            assert by_line.choose(line, code) is everyone.choose(code)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_apply_edits_is_the_edit_by_edit_rebuild(data: st.DataObject) -> None:
    text = data.draw(st.text("ab\n", max_size=30))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits: list[Edit] = []
    at = 0
    for cut in cuts:
        if data.draw(st.booleans()) and cut > at:
            edits.append(Edit(at, cut, data.draw(st.text("XY", max_size=2))))
        edits.append(Edit(cut, cut, data.draw(st.text("PQ", max_size=2))))
        at = cut
    edits = data.draw(st.permutations(edits))
    old = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        old = old[: edit.start] + edit.text + old[edit.end :]
    assert noqa.apply_edits(text, edits) == old


def test_reported_case_comments_each_alone_on_a_line_before_a_long_element() -> None:
    # Each comment alone on its line walked every comment after it, and each listed itself on
    # every line of the element they all stand before: 16,000 such comments took 125 s to
    # lint, and 8,000 before an element of 8,000 lines 25 s. Both are now about a second.
    within(
        """
        from ozml.lint import lint

        n = 16_000
        text = (
            "<Response>\\n" + "  <!-- ozml: noqa OZ103 -->\\n" * n
            + '  <Speak Bogus="1">' + "\\n".join(["word"] * n) + "</Speak>\\n</Response>\\n"
        )
        found = lint(text.encode())
        assert [d.code for d in found] == ["OZ901"] * (n - 1), found[:3]
        """,
        seconds=30.0,
    )


def test_reported_case_add_noqa_to_many_findings() -> None:
    # --add-noqa rebuilt the text once per comment it added, and looked for each finding's
    # unit among every unit: 32,000 findings took 12.7 s, 8,000 multi-line elements 9 s.
    within(
        """
        from ozml.lint import directives, lint, noqa
        from ozml.parser import parse

        n = 16_000
        body = "\\n".join(f'  <Speak\\n    Bogus="{i}">Hi</Speak>' for i in range(n))
        text = f"<Response>\\n{body}\\n</Response>\\n"
        result = parse(text.encode(), "many.xml")
        found = lint(text.encode())
        added = noqa.add(result.source, directives.scan(result.source), found, result.document)
        assert added.suppressed == n
        assert lint(added.text.encode()) == []
        """,
        seconds=30.0,
    )


@settings(max_examples=200, deadline=None)
@given(_documents())
def test_a_suppression_action_is_the_difference_of_the_whole_texts(text: str) -> None:
    """The language server's suppression edit, from one `Adder` for all findings and the text
    around the comment, is the one comparing the whole text with `add`'s gave."""
    from ozml.lint import lint_result
    from ozml.lsp import actions

    result = parse(text.encode(), "doc.xml")
    source = result.source
    found = lint_result(result)
    adder = noqa.Adder(source, directives.scan(source), result.document)
    for finding in found:
        added = noqa.add(source, directives.scan(source), [finding])
        if added.unplaced or added.text == source.text or finding.code in noqa.UNSUPPRESSIBLE:
            expected = None
        else:
            expected = actions._difference(source.text, added.text)
        assert actions.suppression(source, finding, adder) == expected


def test_reported_case_suppression_actions_for_many_findings() -> None:
    # A code action request over many findings (a whole document selected) parsed and
    # scanned the text again for each finding's suppression, and compared the whole texts:
    # 2,000 findings took 110 s. One Adder serves the request, and the edit is worked out on
    # the text around it.
    within(
        """
        from lsprotocol import types

        from ozml.lint import lint_result
        from ozml.lsp import actions
        from ozml.lsp.convert import LineIndex
        from ozml.lsp.diagnostics import to_lsp
        from ozml.lsp.documents import Analysis
        from ozml.parser import parse

        n = 8_000
        text = "<Response>\\n" + "".join(f'  <Speak Bogus="{i}">Hi</Speak>\\n' for i in range(n))
        text += "</Response>\\n"
        result = parse(text.encode(), "many.xml")
        found = lint_result(result)
        index = LineIndex(result.source.text)
        published = to_lsp(found, lambda: index, lambda code, name: None)
        analysis = Analysis(1, result, found, published)
        everything = types.Range(types.Position(0, 0), types.Position(n + 2, 0))
        made = actions.code_actions("file:///many.xml", analysis, everything, None, "utf-16", True)
        assert sum(a.title.startswith("Suppress") for a in made) == n
        """,
        seconds=30.0,
    )
