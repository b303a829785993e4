"""What makes a link dynamic, across documents: the one rule of `ozml.templates` (docs/templates.md)
and the one definition of a ``$variable`` use (`ozml.templates.variables`), as ``ozml check``'s
per-file rules and the dry run read them, and not a value's characters alone.

The defect this holds: the URL map (`ozml.project.urlmap`) judged a link by its text, so that
``ozml graph`` and the dead-link rule (OZ811) disagreed with ``ozml check``'s own reading:

* ``http://app/&#123;{page}}.php`` (a character reference: literal text, no part) and
  ``<![CDATA[http://app/{{page}}.php]]>`` were dynamic: their link led to every document
  (``*.xml``), where the PBX requests the literal ``{{page}}.php``, which no file answers;
* ``http://app/&#123;{$p}}.php``: the ``$p`` is a variable (OZ814 reports it), the braces
  around it literal, but the whole ``{{$p}}`` was taken as dynamic;
* ``<GoTo>http://app/<?php echo $p ?>x.php</GoTo>``: the processing instruction makes the text
  dynamic to every per-file rule, but the map saw only ``http://app/x.php`` and OZ811 reported
  a dead link.

Real processes (``ozml check``, ``ozml graph``, ``ozml run``) on a small project.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml import templates
from ozml.parser import parse
from ozml.project import TargetKind, UrlMap
from ozml.project.links import document_links
from ozml.templates import CDATA_ASSUMED

CONFIG = """\
[urls]
"http://app/{name}.php" = "{name}.xml"

[entry-points]
IncomingCall = ["main.xml"]
"""
MENU = "<Response>\n  <Hangup/>\n</Response>\n"


def ozml(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "ozml", *args], cwd=cwd, capture_output=True, text=True,
        encoding="utf-8", env=env, timeout=120, check=False,
    )


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "ozml.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "menu.xml").write_text(MENU, encoding="utf-8")
    return tmp_path


def goto(app: Path, link: str) -> None:
    """main.xml: one GoTo, `link` being its attribute (``Url="..."``) or its text."""
    element = f"<GoTo {link}/>" if link.startswith("Url=") else f"<GoTo>{link}</GoTo>"
    (app / "main.xml").write_text(f"<Response>\n  {element}\n</Response>\n", encoding="utf-8")


def dead_links(app: Path) -> list[tuple[str, str, str]]:
    """OZ811's findings in main.xml as (position, severity, message)."""
    done = ozml("check", "--select", "OZ811", "--format", "json", "main.xml", cwd=app)
    assert done.returncode in (0, 1), done.stderr
    found = json.loads(done.stdout)
    return [(f"{d['line']}:{d['column']}", d["severity"], d["message"]) for d in found]


LITERAL = (
    'leads nowhere: the URL map sends it to {{page}}.xml ("http://app/{name}.php"),'
    " which does not exist"
)


# --- the dead-link rule, through ozml check ------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "finding"),
    [
        # A character reference: the literal text {{page}}, which no file answers.
        (
            "http://app/&#123;{page}}.php",
            ("2:9", "error", f"GoTo http://app/{{{{page}}}}.php {LITERAL}"),
        ),
        (
            'Url="http://app/&#123;{page}}.php"',
            ("2:14", "error", f"GoTo Url http://app/{{{{page}}}}.php {LITERAL}"),
        ),
        # The variable $p is dynamic, the braces around it are literal: no file is {{*}}.xml.
        (
            "http://app/&#123;{$p}}.php",
            (
                "2:9",
                "error",
                'GoTo http://app/{{$p}}.php leads nowhere: the URL map sends it to {{*}}.xml'
                ' ("http://app/{name}.php"), and no file matches',
            ),
        ),
    ],
)
def test_literal_braces_are_a_plain_url(app: Path, link: str, finding: tuple[str, ...]) -> None:
    goto(app, link)
    assert dead_links(app) == [finding]


