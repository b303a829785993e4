"""Server-side template parts (issue 11, class 4; docs/templates.md): a processing instruction or
a template placeholder where a value, a text or commands belong is a dynamic value. It satisfies
the parameter, is not type-checked, holds no OzML variable, the formatter keeps it byte for byte,
and no finding points inside it; the other findings of the same document keep their exact
positions."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ozml import templates
from ozml.config import ConfigError, Overrides, Resolver, load
from ozml.diagnostics import Diagnostic
from ozml.formatter import FormatError, format_result, format_text
from ozml.lint import LintSettings, lint, quick
from ozml.lint.linter import lint_result
from ozml.nodes import Template, Text
from ozml.parser import parse
from ozml.writer import write


def check(text: str, syntaxes: frozenset[str] | None = None) -> list[str]:
    """Findings as ``CODE line:column``, parsed with `syntaxes` (None: all)."""
    result = parse(text, "t.xml", templates=syntaxes)
    options = LintSettings() if syntaxes is None else LintSettings(templates=syntaxes)
    return [f"{d.code} {d.line}:{d.column}" for d in lint_result(result, options)]


# --- one table per syntax ------------------------------------------------------------------------

#: (syntax, placeholder): each stands where a value or a text belongs.
PLACEHOLDERS = [
    ("php", "<?php echo $row['balance']; ?>"),
    ("php", "<?= $seconds ?>"),
    ("php", "<?php echo $a < $b ? 5 : 10; ?>"),
    ("asp", "<%= seconds %>"),
    ("asp", "<% Response.Write(delay & \"s\") %>"),
    ("jinja", "{{ seconds }}"),
    ("jinja", "{{ a < b and c & d }}"),
    ("jinja", "{% if vip %}5{% else %}10{% endif %}"),
    ("el", "${seconds}"),
    ("el", "${a < b ? 5 : 10}"),
]
IDS = [f"{syntax}:{text}" for syntax, text in PLACEHOLDERS]


def placeholder_document(p: str) -> str:
    # Line 2: a text parameter; 3: a typed text; 4: a typed attribute; 5 and 6: real mistakes,
    # one after a placeholder on its line.
    return (
        "<Response>\n"
        f"  <Speak>{p}</Speak>\n"
        f"  <Delay>{p}</Delay>\n"
        f'  <Play Repeat="{p}">a.wav</Play>\n'
        f'  <Speak Text="{p}"/><Play Repeat="yes">b.wav</Play>\n'
        "  <ForwardCall/>\n"
        "</Response>\n"
    )


@pytest.mark.parametrize(("syntax", "p"), PLACEHOLDERS, ids=IDS)
def test_a_placeholder_is_a_dynamic_value(syntax: str, p: str) -> None:
    doc = placeholder_document(p)
    column = len(f'  <Speak Text="{p}"/><Play Repeat="') + 1
    # Speak's Text satisfied, Delay and Repeat not type-checked; the real mistakes exact.
    assert check(doc) == [f"OZ202 5:{column}", "OZ201 6:4"]


@pytest.mark.parametrize(("syntax", "p"), PLACEHOLDERS, ids=IDS)
def test_the_formatter_keeps_a_placeholder_byte_for_byte(syntax: str, p: str) -> None:
    doc = placeholder_document(p).replace("<ForwardCall/>", '<ForwardCall   Destination="1" />')
    out = format_text(doc)
    assert out.count(p) == 4
    assert '<ForwardCall Destination="1"/>' in out
    assert format_text(out) == out  # idempotent
    assert [f.split()[0] for f in check(out)] == [f.split()[0] for f in check(doc)]


@pytest.mark.parametrize(("syntax", "p"), PLACEHOLDERS, ids=IDS)
def test_a_syntax_turned_off_is_not_a_placeholder(syntax: str, p: str) -> None:
    others = templates.DEFAULT - {syntax}
    found = check(placeholder_document(p), others)
    assert found != check(placeholder_document(p))
    if not p.startswith("<?php"):  # a processing instruction is always one (in text)
        assert found


def test_processing_instructions_are_always_dynamic() -> None:
    doc = "<Response><Speak><?php echo $row['balance']; ?></Speak><Delay><?x 5?></Delay></Response>"
    assert check(doc, frozenset()) == []


# --- the vendor's sample and between commands -----------------------------------------------------

VENDOR_IVR = """\
<?php
$row = $db->query("SELECT balance FROM accounts WHERE caller = ?", [$_POST['Caller']])->fetch();
?>
<Response>
  <Speak>Your balance is</Speak>
  <Speak><?php echo $row['balance']; ?></Speak>
  <Speak>dollars. Goodbye.</Speak>
  <Hangup/>
