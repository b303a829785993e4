"""The language server's pieces without a client: positions, sync, scan, cursor, variables."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from deadline import within
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.protocol import default_converter

from ozml.catalog import Context
from ozml.interpreter import program as program_module
from ozml.interpreter.program import compile_document
from ozml.lint import lint
from ozml.lint import noqa as noqa_module
from ozml.lsp import actions as actions_module
from ozml.lsp import scan as scan_module
from ozml.lsp import symbols as symbols_module
from ozml.lsp.actions import _difference, safe_edits, suppression
from ozml.lsp.completion import Client, Where, complete, cursor_at
from ozml.lsp.convert import UTF8, UTF16, UTF32, LineIndex
from ozml.lsp.documents import OpenDocument
from ozml.lsp.scan import scan
from ozml.lsp.settings import ServerOptions
from ozml.lsp.symbols import MAX_OUTLINE_DEPTH, symbols
from ozml.lsp.variables import Definition, Kind, Reference, Variables
from ozml.parser import parse


def utf16_position(text: str, offset: int) -> types.Position:
    """An independent reference: count UTF-16 units by encoding."""
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n")
    last = before.rsplit("\n", 1)[-1]
    return types.Position(line, len(last.encode("utf-16-le")) // 2)


# -- positions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [(UTF16, 4), (UTF8, 7), (UTF32, 3)],
)
def test_columns_count_code_units_of_the_negotiated_encoding(encoding: str, expected: int) -> None:
    text = "é😀x<"  # é: 1 UTF-16 unit, 2 UTF-8 bytes; 😀: 2 units, 4 bytes
    index = LineIndex(text, encoding)
    assert index.position(3) == types.Position(0, expected)
    assert index.offset(types.Position(0, expected)) == 3


def test_line_breaks_of_every_kind_and_positions_past_the_end() -> None:
    text = "a\r\nb\rc\nd"
    index = LineIndex(text)
    assert [index.position(i) for i in (0, 3, 5, 7)] == [
        types.Position(0, 0),
        types.Position(1, 0),
        types.Position(2, 0),
        types.Position(3, 0),
    ]
    assert index.position(2) == types.Position(0, 1)  # between \r and \n: end of line 0
    assert index.offset(types.Position(0, 99)) == 1  # past the line's end: its end
    assert index.offset(types.Position(9, 0)) == len(text)  # past the last line: the end


def test_a_position_inside_a_surrogate_pair_rounds_up() -> None:
    index = LineIndex("😀a")
    assert index.offset(types.Position(0, 1)) == 1


text_strategy = st.text(
    alphabet=st.sampled_from([*'ab<>/"= \n\r', "é", "😀", "\u2028", "中"]), max_size=40
)


@settings(max_examples=150, deadline=None)
@given(text_strategy, st.data())
def test_offsets_and_utf16_positions_round_trip(text: str, data: st.DataObject) -> None:
    index = LineIndex(text, UTF16)
    offset = data.draw(st.integers(0, len(text)))
    if offset and text[offset - 1 : offset + 1] == "\r\n":
        offset -= 1  # between \r and \n is no position of its own
    position = index.position(offset)
    assert position == utf16_position(text, offset)
    assert index.offset(position) == offset


def _units_of(text: str, encoding: str) -> int:
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@settings(max_examples=200, deadline=None)
@given(
    text_strategy,
    st.sampled_from([UTF8, UTF16, UTF32]),
    st.tuples(st.integers(0, 60), st.integers(0, 60), text_strategy),
    st.data(),
)
def test_positions_count_code_units_in_every_encoding_after_an_edit(
    text: str, encoding: str, edit: tuple[int, int, str], data: st.DataObject
) -> None:
    # A position costs O(log n) however long its line is (the index keeps where the wide
    # characters are); the answer is the code units of the line up to the offset.
    a, b = sorted((min(edit[0], len(text)), min(edit[1], len(text))))
    edited = LineIndex(text, encoding).edited(a, b, edit[2])
    for index in (LineIndex(text, encoding), edited):
        offset = data.draw(st.integers(0, len(index.text)))
        if offset and index.text[offset - 1 : offset + 1] == "\r\n":
            offset -= 1
        position = index.position(offset)
        line_start = index.starts[position.line]
        assert position.character == _units_of(index.text[line_start:offset], encoding)
        assert index.offset(position) == offset


@settings(max_examples=150, deadline=None)
@given(
    text_strategy,
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60), text_strategy), max_size=5),
)
def test_incremental_changes_give_the_same_text_as_splicing(
    text: str, edits: list[tuple[int, int, str]]
) -> None:
    doc = OpenDocument("file:///x.xml", text, 1)
    expected = text
    changes = []
    for a, b, new in edits:
        a, b = sorted((min(a, len(expected)), min(b, len(expected))))
        if (a and expected[a - 1 : a + 1] == "\r\n") or (b and expected[b - 1 : b + 1] == "\r\n"):
            continue
        index = LineIndex(expected)
        changes.append(types.TextDocumentContentChangePartial(range=index.range(a, b), text=new))
        expected = expected[:a] + new + expected[b:]
    doc.apply(changes, 2)
    assert doc.text == expected
    assert doc.version == 2


def test_a_full_text_change_replaces_everything() -> None:
    doc = OpenDocument("file:///x.xml", "<Response/>", 1)
    doc.apply([types.TextDocumentContentChangeWholeDocument(text="<OzML/>")], 5)
    assert (doc.text, doc.version) == ("<OzML/>", 5)


# -- the tolerant scan ----------------------------------------------------------------------


def test_scan_builds_a_tree_from_broken_text() -> None:
    text = '<Response>\n  <Speak Text="a"\n  <Play>x.wav</Play>\n  <Hangup/>\n</Response'
    found = scan(text)
    [root] = found.roots
    assert [c.name for c in root.children] == ["Speak", "Play", "Hangup"]
    speak = root.children[0]
    assert not speak.tag.complete
    assert speak.tag.attribute("Text") is not None
    assert root.close is not None  # "</Response" without ">" still closes it
    assert found.element_at(text.index("x.wav")) is root.children[1]


TEXT = "<Response><Speak>Hi</Speak></Response>"
ONE = "<Response/>"


def _code_actions() -> object:
    from ozml.lsp.linting import Linter

    text = "<Response><Speek>Hi</Speek></Response>"
    analysis = Linter(ServerOptions, lambda message: None).analyse(
        OpenDocument("file:///a.xml", text, 1), text, 1
    )
    everything = types.Range(types.Position(0, 0), types.Position(1, 0))
    return actions_module.code_actions("file:///a.xml", analysis, everything, None, UTF16, True)


@pytest.mark.parametrize(
    ("module", "inner", "call"),
    [
        (scan_module, "tokens", lambda: scan(TEXT)),
        (symbols_module, "_detail", lambda: symbols(scan(ONE), LineIndex(ONE))),
        (actions_module, "LineIndex", _code_actions),
        (program_module, "resolve_element", lambda: compile_document(parse(ONE).document, "a")),
        (noqa_module, "apply_edits", lambda: noqa_module.add(parse(ONE).source, [], [])),
    ],
    ids=["scan", "symbols", "code actions", "compiling for the dry run", "add noqa"],
)
def test_what_lives_on_is_made_with_the_garbage_collector_paused(
    monkeypatch: pytest.MonkeyPatch, module: object, inner: str, call: Callable[[], object]
) -> None:
    # What these make lives on until it is sent: with the collector on, each doubling of a
    # document took 2.5 times as long (a scan of 32,000 elements, 25,600 code actions). Each
    # is watched where it calls something once, while it makes its result.
    seen: list[bool] = []
    made = getattr(module, inner)

    def watched(*args: object) -> object:
        seen.append(gc.isenabled())
        return made(*args)

    monkeypatch.setattr(module, inner, watched)
    assert gc.isenabled()
    call()
    assert seen == [False]
    assert gc.isenabled()


def test_a_stray_end_tag_closes_nothing_and_a_missing_one_closes_at_the_parent() -> None:
    text = "<Response><Inputs><Input Key='1'></Inputs></Foo></Response>"
    [root] = scan(text).roots
    inputs = root.children[0]
    assert inputs.close is not None
    assert inputs.children[0].close is None
    assert inputs.children[0].end == text.index("</Inputs>")
    assert root.close is not None


@pytest.mark.parametrize(
    ("text", "where", "parents", "prefix"),
    [
        ("<Response>\n  <|", Where.ELEMENT, ("Response",), ""),
        ("<Response><Spe|ak/>", Where.ELEMENT, ("Response",), "Spe"),
        ("<Response><Speak |", Where.ATTRIBUTE, ("Response",), ""),
        ("<Response><Speak La|", Where.ATTRIBUTE, ("Response",), "La"),
        ('<Response><Speak Language="e|', Where.VALUE, ("Response",), "e"),
        ("<Response><Speak Party='|'/>", Where.VALUE, ("Response",), ""),
        ("<Response><Speak>hi</|", Where.END_TAG, ("Response", "Speak"), ""),
        ("<Response><Speak>hi |", Where.TEXT, ("Response", "Speak"), ""),
        ("<Response><!-- <|", Where.NOWHERE, ("Response",), ""),
        ('<Response><Play Repeat="true"|', Where.NOWHERE, ("Response",), ""),
        # A self-closing element closes itself, with or without attributes or a slash in a value.
        ("<Response>\n  <Var/>\n  <|", Where.ELEMENT, ("Response",), ""),
        ("<Response>\n  <Var Id='x'/>\n  <|", Where.ELEMENT, ("Response",), ""),
        ('<Response><GoTo Url="a/b.xml"/><|', Where.ELEMENT, ("Response",), ""),
        ("<Response><UserInput><Inputs/><|", Where.ELEMENT, ("Response", "UserInput"), ""),
    ],
)
def test_cursor_situation(text: str, where: Where, parents: tuple[str, ...], prefix: str) -> None:
    offset = text.index("|")
    cursor = cursor_at(text.replace("|", ""), offset)
    assert (cursor.where, cursor.parents, cursor.prefix) == (where, parents, prefix)


def labels(text: str, context: Context = Context.ANY) -> list[str]:
    offset = text.index("|")
    text = text.replace("|", "")
    items = complete(
        text, LineIndex(text), offset, context, Variables(scan(text)), Client(snippets=False)
    )
    return [item.label for item in items]


def test_elements_offered_follow_the_parent_and_the_context() -> None:
    assert labels("<|") == ["Response"]
    assert labels("<Response><UserInput><|") == ["InitialCommands", "Inputs"]
    assert labels("<Response><Array Id='a'><|") == ["Item"]
    assert labels("<Response><Speak><|") == []
    extension = labels("<Response><|", Context.EXTENSION)
    three_pcc = labels("<Response><|", Context.THREE_PCC)
    assert "UserInput" in extension
    assert "UserInput" not in three_pcc
    assert "ForwardCall" in three_pcc
    assert "ForwardCall" not in extension
    assert "ListActiveCalls" not in labels("<Response><|")  # HTTP only (D5)


def test_attributes_offered_are_those_not_yet_written_in_any_spelling() -> None:
    assert labels("<Response><Speak |") == ["Text", "Party", "CallId", "Language", "Voice"]
    assert labels("<Response><Speak language='en' |") == ["Text", "Party", "CallId", "Voice"]
    assert labels("<Response><BlindTransfer TranferorParty='caller' |") == [
        "CallId",
        "Target",
        "FinishedUrl",
    ]
    assert "Duration" in labels("<Response><Record |", Context.EXTENSION)
    assert "Duration" not in labels("<Response><Record |", Context.THREE_PCC)


def test_values_offered_are_the_allowed_ones() -> None:
    assert labels("<Response><Play Repeat='|") == ["true", "false"]
    assert labels('<Response><Record Format="|') == ["mp3", "wav"]
    assert labels("<Response><Speak Language='|") == []
    assert labels("<Response><Array Id='days'/><Array Id='nights'/><ForEach Source='|") == [
        "days",
        "nights",
    ]


def test_variables_offered_are_those_in_scope() -> None:
    text = "<Response><Var Id='a'>1</Var><ForEach Source='x'><Speak>$|</Speak></ForEach>"
    assert labels(text) == ["$a", "$item"]
    after = "<Response><Speak>$|</Speak><Var Id='late'>1</Var></Response>"
    assert labels(after) == []
    received = "<Response><ReceiveAlarmNotification><Received><Speak>$z|"
    assert labels(received) == [
        "$account",
        "$eventcode",
        "$eventname",
        "$eventqualifier",
        "$partition",
        "$zone",
    ]
    in_value = "<Response><Var Id='path'>/x</Var><MoveFile SourceFile='$|"
    assert labels(in_value) == ["$path"]


def test_known_variables_from_the_settings_are_in_scope() -> None:
    text = "<Response><Speak>$"
    found = Variables(scan(text), known=["username"])
    assert [d.name for d in found.in_scope(len(text))] == ["username"]


# -- variables ------------------------------------------------------------------------------

SCRIPT = """<Response>
  <Var Id="greeting">Hello</Var>
  <Speak>$greeting, caller</Speak>
  <Array Id="days"><Item>Mon</Item></Array>
  <ForEach Source="days">
    <Speak>$item.name and $greeting</Speak>
  </ForEach>
  <Var Id="greeting">Bye</Var>
  <Speak Text="$greeting"/>
