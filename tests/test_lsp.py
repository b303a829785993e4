"""The language server end to end: a real LSP client talks to `ozml lsp` over stdio."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from lsp_support import client_fixture, diagnostics_for, open_doc
from lsprotocol import types
from pytest_lsp import LanguageClient

client = client_fixture()
#: A client whose workspace settings (pulled by the server) say: 3pcc scripts; it takes hovers
#: as plain text only.
configured = client_fixture(
    editor="emacs",
    hover_formats=[types.MarkupKind.PlainText],
    settings={"context": "3pcc"},
    options={"debounceMs": 5},
)


def uri_for(tmp_path: Path, name: str = "script.xml") -> str:
    return (tmp_path / name).as_uri()


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
    lines = ["<Response>"] + ["  <Speak>line</Speak>"] * 2000 + ["</Response>", ""]
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
                    types.TextDocumentContentChangePartial(range=rng(1, 2 + i, 1, 2 + i), text=ch)
                ],
            )
        )
    found = await diagnostics_for(client, uri, version)
    # Everything after <Hangup/> is unreachable: one finding at the first command after it.
    assert [(d.code, d.range.start.line) for d in found] == [("OZ402", 1)]
    assert found[0].message.startswith(
        "Speak never runs if the script ends at Hangup on line 2, as ozml assumes (D9)"
    )
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
    found = await open_doc(
        client, uri_for(tmp_path), "<Response>\n  <Speak>hi</Speek>\n</Response>"
    )
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


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply text edits the way an editor does (UTF-16 positions, later edits first)."""

    def offset(position: types.Position) -> int:
        lines = text.split("\n")
        before = sum(len(line) + 1 for line in lines[: position.line])
        units = lines[position.line].encode("utf-16-le")[: position.character * 2]
        return before + len(units.decode("utf-16-le"))

    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
    for edit in reversed(ordered):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def formatting_edits(client: LanguageClient, uri: str) -> list[types.TextEdit] | None:
    """The server's answer to textDocument/formatting of `uri`, with an editor's usual options
    (two spaces)."""
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(types.TextDocumentIdentifier(uri), options)
    )
    return None if edits is None else list(edits)


async def formatted_by(client: LanguageClient, uri: str, text: str) -> str:
    """`text` (the document's text) with the edits of the server's formatting applied."""
    edits = await formatting_edits(client, uri)
    assert edits is not None
    return apply_edits(text, edits)


def document_edits(
    edit: types.WorkspaceEdit | None, uri: str, version: int
) -> list[types.TextEdit]:
    assert edit is not None
    assert edit.document_changes is not None
    [change] = edit.document_changes
    assert isinstance(change, types.TextDocumentEdit)
    assert change.text_document.uri == uri
    assert change.text_document.version == version
    return [e for e in change.edits if isinstance(e, types.TextEdit)]


async def replace_text(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


@pytest.mark.asyncio
async def test_a_quick_fix_applied_clears_the_finding(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = uri_for(tmp_path)
    text = (
        '<Response>\n  <Forward Destination="102"/> <!-- 😀 -->\n'
        '  <Play Repeat="True">😀.wav</Play>\n</Response>\n'
    )
    found = await open_doc(client, uri, text)
    assert [d.code for d in found] == ["OZ301", "OZ303"]
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=found[1].range,
            context=types.CodeActionContext(diagnostics=[found[1]]),
        )
    )
    assert result is not None
    titles = [a.title for a in result if isinstance(a, types.CodeAction)]
    assert titles == [
        "Write 'true'",
        "Suppress OZ303 (non-canonical-case) with a noqa comment",
        "Fix all safely fixable ozml findings",
    ]
    fix = result[0]
    assert isinstance(fix, types.CodeAction)
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred
    fixed = apply_edits(text, document_edits(fix.edit, uri, 1))
    assert '<Play Repeat="true">' in fixed
    await replace_text(client, uri, fixed, 2)
    assert [d.code for d in await diagnostics_for(client, uri, 2)] == ["OZ301"]