</Response>
"""


def test_the_vendor_ivr_sample_is_clean() -> None:
    assert lint(VENDOR_IVR, "balance.php") == []
    assert lint("<Response><Speak><?php echo $row['balance']; ?></Speak></Response>") == []
    # Formatted as it is written: no declaration added to a PHP template written without
    # one, and the line end after `<?php` kept (tests/test_formatter.py).
    assert format_text(VENDOR_IVR) == VENDOR_IVR


LOOP = """\
<Response>
  {% for item in items %}<Speak>{{ item }}</Speak>{% endfor %}
  {% if vip %}
  <ForwardCall Destination="{{ agent }}"/>
  {% else %}
  <Play>{{ jingle }}</Play>
  {% endif %}
  <ForwardCall/>
</Response>
"""


def test_blocks_between_commands_are_dynamic_content() -> None:
    assert check(LOOP) == ["OZ201 8:4"]
    root = parse(LOOP).document.root
    assert root is not None
    assert [c.text for c in root.children if isinstance(c, Template)] == [
        "{% for item in items %}",
        "{% endfor %}",
        "{% if vip %}",
        "{% else %}",
        "{% endif %}",
    ]
    assert not any(isinstance(c, Text) for c in root.children)
    formatted = format_text(LOOP)
    assert "  {% for item in items %}\n  <Speak>{{ item }}</Speak>\n  {% endfor %}\n" in formatted
    assert format_text(formatted) == formatted


def test_text_beside_a_block_is_still_text() -> None:
    doc = "<Response>\n  Hello {% if x %}<Hangup/>{% endif %}\n</Response>"
    assert check(doc) == ["OZ105 2:3"]


@pytest.mark.parametrize(
    "doc",
    [
        "<Response>\n  <% If vip Then %><Hangup/><% End If %>\n</Response>",
        "<Response>\n  <?php if ($vip) { ?><Hangup/><?php } ?>\n</Response>",
        "<Response>\n  <?php foreach ($items as $i): ?>\n  <Speak><?= $i ?></Speak>\n"
        "  <?php endforeach; ?>\n</Response>",
    ],
)
def test_control_blocks_of_every_syntax(doc: str) -> None:
    assert check(doc) == []
    assert format_text(format_text(doc)) == format_text(doc)


# --- PHP that is not well-formed XML ------------------------------------------------------------


def test_php_inside_attribute_values_and_tags() -> None:
    doc = dedent("""\
        <Response>
          <Speak Text="<?php echo htmlspecialchars($t); ?>"/>
          <Speak <?php if ($all) echo 'Party="all"'; ?>>Hi</Speak>
          <Play <?php echo $attributes; ?>/>
          <Delay>x</Delay>
        </Response>
    """)
    # The attributes a template writes are unknown: Play is not said to lack AudioFile.
    assert check(doc) == ["OZ202 5:10"]
    with pytest.raises(FormatError, match=r"t.xml:3:10: a template part inside a tag"):
        format_result(parse(doc, "t.xml"))


def test_php_blocks_spanning_elements() -> None:
    doc = dedent("""\
        <Response>
          <?php if ($row) { ?>
            <Speak><?= $row['balance'] ?></Speak>
          <?php } else { ?>
            <Speak>No account.</Speak>
          <?php } ?>
          <Delay>soon</Delay>
        </Response>
    """)
    assert check(doc) == ["OZ202 7:10"]


def test_php_ends_a_part_where_php_code_ends() -> None:
    # The PHP manual's way to write the declaration with short_open_tag on: the first `?>` is
    # in a string, where XML would end a processing instruction and PHP does not.
    doc = "<?php echo '<?xml version=\"1.0\"?>'; ?>\n<Response><Speak>Hi</Speak></Response>\n"
    parts = list(templates.find(doc))
    assert [(doc[p.start : p.end], p.where) for p in parts] == [
        (doc[: doc.index("\n")], templates.Where.OUTSIDE)
    ]
    assert check(doc) == []
    with pytest.raises(FormatError, match="a template part outside the root element"):
        format_text(doc)
    # (code, whether PHP ends it past its first `?>`): in a text, code XML reads whole is a
    # processing instruction, not a part; in a value, a part either way.
    code = [
        ("<?php echo '?>'; ?>", True),  # a string
        ('<?php echo "\\"?>"; ?>', True),  # an escaped quote in a string
        ("<?php echo 'it\\'s ?>'; ?>", True),  # one in a single-quoted string
        ("<?php /* ?> */ echo 1; ?>", True),  # a block comment
        ("<?php echo 'a\\\\', '?>'; ?>", True),  # an escaped backslash, then the quote
        ("<?php // ?> ends a line comment, and PHP", False),
        ("<?php # so does this ?>", False),
    ]
    for written, past_first in code:
        end = written.rindex("?>") + 2 if past_first else written.index("?>") + 2
        doc = f"<Response><Speak>{written} more</Speak><Speak Text=\"{written}\"/></Response>"
        found = [doc[p.start : p.end] for p in templates.find(doc)]
        assert found == [written[:end]] * (2 if past_first else 1), written
    # A block XML reads whole stays a processing instruction; code that never ends (a string
    # or a comment to the end of the text) ends where XML ends it, as before.
    assert list(templates.find("<Response><?php echo 1; ?></Response>")) == []
    for broken in ("<?php echo 'a ?>", "<?php /* a ?>"):
        doc = f"<Response><Speak>{broken}</Speak><Speak Text=\"{broken}\"/></Response>"
        assert [doc[p.start : p.end] for p in templates.find(doc)] == [broken]  # the value's
        assert check(doc) == []


def test_a_findings_position_is_never_inside_a_template() -> None:
    doc = (
        '<Response><ForwardCall Destination="{{ a }}" Bogus="x"/><Speak>{{ a > b }}</Speak>'
        '<Play/><Speak>{{ "<b>" }}</Speak></Response>'
    )
    found = lint(doc)
    # An expression holding markup (``<b>``) is not a placeholder: {{ and }} are text, and the
    # document is not well-formed XML.
    assert [d.code for d in found] == ["OZ001", "OZ001"]
    doc = doc.replace('{{ "<b>" }}', "{{ b }}")
    found = lint(doc)
    assert [f"{d.code} {d.line}:{d.column}" for d in found] == ["OZ103 1:46", "OZ201 1:84"]
    _no_overlap(doc, found)


# --- variables --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "<?php echo $row['name'] ?>",
        "<?= $name ?>",
        "{{ $user }}",
        "{# $note #}",
        "${name}",
        "<%= $x %>",
    ],
)
def test_dollars_in_templates_are_not_ozml_variables(value: str) -> None:
    doc = f'<Response><Speak Text="{value}"/><Speak>{value}</Speak></Response>'
    assert check(doc) == []
    assert check("<Response><Speak>$name</Speak></Response>") == ["OZ701 1:18"]


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "opener",
    [
        "{{", "{%", "{#", "${", "<%", "<?php ", "<?=", '<a b="{{', "<a {%", "<Response>{{<a>",
        # PHP code that never ends: a string or a comment to the end of the text, each block.
        "<?php /* ?>", "<?php ' ?>", '<?php "\\" ?>', "<?php // ?>",
    ],
)  # fmt: skip
def test_unclosed_openers_cost_linear_time(opener: str) -> None:
    def cost(n: int) -> float:
        text = "<Response>" + opener * n
        start = time.perf_counter()
        templates.mask(text)
        lint(text)
        return time.perf_counter() - start

    cost(1000)
    small, large = min(cost(20_000) for _ in range(2)), min(cost(80_000) for _ in range(2))
    assert large < 10 * small + 0.05  # 4x the input: far less than 16x


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{{",
        "<%",
        "<?php",
        "\ue000",
        "<Response>\ue000{{ x }}</Response>",
        "<Response>{{ x }}</Response>\ue000",
        "{% extends 'base.xml' %}<Response/>",
        "<{{ tag }}/>",
        "<Response><Speak>{{</Speak></Response>",
        "<Response><Speak Text='{{ \"a\" }}'/></Response>",
        b"\xff\xfe<\x00R\x00/\x00>\x00{\x00{\x00",
        b'<?xml version="1.0" encoding="ISO-8859-1"?><Response><Speak>\xe9 {{ x }}</Speak>'
        b"</Response>",
        b'<?xml version="1.0" encoding="nonsense"?><Response>{{ x }}</Response>',
    ],
)
def test_bad_input_is_a_finding_never_a_traceback(text: str | bytes) -> None:
    lint(text)
    result = parse(text)
    if result.ok:
        with contextlib.suppress(FormatError):
            format_result(result)


def test_non_utf8_documents_keep_their_text() -> None:
    data = (
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<Response><Speak>Caf\xe9 {{ x }}</Speak>'
        b"</Response>"
    )
    result = parse(data)
    assert result.document.root is not None
    speak = next(result.document.root.elements)
    assert speak.text == "Café {{ x }}"
    assert lint(data) == []


# --- configuration -------------------------------------------------------------------------------


def test_names_and_aliases() -> None:
    assert templates.names(["PHP", "twig", "jsp"]) == {"php", "jinja", "asp", "el"}
    assert templates.names([]) == frozenset()
    with pytest.raises(ValueError, match="'jinj' is not a template syntax; did you mean 'jinja'"):
        templates.names(["jinj"])


def test_the_templates_setting(tmp_path: Path) -> None:
    (tmp_path / "ozml.toml").write_text('templates = ["php", "twig"]\n')
    config = load(tmp_path / "ozml.toml")
    assert config is not None
    assert config.templates == {"php", "jinja"}
    resolver = Resolver()
    assert resolver.settings_for(tmp_path / "a.xml").templates == {"php", "jinja"}
    assert Resolver(Overrides(templates=frozenset())).settings_for(
        tmp_path / "a.xml"
    ).templates == frozenset()
    (tmp_path / "ozml.toml").write_text("templates = []\n")
    assert Resolver().settings_for(tmp_path / "a.xml").templates == frozenset()
    (tmp_path / "ozml.toml").write_text("")
    assert Resolver().settings_for(tmp_path / "a.xml").templates == templates.DEFAULT


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('templates = "php"', "templates: expected a list of strings, found a string ('php')"),
        ('templates = ["smarty"]', "templates: 'smarty' is not a template syntax"),
        ('templates = ["jinj"]', "did you mean 'jinja'?"),
    ],
)
def test_bad_templates_settings(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "ozml.toml").write_text(content + "\n")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load(tmp_path / "ozml.toml")


def test_the_setting_reaches_the_type_checks_of_any_parse() -> None:
    # `ozml check` parses with every syntax; the settings still decide what is type-checked.
    doc = '<Response><Delay>{{ s }}</Delay><Play Repeat="${r}">a.wav</Play></Response>'
    result = parse(doc)
    assert lint_result(result, LintSettings()) == []
    off = lint_result(result, LintSettings(templates=frozenset({"php"})))
    assert [f"{d.code} {d.line}:{d.column}" for d in off] == ["OZ202 1:18", "OZ202 1:47"]
    assert lint(doc, settings=LintSettings(templates=frozenset())) == off
    # A processing instruction stays dynamic.
    pi = "<Response><Delay><?php echo $s ?></Delay></Response>"
    assert lint(pi, settings=LintSettings(templates=frozenset())) == []


def test_asp_off_is_not_well_formed() -> None:
    doc = "<Response><Speak><%= x %></Speak></Response>"
    assert check(doc, frozenset({"php"})) == ["OZ001 1:19"]
    assert check(doc) == []


# --- the quick check never calls clean what the linter does not ---------------------------------


@pytest.mark.parametrize(("syntax", "p"), PLACEHOLDERS, ids=IDS)
def test_the_quick_check_leaves_template_documents_to_the_linter(syntax: str, p: str) -> None:
    doc = f'<Response><Speak>{p}</Speak><Speak Text="{p}"/></Response>'.encode()
    assert not quick.prove_by_schema(doc)
    assert not quick.prove_by_regex(doc)
    near_misses = [
        b"<Response><Speak Text='{{'/><Hangup/><Speak Text='}}'/></Response>",
        b'<Response><Play Repeat="{{" AudioFile="}}"/></Response>',
        b"<Response><Speak>{{</Speak><Speak>}}</Speak></Response>",
        b'<Response><Speak Text="${"/><Speak Text="}"/></Response>',
    ]
    for near in [doc, *near_misses]:
        if quick.prove_by_schema(near) or quick.prove_by_regex(near):
            assert lint(near) == [], near


# --- properties -----------------------------------------------------------------------------------

_INNER = st.text(
    st.characters(codec="ascii", exclude_characters="{}%#<>?$\"'&\r\x00", min_codepoint=32),
    max_size=12,
)


@st.composite
def placeholders(draw: st.DrawFn) -> str:
    inner = draw(_INNER)
    opener, closer = draw(
        st.sampled_from(
            [("{{ ", " }}"), ("{% ", " %}"), ("${", "}"), ("<%= ", " %>"), ("<?= ", " ?>"),
             ("{# ", " #}"), ("<?php echo ", "; ?>")]
        )
    )
    return opener + inner.strip() + closer


#: Slots where a value or text belongs; @ is the placeholder.
_SLOTS = [
    "<Speak>@</Speak>",
    "<Speak>Hello @ and welcome</Speak>",
    '<Speak Text="@"/>',
    "<Delay>@</Delay>",
    '<Play Repeat="@">a.wav</Play>',
    '<ForwardCall Destination="@"/>',
    '<BlindTransfer Target="@"/>',
    '<Var Id="n" Value="@"/><Speak>$n</Speak>',
    '<SendSms Recipient="@" Message="@"/>',
    "<Play>@</Play>",
    "<Bogus>@</Bogus>",
    "<ForwardCall/>",
]


def _filled(slot: str, parts: list[str]) -> str:
    pieces = slot.split("@")
    out = [pieces[0]]
    for part, piece in zip(parts, pieces[1:], strict=False):
        out += [part, piece]
    return "".join(out)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(_SLOTS), st.lists(placeholders(), min_size=2, max_size=2)),
        max_size=8,
    )
)
def test_placeholders_survive_formatting_and_are_never_pointed_into(
    slots: list[tuple[str, list[str]]],
) -> None:
    body = "".join("\n  " + _filled(slot, parts) for slot, parts in slots)
    doc = f"<Response>{body}\n</Response>\n"
    used = [p for slot, parts in slots for p in parts[: slot.count("@")]]
    out = format_text(doc)
    for p in used:
        assert out.count(p) >= used.count(p), p
    assert format_text(out) == out
    found = lint(doc)
    assert "OZ001" not in {d.code for d in found}
    _no_overlap(doc, found)
    # Formatted, the same findings (at the places the formatter moved them to).
    assert [d.code for d in lint(out)] == [d.code for d in found]


def _no_overlap(doc: str, found: list[Diagnostic]) -> None:
    spans = [(p.start, p.end) for p in templates.find(doc)]
    for d in found:
        for start, end in spans:
            assert not (d.span.start < end and start < d.span.end), (d, doc[start:end])
            assert not start < d.span.start < end, (d, doc[start:end])


def test_write_keeps_parts_of_a_parsed_tree() -> None:
    doc = '<Response><Speak Text="a &amp; {{ b & c }}">x &lt; {{ y < z }}</Speak></Response>'
    out = write(parse(doc).document, declaration=False)
    assert out == (
        "<Response>\n"
        '  <Speak Text="a &amp; {{ b & c }}">x &lt; {{ y < z }}</Speak>\n'
        "</Response>\n"
    )
    assert parse(out).document == parse(doc).document


# --- the setting reaches every parse -------------------------------------------------------------


def _check(tmp_path: Path, *options: str, config: str = "") -> subprocess.CompletedProcess[str]:
    document = tmp_path / "t.xml"
    document.write_text("<Response>\n<Delay>{{ seconds }}</Delay>\n</Response>\n")
    if config:
        (tmp_path / "ozml.toml").write_text(config)
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", *options, str(document)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )


def test_templates_option_and_configuration_reach_the_lint(tmp_path: Path) -> None:
    assert _check(tmp_path).returncode == 0
    off = _check(tmp_path, "--templates", "php")
    assert off.returncode == 1
    assert "OZ202" in off.stdout
    assert _check(tmp_path, config='templates = ["php"]\n').returncode == 1
    # The option wins over the configuration.
    assert _check(tmp_path, "--templates", "jinja", config='templates = ["php"]\n').returncode == 0
    bad = _check(tmp_path, "--templates", "phpp")
    assert bad.returncode == 2
    assert "did you mean 'php'" in bad.stderr


def test_the_cache_key_changes_with_the_templates() -> None:
    from ozml.cache import settings_key
    from ozml.lint import LintSettings

    assert settings_key(LintSettings()) != settings_key(LintSettings(templates=["php"]))


#: Every byte string holding one of these may hold a template part (`templates.may_hold`).
_EVERY_HINT = (b"{", b"<%", b"<?=", b"<?php", b"<?PHP")
#: What the documents of the test are made of: the hints' bytes, cut up, a declaration and a
#: byte order mark (which may come before it).
_PIECES = [b"<?xml", b"<?", b"<", b"?", b"%", b"{", b"=", b"php", b"PHP", b"x", b" "]
_PIECES += [b"\xef\xbb\xbf"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_may_hold_is_false_only_without_any_hint(pieces: list[bytes]) -> None:
    """The parser skips masking when `may_hold` is False: it must be False exactly when the
    document holds none of the openers of a syntax, wherever they stand (the first byte too)."""
    data = b"".join(pieces)
    assert templates.may_hold(data) == any(hint in data for hint in _EVERY_HINT)
    assert templates.may_hold(data.decode("utf-8")) == templates.may_hold(data)
