"""The cross-document rules OZ811-OZ815 over small projects: exact positions and messages."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.config import Resolver
from ozml.lint import registry
from ozml.lint.linter import active_rules
from ozml.lint.project import ProjectFindings, check_project, example_findings, project_rules
from ozml.lint.registry import BY_CODE, RULES, find
from ozml.lint.rule import Rule
from ozml.lint.settings import LintSettings
from ozml.project import UrlMap
from ozml.project.graph import Project, _tarjan

CONFIG = """\
[urls]
"http://ivr.example.com/{name}.php" = "app/{name}.xml"
"http://ivr.example.com/lang.php?lang={lang}" = "app/lang-{lang}.xml"
"http://ivr.example.com/static/" = "app/static/"

[entry-points]
IncomingCall = ["app/incoming.xml"]
"""

MENU = """\
<Response>
  <UserInput ForwardToURL="http://ivr.example.com/retry.php">
    <InitialCommands><Speak>Press 1 or 2.</Speak></InitialCommands>
    <Inputs>
      <Input Key="1"><GoTo>http://ivr.example.com/sales.php</GoTo></Input>
      <Input Key="2"><GoTo>http://ivr.example.com/missing.php</GoTo></Input>
    </Inputs>
  </UserInput>
</Response>
"""

#: A link the URL map sends to a file that is not there (line 2: an error), and one on the
#: application's host that no [urls] entry covers (line 3: a warning).
DEAD_AND_UNCOVERED = """\
<Response>
  <GoTo>http://ivr.example.com/missing.php</GoTo>
  <Call Dialed="1" Url="http://ivr.example.com/a/b"/>
</Response>
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def project_findings(root: Path, files: dict[str, str], config: str = CONFIG) -> ProjectFindings:
    write(root, {"ozml.toml": config, **files})
    resolver = Resolver()
    found = resolver.config_in(root)
    assert found is not None
    url_map = UrlMap.from_config(found)
    assert url_map is not None
    return check_project(url_map, found.entry_points, resolver.settings_for, root=found.root)


def run(root: Path, files: dict[str, str], config: str = CONFIG) -> list[str]:
    """Every project finding as ``path:line:col: CODE message``, in path and source order."""
    found = project_findings(root, files, config)
    lines = []
    for path in sorted(found.by_path):
        shown = Path(path).relative_to(root).as_posix()
        for d in sorted(found.by_path[path], key=lambda d: d.sort_key()):
            lines.append(f"{shown}:{d.line}:{d.column}: {d.code} {d.message}")
    return lines


def codes(root: Path, files: dict[str, str], config: str = CONFIG) -> list[str]:
    return [line.split(": ")[1].split()[0] for line in run(root, files, config)]


# -- the registry ----------------------------------------------------------------------------


PROJECT_CODES = ["OZ811", "OZ812", "OZ813", "OZ814", "OZ815"]


def test_one_registry_holds_the_project_rules_and_the_linter_leaves_them_out() -> None:
    codes = [r.code for r in RULES]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert [r.code for r in RULES if r.project_rule] == PROJECT_CODES
    assert [r.code for r in project_rules()] == PROJECT_CODES
    assert sorted(registry.PROJECT_CODES) == PROJECT_CODES
    assert list(BY_CODE) == codes
    assert find("dead-link") is BY_CODE["OZ811"]
    assert find("oz815") is BY_CODE["OZ815"]
    # The per-file linter runs every other rule, and none of these, even when selected.
    per_file = [r.code for r in active_rules(LintSettings())]
    assert per_file == [c for c in codes if c not in PROJECT_CODES]
    chosen = LintSettings(select=frozenset({"OZ8"}))  # the parser's OZ001-OZ003 always run
    assert [r.code for r in active_rules(chosen)] == [
        "OZ001", "OZ002", "OZ003", "OZ801", "OZ802", "OZ803", "OZ804", "OZ805"
    ]  # fmt: skip


