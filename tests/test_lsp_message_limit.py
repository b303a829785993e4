"""The language server's largest message follows the project's ``max-bytes``
(docs/language-server.md, "Robustness"), within a ceiling.

A message carrying a whole document is read up to 6 x ``max-bytes`` + 4 MiB (a document's byte
takes up to 6 in JSON): 64 MiB for the default 10 MiB. A project that lints larger documents
raises it with its configuration: the one ``--config`` names, the working directory's, or a
workspace folder's of the initialize request. ``ozml lsp`` runs as an editor runs it, a
subprocess spoken to over standard input; the document below, of control characters that JSON
writes 6 bytes each, is a 72 MB message.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from lsp_support import Session
from test_hostile_inputs_more import errors, ozml, well_behaved

pytest.importorskip("pygls")

#: 12 MB of document: above the default max-bytes' messages (6 bytes each: 72 MB > 64 MiB),
#: within a max-bytes of 20 MB (6 x 20 MB + 4 MiB = 124 MB). Not well-formed (a control
#: character), so the lint stops at its first character of text.
BIG = "<Response><Speak>" + "\x01" * 12_000_000 + "</Speak></Response>"
RAISED = "max-bytes = 20_000_000\n"


def project(folder: Path, settings: str = RAISED) -> Path:
    folder.mkdir()
    (folder / "ozml.toml").write_text(settings, encoding="utf-8")
    return folder


def linted(session: Session, folder: Path) -> list[str]:
    """The codes of the big document's diagnostics, opened from `folder`; the server is then
    shut down and must exit 0."""
    uri = (folder / "big.xml").as_uri()
    item = {"uri": uri, "languageId": "xml", "version": 1, "text": BIG}
    body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                       "params": {"textDocument": item}}).encode()
    assert len(body) > 64 * 1024 * 1024  # past the default limit
    try:
        session.send_raw(body)
        codes = [d["code"] for d in session.published(uri, 1, timeout=120)]
        assert session.stop() == 0
    except (AssertionError, BrokenPipeError):
        session.kill()
        raise AssertionError(session.stderr_path.read_text("utf-8", "replace")[-2000:]) from None
    return codes


def test_the_working_directorys_max_bytes(tmp_path: Path) -> None:
    folder = project(tmp_path / "app")
    session = Session(tmp_path, cwd=folder)
    codes = linted(session, folder)
    assert codes  # linted (not well-formed), not reported as too large (OZ003)
    assert set(codes) == {"OZ001"}


def test_a_workspace_folder_of_the_initialize_request(tmp_path: Path) -> None:
    folder = project(tmp_path / "app")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    session = Session(tmp_path, cwd=elsewhere, root_uri=folder.as_uri())
    assert set(linted(session, folder)) == {"OZ001"}


def test_a_subfolders_configuration_once_a_document_of_it_is_open(tmp_path: Path) -> None:
    """Neither the working directory nor the workspace holds the setting: the configuration
    of the document's folder raises the limit from its opening on, for a change in full."""
    folder = project(tmp_path / "app")
    session = Session(tmp_path, cwd=tmp_path, root_uri=tmp_path.as_uri())
    uri = (folder / "big.xml").as_uri()
    session.open_linted(uri, "<Response/>")
    change = {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": BIG}]}
    try:
        session.notify("textDocument/didChange", change)
        codes = [d["code"] for d in session.published(uri, 2, timeout=120)]
        assert session.stop() == 0
    except (AssertionError, BrokenPipeError):
        session.kill()
        raise AssertionError(session.stderr_path.read_text("utf-8", "replace")[-2000:]) from None
    assert set(codes) == {"OZ001"}


def test_the_configuration_that_config_names(tmp_path: Path) -> None:
    settings = tmp_path / "big.toml"
    settings.write_text(RAISED, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    session = Session(tmp_path, cwd=elsewhere, args=("--config", str(settings)))
    assert set(linted(session, elsewhere)) == {"OZ001"}


def test_without_the_setting_the_default_limit_ends_the_server(tmp_path: Path) -> None:
    """The same document where no configuration raises max-bytes: one line, exit 2."""
    folder = tmp_path / "plain"
    folder.mkdir()
    body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": (folder / "big.xml").as_uri(), "languageId": "xml",
                         "version": 1, "text": BIG}}}).encode()
    done = ozml(folder, "lsp", stdin=b"Content-Length: %d\r\n\r\n" % len(body) + body)
    err = well_behaved(done)
    assert done.returncode == 2
    assert errors(err) == [
        f"ozml: error: standard input: at byte 0: Content-Length {len(body)} is larger than"
        " the 67,108,864-byte limit of a message"
    ]


