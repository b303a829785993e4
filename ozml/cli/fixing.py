"""`ozml check --fix / --diff / --unsafe-fixes`: applying the fixes of the findings.

Checking stays as it is (in worker processes with ``--jobs``); the `Fixer` takes each report in
the main process, in order, and when it has findings with fixes it reads the file again, fixes
it (`ozml.fixes`, several passes) and either replaces it atomically, reporting the findings that
remain (``--fix``), or prints a unified diff and changes nothing (``--diff``).

``ozml check --fix -`` fixes standard input: the document, fixed, is written to standard output
(unchanged when there is nothing to fix) and the findings that remain are reported on standard
error, as ``ruff check --fix -`` does.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ozml.cli.check import Checker
    from ozml.positions import Source
    from ozml.report import FileReport


def add_fix_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fixes")
    group.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes to the files in place, then report what remains",
    )
    group.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff instead of applying them (exit 1 if any)",
    )
    group.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, also apply the fixes that may change what a script does",
    )
    group.add_argument(
        "--exit-non-zero-on-fix",
        action="store_true",
        help="with --fix, exit 1 when anything was fixed, even if no finding remains",
    )


def wanted(args: argparse.Namespace) -> bool:
    """Whether the run fixes or shows fixes; `ValueError` for options that do not go together."""
    if args.fix and args.diff:
        raise ValueError("--fix and --diff cannot be used together (--diff changes nothing)")
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise ValueError("--unsafe-fixes needs --fix or --diff")
    if args.diff and (args.add_noqa or args.write_baseline):
        raise ValueError(
            "--diff changes nothing; it cannot be used with --add-noqa or --write-baseline"
        )
    if args.fix:
        from ozml.cli.discovery import stdin_alone

        stdin_alone(args.paths, "--fix", looking="--diff")
    return bool(args.fix or args.diff)


#: What diff and git print after a last line that has no line end, and patch reads.
NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of a file's text (as `ozml fmt --diff` prints it too), in time that
    grows with the lines (`ozml.linediff`), which ``patch`` and ``git apply`` apply: a last
    line without a line end is followed by `NO_NEWLINE`."""
    from ozml.linediff import unified_diff as diff

    lines = diff(old.splitlines(keepends=True), new.splitlines(keepends=True), path, path)
    return "".join(
        line if line.endswith(("\n", "\r")) else line + "\n" + NO_NEWLINE for line in lines
    )


def diff_bytes(path: str, source: Source, new: str) -> bytes:
    """`unified_diff` of a file's text and its fixed text `new`, in the file's own bytes, so
    that ``patch`` applies it to the file: its lines encoded as the file is, with its byte
    order mark on the first line, the file names as the file system writes them. A file in
    which ASCII is not ASCII (UTF-16, UTF-32), which ``patch`` does not read, gets UTF-8."""
    from ozml.positions import decoding
    from ozml.rawbytes import wide

    data = source.data
    mark, codec = b"", "utf-8"
    if isinstance(data, bytes) and not wide(data):
        mark, codec = decoding(data, source.encoding)
    first = mark.decode(codec)  # the mark, as the first character of the first line
    lines = unified_diff(path, first + source.text, first + new).splitlines(keepends=True)
    names = sys.getfilesystemencoding()
    head = [line.encode(names, "surrogateescape") for line in lines[:2]]
    return b"".join([*head, *(line.encode(codec, "xmlcharrefreplace") for line in lines[2:])])


