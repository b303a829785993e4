"""Fuzzing the command line: `ozml check`, `ozml fmt` and `ozml check --fix` on arbitrary bytes
under arbitrary file names (control characters, undecodable bytes, XML-looking names).

Every run is in-process (`ozml.cli.main`) in a fresh temporary tree, next to a folder the run
must never touch (reached from the tree through a symbolic link), and must:

* exit 0, 1 or 2, never 3 (an internal error), and never print a traceback;
* touch nothing outside the tree (the folder beside it is compared byte for byte);
* lose no content: a file `ozml fmt` rewrites still parses, with the same text, comments and
  processing instructions; a file that is not well-formed is never rewritten;
* keep the terminal safe: no control character from a file name reaches text output raw.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from strategies import documents, untidy

from ozml.cli import main

#: File names as bytes: anything a POSIX file system takes in one component.
NAMES = st.binary(min_size=1, max_size=12).filter(
    lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b"..")
)
#: Contents: arbitrary bytes, and documents that are OzML or nearly.
CONTENT = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    documents().flatmap(untidy).map(lambda t: t.encode("utf-8")),
    documents().flatmap(untidy).map(lambda t: t.encode("utf-8")[: len(t) // 2]),
)
FILES = st.dictionaries(NAMES, CONTENT, min_size=1, max_size=4)
COMMANDS = st.sampled_from(
    [
        ["check", "--no-progress", "--no-cache", "."],
        ["check", "--no-progress", "--no-cache", "--format", "json", "."],
        ["check", "--no-progress", "--no-cache", "--format", "concise", "."],
        ["check", "--no-progress", "--no-cache", "--fix", "."],
        ["check", "--no-progress", "--no-cache", "--fix", "--unsafe-fixes", "."],
        ["fmt", "."],
        ["fmt", "--keep-names", "."],
    ]
)


def _snapshot(folder: Path) -> dict[bytes, bytes]:
    out: dict[bytes, bytes] = {}
    for entry in os.scandir(os.fsencode(folder)):
        if entry.is_symlink():
            out[entry.name] = b"link:" + os.readlink(entry.path)
        else:
            out[entry.name] = Path(os.fsdecode(entry.path)).read_bytes()
    return out


def _content(data: bytes) -> tuple[str, list[str], list[str]] | None:
    """What formatting must keep: the words of the text, the comments, the processing
    instructions (None for a document that is not well-formed)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    # Text split over several elements is compared piece by piece: the white space between
    # elements is layout.
    words = "|".join(" ".join(t.split()) for t in root.itertext() if t.strip())
    comments = [c.text or "" for c in root.iter(etree.Comment)]
    pis = [f"{p.target} {p.text or ''}".strip() for p in root.iter(etree.ProcessingInstruction)]
    return words, comments, pis


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=FILES, command=COMMANDS)
def test_the_command_line_never_crashes_loses_or_strays(
    files: dict[bytes, bytes],
    command: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OZML_DEBUG", raising=False)
    with tempfile.TemporaryDirectory() as top:
        tree = Path(top) / "tree"
        outside = Path(top) / "outside"
        tree.mkdir()
        outside.mkdir()
        (outside / "victim.xml").write_bytes(b"<Response><speak>x</speak></Response>")
        (tree / "link.xml").symlink_to("../outside/victim.xml")
        names = {}
        for name, data in files.items():
            path = os.path.join(os.fsencode(tree), name + b".xml")
            with open(path, "wb") as handle:
                handle.write(data)
            names[name + b".xml"] = data
        before = _snapshot(outside)
        monkeypatch.chdir(tree)
        code = main(command)
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), err
        assert "Traceback" not in err
        assert "internal error" not in err
        assert _snapshot(outside) == before
        if "--format" not in command:
            # Text for people: no control character but new lines and tabs reaches the terminal.
            shown = (out + err).replace("\n", "").replace("\t", "")
            assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in shown), shown
        for name, data in names.items():
            now = Path(os.fsdecode(os.path.join(os.fsencode(tree), name))).read_bytes()
            if now == data:
                continue
            was = _content(data)
            assert was is not None, "a document that is not well-formed was rewritten"
            if command[0] == "fmt":
                assert _content(now) == was
            else:
                assert _content(now) is not None
