"""Suppression comments: which lines they cover, unused and unknown ones, and writing them.

Positions and messages are pinned. `add` (``ozml check --add-noqa``) is checked to suppress
every finding and to leave the document otherwise unchanged (same tree once comments are set
aside), including a property test over generated documents.
"""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import documents, untidy

from ozml.diagnostics import Diagnostic
from ozml.fixes import fix_source
from ozml.lint import LintSettings, lint, noqa
from ozml.lint import directives as directives_module
from ozml.nodes import Comment, Document, Element, Node, Text
from ozml.parser import parse


def show(doc: str, lint_settings: LintSettings | None = None) -> list[str]:
    return [
        f"{d.line}:{d.column}-{d.span.end_line}:{d.span.end_column} {d.code} {d.message}"
        for d in lint(doc, "t.xml", lint_settings or LintSettings())
    ]


def codes(doc: str) -> list[str]:
    return [d.code for d in lint(doc)]


# --- which line a comment covers ----------------------------------------------------------------


def test_trailing_comment_covers_its_own_line_only() -> None:
    doc = (
        "<Response>\n"
        "  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n"
        "  <ForwardCall/>\n"
        "</Response>\n"
    )
    assert show(doc) == ["3:4-3:15 OZ201 ForwardCall needs Destination"]


def test_comment_alone_on_its_line_covers_the_next_line() -> None:
    doc = (
        "<Response>\n"
        "  <!-- ozml: noqa OZ201 -->\n"
        "  <ForwardCall/>\n"
        "  <ForwardCall/>\n"
        "</Response>\n"
    )
    assert show(doc) == ["4:4-4:15 OZ201 ForwardCall needs Destination"]


def test_comment_before_content_on_the_same_line() -> None:
    doc = "<Response>\n  <!-- ozml: noqa --><ForwardCall/>\n</Response>\n"
    assert show(doc) == []


def test_blank_lines_and_other_directives_are_skipped_to_the_target() -> None:
    doc = (
        "<Response>\n"
        "  <!-- ozml: noqa OZ201 -->\n"
        "\n"
        "  <!-- ozml: noqa OZ303 -->\n"
        "  <forwardCall/>\n"
        "</Response>\n"
    )
    assert show(doc) == []


def test_an_ordinary_comment_in_between_is_the_target() -> None:
    doc = (
        "<Response>\n"
        "  <!-- ozml: noqa OZ201 -->\n"
        "  <!-- the boss's secretary -->\n"
        "  <ForwardCall/>\n"
        "</Response>\n"
    )
    assert show(doc) == [
        "2:3-2:28 OZ901 unused suppression: no OZ201 finding on line 3",
        "4:4-4:15 OZ201 ForwardCall needs Destination",
    ]


MULTI_LINE_TAG = (
    "<Response>\n"
    "  {before}<Play\n"
    '      Repeat="yes"\n'
    '      Party="everyone">hello.wav</Play>{after}\n'
    "</Response>\n"
)


def test_a_comment_before_a_multi_line_tag_covers_all_its_lines() -> None:
    plain = MULTI_LINE_TAG.format(before="", after="")
    assert [f.split()[1] for f in show(plain)] == ["OZ202", "OZ202"]
    before = MULTI_LINE_TAG.format(before="<!-- ozml: noqa OZ202 -->\n  ", after="")
    assert show(before) == []


def test_a_trailing_comment_after_a_multi_line_tag_covers_it_back_to_its_start() -> None:
    after = MULTI_LINE_TAG.format(before="", after=" <!-- ozml: noqa OZ202 -->")
    assert show(after) == []


def test_multi_line_element_text_is_covered_from_the_start_tag() -> None:
    doc = (
        "<Response>\n"
        "  <!-- ozml: noqa OZ202 -->\n"
        "  <Delay>\n"
        "    soon\n"
        "  </Delay>\n"
        "</Response>\n"
    )
    assert show(doc) == []


