"""The engine: runs a compiled OzML program for a call; owns all control flow.

Control flow is the engine's: the sequence of commands, Var/Array/ForEach, UserInput menus,
GoTo and ForwardToURL fetches, Delay, Exit, and what Hangup, Reject and BlindTransfer mean for
the rest of the script. Side effects are the executor's (`ozml.interpreter.executor`). Every
step becomes a trace event. The semantics, including every assumption made where the vendor
documentation is silent, are written down in docs/interpreter.md; the comments here say why.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from functools import partial

import attrs

from ozml import xmlspace
from ozml.callmodel.notifications import NotificationNames, build_form
from ozml.callmodel.readings import MenuKeys, menu_keys, read_flag, read_given
from ozml.callmodel.readings import catalog_param as _param
from ozml.callmodel.timeline import Timeline
from ozml.callmodel.timing import read_seconds as _seconds
from ozml.callmodel.timing import unread_seconds as _unread_seconds
from ozml.catalog import RECEIVED_VARIABLES, Context, Param, values
from ozml.catalog.values import VARIABLE, variable_key
from ozml.flow.control import BACK_OR_BRANCH, ends_script, names_other_call
from ozml.interpreter.clock import Clock, VirtualClock
from ozml.interpreter.context import Call, Position, Value, Variables
from ozml.interpreter.executor import (
    BaseExecutor,
    Executor,
    ExecutorError,
    Notification,
    Outcome,
    Step,
)
from ozml.interpreter.fetch import Fetcher, FetchError, NoFetcher
from ozml.interpreter.inputs import Entry, InputSource, ListInput, Prompt
from ozml.interpreter.program import (
    Kind,
    Op,
    Program,
    compile_document,
    elsewhere,
    no_ozml_root,
    unheard,
)
from ozml.interpreter.spans import BARGE_IN, ENDLESS, FINISH_KEY, Span, span
from ozml.interpreter.spans import HANGUP as CUT_BY_HANGUP
from ozml.interpreter.substitute import Rendered, Template, ValueTooLarge
from ozml.interpreter.trace import (
    END,
    FETCH,
    INPUT,
    NOTIFY,
    NullSink,
    TraceEvent,
    TraceSink,
    format_time,
)
from ozml.limits import MAX_TOTAL_BYTES, MAX_VALUE_BYTES, describe_size, utf8_size
from ozml.parser import parse

# How a call's script ended (RunResult.ending, the `end` event's result).
END_OF_SCRIPT = "end-of-script"
HANGUP = "hangup"
EXIT = "exit"
REJECT = "reject"
TRANSFERRED = "transferred"
ROUTED = "routed"
CALLER_HANGUP = "caller-hangup"
FETCH_FAILED = "fetch-failed"
STEP_LIMIT = "step-limit"
VALUE_LIMIT = "value-limit"
ERROR = "error"

#: Endings after which the PBX hangs up an extension call itself (D9: reaching the end of the
#: script hangs up; Exit and a failed fetch end the script the same way).
_ENDS_SCRIPT = frozenset({END_OF_SCRIPT, EXIT, FETCH_FAILED})
#: Contexts in which the end of the script hangs up: D9 is stated for API-extension calls only;
#: under 3PCC and routing the call goes on, and under `any` it is not known which applies.
_HANGS_UP_AT_END = frozenset({Context.EXTENSION})
#: Endings that mean the run itself went wrong (`ozml run` exits 1 or 2).
FAILED_ENDINGS = frozenset({FETCH_FAILED, STEP_LIMIT, VALUE_LIMIT, ERROR})
#: Endings after which no further call of the run is played.
_STOPS_RUN = frozenset({STEP_LIMIT, VALUE_LIMIT, ERROR})
#: When the answer to a notification about a call runs, if it falls due while the call's own
#: script is still up (RecordCompleted after a voicemail Record): "before-hangup" runs it on the
#: call when the script ends, before the end-of-script hangup (D9); "after-script" hangs up
#: first and runs it afterwards. The vendor does not say (spec §5.1, §7.12): both are assumed.
BEFORE_HANGUP = "before-hangup"
AFTER_SCRIPT = "after-script"
NOTIFICATION_ANSWERS = (BEFORE_HANGUP, AFTER_SCRIPT)
#: What follows a matched Input's commands when they run out (spec §7.32 says only that the
#: block "runs"; assumed): "continue" after the menu, "end" the script, "repeat" the menu.
AFTER_INPUT = ("continue", "end", "repeat")
#: What happens to keys beyond the menu's Digits/MaxDigits (not stated; assumed): "drop"
#: them, or "keep" them for the next menu.
EXTRA_KEYS = ("drop", "keep")
#: What follows a transfer that succeeded (spec §7.1, §7.2 say who leaves the call, not what
#: the rest of the script does; assumed): "end" the script, or "continue" with the next command.
AFTER_TRANSFER = ("end", "continue")
#: Which is tried first when the keys entered are both the menu's BackKey and an Input's key
#: (spec §7.32 says what each does, not which wins; assumed, `BACK_OR_BRANCH`): "first"
#: BackKey, "last" the Inputs (BackKey then acts only when no Input has the keys).
BACK_KEY = ("first", "last")
#: What the trace says where a menu goes on after it (or starts again) for want of input or
#: of a matching Input, where the vendor says what Repeat does after a timeout and nothing more
#: (spec §7.32): the repeat is stated, the rest assumed.
_AFTER_TIMEOUT = (
    "continuing after the menu (assumed: the vendor does not say what a timeout does without"
    " Repeat)"
)
_REPEAT_AGAIN = (
    "repeating the menu again (assumed: the vendor does not say how often Repeat repeats)"
)
_NO_MATCH = (
    "the keys match no Input and there is no ForwardToURL: {}, assumed (the vendor does not say)"
)
#: What the trace says of a menu that waits 0 s (spec §7.32: Timeout's default 0 is the older
#: page's; whether 0 means "do not wait" or "wait for ever" is not stated).
_NO_WAIT = "Timeout {}: no wait, assumed"


def _menu_default(name: str) -> Param:
    """The catalog's UserInput parameter `name`, whose default a menu falls back on."""
    param = _param("UserInput", name)
    assert param is not None, name  # the catalog holds them
    assert param.default is not None, name
    return param


def _not_given(param: Param) -> str:
    """What the trace says of a parameter not given: its default and the default's basis in
    the catalog (`Param.defaulted`): ``not given (1, the default)`` where the vendor states
    it, ``not given (0, an assumed default)`` where the catalog only assumes it (its why is
    on the command's page and in ``ozml command``)."""
    if param.defaulted.stated:
        return f"not given ({param.default}, the default)"
    return f"not given ({param.default}, an assumed default)"


#: The defaults a menu falls back on (spec §7.32), read from the catalog once.
_TIMEOUT_PARAM = _menu_default("Timeout")
_DEFAULT_SECONDS = float(_TIMEOUT_PARAM.default or 0)
_DEFAULT_TIMEOUT = _not_given(_TIMEOUT_PARAM)
#: Whether the wait of a Timeout not given is assumed (the vendor does not state its default).
_TIMEOUT_ASSUMED = not _TIMEOUT_PARAM.defaulted.stated
#: What the trace says of a ForEach whose Source names no array (spec §7.25 says only that
#: ForEach loops over an array's items).
_NO_LOOP = ": the loop is skipped (assumed: the vendor does not say)"
#: What the trace says of a matched Input whose commands may run out (spec §7.32 says only
#: that the block runs), for each `after_input`.
_AFTER_INPUT_NOTE = {
    "continue": "when its commands run out, the script goes on after the menu",
    "end": "when its commands run out, the script ends",
    "repeat": "when its commands run out, the menu starts again",
}
#: The transfers whose success the script may go on after, and the setting that says so.
_GOES_ON = {"BlindTransfer": "blind_transfer", "AttendedTransfer": "attended_transfer"}
#: What the trace says of a Reject that is not the document's first command (spec §2, §7.28:
#: the vendor states what it does there only).
_REJECT_LATER = " (assumed: the vendor states what Reject does as the first command only)"
#: What the trace says of the handler a Request runs (spec §7.13, §2: OnSetup and OnError are
#: seen, the full list is UNKNOWN, and which outcome runs which is not stated).
_HANDLER_RUNS = " (assumed: the vendor shows OnSetup and OnError, not when each runs)"
#: The parameters that name a variable rather than use one: a reference in them is no value
#: left as written.
_NAMES_A_VARIABLE = {"Var": "Id", "Array": "Id", "ForEach": "Source"}
#: The variables a PBX sets inside Received (spec §7.39), by `variable_key`.
_ALARM_FIELDS = frozenset(variable_key(name) for name in RECEIVED_VARIABLES)
#: The most references left as written that one trace line names.
_NAMED = 5
#: How much of a value written in the document a `value-limit` trace line shows.
_SHOWN = 80

