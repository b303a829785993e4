"""`ozml check`'s files as ruff users expect them: ignore files, no PATH, PATHs and globs that match
nothing, --show-files, --force-exclude, --allow-empty.

Every test runs the real `ozml` in a subprocess, in a real git repository where it matters, and
the ignore rules are checked against git itself (`git ls-files --exclude-standard`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BAD = "<Response>\n  <ForwardCall/>\n</Response>\n"
CLEAN = "<Response>\n  <Speak>Hello</Speak>\n</Response>\n"


def write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """An environment whose git configuration and global excludes are the test's own."""
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "XDG_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), NO_COLOR="1")
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    return env


def ozml(
    cwd: Path, env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def shown(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


TREE = {
    ".gitignore": "build/\n*.draft.xml\n/top-only.xml\n",
    "a.xml": BAD,
    "top-only.xml": BAD,
    "x.draft.xml": BAD,
    "build/b.xml": BAD,
    "sub/.gitignore": "gen/\n!keep.draft.xml\n",
    "sub/top-only.xml": BAD,
    "sub/c.xml": BAD,
    "sub/keep.draft.xml": BAD,
    "sub/gen/d.xml": BAD,
    "sub/deep/.ignore": "e.xml\n",
    "sub/deep/e.xml": BAD,
    "sub/deep/f.xml": BAD,
    "local.xml": BAD,
    "mine.xml": BAD,
}


@pytest.fixture
def repo(tmp_path: Path, home: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, home, "init", "--quiet")
    write(root, TREE)
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "exclude").write_text("local.xml\n")
    write(Path(home["XDG_CONFIG_HOME"]), {"git/ignore": "mine.xml\n"})
    return root


def test_the_files_checked_are_the_ones_git_does_not_ignore(
    repo: Path, home: dict[str, str]
) -> None:
    ours = shown(ozml(repo, home, "--show-files"))
    assert ours == [
        "a.xml",
        "sub/c.xml",
        "sub/keep.draft.xml",
        "sub/top-only.xml",
        "sub/deep/f.xml",
    ]
    # git agrees (.ignore is not git's: e.xml is git's only extra).
    listed = git(repo, home, "ls-files", "--others", "--cached", "--exclude-standard")
    theirs = sorted(p for p in listed.splitlines() if p.endswith(".xml"))
    assert sorted([*ours, "sub/deep/e.xml"]) == theirs
    everything = shown(ozml(repo, home, "--show-files", "--no-respect-gitignore"))
    assert len(everything) == 12  # every .xml file of TREE


def test_ignore_files_above_the_walked_folder_apply(repo: Path, home: dict[str, str]) -> None:
    assert shown(ozml(repo / "sub", home, "--show-files")) == [
        "c.xml",
        "keep.draft.xml",
        "top-only.xml",
        "deep/f.xml",
    ]
    assert shown(ozml(repo, home, "--show-files", "sub/deep")) == ["sub/deep/f.xml"]


def test_core_excludes_file_from_the_git_configuration(repo: Path, home: dict[str, str]) -> None:
    other = Path(home["HOME"]) / "my-excludes"
    other.write_text("a.xml\n")
    git(repo, home, "config", "--global", "core.excludesFile", "~/my-excludes")
    ours = shown(ozml(repo, home, "--show-files"))
    assert "a.xml" not in ours
    assert "mine.xml" in ours  # the XDG default no longer applies
    listed = git(repo, home, "ls-files", "--others", "--exclude-standard")
    assert sorted(ours) == sorted(
        p for p in listed.splitlines() if p.endswith(".xml") and p != "sub/deep/e.xml"
    )


def test_outside_a_repository_only_the_walked_ignore_files_apply(
    tmp_path: Path, home: dict[str, str]
) -> None:
    write(tmp_path / "plain", {".gitignore": "b.xml\n", "a.xml": BAD, "b.xml": BAD})
    write(Path(home["XDG_CONFIG_HOME"]), {"git/ignore": "a.xml\n"})
    assert shown(ozml(tmp_path / "plain", home, "--show-files")) == ["a.xml"]


def test_named_files_and_folders_are_checked_even_when_ignored(
    repo: Path, home: dict[str, str]
) -> None:
    done = ozml(repo, home, "--format", "concise", "build/b.xml", "x.draft.xml", "build")
    assert done.returncode == 1
    assert "Found 2 findings (2 errors) in 2 files; 2 files checked." in done.stdout
    assert shown(ozml(repo, home, "--show-files", "build")) == ["build/b.xml"]
    forced = ozml(repo, home, "--force-exclude", "--show-files", "build/b.xml", "sub/c.xml")
    assert shown(forced) == ["sub/c.xml"]
    # Only ignored files named, as pre-commit may pass them: nothing to do, and no error.
    done = ozml(repo, home, "--force-exclude", "build/b.xml", "x.draft.xml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_paths_and_globs_that_match_nothing(repo: Path, home: dict[str, str]) -> None:
    (repo / "empty").mkdir()
    done = ozml(repo, home, "--format", "concise", "a.xml", "empty", "*.nothing")
    assert done.returncode == 1
    assert done.stderr == (
        "ozml: warning: empty: no matching files in this folder\n"
        "ozml: warning: *.nothing: no file matches this glob\n"
    )
    nothing = ozml(repo, home, "empty")
    assert (nothing.returncode, nothing.stdout) == (2, "")
    assert nothing.stderr.endswith(
        "ozml: error: no files to check in empty (--allow-empty accepts that)\n"
    )
    allowed = ozml(repo, home, "--allow-empty", "empty")
    assert (allowed.returncode, allowed.stdout) == (0, "")
    assert "ozml: error" not in allowed.stderr
    # A glob PATH (for shells that do not expand them) is walked like a folder.
    assert shown(ozml(repo, home, "--show-files", "sub/*.xml")) == [
        "sub/c.xml",
        "sub/keep.draft.xml",
        "sub/top-only.xml",
    ]


def test_no_path_checks_the_current_folder(repo: Path, home: dict[str, str]) -> None:
    assert ozml(repo, home).stdout == ozml(repo, home, ".").stdout
    assert ozml(repo, home).stdout.endswith("5 files checked.\n")


def test_show_files_reports_unreadable_paths(repo: Path, home: dict[str, str]) -> None:
    done = ozml(repo, home, "--show-files", "a.xml", "missing.xml")
    assert (done.returncode, done.stdout) == (2, "a.xml\n")
    assert done.stderr == "ozml: error: missing.xml: no such file or folder\n"


def test_exclude_globs_keep_their_meaning_beside_the_ignore_files(
    repo: Path, home: dict[str, str]
) -> None:
    done = ozml(repo, home, "--show-files", "--exclude", "deep", "--extend-exclude", "c.xml")
    assert shown(done) == ["a.xml", "sub/keep.draft.xml", "sub/top-only.xml"]


def test_the_configurations_exclude_is_matched_from_its_folder_wherever_the_run_starts(
    tmp_path: Path, home: dict[str, str]
) -> None:
    write(
        tmp_path,
        {
            "ozml.toml": 'exclude = ["generated", "legacy/*.xml"]\n',
            "a.xml": BAD,
            "generated/b.xml": BAD,
            "generated/sub/c.xml": BAD,
            "legacy/d.xml": BAD,
            "legacy/keep/e.xml": BAD,
            "calls/f.xml": BAD,
        },
    )
    assert shown(ozml(tmp_path, home, "--show-files")) == [
        "a.xml", "calls/f.xml", "legacy/keep/e.xml",
    ]
    # Started in a subfolder, a run leaves out the same files, walked or named.
    generated, legacy, calls = tmp_path / "generated", tmp_path / "legacy", tmp_path / "calls"
    assert shown(ozml(generated, home, "--show-files")) == []
    assert shown(ozml(generated, home, "--show-files", "b.xml", "sub")) == []
    assert shown(ozml(legacy, home, "--show-files")) == ["keep/e.xml"]
    assert shown(ozml(calls, home, "--show-files", "../generated/b.xml", "f.xml")) == ["f.xml"]
    done = ozml(generated, home, "b.xml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    # The command line's globs keep matching the paths as shown.
    assert shown(ozml(calls, home, "--show-files", "--exclude", "calls")) == ["f.xml"]
    # A file outside a --config file's folder has no path from it: as shown, it is kept.
    write(tmp_path, {"conf/ozml.toml": 'exclude = ["work"]\n', "work/w.xml": BAD})
    outside = ozml(tmp_path / "work", home, "--show-files", "--config", "../conf/ozml.toml")
    assert shown(outside) == ["w.xml"]


def test_a_worktree_reads_the_main_repositorys_exclude_file(
    repo: Path, home: dict[str, str]
) -> None:
    git(repo, home, "add", ".gitignore", "a.xml", "sub")
    git(repo, home, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")
    tree = repo.parent / "tree"
    git(repo, home, "worktree", "add", "--quiet", str(tree))
    assert (tree / ".git").is_file()
    write(tree, {"local.xml": BAD, "build/b.xml": BAD, "new.xml": BAD})
    ours = shown(ozml(tree, home, "--show-files"))
    listed = git(tree, home, "ls-files", "--others", "--cached", "--exclude-standard")
    theirs = sorted(p for p in listed.splitlines() if p.endswith(".xml"))
    assert sorted(ours) == [p for p in theirs if p != "sub/deep/e.xml"]
    assert "local.xml" not in ours  # .git/info/exclude of the main repository
    assert "new.xml" in ours


def test_standard_input_is_left_out_as_its_stdin_filename_would_be(
    repo: Path, home: dict[str, str]
) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return ozml(repo, home, "--format", "concise", *args, stdin=BAD)

    excluded = run("--exclude", "legacy", "--stdin-filename", "legacy/a.xml", "-")
    assert (excluded.returncode, excluded.stdout, excluded.stderr) == (0, "", "")
    echoed = run("--fix", "--exclude", "legacy", "--stdin-filename", "legacy/a.xml", "-")
    assert (echoed.returncode, echoed.stdout) == (0, BAD)
    # An ignored name is checked unless --force-exclude, as a named file is.
    checked = run("--stdin-filename", "build/a.xml", "-")
    assert checked.returncode == 1
    assert checked.stdout.startswith("build/a.xml:2:4: OZ201")
    forced = run("--force-exclude", "--stdin-filename", "build/a.xml", "-")
    assert (forced.returncode, forced.stdout, forced.stderr) == (0, "", "")


def test_the_configuration_sets_respect_gitignore_and_force_exclude(
    tmp_path: Path, home: dict[str, str]
) -> None:
    """`respect-gitignore` and `force-exclude` in the configuration, as in ruff's; the command
    line wins over them."""
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=home)
    write(repo, {".gitignore": "vendor/\n", "a.xml": CLEAN, "vendor/v.xml": BAD})
    assert ozml(repo, home, "--show-files").stdout.splitlines() == ["a.xml"]
    (repo / "ozml.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    assert ozml(repo, home, "--show-files").stdout.splitlines() == ["a.xml", "vendor/v.xml"]
    shown = ozml(repo, home, "--show-files", "--respect-gitignore")
    assert shown.stdout.splitlines() == ["a.xml"]
    # Named, an ignored file is checked, unless force-exclude says otherwise.
    (repo / "ozml.toml").write_text("", encoding="utf-8")
    assert ozml(repo, home, "vendor/v.xml").returncode == 1
    (repo / "ozml.toml").write_text("force-exclude = true\n", encoding="utf-8")
    left_out = ozml(repo, home, "vendor/v.xml")
    assert (left_out.returncode, left_out.stdout) == (0, "")
    settings = ozml(repo, home, "--show-settings", "a.xml").stdout
    assert "  force-exclude: true" in settings.splitlines()
    (repo / "ozml.toml").write_text('force-exclude = "yes"\n', encoding="utf-8")
    bad = ozml(repo, home, "a.xml")
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "ozml: error: ozml.toml:1:17: force-exclude: expected true or false, found a string"
        " ('yes')"
    )


LEGACY = "<Response>\n  <Forward Destination=\"102\"/>\n</Response>\n"


@pytest.mark.parametrize("command", ["check", "fmt", "graph"])
def test_stdin_filename_without_paths_reads_standard_input(tmp_path: Path, command: str) -> None:
    """As in ruff, --stdin-filename says standard input is read. Without a -, ozml fmt
    rewrote every file of the current folder instead, and left standard input unread."""
    (tmp_path / "b.xml").write_text(LEGACY)
    base = [sys.executable, "-m", "ozml", command]
    done = subprocess.run(
        [*base, "--stdin-filename", "x.xml"], input=LEGACY, capture_output=True, text=True,
        cwd=tmp_path, timeout=60,
    )
    assert (tmp_path / "b.xml").read_text() == LEGACY
    if command == "fmt":
        assert done.stdout.startswith("<?xml")
    elif command == "check":
        assert done.stdout.startswith("x.xml:2:4: OZ301")
    else:
        assert "ForwardCall (line 2)" in done.stdout
    done = subprocess.run(
        [*base, "--stdin-filename", "x.xml", "b.xml"], input=LEGACY, capture_output=True,
        text=True, cwd=tmp_path, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("ozml: error: --stdin-filename names standard input")
    assert (tmp_path / "b.xml").read_text() == LEGACY


@pytest.mark.parametrize("command", ["check", "fmt", "graph"])
def test_a_nested_configurations_exclude_applies_to_the_stdin_filename(
    tmp_path: Path, command: str
) -> None:
    """Standard input is the file it is named as: a nested configuration that excludes that
    file leaves it out too (only the first PATH's configuration did)."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ozml.toml").write_text('exclude = ["x.xml"]\n')
    (tmp_path / "sub" / "x.xml").write_text(LEGACY)
    done = subprocess.run(
        [sys.executable, "-m", "ozml", command, "--stdin-filename", "sub/x.xml", "-"],
        input=LEGACY, capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    if command == "fmt":
        assert done.stdout == LEGACY  # passed through unchanged, as for an excluded file
    else:
        assert "OZ301" not in done.stdout
