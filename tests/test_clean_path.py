"""What ``ozml check`` loads for a clean file: the cold start's budget (docs/performance.md).

A clean file is proved clean without a tree of ozml nodes and without a finding; the modules
that define those (and the template masking, which builds on the nodes) must not be imported
on the way, since every class defined at import costs the start of every run. Nor must attrs:
the catalog, the settings and the configuration are `ozml.record.Record` classes.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ozml.cli.exits import INTERNAL_ERROR
from ozml.files import Matcher
from ozml.lint import manifest

#: Modules a clean run must not load, with what each would cost it.
NOT_ON_THE_CLEAN_PATH = (
    "attrs",  # importing it and generating its classes' methods: about 20 ms
    "ozml.nodes",  # the document model
    "ozml.templates",  # masking template parts: builds on the nodes
    "ozml.diagnostics",  # the classes of findings
    "ozml.parser",
    "ozml.positions",
    "ozml.lint.linter",
)


#: Standard modules a clean run must not import either. pathlib (with fnmatch, ntpath and
#: urllib.parse) costs about 4 ms; an editable install's import hook loads it before ozml, so
#: the run is made with it unimportable (None in `sys.modules`) and must still succeed.
BLOCKED_ON_THE_CLEAN_PATH = ("pathlib",)


def run_after(
    tmp_path: Path, args: list[str], then: str = "", blocked: tuple[str, ...] = ()
) -> tuple[int, str]:
    """``ozml ARGS``' exit status, run in `tmp_path` in a new interpreter with `blocked`
    unimportable, and the last line the code `then` prints after it, in that interpreter."""
    code = (
        "import sys\n"
        f"sys.modules.update(dict.fromkeys({blocked!r}))\n"
        "from ozml.cli import main\n"
        f"code = main({args!r})\n"
        "print(code)\n"
        f"{then}"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    status, last = done.stdout.splitlines()[-2:]
    return int(status), last


def loaded_by(
    tmp_path: Path, args: list[str], blocked: tuple[str, ...] = ()
) -> tuple[int, set[str]]:
    """``ozml ARGS``' exit status, run in `tmp_path` in a new interpreter with `blocked`
    unimportable, and the modules it loaded."""
    then = "print(' '.join(sorted(sys.modules)))\n"
    status, modules = run_after(tmp_path, args, then, blocked)
    return status, set(modules.split())


def loaded_by_check(
    tmp_path: Path, document: str, blocked: tuple[str, ...] = ()
) -> tuple[int, set[str]]:
    script = tmp_path / "a.xml"
    script.write_text(document, encoding="utf-8")
    return loaded_by(tmp_path, ["check", "--no-cache", str(script)], blocked)


def test_a_clean_file_loads_neither_the_document_model_nor_findings(tmp_path: Path) -> None:
    status, modules = loaded_by_check(
        tmp_path,
        "<Response><Speak>Hello.</Speak><Hangup/></Response>\n",
        blocked=BLOCKED_ON_THE_CLEAN_PATH,
    )
    assert status == 0
    assert "ozml.lint.quick" in modules  # the clean path is the one measured
    assert modules.isdisjoint(NOT_ON_THE_CLEAN_PATH), modules & set(NOT_ON_THE_CLEAN_PATH)


#: A document with a finding whose tree is built: its CDATA section is found in the source
#: as the tree is built (`ozml.treebuilder.CdataScanner`), not read from lxml's records.
WITH_A_TREE = "<Response><Speak><![CDATA[Hello.]]></Speak><ForwardCall/></Response>\n"


@pytest.mark.parametrize("module", NOT_ON_THE_CLEAN_PATH)
def test_the_list_names_modules_a_file_with_a_finding_does_load(
    tmp_path: Path, module: str
) -> None:
    """The list is not vacuous: each name is a module that exists and that a file with a
    finding whose tree is built loads."""
    status, modules = loaded_by_check(tmp_path, WITH_A_TREE)
    assert status == 1
    assert module in modules


#: What a run with findings in a plain document (no namespaces, CDATA, template parts or
#: DTD: most documents) does not load: the linter reads lxml's tree (`ozml.resolve`), and the
#: document model, with attrs under it, is loaded only when a tree is built (about 17 ms of
#: such a run's cold start, docs/performance.md).
NOT_ON_A_PLAIN_FINDINGS_PATH = ("attrs", "ozml.nodes", "ozml.treebuilder")

#: Findings of many rules in a plain document: a fix, a URL, a variable, a menu, an
#: unreachable command, a misspelt and a duplicated attribute, a value given twice.
MANY_FINDINGS = (
    '<Response><ForwardCall/><speak Language="xx">$x</speak><Call Url="htp://a">1</Call>'
    '<UserInput><Inputs><Input Key="1"/><Input Key="1"/></Inputs></UserInput>'
    '<Play Repeat="yes" Repaet="1">a.wav</Play><Speak Text="Hi">Hi</Speak>'
    '<Delay Time="1" time="2"/><Hangup/><Speak>Late.</Speak></Response>\n'
)


def test_a_plain_document_with_findings_loads_no_document_model(tmp_path: Path) -> None:
    status, modules = loaded_by_check(tmp_path, MANY_FINDINGS)
    assert status == 1
    assert "ozml.lint.rules.unknown_attribute" in modules  # the rules ran
    loaded = modules & set(NOT_ON_A_PLAIN_FINDINGS_PATH)
    assert not loaded, loaded


@pytest.mark.parametrize("module", NOT_ON_A_PLAIN_FINDINGS_PATH)
def test_the_plain_list_names_modules_a_tree_loads(tmp_path: Path, module: str) -> None:
    status, modules = loaded_by_check(tmp_path, WITH_A_TREE)
    assert status == 1
    assert module in modules


#: Modules a file with findings must not load either, by the run that does load each: they
#: serve the project rules (run once per project, `ozml.lint.project`) and the dry run, not the
#: per-file linter, which reads only the control table (about 15 ms of a cold start with a
#: finding).
NOT_ON_THE_FINDINGS_PATH = {
    "ozml.lint.project": "project",
    "ozml.project.graph": "project",
    "ozml.project.urlmap": "project",
    "ozml.callmodel.notifications": "run",
    "ozml.callmodel.states": "run",
    "ozml.callmodel.outcomes": "run",
    "ozml.callmodel.timing": "run",
}


def test_a_file_with_findings_loads_no_project_or_call_model(tmp_path: Path) -> None:
    status, modules = loaded_by_check(
        tmp_path, "<Response><ForwardCall/><Hangup/><Speak>Late.</Speak></Response>\n"
    )
    assert status == 1
    assert "ozml.flow.control" in modules  # unreachable-command ran: the control table is read
    assert modules.isdisjoint(NOT_ON_THE_FINDINGS_PATH), modules & set(NOT_ON_THE_FINDINGS_PATH)


#: What reads and applies ``<!-- ozml: ... -->`` comments.
DIRECTIVE_MODULES = {"ozml.lint.directives", "ozml.lint.noqa"}


def test_the_suppressions_load_only_for_a_document_with_a_directive(tmp_path: Path) -> None:
    """`ozml.lint.directives` reads ``<!-- ozml: ... -->`` comments and `ozml.lint.noqa`
    applies them: a document that does not hold ``ozml:`` never needs either (about a
    millisecond of a cold start with a finding)."""
    status, modules = loaded_by_check(tmp_path, "<Response><ForwardCall/></Response>\n")
    assert status == 1
    assert not modules & DIRECTIVE_MODULES
    status, modules = loaded_by_check(
        tmp_path, "<Response><!-- ozml: noqa OZ303 --><ForwardCall/></Response>\n"
    )
    assert status == 1
    assert modules >= DIRECTIVE_MODULES


#: The cold start's document with a finding (benchmarks/bench_table.py): an unknown element, and
#: a Hangup, which unreachable-command needs.
ONE_FINDING = "<Response><Speek>Hello.</Speek><Hangup/></Response>\n"

#: The rule modules a run of `ONE_FINDING` may load (`ozml.lint.linter.LazyRules`): the
#: element rules that apply to Response, to an unknown element or to Hangup in the default
#: context, and the whole-document rules that need no command or one it holds
#: (unreachable-command), and no ``$`` (`Rule.needs_dollar`: undefined-variable and
#: item-outside-foreach need one). The other 28 of the 39 rules are not imported, nor what only
#: they import, nor the registry, which imports every rule (about 3.5 ms of the cold start with
#: a finding, docs/performance.md).
RULES_FOR_ONE_FINDING = {
    f"ozml.lint.rules.{name}"
    for name in (
        "child_not_allowed", "duplicate_parameter", "invalid_value", "legacy_name",
        "misspelt_name", "non_canonical_case", "text_not_allowed", "unknown_attribute",
        "unknown_element", "unreachable_command", "wrong_root",
    )
}  # fmt: skip

#: The rules a ``$`` in `ONE_FINDING` adds (`Rule.needs_dollar`), with the variable analysis.
RULES_FOR_A_DOLLAR = {
    "ozml.lint.rules.undefined_variable",
    "ozml.lint.rules.item_outside_foreach",
    "ozml.lint.variables",
}

#: What the other rules import that none of `RULES_FOR_ONE_FINDING` does: the registry, the
#: menus (with the call model's readings), the URL checks, the suppressions, a project rule's
#: and a suppression rule's module, the variable analysis, and the project's table of links
#: (the control table unreachable-command reads makes the flow model's fetches from it only
#: when they are asked for: about 1.5 ms of the cold start with a finding).
NOT_FOR_ONE_FINDING = (
    "ozml.lint.registry",
    "ozml.lint.variables",
    "ozml.project.links",
    "ozml.lint.menus",
    "ozml.callmodel.readings",
    "ozml.lint.urls",
    "ozml.lint.noqa",
    "ozml.lint.rules.linked_context_mismatch",
    "ozml.lint.rules.unused_noqa",
)


def test_a_file_with_one_finding_loads_only_the_rules_it_can_need(tmp_path: Path) -> None:
    status, modules = loaded_by_check(tmp_path, ONE_FINDING)
    assert status == 1
    rules = {name for name in modules if name.startswith("ozml.lint.rules.")}
    assert "ozml.lint.rules.unknown_element" in rules  # the rule of the finding ran
    assert rules <= RULES_FOR_ONE_FINDING, sorted(rules - RULES_FOR_ONE_FINDING)
    loaded = modules & set(NOT_FOR_ONE_FINDING)
    assert not loaded, loaded


def test_a_dollar_loads_the_variable_rules(tmp_path: Path) -> None:
    """Not vacuous: with a ``$`` in the document the rules that need one run (and find an
    undefined variable)."""
    status, modules = loaded_by_check(tmp_path, ONE_FINDING.replace("Hello.", "Hello $nmae."))
    assert status == 1
    rules = {name for name in modules if name.startswith("ozml.lint.rules.")}
    assert modules >= RULES_FOR_A_DOLLAR, RULES_FOR_A_DOLLAR - modules
    assert rules <= RULES_FOR_ONE_FINDING | RULES_FOR_A_DOLLAR
    assert "ozml.project.links" not in modules


def test_a_directive_loads_every_rule(tmp_path: Path) -> None:
    """Not vacuous: with a suppression comment the registry is read (`ozml.lint.noqa` names
    the codes it knows), and with it every rule and each module of `NOT_FOR_ONE_FINDING`."""
    status, modules = loaded_by_check(
        tmp_path, ONE_FINDING.replace("<Hangup/>", "<!-- ozml: noqa OZ303 --><Hangup/>")
    )
    assert status == 1
    assert set(NOT_FOR_ONE_FINDING) <= modules, set(NOT_FOR_ONE_FINDING) - modules
    assert modules >= RULES_FOR_ONE_FINDING
    every = {f"ozml.lint.rules.{module}" for _, module, _ in manifest.RULES}
    assert modules >= every, every - modules


def test_a_file_with_findings_needs_neither_pathlib_nor_urllib(tmp_path: Path) -> None:
    """Nor does a run with findings: the URL checks read a plain URL without urllib.parse
    (about 4 ms of such a run's cold start, docs/performance.md), and the project rules,
    which import pathlib for their annotations only, are not loaded for one document."""
    status, modules = loaded_by_check(
        tmp_path,
        '<Response><ForwardCall/><Play Repeat="yes">a.wav</Play>'
        '<Call Url="http://app.example.com/next.php">1</Call><Hangup/><Speak>Late.</Speak>'
        "</Response>\n",
        blocked=(*BLOCKED_ON_THE_CLEAN_PATH, "urllib.parse"),
    )
    assert status == 1  # findings, and no internal error from a blocked import
    assert "ozml.lint.urls" in modules  # a URL was judged


#: The attrs classes a run with findings may define: the document model (DESIGN.md). Every
#: other class it defines is a record or a plain class, since each attrs class costs the start
#: about half a millisecond (docs/performance.md).
ATTRS_ON_THE_FINDINGS_PATH = {
    "ozml.nodes": {
        "Attribute",
        "Comment",
        "Document",
        "Element",
        "EntityRef",
        "ProcessingInstruction",
        "Template",
        "Text",
    },
}


def test_a_file_with_findings_defines_only_the_attrs_classes_of_the_model(tmp_path: Path) -> None:
    """The classes of every ozml module such a run loaded (findings of many rules, a fix, a
    URL, a variable, a menu; the tree built for its CDATA), as attrs sees them."""
    document = MANY_FINDINGS.replace("<Hangup/>", "<Speak><![CDATA[Hi.]]></Speak><Hangup/>")
    (tmp_path / "a.xml").write_text(document, encoding="utf-8")
    then = (
        "import json, attrs\n"
        "found = {}\n"
        "for name, module in list(sys.modules.items()):\n"
        "    if name.startswith('ozml'):\n"
        "        for value in vars(module).values():\n"
        "            if isinstance(value, type) and value.__module__ == name:\n"
        "                if attrs.has(value):\n"
        "                    found.setdefault(name, []).append(value.__qualname__)\n"
        "print(json.dumps({name: sorted(names) for name, names in found.items()}))\n"
    )
    status, found = run_after(tmp_path, ["check", "--no-cache", "a.xml"], then)
    assert status == 1
    expected = {name: sorted(names) for name, names in ATTRS_ON_THE_FINDINGS_PATH.items()}
    assert json.loads(found) == expected


#: Regular expressions compiled when first used (`ozml.lazy.pattern`) that serve only some
#: documents: comments that speak to ozml, template parts between commands, syntax errors.
LAZY_PATTERNS = {
    "ozml.lint.directives": ("_COMMENT", "_HEAD", "_WORD", "_TOKEN", "_CONTEXT"),
    "ozml.lint.noqa": ("_SPACE", "_INDENT", "_MARKUP"),
    "ozml.templates": (
        "_WORD", "_PHP_COLON_OPENS", "_PHP_ENDS", "_WORD_OPENS", "_WORD_ENDS", "_ONE_LINE_IF",
        "_CODE_SKIPPED", "_MASK_RANGE",
    ),
    "ozml.parser": ("_LXML_NOISE",),
}  # fmt: skip

#: What the run prints after it: the patterns of `LAZY_PATTERNS` it compiled.
COMPILED = (
    "import importlib, json\n"
    f"lazy = {LAZY_PATTERNS!r}\n"
    "print(json.dumps(sorted(f'{home}.{name}' for home, names in lazy.items() for name in names\n"
    "    if getattr(importlib.import_module(home), name).cache_info().currsize)))\n"
)


def test_a_file_with_findings_compiles_only_the_patterns_it_needs(tmp_path: Path) -> None:
    """Compiling those cost every run with a finding about 1.5 ms (docs/performance.md)."""
    (tmp_path / "a.xml").write_text(MANY_FINDINGS, encoding="utf-8")
    status, compiled = run_after(tmp_path, ["check", "--no-cache", "a.xml"], COMPILED)
    assert status == 1
    assert compiled == "[]"


def test_comments_template_blocks_and_syntax_errors_compile_theirs(tmp_path: Path) -> None:
    """Not vacuous: a suppression comment compiles the directives' patterns and one that
    applies it to the line below, a template block between commands (which
    unreachable-command asks about) those that read its code, a template part the mask
    range, and a syntax error the one that tidies lxml's message."""
    (tmp_path / "a.xml").write_text(
        "<Response>\n  <!-- ozml: noqa: OZ201 -->\n  <ForwardCall/>\n<Speak>{{ x }}</Speak>"
        "{% if x %}<Hangup/>{% endif %}<Speak>Late.</Speak><Play>a.wav</Play></Response>\n",
        encoding="utf-8",
    )
    (tmp_path / "b.xml").write_text("<Response><Speak></Response>\n", encoding="utf-8")
    status, compiled = run_after(tmp_path, ["check", "--no-cache", "a.xml", "b.xml"], COMPILED)
    assert status == 1
    assert set(json.loads(compiled)) >= {
        "ozml.lint.directives._COMMENT",
        "ozml.lint.directives._HEAD",
        "ozml.lint.noqa._SPACE",
        "ozml.templates._MASK_RANGE",
        "ozml.templates._WORD",
        "ozml.parser._LXML_NOISE",
    }


@pytest.mark.parametrize("module", sorted(NOT_ON_THE_FINDINGS_PATH))
def test_the_findings_list_names_modules_other_runs_load(tmp_path: Path, module: str) -> None:
    """Not vacuous either: a check with a URL map (the project rules) or a dry run loads each."""
    (tmp_path / "a.xml").write_text("<Response><Hangup/></Response>\n", encoding="utf-8")
    if NOT_ON_THE_FINDINGS_PATH[module] == "project":
        (tmp_path / "ozml.toml").write_text(
            '[urls]\n"http://app.example.com/{name}.php" = "{name}.xml"\n', encoding="utf-8"
        )
        status, modules = loaded_by(tmp_path, ["check", "--no-cache", "a.xml"])
    else:
        status, modules = loaded_by(tmp_path, ["run", "a.xml"])
    assert status == 0
    assert module in modules


def test_blocking_pathlib_is_seen_by_a_run_that_needs_it(tmp_path: Path) -> None:
    """The blocked run is not vacuous: a run that reads a configuration file needs pathlib,
    and fails without it."""
    (tmp_path / "ozml.toml").write_text('context = "extension"\n', encoding="utf-8")
    status, _ = loaded_by_check(tmp_path, "<Response><Hangup/></Response>\n", blocked=("pathlib",))
    assert status == INTERNAL_ERROR
    status, modules = loaded_by_check(tmp_path, "<Response><Hangup/></Response>\n")
    assert status == 0
    assert "pathlib" in modules


def test_the_program_freezes_the_collector_only_on_its_way_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`console_main` (the ``ozml`` program) exits with `main`'s code after `gc.freeze`;
    `main`, which tests and embedders call in a process that goes on, freezes nothing."""
    import gc

    import ozml.cli

    frozen: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))
    clean = tmp_path / "a.xml"
    clean.write_text("<Response><Hangup/></Response>\n", encoding="utf-8")
    assert ozml.cli.main(["check", "--no-cache", str(clean)]) == 0
    assert frozen == []
    monkeypatch.setattr(sys, "argv", ["ozml", "check", "--no-cache", str(tmp_path / "none.xml")])
    with pytest.raises(SystemExit) as exited:
        ozml.cli.console_main()
    assert exited.value.code == 2  # the file does not exist: a usage or I/O error
    assert frozen == [1]
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", str(clean)],
        capture_output=True, text=True, timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_program_runs_the_collector_less_often_from_its_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`console_main` sets the collector's thresholds (`ozml.gcpause.THRESHOLDS`) before `main`
    starts; `main` alone leaves them as they were."""
    import gc

    import ozml.cli
    from ozml.gcpause import THRESHOLDS

    before = gc.get_threshold()
    clean = tmp_path / "a.xml"
    clean.write_text("<Response><Hangup/></Response>\n", encoding="utf-8")
    assert ozml.cli.main(["check", "--no-cache", str(clean)]) == 0
    assert gc.get_threshold() == before
    seen: list[tuple[int, ...]] = []

    def main(argv: list[str] | None = None) -> int:
        seen.append(gc.get_threshold())
        return 0

    monkeypatch.setattr(ozml.cli, "main", main)
    monkeypatch.setattr(gc, "freeze", lambda: None)
    try:
        with pytest.raises(SystemExit) as exited:
            ozml.cli.console_main()
    finally:
        gc.set_threshold(*before)
    assert exited.value.code == 0
    assert seen == [THRESHOLDS]


def test_cyclic_garbage_is_still_collected_at_the_program_s_thresholds() -> None:
    """At `THRESHOLDS` the collector still runs by itself: a run that keeps making cycles holds
    at most about one threshold of them, never all it made."""
    script = """
import gc
from ozml.gcpause import THRESHOLDS, collect_less_often
collect_less_often()
class Node:
    pass
most = 0
for i in range(400_000):
    node = Node()
    node.me = node  # a cycle only the collector frees
    del node
    if i % 1000 == 0:
        most = max(most, sum(1 for o in gc.get_objects() if type(o) is Node))
print(most, THRESHOLDS[0])
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    most, threshold = map(int, done.stdout.split())
    assert 0 < most <= 2 * threshold  # collected, and at most about a threshold's worth


#: Lints, in a fresh interpreter, every plain document among the rules' examples, the shipped
#: examples and generated documents that each hold a mistake, then says how many it linted,
#: how many had findings, and which of `NOT_ON_A_PLAIN_FINDINGS_PATH` it loaded.
_LINT_PLAIN = """
import json, random, sys
from pathlib import Path
repo = Path(sys.argv[1])
sys.path.insert(0, str(repo / "benchmarks"))
from corpus import document
from ozml.lint.linter import lint
from ozml.lint.registry import RULES
from ozml.parser import _plain_markup
from ozml.templates import may_hold

texts = [text for rule in RULES for text in rule.examples() if text]
texts += [path.read_text("utf-8") for path in sorted((repo / "examples").rglob("*.xml"))]
rng = random.Random(13)
texts += [document(rng, mistake_rate=1.0) for _ in range(300)]
linted = found = 0
for text in texts:
    raw = text.encode("utf-8")
    if not _plain_markup(raw) or b"<![CDATA[" in raw or may_hold(raw):
        continue
    linted += 1
    found += bool(lint(text))
loaded = [name for name in sys.argv[2:] if name in sys.modules]
print(json.dumps([linted, found, loaded]))
"""


def test_no_rule_builds_the_tree_of_a_plain_document() -> None:
    """Every rule reads a plain document's records, never its tree: over every rule's examples,
    the shipped examples and generated documents with mistakes, the linter loads neither the
    document model nor attrs."""
    repo = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", _LINT_PLAIN, str(repo), *NOT_ON_A_PLAIN_FINDINGS_PATH],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    linted, found, loaded = json.loads(done.stdout.splitlines()[-1])
    # Not vacuous: hundreds of documents, most with findings.
    assert linted > 300
    assert found > 250
    assert loaded == []


#: The value types' patterns compiled when a value of the type is first checked, and the
#: parser's for a str document's encoding declaration (`ozml.lazy.pattern`): compiling all of
#: them cost every run about 0.9 ms (docs/performance-history.md, the afternoon of 7 December).
VALUE_PATTERNS = {
    "ozml.catalog.values": (
        "_PHONE", "_DESTINATION", "_CALL_ID", "_DTMF_KEYS", "_DTMF_KEY", "_LANGUAGE", "_EMAIL",
        "_IDENTIFIER", "_DATETIME", "_URL",
    ),
    "ozml.parser": ("_ENCODING_DECLARATION",),
}  # fmt: skip

VALUES_COMPILED = COMPILED.replace(repr(LAZY_PATTERNS), repr(VALUE_PATTERNS))


def test_a_run_compiles_the_patterns_of_the_value_types_it_checks_only(tmp_path: Path) -> None:
    """A clean file compiles none (the quick check proves it clean); a file with findings
    those of the types its values have: MANY_FINDINGS has a language code, a URL, menu keys
    and a number to call (Call's text), and no e-mail address, call ID or date."""
    assert VALUES_COMPILED != COMPILED
    (tmp_path / "clean.xml").write_text(
        '<Response><Speak Language="en-US">Hi.</Speak><ForwardCall Destination="102"/>'
        "</Response>\n",
        encoding="utf-8",
    )
    status, compiled = run_after(tmp_path, ["check", "--no-cache", "clean.xml"], VALUES_COMPILED)
    assert (status, compiled) == (0, "[]")
    (tmp_path / "a.xml").write_text(MANY_FINDINGS, encoding="utf-8")
    status, compiled = run_after(tmp_path, ["check", "--no-cache", "a.xml"], VALUES_COMPILED)
    assert status == 1
    assert json.loads(compiled) == [
        "ozml.catalog.values._DTMF_KEYS",
        "ozml.catalog.values._LANGUAGE",
        "ozml.catalog.values._PHONE",
        "ozml.catalog.values._URL",
    ]


#: Patterns compiled when first used that most documents never need: the XML declaration's
#: (read by the quick check and the parser), a prefixed name's (after a colon), a variable's
#: and a template part's (after a ``$``, and only by tests), and a large document's prolog.
#: Compiling them cost every start about a millisecond (docs/performance-history.md, the
#: evening of 7 December).
START_PATTERNS = {
    "ozml.catalog.values": ("_VARIABLE", "_TEMPLATE"),
    "ozml.parser": ("_BYTE_DECLARATION",),
    "ozml.lint.quick": ("_DECLARATION", "_ASCII_COMPATIBLE", "_AFTER_PREFIX"),
    "ozml.xmlparser": ("_PROLOG",),
}

START_COMPILED = COMPILED.replace(repr(LAZY_PATTERNS), repr(START_PATTERNS))


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("<Response><Speak>Hello.</Speak><Hangup/></Response>\n", 0),
        ("<Response><Speek>Hello.</Speek><Hangup/></Response>\n", 1),
    ],
)
def test_a_plain_file_compiles_none_of_the_start_patterns(
    tmp_path: Path, text: str, status: int
) -> None:
    """The cold-start rows' two documents (benchmarks/bench_table.py), clean and with a
    finding, hold no declaration, colon, ``$`` or template part."""
    assert START_COMPILED != COMPILED
    (tmp_path / "a.xml").write_text(text, encoding="utf-8")
    assert run_after(tmp_path, ["check", "--no-cache", "a.xml"], START_COMPILED) == (status, "[]")


