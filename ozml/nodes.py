"""The OzML syntax tree: immutable data with positions kept out of equality.

A tree made by the builder equals the tree the parser makes of the same document, because the
only place positions live (`Element.index` and `Element.line`) is excluded from comparison. Names
are kept exactly as written (``speak``, ``Dialled``); the catalog says what they mean.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from ozml.xmlspace import strip as _strip


@attrs.frozen
class Attribute:
    """An attribute as written: name and (unescaped) value.

    `templates` says where server-side template parts are in the value (``Text="Hello {{ name
    }}"``): (start, end) offsets into `value`, which holds each part exactly as written. The
    writer writes them as they are, unescaped (`ozml.templates`). Like positions, they are not
    compared.
    """

    name: str
    value: str
    templates: tuple[tuple[int, int], ...] = attrs.field(default=(), eq=False, repr=False)


@attrs.frozen
class Text:
    """Character data. White space alone is layout and is not kept, except where it is part of
    an element's text: next to other text of the element (``Hello<!--c--> <!--d-->world``
    holds the space) and under ``xml:space="preserve"``.

    `cdata` is true when the author wrote (some of) it as a CDATA section, so that the writer
    can keep it one; the value is the same either way. `templates` says where server-side
    template parts are in the value, as for `Attribute`.
    """

    value: str
    cdata: bool = False
    templates: tuple[tuple[int, int], ...] = attrs.field(default=(), eq=False, repr=False)


@attrs.frozen
class Comment:
    """An XML comment; it belongs to the document and is never dropped."""

    text: str


@attrs.frozen
class ProcessingInstruction:
    """A processing instruction such as a server-template tag."""

    target: str
    text: str


@attrs.frozen
class Template:
    """A server-side template part standing between commands, such as ``{% for x in xs %}``
    or ``<% If vip Then %>`` inside ``<Response>``: the template's, not OzML's. The linter
    reads around it and the writer writes it exactly as written (`ozml.templates`).

    `index` is the part's number in the parser's masked text (for its position), not compared.
    """

    text: str
    index: int = attrs.field(default=-1, eq=False, repr=False)


@attrs.frozen
class EntityRef:
    """An entity reference left unexpanded (the parser never expands entities)."""

    name: str


@attrs.frozen
class Element:
    """An element: a command, the root, or a structural part such as Input."""

    tag: str
    attributes: tuple[Attribute, ...] = ()
    children: tuple[Node, ...] = ()
    index: int = attrs.field(default=-1, eq=False, repr=False)
    line: int = attrs.field(default=0, eq=False, repr=False)

    @property
    def elements(self) -> Iterator[Element]:
        """The child elements, in order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child

    @property
    def texts(self) -> Iterator[Text]:
        for child in self.children:
            if isinstance(child, Text):
                yield child

    @property
    def text(self) -> str | None:
        """The element's own text without the XML white space around it (D7; other spaces,
        such as U+00A0, are text: `ozml.xmlspace`), or None when it has none."""
        parts = [
            child.value if isinstance(child, Text) else f"&{child.name};"
            for child in self.children
            if isinstance(child, Text | EntityRef)
        ]
        if not parts:
            return None
        return _strip("".join(parts))

    def get(self, name: str) -> str | None:
        """The value of the attribute written exactly `name`, if any."""
        for attr in self.attributes:
            if attr.name == name:
                return attr.value
        return None

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        stack = [self]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed([c for c in element.children if isinstance(c, Element)]))


Node = Element | Text | Comment | ProcessingInstruction | EntityRef | Template
Misc = Comment | ProcessingInstruction


@attrs.frozen
class Document:
    """A parsed (or built) OzML document.

    `root` is None when the source is not well-formed XML; the parser's findings are in
    `problems`. `prolog` and `epilog` hold the comments and processing instructions around the root.
    """

    root: Element | None
    prolog: tuple[Misc, ...] = ()
    epilog: tuple[Misc, ...] = ()
    declaration: bool = attrs.field(default=True, eq=False)
    encoding: str | None = attrs.field(default=None, eq=False)
    doctype: str | None = attrs.field(default=None, eq=False)
