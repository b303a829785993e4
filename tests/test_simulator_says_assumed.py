"""The simulator says what it assumes where a dry run does: its log shows each script line with
what the trace says of it (as `ozml run` shows it), so an assumption the engine or the
simulator's executor makes is not hidden behind the golden line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_simulator_calls import CONFIG, App, wait_for

from ozml.api import Client, Credentials
from ozml.callmodel.notifications import RECORDING_3PCC_ENDS
from ozml.simulator import Simulator, load_config


@pytest.fixture
def app() -> Iterator[App]:
    found = App()
    yield found
    found.close()


def test_a_3pcc_recording_says_when_record_completed_is_sent_is_assumed(
    tmp_path: Path, app: App
) -> None:
    """Spec §7.12: nothing says when a 3PCC recording ends. The simulator sends RecordCompleted
    when the recorded call ends (a dry run at once); both say that is assumed."""
    app.answer("/3pcc", f'<Response><Record FinishedUrl="{app.url}/recorded"/></Response>')
    lines: list[str] = []
    path = tmp_path / "sim.toml"
    path.write_text(CONFIG.format(real_time="false") + f'[http-api]\n3pcc-url = "{app.url}/3pcc"\n',
                    encoding="utf-8")
    with Simulator(load_config(path), port=0, log=lines.append) as sim, Client(
        sim.url, Credentials.of("admin", "abc123"), timeout=5
    ) as client:
        # A call with no Url stays up with no script of its own: the 3PCC answers record it.
        client.call(dialed="102", api_extension="101")
        [placed] = wait_for(lambda: sim.board.active())
        wait_for(lambda: any(" Record FinishedUrl=" in line for line in list(lines)))
        assert not any(p == "/recorded" for p, _ in list(app.posts))  # not while it is up
        client.hangup(call_id=placed.id)
        wait_for(lambda: any(p == "/recorded" for p, _ in list(app.posts)))
    recorded = [line for line in lines if " Record FinishedUrl=" in line]
    assert recorded
    said = f"-> ok (RecordCompleted is sent when the call ends ({RECORDING_3PCC_ENDS}))"
    assert all(line.endswith(said) for line in recorded), recorded
    # The log shows what each line says; the state view's Trace keeps the golden lines.
    assert all(not line.endswith(")") for s in sim.notifier.scripts for line in s["Trace"])
