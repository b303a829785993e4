"""What the schema tests share (tests/test_schema.py, tests/test_schema_strict.py and
tests/test_differential.py): xmllint, the valid examples, ``ozml`` run as a user runs it, and
element text as the schemas must type it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import strategies as st

from ozml import xmlspace
from ozml.catalog import Param, values

REPO = Path(__file__).resolve().parent.parent
XMLLINT = shutil.which("xmllint") or "/usr/bin/xmllint"


def xmllint(schema: Path, path: Path) -> subprocess.CompletedProcess[str]:
    """xmllint's validation of the document at `path` against `schema` (0: valid; 3: invalid;
    1: not well-formed XML)."""
    return subprocess.run(
        [XMLLINT, "--noout", "--nonet", "--schema", str(schema), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def valid_examples() -> list[Path]:
    """Every valid example document (examples/bad/ holds the invalid ones)."""
    folder = REPO / "examples"
    bad = folder / "bad"
    return sorted(p for p in folder.rglob("*.xml") if bad not in p.parents)


def ozml(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``ozml ARGS`` in a new process, in `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def padded(texts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Element text: a drawn text with white space around it, XML's own or other (U+00A0
    before, U+2003 after)."""
    return st.tuples(
        st.sampled_from(["", " ", "\n  ", "\u00a0"]),
        texts,
        st.sampled_from(["", " ", "\n", "\u2003"]),
    ).map("".join)


def text_takes(param: Param, text: str) -> bool:
    """Whether ozml finds no error in `text` as the element text that gives `param`, so a
    schema's type of that text must take it.

    The parser keeps no text of XML white space alone, and the linter checks the text without
    the XML white space around it (D7); other spaces (U+00A0) are text to it, and a finding that
    only they make is a warning (`values.grounds`): valid."""
    value = xmlspace.strip(text)
    return (
        not value
        or values.check(param, value) is None
        or not values.grounds(param, value, text=True).stated
    )
