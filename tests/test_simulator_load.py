"""A bounded loopback load test: 500 concurrent API requests to a simulator process, no error,
and a consistent switchboard afterwards."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

from ozml.api import ApiResult, Client, Credentials
from ozml.simulator.process import SimulatorProcess

HELD = 100
SETUPS = 250
LISTS = 100
EXTENSION_LISTS = 50
TOTAL = HELD + SETUPS + LISTS + EXTENSION_LISTS
WORKERS = 100


def test_500_concurrent_requests(tmp_path: Path) -> None:
    assert TOTAL == 500
    config = tmp_path / "sim.toml"
    calls = "".join(
        f'[[calls]]\nid = "L{i:03d}"\ncaller = "100"\ncallee = "102"\nstate = "InCall"\n'
        for i in range(HELD)
    )
    config.write_text(calls + "[behaviour]\nreal-time = false\nseed = 11\n", encoding="utf-8")
    jobs = (
        [("hold", f"L{i:03d}") for i in range(HELD)]
        + [("setup", "")] * SETUPS
        + [("list", "")] * LISTS
        + [("extensions", "")] * EXTENSION_LISTS
    )
    with SimulatorProcess(config) as sim, Client(
        sim.url, Credentials.of("HTTP_User_1", "qwe123"), timeout=30
    ) as client:

        def send(job: tuple[str, str]) -> ApiResult:
            kind, call_id = job
            if kind == "hold":
                return client.hold(call_id=call_id)
            if kind == "setup":
                return client.call_setup(caller="100", callee="102")
            if kind == "list":
                return client.list_active_calls()
            return client.list_extensions()

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = [pool.submit(send, job) for job in jobs]
            _, pending = wait(futures, timeout=120)
        elapsed = time.monotonic() - started
        assert not pending
        results = [f.result() for f in futures]  # re-raises any error
        assert Counter(r.code for r in results) == {200: TOTAL}

        # Every CallSetup call gets answered on the simulator's own threads.
        deadline = time.monotonic() + 30
        while True:
            active = client.list_active_calls().calls
            states = Counter(c.call_state for c in active)
            if states.get("InCall") == SETUPS or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        state = sim.state()

    assert states == {"Hold": HELD, "InCall": SETUPS}
    ids = [c.call_id for c in active]
    assert len(set(ids)) == HELD + SETUPS
    assert {c.call_id for c in active if c.call_state == "Hold"} == {
        f"L{i:03d}" for i in range(HELD)
    }
    assert sum(1 for c in state["calls"] if c["Origin"] == "CallSetup") == SETUPS
    assert state["history"] == []
    received = Counter(r["query"].split("&", 1)[0] for r in state["requests"])
    assert received["command=Hold"] == HELD
    assert received["command=CallSetup"] == SETUPS
    assert received["command=ListExtensions"] == EXTENSION_LISTS
    assert all(r["code"] == 200 for r in state["requests"])
    print(f"\n{TOTAL} requests, {WORKERS} at a time, in {elapsed:.2f} s")