# What a block of instructions tells its caller.
_CONTINUE = 0
_END = 1  # the call's script has ended
_JUMP = 2  # continue with another program (GoTo, ForwardToURL)
_BACK = 3  # BackKey: return to the enclosing menu
_BARGE = 4  # a key during a menu's prompts: the menu stops them and takes the key


@attrs.frozen
class EngineOptions:
    """Choices the vendor documentation leaves open (docs/interpreter.md), and the loop guard.

    `max_steps` bounds a run (all its calls together): GoTo can loop for ever, and a menu with
    Repeat="true" repeats as long as input keeps coming. `fetch_failure` says what a failed
    GoTo or ForwardToURL fetch does: "hangup" ends the script (as the PBX does when Call's Url
    cannot be downloaded), "continue" goes on with the next command. `keep_variables` keeps the
    call's variables across GoTo and ForwardToURL (the scope is UNKNOWN in the spec).

    `max_value_bytes` bounds every value the run builds or keeps (a substituted parameter or
    text, a Var, an Array item, a variable an executor or the scenario supplies), in UTF-8
    bytes; `max_total_bytes` bounds all the bytes the run builds by substitution together, plus
    the variables it is given. Passing either stops the run with `value-limit`. They are
    ozml's own guards against runaway expansion, not limits the vendor documents.

    `notification_answers` says when the answer to a notification about a call that fell due
    while the call was up (RecordCompleted) runs: "before-hangup" (the default) on the call,
    when its script ends, instead of the end-of-script hangup; "after-script" once the call was
    hung up. Both are assumptions (docs/interpreter.md, Notifications).

    The vendor is silent on these too (docs/interpreter.md, Menus and the command table), so
    each is a choice with ozml's reading as its default: `after_input` ("continue", "end",
    "repeat") is what follows a matched Input's commands; `extra_keys` ("drop", "keep") is what
    becomes of keys beyond Digits/MaxDigits; `blind_transfer` ("end", "continue") and
    `attended_transfer` ("continue", "end") are what follows a transfer that succeeded;
    `back_key` ("first", "last") is whether BackKey or an Input with the same key is tried
    first.
    """

    max_steps: int = 10_000
    fetch_failure: str = attrs.field(
        default="hangup", validator=attrs.validators.in_(("hangup", "continue"))
    )
    keep_variables: bool = True
    max_value_bytes: int = attrs.field(
        default=MAX_VALUE_BYTES, validator=attrs.validators.ge(1)
    )
    max_total_bytes: int = attrs.field(
        default=MAX_TOTAL_BYTES, validator=attrs.validators.ge(1)
    )
    notification_answers: str = attrs.field(
        default=BEFORE_HANGUP, validator=attrs.validators.in_(NOTIFICATION_ANSWERS)
    )
    after_input: str = attrs.field(
        default="continue", validator=attrs.validators.in_(AFTER_INPUT)
    )
    extra_keys: str = attrs.field(default="drop", validator=attrs.validators.in_(EXTRA_KEYS))
    blind_transfer: str = attrs.field(
        default="end", validator=attrs.validators.in_(AFTER_TRANSFER)
    )
    attended_transfer: str = attrs.field(
        default="continue", validator=attrs.validators.in_(AFTER_TRANSFER)
    )
    back_key: str = attrs.field(default="first", validator=attrs.validators.in_(BACK_KEY))


@attrs.frozen
class CallResult:
    """How the script of one call ended."""

    call_id: str
    ending: str
    detail: str


@attrs.frozen
class RunResult:
    """How a run ended: the first call's ending, plus every call it led to."""

    ending: str
    detail: str
    time: float
    steps: int
    calls: tuple[CallResult, ...]

    @property
    def ok(self) -> bool:
        return all(call.ending not in FAILED_ENDINGS for call in self.calls)


class _Abort(Exception):
    """Stops the whole run: the step limit, or an executor that cannot go on."""

    def __init__(self, ending: str, detail: str) -> None:
        super().__init__(detail)
        self.ending = ending
        self.detail = detail


class _State:
    """One call's script while it runs."""

    __slots__ = (
        "call", "detail", "early", "ending", "first", "hangup", "hung_up", "kept", "menus", "next",
        "position", "prompting", "stop", "timeline", "unset", "vars",
    )

    def __init__(
        self,
        call: Call,
        variables: dict[str, Value],
        timeline: Timeline | None = None,
        hung_up: str = "",
    ) -> None:
        self.call = call
        #: The caller's timed keys and hang-up (the scenario's call, and the other party of a
        #: placed call, who hangs up when the talk time is over).
        self.timeline = timeline
        #: When the caller hangs up (infinity: never), checked before every instruction.
        self.hangup = (
            timeline.hangup if timeline is not None and timeline.hangup is not None else _NEVER
        )
        #: What the trace says when the other party hangs up.
        self.hung_up = hung_up or _CALLER_HUNG_UP
        #: What the trace says of a key pressed before the running menu began, kept for it
        #: (assumed), until the line it decides says so ("" : none).
        self.early = ""
        #: How many menus' prompts are playing (a key then interrupts them).
        self.prompting = 0
        #: The signal a step that was cut short leaves for its block (_BARGE, _END), else 0.
        self.stop = 0
        #: Names compared ignoring letter case, as the linter compares them (assumed).
        self.vars = Variables(variables)
        self.ending: str | None = None
        self.detail = ""
        self.position: Position | None = None
        self.next: Program | None = None
        #: The first command of the document running (a Reject is documented only there).
        self.first: Op | None = None
        #: How many menus' Input blocks are running (BackKey returns to the parent only if > 0).
        self.menus = 0
        #: Keys beyond a menu's Digits kept for the next menu (extra_keys = "keep").
        self.kept = ""
        #: The alarm fields the running Received has no value for (`variable_key`s): they
        #: exist on a PBX (spec §7.39), the run was not given them (`_left_as_written`).
        self.unset: frozenset[str] = frozenset()

    def hangup_said(self) -> str:
        """What an ``input -> hangup`` line says of the hang-up at `hangup`: the caller's as
        an input entry says it (`Entry.describe`), the other party's as `hung_up` does."""
        return _HUNG_UP.describe() if self.hung_up == _CALLER_HUNG_UP else self.hung_up

    def end(self, ending: str, detail: str, position: Position) -> int:
        self.ending = ending
        self.detail = detail
        self.position = position
        self.stop = _END
        return _END


_NEVER = float("inf")
_HUNG_UP = Entry(hangup=True)
#: How a `ScenarioFetcher` says the scenario has no answer for a URL.
_NO_ANSWER = "the scenario has no answer for "
#: What the trace says of an answer run before the end-of-script hangup.
_BEFORE_HANGUP_NOTE = (
    "the call is still up: its answer runs before the end-of-script hangup"
    " (notification_answers = before-hangup, assumed)"
)
_CALLER_HUNG_UP = "the caller hung up"
#: What the trace says when the other party of a placed call hangs up (its talk time is over).
_OTHER_PARTY_HUNG_UP = "the called party hung up: the call is over"
_HANGUP_DETAIL = {
    CUT_BY_HANGUP: _CALLER_HUNG_UP,
    ENDLESS: "nothing in the scenario ends this step (no key, hang-up or limit): the caller is"
    " taken to hang up",
}


def _written(op: Op) -> dict[str, str]:
    """An instruction's parameters as the document writes them, long values shortened."""
    shown: dict[str, str] = {}
    for name, value in op.params:
        text = value if isinstance(value, str) else value.source
        shown[name] = text if len(text) <= _SHOWN else text[:_SHOWN] + "..."
    return shown


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."


def _limit(size: int) -> str:
    """A limit for messages: ``1 MiB``, ``1,000 bytes``."""
    return describe_size(size) if size % 1024 == 0 else f"{size:,} bytes"


def _value_size(value: Value, limit: int) -> int:
    """The UTF-8 bytes of a variable's value (text, list or item with properties), counted
    without recursion; `ValueTooLarge` when one text in it passes `limit`."""
    size = 0
    stack: list[Value] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            length = utf8_size(item)
            if length > limit:
                raise ValueTooLarge(length, limit)
            size += length
        elif isinstance(item, Mapping):
            for key, inner in item.items():
                size += utf8_size(key)
                stack.append(inner)
        else:
            stack.extend(item)
    return size


