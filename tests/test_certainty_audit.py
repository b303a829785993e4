"""Never invent certainty: facts ozml-spec.md leaves UNKNOWN are assumed, in the catalog, in
`ozml check`'s findings and in the dry run's trace.

Each case is a fact an audit against the spec found presented as certain, run through the real
command line (`python -m ozml`), with the spec passage it rests on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ozml.catalog import ALL
from ozml.catalog.audit import facts_of


def _ozml(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _findings(tmp_path: Path, document: str, context: str) -> list[dict[str, Any]]:
    path = tmp_path / "doc.xml"
    path.write_text(document, encoding="utf-8")
    done = _ozml(
        "check", "--isolated", "--context", context, "--format", "json", "doc.xml", cwd=tmp_path
    )
    assert done.returncode in (0, 1), done.stderr
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


def _label(element: str, param: str, fact: str) -> str:
    (cmd,) = (c for c in ALL if c.name == element)
    for item in facts_of(cmd):
        if item.param == param and item.fact == fact:
            return item.label
    raise AssertionError(f"{element} {param} has no fact {fact!r}")


# -- the catalog -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("element", "param", "fact", "passage"),
    [
        # §7.1: TransferorParty "only appears in the example, not in the tables", M "UNKNOWN".
        ("AttendedTransfer", "TransferorParty", "mandatory", "whether it is mandatory is UNKNOWN"),
        # §7.1 / §8 #3: the example uses an attribute neither table defines.
        ("AttendedTransfer", "", "parameter list", "neither parameter table lists"),
        # §7.19: "Recipient, Username, Password, … | rest of table truncated | UNKNOWN".
        ("SendMessage", "Recipient", "mandatory", "truncated (mandatory: UNKNOWN)"),
        # §7.19: the table says "no", the summary "recipient, message type and data must be given".
        ("SendMessage", "MessageType", "mandatory", "must be given"),
        # §7.9: "Gen-B `Type` (e.g. Phone) optional filter": no type given.
        ("ListExtensions", "Type", "type", "states no type"),
        # §7.37 "Usable: HTTP API."; §1.3: the page-layout classification is "an observation
        # about page structure, not a statement from the vendor".
        ("ListAddressbookContacts", "", "usable in", "observation about the page"),
        # §2, §7.32: Input is seen with `key` only; it has no parameter table.
        ("Input", "", "parameter list", "no parameter table"),
        # §2, §7.21: `<item>value</item>`; no parameter table.
        ("Item", "", "parameter list", "no parameter table"),
        # §1: the root is only said to enclose the response; no attributes are documented.
        ("Response", "", "parameter list", "no parameter table"),
        ("Inputs", "", "parameter list", "no parameter table"),
        ("InitialCommands", "", "parameter list", "no parameter table"),
        ("Received", "", "parameter list", "no parameter table"),
        ("OnSetup", "", "parameter list", "no parameter table"),
    ],
)
def test_a_fact_the_spec_leaves_open_is_assumed(
    element: str, param: str, fact: str, passage: str
) -> None:
    label = _label(element, param, fact)
    assert label.startswith("assumed ("), label
    assert passage in label


@pytest.mark.parametrize(
    ("context", "document", "message"),
    [
        (
            "extension",
            '<Response><UserInput><Inputs><Input Key="1" Foo="x"><Hangup/></Input></Inputs>'
            "</UserInput></Response>",
            "Input has no parameter Foo",
        ),
        (
            "extension",
            '<Response><Array Id="a"><Item Bar="1">x</Item></Array>'
            '<ForEach Source="a"><Speak>$item</Speak></ForEach></Response>',
            "Item has no parameter Bar",
        ),
        ("extension", '<Response Foo="1"><Hangup/></Response>', "Response takes no parameters"),
        (
            "3pcc",
            '<Response><AttendedTransfer TargetCallId="HL1bE" Foo="1"/></Response>',
            "AttendedTransfer has no parameter Foo",
        ),
    ],
)
def test_an_attribute_the_vendor_does_not_rule_out_is_a_warning(
    tmp_path: Path, context: str, document: str, message: str
) -> None:
    found = [f for f in _findings(tmp_path, document, context) if f["code"] == "OZ103"]
    assert len(found) == 1, found
    assert found[0]["message"].startswith(message)
    assert found[0]["severity"] == "warning"
    assert "is assumed" in found[0]["message"] or "(spec §8 #3)" in found[0]["message"]


def test_an_attribute_on_reject_is_still_an_error(tmp_path: Path) -> None:
    # Reject has "no parameters" [oz4691][hu7657]: stated, so an error.
    found = _findings(tmp_path, '<Response><Reject Reason="x"/></Response>', "extension")
    assert [(f["code"], f["severity"]) for f in found] == [("OZ103", "error")]


def test_listaddressbookcontacts_in_a_document_is_a_warning(tmp_path: Path) -> None:
    document = '<Response><ListAddressbookContacts AddressbookName="a"/></Response>'
    found = [f for f in _findings(tmp_path, document, "any") if f["code"] == "OZ501"]
    assert [f["severity"] for f in found] == ["warning"]


# -- the dry run's trace -----------------------------------------------------------------------

#: A top-level menu: spec §7.32 says Repeat repeats the prompts after Timeout, that a matching
#: Input's block runs and that ForwardToURL gets the keys no Input matches; nothing more.
MENU = """<!-- ozml: context=extension -->
<Response>
  <UserInput{attributes}>
    <InitialCommands><Speak>Press one</Speak></InitialCommands>
    <Inputs><Input Key="1"><Speak>one</Speak></Input></Inputs>
  </UserInput>
  <Speak>after</Speak>
