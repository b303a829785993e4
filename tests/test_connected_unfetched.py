"""A placed call whose CallConnected answer cannot be fetched is hung up, in state Error, in a
dry run as in the simulator: only the older pages say so ("if empty or not downloadable the
call is hung up" [oz4588]), so both say it is assumed, in the same words
(`ozml.callmodel.notifications.CONNECTED_UNFETCHED`). The dry run kept the call up for its
talk time and requested FinishedUrl at its end, as if the answer had run; the simulator hung it
up and requested ErrorUrl, saying nothing was assumed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dryrun_support import instant
from test_simulator_calls import App, config, ended, wait_for

from ozml.api import Client, Credentials
from ozml.callmodel.notifications import CONNECTED_UNFETCHED
from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.simulator import Simulator

DOCUMENT = (
    '<Response><Call Dialed="102" Url="http://app.test/connected" ErrorUrl="http://app.test/e"'
    ' FinishedUrl="http://app.test/f"/></Response>'
)


def _notified(scenario: str) -> list[tuple[str, str, str]]:
    parsed = instant(parse_scenario(scenario, Path("s.toml")))
    _, program = compile_source(DOCUMENT, "doc.xml")
    return [
        (e.params["NotificationName"], e.result, e.detail)
        for e in run_scenario(parsed, program).events
        if e.command == "notify"
    ]


def test_the_dry_run_hangs_the_call_up_and_says_it_is_assumed() -> None:
    sent = _notified('[notifications]\n3pcc-url = "http://app.test/3pcc"\n')
    names = [(name, result) for name, result, _ in sent]
    assert ("CallConnected", "failed") in names
    connected = names.index(("CallConnected", "failed"))
    # Ringing and answered were sent before; then the call ends in Error: no Completed, no
    # Finished (the call never completed), and ErrorUrl is requested.
    assert names[connected + 1:] == [("CallChanged", "sent"), ("Error", "sent")]
    assert sent[connected][2].endswith(CONNECTED_UNFETCHED)
    assert "assumed" in CONNECTED_UNFETCHED
    assert "[oz4588]" in CONNECTED_UNFETCHED


def test_an_answer_that_comes_leaves_the_call_up() -> None:
    """With an answer the call runs it and completes: Finished at its end, no Error."""
    sent = _notified(
        '[urls]\n"http://app.test/connected" = "<Response><Speak>Hi</Speak></Response>"\n'
    )
    names = [(name, result) for name, result, _ in sent]
    assert names == [("CallConnected", "fetched"), ("CallChanged", "sent")]
    assert not any(CONNECTED_UNFETCHED in detail for _, _, detail in sent)


def test_a_request_that_fails_hangs_the_call_up_too() -> None:
    sent = _notified('[urls]\n"http://app.test/connected" = { error = "timed out" }\n')
    assert [(name, result) for name, result, _ in sent] == [
        ("CallConnected", "failed"), ("Error", "sent"),
    ]
    assert sent[0][2].startswith("timed out")


def test_the_simulator_does_the_same_and_says_so(tmp_path: Path, app: App) -> None:
    url = app.answer("/connected", "gone", status=404)
    with Simulator(config(tmp_path), port=0) as sim, Client(
        sim.url, Credentials.of("admin", "abc123"), timeout=5
    ) as client:
        client.call(dialed="102", api_extension="101", url=url,
                    error_url=f"{app.url}/error", finished_url=f"{app.url}/finished")
        call = ended(sim, "102")
        wait_for(lambda: len(app.posts) == 2)
    assert call.state.value == "Error"
    assert f"CallConnected not answered: {CONNECTED_UNFETCHED}" in call.events
    assert [path for path, _ in app.posts] == ["/connected", "/error"]


@pytest.fixture
def app() -> Iterator[App]:
    found = App()
    yield found
    found.close()


def test_a_response_ozml_that_is_no_ozml_ends_the_call_the_same_way() -> None:
    """ResponseOzML (a Call without a Url, Gen-B [hu7632]) is the connected call's OzML as the
    Url's answer is: when it is no usable OzML the call is hung up in state Error, as for a
    Url that cannot be fetched; it used to end `failed` saying nothing of the call, and its
    FinishedUrl was still requested `talk` seconds later."""
    document = DOCUMENT.replace('Url="http://app.test/connected"', 'ResponseOzML="hello"')
    parsed = instant(parse_scenario('[notifications]\n3pcc-url = "http://app.test/3pcc"\n',
                                    Path("s.toml")))
    _, program = compile_source(document, "doc.xml")
    sent = [
        (e.params["NotificationName"], e.result, e.detail)
        for e in run_scenario(parsed, program).events
        if e.command == "notify"
    ]
    names = [(name, result) for name, result, _ in sent]
    connected = names.index(("CallConnected", "failed"))
    assert names[connected + 1:] == [("CallChanged", "sent"), ("Error", "sent")]
    assert sent[connected][2].startswith("ResponseOzML answered no usable OzML")
    assert sent[connected][2].endswith(CONNECTED_UNFETCHED)
