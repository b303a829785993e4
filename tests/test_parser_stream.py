"""A large plain document is read piece by piece (`ozml.parser._read_through`), and so is its
tree built when asked for (`ozml.treebuilder.stream`) and the linter's records of it
(`ozml.resolve.resolve_lxml`): lxml never holds its whole tree. The result must be the one the
whole parse gives: the same tree, numbers and lines, the same prolog and epilog, encoding and
declaration, the records of that tree, and for a document lxml refuses, the same findings (the
whole parse makes them).

The tests lower `STREAM_FROM` to 0 and `STREAM_PIECE` to a few bytes, so that every generated
document is streamed and every boundary between pieces falls somewhere in the middle of a tag,
a text, a comment or the XML declaration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from strategies import documents as trees
from strategies import untidy
from test_parser_properties import documents as grammar
from test_parser_properties import xmlish
from test_records_from_lxml import described

from ozml import parser, xmlparser
from ozml import resolve as resolve_module
from ozml.heap import give_back
from ozml.lint import lint, quick
from ozml.lint.linter import lint_result
from ozml.nodes import Document, Element
from ozml.parser import ParseResult, parse
from ozml.resolve import Resolved, resolve, resolve_lxml
from ozml.xmlparser import LARGE

REPO = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_NEVER = 1 << 62


def numbered(root: Element | None) -> list[tuple[str, int, int]]:
    return [] if root is None else [(e.tag, e.index, e.line) for e in root.iter()]


def spied(patch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each parse from now on (under `patch`) was streamed, in order."""
    streamed: list[bool] = []
    read = parser._read_through

    def spy(data: bytes, take: object = None) -> object:
        found = read(data, take)  # type: ignore[arg-type]
        streamed.append(found is not None)
        return found

    patch.setattr(parser, "_read_through", spy)
    return streamed


def both_ways(data: bytes, piece: int) -> tuple[ParseResult, ParseResult, bool]:
    """(the streamed parse, the whole parse, whether the first was streamed). The records of
    the first (read again piece by piece) are the records of the whole parse's tree, and its
    tree, built piece by piece when asked for, is their elements'. A parse that makes the
    records as it reads (`records`) gives the same result, and those same records, once."""
    records: list[Resolved] | None = None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser, "STREAM_PIECE", piece)
        patch.setattr(parser, "STREAM_FROM", 0)
        streamed = spied(patch)
        first = parse(data, "x.xml")
        reading = parse(data, "x.xml", records=True)
        kept = reading.take_records()
        if first.streamed is not None:
            records = resolve_lxml(first)
            assert records is not None
            assert not first.built
            assert kept is not None
            assert reading.take_records() is None  # handed out once
            assert described(kept) == described(records)
            assert not reading.built  # reading them built nothing
            built_too = reading.document.root
            assert built_too is not None
            assert all(r.element is e for r, e in zip(kept, built_too.iter(), strict=True))
        else:
            assert kept is None
        first.document  # noqa: B018  # built here, from pieces of `piece` bytes
        assert (reading.document, reading.problems) == (first.document, first.problems)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser, "STREAM_FROM", _NEVER)
        whole = parse(data, "x.xml")
    if records is not None:
        root = whole.document.root
        assert root is not None
        assert described(records) == described(resolve(root))
        built = first.document.root
        assert built is not None
        assert all(r.element is e for r, e in zip(records, built.iter(), strict=True))
    return first, whole, bool(streamed and streamed[0])


def assert_same(first: ParseResult, whole: ParseResult) -> None:
    a, b = first.document, whole.document
    assert a == b
    assert numbered(a.root) == numbered(b.root)
    assert (a.encoding, a.declaration, a.doctype) == (b.encoding, b.declaration, b.doctype)
    assert first.problems == whole.problems
    assert first.source.text == whole.source.text


