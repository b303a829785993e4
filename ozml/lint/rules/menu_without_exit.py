from __future__ import annotations

from collections.abc import Iterator

from ozml.callmodel.readings import read_flag
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.menus import MenuRule, menus


class MenuWithoutExit(MenuRule):
    """A UserInput menu whose keys lead nowhere.

    A menu collects keys and then runs the matching Input, or requests ForwardToURL
    (DtmfEntered) when none matches, or runs ExecuteSQL [oz4693][hu7663]. A UserInput with none
    of these plays its prompts and ignores whatever the caller presses; with ``Repeat="true"`` it
    plays them until the caller gives up and hangs up. Add the Input branches, or a ForwardToURL
    that decides what happens next.

    Fails::

        <Response>
          <UserInput Repeat="true" Timeout="5">
            <InitialCommands>
              <Speak>Press 1 for sales.</Speak>
            </InitialCommands>
          </UserInput>
        </Response>

    Passes::

        <Response>
          <UserInput Repeat="true" Timeout="5">
            <InitialCommands>
              <Speak>Press 1 for sales.</Speak>
            </InitialCommands>
            <Inputs>
              <Input Key="1"><BlindTransfer>200</BlindTransfer></Input>
            </Inputs>
          </UserInput>
        </Response>
    """

    code = "OZ803"
    name = "menu-without-exit"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for menu in menus(ctx):
            if menu.keys or menu.other_inputs:
                continue
            params = menu.rec.params()
            if params.get("ForwardToURL") or params.get("ExecuteSQL"):
                continue
            message = (
                "UserInput has no Input branch and no ForwardToURL: the keys the caller presses"
                " lead nowhere"
            )
            # Repeat read as the dry run and the graph read it (a value it refuses: the default).
            if read_flag(menu.rec.name, "Repeat", params.get("Repeat"))[0]:
                message += ", and Repeat=\"true\" plays the prompts until the caller hangs up"
            yield self.report(ctx, message, ctx.source.element_span(menu.rec))
