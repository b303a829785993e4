"""Property tests of the parser and the source positions.

Arbitrary bytes and XML-ish text never crash `parse` or `lint`, and every finding has a position
of line and column 1 or more. For well-formed documents generated from a grammar (elements,
attributes with either quote, entity and character references, comments, CDATA, processing
instructions, an XML declaration, exotic but legal names), every element's span is its name in
the text, every attribute's span is its name (and its value span is the text between its
quotes), and the line agrees with lxml's ``sourceline``.
"""

from __future__ import annotations

import random
import re
from unittest.mock import patch

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from ozml import positions, rawbytes
from ozml.diagnostics import Diagnostic
from ozml.lint import lint
from ozml.nodes import Element
from ozml.parser import parse
from ozml.positions import Source

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def assert_positions(found: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
    for finding in found:
        span = finding.span
        assert span.line >= 1, finding
        assert span.column >= 1, finding
        assert (span.end_line, span.end_column) >= (span.line, span.column), finding
        assert span.end >= span.start >= 0, finding


def exercise(data: bytes | str) -> None:
    """Parse and lint `data`; nothing may raise and every finding must have a position."""
    result = parse(data)
    assert_positions(result.problems)
    if result.document.root is None:
        assert result.problems, "a document without a root needs a finding"
        assert {p.code for p in result.problems} <= {"OZ001", "OZ002", "OZ003"}
    found = lint(data)
    assert_positions(found)
    for finding in found:
        assert finding.code.startswith("OZ")
        assert finding.message


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    exercise(data)


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes_after_an_xml_start_never_crash(tail: bytes) -> None:
    exercise(b'<?xml version="1.0" encoding="UTF-8"?>\n<Response>' + tail)


# --- a grammar of XML-ish text ----------------------------------------------------------------

#: Name characters, including letters outside ASCII and U+1680 (OGHAM SPACE MARK: a letter to
#: XML but white space to Python's ``str.isspace``).
NAME_START = "abcSpeakRXYZ_éß中Ωက\u1680"
NAME_CHAR = NAME_START + "0189-."
TEXT_CHARS = "ab z09 \n\t$>]'\"\u00a0é中😀"
VALUE_CHARS = "ab z09 \n\t$>]/=é中😀"
REFERENCES = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#65;", "&#x263A;", "&#10;"]
SPACE = st.sampled_from([" ", "  ", "\n", "\t", "\r\n", " \n  "])
OPT_SPACE = st.sampled_from(["", "", " ", "\n", "\t "])


@attrs.define
class Expected:
    """What the generator wrote for one element: its name and raw attribute values."""

    name: str
    attributes: list[tuple[str, str]]


@st.composite
def names(draw: st.DrawFn, prefixes: tuple[str, ...] = ()) -> str:
    first = draw(st.sampled_from(NAME_START))
    rest = draw(st.text(alphabet=NAME_CHAR, max_size=6)).replace(":", "")
    prefix = draw(st.sampled_from(["", *(f"{p}:" for p in prefixes)]))
    return prefix + first + rest


@st.composite
def raw_values(draw: st.DrawFn, quote: str) -> str:
    parts = draw(
        st.lists(
            st.one_of(st.text(alphabet=VALUE_CHARS, max_size=6), st.sampled_from(REFERENCES)),
            max_size=4,
        )
    )
    return "".join(parts).replace(quote, "")


@st.composite
def texts(draw: st.DrawFn) -> str:
    text = "".join(
        draw(
            st.lists(
                st.one_of(st.text(alphabet=TEXT_CHARS, max_size=8), st.sampled_from(REFERENCES)),
                max_size=3,
            )
        )
    )
    return text.replace("]]>", "]] >")


@st.composite
def misc(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["comment", "pi", "cdata"]))
    body = draw(st.text(alphabet="ab <>&]?-/\n中", max_size=10))
    if kind == "comment":
        body = body.replace("-", "")
        return f"<!--{body}-->"
    if kind == "pi":
        return f"<?php {body.replace('?>', '')}?>"
    return f"<![CDATA[{body.replace(']]>', '')}]]>"