def test_a_container_is_not_covered_beyond_its_start_tag() -> None:
    doc = (
        "<Response>\n"
        "  <!-- ozml: noqa -->\n"
        "  <UserInput>\n"
        "    <Inputs><Input Key='1'><ForwardCall/></Input></Inputs>\n"
        "  </UserInput>\n"
        "</Response>\n"
    )
    assert show(doc) == [
        "2:3-2:22 OZ901 unused suppression: nothing to suppress on line 3",
        "4:29-4:40 OZ201 ForwardCall needs Destination",
    ]


# --- what a comment names -------------------------------------------------------------------------


def test_codes_names_case_and_flake8_colon() -> None:
    doc = (
        "<Response>\n"
        "  <forwardCall/> <!-- ozml: noqa: oz201, non-canonical-case -->\n"
        "</Response>\n"
    )
    assert show(doc) == []


def test_only_the_named_codes_are_suppressed() -> None:
    doc = "<Response>\n  <forwardCall/> <!-- ozml: noqa OZ201 -->\n</Response>\n"
    assert codes(doc) == ["OZ303"]


def test_disable_file_blanket_and_with_codes() -> None:
    doc = "<!-- ozml: disable-file -->\n<Response><ForwardCall/><speak>x</speak></Response>\n"
    assert show(doc) == []
    doc = "<Response><ForwardCall/><speak>x</speak></Response>\n<!-- ozml: disable-file OZ303 -->"
    assert codes(doc) == ["OZ201"]


def test_did_you_mean_knows_the_project_rules() -> None:
    # The one registry (`ozml.lint.registry.RULES`) holds OZ811-OZ815 too: a misspelt name of
    # one is suggested like any other.
    doc = (
        "<Response>\n  <Hangup/> <!-- ozml: noqa dead-lnk, linked-context-mismach -->\n"
        "</Response>\n"
    )
    assert show(doc) == [
        "2:29-2:37 OZ902 unknown rule code 'dead-lnk' in a suppression comment;"
        " did you mean dead-link?",
        "2:39-2:61 OZ902 unknown rule code 'linked-context-mismach' in a suppression comment;"
        " did you mean linked-context-mismatch?",
    ]


def test_unknown_code_with_suggestion_and_its_known_neighbours_still_work() -> None:
    doc = "<Response>\n  <forwardCall/> <!-- ozml: noqa OZ2O1,OZ303 -->\n</Response>\n"
    assert show(doc) == [
        "2:4-2:15 OZ201 ForwardCall needs Destination",
        "2:34-2:39 OZ902 unknown rule code 'OZ2O1' in a suppression comment; did you mean OZ201?",
    ]


def test_unsuppressible_findings() -> None:
    doc = "<Response>\n  <!-- ozml: nqa --> <!-- ozml: noqa OZ903 -->\n  <Hangup/>\n</Response>\n"
    assert show(doc) == [
        "2:3-2:21 OZ903 unknown ozml comment 'nqa'; expected noqa, disable-file or context=...",
        "2:22-2:47 OZ901 unused suppression: no OZ903 finding on line 2",
    ]


def test_parser_findings_cannot_be_suppressed() -> None:
    # A document that is not XML was never checked: it always fails (test_hardening_suppress).
    doc = "<Response>\n  <Speak>a & b</Speak> <!-- ozml: noqa OZ001 -->\n</Response>\n"
    assert sorted(codes(doc)) == ["OZ001", "OZ903"]


# --- unused suppressions --------------------------------------------------------------------------


def test_unused_blanket_and_unused_codes() -> None:
    doc = (
        "<Response>\n"
        "  <Hangup CallId='a1'/> <!-- ozml: noqa -->\n"
        "  <ForwardCall/> <!-- ozml: noqa OZ201,OZ202,OZ303 -->\n"
        "</Response>\n"
        "<!-- ozml: disable-file OZ104 -->\n"
    )
    assert show(doc) == [
        "2:25-2:44 OZ901 unused suppression: nothing to suppress on line 2",
        "3:18-3:55 OZ901 unused suppression: no OZ202 or OZ303 finding on line 3",
        "5:1-5:34 OZ901 unused suppression: no OZ104 finding in this file",
    ]


