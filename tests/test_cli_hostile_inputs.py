"""Hostile input never gives a traceback from the `ozml` command line (docs/cli.md, "Exit codes").

Every case runs the real `ozml` program in a fresh folder with an input chosen to break it:
documents that are not UTF-8, UTF-16 with and without a byte-order mark, a NUL byte, an
entity-expansion bomb, an external entity naming a file (whose text must never be read), 100,000
levels of nesting, a 20 MB attribute, a document broken at its last byte, an empty file, a
folder, a FIFO, a device; configuration and scenario files of the wrong shape; absurd option
values; a closed or binary standard input; a reader that stops reading. Each must end with an
exit status docs/cli.md documents (0, 1 or 2: 3 is a bug), say what is wrong in `ozml: error:`
lines rather than a traceback, and leave every file it was not asked to change byte for byte as
it was: `ozml fmt` and `--fix` never half-write a document they refuse.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

#: The `ozml` program of this environment (its console script), as a user runs it.
_SCRIPT = Path(sys.executable).with_name("ozml")
OZML = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "ozml"]

#: The text of the file an external entity names: it must appear in no output and no file.
SECRET = "SECRET-7f3a91"

GOOD = b"<Response>\n  <Speak>Hello</Speak>\n</Response>\n"
N = 100_000

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
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


def _external(folder: Path) -> bytes:
    secret = folder / "secret.txt"
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [ <!ENTITY x SYSTEM "file://{secret}">'
        ' <!ENTITY pw SYSTEM "file:///etc/passwd"> ]>\n'
        "<Response><Speak>&x;&pw;</Speak></Response>\n"
    ).encode()


def _external_parameter(folder: Path) -> bytes:
    secret = folder / "secret.txt"
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [ <!ENTITY % p SYSTEM "file://{secret}"> %p; ]>\n'
        "<Response><Speak>x</Speak></Response>\n"
    ).encode()


def _external_subset(folder: Path) -> bytes:
    secret = folder / "secret.txt"
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE Response SYSTEM "file://{secret}">\n'
        "<Response><Speak>x</Speak></Response>\n"
    ).encode()


def _xinclude(folder: Path) -> bytes:
    secret = folder / "secret.txt"
    return (
        '<Response xmlns:xi="http://www.w3.org/2001/XInclude"><Speak>'
        f'<xi:include href="{secret}" parse="text"/></Speak></Response>\n'
    ).encode()


def _constant(data: bytes) -> Callable[[Path], bytes]:
    return lambda folder: data


#: Documents, each made in the test's folder (some name a file in it).
DOCUMENTS: dict[str, Callable[[Path], bytes]] = {
    "latin-1 bytes": _constant(b"<Response>\n  <Speak>caf\xe9</Speak>\n</Response>\n"),
    "unknown encoding": _constant(
        b"<?xml version='1.0' encoding='klingon'?>\n<Response><Speak>x</Speak></Response>\n"
    ),
    "utf-16 with bom": _constant("<Response><Speak>Hi</Speak></Response>\n".encode("utf-16")),
    "utf-16 without bom": _constant(
        "<Response><Speak>Hi</Speak></Response>\n".encode("utf-16-le")
    ),
    "utf-16 big-endian without bom": _constant(
        "<Response><Speak>Hi</Speak></Response>\n".encode("utf-16-be")
    ),
    "utf-32": _constant("<Response><Speak>Hi</Speak></Response>\n".encode("utf-32")),
    "nul byte": _constant(b"<Response>\n  <Speak>H\x00i</Speak>\n</Response>\n"),
    "surrogate bytes": _constant(b"<Response><Speak>\xed\xa0\x80</Speak></Response>\n"),
    "bad character references": _constant(
        b"<Response><Speak>&#0;&#xD800;&#x110000;</Speak></Response>\n"
    ),
    "billion laughs": _constant(BOMB),
    "external entity": _external,
    "external parameter entity": _external_parameter,
    "external subset": _external_subset,
    "xinclude": _xinclude,
    "100,000 levels": _constant(
        b"<Response>" + b"<Speak>" * N + b"x" + b"</Speak>" * N + b"</Response>\n"
    ),
    "100,000 unclosed levels": _constant(b"<Response>" + b"<a>" * N),
    "20 MB attribute": _constant(
        b'<Response><Speak Voice="' + b"a" * 20_000_000 + b'">x</Speak></Response>\n'
    ),
    "broken at the last byte": _constant(b"<Response>\n  <Speak>Hi</Speak>\n</Response<"),
    "a control byte after the root": _constant(GOOD + b"\x01"),
    "empty": _constant(b""),
    "white space only": _constant(b"  \n\n"),
    "two byte-order marks": _constant(b"\xef\xbb\xbf\xef\xbb\xbf<Response/>\n"),
    "undefined element prefix": _constant(b"<Response><a:Speak>x</a:Speak></Response>\n"),
    "undefined attribute prefix": _constant(
        b'<Response><Speak a:Voice="x">x</Speak></Response>\n'
    ),
}

#: Commands given the document as a file, and whether they may rewrite it. (``--fix`` on
#: arbitrary bytes is tested in-process by tests/test_fuzz_cli.py; each run here starts a
#: process.)
FILE_COMMANDS: dict[str, tuple[list[str], bool]] = {
    "check": (["check", "--no-cache", "--no-progress"], False),
    "fmt": (["fmt"], True),
    "graph": (["graph"], False),
    "run": (["run"], False),
}

#: Commands given the document on standard input.
STDIN_COMMANDS: dict[str, list[str]] = {
    "check -": ["check", "--no-cache", "-"],
    "fmt -": ["fmt", "-"],
}


def ozml(
    cwd: Path,
    *args: str,
    stdin: int | bytes | None = subprocess.DEVNULL,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("OZML_", "FORCE_COLOR"))
    }
    environment.update(env or {})
    if isinstance(stdin, bytes):
        return subprocess.run(
            [*OZML, *args], cwd=cwd, env=environment, capture_output=True, timeout=300, input=stdin
        )
    return subprocess.run(
        [*OZML, *args], cwd=cwd, env=environment, capture_output=True, timeout=300, stdin=stdin
    )


def well_behaved(done: subprocess.CompletedProcess[bytes]) -> str:
    """Standard error of a run that ended as docs/cli.md says a run ends, decoded."""
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode in (0, 1, 2), (done.returncode, err[-2000:])
    assert "Traceback" not in err, err[-2000:]
    assert "Traceback" not in out
    assert "internal error" not in err, err[-2000:]
    assert SECRET not in out + err
    assert "root:x:0:0" not in out + err
    return err


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("ozml: error: ")]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "secret.txt").write_text(SECRET + "\n")
    return tmp_path


@pytest.mark.parametrize("command", FILE_COMMANDS, ids=str)
@pytest.mark.parametrize("document", DOCUMENTS, ids=str)
def test_a_hostile_document_named_as_a_file(folder: Path, document: str, command: str) -> None:
    data = DOCUMENTS[document](folder)
    path = folder / "doc.xml"
    path.write_bytes(data)
    args, rewrites = FILE_COMMANDS[command]
    done = ozml(folder, *args, "doc.xml")
    err = well_behaved(done)
    after = path.read_bytes()
    assert SECRET.encode() not in after
    if after != data:
        # Only a command that rewrites documents changes one, and only when it succeeded.
        assert rewrites, err[-2000:]
        assert done.returncode in (0, 1), err[-2000:]
        assert b"OZ001" not in done.stdout + done.stderr
    if command == "fmt" and done.returncode != 0:
        assert after == data  # refused: left as it was, byte for byte
        assert errors(err)


@pytest.mark.parametrize("command", STDIN_COMMANDS, ids=str)
@pytest.mark.parametrize("document", DOCUMENTS, ids=str)
def test_a_hostile_document_on_standard_input(folder: Path, document: str, command: str) -> None:
    well_behaved(ozml(folder, *STDIN_COMMANDS[command], stdin=DOCUMENTS[document](folder)))


@pytest.mark.parametrize(
    "document",
    [
        b"<Response><a:Speak>x</a:Speak></Response>\n",
        b'<Response><Speak a:Voice="x">x</Speak></Response>\n',
        b"<a:Response><Speak>x</Speak></a:Response>\n",
    ],
    ids=["element", "attribute", "root"],
)
def test_an_undefined_prefix_is_not_well_formed_for_check_as_for_fmt(
    folder: Path, document: bytes
) -> None:
    """`ozml fmt`, `ozml graph` and `ozml run` refuse a name whose prefix no xmlns declares
    (OZ001, namespace well-formedness); `ozml check` said the document was clean: the quick
    check's validating parser recovers from it without a word."""
    (folder / "doc.xml").write_bytes(document)
    refused = ozml(folder, "fmt", "--check", "doc.xml")
    assert refused.returncode == 1
    assert b"OZ001" in refused.stderr
    checked = ozml(folder, "check", "--no-cache", "--format", "concise", "doc.xml")
    well_behaved(checked)
    assert checked.returncode == 1
    assert b"OZ001" in checked.stdout
    assert b"is not defined" in checked.stdout


