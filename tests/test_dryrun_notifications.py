"""Notifications in a dry run: what is sent, when, to which URL, with which fields (only the
call model's, `ozml.callmodel.KINDS`), and how the trace marks what is assumed; Route."""

from __future__ import annotations

from pathlib import Path

import pytest

from ozml.callmodel import KINDS
from ozml.interpreter.runner import DryRun, compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.interpreter.trace import NOTIFY


def dry(document: str, scenario: str = "") -> DryRun:
    _, program = compile_source(document, "d.xml")
    return run_scenario(parse_scenario(scenario, Path("s.toml")), program)


def golden(done: DryRun) -> list[str]:
    return [event.golden() for event in done.events]


def forms(done: DryRun) -> list[tuple[str, dict[str, str]]]:
    return [(request.url, dict(request.form)) for request in done.requests]


def notified(done: DryRun) -> list[tuple[str, str, str]]:
    return [(e.golden(), e.result, e.detail) for e in done.events if e.command == NOTIFY]


def test_call_connected_keeps_the_url_query_then_finished_when_the_connected_call_ends() -> None:
    """The connected call ends when its OzML runs out (D9), before the callee would hang up
    (talk = 12 s): Finished comes then, with how long the call was up."""
    done = dry(
        '<Response><Call Url="http://app/c?req=7&amp;x=y" FinishedUrl="http://app/fin"'
        ' CallerId="1000" RingTime="20">555</Call></Response>',
        '[call]\nid = "A1"\n[outcomes]\n'
        'call = {"555" = {outcome = "answer", after = "4s", talk = "12s"}}\n'
        '[urls]\n"http://app/c?req=7&x=y" = "<Response><Speak>hi there</Speak></Response>"',
    )
    assert golden(done) == [
        '0s Call Url="http://app/c?req=7&x=y" FinishedUrl="http://app/fin" CallerId="1000"'
        ' RingTime="20" Dialed="555" -> answered',
        "0s end -> end-of-script",
        '4s notify Url="http://app/c?req=7&x=y" NotificationName="CallConnected" -> fetched',
        '4s Speak Text="hi there" -> ok',
        "4.8s end -> end-of-script",
        '4.8s notify Url="http://app/fin" NotificationName="CallChanged" -> sent',
    ]
    assert forms(done) == [
        ("http://app/c?req=7&x=y", {"NotificationName": "CallConnected", "CallId": "A1.1",
                                    "Caller": "1000", "Callee": "555", "req": "7", "x": "y"}),
        ("http://app/fin", {"NotificationName": "CallChanged", "CallId": "A1.1",
                            "Caller": "1000", "Callee": "555", "CallState": "Completed",
                            "Duration": "0.8"}),
    ]
    details = [detail for *_, detail in notified(done)]
    assert details == [
        "assumed fields CallId, Caller, Callee (spec §5.1)",
        "no answer in the scenario; assumed name (spec §5.1)",
    ]


def test_error_url_on_a_failed_placed_call_in_time_order_and_renamed() -> None:
    done = dry(
        '<Response><Call ErrorUrl="http://app/err" Url="http://app/c">555</Call>'
        '<CallSetup Caller="1" Callee="2" ErrorUrl="http://app/err2"/></Response>',
        '[outcomes]\ncall = ["no-answer", "failed"]\n[urls]\n"http://app/err" = "<Response/>"\n'
        '[notifications]\nError = "CallError"',
    )
    assert golden(done)[3:] == [
        '0s notify Url="http://app/err2" NotificationName="CallError" -> sent',
        '90s notify Url="http://app/err" NotificationName="CallError" -> fetched',
        "90s end -> end-of-script",
    ]
    assert forms(done) == [
        ("http://app/err2", {"NotificationName": "CallError", "CallId": "call-1.2",
                             "Caller": "1", "Callee": "2", "CallState": "Error"}),
        ("http://app/err", {"NotificationName": "CallError", "CallId": "call-1.1",
                            "Caller": "", "Callee": "555", "CallState": "Busy"}),
    ]
    # A name the user chose is not an assumption any more.
    assert all("assumed" not in detail for *_, detail in notified(done))


def test_alarm_result_and_sms_delivery_reports() -> None:
    done = dry(
        '<Response><SendAlarmNotification PhoneNumber="06" AccountNumber="1234" EventCode="130"'
        ' PartitionNumber="1" ZoneNumber="7" ResultUrl="http://app/alarm"/>'
        '<SendSms Recipient="+3620" DeliveryReportURL="http://app/sms">hi</SendSms>'
        '<SendSms Recipient="+3699" DeliveryReportURL="http://app/sms">hi</SendSms></Response>',
        '[outcomes]\ncall = {"06" = {outcome = "busy", after = "2s"}}\nsms = {"+3699" = "failed"}',
    )
    assert forms(done) == [
        ("http://app/sms", {"NotificationName": "SMSDeliveryReport", "Recipient": "+3620",
                            "DeliveryState": "Delivered"}),
        ("http://app/sms", {"NotificationName": "SMSDeliveryReport", "Recipient": "+3699",
                            "DeliveryState": "Failed"}),
        ("http://app/alarm", {"NotificationName": "CallChanged", "CallId": "call-1.1",
                              "Callee": "06", "CallState": "Busy"}),
    ]
    assert golden(done)[-1] == (
        '2s notify Url="http://app/alarm" NotificationName="CallChanged" -> sent'
    )


