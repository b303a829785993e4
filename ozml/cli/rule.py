"""`ozml rule CODE|NAME`: one rule's documentation, with its failing and passing examples."""

from __future__ import annotations

import argparse
import sys

from ozml.cli.exits import OK, USAGE

HELP = "Show a lint rule's documentation and examples (by code, e.g. OZ201, or name)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", metavar="CODE|NAME", help="a rule code (OZ201) or name")


def run(args: argparse.Namespace) -> int:
    from ozml.lint import RULES, find

    rule = find(args.rule.strip())
    if rule is None:
        from ozml.lint.suggest import closest

        names = [r.code for r in RULES] + [r.name for r in RULES]
        guess = closest(args.rule, names, cutoff=0.6)
        hint = f"; did you mean {guess}?" if guess else ""
        print(
            f"ozml: error: unknown rule {args.rule!r}{hint} (`ozml rules` lists them all)",
            file=sys.stderr,
        )
        return USAGE
    print(f"{rule.code} {rule.name}")
    print(f"Severity: {rule.severity_label()}    Fixable: {rule.fixable.value}")
    print()
    print(rule.documentation())
    return OK
