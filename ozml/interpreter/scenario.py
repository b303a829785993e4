"""Scenario files: what a dry run needs to know about the world, in TOML (docs/dry-run.md).

A scenario names the script, describes the call and the notification, supplies variables, the
caller's DTMF keys (per prompt, or at times) and when the caller hangs up, the outcome of ringing
each target, how long things take, what each URL answers, and what the run is expected to look
like. Every key is checked: a mistake is a `ScenarioError`
naming the file, the key and what was expected (``ozml`` exits 2 on it).
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ozml.callmodel.notifications import KINDS, NotificationNames
from ozml.callmodel.outcomes import (
    DELIVERY_WORDS,
    OUTCOME_WORDS,
    RECEPTION_WORDS,
    Planned,
    parse_outcome,
)
from ozml.callmodel.timeline import CallerError, KeyEvent, parse_caller
from ozml.callmodel.timing import DEFAULT_TIMING, Timing, parse_duration
from ozml.catalog import Context, lookup_element
from ozml.dataformats import DataError, load_toml
from ozml.files import ReadError, not_utf8, read_file, unreadable
from ozml.interpreter.context import Call, Value
from ozml.interpreter.dryrun import DryRunConfig, Plan
from ozml.interpreter.engine import (
    AFTER_INPUT,
    AFTER_TRANSFER,
    BACK_KEY,
    BEFORE_HANGUP,
    CALLER_HANGUP,
    END_OF_SCRIPT,
    ERROR,
    EXIT,
    EXTRA_KEYS,
    FETCH_FAILED,
    HANGUP,
    NOTIFICATION_ANSWERS,
    REJECT,
    ROUTED,
    STEP_LIMIT,
    TRANSFERRED,
    VALUE_LIMIT,
    EngineOptions,
)
from ozml.interpreter.expect import Expectation
from ozml.interpreter.fetch import Answer
from ozml.interpreter.inputs import HANGUP as HANGUP_ENTRY
from ozml.interpreter.inputs import TIMEOUT, Entry, parse_entry

ENDINGS = (
    END_OF_SCRIPT, HANGUP, EXIT, REJECT, TRANSFERRED, ROUTED, CALLER_HANGUP, FETCH_FAILED,
    STEP_LIMIT, VALUE_LIMIT, ERROR,
)

_KEYS: dict[str, tuple[str, ...]] = {
    "": (
        "script", "description", "context", "force", "call", "variables", "input",
        "outcomes", "alarm", "timing", "media", "record", "notifications", "urls", "engine",
        "expect",
    ),
    "call": ("id", "caller", "callee", "notification", "params"),
    "input": ("dtmf", "hangup", "when_done"),
    "input.dtmf": ("at", "keys"),
    "outcomes": ("transfer", "call", "route", "alarm", "sms"),
    "outcome": ("outcome", "after", "talk"),
    "record": ("silence_at",),
    "engine": (
        "max_steps", "fetch_failure", "keep_variables", "max_value_bytes", "max_total_bytes",
        "notification_answers", "after_input", "extra_keys", "blind_transfer",
        "attended_transfer", "back_key",
    ),
    "expect": ("end", "trace", "includes"),
}
#: Per group of [outcomes]: its words and its default.
_OUTCOME_WORDS: dict[str, tuple[tuple[str, ...], str]] = {
    "transfer": (OUTCOME_WORDS, "answer"),
    "call": (OUTCOME_WORDS, "answer"),
    "route": (OUTCOME_WORDS, "answer"),
    "alarm": (tuple(RECEPTION_WORDS), "receive"),
    "sms": (tuple(DELIVERY_WORDS), "delivered"),
}
#: The groups whose outcome is ringing (a word, or a table with the outcome and its time).
_RINGING = ("transfer", "call", "route")
#: The durations a [timing] table may set besides per-command seconds.
_DURATIONS = tuple(attrs.fields_dict(Timing))
_DTMF = re.compile(r"[0-9*#A-Da-d]+")
#: The key of [notifications] naming the 3PCC subscriber's URL (CallChanged), as the
#: simulator's ``[http-api] 3pcc-url``.
_SUBSCRIBER = "3pcc-url"


class ScenarioError(Exception):
    """A scenario file that cannot be used; the message names the file and the key."""


@attrs.frozen
class Scenario:
    path: Path
    script: Path | None
    description: str = ""
    #: None when the scenario does not say: the document's inline comment, else any.
    context: Context | None = None
    force: bool = False
    call: Call = attrs.field(factory=Call)
    variables: Mapping[str, Value] = attrs.field(factory=dict)
    #: Per-prompt entries (``dtmf = ["1", "timeout"]``).
    inputs: tuple[Entry, ...] = ()
    #: Keys at times (``dtmf = [{at = "3s", keys = "1"}]``); `timed` says which form was used.
    keys: tuple[KeyEvent, ...] = ()
    timed: bool = False
    #: When the caller hangs up (``hangup = "12s"``), None: never.
    hangup: float | None = None
    when_done: Entry = HANGUP_ENTRY
    dry_run: DryRunConfig = attrs.field(factory=DryRunConfig)
    urls: Mapping[str, Answer] = attrs.field(factory=dict)
    options: EngineOptions = attrs.field(factory=EngineOptions)
    expect: Expectation = attrs.field(factory=Expectation)

    @property
    def name(self) -> str:
        return self.description or self.path.stem


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.date | datetime.time):
        return f"a date or time ({value})"
    return type(value).__name__


def _choices(words: tuple[str, ...] | list[str]) -> str:
    return ", ".join(words)


def _path(data: object, key: str) -> tuple[str | int, ...]:
    """The path in the scenario's `data` of what a message's `key` names (``input.dtmf[0].at``,
    ``urls.'http://a'.file``, ``outcomes.call.102``), for its position: each part is the
    longest key of the table there that the rest of `key` starts with, as written or quoted
    (a key may hold dots), and ``[n]`` an element; where `key` goes on past the data (a key
    the table lacks), the path ends with what was found."""
    path: list[str | int] = []
    node, rest = data, key
    while rest:
        if rest.startswith("[") and isinstance(node, list):
            index, _, after = rest[1:].partition("]")
            if not index.isdigit() or int(index) >= len(node):
                break
            path.append(int(index))
            node, rest = node[int(index)], after
        elif isinstance(node, dict):
            found = [
                (len(written), name)
                for name in node
                for written in {str(name), repr(name)}
                if rest.startswith(written) and rest[len(written) :][:1] in ("", ".", "[")
            ]
            if not found:
                break
            length, name = max(found)
            path.append(name)
            node, rest = node[name], rest[length:]
        else:
            break
        rest = rest.removeprefix(".")
    return tuple(path)


class _Reader:
    """Reads one scenario file's parsed TOML, checking every key."""

    def __init__(self, path: Path, text: str = "") -> None:
        self.path = path
        self.base = path.parent
        #: The file's text, where a message finds its key or value (`fail`).
        self.text = text
        #: The file's data (`scenario`), which a message's key is read against.
        self.data: Mapping[str, Any] = {}

    def fail(self, key: str, message: str, *, value: bool = True) -> ScenarioError:
        """The error about the value (or, with `value` false, the key) that `key` names,
        at its line and column: ``s.toml:2:14: input.dtmf[1]: ...``."""
        from ozml.tomlpositions import TomlPositions, located

        positions = TomlPositions(self.text) if self.text else None
        shown = located(str(self.path), positions, _path(self.data, key), value=value)
        where = f"{key}: " if key else ""
        return ScenarioError(f"{shown}: {where}{message}")

    def expect(self, key: str, wanted: str, value: object) -> ScenarioError:
        return self.fail(key, f"expected {wanted}, found {_kind(value)}")

    def check_keys(self, table: Mapping[str, Any], section: str, at: str | None = None) -> None:
        """Every key of `table` is one `section` allows; `at` names the table when it is not
        the section itself (``input.dtmf[2]``)."""
        allowed = _KEYS[section]
        prefix = at if at is not None else section
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                where = f"[{prefix}]" if prefix else "the top level"
                raise self.fail(
                    f"{prefix}.{key}" if prefix else key,
                    f"unknown key in {where} (expected one of: {_choices(allowed)}){hint}",
                    value=False,
                )

    def table(self, data: Mapping[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key.rpartition(".")[2], {})
        if not isinstance(value, dict):
            raise self.expect(key, "a table", value)
        return value

    def string(self, data: Mapping[str, Any], key: str, default: str = "") -> str:
        value = data.get(key.rpartition(".")[2], default)
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.expect(key, "a string", value)
        return str(value)

    def boolean(self, data: Mapping[str, Any], key: str, default: bool) -> bool:
        value = data.get(key.rpartition(".")[2], default)
        if not isinstance(value, bool):
            raise self.expect(key, "true or false", value)
        return value

    def strings(self, data: Mapping[str, Any], key: str) -> tuple[str, ...] | None:
        value = data.get(key.rpartition(".")[2])
        if value is None:
            return None
        if not isinstance(value, list):
            raise self.expect(key, "a list of strings", value)
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise self.expect(f"{key}[{index}]", "a string", item)
        return tuple(value)

    def scalar(self, value: object, key: str) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        raise self.expect(key, "a string, number or boolean", value)

    def value(self, value: object, key: str) -> Value:
        if isinstance(value, list):
            return [self.value(item, f"{key}[{i}]") for i, item in enumerate(value)]
        if isinstance(value, dict):
            return {str(k): self.value(v, f"{key}.{k}") for k, v in value.items()}
        return self.scalar(value, key)

    # -- sections --------------------------------------------------------------------------

    def scenario(self, data: dict[str, Any]) -> Scenario:
        self.data = data
        self.check_keys(data, "")
        script = self.script(data)
        context = self.context(data)
        return Scenario(
            path=self.path,
            script=script,
            description=self.string(data, "description"),
            context=context,
            force=self.boolean(data, "force", False),
            call=self.call(self.table(data, "call"), context),
            variables={
                str(k): self.value(v, f"variables.{k}")
                for k, v in self.table(data, "variables").items()
            },
            **self.inputs(self.table(data, "input")),
            when_done=self.when_done(self.table(data, "input")),
            dry_run=self.dry_run(data),
            urls=self.urls(self.table(data, "urls")),
            options=self.options(self.table(data, "engine")),
            expect=self.expectation(self.table(data, "expect")),
        )

    def script(self, data: Mapping[str, Any]) -> Path | None:
        if "script" not in data:
            return None
        text = self.string(data, "script")
        # Normalised ("examples/ivr.xml", not "examples/scenarios/../ivr.xml"): it is what
        # traces and messages show.
        path = Path(os.path.normpath(self.base / text))
        if not path.is_file():
            raise self.fail("script", f"{text!r} is not a file (looked for {path})")
        return path

    def context(self, data: Mapping[str, Any]) -> Context | None:
        if "context" not in data:
            return None
        text = self.string(data, "context")
        try:
            return Context.parse(text)
        except ValueError as error:
            raise self.fail("context", str(error)) from None

    def call(self, table: dict[str, Any], context: Context | None) -> Call:
        self.check_keys(table, "call")
        params = self.table(table, "call.params")
        return Call(
            call_id=self.string(table, "call.id", "call-1") or "call-1",
            caller=self.string(table, "call.caller"),
            callee=self.string(table, "call.callee"),
            notification=self.string(table, "call.notification", "IncomingCall"),
            params={str(k): self.scalar(v, f"call.params.{k}") for k, v in params.items()},
            context=context or Context.ANY,
        )

    def inputs(self, table: dict[str, Any]) -> dict[str, Any]:
        """The [input] table: per-prompt entries or timed keys, and the hang-up time."""
        self.check_keys(table, "input")
        found: dict[str, Any] = {}
        if "hangup" in table:
            found["hangup"] = self.duration(table["hangup"], "input.hangup")
        value = table.get("dtmf", [])
        if not isinstance(value, list):
            raise self.expect("input.dtmf", "a list of strings or of {at, keys} tables", value)
        if value and all(isinstance(item, dict) for item in value):
            found["keys"] = tuple(
                self.key_event(item, f"input.dtmf[{i}]") for i, item in enumerate(value)
            )
            found["timed"] = True
            return found
        entries: list[Entry] = []
        for index, text in enumerate(value):
            key = f"input.dtmf[{index}]"
            if isinstance(text, dict):
                raise self.fail(
                    key, "expected a string like the other entries (write every entry as"
                    " {at, keys}, or every one as a string)",
                )
            if not isinstance(text, str):
                raise self.expect(key, "a string", text)
            entry = parse_entry(text)
            if entry.digits and not _DTMF.fullmatch(entry.digits):
                raise self.fail(
                    key,
                    f"expected DTMF keys (0-9, *, #, A-D), \"timeout\" or \"hangup\","
                    f" found {text!r}",
                )
            entries.append(entry)
        found["inputs"] = tuple(entries)
        return found

    def key_event(self, table: dict[str, Any], key: str) -> KeyEvent:
        self.check_keys(table, "input.dtmf", key)
        if "at" not in table or "keys" not in table:
            raise self.fail(key, 'expected a table with at and keys, e.g. {at = "3s", keys = "1"}')
        keys = self.string(table, f"{key}.keys")
        if not _DTMF.fullmatch(keys):
            raise self.fail(f"{key}.keys", f"expected DTMF keys (0-9, *, #, A-D), found {keys!r}")
        return KeyEvent(self.duration(table["at"], f"{key}.at"), keys.upper())

    def duration(self, value: object, key: str) -> float:
        try:
            return parse_duration(value)
        except ValueError as error:
            raise self.fail(key, str(error)) from None

    def when_done(self, table: dict[str, Any]) -> Entry:
        word = self.string(table, "input.when_done", "hangup")
        if word not in ("hangup", "timeout"):
            raise self.fail("input.when_done", f"expected hangup or timeout, found {word!r}")
        return HANGUP_ENTRY if word == "hangup" else TIMEOUT

    def dry_run(self, data: Mapping[str, Any]) -> DryRunConfig:
        outcomes = self.table(data, "outcomes")
        self.check_keys(outcomes, "outcomes")
        alarm = self.table(data, "alarm")
        timing, durations = self.timing(self.table(data, "timing"))
        record = self.table(data, "record")
        self.check_keys(record, "record")
        silence = record.get("silence_at")
        return DryRunConfig(
            transfer=self.plan(outcomes, "transfer"),
            call=self.plan(outcomes, "call"),
            route=self.plan(outcomes, "route"),
            alarm=self.plan(outcomes, "alarm"),
            sms=self.plan(outcomes, "sms"),
            alarm_fields={str(k): self.scalar(v, f"alarm.{k}") for k, v in alarm.items()},
            timing=timing,
            durations=durations,
            durations_given=frozenset(self.table(data, "timing")) & frozenset(_DURATIONS),
            media={
                str(name): self.duration(value, f"media.{name!r}")
                for name, value in self.table(data, "media").items()
            },
            silence_at=None if silence is None else self.duration(silence, "record.silence_at"),
            names=self.names(self.table(data, "notifications")),
            call_changed_url=self.subscriber(self.table(data, "notifications")),
        )

    def subscriber(self, table: Mapping[str, Any]) -> str:
        """``[notifications] 3pcc-url``: where CallChanged goes ("" : not sent)."""
        return self.string(table, f"notifications.{_SUBSCRIBER}").strip()

    def names(self, table: Mapping[str, Any]) -> NotificationNames:
        overrides: dict[str, str] = {}
        for key in table:
            if key == _SUBSCRIBER:
                continue
            where = f"notifications.{key}"
            if key not in KINDS:
                close = difflib.get_close_matches(key, list(KINDS), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise self.fail(
                    where, f"no notification called {key!r} (expected one of:"
                    f" {_choices(list(KINDS))}){hint}",
                    value=False,
                )
            name = self.string(table, where)
            if not name.strip():
                raise self.fail(where, "expected a NotificationName, found an empty string")
            overrides[key] = name
        return NotificationNames(overrides)

    def word(self, value: object, key: str, words: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in words:
            close = (
                difflib.get_close_matches(value, words, n=1, cutoff=0.5)
                if isinstance(value, str)
                else []
            )
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise self.fail(
                key, f"expected one of {_choices(words)}, found {_kind(value)}{hint}"
            )
        return value

    def plan(self, outcomes: Mapping[str, Any], group: str) -> Plan[Any]:
        words, default = _OUTCOME_WORDS[group]
        key = f"outcomes.{group}"
        value = outcomes.get(group)
        # Where the scenario plans nothing for a target, `default` is ozml's (assumed).
        if value is None:
            return Plan(default, assumed=True)
        read = self.ringing if group in _RINGING else self.word
        if isinstance(value, str):
            return Plan(read(value, key, words))
        if isinstance(value, list):
            return Plan(
                default,
                sequence=tuple(read(item, f"{key}[{i}]", words) for i, item in enumerate(value)),
                assumed=True,
            )
        if isinstance(value, dict):
            by_target = {
                str(target): read(item, f"{key}.{target}", words)
                for target, item in value.items()
            }
            return Plan(default, by_target=by_target, assumed="*" not in by_target)
        raise self.expect(
            key, f"one of {_choices(words)}, a list of them, or a table by target", value
        )

    def ringing(self, value: object, key: str, words: tuple[str, ...]) -> Planned:
        """A ringing outcome: a word, or ``{ outcome = "answer", after = "5s" }``."""
        if isinstance(value, dict):
            self.check_keys(value, "outcome", key)
            word = self.word(value.get("outcome", "answer"), f"{key}.outcome", words)
            after = value.get("after")
            talk = value.get("talk")
            return Planned(
                parse_outcome(word),
                None if after is None else self.duration(after, f"{key}.after"),
                None if talk is None else self.duration(talk, f"{key}.talk"),
            )
        return Planned(parse_outcome(self.word(value, key, words)))

    def timing(self, table: Mapping[str, Any]) -> tuple[dict[str, float], Timing]:
        """Per-command seconds (``Speak = 2``) and the model's durations (``ring_time``)."""
        found: dict[str, float] = {}
        durations: dict[str, float] = {}
        for name, seconds in table.items():
            key = f"timing.{name}"
            if name in _DURATIONS:
                durations[name] = self.duration(seconds, key)
                continue
            match = lookup_element(name)
            if match is None:
                raise self.fail(
                    key, f"{name!r} is not an OzML command nor one of {_choices(_DURATIONS)}",
                    value=False,
                )
            if isinstance(seconds, bool) or not isinstance(seconds, int | float | str):
                raise self.expect(key, "a number of seconds (0 or more)", seconds)
            try:
                found[match.command.name] = parse_duration(seconds)
            except ValueError:
                raise self.expect(key, "a number of seconds (0 or more)", seconds) from None
        return found, attrs.evolve(DEFAULT_TIMING, **durations)

    def urls(self, table: Mapping[str, Any]) -> dict[str, Answer]:
        answers: dict[str, Answer] = {}
        for url, value in table.items():
            key = f"urls.{url!r}"
            if isinstance(value, str):
                answers[url] = Answer(body=value.encode("utf-8"))
                continue
            if not isinstance(value, dict):
                raise self.expect(key, "OzML text, or a table with file or error", value)
            unknown = sorted(set(value) - {"file", "error"})
            if unknown or len(value) != 1:
                raise self.fail(
                    key,
                    "expected a table with exactly one of file = \"PATH\" or"
                    f" error = \"REASON\", found keys: {_choices(sorted(value)) or 'none'}",
                )
            if "error" in value:
                answers[url] = Answer(error=self.string(value, f"{key}.error"))
                continue
            name = self.string(value, f"{key}.file")
            try:
                # The same checks as for every file a user names: a regular file, 10 MiB at
                # most (`file = "/dev/zero"` must not fill the memory).
                answers[url] = Answer(body=read_file(self.base / name))
            except ReadError as error:
                raise self.fail(f"{key}.file", f"cannot read {name!r}: {error}") from None
        return answers

    def count(self, table: Mapping[str, Any], key: str, default: int) -> int:
        value = table.get(key.rpartition(".")[2], default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.expect(key, "a whole number of at least 1", value)
        return value

    def options(self, table: dict[str, Any]) -> EngineOptions:
        self.check_keys(table, "engine")
        defaults = EngineOptions()
        steps = self.count(table, "engine.max_steps", defaults.max_steps)
        failure = self.string(table, "engine.fetch_failure", "hangup")
        if failure not in ("hangup", "continue"):
            raise self.fail(
                "engine.fetch_failure", f"expected hangup or continue, found {failure!r}"
            )
        answers = self.string(table, "engine.notification_answers", BEFORE_HANGUP)
        if answers not in NOTIFICATION_ANSWERS:
            raise self.fail(
                "engine.notification_answers",
                f"expected {' or '.join(NOTIFICATION_ANSWERS)}, found {answers!r}",
            )
        # The vendor is silent on these (docs/interpreter.md): each is a choice, the default
        # ozml's reading.
        chosen = {
            key: self.choice(table, f"engine.{key}", getattr(defaults, key), words)
            for key, words in (
                ("after_input", AFTER_INPUT),
                ("extra_keys", EXTRA_KEYS),
                ("blind_transfer", AFTER_TRANSFER),
                ("attended_transfer", AFTER_TRANSFER),
                ("back_key", BACK_KEY),
            )
        }
        return EngineOptions(
            max_steps=steps,
            notification_answers=answers,
            after_input=chosen["after_input"],
            extra_keys=chosen["extra_keys"],
            blind_transfer=chosen["blind_transfer"],
            attended_transfer=chosen["attended_transfer"],
            back_key=chosen["back_key"],
            fetch_failure=failure,
            keep_variables=self.boolean(table, "engine.keep_variables", True),
            max_value_bytes=self.count(
                table, "engine.max_value_bytes", defaults.max_value_bytes
            ),
            max_total_bytes=self.count(
                table, "engine.max_total_bytes", defaults.max_total_bytes
            ),
        )

    def choice(
        self, table: Mapping[str, Any], key: str, default: str, words: tuple[str, ...]
    ) -> str:
        """One of `words`, else a ScenarioError naming the key and the choices."""
        value = self.string(table, key, default)
        if value not in words:
            raise self.fail(key, f"expected {' or '.join(words)}, found {value!r}")
        return value

    def expectation(self, table: dict[str, Any]) -> Expectation:
        self.check_keys(table, "expect")
        end = None
        if "end" in table:
            end = self.word(table["end"], "expect.end", ENDINGS)
        return Expectation(
            end=end,
            trace=self.strings(table, "expect.trace"),
            includes=self.strings(table, "expect.includes") or (),
        )


def command_line_input(text: str) -> dict[str, Any]:
    """The scenario changes ``ozml run --dtmf`` asks for: per-prompt entries (``1,timeout,*``)
    or keys at times (``1@3s,2@5.5s,hangup@12s``), read as the simulator reads its inbound
    caller (`ozml.callmodel.timeline.parse_caller`). ValueError with the reason otherwise."""
    try:
        caller = parse_caller(text)
    except CallerError as error:
        raise ValueError(f"--dtmf: {error}") from None
    if not caller.timed:
        return {"inputs": tuple(parse_entry(word) for word in caller.prompts), "keys": (),
                "timed": False}
    changes: dict[str, Any] = {"inputs": (), "timed": True, "keys": caller.keys}
    if caller.hangup is not None:
        changes["hangup"] = caller.hangup
    return changes


def parse_scenario(text: str, path: Path) -> Scenario:
    """Read a scenario from its TOML text; `path` locates the files it names."""
    try:
        data = load_toml(text)
        return _Reader(path, text).scenario(data)
    except DataError as error:
        from ozml.tomlpositions import invalid_toml

        raise ScenarioError(invalid_toml(str(path), text, str(error))) from None
    except RecursionError:
        # The reader recurses per level of nested arrays and tables, as tomllib does.
        raise ScenarioError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None


def load_scenario(path: Path | str) -> Scenario:
    """Read and check a scenario file (a regular file of at most 10 MiB, `ozml.files`)."""
    path = Path(path)
    try:
        raw = read_file(path)
    except ReadError as error:
        raise ScenarioError(unreadable(path, error)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(not_utf8(path, error)) from None
    return parse_scenario(text, path)


__all__ = [
    "ENDINGS",
    "Scenario",
    "ScenarioError",
    "command_line_input",
    "load_scenario",
    "parse_scenario",
]
