from __future__ import annotations

from collections.abc import Iterator

from ozml import xmlspace
from ozml.catalog import command, values
from ozml.diagnostics import Diagnostic, Severity
from ozml.flow.control import BACK_OR_BRANCH
from ozml.lint.context import LintContext
from ozml.lint.menus import Menu, MenuRule, menus

_KEY = command("Input").param("Key")


def _digits(count: int) -> str:
    return f"{count} digit" if count == 1 else f"{count} digits"


def _nested(menu: Menu) -> bool:
    """Whether the menu's UserInput stands inside another menu (in one of its Inputs)."""
    parent = menu.rec.parent
    while parent is not None:
        if parent.name == "UserInput":
            return True
        parent = parent.parent
    return False


class InvalidInputKey(MenuRule):
    """An Input key that the caller cannot enter in its menu.

    A menu reads ``Digits`` keys, 1 unless set (or between ``MinDigits`` and ``MaxDigits``), and
    then runs the Input whose key matches [oz4693][hu7663]. A key of another length never matches,
    so ``<Input Key="10">`` in a menu that reads one digit is dead. A key equal to the menu's
    BackKey is reported too: BackKey returns to the menu around this one, or, in a menu that is
    not nested, goes on after the UserInput [hu7663], and whether BackKey or the Input wins is
    not documented, so that finding is a warning that says so and cites the spec (spec §7.32).
    Keys with characters that are not DTMF keys (0-9, \\*, #, A-D) are reported by
    invalid-value.

    Fails::

        <Response>
          <UserInput>
            <Inputs>
              <Input Key="1"><Speak>Sales</Speak></Input>
              <Input Key="10"><Speak>Support</Speak></Input>
            </Inputs>
          </UserInput>
        </Response>

    Passes::

        <Response>
          <UserInput Digits="2">
            <Inputs>
              <Input Key="01"><Speak>Sales</Speak></Input>
              <Input Key="10"><Speak>Support</Speak></Input>
            </Inputs>
          </UserInput>
        </Response>
    """

    code = "OZ802"
    name = "invalid-input-key"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        for menu in menus(ctx):
            if not menu.keys:
                continue
            lengths = menu.lengths()
            back = xmlspace.strip(menu.param("BackKey") or "")
            for key in menu.keys:
                if not key.value or values.check(_KEY, key.value) is not None:
                    continue  # invalid-value reports it
                if back and values.dtmf_key(key.value) == values.dtmf_key(back):
                    does = (
                        "returns to the menu around this one"
                        if _nested(menu)
                        else "goes on after this UserInput"
                    )
                    found = self.report(
                        ctx,
                        f"Input key {key.value!r} is also the menu's BackKey, which {does}"
                        " [hu7663]",
                        ctx.source.attribute_span(key.rec, key.attribute, value=True),
                    )
                    yield ctx.grounded(found, BACK_OR_BRANCH)
                    continue
                if lengths is None:
                    continue
                low, high, how = lengths
                if low <= len(key.value) <= high:
                    continue
                reads = _digits(low) if low == high else f"{low} to {high} digits"
                yield self.report(
                    ctx,
                    f"Input key {key.value!r} has {_digits(len(key.value))} but the menu reads"
                    f" {reads} ({how}); the caller cannot enter it",
                    ctx.source.attribute_span(key.rec, key.attribute, value=True),
                )
