"""`ozml schema [--output FILE]`: print (or write) the OzML XML Schema.

The schema is the one generated from the catalog and shipped inside the package
(``ozml/data/ozml.xsd``, identical to the repository's ``schema/ozml.xsd``), so an installed ozml
can hand it to editors and XML tools. docs/schema.md says what it checks and how to use it.
"""

from __future__ import annotations

import argparse
import sys

from ozml.cli.common import nonempty
from ozml.cli.exits import OK

HELP = "Print the OzML XML Schema (XSD) for editors and XML tools."

DESCRIPTION = """\
Print the OzML XML Schema (XSD 1.0), generated from ozml's command catalog, or write it to FILE
with --output. Point an editor at it with xsi:noNamespaceSchemaLocation or an XML catalog, or
validate with `xmllint --noout --schema ozml.xsd FILE.xml`. The schema checks names, nesting and
value types; `ozml check` checks everything else. Exit status: 0 written, 2 the file could not
be written."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=nonempty,
        help="write the schema to FILE (replaced atomically) instead of standard output",
    )


def schema_text() -> str:
    """The shipped schema; generated from the catalog if the packaged copy is missing."""
    from importlib import resources

    try:
        return (resources.files("ozml") / "data" / "ozml.xsd").read_text(encoding="utf-8")
    except FileNotFoundError:
        # A source tree where `python -m ozml.generate` has not run yet: same text, made now.
        from ozml.generate.xsd import generate

        return generate()


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output is None or args.output == "-":
        sys.stdout.write(text)
        return OK
    from ozml.atomic import write_atomic

    try:
        write_atomic(args.output, text.encode("utf-8"))
    except OSError as error:
        from ozml.cli.common import cannot_write

        return cannot_write(args.output, error)
    return OK
