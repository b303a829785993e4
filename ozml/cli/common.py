"""What every `ozml` subcommand shares: the error style, configuration, colour and verbosity.

One place answers each of these questions, so that every subcommand behaves alike (docs/cli.md):

- `error` / `warning`: the one message style, ``ozml: error: ...`` on standard error; `error`
  returns the exit status (2, `USAGE`, unless given another) for the caller to return.
- `cannot_read` / `cannot_write`: a file that cannot be read (``ozml: error: PATH: REASON``) or
  written (``ozml: error: PATH: not written: REASON``), exit 2, in the words of
  `ozml.files.unreadable` and `ozml.files.unwritable`, whichever command met it.
- `add_config_options`: ``--config FILE`` (use this file, and no other) and ``--isolated`` (use
  none), on every subcommand that reads configuration; `config_choice` reads them back.
- `add_reading_options`: ``--max-bytes N`` and ``--templates NAMES``, how documents are read
  (``ozml check``, ``ozml fmt`` and ``ozml graph`` read a file alike); `reading_options` reads
  them back.
- `add_color_option` / `color_wanted`: ``--color auto|always|never`` (``--no-color`` kept as
  ``--color never``), honouring ``NO_COLOR`` and ``FORCE_COLOR``.
- `add_verbosity_options`: ``-q/--quiet`` and ``-v/--verbose``; `verbosity` reads them back
  as -1, 0 or 1.
- `ListAction`: an option whose repeated uses accumulate comma-separated items
  (``--select OZ2 --select OZ3`` selects both), as in ruff.
- `one_of`: an option whose value is one of a few words (``--format``, ``--color``,
  ``--context``...), taken in any letter case as configuration values are.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ozml.cli.exits import USAGE

if TYPE_CHECKING:
    from pathlib import Path

COLOR_CHOICES = ("auto", "always", "never")


def error(message: str, code: int = USAGE) -> int:
    """Print ``ozml: error: MESSAGE`` on standard error; return `code`, the exit status (the
    usage status, 2, unless said otherwise)."""
    from ozml.report.style import printable

    print(f"ozml: error: {printable(message)}", file=sys.stderr, flush=True)
    return code


def cannot_read(path: str | os.PathLike[str], problem: BaseException | str) -> int:
    """Report a file that cannot be read, ``ozml: error: PATH: REASON``; return 2 (`USAGE`)."""
    from ozml.files import unreadable

    return error(unreadable(path, problem))


def cannot_write(path: str | os.PathLike[str], problem: BaseException | str) -> int:
    """Report a file that cannot be written, ``ozml: error: PATH: not written: REASON``;
    return 2 (`USAGE`)."""
    from ozml.files import unwritable

    return error(unwritable(path, problem))


def warning(message: str) -> None:
    """Print ``ozml: warning: MESSAGE`` on standard error."""
    from ozml.report.style import printable

    print(f"ozml: warning: {printable(message)}", file=sys.stderr, flush=True)


# -- configuration -------------------------------------------------------------------------


def add_config_options(parser: argparse.ArgumentParser | Any, *, what: str = "settings") -> None:
    """``--config FILE`` and ``--isolated`` (mutually exclusive) on `parser` or a group."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--config",
        metavar="FILE",
        type=path_argument,
        help=f"read {what} from FILE (ozml.toml, pyproject.toml or any TOML with ozml's tables)"
        " instead of the nearest configuration",
    )
    group.add_argument(
        "--isolated",
        action="store_true",
        help="ignore every configuration file (ozml.toml, pyproject.toml)",
    )


def add_reading_options(parser: argparse.ArgumentParser | Any) -> None:
    """``--max-bytes N`` and ``--templates NAMES`` on `parser` or a group: both win over the
    ``max-bytes`` and ``templates`` of every configuration."""
    parser.add_argument(
        "--max-bytes",
        type=int,
        metavar="N",
        help="report files larger than N bytes instead of parsing them (default: 10 MiB)",
    )
    parser.add_argument(
        "--templates",
        metavar="NAMES",
        help="comma-separated server-side template syntaxes whose parts are dynamic values"
        ' (php, asp, jinja, el, or an alias; "" for none but processing instructions);'
        " wins over the configuration (docs/templates.md)",
    )


def reading_options(args: argparse.Namespace) -> tuple[int | None, frozenset[str] | None]:
    """``--max-bytes`` and ``--templates`` as given (None: not given, the configuration's);
    `ValueError` with the message for a bad value."""
    max_bytes: int | None = args.max_bytes
    if max_bytes is not None and max_bytes < 1:
        raise ValueError("--max-bytes must be a positive number of bytes")
    if args.templates is None:
        return max_bytes, None
    from ozml.syntaxes import names

    try:
        return max_bytes, names(item for item in args.templates.split(",") if item.strip())
    except ValueError as problem:
        raise ValueError(f"--templates: {problem}") from None


