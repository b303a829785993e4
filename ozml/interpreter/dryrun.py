"""The dry-run executor: the shared call model (`ozml.callmodel`) with nobody on the line.

Every OzML command has a handler here. What a command does to the call comes from the call
model, what the world does from the scenario's plan:

* **time**: Speak lasts `Timing.seconds_per_word` per word, Play its file's duration (the
  scenario's ``[media]``, else `Timing.play_seconds`; ``Repeat="true"`` until something ends it),
  Beep `Timing.beep_seconds`, Record until Duration, silence or (the engine decides) a
  FinishDigits key or the caller hanging up; a ``[timing]`` entry for a command wins over all of
  these. Every default is assumed (docs/dry-run.md), and the trace line of a step whose
  length one decides says so, naming the setting.
* **ringing** (transfers, placed calls, Route): the scenario's outcome word for the target
  (`ozml.callmodel.outcomes`: answer, busy, no-answer, not-found, failed) and after how long,
  within the ring time (the command's RingTime, else `Timing.ring_time`). Where the scenario
  plans nothing, the default (`Plan.assumed`) is ozml's, and the trace line says so.
* **notifications** (`ozml.callmodel.notifications`, one definition of every form): CallConnected
  to Call's Url, RecordCompleted to Record's FinishedUrl, Error to ErrorUrl, Finished to
  FinishedUrl, AlarmResult to ResultUrl, SMSDeliveryReport to DeliveryReportURL. The engine
  sends them (fetches the scenario's answer) at their time and runs what they answer.

Nothing here sleeps, touches the network or reads a clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar
from urllib.parse import parse_qsl, urlsplit

import attrs

from ozml import xmlspace
from ozml.callmodel.notifications import (
    CONNECTED_UNFETCHED,
    RECORDING_3PCC_ENDS,
    NotificationNames,
    build_form,
)
from ozml.callmodel.outcomes import (
    DELIVERY_WORDS,
    RECEPTION_WORDS,
    Planned,
    Ring,
    parse_outcome,
    parse_word,
)
from ozml.callmodel.readings import (
    catalog_param,
    read_choice,
    read_flag,
    read_given,
    record_format,
)
from ozml.callmodel.states import CallState
from ozml.callmodel.switchboard import (
    Extension,
    ManualScheduler,
    SimCall,
    Switchboard,
    ringing,
)
from ozml.callmodel.timing import DEFAULT_TIMING, Timing, refused_seconds
from ozml.callmodel.timing import seconds as param_seconds
from ozml.catalog import COMMANDS, Context, command
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
    #: Whether `default` is ozml's assumption rather than the scenario's word (no outcome
    #: planned for the group, a list that ran out, a table without ``"*"``): the trace says so
    #: where it is used.
    assumed: bool = False


def _reading(read: Callable[[Any], T]) -> Callable[[Plan[Any]], Plan[T]]:
    def convert(plan: Plan[Any]) -> Plan[T]:
        return Plan(
            read(plan.default),
            {target: read(value) for target, value in plan.by_target.items()},
            tuple(read(value) for value in plan.sequence),
            plan.assumed,
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


_ANSWER = Plan(Planned(Ring.ANSWER), assumed=True)


@attrs.frozen
class DryRunConfig:
    """Everything the dry-run executor takes from a scenario."""

    transfer: Plan[Planned] = attrs.field(default=_ANSWER, converter=_rings)
    call: Plan[Planned] = attrs.field(default=_ANSWER, converter=_rings)
    route: Plan[Planned] = attrs.field(default=_ANSWER, converter=_rings)
    alarm: Plan[bool] = attrs.field(default=Plan(True, assumed=True), converter=_receptions)
    sms: Plan[bool] = attrs.field(default=Plan(True, assumed=True), converter=_deliveries)
    alarm_fields: Mapping[str, Value] = attrs.field(factory=dict)
    #: Seconds per command name (``[timing] Speak = 2``): wins over every computed duration.
    timing: Mapping[str, float] = attrs.field(factory=dict)
    durations: Timing = DEFAULT_TIMING
    #: The durations (`Timing` fields) the scenario sets: the others, while they keep their
    #: default, are assumed, and the trace says so where one decides a step's length.
    durations_given: frozenset[str] = frozenset()
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
        return self.pick(target)[0]

    def pick(self, target: str) -> tuple[T, bool]:
        """The outcome for `target`, and whether it is ozml's assumption (`Plan.assumed`)."""
        chosen = self.plan.by_target.get(target)
        if chosen is not None:
            return chosen, False
        if self.used < len(self.plan.sequence):
            self.used += 1
            return self.plan.sequence[self.used - 1], False
        chosen = self.plan.by_target.get("*")
        if chosen is not None:
            return chosen, False
        return self.plan.default, self.plan.assumed


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
        # Play's length with no length of its own: NaN comes back exactly when the file's
        # length would be `play_seconds` (the model says, rather than this repeating it).
        self._probe = attrs.evolve(self.durations, play_seconds=math.nan)
        #: Per prompt command whose length ozml assumes (the scenario neither times the command
        #: nor sets the duration, which keeps its default): what the trace says of each length
        #: (`_length`), made once.
        self._notes: dict[str, dict[float, str]] = {
            command: {}
            for command, field in _LENGTHS.items()
            if command not in self.timing
            and field not in self.config.durations_given
            and getattr(self.durations, field) == getattr(DEFAULT_TIMING, field)
        }
        #: `_file_assumed` per (AudioFile, Repeat).
        self._files: dict[tuple[str | None, str | None], bool] = {}

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
        given = param_seconds(step.command, "RingTime", step.params.get("RingTime"))
        return given or self.durations.ring_time

    def _unread_ring_time(self, step: Step) -> str:
        """What the trace says of a RingTime the linter refuses ("" for one it reads)."""
        return refused_seconds(
            step.command, "RingTime", step.params.get("RingTime"),
            f"it rings for ring_time = {self.durations.ring_time:g} s instead (assumed)",
        )

    def _assumed_ring_time(self, step: Step, ring: Ring) -> str:
        """What the trace says of a ringing that went unanswered for ozml's ring time ("" when
        the time is not ozml's): no RingTime read, `Timing.ring_time` at its default, and no
        default the vendor states for the command's RingTime (spec §7.29 states Route's alone;
        §7.3, §7.13 give Call's and Request's none, the transfers have no RingTime)."""
        if ring is not Ring.NO_ANSWER or "ring_time" in self.config.durations_given:
            return ""
        if self.durations.ring_time != DEFAULT_TIMING.ring_time:
            return ""
        if param_seconds(step.command, "RingTime", step.params.get("RingTime")):
            return ""
        if self._unread_ring_time(step):
            return ""  # said already, with the same setting
        param = catalog_param(step.command, "RingTime")
        if param is not None and param.defaulted.stated:
            return ""
        return f"it rings for ring_time = {self.durations.ring_time:g} s (assumed)"

    def _moved(self, call: SimCall, state: CallState) -> None:
        elapsed = (self.scheduler.now() - self._started).total_seconds()
        self._moves.append((call, state, elapsed))

    def _ring(
        self, step: Step, planned: Planned, *, source: str, target: str, call_id: str
    ) -> _Rang:
        """Ring `target` on the switchboard as `planned` says, until the call ends."""
        talked = ""
        if planned.ring.answered and planned.talk is None:
            talk = self.durations.talk_seconds
            planned = attrs.evolve(planned, talk=talk)
            if "talk_seconds" not in self.config.durations_given and (
                talk == DEFAULT_TIMING.talk_seconds
            ):
                talked = f"the call lasts talk_seconds = {talk:g} s (assumed)"
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
        return _Rang(call, ring, seconds, moves, round(call.talk_seconds(ended), 6), talked)

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
        unknown = _UNDOCUMENTED.get(step.command)
        if unknown is not None:
            # D6: no page says what these do; the dry run takes them to succeed.
            when = " at once" if seconds is None else ""
            return Outcome(detail=unknown.format(when=when), duration=seconds or 0.0)
        return _OK if seconds is None else Outcome(duration=seconds)

    @handles("Speak", "Beep", "Play")
    def prompt(self, step: Step) -> Outcome:
        command = step.command
        given = self.timing.get(command)
        if given is not None:  # the scenario's [timing]: nothing about the length is assumed
            return Outcome(detail=_BEEP if command == "Beep" else "", duration=given)
        seconds = self.durations.lasts(command, step.params, self.media)
        # Where ozml assumes the length (the vendor documents none), the trace says how long
        # and which setting it comes from; not where the scenario gives it ([media], a
        # duration it sets) or it does not depend on one (a Play that repeats).
        notes = self._notes.get(command)
        detail = ""
        if notes is not None and (command != "Play" or self._file_assumed(step.params)):
            detail = notes.get(seconds) or self._length(command, seconds)
        if command == "Beep":
            detail = _join(detail, _BEEP)
        elif command == "Play":
            detail = _join(detail, _play_refused(step.params))
        return Outcome(detail=detail, duration=seconds)

    def _length(self, command: str, seconds: float) -> str:
        """What the trace says of a prompt `seconds` long whose length ozml assumes."""
        field = _LENGTHS[command]
        note = f"{seconds:g} s long ({field} = {getattr(self.durations, field):g}, assumed)"
        notes = self._notes[command]
        if len(notes) < 1024:
            notes[seconds] = note
        return note

    def _file_assumed(self, params: Mapping[str, str]) -> bool:
        """Whether a Play's length is `play_seconds`: its file is not in ``[media]`` and it
        does not repeat (the model answers NaN then; its Timeout cannot change that)."""
        key = (params.get("AudioFile"), params.get("Repeat"))
        found = self._files.get(key)
        if found is None:
            found = math.isnan(self._probe.play(params, self.media))
            if len(self._files) < 1024:
                self._files[key] = found
        return found

    @property
    def media(self) -> Mapping[str, float]:
        return self.config.media

    @handles("Record")
    def record(self, step: Step) -> Outcome:
        params = step.params
        at_once = step.call.context is Context.THREE_PCC
        if at_once:
            # A 3PCC Record starts recording a call in progress; how long it runs is not this
            # script's time (assumed: the command returns at once).
            length, result, finish = self._lasts(step, 0.0), "ok", ""
            at_once = "Record" not in self.timing
        else:
            length, result = self._record_length(step)
            length = self._lasts(step, length)
            finish = read_given("Record", "FinishDigits", params.get("FinishDigits"))[0]
        refused = _join(
            refused_seconds(
                "Record", "Duration", params.get("Duration"),
                "the recording has no Duration limit (assumed)",
            ),
            refused_seconds(
                "Record", "Inactivity", params.get("Inactivity"),
                "silence does not end the recording (assumed)",
            ),
        )
        url, taken = read_given("Record", "FinishedUrl", params.get("FinishedUrl"))
        # Format read as the linter reads it; a value it refuses is the default (assumed).
        unread = read_choice("Record", "Format", params.get("Format"))[1]
        if url:
            refused = _join(refused, unread)
        outcome = Outcome(
            result=result, detail=_join(refused, _RECORDS_ON_ITS_OWN if at_once else ""),
            duration=length, finish_keys=finish, show_end=True,
        )
        if not url:
            return outcome
        self.recordings += 1
        extension = record_format(params)
        # A placeholder location: the real PBX names the file; a dry run has none to name.
        record_url = f"recordings/{step.call.call_id}-{self.recordings}.{extension}"
        finished = attrs.evolve(step.call, notification="RecordCompleted", params={})
        notification = self._notification(
            "RecordCompleted", url, finished,
            {"CallId": step.call.call_id, "RecordURL": record_url},
        )
        notification = _noted(notification, _join(taken, _RECORDED_AT_ONCE if at_once else ""))
        return attrs.evolve(outcome, notifications=(notification,))

    def _record_length(self, step: Step) -> tuple[float, str]:
        """How long a recording lasts unless a key or a hang-up ends it first, and why."""
        params = step.params
        length, result = self.durations.record(params)
        inactivity = param_seconds("Record", "Inactivity", params.get("Inactivity"))
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
        name = TARGETS[step.command]
        target, taken = read_given(step.command, name, step.params.get(name))
        if not target:
            # Nothing to ring (OZ201 reports the missing parameter): what the PBX does is not
            # documented; the dry run takes it that the transfer fails at once, rather than
            # ringing an empty number and calling it answered. No planned outcome is spent.
            return Outcome(
                False,
                Ring.FAILED.result(transfer=True),
                f"no {name} to transfer to: assumed to fail (the vendor does not say)",
                0.0,
            )
        planned, assumed = self.transfers.pick(target)
        unplanned = _join(
            _join(taken, self._unread_ring_time(step)),
            _unplanned("transfer", planned, target) if assumed else "",
        )
        refused = self.board.reachable(target, planned)
        if refused is not None:
            # A target that is busy, unknown or failing is known before the call moves (as
            # the simulator's switchboard refuses it): no call rings, nothing changes state.
            _, after = ringing(planned, self._ring_time(step), self.durations.answer_after)
            return Outcome(False, refused.result(transfer=True),
                           _join(_why(refused), unplanned), self._lasts(step, after))
        self.transferred += 1
        rang = self._ring(
            step, planned, source=step.call.caller, target=target,
            call_id=f"{step.call.call_id}.t{self.transferred}",
        )
        ring, seconds = rang.ring, rang.seconds
        unplanned = _join(unplanned, self._assumed_ring_time(step, ring))
        outcome = Outcome(ring.answered, ring.result(transfer=True),
                          _join(_why(ring), unplanned), seconds)
        sent = self._changes(rang, step.call, step.time)
        url, taken = read_given(step.command, "FinishedUrl", step.params.get("FinishedUrl"))
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
            sent.append(attrs.evolve(_noted(self._notification(
                "Finished", url, finished, values, step.time + seconds + rang.talk
            ), _join(taken, rang.talked)), not_run=_FINISHED_NOT_RUN))
        return attrs.evolve(outcome, notifications=tuple(sent)) if sent else outcome

    @handles("Call", "CallSetup", "Request", "SendAlarmNotification")
    def place(self, step: Step) -> Outcome:
        params = step.params
        name = TARGETS[step.command]
        target, taken = read_given(step.command, name, params.get(name))
        self.placed += 1
        caller = params.get("CallerId") or params.get("Caller") or params.get(
            "ApiExtension"
        ) or step.call.callee
        call_id = f"{step.call.call_id}.{self.placed}"
        if target:
            planned, assumed = self.calls.pick(target)
            detail = _join(taken, _unplanned("call", planned, target) if assumed else "")
        else:
            # Nothing to ring (OZ201 reports the missing parameter): as for a transfer without
            # a target, the call is taken to fail at once rather than to ring an empty number
            # and be answered; no planned outcome is spent. It fails as any call does (its
            # ErrorUrl, CallChanged), so the rest of the run is what a failed call gives.
            planned, assumed = Planned(Ring.FAILED), False
            detail = f"no {name} to call: assumed to fail (the vendor does not say)"
        rang = self._ring(step, planned, source=caller, target=target, call_id=call_id)
        ring, seconds = rang.ring, rang.seconds
        detail = _join(_why(ring) if target else "", detail)
        detail = _join(detail, self._unread_ring_time(step) or self._assumed_ring_time(step, ring))
        # Only Request waits for the ringing (its handlers run on the outcome); the others
        # place a separate call and the script goes on (assumed: the vendor does not say).
        waits = step.command == "Request"
        if not waits and target:
            detail = _join(detail, _GOES_ON_AT_ONCE)
        outcome = Outcome(ring.answered, ring.result(), detail, seconds if waits else 0.0)
        at = step.time + seconds
        placed = Call(
            call_id=call_id,
            caller=caller,
            callee=target,
            notification="CallConnected",
            context=Context.EXTENSION,
        )
        sent = self._placed_notifications(
            step, rang, placed, at, self._changes(rang, placed, step.time)
        )
        return attrs.evolve(outcome, notifications=sent) if sent else outcome

    def _placed_notifications(
        self, step: Step, rang: _Rang, placed: Call, at: float, changes: list[Notification]
    ) -> tuple[Notification, ...]:
        """What a placed call sends: `changes` (its CallChanged), then its own notifications.
        A connected call whose OzML runs (CallConnected) ends when that OzML ends it or the
        callee hangs up, whichever comes first, so what its end sends (CallChanged to
        Completed, Finished) goes with the CallConnected (`Notification.ends`), and the
        engine sends it when the call ends."""
        params = step.params
        ring = rang.ring
        values = {"CallId": placed.call_id, "Caller": placed.caller, "Callee": placed.callee}
        sent: list[Notification] = list(changes)
        if step.command == "SendAlarmNotification":
            url, taken = read_given(step.command, "ResultUrl", params.get("ResultUrl"))
            if url:
                state = CallState.COMPLETED if ring.answered else ring.call_state
                result = {"CallId": placed.call_id, "Callee": placed.callee,
                          "CallState": state.value}
                sent.append(_noted(
                    self._notification("AlarmResult", url, step.call, result, at), taken
                ))
            return tuple(sent)
        if step.command not in ("Call", "CallSetup"):
            return ()
        if not ring.answered:
            url, taken = read_given(step.command, "ErrorUrl", params.get("ErrorUrl"))
            if url:
                error = {**values, "CallState": ring.call_state.value}
                gone = attrs.evolve(placed, notification="Error")
                sent.append(_noted(self._notification("Error", url, gone, error, at), taken))
            return tuple(sent)
        url, taken = read_given(step.command, "Url", params.get("Url"))
        response = params.get("ResponseOzML", "")
        connected: Notification | None = None
        if step.command == "Call" and url:
            connected = _noted(
                self._notification("CallConnected", url, placed, values, at, _query(url)), taken
            )
        elif step.command == "Call" and not xmlspace.is_blank(response):
            # Gen-B: without a Url, the PBX runs ResponseOzML on the connected call [hu7632].
            connected = self._notification("CallConnected", "", placed, values, at)
            taken = read_given(step.command, "ResponseOzML", response)[1]
            connected = attrs.evolve(connected, ozml=response, assumed=taken)
        finished: Notification | None = None
        finished_url, taken = read_given(step.command, "FinishedUrl", params.get("FinishedUrl"))
        if finished_url:
            # When the connected call ends: after the plan's talk time (assumed), unless its
            # OzML ends it first (then the engine sends it, `Notification.ends`).
            done = {**values, "CallState": CallState.COMPLETED.value,
                    "Duration": f"{rang.talk:g}"}
            ended = attrs.evolve(placed, notification="Finished")
            finished = attrs.evolve(_noted(
                self._notification("Finished", finished_url, ended, done, at + rang.talk), taken
            ), not_run=_FINISHED_NOT_RUN)
        if connected is None:
            if finished is not None:
                sent.append(_noted(finished, rang.talked))
            return tuple(sent)
        # Whether the OzML comes from Url or ResponseOzML, OzML that cannot run ends the call
        # in state Error (`CONNECTED_UNFETCHED`); OzML that runs decides when the call ends.
        completed = [
            change for change, (state, _) in zip(changes, rang.moves, strict=False)
            if state is CallState.COMPLETED
        ]
        sent = [change for change in sent if all(change is not c for c in completed)]
        sent.append(attrs.evolve(
            connected, failing=CONNECTED_UNFETCHED,
            on_failure=self._unfetched(step, rang, placed, values),
            lasts=rang.talk, lasts_note=rang.talked,
            ends=(*completed, *(() if finished is None else (finished,))),
        ))
        return tuple(sent)

    def _unfetched(
        self, step: Step, rang: _Rang, placed: Call, values: Mapping[str, str]
    ) -> tuple[Notification, ...]:
        """What a placed call's end in state Error sends when its CallConnected answer cannot
        be fetched (`CONNECTED_UNFETCHED`): CallChanged to the 3PCC URL and Error to ErrorUrl,
        as for a call that fails; sent when the fetch fails (`Notification.on_failure`)."""
        state = CallState.ERROR.value
        sent: list[Notification] = []
        changed_url = self.config.call_changed_url
        if changed_url:
            changed = attrs.evolve(placed, notification="CallChanged", context=Context.THREE_PCC,
                                   params={})
            sent.append(self._notification(
                "CallChanged", changed_url, changed,
                {"CallId": rang.call.id, "CallState": state, "Caller": rang.call.source,
                 "Callee": rang.call.destination},
            ))
        url, taken = read_given(step.command, "ErrorUrl", step.params.get("ErrorUrl"))
        if url:
            gone = attrs.evolve(placed, notification="Error")
            sent.append(_noted(
                self._notification("Error", url, gone, {**values, "CallState": state}), taken
            ))
        return tuple(sent)

    @handles("Route")
    def route(self, step: Step) -> Outcome:
        destination, taken = read_given("Route", "Destination", step.params.get("Destination"))
        if not destination:
            return Outcome(
                False, REJECTED, "an empty Destination rejects the caller (spec §7.29)",
                self._lasts(step, 0.0),
            )
        self.placed += 1
        planned, assumed = self.routes.pick(destination)
        rang = self._ring(
            step, planned, source=step.call.caller, target=destination,
            call_id=f"{step.call.call_id}.r{self.placed}",
        )
        unplanned = _join(
            _join(taken, self._unread_ring_time(step)),
            _unplanned("route", planned, destination) if assumed else "",
        )
        unplanned = _join(unplanned, self._assumed_ring_time(step, rang.ring))
        return Outcome(rang.ring.answered, rang.ring.result(),
                       _join(_why(rang.ring), unplanned), rang.seconds)

    # -- messages and alarms ----------------------------------------------------------------

    @handles("SendSms")
    def sms(self, step: Step) -> Outcome:
        outcome = Outcome(duration=self.timing.get("SendSms", 0.0))
        written = step.params.get("DeliveryReportURL")
        url, taken = read_given("SendSms", "DeliveryReportURL", written)
        if not url:
            if "DeliveryReportURL" in step.params:
                # The vendor states it: empty, no report (`Param.empty_means`).
                return attrs.evolve(outcome, detail=_empty_means(step, "DeliveryReportURL"))
            return outcome
        recipient = step.params.get("Recipient", "")
        delivered, assumed = self.reports.pick(recipient)
        values = {"Recipient": recipient, "DeliveryState": "Delivered" if delivered else "Failed"}
        report = attrs.evolve(step.call, notification="SMSDeliveryReport", params={})
        notification = _noted(self._notification("SMSDeliveryReport", url, report, values), taken)
        if assumed:
            note = _unplanned("sms", "delivered" if delivered else "failed", recipient)
            notification = attrs.evolve(notification, assumed=_join(notification.assumed, note))
        return attrs.evolve(outcome, notifications=(notification,))

    @handles("ReceiveAlarmNotification")
    def alarm(self, step: Step) -> Outcome:
        seconds = self.timing.get(step.command, 0.0)
        received, assumed = self.alarms.pick("")
        if not received:
            return Outcome(
                False, "failed", "the scenario makes the alarm reception fail", seconds
            )
        return Outcome(
            result="received",
            detail=_unplanned("alarm", "receive", "") if assumed else "",
            duration=seconds,
            variables=dict(self.config.alarm_fields),
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
    #: What the trace says of `talk` where it is ozml's `Timing.talk_seconds` ("" otherwise).
    talked: str = ""


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


def _unplanned(group: str, outcome: Planned | str, target: str) -> str:
    """What the trace says of an outcome the scenario does not plan: ozml's default for the
    group (`Plan.assumed`), named with the ``[outcomes]`` key that plans it."""
    word = outcome.ring.value if isinstance(outcome, Planned) else outcome
    planned = f"no outcome for {target!r}" if target else "no outcome"
    return f"the scenario plans {planned} (outcomes.{group} = {word}, assumed)"


def _play_refused(params: Mapping[str, str]) -> str:
    """What the trace says of a Play's Timeout or Repeat the linter refuses, and how the run
    takes it ("" when it reads both)."""
    timeout = refused_seconds(
        "Play", "Timeout", params.get("Timeout"), "the Play is not cut short (assumed)"
    )
    return _join(timeout, read_flag("Play", "Repeat", params.get("Repeat"))[1])


def _empty_means(step: Step, name: str) -> str:
    """What the trace says of `name` given empty where the vendor states what that means."""
    means = command(step.command).param(name).empty_means
    assert means is not None, name
    return f"{name} is empty: {means}"


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first and second else first or second


def _noted(notification: Notification, note: str) -> Notification:
    """`notification` with `note` (`read_given`'s: its URL is read on an assumed fact) added
    to what its trace line says is assumed."""
    return attrs.evolve(notification, assumed=_join(notification.assumed, note)) if note else (
        notification
    )


#: What the trace says of an answer to Finished: the call it is about has ended, and whether a
#: PBX runs OzML answered to FinishedUrl at all is not stated (spec §5.1: FinishedUrl is
#: "requested", and Finished is not among the notifications OzML is listed as answering).
_FINISHED_NOT_RUN = (
    "its answer is not run: the call it is about has ended (assumed: the vendor does not say"
    " whether the PBX runs OzML answered to FinishedUrl, spec §5.1)"
)
#: What the trace says of Call, CallSetup and SendAlarmNotification: the vendor says what
#: happens to the call they place, not whether the script waits for it.
_GOES_ON_AT_ONCE = "the script goes on at once (assumed: the placed call rings on its own)"
#: What the trace says of a 3PCC Record and its RecordCompleted: the vendor says under 3PCC
#: it records a chosen call, not when that recording ends (spec §7.12; Duration, Inactivity and
#: FinishDigits are ext-control only).
_RECORDS_ON_ITS_OWN = "the script goes on at once (assumed: the recording runs on its own)"
_RECORDED_AT_ONCE = f"sent at once ({RECORDING_3PCC_ENDS})"
#: The commands whose length ozml assumes, and the `Timing` field it comes from.
_LENGTHS: Mapping[str, str] = {
    "Speak": "seconds_per_word", "Play": "play_seconds", "Beep": "beep_seconds",
}
#: What the trace says of the commands no vendor page documents (D6; spec §7.22, §7.24,
#: §7.34): the dry run takes them to succeed. `{when}` is " at once" when they take no time.
_BEEP = "undocumented (spec §7.22): assumed to succeed (D6)"
_UNDOCUMENTED: Mapping[str, str] = {
    "DeleteFile": "undocumented (spec §7.24): assumed to succeed{when} (D6)",
    "WaitForMsg": "undocumented (spec §7.34): assumed to succeed{when}, defining no variable"
    " (D6)",
}


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
