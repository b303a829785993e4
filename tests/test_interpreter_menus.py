"""UserInput menus: match, no match, ForwardToURL, repeat, timeout, nested menus, BackKey."""

from __future__ import annotations

from pathlib import Path

import pytest
from dryrun_support import instant

from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario

MENU = """<Response>
  <UserInput Timeout="10" Repeat="true" BackKey="*" ForwardToURL="http://app/dtmf">
    <InitialCommands><Speak>Main menu</Speak></InitialCommands>
    <Inputs>
      <Input Key="1"><Speak>Sales</Speak></Input>
      <Input Key="2">
        <UserInput Timeout="5" BackKey="*">
          <InitialCommands><Speak>Sub menu</Speak></InitialCommands>
          <Inputs><Input Key="3"><Speak>Three</Speak></Input></Inputs>
        </UserInput>
        <Speak>After the sub menu</Speak>
      </Input>
    </Inputs>
  </UserInput>
  <Speak>After the main menu</Speak>
</Response>
"""

UNKNOWN_KEY = '"http://app/dtmf" = "<Response><Speak>Unknown key</Speak></Response>"'


def run(document: str, dtmf: list[str], extra: str = "") -> tuple[list[str], list[object]]:
    keys = ", ".join(f'"{d}"' for d in dtmf)
    scenario = instant(parse_scenario(f"[input]\ndtmf = [{keys}]\n{extra}", Path("menu.toml")))
    _, program = compile_source(document, "menu.xml")
    done = run_scenario(scenario, program)
    return [e.golden() for e in done.events], [(r.url, dict(r.form)) for r in done.requests]


MAIN = '0s UserInput Timeout="10" Repeat="true" BackKey="*" ForwardToURL="http://app/dtmf"'
SUB = '0s UserInput Timeout="5" BackKey="*"'


def test_a_matching_key_runs_its_input_then_continues_after_the_menu() -> None:
    trace, _ = run(MENU, ["1"])
    assert trace == [
        f"{MAIN} -> menu",
        '0s Speak Text="Main menu" -> ok',
        '0s input Digits="1" -> matched',
        '0s Speak Text="Sales" -> ok',
        '0s Speak Text="After the main menu" -> ok',
        "0s end -> end-of-script",
    ]


def test_no_match_fetches_forward_to_url_with_the_digits_and_runs_the_answer() -> None:
    trace, requests = run(MENU, ["9"], f"[urls]\n{UNKNOWN_KEY}\n")
    assert trace == [
        f"{MAIN} -> menu",
        '0s Speak Text="Main menu" -> ok',
        '0s input Digits="9" -> no-match',
        '0s fetch Url="http://app/dtmf" DtmfDigits="9" -> fetched',
        '0s Speak Text="Unknown key" -> ok',
        "0s end -> end-of-script",
    ]
    assert requests == [
        ("http://app/dtmf", {"NotificationName": "DtmfEntered", "CallId": "call-1",
                             "DtmfDigits": "9"})
    ]


def test_no_match_without_forward_to_url_repeats_or_continues() -> None:
    menu = (
        '<Response><UserInput Repeat="{0}"><InitialCommands><Speak>Menu</Speak>'
        '</InitialCommands><Inputs><Input Key="1"><Speak>One</Speak></Input></Inputs>'
        "</UserInput><Speak>After</Speak></Response>"
    )
    repeating, _ = run(menu.format("true"), ["7", "1"])
    assert repeating == [
        '0s UserInput Repeat="true" -> menu',
        '0s Speak Text="Menu" -> ok',
        '0s input Digits="7" -> no-match',
        '0s UserInput Repeat="true" -> repeat',
        '0s Speak Text="Menu" -> ok',
        '0s input Digits="1" -> matched',
        '0s Speak Text="One" -> ok',
        '0s Speak Text="After" -> ok',
        "0s end -> end-of-script",
    ]
    once, _ = run(menu.format("false"), ["7"])
    assert once[2:] == ['0s input Digits="7" -> no-match', '0s Speak Text="After" -> ok',
                        "0s end -> end-of-script"]


def test_timeout_waits_timeout_seconds_and_repeats_the_prompts() -> None:
    trace, _ = run(MENU, ["timeout", "", "1"])
    assert trace == [
        f"{MAIN} -> menu",
        '0s Speak Text="Main menu" -> ok',
        "10s input -> timeout",
        f"{MAIN.replace('0s', '10s', 1)} -> repeat",
        '10s Speak Text="Main menu" -> ok',
        "20s input -> timeout",
        f"{MAIN.replace('0s', '20s', 1)} -> repeat",
        '20s Speak Text="Main menu" -> ok',
        '20s input Digits="1" -> matched',
        '20s Speak Text="Sales" -> ok',
        '20s Speak Text="After the main menu" -> ok',
        "20s end -> end-of-script",
    ]


def test_timeout_without_repeat_continues_after_the_menu() -> None:
    document = (
        '<Response><UserInput Timeout="3"><InitialCommands><Speak>Menu</Speak>'
        "</InitialCommands></UserInput><Speak>After</Speak></Response>"
    )
    trace, _ = run(document, ["timeout"])
    assert trace == [
        '0s UserInput Timeout="3" -> menu',
        '0s Speak Text="Menu" -> ok',
        "3s input -> timeout",
        '3s Speak Text="After" -> ok',
        "3s end -> end-of-script",
    ]


