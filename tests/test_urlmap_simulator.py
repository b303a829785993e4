"""The URL map in the simulator: ``[urls]`` in its configuration answers the notifications to the
URLs it covers with the mapped files' OzML; every other URL is POSTed as before. Real
processes (``ozml simulate``, ``ozml simulate call``) and a real application on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_simulator_calls import App

from ozml.simulator.process import SimulatorProcess

INCOMING = """\
<Response>
  <UserInput Timeout="5" ForwardToURL="{app}/entered">
    <InitialCommands><Speak>For sales press 1</Speak></InitialCommands>
    <Inputs><Input Key="1"><GoTo Url="{own}/sales.php"/></Input></Inputs>
  </UserInput>
</Response>
"""
SALES = '<Response>\n  <Speak>Sales</Speak>\n  <BlindTransfer Target="2000"/>\n</Response>\n'


def ozml(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args], cwd=cwd, capture_output=True, text=True,
        encoding="utf-8", env=env, timeout=120, check=False,
    )


def free_url() -> str:
    """A loopback URL nothing listens on (the application the map stands in for)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def app() -> Iterator[App]:
    found = App()
    yield found
    found.close()


def _config(folder: Path, own: str, urls: str, top: str = "") -> Path:
    """The simulator's configuration: `top` (top-level keys), extension 1000 whose
    IncomingCall goes to `own`, 2000, then `urls` (the map's table)."""
    path = folder / "sim.toml"
    path.write_text(
        top + '[[extensions]]\nnumber = "1000"\ntype = "API extension"\n'
        f'incoming-url = "{own}/incoming.php"\n'
        '[[extensions]]\nnumber = "2000"\n'
        "[behaviour]\nreal-time = false\nseed = 1\n" + urls,
        encoding="utf-8",
    )
    return path


@pytest.fixture
def mapped(tmp_path: Path, app: App) -> tuple[Path, str]:
    """A simulator configuration whose [urls] maps the own URLs to app/*.xml."""
    own = free_url()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "incoming.xml").write_text(
        INCOMING.format(app=app.url, own=own), encoding="utf-8"
    )
    (tmp_path / "app" / "sales.xml").write_text(SALES, encoding="utf-8")
    config = _config(tmp_path, own, f'[urls]\n"{own}/{{page}}.php" = "app/{{page}}.xml"\n')
    return config, own


def test_mapped_urls_are_answered_by_their_files(mapped: tuple[Path, str], app: App) -> None:
    config, own = mapped
    with SimulatorProcess(config) as sim:
        done = ozml("simulate", "call", "--url", sim.url, "--from", "555", "--to", "1000",
                    "--dtmf", "1@1s", "--wait", "20", cwd=config.parent)
        assert (done.returncode, done.stderr) == (0, "")
        call_id = done.stdout.split()[0]
        assert done.stdout.splitlines()[1:] == [
            f"{call_id} Transferred (TransferCompleted)",
            f"  {own}/incoming.php:",
            f'    0s UserInput Timeout="5" ForwardToURL="{app.url}/entered" -> menu',
            '    0s Speak Text="For sales press 1" -> interrupted at 1s',
            '    1s input Digits="1" -> matched',
            f'    1s GoTo Url="{own}/sales.php" -> fetched',
            '    1s Speak Text="Sales" -> ok',
            '    1.4s BlindTransfer Target="2000" -> transferred',
            "    1.4s end -> transferred",
        ]
        sent = sim.state()["notifications"]
    # The files are named as from the simulator's working folder (here, not above them).
    files = config.parent / "app"
    assert [(n["kind"], n["url"], n["error"], n.get("answered_by")) for n in sent] == [
        ("IncomingCall", f"{own}/incoming.php", None, f"URL map: {files.as_posix()}/incoming.xml"),
        ("GoTo", f"{own}/sales.php", None, f"URL map: {files.as_posix()}/sales.xml"),
    ]
    assert app.names() == []  # nothing was POSTed


def test_other_urls_still_go_to_the_application(mapped: tuple[Path, str], app: App) -> None:
    config, _ = mapped
    app.answer("/entered", "<Response><Speak>Sorry</Speak><Hangup/></Response>")
    with SimulatorProcess(config) as sim:
        done = ozml("simulate", "call", "--url", sim.url, "--from", "555", "--to", "1000",
                    "--dtmf", "7@1s", "--wait", "20", cwd=config.parent)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert lines[-4:] == [
            f'    1s fetch Url="{app.url}/entered" DtmfDigits="7" -> fetched',
            '    1s Speak Text="Sorry" -> ok',
            "    1.4s Hangup -> ok",
            "    1.4s end -> hangup",
        ]
        sent = sim.state()["notifications"]
    assert [(n["kind"], n["status"], n.get("answered_by")) for n in sent] == [
        ("IncomingCall", None, f"URL map: {(config.parent / 'app').as_posix()}/incoming.xml"),
        ("DtmfEntered", 200, None),
    ]
    assert app.names() == [("/entered", "DtmfEntered")]


