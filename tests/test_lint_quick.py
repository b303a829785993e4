"""The quick check never changes a result: where it says clean, the linter finds nothing.

`ozml.lint.quick.is_clean` lets `ozml check` skip the syntax tree and the rules for documents it
can prove clean. It has two provers, each tested on its own here (`is_clean` uses the regular
expressions only in long runs): the strict schema validated by libxml2 (`prove_by_schema`) and
the regular expressions over the raw bytes (`prove_by_regex`). The tests hold both to that
promise on every rule's examples, the example files, the benchmark corpus, documents generated
from the catalog with random mistakes, builder documents, and near misses of clean documents
(one mutation each), in every context; they check that the provers are not vacuous (they do say
clean for clean documents), that the regular expressions accept nothing the schema does not,
and that the value forms accept only values the catalog's checks accept.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from strategies import responses

from ozml import templates
from ozml.builder import Response
from ozml.catalog import ALL, ChildPolicy, Command, Context, ElementKind, values
from ozml.cli import main
from ozml.lint import RULES, LintSettings, lint, urls
from ozml.lint import quick as quick_module
from ozml.lint.quick import COVERED, is_clean, plain_bytes, prove_by_regex, prove_by_schema
from ozml.lint.quick_plan import Form, integer_range, plan, value_form
from ozml.lint.quick_regex import MAX_DEPTH
from ozml.lint.quick_schema import PY_SPACE

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import document  # noqa: E402

CONTEXTS = list(Context)
PROVERS: dict[str, Callable[[bytes, Context], bool]] = {
    "schema": prove_by_schema,
    "regex": prove_by_regex,
}


def findings(data: bytes, context: Context) -> list[str]:
    found = lint(data, "doc.xml", LintSettings(context=context, context_origin="--context"))
    return [f"{d.code} {d.line}:{d.column} {d.message}" for d in found]


def assert_sound(data: bytes) -> int:
    """Where a prover says clean, the linter must agree; returns in how many contexts the
    schema said so. The regular expressions accept nothing the schema does not."""
    clean = 0
    for context in CONTEXTS:
        verdicts = {name: prove(data, context) for name, prove in PROVERS.items()}
        if verdicts["schema"] or verdicts["regex"]:
            shown = data.decode("utf-8", "replace")
            assert findings(data, context) == [], (context, verdicts, shown)
        assert not verdicts["regex"] or verdicts["schema"], (context, data)
        clean += verdicts["schema"]
    return clean


def test_every_rule_is_covered() -> None:
    """A new rule must be ruled out by the quick check before its code joins COVERED; until
    then `ozml check` would skip it on documents the quick check calls clean."""
    # The project rules never run per file: the quick check does not decide for them.
    missing = sorted(r.code for r in RULES if r.code not in COVERED and not r.project_rule)
    assert missing == [], f"add these rules to ozml.lint.quick (and COVERED): {missing}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_examples(rule) -> None:
    failing, passing = rule.examples()
    for shown in (failing, passing):
        if shown:
            assert_sound(shown.encode())
    if failing and findings(failing.encode(), Context.ANY):
        assert not is_clean(failing.encode(), Context.ANY)


def test_example_files_and_seeds() -> None:
    files = sorted((REPO / "examples").rglob("*.xml"))
    assert files
    for path in files:
        assert_sound(path.read_bytes())


def test_corpus_documents_and_that_the_provers_are_not_vacuous() -> None:
    rng = random.Random(11)
    docs = [document(rng).encode() for _ in range(300)]
    clean = sum(assert_sound(doc) > 0 for doc in docs)
    assert clean >= 200  # most corpus documents are clean, and the schema sees it
    by_regex = sum(prove_by_regex(doc, Context.ANY) for doc in docs)
    assert by_regex >= 200  # and so do the regular expressions


@pytest.mark.parametrize(
    "text",
    [
        "<Response><Speak>Hi</Speak></Response>",
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Hangup/>\n</Response>\n',
        '<Response><Var Id="n">5</Var><Speak>You are number $n.</Speak></Response>',
        (
            '<Response><Array Id="a"><Item>1</Item></Array>'
            '<ForEach Source="a"><Speak>$item</Speak></ForEach></Response>'
        ),
        (
            '<Response><UserInput><Inputs><Input Key="1"><Speak>x</Speak></Input>'
            "</Inputs></UserInput></Response>"
        ),
        (
            '<Response><Call Url="http://app.example.com:8080/c.php?x=1&amp;y=2">102</Call>'
            "</Response>"
        ),
        "\ufeff<Response>\n<Speak>Árvíztűrő tükörfúrógép &amp; more</Speak></Response>",
        (
            '<Response><Array Id="a"><Item>x</Item></Array><UserInput Timeout="5">'
            "<InitialCommands><Speak>Menu</Speak></InitialCommands><Inputs>"
            '<Input Key="1"><ForEach Source="a"><Speak>$item</Speak></ForEach></Input>'
            '<Input Key="2"><Hangup/></Input></Inputs></UserInput></Response>'
        ),
    ],
)
def test_clean_documents_are_recognised_by_both(text: str) -> None:
    data = text.encode()
    assert prove_by_schema(data)
    assert prove_by_regex(data)
    assert findings(data, Context.ANY) == []


@pytest.mark.parametrize(
    "text",
    [
        "<Response><!-- a note --><Speak>Hi</Speak><!-- another --></Response>",
        "<Response><Speak Language='en-US'>Hi</Speak></Response>",
        "<Response><Speak>&#72;i</Speak></Response>",
        '<Response><UserInput><Inputs><Input Key="1"><UserInput><Inputs><Input Key="1">'
        "<Speak>x</Speak></Input></Inputs></UserInput></Input></Inputs></UserInput></Response>",
    ],
)
def test_clean_documents_left_to_the_schema(text: str) -> None:
    """Forms the regular expressions leave to the schema: comments, single quotes, character
    references, a menu inside a menu."""
    data = text.encode()
    assert prove_by_schema(data)
    assert not prove_by_regex(data)
    assert findings(data, Context.ANY) == []


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE Response><Response/>",
        "<Response><![CDATA[x]]></Response>",
        "<Response><?php echo 1; ?></Response>",
        '<Response xmlns:x="urn:x"><Speak>Hi</Speak></Response>',
        "<Response><!-- ozml: noqa --><Speak>Hi</Speak></Response>",
        '<?xml version="1.0" encoding="EBCDIC-CP-US"?><Response/>',
        "\ufeff<Response/>".encode("utf-16").decode("latin-1"),
    ],
)
def test_constructs_left_to_the_linter(text: str) -> None:
    data = text.encode("latin-1")
    assert not plain_bytes(data)
    for context in CONTEXTS:
        assert not prove_by_regex(data, context)
        assert not prove_by_schema(data, context)


@pytest.mark.parametrize(
    "text",
    [
        "<Response><Reject/></Response>",  # reject-not-first is left to the linter
        '<Response><Var Id="n">5</Var></Response>',  # unused
        "<Response><Speak>$n</Speak></Response>",  # undefined
        '<Response><Speak>$n</Speak><Var Id="n">5</Var></Response>',  # used before defined
        '<Response><Var Id="n">$n</Var><Speak>$n</Speak></Response>',  # defined by itself
        "<Response><Speak>$item</Speak></Response>",
        '<Response><UserInput><Inputs><Input Key="1"><Speak>a</Speak></Input>'
        '<Input Key="1"><Speak>b</Speak></Input></Inputs></UserInput></Response>',
        '<Response><UserInput><Inputs><Input Key="10"><Speak>a</Speak></Input>'
        "</Inputs></UserInput></Response>",
        # Duplicate keys in a menu inside another menu's prompts, or inside one of its branches.
        "<Response><UserInput><InitialCommands><UserInput><Inputs>"
        '<Input Key="1"><Speak>a</Speak></Input><Input Key="1"><Speak>b</Speak></Input>'
        '</Inputs></UserInput></InitialCommands><Inputs><Input Key="0"><Hangup/></Input>'
        "</Inputs></UserInput></Response>",
        '<Response><UserInput><Inputs><Input Key="0"><UserInput><Inputs>'
        '<Input Key="2"><Speak>a</Speak></Input><Input Key="2"><Speak>b</Speak></Input>'
        "</Inputs></UserInput></Input></Inputs></UserInput></Response>",
        "<Response><GoTo>/menu.php</GoTo></Response>",
        "<Response><Hangup/><Speak>late</Speak></Response>",
        '<Response><Record Duration="10"/></Response>',
        '<Response><Hangup CallId="$x"/></Response>',
        '<Response><UserInput Timeout="$t"><Inputs><Input Key="1"><Speak>x</Speak></Input>'
        "</Inputs></UserInput></Response>",
        '<Response><Speak Language="en" Language="de">x</Speak></Response>',
        '<Response><Speak Language="en" language="de">x</Speak></Response>',
        # U+00A0 is text, not XML white space: an assumed finding each (ozml.xmlspace).
        "<Response><Delay>\u00a05</Delay></Response>",
        "<Response><Reject>\u00a0</Reject></Response>",
        "<Response>\u00a0<Hangup/></Response>",
        "<Response><Speak>a]]>b</Speak></Response>",
        "<Response><Speak>a\x0cb</Speak></Response>",
        '<Response><Speak Language\x0c="en">x</Speak></Response>',
    ],
)
def test_documents_with_findings_are_not_called_clean(text: str) -> None:
    data = text.encode()
    for context in CONTEXTS:
        if findings(data, context):
            assert not is_clean(data, context)
            for prove in PROVERS.values():
                assert not prove(data, context)


def test_deep_nesting_is_left_to_the_schema() -> None:
    body = "<Speak>x</Speak>"
    for _ in range(MAX_DEPTH + 2):
        body = f'<UserInput><Inputs><Input Key="1">{body}</Input></Inputs></UserInput>'
    data = f"<Response>{body}</Response>".encode()
    assert not prove_by_regex(data)
    assert_sound(data)


_LOOP_BLOCKS = st.recursive(
    st.sampled_from(["<Speak>$item</Speak>", "<Speak>Hi</Speak>", '<Play Repeat="1">$item</Play>']),
    lambda inner: st.lists(inner, min_size=1, max_size=4).map(
        lambda parts: '<ForEach Source="a">' + "".join(parts) + "</ForEach>"
    ),
    max_leaves=12,
)


_LOOP = '<ForEach Source="a"><Speak>$item</Speak></ForEach>'


@settings(max_examples=150, deadline=None)
@given(st.lists(_LOOP_BLOCKS, min_size=1, max_size=6))
@example(["<Speak>$item</Speak>", _LOOP])  # before the first loop
@example([_LOOP, "<Speak>$item</Speak>", _LOOP])  # between two loops
@example([_LOOP, _LOOP, "<Speak>$item</Speak>"])  # after the last
@example([_LOOP, _LOOP, _LOOP])
def test_item_inside_and_outside_loops(blocks: list[str]) -> None:
    """``$item`` before, between, inside and after ForEach loops, nested and in sequence: the
    schema says clean exactly when the linter finds nothing, and so do the regular expressions
    and their reading of the variables in the bytes (a use is inside a loop when it is inside
    an outermost one, found in one sweep of the uses), except that they leave a loop nested in
    another to the schema."""
    data = (
        '<Response><Array Id="a"><Item>1</Item></Array>' + "".join(blocks) + "</Response>"
    ).encode()
    clean = findings(data, Context.ANY) == []
    assert prove_by_schema(data) is clean
    if any(block.count("<ForEach") > 1 for block in blocks):
        assert not prove_by_regex(data)
    else:
        assert prove_by_regex(data) is clean


# --- documents generated from the catalog, with mistakes ----------------------------------------

_VALUES = [
    "",
    " ",
    "true",
    "false",
    "True",
    "yes",
    "1",
    "10",
    "-3",
    "102",
    "+3620555",
    "1.5",
    "abc",
    "a b",
    "caller",
    "callee",
    "all",
    "All",
    "mp3",
    "wav",
    "en-US",
    "$x",
    "$item",
    "$x.y",
    "{{ url }}",
    "http://app.example.com/x.php",
    "https://h:8080/p",
    "http://h:99999/",
    "/relative.php",
    "www.example.com/x",
    "http//x",
    "ftp://h/x",
    "C:\\a.wav",
    "*",
    "#",
    "12",
    "SELECT 1 FROM t",
    "x@example.com",
    "2013-01-17 13:32:12",
]
_TEXTS = [None, None, None, "Hello", "102", "3", "$x", "$item", " 5 ", "http://a.example.com/b"]


def _name(rng: random.Random, cmd: Command, noise: float) -> str:
    roll = rng.random()
    if roll < noise / 3:
        return cmd.name.lower()
    if roll < noise / 2 and cmd.aliases:
        return rng.choice(cmd.aliases).name
    if roll < noise * 0.6:
        return cmd.name + "x"
    return cmd.name


def _element(rng: random.Random, cmd: Command, depth: int, noise: float) -> str:
    attrs = []
    for param in cmd.params:
        if param.text or rng.random() < 0.5:
            continue
        name = param.name
        roll = rng.random()
        if roll < noise / 3:
            name = name.lower()
        elif roll < noise / 2 and param.aliases:
            name = rng.choice(param.aliases).name
        if rng.random() < noise:
            value = rng.choice(_VALUES)
        else:
            value = rng.choice([*param.values, param.example or "", param.default or "", "1"])
        attrs.append(f'{name}="{value}"')
    if cmd.name in ("Var", "Array"):
        attrs.append(f'Id="{rng.choice(["x", "y", "item"])}"')
    if cmd.name == "ForEach":
        attrs.append(f'Source="{rng.choice(["x", "y", "numbers"])}"')
    body = ""
    text_param = cmd.text_param
    if text_param is not None and rng.random() < 0.8:
        body = rng.choice([text_param.example or "x", *(t or "" for t in _TEXTS)])
    elif rng.random() < noise / 4:
        body = "stray text"
    if depth < 3 and cmd.children is not ChildPolicy.NONE:
        kids = _children(rng, cmd, depth + 1, noise)
        body += "".join(kids)
    if rng.random() < noise / 4:
        body += "<!-- note -->"
    name = _name(rng, cmd, noise)
    attributes = "".join(" " + a for a in attrs)
    return f"<{name}{attributes}>{body}</{name}>" if body else f"<{name}{attributes}/>"


def _children(rng: random.Random, cmd: Command, depth: int, noise: float) -> list[str]:
    if cmd.children is ChildPolicy.LISTED and rng.random() > noise:
        pool = [c for c in ALL if c.name in cmd.child_names]
    elif rng.random() > noise:
        pool = [c for c in ALL if c.kind is ElementKind.COMMAND and c.in_ozml]
    else:
        pool = list(ALL)
    return [_element(rng, rng.choice(pool), depth, noise) for _ in range(rng.randint(0, 3))]


def generated(seed: int) -> bytes:
    rng = random.Random(seed)
    noise = rng.choice([0.0, 0.0, 0.05, 0.15, 0.4])
    root = next(c for c in ALL if c.name == "Response")
    kids = _children(rng, root, 1, noise)
    return ("<Response>" + "\n".join(kids) + "</Response>").encode()


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_generated_documents(seed: int) -> None:
    assert_sound(generated(seed))


def test_generated_documents_are_often_clean() -> None:
    """The generator reaches the provers' clean answers, so the property above has teeth."""
    docs = [generated(seed) for seed in range(300)]
    assert sum(prove_by_schema(d) for d in docs) >= 30
    assert sum(prove_by_regex(d) for d in docs) >= 30