def _bound_handlers(executor: Executor) -> dict[str, Callable[[Step], Outcome]]:
    """The executor's handlers bound once, so a step costs one call instead of two.

    Only for a `BaseExecutor` that keeps the base class's `execute`: an executor with its own
    `execute` (one that logs every step, say) always goes through it.
    """
    if not isinstance(executor, BaseExecutor) or type(executor).execute is not BaseExecutor.execute:
        return {}
    return {name: partial(handler, executor) for name, handler in executor.dispatch.items()}


class Engine:
    """Runs programs for calls with one executor, fetcher, input source, clock and trace sink."""

    def __init__(
        self,
        executor: Executor,
        *,
        fetcher: Fetcher | None = None,
        inputs: InputSource | None = None,
        clock: Clock | None = None,
        sink: TraceSink | None = None,
        options: EngineOptions | None = None,
        max_value_bytes: int | None = None,
        max_total_bytes: int | None = None,
        timeline: Timeline | None = None,
        names: NotificationNames | None = None,
    ) -> None:
        """`max_value_bytes` and `max_total_bytes`, when given, override `options`.

        `timeline` holds what the caller of the run's first call does at times (keys, hanging
        up: `ozml.callmodel.timeline`); `names` the NotificationName of each notification the
        engine sends itself (GoTo, DtmfEntered).
        """
        self.executor = executor
        #: Whether the context of a call decides which parameters its steps keep
        #: (`BaseExecutor.runs_ozml`).
        self._by_context: bool = getattr(executor, "runs_ozml", True)
        self.timeline = timeline
        self.names = names or NotificationNames()
        self.fetcher = fetcher or executor.fetcher() or NoFetcher()
        self.inputs = inputs or executor.input_source() or ListInput([])
        self.clock = clock or VirtualClock()
        self.sink = sink or NullSink()
        options = options or EngineOptions()
        if max_value_bytes is not None:
            options = attrs.evolve(options, max_value_bytes=max_value_bytes)
        if max_total_bytes is not None:
            options = attrs.evolve(options, max_total_bytes=max_total_bytes)
        self.options = options
        self.steps = 0
        #: Bytes the current run has built by substitution or been given as variables.
        self.spent = 0
        self._value_limit = options.max_value_bytes
        self._total_limit = options.max_total_bytes
        self._handlers = _bound_handlers(executor)
        #: Whether a rendering left a reference as written since a trace line last looked.
        self._left = False
        #: What a matched Input's line says of what follows its commands.
        after = options.after_input
        self._after_input = f"{_AFTER_INPUT_NOTE[after]} (after_input = {after}, assumed)"
        #: What the trace says of a transfer the script goes on after, by (command, whether
        #: it succeeded): a success as the setting says; ForwardCall's either way, as spec
        #: §7.4 says it diverts a ringing call, not what the script does next; a failed
        #: AttendedTransfer's, as the vendor's only word on a failure that the script goes on
        #: is BlindTransfer's example (D9).
        self._goes_on: dict[tuple[str, bool], str] = {
            (name, True): f"the script goes on ({setting} = continue, assumed)"
            for name, setting in _GOES_ON.items()
            if getattr(options, setting) == "continue"
        }
        for name, ok in (("ForwardCall", True), ("ForwardCall", False),
                         ("AttendedTransfer", False)):  # fmt: skip
            self._goes_on[name, ok] = "the script goes on (assumed: the vendor does not say)"
        self._cache: dict[tuple[str, bytes], Program] = {}
        #: Notifications still to send: (time, order caused, notification), a heap.
        self._pending: list[tuple[float, int, Notification]] = []
        #: Calls that ended before what they had queued was sent (`Notification.failing`):
        #: call ID → the last notification (by order caused) dropped, skipped when it is due.
        self._dropped: dict[str, int] = {}
        #: The queued notifications whose answer runs on their call, by call ID, so that a
        #: call's end looks at its own (`_answer_before_hangup`), not at the whole queue.
        self._answers: dict[str, list[tuple[float, int, Notification]]] = {}
        #: Queued notifications already sent out of turn (by order caused), skipped when due.
        self._taken: set[int] = set()
        #: The calls an answer runs on whose end causes notifications (a placed call's
        #: Finished), by call ID: the notification that started the answer (`Notification.ends`).
        self._ends: dict[str, Notification] = {}
        self._caused = 0
        #: The run's calls in the order they started (a slot is filled when the call ends).
        self._results: list[CallResult | None] = []
        #: Whether a call ended in a way that stops the whole run (`_STOPS_RUN`).
        self._halted = False
        #: The variables the run was given (every notification call starts with them).
        self._initial: dict[str, Value] = {}
        self._flow = {
            Kind.VAR: self._var,
            Kind.ARRAY: self._array,
            Kind.FOREACH: self._foreach,
            Kind.USERINPUT: self._menu,
            Kind.GOTO: self._goto,
            Kind.DELAY: self._delay,
            Kind.EXIT: self._exit,
            Kind.HANGUP: self._hangup,
            Kind.REJECT: self._reject,
            Kind.TRANSFER: self._transfer,
            Kind.ROUTE: self._route,
            Kind.REQUEST: self._request,
            Kind.ALARM: self._alarm,
            Kind.HTTP_ONLY: self._skip,
            Kind.UNKNOWN: self._skip,
            Kind.MISPLACED: self._skip,
        }

    # -- running ---------------------------------------------------------------------------

    def run(
        self,
        program: Program,
        call: Call | None = None,
        variables: Mapping[str, Value] | None = None,
    ) -> RunResult:
        """Run `program` for `call`, then every notification call it leads to."""
        call = call or Call()
        initial = dict(variables or {})
        self.steps = 0
        self.spent = 0
        self._pending = []
        self._dropped = {}
        self._answers = {}
        self._taken = set()
        self._ends = {}
        self._caused = 0
        self._results = []
        self._halted = False
        self._initial = initial
        first = self._run_call(program, call, dict(initial), given=True, timeline=self.timeline)
        # Notification calls run after the call that caused them, in the order of their time
        # (then of their cause): a real PBX sends them asynchronously; a trace needs one
        # deterministic order. (One due while its call is still up may run before the call's
        # end-of-script hangup instead: `_finish`.)
        while self._pending and not self._stopped():
            entry = heapq.heappop(self._pending)
            _, caused, notification = entry
            if notification.runs_answer:
                self._unindex(entry)
            if caused in self._taken:
                self._taken.discard(caused)
                continue  # sent already, before its call's end-of-script hangup
            if self._dropped.get(notification.call.call_id, 0) >= caused:
                continue  # its call ended before it was sent
            self._notify(notification)
        results = tuple(result for result in self._results if result is not None)
        return RunResult(first.ending, first.detail, self.clock.now(), self.steps, results)

    def _stopped(self) -> bool:
        """Whether a call's ending stopped the run (kept as the calls end, so that asking
        costs the same however many calls ran)."""
        return self._halted

    def run_source(
        self,
        data: bytes | str,
        name: str,
        call: Call | None = None,
        variables: Mapping[str, Value] | None = None,
    ) -> RunResult:
        """Parse, compile and run a document (no lint: `ozml run` lints before it runs)."""
        parsed = parse(data, name)
        program = compile_document(parsed.document, name, parsed.source)
        return self.run(program, call, variables)

    def _run_call(
        self,
        program: Program,
        call: Call,
        variables: dict[str, Value],
        given: bool = False,
        timeline: Timeline | None = None,
        hung_up: str = "",
    ) -> CallResult:
        """Run one call's script; `given` marks the variables the run was given, counted once;
        `hung_up` is what the trace says when the other party hangs up (`_State.hung_up`)."""
        slot = len(self._results)
        self._results.append(None)
        state = _State(call, variables, timeline, hung_up)
        initial = dict(variables)
        try:
            try:
                self.executor.start_call(call)
            except ExecutorError as error:
                raise _Abort(ERROR, str(error)) from None
            if given:
                self._take(variables)
            while True:
                state.first = program.ops[0] if program.ops else None
                signal = self._block(program.ops, state, 0)
                if signal != _JUMP or state.next is None:
                    break
                program, state.next = state.next, None
                if not self.options.keep_variables:
                    state.vars = Variables(initial)
                else:
                    # What the document before defined lives on (assumed): a read says so.
                    state.vars.carried = {
                        variable_key(name) for name, value in state.vars.items()
                        if initial.get(name) is not value
                    }
        except _Abort as abort:
            state.ending, state.detail = abort.ending, abort.detail
            state.position = Position(program.name)
        except ValueTooLarge as error:
            detail = self._too_large(f"{error.what} (given before the run)", error)
            state.end(VALUE_LIMIT, detail, Position(program.name))
        if state.ending is None:
            state.end(END_OF_SCRIPT, "no more commands", Position(program.name))
        answer: tuple[Notification, Program] | None = None
        sent: list[TraceEvent] = []
        if (
            state.ending in _ENDS_SCRIPT
            and call.context in _HANGS_UP_AT_END
            and self.options.notification_answers == BEFORE_HANGUP
            and not self._stopped()
        ):
            answer = self._answer_before_hangup(call, sent)
        result = self._finish(state, answer[0] if answer is not None else None)
        if answer is None:
            self._call_ended(call)
        self._results[slot] = result
        self._halted = self._halted or result.ending in _STOPS_RUN
        # The notifications are traced after the end of the script they let go on (or not).
        for event in sent:
            self.sink.emit(event)
        if answer is not None:
            # The call is still up: the answer runs on it (with the caller's timeline), and
            # its own end hangs the call up (D9) unless it ends the call otherwise.
            notification, found = answer
            self._run_call(
                found, notification.call, dict(self._initial), timeline=state.timeline,
                hung_up=state.hung_up,
            )
        return result

    def _call_ended(self, call: Call) -> None:
        """The call a notification's answer ran on has ended, now or when its other party hung
        up (`Notification.lasts`), whichever came first: send what its end causes
        (`Notification.ends`) at that time, with how long the call was up."""
        started = self._ends.pop(call.call_id, None)
        if started is None:
            return
        answered = started.at or 0.0
        planned = answered + started.lasts if started.lasts is not None else _NEVER
        now = self.clock.now()
        by_party = planned <= now
        ended = planned if by_party else now
        up = f"{round(max(ended - answered, 0.0), 6):g}"
        timed = []
        for caused in started.ends:
            form = caused.form
            assumed = caused.assumed
            if "Duration" in form:
                form = {**form, "Duration": up}
                if by_party:
                    assumed = _join(assumed, started.lasts_note)
            timed.append(attrs.evolve(caused, at=ended, form=form, assumed=assumed))
        self._queue(timed)

    def _answer_before_hangup(
        self, call: Call, sent: list[TraceEvent]
    ) -> tuple[Notification, Program] | None:
        """The answer to the first notification about `call` that fell due while its script
        ran (RecordCompleted), fetched now, before the end-of-script hangup; None when there is
        none or no answer came (the call is then hung up as usual). The notifications sent
        are added to `sent` (traced after the script's end); those whose fetch failed are
        dropped, the later ones stay queued."""
        now = self.clock.now()
        queued = self._answers.get(call.call_id)
        if not queued:
            return None
        due = sorted(entry for entry in queued if entry[0] <= now and entry[1] not in self._taken)
        for entry in due:
            self._taken.add(entry[1])  # left in the queue, skipped when it falls due
            notification = entry[2]
            found, event = self._deliver(notification, _BEFORE_HANGUP_NOTE)
            sent.append(event)
            if found is not None:
                return notification, found
        return None

    def _finish(self, state: _State, answered: Notification | None = None) -> CallResult:
        """End the call's script: the end-of-script hangup (D9), unless the answer to
        `answered` runs on the call first (it is then the answer's end that hangs up)."""
        call = state.call
        ending = state.ending or END_OF_SCRIPT
        detail = state.detail
        position = state.position or Position("")
        if answered is not None:
            note = f"the call stays up for the answer to {answered.name} (assumed)"
            detail = f"{detail}; {note}" if detail else note
        elif ending in _ENDS_SCRIPT and call.context in _HANGS_UP_AT_END:
            # D9: the PBX hangs up an extension call whose script ends; an executor driving a
            # real call must do the same, so it gets the Hangup the PBX would have done.
            step = Step("Hangup", {}, call, position, None, self.clock.now(), implicit=True)
            try:
                done = self.executor.execute(step)
            except ExecutorError as error:
                ending, detail = ERROR, str(error)
            else:
                # An executor that left the call up (``hangup-at-end=no``), or whose Hangup
                # failed (the PBX answered an error), says so instead.
                if done.ok and done.result != "skipped":
                    said = "the call is hung up (D9)" if detail else "call hung up (D9)"
                else:
                    said = f"not hung up: {done.detail}" if done.detail else "not hung up"
                detail = f"{detail}; {said}" if detail else said
        try:
            self.executor.end_call(call, ending)
        except ExecutorError as error:
            ending, detail = ERROR, str(error)
        self.sink.emit(
            TraceEvent(self.clock.now(), call.call_id, position, END, {}, ending, detail, 0)
        )
        return CallResult(call.call_id, ending, detail)

    def _block(self, ops: Sequence[Op], state: _State, depth: int) -> int:
        flow = self._flow
        limit = self.options.max_steps
        for op in ops:
            if state.hangup <= self.clock.now():
                return self._hung_up(op, state, depth)
            self.steps += 1
            if self.steps > limit:
                raise _Abort(
                    STEP_LIMIT,
                    f"stopped after {limit:,} steps (a GoTo loop or an endless menu?);"
                    " raise the limit with max_steps",
                )
            try:
                if op.kind is Kind.EFFECT:
                    outcome = self._step(op, state, depth)
                    if state.stop:
                        return state.stop
                    if (
                        op.name == "AttendedTransfer"
                        and outcome.ok
                        and self.options.attended_transfer == "end"
                    ):
                        return state.end(
                            TRANSFERRED,
                            "the call was transferred; the script ends"
                            " (attended_transfer = end, assumed)",
                            op.position,
                        )
                    continue
                signal = flow[op.kind](op, state, depth)
                if state.vars.folded:
                    state.vars.folded.clear()  # only a step's line says so
            except ValueTooLarge as error:
                return self._stop(op, state, depth, error)
            if signal:
                return signal
        return _CONTINUE

    # -- values and their limits -----------------------------------------------------------

    def _params(self, op: Op, variables: Mapping[str, Value]) -> dict[str, str]:
        static = op.static
        if static is not None:
            return static
        render = self._render
        return {k: v if isinstance(v, str) else render(v, variables, k) for k, v in op.params}

    def _render(self, template: Template, variables: Mapping[str, Value], what: str) -> str:
        """Substitute `template`, counting its bytes against both limits as it is built."""
        value_limit = self._value_limit
        if template.shares:
            # The result is a string that exists already: only the limit on one value applies.
            text, _ = template.render_sized(variables, value_limit)
        else:
            left = self._total_limit - self.spent
            try:
                text, size = template.render_sized(variables, min(value_limit, left))
            except ValueTooLarge as error:
                error.what, error.total = what, error.size <= value_limit
                raise
            self.spent += size
        if type(text) is Rendered:
            self._left = True  # the next trace line looks for what it left as written
        return text

    def _value(self, value: str | Template | None, variables: Mapping[str, Value], what: str
               ) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return self._render(value, variables, what)

    def _defined(self, value: str, what: str) -> str:
        """A value a Var or an Array item defines as written: it costs the document's memory
        only, but is a variable's value, so the limit on one value applies."""
        if len(value) > self._value_limit // 4:
            size = utf8_size(value)
            if size > self._value_limit:
                raise ValueTooLarge(size, self._value_limit, what)
        return value

    def _take(self, variables: Mapping[str, Value]) -> None:
        """Count variables given to the run (by the scenario, or an executor's outcome)."""
        left = self._total_limit - self.spent
        for name, value in variables.items():
            try:
                size = _value_size(value, self._value_limit)
            except ValueTooLarge as error:
                error.what = f"${name}"
                raise
            self.spent += size
            if size > left:
                over = ValueTooLarge(self.spent, self._total_limit, f"${name}")
                over.total = True
                raise over
            left -= size

    def _too_large(self, subject: str, error: ValueTooLarge) -> str:
        if error.total:
            limit = self._total_limit
            return (
                f"{subject}: the run would build more than {_limit(limit)} of values in all"
                f" (max_total_bytes = {limit:,}, ozml's own limit); the run stops"
            )
        verb = "is" if error.what.startswith("$") else "expands to"
        limit = self._value_limit
        return (
            f"{subject} {verb} more than {_limit(limit)} (max_value_bytes = {limit:,}, ozml's own"
            " limit); the run stops"
        )

    def _stop(self, op: Op, state: _State, depth: int, error: ValueTooLarge) -> int:
        """End the run at `op`, whose value passed a limit, naming the value and the limit."""
        what = error.what
        if op.kind in (Kind.VAR, Kind.ARRAY):
            name = op.param("Id")
            written = name if isinstance(name, str) else name.source if name else "?"
            subject = f"{op.name} {xmlspace.strip(written)}"
            if what.startswith("Item"):
                subject += f" {what}"
        elif what.startswith("$"):
            subject = f"{what} from {op.name}"
        else:
            subject = f"{op.name} {what}" if what else op.name
        detail = self._too_large(subject, error)
        self._event(state, op, _written(op), VALUE_LIMIT, detail, depth)
        return state.end(VALUE_LIMIT, detail, op.position)

    # -- executor steps --------------------------------------------------------------------

    def _step(self, op: Op, state: _State, depth: int) -> Outcome:
        """Hand one command to the executor, account for its time, trace it."""
        static = op.static
        params: Mapping[str, str] = static if static is not None else self._params(op, state.vars)
        call = state.call
        # What the call's context makes of the command (`elsewhere`) and its parameters
        # (`unheard`); nothing for an executor that does not run OzML (`_context`).
        in_context = ""
        if op.documented_in is not None:
            context = self._context(call)
            in_context = elsewhere(op, context)
            if op.contextual:
                params, ignored = unheard(op, params, context)
                in_context = _join(in_context, ignored)
        if state.vars.folded:
            in_context = _join(in_context, _folded(state.vars))
        started = self.clock.now()
        step = Step(op.name, params, call, op.position, op.element, started)
        try:
            handler = self._handlers.get(op.name)
            outcome = handler(step) if handler is not None else self.executor.execute(step)
        except ExecutorError as error:
            self._event(state, op, params, ERROR, str(error), depth, started)
            said = str(error)
            # The client names the command of a transport error itself ("Speak: ...").
            prefix = f"{op.name}: "
            raise _Abort(ERROR, said if said.startswith(prefix) else prefix + said) from None
        if outcome.duration or state.hangup != _NEVER:
            return self._lasting(op, state, depth, step, outcome, in_context)
        if outcome.variables:
            self._take(outcome.variables)
            state.vars.update(outcome.variables)
        if outcome.notifications:
            self._queue(self._timed(outcome.notifications, started))
        self.sink.emit(
            TraceEvent(
                started, call.call_id, op.position, op.name, params, outcome.result,
                self._detail(op, state, params, outcome, in_context=in_context)
                if op.ignored or in_context or self._left
                or (op.name, outcome.ok) in self._goes_on or op.name == "Request"
                else outcome.detail,
                depth,
            )
        )
        return outcome

    def _detail(
        self,
        op: Op,
        state: _State,
        params: Mapping[str, str],
        outcome: Outcome,
        cut: str = "",
        in_context: str = "",
    ) -> str:
        """What the trace says of a step: the executor's detail, then what the engine assumes
        of it (a transfer the script goes on after, the handler a Request runs unless `cut`
        ends the step, text it ignores), what the call's context makes of the command
        (`in_context`), and the references it left as written."""
        detail = outcome.detail
        goes_on = self._goes_on.get((op.name, outcome.ok))
        if goes_on and (outcome.ok or not cut):  # a failure, not a call the caller ended
            detail = _join(detail, goes_on)
        if op.name == "Request" and cut in ("", FINISH_KEY):
            handler, ops = ("OnSetup", op.body) if outcome.ok else ("OnError", op.alt)
            runs = f"{handler} runs" if ops else f"no {handler}: the script goes on"
            detail = _join(detail, runs + _HANDLER_RUNS)
        if op.ignored:
            detail = _join(detail, op.ignored)
        if in_context:
            detail = _join(detail, in_context)
        if self._left and op.static is None:
            detail = _join(detail, self._as_written(op, params, state))
        return detail

    def _as_written(self, op: Op, params: Mapping[str, str], state: _State) -> str:
        """`_left_as_written` for `params`, once a rendering has left a reference as written
        (`_left`: only then can a value hold one)."""
        self._left = False
        said = _left_as_written(op, params, state.vars, state.unset)
        state.vars.folded.clear()  # its look-ups decide no value
        return said

    def _lasting(
        self, op: Op, state: _State, depth: int, step: Step, outcome: Outcome, in_context: str = ""
    ) -> Outcome:
        """A step that takes time: it may be cut short by the caller (a key, hanging up)."""
        started = step.time
        cut = span(
            state.timeline, started, outcome.duration,
            finish_keys=outcome.finish_keys, prompt=state.prompting > 0,
        )
        if cut.end > started:
            self.clock.advance(cut.end - started)
        if cut.cause:
            outcome = self._cut(outcome, cut, state.hung_up)
            if cut.cause == BARGE_IN and state.early:
                outcome = attrs.evolve(outcome, detail=_join(outcome.detail, state.early))
                state.early = ""
        if outcome.variables:
            self._take(outcome.variables)
            state.vars.update(outcome.variables)
        if outcome.notifications:
            self._queue(self._timed(outcome.notifications, cut.end, cut.cause != ""))
        shown = cut.end if cut.cause or outcome.show_end else None
        self.sink.emit(
            TraceEvent(
                started, state.call.call_id, op.position, op.name, step.params, outcome.result,
                self._detail(op, state, step.params, outcome, cut.cause, in_context)
                if op.ignored or in_context or self._left
                or (op.name, outcome.ok) in self._goes_on or op.name == "Request"
                else outcome.detail,
                depth,
                shown,
            )
        )
        if cut.cause == BARGE_IN:
            state.stop = _BARGE
        elif cut.cause == CUT_BY_HANGUP:
            state.end(CALLER_HANGUP, state.hung_up, op.position)
        elif cut.cause == ENDLESS:
            state.end(CALLER_HANGUP, _HANGUP_DETAIL[cut.cause], op.position)
        return outcome

    @staticmethod
    def _cut(outcome: Outcome, cut: Span, hung_up: str = _CALLER_HUNG_UP) -> Outcome:
        if cut.cause == BARGE_IN:
            detail = f"key {cut.keys} pressed: the menu takes it"
        elif cut.cause == CUT_BY_HANGUP:
            detail = hung_up
        elif cut.cause == ENDLESS:
            detail = _HANGUP_DETAIL[ENDLESS]
        else:
            detail = f"ended by key {cut.keys}"
        result = CALLER_HANGUP if cut.cause == ENDLESS else cut.cause
        ok = outcome.ok if cut.cause == FINISH_KEY else False
        # What the executor said still holds (how long the step would have lasted, assumed).
        return attrs.evolve(outcome, ok=ok, result=result, detail=_join(detail, outcome.detail))

    @staticmethod
    def _timed(
        notifications: Sequence[Notification], end: float, cut: bool = False
    ) -> list[Notification]:
        """Notifications with their time: the step's end when the executor gave none; those a
        cut step no longer reaches (timed after its end) are dropped."""
        timed = []
        for notification in notifications:
            if notification.at is None:
                notification = attrs.evolve(notification, at=end)
            elif cut and notification.at > end:
                continue
            timed.append(notification)
        return timed

    def _unindex(self, entry: tuple[float, int, Notification]) -> None:
        """Take a notification that left the queue out of its call's `_answers` (a call
        holds a few: the search is short), so that what was sent is not kept."""
        call_id = entry[2].call.call_id
        queued = self._answers.get(call_id)
        if queued is not None:
            queued.remove(entry)
            if not queued:
                del self._answers[call_id]

    def _queue(self, notifications: Sequence[Notification]) -> None:
        for notification in notifications:
            self._caused += 1
            at = notification.at if notification.at is not None else self.clock.now()
            entry = (at, self._caused, notification)
            heapq.heappush(self._pending, entry)
            if notification.runs_answer:
                self._answers.setdefault(notification.call.call_id, []).append(entry)

    def _hung_up(self, op: Op, state: _State, depth: int) -> int:
        """The caller hung up before `op` could run (at a time no step was running)."""
        self._event(state, op, {}, "hangup", state.hangup_said(), depth, command=INPUT)
        return state.end(CALLER_HANGUP, state.hung_up, op.position)

    def _event(
        self,
        state: _State,
        op: Op,
        params: Mapping[str, str],
        result: str,
        detail: str = "",
        depth: int = 0,
        time: float | None = None,
        command: str | None = None,
    ) -> None:
        if op.ignored and command is None:  # the element's own event says its text is ignored
            detail = f"{detail}; {op.ignored}" if detail else op.ignored
        if op.documented_in is not None and command is None:
            detail = _join(detail, elsewhere(op, self._context(state.call)))
        if self._left and op.static is None and params:
            detail = _join(detail, self._as_written(op, params, state))
        self.sink.emit(
            TraceEvent(
                self.clock.now() if time is None else time,
                state.call.call_id,
                op.position,
                command or op.name,
                params,
                result,
                detail,
                depth,
            )
        )

    # -- engine-owned commands -------------------------------------------------------------

    def _var(self, op: Op, state: _State, depth: int) -> int:
        params = self._params(op, state.vars)
        given, taken = read_given(op.name, "Id", params.get("Id"))
        name = given.lstrip("$")
        if not name:
            self._event(state, op, params, "skipped", "Var needs Id", depth)
            return _CONTINUE
        value = params.get("Value", "")
        if not isinstance(op.param("Value"), Template):  # substituted values are counted already
            value = self._defined(value, "Value")
        state.vars[name] = value
        self._event(state, op, params, "ok", taken, depth)
        return _CONTINUE

    def _array(self, op: Op, state: _State, depth: int) -> int:
        params = self._params(op, state.vars)
        given, taken = read_given(op.name, "Id", params.get("Id"))
        name = given.lstrip("$")
        if not name:
            self._event(state, op, params, "skipped", "Array needs Id", depth)
            return _CONTINUE
        items = [
            self._defined(item, f"Item {n}")
            if isinstance(item, str)
            else self._render(item, state.vars, f"Item {n}")
            for n, item in enumerate(op.items, 1)
        ]
        state.vars[name] = items
        self._event(state, op, params, f"{len(items)} items", taken, depth)
        return _CONTINUE

    def _foreach(self, op: Op, state: _State, depth: int) -> int:
        params = self._params(op, state.vars)
        given, taken = read_given(op.name, "Source", params.get("Source"))
        name = given.lstrip("$")
        items = state.vars.get(name)
        if items is None or isinstance(items, str | Mapping):
            why = f"no array named {name!r}" if items is None else f"{name!r} is not an array"
            self._event(state, op, params, "skipped", _join(f"{why}{_NO_LOOP}", taken), depth)
            return _CONTINUE
        self._event(state, op, params, f"{len(items)} items", taken, depth)
        variables = state.vars
        had, previous = "item" in variables, variables.get("item")
        try:
            for item in items:
                variables["item"] = item
                signal = self._block(op.body, state, depth + 1)
                if signal:
                    return signal
        finally:
            # $item belongs to the loop: an outer loop's item comes back, none stays behind.
            if had and previous is not None:
                variables["item"] = previous
            else:
                variables.pop("item", None)
        return _CONTINUE

    def _delay(self, op: Op, state: _State, depth: int) -> int:
        params = self._params(op, state.vars)
        time = params.get("Time")
        seconds = _seconds(op.name, "Time", time, 0.0)
        if seconds is None:
            unread = _unread_seconds(op.name, "Time", time or "")
            detail = f"{unread}; the run does not wait (assumed)"
            self._event(state, op, params, "skipped", detail, depth)
            return _CONTINUE
        started = self.clock.now()
        if state.timeline is None and state.hangup == _NEVER:
            self.clock.sleep(seconds)
            self._event(state, op, params, "ok", "", depth, started)
            return _CONTINUE
        cut = span(state.timeline, started, seconds, prompt=state.prompting > 0)
        if cut.end > started:
            self.clock.sleep(cut.end - started)
        if not cut.cause:
            self._event(state, op, params, "ok", "", depth, started)
            return _CONTINUE
        outcome = self._cut(Outcome(), cut, state.hung_up)
        self.sink.emit(
            TraceEvent(started, state.call.call_id, op.position, op.name, params,
                       outcome.result, self._detail(op, state, params, outcome), depth,
                       cut.end)
        )
        if cut.cause == BARGE_IN:
            state.stop = _BARGE
            return _BARGE
        return state.end(CALLER_HANGUP, state.hung_up, op.position)

    def _exit(self, op: Op, state: _State, depth: int) -> int:
        params = self._params(op, state.vars)
        self._event(state, op, params, "exit", "", depth)
        return state.end(EXIT, "Exit ends the script (ozml's assumption, D6)", op.position)

    def _skip(self, op: Op, state: _State, depth: int) -> int:
        params = self._params(op, state.vars)
        result = "refused" if op.kind is Kind.HTTP_ONLY else "skipped"
        self._event(state, op, params, result, op.detail, depth)
        return _CONTINUE

    # -- commands the executor carries out and the engine acts on ----------------------------

    def _hangup(self, op: Op, state: _State, depth: int) -> int:
        self._step(op, state, depth)
        if state.stop:
            return state.stop
        if names_other_call(self._context(state.call)):
            target = self._value(op.param("CallId"), state.vars, "CallId")
            if target and target != state.call.call_id:
                return _CONTINUE  # another call was hung up; this script goes on (spec §7.6)
        return state.end(HANGUP, "Hangup ended the call", op.position)

    def _reject(self, op: Op, state: _State, depth: int) -> int:
        self._step(op, state, depth)
        if state.stop:
            return state.stop
        detail = "Reject refused the call; nothing after it runs"
        if op is not state.first:
            detail += _REJECT_LATER
        return state.end(REJECT, detail, op.position)

    def _transfer(self, op: Op, state: _State, depth: int) -> int:
        outcome = self._step(op, state, depth)
        if state.stop:
            return state.stop
        if outcome.ok:
            if self.options.blind_transfer == "continue":
                return _CONTINUE  # assumed either way: the vendor does not say
            return state.end(
                TRANSFERRED,
                "the call was transferred; the script ends (blind_transfer = end, assumed)",
                op.position,
            )
        return _CONTINUE  # D9: a failed BlindTransfer continues with the next command

    def _route(self, op: Op, state: _State, depth: int) -> int:
        outcome = self._step(op, state, depth)
        if state.stop:
            return state.stop
        if outcome.ok:
            return state.end(ROUTED, "the call was routed", op.position)
        if outcome.result == "rejected":
            return state.end(REJECT, "Route with an empty Destination rejects the caller",
                             op.position)
        return _CONTINUE  # not answered: the next Route is the fallback

    def _request(self, op: Op, state: _State, depth: int) -> int:
        outcome = self._step(op, state, depth)
        if state.stop:
            return state.stop
        return self._block(op.body if outcome.ok else op.alt, state, depth + 1)

    def _alarm(self, op: Op, state: _State, depth: int) -> int:
        outcome = self._step(op, state, depth)
        if state.stop:
            return state.stop
        if not outcome.ok:
            return _CONTINUE
        outer = state.unset
        given = {variable_key(name) for name in outcome.variables}
        state.unset = _ALARM_FIELDS.difference(given)
        try:
            return self._block(op.body, state, depth + 1)
        finally:
            state.unset = outer

    # -- fetching --------------------------------------------------------------------------

    def _fetch(self, url: str, form: Mapping[str, str]) -> Program | str:
        """The program `url` answers, or why there is none."""
        try:
            body = self.fetcher.fetch(url, form)
        except FetchError as error:
            return str(error)
        return self._compile(url, body)

    def _compile(self, url: str, body: bytes) -> Program | str:
        """The program of an answer (cached), or why it is no usable OzML."""
        key = (url, body)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if not body.strip():
            program = Program(url, (), None)
        else:
            parsed = parse(body, url)
            root = parsed.document.root
            if root is None:
                first = parsed.problems[0] if parsed.problems else None
                return f"{url} answered no usable OzML: " + (
                    first.message if first else "not well-formed"
                )
            why = no_ozml_root(root)
            if why is not None:
                return f"{url} answered no usable OzML: {why}"
            program = compile_document(parsed.document, url, parsed.source)
        if len(self._cache) < 256:
            self._cache[key] = program
        return program

    def _form(self, call: Call, key: str, **values: str) -> dict[str, str]:
        """The form of a notification the engine sends itself (GoTo, DtmfEntered)."""
        return build_form(key, {"CallId": call.call_id, **values}, self.names)

    def _goto(self, op: Op, state: _State, depth: int) -> int:
        params = self._params(op, state.vars)
        url, taken = read_given(op.name, "Url", params.get("Url"))
        found = self._fetch(url, self._form(state.call, "GoTo")) if url else "GoTo needs a Url"
        return self._jump(op, state, depth, params, found, None, taken)

    def _jump(
        self,
        op: Op,
        state: _State,
        depth: int,
        params: Mapping[str, str],
        found: Program | str,
        command: str | None,
        taken: str = "",
    ) -> int:
        """Run what a GoTo or a menu's ForwardToURL fetched; `taken` is what the trace says
        of its URL's reading (`read_given`)."""
        if isinstance(found, Program):
            self._event(state, op, params, "fetched", taken, depth, command=command)
            state.next = found
            return _JUMP
        self._event(state, op, params, "failed", _join(found, taken), depth, command=command)
        if self.options.fetch_failure == "continue":
            return _CONTINUE
        # What a PBX does when a GoTo or ForwardToURL fetch fails is not stated (spec §4).
        ending = f"{found}; the script ends (fetch_failure = hangup, assumed)"
        return state.end(FETCH_FAILED, ending, op.position)

    # -- menus -----------------------------------------------------------------------------

    def _menu(self, op: Op, state: _State, depth: int) -> int:
        params = self._params(op, state.vars)
        # Repeat read as the linter reads it; a value it refuses is the default (assumed).
        repeat, first = read_flag(op.name, "Repeat", params.get("Repeat"))
        given = params.get("Timeout")
        timeout = _seconds(op.name, "Timeout", given, _DEFAULT_SECONDS)
        if timeout is None:
            # Not a wait a run can make: said in the trace, and run as no wait at all.
            unread = _unread_seconds(op.name, "Timeout", given or "")
            first = _join(first, f"{unread}; the menu waits 0 s instead (assumed)")
            timeout = 0.0
        back, taken = read_given(op.name, "BackKey", params.get("BackKey"))
        keys_read = menu_keys(op.name, params)
        limit, unread = self._keys_read(keys_read)
        first = _join(_join(first, unread), taken)
        forward, fetched = read_given(op.name, "ForwardToURL", params.get("ForwardToURL"))
        first = _join(first, fetched)
        attempt = 0
        inner = depth + 1
        while True:
            attempt += 1
            self._event(
                state, op, params, "menu" if attempt == 1 else "repeat", first, depth
            )
            first = ""
            state.early = _typed_ahead(state.timeline, self.clock.now())
            state.prompting += 1
            try:
                signal = self._block(op.prompts, state, inner)
            finally:
                state.prompting -= 1
            if signal == _BARGE:
                state.stop = 0  # a key cut the prompts short: the menu takes it now
            elif signal:
                return signal
            now = self.clock.now()
            kept, state.kept = state.kept, ""
            try:
                if len(kept) >= limit:
                    entry = Entry(kept, at=now)  # keys kept from an earlier menu: no wait
                else:
                    entry = self.inputs.next_entry(
                        Prompt(op.position, limit - len(kept), timeout, attempt, now)
                    )
            except ExecutorError as error:  # a live input source that lost the call
                raise _Abort(ERROR, str(error)) from None
            if 0 < len(kept) < limit and not entry.hangup:
                # extra_keys = "keep": the kept keys come first (after a timeout, alone).
                at = entry.at if entry.at is not None or not entry.timeout else now + timeout
                entry = Entry(kept + entry.digits, at=at)
            waited = entry.at if entry.at is not None else now + timeout if entry.timeout else now
            if state.hangup < waited:
                # The caller hangs up while the menu waits.
                entry, waited = _HUNG_UP, max(state.hangup, now)
            if waited > now and (entry.at is not None or entry.hangup):
                self.clock.advance(waited - now)
            if entry.hangup:
                said = state.hangup_said() if entry is _HUNG_UP else entry.describe()
                self._event(state, op, {}, "hangup", said, inner, command=INPUT)
                return state.end(CALLER_HANGUP, state.hung_up, op.position)
            if entry.timeout:
                # The menu waited `timeout` seconds; a live input source has really waited, so
                # this is time that passed (advance), not time still to wait (sleep).
                if entry.at is None:
                    self.clock.advance(timeout)
                detail = _AFTER_TIMEOUT
                if repeat:
                    detail = "repeating the menu" if attempt == 1 else _REPEAT_AGAIN
                if timeout == 0:
                    if given is None:
                        no_wait = f"Timeout {_DEFAULT_TIMEOUT}: no wait"
                        if _TIMEOUT_ASSUMED:
                            no_wait += ", assumed"
                    else:
                        no_wait = _NO_WAIT.format("0")
                    detail = f"{no_wait}; {detail}"
                self._event(state, op, {}, "timeout", detail, inner, command=INPUT)
                if repeat:
                    continue
                return _CONTINUE
            digits = entry.digits[:limit]
            keys = {"Digits": digits}
            cut = f"{entry.digits!r} cut to {limit} digit(s)" if digits != entry.digits else ""
            if cut and self.options.extra_keys == "keep":
                state.kept = entry.digits[limit:]
                cut += f"; {state.kept!r} kept for the next menu (extra_keys = keep, assumed)"
            elif kept:
                cut = f"{kept!r} kept from an earlier menu (extra_keys = keep, assumed)"
            elif cut:
                cut += f"; {entry.digits[limit:]!r} dropped (extra_keys = drop, assumed)"
            if state.early:
                cut, state.early = _join(cut, state.early), ""
            if len(digits) < keys_read.low:
                cut = _join(cut, _fewer_keys(digits, keys_read))
            block, case = self._branch(op, digits, state)
            cut = _join(cut, case)
            both = ""  # the keys are BackKey and an Input's: which wins is assumed
            if back and values.dtmf_key(digits) == values.dtmf_key(back):
                if block is not None:
                    both = self._back_or_branch(digits)
                if block is None or self.options.back_key == "first":
                    if block is None:
                        cut = _join(cut, _case_note(back, digits))
                    detail = f"{cut}; {both}" if cut and both else cut or both
                    self._event(state, op, keys, "back", detail, inner, command=INPUT)
                    return _BACK if state.menus else _CONTINUE
            if block is None:
                if forward:
                    self._event(state, op, keys, "no-match", cut, inner, command=INPUT)
                    found = self._fetch(
                        forward, self._form(state.call, "DtmfEntered", DtmfDigits=digits)
                    )
                    fetch = {"Url": forward, "DtmfDigits": digits}
                    return self._jump(op, state, inner, fetch, found, FETCH, fetched)
                detail = _NO_MATCH.format(
                    "repeating the menu" if repeat else "continuing after the menu"
                )
                self._event(
                    state, op, keys, "no-match", f"{cut}; {detail}" if cut else detail, inner,
                    command=INPUT,
                )
                if repeat:
                    continue
                return _CONTINUE
            detail = f"{cut}; {both}" if cut and both else cut or both
            if self._runs_out(block, self._context(state.call)):
                detail = _join(detail, self._after_input)
            self._event(state, op, keys, "matched", detail, inner, command=INPUT)
            state.menus += 1
            try:
                signal = self._block(block, state, inner)
            finally:
                state.menus -= 1
            if signal == _BACK:
                continue  # a nested menu's BackKey: this menu starts again
            if signal:
                return signal
            # The Input's commands ran out: what follows is assumed (after_input).
            after = self.options.after_input
            if after == "repeat":
                continue
            if after == "end":
                return state.end(
                    END_OF_SCRIPT,
                    "the Input's commands ran out; the script ends (after_input = end, assumed)",
                    op.position,
                )
            return _CONTINUE

    def _context(self, call: Call) -> Context:
        """The context that decides what the PBX makes of `call`'s commands and their
        parameters: the call's, or ``any`` (everything as written) for an executor that does
        not run OzML (`BaseExecutor.runs_ozml`)."""
        return call.context if self._by_context else Context.ANY

    def _runs_out(self, block: Sequence[Op], context: Context) -> bool:
        """Whether an Input's commands may run out, so that `after_input` decides what comes
        next: not when the last one jumps (a GoTo whose failure ends the script) or ends the
        script (`ozml.flow.control.ends_script`: Exit, Reject, Hangup of this call)."""
        if not block:
            return True
        last = block[-1]
        if last.kind is Kind.GOTO:
            return self.options.fetch_failure == "continue"
        names = last.static if last.static is not None else [name for name, _ in last.params]
        return not ends_script(last.name, names, context)

    @staticmethod
    def _keys_read(keys: MenuKeys) -> tuple[int, str]:
        """How many keys a menu reads at most, as the linter reads its counts
        (`ozml.callmodel.readings.menu_keys`); and what the trace says of a count it refuses."""
        if keys.combined:
            combined = (
                f"the menu reads {keys.high} key(s) ({keys.how}: how Digits, MinDigits and"
                " MaxDigits combine is assumed)"
            )
            return keys.high, f"{keys.refused}; {combined}" if keys.refused else combined
        if not keys.refused:
            return keys.high, ""
        return keys.high, f"{keys.refused}; the menu reads {keys.high} key(s) (assumed)"

    def _back_or_branch(self, digits: str) -> str:
        """What the trace says when `digits` are both the menu's BackKey and an Input's key."""
        choice = self.options.back_key
        tried = "BackKey is tried before the Inputs" if choice == "first" else (
            "the Inputs are tried before BackKey"
        )
        assumed = "" if BACK_OR_BRANCH.stated else ", assumed"
        return f"{digits!r} is BackKey and an Input's key; {tried} (back_key = {choice}{assumed})"

    def _branch(self, op: Op, digits: str, state: _State) -> tuple[Sequence[Op] | None, str]:
        """The block of the Input whose key is `digits` (`values.dtmf_key`: A to D in either
        case), and what the trace says when only letter case tells them apart."""
        pressed = values.dtmf_key(digits)
        for key, block, _ in op.inputs:
            written = key if isinstance(key, str) else self._render(key, state.vars, "Input Key")
            if values.dtmf_key(written) == pressed:
                return block, _key_note(written, digits)
        return None, ""

    # -- notifications ---------------------------------------------------------------------

    def _notify(self, notification: Notification) -> None:
        """Fetch what the application answers a notification and run it for its call; when
        no answer can be run and that ends the call (`Notification.failing`), drop what the
        call would still have sent and send what its end causes instead."""
        found, event = self._deliver(notification)
        if found is None and event.result == "failed" and notification.failing:
            event = event._replace(detail=_join(event.detail, notification.failing))
            # What the call queued so far is dropped as it falls due (no search of the queue
            # per failure); what its end causes is queued after the mark, and sent.
            self._dropped[notification.call.call_id] = self._caused
            self._queue(self._timed(notification.on_failure, self.clock.now()))
        if found is not None and notification.not_run:
            event = event._replace(detail=_join(event.detail, notification.not_run))
            found = None
        self.sink.emit(event)
        if found is None:
            return
        if notification.lasts is None and not notification.ends:
            self._run_call(found, notification.call, dict(self._initial))
            return
        # The answer runs on a call that ends at its script's end, or when the other party
        # hangs up (`lasts` after it was answered), whichever comes first (`_call_ended`).
        self._ends[notification.call.call_id] = notification
        timeline = hung_up = None
        if notification.lasts is not None:
            timeline = Timeline(hangup=(notification.at or 0.0) + notification.lasts)
            hung_up = _join(_OTHER_PARTY_HUNG_UP, notification.lasts_note)
        self._run_call(
            found, notification.call, dict(self._initial), timeline=timeline,
            hung_up=hung_up or "",
        )

    def _deliver(
        self, notification: Notification, note: str = ""
    ) -> tuple[Program | None, TraceEvent]:
        """Send a notification (move the clock to its time, fetch its URL or take its OzML):
        the program its answer is (None when there is none to run) and its trace event, not
        yet emitted. `note` is added to what the trace says is assumed."""
        call = notification.call
        if notification.kind:
            form = dict(notification.form)
        else:
            form = {"NotificationName": notification.name, "CallId": call.call_id,
                    **notification.form}
        now = self.clock.now()
        due = notification.at
        if due is not None and due > now:
            self.clock.advance(due - now)
        if notification.ozml is not None:
            # Nothing is requested: the PBX runs the OzML it was given on the call.
            params = {"ResponseOzML": _shown(notification.ozml),
                      "NotificationName": notification.name}
            position = Position("ResponseOzML")
            found = self._compile("ResponseOzML", notification.ozml.encode("utf-8"))
        else:
            params = {"Url": notification.url, "NotificationName": notification.name}
            position = Position(notification.url)
            found = self._fetch(notification.url, form)
        assumed = "; ".join(part for part in (notification.assumed, note) if part)
        if due is not None and due < now:
            # Traces never go back in time: a notification due while its call still ran is
            # played when that call's script has ended, and says when it was due.
            late = f"due at {format_time(due)}"
            assumed = f"{late}; {assumed}" if assumed else late
        if isinstance(found, str):
            unanswered = not notification.runs_answer and found.startswith(_NO_ANSWER)
            result, detail = ("sent", "no answer in the scenario") if unanswered else (
                "failed", found
            )
            detail = f"{detail}; {assumed}" if assumed else detail
            return None, TraceEvent(
                self.clock.now(), call.call_id, position, NOTIFY, params, result, detail, 0
            )
        return found, TraceEvent(
            self.clock.now(), call.call_id, position, NOTIFY, params,
            "fetched" if notification.ozml is None else "run", assumed, 0,
        )

