"""What a server, a document or a scenario sends never acts on the terminal.

`ozml api` prints what the PBX answers, `ozml run` and `ozml test` print traces of what
documents say: control characters (C1 controls such as U+009B, the 8-bit "CSI", are legal XML),
bidirectional overrides and file names with escape sequences reach people escaped, while the
JSON output keeps them exact.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

#: U+009B (CSI in 8-bit form) and U+202E (right-to-left override): legal in XML.
HOSTILE = "\u009b31mred\u202etxt.exe"
ENV = {"OZML_USERNAME": "admin", "OZML_PASSWORD": "s3cret-pass"}


def ozml(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args], capture_output=True, text=True,
        timeout=60, env={**base, **ENV}, cwd=cwd,
    )


def raw(text: str) -> bool:
    return "\u009b" in text or "\u202e" in text or "\x1b" in text


@pytest.fixture
def hostile_pbx() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return None

        def do_GET(self) -> None:
            body = (
                f"<Response><Code>200</Code><Message>{HOSTILE}</Message>"
                f"<Note>{HOSTILE}</Note><ActiveCalls><Call><CallId>{HOSTILE}</CallId>"
                "<Source>1</Source><Destination>2</Destination></Call></ActiveCalls>"
                "</Response>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_ozml_api_escapes_what_the_pbx_answers(hostile_pbx: str) -> None:
    done = ozml("api", "ListActiveCalls", "--api-url", hostile_pbx)
    assert done.returncode == 0, done.stderr
    assert not raw(done.stdout + done.stderr)
    assert "\\x9b31mred\\u202etxt.exe" in done.stdout
    exact = ozml("api", "ListActiveCalls", "--api-url", hostile_pbx, "--format", "json")
    assert json.loads(exact.stdout)["message"] == HOSTILE


def test_text_traces_escape_what_documents_say_and_json_keeps_it(tmp_path: Path) -> None:
    script = tmp_path / "hostile\x1b[2J.xml"
    script.write_text(f"<Response><Speak>{HOSTILE}</Speak></Response>", encoding="utf-8")
    done = ozml("run", "--dry-run", script.name, "--context", "extension", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not raw(done.stdout + done.stderr)
    assert "\\x9b31mred\\u202etxt.exe" in done.stdout
    assert "hostile\\x1b[2J.xml" in done.stdout
    lines = ozml(
        "run", "--dry-run", script.name, "--context", "extension", "--format", "json",
        cwd=tmp_path,
    )
    events = [json.loads(line) for line in lines.stdout.splitlines()]
    assert any(event["params"].get("Text") == HOSTILE for event in events)


def test_ozml_test_escapes_scenario_labels_and_traces(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(
        f"<Response><Speak>{HOSTILE}</Speak></Response>", encoding="utf-8"
    )
    (tmp_path / "s.scenario.toml").write_text(
        f'script = "a.xml"\ncontext = "extension"\ndescription = "{HOSTILE}"\n',
        encoding="utf-8",
    )
    done = ozml("test", "--verbose", "s.scenario.toml", cwd=tmp_path)
    assert not raw(done.stdout + done.stderr), done.stdout
    assert "\\x9b31mred" in done.stdout
