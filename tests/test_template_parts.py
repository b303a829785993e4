"""One definition of a template part (docs/templates.md, "The one rule"): what the parser reads as
a part where it stands, and nothing else, so that text in a CDATA section or written with
character references is literal text. The builder, the parser, ``ozml check``, the dry run, the
formatter and the language server all ask it of `ozml.templates`, and agree.

The defect this holds: the builder writes plain text holding ``{{`` as a CDATA section, so that
it is no template part, and the parser read it so; but the linter decided from a value's text
alone, so that ``<Delay><![CDATA[{{ s }}]]></Delay>`` was a dynamic value (not checked) and the
``$w`` in ``<Speak><![CDATA[{{ $w }}]]></Speak>`` was no variable, while the dry run substituted
``$variables`` inside real template parts (``<Speak>{{ $v }}</Speak>`` ran as ``{{ V }}``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsp_support import client_fixture
from lsprotocol import types
from pytest_lsp import LanguageClient

from ozml import templates
from ozml.builder import Dynamic, Response, Speak, Var
from ozml.builder.base import BuildError
from ozml.diagnostics import Severity
from ozml.formatter import format_text
from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.lint import lint
from ozml.lsp.scan import scan
from ozml.lsp.variables import Variables
from ozml.nodes import Attribute, Element, Text
from ozml.parser import parse

CDATA_DELAY = "<Response>\n  <Delay><![CDATA[{{ s }}]]></Delay>\n</Response>\n"
CDATA_USE = """<Response>
  <Var Id="v">V</Var>
  <Speak><![CDATA[{{ $w }} {{ $v }}]]></Speak>
</Response>
"""
PART_USE = CDATA_USE.replace("<![CDATA[", "").replace("]]>", "")


def ozml(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- the defect, through the command line ---------------------------------------------------------


def test_a_value_in_a_cdata_section_is_checked_as_the_text_it_is(tmp_path: Path) -> None:
    (tmp_path / "delay.xml").write_text(CDATA_DELAY, encoding="utf-8")
    done = ozml("check", "--output-format", "concise", "delay.xml", cwd=tmp_path)
    # It was clean: `{{ s }}` counted as a template part inside the CDATA section.
    assert done.returncode == 1, done.stdout + done.stderr
    assert "delay.xml:2:19: OZ202 Delay Time (the element text) must be a number" in done.stdout
    assert templates.CDATA_ASSUMED in done.stdout
    # The rule that a CDATA section holds no part is assumed: the finding is a warning.
    (found,) = lint(CDATA_DELAY)
    assert (found.code, found.severity) == ("OZ202", Severity.WARNING)


def test_character_references_make_no_part_and_no_assumption() -> None:
    (found,) = lint("<Response><Delay>&#123;{ s }}</Delay></Response>")
    assert (found.code, found.severity) == ("OZ202", Severity.ERROR)
    assert templates.CDATA_ASSUMED not in found.message
    (found,) = lint('<Response><Play Repeat="&lt;%= r %&gt;">a.wav</Play></Response>')
    assert (found.code, found.severity) == ("OZ202", Severity.ERROR)
    assert lint('<Response><Play Repeat="<%= r %>">a.wav</Play></Response>') == []


def test_a_variable_in_a_cdata_section_is_one(tmp_path: Path) -> None:
    (tmp_path / "cdata.xml").write_text(CDATA_USE, encoding="utf-8")
    (tmp_path / "part.xml").write_text(PART_USE, encoding="utf-8")
    done = ozml("check", "--output-format", "concise", "cdata.xml", "part.xml", cwd=tmp_path)
    lines = [line for line in done.stdout.splitlines() if ": OZ" in line]
    # In the CDATA section `$w` is an OzML variable, not defined, and `$v` a use of the Var; in
    # the part both are the template's (the Var is then never used).
    assert len(lines) == 2, done.stdout
    assert lines[0].startswith("cdata.xml:3:22: OZ701 $w is not defined")
    assert templates.CDATA_ASSUMED in lines[0]
    assert lines[1] == "part.xml:2:12: OZ702 Var v is defined but $v is never used"


def test_the_dry_run_substitutes_no_variable_inside_a_part(tmp_path: Path) -> None:
    for name, text in (("cdata.xml", CDATA_USE), ("part.xml", PART_USE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = ozml("run", "--force", "part.xml", cwd=tmp_path)
    assert 'Speak Text="{{ $w }} {{ $v }}"' in done.stdout, done.stdout + done.stderr
    done = ozml("run", "--force", "cdata.xml", cwd=tmp_path)
    assert 'Speak Text="{{ $w }} {{ V }}"' in done.stdout, done.stdout + done.stderr


LITERAL = """<Response>
  <Delay>&#123;{ s }}</Delay>
  <Speak Text="&#123;{ s }} "/>
  <Speak>{{ a }}<![CDATA[{{ b }}]]></Speak>
