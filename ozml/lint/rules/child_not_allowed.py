from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import ALL, Command, Context, ElementKind, Usage, nesting
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule, Severities
from ozml.resolve import Resolved


class ChildNotAllowed(Rule):
    """An element stands where OzML is not known to take it.

    Commands go in ``Response`` and in the command blocks (``InitialCommands``, ``Input``,
    ``ForEach``, ``Received``, Request handlers); ``Inputs`` holds only ``Input``; ``Array`` holds
    only ``Item``; the vendor shows the other commands without child elements. A misplaced
    element is not run where the author expects it, or not at all. HTTP-only commands are
    reported by http-only-command instead; one whose use in OzML is only undocumented
    (ListCallHistory, ReceiveMessage, ...) is judged here as any command is, since
    http-only-command only warns about it.

    The vendor states only the content of ``Response`` (commands), ``Inputs`` (``Input``),
    ``Array`` (``Item``) and ``ReceiveAlarmNotification`` (``Received``), and that a response
    is the document's root: an Input directly in Response, a Speak inside Inputs and a nested
    Response are errors. Everything else is left open (spec §2: only the combinations seen are
    listed, everything else is UNKNOWN), so the finding is a warning that says the element is
    undocumented there and cites the spec: an element inside Speak, Play, Hangup or any other
    command the vendor shows without child elements (no page says they take none: "Children:
    none seen", §7), Call and BlindTransfer included; anything but InitialCommands and Inputs
    directly inside UserInput; Request handlers other than OnSetup and OnError (§7.13); and an
    element that is no command inside InitialCommands, Input, ForEach, Received or a Request
    handler, such as an Item inside ForEach: the vendor shows only commands there, and says
    nothing of other elements (§2, §7.25). The basis of each is in docs/decisions.md.

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
            "the parent is {}, whose content the vendor states, or the element is a nested"
            " document root",
            usual=Severity.WARNING,
            conjunction="or",
        )

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        parent = rec.parent
        cmd = rec.command
        assert cmd is not None  # `applies`
        pcmd = parent.command if parent is not None else None
        if pcmd is None or nesting.holds(pcmd, cmd):
            return
        # An HTTP API command: http-only-command's error says it better. Where that is only a
        # warning (its use in OzML is undocumented), where it stands is judged as for any
        # command, so that a misplacement the vendor states stays an error.
        http_only = cmd.kind is ElementKind.COMMAND and Usage.OZML not in cmd.usage
        if http_only and cmd.usage_fact.stated:
            return
        found = nesting.misplaced(pcmd, cmd)
        assert found is not None  # not held
        span = ctx.source.element_span(rec)
        yield ctx.grounded(self.report(ctx, found.message, span), found.basis)
