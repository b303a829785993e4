"""`ozml fmt PATH...` (also `ozml format`): format OzML files in place, or check or show what
would change.

Each file is read, parsed and written canonically (`ozml.formatter`) with the formatter's
settings of its nearest configuration (the ``[format]`` table, as `ozml check` finds it; or the
``--config`` file's, or none with ``--isolated``), the command line's setting options on top.
It is read as `ozml check` reads it: within the configuration's ``max-bytes``, with its
``templates`` (``--max-bytes`` and ``--templates`` win), so that what the linter reads as text
the formatter does not lay out as a template part, nor the other way round. A
file whose formatted bytes differ is replaced atomically (`ozml.atomic`), so an interrupted run
never leaves half a file. A file that is not well-formed is refused and left untouched, as is
anything `ozml.atomic` will not replace (a link leading out of the walked folder, a pipe, a
hard-linked file). A bug met on one file is reported for that file and the others are still
formatted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeAlias

from ozml.cli.common import (
    add_color_option,
    add_config_options,
    add_reading_options,
    add_verbosity_options,
    color_wanted,
    config_choice,
    error,
    one_of,
    reading_options,
    verbosity,
    warning,
)
from ozml.cli.exits import FINDINGS, INTERNAL_ERROR, OK, USAGE

if TYPE_CHECKING:
    from ozml.config import Config, Resolver
    from ozml.files import Found
    from ozml.formatter import FormatOptions
    from ozml.lint.settings import LintSettings

HELP = "Format OzML files in place (--check, --diff to only look); - formats stdin to stdout."

DESCRIPTION = """\
Format OzML documents (ozml format is the same command): the canonical declaration,
indentation, attribute order, double quotes, self-closed empty elements, correct escaping, and
canonical names (unless --keep-names; the vendor's other spellings of a parameter, such as
TranferredCallId, are kept: renaming one is an unsafe fix of ozml check). Comments, processing
instructions, CDATA and single blank lines are kept. The layout is set by the [format] table
of each file's nearest configuration (ozml.toml, or [tool.ozml.format] in pyproject.toml;
docs/formatter.md) and the setting options below. PATH is a file, a folder (searched for
*.xml and *.ozml) or - for standard input (formatted to standard output); no PATH formats the
current folder. Files are chosen as ozml check chooses them (include and exclude globs,
.gitignore and .ignore files). Files that are not well-formed are refused and left as they
are. Exit status: 0 done (or nothing to change), 1 a file would change (--check, --diff) or was
refused, 2 usage, configuration or I/O error."""

#: The setting options: option destination → ``[format]`` key.
SETTING_OPTIONS = {
    "line_length": "line-length",
    "indent_width": "indent-width",
    "indent_style": "indent-style",
    "attribute_order": "attribute-order",
}


def configure(parser: argparse.ArgumentParser) -> None:
    from ozml.writer import ATTRIBUTE_ORDERS, INDENT_STYLES

    parser.description = DESCRIPTION
    from ozml.cli.discovery import add_discovery_options

    add_discovery_options(parser, verb="format")
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
    settings = parser.add_argument_group(
        "settings", "these win over the [format] table of every configuration"
    )
    settings.add_argument(
        "--line-length",
        type=int,
        metavar="N",
        help="wrap a start tag with two or more attributes, one per line, when it would end"
        " past column N (1-320; default 100)",
    )
    settings.add_argument(
        "--indent-width",
        type=int,
        metavar="N",
        help="columns per level of indentation (1-16; default 2)",
    )
    # In any letter case, as the configuration takes them (`ozml.formatter.check_setting`).
    settings.add_argument(
        "--indent-style",
        **one_of(INDENT_STYLES),
        help="indent with spaces or tabs (default space)",
    )
    settings.add_argument(
        "--attribute-order",
        **one_of(ATTRIBUTE_ORDERS),
        help="catalog (the command's parameter table), keep (as written) or sort (alphabetical);"
        " default catalog",
    )
    settings.add_argument(
        "--keep-names",
        action="store_true",
        help="leave legacy and wrongly cased names as written (layout only)",
    )
    reading = parser.add_argument_group(
        "reading", "these win over the max-bytes and templates of every configuration"
    )
    add_reading_options(reading)
    add_config_options(parser, what="the formatter's settings")
    from ozml.cli.parallel import add_jobs_option

    add_jobs_option(parser, "format")
    add_color_option(parser)
    add_verbosity_options(
        parser,
        quiet="print errors only (no summary, no 'would reformat' lines)",
        verbose="print each file with what happened to it and where its settings came from",
    )


class _Tally:
    def __init__(self) -> None:
        self.changed = 0
        self.unchanged = 0
        self.refused = 0
        self.unreadable = 0
        self.internal = 0

    def add(self, kind: str) -> None:
        """Count one file in `kind` ("changed", "unchanged", "refused", ...)."""
        setattr(self, kind, getattr(self, kind) + 1)


#: How a file is read and judged: its linter settings, which say the most bytes it is parsed
#: from (larger files are refused, OZ003), the template syntaxes whose parts it holds
#: (`ozml.templates`), and what its suppression comments suppress, which formatting keeps
#: suppressed (`ozml.noqalayout`): its configuration's, its per-file globs applied, the command
#: line's ``--max-bytes`` and ``--templates`` on top.
Reading: TypeAlias = "LintSettings"


class _Settings:
    """Each file's formatter settings and how it is read: its configuration's, with the
    command line's on top; worked out once per configuration."""

    def __init__(self, resolver: Resolver, overrides: dict[str, Any]) -> None:
        self.resolver = resolver
        self.overrides = overrides
        self._done: dict[object, tuple[FormatOptions, LintSettings]] = {}

    def for_folder(self, folder: str) -> tuple[FormatOptions, LintSettings, Config | None]:
        import attrs

        from ozml.config import format_options

        config = self.resolver.config_in(folder or os.curdir)
        key = config.path if config is not None else None
        done = self._done.get(key)
        if done is None:
            options = attrs.evolve(format_options(config), **self.overrides)
            read = self.resolver.resolve_folder(folder or os.curdir).settings
            done = self._done[key] = (options, read)
        return (*done, config)

    def for_file(self, name: str | None, folder_settings: LintSettings) -> LintSettings:
        """How the file `name` is read and judged (`Reading`): its folder's settings with its
        per-file globs applied; `folder_settings` for standard input without a name."""
        return folder_settings if name is None else self.resolver.settings_for(name)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The setting options given, checked (`ValueError` naming the option)."""
    from ozml.formatter import check_setting

    found: dict[str, Any] = {}
    for dest, key in SETTING_OPTIONS.items():
        value = getattr(args, dest, None)
        if value is None:
            continue
        try:
            found[dest] = check_setting(key, value)
        except ValueError as problem:
            raise ValueError(f"--{key}: {problem}") from None
    if args.keep_names:
        found["keep_names"] = True
    return found


def run(args: argparse.Namespace) -> int:
    from ozml.cli.discovery import Discovery, echo_stdin, show_files
    from ozml.config import ConfigError, Overrides, Resolver
    from ozml.files import Found

    config_file, isolated = config_choice(args)
    from ozml.cli.parallel import jobs_problem

    problem = jobs_problem(args.jobs)
    if problem is not None:
        return error(problem)
    try:
        if not (args.check or args.diff):
            from ozml.cli.discovery import stdin_alone

            stdin_alone(args.paths, "ozml fmt", looking="--check or --diff")
        overrides = _overrides(args)
        max_bytes, templates = reading_options(args)
        resolver = Resolver(
            Overrides(max_bytes=max_bytes, templates=templates),
            isolated=isolated,
            config_file=config_file,
        )
        discovery = Discovery.configured(args, warning, resolver, verb="format")
    except (ValueError, ConfigError) as problem:
        return error(str(problem))
    if args.show_files:
        try:
            return show_files(discovery, sys.stdout)
        except ConfigError as problem:
            return error(str(problem))
    settings = _Settings(resolver, overrides)
    tally = _Tally()
    # Every file's configuration is read before any file is formatted: a bad one stops the run
    # with nothing changed.
    work: list[Work] = []
    try:
        for item in discovery:
            if not isinstance(item, Found):
                error(str(item))
                tally.unreadable += 1
                continue
            path, folder = _where(item, args)
            options, read, config = settings.for_folder(folder)
            name = item.fspath if item.fspath is not None else args.stdin_filename
            work.append((item, path, options, settings.for_file(name, read), config))
    except ConfigError as problem:
        return error(str(problem))
    if discovery.tally.stdin_skipped and not (args.check or args.diff):
        echo_stdin()  # standard input named as an excluded file goes through unchanged
    empty = discovery.empty_error(tally.unreadable)
    if empty is not None:
        return error(empty)
    mode = _Mode(args)
    for (_, path, _, _, config), outcome in zip(
        work, _outcomes(work, mode, args.jobs), strict=True
    ):
        _tell(outcome, path, config, args, tally)
    if verbosity(args) >= 0 and not (len(args.paths) == 1 and args.paths[0] == "-"):
        print(_summary(tally, args.check or args.diff), file=sys.stderr)
    if tally.internal:
        return INTERNAL_ERROR
    if tally.unreadable:
        return USAGE
    if tally.refused or ((args.check or args.diff) and tally.changed):
        return FINDINGS
    return OK


def _where(item: Found, args: argparse.Namespace) -> tuple[str, str]:
    """The path to show for a file, and the folder whose configuration it takes (standard
    input: ``--stdin-filename``'s, else the current folder's)."""
    if item.fspath is None:
        if args.stdin_filename:
            return args.stdin_filename, os.path.dirname(args.stdin_filename)
        return item.path, os.curdir
    return item.path, item.folder or os.path.dirname(item.fspath)


class _Mode:
    """What the command line asks of every file (sent to the workers as it is)."""

    __slots__ = ("check", "color", "diff", "quiet")

    def __init__(self, args: argparse.Namespace) -> None:
        self.check: bool = args.check
        self.diff: bool = args.diff
        self.color = bool(args.diff) and color_wanted(args.color, sys.stdout)
        self.quiet = verbosity(args) < 0


class _Outcome:
    """What formatting one file came to, for this process to print and count (a worker only
    formats and writes: the output is printed here, in the order of the files)."""

    __slots__ = ("diff", "errors", "kind", "notes", "output", "said")

    def __init__(
        self,
        kind: str,
        said: str = "",
        *,
        errors: tuple[str, ...] = (),
        notes: tuple[str, ...] = (),
        diff: str = "",
        output: bytes | None = None,
    ) -> None:
        #: "changed", "unchanged", "refused", "unreadable" or "internal" (the tally it counts in).
        self.kind = kind
        #: What happened, in a few words, for --verbose ("" when it could not be done).
        self.said = said
        #: Error messages (``ozml: error: ...``) and other lines for standard error.
        self.errors = errors
        self.notes = notes
        #: The unified diff (--diff), and standard input's formatted bytes.
        self.diff = diff
        self.output = output


#: A file to format: where it is, the path shown for it, its settings, how it is read, and
#: its configuration (None: none).
Work = tuple["Found", str, "FormatOptions", Reading, "Config | None"]


def _outcomes(work: list[Work], mode: _Mode, jobs: int | None) -> Iterator[_Outcome]:
    """The outcome of each file, in order, from worker processes when there are enough files
    (`ozml.cli.parallel`, the policy of ``ozml check``)."""
    from ozml.cli import parallel

    stream, workers, _ = parallel.plan(work, jobs)
    if not workers:
        for item, path, options, reading, _ in stream:
            yield _safely(item, path, options, reading, mode)
        return
    yield from parallel.in_order(
        stream,
        workers,
        sent=_sent,
        remote=_format_batch,
        here=lambda w: _safely(w[0], w[1], w[2], w[3], mode),
        file_of=lambda w: w[0].fspath,
        initializer=_init_worker,
        initargs=(mode,),
    )


_worker_mode: _Mode | None = None


def _init_worker(mode: _Mode) -> None:
    global _worker_mode
    _worker_mode = mode


#: What a worker is given for a file (`_sent`).
_Sent = tuple[str, str, "str | None", "FormatOptions", Reading]


def _sent(work: Work) -> _Sent | None:
    """What a worker is given for a file; None for standard input, formatted here."""
    item, path, options, reading, _ = work
    if item.fspath is None:
        return None
    return (item.fspath, path, item.folder, options, reading)


def _format_batch(batch: list[_Sent]) -> list[_Outcome]:
    from ozml.files import Found

    assert _worker_mode is not None
    return [
        _safely(Found(path, fspath, folder), path, options, reading, _worker_mode)
        for fspath, path, folder, options, reading in batch
    ]


def _safely(
    item: Found, path: str, options: FormatOptions, reading: Reading, mode: _Mode
) -> _Outcome:
    """Format one file with its settings, read as `reading` says; a bug is reported for it
    alone."""
    try:
        return _formatted(item, path, options, reading, mode)
    except Exception as problem:  # a bug: report it for this file, format the others
        if os.environ.get("OZML_DEBUG"):
            raise
        from ozml.report.style import printable

        note = (
            f"ozml: internal error: {printable(path)}: {type(problem).__name__}:"
            f" {printable(str(problem))} (left unchanged; set OZML_DEBUG=1 to see the"
            " traceback, and please report it)"
        )
        return _Outcome("internal", notes=(note,))


def _formatted(
    item: Found, path: str, options: FormatOptions, reading: Reading, mode: _Mode
) -> _Outcome:
    """Format one file: check, show or rewrite it; say what happened (printed by `_tell`)."""
    # The modules are loaded once per run (`_Tools`): an import statement costs one to two
    # microseconds each time it runs.
    tools = _Tools.get()
    files, formatter, parser = tools.files, tools.formatter, tools.parser
    limit, templates = reading.max_bytes, reading.templates
    try:
        data, size = files.read(item, limit)
    except files.ReadError as problem:
        return _Outcome("unreadable", errors=(files.unreadable(path, problem),))
    if size > limit:
        result = parser.too_large(
            data, path, size, max_bytes=limit, exact=item.fspath is not None
        )
    else:
        result = parser.parse(data, path, max_bytes=limit, templates=templates)
    try:
        formatted = formatter.format_result(result, options=options, settings=reading)
    except formatter.FormatError as problem:
        return _Outcome("refused", errors=(str(problem),))
    new = formatted.text.encode("utf-8")
    changed = new != data
    diff = ""
    if mode.diff and changed:
        from ozml.cli.fixing import unified_diff

        diff = unified_diff(path, result.source.text, formatted.text)
        diff = _painted(diff) if mode.color else diff
    notes: tuple[str, ...] = ()
    output = None
    if mode.check or mode.diff:
        if mode.check and changed and not mode.quiet:
            from ozml.report.style import printable

            notes = (f"would reformat {printable(path)}",)
    elif item.fspath is None:
        output = new
    elif changed:
        from ozml.atomic import write_atomic

        try:
            write_atomic(files.write_path(item.fspath), new, based_on=data)
        except OSError as problem:
            return _Outcome(
                "unreadable", errors=(f"{path}: not rewritten: {files.reason(problem)}",)
            )
    kind = "changed" if changed else "unchanged"
    if not changed:
        said = "already formatted"
    else:
        said = "would reformat" if mode.check or mode.diff else "reformatted"
    return _Outcome(kind, said, notes=notes, diff=diff, output=output)


class _Tools:
    """The modules `_formatted` works with, loaded when a run first formats a file (``ozml fmt
    --help`` does not load the parser)."""

    _made: _Tools | None = None

    def __init__(self) -> None:
        from ozml import files, formatter, parser

        self.files = files
        self.formatter = formatter
        self.parser = parser

    @classmethod
    def get(cls) -> _Tools:
        made = cls._made
        if made is None:
            made = cls._made = cls()
        return made


def _tell(
    outcome: _Outcome,
    path: str,
    config: Config | None,
    args: argparse.Namespace,
    tally: _Tally,
) -> None:
    """Print what became of one file, in the order of the files, and count it."""
    if outcome.diff:
        sys.stdout.write(outcome.diff)
        sys.stdout.flush()
    for message in outcome.errors:
        error(message)
    for note in outcome.notes:
        print(note, file=sys.stderr, flush=True)
    if outcome.output is not None:
        sys.stdout.buffer.write(outcome.output)
        sys.stdout.flush()
    tally.add(outcome.kind)
    if verbosity(args) > 0 and outcome.said:
        from ozml.report.style import printable

        origin = f"settings of {config.label}" if config is not None else "default settings"
        if _overrides(args):
            origin += " and the command line"
        print(f"{printable(path)}: {outcome.said} ({printable(origin)})", file=sys.stderr)


def _painted(diff: str) -> str:
    """A unified diff in colour: file names bold, hunk heads cyan, removals red, additions
    green."""
    from ozml.report.style import BOLD, RESET

    out = []
    for line in diff.splitlines(keepends=True):
        body = line.rstrip("\n")
        if line.startswith(("--- ", "+++ ")):
            code = BOLD
        elif line.startswith("@@"):
            code = "\x1b[36m"
        elif line.startswith("-"):
            code = "\x1b[31m"
        elif line.startswith("+"):
            code = "\x1b[32m"
        else:
            out.append(line)
            continue
        out.append(f"{code}{body}{RESET}{line[len(body):]}")
    return "".join(out)


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