</Response>
"""


def test_the_formatter_keeps_literal_text_literal(tmp_path: Path) -> None:
    # It wrote `{{ s }}` for `&#123;{ s }}`, and `{{ a }}{{ b }}` for the CDATA section: parts.
    (tmp_path / "literal.xml").write_text(LITERAL, encoding="utf-8")
    before = [(d.code, d.line) for d in lint(LITERAL)]
    done = ozml("fmt", "literal.xml", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    after = (tmp_path / "literal.xml").read_text(encoding="utf-8")
    assert "<Delay>&#123;{ s }}</Delay>" in after
    assert 'Text="&#123;{ s }} "' in after
    assert "{{ a }}<![CDATA[{{ b }}]]>" in after
    assert [(d.code, d.line) for d in lint(after)] == [(c, n + 1) for c, n in before]
    assert parse(after).document == parse(LITERAL).document


client = client_fixture()


@pytest.mark.asyncio
async def test_the_language_server_reads_a_cdata_section_as_ozml_check_does(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = (tmp_path / "script.xml").as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="xml", version=1, text=CDATA_USE)
        )
    )
    while True:
        published = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if published.uri == uri and published.version == 1:
            break
    assert [(d.code, d.severity) for d in published.diagnostics] == [
        ("OZ701", types.DiagnosticSeverity.Warning)
    ]
    line = CDATA_USE.splitlines()[2]
    at = CDATA_USE.splitlines()[1].index('"v"') + 1
    var = types.Range(types.Position(1, at), types.Position(1, at + 1))
    use = types.Range(types.Position(2, line.index("$v")), types.Position(2, line.index("$v") + 2))
    # The `$v` in the CDATA section is a use of the Var, as the linter and the dry run have it.
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            text_document=types.TextDocumentIdentifier(uri),
            position=types.Position(2, line.index("$v") + 1),
        )
    )
    assert refs is not None
    assert list(refs) == [types.Location(uri, var), types.Location(uri, use)]


# --- the one function ---------------------------------------------------------------------------


def test_the_parts_of_a_value_are_where_the_parser_found_them() -> None:
    root = parse("<Response><Speak> a {{ b }}&amp;<![CDATA[{{ c }}]]>{{ d }} </Speak></Response>")
    speak = root.document.root.children[0]  # type: ignore[union-attr]
    assert isinstance(speak, Element)
    assert speak.text == "a {{ b }}&{{ c }}{{ d }}"
    spans = templates.text_parts(speak)
    assert [speak.text[s:e] for s, e in spans] == ["{{ b }}", "{{ d }}"]
    assert templates.parts(speak.text, spans, {"php"}) == ()
    assert templates.dynamic_value(speak.text, (), templates.DEFAULT) is False  # its text alone
    assert templates.dynamic_value("$x", (), frozenset()) is True
    variables = templates.variables("$a {{ $b }} $c", ((3, 11),), templates.DEFAULT)
    assert [m.group() for m in variables] == ["$a", "$c"]
    assert templates.literal_in_cdata(speak, templates.DEFAULT)
    assert not templates.literal_in_cdata(speak, {"php"})
    # A value written as it is: what the parser would read there.
    assert templates.written_parts('{{ "<b>" }} {{ x }}') == ((12, 19),)
    assert templates.written_parts('{{ "x" }}', attribute=True) == ()
    assert templates.written_parts("<?php echo 1; ?>") == ()  # a processing instruction
    assert templates.written_parts("<?php echo 1; ?>", attribute=True) == ((0, 16),)


# --- every part agrees, on random text ----------------------------------------------------------

#: Openers and closers of every syntax, what XML escapes or CDATA cannot hold, and variables:
#: `$v` is defined, `$w` is not.
PIECES = st.sampled_from(
    ["{{", "}}", "{%", "%}", "{#", "#}", "${", "}", "<%", "%>", "<?=", "<?php", "?>", " ", "a",
     "$v", "$w", "<", ">", "&", "]]>", '"', "\n", "<b>"]
)  # fmt: skip
TEXT = st.lists(PIECES, max_size=10).map("".join)
_ALL = templates.DEFAULT


def _value_node(speak: Element) -> tuple[str, templates.Spans]:
    """The Speak's Text as written (as an attribute or as the element text) and its parts."""
    for attribute in speak.attributes:
        if attribute.name == "Text":
            return attribute.value, attribute.templates
    assert speak.text is not None
    return speak.text, templates.text_parts(speak)


