"""The interpreter: runs OzML for a call, with control flow in the engine and side effects in an
executor (the dry-run tracer, the HTTP executor, or your own).

It never imports the linter (an import-linter contract); `ozml run` lints before running.
"""

from ozml.interpreter.context import Call, Position, Value
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

__all__ = [
    "OK",
    "BaseExecutor",
    "Call",
    "Executor",
    "ExecutorError",
    "ExecutorSettings",
    "Notification",
    "Outcome",
    "Position",
    "Step",
    "Value",
    "create_executor",
    "executor_names",
    "handles",
    "refused",
    "register_executor",
]
