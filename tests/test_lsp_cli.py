"""`ozml lsp` on the command line, and the lint path staying free of language-server code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
    assert done.stderr.startswith("ozml lsp: cannot write the log file: ")


def _message(body: dict[str, object]) -> bytes:
    import json

    data = json.dumps(body).encode()
    return b"Content-Length: %d\r\n\r\n" % len(data) + data


def test_exit_status_is_0_after_shutdown_and_1_without() -> None:
    """The protocol's rule for the `exit` notification; and a normal end is never exit 3."""
    start = _message(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"capabilities": {}, "processId": None, "rootUri": None},
        }
    ) + _message({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    shutdown = _message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    leave = _message({"jsonrpc": "2.0", "method": "exit"})
    for data, status in ((start + shutdown + leave, 0), (start + leave, 1)):
        done = subprocess.run(
            [sys.executable, "-m", "ozml", "lsp"], input=data, capture_output=True, timeout=60
        )
        assert (done.returncode, done.stderr) == (status, b"")
