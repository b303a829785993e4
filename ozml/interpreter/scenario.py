"""Scenario files: what a dry run needs to know about the world, in TOML (docs/dry-run.md).

A scenario names the script, describes the call and the notification, supplies variables, the
caller's DTMF keys per prompt, the outcome of transfers and placed calls, what each URL answers,
and what the run is expected to look like. Every key is checked: a mistake is a `ScenarioError`
naming the file, the key and what was expected (``ozml`` exits 2 on it).
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ozml.catalog import Context, lookup_element
from ozml.files import ReadError, read_file
from ozml.interpreter.context import Call, Value
from ozml.interpreter.dryrun import (
    ALARM_OUTCOMES,
    CALL_OUTCOMES,
    TRANSFER_OUTCOMES,
    DryRunConfig,
    Plan,
)
from ozml.interpreter.engine import (
    CALLER_HANGUP,
    END_OF_SCRIPT,
    ERROR,
    EXIT,
    FETCH_FAILED,
    HANGUP,
    REJECT,
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
    END_OF_SCRIPT, HANGUP, EXIT, REJECT, TRANSFERRED, CALLER_HANGUP, FETCH_FAILED, STEP_LIMIT,
    VALUE_LIMIT, ERROR,
)

_KEYS: dict[str, tuple[str, ...]] = {
    "": (
        "script", "description", "context", "force", "call", "variables", "input",
        "outcomes", "alarm", "timing", "urls", "engine", "expect",
    ),
    "call": ("id", "caller", "callee", "notification", "params"),
    "input": ("dtmf", "when_done"),
    "outcomes": ("transfer", "call", "alarm"),
    "engine": (
        "max_steps", "fetch_failure", "keep_variables", "max_value_bytes", "max_total_bytes",
    ),
    "expect": ("end", "trace", "includes"),
}
_OUTCOME_WORDS = {
    "transfer": (tuple(TRANSFER_OUTCOMES), "succeed"),
    "call": (tuple(CALL_OUTCOMES), "answer"),
    "alarm": (tuple(ALARM_OUTCOMES), "receive"),
}
_DTMF = re.compile(r"[0-9*#A-Da-d]+")


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
    inputs: tuple[Entry, ...] = ()
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


class _Reader:
    """Reads one scenario file's parsed TOML, checking every key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = path.parent

    def fail(self, key: str, message: str) -> ScenarioError:
        where = f"{key}: " if key else ""
        return ScenarioError(f"{self.path}: {where}{message}")

    def expect(self, key: str, wanted: str, value: object) -> ScenarioError:
        return self.fail(key, f"expected {wanted}, found {_kind(value)}")

    def check_keys(self, table: Mapping[str, Any], section: str) -> None:
        allowed = _KEYS[section]
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                where = f"[{section}]" if section else "the top level"
                raise self.fail(
                    f"{section}.{key}" if section else key,
                    f"unknown key in {where} (expected one of: {_choices(allowed)}){hint}",
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
            inputs=self.inputs(self.table(data, "input")),
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

    def inputs(self, table: dict[str, Any]) -> tuple[Entry, ...]:
        self.check_keys(table, "input")
        entries = self.strings(table, "input.dtmf") or ()
        found: list[Entry] = []
        for index, text in enumerate(entries):
            entry = parse_entry(text)
            if entry.digits and not _DTMF.fullmatch(entry.digits):
                raise self.fail(
                    f"input.dtmf[{index}]",
                    f"expected DTMF keys (0-9, *, #, A-D), \"timeout\" or \"hangup\","
                    f" found {text!r}",
                )
            found.append(entry)
        return tuple(found)

    def when_done(self, table: dict[str, Any]) -> Entry:
        word = self.string(table, "input.when_done", "hangup")
        if word not in ("hangup", "timeout"):
            raise self.fail("input.when_done", f"expected hangup or timeout, found {word!r}")
        return HANGUP_ENTRY if word == "hangup" else TIMEOUT

    def dry_run(self, data: Mapping[str, Any]) -> DryRunConfig:
        outcomes = self.table(data, "outcomes")
        self.check_keys(outcomes, "outcomes")
        alarm = self.table(data, "alarm")
        return DryRunConfig(
            transfer=self.plan(outcomes, "transfer"),
            call=self.plan(outcomes, "call"),
            alarm=self.plan(outcomes, "alarm"),
            alarm_fields={str(k): self.scalar(v, f"alarm.{k}") for k, v in alarm.items()},
            timing=self.timing(self.table(data, "timing")),
        )

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

    def plan(self, outcomes: Mapping[str, Any], group: str) -> Plan:
        words, default = _OUTCOME_WORDS[group]
        key = f"outcomes.{group}"
        value = outcomes.get(group)
        if value is None:
            return Plan(default)
        if isinstance(value, str):
            return Plan(self.word(value, key, words))
        if isinstance(value, list):
            return Plan(
                default,
                sequence=tuple(
                    self.word(item, f"{key}[{i}]", words) for i, item in enumerate(value)
                ),
            )
        if isinstance(value, dict):
            by_target = {
                str(target): self.word(item, f"{key}.{target}", words)
                for target, item in value.items()
            }
            return Plan(default, by_target=by_target)
        raise self.expect(
            key, f"one of {_choices(words)}, a list of them, or a table by target", value
        )

    def timing(self, table: Mapping[str, Any]) -> dict[str, float]:
        found: dict[str, float] = {}
        for name, seconds in table.items():
            key = f"timing.{name}"
            match = lookup_element(name)
            if match is None:
                raise self.fail(key, f"{name!r} is not an OzML command")
            if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
                raise self.expect(key, "a number of seconds (0 or more)", seconds)
            found[match.command.name] = float(seconds)
        return found

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
        return EngineOptions(
            max_steps=steps,
            fetch_failure=failure,
            keep_variables=self.boolean(table, "engine.keep_variables", True),
            max_value_bytes=self.count(
                table, "engine.max_value_bytes", defaults.max_value_bytes
            ),
            max_total_bytes=self.count(
                table, "engine.max_total_bytes", defaults.max_total_bytes
            ),
        )

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


def parse_scenario(text: str, path: Path) -> Scenario:
    """Read a scenario from its TOML text; `path` locates the files it names."""
    try:
        data = tomllib.loads(text)
        return _Reader(path).scenario(data)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path}: not valid TOML: {error}") from None
    except RecursionError:
        # tomllib (and the reader) recurse per level of nested arrays and tables.
        raise ScenarioError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None


def load_scenario(path: Path | str) -> Scenario:
    """Read and check a scenario file (a regular file of at most 10 MiB, `ozml.files`)."""
    path = Path(path)
    try:
        raw = read_file(path)
    except ReadError as error:
        raise ScenarioError(f"{path}: cannot read: {error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(
            f"{path}: not UTF-8 text (bad byte at offset {error.start})"
        ) from None
    return parse_scenario(text, path)


__all__ = ["ENDINGS", "Scenario", "ScenarioError", "load_scenario", "parse_scenario"]
