"""The language server's completion offers what the linter takes in the document's context:
a command there unless command-not-in-context (OZ601) reports it, a parameter unless
parameter-not-in-context (OZ602) or unknown-attribute (OZ103) does. One answer for both
(`ozml.catalog.contextual.outside`, `ozml.catalog.contextual.ignored`)."""

from __future__ import annotations

import pytest

from ozml.catalog import ALL, Command, Context, ElementKind, Usage
from ozml.lint import LintSettings, lint
from ozml.lsp.completion import Client, complete
from ozml.lsp.convert import LineIndex
from ozml.lsp.scan import scan
from ozml.lsp.variables import Variables

COMMANDS = [c for c in ALL if c.in_ozml and c.kind is ElementKind.COMMAND]


def _offered(text: str, context: Context) -> set[str]:
    offset = text.index("|")
    text = text.replace("|", "")
    items = complete(
        text, LineIndex(text), offset, context, Variables(scan(text)), Client(snippets=False)
    )
    return {item.label for item in items}


def _codes(xml: str, context: Context) -> set[str]:
    return {d.code for d in lint(xml, settings=LintSettings(context=context))}


@pytest.mark.parametrize("context", list(Context), ids=lambda c: c.value)
def test_a_command_is_offered_where_the_linter_takes_it(context: Context) -> None:
    offered = _offered("<Response><|", context)
    for cmd in COMMANDS:
        reported = "OZ601" in _codes(f"<Response><{cmd.name}/></Response>", context)
        assert (cmd.name in offered) != reported, (cmd.name, context.value)


def _attribute_cases() -> list[tuple[Command, Context]]:
    return [(cmd, context) for cmd in COMMANDS if cmd.ozml_params for context in Context]


@pytest.mark.parametrize(
    ("cmd", "context"),
    _attribute_cases(),
    ids=lambda x: x.name if isinstance(x, Command) else x.value,
)
def test_a_parameter_is_offered_where_the_linter_takes_it(cmd: Command, context: Context) -> None:
    if "OZ601" in _codes(f"<Response><{cmd.name}/></Response>", context):
        return  # the command itself is reported; what it holds is not asked
    offered = _offered(f"<Response><{cmd.name} |", context)
    for param in cmd.params:
        xml = f'<Response><{cmd.name} {param.name}="{param.example or "x"}"/></Response>'
        reported = bool(_codes(xml, context) & {"OZ602", "OZ103"})
        wanted = Usage.OZML in param.usage and not reported
        assert (param.name in offered) == wanted, (cmd.name, param.name, context.value)
