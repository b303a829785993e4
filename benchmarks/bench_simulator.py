"""The simulator under load: N concurrent inbound calls against the stdlib IVR application.

Three processes on loopback, as a developer would run them:

* the application: the voice menu of examples/web/ivr.py served by examples/web/stdlib_app.py
  (the standard library's WSGI server, a thread per request), with a thin wrapper that times
  each request in its handler thread and counts the notifications by kind;
* the simulator: ``ozml simulate --port 0 --config FILE --quiet``, exactly the CLI, started
  through a small launcher that wraps ``HttpFetcher.post`` to time every notification from the
  simulator's side (sending the form to having read the answer) and writes the times to a
  file when the simulator exits on SIGTERM;
* this script: `--concurrency` threads place the calls through the control endpoint
  (``POST /_ozml/calls`` with ``from``, ``to`` and ``dtmf``), then poll ``GET /_ozml/calls/ID``
  until every call has ended and no script runs on it.

Every call is the IVR's voicemail path: IncomingCall -> greeting and menu -> the caller presses
0 at 1 s (typed ahead; not on the menu) -> DtmfEntered -> BlindTransfer to the operator, who is
busy -> Record (from 8.4 s) until the caller presses # at 10 s -> RecordCompleted, whose answer
(a goodbye, 1.2 s, and Hangup) runs on the call before the end-of-script hangup (the default
``notification-answers``). Three notifications a call, and ten seconds of call time to the
last one. With ``real-time = false`` (the default
here) that time is virtual and nothing waits: that measures throughput. ``--real-time`` runs
the same calls paced by the wall clock, so that every call really lasts ten seconds and the
calls overlap.

The reference, in the same run: the same number of notifications (the same forms, the same
application) POSTed by a pool of `--concurrency` threads with the standard library's
http.client: what the application and loopback alone can do. Runs are interleaved (reference,
simulator, reference, ...) and the best of `--runs` is shown, since the machine's speed moves.

    python benchmarks/bench_simulator.py                 # 1,000 calls, 100 placed at a time
    python benchmarks/bench_simulator.py --real-time     # the same with real waits
    python benchmarks/bench_simulator.py --quick         # 20 calls, one run (the smoke test)

Exits 1 when a call did not end as expected, a notification failed or any request failed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "web"
#: The API extension the application answers for; the operator (busy) of examples/web/ivr.py.
API_EXTENSION = "1000"
#: The notifications of one call, in order.
KINDS = ("IncomingCall", "DtmfEntered", "RecordCompleted")
#: How every call ends: the application's Hangup hangs up its own side (the callee).
EXPECTED_RESULT = "CalleeHungUp"
#: The caller's keys: 0 typed ahead at 1 s, # at 10 s while the voicemail records.
KEYS = "0@1s,#@10s"
#: How long each call lasts (its time in real-time mode).
CALL_SECONDS = 10.0
#: Seconds without a call reaching its end after which the rest are taken as failed.
STALL = 60.0

#: Run in the simulator's process: time every notification, then the CLI exactly as installed.
SIMULATOR_LAUNCHER = r"""
import atexit, json, sys, time
from ozml.api.fetcher import HttpFetcher

_post = HttpFetcher.post
_samples = []

def post(self, url, form):
    started = time.perf_counter()
    delivery = _post(self, url, form)
    _samples.append(
        (form.get("NotificationName", ""), time.perf_counter() - started, delivery.error)
    )
    return delivery

HttpFetcher.post = post

def dump():
    with open(sys.argv[1], "w") as out:
        json.dump(_samples, out)

