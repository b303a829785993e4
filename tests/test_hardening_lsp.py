"""The language server against whatever an editor (or a broken client) may send.

Over stdio, as editors run it: every request is answered, also when its position is negative,
too large or not a number (JSON-RPC's InvalidParams), an edit that cannot be read drops the
document instead of leaving its text out of step, and ``exit`` ends the server with status 0.
With pytest-lsp: the server and ``ozml check`` report the same findings (a ``<UserInput>`` root
once gave a false OZ803), and a document that is not XML is never offered a ``noqa`` comment.
In this process, with hypothesis: after any sequence of edits the server's diagnostics are
``ozml.check``'s on the final text, and its handlers, fed arbitrary text and arbitrary raw
positions, always answer with well-formed results and never fail.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsp_support import Harness, Session, client_fixture, diagnostics_for, open_doc
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities

import ozml
from ozml.diagnostics import UNCHECKED_DOCUMENT
from ozml.lsp.convert import LineIndex

URI = "file:///nowhere/ozml-hardening/script.xml"
DOC = "<Response>\n  <Speak>hi</Speak>\n</Response>\n"

# --- a raw JSON-RPC client over stdio ----------------------------------------------------------


@pytest.fixture
def raw(tmp_path: Path) -> Iterator[Session]:
    client = Session(tmp_path)
    yield client
    client.kill()


def position(line: Any, character: Any) -> dict[str, Any]:
    return {"line": line, "character": character}


def span(start: dict[str, Any], end: dict[str, Any]) -> dict[str, Any]:
    return {"start": start, "end": end}


def params_for(method: str, where: dict[str, Any]) -> dict[str, Any]:
    doc = {"uri": URI}
    if method == "textDocument/references":
        return {"textDocument": doc, "position": where, "context": {"includeDeclaration": True}}
    if method == "textDocument/codeAction":
        return {"textDocument": doc, "range": span(where, where), "context": {"diagnostics": []}}
    return {"textDocument": doc, "position": where}


REQUESTS = [
    "textDocument/hover",
    "textDocument/completion",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/codeAction",
]
UNREADABLE = [
    position(-1, 0),
    position(0, -5),
    position(2**31, 0),
    position(0, 2**40),
    position("a", 0),
    position(None, 1.5),
    {"line": 0},
]


def test_every_request_with_an_unreadable_position_is_answered(
    raw: Session, tmp_path: Path
) -> None:
    raw.open_linted(URI, DOC)
    for method in REQUESTS:
        for where in UNREADABLE:
            answer = raw.request(method, params_for(method, where))
            assert answer["error"]["code"] == -32602, (method, where, answer)
            assert method in answer["error"]["message"]
        # Past the end of a line or of the document is a valid position: the end.
        for where in (position(1, 999), position(999, 0), position(2**31 - 1, 2**31 - 1)):
            answer = raw.request(method, params_for(method, where))
            assert "result" in answer, (method, where, answer)
    hover = raw.request("textDocument/hover", params_for("textDocument/hover", position(1, 4)))
    assert "Speak" in hover["result"]["contents"]["value"]
    assert raw.stop() == 0
    log = (tmp_path / "stderr.txt").read_bytes().decode("utf-8", "replace")
    assert "Traceback" not in log
    assert "internal error" not in log


def test_a_number_python_cannot_read_is_a_number_out_of_range(
    raw: Session, tmp_path: Path
) -> None:
    # json.loads refuses an integer of more than 4,300 digits: the message was dropped with a
    # traceback in the log, and its request never answered.
    many = "9" * 5000
    text = f'<Response>\n  <Play Repeat="{many}">a.wav</Play>\n</Response>\n'
    opened = raw.open_linted(URI, text)
    assert [d["code"] for d in opened] == ["OZ202"]  # the digits in the text reached the lint
    body = (
        '{"jsonrpc": "2.0", "id": 77, "method": "textDocument/hover", "params":'
        f' {{"textDocument": {{"uri": "{URI}"}}, "position": {{"line": {many}, "character": 0}}}}}}'
    )
    raw.send_raw(body.encode())
    answer = raw.wait(lambda m: m.get("id") == 77)
    assert answer["error"]["code"] == -32602
    hover = raw.request("textDocument/hover", params_for("textDocument/hover", position(1, 4)))
    assert "Play" in hover["result"]["contents"]["value"]
    assert raw.stop() == 0
    log = (tmp_path / "stderr.txt").read_bytes().decode("utf-8", "replace")
    assert "Traceback" not in log


def test_a_request_with_a_broken_identifier_or_no_parameters_is_answered(raw: Session) -> None:
    raw.open_linted(URI, DOC)
    raw.send({"jsonrpc": "2.0", "id": {"x": 1}, "method": "textDocument/hover", "params": 5})
    answer = raw.wait(lambda m: "error" in m and m.get("id") is None)
    assert answer["error"]["code"] == -32602
    for method in (*REQUESTS, "textDocument/formatting", "textDocument/documentSymbol"):
        answer = raw.request(method, None)
        assert answer["error"]["code"] == -32602, (method, answer)


def test_requests_about_unknown_documents_get_the_empty_answer(raw: Session) -> None:
    for uri in ("file:///not/open.xml", "untitled:Untitled-1", "", "%%%"):
        for method in REQUESTS:
            where = position(0, 0)
            found = params_for(method, where)
            found["textDocument"]["uri"] = uri
            answer = raw.request(method, found)
            assert answer.get("result") in (None, []), (uri, method, answer)
        for method in ("textDocument/formatting", "textDocument/documentSymbol"):
            options = {"tabSize": 2, "insertSpaces": True}
            answer = raw.request(method, {"textDocument": {"uri": uri}, "options": options})
            assert answer.get("result") in (None, []), (uri, method, answer)


def test_an_edit_of_an_unknown_document_is_ignored_quietly(raw: Session) -> None:
    raw.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": "file:///never/opened.xml", "version": 2},
            "contentChanges": [{"text": "<Response/>"}],
        },
    )
    raw.notify("textDocument/didClose", {"textDocument": {"uri": "file:///never/opened.xml"}})
    raw.open_linted(URI, DOC)
    assert not [m for m in raw.seen if m.get("method") == "window/showMessage"]


def test_a_range_whose_start_is_after_its_end_means_the_text_between(raw: Session) -> None:
    assert raw.open_linted(URI, DOC) == []
    # Delete "hi", the range written end first: Speak is left without its text.
    change = {"range": span(position(1, 11), position(1, 9)), "text": ""}
    raw.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [change]},
    )
    assert [d["code"] for d in raw.published(URI, 2)] == ["OZ201"]
    actions = raw.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": URI},
            "range": span(position(1, 20), position(1, 2)),
            "context": {"diagnostics": []},
        },
    )
    assert any("OZ201" in action["title"] for action in actions["result"])


def test_an_unreadable_edit_drops_the_document_and_says_so(raw: Session) -> None:
    raw.open_linted(URI, DOC)
    change = {"range": span(position(-1, 0), position(0, 1)), "text": "x"}
    raw.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [change]},
    )
    shown = raw.wait(lambda m: m.get("method") == "window/showMessage")
    assert URI in shown["params"]["message"]
    assert "reopen" in shown["params"]["message"]
    assert raw.unversioned(URI) == []
    answer = raw.request("textDocument/hover", params_for("textDocument/hover", position(1, 4)))
    assert answer["result"] is None
    raw.notify("textDocument/didClose", {"textDocument": {"uri": URI}})
    assert raw.open_linted(URI, DOC, version=3) == []


class Records(logging.Handler):
    """Keeps the log records of one logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_an_unreadable_answer_to_the_servers_own_request_ends_its_wait() -> None:
    # The server asks the editor for its settings (workspace/configuration) and waits up to
    # ten seconds; an answer it cannot read now ends that wait at once.
    records = Records()
    logger = logging.getLogger("ozml.lsp.server")
    logger.addHandler(records)
    logger.setLevel(logging.INFO)

    async def scenario() -> float:
        harness = Harness({"workspace": {"configuration": True}}, answer_requests=False)
        await harness.start()
        asked = await harness.wait(lambda m: m.get("method") == "workspace/configuration")
        began = time.monotonic()
        harness.feed({"jsonrpc": "2.0", "id": asked["id"], "result": 5})
        while not any("workspace/configuration failed" in r.getMessage() for r in records.records):
            await asyncio.sleep(0.01)
            assert time.monotonic() - began < 5, "the server still waits for an answer"
        took = time.monotonic() - began
        await harness.stop()
        return took

    try:
        assert asyncio.run(scenario()) < 5
    finally:
        logger.removeHandler(records)
        logger.setLevel(logging.NOTSET)