@pytest.mark.asyncio
async def test_fix_all_and_suppression_actions(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path)
    text = (
        '<Response>\n  <Forward Destination="102"/>\n'
        '  <Play Repeat="True">a.wav</Play>\n</Response>\n'
    )
    found = await open_doc(client, uri, text)
    whole = types.Range(types.Position(0, 0), types.Position(4, 0))
    fix_all = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=whole,
            context=types.CodeActionContext(
                diagnostics=[], only=[types.CodeActionKind.SourceFixAll]
            ),
        )
    )
    assert fix_all is not None
    [action] = fix_all
    assert isinstance(action, types.CodeAction)
    assert action.kind == "source.fixAll.ozml"
    fixed = apply_edits(text, document_edits(action.edit, uri, 1))
    assert fixed == text.replace("Forward ", "ForwardCall ").replace("True", "true")

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=[found[0]]),
        )
    )
    assert actions is not None
    suppress = next(a for a in actions if isinstance(a, types.CodeAction) and "noqa" in a.title)
    suppressed = apply_edits(text, document_edits(suppress.edit, uri, 1))
    assert '<Forward Destination="102"/> <!-- ozml: noqa OZ301 -->\n' in suppressed
    await replace_text(client, uri, suppressed, 2)
    assert [d.code for d in await diagnostics_for(client, uri, 2)] == ["OZ303"]


def items_of(result: types.CompletionList | list[types.CompletionItem] | None) -> list[str]:
    assert result is not None
    items = result.items if isinstance(result, types.CompletionList) else result
    return [item.label for item in items]


async def completion_at(
    client: LanguageClient, uri: str, line: int, character: int
) -> types.CompletionList | list[types.CompletionItem] | None:
    return await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
    )


@pytest.mark.asyncio
async def test_completion_in_a_document_being_typed(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path)
    text = (
        "<Response>\n"
        '  <Var Id="who">world</Var>\n'
        "  <UserInput>\n"
        "    <\n"
        "  <Speak Language='en-US' \n"
        '  <Play Repeat="\n'
        "  <Speak>Hello $\n"
    )
    await open_doc(client, uri, text)
    assert items_of(await completion_at(client, uri, 3, 5)) == ["InitialCommands", "Inputs"]
    attrs = await completion_at(client, uri, 4, 26)
    assert items_of(attrs) == ["Text", "Party", "CallId", "Voice"]
    assert isinstance(attrs, types.CompletionList)
    first = attrs.items[0]
    assert first.insert_text_format == types.InsertTextFormat.Snippet
    assert isinstance(first.text_edit, types.TextEdit)
    assert first.text_edit.new_text == 'Text="$1"'
    assert first.detail == "string, mandatory"
    assert items_of(await completion_at(client, uri, 5, 16)) == ["true", "false"]
    variables = await completion_at(client, uri, 6, 16)
    assert items_of(variables) == ["$who"]
    assert isinstance(variables, types.CompletionList)
    edit = variables.items[0].text_edit
    assert isinstance(edit, types.TextEdit)
    assert edit.range == rng(6, 15, 6, 16)  # replaces the "$" typed


HOVER_DOC = """<Response>
  <Var Id="who">world</Var>
  <Speak Party="all">Hello $who</Speak>
  <Forward Destination="102"/>
</Response>
"""


async def hover_at(client: LanguageClient, uri: str, line: int, character: int) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
    )
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    return result.contents.value


@pytest.mark.asyncio
async def test_hover_shows_the_catalog_entry(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path)
    await open_doc(client, uri, HOVER_DOC)
    speak = await hover_at(client, uri, 2, 4)
    assert speak.splitlines()[:3] == [
        "**Speak** — command",
        "",
        "Reads text aloud into the call with text-to-speech.",
    ]
    assert (
        "- `Text` (mandatory) (or element text): The text to speak; may hold $variables." in speak
    )
    assert speak.endswith("source: [hu7644]")
    party = await hover_at(client, uri, 2, 9)
    assert party.splitlines()[0] == (
        "**Speak** · **Party** — party: caller | callee | all, mandatory in 3pcc scripts"
    )
    assert "source: [hu7644]" in party
    legacy = await hover_at(client, uri, 3, 4)
    assert legacy.splitlines()[:2] == [
        "**ForwardCall** — command",
        "`Forward` is a legacy name of `ForwardCall`.",
    ]
    variable = await hover_at(client, uri, 2, 29)
    assert variable == "**$who** — variable\n\nSet by Var.\n- line 2: `world`"