atexit.register(dump)
from ozml.cli import main
sys.exit(main(sys.argv[2:]))
"""


# -- the application (run with --serve-app in a process of its own) --------------------------


def serve_app() -> int:
    """examples/web/stdlib_app.py's application on a free port, timed; prints its URL."""
    import io
    from wsgiref.simple_server import make_server

    sys.path.insert(0, str(EXAMPLES))
    from stdlib_app import QuietHandler, ThreadingWSGIServer, application

    lock = threading.Lock()
    seconds: list[float] = []
    kinds: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    open_calls: set[str] = set()
    peak = [0]
    #: RecordCompleted answered so far, and when the last was (time.monotonic(), which is the
    #: same clock in every process on Linux).
    done = {"last": 0, "last_at": 0.0}
    current = threading.local()
    #: Per call ID: when its IncomingCall arrived, when its RecordCompleted was answered.
    arrived: dict[str, float] = {}
    finished: dict[str, float] = {}
    name = re.compile(rb"(?:^|&)NotificationName=([^&]*)")
    call_id = re.compile(rb"(?:^|&)CallId=([^&]*)")

    def timed_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_bench/"):
            with lock:
                if path == "/_bench/reset":
                    seconds.clear()
                    kinds.clear()
                    statuses.clear()
                    open_calls.clear()
                    peak[0] = 0
                    done.update(last=0, last_at=0.0)
                    arrived.clear()
                    finished.clear()
                if path == "/_bench/progress":
                    data: dict[str, Any] = dict(done)
                else:
                    data = {
                        "seconds": list(seconds),
                        "kinds": dict(kinds),
                        "statuses": dict(statuses),
                        "peak_open_calls": peak[0],
                        "arrived": dict(arrived),
                        "finished": dict(finished),
                    }
            body = json.dumps(data).encode()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [body]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        found = name.search(raw)
        kind = found.group(1).decode() if found else "?"
        found_id = call_id.search(raw)
        ident = found_id.group(1).decode() if found_id else ""
        current.kind = kind
        current.ident = ident

        def start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            with lock:
                statuses[status.split()[0]] += 1
            return start_response(status, headers, *exc)

        with lock:
            kinds[kind] += 1
            if kind == KINDS[0]:
                arrived[ident] = time.monotonic()
                open_calls.add(ident)
                peak[0] = max(peak[0], len(open_calls))
            elif kind == KINDS[-1]:
                open_calls.discard(ident)
        return application(environ, start)

    class TimedHandler(QuietHandler):
        def handle(self) -> None:
            current.kind = ""
            started = time.perf_counter()
            super().handle()
            elapsed = time.perf_counter() - started
            if current.kind:
                with lock:
                    seconds.append(elapsed)
                    if current.kind == KINDS[-1]:
                        done["last"] += 1
                        done["last_at"] = finished[current.ident] = time.monotonic()

    class Server(ThreadingWSGIServer):
        request_queue_size = 1024

    server = make_server("127.0.0.1", 0, timed_app, Server, TimedHandler)
    host, port = server.server_address[:2]
    print(f"http://{host!s}:{port}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever(poll_interval=0.05)
    finally:
        server.server_close()
    return 0


# -- processes -----------------------------------------------------------------------------------


class Child:
    """A child process that prints its URL on its first line of output."""

    def __init__(self, command: Sequence[str], what: str) -> None:
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            cwd=REPO,
        )
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], 30)
        line = self.process.stdout.readline().strip() if ready else ""
        if not line.startswith("http://"):
            if self.process.poll() is None:
                self.process.kill()
            error = self.process.communicate()[1].strip()
            raise SystemExit(f"bench_simulator: the {what} did not start: {line!r}\n{error}")
        self.url = line

    def peak_rss_mib(self) -> float | None:
        """The process's peak resident memory so far (Linux's VmHWM), in MiB."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        return int(found.group(1)) / 1024 if found else None

    def cpu_seconds(self) -> float | None:
        """The process's user and system CPU time so far."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return self.process.returncode


def simulator_config(app_url: str, real_time: bool) -> str:
    return f"""\
[[extensions]]
number = "{API_EXTENSION}"
type = "API extension"
incoming-url = "{app_url}/"
[[extensions]]
number = "100"
answer = "busy"
[[extensions]]
number = "200"
[[extensions]]
number = "300"

[behaviour]
real-time = {"true" if real_time else "false"}
seed = 1
"""


# -- HTTP from this process ----------------------------------------------------------------------