def test_finished_url_of_an_answered_transfer_and_record_completed_at_the_recording_end() -> None:
    done = dry(
        '<Response><Record FinishDigits="#" FinishedUrl="http://app/rec"/>'
        '<BlindTransfer Target="2000" FinishedUrl="http://app/tfin"/></Response>',
        '[call]\ncaller = "555"\n[input]\ndtmf = [{at = "8s", keys = "#"}]\n'
        '[outcomes]\ntransfer = {"2000" = {after = "3s"}}\n[urls]\n"http://app/rec" = ""',
    )
    assert golden(done) == [
        '0s Record FinishDigits="#" FinishedUrl="http://app/rec" -> finish-key at 8s',
        '8s BlindTransfer Target="2000" FinishedUrl="http://app/tfin" -> transferred',
        "11s end -> transferred",
        '11s notify Url="http://app/rec" NotificationName="RecordCompleted" -> fetched',
        "11s end -> end-of-script",
        # The transferred call talks for the default talk_seconds (30 s, assumed), then ends.
        '41s notify Url="http://app/tfin" NotificationName="CallChanged" -> sent',
    ]
    assert forms(done) == [
        ("http://app/rec", {"NotificationName": "RecordCompleted", "CallId": "call-1",
                            "RecordURL": "recordings/call-1-1.mp3"}),
        ("http://app/tfin", {"NotificationName": "CallChanged", "CallId": "call-1",
                             "Caller": "555", "Callee": "2000", "CallState": "Completed",
                             "Duration": "30"}),
    ]


def test_a_transfer_the_caller_hangs_up_on_sends_nothing_it_no_longer_reaches() -> None:
    done = dry(
        '<Response><BlindTransfer Target="2000" FinishedUrl="http://app/tfin"/></Response>',
        '[input]\nhangup = "2s"\n[outcomes]\ntransfer = {"2000" = {after = "3s"}}',
    )
    assert golden(done) == [
        '0s BlindTransfer Target="2000" FinishedUrl="http://app/tfin" -> caller-hangup at 2s',
        "2s end -> caller-hangup",
    ]


def test_dtmf_entered_and_goto_forms() -> None:
    done = dry(
        '<Response><UserInput ForwardToURL="http://app/dtmf"><Inputs><Input Key="1">'
        "<Speak>x</Speak></Input></Inputs></UserInput></Response>",
        '[input]\ndtmf = ["9"]\n[urls]\n"http://app/dtmf" = "<Response><GoTo>http://app/g</GoTo>'
        '</Response>"\n"http://app/g" = ""',
    )
    assert forms(done) == [
        ("http://app/dtmf", {"NotificationName": "DtmfEntered", "CallId": "call-1",
                             "DtmfDigits": "9"}),
        ("http://app/g", {"NotificationName": "GoTo", "CallId": "call-1"}),
    ]


SENDERS = [
    '<Call Url="http://u/1" FinishedUrl="http://u/2" ErrorUrl="http://u/3">5</Call>',
    '<CallSetup Caller="1" Callee="2" ErrorUrl="http://u/4"/>',
    '<SendAlarmNotification PhoneNumber="6" AccountNumber="1" EventCode="1" PartitionNumber="1"'
    ' ZoneNumber="1" ResultUrl="http://u/5"/>',
    '<SendSms Recipient="7" DeliveryReportURL="http://u/6">m</SendSms>',
    '<Record FinishedUrl="http://u/7" Duration="3"/>',
    '<BlindTransfer Target="8" FinishedUrl="http://u/8"/>',
]


@pytest.mark.parametrize("outcome", ["answer", "busy", "failed"])
def test_every_form_carries_only_the_call_models_fields(outcome: str) -> None:
    done = dry(
        f"<Response>{''.join(SENDERS)}</Response>",
        f'[outcomes]\ncall = "{outcome}"\ntransfer = "{outcome}"',
    )
    # Kinds by the name they are sent under (Finished and AlarmResult go as CallChanged).
    known: dict[str, set[str]] = {}
    for kind in KINDS.values():
        known.setdefault(kind.name, set()).update(f.name for f in kind.fields)
    assert done.requests
    for request in done.requests:
        form = dict(request.form)
        assert set(form) <= known[form["NotificationName"]], (request.url, form)


ROUTES = (
    '<Response><Route Destination="1000" RingTime="20"/>'
    '<Route Destination="2000"/><Route Destination=""/></Response>'
)


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ('{"1000" = {after = "5s"}}',
         ['0s Route Destination="1000" RingTime="20" -> answered', "5s end -> routed"]),
        ('{"1000" = "no-answer", "2000" = "busy"}',
         ['0s Route Destination="1000" RingTime="20" -> no-answer',
          '20s Route Destination="2000" -> busy',
          '20s Route Destination="" -> rejected', "20s end -> reject"]),
        ('{"1000" = "not-found", "2000" = "no-answer"}',
         ['0s Route Destination="1000" RingTime="20" -> not-found',
          '0s Route Destination="2000" -> no-answer',
          '90s Route Destination="" -> rejected', "90s end -> reject"]),
    ],
)
def test_route_rings_each_destination_and_falls_back(outcomes: str, expected: list[str]) -> None:
    done = dry(ROUTES, f'context = "routing"\n[outcomes]\nroute = {outcomes}')
    assert golden(done) == expected


def test_call_without_url_runs_its_response_ozml_on_the_connected_call() -> None:
    done = dry(
        '<Response><Call ResponseOzML="&lt;Response&gt;&lt;Speak&gt;hello&lt;/Speak&gt;'
        '&lt;/Response&gt;">555</Call></Response>',
        '[call]\nid = "A1"',
    )
    assert golden(done) == [
        '0s Call ResponseOzML="<Response><Speak>hello</Speak></Response>" Dialed="555"'
        " -> answered",
        "0s end -> end-of-script",
        '0s notify ResponseOzML="<Response><Speak>hello</Speak></Response>"'
        ' NotificationName="CallConnected" -> run',
        '0s Speak Text="hello" -> ok',
        "0.4s end -> end-of-script",
    ]
    assert done.requests == ()