#: Configuration files ozml cannot use: (file name, bytes, the error's start).
CONFIGURATIONS: dict[str, tuple[str, bytes, str]] = {
    "wrong type": ("ozml.toml", b"select = 5\n", "ozml.toml:1:10: select: "),
    "unknown key": ("ozml.toml", b"bogus-key = 1\n", "ozml.toml:1:1: bogus-key: unknown key"),
    "invalid toml": ("ozml.toml", b"select = [\n", "ozml.toml:2:1: not valid TOML: "),
    "nul in toml": ("ozml.toml", b'select = ["OZ1"]\x00\n', "ozml.toml:1:17: not valid TOML: "),
    "not utf-8": ("ozml.toml", b"\xff\xfe\n", "ozml.toml:1:1: not UTF-8 text (byte 0xFF)"),
    "not utf-8 later": (
        "ozml.toml", "a = 1\nb = 'é\n".encode() + b"\xe9'\n", "ozml.toml:3:1: not UTF-8 text"
    ),
    "infinite size": ("ozml.toml", b"max-bytes = 1e400\n", "ozml.toml:1:13: max-bytes: "),
    "format not a table": ("ozml.toml", b"format = 3\n", "ozml.toml:1:10: format: "),
    "api timeout nan": ("ozml.toml", b"[api]\ntimeout = nan\n", "ozml.toml:2:11: [api] timeout"),
    "tool.ozml wrong type": (
        "pyproject.toml",
        b"[tool.ozml]\nselect = 5\n",
        "pyproject.toml:2:10: [tool.ozml] select: ",
    ),
    "tool.ozml not a table": (
        "pyproject.toml",
        b"[tool]\nozml = 5\n",
        "pyproject.toml:2:8: [tool.ozml] must be a table",
    ),
}

