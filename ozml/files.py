"""Finding the files to check, and reading them.

Paths on the command line are files, folders (walked recursively, in name order, so that output
is stable) or ``-`` for standard input. Folders yield the files whose names match the include
globs (``*.xml`` and ``*.ozml`` by default); exclude globs remove files and whole folders.

A glob is matched against every run of consecutive path components, both of the path as it is
shown and of the path relative to the folder that was given. So ``--exclude bad`` drops any file
or folder named ``bad``, ``--exclude examples/bad`` drops that folder wherever the walk starts,
and ``--exclude 'bad/*'`` drops what is inside any folder named ``bad`` (as users of ruff and git
expect). An explicitly named file is checked whatever its name (include globs do not apply to it),
but exclude globs do apply, so that editors and pre-commit can pass every changed file.

Ignore files (`Ignores`): while walking, the files and folders that git would ignore are left
out: the patterns of ``.gitignore`` and ``.ignore`` files in the walked folders and in the
folders above them up to the repository root, the repository's ``.git/info/exclude`` and git's
global excludes file (``core.excludesFile`` as the git configuration files say, else
``$XDG_CONFIG_HOME/git/ignore``). Their lines are read and matched as git reads and matches
them (`ozml.gitignore`), in time linear in the path and the lines whatever the lines are; the
most specific file with a line that matches a path decides (``.ignore`` over ``.gitignore`` in
one folder, a deeper folder over the ones above it), and, as in git, nothing inside an ignored
folder is taken back: the walk never goes into one, and a path named explicitly is ignored when
a folder above it is. A folder named on the command line is walked even when it is ignored
(then only the ignore files inside it apply), and a named file is checked even when it is
ignored, unless ``force_exclude`` asks otherwise. Each ignore file is read once, and a path is
matched once against each file that applies to it, so the walk stays linear.

A PATH that does not exist but holds ``*``, ``?`` or ``[`` is expanded as a glob (for shells
that do not expand them); the files it matches are treated as the files of a walked folder
(the include globs apply).

Nothing here raises for a bad path: problems come back as `Problem` items in discovery order,
and the caller reports them and carries on.

Symbolic links (docs/security.md): a link to a folder is never walked into (links can make
loops). A link to a file met while walking a folder is followed only when the file it points
to lies inside that folder; a link that leads out of it (``repo/x.xml -> /etc/...``) is neither
read nor rewritten, and the `warn` callback of `discover` is told. A path named on the command
line is the user's choice: a link named explicitly is followed, for reading and for rewriting
(`write_path`).

Each file is yielded once, however many names lead to it: the files reached (named, matched by
a glob or walked) are told apart by device and inode, so a second name of a file already found
(named twice, a link beside the file it points to, another hard link) is left out, and the first
name in discovery order is kept: the order of the PATHs, and inside a folder name order, its
files before its sub-folders. ``ozml fmt`` then rewrites the file once, through that name.
"""

from __future__ import annotations

import errno
import functools
import itertools
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ozml.gitignore import IgnoreList

DEFAULT_INCLUDE: tuple[str, ...] = ("*.xml", "*.ozml")
#: Folders never walked into: version control and tool caches (ozml's own among them) hold no
#: documents of the project.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    # version control
    ".git",
    ".git-rewrite",
    ".hg",
    ".svn",
    ".bzr",
    # environments and tool caches (ruff's default excludes, less build and dist, which may
    # hold a project's own documents: a .gitignore that names them leaves them out)
    ".venv",
    "venv",
    ".direnv",
    ".eggs",
    ".nox",
    ".tox",
    ".pyenv",
    ".mypy_cache",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".ipynb_checkpoints",
    ".pants.d",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "node_modules",
    "site-packages",
    ".ozml_cache",
)
STDIN = "-"


class Found:
    """A file to check: `path` is how it is shown; `fspath` is None for standard input.

    `folder`, when known, is the folder it was found in, as walked: the files of a folder come
    one after the other, and callers look their configuration up once per folder with it.
    """

    __slots__ = ("folder", "fspath", "path")

    def __init__(self, path: str, fspath: str | None, folder: str | None = None) -> None:
        self.path = path
        self.fspath = fspath
        self.folder = folder

    def __repr__(self) -> str:
        return f"Found({self.path!r})"


class Problem:
    """A path that cannot be checked, and why (shown as ``ozml: error: PATH: REASON``)."""

    __slots__ = ("path", "reason")

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    def __repr__(self) -> str:
        return f"Problem({self.path!r}, {self.reason!r})"


def _translate(pattern: str) -> str:
    """A glob as a regular expression: ``*`` and ``?`` stay inside one component, ``**`` not.

    Matched in time linear in the name (`_piece`): the ``**`` before a middle piece is tried
    from the first place the piece matches only (atomic), as `_runs` explains."""
    first, *rest = _pieces(pattern)
    if not rest:
        return first
    *middle, last = rest
    return first + "".join(rf"(?>.*?(?={piece})){piece}" for piece in middle) + ".*" + last


#: A glob's ``*``, among the tokens of a piece (`_tokens`).
_STAR = None
#: A token that matches one character: its expression, and whether that may be ``/``.
_Token = tuple[str, bool]


def _pieces(pattern: str) -> list[str]:
    """A glob as the regular expressions of its pieces between one ``**`` and the next (each
    ``**`` matches anything, ``/`` too). Every piece but the last is followed by a ``**``."""
    pieces = _tokens(pattern)
    return [_piece(tokens, open_end=i < len(pieces) - 1) for i, tokens in enumerate(pieces)]