@st.composite
def element(
    draw: st.DrawFn, depth: int, out: list[Expected], prefixes: tuple[str, ...] = ()
) -> str:
    """One well-formed element; its description is appended to `out` in document order.

    The root declares `prefixes` (each bound to its own namespace) for the names below it.
    """
    name = draw(names(prefixes))
    attr_names = draw(st.lists(names(prefixes), max_size=3, unique=True))
    expected = Expected(name, [])
    out.append(expected)
    start = f"<{name}"
    if depth == 0:
        for prefix in prefixes:
            declaration = f"xmlns:{prefix}"
            start += f' {declaration}="urn:ozml-test:{prefix}"'
            expected.attributes.append((declaration, f"urn:ozml-test:{prefix}"))
    for attr in attr_names:
        quote = draw(st.sampled_from(['"', "'"]))
        value = draw(raw_values(quote))
        expected.attributes.append((attr, value))
        start += f"{draw(SPACE)}{attr}{draw(OPT_SPACE)}={draw(OPT_SPACE)}{quote}{value}{quote}"
    start += draw(OPT_SPACE)
    if depth >= 4 or draw(st.integers(0, 3)) == 0:
        return start + "/>"
    content = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "misc", "element", "element"]))
        if kind == "text":
            content.append(draw(texts()))
        elif kind == "misc":
            content.append(draw(misc()))
        else:
            content.append(draw(element(depth + 1, out, prefixes)))
    return f"{start}>{''.join(content)}</{name}{draw(OPT_SPACE)}>"


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[Expected]]:
    out: list[Expected] = []
    prolog = ""
    if draw(st.booleans()):
        prolog += '<?xml version="1.0" encoding="UTF-8"?>' + draw(OPT_SPACE)
    for _ in range(draw(st.integers(0, 2))):
        prolog += draw(st.sampled_from(["<!-- c -->", "<?php x?>", "\n"]))
    prefixes = draw(st.sampled_from([(), (), ("p",), ("p", "q")]))
    body = draw(element(0, out, prefixes))
    epilog = draw(st.sampled_from(["", "\n", "<!-- end -->\n"]))
    return prolog + body + epilog, out


@st.composite
def xmlish(draw: st.DrawFn) -> str:
    """A generated document, then damaged: truncated, spliced, or with markup thrown in."""
    text, _ = draw(documents())
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["truncate", "insert", "delete"]))
        cut = draw(st.integers(0, len(text)))
        if action == "truncate":
            text = text[:cut]
        elif action == "insert":
            junk = draw(
                st.sampled_from(
                    [
                        "<",
                        ">",
                        "&",
                        "&bogus;",
                        "<!DOCTYPE x>",
                        "]]>",
                        "<!--",
                        "<?",
                        "\x00",
                        '"',
                        "</a>",
                    ]
                )
            )
            text = text[:cut] + junk + text[cut:]
        else:
            text = text[:cut] + text[cut + draw(st.integers(1, 5)) :]
    return text


@SETTINGS
@given(xmlish())
def test_damaged_xml_never_crashes(text: str) -> None:
    exercise(text)
    exercise(text.encode("utf-8"))


# --- positions of well-formed documents -------------------------------------------------------


def _elements(root: Element) -> list[Element]:
    return list(root.iter())


@SETTINGS
@given(documents())
def test_spans_point_at_names_and_values(doc: tuple[str, list[Expected]]) -> None:
    text, expected = doc
    tree = etree.fromstring(text.encode("utf-8"))  # the grammar makes well-formed XML only
    lines = [el.sourceline for el in tree.iter() if isinstance(el.tag, str)]
    for data in (text, text.encode("utf-8")):
        result = parse(data)
        assert result.document.root is not None, result.problems
        source = result.source
        elements = _elements(result.document.root)
        assert [el.tag for el in elements] == [e.name for e in expected]
        for el, wanted, line in zip(elements, expected, lines, strict=True):
            span = source.element_span(el)
            assert source.text[span.start : span.end] == el.tag
            assert (span.line, span.column) == source.position(span.start)
            # lxml's sourceline is the line where the start tag ends.
            info = source.tag(el)
            assert info is not None
            assert source.position(info.end - 1)[0] == el.line == line
            for name, raw in wanted.attributes:
                name_span = source.attribute_span(el, name)
                assert source.text[name_span.start : name_span.end] == name
                value_span = source.attribute_span(el, name, value=True)
                assert source.text[value_span.start : value_span.end] == raw
            whole = source.whole_span(el)
            assert source.text[whole.start : whole.end].startswith(f"<{el.tag}")
            assert source.text[whole.end - 1] == ">"


def _shuffled_elements(text: str, rng: random.Random) -> list[Element]:
    """The elements of a well-formed `text`, in an order `rng` chooses."""
    result = parse(text)
    assert result.document.root is not None, result.problems
    elements = _elements(result.document.root)
    rng.shuffle(elements)
    return elements


def _assert_same_tags(source: Source, whole: Source, elements: list[Element]) -> None:
    """Each element's tag, asked of `source` in the order of `elements`, is the one `whole`
    gives it, attributes and end tag included."""
    for el in elements:
        found, expected = source.tag(el), whole.tag(el)
        assert found is not None
        assert expected is not None
        assert found.attributes == expected.attributes
        assert found == expected


