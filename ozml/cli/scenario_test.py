"""`ozml test SCENARIO...`: dry-run scenario files and check their `[expect]` sections.

Each scenario's script is linted first (a lint error fails the scenario unless the scenario says
`force = true`), then run; the trace is compared with the expectation and every difference is
shown, the trace as a unified diff. A directory argument means every `*.toml` file in it.

`--max-value-bytes` and `--max-total-bytes` override every scenario's `[engine]` setting of the
same name.

`--app URL` tests a running web application instead of a script file (docs/testing-apps.md):
the virtual PBX POSTs the call's first notification (IncomingCall) to URL and runs what it
answers; every later fetch goes to the scenario's `[urls]` when it lists the URL, else to the
application over HTTP (`ozml.interpreter.app`). Only loopback URLs unless `--app-allow-remote`;
each POST has `--app-timeout` seconds; `--app-wait` waits for an application still starting.

Exit codes: 0 every scenario passed; 1 at least one failed; 2 a scenario file could not be used
(bad TOML, unknown key, missing script, unreadable file, ...), reported in one line each, or
the application named by `--app` cannot be used (not a loopback URL, nothing answering there).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ozml.cli.exits import FINDINGS, OK, USAGE
from ozml.cli.run import add_limit_options, with_limits
from ozml.report.style import printable

if TYPE_CHECKING:
    from ozml.interpreter.app import AppFetcher
    from ozml.interpreter.runner import DryRun
    from ozml.interpreter.scenario import Scenario
    from ozml.interpreter.trace import TraceSink

HELP = "Dry-run scenario files and fail when a trace differs from its [expect] section."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenarios", metavar="SCENARIO", nargs="+", type=Path,
        help="scenario files (TOML), or directories of them",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print every scenario's trace"
    )
    add_limit_options(parser)
    add_app_options(parser)


def add_app_options(parser: argparse.ArgumentParser) -> None:
    """`--app` and its settings, shared with `ozml run`."""
    app = parser.add_argument_group(
        "testing a running web application (docs/testing-apps.md)"
    )
    app.add_argument(
        "--app", metavar="URL",
        help="POST the call's first notification (IncomingCall) to the application at URL and"
        " run what it answers; later fetches go to the scenario's [urls] when listed there,"
        " else to the application over HTTP",
    )
    app.add_argument(
        "--app-timeout", metavar="SECONDS", type=float, default=None,
        help="seconds the application has to answer each notification (default 10)",
    )
    app.add_argument(
        "--app-wait", metavar="SECONDS", type=float, default=0.0,
        help="keep trying to reach the application for up to SECONDS before giving up (for"
        " an application started just before, as in CI; default: try once)",
    )
    app.add_argument(
        "--app-allow-remote", action="store_true",
        help="allow an --app URL that is not on this machine (default: loopback only)",
    )


class AppUnderTest:
    """The application under test: its URL, the HTTP client, the settings of each fetcher."""

    def __init__(self, url: str, timeout: float, allow_remote: bool) -> None:
        from ozml.api.fetcher import HttpFetcher

        self.url = url
        self.allow_remote = allow_remote
        self.http = HttpFetcher(timeout, keep=1)

    def fetcher(self, scenario: Scenario) -> AppFetcher:
        from ozml.interpreter.app import AppFetcher

        return AppFetcher(scenario.urls, self.http, self.url, allow_remote=self.allow_remote)


def open_app(args: argparse.Namespace) -> AppUnderTest:
    """The application `--app` names, or ValueError saying why it cannot be tested."""
    import math
    import socket
    import time
    from urllib.parse import urlsplit

    from ozml.api.errors import HttpUnavailable
    from ozml.interpreter.app import DEFAULT_TIMEOUT, check_app_url

    timeout = DEFAULT_TIMEOUT if args.app_timeout is None else args.app_timeout
    if not 0 < timeout <= 600 or not math.isfinite(timeout):
        raise ValueError(
            f"--app-timeout: expected seconds above 0 and at most 600, found {timeout:g}"
        )
    wait = args.app_wait
    if not 0 <= wait <= 3600 or not math.isfinite(wait):
        raise ValueError(f"--app-wait: expected seconds from 0 to 3600, found {wait:g}")
    try:
        url = check_app_url(args.app, args.app_allow_remote)
    except ValueError as error:
        raise ValueError(f"--app: {error}") from None
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    deadline = time.monotonic() + wait
    while True:
        try:
            # Nothing listening is said once, plainly, before any scenario runs.
            socket.create_connection((parts.hostname, port), timeout=timeout).close()
            break
        except OSError as error:
            if time.monotonic() < deadline:
                time.sleep(0.1)
                continue
            reason = error.strerror or str(error) or type(error).__name__
            waited = f" for {wait:g} s" if wait else ""
            raise ValueError(
                f"no application answered at {url}{waited} ({reason.lower()}); start it"
                " first, or check the URL"
            ) from None
    try:
        return AppUnderTest(url, timeout, args.app_allow_remote)
    except HttpUnavailable as error:
        raise ValueError(f"--app needs httpx: install ozml[http] ({error})") from None


def _files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.toml"))
        else:
            yield path


def _script(scenario: Scenario) -> tuple[bytes, str]:
    from ozml.files import ReadError, read_file
    from ozml.interpreter.scenario import ScenarioError

    script = scenario.script
    assert script is not None
    try:
        return read_file(script), str(script)
    except ReadError as error:
        raise ScenarioError(f"{scenario.path}: script: cannot read {script}: {error}") from None


def run_one(
    scenario: Scenario, app: AppUnderTest | None, sink: TraceSink | None = None
) -> DryRun | list[str]:
    """The run of the scenario (traced to `sink` as it goes), or why its script or the
    application's first answer was refused (the lint gate's messages).

    Raises ScenarioError for a scenario that cannot run, `AppUnreachable` when the
    application gives no HTTP answer to the first notification."""
    import attrs

    from ozml.catalog import Context
    from ozml.cli.run import prepare
    from ozml.interpreter.app import compile_answer, failed_opening, ring
    from ozml.interpreter.runner import run_scenario
    from ozml.interpreter.scenario import ScenarioError

    fetcher = None if app is None else app.fetcher(scenario)
    if scenario.script is not None or app is None or fetcher is None:
        data, name = _script(scenario)
    else:
        try:
            opening = ring(scenario, app.url, fetcher)
        except ValueError as error:  # a first notification --app cannot send
            raise ScenarioError(str(error)) from None
        if opening.body is None:
            return failed_opening(scenario, opening, fetcher, sink)
        data, name = opening.body, opening.url
        if not data.strip():  # an empty answer: nothing to run, nothing to lint
            context = scenario.context or Context.ANY
            return run_scenario(
                attrs.evolve(scenario, context=context), compile_answer(data, name), sink,
                fetcher=fetcher,
            )
    ready = prepare(data, name, scenario.context, scenario.force)
    if ready.program is None:
        return [
            f"{name}:{d.line}:{d.column}: {d.code} {d.message}" for d in ready.errors
        ] + [
            (ready.refusal or "cannot run")
            + (" (or set force = true in the scenario)" if ready.errors else "")
        ]
    return run_scenario(
        attrs.evolve(scenario, context=ready.context), ready.program, sink, fetcher=fetcher
    )


def _check(scenario: Scenario, verbose: bool, app: AppUnderTest | None = None) -> list[str]:
    """Why the scenario fails (empty when it passes)."""
    from ozml.interpreter.expect import compare

    done = run_one(scenario, app)
    if isinstance(done, list):
        return done
    if verbose:
        for event in done.events:
            print(f"    {printable(event.text(), keep_tabs=True)}")
    problems = compare(scenario.expect, done.events, done.result)
    if scenario.expect.end is None and not done.result.ok:
        problems.insert(
            0, f"the run ended with {done.result.ending!r}: {done.result.detail}"
        )
    return problems


def run(args: argparse.Namespace) -> int:
    from ozml.interpreter.app import AppUnreachable, for_app
    from ozml.interpreter.scenario import ScenarioError, load_scenario

    passed = failed = broken = 0
    files = list(_files(args.scenarios))
    if not files:
        print("ozml test: no scenario files found", file=sys.stderr)
        return USAGE
    app: AppUnderTest | None = None
    if args.app is not None:
        try:
            app = open_app(args)
        except ValueError as error:
            print(f"ozml test: {printable(str(error))}", file=sys.stderr)
            return USAGE
        print(f"app: {printable(app.url)}")
    try:
        for path in files:
            try:
                scenario = with_limits(load_scenario(path), args)
                if app is not None:
                    scenario = for_app(scenario, app.url)
                elif scenario.script is None:
                    raise ScenarioError(
                        f"{path}: script: missing (name the OzML file to run, or test a"
                        " running application with --app URL)"
                    )
                problems = _check(scenario, args.verbose, app)
            except AppUnreachable as error:
                print(f"ERROR {printable(str(path))}: {printable(str(error))}")
                print(f"ozml test: {printable(str(error))}", file=sys.stderr)
                return USAGE
            except ScenarioError as error:
                broken += 1
                print(f"ERROR {printable(str(error))}")
                continue
            label = f"{path}" + (f" ({scenario.description})" if scenario.description else "")
            if problems:
                failed += 1
                print(f"FAIL {printable(label)}")
                for problem in problems:
                    print("\n".join(f"    {printable(line)}" for line in problem.splitlines()))
            else:
                passed += 1
                note = "" if not scenario.expect.empty else " (no [expect]: only checked it ran)"
                print(f"PASS {printable(label)}{note}")
    finally:
        if app is not None:
            app.http.close()
    parts = [f"{passed} passed"]
    if failed:
        parts.append(f"{failed} failed")
    if broken:
        parts.append(f"{broken} could not run")
    print(", ".join(parts))
    if broken:
        return USAGE
    return FINDINGS if failed else OK
