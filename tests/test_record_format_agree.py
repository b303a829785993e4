"""The dry run and the simulator agree on the format a Record records in.

Both tell the application where the recording is (RecordCompleted's RecordURL, whose file
extension is the format). Both read Record's Format with one definition
(`ozml.callmodel.readings.read_choice`, the linter's reading, as Repeat is read by `read_flag`):
a value the linter takes is the format, one in another letter case its fixed value, and one
it refuses the catalog's default.
"""

from __future__ import annotations

import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_simulator_calls import App, wait_for

from ozml.api import Client, Credentials
from ozml.api.validate import RequestWarning
from ozml.interpreter import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.simulator import Simulator, load_config

#: Record's Format: as written, in another letter case, with a space, refused, a reference
#: left as written, and absent.
FORMATS = ["wav", "mp3", "WAV", "Wav", " wav", "ogg", "$f", None]

#: The formats the linter takes (the catalog's values).
TAKEN = {"mp3", "wav"}


def _document(fmt: str | None, recorded: str) -> str:
    written = "" if fmt is None else f' Format="{fmt}"'
    return f'<Response><Record Duration="2"{written} FinishedUrl="{recorded}"/></Response>'


def _extension(record_url: str) -> str:
    return record_url.rsplit(".", 1)[1]


def _dry_run(document: str, recorded: str) -> str:
    _, program = compile_source(document, "record.xml")
    answers = f'[urls]\n"{recorded}" = "<Response/>"\n'
    done = run_scenario(parse_scenario(answers, Path("s.toml")), program)
    forms = [r.form for r in done.requests if r.form.get("NotificationName") == "RecordCompleted"]
    assert len(forms) == 1, [event.golden() for event in done.events]
    return _extension(forms[0]["RecordURL"])


@pytest.fixture
def app() -> Iterator[App]:
    found = App()
    yield found
    found.close()


def _simulated(tmp_path: Path, app: App, document: str) -> str:
    app.answer("/incoming", document)
    config = tmp_path / "sim.toml"
    config.write_text(
        f'[[extensions]]\nnumber = "1000"\ntype = "API extension"\n'
        f'incoming-url = "{app.url}/incoming"\n'
        "[behaviour]\nreal-time = false\nseed = 1\n",
        encoding="utf-8",
    )
    with Simulator(load_config(config), port=0) as sim:
        request = urllib.request.Request(f"{sim.url}/_ozml/calls", data=b"from=555&to=1000")
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
        form = wait_for(
            lambda: next((f for p, f in app.posts if p == "/recorded"), None)
        )
    return _extension(form["RecordURL"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_recording_has_the_same_format_in_a_dry_run_and_the_simulator(
    tmp_path: Path, app: App, fmt: str | None
) -> None:
    """The dry run took Format as written (``WAV``, ``ogg``), the simulator lower-cased it:
    ``Format="WAV"`` gave ``.WAV`` in one and ``.wav`` in the other, and both recorded an
    ``ogg`` that the linter refuses."""
    recorded = f"{app.url}/recorded"
    document = _document(fmt, recorded)
    dry = _dry_run(document, recorded)
    simulated = _simulated(tmp_path, app, document)
    assert dry == simulated, (fmt, dry, simulated)
    assert dry in TAKEN, (fmt, dry)


@pytest.mark.parametrize("fmt", ["wav", "WAV", None])
def test_a_3pcc_recording_has_the_same_format_in_a_dry_run_and_the_simulator(
    tmp_path: Path, app: App, fmt: str | None
) -> None:
    """A Record sent over the HTTP API lasts until its call ends, and RecordCompleted says
    where it is then: the simulator named it ``.mp3`` whatever its Format, where a dry run of
    the same Record in a 3PCC script took the Format."""
    recorded = f"{app.url}/recorded"
    _, program = compile_source(_document(fmt, recorded), "record.xml")
    scenario = parse_scenario(
        f'context = "3pcc"\n[urls]\n"{recorded}" = "<Response/>"\n', Path("s.toml")
    )
    done = run_scenario(scenario, program)
    [dry] = [_extension(r.form["RecordURL"]) for r in done.requests if r.url == recorded]
    config = tmp_path / "sim.toml"
    config.write_text(
        '[[users]]\nusername = "admin"\npassword = "abc123"\n'
        '[[extensions]]\nnumber = "101"\ntype = "API extension"\n'
        '[[extensions]]\nnumber = "102"\n'
        "[behaviour]\nreal-time = false\nseed = 1\n",
        encoding="utf-8",
    )
    with (
        Simulator(load_config(config), port=0) as sim,
        Client(sim.url, Credentials.of("admin", "abc123"), timeout=5) as client,
    ):
        client.call(dialed="102", api_extension="101")
        call_id = wait_for(
            lambda: next(
                (c.call_id for c in client.list_active_calls().calls
                 if c.call_state == "InCall"), None
            )
        )
        with warnings.catch_warnings():
            # 'WAV' goes out as written, with the client's warning (OZ303).
            warnings.simplefilter("ignore", RequestWarning)
            client.record(call_id=call_id, format=fmt, finished_url=recorded)
        client.hangup(call_id=call_id)
        form = wait_for(lambda: next((f for p, f in app.posts if p == "/recorded"), None))
    assert _extension(form["RecordURL"]) == dry, (fmt, form, dry)
