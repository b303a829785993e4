"""Linear in every dimension: regression tests for the quadratic spots that were fixed.

No test here measures time. Each counts the work a function does (comparisons, candidates
tried, children or tokens visited) at a size n, or at n and 2n, and holds it to a linear bound;
where no counter is natural, the large case is run in a subprocess under a generous deadline
that the quadratic version could not meet (it took minutes) while the linear one takes about a
second. benchmarks/bench_linear.py has the timings (docs/performance.md).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from deadline import within
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types

from ozml.lint import LintSettings, lint, lint_result
from ozml.lint.linter import active_rules
from ozml.lsp import convert as lsp_convert
from ozml.lsp import incremental
from ozml.lsp.scan import ScannedElement, scan
from ozml.nodes import Element, Text
from ozml.parser import ParseResult, parse
from ozml.positions import AttrInfo, Source, TagInfo

SETTINGS = LintSettings()


def _document(body: list[str]) -> str:
    return "<Response>\n  " + "\n  ".join(body) + "\n</Response>\n"


# --- positions: an attribute by name ------------------------------------------------------------


class _CountingName(str):
    """A name that counts how often it is compared for equality."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        _CountingName.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_attribute_lookup_compares_a_constant_number_of_names() -> None:
    # A finding per attribute of one element looks each attribute up by name; a scan of the
    # attributes per lookup made 80,000 attributes cost 80,000 x 40,000 comparisons.
    n = 2_000
    attributes = [AttrInfo(_CountingName(f"A{i}"), i, i, i, i, '"') for i in range(n)]
    info = TagInfo("Speak", 0, 6, 10 * n, True, attributes)
    _CountingName.compared = 0
    for i in range(n):
        found = info.attribute(_CountingName(f"A{i}"))
        assert found is attributes[i]
    assert info.attribute("missing") is None
    assert _CountingName.compared <= 3 * n


def test_attribute_lookup_keeps_the_first_of_a_name() -> None:
    first = AttrInfo("Text", 1, 5, 7, 8, '"')
    second = AttrInfo("Text", 10, 14, 16, 17, "'")
    info = TagInfo("Speak", 0, 6, 20, True, [first, second])
    assert info.attribute("Text") is first


def test_reported_case_every_attribute_span_of_80000_attributes() -> None:
    # The case: 80,000 attributes on one element (869 KB), a finding on each. Only the
    # positions are computed here (the lxml tree is not needed for them).
    within(
        """
        from ozml.nodes import Element
        from ozml.positions import Source

        names = [f"Extra{i}" for i in range(80_000)]
        text = "<Response><Speak " + " ".join(f'{a}="v"' for a in names) + "/></Response>"
        assert len(text) > 869_000
        source = Source(text)
        speak = Element("Speak", index=1)
        last = None
        for name in names:
            span = source.attribute_span(speak, name)
            assert last is None or span.start > last
            last = span.start
        """
    )


# --- did-you-mean against the document's own names ----------------------------------------------


def _variables_document(n: int) -> str:
    """n Vars, each used; every 8th use misspelt (a did-you-mean against every Var)."""
    body = []
    for i in range(n):
        body.append(f'<Var Id="name{i}">value {i}</Var>')
        used = f"nmae{i}" if i % 8 == 7 else f"name{i}"
        body.append(f"<Speak>Hello ${used}, and ${used}.</Speak>")
    return _document(body)