def agree(text: str | bytes, piece: int) -> bool:
    """Asserts both ways agree on `text`; whether it was streamed."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    first, whole, streamed = both_ways(data, piece)
    assert_same(first, whole)
    if streamed:
        assert whole.document.root is not None  # only what lxml reads is streamed
    return streamed


@SETTINGS
@given(grammar(), st.integers(1, 64))
def test_a_streamed_document_is_the_whole_parse_from_the_grammar(
    doc: tuple[str, list[object]], piece: int
) -> None:
    agree(doc[0], piece)


@SETTINGS
@given(trees(), st.data(), st.integers(1, 64))
def test_a_streamed_document_is_the_whole_parse_from_untidy_documents(
    document: Document, data: st.DataObject, piece: int
) -> None:
    agree(data.draw(untidy(document)), piece)


@SETTINGS
@given(xmlish(), st.integers(1, 64))
def test_a_damaged_document_gets_the_findings_of_the_whole_parse(text: str, piece: int) -> None:
    agree(text, piece)


def _mixed_roots() -> Iterator[str]:
    """Roots whose own content is mixed (text beside commands), with and without white space
    between the nodes, and with comments and processing instructions around and inside."""
    yield "<Response>Hello <Speak>a</Speak> world</Response>"
    yield "<Response>Hi<Speak>a</Speak>\n  <!-- c -->\n  <Hangup/>there</Response>"
    yield "<Response>\n  <Speak>a</Speak>\n  <?php x ?>\n</Response>"
    yield "<!-- before --><?pi x?>\n<Response> <Speak>a</Speak>tail <Hangup/> </Response>\n<!--a-->"
    yield '<?xml version="1.0" encoding="ISO-8859-1"?>\n<Response>caf\xe9<Speak/></Response>'
    yield "\ufeff<Response><Speak>a</Speak></Response>"
    yield "<Response/>"
    yield "<Response>only text</Response>"
    yield "<Response><Speak>a</Speak><Speak>b</Speak></Response>"
    # White space alone between texts, the same repeated and changing, before the first text
    # and after the last: kept between texts, stripped around them.
    yield (
        "<Response>\n  <Hangup/>\n  <Hangup/>a<Hangup/>\n  <Hangup/>\n  <Hangup/>\n\t<Hangup/>b\n"
        "</Response>"
    )
    yield "<Response>x<Hangup/> <Hangup/> <Hangup/>\ty <Hangup/>\n  <Hangup/>\n  </Response>"


@pytest.mark.parametrize("piece", [1, 2, 3, 5, 8, 64, 1 << 16])
@pytest.mark.parametrize("text", list(_mixed_roots()))
def test_mixed_content_and_misc_at_the_top_level(text: str, piece: int) -> None:
    data = text.encode("iso-8859-1") if "ISO-8859-1" in text else text.encode("utf-8")
    assert agree(data, piece)


@pytest.mark.parametrize(
    "data",
    [
        b"<Response>" + b"<a>" * 255 + b"</a>" * 255 + b"</Response>",
        b"<Response>" + b"<a>" * 257 + b"</a>" * 257 + b"</Response>",  # too deep
        b"<Response><Speak/><Speak/></Response>trailing",
        b"<Response><Speak/></Response><Response/>",  # two roots
        b"<Response><Speak/><Speak/>",  # never closed
        b'<?xml version="1.0" encoding="nope"?><Response><Speak/></Response>',
        b"<Response><Speak>&nope;</Speak><Speak/></Response>",  # an undefined entity
        b"<Response><Speak>&amp;&#65;&lt;</Speak><Speak>" + b"a" * 5000 + b"</Speak></Response>",
        b"",
        b"   ",
        b"<!-- only a comment -->",
    ],
)
def test_what_lxml_refuses_or_limits_streams_as_the_whole_parse(data: bytes) -> None:
    for piece in (1, 7, 1 << 16):
        agree(data, piece)


def test_the_shipped_examples_stream_alike() -> None:
    streamed = [
        path
        for path in sorted((REPO / "examples").rglob("*.xml"))
        if agree(path.read_bytes(), 97)
    ]
    assert len(streamed) > 20


def test_what_is_not_plain_is_parsed_whole() -> None:
    """Templates, CDATA, namespaces, a DTD, str input and an earlier version (the language
    server's) all take the whole parse, whatever their size."""
    for text in (
        "<Response><Speak>{{ name }}</Speak></Response>",
        "<Response><Speak><![CDATA[a < b]]></Speak></Response>",
        '<Response xmlns:x="urn:x"><Speak x:a="1">Hi</Speak></Response>',
        "<!DOCTYPE Response><Response/>",
    ):
        assert not both_ways(text.encode(), 7)[2], text
    calls: list[object] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser, "STREAM_FROM", 0)
        patch.setattr(parser, "_read_through", lambda *args: calls.append(args))
        earlier = parse(b"<Response><Speak>a</Speak></Response>")
        parse("<Response><Speak>a</Speak></Response>")
        parse(b"<Response><Speak>b</Speak></Response>", previous=earlier)
    assert len(calls) == 1  # the first: bytes, no earlier version


