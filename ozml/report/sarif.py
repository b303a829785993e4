"""SARIF 2.1.0, the format of GitHub code scanning and other code-analysis dashboards.

One run, with the tool's rules as metadata (id, name, short and full description, the rule's
documentation page as ``help`` text and Markdown, its default level) and one result per finding
with a region (start and end line and column; ``columnKind`` is ``unicodeCodePoints``, since
ozml counts characters), the did-you-mean suggestion and fixes as SARIF fixes, and a
``partialFingerprints`` entry (the baseline fingerprint) so that dashboards follow a finding
when lines move. Files that could not be read are tool execution notifications.

File locations are relative to ``%SRCROOT%``, the folder ozml ran in, as GitHub expects when
``ozml check`` runs at the root of the checkout. ``helpUri`` points at the rule's page: under
``$OZML_DOCS_URL`` when that is set (for example the project's documentation site or its
``docs/rules/`` folder on a code host), else in the ``docs/rules/`` folder of the source tree
ozml runs from, when there is one; the full page is in ``help`` either way.

Artifact URIs name files exactly: the bytes of the file name, percent-encoded (so a name that
is not valid UTF-8, such as ``bad\\xff.xml``, becomes ``bad%FF.xml``). The text of a tool
notification is for people and shows the name through `style.printable`.

Results are written as they arrive into a spool (`ozml.report.spool`), so memory stays flat, and
the log reaches the output only when the run ends: a run that stops part-way prints nothing
rather than a truncated log.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path
from typing import Any, TextIO

from ozml.baseline import fingerprint
from ozml.diagnostics import Diagnostic, Fix, Severity
from ozml.lint.rule import Rule
from ozml.positions import Source
from ozml.report import FileReport, Options, Summary
from ozml.report.spool import Spool
from ozml.report.style import printable

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SRCROOT = "%SRCROOT%"
#: Placeholders in the run's JSON where results and the invocation are written.
_RESULTS = "\x00results\x00"
_INVOCATIONS = "\x00invocations\x00"


def docs_base() -> str | None:
    """Where the rules' pages are, as a URI prefix ending in ``/``, or None."""
    configured = os.environ.get("OZML_DOCS_URL", "").strip()
    if configured:
        return configured if configured.endswith("/") else configured + "/"
    here = Path(__file__).resolve().parent.parent.parent / "docs" / "rules"
    if here.is_dir():
        return here.as_uri() + "/"
    return None


def rules_metadata() -> list[dict[str, Any]]:
    """``tool.driver.rules``: every rule, in code order."""
    from ozml.lint import RULES

    base = docs_base()
    out: list[dict[str, Any]] = []
    for rule in RULES:
        doc = rule.documentation()
        summary = rule.summary()
        body = doc.split("\n", 1)[1].strip() if "\n" in doc else summary
        entry: dict[str, Any] = {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": body.split("\n\n", 1)[0].replace("\n", " ")},
            "help": {"text": doc, "markdown": _markdown(rule)},
            "defaultConfiguration": {"level": LEVELS[rule.severity]},
            "properties": {"fixable": rule.fixable.value, "tags": [rule.name]},
        }
        split = rule.severities()
        if split is not None:
            # Each result has its own level; the rule's default is the usual one, and its
            # properties say where the other applies.
            entry["defaultConfiguration"]["level"] = LEVELS[split.usual]
            entry["properties"]["severity"] = split.label
        if base is not None:
            entry["helpUri"] = f"{base}{rule.code}.md"
        out.append(entry)
    return out


def _markdown(rule: type[Rule]) -> str:
    """The rule's page as Markdown: its prose, then the two examples as XML code blocks."""
    doc = rule.documentation()
    prose = doc.split("\nFails::", 1)[0].strip()
    failing, passing = rule.examples()
    parts = [f"**{rule.code} {rule.name}**", "", prose]
    for title, example in (("Fails", failing), ("Passes", passing)):
        if example:
            parts += ["", f"{title}:", "", "```xml", example.rstrip("\n"), "```"]
    return "\n".join(parts) + "\n"


