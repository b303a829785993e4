"""One scenario, from its file to its outcome: passed, failed, error or skipped.

`check_scenario` reads the scenario file, applies the command line's limits, lints the script
(`ozml.testing.gate`), dry-runs it (`ozml.interpreter.runner`) and compares the run with the
``[expect]`` section (`ozml.interpreter.expect`). Every way it can go is an `Outcome`; only an
application that gives no answer at all (`AppUnreachable`) is raised, since no other scenario
could run either.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ozml.config import Resolver
    from ozml.interpreter.app import AppFetcher
    from ozml.interpreter.fetch import MapAnswers
    from ozml.interpreter.program import Program
    from ozml.interpreter.runner import DryRun
    from ozml.interpreter.scenario import Scenario
    from ozml.interpreter.trace import TraceSink

PASSED = "passed"
FAILED = "failed"
ERROR = "error"
SKIPPED = "skipped"
#: A scenario whose ``[expect]`` section ``--update`` rewrote.
UPDATED = "updated"
STATUSES = (PASSED, FAILED, ERROR, SKIPPED, UPDATED)

#: Why a scenario without ``script`` is skipped when no application is tested.
NEEDS_APP = "no script: a scenario for a running application (run it with --app URL)"


@attrs.frozen
class Outcome:
    """How one scenario went."""

    path: Path
    status: str
    #: Why it failed (each message may span lines: the trace diff), why it could not run
    #: (one message), or why it was skipped; empty when it passed.
    problems: tuple[str, ...] = ()
    #: Wall-clock seconds the scenario took (reading, lint, run, comparison).
    seconds: float = 0.0
    scenario: Scenario | None = None
    run: DryRun | None = None
    #: The comparison failed (the run itself went through the gate): ``--update`` may fix it.
    updatable: bool = False

    @property
    def description(self) -> str:
        return self.scenario.description if self.scenario is not None else ""

    @property
    def label(self) -> str:
        """``path (description)``, as the reports name a scenario."""
        return f"{self.path}" + (f" ({self.description})" if self.description else "")

    @property
    def names(self) -> tuple[str, ...]:
        """What ``-k`` matches against: the path as given, the file name, the description."""
        return (self.path.as_posix(), self.path.name, self.description)


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

    def close(self) -> None:
        self.http.close()


def _script(scenario: Scenario, resolver: Resolver | None) -> tuple[bytes, str]:
    """The script's bytes, read with the size limit of its configuration (as `ozml check`
    reads it)."""
    from ozml.files import ReadError, read_file, unreadable
    from ozml.interpreter.scenario import ScenarioError
    from ozml.testing.gate import settings_for

    script = scenario.script
    assert script is not None
    try:
        return read_file(script, settings_for(resolver, str(script)).max_bytes), str(script)
    except ReadError as error:
        raise ScenarioError(f"{scenario.path}: script: {unreadable(script, error)}") from None


def run_one(
    scenario: Scenario,
    app: AppUnderTest | None,
    sink: TraceSink | None = None,
    resolver: Resolver | None = None,
    *,
    color: bool = False,
    summary: bool = False,
) -> DryRun | list[str]:
    """The run of the scenario (traced to `sink` as it goes), or why its script or the
    application's first answer was refused (the gate's findings in ``ozml check``'s format,
    coloured with `color`, with its summary line with `summary`; then the refusal).

    Raises ScenarioError for a scenario that cannot run, `AppUnreachable` when the
    application gives no HTTP answer to the first notification."""
    from ozml.catalog import Context
    from ozml.interpreter.app import compile_answer, failed_opening, ring
    from ozml.interpreter.runner import run_scenario
    from ozml.interpreter.scenario import ScenarioError
    from ozml.testing.gate import lint_text, prepare, settings_for

    fetcher = None if app is None else app.fetcher(scenario)
    if scenario.script is not None or app is None or fetcher is None:
        data, name = _script(scenario, resolver)
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
    ready = prepare(
        data, name, scenario.context, scenario.force, settings_for(resolver, name)
    )
    if ready.program is None:
        refusal = ready.refusal or "cannot run"
        if ready.errors:
            refusal += " (or set force = true in the scenario)"
        shown = lint_text(ready, color=color, summary=summary).rstrip("\n")
        return [shown, refusal] if shown else [refusal]
    scenario = attrs.evolve(scenario, context=ready.context)
    if fetcher is not None:
        return run_scenario(scenario, ready.program, sink, fetcher=fetcher)
    return run_mapped(scenario, ready.program, sink, answers_of(resolver, name))


def answers_of(resolver: Resolver | None, script: str) -> MapAnswers | None:
    """The URL map of the configuration the script is linted with (``--config``,
    ``--isolated``, else its nearest), as a dry run's answers; None without one.
    ScenarioError for a map that cannot be used."""
    from ozml.interpreter.fetch import map_answers
    from ozml.interpreter.scenario import ScenarioError
    from ozml.project.urlmap import UrlMapError

    if resolver is None or "://" in script:
        return None
    config = resolver.config_for(script)
    try:
        return map_answers(config)
    except UrlMapError as error:  # a configuration is checked when loaded: not expected
        label = config.label if config is not None else "the configuration"
        raise ScenarioError(f"{label}: urls {error.key!r}: {error.message}") from None


def run_mapped(
    scenario: Scenario,
    program: Program,
    sink: TraceSink | None,
    answers: MapAnswers | None,
) -> DryRun:
    """A dry run answered by the scenario's ``[urls]``, then by `answers` (the URL map), whose
    events say where each answer came from when there is a map."""
    from ozml.interpreter.fetch import OriginSink, ScenarioFetcher, with_origins
    from ozml.interpreter.runner import run_scenario

    fetcher = ScenarioFetcher(scenario.urls, answers)
    if answers is None:
        return run_scenario(scenario, program, sink, fetcher=fetcher)
    shown = None if sink is None else OriginSink(sink, fetcher)
    done = run_scenario(scenario, program, shown, fetcher=fetcher)
    return attrs.evolve(done, events=with_origins(done.events, fetcher))


def description_of(path: Path) -> str:
    """A scenario file's ``description`` for choosing it (``-k``), without running it; "" when
    the file cannot be read (read as every file ozml is named: a regular file of at most
    10 MiB), is not TOML or has none. Running the scenario says what is wrong with it."""
    from ozml.dataformats import load_toml
    from ozml.files import ReadError, read_file

    try:
        found = load_toml(read_file(path).decode("utf-8")).get("description", "")
    except (ReadError, ValueError):  # DataError and UnicodeDecodeError are ValueErrors
        return ""
    return found if isinstance(found, str) else ""


def with_limits(scenario: Scenario, limits: Mapping[str, int]) -> Scenario:
    """The scenario with the command line's `EngineOptions` (``max_steps``,
    ``max_value_bytes``, ``max_total_bytes``) on top of its own."""
    if not limits:
        return scenario
    changes: dict[str, Any] = dict(limits)
    return attrs.evolve(scenario, options=attrs.evolve(scenario.options, **changes))


def check_scenario(
    path: Path,
    *,
    app: AppUnderTest | None = None,
    resolver: Resolver | None = None,
    limits: Mapping[str, int] | None = None,
    sink: TraceSink | None = None,
) -> Outcome:
    """Read, lint, run and compare the scenario at `path`."""
    from ozml.interpreter.app import for_app
    from ozml.interpreter.expect import compare
    from ozml.interpreter.scenario import ScenarioError, load_scenario

    started = time.perf_counter()

    def took() -> float:
        return time.perf_counter() - started

    scenario: Scenario | None = None
    try:
        scenario = with_limits(load_scenario(path), limits or {})
        if app is not None:
            scenario = for_app(scenario, app.url)
        elif scenario.script is None:
            return Outcome(path, SKIPPED, (NEEDS_APP,), took(), scenario)
        done = run_one(scenario, app, sink, resolver)
    except ScenarioError as error:
        return Outcome(path, ERROR, (str(error),), took(), scenario)
    if isinstance(done, list):
        return Outcome(path, FAILED, tuple(done), took(), scenario)
    problems = compare(scenario.expect, done.events, done.result)
    if scenario.expect.end is None and not done.result.ok:
        problems.insert(0, f"the run ended with {done.result.ending!r}: {done.result.detail}")
    status = FAILED if problems else PASSED
    return Outcome(
        path, status, tuple(problems), took(), scenario, done, updatable=bool(problems)
    )


__all__ = [
    "ERROR",
    "FAILED",
    "NEEDS_APP",
    "PASSED",
    "SKIPPED",
    "STATUSES",
    "UPDATED",
    "AppUnderTest",
    "Outcome",
    "answers_of",
    "check_scenario",
    "description_of",
    "run_mapped",
    "run_one",
    "with_limits",
]
