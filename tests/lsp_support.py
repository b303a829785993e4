"""The clients of the language-server tests.

`Session` runs ``ozml lsp`` over stdio, as an editor does, and speaks JSON-RPC without a
library, so it can send what no library would (several messages in one write, a body that is
not JSON, the same version twice). `Harness` runs the server in this process: messages go
through pygls' own reading, answers are collected from its writer. `frame` and `read_message`
are the protocol's framing (a ``Content-Length`` header, a blank line, the body), for tests that
drive the server by hand. `client_fixture` makes the pytest-lsp fixture those tests take, and
`open_doc` and `diagnostics_for` serve them.
"""

from __future__ import annotations

import asyncio
import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import IO, Any

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from ozml.lsp.server import OzmlServer, build

SERVER = [sys.executable, "-m", "ozml", "lsp"]

Message = dict[str, Any]
Responder = Callable[[Message], Any]


def frame(message: Message) -> bytes:
    """`message` as it goes over the wire."""
    return frame_body(json.dumps(message).encode())


def frame_body(body: bytes) -> bytes:
    """Any bytes framed as a message body (JSON or not)."""
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_message(stream: IO[bytes]) -> Message | None:
    """The next framed message on `stream`; None when the stream ends."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        if line == b"\r\n":
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    assert length is not None
    message: Message = json.loads(stream.read(length))
    return message


class Session:
    """``ozml lsp`` and a client that records everything it sends, in order; initialized."""

    def __init__(
        self,
        tmp_path: Path,
        *,
        capabilities: dict[str, Any] | None = None,
        options: Any = None,
        responder: Responder | None = None,
        args: tuple[str, ...] = (),
        cwd: Path | None = None,
        root_uri: str | None = None,
    ) -> None:
        """The server's standard error goes to `tmp_path`/stderr.txt; `args` follow ``ozml
        lsp``, which runs in `cwd` (this process's folder by default); `root_uri` is the
        workspace the initialize request names."""
        self.stderr_path = tmp_path / "stderr.txt"
        self._stderr = self.stderr_path.open("wb")
        self.proc = subprocess.Popen(
            [*SERVER, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr, cwd=cwd,
        )
        #: Answers the server's own requests (workspace/configuration, registrations).
        self.responder = responder or (lambda message: None)
        self.inbox: queue.Queue[Message] = queue.Queue()
        #: Every notification and answer read so far that no `wait` took.
        self.seen: list[Message] = []
        self._lock = threading.Lock()
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()
        params = {"processId": None, "rootUri": root_uri, "capabilities": capabilities or {}}
        if options is not None:
            params["initializationOptions"] = options
        assert "result" in self.request("initialize", params)
        self.notify("initialized", {})

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while (message := read_message(out)) is not None:
            if "method" in message and "id" in message:  # the server asks: answer at once
                answer = self.responder(message)
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": answer})
            else:
                self.inbox.put(message)

    def _write(self, data: bytes) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        with self._lock:
            stdin.write(data)
            stdin.flush()

    def send_raw(self, body: bytes) -> None:
        self._write(frame_body(body))

    def send(self, message: Message) -> None:
        self._write(frame(message))

    def send_all(self, messages: list[Message]) -> None:
        """Several messages in one write: the server reads them back to back."""
        self._write(b"".join(frame(message) for message in messages))

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 60) -> Message:
        """The answer to a request; fails the test when none comes."""
        self._next += 1
        ident = self._next
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == ident and "method" not in m, timeout, method)

    def wait(
        self, match: Callable[[Message], bool], timeout: float = 30, what: str = ""
    ) -> Message:
        for message in self.seen:
            if match(message):
                self.seen.remove(message)
                return message
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                message = self.inbox.get(timeout=left)
            except queue.Empty:
                break
            if match(message):
                return message
            self.seen.append(message)
        raise AssertionError(f"nothing within {timeout} s: {what or 'a message'}")

    def published(self, uri: str, version: int | None = None, timeout: float = 30) -> list[Any]:
        """The next diagnostics published for `uri` (for `version`, when given)."""
        return self._diagnostics(
            uri, lambda found: version is None or found == version, timeout, f"version {version}"
        )

    def unversioned(self, uri: str, timeout: float = 30) -> list[Any]:
        """The next diagnostics published for `uri` without a version (as on a close)."""
        return self._diagnostics(uri, lambda found: found is None, timeout, "no version")

    def _diagnostics(
        self, uri: str, version: Callable[[Any], bool], timeout: float, what: str
    ) -> list[Any]:
        found = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and version(m["params"].get("version"))
            ),
            timeout,
            f"diagnostics of {uri} {what}",
        )
        return list(found["params"]["diagnostics"])

    def forget_seen(self) -> None:
        """Drop what was read so far (what a `wait` should not find any more)."""
        while True:
            try:
                self.seen.append(self.inbox.get_nowait())
            except queue.Empty:
                break
        self.seen.clear()

    def open(self, uri: str, text: str, version: int = 1) -> None:
        item = {"uri": uri, "languageId": "xml", "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})

    def open_linted(self, uri: str, text: str, version: int = 1) -> list[Any]:
        """Open `uri` with `text`: the diagnostics published for it."""
        self.open(uri, text, version)
        return self.published(uri, version)

    def stop(self) -> int:
        """Shut the server down as an editor does: its exit status."""
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None, 10)
                self.notify("exit", None)
                self.proc.wait(10)
            return self.proc.returncode
        finally:
            self.kill()

    def kill(self) -> None:
        """End the server if it still runs (a test's clean-up)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self._stderr.close()


class Harness:
    """A language server in this process: messages go through pygls' own reading (JSON with the
    protocol's object hook, then `handle_message`), answers are collected from its writer."""

    def __init__(
        self, capabilities: dict[str, Any] | None = None, *, answer_requests: bool = True
    ) -> None:
        self.server: OzmlServer = build()
        self.server.protocol.set_writer(self)
        self.capabilities = capabilities or {}
        #: Answer the server's own requests (settings, registrations) as a client with nothing
        #: to say would.
        self.answer_requests = answer_requests
        self._out = bytearray()
        self._messages: list[Message] = []
        self._next = 0

    # the writer pygls writes to
    def write(self, data: bytes) -> None:
        self._out += data

    def close(self) -> None:
        return None

    def messages(self) -> list[Message]:
        out = self._out
        while (head := out.find(b"\r\n\r\n")) >= 0:
            length = next(
                int(line.split(b":")[1])
                for line in out[:head].split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            message = json.loads(out[head + 4 : head + 4 + length])
            del out[: head + 4 + length]
            if self.answer_requests and "method" in message and "id" in message:
                items = (message.get("params") or {}).get("items")
                answer = [None] * len(items) if isinstance(items, list) else None
                self.feed({"jsonrpc": "2.0", "id": message["id"], "result": answer})
            else:
                self._messages.append(message)
        return self._messages

    def feed(self, message: Message) -> None:
        """One message through pygls' own reading, as from the editor."""
        protocol = self.server.protocol
        body = json.dumps(message)
        protocol.handle_message(json.loads(body, object_hook=protocol.structure_message))

    def notify(self, method: str, params: Any) -> None:
        self.feed({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method: str, params: Any) -> Message:
        self._next += 1
        ident = self._next
        self.feed({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        return await self.wait(lambda m: m.get("id") == ident and "method" not in m)

    async def wait(self, match: Any, timeout: float = 10) -> Message:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for message in self.messages():
                if match(message):
                    self._messages.remove(message)
                    return message
            await asyncio.sleep(0.001)
        raise AssertionError("no answer")

    async def start(self, options: Any = None) -> None:
        params = {"processId": None, "rootUri": None, "capabilities": self.capabilities}
        if options is not None:
            params["initializationOptions"] = options
        answer = await self.request("initialize", params)
        assert "result" in answer
        self.notify("initialized", {})

    async def diagnostics(self, uri: str, version: int) -> list[Message]:
        found = await self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            )
        )
        return list(found["params"]["diagnostics"])

    async def stop(self) -> None:
        await self.request("shutdown", None)


# --- with pytest-lsp's client -------------------------------------------------------------------


def client_fixture(
    *,
    editor: str = "visual-studio-code",
    hover_formats: list[types.MarkupKind] | None = None,
    settings: dict[str, Any] | None = None,
    options: Any = None,
) -> Any:
    """A pytest-lsp fixture (assign it in a module under the name the tests take): ``ozml lsp``
    over stdio and a client initialized with the capabilities pytest-lsp records for `editor`,
    answering the server's registrations, shut down after the test.

    `hover_formats` replaces the hover content formats the client accepts; `settings` are the
    workspace settings of section ``ozml`` the server pulls; `options` are the
    ``initializationOptions``.
    """

    @pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))  # type: ignore[untyped-decorator]
    async def fixture(lsp_client: LanguageClient) -> AsyncIterator[None]:
        @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)  # type: ignore[untyped-decorator]
        def register(params: types.RegistrationParams) -> None:
            return None

        if settings is not None:
            lsp_client.set_configuration(settings, section="ozml")
        capabilities = client_capabilities(editor)
        if hover_formats is not None:
            assert capabilities.text_document is not None
            assert capabilities.text_document.hover is not None
            capabilities.text_document.hover.content_format = hover_formats
        await lsp_client.initialize_session(
            types.InitializeParams(capabilities=capabilities, initialization_options=options)
        )
        yield
        await lsp_client.shutdown_session()

    return fixture


async def open_doc(
    client: LanguageClient, uri: str, text: str, version: int = 1
) -> list[types.Diagnostic]:
    """Open a document and return the diagnostics published for it."""
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="xml", version=version, text=text)
        )
    )
    return await diagnostics_for(client, uri, version)


async def diagnostics_for(client: LanguageClient, uri: str, version: int) -> list[types.Diagnostic]:
    """The diagnostics published for `version` of `uri` (asked for before any can arrive)."""
    while True:
        params: types.PublishDiagnosticsParams = await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20
        )
        if params.uri == uri and params.version == version:
            return list(params.diagnostics)
