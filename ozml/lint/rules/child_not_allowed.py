from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import ALL, ChildPolicy, Command, Context, ElementKind, Usage
from ozml.catalog.model import Basis, stated
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule, Severities
from ozml.resolve import Resolved

#: Where each structural part belongs, for the message.
_HOME = {
    "InitialCommands": "UserInput",
    "Inputs": "UserInput",
    "Input": "Inputs",
    "Item": "Array",
    "Received": "ReceiveAlarmNotification",
    "OnSetup": "Request",
    "OnError": "Request",
}


def basis_of(pcmd: Command, ccmd: Command) -> Basis:
    """What says `ccmd` may not stand in `pcmd`.

    A nested root is stated by the root's own page (a response is always the enclosing
    element). Anything else, a structural part outside the elements the vendor documents it in
    (an Input outside Inputs) included, rests on what the parent's page says about its content:
    stated for most (Response holds commands, Inputs holds Input), assumed where the spec marks
    it UNKNOWN (§2: anything but InitialCommands and Inputs directly in UserInput, children of
    Call or BlindTransfer, Request handlers other than OnSetup and OnError).
    """
    if ccmd.kind is ElementKind.ROOT:
        return stated(ccmd.source)
    return pcmd.children_fact


def allowed_in(parent: Resolved, child: Resolved) -> bool:
    pcmd, ccmd = parent.command, child.command
    if pcmd is None or ccmd is None or not pcmd.documented:
        return True
    if pcmd.children is ChildPolicy.COMMANDS:
        return ccmd.kind is ElementKind.COMMAND
    if pcmd.children is ChildPolicy.LISTED:
        return ccmd.name in pcmd.child_names
    return False


class ChildNotAllowed(Rule):
    """An element stands where OzML does not allow it.

    Commands go in ``Response`` and in the command blocks (``InitialCommands``, ``Input``,
    ``ForEach``, ``Received``, Request handlers); ``Inputs`` holds only ``Input``; ``Array`` holds
    only ``Item``; most commands hold no elements at all. A misplaced element is not run where the
    author expects it, or not at all. HTTP-only commands are reported by http-only-command instead;
    one whose use in OzML is only undocumented (ListCallHistory, ReceiveMessage, ...) is judged
    here as any command is, since http-only-command only warns about it.

    Where the vendor leaves the question open, the finding is a warning that says it is
    undocumented and assumed, and cites the spec: anything but InitialCommands and Inputs
    directly inside UserInput, a prompt or an Input included; child elements of Call or
    BlindTransfer; Request handlers other than OnSetup and OnError (spec §2, §7.13); and an
    element that is no command inside InitialCommands, Input, ForEach, Received or a Request
    handler, such as an Item inside ForEach: the vendor shows only commands there, and says
    nothing of other elements (spec §2, §7.25). The other findings, errors, rest on facts the
    catalog records as the vendor's, each with its source (docs/decisions.md): an Input
    directly in Response, an element inside Speak, a nested Response.

    Fails::

        <Response>
          <Input Key="1">
            <Speak>One</Speak>
          </Input>
        </Response>

    Passes::

        <Response>
          <UserInput>
            <Inputs>
              <Input Key="1">
                <Speak>One</Speak>
              </Input>
            </Inputs>
          </UserInput>
        </Response>
    """

    code = "OZ104"
    name = "child-not-allowed"
    severity = Severity.ERROR

    per_element = True
    reads = "shape"

    @classmethod
    def severities(cls) -> Severities:
        return Severities.by_fact(
            (c for c in ALL if c.documented),
            lambda c: c.children_fact.stated,
            "the parent is {}, whose content beyond what the vendor shows is assumed (a nested"
            " document root aside)",
            conjunction="or",
        )

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        parent = rec.parent
        if parent is None or allowed_in(parent, rec):
            return
        cmd = rec.command
        assert cmd is not None  # `applies`
        # An HTTP API command: http-only-command's error says it better. Where that is only a
        # warning (its use in OzML is undocumented), where it stands is judged as for any
        # command, so that a misplacement the vendor states stays an error.
        http_only = cmd.kind is ElementKind.COMMAND and Usage.OZML not in cmd.usage
        if http_only and cmd.usage_fact.stated:
            return
        pcmd = parent.command
        assert pcmd is not None
        basis = basis_of(pcmd, cmd)
        span = ctx.source.element_span(rec)
        if not basis.stated:
            message = (
                f"{cmd.name} directly inside {pcmd.name} is undocumented"
                f" ({basis.citation()}): {basis.why}"
            )
            home = _HOME.get(cmd.name)
            if home:
                message += f"; the vendor shows {cmd.name} in {home}"
            yield ctx.grounded(self.report(ctx, message, span), basis)
            return
        if pcmd.children is ChildPolicy.NONE:
            message = f"{pcmd.name} takes no child elements, found {cmd.name}"
        elif pcmd.children is ChildPolicy.LISTED:
            listed = " or ".join(pcmd.child_names)
            message = f"{cmd.name} is not allowed in {pcmd.name}; expected {listed}"
        elif cmd.kind is ElementKind.ROOT:
            message = f"{cmd.name} is the document root and cannot be nested in {pcmd.name}"
        else:
            home = _HOME.get(cmd.name)
            message = f"{cmd.name} is not allowed in {pcmd.name}"
            if home:
                message += f"; it belongs in {home}"
        yield ctx.grounded(self.report(ctx, message, span), basis)
