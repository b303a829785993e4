"""`ozml.rawbytes`: the searches every file goes through answer as ``in`` does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ozml.rawbytes import holds, holds_any

#: Short pieces over a small alphabet, so that a piece is often found.
PIECES = st.binary(max_size=4).map(lambda b: bytes(c % 3 + 60 for c in b))
DATA = st.binary(max_size=64).map(lambda b: bytes(c % 3 + 60 for c in b))


@given(DATA, PIECES)
def test_holds_answers_as_in_does(data: bytes, part: bytes) -> None:
    assert holds(data, part) is (part in data)


@given(DATA, st.lists(PIECES, max_size=4))
def test_holds_any_answers_as_any_in_does(data: bytes, parts: list[bytes]) -> None:
    assert holds_any(data, tuple(parts)) is any(part in data for part in parts)
    assert holds_any(data, frozenset(parts)) is any(part in data for part in parts)


def test_the_empty_part_is_in_everything() -> None:
    assert holds(b"", b"")
    assert holds(b"<Response/>", b"")
    assert not holds_any(b"<Response/>", ())
