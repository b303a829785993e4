"""Applying the linter's fixes to a document's text, keeping everything else as the author wrote it.

A pass lints the text, takes the fixes that may be applied (safe ones; unsafe ones too when
asked), keeps the first of any that overlap or that change one element where one of them
reshapes it (`choose`), and applies them with `ozml.writer.apply_edits`.
Fixes that were left out, or findings that only appear once others are fixed, are dealt with by
the next pass, up to `MAX_PASSES` (as ruff does). A pass never makes the document ill-formed: if
the combined edits would, the fixes are tried one at a time and those that break it are dropped.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from itertools import pairwise

import attrs

from ozml.diagnostics import Diagnostic, Edit
from ozml.lint import LintSettings, lint_result
from ozml.lint.linter import active_rules
from ozml.lint.rule import Rule
from ozml.parser import ParseResult, parse
from ozml.positions import AttrInfo, Source, TagInfo
from ozml.writer import apply_edits, encode_like

#: Passes before giving up on fixes that keep producing new fixable findings.
MAX_PASSES = 10


@attrs.frozen
class FixResult:
    """What fixing a document did.

    `text` is the fixed text (the input text when nothing applied); `applied` the findings
    whose fixes were applied, in the order of the passes; `remaining` the findings of the fixed
    text; `converged` false when `MAX_PASSES` were not enough.
    """

    text: str
    original: Source
    applied: tuple[Diagnostic, ...]
    remaining: tuple[Diagnostic, ...]
    passes: int
    converged: bool = True

    @property
    def changed(self) -> bool:
        return self.text != self.original.text

    def to_bytes(self) -> bytes:
        """The fixed text in the input's encoding (same byte-order mark and declaration)."""
        return encode_like(self.text, self.original)


def applicable(diagnostic: Diagnostic, *, unsafe: bool = False) -> bool:
    """Whether `diagnostic` has a fix that this run may apply."""
    fix = diagnostic.fix
    return fix is not None and bool(fix.edits) and (fix.safe or unsafe)


def _overlaps(edit: Edit, other: tuple[int, int]) -> bool:
    """Whether an edit overlaps the range (start, end) of another: they share a character, or
    both insert at one offset (their order would be a guess)."""
    start, end = other
    if edit.start < end and start < edit.end:
        return True
    return edit.start == edit.end == start == end


class _Taken:
    """The ranges of the edits kept so far, sorted by (start, end).

    No two overlap (`_overlaps`), so they stand in order, each ending where or before the next
    begins: an edit can overlap only a range next to where it would be sorted in, and is
    checked against those two or three, not against every range kept (that made fixing a
    document with n fixes cost n²).
    """

    __slots__ = ("ranges",)

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []

    def overlaps(self, edit: Edit) -> bool:
        ranges = self.ranges
        at = bisect_left(ranges, (edit.start, -1))  # the first range that starts at or after it
        near = range(max(at - 1, 0), min(at + 2, len(ranges)))
        return any(_overlaps(edit, ranges[k]) for k in near)

    def add(self, edits: Sequence[Edit]) -> None:
        for edit in edits:
            span = (edit.start, edit.end)
            at = bisect_left(self.ranges, span)
            if at == len(self.ranges) or self.ranges[at] != span:
                insort(self.ranges, span, lo=at)


def _apart(edits: Sequence[Edit]) -> bool:
    """Whether one fix's edits leave each other alone (insertions at one offset may come
    together: they are applied in the order given)."""
    ordered = sorted((edit.start, edit.end) for edit in edits)
    return all(later[0] >= earlier[1] for earlier, later in pairwise(ordered))


class _Elements:
    """Which element each edit changes, and whether in place.

    A fix is judged on the document as the linter read it: a rename is offered because no
    attribute has the new name, a removal because the attribute says what the text says. A
    fix that reshapes an element (takes an attribute out, adds one, rewrites its content)
    changes what the other fixes of that element were judged on, and the reverse, so it is
    never applied in one pass with another of them: it waits, or they do, for the next pass,
    where each is judged again on the document the others left (a removal of ``Text`` would
    otherwise make room, in the same pass, for a rename to ``Text`` that the linter refused).
    An edit changes an element in place when it rewrites, inside its start tag, the name or
    one attribute's name or value; any other edit that starts in a start tag reshapes it. Edits
    elsewhere (an end tag renamed with its start tag, a comment between elements) change no
    element's shape.
    """

    __slots__ = ("_starts", "_tags")

    def __init__(self, source: Source) -> None:
        self._tags = source.tags
        self._starts = [tag.start for tag in self._tags]

    def changed(self, edits: Sequence[Edit]) -> tuple[set[int], set[int]]:
        """The elements (by where their start tag begins) the edits change at all, and those
        they reshape."""
        touched: set[int] = set()
        reshaped: set[int] = set()
        for edit in edits:
            at = bisect_right(self._starts, edit.start) - 1
            if at < 0 or edit.start >= self._tags[at].end:
                continue
            tag = self._tags[at]
            touched.add(tag.start)
            if not _in_place(tag, edit):
                reshaped.add(tag.start)
        return touched, reshaped


