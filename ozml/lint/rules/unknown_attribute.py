from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import ALL, Command, Context, Usage, messages
from ozml.catalog.model import Basis, Param, not_a_parameter
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import rename_attribute
from ozml.lint.rule import Fixable, Rule, Severities
from ozml.lint.suggest import Names, parameter_names
from ozml.resolve import Resolved


class UnknownAttribute(Rule):
    """An attribute that is not a parameter of its command.

    What the PBX does with an attribute its command's table does not list is not documented; at
    best it is ignored, so a misspelt parameter does not give the parameter: ``Destinaton="102"``
    is no Destination. When a parameter name is close, the finding
    suggests it, and the fix renames the attribute when exactly one name is close and the
    element does not give that parameter already. The fix is unsafe: the renamed attribute
    gives a parameter the PBX did not read before (the ForwardCall above now forwards), which
    is what was meant, but changes what the script does: review it. Parameters of
    undocumented commands are not checked. HTTP API parameters such as Request's RequestOzML are
    reported too: they belong in an API request, not in a document. ``xmlns`` and ``xsi:``
    attributes on the root are allowed (editors use ``xsi:noNamespaceSchemaLocation`` to find
    the schema), and XML's own attributes (``xml:lang``, ``xml:space``) on every element: they
    are not parameters, and the PBX is not documented to read them (docs/decisions.md). Where
    the vendor's parameter table is known to be incomplete (UserInput's older table is cut off;
    SendEmail's, GoTo's and MoveFile's Ozeki 10 pages were not found; the catalog audit lists
    them), an unknown attribute is only a warning citing the spec.

    Fails::

        <Response>
          <ForwardCall Destinaton="102"/>
        </Response>

    Passes::

        <Response>
          <ForwardCall Destination="102"/>
        </Response>
    """

    code = "OZ103"
    name = "unknown-attribute"
    severity = Severity.ERROR
    fixable = Fixable.UNSAFE

    per_element = True
    reads = "shape"
    names_only = True

    @classmethod
    def severities(cls) -> Severities:
        return Severities.by_fact(
            (c for c in ALL if c.documented),
            lambda c: c.params_fact.stated,
            "the command's parameter table is known to be incomplete: {}",
        )

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None and command.documented

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        cmd = rec.command
        assert cmd is not None  # `applies`
        # Made at the element's first unknown attribute, for all of its unknown attributes (a
        # clean element makes neither; the catalog works the fact out at each asking).
        known: tuple[Names, Names, Basis] | None = None
        for (name, _), pm in zip(rec.written, rec.matches, strict=True):
            if pm is not None and Usage.OZML not in pm.param.usage:
                # An HTTP API parameter (RequestOzML): documented for requests, not documents.
                message = messages.http_parameter_in_document(cmd.name, name)
                span = ctx.source.attribute_span(rec, name)
                yield self.report(ctx, message, span)
                continue
            if pm is not None or not_a_parameter(name, cmd.kind):
                continue
            if known is None:
                # What an unknown attribute is compared with: every name and alias of the
                # command's OzML parameters (the suggestion), and their names alone (a rename
                # only to one of those).
                prepared = parameter_names(cmd)
                known = (prepared.every_name, prepared.names, cmd.params_fact)
            names, params, fact = known
            guess = names.closest(name)
            # A name close to none of the names and aliases is close to no parameter's name.
            sure = params.unambiguous(name) if guess is not None else None
            fix = (
                rename_attribute(
                    ctx.source, rec, name, sure, f"Rename {name} to {sure}", safe=False
                )
                if sure and not _given(rec, cmd.param(sure))
                else None
            )
            if not cmd.params:
                message = messages.no_parameters(cmd.name, name)
            else:
                message = messages.unknown_parameter(cmd.name, name, guess)
            span = ctx.source.attribute_span(rec, name)
            # Where the vendor's parameter table is cut off (UserInput) or its page for the
            # target was not found, the name may be a parameter ozml does not know.
            found = self.report(ctx, message, span, suggestion=guess, fix=fix)
            yield ctx.grounded(found, fact)


def _given(rec: Resolved, param: Param) -> bool:
    """Whether the element already gives `param`: an attribute stands for it (in any
    spelling), or it is the command's text parameter and the element has text. A rename to
    it would then decide which of two values the PBX reads (``<Speak Text2="Goodbye">Hello``
    says Hello; ``<Speak Text="Goodbye">Hello`` says Goodbye): no safe fix."""
    command = rec.command
    text_param = command.text_param if command is not None else None
    return rec.place_of(param) is not None or (param is text_param and rec.text is not None)
