"""The language server reads server-side template parts as ``ozml check`` does, through a real
client over stdio.

The defect this holds: the server's tolerant scanner (`ozml.lsp.scan`) read a ``<`` inside a
template part as the start of a tag, where the parser, ``ozml check`` and the dry run ask
`ozml.templates` where the parts are. ``<Speak>{{<%}}$v</Speak>`` gave the tag ``<%}}$v``, so
the server missed the use of ``$v``; ``<% if x %>`` between commands was an element ``%`` that
never closed, holding the rest of the script in the outline, and completion offered nothing
under it. Edits read from the last scan on (completion, hover) agree with a scan of the whole
text, also when an edit makes a template part of what was not one, or undoes one.
"""

from __future__ import annotations

import asyncio
import copy
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsp_support import Harness, client_fixture, diagnostics_for, open_doc
from lsprotocol import types
from pytest_lsp import LanguageClient

from ozml import templates
from ozml.lsp import scan as scan_module
from ozml.lsp.completion import Where as CursorWhere
from ozml.lsp.completion import cursor_at
from ozml.lsp.variables import Variables
from ozml.nodes import Element
from ozml.parser import parse

client = client_fixture()
#: A server that reads only ERB/ASP parts (``templates = ["erb"]``), as ``ozml check`` does with
#: that setting.
erb_only = client_fixture(settings={"templates": ["erb"]})


def at(text: str, needle: str, delta: int = 0, nth: int = 0) -> types.Position:
    """The position of the `nth` occurrence of `needle` in `text`, `delta` characters on (the
    texts here are ASCII: characters are UTF-16 code units)."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    offset += delta
    line = text.count("\n", 0, offset)
    return types.Position(line, offset - (text.rfind("\n", 0, offset) + 1))


def span(text: str, needle: str, nth: int = 0) -> types.Range:
    start = at(text, needle, nth=nth)
    return types.Range(start, types.Position(start.line, start.character + len(needle)))


async def outline(client: LanguageClient, uri: str) -> list[object]:
    """The document symbols as (name, detail, children) trees."""
    found = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))
    )
    assert found is not None

    def tree(symbol: types.DocumentSymbol | types.SymbolInformation) -> object:
        assert isinstance(symbol, types.DocumentSymbol)
        return (symbol.name, symbol.detail, [tree(child) for child in symbol.children or ()])

    return [tree(symbol) for symbol in found]


async def hover_text(client: LanguageClient, uri: str, position: types.Position) -> str | None:
    found = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), position)
    )
    if found is None:
        return None
    assert isinstance(found.contents, types.MarkupContent)
    return found.contents.value


async def completion_labels(
    client: LanguageClient, uri: str, position: types.Position
) -> list[str]:
    found = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri), position)
    )
    if found is None:
        return []
    items = found.items if isinstance(found, types.CompletionList) else found
    return sorted(item.label for item in items)


async def references(
    client: LanguageClient, uri: str, position: types.Position
) -> list[types.Range]:
    found = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            text_document=types.TextDocumentIdentifier(uri),
            position=position,
        )
    )
    return [location.range for location in found or ()]


def check(text: str, tmp_path: Path, *args: str) -> str:
    """What ``ozml check`` says of `text` (concise findings)."""
    (tmp_path / "check.xml").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--output-format", "concise", *args, "check.xml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return done.stdout


# --- a "<" inside a part ------------------------------------------------------------------------

LESS_THAN = """<Response>
  <Var Id="v">V</Var>
  <Speak>{{<%}}$v</Speak>
  <Hangup/>
</Response>
"""


@pytest.mark.asyncio
async def test_a_variable_used_after_a_part_holding_a_less_than_sign_is_a_use(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = (tmp_path / "script.xml").as_uri()
    published = await open_doc(client, uri, LESS_THAN)
    # ozml check: the Var is used (no OZ702), and nothing else is wrong.
    assert published == []
    assert ": OZ" not in check(LESS_THAN, tmp_path)
    definition = span(LESS_THAN, '"v"').start
    var = types.Range(
        types.Position(definition.line, definition.character + 1),
        types.Position(definition.line, definition.character + 2),
    )
    use = span(LESS_THAN, "$v")
    # Find-references from the Var and from the use: both, as the linter and the dry run read it.
    assert await references(client, uri, at(LESS_THAN, '"v"', 1)) == [var, use]
    assert await references(client, uri, at(LESS_THAN, "$v", 1)) == [var, use]
    found = await client.text_document_definition_async(
        types.DefinitionParams(types.TextDocumentIdentifier(uri), at(LESS_THAN, "$v", 1))
    )
    assert found == [types.Location(uri, var)]
    assert await hover_text(client, uri, at(LESS_THAN, "$v", 1)) == (
        "**$v** — variable\n\nSet by Var.\n- line 2: `V`"
    )
    # The outline holds the three commands, and no element made of the part.
    assert await outline(client, uri) == [
        (
            "Response",
            None,
            [("Var", "Id=v", []), ("Speak", "{{<%}}$v", []), ("Hangup", None, [])],
        )
    ]


# --- ERB parts between commands ------------------------------------------------------------------

ERB = """<Response>
  <% if visits < 2 %>
  <Speak>Welcome back, <%= name %>.</Speak>
  <% else %>
  <Speak Text="<%= greeting %>"/>
  <% end %>
  <UserInput Timeout="10">
    <Inputs>
      <% items.each do |i| %>
      <Input Key="<%= i.key %>"><GoTo><%= i.url %></GoTo></Input>
      <% end %>
    </Inputs>
  </UserInput>
  <Var Id="who"><% if x < 1 %>a<% end %></Var>
  <Speak>Bye $who</Speak>