# --- near misses: a clean document with one mutation ------------------------------------------

_TAG = re.compile(
    r"<([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z_:][-A-Za-z0-9_.:]*\s*=\s*\"[^\"]*\")*)\s*(/?)>"
)
_ATTRIBUTE = re.compile(r"(\s+)([A-Za-z_:][-A-Za-z0-9_.:]*)(\s*=\s*)\"([^\"]*)\"")
_TEXT = re.compile(r">([^<]+)<")
_ALIASES = {
    **{cmd.name: [a.name for a in cmd.aliases] for cmd in ALL},
    **{p.name: [a.name for a in p.aliases] for cmd in ALL for p in cmd.params},
}
#: Snippets inserted between elements: each a mistake, a construct left to the linter, or a
#: subtle way of writing something.
_SNIPPETS = [
    "<Hangup/>",
    '<Hangup CallId="c1"/>',
    "<Reject/>",
    "<Exit/>",
    "<Item>1</Item>",
    '<Input Key="1"><Speak>x</Speak></Input>',
    "<Speak>$undefined</Speak>",
    "<Speak>$item</Speak>",
    "<Speak>$x.y</Speak>",
    '<Var Id="unused">1</Var>',
    '<Var Id="item">1</Var>',
    '<Array Id="list"><Item>1</Item></Array>',
    '<ForEach Source="nothing"><Speak>$item</Speak></ForEach>',
    "<!-- ozml: noqa -->",
    "<!-- ozml: context=3pcc -->",
    "<!-- a note -->",
    "<Speak>&#36;x</Speak>",
    "<Speak>&lt;?php echo $x; ?&gt;</Speak>",
    "<Speak>{{ $x }}</Speak>",
    "<Speak>\u00a0</Speak>",
    "<Speak>\u3000</Speak>",
    "<Speak>a]]&gt;b</Speak>",
    "<Speak>Árvíztűrő</Speak>",
    "<Speak>日本語</Speak>",
    "<Speak><!-- x -->Hello</Speak>",
    "<Speak>Hello<!-- x --></Speak>",
    "<Speak/>",
    "<Speak Text='Hello'/>",
    '<Speak Text="Hello">Hello</Speak>',
    "<GoTo>/x.php</GoTo>",
    "<GoTo>www.example.com/x</GoTo>",
    "<GoTo>http://h:0/x</GoTo>",
    '<Call Url="http://h/x?a=1&amp;b=2">102</Call>',
    '<Call Url="http://h/x?a=&quot;1&quot;">102</Call>',
    '<Play Repeat=\'true\'>x.wav</Play>',
    '<Play Repeat = "true" >x.wav</Play>',
    '<Play\n  Repeat="true"\n>x.wav</Play>',
    '<Play Repeat="true" Repeat="false">x.wav</Play>',
    '<Play Repeat="true" repeat="false">x.wav</Play>',
    '<Play xml:lang="en">x.wav</Play>',
    "<Play>\x0c</Play>",
    "<Delay> 5 </Delay>",
    "<Delay>5s</Delay>",
    "<Delay>\u00a05</Delay>",
    "<Route>1000</Route>",
    '<SendDTMF Party="all" Keys="12#"/>',
    '<SendDTMF Keys="12#"/>',
    "<Hold/>",
    '<UserInput><Inputs><Input Key="1"><Speak>a</Speak></Input>'
    '<Input Key="1"><Speak>b</Speak></Input></Inputs></UserInput>',
    '<UserInput><Inputs><Input Key="a"><Speak>a</Speak></Input>'
    '<Input Key="A"><Speak>b</Speak></Input></Inputs></UserInput>',
    '<UserInput Digits="2"><Inputs><Input Key="12"><Speak>a</Speak></Input></Inputs></UserInput>',
    "<UserInput><Inputs/></UserInput>",
    '<UserInput><Inputs><Input Key="1"><UserInput><Inputs><Input Key="1"><Speak>a</Speak>'
    "</Input></Inputs></UserInput></Input></Inputs></UserInput>",
    '<UserInput><Inputs><Input Key="1"><Var Id="v">1</Var><Speak>$v</Speak></Input>'
    "</Inputs></UserInput>",
    "<Unknown/>",
    "<speak>x</speak>",
    "<Forward Destination=\"1\"/>",
    "<ListActiveCalls/>",
    "<Beep/>",
]


