"""`ozml.api.redact.Redactor` with long secrets, and its two engines against each other.

google-re2 matches the spellings of the secrets; where it refuses the expression (past its
memory budget), Python's ``re`` matches the same expression. The two must find the same
matches in any text and any bytes (`test_google_re2_and_python_re_redact_alike`, with short
secrets: Python's ``re`` takes time exponential in a secret's length where its spellings can
split one run of text in many ways), and a secret of 20,000 characters, each spelled its own
way, is redacted whole, as text and as bytes.

A secret drawn from `UNAMBIGUOUS` is spelled only one way at each place: it holds none of
``%``, ``&``, ``\\`` (a plain one could also start another character's spelling) nor ``Â`` or
``Ã`` (whose Latin-1 spellings are the first half of their UTF-8 ones), so the one match of its
spelled text, between two ``|``, is the whole of it.
"""

from __future__ import annotations

import random
from unittest import mock

import pytest
import re2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_redact_properties import ALPHABET, _oracle, spelling

from ozml.api import redact
from ozml.api.redact import Redactor

CHARACTERS = list("ab01Ff%&\\#;+ x'\"<>\n=AÄé°Ã\x84€日\x00")
UNAMBIGUOUS = [c for c in CHARACTERS if c not in "%&\\ÂÃ"]
LONG = 20_000
#: A few spellings drawn for each character make the smallest example large, by design.
BIG = HealthCheck.large_base_example

#: A budget google-re2 takes no expression of a secret within.
REFUSED = 1024


def _python(secrets: list[str]) -> Redactor:
    """A redactor of `secrets` whose expression google-re2 refuses (within `REFUSED` bytes),
    so that Python's ``re`` matches it, as the redactor did before google-re2 did."""
    pattern = redact._pattern(secrets)
    assert pattern is not None
    with mock.patch.object(redact, "_budget", return_value=REFUSED):
        for latin1 in (False, True):
            with pytest.raises(re2.error):
                redact._compiled(pattern, latin1=latin1)
        redactor = Redactor(secrets)
        redactor.data(b"")  # the bytes engine, made at the first use
    return redactor


@st.composite
def spelled_bytes(draw: st.DrawFn, char: str) -> bytes:
    """One spelling of `char` in bytes: a documented spelling in UTF-8, or the one byte of a
    Latin-1 character as HTTP/1.1 allows it in a header."""
    if 0x80 <= ord(char) < 0x100 and draw(st.booleans()):
        return bytes([ord(char)])
    return draw(spelling(char)).encode()


@st.composite
def mixed(draw: st.DrawFn, secrets: list[str]) -> tuple[str, bytes]:
    """Text holding spellings of `secrets`, whole or cut short, between drawn characters; and
    bytes holding the same in UTF-8 with Latin-1 bytes among them."""
    text, data = [], []
    for _ in range(draw(st.integers(1, 4))):
        secret = draw(st.sampled_from(secrets))
        cut = draw(st.integers(0, len(secret)))
        around = draw(st.text(ALPHABET, max_size=4))
        text += [around, *(draw(spelling(c)) for c in secret[:cut])]
        data += [around.encode(), *(draw(spelled_bytes(c)) for c in secret[:cut])]
    return "".join(text), b"".join(data)


@settings(max_examples=300, deadline=None)
@given(st.data(), st.lists(st.text(ALPHABET, min_size=3, max_size=6), min_size=1, max_size=2))
def test_google_re2_and_python_re_redact_alike(data: st.DataObject, secrets: list[str]) -> None:
    text, raw = data.draw(mixed(secrets))
    redactor, python = Redactor(secrets), _python(secrets)
    assert redactor.text(text) == python.text(text)
    assert redactor.data(raw) == python.data(raw)


def _spelled(rng: random.Random, secret: str, ways: dict[str, list[str]]) -> str:
    return "".join(rng.choice(ways[c]) for c in secret)


