"""Ignore files (`ozml.files.Ignores`) against git itself, and in time linear in the path.

ozml reads ``.gitignore`` files itself and matches their lines with pathspec's `GitIgnoreSpec`
through its re2 backend (`ozml.files.ignore_specs`): pathspec's default backend tries each
line's Python expression, which backtracks (``a*a*a*a*a*b`` against a name of 60 letters
``a`` took 13 ms, about 32 times as long at each doubling; ``ozml check`` runs in checkouts
that others wrote). The time is the benchmark's to show (``benchmarks/bench_linear.py``, the
``ignore *`` stage, in the ``name length`` and ``path depth`` dimensions); here the backend in
use is pinned, and its answers are held to the real ``git check-ignore`` on drawn ignore files
and trees, and on a tree 300 folders deep.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ozml.files import Found, Ignores, Matcher, discover
from ozml.gitignore import IgnoreList


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """An environment (this process's too) whose git configuration and global excludes are
    the test's own: none."""
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    return env


def test_ignore_lines_are_matched_by_a_linear_automaton(tmp_path: Path) -> None:
    """The reproduction: the lines `Ignores` reads from a ``.gitignore`` are matched by
    google-re2 sets, not by Python's expressions, whose backtracking made a line such as
    ``a*a*a*a*a*b`` take time growing with the fifth power of a name's length."""
    import re2

    (tmp_path / ".gitignore").write_text("a*a*a*a*a*b\n", encoding="utf-8")
    warnings: list[str] = []
    specs = Ignores(warnings.append).specs_of(str(tmp_path / ".gitignore"))
    assert warnings == []
    assert specs is not None
    assert [type(regex_set) for regex_set, _ in specs._sets] == [re2.Set]
    assert specs.match("a" * 200 + "b", False) is True
    assert specs.match("a" * 200, False) is None


def test_a_long_name_against_a_line_of_many_stars_is_decided_as_git_does(
    tmp_path: Path, home: dict[str, str]
) -> None:
    """The walk over a real repository: a 250-letter name and a line of many ``*``."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, home, "init", "--quiet")
    (repo / ".gitignore").write_text("a*a*a*a*a*a*b\n*.c\n", encoding="utf-8")
    names = ["a" * 250, "a" * 249 + "b", "a" * 247 + ".c"]
    for name in names:
        (repo / name).write_text("", encoding="utf-8")
    assert _walked(repo) == {".gitignore", "a" * 250}
    assert _git_ignored(repo, home, names) == {"a" * 249 + "b", "a" * 247 + ".c"}


# -- against git ----------------------------------------------------------------------------

#: Names of files and folders: plain, with the characters that patterns give a meaning to
#: (``*``, ``?``, ``[``, ``!``, ``#``, ``\\``, spaces at the end), and dotted.
NAMES = st.sampled_from(
    [
        "a", "b", "ab", "ba", "a.x", "b.x", ".a", "*", "?", "[a]", "!a", "#a", "a b", "a ",
        "a\\b", "A", "Ab", "B.X",
    ]
)  # fmt: skip
#: The pieces of an ignore line: ``*``, ``**``, ``?``, classes (negated, with ranges, named,
#: not closed), ``/`` anywhere, escapes.
PIECES = st.sampled_from(
    [
        "a", "b", "ab", ".x", "*", "**", "?", "[ab]", "[a-b]", "[]a]", "/", "[!a]", "[^b]",
        "[/]", "[", "[[:alpha:]]", "[[:nope:]]", "[a-]", "\\*", "\\?", "\\[", "\\!",
        "\\#", "\\ ", " ", "\\\\", "\\a", "\\", "A", "B", "[A-B]", "[A]", "[[:upper:]]",
        "\\A",
    ]
)  # fmt: skip
LINES = st.tuples(
    st.sampled_from(["", "", "", "!", "/", "!/", "#", "\\!", "\\#"]),
    st.lists(PIECES, min_size=1, max_size=5).map("".join),
    st.sampled_from(["", "", "", "/", " ", "\\ "]),
).map("".join)
PATHS = st.lists(NAMES, min_size=1, max_size=3).map(tuple)


def _tree(paths: list[tuple[str, ...]]) -> tuple[set[str], set[str]]:
    """The files and folders of drawn paths: a path that is also a folder is a folder."""
    folders = {"/".join(p[:i]) for p in paths for i in range(1, len(p))}
    files = {"/".join(p) for p in paths} - folders
    return files, folders


def _git(repo: Path, env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, input=stdin, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr  # check-ignore: 1 when nothing is ignored
    return done.stdout


def _git_ignored(repo: Path, env: dict[str, str], files: Iterator[str] | list[str]) -> set[str]:
    """The files that ``git check-ignore`` says are ignored (through a folder above too)."""
    out = _git(repo, env, "check-ignore", "--stdin", "-z", stdin="\0".join(files) + "\0")
    return {p for p in out.split("\0") if p}


def _walked(repo: Path) -> set[str]:
    """The files `discover` yields when it walks the repository, every name included."""
    matcher = Matcher(include=["*"], default_exclude=(".git",))
    top = os.path.join(str(repo), "")
    return {
        item.path[len(top) :]
        for item in discover([str(repo)], matcher, ignores=Ignores())
        if isinstance(item, Found)
    }


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    paths=st.lists(PATHS, min_size=1, max_size=12),
    root_lines=st.lists(LINES, min_size=1, max_size=6),
    nested=st.lists(st.tuples(PATHS, st.lists(LINES, min_size=1, max_size=3)), max_size=2),
    ignore_case=st.booleans(),
)
def test_ozml_ignores_what_git_check_ignore_ignores(
    home: dict[str, str],
    paths: list[tuple[str, ...]],
    root_lines: list[str],
    nested: list[tuple[tuple[str, ...], list[str]]],
    ignore_case: bool,
) -> None:
    """Drawn ignore lines (``!``, ``#``, a leading or trailing ``/``, ``*``, ``**``, ``?``,
    classes, escapes, trailing spaces) in the root's ``.gitignore`` and in folders' own, over a
    drawn tree, with git's ``core.ignoreCase`` on or off: the files the walk leaves out, and
    the files and folders named with ``--force-exclude`` that are left out, are the ones git
    says are ignored."""
    files, folders = _tree(paths)
    ignore_files = {".gitignore": root_lines}
    for where, lines in nested:
        folder = "/".join(where)
        if folder in folders:
            ignore_files[folder + "/.gitignore"] = lines
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        _git(repo, home, "init", "--quiet")
        _git(repo, home, "config", "core.ignorecase", "true" if ignore_case else "false")
        for folder in folders:
            (repo / folder).mkdir(parents=True, exist_ok=True)
        for name in files:
            (repo / name).write_bytes(b"")
        for name, lines in ignore_files.items():
            (repo / name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        every = sorted(files | set(ignore_files))
        ignored = _git_ignored(repo, home, [*every, *folders])
        assert _walked(repo) == set(every) - ignored
        ignores = Ignores()
        assert {name for name in every if ignores.named_file_ignored(str(repo / name))} == {
            name for name in every if name in ignored
        }
        assert {
            name for name in folders if ignores.ignored(str(repo / name), is_dir=True)
        } == ignored & folders


def test_a_named_file_in_an_ignored_folder_is_ignored(tmp_path: Path, home: dict[str, str]) -> None:
    """A line cannot take back a file inside a folder an earlier line ignores: git never
    looks inside the folder, and a file named with ``--force-exclude`` is left out too."""
    repo = tmp_path / "repo"
    (repo / "a").mkdir(parents=True)
    _git(repo, home, "init", "--quiet")
    (repo / ".gitignore").write_text("a\n!ba\n", encoding="utf-8")
    (repo / "a" / "ba").write_text("", encoding="utf-8")
    assert _git_ignored(repo, home, ["a/ba"]) == {"a/ba"}
    assert Ignores().named_file_ignored(str(repo / "a" / "ba"))


def test_a_folder_taken_back_above_does_not_take_back_what_is_ignored_inside(
    tmp_path: Path, home: dict[str, str]
) -> None:
    """The reproduction (found by the drawn test above): with the lines ``a``, ``ba``, ``!a``,
    ``ba`` ignores the folder ``a/ba`` and nothing takes it back (``!a`` matches the folder
    ``a``, not ``a/ba``), so git ignores ``a/ba/a``; ozml walked into ``a/ba`` and checked it,
    as a line that matched a folder above a path counted as matching the path."""
    repo = tmp_path / "repo"
    (repo / "a" / "ba").mkdir(parents=True)
    _git(repo, home, "init", "--quiet")
    (repo / ".gitignore").write_text("a\nba\n!a\n", encoding="utf-8")
    (repo / "a" / "ba" / "a").write_text("", encoding="utf-8")
    (repo / "a" / "b").write_text("", encoding="utf-8")
    assert _git_ignored(repo, home, ["a", "a/b", "a/ba", "a/ba/a"]) == {"a/ba", "a/ba/a"}
    assert _walked(repo) == {".gitignore", "a/b"}
    assert Ignores().named_file_ignored(str(repo / "a" / "ba" / "a"))


@pytest.mark.parametrize(
    ("line", "path", "is_dir", "expected"),
    [
        ("a/**", "a", True, None),  # inside a, not a itself
        ("a/**", "a/b/c", False, True),
        ("a/**/", "a/b", False, None),  # folders inside a only
        ("a/**/", "a/b", True, True),
        ("a/**/b", "a/b", False, True),  # no folder between
        ("**/b", "x/y/b", False, True),
        ("[!a]", "b", False, True),
        ("x[!a]y", "x/y", False, None),  # a class never matches /
        ("[/]a", "x/a", False, None),
        ("[a", "[a", False, None),  # a class that is not closed matches nothing
        ("a\\", "a\\", False, None),  # nor a line that ends in a \\
        ("[[:digit:]]x", "7x", False, True),
        ("[[:nope:]]", "n", False, None),
        ("a\\ ", "a ", False, True),  # an escaped trailing space stays
        ("a  ", "a", False, True),  # the others go
        ("!/", "a", True, None),
        ("/a", "b/a", False, None),
        ("é?", "éx", False, True),
        ("?", "é", False, None),  # git's ? is one byte
        ("a*", "x/ab\nc", False, True),  # a name with a line break
    ],
)
def test_lines_mean_what_they_mean_to_git(
    line: str, path: str, is_dir: bool, expected: bool | None
) -> None:
    """git's reading of the lines that pathspec read otherwise, and of the ones easy to get
    wrong; each was checked with ``git check-ignore``, and the drawn test above holds the
    rest to git itself."""
    assert IgnoreList([line]).match(path, is_dir) is expected


@pytest.mark.parametrize(
    ("line", "path", "is_dir", "expected", "without"),
    [
        ("*.xml", "A.XML", False, True, None),
        ("Build/", "build", True, True, None),
        ("/Top/Sub", "top/sub", False, True, None),
        ("[A-Z]x", "ax", False, True, None),  # a small letter's capital is tried on a range
        ("[a-z]x", "AX", False, True, None),
        ("[[:upper:]]", "a", False, True, None),
        ("\\a", "A", False, True, None),
        ("[A]", "A", False, None, True),  # the path's byte made small, the class as written
        ("\\A", "a", False, None, None),  # an escaped capital, likewise
        ("[!a]", "A", False, None, True),
    ],
)
def test_under_core_ignore_case_lines_match_as_git_matches_them(
    line: str, path: str, is_dir: bool, expected: bool | None, without: bool | None
) -> None:
    """git's ``core.ignoreCase`` (what ``git init`` sets on macOS and Windows): letters in
    either case, and wildmatch's own reading of classes and escapes under it, each checked
    with ``git check-ignore``; without it, the capitals are as written."""
    assert IgnoreList([line], casefold=True).match(path, is_dir) is expected
    assert IgnoreList([line]).match(path, is_dir) is without


@pytest.mark.parametrize(
    "config",
    ["[core]\n\tignorecase = true\n", "[core]\n\tignoreCase\n", "[Core]\nIgnoreCase=yes\n"],
)
def test_a_repository_under_core_ignore_case_is_walked_as_git_walks_it(
    tmp_path: Path, home: dict[str, str], config: str
) -> None:
    """The setting is read from the repository's configuration (a key alone is true, as git
    reads it), and the walk and a named file follow it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, home, "init", "--quiet")
    with open(repo / ".git" / "config", "a", encoding="utf-8") as out:
        out.write(config)
    (repo / ".gitignore").write_text("build/\n*.tmp\n", encoding="utf-8")
    (repo / "Build").mkdir()
    for name in ("Build/a.xml", "A.TMP", "b.xml"):
        (repo / name).write_text("", encoding="utf-8")
    every = ["Build/a.xml", "A.TMP", "b.xml", ".gitignore"]
    assert _git_ignored(repo, home, every) == {"Build/a.xml", "A.TMP"}
    assert _walked(repo) == {"b.xml", ".gitignore"}
    assert Ignores().named_file_ignored(str(repo / "Build" / "a.xml"))


