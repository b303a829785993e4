"""`ozml check [PATH...]`: lint files, folders and standard input.

The run is a pipeline over one file at a time: discover (`ozml.cli.discovery` over `ozml.files`:
PATHs, globs, include/exclude globs, ignore files) → read → parse → lint → report
(`ozml.report`). Nothing is kept after a file is reported, so memory stays flat however large
the corpus. With ``--jobs N`` the middle steps run in N worker processes, and reports are still
printed in discovery order.

Each file is linted with the settings of its nearest configuration (`ozml.config`, or
``--config FILE``), with the command line's options on top; findings of unchanged files come
from the cache (`ozml.cache`); a baseline (`ozml.baseline`) hides accepted findings, and
``--add-noqa`` writes suppression comments (`ozml.lint.noqa`) for the findings that remain.

Standard output carries the report only (or nothing, with ``-o FILE``); errors, warnings and,
on a terminal, the closing lines (the outcome and the ``--fix`` hint) go to standard error.
``--watch`` (`ozml.cli.watch`) repeats `run_once` whenever its files change.

When a file's configuration maps URLs to files (``[urls]``, docs/project.md), the project rules
(OZ811-OZ815) run once per configuration over the whole application (`ozml.lint.project`) and
their findings are merged into the checked files' reports before the baseline and noqa steps.

Extending: options are added by the `add_*_options` groups; a file's work is `Checker.check`, so
``--fix`` (`ozml.cli.fixing`) applies each report's fixes between `Checker.check` and the
reporter.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from time import perf_counter
from typing import TYPE_CHECKING, TextIO

from ozml.cli.common import cannot_write, is_terminal, nonempty
from ozml.cli.common import error as _error  # `error` is a local name in places
from ozml.cli.common import warning as _warning
from ozml.cli.exits import FINDINGS, INTERNAL_ERROR, OK, USAGE
from ozml.files import Found, Problem  # every run finds files; the per-file path names them
from ozml.severity import UNCHECKED_DOCUMENT

if TYPE_CHECKING:
    from pathlib import Path

    from ozml.baseline import Baseline, BaselineWriter
    from ozml.cache import Cache
    from ozml.cli.fixing import Fixer
    from ozml.config import Config, Resolver
    from ozml.diagnostics import Diagnostic
    from ozml.lint import LintSettings, Rule
    from ozml.lint.project import ProjectPass
    from ozml.positions import Source
    from ozml.progress import Progress
    from ozml.report import FileReport, Summary
    from ozml.xmlthread import XmlThread

HELP = "Lint OzML files and folders; exit 1 when there are findings."

DESCRIPTION = """\
Lint OzML documents. PATH is a file, a folder (searched recursively for *.xml and *.ozml, leaving
out what .gitignore and .ignore files ignore), a glob, or - for standard input; without PATH, the
current folder. Findings are printed as path:line:col: CODE message. Settings come from the
nearest ozml.toml or pyproject.toml [tool.ozml] above each file (or --config FILE); options given
here win. Exit status: 0 clean, 1 findings at or above --fail-on (0 with --exit-zero), 2 usage or
I/O error (an unreadable path, no file to check, a bad configuration)."""


class UsageError(Exception):
    """A bad option value; reported as ``ozml: error: ...`` with exit status 2."""


def configure(parser: argparse.ArgumentParser) -> None:
    from ozml.cli.common import add_config_options
    from ozml.cli.discovery import add_discovery_options
    from ozml.cli.fixing import add_fix_options

    parser.description = DESCRIPTION
    add_discovery_options(parser)
    group = parser.add_argument_group("settings")
    add_config_options(group)
    group.add_argument(
        "--show-settings",
        action="store_true",
        help="print the settings each PATH is checked with (configuration, context, rules) and"
        " exit",
    )
    add_rule_options(parser)
    add_output_options(parser)
    add_run_options(parser)
    add_fix_options(parser)


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    from ozml.cli.common import ListAction, add_reading_options, one_of

    group = parser.add_argument_group("rules")
    group.add_argument(
        "--select",
        action=ListAction,
        metavar="CODES",
        help="only these rules: comma-separated codes, prefixes (OZ2) or names, or ALL"
        " (repeatable: the lists add up)",
    )
    group.add_argument(
        "--extend-select",
        action=ListAction,
        metavar="CODES",
        help="rules to add to the selection (repeatable)",
    )
    group.add_argument(
        "--ignore",
        action=ListAction,
        metavar="CODES",
        help="rules to leave out: comma-separated codes, prefixes or names (repeatable)",
    )
    group.add_argument(
        "--context",
        **one_of(("extension", "3pcc", "routing", "any")),
        help="the kind of notification the documents answer; wins over the configuration and"
        " inline <!-- ozml: context=... --> comments (default: any)",
    )
    add_reading_options(group)


def add_output_options(parser: argparse.ArgumentParser) -> None:
    from ozml.cli.common import add_color_option, add_verbosity_options, one_of
    from ozml.report import FORMATS

    group = parser.add_argument_group("output")
    group.add_argument(
        "--format",
        "--output-format",
        dest="format",
        **one_of(FORMATS),
        default="text",
        help="text (with source excerpts, the default), concise (one line each), json, sarif"
        " (code scanning), github (workflow annotations) or junit (CI test reports)",
    )
    group.add_argument(
        "-o",
        "--output-file",
        metavar="FILE",
        type=nonempty,
        help="write the report to FILE (replaced when the run ends) instead of standard output",
    )
    group.add_argument(
        "--fail-on",
        **one_of(("info", "warning", "error")),
        help="the least severity that makes the exit status 1 (default: the configuration's"
        " fail-on, else warning)",
    )
    group.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when there are findings (errors still exit 2)",
    )
    group.add_argument(
        "--statistics",
        action="store_true",
        help="print how often each rule fired instead of the findings",
    )
    add_verbosity_options(
        group,
        quiet="print findings and errors only: no summary, no closing lines",
        verbose="also print, on standard error, each file's configuration and the run's"
        " totals and time",
    )
    add_color_option(group)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    from ozml.cli.parallel import CHECK_AUTO_PARALLEL_FROM, add_jobs_option

    group = parser.add_argument_group("run")
    add_jobs_option(group, "check", CHECK_AUTO_PARALLEL_FROM)
    group.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache of findings (.ozml_cache/ at the project root)",
    )
    group.add_argument(
        "--no-progress",
        action="store_true",
        help="never show the progress line (shown on a terminal for runs over a second)",
    )
    group.add_argument(
        "-w",
        "--watch",
        action="store_true",
        help="check again whenever a file, a configuration or an ignore file changes; Ctrl-C"
        " ends it",
    )
    group = parser.add_argument_group("baseline and suppressions")
    group.add_argument(
        "--baseline",
        metavar="FILE",
        type=nonempty,
        help="report only findings that are not in the baseline FILE",
    )
    group.add_argument(
        "--write-baseline",
        metavar="FILE",
        type=nonempty,
        help="record the current findings in FILE as the baseline, report nothing, exit 0",
    )
    group.add_argument(
        "--add-noqa",
        action="store_true",
        help="add <!-- ozml: noqa CODE --> comments for the current findings to the files",
    )


def _codes(option: str, given: Sequence[str] | str | None) -> list[str] | None:
    """Codes, prefixes or rule names (a list, or comma-separated), as codes; unknown ones are
    errors."""
    if given is None:
        return None
    from ozml.lint.registry import BY_CODE, find

    items = given.split(",") if isinstance(given, str) else given
    codes: list[str] = []
    for item in (part.strip() for part in items):
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
    from ozml.lint import LintSettings
    from ozml.severity import Severity

    options: dict[str, object] = {"fail_on": Severity.parse(args.fail_on or "warning")}
    if args.context is not None:
        options["context"] = Context.parse(args.context)
        options["context_origin"] = "--context"
        options["context_locked"] = True
    select = _codes("--select", args.select)
    if select is not None:
        options["select"] = select
    extend = _codes("--extend-select", args.extend_select)
    if extend is not None:
        options["extend_select"] = extend
    ignore = _codes("--ignore", args.ignore)
    if ignore is not None:
        from ozml.config import unchecked_named

        message = unchecked_named(ignore)
        if message is not None:
            _warning(f"--ignore: {message}")
        options["ignore"] = ignore
    from ozml.cli.common import reading_options

    try:
        max_bytes, templates = reading_options(args)
    except ValueError as bad:
        raise UsageError(str(bad)) from None
    if max_bytes is not None:
        options["max_bytes"] = max_bytes
    if templates is not None:
        options["templates"] = templates
    from ozml.cli.parallel import jobs_problem

    problem = jobs_problem(args.jobs)
    if problem is not None:
        raise UsageError(problem)
    return LintSettings(**options)  # type: ignore[arg-type]


def resolver_from_args(args: argparse.Namespace, settings: LintSettings) -> Resolver:
    """Per-file settings: each file's configuration, with the options in `settings` on top."""
    from ozml.config import Overrides, Resolver

    overrides = Overrides(
        context=settings.context if args.context is not None else None,
        select=tuple(settings.select) if args.select is not None and settings.select else None,
        extend_select=tuple(settings.extend_select),
        ignore=tuple(settings.ignore),
        fail_on=settings.fail_on if args.fail_on is not None else None,
        max_bytes=args.max_bytes,
        templates=settings.templates if args.templates is not None else None,
    )
    from ozml.cli.common import config_choice

    config_file, isolated = config_choice(args)
    return Resolver(overrides, isolated=isolated, warn=_warning, config_file=config_file)