@pytest.mark.asyncio
async def test_definition_references_and_outline(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path)
    text = (
        "<Response>\n"
        '  <Var Id="who">world</Var>\n'
        "  <Speak>Hello $who</Speak>\n"
        '  <Speak Text="Bye $who.name"/>\n'
        "</Response>\n"
    )
    await open_doc(client, uri, text)
    definition = await client.text_document_definition_async(
        types.DefinitionParams(types.TextDocumentIdentifier(uri), types.Position(2, 17))
    )
    assert definition is not None
    assert list(definition) == [types.Location(uri, rng(1, 11, 1, 14))]
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            text_document=types.TextDocumentIdentifier(uri),
            position=types.Position(1, 12),
        )
    )
    assert refs is not None
    assert list(refs) == [
        types.Location(uri, rng(1, 11, 1, 14)),
        types.Location(uri, rng(2, 15, 2, 19)),
        types.Location(uri, rng(3, 19, 3, 23)),
    ]
    outline = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))
    )
    assert outline is not None
    [root] = outline
    assert isinstance(root, types.DocumentSymbol)
    assert [(s.name, s.detail) for s in root.children or []] == [
        ("Var", "Id=who"),
        ("Speak", "Hello $who"),
        ("Speak", "Bye $who.name"),
    ]


@pytest.mark.asyncio
async def test_formatting_through_the_formatter(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path)
    text = "<Response>\n<forward   Destination='102' />\n  <Speak>é😀</Speak>\n</Response>\n"
    await open_doc(client, uri, text)
    edits = await formatting_edits(client, uri)
    assert edits is not None
    formatted = apply_edits(text, edits)
    assert formatted == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<Response>\n"
        '  <ForwardCall Destination="102"/>\n'
        "  <Speak>é😀</Speak>\n"
        "</Response>\n"
    )
    # Only the lines that change are replaced: the Speak line is not touched.
    assert all(edit.range.start.line != 2 for edit in edits)
    await replace_text(client, uri, formatted, 2)
    assert await diagnostics_for(client, uri, 2) == []
    again = await formatting_edits(client, uri)
    assert again is not None
    assert again == []
    # A document that is not well-formed is left alone.
    await replace_text(client, uri, "<Response><Speak>", 3)
    await diagnostics_for(client, uri, 3)
    refused = await formatting_edits(client, uri)
    assert refused is None


@pytest.mark.asyncio
async def test_formatting_follows_the_files_format_settings(
    client: LanguageClient, tmp_path: Path
) -> None:
    """The [format] table of the document's configuration applies, as with ``ozml fmt``; the
    editor's tab size does not."""
    (tmp_path / "ozml.toml").write_text(
        '[format]\nindent-width = 4\nattribute-order = "sort"\n', encoding="utf-8"
    )
    uri = uri_for(tmp_path)
    text = '<Response>\n<Play Repeat="2" AudioURL="a.wav"/>\n</Response>\n'
    await open_doc(client, uri, text)
    formatted = await formatted_by(client, uri, text)
    expected = subprocess.run(
        [sys.executable, "-m", "ozml", "fmt", "-", "--stdin-filename", str(tmp_path / "a.xml")],
        input=text, capture_output=True, text=True, check=True,
    ).stdout
    assert formatted == expected
    assert '    <Play AudioURL="a.wav" Repeat="2"/>' in expected


@pytest.mark.asyncio
async def test_settings_pulled_from_the_editor_set_the_context(
    configured: LanguageClient, tmp_path: Path
) -> None:
    uri = uri_for(tmp_path)
    text = '<Response>\n  <Var Id="x">1</Var>\n  <Hold CallId="$x"/>\n</Response>\n'
    configured.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="xml", version=1, text=text)
        )
    )
    # The first lint may run before the settings arrive; wait for the 3pcc one. The client keeps
    # the last diagnostics of each document: waiting for the next notification instead would
    # miss the second of two published back to back.
    found: list[types.Diagnostic] = []
    for _ in range(2000):
        found = list(configured.diagnostics.get(uri, []))
        if found:
            break
        await asyncio.sleep(0.01)
    assert [(d.code, d.message) for d in found] == [
        (
            "OZ601",
            "Var is not valid in a 3pcc script (context from the editor);"
            " use it in extension scripts",
        )
    ]
    # Hover text is plain for a client that does not take Markdown.
    hover = await configured.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(1, 4))
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.PlainText


