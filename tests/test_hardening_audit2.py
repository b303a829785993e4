"""A second audit of "bad input never gets a traceback: a clear message with a position, a
documented exit code, and nothing lost", against the real `ozml` program.

Each test reproduces one defect the audit found and pins what happens now:
- a language-server message whose body is not JSON printed pygls' traceback on standard error
  (its own ``logger.exception``, shown by Python's last-resort handler), though ozml answers it
  with a ParseError and logs it in one line;
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DOC = "<Response>\n  <Speak>Hello</Speak>\n</Response>\n"


def ozml(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


# --- the language server: a body that is not JSON ------------------------------------------


def test_a_message_that_is_not_json_is_answered_without_a_traceback(tmp_path: Path) -> None:
    pytest.importorskip("pygls")
    from lsp_support import Session

    session = Session(tmp_path)
    try:
        session.send_raw(b"this is not JSON")
        answer = session.wait(lambda m: "error" in m and m.get("id") is None)
        assert answer["error"]["code"] == -32700  # JSON-RPC's ParseError
        hover = session.request(
            "textDocument/hover",
            {"textDocument": {"uri": "file:///x.xml"}, "position": {"line": 0, "character": 0}},
        )
        assert "result" in hover  # the server goes on
        assert session.stop() == 0
    finally:
        session.kill()
    log = (tmp_path / "stderr.txt").read_bytes().decode("utf-8", "replace")
    assert "Traceback" not in log
    assert "handling a message failed: JSONDecodeError: Expecting value" in log
