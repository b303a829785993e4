"""Templates, second pass (issue 11, class 4; docs/templates.md): one answer to "is this value
dynamic?" that follows the ``templates`` setting, positions read from the public masked text,
and control blocks of the template that flow rules do not take for certain."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml import templates
from ozml.catalog import values
from ozml.lint import LintSettings, lint
from ozml.lint.linter import lint_result
from ozml.nodes import Element, ProcessingInstruction, Template
from ozml.parser import parse
from ozml.positions import Source

ALL = templates.DEFAULT
NONE: frozenset[str] = frozenset()


def codes(text: str, syntaxes: frozenset[str] = ALL) -> list[str]:
    """Findings as ``CODE line:column``, parsed and linted with `syntaxes`."""
    found = lint(text, "t.xml", LintSettings(templates=syntaxes))
    return [f"{d.code} {d.line}:{d.column}" for d in found]


# --- one definition of dynamic ------------------------------------------------------------------

#: (syntax, value holding a part of it).
PARTS = [
    ("php", "<?php echo n(); ?>"),
    ("php", "<?= n ?>"),
    ("php", "<?PHP echo 1 ?>"),
    ("asp", "<% n %>"),
    ("asp", "<%= n %>"),
    ("jinja", "{{ n }}"),
    ("jinja", "{% if a %}x{% endif %}"),
    ("jinja", "{# note #}"),
    ("el", "${n}"),
]


@pytest.mark.parametrize(("syntax", "value"), PARTS, ids=[v for _, v in PARTS])
def test_is_dynamic_follows_the_syntaxes(syntax: str, value: str) -> None:
    assert values.is_dynamic(value)  # every syntax by default
    assert values.is_dynamic(f"a {value} b", {syntax})
    assert not values.is_dynamic(value, NONE)
    assert not values.is_dynamic(value, ALL - {syntax})
    spans = list(values.template_spans(f"a {value}", {syntax}))
    assert spans[0][0] == 2
    assert spans[-1][1] == 2 + len(value)
    assert list(values.template_spans(value, NONE)) == []
    # Aliases are understood; a name that is no syntax is none.
    assert values.is_dynamic(value, {"twig", "erb", "php", "freemarker"})
    assert not values.is_dynamic(value, {"cobol"})


def test_variables_are_dynamic_whatever_the_setting() -> None:
    assert values.is_dynamic("$x", NONE)
    assert not values.is_dynamic("${x}", NONE)  # no OzML variable either


def test_the_regular_expression_and_the_scan_agree() -> None:
    import random

    pieces = ["{", "}", "{{", "}}", "{%", "%}", "{#", "#}", "<", "?>", "<?php", "<?PHP", "<?="]
    pieces += ["${", "<%", "%>", "a"]
    rng = random.Random(4)
    for _ in range(5000):
        value = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        expected = [m.span() for m in values.TEMPLATE.finditer(value)]
        assert list(values.template_spans(value)) == expected, value


#: (document, findings with all syntaxes, findings with none): the URL rules, menu keys and
#: variables read a part of a syntax turned off as the text it then is.
OFF = [
    ('<Response><Call Url="{{x}}">102</Call></Response>', [], ["OZ805 1:22"]),
    ('<Response><Call Url="${x}">102</Call></Response>', [], ["OZ805 1:22"]),
    ('<Response><Call Url="{#x#}">102</Call></Response>', [], ["OZ805 1:22"]),
    ('<Response><Call Url="{{ x }}">102</Call></Response>', [], ["OZ202 1:22"]),
    ('<Response><Call Url="htp://h/{{x}}">102</Call></Response>', [], ["OZ804 1:22"]),
    ('<Response><GoTo Url="ftp://h/${x}"/></Response>', [], ["OZ804 1:22"]),
    ("<Response><GoTo>{{x}}.php</GoTo></Response>", [], ["OZ805 1:17"]),
    (
        '<Response><UserInput><Inputs><Input Key="{{k}}"><Hangup/></Input>'
        '<Input Key="{{k}}"><Hangup/></Input></Inputs></UserInput></Response>',
        [],
        ["OZ202 1:42", "OZ802 1:42", "OZ202 1:78", "OZ801 1:78", "OZ802 1:78"],
    ),
    ("<Response><Speak>{{ $user }}</Speak></Response>", [], ["OZ701 1:21"]),
    ('<Response><Speak Text="{# $note #}"/></Response>', [], ["OZ701 1:27"]),
    ('<Response><Var Id="{{ name }}">1</Var></Response>', [], ["OZ202 1:20", "OZ702 1:20"]),
]


@pytest.mark.parametrize(("text", "on", "off"), OFF, ids=[t for t, _, _ in OFF])
def test_the_setting_reaches_every_rule(text: str, on: list[str], off: list[str]) -> None:
    assert codes(text) == on
    assert codes(text, NONE) == off


@pytest.mark.parametrize("syntax", sorted(templates.SYNTAXES))
def test_a_url_part_of_a_syntax_turned_off_is_text(syntax: str) -> None:
    part = {"php": "<?=x?>", "asp": "<%x%>", "jinja": "{{x}}", "el": "${x}"}[syntax]
    escaped = part.replace("<", "&lt;").replace(">", "&gt;")
    text = f'<Response><Call Url="{escaped}">102</Call></Response>'
    assert codes(f'<Response><Call Url="{part}">102</Call></Response>', frozenset({syntax})) == []
    # Not a URL's characters (<, >: invalid-value), or a relative URL.
    expected = "OZ202" if "<" in part else "OZ805"
    assert codes(text, ALL - {syntax}) == [f"{expected} 1:22"]
    # Written with character references it is no part, whatever the setting: the text it is.
    if "<" in part:
        assert codes(text, frozenset({syntax})) == [f"{expected} 1:22"]


def test_the_parse_records_its_syntaxes() -> None:
    assert parse("<Response/>").templates == ALL
    assert parse("<Response/>", templates=["twig"]).templates == {"jinja"}
    assert parse("<Response/>", templates=[]).source.templates == NONE


# --- positions from the masked text ---------------------------------------------------------------


def test_source_takes_the_masked_text() -> None:
    text = '<Response><Speak><%= "<b>" %></Speak><Hangup/></Response>'
    masked = templates.mask(text)
    plain = Source(text)
    source = Source(text, masked=masked.text)
    assert source.masked == masked.text
    assert source.markup == masked.text
    assert plain.masked is None
    assert plain.markup == text
    # In the text itself, <b> looks like the second element; in the masked text it is not.
    assert [t.name for t in plain.tags] == ["Response", "Speak", "b", "Hangup"]
    assert [t.name for t in source.tags] == ["Response", "Speak", "Hangup"]


def test_the_parser_gives_the_source_its_masked_text() -> None:
    text = '<Response>\n  <Speak><%= "<Speak>" %></Speak>\n  <Hangup/><Speak>x</Speak>\n</Response>'
    result = parse(text)
    assert result.masked is not None
    assert result.source.masked == result.masked.text
    assert codes(text) == ["OZ402 3:13"]
    assert parse("<Response/>").source.masked is None
    # The text of a command is found past a part holding a "<".
    root = result.document.root
    assert root is not None
    speak = root.children[0]
    assert isinstance(speak, Element)
    span = result.source.text_span(speak)
    assert text[span.start : span.end] == '<%= "<Speak>" %>'


def test_a_jinja_part_does_not_run_past_the_value() -> None:
    text = '<Response><Play Timeout="{{">{{ n }}</Play></Response>'
    assert [p.where for p in templates.find(text)] == [templates.Where.CONTENT]
    assert codes(text) == ["OZ202 1:26"]
    # PHP is code, and may hold the quote.
    text = '<Response><Speak Text="<?php echo "x"; ?>"/></Response>'
    assert codes(text) == []


# --- control blocks: the template decides what is written -----------------------------------------

#: (syntax, opening, middle, closing) of a conditional block between commands.
BLOCKS = [
    ("jinja", "{% if vip %}", "{% else %}", "{% endif %}"),
    ("jinja", "{%- if vip -%}", "{%- elif x -%}", "{%- endif -%}"),
    ("jinja", "{% for a in agents %}", "{% empty %}", "{% endfor %}"),
    ("jinja", "{% unless vip %}", "{% else %}", "{% endunless %}"),
    ("jinja", "{{#if vip}}", "{{else}}", "{{/if}}"),
    ("jinja", "{{#agents}}", "{{! a comment }}", "{{/agents}}"),
    ("php", "<?php if ($vip) { ?>", "<?php } else { ?>", "<?php } ?>"),
    ("php", "<?php if ($vip): ?>", "<?php else: ?>", "<?php endif; ?>"),
    ("php", "<?php foreach ($agents as $a) { ?>", "<?php echo '}'; ?>", "<?php } ?>"),
    ("php", "<?= '' ?><?php while ($x) { // } \n ?>", "<?php /* } */ ?>", "<?php } ?>"),
    ("asp", "<% If vip Then %>", "<% Else %>", "<% End If %>"),
    ("asp", "<% For Each a In agents %>", "<%' a comment %>", "<% Next %>"),
    ("asp", "<% if (vip) { %>", "<% } else { %>", "<% } %>"),
    ("asp", "<% if vip %>", "<% else %>", "<% end %>"),
    ("asp", "<% agents.each do |a| %>", "<%# note %>", "<% end %>"),
]
IDS = [b[1] for b in BLOCKS]


@pytest.mark.parametrize(("syntax", "opening", "middle", "closing"), BLOCKS, ids=IDS)
def test_a_hangup_inside_a_block_makes_nothing_unreachable(
    syntax: str, opening: str, middle: str, closing: str
) -> None:
    text = (
        "<Response>\n"
        f"  {opening}\n"
        "  <Hangup/>\n"
        f"  {middle}\n"
        "  <Speak>Other branch</Speak>\n"
        f"  {closing}\n"
        "  <Speak>After the block</Speak>\n"
        "</Response>\n"
    )
    assert codes(text) == []
    root = parse(text).document.root
    assert root is not None
    hangup, other, after = [c for c in root.children if isinstance(c, Element)]
    assert templates.in_block(root, hangup)
    assert templates.in_block(root, other)
    assert not templates.in_block(root, after)


@pytest.mark.parametrize(("syntax", "opening", "middle", "closing"), BLOCKS, ids=IDS)
def test_a_hangup_outside_the_blocks_still_ends_the_script(
    syntax: str, opening: str, middle: str, closing: str
) -> None:
    after = (
        f"<Response>\n  {opening}<Speak>a</Speak>{closing}\n  <Hangup/>\n"
        "  <Speak>late</Speak>\n</Response>"
    )
    assert codes(after) == [f"OZ402 {4 + opening.count(chr(10))}:4"]
    before = f"<Response>\n  <Hangup/>\n  {opening}<Speak>a</Speak>{closing}\n</Response>"
    assert [c.split(":")[0] for c in codes(before)] == [f"OZ402 {3 + opening.count(chr(10))}"]
    nested = (
        f"<Response>{opening}<Speak>a</Speak>{closing}<UserInput><Inputs><Input Key='1'>"
        "<Hangup/><Speak>late</Speak></Input></Inputs></UserInput></Response>"
    )
    assert [c.split()[0] for c in codes(nested)] == ["OZ402"]


def test_a_block_inside_a_branch_and_a_later_hangup() -> None:
    text = (
        "<Response>{% if a %}<Hangup/>{% endif %}<Speak>x</Speak>"
        "<Reject/><Speak>dead</Speak></Response>"
    )
    found = lint(text)
    assert [(d.code, d.message) for d in found if d.code == "OZ402"] == [
        ("OZ402", "Speak is never run: the script ends at Reject on line 1")
    ]


def test_a_syntax_turned_off_writes_no_block() -> None:
    # With jinja off, {% if %} is text (reported), not a block: the Hangup ends the script.
    text = "<Response>{% if vip %}<Hangup/>{% endif %}<Speak>x</Speak></Response>"
    found = [c.split()[0] for c in codes(text, NONE)]
    assert "OZ402" in found
    # A PHP processing instruction is a block whatever the setting.
    text = "<Response><?php if ($vip) { ?><Hangup/><?php } ?><Speak>x</Speak></Response>"
    assert codes(text, NONE) == []


def test_the_vendor_sample_pattern() -> None:
    text = """\