CONFIGURED_COMMANDS: dict[str, list[str]] = {
    "check": ["check", "--no-cache", "doc.xml"],
    "fmt": ["fmt", "doc.xml"],
    "graph": ["graph", "doc.xml"],
    "run": ["run", "doc.xml"],
    "api": ["api", "--url-only", "Hangup", "CallId=1"],
}


@pytest.mark.parametrize("command", CONFIGURED_COMMANDS, ids=str)
@pytest.mark.parametrize("configuration", CONFIGURATIONS, ids=str)
def test_a_configuration_ozml_cannot_use(folder: Path, configuration: str, command: str) -> None:
    name, data, said = CONFIGURATIONS[configuration]
    (folder / name).write_bytes(data)
    (folder / "doc.xml").write_bytes(b"<Response><Speak>Hello</Speak></Response>")
    done = ozml(folder, *CONFIGURED_COMMANDS[command])
    err = well_behaved(done)
    assert done.returncode == 2
    assert errors(err) == [line for line in err.splitlines() if line], err
    assert len(errors(err)) == 1
    assert errors(err)[0].startswith(f"ozml: error: {said}"), err
    assert (folder / "doc.xml").read_bytes() == b"<Response><Speak>Hello</Speak></Response>"


LONG_NAME = "a" * 300 + ".xml"  # longer than a file name may be (NAME_MAX, 255)
LONG_PATH = "a/" * 3000 + "x.xml"  # longer than a path may be (PATH_MAX, 4096)

