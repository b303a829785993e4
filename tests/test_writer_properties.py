"""Round trips of the writer over trees drawn from the catalog (tests/strategies.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import documents, untidy

from ozml.nodes import Document
from ozml.parser import parse
from ozml.writer import apply_edits, encode_like, write

#: How a file may be stored: the declaration to put first (if any) and the encoding.
STORAGE = st.sampled_from(
    [
        ("", "utf-8", b""),
        ("", "utf-8", b"\xef\xbb\xbf"),
        ('<?xml version="1.0" encoding="UTF-16"?>', "utf-16-le", b"\xff\xfe"),
        ('<?xml version="1.0" encoding="UTF-16"?>', "utf-16-be", b"\xfe\xff"),
        ("<?xml version='1.0' encoding='ISO-8859-1'?>", "iso-8859-1", b""),
    ]
)


@settings(max_examples=80, deadline=None)
@given(documents())
def test_parse_of_write_is_the_same_tree(document: Document) -> None:
    text = write(document)
    assert parse(text).document == document
    assert parse(text.encode("utf-8")).document == document
    assert write(parse(text).document) == text


@settings(max_examples=50, deadline=None)
@given(documents().flatmap(untidy), STORAGE)
def test_preserving_mode_without_edits_gives_back_every_byte(
    text: str, storage: tuple[str, str, bytes]
) -> None:
    declaration, codec, bom = storage
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :]
    if codec == "iso-8859-1" and any(ord(c) > 0xFF for c in text):
        text = text.encode("iso-8859-1", "xmlcharrefreplace").decode("iso-8859-1")
    data = bom + (declaration + text).encode(codec)
    result = parse(data)
    assert result.ok, result.problems
    assert encode_like(apply_edits(result.source.text, []), result.source) == data
