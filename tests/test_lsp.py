"""The language server end to end: a real LSP client talks to `ozml lsp` over stdio."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-m", "ozml", "lsp"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    registrations: list[types.Registration] = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


def uri_for(tmp_path: Path, name: str = "script.xml") -> str:
    return (tmp_path / name).as_uri()


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


async def diagnostics_for(
    client: LanguageClient, uri: str, version: int
) -> list[types.Diagnostic]:
    """Wait until the diagnostics of `version` arrive."""
    while True:
        params: types.PublishDiagnosticsParams = await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20
        )
        if params.uri == uri and params.version == version:
            return list(params.diagnostics)


def rng(line: int, char: int, end_line: int, end_char: int) -> types.Range:
    return types.Range(types.Position(line, char), types.Position(end_line, end_char))


BAD = """<Response>
  <ForwardCall/>
  <Speak Languag="en-US">Hello</Speak>
  <Play Repeat="True">a.wav</Play>
</Response>
"""


@pytest.mark.asyncio
async def test_diagnostics_have_exact_ranges_codes_and_severities(
    client: LanguageClient, tmp_path: Path
) -> None:
    found = await open_doc(client, uri_for(tmp_path), BAD)
    summary = [(d.code, d.range, d.severity, d.source) for d in found]
    assert summary == [
        ("OZ201", rng(1, 3, 1, 14), types.DiagnosticSeverity.Error, "ozml"),
        ("OZ103", rng(2, 9, 2, 16), types.DiagnosticSeverity.Error, "ozml"),
        ("OZ303", rng(3, 16, 3, 20), types.DiagnosticSeverity.Warning, "ozml"),
    ]
    assert found[0].message == "ForwardCall needs Destination"
    assert found[1].message == "Speak has no parameter Languag; did you mean Language?"


@pytest.mark.asyncio
async def test_diagnostics_link_to_the_rule_documentation(
    client: LanguageClient, tmp_path: Path
) -> None:
    found = await open_doc(client, uri_for(tmp_path), BAD)
    page = Path(__file__).resolve().parent.parent / "docs" / "rules" / "OZ201.md"
    if page.is_file():
        assert found[0].code_description is not None
        assert found[0].code_description.href == page.as_uri()
    else:
        assert found[0].code_description is None


@pytest.mark.asyncio
async def test_a_clean_document_gets_an_empty_list(client: LanguageClient, tmp_path: Path) -> None:
    good = '<Response><ForwardCall Destination="102"/></Response>'
    assert await open_doc(client, uri_for(tmp_path), good) == []


@pytest.mark.asyncio
async def test_ranges_count_utf16_units_after_astral_characters(
    client: LanguageClient, tmp_path: Path
) -> None:
    # "😀" is one character for ozml and two UTF-16 code units for the editor.
    text = '<Response><Speak Txt="😀">é😀</Speak><Play Repeat="Yes">😀.wav</Play></Response>'
    found = await open_doc(client, uri_for(tmp_path), text)
    by_code = {d.code: d.range for d in found}
    assert by_code["OZ103"] == rng(0, 17, 0, 20)  # Txt
    # <Play starts after: <Response>(10) <Speak Txt="😀">(10+12+1 unit) é😀(3 units) </Speak>(8)
    play = text.index("Repeat")
    units = play + text[:play].count("😀")
    value = units + len('Repeat="')
    assert by_code["OZ202"] == rng(0, value, 0, value + 3)


@pytest.mark.asyncio
async def test_edits_are_applied_incrementally(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path)
    await open_doc(client, uri, BAD)
    # Insert the missing Destination into <ForwardCall/> on line 2.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=rng(1, 14, 1, 14), text=' Destination="102"'
                )
            ],
        )
    )
    found = await diagnostics_for(client, uri, 2)
    assert [d.code for d in found] == ["OZ103", "OZ303"]


@pytest.mark.asyncio
async def test_a_burst_of_rapid_edits_ends_with_the_last_version(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = uri_for(tmp_path)
    lines = ["<Response>"] + ['  <Speak>line</Speak>'] * 2000 + ["</Response>", ""]
    await open_doc(client, uri, "\n".join(lines))
    # Type "Hangup" one letter at a time into a new element on line 2, then close it.
    version = 1
    typed = "<Hangup/>"
    for i, ch in enumerate(typed):
        version += 1
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=rng(1, 2 + i, 1, 2 + i), text=ch
                    )
                ],
            )
        )
    found = await diagnostics_for(client, uri, version)
    # Everything after <Hangup/> is unreachable: one finding at the first command after it.
    assert [(d.code, d.range.start.line) for d in found] == [("OZ402", 1)]
    assert found[0].message.startswith("Speak is never run: the script ends at Hangup on line 2")
    # The text the server holds is exactly what was typed: hover on the new element works.
    result = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(1, 4))
    )
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    assert result.contents.value.startswith("**Hangup** — command")


@pytest.mark.asyncio
async def test_broken_xml_is_reported_where_it_breaks(
    client: LanguageClient, tmp_path: Path
) -> None:
    found = await open_doc(client, uri_for(tmp_path), "<Response>\n  <Speak>hi</Speek>\n</Response>")
    assert [d.code for d in found] == ["OZ001"]
    assert found[0].range.start.line == 1


@pytest.mark.asyncio
async def test_closing_a_document_clears_its_diagnostics(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = uri_for(tmp_path)
    assert await open_doc(client, uri, BAD)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
    )
    params = await asyncio.wait_for(
        client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20
    )
    assert params.uri == uri
    assert list(params.diagnostics) == []
