from __future__ import annotations

from collections.abc import Iterator

from ozml import xmlspace
from ozml.catalog import ALL, Command, Context, values
from ozml.diagnostics import Diagnostic, Fix, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import text_to_attribute
from ozml.lint.rule import Fixable, Rule, Severities
from ozml.lint.templated import literal_text, text_dynamic
from ozml.resolve import Resolved

_EVERYWHERE = frozenset(Context.concrete())


def _as_missing_parameter(ctx: LintContext, rec: Resolved) -> Fix | None:
    """Move the text into the command's one missing mandatory parameter, if it suits it.

    Unsafe: that the text was meant as that parameter is a guess.
    """
    cmd = rec.command
    text = rec.text
    if cmd is None or text is None:
        return None
    valid_in = cmd.contexts or _EVERYWHERE
    missing = [
        p for p in cmd.ozml_params if p.is_required(ctx.context, valid_in) and rec.value(p) is None
    ]
    if len(missing) != 1:
        return None
    if not text_dynamic(ctx, rec, text) and values.check(missing[0], text, ()) is not None:
        return None  # plain text that does not suit it (what is dynamic suits any parameter)
    if not ctx.text_only(rec):
        return None
    name = missing[0].name
    return text_to_attribute(
        ctx.source, rec, text, name, f"Give the text as the {name} attribute", safe=False
    )


class TextNotAllowed(Rule):
    """Text inside an element that is not known to take any.

    Some commands take one parameter as element text, and the vendor's tables or examples say
    which (Speak's Text, Delay's Time, BlindTransfer's Target, Call's Dialed, ...; see ``ozml
    command NAME`` and D7). The general form lets a command take one of its parameters as text
    (spec §1), but the tables of the other commands mark none, and the vendor does not say what
    a PBX does with text there. Text in them (prose left inside ``Response``, a value written as
    text for a command whose table wants an attribute) is therefore a warning that says the
    element is assumed to take none and cites the element's section of the spec. Only where the
    vendor says the command has no parameters at all (Reject), so that its text can be none of
    them, is it an error, unless the text is white space other than XML's alone (a no-break
    space), which the PBX may not read as text at all (a warning that says so). When the
    command lacks exactly one mandatory parameter and the text suits it, an unsafe fix
    (applied with ``--unsafe-fixes``) moves the text into it.

    Fails::

        <Response>
          <ForwardCall>102</ForwardCall>
        </Response>

    Passes::

        <Response>
          <ForwardCall Destination="102"/>
        </Response>
    """

    code = "OZ105"
    name = "text-not-allowed"
    severity = Severity.ERROR
    fixable = Fixable.UNSAFE

    per_element = True
    reads = "shape"

    @classmethod
    def severities(cls) -> Severities:
        return Severities.by_fact(
            (c for c in ALL if cls.applies(c, Context.ANY)),
            lambda c: c.no_text_fact.stated,
            "the vendor states that the command takes no text: {}",
            usual=Severity.WARNING,
        )

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None and command.documented and command.text_param is None

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        cmd = rec.command
        assert cmd is not None  # `applies`
        if not rec.has_text:
            return
        span = ctx.source.text_span(rec)
        text = rec.text or ""
        shown = text if len(text) <= 30 else text[:27] + "..."
        if cmd.params:
            names = ", ".join(p.name for p in cmd.ozml_params)
            hint = f"; give the value as an attribute ({names})"
        else:
            hint = ""
        basis = cmd.no_text_fact
        if basis.stated:
            message = f"{cmd.name} takes no text, found {shown!r}{hint}"
            if not xmlspace.trimmed(text):
                basis = values.OTHER_SPACE  # a no-break space alone: maybe no text to the PBX
        else:
            # `grounded` adds why it is assumed: ``; undocumented (spec §7.4 [...]): ...``.
            message = f"{cmd.name} is not known to take element text, found {shown!r}{hint}"
        found = self.report(ctx, message, span, fix=_as_missing_parameter(ctx, rec))
        yield literal_text(ctx, rec, ctx.grounded(found, basis))
