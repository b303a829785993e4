"""Suppressions: applying ``<!-- ozml: noqa -->`` comments to findings, and writing them.

Which line a ``noqa`` comment applies to (docs/suppressions.md):

* a comment after other content on its line applies to that line (a *trailing* comment);
* a comment before other content on its line applies to that line;
* a comment alone on its line applies to the next line that holds something other than
  ``ozml:`` comments.

XML elements often span several lines, and a finding is reported where the problem is (an
attribute on the third line of a start tag, the text on the line after ``<Var>``). So a comment
that applies to the first line of a start tag, or of an element without child elements, covers
every line of it; a trailing comment on the last line of one covers it back to its first line.

``disable-file`` applies to the whole file. Findings about suppressions themselves (OZ901-OZ903)
cannot be suppressed by comments, only switched off in the settings. The findings that mean a
document was not checked (OZ001-OZ003, `UNCHECKED_DOCUMENT`) cannot be suppressed at all: a
comment that names one is reported (OZ903), and a blanket comment lets them through.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from ozml import lazy, xmlspace
from ozml.diagnostics import UNCHECKED_DOCUMENT, Diagnostic, Edit, Fix, Span
from ozml.gcpause import paused
from ozml.lint import registry
from ozml.lint.directives import CodeRef, Directive, Kind
from ozml.lint.rule import Rule
from ozml.lint.rules.invalid_directive import InvalidDirective
from ozml.lint.rules.unknown_noqa_code import UnknownNoqaCode
from ozml.lint.rules.unused_noqa import UnusedNoqa
from ozml.lint.settings import LintSettings
from ozml.lint.suggest import closest
from ozml.parser import parse
from ozml.positions import Source, TagInfo
from ozml.record import Record

if TYPE_CHECKING:
    from ozml.nodes import Document, Element

#: Codes that comments cannot suppress: the findings about the comments themselves, and those
#: that mean the document was not checked (a broken file always fails the run).
UNSUPPRESSIBLE = (
    frozenset({UnusedNoqa.code, UnknownNoqaCode.code, InvalidDirective.code}) | UNCHECKED_DOCUMENT
)

#: Why a suppression may not name a code of `UNCHECKED_DOCUMENT`.
_NEVER_SUPPRESSED = {
    "OZ001": "a document that is not well-formed XML is never checked",
    "OZ002": "a DOCTYPE or an entity reference always fails the check (ozml expands no entities)",
    "OZ003": "a document over the size limit is never checked",
}

#: White space, as str.isspace says (a run of it, possibly empty).
_SPACE = lazy.pattern(r"\s*")
#: A line's indentation.
_INDENT = lazy.pattern(r"[ \t]*")

#: A comment (to its end, or to the end of the text when it is not closed).
_COMMENT = lazy.pattern(r"<!--.*?(?:-->|\Z)", re.S)

_MARKUP = lazy.pattern(r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<\?.*?(?:\?>|\Z)", re.S)


def code_of(token: str) -> str | None:
    """The rule code a token in a suppression stands for (a code in any case, or a rule name)."""
    rule = registry.find(token)
    return rule.code if rule is not None else None


def _finding(rule: type[Rule], settings: LintSettings, message: str, span: Span,
             *, suggestion: str | None = None, fix: Fix | None = None) -> Diagnostic:
    severity = settings.severity(rule.code, rule.severity)
    return Diagnostic(rule.code, rule.name, severity, message, span, suggestion=suggestion, fix=fix)


def _start(directive: Directive) -> int:
    return directive.start


class Layout:
    """Line facts of one source text that suppressions need, computed once and only if asked."""

    def __init__(self, source: Source, directives: Sequence[Directive]) -> None:
        self.source = source
        self.text = source.text
        self.directive_at = {d.start: d for d in directives}

    def line(self, offset: int) -> int:
        return self.source.position(offset)[0]

    def line_start(self, offset: int) -> int:
        """Where the line of `offset` begins (from the line table: a search of the text for
        the line break before it would read back to the start of a text without ``\\r``)."""
        return self.source.line_range(self.line(offset))[0]

    def line_end(self, offset: int) -> int:
        """Where the line of `offset` ends, before its line break."""
        return self.source.line_range(self.line(offset))[1]

    @cached_property
    def units(self) -> list[tuple[int, int]]:
        """(first line, last line) of every multi-line start tag and childless element."""
        tags = self.source.tags
        found: list[tuple[int, int]] = []
        for i, tag in enumerate(tags):
            first = self.line(tag.start)
            last = self.line(max(tag.end - 1, tag.start))
            if last != first:
                found.append((first, last))
            if tag.close_end is not None and tag.close_start is not None:
                following = tags[i + 1].start if i + 1 < len(tags) else None
                if following is None or following > tag.close_start:
                    last = self.line(tag.close_end - 1)
                    if last != first:
                        found.append((first, last))
        return found

    @cached_property
    def widest(self) -> dict[int, tuple[int, int]]:
        """For each line in a unit, the lines of the widest unit that holds it (the first of
        equally wide ones). Units hold no other units but an element's own start tag, so each
        line is in a few of them, and this costs about the lines they span."""
        found: dict[int, tuple[int, int]] = {}
        for first, last in self.units:
            for line in range(first, last + 1):
                known = found.get(line)
                if known is None or last - first > known[1] - known[0]:
                    found[line] = (first, last)
        return found

    @cached_property
    def down(self) -> dict[int, int]:
        """First line of a unit → the furthest last line of the units starting there."""
        result: dict[int, int] = {}
        for first, last in self.units:
            result[first] = max(result.get(first, first), last)
        return result

    @cached_property
    def up(self) -> dict[int, int]:
        """Last line of a unit → the earliest first line of the units ending there."""
        result: dict[int, int] = {}
        for first, last in self.units:
            result[last] = min(result.get(last, last), first)
        return result

    def blank_before(self, offset: int) -> bool:
        """Whether only white space stands between the start of the line of `offset` and it.
        Read back from `offset` over the white space alone: a copy of the line up to it would
        cost the line's length for each comment on a long line."""
        text = self.text
        start = self.line_start(offset)
        while offset > start and text[offset - 1].isspace():
            offset -= 1
        return offset == start

    def blank_after(self, offset: int) -> bool:
        """Whether only white space stands between `offset` and the end of its line."""
        end = self.line_end(offset)
        return offset >= end or _SPACE().match(self.text, offset, end).end() == end  # type: ignore[union-attr]

    def placement(self, directive: Directive) -> tuple[int, bool] | None:
        """(target line, trailing?) of a line comment; None when it applies to no line."""
        text = self.text
        if not self.blank_before(directive.start):
            return self.line(directive.start), True
        if not self.blank_after(directive.end):
            return self.line(directive.end), False
        pos = self.following.get(directive.start)
        if pos is None:  # not one of the layout's directives
            pos = self._after(directive)
        if pos >= len(text):
            return None
        return self.line(pos), False

    @cached_property
    def following(self) -> dict[int, int]:
        """For each directive (by where it starts), where the first thing after it that is
        neither white space nor another directive begins (the end of the text when nothing
        does). Worked out from the last directive back, each from the one after it: a run of
        n comments, each alone on its line, costs n steps, not n² (each skipping the rest)."""
        found: dict[int, int] = {}
        for directive in sorted(self.directive_at.values(), key=_start, reverse=True):
            found[directive.start] = self._after(directive, found)
        return found

    def _after(self, directive: Directive, known: dict[int, int] | None = None) -> int:
        """`following` of one directive, from `known` for the directives after it."""
        text = self.text
        pos = directive.end
        while True:
            pos = _SPACE().match(text, pos).end()  # type: ignore[union-attr]  # always matches
            after = self.directive_at.get(pos)
            if after is None:
                return pos
            if known is not None and after.start in known:
                return known[after.start]
            pos = after.end

    def covered(self, line: int, trailing: bool) -> range:
        if trailing:
            return range(self.up.get(line, line), line + 1)
        return range(line, self.down.get(line, line) + 1)

    def comment_removal(self, directive: Directive) -> Edit:
        """The edit that deletes a comment, and the white space around it only where that is
        layout, not text.

        In an element's text (`in_text`) the comment alone goes: ``Hi <!-- c -->there`` reads
        ``Hi there`` before and after, where taking the space with it would say ``Hithere``.
        Between elements, the comment's line goes too when the comment is alone on it; a
        comment first on its line takes the spaces after it (the indentation stays with what
        follows), any other the spaces before it. Two comments on one line, both removed,
        thus share the spaces between them: one waits for the next pass, where it is alone
        on its line and the line goes, rather than leaving an empty line behind."""
        text = self.text
        start, end = directive.start, directive.end
        if self.in_text(start):
            return Edit(start, end, "")
        line_start = self.line_start(start)
        line_end = self.line_end(end)
        if self.blank_before(start):
            if not self.blank_after(end):
                return Edit(start, _INDENT().match(text, end, line_end).end(), "")  # type: ignore[union-attr]
            stop = line_end
            if text.startswith("\r\n", stop):
                stop += 2
            elif stop < len(text):
                stop += 1
            return Edit(line_start, stop, "")
        while start > line_start and text[start - 1] in " \t":
            start -= 1
        return Edit(start, end, "")

    def in_text(self, offset: int) -> bool:
        """Whether the white space at `offset` (outside any markup) would be text of an
        element: its element holds text of its own (mixed content, CDATA included) or is
        under ``xml:space="preserve"``. Outside the root element, and between the child
        elements of an element that holds none, white space is layout."""
        starts, textual = self.gaps
        at = bisect.bisect_right(starts, offset) - 1
        return at >= 0 and textual[at]

    @cached_property
    def gaps(self) -> tuple[list[int], list[bool]]:
        """The text between tags, in order: where each piece starts, and whether it is text of
        an element (`in_text`). Worked out once, from the tags alone (no tree is built): each
        piece belongs to the innermost element open there. A document with an element that is
        never closed is text throughout: where its content ends is not known."""
        text = self.text
        tags = self.source.tags
        bounds: list[tuple[int, int, int, int]] = []  # (start, end, element, +1 / -1 / 0)
        for index, tag in enumerate(tags):
            if tag.close_start is not None and tag.close_end is not None:
                bounds.append((tag.start, tag.end, index, 1))
                bounds.append((tag.close_start, tag.close_end, index, -1))
            elif tag.self_closing:
                bounds.append((tag.start, tag.end, index, 0))
            else:
                return [0], [True]
        bounds.sort()
        holds = [False] * len(tags)  # the element has text of its own
        preserved = [False] * len(tags)  # the element is under xml:space="preserve"
        starts: list[int] = []
        owners: list[int] = []  # the element each piece belongs to; -1 outside the root
        open_: list[int] = []
        position = 0
        for start, end, index, step in bounds:
            owner = open_[-1] if open_ else -1
            starts.append(position)
            owners.append(owner)
            if owner >= 0 and not holds[owner] and _holds_text(text, position, start):
                holds[owner] = True
            if step == 1:
                preserved[index] = _preserves(text, tags[index], owner >= 0 and preserved[owner])
                open_.append(index)
            elif step == -1:
                open_.pop()
            position = end
        starts.append(position)
        owners.append(-1)
        return starts, [owner >= 0 and (holds[owner] or preserved[owner]) for owner in owners]


