"""Building ozml's tree (`ozml.nodes`) from lxml's: what `ozml.parser.parse` gives as a result's
`document`.

Kept apart from the parser so that reading a document does not load the document model: the
linter reads a plain document's lxml tree directly (`ozml.resolve.resolve_lxml`), and a run of
``ozml check`` with a finding in such a document then never imports attrs or defines the node
classes (cold start, docs/performance.md). The parser imports this module when a tree is
built: when `ParseResult.document` is first asked for, or at once for a document a plain
reading cannot serve (namespaces, CDATA, template parts, a DTD, an earlier version to reuse).

White space here is XML's (`ozml.xmlspace`): a text of it alone between elements is layout and
left out; a text holding any other character (a no-break space U+00A0 alone) is content, kept.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

import attrs
from lxml import etree

from ozml import namespaces as _namespaces
from ozml import parser as _parser
from ozml import templates as _templates
from ozml.nodes import (
    Attribute,
    Comment,
    Element,
    EntityRef,
    Misc,
    Node,
    ProcessingInstruction,
    Template,
    Text,
)
from ozml.parser import SHARE_VALUE, SHARED_KEPT
from ozml.positions import _TOKEN
from ozml.untouched import untouched
from ozml.xmlparser import attribute_pairs, read_through
from ozml.xmlspace import XML_SPACE

if TYPE_CHECKING:
    from ozml.parser import ParseResult


def builder_for(
    reading: tuple[bool, bool], scanner: CdataScanner | None = None, *, watch_space: bool = False
) -> TreeBuilder:
    """The tree builder of a document whose elements are read as `reading` says
    (`ozml.parser.reading`: few attributes, names shared)."""
    made = TreeBuilder(scanner, watch_space=watch_space)
    made.few_attributes, share = reading
    if share:
        made.names = {}
    return made


def stream(data: bytes, builder: TreeBuilder) -> tuple[etree._Element, Element] | None:
    """`builder.plain` of the document `data`, read `ozml.parser.STREAM_PIECE` bytes at a time
    (`ozml.xmlparser.read_through`): each top-level node is built once a later one has begun
    (its tail is then whole) and removed from lxml's tree, which keeps only the root and the
    nodes still being read. The same tree as `builder.plain` of the whole parse, numbered
    alike (tests/test_parser_stream.py).

    Returns lxml's root (left without children, for the document's information and the
    nodes around it) and the tree; None when lxml refuses the document: the caller then
    parses it whole, for the findings a whole parse gives.
    """
    builder.count = 1  # the root's number, 0, comes first in document order
    top = _TopLevel(builder)
    root = read_through(data, piece=_parser.STREAM_PIECE, take=top.take)
    if root is None:
        return None
    # The root itself, now without children: its name, attributes and line, numbered 0.
    count, builder.count = builder.count, 0
    shell = builder.plain(root)
    builder.count = count
    return root, attrs.evolve(shell, children=top.children())


class _TopLevel:
    """The root's nodes as `TreeBuilder.plain` makes them, gathered while `stream` reads:
    `nodes` without the texts of white space only, `laid` with them (mixed content keeps
    them, as `with_blanks` puts them back), and whether the root holds text that is not
    white space (`mixed`) and text that is (`blank`)."""

    __slots__ = ("blank", "builder", "headed", "laid", "mixed", "nodes", "spaces")

    def __init__(self, builder: TreeBuilder) -> None:
        self.builder = builder
        self.nodes: list[Node] = []
        #: A text of white space only is a string here (each value kept once, in `spaces`)
        #: until `children` knows it is kept: in most documents it is layout, dropped.
        self.laid: list[Node | str] = []
        self.spaces: dict[str, str] = {}
        self.mixed = self.blank = False
        #: Whether the root's own text before its first node was read (whole once that node
        #: has begun, or the root has ended).
        self.headed = False

    def text(self, value: str) -> None:
        if not value.strip(XML_SPACE):  # layout (`ozml.xmlspace`)
            self.laid.append(self.spaces.setdefault(value, value))
            self.blank = True
        else:
            text = Text(value)
            self.laid.append(text)
            self.nodes.append(text)
            self.mixed = True

    def take(self, root: etree._Element, count: int) -> None:
        """Builds the first `count` nodes of `root` and their tails as `TreeBuilder.plain`
        does (the root's own text first, the first time); `ozml.xmlparser.read_through` then
        drops them from lxml's tree."""
        if not self.headed:
            self.headed = True
            head = root.text
            if head:
                self.text(head)
        plain = self.builder.plain
        nodes, laid = self.nodes, self.laid
        for _, child in zip(range(count), root, strict=False):
            node: Node | None
            if type(child) is _ELEMENT:
                node = plain(child)
            else:
                node = misc_of(child)
                if node is None and isinstance(child.tag, str):  # an element of another class
                    node = plain(child)
            if node is not None:
                nodes.append(node)
                laid.append(node)
            tail = child.tail
            if tail:
                self.text(tail)

    def children(self) -> tuple[Node, ...]:
        if self.mixed and self.blank:
            return tuple([Text(n) if isinstance(n, str) else n for n in self.laid])
        return tuple(self.nodes)



def misc_of(node: etree._Element) -> Misc | None:
    if isinstance(node, etree._Comment):
        return Comment(node.text or "")
    if isinstance(node, etree._ProcessingInstruction):
        return ProcessingInstruction(str(node.target), node.text or "")
    return None


def siblings(root: etree._Element, *, preceding: bool) -> tuple[Misc, ...]:
    nodes = root.itersiblings(preceding=preceding)
    found = [m for m in (misc_of(n) for n in nodes) if m is not None]
    if preceding:
        found.reverse()
    return tuple(found)



#: The class of the parser's elements (comments, processing instructions and entity references
#: are subclasses): `TreeBuilder.plain` tells elements by it, without making their name.
_ELEMENT = etree._Element


_XML_SPACE = f"{{{_namespaces.XML_NAMESPACE}}}space"


class CdataScanner:
    """Which texts of the tree were written (at least partly) as CDATA sections.

    lxml merges CDATA into the text around it, so the source says it: the markup tokens (tags,
    comments, processing instructions) of a well-formed document come in the order the tree
    builder visits the nodes, and each text of the tree lies in the gap before the next token.
    """

    def __init__(self, text: str) -> None:
        self.markup: list[tuple[int, int, bool]] = []  # (start, end, self-closing start tag)
        self.cdata: list[int] = []
        for match in _TOKEN.finditer(text):
            if match.group().startswith("<![CDATA["):
                self.cdata.append(match.start())
            elif self.markup or match.group("open") is not None:
                # The prolog is skipped: the tree builder starts at the root's start tag.
                self.markup.append((match.start(), match.end(), bool(match.group("slash"))))
        self.pos = 0

    def start(self) -> bool:
        """Step over an element's start tag; true when it is also its end (``<a/>``)."""
        self.pos += 1
        return self.markup[self.pos - 1][2] if self.pos <= len(self.markup) else True

    def step(self) -> None:
        """Step over a comment, processing instruction or end tag."""
        self.pos += 1

    def text_is_cdata(self) -> bool:
        """Whether the text before the next token holds a CDATA section."""
        begin = self.markup[self.pos - 1][1] if 0 < self.pos <= len(self.markup) else 0
        end = self.markup[self.pos][0] if self.pos < len(self.markup) else 1 << 62
        first = bisect.bisect_left(self.cdata, begin)
        return first < len(self.cdata) and self.cdata[first] < end


def _template_only(text: Text) -> bool:
    """Whether a text is template parts and white space only."""
    return not _templates.outside(text.value, text.templates).strip(XML_SPACE)


def _holds_commands(tag: str, children: list[Node]) -> bool:
    """Whether an element's text is not a value: it holds commands (``{% for x in xs %}``
    inside ``<Response>``), or it is a command that takes no text. A text of template parts
    only is then a `Template` node."""
    if any(isinstance(c, Element) for c in children):
        return True
    from ozml.catalog import lookup_element  # only for documents with template parts

    match = lookup_element(tag)
    return match is not None and match.command.text_param is None


def with_blanks(el: etree._Element, children: list[Node], cdata: list[bool]) -> list[Node]:
    """`children` (the nodes of `el`) with the texts of white space only put back between them:
    in mixed content they are part of the element's text. `cdata` says which were CDATA."""
    out: list[Node] = []
    nodes = iter(children)
    flags = iter(cdata)

    def text(value: str) -> None:
        out.append(Text(value, next(flags, False)) if not value.strip(XML_SPACE) else next(nodes))

    if el.text:
        text(el.text)
    for child in el:
        if isinstance(child.tag, str) or isinstance(
            child, etree._Entity | etree._Comment | etree._ProcessingInstruction
        ):
            out.append(next(nodes))
        if child.tail:
            text(child.tail)
    return out


def _plain_text(text: str) -> bool:
    """`_plain_markup` for a decoded text, and no CDATA: whether `TreeBuilder.plain` gives
    the tree of every part of it that `TreeBuilder.element` would."""
    return (
        "xmlns" not in text
        and "xml:" not in text
        and "<!DOCTYPE" not in text
        and "<![CDATA[" not in text
    )


class Kept:
    """The top-level commands of an earlier tree that an edit left as they were, given to the
    builder of the root in place of new ones (`TreeBuilder.plain`).

    A command is taken when it lies wholly before or wholly after the edit (`ozml.untouched`),
    is found where it was (same name, same line) and would get the same element numbers, so
    that building it again would give an equal tree: before the edit always, after it when the
    edit moved neither lines nor elements (typing inside a line). The others are built.
    """

    __slots__ = ("after", "before", "builder", "count", "kids", "position")

    def __init__(
        self, builder: TreeBuilder, kids: list[Element], before: int, after: int, count: int
    ) -> None:
        self.builder = builder
        self.kids = kids
        self.before = before  # how many of the old commands are kept from the first
        self.after = after  # how many from the last
        self.count = count  # the number of commands of the new root
        self.position = 0

    @classmethod
    def of(
        cls, previous: ParseResult, text: str, root: etree._Element, builder: TreeBuilder
    ) -> Kept | None:
        """What `builder` may take from `previous` for `text`, whose lxml root is `root`."""
        old_root = previous.document.root
        old_text = previous.source.text
        if old_root is None or previous.problems or previous.masked is not None:
            return None
        if old_root.tag != root.tag or not _plain_text(old_text):
            return None
        kids = [kid for kid in old_root.children if isinstance(kid, Element)]
        edit = untouched(old_text, text, [kid.line for kid in kids])
        # Below the edit, numbers and lines are the old ones only when it moved no line.
        after = edit.after if edit.shift == 0 else 0
        if not edit.before and not after:
            return None
        count = sum(1 for child in root if isinstance(child.tag, str))
        return cls(builder, kids, edit.before, after, count)

    def __call__(self, el: etree._Element) -> Element:
        position = self.position
        self.position = position + 1
        builder = self.builder
        kids = self.kids
        if position < self.before:
            at = position
        elif self.count - position <= self.after:
            at = len(kids) - (self.count - position)
        else:
            return builder.plain(el)
        kid = kids[at]
        line = el.sourceline
        if (
            el.tag != kid.tag
            or (line if isinstance(line, int) else 0) != kid.line
            or builder.count != kid.index
        ):
            return builder.plain(el)
        if at + 1 < len(kids):
            builder.count = kids[at + 1].index
        else:
            builder.count = kid.index + sum(1 for _ in kid.iter())
        return kid


class TreeBuilder:
    """Turns an lxml tree into `ozml.nodes`, numbering elements in document order.

    White space between the nodes of an element is layout, and is dropped, unless it is part of
    the element's text: when the element also holds text that is not white space (mixed
    content: ``Hello<!--c--> <?php x?>world`` keeps its space), or inside
    ``xml:space="preserve"`` (when `watch_space` says the document may hold one).
    """

    def __init__(self, scanner: CdataScanner | None = None, *, watch_space: bool = False) -> None:
        self.count = 0
        self.entities: list[tuple[Element, str]] = []
        self.scanner = scanner
        self.watch_space = watch_space
        #: The original text of each masked template part (`ozml.templates.Masked`), when the
        #: document has parts in its text or values.
        self.originals: tuple[str, ...] = ()
        #: The part numbers of each text holding parts, by the text's id().
        self.numbers: dict[int, tuple[int, ...]] = {}
        #: Whether no element can have more than `MANY_ATTRIBUTES` attributes (`plain`).
        self.few_attributes = False
        #: Each element and attribute name met, kept once, when the document is large
        #: (`SHARE_NAMES`): lxml gives a new string for every name it is asked for, and a
        #: document repeats a few names over and over (a tenth of a large tree's memory).
        self.names: dict[str, str] | None = None
        #: The texts and attributes shared (`shared_text`, `shared_attribute`), used when
        #: `names` is (a large document): nodes hold no position, so one node serves every
        #: place it is written (a seventh of a large generated tree's memory).
        self.texts: dict[str, Text] = {}
        self.attributes: dict[tuple[str, str], Attribute] = {}
        #: The elements that declare namespaces, with their declarations (`element`): read
        #: from the tree the first time `element` is called, unless set before (to none, for
        #: a document that cannot declare any).
        self.declared: dict[etree._Element, _namespaces.Declared] | None = None

    def shared_text(self, value: str) -> Text:
        """A `Text` of `value`: for a short value, the one made when it was first met."""
        if len(value) > SHARE_VALUE:
            return Text(value)
        texts = self.texts
        text = texts.get(value)
        if text is None:
            text = Text(value)
            if len(texts) < SHARED_KEPT:
                texts[value] = text
        return text

    def shared_attribute(self, name: str, value: str) -> Attribute:
        """An `Attribute` of `name` (kept once: `names`) and `value`: for a short value, the
        one made when the pair was first met."""
        if len(value) > SHARE_VALUE:
            return Attribute(name, value)
        shared = self.attributes
        key = (name, value)
        attribute = shared.get(key)
        if attribute is None:
            attribute = Attribute(name, value)
            if len(shared) < SHARED_KEPT:
                shared[key] = attribute
        return attribute

    def text(self, value: str) -> Text:
        scanner = self.scanner
        cdata = bool(scanner and scanner.text_is_cdata())
        if self.originals and _templates.MARK in value:
            value, spans, numbers = _templates.restore_numbered(value, self.originals)
            text = Text(value, cdata, spans)
            self.numbers[id(text)] = numbers
            return text
        return Text(value, cdata=True) if cdata else Text(value)

    def parts(self, text: Text) -> list[Template]:
        """A text of template parts only, as `Template` nodes."""
        numbers = self.numbers.get(id(text), ())
        return [
            Template(text.value[start:end], numbers[i] if i < len(numbers) else -1)
            for i, (start, end) in enumerate(text.templates)
        ]

    def attribute(self, name: str, value: str) -> Attribute:
        if self.names is not None:
            name = self.names.setdefault(name, name)
        if self.originals and _templates.MARK in value:
            value, spans = _templates.restore(value, self.originals)
            return Attribute(name, value, spans)
        return Attribute(name, value)

    def plain(self, el: etree._Element, kept: Kept | None = None) -> Element:
        """`element` for a document without namespaces, ``xml:`` attributes, CDATA, template
        parts or a DTD (`_plain_markup`): the same tree, without asking for what such a
        document cannot hold (most documents: a third of the time to build the tree).

        `kept` (for the root only) gives each child element instead, from an earlier tree
        where it can (`Kept`)."""
        index = self.count
        self.count = index + 1
        children: list[Node] = []
        mixed = blank = False
        shared = self.names is not None
        head = el.text
        if head:
            if not head.strip(XML_SPACE):
                blank = True
            else:
                children.append(self.shared_text(head) if shared else Text(head))
                mixed = True
        # A leaf (most elements) is not iterated: an iterator over no children costs more
        # than the rest of the element's visit.
        if len(el):
            plain = self.plain if kept is None else kept
            for child in el:
                if type(child) is _ELEMENT:
                    children.append(plain(child))
                else:
                    misc = misc_of(child)
                    if misc is not None:
                        children.append(misc)
                    elif isinstance(child.tag, str):  # an element of another class
                        children.append(plain(child))
                tail = child.tail
                if tail:
                    if not tail.strip(XML_SPACE):
                        blank = True
                    else:
                        children.append(self.shared_text(tail) if shared else Text(tail))
                        mixed = True
            if mixed and blank:
                children = with_blanks(el, children, [])
        line = el.sourceline
        tag = el.tag
        assert isinstance(tag, str)
        # `few_attributes`: no element of the document can have more attributes than
        # `attribute_pairs` reads directly, which it then need not count.
        pairs: list[tuple[str, str]] = (
            el.items()  # type: ignore[assignment]  # lxml-stubs: str | bytes
            if self.few_attributes
            else attribute_pairs(el)
        )
        attributes: tuple[Attribute, ...] = ()
        if self.names is None:
            if pairs:
                attributes = tuple([Attribute(name, value) for name, value in pairs])
        else:
            keep = self.names.setdefault
            tag = keep(tag, tag)
            if pairs:
                share = self.shared_attribute
                attributes = tuple([share(keep(name, name), value) for name, value in pairs])
        return Element(
            tag,
            attributes,
            tuple(children),
            index,
            line if isinstance(line, int) else 0,
        )

    def element(
        self,
        el: etree._Element,
        scope: _namespaces.Scope | None = None,
        preserve: bool = False,
    ) -> Element:
        """The node of `el`, in the namespaces of `scope` (its parent's), and of everything in
        it; `preserve`: inside ``xml:space="preserve"``."""
        index = self.count
        self.count += 1
        scanner = self.scanner
        closed = scanner.start() if scanner else False
        tag = el.tag
        assert isinstance(tag, str)
        attributes: list[Attribute] = []
        declared = self.declared
        if declared is None:  # the first element built: read every element's declarations
            declared = self.declared = _namespaces.declarations(el)
        own = declared.get(el) if declared else None
        if own:
            # Its own declarations, but for those that bind a prefix as the parent does.
            for prefix, uri in own:
                if scope is None or scope.bound(prefix) != uri:
                    attributes.append(Attribute(f"xmlns:{prefix}" if prefix else "xmlns", uri))
            scope = _namespaces.Scope(own, scope)
        named = _namespaces.attribute_name
        for name, text in attribute_pairs(el):
            attributes.append(self.attribute(named(name, scope), text))
        if tag.startswith("{"):
            tag = _namespaces.element_name(el)
        if self.names is not None:
            tag = self.names.setdefault(tag, tag)
        if self.watch_space:
            space = el.get(_XML_SPACE)
            if space is not None:
                preserve = space == "preserve"
        children: list[Node] = []
        mixed = preserve
        # Whether each text of white space only was CDATA, which only the scanner can say while
        # it is at that place (documents without CDATA have no scanner and pay nothing).
        blank_cdata: list[bool] | None = [] if scanner is not None else None
        blank = False
        head = el.text
        templated = False  # a text of template parts only (see `_between_commands`)
        if head:
            if head.strip(XML_SPACE):
                piece = self.text(head)
                children.append(piece)
                if piece.templates and _template_only(piece):
                    templated = True
                else:
                    mixed = True
            else:
                blank = True
                if blank_cdata is not None and scanner is not None:
                    blank_cdata.append(scanner.text_is_cdata())
        entity_owner: list[str] = []
        for child in el:
            if isinstance(child, etree._Entity):
                name = child.name
                children.append(EntityRef(name))
                entity_owner.append(name)
                mixed = True
            elif isinstance(child.tag, str):
                children.append(self.element(child, scope, preserve))
            else:
                if scanner:
                    scanner.step()
                misc = misc_of(child)
                if misc is not None:
                    children.append(misc)
            tail = child.tail
            if tail:
                if tail.strip(XML_SPACE):
                    piece = self.text(tail)
                    children.append(piece)
                    if piece.templates and _template_only(piece):
                        templated = True
                    else:
                        mixed = True
                else:
                    blank = True
                    if blank_cdata is not None and scanner is not None:
                        blank_cdata.append(scanner.text_is_cdata())
        if templated:
            if not mixed and _holds_commands(tag, children):
                out: list[Node] = []
                for node_ in children:
                    if isinstance(node_, Text):
                        out.extend(self.parts(node_))
                    else:
                        out.append(node_)
                children = out
            else:
                mixed = True
        if mixed and blank:
            children = with_blanks(el, children, blank_cdata or [])
        if scanner and not closed:
            scanner.step()
        line = el.sourceline
        node = Element(
            tag, tuple(attributes), tuple(children), index, line if isinstance(line, int) else 0
        )
        for name in entity_owner:
            self.entities.append((node, name))
        return node
