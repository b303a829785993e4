"""The public API is narrow and explicit, its examples run, and the layers stay apart."""

from __future__ import annotations

import doctest
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ozml

PUBLIC_MODULES = ["ozml", "ozml.catalog", "ozml.lint"]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_exported_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported, key=str.lower) or len(set(exported)) == len(exported)
    for item in exported:
        assert hasattr(module, item), f"{name}.__all__ names {item}, which does not exist"


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_linter_and_interpreter_never_import_each_other(repo_root: Path) -> None:
    """The import contract of pyproject.toml, checked by the real import-linter."""
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(lint_imports).exists():
        pytest.skip("import-linter is not installed")
    done = subprocess.run(
        [lint_imports], cwd=repo_root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "KEPT" in done.stdout


def test_lint_path_loads_no_http_or_language_server_code(tmp_path: Path) -> None:
    """`ozml check` must not import httpx or pygls (cold start, DESIGN.md), nor the project
    rules when no configuration maps URLs."""
    script = tmp_path / "ok.xml"
    script.write_text('<Response><Speak>Hello</Speak></Response>\n', encoding="utf-8")
    probe = (
        "import sys\n"
        "from ozml.cli import main\n"
        f"code = main(['check', {str(script)!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('httpx', 'pygls', 'lsprotocol', 'xmlschema', 'ozml.interpreter', 'ozml.api'))\n"
        "bad = [m for m in sys.modules if m.startswith(('ozml.api', 'ozml.lsp', 'ozml.interpreter',"
        " 'ozml.simulator', 'ozml.project', 'ozml.lint.project', 'ozml.flow'))]\n"
        "print('PROBE', code, heavy + bad)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    probe_line = next(line for line in done.stdout.splitlines() if line.startswith("PROBE"))
    assert probe_line == "PROBE 0 []", done.stdout


def test_version_is_exposed() -> None:
    assert ozml.__version__.count(".") == 2