@settings(max_examples=5, deadline=None, suppress_health_check=[BIG])
@given(
    st.integers(0, 2**32),
    st.fixed_dictionaries({c: st.lists(spelling(c), min_size=1, max_size=3) for c in UNAMBIGUOUS}),
    st.fixed_dictionaries(
        {c: st.lists(spelled_bytes(c), min_size=1, max_size=3) for c in UNAMBIGUOUS}
    ),
)
def test_a_long_secret_in_any_mix_of_spellings_is_redacted_whole(
    seed: int, ways: dict[str, list[str]], byte_ways: dict[str, list[bytes]]
) -> None:
    rng = random.Random(seed)
    secret = "".join(rng.choice(UNAMBIGUOUS) for _ in range(LONG))
    redactor = Redactor(["user", secret])
    assert redactor.text(f"||{_spelled(rng, secret, ways)}||") == "||***||"
    assert redactor.text(f"||{secret}||{secret}||") == "||***||***||"
    spelled = b"".join(rng.choice(byte_ways[c]) for c in secret)
    assert redactor.data(b"||" + spelled + b"||") == b"||***||"


@settings(max_examples=2, deadline=None, suppress_health_check=[BIG])
@given(
    st.integers(0, 2**32),
    st.fixed_dictionaries({c: st.lists(spelling(c), min_size=1, max_size=3) for c in CHARACTERS}),
    st.text(ALPHABET, max_size=6),
    st.text(ALPHABET, max_size=6),
)
def test_a_long_secret_of_any_characters_leaves_no_spelling_of_it(
    seed: int, ways: dict[str, list[str]], before: str, after: str
) -> None:
    rng = random.Random(seed)
    secret = "".join(rng.choice(CHARACTERS) for _ in range(LONG))
    shown = Redactor([secret]).text(before + _spelled(rng, secret, ways) + after)
    assert "***" in shown
    assert _oracle(secret).search(shown) is None
    assert secret not in shown


def test_a_run_of_backslashes_is_matched_once_not_in_every_way_it_splits() -> None:
    # A backslash is spelled \\ or \\\\ (as repr shows it): 40 of them in a secret fit 60 in
    # the text in C(40, 20) ways. Python's re tried them one by one, and with no Z after the
    # run would not have finished in years (22 backslashes took 0.7 s, each 2 more 3.5 times
    # longer); each matcher since finds the same match in one pass.
    secret = "\\" * 40 + "Z"
    redactor = Redactor([secret])
    assert redactor.text("\\" * 60) == "\\" * 60
    assert redactor.text("\\" * 60 + "Z!") == "***!"
    assert redactor.data(b"\\" * 60) == b"\\" * 60
    assert redactor.data(b"\\" * 60 + b"Z!") == b"***!"


def test_what_google_re2_refuses_python_re_matches_alike() -> None:
    secret = "p%ss wörd&日" * 3
    text = "x" + "".join(f"%{b:02X}" for b in secret.encode()) + "&amp;" + secret + "y"
    for redactor in (Redactor([secret]), _python([secret])):
        assert redactor.text(text) == "x***&amp;***y"
        assert redactor.data(text.encode()) == b"x***&amp;***y"
        assert redactor.data(secret.encode().replace("ö".encode(), b"\xf6")) == b"***"


def test_text_with_a_lone_surrogate_is_redacted_around_it() -> None:
    # An exception's message may hold one (a file name decoded with surrogateescape).
    redactor = Redactor(["hunter2"])
    assert redactor.text("\udcff hunter2 \udcfe%68unter2") == "\udcff *** \udcfe***"
    assert redactor.text("\udcff nothing") == "\udcff nothing"


def test_two_secrets_of_one_length_are_tried_in_one_order() -> None:
    # "%41" (plain) and "Abc" (its A percent-encoded) both start at 0 of "%41bc": the one
    # tried first is the same in every run and for either order of the credentials (the
    # order of a set of strings differs from run to run): the first in character order.
    assert Redactor(["%41", "Abc"]).text("%41bc") == "***bc"
    assert Redactor(["Abc", "%41"]).text("%41bc") == "***bc"
    assert Redactor(["Abc", "%41"]).text("%41 %41bc") == "*** ***bc"