#: Option values and paths no command can use: (arguments, what the error line holds).
ABSURD: dict[str, tuple[list[str], str]] = {
    "jobs 0": (["check", "--jobs", "0", "doc.xml"], "--jobs must be at least 1"),
    "jobs -1": (["fmt", "--jobs", "-1", "doc.xml"], "--jobs must be at least 1"),
    "max-bytes -5": (["check", "--max-bytes", "-5", "doc.xml"], "--max-bytes must be"),
    "fmt max-bytes -5": (["fmt", "--max-bytes", "-5", "doc.xml"], "--max-bytes must be"),
    "graph max-bytes 0": (["graph", "--max-bytes", "0", "doc.xml"], "--max-bytes must be"),
    "unknown output format": (["check", "--output-format", "unknown", "doc.xml"], "unknown"),
    "unknown graph format": (["graph", "--format", "unknown", "doc.xml"], "unknown"),
    "line length 10**20": (["fmt", "--line-length", "1" + "0" * 20, "doc.xml"], "--line-length"),
    "max steps 0": (["run", "--max-steps", "0", "doc.xml"], "--max-steps must be at least 1"),
    "hangup at nan": (["run", "--hangup-at", "nan", "doc.xml"], "--hangup-at"),
    "api timeout inf": (["api", "--timeout", "inf", "--url-only", "Hangup"], "--timeout"),
    "port 99999": (["simulate", "--port", "99999"], "--port must be 0-65535"),
    "connection timeout -1": (
        ["simulate", "--connection-timeout", "-1", "--port", "0"],
        "--connection-timeout",
    ),
    "name too long": (["check", LONG_NAME], "file name too long"),
    "fmt name too long": (["fmt", LONG_NAME], "file name too long"),
    "run name too long": (["run", LONG_NAME], "file name too long"),
    "scenario name too long": (["test", "a" * 300 + ".toml"], "file name too long"),
    "path too long": (["check", LONG_PATH], "ozml: error: a/a/"),
    "output path too long": (["check", "-o", LONG_PATH, "doc.xml"], "not written"),
    "config name too long": (["check", "--config", "a" * 300, "doc.xml"], "too long"),
    "newline in a path": (["check", "new\nline.xml"], "new\\x0aline.xml: no such file"),
    "undecodable path": (["check", "bad\udcff.xml"], "bad\\xff.xml: no such file"),
    "dev zero": (["check", "/dev/zero"], "/dev/zero: not a regular file"),
    "fmt dev zero": (["fmt", "/dev/zero"], "/dev/zero: not a regular file"),
    "run dev zero": (["run", "/dev/zero"], "/dev/zero: not a regular file"),
    "config dev zero": (["check", "--config", "/dev/zero", "doc.xml"], "not a regular file"),
    "scenario dev zero": (["run", "--scenario", "/dev/zero", "doc.xml"], "not a regular file"),
    "baseline dev zero": (["check", "--baseline", "/dev/zero", "doc.xml"], "not a regular"),
    "simulator config dev zero": (["simulate", "--config", "/dev/zero"], "not a regular file"),
    "lsp config dev zero": (["lsp", "--config", "/dev/zero"], "not a regular file"),
    "write baseline dev zero": (["check", "--write-baseline", "/dev/zero", "doc.xml"], "not wri"),
    "output to a folder": (["check", "-o", ".", "doc.xml"], "not written: is a folder"),
    "lsp log to a folder": (["lsp", "--log-file", "."], "not written: is a folder"),
    "folder as a script": (["run", "folder.xml"], "folder.xml: is a folder"),
    "folder as a scenario": (["run", "--scenario", "folder.xml", "doc.xml"], "is a folder"),
    "folder as a configuration": (["check", "--config", "folder.xml", "doc.xml"], "is a folder"),
    "file as a folder": (["check", "doc.xml/"], "doc.xml/: a part of the path is not a folder"),
    "fifo": (["check", "fifo.xml"], "fifo.xml: not a regular file"),
    "fmt fifo": (["fmt", "fifo.xml"], "fifo.xml: not a regular file"),
    "graph fifo": (["graph", "fifo.xml"], "fifo.xml: not a regular file"),
    "run fifo": (["run", "fifo.xml"], "fifo.xml: not a regular file"),
}


@pytest.mark.parametrize("case", ABSURD, ids=str)
def test_an_absurd_option_or_path(folder: Path, case: str) -> None:
    (folder / "doc.xml").write_bytes(GOOD)
    (folder / "folder.xml").mkdir()
    os.mkfifo(folder / "fifo.xml")
    args, said = ABSURD[case]
    done = ozml(folder, *[os.fsencode(arg).decode("utf-8", "surrogateescape") for arg in args])
    err = well_behaved(done)
    assert done.returncode == 2
    assert any(said in line for line in errors(err)), err[-2000:]
    assert (folder / "doc.xml").read_bytes() == GOOD
    assert sorted(p.name for p in folder.iterdir()) == [
        "doc.xml", "fifo.xml", "folder.xml", "secret.txt"
    ]


