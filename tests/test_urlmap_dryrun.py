"""The URL map as the dry run's fallback answer (`ozml run`, `ozml test`: real processes).

A fetch whose URL the scenario's ``[urls]`` does not list is answered by the file the
configuration's ``[urls]`` map gives (`ozml.project.urlmap`); the scenario still wins; a URL
the map gives several files for is an error naming them, one it gives a missing file for says
which, an unmapped URL keeps the scenario's message. The configuration is the script's (its
nearest, ``--config FILE``, none with ``--isolated``). The trace says where each answer came
from when there is a map.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MENU = """\
<Response>
  <UserInput Timeout="5" ForwardToURL="http://app.test/unknown">
    <InitialCommands><Speak>Press 1</Speak></InitialCommands>
    <Inputs><Input Key="1"><GoTo Url="http://app.test/sales.php"/></Input></Inputs>
  </UserInput>
</Response>
"""
SALES = '<Response>\n  <Speak>Sales</Speak>\n  <BlindTransfer Target="2000"/>\n</Response>\n'
UNKNOWN = "<Response>\n  <Speak>Sorry</Speak>\n  <Hangup/>\n</Response>\n"
CONFIG = """\
[urls]
"http://app.test/{page}.php" = "pages/{page}.xml"
"http://app.test/unknown" = "unknown.xml"
"http://app.test/box?name={box}" = "boxes/{box}.xml"
"""


def ozml(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args], cwd=cwd, capture_output=True, text=True,
        encoding="utf-8", env=env, timeout=120, check=False,
    )


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """An application folder: ozml.toml with [urls], the menu, its answers."""
    (tmp_path / "ozml.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "menu.xml").write_text(MENU, encoding="utf-8")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "sales.xml").write_text(SALES, encoding="utf-8")
    (tmp_path / "unknown.xml").write_text(UNKNOWN, encoding="utf-8")
    return tmp_path


def test_goto_is_answered_by_the_mapped_file(app: Path) -> None:
    done = ozml("run", "menu.xml", "--dtmf", "1", cwd=app)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        "-- call call-1 --",
        '   0.000 menu.xml:2:4 UserInput Timeout="5" ForwardToURL="http://app.test/unknown"'
        " -> menu",
        '   0.000 menu.xml:3:23   Speak Text="Press 1" -> ok (0.8 s long (seconds_per_word ='
        " 0.4, assumed))",
        '   0.800 menu.xml:2:4   input Digits="1" -> matched',
        '   0.800 menu.xml:4:29   GoTo Url="http://app.test/sales.php" -> fetched'
        " (answer from the URL map: pages/sales.xml)",
        '   0.800 http://app.test/sales.php:2:4 Speak Text="Sales" -> ok (0.4 s long'
        " (seconds_per_word = 0.4, assumed))",
        '   1.200 http://app.test/sales.php:3:4 BlindTransfer Target="2000" -> transferred'
        " (the scenario plans no outcome for '2000' (outcomes.transfer = answer, assumed))",
        "   1.200 http://app.test/sales.php:3:4 end -> transferred (the call was transferred;"
        " the script ends (blind_transfer = end, assumed))",
        "ended: transferred (the call was transferred; the script ends (blind_transfer = end,"
        " assumed)) at 1.2s after 5 steps",
    ]


def test_dtmf_entered_json_and_diagram_say_where_the_answer_came_from(app: Path) -> None:
    done = ozml("run", "menu.xml", "--dtmf", "7", "--format", "json", cwd=app)
    assert (done.returncode, done.stderr) == (0, "")
    events = [json.loads(line) for line in done.stdout.splitlines()]
    fetch = events[3]
    assert (fetch["command"], fetch["result"], fetch["origin"]) == (
        "fetch", "fetched", "URL map: unknown.xml"
    )
    assert all("origin" not in e for i, e in enumerate(events) if i != 3)
    assert [e["command"] for e in events[4:]] == ["Speak", "Hangup", "end"]
    done = ozml("run", "menu.xml", "--dtmf", "7", "--format", "mermaid", cwd=app)
    assert done.returncode == 0
    assert done.stdout.splitlines()[7:10] == [
        '    Caller->>PBX: t=0.8s DTMF "7" [no-match]',
        '    PBX->>App: t=0.8s DtmfEntered DtmfDigits="7"',
        "    App-->>PBX: t=0.8s OzML from http#58;//app.test/unknown (URL map unknown.xml)",
    ]


def test_golden_lines_do_not_change(app: Path) -> None:
    done = ozml("run", "menu.xml", "--dtmf", "1", "--format", "expect", cwd=app)
    assert done.returncode == 0
    assert "'0.8s GoTo Url=\"http://app.test/sales.php\" -> fetched'," in done.stdout
    assert "map" not in done.stdout


def test_the_scenario_wins(app: Path) -> None:
    (app / "sales.toml").write_text(
        'script = "menu.xml"\n[input]\ndtmf = ["1"]\n[urls]\n'
        '"http://app.test/sales.php" = "<Response><Hangup/></Response>"\n',
        encoding="utf-8",
    )
    done = ozml("run", "--scenario", "sales.toml", cwd=app)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[4].endswith("GoTo Url=\"http://app.test/sales.php\" -> fetched"
                             " (answer from the scenario)")
    assert lines[5] == "   0.800 http://app.test/sales.php:1:12 Hangup -> ok"


def test_isolated_has_no_map(app: Path) -> None:
    done = ozml("run", "menu.xml", "--dtmf", "1", "--isolated", cwd=app)
    assert done.returncode == 1
    assert done.stdout.splitlines()[4] == (
        '   0.800 menu.xml:4:29   GoTo Url="http://app.test/sales.php" -> failed'
        " (the scenario has no answer for http://app.test/sales.php)"
    )


def test_config_file_elsewhere(app: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = tmp_path_factory.mktemp("other")
    (other / "pyproject.toml").write_text(
        '[tool.ozml.urls]\n"http://app.test/sales.php" = "answers/s.xml"\n', encoding="utf-8"
    )
    (other / "answers").mkdir()
    (other / "answers" / "s.xml").write_text("<Response><Hangup/></Response>", encoding="utf-8")
    done = ozml("run", "menu.xml", "--dtmf", "1", "--config", str(other / "pyproject.toml"),
                cwd=app)
    assert (done.returncode, done.stderr) == (0, "")
    expected = (other / "answers" / "s.xml").resolve()
    lines = done.stdout.splitlines()
    assert lines[4].endswith(f"-> fetched (answer from the URL map: {expected.as_posix()})")
    assert lines[5] == "   0.800 http://app.test/sales.php:1:12 Hangup -> ok"


def test_unmapped_dead_and_ambiguous(app: Path) -> None:
    (app / "boxes").mkdir()
    for name in ("a", "b"):
        (app / "boxes" / f"{name}.xml").write_text("<Response/>", encoding="utf-8")
    cases = {
        "http://elsewhere.test/x": "the scenario has no answer for http://elsewhere.test/x",
        "http://app.test/nothere.php": "http://app.test/nothere.php: the URL map of ozml.toml"
        " gives pages/nothere.xml, which is not a file",
        "http://app.test/box?name=$box": "http://app.test/box?name=$box is ambiguous: the URL"
        " map of ozml.toml gives 2 files for it (boxes/a.xml, boxes/b.xml)",
    }
    for url, reason in cases.items():
        (app / "go.xml").write_text(f'<Response><GoTo Url="{url}"/></Response>', encoding="utf-8")
        done = ozml("run", "go.xml", "--force", cwd=app)
        assert done.returncode == 1, done.stderr
        if "$box" in url:  # the undefined variable stays in the URL as written (assumed)
            reason += "; $box is undefined: left as written (assumed: the vendor does not say)"
        assert done.stdout.splitlines()[1] == (
            f'   0.000 go.xml:1:12 GoTo Url="{url}" -> failed ({reason})'
        )


def test_one_file_matching_an_undefined_variable_is_a_guess_and_says_so(app: Path) -> None:
    """A URL that keeps an undefined ``$box`` stands for any text there: the one file the map
    matches is only a guess at what the PBX would request, and every format says so (it said
    ``answer from the URL map: boxes/a.xml`` as if that were certain)."""
    (app / "boxes").mkdir()
    (app / "boxes" / "a.xml").write_text("<Response/>", encoding="utf-8")
    (app / "go.xml").write_text(
        '<Response><GoTo Url="http://app.test/box?name=$box"/></Response>', encoding="utf-8"
    )
    guess = (
        "URL map: boxes/a.xml (a guess, assumed: the URL keeps $box as written, and this is"
        " the one file that matches)"
    )
    done = ozml("run", "go.xml", "--force", cwd=app)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == (
        '   0.000 go.xml:1:12 GoTo Url="http://app.test/box?name=$box" -> fetched (answer from'
        f" the {guess}; $box is undefined: left as written (assumed: the vendor does not say))"
    )
    done = ozml("run", "go.xml", "--force", "--format", "json", cwd=app)
    (goto,) = (json.loads(line) for line in done.stdout.splitlines()[:1])
    assert (goto["command"], goto["origin"]) == ("GoTo", guess)
    done = ozml("run", "go.xml", "--force", "--format", "mermaid", cwd=app)
    assert "(URL map boxes/a.xml (a guess, assumed#58; the URL keeps $box as written" in (
        done.stdout
    )
    # Defined, the variable is the URL's text: the map's answer is no guess.
    done = ozml("run", "go.xml", "--force", "--var", "box=a", cwd=app)
    assert done.stdout.splitlines()[1].endswith("(answer from the URL map: boxes/a.xml)")


def test_optional_notification_answered_by_the_map(app: Path) -> None:
    (app / "pages" / "error.xml").write_text(
        "<Response><Speak>Logged</Speak></Response>", encoding="utf-8"
    )
    (app / "setup.xml").write_text(
        '<Response><CallSetup Caller="101" Callee="102" ErrorUrl="http://app.test/error.php"/>'
        '<CallSetup Caller="101" Callee="103" ErrorUrl="http://elsewhere.test/e"/></Response>',
        encoding="utf-8",
    )
    (app / "setup.toml").write_text(
        'script = "setup.xml"\ncontext = "3pcc"\n[outcomes]\ncall = "busy"\n', encoding="utf-8"
    )
    done = ozml("run", "--scenario", "setup.toml", "--format", "json", cwd=app)
    assert done.returncode == 0, done.stderr
    notes = [json.loads(line) for line in done.stdout.splitlines()]
    notes = [e for e in notes if e["command"] == "notify"]
    assert [(e["params"]["Url"], e["result"], e.get("origin")) for e in notes] == [
        ("http://app.test/error.php", "fetched", "URL map: pages/error.xml"),
        ("http://elsewhere.test/e", "sent", None),
    ]


def test_ozml_test_uses_the_map(app: Path) -> None:
    scenarios = app / "scenarios"
    scenarios.mkdir()
    (scenarios / "sales.toml").write_text(
        'script = "../menu.xml"\n[input]\ndtmf = ["1"]\n[expect]\nend = "transferred"\n',
        encoding="utf-8",
    )
    done = ozml("test", "scenarios", cwd=app)
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("scenarios/sales.toml .\n\n1 passed in ")
    done = ozml("test", "scenarios", "--isolated", "-q", cwd=app)
    assert done.returncode == 1
    assert "the scenario has no answer for http://app.test/sales.php" in done.stdout
    done = ozml("test", "scenarios", "--format", "mermaid", cwd=app)
    assert done.returncode == 0
    assert ("    App-->>PBX: t=0.8s OzML from http#58;//app.test/sales.php"
            " (URL map pages/sales.xml)\n") in done.stdout
