"""The published schema and ``ozml check`` on every example document the project ships.

A schema violation is an error to its users (xmllint exits 3, an editor underlines it red), and
ozml reports an error only for what the vendor states. So:

* a document the schema rejects has at least one error from ozml, and
* every error of ozml's that the schema can express (`test_differential.structural`, but for
  text beside child elements, `_expressible`) is a rejection by the schema.

Checked on every example of every rule's page (docs/rules/) and every document under examples/
(examples/bad/ breaks one rule per file), with the real ``xmllint`` and with the pure-Python
``xmlschema`` as a second opinion. The few documents outside what XSD 1.0 can say are listed in
`BEYOND_XSD` with the reason docs/schema.md gives ("Where the schema and ozml check differ").
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import xmlschema
from lxml import etree
from test_differential import PY_SCHEMA, SCHEMA, structural

from ozml.catalog import command
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint import lint

REPO = Path(__file__).resolve().parent.parent
XMLLINT = shutil.which("xmllint") or "/usr/bin/xmllint"
_XML_BLOCK = re.compile(r"^```xml\n(.*?)^```", re.M | re.S)


def _documents() -> dict[str, str]:
    """Every example: ``docs/rules/OZ105.md#1`` (the page's first XML block), and each
    ``examples/**/*.xml`` by its path."""
    found: dict[str, str] = {}
    for page in sorted((REPO / "docs" / "rules").glob("OZ*.md")):
        blocks = _XML_BLOCK.findall(page.read_text(encoding="utf-8"))
        for number, block in enumerate(blocks, 1):
            found[f"{page.relative_to(REPO)}#{number}"] = block
    for path in sorted((REPO / "examples").rglob("*.xml")):
        found[str(path.relative_to(REPO))] = path.read_text(encoding="utf-8")
    return found


DOCUMENTS = _documents()

#: Documents the schema rejects though ozml only warns, because XSD 1.0 cannot say what ozml
#: does: name → why (docs/schema.md, "Where the schema and ozml check differ").
BEYOND_XSD = {
    "docs/rules/OZ303.md#1": "letter case of names (D3): XML Schema names are case-sensitive",
    "examples/bad/OZ303-non-canonical-case.xml": "letter case of names (D3): XML Schema names"
    " are case-sensitive",
}


def _expressible(findings: list[Diagnostic]) -> list[Diagnostic]:
    """ozml's errors the schema can express (`structural`), but for a value written as the
    text of an element whose child elements are only assumed (``<Delay>five</Delay>``): the
    schema takes child elements there, and XSD 1.0 cannot type text beside them
    (docs/schema.md, "Where the schema and ozml check differ")."""
    return [
        f
        for f in structural(findings)
        if not (
            f.code == "OZ202"
            and _IN_TEXT.match(f.message)
            and not command(f.message.split(" ", 1)[0]).children_fact.stated
        )
    ]


_IN_TEXT = re.compile(r"\w+ \w+ \(the element text\) must be ")


def _xmllint_rejects(path: Path) -> bool:
    result = subprocess.run(
        [XMLLINT, "--noout", "--nonet", "--schema", str(SCHEMA), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # 0: valid; 3: invalid; 1: not well-formed XML (a rejection as well).
    assert result.returncode in (0, 1, 3), result.stderr
    return result.returncode != 0


def _xmlschema_rejects(path: Path) -> bool:
    try:
        return not PY_SCHEMA.is_valid(str(path))
    except xmlschema.XMLResourceError:  # not XML to it (an entity it refuses, a syntax error)
        return True


def _shown(findings: list[Diagnostic]) -> list[str]:
    return [f"{f.line}:{f.column} {f.code} {f.severity.label} {f.message}" for f in findings]


def test_every_rule_page_and_every_example_is_covered() -> None:
    pages = {name.split("#")[0] for name in DOCUMENTS if name.startswith("docs/")}
    assert len(pages) == len(list((REPO / "docs" / "rules").glob("OZ*.md")))
    assert any(name.startswith("examples/bad/") for name in DOCUMENTS)
    assert set(BEYOND_XSD) <= set(DOCUMENTS)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_schema_rejects_only_what_ozml_reports_as_an_error(name: str, tmp_path: Path) -> None:
    text = DOCUMENTS[name]
    path = tmp_path / "example.xml"
    path.write_text(text, encoding="utf-8")
    findings = lint(text.encode("utf-8"))
    by_xmllint, by_xmlschema = _xmllint_rejects(path), _xmlschema_rejects(path)
    if not any(f.code == "OZ002" for f in findings):
        # A DOCTYPE or an entity reference is up to each validator's parser (docs/schema.md).
        assert by_xmlschema == by_xmllint, "xmllint and xmlschema disagree"
    rejected = by_xmllint or by_xmlschema
    errors = [f for f in findings if f.severity is Severity.ERROR]
    explanation = f"{name}\n{text}\n" + "\n".join(_shown(findings))
    if name in BEYOND_XSD:
        # Still true, or the entry is stale: rejected, with nothing but warnings from ozml.
        assert rejected, explanation
        assert not errors, explanation
        return
    if rejected:
        assert errors, "the schema rejects what ozml only warns about:\n" + explanation
    if _expressible(findings):
        assert rejected, "the schema takes an error it can express:\n" + explanation


def test_the_schema_takes_the_vendors_seed_documents_as_ozml_does() -> None:
    """The vendor's own examples (examples/seeds/) are valid to the schema, and ozml reports no
    error in them: a schema that rejected one would reject what the vendor wrote."""
    seeds = [name for name in DOCUMENTS if name.startswith("examples/seeds/")]
    assert seeds
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    for name in seeds:
        document = etree.fromstring(DOCUMENTS[name].encode("utf-8"))
        assert schema.validate(document), (name, schema.error_log)
        assert not [f for f in lint(DOCUMENTS[name]) if f.severity is Severity.ERROR], name


def _assumed_rows() -> list[tuple[str, str]]:
    """(example, rule code) of each example of docs/schema.md's table of assumed facts."""
    page = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    section = page.split("## What the schema leaves to `ozml check` because it is only assumed")[1]
    section = section.split("\n## ")[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != 4 or not cells[3].endswith(")") or "OZ" not in cells[3]:
            continue
        code = re.search(r"OZ\d{3}", cells[3])
        assert code, line
        for example in re.findall(r"`([^`]+)`", cells[2]):
            rows.append((example, code.group()))
    return rows


ASSUMED_ROWS = _assumed_rows()


def test_the_table_of_assumed_facts_has_an_example_for_each_rule() -> None:
    assert {code for _, code in ASSUMED_ROWS} == {
        "OZ103", "OZ104", "OZ105", "OZ201", "OZ202", "OZ501"
    }  # fmt: skip


@pytest.mark.parametrize(("example", "code"), ASSUMED_ROWS, ids=[e for e, _ in ASSUMED_ROWS])
def test_each_example_of_an_assumed_fact_is_a_warning_and_valid(
    example: str, code: str, tmp_path: Path
) -> None:
    """docs/schema.md's examples of what only an assumed fact forbids: ozml warns (the rule the
    row names) and reports no error, and xmllint and xmlschema take the document."""
    text = example if example.startswith("<Response") else f"<Response>{example}</Response>"
    findings = lint(text)
    assert [f.severity for f in findings if f.code == code] == [Severity.WARNING], findings
    assert not [f for f in findings if f.severity is Severity.ERROR], _shown(findings)
    path = tmp_path / "example.xml"
    path.write_text(text, encoding="utf-8")
    assert not _xmllint_rejects(path), text
    assert not _xmlschema_rejects(path), text
