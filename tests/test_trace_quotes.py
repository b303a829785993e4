"""A trace line the docs quote is a line a run prints: each quote below is found in the page
(its line breaks read as spaces) and in the output of the real `ozml run` of the document it
describes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _page(name: str) -> str:
    return re.sub(r"\s+", " ", (DOCS / name).read_text(encoding="utf-8"))


CASES = [
    (
        "interpreter.md",
        "its attribute text='b' gives a parameter again: the first is used (assumed: which one a"
        " PBX takes is not stated)",
        '<Response><Speak Text="a" text="b"/></Response>',
        (),
    ),
    (
        "interpreter.md",
        "Unhold -> ok (Unhold is used in 3pcc scripts [oz4592][oz4697]; what a PBX does with it"
        " in an extension script is not stated: it is run as written (assumed))",
        "<Response><Unhold/></Response>",
        ("--context", "extension"),
    ),
    (
        "interpreter.md",
        "$eventname: an alarm field the run was not given (the scenario's [alarm] table), left"
        " as written",
        "<Response><ReceiveAlarmNotification><Received><Speak>$eventname</Speak></Received>"
        "</ReceiveAlarmNotification></Response>",
        (),
    ),
    (
        "dry-run.md",
        "the call is hung up, in state Error (assumed: only the older pages say so of a Url that"
        " cannot be downloaded [oz4588])",
        '<Response><Call Dialed="102" Url="http://app.test/connected"/></Response>',
        (),
    ),
    (
        "dry-run.md",
        "Delay Time=\" 2 \" -> ok (its attribute Time=' 2 ' is read without the white space"
        " around it (assumed: the vendor does not say whether the PBX reads XML's white space"
        " (space, tab, line ends) around a value as part of it or, as ozml does, as layout))",
        '<Response><Delay Time=" 2 "/><Hangup/></Response>',
        (),
    ),
]


@pytest.mark.parametrize(("page", "quote", "document", "options"), CASES)
def test_the_quoted_line_is_printed(
    tmp_path: Path, page: str, quote: str, document: str, options: tuple[str, ...]
) -> None:
    assert quote in _page(page)
    (tmp_path / "doc.xml").write_text(document, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "run", "doc.xml", "--isolated", "--force", *options],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    assert quote in done.stdout, done.stdout