def test_nested_menu_then_back_key_returns_to_the_parent_menu() -> None:
    trace, _ = run(MENU, ["2", "*", "2", "3"])
    assert trace == [
        f"{MAIN} -> menu",
        '0s Speak Text="Main menu" -> ok',
        '0s input Digits="2" -> matched',
        f"{SUB} -> menu",
        '0s Speak Text="Sub menu" -> ok',
        '0s input Digits="*" -> back',
        f"{MAIN} -> repeat",
        '0s Speak Text="Main menu" -> ok',
        '0s input Digits="2" -> matched',
        f"{SUB} -> menu",
        '0s Speak Text="Sub menu" -> ok',
        '0s input Digits="3" -> matched',
        '0s Speak Text="Three" -> ok',
        '0s Speak Text="After the sub menu" -> ok',
        '0s Speak Text="After the main menu" -> ok',
        "0s end -> end-of-script",
    ]


def test_back_key_in_a_top_level_menu_continues_after_it() -> None:
    trace, _ = run(MENU, ["*"])
    assert trace[2:] == [
        '0s input Digits="*" -> back',
        '0s Speak Text="After the main menu" -> ok',
        "0s end -> end-of-script",
    ]


def test_the_caller_hanging_up_ends_the_call() -> None:
    trace, _ = run(MENU, ["hangup"])
    assert trace[2:] == ["0s input -> hangup", "0s end -> caller-hangup"]


def test_when_the_scenario_runs_out_of_input_the_caller_hangs_up_by_default() -> None:
    trace, _ = run(MENU, [])
    assert trace[-1] == "0s end -> caller-hangup"


def test_when_done_timeout_makes_a_repeating_menu_hit_the_step_limit() -> None:
    # `extra` continues the [input] table that run() opens.
    trace, _ = run(MENU, [], 'when_done = "timeout"\n[engine]\nmax_steps = 7\n')
    assert trace[-1].endswith("end -> step-limit")


@pytest.mark.parametrize(
    ("attributes", "typed", "expected"),
    [
        ('Digits="2"', "123", '0s input Digits="12" -> matched'),
        ('MaxDigits="3" Digits="1"', "123", '0s input Digits="123" -> no-match'),
        ("", "12", '0s input Digits="1" -> no-match'),
    ],
)
def test_digits_beyond_the_limit_are_cut(attributes: str, typed: str, expected: str) -> None:
    document = (
        f"<Response><UserInput {attributes}><Inputs><Input Key='12'><Speak>x</Speak></Input>"
        "</Inputs></UserInput></Response>"
    )
    trace, _ = run(document, [typed])
    assert trace[1] == expected


def test_input_keys_and_prompts_can_use_variables() -> None:
    document = (
        "<Response><Var Id='k'>5</Var><UserInput><InitialCommands><Speak>Press $k</Speak>"
        "</InitialCommands><Inputs><Input Key='$k'><Speak>five</Speak></Input></Inputs>"
        "</UserInput></Response>"
    )
    trace, _ = run(document, ["5"])
    assert trace[2:5] == ['0s Speak Text="Press 5" -> ok', '0s input Digits="5" -> matched',
                          '0s Speak Text="five" -> ok']


def test_goto_inside_a_nested_menu_leaves_every_menu() -> None:
    document = MENU.replace("<Speak>Three</Speak>", "<GoTo>http://app/billing</GoTo>")
    trace, _ = run(
        document, ["2", "3"],
        '[urls]\n"http://app/billing" = "<Response><Speak>Billing</Speak></Response>"\n',
    )
    assert trace[-3:] == [
        '0s GoTo Url="http://app/billing" -> fetched',
        '0s Speak Text="Billing" -> ok',
        "0s end -> end-of-script",
    ]


def test_commands_directly_under_user_input_are_skipped() -> None:
    document = "<Response><UserInput><Speak>direct</Speak></UserInput></Response>"
    trace, _ = run(document, ["timeout"])
    assert trace[1] == '0s Speak Text="direct" -> skipped'
    assert trace[2] == "0s input -> timeout"


@pytest.mark.parametrize(
    ("digits", "read"),
    [('MaxDigits="2"', "12"), ('MaxDigits="1_0"', "1"), ('Digits="²"', "1"), ("MaxDigits", "12")],
)
def test_a_digit_count_is_a_whole_number_as_the_linter_reads_one(digits: str, read: str) -> None:
    # int() read "1_0" as 10 where the linter reports an invalid value, and refused the
    # 5,000 digits of a count past every key (the menu then read one digit).
    if digits == "MaxDigits":
        digits = f'MaxDigits="{"9" * 5000}"'
    document = (
        f"<Response><UserInput {digits}><Inputs>"
        '<Input Key="12"><Speak>Twelve</Speak></Input><Input Key="1"><Speak>One</Speak></Input>'
        "</Inputs></UserInput></Response>"
    )
    trace, _ = run(document, ["12"])
    assert trace[1] == f'0s input Digits="{read}" -> matched'
