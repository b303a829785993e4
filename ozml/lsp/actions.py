"""Code actions: each finding's fix, a suppression comment for it, and "fix all".

A fix (`ozml.diagnostics.Fix`) is a set of edits on character offsets of the linted text; it
becomes a workspace edit on the document version that text was. The suppression action writes
``<!-- ozml: noqa CODE -->`` the way ``ozml check --add-noqa`` does (`ozml.lint.noqa.add`): at
the end of the offending line when that place is between elements; on its own line before the
element when the line ends inside a tag, a comment or an element's text (where a comment would
break the XML or change the text); added to a ``noqa`` comment that already covers the line.

A finding that says the document could not be checked at all (not well-formed, a DTD, too large:
`ozml.diagnostics.UNCHECKED_DOCUMENT`) is never offered a suppression: no comment can hide it,
and on a half-typed tag the comment would land inside the tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from ozml.diagnostics import UNCHECKED_DOCUMENT, Diagnostic, Edit
from ozml.gcpause import paused
from ozml.lsp.convert import LineIndex
from ozml.lsp.documents import Analysis
from ozml.positions import Source

if TYPE_CHECKING:
    from ozml.lint.noqa import Adder
    from ozml.nodes import Document

FIX_ALL = "source.fixAll.ozml"


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _wanted(only: Sequence[str] | None, kind: str) -> bool:
    """Whether the client asked for actions of `kind` (a requested kind covers its sub-kinds)."""
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


def _edit(
    uri: str, version: int, index: LineIndex, edits: Iterable[Edit], versioned: bool
) -> types.WorkspaceEdit:
    text_edits = [types.TextEdit(index.range(e.start, e.end), e.text) for e in edits]
    if versioned:
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        change = types.TextDocumentEdit(text_document=identifier, edits=list(text_edits))
        return types.WorkspaceEdit(document_changes=[change])
    return types.WorkspaceEdit(changes={uri: text_edits})


def suppression(source: Source, finding: Diagnostic, adder: Adder | None = None) -> Edit | None:
    """The edit that adds a ``noqa`` comment for one finding, or None when none can be placed
    or none may be (`UNCHECKED_DOCUMENT`). `adder`: what `ozml.lint.noqa.Adder` worked out for
    the source (made here when not given), so that a request for many findings does not parse
    and scan the text once per finding."""
    if finding.code in UNCHECKED_DOCUMENT:
        return None
    if adder is None:
        adder = _adder(source)
        if adder is None:
            return None
    edits, _, unplaced = adder.edits([finding])
    if unplaced or len(edits) != 1:
        return None
    return _shown(source.text, edits[0])


def _adder(source: Source, document: Document | None = None) -> Adder | None:
    try:
        from ozml.lint import directives, noqa
    except ImportError:  # a build without suppression comments
        return None
    return noqa.Adder(source, directives.scan(source), document)


def _shown(text: str, edit: Edit) -> Edit:
    """`edit` as `_difference` shows it (a comment inserted after a line's indentation rather
    than before it), worked out on the text around it: the whole text for each finding would
    cost its length per finding."""
    reach = len(edit.text) + 1
    low, high = max(edit.start - reach, 0), min(edit.end + reach, len(text))
    old = text[low:high]
    new = text[low : edit.start] + edit.text + text[edit.end : high]
    found = _difference(old, new)
    return Edit(found.start + low, found.end + low, found.text)


def _difference(old: str, new: str) -> Edit:
    """One edit turning `old` into `new`: the differing middle between the common ends."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    inserted = new[start:end_new]
    if end_old == start:
        # A pure insertion can often slide (inserting "<!--…-->\n  <" after a "<" equals
        # inserting "<!--…-->\n  " before it); show the one that reads as the comment itself.
        at, text = start, inserted
        while at > 0 and text and old[at - 1] == text[-1]:
            at, text = at - 1, old[at - 1] + text[:-1]
            if text.lstrip(" \t").startswith("<!--") or text.startswith(","):
                return Edit(at, at, text)
    return Edit(start, end_old, inserted)


def safe_edits(found: Iterable[Diagnostic], source: Source | None = None) -> list[Edit]:
    """The edits of every safe fix, leaving out a fix that overlaps one already taken or
    changes an element another reshapes (when the `source` of the findings is given): those
    ``ozml check --fix`` would apply in one pass (`ozml.fixes.choose`)."""
    from ozml.fixes import choose

    chosen = choose(found, source=source)
    taken = [edit for diag in chosen if diag.fix is not None for edit in diag.fix.edits]
    return sorted(taken, key=lambda e: e.start)


@paused
def code_actions(
    uri: str,
    analysis: Analysis,
    requested: types.Range,
    only: Sequence[str] | None,
    encoding: str,
    versioned: bool,
) -> list[types.CodeAction]:
    """The fixes and suppressions of the findings in `requested`, and fix all.

    The actions, their edits and ranges live on until they are sent: the cyclic garbage
    collector is paused while they are made (`ozml.gcpause`), or it walks them again and
    again (25,600 findings: 1.29 s with it on, 0.75 s paused)."""
    if analysis.result is None:  # proved clean: nothing to fix or suppress
        return []
    source = analysis.result.source
    index = LineIndex(source.text, encoding)
    version = analysis.version
    actions: list[types.CodeAction] = []
    quickfix = _wanted(only, types.CodeActionKind.QuickFix)
    adder: Adder | None = None
    for diag, published in zip(analysis.diagnostics, analysis.published, strict=True):
        if not quickfix or not _overlaps(published.range, requested):
            continue
        if diag.fix is not None:
            actions.append(
                types.CodeAction(
                    title=diag.fix.message + ("" if diag.fix.safe else " (changes behaviour)"),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[published],
                    is_preferred=diag.fix.safe,
                    edit=_edit(uri, version, index, diag.fix.edits, versioned),
                )
            )
        if adder is None:
            adder = _adder(source, analysis.result.document)
        edit = suppression(source, diag, adder) if adder is not None else None
        if edit is not None:
            actions.append(
                types.CodeAction(
                    title=f"Suppress {diag.code} ({diag.name}) with a noqa comment",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[published],
                    edit=_edit(uri, version, index, [edit], versioned),
                )
            )
    if _wanted(only, FIX_ALL):
        parsed = analysis.result
        edits = safe_edits(analysis.diagnostics, parsed.source if parsed is not None else None)
        # Unasked, "fix all" is worth offering only beside more than one fix.
        if edits and (only or len(edits) > 1):
            actions.append(
                types.CodeAction(
                    title="Fix all safely fixable ozml findings",
                    kind=FIX_ALL,
                    edit=_edit(uri, version, index, edits, versioned),
                )
            )
    return actions
