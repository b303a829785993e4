"""Putting the parts together for a dry run: a scenario, a program, a trace.

`run_scenario` wires the dry-run executor, the scenario's fetcher (or one that asks a running
application, `ozml.interpreter.app`), its caller (per-prompt DTMF entries or a timeline of keys
and hang-up), a virtual clock and the trace sinks into an engine and runs one program.
`ozml run --dry-run`, `ozml test` and `ozml test --app` all come through here, so a scenario
behaves the same in each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import attrs

from ozml.callmodel.timeline import Timeline
from ozml.catalog import Context
from ozml.files import read_file
from ozml.interpreter.clock import VirtualClock
from ozml.interpreter.dryrun import DryRunExecutor
from ozml.interpreter.engine import Engine, RunResult
from ozml.interpreter.fetch import Fetcher, Request, ScenarioFetcher
from ozml.interpreter.inputs import InputSource, ListInput, TimedInput
from ozml.interpreter.program import Program, compile_document
from ozml.interpreter.scenario import Scenario
from ozml.interpreter.trace import ListSink, TeeSink, TraceEvent, TraceSink
from ozml.parser import ParseResult, parse


@attrs.frozen
class DryRun:
    """What a dry run did: how it ended, every trace event, every URL it fetched."""

    result: RunResult
    events: tuple[TraceEvent, ...]
    requests: tuple[Request, ...]


def compile_source(data: bytes | str, name: str) -> tuple[ParseResult, Program]:
    """Parse and compile a document; the parse result keeps the parser's findings."""
    parsed = parse(data, name)
    return parsed, compile_document(parsed.document, name, parsed.source)


def load_program(path: Path, name: str | None = None) -> tuple[ParseResult, Program]:
    """Read, parse and compile a script file.

    The file is read as every file a user names is (`ozml.files.read_file`: a regular file of
    at most 10 MiB); `ozml.files.ReadError` says why it cannot be.
    """
    return compile_source(read_file(path), name or str(path))


def caller(scenario: Scenario) -> tuple[Timeline, InputSource]:
    """What the scenario's caller does: a fresh timeline (keys at times, the hang-up) and the
    input source menus ask (the timed keys, or the per-prompt entries)."""
    timeline = Timeline(scenario.keys, scenario.hangup)
    if scenario.timed:
        return timeline, TimedInput(timeline, scenario.when_done)
    return timeline, ListInput(scenario.inputs, scenario.when_done)


class RecordingFetcher(Fetcher, Protocol):
    """A fetcher that keeps every request it was asked for (`ScenarioFetcher`, and
    `ozml.interpreter.app.AppFetcher`: the scenario's answers, then a running application)."""

    requests: list[Request]


def run_scenario(
    scenario: Scenario,
    program: Program,
    sink: TraceSink | None = None,
    fetcher: RecordingFetcher | None = None,
) -> DryRun:
    """Dry-run `program` in the world `scenario` describes, tracing to `sink` as it goes.

    What the run fetches is answered by `fetcher`, by default the scenario's ``[urls]``
    (``ozml test --app`` passes one that asks the application for what they do not answer).
    """
    kept = ListSink()
    if fetcher is None:
        fetcher = ScenarioFetcher(scenario.urls)
    timeline, inputs = caller(scenario)
    engine = Engine(
        DryRunExecutor(scenario.dry_run),
        fetcher=fetcher,
        inputs=inputs,
        clock=VirtualClock(),
        sink=kept if sink is None else TeeSink(kept, sink),
        options=scenario.options,
        timeline=timeline,
        names=scenario.dry_run.names,
    )
    call = attrs.evolve(scenario.call, context=scenario.context or Context.ANY)
    result = engine.run(program, call, scenario.variables)
    return DryRun(result, tuple(kept.events), tuple(fetcher.requests))


__all__ = ["DryRun", "RecordingFetcher", "caller", "compile_source", "load_program", "run_scenario"]