@pytest.mark.parametrize("rule", project_rules(), ids=lambda r: r.code)
def test_docstring_examples(rule: type[Rule], tmp_path: Path) -> None:
    failing, passing = rule.examples()
    (tmp_path / "fails").mkdir()
    (tmp_path / "passes").mkdir()
    assert example_findings(rule, failing, tmp_path / "fails")
    assert example_findings(rule, passing, tmp_path / "passes") == []
    assert rule.summary().endswith(".")


# -- OZ811 dead-link ---------------------------------------------------------------------------


def test_dead_links(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": MENU,
        "app/sales.xml": "<Response>\n  <Speak>Sales.</Speak>\n</Response>\n",
        "app/retry.xml": (
            "<Response>\n"
            "  <GoTo>http://ivr.example.com/lang.php?x=1&amp;lang=$lang</GoTo>\n"
            '  <Call Dialed="100" Url="http://IVR.example.com:80/static/none.xml#x"/>\n'
            '  <Call Dialed="101" Url="http://ivr.example.com/a/b/c"/>\n'
            '  <Call Dialed="102" Url="http://elsewhere.example.com/a/b/c"/>\n'
            '  <Call Dialed="103" Url="http://ivr.example.com/static/$page"/>\n'
            "</Response>\n"
        ),
    }
    known = 'known-variables = ["lang", "page"]\n'
    assert run(tmp_path, files, known + CONFIG) == [
        "app/incoming.xml:6:28: OZ811 GoTo http://ivr.example.com/missing.php leads nowhere:"
        ' the URL map sends it to app/missing.xml ("http://ivr.example.com/{name}.php"), which'
        " does not exist",
        "app/retry.xml:2:9: OZ811 GoTo http://ivr.example.com/lang.php?x=1&lang=$lang leads"
        ' nowhere: the URL map sends it to app/lang-*.xml ("http://ivr.example.com/lang.php?'
        'lang={lang}"), and no file matches',
        "app/retry.xml:3:27: OZ811 Call Url http://IVR.example.com:80/static/none.xml#x leads"
        ' nowhere: the URL map sends it to app/static/none.xml ("http://ivr.example.com/static/"),'
        " which does not exist",
        "app/retry.xml:4:27: OZ811 Call Url http://ivr.example.com/a/b/c is on the application's"
        " own host, but no [urls] entry covers it",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_dead_link_to_something_that_is_not_a_regular_file(tmp_path: Path) -> None:
    # A FIFO (never opened: reading one would wait for a writer) or a folder where the map
    # expects a document is no document either, and the message says what is there.
    (tmp_path / "app").mkdir()
    os.mkfifo(tmp_path / "app" / "queue.xml")
    (tmp_path / "app" / "hold.xml").mkdir()
    files = {
        "app/incoming.xml": (
            "<Response>\n"
            "  <Call Dialed=\"1\" Url=\"http://ivr.example.com/queue.php\"/>\n"
            "  <GoTo>http://ivr.example.com/hold.php</GoTo>\n"
            "</Response>\n"
        )
    }
    assert run(tmp_path, files) == [
        "app/incoming.xml:2:25: OZ811 Call Url http://ivr.example.com/queue.php leads nowhere:"
        ' the URL map sends it to app/queue.xml ("http://ivr.example.com/{name}.php"), which is'
        " not a regular file",
        "app/incoming.xml:3:9: OZ811 GoTo http://ivr.example.com/hold.php leads nowhere:"
        ' the URL map sends it to app/hold.xml ("http://ivr.example.com/{name}.php"), which is'
        " not a regular file",
    ]


def test_dead_link_severities(tmp_path: Path) -> None:
    found = project_findings(tmp_path, {"app/incoming.xml": DEAD_AND_UNCOVERED})
    by_code = [(d.line, d.severity.label) for d in found.for_path(tmp_path / "app/incoming.xml")]
    assert by_code == [(2, "error"), (3, "warning")]


def test_a_dynamic_link_reaches_every_file_of_its_glob(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": (
            "<Response>\n  <GoTo>http://ivr.example.com/lang.php?lang={{ lang }}</GoTo>\n"
            "</Response>\n"
        ),
        "app/lang-en.xml": "<Response>\n  <Speak>Hello.</Speak>\n</Response>\n",
        "app/lang-fr.xml": "<Response>\n  <Speak>Bonjour.</Speak>\n</Response>\n",
    }
    assert run(tmp_path, files) == []
    found = project_findings(tmp_path, files)
    assert found.project is not None
    (edge,) = found.project.edges
    assert [found.project.documents[i].path.name for i in edge.targets] == [
        "lang-en.xml",
        "lang-fr.xml",
    ]


