"""`ozml check --fix / --diff / --unsafe-fixes` on real files."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ozml.cli import main

LEGACY = "<OzML>\n  <!-- keep -->\n  <speak   party='All'>Hi</speak>\n  <Speek>x</Speek>\n</OzML>\n"
SAFE_FIXED = (
    "<Response>\n  <!-- keep -->\n  <Speak   Party='all'>Hi</Speak>\n  <Speek>x</Speek>\n"
    "</Response>\n"
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "menu.xml").write_text(LEGACY, encoding="utf-8")
    (tmp_path / "clean.xml").write_text("<Response><Hangup/></Response>\n", encoding="utf-8")
    return tmp_path


def test_fix_applies_safe_fixes_in_place_and_reports_what_remains(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "menu.xml").chmod(0o640)
    assert main(["check", "--fix", "--no-cache", "--format", "concise", "."]) == 1
    assert (folder / "menu.xml").read_text(encoding="utf-8") == SAFE_FIXED
    assert stat.S_IMODE((folder / "menu.xml").stat().st_mode) == 0o640
    out, err = capsys.readouterr()
    assert "menu.xml:4:4: OZ102 unknown element Speek in Response; did you mean Speak?" in out
    assert "OZ303" not in out
    assert "OZ301" not in out
    assert err.endswith("ozml: Fixed 4 findings in 1 file.\n")


def test_unsafe_fixes_need_the_option(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--fix", "--unsafe-fixes", "--no-cache", "menu.xml"]) == 0
    assert (folder / "menu.xml").read_text(encoding="utf-8") == SAFE_FIXED.replace(
        "<Speek>x</Speek>", "<Speak>x</Speak>"
    )
    assert capsys.readouterr().err.endswith("ozml: Fixed 5 findings in 1 file.\n")


def test_diff_shows_the_fixes_and_changes_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--diff", "--no-cache", "."]) == 1
    assert (folder / "menu.xml").read_text(encoding="utf-8") == LEGACY
    out, err = capsys.readouterr()
    assert out == (
        "--- menu.xml\n+++ menu.xml\n@@ -1,5 +1,5 @@\n"
        "-<OzML>\n+<Response>\n   <!-- keep -->\n"
        "-  <speak   party='All'>Hi</speak>\n+  <Speak   Party='all'>Hi</Speak>\n"
        "   <Speek>x</Speek>\n-</OzML>\n+</Response>\n"
    )
    assert err == "ozml: Would fix 4 findings in 1 file.\n"
    assert main(["check", "--diff", "--no-cache", "clean.xml"]) == 0


def test_diff_of_standard_input() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--diff", "--no-cache", "--stdin-filename",
         "in.xml", "-"],
        input="<Response><speak>Hi</speak></Response>",
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == (
        "--- in.xml\n+++ in.xml\n@@ -1 +1 @@\n"
        "-<Response><speak>Hi</speak></Response>\n\\ No newline at end of file\n"
        "+<Response><Speak>Hi</Speak></Response>\n\\ No newline at end of file\n"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--fix", "--diff"], "--fix and --diff cannot be used together"),
        (["--unsafe-fixes"], "--unsafe-fixes needs --fix or --diff"),
        (["--diff", "--add-noqa"], "--diff changes nothing; it cannot be used with --add-noqa"),
    ],
)
def test_options_that_do_not_go_together(
    folder: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    assert main(["check", "--no-cache", *options, "menu.xml"]) == 2
    assert capsys.readouterr().err.startswith(f"ozml: error: {message}")
    assert (folder / "menu.xml").read_text(encoding="utf-8") == LEGACY


def _stdin(document: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", *args],
        input=document,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_fix_on_standard_input_prints_the_fixed_document(tmp_path: Path) -> None:
    done = _stdin(LEGACY, "--fix", "--format", "concise", "-")
    assert done.returncode == 1
    assert done.stdout == SAFE_FIXED  # the document only: the findings go to standard error
    assert "-:4:4: OZ102 unknown element Speek in Response; did you mean Speak?" in done.stderr
    assert "OZ303" not in done.stderr
    assert done.stderr.endswith("ozml: Fixed 4 findings in 1 file.\n")
    named = _stdin(LEGACY, "--fix", "--stdin-filename", "calls/menu.xml", "-")
    assert named.stdout == SAFE_FIXED
    assert "calls/menu.xml:4:4: OZ102" in named.stderr


def test_fix_on_standard_input_echoes_a_document_with_nothing_to_fix(tmp_path: Path) -> None:
    clean = "<Response><Hangup/></Response>\n"
    done = _stdin(clean, "--fix", "-")
    assert (done.returncode, done.stdout) == (0, clean)
    broken = "<Response>\n  <ForwardCall/>\n</Response>\n"
    done = _stdin(broken, "--fix", "--format", "json", "-")
    assert (done.returncode, done.stdout) == (1, broken)
    assert '"code": "OZ201"' in done.stderr


def test_fix_with_standard_input_and_files_is_refused(folder: Path, capsys) -> None:
    assert main(["check", "--fix", "-", "menu.xml"]) == 2
    assert capsys.readouterr().err == (
        "ozml: error: --fix prints the document of - (standard input) on standard output, so -"
        " must be the only PATH (to only look, --diff may mix them)\n"
    )
    assert (folder / "menu.xml").read_text(encoding="utf-8") == LEGACY


def test_exit_non_zero_on_fix(folder: Path, capsys) -> None:
    (folder / "menu.xml").write_text("<Response><speak>Hi</speak></Response>\n")
    assert main(["check", "--fix", "--exit-non-zero-on-fix", "--no-cache", "."]) == 1
    assert (folder / "menu.xml").read_text() == "<Response><Speak>Hi</Speak></Response>\n"
    assert main(["check", "--fix", "--exit-non-zero-on-fix", "--no-cache", "."]) == 0
    assert main(["check", "--exit-non-zero-on-fix", "."]) == 2
    assert "--exit-non-zero-on-fix needs --fix" in capsys.readouterr().err


def test_fix_keeps_the_file_encoding(folder: Path) -> None:
    data = "<?xml version='1.0' encoding='ISO-8859-2'?>\n<OzML><Speak>\u0151</Speak></OzML>\n"
    (folder / "latin2.xml").write_bytes(data.encode("iso-8859-2"))
    assert main(["check", "--fix", "--no-cache", "-q", "latin2.xml"]) == 0
    assert (folder / "latin2.xml").read_bytes() == data.replace("OzML", "Response").encode(
        "iso-8859-2"
    )


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_fix_keeps_utf16_without_a_byte_order_mark(folder: Path, codec: str) -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?>\n<OzML><Speak>\u0151</Speak></OzML>\n'
    (folder / "wide.xml").write_bytes(data.encode(codec))
    assert main(["check", "--fix", "--no-cache", "-q", "wide.xml"]) == 0
    assert (folder / "wide.xml").read_bytes() == data.replace("OzML", "Response").encode(codec)


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-32-be", "utf-16"])
def test_fix_keeps_utf32_and_finds_its_positions(
    folder: Path, codec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """UTF-32 with or without a byte order mark (FF FE 00 00, little-endian, begins as UTF-16's
    does): its findings where they are, and its fixes written back in it."""
    data = '<?xml version="1.0" encoding="UTF-32"?>\n<OzML>\n  <speak>\u0151</speak>\n</OzML>\n'
    if codec == "utf-16":
        data = data.replace("UTF-32", "UTF-16")
    (folder / "wide.xml").write_bytes(data.encode(codec))
    assert main(["check", "--no-cache", "--output-format", "concise", "wide.xml"]) == 1
    assert capsys.readouterr().out.splitlines()[:2] == [
        "wide.xml:2:2: OZ301 OzML is the legacy name of Response",
        "wide.xml:3:4: OZ303 speak should be written Speak",
    ]
    assert main(["check", "--fix", "--no-cache", "-q", "wide.xml"]) == 0
    fixed = data.replace("OzML", "Response").replace("speak", "Speak")
    assert (folder / "wide.xml").read_bytes() == fixed.encode(codec)


def test_a_file_that_cannot_be_written_is_an_io_error(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ozml.atomic

    def refuse(path: object, data: bytes, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ozml.atomic, "write_atomic", refuse)
    assert main(["check", "--fix", "--no-cache", "menu.xml"]) == 2
    assert "ozml: error: menu.xml: fixes not applied: permission denied" in capsys.readouterr().err
    assert (folder / "menu.xml").read_text(encoding="utf-8") == LEGACY


def test_fixing_in_worker_runs_gives_the_same_files(folder: Path) -> None:
    # Enough files that --jobs really starts workers; fixing happens in this process.
    for i in range(70):
        (folder / f"f{i:02}.xml").write_text(LEGACY, encoding="utf-8")
    assert main(["check", "--fix", "--no-cache", "-q", "--jobs", "2", "."]) == 1
    for i in range(70):
        assert (folder / f"f{i:02}.xml").read_text(encoding="utf-8") == SAFE_FIXED


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("latin1.xml", "<?xml version='1.0' encoding='ISO-8859-1'?>\n<OzML><speak>café</speak>"
         "</OzML>\n".encode("latin-1")),
        ("cp1252.xml", "<?xml version='1.0' encoding='windows-1252'?>\n<OzML>\n<speak>€ café"
         "</speak>\n</OzML>\n".encode("cp1252")),
        ("bom.xml", "\ufeff<OzML>\n  <speak>café</speak>\n</OzML>".encode()),
        ("crlf.xml", b"<Response>\r\n  <speak>x</speak>\r\n</Response>\r\n"),
    ],
)  # fmt: skip
def test_the_diff_of_fixes_applies_to_the_file_as_it_is(
    tmp_path: Path, name: str, data: bytes
) -> None:
    """``ozml check --diff`` prints each file's lines in the file's own bytes (its encoding, its
    byte order mark on the first line): ``git apply`` applies it, and gives what --fix writes."""
    (tmp_path / name).write_bytes(data)
    run = [sys.executable, "-m", "ozml", "check", "--no-cache", "-q"]
    diff = subprocess.run([*run, "--diff", name], cwd=tmp_path, capture_output=True, check=False)
    assert diff.returncode == 1, diff.stderr
    applied = subprocess.run(
        ["git", "apply", "--unsafe-paths", "-"], cwd=tmp_path, input=diff.stdout,
        capture_output=True, check=False,
    )  # fmt: skip
    assert applied.returncode == 0, applied.stderr
    patched = (tmp_path / name).read_bytes()
    (tmp_path / name).write_bytes(data)
    subprocess.run([*run, "--fix", name], cwd=tmp_path, capture_output=True, check=False)
    assert patched == (tmp_path / name).read_bytes() != data
