"""``ozml check`` with configuration files: discovery from nested folders, --show-settings,
bad configurations (exit 2, one line), options over configuration, nested excludes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BAD = "<Response>\n  <ForwardCall/>\n  <speak>x</speak>\n</Response>\n"
HOLD = "<Response>\n  <Hold/>\n</Response>\n"
ROUTE = '<Response>\n  <Route Destination="100"/>\n</Response>\n'


def write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", "--format", "concise", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def findings(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stdout.splitlines() if not line.startswith("Found ")]


def test_each_file_uses_its_nearest_configuration(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.ozml]\nignore = ["OZ303"]\n',
            "a.xml": BAD,
            "team/ozml.toml": 'ignore = ["OZ201"]\ncontext = "3pcc"\n',
            "team/deep/b.xml": BAD + "<!-- -->\n",
            "team/deep/route.xml": ROUTE,
        },
    )
    done = check(tmp_path, ".")
    assert findings(done) == [
        "a.xml:2:4: OZ201 ForwardCall needs Destination",
        "team/deep/b.xml:3:4: OZ303 speak should be written Speak",
        "team/deep/route.xml:2:4: OZ601 Route is not valid in a 3pcc script (context from"
        " team/ozml.toml context); use it in routing scripts"
        "; undocumented (spec §1.2 [oz4697][oz4594]): the 3PCC index lists Route; its own page"
        " answers only RoutingInterception",
    ]
    # The same from inside the subfolder, with paths as given there.
    inside = check(tmp_path / "team", "deep")
    assert findings(inside) == [
        "deep/b.xml:3:4: OZ303 speak should be written Speak",
        "deep/route.xml:2:4: OZ601 Route is not valid in a 3pcc script (context from"
        " ozml.toml context); use it in routing scripts"
        "; undocumented (spec §1.2 [oz4697][oz4594]): the 3PCC index lists Route; its own page"
        " answers only RoutingInterception",
    ]


def test_show_settings(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "ozml.toml": '[per-file-contexts]\n"3pcc/*" = "3pcc"\n[severity]\nOZ402 = "error"\n',
            "3pcc/a.xml": HOLD,
        },
    )
    done = check(tmp_path, "--show-settings", "3pcc/a.xml", "--ignore", "OZ5")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[:8] == [
        "Settings for 3pcc/a.xml",
        "  configuration: ozml.toml",
        "  context: 3pcc (from ozml.toml per-file-contexts '3pcc/*')",
        "  select: ALL",
        "  extend-select: -",
        "  ignore: OZ5",
        "  severity: OZ402=error",
        "  known-variables: -",
    ]
    assert "OZ501" not in lines[-2]
    assert lines[-2].startswith("  rules enabled (")
    assert "OZ811" not in lines[-2]  # no [urls] map: the project rules do not run
    assert lines[-1].startswith("  format: line-length=100, ")
    with_flag = check(tmp_path, "--show-settings", "--context", "routing", "3pcc/a.xml")
    assert "  context: routing (from --context)" in with_flag.stdout.splitlines()
    (tmp_path / "ozml.toml").write_text('[urls]\n"http://app.example.com/" = "3pcc/"\n')
    mapped = check(tmp_path, "--show-settings", "3pcc/a.xml").stdout.splitlines()
    assert "OZ811, OZ812, OZ813, OZ814, OZ815" in mapped[-2]  # with a map they do


def test_show_settings_says_an_empty_selection_is_none(tmp_path: Path) -> None:
    """``select = []`` runs no rule but the parser's, and says so (it said ALL)."""
    write(tmp_path, {"ozml.toml": "select = []\n", "a.xml": "<Response><speak/></Response>"})
    shown = check(tmp_path, "--show-settings", "a.xml").stdout.splitlines()
    assert "  select: -" in shown
    assert shown[-2] == "  rules enabled (3): OZ001, OZ002, OZ003"
    assert check(tmp_path, "--no-cache", "a.xml").returncode == 0  # no OZ303 either