def test_a_file_with_a_declaration_a_colon_and_a_variable_compiles_theirs(tmp_path: Path) -> None:
    """Not vacuous: each pattern is compiled by the document that needs it (the quick check
    reads the declaration and looks at the colon before it gives the document to the linter,
    which finds the variables: ``$y`` is not defined)."""
    (tmp_path / "a.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Var Id="x" Value="1"/>'
        '<Speak>$x $y</Speak><Play>http://a.example.com/a.wav</Play><Speek/></Response>\n',
        encoding="utf-8",
    )
    status, compiled = run_after(tmp_path, ["check", "--no-cache", "a.xml"], START_COMPILED)
    assert status == 1
    assert set(json.loads(compiled)) >= {
        "ozml.catalog.values._VARIABLE",
        "ozml.lint.quick._DECLARATION",
        "ozml.lint.quick._ASCII_COMPATIBLE",
        "ozml.lint.quick._AFTER_PREFIX",
    }
    from ozml.catalog import values

    assert values.VARIABLE.pattern == values._VARIABLE().pattern  # the module's name for it
    assert values.TEMPLATE.flags & re.S


def test_the_default_include_globs_are_compiled_on_a_walk_only() -> None:
    """A run that names its files does not compile them; one given globs compiles them at
    once, so that a glob that is not valid is reported before any file is read."""
    matcher = Matcher()
    assert "_include" not in vars(matcher)
    assert matcher.included("a/b.xml", "b.xml")
    assert not matcher.included("a/b.txt", "b.txt")
    assert "_include" in vars(matcher)
    assert "_include" in vars(Matcher(["*.oz"]))
    with pytest.raises(ValueError, match="not a valid glob"):
        Matcher(["[z-a]"])