def _holds_text(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], outside its comments, holds anything but XML white space.
    CDATA sections and processing instructions count as text: the one is, the other may be
    a template part that writes some."""
    position = start
    for comment in _COMMENT().finditer(text, start, end):
        if not xmlspace.is_blank(text[position : comment.start()]):
            return True
        position = comment.end()
    return not xmlspace.is_blank(text[position:end])


def _preserves(text: str, tag: TagInfo, inherited: bool) -> bool:
    """Whether an element's content is under ``xml:space="preserve"``: its own xml:space says
    so, or it has none and its parent's content is. Any value but ``default`` is taken for
    preserve, so that white space is kept whenever it may be text."""
    space = tag.attribute("xml:space")
    if space is None:
        return inherited
    return xmlspace.strip(text[space.value_start : space.value_end]) != "default"


class _Suppression:
    """One suppression comment, what it suppresses and what it was used for."""

    __slots__ = ("codes", "directive", "lines", "target", "used", "used_blanket")

    def __init__(self, directive: Directive, codes: dict[str, list[CodeRef]]) -> None:
        self.directive = directive
        #: Resolved code → the tokens that named it; empty for a blanket suppression.
        self.codes = codes
        self.lines: range | None = None
        self.target: int | None = None
        self.used: set[str] = set()
        self.used_blanket = False


def inline_context(
    settings: LintSettings, directives: Sequence[Directive], source: Source
) -> LintSettings:
    """The settings with the document's own context comment applied (unless --context was given).

    Precedence, most specific first: ``--context`` on the command line, then the document's
    ``<!-- ozml: context=... -->``, then the configuration's per-file contexts, then its default.
    """
    if settings.context_locked:
        return settings
    for directive in directives:
        if directive.kind is Kind.CONTEXT and directive.context is not None:
            line = source.position(directive.start)[0]
            return settings.replace(
                context=directive.context,
                context_origin=f"the inline comment on line {line}",
            )
    return settings


def apply(
    found: Iterable[Diagnostic],
    directives: Sequence[Directive],
    settings: LintSettings,
    source: Source,
    *,
    checked: bool | None = None,
    taken: list[tuple[Diagnostic, Directive]] | None = None,
) -> list[Diagnostic]:
    """The findings left after suppressions, plus the findings about the comments themselves.

    `checked` is false when the rules never ran (the document was not parsed): then nothing is
    known about what a comment would suppress, and none is called unused. When it is not given,
    a finding OZ001 or OZ003 among `found` says so. Each finding left out is added to `taken`,
    when given, with the comment that suppressed it: the formatter asks so that it keeps what a
    comment suppresses suppressed (`ozml.noqalayout`).
    """
    found = list(found)
    if checked is None:
        checked = not any(d.code in ("OZ001", "OZ003") for d in found)
    layout = Layout(source, directives)
    problems: list[Diagnostic] = []
    line_rules: list[_Suppression] = []
    file_rules: list[_Suppression] = []
    first_context: Directive | None = None
    for directive in directives:
        if directive.kind is Kind.INVALID or directive.problem is not None:
            span = source.span(directive.problem_start, directive.problem_end)
            problems.append(_finding(InvalidDirective, settings, directive.problem or "", span))
            continue
        if directive.kind is Kind.CONTEXT:
            if first_context is None:
                first_context = directive
            else:
                line = source.position(first_context.start)[0]
                assert first_context.context is not None
                problems.append(
                    _finding(
                        InvalidDirective,
                        settings,
                        f"a second context comment; the one on line {line} already sets"
                        f" context {first_context.context.value}",
                        source.span(directive.start, directive.end),
                    )
                )
            continue
        codes: dict[str, list[CodeRef]] = {}
        for ref in directive.codes:
            code = code_of(ref.text)
            if code is None:
                problems.append(_unknown_code(ref, settings, source))
            elif code in UNCHECKED_DOCUMENT:
                message = f"{ref.text} cannot be suppressed: {_NEVER_SUPPRESSED[code]}"
                span = source.span(ref.start, ref.end)
                problems.append(_finding(InvalidDirective, settings, message, span))
            else:
                codes.setdefault(code, []).append(ref)
        if directive.codes and not codes:
            continue  # only unknown codes: reported above, suppresses nothing
        suppression = _Suppression(directive, codes)
        if directive.kind is Kind.DISABLE_FILE:
            file_rules.append(suppression)
            continue
        placed = layout.placement(directive)
        if placed is not None:
            suppression.target = placed[0]
            suppression.lines = layout.covered(*placed)
        line_rules.append(suppression)

    by_line: ByLine[_Suppression] = ByLine()
    for suppression in line_rules:
        if suppression.lines:
            by_line.add(suppression.lines, suppression)

    whole_file = Chooser(file_rules)
    kept: list[Diagnostic] = []
    for diagnostic in found:
        code = diagnostic.code
        if code in UNSUPPRESSIBLE:
            kept.append(diagnostic)
            continue
        # File-wide comments come before every line's: the first that takes the code wins.
        chosen = whole_file.choose(code)
        if chosen is None:
            chosen = by_line.choose(diagnostic.span.line, code)
        if chosen is None:
            kept.append(diagnostic)
            continue
        if chosen.codes:
            chosen.used.add(code)
        else:
            chosen.used_blanket = True
        if taken is not None:
            taken.append((diagnostic, chosen.directive))
    if checked and settings.enabled(UnusedNoqa.code):
        for suppression in file_rules + line_rules:
            unused = _unused(suppression, settings, layout)
            if unused is not None:
                kept.append(unused)
    kept.extend(p for p in problems if settings.enabled(p.code))
    return kept


class Suppressing(Protocol):
    """A suppression comment as `Chooser` reads it: the codes it names (none: every code)."""

    @property
    def codes(self) -> Collection[str]: ...


S = TypeVar("S", bound=Suppressing)


class Chooser(Generic[S]):
    """Which of some suppressions, in order, takes a finding of a code: the first that is
    blanket or names the code (the per-file pass and the project pass both ask here).
    Worked out once for a line, so that each finding on it costs a lookup rather than a walk
    over every comment of the line (a one-line document with a comment after every element
    made that quadratic, benchmarks/bench_linear.py)."""

    __slots__ = ("_blanket", "_named")

    def __init__(self, suppressions: Sequence[S]) -> None:
        self._blanket: tuple[int, S] | None = None
        self._named: dict[str, tuple[int, S]] = {}
        for order, suppression in enumerate(suppressions):
            if not suppression.codes:
                if self._blanket is None:
                    self._blanket = (order, suppression)
            else:
                for code in suppression.codes:
                    self._named.setdefault(code, (order, suppression))

    def choose(self, code: str) -> S | None:
        named, blanket = self._named.get(code), self._blanket
        if named is None:
            return blanket[1] if blanket is not None else None
        if blanket is not None and blanket[0] < named[0]:
            return blanket[1]
        return named[1]


class ByLine(Generic[S]):
    """Which of the comments that cover a line takes a finding of a code on it: the first, in
    the order they were added, that `Chooser` would choose (the per-file pass and the project
    pass both ask here).

    Comments that cover the same lines (those on one line, or before one element) are one
    group with one Chooser, and a line asks the few groups that cover it: with a list of every
    comment per line, n comments before an element of n lines took n² steps.
    """

    __slots__ = ("_groups", "_lines", "_order")

    def __init__(self) -> None:
        self._groups: dict[tuple[int, int], list[S]] = {}
        self._order: dict[int, int] = {}  # id of a comment -> when it was added
        self._lines: dict[int, list[Chooser[S]]] | None = None

    def add(self, lines: range, comment: S) -> None:
        """`comment`, after those added before it, covers `lines`."""
        if lines:
            self._order[id(comment)] = len(self._order)
            self._groups.setdefault((lines.start, lines.stop), []).append(comment)
            self._lines = None

    def choose(self, line: int, code: str) -> S | None:
        by_line = self._lines
        if by_line is None:
            by_line = self._lines = {}
            for (first, stop), members in self._groups.items():
                chooser = Chooser(members)
                for number in range(first, stop):
                    by_line.setdefault(number, []).append(chooser)
        best: S | None = None
        best_order = 0
        for chooser in by_line.get(line, ()):
            found = chooser.choose(code)
            if found is not None:
                order = self._order[id(found)]
                if best is None or order < best_order:
                    best, best_order = found, order
        return best


def _unknown_code(ref: CodeRef, settings: LintSettings, source: Source) -> Diagnostic:
    # Every rule, project rules included: a comment may name one (docs/project.md).
    candidates = [*registry.BY_CODE, *registry.BY_NAME]
    guess = closest(ref.text, candidates, cutoff=0.6)
    message = f"unknown rule code {ref.text!r} in a suppression comment"
    if guess:
        message += f"; did you mean {guess}?"
    return _finding(
        UnknownNoqaCode, settings, message, source.span(ref.start, ref.end), suggestion=guess
    )


def _unused(suppression: _Suppression, settings: LintSettings, layout: Layout) -> Diagnostic | None:
    directive = suppression.directive
    span = layout.source.span(directive.start, directive.end)
    if suppression.target is None and directive.kind is Kind.NOQA:
        where = "anywhere: the comment is at the end of the file"
    elif directive.kind is Kind.DISABLE_FILE:
        where = "in this file"
    else:
        where = f"on line {suppression.target}"
    if not suppression.codes:
        if suppression.used_blanket:
            return None
        return _finding(
            UnusedNoqa,
            settings,
            f"unused suppression: nothing to suppress {where}",
            span,
            fix=Fix("Remove the unused suppression", (layout.comment_removal(directive),)),
        )
    unused = [
        code
        for code in suppression.codes
        if code not in suppression.used and settings.enabled(code)
    ]
    if not unused:
        return None
    listed = " or ".join(", ".join(unused).rsplit(", ", 1))
    return _finding(
        UnusedNoqa,
        settings,
        f"unused suppression: no {listed} finding {where}",
        span,
        fix=_drop_codes(suppression, set(unused), layout),
    )


def _drop_codes(suppression: _Suppression, unused: set[str], layout: Layout) -> Fix:
    """The fix that takes the unused codes out of a comment, or the whole comment when it
    names nothing else. The rest of the comment stays as its author wrote it (separators,
    words that are no codes): each run of unused codes goes with the separator after it, or,
    at the end of the list, with the separator before it."""
    directive = suppression.directive
    edits = narrowing(directive, unused)
    if edits is None:
        return Fix("Remove the unused suppression", (layout.comment_removal(directive),))
    shown = ", ".join(sorted(unused))
    return Fix(f"Remove {shown} from the suppression", edits)


def narrowing(directive: Directive, dropped: Collection[str]) -> tuple[Edit, ...] | None:
    """The edits (in the text the directive was read from) that leave the codes `dropped` out
    of a suppression comment naming codes; None when it would name none. The rest of the
    comment stays as its author wrote it (separators, words that are no codes): each run of
    dropped codes goes with the separator after it, or, at the end of the list, with the
    separator before it. The fix of an unused code (OZ901) is these edits, and the formatter
    splits a comment with them (`ozml.noqalayout`)."""
    refs = directive.codes
    gone = [code_of(ref.text) in dropped for ref in refs]
    if all(gone):
        return None
    edits: list[Edit] = []
    first = 0
    while first < len(refs):
        if not gone[first]:
            first += 1
            continue
        last = first
        while last + 1 < len(refs) and gone[last + 1]:
            last += 1
        if last + 1 < len(refs):
            edits.append(Edit(refs[first].start, refs[last + 1].start, ""))
        else:  # the run ends the list, and a kept code stands before it
            edits.append(Edit(refs[first - 1].end, refs[last].end, ""))
        first = last + 1
    return tuple(edits)


# --- writing suppressions (`ozml check --add-noqa`) -------------------------------------------


class Added(Record):
    """The result of adding suppressions to one text."""

    text: str
    #: Findings now suppressed by a new or extended comment.
    suppressed: int
    #: Findings for which no comment could be placed without changing the document's meaning.
    unplaced: tuple[Diagnostic, ...]

    def __init__(self, text: str, suppressed: int, unplaced: tuple[Diagnostic, ...]) -> None:
        self._assign(locals())


@paused
def add(
    source: Source,
    directives: Sequence[Directive],
    findings: Iterable[Diagnostic],
    document: Document | None = None,
) -> Added:
    """The text with a ``noqa`` comment for each finding, changing nothing else in it.

    A finding already covered by a comment that names codes gets its code added to that comment.
    Otherwise a trailing comment goes at the end of the line (or of the multi-line element) when
    that place is between elements; else a comment on its own line goes before the element. A
    place inside a tag, inside another comment, or anywhere in an element whose content is text
    (see `_Places`) is never used, since a comment there would break the XML or change the text
    the PBX reads. `document` is the source's parsed tree (parsed here when not given). Findings
    that no comment may suppress (`UNSUPPRESSIBLE`) get none.

    The places, layout and edits live on until the text is made: the cyclic garbage collector
    is paused meanwhile (`ozml.gcpause`; 32,000 findings took 1.5 times as long with it on).
    """
    adder = Adder(source, directives, document)
    edits, suppressed, unplaced = adder.edits(findings)
    return Added(apply_edits(source.text, edits), suppressed, tuple(unplaced))


class Adder:
    """What `add` works out once for a text (its layout, the places a comment may go, and the
    comment naming codes that covers each line), and the edits that add the comments of some
    findings (`edits`): the language server asks for them a finding at a time, and parsing or
    scanning the text again for each would cost its length per finding."""

    def __init__(
        self, source: Source, directives: Sequence[Directive], document: Document | None = None
    ) -> None:
        self.layout = layout = Layout(source, directives)
        if document is None:
            document = parse(source.data, source.path).document
        self.safe = _Places(layout, document)
        self.newline = "\r\n" if "\r\n" in layout.text else "\n"
        # The first comment naming codes that covers each line. Comments that cover the same
        # lines are looked at once, by the first of them: each line covered is filled once per
        # range.
        self.owners: dict[int, Directive] = {}
        ranges: set[tuple[int, int]] = set()
        for directive in directives:
            if directive.kind is Kind.NOQA and directive.codes:
                placed = layout.placement(directive)
                if placed is not None:
                    lines = layout.covered(*placed)
                    if (lines.start, lines.stop) not in ranges:
                        ranges.add((lines.start, lines.stop))
                        for number in lines:
                            self.owners.setdefault(number, directive)

    def edits(self, findings: Iterable[Diagnostic]) -> tuple[list[Edit], int, list[Diagnostic]]:
        """The edits that add or extend comments for `findings`, how many findings they
        suppress, and the findings no comment may be placed for."""
        layout, safe, owners = self.layout, self.safe, self.owners
        text = layout.text
        extend: dict[Directive, set[str]] = {}
        trailing: dict[int, set[str]] = {}
        before: dict[int, set[str]] = {}
        suppressed = 0
        unplaced: list[Diagnostic] = []
        for finding in findings:
            if finding.code in UNSUPPRESSIBLE:
                continue
            line = finding.span.line
            owner = owners.get(line)
            if owner is not None:
                extend.setdefault(owner, set()).add(finding.code)
                suppressed += 1
                continue
            first, last = layout.widest.get(line, (line, line))
            if safe.trailing(last):
                trailing.setdefault(last, set()).add(finding.code)
            elif safe.before(first):
                before.setdefault(first, set()).add(finding.code)
            else:
                unplaced.append(finding)
                continue
            suppressed += 1

        edits: list[Edit] = []
        for directive, codes in extend.items():
            named = {code_of(ref.text) for ref in directive.codes}
            new = sorted(codes - named)
            if new:
                end = directive.codes[-1].end
                edits.append(Edit(end, end, "," + ",".join(new)))
        for line, codes in trailing.items():
            end = layout.line_end(layout.source.offset(line, 1))
            edits.append(Edit(end, end, f" <!-- ozml: noqa {','.join(sorted(codes))} -->"))
        for line, codes in before.items():
            start = layout.source.offset(line, 1)
            indent = _INDENT().match(text, start).group(0)  # type: ignore[union-attr]
            comment = f"{indent}<!-- ozml: noqa {','.join(sorted(codes))} -->{self.newline}"
            edits.append(Edit(start, start, comment))
        return edits, suppressed, unplaced


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits: `ozml.writer.apply_edits` (one join of the pieces; this
    once rebuilt the text for each edit, n² for n comments), except that insertions at one
    offset land in the reverse of the order given."""
    from ozml.writer import apply_edits as apply

    return apply(text, list(edits)[::-1])