class Checker:
    """Checks one file at a time with fixed settings.

    A document the quick check (`ozml.lint.quick`) proves clean is done without building its
    tree; the others go through the parser and the rules, which are made once per run and only
    when a file first needs them.
    """

    def __init__(
        self,
        settings: LintSettings,
        stdin_name: str | None = None,
        resolver: Resolver | None = None,
        cache: Cache | None = None,
        *,
        cache_root: str | Path | None = None,
    ) -> None:
        from ozml import files, report
        from ozml.lint import quick

        self.settings = settings
        self.stdin_name = stdin_name
        #: Per-file settings from the configuration; without it every file gets `settings`.
        self.resolver = resolver
        self._cache = cache
        #: Where to open the cache when a file first needs it (clean files never do).
        self._cache_root = cache_root
        self._rules: dict[int, tuple[LintSettings, Sequence[Rule]]] = {}
        #: The bytes read from standard input (``--fix -`` writes them back, fixed).
        self.stdin_data: bytes | None = None
        #: Folder -> the settings of every file in it, for folders whose configuration has no
        #: per-file globs (None: look each file up).
        self._folders: dict[str, LintSettings | None] = {}
        # The modules of the per-file path, kept at hand: a file's work is a few microseconds
        # and an import statement per file would be a noticeable share of it.
        self._files = files
        self._quick = quick
        self._report = report
        #: The linter's modules, loaded when a file first needs them (clean files never do).
        self._linting: _Linting | None = None

    @property
    def cache(self) -> Cache | None:
        """The findings cache, opened (and prepared) on first use."""
        if self._cache is None and self._cache_root is not None:
            from ozml.cache import Cache

            cache = Cache(self._cache_root)
            warning = cache.prepare()
            if warning is not None:
                _warning(warning)
            self._cache = cache if cache.enabled else None
            self._cache_root = None
        return self._cache

    def settings_for(self, path: str, folder: str | None = None) -> LintSettings:
        """The settings of the file at `path`; `folder`, when given, is the folder it is in."""
        resolver = self.resolver
        if resolver is None:
            return self.settings
        if folder is None:
            return resolver.settings_for(path)
        try:
            shared = self._folders[folder]
        except KeyError:
            config = resolver.config_in(folder)
            per_file = config is not None and bool(
                config.per_file_ignores or config.per_file_contexts
            )
            shared = self._folders[folder] = None if per_file else resolver.settings_for(path)
        return resolver.settings_for(path) if shared is None else shared

    def rules_for(self, settings: LintSettings) -> Sequence[Rule]:
        """The rules to run under `settings`, made once per settings object; each is imported
        when a document needs it (`ozml.lint.linter.LazyRules`)."""
        known = self._rules.get(id(settings))
        if known is None or known[0] is not settings:
            from ozml.lint.linter import LazyRules

            known = self._rules[id(settings)] = (settings, LazyRules(settings))
        return known[1]

    @property
    def rules(self) -> Sequence[Rule]:
        return self.rules_for(self.settings)

    def check(self, found: Found) -> FileReport:
        """Read, parse and lint one file; an unreadable file gives a report with `error`.

        A bug met on one file gives an `InternalErrorReport` for it, and the run goes on. The
        report's `seconds` says how long it took.
        """
        started = perf_counter()
        report = self._check(found)
        report.seconds = perf_counter() - started
        return report

    def _check(self, found: Found) -> FileReport:
        files = self._files
        path = found.path
        if found.fspath is None and self.stdin_name:
            path = self.stdin_name
        settings = self.settings_for(path, found.folder if found.fspath is not None else None)
        try:
            data, size = files.read(found, settings.max_bytes)
        except files.ReadError as error:
            return self._report.FileReport(path, error=str(error))
        if found.fspath is None:
            self.stdin_data = data
        try:
            return self.check_bytes(data, path, size, settings, exact=found.fspath is not None)
        except Exception as error:
            if os.environ.get("OZML_DEBUG"):
                raise
            return internal_error_report(path, error)

    def check_bytes(
        self,
        data: bytes,
        path: str,
        size: int | None = None,
        settings: LintSettings | None = None,
        *,
        exact: bool = True,
    ) -> FileReport:
        """Parse and lint a document's bytes; `size` is the whole input's size when `data` is
        only its start (a file over the size limit; not `exact` for standard input, which is
        not read past the limit); `settings` default to the file's."""
        FileReport = self._report.FileReport

        if settings is None:
            settings = self.settings_for(path)
        max_bytes = settings.max_bytes
        within = (size is None or size <= max_bytes) and len(data) <= max_bytes
        if within and self._quick.is_clean(data, settings.context):
            return FileReport(path)
        linting = self._linting
        if linting is None:
            linting = self._linting = _Linting()
        linter, parser, Source = linting.linter, linting.parser, linting.positions.Source

        # The quick check is as fast as a cache lookup, so only the others are cached.
        cache = self.cache if within else None
        key = cache.key(data, settings) if cache is not None else ""
        if cache is not None:
            hit = cache.get(key)
            if hit is not None:
                found, encoding = hit
                return FileReport(path, found, Source(data, path, encoding) if found else None)
        rules = self.rules_for(settings)
        if size is not None and size > max_bytes:
            result = parser.too_large(data, path, size, max_bytes=max_bytes, exact=exact)
            diagnostics = linter.lint_result(result, settings, rules)
        else:
            result, diagnostics = linter.lint_document(data, path, settings, rules)
        if cache is not None:
            cache.put(key, diagnostics, result.source.encoding)
        return FileReport(path, diagnostics, result.source if diagnostics else None)


