"""The `ozml` command line.

Each subcommand is its own module under `ozml.cli`, imported only when it is the one run, so
that `ozml check` loads no HTTP or language-server code (cold start, DESIGN.md). A subcommand
module defines `HELP` (one line), `configure(parser)` and `run(args) -> int`.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, NoReturn

from ozml.cli.exits import INTERNAL_ERROR, OK, USAGE

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

#: Subcommand name → module, in the order `ozml --help` lists them.
SUBCOMMANDS: dict[str, str] = {
    "check": "ozml.cli.check",
    "fmt": "ozml.cli.fmt",
    "run": "ozml.cli.run",
    "test": "ozml.cli.scenario_test",
    "api": "ozml.cli.api",
    "simulate": "ozml.cli.simulate",
    "lsp": "ozml.cli.lsp",
    "rules": "ozml.cli.rules",
    "rule": "ozml.cli.rule",
    "commands": "ozml.cli.commands",
    "command": "ozml.cli.command",
    "schema": "ozml.cli.schema",
    "graph": "ozml.cli.graph",
    "completion": "ozml.cli.completion",
    "version": "ozml.cli.version",
}

#: Other names of subcommands (``ozml format`` is ``ozml fmt``, as ``ruff format`` is).
ALIASES: dict[str, str] = {"format": "fmt"}


def _version() -> str:
    """``ozml 0.1.0 (lxml 6.0.0, libxml2 2.14.4, Python 3.11.2)``, for ``--version``."""
    from ozml.cli.version import one_line

    return one_line()


def _load(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(SUBCOMMANDS[name])
    except ModuleNotFoundError as error:
        if error.name == SUBCOMMANDS[name]:
            return None  # not built yet in this checkout
        raise


class _VersionAction(argparse.Action):
    """``--version``: the facts are gathered only when asked for (cold start)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(_version())
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """argparse, with abbreviated options refused and errors in ozml's one style.

    ``--sel`` is not taken for ``--select`` (a later option could make it ambiguous, and a
    script that relied on it would break); a usage error is the usage line and then
    ``ozml: error: ...`` on standard error, exit 2, like every other error.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse drops a failure to write its help, version or usage (OSError), so that
        # `ozml --help > /dev/full` passed for a success; here it is reported (exit 2) as any
        # other failure to write the standard output is.
        if message:
            (file or sys.stderr).write(message)

    def error(self, message: str) -> NoReturn:
        from ozml.report.style import printable

        self.print_usage(sys.stderr)
        sys.stderr.write(
            f"ozml: error: {printable(message)} (see `{self.prog} --help`)\n"
        )
        sys.exit(USAGE)


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, without importing shutil (and bz2, lzma) on every start.

    argparse builds a formatter for each option it adds, and the stock one asks
    shutil.get_terminal_size for the width; os.get_terminal_size gives the same answer here.
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    """What shutil.get_terminal_size().columns says: $COLUMNS, else the terminal, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ozml",
        formatter_class=_Formatter,
        description="Lint, format, generate and run OzML,"
        " the call-control XML of the Ozeki Phone System.",
        epilog="Exit codes: 0 clean, 1 findings (or a failed run or test), 2 usage or I/O error,"
        " 3 internal error. See `ozml COMMAND --help`.",
    )
    parser.add_argument(
        "--version", action=_VersionAction, help="print the versions of ozml, lxml and libxml2"
    )
    subparsers = parser.add_subparsers(dest="subcommand", metavar="COMMAND")
    for name in SUBCOMMANDS:
        if only is not None and name != only:
            continue
        module = _load(name)
        if module is None:
            continue
        aliases = [alias for alias, target in ALIASES.items() if target == name]
        sub = subparsers.add_parser(
            name,
            aliases=aliases,
            help=module.HELP + (f" (also: ozml {', '.join(aliases)})" if aliases else ""),
            description=module.HELP,
            formatter_class=_Formatter,
        )
        module.configure(sub)
        sub.set_defaults(_run=module.run, _parser=sub)
    return parser


class _InputClosed(OSError):
    """A read of a standard input closed before ozml started (`_ClosedStream`): said as such,
    where any other error without a file name is the standard output's."""


class _ClosedStream:
    """Stands in for a standard stream that was closed before ozml started (``>&-``, ``<&-``).

    Python leaves such a stream as None, where a write would be an AttributeError (exit 3) and a
    print would vanish silently; this one fails like a closed file, and the failure is reported
    as an I/O error (exit 2). Flushing it does nothing: it holds nothing to lose.
    """

    def __init__(self, name: str, failure: type[OSError] = OSError) -> None:
        self.name = name
        self.buffer = self
        self.closed = False
        self._failure = failure

    def _fail(self, *args: object, **kwargs: object) -> NoReturn:
        raise self._failure(errno.EBADF, f"{self.name} is closed")

    write = read = readline = _fail

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._fail()


