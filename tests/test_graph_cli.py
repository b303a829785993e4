"""`ozml graph` as users run it: the real command in a subprocess, exact output and messages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def ozml(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "80"
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
        timeout=120,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "a.xml").write_text("<Response><Speak>A</Speak></Response>\n")
    (tmp_path / "calls" / "b.xml").write_text("<Response><Hangup/></Response>\n")
    (tmp_path / "calls" / "skip").mkdir()
    (tmp_path / "calls" / "skip" / "c.xml").write_text("<Response/>\n")
    return tmp_path


def test_a_file_that_is_not_xml_is_an_error_with_its_position(project: Path) -> None:
    (project / "bad.xml").write_text("<Response>\n  <Speak>hi</Speek>\n</Response>\n")
    done = ozml("graph", "bad.xml", "calls/a.xml", cwd=project)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "ozml: error: bad.xml:2:20: OZ001 not well-formed XML: Opening and ending tag mismatch:"
        " Speak line 2 and Speek\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "bad.xml:1:1: the document is empty: an OzML document needs a <Response> root"),
        (b"\x00\x01binary", "bad.xml:1:1: "),
    ],
)
def test_empty_and_binary_files_are_errors_not_tracebacks(
    project: Path, content: bytes, message: str
) -> None:
    (project / "bad.xml").write_bytes(content)
    done = ozml("graph", "bad.xml", cwd=project)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("ozml: error: bad.xml:1:1: ")
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_a_missing_file_is_an_error(project: Path) -> None:
    done = ozml("graph", "nope.xml", cwd=project)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "ozml: error: nope.xml: no such file or folder\n"


def test_a_folder_is_walked_as_check_walks_it_and_drawn_side_by_side(project: Path) -> None:
    (project / ".gitignore").write_text("skip/\n")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    shown = ozml("graph", "calls", "--show-files", cwd=project)
    assert (shown.returncode, shown.stdout, shown.stderr) == (
        0, "calls/a.xml\ncalls/b.xml\n", "",
    )
    done = ozml("graph", "calls", "--exclude", "b.xml", "--context", "extension", cwd=project)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        "flowchart TD\n"
        '  S(["start"])\n'
        '  n1["Speak (line 1)<br/>A"]\n'
        '  E(["end of script<br/>the PBX hangs up (D9)"])\n'
        "  S --> n1\n"
        "  n1 --> E\n"
    )
    both = ozml("graph", "calls", cwd=project)
    assert both.returncode == 0
    assert both.stdout.splitlines()[:3] == [
        "flowchart TD", '  subgraph d1["calls/a.xml"]', '    d1_S(["start"])',
    ]
    assert '  subgraph d2["calls/b.xml"]' in both.stdout.splitlines()
    assert "  d2_S --> d2_n1" in both.stdout.splitlines()


def test_an_empty_folder_is_an_error_unless_allowed(project: Path) -> None:
    (project / "empty").mkdir()
    done = ozml("graph", "empty", cwd=project)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "ozml: warning: empty: no matching files in this folder\n"
        "ozml: error: no files to draw in empty (--allow-empty accepts that)\n"
    )
    allowed = ozml("graph", "empty", "--allow-empty", cwd=project)
    assert (allowed.returncode, allowed.stdout) == (0, "")
    assert allowed.stderr == "ozml: warning: empty: no matching files in this folder\n"


def test_standard_input_is_drawn_under_its_stdin_filename(project: Path) -> None:
    done = ozml(
        "graph", "-", "--stdin-filename", "calls/x.xml", "--format", "dot",
        cwd=project, stdin="<Response>\n<Exit/>\n</Response>\n",
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert 'n1 [label="Exit (line 2)\\nwarning: ' not in done.stdout
    assert '  n1 [label="Exit (line 2)\\ninfo: OZ502 undocumented-command", shape=box,' in (
        done.stdout
    )


def test_the_configuration_context_applies_and_context_wins(project: Path) -> None:
    (project / "ozml.toml").write_text('context = "extension"\n')
    done = ozml("graph", "calls/a.xml", cwd=project)
    assert '  E(["end of script<br/>the PBX hangs up (D9)"])' in done.stdout.splitlines()
    isolated = ozml("graph", "calls/a.xml", "--isolated", cwd=project)
    assert '  E(["end of script<br/>an extension call is hung up (D9)"])' in (
        isolated.stdout.splitlines()
    )
    given = ozml("graph", "calls/a.xml", "--context", "routing", cwd=project)
    assert '  E(["end of script<br/>the call goes on"])' in given.stdout.splitlines()
    (project / "other.toml").write_text("[tool.ozml]\nnot-a-key = 1\n")
    bad = ozml("graph", "calls/a.xml", "--config", "other.toml", cwd=project)
    assert bad.returncode == 2
    assert bad.stderr.startswith("ozml: error: other.toml")


def test_files_are_read_within_the_configuration_s_max_bytes_and_max_bytes_wins(
    project: Path,
) -> None:
    (project / "calls" / "ozml.toml").write_text("max-bytes = 20\n")
    done = ozml("graph", "calls/a.xml", cwd=project)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"ozml: error: {os.path.join('calls', 'a.xml')}:1:1: OZ003 the input is 38 bytes,"
        " larger than the 20-byte limit; it was not parsed\n"
    )
    wins = ozml("graph", "--max-bytes", "100", "calls/a.xml", cwd=project)
    assert wins.returncode == 0
    assert wins.stdout.startswith("flowchart TD\n")
    for option, value, message in (
        ("--max-bytes", "0", "--max-bytes must be a positive number of bytes"),
        ("--templates", "mako", "--templates: 'mako' is not a template syntax"),
    ):
        bad = ozml("graph", option, value, "calls/a.xml", cwd=project)
        assert bad.returncode == 2
        assert bad.stderr.startswith(f"ozml: error: {message}")


def test_output_file_is_written_atomically_and_never_through_a_link(project: Path) -> None:
    done = ozml("graph", "calls/a.xml", "-o", "flow.mmd", cwd=project)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert (project / "flow.mmd").read_text().startswith("flowchart TD\n")
    again = ozml("graph", "calls/b.xml", "-o", "flow.mmd", "--format", "dot", cwd=project)
    assert again.returncode == 0
    assert (project / "flow.mmd").read_text().startswith("digraph ozml {\n")
    (project / "link.mmd").symlink_to("calls/a.xml")
    refused = ozml("graph", "calls/a.xml", "-o", "link.mmd", cwd=project)
    assert refused.returncode == 2
    assert refused.stderr == (
        "ozml: error: link.mmd: not written: is a symbolic link; ozml does not write through"
        " links it was not asked to follow\n"
    )
    assert (project / "calls" / "a.xml").read_text() == "<Response><Speak>A</Speak></Response>\n"
    missing = ozml("graph", "calls/a.xml", "-o", "no/such/folder/x.mmd", cwd=project)
    assert missing.returncode == 2
    assert missing.stderr == (
        "ozml: error: no/such/folder/x.mmd: not written: no such file or folder\n"
    )


def test_usage_errors_name_the_option(project: Path) -> None:
    done = ozml("graph", "--format", "png", "calls", cwd=project)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "ozml: error: argument --format/--output-format: invalid choice: 'png' (choose from"
        " 'mermaid', 'dot', 'svg') (see `ozml graph --help`)"
    )


def test_help_lists_graph_and_bash_completes_it() -> None:
    done = ozml("--help", cwd=REPO)
    assert "    graph       Draw the call flow of OzML scripts as a Mermaid, Graphviz DOT" in (
        done.stdout.splitlines()
    )
    bash = shutil.which("bash")
    if bash is None:  # pragma: no cover - bash is everywhere the tests run
        pytest.skip("bash is not installed")
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    script = (
        "source <(ozml completion bash)\n"
        "COMP_LINE='ozml gra'; COMP_POINT=8; COMP_WORDS=(ozml gra); COMP_CWORD=1\n"
        "_python_argcomplete ozml\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
        "COMP_LINE='ozml graph --format m'; COMP_POINT=21\n"
        "COMP_WORDS=(ozml graph --format m); COMP_CWORD=3\n"
        "_python_argcomplete ozml\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    completed = subprocess.run(
        [bash, "--norc", "-c", script], capture_output=True, text=True, env=env, timeout=60,
        check=False,
    )
    assert completed.stdout.split() == ["graph", "mermaid"]
