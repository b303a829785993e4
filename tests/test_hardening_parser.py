"""Parser hardening: ``xml:`` attributes keep their prefixed name everywhere, a ``str`` is never
decoded a second time by its declaration, and one size limit."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ozml
import ozml.files
import ozml.parser
from ozml.fixes import fix_source
from ozml.formatter import format_text
from ozml.nodes import Attribute, Element, Text
from ozml.parser import parse
from ozml.writer import escape_text, write

XML_ATTRIBUTES = (
    '<Response xml:lang="en">\n'
    '  <Speak Language="hu-HU" xml:space="preserve" xml:lang="hu">Szia</Speak>\n'
    "</Response>\n"
)


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- one size limit -----------------------------------------------------------------------------


def test_one_definition_of_the_size_limit() -> None:
    assert ozml.parser.DEFAULT_MAX_BYTES is ozml.files.DEFAULT_MAX_BYTES


# --- xml: attributes ------------------------------------------------------------------------------


def test_xml_attributes_keep_their_prefixed_name_in_the_tree() -> None:
    root = parse(XML_ATTRIBUTES).document.root
    assert root is not None
    assert root.attributes == (Attribute("xml:lang", "en"),)
    speak = next(root.elements)
    assert [a.name for a in speak.attributes] == ["Language", "xml:space", "xml:lang"]


def test_xml_attributes_without_any_namespace_declaration_in_scope() -> None:
    # No nsmap at all on the element: the name must still come out prefixed.
    root = parse('<Response><Hangup xml:lang="en"/></Response>').document.root
    assert root is not None
    assert next(root.elements).attributes == (Attribute("xml:lang", "en"),)


def test_xml_attributes_beside_other_namespaces() -> None:
    text = (
        '<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xml:lang="en"'
        ' xsi:noNamespaceSchemaLocation="ozml.xsd"><Hangup/></Response>'
    )
    root = parse(text).document.root
    assert root is not None
    assert [a.name for a in root.attributes] == [
        "xmlns:xsi",
        "xml:lang",
        "xsi:noNamespaceSchemaLocation",
    ]


def test_xml_attributes_round_trip_through_the_writer() -> None:
    document = parse(XML_ATTRIBUTES).document
    assert parse(write(document)).document == document


def test_xml_attributes_are_xml_level_attributes_for_the_linter() -> None:
    # docs/decisions.md: xml:lang and xml:space are legal on every element; the PBX is not
    # documented to read them, and OzML never says they are wrong.
    assert ozml.check(XML_ATTRIBUTES) == []


def test_names_in_the_xml_namespace_are_reported_as_written() -> None:
    found = ozml.check('<Response><Speak xml:base="x" Foo="1">Hi</Speak><xml:Hangup/></Response>')
    assert [d.message for d in found] == [
        "Speak has no parameter Foo",
        "unknown element xml:Hangup in Response; did you mean Hangup?",
    ]


def test_fmt_keeps_xml_attributes(tmp_path: Path) -> None:
    (tmp_path / "x.xml").write_text(XML_ATTRIBUTES, encoding="utf-8")
    (tmp_path / "y.xml").write_text("<Response><speak>Hi</speak></Response>", encoding="utf-8")
    done = run(tmp_path, "fmt", "x.xml", "y.xml")
    assert (done.returncode, done.stderr) == (0, "2 files reformatted, 0 files already formatted\n")
    formatted = (tmp_path / "x.xml").read_text(encoding="utf-8")
    assert formatted == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response xml:lang="en">\n'
        '  <Speak Language="hu-HU" xml:space="preserve" xml:lang="hu">Szia</Speak>\n'
        "</Response>\n"
    )


def test_check_names_xml_attributes_as_written(tmp_path: Path) -> None:
    (tmp_path / "x.xml").write_text(
        '<Response><Hangup xml:lang="en" Bogus="1"/></Response>', encoding="utf-8"
    )
    done = run(tmp_path, "check", "--no-cache", "--format", "concise", "x.xml")
    assert done.returncode == 1
    assert "{http" not in done.stdout
    assert done.stdout.splitlines()[0] == "x.xml:1:33: OZ103 Hangup has no parameter Bogus"


def test_fixes_keep_xml_attributes() -> None:
    fixed = fix_source('<Response><speak xml:lang="en" Party="All">Hi</speak></Response>')
    assert fixed.text == '<Response><Speak xml:lang="en" Party="all">Hi</Speak></Response>'


# --- str input and the declared encoding ----------------------------------------------------------

DECLARED = ["ISO-8859-1", "windows-1252", "UTF-16", "utf-16le", "latin-1", "no-such-encoding"]


def _declared(encoding: str, quote: str = '"') -> str:
    return (
        f"<?xml version={quote}1.0{quote} encoding={quote}{encoding}{quote}?>\n"
        "<Response>\n  <Speak>Grüße € 日本</Speak>\n  <Hangup Bogus='1'/>\n</Response>\n"
    )


@pytest.mark.parametrize("encoding", DECLARED)
def test_a_str_is_not_decoded_again_by_its_declaration(encoding: str) -> None:
    result = parse(_declared(encoding))
    assert result.problems == ()
    root = result.document.root
    assert root is not None
    assert next(root.elements).children == (Text("Grüße € 日本"),)
    # The document still says what it declared (the writer's business when it writes bytes).
    assert result.document.encoding == encoding


@pytest.mark.parametrize("encoding", DECLARED)
def test_check_on_a_str_with_a_declaration_has_exact_positions(encoding: str) -> None:
    found = ozml.check(_declared(encoding, quote="'"))
    assert [(d.code, d.line, d.column) for d in found] == [("OZ103", 4, 11)]


def test_a_str_with_a_byte_order_mark_and_a_declaration() -> None:
    result = parse("\ufeff" + _declared("ISO-8859-1"))
    assert result.problems == ()
    assert result.document.encoding == "ISO-8859-1"


def test_a_str_with_a_broken_declaration_is_still_reported() -> None:
    result = parse('<?xml version="1.0" encoding=?><Response/>')
    assert [d.code for d in result.problems] == ["OZ001"]


def test_bytes_still_follow_their_declaration() -> None:
    data = _declared("ISO-8859-1").replace(" € 日本", "").encode("latin-1")
    root = parse(data).document.root
    assert root is not None
    assert next(root.elements).text == "Grüße"


@given(st.text(st.sampled_from("ab \u00e9\u0151\u20ac\U0001f600&<"), max_size=12))
def test_a_str_without_a_declaration_is_utf8_written(text: str) -> None:
    """lxml holds a str in ISO-8859-1, UTF-16 or UTF-32 by its widest character, and says so
    of its encoding: a str that declares none is UTF-8 written, and its fixed bytes
    (`fix_source(...).to_bytes()`) read back as the fixed text."""
    source = f"<Response><speak>{escape_text(text)}</speak></Response>"
    assert parse(source).document.encoding == "UTF-8"
    fixed = fix_source(source)
    assert fixed.to_bytes() == fixed.text.encode("utf-8")
    assert parse(fixed.to_bytes()).document == parse(fixed.text).document


def test_fixes_of_a_str_with_a_declaration_see_the_same_text() -> None:
    text = _declared("ISO-8859-1").replace("<Speak>", "<speak>").replace("</Speak>", "</speak>")
    fixed = fix_source(text)
    assert fixed.text == _declared("ISO-8859-1")
    assert [d.code for d in fixed.remaining] == ["OZ103"]
    # As bytes, the fixed text says what it declares.
    assert parse(fixed.to_bytes()).document == parse(fixed.text).document


def test_formatting_a_str_with_a_declaration() -> None:
    formatted = format_text(_declared("windows-1252"))
    assert "<Speak>Grüße € 日本</Speak>" in formatted


def test_element_from_a_str_with_utf16_declaration_equals_the_built_tree() -> None:
    root = parse('<?xml version="1.0" encoding="UTF-16"?><Response><Speak>é</Speak></Response>')
    assert root.document.root == Element("Response", (), (Element("Speak", (), (Text("é"),)),))


@pytest.mark.parametrize("encoding", DECLARED)
def test_the_bytes_parse_reads_for_a_str_declare_no_other_encoding(encoding: str) -> None:
    from ozml.lint.quick import is_clean
    from ozml.parser import bytes_of

    text = _declared(encoding).replace("  <Hangup Bogus='1'/>\n", "")
    data = bytes_of(text)
    decoded = data.decode("utf-8")
    assert "encoding" not in decoded
    assert len(decoded) == len(text)  # every position where it was
    assert parse(data).document == parse(text).document
    assert ozml.check(text) == []
    assert is_clean(data)


@pytest.mark.parametrize("count", [1, 32, 33, 500])
def test_many_attributes_are_read_in_order_with_their_namespaces(count: int) -> None:
    # Above MANY_ATTRIBUTES the parser reads attributes through XPath (lxml's attrib.items()
    # is quadratic in their number); both ways give the same attributes in the same order.
    from lxml import etree

    from ozml.xmlparser import MANY_ATTRIBUTES, attribute_pairs

    names = [f'a{i}="v{i}&amp;{i}"' for i in range(count)]
    names.insert(count // 2, 'xml:lang="hu"')
    names.append('x:q="n"')
    text = f'<Response xmlns:x="urn:x"><Speak {" ".join(names)}>Hi</Speak></Response>'
    speak = etree.fromstring(text)[0]
    pairs = attribute_pairs(speak)
    assert pairs == [(str(k), str(v)) for k, v in speak.attrib.items()]
    assert len(pairs) == count + 2
    assert (len(pairs) > MANY_ATTRIBUTES) == (count + 2 > 32)
    result = parse(text.encode(), "many.xml")
    element = result.document.root.children[0]
    assert [a.name for a in element.attributes][-1] == "x:q"
    assert element.attributes[count // 2].name == "xml:lang"
    assert {a.name: a.value for a in element.attributes}["a0"] == "v0&0"


# --- line ends the XML parser counts differently -----------------------------------------------

_BREAKS = st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=5, max_size=5)


@given(_BREAKS, st.integers(0, 3), st.text(st.sampled_from("ab \r"), max_size=6))
def test_a_syntax_error_is_placed_on_ozml_s_lines_whatever_the_line_ends(
    breaks: list[str], broken: int, inside: str
) -> None:
    """The XML parser ends a line at a line feed only; ozml (and every editor) at a carriage
    return too. Its finding is where the mistake is, and the lines its message names are
    ozml's, whatever the line ends and carriage returns in the text."""
    lines = ["<Response>", *[f"  <Speak>{inside}</Speak>" for _ in range(4)], "</Response>"]
    lines[broken + 1] = "  <Speak>z</Speek>"
    text = "".join(line + end for line, end in zip(lines, [*breaks, ""], strict=True))
    found = parse(text.encode()).problems
    assert found[0].code == "OZ001"
    source = ozml.parser.Source(text)
    line = source.position(text.index("</Speek>"))[0]
    assert (found[0].line, found[0].column) == (line, len("  <Speak>z</Speek>") + 1)
    named = re.search(r"Speak lines? (\d+)(?: to (\d+))? and Speek", found[0].message)
    assert named is not None, found[0].message
    first, last = int(named[1]), int(named[2] or named[1])
    if "\r" not in text.replace("\r\n", ""):
        assert first == last == line
    else:  # the parser's line of the tag may be several of ozml's: they are named
        assert first <= line <= last
        assert (first, last) == source.parser_lines(text[: text.index("<Speak>z")].count("\n") + 1)