def _mutate(rng: random.Random, text: str) -> str:
    """One random mutation of a document written by the builder."""
    tags = list(_TAG.finditer(text))[1:]  # not the root
    texts = list(_TEXT.finditer(text))
    kind = rng.randrange(14)
    if kind == 0 and tags:  # an element name in other case, or an alias
        tag = rng.choice(tags)
        name = tag.group(1)
        other = rng.choice([name.lower(), name.upper(), *_ALIASES.get(name, [])])
        text = text.replace(f"<{name}", f"<{other}", 1).replace(f"</{name}>", f"</{other}>", 1)
    elif kind in (1, 2, 3) and tags:  # an attribute: other case, alias, dropped, other value
        tag = rng.choice(tags)
        attributes = list(_ATTRIBUTE.finditer(tag.group(2)))
        if attributes:
            attribute = rng.choice(attributes)
            space, name, equals, value = attribute.groups()
            if kind == 1:
                name = rng.choice([name.lower(), *_ALIASES.get(name, []), name])
                written = f'{space}{name}{equals}"{value}"'
            elif kind == 2:
                written = ""
            else:
                written = f'{space}{name}{equals}"{rng.choice(_VALUES)}"'
            start = tag.start(2) + attribute.start()
            end = tag.start(2) + attribute.end()
            text = text[:start] + written + text[end:]
    elif kind == 4 and texts:  # a text replaced
        found = rng.choice(texts)
        new = rng.choice([t or "" for t in _TEXTS] + ["\u00a0", "x<!-- c -->y", "&#36;x"])
        text = text[: found.start(1)] + new + text[found.end(1) :]
    elif kind == 5 and tags:  # text where there was none
        tag = rng.choice([t for t in tags if t.group(3)] or tags)
        if tag.group(3):
            text = text[: tag.start()] + tag.group(0)[:-2] + ">text</" + tag.group(1) + ">" + text[
                tag.end() :
            ]
        else:
            text = text[: tag.end()] + "stray" + text[tag.end() :]
    elif kind == 6 and tags:  # an element removed (a definition, a use, a branch...)
        tag = rng.choice(tags)
        if tag.group(3):
            text = text[: tag.start()] + text[tag.end() :]
        else:
            close = text.find(f"</{tag.group(1)}>", tag.end())
            if close >= 0:
                text = text[: tag.start()] + text[close + len(tag.group(1)) + 3 :]
    elif kind == 7 and tags:  # an attribute written twice, or in single quotes
        tag = rng.choice(tags)
        attributes = list(_ATTRIBUTE.finditer(tag.group(2)))
        if attributes:
            attribute = rng.choice(attributes)
            if rng.random() < 0.5:
                extra = attribute.group(0)
            else:
                extra = f" {attribute.group(2)}='{attribute.group(4)}'"
            text = text[: tag.end(2)] + extra + text[tag.end(2) :]
    elif kind == 8:  # the declaration, a byte-order mark, form feed, CRLF
        text = rng.choice(
            [
                '<?xml version="1.1"?>' + text,
                '<?xml version="1.0" encoding="ISO-8859-1"?>' + text,
                "\ufeff" + text,
                " " + text,
                text.replace(">", ">\x0c", 1),
                text.replace("\n", "\r\n"),
                text + "<!-- end -->",
                text + "<Response/>",
            ]
        )
    else:  # a snippet inserted between two elements (or two siblings swapped)
        ends = [m.end() for m in re.finditer(r">\s*(?=<)", text)]
        if ends:
            at = rng.choice(ends[:-1] or ends)
            text = text[:at] + rng.choice(_SNIPPETS) + text[at:]
    return text


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(responses(), st.integers(0, 2**32))
def test_near_misses_of_clean_documents(built: Response, seed: int) -> None:
    """A clean builder document with one mutation: wherever a prover says clean, the linter
    agrees (the mutations make mistakes, or write the same thing in another way)."""
    text = _mutate(random.Random(seed), built.to_xml())
    assert_sound(text.encode("utf-8", "surrogatepass"))


