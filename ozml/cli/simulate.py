"""`ozml simulate`: a local PBX speaking the Ozeki 10 HTTP API, in the foreground.

Prints the URL it listens on (with ``--port 0``, the free port it picked) on the first line of
standard output, logs each request (credentials as ``***``) and each notification on standard
error unless ``--quiet``, and runs until Ctrl-C or SIGTERM.

``ozml simulate call --from 555 --to 1000 --dtmf 1@3s`` tells a running simulator (``--url``,
default ``http://127.0.0.1:9509``) to place an inbound call, through its control endpoint
``POST /_ozml/calls``; it prints the call's ID, and with ``--wait`` waits for the call to end
and prints how it ended and the trace of each script run on it.

``--config FILE`` reads the simulator's configuration (users, extensions, initial calls,
behaviour: docs/simulator.md) from FILE; without it, or with ``--isolated``, the built-in one
(the vendor's examples). The simulator never looks for a configuration file of its own accord.
A URL map in it (``[urls]``, or ``url-map = "ozml.toml"``) answers the notifications to the
URLs it covers with the mapped files instead of POSTing them (`ozml.simulator.notify`).
Every error is one line, ``ozml: error: ...``.

Exit codes: 0 stopped by a signal (``call``: the call was placed, and with ``--wait`` ended);
1 ``call --wait``: the call did not end in time; 2 a bad config file, a port that cannot be
listened on, httpx missing, a bad option, or (``call``) no simulator at the URL or a request
it refused.
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
import threading
from types import FrameType

import attrs

from ozml.cli.common import error, path_argument, warning
from ozml.cli.exits import OK
from ozml.report.style import printable

HELP = "Run a local PBX simulator that speaks the Ozeki 10 HTTP API (docs/simulator.md)."

DEFAULT_PORT = 9509


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: loopback)"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one and prints it)",
    )
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument(
        "--config", metavar="FILE", type=path_argument,
        help="read the simulator's users, extensions, initial calls and behaviour from FILE"
        " (TOML; default: the built-in configuration, the vendor's examples)",
    )
    chosen.add_argument(
        "--isolated", action="store_true",
        help="use the built-in configuration (the default without --config)",
    )
    parser.add_argument(
        "--connection-timeout", metavar="SECONDS", type=float, default=30.0,
        help="seconds a connection has to send each whole request (default 30): a client that"
        " sends nothing, or too slowly, is disconnected",
    )
    parser.add_argument(
        "--max-value-bytes", metavar="N", type=int,
        help="stop a script run on a call when a value it builds would pass N bytes"
        " (default: the interpreter's, 1 MiB)",
    )
    parser.add_argument("--quiet", action="store_true", help="log nothing on standard error")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    call = actions.add_parser(
        "call",
        help="ring a running simulator: an inbound call from outside to an extension",
        description="Tell a running simulator to place an inbound call (docs/simulator.md).",
    )
    call.add_argument("--from", dest="caller", required=True, metavar="NUMBER",
                      help="the calling number (anyone outside the PBX)")
    call.add_argument("--to", dest="callee", required=True, metavar="NUMBER",
                      help="the extension called (an API extension with an incoming-url gets"
                      " IncomingCall)")
    call.add_argument("--dtmf", action="append", default=[], metavar="KEYS",
                      help="what the caller presses, either per prompt (1,timeout,*,hangup: one"
                      " entry for each prompt in turn) or all at times (1@3s,#@10s,hangup@12s:"
                      " seconds into the call), never both; repeat or separate with commas")
    call.add_argument("--url", default=f"http://127.0.0.1:{DEFAULT_PORT}",
                      help=f"the simulator (default http://127.0.0.1:{DEFAULT_PORT})")
    call.add_argument("--wait", metavar="SECONDS", type=float,
                      help="wait up to SECONDS for the call to end, then print how it ended"
                      " and the trace of its scripts")


def _is_loopback(host: str) -> bool:
    """Whether the address the simulator listens on is this machine's alone (an IPv4 address
    in IPv6, ``::ffff:127.0.0.1``, is judged as the IPv4 one)."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return (mapped or address).is_loopback


def _control(url: str, data: bytes | None = None) -> tuple[int, dict[str, object]]:
    """One request to the simulator's control endpoint: HTTP status and JSON answer."""
    import json
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, body = response.status, response.read(1024 * 1024)
    except urllib.error.HTTPError as refused:
        status, body = refused.code, refused.read(1024 * 1024)
    try:
        found = json.loads(body)
    except ValueError:
        found = None
    if not isinstance(found, dict):
        raise OSError(f"HTTP {status} without the JSON answer of a simulator")
    return status, found


