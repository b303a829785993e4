"""Everything a rule may look at while checking one document."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from ozml.catalog import Context
from ozml.catalog.model import Basis
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.settings import LintSettings
from ozml.parser import NotHeld, ParseResult
from ozml.positions import Source
from ozml.rawbytes import holds, wide
from ozml.resolve import Resolved, resolve, resolve_lxml

if TYPE_CHECKING:
    from ozml.lint.rule import Rule
    from ozml.nodes import Document


def _children_of(records: list[Resolved]) -> dict[int, list[Resolved]]:
    """The records of each record's child elements among `records`, in order, by id() of the
    parent."""
    found: dict[int, list[Resolved]] = {}
    for rec in records:
        parent = rec.parent
        if parent is not None:
            kids = found.get(id(parent))
            if kids is None:
                kids = found[id(parent)] = []
            kids.append(rec)
    return found


class Earlier:
    """What the lint of an earlier version of a document leaves for the lint of the next (the
    language server's, `ozml.lsp.incremental`), to take what an edit left unchanged from: the
    resolved records (`ozml.resolve.resolve`'s `previous`) and the variable analysis of each
    top-level command (`ozml.lint.variables`). Each is taken once, by one context."""

    __slots__ = ("records", "variables")

    def __init__(self, records: list[Resolved] | None, variables: object = None) -> None:
        self.records = records
        #: `ozml.lint.variables`' own record of its parts (opaque here).
        self.variables = variables


class LintContext:
    """One parsed document, its resolved elements, and the run's settings."""

    def __init__(
        self, result: ParseResult, settings: LintSettings, *, earlier: Earlier | None = None
    ) -> None:
        self.result = result
        self.settings = settings
        #: What an earlier version's lint left (None: nothing, as for ``ozml check``).
        self.earlier = earlier
        #: What the rules work out once per document and share, by the function that works it
        #: out (`ozml.lint.variables.analyse`, `ozml.lint.menus.menus`): it goes with the lint.
        self.shared: dict[Callable[..., object], object] = {}
        self._records: list[Resolved] | None = None
        #: Whether the document is linted as it is read (`stream`).
        self.streaming = False
        self._root: Resolved | None = None
        self._count = 0
        #: While streaming: the run taken last, which record numbers it holds, the children of
        #: its records (by id() of the parent; found when first asked for), and the children
        #: of the records kept beyond their run (by number: `keep_children`).
        self._run_records: list[Resolved] = []
        self._run_children: dict[int, list[Resolved]] | None = None
        self._run = range(0)
        self._kept_children: dict[int, list[Resolved]] = {}

    @property
    def document(self) -> Document:
        return self.result.document

    @property
    def source(self) -> Source:
        return self.result.source

    @property
    def context(self) -> Context:
        return self.settings.context

    @cached_property
    def templated(self) -> bool:
        """Whether the document may hold what only a server-side template's run decides: a
        template part or a processing instruction (``<?php echo $x; ?>``), which
        `ozml.templates.dynamic_content` and `in_block` look for among an element's children.
        False says for certain that it holds neither, so that a rule need not ask them (nor
        build the tree: `ozml.resolve.resolve_lxml`); a UTF-16 document, whose bytes these
        searches cannot read, may hold them."""
        result = self.result
        if result.masked is not None:
            return True
        data = result.source.data
        if isinstance(data, bytes):
            if wide(data):
                return True
            # Not the XML declaration (at the start, or after a byte order mark).
            first = data.find(b"<?", 0, 5)
            return holds(data, b"<?", 0 if first == -1 else first + 2)
        first = data.find("<?")
        return first != -1 and (first > 1 or data.find("<?", first + 2) != -1)

    @cached_property
    def commented(self) -> bool:
        """Whether the document may hold a comment (False: for certain not; a UTF-16 document,
        whose bytes the search cannot read, may)."""
        data = self.result.source.data
        if isinstance(data, bytes):
            return wide(data) or holds(data, b"<!--")
        return "<!--" in data

    @cached_property
    def templated_tags(self) -> frozenset[int]:
        """`ParseResult.templated_tags`, worked out once per document."""
        return self.result.templated_tags

    @property
    def records(self) -> list[Resolved]:
        """The records of every element, in document order; while `streaming`, there is no
        such list (`ozml.parser.NotHeld`)."""
        found = self._records
        if found is None:
            if self.streaming:
                raise NotHeld("the records are read a run at a time")
            found = self._records = self._resolved()
        return found

    @records.setter
    def records(self, records: list[Resolved]) -> None:
        self._records = records

    @property
    def root(self) -> Resolved | None:
        """The root's record (None for a document without elements)."""
        if self.streaming:
            return self._root
        records = self.records
        return records[0] if records else None

    @property
    def size(self) -> int:
        """How many elements the document holds (while `streaming`: how many were taken)."""
        return self._count if self.streaming else len(self.records)

    def stream(self) -> None:
        """Lint the document as it is read (`ozml.lint.stream`): the records come a run at a
        time (`take`), and only what a fold keeps of them outlives its run (`Fold`)."""
        self.streaming = True

    def take(self, records: list[Resolved]) -> None:
        """The next run of records while `streaming` (the first holds the root's)."""
        if self._root is None:
            self._root = records[0]
        self._count += len(records)
        self._run = range(records[0].index, records[-1].index + 1)
        self._run_records = records
        self._run_children = None

    def _in_run(self, rec: Resolved) -> list[Resolved]:
        """The children of `rec`, a record of the run taken last."""
        found = self._run_children
        if found is None:
            found = self._run_children = _children_of(self._run_records)
        return found.get(id(rec), [])

    def keep_children(self, rec: Resolved) -> None:
        """Keep the children of `rec`, a record of the run taken last, beyond that run, for
        `children` (a fold that keeps `rec` and will ask for them at the end). Not the root's:
        they are in every run."""
        if self.streaming and rec.parent is not None and rec.index in self._run:
            self._kept_children[rec.index] = self._in_run(rec)

    def _resolved(self) -> list[Resolved]:
        earlier = self.earlier
        previous = None
        if earlier is not None:
            previous, earlier.records = earlier.records, None
        if not previous:
            records = resolve_lxml(self.result)
            if records is not None:
                return records
        root = self.document.root
        return resolve(root, previous) if root is not None else []

    @cached_property
    def _children(self) -> dict[int, list[Resolved]]:
        return _children_of(self.records)

    def children(self, rec: Resolved) -> list[Resolved]:
        """The records of `rec`'s child elements, in order (all of them found in one pass over
        the records, the first time one is asked for). While `streaming`: those of a record
        of the run taken last, or kept (`keep_children`); the root's are in many runs, and
        those of another record are gone (`ozml.parser.NotHeld`)."""
        if not self.streaming:
            return self._children.get(id(rec), [])
        if rec.parent is not None:
            if rec.index in self._run:
                return self._in_run(rec)
            kept = self._kept_children.get(rec.index)
            if kept is not None:
                return kept
        raise NotHeld(f"the children of {rec.name} are not held")

    def text_only(self, rec: Resolved) -> bool:
        """Whether the element's content is text alone (or nothing): no child element,
        comment, processing instruction, template part between commands or entity reference.
        Its tree is read only when it is built already, or the document may hold a comment or
        a processing instruction (`templated`, `commented`): otherwise the document is plain,
        read from lxml's tree (no template parts or DTD), and its child elements say it."""
        if self.result.built or self.templated or self.commented:
            from ozml.nodes import Text  # the tree is read: its classes are loaded

            return all(isinstance(child, Text) for child in rec.element.children)
        return not self.children(rec)

    def severity_of(self, rule: Rule) -> Severity:
        return self.settings.severity(rule.code, rule.severity)

    def grounded(self, found: Diagnostic, basis: Basis | None) -> Diagnostic:
        """`found` as far as the catalog fact it rests on carries it (issue 11).

        The one place where a fact's basis decides a finding: a finding resting on a fact the
        vendor states is left as it is; one resting on an assumed fact (UNKNOWN in the spec, not
        stated, or the two documentation generations disagree) is at most a warning, unless the
        configuration sets the rule's severity itself, and its message cites where the spec
        records the question (``undocumented (spec §2 [oz4693])``).
        """
        if basis is None or basis.stated:
            return found
        severity = found.severity
        if found.code not in self.settings.severities:
            severity = min(severity, Severity.WARNING)
        message = basis.qualify(found.message)
        if severity is found.severity and message == found.message:
            return found
        return found.replace(severity=severity, message=message)