def test_builder_documents_are_often_proven_clean() -> None:
    """Unmutated builder documents are clean; both provers say so for many of them (the
    property above has teeth)."""
    verdicts: list[tuple[bool, bool]] = []

    @settings(max_examples=80, deadline=None, database=None)
    @given(responses())
    def prove(built: Response) -> None:
        data = built.to_xml().encode()
        verdicts.append((prove_by_schema(data), prove_by_regex(data)))

    prove()
    assert sum(schema for schema, _ in verdicts) >= len(verdicts) // 5, verdicts
    assert sum(regex for _, regex in verdicts) >= len(verdicts) // 8, verdicts


# --- the value forms --------------------------------------------------------------------------

_PARAMS = [
    (cmd, param)
    for cmd in ALL
    for param in cmd.params
    if (form := value_form(param)) is not None and form.form == Form.PATTERN
]


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_value_patterns_accept_only_valid_values(data: st.DataObject) -> None:
    """Values matching a parameter's pattern (over parsed values, and over raw bytes) pass
    its type check, need no letter-case fix and, for URLs, are plain absolute URLs."""
    cmd, param = data.draw(st.sampled_from(_PARAMS))
    form = value_form(param)
    assert form is not None
    value = data.draw(st.from_regex(form.xsd, fullmatch=True).filter(lambda v: "\n" not in v))
    for written in (value, value.replace("&", "&amp;")):
        if re.fullmatch(form.raw, written.encode()) is None:
            continue
        assert values.check(param, value) is None, (cmd.name, param.name, value)
        assert values.case_fix(param, value) is None, (cmd.name, param.name, value)
        if param.name in {p.name for p in urls.URL_PARAMS.get(cmd.name, ())}:
            assert urls.problem(value) is None, value
            assert not urls.is_relative(value), value