__all__ = [
    "AFTER_INPUT",
    "AFTER_SCRIPT",
    "AFTER_TRANSFER",
    "BACK_KEY",
    "BEFORE_HANGUP",
    "CALLER_HANGUP",
    "END_OF_SCRIPT",
    "ERROR",
    "EXIT",
    "EXTRA_KEYS",
    "FAILED_ENDINGS",
    "FETCH_FAILED",
    "HANGUP",
    "NOTIFICATION_ANSWERS",
    "REJECT",
    "ROUTED",
    "STEP_LIMIT",
    "TRANSFERRED",
    "VALUE_LIMIT",
    "CallResult",
    "Engine",
    "EngineOptions",
    "RunResult",
]


def _fewer_keys(digits: str, keys: MenuKeys) -> str:
    """What the trace says of an entry with fewer keys than the menu reads at least: the run
    takes it as the caller's entry, as if the caller had stopped there; what a PBX does with
    fewer keys than MinDigits (or Digits) when the Timeout ends is not stated (spec §7.32)."""
    return (
        f"{len(digits)} key(s), fewer than the {keys.low} the menu reads at least ({keys.how}):"
        " taken as the entry (assumed: the vendor does not say what a menu does with fewer)"
    )


def _key_note(written: str, digits: str) -> str:
    """What the trace says of the Input's key `written` that the keys `digits` matched: that
    it was read without the XML white space around it (``Key=" 1 "``: assumed, as
    invalid-value's warning says), and in another letter case (`_case_note`)."""
    key = xmlspace.strip(written)
    space = "" if key == written else (
        f"the Input's Key {written!r} is read without the white space around it (assumed:"
        f" {values.SPACE_AROUND.why})"
    )
    return _join(space, _case_note(key, digits))


