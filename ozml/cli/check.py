"""`ozml check PATH...`: lint files, folders and standard input.

The run is a pipeline over one file at a time: discover (`ozml.files`) → read → parse → lint →
report (`ozml.report`). Nothing is kept after a file is reported, so memory stays flat however
large the corpus. With ``--jobs N`` the middle steps run in N worker processes, and reports are
still printed in discovery order.

Extending: options are added by the `add_*_options` groups; a file's work is `Checker.check`, so
a later ``--fix`` applies each report's fixes between `Checker.check` and the reporter.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

from ozml.cli.exits import FINDINGS, OK, USAGE

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ozml.files import Found, Problem
    from ozml.lint import LintSettings, Rule
    from ozml.report import FileReport

HELP = "Lint OzML files and folders; exit 1 when there are findings."

DESCRIPTION = """\
Lint OzML documents. PATH is a file, a folder (searched recursively for *.xml and *.ozml) or -
for standard input. Findings are printed as path:line:col: CODE message. Exit status: 0 clean,
1 findings at or above --fail-on, 2 usage or I/O error (an unreadable path)."""


class UsageError(Exception):
    """A bad option value; reported as ``ozml: error: ...`` with exit status 2."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    add_input_options(parser)
    add_rule_options(parser)
    add_output_options(parser)
    add_run_options(parser)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    group = parser.add_argument_group("files")
    group.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help="check files in folders matching GLOB instead of *.xml and *.ozml (repeatable)",
    )
    group.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files and folders matching GLOB, e.g. examples/bad or 'bad/*' (repeatable)",
    )
    group.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="the path to show for - (standard input) in findings",
    )


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("rules")
    group.add_argument(
        "--select",
        metavar="CODES",
        help="only these rules: comma-separated codes, prefixes (OZ2) or names, or ALL",
    )
    group.add_argument("--extend-select", metavar="CODES", help="rules to add to the selection")
    group.add_argument(
        "--ignore",
        metavar="CODES",
        help="rules to leave out: comma-separated codes, prefixes or names",
    )
    group.add_argument(
        "--context",
        choices=("extension", "3pcc", "routing", "any"),
        help="the kind of notification the documents answer (default: any)",
    )
    group.add_argument(
        "--max-bytes",
        type=int,
        metavar="N",
        help="report files larger than N bytes instead of parsing them (default: 10 MiB)",
    )


def add_output_options(parser: argparse.ArgumentParser) -> None:
    from ozml.report import FORMATS

    group = parser.add_argument_group("output")
    group.add_argument(
        "--format",
        choices=tuple(FORMATS),
        default="text",
        help="text (with source excerpts, the default), concise (one line each) or json",
    )
    group.add_argument(
        "--fail-on",
        choices=("info", "warning", "error"),
        default="warning",
        help="the least severity that makes the exit status 1 (default: warning)",
    )
    group.add_argument(
        "--statistics",
        action="store_true",
        help="print how often each rule fired instead of the findings",
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", help="print findings only, no summary line"
    )
    group.add_argument(
        "--no-color", action="store_true", help="never colour the output (default: on a terminal)"
    )


def add_run_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("run")
    group.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="check files in N processes (default: 1); output order does not change",
    )


def _codes(option: str, text: str | None) -> list[str] | None:
    """Comma-separated codes, prefixes or rule names, as codes; unknown ones are errors."""
    if text is None:
        return None
    from ozml.lint.registry import BY_CODE, find

    codes: list[str] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        upper = item.upper()
        if upper == "ALL" or any(code.startswith(upper) for code in BY_CODE):
            codes.append(upper)
            continue
        rule = find(item)
        if rule is None:
            raise UsageError(
                f"{option}: {item!r} is not a rule code, code prefix or rule name"
                " (see `ozml rules`)"
            )
        codes.append(rule.code)
    return codes


def settings_from_args(args: argparse.Namespace) -> LintSettings:
    """The lint settings the options ask for; a bad value raises `UsageError`."""
    from ozml.catalog import Context
    from ozml.diagnostics import Severity
    from ozml.lint import LintSettings

    options: dict[str, object] = {"fail_on": Severity.parse(args.fail_on)}
    if args.context is not None:
        options["context"] = Context.parse(args.context)
        options["context_origin"] = "--context"
    select = _codes("--select", args.select)
    if select is not None:
        options["select"] = select
    extend = _codes("--extend-select", args.extend_select)
    if extend is not None:
        options["extend_select"] = extend
    ignore = _codes("--ignore", args.ignore)
    if ignore is not None:
        options["ignore"] = ignore
    if args.max_bytes is not None:
        if args.max_bytes < 1:
            raise UsageError("--max-bytes must be a positive number of bytes")
        options["max_bytes"] = args.max_bytes
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    return LintSettings(**options)  # type: ignore[arg-type]


