"""The linter and the dry run agree on how many keys a menu reads.

invalid-input-key says which Input keys the caller cannot enter, from the menu's Digits,
MinDigits and MaxDigits; the dry run cuts the keys the caller enters to the number the menu
reads. Both read the counts with one definition (`ozml.callmodel.readings.menu_keys`), so a key
the linter passes is one a dry run can match, and one it says is too long is one a dry run
cuts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ozml.interpreter import compile_source, run_scenario
from ozml.interpreter.scenario import parse_scenario
from ozml.lint import LintSettings, lint

#: The longest key the test tries.
LONGEST = 5

#: A menu's counts: as the linter reads them, in combinations, and values it refuses (a space,
#: a sign, 0, a reference): those it reports as invalid-value and a run takes as not given.
COUNTS = [
    "",
    'Digits="2"',
    'MaxDigits="3"',
    'MinDigits="2"',
    'MinDigits="2" MaxDigits="4"',
    'Digits="3" MaxDigits="2"',
    'Digits="2" MaxDigits="3"',
    'Digits="2" MinDigits="3"',
    'Digits=" 2"',
    'Digits="2 "',
    'Digits="+2"',
    'MaxDigits="\u00a03"',
    'Digits="0"',
    'Digits="$n"',
]


def _menu(counts: str) -> str:
    inputs = "".join(
        f'<Input Key="{"123456789"[:length]}"><Hangup/></Input>'
        for length in range(1, LONGEST + 1)
    )
    return f"<Response><UserInput {counts}><Inputs>{inputs}</Inputs></UserInput></Response>"


def _linter_reads(document: str) -> set[int]:
    """The lengths of the keys invalid-input-key says the caller cannot enter."""
    return {
        len(found.message.split("'")[1])
        for found in lint(document, "menu.xml", LintSettings())
        if found.name == "invalid-input-key"
    }


def _run_reads(document: str) -> int:
    """How many of the keys the caller enters at once a dry run of the menu keeps."""
    _, program = compile_source(document, "menu.xml")
    scenario = parse_scenario(f'[input]\ndtmf = ["{"123456789" * 2}"]\n', Path("s.toml"))
    done = run_scenario(scenario, program)
    digits = [event.params["Digits"] for event in done.events if event.command == "input"]
    assert len(digits) == 1, [event.golden() for event in done.events]
    return len(digits[0])


@pytest.mark.parametrize("counts", COUNTS)
def test_the_keys_the_linter_passes_are_those_a_dry_run_reads(counts: str) -> None:
    """The longest key invalid-input-key lets pass is as long as the keys a dry run reads;
    a menu whose counts the linter does not read (invalid-value reports them) has no key
    reported. The linter read MinDigits alone and a Digits above MaxDigits as the menu's
    count where the dry run read MaxDigits, else Digits, else 1; and ``Digits=" 2"`` as 2
    where the dry run (which reads it as the linter's invalid-value does) read 1."""
    document = _menu(counts)
    refused = _linter_reads(document)
    read = _run_reads(document)
    if not refused:
        return  # not judged: the counts are only known at run time, or invalid-value's
    passed = [length for length in range(1, LONGEST + 1) if length not in refused]
    assert passed, (counts, refused)
    assert max(passed) == min(read, LONGEST), (counts, refused, read)


@pytest.mark.parametrize(
    ("counts", "assumed"),
    [
        ("", False),
        ('Digits="2"', False),
        ('MaxDigits="3"', False),
        ('Digits="2" MaxDigits="2"', False),
        ('MinDigits="2"', True),
        ('Digits="3" MaxDigits="2"', True),
        ('Digits="2" MinDigits="3"', True),
        ('MinDigits="2" MaxDigits="4"', False),
        ('MinDigits="4" MaxDigits="2"', True),
        ('Digits="2" MinDigits="$n"', False),
    ],
)
def test_a_dry_run_says_when_the_number_of_keys_rests_on_combining_the_counts(
    counts: str, assumed: bool
) -> None:
    """The vendor states each count (spec §7.32), not how they combine: where the number of
    keys a menu reads rests on combining them (or on MinDigits alone, past MaxDigits' default
    of 1), the menu's trace line says so, as every assumption of a dry run is said."""
    document = (
        f'<Response><UserInput {counts} Timeout="1"><Inputs><Input Key="1"><Hangup/></Input>'
        "</Inputs></UserInput></Response>"
    )
    _, program = compile_source(document, "menu.xml")
    done = run_scenario(parse_scenario('[input]\ndtmf = ["1"]\n', Path("s.toml")), program)
    (menu,) = [event for event in done.events if event.result == "menu"]
    said = "how Digits, MinDigits and MaxDigits combine is assumed" in menu.detail
    assert said is assumed, menu.golden()
