"""The reported case of a fixed quadratic, run in a fresh interpreter under a deadline.

A timed assertion in a test would measure the machine; a deadline the quadratic version could
not meet (it took minutes, or tens of seconds) while the linear one takes about a second says
only which of the two is running, on any machine.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def within(code: str, seconds: float = 60.0) -> None:
    """Run `code` (dedented) in a fresh interpreter; it must succeed within `seconds`."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=seconds,
        check=False,
    )
    assert done.returncode == 0, done.stderr
