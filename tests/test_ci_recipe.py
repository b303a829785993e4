"""The pull-request recipe of docs/ci.md runs as written.

The workflow is taken from the page and parsed as YAML (its triggers, permissions and steps are
checked); its comment script is taken from the page too. The steps that run on the runner are
then run for real, with bash as GitHub runs a ``run:`` script, in a temporary git repository
with a base and a head commit: the list of changed OzML files, ``ozml check`` on them, and the
comment, whose diagrams must be exactly what ``ozml graph --format mermaid`` draws. The step that
talks to GitHub runs against a recording stand-in for the ``gh`` program (there is no GitHub
here), which checks that it updates the marked comment when there is one and posts a new one
otherwise.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "docs" / "ci.md"
WORKFLOW_NAME = ".github/workflows/ozml-flow.yml"
SCRIPT_NAME = ".github/scripts/ozml_flow_comment.py"
MARKER = "<!-- ozml-flow -->"
TITLE = "### Call flow of the changed OzML scripts"

_FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)
_EXPRESSION = re.compile(r"\$\{\{\s*([\w.]+)\s*\}\}")
#: What the workflow's expressions stand for in these runs.
CONTEXT = {
    "github.base_ref": "main",
    "github.token": "token-for-the-test",
    "github.event.pull_request.number": "7",
    "github.repository": "example/ivr",
}


def _blocks(language: str) -> list[tuple[int, str]]:
    text = PAGE.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, m.start()), m.group(2))
        for m in _FENCE.finditer(text)
        if m.group(1) == language
    ]


def workflow_text() -> str:
    found = [block for _, block in _blocks("yaml") if block.startswith(f"# {WORKFLOW_NAME}\n")]
    assert len(found) == 1, f"docs/ci.md shows {WORKFLOW_NAME} {len(found)} times"
    return found[0]


def script_text() -> str:
    """The ```python block right after ``<!-- file: .github/scripts/ozml_flow_comment.py -->``."""
    text = PAGE.read_text(encoding="utf-8")
    found = re.findall(
        rf"^<!-- file: {re.escape(SCRIPT_NAME)} -->\n```python\n(.*?)^```$", text, re.S | re.M
    )
    assert len(found) == 1
    return str(found[0])


def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(workflow_text())
    assert isinstance(data, dict)
    return data


def steps() -> list[dict[str, Any]]:
    jobs = workflow()["jobs"]
    assert list(jobs) == ["flow"]
    found = jobs["flow"]["steps"]
    assert isinstance(found, list)
    return found


def step(name: str) -> dict[str, Any]:
    (found,) = [s for s in steps() if s.get("name") == name]
    return found


def substituted(value: str) -> str:
    return _EXPRESSION.sub(lambda m: CONTEXT[m.group(1)], value)


def load_script(tmp_path: Path) -> ModuleType:
    path = tmp_path / "ozml_flow_comment.py"
    path.write_text(script_text(), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("ozml_flow_comment", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the workflow's structure ---------------------------------------------------------------------


def test_the_workflow_runs_on_pull_requests_with_write_access_to_them_only() -> None:
    data = workflow()
    # PyYAML reads the key `on` as YAML 1.1 does, as the boolean true.
    assert data[True] == {"pull_request": {"types": ["opened", "synchronize", "reopened"]}}
    assert data["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert data["jobs"]["flow"]["runs-on"] == "ubuntu-latest"


def test_the_steps() -> None:
    found = steps()
    assert [s.get("uses") or s.get("name") or s["run"].split()[0] for s in found] == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "pip",
        "Changed OzML scripts",
        "ozml check",
        "Flow comment",
        "Post or update the comment",
    ]
    assert found[0]["with"] == {"fetch-depth": 0}
    assert found[1]["with"] == {"python-version": "3.11"}
    # Installed from the repository at a named ref, as the page's other recipes do.
    assert found[2]["run"] == (
        'pip install "ozml @ git+${{ vars.OZML_GIT_URL }}@${{ vars.OZML_REF }}"'
    )
    # The comment is built and posted even when the check found something.
    assert step("Flow comment")["if"] == "${{ !cancelled() }}"
    assert step("Flow comment")["id"] == "comment"
    # Posted only when there is a comment to post.
    assert step("Post or update the comment")["if"] == (
        "${{ !cancelled() && steps.comment.outcome == 'success' }}"
    )
    assert "if" not in step("ozml check")


def test_event_values_reach_the_scripts_as_environment_variables_only() -> None:
    for s in steps()[3:]:
        assert "${{" not in s["run"], s["name"]
    assert step("Changed OzML scripts")["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert step("Post or update the comment")["env"] == {
        "GH_TOKEN": "${{ github.token }}",
        "PR": "${{ github.event.pull_request.number }}",
        "REPO": "${{ github.repository }}",
    }


def test_the_changed_files_are_listed_with_the_command_of_the_recipe() -> None:
    run = step("Changed OzML scripts")["run"]
    assert run.split() == [
        "git", "diff", "--name-only", "-z", "--no-renames", "--diff-filter=AM", "\\",
        '"origin/$BASE_REF...HEAD"', "--", "'*.xml'", "'*.ozml'",
        ">", '"$RUNNER_TEMP/ozml-changed"',
    ]


def test_the_script_and_the_workflow_share_the_marker(tmp_path: Path) -> None:
    assert load_script(tmp_path).MARKER == MARKER
    assert f'startswith("{MARKER}")' in step("Post or update the comment")["run"]


# -- the steps, run ---------------------------------------------------------------------------


MENU = """<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <UserInput Timeout="10">
    <InitialCommands>
      <Speak>For sales, press 1.</Speak>
    </InitialCommands>
    <Inputs>
      <Input Key="1">
        <BlindTransfer>2000</BlindTransfer>
        <Speak>Sorry, sales is busy.</Speak>
      </Input>
    </Inputs>
  </UserInput>
</Response>
"""
SALES = """<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Speak>Connecting you to sales.</Speak>
  <BlindTransfer>2000</BlindTransfer>
</Response>
"""
GOODBYE = """<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Speak>Goodbye.</Speak>
  <Hangup/>
</Response>
"""


#: xargs's exit status when the command it ran exited 1 to 125 (ozml check: 1, findings): the
#: step fails.
XARGS_COMMAND_FAILED = 123


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ann", "GIT_AUTHOR_EMAIL": "ann@example.com",
        "GIT_COMMITTER_NAME": "Ann", "GIT_COMMITTER_EMAIL": "ann@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True,
    )
    return done.stdout


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A checkout as actions/checkout leaves it: the pull request's head checked out and the
    base branch as origin/main. The base has a menu, a goodbye and a README; the head changes
    the menu (a file name with spaces), adds a sales script, deletes the goodbye and changes
    the README."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write(repo, "ivr/main menu.xml", MENU)
    write(repo, "ivr/goodbye.xml", GOODBYE)
    write(repo, "README.md", "The phone line.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, "ivr/main menu.xml", MENU.replace("Timeout=\"10\"", "Timeout=\"5\""))
    write(repo, "ivr/sales.xml", SALES)
    (repo / "ivr" / "goodbye.xml").unlink()
    write(repo, "README.md", "The phone line, with sales.\n")
    write(repo, SCRIPT_NAME, script_text())
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "head")
    return repo


def run_step(name: str, repo: Path, runner_temp: Path,
             path: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a step's script as GitHub runs it: `bash --noprofile --norc -eo pipefail`, with the
    step's environment (expressions substituted) and RUNNER_TEMP."""
    chosen = step(name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OZML_", "GITHUB_"))}
    env["PATH"] = os.pathsep.join(
        p for p in [path, str(Path(sys.executable).parent), env.get("PATH", "")] if p
    )
    env["RUNNER_TEMP"] = str(runner_temp)
    env["NO_COLOR"] = "1"
    env.update({k: substituted(str(v)) for k, v in chosen.get("env", {}).items()})
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", chosen["run"]],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120,
    )


def graph(repo: Path, name: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "graph", "--format", "mermaid", name],
        cwd=repo, capture_output=True, text=True, check=True,
    )
    return done.stdout


def test_the_changed_scripts_are_listed_exactly(pull_request: Path, tmp_path: Path) -> None:
    done = run_step("Changed OzML scripts", pull_request, tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    # The deleted goodbye and the README are left out; the name with a space is exact.
    assert (tmp_path / "ozml-changed").read_bytes() == b"ivr/main menu.xml\0ivr/sales.xml\0"


def test_the_check_step_checks_the_changed_scripts(pull_request: Path, tmp_path: Path) -> None:
    run_step("Changed OzML scripts", pull_request, tmp_path)
    done = run_step("ozml check", pull_request, tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    # A finding in a changed script fails the step with an annotation on its line.
    write(pull_request, "ivr/sales.xml", SALES.replace("<BlindTransfer>2000</BlindTransfer>",
                                                       "<BlindTransfer/>"))
    done = run_step("ozml check", pull_request, tmp_path)
    assert done.returncode == XARGS_COMMAND_FAILED
    assert done.stdout.startswith("::error file=ivr/sales.xml,line=4,col=4,endLine=4,endColumn=17,")
    assert "BlindTransfer needs Target" in done.stdout


def test_the_comment_has_one_diagram_per_changed_script(pull_request: Path,
                                                        tmp_path: Path) -> None:
    run_step("Changed OzML scripts", pull_request, tmp_path)
    done = run_step("Flow comment", pull_request, tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    body = (tmp_path / "ozml-comment.md").read_text(encoding="utf-8")
    menu, sales = graph(pull_request, "ivr/main menu.xml"), graph(pull_request, "ivr/sales.xml")
    assert menu.startswith("flowchart TD\n")
    assert sales.startswith("flowchart TD\n")
    assert body == (
        f"{MARKER}\n{TITLE}\n"
        f"\n#### ivr/main menu.xml\n\n```mermaid\n{menu}```\n"
        f"\n#### ivr/sales.xml\n\n```mermaid\n{sales}```\n"
    )
    assert body.count("```mermaid\n") == 2


