"""The catalog's HTTP view (issue 11, class 5): what an HTTP request must carry, with its basis.

`Param.http_required` is set from the one table `ozml.catalog.contextual.HTTP_FACTS`; request
validation, the client's generated methods and the simulator read it from the catalog.
"""

from __future__ import annotations

from ozml.api.wire import HTTP_COMMANDS, http_requirements
from ozml.catalog import COMMANDS, Usage, ValueType
from ozml.catalog.audit import fact_rows
from ozml.catalog.contextual import HTTP_FACTS


def test_the_table_as_verified_against_the_spec() -> None:
    found = {(f.command, f.param): f.basis for f in HTTP_FACTS}
    assert found["Play", "Party"].label() == "stated [hu7640]"
    assert found["SendEmail", "ApiExtension"].label() == "stated [oz4774]"
    assert found["Call", "ApiExtension"].citation() == "spec §7.3 [oz4571][hu7632][ghAR]"
    assert not found["Call", "ApiExtension"].stated
    assert found["SendSms", "ApiExtension"].citation() == "spec §7.20 [oz4591][hu7649]"
    assert not found["SendSms", "ApiExtension"].stated
    # Both generations mark it mandatory over HTTP (Ozeki 10 "yes", omittable only in a
    # response to a call notification, spec §8 #15): stated.
    assert found["Hangup", "CallId"].label() == "stated [oz4610][hu7635]"
    assert found["Hold", "CallId"].label() == "stated [oz4572][hu7636]"
    # "HTTP Gen-A Yes; Gen-B no" (spec §7.1, §7.4): assumed. They were "stated" before.
    for key, citation in (
        (("AttendedTransfer", "TransferredCallId"), "spec §7.1 [oz4576][hu7630]"),
        (("ForwardCall", "CallId"), "spec §7.4 [oz4574][hu7633]"),
    ):
        assert not found[key].stated, key
        assert found[key].citation() == citation, key


#: The commands whose call is mandatory over HTTP on the older pages and optional on the Ozeki
#: 10 pages: "HTTP Gen-A Yes; Gen-B no" in spec §7.1, §7.2, §7.4, §7.14 and §7.15.
DISPUTED_CALL = {
    ("AttendedTransfer", "TransferredCallId"): "§7.1",
    ("BlindTransfer", "CallId"): "§7.2",
    ("ForwardCall", "CallId"): "§7.4",
    ("SendDTMF", "CallId"): "§7.14",
    ("Speak", "CallId"): "§7.15",
}


def test_every_call_a_command_acts_on_is_required_over_http() -> None:
    # In OzML it defaults to the notified call (D5); a bare request has none. Where the two
    # generations disagree that ozml asks for it is an assumption; elsewhere both state it.
    for cmd in COMMANDS:
        if not (cmd.in_ozml and cmd.in_http):
            continue
        for param in cmd.params:
            if param.type is ValueType.CALL_ID and not param.required_in:
                basis = param.http_required
                assert basis is not None, (cmd.name, param.name)
                section = DISPUTED_CALL.get((cmd.name, param.name))
                if section is None:
                    assert basis.stated, (cmd.name, param.name)
                else:
                    assert not basis.stated, (cmd.name, param.name)
                    assert basis.spec == section
                    assert basis.why.endswith(
                        "; assumed mandatory, as a bare request has no notified call to default"
                        " to"
                    )


def test_a_disputed_call_is_a_warning_that_says_it_is_assumed_and_the_request_is_sent() -> None:
    # Before: "error OZ201 ForwardCall needs CallId in an HTTP request", and `ozml api
    # ForwardCall Destination=104` stopped with "not sent".
    from ozml.api.validate import validate_request
    from ozml.diagnostics import Severity

    problems = validate_request("ForwardCall", [("Destination", "104")])
    assert [(p.code, p.severity, p.assumed, p.param) for p in problems] == [
        ("OZ201", Severity.WARNING, True, "CallId")
    ]
    assert problems[0].message == (
        "ForwardCall needs CallId in an HTTP request; undocumented (spec §7.4"
        " [oz4574][hu7633]): mandatory on the older HTTP page [oz4574], optional on the Ozeki"
        " 10 page [hu7633]; assumed mandatory, as a bare request has no notified call to"
        " default to"
    )
    # What both generations state stays an error: the request is refused.
    problems = validate_request("Hangup", [])
    assert [(p.severity, p.message) for p in problems] == [
        (Severity.ERROR, "Hangup needs CallId in an HTTP request")
    ]


def test_the_client_takes_a_disputed_call_as_optional() -> None:
    import inspect

    from ozml.api.methods import CommandMethods

    forward = inspect.signature(CommandMethods.forward_call).parameters
    assert forward["call_id"].default is None
    assert forward["destination"].default is inspect.Parameter.empty
    hangup = inspect.signature(CommandMethods.hangup).parameters
    assert hangup["call_id"].default is inspect.Parameter.empty



def test_the_ozml_side_is_unchanged() -> None:
    send_email = next(c for c in COMMANDS if c.name == "SendEmail")
    api = send_email.param("ApiExtension")
    assert not api.required_in  # a document may leave it out
    assert not api.required.stated
    assert api.http_required is not None
    assert api.http_required.stated


def test_validation_reads_the_catalog() -> None:
    for cmd in HTTP_COMMANDS.values():
        for req in http_requirements(cmd):
            assert Usage.HTTP in req.param.usage
            if req.param.http_required is not None and not req.param.required_in:
                assert req.basis is req.param.http_required


def test_the_audit_shows_it() -> None:
    play = next(c for c in COMMANDS if c.name == "Play")
    assert ("Party", "mandatory over HTTP", "yes", "stated [hu7640]") in fact_rows(play)


# -- parameter lists known to be incomplete (issue 11, class 1) ----------------------------------


def test_incomplete_parameter_lists_are_assumed_complete_and_say_why() -> None:
    from ozml.catalog import ALL, command

    incomplete = {c.name for c in ALL if not c.params_fact.stated}
    assert incomplete == {
        "UserInput", "SendMessage", "ListCallHistory", "SendEmail", "GoTo", "MoveFile",
        # The example uses TransferorParty, which neither table lists (spec §8 #3).
        "AttendedTransfer",
        # No parameter table at all: only what the vendor shows (spec §2).
        "Response", "InitialCommands", "Inputs", "Input", "Item", "Received", "OnSetup",
        "OnError",
    }
    user_input = command("UserInput").params_fact
    assert user_input.spec == "§7.32"
    assert "MinDi" in user_input.why
    assert ("", "parameter list", "taken as complete", user_input.label()) in fact_rows(
        command("UserInput")
    )
    assert ("", "parameter list", "complete", "stated [hu7633]") in fact_rows(
        command("ForwardCall")
    )


def test_a_repeated_input_key_is_assumed() -> None:
    from ozml.catalog import command
    from ozml.catalog.commands import REPEATED_KEY

    basis = command("Input").behaviour_fact(REPEATED_KEY)
    assert not basis.stated
    assert basis.citation() == "spec §7.32 [oz4693][hu7663]"
    assert any(row[1] == REPEATED_KEY for row in fact_rows(command("Input")))