def test_a_cdata_section_is_literal_and_the_finding_says_it_is_assumed(app: Path) -> None:
    goto(app, "<![CDATA[http://app/{{page}}.php]]>")
    assert dead_links(app) == [
        ("2:18", "warning", f"GoTo http://app/{{{{page}}}}.php {LITERAL}; {CDATA_ASSUMED}")
    ]


@pytest.mark.parametrize(
    "link",
    [
        # Real parts and variables inside the placeholder: main.xml and menu.xml match.
        "http://app/{{page}}.php",
        'Url="http://app/{{page}}.php"',
        'Url="http://app/$page.php?x=1"',
        # A processing instruction in the text: dynamic where the text does not show it, so
        # the link is not followed (it is not http://app/x.php).
        "http://app/<?php echo $p ?>x.php",
        "http://app/{{a}}<?php echo $p ?>x.php",
    ],
)
def test_dynamic_links_are_not_dead(app: Path, link: str) -> None:
    goto(app, link)
    assert dead_links(app) == []


def test_a_real_part_outside_any_file_is_dead(app: Path) -> None:
    goto(app, 'Url="http://app/zz{{page}}.php"')
    assert dead_links(app) == [
        (
            "2:14",
            "error",
            'GoTo Url http://app/zz{{page}}.php leads nowhere: the URL map sends it to zz*.xml'
            ' ("http://app/{name}.php"), and no file matches',
        )
    ]


# --- ozml graph ----------------------------------------------------------------------------------


def crossings(app: Path) -> tuple[list[str], list[str]]:
    """``ozml graph main.xml menu.xml``: its edges between documents, and its URL nodes."""
    done = ozml("graph", "main.xml", "menu.xml", cwd=app)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    edges = [line.strip() for line in lines if "==>|\"GoTo: " in line]
    urls = [line.strip() for line in lines if line.strip().startswith("d1_u")]
    return edges, urls


def test_graph_draws_a_literal_url_as_a_dead_link(app: Path) -> None:
    goto(app, 'Url="http://app/&#123;{page}}.php"')
    assert crossings(app) == (
        [],
        ['d1_u1[/"http://app/{{page}}.php<br/>error: OZ811 dead-link"/]'],
    )


def test_graph_joins_a_real_part_to_every_document_it_may_be(app: Path) -> None:
    goto(app, 'Url="http://app/{{page}}.php"')
    assert crossings(app) == (
        [
            'd1_n1 ==>|"GoTo: http://app/{{page}}.php"| d1_S',
            'd1_n1 ==>|"GoTo: http://app/{{page}}.php"| d2_S',
        ],
        [],
    )


def test_graph_does_not_follow_a_processing_instruction(app: Path) -> None:
    goto(app, "http://app/<?php echo $p ?>menu.php")
    assert crossings(app) == ([], ['d1_u1[/"http://app/menu.php"/]'])


# --- one answer to "is this link dynamic?" -------------------------------------------------------

PIECES = ["x", "{{p}}", "&#123;{p}}", "$p", "&#36;p", "{{$p}}", "&#123;{$p}}", "<?php echo 1 ?>",
          "<![CDATA[{{p}}]]>", "<![CDATA[$p]]>", "-"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=4),
    st.booleans(),
    st.sampled_from([frozenset(), frozenset({"jinja"}), templates.DEFAULT]),
)
def test_the_map_and_the_per_file_rules_agree(
    pieces: list[str], attribute: bool, syntaxes: frozenset[str]
) -> None:
    """A link is dynamic to the URL map exactly when the per-file rules take its value as
    dynamic (`ozml.lint.templated`: `dynamic_value` of an attribute, `dynamic_content` or
    `dynamic_value` of a text)."""
    if attribute:
        pieces = [p for p in pieces if not p.startswith(("<?", "<!"))] or ["x"]
    written = "http://app/" + "".join(pieces) + ".php"
    element = f'<GoTo Url="{written}"/>' if attribute else f"<GoTo>{written}</GoTo>"
    result = parse(f"<Response>{element}</Response>", templates=syntaxes)
    (link,) = document_links(result)
    url_map = UrlMap.parse({"http://app/{name}.php": "{name}.xml"}, Path("/nonexistent"))
    if attribute:
        expected = templates.dynamic_value(link.value, link.templates, syntaxes)
    else:
        expected = templates.dynamic_content(link.rec.element, syntaxes) or (
            templates.dynamic_value(link.value, (), syntaxes)
        )
    if link.hidden:  # not followed (ozml.project.graph)
        assert expected
        return
    target = url_map.resolve(link.value, syntaxes, link.templates)
    assert target.dynamic == expected
    if not expected:
        assert target.kind is TargetKind.DEAD  # the plain URL, which no file answers