@pytest.mark.asyncio
async def test_settings_come_from_the_projects_configuration(
    client: LanguageClient, tmp_path: Path
) -> None:
    config = tmp_path / "ozml.toml"
    config.write_text('context = "3pcc"\nignore = ["unused-variable"]\n', encoding="utf-8")
    uri = uri_for(tmp_path)
    text = '<Response>\n  <Var Id="x">1</Var>\n</Response>\n'
    found = await open_doc(client, uri, text)
    assert [(d.code, d.message) for d in found] == [
        (
            "OZ601",
            f"Var is not valid in a 3pcc script (context from {config} context);"
            " use it in extension scripts",
        )
    ]
    # The file changes; the editor says so; the document is linted again with the new settings.
    config.write_text('context = "extension"\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    found = await diagnostics_for(client, uri, 1)
    assert [d.code for d in found] == ["OZ702"]


@pytest.mark.asyncio
async def test_a_file_the_configuration_excludes_is_neither_linted_nor_formatted(
    client: LanguageClient, tmp_path: Path
) -> None:
    """As ``ozml check`` and ``ozml fmt`` leave out an excluded file named on their command
    line: no diagnostics, no formatting, one note in the editor's log; the file's other
    features still work, and a change of the configuration lets it in again."""
    config = tmp_path / "ozml.toml"
    config.write_text('exclude = ["generated"]\n', encoding="utf-8")
    (tmp_path / "generated").mkdir()
    uri = uri_for(tmp_path, "generated/menu.xml")
    assert await open_doc(client, uri, BAD) == []
    for name in ("generated/menu.xml", "script.xml"):  # the command line agrees
        (tmp_path / name).write_text(BAD, encoding="utf-8")
    check = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "generated/menu.xml", "script.xml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert "generated/menu.xml" not in check.stdout
    assert "script.xml:2:4: OZ201" in check.stdout
    other = uri_for(tmp_path, "script.xml")
    assert [d.code for d in await open_doc(client, other, BAD)] == ["OZ201", "OZ103", "OZ303"]
    assert await formatting_edits(client, uri) is None
    for _ in range(100):  # the note is sent from the lint thread's side; it may trail
        if client.log_messages:
            break
        await asyncio.sleep(0.05)
    notes = [m for m in client.log_messages if "left out" in m.message]
    assert [(m.type, m.message) for m in notes] == [
        (
            types.MessageType.Info,
            f"ozml: {tmp_path / 'generated' / 'menu.xml'} is left out by the exclude of"
            f" {config}; not linted or formatted",
        )
    ]
    assert client.messages == []  # nothing is shown to the user as a message
    # Hover, completion and the outline still work.
    assert await hover_at(client, uri, 1, 4)
    offered = items_of(await completion_at(client, uri, 1, 3))
    assert "Speak" in offered
    assert offered == items_of(await completion_at(client, other, 1, 3))
    outline = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))
    )
    assert outline
    config.write_text("", encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    found = await diagnostics_for(client, uri, 1)
    assert [d.code for d in found] == ["OZ201", "OZ103", "OZ303"]
    assert await formatting_edits(client, uri)


@pytest.mark.asyncio
async def test_a_bad_configuration_is_reported_and_defaults_are_used(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "ozml.toml").write_text('context = "moon"\n', encoding="utf-8")
    found = await open_doc(client, uri_for(tmp_path), BAD)
    assert [d.code for d in found] == ["OZ201", "OZ103", "OZ303"]
    for _ in range(100):  # the message is sent from the lint thread's side; it may trail
        if client.messages:
            break
        await asyncio.sleep(0.05)
    [message] = client.messages
    assert message.type == types.MessageType.Warning
    assert message.message.startswith("ozml: ")
    assert "context" in message.message
    assert message.message.endswith("; linting with the default settings")


@pytest.mark.asyncio
async def test_a_clean_document_stays_right_through_edits(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = uri_for(tmp_path)
    clean = '<Response><ForwardCall   Destination="102"/></Response>'
    assert await open_doc(client, uri, clean) == []
    await replace_text(client, uri, clean.replace("102", "1 2"), 2)
    assert [d.code for d in await diagnostics_for(client, uri, 2)] == ["OZ202"]
    await replace_text(client, uri, clean, 3)
    assert await diagnostics_for(client, uri, 3) == []
    await replace_text(client, uri, clean.replace("102", "103"), 4)
    assert await diagnostics_for(client, uri, 4) == []
    # A clean document has no code actions, and formats like any other.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=rng(0, 0, 0, 10),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert actions is not None
    assert list(actions) == []
    assert await formatted_by(client, uri, clean.replace("102", "103")) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<Response>\n"
        '  <ForwardCall Destination="103"/>\n'
        "</Response>\n"
    )


@pytest.mark.asyncio
async def test_a_lone_surrogate_is_a_finding(client: LanguageClient, tmp_path: Path) -> None:
    found = await open_doc(client, uri_for(tmp_path), "<Response><Speak>a\ud800</Speak></Response>")
    assert [d.code for d in found] == ["OZ001"]


INLINE_EXTENSION = """<Response>
  <!-- ozml: context=extension -->
  <Speak Party="all">Hello</Speak>
  <
</Response>
"""


@pytest.mark.asyncio
async def test_the_inline_context_comment_reaches_every_feature(
    client: LanguageClient, tmp_path: Path
) -> None:
    """Completion and hover read the document's context as its diagnostics do: from the
    inline ``<!-- ozml: context=... -->`` comment over the configuration's default (any)."""
    uri = uri_for(tmp_path)
    await open_doc(client, uri, INLINE_EXTENSION)
    offered = items_of(await completion_at(client, uri, 3, 3))
    assert {"Speak", "Var"} <= set(offered)
    assert not {"Hold", "ForwardCall", "Route"} & set(offered)  # 3pcc only, routing only
    party = await hover_at(client, uri, 2, 9)
    assert party.splitlines()[0] == (
        "**Speak** · **Party** — party: caller | callee | all,"
        " optional here (extension); mandatory in 3pcc scripts"
    )
    # The same document in 3pcc: Hold is offered, Party is mandatory, and a 3pcc finding shows.
    three = uri_for(tmp_path, "three.xml")
    found = await open_doc(
        client,
        three,
        INLINE_EXTENSION.replace("extension", "3pcc").replace("  <\n", "  <Var Id='x'/>\n  <\n"),
    )
    assert [d.code for d in found] == ["OZ001"]  # the "<" being typed
    offered = items_of(await completion_at(client, three, 4, 3))
    assert "Hold" in offered
    assert "Var" not in offered
    party = await hover_at(client, three, 2, 9)
    assert "mandatory here (3pcc)" in party.splitlines()[0]
    # Diagnostics of a well-formed document say where its context came from.
    whole = uri_for(tmp_path, "whole.xml")
    found = await open_doc(client, whole, INLINE_EXTENSION.replace("  <\n", "  <Hold/>\n"))
    assert [(d.code, d.message) for d in found] == [
        (
            "OZ602",
            "Speak Party is ignored in an extension script (context from the inline comment on"
            " line 2); it is used only in 3pcc scripts",
        ),
        (
            "OZ601",
            "Hold is not valid in an extension script (context from the inline comment on"
            " line 2); use it in 3pcc scripts",
        )
    ]


def test_one_definition_decides_a_documents_context() -> None:
    """Only the directive scanner reads the ``context=`` comment, and only
    `ozml.lint.noqa.inline_context` turns its directives into a document's context: no module of
    the language server (or anywhere else) reads them on its own."""
    root = Path(__file__).resolve().parent.parent / "ozml"
    readers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "Kind.CONTEXT" in path.read_text(encoding="utf-8")
    )
    assert readers == ["lint/directives.py", "lint/noqa.py"], readers
    parsers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "context\\s*[=:]" in path.read_text(encoding="utf-8")  # the pattern's own text
        or "context=(" in path.read_text(encoding="utf-8")
    )
    assert parsers == ["lint/directives.py"], parsers
    users = sorted(
        str(path.relative_to(root))
        for path in (root / "lsp").glob("*.py")
        if "inline_context(" in path.read_text(encoding="utf-8")
    )
    assert users == ["lsp/incremental.py", "lsp/linting.py"], users
    server = (root / "lsp" / "server.py").read_text(encoding="utf-8")
    assert "settings(doc.path).context" not in server


