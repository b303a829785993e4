"""A bound the vendor does not state is assumed everywhere ozml shows it.

The vendor gives Timeout, Digits, RingTime and the like as whole numbers (or seconds) and never
their least value (spec §7): that Timeout is at least 0 is ozml's assumption. One answer,
`ozml.catalog.values.grounds`, says whether a refused value rests on such a bound; the linter
(a warning), the HTTP API's checks, the language server's hover, the catalog audit (``ozml
command``, docs/commands/) and the XML Schema (which then takes the value) follow it.
"""

from __future__ import annotations

import pytest

from ozml.catalog import Context, command, values
from ozml.catalog.audit import param_facts
from ozml.lsp.hover import describe_param


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [("UserInput", "Timeout", "-1"), ("UserInput", "Digits", "0"), ("Delay", "Time", "-2")],
)
def test_a_value_beyond_an_unstated_bound_rests_on_the_bound(
    name: str, param: str, value: str
) -> None:
    found = command(name).param(param)
    assert values.check(found, value) is not None
    basis = values.grounds(found, value)
    assert basis != found.typed
    assert not basis.stated
    assert "states no bound" in basis.why


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [
        ("UserInput", "Timeout", "soon"),  # no number at all: the stated type
        ("SendAlarmNotification", "AccountNumber", "-123"),  # a sign is no digit: 4 digits
        ("Delay", "Time", "-x"),
    ],
)
def test_a_value_of_another_form_rests_on_the_type(name: str, param: str, value: str) -> None:
    found = command(name).param(param)
    assert values.check(found, value) is not None
    assert values.grounds(found, value) == found.typed


def test_the_hover_and_the_audit_say_the_bound_is_assumed() -> None:
    user_input = command("UserInput")
    timeout = user_input.param("Timeout")
    assert "integer (≥ 0 (assumed))" in describe_param(user_input, timeout, Context.ANY)
    [bounds] = [f for f in param_facts(user_input, timeout) if f.fact == "bounds"]
    assert bounds.value == "at least 0"
    assert bounds.label.startswith("assumed (spec §7 [hu7663]")


def test_the_hover_says_an_assumed_default_is_assumed() -> None:
    user_input = command("UserInput")
    timeout = user_input.param("Timeout")
    assert not timeout.defaulted.stated  # the older pages' default only (spec §7.32)
    assert "default `0` (assumed)" in describe_param(user_input, timeout, Context.ANY)
    repeat = user_input.param("Repeat")
    assert repeat.defaulted.stated
    shown = describe_param(user_input, repeat, Context.ANY)
    assert "default `false`" in shown
    assert "default `false` (assumed)" not in shown
