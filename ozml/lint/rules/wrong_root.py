from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import ElementKind, element_names
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import rename_element
from ozml.lint.rule import Fixable, Rule
from ozml.lint.suggest import closest


class WrongRoot(Rule):
    """The root element is not ``Response``.

    Every OzML document is one ``<Response>`` element holding the commands. The legacy root
    ``<OzML>`` is accepted and reported by legacy-name instead. A root name close to
    ``Response`` has an unsafe fix (applied with ``--unsafe-fixes``) that renames it.

    Fails::

        <Speak>Hello</Speak>

    Passes::

        <Response>
          <Speak>Hello</Speak>
        </Response>
    """

    code = "OZ101"
    name = "wrong-root"
    severity = Severity.ERROR
    fixable = Fixable.UNSAFE

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        root = ctx.root
        if root is None:
            return
        if root.command is not None and root.command.kind is ElementKind.ROOT:
            return
        tag = root.tag
        span = ctx.source.element_span(root)
        if root.command is None:
            guess = closest(tag, element_names(frozenset({ElementKind.ROOT})), cutoff=0.6)
            fix = (
                rename_element(
                    ctx.source, root, guess, f"Rename {tag} to {guess}", safe=False
                )
                if guess
                else None
            )
            yield self.report(
                ctx,
                f"the root element must be Response, found {tag}",
                span,
                suggestion=guess,
                fix=fix,
            )
        else:
            yield self.report(
                ctx,
                f"the root element must be Response, found {root.name}:"
                f" wrap the commands in <Response>",
                span,
            )
