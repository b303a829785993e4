"""`ozml commands`: the catalog, one command per line."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from ozml.cli.common import one_of
from ozml.cli.exits import OK

if TYPE_CHECKING:
    from ozml.catalog import Command

HELP = "List the OzML commands: usage (OzML/HTTP), contexts, documented, summary."

#: Contexts in the order users think of them.
CONTEXT_ORDER = ("extension", "3pcc", "routing")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", "--output-format", dest="format", **one_of(("text", "json")), default="text"
    )


def usage_label(cmd: Command) -> str:
    from ozml.catalog import Usage

    return ", ".join(
        label for usage, label in ((Usage.OZML, "OzML"), (Usage.HTTP, "HTTP")) if usage in cmd.usage
    )


def context_values(cmd: Command) -> list[str]:
    values = {context.value for context in cmd.contexts}
    return [name for name in CONTEXT_ORDER if name in values]


def summary(cmd: Command) -> dict[str, Any]:
    """The catalog entry's overview, as the JSON output shows it."""
    return {
        "name": cmd.name,
        "kind": cmd.kind.value,
        "usage": sorted(usage.value for usage in cmd.usage),
        "contexts": context_values(cmd),
        "documented": cmd.documented,
        "aliases": [alias.name for alias in cmd.aliases],
        "doc": cmd.doc,
    }


def run(args: argparse.Namespace) -> int:
    from ozml.catalog import ALL, ElementKind
    from ozml.report.table import table

    if args.format == "json":
        print(json.dumps([summary(cmd) for cmd in ALL], indent=2))
        return OK
    headers = ("NAME", "USAGE", "CONTEXTS", "DOCUMENTED", "SUMMARY")

    def rows(kinds: set[ElementKind]) -> list[tuple[str, ...]]:
        return [
            (
                cmd.name,
                usage_label(cmd),
                ", ".join(context_values(cmd)) or "-",
                "yes" if cmd.documented else "no",
                cmd.doc,
            )
            for cmd in ALL
            if cmd.kind in kinds
        ]

    print(table(headers, rows({ElementKind.COMMAND})), end="")
    print("\nDocument structure (the root and the parts of commands):\n")
    print(table(headers, rows({ElementKind.ROOT, ElementKind.PART})), end="")
    print("\nSee `ozml command NAME` for a command's parameters.")
    return OK