def test_sql_and_relative_values_are_not_links(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": (
            "<Response>\n"
            "  <GoTo>SELECT text FROM menus WHERE id = '1'</GoTo>\n"
            "  <GoTo>menu.php</GoTo>\n"
            "</Response>\n"
        )
    }
    assert codes(tmp_path, files) == []


# -- OZ812 unreachable-document ------------------------------------------------------------------


def test_unreachable_documents(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": MENU,
        "app/sales.xml": "<Response>\n  <Speak>Sales.</Speak>\n</Response>\n",
        "app/retry.xml": "<Response>\n  <Speak>Again.</Speak>\n</Response>\n",
        "app/missing.xml": "<Response>\n  <Speak>Found.</Speak>\n</Response>\n",
        "app/old.xml": "<!-- kept -->\n<Response>\n  <Speak>Old.</Speak>\n</Response>\n",
        "app/static/deep/older.xml": "<Response><GoTo>http://ivr.example.com/old.php</GoTo>"
        "</Response>\n",
        "app/static/readme.txt": "not OzML",
    }
    assert run(tmp_path, files) == [
        "app/old.xml:2:2: OZ812 app/old.xml is reachable from no entry point (IncomingCall): no"
        " chain of links from an entry point's document leads to it",
        "app/static/deep/older.xml:1:2: OZ812 app/static/deep/older.xml is reachable from no"
        " entry point (IncomingCall): no chain of links from an entry point's document leads"
        " to it",
    ]


def test_no_entry_points_no_unreachable(tmp_path: Path) -> None:
    config = '[urls]\n"http://ivr.example.com/{name}.php" = "app/{name}.xml"\n'
    files = {"app/a.xml": "<Response/>\n", "app/b.xml": "<Response/>\n"}
    assert run(tmp_path, files, config) == []


# -- OZ813 endless-goto-loop ---------------------------------------------------------------------


def test_self_loop(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": (
            "<Response>\n  <Speak>Hold on.</Speak>\n"
            "  <GoTo>http://ivr.example.com/incoming.php</GoTo>\n</Response>\n"
        )
    }
    assert run(tmp_path, files) == [
        "app/incoming.xml:3:9: OZ813 GoTo http://ivr.example.com/incoming.php loops with no"
        " UserInput, Hangup or transfer on the way: it leads back to app/incoming.xml itself;"
        " assumed: the vendor documents no limit on GoTo (spec §4 [oz4801])",
    ]


def test_two_cycle_reported_at_both_gotos(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": "<Response>\n  <GoTo>http://ivr.example.com/a.php</GoTo>\n</Response>\n",
        "app/a.xml": "<Response>\n  <Play AudioFile='x.wav'/>\n  <GoTo Url='http://ivr.example.com/b.php'/>\n</Response>\n",
        "app/b.xml": "<Response><GoTo>http://ivr.example.com/a.php</GoTo></Response>\n",
    }
    loop = (
        " loops with no UserInput, Hangup or transfer on the way: the call goes round app/a.xml,"
        " app/b.xml for ever; assumed: the vendor documents no limit on GoTo (spec §4 [oz4801])"
    )
    assert run(tmp_path, files) == [
        f"app/a.xml:3:14: OZ813 GoTo http://ivr.example.com/b.php{loop}",
        f"app/b.xml:1:17: OZ813 GoTo http://ivr.example.com/a.php{loop}",
    ]


