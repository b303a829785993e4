from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import command, values
from ozml.catalog.commands import REPEATED_KEY
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.menus import Key, MenuRule, menus

_REPEATED = command("Input").behaviour_fact(REPEATED_KEY)


class DuplicateInputKey(MenuRule):
    """Two Input branches of one menu have the same key.

    When the caller presses the key, presumably the first matching branch runs and the second
    never does; usually one of the two keys is a typo. DTMF letters A-D are compared ignoring
    case. The vendor does not say what a repeated key does (spec §7.32), so this is a warning,
    by default and always, whose message says what ozml assumes and cites the spec (the
    catalog audit lists the assumption).

    Fails::

        <Response>
          <UserInput>
            <Inputs>
              <Input Key="1"><Speak>Sales</Speak></Input>
              <Input Key="1"><Speak>Support</Speak></Input>
            </Inputs>
          </UserInput>
        </Response>

    Passes::

        <Response>
          <UserInput>
            <Inputs>
              <Input Key="1"><Speak>Sales</Speak></Input>
              <Input Key="2"><Speak>Support</Speak></Input>
            </Inputs>
          </UserInput>
        </Response>
    """

    code = "OZ801"
    name = "duplicate-input-key"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for menu in menus(ctx):
            seen: dict[str, Key] = {}
            for key in menu.keys:
                first = seen.setdefault(values.dtmf_key(key.value), key)
                if first is key:
                    continue
                line = ctx.source.element_span(first.rec).line
                found = self.report(
                    ctx,
                    f"Input key {key.value!r} is already used on line {line} of this menu; if"
                    " the first branch runs, as ozml assumes, this one never does",
                    ctx.source.attribute_span(key.rec, key.attribute, value=True),
                )
                yield ctx.grounded(found, _REPEATED)
