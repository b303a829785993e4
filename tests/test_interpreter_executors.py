"""Executors: every catalog command is covered, the dispatch table, the registry, entry points."""

from __future__ import annotations

import importlib.metadata
import inspect
import sys
import textwrap
from pathlib import Path

import pytest

from ozml.catalog import COMMANDS
from ozml.interpreter import (
    BaseExecutor,
    Call,
    ExecutorSettings,
    Outcome,
    Position,
    Step,
    create_executor,
    executor_names,
    handles,
    register_executor,
)
from ozml.interpreter.dryrun import DryRunExecutor
from ozml.interpreter.engine import Engine
from ozml.interpreter.executor import (
    BUILTIN_EXECUTORS,
    UnknownExecutor,
    executor_factory,
    unregister_executor,
)
from ozml.interpreter.program import ENGINE_COMMANDS, FLOW_STEPS, Kind, compile_document
from ozml.interpreter.runner import compile_source
from ozml.interpreter.trace import ListSink
from ozml.parser import parse

OZML_COMMANDS = [cmd for cmd in COMMANDS if cmd.in_ozml]
HTTP_ONLY = [cmd for cmd in COMMANDS if not cmd.in_ozml]


def shipped_executor_classes() -> list[type[BaseExecutor]]:
    """Every BaseExecutor class in the modules of the built-in executors that are installed."""
    found: list[type[BaseExecutor]] = []
    for name in BUILTIN_EXECUTORS:
        try:
            factory = executor_factory(name)
        except UnknownExecutor:
            continue  # e.g. the HTTP executor without the http extra
        module = sys.modules[factory.__module__]
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseExecutor) and value.__module__ == module.__name__:
                found.append(value)
    return found


@pytest.mark.parametrize("executor", shipped_executor_classes(), ids=lambda c: c.__name__)
def test_every_catalog_command_has_a_handler_or_a_documented_refusal(
    executor: type[BaseExecutor],
) -> None:
    """The engine owns some commands and refuses HTTP-only ones itself (D5); every other one
    reaches the executor, which must handle it or refuse it with a reason of its own."""
    handed_out = [cmd.name for cmd in OZML_COMMANDS if cmd.name not in ENGINE_COMMANDS]
    uncovered = [
        name
        for name in handed_out
        if name not in executor.dispatch and not executor.refusals.get(name)
    ]
    assert uncovered == [], f"{executor.__name__} neither handles nor refuses {uncovered}"


def test_http_only_commands_in_a_document_are_refused_by_the_engine_with_a_reason() -> None:
    sink = ListSink()
    body = "".join(f"<{cmd.name}/>" for cmd in HTTP_ONLY)
    Engine(DryRunExecutor(), sink=sink).run_source(f"<Response>{body}</Response>", "x.xml")
    refused = [(e.command, e.result, e.detail) for e in sink.events if e.command != "end"]
    assert refused == [
        (cmd.name, "refused",
         f"{cmd.name} is an HTTP API command, not an OzML command; not run (D5)")
        for cmd in HTTP_ONLY
    ]


def test_the_dry_run_executor_handles_every_command_the_engine_hands_out() -> None:
    handed_out = {cmd.name for cmd in OZML_COMMANDS} - set(ENGINE_COMMANDS)
    assert handed_out - set(DryRunExecutor.dispatch) == set()
    assert set(FLOW_STEPS) <= set(DryRunExecutor.dispatch)
    # It refuses exactly the HTTP-only commands, each with its reason.
    assert set(DryRunExecutor.refusals) == {cmd.name for cmd in HTTP_ONLY}
    assert DryRunExecutor.refusals["ListActiveCalls"] == (
        "ListActiveCalls is an HTTP API command; a dry run of OzML never sends it (D5)"
    )


def test_the_engine_compiles_every_command_to_a_known_kind() -> None:
    body = "".join(f"<{cmd.name}/>" for cmd in COMMANDS)
    program = compile_document(parse(f"<Response>{body}</Response>").document, "all.xml")
    kinds = {op.name: op.kind for op in program.ops}
    for cmd in COMMANDS:
        if not cmd.in_ozml:
            assert kinds[cmd.name] is Kind.HTTP_ONLY
        elif cmd.name in ENGINE_COMMANDS:
            assert kinds[cmd.name] is ENGINE_COMMANDS[cmd.name]
        else:
            assert kinds[cmd.name] in (Kind.EFFECT, *FLOW_STEPS.values())