def _candidates_tried(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    """How many candidates the did-you-mean searches of a lint compare (each is one
    SequenceMatcher.set_seq1), and the lint's messages."""
    tried = [0]
    original = difflib.SequenceMatcher.set_seq1

    def counted(self: difflib.SequenceMatcher[str], a: str) -> None:
        tried[0] += 1
        original(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counted)
    messages = [d.message for d in lint(text)]
    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", original)
    return tried[0], messages


def test_variable_suggestions_are_bounded_by_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: every misspelt use searched every Var (n/4 uses x n Vars: quadratic).
    small, messages = _candidates_tried(_variables_document(600), monkeypatch)
    large, _ = _candidates_tried(_variables_document(1_200), monkeypatch)
    assert large <= 2.5 * small
    assert small <= 40 * 600
    # The first misspelt uses still get their suggestion.
    assert "$nmae7 is not defined; did you mean $name7?" in messages


def test_a_misspelt_name_used_again_is_searched_once(monkeypatch: pytest.MonkeyPatch) -> None:
    body = [f'<Var Id="name{i}">value {i}</Var>' for i in range(50)]
    body += [f"<Speak>$name{i}</Speak>" for i in range(50)]
    body += ["<Speak>$nmae3</Speak>"] * 200
    tried, messages = _candidates_tried(_document(body), monkeypatch)
    assert messages.count("$nmae3 is not defined; did you mean $name3?") == 200
    assert tried <= 3 * 60


def test_suggestions_are_remembered_and_the_memory_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ozml.lint import suggest

    names = ["Speak", "Play", "Hangup", "ForwardCall"]
    first = suggest.closest("Speek", names), suggest.unambiguous("Speek", names)
    assert first == ("Speak", "Speak")

    def no_search(*args: object) -> None:
        raise AssertionError("searched again")

    monkeypatch.setattr(suggest, "_best", no_search)
    monkeypatch.setattr(suggest, "_against", no_search)
    # The same question is answered from memory, for either function ...
    assert (suggest.closest("Speek", names), suggest.unambiguous("Speek", names)) == first
    # ... and a different list of candidates is a different question.
    with pytest.raises(AssertionError, match="searched again"):
        suggest.closest("Speek", [*names, "Speaker"])
    monkeypatch.undo()
    for i in range(2 * suggest._ANSWERS_KEPT):
        suggest.closest(f"name{i}", names)
        assert len(suggest._ANSWERS) <= suggest._ANSWERS_KEPT


def test_closest_gives_difflibs_first_match() -> None:
    import random

    from ozml.lint.suggest import closest

    def reference(name: str, candidates: list[str], cutoff: float) -> str | None:
        pool = {c.lower(): c for c in candidates}
        found = difflib.get_close_matches(name.lower(), list(pool), n=2, cutoff=cutoff)
        return pool[found[0]] if found else None

    rng = random.Random(9)
    letters = "abcdeAB"
    for _ in range(5_000):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(0, 7)))
        pool = [
            "".join(rng.choice(letters) for _ in range(rng.randint(0, 7)))
            for _ in range(rng.randint(0, 8))
        ]
        cutoff = rng.choice([0.0, 0.6, 0.7, 0.9, 1.0])
        assert closest(word, pool, cutoff) == reference(word, pool, cutoff)


# --- variables: uses before many definitions, positions of many uses ----------------------------


def test_uses_before_many_definitions_look_at_each_definition_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # n uses of $late come before n Vars named late: each use used to walk every definition.
    import ozml.lint.variables as variables

    calls = [0]
    original = variables.inside

    def counted(rec: object, names: frozenset[str]) -> object:
        calls[0] += 1
        return original(rec, names)  # type: ignore[arg-type]

    monkeypatch.setattr(variables, "inside", counted)
    n = 400
    body = ["<Speak>Early $late</Speak>" for _ in range(n)]
    body += [f'<Var Id="late">{i}</Var>' for i in range(n)]
    found = lint(_document(body))
    assert sum(d.code == "OZ701" for d in found) == n
    assert calls[0] <= 4 * n


def test_positions_of_many_uses_in_one_value_scan_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each use's position used to be found by scanning its value from the start again.
    import ozml.lint.variables as variables

    seen = [0]
    original = variables.tokens

    def counted(value: str, *syntaxes: Any) -> Iterator[object]:
        for match in original(value, *syntaxes):
            seen[0] += 1
            yield match

    monkeypatch.setattr(variables, "tokens", counted)
    n = 500
    words = " ".join(f"$v{i}" for i in range(n))
    text = _document([f"<Speak>{words}</Speak>", f'<SendSms Recipient="1" Message="{words}"/>'])
    found = [d for d in lint(text) if d.code == "OZ701"]
    assert len(found) == 2 * n
    assert len({(d.line, d.column) for d in found}) == 2 * n
    assert seen[0] <= 6 * n


def _menus(depth: int, commands: int, comment: str) -> str:
    """Menus nested `depth` deep, each level's text using an undefined ``$level``, around
    `commands` Speaks that each use an undefined ``$x``."""
    inner = "".join(f"<Speak>say $x{i}</Speak>" for i in range(commands))
    for level in range(depth):
        inner = (
            f'<UserInput><Inputs><Input Key="1">{comment} $level{level} {inner} $level{level}'
            "</Input></Inputs></UserInput>"
        )
    return f"<Response>{inner}</Response>"


