"""The linter's records made from lxml's tree (`ozml.resolve.resolve_lxml`) are the records of
ozml's tree (`ozml.resolve.resolve`), field for field, and the tree a record builds when asked
for its element is the tree `parse` has always given, each record linked to its element. A lint
reads the records and never builds the tree of a plain document (`ParseResult.unbuilt`), with
findings or without."""

from __future__ import annotations

import gc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import documents as trees
from strategies import untidy
from test_parser_properties import documents as grammar
from test_parser_sharing import parsed, short_and_long

from ozml import parser
from ozml.lint.linter import lint_result
from ozml.nodes import Document
from ozml.parser import ParseResult, parse
from ozml.resolve import Resolved, resolve, resolve_lxml

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").rglob("*.xml"))


def described(records: list[Resolved]) -> list[tuple[object, ...]]:
    """Everything a rule may read of each record but its element. What the record says of its
    attributes without their nodes (`Resolved.written`, `Resolved.place_of`, `Resolved.params`)
    is read first: a record from lxml's tree makes the nodes only when asked for them."""
    return [
        (
            list(rec.written),
            [rec.place_of(param) for param in rec.command.params] if rec.command else [],
            rec.params(),
            rec.tag,
            rec.name,
            rec.index,
            rec.line,
            rec.depth,
            None if rec.parent is None else rec.parent.index,
            rec.match,
            rec.command,
            [(attr.name, attr.value, attr.templates, pm) for attr, pm in rec.attributes],
            rec.has_text,
            rec.text,
        )
        for rec in records
    ]