def _refused_call(caller: str, callee: str, dtmf: str) -> str | None:
    """What the simulator would refuse in a call's numbers and keys, by its own rules
    (`ozml.simulator.server.Simulator.ring`), said before anything is sent; None: nothing."""
    from ozml.simulator.server import refused_call

    refused = refused_call(caller, callee, dtmf, ("--from", "--to", "--dtmf"))
    return None if refused is None else printable(refused)


def _call(args: argparse.Namespace) -> int:
    import time
    import urllib.parse

    base = args.url.rstrip("/")
    if not base.lower().startswith(("http://", "https://")):
        return error(f"--url must be an http:// URL, found {args.url!r}")
    if args.wait is not None and not (math.isfinite(args.wait) and 0 <= args.wait <= 86400):
        return error(f"--wait must be 0 to 86400 seconds, found {args.wait:g}")
    problem = _refused_call(args.caller, args.callee, ",".join(args.dtmf))
    if problem is not None:
        return error(problem)
    form = urllib.parse.urlencode(
        {"from": args.caller, "to": args.callee, "dtmf": ",".join(args.dtmf)}
    ).encode()
    try:
        status, answer = _control(f"{base}/_ozml/calls", form)
    except (OSError, ValueError) as problem:
        reason = getattr(problem, "reason", None) or problem
        return error(
            f"no simulator answered at {base} ({reason});"
            " start one with `ozml simulate`"
        )
    if status != 200:
        return error(str(answer.get("error", f"HTTP {status}")))
    call_id = str(answer.get("CallId", ""))
    print(f"{call_id} {printable(args.caller)} -> {printable(args.callee)}", flush=True)
    if args.wait is None:
        return OK
    deadline = time.monotonic() + args.wait
    while True:
        try:
            _, view = _control(f"{base}/_ozml/calls/{urllib.parse.quote(call_id)}")
        except (OSError, ValueError) as problem:
            return error(f"the simulator stopped answering: {problem}")
        if "Result" in view and not view.get("Running"):
            break
        if time.monotonic() >= deadline:
            print(f"{call_id} still {view.get('CallState')} after {args.wait:g}s", flush=True)
            return 1
        time.sleep(0.05)
    print(f"{call_id} {view.get('CallState')} ({view.get('Result')})")
    scripts = view.get("Scripts")
    for script in scripts if isinstance(scripts, list) else []:
        print(f"  {printable(str(script.get('Source', '')))}:")
        for line in script.get("Trace", []):
            print(f"    {printable(str(line))}")
    return OK


def run(args: argparse.Namespace) -> int:
    if getattr(args, "action", None) == "call":
        return _call(args)
    try:
        import httpx  # noqa: F401  (the notifications need it)
    except ImportError:
        return error("the simulator needs httpx: install ozml[http]")
    from ozml.simulator import ConfigError, Simulator, default_config, load_config

    if not 0 <= args.port <= 65535:
        return error(f"--port must be 0-65535, found {args.port}")
    if not (math.isfinite(args.connection_timeout) and 0 < args.connection_timeout <= 86400):
        return error(
            "--connection-timeout must be more than 0 and at most 86400 seconds,"
            f" found {args.connection_timeout:g}"
        )
    if args.max_value_bytes is not None and args.max_value_bytes < 1:
        return error(f"--max-value-bytes must be at least 1, found {args.max_value_bytes}")
    try:
        config = (
            load_config(args.config) if args.config and not args.isolated else default_config()
        )
    except ConfigError as problem:
        return error(str(problem))

    if args.max_value_bytes is not None:
        behaviour = attrs.evolve(config.behaviour, max_value_bytes=args.max_value_bytes)
        config = attrs.evolve(config, behaviour=behaviour)

    def log(line: str) -> None:
        # Requests are logged as they came: a control character in one must not reach the
        # terminal raw.
        print(printable(line), file=sys.stderr, flush=True)

    try:
        simulator = Simulator(
            config, args.host, args.port, log=None if args.quiet else log,
            connection_timeout=args.connection_timeout,
        )
    except OSError as problem:
        from ozml.files import reason

        return error(f"cannot listen on {args.host}:{args.port}: {reason(problem)}")
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {
        sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        if not args.quiet:
            if not _is_loopback(simulator.host):  # the address bound, not as written
                warning(
                    f"listening on {args.host}, not only on this machine:"
                    " the simulator's test users are reachable from the network"
                )
            users = ", ".join(u.username for u in config.users)
            log(
                f"ozml simulator on {simulator.url} (API /api, state /simulator/state);"
                f" users: {users}; Ctrl-C to stop"
            )
        simulator.start()
        print(simulator.url, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        simulator.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not args.quiet:
        log("ozml simulator stopped")
    return OK
