"""`ozml check --watch`: a real `ozml` process that checks again when files under it change
(changed, new and removed documents, a new configuration), and ends with exit status 0 on
Ctrl-C (SIGINT) or SIGTERM."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="Ctrl-C is not a signal a test can send on Windows"
)

BAD = "<Response>\n  <ForwardCall/>\n</Response>\n"
CLEAN = "<Response>\n  <Speak>Hello</Speak>\n</Response>\n"


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Watcher:
    """`ozml check --watch` in a subprocess, its two streams read line by line as they come."""

    def __init__(self, cwd: Path, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR",)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ozml", "check", "--watch", "--no-cache", *args],
            cwd=cwd,
            env=env,
            # One pipe for both streams, so lines come in the order they were written (the
            # report is flushed before the "Watching" line).
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # As a terminal starts it: a suite run in the background without job control
            # (`cmd &` in a script) ignores SIGINT, which its children would inherit, and a
            # program started so rightly keeps ignoring Ctrl-C.
            preexec_fn=_interruptible,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 30) -> list[str]:
        """Lines up to and including the first that holds `text`."""
        got: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} not seen; saw {self.seen}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            got.append(line)
            if text in line:
                return got

    def stop(self, signum: int) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=30)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "a.xml").write_text(BAD)
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "b.xml").write_text(CLEAN)
    return tmp_path


def test_watch_checks_again_on_every_change_and_ends_on_ctrl_c(project: Path) -> None:
    watcher = Watcher(project, "--format", "concise")
    try:
        first = watcher.wait_for("Watching for changes")
        assert "a.xml:2:4: OZ201 ForwardCall needs Destination" in first
        assert any("Starting in watch mode." in line for line in first)

        (project / "a.xml").write_text(CLEAN)  # fixed
        second = watcher.wait_for("Watching for changes")
        assert any("Change detected: a.xml." in line for line in second)
        assert not any("OZ201" in line for line in second)

        (project / "calls" / "new.xml").write_text(BAD)  # a new file
        third = watcher.wait_for("Watching for changes")
        assert any("Change detected: calls/new.xml." in line for line in third)
        assert "calls/new.xml:2:4: OZ201 ForwardCall needs Destination" in third

        (project / "calls" / "new.xml").unlink()  # a file removed
        fourth = watcher.wait_for("Watching for changes")
        assert not any("OZ201" in line for line in fourth)

        (project / "ozml.toml").write_text('ignore = ["OZ201"]\n')  # a configuration
        fifth = watcher.wait_for("Watching for changes")
        assert any("Change detected: ozml.toml." in line for line in fifth), fifth
        (project / "a.xml").write_text(BAD)
        fifth = watcher.wait_for("Watching for changes")
        assert any("Change detected: a.xml." in line for line in fifth)
        assert not any("OZ201" in line for line in fifth)
        (project / "ozml.toml").write_text("")
        sixth = watcher.wait_for("Watching for changes")
        assert any("Change detected: ozml.toml." in line for line in sixth)
        assert "a.xml:2:4: OZ201 ForwardCall needs Destination" in sixth

        assert watcher.stop(signal.SIGINT) == 0
    finally:
        watcher.kill()


def test_watch_ends_with_0_on_sigterm_and_respects_gitignore(project: Path) -> None:
    (project / ".gitignore").write_text("calls/\n")
    (project / "a.xml").write_text(CLEAN)
    watcher = Watcher(project, "--format", "concise")
    try:
        watcher.wait_for("Watching for changes")
        (project / "calls" / "ignored.xml").write_text(BAD)
        (project / "z.xml").write_text(BAD)
        lines = watcher.wait_for("2 files checked.")  # a.xml and z.xml
        assert "z.xml:2:4: OZ201 ForwardCall needs Destination" in lines
        assert not any("ignored.xml" in line for line in lines)
        assert watcher.stop(signal.SIGTERM) == 0
    finally:
        watcher.kill()
