"""The interpreter: runs OzML for a call, with control flow in the engine and side effects in an
executor (the dry-run tracer, the HTTP executor, or your own).

A dry run of a document, traced as golden lines::

    >>> from ozml.interpreter import Engine, compile_source
    >>> from ozml.interpreter.dryrun import DryRunExecutor
    >>> from ozml.interpreter.trace import ListSink
    >>> _, program = compile_source(
    ...     '<Response><Var id="who">Ann</Var><Speak>Hello $who</Speak><Delay>2</Delay>'
    ...     '<BlindTransfer>102</BlindTransfer><Speak>Sorry</Speak></Response>', "hello.xml")
    >>> sink = ListSink()
    >>> result = Engine(DryRunExecutor(), sink=sink).run(program)
    >>> for event in sink.events:
    ...     print(event.golden())
    0s Var Id="who" Value="Ann" -> ok
    0s Speak Text="Hello Ann" -> ok
    0.8s Delay Time="2" -> ok
    2.8s BlindTransfer Target="102" -> transferred
    2.8s end -> transferred

Speak takes 0.4 s a word, Delay its seconds (docs/dry-run.md#time: every duration is an
assumption, and a setting).

It never imports the linter (an import-linter contract); `ozml run` lints before running.
Semantics: docs/interpreter.md; scenarios and traces: docs/dry-run.md; executors:
docs/executors.md.
"""

from ozml.interpreter.context import Call, Position, Value
from ozml.interpreter.engine import Engine, EngineOptions, RunResult
from ozml.interpreter.executor import (
    OK,
    BaseExecutor,
    Executor,
    ExecutorError,
    ExecutorSettings,
    Notification,
    Outcome,
    Step,
    create_executor,
    executor_names,
    handles,
    refused,
    register_executor,
)
from ozml.interpreter.runner import DryRun, compile_source, load_program, run_scenario
from ozml.interpreter.scenario import Scenario, ScenarioError, load_scenario

__all__ = [
    "OK",
    "BaseExecutor",
    "Call",
    "DryRun",
    "Engine",
    "EngineOptions",
    "Executor",
    "ExecutorError",
    "ExecutorSettings",
    "Notification",
    "Outcome",
    "Position",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "Step",
    "Value",
    "compile_source",
    "create_executor",
    "executor_names",
    "handles",
    "load_program",
    "load_scenario",
    "refused",
    "register_executor",
    "run_scenario",
]
