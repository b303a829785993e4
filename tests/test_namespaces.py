"""Namespace declarations and prefixed names in the parser's tree (`ozml.namespaces`): the
answers of lxml's ``nsmap``, which the tree builder asked of every element (time in the number
of elements times the declarations in scope), and the same meaning once written."""

from __future__ import annotations

from collections.abc import Iterator

from deadline import within
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ozml.namespaces import XML_NAMESPACE, Scope, attribute_name, declarations
from ozml.nodes import Element
from ozml.parser import parse
from ozml.writer import write

PREFIXES = ("a", "b", "c", None)
#: "" undeclares the default namespace (a prefix cannot be undeclared in XML 1.0).
URIS = ("urn:one", "urn:two", "urn:three", "")


def _reference_name(name: str, nsmap: dict[str | None, str]) -> str:
    """An attribute's name written back through ``nsmap``, as the tree builder did, but for
    the default namespace (an unprefixed attribute is in none: the builder moved such an
    attribute out of its namespace, until the test below found it)."""
    if not name.startswith("{"):
        return name
    uri, _, local = name[1:].partition("}")
    if uri == XML_NAMESPACE:
        return f"xml:{local}"
    for prefix, value in nsmap.items():
        if value == uri and prefix:
            return f"{prefix}:{local}"
    return local


def _reference(el: etree._Element, parent_ns: dict[str | None, str] | None) -> Iterator[object]:
    """Each element's name (with the prefix written) and attribute names (declarations
    first), through ``nsmap``, in document order."""
    nsmap = el.nsmap
    names: list[str] = []
    if nsmap and nsmap != parent_ns:
        for prefix, uri in nsmap.items():
            if parent_ns is None or parent_ns.get(prefix) != uri:
                names.append(f"xmlns:{prefix}" if prefix else "xmlns")
    names.extend(_reference_name(name, nsmap) for name, _ in el.items())
    tag = etree.QName(el).localname
    yield (f"{el.prefix}:{tag}" if el.prefix else tag, names)
    for child in el.iterchildren(etree.Element):
        yield from _reference(child, nsmap)


def _built(root: Element) -> Iterator[object]:
    yield (root.tag, [a.name for a in root.attributes])
    for child in root.elements:
        yield from _built(child)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Nested elements, each declaring some namespaces (again, or rebinding a prefix), their
    names and attributes prefixed by any prefix in scope."""

    def element(depth: int, scope: dict[str | None, str]) -> str:
        pairs = st.dictionaries(st.sampled_from(PREFIXES), st.sampled_from(URIS), max_size=3)
        declared = {p: u or "urn:one" if p else u for p, u in draw(pairs).items()}
        inner = {**scope, **declared}
        usable = [p for p in inner if p is not None]
        prefix = draw(st.sampled_from([None, *usable]))
        name = f"{prefix}:E{depth}" if prefix else f"E{depth}"
        parts = [f' xmlns{":" + p if p else ""}="{u}"' for p, u in declared.items()]
        for i, p in enumerate(draw(st.lists(st.sampled_from([None, *usable]), max_size=3))):
            parts.append(f' {p + ":" if p else ""}x{i}="{i}"')
        if draw(st.booleans()):
            parts.append(' xml:lang="en"')
        kids = "".join(
            element(depth + 1, inner) for _ in range(draw(st.integers(0, 2 if depth < 4 else 0)))
        )
        return f"<{name}{''.join(parts)}>{kids}</{name}>"

    return element(0, {})


@settings(max_examples=300, deadline=None)
@given(documents())
def test_names_and_declarations_are_those_nsmap_gave(text: str) -> None:
    root = parse(text).document.root
    assert root is not None
    expected = list(_reference(etree.fromstring(text.encode()), None))
    assert list(_built(root)) == expected


@settings(max_examples=100, deadline=None)
@given(documents())
def test_a_formatted_document_means_the_same(text: str) -> None:
    # The names as written back are bound as they were: lxml reads the same Clark names.
    written = write(parse(text).document)
    before = etree.fromstring(text.encode())
    after = etree.fromstring(written.encode())
    assert [(e.tag, dict(e.attrib)) for e in before.iter()] == [
        (e.tag, dict(e.attrib)) for e in after.iter()
    ]


def test_declarations_are_found_on_the_elements_that_make_them() -> None:
    root = etree.fromstring(
        b'<R xmlns:a="u1"><!--c--><S/><T xmlns="u2" xmlns:b="u3"><a:U/></T></R>'
    )
    found = declarations(root)
    assert [(el.tag, own) for el, own in found.items()] == [
        ("R", [("a", "u1")]),
        ("{u2}T", [(None, "u2"), ("b", "u3")]),
    ]


def test_a_prefix_declared_again_inside_hides_the_outer_one() -> None:
    outer = Scope([("a", "u1"), ("b", "u1")], None)
    inner = Scope([("a", "u2"), (None, "u1")], outer)
    assert attribute_name("{u1}x", outer) == "a:x"
    assert attribute_name("{u1}x", inner) == "b:x"  # a is bound to u2 here; None is no prefix
    assert attribute_name("{u2}x", inner) == "a:x"
    assert attribute_name("{u9}x", inner) == "x"
    assert attribute_name(f"{{{XML_NAMESPACE}}}lang", None) == "xml:lang"
    assert inner.bound("a") == "u2"
    assert inner.bound("b") == "u1"
    assert inner.bound("c") is None


def test_an_attribute_in_the_default_namespace_keeps_its_prefix() -> None:
    # The default namespace binds urn:three too, and came first in nsmap: the attribute was
    # written ``x0="0"``, in no namespace.
    text = '<E0 xmlns:a="urn:three"><E1 xmlns:b="urn:one" xmlns="urn:three" a:x0="0"/></E0>'
    root = parse(text).document.root
    assert root is not None
    assert [a.name for a in next(root.elements).attributes] == ["xmlns:b", "xmlns", "a:x0"]
    assert 'a:x0="0"' in write(parse(text).document)


def test_an_element_keeps_the_prefix_it_was_written_with() -> None:
    text = '<R xmlns:a="u" xmlns:b="u"><b:S/><a:S/></R>'
    root = parse(text).document.root
    assert root is not None
    assert [e.tag for e in root.elements] == ["b:S", "a:S"]


def test_reported_case_many_declarations_and_many_elements() -> None:
    # 4,000 namespaces declared on the root and 4,000 elements in it (174 kB): 1.8 s through
    # lxml's nsmap, which copies every declaration in scope for each element; 10,000 of each
    # took 11 s, and a megabyte of them minutes.
    within(
        """
        from ozml.parser import parse

        n = 20_000
        declared = " ".join(f'xmlns:p{i}="urn:x{i}"' for i in range(n))
        body = "".join(f'<p{i}:Speak p{n - 1 - i}:a="1">Hi</p{i}:Speak>' for i in range(n))
        root = parse(f"<Response {declared}>{body}</Response>").document.root
        kids = list(root.elements)
        assert len(kids) == n and len(root.attributes) == n
        assert kids[5].tag == "p5:Speak" and kids[5].attributes[0].name == f"p{n - 6}:a"
        """,
        seconds=30.0,
    )
