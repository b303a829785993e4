"""The information commands: `ozml rules`, `ozml rule`, `ozml commands`, `ozml command`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ozml.catalog import ALL, COMMANDS
from ozml.cli import main
from ozml.lint import RULES


def ozml(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_rules_lists_every_rule_in_code_order(capsys) -> None:
    code, out, err = ozml(capsys, "rules")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "FIXABLE", "SUMMARY"]
    rows = lines[1 : 1 + len(RULES)]
    assert [row.split()[0] for row in rows] == [rule.code for rule in RULES]
    row = next(r for r in rows if r.startswith("OZ201"))
    assert row.split(None, 4) == [
        "OZ201",
        "missing-parameter",
        "error/warning",  # a mandatory parameter the vendor's pages disagree on: a warning
        "no",
        "A mandatory parameter is missing.",
    ]
    assert "A severity such as warning/error: the rule reports both" in out
    wrong_root = next(r for r in rows if r.startswith("OZ101"))
    assert wrong_root.endswith("The root element is not Response.")  # no ``literal`` marks
    assert lines[-1] == "See `ozml rule CODE` for a rule's documentation and examples."


def test_rules_lists_the_project_rules_in_their_group_of_codes(capsys) -> None:
    code, out, _ = ozml(capsys, "rules")
    assert code == 0
    codes = [line.split()[0] for line in out.splitlines()[1:] if line.startswith("OZ")]
    assert codes[codes.index("OZ805") : codes.index("OZ901") + 1] == [
        "OZ805", "OZ811", "OZ812", "OZ813", "OZ814", "OZ815", "OZ901"
    ]  # fmt: skip
    row = next(r for r in out.splitlines() if r.startswith("OZ811"))
    assert row.split(None, 4) == [
        "OZ811",
        "dead-link",
        "error/warning",
        "no",
        "A link to a URL of the application that no file answers.",
    ]
    code, out, err = ozml(capsys, "rule", "OZ813")
    assert (code, err) == (0, "")
    assert out.startswith("OZ813 endless-goto-loop\nSeverity: warning    Fixable: no\n\n")
    code, _, err = ozml(capsys, "rule", "dead-lnk")
    assert code == 2
    assert err.startswith("ozml: error: unknown rule 'dead-lnk'; did you mean dead-link?")


def test_rules_as_json(capsys) -> None:
    code, out, _ = ozml(capsys, "rules", "--format", "json")
    items = json.loads(out)
    assert code == 0
    assert len(items) == len(RULES)
    assert next(i for i in items if i["code"] == "OZ301") == {
        "code": "OZ301",
        "name": "legacy-name",
        "severity": "warning",
        "fixable": "safe",
        "summary": "A name from the older (Ozeki Phone System XE) documentation.",
    }
    # Most text-not-allowed findings rest on an assumption: warnings; Reject's text is the
    # vendor's, an error.
    assert next(i for i in items if i["code"] == "OZ105") == {
        "code": "OZ105",
        "name": "text-not-allowed",
        "severity": "warning",
        "fixable": "unsafe",
        "summary": "Text inside an element that is not known to take any.",
        "also": {
            "severity": "error",
            "where": "the vendor states that the command takes no text: Reject",
        },
    }


def test_rule_says_which_findings_have_which_severity(capsys) -> None:
    code, out, _ = ozml(capsys, "rule", "OZ105")
    assert code == 0
    assert out.startswith(
        "OZ105 text-not-allowed\nSeverity: warning (error where the vendor states that the"
        " command takes no text: Reject)    Fixable: unsafe\n\n"
    )


@pytest.mark.parametrize("name", ["OZ201", "oz201", "missing-parameter", " Missing-Parameter "])
def test_rule_shows_the_documentation_with_examples(capsys, name: str) -> None:
    code, out, err = ozml(capsys, "rule", name)
    assert (code, err) == (0, "")
    assert out.startswith(
        "OZ201 missing-parameter\nSeverity: error (warning where the parameter's being"
        " mandatory is assumed ("
    )
    assert "    Fixable: no\n\nA mandatory parameter is missing.\n" in out
    assert "Fails::\n\n    <Response>\n      <ForwardCall/>\n    </Response>\n" in out
    assert 'Passes::\n\n    <Response>\n      <ForwardCall Destination="102"/>\n' in out


def test_every_rule_has_a_page(capsys) -> None:
    for rule in RULES:
        code, out, _ = ozml(capsys, "rule", rule.name)
        assert code == 0
        assert out.startswith(f"{rule.code} {rule.name}\n")
        assert "Fails::" in out


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing-param", "unknown rule 'missing-param'; did you mean missing-parameter?"),
        ("OZ2O1", "unknown rule 'OZ2O1'; did you mean OZ201?"),
        ("xyzzy", "unknown rule 'xyzzy' (`ozml rules` lists them all)"),
    ],
)
def test_unknown_rule_is_a_usage_error_with_a_suggestion(capsys, name: str, message: str):
    code, out, err = ozml(capsys, "rule", name)
    assert (code, out) == (2, "")
    assert err.startswith(f"ozml: error: {message}")
    assert err.count("\n") == 1


def test_commands_lists_the_catalog(capsys) -> None:
    code, out, err = ozml(capsys, "commands")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "USAGE", "CONTEXTS", "DOCUMENTED", "SUMMARY"]
    listed = [line.split()[0] for line in lines[1 : 1 + len(COMMANDS)]]
    assert listed == [cmd.name for cmd in COMMANDS]
    forward = next(line for line in lines if line.startswith("ForwardCall "))
    assert forward.split()[:5] == ["ForwardCall", "OzML,", "HTTP", "3pcc", "yes"]
    assert forward.endswith("Forwards a call that is still ringing to another destination.")
    active = next(line for line in lines if line.startswith("ListActiveCalls "))
    assert active.split()[1:4] == ["HTTP", "-", "yes"]
    beep = next(line for line in lines if line.startswith("Beep "))
    assert beep.split()[1:5] == ["OzML", "extension,", "3pcc", "no"]
    assert "Document structure (the root and the parts of commands):" in lines
    assert any(line.startswith("Response ") for line in lines)
    assert any(line.startswith("InitialCommands ") for line in lines)


def test_commands_as_json_holds_every_element(capsys) -> None:
    code, out, _ = ozml(capsys, "commands", "--format", "json")
    items = json.loads(out)
    assert code == 0
    assert [i["name"] for i in items] == [cmd.name for cmd in ALL]
    forward = next(i for i in items if i["name"] == "ForwardCall")
    assert forward == {
        "name": "ForwardCall",
        "kind": "command",
        "usage": ["http", "ozml"],
        "contexts": ["3pcc"],
        "documented": True,
        "aliases": ["Forward"],
        "doc": "Forwards a call that is still ringing to another destination.",
    }


def test_command_page_shows_parameters_in_full(capsys) -> None:
    code, out, err = ozml(capsys, "command", "ForwardCall")
    assert (code, err) == (0, "")
    assert out.startswith(
        "ForwardCall  (command; OzML, HTTP)\n\n"
        "Forwards a call that is still ringing to another destination.\n\n"
        "Contexts:      3pcc\n"
        "Documented:    yes\n"
        "Aliases:       Forward (legacy)\n"
        "Children:      none (assumed)\n"
    )
    assert (
        "  Destination  (phone-number)\n"
        "      The number the call is forwarded to.\n"
        "      Default:        -\n"
        "      Mandatory:      in 3pcc\n"
        "      Text content:   no\n"
        "      Usage:          OzML, HTTP\n"
    ) in out


def test_command_page_shows_values_text_content_aliases_and_context_rules(capsys) -> None:
    out = ozml(capsys, "command", "speak")[1]
    assert out.startswith("Speak  (command; OzML, HTTP)\n")
    assert "  Text  (string)\n" in out
    assert "      Text content:   yes: may be written as the element text\n" in out
    party = out[out.index("  Party  (party)") :]
    assert "      Values:         caller, callee, all\n" in party
    assert "      Mandatory:      in 3pcc\n" in party
    out = ozml(capsys, "command", "AttendedTransfer")[1]
    assert "      Aliases:        TranferredCallId (misspelling)\n" in out
    out = ozml(capsys, "command", "UserInput")[1]
    # What UserInput and ForwardCall hold is assumed (spec §2), what Inputs holds is stated.
    assert "Children:      InitialCommands, Inputs (assumed)\n" in out
    assert "Children:      Input\n" in ozml(capsys, "command", "Inputs")[1]


@pytest.mark.parametrize(
    ("name", "canonical", "note"),
    [
        ("FORWARDCALL", "ForwardCall", None),
        ("forward", "ForwardCall", "(Forward is a legacy name of ForwardCall)"),
        ("OzML", "Response", "(OzML is a legacy name of Response)"),
    ],
)
def test_command_accepts_any_case_and_aliases(capsys, name: str, canonical: str, note: str | None):
    code, out, _ = ozml(capsys, "command", name)
    assert code == 0
    first, second = out.splitlines()[:2]
    assert first.startswith(f"{canonical}  (")
    assert second == (note or "")


def test_undocumented_command_says_its_parameters_are_unknown(capsys) -> None:
    out = ozml(capsys, "command", "Beep")[1]
    assert "Documented:    no: its parameters are not checked\n" in out
    assert "Parameters:    unknown\n" in out


def test_command_as_json(capsys) -> None:
    code, out, _ = ozml(capsys, "command", "blindtransfer", "--format", "json")
    info = json.loads(out)
    assert code == 0
    assert info["name"] == "BlindTransfer"
    target = next(p for p in info["params"] if p["name"] == "Target")
    assert target["text"] is True
    transferor = next(p for p in info["params"] if p["name"] == "TransferorParty")
    assert transferor["values"] == ["caller", "callee"]
    assert transferor["only_in"] == ["3pcc"]
    assert transferor["aliases"][0]["name"] == "TranferorParty"
    assert transferor["usage"] == ["ozml", "http"]
    assert set(target) >= {"type", "default", "mandatory_in", "doc", "source"}


@pytest.mark.parametrize(
    ("name", "usage", "label"),
    [("UserInput", ["ozml"], "OzML"), ("ListCallHistory", ["http"], "HTTP")],
)
def test_a_parameter_is_usable_where_its_command_is(
    capsys: pytest.CaptureFixture[str], name: str, usage: list[str], label: str
) -> None:
    """A parameter of a command usable in OzML only (or in the HTTP API only) is said to be
    usable there only, as the generated reference says (docs/commands)."""
    info = json.loads(ozml(capsys, "command", name, "--format", "json")[1])
    assert info["usage"] == usage
    assert info["params"]
    assert {tuple(p["usage"]) for p in info["params"]} == {tuple(usage)}
    out = ozml(capsys, "command", name)[1]
    labels = {line.split(":", 1)[1].strip() for line in out.splitlines() if "Usage:" in line}
    assert labels == {label}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Speek", "unknown command 'Speek'; did you mean Speak?"),
        ("Forwardcal", "unknown command 'Forwardcal'; did you mean ForwardCall?"),
        ("xyzzy", "unknown command 'xyzzy' (`ozml commands` lists them all)"),
    ],
)
def test_unknown_command_is_a_usage_error_with_a_suggestion(capsys, name: str, message: str):
    code, out, err = ozml(capsys, "command", name)
    assert (code, out) == (2, "")
    assert err.startswith(f"ozml: error: {message}")


def test_info_commands_run_as_a_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "command", "nosuch"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode().startswith("ozml: error: unknown command 'nosuch'")
    assert b"Traceback" not in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "rules"], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert done.stdout.decode().count("\nOZ") == len(RULES)