@pytest.mark.parametrize(
    "between",
    [
        # a menu waits for the caller: a GoTo inside an Input runs only on a key
        "<UserInput><Inputs><Input Key='1'><GoTo>http://ivr.example.com/a.php</GoTo></Input>"
        "</Inputs></UserInput>",
        # a UserInput before the GoTo waits for keys first
        "<UserInput Timeout='5'><InitialCommands><Speak>Hi</Speak></InitialCommands></UserInput>"
        "<GoTo>http://ivr.example.com/a.php</GoTo>",
        # a hang-up or a transfer ends the script first
        "<Hangup/><GoTo>http://ivr.example.com/a.php</GoTo>",
        "<BlindTransfer>1001</BlindTransfer><GoTo>http://ivr.example.com/a.php</GoTo>",
        # a second GoTo never runs after the first
        "<GoTo>http://ivr.example.com/elsewhere.php</GoTo><GoTo>http://ivr.example.com/a.php</GoTo>",
        # the template decides which commands the document holds
        "<?php if ($again) { ?><GoTo>http://ivr.example.com/a.php</GoTo><?php } ?>",
        "{% if again %}<GoTo>http://ivr.example.com/a.php</GoTo>{% endif %}",
        # the target is only known at run time
        "<GoTo>http://ivr.example.com/{{ page }}.php</GoTo>",
        # the menu loops back through ForwardToURL: keys are pressed on the way
        "<UserInput ForwardToURL='http://ivr.example.com/a.php'><InitialCommands><Speak>Hi"
        "</Speak></InitialCommands></UserInput>",
    ],
)
def test_loops_that_are_not_endless(tmp_path: Path, between: str) -> None:
    files = {
        "app/incoming.xml": "<Response>\n  <GoTo>http://ivr.example.com/a.php</GoTo>\n</Response>\n",
        "app/elsewhere.xml": "<Response><Hangup/></Response>\n",
        "app/a.xml": f"<Response>{between}</Response>\n",
    }
    assert "OZ813" not in codes(tmp_path, files)


# -- OZ814 undefined-linked-variable -------------------------------------------------------------


def test_variables_across_documents(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": (
            "<Response>\n"
            '  <Var Id="caller">Alice</Var>\n'
            "  <Speak>Hi $caller, $local.</Speak>\n"
            "  <GoTo>http://ivr.example.com/a.php</GoTo>\n"
            "</Response>\n"
        ),
        "app/a.xml": (
            "<Response>\n"
            '  <Var Id="mid">x</Var>\n'
            "  <Speak>$caller $mid $nowhere</Speak>\n"
            "  <UserInput><Inputs><Input Key='1'><GoTo>http://ivr.example.com/b.php</GoTo></Input>"
            "</Inputs></UserInput>\n"
            "</Response>\n"
        ),
        "app/b.xml": (
            "<Response>\n"
            "  <Speak>$caller $mid $late $nowhere</Speak>\n"
            '  <Var Id="late">y</Var>\n'
            "</Response>\n"
        ),
    }
    found = project_findings(tmp_path, files)
    assert run(tmp_path, files) == [
        "app/a.xml:3:23: OZ814 $nowhere is defined neither here nor in any document that leads"
        " here (app/incoming.xml); assumed: variables may survive a GoTo or a notification,"
        " which the vendor does not document (spec §3)",
        "app/b.xml:2:29: OZ814 $nowhere is defined neither here nor in any document that leads"
        " here (app/a.xml); assumed: variables may survive a GoTo or a notification, which the"
        " vendor does not document (spec §3)",
    ]
    # OZ701 leaves the uses OZ814 took over, in fetched documents only
    assert found.handed_over == {
        str(tmp_path / "app/a.xml"): {(3, 10), (3, 23)},
        str(tmp_path / "app/b.xml"): {(2, 10), (2, 18), (2, 29)},
    }


