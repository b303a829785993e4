"""`ozml check --watch`: a real `ozml` process that checks again when files under it change
(changed, new and removed documents, a new configuration), ends with exit status 0 on Ctrl-C
(SIGINT) or SIGTERM, and does not grow with the names of the versions it read."""

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
        self.reader = threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True)
        self.reader.start()

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

    def resident(self) -> int:
        """The process's resident size in bytes (``VmRSS`` in ``/proc/PID/status``)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) * 1024

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


@pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads the resident size from /proc"
)
def test_watch_does_not_keep_the_names_of_every_version(tmp_path: Path) -> None:
    """lxml keeps every name a thread has read for as long as the thread lives, and the watch
    read every version on its one thread. Each version here is a clean 4 MB document of 8,000
    new processing-instruction targets of 500 letters (read piece by piece, by a reader that
    leaves a reference cycle holding the names until the collector runs) and three of 1,800
    (0.9 MB, read whole): each added 6.5 MiB, 20 MiB over the three versions measured."""
    padding = "x" * 490

    def write(version: int) -> None:
        for name, count in (("large", 8_000), ("a", 1_800), ("b", 1_800), ("c", 1_800)):
            targets = "".join(f"  <?N{version}{name}{n:04}{padding} x?>\n" for n in range(count))
            written = tmp_path / f"{name}.new"
            written.write_text(f"<Response>\n{targets}</Response>\n")
            os.replace(written, tmp_path / f"{name}.xml")  # whole: no poll sees half of it

    write(0)
    watcher = Watcher(tmp_path, ".")
    try:
        watcher.wait_for("Watching for changes")
        sizes: list[int] = []
        for version in range(1, 7):
            write(version)
            lines = watcher.wait_for("Watching for changes")
            assert any("Change detected: a.xml, b.xml, c.xml ..." in line for line in lines)
            sizes.append(watcher.resident())
        # Warmed up after three versions: the allocator's pools filled, a few threads' worth.
        before, grown = sizes[2], sizes[-1] - sizes[2]
        assert grown < 8 << 20, f"{grown:,} bytes more than {before:,}"
        assert watcher.stop(signal.SIGINT) == 0
    finally:
        watcher.kill()


def test_ctrl_c_while_checking_ends_the_watch_at_once(tmp_path: Path) -> None:
    """Ctrl-C in the middle of a run ends the watch with exit status 0 there, without a
    traceback, and the run goes no further: the files are read on a thread of their own, and
    the main thread, which the signal reaches, waits for it."""
    findings = "<Response>\n" + "  <ForwardCall/>\n" * 2_000 + "</Response>\n"
    for n in range(40):  # about 0.1 s each
        (tmp_path / f"f{n:02}.xml").write_text(findings)
    watcher = Watcher(tmp_path, "--jobs", "1", "--format", "concise")
    try:
        watcher.wait_for("f00.xml:2:4: OZ201")
        assert watcher.stop(signal.SIGINT) == 0
        watcher.reader.join(timeout=30)
        while not watcher.lines.empty():
            watcher.seen.append(watcher.lines.get())
        assert watcher.seen[-1] == ""  # what the watch prints as Ctrl-C ends it
        assert not any(line.startswith("f39.xml:") for line in watcher.seen)
        assert not any("Watching for changes" in line for line in watcher.seen)
        assert not any("Traceback" in line for line in watcher.seen)
    finally:
        watcher.kill()