</Response>
"""


def _trace(tmp_path: Path, document: str, *args: str) -> list[dict[str, Any]]:
    path = tmp_path / "menu.xml"
    path.write_text(document, encoding="utf-8")
    done = _ozml("run", "menu.xml", "--isolated", "--format", "json", *args, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def _inputs(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["result"], e["detail"]) for e in events if e["command"] == "input"]


@pytest.mark.parametrize(
    ("attributes", "dtmf", "expected"),
    [
        # A timeout without Repeat: what follows is not stated.
        (
            ' Timeout="5"',
            "timeout",
            [("timeout", "continuing after the menu (assumed: the vendor does not say what a"
              " timeout does without Repeat)")],
        ),
        # No Timeout: 0 is the older page's default; that 0 does not wait is not stated.
        (
            "",
            "timeout",
            [("timeout", "Timeout not given (0, the older page's default): no wait, assumed;"
              " continuing after the menu (assumed: the vendor does not say what a timeout does"
              " without Repeat)")],
        ),
        # Repeat repeats after Timeout (stated); how often is not.
        (
            ' Repeat="true" Timeout="5"',
            "timeout,timeout,hangup",
            [
                ("timeout", "repeating the menu"),
                ("timeout", "repeating the menu again (assumed: the vendor does not say how"
                 " often Repeat repeats)"),
                ("hangup", "caller hung up"),
            ],
        ),
        # Keys no Input has, and no ForwardToURL to send them to: not stated.
        (
            ' Timeout="5"',
            "9",
            [("no-match", "the keys match no Input and there is no ForwardToURL: continuing"
              " after the menu, assumed (the vendor does not say)")],
        ),
        (
            ' Repeat="true" Timeout="5"',
            "9,hangup",
            [
                ("no-match", "the keys match no Input and there is no ForwardToURL: repeating"
                 " the menu, assumed (the vendor does not say)"),
                ("hangup", "caller hung up"),
            ],
        ),
    ],
)
def test_what_a_menu_does_unless_the_vendor_says_is_labelled_assumed(
    tmp_path: Path, attributes: str, dtmf: str, expected: list[tuple[str, str]]
) -> None:
    events = _trace(tmp_path, MENU.format(attributes=attributes), "--dtmf", dtmf)
    assert _inputs(events) == expected


def test_a_failed_fetch_ending_the_script_is_labelled_assumed(tmp_path: Path) -> None:
    # Spec §4: GoTo "continues with the commands obtained"; what a failed fetch does is not
    # stated (ozml reads it by analogy with Call's Url, spec §7.3).
    document = "<!-- ozml: context=extension -->\n<Response><GoTo>http://app.test/next</GoTo>" \
        "<Speak>after</Speak></Response>\n"
    events = _trace(tmp_path, document)
    (end,) = (e for e in events if e["command"] == "end")
    assert end["result"] == "fetch-failed"
    assert "the script ends (fetch_failure = hangup, assumed)" in end["detail"]


@pytest.mark.parametrize(
    "document",
    [
        '<Response><UserInput Timeout="-1"><Inputs><Input Key="1"><Hangup/></Input></Inputs>'
        "</UserInput></Response>",
        '<Response><UserInput Digits="0"><Inputs><Input Key="1"><Hangup/></Input></Inputs>'
        "</UserInput></Response>",
        '<Response><Call Dialed="100" RingTime="-5"/></Response>',
    ],
)
def test_a_bound_the_vendor_does_not_state_is_a_warning(tmp_path: Path, document: str) -> None:
    found = [f for f in _findings(tmp_path, document, "extension") if f["code"] == "OZ202"]
    assert [f["severity"] for f in found] == ["warning"]
