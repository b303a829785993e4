"""`ozml run SCRIPT`: run an OzML script, as a dry run (the default) or with a real executor.

The script is linted first, in its context and with its configuration (the nearest
``ozml.toml`` or ``pyproject.toml``; ``--config FILE`` or ``--isolated`` as for ``ozml check``):
a document with lint errors is refused, with the errors printed on standard error exactly as
``ozml check`` prints them, unless `--force` (`ozml.testing.gate`). Then:

* `--dry-run` (the default) traces every step with the dry-run executor; `--scenario FILE` says
  what the caller presses, how transfers and calls turn out and what each URL answers. The
  trace is printed as text, JSON lines (`--format json`) or as an `[expect]` section to paste
  into the scenario (`--format expect`).
* `--live` drives a real call through the PBX's HTTP API: it runs with the executor registered
  under the name in `LIVE_EXECUTOR` (see below); ``--config FILE`` is also where it reads the
  ``[api]`` table (as ``ozml api --config FILE``).
* `--executor NAME` runs with any registered executor (docs/executors.md).
* `--app URL` is a dry run whose OzML comes from a running web application: the call's first
  notification (IncomingCall) is POSTed to URL and its answer runs; what the scenario's `[urls]`
  does not answer is fetched from the application (docs/testing-apps.md). SCRIPT, when given,
  runs first instead. With `--format expect`, the application's URL is written `{app}`.

Every error is one line, ``ozml: error: ...`` (`ozml.cli.common.error`).

Exit codes: 0 the script ran to its end; 1 lint errors (without --force), or the run stopped
at the step limit, at a value size limit (`value-limit`) or on a failed fetch; 2 usage,
unreadable files, a bad scenario or configuration, an executor that is not available or cannot
go on.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import attrs

from ozml.catalog import Context
from ozml.cli.common import (
    add_color_option,
    add_config_options,
    cannot_read,
    color_wanted,
    config_choice,
    error,
    nonempty,
    one_of,
    path_argument,
    warning,
)
from ozml.cli.common import error as _fail  # the name used where `error` is a local
from ozml.cli.exits import FINDINGS, OK, USAGE
from ozml.testing.gate import Prepared, prepare

__all__ = [
    "HELP", "LIVE_EXECUTOR", "Prepared", "add_limit_options", "configure", "limits", "prepare",
    "run", "with_limits",
]

if TYPE_CHECKING:
    from ozml.config import Resolver
    from ozml.interpreter.engine import RunResult
    from ozml.interpreter.executor import Executor
    from ozml.interpreter.fetch import MapAnswers
    from ozml.interpreter.program import Program
    from ozml.interpreter.scenario import Scenario
    from ozml.interpreter.trace import TraceSink

HELP = "Run an OzML script: a traced dry run (default, with --scenario) or --live on a PBX."

#: The hook `--live` uses: the executor registered under this name. The HTTP executor provides
#: it (`ozml.interpreter.executor.BUILTIN_EXECUTORS` names its module lazily; an installed
#: entry point or `register_executor` with this name takes precedence). Until it is available
#: `--live` exits 2 with the registry's one-line reason. `--api-url` and `--call-id` reach the
#: executor's factory through `ExecutorSettings`.
LIVE_EXECUTOR = "http"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "script", metavar="SCRIPT", nargs="?",
        help="the OzML file to run (optional when the scenario names one with script = ...)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--dry-run", action="store_true",
        help="trace the run without a PBX; nothing is sent anywhere (the default)",
    )
    mode.add_argument(
        "--live", action="store_true",
        help=f"drive a real call through the PBX HTTP API (the {LIVE_EXECUTOR!r} executor)",
    )
    mode.add_argument(
        "--executor", metavar="NAME", type=nonempty,
        help="run with the executor registered under NAME",
    )
    parser.add_argument(
        "--scenario", metavar="FILE", type=path_argument,
        help="TOML scenario: input, outcomes, URL answers, call details (docs/dry-run.md)",
    )
    parser.add_argument(
        "--format", "--output-format", dest="format",
        **one_of(("text", "json", "expect", "mermaid")), default="text",
        help="trace as readable text, JSON lines, an [expect] section, or a Mermaid sequence"
        " diagram (default: text)",
    )
    parser.add_argument("--force", action="store_true", help="run even with lint errors")
    add_config_options(
        parser, what="the lint settings (and, for --live, the [api] table)"
    )
    add_color_option(parser)
    parser.add_argument(
        "--context", **one_of(c.value for c in Context),
        help="the notification the script answers (D4); default: the scenario's, else the"
        " document's inline comment, else any",
    )
    call = parser.add_argument_group("the call (override the scenario's [call])")
    call.add_argument("--call-id", metavar="ID", help="ID of the call (default call-1)")
    call.add_argument("--caller", metavar="NUMBER")
    call.add_argument("--callee", metavar="NUMBER")
    call.add_argument(
        "--notification", metavar="NAME", type=nonempty, help="default IncomingCall"
    )
    call.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE",
        help="a notification parameter (repeatable)",
    )
    call.add_argument(
        "--var", action="append", default=[], metavar="NAME=VALUE",
        help="a variable known before the script runs, e.g. --var username=Ann (repeatable)",
    )
    call.add_argument(
        "--dtmf", metavar="ENTRIES",
        help='what the caller does at each prompt, comma-separated: "1,timeout,*,hangup";'
        ' or keys at times: "1@3s,2@5.5s,hangup@12s"',
    )
    call.add_argument(
        "--hangup-at", metavar="TIME",
        help='when the caller hangs up, e.g. 12s or 1m30s (a dry run\'s virtual time)',
    )
    parser.add_argument(
        "--max-steps", type=int, metavar="N", help="stop after N steps (loop guard; default 10000)"
    )
    add_limit_options(parser)
    from ozml.cli.scenario_test import add_app_options

    add_app_options(parser)
    live = parser.add_argument_group("live runs")
    live.add_argument(
        "--api-url", metavar="URL", type=nonempty,
        help="the PBX HTTP API, e.g. http://pbx:9509/api",
    )
    live.add_argument(
        "--executor-option", action="append", default=[], metavar="KEY=VALUE",
        help="a setting for the chosen executor (repeatable)",
    )
    live.add_argument(
        "--no-validate", action="store_true",
        help="send each request even when it breaks the catalog's HTTP view (a missing"
        " mandatory parameter, an invalid value); the same as --executor-option validate=no",
    )


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    """`--max-value-bytes` and `--max-total-bytes`, shared with `ozml test`."""
    from ozml.limits import MAX_TOTAL_BYTES, MAX_VALUE_BYTES

    parser.add_argument(
        "--max-value-bytes", type=int, metavar="N",
        help="stop the run when one value (a variable, a substituted parameter) would pass N"
        f" bytes (default {MAX_VALUE_BYTES}: 1 MiB)",
    )
    parser.add_argument(
        "--max-total-bytes", type=int, metavar="N",
        help="stop the run when the values it builds would pass N bytes in all"
        f" (default {MAX_TOTAL_BYTES}: 16 MiB)",
    )


def limits(args: argparse.Namespace) -> dict[str, int]:
    """The command line's step and size limits (`EngineOptions` names); ValueError below 1."""
    found: dict[str, int] = {}
    for option, key in (
        ("--max-steps", "max_steps"),
        ("--max-value-bytes", "max_value_bytes"),
        ("--max-total-bytes", "max_total_bytes"),
    ):
        value = getattr(args, key, None)
        if value is None:
            continue
        if value < 1:
            raise ValueError(f"{option} must be at least 1, found {value}")
        found[key] = value
    return found