def test_an_unreadable_answer_after_shutdown_is_dropped() -> None:
    async def scenario() -> None:
        harness = Harness({"workspace": {"configuration": True}}, answer_requests=False)
        await harness.start()
        asked = await harness.wait(lambda m: m.get("method") == "workspace/configuration")
        await harness.stop()  # cancels the server's wait for the answer
        harness.feed({"jsonrpc": "2.0", "id": asked["id"], "result": 5})

    asyncio.run(scenario())


# --- the same findings as ozml check; no noqa for a broken document (pytest-lsp) --------------


client = client_fixture()


MENU_ROOT = """<UserInput Repeat="true">
  <InitialCommands><Speak>Press 1</Speak></InitialCommands>
  <Inputs>
    <Input Key="1"><Hangup/></Input>
  </Inputs>
</UserInput>
"""


@pytest.mark.asyncio
async def test_a_menu_as_root_gets_the_findings_of_ozml_check(
    client: LanguageClient, tmp_path: Path
) -> None:
    found = await open_doc(client, (tmp_path / "menu.xml").as_uri(), MENU_ROOT)
    expected = ozml.check(MENU_ROOT)
    assert "OZ803" not in [d.code for d in found]  # its Inputs are its exits
    assert [(d.code, d.message) for d in found] == [(d.code, d.message) for d in expected]