def test_the_per_file_rule_gives_way_in_fetched_documents(tmp_path: Path) -> None:
    from ozml.lint.linter import lint

    files = {
        "app/incoming.xml": "<Response><Var Id='x'>1</Var>"
        "<GoTo>http://ivr.example.com/a.php</GoTo></Response>\n",
        "app/a.xml": "<Response>\n  <Speak>$x $y $z</Speak>\n  <Var Id='z'>2</Var>\n</Response>\n",
    }
    found = project_findings(tmp_path, files)
    path = tmp_path / "app/a.xml"
    per_file = lint(path.read_bytes(), str(path))
    assert [(d.code, d.column) for d in per_file] == [
        ("OZ701", 10),
        ("OZ701", 13),
        ("OZ701", 16),
    ]
    merged = found.merge(per_file, path)
    assert [(d.code, d.column, d.message.split(";")[0]) for d in merged] == [
        (
            "OZ814",
            13,
            "$y is defined neither here nor in any document that leads here (app/incoming.xml)",
        ),
        ("OZ701", 16, "$z is used before its Var on line 3"),
    ]


def test_cycles_carry_definitions(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": "<Response><GoTo>http://ivr.example.com/a.php</GoTo></Response>\n",
        "app/a.xml": "<Response><Speak>$v</Speak><UserInput><Inputs><Input Key='1'>"
        "<GoTo>http://ivr.example.com/b.php</GoTo></Input></Inputs></UserInput></Response>\n",
        "app/b.xml": "<Response><Var Id='v'>1</Var><UserInput><Inputs><Input Key='1'>"
        "<GoTo>http://ivr.example.com/a.php</GoTo></Input></Inputs></UserInput></Response>\n",
    }
    assert codes(tmp_path, files) == []


def test_known_variables_count(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": "<Response><GoTo>http://ivr.example.com/a.php</GoTo></Response>\n",
        "app/a.xml": "<Response><Speak>$account_name</Speak></Response>\n",
    }
    assert codes(tmp_path, files) == ["OZ814"]
    assert codes(tmp_path, files, 'known-variables = ["account_name"]\n' + CONFIG) == []


# -- OZ815 linked-context-mismatch ---------------------------------------------------------------


def test_context_mismatch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files = {
        "app/incoming.xml": (
            "<Response>\n"
            "  <UserInput ForwardToURL='http://ivr.example.com/hold.php'>\n"
            "    <InitialCommands><Speak>Press a key.</Speak></InitialCommands>\n"
            "  </UserInput>\n"
            '  <Record FinishedUrl="http://ivr.example.com/hold.php"/>\n'
            "  <GoTo>http://ivr.example.com/routed.php</GoTo>\n"
            "</Response>\n"
        ),
        "app/hold.xml": "<Response>\n  <Speak>Hold.</Speak>\n  <Hold/>\n</Response>\n",
        "app/routed.xml": "<Response>\n  <Speak>Hi.</Speak>\n</Response>\n",
    }
    config = CONFIG + '\n[per-file-contexts]\n"app/routed.xml" = "routing"\n'
    assert run(tmp_path, files, config) == [
        "app/incoming.xml:2:28: OZ815 UserInput ForwardToURL sends a DtmfEntered notification,"
        " answered in context extension ([oz4693][oz5047]), but app/hold.xml uses Hold on line 3,"
        " a command of context 3pcc only",
        "app/incoming.xml:6:9: OZ815 GoTo sends a GoTo notification, answered in context extension"
        " ([oz4801][oz5047]), but app/routed.xml is checked as routing (from ozml.toml"
        " per-file-contexts 'app/routed.xml')",
    ]


# -- suppressions and settings -------------------------------------------------------------------


