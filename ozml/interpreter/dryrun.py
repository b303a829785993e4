"""The dry-run executor: a PBX that exists only in a scenario.

Every OzML command has a handler here. Most simply succeed; the commands whose outcome changes
what happens next take it from the scenario's plan:

* transfers (BlindTransfer, AttendedTransfer, ForwardCall): succeed or fail
* placed calls (Call, CallSetup, Request, SendAlarmNotification): answered, busy, no answer, or
  an error
* ReceiveAlarmNotification: received (with the alarm fields as variables) or failed

Time: a command takes the seconds the scenario's `[timing]` table gives it (default 0).
Notifications: a Call that is answered sends CallConnected to its Url; a Record with FinishedUrl
sends RecordCompleted with a RecordURL. The engine fetches them from the scenario and runs the
answers as further calls. Nothing here sleeps, touches the network or reads a clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

import attrs

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

#: The words a scenario may use per outcome group, and the trace result each one gives.
TRANSFER_OUTCOMES = {"succeed": "transferred", "fail": "failed"}
CALL_OUTCOMES = {"answer": "answered", "busy": "busy", "no-answer": "no-answer", "error": "failed"}
ALARM_OUTCOMES = {"receive": "received", "fail": "failed"}

#: The parameter that names the target of each command with a planned outcome.
TARGETS = {
    "BlindTransfer": "Target",
    "AttendedTransfer": "TargetCallId",
    "ForwardCall": "Destination",
    "Call": "Dialed",
    "CallSetup": "Callee",
    "Request": "DialedAddress",
    "SendAlarmNotification": "PhoneNumber",
    "ReceiveAlarmNotification": "",
}

HTTP_ONLY_REASON = "{0} is an HTTP API command; a dry run of OzML never sends it (D5)"


@attrs.frozen
class Plan:
    """The outcomes of one group of commands: by target first, then in order, then a default."""

    default: str
    by_target: Mapping[str, str] = attrs.field(factory=dict)
    sequence: tuple[str, ...] = ()


@attrs.frozen
class DryRunConfig:
    """Everything the dry-run executor takes from a scenario."""

    transfer: Plan = Plan("succeed")
    call: Plan = Plan("answer")
    alarm: Plan = Plan("receive")
    alarm_fields: Mapping[str, Value] = attrs.field(factory=dict)
    timing: Mapping[str, float] = attrs.field(factory=dict)


class _Chooser:
    """Hands out a plan's outcomes (the sequence is consumed as commands run)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.used = 0

    def next(self, target: str) -> str:
        chosen = self.plan.by_target.get(target)
        if chosen is not None:
            return chosen
        if self.used < len(self.plan.sequence):
            self.used += 1
            return self.plan.sequence[self.used - 1]
        return self.plan.by_target.get("*", self.plan.default)


class DryRunExecutor(BaseExecutor):
    """Carries out nothing; says what a PBX would have done, as the scenario planned it."""

    name = "dry-run"
    refusals: ClassVar[Mapping[str, str]] = {
        cmd.name: HTTP_ONLY_REASON.format(cmd.name) for cmd in COMMANDS if not cmd.in_ozml
    }

    def __init__(self, config: DryRunConfig | None = None) -> None:
        self.config = config or DryRunConfig()
        self.timing = dict(self.config.timing)
        self.transfers = _Chooser(self.config.transfer)
        self.calls = _Chooser(self.config.call)
        self.alarms = _Chooser(self.config.alarm)
        self.placed = 0
        self.recordings = 0

    def _took(self, step: Step, result: str = "ok", detail: str = "", ok: bool = True) -> Outcome:
        return Outcome(ok, result, detail, self.timing.get(step.command, 0.0))

    @handles(
        "Speak", "Play", "Beep", "SendDTMF", "Hold", "Unhold", "SendSms", "SendEmail",
        "SendMsg", "MoveFile", "DeleteFile", "WaitForMsg", "Route", "Hangup", "Reject",
    )
    def effect(self, step: Step) -> Outcome:
        if not self.timing:
            return _OK
        return self._took(step)

    @handles("BlindTransfer", "AttendedTransfer", "ForwardCall")
    def transfer(self, step: Step) -> Outcome:
        target = step.params.get(TARGETS[step.command], "")
        word = self.transfers.next(target)
        result = TRANSFER_OUTCOMES[word]
        detail = "" if word == "succeed" else "the scenario makes this transfer fail"
        return self._took(step, result, detail, word == "succeed")

    @handles("Call", "CallSetup", "Request", "SendAlarmNotification")
    def place(self, step: Step) -> Outcome:
        target = step.params.get(TARGETS[step.command], "")
        word = self.calls.next(target)
        answered = word == "answer"
        outcome = self._took(step, CALL_OUTCOMES[word], "", answered)
        url = step.params.get("Url", "").strip()
        if step.command == "Call" and answered and url:
            self.placed += 1
            caller = (
                step.params.get("CallerId")
                or step.params.get("ApiExtension")
                or step.call.callee
            )
            connected = Call(
                call_id=f"{step.call.call_id}.{self.placed}",
                caller=caller,
                callee=target,
                notification="CallConnected",
                context=Context.EXTENSION,
            )
            outcome = attrs.evolve(
                outcome, notifications=(Notification(url, "CallConnected", connected),)
            )
        return outcome

    @handles("Record")
    def record(self, step: Step) -> Outcome:
        outcome = self._took(step)
        url = step.params.get("FinishedUrl", "").strip()
        if not url:
            return outcome
        self.recordings += 1
        extension = step.params.get("Format", "mp3").strip() or "mp3"
        # A placeholder location: the real PBX names the file; a dry run has none to name.
        record_url = f"recordings/{step.call.call_id}-{self.recordings}.{extension}"
        finished = attrs.evolve(step.call, notification="RecordCompleted", params={})
        notification = Notification(url, "RecordCompleted", finished, {"RecordURL": record_url})
        return attrs.evolve(outcome, notifications=(notification,))

    @handles("ReceiveAlarmNotification")
    def alarm(self, step: Step) -> Outcome:
        word = self.alarms.next("")
        if word != "receive":
            return self._took(step, "failed", "the scenario makes the alarm reception fail", False)
        outcome = self._took(step, "received")
        return attrs.evolve(outcome, variables=dict(self.config.alarm_fields))


_OK = Outcome()


def from_settings(settings: ExecutorSettings) -> DryRunExecutor:
    """The registry's factory: the scenario's plan when a scenario is given, else defaults."""
    if settings.scenario is None:
        return DryRunExecutor()
    from ozml.interpreter.scenario import load_scenario

    return DryRunExecutor(load_scenario(settings.scenario).dry_run)


def handled_commands() -> Iterable[str]:
    return DryRunExecutor.dispatch.keys()


__all__ = [
    "ALARM_OUTCOMES",
    "CALL_OUTCOMES",
    "TRANSFER_OUTCOMES",
    "DryRunConfig",
    "DryRunExecutor",
    "Plan",
    "from_settings",
    "handled_commands",
]
