"""XML's white space around an attribute's value: one reading for the linter, the schema, the
dry run and the simulator.

ozml reads XML's white space (space, tab, line ends) around a value as layout, as around an
element's text (D7): ``Timeout=" 5 "`` is a Timeout of 5. Whether the PBX reads it so is not
stated, so a value that suits only without that white space is an invalid-value warning that
says it is assumed (`values.SPACE_AROUND`), never an error; the published schema takes it, as it
takes everything ozml only warns about; and a run reads the value without it, and says so on
the command's line. A value that is wrong either way stays an error. The finding's fix removes
the white space as written (``ozml check --fix``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from dryrun_support import instant
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from test_differential import LXML_SCHEMA, PARAMS, _attribute_type, _pool

from ozml.callmodel import readings, timing
from ozml.catalog import Command, Param, ValueType, values
from ozml.diagnostics import Severity
from ozml.fixes import fix_source
from ozml.interpreter import program
from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.lint import lint

#: The parameters whose every value is not accepted: those whose value the linter checks.
TYPED = [(cmd, param) for cmd, param in PARAMS if not values.accepts_anything(param)]

#: XML's white space before and after a value (at least one of them not empty).
PADS = st.tuples(
    st.text(alphabet=" \t\r\n", max_size=3), st.text(alphabet=" \t\r\n", max_size=3)
).filter(lambda pads: any(pads))


def _good(param: Param) -> list[str]:
    """Values of `param` the linter takes as written, with something beside white space."""
    return [
        v
        for v in _pool(param)
        if values.check(param, v, ()) is None
        and not values.is_dynamic(v)
        and v.strip(" \t\r\n") == v
        and v
    ]


WITH_GOOD = [(cmd, param) for cmd, param in TYPED if _good(param)]


@pytest.mark.parametrize(("cmd", "param"), WITH_GOOD, ids=lambda x: getattr(x, "name", ""))
def test_a_value_that_suits_only_without_xml_space_is_an_assumed_finding(
    cmd: Command, param: Param
) -> None:
    xsd_type = _attribute_type(cmd, param)

    @settings(max_examples=25, deadline=None)
    @given(st.sampled_from(_good(param)), PADS)
    def check(good: str, pads: tuple[str, str]) -> None:
        written = pads[0] + good + pads[1]
        if values.check(param, written, ()) is None:  # any non-blank text (a file path, SQL)
            assert not program._padded(param, written)
            return
        assert values.grounds(param, written, ()) is values.SPACE_AROUND
        # The schema takes what the linter only warns about (as lxml would read the attribute:
        # its tabs and line ends become spaces, XML's attribute-value normalisation).
        assert xsd_type.is_valid(written.translate({9: 32, 10: 32, 13: 32}))
        # The run reads it as the value without it, and its line says so.
        assert readings.bare(written) == good
        assert program._padded(param, written)
        assert not program._padded(param, good)

    check()


@pytest.mark.parametrize(
    ("template", "good"),
    [
        ('<Delay Time="{}"/>', "2"),
        ('<Play Repeat="{}">a.wav</Play>', "true"),
        ('<Record Format="{}"/>', "wav"),
        ('<Record Duration="{}"/>', "10"),
        ('<Speak Party="{}">Hello.</Speak>', "caller"),
        (
            '<UserInput Timeout="{}"><InitialCommands><Speak>Press 1.</Speak></InitialCommands>'
            '<Inputs><Input Key="1"><Hangup/></Input></Inputs></UserInput>',
            "5",
        ),
        (
            '<UserInput><InitialCommands><Speak>Press 1.</Speak></InitialCommands>'
            '<Inputs><Input Key="{}"><Hangup/></Input></Inputs></UserInput>',
            "1",
        ),
    ],
)
@pytest.mark.parametrize("pads", [(" ", " "), ("\t", ""), ("", "\n  ")])
def test_the_linter_warns_and_the_schema_takes_it(
    template: str, good: str, pads: tuple[str, str]
) -> None:
    clean = f"<Response>{template.format(good)}</Response>"
    assert lint(clean) == [], clean
    document = f"<Response>{template.format(pads[0] + good + pads[1])}</Response>"
    findings = lint(document)
    assert [(f.code, f.severity) for f in findings] == [("OZ202", Severity.WARNING)], findings
    assert values.SPACE_AROUND.why in findings[0].message
    assert f"; did you mean {good!r}?" in findings[0].message  # what ozml reads, and the fix writes
    assert findings[0].suggestion == good
    assert LXML_SCHEMA.validate(etree.fromstring(document.encode())), document


@pytest.mark.parametrize(
    "document",
    [
        '<Response><Delay Time=" x "/></Response>',
        '<Response><Play Repeat=" yes ">a.wav</Play></Response>',
        '<Response><Record Format=" ogg "/></Response>',
    ],
)
def test_a_value_wrong_either_way_is_still_an_error(document: str) -> None:
    findings = lint(document)
    assert [(f.code, f.severity) for f in findings] == [("OZ202", Severity.ERROR)], findings
    assert not LXML_SCHEMA.validate(etree.fromstring(document.encode()))


def test_the_runs_readings_take_the_value_without_it() -> None:
    assert timing.read_seconds("Delay", "Time", " 2 ", 0.0) == 2.0
    assert timing.read_seconds("UserInput", "Timeout", "\t5\n", 0.0) == 5.0
    assert timing.refused_seconds("Delay", "Time", " 2 ", "none") == ""
    assert readings.read_flag("Play", "Repeat", " true ") == (True, "")
    assert readings.read_choice("Record", "Format", " wav ") == ("wav", "")
    fixed, said = readings.read_choice("Record", "Format", " WAV ")
    assert fixed == "wav"
    assert "letter case ignored, assumed" in said
    assert readings.read_count("UserInput", "Digits", " 2 ") == (2, "")
    assert readings.menu_keys("UserInput", {"MinDigits": " 2 ", "MaxDigits": "3 "})[:2] == (2, 3)
    # Wrong either way: refused as before, in the linter's words.
    assert timing.read_seconds("Delay", "Time", " x ", 0.0) is None
    assert readings.read_count("UserInput", "Digits", " x ")[0] is None
    # White space of another kind is content (D7): not read as layout.
    assert timing.read_seconds("Delay", "Time", "\u00a02", 0.0) is None


def _details(document: str) -> list[str]:
    scenario = instant(parse_scenario("", Path("s.toml")))
    _, compiled = compile_source(document, "doc.xml")
    return [e.detail for e in run_scenario(scenario, compiled).events if e.command != "end"]


def test_the_note_names_each_value_read_without_it() -> None:
    [said] = _details('<Response><Record Duration=" 10 " Format="wav " FinishDigits="#"/>'
                      "</Response>")
    assert "its attributes Duration=' 10 ', Format='wav ' are read without the white space" in said
    assert values.SPACE_AROUND.why in said
    [plain] = _details('<Response><Record Duration="10" Format="wav"/></Response>')
    assert "read without" not in plain


def _run(tmp_path: Path, document: str, *args: str) -> str:
    (tmp_path / "doc.xml").write_text(document, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "run", "doc.xml", "--isolated", *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_dry_run_waits_as_long_as_without_it(tmp_path: Path) -> None:
    """The real program: a warning does not stop the run, which waits the Delay's 2 seconds."""
    padded = _run(tmp_path, '<Response><Delay Time=" 2 "/><Hangup/></Response>')
    plain = _run(tmp_path, '<Response><Delay Time="2"/><Hangup/></Response>')
    assert "ended: hangup (Hangup ended the call) at 2s after 2 steps" in padded
    assert padded.splitlines()[-1] == plain.splitlines()[-1]
    assert "its attribute Time=' 2 ' is read without the white space around it" in padded
    assert "read without" not in plain


