"""`ozml fmt`: in place, --check, --diff, standard input, refusals and exit codes."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ozml.cli import main

MESSY = "<Response><speak>Hi</speak>\n\n\n<Hangup></Hangup></Response>"
FORMATTED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Response>\n  <Speak>Hi</Speak>\n\n  <Hangup/>\n</Response>\n"
)
BROKEN = "<Response><Speak>Hi</Response>"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "messy.xml").write_text(MESSY, encoding="utf-8")
    (tmp_path / "clean.xml").write_text(FORMATTED, encoding="utf-8")
    (tmp_path / "notes.txt").write_text(MESSY, encoding="utf-8")
    return tmp_path


def test_formats_in_place_and_keeps_permissions(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy = tree / "messy.xml"
    messy.chmod(0o604)
    clean_mtime = (tree / "clean.xml").stat().st_mtime_ns
    assert main(["fmt", str(tree)]) == 0
    assert messy.read_text(encoding="utf-8") == FORMATTED
    assert stat.S_IMODE(messy.stat().st_mode) == 0o604
    assert (tree / "clean.xml").stat().st_mtime_ns == clean_mtime  # unchanged files not rewritten
    assert (tree / "notes.txt").read_text(encoding="utf-8") == MESSY
    err = capsys.readouterr().err
    assert err == "1 file reformatted, 1 file already formatted\n"


def test_formatting_is_idempotent_on_disk(tree: Path) -> None:
    assert main(["fmt", str(tree / "messy.xml")]) == 0
    once = (tree / "messy.xml").read_bytes()
    assert main(["fmt", "--check", str(tree / "messy.xml")]) == 0
    assert main(["fmt", str(tree / "messy.xml")]) == 0
    assert (tree / "messy.xml").read_bytes() == once


def test_check_changes_nothing_and_fails_when_something_would_change(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy = tree / "messy.xml"
    assert main(["fmt", "--check", str(tree)]) == 1
    assert messy.read_text(encoding="utf-8") == MESSY
    err = capsys.readouterr().err
    assert err == (
        f"would reformat {messy}\n1 file would be reformatted, 1 file already formatted\n"
    )
    assert main(["fmt", "--check", str(tree / "clean.xml")]) == 0


def test_diff_shows_the_change_without_making_it(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy = tree / "messy.xml"
    assert main(["fmt", "--diff", "-q", str(messy)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- {messy}\n+++ {messy}\n@@ ")
    assert '+<?xml version="1.0" encoding="UTF-8"?>\n' in out
    assert "+  <Speak>Hi</Speak>\n" in out
    assert messy.read_text(encoding="utf-8") == MESSY


def test_a_broken_file_is_refused_and_untouched(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tree / "broken.xml"
    broken.write_text(BROKEN, encoding="utf-8")
    assert main(["fmt", str(tree)]) == 1
    assert broken.read_text(encoding="utf-8") == BROKEN
    assert (tree / "messy.xml").read_text(encoding="utf-8") == FORMATTED  # the rest is done
    err = capsys.readouterr().err
    assert (
        f"ozml: error: {broken}:1:31: OZ001 not well-formed XML: Opening and ending tag"
        " mismatch: Speak line 1 and Response; not formatted\n"
    ) in err
    assert err.endswith("1 file reformatted, 1 file already formatted, 1 file refused\n")


def test_a_missing_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fmt", str(tmp_path / "nope.xml")]) == 2
    assert (
        f"ozml: error: {tmp_path / 'nope.xml'}: no such file or folder" in capsys.readouterr().err
    )


def test_an_unwritable_file_is_an_io_error(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ozml.atomic

    def refuse(path: object, data: bytes, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ozml.atomic, "write_atomic", refuse)
    assert main(["fmt", str(tree / "messy.xml")]) == 2
    assert f"{tree / 'messy.xml'}: not rewritten: permission denied" in capsys.readouterr().err
    assert (tree / "messy.xml").read_text(encoding="utf-8") == MESSY


def run_stdin(*args: str, data: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", "fmt", *args],
        input=data,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_stdin_is_formatted_to_stdout() -> None:
    done = run_stdin("-", data=MESSY)
    assert (done.returncode, done.stdout, done.stderr) == (0, FORMATTED, "")


def test_stdin_check_and_refusal() -> None:
    assert run_stdin("--check", "-", data=FORMATTED).returncode == 0
    assert run_stdin("--check", "-", data=MESSY).returncode == 1
    done = run_stdin("--stdin-filename", "menu.xml", "-", data=BROKEN)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("ozml: error: menu.xml:1:31: OZ001 not well-formed XML")


def test_keep_names_option(tmp_path: Path) -> None:
    target = tmp_path / "legacy.xml"
    target.write_text("<OzML><Forward Destination='1'/></OzML>", encoding="utf-8")
    assert main(["fmt", "-q", "--keep-names", str(target)]) == 0
    assert target.read_text(encoding="utf-8").splitlines()[1:] == [
        "<OzML>",
        '  <Forward Destination="1"/>',
        "</OzML>",
    ]
    assert main(["fmt", "-q", str(target)]) == 0
    assert '<ForwardCall Destination="1"/>' in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "<Response><Hangup/></Response>",  # one line, no line end
        "<Response>\n  <Hangup/>\n</Response>",  # the last line has none
        "<Response>\n  <speak>Hi</speak>\n</Response>",  # a fix too
    ],
)
def test_a_diff_of_a_file_without_a_last_line_end_applies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """The diff lacked ``\\ No newline at end of file`` after such a line: patch and git apply
    refused it. Applied by git, it gives what ozml fmt (and --fix) write."""
    monkeypatch.chdir(tmp_path)
    for args, rewrite in (
        (["fmt", "--diff", "a.xml"], ["fmt", "a.xml"]),
        (["check", "--no-cache", "--diff", "a.xml"], ["check", "--no-cache", "--fix", "a.xml"]),
    ):
        (tmp_path / "a.xml").write_text(text)
        main(args)
        diff = capsys.readouterr().out
        if not diff:
            continue  # nothing to fix in this document
        assert "\\ No newline at end of file\n" in diff
        (tmp_path / "d.patch").write_text(diff)
        subprocess.run(["git", "apply", "-p0", "d.patch"], check=True, cwd=tmp_path)
        applied = (tmp_path / "a.xml").read_text()
        (tmp_path / "a.xml").write_text(text)
        main(rewrite)
        capsys.readouterr()
        assert applied == (tmp_path / "a.xml").read_text()


#: XML white space is space, tab and line ends alone: a no-break space is text (ozml.xmlspace).
NBSP = "<Response><Speak>\u00a0Hello\u00a0</Speak><Speak>\u00a0</Speak></Response>"


def test_a_no_break_space_around_text_or_alone_is_kept(tmp_path: Path) -> None:
    """``ozml fmt`` dropped it, as Python's str.strip does: ``<Speak>Hello</Speak>`` and
    ``<Speak/>``, a change of the script's content."""
    target = tmp_path / "nbsp.xml"
    target.write_bytes(NBSP.encode())
    ozml = [sys.executable, "-m", "ozml", "fmt"]
    done = subprocess.run([*ozml, "--diff", str(target)], capture_output=True, timeout=60)
    assert done.returncode == 1, done.stderr
    added = [line for line in done.stdout.decode().splitlines() if line.startswith("+ ")]
    assert added == ["+  <Speak>\u00a0Hello\u00a0</Speak>", "+  <Speak>\u00a0</Speak>"]
    assert target.read_bytes() == NBSP.encode()  # --diff writes nothing
    done = subprocess.run([*ozml, str(target)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n'
        "  <Speak>\u00a0Hello\u00a0</Speak>\n  <Speak>\u00a0</Speak>\n</Response>\n"
    )
    done = subprocess.run([*ozml, "--check", str(target)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