@pytest.mark.parametrize("where", ["working directory", "--config"])
def test_a_huge_max_bytes_keeps_the_ceiling(tmp_path: Path, where: str) -> None:
    """A max-bytes of a terabyte does not lift the bound: a huge Content-Length, and standard
    input that is no protocol at all, still end the server with one line, exit 2."""
    folder = project(tmp_path / "app", "max-bytes = 1_000_000_000_000\n")
    args = ("--config", str(folder / "ozml.toml")) if where == "--config" else ()
    cwd = folder if where == "working directory" else tmp_path
    done = ozml(cwd, "lsp", *args, stdin=b"Content-Length: 99999999999\r\n\r\n{}")
    err = well_behaved(done)
    assert done.returncode == 2
    assert errors(err) == [
        "ozml: error: standard input: at byte 0: Content-Length 99999999999 is larger than"
        " the 1,073,741,824-byte limit of a message"
    ]
    with open("/dev/zero", "rb") as endless:
        done = ozml(cwd, "lsp", *args, stdin=endless.fileno())
    well_behaved(done)
    assert done.returncode == 2
    assert b"a header line of more than 65,536 bytes" in done.stderr


def test_a_content_length_larger_than_what_comes_costs_what_comes(tmp_path: Path) -> None:
    """Under a raised limit a message that says 1,000,000,000 bytes and sends 2 is read as
    they come, not into a buffer of the length it claims: the input ends, and so does the
    server, as at the end of any input (exit 1: no shutdown was asked)."""
    folder = project(tmp_path / "app", "max-bytes = 1_000_000_000_000\n")
    done = ozml(folder, "lsp", stdin=b"Content-Length: 1000000000\r\n\r\n{}")
    err = well_behaved(done)
    assert done.returncode == 1, err
    assert errors(err) == []


# -- the reader itself --------------------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ozml.lsp.stdin import (  # noqa: E402
    MAX_MESSAGE,
    MESSAGE_CEILING,
    BoundedNumbers,
    UnreadableMessage,
    message_limit,
)


@given(st.lists(st.integers(min_value=1, max_value=10**15), max_size=5))
def test_the_limit_only_rises_and_stays_under_the_ceiling(sizes: list[int]) -> None:
    reader = BoundedNumbers(io.BytesIO())
    seen = [reader.max_message]
    for size in sizes:
        reader.allow(size)
        seen.append(reader.max_message)
    assert seen[0] == MAX_MESSAGE == 64 * 1024 * 1024
    assert seen == sorted(seen)
    assert seen[-1] == max([MAX_MESSAGE, *(message_limit(size) for size in sizes)])
    assert seen[-1] <= MESSAGE_CEILING


def test_a_body_of_many_chunks_is_read_exactly() -> None:
    """A body of 3.5 MiB is read whole, a megabyte at a time, and the next message's headers
    stay for the next read; the raised limit is what the next Content-Length is held to."""
    body = b'{"text": "' + b"x" * (7 * 512 * 1024) + b'"}'
    stream = io.BytesIO(b"Content-Length: %d\r\n\r\n" % len(body) + body + b"Content-Length: 2\r\n")
    reader = BoundedNumbers(stream)
    assert reader.readline() == b"Content-Length: %d\r\n" % len(body)
    assert reader.readline() == b"\r\n"
    assert reader.read(len(body)) == body
    assert reader.readline() == b"Content-Length: 2\r\n"
    reader = BoundedNumbers(io.BytesIO(b"Content-Length: %d\r\n" % (MAX_MESSAGE + 1)))
    with pytest.raises(UnreadableMessage, match="larger than the 67,108,864-byte limit"):
        reader.readline()
    reader = BoundedNumbers(io.BytesIO(b"Content-Length: %d\r\n" % (MAX_MESSAGE + 1)))
    reader.allow(20_000_000)
    assert reader.readline() == b"Content-Length: %d\r\n" % (MAX_MESSAGE + 1)
