"""Hostile input: every attack ends in a diagnostic, never a traceback, a leak or a connection.

Each case is checked twice: in process (`ozml.lint.lint`) and through the real command line
(`ozml check`, text and JSON output) in a subprocess. Files named by a document are never
opened (a named pipe proves it: opening one for reading would block until the test writes to
it) and URLs named by a document are never fetched (a loopback server proves it).
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from ozml.diagnostics import Diagnostic
from ozml.lint import LintSettings, lint

MARKER = "OZML-SECRET-7c1d9e"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Response [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Response><Speak>&lol9;</Speak></Response>
"""

DOCTYPE_MESSAGE = (
    "DOCTYPE declarations are not allowed in OzML: entities are not expanded and nothing"
    " external is loaded"
)


def findings(data: bytes | str, **settings: int) -> list[tuple[str, int, int, str]]:
    found = lint(data, "attack.xml", LintSettings(**settings))
    for finding in found:
        assert finding.line >= 1
        assert finding.column >= 1
    return [(f.code, f.line, f.column, f.message) for f in found]


def codes(found: list[Diagnostic] | list[tuple[str, int, int, str]]) -> list[str]:
    return [f[0] if isinstance(f, tuple) else f.code for f in found]


@attrs.frozen
class Run:
    code: int
    stdout: str
    stderr: str


def ozml_check(*paths: Path, options: tuple[str, ...] = ()) -> Run:
    """`ozml check PATH...` in a fresh process, as a user (or a CI job) runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-color", *options, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=paths[0].parent,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return Run(result.returncode, result.stdout, result.stderr)


def check_everywhere(*paths: Path) -> list[str]:
    """Every output ozml makes of `paths`: findings, text report and JSON report."""
    outputs = [repr(findings(path.read_bytes())) for path in paths]
    for fmt in ("text", "json"):
        run = ozml_check(*paths, options=("--format", fmt))
        assert run.code == 1, run
        outputs += [run.stdout, run.stderr]
        if fmt == "json":
            assert json.loads(run.stdout)
    return outputs


# --- watchers: a loopback server and a named pipe -------------------------------------------


class Server:
    """A TCP server on loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port: int = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                with contextlib.suppress(OSError):
                    self.connections.append(conn.recv(1024))
                with contextlib.suppress(OSError):
                    conn.sendall(b"HTTP/1.0 200 OK\r\n\r\n" + MARKER.encode())

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def close(self) -> list[bytes]:
        time.sleep(0.2)  # a connection attempt in flight still lands
        self._stop.set()
        self._thread.join()
        self.sock.close()
        return self.connections


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    yield srv
    srv.close()


