"""A large document linted as it is read gives the findings of its lint as a whole.

`ozml.lint.linter.lint_document` lints a large plain document a run of records at a time, as
the parser makes them, and drops each run (`ozml.lint.stream`); the whole-document rules read
the runs through their folds (`ozml.lint.rule.Fold`). Every finding must be the one
`lint_result` gives from every record at once: the reference documents of the one-pass linter,
joined into large ones, in every context; random scripts whose definitions, uses, menus and
ends lie far apart; and the documents that are linted whole instead (the fallback), which say
so. A run's records are gone once the next is read.
"""

from __future__ import annotations

import gc
import random
import re
from collections.abc import Iterator

import pytest
import test_fused_equivalence as fused
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ozml.catalog import Context
from ozml.diagnostics import Diagnostic
from ozml.lint import RULES, LintSettings
from ozml.lint import linter as linter_module
from ozml.lint import stream as stream_module
from ozml.lint.context import LintContext
from ozml.parser import STREAM_FROM, parse
from ozml.resolve import Resolved

SETTINGS = [LintSettings(context=c, context_origin="--context") for c in Context]
#: Each joined document is about this large: a few runs more than the streaming threshold.
JOINED = STREAM_FROM + (STREAM_FROM >> 2)
_ROOT = re.compile(r"<Response(\s[^>]*)?>")


def whole(data: bytes, chosen: LintSettings) -> list[Diagnostic]:
    """The findings of the lint of every record at once (`lint_result`)."""
    parsed = parse(
        data, "doc.xml", max_bytes=chosen.max_bytes, templates=chosen.templates, records=True
    )
    return linter_module.lint_result(parsed, chosen)


class Watched:
    """`lint_document`, telling whether the document was linted as it was read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.streamed: list[bool] = []
        finish = stream_module.Stream.finish

        def watched(stream: stream_module.Stream, result: object) -> list[Diagnostic] | None:
            found = finish(stream, result)  # type: ignore[arg-type]
            self.streamed.append(found is not None)
            return found

        monkeypatch.setattr(stream_module.Stream, "finish", watched)

    def lint(self, data: bytes, chosen: LintSettings) -> tuple[list[Diagnostic], bool]:
        self.streamed.clear()
        found = linter_module.lint_document(data, "doc.xml", chosen)[1]
        assert len(self.streamed) == 1  # large enough to be read so
        return found, self.streamed[0]


def contents() -> Iterator[str]:
    """The commands of each reference document (`tests/test_fused_equivalence.py`) that is a
    well-formed plain ``<Response>`` without text of its own: what it holds between its
    root's tags."""
    for _, data in fused.documents():
        text = data.decode("utf-8", "replace")
        if re.search(r"<!--|<\?(?!xml )|<!\[CDATA\[|<!DOCTYPE|xmlns|xml:", text):
            continue
        parsed = parse(data, "doc.xml")
        if not parsed.ok or parsed.masked is not None:  # template parts: read whole
            continue
        root = LintContext(parsed, LintSettings()).root
        if root is None or root.has_text:  # the root's text: linted whole
            continue
        start = _ROOT.search(text)
        end = text.rfind("</Response>")
        if start is None or end < start.end():
            continue
        yield text[start.end() : end]