def with_limits(scenario: Scenario, args: argparse.Namespace) -> Scenario:
    """The scenario with the command line's step and size limits applied."""
    from ozml.interpreter.scenario import ScenarioError
    from ozml.testing.outcome import with_limits as applied

    try:
        return applied(scenario, limits(args))
    except ValueError as problem:
        raise ScenarioError(str(problem)) from None


def _pairs(values: Sequence[str], option: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"{option} expects NAME=VALUE, found {item!r}")
        found[name.strip()] = value
    return found


def _print_findings(ready: Prepared, args: argparse.Namespace) -> None:
    """The gate's findings on standard error, in ``ozml check``'s text format."""
    from ozml.testing.gate import lint_text

    shown = lint_text(ready, color=color_wanted(getattr(args, "color", None), sys.stderr))
    if shown:
        sys.stderr.write(shown)
        sys.stderr.flush()


def _resolver(args: argparse.Namespace) -> Resolver:
    """The configuration the script is linted with (``--config``, ``--isolated``)."""
    from ozml.config import Resolver

    config_file, isolated = config_choice(args)
    return Resolver(isolated=isolated, warn=warning, config_file=config_file)


def _scenario(args: argparse.Namespace) -> Scenario:
    """The scenario file, or an empty one, with the command line's overrides applied."""
    from ozml.callmodel.timing import parse_duration
    from ozml.interpreter.scenario import (
        Scenario,
        ScenarioError,
        command_line_input,
        load_scenario,
    )

    if args.scenario is not None:
        scenario = load_scenario(args.scenario)
    else:
        scenario = Scenario(path=Path("<command line>"), script=None)
    try:
        params = _pairs(args.param, "--param")
        variables = _pairs(args.var, "--var")
    except ValueError as error:
        raise ScenarioError(str(error)) from None
    call = scenario.call
    call = attrs.evolve(
        call,
        call_id=args.call_id or call.call_id,
        caller=args.caller if args.caller is not None else call.caller,
        callee=args.callee if args.callee is not None else call.callee,
        notification=args.notification or call.notification,
        params={**call.params, **params},
    )
    changes: dict[str, object] = {"call": call}
    if variables:
        changes["variables"] = {**scenario.variables, **variables}
    try:
        if args.dtmf is not None:
            changes.update(command_line_input(args.dtmf))
        if args.hangup_at is not None:
            changes["hangup"] = parse_duration(args.hangup_at)
    except ValueError as error:
        message = str(error)
        if args.hangup_at is not None and not message.startswith("--dtmf"):
            message = f"--hangup-at: {message}"
        raise ScenarioError(message) from None
    return with_limits(attrs.evolve(scenario, **changes), args)  # type: ignore[arg-type]