class _Linting:
    """The modules `Checker.check_bytes` lints with, loaded once (not an import statement per
    file: each costs one to two microseconds)."""

    def __init__(self) -> None:
        from ozml import parser, positions
        from ozml.lint import linter

        self.linter = linter
        self.parser = parser
        self.positions = positions


#: How the report of a file on which ozml met a bug begins its `error` (exit status 3).
INTERNAL_ERROR_PREFIX = "internal error: "


def internal_error_report(path: str, error: Exception) -> FileReport:
    """The report of a file on which ozml met a bug: said for that file, the others go on."""
    from ozml.report import FileReport

    return FileReport(
        path,
        error=f"{INTERNAL_ERROR_PREFIX}{type(error).__name__}: {error} (set OZML_DEBUG=1 to see"
        " the traceback, and please report it)",
    )


def _problem_report(problem: Problem) -> FileReport:
    from ozml.report import FileReport

    return FileReport(problem.path, error=problem.reason)


def reports(
    items: Iterable[Found | Problem],
    checker: Checker,
    jobs: int | None = 1,
    used: list[int] | None = None,
    xml: XmlThread | None = None,
) -> Iterator[FileReport]:
    """A report per discovered item, in discovery order (the same for any `jobs`).

    `jobs` is ``--jobs`` (None: the default); how many workers that starts, from how many
    files, is `ozml.cli.parallel.plan`'s to say. `used`, when given, receives the number of
    worker processes started (0: none). `xml`, when given, is the thread the files checked
    in this process are read and linted on (``--watch``).
    """
    import functools
    from itertools import chain, islice

    from ozml.cli import parallel
    from ozml.lint.quick import REGEX_AFTER

    stream, workers, _ = parallel.plan(items, jobs, parallel.CHECK_AUTO_PARALLEL_FROM)
    if used is not None:
        used.append(workers)
    # A run of `REGEX_AFTER` files or more takes the quick check's regular expressions from
    # its first file on, rather than validating that many files against the schema first: in
    # this process, or in the workers, which inherit them.
    head = list(islice(stream, REGEX_AFTER))
    long_run = len(head) >= REGEX_AFTER
    stream = chain(head, stream)
    if workers:
        yield from _parallel_reports(stream, checker, workers, long_run=long_run)
        return
    if long_run:
        # They are the thread's: made on the one the files are read on (``--watch``).
        prepare = functools.partial(checker._quick.prepare, checker.settings.context, long_run=True)
        if xml is not None:
            xml.submit(0, prepare).result()
        else:
            prepare()
    if xml is not None:
        yield from _reports_on(xml, stream, checker)
        return
    for item in stream:
        yield _here(item, checker)