def test_a_large_document_is_streamed_by_default() -> None:
    """From `LARGE` bytes on, with the real piece size, a plain document is streamed and its
    tree is the whole parse's; one with a mistake in the middle and a broken one too."""
    body = "".join(
        f'  <Speak Language="en-US">Line {i} &amp; more</Speak>\n  <!-- {i} -->\n'
        for i in range(LARGE // 60)
    )
    text = f'<?xml version="1.0"?>\n<Response>\n{body}  <ForwardCall/>\n{body}</Response>\n'
    data = text.encode()
    assert len(data) >= LARGE == parser.STREAM_FROM
    with pytest.MonkeyPatch.context() as patch:
        streamed = spied(patch)
        first = parse(data)
        broken = parse(data[: len(data) // 2] + b"<" + data[len(data) // 2 :])
    assert streamed == [True, False]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser, "STREAM_FROM", _NEVER)
        assert_same(first, parse(data))
        assert_same(broken, parse(data[: len(data) // 2] + b"<" + data[len(data) // 2 :]))
    assert broken.problems
    assert broken.problems[0].code == "OZ001"


def test_a_lint_reads_a_large_document_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`lint` (and `ozml check`) parse with `records`: a large plain document is read once,
    its records made as it is read, with the findings of a lint that reads it again for them."""
    body = "".join(f'  <Speak Language="en-US">Line {i}</Speak>\n' for i in range(LARGE // 40))
    data = f"<Response>\n{body}  <ForwardCall/>\n{body}</Response>\n".encode()
    assert len(data) >= LARGE
    reads: list[str] = []

    def counted(module: object) -> None:
        real = module.read_through  # type: ignore[attr-defined]

        def read(*args: object, **kwargs: object) -> object:
            reads.append(module.__name__)  # type: ignore[attr-defined]
            return real(*args, **kwargs)

        monkeypatch.setattr(module, "read_through", read)

    counted(parser)
    counted(resolve_module)
    once = lint(data)
    assert reads == ["ozml.parser"]
    reads.clear()
    twice = lint_result(parse(data))
    assert reads == ["ozml.parser", "ozml.resolve"]
    assert [d.code for d in once] == ["OZ201"]  # ForwardCall without its Destination
    assert once == twice


def test_the_quick_check_gives_back_a_large_trees_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    given_back: list[int] = []
    monkeypatch.setattr(quick, "give_back", lambda: given_back.append(1))
    quick.prove_by_schema(b"<Response><Hangup/></Response>")
    assert given_back == []
    large = b"<Response>" + b"<Hangup/>" * (LARGE // 9 + 1) + b"</Response>"
    quick.prove_by_schema(large)
    assert given_back == [1]


def test_reading_through_gives_back_memory_as_it_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    given_back: list[int] = []
    monkeypatch.setattr(xmlparser, "give_back", lambda: given_back.append(1))
    monkeypatch.setattr(xmlparser, "GIVE_BACK_EVERY", 4 * xmlparser.PIECE)
    data = b"<Response>" + b"<Hangup/>" * (14 * xmlparser.PIECE // 9) + b"</Response>"
    assert 14 * xmlparser.PIECE < len(data) < 15 * xmlparser.PIECE
    assert xmlparser.read_through(data) is not None
    # once each time four more pieces have been read: after the fifth, ninth and thirteenth
    assert given_back == [1, 1, 1]
    given_back.clear()
    assert xmlparser.read_through(b"<Response><Hangup/></Response>") is not None
    assert given_back == []


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<Response/>", "Response"),
        (
            b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- <Speak> -->\n<?pi <Speak>?>\n<Response a="">',
            "Response",
        ),
        (b'<p:Response xmlns:p="urn:x">', "Response"),
        (b"  \n<Response\n/>", "Response"),
        (b"<!DOCTYPE Speak><Response/>", None),  # not read: no element is taken for the root
        ("<Response/>".encode("utf-16"), None),
        (b"<R\xc3\xa9ponse/>", None),
        (b"<Response", None),
        (b"text<Response/>", None),
    ],
)
def test_the_root_is_named_from_what_may_come_before_it(data: bytes, name: str | None) -> None:
    assert xmlparser.root_name(data) == name


@pytest.mark.parametrize("piece", [1, 7, 64])
@pytest.mark.parametrize("text", [*_mixed_roots(), "<Response><Response/><Speak/></Response>"])
def test_reading_through_asks_only_for_the_root_and_falls_back(text: str, piece: int) -> None:
    """Reporting only the root's start tag, or every element (a document whose root is not
    the element `root_name` names is read again that way), takes the same nodes."""
    data = text.encode("iso-8859-1") if "ISO-8859-1" in text else text.encode("utf-8")

    real = xmlparser.pull_parser
    asked: list[str | None] = []

    def pull_parser(schema: etree.XMLSchema | None, name: str | None) -> etree.XMLPullParser:
        asked.append(name)
        return real(schema, name)

    def taken(name: str | None) -> list[list[str]]:
        pieces: list[list[str]] = []

        def take(root: etree._Element, count: int) -> None:
            nodes = [child for _, child in zip(range(count), root, strict=False)]
            pieces.append([etree.tostring(node, encoding="unicode") for node in nodes])

        asked.clear()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(xmlparser, "root_name", lambda _: name)
            patch.setattr(xmlparser, "pull_parser", pull_parser)
            root = xmlparser.read_through(data, piece=piece, take=take)
        assert root is not None
        return [[root.tag, str(root.sourceline)], *pieces]

    everything = taken(None)
    assert asked == [None]
    assert taken(xmlparser.root_name(data)) == everything
    assert asked == ["Response"]  # read once, the root alone reported
    assert taken("Speak") == everything  # misnamed: an element below the root is not taken
    assert taken("Hangup") == everything
    assert asked == ["Hangup", None]  # read again, every element reported


def test_giving_back_memory_works_or_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    give_back()
    give_back()  # looked up once, then called again
    import ozml.heap as heap

    monkeypatch.setattr(heap, "_looked", False)
    monkeypatch.setattr(heap, "_trim", None)
    import ctypes

    def missing(name: object) -> object:
        raise OSError("no C library here")

    monkeypatch.setattr(ctypes, "CDLL", missing)
    give_back()  # another C library: nothing to call, nothing raised
    assert heap._trim is None
