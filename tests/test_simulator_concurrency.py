"""Calls in progress at once: every task of the simulator's scheduler gets a thread of its own
while it runs (a script waiting in real time keeps its thread, never another call's), up to a
bound; the control endpoint refuses an inbound call beyond ``max-calls``. And when the answer
to RecordCompleted runs (``notification-answers``), on the call or after it.

No test here times anything: waits are bounded only so that a bug fails instead of hanging.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_simulator_calls import App, wait_for
from test_simulator_inbound import MENU, VOICEMAIL, _config, _ended, _ring

from ozml.callmodel.switchboard import ThreadScheduler
from ozml.simulator import Simulator, load_config
from ozml.simulator.config import ConfigError

#: More tasks waiting at once than the 64 workers the scheduler used to have.
WAITING = 300
#: How long a task waits for the others before the test fails (a hang guard, not a timing).
GUARD = 60.0


@pytest.fixture
def app() -> Iterator[App]:
    found = App()
    yield found
    found.close()


def test_tasks_that_wait_each_get_a_thread_so_all_run_at_once() -> None:
    """300 tasks that each wait until all 300 have started: with a fixed pool of 64 workers
    they never would (the barrier breaks); with a thread per task they all meet."""
    scheduler = ThreadScheduler(real_time=False)
    barrier = threading.Barrier(WAITING)
    met: list[bool] = []
    lock = threading.Lock()

    def task() -> None:
        try:
            barrier.wait(GUARD)
        except threading.BrokenBarrierError:
            ok = False
        else:
            ok = True
        with lock:
            met.append(ok)

    try:
        for _ in range(WAITING):
            scheduler.submit(task)
        wait_for(lambda: len(met) == WAITING, timeout=GUARD + 5)
        assert met == [True] * WAITING
        assert scheduler.peak_threads >= WAITING
    finally:
        scheduler.close()


def test_the_threads_are_bounded_and_idle_ones_end() -> None:
    """Beyond `max_threads` a task waits for a thread to be free (it is not lost); threads
    without work end after `idle` seconds."""
    scheduler = ThreadScheduler(4, real_time=False, idle=0.05)
    release = threading.Event()
    done: list[int] = []
    lock = threading.Lock()

    def task(number: int) -> None:
        release.wait(GUARD)
        with lock:
            done.append(number)

    try:
        for number in range(10):
            scheduler.submit(functools.partial(task, number))
        wait_for(lambda: scheduler.threads == 4)
        assert done == []
        release.set()
        wait_for(lambda: len(done) == 10)
        assert sorted(done) == list(range(10))
        assert scheduler.peak_threads == 4
        wait_for(lambda: scheduler.threads == 0)
        # A new task after the threads ended gets a new one.
        scheduler.submit(functools.partial(task, 10))
        wait_for(lambda: len(done) == 11)
    finally:
        scheduler.close()


def test_a_failing_task_does_not_take_its_thread_down() -> None:
    scheduler = ThreadScheduler(1, real_time=False)
    ran = threading.Event()

    def fails() -> None:
        raise RuntimeError("a bug")

    try:
        scheduler.submit(fails)
        scheduler.submit(ran.set)
        assert ran.wait(GUARD)
    finally:
        scheduler.close()


def test_a_closed_scheduler_runs_nothing_more() -> None:
    scheduler = ThreadScheduler(1, real_time=False)
    release = threading.Event()
    ran: list[str] = []

    def hold() -> None:
        release.wait(GUARD)

    scheduler.submit(hold)
    scheduler.submit(lambda: ran.append("queued"))
    scheduler.close()
    release.set()
    scheduler.submit(lambda: ran.append("after close"))
    assert ran == []


# -- max-calls -----------------------------------------------------------------------------------


def test_an_inbound_call_beyond_max_calls_is_refused_with_503(tmp_path: Path, app: App) -> None:
    """Two calls ring an extension that never answers (they stay in progress); the third is
    refused with a clear error, and once a call has ended a new one is taken again."""
    config = _config(tmp_path, app, "max-calls = 2\n")
    config.write_text(
        config.read_text(encoding="utf-8")
        + '[[extensions]]\nnumber = "300"\nanswer = "ring"\n',
        encoding="utf-8",
    )
    with Simulator(load_config(config), port=0) as sim:
        first = _ring(sim, "555", "300")
        second = _ring(sim, "556", "300")
        status, refused = _ring(sim, "557", "300")
        assert (first[0], second[0]) == (200, 200)
        assert status == 503
        assert refused["error"] == (
            "2 calls are in progress, the most this simulator takes at once"
            " ([behaviour] max-calls): try again when one has ended"
        )
        assert sim.board.in_progress() == 2
        call = sim.board.get(first[1]["CallId"])
        assert call is not None
        sim.board.hangup(call)
        status, _ = _ring(sim, "557", "300")
        assert status == 200
        assert sim.board.in_progress() == 2


def test_max_calls_sizes_the_scheduler(tmp_path: Path, app: App) -> None:
    with Simulator(load_config(_config(tmp_path, app, "max-calls = 10\n")), port=0) as sim:
        assert sim.config.behaviour.max_calls == 10
        assert sim.scheduler.max_threads == 2 * 10 + 64
    with Simulator(load_config(_config(tmp_path, app)), port=0) as sim:
        assert sim.config.behaviour.max_calls == 1000


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("max-calls = 0", "max-calls must be a whole number from 1 to 100000"),
        ("max-calls = true", "max-calls must be a whole number from 1 to 100000"),
        ("max-calls = 2.5", "max-calls must be a whole number from 1 to 100000"),
        ("max-calls = 100001", "max-calls must be a whole number from 1 to 100000"),
        ('notification-answers = "later"',
         "notification-answers must be before-hangup or after-script"),
    ],
)
def test_bad_behaviour_values_are_refused(
    tmp_path: Path, app: App, written: str, problem: str
) -> None:
    with pytest.raises(ConfigError, match=problem):
        load_config(_config(tmp_path, app, written + "\n"))


# -- notification-answers ------------------------------------------------------------------------

GOODBYE = "<Response><Speak>Thank you. Goodbye.</Speak><Hangup/></Response>"


@pytest.mark.parametrize(
    ("written", "goodbye", "events"),
    [
        # The default: RecordCompleted's answer runs on the call, which is still up.
        ("", "ok", ["Speak Text='Thank you. Goodbye.'", "Completed"]),
        ('notification-answers = "before-hangup"\n', "ok",
         ["Speak Text='Thank you. Goodbye.'", "Completed"]),
        # The call was hung up at the end of the script: the answer finds it ended.
        ('notification-answers = "after-script"\n', "failed", ["Completed"]),
    ],
)
def test_record_completed_answer_runs_before_the_hangup_or_after(
    tmp_path: Path, app: App, written: str, goodbye: str, events: list[str]
) -> None:
    app.answer("/incoming", MENU.format(app=app.url))
    app.answer("/entered", VOICEMAIL.format(app=app.url))
    app.answer("/recorded", GOODBYE)
    with Simulator(load_config(_config(tmp_path, app, written)), port=0) as sim:
        _, placed = _ring(sim, "555", "1000", "7@1s,#@8s")
        call = _ended(sim, placed["CallId"])
        [script] = sim.notifier.scripts
    assert call.events[-len(events):] == events
    assert call.events[-len(events) - 1].startswith("Record ")
    assert call.result.name == "CalleeHungUp"
    assert script["Trace"][-5:] == [
        "8s end -> end-of-script",
        f'8s notify Url="{app.url}/recorded" NotificationName="RecordCompleted" -> fetched',
        f"8s Speak Text=\"Thank you. Goodbye.\" -> {goodbye}",
        "9.2s Hangup -> ok" if goodbye == "ok" else "8s Hangup -> failed",
        "9.2s end -> hangup" if goodbye == "ok" else "8s end -> hangup",
    ]


def test_a_caller_who_hangs_up_during_the_answer_ends_the_call(tmp_path: Path, app: App) -> None:
    """The answer runs with the call's caller: hanging up during the goodbye ends the call
    from the caller's side."""
    app.answer("/incoming", MENU.format(app=app.url))
    app.answer("/entered", VOICEMAIL.format(app=app.url))
    app.answer("/recorded", "<Response><Speak>Thank you for your message. Goodbye.</Speak>"
               "<Delay>30</Delay></Response>")
    with Simulator(load_config(_config(tmp_path, app)), port=0) as sim:
        _, placed = _ring(sim, "555", "1000", "7@1s,#@8s,hangup@9s")
        call = _ended(sim, placed["CallId"])
        [script] = sim.notifier.scripts
    assert call.result.name == "CallerHangUp"
    assert script["Trace"][-2:] == [
        '8s Speak Text="Thank you for your message. Goodbye." -> caller-hangup at 9s',
        "9s end -> caller-hangup",
    ]