MENU_WITHOUT_EXIT = """<Response>
  <Speak>a</Speak>
  <UserInput Repeat="true">
    <InitialCommands><Speak>x</Speak></InitialCommands>
  </UserInput>
  <Hangup/>
</Response>
"""


def change_at(text: str, offset: int, inserted: str) -> types.TextDocumentContentChangePartial:
    where = LineIndex(text).position(offset)
    return types.TextDocumentContentChangePartial(types.Range(where, where), inserted)


@pytest.mark.asyncio
async def test_no_false_menu_without_exit_after_edits(
    client: LanguageClient, tmp_path: Path
) -> None:
    # Lines added inside the first command used to leave the memo of the last command with its
    # old line; the menu, edited next, then looked like a command above the edit and kept its
    # OZ803 from before the edit gave it an exit.
    uri = (tmp_path / "menu.xml").as_uri()
    text = MENU_WITHOUT_EXIT
    assert [d.code for d in await open_doc(client, uri, text)] == ["OZ803"]
    steps = [(text.index(">a<") + 1, "\n\n\n")]
    for version, (at, inserted) in enumerate(steps, 2):
        change = change_at(text, at, inserted)
        text = text[:at] + inserted + text[at:]
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]
            )
        )
        assert [d.code for d in await diagnostics_for(client, uri, version)] == ["OZ803"]
    at = text.index("</InitialCommands>") + len("</InitialCommands>")
    inputs = '\n    <Inputs><Input Key="1"><Hangup/></Input></Inputs>'
    change = change_at(text, at, inputs)
    text = text[:at] + inputs + text[at:]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=3), [change]
        )
    )
    found = await diagnostics_for(client, uri, 3)
    assert [d.code for d in found] == [d.code for d in ozml.check(text)] == []


