"""``ozml check`` on a project with a URL map: the real command, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ozml.cli.parallel import PARALLEL_FROM

CONFIG = """\
[urls]
"http://ivr.example.com/{name}.php" = "app/{name}.xml"

[entry-points]
IncomingCall = ["app/incoming.xml"]
"""

FILES = {
    "app/incoming.xml": (
        "<Response>\n"
        "  <UserInput ForwardToURL=\"http://ivr.example.com/hold.php\">\n"
        "    <InitialCommands><Speak>Press 1.</Speak></InitialCommands>\n"
        "    <Inputs>\n"
        "      <Input Key=\"1\"><GoTo>http://ivr.example.com/menu.php</GoTo></Input>\n"
        "      <Input Key=\"2\"><GoTo>http://ivr.example.com/gone.php</GoTo></Input>\n"
        "    </Inputs>\n"
        "  </UserInput>\n"
        "</Response>\n"
    ),
    "app/menu.xml": "<Response>\n  <Speak>Hello $who.</Speak>\n</Response>\n",
    "app/hold.xml": "<Response>\n  <Hold/>\n</Response>\n",
    "app/old.xml": "<Response>\n  <Speak>Old.</Speak>\n</Response>\n",
}

EXPECTED = [
    "app/incoming.xml:2:28: OZ815 UserInput ForwardToURL sends a DtmfEntered notification,"
    " answered in context extension ([oz4693][oz5047]), but app/hold.xml uses Hold on line 2, a"
    " command of context 3pcc only",
    "app/incoming.xml:6:28: OZ811 GoTo http://ivr.example.com/gone.php leads nowhere: the URL"
    ' map sends it to app/gone.xml ("http://ivr.example.com/{name}.php"), which does not exist',
    "app/menu.xml:2:16: OZ814 $who is defined neither here nor in any document that leads here"
    " (app/incoming.xml); assumed: variables may survive a GoTo or a notification, which the"
    " vendor does not document (spec §3)",
    "app/old.xml:1:2: OZ812 app/old.xml is reachable from no entry point (IncomingCall): no"
    " chain of links from an entry point's document leads to it",
]


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--format", "concise", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stdout.splitlines() if line.startswith("app/")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, {"ozml.toml": CONFIG, **FILES})
    return tmp_path


def test_check_reports_across_documents(project: Path) -> None:
    done = check(project, "app")
    assert lines(done) == EXPECTED
    assert done.returncode == 1


def test_only_checked_files_get_findings(project: Path) -> None:
    done = check(project, "app/incoming.xml")
    assert lines(done) == EXPECTED[0:2]
    assert done.returncode == 1


def test_without_a_map_the_check_is_per_file(project: Path) -> None:
    (project / "ozml.toml").write_text('select = ["ALL"]\n')
    done = check(project, "app")
    assert lines(done) == ["app/menu.xml:2:16: OZ701 $who is not defined"]


def test_select_ignore_and_per_file_ignores(project: Path) -> None:
    assert lines(check(project, "app", "--select", "OZ811")) == [EXPECTED[1]]
    assert lines(check(project, "app", "--ignore", "OZ81")) == [
        "app/menu.xml:2:16: OZ701 $who is not defined"
    ]
    (project / "ozml.toml").write_text(CONFIG + '\n[per-file-ignores]\n"incoming.xml" = ["OZ8"]\n')
    assert lines(check(project, "app")) == [EXPECTED[2], EXPECTED[3]]


def test_noqa_suppresses_and_is_called_unused_when_it_suppresses_nothing(
    project: Path,
) -> None:
    text = FILES["app/incoming.xml"].replace(
        "gone.php</GoTo></Input>", "gone.php</GoTo></Input> <!-- ozml: noqa OZ811 -->"
    ).replace("<Response>\n", "<Response>\n  <!-- ozml: noqa linked-context-mismatch -->\n", 1)
    text = text.replace("</Response>", "  <Speak>x</Speak> <!-- ozml: noqa OZ812 -->\n</Response>")
    write(project, {"app/incoming.xml": text})
    done = check(project, "app/incoming.xml")
    assert lines(done) == [
        "app/incoming.xml:10:20: OZ901 unused suppression: no OZ812 finding on line 10"
    ]
    write(project, {"app/incoming.xml": text.replace(" <!-- ozml: noqa OZ812 -->", "")})
    done = check(project, "app/incoming.xml")
    assert lines(done) == []
    assert done.returncode == 0


def test_json_and_sarif(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--format", "json", "app/incoming.xml"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = json.loads(done.stdout)
    assert [(f["code"], f["line"], f["column"], f["severity"]) for f in found] == [
        ("OZ815", 2, 28, "error"),
        ("OZ811", 6, 28, "error"),
    ]
    sarif = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--format", "sarif", "app/incoming.xml"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["OZ815", "OZ811"]


def test_the_cache_never_serves_stale_project_findings(project: Path) -> None:
    assert lines(check(project, "app/incoming.xml")) == EXPECTED[0:2]
    # The checked file is unchanged (its per-file findings come from the cache), but the
    # document its link leads to now exists.
    write(project, {"app/gone.xml": "<Response>\n  <Speak>Back.</Speak>\n</Response>\n"})
    assert lines(check(project, "app/incoming.xml")) == [EXPECTED[0]]
    (project / "app/hold.xml").write_text("<Response>\n  <Speak>Held.</Speak>\n</Response>\n")
    done = check(project, "app/incoming.xml")
    assert lines(done) == []
    assert done.returncode == 0


def test_baseline_accepts_project_findings(project: Path) -> None:
    written = check(project, "app", "--write-baseline", "baseline.json")
    assert written.returncode == 0
    done = check(project, "app", "--baseline", "baseline.json")
    assert lines(done) == []
    assert done.returncode == 0


def test_many_files_with_jobs(project: Path) -> None:
    links = "".join(
        f"<Input Key='{i % 10}'><GoTo>http://ivr.example.com/p{i}.php</GoTo></Input>"
        for i in range(80)
    )
    write(project, {"app/incoming.xml": f"<Response><UserInput><Inputs>{links}</Inputs>"
                                         "</UserInput></Response>\n"})
    write(project, {f"app/p{i}.xml": "<Response><Speak>x</Speak></Response>\n" for i in range(80)})
    for extra in ("app/hold.xml", "app/old.xml", "app/menu.xml"):
        (project / extra).unlink()
    done = check(project, "app", "--jobs", "2", "--select", "OZ81")
    assert lines(done) == []
    assert done.returncode == 0
    (project / "app/p79.xml").unlink()
    done = check(project, "app", "--jobs", "2", "--select", "OZ81")
    assert [line.split(" leads")[0] for line in lines(done)] == [
        "app/incoming.xml:1:5255: OZ811 GoTo http://ivr.example.com/p79.php"
    ]


def test_a_bad_map_is_a_configuration_error(project: Path) -> None:
    (project / "ozml.toml").write_text(
        '[urls]\n"http://ivr.example.com/{name}.php" = "app/{nom}.xml"\n'
    )
    done = check(project, "app")
    assert done.returncode == 2
    assert done.stderr == (
        'ozml: error: ozml.toml:2:1: urls "http://ivr.example.com/{name}.php": the file path'
        " uses {nom}, which the URL does not have\n"
    )
    assert done.stdout == ""


def test_rules_are_documented(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "rule", "OZ813"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("OZ813 endless-goto-loop\nSeverity: warning")
    assert "Fails::" in done.stdout


def test_an_entry_point_glob_that_matches_nothing_is_warned_about(project: Path) -> None:
    (project / "ozml.toml").write_text(CONFIG.replace('"app/incoming.xml"', '"app/in/*.xml"'))
    done = check(project, "app/menu.xml")
    assert done.stderr.splitlines()[0] == (
        "ozml: warning: ozml.toml: entry-points IncomingCall: 'app/in/*.xml' matches no file"
    )
    assert lines(done) == [
        "app/menu.xml:1:2: OZ812 app/menu.xml is reachable from no entry point (IncomingCall):"
        " no chain of links from an entry point's document leads to it",
        "app/menu.xml:2:16: OZ814 $who is defined neither here nor in any document that leads"
        " here (app/incoming.xml); assumed: variables may survive a GoTo or a notification, which"
        " the vendor does not document (spec §3)",
    ]


def test_watch_watches_the_project_documents(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ozml.cli import build_parser
    from ozml.cli.check import watched_files
    from ozml.cli.discovery import paths

    monkeypatch.chdir(project)
    args = build_parser().parse_args(["check", "app/incoming.xml"])
    paths(args)
    watched = {os.path.relpath(p, project) for p in watched_files(args)}
    assert {"app/incoming.xml", "app/menu.xml", "app/hold.xml", "app/old.xml"} <= watched


def test_a_context_given_on_the_command_line_is_not_a_mismatch(project: Path) -> None:
    (project / "ozml.toml").write_text(
        CONFIG + '\n[per-file-contexts]\n"menu.xml" = "3pcc"\n'
    )
    mismatch = (
        "app/incoming.xml:5:28: OZ815 GoTo sends a GoTo notification, answered in context"
        " extension ([oz4801][oz5047]), but app/menu.xml is checked as 3pcc (from ozml.toml"
        " per-file-contexts 'menu.xml')"
    )
    assert mismatch in lines(check(project, "app/incoming.xml", "--select", "OZ815"))
    forced = lines(check(project, "app/incoming.xml", "--select", "OZ815", "--context", "3pcc"))
    assert mismatch not in forced
    assert forced == [EXPECTED[0]]


def test_a_map_in_a_nested_configuration_is_met_after_files_without_one(tmp_path: Path) -> None:
    """A run starts its project pass when it meets a file whose configuration maps URLs, also
    when that configuration is a folder's own and files of folders without one come first."""
    nested = CONFIG.replace('"app/{name}.xml"', '"{name}.xml"').replace(
        '["app/incoming.xml"]', '["incoming.xml"]'
    )
    write(tmp_path, {"app/ozml.toml": nested, **FILES})
    # Enough files before them for --jobs 2 to start its workers (`PARALLEL_FROM`).
    plain = "<Response>\n  <Hangup/>\n</Response>\n"
    write(tmp_path, {f"a_plain/{n:03}.xml": plain for n in range(PARALLEL_FROM)})
    for jobs in ("1", "2"):
        done = check(tmp_path, "--jobs", jobs, ".")
        codes = {line.split()[1] for line in lines(done)}
        assert codes == {"OZ811", "OZ812", "OZ814", "OZ815"}, done.stdout + done.stderr
        assert done.returncode == 1