def test_a_dry_run_of_every_ozml_command_refuses_none() -> None:
    # Flow-ending commands go last, one document each, so every command is reached.
    enders = {"Hangup", "Reject", "BlindTransfer", "Exit"}
    body = "".join(f"<{c.name}/>" for c in OZML_COMMANDS if c.name not in enders)
    for ender in [*sorted(enders), None]:
        sink = ListSink()
        tail = f"<{ender}/>" if ender else ""
        Engine(DryRunExecutor(), sink=sink).run_source(f"<Response>{body}{tail}</Response>", "x")
        assert [e.command for e in sink.events if e.result == "refused"] == []


class Printer(BaseExecutor):
    name = "printer"
    refusals = {"Play": "printers cannot play audio"}  # noqa: RUF012 - a plain class constant

    @handles("Speak", "SendMsg")
    def say(self, step: Step) -> Outcome:
        return Outcome(result="printed", detail=step.params.get("Text", ""))


class LoudPrinter(Printer):
    @handles("Speak")
    def shout(self, step: Step) -> Outcome:
        return Outcome(result="shouted")


def test_dispatch_is_built_once_per_class_and_subclasses_override() -> None:
    assert set(Printer.dispatch) == {"Speak", "SendMsg"}
    assert LoudPrinter.dispatch["Speak"] is LoudPrinter.shout
    assert LoudPrinter.dispatch["SendMsg"] is Printer.say
    call = Call()
    step = Step("Speak", {"Text": "hi"}, call, Position("x"))
    assert LoudPrinter().execute(step).result == "shouted"
    assert Printer().execute(step).result == "printed"
    play = Printer().execute(step._replace(command="Play"))
    assert (play.ok, play.result, play.detail) == (False, "refused", "printers cannot play audio")
    assert Printer().refusal("Hold") == "the printer executor does not carry out Hold"
    assert Printer().refusal("Speak") is None
    assert Printer().handles("Speak")


def test_a_misspelt_command_fails_when_the_class_is_made() -> None:
    with pytest.raises(TypeError, match=r"Bad: @handles\('Speek'\) names no OzML command"):

        class Bad(BaseExecutor):
            @handles("Speek")
            def speak(self, step: Step) -> Outcome:
                return Outcome()

    with pytest.raises(TypeError, match="refusals name no OzML command: Plya"):

        class BadRefusal(BaseExecutor):
            refusals = {"Plya": "x"}  # noqa: RUF012


def test_an_executor_with_its_own_execute_sees_every_step() -> None:
    seen: list[str] = []

    class Logging(Printer):
        def execute(self, step: Step) -> Outcome:
            seen.append(step.command)
            return super().execute(step)

    Engine(Logging()).run_source("<Response><Speak>a</Speak><Play>b</Play></Response>", "x")
    assert seen == ["Speak", "Play"]


def test_register_and_create_an_executor_by_name() -> None:
    register_executor("printer-test", lambda settings: Printer())
    try:
        assert "printer-test" in executor_names()
        executor = create_executor("printer-test", ExecutorSettings())
        assert isinstance(executor, Printer)
    finally:
        unregister_executor("printer-test")
    with pytest.raises(UnknownExecutor, match=r"no executor named 'printer-test' \(known: "):
        create_executor("printer-test", ExecutorSettings())


def test_a_missing_builtin_module_is_a_one_line_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(BUILTIN_EXECUTORS, "ghost", "ozml_no_such_module:from_settings")  # type: ignore[index]
    with pytest.raises(UnknownExecutor) as caught:
        executor_factory("ghost")
    assert str(caught.value) == (
        "the 'ghost' executor is not available in this installation"
        " (ozml_no_such_module is missing)"
    )


def test_executors_are_found_through_the_entry_point_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real installed distribution (a dist-info folder on sys.path) publishing an executor."""
    (tmp_path / "acme_exec.py").write_text(
        textwrap.dedent(
            """
            from ozml.interpreter import BaseExecutor, Outcome, handles

            class Acme(BaseExecutor):
                name = "acme"

                def __init__(self, settings):
                    self.api_url = settings.api_url

                @handles("Speak")
                def speak(self, step):
                    return Outcome(result="acme")
            """
        ),
        encoding="utf-8",
    )
    info = tmp_path / "acme_exec-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-exec\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[ozml.executors]\nacme = acme_exec:Acme\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    assert "acme" in executor_names()
    executor = create_executor("acme", ExecutorSettings(api_url="http://pbx/api"))
    assert executor.name == "acme"
    assert getattr(executor, "api_url", None) == "http://pbx/api"
    sink = ListSink()
    _, program = compile_source("<Response><Speak>hi</Speak></Response>", "x.xml")
    Engine(executor, sink=sink).run(program)
    assert [(e.command, e.result) for e in sink.events] == [
        ("Speak", "acme"),
        ("end", "end-of-script"),
    ]