def test_a_command_kept_below_an_edit_keeps_its_new_line() -> None:
    from ozml.lint import LintSettings
    from ozml.lint.linter import active_rules
    from ozml.lsp.incremental import lint
    from ozml.parser import parse

    lint_settings = LintSettings()
    rules = active_rules(lint_settings)
    text = MENU_WITHOUT_EXIT
    _, memo = lint(parse(text), lint_settings, rules, None)
    at = text.index(">a<") + 1
    text = text[:at] + "\n\n\n" + text[at:]
    _, memo = lint(parse(text), lint_settings, rules, memo)
    assert memo is not None
    kids = [kid for kid in parse(text).document.root.children if isinstance(kid, ozml.Element)]
    assert [(c.tag, c.line) for c in memo.children] == [(k.tag, k.line) for k in kids]


HALF_TYPED = "<Response>\n  <Speak>Hello</Speak>\n  <ForwardCall Dest\n</Response>\n"


@pytest.mark.asyncio
async def test_no_noqa_comment_is_offered_for_a_document_that_is_not_xml(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = (tmp_path / "half.xml").as_uri()
    found = await open_doc(client, uri, HALF_TYPED)
    assert {d.code for d in found} == {"OZ001"}
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(types.Position(0, 0), types.Position(4, 0)),
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    titles = [action.title for action in actions or [] if isinstance(action, types.CodeAction)]
    assert not [title for title in titles if "noqa" in title or "Suppress" in title], titles


# --- in this process: the server fed raw JSON-RPC messages, as its reader feeds them ------------


def utf16_position(text: str, offset: int) -> dict[str, int]:
    """An LSP position counted independently of `ozml.lsp.convert` (UTF-16 code units)."""
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n")
    last = before.rsplit("\n", 1)[-1]
    return position(line, len(last.encode("utf-16-le", "surrogatepass")) // 2)


def lsp_form(text: str, found: list[ozml.Diagnostic]) -> list[tuple[Any, ...]]:
    index = LineIndex(text)
    out = []
    for diagnostic in found:
        rng = index.span_range(diagnostic.span)
        out.append(
            (
                diagnostic.code,
                diagnostic.message,
                {"error": 1, "warning": 2, "info": 3}[diagnostic.severity.label],
                (rng.start.line, rng.start.character, rng.end.line, rng.end.character),
            )
        )
    return out


def published_form(found: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    out = []
    for d in found:
        start, end = d["range"]["start"], d["range"]["end"]
        rng = (start["line"], start["character"], end["line"], end["character"])
        out.append((d["code"], d["message"], d["severity"], rng))
    return out


BASES = [
    """<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Var Id="who">caller</Var>
  <Play Repeat="True">welcome.wav</Play>
  <UserInput Timeout="10" Repeat="true">
    <InitialCommands>
      <Speak>Hello $who, press 1 or 2.</Speak>
    </InitialCommands>
    <Inputs>
      <Input Key="1"><Forward Destination="102"/></Input>
      <Input Key="2"><GoTo>menu.php</GoTo></Input>
    </Inputs>
  </UserInput>
  <Speak Language="en-US">Bye $nobody</Speak> <!-- ozml: noqa OZ701 -->
  <Hangup/>
</Response>
""",
    MENU_ROOT,
    MENU_WITHOUT_EXIT,
    "<Response>\n  <Speak>Hello</Speak>\n</Response>\n",
    "<Response>\r\n  <UserInput>\r\n    <Inputs/>\r\n  </UserInput>\r\n</Response>\r\n",
    "<!-- ozml: context=3pcc -->\n<Response>\n  <Speak>h\u00e9 \U0001f600</Speak>\n</Response>\n",
    HALF_TYPED,
    "",
]

#: What an edit inserts: markup, names, menus, directives, line breaks, astral characters.
PIECES = [
    "\n",
    " ",
    "x",
    "<",
    ">",
    "/",
    '"',
    "<Hangup/>",
    "<Speak>hi</Speak>",
    "<UserInput>",
    "</UserInput>",
    "<Inputs>",
    '<Input Key="1"><Hangup/></Input>',
    "<UserInput><InitialCommands><Speak>a</Speak></InitialCommands></UserInput>",
    "</Inputs>",
    "\n\n\n",
    '\n    <Inputs><Input Key="1"><Hangup/></Input></Inputs>',
    "<Response>",
    "</Response>",
    "<!-- ozml: noqa -->",
    "<!-- ozml: context=routing -->",
    '<Var Id="v">$v</Var>',
    "\U0001f600",
    "\r",
]

#: Pieces that keep a document well-formed when inserted right after a ">".
WHOLE = [
    "\n",
    "\n\n\n",
    "<Hangup/>",
    "\n  <Speak>hi</Speak>",
    '<Var Id="who">x</Var>',
    '\n  <Play Repeat="True">a.wav</Play>\n',
    "<Bogus/>",
    "<!-- ozml: noqa OZ303 -->",
    "<UserInput><InitialCommands><Speak>a</Speak></InitialCommands></UserInput>",
    '\n    <Inputs><Input Key="1"><Hangup/></Input></Inputs>',
]

#: An edit: anywhere, replacing up to 12 characters with anything; or (length None) a
#: well-formed piece inserted after the nearest ">", as a document stays XML while it grows.
ANY_EDIT = st.tuples(
    st.floats(0, 1), st.integers(0, 12), st.sampled_from(PIECES) | st.text(max_size=6)
)
WHOLE_EDIT = st.tuples(st.floats(0, 1), st.none(), st.sampled_from(WHOLE))
EDITS = st.lists(
    st.integers(0, 2).flatmap(lambda n: ANY_EDIT if n == 0 else WHOLE_EDIT),
    min_size=1,
    max_size=12,
)

#: The example scripts: many commands, some with findings, as edits meet them in an editor.
EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.xml"))


def apply_edit(
    text: str, where: float, length: int | None, inserted: str
) -> tuple[str, dict[str, Any]]:
    """Replace `length` characters at a place in `text` (None: insert after the nearest ">");
    the change as an editor sends it."""
    start = int(where * len(text))
    if length is None:
        ends = [i + 1 for i, char in enumerate(text) if char == ">"] or [0]
        start = min(ends, key=lambda end: abs(end - start))
        length = 0
    end = min(start + length, len(text))
    # An edit never starts or ends between "\r" and "\n" (no position can name that place).
    if 0 < start < len(text) and text[start - 1 : start + 1] == "\r\n":
        start += 1
    end = max(end, start)
    if 0 < end < len(text) and text[end - 1 : end + 1] == "\r\n":
        end += 1
    change = {
        "range": span(utf16_position(text, start), utf16_position(text, end)),
        "text": inserted,
    }
    return text[:start] + inserted + text[end:], change


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(BASES) | st.sampled_from(EXAMPLES).map(lambda p: p.read_text("utf-8")),
    edits=EDITS,
    batch=st.booleans(),
)
def test_the_language_server_finds_what_ozml_check_finds(
    base: str, edits: list[tuple[float, int | None, str]], batch: bool
) -> None:
    async def scenario() -> None:
        harness = Harness()
        await harness.start()
        uri = "untitled:script.xml"
        harness.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": base}},
        )
        found = await harness.diagnostics(uri, 1)
        text, version, changes = base, 1, []
        for number, (where, length, inserted) in enumerate(edits, 1):
            text, change = apply_edit(text, where, length, inserted)
            changes.append(change)
            if batch and number < len(edits):
                continue  # sent together with the next, in one didChange
            version += 1
            harness.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes},
            )
            changes = []
            found = await harness.diagnostics(uri, version)
        doc = harness.server.documents.get(uri)
        assert doc is not None
        assert doc.text == text
        assert published_form(found) == lsp_form(text, ozml.check(text))
        await harness.stop()

    asyncio.run(scenario())


