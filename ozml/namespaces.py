"""The namespace declarations of lxml's tree, and names written back as prefixed, in time
linear in the document.

lxml gives an element's and an attribute's name in Clark notation (``{uri}local``); the tree
builder (`ozml.treebuilder.TreeBuilder.element`) writes it back as ``prefix:local``, and keeps each
element's own ``xmlns`` declarations as attributes. An element says the prefix it was written
with; an attribute does not, and is given a prefix bound to its namespace where it stands.

lxml's ``nsmap`` would answer both, but it copies every declaration in scope, the root's
included, for each element it is asked of: a document declaring n namespaces with n elements
took time in n squared (4,000 of each, 174 kB: 1.8 s). Here each element's own declarations
are read once (`declarations`), and the scope of an element links to its parent's (`Scope`),
so that a name is looked up among the declarations that bind its namespace, not among all of
them.
"""

from __future__ import annotations

from lxml import etree

#: The namespace of ``xml:lang`` and ``xml:space``: bound to ``xml`` without a declaration, so
#: it is never declared in a document.
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"

#: An element's own namespace declarations, in the order written: (prefix, URI), the prefix
#: None for the default namespace (``xmlns="..."``), as in lxml's ``nsmap``.
Declared = list[tuple[str | None, str]]


def declarations(root: etree._Element) -> dict[etree._Element, Declared]:
    """The elements of `root`'s tree that declare namespaces, each with its declarations.

    The elements are the keys: while the dictionary holds them, lxml gives each as the same
    object when the tree is walked again, so a walk finds an element's declarations by it."""
    found: dict[etree._Element, Declared] = {}
    pending: Declared = []
    # lxml reports an element's declarations just before the element itself.
    for event, item in etree.iterwalk(root, events=("start-ns", "start")):
        if event == "start-ns":
            prefix, uri = item  # a pair for "start-ns"
            pending.append((prefix or None, uri))
        elif pending:
            found[item] = pending  # an element for "start"
            pending = []
    return found


class Scope:
    """The namespaces in scope at an element that declares some: its own declarations, and
    the scope around it (`outer`, None at the outermost).

    `prefix_of` answers in the order of lxml's ``nsmap``: the first prefix (the element's own
    declarations as written, then each enclosing element's that an inner one does not
    declare again) that binds the name's namespace."""

    __slots__ = ("_found", "_uris", "outer", "own")

    def __init__(self, own: Declared, outer: Scope | None) -> None:
        self.own: dict[str | None, str] = dict(own)
        self.outer = outer
        #: The prefixes of each namespace this element declares, in the order written.
        self._uris: dict[str, list[str | None]] = {}
        for prefix, uri in own:
            self._uris.setdefault(uri, []).append(prefix)
        #: Each namespace looked up here, with the prefix found (None: unprefixed).
        self._found: dict[str, str | None] = {}

    def bound(self, prefix: str | None) -> str | None:
        """The namespace `prefix` is bound to here, or None."""
        scope: Scope | None = self
        while scope is not None:
            uri = scope.own.get(prefix)
            if uri is not None:
                return uri
            scope = scope.outer
        return None

    def prefix_of(self, uri: str) -> str | None:
        """The prefix an attribute in namespace `uri` is written with here (None when no
        prefix binds it). Never the default namespace's: an attribute without a prefix is
        in no namespace."""
        found = self._found
        if uri in found:
            return found[uri]
        prefix = found[uri] = self._look_up(uri)
        return prefix

    def _look_up(self, uri: str) -> str | None:
        inner: list[Scope] = []
        scope: Scope | None = self
        while scope is not None:
            for prefix in scope._uris.get(uri, ()):
                # A prefix an inner element declares again is bound to another namespace
                # there (or to this one, found there first).
                if prefix is not None and not any(prefix in closer.own for closer in inner):
                    return prefix
            inner.append(scope)
            scope = scope.outer
        return None


def attribute_name(name: str, scope: Scope | None) -> str:
    """An attribute's name as written: ``{uri}local`` (lxml's Clark notation) back to
    ``prefix:local``, with a prefix `scope` binds to that namespace."""
    if not name.startswith("{"):
        return name
    uri, _, local = name[1:].partition("}")
    if uri == XML_NAMESPACE:
        return f"xml:{local}"
    prefix = None if scope is None else scope.prefix_of(uri)
    return f"{prefix}:{local}" if prefix else local


def element_name(el: etree._Element) -> str:
    """An element's name as written, with the prefix it was written with."""
    tag = el.tag
    assert isinstance(tag, str)
    if not tag.startswith("{"):
        return tag
    local = tag[tag.index("}") + 1 :]
    prefix = el.prefix
    return f"{prefix}:{local}" if prefix else local


__all__ = [
    "XML_NAMESPACE",
    "Declared",
    "Scope",
    "attribute_name",
    "declarations",
    "element_name",
]
