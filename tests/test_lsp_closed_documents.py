"""What the language server keeps of a document once the editor closes it: nothing.

The server runs over stdio with pytest-lsp's client, as an editor drives it, with one request
more for the test (`HELD`): what the process holds, counted by type among the objects the
cyclic garbage collector tracks. The collector is off in that server, so an object that only a
reference cycle keeps is counted too: such garbage waits for a collection that, with the
server's rare collections (`ozml.gcpause.collect_less_often`), may not come for a long while,
and meanwhile keeps its memory (a scan of a 2 MB document is about a million objects).
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_lsp
from lsp_support import diagnostics_for, open_doc
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

#: The test's request: what the server holds now.
HELD = "ozmlTest/held"

#: The per-document state of ``ozml.lsp`` and what it is made of, by type name.
PER_DOCUMENT = (
    "OpenDocument",
    "Analysis",
    "LineIndex",
    "Scan",
    "ScannedElement",
    "Token",
    "ScannedAttribute",
    "Reading",
    "Variables",
    "Definition",
    "Reference",
    "ParseResult",
    "Memo",
)

#: ``ozml lsp`` as `ozml.lsp.server.serve` runs it, with the collector off and `HELD` answered.
SERVER = f"""
import collections, gc, json, sys
import ozml.lsp.server as server_module
from ozml.lsp import scan as scan_module

build = server_module.build
NAMES = {PER_DOCUMENT!r}

def probed(**options):
    server = build(**options)

    @server.feature({HELD!r})
    def held(ls, params):
        counts = collections.Counter(type(o).__name__ for o in gc.get_objects())
        return json.dumps({{
            "documents": len(ls.documents.all()),
            "variables": len(ls._variables),
            "readings": [scan_module._last is not None, scan_module._near is not None],
            "objects": {{name: counts[name] for name in NAMES if counts[name]}},
        }})

    return server

server_module.build = probed
gc.disable()
sys.exit(server_module.serve())
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-c", SERVER]))  # type: ignore[untyped-decorator]
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)  # type: ignore[untyped-decorator]
    def register(params: types.RegistrationParams) -> None:
        return None

    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


BLOCK = """\
  <Var Id="greeting{i}">Hello {{{{ caller.name }}}} {i}</Var>
  <Speak Language="en-US">$greeting{i}, press 1 for sales.</Speak>
  <% if open{i} %>
  <UserInput Timeout="<?= $timeout ?>" Repeat="True" Digits="1">
    <Inputs>
      <Input Key="1">
        <Speak>Connecting you to {{{{ sales.name }}}}.</Speak>
        <BlindTransfer>10{i}</BlindTransfer>
      </Input>
    </Inputs>
  </UserInput>
  <% end %>
"""

#: A document of template parts, variables and findings, for every feature to read.
TEXT = "<Response>\n" + "".join(BLOCK.format(i=i) for i in range(40)) + "</Response>\n"


async def held(client: LanguageClient) -> dict[str, Any]:
    # The answer is JSON text: pygls reads an answer of no known type into no dict.
    found = await client.protocol.send_request_async(HELD, None)  # type: ignore[no-untyped-call]
    held: dict[str, Any] = json.loads(found)
    return held


async def use_every_feature(client: LanguageClient, uri: str) -> None:
    """Open `uri`, edit it, ask every question about it, close it (its diagnostics cleared)."""
    await open_doc(client, uri, TEXT)
    lines = TEXT.splitlines()
    line = next(n for n, text in enumerate(lines) if "press 1" in text and n > len(lines) // 2)
    column = lines[line].index("press")
    where = types.TextDocumentIdentifier(uri=uri)
    for version in (2, 3, 4):
        typed = version % 2 == 0
        start = types.Position(line, column)
        end = start if typed else types.Position(line, column + 1)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start, end), text="7" if typed else ""
                    )
                ],
            )
        )
        await diagnostics_for(client, uri, version)
        at = types.Position(line, column)
        use = types.Position(line, lines[line].index("$greeting") + 2)
        await client.text_document_completion_async(
            types.CompletionParams(text_document=where, position=at)
        )
        await client.text_document_hover_async(types.HoverParams(text_document=where, position=use))
        await client.text_document_definition_async(
            types.DefinitionParams(text_document=where, position=use)
        )
        await client.text_document_references_async(
            types.ReferenceParams(
                context=types.ReferenceContext(include_declaration=True),
                text_document=where,
                position=use,
            )
        )
        await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=where)
        )
        await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=where,
                range=types.Range(types.Position(0, 0), at),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        await client.text_document_formatting_async(
            types.DocumentFormattingParams(
                text_document=where,
                options=types.FormattingOptions(tab_size=2, insert_spaces=True),
            )
        )
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=where))
    await diagnostics_for(client, uri, None)  # type: ignore[arg-type]  # the close's: no version


async def test_a_closed_document_leaves_nothing_behind(
    client: LanguageClient, tmp_path: Path
) -> None:
    """The tolerant scan's elements pointed at their parents as their parents at them: every
    scan (made for completion, hover, the outline, the variables) was a reference cycle, kept
    after its document was closed, and after each edit, until the collector ran; the scanner
    also kept the last texts it read, the closed document's among them."""
    for k in range(2):
        await use_every_feature(client, (tmp_path / f"script{k}.xml").as_uri())
        assert await held(client) == {
            "documents": 0,
            "variables": 0,
            "readings": [False, False],
            "objects": {},
        }