def _here(item: Found | Problem, checker: Checker) -> FileReport:
    """The report of an item checked in this process."""
    return _problem_report(item) if isinstance(item, Problem) else checker.check(item)


#: Seconds the thread of `_reports_on` checks files before it hands their reports over, and
#: the most files it is given at a time. Handing work over costs about 60 microseconds, more
#: than a clean file takes (about 40): file by file, a watch's runs took twice as long. The
#: main thread waits meanwhile: Ctrl-C ends the watch at once, and the thread once done.
_SLICE = 0.01
_BATCH = 1024


def _reports_on(
    xml: XmlThread, stream: Iterator[Found | Problem], checker: Checker
) -> Iterator[FileReport]:
    """`reports` of items checked on `xml`, in order: the items are taken from `stream` as
    they are needed, at most as many at a time as the thread checked in `_SLICE` before."""
    from itertools import islice

    waiting: list[Found | Problem] = []
    size = 1
    while True:
        waiting.extend(islice(stream, size - len(waiting)))
        if not waiting:
            return
        done = xml.submit(0, _checked_for, waiting, checker).result()
        del waiting[: len(done)]
        if not waiting:
            size = min(2 * size, _BATCH)
        yield from done


def _checked_for(items: list[Found | Problem], checker: Checker) -> list[FileReport]:
    """The reports of `items` from the first on, as many as are made in `_SLICE` (one at
    least)."""
    done: list[FileReport] = []
    until = perf_counter() + _SLICE
    for item in items:
        done.append(_here(item, checker))
        if perf_counter() >= until:
            break
    return done


# --- worker processes -------------------------------------------------------------------------

_worker: Checker | None = None


def _init_worker(
    settings: LintSettings, resolver: Resolver | None = None, cache: Cache | None = None
) -> None:
    global _worker
    _worker = Checker(settings, resolver=resolver, cache=cache)


def _check_batch(batch: list[tuple[str, str, str | None]]) -> list[FileReport]:
    from ozml.positions import Source

    assert _worker is not None
    out = []
    for path, fspath, folder in batch:
        report = _worker.check(Found(path, fspath, folder))
        if report.source is not None:
            # Send back the decoded text only, not the bytes and caches of the parse.
            report.source = Source(report.source.text, report.source.path)
        out.append(report)
    return out


