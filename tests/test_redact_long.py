"""`ozml.api.redact.Redactor` with long secrets, and with runs that spell a secret in many ways.

A secret of 20,000 characters, each spelled its own way, is redacted whole, as text and as
bytes. A secret drawn from `UNAMBIGUOUS` is spelled only one way at each place: it holds none
of ``%``, ``&``, ``\\`` (a plain one could also start another character's spelling) nor ``Â``
or ``Ã`` (whose Latin-1 spellings are the first half of their UTF-8 ones), so the one match of
its spelled text, between two ``|``, is the whole of it.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_redact_properties import ALPHABET, _oracle, spelling

from ozml.api.redact import Redactor

CHARACTERS = list("ab01Ff%&\\#;+ x'\"<>\n=AÄé°Ã\x84€日\x00")
UNAMBIGUOUS = [c for c in CHARACTERS if c not in "%&\\ÂÃ"]
LONG = 20_000
#: A few spellings drawn for each character make the smallest example large, by design.
BIG = HealthCheck.large_base_example

@st.composite
def spelled_bytes(draw: st.DrawFn, char: str) -> bytes:
    """One spelling of `char` in bytes: a documented spelling in UTF-8, or the one byte of a
    Latin-1 character as HTTP/1.1 allows it in a header."""
    if 0x80 <= ord(char) < 0x100 and draw(st.booleans()):
        return bytes([ord(char)])
    return draw(spelling(char)).encode()


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


def test_text_with_a_lone_surrogate_is_redacted_around_it() -> None:
    # An exception's message may hold one (a file name decoded with surrogateescape).
    redactor = Redactor(["hunter2"])
    assert redactor.text("\udcff hunter2 \udcfe%68unter2") == "\udcff *** \udcfe***"
    assert redactor.text("\udcff nothing") == "\udcff nothing"
