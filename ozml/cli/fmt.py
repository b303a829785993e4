"""`ozml fmt PATH...`: format OzML files in place, or check or show what would change.

Each file is read, parsed and written canonically (`ozml.formatter`); a file whose formatted
bytes differ is replaced atomically (`ozml.atomic`), so an interrupted run never leaves half a
file. A file that is not well-formed is refused and left untouched, as is anything `ozml.atomic`
will not replace (a link leading out of the walked folder, a pipe, a hard-linked file). A bug
met on one file is reported for that file and the others are still formatted.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from ozml.cli.exits import FINDINGS, INTERNAL_ERROR, OK, USAGE

if TYPE_CHECKING:
    from ozml.files import Found

HELP = "Format OzML files in place (--check, --diff to only look); - formats stdin to stdout."

DESCRIPTION = """\
Format OzML documents: the canonical declaration, two-space indentation, catalog attribute
order, double quotes, self-closed empty elements, correct escaping, and canonical names (unless
--keep-names). Comments, processing instructions, CDATA and single blank lines are kept. PATH is
a file, a folder (searched for *.xml and *.ozml) or - for standard input (formatted to standard
output). Files that are not well-formed are refused and left as they are. Exit status: 0 done
(or nothing to change), 1 a file would change (--check, --diff) or was refused, 2 usage or I/O
error."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; list the files that would change and exit 1 if there are any",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="change nothing; print a unified diff of what would change (exit 1 if anything)",
    )
    parser.add_argument(
        "--keep-names",
        action="store_true",
        help="leave legacy, misspelt and wrongly cased names as written (layout only)",
    )
    parser.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help="format files in folders matching GLOB instead of *.xml and *.ozml (repeatable)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files and folders matching GLOB (repeatable)",
    )
    parser.add_argument(
        "--stdin-filename", metavar="NAME", help="the path to show for - in messages"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")


class _Tally:
    def __init__(self) -> None:
        self.changed = 0
        self.unchanged = 0
        self.refused = 0
        self.unreadable = 0
        self.internal = 0


def _error(message: str) -> None:
    from ozml.report.style import printable

    print(f"ozml: error: {printable(message)}", file=sys.stderr, flush=True)


def _warning(message: str) -> None:
    from ozml.report.style import printable

    print(f"ozml: warning: {printable(message)}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from ozml.files import Found, Matcher, discover

    try:
        matcher = Matcher(args.include, args.exclude)
    except ValueError as error:
        _error(str(error))
        return USAGE
    tally = _Tally()
    for item in discover(args.paths, matcher, _warning):
        if not isinstance(item, Found):
            _error(str(item))
            tally.unreadable += 1
            continue
        path = args.stdin_filename if item.fspath is None and args.stdin_filename else item.path
        try:
            _format_one(item, path, args, tally)
        except Exception as error:  # a bug: report it for this file, format the others
            if os.environ.get("OZML_DEBUG"):
                raise
            tally.internal += 1
            from ozml.report.style import printable

            print(
                f"ozml: internal error: {printable(path)}: {type(error).__name__}:"
                f" {printable(str(error))} (left unchanged; set OZML_DEBUG=1 to see the"
                " traceback, and please report it)",
                file=sys.stderr,
                flush=True,
            )
    if not args.quiet and not (len(args.paths) == 1 and args.paths[0] == "-"):
        print(_summary(tally, args.check or args.diff), file=sys.stderr)
    if tally.internal:
        return INTERNAL_ERROR
    if tally.unreadable:
        return USAGE
    if tally.refused or ((args.check or args.diff) and tally.changed):
        return FINDINGS
    return OK


def _format_one(item: Found, path: str, args: argparse.Namespace, tally: _Tally) -> None:
    """Format one file: check, show or rewrite it, and count what happened."""
    from ozml.atomic import write_atomic
    from ozml.cli.fixing import unified_diff
    from ozml.files import ReadError, read, write_path
    from ozml.formatter import FormatError, format_result
    from ozml.parser import DEFAULT_MAX_BYTES, parse, too_large

    try:
        data, size = read(item, DEFAULT_MAX_BYTES)
    except ReadError as error:
        _error(f"{path}: {error}")
        tally.unreadable += 1
        return
    result = too_large(data, path, size) if size > DEFAULT_MAX_BYTES else parse(data, path)
    try:
        formatted = format_result(result, keep_names=args.keep_names)
    except FormatError as error:
        _error(str(error))
        tally.refused += 1
        return
    new = formatted.text.encode("utf-8")
    changed = new != data
    if args.diff and changed:
        sys.stdout.write(unified_diff(path, result.source.text, formatted.text))
    if args.check or args.diff:
        if args.check and changed and not args.quiet:
            from ozml.report.style import printable

            print(f"would reformat {printable(path)}", file=sys.stderr)
    elif item.fspath is None:
        sys.stdout.buffer.write(new)
        sys.stdout.flush()
    elif changed:
        try:
            write_atomic(write_path(item.fspath), new)
        except OSError as error:
            _error(f"{path}: not rewritten: {error.strerror or error}")
            tally.unreadable += 1
            return
    tally.changed += changed
    tally.unchanged += not changed


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what.replace('file', 'files')}"


def _summary(tally: _Tally, looking: bool) -> str:
    parts = [
        _count(tally.changed, "file would be reformatted" if looking else "file reformatted"),
        _count(tally.unchanged, "file already formatted"),
    ]
    if tally.refused:
        parts.append(_count(tally.refused, "file refused"))
    return ", ".join(parts)