def _built_spans(speak: Element) -> templates.Spans:
    for node in (*speak.attributes, *speak.children):
        if isinstance(node, Attribute | Text):
            return node.templates
    return ()


def _run_speak(xml: str) -> str:
    """The Text the dry run traces for the document's Speak."""
    _, program = compile_source(xml, "doc.xml")
    done = run_scenario(parse_scenario("", Path("scenario.toml")), program)
    (text,) = [e.params["Text"] for e in done.events if e.command == "Speak"]
    return text


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.booleans())
def test_builder_parser_linter_dry_run_formatter_and_language_server_agree(
    text: str, dynamic: bool
) -> None:
    try:
        value: str | Dynamic = Dynamic(text) if dynamic else text
        built = Response(Var("v", "V"), Speak(value))
        xml = built.to_xml()
    except (ValueError, BuildError):
        return  # refused at the call: what the builder cannot write to read back as given
    # The round trip text -> build -> parse -> text is exact, and so are the parts.
    read = parse(xml)
    assert read.problems == (), xml
    assert read.document == built.to_document(), xml
    root = read.document.root
    assert root is not None
    speak = root.children[1]
    assert isinstance(speak, Element)
    got, spans = _value_node(speak)
    assert got == text, xml
    built_speak = built.to_document().root.children[1]  # type: ignore[union-attr]
    assert isinstance(built_speak, Element)
    assert spans == _built_spans(built_speak), xml
    if not dynamic:
        assert spans == (), xml  # plain text is never a template part
    # The one rule: the OzML variables outside the parts.
    uses = list(templates.variables(got, spans, _ALL))
    undefined = [m for m in uses if m.group(1) != "v"]
    # ozml check: one undefined-variable per `$w...` outside a part, none inside.
    found = lint(xml)
    assert sum(d.code == "OZ701" for d in found) == len(undefined), (xml, found)
    # The dry run: `$v` outside a part is substituted, nothing inside one.
    expected = "".join(
        piece
        for piece in _substituted(got, [(m.start(), m.end()) for m in uses if m.group(0) == "$v"])
    )
    assert _run_speak(xml) == expected, xml
    # The language server: the same uses, also after a part holding "<" (its tolerant
    # scanner read `{{<%}}$v` as the tag `<%}}$v`).
    refs = [r.name for r in Variables(scan(xml, _ALL)).references if r.dollar]
    assert sorted(refs) == sorted(m.group(1) for m in uses), xml
    # The formatter keeps the text and its parts.
    again = parse(format_text(xml))
    assert again.document == read.document, xml
    assert again.document.root is not None
    formatted = again.document.root.children[1]
    assert isinstance(formatted, Element)
    assert _value_node(formatted) == (got, spans), xml


def _substituted(text: str, at: list[tuple[int, int]]) -> list[str]:
    pieces = []
    pos = 0
    for start, end in at:
        pieces += [text[pos:start], "V"]
        pos = end
    return [*pieces, text[pos:]]


def test_the_language_server_reads_a_variable_after_a_part_holding_a_less_than_sign() -> None:
    # Its tolerant scanner read `<%}}$v` as a tag (through a real client:
    # tests/test_lsp_template_parts.py).
    xml = '<Response><Var Id="v">V</Var><Speak>{{<%}}$v</Speak></Response>'
    refs = [r.name for r in Variables(scan(xml, _ALL), templates=_ALL).references if r.dollar]
    assert refs == ["v"]