def test_nothing_changed_is_a_clean_message(pull_request: Path, tmp_path: Path) -> None:
    git(pull_request, "update-ref", "refs/remotes/origin/main", "HEAD")
    assert run_step("Changed OzML scripts", pull_request, tmp_path).returncode == 0
    assert (tmp_path / "ozml-changed").read_bytes() == b""
    # ozml check does not run at all (without a path it would check the whole checkout).
    done = run_step("ozml check", pull_request, tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert run_step("Flow comment", pull_request, tmp_path).returncode == 0
    assert (tmp_path / "ozml-comment.md").read_text(encoding="utf-8") == (
        f"{MARKER}\n{TITLE}\n\nNo OzML script was added or changed in this pull request.\n"
    )


def test_a_script_that_is_not_xml_gets_the_error_instead(pull_request: Path,
                                                         tmp_path: Path) -> None:
    write(pull_request, "ivr/sales.xml", "<Response>\n  <Speak>oops\n")
    git(pull_request, "commit", "-q", "-am", "broken")
    run_step("Changed OzML scripts", pull_request, tmp_path)
    assert run_step("ozml check", pull_request, tmp_path).returncode == XARGS_COMMAND_FAILED
    assert run_step("Flow comment", pull_request, tmp_path).returncode == 0
    body = (tmp_path / "ozml-comment.md").read_text(encoding="utf-8")
    assert body.count("```mermaid\n") == 1
    assert body.endswith(
        "\n#### ivr/sales.xml\n\n`ozml graph` could not draw it:\n\n```text\n"
        "ozml: error: ivr/sales.xml:3:1: OZ001 not well-formed XML: "
        "Premature end of data in tag Speak line 2\n```\n"
    )


# -- the script's parts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("ivr/main menu.xml", "ivr/main menu.xml"),
        ("ivr/ménü.xml", "ivr/ménü.xml"),
        ("a`b`*c*_d_.xml", "a&#96;b&#96;&#42;c&#42;&#95;d&#95;.xml"),
        ("<img src=x>.xml", "&#60;img src&#61;x&#62;.xml"),
        ("two\nlines.xml", "two&#92;x0alines.xml"),
        ("evil\u202eLMX.xml", "evil&#92;u202eLMX.xml"),
        ("bad\udcff.xml", "bad&#92;xff.xml"),
        ("c1\x85zero\u200bwidth\u2028.xml", "c1&#92;x85zero&#92;u200bwidth&#92;u2028.xml"),
        ("none\ufdd0\U0010fffe.xml", "none&#92;ufdd0&#92;U0010fffe.xml"),
        ("# heading.xml", "&#35; heading.xml"),
    ],
)
def test_file_names_cannot_become_markup(tmp_path: Path, name: str, shown: str) -> None:
    assert load_script(tmp_path).shown(name) == shown


