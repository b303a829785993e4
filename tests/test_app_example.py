"""The multi-document example application (examples/app): its documents lint clean and
formatted, each says what it answers, every link between them is followed by a scenario, its
scenarios pass under the real ``ozml test``, and its README's console blocks print what they
show (the README is not under docs/, so the docs collector does not run them: this test does,
with the same conventions, tests/docsnippets).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from docsnippets import output_matches, run_console
from lxml import etree

from ozml import config
from ozml.catalog import Context
from ozml.interpreter.scenario import load_scenario
from ozml.parser import parse
from ozml.project import TargetKind, UrlMap
from ozml.project.graph import Project

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "examples" / "app"
README = APP / "README.md"
DOCUMENTS = sorted(APP.glob("*.xml"))
SCENARIOS = sorted((APP / "scenarios").glob("*.toml"))
#: The application's own host: a URL on it is a link to another document of the application.
HOST = "http://ivr.example.com/"

_CONTEXT = "<!-- ozml: context=extension -->"
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def ozml(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def links(path: Path) -> list[str]:
    """The URLs on the application's host that a document names, in document order: attribute
    values (ForwardToURL, FinishedUrl) and element text (GoTo)."""
    root = etree.fromstring(path.read_bytes())
    found = []
    for element in root.iter(etree.Element):
        for value in [*element.attrib.values(), element.text or ""]:
            if value.strip().startswith(HOST):
                found.append(value.strip())
    return found


def test_the_application_has_its_documents_and_scenarios() -> None:
    assert [p.name for p in DOCUMENTS] == [
        "closed.xml",
        "incoming.xml",
        "sales.xml",
        "support.xml",
        "unknown-key.xml",
        "voicemail-office.xml",
        "voicemail-sales.xml",
        "voicemail-saved.xml",
        "voicemail-support.xml",
    ]
    assert len(SCENARIOS) == 8
    assert all(p.name.startswith("app-") for p in SCENARIOS)


def test_the_documents_lint_clean_in_their_context() -> None:
    done = ozml("check", "examples/app")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_documents_would_fail_as_3pcc_answers() -> None:
    # The context matters: UserInput, GoTo and Record's extension-only parameters are findings
    # in a 3pcc script. Checked so that the clean run above is known to lint in a context.
    # --isolated: the document alone, without the application's URL map.
    done = ozml("check", "--isolated", "--context", "3pcc", "--format", "concise",
                "examples/app/incoming.xml")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "examples/app/incoming.xml:15:4: OZ601 UserInput is not valid in a 3pcc script "
        "(context from --context); use it in extension scripts"
    )


def test_the_documents_are_formatted() -> None:
    done = ozml("fmt", "--check", "examples/app")
    assert done.returncode == 0, done.stdout + done.stderr
    formatted = f"0 files would be reformatted, {len(DOCUMENTS)} files already formatted\n"
    assert done.stderr == formatted


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_each_document_parses_and_says_what_it_answers(path: Path) -> None:
    result = parse(path.read_bytes(), _rel(path))
    assert result.ok, result.problems
    assert result.problems == ()
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    # The declaration, the context comment, then the comment saying what the document answers.
    assert lines[0] == '<?xml version="1.0" encoding="UTF-8"?>'
    assert lines[1] == _CONTEXT
    assert lines[2].startswith("<!--")
    start = len(lines[0]) + len(lines[1]) + 2
    explanation = text[start : text.index("-->\n<Response>")]
    assert re.search(r"\banswers?\b", explanation), explanation


def _answers(scenario_path: Path) -> dict[str, Path]:
    """The scenario's answers: URL -> the document file it answers with."""
    urls = tomllib.loads(scenario_path.read_text(encoding="utf-8")).get("urls", {})
    return {url: (scenario_path.parent / answer["file"]).resolve() for url, answer in urls.items()}


def test_every_link_is_followed_by_a_scenario_with_one_answer_file() -> None:
    answered: dict[str, set[Path]] = {}
    for scenario_path in SCENARIOS:
        scenario = load_scenario(scenario_path)
        assert scenario.script is not None
        assert scenario.script.parent == APP
        for url, target in _answers(scenario_path).items():
            assert target.parent == APP, (scenario_path.name, url)
            answered.setdefault(url, set()).add(target)
    linked = {url for path in DOCUMENTS for url in links(path)}
    assert sorted(linked - answered.keys()) == []  # every link is followed by some dry run
    assert sorted(answered.keys() - linked) == []  # and no scenario answers a URL nobody links
    assert {url: len(files) for url, files in answered.items() if len(files) != 1} == {}


def url_map() -> UrlMap:
    found = config.load(APP / "ozml.toml")
    assert found is not None
    mapped = UrlMap.from_config(found)
    assert mapped is not None
    return mapped


def test_every_link_leads_through_the_url_map_to_the_file_its_scenarios_answer_with() -> None:
    mapped = url_map()
    answered = {url: target for path in SCENARIOS for url, target in _answers(path).items()}
    for url in sorted({url for path in DOCUMENTS for url in links(path)}):
        target = mapped.resolve(url)
        assert target.kind is TargetKind.MAPPED, url
        assert target.paths == (answered[url],), url


def test_the_url_map_uses_each_form_of_entry() -> None:
    assert [(e.url, e.target_written, e.kind.value) for e in url_map().entries] == [
        ("http://ivr.example.com/{name}.php", "{name}.xml", "pattern"),
        ("http://ivr.example.com/voicemail?box={box}", "voicemail-{box}.xml", "pattern"),
        ("http://ivr.example.com/unknown-key", "unknown-key.xml", "exact"),
        ("http://ivr.example.com/voicemail/saved", "voicemail-saved.xml", "exact"),
    ]