def _exit_code(result: RunResult) -> int:
    from ozml.interpreter.engine import ERROR, VALUE_LIMIT

    for call in result.calls:
        if call.ending == VALUE_LIMIT:
            # The trace says it too; stderr makes it plain whatever the trace format.
            error(call.detail)
    if any(call.ending == ERROR for call in result.calls):
        return USAGE
    return OK if result.ok else FINDINGS


def _summary(result: RunResult) -> str:
    detail = f" ({result.detail})" if result.detail else ""
    calls = f", {len(result.calls)} calls" if len(result.calls) > 1 else ""
    return (
        f"ended: {result.ending}{detail} at {result.time:g}s after {result.steps} steps{calls}"
    )


def run(args: argparse.Namespace) -> int:
    from ozml.config import ConfigError
    from ozml.files import STDIN
    from ozml.interpreter.scenario import ScenarioError

    if args.script == STDIN:
        # A script is linted with the configuration of its folder, whose URL map answers its
        # fetches: standard input has no folder (`ozml check -` asks --stdin-filename for one).
        return _fail(
            "ozml run reads a script file; - (standard input) is not supported"
            " (./- names a file called -)"
        )
    try:
        resolver = _resolver(args)
        scenario = _scenario(args)
    except (ScenarioError, ConfigError) as problem:
        return _fail(str(problem))
    script = Path(args.script) if args.script else scenario.script
    if args.app is not None:
        if args.live or args.executor not in (None, "dry-run"):
            return _fail("--app is a dry run against your application: not with --live or"
                         " --executor")
        return _app_run(args, attrs.evolve(scenario, script=script), resolver)
    if script is None:
        return _fail("no SCRIPT given (name one, or a scenario with script = \"FILE\")")
    from ozml.files import ReadError, read_file
    from ozml.testing.gate import settings_for

    try:
        settings = settings_for(resolver, str(script))
    except ConfigError as problem:
        return _fail(str(problem))
    try:
        # The configuration's size limit, as `ozml check` reads the script with.
        data = read_file(script, settings.max_bytes)
    except ReadError as problem:
        return cannot_read(script, problem)
    explicit = Context.parse(args.context) if args.context else scenario.context
    ready = prepare(data, str(script), explicit, args.force or scenario.force, settings)
    _print_findings(ready, args)
    if ready.program is None:
        return _fail(ready.refusal or "cannot run", FINDINGS)
    if ready.errors:
        count = len(ready.errors)
        warning(f"running {script} despite {count} lint error(s) (--force)")
    scenario = attrs.evolve(scenario, context=ready.context)
    program = ready.program
    name = LIVE_EXECUTOR if args.live else args.executor
    if name is None or name == "dry-run":
        if args.no_validate:
            return _fail("--no-validate is for runs that send requests (--live)")
        if args.executor_option:
            return _fail("--executor-option is for runs with an executor (--live, --executor)")
        from ozml.testing.outcome import answers_of

        try:
            answers = answers_of(resolver, str(script))
        except ScenarioError as problem:
            return _fail(str(problem))
        return _dry_run(args, scenario, program, answers)
    return _run_with(name, args, scenario, program)