def _case_note(key: str, digits: str) -> str:
    """What the trace says when the keys pressed are a key only in another letter case."""
    if key == digits:
        return ""
    return f"{digits!r} taken as the key {key!r} (letter case ignored, assumed)"


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first and second else first or second


def _typed_ahead(timeline: Timeline | None, now: float) -> str:
    """What the trace says of a key the caller pressed before a menu began (outside any menu)
    that is still there for it: the menu takes it, which is assumed ("" : none)."""
    if timeline is None:
        return ""
    event = timeline.first_key(now)
    if event is None or event.at >= now:
        return ""
    return (
        f"key {event.keys} was pressed at {format_time(event.at)}, before the menu: kept for it"
        " (assumed: the vendor does not say whether a PBX keeps keys pressed outside a menu"
        " or drops them)"
    )


def _folded(variables: Variables) -> str:
    """What the trace says of the variables a step read in another letter case than they were
    defined in (and forgets them): that `$Name` reads `name` is assumed (spec §1 leaves letter
    case UNKNOWN; the linter compares names so too, D3)."""
    cased = dict.fromkeys(
        f"${read} reads the variable {kept}" for read, kept in variables.folded if kept
    )
    kept = dict.fromkeys(f"${read}" for read, kept in variables.folded if not kept)
    variables.folded.clear()
    said = []
    if cased:
        said.append(
            f"{', '.join(cased)} (variable names are compared ignoring letter case; assumed:"
            " the vendor does not say, spec §1)"
        )
    if kept:
        said.append(
            f"{', '.join(kept)} kept from the document before the GoTo (keep_variables = true,"
            " assumed: spec §3 leaves the scope of variables UNKNOWN)"
        )
    return "; ".join(said)


