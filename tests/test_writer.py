"""The canonical writer and the preserving edit helpers, pinned on exact text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml import writer as writer_module
from ozml.catalog import ALL, lookup_element, lookup_param
from ozml.diagnostics import Edit
from ozml.nodes import (
    Attribute,
    Comment,
    Document,
    Element,
    ProcessingInstruction,
    Text,
)
from ozml.parser import parse
from ozml.positions import Source
from ozml.writer import (
    DECLARATION,
    EditConflict,
    Layout,
    WriteError,
    apply_edits,
    attribute_order,
    cdata_section,
    check_name,
    check_text,
    encode_like,
    escape_attribute,
    escape_text,
    write,
)

LATIN2 = "<?xml version='1.0' encoding='ISO-8859-2'?>"


def doc(*children: Element | Text | Comment | ProcessingInstruction, **kw: object) -> Document:
    return Document(Element("Response", children=children), **kw)  # type: ignore[arg-type]


def test_canonical_layout_of_a_small_document() -> None:
    document = doc(
        Element("Speak", (Attribute("Party", "all"),), (Text("Hello"),)),
        Element(
            "UserInput",
            (),
            (Element("InitialCommands", (), (Element("Speak", (), (Text("Menu"),)),)),),
        ),
        Element("Hangup"),
    )
    assert write(document) == (
        f"{DECLARATION}\n"
        "<Response>\n"
        '  <Speak Party="all">Hello</Speak>\n'
        "  <UserInput>\n"
        "    <InitialCommands>\n"
        "      <Speak>Menu</Speak>\n"
        "    </InitialCommands>\n"
        "  </UserInput>\n"
        "  <Hangup/>\n"
        "</Response>\n"
    )


def test_empty_root_is_self_closed_and_declaration_can_be_left_out() -> None:
    assert write(doc(), declaration=False) == "<Response/>\n"


def test_element_fragment_has_no_declaration() -> None:
    assert write(Element("Delay", (), (Text("1"),))) == "<Delay>1</Delay>\n"


def test_text_escaping_always_escapes_gt_so_cdata_end_cannot_appear() -> None:
    assert escape_text("a & b < c > d ]]> e") == "a &amp; b &lt; c &gt; d ]]&gt; e"
    assert escape_text("line\r\nend") == "line&#13;\nend"


def test_attribute_escaping_keeps_quotes_and_white_space() -> None:
    assert escape_attribute("say \"hi\" & 'bye'") == "say &quot;hi&quot; &amp; 'bye'"
    assert escape_attribute("a\tb\nc\rd<>") == "a&#9;b&#10;c&#13;d&lt;&gt;"


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "a & b",
        "<tag>",
        "]]>",
        'q"uote',
        "it's",
        "tab\there",
        "two\nlines",
        "cr\rhere",
        "  spaced  ",
        "ünïcødé ☎",
        "\U0001f4de",
    ],
)
def test_values_read_back_exactly(value: str) -> None:
    element = Element("Var", (Attribute("Id", "x"), Attribute("Value", value)))
    document = doc(element, Element("Speak", (), (Text(value),)) if value.strip() else element)
    back = parse(write(document)).document
    assert back == document


def test_attribute_order_is_namespaces_then_catalog_then_written_unknowns() -> None:
    element = Element(
        "Call",
        (
            Attribute("zeta", "1"),
            Attribute("Url", "http://x/"),
            Attribute("xmlns:x", "urn:x"),
            Attribute("CallerId", "3000"),
            Attribute("alpha", "2"),
            Attribute("dialled", "102"),
        ),
    )
    assert [a.name for a in attribute_order(element)] == [
        "xmlns:x",
        "dialled",
        "CallerId",
        "Url",
        "zeta",
        "alpha",
    ]


def test_attribute_order_of_unknown_and_undocumented_elements_is_as_written() -> None:
    for tag in ("Mystery", "Beep"):
        element = Element(
            tag, (Attribute("b", "1"), Attribute("xmlns", "urn:y"), Attribute("a", "2"))
        )
        assert [a.name for a in attribute_order(element)] == ["xmlns", "b", "a"]


def test_two_spellings_of_one_parameter_keep_their_order() -> None:
    element = Element(
        "AttendedTransfer",
        (
            Attribute("TargetCallId", "t"),
            Attribute("TranferredCallId", "b"),
            Attribute("TransferredCallId", "a"),
        ),
    )
    names = [a.name for a in attribute_order(element)]
    assert names == ["TranferredCallId", "TransferredCallId", "TargetCallId"]


def test_mixed_content_stays_on_one_line_exactly() -> None:
    root = Element(
        "Response",
        (),
        (Text("\n  prose "), Element("Speak", (), (Text("x"),)), Comment(" c "), Text(" tail\n")),
    )
    text = write(Document(root))
    assert (
        text == f"{DECLARATION}\n<Response>\n  prose <Speak>x</Speak><!-- c --> tail\n</Response>\n"
    )
    assert parse(text).document.root == root


def test_comments_processing_instructions_and_cdata_survive() -> None:
    document = Document(
        Element(
            "Response",
            (),
            (
                Comment(" greeting "),
                Element("Speak", (), (Text("a <b> ]]> c", cdata=True),)),
                ProcessingInstruction("php", "echo $x;"),
                ProcessingInstruction("empty", ""),
            ),
        ),
        prolog=(Comment(" before "),),
        epilog=(ProcessingInstruction("after", "x"),),
    )
    text = write(document)
    assert text == (
        f"{DECLARATION}\n"
        "<!-- before -->\n"
        "<Response>\n"
        "  <!-- greeting -->\n"
        "  <Speak><![CDATA[a <b> ]]]]><![CDATA[> c]]></Speak>\n"
        "  <?php echo $x;?>\n"
        "  <?empty?>\n"
        "</Response>\n"
        "<?after x?>\n"
    )
    assert parse(text).document == document
    # The layout may keep the white space after a target (the formatter's: the author's).
    php, empty = document.root.children[2], document.root.children[3]
    layout = Layout(separators={id(php): "\n  ", id(empty): "\n"})
    kept = write(document, layout=layout)
    assert "  <?php\n  echo $x;?>\n  <?empty\n?>\n" in kept
    assert parse(kept).document == document
    with pytest.raises(WriteError, match="apart by white space"):
        write(document, layout=Layout(separators={id(php): " x "}))


def test_cdata_with_a_carriage_return_is_escaped_instead() -> None:
    assert cdata_section("a\rb") is None
    document = doc(Element("Speak", (), (Text("a\rb", cdata=True),)))
    text = write(document)
    assert "<Speak>a&#13;b</Speak>" in text
    assert parse(text).document == doc(Element("Speak", (), (Text("a\rb"),)))


def test_blank_lines_are_written_where_asked_and_never_first() -> None:
    first, second = Element("Hangup"), Element("Speak", (), (Text("x"),))
    root = Element("Response", (), (first, second))
    layout = Layout(blank_before={id(first), id(second)})
    text = write(Document(root), layout=layout, declaration=False)
    assert text == "<Response>\n  <Hangup/>\n\n  <Speak>x</Speak>\n</Response>\n"


@pytest.mark.parametrize(
    ("node", "message"),
    [
        (Element("1bad"), "element name '1bad' is not an XML name"),
        (Element("Speak", (Attribute("a b", "1"),)), "attribute name 'a b' is not an XML name"),
        (Element("Speak", (), (Text("bell\x07"),)), "text holds '\\x07'"),
        (Element("Speak", (Attribute("Text", "\x00"),)), "an attribute value holds '\\x00'"),
        (Element("Response", (), (Comment("a -- b"),)), "a comment cannot hold '--'"),
        (Element("Response", (), (Comment("ends-"),)), "or end with '-'"),
        (Element("Response", (), (ProcessingInstruction("xml", "v"),)), "'xml' is reserved"),
        (Element("Response", (), (ProcessingInstruction("p", "a ?> b"),)), "cannot hold '?>'"),
        (Element("Response", (), (ProcessingInstruction("p", " x"),)), "cannot start with white"),
        (Element("Response", (), (Comment("a\r\nb"),)), "a comment cannot hold a carriage"),
        (Element("Response", (), (ProcessingInstruction("p", "a\rb"),)), "cannot hold a carriage"),
    ],
)
def test_what_xml_cannot_hold_is_refused(node: Element, message: str) -> None:
    with pytest.raises(WriteError, match=re.escape(message)):
        write(node)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("a -\r\n\t?>"), max_size=8))
def test_a_comment_or_instruction_the_writer_takes_reads_back_as_written(text: str) -> None:
    """A comment and a processing instruction hold no character references, and XML reads a
    carriage return in either back as a line feed: the writer refuses one there, as it
    refuses everything else that would not read back."""
    for node in (Comment(text), ProcessingInstruction("p", text)):
        if "\r" in text:
            with pytest.raises(WriteError):
                write(doc(node))
            continue
        try:
            written = write(doc(node))
        except WriteError:
            continue  # '--', '?>', a trailing '-' or leading white space: refused as before
        assert parse(written).document == doc(node)


def test_a_document_without_root_cannot_be_written() -> None:
    with pytest.raises(WriteError, match="no root element"):
        write(parse("<Response>").document)


def test_seed_examples_read_back_as_the_same_tree(shared_dir: Path) -> None:
    examples = []
    for page in sorted((shared_dir / "seeds").glob("0*.txt")):
        lines = page.read_text(encoding="utf-8").splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("OzML"))
        examples.append(next(line for line in lines[at:] if line.lstrip().startswith("<")))
    assert len(examples) == 5
    for example in examples:
        document = parse(example).document
        text = write(document)
        again = parse(text).document
        assert again.root is not None
        assert again == document or write(again) == text  # same tree, or only reordered
        assert write(again) == text


# --- preserving mode --------------------------------------------------------------------------


def test_apply_edits_replaces_only_the_edited_ranges() -> None:
    text = "<speak party='All'>Hi</speak>"
    edits = [Edit(23, 28, "Speak"), Edit(1, 6, "Speak"), Edit(14, 17, "all")]
    assert apply_edits(text, edits) == "<Speak party='all'>Hi</Speak>"
    assert apply_edits(text, []) == text


def test_insertions_at_one_offset_keep_the_given_order() -> None:
    assert apply_edits("<a/>", [Edit(2, 2, " x='1'"), Edit(2, 2, " y='2'")]) == "<a x='1' y='2'/>"


@pytest.mark.parametrize(
    "edits", [[Edit(0, 5, "x"), Edit(3, 6, "y")], [Edit(5, 99, "z")], [Edit(4, 2, "")]]
)
def test_overlapping_or_outside_edits_are_refused(edits: list[Edit]) -> None:
    with pytest.raises(EditConflict):
        apply_edits("<Response/>", edits)


#: The XML declaration of a UTF-16 document, in each byte order, without a byte order mark.
UTF16 = '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16-le")
BIG_UTF16 = '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16-be")


@pytest.mark.parametrize(
    "data",
    [
        b"<Response>\r\n  <Speak>Hi</Speak>\r\n</Response>\r\n",
        b"\xef\xbb\xbf<Response><Speak>\xc3\xa9t\xc3\xa9</Speak></Response>",
        (LATIN2 + "<Response><Speak>\u0151</Speak></Response>").encode("iso-8859-2"),
        "\ufeff<Response><Speak>\u260e</Speak></Response>".encode("utf-16-le"),
        "\ufeff<Response><Speak>\u260e</Speak></Response>".encode("utf-16-be"),
        # UTF-16 declared without a byte order mark, in either order (`positions.decoding`).
        UTF16 + "<Response><Speak>\u260e</Speak></Response>".encode("utf-16-le"),
        BIG_UTF16 + "<Response><Speak>\u260e</Speak></Response>".encode("utf-16-be"),
    ],
)
def test_unedited_text_encodes_back_to_the_same_bytes(data: bytes) -> None:
    result = parse(data)
    assert result.ok, result.problems
    assert encode_like(apply_edits(result.source.text, []), result.source) == data


def test_an_edit_keeps_the_encoding_of_the_file() -> None:
    data = (LATIN2 + "<Response><speak>\u0151</speak></Response>").encode("iso-8859-2")
    result = parse(data)
    text = result.source.text
    start = text.index("<speak>") + 1
    close = text.index("</speak>") + 2
    edited = apply_edits(text, [Edit(start, start + 5, "Speak"), Edit(close, close + 5, "Speak")])
    out = encode_like(edited, result.source)
    assert out == data.replace(b"speak", b"Speak")
    assert parse(out).document.root == doc(Element("Speak", (), (Text("\u0151"),))).root


def test_str_sources_encode_as_utf8() -> None:
    assert (
        encode_like("<Response>\u260e</Response>", Source("x"))
        == "<Response>\u260e</Response>".encode()
    )


def test_long_start_tags_put_each_attribute_on_its_own_line() -> None:
    call = Element(
        "Call",
        (
            Attribute("Url", "http://yourapp.com/callback/connected.php?request=4711"),
            Attribute("CallerId", "1000"),
            Attribute("CallerDisplayName", "Example Company"),
        ),
        (Text("+36201234567"),),
    )
    menu = Element(
        "UserInput",
        (Attribute("ForwardToURL", "http://yourapp.com/a/rather/long/path/to/the/dtmf/handler.php"),
         Attribute("Timeout", "10"), Attribute("Repeat", "true")),
        (Element("Inputs", (), (Element("Input", (Attribute("Key", "1"),)),)),),
    )  # fmt: skip
    text = write(Document(Element("Response", (), (call, menu))), declaration=False)
    assert text == (
        "<Response>\n"
        '  <Call CallerId="1000"\n'
        '        CallerDisplayName="Example Company"\n'
        '        Url="http://yourapp.com/callback/connected.php?request=4711">+36201234567</Call>\n'
        '  <UserInput Repeat="true"\n'
        '             Timeout="10"\n'
        '             ForwardToURL="http://yourapp.com/a/rather/long/path/to/the/dtmf/handler.php">\n'
        "    <Inputs>\n"
        '      <Input Key="1"/>\n'
        "    </Inputs>\n"
        "  </UserInput>\n"
        "</Response>\n"
    )
    back = parse(text).document.root
    assert back is not None
    assert [e.attributes for e in back.elements] == [attribute_order(call), attribute_order(menu)]
    assert write(parse(text).document, declaration=False) == text


def test_a_long_tag_with_one_attribute_stays_on_its_line() -> None:
    element = Element("GoTo", (Attribute("Url", "http://example.com/" + "x" * 100),))
    assert write(element).count("\n") == 1


@st.composite
def shaped(draw: st.DrawFn) -> Element:
    """An element of a catalog command (or an unknown one) with attributes named as its
    parameters and their aliases in any letter case, unknown names and namespace declarations,
    each name once."""
    cmd = draw(st.sampled_from(ALL))
    tag = draw(st.sampled_from([cmd.name, cmd.name.lower(), "Unknown"]))
    spellings = [n for p in cmd.params for n in (p.name, *(a.name for a in p.aliases))]
    pool = [*spellings, *(n.upper() for n in spellings), "x-note", "xmlns", "xmlns:z", "Zed"]
    names = draw(st.lists(st.sampled_from(pool), max_size=8, unique_by=str.lower))
    value = st.sampled_from(["", "a", "ab", "ALL", "all", "True", "false", "WAV", "en-us"])
    values = draw(st.lists(value, min_size=len(names), max_size=len(names)))
    return Element(tag, tuple(Attribute(n, v) for n, v in zip(names, values, strict=True)))


def _catalog_order_by_hand(element: Element) -> tuple[Attribute, ...]:
    """The catalog order as the writer's docstring says it: namespace declarations, then known
    parameters in catalog order, then the rest, each group in written order."""
    match = lookup_element(element.tag)
    cmd = match.command if match is not None else None

    def key(item: tuple[int, Attribute]) -> tuple[int, int]:
        position, attr = item
        if attr.name == "xmlns" or attr.name.startswith("xmlns:"):
            return (-1, position)
        pm = lookup_param(cmd, attr.name) if cmd is not None else None
        if pm is None:
            return (len(cmd.params) if cmd is not None else 0, position)
        assert cmd is not None
        return ([p.name for p in cmd.params].index(pm.param.name), position)

    return tuple(attr for _, attr in sorted(enumerate(element.attributes), key=key))


@settings(max_examples=300, deadline=None)
@given(st.lists(shaped(), min_size=1, max_size=6))
def test_the_catalog_order_remembered_per_shape_is_the_order_of_each_element(
    elements: list[Element],
) -> None:
    # The writer works the order out once per element name and attribute names: asked again
    # for an element of the same shape (other values), it gives that element's attributes.
    for element in [*elements, *elements]:
        assert attribute_order(element) == _catalog_order_by_hand(element)


def test_an_element_with_many_attributes_is_ordered_without_being_remembered() -> None:
    many = [Attribute(f"x{i}", "v") for i in range(70)] + [Attribute("Dialed", "1")]
    element = Element("Call", (*many, Attribute("CallerId", "2")))
    assert attribute_order(element) == _catalog_order_by_hand(element)
    assert attribute_order(element)[:2] == (Attribute("Dialed", "1"), Attribute("CallerId", "2"))


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        st.one_of(
            st.sampled_from('&<>"\t\n\r\x00\x01\x1f\x7f\x85\ud7ff\ue000\ufffe\uffff\U00010000'),
            st.characters(codec="utf-8"),
            st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
        ),
        max_size=12,
    )
)
def test_escaping_gives_what_the_check_and_the_references_give(value: str) -> None:
    # Values with nothing to look at are given back as they are; the others are checked and
    # written with references: what the two steps always did, for every character.
    for escape, table, what in (
        (escape_text, writer_module._TEXT_ESCAPES, "text"),
        (escape_attribute, writer_module._ATTRIBUTE_ESCAPES, "an attribute value"),
    ):
        try:
            expected = check_text(value, what).translate(table)
        except WriteError as error:
            with pytest.raises(WriteError, match=re.escape(str(error))):
                escape(value)
        else:
            assert escape(value) == expected


@pytest.mark.parametrize("name", ["Speak", "xsi:type", "a-b.c", "_x", "Über"])
def test_a_name_checked_twice_is_an_xml_name_both_times(name: str) -> None:
    assert check_name(name) == name
    assert check_name(name) == name


@pytest.mark.parametrize("name", ["1a", "a b", "", "-x", "a\x00"])
def test_a_name_that_is_not_an_xml_name_is_refused_every_time(name: str) -> None:
    for _ in range(2):
        with pytest.raises(WriteError):
            check_name(name)