def test_each_document_answers_the_notifications_the_readme_says() -> None:
    # The project model of the map and entry points: what each document answers, from its
    # entry points and the links leading to it (the README's table says the same).
    found = config.load(APP / "ozml.toml")
    assert found is not None
    project = Project.from_config(found)
    assert project is not None
    assert project.dead_links == []
    assert project.unreachable == []
    assert {
        d.path.name: project.notifications(d.index) for d in project.documents
    } == {
        "incoming.xml": ["IncomingCall", "GoTo"],
        "closed.xml": ["IncomingCall"],
        "sales.xml": ["GoTo"],
        "support.xml": ["GoTo"],
        "unknown-key.xml": ["DtmfEntered"],
        "voicemail-office.xml": ["GoTo"],
        "voicemail-sales.xml": ["GoTo"],
        "voicemail-support.xml": ["GoTo"],
        "voicemail-saved.xml": ["RecordCompleted"],
    }
    # An API extension's notifications: the documents' context comments. RecordCompleted is
    # sent in both contexts (spec §5.1), so only voicemail-saved.xml's comment says which.
    assert {d.path.name: project.contexts(d.index) for d in project.documents} == {
        d.path.name: frozenset() if d.path.name == "voicemail-saved.xml"
        else frozenset({Context.EXTENSION})
        for d in project.documents
    }


def test_the_readme_shows_the_url_map_as_it_is() -> None:
    (shown,) = [m.group(2) for m in _FENCE.finditer(README.read_text(encoding="utf-8"))
                if m.group(1) == "toml"]
    written = (APP / "ozml.toml").read_text(encoding="utf-8")
    assert tomllib.loads(shown) == tomllib.loads(written)
    assert shown in written  # the same lines and comments, after the file's heading comment
    assert tomllib.loads(written)["entry-points"] == {
        "IncomingCall": ["incoming.xml", "closed.xml"]
    }


def test_the_project_rules_see_a_broken_copy(tmp_path: Path) -> None:
    # The clean check above runs the cross-document rules too: a dead link and a document no
    # entry point reaches are found in a copy of the application.
    copy = tmp_path / "app"
    shutil.copytree(APP, copy)
    sales = copy / "sales.xml"
    sales.write_text(sales.read_text(encoding="utf-8").replace("box=sales", "box=shop"),
                     encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--format", "concise", "app"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1
    # Where and which rule exactly; of the wording (the rules' own tests pin it), the facts.
    dead, unreachable, summary = done.stdout.splitlines()
    assert dead.startswith("app/sales.xml:12:9: OZ811 ")
    assert "http://ivr.example.com/voicemail?box=shop" in dead
    assert "voicemail-shop.xml" in dead
    assert unreachable.startswith("app/voicemail-sales.xml:9:2: OZ812 voicemail-sales.xml ")
    assert summary == "Found 2 findings (1 error, 1 warning) in 2 files; 9 files checked."


def test_every_document_is_reached_by_a_dry_run() -> None:
    reached = set()
    for scenario_path in SCENARIOS:
        script = load_scenario(scenario_path).script
        assert script is not None
        reached.add(script.resolve())
        reached.update(_answers(scenario_path).values())
    assert sorted(p.name for p in set(DOCUMENTS) - reached) == []


def test_the_links_between_documents() -> None:
    assert {p.name: links(p) for p in DOCUMENTS} == {
        "closed.xml": ["http://ivr.example.com/voicemail?box=office"],
        "incoming.xml": [
            "http://ivr.example.com/unknown-key",
            "http://ivr.example.com/sales.php",
            "http://ivr.example.com/support.php",
            "http://ivr.example.com/voicemail?box=office",
            "http://ivr.example.com/voicemail?box=office",
        ],
        "sales.xml": ["http://ivr.example.com/voicemail?box=sales"],
        "support.xml": [
            "http://ivr.example.com/voicemail?box=support",
            "http://ivr.example.com/incoming.php",
        ],
        "unknown-key.xml": ["http://ivr.example.com/incoming.php"],
        "voicemail-office.xml": ["http://ivr.example.com/voicemail/saved"],
        "voicemail-sales.xml": ["http://ivr.example.com/voicemail/saved"],
        "voicemail-saved.xml": [],
        "voicemail-support.xml": ["http://ivr.example.com/voicemail/saved"],
    }


def test_the_scenarios_pass_under_ozml_test() -> None:
    done = ozml("test", "examples/app")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[: len(SCENARIOS)] == [f"{_rel(p)} ." for p in SCENARIOS]
    assert lines[-1].split(" in ")[0] == f"{len(SCENARIOS)} passed"
    assert done.stderr == ""


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_pins_its_whole_trace(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.expect.end is not None
    assert scenario.expect.trace


def _console_blocks() -> list[tuple[int, str]]:
    text = README.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, m.start()) + 1, m.group(2))
        for m in _FENCE.finditer(text)
        if m.group(1) == "console"
    ]


def test_the_readme_has_console_blocks() -> None:
    assert len(_console_blocks()) == 4


@pytest.mark.parametrize(
    ("line", "block"), _console_blocks(), ids=[f"README.md:{n}" for n, _ in _console_blocks()]
)
def test_readme_console_block(tmp_path: Path, line: int, block: str) -> None:
    # As the docs collector runs a page's block: in a fresh copy of examples/ and schema/, from
    # the copy's root.
    for tree in ("examples", "schema"):
        shutil.copytree(REPO / tree, tmp_path / tree)
    for command, expected, printed in run_console(block, tmp_path):
        assert output_matches(expected, printed), (
            f"README.md:{line}: $ {command}\nexpected:\n" + "\n".join(expected)
            + "\nprinted:\n" + "\n".join(printed)
        )