class _Places:
    """Where a comment may be inserted without changing what the document says.

    Never inside a tag, a comment, a CDATA section or a processing instruction (the XML would
    break), and never inside an element whose content is text: one that holds text of its own
    beside other nodes (mixed content, where a comment and the line break before it would split
    the text and add white space to it), one without child elements, and one under
    ``xml:space="preserve"``.
    """

    def __init__(self, layout: Layout, document: Document | None) -> None:
        self.layout = layout
        text = layout.text
        closed: list[tuple[int, int]] = []
        tags = layout.source.tags
        for i, tag in enumerate(tags):
            closed.append((tag.start, tag.end))
            if tag.close_start is not None and tag.close_end is not None:
                closed.append((tag.close_start, tag.close_end))
                following = tags[i + 1].start if i + 1 < len(tags) else None
                if following is None or following > tag.close_start:
                    # The text of a childless element: a comment would split it.
                    closed.append((tag.end - 1, tag.close_start + 1))
            elif not tag.self_closing:
                closed.append((tag.end - 1, len(text) + 1))  # never closed: treat as text
        if document is not None and document.root is not None:
            for element in _textual(document.root):
                info = tags[element.index] if 0 <= element.index < len(tags) else None
                if info is not None and info.close_start is not None:
                    closed.append((info.end - 1, info.close_start + 1))
        closed.extend((m.start(), m.end()) for m in _MARKUP().finditer(text))
        self.starts, self.ends = _union(closed)
        self.declaration_end = text.find("?>") + 2 if text.startswith("<?xml") else 0

    def _open(self, offset: int) -> bool:
        i = bisect.bisect_left(self.starts, offset) - 1
        return i < 0 or offset >= self.ends[i]

    def trailing(self, line: int) -> bool:
        layout = self.layout
        end = layout.line_end(layout.source.offset(line, 1))
        return end >= self.declaration_end and self._open(end)

    def before(self, line: int) -> bool:
        start = self.layout.source.offset(line, 1)
        if start < self.declaration_end:
            return False
        return self._open(start)


def _textual(root: Element) -> Iterator[Element]:
    """The outermost elements whose content is text: text of their own, or xml:space="preserve"."""
    from ozml.nodes import EntityRef, Text  # a tree is given: the document model is loaded

    stack: list[tuple[Element, bool]] = [(root, False)]
    while stack:
        element, preserve = stack.pop()
        space = element.get("xml:space")
        if space is not None:
            preserve = space == "preserve"
        if preserve or any(isinstance(c, Text | EntityRef) for c in element.children):
            yield element
        else:
            stack.extend((child, preserve) for child in element.elements)


def _union(ranges: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The starts and ends of the union of open ranges (an offset is inside when strictly
    between), merged so that an offset is looked up with one bisection."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(ranges):
        if ends and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


__all__ = [
    "UNSUPPRESSIBLE",
    "Added",
    "Adder",
    "ByLine",
    "Chooser",
    "Suppressing",
    "add",
    "apply",
    "apply_edits",
    "code_of",
    "inline_context",
    "narrowing",
]