@pytest.mark.parametrize("comment", ["", "<!-- $note -->"])
def test_placing_uses_reads_each_element_s_own_text_not_its_descendants_again(
    monkeypatch: pytest.MonkeyPatch, comment: str
) -> None:
    # Placing a use in an element's text read the element's whole content, its descendants'
    # included, to mask template parts, find comments and find the `$` tokens: once for each
    # ancestor with a finding, so menus nested d deep read the document about d times.
    import ozml.catalog.values as values
    import ozml.lint.variables as variables

    read = [0]
    tokens, spans = variables.tokens, values.delimited_spans

    def counted_tokens(value: str, *syntaxes: Any) -> Iterator[Any]:
        read[0] += len(value)
        return tokens(value, *syntaxes)

    def counted_spans(text: str, *rest: Any) -> Iterator[tuple[int, int]]:
        read[0] += len(text)
        return spans(text, *rest)

    monkeypatch.setattr(variables, "tokens", counted_tokens)
    monkeypatch.setattr(values, "delimited_spans", counted_spans)
    for depth in (8, 32):
        text = _menus(depth, 500, comment)
        read[0] = 0
        found = [d for d in lint(text) if d.code == "OZ701"]
        # Each level's two uses and each Speak's, at their own places.
        assert len(found) == 2 * depth + 500
        assert len({(d.line, d.column) for d in found}) == len(found)
        # The analysis reads each value once and placing reads each element's own text once:
        # a few times the document, whatever the depth (it was about `depth` times).
        assert read[0] <= 4 * len(text), (depth, read[0], len(text))


# --- the language server's re-lint: the root once, not once per command -------------------------


class _CountingChildren(tuple):  # type: ignore[type-arg]
    """Children that count how many of them are visited."""

    visited = 0

    def __iter__(self) -> Iterator[object]:
        for child in tuple.__iter__(self):
            _CountingChildren.visited += 1
            yield child


def _root_children_visited(n: int) -> int:
    body = [f'<Speak Language="en-US">Hello {i}</Speak>' for i in range(n)]
    body.append("<ForwardCall/>")  # one finding, so that every command is linted
    result = parse(_document(body))
    root = result.document.root
    assert root is not None
    counting = attrs.evolve(root, children=_CountingChildren(root.children))
    document = attrs.evolve(result.document, root=counting)
    wrapped = ParseResult(document, result.source, result.problems)
    _CountingChildren.visited = 0
    found, _ = incremental.lint(wrapped, SETTINGS, active_rules(SETTINGS), None)
    assert [d.code for d in found] == [d.code for d in lint_result(result, SETTINGS)]
    return _CountingChildren.visited


def test_the_first_lint_of_an_open_document_visits_the_roots_children_a_few_times() -> None:
    # Each top-level command is linted with the root; a rule looking for the root's text
    # used to visit all of its children for each command.
    small = _root_children_visited(200)
    large = _root_children_visited(400)
    assert large <= 2.5 * small
    assert small <= 10 * 200


# --- the language server's tolerant scan --------------------------------------------------------


def test_stray_end_tags_do_not_search_the_open_elements(monkeypatch: pytest.MonkeyPatch) -> None:
    looked = [0]
    original = ScannedElement.name

    def counted(self: ScannedElement) -> str:
        looked[0] += 1
        return self.tag.name

    monkeypatch.setattr(ScannedElement, "name", property(counted))
    n = 1_000
    text = "<Response>" + "<Speak>x" * n + "</Play>" * n + "</Speak></Response>"
    found = scan(text)
    monkeypatch.setattr(ScannedElement, "name", original)
    assert len(list(found.elements())) == n + 1
    assert looked[0] <= 4 * n


def test_reported_case_a_document_being_typed_with_deep_open_elements() -> None:
    # 50,000 open elements, each with a $variable in its text, then 50,000 stray end tags and
    # a Var set and read 20,000 times: scan, completion's open-element stack, the variable
    # index and find-references all used to walk the open elements or the definitions per
    # token.
    within(
        """
        from ozml.lsp.scan import open_stack, scan
        from ozml.lsp.variables import Variables

        n = 50_000
        text = (
            "<Response>"
            + '<Var Id="total">0</Var><Speak>$total</Speak>' * 20_000
            + "".join(f"<Speak>Hello $who{i % 10} " for i in range(n))
            + "</Play>" * n
        )
        scanned = scan(text)
        stack, _, _ = open_stack(text, len(text))
        assert len(stack) == n + 1
        found = Variables(scanned)
        assert len(found.references) == n + 20_000
        total = found.at(text.index("$total") + 1)
        assert total is not None
        assert len(found.uses(total)) == 20_000
        """
    )


def test_elements_keep_their_text_owner() -> None:
    # The owner noted while scanning is the element `element_at` finds, for every text.
    text = "<A>one<B>two $x<C/>three</A> four <![CDATA[$y]]><D>five</D>"
    scanned = scan(text)
    assert len(scanned.text_owners) == len(scanned.texts)
    for (start, end), owner in zip(scanned.texts, scanned.text_owners, strict=True):
        for offset in range(start, end):
            assert scanned.element_at(offset) is owner


