"""Parsing an edited document from the parse of its earlier version (`parse(previous=...)`, what
the language server does after every edit) gives exactly the result of parsing it afresh:
the same tree, element numbers and lines included, the same findings. The commands the edit
left as they were are taken from the earlier tree, which the tests below show happens. The same
holds of resolving the tree from the records of the earlier one (`resolve(previous=...)`)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import documents as trees
from strategies import untidy
from test_parser_properties import documents as grammar

from ozml.nodes import Document, Element
from ozml.parser import ParseResult, parse
from ozml.resolve import Resolved, resolve
from ozml.untouched import NOTHING, untouched
from ozml.writer import write

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: What an edit writes: text, line breaks, whole and partial markup, and what may turn the text
#: after it into something else (a comment, a processing instruction, CDATA, a namespace).
PIECES = [
    "x",
    " ",
    "\n",
    "\n  ",
    "<",
    ">",
    '"',
    "/",
    "<Hangup/>",
    "\n  <Speak>hi</Speak>\n",
    "</Speak>",
    "<!-- c -->",
    "<!--",
    "-->",
    "<?pi ",
    "?>",
    "<![CDATA[",
    "]]>",
    ' xmlns="urn:x"',
    ' xml:space="preserve"',
    "&amp;",
    "\r",
    "",
]

#: Pieces that keep a document well-formed when written right after a tag (most edits do).
WHOLE = [
    "x",
    "\n",
    "\n\n  ",
    "<Hangup/>",
    "\n  <Speak>hi</Speak>\n",
    "<!-- c -->",
    "<?pi x?>",
]

#: An edit: where (a share of the text), how many characters it replaces and what it writes;
#: or, with no length, a whole piece written after the tag nearest that place.
edits = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 12), st.sampled_from(PIECES))
    | st.tuples(st.floats(0, 1), st.none(), st.sampled_from(WHOLE)),
    min_size=1,
    max_size=10,
)


def numbered(root: Element | None) -> list[tuple[str, int, int]]:
    return [] if root is None else [(e.tag, e.index, e.line) for e in root.iter()]


def agree(text: str, previous: ParseResult) -> ParseResult:
    """Parses `text` from `previous` and afresh; asserts that both give the same result."""
    fresh = parse(text)
    again = parse(text, previous=previous)
    assert again.document == fresh.document
    assert numbered(again.document.root) == numbered(fresh.document.root)
    assert [(d, d.span.start, d.span.end) for d in again.problems] == [
        (d, d.span.start, d.span.end) for d in fresh.problems
    ]
    return again


def edited(text: str, where: float, length: int | None, piece: str) -> str:
    at = int(where * len(text))
    if length is None:
        at = text.find(">", at) + 1 or text.rfind(">") + 1
        length = 0
    return text[:at] + piece + text[at + min(length, len(text) - at) :]


def same_records(again: list[Resolved], fresh: list[Resolved]) -> None:
    """Asserts that two resolutions of one tree say the same of every element."""

    def described(records: list[Resolved]) -> list[tuple[object, ...]]:
        return [
            (
                id(r.element),
                None if r.parent is None else id(r.parent.element),
                r.depth,
                r.match,
                r.name,
                [(id(attr), match) for attr, match in r.attributes],
                r.text,
                r.has_text,
            )
            for r in records
        ]

    assert described(again) == described(fresh)
    parents = {id(r) for r in again}
    assert all(r.parent is None or id(r.parent) in parents for r in again)


def replay(text: str, changes: list[tuple[float, int | None, str]]) -> None:
    """Edits `text` one change after another, each parse starting from the last that read a
    document (as the language server does), and each resolution of its tree from the last."""
    base = parse(text)
    records = resolve(base.document.root) if base.document.root is not None else []
    for where, length, piece in changes:
        text = edited(text, where, length, piece)
        result = agree(text, base)
        root = result.document.root
        if root is not None:
            again = resolve(root, records)
            same_records(again, resolve(root))
            base, records = result, again


@SETTINGS
@given(grammar(), edits)
def test_a_parse_from_the_previous_one_is_a_fresh_parse_over_the_grammar(
    doc: tuple[str, list[object]], changes: list[tuple[float, int | None, str]]
) -> None:
    replay(doc[0], changes)


@SETTINGS
@given(trees(), st.data(), edits)
def test_a_parse_from_the_previous_one_is_a_fresh_parse_over_untidy_documents(
    document: Document, data: st.DataObject, changes: list[tuple[float, int | None, str]]
) -> None:
    replay(data.draw(untidy(document)), changes)


#: Commands of a script, as people write them: on a line, over several lines, two on a line.
COMMANDS = [
    '<Speak Language="en-US">Hello $who</Speak>',
    '<Var Id="who">caller</Var>',
    '<Play Repeat="true">a.wav</Play>',
    "<Hangup/>",
    "<!-- a comment -->",
    "<Speak>one</Speak> <Speak>two</Speak>",
    '<UserInput Timeout="10">\n    <Inputs>\n      <Input Key="1"><Hangup/></Input>\n'
    "    </Inputs>\n  </UserInput>",
    "<Speak>a text\nover two lines</Speak>",
]


@st.composite
def scripts(draw: st.DrawFn) -> str:
    commands = draw(st.lists(st.sampled_from(COMMANDS), min_size=2, max_size=14))
    gaps = draw(st.lists(st.sampled_from(["\n  ", "\n\n  ", " "]), min_size=len(commands)))
    body = "".join(gap + command for gap, command in zip(gaps, commands, strict=False))
    return f"<Response>{body}\n</Response>\n"


@SETTINGS
@given(scripts(), edits)
def test_a_parse_from_the_previous_one_is_a_fresh_parse_over_scripts(
    text: str, changes: list[tuple[float, int | None, str]]
) -> None:
    # Scripts written a command or so to a line: most edits leave most commands as they were.
    replay(text, changes)


@SETTINGS
@given(trees(), edits)
def test_a_parse_from_the_previous_one_is_a_fresh_parse_over_written_documents(
    document: Document, changes: list[tuple[float, int | None, str]]
) -> None:
    replay(write(document), changes)


SCRIPT = "\n".join(
    ["<Response>"]
    + [f'  <Speak Language="en-US">Line {i}</Speak>' for i in range(40)]
    + ["  <UserInput><Inputs><Input Key='1'><Hangup/></Input></Inputs></UserInput>", "</Response>"]
)


def kept(before: ParseResult, after: ParseResult) -> list[bool]:
    """For each top-level command of `after`, whether it is the very object of `before`."""
    old, new = before.document.root, after.document.root
    assert old is not None
    assert new is not None
    return [a is b for a, b in zip(old.elements, new.elements, strict=True)]


def test_typing_inside_a_line_keeps_every_other_command() -> None:
    before = parse(SCRIPT)
    after = agree(SCRIPT.replace("Line 20", "Line 200"), before)
    same = kept(before, after)
    # lxml gives each command's line, not its columns: the neighbours of the edited line count
    # as touched and are built again.
    assert [i for i, is_kept in enumerate(same) if not is_kept] == [19, 20, 21]


def test_a_new_line_keeps_the_commands_above_it_and_builds_those_below() -> None:
    before = parse(SCRIPT)
    after = agree(SCRIPT.replace("Line 20</Speak>", "Line 20</Speak>\n  <Hangup/>"), before)
    old, new = before.document.root, after.document.root
    assert old is not None
    assert new is not None
    kids = list(new.elements)
    assert all(kids[i] is k for i, k in enumerate(list(old.elements)[:20]))
    assert not any(k is o for k in kids[21:] for o in old.elements)


def test_an_edit_that_turns_commands_into_a_processing_instruction_is_seen() -> None:
    # Character data may hold "?>": opening a processing instruction above it swallows the
    # commands in between, though their text did not change.
    text = "<Response>\n<Speak>a</Speak>\n<Hangup/>\n<Hangup/>?>\n<Hangup/>\n</Response>"
    before = parse(text)
    after = agree(text.replace("<Speak>a</Speak>", "<Speak>a</Speak><?pi "), before)
    root = after.document.root
    assert root is not None
    assert [e.tag for e in root.elements] == ["Speak", "Hangup"]


def test_the_records_of_kept_commands_are_taken_with_the_new_root_as_parent() -> None:
    before = parse(SCRIPT)
    assert before.document.root is not None
    records = resolve(before.document.root)
    old = list(records)
    after = parse(SCRIPT.replace("Line 20", "Line 200"), previous=before)
    root = after.document.root
    assert root is not None
    again = resolve(root, records)
    same_records(again, resolve(root))
    taken = [i for i, r in enumerate(again) if r.depth == 1 and any(r is o for o in old)]
    assert len(taken) == len(list(root.elements)) - 3  # all but the edited line's three
    assert all(again[i].parent is again[0] for i in taken)


def test_documents_the_short_way_cannot_build_are_parsed_afresh() -> None:
    text = '<Response xml:space="preserve">\n<Speak> a </Speak>\n<Hangup/>\n</Response>'
    agree(text.replace(' xml:space="preserve"', ""), parse(text))
    agree(text.replace("<Hangup/>", "<![CDATA[ x ]]><Hangup/>"), parse(text))
    agree("<Response>\n<Hangup/>\n</Response>", parse("<Response><Hangup>"))


def test_untouched_counts_the_commands_before_and_after_an_edit() -> None:
    old = "<R>\n<A/>\n<B/>\n<C/>\n<D/>\n</R>"
    lines = [2, 3, 4, 5]
    # Lines only: B may end on C's line, and D may begin on it, so both count as touched.
    edit = untouched(old, old.replace("<C/>", "<C>x</C>"), lines)
    assert (edit.before, edit.after, edit.shift) == (1, 0, 0)
    # The two new line ends are placed where the texts first differ, the start of B's line.
    edit = untouched(old, old.replace("<A/>", "<A/>\n\n"), lines)
    assert (edit.before, edit.after, edit.shift) == (0, 1, 2)
    assert untouched(old, old, lines).before == 3
    assert untouched(old, old.replace("\n", "\r", 1), lines) is NOTHING
