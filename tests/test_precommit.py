"""The pre-commit hooks, run by the real `pre-commit` program with `try-repo`, and the setup of
docs/pre-commit.md with `pre-commit run` (its `rev` is a commit of this repository).

`try-repo` installs the hooks from a git repository into their own environment (pip installs
ozml from this checkout and its dependencies from the package index), so these tests are slow
and marked `slow`: deselect them with ``-m "not slow"``. They use a clone of this checkout's
HEAD, so they test what is committed, the same locally and in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <ForwardCall Destination="102"/>
</Response>
"""

BAD = """<Response>
  <ForwardCall/>
</Response>
"""

UNFORMATTED = """<Response><ForwardCall   Destination='102' /></Response>"""


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this checkout: `try-repo` reads the hooks from a git repository."""
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs git and a git checkout of ozml")
    clone = tmp_path_factory.mktemp("hooks") / "ozml"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    if not (clone / ".pre-commit-hooks.yaml").is_file():
        pytest.skip(".pre-commit-hooks.yaml is not committed in this checkout")
    return clone


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module, so the hook environment is built once per test run."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's git repository with OzML files in it."""
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    for name, text in (("good.xml", GOOD), ("bad.xml", BAD), ("menu.ozml", UNFORMATTED)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("<Response><ForwardCall/></Response>", encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    return tmp_path


def try_repo(
    hooks: Path, home: Path, project: Path, hook: str, *files: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), hook, "--files", *files],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_ozml_check_hook_fails_on_a_bad_file_and_passes_on_a_good_one(
    hooks_repo: Path, pre_commit_home: Path, project: Path
) -> None:
    failed = try_repo(hooks_repo, pre_commit_home, project, "ozml-check", "bad.xml")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "bad.xml:2:4: OZ201" in failed.stdout
    assert "ForwardCall needs Destination" in failed.stdout

    passed = try_repo(hooks_repo, pre_commit_home, project, "ozml-check", "good.xml")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "ozml check" in passed.stdout
    assert "Passed" in passed.stdout

    # The files pattern keeps the hook to .xml and .ozml files.
    skipped = try_repo(hooks_repo, pre_commit_home, project, "ozml-check", "notes.txt")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "(no files to check)Skipped" in skipped.stdout


def test_ozml_fmt_hook_rewrites_an_unformatted_file_and_passes_a_formatted_one(
    hooks_repo: Path, pre_commit_home: Path, project: Path
) -> None:
    failed = try_repo(hooks_repo, pre_commit_home, project, "ozml-fmt", "menu.ozml")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "files were modified by this hook" in failed.stdout
    assert (project / "menu.ozml").read_text(encoding="utf-8") == GOOD

    again = try_repo(hooks_repo, pre_commit_home, project, "ozml-fmt", "menu.ozml", "good.xml")
    assert again.returncode == 0, again.stdout + again.stderr
    assert (project / "good.xml").read_text(encoding="utf-8") == GOOD


def test_the_configuration_of_the_pre_commit_page_runs(
    hooks_repo: Path, pre_commit_home: Path, project: Path
) -> None:
    """docs/pre-commit.md's setup, as a user copies it: its `rev` (a commit of this repository)
    installs and runs both hooks."""
    page = (REPO / "docs" / "pre-commit.md").read_text(encoding="utf-8")
    found = re.search(r"```yaml\n(repos:\n  - repo: <git URL of the ozml repository>\n.*?)```",
                      page, re.S)
    assert found is not None, "the page's setup block"
    config = found.group(1).replace("<git URL of the ozml repository>", str(hooks_repo))
    (project / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=project, env=env, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ForwardCall needs Destination" in done.stdout
    assert "files were modified by this hook" in done.stdout  # menu.ozml, formatted
    assert (project / "menu.ozml").read_text(encoding="utf-8") == GOOD