def _in_place(tag: TagInfo, edit: Edit) -> bool:
    """Whether `edit` rewrites the tag's name, or one attribute's name or value, and no more
    (the attribute is found by bisection: an element may have thousands, each with a fix)."""
    if tag.start + 1 <= edit.start and edit.end <= tag.name_end:
        return True
    attributes = tag.attributes
    at = bisect_right(attributes, edit.start, key=_attribute_start) - 1
    if at < 0:
        return False
    attr = attributes[at]
    spans = ((attr.start, attr.name_end), (attr.value_start, attr.value_end))
    return any(start <= edit.start and edit.end <= end for start, end in spans)


def _attribute_start(attr: AttrInfo) -> int:
    return attr.start


def choose(
    diagnostics: Iterable[Diagnostic], *, unsafe: bool = False, source: Source | None = None
) -> list[Diagnostic]:
    """The fixable findings whose fixes may be applied together, first come first kept
    (source order): their edits do not overlap, and, when the `source` they were found in is
    given, none reshapes an element another changes (`_Elements`). A fix whose own edits
    overlap each other cannot be applied, and is left out."""
    chosen: list[Diagnostic] = []
    taken = _Taken()
    elements = _Elements(source) if source is not None else None
    touched: set[int] = set()
    reshaped: set[int] = set()
    candidates = [d for d in diagnostics if applicable(d, unsafe=unsafe)]
    candidates.sort(key=lambda d: (min(e.start for e in d.fix.edits) if d.fix else 0, d.code))
    for diagnostic in candidates:
        assert diagnostic.fix is not None
        edits = diagnostic.fix.edits
        if any(taken.overlaps(edit) for edit in edits) or not _apart(edits):
            continue
        if elements is not None:
            changes, reshapes = elements.changed(edits)
            if not reshaped.isdisjoint(changes) or not touched.isdisjoint(reshapes):
                continue
            touched |= changes
            reshaped |= reshapes
        chosen.append(diagnostic)
        taken.add(edits)
    return chosen


def _edits(diagnostics: Iterable[Diagnostic]) -> list[Edit]:
    return [edit for d in diagnostics if d.fix is not None for edit in d.fix.edits]


class _Linter:
    """Parses and lints successive versions of one document with fixed settings and rules."""

    def __init__(self, original: Source, path: str, settings: LintSettings) -> None:
        self.original = original
        self.path = path
        self.settings = settings
        self.rules: Sequence[Rule] = active_rules(settings)

    def parse(self, text: str) -> ParseResult:
        # Parse the bytes the file would hold, so that positions and values are the file's; a
        # text given as str is parsed as str (its declared encoding never applies to it).
        data: bytes | str = text
        if isinstance(self.original.data, bytes):
            data = encode_like(text, self.original)
        return parse(
            data,
            self.path,
            max_bytes=self.settings.max_bytes,
            templates=self.settings.templates,
        )

    def lint(self, result: ParseResult) -> list[Diagnostic]:
        return lint_result(result, self.settings, self.rules)

    def well_formed(self, text: str) -> bool:
        result = self.parse(text)
        return result.ok and not result.problems


def _apply_pass(
    linter: _Linter, text: str, chosen: list[Diagnostic]
) -> tuple[str, list[Diagnostic]]:
    """The text with the chosen fixes applied, and the ones that were; ill-formed results never."""
    fixed = apply_edits(text, _edits(chosen))
    if linter.well_formed(fixed):
        return fixed, chosen
    kept: list[Diagnostic] = []
    for diagnostic in chosen:
        trial = apply_edits(text, _edits([*kept, diagnostic]))
        if linter.well_formed(trial):
            kept.append(diagnostic)
    return apply_edits(text, _edits(kept)), kept


def fix_result(
    result: ParseResult,
    settings: LintSettings,
    *,
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
    diagnostics: list[Diagnostic] | None = None,
) -> FixResult:
    """Fix a parsed document. `diagnostics`, when given, are its findings (saves a lint)."""
    original = result.source
    linter = _Linter(original, original.path, settings)
    text = original.text
    found = diagnostics if diagnostics is not None else linter.lint(result)
    applied: list[Diagnostic] = []
    passes = 0
    while True:
        chosen = choose(found, unsafe=unsafe, source=result.source) if result.ok else []
        if not chosen:
            return FixResult(text, original, tuple(applied), tuple(found), passes)
        if passes >= max_passes:
            return FixResult(text, original, tuple(applied), tuple(found), passes, False)
        fixed, done = _apply_pass(linter, text, chosen)
        passes += 1
        if not done or fixed == text:
            return FixResult(text, original, tuple(applied), tuple(found), passes)
        applied.extend(done)
        text = fixed
        result = linter.parse(text)
        found = linter.lint(result)


def fix_source(
    data: bytes | str,
    path: str = "<string>",
    settings: LintSettings | None = None,
    *,
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
) -> FixResult:
    """Lint `data` and apply its fixes (safe ones, and unsafe ones with `unsafe`)."""
    settings = settings or LintSettings()
    return fix_result(
        parse(data, path, max_bytes=settings.max_bytes, templates=settings.templates),
        settings,
        unsafe=unsafe,
        max_passes=max_passes,
    )


__all__ = ["MAX_PASSES", "FixResult", "applicable", "choose", "fix_result", "fix_source"]