def _tokens(pattern: str) -> list[list[_Token | None]]:
    """The tokens of each piece of a glob between one ``**`` and the next: `_STAR` for ``*``,
    else one character's expression and whether it may match ``/``."""
    pieces: list[list[_Token | None]] = []
    out: list[_Token | None] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "*":
            if pattern.startswith("**", i):
                pieces.append(out)
                out = []
                i += 2
                continue
            out.append(_STAR)
        elif char == "?":
            out.append(("[^/]", False))
        elif char == "[":
            close = pattern.find("]", i + 2 if pattern.startswith(("[!", "[]"), i) else i + 1)
            if close < 0:
                out.append((re.escape(char), False))
            else:
                body = pattern[i + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                token = "[" + body.replace("\\", "\\\\") + "]"
                out.append((token, _matches_slash(token)))
                i = close
        else:
            out.append((re.escape(char), char == "/"))
        i += 1
    pieces.append(out)
    return pieces


def _matches_slash(token: str) -> bool:
    """Whether a character class matches ``/`` (False for one that is not valid, which
    `_compile` refuses)."""
    try:
        return re.fullmatch(token, "/") is not None
    except re.error:
        return False


def _piece(tokens: list[_Token | None], *, open_end: bool) -> str:
    """The expression of one piece, whose every match is found without trying more than a
    few places for each ``*``: with one place tried per character of every ``*`` (what
    ``[^/]*`` between fixed characters does), ``a*a*a*a*b`` against a name of n letters
    ``a`` tried n to the fourth places (minutes for 250 letters).

    A ``*`` before a fixed run of characters is tried only at the first place where the run
    follows it (atomic): a later place in the same component ends no earlier, and the next
    ``*`` (or the ``**`` after the piece, when `open_end`) matches anything between them, so
    it cannot match where the first did not. Not so for a run with a class that matches
    ``/`` (``[!a]``): where the run holds the component's ``/``, it is tried there too. The
    last ``*`` of a piece that ends the glob goes to the component's end at once, and the run
    after it is looked for just before that end.
    """
    chunks: list[list[_Token]] = [[]]
    for token in tokens:
        if token is _STAR:
            chunks.append([])
        else:
            chunks[-1].append(token)
    out = [_run(chunks[0])]
    for k, chunk in enumerate(chunks[1:], start=1):
        if open_end or k < len(chunks) - 1:
            out.append(_first_place(chunk))
        else:
            out.append(_at_end(chunk))
    return "".join(out)


def _run(chunk: list[_Token]) -> str:
    return "".join(expression for expression, _ in chunk)


def _not_slash(chunk: list[_Token]) -> str:
    """The run with each of its characters other than ``/``."""
    return "".join(f"(?!/){e}" if slash else e for e, slash in chunk)


def _across(chunk: list[_Token]) -> list[str]:
    """A ``*`` and the run after it, where the run holds the component's end: one
    alternative for each character of the run that may be the ``/`` (each matches at one
    place only)."""
    return [
        rf"(?>[^/]*{_not_slash(chunk[:j])}/){_run(chunk[j + 1 :])}"
        for j, (_, slash) in enumerate(chunk)
        if slash
    ]


def _first_place(chunk: list[_Token]) -> str:
    """A ``*`` and the run after it, the run at the first place it follows."""
    across = _across(chunk)
    if not across:
        return rf"(?>[^/]*?{_run(chunk)})"
    within = [] if any(e == "/" for e, _ in chunk) else [rf"(?>[^/]*?{_not_slash(chunk)})"]
    return "(?:" + "|".join(within + across) + ")"


def _at_end(chunk: list[_Token]) -> str:
    """The last ``*`` of a glob and the run after it, ending where the component ends."""
    if not chunk:
        return "[^/]*+"
    within = rf"(?=[^/]{{{len(chunk)}}})[^/]*+(?<={_run(chunk)})"
    across = _across(chunk)
    if not across:
        return within
    if any(e == "/" for e, _ in chunk):
        return "(?:" + "|".join(across) + ")"
    return "(?:" + "|".join([within, *across]) + ")"


def _compile(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """The globs as one regular expression; `ValueError` names a glob that is not valid."""
    if not patterns:
        return None
    parts = [_translate(pattern) for pattern in patterns]
    try:
        return re.compile("|".join(f"(?:{part})" for part in parts), re.S)
    except re.error:
        pass
    # Name the glob at fault (a character range such as [z-a]), compiling each alone.
    for pattern, part in zip(patterns, parts, strict=True):
        try:
            re.compile(part, re.S)
        except re.error as error:
            raise ValueError(f"{pattern!r} is not a valid glob: {error}") from None
    raise AssertionError(f"globs valid alone but not together: {patterns!r}")


def _runs(globs: Sequence[str], *, to_end: bool) -> re.Pattern[str] | None:
    """The globs as one regular expression matched at the start of a whole path: it matches
    when a glob matches a run of the path's components (a run ending at the path's end, when
    `to_end`). One match replaces a Python loop over every run, whose cost grew with the cube
    of the path's depth (8 s for a file 2,000 folders deep).

    A glob is tried from each component's start (``(?<![^/])``) in turn. One with ``**`` is
    tried from the first start where its first piece matches, and each later piece is sought
    from the first place it matches, never again from a later one (atomic groups): a later
    place ends no earlier, and the ``**`` before the next piece would match anything between,
    so it cannot match where the first did not. Without that, the search would go back to
    every start and every place of every piece, and a path's length times its depth (or a
    higher power, one per ``**``) would be spent on a glob such as ``**/gen/*.xml``.
    """
    if not globs:
        return None
    end = r"\Z" if to_end else r"(?=/|\Z)"
    alternatives = []
    for glob in globs:
        first, *rest = _pieces(glob)
        if not rest:
            alternatives.append(rf".*?(?<![^/]){first}{end}")
            continue
        *middle, last = rest
        head = rf"(?>.*?(?<![^/])(?={first})){first}" if first else ""
        between = "".join(rf"(?>.*?(?={piece})){piece}" for piece in middle if piece)
        alternatives.append(rf"{head}{between}.*{last}{end}")
    return re.compile(r"\A(?:" + "|".join(alternatives) + ")", re.S)


@functools.lru_cache(maxsize=1024)
def glob_matcher(glob: str) -> Matcher:
    """A `Matcher` that includes what `glob` matches, made once per glob: the configuration
    checks each glob it reads with it (`ValueError` for one that is not valid), and settings
    are resolved with the same one."""
    return Matcher([glob])


class Matcher:
    """Include and exclude globs, matched against runs of consecutive path components.

    A glob that is not valid (``[z-a]``) raises `ValueError` with a message for users.
    """

    def __init__(
        self,
        include: Sequence[str] | None = None,
        exclude: Sequence[str] = (),
        *,
        default_exclude: Sequence[str] = DEFAULT_EXCLUDE,
    ) -> None:
        self.include = tuple(_normal(p) for p in (include or DEFAULT_INCLUDE))
        self.exclude = tuple(_normal(p) for p in exclude)
        self.default_exclude = frozenset(default_exclude)
        if include:
            # Compiled now, so that a glob that is not valid is reported before any file is
            # read. The default ones are valid, and compiled when first used (`_include`):
            # a run that names its files never asks.
            self.__dict__["_include"] = _compile(self.include)
        self._exclude = _compile(self.exclude)
        # Globs without "/" can only match one component (`*` stays inside one), so for them
        # a walked file or folder is tested by its name alone: the common case costs one match.
        self._include_by_name = all("/" not in p for p in self.include)
        self._exclude_by_name = all("/" not in p for p in self.exclude)

    # The same globs, searched for in a whole path (`_runs`): for an include, the runs ending
    # at the file's name; for an exclude, any run, or those ending at a walked path's last
    # component (the walk has tested every folder above it). Compiled on first use: most runs
    # match walked files by name alone, and every start makes a `Matcher`.

    @functools.cached_property
    def _include(self) -> re.Pattern[str] | None:
        return _compile(self.include)

    @functools.cached_property
    def _include_last(self) -> re.Pattern[str] | None:
        return _runs(self.include, to_end=True)

    @functools.cached_property
    def _exclude_any(self) -> re.Pattern[str] | None:
        return _runs(self.exclude, to_end=False)

    @functools.cached_property
    def _exclude_last(self) -> re.Pattern[str] | None:
        return _runs(self.exclude, to_end=True)

    def excluded(self, path: str, *, walked: bool, name: str | None = None) -> bool:
        """Whether an exclude glob matches the path (as shown, i.e. below the given folder).

        For a `walked` path (whose last component is `name`) only the runs ending at its last
        component are tried, since the walk has tested every folder above it; the default
        excludes apply only to walked folders, so that naming a path explicitly checks it.
        """
        if walked and name is not None:
            if name in self.default_exclude:
                return True
            if self._exclude is None:
                return False
            if self._exclude_by_name:
                return self._exclude.fullmatch(name) is not None
        parts = _parts(path)
        if walked and parts and parts[-1] in self.default_exclude:
            return True
        pattern = self._exclude_last if walked else self._exclude_any
        if pattern is None or not parts:
            return False
        return pattern.match("/".join(parts)) is not None

    def included(self, path: str, name: str | None = None) -> bool:
        """Whether an include glob matches a run of components ending at the file's name."""
        pattern = self._include
        if pattern is None:
            return True
        if name is not None and self._include_by_name:
            return pattern.fullmatch(name) is not None
        parts = _parts(path)
        runs = self._include_last
        return bool(parts) and runs is not None and runs.match("/".join(parts)) is not None


def _normal(pattern: str) -> str:
    pattern = pattern.replace(os.sep, "/").strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or pattern


def _parts(path: str) -> list[str]:
    return [p for p in path.replace(os.sep, "/").split("/") if p not in ("", ".")]


#: The ignore files read in every walked folder, the later winning over the earlier.
IGNORE_FILES: tuple[str, ...] = (".gitignore", ".ignore")
GLOB_CHARS = frozenset("*?[")


class Tally:
    """What `discover` found: files yielded, and files named explicitly that were left out."""

    __slots__ = ("found", "repeated", "skipped", "stdin_skipped")

    def __init__(self) -> None:
        self.found = 0
        #: Files met again under another name (a link, a hard link, a second PATH) and left
        #: out: a folder whose files were all found before still had files to work on.
        self.repeated = 0
        #: Files named explicitly (not walked) that an exclude glob or an ignore file left out.
        self.skipped = 0
        #: Whether standard input was left out (its `stdin_name` is excluded).
        self.stdin_skipped = False


class _Level:
    """The patterns of one folder's ignore files (or of a repository-wide file), and how to
    make a path as the walk shows it relative to that folder: drop the first `strip`
    characters, put `add` in front. `parent` is the next, less specific, level."""

    __slots__ = ("add", "parent", "specs", "strip")

    def __init__(
        self, specs: IgnoreList, strip: int, add: str, parent: _Level | None
    ) -> None:
        self.specs = specs
        self.strip = strip
        self.add = add
        self.parent = parent


def _ignored(level: _Level | None, shown: str, is_dir: bool) -> bool:
    """Whether the most specific level with a line that matches `shown` itself ignores it
    (the folders above it are the caller's to ask about, first)."""
    if os.sep != "/":
        shown = shown.replace(os.sep, "/")
    while level is not None:
        result = level.specs.match(level.add + shown[level.strip :], is_dir)
        if result is not None:
            return result
        level = level.parent
    return False


class _Folder:
    """A folder below a repository's root, as `Ignores.above` met it: the folders met inside
    it, by name, the patterns of its ignore files once they are read (`read`), and whether
    the lines of the folders above it ignore it (`ignored`, once asked)."""

    __slots__ = ("children", "ignored", "read", "specs")

    def __init__(self) -> None:
        self.children: dict[str, _Folder] = {}
        self.read = False
        self.specs: IgnoreList | None = None
        self.ignored: bool | None = None


class Ignores:
    """git's ignore rules for `discover`: ignore files, the repository's exclude file, and the
    global excludes file. `warn` is told of ignore files that cannot be read."""

    def __init__(self, warn: Callable[[str], None] | None = None) -> None:
        self.warn = warn
        self._repos: dict[str, str | None] = {}
        self._specs: dict[str, IgnoreList | None] = {}
        self._global: dict[str, str | None] = {}
        #: Each repository root's ``core.ignoreCase`` (`ignore_case`).
        self._folds: dict[str, bool] = {}
        #: The folders `above` has met below each repository root (`_Folder`).
        self._trees: dict[str, _Folder] = {}
        #: The ignore files read so far (`ozml check --watch` watches them too).
        self.sources: list[str] = []

    # -- reading ------------------------------------------------------------------------

    def specs_of(self, *files: str, casefold: bool = False) -> IgnoreList | None:
        """The lines of `files` (those that exist), later files winning, as
        `ozml.gitignore.IgnoreList` matches them (with `casefold`, as under git's
        ``core.ignoreCase``); None: no lines that can match."""
        from ozml.gitignore import IgnoreList, lines_of

        key = "\0".join(files) + ("\0\0" if casefold else "")
        if key in self._specs:
            return self._specs[key]
        lines: list[bytes] = []
        for path in files:
            try:
                data = read_file(path)
            except ReadError as error:
                if os.path.lexists(path) and self.warn is not None:
                    self.warn(f"{path}: ignore file not read: {error}")
                continue
            self.sources.append(path)
            lines.extend(lines_of(data))
        specs = None
        try:
            specs = IgnoreList(lines, casefold=casefold) or None
        except ValueError as error:  # google-re2 cannot compile a line alone
            if self.warn is not None:
                self.warn(f"{', '.join(files)}: ignore patterns not used: {error}")
        self._specs[key] = specs
        return specs

    def repository(self, folder: str) -> str | None:
        """The root of the git repository holding `folder` (absolute), or None."""
        folder = os.path.abspath(folder)
        chain: list[str] = []
        found: str | None = None
        current = folder
        while True:
            if current in self._repos:
                found = self._repos[current]
                break
            chain.append(current)
            if os.path.lexists(os.path.join(current, ".git")):
                found = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for item in chain:
            self._repos[item] = found
        return found

    def casefold(self, folder: str) -> bool:
        """Whether git matches ignore lines in the repository holding `folder` in either
        letter case (its ``core.ignoreCase``); False outside a repository."""
        root = self.repository(folder)
        return root is not None and self._casefold(root)

    def _casefold(self, root: str) -> bool:
        if root not in self._folds:
            self._folds[root] = ignore_case(root)
        return self._folds[root]

    def _repository_levels(self, root: str, strip: int, add: str) -> _Level | None:
        """The repository-wide levels: .git/info/exclude, then the global excludes file."""
        level = None
        if root not in self._global:
            self._global[root] = global_excludes_file(root)
        global_file = self._global[root]
        fold = self._casefold(root)
        if global_file is not None:
            specs = self.specs_of(global_file, casefold=fold)
            if specs is not None:
                level = _Level(specs, strip, add, None)
        specs = self.specs_of(os.path.join(_git_dir(root), "info", "exclude"), casefold=fold)
        if specs is not None:
            level = _Level(specs, strip, add, level)
        return level

    def above(self, folder: str, shown: str, *, inclusive: bool = False) -> _Level | None:
        """The levels that apply to the entries of `folder` (as the walk shows it: `shown`)
        from the folders above it up to the repository root, and the repository-wide ones;
        with `inclusive`, the ignore files of `folder` itself as well. None outside a
        repository."""
        return self._down(folder, shown, inclusive=inclusive, through=False)[0]

    def _down(
        self, folder: str, shown: str, *, inclusive: bool, through: bool
    ) -> tuple[_Level | None, bool]:
        """`above`, and with `through`, whether a folder on the way from the repository root
        down to `folder` (itself included) is ignored: then the second item is True, and
        nothing below that folder can be taken back (git never looks inside it).

        In time linear in the path: the folders are met from the root down in the cache of
        each repository's folders (`_Folder`), one name at a time, and a folder's path is made
        (from the last one made) only for a folder whose ignore files are not read yet. Making
        every folder's path from the root (as before) took time growing with the square of
        the depth: 120 ms for a file 1,000 folders deep, at each file named in it. A folder's
        own verdict is kept in the cache too, so each is decided once."""
        root = self.repository(folder)
        if root is None:
            return None, False
        absolute = os.path.abspath(folder)
        strip = 0 if shown in ("", os.curdir) else len(os.path.join(shown, ""))
        # `root` is `absolute` or a folder above it (`repository`): the path below it is the
        # rest of `absolute` (`os.path.relpath` joins the names one by one in Python).
        below = os.path.join(root, "")
        relative = (
            absolute[len(below) :]
            if absolute.startswith(below)
            else os.path.relpath(absolute, root)
        ).replace(os.sep, "/")
        if relative == ".":
            relative = ""
        parts = relative.split("/") if relative else []
        level = self._repository_levels(root, strip, relative + "/" if parts else "")
        # With `through`: the lines met so far, deepest last, and where the path below the
        # folder that holds them starts in `relative` (0 for the repository-wide files).
        chain: list[tuple[IgnoreList, int]] = []
        if through:
            wide = level
            while wide is not None:
                chain.insert(0, (wide.specs, 0))
                wide = wide.parent
        node = self._trees.get(root)
        if node is None:
            node = self._trees[root] = _Folder()
        # `here` is the path of the folder `made` folders below the root; the path below the
        # folder at `depth` starts at `start` in `relative`.
        here, made, start = root, 0, 0
        for depth in range(len(parts) + (1 if inclusive or through else 0)):
            if depth:
                part = parts[depth - 1]
                start += len(part) + 1
                child = node.children.get(part)
                if child is None:
                    child = node.children[part] = _Folder()
                if through:
                    if child.ignored is None:
                        child.ignored = _decided(chain, relative[: start - 1])
                    if child.ignored:
                        return level, True
                node = child
            if depth == len(parts) and not inclusive:
                break
            if not node.read:
                if depth == len(parts):
                    here = absolute
                elif made < depth:
                    here = os.path.join(here, *parts[made:depth])
                made = depth
                node.specs = self.specs_of(
                    *(os.path.join(here, name) for name in IGNORE_FILES),
                    casefold=self._casefold(root),
                )
                node.read = True
            if node.specs is not None:
                add = relative[start:]
                level = _Level(node.specs, strip, add + "/" if add else "", level)
                if through:
                    chain.append((node.specs, start))
        return level, False

    def ignored(self, path: str, *, is_dir: bool) -> bool:
        """Whether git ignores `path`, named explicitly (``--force-exclude``, a folder named
        on the command line): it, or a folder above it below the repository root."""
        path = os.path.normpath(path)
        folder = os.path.dirname(path)
        level, inside = self._down(folder or os.curdir, folder, inclusive=True, through=True)
        return inside or _ignored(level, path, is_dir)

    def named_file_ignored(self, path: str) -> bool:
        """Whether the ignore files leave out a file named explicitly (``--force-exclude``)."""
        return self.ignored(path, is_dir=False)


def _decided(chain: list[tuple[IgnoreList, int]], relative: str) -> bool:
    """Whether the deepest lines of `chain` that match the folder `relative` (below the
    repository root) ignore it."""
    for specs, start in reversed(chain):
        result = specs.match(relative[start:], True)
        if result is not None:
            return result
    return False


def _git_dir(root: str) -> str:
    """The git directory of the repository at `root`: ``.git``, or for a worktree or a
    submodule (whose ``.git`` is a file) the folder it points to, and of a worktree the main
    repository's, which holds ``info/exclude`` and the configuration (``commondir``)."""
    dot_git = os.path.join(root, ".git")
    if not os.path.isfile(dot_git):
        return dot_git
    text = _small_text(dot_git)
    if text is None or not text.startswith("gitdir:"):
        return dot_git
    git_dir = os.path.join(root, text[len("gitdir:") :].strip())
    common = _small_text(os.path.join(git_dir, "commondir"))
    return os.path.normpath(os.path.join(git_dir, common)) if common else git_dir


def _small_text(path: str) -> str | None:
    """The stripped text of a small file git keeps (a pointer to a folder), or None."""
    try:
        return read_file(path, 65536).decode("utf-8", "replace").strip()
    except ReadError:
        return None


def _config_value(path: str, section: str, key: str, bare: str | None = None) -> str | None:
    """The last value of ``section.key`` in a git configuration file (no includes followed);
    `bare` for the key written alone (a true/false setting: git reads it as true)."""
    try:
        text = read_file(path, 1 << 20).decode("utf-8", "replace")
    except ReadError:
        return None
    value = None
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            header, _, rest = line[1:].partition("]")
            current = header.strip().lower()
            line = rest.strip()
            if not line:
                continue
        if current != section:
            continue
        name, equals, rest = line.partition("=")
        if not equals and bare is not None and name.strip().lower() == key:
            value = bare
            continue
        if equals and name.strip().lower() == key:
            rest = rest.strip()
            for mark in (" #", " ;", "\t#", "\t;"):
                if mark in rest and not rest.startswith('"'):
                    rest = rest[: rest.index(mark)].strip()
            if len(rest) >= 2 and rest[0] == rest[-1] == '"':
                rest = rest[1:-1]
            value = rest
    return value


def _config_files(root: str | None) -> list[str]:
    """The git configuration files ozml reads, the later winning: the user's, and the
    repository's at `root` (not git's system file, nor the files an ``[include]`` names)."""
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    files = [os.path.join(xdg, "git", "config"), os.path.join(home, ".gitconfig")]
    if root is not None:
        files.append(os.path.join(_git_dir(root), "config"))
    return files


def ignore_case(root: str) -> bool:
    """git's ``core.ignoreCase`` for the repository at `root`, as its configuration files
    say (``git init`` sets it on a file system that ignores case: macOS, Windows); a value
    git does not read as true or false is taken as false."""
    value = None
    for config in _config_files(root):
        found = _config_value(config, "core", "ignorecase", bare="true")
        if found is not None:
            value = found
    return value is not None and value.lower() in ("true", "yes", "on", "1")


def global_excludes_file(root: str | None = None) -> str | None:
    """git's global excludes file, found without running git: ``core.excludesFile`` from the
    user's git configuration files (and the repository's at `root`), else
    ``$XDG_CONFIG_HOME/git/ignore`` (``~/.config/git/ignore``); None when there is none."""
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    value = None
    for config in _config_files(root):
        found = _config_value(config, "core", "excludesfile")
        if found is not None:
            value = found
    if value is not None:
        return os.path.expanduser(value) if value else None
    default = os.path.join(xdg, "git", "ignore")
    return default if os.path.isfile(default) else None


def _expand(given: str) -> tuple[str, list[str]] | None:
    """A PATH that does not exist but is a glob: the folder it is walked from (its components
    before the first with a wildcard) and the paths it matches, in name order; None for any
    other PATH.

    It matches as ``glob.glob(given, recursive=True)`` does (``*`` and ``**`` match no name
    that begins with a dot, ``**`` alone matches any number of folders), but as a folder is
    walked: a wildcard never leads into a link to a folder (which can make a loop, or lead out
    of the tree) nor into a folder a walk leaves out (`DEFAULT_EXCLUDE`). A component written
    without a wildcard is followed as written, as a named folder is.
    """
    if not GLOB_CHARS.intersection(given) or os.path.lexists(given):
        return None
    import fnmatch

    top = os.sep if given.startswith(os.sep) else ""
    parts: list[str] = []
    for part in given.split(os.sep):
        # ``**/**`` matches what ``**`` does: one walk, not one per folder the first finds.
        if part and not (part == "**" and parts and parts[-1] == "**"):
            parts.append(part)
    literal = list(itertools.takewhile(lambda part: not GLOB_CHARS.intersection(part), parts))
    root = os.path.join(top, *literal) if literal else (top or os.curdir)
    bases = [os.path.join(top, *literal) if literal else top]
    for index in range(len(literal), len(parts)):
        part, last = parts[index], index == len(parts) - 1
        found: list[str] = []
        for base in bases:
            if part == "**":
                found.append(base)
                found.extend(_below(base, folders_only=not last))
            elif GLOB_CHARS.intersection(part):
                for entry in _entries(base):
                    if _hidden(entry.name, part) or not fnmatch.fnmatchcase(entry.name, part):
                        continue
                    walkable = _walkable(entry)
                    if walkable or (last and not _folder(entry)):
                        found.append(os.path.join(base, entry.name))
            else:
                path = os.path.join(base, part)
                if os.path.lexists(path) if last else os.path.isdir(path):
                    found.append(path)
        bases = list(dict.fromkeys(found))
    return root, sorted({path for path in bases if path})


def _entries(folder: str) -> list[os.DirEntry[str]]:
    """The entries of `folder` ("" for the current one); none when it cannot be read."""
    try:
        with os.scandir(folder or os.curdir) as scan:
            return list(scan)
    except OSError:
        return []


def _hidden(name: str, part: str) -> bool:
    """Whether a wildcard component `part` passes over `name`: a name that begins with a dot
    is matched only by a component that does (as `glob` and the shells do)."""
    return name.startswith(".") and not part.startswith(".")


def _folder(entry: os.DirEntry[str]) -> bool:
    """Whether `entry` is a folder or a link to one."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _walkable(entry: os.DirEntry[str]) -> bool:
    """Whether a wildcard may lead into `entry`: a folder, not a link to one, not one a walk
    leaves out (`DEFAULT_EXCLUDE`)."""
    try:
        return entry.is_dir(follow_symlinks=False) and entry.name not in DEFAULT_EXCLUDE
    except OSError:
        return False


def _below(folder: str, *, folders_only: bool) -> Iterator[str]:
    """What ``**`` matches under `folder` (itself apart): every folder a wildcard may lead into
    (`_walkable`), at any depth, and with `folders_only` false every name in them that is no
    folder; names that begin with a dot left out."""
    stack = [folder]
    while stack:
        current = stack.pop()
        for entry in sorted(_entries(current), key=lambda entry: entry.name, reverse=True):
            if entry.name.startswith("."):
                continue
            path = os.path.join(current, entry.name)
            if _walkable(entry):
                stack.append(path)
                yield path
            elif not folders_only and not _folder(entry):
                yield path


def discover(
    paths: Iterable[str],
    matcher: Matcher | None = None,
    warn: Callable[[str], None] | None = None,
    *,
    ignores: Ignores | None = None,
    force_exclude: bool = False,
    tally: Tally | None = None,
    stdin_name: str | None = None,
) -> Iterator[Found | Problem]:
    """The files to check, in the order given and, inside folders, in name order.

    A file reached twice (named twice, named and inside a named folder, or by a link or a hard
    link beside it) is yielded once, under the first of its names (`_Seen`).
    `warn` is told (with a message for users) of the links that are not followed, of folders
    and globs in which no file is found, and of unreadable ignore files. With `ignores`, what
    git ignores is left out of walks (and, with `force_exclude`, named files too). `tally`
    counts the files found and the named files left out. Standard input shown as
    `stdin_name` is left out as the file of that name would be if it were named.
    """
    matcher = matcher or Matcher()
    tally = tally if tally is not None else Tally()
    seen = _Seen()
    for given in paths:
        if given == STDIN:
            if stdin_name and (
                matcher.excluded(stdin_name, walked=False)
                or (force_exclude and ignores is not None
                    and ignores.named_file_ignored(stdin_name))
            ):
                tally.skipped += 1
                tally.stdin_skipped = True
                continue
            if not seen.stdin:
                seen.stdin = True
                tally.found += 1
                yield Found(STDIN, None)
            continue
        glob = _expand(given)
        if glob is not None:
            root, expanded = glob
            inside = _Inside(root)
            before = tally.found + tally.repeated
            for path in expanded:
                if os.path.islink(path) and os.path.isfile(path) and not inside(path):
                    # As a walk of the glob's folder leaves it: a link to a file elsewhere.
                    if warn is not None:
                        warn(
                            f"{path}: not followed: a symbolic link to a file outside {root}"
                            " (name the link itself to check it)"
                        )
                    continue
                yield from _one(path, matcher, warn, ignores, force_exclude, tally, seen,
                                by_glob=True)
            if tally.found + tally.repeated == before and warn is not None:
                warn(f"{given}: no file matches this glob" if not expanded else
                     f"{given}: no matching files among the paths this glob matches")
            continue
        yield from _one(given, matcher, warn, ignores, force_exclude, tally, seen)


def _one(
    given: str,
    matcher: Matcher,
    warn: Callable[[str], None] | None,
    ignores: Ignores | None,
    force_exclude: bool,
    tally: Tally,
    seen: _Seen,
    *,
    by_glob: bool = False,
) -> Iterator[Found | Problem]:
    """The files of one PATH (a file or a folder)."""
    try:
        info = os.stat(given)
    except FileNotFoundError:
        reason = "broken symbolic link" if os.path.islink(given) else "no such file or folder"
        yield Problem(given, reason)
        return
    except OSError as error:
        yield Problem(given, _reason(error))
        return
    mode = info.st_mode
    is_dir = stat.S_ISDIR(mode)
    if matcher.excluded(given, walked=False) or (
        (force_exclude or by_glob)
        and ignores is not None
        and (
            ignores.named_file_ignored(given.rstrip("/" + os.sep) or given)
            if not is_dir
            else ignores.ignored(os.path.abspath(given), is_dir=True)
        )
    ):
        if not is_dir and not by_glob:
            tally.skipped += 1
        return
    if is_dir:
        before = tally.found + tally.repeated
        unreadable = False
        for item in _walk(given, matcher, seen, warn, ignores, tally):
            unreadable = unreadable or isinstance(item, Problem)
            yield item
        # A folder that could not be read has its error; "no matching files" would be a
        # second, wrong, message about it.
        if tally.found + tally.repeated == before and not unreadable and warn is not None:
            warn(f"{given}: no matching files in this folder")
    elif not stat.S_ISREG(mode):
        yield Problem(given, "not a regular file")
    elif by_glob and not matcher.included(given, os.path.basename(given)):
        return
    elif seen.first(info.st_dev, info.st_ino):
        tally.found += 1
        yield Found(given, given)
    else:
        tally.repeated += 1


class _Seen:
    """The files `discover` has yielded, by device and inode, and whether standard input was.

    A name is not the file: the same file is reached by a link beside it, another hard link, or
    a second PATH leading to it, and would be checked (and by ``ozml fmt``, rewritten) once per
    name. The first name met keeps it, so the choice follows the discovery order.

    The inodes are kept per device as plain numbers (a run holds one per file it yields, so
    they must stay small), and a walk takes a file's inode from the folder's listing
    (`os.DirEntry.inode`, no system call on POSIX; a `stat` of every file would add about a
    tenth to a run over many small files).
    """

    __slots__ = ("devices", "stdin")

    def __init__(self) -> None:
        self.devices: dict[int, set[int]] = {}
        self.stdin = False

    def on(self, device: int) -> set[int]:
        """The inodes met so far on `device` (the caller adds the ones it meets)."""
        inodes = self.devices.get(device)
        if inodes is None:
            inodes = self.devices[device] = set()
        return inodes

    def first(self, device: int, inode: int) -> bool:
        """Whether the file is met for the first time (it is then marked as met)."""
        inodes = self.on(device)
        if inode in inodes:
            return False
        inodes.add(inode)
        return True


def _listed_as(path: str, device: int, inode: int) -> bool:
    """Whether the file at `path` (not a link) really is the file that its folder's listing
    numbers `inode` on `device`. Asked only when that number was met before: a file system
    whose listing numbers differ from its files' own (an overlay of several file systems) must
    not make a file pass for another one and go unchecked."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return info.st_dev == device and info.st_ino == inode


def _walk(
    top: str,
    matcher: Matcher,
    seen: _Seen,
    warn: Callable[[str], None] | None,
    ignores: Ignores | None,
    tally: Tally,
) -> Iterator[Found | Problem]:
    # An explicit stack instead of recursion: deep trees cannot exhaust the interpreter stack.
    top_level: _Level | None = None
    if ignores is not None:
        top_level = ignores.above(top, top)
        if top_level is not None and ignores.ignored(os.path.abspath(top), is_dir=True):
            # A folder named explicitly is walked even when it is ignored; then only the
            # ignore files inside it apply.
            top_level = None
    fold = ignores is not None and ignores.casefold(top)
    stack: list[tuple[str, _Level | None]] = [(top, top_level)]
    inside = _Inside(top)
    join = os.path.join
    while stack:
        folder, level = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            yield Problem(folder, _reason(error))
            continue
        # The device of the files listed here, and the inodes met on it (`_Seen`).
        try:
            device = os.stat(folder).st_dev
        except OSError as error:
            yield Problem(folder, _reason(error))
            continue
        met = seen.on(device)
        # `ozml check .` shows `calls/a.xml`, not `./calls/a.xml`. `base + name` is
        # `join(folder, name)` for a name from the listing, without a call per file.
        base = "" if folder == os.curdir else join(folder, "")
        if ignores is not None:
            present = [base + e.name for e in entries if e.name in IGNORE_FILES]
            if present:
                specs = ignores.specs_of(*present, casefold=fold)
                if specs is not None:
                    level = _Level(specs, len(base), "", level)
        subfolders: list[tuple[str, _Level | None]] = []
        for entry in entries:
            name = entry.name
            shown = base + name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if not matcher.excluded(shown, walked=True, name=name) and (
                    level is None or not _ignored(level, shown, True)
                ):
                    subfolders.append((shown, level))
                continue
            if not matcher.included(shown, name) or matcher.excluded(
                shown, walked=True, name=name
            ):
                continue
            if level is not None and _ignored(level, shown, False):
                continue
            try:
                regular = entry.is_file()
            except OSError:
                regular = False
            if regular and entry.is_symlink():
                if not inside(shown):
                    if warn is not None:
                        warn(
                            f"{shown}: not followed: a symbolic link to a file outside {top}"
                            " (name the link itself to check it)"
                        )
                    continue
                try:
                    target = entry.stat()  # the file the link leads to (is_file kept it)
                except OSError as error:
                    yield Problem(shown, _reason(error))
                    continue
                if not seen.first(target.st_dev, target.st_ino):
                    tally.repeated += 1
                    continue
            elif regular:
                inode = entry.inode()
                if inode not in met:
                    met.add(inode)
                elif _listed_as(shown, device, inode):
                    tally.repeated += 1
                    continue
            if regular:
                tally.found += 1
                yield Found(shown, shown, folder)
            elif not entry.is_symlink():
                yield Problem(shown, "not a regular file")
            elif not os.path.exists(shown):
                yield Problem(shown, "broken symbolic link")
            elif not os.path.isdir(shown):
                yield Problem(shown, "not a regular file")
            # else: a link to a folder, not followed (links can make loops)
        # Folders are visited after the files beside them, in name order.
        stack.extend(reversed(subfolders))


class _Inside:
    """Whether a path, links resolved, lies inside a folder (links resolved too)."""

    __slots__ = ("root",)

    def __init__(self, folder: str) -> None:
        self.root = os.path.join(os.path.realpath(folder), "")

    def __call__(self, path: str) -> bool:
        return os.path.realpath(path).startswith(self.root)


def write_path(path: str) -> str:
    """The file that rewriting the document at `path` replaces.

    A regular file is replaced itself; for a symbolic link (one that `discover` yielded: named
    by the user, or leading to a file inside the walked folder) it is the file the link points
    to, and the link stays a link. `ozml.atomic.write_atomic` itself never follows a link.
    """
    return os.path.realpath(path) if os.path.islink(path) else path


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file or folder"
    if isinstance(error, IsADirectoryError):
        return "is a folder"
    if isinstance(error, NotADirectoryError):
        return "a part of the path is not a folder"
    if error.errno == errno.ENXIO:
        # What opening a Unix socket fails with (and a device without its hardware, or a pipe
        # opened to write without a reader): none of them is a regular file.
        return "not a regular file"
    return error.strerror.lower() if error.strerror else str(error)


# -- the one wording of a file that cannot be read or written (docs/cli.md, "Exit codes") -----


def reason(problem: BaseException | str) -> str:
    """Why a file cannot be read or written, in ozml's words: ``no such file or folder``,
    ``permission denied``, ``not a regular file``, ``is 12 bytes, larger than the ...``.

    An `OSError` from the system is put in ozml's words (never ``[Errno 2] No such file or
    directory``); a `ReadError`, a refused write (`ozml.atomic.RefusedWrite`, an `OSError`
    without a system error) and a plain string already are.
    """
    if isinstance(problem, OSError) and problem.strerror:
        return _reason(problem)
    return str(problem)


def unreadable(path: str | os.PathLike[str], problem: BaseException | str) -> str:
    """The message of a file that cannot be read, ``PATH: REASON``: the same for a document,
    a configuration, a scenario, a baseline, whichever command reads it."""
    return f"{os.fspath(path)}: {reason(problem)}"


def not_utf8(path: str | os.PathLike[str], error: UnicodeDecodeError, what: str = "") -> str:
    """The message of a file read as UTF-8 text that is not, placed as every other error in a
    file is: ``PATH:LINE:COLUMN: WHAT not UTF-8 text (byte 0xFF)``, at the first byte that is
    not (its column counted in characters, as the valid text before it reads). `what` says what
    the file was read as (``not a baseline file:``). The same for a configuration, a scenario,
    a baseline, whichever command reads it."""
    data = bytes(error.object)
    before = data[: error.start]
    line_start = before.rfind(b"\n") + 1
    line = before.count(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", "replace")) + 1
    lead = f"{what} " if what else ""
    byte = data[error.start] if error.start < len(data) else 0
    return f"{os.fspath(path)}:{line}:{column}: {lead}not UTF-8 text (byte 0x{byte:02X})"


def bad_byte(value: str) -> int | None:
    """Where a value the system gave (a command-line argument, an environment variable) is not
    UTF-8 text: the offset, in its bytes, of the first byte that is not (Python reads such a
    byte as a lone surrogate), or None when the value is UTF-8 text."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return len(value[: error.start].encode("utf-8", "surrogateescape"))
    return None


def unwritable(path: str | os.PathLike[str], problem: BaseException | str) -> str:
    """The message of a file that cannot be written, ``PATH: not written: REASON``."""
    return f"{os.fspath(path)}: not written: {reason(problem)}"


class ReadError(Exception):
    """A file that was found but could not be read; the message is for users."""


#: The largest file ozml reads whole: OzML documents (unless --max-bytes says otherwise), and
#: every other file a user names (configuration, baselines, scenarios, answers).
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# O_NONBLOCK: opening a named pipe for reading must not wait for a writer (the type check after
# the open refuses it); it changes nothing for regular files. O_NOCTTY: a terminal device named
# as a file never becomes the controlling terminal.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
)


def _open_regular(path: str | os.PathLike[str]) -> tuple[int, int]:
    """An open descriptor of the regular file at `path`, and its size; `ReadError` otherwise.

    The type is checked on the open descriptor, so a path swapped for a pipe or a device between
    a listing and the open is refused as well.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise ReadError(_reason(error)) from None
    try:
        info = os.fstat(fd)
    except OSError as error:
        os.close(fd)
        raise ReadError(_reason(error)) from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ReadError("is a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file")
    return fd, info.st_size


def _read_fd(fd: int, size: int, limit: int) -> bytes:
    """At most `limit` bytes of an open file whose size is said to be `size`."""
    # One read takes the whole file as fstat sizes it; more only when it grew meanwhile or the
    # file system reports no size (as /proc files do).
    data = os.read(fd, size if 0 < size < limit else (limit if size else 65536))
    if len(data) < limit and (not size or len(data) < size):
        chunks = [data]
        total = len(data)
        while total < limit and (chunk := os.read(fd, min(65536, limit - total))):
            chunks.append(chunk)
            total += len(chunk)
        data = b"".join(chunks)
    return data


def read_file(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The whole content of a file the user named (a configuration, a baseline, a scenario...).

    Only a regular file of at most `max_bytes` is read; anything else (a folder, a pipe, a
    device such as /dev/zero, a larger file) raises `ReadError` with a message for users, before
    more than `max_bytes` + 1 bytes are read.
    """
    fd, size = _open_regular(path)
    try:
        if size > max_bytes:
            raise ReadError(_too_large(size, max_bytes))
        data = _read_fd(fd, size, max_bytes + 1)
    except OSError as error:
        raise ReadError(_reason(error)) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise ReadError(_too_large(len(data), max_bytes, more=True))
    return data


def readable(path: str | os.PathLike[str]) -> None:
    """Check that `path` is a regular file ozml may open (`ReadError` says why not), without
    reading it: for a file read later, whose problem is best told before anything else."""
    fd, _ = _open_regular(path)
    os.close(fd)


def _too_large(size: int, max_bytes: int, *, more: bool = False) -> str:
    amount = f"more than {max_bytes:,}" if more else f"{size:,}"
    return f"is {amount} bytes, larger than the {max_bytes:,}-byte limit"


def read(found: Found, max_bytes: int) -> tuple[bytes, int]:
    """The file's bytes (at most `max_bytes` + 1 of them) and its full size in bytes.

    A file larger than `max_bytes` is not kept whole: the caller reports it by its size
    (`ozml.parser.too_large`). Standard input is never read past the limit, so its size is
    then `max_bytes` + 1: larger than the limit, by how much unknown (`exact=False`).
    """
    fspath = found.fspath
    if fspath is None:
        return _read_stdin(max_bytes)
    fd, size = _open_regular(fspath)
    try:
        data = _read_fd(fd, size, max_bytes + 1)
        return data, max(size, len(data))
    except OSError as error:
        raise ReadError(_reason(error)) from None
    finally:
        os.close(fd)


def _read_stdin(max_bytes: int) -> tuple[bytes, int]:
    """At most `max_bytes` + 1 bytes of standard input, and how many were read: a larger input
    is not read to its end (it may have none: ``ozml check - < /dev/zero``), so its size is
    only known to be past the limit. Read a piece at a time: a read of `max_bytes` + 1 at once
    makes a buffer of that size first, which a large limit (``--max-bytes 10**12``) cannot."""
    pieces: list[bytes] = []
    size = 0
    read = sys.stdin.buffer.read
    try:
        while size <= max_bytes:
            piece = read(min(max_bytes + 1 - size, _STDIN_PIECE))
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
    except OSError as error:
        raise ReadError(_reason(error)) from None
    return b"".join(pieces), size


#: The most `_read_stdin` asks for at once.
_STDIN_PIECE = 1 << 20


__all__ = [
    "DEFAULT_EXCLUDE",
    "DEFAULT_INCLUDE",
    "DEFAULT_MAX_BYTES",
    "GLOB_CHARS",
    "IGNORE_FILES",
    "STDIN",
    "Found",
    "Ignores",
    "Matcher",
    "Problem",
    "ReadError",
    "Tally",
    "bad_byte",
    "discover",
    "global_excludes_file",
    "not_utf8",
    "read",
    "read_file",
    "readable",
    "reason",
    "unreadable",
    "unwritable",
    "write_path",
]