def same_records(text: str | bytes, share: bool = False) -> bool:
    """Compare the records of both ways for `text`; whether it was read from lxml's tree (a
    plain, well-formed document) rather than not at all. With `share`, the records keep names,
    short texts and attributes once, as those of a large document do."""
    eager = parse(text, "x.xml")
    with pytest.MonkeyPatch.context() as patch:
        if share:
            patch.setattr(parser, "SHARE_NAMES", -1)  # read by the parse (`reading`)
        lazy = parse(text, "x.xml")
        made = resolve_lxml(lazy)
    if made is None:
        assert lazy.unbuilt is None  # not plain, or not well-formed: the tree is built
        return False
    root = eager.document.root
    assert root is not None
    assert described(made) == described(resolve(root))
    assert lazy.unbuilt is not None  # reading the records built nothing
    # Asking one record for its element builds the tree once and links every record to its own.
    middle = made[len(made) // 2]
    lines = [rec.line for rec in made]  # kept beside the records until they are linked
    assert middle.element.index == middle.index
    assert lazy.unbuilt is None
    built = lazy.document.root
    assert built is not None
    assert all(rec.element is element for rec, element in zip(made, built.iter(), strict=True))
    assert [rec.line for rec in made] == lines  # now the elements' own
    assert lazy.document == eager.document
    return True


@SETTINGS
@given(grammar(), st.booleans())
def test_records_from_lxml_are_the_trees_from_the_grammar(
    doc: tuple[str, object], share: bool
) -> None:
    same_records(doc[0], share)


@SETTINGS
@given(trees(), st.data())
def test_records_from_lxml_are_the_trees_from_untidy_scripts(
    document: Document, data: st.DataObject
) -> None:
    same_records(data.draw(untidy(document)))


@pytest.mark.parametrize(
    "text",
    [
        "<Response/>",
        "<Response>  </Response>",
        "<Response><Speak>  Hello  </Speak><Hangup/></Response>",
        "<Response><Speak>Hello<!-- c --> <?x y?> world</Speak></Response>",
        "<Response><Speak>a<b/>c</Speak>tail<!--x-->  </Response>",
        "<Response>\n  <Speak Language='en-US' x='1'>\n    Hi\n  </Speak>\n</Response>",
        "<?xml version='1.0'?>\n<!-- before -->\n<Response><Delay>1</Delay></Response><!--after-->",
        "\ufeff<Response><speek Dialled='1'>x</speek></Response>",
        "<Response>" + "".join(f'<Speak A{i}="{i}"/>' for i in range(40)) + "</Response>",
        "<Response><Menu><Input Key='1'><Speak>a</Speak></Input></Menu></Response>",
    ],
)
def test_records_from_lxml_of_chosen_documents(text: str) -> None:
    assert same_records(text)
    assert same_records(text.encode("utf-8"))
    assert same_records(text, share=True)


def test_a_large_documents_records_share_their_names_texts_and_attributes() -> None:
    records = resolve_lxml(parsed(short_and_long(), True))
    assert records is not None
    speaks = records[1:]
    assert speaks[0].tag is speaks[4].tag
    # Short values: the attributes as written and the parameters they stand for are shared.
    assert speaks[0].written is speaks[1].written is speaks[2].written
    assert speaks[0].matches is speaks[1].matches is speaks[2].matches
    assert speaks[0].text is speaks[1].text
    # Long ones are not, but their names are.
    assert speaks[3].written == speaks[4].written
    assert speaks[3].written is not speaks[4].written
    assert speaks[3].matches == speaks[4].matches
    assert speaks[3].text is not speaks[4].text
    assert speaks[3].written[0][0] is speaks[0].written[0][0]
    # The attribute nodes, made when asked for, are those of the tree.
    assert speaks[0].attributes == speaks[1].attributes
    assert [attr for attr, _ in speaks[3].attributes] == list(speaks[3].element.attributes)


def test_documents_that_are_not_plain_build_their_tree() -> None:
    for text in (
        "<Response><Speak><![CDATA[x]]></Speak></Response>",
        "<Response xmlns='urn:x'><Speak>x</Speak></Response>",
        "<Response><Speak xml:lang='en'>x</Speak></Response>",
        "<Response><Speak>{{ name }}</Speak></Response>",
        "<Response><Speak>",
    ):
        assert not same_records(text), text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_records_from_lxml_of_the_shipped_examples(path: Path) -> None:
    same_records(path.read_bytes())


CLEAN = """<Response>
  <Var Id="who">caller</Var>
  <Speak Language="en-US">Hello $who</Speak>
  <UserInput Timeout="5">
    <InitialCommands><Speak>Press one</Speak></InitialCommands>
    <Inputs>
      <Input Key="1"><Speak>One</Speak><Hangup/></Input>
      <Input Key="2"><ForwardCall Destination="100"/></Input>
    </Inputs>
  </UserInput>
  <Play Repeat="true">a.wav</Play>
  <Hangup/>
</Response>"""
FINDINGS = """<Response>
  <speak>Hello $nobody</speak>
  <Speek>x</Speek>
  <ForwardCall/>
  <Play Repeat="yes" Dialled="1">a.wav</Play>
  <Record FinishedUrl="not a url"/>
  <Hangup/>
  <Speak>never</Speak>
</Response>"""


@pytest.mark.parametrize("text", [CLEAN, FINDINGS], ids=["clean", "findings"])
def test_a_lint_never_builds_the_tree_of_a_plain_document(text: str) -> None:
    result = parse(text, "x.xml")
    found = lint_result(result)
    assert bool(found) == (text is FINDINGS)
    assert result.unbuilt is not None
    # The findings are the ones a lint of the built tree gives, positions and fixes included.
    built = parse(text, "x.xml")
    assert built.document.root is not None
    assert lint_result(built) == found


def _lint_and_build(text: str) -> None:
    result = parse(text, "x.xml")
    lint_result(result)
    again = parse(text, "x.xml")
    records = resolve_lxml(again)
    if records is None:  # not plain: the tree is built already
        root = again.document.root
        assert root is not None
        records = resolve(root)
    assert records[-1].element.tag == records[-1].tag  # a plain document's tree built by it


def _left_for_the_collector(work: Callable[[], object]) -> list[object]:
    """What the cyclic collector finds unreachable after `work`, run with it paused."""
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        work()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was:
            gc.enable()


@pytest.mark.parametrize(
    "text",
    [CLEAN, FINDINGS, FINDINGS.replace("<Hangup/>", "{% if x %}<Hangup/>{% endif %}")],
    ids=["clean", "findings", "templated"],
)
def test_a_lint_leaves_nothing_for_the_cyclic_collector(text: str) -> None:
    """A document's records, its parse result and its source go by reference counting as soon
    as nothing holds them: a cycle among them left every linted document, some fifty objects
    for a small one, to the cyclic collector (docs/performance.md). So with a plain document's
    tree built through a record, and with a tree built for template parts."""
    _lint_and_build(text)  # the module-level caches and tables made first
    assert _left_for_the_collector(lambda: _lint_and_build(text)) == []


def test_a_large_documents_records_leave_nothing_for_the_cyclic_collector() -> None:
    """The same for a document read piece by piece, its records made as it was read. lxml's
    pull parser leaves a cycle of its own (the parser and its context: about twenty objects
    however large the document); none of what ozml made is in it."""
    text = "<Response>" + "<Speak>x</Speak><ForwardCall/>" * 5000 + "</Response>"

    def work() -> None:
        result = parse(text.encode(), "x.xml", records=True)
        assert result.streamed is not None
        assert len(lint_result(result)) == 5000

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser, "STREAM_FROM", 1000)
        work()
        left = _left_for_the_collector(work)
    assert len(left) < 50
    assert not [o for o in left if type(o).__module__.startswith("ozml")]


def test_one_tree_however_many_threads_ask() -> None:
    text = "<Response>" + "<Speak>x</Speak>" * 2000 + "</Response>"
    for _ in range(5):
        result = parse(text, "x.xml")
        records = resolve_lxml(result)
        assert records is not None
        with ThreadPoolExecutor(4) as pool:
            roots = list(pool.map(lambda rec: rec.element, records[::500] * 2))
        root = result.document.root
        assert root is not None
        assert all(
            rec.element is element for rec, element in zip(records, root.iter(), strict=True)
        )
        assert {id(el) for el in roots} <= {id(el) for el in root.iter()}


def test_results_compare_and_show_by_their_document() -> None:
    one, two = parse("<Response><Hangup/></Response>"), parse("<Response><Hangup/></Response>")
    assert isinstance(one, ParseResult)
    assert one.ok
    assert one.unbuilt is not None  # `ok` builds nothing
    assert one == one
    assert one != two  # each has its own source, compared by identity as it always was
    assert one.unbuilt is None  # comparing built them
    assert two.unbuilt is None
    assert one.document == two.document
    assert repr(one).startswith("ParseResult(document=Document(root=Element(tag='Response'")
    assert not parse("<Response>").ok
