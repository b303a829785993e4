"""The dry-run executor: the shared call model (`ozml.callmodel`) with nobody on the line.

Every OzML command has a handler here. What a command does to the call comes from the call
model, what the world does from the scenario's plan:

* **time**: Speak lasts `Timing.seconds_per_word` per word, Play its file's duration (the
  scenario's ``[media]``, else `Timing.play_seconds`; ``Repeat="true"`` until something ends it),
  Beep `Timing.beep_seconds`, Record until Duration, silence or (the engine decides) a
  FinishDigits key or the caller hanging up; a ``[timing]`` entry for a command wins over all of
  these. Every default is assumed (docs/dry-run.md).
* **ringing** (transfers, placed calls, Route): the scenario's outcome word for the target
  (`ozml.callmodel.outcomes`: answer, busy, no-answer, not-found, failed) and after how long,
  within the ring time (the command's RingTime, else `Timing.ring_time`).
* **notifications** (`ozml.callmodel.notifications`, one definition of every form): CallConnected
  to Call's Url, RecordCompleted to Record's FinishedUrl, Error to ErrorUrl, Finished to
  FinishedUrl, AlarmResult to ResultUrl, SMSDeliveryReport to DeliveryReportURL. The engine
  sends them (fetches the scenario's answer) at their time and runs what they answer.

Nothing here sleeps, touches the network or reads a clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar
from urllib.parse import parse_qsl, urlsplit

import attrs

from ozml.callmodel.notifications import NotificationNames, build_form
from ozml.callmodel.outcomes import (
    DELIVERY_WORDS,
    RECEPTION_WORDS,
    Planned,
    Ring,
    parse_outcome,
    parse_word,
)
from ozml.callmodel.states import CallState
from ozml.callmodel.switchboard import (
    Extension,
    ManualScheduler,
    SimCall,
    Switchboard,
    ringing,
)
from ozml.callmodel.timing import DEFAULT_TIMING, Timing
from ozml.callmodel.timing import seconds as param_seconds
from ozml.catalog import COMMANDS, Context
from ozml.interpreter.context import Call, Value
from ozml.interpreter.executor import (
    BaseExecutor,
    ExecutorSettings,
    Notification,
    Outcome,
    Step,
    handles,
)

#: The parameter that names the target of each command whose outcome the scenario plans.
TARGETS = {
    "BlindTransfer": "Target",
    "AttendedTransfer": "TargetCallId",
    "ForwardCall": "Destination",
    "Call": "Dialed",
    "CallSetup": "Callee",
    "Request": "DialedAddress",
    "SendAlarmNotification": "PhoneNumber",
    "Route": "Destination",
    "SendSms": "Recipient",
    "ReceiveAlarmNotification": "",
}

HTTP_ONLY_REASON = "{0} is an HTTP API command; a dry run of OzML never sends it (D5)"
#: A Route whose Destination is empty rejects the caller (vendor page, spec §7.29).
REJECTED = "rejected"

T = TypeVar("T")


@attrs.frozen
class Plan(Generic[T]):
    """The outcomes of one group of commands: by target first, then in order, then a default.

    Values are the group's meaning (a `Planned` ring, or a flag); words (``"busy"``) are
    accepted and read by `DryRunConfig`.
    """

    default: T
    by_target: Mapping[str, T] = attrs.field(factory=dict)
    sequence: tuple[T, ...] = ()


def _reading(read: Callable[[Any], T]) -> Callable[[Plan[Any]], Plan[T]]:
    def convert(plan: Plan[Any]) -> Plan[T]:
        return Plan(
            read(plan.default),
            {target: read(value) for target, value in plan.by_target.items()},
            tuple(read(value) for value in plan.sequence),
        )

    return convert


def _ring(value: object) -> Planned:
    if isinstance(value, Planned):
        return value
    return Planned(parse_outcome(str(value)))


def _flag(words: Mapping[str, bool]) -> Callable[[object], bool]:
    def read(value: object) -> bool:
        return value if isinstance(value, bool) else parse_word(str(value), words)

    return read


def _rings(plan: Plan[Any]) -> Plan[Planned]:
    return _reading(_ring)(plan)


def _receptions(plan: Plan[Any]) -> Plan[bool]:
    return _reading(_flag(RECEPTION_WORDS))(plan)


def _deliveries(plan: Plan[Any]) -> Plan[bool]:
    return _reading(_flag(DELIVERY_WORDS))(plan)


_ANSWER = Plan(Planned(Ring.ANSWER))


@attrs.frozen
class DryRunConfig:
    """Everything the dry-run executor takes from a scenario."""

    transfer: Plan[Planned] = attrs.field(default=_ANSWER, converter=_rings)
    call: Plan[Planned] = attrs.field(default=_ANSWER, converter=_rings)
    route: Plan[Planned] = attrs.field(default=_ANSWER, converter=_rings)
    alarm: Plan[bool] = attrs.field(default=Plan(True), converter=_receptions)
    sms: Plan[bool] = attrs.field(default=Plan(True), converter=_deliveries)
    alarm_fields: Mapping[str, Value] = attrs.field(factory=dict)
    #: Seconds per command name (``[timing] Speak = 2``): wins over every computed duration.
    timing: Mapping[str, float] = attrs.field(factory=dict)
    durations: Timing = DEFAULT_TIMING
    #: Audio file → its length in seconds (``[media]``).
    media: Mapping[str, float] = attrs.field(factory=dict)
    #: When the caller falls silent (``[record] silence_at``): ends a Record with Inactivity.
    silence_at: float | None = None
    names: NotificationNames = attrs.field(factory=NotificationNames)
    #: The 3PCC subscriber (``[notifications] 3pcc-url``): CallChanged on every state change
    #: of every call the run makes ("" : none is sent).
    call_changed_url: str = ""


class _Chooser(Generic[T]):
    """Hands out a plan's outcomes (the sequence is consumed as commands run)."""

    def __init__(self, plan: Plan[T]) -> None:
        self.plan = plan
        self.used = 0

    def next(self, target: str) -> T:
        chosen = self.plan.by_target.get(target)
        if chosen is not None:
            return chosen
        if self.used < len(self.plan.sequence):
            self.used += 1
            return self.plan.sequence[self.used - 1]
        return self.plan.by_target.get("*", self.plan.default)


