"""The language server's memory over a long session, as an editor drives it.

Each test runs ``ozml lsp`` over stdio with a minimal JSON-RPC client, has it read what it never
read before, and reads the server's resident size (``VmRSS`` in ``/proc/PID/status``) once a
warm-up has filled what is meant to fill (the linter's memories, which are bounded, and the
allocator's pools), then again after more edits of the same kind: the second reading may not
be much above the first.
"""

from __future__ import annotations

import gc
import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from ozml.formatter import format_text

Message = dict[str, Any]

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads the resident size from /proc"
)

#: What the server may grow by between the two readings (each test says what it grew by before).
ALLOWED = 4 << 20


class Server:
    """``ozml lsp`` and just enough of a client: notifications, and the diagnostics and answers
    it publishes."""

    def __init__(self, tmp_path: Path) -> None:
        self._stderr = (tmp_path / "stderr.txt").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ozml", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self._in: IO[bytes] = self.process.stdin
        self._inbox: queue.Queue[Message] = queue.Queue()
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        self._id = 0
        self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        self.notify("initialized", {})

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            self._inbox.put(json.loads(stream.read(length)))

    def _send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self._in.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self._in.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self._id += 1
        ident = self._id
        self._send({"id": ident, "method": method, "params": params})
        return self._wait(lambda m: m.get("id") == ident and "method" not in m).get("result")

    def _wait(self, wanted: Callable[[Message], bool], timeout: float = 60) -> Message:
        deadline = time.monotonic() + timeout
        while True:
            message = self._inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            if "id" in message and "method" in message:  # the server asks: answer nothing
                self._send({"id": message["id"], "result": None})
            elif wanted(message):
                return message

    def diagnostics(self, uri: str, version: int) -> list[Any]:
        """The diagnostics published for `version` of the document `uri`."""
        found = self._wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )
        diagnostics: list[Any] = found["params"]["diagnostics"]
        return diagnostics

    def change(self, uri: str, version: int, text: str) -> list[Any]:
        """Replace the document's text; its diagnostics."""
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )
        return self.diagnostics(uri, version)

    def resident(self) -> int:
        """The server's resident size in bytes."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) * 1024

    def stop(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._stderr.close()


@pytest.fixture
def server(tmp_path: Path) -> Any:
    started = Server(tmp_path)
    yield started
    started.stop()


def test_formatting_keeps_nothing_of_the_document(server: Server) -> None:
    """Formatting a document with a comment or a blank line made a reference cycle that held
    the document's source and text until the cyclic collector ran, which the server lets run
    seldom: 300 formattings of a 1,000-line document added 23 MiB."""
    lines = [f"  <Speak>Line {n} of the menu.</Speak>" for n in range(1_000)]
    original = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <!-- the menu -->\n'
        + "\n".join(lines)
        + "\n</Response>\n"
    )
    uri = "file:///tmp/commented.xml"
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": original}},
    )
    assert server.diagnostics(uri, 1) == []
    options = {"tabSize": 2, "insertSpaces": True}

    def edit_and_format(version: int) -> None:
        # A digit typed into the first Speak's text, and taken out again.
        at = {"line": 3, "character": 14}
        after = {"line": 3, "character": 15}
        change = (
            {"range": {"start": at, "end": at}, "text": "7"}
            if version % 2 == 0
            else {"range": {"start": at, "end": after}, "text": ""}
        )
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
        assert server.diagnostics(uri, version) == []
        answer = server.request(
            "textDocument/formatting", {"textDocument": {"uri": uri}, "options": options}
        )
        assert answer == []  # formatted already

    for version in range(2, 102):
        edit_and_format(version)
    before = server.resident()
    for version in range(102, 402):
        edit_and_format(version)
    grown = server.resident() - before
    assert grown < ALLOWED, f"{grown:,} bytes more than {before:,}"


def test_formatting_leaves_no_garbage_for_the_collector() -> None:
    """What formatting makes is freed as soon as it is done with, without the cyclic
    collector (`ozml.formatter.layout` kept a cycle for every document with a comment,
    a processing instruction or a blank line)."""
    document = "<Response>\n  <!-- a comment -->\n\n  <?target data?>\n  <Hangup/>\n</Response>\n"
    gc.collect()
    gc.disable()
    try:
        assert format_text(document).startswith("<?xml")
        left = gc.collect()
    finally:
        gc.enable()
    assert left == 0