def joined(parts: Iterator[str], filler: str = "") -> Iterator[bytes]:
    """The parts, one after the other, in large documents (`JOINED` bytes each)."""
    pieces: list[str] = []
    size = 0
    for part in parts:
        pieces.append(part + filler)
        size += len(part) + len(filler)
        if size >= JOINED:
            yield ("<Response>" + "".join(pieces) + "</Response>\n").encode()
            pieces, size = [], 0
    if pieces:
        text = "<Response>" + "".join(pieces)
        text += "<Delay>1</Delay>" * ((JOINED - len(text)) // 16 + 1)
        yield (text + "</Response>\n").encode()


def test_reference_documents_joined_give_the_findings_of_a_whole_lint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    watched = Watched(monkeypatch)
    documents = 0
    findings = 0
    codes: set[str] = set()
    parts = list(contents())
    # Once in their order, once shuffled: other neighbours, other runs.
    shuffled = random.Random(5).sample(parts, len(parts))
    for data in [*joined(iter(parts)), *joined(iter(shuffled))]:
        documents += 1
        for chosen in SETTINGS:
            found, streamed = watched.lint(data, chosen)
            assert streamed
            expected = whole(data, chosen)
            assert fused.shown(found) == fused.shown(expected)
            findings += len(found)
            codes |= {d.code for d in found}
    assert documents >= 2
    assert findings > 10_000, findings
    # Every whole-document rule with a fold found something, but three that cannot here
    # (`test_definitions_and_uses_in_different_runs_are_matched` has them): the root of a
    # joined document is a Response (wrong-root); one part's GoTo goes on elsewhere, where
    # any variable may be used (unused-variable), and one defines $item (item-outside-foreach).
    ctx = LintContext(parse(b"<Response/>"), SETTINGS[0])
    folded = {rule.code for rule in RULES if rule().fold(ctx) is not None}
    assert folded - {"OZ101", "OZ702", "OZ704"} <= codes, folded - codes


# --- scripts whose parts lie in different runs ----------------------------------------------

_NAMES = ("alpha", "beta", "gamma")
#: What a random script is made of: each a command at the root, with NAME standing for a
#: variable's name.
_PARTS = (
    '<Var Id="NAME" Value="1"/>',
    "<Speak>Hello $NAME.</Speak>",
    '<SendSms Recipient="+3612345" Text="$NAME"/>',
    '<Array Id="NAME"><Item>a</Item><Item>b</Item></Array>',
    '<ForEach Source="NAME"><Speak>$item</Speak></ForEach>',
    "<Speak>$item</Speak>",
    "<Hangup/>",
    "<Reject/>",
    "<Exit/>",
    '<If Condition="1"><Hangup/><Speak>Never</Speak></If>',
    '<UserInput Digits="1"><Inputs><Input Key="1"><Speak>One</Speak></Input>'
    '<Input Key="1"><Speak>Again</Speak></Input><Input Key="22"/></Inputs></UserInput>',
    '<UserInput Repeat="true"/>',
    "<GoTo>http://example.com/next.xml</GoTo>",
    '<Var Id="NAME" Value="$NAME$NAME$NAME$NAME"/>',
    "<ForwardCall/>",
)


@st.composite
def scripts(draw: st.DrawFn) -> bytes:
    """A large script: random parts from `_PARTS` at random places among thousands of
    harmless commands, so that what one part defines and another uses are runs apart."""
    count = draw(st.integers(1, 12))
    rng = random.Random(draw(st.integers(0, 2**32)))
    filler = "<Delay>1</Delay>\n"
    slots = JOINED // len(filler)
    placed = {
        draw(st.integers(0, slots)): draw(st.sampled_from(_PARTS)).replace(
            "NAME", draw(st.sampled_from(_NAMES))
        )
        for _ in range(count)
    }
    body = [placed.get(i, filler) for i in range(slots)]
    if rng.random() < 0.5:
        body.insert(0, "<Reject/>")
    return ("<Response>" + "".join(body) + "</Response>\n").encode()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_scripts_with_far_apart_parts_give_the_findings_of_a_whole_lint(data: bytes) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        watched = Watched(monkeypatch)
        chosen = SETTINGS[0]
        found, streamed = watched.lint(data, chosen)
        assert streamed
        assert fused.shown(found) == fused.shown(whole(data, chosen))


def test_definitions_and_uses_in_different_runs_are_matched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    filler = "<Delay>1</Delay>" * (JOINED // 16)
    data = (
        '<Response><Var Id="early" Value="1"/>'
        + filler
        + "<Speak>$early and $late and $item</Speak>"
        + filler
        + '<Var Id="late" Value="2"/><Var Id="unused" Value="3"/><Hangup/><Speak>x</Speak>'
        + "</Response>"
    ).encode()
    found, streamed = Watched(monkeypatch).lint(data, SETTINGS[0])
    assert streamed
    codes = [(d.code, d.message) for d in found]
    assert ("OZ701", "$late is used before its Var on line 1") in codes
    assert not any("$early" in message for _, message in codes)
    assert any(code == "OZ702" and "unused" in message for code, message in codes)
    assert ("OZ704", "$item is set only inside ForEach") in codes
    assert any(code == "OZ402" and text.startswith("Speak never runs") for code, text in codes)
    assert fused.shown(found) == fused.shown(whole(data, SETTINGS[0]))


# --- documents linted whole instead ---------------------------------------------------------

_FILLER = "<Delay>1</Delay>\n" * (JOINED // 17)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # The root's own text is known only once the document is read.
        ("root text", f"<Response>Hello {_FILLER}<Speak>$x</Speak></Response>"),
        # The root's children are in every run: growing-variable reads an Array's Items.
        ("array root", "<Array Id='a'>" + "<Item>one</Item>" * (JOINED // 16) + "</Array>"),
        # A comment may suppress a finding; a processing instruction makes content dynamic.
        ("comment", f"<Response><!-- a note --><ForwardCall/>{_FILLER}</Response>"),
        ("pi", f"<Response><Speak><?php echo 1; ?></Speak>{_FILLER}<ForwardCall/></Response>"),
    ],
)
def test_documents_a_run_cannot_lint_are_linted_whole(
    monkeypatch: pytest.MonkeyPatch, name: str, text: str
) -> None:
    data = text.encode()
    found, streamed = Watched(monkeypatch).lint(data, SETTINGS[0])
    assert not streamed, name
    assert found, name
    assert fused.shown(found) == fused.shown(whole(data, SETTINGS[0]))


def test_a_document_in_another_encoding_keeps_its_records(monkeypatch: pytest.MonkeyPatch) -> None:
    """Positions may be worked out while the document is read, from its text decoded as the
    parser will say: only a document read as UTF-8 is linted so."""
    text = f'<?xml version="1.0" encoding="ISO-8859-1"?>\n<Response>{_FILLER}'
    data = (text + "<Speak>\xe9t\xe9</Speak><ForwardCall/></Response>\n").encode("latin-1")
    found, streamed = Watched(monkeypatch).lint(data, SETTINGS[0])
    assert not streamed
    (missing,) = [d for d in found if d.code == "OZ201"]
    assert missing.span.line == 2 + _FILLER.count("\n")
    assert missing.span.column == len("<Speak>\xe9t\xe9</Speak><") + 1  # at its name
    assert fused.shown(found) == fused.shown(whole(data, SETTINGS[0]))


def test_the_records_of_a_run_are_gone_once_it_is_linted(monkeypatch: pytest.MonkeyPatch) -> None:
    """However large the document, no more records are alive at once than about two runs'
    (the one linted, the one being made) and what the folds keep."""
    sizes: list[int] = []
    alive: list[int] = []
    take = stream_module.Stream.take

    def records_alive() -> int:
        # type(), not isinstance(): a lazy proxy among the objects would answer for another.
        return sum(type(thing) is Resolved for thing in gc.get_objects())

    def watched(stream: stream_module.Stream, result: object, records: list[Resolved]) -> None:
        sizes.append(len(records))
        take(stream, result, records)  # type: ignore[arg-type]
        alive.append(records_alive() - before)

    monkeypatch.setattr(stream_module.Stream, "take", watched)
    filler = '<Speak Language="en-US">Hello.</Speak><Delay>1</Delay><ForwardCall/>'
    data = ("<Response>" + filler * (JOINED // len(filler)) + "</Response>").encode()
    gc.collect()
    before = records_alive()  # those other tests left, in caches of theirs
    found = linter_module.lint_document(data, "doc.xml")[1]
    assert sum(sizes) > 50_000
    assert len(sizes) > 10
    assert max(alive) <= 2 * max(sizes) + 10
    assert len(found) == sum(sizes) // 3  # each ForwardCall's missing Destination
    assert found == whole(data, LintSettings())