def _query(url: str) -> list[tuple[str, str]]:
    """The query parameters of a URL: CallConnected carries them back [ghAR]."""
    try:
        return parse_qsl(urlsplit(url).query, keep_blank_values=True)
    except ValueError:
        return []


class DryRunExecutor(BaseExecutor):
    """Carries out nothing; says what a PBX would have done, as the scenario planned it."""

    name = "dry-run"
    refusals: ClassVar[Mapping[str, str]] = {
        cmd.name: HTTP_ONLY_REASON.format(cmd.name) for cmd in COMMANDS if not cmd.in_ozml
    }

    def __init__(self, config: DryRunConfig | None = None) -> None:
        self.config = config or DryRunConfig()
        self.timing = dict(self.config.timing)
        self.durations = self.config.durations
        self.names = self.config.names
        self.transfers = _Chooser(self.config.transfer)
        self.calls = _Chooser(self.config.call)
        self.routes = _Chooser(self.config.route)
        self.alarms = _Chooser(self.config.alarm)
        self.reports = _Chooser(self.config.sms)
        self.placed = 0
        self.recordings = 0
        self.transferred = 0
        # Every call the PBX would ring runs on the call model's switchboard, on virtual time:
        # the scenario's plan, not a directory, decides how each ringing ends.
        self.scheduler = ManualScheduler()
        self.board = Switchboard(
            _Nobody(), self.scheduler, ring_time=self.durations.ring_time,
            answer_after=self.durations.answer_after,
        )
        self._moves: list[tuple[SimCall, CallState, float]] = []
        self.board.on_change.append(self._moved)
        self._started = self.scheduler.now()

    # -- helpers ---------------------------------------------------------------------------

    def _lasts(self, step: Step, computed: float) -> float:
        """The step's duration: the scenario's ``[timing]`` entry for it wins."""
        return self.timing.get(step.command, computed)

    def _notification(
        self,
        key: str,
        url: str,
        call: Call,
        values: Mapping[str, str],
        at: float | None = None,
        extra: Iterable[tuple[str, str]] = (),
    ) -> Notification:
        form = build_form(key, values, self.names, extra)
        return Notification(
            url,
            form["NotificationName"],
            call,
            form,
            kind=key,
            at=at,
            assumed=self.names.assumption(key, form),
            runs_answer=key in _RUNS_ANSWER,
        )

    def _ring_time(self, step: Step) -> float:
        return param_seconds(step.params.get("RingTime")) or self.durations.ring_time

    def _moved(self, call: SimCall, state: CallState) -> None:
        elapsed = (self.scheduler.now() - self._started).total_seconds()
        self._moves.append((call, state, elapsed))

    def _ring(
        self, step: Step, planned: Planned, *, source: str, target: str, call_id: str
    ) -> _Rang:
        """Ring `target` on the switchboard as `planned` says, until the call ends."""
        if planned.ring.answered and planned.talk is None:
            planned = attrs.evolve(planned, talk=self.durations.talk_seconds)
        self._moves.clear()
        self._started = self.scheduler.now()
        call = self.board.place(
            source, target, origin=step.command, ring_time=self._ring_time(step),
            call_id=call_id, plan=planned,
        )
        self.scheduler.run()
        moves = tuple((state, at) for moved, state, at in self._moves if moved is call)
        ring = Ring.ANSWER if call.answered is not None else Ring(call.reason)
        ended = call.ended or self.scheduler.now()
        seconds = self._lasts(step, call.ring_seconds(ended))
        return _Rang(call, ring, seconds, moves, round(call.talk_seconds(ended), 6))

    def _changes(self, rang: _Rang, call: Call, at: float) -> list[Notification]:
        """CallChanged for each move of a rung call (to the 3PCC subscriber, if any)."""
        url = self.config.call_changed_url
        if not url:
            return []
        changed = attrs.evolve(call, notification="CallChanged", context=Context.THREE_PCC,
                               params={})
        return [
            self._notification(
                "CallChanged", url, changed,
                {"CallId": rang.call.id, "CallState": state.value, "Caller": rang.call.source,
                 "Callee": rang.call.destination},
                at + moved,
            )
            for state, moved in rang.moves
        ]

    # -- commands that only take time -------------------------------------------------------

    @handles(
        "SendDTMF", "Hold", "Unhold", "SendEmail", "SendMsg", "MoveFile", "DeleteFile",
        "WaitForMsg", "Hangup", "Reject",
    )
    def effect(self, step: Step) -> Outcome:
        seconds = self.timing.get(step.command)
        return _OK if seconds is None else Outcome(duration=seconds)

    @handles("Speak", "Beep", "Play")
    def prompt(self, step: Step) -> Outcome:
        seconds = self.durations.lasts(step.command, step.params, self.media)
        return Outcome(duration=self._lasts(step, seconds))

    @property
    def media(self) -> Mapping[str, float]:
        return self.config.media

    @handles("Record")
    def record(self, step: Step) -> Outcome:
        params = step.params
        if step.call.context is Context.THREE_PCC:
            # A 3PCC Record starts recording a call in progress; how long it runs is not this
            # script's time (assumed: the command returns at once).
            length, result, finish = self._lasts(step, 0.0), "ok", ""
        else:
            length, result = self._record_length(step)
            length = self._lasts(step, length)
            finish = params.get("FinishDigits", "").strip()
        outcome = Outcome(result=result, duration=length, finish_keys=finish, show_end=True)
        url = params.get("FinishedUrl", "").strip()
        if not url:
            return outcome
        self.recordings += 1
        extension = params.get("Format", "mp3").strip() or "mp3"
        # A placeholder location: the real PBX names the file; a dry run has none to name.
        record_url = f"recordings/{step.call.call_id}-{self.recordings}.{extension}"
        finished = attrs.evolve(step.call, notification="RecordCompleted", params={})
        notification = self._notification(
            "RecordCompleted", url, finished,
            {"CallId": step.call.call_id, "RecordURL": record_url},
        )
        return attrs.evolve(outcome, notifications=(notification,))

    def _record_length(self, step: Step) -> tuple[float, str]:
        """How long a recording lasts unless a key or a hang-up ends it first, and why."""
        params = step.params
        length, result = self.durations.record(params)
        inactivity = param_seconds(params.get("Inactivity"))
        silence = self.config.silence_at
        if inactivity is not None and silence is not None:
            # The caller falls silent at `silence` on the call's clock (or at once, when that
            # is past); Inactivity seconds of silence end the recording.
            quiet = max(silence - step.time, 0.0) + inactivity
            if quiet < length:
                length, result = quiet, "silence"
        return length, result

    # -- ringing ----------------------------------------------------------------------------

    @handles("BlindTransfer", "AttendedTransfer", "ForwardCall")
    def transfer(self, step: Step) -> Outcome:
        target = step.params.get(TARGETS[step.command], "")
        if not target.strip():
            # Nothing to ring (OZ201 reports the missing parameter): what the PBX does is not
            # documented; the dry run takes it that the transfer fails at once, rather than
            # ringing an empty number and calling it answered. No planned outcome is spent.
            name = TARGETS[step.command]
            return Outcome(
                False,
                Ring.FAILED.result(transfer=True),
                f"no {name} to transfer to: assumed to fail (the vendor does not say)",
                0.0,
            )
        planned = self.transfers.next(target)
        refused = self.board.reachable(target, planned)
        if refused is not None:
            # A target that is busy, unknown or failing is known before the call moves (as
            # the simulator's switchboard refuses it): no call rings, nothing changes state.
            _, after = ringing(planned, self._ring_time(step), self.durations.answer_after)
            return Outcome(False, refused.result(transfer=True), _why(refused),
                           self._lasts(step, after))
        self.transferred += 1
        rang = self._ring(
            step, planned, source=step.call.caller, target=target,
            call_id=f"{step.call.call_id}.t{self.transferred}",
        )
        ring, seconds = rang.ring, rang.seconds
        outcome = Outcome(ring.answered, ring.result(transfer=True), _why(ring), seconds)
        sent = self._changes(rang, step.call, step.time)
        url = step.params.get("FinishedUrl", "").strip()
        if ring.answered and url:
            # "requested when the transferred call ends" [oz4583], with its duration: the
            # transferred call lasts the plan's talk time (`Timing.talk_seconds`, assumed).
            values = {
                "CallId": step.call.call_id,
                "Caller": step.call.caller,
                "Callee": target,
                "CallState": CallState.COMPLETED.value,
                "Duration": f"{rang.talk:g}",
            }
            finished = attrs.evolve(step.call, notification="Finished", params={})
            sent.append(self._notification(
                "Finished", url, finished, values, step.time + seconds + rang.talk
            ))
        return attrs.evolve(outcome, notifications=tuple(sent)) if sent else outcome

    @handles("Call", "CallSetup", "Request", "SendAlarmNotification")
    def place(self, step: Step) -> Outcome:
        params = step.params
        target = params.get(TARGETS[step.command], "")
        self.placed += 1
        caller = params.get("CallerId") or params.get("Caller") or params.get(
            "ApiExtension"
        ) or step.call.callee
        call_id = f"{step.call.call_id}.{self.placed}"
        rang = self._ring(step, self.calls.next(target), source=caller, target=target,
                          call_id=call_id)
        ring, seconds = rang.ring, rang.seconds
        # Only Request waits for the ringing (its handlers run on the outcome); the others
        # place a separate call and the script goes on.
        waits = step.command == "Request"
        outcome = Outcome(
            ring.answered, ring.result(), _why(ring), seconds if waits else 0.0
        )
        at = step.time + seconds
        placed = Call(
            call_id=call_id,
            caller=caller,
            callee=target,
            notification="CallConnected",
            context=Context.EXTENSION,
        )
        sent = [*self._changes(rang, placed, step.time),
                *self._placed_notifications(step, rang, placed, at)]
        return attrs.evolve(outcome, notifications=tuple(sent)) if sent else outcome

    def _placed_notifications(
        self, step: Step, rang: _Rang, placed: Call, at: float
    ) -> tuple[Notification, ...]:
        params = step.params
        ring = rang.ring
        values = {"CallId": placed.call_id, "Caller": placed.caller, "Callee": placed.callee}
        sent: list[Notification] = []
        if step.command == "SendAlarmNotification":
            url = params.get("ResultUrl", "").strip()
            if url:
                state = CallState.COMPLETED if ring.answered else ring.call_state
                result = {"CallId": placed.call_id, "Callee": placed.callee,
                          "CallState": state.value}
                sent.append(self._notification("AlarmResult", url, step.call, result, at))
            return tuple(sent)
        if step.command not in ("Call", "CallSetup"):
            return ()
        if not ring.answered:
            url = params.get("ErrorUrl", "").strip()
            if url:
                error = {**values, "CallState": ring.call_state.value}
                gone = attrs.evolve(placed, notification="Error")
                sent.append(self._notification("Error", url, gone, error, at))
            return tuple(sent)
        url = params.get("Url", "").strip()
        response = params.get("ResponseOzML", "")
        if step.command == "Call" and url:
            sent.append(
                self._notification("CallConnected", url, placed, values, at, _query(url))
            )
        elif step.command == "Call" and response.strip():
            # Gen-B: without a Url, the PBX runs ResponseOzML on the connected call [hu7632].
            connected = self._notification("CallConnected", "", placed, values, at)
            sent.append(attrs.evolve(connected, ozml=response, assumed=""))
        finished_url = params.get("FinishedUrl", "").strip()
        if finished_url:
            # When the connected call ends: after the plan's talk time (assumed), and never
            # before the connected call's script has run (it is queued behind it).
            done = {**values, "CallState": CallState.COMPLETED.value,
                    "Duration": f"{rang.talk:g}"}
            ended = attrs.evolve(placed, notification="Finished")
            sent.append(
                self._notification("Finished", finished_url, ended, done, at + rang.talk)
            )
        return tuple(sent)

    @handles("Route")
    def route(self, step: Step) -> Outcome:
        destination = step.params.get("Destination", "").strip()
        if not destination:
            return Outcome(
                False, REJECTED, "an empty Destination rejects the caller (spec §7.29)",
                self._lasts(step, 0.0),
            )
        self.placed += 1
        rang = self._ring(
            step, self.routes.next(destination), source=step.call.caller, target=destination,
            call_id=f"{step.call.call_id}.r{self.placed}",
        )
        return Outcome(rang.ring.answered, rang.ring.result(), _why(rang.ring), rang.seconds)

    # -- messages and alarms ----------------------------------------------------------------

    @handles("SendSms")
    def sms(self, step: Step) -> Outcome:
        outcome = Outcome(duration=self.timing.get("SendSms", 0.0))
        url = step.params.get("DeliveryReportURL", "").strip()
        if not url:
            return outcome
        recipient = step.params.get("Recipient", "")
        delivered = self.reports.next(recipient)
        values = {"Recipient": recipient, "DeliveryState": "Delivered" if delivered else "Failed"}
        report = attrs.evolve(step.call, notification="SMSDeliveryReport", params={})
        notification = self._notification("SMSDeliveryReport", url, report, values)
        return attrs.evolve(outcome, notifications=(notification,))

    @handles("ReceiveAlarmNotification")
    def alarm(self, step: Step) -> Outcome:
        seconds = self.timing.get(step.command, 0.0)
        if not self.alarms.next(""):
            return Outcome(
                False, "failed", "the scenario makes the alarm reception fail", seconds
            )
        return Outcome(
            result="received", duration=seconds, variables=dict(self.config.alarm_fields)
        )