def _sent(item: Found | Problem) -> tuple[str, str, str | None] | None:
    """What a worker is given for an item; None for what is checked here (discovery problems,
    standard input)."""
    if isinstance(item, Found) and item.fspath:
        return (item.path, item.fspath, item.folder)
    return None


def _file_of(item: Found | Problem) -> str | None:
    return item.fspath if isinstance(item, Found) else None


def _parallel_reports(
    items: Iterable[Found | Problem], checker: Checker, jobs: int, *, long_run: bool = False
) -> Iterator[FileReport]:
    """The reports of `items` from `jobs` worker processes; `long_run`: the run has at least
    `REGEX_AFTER` files, so the quick check's regular expressions are compiled before the
    workers start rather than by each of them."""
    from ozml.cli import parallel

    def before_fork() -> None:
        # Load the rules and the quick check's tables once, here, so that every worker
        # inherits them instead of loading its own.
        from ozml.lint.linter import LazyRules

        rules = checker.rules_for(checker.settings)
        if isinstance(rules, LazyRules):
            rules.every()
        checker._quick.prepare(checker.settings.context, long_run=long_run)

    yield from parallel.in_order(
        items,
        jobs,
        sent=_sent,
        remote=_check_batch,
        here=lambda item: _here(item, checker),
        file_of=_file_of,
        initializer=_init_worker,
        initargs=(checker.settings, checker.resolver, checker.cache),
        before_fork=before_fork,
    )


# --- the command --------------------------------------------------------------------------------


def _check_combinations(args: argparse.Namespace) -> None:
    if args.add_noqa and "-" in args.paths:
        raise UsageError("--add-noqa writes to files; it cannot be used with - (standard input)")
    if args.add_noqa and args.write_baseline:
        raise UsageError(
            "--add-noqa and --write-baseline are two ways to accept findings; pick one"
        )
    if args.baseline and args.write_baseline:
        raise UsageError("--baseline and --write-baseline cannot be used together")
    if args.watch and "-" in args.paths:
        raise UsageError("--watch cannot watch - (standard input); name files or folders")
    if args.watch and (args.fix or args.add_noqa or args.write_baseline or args.show_files):
        raise UsageError(
            "--watch only reports; it cannot be used with --fix, --add-noqa, --write-baseline"
            " or --show-files"
        )
    if args.exit_non_zero_on_fix and not args.fix:
        raise UsageError("--exit-non-zero-on-fix needs --fix")
    if args.statistics and args.format not in _STATISTICS_FORMATS:
        # SARIF, JUnit and GitHub annotations are made of findings; they have no place for a
        # count per rule, and the findings were printed instead, as if it had not been given.
        raise UsageError(
            "--statistics prints counts per rule in the text, concise and json formats, not"
            f" {args.format}"
        )


#: The report formats that show ``--statistics``.
_STATISTICS_FORMATS = ("text", "concise", "json")


def _show_settings(
    args: argparse.Namespace, resolver: Resolver, describe: Callable[[Resolver, str], list[str]]
) -> int:
    """``--show-settings``: the settings of each PATH (of standard input, those of the file it
    is shown as with ``--stdin-filename``). Settings belong to a path, so a PATH need not
    exist: a file about to be written is shown what it will get."""
    shown = [
        "\n".join(describe(resolver, args.stdin_filename or path if path == "-" else path))
        for path in args.paths
    ]
    print("\n\n".join(shown))
    return OK


def _add_noqa(report: FileReport, tally: list[int]) -> FileReport:
    """Write suppression comments for a report's findings into its file (atomically).

    The findings left in the report are those no comment could be placed for; `tally` counts
    the comments' findings and the files changed.
    """
    from ozml.atomic import write_atomic
    from ozml.files import ReadError, read_file, write_path
    from ozml.lint import directives, noqa
    from ozml.parser import parse
    from ozml.writer import encode_like

    path = report.path
    try:
        data = read_file(path)
    except ReadError as error:
        _error(f"{path}: suppressions not added: {error}")
        return report
    source = parse(data, path).source
    text = source.text
    if report.source is not None and report.source.text != text:
        _error(f"{path}: suppressions not added: the file changed while it was checked")
        return report
    # Written back as `--fix` writes (`ozml.writer.encode_like`): only a file that reads back
    # to its own bytes, so that nothing but the comments changes.
    if encode_like(text, source) != data:
        _error(f"{path}: suppressions not added: the file is not valid in its encoding")
        return report
    added = noqa.add(source, directives.scan(source), report.diagnostics)
    if added.text != text:
        try:
            write_atomic(write_path(path), encode_like(added.text, source), based_on=data)
        except OSError as error:
            from ozml.files import reason

            _error(f"{path}: suppressions not added: {reason(error)}")
            return report
        tally[0] += added.suppressed
        tally[1] += 1
    kept = [d for d in report.diagnostics if d.code in noqa.UNSUPPRESSIBLE]
    report.diagnostics = sorted([*added.unplaced, *kept], key=lambda d: d.sort_key())
    return report