def artifact(path: str) -> dict[str, Any]:
    """An artifactLocation: relative to %SRCROOT% when below the current folder.

    The URI percent-encodes the bytes of the name as the file system has them (`os.fsencode`),
    so that every name, valid UTF-8 or not, is given exactly.
    """
    if path in ("-", "<stdin>"):
        return {"uri": "stdin"}
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    if relative.startswith(".."):
        try:
            return {"uri": Path(absolute).as_uri()}
        except (UnicodeError, ValueError):  # a name no file system gave (the Python API)
            return {"uri": "file://" + _quoted(absolute.replace(os.sep, "/"))}
    return {"uri": _quoted(relative.replace(os.sep, "/")), "uriBaseId": SRCROOT}


def _quoted(path: str) -> str:
    """`path` percent-encoded byte for byte, as the file system names it."""
    try:
        data = os.fsencode(path)
    except UnicodeError:  # a lone surrogate that is no undecodable byte
        data = path.encode("utf-8", "surrogatepass")
    return urllib.parse.quote(data)


def region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {
        "startLine": line,
        "startColumn": column,
        "endLine": end_line,
        "endColumn": max(end_column, column) if end_line == line else end_column,
    }


def _fixes(path: str, fix: Fix, source: Source | None) -> list[dict[str, Any]]:
    if source is None:
        return []
    replacements = []
    for edit in fix.edits:
        line, column = source.position(edit.start)
        end_line, end_column = source.position(edit.end)
        replacements.append(
            {
                "deletedRegion": region(line, column, end_line, end_column),
                "insertedContent": {"text": edit.text},
            }
        )
    return [
        {
            "description": {"text": fix.message + ("" if fix.safe else " (unsafe)")},
            "artifactChanges": [{"artifactLocation": artifact(path), "replacements": replacements}],
        }
    ]


def result(path: str, diagnostic: Diagnostic, source: Source | None, index: int) -> dict[str, Any]:
    span = diagnostic.span
    item: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": index,
        "level": LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact(path),
                    "region": region(span.line, span.column, span.end_line, span.end_column),
                }
            }
        ],
        "partialFingerprints": {"ozml/v1": fingerprint(diagnostic, source)},
    }
    if diagnostic.suggestion:
        item["properties"] = {"suggestion": diagnostic.suggestion}
    if diagnostic.fix is not None:
        fixes = _fixes(path, diagnostic.fix, source)
        if fixes:
            item["fixes"] = fixes
    return item


class Reporter:
    def __init__(self, stream: TextIO, options: Options) -> None:
        from ozml import __version__

        self.stream = stream
        self.options = options
        self.spool = Spool()
        rules = rules_metadata()
        self.index = {rule["id"]: i for i, rule in enumerate(rules)}
        self.count = 0
        self.notifications: list[dict[str, Any]] = []
        head = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "ozml",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "rules": rules,
                        }
                    },
                    "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri() + "/"}},
                    "columnKind": "unicodeCodePoints",
                    "results": _RESULTS,
                    "invocations": _INVOCATIONS,
                }
            ],
        }
        text = json.dumps(head, indent=2, ensure_ascii=False)
        # Results are streamed into the array as they arrive; the invocation (which needs the
        # whole run) is written at the end.
        before, after = text.split(json.dumps(_RESULTS))
        self.middle, self.end = after.split(json.dumps(_INVOCATIONS))
        self.spool.write(before + "[")

    def file(self, report: FileReport) -> None:
        if report.error is not None:
            location = {"physicalLocation": {"artifactLocation": artifact(report.path)}}
            self.notifications.append(
                {
                    "level": "error",
                    "message": {"text": printable(f"{report.path}: {report.error}")},
                    "locations": [location],
                }
            )
            return
        for diagnostic in report.diagnostics:
            item = result(
                report.path, diagnostic, report.source, self.index.get(diagnostic.code, -1)
            )
            if item["ruleIndex"] < 0:
                del item["ruleIndex"]
            body = json.dumps(item, ensure_ascii=False)
            self.spool.write(("\n" if self.count == 0 else ",\n") + body)
            self.count += 1

    def finish(self, summary: Summary) -> None:
        invocation = {
            "executionSuccessful": not self.notifications and not summary.unreadable,
            "toolExecutionNotifications": self.notifications,
        }
        closing = "\n      ]" if self.count else "]"
        invocations = json.dumps([invocation], ensure_ascii=False)
        self.spool.write(closing + self.middle + invocations + self.end + "\n")
        self.spool.copy_to(self.stream)
