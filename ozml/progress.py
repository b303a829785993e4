"""A progress line on standard error for long ``ozml check`` runs.

Shown only when standard error is a terminal, the terminal is not ``dumb``, and no CI system is
detected (the ``CI`` variable that GitHub Actions, GitLab CI and most others set, and a few
specific ones); never when output is piped or redirected. It appears only after the run has
taken a second, so short runs print nothing extra, and it is redrawn at most ten times a
second. Before a finding is printed the line is erased (`clear`), so findings and the progress
line never mix on one terminal.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import TextIO

#: Variables set by CI systems; any of them (non-empty) switches the progress line off.
CI_VARIABLES = (
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "BUILDKITE",
    "TF_BUILD",
    "JENKINS_URL",
    "TEAMCITY_VERSION",
    "CIRCLECI",
)


def wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether a progress line belongs on `stream`."""
    env = os.environ if environ is None else environ
    if any(env.get(name) for name in CI_VARIABLES) or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


class Progress:
    """Counts files as they are checked and draws ``checked 1,234 files ...`` now and then."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        enabled: bool | None = None,
        delay: float = 1.0,
        interval: float = 0.1,
        total: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self.delay = delay
        self.interval = interval
        self.total = total
        self.clock = clock
        self.start = clock()
        self.last = self.start
        self.files = 0
        self.findings = 0
        self.shown = False

    def update(self, findings: int = 0) -> None:
        """One more file is done, with this many findings."""
        self.files += 1
        self.findings += findings
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start < self.delay or (self.shown and now - self.last < self.interval):
            return
        self.last = now
        self._draw(now)

    def line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.files / elapsed
        found = f", {self.findings:,} finding{'s' if self.findings != 1 else ''}"
        if self.total:
            width = 24
            done = min(self.files, self.total)
            filled = int(width * done / self.total)
            bar = "#" * filled + "-" * (width - filled)
            return f"[{bar}] {done:,}/{self.total:,} files{found} ({rate:,.0f} files/s)"
        return f"checked {self.files:,} files{found} ({rate:,.0f} files/s)"

    def _draw(self, now: float) -> None:
        self.stream.write("\r\x1b[2K" + self.line(now))
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Erase the line (before other output goes to the terminal)."""
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False

    def done(self) -> None:
        self.clear()


__all__ = ["CI_VARIABLES", "Progress", "wanted"]