@pytest.mark.parametrize(
    ("low", "high"), [(0, None), (1, None), (1, 65535), (0, 99), (5, 7), (37, 12345), (0, 0)]
)
def test_integer_ranges(low: int, high: int | None) -> None:
    pattern = integer_range(low, high)
    assert pattern is not None
    compiled = re.compile(pattern)
    for number in range((high or 20000) + 200):
        expected = low <= number and (high is None or number <= high)
        assert (compiled.fullmatch(str(number)) is not None) == expected, number
    for text in ("00", "01", "+1", "-1", "", " 1"):
        assert compiled.fullmatch(text) is None


def test_no_upper_bound_below_the_low_end() -> None:
    assert integer_range(5, 4) is None


def test_blank_text_is_blank_for_the_schema_as_for_python() -> None:
    """Every character Python's str.strip removes (and XML allows) is white space to the
    schema's "not blank" pattern."""
    schema = etree.XMLSchema(
        etree.fromstring(
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a">'
            f'<xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[{PY_SPACE}]*'
            f'[^{PY_SPACE}][\\s\\S]*"/></xs:restriction></xs:simpleType></xs:element></xs:schema>'
        )
    )
    allowed = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    allowed = [c for c in allowed if c in "\t\n\r" or ord(c) >= 0x20]
    assert len(allowed) > 20
    for char in allowed:
        element = etree.Element("a")
        element.text = char * 2
        assert not schema.validate(element), hex(ord(char))
    element = etree.Element("a")
    element.text = " x "
    assert schema.validate(element)