VARIABLES_AS_CHECKED = (
    "<Response>\n"
    '  <Var Id="Name">1</Var><Speak>$name {{ $name }} $NAME {% if $z %}</Speak>\n'
    '  <ForEach Source="Arr"><Speak>$Item</Speak></ForEach><Array Id="arr"/>\n'
    "  <Speak>$</Speak>\n"
    "</Response>\n"
)


@pytest.mark.asyncio
async def test_variables_are_those_ozml_check_sees(client: LanguageClient, tmp_path: Path) -> None:
    """Names match ignoring letter case (`ozml.catalog.values.variable_key`), and a ``$`` in a
    template part is the template's (docs/templates.md): as the linter has them."""
    import ozml

    uri = uri_for(tmp_path)
    text = VARIABLES_AS_CHECKED
    found = await open_doc(client, uri, text)
    # $name, $NAME and $Item are defined; {{ $name }} and {% if $z %} are not OzML's.
    assert [d.code for d in found] == [d.code for d in ozml.check(text)] == ["OZ703"]
    line = text.splitlines()[1]
    var = rng(1, line.index("Name"), 1, line.index("Name") + 4)
    uses = [
        types.Location(uri, rng(1, start, 1, start + 5))
        for start in (line.index("$name"), line.index("$NAME"))
    ]
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            text_document=types.TextDocumentIdentifier(uri),
            position=types.Position(1, line.index("$NAME") + 2),
        )
    )
    assert refs is not None
    assert list(refs) == [types.Location(uri, var), *uses]
    definition = await client.text_document_definition_async(
        types.DefinitionParams(
            types.TextDocumentIdentifier(uri), types.Position(1, line.index("$name") + 2)
        )
    )
    assert definition is not None
    assert list(definition) == [types.Location(uri, var)]
    for inside in (line.index("{{ $name") + 4, line.index("$z") + 1):
        place = types.Position(1, inside)
        hover = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), place)
        )
        assert hover is None
        none = await client.text_document_references_async(
            types.ReferenceParams(
                context=types.ReferenceContext(include_declaration=True),
                text_document=types.TextDocumentIdentifier(uri),
                position=place,
            )
        )
        assert not none
    loop = text.splitlines()[2]
    item = await client.text_document_definition_async(
        types.DefinitionParams(
            types.TextDocumentIdentifier(uri), types.Position(2, loop.index("$Item") + 2)
        )
    )
    assert item is not None
    assert list(item) == [types.Location(uri, rng(2, 3, 2, 10))]  # the ForEach
    array = await client.text_document_definition_async(
        types.DefinitionParams(
            types.TextDocumentIdentifier(uri), types.Position(2, loop.index("Arr") + 1)
        )
    )
    assert array is not None
    start = loop.index('"arr"') + 1
    assert list(array) == [types.Location(uri, rng(2, start, 2, start + 3))]
    # One offer per variable, whatever the letter case of its Vars.
    assert items_of(await completion_at(client, uri, 3, 10)) == ["$Name"]