# --- the fuzz target: arbitrary text and raw positions into every handler ----------------------

#: Any character, lone surrogates and controls included, and the shapes of half-typed markup.
TEXT = st.text(
    st.characters(codec=None, categories=None, exclude_categories=()), max_size=40
) | st.lists(
    st.sampled_from(
        [
            *PIECES,
            "<Speak",
            " Text=",
            '"$',
            "$",
            "&",
            "&#",
            "<!--",
            "<![CDATA[",
            "<?",
            "\x00",
            "\udcff",
            "\ud800",
            "\u202e",
            "\x1b[2J",
            "\t",
            "\r\n",
            "é",
            "\U0001f600",
            "ForwardCall",
        ]
    ),
    max_size=30,
).map("".join)

#: Raw JSON for a number in a position: mostly sensible, sometimes anything.
NUMBER = st.one_of(
    st.integers(0, 40),
    st.integers(-(2**33), 2**33),
    st.sampled_from([2**31 - 1, 2**31, -1, 1.5, "3", None, True, [], {}]),
)
POSITION = st.builds(position, NUMBER, NUMBER) | st.builds(
    position, st.integers(0, 4), st.integers(0, 40)
)

#: What Visual Studio Code says it can do, as JSON.
EDITOR = default_converter().unstructure(client_capabilities("visual-studio-code"))

