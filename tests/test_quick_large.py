"""A large document is validated by the quick check's strict schema as it is read
(`ozml.xmlparser.read_through`), without lxml's tree of it: the verdict is the one the whole
parse gives, and a document the schema rejects is never parsed whole.

The tests lower `LARGE` to 0, so that every document is taken for a large one, and compare with
the verdicts of the whole parse."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_lint_quick import _mutate, assert_sound, responses
from test_parser_properties import xmlish

from ozml import xmlparser
from ozml.builder import Response
from ozml.catalog import Context
from ozml.lint import quick
from ozml.lint.quick import prove_by_schema

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import big_document, document  # noqa: E402

_NEVER = 1 << 62


def verdicts(data: bytes) -> tuple[list[bool], list[bool]]:
    """The schema's verdicts in every context: (as a large document, as a small one)."""
    got: dict[int, list[bool]] = {}
    for large in (0, _NEVER):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(quick, "LARGE", large)
            got[large] = [prove_by_schema(data, context) for context in Context]
    return got[0], got[_NEVER]


def same_verdicts(data: bytes) -> None:
    streamed, whole = verdicts(data)
    assert streamed == whole, data.decode("utf-8", "replace")


def test_the_examples_and_the_corpus_get_the_whole_parses_verdicts() -> None:
    files = sorted((REPO / "examples").rglob("*.xml"))
    assert files
    for path in files:
        same_verdicts(path.read_bytes())
    rng = random.Random(5)
    docs = [document(rng).encode() for _ in range(200)]
    for doc in docs:
        same_verdicts(doc)
    assert sum(prove_by_schema(doc) for doc in docs) >= 100  # not vacuous


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses(), st.integers(0, 2**32))
def test_near_misses_get_the_whole_parses_verdicts(built: Response, seed: int) -> None:
    text = _mutate(random.Random(seed), built.to_xml())
    data = text.encode("utf-8", "surrogatepass")
    same_verdicts(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(quick, "LARGE", 0)
        assert_sound(data)  # and where it says clean, the linter agrees


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(xmlish())
def test_damaged_documents_get_the_whole_parses_verdicts(text: str) -> None:
    same_verdicts(text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize(
    "text",
    [
        "<Response><Hangup/>",  # never closed
        "<Response><Speak>a &amp b</Speak><Hangup/></Response>",  # no semicolon
        "<Response><Speak>a & b</Speak><Hangup/></Response>",
        "<Response><Speak>a</Speek><Hangup/></Response>",  # the wrong end tag
        "<Response><Hangup/></Response><Hangup/>",  # two roots
        "<Response><Speak a='1' a='2'>x</Speak><Hangup/></Response>",
        "<Response><Hangup/></Response>\x00",
    ],
)
def test_what_is_not_well_formed_is_never_clean(text: str) -> None:
    """lxml's pull parser recovers from these when a schema is attached: the quick check
    must not take its word for them."""
    data = text.encode("utf-8")
    assert verdicts(data) == ([False] * len(Context), [False] * len(Context))


def test_a_large_invalid_document_is_never_parsed_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    data = big_document(2_000_000).encode()  # a ForwardCall without Destination, mid-way
    assert len(data) >= quick.LARGE
    whole: list[object] = []
    parse_whole = etree.fromstring

    def spy(*args: object, **kwargs: object) -> object:
        whole.append(args)
        return parse_whole(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(etree, "fromstring", spy)
    assert not prove_by_schema(data)
    assert whole == []
    fixed = data.replace(b"<ForwardCall/>", b'<ForwardCall Destination="100"/>')
    assert prove_by_schema(fixed)  # valid, and nothing left for the tree tests
    assert whole == []


def test_a_large_invalid_document_is_read_only_up_to_its_first_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The schema's first error ends the reading: what follows cannot make the document
    clean. The pieces the pull parser is given say how far it read."""
    data = big_document(2_000_000).encode()  # a ForwardCall without Destination, mid-way
    error = data.index(b"<ForwardCall/>")
    fed: list[int] = []
    real = etree.XMLPullParser

    class Counting(real):  # type: ignore[misc, valid-type]
        def feed(self, piece: bytes) -> None:
            fed.append(len(piece))
            super().feed(piece)

    monkeypatch.setattr(etree, "XMLPullParser", Counting)
    assert not prove_by_schema(data)
    read = sum(fed)
    assert error < read < error + 2 * xmlparser.PIECE < len(data) // 2 + error // 2
    fed.clear()
    fixed = data.replace(b"<ForwardCall/>", b'<ForwardCall Destination="100"/>')
    assert prove_by_schema(fixed)
    assert sum(fed) >= len(fixed)  # a valid document is read to its end (then strictly again)