def test_an_ignore_file_too_large_for_one_automaton_is_matched_in_parts(
    tmp_path: Path, home: dict[str, str]
) -> None:
    """A file of more lines than one google-re2 set holds (and more than its memory budget
    takes in one) is matched in several sets, and still says what git says."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, home, "init", "--quiet")
    lines = []
    for i in range(20000):
        lines.append(
            [f"gen{i}/", f"*.x{i}", f"/top{i}", f"!keep{i}.x{i - 2}", f"d{i}/**/f*"][i % 5]
        )
    (repo / ".gitignore").write_text("\n".join(lines) + "\n", encoding="utf-8")
    names = [
        "gen0/a", "gen5/b/c", "gen6/a", "s/gen4000/a", "a.x1", "s/a.x5001", "a.x2",
        "top2", "s/top2", "top7", "keep3.x1", "keep8.x6", "s/keep5003.x5001", "d4/f1",
        "d4/e/f", "d4/e/g", "x/d5999/y/fz", "plain",
    ]  # fmt: skip
    for name in names:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("", encoding="utf-8")
    warnings: list[str] = []
    specs = Ignores(warnings.append).specs_of(str(repo / ".gitignore"))
    assert warnings == []
    assert specs is not None
    assert len(specs._sets) > 1
    every = {*names, ".gitignore"}
    ignored = _git_ignored(repo, home, sorted(every))
    assert {"gen0/a", "a.x1", "top2", "d4/f1", "plain"} - ignored == {"plain"}
    assert _walked(repo) == every - ignored


# -- deep paths -----------------------------------------------------------------------------

#: The depth of the deep repository: its paths are some 1,000 characters long, well below the
#: 4,096 the system opens.
DEEP = 300
#: The lines of the ``.gitignore`` files of the deep repository, by the depth of the folder that
#: holds them (0: the root): each kind of line at several depths, lines anchored two folders
#: below their own (``d1/d2/q.xml``), negations of what a file above says, and ``side/``
#: folders ignored, taken back and ignored again further down.
DEEP_IGNORES = {
    0: ["*.tmp", "!keep*.tmp", "d0/d1/q.xml", "**/d5/x*.xml", "side/"],
    1: ["y.xml", "!side/"],
    10: ["d0/d1/q.xml", "x*.xml", "keep.tmp"],
    101: ["!x1.xml", "side/", "z.xml"],
    151: ["!*.tmp", "/q.xml"],
    DEEP: ["*.xml", "!f.xml"],
}
#: The files in each folder of the deep repository (and in its ``side`` folder, ``side/s.xml``).
DEEP_FILES = ("f.xml", "g.tmp", "keep.tmp", "x1.xml", "y.xml", "z.xml", "q.xml", "w.xml")


def _deep_folder(depth: int) -> str:
    """The folder `depth` folders below the root of the deep repository: d0/d1/.../d9/d0/..."""
    return "/".join(f"d{i % 10}" for i in range(depth))


def _deep_repository(repo: Path, env: dict[str, str]) -> tuple[list[str], set[str], set[str]]:
    """A repository whose folders nest `DEEP` deep, with `DEEP_FILES` and a ``side`` folder
    in every one, the ``.gitignore`` files of `DEEP_IGNORES` and ``w.xml`` in
    ``.git/info/exclude``: its files, and the files and folders git says are ignored."""
    repo.mkdir()
    _git(repo, env, "init", "--quiet")
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("w.xml\n", encoding="utf-8")
    files: list[str] = []
    folders: list[str] = []
    for depth in range(DEEP + 1):
        folder = _deep_folder(depth)
        here = repo / folder
        (here / "side").mkdir(parents=True)
        below = folder + "/" if folder else ""
        folders += [folder, below + "side"] if folder else [below + "side"]
        for name in (*DEEP_FILES, "side/s.xml"):
            (here / name).write_bytes(b"")
            files.append(below + name)
        if depth in DEEP_IGNORES:
            text = "".join(line + "\n" for line in DEEP_IGNORES[depth])
            (here / ".gitignore").write_text(text, encoding="utf-8")
            files.append(below + ".gitignore")
    ignored = _git_ignored(repo, env, [*files, *folders])
    return files, ignored & set(files), ignored & set(folders)


def test_files_deep_in_a_repository_are_ignored_as_git_ignores_them(
    tmp_path: Path, home: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """300 folders deep, ``.gitignore`` files at six depths and ``.git/info/exclude``: the
    walk from the root and from a folder 200 deep, and every file named with
    ``--force-exclude`` (by its absolute path, and by a path relative to a folder 250 deep),
    leave out the files ``git check-ignore`` says are ignored. `Ignores.above` meets the
    folders above a file in its cache of each repository's folders, not by their paths."""
    repo = tmp_path / "repo"
    files, ignored, ignored_folders = _deep_repository(repo, home)
    # The lines at every depth decide some file: the tree tests what it means to.
    assert {"g.tmp", "keep.tmp", "x1.xml", "y.xml", "z.xml", "q.xml", "w.xml"} <= {
        name.rsplit("/", 1)[-1] for name in ignored
    }
    assert f"{_deep_folder(DEEP)}/x1.xml" in ignored
    assert f"{_deep_folder(120)}/x1.xml" not in ignored
    assert f"{_deep_folder(160)}/g.tmp" not in ignored
    assert {"side", f"{_deep_folder(120)}/side"} <= ignored_folders
    assert f"{_deep_folder(50)}/side" not in ignored_folders
    assert _walked(repo) == set(files) - ignored

    middle = _deep_folder(200)
    found = {
        item.path
        for item in discover(
            [str(repo / middle)], Matcher(include=["*"]), ignores=Ignores()
        )
        if isinstance(item, Found)
    }
    top = os.path.join(str(repo), "")
    assert {path[len(top) :] for path in found} == {
        name for name in files if name.startswith(middle + "/")
    } - ignored

    named = files
    ignores = Ignores()
    assert {name for name in named if ignores.named_file_ignored(str(repo / name))} == {
        name for name in named if name in ignored
    }
    assert len(ignores.sources) == len(set(ignores.sources)) == len(DEEP_IGNORES) + 1

    cwd = _deep_folder(250)
    monkeypatch.chdir(repo / cwd)
    below = [name[len(cwd) + 1 :] for name in named if name.startswith(cwd + "/")]
    assert len(below) > 400
    ignores = Ignores()
    assert {name for name in below if ignores.named_file_ignored(name)} == {
        name for name in below if f"{cwd}/{name}" in ignored
    }


