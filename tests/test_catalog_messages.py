"""One wording for the findings about parameters (issue 11): `ozml.catalog.messages`.

The lint rules, the builder and the HTTP request validation word OZ201, OZ202, OZ303, OZ804,
OZ103, OZ107 and the "undocumented" citation through this one module; these tests pin its text
and check that no copy of it is left in the modules that use it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ozml.catalog import messages
from ozml.catalog.model import assumed, stated

ROOT = Path(__file__).resolve().parent.parent


def test_the_words() -> None:
    assert messages.missing_parameter("ForwardCall", "Destination") == (
        "ForwardCall needs Destination"
    )
    assert messages.missing_parameter("Speak", "Text", text=True) == (
        "Speak needs Text (as an attribute or as the element text)"
    )
    assert messages.missing_parameter("Play", "Party", scope=" in an HTTP request") == (
        "Play needs Party in an HTTP request"
    )
    assert messages.invalid_value("Speak", "Party", "caller, callee or all", "everyone") == (
        "Speak Party must be caller, callee or all, found 'everyone'"
    )
    assert messages.invalid_value("SendDTMF", "Party", "x", "calee", "callee") == (
        "SendDTMF Party must be x, found 'calee'; did you mean 'callee'?"
    )
    assert messages.invalid_value("Play", "Repeat", "true or false", "y" * 50) == (
        f"Play Repeat must be true or false, found '{'y' * 37}...'"
    )
    assert messages.invalid_text("Delay", "Time", "a number of seconds", "soon") == (
        "Delay Time (the element text) must be a number of seconds, found 'soon'"
    )
    assert messages.value_case("Speak", "Party", "Caller", "caller") == (
        "Speak Party value 'Caller' should be written 'caller'"
    )
    assert messages.malformed_url("Call", "Url", "htp://a", "why") == (
        "Call Url 'htp://a' is not a usable URL: why"
    )
    assert messages.unknown_parameter("ForwardCall", "Destnation", "Destination") == (
        "ForwardCall has no parameter Destnation; did you mean Destination?"
    )
    assert messages.unknown_parameter("ForwardCall", "Colour") == (
        "ForwardCall has no parameter Colour"
    )
    assert messages.no_parameters("Hangup", "X") == "Hangup takes no parameters, found X"
    assert messages.duplicate_parameter("ForwardCall", "Destination", "Destination", "d") == (
        "ForwardCall Destination is given twice, as Destination and as d"
    )
    assert messages.undocumented("spec §2 [oz4693]", "why") == (
        "; undocumented (spec §2 [oz4693]): why"
    )
    assert messages.undocumented("spec §2 [oz4693]") == "; undocumented (spec §2 [oz4693])"


def test_basis_qualify_ends_with_the_one_citation() -> None:
    basis = assumed("§2", "oz4693", why="UNKNOWN")
    once = basis.qualify("m")
    assert once == "m" + messages.undocumented("spec §2 [oz4693]", "UNKNOWN")
    assert basis.qualify(once) == once  # never cited twice
    assert stated("oz4693").qualify("m") == "m"


USERS = [
    "ozml/lint/rules/missing_parameter.py",
    "ozml/lint/rules/invalid_value.py",
    "ozml/lint/rules/non_canonical_case.py",
    "ozml/lint/rules/malformed_url.py",
    "ozml/lint/rules/unknown_attribute.py",
    "ozml/lint/rules/duplicate_parameter.py",
    "ozml/lint/context.py",
    "ozml/api/validate.py",
    "ozml/builder/base.py",
]

#: Fragments of the messages' wording: none may be spelt out again by a module that uses them.
FRAGMENTS = [
    '} needs {',
    "must be {expected}",
    "did you mean {guess",
    "(the element text) must be",
    "value {",
    "is not a usable URL",
    "has no parameter {name}",
    "takes no parameters",
    "is given twice",
    "; undocumented (",
    "not an OzML one",
    "not an HTTP API one",
    "(as an attribute or as the element text)",
]


@pytest.mark.parametrize("path", USERS)
def test_no_copy_of_the_wording_is_left(path: str) -> None:
    code = (ROOT / path).read_text(encoding="utf-8")
    lines = [line for line in code.splitlines() if "f\"" in line or "f'" in line]
    for fragment in FRAGMENTS:
        assert not any(fragment in line for line in lines), (path, fragment)