def test_a_bad_configuration_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, {"ozml.toml": 'fail-on = "sometimes"\n', "a.xml": BAD})
    done = check(tmp_path, "a.xml")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "ozml: error: ozml.toml:1:11: fail-on: unknown severity 'sometimes' (expected one of: info,"
        " warning, error)\n"
    )


def test_a_bad_nested_configuration_met_during_the_walk(tmp_path: Path) -> None:
    write(tmp_path, {"a.xml": BAD, "sub/ozml.toml": "[select]\n", "sub/b.xml": BAD})
    done = check(tmp_path, ".", "--jobs", "2")
    assert done.returncode == 2
    assert done.stderr.endswith(
        "ozml: error: sub/ozml.toml:1:2: select: expected a list of strings, found a table ({})\n"
    )
    assert "Traceback" not in done.stderr


def test_options_win_over_the_configuration(tmp_path: Path) -> None:
    write(tmp_path, {"ozml.toml": 'select = ["OZ3"]\nfail-on = "error"\n', "a.xml": BAD})
    configured = check(tmp_path, "a.xml")
    assert findings(configured) == ["a.xml:3:4: OZ303 speak should be written Speak"]
    assert configured.returncode == 0  # only a warning, and fail-on is error
    overridden = check(tmp_path, "a.xml", "--select", "OZ2", "--fail-on", "warning")
    assert findings(overridden) == ["a.xml:2:4: OZ201 ForwardCall needs Destination"]
    assert overridden.returncode == 1
    assert findings(check(tmp_path, "a.xml", "--isolated")) == [
        "a.xml:2:4: OZ201 ForwardCall needs Destination",
        "a.xml:3:4: OZ303 speak should be written Speak",
    ]


def test_context_precedence_flag_inline_config(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "ozml.toml": 'context = "extension"\n',
            "plain.xml": HOLD,
            "inline.xml": "<!-- ozml: context=3pcc -->\n" + HOLD,
        },
    )
    # plain.xml is in the configured extension context; inline.xml says 3pcc.
    assert [f.split()[:2] for f in findings(check(tmp_path, "."))] == [["plain.xml:2:4:", "OZ601"]]
    flagged = check(tmp_path, ".", "--context", "extension")
    assert [f.split(":")[0] for f in findings(flagged)] == ["inline.xml", "plain.xml"]


def test_include_and_exclude_from_configurations(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "ozml.toml": 'exclude = ["generated"]\ninclude = ["*.ozml"]\n',
            "a.ozml": BAD,
            "a.xml": BAD,
            "generated/b.ozml": BAD,
            "team/ozml.toml": 'exclude = ["old/*.ozml"]\n',
            "team/old/c.ozml": BAD,
            "team/d.ozml": HOLD,
        },
    )
    done = check(tmp_path, "--select", "OZ201,OZ303", ".")
    assert sorted({f.split(":")[0] for f in findings(done)}) == ["a.ozml"]
    assert "2 files checked" in done.stdout  # a.ozml and team/d.ozml


def test_show_settings_of_standard_input_and_of_a_path_that_does_not_exist(
    tmp_path: Path,
) -> None:
    """Standard input is shown the settings of the file it is named as (it said "Settings for
    -" with the defaults, though the check used sub/ozml.toml); a file not written yet is
    shown the settings it will get."""
    write(tmp_path, {"sub/ozml.toml": "ignore = ['OZ301']\n"})
    done = check(tmp_path, "--show-settings", "--stdin-filename", "sub/x.xml", "-")
    assert done.returncode == 0
    assert done.stdout.splitlines()[:2] == [
        "Settings for sub/x.xml",
        "  configuration: sub/ozml.toml",
    ]
    done = check(tmp_path, "--show-settings", "sub/new.xml")
    assert done.returncode == 0
    assert done.stdout.splitlines()[:2] == [
        "Settings for sub/new.xml",
        "  configuration: sub/ozml.toml",
    ]
