"""Safe fixes never change what a script does: the dry run of a document and of its fixed text
take the same steps with the same values (tests/test_fixes.py has the single cases)."""

from __future__ import annotations

import re
from pathlib import Path

from dryrun_support import instant
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.fixes import fix_source
from ozml.interpreter.runner import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario

#: Commands written as a careless author writes them: legacy names, names in another letter
#: case, a parameter given twice or both as an attribute and as text, misspelt attributes,
#: values in another letter case or with white space around them, suppression comments.
PIECES = (
    '<Speak Text="Hello" text="Goodbye">Hello</Speak>',
    '<Speak Text="Hello" Text2="Goodbye">Hello</Speak>',
    '<Speak Text2="Goodbye">Hello</Speak>',
    '<Speak Text2="Goodbye"/>',
    '<Speak Text="Hi">Hi</Speak>',
    '<Speak text="Hi">Hi</Speak>',
    "<speak>Hi</speak>",
    '<Speak Party="All">Hi</Speak>',
    '<Forward Destination="102"/>',
    '<ForwardCall destination="102"/>',
    '<ForwardCall Destinaton="102"/>',
    '<ForwardCall Destination="102" Destinaton="103"/>',
    '<Play Repeat="True">a.wav</Play>',
    '<Delay Time=" 2 "/>',
    '<UserInput Timeout=" 5 " Repeat="False"><Inputs><input Key="1"><speak>one</speak></input>'
    "</Inputs></UserInput>",
    '<Delay Time="1" time="2"/>',
    "<delay>1</delay>",
    "<Hangup/>",
    "<!-- ozml: noqa OZ201 -->",
    "Hi <!-- ozml: noqa OZ303 --> there",
)


#: A value as the trace writes it, with the XML white space around it apart.
_VALUE = re.compile(r'="[ \t\r\n]*(.*?)[ \t\r\n]*"')


def _steps(document: str) -> list[str]:
    """The golden lines of the document's dry run, in one letter case and each value without
    the XML white space around it (the PBX is assumed to read a value in any letter case, and
    the run reads it without that white space, where a fix writes it canonically)."""
    _, program = compile_source(document, "doc.xml")
    scenario = instant(parse_scenario("", Path("scenario.toml")))
    events = run_scenario(scenario, program).events
    return [_VALUE.sub(r'="\1"', event.golden().casefold()) for event in events]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=6), st.sampled_from(["Response", "OzML"]))
def test_safe_fixes_keep_what_a_script_does(pieces: list[str], root: str) -> None:
    document = f"<{root}>{''.join(pieces)}</{root}>"
    fixed = fix_source(document)
    assert _steps(fixed.text) == _steps(document), (document, fixed.text)
