"""The shipped examples: good ones lint clean, each bad one fires exactly its rule.

Good examples are every ``*.xml`` under ``examples/`` outside ``examples/bad/``: clean (no finding
at all, not even info) in the context ``any`` and, when they carry an inline
``<!-- ozml: context=NAME -->`` comment, in that context too. Per-file bad examples are the files
``examples/bad/OZxxx-rule-name.xml``, and each must report OZxxx and nothing else. The project
rules (OZ811-OZ815) read a whole application: ``examples/bad/app/`` is one, and ``ozml check``
on it must report exactly the findings of `APP_FINDINGS`. Every rule of the registry has a bad
example of one kind or the other. The five seed examples are the vendor's own OzML, kept as
published; they must parse to the commands the vendor describes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docsnippets import output_matches, run_console

from ozml.catalog import Context
from ozml.lint import RULES, LintSettings, lint
from ozml.parser import parse
from ozml.resolve import resolve

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
BAD = EXAMPLES / "bad"
SEEDS = EXAMPLES / "seeds"
SHARED_SEEDS = REPO.parent / "shared" / "seeds"

GOOD_FILES = sorted(p for p in EXAMPLES.rglob("*.xml") if BAD not in p.parents)
#: The per-file bad examples: the files directly in examples/bad/, not those of its application.
BAD_FILES = sorted(BAD.glob("*.xml"))
#: The bad application: each of its documents is clean on its own, the project rules are not.
BAD_APP = BAD / "app"
#: OZ003 cannot ship as a 10 MiB file: its example is linted with this limit (see bad/README.md).
SMALL_LIMIT = 100

_CONTEXT_COMMENT = re.compile(r"<!--\s*ozml:\s*context\s*=\s*([\w-]+)\s*-->")
_BAD_NAME = re.compile(r"(OZ\d{3})-([a-z0-9-]+)\.xml")


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def _findings(path: Path, settings: LintSettings | None = None) -> list[str]:
    settings = settings or LintSettings()
    return [
        f"{d.line}:{d.column} {d.code} {d.message}"
        for d in lint(path.read_bytes(), _rel(path), settings)
    ]


def test_the_examples_are_there() -> None:
    names = {p.name for p in EXAMPLES.glob("*.xml")}
    assert {
        "ivr-menu.xml",
        "boss-secretary.xml",
        "attended-transfer.xml",
        "click-to-call.xml",
        "callsetup.xml",
        "voicemail-foreach.xml",
        "routing.xml",
        "alarm.xml",
    } <= names
    assert sorted(p.name for p in SEEDS.glob("*.xml")) == [
        "attendedtransfer.xml",
        "blindtransfer.xml",
        "call.xml",
        "callsetup.xml",
        "forwardcall.xml",
    ]


@pytest.mark.parametrize("path", GOOD_FILES, ids=_rel)
def test_good_example_lints_clean_in_context_any(path: Path) -> None:
    # Locked, so that an inline context comment does not apply: what holds in every context.
    assert _findings(path, LintSettings(context=Context.ANY, context_locked=True)) == []


def _inline_context(path: Path) -> Context | None:
    found = _CONTEXT_COMMENT.search(path.read_text(encoding="utf-8"))
    return Context.parse(found.group(1)) if found else None


#: Good examples that name their own context (the others are written for the default, `any`).
CONTEXT_FILES = [p for p in GOOD_FILES if _inline_context(p) is not None]


@pytest.mark.parametrize("path", GOOD_FILES, ids=_rel)
def test_good_example_lints_clean_with_default_settings(path: Path) -> None:
    # The linter reads the inline context comment, so this lints each file in its own context.
    assert _findings(path) == []


@pytest.mark.parametrize("path", CONTEXT_FILES, ids=_rel)
def test_good_example_lints_clean_in_its_own_context(path: Path) -> None:
    context = _inline_context(path)
    assert context is not None
    settings = LintSettings(context=context, context_origin="--context", context_locked=True)
    assert _findings(path, settings) == []


def test_context_comments_name_real_contexts() -> None:
    # The examples cover every concrete context.
    assert {_inline_context(p) for p in CONTEXT_FILES} == set(Context.concrete())


def _bad_code(path: Path) -> str:
    match = _BAD_NAME.fullmatch(path.name)
    assert match is not None, f"{path.name} is not named OZxxx-rule-name.xml"
    return match.group(1)


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.name)
def test_bad_example_fires_exactly_its_rule(path: Path) -> None:
    code = _bad_code(path)
    rule = next((r for r in RULES if r.code == code), None)
    assert rule is not None, f"{path.name}: no rule {code}"
    assert path.name.startswith(f"{code}-{rule.name}"), f"{path.name}: {code} is {rule.name}"
    settings = LintSettings(max_bytes=SMALL_LIMIT) if code == "OZ003" else LintSettings()
    found = lint(path.read_bytes(), _rel(path), settings)
    assert found, f"{path.name} reports nothing"
    assert {d.code for d in found} == {code}, _findings(path, settings)


def test_the_oversized_example_is_clean_under_the_default_limit() -> None:
    path = BAD / "OZ003-input-too-large.xml"
    assert path.stat().st_size > SMALL_LIMIT
    assert _findings(path) == []
    assert "max_bytes" in (BAD / "README.md").read_text(encoding="utf-8")


RULES_BY_CODE = {rule.code: rule for rule in RULES}

#: What ``ozml check examples/bad/app`` reports: (code, file, line, column), every finding.
APP_FINDINGS = {
    ("OZ811", "examples/bad/app/sales.xml", 15, 9),
    ("OZ812", "examples/bad/app/voicemail-sales.xml", 9, 2),
    ("OZ813", "examples/bad/app/unknown-key.xml", 14, 9),
    ("OZ814", "examples/bad/app/voicemail-saved.xml", 14, 38),
    ("OZ815", "examples/bad/app/closed.xml", 14, 2),
}


def _copy_of_the_app(root: Path) -> Path:
    """examples/bad/app copied to `root`/examples/bad/app: the runs write no cache into the
    checkout."""
    shutil.copytree(BAD_APP, root / "examples" / "bad" / "app")
    return root


@pytest.fixture(scope="module")
def app_findings(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, int, int]]:
    """The findings of a real ``ozml check examples/bad/app --format json``."""
    root = _copy_of_the_app(tmp_path_factory.mktemp("bad-app"))
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "examples/bad/app", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (1, "")
    found = [(d["code"], d["path"], d["line"], d["column"]) for d in json.loads(done.stdout)]
    assert len(found) == len(set(found)), found
    return set(found)


def test_the_bad_app_fires_each_project_rule_and_nothing_else(
    app_findings: set[tuple[str, str, int, int]],
) -> None:
    assert app_findings == APP_FINDINGS


def test_the_bad_app_documents_are_clean_on_their_own() -> None:
    # Linted one by one, without the project: nothing but the undefined variable that OZ814
    # takes over from undefined-variable (OZ701) inside the project (docs/project.md).
    found = {
        (d.code, _rel(path), d.line, d.column)
        for path in sorted(BAD_APP.glob("*.xml"))
        for d in lint(path.read_bytes(), _rel(path))
    }
    assert found == {("OZ701", "examples/bad/app/voicemail-saved.xml", 14, 38)}


def test_the_per_file_bad_examples_leave_the_app_out() -> None:
    assert BAD_FILES
    assert all(path.parent == BAD for path in BAD_FILES)
    app_documents = sorted(BAD_APP.glob("*.xml"))
    assert len(app_documents) == 9
    assert not set(app_documents) & set(BAD_FILES)
    assert not set(app_documents) & set(GOOD_FILES)


def test_every_rule_has_a_bad_example(app_findings: set[tuple[str, str, int, int]]) -> None:
    # A per-file rule has its own file (OZxxx-rule-name.xml); a project rule fires in the bad
    # application, and there is no per-file example of one (it would report nothing).
    per_file = {_bad_code(p) for p in BAD_FILES}
    in_app = {code for code, _, _, _ in app_findings}
    missing = [
        f"{r.code} {r.name}"
        for r in RULES
        if r.code not in (in_app if r.project_rule else per_file)
    ]
    assert missing == []
    assert not any(r.project_rule for r in RULES if r.code in per_file)
    assert all(RULES_BY_CODE[code].project_rule for code in in_app)


def test_the_bad_app_readme_names_each_break(tmp_path: Path) -> None:
    readme = (BAD_APP / "README.md").read_text(encoding="utf-8")
    for code, path, line, _ in sorted(APP_FINDINGS):
        rule = RULES_BY_CODE[code]
        name = Path(path).name
        assert re.search(
            rf"^- {code} {rule.name}: `{re.escape(name)}` line {line}\b", readme, re.M
        ), f"README.md: no line for {code} in {name}"
    blocks = re.findall(r"^```console\n(.*?)^```$", readme, re.S | re.M)
    assert len(blocks) == 1
    for command, expected, printed in run_console(blocks[0], _copy_of_the_app(tmp_path)):
        assert output_matches(expected, printed), (command, printed)
    assert "[app/](app/README.md)" in (BAD / "README.md").read_text(encoding="utf-8")


def test_the_readme_example_finding() -> None:
    # README.md shows this finding; keep the example and the README in step.
    found = lint((BAD / "OZ201-missing-parameter.xml").read_bytes())
    assert [(d.line, d.column, d.code, d.message) for d in found] == [
        (4, 4, "OZ201", "ForwardCall needs Destination")
    ]


# -- the vendor's seed examples ------------------------------------------------------------------

#: What each seed example does, as the vendor's pages describe it: (command, parameters) in order.
SEED_COMMANDS: dict[str, list[tuple[str, dict[str, str]]]] = {
    "forwardcall.xml": [("ForwardCall", {"Destination": "102"})],
    "attendedtransfer.xml": [
        (
            "Speak",
            {"Party": "all", "Text": "The caller will be attended transfered to call ID HL1bE."},
        ),
        ("AttendedTransfer", {"TargetCallId": "HL1bE", "TransferorParty": "caller"}),
    ],
    "call.xml": [
        (
            "Call",
            {
                "Url": "http://yourdomain.com/ozml_example/call_connected.php",
                "CallerId": "3000",
                "Dialed": "102",
            },
        )
    ],
    "blindtransfer.xml": [
        ("Speak", {"Text": "You will be blind transfered to 102 in 1 seconds."}),
        ("Delay", {"Time": "1"}),
        ("BlindTransfer", {"Target": "102"}),
        ("Speak", {"Text": "Sorry, but blind transfer failed to extension 102"}),
    ],
    "callsetup.xml": [("CallSetup", {"Caller": "101", "Callee": "102"})],
}

#: Seed page file → our copy of its OzML example.
SEED_PAGES = {
    "000_7e1efc6b61ad5924.txt": "forwardcall.xml",
    "001_fb3cae56d1ef797a.txt": "attendedtransfer.xml",
    "002_d4fcc56718698779.txt": "call.xml",
    "003_603ea5e86fe9fff6.txt": "blindtransfer.xml",
    "004_dbfc1748eed35524.txt": "callsetup.xml",
}


@pytest.mark.parametrize("name", sorted(SEED_COMMANDS))
def test_seed_example_parses_to_the_documented_commands(name: str) -> None:
    result = parse((SEEDS / name).read_bytes(), name)
    assert result.problems == ()
    assert result.document.root is not None
    records = resolve(result.document.root)
    assert records[0].name == "Response"
    got = [(rec.name, rec.params()) for rec in records[1:]]
    assert got == SEED_COMMANDS[name]
    assert all(rec.match is not None and rec.match.alias is None for rec in records)


#: The notification each seed example answers, by its page: the 3PCC commands ForwardCall and
#: AttendedTransfer answer CallChanged; Call and the BlindTransfer example (with its Delay) are
#: extension scripts; CallSetup's context is not documented. The files stay exactly as published,
#: so the context is given here rather than in an inline comment.
SEED_CONTEXTS: dict[str, Context] = {
    "forwardcall.xml": Context.THREE_PCC,
    "attendedtransfer.xml": Context.THREE_PCC,
    "call.xml": Context.EXTENSION,
    "blindtransfer.xml": Context.EXTENSION,
    "callsetup.xml": Context.ANY,
}


@pytest.mark.parametrize("name", sorted(SEED_CONTEXTS))
def test_seed_example_lints_clean_in_its_context(name: str) -> None:
    settings = LintSettings(context=SEED_CONTEXTS[name], context_locked=True)
    assert _findings(SEEDS / name, settings) == []


def _vendor_example(page: str) -> str:
    """The OzML example of a seed page: the XML line after its "OzML example" heading."""
    text = (SHARED_SEEDS / page).read_text(encoding="utf-8")
    section = re.search(r"^OzML example\n(.*?)^Example request", text, re.M | re.S | re.I)
    assert section is not None, f"{page}: no OzML example section"
    lines = [line for line in section.group(1).splitlines() if line.lstrip().startswith("<")]
    assert len(lines) == 1, f"{page}: expected one line of XML, found {len(lines)}"
    return lines[0]


def _layout_free(text: str) -> str:
    """The text with line breaks and indentation folded, as vendor pages print XML on one line."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("page", sorted(SEED_PAGES))
def test_seed_example_is_the_vendor_text(page: str) -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"the seed pages are not beside the checkout ({SHARED_SEEDS})")
    ours = (SEEDS / SEED_PAGES[page]).read_text(encoding="utf-8")
    assert _layout_free(ours) == _layout_free(_vendor_example(page))