def test_a_file_name_with_a_line_break_reaches_the_comment_escaped(pull_request: Path,
                                                                   tmp_path: Path) -> None:
    write(pull_request, "ivr/odd\nname.xml", SALES)
    git(pull_request, "add", "-A")
    git(pull_request, "commit", "-q", "-m", "odd name")
    run_step("Changed OzML scripts", pull_request, tmp_path)
    assert b"ivr/odd\nname.xml\0" in (tmp_path / "ozml-changed").read_bytes()
    assert run_step("ozml check", pull_request, tmp_path).returncode == 0
    assert run_step("Flow comment", pull_request, tmp_path).returncode == 0
    body = (tmp_path / "ozml-comment.md").read_text(encoding="utf-8")
    assert "\n#### ivr/odd&#92;x0aname.xml\n\n```mermaid\nflowchart TD\n" in body
    assert body.count("```mermaid\n") == 3


#: What a shown file name may hold: plain characters, letters and digits beyond ASCII, and the
#: parts of entities. No Markdown or HTML markup, no line break, no control character.
_SAFE = re.compile(r"(?:[A-Za-z0-9 /.-]|&#[0-9]+;|[^\x00-\x7f])*")
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cn", "Cs"})


@settings(max_examples=300, deadline=None)
@given(name=st.text(st.characters(codec="utf-8") | st.sampled_from("\udcff\u202e\n`<&#*_")))
def test_any_file_name_is_shown_without_markup(tmp_path_factory: pytest.TempPathFactory,
                                               name: str) -> None:
    module = load_script(tmp_path_factory.mktemp("script"))
    out = module.shown(name)
    assert _SAFE.fullmatch(out), out
    assert all(ch.isalnum() or ord(ch) < 128 for ch in out)  # beyond ASCII only letters, digits
    if not any(unicodedata.category(ch) in _INVISIBLE for ch in name):
        # Markdown shows the entities as the characters they stand for: the name, exactly.
        assert html.unescape(out) == name


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.sampled_from("`a\n")))
def test_no_backtick_run_ends_a_fenced_block_early(tmp_path_factory: pytest.TempPathFactory,
                                                   text: str) -> None:
    block = load_script(tmp_path_factory.mktemp("script")).fenced("text", text)
    fence = block[: len(block) - len(block.lstrip("`"))]
    assert len(fence) >= 3
    assert block == f"{fence}text\n{text.rstrip(chr(10))}\n{fence}\n"
    assert "`" * len(fence) not in text