def test_a_parsed_element_is_found_by_its_index() -> None:
    # Guard for the positions test above: Element(index=1) is the first child's start tag.
    source = Source('<Response><Speak A="1" B="2"/></Response>')
    span = source.attribute_span(Element("Speak", index=1), "B")
    assert (span.line, span.column) == (1, 24)


# --- template placeholders ----------------------------------------------------------------------


def test_template_spans_are_what_the_regular_expression_finds() -> None:
    import random

    from ozml.catalog.values import TEMPLATE, template_spans

    pieces = ["{", "}", "{{", "}}", "{%", "%}", "<", "?>", "<?php", "<?=", "${", "<%", "%>", "a"]
    rng = random.Random(11)
    for _ in range(20_000):
        value = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert list(template_spans(value)) == [m.span() for m in TEMPLATE.finditer(value)], value


def test_reported_case_values_full_of_unclosed_template_openers() -> None:
    # Each opener without a closer used to be searched to the end of the value: 100,000 of
    # them took minutes in every check of a value (dynamic or not) and in the variable rules.
    within(
        """
        from ozml.catalog.values import is_dynamic
        from ozml.lint import lint

        for opener in ("{{", "{%", "<?php", "<%", "${"):
            assert not is_dynamic(opener * 100_000)
        value = "{{" * 50_000 + " $nobody"
        found = lint(f'<Response><Speak Language="{value}">{value}</Speak></Response>')
        assert [d.code for d in found].count("OZ701") == 2
        """
    )


# --- lxml's attribute access, and positions on one long line ------------------------------------


def test_reported_case_an_element_with_200000_attributes_parses() -> None:
    # lxml's attrib.items() looks every value up by name: 40,000 attributes took 4.5 s, 200,000
    # would take minutes. The parser reads a large attribute list through XPath instead.
    within(
        """
        from ozml.parser import parse

        n = 200_000
        text = "<Response><Speak " + " ".join(f'a{i}="v{i}"' for i in range(n)) + "/></Response>"
        result = parse(text.encode(), "many.xml")
        speak = result.document.root.children[0]
        assert len(speak.attributes) == n
        assert speak.attributes[-1].name == f"a{n - 1}"
        """
    )


@pytest.mark.parametrize("wide", ["", "\U0001f600"])
def test_reported_case_100000_positions_on_one_long_line(wide: str) -> None:
    # The language server converted each position by measuring its line up to it: symbols and
    # findings on one line of 2 MB were quadratic. ASCII text and text with an emoji (the
    # table of wide characters) both stay linear.
    within(
        f"""
        from ozml.lsp.convert import UTF8, UTF16, LineIndex

        text = {wide!r} + "x" * 2_000_000
        for encoding in (UTF16, UTF8):
            index = LineIndex(text, encoding)
            step = len(text) // 100_000
            for offset in range(0, len(text), step):
                position = index.position(offset)
                assert position.line == 0
                assert index.offset(position) == offset
        """
    )


def test_reported_case_findings_and_comments_on_one_line() -> None:
    # Each finding walked every suppression comment of its line to find the one that takes
    # it: a document written on one line, with a comment after every tenth element, was
    # quadratic (100,000 findings and 10,000 comments: minutes). Both passes now work out
    # once per line which comment takes which code (`ozml.lint.noqa.Chooser`).
    within(
        """
        from ozml.lint import lint

        body = []
        for i in range(100_000):
            body.append('<Play Repeat="True">a.wav</Play>')
            if i % 10 == 0:
                body.append("<!-- ozml: noqa OZ103 -->")
        text = "<Response>" + "".join(body) + "</Response>"
        found = lint(text)
        assert sum(d.code != "OZ901" for d in found) == 100_000, len(found)
        """,
        seconds=40.0,
    )