def path_argument(text: str) -> Path:
    """A path option's value as a `Path` (pathlib is imported only when such an option is
    given: it costs every start, and a clean run without options never needs it); an empty
    one is a usage error (`nonempty`)."""
    from pathlib import Path

    return Path(nonempty(text))


def nonempty(text: str) -> str:
    """An option's value that names something (a file, a URL, an executor), as given; an
    empty one is a usage error, exit 2: ``-o ''`` wrote the report to standard output,
    ``--baseline ''`` was taken for no baseline, ``--config ''`` read the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty value names nothing")
    return text


def config_choice(args: argparse.Namespace) -> tuple[Path | None, bool]:
    """``(--config FILE or None, --isolated)`` from parsed arguments (absent options: neither)."""
    return getattr(args, "config", None), bool(getattr(args, "isolated", False))


# -- colour --------------------------------------------------------------------------------


def add_color_option(parser: argparse.ArgumentParser | Any) -> None:
    """``--color auto|always|never``, and ``--no-color`` as a synonym of ``--color never``."""
    parser.add_argument(
        "--color",
        **one_of(COLOR_CHOICES),
        default="auto",
        help="colour the output: auto (on a terminal, unless NO_COLOR is set or FORCE_COLOR"
        " asks for it), always or never (default: auto)",
    )
    parser.add_argument(
        "--no-color",
        dest="color",
        action="store_const",
        const="never",
        help="the same as --color never",
    )


def color_wanted(choice: str | None, stream: TextIO) -> bool:
    """Whether to colour `stream` for ``--color CHOICE``.

    ``always`` and ``never`` decide; ``auto`` (and None) colours a terminal, except that a
    non-empty ``NO_COLOR`` turns colour off and a non-empty ``FORCE_COLOR`` turns it on
    (no-color.org, force-color.org); ``NO_COLOR`` wins when both are set.
    """
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return is_terminal(stream)


def is_terminal(stream: object) -> bool:
    """Whether `stream` is a terminal (False for a closed or replaced stream)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


# -- verbosity -----------------------------------------------------------------------------


def add_verbosity_options(
    parser: argparse.ArgumentParser | Any,
    *,
    quiet: str = "print less: findings and errors only",
    verbose: str = "print more: each file as it is checked, and the settings used",
) -> None:
    """``-q/--quiet`` and ``-v/--verbose`` (the later one given wins)."""
    parser.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=-1,
                        help=quiet)
    parser.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=1,
                        help=verbose)
    parser.set_defaults(verbosity=0)


def verbosity(args: argparse.Namespace) -> int:
    """-1 quiet, 0 normal, 1 verbose."""
    return int(getattr(args, "verbosity", 0) or 0)


# -- choices -------------------------------------------------------------------------------


class ChoiceType:
    """argparse's `type` of a choice option (`one_of`): the canonical spelling of a value given
    in any letter case; any other value as given, for argparse's "invalid choice" error."""

    __slots__ = ("canonical",)

    def __init__(self, values: Iterable[str]) -> None:
        self.canonical = {value.casefold(): value for value in values}

    def __call__(self, text: str) -> str:
        return self.canonical.get(text.casefold(), text)

    def __repr__(self) -> str:
        return f"ChoiceType({list(self.canonical.values())!r})"


def one_of(values: Iterable[str]) -> dict[str, Any]:
    """The ``choices`` and ``type`` of an option (or argument) whose value is one of `values`,
    in any letter case: ``--format JSON`` is ``--format json``, as ``context = "3PCC"`` is in a
    configuration. The usage line, --help, completion and the "invalid choice" error show the
    canonical spellings. Every choice option of every subcommand is made with it (a test walks
    the parsers)."""
    canonical = tuple(values)
    return {"choices": canonical, "type": ChoiceType(canonical)}


# -- accumulating lists --------------------------------------------------------------------


class ListAction(argparse.Action):
    """Comma-separated items; repeated uses of the option add to the list instead of replacing it.

    The value stays None when the option is not given, so that callers can tell "not given"
    from "given empty" (``--select ""``).
    """

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        items = list(getattr(namespace, self.dest, None) or [])
        text = values if isinstance(values, str) else ",".join(str(v) for v in values or ())
        items.extend(part.strip() for part in text.split(",") if part.strip())
        setattr(namespace, self.dest, items)