def _load_baseline(path: str) -> Baseline:
    """The baseline file; a bad one raises UsageError (the baseline module loads only here)."""
    from ozml.baseline import Baseline, BaselineError

    try:
        baseline = Baseline.load(path)
    except BaselineError as error:
        raise UsageError(str(error)) from None
    if baseline.refused:
        from ozml.report import plural

        _warning(
            f"{path}: {plural(baseline.refused, 'entry', 'entries')} for OZ001-OZ003 ignored:"
            " a document that is not well-formed, has a DTD or is too large is never checked,"
            " so no baseline can accept it"
        )
    return baseline


def _after_check(
    report: FileReport,
    args: argparse.Namespace,
    fixer: Fixer | None,
    baseline: Baseline | None,
    writer: BaselineWriter | None,
    tally: list[int],
    project: _Project | None = None,
) -> FileReport:
    """What the run does with a file's report before showing it: fixes, the project rules'
    findings (`ozml.lint.project`), baseline, noqa."""
    if fixer is not None:
        seconds = report.seconds
        report = fixer.fix(report)
        report.seconds = seconds
    if (
        project is not None
        and report.error is None
        and report.path
        not in (
            "-",
            args.stdin_filename,
        )
    ):
        report.diagnostics, report.source = project.merge(
            report.path, report.diagnostics, report.source
        )
    if baseline is not None and report.diagnostics:
        report.diagnostics = baseline.new(report.path, report.diagnostics, report.source)
    if writer is not None:
        writer.add(report.path, report.diagnostics, report.source)
        report.diagnostics = [d for d in report.diagnostics if d.code in UNCHECKED_DOCUMENT]
    elif args.add_noqa and report.diagnostics:
        report = _add_noqa(report, tally)
    return report


class _Project:
    """The run's project pass (`ozml.lint.project.ProjectPass`), started when a checked file's
    configuration first maps URLs: a run without a map never imports the project rules (cold
    start) and leaves every report as it is."""

    __slots__ = ("_pass", "_resolver", "_xml")

    def __init__(self, resolver: Resolver, xml: XmlThread | None = None) -> None:
        self._resolver = resolver
        self._pass: ProjectPass | None = None
        #: The thread the project's documents are read on (``--watch``); None: the caller's.
        self._xml = xml

    def merge(
        self, path: str, diagnostics: list[Diagnostic], source: Source | None
    ) -> tuple[list[Diagnostic], Source | None]:
        if self._pass is None:
            # Discovery reads each file's configuration before the file is checked
            # (`ozml.cli.discovery.nested_excludes`): while none of those maps URLs, this
            # file's does not either, and its folder need not be looked up.
            if not self._resolver.maps_urls:
                return diagnostics, source
            config = self._config_of(path)
            if config is None or not config.urls:
                return diagnostics, source
            from ozml.lint.project import ProjectPass

            resolver = self._resolver
            self._pass = ProjectPass(
                self._config_of,
                resolver.settings_for,
                lambda folder: resolver.resolve_folder(folder).settings,
                _warning,
            )
        if self._xml is not None:
            return self._xml.submit(0, self._pass.merge, path, diagnostics, source).result()
        return self._pass.merge(path, diagnostics, source)

    def _config_of(self, path: str) -> Config | None:
        return self._resolver.config_in(os.path.dirname(path) or os.curdir)


class _Run:
    """What one run counts besides the summary: internal errors, and when it started."""

    __slots__ = ("internal", "started")

    def __init__(self) -> None:
        import time

        self.internal = 0
        self.started = time.perf_counter()


def run(args: argparse.Namespace) -> int:
    from ozml.cli.discovery import paths

    try:
        paths(args)
    except ValueError as error:
        _error(str(error))
        return USAGE
    if args.watch:
        try:
            settings_from_args(args)
            _check_combinations(args)
        except (UsageError, ValueError) as error:
            _error(str(error))
            return USAGE
        from ozml.cli.watch import watch

        return watch(
            lambda sources, xml: run_once(args, sources, xml), lambda: watched_files(args)
        )
    return run_once(args)


#: The files whose appearance, change or removal changes what a run reports, besides the
#: checked files: configurations and ignore files.
SETTINGS_FILES = ("ozml.toml", "pyproject.toml", ".gitignore", ".ignore")


