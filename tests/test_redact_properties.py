"""`ozml.api.redact.Redactor` against drawn secrets and drawn spellings of them.

The module lists the spellings a server may echo a credential in (plain, percent-encoded with
either letter case of hex digits, ``+`` for a space, XML character references and entities,
``\\xNN`` escapes, Latin-1), in any mix, character by character. Here a secret is drawn, each of
its characters is spelled one of those ways, and the whole is put in drawn text: what is shown
holds no spelling of the secret (`_oracle`, written here from the module's documentation, not
from its code). Text that holds no spelling of it comes back unchanged.

A secret holding ``*`` is the one exception: the ``***`` that replaces it and the text beside it
can spell it again (secret ``a**``, text ``aa**``: ``a***``), though none of the characters that
were the secret are shown; `ALPHABET` leaves ``*`` out for that reason.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.api.redact import Redactor

#: Characters of secrets and of the text around them: the ones spellings give a meaning to,
#: Latin-1 and wider characters, a NUL and a line break.
ALPHABET = st.sampled_from(list("ab01Ff%&\\#;+ x'\"<>\n=AÄé°Ã\x84€日\x00"))
ENTITIES = {"&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos"}
REPR = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _digits(draw: st.DrawFn, value: int, width: int = 2) -> str:
    """`value` in hexadecimal, each letter in a drawn case."""
    return "".join(d.upper() if draw(st.booleans()) else d for d in f"{value:0{width}x}")


@st.composite
def spelling(draw: st.DrawFn, char: str) -> str:
    """One documented spelling of `char`, drawn."""
    code, utf8 = ord(char), char.encode()
    kinds = ["plain", "percent", "decimal", "hex"]
    if char == " ":
        kinds.append("plus")
    if not char.isascii() or not char.isprintable():
        kinds.append("bytes")
    if 0x80 <= code < 0x100:
        kinds += ["percent latin-1", "byte latin-1"]
    if char in REPR:
        kinds.append("repr")
    if char in ENTITIES:
        kinds.append("entity")
    kind = draw(st.sampled_from(kinds))
    zeros = "0" * draw(st.integers(0, 2))
    if kind == "plain":
        return char
    if kind == "percent":
        return "".join(f"%{_digits(draw, b)}" for b in utf8)
    if kind == "decimal":
        return f"&#{zeros}{code};"
    if kind == "hex":
        return f"&#{draw(st.sampled_from('xX'))}{zeros}{_digits(draw, code, 1)};"
    if kind == "plus":
        return "+"
    if kind == "bytes":
        return "".join(f"\\x{_digits(draw, b).lower()}" for b in utf8)
    if kind == "percent latin-1":
        return f"%{_digits(draw, code)}"
    if kind == "byte latin-1":
        return f"\\x{code:02x}"
    if kind == "repr":
        return REPR[char]
    return f"&{ENTITIES[char]};"


def _either(value: int, width: int = 2) -> str:
    """`value` in hexadecimal as a pattern taking either letter case."""
    return "".join(f"[{d}{d.upper()}]" if d.isalpha() else d for d in f"{value:0{width}x}")


def _oracle(secret: str) -> re.Pattern[str]:
    """Every documented spelling of `secret`, in any mix (for the small secrets drawn here)."""

    def one(char: str) -> str:
        code, utf8 = ord(char), char.encode()
        ways = [
            re.escape(char),
            "".join(f"%{_either(b)}" for b in utf8),
            rf"&\#0*{code};",
            rf"&\#[xX]0*{_either(code, 1)};",
        ]
        if char == " ":
            ways.append(r"\+")
        if not char.isascii() or not char.isprintable():
            ways.append("".join(rf"\\x{_either(b)}" for b in utf8))
        if 0x80 <= code < 0x100:
            ways += [f"%{_either(code)}", rf"\\x{_either(code)}"]
        if char in REPR:
            ways.append(re.escape(REPR[char]))
        if char in ENTITIES:
            ways.append(f"&{ENTITIES[char]};")
        return f"(?:{'|'.join(ways)})"

    return re.compile("".join(one(char) for char in secret))


@settings(max_examples=300, deadline=None)
@given(
    st.data(),
    st.text(ALPHABET, min_size=3, max_size=8),
    st.text(ALPHABET, max_size=6),
    st.text(ALPHABET, max_size=6),
)
def test_every_mix_of_spellings_of_a_secret_is_redacted(
    data: st.DataObject, secret: str, before: str, after: str
) -> None:
    spelled = "".join(data.draw(spelling(char)) for char in secret)
    text = before + spelled + after
    shown = Redactor([secret]).text(text)
    assert "***" in shown
    assert _oracle(secret).search(shown) is None, (secret, text, shown)
    assert secret not in shown


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, min_size=3, max_size=6), st.text(ALPHABET, max_size=30))
def test_text_that_holds_no_spelling_of_the_secret_is_unchanged(secret: str, text: str) -> None:
    if _oracle(secret).search(text) or re.search(r"(?i)(username|password)(=|%3d)", text):
        return  # a spelling, or a Username= / Password= pair, which is redacted whatever it holds
    assert Redactor([secret]).text(text) == text
