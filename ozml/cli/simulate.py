"""`ozml simulate`: a local PBX speaking the Ozeki 10 HTTP API, in the foreground.

Prints the URL it listens on (with ``--port 0``, the free port it picked) on the first line of
standard output, logs each request (credentials as ``***``) and each notification on standard
error unless ``--quiet``, and runs until Ctrl-C or SIGTERM.

Exit codes: 0 stopped by a signal; 2 a bad config file, a port that cannot be listened on, or
httpx missing.
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import attrs

from ozml.cli.exits import OK, USAGE
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
    parser.add_argument(
        "--config", metavar="FILE", type=Path,
        help="TOML: users, extensions, initial calls, behaviour (default: the vendor's examples)",
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


def _fail(message: str) -> int:
    print(f"ozml simulate: {message}", file=sys.stderr)
    return USAGE


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    try:
        import httpx  # noqa: F401  (the notifications need it)
    except ImportError:
        return _fail("the simulator needs httpx: install ozml[http]")
    from ozml.simulator import ConfigError, Simulator, default_config, load_config

    if not 0 <= args.port <= 65535:
        return _fail(f"--port must be 0-65535, found {args.port}")
    if not (math.isfinite(args.connection_timeout) and 0 < args.connection_timeout <= 86400):
        return _fail(
            "--connection-timeout must be more than 0 and at most 86400 seconds,"
            f" found {args.connection_timeout:g}"
        )
    if args.max_value_bytes is not None and args.max_value_bytes < 1:
        return _fail(f"--max-value-bytes must be at least 1, found {args.max_value_bytes}")
    try:
        config = load_config(args.config) if args.config else default_config()
    except ConfigError as error:
        return _fail(str(error))

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
    except OSError as error:
        return _fail(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}")
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {
        sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        if not args.quiet:
            if not _is_loopback(args.host):
                log(
                    f"warning: listening on {args.host}, not only on this machine:"
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