def watched_files(args: argparse.Namespace) -> list[str]:
    """What ``--watch`` polls for a run with `args`: the files it would check, the paths it
    could not read, and where a configuration or ignore file may appear (beside each checked
    file, in each PATH and in the folders above them). Nothing is reported here."""
    from ozml.cli.discovery import Discovery
    from ozml.config import ConfigError

    paths: list[str] = []
    folders: dict[str, None] = {}
    for given in args.paths:
        if given == "-":
            continue
        folder = os.path.abspath(given if os.path.isdir(given) else os.path.dirname(given) or ".")
        while folder not in folders:
            folders[folder] = None
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    try:
        resolver = resolver_from_args(args, settings_from_args(args))
        discovery = Discovery.configured(args, lambda message: None, resolver)
        for item in discovery:
            if isinstance(item, Found):
                path = item.fspath or item.path
                folders.setdefault(item.folder or os.path.dirname(path) or os.curdir, None)
            else:
                path = item.path
            paths.append(path)
        paths.extend(_project_files(resolver, folders))
    except (UsageError, ValueError, ConfigError):
        pass
    for folder in folders:
        paths.extend(os.path.join(folder, name) for name in SETTINGS_FILES)
    return paths


def _project_files(resolver: Resolver, folders: Iterable[str]) -> list[str]:
    """The documents of the projects of the configurations of `folders` (those with a URL
    map): a change in any of them changes what the project rules report."""
    from ozml.lint.project import project_documents

    found: dict[str, None] = {}
    configs = {id(c): c for f in folders if (c := resolver.config_in(f)) is not None and c.urls}
    for config in configs.values():
        found.update(dict.fromkeys(project_documents(config)))
    return list(found)


def run_once(
    args: argparse.Namespace, sources: list[str] | None = None, xml: XmlThread | None = None
) -> int:
    """One ``ozml check`` run; `sources`, when given, is told of every configuration and
    ignore file the run read (what ``--watch`` watches besides the checked files); `xml`,
    when given, is the thread the files are read and linted on (``--watch``)."""
    from ozml.cli.common import color_wanted, verbosity
    from ozml.cli.discovery import Discovery
    from ozml.config import ConfigError, describe
    from ozml.progress import Progress
    from ozml.progress import wanted as progress_wanted
    from ozml.report import Options, Summary, reporter

    level = verbosity(args)
    try:
        settings = settings_from_args(args)
        _check_combinations(args)
        from ozml.cli.fixing import Fixer
        from ozml.cli.fixing import wanted as fixes_wanted

        fixing = fixes_wanted(args)
        resolver = resolver_from_args(args, settings)
        if args.show_settings:
            return _show_settings(args, resolver, describe)
        baseline = _load_baseline(args.baseline) if args.baseline else None
        discovery = Discovery.configured(args, _warning, resolver)
        top, top_folder = discovery.top, discovery.top_folder
    except (UsageError, ValueError, ConfigError) as error:
        _error(str(error))
        return USAGE
    if sources is not None and top is not None:
        sources.append(str(top.path))
    if args.show_files:
        from ozml.cli.discovery import show_files

        try:
            return show_files(discovery, sys.stdout)
        except ConfigError as error:  # a configuration met on the way (a nested one)
            sys.stdout.flush()
            _error(str(error))
            return USAGE
    fail_on = resolver.resolve_folder(top_folder).settings.fail_on
    # --fix on standard input prints the fixed document; the report goes to standard error.
    fix_stdin = bool(args.fix) and args.paths == ["-"]
    stdout = sys.stdout  # escapes what it cannot show (`ozml.cli.main`)
    import io

    stream: TextIO = io.StringIO() if args.output_file else sys.stderr if fix_stdin else stdout
    options = Options(
        color=color_wanted(args.color, stream) and args.format in ("text", "concise"),
        quiet=level < 0,
        statistics=args.statistics,
        fail_on=fail_on,
    )
    # The cache is opened when a file first needs it: clean files never do.
    cache_root = None
    if not args.no_cache:
        cache_root = top.root if top is not None else os.getcwd()
    output = reporter(args.format, stream, options)
    summary = Summary()
    checker = Checker(settings, args.stdin_filename, resolver, cache_root=cache_root)
    fixer = (
        Fixer(checker, unsafe=args.unsafe_fixes, diff=args.diff, to_stdout=fix_stdin)
        if fixing
        else None
    )
    workers: list[int] = []
    show = not args.no_progress and progress_wanted(stdout) and progress_wanted(sys.stderr)
    progress = Progress(sys.stderr, enabled=show and not fix_stdin)
    writer = None
    if args.write_baseline:
        from ozml.baseline import BaselineWriter

        writer = BaselineWriter(args.write_baseline)
    tally = [0, 0]
    counts = _Run()
    project = _Project(resolver, xml)
    configs: set[str] = set()
    items = iter(discovery)
    #: The documents checked, which the report file must not replace (-o).
    inputs: list[str] = []
    try:
        for report in reports(items, checker, args.jobs, workers, xml):
            if args.output_file:
                inputs.append(report.path)
            try:
                report = _after_check(report, args, fixer, baseline, writer, tally, project)
            except ConfigError:
                raise
            except Exception as error:
                if os.environ.get("OZML_DEBUG"):
                    raise
                report = internal_error_report(report.path, error)
            if report.error is not None and report.error.startswith(INTERNAL_ERROR_PREFIX):
                counts.internal += 1
            summary.add(report)
            progress.update(len(report.diagnostics))
            if report.error is not None:
                progress.clear()
                stdout.flush()
                _error(f"{report.path}: {report.error}")
            elif report.diagnostics:
                progress.clear()
            if level > 0 or sources is not None:
                _note_file(report, resolver, configs, level > 0, progress)
            if not args.diff:
                output.file(report)
    except ConfigError as error:
        progress.clear()
        stdout.flush()
        _error(str(error))
        return USAGE
    progress.done()
    if sources is not None:
        sources.extend(sorted(configs))
        if discovery.ignores is not None:
            sources.extend(discovery.ignores.sources)
    if fix_stdin and discovery.tally.stdin_skipped:
        from ozml.cli.discovery import echo_stdin

        echo_stdin()  # --fix - on an excluded file: the document goes through unchanged
    empty = discovery.empty_error(summary.unreadable)
    if empty is not None:
        _error(empty)
        return USAGE
    if not args.diff:
        output.finish(summary)
    if args.output_file:
        from ozml.atomic import RefusedWrite, write_atomic

        assert isinstance(stream, io.StringIO)
        try:
            write_atomic(
                args.output_file,
                stream.getvalue().encode("utf-8", "backslashreplace"),
                not_over=inputs,
            )
        except (OSError, RefusedWrite) as error:
            return cannot_write(args.output_file, error)
    stdout.flush()
    if fixer is not None and level >= 0:
        print(f"ozml: {fixer.line()}", file=sys.stderr)
    if writer is not None:
        try:
            count = writer.write()
        except OSError as error:
            return cannot_write(args.write_baseline, error)
        from ozml.report import plural

        print(
            f"ozml: wrote {plural(count, 'finding')} to the baseline {args.write_baseline}",
            file=sys.stderr,
        )
    if args.add_noqa:
        from ozml.report import plural

        print(
            f"ozml: added suppressions for {plural(tally[0], 'finding')}"
            f" in {plural(tally[1], 'file')}",
            file=sys.stderr,
        )
    _closing_lines(args, summary, stream, level, fixing, counts, workers[0] if workers else 0)
    if counts.internal:
        return INTERNAL_ERROR
    if summary.unreadable:
        return USAGE
    if fixer is not None and fixer.diff:
        return FINDINGS if fixer.fixed and not args.exit_zero else OK
    if fixer is not None and args.exit_non_zero_on_fix and fixer.fixed:
        return FINDINGS
    if args.exit_zero:
        return OK
    return FINDINGS if summary.failing(fail_on) else OK