class Fixer:
    """Fixes the files of reports, one at a time, and counts what it did."""

    def __init__(
        self,
        checker: Checker,
        *,
        unsafe: bool = False,
        diff: bool = False,
        to_stdout: bool = False,
    ) -> None:
        self.checker = checker
        self.unsafe = unsafe
        self.diff = diff
        #: ``--fix -``: write the document of standard input, fixed, to standard output.
        self.to_stdout = to_stdout
        self.fixed = 0
        self.files = 0
        self._fixed_bytes: bytes | None = None

    def fix(self, report: FileReport) -> FileReport:
        """The report of the file after fixing (the same report when nothing was fixed)."""
        if self.to_stdout and self._is_stdin(report):
            return self._fix_stdin(report)
        return self._fix(report)

    def _is_stdin(self, report: FileReport) -> bool:
        return report.path in ("-", self.checker.stdin_name)

    def _fix_stdin(self, report: FileReport) -> FileReport:
        """``--fix -``: the document to standard output, fixed where it can be."""
        data = self.checker.stdin_data
        if report.error is not None or data is None:
            return report
        settings = self.checker.settings_for(report.path)
        if len(data) > settings.max_bytes:
            return report  # not kept whole: OZ003 says so, and nothing is echoed
        self._fixed_bytes = None
        self._fix(report)
        out = self._fixed_bytes if self._fixed_bytes is not None else data
        fixed = self._last
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            sys.stdout.flush()
            buffer.write(out)
            buffer.flush()
        else:
            sys.stdout.write(out.decode("utf-8", "replace"))
        return fixed

    def _fix(self, report: FileReport) -> FileReport:
        self._last = self._fix_one(report)
        return self._last

    def _fix_one(self, report: FileReport) -> FileReport:
        from ozml.fixes import applicable, fix_result
        from ozml.parser import parse
        from ozml.positions import Source
        from ozml.report import FileReport
        from ozml.writer import encode_like

        if report.error is not None:
            return report
        if not any(applicable(d, unsafe=self.unsafe) for d in report.diagnostics):
            return report
        settings = self.checker.settings_for(report.path)
        data = self._read(report, settings.max_bytes)
        if data is None:
            return report
        result = parse(
            data, report.path, max_bytes=settings.max_bytes, templates=settings.templates
        )
        if encode_like(result.source.text, result.source) != data:
            refused = "fixes not applied: the file is not valid in its encoding"
            return FileReport(report.path, report.diagnostics, report.source, refused)
        done = fix_result(result, settings, unsafe=self.unsafe)
        if not done.changed:
            return report
        if self.diff:
            out = sys.stdout
            sys.stdout.flush()
            buffer = getattr(out, "buffer", None)  # none for a text stream a caller gave
            if buffer is None:
                out.write(unified_diff(report.path, result.source.text, done.text))
            else:
                buffer.write(diff_bytes(report.path, result.source, done.text))
        elif self.to_stdout and self._is_stdin(report):
            self._fixed_bytes = done.to_bytes()
        else:
            from ozml.atomic import write_atomic
            from ozml.files import reason, write_path

            try:
                write_atomic(write_path(report.path), done.to_bytes(), based_on=data)
            except OSError as error:
                return FileReport(report.path, error=f"fixes not applied: {reason(error)}")
        self.fixed += len(done.applied)
        self.files += 1
        if self.diff:
            return report
        remaining = list(done.remaining)
        source = Source(done.text, report.path) if remaining else None
        return FileReport(report.path, remaining, source)

    def _read(self, report: FileReport, max_bytes: int) -> bytes | None:
        """The file's bytes as they are now; for standard input, the bytes that were checked."""
        from ozml.files import ReadError, read_file

        source = report.source
        if self._is_stdin(report):
            if self.checker.stdin_data is not None:
                return self.checker.stdin_data
            data = source.data if source is not None else None
            return data.encode("utf-8") if isinstance(data, str) else data
        try:
            return read_file(report.path, max_bytes)
        except ReadError:
            return None

    def line(self) -> str:
        """The closing line: how many findings were (or would be) fixed, in how many files."""
        findings = "finding" if self.fixed == 1 else "findings"
        files = "file" if self.files == 1 else "files"
        verb = "Would fix" if self.diff else "Fixed"
        return f"{verb} {self.fixed} {findings} in {self.files} {files}."
