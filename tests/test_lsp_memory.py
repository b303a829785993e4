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
import random
import re
import string
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from ozml.formatter import format_text
from ozml.xmlthread import XmlThread, new_text

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


def _name(letters: int, pick: random.Random) -> str:
    return "N" + "".join(pick.choices(string.ascii_letters, k=letters - 1))


def _growth(
    server: Server, texts: Callable[[int], str], warm: int, measured: int, uri: str
) -> tuple[int, int]:
    """The server's resident size after `warm` edits, and what `measured` edits more added
    to it; each edit replaces the text with ``texts(version)``."""
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": texts(1)}},
    )
    server.diagnostics(uri, 1)
    for version in range(2, warm + 2):
        server.change(uri, version, texts(version))
    before = server.resident()
    for version in range(warm + 2, warm + measured + 2):
        server.change(uri, version, texts(version))
    return before, server.resident() - before


def test_element_names_typed_do_not_grow_the_server(server: Server) -> None:
    """Element names never read before, 40 of 500 letters an edit: 20,000 of them after the
    warm-up (which fills the linter's memory of element shapes, 8,192 of them) added 11 MiB
    before, growing with every name."""
    pick = random.Random(1)

    def text(version: int) -> str:
        elements = "".join(f"  <{_name(500, pick)}/>\n" for _ in range(40))
        return f"<Response>\n{elements}</Response>\n"

    before, grown = _growth(server, text, 250, 500, "file:///tmp/names.xml")
    # 1.6 to 3.3 MiB: the thread replaced last holds up to its budget's worth of names.
    assert grown < ALLOWED + (2 << 20), f"{grown:,} bytes more than {before:,}"


def test_processing_instructions_typed_do_not_grow_the_server(server: Server) -> None:
    """What lxml keeps, alone: names the linter keeps nothing of (processing-instruction
    targets, in a clean document). 16,000 targets of 500 letters after the warm-up added 8.5
    MiB before."""
    pick = random.Random(2)

    def text(version: int) -> str:
        targets = "".join(f"  <?{_name(500, pick)} x?>\n" for _ in range(40))
        return f"<Response>\n{targets}</Response>\n"

    before, grown = _growth(server, text, 200, 400, "file:///tmp/targets.xml")
    assert grown < ALLOWED, f"{grown:,} bytes more than {before:,}"


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


def test_the_thread_keeps_the_order_of_its_work_across_replacements() -> None:
    """Work given to an `XmlThread` runs in the order given, one at a time, also when the
    thread is replaced meanwhile (what the language server keeps per document is used by one
    thread at a time); the replaced threads end."""
    thread = XmlThread("ozml-test", budget=3)
    ran: list[tuple[int, threading.Thread]] = []
    busy = threading.Lock()
    overlapped: list[int] = []

    def work(n: int) -> int:
        if not busy.acquire(blocking=False):
            overlapped.append(n)
            busy.acquire()
        try:
            time.sleep(0.002)
            ran.append((n, threading.current_thread()))
            return n
        finally:
            busy.release()

    before = set(threading.enumerate())
    futures = [thread.submit(1, work, n) for n in range(40)]
    assert [f.result(timeout=30) for f in futures] == list(range(40))
    assert [n for n, _ in ran] == list(range(40))
    assert not overlapped
    assert thread.replaced == 13
    assert len({id(ran_on) for _, ran_on in ran}) == 14  # the threads are kept alive by `ran`
    thread.shutdown()
    deadline = time.monotonic() + 10
    while set(threading.enumerate()) - before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not set(threading.enumerate()) - before


def _runs(text: str) -> set[str]:
    """The runs of characters that may be read as names (or short texts) in `text`."""
    return set(re.findall(r"[^ \t\r\n<>/=\"'&;]+", text))


def test_new_text_counts_every_run_an_edit_makes() -> None:
    """`new_text` counts at least every run of the new version that is not one of the old (the
    names lxml may read in the new version and could not have read in the old), in drawn
    documents and edits of one to three changes: a run that no change touches is the same
    in both."""
    pick = random.Random(4)
    alphabet = "ab<> =\"/\n"
    for _ in range(5_000):
        old = "".join(pick.choices(alphabet, k=pick.randint(0, 40)))
        new = old
        for _ in range(pick.randint(1, 3)):
            start = pick.randint(0, len(new))
            end = pick.randint(start, min(len(new), start + 5))
            new = new[:start] + "".join(pick.choices(alphabet, k=pick.randint(0, 4))) + new[end:]
        counted = new_text(old, new)
        if new == old:
            continue
        assert sum(map(len, _runs(new) - _runs(old))) <= counted - 64, (old, new)
    assert new_text(None, "<Response/>") == len("<Response/>")
    text = "<Response>" + "A" * 100_000 + "</Response>"
    assert new_text(text, text) == 0
    assert new_text(text, text[:50_000] + text[50_001:]) == 99_999 + 64  # one name, shorter