@SETTINGS
@given(documents(), st.randoms(use_true_random=False))
def test_tags_asked_in_any_order_are_those_of_a_whole_scan(
    doc: tuple[str, list[Expected]], rng: random.Random
) -> None:
    """The text is scanned only as far as a position needs (`Source.tag`): whatever order
    elements are asked in, each gets the tag a scan of the whole text gives it."""
    text, _ = doc
    elements = _shuffled_elements(text, rng)
    whole = Source(text)
    assert len(whole.tags) == len(elements)
    _assert_same_tags(Source(text), whole, elements)
    # What the formatter asks of every element, without a TagInfo: the same places.
    quick = Source(text)
    for el in elements:
        tag = whole.tag(el)
        assert tag is not None
        assert quick.extent(el) == (tag.start, tag.end, tag.close_end or tag.end)


@SETTINGS
@given(documents(), st.randoms(use_true_random=False), st.integers(1, 3))
def test_tags_counted_to_are_those_of_a_whole_scan(
    doc: tuple[str, list[Expected]], rng: random.Random, stride: int
) -> None:
    """A tag far past what the scan has read is found by counting start tags (`Source._jump`)
    when the text holds no comment, CDATA, processing instruction or DOCTYPE: here every tag
    is far (`_NEAR` 0), the notes close together (`_STRIDE`), every end tag near enough
    (`_WITHIN`), and each tag found, its attributes and its end tag included, is the one a
    scan of the whole text gives."""
    text, _ = doc
    elements = _shuffled_elements(text, rng)
    plain = not re.search(r"<!|<\?(?!xml\s)", text)
    with (
        patch.object(positions, "_NEAR", 0),
        patch.object(positions, "_STRIDE", stride),
        patch.object(positions, "_WITHIN", len(text)),
    ):
        counted = Source(text)
        _assert_same_tags(counted, Source(text), elements)
    # Counted only where every `<` begins a tag; a scan otherwise.
    assert counted._plain() is plain
    assert (len(counted._starts) == 0) is plain
    # The same verdict read from the document's bytes (`positions._ascii_markup`), with a
    # byte order mark or without, and in a large document, whose bytes `holds` screens.
    pad = " " * rawbytes.SCREEN_FROM
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode(), (text + pad).encode()):
        assert Source(data)._plain() is plain


@SETTINGS
@given(documents(), st.randoms(use_true_random=False), st.integers(0, 3))
def test_an_element_whose_end_tag_is_far_is_left_to_the_scan(
    doc: tuple[str, list[Expected]], rng: random.Random, within: int
) -> None:
    """An element whose end tag is more than `_WITHIN` tokens past its start tag is not
    counted to but scanned to (its content is read once, for every element in it): the tags
    are the same either way."""
    text, _ = doc
    elements = _shuffled_elements(text, rng)
    with patch.object(positions, "_NEAR", 0), patch.object(positions, "_WITHIN", within):
        _assert_same_tags(Source(text), Source(text), elements)


def test_nested_elements_far_down_a_text_are_read_once() -> None:
    """Elements nested around a long content, each asked for: the first is left to the scan,
    which then holds them all, instead of each reading the content again."""
    text = "<r>" + "<b/>" * 300 + "<a>" * 50 + "<c/>" * 1000 + "</a>" * 50 + "</r>"
    result = parse(text)
    assert result.document.root is not None
    nested = [el for el in result.document.root.iter() if el.tag == "a"]
    source, whole = Source(text), Source(text)
    for el in nested:
        assert source.tag(el) == whole.tags[el.index]
    assert len(source._starts) > nested[-1].index  # the scan read them all


@given(st.text(st.sampled_from("ab\n\r\u2028"), max_size=40))
def test_line_starts_follow_every_line_end(text: str) -> None:
    """A line ends at \\n, \\r\\n or \\r (never at other Unicode line separators), with
    or without carriage returns in the text (two ways of working the starts out)."""
    expected = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    source = Source(text)
    assert [source.offset(line, 1) for line in range(1, len(expected) + 1)] == expected
    assert source.position(len(text))[0] == len(expected)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(0, 3 * positions._PIECE), max_size=6),
    st.integers(0, 2 * positions._PIECE),
)
def test_line_starts_of_a_long_text_split_piece_by_piece(ends: list[int], size: int) -> None:
    """A text longer than the piece the starts are worked out by: line ends anywhere, on
    either side of a piece's edge or at it, give the starts of one look at the whole text."""
    size = max([size, *(end + 1 for end in ends)])
    chars = ["a"] * size
    for end in ends:
        chars[end] = "\n"
    text = "".join(chars)
    expected = [0] + [m.end() for m in re.finditer("\n", text)]
    source = Source(text)
    assert [source.offset(line, 1) for line in range(1, len(expected) + 1)] == expected
    assert source.position(len(text))[0] == len(expected)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2 * positions._PIECE), st.sampled_from(["\n", "\r", "\r\n"])),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 2 * positions._PIECE),
)
def test_line_starts_of_a_long_text_with_carriage_returns(
    ends: list[tuple[int, str]], size: int
) -> None:
    """A long text with carriage returns (its starts kept as machine integers, as those of
    every long text) gives the starts of one look at the whole text."""
    size = max([size, *(end + 1 for end, _ in ends), positions._PIECE + 1])
    chars = ["a"] * size
    for end, mark in ends:
        chars[end] = mark
    text = "".join(chars)
    expected = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    source = Source(text)
    assert [source.offset(line, 1) for line in range(1, len(expected) + 1)] == expected
    assert source.position(len(text))[0] == len(expected)
    assert source.line_text(len(expected)) == text[expected[-1] :].rstrip("\r\n")


