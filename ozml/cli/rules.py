"""`ozml rules`: the lint rules, one per line."""

from __future__ import annotations

import argparse
import json

from ozml.cli.exits import OK

HELP = "List the lint rules: code, name, default severity, fixable, summary."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", "--output-format", dest="format", choices=("text", "json"), default="text"
    )


def _plain(text: str) -> str:
    """The summary without its reStructuredText literal marks, for the table."""
    return text.replace("``", "")


def run(args: argparse.Namespace) -> int:
    from ozml.lint import RULES
    from ozml.report.table import table

    if args.format == "json":
        items = [
            {
                "code": rule.code,
                "name": rule.name,
                "severity": rule.severity.label,
                "fixable": rule.fixable.value,
                "summary": rule.summary(),
            }
            for rule in RULES
        ]
        print(json.dumps(items, indent=2))
        return OK
    rows = [
        (rule.code, rule.name, rule.severity.label, rule.fixable.value, _plain(rule.summary()))
        for rule in RULES
    ]
    print(table(("CODE", "NAME", "SEVERITY", "FIXABLE", "SUMMARY"), rows), end="")
    print("\nSee `ozml rule CODE` for a rule's documentation and examples.")
    return OK
