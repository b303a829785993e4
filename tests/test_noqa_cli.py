"""``ozml check --add-noqa``: comments are written for every finding, files are otherwise
unchanged (bytes, encoding, line endings), and the next run is clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def check(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", "--format", "concise", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


def test_add_noqa_then_clean(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_bytes(
        b"<Response>\r\n  <ForwardCall/>\r\n  <speak>x</speak>\r\n</Response>\r\n"
    )
    (tmp_path / "clean.xml").write_bytes(b"<Response><Hangup/></Response>")
    done = check(tmp_path, "--add-noqa", ".")
    assert done.returncode == 0
    assert done.stdout == ""
    assert done.stderr == "ozml: added suppressions for 2 findings in 1 file\n"
    assert (tmp_path / "a.xml").read_bytes() == (
        b"<Response>\r\n  <ForwardCall/> <!-- ozml: noqa OZ201 -->\r\n"
        b"  <speak>x</speak> <!-- ozml: noqa OZ303 -->\r\n</Response>\r\n"
    )
    assert (tmp_path / "clean.xml").read_bytes() == b"<Response><Hangup/></Response>"
    again = check(tmp_path, ".")
    assert (again.returncode, again.stdout) == (0, "")


def test_add_noqa_keeps_the_declared_encoding(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0" encoding="iso-8859-1"?>\n'
        "<Response>\n  <speak>Grüß Gott</speak>\n</Response>\n"
    )
    (tmp_path / "l.xml").write_bytes(text.encode("latin-1"))
    assert check(tmp_path, "--add-noqa", "l.xml").returncode == 0
    assert (tmp_path / "l.xml").read_bytes() == text.replace(
        "</speak>", "</speak> <!-- ozml: noqa OZ303 -->"
    ).encode("latin-1")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("mark", ["", "\ufeff"])
def test_add_noqa_writes_utf16_back_in_its_own_byte_order(
    tmp_path: Path, codec: str, mark: str
) -> None:
    """With a byte order mark or without (then the order its first character shows), the
    file is written back as it was read: as `--fix` writes (`ozml.writer.encode_like`)."""
    text = (
        f'{mark}<?xml version="1.0" encoding="UTF-16"?>\n'
        "<Response>\n  <speak>Grüß Gott</speak>\n</Response>\n"
    )
    (tmp_path / "w.xml").write_bytes(text.encode(codec))
    assert check(tmp_path, "--add-noqa", "w.xml").returncode == 0
    assert (tmp_path / "w.xml").read_bytes() == text.replace(
        "</speak>", "</speak> <!-- ozml: noqa OZ303 -->"
    ).encode(codec)


def test_add_noqa_refuses_a_file_that_does_not_round_trip(tmp_path: Path) -> None:
    data = b"<Response>\n  <speak>caf\xe9</speak>\n</Response>\n"  # not UTF-8, no declaration
    (tmp_path / "b.xml").write_bytes(data)
    done = check(tmp_path, "--add-noqa", "b.xml")
    assert (tmp_path / "b.xml").read_bytes() == data
    assert "b.xml: suppressions not added: the file is not valid in its encoding" in done.stderr
    assert done.returncode == 1  # its findings are still reported


def test_add_noqa_with_standard_input_is_a_usage_error(tmp_path: Path) -> None:
    done = check(tmp_path, "--add-noqa", "-", stdin="<Response/>")
    assert done.returncode == 2
    assert done.stderr == (
        "ozml: error: --add-noqa writes to files; it cannot be used with - (standard input)\n"
    )