def test_non_blank_starts_are_kept_by_strip() -> None:
    """The characters that start a text the regular expressions call not blank."""
    from ozml.lint.quick_regex import _SOLID

    firsts = re.compile(b"[" + _SOLID + b"]")
    for byte in range(0x80):
        if firsts.fullmatch(bytes([byte])):
            assert not chr(byte).isspace(), byte
    for code in range(0xC0, 0x800):
        encoded = chr(code).encode()
        if firsts.fullmatch(encoded[:1]):
            assert not chr(code).isspace(), hex(code)
    assert firsts.fullmatch(b"\xc2") is None  # U+0080 to U+00BF: NBSP and NEL among them


def test_every_context_has_a_plan_with_the_root() -> None:
    for context in CONTEXTS:
        assert any(e.name == "Response" for e in plan(context).elements)


# --- the whole command ----------------------------------------------------------------------


@pytest.mark.parametrize("regex_after", [quick_module.REGEX_AFTER, 1])
def test_check_output_is_the_same_without_the_quick_check(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, regex_after: int
) -> None:
    """`ozml check` prints the same with the quick check (schema only, or regular expressions
    from the first file on) as without it."""
    rng = random.Random(5)
    for i in range(120):
        text = document(rng) if i % 3 else generated(i).decode()
        (tmp_path / f"d{i:03}.xml").write_text(text, encoding="utf-8")
    args = ["check", "--format", "json", "--no-cache", str(tmp_path)]
    monkeypatch.setattr(quick_module, "REGEX_AFTER", regex_after)
    monkeypatch.setattr(quick_module._local, "provers", {}, raising=False)
    fast_code = main(args)
    fast = capsys.readouterr()
    monkeypatch.setattr(quick_module, "is_clean", lambda data, context=None: False)
    slow_code = main(args)
    slow = capsys.readouterr()
    assert (fast_code, fast.out, fast.err) == (slow_code, slow.out, slow.err)
    assert fast.out.count('"code"') > 20


# --- the schema after the regular expressions ---------------------------------------------------

#: A clean document the regular expressions leave to the schema (they read no comment), and one
#: with a finding that neither proves clean (ForwardCall needs Destination).
_COMMENTED = b"<Response>\n  <!-- greet -->\n  <Speak>Hello.</Speak>\n</Response>\n"
_WITH_FINDING = b"<Response>\n  <ForwardCall/>\n</Response>\n"