def test_reported_case_item_in_many_loops_proven_clean_in_a_long_run() -> None:
    # The quick check's reading of the variables in the bytes (the regular expressions, in a
    # run of 1,000 files or more) looked for each $item's ForEach among every ForEach before
    # it: a 1 MiB document of 12,482 loops, each reading $item three times, took 50 s. The
    # uses now sweep the outermost loops once, in order (0.3 s).
    within(
        """
        from ozml.catalog import Context
        from ozml.lint.quick import is_clean, set_long_run
        from ozml.lint.quick_regex import MAX_BYTES

        loop = (
            '<ForEach Source="a"><Play>$item</Play><Play>$item</Play><Play>$item</Play>'
            "</ForEach>"
        )
        head = '<Response><Array Id="a"><Item>x.wav</Item></Array>'
        n = (MAX_BYTES - len(head) - len("</Response>")) // len(loop)
        data = (head + loop * n + "</Response>").encode()
        set_long_run(Context.ANY, True)
        assert is_clean(data)
        first = b'<ForEach Source="a"><Play>$item</Play>'
        outside = data.replace(first, b'<Play>$item</Play><ForEach Source="a">', 1)
        assert len(outside) == len(data)
        assert not is_clean(outside)  # the first use moved out of its loop
        """,
        seconds=15.0,
    )


# --- include and exclude globs: each ``*`` tried at few places ----------------------------------


def _retried_repeats(pattern: str) -> int:
    """How many unbounded repeats of `pattern` the regular-expression engine may go back into
    (each is tried at every place it can end): those outside atomic groups and assertions,
    and not possessive. One such repeat costs the length of the text times the rest; each
    more multiplies by the length again."""
    import re._parser as sre

    def count(items: Any) -> int:
        found = 0
        for op, arg in items:
            if op is sre.ATOMIC_GROUP or op is sre.ASSERT or op is sre.ASSERT_NOT:
                continue  # never gone back into
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
                _, high, body = arg
                found += high == sre.MAXREPEAT
                found += count(body)
            elif op is sre.POSSESSIVE_REPEAT:
                continue
            elif op is sre.SUBPATTERN:
                found += count(arg[-1])
            elif op is sre.BRANCH:
                found += max(count(branch) for branch in arg[1])
        return found

    return count(sre.parse(pattern))


@pytest.mark.parametrize(
    "glob",
    [
        "a*a*a*a*a*a*b",
        "*[!a]*[!a]*[!a]*b",
        "a**a**a**a**b",
        "**/x*y*z/**/*.xml",
        "gen*/*a*b*c*/**",
        "*[/]*a*b",
    ],
)
def test_a_glob_goes_back_into_one_repeat_at_most(glob: str) -> None:
    # `a*a*a*a*a*a*b` against a file name of 128 letters `a` took 171 s: each of the six
    # `*` was tried at every place (n to the sixth). Now each `*` before a run of characters
    # is tried where the run first follows it, and the last goes to the component's end: at
    # most the `**` before the glob's last piece is tried at every place.
    from ozml.files import Matcher, _translate

    assert _retried_repeats(_translate(glob)) <= 1
    matcher = Matcher(include=[glob], exclude=[glob], default_exclude=())
    for runs in (matcher._include_last, matcher._exclude_any, matcher._exclude_last):
        assert runs is not None
        assert _retried_repeats(runs.pattern) <= 1
    name = "a" * 250
    assert not matcher.excluded("x/" + name, walked=True, name=name)
    assert not matcher.included("x/" + name, name=name)
    assert not matcher.excluded(f"x/{name}/{name}/y", walked=False)


def test_the_plain_translation_went_back_into_every_star() -> None:
    # What the count above says of the expression globs were matched with before.
    assert _retried_repeats(r"a[^/]*a[^/]*a[^/]*a[^/]*a[^/]*a[^/]*b") == 6


# --- texts written as many CDATA sections -------------------------------------------------------


def test_a_text_of_many_cdata_sections_is_one_node_of_lxml_s_tree() -> None:
    # lxml kept each CDATA section as a node of its own and joined an element's text nodes
    # at every `.text` and `.tail`, one by one into a new string: quadratic in the sections
    # (64,000 of them between words took 0.4 s). Read by ozml's parsers, each text is one node.
    from lxml import etree

    from ozml.xmlparser import new_parser, pull_parser, xml_parser

    pieces = "".join(f"<![CDATA[a{i} <b>]]>x" for i in range(1_000))
    data = f"<Response><Speak>{pieces}</Speak><Hangup/>{pieces}</Response>".encode()
    whole = "".join(f"a{i} <b>x" for i in range(1_000))
    for parser in (xml_parser(), new_parser()):
        root = etree.fromstring(data, parser)
        speak, hangup = root
        assert len(speak.xpath("text()")) == 1
        assert len(root.xpath("text()")) == 1  # the Hangup's tail
        assert speak.text == whole
        assert hangup.tail == whole
    reader = pull_parser()
    reader.feed(data)
    root = reader.close()
    assert len(root[0].xpath("text()")) == 1
    assert root[0].text == whole