def test_resolve_reads_the_parts_where_the_parser_found_them(tmp_path: Path) -> None:
    (tmp_path / "menu.xml").write_text(MENU, encoding="utf-8")
    url_map = UrlMap.parse({"http://app/{name}.php": "{name}.xml"}, tmp_path)
    url = "http://app/{{ $n }}.php"
    part = ((11, 19),)
    # No part where the parser found none: the literal text, whose $n is a variable.
    literal = url_map.resolve(url, templates.DEFAULT, ())
    assert (literal.kind, literal.expected) == (TargetKind.DEAD, str(tmp_path / "{{ * }}.xml"))
    # A part of a syntax read as one (names or aliases); the $ in it is the template's.
    for syntaxes in (templates.DEFAULT, ("twig",)):
        found = url_map.resolve(url, syntaxes, part)
        assert (found.kind, found.paths) == (TargetKind.MAPPED, (tmp_path / "menu.xml",))
    # A part of a syntax turned off is literal text, and its $n a variable.
    assert url_map.resolve(url, ("php",), part).expected == str(tmp_path / "{{ * }}.xml")
    # White space around the value: the spans are the written value's.
    assert url_map.resolve(f"  {url}", templates.DEFAULT, ((13, 21),)).kind is TargetKind.MAPPED
    # A URL of no document: its parts are those it holds written as an attribute value.
    assert url_map.resolve(url).kind is TargetKind.MAPPED
    assert url_map.resolve(url, ()).expected == literal.expected
    # Where the $variable uses are, when the caller knows them (a run's URL): only those.
    assert url_map.resolve(url, (), uses=()).expected == str(tmp_path / "{{ $n }}.xml")
    assert url_map.resolve(url, (), uses=((14, 16),)).expected == literal.expected
    assert url_map.resolve(f" {url} ", (), uses=((15, 17),)).expected == literal.expected


# --- the dry run (and the simulator, which reads the map the same way) ---------------------------


def test_the_dry_run_map_takes_no_dollar_in_a_part_for_a_variable(tmp_path: Path) -> None:
    (tmp_path / "ozml.toml").write_text(
        '[urls]\n"http://app.test/box?name={box}" = "boxes/{box}.xml"\n', encoding="utf-8"
    )
    (tmp_path / "boxes").mkdir()
    (tmp_path / "go.xml").write_text(
        '<Response><GoTo Url="http://app.test/box?name={{ $box }}"/></Response>', encoding="utf-8"
    )
    done = ozml("run", "go.xml", "--force", cwd=tmp_path)
    assert done.stdout.splitlines()[1].endswith(
        "gives boxes/{{ $box }}.xml, which is not a file)"
    )


BOXES = '[urls]\n"http://app.test/box?name={box}" = "boxes/{box}.xml"\n'
#: What a box answers: a BlindTransfer, whose ending the trace says is assumed.
TRANSFER = '<Response>\n  <BlindTransfer Target="2000"/>\n</Response>\n'
#: What its line says: no scenario plans the transfer's outcome.
TRANSFERRED = (
    "-> transferred (the scenario plans no outcome for '2000' (outcomes.transfer = answer,"
    " assumed))"
)
#: What a line with an undefined $box, or $v, says of it.
UNDEFINED = "is undefined: left as written (assumed: the vendor does not say)"