def _long_run(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """A fresh prover with the regular expressions from its first document; each try of the
    schema appends its verdict to the list returned."""
    monkeypatch.setattr(quick_module._local, "provers", {}, raising=False)
    quick_module.prepare(Context.ANY, long_run=True)
    tries: list[bool] = []
    verdict = quick_module._schema_verdict

    def counted(prover: object, data: bytes) -> bool:
        tries.append(verdict(prover, data))  # type: ignore[arg-type]
        return tries[-1]

    monkeypatch.setattr(quick_module, "_schema_verdict", counted)
    return tries


def test_the_documents_these_tests_use() -> None:
    """What the tests below rest on: which prover says what of their two documents."""
    assert not prove_by_regex(_COMMENTED)
    assert prove_by_schema(_COMMENTED)
    assert not prove_by_regex(_WITH_FINDING)
    assert not prove_by_schema(_WITH_FINDING)
    assert findings(_COMMENTED, Context.ANY) == []
    assert findings(_WITH_FINDING, Context.ANY) != []


def test_the_schema_is_tried_on_every_document_it_proves_clean(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tries = _long_run(monkeypatch)
    assert all(is_clean(_COMMENTED) for _ in range(500))
    assert tries == [True] * 500


def test_the_schema_is_tried_seldom_while_it_proves_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Documents with findings: after the first tries, one in `_PROBE` is tried."""
    tries = _long_run(monkeypatch)
    count = 1600
    assert not any(is_clean(_WITH_FINDING) for _ in range(count))
    assert not any(tries)
    first = 0  # the tries before the share falls below the threshold
    share = 1.0
    while share >= quick_module._WORTH:
        share -= share * quick_module._WEIGHT
        first += 1
    assert first == 22
    assert len(tries) == first + (count - first) // quick_module._PROBE


def test_the_schema_comes_back_when_the_documents_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a run of documents with findings, documents with comments: the probes find the
    schema proving them clean, and it is tried on each again."""
    tries = _long_run(monkeypatch)
    for _ in range(1000):
        is_clean(_WITH_FINDING)
    proved = [is_clean(_COMMENTED) for _ in range(400)]
    assert not all(proved[:100])  # not at once: the share rises with each probe
    assert all(proved[-200:])
    assert len(tries) < 1000 // 4 + 400


# --- other speed-ups keep their results ----------------------------------------------------------


def _unambiguous_by_definition(name: str, candidates: list[str], cutoff: float) -> str | None:
    import difflib

    pool = {c.lower(): c for c in candidates}
    scored = sorted(
        ((difflib.SequenceMatcher(None, name.lower(), key).ratio(), key) for key in pool),
        reverse=True,
    )
    if not scored or scored[0][0] < cutoff:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.1:
        return None
    return pool[scored[0][1]]


_ALL_NAMES = sorted({n for cmd in ALL for n in (*cmd.all_names, *(p.name for p in cmd.params))})


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.sampled_from(_ALL_NAMES), st.text("abcdeilnorstACDFST", max_size=14)),
    st.lists(st.sampled_from(_ALL_NAMES), min_size=1, max_size=40),
    st.sampled_from([0.6, 0.7]),
)
def test_unambiguous_suggestion_is_unchanged_by_its_shortcut(
    name: str, candidates: list[str], cutoff: float
) -> None:
    from ozml.lint.suggest import unambiguous

    assert unambiguous(name, candidates, cutoff) == _unambiguous_by_definition(
        name, candidates, cutoff
    )


# --- template documents (docs/templates.md) --------------------------------------------------

#: Every templates setting worth telling apart: all syntaxes (the default), none, each alone.
TEMPLATE_SETTINGS = [
    templates.DEFAULT,
    frozenset(),
    *(frozenset({name}) for name in sorted(templates.SYNTAXES)),
]

#: Parts of every syntax, as a value or a text would hold them.
TEMPLATE_PARTS = [
    "<?php echo $row['n']; ?>",
    "<?= $n ?>",
    "<?PHP echo 1 ?>",
    "<% = n %>",
    "<%= n %>",
    "{{ n }}",
    "{{ $user }}",
    "{% if a < b %}1{% endif %}",
    "{# $note #}",
    "${n}",
    "${ $n }",
]

#: Control blocks between commands, opening and closing.
TEMPLATE_BLOCKS = [
    ("{% if vip %}", "{% endif %}"),
    ("{% for x in xs %}", "{% endfor %}"),
    ("{{#if vip}}", "{{/if}}"),
    ("<?php if ($vip) { ?>", "<?php } ?>"),
    ("<?php foreach ($a as $b): ?>", "<?php endforeach; ?>"),
    ("<% If vip Then %>", "<% End If %>"),
    ("<% if (vip) { %>", "<% } %>"),
    ("<% if vip %>", "<% end %>"),
    ("{# note #}", "${x}"),
]


def _template_documents() -> list[str]:
    docs: list[str] = []
    for part in TEMPLATE_PARTS:
        docs += [
            f"<Response><Speak>{part}</Speak></Response>",
            f"<Response><Speak>Hello {part}, welcome</Speak></Response>",
            f'<Response><Speak Text="{part}"/></Response>',
            f'<Response><Play AudioFile="{part}" Repeat="{part}"/></Response>',
            f'<Response><Call Url="{part}">102</Call></Response>',
            f'<Response><Call Url="http://h/x?n={part}">102</Call></Response>',
            f"<Response><Delay>{part}</Delay></Response>",
            f'<Response><GoTo Url="{part}.php"/></Response>',
            f'<Response><UserInput><Inputs><Input Key="{part}"><Hangup/></Input>'
            f'<Input Key="{part}"><Hangup/></Input></Inputs></UserInput></Response>',
            f'<Response><Var Id="n">{part}</Var><Speak>$n</Speak></Response>',
            f"<Response>{part}<Speak>Hi</Speak></Response>",
            f"{part}<Response><Speak>Hi</Speak></Response>",
            f"<Response><Speak {part}>Hi</Speak></Response>",
        ]
    for opening, closing in TEMPLATE_BLOCKS:
        docs += [
            f"<Response>{opening}<Hangup/>{closing}<Speak>Bye</Speak></Response>",
            f"<Response><Hangup/>{opening}<Speak>Bye</Speak>{closing}</Response>",
            f"<Response>{opening}<Speak>a</Speak>{closing}<Hangup/></Response>",
            f"<Response>\n  {opening}\n  <Speak>{{{{ a }}}}</Speak>\n  {closing}\n</Response>",
            f"<Response><Speak>{opening}Welcome back{closing}</Speak></Response>",
        ]
    # Written with character references: never a part when read, but text that looks like one.
    docs += [
        "<Response><Speak>&#123;{ $x }}</Speak></Response>",
        "<Response><Speak>&#36;{x}</Speak></Response>",
        '<Response><Play AudioFile="&#123;{ x }}"/></Response>',
        '<Response><Call Url="&#123;{x}}">102</Call></Response>',
        "<Response><Delay>&#123;{ s }}</Delay></Response>",
        "<Response><Speak>&lt;?php echo $x; ?&gt;</Speak></Response>",
        "<Response><Speak>&lt;% x %&gt;</Speak></Response>",
    ]
    return docs


