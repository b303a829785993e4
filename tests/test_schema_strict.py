"""The strict schema (``ozml schema --strict``, schema/ozml-strict.xsd) beside the published one.

The published schema rejects only what ``ozml check`` reports as an error, so it takes child
elements wherever the vendor shows none (whether Speak, Delay, ... take any is UNKNOWN, spec §2)
and, as XSD 1.0 cannot type text beside elements, checks no element text. The strict schema is
the same generator with one switch: it also enforces the assumed child-element facts
(``Command.children_fact``), so it rejects exactly the child-not-allowed (OZ104) warnings as
well, and types element text again. Checked here with the real ``xmllint``, lxml and the
pure-Python ``xmlschema``:

* both files are generated, shipped, loadable and valid XSD 1.0;
* every shipped example and every vendor seed validates against both;
* on drawn documents the strict schema rejects exactly what ozml reports as a structural error
  or as a child-not-allowed warning, and never takes what the published schema rejects;
* every element in every container, every text type, every rule-page example.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import xmlschema
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from lxml import etree
from schema_support import REPO, ozml, padded, text_takes, valid_examples, xmllint
from test_differential import (
    CONTAINERS,
    LAYOUT,
    LXML_SCHEMA,
    OPEN,
    OZML_COMMANDS,
    PARTS,
    ROOTS,
    STRAY_TEXT,
    TEXT_PARAMS,
    documents,
    every_element_in,
    minimal,
    placed,
    structural,
    value_strategy,
)
from test_schema import SEEDS
from test_schema_examples import BEYOND_XSD, DOCUMENTS, _shown

from ozml.catalog import ALL, ChildPolicy, Command, Param
from ozml.diagnostics import Diagnostic, Severity
from ozml.generate import drift
from ozml.generate.xsd import (
    PACKAGE_PATH,
    SCHEMA_PATH,
    STRICT_PACKAGE_PATH,
    STRICT_SCHEMA_PATH,
    generate,
    outputs,
    type_name,
)
from ozml.lint import lint

HONEST = REPO / SCHEMA_PATH
STRICT = REPO / STRICT_SCHEMA_PATH
STRICT_LXML = etree.XMLSchema(etree.parse(str(STRICT)))
STRICT_PY = xmlschema.XMLSchema10(str(STRICT))


def _xmllint_valid(schema: Path, path: Path) -> bool:
    result = xmllint(schema, path)
    # 0: valid; 3: invalid; 1: not well-formed XML (a rejection as well).
    assert result.returncode in (0, 1, 3), result.stderr
    return result.returncode == 0


def strict_findings(findings: list[Diagnostic]) -> list[Diagnostic]:
    """What the strict schema rejects a document for: ozml's errors an XSD can express
    (`structural`, text beside child elements included, since the strict schema takes no child
    elements where the vendor shows none), and every child-not-allowed warning (the assumed
    nesting facts it enforces)."""
    assumed = [f for f in findings if f.code == "OZ104" and f.severity is Severity.WARNING]
    return structural(findings) + assumed


def _strict_verdicts(text: str) -> tuple[bool, bool, bool, bool, str]:
    """(ozml, strict lxml, strict xmlschema, published lxml, explanation)."""
    data = text.encode("utf-8")
    findings = lint(data)
    expected = not strict_findings(findings)
    strict_lxml = STRICT_LXML.validate(etree.fromstring(data))
    errors = [e.message for e in STRICT_LXML.error_log]
    strict_py = STRICT_PY.is_valid(text)
    honest = LXML_SCHEMA.validate(etree.fromstring(data))
    explanation = "\n".join(
        [
            f"document: {text}",
            f"ozml: {[f'{f.code} {f.severity.label} {f.message}' for f in findings]}",
            f"strict lxml: {errors}",
        ]
    )
    return expected, strict_lxml, strict_py, honest, explanation


def _agree(text: str) -> bool:
    expected, strict_lxml, strict_py, honest, explanation = _strict_verdicts(text)
    assert expected == strict_lxml == strict_py, explanation
    assert honest or not strict_lxml, "the strict schema takes what the published one rejects"
    return expected


def _drawn_agree(text: str) -> None:
    """A drawn document: the strict schema is invalid exactly where ozml reports a structural
    error or a child-not-allowed warning, libxml2 and xmlschema agree, and it takes nothing the
    published schema rejects; what only it rejects has such a warning or an error on the
    element's text."""
    expected, strict_lxml, strict_py, honest, explanation = _strict_verdicts(text)
    note(explanation)
    event(f"strict={strict_lxml} published={honest}")
    assert strict_lxml == strict_py, "the two XSD validators disagree"
    assert expected == strict_lxml
    assert honest or not strict_lxml
    if honest and not strict_lxml:
        findings = lint(text)
        assert [f for f in findings if f.code in ("OZ104", "OZ105", "OZ202")], explanation