</Response>
"""


def test_definitions_and_uses_of_variables() -> None:
    found = Variables(scan(SCRIPT))
    first_use = found.at(SCRIPT.index("$greeting") + 3)
    assert first_use == Reference(
        "greeting", SCRIPT.index("$greeting"), SCRIPT.index("$greeting") + 9
    )
    assert isinstance(first_use, Reference)
    [nearest, later] = found.resolve(first_use)
    assert nearest.start == SCRIPT.index('"greeting"') + 1
    assert later.detail == "Bye"
    last_use = found.at(SCRIPT.index('Text="$greeting"') + 8)
    assert isinstance(last_use, Reference)
    assert found.resolve(last_use)[0].detail == "Bye"  # the nearest Var before the use
    assert len(found.uses(nearest)) == 3
    item = found.at(SCRIPT.index("$item") + 1)
    assert isinstance(item, Reference)
    [loop] = found.resolve(item)
    assert (loop.kind, loop.start) == (Kind.ITEM, SCRIPT.index("ForEach"))
    days = found.at(SCRIPT.index('Source="days"') + 9)
    assert days == Reference(
        "days", SCRIPT.index('Source="days"') + 8, SCRIPT.index('Source="days"') + 12, dollar=False
    )
    assert found.resolve(days)[0].kind is Kind.ARRAY


def test_item_outside_a_foreach_and_unknown_names_have_no_definition() -> None:
    text = "<Response><Speak>$item $nobody</Speak></Response>"
    found = Variables(scan(text))
    for ref in found.references:
        assert found.resolve(ref) == []
    assert Definition("x", Kind.EXTERNAL, -1, -1).located is False


# -- outline --------------------------------------------------------------------------------


def test_symbols_outline_the_script_with_details() -> None:
    outline = symbols(scan(SCRIPT), LineIndex(SCRIPT))
    [root] = outline
    assert root["name"] == "Response"
    assert root["kind"] == types.SymbolKind.Module.value
    assert [(s["name"], s.get("detail")) for s in root["children"]] == [
        ("Var", "Id=greeting"),
        ("Speak", "$greeting, caller"),
        ("Array", "Id=days"),
        ("ForEach", "Source=days"),
        ("Var", "Id=greeting"),
        ("Speak", "$greeting"),
    ]
    foreach = root["children"][3]
    # The answer is the protocol's JSON, as lsprotocol would have written it.
    symbol = default_converter().structure(foreach, types.DocumentSymbol)
    assert symbol.range == types.Range(types.Position(4, 2), types.Position(6, 12))
    assert symbol.selection_range == types.Range(types.Position(4, 3), types.Position(4, 10))
    assert symbol.kind is types.SymbolKind.Function


def _depth(outline: list[dict[str, Any]]) -> int:
    depth = 0
    while outline:
        depth += 1
        outline = outline[0].get("children", [])
    return depth


def test_symbols_nest_as_deep_as_a_well_formed_document_then_flatten() -> None:
    for levels in (MAX_OUTLINE_DEPTH - 1, MAX_OUTLINE_DEPTH, MAX_OUTLINE_DEPTH + 1, 3000):
        text = "<Response>" + "<ForEach Source='a'>" * (levels - 1)
        outline = symbols(scan(text), LineIndex(text))
        assert _depth(outline) == min(levels, MAX_OUTLINE_DEPTH + 1)
        # Every element is in the outline once, those below the deepest level in order.
        node = outline[0]
        for _ in range(min(levels, MAX_OUTLINE_DEPTH) - 1):
            node = node["children"][0]
        below = node.get("children", [])
        assert len(below) == levels - min(levels, MAX_OUTLINE_DEPTH)
        starts = [s["range"]["start"]["character"] for s in below]
        assert starts == sorted(starts)
        assert all("children" not in s for s in below)


# -- code actions' edits --------------------------------------------------------------------


def test_the_difference_of_two_texts_is_one_edit() -> None:
    edit = _difference("abcdef", "abXYdef")
    assert (edit.start, edit.end, edit.text) == (2, 3, "XY")


def test_suppression_goes_at_the_line_end_or_before_a_multiline_tag() -> None:
    text = '<Response>\n  <Speak Txt="a">x</Speak>\n</Response>\n'
    result = parse(text)
    [finding] = lint(text)
    edit = suppression(result.source, finding)
    assert edit is not None
    end = text.index("</Speak>") + len("</Speak>")
    assert (edit.start, edit.end, edit.text) == (end, end, " <!-- ozml: noqa OZ103 -->")

    multi = '<Response>\n  <Speak Language="en-US"\n         Txt="a">x</Speak>\n</Response>\n'
    [finding] = lint(multi)
    edit = suppression(parse(multi).source, finding)
    assert edit is not None
    end = multi.index("</Speak>") + len("</Speak>")
    assert (edit.start, edit.text) == (end, " <!-- ozml: noqa OZ103 -->")
    fixed = multi[: edit.start] + edit.text + multi[edit.end :]
    assert lint(fixed) == []


def test_safe_fixes_together_skip_clashing_edits() -> None:
    text = '<Response><Forward destination="1"/><Play Repeat="True">a.wav</Play></Response>'
    edits = safe_edits(lint(text))
    fixed = text
    for edit in reversed(edits):
        fixed = fixed[: edit.start] + edit.text + fixed[edit.end :]
    assert fixed == (
        '<Response><ForwardCall Destination="1"/><Play Repeat="true">a.wav</Play></Response>'
    )


def test_suppression_goes_on_its_own_line_when_the_line_ends_inside_a_comment() -> None:
    text = '<Response>\n  <Speak Txt="a">x</Speak> <!-- a note\n  that goes on -->\n</Response>\n'
    [finding] = lint(text)
    edit = suppression(parse(text).source, finding)
    assert edit is not None
    at = text.index("<Speak")
    assert (edit.start, edit.end, edit.text) == (at, at, "<!-- ozml: noqa OZ103 -->\n  ")


def test_suppression_extends_a_noqa_comment_that_covers_the_line() -> None:
    text = (
        '<Response>\n  <Speak Txt="a" Party="x">x</Speak> <!-- ozml: noqa OZ103 -->\n</Response>\n'
    )
    [finding] = lint(text)
    assert finding.code == "OZ202"
    edit = suppression(parse(text).source, finding)
    assert edit is not None
    at = text.index("OZ103") + 5
    assert (edit.start, edit.end, edit.text) == (at, at, ",OZ202")


@settings(max_examples=300, deadline=None)
@given(text_strategy, st.integers(0, 40), st.integers(0, 40), text_strategy)
def test_an_edited_line_index_equals_a_fresh_one(text: str, a: int, b: int, inserted: str) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    edited = LineIndex(text).edited(start, end, inserted)
    fresh = LineIndex(text[:start] + inserted + text[end:])
    assert edited.text == fresh.text
    assert edited.starts == fresh.starts


def test_empty_editor_settings_mean_not_set() -> None:
    """An editor's settings page writes "" for a cleared field, and sends its own settings
    (the VS Code extension's path, config and xmlFiles) in the same section: none is a problem."""
    raw = {"context": "", "ruleDocsUrl": "", "path": "ozml", "config": "", "xmlFiles": []}
    assert ServerOptions.from_client(raw) == (ServerOptions(), [])


def test_a_rule_links_to_its_page() -> None:
    from ozml.lsp import settings

    page = Path(settings.__file__).resolve().parents[2] / "docs" / "rules" / "OZ201.md"
    found = ServerOptions().rule_link("OZ201", "missing-parameter")
    assert found == (page.as_uri() if page.is_file() else None)
    assert ServerOptions().rule_link("OZ999", "nothing") is None
    assert ServerOptions().rule_link("OZ201", "missing-parameter") is found  # looked up once
    chosen = ServerOptions(rule_docs_url="https://docs.example/{code}-{name}")
    assert chosen.rule_link("OZ201", "missing-parameter") == (
        "https://docs.example/OZ201-missing-parameter"
    )


def test_a_request_is_answered_with_the_garbage_collector_paused() -> None:
    from ozml.lsp.server import _guarded

    seen: list[bool] = []

    def handler(value: int) -> int:
        seen.append(gc.isenabled())
        return value

    def failing() -> None:
        seen.append(gc.isenabled())
        raise ValueError("a bug")

    assert _guarded("test", handler)(5) == 5
    assert _guarded("test", failing)() is None
    assert seen == [False, False]
    assert gc.isenabled()


def test_a_lint_for_the_editor_runs_with_the_garbage_collector_paused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ozml.lsp.linting import Linter

    linter = Linter(ServerOptions, lambda message: None)
    seen: list[bool] = []
    made = linter._analyse

    def watched(doc: OpenDocument, text: str, version: int) -> object:
        seen.append(gc.isenabled())
        return made(doc, text, version)

    monkeypatch.setattr(linter, "_analyse", watched)
    text = "<Response><Speek>Hi</Speek></Response>"
    analysis = linter.analyse(OpenDocument("file:///a.xml", text, 1), text, 1)
    assert [d.code for d in analysis.published] == ["OZ102"]
    assert seen == [False]
    assert gc.isenabled()


def test_integers_python_cannot_read_are_read_as_out_of_range_and_nothing_else_changes() -> None:
    from ozml.lsp.stdin import OUT_OF_RANGE, bounded_numbers

    many = "9" * 5000
    plain = b'{"id": 1, "params": {"line": 12, "x": 1.5e3, "text": "a \\" 9"}}'
    assert bounded_numbers(plain) is plain  # no long run of digits: not even copied
    body = (
        f'{{"id": 1, "params": {{"line": {many}, "character": -{many}, "f": {many}.5,'
        f' "e": 1e{many}, "text": "<Delay>{many}</Delay> \\"{many}\\""}}}}'
    ).encode()
    found = json.loads(bounded_numbers(body))
    assert found["params"]["line"] == int(OUT_OF_RANGE)
    assert found["params"]["character"] == -int(OUT_OF_RANGE)
    assert found["params"]["f"] == float("inf")  # a float: read whatever its length
    assert found["params"]["text"] == f'<Delay>{many}</Delay> "{many}"'  # strings untouched
    assert bounded_numbers(body, limit=0) is body  # no limit (PYTHONINTMAXSTRDIGITS=0)


def test_bounding_numbers_reads_each_run_of_digits_once() -> None:
    within(
        """
        from ozml.lsp.stdin import bounded_numbers

        runs = ("1" * 4300 + ".5, ") * 2_000 + "9" * 5000  # 8.6 MB of floats, then one integer
        body = ("[" + runs + "]").encode()
        assert bounded_numbers(body).endswith(b"4294967296]")
        """,
        seconds=30.0,
    )