#: One question asked of a `Source`: what, and of which offset, or line and column.
QUESTIONS = st.tuples(
    st.sampled_from(["position", "offset", "line_range", "line_text"]),
    st.integers(-2, 70),
    st.integers(-1, 9),
)


@given(
    st.text(st.sampled_from("ab\n\r"), max_size=60),
    st.lists(QUESTIONS, max_size=30),
    st.integers(1, 8),
    st.integers(1, 6),
)
def test_counted_positions_are_those_of_the_line_table(
    text: str, questions: list[tuple[str, int, int]], budget: int, kept: int
) -> None:
    """A long text's first positions are counted, not looked up (`Source._counted`): any
    questions in any order, whatever the counting's budget and however many positions it
    keeps, get the answers of the table of line starts; and the table is made only when the
    counting cannot answer (a carriage return, an offset outside the text, the budget spent;
    `test_a_finding_deep_in_a_long_text_is_placed_without_the_table_of_lines`)."""
    table = Source(text)
    assert table._line_starts  # made first: every answer from it
    with (
        patch.object(positions, "_COUNT_FROM", 0),
        patch.object(positions, "_COUNT_BUDGET", budget),
        patch.object(positions, "_ANCHORS_KEPT", kept),
    ):
        counted = Source(text)
        for what, number, column in questions:
            if what == "position":
                number = min(number, len(text) + 2)
                assert counted.position(number) == table.position(number), (what, number)
            elif what == "offset":
                assert counted.offset(number, column) == table.offset(number, column)
            else:
                assert getattr(counted, what)(number) == getattr(table, what)(number), what


def test_a_long_line_asked_for_again_and_again_soon_has_the_table() -> None:
    """Each line a count found is read to its end when asked for (`Source.line_range`):
    that reading is paid from the counting's budget too, so that asking for one long line
    over and over (findings at one place, each with its excerpt) reads it a bounded number
    of times before the table answers."""
    text = "<Response>" + "<Speak>x</Speak>" * 10_000 + "</Response>"  # one line
    source = Source(text)
    assert source.position(len(text) // 2) == (1, len(text) // 2 + 1)
    for _ in range(positions._COUNT_BUDGET + 2):
        assert source.line_text(1) == text
    assert "_line_starts" in source.__dict__
    assert source.line_range(1) == (0, len(text))


def test_a_finding_deep_in_a_long_text_is_placed_without_the_table_of_lines() -> None:
    """One finding half-way down a long text, and its line shown (`excerpt_lines` asks for
    the last line too): counted, the table never made."""
    lines = [f"  <Speak>line {n}</Speak>" for n in range(20_000)]
    text = "<Response>\n" + "\n".join(lines) + "\n</Response>\n"
    source = Source(text)
    middle = text.index("line 10000")
    assert source.position(middle) == (10_002, 10)
    assert source.position(len(text))[0] == 20_003
    assert source.line_text(10_002) == "  <Speak>line 10000</Speak>"
    assert source.offset(10_002, 10) == middle
    assert "_line_starts" not in source.__dict__
    assert source.line_text(5) == "  <Speak>line 3</Speak>"  # a line no count found: the table
    assert "_line_starts" in source.__dict__


@SETTINGS
@given(documents(), st.sampled_from(["utf-16", "utf-8-sig"]))
def test_positions_hold_in_other_encodings(doc: tuple[str, list[Expected]], codec: str) -> None:
    text, _ = doc
    assume(not text.startswith("<?xml"))  # a declaration would have to name the encoding
    result = parse(text.encode(codec))
    assert result.document.root is not None, result.problems
    for el in _elements(result.document.root):
        span = result.source.element_span(el)
        assert result.source.text[span.start : span.end] == el.tag