def boxes(folder: Path, *names: str) -> Path:
    """An application whose map sends http://app.test/box?name=NAME to boxes/NAME.xml, with a
    box for each of `names` (each answering `TRANSFER`)."""
    (folder / "ozml.toml").write_text(BOXES, encoding="utf-8")
    (folder / "boxes").mkdir()
    for name in names:
        (folder / "boxes" / f"{name}.xml").write_text(TRANSFER, encoding="utf-8")
    return folder


def run_goto(folder: Path, element: str, *args: str) -> list[str]:
    """``ozml run go.xml`` of a document holding `element` (a GoTo): its trace's lines."""
    (folder / "go.xml").write_text(f"<Response>{element}</Response>", encoding="utf-8")
    done = ozml("run", "go.xml", "--force", *args, cwd=folder)
    assert done.stderr == ""
    return done.stdout.splitlines()


def test_the_dry_run_answers_a_part_with_the_file_named_by_its_text(tmp_path: Path) -> None:
    """The URL the run fetches holds the part as written, and so does the file that answers
    it: not every box ({{ * }}, which matches two). The trace says where the answer came from,
    and still says what it assumes of the answer it runs."""
    boxes(tmp_path, "{{ $box }}", "{{ $other }}")
    url = "http://app.test/box?name={{ $box }}"
    assert run_goto(tmp_path, f'<GoTo Url="{url}"/>')[1:] == [
        f'   0.000 go.xml:1:12 GoTo Url="{url}" -> fetched'
        " (answer from the URL map: boxes/{{ $box }}.xml)",
        f'   0.000 {url}:2:4 BlindTransfer Target="2000" {TRANSFERRED}',
        f"   0.000 {url}:2:4 end -> transferred (the call was transferred; the script ends"
        " (blind_transfer = end, assumed))",
        "ended: transferred (the call was transferred; the script ends (blind_transfer = end,"
        " assumed)) at 0s after 2 steps",
    ]
    menu = (
        f'<UserInput Timeout="5" ForwardToURL="{url}"><Inputs><Input Key="1"><Hangup/></Input>'
        "</Inputs></UserInput>"
    )
    events = [
        json.loads(line)
        for line in run_goto(tmp_path, menu, "--dtmf", "7", "--format", "json")
    ]
    fetched = [e for e in events if e["result"] == "fetched"]
    assert [(e["command"], e["params"]["Url"], e["origin"]) for e in fetched] == [
        ("fetch", url, "URL map: boxes/{{ $box }}.xml")
    ]


@pytest.mark.parametrize(
    ("element", "answer"),
    [
        # A part: its $box is the template's, and the URL the plain text it is.
        (
            '<GoTo Url="http://app.test/box?name={{ $box }}"/>',
            "http://app.test/box?name={{ $box }}: the URL map of ozml.toml gives"
            " boxes/{{ $box }}.xml, which is not a file",
        ),
        # No part (a CDATA section, a character reference): $box is a variable the run left
        # undefined, so the box is any file.
        (
            "<GoTo><![CDATA[http://app.test/box?name={{ $box }}]]></GoTo>",
            "http://app.test/box?name={{ $box }} is ambiguous: the URL map of ozml.toml gives"
            f" 2 files for it (boxes/{{{{ a }}}}.xml, boxes/{{{{ b }}}}.xml); $box {UNDEFINED}",
        ),
        (
            '<GoTo Url="http://app.test/box?name=&#123;{ $box }}"/>',
            "http://app.test/box?name={{ $box }} is ambiguous: the URL map of ozml.toml gives"
            f" 2 files for it (boxes/{{{{ a }}}}.xml, boxes/{{{{ b }}}}.xml); $box {UNDEFINED}",
        ),
        # A $ that a variable's value brought is text: the run substitutes once.
        (
            '<GoTo Url="http://app.test/box?name=$v"/>',
            "http://app.test/box?name=$w: the URL map of ozml.toml gives boxes/$w.xml, which is"
            " not a file",
        ),
    ],
)
def test_the_dry_run_map_reads_a_url_as_the_run_filled_it_in(
    tmp_path: Path, element: str, answer: str
) -> None:
    boxes(tmp_path, "{{ a }}", "{{ b }}")
    line = run_goto(tmp_path, element, "--var", "v=$w")[1]
    assert line.endswith(f" -> failed ({answer})")