def _left_as_written(
    op: Op,
    params: Mapping[str, str],
    variables: Mapping[str, Value],
    unset: frozenset[str] = frozenset(),
) -> str:
    """What the trace says of the `$variable` references the engine left as written in a
    step's values (`Rendered.uses`): what a PBX does with one is not stated (spec §3 leaves the
    scope and lifetime of variables UNKNOWN), so that it stays as text is assumed. An alarm
    field inside Received (`unset`: ``$account``, ...) is another matter: the vendor states
    that a PBX sets it (spec §7.39), and the run merely was not given its value (the
    scenario's ``[alarm]`` table), so nothing is assumed of it. "" when the values hold none (a
    reference in a parameter that names a variable is none)."""
    skip = _NAMES_A_VARIABLE.get(op.name)
    said: list[str] = []
    fields: list[str] = []
    seen: set[str] = set()
    for name, value in params.items():
        if name == skip or not isinstance(value, Rendered):
            continue
        for start, end in value.uses:
            use = value[start:end]
            if use in seen:
                continue
            seen.add(use)
            if len(said) + len(fields) < _NAMED:
                found = VARIABLE.match(use)
                known = found is not None and variables.get(found.group(1)) is not None
                if known:
                    said.append(f"{use} has no text")
                elif found is not None and variable_key(found.group(1)) in unset:
                    fields.append(use)
                else:
                    said.append(f"{use} is undefined")
    if not said and not fields:
        return ""
    more = len(seen) - len(said) - len(fields)
    and_more = f" and {more} more" if more else ""
    parts = []
    if fields:
        what = "an alarm field" if len(fields) == 1 else "alarm fields"
        parts.append(
            f"{', '.join(fields)}{'' if said else and_more}: {what} the run was not given"
            " (the scenario's [alarm] table), left as written"
        )
    if said:
        parts.append(
            f"{', '.join(said)}{and_more}: left as written (assumed: the vendor does not say)"
        )
    return "; ".join(parts)