RESULT_TYPES = {method: types.METHOD_TO_TYPES[method][1] for method in REQUESTS}
RESULT_TYPES["textDocument/formatting"] = types.METHOD_TO_TYPES["textDocument/formatting"][1]
RESULT_TYPES["textDocument/documentSymbol"] = types.METHOD_TO_TYPES["textDocument/documentSymbol"][
    1
]


def positions_in(value: Any) -> Iterator[tuple[int, int]]:
    """Every (line, character) pair in a JSON result."""
    if isinstance(value, dict):
        if set(value) == {"line", "character"}:
            yield value["line"], value["character"]
        for item in value.values():
            yield from positions_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from positions_in(item)


def ranges_in(value: Any) -> Iterator[tuple[dict[str, int], dict[str, int]]]:
    if isinstance(value, dict):
        if set(value) >= {"start", "end"} and isinstance(value["start"], dict):
            yield value["start"], value["end"]
        for item in value.values():
            yield from ranges_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from ranges_in(item)


class Failures(logging.Handler):
    """Records ozml's own failures (a handler or a lint that failed)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def within(text: str, line: int, character: int) -> bool:
    """Whether a position names a place in `text` (line breaks as in LSP)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not 0 <= line < len(lines):
        return False
    return 0 <= character <= len(lines[line].encode("utf-16-le", "surrogatepass")) // 2


#: OzML documents with a few pieces spliced in: mostly meaningful, often half-typed.
MUTATED = st.builds(
    lambda base, cuts: functools.reduce(
        lambda text, cut: (
            text[: int(cut[0] * len(text))] + cut[1] + text[int(cut[0] * len(text)) :]
        ),
        cuts,
        base,
    ),
    st.sampled_from([b for b in BASES if b]),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(PIECES) | TEXT), max_size=3),
)

#: Where a request asks: a raw position, or a place in the current text (a fraction of it).
WHERE = st.floats(0, 1) | st.floats(0, 1) | POSITION
#: Where an edit goes: mostly a place in the text, as an unreadable edit drops the document.
EDIT_AT = st.integers(0, 9).flatmap(lambda n: POSITION if n == 0 else st.floats(0, 1))


