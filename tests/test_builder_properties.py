"""Properties of builder output over documents drawn from the catalog (tests/strategies.py)."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import responses

from ozml.builder import (
    Array,
    Delay,
    Dynamic,
    Exit,
    ForEach,
    Input,
    Inputs,
    Response,
    Speak,
    UnknownElement,
    UserInput,
    Var,
)
from ozml.builder.base import OzmlElement, _walk, braced_part
from ozml.lint import lint
from ozml.nodes import Element, Text
from ozml.parser import parse


@settings(max_examples=100, deadline=None)
@given(responses())
def test_builder_output_lints_clean_and_reads_back_as_built(built: Response) -> None:
    xml = built.to_xml()
    found = [(d.code, d.message) for d in lint(xml)]
    # Undocumented commands (Beep, Exit, ...) are built as asked, and reported for information.
    assert [f for f in found if f[0] != "OZ502"] == [], xml
    assert all(message.endswith("its parameters are not checked") for _, message in found)
    assert parse(xml).document == built.to_document()
    assert built.to_node() is built.to_node()  # built once, kept


#: Names as people write them, namespace prefixes and declarations included, and strings that
#: are no XML name at all.
NAMES = st.from_regex(r"(xmlns|xml|XML|a|Speak)?:?(xmlns|xml|[A-Za-z_\-0-9.]){0,3}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NAMES, st.sampled_from(["", "1", "urn:x"])), max_size=3), NAMES)
def test_a_name_the_builder_takes_is_written_as_well_formed_xml(
    attributes: list[tuple[str, str]], tag: str
) -> None:
    """Unknown attributes and elements: refused at the call (ValueError), or written so that
    the document reads back as built. Nothing the builder takes is not well-formed XML."""
    try:
        unknown = UnknownElement(tag or "Foo", attributes=dict(attributes[:1]))
        root = Response()
        for name, value in attributes:
            unknown = unknown.with_unknown_attribute(name, value)
            root = root.with_unknown_attribute(name, value)
    except ValueError:
        return
    built = Response(Speak("Hi"), unknown)
    for attribute in root.to_node().attributes:
        built = built.with_unknown_attribute(attribute.name, attribute.value)
    xml = built.to_xml()
    assert parse(xml).problems == (), xml
    assert parse(xml).document == built.to_document()


# --- template-like text -------------------------------------------------------------------------

#: Text that looks like server templates: the openers and closers of every syntax, XML's
#: special characters, CDATA's end, markup, quotes, white space and variables, in any order.
TEMPLATE_LIKE = st.lists(
    st.sampled_from(
        ["{{", "}}", "{%", "%}", "{#", "#}", "${", "}", "{", "<%", "%>", "<?php", "<?PHP", "<?=",
         "?>", "]]>", "<", ">", "&", "&amp;", '"', "'", "<b>", "</Speak>", "<!--", " ", "\t",
         "\n", "\r", "a", "if a < b", "$x", "\u00e9"]
    ),
    max_size=8,
).map("".join)  # fmt: skip


def _reads_back(built: Response) -> Element:
    """The root `built` writes, read back as built: well-formed, with no finding of the parser,
    whatever template syntaxes it is read with when it holds no template part."""
    xml = built.to_xml()
    read = parse(xml)
    assert read.problems == (), xml
    assert read.document == built.to_document(), xml
    assert read.document.root is not None
    return read.document.root


def _plain(text: str) -> list[Callable[[], Response]]:
    return [
        lambda: Response(Speak(text)),
        lambda: Response(Var("v", text)),
        lambda: Response(UserInput(Inputs(Input(1, Array("a", text))))),
        lambda: Response(UnknownElement("Note", text=text)),
        lambda: Response(UnknownElement("Note", text=text, attributes={"xml:space": "preserve"})),
    ]


@settings(max_examples=300, deadline=None)
@given(TEMPLATE_LIKE)
def test_plain_text_that_looks_like_a_template_reads_back_as_that_text(text: str) -> None:
    """A str is plain text: ozml reads back the same text, holding no template part (the
    documented round trip, which `{{ a < b }}` broke: written `{{ a &lt; b }}`, read back
    as a part kept as written), whatever template syntaxes it is read with. Refused only
    where XML cannot keep it plain (the next property)."""
    for make in _plain(text):
        try:
            built = make()
        except ValueError:
            continue
        root = _reads_back(built)
        assert parse(built.to_xml(), templates=()).document.root == root
        pending: list[Element] = [root]
        while pending:
            element = pending.pop()
            for node in (*element.children, *element.attributes):
                if isinstance(node, Element):
                    pending.append(node)
                else:
                    assert getattr(node, "templates", ()) == (), built.to_xml()


@settings(max_examples=300, deadline=None)
@given(TEMPLATE_LIKE)
def test_plain_text_is_refused_only_where_xml_cannot_keep_it_plain(text: str) -> None:
    attribute = not text or text != text.strip()  # written as an attribute (D7)
    try:
        Speak(text)
    except ValueError:
        assert braced_part(text) is not None
        assert attribute or "\r" in text
    try:
        Speak("x").with_unknown_attribute("Note", text)
    except ValueError:
        assert braced_part(text) is not None


@settings(max_examples=300, deadline=None)
@given(TEMPLATE_LIKE)
def test_a_dynamic_template_part_reads_back_as_that_part(text: str) -> None:
    """A Dynamic's template parts are written as they are, in element text and attribute
    values: refused at the call, or read back as built."""
    try:
        value = Dynamic(text)
    except ValueError:
        return  # neither a $variable nor a template part: not a Dynamic
    for make in (
        lambda: Speak(value),
        lambda: Speak(Dynamic(f" {text} ")),
        lambda: Delay(value),
        lambda: UserInput(timeout=value),
    ):
        try:
            built = Response(make())
        except ValueError:
            continue
        _reads_back(built)


#: The openers of the syntaxes whose parts escaping does not hide (`braced_part`); those of the
#: others begin with ``<``, written ``&lt;`` in text and values.
BRACED_OPENERS = ("{{", "{%", "{#", "${")


@settings(max_examples=200, deadline=None)
@given(st.lists(TEMPLATE_LIKE, min_size=1, max_size=4), st.sampled_from(["{{ g }}", "{% if a %}"]))
def test_plain_text_beside_a_dynamic_part_opens_no_part(texts: list[str], part: str) -> None:
    """In a template (a document with a `Dynamic` part), no opener stands outside the parts as
    written: none a template engine could read, whatever it pairs an opener with across
    texts; and the document reads back as built."""
    commands: list[Speak] = []
    for text in texts:
        try:
            commands.append(Speak(text))
        except ValueError:
            continue  # a whole part in a value (an attribute): refused, docs/builder.md
    built = Response(*commands, Speak(Dynamic(part)))
    xml = built.to_xml()
    outside = xml.replace(f"<Speak>{part}</Speak>", "", 1)
    assert not any(opener in outside for opener in BRACED_OPENERS), xml
    assert parse(xml).document == built.to_document(), xml


def test_the_audits_examples_read_back() -> None:
    for text in ("{{ a < b }}", '{{ "]]>" }}'):
        root = _reads_back(Response(Speak(text)))
        assert root.children[0] == Element("Speak", (), (Text(text),))
        _reads_back(Response(Speak(Dynamic(text))))


def _in_document_order(element: OzmlElement) -> list[OzmlElement]:
    found = [element]
    for child in element.children:
        if isinstance(child, OzmlElement):
            found += _in_document_order(child)
    return found


@settings(max_examples=100, deadline=None)
@given(responses())
def test_the_whole_tree_is_checked_in_document_order(built: Response) -> None:
    # What `check` and `to_document` walk, without recursion (a generator per level would
    # hand each element up through every level above it: elements x depth).
    assert list(_walk(built)) == _in_document_order(built)


def test_a_deep_tree_is_walked_in_document_order() -> None:
    inner: OzmlElement = ForEach("a", Speak("first"), Speak("second"))
    for level in range(250):
        inner = ForEach("a", inner, Speak(f"after {level}"))
    built = Response(Array("a", "x"), inner, Speak("last"))
    walked = list(_walk(built))
    assert walked == _in_document_order(built)
    assert len(walked) == 1 + 2 + 251 + 250 + 2 + 1


def test_many_attributes_are_written_once_each_in_the_order_given() -> None:
    given_attributes = {f"X{i}": f"v{i}" for i in range(500)}
    for element in (
        UnknownElement("Whisper", attributes=given_attributes),
        Exit(attributes=given_attributes),
    ):
        read = parse(Response(element).to_xml()).document.root
        assert read is not None
        (written,) = read.elements
        assert [(a.name, a.value) for a in written.attributes] == list(given_attributes.items())
