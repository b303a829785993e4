"""`ozml schema [--strict] [--output FILE]`: print (or write) the OzML XML Schema.

The schemas are the ones generated from the catalog and shipped inside the package
(``ozml/data/ozml.xsd`` and ``ozml/data/ozml-strict.xsd``, identical to the repository's
``schema/``), so an installed ozml can hand them to editors and XML tools. docs/schema.md says
what each checks and how to use them.
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
value types; `ozml check` checks everything else. It rejects only what `ozml check` reports as
an error, so it takes child elements wherever the vendor does not say a command takes none, and
XSD 1.0 cannot check element text beside them: <Delay>soon</Delay> is valid to it.
--strict prints the strict schema instead. It also rejects what `ozml check` only warns about
as child-not-allowed (OZ104): child elements where the vendor does not show them
(<Speak>x<Play>a.wav</Play></Speak>, an Item inside ForEach). Those rejections rest on assumed
facts (no vendor page says a command takes none); in exchange it checks element text again
(<Delay>soon</Delay> and <Reject>now</Reject> fail). Use the default schema where a rejection
must mean an error, the strict one to hold scripts to the nesting the vendor shows and to have
element text checked. Exit status: 0 written, 2 the file could not be written."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument(
        "--strict",
        action="store_true",
        help="the strict schema: also reject child elements where the vendor does not show them"
        " (ozml check only warns: the fact is assumed), and check element text",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=nonempty,
        help="write the schema to FILE (replaced atomically) instead of standard output",
    )


def schema_text(strict: bool = False) -> str:
    """The shipped schema (with `strict`, the strict one); generated from the catalog if the
    packaged copy is missing."""
    from importlib import resources

    name = "ozml-strict.xsd" if strict else "ozml.xsd"
    try:
        return (resources.files("ozml") / "data" / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        # A source tree where `python -m ozml.generate` has not run yet: same text, made now.
        from ozml.generate.xsd import generate

        return generate(strict=strict)


def run(args: argparse.Namespace) -> int:
    text = schema_text(args.strict)
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