def _closed_stdin(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`ozml ARGS` with file descriptor 0 closed, as ``ozml ARGS <&-`` runs it."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    script = 'import os, sys; os.close(0); os.execv(sys.argv[1], sys.argv[1:])'
    return subprocess.run(
        [sys.executable, "-c", script, *OZML, *args],
        cwd=folder, env=environment, capture_output=True, timeout=300, stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "args", [["check", "-"], ["check", "--fix", "-"], ["fmt", "-"], ["graph", "-"]], ids=" ".join
)
def test_a_closed_standard_input(folder: Path, args: list[str]) -> None:
    if OZML[0] == sys.executable:
        pytest.skip("needs the console script")
    done = _closed_stdin(folder, *args)
    err = well_behaved(done)
    assert done.returncode == 2
    assert errors(err) == ["ozml: error: -: standard input is closed"]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", "--no-cache", "-"], 1),
        (["fmt", "-"], 1),
        (["graph", "-"], 2),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_binary_and_endless_standard_input(folder: Path, args: list[str], code: int) -> None:
    binary = ozml(folder, *args, stdin=bytes(range(256)) * 400)
    well_behaved(binary)
    assert binary.returncode == code
    assert b"OZ001" in binary.stdout + binary.stderr  # what is wrong is said
    with open("/dev/zero", "rb") as endless:  # read up to the size limit, then refused (OZ003)
        done = ozml(folder, *args, stdin=endless.fileno())
    well_behaved(done)
    assert done.returncode == code
    assert b"OZ003" in done.stdout + done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--no-cache", "--no-progress", "."],
        ["check", "--no-cache", "--format", "json", "."],
        ["check", "--show-files", "."],
        ["fmt", "--diff", "."],
        ["commands"],
        ["rule", "OZ201"],
    ],
    ids=" ".join,
)
def test_a_reader_that_stops_reading(folder: Path, args: list[str]) -> None:
    """``ozml check . | head -1``: the broken pipe is one line, exit 2, never a traceback."""
    for index in range(300):
        (folder / f"f{index:03}.xml").write_text("<Response>\n  <ForwardCall/>\n</Response>\n")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    with subprocess.Popen(
        [*OZML, *args], cwd=folder, env=environment, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # as `head -1` does once it has its line
        err = process.stderr.read().decode("utf-8", "replace")
        code = process.wait(timeout=300)
    assert "Traceback" not in err
    assert code in (0, 1, 2)
    assert errors(err) in ([], ["ozml: error: cannot write to standard output: broken pipe"])


@pytest.mark.parametrize(
    "variable",
    [
        {"COLUMNS": "abc"},
        {"COLUMNS": "-5"},
        {"COLUMNS": "9" * 30},
        {"OZML_DOCS_URL": "not a url\nat all"},
        {"OZML_API_URL": "ftp://x y"},
        {"XDG_CONFIG_HOME": "/dev/zero"},
        {"XDG_CACHE_HOME": "/dev/zero"},
        {"HOME": "/nonexistent"},
        {"NO_COLOR": "\u00e9"},
        {"FORCE_COLOR": "garbage"},
        {"OZML_DEBUG": "garbage"},
        {"PYTHONIOENCODING": "ascii"},
    ],
    ids=lambda variable: "=".join(next(iter(variable.items())))[:40],
)
def test_environment_variables_set_to_garbage(folder: Path, variable: dict[str, str]) -> None:
    (folder / "doc.xml").write_bytes(b"<Response><Speak>caf\xc3\xa9</Speak><Speek/></Response>\n")
    commands = [["check", "--format", "sarif", "doc.xml"], ["run", "--force", "doc.xml"]]
    if "OZML_API_URL" in variable:
        commands.append(["api", "--url-only", "Hangup", "CallId=1"])
    for args in commands:
        done = ozml(folder, *args, env=variable)
        err = well_behaved(done)
        if "OZML_API_URL" in variable and args[0] == "api":
            assert len(errors(err)) == 1
            assert "invalid API URL 'ftp://x y'" in errors(err)[0]


#: A byte that is not UTF-8, as a non-UTF-8 terminal or environment gives it to Python.
BAD = os.fsdecode(b"\xff")


@pytest.mark.parametrize(
    ("env", "args", "said"),
    [
        (
            {"OZML_USERNAME": "admin", "OZML_PASSWORD": f"se{BAD}cret"},
            ["Text=hello"],
            "OZML_PASSWORD: not UTF-8 text (bad byte at offset 2); credentials are sent as UTF-8",
        ),
        (
            {"OZML_USERNAME": f"{BAD}admin", "OZML_PASSWORD": "secret"},
            ["Text=hello"],
            "OZML_USERNAME: not UTF-8 text (bad byte at offset 0); credentials are sent as UTF-8",
        ),
        (
            {},
            [f"Text=caf\u00e9 {BAD}"],
            "Text: not UTF-8 text (bad byte at offset 6); parameters are sent as UTF-8",
        ),
    ],
    ids=["password", "user name", "parameter"],
)
def test_api_values_that_are_not_utf8_are_said_where(
    folder: Path, env: dict[str, str], args: list[str], said: str
) -> None:
    """Said with the variable or parameter and the place, never the value (a credential);
    it was Python's codec message (``'utf-8' codec can't encode character '\\udcff'``)."""
    url = ["--api-url", "http://127.0.0.1:9/api"]
    done = ozml(folder, "api", "--url-only", *url, "Speak", "CallId=1", *args, env=env)
    err = well_behaved(done)
    assert done.returncode == 2
    assert errors(err) == [f"ozml: error: {said}"]
    assert "secret" not in err
    assert "admin" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--force", "doc.xml"],
        ["fmt", "--diff", "doc.xml"],
        ["check", "--diff", "--unsafe-fixes", "doc.xml"],
        ["check", "--no-progress", "doc.xml"],
        ["command", "Speak"],
        ["graph", "doc.xml"],
    ],
    ids=" ".join,
)
def test_an_output_encoding_that_cannot_show_the_text(folder: Path, args: list[str]) -> None:
    """PYTHONIOENCODING=ascii (or a C locale's terminal) and a document in French: what the
    encoding cannot show is escaped, for every command, rather than end the run half-way with
    an internal error; documents written whole (``ozml fmt -``, the graph) stay UTF-8."""
    (folder / "doc.xml").write_bytes(b"<Response><Speak>caf\xc3\xa9</Speak><Speek/></Response>\n")
    done = ozml(folder, *args, env={"PYTHONIOENCODING": "ascii"})
    well_behaved(done)
    assert b"\\xe9" in done.stdout or b"caf\xc3\xa9" in done.stdout or args[0] == "command"
    formatted = ozml(folder, "fmt", "-", stdin=(folder / "doc.xml").read_bytes(),
                     env={"PYTHONIOENCODING": "ascii"})
    assert formatted.returncode == 0
    assert b"<Speak>caf\xc3\xa9</Speak>" in formatted.stdout