def test_noqa_in_the_linking_file(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": (
            "<Response>\n"
            "  <GoTo>http://ivr.example.com/missing.php</GoTo> <!-- ozml: noqa OZ811 -->\n"
            "  <!-- ozml: noqa dead-link -->\n"
            "  <GoTo>http://ivr.example.com/missing2.php</GoTo>\n"
            "  <GoTo>http://ivr.example.com/missing3.php</GoTo> <!-- ozml: noqa OZ701 -->\n"
            "</Response>\n"
        ),
    }
    assert [line.split(" leads")[0] for line in run(tmp_path, files)] == [
        "app/incoming.xml:5:9: OZ811 GoTo http://ivr.example.com/missing3.php",
    ]
    # disable-file comes first: the line comments then suppress nothing, and say so; the one
    # naming only a per-file rule is the per-file pass's to judge.
    whole = {"app/incoming.xml": "<!-- ozml: disable-file OZ811 -->\n" + files["app/incoming.xml"]}
    assert run(tmp_path, whole) == [
        "app/incoming.xml:3:51: OZ901 unused suppression: no OZ811 finding on line 3",
        "app/incoming.xml:4:3: OZ901 unused suppression: no OZ811 finding on line 5",
    ]
    nothing = {"app/incoming.xml": "<Response>\n  <!-- ozml: noqa OZ813, OZ701 -->\n"
               "  <GoTo>http://ivr.example.com/incoming.php</GoTo>\n"
               "  <Speak>Hi</Speak> <!-- ozml: noqa OZ811, OZ813 -->\n</Response>\n"}
    assert run(tmp_path, nothing) == [
        "app/incoming.xml:4:21: OZ901 unused suppression: no OZ811 or OZ813 finding on line 4",
    ]
    ignored = '[per-file-ignores]\n"*.xml" = ["OZ901"]\n'
    assert run(tmp_path, nothing, CONFIG + ignored) == []


def test_ignore_and_severity_settings(tmp_path: Path) -> None:
    files = {"app/incoming.xml": "<Response><GoTo>http://ivr.example.com/no.php</GoTo></Response>\n"}
    assert codes(tmp_path, files, 'ignore = ["OZ8"]\n' + CONFIG) == []
    ignored = '[per-file-ignores]\n"app/*" = ["dead-link"]\n'
    assert codes(tmp_path, files, CONFIG + ignored) == []
    found = project_findings(tmp_path, files, '[severity]\nOZ811 = "info"\n' + CONFIG)
    assert [d.severity.label for d in found.for_path(tmp_path / "app/incoming.xml")] == ["info"]


def test_unreadable_and_broken_documents(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": "<Response><GoTo>http://ivr.example.com/bad.php</GoTo></Response>\n",
        "app/bad.xml": "<Response><Speak>unclosed</Response>\n",
    }
    assert codes(tmp_path, files) == []
    found = project_findings(tmp_path, files)
    assert found.project is not None
    document = found.project.document(tmp_path / "app/bad.xml")
    assert document is not None
    assert not document.ok


# -- the graph -----------------------------------------------------------------------------------


def test_graph_api(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": MENU,
        "app/sales.xml": "<Response><GoTo>http://ivr.example.com/sales.php</GoTo></Response>\n",
        "app/retry.xml": "<Response/>\n",
        "app/old.xml": "<Response/>\n",
    }
    found = project_findings(tmp_path, files)
    project = found.project
    assert isinstance(project, Project)
    names = [d.path.relative_to(tmp_path).as_posix() for d in project]
    assert names == ["app/incoming.xml", "app/old.xml", "app/retry.xml", "app/sales.xml"]
    incoming = project.document(tmp_path / "app" / ".." / "app" / "incoming.xml")
    assert incoming is not None
    assert incoming.entry_points == ["IncomingCall"]
    edges = project.outgoing(incoming.index)
    assert [(e.link.label, e.link.kind.notification, e.link.span.line, e.link.span.column,
             e.target.kind.value) for e in edges] == [
        ("UserInput ForwardToURL", "DtmfEntered", 2, 28, "mapped"),
        ("GoTo", "GoTo", 5, 28, "mapped"),
        ("GoTo", "GoTo", 6, 28, "dead"),
    ]
    assert [e.link.value for e in project.dead_links] == ["http://ivr.example.com/missing.php"]
    assert [d.path.name for d in project.unreachable] == ["old.xml"]
    sales = project.document(tmp_path / "app/sales.xml")
    assert sales is not None
    assert [len(c) for c in project.components() if sales.index in c] == [1]
    ((members, cycle),) = project.endless_cycles()
    assert members == [sales.index]
    assert [e.link.value for e in cycle] == ["http://ivr.example.com/sales.php"]
    assert project.fetched(sales.index)
    assert not project.fetched(incoming.index)


