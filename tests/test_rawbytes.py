"""`ozml.rawbytes`: the searches every file goes through answer as ``in`` does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ozml.positions import Source
from ozml.rawbytes import _TRIES, SCREEN_FROM, holds, holds_any, wide

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


#: Where a large document's `holds` screens the part's bytes first: a padding of one byte of
#: the alphabet (or of none of it) before, after or around the data, so that each byte of a
#: part is found early, late or not at all.
PADS = st.sampled_from([b"<", b"=", b">", b" "])


@given(DATA, PIECES, PADS, st.sampled_from(["before", "after", "both"]), st.integers(0, 80))
def test_holds_in_a_large_document_answers_as_find_does(
    data: bytes, part: bytes, pad: bytes, where: str, start: int
) -> None:
    """From `SCREEN_FROM` bytes on, the part's bytes are looked for alone first: a byte the
    document does not hold settles it, and the answer is always `bytes.find`'s, from any
    start."""
    padding = pad * SCREEN_FROM
    large = {"before": padding + data, "after": data + padding, "both": padding + data + padding}[
        where
    ]
    assert len(large) >= SCREEN_FROM
    for begin in (0, start, len(large) - start, len(large) - SCREEN_FROM):
        assert holds(large, part, begin) is (large.find(part, begin) >= 0)
    assert holds(large, part) is (part in large)


@given(DATA, PIECES, st.integers(0, 70))
def test_holds_from_a_start_answers_as_find_does(data: bytes, part: bytes, start: int) -> None:
    assert holds(data, part, start) is (data.find(part, start) >= 0)


def test_a_part_absent_from_a_large_document_is_settled_by_one_of_its_bytes() -> None:
    """The screen itself: a byte of the part the document lacks answers, though the rest of
    the part is everywhere in it (and a part the document holds is still found)."""
    large = b"<Speak>hello</Speak>" * SCREEN_FROM
    assert not holds(large, b"<!DOCTYPE")
    assert not holds(large, b"<Speak>!")
    assert holds(large, b"</Speak><Speak>")
    assert holds(large + b"<!-- x -->", b"<!--", len(large) - 1)
    assert not holds(large + b"<!-- x -->", b"<!--", len(large) + 1)


def test_a_part_that_begins_with_a_bracket_is_found_by_its_second_byte() -> None:
    """``<?`` and ``<!--`` are looked for where their second byte is, a few places at a time
    (`_TRIES`), then by a search from the next: found wherever they are, and from any start."""
    large = b"<?xml version='1.0'?><R>" + b"<a>?</a>" * SCREEN_FROM
    assert not holds(large, b"<?", 2)
    assert holds(large, b"<?")
    assert holds(large + b"<?php ?>", b"<?", 2)
    assert not holds(large + b"<?php ?>", b"<?", len(large) + 1)
    for places in (0, _TRIES - 1, _TRIES, _TRIES + 1, 3 * _TRIES):
        few = b"?" * places
        assert holds(b"<R>" + few + b"<" * SCREEN_FROM + b"<?>", b"<?")
        assert not holds(b"<R>" + few + b"<" * SCREEN_FROM + b"?", b"<?x")
        assert holds(b"<R>" + few + b"<" * SCREEN_FROM + b"<!--", b"<!--", places)


def test_wide_documents_are_told_by_their_first_bytes() -> None:
    assert wide("<R/>".encode("utf-16"))  # with a byte order mark
    assert wide("<R/>".encode("utf-16-le"))  # without one: NULs between ASCII bytes
    assert wide("<R/>".encode("utf-16-be"))
    assert not wide(b"<R/>")
    assert not wide("\ufeff<R/>".encode())  # UTF-8, byte order mark and all
    assert not wide(b"<Response>\x00</Response>")  # a NUL past the first four bytes


TEXTS = st.text(st.sampled_from("<R/> ozml:$é\u20ac\U0001f600"), max_size=30)


@given(TEXTS, st.sampled_from(["ozml:", "$", "xml:space", "R/"]))
def test_a_source_holds_what_its_text_holds(text: str, part: str) -> None:
    """`Source.holds` searches the bytes as read, decoding only UTF-16: it answers as a search
    of the decoded text, in every encoding and for str input."""
    encodings = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1")
    for encoding in encodings:
        if encoding == "latin-1" and not text.isascii():
            continue
        # UTF-16 without a byte order mark (-le, -be) is told by its NULs.
        body = "<?xml version='1.0' encoding='" + encoding + "'?>" + text
        source = Source(body.encode(encoding), encoding=None)
        assert source.holds(part) == (part in source.text), encoding
    assert Source(text).holds(part) == (part in text)