def _sink(args: argparse.Namespace, out: TextIO) -> TraceSink | None:
    """The sink of the trace format `--format` names (None: `expect`, written at the end)."""
    from ozml.interpreter.mermaid import MermaidSink
    from ozml.interpreter.trace import JsonLinesSink, TextSink

    if args.format == "json":
        return JsonLinesSink(out)
    if args.format == "mermaid":
        return MermaidSink(out)
    if args.format == "text":
        return TextSink(out)
    return None


def _dry_run(
    args: argparse.Namespace, scenario: Scenario, program: Program, answers: MapAnswers | None
) -> int:
    """The dry run: the scenario's answers, then the URL map's (`answers`)."""
    from ozml.interpreter.expect import expect_section
    from ozml.testing.outcome import run_mapped

    out = sys.stdout
    if args.format == "expect":
        done = run_mapped(scenario, program, None, answers)
        out.write(expect_section(done.events, done.result))
        return _exit_code(done.result)
    done = run_mapped(scenario, program, _sink(args, out), answers)
    if args.format == "text":
        out.write(_summary(done.result) + "\n")
    return _exit_code(done.result)


def _app_run(args: argparse.Namespace, scenario: Scenario, resolver: Resolver) -> int:
    from ozml.cli.scenario_test import open_app
    from ozml.interpreter.app import AppUnreachable, for_app
    from ozml.interpreter.expect import expect_section
    from ozml.interpreter.scenario import ScenarioError
    from ozml.testing.outcome import run_one

    if scenario.script is not None:
        from ozml.files import ReadError, readable

        try:
            readable(scenario.script)
        except ReadError as problem:
            return cannot_read(scenario.script, problem)
    try:
        app = open_app(args)
    except ValueError as problem:
        return _fail(str(problem))
    if args.context:
        scenario = attrs.evolve(scenario, context=Context.parse(args.context))
    scenario = attrs.evolve(for_app(scenario, app.url), force=args.force or scenario.force)
    out = sys.stdout
    sink = _sink(args, out)
    try:
        done = run_one(
            scenario, app, sink, resolver,
            color=color_wanted(getattr(args, "color", None), sys.stderr), summary=True,
        )
    except (AppUnreachable, ScenarioError) as problem:
        return _fail(str(problem))
    finally:
        app.close()
    if isinstance(done, list):
        # The gate's findings (ozml check's format), then why the answer was refused.
        *findings, refusal = done
        for shown in findings:
            sys.stderr.write(shown + "\n")
        return _fail(refusal, FINDINGS)
    if args.format == "expect":
        out.write(expect_section(done.events, done.result).replace(app.url.rstrip("/"), "{app}"))
    elif args.format == "text":
        out.write(_summary(done.result) + "\n")
    return _exit_code(done.result)


def _run_with(name: str, args: argparse.Namespace, scenario: Scenario, program: Program) -> int:
    from ozml.interpreter.clock import RealClock
    from ozml.interpreter.engine import Engine
    from ozml.interpreter.executor import (
        ExecutorError,
        ExecutorSettings,
        UnknownExecutor,
        create_executor,
    )
    from ozml.interpreter.fetch import ScenarioFetcher
    from ozml.interpreter.inputs import ListInput
    from ozml.interpreter.trace import JsonLinesSink, TextSink

    if args.format in ("expect", "mermaid"):
        return _fail(f"--format {args.format} is for dry runs")
    try:
        options = _pairs(args.executor_option, "--executor-option")
    except ValueError as problem:
        return _fail(str(problem))
    if args.no_validate:
        options["validate"] = "no"
    config_file, isolated = config_choice(args)
    if config_file is not None:
        options.setdefault("config", str(config_file))
    if isolated:
        options.setdefault("isolated", "yes")
    call = attrs.evolve(scenario.call, context=scenario.context or Context.ANY)
    settings = ExecutorSettings(
        call=call,
        api_url=args.api_url,
        scenario=args.scenario,
        options=options,
    )
    try:
        executor: Executor = create_executor(name, settings)
    except (UnknownExecutor, ExecutorError, ValueError) as problem:
        return _fail(f"cannot use the {name!r} executor: {problem}")
    sink = JsonLinesSink(sys.stdout) if args.format == "json" else TextSink(sys.stdout)
    engine = Engine(
        executor,
        fetcher=executor.fetcher() or ScenarioFetcher(scenario.urls),
        inputs=executor.input_source() or ListInput(scenario.inputs, scenario.when_done),
        clock=RealClock(),
        sink=sink,
        options=scenario.options,
    )
    result = engine.run(program, call, scenario.variables)
    if args.format == "text":
        sys.stdout.write(_summary(result) + "\n")
    if result.ending == "error":
        error(result.detail)
    return _exit_code(result)