class Connections:
    """One keep-alive connection per thread to a server."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.local = threading.local()

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        for attempt in (1, 2):
            connection: http.client.HTTPConnection | None = getattr(self.local, "c", None)
            if connection is None:
                connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.local.c = connection
            try:
                headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
                connection.request(method, path, body, headers)
                response = connection.getresponse()
                return response.status, response.read()
            except (ConnectionError, http.client.HTTPException):
                connection.close()
                self.local.c = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest rank."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(fraction * len(sorted_values) + 0.4999))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def latencies(values: Iterable[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": percentile(ordered, 0.50) * 1000,
        "p95": percentile(ordered, 0.95) * 1000,
        "p99": percentile(ordered, 0.99) * 1000,
        "max": (ordered[-1] if ordered else float("nan")) * 1000,
    }


# -- the runs ------------------------------------------------------------------------------------


def run_simulator(
    app: Child, app_http: Connections, calls: int, concurrency: int, real_time: bool,
    timeout: float, workdir: Path,
) -> dict[str, Any]:  # fmt: skip
    """Place `calls` inbound calls and wait for all of them to end; the figures."""
    config = workdir / "sim.toml"
    config.write_text(simulator_config(app.url, real_time))
    samples_file = workdir / "samples.json"
    samples_file.unlink(missing_ok=True)
    app_http.request("GET", "/_bench/reset")
    app_cpu_before = app.cpu_seconds()
    simulator = Child(
        [
            sys.executable, "-c", SIMULATOR_LAUNCHER, str(samples_file),
            "simulate", "--port", "0", "--config", str(config), "--quiet",
        ],
        "simulator",
    )  # fmt: skip
    sim_http = Connections(simulator.url)
    errors: list[str] = []
    ids: list[str] = [""] * calls
    placed_at: dict[str, float] = {}

    def place(index: int) -> None:
        form = urlencode({"from": str(5550000 + index), "to": API_EXTENSION, "dtmf": KEYS})
        asked = time.monotonic()
        try:
            status, body = sim_http.request("POST", "/_ozml/calls", form)
        except OSError as error:
            errors.append(f"placing call {index}: {error}")
            return
        if status != 200:
            errors.append(f"placing call {index}: HTTP {status} {body[:200]!r}")
            return
        ids[index] = json.loads(body)["CallId"]
        placed_at[ids[index]] = asked

    results: dict[str, str] = {}
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(place, range(calls)))
        placed = time.monotonic() - started

        # Wait at the application, not the simulator: polling a thousand calls would load
        # the process being measured. A call's last notification is RecordCompleted; what
        # runs after it (the answer's goodbye, 1.2 s of call time, and Hangup) is not counted
        # in the wall time. Then every call is checked (untimed) to have ended as expected
        # with no script running.
        deadline = time.monotonic() + timeout
        pending = [i for i in ids if i]
        seen, moved = -1, time.monotonic()
        while time.monotonic() < deadline:
            progress = json.loads(app_http.request("GET", "/_bench/progress")[1])
            if progress["last"] >= len(pending):
                break
            if progress["last"] != seen:
                seen, moved = progress["last"], time.monotonic()
            elif time.monotonic() - moved > STALL:
                break  # some calls will never get there: the check below says which
            time.sleep(0.1)  # the application notes when the last call ended: no hurry
        last_end = progress["last_at"] or time.monotonic()
        cpu = simulator.cpu_seconds()
        app_cpu = _minus(app.cpu_seconds(), app_cpu_before)
        deadline = time.monotonic() + STALL

        def poll(call_id: str) -> tuple[str, str | None]:
            status, body = sim_http.request("GET", f"/_ozml/calls/{call_id}")
            if status != 200:
                return call_id, f"HTTP {status}"
            view = json.loads(body)
            if "Result" in view and not view.get("Running"):
                return call_id, str(view["Result"])
            return call_id, None

        with ThreadPoolExecutor(min(concurrency, 16)) as pool:
            while pending and time.monotonic() < deadline:
                still: list[str] = []
                for call_id, result in pool.map(poll, pending):
                    if result is None:
                        still.append(call_id)
                    else:
                        results[call_id] = result
                pending = still
                if pending:
                    time.sleep(0.05)
        wall = last_end - started
        rss = simulator.peak_rss_mib()
    finally:
        code = simulator.stop()
    if code != 0:
        errors.append(f"the simulator exited {code}")
    for call_id in pending:
        errors.append(f"call {call_id} had not ended (or a script still ran on it)")
    wrong = Counter(r for r in results.values() if r != EXPECTED_RESULT)
    for result, count in wrong.items():
        errors.append(f"{count} calls ended {result}, not {EXPECTED_RESULT}")
    samples: list[tuple[str, float, str | None]] = (
        json.loads(samples_file.read_text()) if samples_file.is_file() else []
    )
    failed = Counter(f"{k}: {e}" for k, _, e in samples if e is not None)
    errors.extend(f"{n} notifications failed: {what}" for what, n in failed.items())
    sent = Counter(k for k, _, _ in samples)
    if samples_file.is_file():
        for kind in KINDS:
            if sent[kind] != calls:
                errors.append(f"{sent[kind]} {kind} sent for {calls} calls")
    else:
        errors.append("the simulator wrote no notification times")
    _, app_stats = app_http.request("GET", "/_bench/stats")
    stats = json.loads(app_stats)
    bad = {s: n for s, n in stats["statuses"].items() if s != "200"}
    if bad:
        errors.append(f"the application answered {bad}")
    return {
        "calls": calls,
        "completed": sum(1 for r in results.values() if r == EXPECTED_RESULT),
        "wall": wall,
        "placed": placed,
        "calls_per_second": calls / wall if wall > 0 else 0.0,
        "notifications": len(samples),
        "notifications_per_second": len(samples) / wall if wall > 0 else 0.0,
        "latency_ms": latencies(s for _, s, _ in samples),
        "latency_ms_by_kind": {k: latencies(s for n, s, _ in samples if n == k) for k in KINDS},
        "app_ms": latencies(stats["seconds"]),
        # From sending the control request to the application getting IncomingCall, and to
        # the application having answered RecordCompleted (the call's last notification).
        "to_incoming_ms": latencies(
            stats["arrived"][i] - t for i, t in placed_at.items() if i in stats["arrived"]
        ),
        "call_ms": latencies(
            stats["finished"][i] - t for i, t in placed_at.items() if i in stats["finished"]
        ),
        "peak_open_calls": stats["peak_open_calls"],
        "peak_rss_mib": rss,
        "cpu_seconds": {"simulator": cpu, "application": app_cpu},
        "errors": errors,
    }


def run_reference(
    app: Child, app_http: Connections, calls: int, concurrency: int
) -> dict[str, Any]:
    """The same notifications POSTed straight to the application from a thread pool."""
    app_http.request("GET", "/_bench/reset")
    app_cpu_before = app.cpu_seconds()
    host = urlsplit(app.url)
    forms: list[tuple[str, dict[str, str]]] = []
    for index in range(calls):
        ident = f"R{index:05d}"
        caller = str(5550000 + index)
        record_url = f"http://127.0.0.1/_ozml/recordings/{ident}-1.mp3"
        forms += [
            ("/", {"NotificationName": "IncomingCall", "CallId": ident, "Caller": caller,
                   "Callee": API_EXTENSION}),
            ("/dtmf", {"NotificationName": "DtmfEntered", "CallId": ident, "DtmfDigits": "0"}),
            ("/recorded", {"NotificationName": "RecordCompleted", "CallId": ident,
                           "RecordURL": record_url}),
        ]  # fmt: skip
    errors: list[str] = []
    times: list[float] = []

    def post(item: tuple[str, dict[str, str]]) -> None:
        path, form = item
        began = time.perf_counter()
        # A new connection each time: the application's server closes every connection.
        connection = http.client.HTTPConnection(host.hostname or "", host.port or 80, timeout=60)
        try:
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", path, urlencode(form), headers)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200 or b"<Response" not in body:
                errors.append(f"{path}: HTTP {response.status} {body[:100]!r}")
        except OSError as error:
            errors.append(f"{path}: {error}")
        finally:
            connection.close()
        times.append(time.perf_counter() - began)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(post, forms))
    wall = time.perf_counter() - started
    app_cpu = _minus(app.cpu_seconds(), app_cpu_before)
    _, app_stats = app_http.request("GET", "/_bench/stats")
    stats = json.loads(app_stats)
    return {
        "posts": len(forms),
        "wall": wall,
        "posts_per_second": len(forms) / wall,
        "latency_ms": latencies(times),
        "app_ms": latencies(stats["seconds"]),
        "app_cpu_seconds": app_cpu,
        "errors": errors,
    }


# -- output --------------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def row(label: str, wall: float, rate: str, lat: dict[str, float]) -> str:
    return (
        f"{label:<36}{wall:>7.2f}{rate:>10}"
        f"{lat['p50']:>10.1f}{lat['p95']:>10.1f}{lat['p99']:>10.1f}{lat['max']:>10.1f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="inbound calls per run")
    parser.add_argument(
        "--concurrency", type=int, default=100,
        help="threads placing calls (and POSTing in the reference) at once",
    )  # fmt: skip
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs; the best is shown")
    parser.add_argument(
        "--real-time", action="store_true",
        help="real-time = true: every call lasts its ten seconds of wall-clock time",
    )  # fmt: skip
    parser.add_argument("--timeout", type=float, default=600, help="seconds for all calls to end")
    parser.add_argument("--quick", action="store_true", help="20 calls, 5 at a time, one run")
    parser.add_argument("--json", type=Path, help="write the figures as JSON too")
    parser.add_argument("--serve-app", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_app:
        return serve_app()
    if args.quick:
        args.calls, args.concurrency, args.runs = 20, 5, 1
    if args.calls < 1 or args.concurrency < 1 or args.runs < 1:
        parser.error("--calls, --concurrency and --runs must be at least 1")

    mode = "true" if args.real_time else "false"
    print(
        f"simulator benchmark: {args.calls:,} inbound calls, {args.concurrency} placed at a time,"
        f" real-time = {mode}, dtmf {KEYS!r}; best of {args.runs};"
        f" {os.cpu_count()} CPUs; Python {platform.python_version()}"
    )
    print(
        "each call: IncomingCall -> menu -> 0 at 1 s -> DtmfEntered -> BlindTransfer to busy 100"
        " -> Record until # at 10 s -> RecordCompleted -> its answer on the call (goodbye, Hangup)"
    )
    app = Child([sys.executable, str(Path(__file__).resolve()), "--serve-app"], "application")
    app_http = Connections(app.url)
    sims: list[dict[str, Any]] = []
    refs: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-simulator-") as temp:
            for _ in range(args.runs):
                refs.append(run_reference(app, app_http, args.calls, args.concurrency))
                sims.append(
                    run_simulator(
                        app, app_http, args.calls, args.concurrency, args.real_time,
                        args.timeout, Path(temp),
                    )
                )  # fmt: skip
        app_rss = app.peak_rss_mib()
    finally:
        app.stop()

    sim = min(sims, key=lambda s: s["wall"])
    ref = min(refs, key=lambda r: r["wall"])
    errors = [e for s in sims for e in s["errors"]] + [e for r in refs for e in r["errors"]]
    print()
    heads = "".join(f"{h:>10}" for h in ("per s", "p50 ms", "p95 ms", "p99 ms", "max ms"))
    print(f"{'':<36}{'wall s':>7}{heads}")
    print(row("simulator: calls completed", sim["wall"], f"{sim['calls_per_second']:,.0f}",
              sim["latency_ms"]))  # fmt: skip
    print(row(f"  notifications ({sim['notifications']:,}), sim side", sim["wall"],
              f"{sim['notifications_per_second']:,.0f}", sim["latency_ms"]))  # fmt: skip
    for kind in KINDS:
        print(row(f"    {kind}", sim["wall"], "", sim["latency_ms_by_kind"][kind]))
    print(row("  the same, app handler time", sim["wall"], "", sim["app_ms"]))
    print(row("  placed -> IncomingCall at the app", sim["wall"], "", sim["to_incoming_ms"]))
    print(row("  placed -> RecordCompleted answered", sim["wall"], "", sim["call_ms"]))
    print(row(f"reference: {ref['posts']:,} POSTs, client side", ref["wall"],
              f"{ref['posts_per_second']:,.0f}", ref["latency_ms"]))  # fmt: skip
    print(row("  the same, app handler time", ref["wall"], "", ref["app_ms"]))
    print()
    throughput = sim["notifications_per_second"] / ref["posts_per_second"]
    p99 = sim["latency_ms"]["p99"] / ref["latency_ms"]["p99"]
    print(f"notifications/s, simulator / reference   {throughput:.2f}x")
    print(f"p99 notification latency, sim / ref      {p99:.2f}x")
    if args.real_time:
        ideal = sim["placed"] + CALL_SECONDS
        print(
            f"wall / ideal (placing {sim['placed']:.2f} s + one call's {CALL_SECONDS:g} s)"
            f"      {sim['wall'] / ideal:.2f}x"
        )
    print(
        f"placing the calls took {sim['placed']:.2f} s; at most {sim['peak_open_calls']:,} calls"
        " were between IncomingCall and RecordCompleted at once (seen by the application)"
    )
    print(
        "runs (wall s): simulator "
        + ", ".join(f"{s['wall']:.2f}" for s in sims)
        + "; reference "
        + ", ".join(f"{r['wall']:.2f}" for r in refs)
    )
    cpu = sim["cpu_seconds"]
    print(
        f"CPU seconds: simulator {_fmt(cpu['simulator'])}, application {_fmt(cpu['application'])}"
        f" (reference run: application {_fmt(ref['app_cpu_seconds'])})"
        f" for {sim['calls']:,} calls"
    )
    sim_rss = max((s["peak_rss_mib"] or 0.0) for s in sims)
    print(f"peak RSS: simulator {sim_rss:.1f} MiB, application {app_rss or 0.0:.1f} MiB")
    print(f"calls completed: {sum(s['completed'] for s in sims):,} of {args.calls * args.runs:,};"
          f" errors: {len(errors)}")  # fmt: skip
    for error in errors[:20]:
        print(f"  error: {error}")
    if args.json is not None:
        figures = {"simulator": sims, "reference": refs, "app_peak_rss_mib": app_rss}
        args.json.write_text(json.dumps(figures, indent=1))
    complete = all(s["completed"] == args.calls for s in sims)
    return 0 if complete and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