def test_a_text_of_cdata_sections_still_says_it_was_cdata() -> None:
    result = parse(b"<Response><Speak><![CDATA[a <b>]]> and <![CDATA[c]]></Speak></Response>")
    assert result.document.root is not None
    speak = result.document.root.children[0]
    assert isinstance(speak, Element)
    (text,) = speak.children
    assert isinstance(text, Text)
    assert text.value == "a <b> and c"
    assert text.cdata


# --- the quick check's schema and texts of many pieces ------------------------------------------


def _speak_of(pieces: int, piece: str) -> bytes:
    return f"<Response><Speak>{piece * pieces}</Speak></Response>".encode()


@pytest.mark.parametrize("piece", ["&#65;", "a&lt;", "&amp;b"])
def test_a_text_of_many_references_is_left_to_the_linter(
    piece: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # libxml2's schema validation copies the part of an element's text read so far at each
    # reference or comment in it: a text of n pieces cost n squared (320,000 references in
    # one Speak took 0.7 s, 10 MB of them 25 s). The quick check proves no document
    # with more than MAX_PIECES of them clean; the linter reads them in linear time.
    from lxml import etree

    from ozml.lint import quick

    validated: list[bytes] = []
    fromstring = etree.fromstring

    def counted(data: bytes, parser: etree.XMLParser | None = None) -> etree._Element:
        validated.append(data)
        return fromstring(data, parser)

    monkeypatch.setattr(etree, "fromstring", counted)
    few, many = _speak_of(quick.MAX_PIECES, piece), _speak_of(quick.MAX_PIECES + 1, piece)
    assert quick.prove_by_schema(few)
    assert few in validated
    assert not quick.prove_by_schema(many)
    assert many not in validated
    assert lint(many.decode()) == []


def test_comments_count_as_pieces_too() -> None:
    from ozml.lint import quick

    at_most = quick.MAX_PIECES // 2
    data = _speak_of(at_most, "&amp;").replace(b"<Speak>", b"<!-- x -->" * at_most + b"<Speak>")
    assert quick.prove_by_schema(data)
    assert not quick.prove_by_schema(data.replace(b"<Speak>", b"<!-- x --><Speak>"))


# --- the text report's excerpt of a long line ---------------------------------------------------


class _SlicedText(str):
    """A document's text that counts the characters its slices copy."""

    copied = 0

    def __getitem__(self, key: Any) -> str:
        piece = str.__getitem__(self, key)
        if isinstance(key, slice):
            _SlicedText.copied += len(piece)
        return piece


def test_the_excerpts_of_findings_on_one_long_line_copy_only_their_windows() -> None:
    # The text report copied a finding's whole line to show 120 characters of it: n findings
    # on a document written on one line cost n times the line.
    from ozml.diagnostics import Span
    from ozml.report.excerpt import WIDTH, excerpt_lines

    n = 1_000
    line = "".join(f'<Speak Bogus="{i:05d}">Hi</Speak>' for i in range(n))
    source = Source(_SlicedText("<Response>" + line + "</Response>\n<Hangup/>\n"))
    _SlicedText.copied = 0
    shown = []
    for i in range(n):
        start = source.text.index(f'"{i:05d}"') - len("Bogus=")
        span = Span(1, start + 1, 1, start + 14, start, start + 13)
        found = excerpt_lines(source, span)
        assert found is not None
        shown.append(found)
    assert _SlicedText.copied <= n * (WIDTH + 10)
    number, text, carets = shown[500]
    assert number == "1"
    assert text.startswith("...")
    assert text.endswith("...")
    assert text[carets.index("^") :].startswith('Bogus="00500"')
    assert len(text) == WIDTH + 6


# --- the language server: many changes in one didChange -----------------------------------------


def _one_by_one(
    index: lsp_convert.LineIndex,
    changes: list[types.TextDocumentContentChangeEvent],
) -> lsp_convert.LineIndex:
    """The changes made one by one, each to the result of the one before (the definition)."""
    for change in changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            index = index.edited(*index.offsets(change.range), change.text)
        else:
            index = lsp_convert.LineIndex(change.text, index.encoding)
    return index


def _replace_all(n: int) -> tuple[str, list[types.TextDocumentContentChangeEvent]]:
    """A document of n lines and the changes of a replace-all on every line, last first."""
    text = "<Response>\n" + "".join(f"  <Speak>Hello {i}</Speak>\n" for i in range(n))
    changes: list[types.TextDocumentContentChangeEvent] = [
        types.TextDocumentContentChangePartial(
            types.Range(types.Position(i + 1, 9), types.Position(i + 1, 14)), "Bye\r\n"
        )
        for i in reversed(range(n))
    ]
    return text + "</Response>\n", changes


def test_a_replace_all_in_one_didchange_makes_the_text_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A replace-all (or an edit at many cursors) comes as one didChange of n changes, the
    # last first. Made one by one, each copied the whole text and its line starts: 8,000
    # changes to a document of 8,000 lines took 2.5 s.
    from ozml.lsp.documents import OpenDocument

    text, changes = _replace_all(2_000)
    expected = _one_by_one(lsp_convert.LineIndex(text), changes)
    made = [0]
    edited = lsp_convert.LineIndex.edited
    init = lsp_convert.LineIndex.__init__

    def counted_edit(self: Any, *args: Any) -> Any:
        made[0] += 1
        return edited(self, *args)

    def counted_init(self: Any, *args: Any) -> None:
        made[0] += 1
        init(self, *args)

    doc = OpenDocument("file:///a.xml", text, 1)
    doc.index  # noqa: B018  (made before the changes come)
    monkeypatch.setattr(lsp_convert.LineIndex, "edited", counted_edit)
    monkeypatch.setattr(lsp_convert.LineIndex, "__init__", counted_init)
    doc.apply(changes, 2)
    assert made[0] == 1
    assert doc.text == expected.text
    assert doc.index.starts == expected.starts


_EDIT_TEXTS = st.sampled_from(["", "a", "\n", "\r", "\r\n", "é", "😀", "xy\nz", "\r\r\n"])
_SPOTS = st.tuples(st.integers(0, 6), st.integers(0, 9))


@st.composite
def _changes(draw: st.DrawFn) -> list[types.TextDocumentContentChangeEvent]:
    out: list[types.TextDocumentContentChangeEvent] = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 15)) == 0:
            out.append(types.TextDocumentContentChangeWholeDocument(draw(_EDIT_TEXTS)))
            continue
        (a, b), (c, d) = draw(_SPOTS), draw(_SPOTS)
        rng = types.Range(types.Position(a, b), types.Position(c, d))
        out.append(types.TextDocumentContentChangePartial(rng, draw(_EDIT_TEXTS)))
    return out