def test_tarjan_is_iterative_and_finds_components() -> None:
    count = sys.getrecursionlimit() * 3
    chain = [[i + 1] for i in range(count - 1)] + [[0]]
    (component,) = list(_tarjan(chain))
    assert sorted(component) == list(range(count))
    dag = [[1, 2], [3], [3], []]
    assert list(_tarjan(dag)) == [[3], [1], [2], [0]]
    two = [[1], [0], [3], [2, 1]]
    assert sorted(sorted(c) for c in _tarjan(two)) == [[0, 1], [2, 3]]


def test_rule_pages_come_from_ozml_generate() -> None:
    from ozml.generate import all_outputs

    root = Path(__file__).resolve().parent.parent
    pages = all_outputs(root)
    for code in PROJECT_CODES:
        path = Path("docs/rules") / f"{code}.md"
        assert (root / path).read_text(encoding="utf-8") == pages[path], (
            f"{path} is stale: run python -m ozml.generate"
        )
        assert pages[path].startswith("<!-- Generated by `python -m ozml.generate` from ")
        assert "| Group | Across documents ([project.md](../project.md)) |" in pages[path]
        assert "## The example project" in pages[path]
    page = pages[Path("docs/rules/OZ811.md")]
    assert (
        "$ ozml check --format concise --quiet --select OZ811 app\n"
        "app/example.xml:2:9: OZ811 GoTo http://ivr.example.com/missing.php leads nowhere"
        in page
    )
    index = pages[Path("docs/rules/index.md")]
    section = index.split("## Across documents\n", 1)[1].split("\n## ", 1)[0]
    listed = [line.split("](")[0].lstrip("| [") for line in section.splitlines() if "](OZ" in line]
    assert listed == PROJECT_CODES


