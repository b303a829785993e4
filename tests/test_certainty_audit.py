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
            [("timeout", "Timeout not given (0, an assumed default): no wait, assumed;"
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


# -- defaults the trace stated without saying they are assumed ----------------------------------


def _details(events: list[dict[str, Any]], command: str) -> list[str]:
    return [e["detail"] for e in events if e["command"] == command]


def _scenario_trace(tmp_path: Path, document: str, scenario: str) -> list[dict[str, Any]]:
    (tmp_path / "doc.xml").write_text(document, encoding="utf-8")
    (tmp_path / "s.toml").write_text('script = "doc.xml"\n' + scenario, encoding="utf-8")
    done = _ozml("run", "--scenario", "s.toml", "--isolated", "--force", "--format", "json",
                 cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


RINGS = (
    '<Response><Call Dialed="103"/><Route Destination="104"/><BlindTransfer Target="102"/>'
    "</Response>"
)


def test_an_outcome_the_scenario_does_not_plan_is_assumed_and_names_its_key(
    tmp_path: Path,
) -> None:
    # "answered"/"transferred" came from ozml's default, not from the scenario (spec §7.2,
    # §7.3, §7.29 say what each outcome does, not which one comes).
    events = _scenario_trace(tmp_path, RINGS, 'context = "routing"\n')
    assert _details(events, "Call")[0].startswith(
        "the scenario plans no outcome for '103' (outcomes.call = answer, assumed)"
    )
    assert _details(events, "Route") == [
        "the scenario plans no outcome for '104' (outcomes.route = answer, assumed)"
    ]
    transfer = '<Response><BlindTransfer Target="102"/></Response>'
    events = _trace(tmp_path, transfer)
    assert _details(events, "BlindTransfer") == [
        "the scenario plans no outcome for '102' (outcomes.transfer = answer, assumed)"
    ]
    # Planned by the scenario (a word, a table with "*", a target): nothing is assumed.
    for planned in ('transfer = "answer"', 'transfer = { "*" = "answer" }',
                    'transfer = { "102" = "answer" }'):
        events = _scenario_trace(tmp_path, transfer, f"[outcomes]\n{planned}\n")
        assert _details(events, "BlindTransfer") == [""], planned
    # A list that ran out: the default is ozml's.
    events = _scenario_trace(
        tmp_path, transfer.replace("<Response>", '<Response><BlindTransfer Target="101"/>'),
        '[outcomes]\ntransfer = ["busy"]\n',
    )
    assert _details(events, "BlindTransfer") == [
        "the scenario makes this busy",
        "the scenario plans no outcome for '102' (outcomes.transfer = answer, assumed)",
    ]


def test_an_alarm_and_an_sms_report_the_scenario_does_not_plan_are_assumed(
    tmp_path: Path,
) -> None:
    document = (
        '<Response><ReceiveAlarmNotification><Received><Speak>a</Speak></Received>'
        '</ReceiveAlarmNotification><SendSms Recipient="+3620" DeliveryReportURL='
        '"http://app.test/r">hi</SendSms></Response>'
    )
    events = _scenario_trace(tmp_path, document, "")
    assert _details(events, "ReceiveAlarmNotification") == [
        "the scenario plans no outcome (outcomes.alarm = receive, assumed)"
    ]
    (notify,) = _details(events, "notify")
    assert "the scenario plans no outcome for '+3620' (outcomes.sms = delivered, assumed)" in (
        notify
    )
    events = _scenario_trace(tmp_path, document, '[outcomes]\nalarm = "receive"\nsms = "failed"\n')
    assert _details(events, "ReceiveAlarmNotification") == [""]
    assert "outcomes.sms" not in _details(events, "notify")[0]


def test_a_placed_call_the_script_does_not_wait_for_is_assumed(tmp_path: Path) -> None:
    # Spec §7.3, §7.30, §7.35 say what becomes of the call placed, not whether the script
    # waits for it; Request's handlers need its outcome, so it waits.
    document = (
        '<Response><Call Dialed="103"/><CallSetup Caller="101" Callee="104"/>'
        '<SendAlarmNotification PhoneNumber="105" AccountNumber="1234" EventCode="110"'
        ' PartitionNumber="1" ZoneNumber="1"/></Response>'
    )
    events = _scenario_trace(tmp_path, document, '[outcomes]\ncall = "busy"\n')
    at_once = "the scenario makes this busy; the script goes on at once (assumed: the placed" \
        " call rings on its own)"
    for command in ("Call", "CallSetup", "SendAlarmNotification"):
        assert _details(events, command) == [at_once], command


def test_a_foreach_over_no_array_is_skipped_by_assumption(tmp_path: Path) -> None:
    # Spec §7.25: ForEach loops over an array's items; nothing says what it does without one.
    document = '<Response><Var Id="v" Value="x"/><ForEach Source="nothere"><Speak>a</Speak>' \
        '</ForEach><ForEach Source="v"><Speak>a</Speak></ForEach></Response>'
    events = _trace(tmp_path, document, "--force")
    assert _details(events, "ForEach") == [
        "no array named 'nothere': the loop is skipped (assumed: the vendor does not say)",
        "'v' is not an array: the loop is skipped (assumed: the vendor does not say)",
    ]


def test_an_undefined_variable_left_as_written_is_assumed(tmp_path: Path) -> None:
    # Spec §3: the scope and lifetime of variables are UNKNOWN; what a PBX does with a
    # reference to no variable is not stated.
    document = (
        '<Response><Array Id="a"><Item>1</Item></Array><Var Id="v" Value="$nope"/>'
        "<Speak>$a and $nope and $v</Speak><Speak>$v</Speak>"
        '<ForEach Source="$a"><Speak>$item</Speak></ForEach></Response>'
    )
    events = _trace(tmp_path, document, "--force")
    assert _details(events, "Var") == [
        "$nope is undefined: left as written (assumed: the vendor does not say)"
    ]
    speak = _details(events, "Speak")
    assert speak[0].endswith(
        "; $a has no text, $nope is undefined: left as written (assumed: the vendor does not"
        " say)"
    )
    # $v's value is the text "$nope", no reference; a ForEach's Source names its array.
    assert "left as written" not in speak[1] + speak[2]
    assert _details(events, "ForEach") == [""]


def test_commands_no_vendor_page_documents_are_assumed_to_succeed(tmp_path: Path) -> None:
    # Spec §7.22, §7.24, §7.34: Beep, DeleteFile and WaitForMsg have no page (D6).
    document = "<Response><Beep/><DeleteFile/><WaitForMsg/></Response>"
    events = _trace(tmp_path, document, "--force")
    assert [(e["result"], e["detail"]) for e in events if e["command"] != "end"] == [
        ("ok", "0.5 s long (beep_seconds = 0.5, assumed); undocumented (spec §7.22): assumed to"
         " succeed (D6)"),
        ("ok", "undocumented (spec §7.24): assumed to succeed at once (D6)"),
        ("ok", "undocumented (spec §7.34): assumed to succeed at once, defining no variable"
         " (D6)"),
    ]


def test_how_long_a_prompt_lasts_is_assumed_unless_the_scenario_says(tmp_path: Path) -> None:
    # The vendor documents no durations: 0.4 s a word and 5 s a file are ozml's.
    document = "<Response><Speak>one two three</Speak><Play>a.wav</Play><Play>b.wav</Play>" \
        "</Response>"
    events = _scenario_trace(tmp_path, document, "")
    assert _details(events, "Speak") == ["1.2 s long (seconds_per_word = 0.4, assumed)"]
    assert _details(events, "Play") == ["5 s long (play_seconds = 5, assumed)"] * 2
    events = _scenario_trace(
        tmp_path, document, '[timing]\nseconds_per_word = 0.4\n[media]\n"a.wav" = 3\n'
    )
    assert _details(events, "Speak") == [""]
    assert _details(events, "Play") == ["", "5 s long (play_seconds = 5, assumed)"]
    events = _scenario_trace(tmp_path, document, "[timing]\nSpeak = 2\nplay_seconds = 7\n")
    assert (_details(events, "Speak"), _details(events, "Play")) == ([""], ["", ""])


def test_what_follows_a_matched_input_is_assumed_on_its_line(tmp_path: Path) -> None:
    # Spec §7.32 says only that the matching Input's block runs: what follows when it runs
    # out is `after_input`, said on the `matched` line; a block that ends the script or
    # jumps away never runs out, and its line says nothing of it.
    events = _trace(tmp_path, MENU.format(attributes=' Timeout="5"'), "--dtmf", "1")
    assert _inputs(events) == [
        ("matched", "when its commands run out, the script goes on after the menu"
         " (after_input = continue, assumed)")
    ]
    for last in ("<Hangup/>", "<GoTo>http://app.test/next</GoTo>", "<Exit/>"):
        document = MENU.format(attributes=' Timeout="5"').replace(
            "<Speak>one</Speak>", f"<Speak>one</Speak>{last}"
        )
        assert _inputs(_trace(tmp_path, document, "--dtmf", "1")) == [("matched", "")], last


def test_keys_beyond_digits_dropped_and_a_transfer_gone_on_after_are_assumed(
    tmp_path: Path,
) -> None:
    events = _trace(tmp_path, MENU.format(attributes=' Timeout="5"'), "--dtmf", "12")
    assert _inputs(events)[0][1].startswith(
        "'12' cut to 1 digit(s); '2' dropped (extra_keys = drop, assumed)"
    )
    document = '<Response><AttendedTransfer TargetCallId="c2"/></Response>'
    events = _scenario_trace(tmp_path, document, '[outcomes]\ntransfer = "answer"\n')
    assert _details(events, "AttendedTransfer") == [
        "the script goes on (attended_transfer = continue, assumed)"
    ]


@pytest.mark.parametrize(
    ("attribute", "value", "said"),
    [
        ("Timeout", "1e3", "UserInput Timeout must be a whole number, found '1e3'"),
        ("Timeout", "5s", "UserInput Timeout must be a whole number, found '5s'"),
        ("Timeout", "inf", "UserInput Timeout must be a whole number, found 'inf'"),
        ("Timeout", "1.5", "UserInput Timeout must be a whole number, found '1.5'"),
        ("Timeout", "", "UserInput Timeout must be a non-empty value, found ''"),
        ("Digits", "1_0", "UserInput Digits must be a whole number, found '1_0'"),
        ("Digits", "0", "UserInput Digits of '0': the vendor gives Digits as a number and"
         " states no bound; that it is at least 1 is assumed"),
        ("Timeout", "5", ""),
        ("Timeout", "+5", ""),
    ],
)
def test_the_dry_run_reads_a_menu_value_as_the_linter_does(
    tmp_path: Path, attribute: str, value: str, said: str
) -> None:
    """One definition (`ozml.catalog.values`): what the linter refuses the run refuses, in
    the linter's words; float() read "1e3" as 1000 s and "1.5" as 1.5 for a whole number, and
    "inf" as a wait for ever refused without saying the linter refuses it. (It read " 5" as 5
    without a word; the run now reads it so and says that is assumed, as the linter's warning
    does: tests/test_space_around_values.py.)"""
    document = MENU.format(attributes=f' {attribute}="{value}"')
    events = _trace(tmp_path, document, "--dtmf", "timeout", "--force")
    (menu,) = _details(events, "UserInput")
    found = [f for f in _findings(tmp_path, document, "extension") if f["code"] == "OZ202"]
    if not said:
        assert (menu, found) == ("", [])
        return
    assert menu.startswith(said + "; ")
    assert menu.endswith("(assumed)")
    assert [f["message"] for f in found] == [said] if "states no bound" not in said else found


@pytest.mark.parametrize("value", ["1e3", "5s", "inf", "-1", "1_0"])
def test_the_dry_run_reads_a_delay_as_the_linter_does(tmp_path: Path, value: str) -> None:
    document = f'<Response><Delay Time="{value}"/></Response>'
    events = _trace(tmp_path, document, "--force")
    (delay,) = (e for e in events if e["command"] == "Delay")
    assert (delay["result"], delay["time"]) == ("skipped", 0.0)
    assert delay["detail"].endswith("; the run does not wait (assumed)")
    found = [f for f in _findings(tmp_path, document, "extension") if f["code"] == "OZ202"]
    assert len(found) == 1
    if value != "-1":
        assert delay["detail"].startswith(found[0]["message"] + ";")


# -- what the vendor says an empty value means -------------------------------------------------

#: (element, parameter, a document with {value} for the parameter's value). Spec §7.3: ErrorUrl,
#: "empty → no error notification" [oz4588][hu7632]; §7.20: DeliveryReportURL, "empty → no
#: report" [oz4589][hu7649].
EMPTY_MEANS = [
    ("Call", "ErrorUrl", '<Response><Call Dialed="103" ErrorUrl="{value}"/></Response>'),
    (
        "SendSms",
        "DeliveryReportURL",
        '<Response><SendSms Recipient="+3620" DeliveryReportURL="{value}">hi</SendSms></Response>',
    ),
]


@pytest.mark.parametrize(("element", "param", "document"), EMPTY_MEANS)
def test_an_empty_value_the_vendor_gives_a_meaning_is_no_finding(
    tmp_path: Path, element: str, param: str, document: str
) -> None:
    """`ozml check` called an empty ErrorUrl or DeliveryReportURL an error ("must be a
    non-empty value"), though the vendor states what it means; the schemas refused it too."""
    from lxml import etree

    from ozml.api.validate import validate_request

    def oz202(value: str) -> list[tuple[str, str]]:
        found = _findings(tmp_path, document.format(value=value), "extension")
        return [(f["severity"], f["message"]) for f in found if f["code"] == "OZ202"]

    assert _label(element, param, "empty value") == "stated " + (
        "[hu7632]" if element == "Call" else "[oz4589]"
    )
    for value in ("", "  "):
        assert oz202(value) == [], repr(value)
        # The HTTP API's checks read it the same way (`ozml api`, the simulator).
        assert [p.param for p in validate_request(element, [(param, value)])].count(param) == 0
        for schema in ("ozml.xsd", "ozml-strict.xsd"):
            xsd = etree.XMLSchema(etree.parse(str(Path("schema") / schema)))
            assert xsd.validate(etree.fromstring(document.format(value=value))), schema
    # A no-break space alone may be trimmed by the PBX: a warning that says so (assumed).
    ((severity, message),) = oz202("&#160;")
    assert severity == "warning"
    assert "assumed" in message
    # A value that is there is still checked as the URL it is.
    ((severity, message),) = oz202("a b")
    assert (severity, message) == ("error", f"{element} {param} must be a URL without spaces,"
                                            " found 'a b'")
    assert [p.param for p in validate_request(element, [(param, "a b")])].count(param) == 1


def test_the_dry_run_says_an_empty_delivery_report_url_asks_for_no_report(
    tmp_path: Path,
) -> None:
    (_, _, document) = EMPTY_MEANS[1]
    events = _trace(tmp_path, document.format(value=" "))
    assert _details(events, "SendSms") == ["DeliveryReportURL is empty: no delivery report"]
    assert _details(events, "notify") == []
    events = _trace(tmp_path, document.format(value="http://app.test/r"))
    assert _details(events, "SendSms") == [""]
    assert len(_details(events, "notify")) == 1


def test_an_empty_call_url_is_a_warning_that_says_why(tmp_path: Path) -> None:
    """Spec §7.3: "if empty or not downloadable the call is hung up" is the older pages' (Gen-A)
    word; the Ozeki 10 page makes Url optional and says nothing of an empty one. A Call without
    Url is no finding, yet an empty one was an error ("must be a non-empty value")."""
    from lxml import etree

    from ozml.api.validate import validate_request

    document = '<Response><Call Dialed="103" Url="{value}"/></Response>'
    found = [
        (f["severity"], f["message"])
        for f in _findings(tmp_path, document.format(value=""), "extension")
        if f["code"] == "OZ202"
    ]
    ((severity, message),) = found
    assert severity == "warning"
    assert message.startswith("Call Url must be a non-empty value, found ''; undocumented")
    assert "hung up" in message
    assert "assumed" in message
    assert _label("Call", "Url", "empty value").startswith("assumed (spec §7.3")
    for schema in ("ozml.xsd", "ozml-strict.xsd"):
        xsd = etree.XMLSchema(etree.parse(str(Path("schema") / schema)))
        assert xsd.validate(etree.fromstring(document.format(value=""))), schema
    (problem,) = [p for p in validate_request("Call", [("Url", "")]) if p.param == "Url"]
    assert problem.assumed
    # U+00A0 alone: no URL, and empty were it trimmed; a warning either way, which the schemas
    # take (found by tests/test_differential.py's drawn values).
    found = _findings(tmp_path, document.format(value="&#160;"), "extension")
    assert [f["severity"] for f in found if f["code"] == "OZ202"] == ["warning"]
    for schema in ("ozml.xsd", "ozml-strict.xsd"):
        xsd = etree.XMLSchema(etree.parse(str(Path("schema") / schema)))
        assert xsd.validate(etree.fromstring(document.format(value="&#160;"))), schema
    # A value that is there is still checked as the URL it is, and ErrorUrl keeps its meaning.
    found = _findings(tmp_path, document.format(value="a b"), "extension")
    assert [f["severity"] for f in found if f["code"] == "OZ202"] == ["error"]


def test_a_ring_time_the_vendor_gives_no_default_for_is_assumed(tmp_path: Path) -> None:
    """Spec §7.29: Route's RingTime defaults to 90 s [oz4594][hu7658]; Call's and Request's
    RingTime (§7.3, §7.13) have no stated default and the transfers (§7.1, §7.2, §7.4) no
    RingTime at all. An unanswered ringing lasted 90 s as if the vendor said so."""
    document = (
        '<Response><Call Dialed="5"/><Call Dialed="6" RingTime="20"/>'
        '<Request DialedAddress="102@localhost"><OnSetup><Speak>x</Speak></OnSetup></Request>'
        '<BlindTransfer Target="7"/></Response>'
    )
    unanswered = '[outcomes]\ncall = "no-answer"\ntransfer = "no-answer"\n'
    events = _scenario_trace(tmp_path, document, unanswered)
    note = "it rings for ring_time = 90 s (assumed)"
    call = _details(events, "Call")
    assert note in call[0]
    assert "ring_time" not in call[1]
    assert note in _details(events, "Request")[0]
    assert note in _details(events, "BlindTransfer")[0]
    # Route's default is the vendor's.
    events = _scenario_trace(
        tmp_path, '<Response><Route Destination="101"/></Response>',
        'context = "routing"\n[outcomes]\nroute = "no-answer"\n',
    )
    assert "ring_time" not in _details(events, "Route")[0]
    # A ring time the scenario sets is not ozml's assumption.
    events = _scenario_trace(tmp_path, document, unanswered + "[timing]\nring_time = 90\n")
    assert not any("ring_time" in d for d in _details(events, "Call") + _details(
        events, "BlindTransfer"))


def test_a_3pcc_recording_the_script_does_not_wait_for_is_assumed(tmp_path: Path) -> None:
    """Spec §7.12: under 3PCC Record records a chosen call, and Duration, Inactivity and
    FinishDigits are ext-control only; nothing says when such a recording ends. The dry run
    went on at once and sent RecordCompleted at once, saying neither was assumed."""
    document = (
        "<!-- ozml: context=3pcc -->\n<Response><Record/>"
        '<Record FinishedUrl="http://app.test/r"/></Response>\n'
    )
    events = _trace(tmp_path, document)
    at_once = "the script goes on at once (assumed: the recording runs on its own)"
    assert _details(events, "Record") == [at_once, at_once]
    (notify,) = _details(events, "notify")
    assert "sent at once (assumed: the vendor does not say when a 3PCC recording ends)" in notify
    # A recording on the script's own call (ext-control) ends as its parameters say.
    events = _trace(tmp_path, document.replace("3pcc", "extension").replace(
        "<Record/>", '<Record Duration="5"/>'))
    assert not any("at once" in d for d in _details(events, "Record") + _details(
        events, "notify"))


def test_which_request_handler_runs_is_assumed(tmp_path: Path) -> None:
    """Spec §7.13, §2: a Request's handlers seen are OnSetup and OnError (the full list is
    UNKNOWN); the vendor does not say which outcome of the ringing runs which. The run took
    OnSetup for an answer, OnError otherwise, and went on when the handler is not there,
    saying none of it was assumed."""
    document = (
        '<Response><Request DialedAddress="102@localhost"><OnSetup><Speak>up</Speak></OnSetup>'
        "<OnError><Speak>error</Speak></OnError></Request>"
        '<Request DialedAddress="103@localhost"><OnSetup><Speak>up</Speak></OnSetup></Request>'
        "</Response>"
    )
    why = " (assumed: the vendor shows OnSetup and OnError, not when each runs)"
    events = _scenario_trace(tmp_path, document, '[outcomes]\ncall = "answer"\n')
    assert _details(events, "Request") == ["OnSetup runs" + why] * 2
    events = _scenario_trace(tmp_path, document, '[outcomes]\ncall = "busy"\n')
    assert _details(events, "Request") == [
        "the scenario makes this busy; OnError runs" + why,
        "the scenario makes this busy; no OnError: the script goes on" + why,
    ]
    # A hang-up while it rings ends the call: no handler runs, and none is named.
    events = _scenario_trace(
        tmp_path, document,
        '[outcomes]\ncall = { "102@localhost" = { outcome = "answer", after = "5s" } }\n'
        '[input]\nhangup = "2s"\n',
    )
    assert "runs" not in _details(events, "Request")[0]


def test_a_reject_that_is_not_the_first_command_is_assumed_to_end_the_call(
    tmp_path: Path,
) -> None:
    """Spec §2, §7.28: Reject is only valid as the first command; then the call is not
    answered and the rest does not run [oz4691][hu7657]. What a later Reject does (the call is
    answered by then) is not stated, yet the trace said it as it says the first's."""
    events = _trace(tmp_path, "<Response><Speak>x</Speak><Reject/><Speak>y</Speak></Response>",
                    "--force")
    (end,) = (e for e in events if e["command"] == "end")
    assert end["detail"] == (
        "Reject refused the call; nothing after it runs (assumed: the vendor states what Reject"
        " does as the first command only)"
    )
    assert _details(events, "Speak") == ["0.4 s long (seconds_per_word = 0.4, assumed)"]
    events = _trace(tmp_path, "<Response><Reject/><Speak>y</Speak></Response>")
    (end,) = (e for e in events if e["command"] == "end")
    assert end["detail"] == "Reject refused the call; nothing after it runs"


def test_when_a_finished_url_is_requested_rests_on_an_assumed_talk_time(
    tmp_path: Path,
) -> None:
    """Spec §5.1, §7.2, §7.3: FinishedUrl is requested when the transferred or placed call
    ends, with its duration; how long the callee talks is no vendor fact. Its line showed the
    time (and Duration) of ozml's talk_seconds without saying so."""
    document = (
        '<Response><Call Dialed="103" FinishedUrl="http://app.test/done"/>'
        '<BlindTransfer Target="102" FinishedUrl="http://app.test/f"/></Response>'
    )
    note = "the call lasts talk_seconds = 30 s (assumed)"
    events = _scenario_trace(tmp_path, document, "")
    notified = _details(events, "notify")
    assert len(notified) == 2
    assert all(note in detail for detail in notified), notified
    for planned in (
        "[timing]\ntalk_seconds = 30\n",
        '[outcomes]\ncall = { "*" = { talk = "45s" } }\ntransfer = { "*" = { talk = "45s" } }\n',
    ):
        events = _scenario_trace(tmp_path, document, planned)
        notified = _details(events, "notify")
        assert len(notified) == 2
        assert not any("talk_seconds" in detail for detail in notified), planned


def test_a_forward_the_script_goes_on_after_is_assumed(tmp_path: Path) -> None:
    """Spec §7.4: ForwardCall diverts a ringing call; nothing says what the rest of the script
    does after it (as for AttendedTransfer, whose line says attended_transfer = continue)."""
    document = (
        "<!-- ozml: context=3pcc -->\n<Response><ForwardCall Destination=\"102\"/>"
        '<Speak Party="all">x</Speak></Response>\n'
    )
    events = _scenario_trace(tmp_path, document, '[outcomes]\ntransfer = "answer"\n')
    assert _details(events, "ForwardCall") == [
        "the script goes on (assumed: the vendor does not say)"
    ]
    # Nor what it does after a failed one: only BlindTransfer's failure has the vendor's
    # example (D9), whose line says nothing assumed.
    events = _scenario_trace(tmp_path, document, '[outcomes]\ntransfer = "busy"\n')
    assert _details(events, "ForwardCall") == [
        "the scenario makes this busy; the script goes on (assumed: the vendor does not say)"
    ]
    attended = document.replace('<ForwardCall Destination="102"/>',
                                '<AttendedTransfer TargetCallId="x"/><BlindTransfer Target="7"/>')
    events = _scenario_trace(tmp_path, attended, '[outcomes]\ntransfer = "busy"\n')
    assert _details(events, "AttendedTransfer") == [
        "the scenario makes this busy; the script goes on (assumed: the vendor does not say)"
    ]
    assert _details(events, "BlindTransfer") == ["the scenario makes this busy"]
    # A caller who hangs up while it rings ends the call: nothing goes on.
    events = _scenario_trace(
        tmp_path, document,
        '[outcomes]\ntransfer = { "*" = { outcome = "answer", after = "5s" } }\n'
        '[input]\nhangup = "2s"\n',
    )
    assert _details(events, "ForwardCall") == ["the caller hung up"]


def test_an_alarm_field_the_run_was_not_given_is_not_called_undefined(tmp_path: Path) -> None:
    """Spec §3, §7.39: inside Received a PBX sets $account, $eventname and the other alarm
    fields [oz5556][hu7670]. Without the scenario's [alarm] values the run left them as
    written and called them undefined, "assumed: the vendor does not say", as if the vendor
    were silent about them; a name that is no alarm field is still undefined, and assumed."""
    document = (
        "<Response><ReceiveAlarmNotification><Received>"
        "<Speak>$Account: $eventname by $who</Speak>"
        "</Received></ReceiveAlarmNotification><Speak>$account</Speak></Response>"
    )
    events = _scenario_trace(tmp_path, document, "")
    inside, after = _details(events, "Speak")
    assert inside.endswith(
        "$Account, $eventname: alarm fields the run was not given (the scenario's [alarm]"
        " table), left as written; $who is undefined: left as written (assumed: the vendor"
        " does not say)"
    )
    # After Received the fields are not set: the same name is an undefined variable there.
    assert after.endswith(
        "$account is undefined: left as written (assumed: the vendor does not say)"
    )
    events = _scenario_trace(tmp_path, document, '[alarm]\naccount = "1234"\n')
    inside, after = _details(events, "Speak")
    assert inside.endswith(
        "$eventname: an alarm field the run was not given (the scenario's [alarm] table), left"
        " as written; $who is undefined: left as written (assumed: the vendor does not say)"
    )
    assert "1234" in next(e["params"]["Text"] for e in events if e["command"] == "Speak")


def test_a_call_with_no_number_is_assumed_to_fail_as_a_transfer_with_no_target(
    tmp_path: Path,
) -> None:
    """Spec §7.3, §7.9, §7.13, §7.38: Dialed, Callee, DialedAddress and PhoneNumber are
    mandatory (OZ201); what a PBX does without them is not stated. A transfer without a target
    was "assumed to fail", but a Call without Dialed rang an empty number and was answered by
    ozml's default outcome, and Request ran OnSetup, as if the vendor said so."""
    document = (
        '<Response><Call ErrorUrl="http://app.test/e"/><CallSetup Caller="101"/>'
        "<Request><OnSetup><Speak>up</Speak></OnSetup><OnError><Speak>error</Speak></OnError>"
        '</Request><SendAlarmNotification PhoneNumber=" "/><Call Dialed=" 103 "/></Response>'
    )
    events = _trace(tmp_path, document, "--force")
    placed = [e for e in events if e["command"] in ("Call", "CallSetup", "Request",
                                                       "SendAlarmNotification")]
    assert [(e["command"], e["result"], e["detail"].split(";")[0]) for e in placed] == [
        ("Call", "failed", "no Dialed to call: assumed to fail (the vendor does not say)"),
        ("CallSetup", "failed", "no Callee to call: assumed to fail (the vendor does not say)"),
        ("Request", "failed",
         "no DialedAddress to call: assumed to fail (the vendor does not say)"),
        ("SendAlarmNotification", "failed",
         "no PhoneNumber to call: assumed to fail (the vendor does not say)"),
        # A number with XML white space around it is the number (as the linter reads it).
        ("Call", "answered", "the scenario plans no outcome for '103' (outcomes.call = answer,"
         " assumed)"),
    ]
    assert _details(events, "Speak") == ["0.4 s long (seconds_per_word = 0.4, assumed)"]
    assert [e["params"]["Text"] for e in events if e["command"] == "Speak"] == ["error"]
    # It fails as any call does: its ErrorUrl is requested.
    (notify,) = [e for e in events if e["command"] == "notify"]
    assert notify["params"]["NotificationName"] == "Error"
