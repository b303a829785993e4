"""What a documented command's element gives that a run does not pass on is said on its line,
where the linter reports it: an attribute that is no parameter (unknown-attribute, OZ103), one
that gives a parameter again (duplicate-parameter, OZ107), text beside the attribute of the
parameter written as text (text-and-attribute, OZ106). The run used to drop them without a
word; what a PBX does with any of them is not stated, so each line says it is assumed."""

from __future__ import annotations

from pathlib import Path

import pytest
from dryrun_support import instant

from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.lint import lint

NOT_PASSED = "not passed on (assumed: the vendor does not say what a PBX does with one)"
AGAIN = "a parameter again: the first is used (assumed: which one a PBX takes is not stated)"
TEXT = "is given as an attribute too, and the attribute is used (assumed: which a PBX uses"


def _details(document: str) -> list[str]:
    scenario = instant(parse_scenario("", Path("s.toml")))
    _, program = compile_source(document, "doc.xml")
    return [e.detail for e in run_scenario(scenario, program).events if e.command != "end"]


@pytest.mark.parametrize(
    ("element", "code", "said"),
    [
        ('<Speak Foo="1">x</Speak>', "OZ103", f"its attribute Foo='1' is no Speak parameter: "
                                              f"{NOT_PASSED}"),
        ('<ForwardCall Destinaton="102" Destination="103"/>', "OZ103",
         f"its attribute Destinaton='102' is no ForwardCall parameter: {NOT_PASSED}"),
        ('<Speak A="1" B="2" C="3" D="4">x</Speak>', "OZ103",
         f"its attributes A='1', B='2', C='3' and 1 more are no Speak parameters: {NOT_PASSED}"),
        ('<Speak Text="a" text="b"/>', "OZ107", f"its attribute text='b' gives {AGAIN}"),
        ('<Speak Text="a">b</Speak>', "OZ106", f"its text 'b' is not used: Text {TEXT}"),
        ('<Var Id="a" Value="1" Valeu="2"/>', "OZ103",
         f"its attribute Valeu='2' is no Var parameter: {NOT_PASSED}"),
        # Namespace declarations are no parameters on the root alone, as the linter has it.
        ('<Speak xmlns:y="urn:y">x</Speak>', "OZ103",
         f"its attribute xmlns:y='urn:y' is no Speak parameter: {NOT_PASSED}"),
    ],
)
def test_the_run_says_what_the_linter_reports(element: str, code: str, said: str) -> None:
    document = f"<Response>{element}</Response>"
    assert code in [d.code for d in lint(document)]
    [detail] = _details(document)
    assert said in detail, detail


@pytest.mark.parametrize(
    "element",
    [
        "<Speak>x</Speak>",
        '<Speak Text="a">a</Speak>',  # the same either way: nothing is left out
        '<Speak xml:lang="en">x</Speak>',  # XML's own attributes are no parameters
        '<Beep Length="2"/>',  # an undocumented command's attributes are passed as written
    ],
)
def test_nothing_is_said_where_nothing_is_left_out(element: str) -> None:
    [detail] = _details(f"<Response>{element}</Response>")
    assert "not passed on" not in detail
    assert "is not used" not in detail
    assert "the first is used" not in detail
