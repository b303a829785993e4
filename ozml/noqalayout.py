"""What the formatter keeps of a document's suppression comments (docs/formatter.md).

A ``noqa`` or ``disable-file`` comment suppresses findings; formatting must leave ``ozml check``
reporting what it reported before. Which findings a comment suppresses is the linter's one
choice (`ozml.lint.noqa.apply`, asked through `ozml.lint.linter.lint_result`'s ``taken``), and
this module reads it for the formatter:

- A name whose finding a comment suppresses (legacy-name, OZ301; non-canonical-case, OZ303:
  the findings whose fixes are the formatter's renames) is kept as written, as ``ozml check
  --fix`` keeps it: the fix of a suppressed finding is never applied, and renaming the name
  would leave the comment suppressing nothing (OZ901).
- A ``noqa`` comment covers lines (`ozml.lint.noqa.Layout.covered`): the findings that begin on
  them are suppressed. The formatter moves elements onto lines of their own, so it checks that
  each comment still suppresses exactly the findings it did (`Coverage`, by rule and element)
  and, for a comment that would not, writes it at the end of the line of each element whose
  findings it suppressed, naming there only the codes used there (`relocated`): after the
  element (or after the start tag of an element laid out over several lines). Should even that
  not keep them (an element inside text), the document is refused rather than changed.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Container, Iterator
from typing import TYPE_CHECKING

import attrs

from ozml.lint.directives import Kind, scan
from ozml.lint.linter import lint_result
from ozml.lint.noqa import code_of, narrowing
from ozml.lint.rules.legacy_name import LegacyName
from ozml.lint.rules.non_canonical_case import NonCanonicalCase
from ozml.lint.rules.unused_noqa import UnusedNoqa
from ozml.nodes import Comment, Document, Element, Node
from ozml.writer import Layout, is_block

if TYPE_CHECKING:
    from ozml.diagnostics import Diagnostic
    from ozml.lint.directives import Directive
    from ozml.lint.settings import LintSettings
    from ozml.parser import ParseResult
    from ozml.positions import Source

#: The rules whose findings are the formatter's renames: each finding is a name (or a value)
#: the formatter writes canonically, at the start of the finding's span.
RENAMING = frozenset({LegacyName.code, NonCanonicalCase.code})


#: What the comments of a document suppress, comment by comment (in the order written): the
#: rule and the element (by number, `_element_at`) of each finding.
Coverage = list[Counter[tuple[str, int]]]


def _element_at(starts: list[int], offset: int) -> int:
    """The number of the last element whose start tag begins at or before `offset` (`starts`:
    where each start tag begins, in order): the same for a finding before and after
    formatting, which moves no element past another."""
    return bisect.bisect_right(starts, offset) - 1


class Suppressed:
    """The findings a document's own comments suppress, each with the comment that does, and
    the names among them the formatter keeps as written (`keeps_tag`, `keeps_name`,
    `keeps_value`)."""

    __slots__ = ("_kept", "_starts", "coverage", "settings", "source", "taken", "unused")

    def __init__(self, result: ParseResult, settings: LintSettings) -> None:
        taken: list[tuple[Diagnostic, Directive]] = []
        found = lint_result(result, settings, taken=taken)
        self.settings = settings
        self.source: Source = result.source
        #: What each line comment suppresses, and how many suppressions suppress nothing.
        self.coverage = _coverage(result.source, taken)
        self.unused = sum(d.code == UnusedNoqa.code for d in found)
        #: (finding, the comment that suppresses it), in the order the linter found them.
        self.taken = taken
        #: Where each suppressed name or value to keep begins in the text.
        self._kept = frozenset(d.span.start for d, _ in taken if d.code in RENAMING)
        #: The same, in order, to find those inside one start tag with a bisection.
        self._starts = sorted(self._kept)

    def keeps(self, element: Element) -> bool:
        """Whether a name or a value in the element's start tag is to be kept as written (most
        elements: no; asked before the questions below)."""
        if not self._starts:
            return False
        extent = self.source.extent(element)
        if extent is None:
            return False
        start, tag_end, _ = extent
        i = bisect.bisect_left(self._starts, start)
        return i < len(self._starts) and self._starts[i] < tag_end

    def keeps_tag(self, element: Element) -> bool:
        """Whether the element's name is to be kept as written."""
        return self.source.element_span(element).start in self._kept

    def keeps_name(self, element: Element, name: str) -> bool:
        """Whether the name of the element's attribute `name` is to be kept as written."""
        return self.source.attribute_span(element, name).start in self._kept

    def keeps_value(self, element: Element, name: str) -> bool:
        """Whether the value of the element's attribute `name` is to be kept as written."""
        return self.source.attribute_span(element, name, value=True).start in self._kept


