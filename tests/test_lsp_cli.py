"""`ozml lsp` on the command line, and the lint path staying free of language-server code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lsp_support import SERVER, frame, read_message

BLOCK_PYGLS = """
import sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pygls", "lsprotocol"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Block())
"""


def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=60, **kwargs
    )


def test_lsp_help_names_the_extra() -> None:
    done = run(["-m", "ozml", "lsp", "--help"])
    assert done.returncode == 0
    assert "pip install 'ozml[lsp]'" in " ".join(done.stdout.split())


def test_without_pygls_lsp_exits_2_and_says_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(BLOCK_PYGLS, encoding="utf-8")
    done = run(["-m", "ozml", "lsp"], env={"PYTHONPATH": str(tmp_path)}, input="")
    assert done.returncode == 2
    assert done.stderr == (
        "ozml lsp: the language server needs pygls, which is not installed;"
        " install ozml[lsp] (pip install 'ozml[lsp]')\n"
    )
    assert done.stdout == ""


def test_check_never_imports_the_language_server(tmp_path: Path) -> None:
    script = tmp_path / "a.xml"
    script.write_text("<Response><ForwardCall/></Response>", encoding="utf-8")
    code = (
        "import sys\n"
        "from ozml.cli import main\n"
        f"status = main(['check', {str(script)!r}])\n"
        "loaded = sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('pygls', 'lsprotocol') or m.startswith('ozml.lsp'))\n"
        "print(status, loaded)\n"
    )
    done = run(["-c", code])
    assert done.stdout.splitlines()[-1] == "1 []"


def test_a_bad_log_file_is_a_usage_error(tmp_path: Path) -> None:
    done = run(["-m", "ozml", "lsp", "--log-file", str(tmp_path / "missing" / "log.txt")])
    assert done.returncode == 2
    log = tmp_path / "missing" / "log.txt"
    assert done.stderr == f"ozml: error: {log}: not written: no such file or folder\n"


def test_exit_status_is_0_after_shutdown_and_1_without() -> None:
    """The protocol's rule for the `exit` notification; and a normal end is never exit 3."""
    start = frame(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"capabilities": {}, "processId": None, "rootUri": None},
        }
    ) + frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    shutdown = frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    leave = frame({"jsonrpc": "2.0", "method": "exit"})
    for data, status in ((start + shutdown + leave, 0), (start + leave, 1)):
        done = subprocess.run(SERVER, input=data, capture_output=True, timeout=60)
        assert (done.returncode, done.stderr) == (status, b"")


def _diagnostics_from_server(args: list[str], path: Path, text: str) -> list[str]:
    """Start `ozml lsp ARGS`, open `path` with `text`, and return the codes it publishes."""
    server = subprocess.Popen(
        [*SERVER, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert server.stdin is not None
    assert server.stdout is not None
    initialize = {"capabilities": {}, "processId": None, "rootUri": path.parent.as_uri()}
    server.stdin.write(
        frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": initialize})
        + frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    )
    item = {"uri": path.as_uri(), "languageId": "xml", "version": 1, "text": text}
    server.stdin.write(
        frame(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didOpen",
                "params": {"textDocument": item},
            }
        )
    )
    server.stdin.flush()
    try:
        while True:
            message = read_message(server.stdout)
            assert message is not None, "the server closed its output"
            if message.get("method") == "textDocument/publishDiagnostics":
                return [d["code"] for d in message["params"]["diagnostics"]]
    finally:
        server.stdin.write(
            frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
            + frame({"jsonrpc": "2.0", "method": "exit"})
        )
        server.stdin.close()
        server.wait(timeout=30)
        server.stdout.close()
        assert server.stderr is not None
        server.stderr.close()


VAR_SCRIPT = '<Response>\n  <Var Id="x">1</Var>\n</Response>\n'


def test_config_names_the_configuration_of_every_document(tmp_path: Path) -> None:
    """`ozml lsp --config FILE` lints with FILE's settings, as `ozml check --config` does;
    `--isolated` ignores the configuration next to the document."""
    (tmp_path / "ozml.toml").write_text('context = "3pcc"\n', encoding="utf-8")
    other = tmp_path / "settings" / "extension.toml"
    other.parent.mkdir()
    other.write_text('context = "extension"\n', encoding="utf-8")
    script = tmp_path / "script.xml"
    # Var is not valid in a 3pcc script (OZ601): the nearest configuration says 3pcc.
    assert "OZ601" in _diagnostics_from_server([], script, VAR_SCRIPT)
    assert "OZ601" not in _diagnostics_from_server(["--config", str(other)], script, VAR_SCRIPT)
    assert "OZ601" not in _diagnostics_from_server(["--isolated"], script, VAR_SCRIPT)


def test_a_missing_or_bad_config_file_is_a_usage_error(tmp_path: Path) -> None:
    done = run(["-m", "ozml", "lsp", "--config", str(tmp_path / "missing.toml")])
    assert done.returncode == 2
    missing = tmp_path / "missing.toml"
    assert done.stderr == f"ozml: error: {missing}: no such file or folder\n"
    bad = tmp_path / "bad.toml"
    bad.write_text("selct = []\n", encoding="utf-8")
    done = run(["-m", "ozml", "lsp", "--config", str(bad)])
    assert done.returncode == 2
    assert "did you mean 'select'" in done.stderr
    done = run(["-m", "ozml", "lsp", "--config", str(bad), "--isolated"])
    assert done.returncode == 2  # argparse: the two exclude each other


def test_the_latency_benchmark_prints_both_rows_beside_their_goals(tmp_path: Path) -> None:
    """benchmarks/bench_lsp.py, at a small size: it talks to the real server and prints the two
    language-server rows of DESIGN.md with the goal beside each (and writes them as JSON for
    benchmarks/bench_table.py)."""
    bench = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_lsp.py"
    args = [str(bench), "--lines", "120", "--edits", "4", "--pause", "0"]
    figures = tmp_path / "lsp.json"
    done = run([*args, "--open-lines", "300", "--opens", "1", "--json", str(figures)])
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert rows[0] == "| language server | measured (median) | goal (DESIGN.md) |"
    assert "120 lines (finding), edit then diagnostics, completion between" in rows[2]
    assert "without the completion" in rows[2]
    assert "≤ 30 ms" in rows[2]
    assert "120 lines (clean)" in rows[3]
    assert "120 lines (templated)" in rows[4]
    assert "open a 300-line document" in rows[5]
    assert "≤ 1.5 s" in rows[5]
    data = json.loads(figures.read_text(encoding="utf-8"))
    assert set(data) == {"finding", "clean", "templated", "open_ms"}
    for variant in ("finding", "clean", "templated"):
        assert set(data[variant]) == {
            "completed_ms", "plain_ms", "completion_ms", "hovered_ms", "hover_ms"
        }
        assert data[variant]["completed_ms"] > 0
    assert data["open_ms"] > 0