class Checker:
    """Checks one file at a time with fixed settings.

    A document the quick check (`ozml.lint.quick`) proves clean is done without building its
    tree; the others go through the parser and the rules, which are made once per run and only
    when a file first needs them.
    """

    def __init__(self, settings: LintSettings, stdin_name: str | None = None) -> None:
        self.settings = settings
        self.stdin_name = stdin_name
        self._rules: Sequence[Rule] | None = None

    @property
    def rules(self) -> Sequence[Rule]:
        if self._rules is None:
            from ozml.lint.linter import active_rules

            self._rules = active_rules(self.settings)
        return self._rules

    def check(self, found: Found) -> FileReport:
        """Read, parse and lint one file; an unreadable file gives a report with `error`."""
        from ozml.files import ReadError, read
        from ozml.report import FileReport

        path = found.path
        if found.fspath is None and self.stdin_name:
            path = self.stdin_name
        try:
            data, size = read(found, self.settings.max_bytes)
        except ReadError as error:
            return FileReport(path, error=str(error))
        return self.check_bytes(data, path, size)

    def check_bytes(self, data: bytes, path: str, size: int | None = None) -> FileReport:
        """Parse and lint a document's bytes; `size` is the whole input's size when `data` is
        only its start (a file over the size limit)."""
        from ozml.lint.quick import is_clean
        from ozml.report import FileReport

        settings = self.settings
        max_bytes = settings.max_bytes
        within = (size is None or size <= max_bytes) and len(data) <= max_bytes
        if within and is_clean(data, settings.context):
            return FileReport(path)
        from ozml.lint.linter import lint_result
        from ozml.parser import parse, too_large

        if size is not None and size > max_bytes:
            result = too_large(data, path, size, max_bytes=max_bytes)
        else:
            result = parse(data, path, max_bytes=max_bytes)
        diagnostics = lint_result(result, self.settings, self.rules)
        return FileReport(path, diagnostics, result.source if diagnostics else None)


def _problem_report(problem: Problem) -> FileReport:
    from ozml.report import FileReport

    return FileReport(problem.path, error=problem.reason)


def reports(
    items: Iterable[Found | Problem], checker: Checker, jobs: int = 1
) -> Iterator[FileReport]:
    """A report per discovered item, in discovery order."""
    from ozml.files import Problem

    if jobs > 1:
        yield from _parallel_reports(items, checker, jobs)
        return
    for item in items:
        yield _problem_report(item) if isinstance(item, Problem) else checker.check(item)


# --- worker processes -------------------------------------------------------------------------

#: Files sent to a worker at once: large enough to amortise the round trip, small enough that
#: both workers stay busy on small corpora.
BATCH = 32
_worker: Checker | None = None


def _init_worker(settings: LintSettings) -> None:
    global _worker
    _worker = Checker(settings)


def _check_batch(batch: list[tuple[str, str]]) -> list[FileReport]:
    from ozml.files import Found
    from ozml.positions import Source

    assert _worker is not None
    out = []
    for path, fspath in batch:
        report = _worker.check(Found(path, fspath))
        if report.source is not None:
            # Send back the decoded text only, not the bytes and caches of the parse.
            report.source = Source(report.source.text, report.source.path)
        out.append(report)
    return out


def _batches(items: Iterable[Found | Problem]) -> Iterator[list[Found | Problem]]:
    batch: list[Found | Problem] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _parallel_reports(
    items: Iterable[Found | Problem], checker: Checker, jobs: int
) -> Iterator[FileReport]:
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    from ozml.files import Found

    # fork keeps the already-imported catalog and rules; other start methods re-import them.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pending: deque[tuple[list[Found | Problem], Future[list[FileReport]]]] = deque()
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_init_worker,
        initargs=(checker.settings,),
    ) as pool:
        batches = _batches(items)
        try:
            for batch in batches:
                files = [(i.path, i.fspath) for i in batch if isinstance(i, Found) and i.fspath]
                pending.append((batch, pool.submit(_check_batch, files)))
                # A bounded window of batches in flight keeps memory flat.
                while len(pending) > 2 * jobs:
                    yield from _merge(*pending.popleft(), checker)
            while pending:
                yield from _merge(*pending.popleft(), checker)
        finally:
            for _, future in pending:
                future.cancel()


def _merge(
    batch: list[Found | Problem], future: Future[list[FileReport]], checker: Checker
) -> Iterator[FileReport]:
    """A batch's reports in order: worker results, with problems and stdin filled in here."""
    from ozml.files import Problem

    done = iter(future.result())
    for item in batch:
        if isinstance(item, Problem):
            yield _problem_report(item)
        elif item.fspath is None:
            yield checker.check(item)  # standard input belongs to this process
        else:
            yield next(done)


# --- the command --------------------------------------------------------------------------------


def _error(message: str) -> None:
    print(f"ozml: error: {message}", file=sys.stderr, flush=True)


def _safe_stdout() -> TextIO:
    # Paths and source lines may hold characters the terminal's encoding cannot show; escape
    # them rather than fail half-way through the output.
    stream = sys.stdout
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="backslashreplace")
    return stream


def run(args: argparse.Namespace) -> int:
    from ozml.files import Matcher, discover
    from ozml.report import Options, Summary, reporter
    from ozml.report.style import wanted

    try:
        settings = settings_from_args(args)
    except (UsageError, ValueError) as error:
        _error(str(error))
        return USAGE
    stdout = _safe_stdout()
    options = Options(
        color=wanted(stdout, no_color=args.no_color) and args.format != "json",
        quiet=args.quiet,
        statistics=args.statistics,
    )
    output = reporter(args.format, stdout, options)
    summary = Summary()
    matcher = Matcher(args.include, args.exclude)
    checker = Checker(settings, stdin_name=args.stdin_filename)
    for report in reports(discover(args.paths, matcher), checker, args.jobs):
        summary.add(report)
        if report.error is not None:
            stdout.flush()
            _error(f"{report.path}: {report.error}")
            continue
        output.file(report)
    output.finish(summary)
    stdout.flush()
    if summary.unreadable:
        return USAGE
    return FINDINGS if summary.failing(settings.fail_on) else OK
