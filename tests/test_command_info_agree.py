"""`ozml command NAME` says where a parameter is mandatory as the linter holds it: in each
context a document may use the command in (no command-not-in-context finding), the contexts
`ozml command` lists are those where missing-parameter (OZ201) reports the parameter missing."""

from __future__ import annotations

import json

import pytest

from ozml.catalog import ALL, Command, Context, ElementKind, Usage
from ozml.cli import main
from ozml.lint import LintSettings, lint

#: Where a structural part stands, so that it is read as that part.
AROUND = {
    "InitialCommands": ("<UserInput>", "</UserInput>"),
    "Inputs": ("<UserInput>", "</UserInput>"),
    "Input": ("<UserInput><Inputs>", "</Inputs></UserInput>"),
    "Item": ('<Array Id="a">', "</Array>"),
    "Received": ("<ReceiveAlarmNotification>", "</ReceiveAlarmNotification>"),
    "OnSetup": ('<Request DialedAddress="102">', "</Request>"),
    "OnError": ('<Request DialedAddress="102">', "</Request>"),
}
ELEMENTS = [
    c for c in ALL if c.in_ozml and c.documented and c.kind is not ElementKind.ROOT and c.params
]


def _info(capsys: pytest.CaptureFixture[str], name: str) -> dict[str, object]:
    assert main(["command", name, "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert isinstance(info, dict)
    return info


@pytest.mark.parametrize("cmd", ELEMENTS, ids=lambda c: c.name)
def test_mandatory_in_is_where_the_linter_reports_the_parameter_missing(
    capsys: pytest.CaptureFixture[str], cmd: Command
) -> None:
    info = _info(capsys, cmd.name)
    params = info["params"]
    assert isinstance(params, list)
    before, after = AROUND.get(cmd.name, ("", ""))
    for context in Context.concrete():
        settings = LintSettings(context=context)
        alone = f"<Response>{before}<{cmd.name}/>{after}</Response>"
        found = lint(alone, settings=settings)
        if any(d.code == "OZ601" for d in found):
            continue  # a document does not use the command here
        missing = {d.message for d in found if d.code == "OZ201"}
        for shown, param in zip(params, cmd.params, strict=True):
            if Usage.OZML not in param.usage:
                continue
            reported = any(m.startswith(f"{cmd.name} needs {param.name}") for m in missing)
            listed = context.value in shown["mandatory_in"]
            assert listed == reported, (cmd.name, param.name, context.value)