def test_without_a_map_nothing_answers(tmp_path: Path) -> None:
    own = free_url()
    config = _config(tmp_path, own, "")
    with SimulatorProcess(config) as sim:
        done = ozml("simulate", "call", "--url", sim.url, "--from", "555", "--to", "1000",
                    "--wait", "20", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[1].endswith(" Error (Error)")
        sent = sim.state()["notifications"]
    assert sent[0]["error"] == "[Errno 111] Connection refused"
    assert "answered_by" not in sent[0]


def test_a_mapped_file_that_is_missing_fails_the_notification(tmp_path: Path) -> None:
    own = free_url()
    config = _config(tmp_path, own, f'[urls]\n"{own}/incoming.php" = "nothere.xml"\n')
    with SimulatorProcess(config) as sim:
        done = ozml("simulate", "call", "--url", sim.url, "--from", "555", "--to", "1000",
                    "--wait", "20", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[1].endswith(" Error (Error)")
        sent = sim.state()["notifications"]
    expected = (tmp_path / "nothere.xml").as_posix()
    assert sent[0]["error"] == (
        f"{own}/incoming.php: the URL map of {tmp_path / 'sim.toml'} gives {expected},"
        " which is not a file"
    )


def test_a_bad_entry_is_a_configuration_error(tmp_path: Path) -> None:
    config = _config(tmp_path, "http://127.0.0.1:1", '[urls]\n"ftp://x/a" = "a.xml"\n')
    done = ozml("simulate", "--config", str(config), "--port", "0", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"ozml: error: {config}:11:1: urls 'ftp://x/a': expected an absolute http:// or https://"
        " URL\n"
    )


def test_the_simulator_page_s_example_prints_what_it_shows(tmp_path: Path) -> None:
    """docs/simulator.md, "Answering from the URL map": its Python block, run in a folder of
    its own, prints the text block after it."""
    import re

    page = (Path(__file__).resolve().parent.parent / "docs" / "simulator.md").read_text(
        encoding="utf-8"
    )
    section = page[page.index("### Answering from the URL map"):page.index("## Inspecting it")]
    (code,) = re.findall(r"```python title=\"url_map.py\"\n(.*?)```", section, re.S)
    (shown,) = re.findall(r"```text\n(.*?)```", section, re.S)
    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True,
        encoding="utf-8", timeout=60, check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == shown


def test_url_map_names_the_project_configuration(tmp_path: Path) -> None:
    """``url-map = "FILE"``: the [urls] of the project's own ozml.toml (paths relative to it),
    so the simulator and the dry run read one map."""
    own = free_url()
    project = tmp_path / "project"
    (project / "pages").mkdir(parents=True)
    (project / "ozml.toml").write_text(
        f'[urls]\n"{own}/{{page}}.php" = "pages/{{page}}.xml"\n', encoding="utf-8"
    )
    (project / "pages" / "incoming.xml").write_text(
        "<Response><Speak>Hello</Speak><Hangup/></Response>", encoding="utf-8"
    )
    config = _config(tmp_path, own, "", top='url-map = "project/ozml.toml"\n')
    with SimulatorProcess(config) as sim:
        done = ozml("simulate", "call", "--url", sim.url, "--from", "555", "--to", "1000",
                    "--wait", "20", cwd=tmp_path)
        assert (done.returncode, done.stderr) == (0, "")
        call_id = done.stdout.split()[0]
        assert done.stdout.splitlines()[1:] == [
            f"{call_id} Completed (CalleeHungUp)",
            f"  {own}/incoming.php:",
            '    0s Speak Text="Hello" -> ok',
            "    0.4s Hangup -> ok",
            "    0.4s end -> hangup",
        ]
        sent = sim.state()["notifications"]
    assert sent[0]["answered_by"] == f"URL map: {(project / 'pages').as_posix()}/incoming.xml"


def _boxes(folder: Path, own: str, files: dict[str, str]) -> Path:
    """A simulator configuration whose map sends ``OWN/box?name=NAME`` to app/boxes/NAME.xml
    and ``OWN/PAGE.php`` to app/PAGE.xml, with the boxes `files` (name: OzML)."""
    (folder / "app" / "boxes").mkdir(parents=True)
    for name, ozml_text in files.items():
        (folder / "app" / "boxes" / f"{name}.xml").write_text(ozml_text, encoding="utf-8")
    return _config(
        folder, own, f'[urls]\n"{own}/box?name={{box}}" = "app/boxes/{{box}}.xml"\n'
        f'"{own}/{{page}}.php" = "app/{{page}}.xml"\n',
    )


def test_a_template_part_in_a_url_is_the_text_it_is(tmp_path: Path) -> None:
    """The simulator runs OzML through the engine and answers from the map as a dry run does
    (`MapAnswers`): a ``$`` in a template part is the template's, so ``{{ $box }}`` names the
    one box written so, not every box; a variable the run left undefined beside a part
    (``$v{{ $other }}``) stands for any text, the part still for itself."""
    own = free_url()
    config = _boxes(tmp_path, own, {
        "{{ $box }}": f'<Response><GoTo Url="{own}/box?name=$v{{{{ $other }}}}"/></Response>',
        "{{ $other }}": "<Response><Speak>Other</Speak><Hangup/></Response>",
    })
    (tmp_path / "app" / "incoming.xml").write_text(
        f'<Response><GoTo Url="{own}/box?name={{{{ $box }}}}"/></Response>', encoding="utf-8"
    )
    with SimulatorProcess(config) as sim:
        done = ozml("simulate", "call", "--url", sim.url, "--from", "555", "--to", "1000",
                    "--wait", "20", cwd=tmp_path)
        assert (done.returncode, done.stderr) == (0, "")
        call_id = done.stdout.split()[0]
        assert done.stdout.splitlines()[1:] == [
            f"{call_id} Completed (CalleeHungUp)",
            f"  {own}/incoming.php:",
            f'    0s GoTo Url="{own}/box?name={{{{ $box }}}}" -> fetched',
            f'    0s GoTo Url="{own}/box?name=$v{{{{ $other }}}}" -> fetched',
            '    0s Speak Text="Other" -> ok',
            "    0.4s Hangup -> ok",
            "    0.4s end -> hangup",
        ]
        sent = sim.state()["notifications"]
    files = (tmp_path / "app").as_posix()
    assert [(n["kind"], n["url"], n["error"], n.get("answered_by")) for n in sent] == [
        ("IncomingCall", f"{own}/incoming.php", None, f"URL map: {files}/incoming.xml"),
        ("GoTo", f"{own}/box?name={{{{ $box }}}}", None,
         f"URL map: {files}/boxes/{{{{ $box }}}}.xml"),
        ("GoTo", f"{own}/box?name=$v{{{{ $other }}}}", None,
         f"URL map: {files}/boxes/{{{{ $other }}}}.xml (a guess, assumed: the URL keeps $v as"
         " written, and this is the one file that matches)"),
    ]


def test_a_url_with_a_part_and_no_file_fails_naming_the_file(tmp_path: Path) -> None:
    own = free_url()
    config = _boxes(tmp_path, own, {"{{ a }}": "<Response/>", "{{ b }}": "<Response/>"})
    (tmp_path / "app" / "incoming.xml").write_text(
        f'<Response><GoTo Url="{own}/box?name={{{{ $box }}}}"/></Response>', encoding="utf-8"
    )
    with SimulatorProcess(config) as sim:
        done = ozml("simulate", "call", "--url", sim.url, "--from", "555", "--to", "1000",
                    "--wait", "20", cwd=tmp_path)
        assert (done.returncode, done.stderr) == (0, "")
        sent = sim.state()["notifications"]
    url = f"{own}/box?name={{{{ $box }}}}"
    expected = (tmp_path / "app" / "boxes").as_posix() + "/{{ $box }}.xml"
    assert (sent[1]["kind"], sent[1]["error"]) == (
        "GoTo",
        f"{url}: the URL map of {tmp_path / 'sim.toml'} gives {expected}, which is not a file",
    )
    assert done.stdout.splitlines()[3:] == [f'    0s GoTo Url="{url}" -> failed',
                                            "    0s end -> fetch-failed"]


def test_a_url_given_to_the_http_api_is_literal(tmp_path: Path) -> None:
    """Call's Url sent over the HTTP API is no OzML: nothing filled it in, and its ``$box``
    is text (the box written so), not a variable for any box."""
    from ozml.api import Client, Credentials

    own = free_url()
    config = _boxes(tmp_path, own, {
        "$box": "<Response><Speak>Dollar</Speak><Hangup/></Response>",
        "a": "<Response/>",
    })
    with SimulatorProcess(config) as sim:
        with Client(sim.url, Credentials.of("HTTP_User_1", "qwe123"), timeout=5) as client:
            client.call(dialed="2000", api_extension="1000", url=f"{own}/box?name=$box")
        for _ in range(200):
            sent = sim.state()["notifications"]
            if sent:
                break
            time.sleep(0.05)
    assert [(n["kind"], n["error"], n.get("answered_by")) for n in sent] == [
        ("CallConnected", None, f"URL map: {(tmp_path / 'app' / 'boxes').as_posix()}/$box.xml")
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('url-map = "none.toml"\n', "{config}:1:11: url-map: none.toml: no such file or folder"),
        ('url-map = "empty.toml"\n', "{config}:1:11: url-map: empty.toml has no [urls] table"),
        ('url-map = "empty.toml"\n[urls]\n"http://a.test/" = "x"\n',
         "{config}:1:1: top level: give the URL map as [urls] or as url-map, not both"),
    ],
)
def test_url_map_errors(tmp_path: Path, written: str, message: str) -> None:
    (tmp_path / "empty.toml").write_text('context = "extension"\n', encoding="utf-8")
    config = tmp_path / "sim.toml"
    config.write_text(written, encoding="utf-8")
    done = ozml("simulate", "--config", str(config), "--port", "0", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    expected = message.format(config=config)
    assert done.stderr == f"ozml: error: {expected}\n"