def _guard_standard_streams() -> None:
    """Stand-ins for standard streams closed before ozml started.

    A closed descriptor 0, 1 or 2 is first taken by the null device: otherwise the next file
    ozml opens (a document it rewrites, a report) would get that number, and whatever is
    written to the stream at the system level would land in the file. Then a closed standard
    output or input fails as a closed file does (exit 2, `_ClosedStream`); a closed standard
    error takes the messages away, as ``2>&-`` asks, where Python's `print` would have written
    them to standard output (into a JSON report, say).
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                taken = os.open(os.devnull, os.O_RDWR)
                if taken != fd:
                    os.dup2(taken, fd)
                    os.close(taken)
    if sys.stdout is None:
        sys.stdout = _ClosedStream("standard output")
    if sys.stdin is None:
        sys.stdin = _ClosedStream("standard input", _InputClosed)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
    # Paths, source lines and the catalog's text may hold characters the output's encoding
    # cannot show (PYTHONIOENCODING=ascii, a C locale): every command escapes them rather than
    # fail half-way through its output. Documents are written as UTF-8 bytes, unaffected.
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="backslashreplace")


def _stdout_failed(error: OSError) -> int:
    """Report a standard output that cannot be written (closed, full, gone): exit 2."""
    from ozml.files import reason

    print(
        f"ozml: error: cannot write to standard output: {reason(error)}",
        file=sys.stderr,
        flush=True,
    )
    # Nothing more can reach it: point it at the null device so that the interpreter's last
    # flush at exit does not fail again.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
    return USAGE


def console_main() -> NoReturn:
    """The ``ozml`` program (and ``python -m ozml``): `main` on the command line, then exit.

    The cyclic garbage collector runs less often than Python's default from the start
    (`ozml.gcpause.collect_less_often`): starting a run made up to 32 passes over the objects
    of start-up, none of them garbage. Before the exit, everything the run made is moved out
    of the collector's reach (`gc.freeze`): the interpreter's last collections would otherwise
    walk every object left (the catalog, the settings, the rules and trees a run loaded) only
    to free memory the process is about to give back; on one clean file that was a tenth of
    the whole run (62 ms against 56, docs/performance.md). Objects are still released as
    modules are torn down, and exit handlers run as before; `main` itself, called in a
    process that goes on (tests, embedding), neither freezes nor changes the collector.
    """
    import gc

    from ozml.gcpause import collect_less_often

    collect_less_often()
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    _guard_standard_streams()
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("ozml: interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        # A closed or full standard output (`>&-`, `> /dev/full`, a reader that went away as
        # in `ozml check | head`) ends the run with exit 2, as in ruff: its output is lost, so
        # the run must not pass for a clean one; so does one that --help, --version or a usage
        # message could not be written to. Any other I/O error that got this far is reported
        # in one line too. Every file ozml opens is reported with its name where it is opened;
        # an error without one is the standard output's, or the current folder's when it was
        # removed under the run (`os.getcwd`, which every path made absolute asks). A closed
        # standard input read without a name (`ozml lsp <&-`) is said as such.
        if isinstance(error, _InputClosed):
            from ozml.cli.common import error as report
            from ozml.files import reason

            return report(reason(error))
        if not error.filename:
            try:
                os.getcwd()
            except OSError as gone:
                from ozml.cli.common import error as report
                from ozml.files import reason

                return report(f"the current folder: {reason(gone)}")
            return _stdout_failed(error)
        from ozml.cli.common import error as report
        from ozml.files import reason

        return report(f"{error.filename}: {reason(error)}")
    except Exception as error:  # pragma: no cover - a bug; never show users a traceback
        if os.environ.get("OZML_DEBUG"):
            raise
        print(
            f"ozml: internal error: {type(error).__name__}: {error}"
            " (set OZML_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return INTERNAL_ERROR


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = args_list[0] if args_list else None
    first = ALIASES.get(first, first) if first is not None else None
    only = first if first in SUBCOMMANDS else None
    if "_ARGCOMPLETE" in os.environ:  # a shell asking for completions (`ozml completion`)
        from ozml.cli.completion import complete

        complete(build_parser())
    parser = build_parser(only)
    try:
        args, extras = parser.parse_known_args(args_list)
        if extras:  # reported by the subcommand's parser, with its usage and --help
            owner = getattr(args, "_parser", parser)
            owner.error(f"unrecognized arguments: {' '.join(extras)}")
    except SystemExit as exit_:
        _flush_stdout()  # --help and --version: a failure to write them is not a success
        return int(exit_.code) if isinstance(exit_.code, int) else USAGE
    run = getattr(args, "_run", None)
    if run is None:
        parser.print_help()
        _flush_stdout()
        return USAGE if args_list else OK
    code = int(run(args))
    _flush_stdout()
    return code


def _flush_stdout() -> None:
    """Write out what is still in the standard output's buffer while a failure can be reported
    (a stream the command closed itself, as the language server's protocol does, has none)."""
    if not getattr(sys.stdout, "closed", False):
        sys.stdout.flush()