#: Scenario files of the wrong shape: (the TOML after ``script = "doc.xml"``, the error's start).
SCENARIOS: dict[str, tuple[str, str]] = {
    "script a list": ('script = ["a"]\n', "x.scenario.toml:1:10: script: expected a string"),
    "script a device": ('script = "/dev/zero"\n', "x.scenario.toml:1:10: script: "),
    "call a number": ("call = 5\n", "x.scenario.toml:2:8: call: expected a table"),
    "params nested": ("[call]\nparams = { a = [1] }\n", "x.scenario.toml:3:16: call.params.a: "),
    "dtmf a number": ("[input]\ndtmf = 5\n", "x.scenario.toml:3:8: input.dtmf: "),
    "dtmf mixed": ('[input]\ndtmf = ["1", { at = "1s", keys = "1" }]\n', "x.scenario.toml:3:14: "),
    "hangup nan": ("[input]\nhangup = nan\n", "x.scenario.toml:3:10: input.hangup: "),
    "negative time": ("[timing]\nPlay = -1\n", "x.scenario.toml:3:8: timing.Play: "),
    "huge time": ("[timing]\nseconds_per_word = 1e308\n", "x.scenario.toml:3:20: timing."),
    "answer a device": (
        '[urls]\n"http://x/" = { file = "/dev/zero" }\n',
        "x.scenario.toml:3:24: urls.'http://x/'.file: cannot read '/dev/zero': not a regular",
    ),
    "steps infinite": ("[engine]\nmax_steps = 1e400\n", "x.scenario.toml:3:13: engine.max_steps"),
    "expect a list of tables": ('[[expect]]\nend = "x"\n', "x.scenario.toml:2:3: expect: "),
    "unknown key": ("bogus = 1\n", "x.scenario.toml:2:1: bogus: unknown key"),
    "a nul": ('description = "\\u0000\x00"\n', "x.scenario.toml:2:22: not valid TOML: "),
}


