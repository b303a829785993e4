"""Which files a command works on: PATH arguments and the options that choose files.

`add_discovery_options` adds the PATH arguments and the ``files`` options (``--include``,
``--exclude``, ``--extend-exclude``, ``--respect-gitignore`` / ``--no-respect-gitignore``,
``--force-exclude``, ``--show-files``, ``--allow-empty``, ``--stdin-filename``) to a
subcommand's parser; `Discovery` turns the parsed arguments into the files (`ozml.files`), with
the configuration's include and exclude globs, and says afterwards whether the run found
nothing to work on. ``ozml check`` uses both; any command that walks folders the same way can.

No PATH means the current folder. A PATH that matches nothing is a warning, and a run that finds
no file at all is an error unless ``--allow-empty`` (docs/cli.md, "Which files").
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ozml.files import Found, Ignores, Problem, Tally


def add_discovery_options(parser: argparse.ArgumentParser, *, verb: str = "check") -> None:
    """The PATH arguments and the ``files`` option group."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, folders, globs, or - for standard input (default: the current folder)",
    )
    group = parser.add_argument_group("files")
    group.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help=f"{verb} files in folders matching GLOB instead of *.xml and *.ozml (repeatable)",
    )
    group.add_argument(
        "--exclude",
        "--extend-exclude",
        dest="exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files and folders matching GLOB, e.g. examples/bad or 'bad/*', in addition"
        " to the configuration's exclude (repeatable)",
    )
    group.add_argument(
        "--respect-gitignore",
        dest="respect_gitignore",
        action="store_true",
        default=True,
        help="skip what .gitignore, .ignore, .git/info/exclude and git's global excludes file"
        " ignore (the default)",
    )
    group.add_argument(
        "--no-respect-gitignore",
        dest="respect_gitignore",
        action="store_false",
        help="walk into everything, whatever the ignore files say",
    )
    group.add_argument(
        "--force-exclude",
        action="store_true",
        help="leave out files named on the command line that the ignore files ignore, too"
        " (exclude globs always apply to them)",
    )
    group.add_argument(
        "--show-files",
        action="store_true",
        help="print the files this command would work on, one per line, and exit",
    )
    group.add_argument(
        "--allow-empty",
        action="store_true",
        help="finding no file to work on is not an error",
    )
    group.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="the path to show for - (standard input)",
    )


def paths(args: argparse.Namespace) -> list[str]:
    """The PATH arguments, the current folder when none is given (stored back in `args`)."""
    if not args.paths:
        args.paths = ["."]
    return list(args.paths)


class Discovery:
    """The files of a run: iterate it once; afterwards `tally` says what was found.

    `include` and `exclude` are the configuration's globs (the command line's ``--include``
    replaces `include`; ``--exclude`` adds to `exclude`). A glob that is not valid raises
    `ValueError` with a message for users.
    """

    def __init__(
        self,
        args: argparse.Namespace,
        warn: Callable[[str], None],
        *,
        include: Sequence[str] | None = None,
        exclude: Sequence[str] = (),
        verb: str = "check",
    ) -> None:
        from ozml.files import Ignores, Matcher, Tally

        self.verb = verb
        self.paths = paths(args)
        self.matcher = Matcher(args.include or include, [*exclude, *args.exclude])
        self.ignores: Ignores | None = Ignores(warn) if args.respect_gitignore else None
        self.force_exclude = bool(args.force_exclude)
        self.allow_empty = bool(args.allow_empty)
        self.stdin_name: str | None = getattr(args, "stdin_filename", None)
        self.warn = warn
        self.tally: Tally = Tally()

    def __iter__(self) -> Iterator[Found | Problem]:
        from ozml.files import Tally, discover

        self.tally = Tally()
        return discover(
            self.paths,
            self.matcher,
            self.warn,
            ignores=self.ignores,
            force_exclude=self.force_exclude,
            tally=self.tally,
            stdin_name=self.stdin_name,
        )

    def empty_error(self, problems: int = 0) -> str | None:
        """After the walk: the error to report when no file was found, else None.

        Not an error: ``--allow-empty``; paths that could not be read (already errors); and
        runs whose every PATH named a file that the excludes left out (pre-commit passes the
        changed files, some of which the configuration excludes).
        """
        tally = self.tally
        if tally.found or self.allow_empty or problems:
            return None
        if tally.skipped and tally.skipped == len(self.paths):
            return None
        named = ", ".join(self.paths)
        return f"no files to {self.verb} in {named} (--allow-empty accepts that)"


__all__ = ["Discovery", "add_discovery_options", "paths"]