</Response>
"""


@pytest.mark.asyncio
async def test_erb_parts_between_commands_are_no_elements(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = (tmp_path / "script.xml").as_uri()
    published = await open_doc(client, uri, ERB)
    assert published == []
    assert ": OZ" not in check(ERB, tmp_path)
    assert await outline(client, uri) == [
        (
            "Response",
            None,
            [
                ("Speak", "Welcome back, <%= name %>.", []),
                ("Speak", "<%= greeting %>", []),
                (
                    "UserInput",
                    "Timeout=10",
                    [
                        (
                            "Inputs",
                            None,
                            [("Input", "Key=<%= i.key %>", [("GoTo", "<%= i.url %>", [])])],
                        )
                    ],
                ),
                ("Var", "Id=who", []),
                ("Speak", "Bye $who", []),
            ],
        )
    ]
    # Completion on the empty line before </Response> offers the commands a Response holds,
    # and in the Inputs (after a part) an Input.
    blank = types.Position(ERB.splitlines().index(""), 0)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=types.Range(blank, blank), text="  <")
            ],
        )
    )
    commands = await completion_labels(client, uri, types.Position(blank.line, 3))
    assert {"Hangup", "Speak", "UserInput"} <= set(commands)
    assert "Input" not in commands
    assert await completion_labels(client, uri, at(ERB, "<Input ", 1)) == ["Input"]
    # Hover reads the tags beside the parts.
    hovered = await hover_text(client, uri, at(ERB, "Input Key", 1))
    assert hovered is not None
    assert hovered.startswith("**Input** — ")
    # The use of $who after a Var whose text holds a part with "<".
    who = span(ERB, "$who")
    assert await references(client, uri, at(ERB, "$who", 2)) == [span(ERB, "who"), who]
    # Inside a part nothing is offered, after a "<" there neither: its text is the template's.
    assert await completion_labels(client, uri, at(ERB, "visits <", 8)) == []


@pytest.mark.asyncio
async def test_the_parts_are_those_of_the_syntaxes_the_document_is_read_with(
    erb_only: LanguageClient, tmp_path: Path
) -> None:
    # With only ERB read as templates, "{{" is text and "$v" in it a use, as for ozml check.
    text = '<Response>\n  <Var Id="v">V</Var>\n  <Speak>{{ <% x %> $v }}</Speak>\n</Response>\n'
    (tmp_path / "ozml.toml").write_text('templates = ["erb"]\n', encoding="utf-8")
    uri = (tmp_path / "script.xml").as_uri()
    assert await open_doc(erb_only, uri, text) == []
    assert ": OZ" not in check(text, tmp_path)
    uses = await references(erb_only, uri, at(text, '"v"', 1))
    assert uses[1:] == [span(text, "$v")]
    assert await outline(erb_only, uri) == [
        ("Response", None, [("Var", "Id=v", []), ("Speak", "{{ <% x %> $v }}", [])])
    ]


# --- edits read from the last scan on -----------------------------------------------------------

EDITED = """<Response>
  <Var Id="v">V</Var>
  <Speak>{{ a }}$v</Speak>
  <Speak>x <% y %> z</Speak>
  <Play Repeat="true">a.wav</Play>
  <Speak Text="$v {{ b }}"/>