def test_the_catalog_has_a_typed_parameter_of_each_kind_checked_here() -> None:
    """The property above covers numbers, seconds, choices and keys (not an empty list)."""
    kinds = {param.type for _, param in WITH_GOOD}
    assert {ValueType.INTEGER, ValueType.SECONDS, ValueType.BOOLEAN, ValueType.DTMF_KEYS} <= kinds


def test_a_key_with_white_space_around_it_is_the_key_and_the_line_says_so(tmp_path: Path) -> None:
    menu = (
        "<Response><UserInput><InitialCommands><Speak>Press 1.</Speak></InitialCommands>"
        '<Inputs><Input Key="{}"><Speak>One.</Speak><Hangup/></Input></Inputs></UserInput>'
        "</Response>"
    )
    padded = _run(tmp_path, menu.format(" 1 "), "--dtmf", "1")
    plain = _run(tmp_path, menu.format("1"), "--dtmf", "1")
    assert padded.splitlines()[-1] == plain.splitlines()[-1]
    assert "-> matched (the Input's Key ' 1 ' is read without the white space around it" in padded
    assert "read without" not in plain


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(
        [('<Delay Time={}/>', "2"), ('<Play Repeat={}>a.wav</Play>', "true"),
         ('<Record Duration={} Format="wav"/>', "10"), ('<Record Format={}/>', "WAV")]
    ),
    PADS,
    st.sampled_from(['"', "'"]),
)
def test_the_fix_removes_the_white_space_and_nothing_else(
    case: tuple[str, str], pads: tuple[str, str], quote: str
) -> None:
    """`ozml check --fix`'s edit (invalid-value's safe fix): the value as written without the
    white space around it, in its own quotes; a value in another letter case is then written
    in the canonical one (non-canonical-case's fix, the next pass)."""
    template, good = case
    written = f"{quote}{pads[0]}{good}{pads[1]}{quote}"
    result = fix_source(f"<Response>{template.format(written)}</Response>\n")
    canonical = good.lower() if good == "WAV" else good
    assert result.text == f"<Response>{template.format(quote + canonical + quote)}</Response>\n"
    assert result.remaining == ()
    assert "OZ202" in [d.code for d in result.applied]