def noqa_comments(source: Source) -> list[Directive]:
    """The ``noqa`` comments of `source`, in the order written: what `Coverage` numbers."""
    return [d for d in scan(source) if d.kind is Kind.NOQA]


def _coverage(source: Source, taken: list[tuple[Diagnostic, Directive]]) -> Coverage:
    """What each ``noqa`` comment of `source` suppresses (`Coverage`)."""
    comments = noqa_comments(source)
    place = {d.start: i for i, d in enumerate(comments)}
    found: Coverage = [Counter() for _ in comments]
    starts = [tag.start for tag in source.tags] if taken else []
    for finding, directive in taken:
        if directive.start in place:
            element = _element_at(starts, finding.span.start)
            found[place[directive.start]][finding.code, element] += 1
    return found


def keeps(before: Suppressed, after: Suppressed, *, in_place: bool = True) -> bool:
    """Whether a formatted document's comments suppress what the original's did: the same
    findings (each comment the same ones, when the comments are where they were, `in_place`),
    and as many suppressions suppressing nothing."""
    if before.unused != after.unused:
        return False
    if in_place:
        return before.coverage == after.coverage
    total: Counter[tuple[str, int]] = Counter()
    for counted in before.coverage:
        total.update(counted)
    for counted in after.coverage:
        total.subtract(counted)
    return not +total and not -total


def moved(before: Suppressed, after: Suppressed) -> list[int]:
    """The comments (by number, in the order written) that suppress other findings in the
    formatted document than in the original; all of them with suppressions when the two do not
    hold the same comments."""
    if len(before.coverage) != len(after.coverage):
        return [i for i, counted in enumerate(before.coverage) if counted]
    return [
        i
        for i, (old, new) in enumerate(zip(before.coverage, after.coverage, strict=True))
        if old != new and old
    ]


def relocated(
    document: Document,
    layout: Layout,
    before: Suppressed,
    comments: dict[int, Comment],
    which: list[int],
) -> tuple[Document, Layout] | None:
    """The document with each comment of `which` written at the end of the line of each element
    whose findings it suppressed (`Coverage`): after the element, or after the start tag of one
    laid out over several lines (`ozml.writer.is_block`), naming there the codes it used there;
    and the layout that keeps them there. None when a comment cannot be moved: it is not in
    the tree, lies in an element written as it is (text beside it), or covered something other
    than an element."""
    directives = noqa_comments(before.source)
    elements = dict(_with_owners(document))
    after: dict[int, list[Comment]] = {}  # id of an element -> the comments to write after it
    inside: dict[int, list[Comment]] = {}  # ... or after its start tag
    gone: set[int] = set()
    for number in which:
        directive = directives[number]
        node = comments.get(directive.start)
        if node is None:
            return None
        gone.add(id(node))
        by_owner: dict[int, set[str]] = {}
        for code, index in sorted(before.coverage[number]):
            if index not in elements:
                return None
            by_owner.setdefault(index, set()).add(code)
        for index, codes in by_owner.items():
            owner = elements[index]
            copy = Comment(_narrowed(before.source.text, directive, codes))
            (inside if is_block(owner) else after).setdefault(id(owner), []).append(copy)
    parents = _parents(document)
    if any(id(node) in gone and not _laid_out(parents.get(id(node))) for node in _nodes(document)):
        return None
    changed: dict[int, Node] = {}
    assert document.root is not None
    root = _rebuilt(document.root, _Moves(inside, after, gone), changed)
    epilog = (*after.get(id(document.root), ()), *document.epilog)
    new_document = attrs.evolve(
        document,
        root=root,
        prolog=tuple(n for n in document.prolog if id(n) not in gone),
        epilog=tuple(n for n in epilog if id(n) not in gone),
    )
    copies = {id(c) for made in (*after.values(), *inside.values()) for c in made}
    blank = {id(changed[i]) if i in changed else i for i in _ids(layout.blank_before, document)}
    trailing = _ids(layout.trailing, document) | copies
    return new_document, Layout(frozenset(blank), frozenset(trailing), layout.separators)