def test_the_fence_is_longer_than_any_backtick_run(tmp_path: Path) -> None:
    fenced = load_script(tmp_path).fenced
    assert fenced("text", "a\n") == "```text\na\n```\n"
    assert fenced("text", "a ```` b") == "`````text\na ```` b\n`````\n"


def test_a_comment_past_the_size_limit_says_what_it_left_out(pull_request: Path,
                                                             tmp_path: Path) -> None:
    module = load_script(tmp_path)
    os.chdir(pull_request)
    try:
        whole = module.comment(["ivr/main menu.xml", "ivr/sales.xml"])
        first = whole[: whole.index("\n#### ivr/sales.xml")]
        assert module.comment(["ivr/main menu.xml", "ivr/sales.xml"], limit=len(first)) == (
            first + "\n1 more changed script is not drawn here (the comment would pass GitHub's"
            " size limit): run `ozml graph FILE`.\n"
        )
        assert module.comment(["ivr/main menu.xml", "ivr/sales.xml"], limit=10).endswith(
            f"{TITLE}\n\n2 more changed scripts are not drawn here (the comment would pass"
            " GitHub's size limit): run `ozml graph FILE`.\n"
        )
    finally:
        os.chdir(REPO)


def test_the_script_refuses_a_missing_list(tmp_path: Path) -> None:
    path = tmp_path / "ozml_flow_comment.py"
    path.write_text(script_text(), encoding="utf-8")
    done = subprocess.run([sys.executable, str(path), str(tmp_path / "missing")],
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"ozml_flow_comment.py: error: {tmp_path / 'missing'}: No such file or directory\n"
    )
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (2, "usage: ozml_flow_comment.py CHANGED\n")


# -- posting, against a recording stand-in for gh -------------------------------------------------


FAKE_GH = """#!/bin/bash
# Records each call; answers the listing of comments with $FAKE_GH_COMMENTS.
printf '%s\\n' "$*" >> "$FAKE_GH_LOG"
for arg in "$@"; do
  case "$arg" in body=@*) cp "${arg#body=@}" "$FAKE_GH_LOG.body" ;; esac
done
if [ "$1 $2" = "api --paginate" ]; then printf '%s' "$FAKE_GH_COMMENTS"; fi
if [ "$1 $2" = "pr comment" ]; then cp "${@: -1}" "$FAKE_GH_LOG.body"; fi
"""


@pytest.mark.parametrize(
    ("existing", "call"),
    [
        ("4242\n", "api --method PATCH repos/example/ivr/issues/comments/4242 -F body=@{body}"),
        ("", "pr comment 7 --repo example/ivr --body-file {body}"),
    ],
    ids=["updates-the-marked-comment", "posts-a-new-one"],
)
def test_the_post_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: str,
                       call: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    body = tmp_path / "ozml-comment.md"
    body.write_text(f"{MARKER}\n{TITLE}\n", encoding="utf-8")
    log = tmp_path / "gh.log"
    monkeypatch.setenv("FAKE_GH_LOG", str(log))
    monkeypatch.setenv("FAKE_GH_COMMENTS", existing)
    assert shutil.which("bash") is not None
    done = run_step("Post or update the comment", tmp_path, tmp_path, path=str(bin_dir))
    assert (done.returncode, done.stderr) == (0, "")
    calls = log.read_text(encoding="utf-8").splitlines()
    listing = (
        "api --paginate repos/example/ivr/issues/7/comments --jq .[] | select(.user.login == "
        f'"github-actions[bot]" and (.body | startswith("{MARKER}"))) | .id'
    )
    assert calls == [listing, call.format(body=body)]
    assert (tmp_path / "gh.log.body").read_text(encoding="utf-8") == body.read_text()
