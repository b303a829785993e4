"""The quick check never changes a result: where it says clean, the linter finds nothing.

`ozml.lint.quick.is_clean` lets `ozml check` skip the syntax tree and the rules for documents it
can prove clean. These tests hold it to that promise on every rule's examples, the example
files, the benchmark corpus, and documents generated from the catalog with random mistakes, in
every context; and they check that it is not vacuous (it does say clean for clean documents).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.catalog import ALL, ChildPolicy, Command, Context, ElementKind
from ozml.cli import main
from ozml.lint import RULES, LintSettings, lint
from ozml.lint.quick import COVERED, is_clean, plain_bytes

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import document  # noqa: E402

CONTEXTS = list(Context)


def findings(data: bytes, context: Context) -> list[str]:
    found = lint(data, "doc.xml", LintSettings(context=context, context_origin="--context"))
    return [f"{d.code} {d.line}:{d.column} {d.message}" for d in found]


def assert_sound(data: bytes) -> int:
    """Where the quick check says clean, the linter must agree; returns how often it said so."""
    clean = 0
    for context in CONTEXTS:
        if is_clean(data, context):
            clean += 1
            assert findings(data, context) == [], (context, data.decode("utf-8", "replace"))
    return clean


def test_every_rule_is_covered() -> None:
    """A new rule must be ruled out by the quick check before its code joins COVERED; until
    then `ozml check` would skip it on documents the quick check calls clean."""
    missing = sorted(rule.code for rule in RULES if rule.code not in COVERED)
    assert missing == [], f"add these rules to ozml.lint.quick (and COVERED): {missing}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_examples(rule) -> None:
    failing, passing = rule.examples()
    for example in (failing, passing):
        if example:
            assert_sound(example.encode())
    if failing and findings(failing.encode(), Context.ANY):
        assert not is_clean(failing.encode(), Context.ANY)


def test_example_files_and_seeds() -> None:
    files = sorted((REPO / "examples").rglob("*.xml"))
    assert files
    for path in files:
        assert_sound(path.read_bytes())


def test_corpus_documents_and_that_the_check_is_not_vacuous() -> None:
    rng = random.Random(11)
    docs = [document(rng).encode() for _ in range(300)]
    clean = sum(assert_sound(doc) > 0 for doc in docs)
    assert clean >= 200  # most corpus documents are clean, and the quick check sees it


@pytest.mark.parametrize(
    "text",
    [
        "<Response><Speak>Hi</Speak></Response>",
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Hangup/>\n</Response>\n',
        "<Response><!-- a note --><Speak>Hi</Speak><!-- another --></Response>",
        '<Response><Var Id="n">5</Var><Speak>You are number $n.</Speak></Response>',
        (
            '<Response><Array Id="a"><Item>1</Item></Array>'
            '<ForEach Source="a"><Speak>$item</Speak></ForEach></Response>'
        ),
        (
            '<Response><UserInput><Inputs><Input Key="1"><Speak>x</Speak></Input>'
            "</Inputs></UserInput></Response>"
        ),
        '<Response><Call Url="http://app.example.com:8080/c.php?x=1">102</Call></Response>',
    ],
)
def test_clean_documents_are_recognised(text: str) -> None:
    assert is_clean(text.encode())
    assert findings(text.encode(), Context.ANY) == []


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
    assert not plain_bytes(text.encode("latin-1"))


@pytest.mark.parametrize(
    "text",
    [
        "<Response><Reject/></Response>",  # reject-not-first is left to the linter
        '<Response><Var Id="n">5</Var></Response>',  # unused
        "<Response><Speak>$n</Speak></Response>",  # undefined
        '<Response><Speak>$n</Speak><Var Id="n">5</Var></Response>',  # used before defined
        "<Response><Speak>$item</Speak></Response>",
        '<Response><UserInput><Inputs><Input Key="1"><Speak>a</Speak></Input>'
        '<Input Key="1"><Speak>b</Speak></Input></Inputs></UserInput></Response>',
        '<Response><UserInput><Inputs><Input Key="10"><Speak>a</Speak></Input>'
        "</Inputs></UserInput></Response>",
        "<Response><GoTo>/menu.php</GoTo></Response>",
        "<Response><Hangup/><Speak>late</Speak></Response>",
        '<Response><Record Duration="10"/></Response>',
    ],
)
def test_documents_with_findings_are_not_called_clean(text: str) -> None:
    data = text.encode()
    for context in CONTEXTS:
        if findings(data, context):
            assert not is_clean(data, context)


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
_NAMES = [cmd.name for cmd in ALL]


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


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_generated_documents(seed: int) -> None:
    assert_sound(generated(seed))


def test_generated_documents_are_often_clean() -> None:
    """The generator reaches the quick check's clean answers, so the property above has teeth."""
    clean = sum(is_clean(generated(seed)) for seed in range(300))
    assert clean >= 30


def test_check_output_is_the_same_without_the_quick_check(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    for i in range(120):
        text = document(rng) if i % 3 else generated(i).decode()
        (tmp_path / f"d{i:03}.xml").write_text(text, encoding="utf-8")
    args = ["check", "--format", "json", str(tmp_path)]
    fast_code = main(args)
    fast = capsys.readouterr()
    from ozml.lint import quick

    monkeypatch.setattr(quick, "is_clean", lambda data, context=None: False)
    slow_code = main(args)
    slow = capsys.readouterr()
    assert (fast_code, fast.out, fast.err) == (slow_code, slow.out, slow.err)
    assert fast.out.count('"code"') > 20


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