def _opened_for_reading(fifo: Path) -> bool:
    """Whether some process has the named pipe open for reading (or is blocked opening it)."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return False  # ENXIO: no reader
    # Someone is reading: hand them the marker and end their read, then report it.
    with contextlib.suppress(OSError):
        os.write(fd, MARKER.encode())
    os.close(fd)
    return True


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(f'{MARKER}\n<!ENTITY {MARKER} "{MARKER}">\n', encoding="utf-8")
    return secret


def _documents_naming(target: str) -> dict[str, str]:
    """Every way a document can ask an XML parser to read `target`."""
    return {
        "external entity in text": f'<?xml version="1.0"?>\n<!DOCTYPE Response [\n'
        f'  <!ENTITY leak SYSTEM "{target}">\n]>\n<Response><Speak>&leak;</Speak></Response>\n',
        "external entity in an attribute": f'<!DOCTYPE Response [<!ENTITY leak SYSTEM "{target}">]>'
        '\n<Response><Speak Text="&leak;"/></Response>\n',
        "parameter entity": f'<!DOCTYPE Response [<!ENTITY % leak SYSTEM "{target}"> %leak;]>\n'
        "<Response><Hangup/></Response>\n",
        "external DTD by SYSTEM id": f'<!DOCTYPE Response SYSTEM "{target}">\n'
        "<Response><Hangup/></Response>\n",
        "external DTD by PUBLIC id": f'<!DOCTYPE Response PUBLIC "-//Evil//DTD//EN" "{target}">\n'
        "<Response><Hangup/></Response>\n",
        "XInclude": '<Response xmlns:xi="http://www.w3.org/2001/XInclude">\n'
        f'  <xi:include href="{target}" parse="text"/>\n</Response>\n',
    }


LOCAL_CASES = sorted(_documents_naming("x"))


# --- the cases -------------------------------------------------------------------------------


def test_billion_laughs_is_refused_at_the_doctype(tmp_path: Path) -> None:
    found = findings(BILLION_LAUGHS)
    assert found == [
        (
            "OZ002",
            2,
            1,
            "the DOCTYPE declares entities that expand exponentially (an entity-expansion"
            " attack); OzML takes no DOCTYPE and ozml expands no entities",
        )
    ]
    path = tmp_path / "laughs.xml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    run = ozml_check(path, options=("--format", "concise"))
    assert run.code == 1
    assert "laughs.xml:2:1: OZ002 the DOCTYPE declares entities" in run.stdout
    assert "lollol" not in run.stdout


@pytest.mark.parametrize("case", LOCAL_CASES)
def test_local_files_named_by_a_document_are_never_read(
    case: str, tmp_path: Path, secret_file: Path
) -> None:
    paths = []
    for number, target in enumerate((str(secret_file), secret_file.as_uri(), secret_file.name)):
        path = tmp_path / f"attack{number}.xml"
        path.write_text(_documents_naming(target)[case], encoding="utf-8")
        paths.append(path)
    for output in check_everywhere(*paths):
        assert MARKER not in output, output


@pytest.mark.parametrize("case", LOCAL_CASES)
def test_a_named_pipe_named_by_a_document_is_never_opened(case: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    path = tmp_path / "attack.xml"
    path.write_text(_documents_naming(fifo.as_uri())[case], encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "ozml", "check", "--format", "json", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    opened = False
    while process.poll() is None:
        opened = opened or _opened_for_reading(fifo)
        time.sleep(0.01)
    stdout, stderr = process.communicate(timeout=60)
    assert not opened, "the parser opened a file named in the document"
    assert process.returncode == 1, stderr
    assert MARKER not in stdout + stderr


@pytest.mark.parametrize("case", LOCAL_CASES)
def test_urls_named_by_a_document_are_never_fetched(
    case: str, tmp_path: Path, server: Server
) -> None:
    path = tmp_path / "attack.xml"
    path.write_text(_documents_naming(server.url("evil.dtd"))[case], encoding="utf-8")
    outputs = check_everywhere(path)
    assert server.close() == [], "ozml connected to a URL named in the document"
    for output in outputs:
        assert MARKER not in output


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("external entity in text", [("OZ002", 2, 1, DOCTYPE_MESSAGE)]),
        ("external DTD by SYSTEM id", [("OZ002", 1, 1, DOCTYPE_MESSAGE)]),
        ("external DTD by PUBLIC id", [("OZ002", 1, 1, DOCTYPE_MESSAGE)]),
        ("parameter entity", [("OZ002", 1, 1, DOCTYPE_MESSAGE)]),
    ],
)
def test_external_references_get_the_doctype_finding(
    case: str, expected: list[tuple[str, int, int, str]], server: Server
) -> None:
    found = findings(_documents_naming(server.url("x"))[case])
    assert [f for f in found if f[0] == "OZ002"][:1] == expected
    assert set(codes(found)) <= {"OZ001", "OZ002"}


def test_external_entity_references_are_reported_where_they_stand() -> None:
    found = findings(_documents_naming("/etc/passwd")["external entity in text"])
    assert found == [
        ("OZ002", 2, 1, DOCTYPE_MESSAGE),
        (
            "OZ002",
            5,
            12,  # the element holding the reference
            "entity reference &leak; is not expanded: OzML uses only the five predefined XML"
            " entities and character references",
        ),
    ]


def test_ten_thousand_levels_of_nesting() -> None:
    deep = "<Response>" + "<ForEach Source='a'>" * 10_000 + "</ForEach>" * 10_000 + "</Response>"
    found = findings(deep)
    assert len(found) == 1
    code, line, column, message = found[0]
    assert (code, line, message) == (
        "OZ001",
        1,
        "not well-formed XML: elements are nested too deeply (the limit is 256 levels)",
    )
    # At the end of the start tag of the 257th level (Response and 256 ForEach elements).
    assert column == len("<Response>") + 256 * len("<ForEach Source='a'>")
    assert deep[column - 1] == ">"


FIFTY_MB = 50 * 1024 * 1024


@pytest.fixture(scope="module")
def huge_attribute() -> bytes:
    return b'<Response><Speak Text="' + b"a" * FIFTY_MB + b'"/></Response>'


def test_a_50_mb_attribute_is_refused_unread_by_default(huge_attribute: bytes) -> None:
    assert findings(huge_attribute) == [
        (
            "OZ003",
            1,
            1,
            f"the input is {len(huge_attribute):,} bytes, larger than the 10,485,760-byte limit;"
            " it was not parsed",
        )
    ]


def test_a_50_mb_attribute_with_a_raised_limit_is_still_a_clean_finding(
    huge_attribute: bytes,
) -> None:
    found = findings(huge_attribute, max_bytes=2 * len(huge_attribute))
    assert [(code, line, message) for code, line, _, message in found] == [
        (
            "OZ003",
            1,
            "a text or attribute value is longer than 10,000,000 characters, the XML parser's"
            " limit; the document was not parsed",
        )
    ]


def test_a_50_mb_attribute_through_the_command_line(tmp_path: Path, huge_attribute: bytes) -> None:
    path = tmp_path / "huge.xml"
    path.write_bytes(huge_attribute)
    run = ozml_check(path, options=("--format", "concise"))
    assert run.code == 1
    assert "huge.xml:1:1: OZ003 the input is 52,428,837 bytes" in run.stdout
    raised = ozml_check(
        path, options=("--format", "concise", "--max-bytes", str(2 * len(huge_attribute)))
    )
    assert raised.code == 1
    assert "OZ003 a text or attribute value is longer than 10,000,000 characters" in raised.stdout


def test_binary_garbage() -> None:
    garbage = bytes(range(256)) * 16
    assert findings(garbage) == [
        (
            "OZ001",
            1,
            1,
            "not well-formed XML: the input is binary data, not XML text",
        )
    ]


def test_invalid_utf8() -> None:
    assert findings(b"<Response>\n  <Speak>caf\xe9 \xff</Speak>\n</Response>\n") == [
        ("OZ001", 2, 13, "not well-formed XML: Invalid bytes in character encoding")
    ]


def test_utf16_with_a_byte_order_mark_is_read_with_exact_positions() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?>\n<Response>\n  <Speek>Hi</Speek>\n</Response>\n'
    with_bom = [codecs.BOM_UTF16_LE + text.encode("utf-16-le")]
    with_bom.append(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    for encoded in with_bom:
        assert findings(encoded) == [
            ("OZ102", 3, 4, "unknown element Speek in Response; did you mean Speak?")
        ]
    clean = "<Response><Speak>Grüß Gott</Speak></Response>".encode("utf-16")
    assert findings(clean) == []


def test_utf16_without_a_byte_order_mark_is_read_as_its_first_character_shows() -> None:
    """Little- or big-endian, told by where the NUL of its first (ASCII) character stands:
    the positions are exact, and a suppression comment in it is read (a search of its bytes
    for ``ozml:`` finds nothing, so its text is searched; `ozml.rawbytes.wide`)."""
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<Response>\n'
        "  <Speek>Hi</Speek>\n  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n</Response>\n"
    )
    for codec in ("utf-16-le", "utf-16-be"):
        assert findings(text.encode(codec)) == [
            ("OZ102", 3, 4, "unknown element Speek in Response; did you mean Speak?")
        ], codec


def test_empty_file(tmp_path: Path) -> None:
    expected = (
        "not well-formed XML: the document is empty: expected an XML document with a"
        " <Response> root"
    )
    assert findings(b"") == [("OZ001", 1, 1, expected)]
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    run = ozml_check(path, options=("--format", "concise"))
    assert run.code == 1
    assert f"empty.xml:1:1: OZ001 {expected}" in run.stdout


def test_whitespace_only_file() -> None:
    expected = (
        "not well-formed XML: the document is empty: expected an XML document with a"
        " <Response> root"
    )
    assert findings(b"  \n\t \n") == [("OZ001", 3, 1, expected)]
    assert findings("\n\n   ") == [("OZ001", 3, 4, expected)]
