"""`ozml rules`: the lint rules, one per line."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from ozml.cli.common import one_of
from ozml.cli.exits import OK

if TYPE_CHECKING:
    from ozml.lint.rule import Rule

HELP = "List the lint rules: code, name, default severity, fixable, summary."

#: Said under the table when a rule's findings have two severities.
_TWO = (
    "A severity such as warning/error: the rule reports both; `ozml rule CODE` says which"
    " findings have which."
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", "--output-format", dest="format", **one_of(("text", "json")), default="text"
    )


def _plain(text: str) -> str:
    """The summary without its reStructuredText literal marks, for the table."""
    return text.replace("``", "")


def _item(rule: type[Rule]) -> dict[str, object]:
    """A rule for ``--format json``: a rule whose findings have two severities has the usual
    one as its ``severity``, and ``also`` says which findings have the other."""
    split = rule.severities()
    item: dict[str, object] = {
        "code": rule.code,
        "name": rule.name,
        "severity": (rule.severity if split is None else split.usual).label,
        "fixable": rule.fixable.value,
        "summary": rule.summary(),
    }
    if split is not None:
        item["also"] = {"severity": split.other.label, "where": split.where}
    return item


def run(args: argparse.Namespace) -> int:
    from ozml.lint import RULES
    from ozml.report.table import table

    if args.format == "json":
        items = [_item(rule) for rule in RULES]
        print(json.dumps(items, indent=2))
        return OK
    rows = [
        (rule.code, rule.name, rule.severity_short(), rule.fixable.value, _plain(rule.summary()))
        for rule in RULES
    ]
    print(table(("CODE", "NAME", "SEVERITY", "FIXABLE", "SUMMARY"), rows), end="")
    if any(rule.severities() is not None for rule in RULES):
        print(f"\n{_TWO}")
    print("\nSee `ozml rule CODE` for a rule's documentation and examples.")
    return OK