@attrs.frozen
class _Rang:
    """How ringing one call on the switchboard went: the call, the outcome, how long it rang
    (the step's duration), its moves (state, seconds after the ringing began) and how long it
    was talked on."""

    call: SimCall
    ring: Ring
    seconds: float
    moves: tuple[tuple[CallState, float], ...]
    talk: float


class _Nobody:
    """The dry run's directory: no extension is looked up, every ringing is planned."""

    def extension(self, number: str) -> Extension | None:
        return None


#: Notifications whose answer is OzML the PBX runs (documented); for the others a scenario
#: may give an answer, and without one the request is simply sent.
_RUNS_ANSWER = frozenset({"CallConnected", "RecordCompleted"})
_OK = Outcome()


#: The detail of a ringing that is not answered, after "the scenario makes this" (this: the
#: number rung): one for every outcome but answer.
_MAKES: Mapping[Ring, str] = {
    Ring.BUSY: "busy",
    Ring.NO_ANSWER: "go unanswered",
    Ring.NOT_FOUND: "an unknown number",
    Ring.FAILED: "fail",
}


def _why(ring: Ring) -> str:
    return "" if ring.answered else f"the scenario makes this {_MAKES[ring]}"


def from_settings(settings: ExecutorSettings) -> DryRunExecutor:
    """The registry's factory: the scenario's plan when a scenario is given, else defaults."""
    if settings.scenario is None:
        return DryRunExecutor()
    from ozml.interpreter.scenario import load_scenario

    return DryRunExecutor(load_scenario(settings.scenario).dry_run)


def handled_commands() -> Iterable[str]:
    return DryRunExecutor.dispatch.keys()


__all__ = [
    "REJECTED",
    "TARGETS",
    "DryRunConfig",
    "DryRunExecutor",
    "Plan",
    "from_settings",
    "handled_commands",
]