@settings(max_examples=800, deadline=None)
@given(
    st.lists(_EDIT_TEXTS, max_size=10).map("".join),
    _changes(),
    st.sampled_from([lsp_convert.UTF16, lsp_convert.UTF8, "utf-32"]),
)
def test_the_changes_of_a_didchange_made_at_once_are_the_changes_made_one_by_one(
    text: str, changes: list[types.TextDocumentContentChangeEvent], encoding: str
) -> None:
    index = lsp_convert.LineIndex(text, encoding)
    expected = _one_by_one(index, changes)
    found = index.changed(changes)
    assert found.text == expected.text
    assert found.starts == expected.starts
    # `plain` may stay False after the last wide character is deleted (an edit does not scan
    # the text it keeps); when it says True, offsets and code units must agree.
    for result in (found, expected):
        assert not result.plain or encoding == "utf-32" or result.text.isascii()
    ends = range(len(found.text) + 1)
    assert [found.position(o) for o in ends] == [expected.position(o) for o in ends]


# --- findings about texts: one search of the document for CDATA ----------------------------


def test_findings_about_texts_search_the_document_for_cdata_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each finding about an element's text asked whether the document may hold a CDATA
    # section (whose text is literal only by ozml's rule) with a search of the whole document:
    # 40,000 undefined variables in one text took 9 s in the language server.
    from ozml.lint import templated

    searched = [0]
    holds = templated.holds

    def counted(data: bytes, part: bytes, start: int = 0) -> bool:
        searched[0] += part == b"<![CDATA["
        return holds(data, part, start)

    monkeypatch.setattr(templated, "holds", counted)
    n = 500
    data = _document(['<Speak Bogus="1">' + "line $nobody\n" * n + "</Speak>"]).encode()
    found = lint_result(parse(data, "a.xml"), SETTINGS)
    assert [d.code for d in found].count("OZ701") == n
    assert searched[0] == 1


def test_findings_about_one_text_read_its_cdata_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each finding about a text with a CDATA section asked whether the text is literal only by
    # ozml's CDATA rule, reading the element's whole text: n findings cost n times the text.
    from ozml import templates

    read = [0]
    literal_in_cdata = templates.literal_in_cdata

    def counted(*args: Any) -> bool:
        read[0] += 1
        return literal_in_cdata(*args)

    monkeypatch.setattr(templates, "literal_in_cdata", counted)
    n = 300
    text = "line $nobody <![CDATA[{{ s }}]]>\n" * n
    found = lint(_document([f"<Speak>{text}</Speak>", f"<Play>{text}</Play>"]))
    undefined = [d for d in found if d.code == "OZ701"]
    assert len(undefined) == 2 * n
    assert all(templates.CDATA_ASSUMED in d.message for d in undefined)
    assert read[0] == 2


