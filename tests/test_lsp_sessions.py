"""Whole sessions with `ozml lsp` over stdio, as an editor (or a careless client) drives them.

A raw JSON-RPC client sees every message in the order the server sends it, and can send what
no library would (several messages in one write, the same version twice, anything at all).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lsp_support import Harness, Message, Session

from ozml import check
from ozml.formatter import format_text
from ozml.lsp.symbols import MAX_OUTLINE_DEPTH


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    started = Session(tmp_path)
    yield started
    started.stop()


def opened(uri: str, text: str, version: int = 1) -> Message:
    item = {"uri": uri, "languageId": "xml", "version": version, "text": text}
    return {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": item}}


def closed(uri: str) -> Message:
    return {
        "jsonrpc": "2.0",
        "method": "textDocument/didClose",
        "params": {"textDocument": {"uri": uri}},
    }


def replaced(uri: str, text: str, version: int) -> Message:
    return {
        "jsonrpc": "2.0",
        "method": "textDocument/didChange",
        "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}],
        },
    }


def codes(diagnostics: list[Any]) -> list[str]:
    return sorted(d["code"] for d in diagnostics)


def checked(text: str) -> list[str]:
    return sorted(d.code for d in check(text))


def formatted_by(session: Session, uri: str, text: str) -> str:
    """`text` with the edits of the server's textDocument/formatting applied."""
    answer = session.request(
        "textDocument/formatting",
        {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}},
    )
    edits = answer["result"]
    assert edits is not None, answer
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: dict[str, int]) -> int:  # ASCII texts: characters are code units
        return starts[position["line"]] + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


# -- a lint belongs to the document and the text it was made from ------------------------------

#: Long enough that its lint is still running when the next messages arrive.
BASE = (
    "<Response>\n"
    + "".join(f'  <Var Id="v{i}">{i}</Var>\n  <Speak>Hello $v{i}</Speak>\n' for i in range(3000))
    + "</Response>\n"
)
WITH_FINDING = BASE.replace("<Response>\n", "<Response>\n<ForwardCall/>\n", 1)
TO_FORMAT = BASE.replace("<Response>\n", "<Response>\n<Hangup></Hangup>\n", 1)


def test_a_document_reopened_while_its_old_text_is_linted_gets_the_new_texts_lint(
    session: Session, tmp_path: Path
) -> None:
    assert checked(WITH_FINDING) == ["OZ201"]
    assert checked(BASE) == []
    uri = (tmp_path / "reopened.xml").as_uri()
    session.send_all([opened(uri, WITH_FINDING), closed(uri), opened(uri, BASE)])
    # The close clears the diagnostics (no version); the next ones are of the text open now,
    # never the old text's under the reopened document's version 1.
    assert session.published(uri, None) == []
    session.seen.clear()  # anything published before the close
    assert session.published(uri) == []
    # Formatting works from the current text, never restores the old one.
    other = (tmp_path / "reformatted.xml").as_uri()
    session.send_all([opened(other, WITH_FINDING), closed(other), opened(other, TO_FORMAT)])
    session.published(other, None)
    session.seen.clear()
    assert codes(session.published(other)) == checked(TO_FORMAT) == ["OZ402"]
    assert formatted_by(session, other, TO_FORMAT) == format_text(TO_FORMAT)


@pytest.mark.parametrize("versions", [(2, 2), (2, 3, 2)], ids=["sent-twice", "counted-back"])
def test_a_version_number_given_to_a_second_text_gets_that_texts_lint(
    session: Session, tmp_path: Path, versions: tuple[int, ...]
) -> None:
    """An editor that sends one version number twice, or counts back onto the number of a
    version being linted: the diagnostics and the formatting are those of the last text."""
    uri = (tmp_path / "versions.xml").as_uri()
    session.open(uri, BASE)
    assert session.published(uri, 1) == []
    texts = [WITH_FINDING, *([BASE] * (len(versions) - 2)), TO_FORMAT]
    session.send_all([replaced(uri, t, v) for t, v in zip(texts, versions, strict=True)])
    assert codes(session.published(uri, versions[-1])) == checked(TO_FORMAT) == ["OZ402"]
    assert formatted_by(session, uri, TO_FORMAT) == format_text(TO_FORMAT)


# -- nothing grows with messages handled -------------------------------------------------------
# The server's own tables (pygls' futures, the per-document caches) are checked in this process,
# through pygls' reading of the messages; its memory, over stdio.


