"""Re-linting after an edit without re-running every rule on every element.

Most rules are *local*: what they find inside one top-level command of the script (a child of
``<Response>``, with everything inside it) depends only on that command's own text, on the root
element, and on the settings. After an edit, the commands before the edited text are unchanged,
findings and positions alike, and the commands after it are unchanged but for their position. So
local rules are re-run only on the commands the edit touched, plus the commands after it that had
findings (their positions and messages moved); a command after the edit without findings stays
without. The commands to re-check are checked together, in one run of the local rules over the
root and their subtrees, never one run per command (each would check the root again), and the
findings are shared out among them by where they start in the text. The rules that read only
the variables (`Rule.reads_variables`) and found nothing are not run again when the edit left
the variables as they were (`ozml.lint.variables.unchanged`): they would find nothing again.
The other rules (flow, the root, and any rule not listed in `LOCAL_RULES`) run on the whole
document every time, and suppression comments are applied to the union exactly as
`ozml.lint.linter.lint_result` does, so the result is the same list a full lint gives; the test
suite checks that over random edits (tests/test_lsp_incremental.py).

This holds only under a ``<Response>`` root. What a local rule finds on the root itself is
worked out from the root alone, and under ``<Response>`` nothing a local rule says about the
root depends on what is inside it; under any other root it may (a ``<UserInput>`` root *is* a
menu, and whether it has an exit depends on its ``<Inputs>`` child: worked out from the root
alone, it would be reported as a menu without exit, OZ803, where ``ozml check`` reports none).

Anything unusual (a root other than ``<Response>``, the root's start tag edited, different
settings or rules, a document that is not well-formed, lone carriage returns) falls back to the
full lint.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import attrs

from ozml.diagnostics import Diagnostic
from ozml.lint import LintSettings, Rule, lint_result, noqa, variables
from ozml.lint import directives as lint_directives
from ozml.lint.context import Earlier, LintContext
from ozml.lint.linter import check_rules
from ozml.nodes import Element
from ozml.parser import ParseResult
from ozml.resolve import Resolved
from ozml.untouched import untouched

#: Rules whose findings inside a top-level command depend only on that command, the root and
#: the settings. A rule not listed here is run on the whole document after every edit.
LOCAL_RULES = frozenset(
    {
        "OZ102", "OZ103", "OZ104", "OZ105", "OZ106", "OZ107",
        "OZ201", "OZ202",
        "OZ301", "OZ302", "OZ303",
        "OZ501", "OZ502",
        "OZ601", "OZ602",
        "OZ801", "OZ802", "OZ803", "OZ804", "OZ805",
    }
)  # fmt: skip


#: The only root whose local findings do not depend on what is inside it (see the docstring).
ROOT = "Response"


@attrs.frozen
class _Child:
    """A top-level command as last linted: its line (lxml's) and what local rules found in it."""

    tag: str
    line: int
    findings: tuple[Diagnostic, ...]


@attrs.frozen
class Memo:
    """What one lint leaves for the next lint of the same document."""

    text: str
    settings: LintSettings
    rules: tuple[str, ...]
    root: Element
    children: tuple[_Child, ...]
    #: What the lint's context leaves for the next one to take the unchanged from.
    earlier: Earlier
    #: The codes of the rules that read only the variables (`Rule.reads_variables`) and found
    #: nothing: after an edit that leaves the variables as they were, they still find nothing.
    quiet: frozenset[str] = frozenset()


class _Region(LintContext):
    """A lint context whose rules see only some elements (the rest of the tree is still there);
    `records` starts with the root's, as in a whole-document context."""

    def __init__(
        self, result: ParseResult, settings: LintSettings, records: list[Resolved], root: Resolved
    ) -> None:
        super().__init__(result, settings)
        self.records = records


#: `_split`'s last answer: the linter plans a list of rules once and knows it again by its
#: identity, so the same rule lists are handed to it after every edit.
_SPLIT: list[tuple[Sequence[Rule], tuple[str, ...], list[Rule], list[Rule]]] = []


def _split(rules: Sequence[Rule]) -> tuple[tuple[str, ...], list[Rule], list[Rule]]:
    """The codes of `rules`, the local rules and the others (parser rules left out: their
    findings come with the parse)."""
    if _SPLIT and _SPLIT[0][0] is rules:
        return _SPLIT[0][1:]
    codes = tuple(rule.code for rule in rules)
    checked = [rule for rule in rules if not rule.parser_rule]
    local = [r for r in checked if r.code in LOCAL_RULES]
    whole = [r for r in checked if r.code not in LOCAL_RULES]
    _SPLIT[:] = [(rules, codes, local, whole)]
    return codes, local, whole


def _check(rules: list[Rule], ctx: LintContext) -> list[Diagnostic]:
    """The findings of `rules` in `ctx`, from the linter's one pass (`check_rules`)."""
    return check_rules(ctx, rules)


def _key(found: Diagnostic) -> tuple[Diagnostic, int, int]:
    return (found, found.span.start, found.span.end)


def _without(found: list[Diagnostic], taken: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """`found` less one occurrence of each finding in `taken` (counted, so linear in both)."""
    if not taken:
        return tuple(found)
    pending = Counter(_key(d) for d in taken)
    kept = []
    for d in found:
        key = _key(d)
        if pending[key] > 0:
            pending[key] -= 1
        else:
            kept.append(d)
    return tuple(kept)


def lint(
    result: ParseResult,
    settings: LintSettings,
    rules: Sequence[Rule],
    memo: Memo | None,
) -> tuple[list[Diagnostic], Memo | None]:
    """The findings of `lint_result(result, settings, rules)`, reusing `memo` where it can."""
    root = result.document.root
    text = result.source.text
    if root is None or text.count("\r") != text.count("\r\n"):
        return lint_result(result, settings, rules), None
    found_directives = lint_directives.scan(result.source)
    effective = (
        noqa.inline_context(settings, found_directives, result.source)
        if found_directives
        else settings
    )
    codes, local, whole = _split(rules)
    found: list[Diagnostic] = []
    for problem in result.problems:  # as lint_result: parser findings, with their settings
        if effective.enabled(problem.code):
            severity = effective.severity(problem.code, problem.severity)
            if severity is not problem.severity:
                problem = Diagnostic(
                    problem.code, problem.name, severity, problem.message, problem.span
                )
            found.append(problem)
    # A first lint leaves the parts of its analysis too (`Earlier`), for the next to take.
    earlier = memo.earlier if memo is not None else Earlier(None)
    before = earlier.variables  # the analysis below takes it
    ctx = LintContext(result, effective, earlier=earlier)
    root_rec = ctx.records[0]
    if root_rec.name != ROOT:
        return lint_result(result, settings, rules), None
    found.extend(_check(_still_quiet(whole, memo, effective, codes, before, ctx), ctx))
    # Rules expect the root first in `records` (many skip it as records[0]): what the root alone
    # gives is worked out once, and taken out of what the commands to re-check give.
    of_root = _check(local, _Region(result, effective, [root_rec], root_rec))
    found.extend(of_root)
    kids = [c for c in root.children if isinstance(c, Element)]
    reuse = _reusable(memo, text, effective, codes, root, kids)
    # The commands not reused are checked together, in one run of the local rules over the root
    # and their subtrees (never the root once per command), and their findings are shared out
    # among them by where they stand in the text.
    fresh = _fresh_records(ctx.records, reuse) if reuse else ctx.records
    checked = _without(_check(local, _Region(result, effective, fresh, root_rec)), of_root)
    found.extend(checked)
    shared = _share(checked, kids, reuse, result)
    children: list[_Child] = []
    for index, kid in enumerate(kids):
        kept = reuse.get(index)
        if kept is None:
            kept = _Child(kid.tag, kid.line, tuple(shared.get(index, ())) if shared else ())
        else:
            found.extend(kept.findings)
        children.append(kept)
    found_codes = {d.code for d in found}  # before suppressions: a rule's own findings
    quiet = frozenset(r.code for r in whole if r.reads_variables and r.code not in found_codes)
    if found_directives:
        found = noqa.apply(found, found_directives, effective, result.source)
    found.sort(key=Diagnostic.sort_key)
    memo_out = (
        Memo(
            text,
            effective,
            codes,
            root,
            tuple(children),
            Earlier(ctx.records, variables.parts_of(ctx)),
            quiet,
        )
        if shared is not None
        else None
    )
    return found, memo_out


#: `_still_quiet`'s last answer for a list of rules and the codes it left out.
_LEFT: list[tuple[list[Rule], frozenset[str], list[Rule]]] = []


def _still_quiet(
    whole: list[Rule],
    memo: Memo | None,
    settings: LintSettings,
    codes: tuple[str, ...],
    before: object,
    ctx: LintContext,
) -> list[Rule]:
    """`whole` less the rules that read only the variables and found nothing in the last lint
    (`Memo.quiet`), when the edit left the variables as they were (`variables.unchanged`): they
    would find nothing again. The same list is handed back for the same rules left out, so that
    the linter knows it again (`_split`)."""
    if memo is None or not memo.quiet or memo.settings != settings or memo.rules != codes:
        return whole
    if not variables.unchanged(before, variables.in_parts(ctx)):
        return whole
    if _LEFT and _LEFT[0][0] is whole and _LEFT[0][1] == memo.quiet:
        return _LEFT[0][2]
    kept = [rule for rule in whole if not (rule.reads_variables and rule.code in memo.quiet)]
    _LEFT[:] = [(whole, memo.quiet, kept)]
    return kept


def _fresh_records(records: list[Resolved], reuse: dict[int, _Child]) -> list[Resolved]:
    """The root's record and those of the top-level commands not in `reuse` (with everything
    inside them), in document order: `records` is the whole tree in document order, so each
    command is its record at depth 1 and the deeper ones after it."""
    root = records[0]
    out = [root]
    index = -1
    keep = False
    for rec in records[1:]:
        if rec.parent is root:  # a top-level command
            index += 1
            keep = index not in reuse
        if keep:
            out.append(rec)
    return out


def _share(
    checked: tuple[Diagnostic, ...],
    kids: list[Element],
    reuse: dict[int, _Child],
    result: ParseResult,
) -> dict[int, list[Diagnostic]] | None:
    """The findings of the re-checked commands by command (index in `kids`), found by where
    each one starts in the text: a command holds what lies from its start tag to the next
    command's. None when a finding cannot be placed so (the next lint then starts afresh)."""
    shared: dict[int, list[Diagnostic]] = {}
    if not checked:
        return shared
    source = result.source

    def start(index: int) -> int | None:
        info = source.tag(kids[index])
        return None if info is None else info.start

    # Findings in text order, the commands' start tags read in the same order: the positions
    # scan goes no further than the command after the last finding (rules already read that far).
    at = 0
    first = start(0) if kids else None
    if first is None:
        return None
    for finding in sorted(checked, key=lambda d: d.span.start):
        offset = finding.span.start
        if offset < first:
            return None
        while at + 1 < len(kids):
            following = start(at + 1)
            if following is None:
                return None
            if following > offset:
                break
            at += 1
        if at in reuse:
            return None
        shared.setdefault(at, []).append(finding)
    return shared


def _reusable(
    memo: Memo | None,
    text: str,
    settings: LintSettings,
    codes: tuple[str, ...],
    root: Element,
    kids: list[Element],
) -> dict[int, _Child]:
    """Which top-level commands keep their findings from `memo`, by their index in `kids`."""
    if (
        memo is None
        or memo.settings != settings
        or memo.rules != codes
        or memo.root.tag != root.tag
        or memo.root.attributes != root.attributes
    ):
        return {}
    before = memo.children
    edit = untouched(memo.text, text, [child.line for child in before])
    if edit.before + edit.after > len(kids):
        return {}
    reuse: dict[int, _Child] = {}
    for i in range(edit.before):
        child, kid = before[i], kids[i]
        if kid.tag != child.tag or kid.line != child.line:
            return {}
        reuse[i] = child
    # Commands below the edited lines are moved by `shift` lines. Only those without findings are
    # kept, since positions and messages of findings would have moved.
    shift = edit.shift
    for k in range(len(before) - edit.after, len(before)):
        new = len(kids) - (len(before) - k)
        child, kid = before[k], kids[new]
        if kid.tag != child.tag or kid.line != child.line + shift:
            return {}
        if not child.findings:
            # Kept with the line it has now: the next edit tells what lies above it by its
            # line, and an old one (too small) would make a command it edits look untouched.
            reuse[new] = child if shift == 0 else attrs.evolve(child, line=kid.line)
    return reuse