#: Where the answer to a URL that keeps the undefined $v came from: a guess.
GUESS = (
    "URL map: boxes/{{ $box }}x.xml (a guess, assumed: the URL keeps $v as written, and this is"
    " the one file that matches)"
)


def test_a_variable_left_beside_a_part_is_the_only_dynamic_text(tmp_path: Path) -> None:
    """``{{ $box }}$v`` with $v undefined: the part is literal, $v stands for any text. The
    spans of what the run left follow the value as the engine strips it, so the fetch and the
    trace's origin agree."""
    boxes(tmp_path, "{{ $box }}x", "{{ $other }}x")
    url = "http://app.test/box?name={{ $box }}$v"
    lines = run_goto(tmp_path, f'<GoTo Url="  {url} "/>')
    # One file matches any text for $v: a guess, and the trace says so (and of $v).
    assert lines[1] == (
        f'   0.000 go.xml:1:12 GoTo Url="  {url} " -> fetched'
        f" (answer from the {GUESS}; $v {UNDEFINED})"
    )
    assert lines[2] == f'   0.000 {url}:2:4 BlindTransfer Target="2000" {TRANSFERRED}'


def test_a_notification_url_is_read_as_the_run_filled_it_in(tmp_path: Path) -> None:
    """A URL an executor sends a notification to (CallSetup's ErrorUrl) carries what the
    engine left in it too."""
    boxes(tmp_path, "{{ $box }}x", "{{ $other }}x")
    (tmp_path / "setup.toml").write_text(
        'script = "go.xml"\ncontext = "3pcc"\n[outcomes]\ncall = "busy"\n', encoding="utf-8"
    )
    url = "http://app.test/box?name={{ $box }}$v"
    (tmp_path / "go.xml").write_text(
        f'<Response><CallSetup Caller="101" Callee="102" ErrorUrl="{url}"/></Response>',
        encoding="utf-8",
    )
    done = ozml("run", "--scenario", "setup.toml", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    notes = [json.loads(line) for line in done.stdout.splitlines()]
    notes = [e for e in notes if e["command"] == "notify"]
    assert [(e["params"]["Url"], e["result"], e.get("origin")) for e in notes] == [
        (url, "fetched", GUESS),
    ]


def test_a_rendered_value_says_which_dollar_it_left() -> None:
    """What the engine hands on with a value it filled in (`Rendered`): where the references it
    left as written are; none where every reference was filled in, or where a ``$`` is a
    template part's or a value's. Stripping keeps them; copies and pickles keep them."""
    import copy
    import pickle

    from ozml.interpreter.substitute import Rendered, Template, uses_of

    source = " {{ $box }}$v/$w.x/$n "
    template = Template(source, ((1, 11),))
    rendered = template.render({"w": "$z", "n": {"y": "1"}})
    assert rendered == " {{ $box }}$v/$z.x/$n "
    assert uses_of(rendered) == ((11, 13), (19, 21))
    stripped = rendered.strip()
    assert (stripped, uses_of(stripped)) == ("{{ $box }}$v/$z.x/$n", ((10, 12), (18, 20)))
    filled = template.render({"v": "1", "w": "$z", "n": "2"})
    assert (filled, type(filled)) == (" {{ $box }}1/$z.x/2 ", str)
    for kept in (copy.copy(stripped), pickle.loads(pickle.dumps(stripped))):
        assert (kept, uses_of(kept)) == (stripped, uses_of(stripped))
    # A reference alone, left as written: the same string each time, as the source is shared.
    alone = Template("$v")
    assert alone.render({}) is alone.render({})
    assert uses_of(alone.render({})) == ((0, 2),)
    # A use that strip takes away is gone with it.
    assert uses_of(Rendered("$a b", ((0, 2),)).strip("$a ")) == ()