@pytest.mark.parametrize(
    "document",
    [
        '<Response><Delay Time="&#32;2"/></Response>',  # the white space is a reference
        '<Response><Delay Time=" 2&#10;"/></Response>',
        '<Response><Delay Time=" x "/></Response>',  # wrong either way: no fix
    ],
)
def test_no_fix_where_the_text_does_not_show_the_white_space_or_it_is_not_enough(
    document: str,
) -> None:
    [finding] = lint(document)
    assert finding.code == "OZ202"
    assert finding.fix is None
    assert fix_source(document).text == document


def test_check_fix_trims_a_file_in_place(tmp_path: Path) -> None:
    """The real program: the file is fixed and then clean."""
    path = tmp_path / "doc.xml"
    path.write_text('<Response>\n  <Delay Time=" 2\t"/>\n  <Hangup/>\n</Response>\n', "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--isolated", "--fix", "doc.xml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert path.read_text("utf-8") == '<Response>\n  <Delay Time="2"/>\n  <Hangup/>\n</Response>\n'


def test_the_fixes_page_shows_what_the_fix_does() -> None:
    """docs/fixes.md's row for invalid-value: ``Timeout=" 5 "`` → ``Timeout="5"``."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "fixes.md").read_text("utf-8")
    assert '(`Timeout=" 5 "` → `Timeout="5"`)' in page
    menu = (
        '<Response><UserInput Timeout="{}"><InitialCommands><Speak>Press 1.</Speak>'
        '</InitialCommands><Inputs><Input Key="1"><Hangup/></Input></Inputs></UserInput>'
        "</Response>"
    )
    result = fix_source(menu.format(" 5 "))
    assert result.text == menu.format("5")
    assert [d.code for d in result.applied] == ["OZ202"]
