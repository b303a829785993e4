"""The VS Code extension (editors/vscode): built, its start-up logic run under node against the
real `ozml lsp`, and packaged into a .vsix with vsce.

Needs node and npm (`.ci/run` installs them); the npm packages are cached in
editors/vscode/node_modules and installed with `npm ci` only when package-lock.json changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "editors" / "vscode"
STAMP = EXTENSION / "node_modules" / ".ozml-lock-sha256"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None,
    reason="node and npm are needed to build the VS Code extension (.ci/run installs them)",
)


def npm(*args: str, timeout: float = 300, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["npm", *args],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    assert done.returncode == 0, f"npm {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def built() -> Path:
    """The extension with its packages installed (cached) and compiled."""
    lock = hashlib.sha256((EXTENSION / "package-lock.json").read_bytes()).hexdigest()
    if not STAMP.is_file() or STAMP.read_text(encoding="utf-8").strip() != lock:
        npm("ci", "--ignore-scripts", "--no-audit", "--no-fund", timeout=600)
        STAMP.write_text(lock, encoding="utf-8")
    npm("run", "compile")
    return EXTENSION


def ozml_executable() -> str:
    """The `ozml` of the Python running the tests (its scripts folder), else the one on PATH."""
    beside = Path(sys.executable).parent / ("ozml.exe" if os.name == "nt" else "ozml")
    if beside.is_file():
        return str(beside)
    found = shutil.which("ozml")
    assert found is not None, "the ozml command is not installed"
    return found


def test_the_extension_starts_the_real_server_under_node(built: Path) -> None:
    """`node --test` on the compiled tests: the command line and initialize options the
    extension builds (src/server.ts, no vscode import) start `ozml lsp`, which publishes the
    diagnostics of a document with a mistake and follows ozml.context and ozml.config."""
    env = {**os.environ, "OZML_PATH": ozml_executable()}
    out = npm("test", env=env, timeout=180)
    assert "# pass 3" in out
    assert "# fail 0" in out


def test_the_vsix_holds_the_bundle_the_schema_and_the_contributions(
    built: Path, tmp_path: Path
) -> None:
    vsix = tmp_path / "ozml.vsix"
    vsce = built / "node_modules" / ".bin" / "vsce"
    done = subprocess.run(
        [
            str(vsce),
            "package",
            "--no-dependencies",
            "--allow-missing-repository",
            "--skip-license",
            "--out",
            str(vsix),
        ],
        cwd=built,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        assert {"extension/out/extension.js", "extension/package.json"} <= names
        assert not any(name.startswith("extension/node_modules/") for name in names)
        assert not any(name.startswith(("extension/src/", "extension/test/")) for name in names)
        # The schema is the repository's, copied at build.
        assert (
            archive.read("extension/schema/ozml.xsd") == (ROOT / "schema" / "ozml.xsd").read_bytes()
        )
        manifest = json.loads(archive.read("extension/package.json"))
        bundle = archive.read("extension/out/extension.js").decode("utf-8")
    assert 'require("vscode")' in bundle  # left to VS Code; vscode-languageclient is bundled
    contributes = manifest["contributes"]
    assert contributes["languages"][0]["id"] == "ozml"
    assert contributes["languages"][0]["extensions"] == [".ozml"]
    assert {"ozml.path", "ozml.config", "ozml.context", "ozml.xmlFiles"} <= set(
        contributes["configuration"]["properties"]
    )
    assert contributes["xml.fileAssociations"] == [
        {"pattern": "**/*.ozml", "systemId": "./schema/ozml.xsd"}
    ]
    assert contributes["xmlLanguageParticipants"] == [{"languageId": "ozml"}]
    contexts = contributes["configuration"]["properties"]["ozml.context"]["enum"]
    assert set(contexts) == {"", "extension", "3pcc", "routing", "any"}


def test_the_context_setting_lists_the_catalogs_contexts() -> None:
    """The enum of ozml.context is the catalog's list, so the settings page offers them all."""
    from ozml.catalog import Context

    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    offered = manifest["contributes"]["configuration"]["properties"]["ozml.context"]["enum"]
    assert offered == ["", *(c.value for c in Context)]