def test_a_comment_at_the_end_of_the_file_applies_to_no_line() -> None:
    doc = "<Response><Hangup/></Response>\n<!-- ozml: noqa OZ201 -->\n"
    assert show(doc) == [
        "2:1-2:26 OZ901 unused suppression: no OZ201 finding anywhere: the comment is at the"
        " end of the file",
    ]


def test_codes_of_switched_off_rules_are_not_called_unused() -> None:
    doc = "<Response>\n  <Hangup/> <!-- ozml: noqa OZ303 -->\n</Response>\n"
    assert codes(doc) == ["OZ901"]
    assert show(doc, LintSettings(ignore=frozenset({"OZ303"}))) == []


def test_unused_noqa_can_be_switched_off_in_settings() -> None:
    doc = "<Response>\n  <Hangup/> <!-- ozml: noqa -->\n</Response>\n"
    assert show(doc, LintSettings(ignore=frozenset({"OZ901"}))) == []


def _fixed(doc: str) -> str:
    (finding,) = [d for d in lint(doc) if d.code == "OZ901"]
    assert finding.fix is not None
    assert finding.fix.safe
    return noqa.apply_edits(doc, finding.fix.edits)


def test_fix_removes_a_whole_standalone_comment_with_its_line() -> None:
    doc = "<Response>\n  <!-- ozml: noqa OZ201 -->\n  <Hangup/>\n</Response>\n"
    assert _fixed(doc) == "<Response>\n  <Hangup/>\n</Response>\n"


def test_fix_removes_a_trailing_comment_and_its_space() -> None:
    doc = "<Response>\r\n  <Hangup/>  <!-- ozml: noqa -->\r\n</Response>\r\n"
    assert _fixed(doc) == "<Response>\r\n  <Hangup/>\r\n</Response>\r\n"


def test_fix_removes_only_the_unused_codes() -> None:
    doc = "<Response>\n  <ForwardCall/> <!-- ozml: noqa OZ303, OZ201 OZ402 -->\n</Response>\n"
    fixed = _fixed(doc)
    assert fixed == "<Response>\n  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n</Response>\n"
    assert lint(fixed) == []


def test_fix_in_text_removes_the_comment_alone() -> None:
    # The space before the comment is the text's: with it, "Hi there" would say "Hithere".
    doc = "<Response>\n  <Speak>Hi <!-- ozml: noqa OZ201 -->there</Speak>\n</Response>\n"
    assert _fixed(doc) == "<Response>\n  <Speak>Hi there</Speak>\n</Response>\n"
    doc = "<Response>\n  <Speak>Hi <!-- ozml: noqa OZ201 --> there</Speak>\n</Response>\n"
    assert _fixed(doc) == "<Response>\n  <Speak>Hi  there</Speak>\n</Response>\n"


def test_fix_keeps_the_white_space_preserved_around_a_comment() -> None:
    doc = (
        '<Response xml:space="preserve">\n'
        "  <Hangup/>  <!-- ozml: noqa OZ201 -->\n"
        "</Response>\n"
    )
    assert _fixed(doc) == '<Response xml:space="preserve">\n  <Hangup/>  \n</Response>\n'


def test_fix_removes_a_comment_before_content_with_the_space_after_it() -> None:
    doc = "<Response>\n  <!-- ozml: noqa OZ201 --> <Hangup/>\n</Response>\n"
    assert _fixed(doc) == "<Response>\n  <Hangup/>\n</Response>\n"


def test_two_unused_comments_on_one_line_take_the_line_with_them() -> None:
    doc = (
        "<Response>\n"
        "  <!-- ozml: noqa OZ201 --> <!-- ozml: noqa OZ202 -->\n"
        "  <Hangup/>\n"
        "</Response>\n"
    )
    result = fix_source(doc)
    assert result.text == "<Response>\n  <Hangup/>\n</Response>\n"
    assert [d.code for d in result.applied] == ["OZ901", "OZ901"]


