"""`ozml test [PATH...]`: dry-run scenario files and check their `[expect]` sections.

Scenario files are found under each PATH (default: the current folder) by `ozml.testing.discover`
(``*.scenario.toml`` anywhere, every ``*.toml`` under a ``scenarios`` folder); a file named is
always taken. ``-k EXPR`` chooses among them (`ozml.testing.keyword`). Each scenario's script is
linted with its configuration (``--config FILE``, ``--isolated``) and refused on a lint error
unless the scenario says ``force = true``; then it runs, and the run is compared with the
expectation (`ozml.testing.outcome`). Progress, failures and the summary are printed in
pytest's style, or a JUnit XML or JSON report is written (`ozml.testing.results`).
``--update`` rewrites the ``[expect]`` section of each scenario that failed its comparison, or
had none, from the actual run (`ozml.testing.update`).

`--max-value-bytes` and `--max-total-bytes` override every scenario's `[engine]` setting of the
same name.

`--app URL` tests a running web application instead of a script file (docs/testing-apps.md):
the virtual PBX POSTs the call's first notification (IncomingCall) to URL and runs what it
answers; every later fetch goes to the scenario's `[urls]` when it lists the URL, else to the
application over HTTP (`ozml.interpreter.app`). Only loopback URLs unless `--app-allow-remote`;
each POST has `--app-timeout` seconds; `--app-wait` waits for an application still starting.
Without `--app`, a scenario that names no script is skipped.

Exit codes: 0 every scenario passed (or was skipped, or updated); 1 at least one failed; 2 a
scenario file could not be used (bad TOML, unknown key, missing script, unreadable file, ...),
no scenario was found (unless `--allow-empty`), a bad option or configuration, or the
application named by `--app` cannot be used (not a loopback URL, nothing answering there).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ozml.cli.common import (
    add_color_option,
    add_config_options,
    add_verbosity_options,
    cannot_write,
    color_wanted,
    config_choice,
    error,
    nonempty,
    one_of,
    path_argument,
    verbosity,
    warning,
)
from ozml.cli.exits import FINDINGS, OK, USAGE
from ozml.testing.outcome import AppUnderTest

if TYPE_CHECKING:
    from ozml.config import Resolver
    from ozml.testing.outcome import Outcome

HELP = "Dry-run scenario files and fail when a run differs from its [expect] section."

__all__ = ["AppUnderTest", "add_app_options", "configure", "open_app", "run"]


def configure(parser: argparse.ArgumentParser) -> None:
    from ozml.cli.run import add_limit_options

    parser.add_argument(
        "paths", metavar="PATH", nargs="*", type=Path,
        help="scenario files, or folders to search for *.scenario.toml files and *.toml files"
        " under scenarios/ (default: the current folder)",
    )
    parser.add_argument(
        "-k", dest="keyword", metavar="EXPR", default="",
        help="only the scenarios whose path, file name or description contains the words of"
        " EXPR, joined by and, or, not and parentheses (pytest's -k): -k 'sales and not busy'",
    )
    parser.add_argument(
        "--format", "--output-format", dest="format",
        **one_of(("text", "junit", "json", "mermaid")), default="text",
        help="text (progress, failures, summary: the default), junit (JUnit XML for CI),"
        " json, or mermaid (Markdown: each scenario's run as a Mermaid sequence diagram)",
    )
    parser.add_argument(
        "-o", "--output-file", metavar="FILE", type=path_argument,
        help="write the report to FILE (replaced when the run ends); with --format junit or"
        " json the text report still goes to standard output",
    )
    parser.add_argument(
        "--update", action="store_true",
        help="rewrite the [expect] section of each scenario that fails its comparison (or has"
        " none) from the actual run, keeping the rest of the file as it is",
    )
    parser.add_argument(
        "--allow-empty", action="store_true",
        help="exit 0 when no scenario is found or chosen (default: an error, exit 2)",
    )
    parser.add_argument(
        "--no-respect-gitignore", dest="respect_gitignore", action="store_false",
        help="search folders that .gitignore, .ignore and git's excludes ignore, too",
    )
    add_config_options(parser, what="the lint settings of the scenarios' scripts")
    add_verbosity_options(
        parser,
        quiet="print only failures and the summary",
        verbose="print one line per scenario (PASSED, FAILED, ...) followed by its trace",
    )
    add_color_option(parser)
    add_limit_options(parser)
    add_app_options(parser)


def add_app_options(parser: argparse.ArgumentParser) -> None:
    """`--app` and its settings, shared with `ozml run`."""
    app = parser.add_argument_group(
        "testing a running web application (docs/testing-apps.md)"
    )
    app.add_argument(
        "--app", metavar="URL", type=nonempty,
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


def open_app(args: argparse.Namespace) -> AppUnderTest:
    """The application `--app` names, or ValueError saying why it cannot be tested."""
    import math
    import socket
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
    except ValueError as problem:
        raise ValueError(f"--app: {problem}") from None
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    deadline = time.monotonic() + wait
    while True:
        try:
            # Nothing listening is said once, plainly, before any scenario runs.
            socket.create_connection((parts.hostname, port), timeout=timeout).close()
            break
        except OSError as refused:
            if time.monotonic() < deadline:
                time.sleep(0.1)
                continue
            reason = refused.strerror or str(refused) or type(refused).__name__
            waited = f" for {wait:g} s" if wait else ""
            raise ValueError(
                f"no application answered at {url}{waited} ({reason.lower()}); start it"
                " first, or check the URL"
            ) from None
    try:
        return AppUnderTest(url, timeout, args.app_allow_remote)
    except HttpUnavailable as missing:
        raise ValueError(f"--app needs httpx: install ozml[http] ({missing})") from None


def _names(path: Path) -> tuple[str, ...]:
    """What ``-k`` matches a scenario file against, read without running it."""
    from ozml.testing.outcome import description_of

    return (path.as_posix(), path.name, description_of(path))


def _resolver(args: argparse.Namespace) -> Resolver:
    from ozml.config import Resolver

    config_file, isolated = config_choice(args)
    return Resolver(isolated=isolated, warn=warning, config_file=config_file)


def _update(outcome: Outcome, app: AppUnderTest | None) -> tuple[Outcome, str | None]:
    """`outcome` after rewriting its file's `[expect]` (UPDATED), or with why it could not be
    (ERROR); unchanged (None) when there is nothing to update."""
    import attrs

    from ozml.atomic import write_atomic
    from ozml.files import ReadError, not_utf8, read_file, reason, write_path
    from ozml.interpreter.expect import Expectation, compare
    from ozml.testing.outcome import ERROR, FAILED, PASSED, UPDATED
    from ozml.testing.update import NotToml, UpdateError, rewrite_expect

    scenario, done = outcome.scenario, outcome.run
    if scenario is None or done is None:
        return outcome, None
    if not (outcome.status == FAILED and outcome.updatable) and not (
        outcome.status == PASSED and scenario.expect.empty
    ):
        return outcome, None
    golden = [event.golden() for event in done.events]
    if app is not None:
        base = app.url.rstrip("/")
        golden = [line.replace(base, "{app}") for line in golden]
    includes = scenario.expect.includes
    keep = bool(includes) and not compare(Expectation(includes=includes), done.events, done.result)
    path = outcome.path
    text = ""
    try:
        data = read_file(path)
        text = data.decode("utf-8")
        new = rewrite_expect(text, done.result.ending, golden, keep)
        # A link to the scenario is written through, as ozml fmt and --fix do (the walk yields
        # only links named by the user or leading inside the walked folder).
        write_atomic(write_path(str(path)), new.encode("utf-8"), based_on=data)
    except NotToml as problem:
        # Edited into something else since its run: placed as every scenario's TOML error.
        from ozml.tomlpositions import invalid_toml

        message = f"{invalid_toml(str(path), text, str(problem))}; [expect] not updated"
        return attrs.evolve(outcome, status=ERROR, problems=(message,)), None
    except UnicodeDecodeError as problem:
        message = f"{not_utf8(path, problem)}; [expect] not updated"
        return attrs.evolve(outcome, status=ERROR, problems=(message,)), None
    except (ReadError, UpdateError, OSError) as problem:
        message = f"{path}: cannot update [expect]: {reason(problem)}"
        return attrs.evolve(outcome, status=ERROR, problems=(message,)), None
    kept = ", includes kept" if keep else (", includes dropped" if includes else "")
    note = f"updated {path}: [expect] end = {done.result.ending!r}, {len(golden)} trace lines{kept}"
    return attrs.evolve(outcome, status=UPDATED, problems=()), note


def _emit(
    args: argparse.Namespace, outcomes: Sequence[Outcome], report: str, stdout: TextIO
) -> int | None:
    """Write the report to --output-file or standard output; an exit status on failure."""
    from ozml.atomic import write_atomic

    if args.output_file is None:
        stdout.write(report)
        return None
    # Neither a scenario nor its script is ever replaced by the report.
    inputs = [o.path for o in outcomes] + [
        o.scenario.script for o in outcomes if o.scenario is not None and o.scenario.script
    ]
    try:
        write_atomic(args.output_file, report.encode("utf-8"), not_over=inputs)
    except OSError as problem:
        return cannot_write(args.output_file, problem)
    return None


def run(args: argparse.Namespace) -> int:
    from ozml.cli.run import limits
    from ozml.config import ConfigError
    from ozml.interpreter.app import AppUnreachable
    from ozml.testing.discover import discover_scenarios
    from ozml.testing.keyword import KeywordError, compile_keyword
    from ozml.testing.outcome import ERROR, FAILED, check_scenario
    from ozml.testing.results import (
        TextReport,
        Totals,
        write_json,
        write_junit,
        write_mermaid,
    )

    started = time.perf_counter()
    try:
        chosen = compile_keyword(args.keyword)
        engine_limits = limits(args)
        resolver = _resolver(args)
    except KeywordError as problem:
        return error(f"-k: {problem}")
    except (ValueError, ConfigError) as problem:
        return error(str(problem))
    paths = args.paths or [Path(".")]
    # A PATH that does not exist or cannot be read is an error, as in `ozml check`: the
    # others still run, and the exit status is 2.
    unreadable: list[str] = []

    def fail(message: str) -> None:
        error(message)
        unreadable.append(message)

    files = discover_scenarios(
        paths, warning, respect_gitignore=args.respect_gitignore, fail=fail
    )
    selected = [path for path in files if chosen(_names(path))]
    deselected = len(files) - len(selected)
    if not selected and unreadable:
        return USAGE  # said already; "no scenario files" would be a second message
    if not selected and not args.allow_empty:
        where = " ".join(str(p) for p in paths)
        if files:
            return error(f"no scenario matches -k {args.keyword!r} ({deselected} deselected)")
        return error(
            f"no scenario files found in {where} (*.scenario.toml, or *.toml under a"
            " scenarios/ folder; --allow-empty to accept none)"
        )
    app: AppUnderTest | None = None
    if args.app is not None:
        try:
            app = open_app(args)
        except ValueError as problem:
            return error(str(problem))
    stdout = sys.stdout
    text_out: TextIO = stdout
    if args.format == "text" and args.output_file is not None:
        text_out = io.StringIO()
    show_text = args.format == "text" or args.output_file is not None
    text = TextReport(
        text_out if show_text else io.StringIO(), verbosity(args),
        color=text_out is stdout and color_wanted(args.color, stdout),
    )
    if app is not None and show_text and verbosity(args) >= 0:
        text_out.write(f"app: {app.url}\n")
    outcomes: list[Outcome] = []
    notes: list[str] = []
    try:
        for path in selected:
            text.begin(str(path))
            try:
                outcome = check_scenario(path, app=app, resolver=resolver, limits=engine_limits)
            except (AppUnreachable, ConfigError) as problem:
                # The application cannot be reached, or a script's configuration cannot be
                # read: no later scenario would fare better (`ozml check` stops so, exit 2).
                if verbosity(args) == 0:
                    text.stream.write("E\n")  # ends the progress line begun for it
                return error(str(problem))
            if args.update:
                outcome, note = _update(outcome, app)
                if note is not None:
                    notes.append(note)
            outcomes.append(outcome)
            text.end(outcome)
    finally:
        if app is not None:
            app.close()
    totals = Totals(outcomes, deselected, time.perf_counter() - started)
    text.finish(outcomes, totals, notes)
    if args.format == "text":
        report = text_out.getvalue() if isinstance(text_out, io.StringIO) else ""
    else:
        buffer = io.StringIO()
        writers = {"junit": write_junit, "json": write_json, "mermaid": write_mermaid}
        writers[args.format](buffer, outcomes, totals)
        report = buffer.getvalue()
    if report:
        failed_to_write = _emit(args, outcomes, report, stdout)
        if failed_to_write is not None:
            return failed_to_write
    if totals.counts[ERROR] or unreadable:
        return USAGE
    return FINDINGS if totals.counts[FAILED] else OK
