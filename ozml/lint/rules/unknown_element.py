from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import ChildPolicy, ElementKind, element_names
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import rename_element
from ozml.lint.rule import Fixable, Rule
from ozml.lint.suggest import closest, unambiguous
from ozml.resolve import Resolved


def _candidates(parent: Resolved | None) -> list[str]:
    """Names that would be allowed where the unknown element stands."""
    cmd = parent.command if parent else None
    if cmd is not None and cmd.children is ChildPolicy.LISTED:
        return list(cmd.child_names)
    return element_names(frozenset({ElementKind.COMMAND}))


class UnknownElement(Rule):
    """An element name that is not an OzML command or part.

    The PBX does not know the element, so it will not do what was meant. When a known name is
    close, the finding suggests it; when exactly one name is close, an unsafe fix (applied with
    ``--unsafe-fixes``) renames the element: a wrong guess would run a different command.
    Names are matched ignoring letter case (``speak`` is Speak, reported by non-canonical-case).

    Fails::

        <Response>
          <Speek>Hello</Speek>
        </Response>

    Passes::

        <Response>
          <Speak>Hello</Speak>
        </Response>
    """

    code = "OZ102"
    name = "unknown-element"
    severity = Severity.ERROR
    fixable = Fixable.UNSAFE

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for rec in ctx.records[1:]:
            if rec.match is not None:
                continue
            tag = rec.element.tag
            candidates = _candidates(rec.parent)
            guess = closest(tag, candidates)
            sure = unambiguous(tag, candidates)
            fix = (
                rename_element(
                    ctx.source, rec.element, sure, f"Rename {tag} to {sure}", safe=False
                )
                if sure
                else None
            )
            where = rec.parent.name if rec.parent else "the document"
            message = f"unknown element {tag} in {where}"
            if guess:
                message += f"; did you mean {guess}?"
            yield self.report(
                ctx, message, ctx.source.element_span(rec.element), suggestion=guess, fix=fix
            )