class _Moves:
    """The comments `relocated` writes after the start tag of an element (`inside`) or after
    an element (`after`), by the element's id, and those it takes away (`gone`, by id)."""

    __slots__ = ("after", "gone", "inside")

    def __init__(
        self, inside: dict[int, list[Comment]], after: dict[int, list[Comment]], gone: set[int]
    ) -> None:
        self.inside = inside
        self.after = after
        self.gone = gone


def _rebuilt(element: Element, moves: _Moves, changed: dict[int, Node]) -> Element:
    """`element` with `moves` made inside it; each element made anew is put in `changed`, by
    the id of the one it replaces."""
    children: list[Node] = list(moves.inside.get(id(element), ()))
    for child in element.children:
        if id(child) in moves.gone:
            continue
        if isinstance(child, Element):
            children.append(_rebuilt(child, moves, changed))
            children.extend(moves.after.get(id(child), ()))
        else:
            children.append(child)
    if tuple(children) == element.children:
        return element
    new = attrs.evolve(element, children=tuple(children))
    changed[id(element)] = new
    return new


def _narrowed(text: str, directive: Directive, codes: set[str]) -> str:
    """The text of a copy of the comment `directive` naming only `codes` of its codes (all of
    them for a comment naming none)."""
    inner = text[directive.start + 4 : directive.end - 3]
    if not directive.codes:
        return inner
    named = {code for code, _ in _codes(directive)}
    edits = narrowing(directive, named - codes)
    if edits is None:
        return inner
    start = directive.start + 4
    for edit in reversed(edits):  # in order, apart: the last first keeps the others' places
        inner = inner[: edit.start - start] + edit.text + inner[edit.end - start :]
    return inner


def _codes(directive: Directive) -> Iterator[tuple[str, str]]:
    """(code, as written) of each code the comment names."""
    for ref in directive.codes:
        code = code_of(ref.text)
        if code is not None:
            yield code, ref.text


def _with_owners(document: Document) -> Iterator[tuple[int, Element]]:
    """(number, the element whose line it is on) of each element: the outermost element around
    it, itself included, that is written on one line (`ozml.writer.is_block`), else itself."""
    assert document.root is not None
    stack: list[tuple[Element, Element | None]] = [(document.root, None)]
    while stack:
        element, owner = stack.pop()
        if owner is None and not is_block(element):
            owner = element
        yield element.index, owner if owner is not None else element
        stack.extend((child, owner) for child in element.elements)


def _parents(document: Document) -> dict[int, Element | None]:
    """The element each node is in (None: the document's own prolog and epilog)."""
    found: dict[int, Element | None] = {id(n): None for n in (*document.prolog, *document.epilog)}
    assert document.root is not None
    stack = [document.root]
    while stack:
        element = stack.pop()
        for child in element.children:
            found[id(child)] = element
            if isinstance(child, Element):
                stack.append(child)
    return found


def _nodes(document: Document) -> Iterator[Node]:
    yield from document.prolog
    assert document.root is not None
    stack: list[Node] = [document.root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Element):
            stack.extend(node.children)
    yield from document.epilog


def _laid_out(parent: Element | None) -> bool:
    """Whether a node in `parent` stands on a line of its own (a comment taken from an element
    written as it is would change its text)."""
    return parent is None or is_block(parent)


def _ids(ids: Container[int], document: Document) -> set[int]:
    """The ids of `ids` (a layout's container) among the nodes of `document`."""
    return {id(n) for n in _nodes(document) if id(n) in ids}


__all__ = ["RENAMING", "Coverage", "Suppressed", "keeps", "moved", "noqa_comments", "relocated"]