@pytest.mark.parametrize("command", ["run", "test"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=str)
def test_a_scenario_of_the_wrong_shape(folder: Path, scenario: str, command: str) -> None:
    text, said = SCENARIOS[scenario]
    head = "" if text.startswith("script") else 'script = "doc.xml"\n'
    (folder / "x.scenario.toml").write_text(head + text)
    (folder / "doc.xml").write_bytes(GOOD)
    args = ["test", "x.scenario.toml"]
    if command == "run":
        args = ["run", "--scenario", "x.scenario.toml"]
        if not text.startswith("script"):
            args.append("doc.xml")
    done = ozml(folder, *args)
    err = well_behaved(done)
    assert done.returncode == 2
    if command == "run":
        assert len(errors(err)) == 1
        assert errors(err)[0].startswith(f"ozml: error: {said}"), err
    else:  # the report names the scenario and its error, on standard output
        assert said in done.stdout.decode(), done.stdout.decode()


SHAPE = (
    "not a baseline file: expected an object with version 1 and a list of findings, each with"
    " path, code and fingerprint"
)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"[1]", SHAPE),
        (b'{"version": 1}', SHAPE),
        (b'{"version": 1, "findings": 5}', SHAPE),
        (b'{"version": 1, "findings": [{"path": "a.xml"}]}', SHAPE),
        (b'{"version": 1, "findings": [{"path": "a", "code": "OZ1", "fingerprint": "f",'
         b' "count": "many"}]}', SHAPE),
        (b"\xff\xfe{}", ":1:1: not a baseline file: not UTF-8 text (byte 0xFF)"),
    ],
    ids=["a list", "no findings", "findings a number", "a finding without code",
         "a count not a number", "not utf-8"],
)
def test_a_baseline_of_the_wrong_shape(folder: Path, content: bytes, said: str) -> None:
    """Said in words, not as the Python exception it raised (``(KeyError('code'))``)."""
    (folder / "base.json").write_bytes(content)
    (folder / "doc.xml").write_bytes(GOOD)
    done = ozml(folder, "check", "--no-cache", "--baseline", "base.json", "doc.xml")
    err = well_behaved(done)
    assert done.returncode == 2
    placed = said if said.startswith(":") else f": {said}"  # FILE:LINE:COLUMN, or FILE
    assert errors(err) == [f"ozml: error: base.json{placed}"]


@pytest.mark.parametrize(
    "args",
    [
        ["check", "."],
        ["check", "doc.xml"],
        ["fmt", "."],
        ["graph", "."],
        ["run", "doc.xml"],
        ["test"],
        ["api", "--url-only", "Hangup", "CallId=1"],
    ],
    ids=" ".join,
)
def test_a_current_folder_that_was_removed(tmp_path: Path, args: list[str]) -> None:
    """A folder removed under a run (``rm -rf`` of the folder a shell or ``--watch`` stands
    in) is said as such, not as a standard output that cannot be written."""
    gone = tmp_path / "gone"
    gone.mkdir()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    script = (
        "import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]);"
        " os.execv(sys.argv[2], sys.argv[2:])"
    )
    command = OZML if OZML[0] != sys.executable else [sys.executable, sys.executable, "-m", "ozml"]
    done = subprocess.run(
        [sys.executable, "-c", script, str(gone), *command, *args],
        cwd=tmp_path, env=environment, capture_output=True, timeout=300, stdin=subprocess.DEVNULL,
    )
    err = well_behaved(done)
    assert done.returncode == 2
    assert errors(err) == ["ozml: error: the current folder: no such file or folder"], err
