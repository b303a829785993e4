"""Properties of builder output over documents drawn from the catalog (tests/strategies.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import responses

from ozml.builder import Response, Speak, UnknownElement
from ozml.lint import lint
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
