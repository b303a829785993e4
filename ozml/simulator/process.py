"""Running the simulator as a separate process, for an application's tests (and ozml's own).

::

    with SimulatorProcess() as sim:          # python -m ozml simulate --port 0
        client = Client(sim.url, Credentials.of("HTTP_User_1", "qwe123"))
        client.forward_call(call_id="Nt3uh", destination="104")
        assert sim.state()["requests"][-1]["query"].startswith("command=ForwardCall")

The process listens on a free loopback port and is stopped with SIGTERM when the block ends.
Talks to it with the standard library only (urllib), so it works without httpx in the test
process.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["SimulatorProcess"]


class SimulatorProcess:
    """``python -m ozml simulate --port 0`` in a child process; `url` is where it listens."""

    def __init__(
        self, config: Path | None = None, *, startup_timeout: float = 20.0, quiet: bool = True
    ) -> None:
        self.config = config
        self.startup_timeout = startup_timeout
        self.quiet = quiet
        self.url = ""
        self.process: subprocess.Popen[str] | None = None
        self.returncode: int | None = None

    def start(self) -> SimulatorProcess:
        command = [sys.executable, "-m", "ozml", "simulate", "--port", "0"]
        if self.config is not None:
            command += ["--config", str(self.config)]
        if self.quiet:
            command.append("--quiet")
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if self.quiet else None,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], self.startup_timeout)
        line = self.process.stdout.readline().strip() if ready else ""
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"the simulator did not start (exit {self.returncode}): {line!r}")
        self.url = line
        return self

    def _open(self, path: str, data: bytes | None = None) -> Any:
        request = urllib.request.Request(self.url + path, data=data)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def state(self) -> dict[str, Any]:
        """The simulator's state view (``GET /simulator/state``)."""
        found: dict[str, Any] = self._open("/simulator/state")
        return found

    def reset(self) -> None:
        """Back to the configured start (``POST /simulator/reset``)."""
        self._open("/simulator/reset", b"")

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM, wait, and return the exit code (killed if it does not stop in time)."""
        process = self.process
        if process is None:
            return self.returncode if self.returncode is not None else 0
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()
        self.returncode = process.returncode
        self.process = None
        return self.returncode

    def __enter__(self) -> SimulatorProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