</Response>
"""

#: Edits inside and around the parts, each at the first place of a needle (and so many
#: characters on), replacing so many characters: each makes a part of what was not one,
#: undoes one, or changes one.
EDITS = [
    ("{{ a", 3, 0, "<"),  # "{{ <a }}": markup before the closer, so no part: "<a" is a tag
    ("{{ <a", 3, 1, ""),  # a part again
    ("<% y %>", 5, 2, ""),  # "<% y  z": the part's closer deleted, no part
    ("<Play", 0, 0, "%>"),  # a closer on the next line: the part takes in the end tag
    ("%><Play", 0, 2, ""),  # and lets it go again
    ("<% y  z", 5, 0, "%>"),  # "<% y %>" again
    ("{{ b", 4, 0, '"'),  # the value's quote before the closer: no part
    ("{{ b", 4, 1, ""),  # a part again
    ("{{ a", 0, 0, "{"),  # "{{{ a }}"
    ("<Play", 0, 0, "<% if p %>"),  # a part between commands
]


@pytest.mark.asyncio
async def test_edits_inside_and_around_parts_read_as_a_whole_scan_reads(
    client: LanguageClient, tmp_path: Path
) -> None:
    """Completion and hover after an edit read the text from the last scan on; what they find
    is what the server finds in the same text opened afresh (scanned whole)."""
    uri = (tmp_path / "edited.xml").as_uri()
    await open_doc(client, uri, EDITED)
    assert await outline(client, uri)  # a scan of the first version: the one edits start from
    text = EDITED
    well_formed = 0
    for version, (needle, delta, length, inserted) in enumerate(EDITS, start=2):
        start = at(text, needle, delta)
        end = types.Position(start.line, start.character + length)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start, end), text=inserted
                    )
                ],
            )
        )
        offset = text.index(needle) + delta
        text = text[:offset] + inserted + text[offset + length :]
        # The same text opened afresh, once the edit's diagnostics are in (the client drops a
        # notification that comes when it waits for none).
        await diagnostics_for(client, uri, version)
        fresh = (tmp_path / f"fresh{version}.xml").as_uri()
        await open_doc(client, fresh, text)
        # Every position of the edited line and the one after it, as an editor asks.
        lines = text.split("\n")
        for line in (start.line, start.line + 1):
            for column in range(len(lines[line]) + 1):
                position = types.Position(line, column)
                asked = (
                    await completion_labels(client, uri, position),
                    await hover_text(client, uri, position),
                )
                expected = (
                    await completion_labels(client, fresh, position),
                    await hover_text(client, fresh, position),
                )
                assert asked == expected, (text, position)
        got = await outline(client, uri)
        assert got == await outline(client, fresh)
        # Where the text is well-formed, the outline holds the elements the parser reads.
        read = parse(text)
        well_formed += not read.problems
        if not read.problems:
            assert read.document.root is not None
            assert [_names(symbol) for symbol in got] == [_names(read.document.root)]
    assert well_formed == 5


def _names(node: object) -> object:
    """An outline symbol (name, detail, children) or a parsed element as (name, children)."""
    if isinstance(node, Element):
        return (node.tag, [_names(child) for child in node.elements])
    assert isinstance(node, tuple)
    return (node[0], [_names(child) for child in node[2]])


# --- linear in the text ---------------------------------------------------------------------------


class _Counted:
    """The scanner's token expression, counting the characters it is given to read."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.read = 0

    def finditer(self, text: str, start: int, end: int) -> Iterator[re.Match[str]]:
        self.read += end - start
        return self.pattern.finditer(text, start, end)


class _Walked:
    """A regular expression of `ozml.templates.find`'s walk, counting the characters its
    searches go over (from where each starts to the end of what it finds)."""

    def __init__(self, pattern: re.Pattern[str], count: list[int]) -> None:
        self.pattern = pattern
        self.count = count

    def search(self, text: str, pos: int) -> re.Match[str] | None:
        found = self.pattern.search(text, pos)
        self.count[0] += (found.end() if found is not None else len(text)) - pos
        return found


