"""Executors: what carries out a script's side effects, behind one small protocol.

The engine owns control flow (sequence, menus, loops, variables, GoTo, the end of the script);
every command that does something to a call or to the world (Speak, Play, BlindTransfer, Hangup,
SendSms, ...) becomes a `Step` handed to an executor, which answers with an `Outcome`. The dry-run
tracer decides outcomes from a scenario; the HTTP executor sends the step to a live PBX; users
write their own (docs/executors.md).

Writing one: subclass `BaseExecutor` and mark one method per command with `@handles`::

    class Printer(BaseExecutor):
        name = "printer"

        @handles("Speak")
        def speak(self, step: Step) -> Outcome:
            print(step.params["Text"])
            return Outcome()

The dispatch table (canonical command name → handler) is built once per class, when the class
is created; a misspelt command name in `@handles` fails right there. Commands an executor does
not handle are refused with the reason in `refusals` (or a generic one): the refusal is an
outcome in the trace, never an exception.

Register an executor by name with `register_executor`, or from another package through the
entry-point group `ozml.executors` (the entry point names a factory: any callable taking
`ExecutorSettings` and returning an executor, e.g. the class itself).
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, Protocol, TypeVar, runtime_checkable

import attrs

from ozml.catalog import COMMANDS
from ozml.interpreter.context import Call, Position, Value
from ozml.interpreter.fetch import Fetcher
from ozml.interpreter.inputs import InputSource
from ozml.nodes import Element

#: The entry-point group third-party executors are published under.
ENTRY_POINT_GROUP = "ozml.executors"

_CANONICAL = frozenset(cmd.name for cmd in COMMANDS)


@attrs.frozen
class Notification:
    """A request the PBX would now send to the application (e.g. CallConnected to Call's Url).

    A dry run has no PBX, so the executor that simulates one reports the notifications it would
    send; the engine then fetches the URL and runs the OzML it answers for `call`. Executors
    that drive a real PBX report none: the PBX sends them itself.
    """

    url: str
    name: str
    call: Call
    form: Mapping[str, str] = attrs.field(factory=dict)
    #: The call model's key for it (`ozml.callmodel.KINDS`), "" when not given.
    kind: str = ""
    #: When it is sent on the run's clock; None: when the step that caused it ends.
    at: float | None = None
    #: What the trace says is assumed about it ("" when nothing is).
    assumed: str = ""
    #: Whether the PBX runs the OzML it answers (a missing answer is then a failed fetch);
    #: False for requests whose answer is optional (ErrorUrl, FinishedUrl, ResultUrl, ...).
    runs_answer: bool = True
    #: OzML the PBX runs on `call` instead of requesting `url` (Call's ResponseOzML when it
    #: has no Url, Gen-B [hu7632]); None: request the URL.
    ozml: str | None = None
    #: What becomes of `call` when no answer can be run (`runs_answer` only): what the trace
    #: adds to the failed request ("" when nothing: the call goes on as planned). When set,
    #: the call ends there: its later notifications are dropped and `on_failure` are sent.
    failing: str = ""
    #: The notifications the call's end then causes (Error to Call's ErrorUrl, ...).
    on_failure: tuple[Notification, ...] = ()
    #: For a notification whose answer runs on a call that another party can end (a placed
    #: call's CallConnected): seconds after `at` at which that party hangs up (None: never).
    lasts: float | None = None
    #: What the trace says of `lasts` where it is assumed ("" when it is not).
    lasts_note: str = ""
    #: What the end of the call the answer runs on causes (Finished to FinishedUrl, its
    #: CallChanged to Completed): sent when that call ends, whichever comes first: its
    #: script's Hangup, the end of its OzML (D9), or the other party hanging up (`lasts`);
    #: their `at` is when the other party would hang up, and a ``Duration`` field is set to
    #: how long the call was up.
    ends: tuple[Notification, ...] = ()
    #: Why an answer to it is fetched but not run ("" : it runs), said on its trace line: a
    #: notification about a call that has ended (Finished) has no call left to run it on.
    not_run: str = ""


@attrs.frozen
class Outcome:
    """What happened when an executor carried out a step.

    `ok` is what control flow reads: a BlindTransfer that is not ok continues with the next
    command (D9); a Request runs OnSetup when ok, OnError when not. `result` is the one-word
    summary shown in traces and compared by scenario tests (ok, answered, busy, no-answer,
    transferred, failed, refused, ...); `detail` is free text for people. `duration` is how many
    seconds of call time the command took (a dry run's clock advances by it; a live run's clock
    ignores it, since the time has really passed). `variables` are defined for the rest of the
    call (the alarm fields of ReceiveAlarmNotification, for instance). `data` carries anything
    else worth showing, such as the PBX's result code. A `duration` of ``math.inf`` lasts until
    something ends it (a key, the caller hanging up): a repeating Play, a Record without limits.
    """

    ok: bool = True
    result: str = "ok"
    detail: str = ""
    duration: float = 0.0
    variables: Mapping[str, Value] = attrs.field(factory=dict)
    notifications: tuple[Notification, ...] = ()
    data: Mapping[str, str] = attrs.field(factory=dict)
    #: Keys that end the step early when the caller presses one (Record's FinishDigits).
    finish_keys: str = ""
    #: Whether the trace shows when the step ended (a recording), not only when it started.
    show_end: bool = False


#: The shared outcome of a command that simply worked and took no time.
OK = Outcome()


def refused(reason: str) -> Outcome:
    """The outcome of a command an executor does not carry out."""
    return Outcome(ok=False, result="refused", detail=reason)


class Step(NamedTuple):
    """One side-effect command, resolved and with its variables substituted.

    `command` is the canonical catalog name whatever the document wrote (``speak``, ``Forward``
    and ``ForwardCall`` all arrive as their catalog name); `params` maps canonical parameter
    names to final values, the text-content parameter included (``<Speak>Hi</Speak>`` arrives as
    ``{"Text": "Hi"}``); treat it as read-only, the engine may share it between steps.
    `implicit` marks the Hangup the engine issues itself when an extension script reaches its
    end (D9). `element` is the element as written, for executors that need more than the
    parameters (a Request's handlers, for instance). A Step is immutable (a named tuple: cheap
    to make, since the engine makes one per command).
    """

    command: str
    params: Mapping[str, str]
    call: Call
    position: Position
    element: Element | None = None
    time: float = 0.0
    implicit: bool = False


class ExecutorError(Exception):
    """The executor cannot go on at all (e.g. the PBX refused the connection).

    A command the PBX merely rejects is an Outcome with ok=False; this exception stops the run,
    and `ozml run` reports its message in one line (exit code 2).
    """


@runtime_checkable
class Executor(Protocol):
    """What the engine needs from an executor. `BaseExecutor` implements all of it."""

    @property
    def name(self) -> str:
        """A short name for messages (e.g. "dry-run", "http")."""
        ...

    def execute(self, step: Step) -> Outcome:
        """Carry out one step. Never raises for a command it does not know: refuse it."""
        ...

    def handles(self, command: str) -> bool:
        """Whether `command` (canonical name) has a handler."""
        ...

    def refusal(self, command: str) -> str | None:
        """The documented reason this executor refuses `command`, or None when it handles it."""
        ...

    def start_call(self, call: Call) -> None:
        """A script starts running for `call` (once per document run, GoTo targets included)."""
        ...

    def end_call(self, call: Call, ending: str) -> None:
        """The script for `call` has ended; `ending` is how (hangup, exit, end-of-script, ...)."""
        ...

    def fetcher(self) -> Fetcher | None:
        """The fetcher this executor brings (a live executor fetches over HTTP), if any."""
        ...

    def input_source(self) -> InputSource | None:
        """Where this executor's DTMF input comes from, if it brings its own."""
        ...


Handler = Callable[[Any, Step], Outcome]
H = TypeVar("H", bound=Callable[..., Outcome])

_MARK = "__ozml_handles__"


def handles(*commands: str) -> Callable[[H], H]:
    """Mark an executor method as the handler of these canonical command names."""
    if not commands:
        raise TypeError("@handles needs at least one command name")

    def mark(function: H) -> H:
        setattr(function, _MARK, commands)
        return function

    return mark


class BaseExecutor:
    """An executor whose dispatch table is built from its `@handles` methods, once per class.

    Subclasses set `name`, mark handler methods with `@handles("Command", ...)`, and may list
    commands they deliberately do not carry out in `refusals` (command → the reason users see).
    A subclass's handler for a command replaces the one it inherits.
    """

    name: ClassVar[str] = ""
    refusals: ClassVar[Mapping[str, str]] = {}
    #: Whether the executor carries out a step as a PBX runs a script's OzML in the call's
    #: context (a dry run, the simulator): a parameter that context ignores (Hangup's CallId
    #: in an extension script, `ozml.catalog.contextual.ignored`) is then left out of its steps,
    #: and the trace says so. False for one that sends each step as an HTTP API request
    #: (`ozml.api.executor.HttpExecutor`), where the PBX takes every parameter. An executor
    #: that does not derive from this class is taken to run OzML.
    runs_ozml: ClassVar[bool] = True
    #: Canonical command name → handler function (unbound), built in `__init_subclass__`.
    dispatch: ClassVar[Mapping[str, Handler]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        table: dict[str, Handler] = {}
        # Walk from the most basic class down, so that a subclass's handler wins.
        for klass in reversed(cls.__mro__):
            for attribute in vars(klass).values():
                names = getattr(attribute, _MARK, None)
                if names is None:
                    continue
                for command in names:
                    if command not in _CANONICAL:
                        raise TypeError(
                            f"{cls.__name__}: @handles({command!r}) names no OzML command"
                            " (use the canonical catalog name, e.g. 'Speak')"
                        )
                    table[command] = attribute
        unknown = sorted(set(cls.refusals) - _CANONICAL)
        if unknown:
            raise TypeError(f"{cls.__name__}: refusals name no OzML command: {', '.join(unknown)}")
        cls.dispatch = table

    def execute(self, step: Step) -> Outcome:
        handler = self.dispatch.get(step.command)
        if handler is None:
            return refused(self.refusal(step.command) or "")
        return handler(self, step)

    def handles(self, command: str) -> bool:
        return command in self.dispatch

    def refusal(self, command: str) -> str | None:
        if command in self.dispatch:
            return None
        reason = self.refusals.get(command)
        if reason is not None:
            return reason
        label = self.name or type(self).__name__
        return f"the {label} executor does not carry out {command}"

    def start_call(self, call: Call) -> None:
        return None

    def end_call(self, call: Call, ending: str) -> None:
        return None

    def fetcher(self) -> Fetcher | None:
        return None

    def input_source(self) -> InputSource | None:
        return None


@attrs.frozen
class ExecutorSettings:
    """What `ozml run` tells an executor factory.

    `options` holds the ``--executor-option KEY=VALUE`` pairs of the command line, for settings
    only a particular executor understands. Credentials never pass through here (D5): an
    executor that needs them reads its own configuration.
    """

    call: Call = attrs.field(factory=Call)
    api_url: str | None = None
    scenario: Path | None = None
    options: Mapping[str, str] = attrs.field(factory=dict)


ExecutorFactory = Callable[[ExecutorSettings], Executor]

#: The executors ozml ships, named lazily ("module:attribute") so that looking one up does not
#: import the others (the HTTP executor needs httpx, an optional extra). The HTTP executor's
#: module provides `from_settings(settings) -> Executor`; `ozml run --live` looks it up by the
#: name "http" (see ozml/cli/run.py).
BUILTIN_EXECUTORS: Mapping[str, str] = {
    "dry-run": "ozml.interpreter.dryrun:from_settings",
    "http": "ozml.api.executor:from_settings",
}

_REGISTERED: dict[str, ExecutorFactory] = {}


class UnknownExecutor(LookupError):
    """No usable executor under the name; the message says why in one line."""


def register_executor(name: str, factory: ExecutorFactory) -> None:
    """Make an executor available by name for this process (it wins over any other source)."""
    if not name or name != name.strip():
        raise ValueError(f"bad executor name {name!r}")
    _REGISTERED[name] = factory


def unregister_executor(name: str) -> None:
    _REGISTERED.pop(name, None)


def _entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def executor_names() -> list[str]:
    """Every executor name: registered ones, installed entry points and the built-in ones."""
    return sorted(set(_REGISTERED) | set(_entry_points()) | set(BUILTIN_EXECUTORS))


def _load(name: str, reference: str) -> ExecutorFactory:
    module_name, _, attribute = reference.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is not None and module_name.startswith(error.name):
            raise UnknownExecutor(
                f"the {name!r} executor is not available in this installation"
                f" ({module_name} is missing)"
            ) from None
        hint = " (pip install 'ozml[http]')" if error.name == "httpx" else ""
        raise UnknownExecutor(
            f"the {name!r} executor needs {error.name}, which is not installed{hint}"
        ) from None
    factory = getattr(module, attribute, None)
    if factory is None or not callable(factory):
        raise UnknownExecutor(f"{reference} is not an executor factory")
    return factory  # type: ignore[no-any-return]


def executor_factory(name: str) -> ExecutorFactory:
    """The factory for `name`: registered first, then entry points, then the built-in ones.

    Raises UnknownExecutor with a one-line message when the name is unknown or its module is
    missing (e.g. the HTTP executor without the `http` extra).
    """
    registered = _REGISTERED.get(name)
    if registered is not None:
        return registered
    entry = _entry_points().get(name)
    if entry is not None:
        try:
            loaded = entry.load()
        except ImportError as error:
            raise UnknownExecutor(
                f"the {name!r} executor ({entry.value}) cannot be loaded: {error}"
            ) from None
        if not callable(loaded):
            raise UnknownExecutor(f"entry point {name!r} ({entry.value}) is not callable")
        return loaded  # type: ignore[no-any-return]
    reference = BUILTIN_EXECUTORS.get(name)
    if reference is None:
        known = ", ".join(executor_names())
        raise UnknownExecutor(f"no executor named {name!r} (known: {known})")
    return _load(name, reference)


def create_executor(name: str, settings: ExecutorSettings) -> Executor:
    """Build the executor registered under `name` for one run."""
    return executor_factory(name)(settings)


__all__ = [
    "BUILTIN_EXECUTORS",
    "ENTRY_POINT_GROUP",
    "OK",
    "BaseExecutor",
    "Executor",
    "ExecutorError",
    "ExecutorFactory",
    "ExecutorSettings",
    "Handler",
    "Notification",
    "Outcome",
    "Step",
    "UnknownExecutor",
    "create_executor",
    "executor_factory",
    "executor_names",
    "handles",
    "refused",
    "register_executor",
    "unregister_executor",
]