def _note_file(
    report: FileReport,
    resolver: Resolver,
    configs: set[str],
    verbose: bool,
    progress: Progress,
) -> None:
    """``-v``: a line per file on standard error with its configuration; and, for
    ``--watch``, the configuration files that applied."""
    if report.path == "-" or report.error is not None:
        folder = os.curdir
    else:
        folder = os.path.dirname(report.path) or os.curdir
    config = resolver.config_in(folder)
    if config is not None:
        configs.add(str(config.path))
    if not verbose:
        return
    from ozml.report import plural
    from ozml.report.style import printable

    where = config.label if config is not None else "defaults (no configuration)"
    if resolver.isolated:
        where = "defaults (--isolated)"
    if report.error is not None:
        state = report.error
    else:
        state = plural(len(report.diagnostics), "finding")
        if report.seconds is not None:
            state += f" in {report.seconds * 1000:.1f} ms"
    progress.clear()
    print(
        f"ozml: {printable(report.path)}: {printable(state)}; settings from {printable(where)}",
        file=sys.stderr,
        flush=True,
    )


def _closing_lines(
    args: argparse.Namespace,
    summary: Summary,
    stream: TextIO,
    level: int,
    fixing: bool,
    counts: _Run,
    workers: int,
) -> None:
    """The lines that end a run on standard error, for the person at the terminal.

    Written when standard error is a terminal (or with ``-v``), never with ``-q``: the outcome
    (``All checks passed! 12 files checked.``, or the findings summary unless the text report
    just showed it on the same terminal) and, when findings could be fixed and no fix was
    asked for, ``[*] N fixable with the --fix option.``. Standard output is left as it is.
    """
    import time

    from ozml.report import closing_line, fix_hint

    if level < 0:
        return
    terminal = is_terminal(sys.stderr)
    if not (terminal or level > 0):
        return
    lines: list[str] = []
    shown_on_terminal = (
        args.format in ("text", "concise")
        and summary.findings
        and stream is sys.stdout
        and is_terminal(stream)
    )
    # --diff shows no findings, and --write-baseline hides them all: no outcome to state.
    if not shown_on_terminal and not args.diff and not args.write_baseline:
        lines.append(closing_line(summary))
    if not fixing:
        hint = fix_hint(summary)
        if hint is not None:
            lines.append(hint)
    if level > 0:
        elapsed = time.perf_counter() - counts.started
        processes = f"{workers} worker processes" if workers else "1 process"
        lines.append(f"ozml: checked in {elapsed:.2f} s ({processes})")
    for line in lines:
        print(line, file=sys.stderr)
    sys.stderr.flush()