def _walking(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A counter of the characters `ozml.templates.find` walks over, from now on."""
    count = [0]
    made = templates._openers

    def counted(syntaxes: frozenset[str]) -> templates._Openers:
        found = copy.copy(made(syntaxes))
        found.content = _Walked(found.content, count)  # type: ignore[assignment]
        found.tag = _Walked(found.tag, count)  # type: ignore[assignment]
        found.value = {q: _Walked(p, count) for q, p in found.value.items()}  # type: ignore[misc]
        return found

    monkeypatch.setattr(templates, "_openers", counted)
    return count


def _reads(monkeypatch: pytest.MonkeyPatch, blocks: int) -> tuple[int, int, int, int, int]:
    """The length of a document of `blocks` blocks with parts (holding "<") between and in
    commands; the characters `find` walked over for a scan and the variables of it; those it
    walked over for completion and hover after an edit at its end, and after one in its
    middle, read from that scan; and the characters the tokens were read from, by the scan and
    after the edit at the end."""
    block = (
        '  <% if n %><Var Id="v{i}">{{{{<%}}}}{i}</Var>\n'
        '  <Speak Text="<%= t %>" {{% if p %}}Party="all"{{% endif %}}>{{{{<%}}}}$v{i}</Speak>\n'
        "  <% end %>\n"
    )
    text = "<Response>\n" + "".join(block.format(i=i) for i in range(blocks)) + "</Response>\n"
    walked = _walking(monkeypatch)
    tokens = _Counted(scan_module._TOKEN)
    monkeypatch.setattr(scan_module, "_TOKEN", tokens)
    whole = scan_module.scan(text)
    found = Variables(whole)
    assert len([r for r in found.references if r.dollar]) == blocks  # each $v after its part
    assert len(list(whole.elements())) == 2 * blocks + 1
    by_scan = walked[0]
    walked[0] = 0
    edited = text.replace("</Response>", "  <Speak>$v0</Speak>\n  <</Response>")
    offset = edited.rindex("<") + 1
    stack, _, _ = scan_module.open_stack(edited, offset, whole)
    assert [token.name for token in stack] == ["Response"]
    token = scan_module.token_at(edited, offset, whole)
    assert token is not None
    assert token.name == "Response"
    at_end = walked[0]
    walked[0] = 0
    tokens_read = tokens.read
    # An element typed in the middle: completion there, hover there and on the last command,
    # and whether a part holds the cursor, before the edit and after it.
    middle = text.index("<Speak", len(text) // 2)
    edited = text[:middle] + "<Play>a.wav</Play>\n  <" + text[middle:]
    offset = middle + len("<Play>a.wav</Play>\n  <")
    hovered = (offset, middle + 2, edited.rindex("<Speak") + 2)
    in_parts = (edited.rindex("{{<%}}", 0, middle) + 2, edited.index("{{<%}}", offset) + 2)
    fresh = scan_module.scan(edited)
    expected = (
        cursor_at(edited, offset),
        [fresh.token_at(at) for at in hovered],
        [scan_module.inside_part(edited, at) for at in (*in_parts, offset)],
    )
    assert expected[0].where is CursorWhere.ELEMENT
    assert expected[2] == [True, True, False]
    walked[0] = 0
    assert cursor_at(edited, offset, whole) == expected[0]
    assert [scan_module.token_at(edited, at, whole) for at in hovered] == expected[1]
    inside = [scan_module.inside_part(edited, at, whole) for at in (*in_parts, offset)]
    assert inside == expected[2]
    in_middle = walked[0]
    return len(text), by_scan, at_end, in_middle, tokens_read


def test_the_parts_are_looked_for_once_per_text_and_after_an_edit_only_near_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Linear in the text: `ozml.templates.find` walks over the text once for the scan and the
    # variables of a text. After an edit, completion and hover read the parts only near the
    # edit and the cursor, from the scan before it (`ozml.templates.again`): on a text twice
    # as long, no further (an edit on a 5,000-line document with parts made every completion
    # walk the whole text again, 41-56 ms). The tokens of the whole text are read once, and
    # after an edit only from the last token before it on.
    small = _reads(monkeypatch, 200)
    large = _reads(monkeypatch, 400)
    for length, by_scan, at_end, in_middle, tokens_read in (small, large):
        assert length // 2 < by_scan <= length
        assert at_end < 2 * templates.SPACING
        assert in_middle < 4 * templates.SPACING
        assert length < tokens_read < length + 100
    assert large[1] < 2.05 * small[1]


def _served(monkeypatch: pytest.MonkeyPatch, blocks: int) -> int:
    """The characters `ozml.templates.find` walks over on the server's own thread to answer a
    completion and a hover after an edit in the middle of a document of `blocks` blocks with
    parts, through the server's handling of the protocol's messages (`Harness`); the server
    scanned the document before the edit, for a completion."""
    block = (
        '  <% if n %><Var Id="v{i}">{{{{<%}}}}{i}</Var>\n'
        '  <Speak Text="<%= t %>" {{% if p %}}Party="all"{{% endif %}}>{{{{<%}}}}$v{i}</Speak>\n'
        "  <% end %>\n"
    )
    text = "<Response>\n" + "".join(block.format(i=i) for i in range(blocks)) + "</Response>\n"
    walked = _walking(monkeypatch)

    async def scenario() -> int:
        harness = Harness()
        await harness.start()
        uri = "untitled:templated.xml"
        harness.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}},
        )
        await harness.diagnostics(uri, 1)
        cursor = {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}
        assert "result" in await harness.request("textDocument/completion", cursor)
        line = 1 + 3 * (blocks // 2) + 1  # a Speak in the middle: an element typed before it
        where = {"line": line, "character": 2}
        change = {"range": {"start": where, "end": where}, "text": "<Play>a.wav</Play> <"}
        harness.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]},
        )
        await harness.diagnostics(uri, 2)  # the lint (which reads the whole text) is done
        before = walked[0]
        at = {"line": line, "character": 2 + len(change["text"])}
        answer = await harness.request(
            "textDocument/completion", {"textDocument": {"uri": uri}, "position": at}
        )
        labels = {item["label"] for item in answer["result"]["items"]}
        assert {"Speak", "Play"} <= labels
        last = {"line": 3 * blocks - 1, "character": 5}  # the last Speak's name
        answer = await harness.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": last}
        )
        assert "**Speak**" in answer["result"]["contents"]["value"]
        count = walked[0] - before
        await harness.stop()
        return count

    return asyncio.run(scenario())


def test_completion_and_hover_after_an_edit_walk_the_parts_only_near_it_in_the_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Through the server: after an edit, answering completion and hover walks over a stretch
    # of the text near the edit, as short on a document twice as long (it walked the whole
    # text for each new version: 16,700 and 33,700 characters).
    for blocks in (200, 400):
        assert _served(monkeypatch, blocks) < 4 * templates.SPACING


#: A document longer than the places of the walk are apart, with parts of every syntax, some
#: holding what ends a comment, a value, a tag, a CDATA section or a processing instruction.
LONG = "<Response>\n" + "".join(
    f'  <% if n{i} %><Var Id="v{i}">{{{{<%}}}}{i}</Var><!-- {{{{ -->\n'
    f'  <Speak Text="<%= t %>" {{% if p %}}Party="all"{{% endif %}}>{{{{ a < b }}}}$v{i}</Speak>\n'
    f"  <Play>${{f}}<?= $x ?><![CDATA[ }}}} ]]></Play><% end %>\n"
    f'  <Speak>{{{{ "-->" }}}} <% if a > "b" %><%= "]]> ?>" %></Speak>\n'
    for i in range(12)
) + "</Response>\n"
PIECES = ["{{", "}}", "{%", "%}", "<%", "%>", "<?=", "?>", "${", "}", "<", ">", "\"", "'", "<!--",
          "-->", "<![CDATA[", "]]>", "<Speak>", "</Speak>", "x y"]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, len(LONG)),
    st.integers(0, 30),
    st.lists(st.sampled_from(PIECES), max_size=3).map("".join),
    st.lists(st.integers(0, 1 << 16), min_size=1, max_size=4),
)
def test_a_text_read_near_an_edit_reads_as_the_whole_text(
    at: int, deleted: int, inserted: str, cursors: list[int]
) -> None:
    # The scanner's reading near an edit (`ozml.lsp.scan.near`): the blank text, the parts and
    # whether a part holds an offset are those of the text read whole, where it read them, and
    # reading on from one cursor to the next keeps them so.
    known = scan_module.scan(LONG)
    text = LONG[:at] + inserted + LONG[at + deleted :]
    whole = scan_module.read(text)
    for cursor in (c % (len(text) + 1) for c in cursors):
        reading = scan_module.near(text, known.reading, cursor)  # type: ignore[arg-type]
        assert reading.exact >= min(cursor, len(text))
        assert reading.blank[: reading.exact] == whole.blank[: reading.exact]
        assert reading.parts == tuple(s for s in whole.parts if s[0] < reading.upto)
        for offset in range(max(0, cursor - 40), min(len(text), cursor + 40) + 1):
            assert reading.inside_part(offset) == whole.inside_part(offset), offset
        assert reading.inside_part(len(text)) == whole.inside_part(len(text))
        expected = scan_module.scan(text).token_at(cursor)
        assert scan_module.token_at(text, cursor, known) == expected


def test_a_token_that_runs_past_where_the_parts_were_read_is_read_as_the_whole_text() -> None:
    # A comment opened, or a quote typed in a tag, makes the token at the cursor run on to
    # the next comment end or quote, past where the parts were read near the edit: they are
    # read on to its end first (a part there may hold what would end the token).
    known = scan_module.scan(LONG)
    for piece in ("<!--", '"', "<![CDATA[", "<Speak "):
        for at in range(0, len(LONG), 23):
            text = LONG[:at] + piece + LONG[at:]
            expected = scan_module.scan(text).token_at(at + 1)
            assert scan_module.token_at(text, at + 1, known) == expected, (piece, at)