# --- the builder, the simulator ----------------------------------------------------------------


def test_building_an_element_of_many_attributes_compares_no_two_names() -> None:
    # Each attribute given to an element was compared with every one given before it (and the
    # tuple of them made again): n attributes cost n² (8,000 took 1.6 s). A mapping's names
    # are distinct, so none is compared with another.
    from ozml.builder import DeleteFile, UnknownElement

    n = 1_000
    given = {_CountingName(f"Extra{i}"): f"v{i}" for i in range(n)}
    _CountingName.compared = 0
    built = [UnknownElement("Whisper", attributes=given), DeleteFile(attributes=given)]
    assert _CountingName.compared <= 4 * n
    for element in built:
        assert [a.name for a in element.to_node().attributes] == list(given)


def test_finding_each_ended_call_compares_a_constant_number_of_ids() -> None:
    # The simulator's state view (GET /_ozml/calls/ID) found an ended call by comparing its ID
    # with every call that ended before it: a load test asking for each of n calls cost n².
    from ozml.callmodel.switchboard import ManualScheduler, Switchboard
    from ozml.simulator.config import default_config

    clock = ManualScheduler()
    board = Switchboard(default_config(), clock)
    n = 1_000
    ids = [_CountingName(f"call-{i}") for i in range(n)]
    for call_id in ids:
        board.place("+3620555", "999", origin="Inbound", call_id=call_id)  # not found: ends
    clock.run()
    assert len(board.history()) == n
    _CountingName.compared = 0
    found = [board.find(_CountingName(str(call_id))) for call_id in ids]
    assert [call.id if call else None for call in found] == ids
    assert _CountingName.compared <= 3 * n


def test_a_page_of_the_call_history_makes_records_for_that_page_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ListCallHistory made a record (times formatted, states named) of every call before it
    # cut the page out: paging through a history of n calls, 20 at a time, made n²/20 records.
    from datetime import datetime

    from ozml.callmodel.switchboard import ManualScheduler, Switchboard, format_time
    from ozml.simulator import commands
    from ozml.simulator.config import default_config

    config = default_config()
    clock = ManualScheduler()
    board = Switchboard(config, clock)
    n = 1_000
    for i in range(n):
        board.place("+3620555", "999", origin="Inbound", call_id=f"call-{i}")  # not found: ends
    clock.run()
    api = commands.Api(board, config)
    user = config.users[0]
    formatted = 0

    def counting(when: datetime) -> str:
        nonlocal formatted
        formatted += 1
        return format_time(when)

    monkeypatch.setattr(commands, "format_time", counting)
    auth = [("Username", user.username), ("Password", user.password)]
    ids = []
    for page in range(n // 20):
        reply = api.handle(
            [*auth, ("Command", "ListCallHistory"), ("PageNumber", str(page))]
        )
        assert reply.code == 200
        assert reply.payload[0] == ("TotalRecords", str(n))
        ids += [dict(fields)["CallId"] for _, fields in reply.payload[1:]]  # type: ignore[arg-type]
    assert ids == [f"call-{i}" for i in range(n)]
    assert formatted == n  # one StartTime a record; before: n for each of the n/20 pages


def test_reported_case_a_run_that_places_20000_calls() -> None:
    # Each call's end looked at every notification still queued (for one to answer before its
    # hangup) and at every call that had ended (for one that stopped the run): 16,000 placed
    # calls took 51 s, 20,000 would take 80. The queue is indexed by call now, and the run
    # keeps whether it stopped (benchmarks/bench_linear.py, `placed calls`).
    within(
        """
        from pathlib import Path

        from ozml.interpreter.runner import compile_source, run_scenario
        from ozml.interpreter.scenario import parse_scenario

        n = 20_000
        calls = "".join(f'<Call Dialed="{i}" Url="http://app.test/c"/>' for i in range(n))
        scenario = parse_scenario(
            '[urls]\\n"http://app.test/c" = "<Response><Speak>Hi</Speak></Response>"\\n'
            f"[engine]\\nmax_steps = {4 * n}\\n",
            Path("s.toml"),
        )
        _, program = compile_source(f"<Response>{calls}</Response>", "doc.xml")
        result = run_scenario(scenario, program)
        assert sum(1 for e in result.events if e.command == "notify") == n
        """,
        seconds=40,
    )
