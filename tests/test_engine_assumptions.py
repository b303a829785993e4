"""The dry run's assumptions where the vendor is silent, each a setting (docs/interpreter.md).

`after_input` (what follows a matched Input's commands), `extra_keys` (keys beyond Digits) and
`blind_transfer` / `attended_transfer` (what follows a transfer that succeeded), `back_key`
(BackKey or an Input with the same key first): each both ways, the default unchanged, and bad
values refused naming the key and the choices.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from dryrun_support import instant

from ozml.cli import main
from ozml.interpreter.engine import EngineOptions
from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import ScenarioError, parse_scenario


def dry(document: str, scenario: str = "", details: bool = False) -> list[str]:
    """The golden lines of a dry run; with `details`, each followed by its detail text."""
    parsed = instant(parse_scenario(scenario, Path("scenario.toml")))
    _, program = compile_source(document, "doc.xml")
    return [
        f"{event.golden()} ({event.detail})" if details and event.detail else event.golden()
        for event in run_scenario(parsed, program).events
    ]


#: What a matched Input's line says of its commands running out (after_input's default).
GOES_ON = (
    "when its commands run out, the script goes on after the menu (after_input = continue,"
    " assumed)"
)

MENU = (
    '<Response><UserInput Timeout="5"><InitialCommands><Speak>Menu</Speak></InitialCommands>'
    '<Inputs><Input Key="1"><Speak>One</Speak></Input></Inputs></UserInput>'
    "<Speak>After</Speak></Response>"
)


def test_defaults_are_the_documented_readings() -> None:
    options = EngineOptions()
    assert (options.after_input, options.extra_keys) == ("continue", "drop")
    assert (options.blind_transfer, options.attended_transfer) == ("end", "continue")
    assert options.back_key == "first"
    assert parse_scenario("", Path("s.toml")).options == options


# -- after_input -------------------------------------------------------------------------


def test_after_input_continue_runs_what_follows_the_menu() -> None:
    lines = dry(MENU, '[input]\ndtmf = ["1"]\n[engine]\nafter_input = "continue"\n')
    assert lines == dry(MENU, '[input]\ndtmf = ["1"]\n')
    assert lines == [
        '0s UserInput Timeout="5" -> menu',
        '0s Speak Text="Menu" -> ok',
        '0s input Digits="1" -> matched',
        '0s Speak Text="One" -> ok',
        '0s Speak Text="After" -> ok',
        "0s end -> end-of-script",
    ]


def test_after_input_end_ends_the_script() -> None:
    lines = dry(MENU, '[input]\ndtmf = ["1"]\n[engine]\nafter_input = "end"\n')
    assert lines == [
        '0s UserInput Timeout="5" -> menu',
        '0s Speak Text="Menu" -> ok',
        '0s input Digits="1" -> matched',
        '0s Speak Text="One" -> ok',
        "0s end -> end-of-script",
    ]


def test_after_input_end_hangs_up_an_extension_call_and_says_it_is_assumed() -> None:
    scenario = instant(parse_scenario(
        'context = "extension"\n[input]\ndtmf = ["1"]\n[engine]\nafter_input = "end"\n',
        Path("s.toml"),
    ))
    _, program = compile_source(MENU, "doc.xml")
    result = run_scenario(scenario, program)
    assert result.result.ending == "end-of-script"
    assert "after_input = end, assumed" in result.result.calls[0].detail
    assert "hung up" in result.result.calls[0].detail


def test_after_input_repeat_starts_the_menu_again() -> None:
    lines = dry(MENU, '[input]\ndtmf = ["1", "timeout"]\n[engine]\nafter_input = "repeat"\n')
    assert lines == [
        '0s UserInput Timeout="5" -> menu',
        '0s Speak Text="Menu" -> ok',
        '0s input Digits="1" -> matched',
        '0s Speak Text="One" -> ok',
        '0s UserInput Timeout="5" -> repeat',
        '0s Speak Text="Menu" -> ok',
        "5s input -> timeout",
        '5s Speak Text="After" -> ok',
        "5s end -> end-of-script",
    ]


def test_after_input_does_not_change_a_branch_that_ends_the_script() -> None:
    document = MENU.replace("<Speak>One</Speak>", "<Hangup/>")
    for choice in ("continue", "end", "repeat"):
        lines = dry(document, f'[input]\ndtmf = ["1"]\n[engine]\nafter_input = "{choice}"\n')
        assert lines[-2:] == ["0s Hangup -> ok", "0s end -> hangup"]


# -- extra_keys --------------------------------------------------------------------------

TWO_MENUS = (
    '<Response><UserInput Timeout="5"><Inputs><Input Key="1"><Speak>One</Speak></Input>'
    "</Inputs></UserInput>"
    '<UserInput Timeout="5"><Inputs><Input Key="2"><Speak>Two</Speak></Input>'
    '<Input Key="3"><Speak>Three</Speak></Input></Inputs></UserInput></Response>'
)


def test_extra_keys_drop_cuts_them_off() -> None:
    lines = dry(TWO_MENUS, '[input]\ndtmf = ["12", "3"]\n[engine]\nextra_keys = "drop"\n')
    assert lines == dry(TWO_MENUS, '[input]\ndtmf = ["12", "3"]\n')
    assert (
        "0s input Digits=\"1\" -> matched ('12' cut to 1 digit(s); '2' dropped (extra_keys ="
        f" drop, assumed); {GOES_ON})"
    ) in dry(TWO_MENUS, '[input]\ndtmf = ["12", "3"]\n', details=True)
    assert '0s Speak Text="Three" -> ok' in lines
    assert '0s Speak Text="Two" -> ok' not in lines


def test_extra_keys_keep_gives_them_to_the_next_menu() -> None:
    lines = dry(
        TWO_MENUS, '[input]\ndtmf = ["12", "3"]\n[engine]\nextra_keys = "keep"\n', details=True
    )
    assert lines == [
        '0s UserInput Timeout="5" -> menu',
        "0s input Digits=\"1\" -> matched ('12' cut to 1 digit(s); '2' kept for the next"
        f" menu (extra_keys = keep, assumed); {GOES_ON})",
        '0s Speak Text="One" -> ok',
        '0s UserInput Timeout="5" -> menu',
        "0s input Digits=\"2\" -> matched ('2' kept from an earlier menu (extra_keys = keep,"
        f" assumed); {GOES_ON})",
        '0s Speak Text="Two" -> ok',
        "0s end -> end-of-script (no more commands)",
    ]


def test_kept_keys_too_few_for_the_next_menu_are_completed_by_the_next_entry() -> None:
    document = TWO_MENUS.replace(
        '<UserInput Timeout="5"><Inputs><Input Key="2">',
        '<UserInput Timeout="5" Digits="2"><Inputs><Input Key="23">',
    )
    lines = dry(
        document, '[input]\ndtmf = ["12", "3"]\n[engine]\nextra_keys = "keep"\n', details=True
    )
    assert "0s input Digits=\"23\" -> matched ('2' kept from an earlier menu" \
        f" (extra_keys = keep, assumed); {GOES_ON})" in lines
    assert '0s Speak Text="Two" -> ok' in lines


def test_kept_keys_then_a_timeout_count_alone() -> None:
    lines = dry(
        TWO_MENUS.replace('<Input Key="2">', '<Input Key="22">').replace(
            '<UserInput Timeout="5"><Inputs><Input Key="22">',
            '<UserInput Timeout="5" Digits="2"><Inputs><Input Key="22">',
        ),
        '[input]\ndtmf = ["12", "timeout"]\n[engine]\nextra_keys = "keep"\n',
    )
    assert lines[-2].startswith("5s input Digits=\"2\" -> no-match")
    assert lines[-1] == "5s end -> end-of-script"


# -- transfers ---------------------------------------------------------------------------

BLIND = "<Response><BlindTransfer>102</BlindTransfer><Speak>After</Speak></Response>"
ATTENDED = (
    '<Response><AttendedTransfer TargetCallId="c2"/><Speak>After</Speak></Response>'
)


def test_blind_transfer_end_ends_the_script() -> None:
    lines = dry(BLIND, '[engine]\nblind_transfer = "end"\n')
    assert lines == dry(BLIND)
    assert lines[-1] == "0s end -> transferred"
    assert '0s Speak Text="After" -> ok' not in lines


def test_blind_transfer_continue_runs_the_next_command() -> None:
    lines = dry(BLIND, '[engine]\nblind_transfer = "continue"\n')
    assert lines[-2:] == ['0s Speak Text="After" -> ok', "0s end -> end-of-script"]


def test_a_failed_blind_transfer_continues_either_way() -> None:
    for choice in ("end", "continue"):
        lines = dry(
            BLIND, f'[outcomes]\ntransfer = "busy"\n[engine]\nblind_transfer = "{choice}"\n'
        )
        assert lines[-2:] == ['0s Speak Text="After" -> ok', "0s end -> end-of-script"]


def test_attended_transfer_continue_runs_the_next_command() -> None:
    lines = dry(ATTENDED, '[engine]\nattended_transfer = "continue"\n')
    assert lines == dry(ATTENDED)
    assert lines[-2:] == ['0s Speak Text="After" -> ok', "0s end -> end-of-script"]


def test_attended_transfer_end_ends_the_script() -> None:
    lines = dry(ATTENDED, '[engine]\nattended_transfer = "end"\n')
    assert '0s Speak Text="After" -> ok' not in lines
    assert lines[-1] == "0s end -> transferred"


def test_a_failed_attended_transfer_continues_either_way() -> None:
    for choice in ("end", "continue"):
        lines = dry(
            ATTENDED, f'[outcomes]\ntransfer = "busy"\n[engine]\nattended_transfer = "{choice}"\n'
        )
        assert lines[-2:] == ['0s Speak Text="After" -> ok', "0s end -> end-of-script"]


# -- back_key ----------------------------------------------------------------------------

#: A menu whose BackKey is also an Input's key.
BOTH = (
    '<Response><UserInput BackKey="*" Timeout="5">'
    "<InitialCommands><Speak>Menu</Speak></InitialCommands>"
    '<Inputs><Input Key="*"><Speak>Star</Speak></Input>'
    '<Input Key="1"><Speak>One</Speak></Input></Inputs></UserInput>'
    "<Speak>After</Speak></Response>"
)


def test_back_key_first_takes_backkey_and_says_the_order_is_assumed() -> None:
    lines = dry(BOTH, '[input]\ndtmf = ["*"]\n[engine]\nback_key = "first"\n', details=True)
    assert lines == dry(BOTH, '[input]\ndtmf = ["*"]\n', details=True)
    assert lines == [
        '0s UserInput BackKey="*" Timeout="5" -> menu',
        '0s Speak Text="Menu" -> ok',
        '0s input Digits="*" -> back'
        " ('*' is BackKey and an Input's key; BackKey is tried before the Inputs"
        " (back_key = first, assumed))",
        '0s Speak Text="After" -> ok',
        "0s end -> end-of-script (no more commands)",
    ]


def test_back_key_last_runs_the_input_and_says_the_order_is_assumed() -> None:
    lines = dry(BOTH, '[input]\ndtmf = ["*"]\n[engine]\nback_key = "last"\n', details=True)
    assert lines == [
        '0s UserInput BackKey="*" Timeout="5" -> menu',
        '0s Speak Text="Menu" -> ok',
        '0s input Digits="*" -> matched'
        " ('*' is BackKey and an Input's key; the Inputs are tried before BackKey"
        f" (back_key = last, assumed); {GOES_ON})",
        '0s Speak Text="Star" -> ok',
        '0s Speak Text="After" -> ok',
        "0s end -> end-of-script (no more commands)",
    ]


@pytest.mark.parametrize("choice", ["first", "last"])
def test_a_backkey_no_input_has_is_stated_and_says_nothing_assumed(choice: str) -> None:
    """BackKey's own way is the vendor's [hu7663]: only a key that is both is assumed."""
    menu = BOTH.replace('Key="*"><Speak>Star', 'Key="2"><Speak>Two')
    lines = dry(menu, f'[input]\ndtmf = ["*"]\n[engine]\nback_key = "{choice}"\n', True)
    assert lines[2] == '0s input Digits="*" -> back'
    one = dry(menu, f'[input]\ndtmf = ["1"]\n[engine]\nback_key = "{choice}"\n', True)
    assert one[2] == f'0s input Digits="1" -> matched ({GOES_ON})'


NESTED = (
    '<Response><UserInput Timeout="5"><InitialCommands><Speak>Top</Speak></InitialCommands>'
    '<Inputs><Input Key="1"><UserInput BackKey="#" Timeout="5">'
    "<InitialCommands><Speak>Sub</Speak></InitialCommands>"
    '<Inputs><Input Key="#"><Speak>Hash</Speak></Input></Inputs></UserInput></Input>'
    "</Inputs></UserInput></Response>"
)


def test_back_key_in_a_nested_menu_either_way() -> None:
    first = dry(NESTED, '[input]\ndtmf = ["1", "#", "timeout"]\n')
    assert first[5:7] == ['0s input Digits="#" -> back', '0s UserInput Timeout="5" -> repeat']
    last = dry(NESTED, '[input]\ndtmf = ["1", "#"]\n[engine]\nback_key = "last"\n')
    assert last[5:7] == ['0s input Digits="#" -> matched', '0s Speak Text="Hash" -> ok']


def test_the_linter_and_the_dry_run_rest_on_one_fact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """invalid-input-key (OZ802) and the trace both say the order is not documented: one
    fact, `ozml.flow.control.BACK_OR_BRANCH`, which is assumed."""
    from ozml.flow.control import BACK_OR_BRANCH

    assert not BACK_OR_BRANCH.stated
    script = tmp_path / "menu.xml"
    script.write_text(BOTH, encoding="utf-8")
    code = main(["check", "--select", "OZ802", str(script)])
    out = capsys.readouterr().out
    assert code == 1
    assert "OZ802" in out
    assert "undocumented (spec §7.32 [oz4693][hu7663])" in out
    assert main(["run", str(script), "--dtmf", "*"]) == 0
    assert "(back_key = first, assumed)" in capsys.readouterr().out


# -- bad values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "choices"),
    [
        ("after_input", '"stop"', "continue or end or repeat"),
        ("extra_keys", '"queue"', "drop or keep"),
        ("blind_transfer", '"hangup"', "end or continue"),
        ("attended_transfer", '"maybe"', "end or continue"),
        ("back_key", '"never"', "first or last"),
    ],
)
def test_bad_values_name_the_key_and_the_choices(key: str, value: str, choices: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(f"[engine]\n{key} = {value}\n", Path("s.toml"))
    message = str(caught.value)
    assert f"engine.{key}: expected {choices}, found {value.replace(chr(34), chr(39))}" in message


@pytest.mark.parametrize("key", ["after_input", "extra_keys", "blind_transfer"])
def test_a_value_that_is_not_a_string_is_refused(key: str) -> None:
    with pytest.raises(ScenarioError, match=f"engine.{key}: expected a string"):
        parse_scenario(f"[engine]\n{key} = true\n", Path("s.toml"))


def test_engine_options_refuse_bad_values() -> None:
    for key in ("after_input", "extra_keys", "blind_transfer", "attended_transfer", "back_key"):
        with pytest.raises(ValueError, match=key):
            attrs.evolve(EngineOptions(), **{key: "nonsense"})


def test_ozml_test_exits_2_on_a_bad_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.xml").write_text(BLIND)
    scenario = tmp_path / "a.toml"
    scenario.write_text('script = "a.xml"\n[engine]\nextra_keys = "queue"\n')
    code = main(["test", str(scenario)])
    captured = capsys.readouterr()
    assert code == 2
    assert "engine.extra_keys: expected drop or keep, found 'queue'" in (
        captured.out + captured.err
    )


def test_variable_names_are_read_as_the_linter_reads_them() -> None:
    """The linter compares names ignoring letter case (whether the PBX does is unknown); the
    dry run read them case-sensitively, so a script the linter passed spoke "Hello $Name".
    Both now use `ozml.catalog.values.variable_key`."""
    from ozml.lint import LintSettings, lint_result
    from ozml.parser import parse

    document = (
        '<Response><Var Id="name" Value="Ann"/><Speak>Hello $Name</Speak>'
        '<Var Id="NAME" Value="Bo"/><Speak>Hi $name</Speak>'
        '<Array Id="Days"><Item>Mon</Item></Array>'
        '<ForEach Source="$days"><Speak>$ITEM</Speak></ForEach></Response>'
    )
    found = lint_result(parse(document, "doc.xml"), LintSettings())
    assert [d.code for d in found if d.code.startswith("OZ7")] == []
    spoken = [line for line in dry(document) if "Speak" in line]
    assert [line.split(" Speak ", 1)[1] for line in spoken] == [
        'Text="Hello Ann" -> ok',
        'Text="Hi Bo" -> ok',
        'Text="Mon" -> ok',
    ]


def test_the_calls_variables_keep_one_value_per_name_whatever_its_case() -> None:
    from ozml.interpreter.context import Variables

    variables = Variables({"name": "Ann"})
    variables["NAME"] = "Bo"
    assert dict(variables) == {"NAME": "Bo"}
    assert (variables.get("Name"), "nAmE" in variables, variables["name"]) == ("Bo", True, "Bo")
    assert variables.pop("name") == "Bo"
    assert variables.get("NAME") is None
    assert "name" not in variables
    variables.setdefault("X", "1")
    variables.update({"x": "2"})
    assert dict(variables.copy()) == {"x": "2"}


@pytest.mark.parametrize(
    ("element", "name"),
    [("<ForwardCall/>", "Destination"), ("<BlindTransfer/>", "Target"),
     ("<ForwardCall>102</ForwardCall>", "Destination")],
)
def test_a_transfer_to_no_one_fails_and_says_that_is_assumed(element: str, name: str) -> None:
    """With no target the dry run rang an empty number and reported the transfer answered
    (and a BlindTransfer then ended the script): an invented success. The transfer now fails
    at once, the trace says that is assumed, and the planned outcome stays for the next one."""
    document = f'<Response>{element}<BlindTransfer Target="200"/><Speak>After</Speak></Response>'
    lines = dry(document, '[outcomes]\ntransfer = ["busy"]\n', details=True)
    assert f"failed (no {name} to transfer to: assumed to fail (the vendor does not say)" in (
        lines[0]
    )
    assert lines[1].endswith('BlindTransfer Target="200" -> busy (the scenario makes this busy)')
    assert "Speak" in lines[2]


# -- letter case of the keys A to D (values.dtmf_key) -------------------------------------

LETTERS = (
    '<Response><UserInput Timeout="5" BackKey="d"><InitialCommands><Speak>Menu</Speak>'
    '</InitialCommands><Inputs><Input Key="A"><Speak>A</Speak></Input></Inputs></UserInput>'
    "<Speak>After</Speak></Response>"
)


def test_a_key_in_another_letter_case_matches_and_the_trace_says_it_is_assumed() -> None:
    lines = dry(LETTERS, '[input]\ndtmf = ["a"]\n', details=True)
    assert lines[2] == (
        "0s input Digits=\"a\" -> matched ('a' taken as the key 'A' (letter case ignored,"
        f" assumed); {GOES_ON})"
    )
    assert lines[3] == '0s Speak Text="A" -> ok'


def test_a_back_key_in_another_letter_case_is_the_back_key() -> None:
    lines = dry(LETTERS, '[input]\ndtmf = ["D"]\n', details=True)
    assert lines[2] == (
        "0s input Digits=\"D\" -> back ('D' taken as the key 'd' (letter case ignored,"
        " assumed))"
    )
    assert lines[3] == '0s Speak Text="After" -> ok'


def test_the_linter_and_the_dry_run_compare_keys_alike() -> None:
    """The key the dry run takes for BackKey is the one invalid-input-key reports as both."""
    from ozml.lint import lint

    document = LETTERS.replace('Key="A"', 'Key="D"')
    codes = [d.code for d in lint(document)]
    assert "OZ802" in codes
    lines = dry(document, '[input]\ndtmf = ["d"]\n', details=True)
    assert lines[2].startswith('0s input Digits="d" -> back')


@pytest.mark.parametrize(
    ("counts", "keys", "how"),
    [('MinDigits="2"', "1", 'MinDigits="2"'), ('Digits="3"', "12", 'Digits="3"')],
)
def test_fewer_keys_than_the_menu_reads_are_taken_as_the_entry_assumed(
    counts: str, keys: str, how: str
) -> None:
    """An entry with fewer keys than the menu reads at least is the caller's entry, as if they
    had stopped there; what a PBX does with it when the Timeout ends is not stated (spec
    §7.32), and the input's line says so. An entry of enough keys says nothing of it."""
    menu = (
        f'<Response><UserInput {counts} Timeout="5"><Inputs><Input Key="{keys}">'
        "<Speak>Yes</Speak></Input></Inputs></UserInput></Response>"
    )
    lines = dry(menu, f'[input]\ndtmf = ["{keys}"]\n', details=True)
    [entry] = [line for line in lines if " input " in line]
    low = int(how.split('"')[1])
    assert (
        f"{len(keys)} key(s), fewer than the {low} the menu reads at least ({how}): taken as"
        " the entry (assumed: the vendor does not say what a menu does with fewer)"
    ) in entry
    enough = "1" * low
    lines = dry(menu.replace(f'Key="{keys}"', f'Key="{enough}"'),
                f'[input]\ndtmf = ["{enough}"]\n', details=True)
    assert not any("fewer than" in line for line in lines)