@pytest.mark.asyncio
@pytest.mark.parametrize("declared", ["ISO-8859-1", "UTF-16", "utf-8"])
async def test_formatting_keeps_the_encoding_the_document_declares(
    client: LanguageClient, tmp_path: Path, declared: str
) -> None:
    """The editor saves the buffer in the encoding it read it with: a declaration rewritten to
    UTF-8 would then be false, and a saved file with an "é" would not read (OZ001). A
    declaration of UTF-8 is written as the formatter writes it."""
    import ozml

    uri = uri_for(tmp_path)
    text = f'<?xml version="1.0" encoding="{declared}"?>\n<Response><Speak>é</Speak></Response>\n'
    await open_doc(client, uri, text)
    formatted = await formatted_by(client, uri, text)
    shown = "UTF-8" if declared == "utf-8" else declared
    assert formatted == (
        f'<?xml version="1.0" encoding="{shown}"?>\n<Response>\n  <Speak>é</Speak>\n</Response>\n'
    )
    # Saved as the editor saves it, the file reads, with the same text.
    codec = "utf-16" if declared == "UTF-16" else declared
    saved = tmp_path / "saved.xml"
    saved.write_bytes(formatted.encode(codec))
    assert ozml.check(saved.read_bytes()) == []
    await replace_text(client, uri, formatted, 2)
    assert await diagnostics_for(client, uri, 2) == []
    again = await formatting_edits(client, uri)
    assert again is not None
    assert again == []