@pytest.mark.parametrize(
    ("written", "left"),
    [
        ("<Hangup/> <!-- ozml: noqa OZ201 # because reasons -->", "# because reasons"),
        ("<ForwardCall/> <!-- ozml: noqa OZ201 ,OZ303, OZ402 -->", "OZ201"),
        ("<ForwardCall/> <!-- ozml: noqa OZ303 OZ402,  OZ201 -->", "OZ201"),
        ("<ForwardCall/> <!-- ozml: noqa OZ303,OZ201; OZ402 -->", "OZ201;"),
    ],
)
def test_fix_keeps_the_rest_of_the_comment_as_written(written: str, left: str) -> None:
    doc = f"<Response>\n  {written}\n</Response>\n"
    fixed = fix_source(doc, settings=LintSettings(ignore=frozenset({"OZ902"}))).text
    kept = written[: written.index("<!--")]
    assert fixed == f"<Response>\n  {kept}<!-- ozml: noqa {left} -->\n</Response>\n"


#: Suppression comments to scatter through a document; with only OZ201 and OZ901 selected,
#: those naming OZ201 are unused but where a ForwardCall lacks its Destination.
_SCATTERED = st.sampled_from(
    [
        "<!-- ozml: noqa -->",
        "<!-- ozml: noqa OZ201 -->",
        "<!-- ozml: noqa OZ201, OZ303 -->",
        "<!-- ozml: noqa OZ303 OZ201 note -->",
    ]
)


def _open_offsets(text: str) -> list[int]:
    """The offsets where a comment may be inserted and the text stay XML: outside tags,
    comments, CDATA sections, processing instructions and references, after the XML
    declaration, and not between a carriage return and its line feed (which would then be
    two line breaks, comment or no comment)."""
    source = parse(text).source
    closed = [(tag.start, tag.end) for tag in source.tags]
    closed += [(t.close_start, t.close_end) for t in source.tags if t.close_start is not None]
    pattern = r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|&[^;]*;|\r\n"
    closed += [(m.start(), m.end()) for m in re.finditer(pattern, text, re.S)]
    inside = {offset for start, end in closed for offset in range(start + 1, end)}
    first = text.index("?>") + 2 if text.startswith("<?xml") else 0
    return [offset for offset in range(first, len(text) + 1) if offset not in inside]


def _read(text: str) -> list[object]:
    """What the parser reads of a document, comments aside: each element's name,
    attributes and content, its neighbouring texts joined."""
    result = parse(text)
    assert result.ok, text
    document = result.document
    assert document.root is not None

    def walk(node: Node) -> object:
        if not isinstance(node, Element):
            return node
        content: list[object] = []
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, Text) and content and isinstance(content[-1], str):
                content[-1] += child.value
            else:
                content.append(child.value if isinstance(child, Text) else walk(child))
        return (node.tag, node.attributes, content)

    around = (*document.prolog, document.root, *document.epilog)
    return [walk(node) for node in around if not isinstance(node, Comment)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.data())
def test_removing_unused_suppressions_never_changes_what_the_document_says(
    document: Document, data: st.DataObject
) -> None:
    text = data.draw(untidy(document))
    places = data.draw(st.lists(st.sampled_from(_open_offsets(text)), min_size=1, max_size=6))
    pieces, last = [], 0
    for offset in sorted(places):
        pieces += [text[last:offset], data.draw(_SCATTERED)]
        last = offset
    scattered = "".join([*pieces, text[last:]])
    assume(parse(scattered).ok)
    fixed = fix_source(scattered, settings=LintSettings(select=["OZ201", "OZ901"]))
    assert _read(fixed.text) == _read(scattered)


# --- writing suppressions -------------------------------------------------------------------------


def _strip(node: Node) -> Node:
    if not isinstance(node, Element):
        return node
    kept = tuple(_strip(c) for c in node.children if not isinstance(c, Comment))
    return attrs.evolve(node, children=kept)


def _same_document(before: str, after: str) -> None:
    one, two = parse(before).document, parse(after).document
    assert one.root is not None
    assert two.root is not None
    assert _strip(one.root) == _strip(two.root)
    assert [m for m in one.prolog if not isinstance(m, Comment)] == [
        m for m in two.prolog if not isinstance(m, Comment)
    ]