def test_notifications_and_closed_documents_leave_nothing_behind(tmp_path: Path) -> None:
    """pygls kept a future for every notification whose handler is a generator or a coroutine
    (didOpen, didChange, didClose, initialized, didChangeConfiguration), and the server kept a
    lint task and settings for every document ever opened."""

    async def scenario() -> None:
        harness = Harness()
        server = harness.server
        capabilities = {"workspace": {"configuration": False}}
        start = {"processId": None, "rootUri": None, "capabilities": capabilities}
        harness.feed({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": start})
        harness.feed({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        text = '<Response>\n  <Speak>a</Speak>\n</Response>\n'
        for k in range(30):
            uri = (tmp_path / f"d{k}" / "script.xml").as_uri()
            harness.feed(opened(uri, text))
            for version in range(2, 12):
                change = {
                    "range": {
                        "start": {"line": 1, "character": 9},
                        "end": {"line": 1, "character": 9},
                    },
                    "text": "b",
                }
                harness.feed(
                    {
                        "jsonrpc": "2.0",
                        "method": "textDocument/didChange",
                        "params": {
                            "textDocument": {"uri": uri, "version": version},
                            "contentChanges": [change],
                        },
                    },
                )
            config = {"settings": {"ozml": {"debounceMs": k % 2}}}
            harness.feed({"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration",
                          "params": config})  # fmt: skip
            for _ in range(200):  # until the lint of the last version is published
                await asyncio.sleep(0.005)
                if not server.scheduler._tasks:
                    break
            harness.feed(closed(uri))
        await asyncio.sleep(0.05)
        assert server.protocol._request_futures == {}
        assert server.scheduler._tasks == {}
        assert server.documents.all() == []
        assert server.linter._settings == {}
        assert server.linter._project._excluded == {}
        harness.feed({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
        await asyncio.sleep(0.01)

    asyncio.run(scenario())


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def test_typing_does_not_grow_the_servers_memory(session: Session, tmp_path: Path) -> None:
    """Each keystroke left about 1.8 KB behind (pygls' futures of the edit notifications)."""
    if not os.path.exists(f"/proc/{session.proc.pid}/status"):
        pytest.skip("needs /proc to read the server's memory")
    uri = (tmp_path / "typed.xml").as_uri()
    session.open(uri, "<Response>\n<Speak>a</Speak>\n</Response>\n")
    session.published(uri, 1)

    def type_letters(first: int, count: int) -> int:
        version = first
        for k in range(count):
            version += 1
            at = {"line": 1, "character": 8}
            session.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": at, "end": at}, "text": "b"}],
                },
            )
            if k % 250 == 0:
                session.published(uri, version)
                session.forget_seen()
        session.published(uri, version)
        session.forget_seen()
        return version

    version = type_letters(1, 1000)  # what is made once (caches, the allocator's pools)
    before = rss_mb(session.proc.pid)
    type_letters(version, 6000)
    grown = rss_mb(session.proc.pid) - before
    assert grown < 4.0, f"{grown:.1f} MB more after 6,000 edits"  # it was about 11 MB


# -- the outline of any document is answered -------------------------------------------------


def outline_depth(symbols: list[Message]) -> int:
    depth = 0
    while symbols:
        depth += 1
        symbols = symbols[0].get("children", [])
    return depth


def count(symbols: list[Message]) -> int:
    return sum(1 + count(s.get("children", [])) for s in symbols)


@pytest.mark.parametrize(
    ("levels", "closed_tags"),
    [(200, True), (MAX_OUTLINE_DEPTH, True), (5000, True), (100_000, False)],
    ids=["200", "limit", "5000", "100000-unclosed"],
)
def test_the_outline_of_a_deeply_nested_document_is_answered(
    session: Session, tmp_path: Path, levels: int, closed_tags: bool
) -> None:
    """pygls converted the nested outline recursively: from about 200 levels it failed
    (RecursionError) and sent nothing. It nests as deep as a well-formed document can, and
    lists the elements of a deeper (broken) one below that level flat, in document order."""
    loops = levels - 2  # inside the Response, around the Speak
    text = (
        "<Response>\n"
        + '<ForEach Source="a">\n' * loops
        + "<Speak>x</Speak>"
        + ("</ForEach>" * loops + "\n</Response>\n" if closed_tags else "")
    )
    uri = (tmp_path / f"deep{levels}.xml").as_uri()
    session.open(uri, text)
    session.published(uri, 1, timeout=120)
    answer = session.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}}, 120)
    symbols = answer["result"]
    assert count(symbols) == levels
    assert outline_depth(symbols) == min(levels, MAX_OUTLINE_DEPTH + 1)


# -- settings cleared in the editor mean the defaults ------------------------------------------

HOLD = "<Response><Hold/></Response>"  # Hold is a 3pcc command: OZ601 in an extension script


def relinted(session: Session, uri: str, version: int, expected: list[str]) -> None:
    """Edit the document (the same text, a new version) and wait until its diagnostics are
    `expected`: after a change of settings, the lint with the new ones comes eventually."""
    session.send(replaced(uri, HOLD, version))
    end = time.monotonic() + 30
    found: list[str] | None = None
    while time.monotonic() < end:
        found = codes(session.published(uri, version, timeout=end - time.monotonic()))
        if found == expected:
            return
    raise AssertionError(f"diagnostics {found}, not {expected}")


def pulling(tmp_path: Path, answer: dict[str, Any], options: Any = None) -> Session:
    """A session with an editor that answers workspace/configuration with answer["section"]."""

    def configuration(message: Message) -> Any:
        if message.get("method") == "workspace/configuration":
            return [answer["section"]]
        return None

    return Session(
        tmp_path,
        capabilities={"workspace": {"configuration": True}},
        options=options,
        responder=configuration,
    )


def test_settings_cleared_in_the_editor_mean_the_defaults(tmp_path: Path) -> None:
    assert checked(HOLD) == []  # the default context takes any command
    answer: dict[str, Any] = {"section": {"context": "extension"}}
    session = pulling(tmp_path, answer)
    try:
        uri = (tmp_path / "cleared.xml").as_uri()
        session.open(uri, HOLD)
        version = 1
        relinted(session, uri, version := version + 1, ["OZ601"])
        for cleared in ({}, None, {"context": None}, {"context": ""}):
            answer["section"] = cleared
            session.notify("workspace/didChangeConfiguration", {"settings": None})
            relinted(session, uri, version := version + 1, [])
            answer["section"] = {"context": "extension"}
            session.notify("workspace/didChangeConfiguration", {"settings": None})
            relinted(session, uri, version := version + 1, ["OZ601"])
    finally:
        session.stop()


def test_an_empty_workspace_section_means_the_start_up_options(tmp_path: Path) -> None:
    """The workspace's options win over initializationOptions one by one: one it leaves out
    keeps the start-up value; one it gives empty means the default."""
    answer: dict[str, Any] = {"section": {"context": "any"}}
    session = pulling(tmp_path, answer, options={"context": "extension"})
    try:
        uri = (tmp_path / "started.xml").as_uri()
        session.open(uri, HOLD)
        version = 1
        relinted(session, uri, version := version + 1, [])  # the workspace's "any"
        for section, expected in (({}, ["OZ601"]), ({"context": ""}, []), (None, ["OZ601"])):
            answer["section"] = section
            session.notify("workspace/didChangeConfiguration", {"settings": None})
            relinted(session, uri, version := version + 1, expected)
    finally:
        session.stop()


def test_settings_cleared_by_a_client_that_pushes_them_mean_the_defaults(
    session: Session, tmp_path: Path
) -> None:
    uri = (tmp_path / "pushed.xml").as_uri()
    session.open(uri, HOLD)
    version = 1
    for cleared in ({"ozml": {}}, {"ozml": None}, {}, None):
        push = {"settings": {"ozml": {"context": "extension"}}}
        session.notify("workspace/didChangeConfiguration", push)
        relinted(session, uri, version := version + 1, ["OZ601"])
        session.notify("workspace/didChangeConfiguration", {"settings": cleared})
        relinted(session, uri, version := version + 1, [])


# -- every request is answered ---------------------------------------------------------------


def test_a_request_after_shutdown_is_an_invalid_request(session: Session) -> None:
    assert session.request("shutdown", None)["result"] is None
    where = {"textDocument": {"uri": "file:///x.xml"}, "position": {"line": 0, "character": 0}}
    for method, params in (("textDocument/hover", where), ("shutdown", None)):
        answer = session.request(method, params, 10)
        assert answer["error"]["code"] == -32600, answer
    session.notify("exit", None)
    assert session.proc.wait(10) == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", ', -32700),
        (b"\xff\xfe\xff", -32700),
        (b"[" * 100_000, -32700),
        (b"[1, 2]", -32600),
        (b"42", -32600),
        (b'{"id": 7, "method": "textDocument/hover"}', -32600),
        (b'{"jsonrpc": "1.0", "id": 8, "method": "shutdown"}', -32600),
    ],
    ids=["cut", "not-utf8", "too-deep", "array", "number", "no-jsonrpc", "version-1"],
)
def test_a_body_that_is_not_a_json_rpc_message_is_answered(
    session: Session, body: bytes, code: int
) -> None:
    """JSON-RPC's ParseError or InvalidRequest, to the message's identifier when it can be
    read, else to null; and the server goes on."""
    session.send_raw(body)
    answer = session.wait(lambda m: "error" in m, 10, "an error")
    assert answer["error"]["code"] == code
    readable = json.loads(body) if code == -32600 else None
    ident = readable.get("id") if isinstance(readable, dict) else None
    assert "id" in answer
    assert answer["id"] == ident
    assert session.request("shutdown", None)["result"] is None


def test_an_answer_that_is_not_json_rpc_is_not_answered(session: Session) -> None:
    session.send_raw(b'{"id": 9, "result": null}')
    assert session.request("shutdown", None)["result"] is None
    assert not [m for m in session.seen if "error" in m]
