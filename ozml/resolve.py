"""Resolving a tree against the catalog: what each element and attribute, as written, means.

The linter, the interpreter, the formatter's fixes and the language server all need to know that
``<speak>`` is Speak and ``Dialled`` is Call's Dialed; this module answers it once per element.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from lxml import etree

from ozml import parser as _parser
from ozml.catalog import Command, Match, MatchKind, Param, ParamMatch, lookup_element, lookup_param
from ozml.xmlparser import attribute_pairs, read_through
from ozml.xmlspace import XML_SPACE
from ozml.xmlspace import strip as _strip

if TYPE_CHECKING:
    from ozml.nodes import Attribute, Element
    from ozml.parser import ParseResult


class _Unset:
    """The type of `_UNSET`: a value not worked out yet (a plain class, made faster than an
    enumeration when the module loads)."""

    __slots__ = ()


_UNSET = _Unset()


#: What a record holds of its element's name (`Resolved.match`, `command`, `name`).
_Named = tuple[Match | None, Command | None, str]

#: Each element name met, with the string kept for it (lxml makes a new one each time: a large
#: document's records then share one) and what a record holds of it (`_Named`); `_TAGS_KEPT`
#: at most (a document of many distinct names, all unknown, looks the others up each time).
_TAGS: dict[object, tuple[str, _Named]] = {}
_TAGS_KEPT = 4096


def named(tag: str) -> _Named:
    """How an element name matches the catalog, its entry, and the name a record goes by: one
    look-up for a name met before."""
    known = _TAGS.get(tag)
    return known[1] if known is not None else _tag(tag)[1]


def _tag(written: object) -> tuple[str, _Named]:
    """The look-up of an element name not met before (`named`, `_FromLxml.record`)."""
    assert isinstance(written, str)
    match = lookup_element(written)
    command = None if match is None else match.command
    known = (written, (match, command, written if command is None else command.name))
    if len(_TAGS) < _TAGS_KEPT:
        _TAGS[written] = known
    return known


class Resolved:
    """One element with its catalog entry, its parent, and its attributes' meanings.

    A plain class rather than an attrs one: one record is made per element of every document
    linted, and a file with findings pays for each class its run defines (cold start,
    docs/performance.md). Records are compared by identity: two records are the same element
    of the same resolution.
    """

    __slots__ = (
        "_attributes",
        "_element",
        "_has_text",
        "_matches",
        "_text",
        "_written",
        "command",
        "index",
        "match",
        "name",
        "parent",
        "tag",
    )

    def __init__(
        self,
        element: Element | _Unlinked,
        tag: str,
        index: int,
        parent: Resolved | None,
        known: _Named,
        attributes: Sequence[tuple[Attribute, ParamMatch | None]] | None,
        written: Sequence[tuple[str, str]] | None = None,
        text: str | _Unset | None = _UNSET,
        has_text: bool | None = None,
        matches: Sequence[ParamMatch | None] | None = None,
    ) -> None:
        #: The element, or, for a record made from lxml's tree (`resolve_lxml`), the records
        #: whose elements are not linked yet.
        self._element: Element | _Unlinked = element
        #: The element's name as written and its number in document order (its `Element.tag`
        #: and `Element.index`): with `line`, what `ozml.positions` places it by.
        self.tag: str = tag
        self.index: int = index
        self.parent = parent
        #: How the name matches the catalog, its entry (None for an unknown element: kept as a
        #: field, rules read it often) and the canonical name when the element is known, else
        #: the name as written: what `named` says of `tag` (`known`).
        self.match: Match | None
        self.command: Command | None
        self.name: str
        self.match, self.command, self.name = known
        #: `attributes` and `written`: either may be worked out from the other on first use
        #: (never both None). A record read from lxml's tree keeps what lxml gave, and makes
        #: its `Attribute` nodes, each with its parameter, only when something asks for them:
        #: the linter judges elements by their names and values (`written`) and the
        #: parameters they stand for (`matches`), and so never loads the document model.
        self._attributes = attributes
        self._written = written
        self._matches = matches
        #: `text` and `has_text`, when not given, worked out on first use. Both look at every
        #: child, and rules ask them of every element: the language server's re-lint asks them
        #: of the root once per top-level command, which must not cost the number of commands
        #: each time.
        self._text = text
        self._has_text = has_text

    def __repr__(self) -> str:
        return f"Resolved({self.name!r}, line={self.line}, depth={self.depth})"

    @property
    def depth(self) -> int:
        """How many elements the element is inside (0 for the root), counted up its parents:
        not kept in the record (a large document's records are a million), so a caller that
        asks it of every record asks something else (``rec.parent is root``)."""
        depth = 0
        parent = self.parent
        while parent is not None:
            depth += 1
            parent = parent.parent
        return depth

    @property
    def element(self) -> Element:
        """The element; for a record made from lxml's tree (`resolve_lxml`), the document's
        tree is built when this is first asked of any of its records."""
        element = self._element
        if isinstance(element, _Unlinked):
            element = self._element = element.element(self.index)
        return element

    @property
    def attributes(self) -> Sequence[tuple[Attribute, ParamMatch | None]]:
        """The element's attributes in the order written, each with the parameter it stands
        for (None for an attribute of no parameter, or of an unknown element)."""
        found = self._attributes
        if found is None:
            from ozml.nodes import Attribute  # the document model, loaded when asked for

            written = self.written
            found = self._attributes = [
                (Attribute(name, value), pm)
                for (name, value), pm in zip(written, self.matches, strict=True)
            ]
        return found

    @property
    def matches(self) -> Sequence[ParamMatch | None]:
        """The parameter each attribute stands for (None for an attribute of no parameter, or
        of an unknown element), in the order written: `attributes` without their nodes, beside
        `written`."""
        found = self._matches
        if found is None:
            attributes = self._attributes
            if attributes is not None:
                found = [pm for _, pm in attributes] if attributes else ()
            else:
                command = self.command
                found = [_stands_for(command, name) for name, _ in self.written]
            self._matches = found
        return found

    @property
    def written(self) -> Sequence[tuple[str, str]]:
        """The element's attributes as (name, value), as written and in that order: what
        `attributes` holds without its nodes and parameters."""
        found = self._written
        if found is None:
            attributes = self._attributes
            assert attributes is not None
            found = self._written = (
                [(attr.name, attr.value) for attr, _ in attributes] if attributes else ()
            )
        return found

    @property
    def line(self) -> int:
        """The element's line (`Element.line`), without building the tree."""
        element = self._element
        if isinstance(element, _Unlinked):
            return element.lines[self.index]
        return element.line

    @property
    def text(self) -> str | None:
        """The element's own text without the XML white space around it (`Element.text`), or
        None when it has none."""
        text = self._text
        if isinstance(text, _Unset):
            text = self._text = self.element.text
        return text

    @property
    def has_text(self) -> bool:
        """Whether the element has character data of its own (a `Text` child)."""
        found = self._has_text
        if found is None:
            from ozml.nodes import Text  # the tree is built: its classes are loaded

            found = self._has_text = any(isinstance(c, Text) for c in self.element.children)
        return found

    def value(self, param: Param) -> str | None:
        """The parameter's value: from its attribute (any spelling), else from the text."""
        place = self.place_of(param)
        if place is not None:
            return self.written[place][1]
        if param.text:
            return self.text
        return None

    def attribute_for(self, param: Param) -> Attribute | None:
        """The first attribute that stands for the parameter (any spelling), or None."""
        place = self.place_of(param)
        return None if place is None else self.attributes[place][0]

    def written_for(self, param: Param) -> tuple[str, str] | None:
        """`attribute_for` as (name, value), without making the record's attribute nodes."""
        place = self.place_of(param)
        return None if place is None else self.written[place]

    def place_of(self, param: Param) -> int | None:
        """Where the first attribute that stands for the parameter stands among the element's
        attributes (`attributes`, `written`), or None.

        Rules ask this of most elements they judge: a loop over `matches`, not a generator
        (through one, a lookup among a few attributes took twice as long)."""
        found = self._matches
        for place, pm in enumerate(self.matches if found is None else found):
            if pm is not None and pm.param is param:
                return place
        return None

    def value_templates(self, place: int) -> tuple[tuple[int, int], ...]:
        """Where the server-side template parts are in the value of the attribute at `place`
        (`Attribute.templates`), without making the attribute nodes: a record whose nodes are
        not made was read from lxml's tree of a plain document, which holds none."""
        attributes = self._attributes
        return () if attributes is None else attributes[place][0].templates

    def params(self) -> dict[str, str]:
        """Canonical parameter name → value, for every known parameter given."""
        found: dict[str, str] = {}
        cmd = self.command
        if cmd is None:
            return found
        written = self.written
        for place, pm in enumerate(self.matches):
            if pm is not None and pm.param.name not in found:
                found[pm.param.name] = written[place][1]
        text_param = cmd.text_param
        if text_param is not None and text_param.name not in found:
            text = self.text
            if text is not None:
                found[text_param.name] = text
        return found


def shape_of(rec: Resolved) -> tuple[object, ...]:
    """What a ``reads = "shape"`` rule may read of an element (`ozml.lint.rule.Rule.reads`):
    its name, its parent's name, its attribute names as written, whether it has text, whether
    its text is None. The linter asks it of every element: it reads what the record holds
    already without going through its properties (half the time), and works out the rest
    through them."""
    written = rec._written
    if written is None:
        written = rec.written
    has_text = rec._has_text
    if has_text is None:
        has_text = rec.has_text
    text = rec._text
    if text is _UNSET:
        text = rec.text
    parent = rec.parent
    return (
        rec.tag,
        None if parent is None else parent.tag,
        tuple([name for name, _ in written]) if written else (),
        has_text,
        text is None,
    )


def _stands_for(command: Command | None, name: str) -> ParamMatch | None:
    """The parameter an attribute written `name` of an element of `command` stands for."""
    return lookup_param(command, name) if command is not None and command.params else None


def resolve_element(element: Element, parent: Resolved | None = None) -> Resolved:
    known = named(element.tag)
    cmd = known[1]
    attributes = [(attr, _stands_for(cmd, attr.name)) for attr in element.attributes]
    return Resolved(element, element.tag, element.index, parent, known, attributes or ())


def resolve(root: Element, previous: list[Resolved] | None = None) -> list[Resolved]:
    """Every element of the tree, resolved, in document order.

    `previous` is what this function gave for an earlier version of the document, when the
    parser built this tree from that one's (`ozml.parser.parse`'s `previous`): the records of
    the top-level commands the two trees share are taken from it instead of being made again,
    with their parent now this root's record. It must not be used after this call.
    """
    from ozml.nodes import Element  # a tree is given: the document model is loaded

    out: list[Resolved] = []
    if not previous or root.index != 0:
        _walk(out, [(root, None)])
        return out
    top = resolve_element(root)
    out.append(top)
    kids = [child for child in root.children if isinstance(child, Element)]
    for i, kid in enumerate(kids):
        # A parser's tree numbers its elements in document order, which is the order of their
        # records: the record of an element numbered n is at n, its command's after it.
        at = kid.index
        if 0 < at < len(previous) and previous[at].element is kid:
            end = kids[i + 1].index if i + 1 < len(kids) else at + sum(1 for _ in kid.iter())
            taken = previous[at:end]
            taken[0].parent = top
            out.extend(taken)
        else:
            _walk(out, [(kid, top)])
    return out


def _walk(out: list[Resolved], stack: list[tuple[Element, Resolved | None]]) -> None:
    """Resolves the trees on `stack` (each with its parent's record) into `out`."""
    from ozml.nodes import Element, EntityRef, Text  # a tree is given: the model is loaded

    append = out.append
    pop, push = stack.pop, stack.append
    while stack:
        element, parent = pop()
        tag = element.tag
        known = named(tag)
        cmd = known[1]
        # Most elements have no attributes: they share the empty tuple.
        given = element.attributes
        attributes: Sequence[tuple[Attribute, ParamMatch | None]] = ()
        if given:
            attributes = [(attr, _stands_for(cmd, attr.name)) for attr in given]
        resolved = Resolved(element, tag, element.index, parent, known, attributes)
        append(resolved)
        # The one look at the children also answers `has_text`, and `text` when the element
        # has no text or one piece of it (`Element.text`), which rules ask of every element.
        texts = 0
        textual = False
        last: Text | None = None
        for child in reversed(element.children):
            if isinstance(child, Element):
                push((child, resolved))
            elif isinstance(child, Text):
                texts += 1
                last = child
            elif isinstance(child, EntityRef):
                textual = True
        resolved._has_text = texts > 0
        if not textual:
            if not texts:
                resolved._text = None
            elif texts == 1 and last is not None:
                resolved._text = _strip(last.value)


class _Unlinked:
    """What the records made from lxml's tree (`resolve_lxml`) share while their elements are
    not linked: each record's line, and the parse result whose tree they stand for, built
    (`ParseResult.document`) when a record is first asked for its element.

    It holds no record. Each record holds it, and a way back from it to the records (as it
    once had, to link them all at once) made every linted document's records, with its parse
    result and source, a cycle that only the cyclic collector frees: about 54 objects per
    800-byte file, which the collector then had to find (docs/performance.md). Without it,
    they go as soon as the last reference to the records does."""

    __slots__ = ("_elements", "lines", "result")

    def __init__(self, result: ParseResult | None) -> None:
        #: None only while the parser reads the document, before its result exists
        #: (`StreamedRecords`).
        self.result = result
        #: Each record's line, by its number: machine integers rather than an int object in
        #: each record (a large document's records are a million; `Resolved.line`).
        self.lines = array("q")
        #: The tree's elements in document order, once it is built (`element`).
        self._elements: list[Element] | None = None

    def element(self, index: int) -> Element:
        """The tree's element number `index` (the record's `Resolved.index`), the tree built
        when first asked for."""
        elements = self._elements
        if elements is None:
            if self.result is None:  # being read for a sink (`StreamedRecords`)
                raise _parser.NotHeld("the document is being read")
            root = self.result.document.root
            assert root is not None
            # The records are numbered in document order, as `Element.iter` gives the elements.
            elements = self._elements = list(root.iter())
            assert len(elements) == len(self.lines)
        return elements[index]


def resolve_lxml(result: ParseResult) -> list[Resolved] | None:
    """`resolve` of the tree of `result` without building it, from lxml's (when it is not built
    yet: `ParseResult.unbuilt`, or `ParseResult.streamed` read again piece by piece, unless
    the parser made them as it read it, `ParseResult.take_records`; else None): the same
    records, in the same order, whose `Resolved.element` builds the tree when
    first asked for. Most lints never ask: a rule reads an element's name, attributes and text
    from its record (a third of the time of building the tree and resolving it; for a large
    document, about half the memory of the tree and its records)."""
    reading = result.reading
    if reading is None:
        return None
    kept = result.take_records()
    if kept is not None:
        return kept  # made as the parser read the document (`StreamedRecords`)
    root = result.unbuilt
    if root is not None:
        made = _FromLxml(result, *reading)
        made.walk([root], None)
        return made.records
    data = result.streamed
    assert data is not None
    reader = StreamedRecords(*reading)
    found = read_through(data, piece=_parser.STREAM_PIECE, take=reader.take)
    assert found is not None  # the parser read it through
    return reader.finish(result)


#: The parameter each of a record's attributes stands for (`Resolved.matches`; None: not
#: worked out yet), and its attributes as written (`Resolved.written`).
_Shared = tuple[Sequence[ParamMatch | None] | None, tuple[tuple[str, str], ...]]


class _FromLxml:
    """Makes the records of lxml's elements (`resolve_lxml`), numbered in document order."""

    __slots__ = (
        "attributes", "few", "first", "kept", "names", "records", "short", "texts", "unlinked",
    )  # fmt: skip

    def __init__(self, result: ParseResult | None, few: bool, share: bool) -> None:
        self.unlinked = _Unlinked(result)
        #: The records made so far, in the order made: document order; from the record
        #: numbered `first` (`StreamedRecords` with a sink hands the others out).
        self.records: list[Resolved] = []
        self.first = 0
        #: Whether no element has more attributes than `el.items()` reads in linear time.
        self.few = few
        #: In a large document (`share`), each name met is kept once, and so are the short
        #: texts and the attributes of an element name whose values are all short
        #: (`ozml.parser.SHARE_VALUE`), the first `ozml.parser.SHARED_KEPT` met, as the tree
        #: builder keeps them (`ozml.treebuilder.TreeBuilder.shared_text`): lxml gives a new
        #: string each time, and a large document repeats a few of them over and over.
        self.names: dict[str, str] | None = {} if share else None
        self.texts: dict[str, str] = {}
        self.attributes: dict[tuple[object, ...], _Shared] = {}
        self.short = _parser.SHARE_VALUE
        self.kept = _parser.SHARED_KEPT

    def record(
        self,
        el: etree._Element,
        parent: Resolved | None,
        text: str | _Unset | None = _UNSET,
        has_text: bool | None = None,
    ) -> Resolved:
        """The record of `el` (added to the records), with its text when it is given."""
        written_tag = el.tag
        # One look-up for the name (the one kept) and its catalog entry.
        known = _TAGS.get(written_tag)
        if known is None:
            known = _tag(written_tag)
        tag, name = known
        names = self.names
        pairs: list[tuple[str, str]] = (
            el.items() if self.few else attribute_pairs(el)  # type: ignore[assignment]  # stubs
        )
        # The attribute nodes are made when asked for (`Resolved.attributes`): the linter
        # reads `written` and `matches`.
        attributes: tuple[()] | None = None
        matches: Sequence[ParamMatch | None] | None = None
        written: Sequence[tuple[str, str]]
        if not pairs:
            attributes = written = matches = ()
        elif names is not None:
            matches, written = self.shared(tag, name[1], pairs, names)
        else:
            written = pairs
        unlinked = self.unlinked
        records = self.records
        # Records are numbered in the order they are made: document order.
        rec = Resolved(
            unlinked,
            tag,
            self.first + len(records),
            parent,
            name,
            attributes,
            written,
            text,
            has_text,
            matches,
        )
        line = el.sourceline
        unlinked.lines.append(line if isinstance(line, int) else 0)
        records.append(rec)
        return rec

    def shared(
        self,
        tag: str,
        cmd: Command | None,
        pairs: list[tuple[str, str]],
        names: dict[str, str],
    ) -> _Shared:
        """The attributes of an element `tag` of a large document, written `pairs`, each name
        kept once: the parameters they stand for and the attributes as (name, value), both
        shared with the first such element when their values are short; for attributes not
        shared, None for the parameters, worked out when asked for (`Resolved.matches`)."""
        key = (tag, *pairs)
        shared = self.attributes
        found = shared.get(key)
        if found is not None:
            return found
        keep = names.setdefault
        written = tuple([(keep(name, name), value) for name, value in pairs])
        short = self.short
        if len(shared) < self.kept and all(len(value) <= short for _, value in pairs):
            found = shared[key] = (tuple([_stands_for(cmd, name) for name, _ in written]), written)
            return found
        return None, written

    def walk(self, tops: list[etree._Element], parent: Resolved | None) -> None:
        """The records of `tops` (children of `parent`'s element, in order) and of every
        element in them."""
        if not tops:
            return
        record = self.record
        share = self.names is not None
        texts, short, kept = self.texts, self.short, self.kept
        # Each element's parent is found by lxml (`getparent`) among those met before it, in
        # document order: while `made` holds an element, lxml gives it as the same object.
        made: dict[etree._Element | None, Resolved | None] = {tops[0].getparent(): parent}
        for top in tops:
            # A large document's commands are mostly single elements: no iterator for them.
            for el in top.iter(etree.Element) if len(top) else (top,):
                head = el.text
                if len(el):
                    # Its own text, then each child's tail (white space alone included):
                    # mixed content when one of them is not white space alone.
                    found = [head] if head else []
                    mixed = bool(head) and bool(head.strip(XML_SPACE))  # type: ignore[union-attr]
                    for child in el:
                        tail = child.tail
                        if tail:
                            found.append(tail)
                            if not mixed and tail.strip(XML_SPACE):
                                mixed = True
                    made[el] = record(
                        el, made[el.getparent()], _text_of(found, mixed), mixed
                    )
                elif head and (text := head.strip(XML_SPACE)):
                    if share and len(text) <= short:
                        known = texts.get(text)
                        if known is not None:
                            text = known
                        elif len(texts) < kept:
                            texts[text] = text
                    record(el, made[el.getparent()], text, True)
                else:
                    record(el, made[el.getparent()], None, False)


def _text_of(texts: list[str], mixed: bool) -> str | None:
    """The text of an element whose texts (its own, then each child's tail, white space alone
    included) are `texts`, `mixed` when one of them is not white space alone: the tree then
    holds every one of them (mixed content: `ozml.treebuilder.with_blanks`), else none."""
    return _strip("".join(texts)) if mixed else None


class StreamedRecords:
    """Makes the records of a large plain document while lxml reads it piece by piece: `take`
    is `ozml.xmlparser.read_through`'s, given each top-level node once a later one has begun,
    which is then dropped from lxml's tree, so that lxml never holds all of it. `few` and
    `share` are as `ParseResult.reading` says. What `resolve_lxml` reads a streamed document
    with, and what the parser reads one with when its caller will lint it (`ozml.parser.parse`'s
    `records`): then the document is read once, not twice.

    With a `sink` (the parser's `RecordSink`, given its result), the records of each `take`
    are handed to it and not kept, so that no more than a piece's are held at once (the
    root's is kept). The root's text is then None until `finish` says what it is: a sink
    that lints the document as it is read lints it again, whole, when it has one
    (`ozml.lint.stream`)."""

    __slots__ = ("_blanks", "_made", "_mixed", "_spaces", "_texts", "_times", "_top", "sink")

    def __init__(self, few: bool, share: bool) -> None:
        self.sink: Callable[[list[Resolved]], None] | None = None
        self._made = _FromLxml(None, few, share)
        self._top: Resolved | None = None
        # The root's own texts from its first that is not white space alone (`_mixed` once
        # there is one): those before it and after the last would be stripped. White space
        # alone read since the last such text waits in `_blanks`, each value kept once (in
        # `_spaces`) and repeated `_times` over: a large document's root holds one between
        # every two commands.
        self._texts: list[str] = []
        self._blanks: list[str] = []
        self._times: list[int] = []
        self._spaces: dict[str, str] = {}
        self._mixed = False

    def take(self, root: etree._Element, count: int) -> None:
        """The records of the first `count` nodes of `root` (and, the first time, of the root
        itself), for `read_through`."""
        made = self._made
        heads: list[str | None] = []
        top = self._top
        if top is None:  # the first time: the root's record, then its own text
            top = self._top = made.record(root, None)
            if self.sink is not None:
                top._text, top._has_text = None, False  # until `finish` (above)
            heads.append(root.text)
        kids: list[etree._Element] = []
        for _, child in zip(range(count), root, strict=False):
            if isinstance(child.tag, str):
                kids.append(child)
            heads.append(child.tail)
        made.walk(kids, top)
        sink = self.sink
        if sink is not None and made.records:
            batch = made.records
            made.records = []
            made.first += len(batch)
            sink(batch)
        texts, blanks, times, spaces = self._texts, self._blanks, self._times, self._spaces
        for text in heads:
            if not text:
                continue
            if not text.strip(XML_SPACE):
                text = spaces.setdefault(text, text)
                if blanks and blanks[-1] is text:
                    times[-1] += 1
                else:
                    blanks.append(text)
                    times.append(1)
            else:
                if self._mixed:
                    texts.extend([blank * n for blank, n in zip(blanks, times, strict=True)])
                blanks.clear()
                times.clear()
                texts.append(text)
                self._mixed = True

    def finish(self, result: ParseResult) -> list[Resolved]:
        """The records, once `read_through` has read the whole document, for `result`: the
        parse result of that document, whose tree their elements are."""
        top = self._top
        assert top is not None  # the parser read it through
        top._text = _text_of(self._texts, self._mixed)
        top._has_text = self._mixed
        made = self._made
        made.unlinked.result = result
        return made.records


__all__ = [
    "MatchKind",
    "Resolved",
    "StreamedRecords",
    "resolve",
    "resolve_element",
    "resolve_lxml",
    "shape_of",
]
