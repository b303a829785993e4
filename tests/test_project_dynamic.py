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


# --- the dry run (and the simulator, which reads the map the same way) ---------------------------


@pytest.mark.xfail(
    strict=True,
    reason="a run's URL is rendered text: the dry run leaves $box in {{ $box }} as the"
    " template's, but the map takes it for a variable it left undefined (only the engine knows"
    " which $ it left; ozml.interpreter.fetch.MapAnswers)",
)
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