def place(where: dict[str, Any] | float, text: str) -> dict[str, Any]:
    if isinstance(where, dict):
        return where
    offset = int(where * len(text))
    if 0 < offset < len(text) and text[offset - 1 : offset + 1] == "\r\n":
        offset += 1
    return utf16_position(text, offset)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.integers(0, 3).flatmap(lambda n: TEXT if n == 0 else MUTATED),
    edits=st.lists(st.tuples(EDIT_AT, EDIT_AT, st.sampled_from(PIECES) | TEXT), max_size=3),
    asks=st.lists(st.tuples(st.sampled_from(sorted(RESULT_TYPES)), WHERE, WHERE), max_size=6),
    options=st.sampled_from([None, {"context": "3pcc"}, {"ruleDocsUrl": "{code}{0}"}, {"x": 1}]),
)
def test_handlers_answer_anything_with_well_formed_results(
    text: str,
    edits: list[tuple[dict[str, Any] | float, dict[str, Any] | float, str]],
    asks: list[tuple[str, dict[str, Any] | float, dict[str, Any] | float]],
    options: Any,
) -> None:
    failures = Failures()
    logging.getLogger("ozml").addHandler(failures)
    logging.getLogger("pygls").addHandler(failures)

    async def scenario() -> None:
        harness = Harness(EDITOR)
        await harness.start(options)
        uri = "file:///nowhere/fuzz.xml"
        harness.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}},
        )
        version = 1
        for start, end, inserted in edits:
            version += 1
            known = harness.server.documents.get(uri)
            now = known.text if known is not None else ""
            change = {"range": span(place(start, now), place(end, now)), "text": inserted}
            harness.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
        converter = harness.server.protocol._converter
        for method, at, other_at in asks:
            doc = {"uri": uri}
            known = harness.server.documents.get(uri)
            now = known.text if known is not None else ""
            where, other = place(at, now), place(other_at, now)
            if method == "textDocument/codeAction":
                params: dict[str, Any] = {
                    "textDocument": doc,
                    "range": span(where, other),
                    "context": {"diagnostics": [], "only": None},
                }
            elif method == "textDocument/references":
                params = {
                    "textDocument": doc,
                    "position": where,
                    "context": {"includeDeclaration": True},
                }
            elif method in ("textDocument/formatting", "textDocument/documentSymbol"):
                params = {"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": True}}
            else:
                params = {"textDocument": doc, "position": where}
            answer = await harness.request(method, params)
            if "error" in answer:
                assert answer["error"]["code"] == -32602, answer
                continue
            # Well-formed: it reads back as the method's result type, and every range in it
            # names places in the current text, start before end.
            converter.structure(answer, RESULT_TYPES[method])
            current = harness.server.documents.get(uri)
            if current is None:
                assert answer["result"] in (None, [])
                continue
            for line, character in positions_in(answer["result"]):
                assert within(current.text, line, character), (method, answer)
            for start, end in ranges_in(answer["result"]):
                assert (start["line"], start["character"]) <= (end["line"], end["character"])
        current = harness.server.documents.get(uri)
        if current is not None:
            final = await harness.server.scheduler.current(uri)
            assert final is not None
            for diagnostic in final.published:
                assert within(
                    current.text, diagnostic.range.start.line, diagnostic.range.start.character
                )
                assert within(
                    current.text, diagnostic.range.end.line, diagnostic.range.end.character
                )
        await harness.stop()

    try:
        asyncio.run(scenario())
    finally:
        logging.getLogger("ozml").removeHandler(failures)
        logging.getLogger("pygls").removeHandler(failures)
    assert not failures.records, [record.getMessage() for record in failures.records]


def test_the_noqa_action_is_never_offered_for_findings_that_cannot_be_hidden() -> None:
    assert {"OZ001", "OZ002", "OZ003"} == UNCHECKED_DOCUMENT
    text = "<Response>\n  <Speak\n</Response>\n"

    async def scenario() -> None:
        harness = Harness()
        await harness.start()
        harness.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": URI, "languageId": "xml", "version": 1, "text": text}},
        )
        found = await harness.diagnostics(URI, 1)
        assert {d["code"] for d in found} <= UNCHECKED_DOCUMENT
        answer = await harness.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": URI},
                "range": span(position(0, 0), position(3, 0)),
                "context": {"diagnostics": found},
            },
        )
        assert answer["result"] == []
        await harness.stop()

    asyncio.run(scenario())