<?php $row = lookup($_POST['Caller']); ?>
<Response>
  <?php if (!$row) { ?>
    <Speak>We could not find your account. Goodbye.</Speak>
    <Hangup/>
  <?php } ?>
  <Speak>Your balance is</Speak>
  <Speak><?php echo $row['balance']; ?></Speak>
  <Hangup/>
</Response>
"""
    assert codes(text) == []


_TEMPLATE_TEXT = st.text(
    alphabet=st.sampled_from(list("{}%#$<>?=-~^/ ()[];:'\"\\\n ifendforEachThenNextdo|")),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_TEMPLATE_TEXT, st.sampled_from([b[1] for b in BLOCKS])), max_size=8))
def test_block_steps_never_fail(texts: list[str]) -> None:
    children: list[object] = []
    for i, text in enumerate(texts):
        children.append(Template(text) if i % 3 else ProcessingInstruction("php", text))
        children.append(Element("Hangup", (), (), i + 1))
    root = Element("Response", (), tuple(children), 0)  # type: ignore[arg-type]
    inside = templates.blocked(root)
    assert inside <= {id(c) for c in children}
    depth = 0
    for child in children:
        if isinstance(child, Template | ProcessingInstruction):
            depth = templates.block_step(child, depth)
            assert depth >= 0


def test_blocks_cost_linear_time() -> None:
    def cost(n: int) -> float:
        body = "{% if a %}<Hangup/><?php } else { ?><Exit/>{% endif %}<Speak>x</Speak>" * n
        text = f"<Response>{body}<Hangup/></Response>"
        start = time.perf_counter()
        lint(text)
        return time.perf_counter() - start

    cost(200)
    small, large = min(cost(2_000) for _ in range(2)), min(cost(8_000) for _ in range(2))
    assert large < 10 * small + 0.05


def test_long_php_code_costs_linear_time() -> None:
    def cost(n: int) -> float:
        code = "/* " + "'\"{" * n
        text = f"<Response><?php {code} ?><Hangup/><Speak>x</Speak></Response>"
        start = time.perf_counter()
        lint(text)
        return time.perf_counter() - start

    cost(1000)
    small, large = min(cost(20_000) for _ in range(2)), min(cost(80_000) for _ in range(2))
    assert large < 10 * small + 0.05


def test_lint_result_with_a_parse_of_other_syntaxes_never_fails() -> None:
    text = '<Response><Call Url="{{x}}">102</Call>{% if a %}<Hangup/>{% endif %}</Response>'
    for parsed in (ALL, NONE):
        for linted in (ALL, NONE):
            lint_result(parse(text, templates=parsed), LintSettings(templates=linted))
