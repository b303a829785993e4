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
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

from ozml.cli.common import nonempty

if TYPE_CHECKING:
    from ozml.config import Config, Resolver
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
        default=None,
        help="skip what .gitignore, .ignore, .git/info/exclude and git's global excludes file"
        " ignore (the default, unless the configuration's respect-gitignore is false)",
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
        type=nonempty,
        help="the path to show for - (standard input, which is read when no PATH is given)",
    )


def paths(args: argparse.Namespace) -> list[str]:
    """The PATH arguments (stored back in `args`): the current folder when none is given, or
    ``-`` when ``--stdin-filename`` is (as in ruff: the name says standard input is read).

    `ValueError` for ``--stdin-filename`` with paths of which none is ``-``: standard input
    would be left unread and the paths worked on instead (a rewrite of the current folder by
    ``ozml fmt --stdin-filename x.xml < x.xml``, before)."""
    stdin_name = getattr(args, "stdin_filename", None)
    if not args.paths:
        args.paths = ["-"] if stdin_name else ["."]
    elif stdin_name and "-" not in args.paths:
        raise ValueError(
            "--stdin-filename names standard input, which is read as -: give - among the"
            " paths, or leave the paths out"
        )
    return list(args.paths)


def stdin_alone(given: Sequence[str], writer: str, *, looking: str) -> None:
    """`ValueError` when ``-`` (standard input) is among several PATHs of a run that rewrites
    files (``ozml check --fix``, ``ozml fmt``): standard input's document goes to standard
    output, so the files' would go there too, or be rewritten beside it, in one stream that no
    caller can take apart (`ozml fmt - a.xml` printed one and rewrote the other). The commands
    that only look (`looking`: ``--diff``, ``--check``) take ``-`` among other PATHs."""
    if "-" in given and len(given) > 1:
        raise ValueError(
            f"{writer} prints the document of - (standard input) on standard output, so - must"
            f" be the only PATH (to only look, {looking} may mix them)"
        )


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
        #: ``--respect-gitignore`` (None: not given; the configuration may decide).
        self.respect_gitignore: bool | None = args.respect_gitignore
        self.ignores: Ignores | None = (
            Ignores(warn) if args.respect_gitignore is not False else None
        )
        self.force_exclude = bool(args.force_exclude)
        self.allow_empty = bool(args.allow_empty)
        self.stdin_name: str | None = getattr(args, "stdin_filename", None)
        self.warn = warn
        self.tally: Tally = Tally()
        #: Set by `configured`: the resolver whose nested configurations' excludes apply, the
        #: configuration of the first PATH and its folder.
        self.resolver: Resolver | None = None
        self.top: Config | None = None
        self.top_folder = "."

    @classmethod
    def configured(
        cls,
        args: argparse.Namespace,
        warn: Callable[[str], None],
        resolver: Resolver,
        *,
        verb: str = "check",
    ) -> Discovery:
        """The files of a run as the configuration chooses them: the first PATH's
        configuration gives the include and exclude globs (under the command line's), and
        each configuration's ``exclude`` leaves out its own files, matched from its folder
        (`nested_excludes`). A bad configuration raises `ozml.config.ConfigError`; a bad glob
        `ValueError`."""
        top, folder = top_config(resolver, paths(args))
        found = cls(
            args,
            warn,
            include=list(top.include) if top is not None and top.include else None,
            exclude=top.exclude if top is not None else (),
            verb=verb,
        )
        found.resolver, found.top, found.top_folder = resolver, top, folder
        if top is not None:  # the configuration's say, where the command line has none
            if found.respect_gitignore is None and top.respect_gitignore is False:
                found.ignores = None
            if top.force_exclude:
                found.force_exclude = True
        return found

    def __iter__(self) -> Iterator[Found | Problem]:
        from ozml.files import Tally, discover

        self.tally = Tally()
        items = discover(
            self.paths,
            self.matcher,
            self.warn,
            ignores=self.ignores,
            force_exclude=self.force_exclude,
            tally=self.tally,
            stdin_name=self.stdin_name,
        )
        if self.resolver is None:
            return items
        return nested_excludes(
            items, self.resolver, self.top, stdin_name=self.stdin_name, tally=self.tally
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


def top_config(resolver: Resolver, given: Sequence[str]) -> tuple[Config | None, str]:
    """The configuration of the first PATH (of the current folder for -), and its folder."""
    first = next((p for p in given if p != "-"), ".")
    folder = first if os.path.isdir(first) else os.path.dirname(first) or "."
    return resolver.config_in(folder), folder


def nested_excludes(
    items: Iterable[Found | Problem],
    resolver: Resolver,
    top: Config | None,
    *,
    stdin_name: str | None = None,
    tally: Tally | None = None,
) -> Iterator[Found | Problem]:
    """Discovered items less the files a configuration's ``exclude`` leaves out, its globs
    matched against the file's path from the configuration's folder: a nested
    configuration's, and the first PATH's (which the walk matched against the paths as shown)
    where the paths shown do not start at its folder. So what a configuration leaves out does
    not depend on where the run was started: under ``exclude = ["generated"]``,
    ``cd generated && ozml check .`` checks none of the files there, just as ``ozml check
    generated`` from the top checks none.

    Resolving each file's configuration here, in this process, also means a bad configuration
    file is met (and reported) before any worker needs it.

    Standard input shown as `stdin_name` is the file of that name: left out as it would be
    (counted in `tally` as standard input skipped, which ``ozml fmt`` then passes through).
    """
    from ozml.files import Found

    # In a run started in the top configuration's folder, a path shown below it is its path
    # from that folder: the walk has matched it already.
    at_top = top is not None and top.exclude and os.path.abspath(os.curdir) == str(top.root)
    for item in items:
        fspath = item.fspath if isinstance(item, Found) else None
        if isinstance(item, Found) and fspath is None and stdin_name:
            config = resolver.config_in(os.path.dirname(stdin_name) or os.curdir)
            if config is not None and config.exclude and resolver.excludes(config, stdin_name):
                if tally is not None:
                    tally.found -= 1
                    tally.skipped += 1
                    tally.stdin_skipped = True
                continue
        if fspath is not None:
            assert isinstance(item, Found)
            config = resolver.config_in(item.folder or os.path.dirname(fspath) or os.curdir)
            if (
                config is not None
                and config.exclude
                and not (
                    config is top and at_top and ".." not in fspath and not os.path.isabs(fspath)
                )
                and resolver.excludes(config, fspath)
            ):
                continue
        yield item


def show_files(discovery: Discovery, stdout: TextIO) -> int:
    """``--show-files``: the files a run would work on, one per line; exit 0 (2 when a PATH
    cannot be read, each reported as an error)."""
    from ozml.cli.common import error
    from ozml.cli.exits import OK, USAGE
    from ozml.files import Problem
    from ozml.report.style import printable

    problems = 0
    for item in discovery:
        if isinstance(item, Problem):
            stdout.flush()
            error(str(item))
            problems += 1
        else:
            stdout.write(printable(item.path) + "\n")
    stdout.flush()
    return USAGE if problems else OK


def echo_stdin() -> None:
    """Copy standard input to standard output as it is: what a command that changes documents
    prints for standard input whose ``--stdin-filename`` is excluded."""
    source = getattr(sys.stdin, "buffer", None)
    target = getattr(sys.stdout, "buffer", None)
    if source is None or target is None:
        return
    while chunk := source.read(1 << 16):
        target.write(chunk)
    target.flush()


__all__ = [
    "Discovery",
    "add_discovery_options",
    "echo_stdin",
    "nested_excludes",
    "paths",
    "show_files",
    "stdin_alone",
    "top_config",
]
