"""docs/testing-apps.md runs as a new user would run it: the applications start as the page
starts them, its scenario is the shipped one, every `ozml` session prints exactly what the page
shows (against the stdlib example on a free port instead of 8080), and the CI step runs as
GitHub Actions runs it (bash -eo pipefail)."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGE = (REPO / "docs" / "testing-apps.md").read_text(encoding="utf-8")
PORT = "8080"


def blocks(info: str) -> list[str]:
    return re.findall(rf"^```{re.escape(info)}\n(.*?)^```$", PAGE, re.S | re.M)


def free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


def wait_for(port: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", int(port)), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None, "the application stopped"
            assert time.monotonic() < deadline, "the application did not start"
            time.sleep(0.05)


def start(command: str, port: str) -> subprocess.Popen[str]:
    args = shlex.split(command.replace(PORT, port))
    if args[0] == "python":
        args[0] = sys.executable
    elif args[0] == "flask":
        args[:1] = [sys.executable, "-m", "flask"]
    return subprocess.Popen(
        args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def starting_commands() -> list[tuple[str, str]]:
    """The console blocks that start an application: (command, what it prints)."""
    found = []
    for block in blocks("console"):
        command, _, output = block.partition("\n")
        if not command.startswith("$ ozml "):
            found.append((command[2:], output))
    return found


def ozml_sessions() -> list[tuple[str, str]]:
    found = []
    for block in blocks("console"):
        command, _, output = block.partition("\n")
        if command.startswith("$ ozml "):
            found.append((command[2:], output))
    return found


@pytest.fixture(scope="module")
def stdlib_app() -> Iterator[str]:
    """The first application the page starts, as it starts it, on a free port."""
    command, shown = starting_commands()[0]
    port = free_port()
    process = start(command, port)
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == shown.replace(PORT, port)
        yield port
    finally:
        stop(process)


def run_ozml(command: str, port: str) -> subprocess.CompletedProcess[str]:
    args = shlex.split(command.replace(PORT, port))[1:]
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args], cwd=REPO, capture_output=True, text=True,
        timeout=120,
    )


def test_the_page_has_the_blocks_tested_here() -> None:
    assert [c for c, _ in starting_commands()] == [
        "python examples/web/stdlib_app.py --port 8080",
        "flask --app examples/web/flask_app.py run --port 8080",
    ]
    assert len(ozml_sessions()) == 3
    assert len(blocks("toml")) == 1
    assert len(blocks("yaml")) == 1


def test_the_scenario_block_is_the_shipped_scenario() -> None:
    [block] = blocks("toml")
    shipped = (REPO / "examples" / "scenarios" / "web" / "ivr-operator-voicemail.toml")
    text = shipped.read_text(encoding="utf-8")
    assert text.startswith(block)
    assert text[len(block):].lstrip("\n").startswith("[expect]")


@pytest.mark.parametrize(("command", "output"), ozml_sessions(), ids=lambda v: v[:40])
def test_every_session_prints_what_the_page_shows(
    stdlib_app: str, command: str, output: str
) -> None:
    done = run_ozml(command, stdlib_app)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    # As in every console block of the docs, "…" in a line stands for any text (a time).
    expected = output.replace(PORT, stdlib_app).splitlines()
    actual = done.stdout.splitlines()
    assert len(actual) == len(expected), done.stdout
    for want, got in zip(expected, actual, strict=True):
        pattern = ".*".join(re.escape(part) for part in want.split("\u2026"))
        assert re.fullmatch(pattern, got), (want, got)


def test_the_expect_section_the_page_prints_is_the_shipped_one() -> None:
    session = next(out for cmd, out in ozml_sessions() if "--format expect" in cmd)
    shipped = (REPO / "examples" / "scenarios" / "web" / "ivr-operator-voicemail.toml")
    assert shipped.read_text(encoding="utf-8").endswith("\n" + session)


def test_the_flask_application_starts_as_the_page_says_and_passes() -> None:
    command, _ = starting_commands()[1]
    port = free_port()
    process = start(command, port)
    try:
        wait_for(port, process)
        test = next(cmd for cmd, _ in ozml_sessions() if cmd.startswith("ozml test "))
        done = run_ozml(test, port)
    finally:
        stop(process)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].split(" in ")[0] == "4 passed"


def test_the_ci_step_runs_as_github_actions_runs_it() -> None:
    [workflow] = blocks("yaml")
    install = '- run: pip install "ozml[http] @ git+${{ vars.OZML_GIT_URL }}@${{ vars.OZML_REF }}"'
    assert install in workflow
    step = workflow.split("- name: Test the application\n", 1)[1]
    lines = step.splitlines()
    assert lines[0].strip() == "run: |"
    script = "\n".join(line.strip() for line in lines[1:] if line.strip())
    port = free_port()
    script = script.replace(PORT, port).replace("python ", f"{shlex.quote(sys.executable)} ", 1)
    # The runner ends the background application with the job; here, with the shell.
    wrapped = f"trap 'kill $(jobs -p) 2>/dev/null' EXIT\n{script}\n"
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", wrapped],
        cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].split(" in ")[0] == "4 passed"


def _anchors(path: Path) -> set[str]:
    """Heading slugs as tests/test_reference_docs.py computes them, and explicit anchors."""
    text = path.read_text(encoding="utf-8")
    found = set(re.findall(r'<a id="([^"]+)"></a>', text))
    for heading in re.findall(r"^#+ (.+)$", text, re.M):
        found.add(re.sub(r"[^\w\- ]", "", heading.lower()).strip().replace(" ", "-"))
    return found


def test_the_links_of_the_page_resolve() -> None:
    docs = REPO / "docs"
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", PAGE):
        path_part, _, anchor = target.partition("#")
        resolved = docs / path_part if path_part else docs / "testing-apps.md"
        if not resolved.is_file() or (anchor and anchor not in _anchors(resolved)):
            broken.append(target)
    assert broken == []


def test_the_page_is_linked_from_the_index_the_dry_run_and_the_web_apps_pages() -> None:
    for name in ("index.md", "dry-run.md", "web-apps.md"):
        assert "](testing-apps.md)" in (REPO / "docs" / name).read_text(encoding="utf-8"), name