TEMPLATE_DOCUMENTS = _template_documents()


def assert_sound_with_templates(data: bytes) -> None:
    """Where a prover says clean, the linter finds nothing with any templates setting (the
    quick check reads no setting, so it must leave every document to the linter where the
    setting could matter)."""
    for context in CONTEXTS:
        verdicts = [prove(data, context) for prove in PROVERS.values()]
        if not any(verdicts):
            continue
        for syntaxes in TEMPLATE_SETTINGS:
            settings_ = LintSettings(
                context=context, context_origin="--context", templates=syntaxes
            )
            found = lint(data, "doc.xml", settings_)
            shown = data.decode("utf-8", "replace")
            assert found == [], (context, sorted(syntaxes), verdicts, shown, found)


@pytest.mark.parametrize("text", TEMPLATE_DOCUMENTS)
def test_template_documents_are_never_called_clean_wrongly(text: str) -> None:
    data = text.encode()
    assert_sound_with_templates(data)
    if "&" not in text:
        # A part as written is always left to the linter, which reads the document around it.
        for context in CONTEXTS:
            assert not is_clean(data, context)
            for prove in PROVERS.values():
                assert not prove(data, context)


def test_the_template_documents_have_findings_with_templates_off() -> None:
    """The setting matters for these documents: the quick check may not call them clean."""
    off = LintSettings(templates=frozenset())
    changed = sum(lint(t, settings=off) != lint(t) for t in TEMPLATE_DOCUMENTS)
    assert changed > len(TEMPLATE_DOCUMENTS) // 3
    # ... and the check has teeth: text that only looks like a part may be proven clean.
    assert prove_by_schema(b"<Response><Speak>&lt;% x %&gt;</Speak></Response>")


def _escaped(part: str) -> str:
    """`part` written with character references: text that looks like a part once read."""
    text = part.replace("<", "&lt;").replace(">", "&gt;").replace("${", "&#36;{")
    return "&#123;" + text[1:] if text.startswith("{") else text


def _with_template(rng: random.Random, text: str) -> str:
    """A clean builder document with a template part (or block) put where one may stand."""
    part = rng.choice(TEMPLATE_PARTS + [o for o, _ in TEMPLATE_BLOCKS])
    if rng.random() < 0.5:
        part = _escaped(part)
    tags = list(_TAG.finditer(text))[1:]
    texts = [m for m in _TEXT.finditer(text) if m.group(1).strip()]
    kind = rng.randrange(5)
    if kind == 0 and texts:  # in a text, alone or beside other text
        found = rng.choice(texts)
        new = rng.choice([part, f"{found.group(1)} {part}", f"{part}{found.group(1)}"])
        return text[: found.start(1)] + new + text[found.end(1) :]
    if kind == 1 and tags:  # in an attribute value
        tag = rng.choice(tags)
        attributes = list(_ATTRIBUTE.finditer(tag.group(2)))
        if attributes:
            attribute = rng.choice(attributes)
            start = tag.start(2) + attribute.start(4)
            end = tag.start(2) + attribute.end(4)
            new = rng.choice([part, f"{attribute.group(4)}{part}"])
            return text[:start] + new + text[end:]
    if kind == 2:  # a block around commands
        opening, closing = rng.choice(TEMPLATE_BLOCKS)
        ends = [m.end() for m in re.finditer(r">\s*(?=<)", text)]
        if len(ends) >= 2:
            first, second = sorted(rng.sample(ends, 2))
            return text[:first] + opening + text[first:second] + closing + text[second:]
    if kind == 3 and tags:  # inside a start tag
        tag = rng.choice(tags)
        return text[: tag.end(1)] + " " + part + text[tag.end(1) :]
    # between two elements, or before the root
    ends = [m.end() for m in re.finditer(r">\s*(?=<)", text)]
    at = rng.choice(ends) if ends and rng.random() < 0.8 else 0
    return text[:at] + part + text[at:]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses(), st.integers(0, 2**32))
def test_clean_documents_with_template_parts(built: Response, seed: int) -> None:
    """A clean builder document with one template part anywhere, in any syntax: the quick
    check never calls clean what the linter, with any templates setting, does not."""
    text = _with_template(random.Random(seed), built.to_xml())
    assert_sound_with_templates(text.encode("utf-8", "surrogatepass"))
