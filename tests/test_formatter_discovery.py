"""`ozml fmt` chooses its files exactly as `ozml check` does (ozml.cli.discovery): no PATH is the
current folder, ignore files and the configuration's globs apply, --show-files lists them, and
finding nothing is an error unless --allow-empty."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

MESSY = "<Response>\n<Speak>Hi</Speak>\n</Response>\n"


def ozml(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OZML_", "GIT_"))}
    env["NO_COLOR"] = "1"
    # No global git configuration of this machine may change what is ignored.
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    env["XDG_CONFIG_HOME"] = str(cwd / ".no-xdg")
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args], cwd=cwd, capture_output=True, text=True,
        input=stdin, env=env, timeout=60,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("build/\n*.generated.xml\n", encoding="utf-8")
    for name in ("a.xml", "calls/b.ozml", "build/out.xml", "calls/c.generated.xml",
                 "legacy/old.xml"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MESSY, encoding="utf-8")
    (tmp_path / "ozml.toml").write_text('exclude = ["legacy"]\n', encoding="utf-8")
    return tmp_path


def test_fmt_and_check_choose_the_same_files(project: Path) -> None:
    formatted = ozml(project, "fmt", "--show-files")
    checked = ozml(project, "check", "--show-files")
    assert formatted.returncode == checked.returncode == 0, formatted.stderr
    assert formatted.stdout.splitlines() == ["a.xml", "calls/b.ozml"]
    assert formatted.stdout == checked.stdout
    everything = ozml(project, "fmt", "--show-files", "--no-respect-gitignore")
    assert everything.stdout.splitlines() == [
        "a.xml", "build/out.xml", "calls/b.ozml", "calls/c.generated.xml"
    ]


@pytest.mark.parametrize("command", ["fmt", "check"])
@pytest.mark.parametrize("bad", ["selct = 1\n", 'exclude = ["[z-a]"]\n'])
def test_a_bad_nested_configuration_met_listing_files_is_a_usage_error(
    project: Path, command: str, bad: str
) -> None:
    """As in any run: its one-line message and exit 2, never an internal error."""
    (project / "calls" / "ozml.toml").write_text(bad, encoding="utf-8")
    done = ozml(project, command, "--show-files", "--no-cache" if command == "check" else "-q")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("ozml: error: calls/ozml.toml:1:")
    assert "internal error" not in done.stderr


def test_no_path_formats_the_current_folder_and_leaves_ignored_files(project: Path) -> None:
    done = ozml(project, "format", "--check")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "would reformat a.xml",
        "would reformat calls/b.ozml",
        "2 files would be reformatted, 0 files already formatted",
    ]
    assert ozml(project, "fmt").returncode == 0
    assert (project / "a.xml").read_text(encoding="utf-8").startswith("<?xml")
    for untouched in ("build/out.xml", "calls/c.generated.xml", "legacy/old.xml"):
        assert (project / untouched).read_text(encoding="utf-8") == MESSY


def test_a_named_ignored_file_is_formatted_unless_force_exclude(project: Path) -> None:
    named = ozml(project, "fmt", "--check", "build/out.xml")
    assert named.returncode == 1
    assert named.stderr.splitlines()[0] == "would reformat build/out.xml"
    forced = ozml(project, "fmt", "--check", "--force-exclude", "build/out.xml")
    assert (forced.returncode, forced.stderr) == (
        0, "0 files would be reformatted, 0 files already formatted\n"
    )
    assert (project / "build/out.xml").read_text(encoding="utf-8") == MESSY


def test_nothing_to_format_is_an_error_unless_allowed(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not OzML", encoding="utf-8")
    empty = ozml(tmp_path, "fmt")
    assert empty.returncode == 2
    assert empty.stderr.splitlines()[-1] == (
        "ozml: error: no files to format in . (--allow-empty accepts that)"
    )
    allowed = ozml(tmp_path, "fmt", "--allow-empty")
    assert allowed.returncode == 0, allowed.stderr


def test_standard_input_named_as_an_excluded_file_goes_through_unchanged(project: Path) -> None:
    done = ozml(project, "fmt", "-", "--stdin-filename", "legacy/new.xml", stdin=MESSY)
    assert (done.returncode, done.stdout) == (0, MESSY)
    formatted = ozml(project, "fmt", "-", "--stdin-filename", "calls/new.xml", stdin=MESSY)
    assert formatted.returncode == 0
    assert formatted.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<Response>')
