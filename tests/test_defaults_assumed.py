"""A parameter's default is an audited catalog fact, shown with its basis wherever it is shown.

The spec's parameter tables (ozml-spec.md §7) give a default for some parameters. Where the
table gives it for Ozeki 10, the generation ozml follows (D1), the default is *stated*, with
the row's source keys; where only the older pages give it, it is *assumed*: UserInput's
Timeout is ``Gen-A default 0`` (§7.32), and the Ozeki 10 page gives none. The catalog audit
(docs/decisions.md, the command pages, ``ozml command``), the XML Schema's documentation and
the builder's docstrings show the basis; the dry run, which waits 0 s for a menu with no
Timeout, says in its trace that this rests on an assumed default.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from ozml.catalog import ALL, command
from ozml.catalog.audit import default_text, param_facts
from ozml.catalog.model import stated

ROOT = Path(__file__).resolve().parent.parent
XS = "{http://www.w3.org/2001/XMLSchema}"

#: (command, parameter, default, the sources of the spec's table row that gives it).
STATED = [
    ("Play", "Repeat", "false", ("oz4234", "hu7640")),  # §7.11 "default false"
    ("Record", "Format", "mp3", ("oz4803", "hu7641")),  # §7.12 "mp3 or wav, default mp3"
    ("ReceiveMessage", "Folder", "inbox", ("hu7646",)),  # §7.17 "folder to read; default inbox"
    ("SendMessage", "_charset_", "UTF-8", ("hu7648",)),  # §7.19 "encoding ...; default UTF-8"
    ("Route", "RingTime", "90", ("oz4594", "hu7658")),  # §7.29 "default 90"
    ("SendAlarmNotification", "EventQualifier", "NewEvent", ("oz5554", "hu7659")),  # §7.30
    ("UserInput", "Repeat", "false", ("oz4693", "hu7663")),  # §7.32 Default "false"
    ("UserInput", "Digits", "1", ("oz4693", "hu7663")),  # §7.32 Default "1"
    ("UserInput", "MinDigits", "1", ("hu7663",)),  # §7.32 "1 (Gen-B)"
    ("UserInput", "MaxDigits", "1", ("hu7663",)),  # §7.32 "1 (Gen-B)"
    ("ListAddressbookContacts", "PageNumber", "0", ("hu7668",)),  # §7.37 "page, default 0"
    ("ListAddressbookContacts", "RowsPerPage", "20", ("hu7668",)),  # §7.37 "default 20"
]
#: (command, parameter, default, spec section): defaults only an older page gives.
ASSUMED = [("UserInput", "Timeout", "0", "§7.32")]  # "Gen-A default 0"


def _ozml(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_every_default_in_the_catalog_is_one_the_spec_gives() -> None:
    found = {
        (cmd.name, p.name, p.default) for cmd in ALL for p in cmd.params if p.default is not None
    }
    assert found == {row[:3] for row in STATED + ASSUMED}
    for cmd in ALL:
        for param in cmd.params:
            assert (param.default is None) == (param.default_basis is None), (cmd, param.name)


@pytest.mark.parametrize(("name", "param", "default", "sources"), STATED)
def test_a_default_the_ozeki_10_table_gives_is_stated(
    name: str, param: str, default: str, sources: tuple[str, ...]
) -> None:
    found = command(name).param(param)
    assert found.default == default
    assert found.defaulted == stated(*sources)
    assert default_text(found) == default


def test_a_default_only_the_older_page_gives_is_assumed() -> None:
    timeout = command("UserInput").param("Timeout")
    basis = timeout.defaulted
    assert not basis.stated
    assert (basis.spec, basis.sources) == ("§7.32", ("oz4693", "hu7663"))
    assert '"Gen-A default 0"' in basis.why
    assert "Ozeki 10" in basis.why
    assert default_text(timeout) == "0 (assumed)"
    assert default_text(timeout, why=True) == f"0 (assumed: {basis.why}; {basis.citation()})"


@pytest.mark.parametrize(("name", "param", "default", "sources"), STATED)
def test_the_audit_has_a_default_fact_for_each(
    name: str, param: str, default: str, sources: tuple[str, ...]
) -> None:
    cmd = command(name)
    [fact] = [f for f in param_facts(cmd, cmd.param(param)) if f.fact == "default"]
    assert (fact.value, fact.label) == (default, "stated " + "".join(f"[{s}]" for s in sources))


def test_the_command_page_shows_the_basis() -> None:
    page = (ROOT / "docs/commands/UserInput.md").read_text(encoding="utf-8")
    label = command("UserInput").param("Timeout").defaulted.label()
    assert f"| `Timeout` | default | 0 | {label} |" in page
    assert "| `Digits` | default | 1 | stated [oz4693][hu7663] |" in page
    # The parameter table's Default column.
    assert "| `Timeout` |  | integer |  | `0` (assumed) | no |" in page
    assert "| `Repeat` |  | boolean |  | `false` | no |" in page
    decisions = (ROOT / "docs/decisions.md").read_text(encoding="utf-8")
    assert f"| [UserInput](commands/UserInput.md) | Timeout | default | 0 | {label} |" in decisions


@pytest.mark.parametrize(
    "schema",
    [
        "schema/ozml.xsd",
        "ozml/data/ozml.xsd",
        "schema/ozml-strict.xsd",
        "ozml/data/ozml-strict.xsd",
    ],
)
def test_the_schema_documentation_says_the_default_is_assumed(schema: str) -> None:
    tree = etree.parse(str(ROOT / schema))
    docs = {}
    for attribute in tree.iter(f"{XS}attribute"):
        text = "".join(attribute.itertext()).strip()
        docs.setdefault(attribute.get("name"), []).append(text)
    timeout = command("UserInput").param("Timeout")
    wanted = f"Seconds to wait for input. Default: {default_text(timeout, why=True)}."
    assert wanted in docs["Timeout"]
    assert "Repeat the prompts after Timeout. Default: false." in docs["Repeat"]


def test_the_builder_docstring_says_the_default_is_assumed() -> None:
    from ozml.builder import UserInput

    doc = " ".join((UserInput.__doc__ or "").split())
    assert "timeout: Seconds to wait for input. Default 0 (assumed). (``Timeout``)" in doc
    assert "repeat: Repeat the prompts after Timeout. Default false. (``Repeat``)" in doc


def test_ozml_command_shows_the_basis() -> None:
    done = _ozml("command", "UserInput")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "      Default:        0 (assumed)" in lines
    assert "      Default:        1" in lines
    label = command("UserInput").param("Timeout").defaulted.label()
    at = lines.index("  Timeout default: 0")
    assert lines[at + 1] == f"      {label}"
    done = _ozml("command", "UserInput", "--format", "json")
    info = json.loads(done.stdout)
    [fact] = [f for f in info["facts"] if (f["param"], f["fact"]) == ("Timeout", "default")]
    assert (fact["value"], fact["stated"], fact["spec"]) == ("0", False, "§7.32")


def test_the_dry_run_says_a_menu_runs_on_the_assumed_default(tmp_path: Path) -> None:
    (tmp_path / "menu.xml").write_text(
        "<Response><UserInput><InitialCommands><Speak>Menu</Speak></InitialCommands>"
        '<Inputs><Input Key="1"><Speak>One</Speak></Input></Inputs></UserInput></Response>',
        encoding="utf-8",
    )
    (tmp_path / "s.toml").write_text('[input]\ndtmf = ["timeout"]\n', encoding="utf-8")
    done = _ozml(
        "run", "--context", "extension", "--scenario", "s.toml", "menu.xml", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    [line] = [line for line in done.stdout.splitlines() if "input -> timeout" in line]
    assert "Timeout not given (0, an assumed default): no wait, assumed" in line