def _add(doc: str) -> noqa.Added:
    result = parse(doc)
    found: list[Diagnostic] = lint(doc)
    return noqa.add(result.source, directives_module.scan(result.source), found)


def test_add_puts_a_trailing_comment_after_the_element() -> None:
    doc = "<Response>\n  <ForwardCall/>\n  <speak>Hi</speak>\n</Response>\n"
    added = _add(doc)
    assert added.text == (
        "<Response>\n"
        "  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n"
        "  <speak>Hi</speak> <!-- ozml: noqa OZ303 -->\n"
        "</Response>\n"
    )
    assert (added.suppressed, added.unplaced) == (2, ())
    assert lint(added.text) == []


def test_add_covers_a_multi_line_element_from_its_last_line() -> None:
    doc = "<Response>\n    <Delay>\n      soon\n    </Delay>\n</Response>\n"
    added = _add(doc)
    assert added.text == (
        "<Response>\n"
        "    <Delay>\n"
        "      soon\n"
        "    </Delay> <!-- ozml: noqa OZ202 -->\n"
        "</Response>\n"
    )
    assert lint(added.text) == []


def test_add_goes_before_the_line_when_the_line_ends_inside_a_comment() -> None:
    doc = "<Response>\n  <speak>Hi</speak> <!-- a note\n    that goes on -->\n</Response>\n"
    added = _add(doc)
    assert added.text == (
        "<Response>\n"
        "  <!-- ozml: noqa OZ303 -->\n"
        "  <speak>Hi</speak> <!-- a note\n"
        "    that goes on -->\n"
        "</Response>\n"
    )
    assert lint(added.text) == []


def test_add_extends_an_existing_comment_on_the_line() -> None:
    doc = "<Response>\n  <forwardCall/> <!-- ozml: noqa OZ303 -->\n</Response>\n"
    # The OZ303 comment is used; OZ201 is still reported and gets added to it.
    added = _add(doc)
    assert added.text == (
        "<Response>\n  <forwardCall/> <!-- ozml: noqa OZ303,OZ201 -->\n</Response>\n"
    )
    assert lint(added.text) == []


def test_add_on_a_one_line_document_with_a_declaration() -> None:
    doc = '<?xml version="1.0"?> <Response> <ForwardCall></ForwardCall> </Response>'
    added = _add(doc)
    assert added.text == doc + " <!-- ozml: noqa OZ201 -->"
    assert lint(added.text) == []


def test_add_leaves_unused_noqa_findings_alone() -> None:
    doc = "<Response>\n  <Hangup/> <!-- ozml: noqa -->\n</Response>\n"
    added = _add(doc)
    assert added.text == doc
    assert added.suppressed == 0


_SNIPPETS = [
    "<ForwardCall/>",
    "<speak>Hi</speak>",
    '<Play Repeat="yes">a.wav</Play>',
    "<Play\n    Repeat='yes'\n    Party='x'>a.wav</Play>",
    "<Var Id='v'>\n  $nope\n</Var>",
    "<Delay>\n    later\n  </Delay>",
    "<Speek>x</Speek>",
    "<Hangup/>",
    "<UserInput><Inputs><Input Key='1'><Hangup/></Input>\n<Input Key='1'/></Inputs></UserInput>",
    "<!-- a plain comment -->",
    "<Call Url='htp://x'>1</Call>",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_SNIPPETS), min_size=1, max_size=6),
    st.booleans(),
    st.sampled_from(["\n", "\r\n"]),
)
def test_add_suppresses_everything_and_changes_nothing_else(
    parts: list[str], declaration: bool, newline: str
) -> None:
    body = newline.join("  " + part.replace("\n", newline) for part in parts)
    head = '<?xml version="1.0"?>' + newline if declaration else ""
    doc = f"{head}<Response>{newline}{body}{newline}</Response>{newline}"
    added = _add(doc)
    assert added.unplaced == ()
    assert [d for d in lint(added.text) if d.code not in noqa.UNSUPPRESSIBLE] == []
    _same_document(doc, added.text)
    # Running it again finds nothing more to do.
    assert _add(added.text).text == added.text