class _Counting(Ignores):
    """`Ignores` that counts the folders whose ignore files it is asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def specs_of(self, *files: str, casefold: bool = False) -> IgnoreList | None:
        self.asked += 1
        return super().specs_of(*files, casefold=casefold)


def test_a_file_named_deep_in_a_repository_costs_no_more_for_each_folder_above(
    tmp_path: Path,
) -> None:
    """The reproduction: for each file named (``--force-exclude``) or matched by a glob,
    `Ignores.above` made the path of every folder above it from the root and looked that
    folder's ignore files up again, a time growing with the square of the depth (8 ms for a
    file 250 folders deep, 120 ms at 1,000; the ``ignore *`` stage of
    ``benchmarks/bench_linear.py``, path depth dimension). Now a folder whose ignore files
    were read is met by its name alone: asking about a second file in a folder costs the
    same number of look-ups 3 and 300 folders deep (the repository-wide files'), and each
    ignore file is still read once."""
    asked = []
    for depth in (3, DEEP):
        repo = tmp_path / f"repo{depth}"
        (repo / ".git").mkdir(parents=True)
        (repo / ".gitignore").write_text("*.tmp\n", encoding="utf-8")
        folder = repo / _deep_folder(depth)
        folder.mkdir(parents=True)
        (folder / ".gitignore").write_text("!keep.tmp\n", encoding="utf-8")
        ignores = _Counting()
        assert ignores.named_file_ignored(str(folder / "a.tmp"))
        assert ignores.asked > depth
        assert ignores.sources == [str(repo / ".gitignore"), str(folder / ".gitignore")]
        ignores.asked = 0
        assert not ignores.named_file_ignored(str(folder / "keep.tmp"))
        assert ignores.named_file_ignored(str(folder / "b.tmp"))
        asked.append(ignores.asked)
        assert len(ignores.sources) == 2
    assert asked[0] == asked[1] <= 4