# --- the files ----------------------------------------------------------------------------------


def test_both_schemas_are_generated_and_checked_in() -> None:
    mine = set(outputs(REPO))
    assert mine == {SCHEMA_PATH, PACKAGE_PATH, STRICT_SCHEMA_PATH, STRICT_PACKAGE_PATH}
    stale = [p for p in drift(REPO) if p in mine]
    assert stale == [], "run `python -m ozml.generate` and commit the result"
    assert (REPO / STRICT_PACKAGE_PATH).read_bytes() == STRICT.read_bytes()
    assert generate(strict=True) == STRICT.read_text(encoding="utf-8")
    assert generate() == HONEST.read_text(encoding="utf-8")
    assert generate(strict=True) != generate()


def test_generate_check_finds_a_stale_strict_schema(tmp_path: Path) -> None:
    """`python -m ozml.generate --check` names the strict schema when it differs."""
    for path, content in outputs(REPO).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(content, encoding="utf-8")
    stale = tmp_path / STRICT_SCHEMA_PATH
    stale.write_text(HONEST.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ozml.generate", "--check", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert f"out of date: {STRICT_SCHEMA_PATH} " in done.stderr
    assert f"out of date: {SCHEMA_PATH} " not in done.stderr


def test_xmlschema_takes_the_strict_schema_as_valid_xsd_1_0() -> None:
    meta = xmlschema.XMLSchema10.meta_schema
    if not meta.built:
        meta.build()
    meta.validate(str(STRICT))  # conforms to the XSD 1.0 schema for schemas
    schema = xmlschema.XMLSchema10(str(STRICT), validation="strict")
    assert schema.validity == "valid"
    assert sorted(schema.elements) == ["OzML", "Response"]


def test_the_header_says_what_the_strict_schema_adds() -> None:
    head = STRICT.read_text(encoding="utf-8").split("-->", 1)[0]
    text = " ".join(head.split())
    assert "STRICT" in text
    assert "ozml-strict.xsd, which `ozml schema` prints with its strict option" in text
    assert "child elements where the vendor does not show them" in text
    assert "only warns about" in text
    assert "assumed" in text
    assert "STRICT" not in HONEST.read_text(encoding="utf-8").split("-->", 1)[0]


def test_the_strict_types_say_where_they_rest_on_an_assumption() -> None:
    """Hover text: each element whose child elements the strict schema refuses only by
    assumption says so, with the spec's citation."""
    tree = etree.parse(str(STRICT))
    xs = "{http://www.w3.org/2001/XMLSchema}"
    docs = {
        t.get("name"): "".join(t.find(f"{xs}annotation").itertext())
        for t in tree.getroot().iterchildren(f"{xs}complexType")
    }
    for cmd in ALL:
        if type_name(cmd) not in docs or not cmd.documented:
            continue
        doc = docs[type_name(cmd)]
        fact = cmd.children_fact
        assert ("Strict schema:" in doc) == (not fact.stated), cmd.name
        if not fact.stated:
            assert fact.citation() in doc, cmd.name
    assert "Strict schema:" not in HONEST.read_text(encoding="utf-8")


def test_every_element_whose_children_are_assumed_is_closed() -> None:
    for cmd in ALL:
        if cmd.name not in {c.name for c in PARTS + OZML_COMMANDS + ROOTS}:
            continue
        xsd_type = STRICT_PY.types[type_name(cmd)]
        if not cmd.documented:  # D6: contents unknown, no child-not-allowed finding
            assert xsd_type.mixed, cmd.name
        elif cmd.children is ChildPolicy.NONE:
            assert xsd_type.has_simple_content(), cmd.name
        else:
            assert not xsd_type.has_simple_content(), cmd.name
    assert "Elements" not in STRICT_PY.groups  # the open content is used nowhere


# --- documents ----------------------------------------------------------------------------------


EXAMPLES = valid_examples()


@pytest.mark.parametrize("schema", [SCHEMA_PATH, STRICT_SCHEMA_PATH], ids=str)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(REPO)))
def test_xmllint_validates_every_example_against_both(schema: Path, path: Path) -> None:
    result = xmllint(REPO / schema, path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("validates")


@pytest.mark.parametrize("schema", [SCHEMA_PATH, STRICT_SCHEMA_PATH], ids=str)
@pytest.mark.parametrize("name", sorted(SEEDS))
def test_xmllint_validates_every_vendor_seed_against_both(
    schema: Path, name: str, tmp_path: Path
) -> None:
    path = tmp_path / f"{name}.xml"
    path.write_text(SEEDS[name], encoding="utf-8")
    result = xmllint(REPO / schema, path)
    assert result.returncode == 0, result.stderr


#: Valid to the published schema, invalid to the strict one: each an assumed child element
#: (OZ104 warning) or text the strict schema types again (an error to ozml), with xmllint's
#: message.
ONLY_STRICT_REJECTS = {
    "<Delay>soon</Delay>": "'soon' is not a valid value of the union type 'SecondsText'",
    "<Speak>x<Play>a.wav</Play></Speak>": "Element 'Speak': Element content is not allowed",
    "<Reject>now</Reject>": "Element 'Reject': [facet 'pattern'] The value 'now' is not accepted",
    "<Call>not a number</Call>": "is not a valid value of the union type 'PhoneNumberText'",
    "<Hangup><Speak>Bye</Speak></Hangup>": "Element 'Hangup': Element content is not allowed",
    '<ForEach Source="a"><Item>x</Item></ForEach>': "Element 'Item': This element is not expected",
    "<UserInput><Speak>x</Speak></UserInput>": "Element 'Speak': This element is not expected",
}


@pytest.mark.parametrize("body", sorted(ONLY_STRICT_REJECTS))
def test_the_strict_schema_rejects_what_the_published_one_takes(body: str, tmp_path: Path) -> None:
    text = f"<Response>{body}</Response>"
    path = tmp_path / "doc.xml"
    path.write_text(text, encoding="utf-8")
    assert _xmllint_valid(HONEST, path), text
    result = xmllint(STRICT, path)
    assert result.returncode == 3, result.stderr
    assert ONLY_STRICT_REJECTS[body] in result.stderr
    findings = lint(text)
    assert strict_findings(findings), _shown(findings)
    assert not _agree(text)


def test_speak_holding_play_is_a_warning_valid_only_to_the_published_schema(
    tmp_path: Path,
) -> None:
    text = "<Response><Speak>x<Play>a.wav</Play></Speak></Response>"
    path = tmp_path / "doc.xml"
    path.write_text(text, encoding="utf-8")
    found = [(f.code, f.severity) for f in lint(text)]
    assert found == [("OZ104", Severity.WARNING)]
    assert _xmllint_valid(HONEST, path)
    assert not _xmllint_valid(STRICT, path)


#: Text the strict schema still takes: what ozml only warns about, or finds nothing wrong with.
STRICT_TAKES = [
    "<Delay> 5 </Delay>",
    "<Delay>$wait</Delay>",
    "<Delay>\u00a05</Delay>",  # other white space: only a warning (the PBX may trim it)
    "<Reject> </Reject>",
    "<Reject>\u00a0</Reject>",
    "<Hangup>now</Hangup>",  # that Hangup takes no text is assumed (OZ105 warning)
    "<ForwardCall>102</ForwardCall>",
    "<Speak>Hi<!-- x --> there</Speak>",
    "<Call>102</Call><BlindTransfer>102</BlindTransfer>",
    "<UserInput>1<Inputs><Input Key='1'><Speak>One</Speak></Input></Inputs></UserInput>",
]


@pytest.mark.parametrize("body", STRICT_TAKES)
def test_the_strict_schema_takes_text_ozml_does_not_reject(body: str) -> None:
    text = f"<Response>{body}</Response>"
    assert {f.severity for f in lint(text)} <= {Severity.WARNING}, _shown(lint(text))
    assert _agree(text), text


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(documents(any_text=True))
def test_strict_schema_rejects_exactly_errors_and_assumed_children(text: str) -> None:
    """On drawn documents (misplaced, unknown and nested elements, bad values as attributes
    and as text): the strict schema is invalid exactly where ozml reports a structural error
    or a child-not-allowed warning, libxml2 and xmlschema agree, and it takes nothing the
    published schema rejects. So a document only the strict schema rejects always has an
    ozml finding: an OZ104 warning that says its fact is assumed, or an error on its text."""
    _drawn_agree(text)


@st.composite
def assumed_content(draw: st.DrawFn) -> str:
    """An element whose child elements are only assumed (Speak, Delay, ForEach, UserInput, ...)
    holding drawn text (any value of its text parameter, or stray text) and drawn elements (a
    command, a part, a nested root), where it belongs in a document: where the two schemas
    differ."""
    parent = draw(st.sampled_from(OPEN))
    element = minimal(parent)
    text_param = parent.text_param
    if text_param is not None and draw(st.booleans()):
        element.text = draw(LAYOUT) + draw(value_strategy(text_param)) + draw(LAYOUT)
    elif draw(st.integers(0, 3)) == 0:
        element.text = draw(STRAY_TEXT)
    for _ in range(draw(st.integers(0, 2))):
        child_cmd = draw(st.sampled_from(ROOTS + PARTS + OZML_COMMANDS))
        child = minimal(child_cmd, draw(st.sampled_from(child_cmd.all_names)))
        element.append(child)
        child.tail = draw(st.one_of(LAYOUT, STRAY_TEXT)) or None
    return placed(element, parent)


@settings(max_examples=300, deadline=None)
@given(assumed_content())
def test_where_the_schemas_differ_the_strict_one_rejects_exactly_ozmls_findings(
    text: str,
) -> None:
    """In an element whose child elements are only assumed: the strict schema rejects exactly
    what ozml reports as an error or as a child-not-allowed warning; what only it rejects has
    such a warning or an error on the element's text."""
    _drawn_agree(text)


@pytest.mark.parametrize("parent", CONTAINERS, ids=[c.name for c in CONTAINERS])
def test_every_element_in_every_container(parent: Command) -> None:
    every_element_in(parent, _agree)


@pytest.mark.parametrize(("cmd", "param"), TEXT_PARAMS, ids=lambda x: getattr(x, "name", ""))
def test_element_text_is_typed_as_ozml_checks_it(cmd: Command, param: Param | None) -> None:
    """The strict schema's own type for each element's text (not a type built apart): valid
    exactly where ozml finds no error in the text."""
    assert param is not None
    content = STRICT_PY.types[type_name(cmd)].content

    @settings(max_examples=60, deadline=None)
    @given(padded(value_strategy(param)))
    def check(text: str) -> None:
        assert content.is_valid(text) == text_takes(param, text), (cmd.name, text)

    check()


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_rule_page_and_example_document(name: str, tmp_path: Path) -> None:
    """Every example of every rule page and under examples/ (examples/bad/ included), with
    xmllint and xmlschema: the strict schema rejects a document exactly where ozml reports a
    structural error or a child-not-allowed warning (but for `BEYOND_XSD`, as for the
    published schema), and rejects whatever the published schema rejects."""
    text = DOCUMENTS[name]
    path = tmp_path / "example.xml"
    path.write_text(text, encoding="utf-8")
    findings = lint(text.encode("utf-8"))
    by_xmllint = not _xmllint_valid(STRICT, path)
    try:
        by_xmlschema = not STRICT_PY.is_valid(str(path))
    except xmlschema.XMLResourceError:  # not XML to it (an entity it refuses, a syntax error)
        by_xmlschema = True
    if not any(f.code == "OZ002" for f in findings):
        assert by_xmlschema == by_xmllint, "xmllint and xmlschema disagree"
    rejected = by_xmllint or by_xmlschema
    explanation = f"{name}\n{text}\n" + "\n".join(_shown(findings))
    if not _xmllint_valid(HONEST, path):
        assert rejected, "the strict schema takes what the published one rejects:\n" + explanation
    if name in BEYOND_XSD:
        assert rejected, explanation
        return
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if rejected:
        assert errors or strict_findings(findings), explanation
    if strict_findings(findings):
        assert rejected, "the strict schema takes what it can express:\n" + explanation


# --- ozml schema --strict -----------------------------------------------------------------------


def test_ozml_schema_strict_prints_the_strict_schema(tmp_path: Path) -> None:
    result = ozml("schema", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == STRICT.read_text(encoding="utf-8")


def test_ozml_schema_strict_output_writes_it(tmp_path: Path) -> None:
    target = tmp_path / "ozml-strict.xsd"
    result = ozml("schema", "--strict", "--output", str(target), cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert target.read_bytes() == STRICT.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["ozml-strict.xsd"]


def test_ozml_schema_help_says_what_strict_adds(tmp_path: Path) -> None:
    result = ozml("schema", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "--strict" in text
    assert "child elements where the vendor does not show them" in text
    assert "only warns about" in text
    assert "assumed" in text
    assert "element text" in text