def test_project_from_config(tmp_path: Path) -> None:
    write(tmp_path, {"ozml.toml": CONFIG, "app/incoming.xml": MENU, "app/sales.xml": "<Response/>"})
    config = Resolver().config_in(tmp_path)
    assert config is not None
    project = Project.from_config(config)
    assert project is not None
    assert [d.path.name for d in project] == ["incoming.xml", "sales.xml"]
    assert project.entry_points == {"IncomingCall": [0]}
    assert [e.link.value for e in project.dead_links] == [
        "http://ivr.example.com/retry.php",
        "http://ivr.example.com/missing.php",
    ]
    (tmp_path / "ozml.toml").write_text('select = ["ALL"]\n')
    plain = Resolver().config_in(tmp_path)
    assert plain is not None
    assert Project.from_config(plain) is None


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=12).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(min_value=0, max_value=n - 1), max_size=4), min_size=n, max_size=n
        )
    )
)
def test_tarjan_agrees_with_reachability(successors: list[list[int]]) -> None:
    count = len(successors)
    reach = []
    for start in range(count):
        seen = {start}
        todo = [start]
        while todo:
            for nxt in successors[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        reach.append(seen)
    components = list(_tarjan(successors))
    assert sorted(i for c in components for i in c) == list(range(count))
    where = {i: n for n, c in enumerate(components) for i in c}
    for a in range(count):
        for b in range(count):
            together = b in reach[a] and a in reach[b]
            assert (where[a] == where[b]) == together
            # reverse topological order: a component reaches only those found before it
            if b in reach[a]:
                assert where[b] <= where[a]


def test_notifications_and_contexts_of_documents(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": MENU,
        "app/sales.xml": "<Response><Record FinishedUrl='http://ivr.example.com/done.php'/>"
        "</Response>\n",
        "app/retry.xml": "<Response/>\n",
        "app/done.xml": "<Response/>\n",
    }
    config = CONFIG + 'CallChanged = ["app/done.xml"]\n'
    project = project_findings(tmp_path, files, config).project
    assert project is not None

    def answers(name: str) -> tuple[list[str], list[str]]:
        document = project.document(tmp_path / "app" / name)
        assert document is not None
        index = document.index
        return project.notifications(index), sorted(c.value for c in project.contexts(index))

    assert answers("incoming.xml") == (["IncomingCall"], ["extension"])
    assert answers("retry.xml") == (["DtmfEntered"], ["extension"])
    assert answers("sales.xml") == (["GoTo"], ["extension"])
    assert answers("done.xml") == (["CallChanged", "RecordCompleted"], ["3pcc"])


def test_context_mismatch_at_entry_points(tmp_path: Path) -> None:
    files = {
        "app/incoming.xml": "<Response>\n  <Hold/>\n</Response>\n",
        "app/changed.xml": (
            "<!-- a CallChanged answer -->\n<Response>\n  <UserInput>\n"
            "    <InitialCommands><Speak>Hi</Speak></InitialCommands>\n  </UserInput>\n"
            "</Response>\n"
        ),
        "app/route.xml": "<Response>\n  <Route Destination='100'/>\n</Response>\n",
    }
    config = CONFIG + 'CallChanged = ["app/changed.xml"]\nRoutingInterception = "app/route.xml"\n'
    assert run(tmp_path, files, config) == [
        "app/changed.xml:2:2: OZ815 [entry-points] CallChanged is answered in context 3pcc (D4),"
        " but app/changed.xml uses UserInput on line 3, a command of context extension only",
        "app/incoming.xml:1:2: OZ815 [entry-points] IncomingCall is answered in context"
        " extension (D4), but app/incoming.xml uses Hold on line 2, a command of context 3pcc"
        " only",
    ]


def test_project_rules_declare_the_severities_they_report(tmp_path: Path) -> None:
    """What the pages, `ozml rule` and SARIF say (`Rule.severities`) is what the project rules
    report: a dead link is an error, a link on the application's host that no entry covers a
    warning; a context mismatch is an error, one that rests on the vendor's disagreeing pages
    (Route answering CallChanged: the 3PCC index lists it, its own page does not) a warning."""
    from ozml.diagnostics import Severity
    from ozml.lint.rules.dead_link import DeadLink
    from ozml.lint.rules.linked_context_mismatch import LinkedContextMismatch

    files = {
        "app/incoming.xml": DEAD_AND_UNCOVERED,
        "app/hold.xml": "<Response>\n  <Hold/>\n</Response>\n",
        "app/route.xml": "<Response>\n  <Route Destination='100'/>\n</Response>\n",
    }
    config = CONFIG + 'CallChanged = ["app/route.xml"]\nRoutingInterception = "app/hold.xml"\n'
    found = project_findings(tmp_path, files, config)
    for rule in (DeadLink, LinkedContextMismatch):
        seen = {
            d.severity
            for path in ("app/incoming.xml", "app/route.xml", "app/hold.xml")
            for d in found.for_path(tmp_path / path)
            if d.code == rule.code
        }
        split = rule.severities()
        assert split is not None
        assert (split.usual, split.other) == (Severity.ERROR, Severity.WARNING)
        assert seen == {Severity.ERROR, Severity.WARNING}, rule.code
    assert LinkedContextMismatch.severity_label().endswith("contexts: Route)")
