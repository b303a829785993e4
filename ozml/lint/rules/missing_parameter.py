from __future__ import annotations

from collections.abc import Iterator

from ozml import templates
from ozml.catalog import ALL, Command, Context, Param, messages
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.contexts import where
from ozml.lint.rule import Rule, Severities, listing
from ozml.lint.suggest import parameter_names
from ozml.resolve import Resolved

_EVERYWHERE = frozenset(Context.concrete())

def _misspelt(rec: Resolved, cmd: Command, name: str) -> bool:
    """Whether an unknown attribute is `cmd`'s parameter `name` misspelt (unknown-attribute
    reports it)."""
    alone = parameter_names(cmd).alone(name)
    return any(
        pm is None and alone.closest(written)
        for (written, _), pm in zip(rec.written, rec.matches, strict=True)
    )


#: (id(command), id(context)) → (the command, the parameters it requires in that context):
#: worked out once per command and context, not per element.
_REQUIRED: dict[tuple[int, int], tuple[Command, tuple[Param, ...]]] = {}


def _required(cmd: Command, context: Context) -> tuple[Param, ...]:
    """The parameters an element of `cmd` must give in `context`, in catalog order."""
    entry = _REQUIRED.get((id(cmd), id(context)))
    if entry is None or entry[0] is not cmd:
        chosen: tuple[Param, ...] = ()
        if cmd.in_ozml and cmd.documented:
            valid_in = cmd.contexts or _EVERYWHERE
            chosen = tuple(p for p in cmd.params if p.is_required(context, valid_in))
        entry = _REQUIRED[(id(cmd), id(context))] = (cmd, chosen)
    return entry[1]


class MissingParameter(Rule):
    """A mandatory parameter is missing.

    ForwardCall needs Destination, AttendedTransfer needs TargetCallId, CallSetup needs Caller and
    Callee, Speak needs its text. A parameter that may be written as element text (D7) is
    satisfied either way. Some parameters are mandatory only in one context (Party for Speak and
    Play under 3PCC, D4): in the default context ``any`` only what is mandatory everywhere is
    required. Username and Password are never required in a document (D5). Text written by a
    server template (``<Speak><?php echo $x; ?></Speak>``, ``<Speak>{{ text }}</Speak>``)
    satisfies the parameter (docs/templates.md). Text in a command none of whose parameters is
    documented as text (``<ForwardCall>102</ForwardCall>``) may or may not give the missing
    parameter: the vendor does not say, so the finding is then a warning that says the text is
    assumed not to give it (text-not-allowed reports the text).

    Fails::

        <Response>
          <ForwardCall/>
        </Response>

    Passes::

        <Response>
          <ForwardCall Destination="102"/>
        </Response>
    """

    code = "OZ201"
    name = "missing-parameter"
    severity = Severity.ERROR

    per_element = True
    reads = "shape"

    @classmethod
    def severities(cls) -> Severities:
        unsure = [f"{c.name}'s {p.name}" for c in ALL for p in c.params if not p.required.stated]
        return Severities(
            Severity.ERROR,
            Severity.WARNING,
            f"the parameter's being mandatory is assumed ({listing(unsure)}), or the element's"
            " text may give it (its command's table marks no parameter as text)",
        )

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None and bool(_required(command, context))

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        context = ctx.context
        templated = ctx.templated_tags
        cmd = rec.command
        assert cmd is not None  # `applies`
        if templated and templates.dynamic_tag(rec.element, templated):
            return  # a template writes (some of) the attributes: none is known missing
        for param in _required(cmd, context):
            if rec.value(param) is not None:
                continue
            # A misspelling is unknown-attribute's error; where that is only a warning (an
            # incomplete parameter table), the parameter is still reported missing.
            if cmd.params_fact.stated and _misspelt(rec, cmd, param.name):
                continue
            if (
                param.text
                and ctx.templated
                and templates.dynamic_content(rec.element, ctx.settings.templates)
            ):
                continue  # the text is a template's or a processing instruction's
            # A parameter mandatory only in some contexts: say which, and where it was set.
            scope = ""
            if param.required_in != _EVERYWHERE and context is not Context.ANY:
                scope = " " + where(ctx.settings)
            message = messages.missing_parameter(
                cmd.name, param.name, text=param.text, scope=scope
            )
            # Text in a command none of whose parameters is documented as text: whether it
            # gives the parameter is as unknown as what the PBX does with it (text-not-allowed).
            # The finding then rests on that assumption too (a warning that says so).
            unsure = None
            if cmd.text_param is None and rec.text and not cmd.no_text_fact.stated:
                unsure = cmd.no_text_fact
                message += f" (its text {messages.shown(rec.text)} is assumed not to give it)"
            found = self.report(ctx, message, ctx.source.element_span(rec))
            found = ctx.grounded(found, param.required)
            yield ctx.grounded(found, unsure) if unsure is not None else found
