"""Variable rules (D8): undefined-variable, unused-variable, undefined-array, item-outside-foreach.

Every case pins the exact findings, positions included (line:col-end_line:end_col), as
``ozml check`` shows them. Only the OZ7xx findings are compared, so that a case can use whatever
else it needs.
"""

from __future__ import annotations

import random

import pytest

from ozml.catalog import Context
from ozml.lint import RULES, LintSettings, lint


def oz7(doc: str, settings: LintSettings | None = None) -> list[str]:
    return [
        f"{d.line}:{d.column}-{d.span.end_line}:{d.span.end_column} {d.code} {d.message}"
        for d in lint(doc, "t.xml", settings or LintSettings())
        if d.code.startswith("OZ7")
    ]


def test_undefined_variable_with_did_you_mean_in_text_and_attribute() -> None:
    doc = (
        "<Response>\n"
        '  <Var Id="customer">Alice</Var>\n'
        "  <Speak>Hello $customer, and $custmer</Speak>\n"
        '  <SendSms Recipient="+3620" Message="Call $custommer"/>\n'
        "</Response>\n"
    )
    assert oz7(doc) == [
        "3:31-3:39 OZ701 $custmer is not defined; did you mean $customer?",
        "4:44-4:54 OZ701 $custommer is not defined; did you mean $customer?",
    ]


def test_the_suggestion_is_carried_on_the_finding() -> None:
    doc = '<Response><Var Id="name">A</Var><Speak>$name $nmae</Speak></Response>'
    (finding,) = [d for d in lint(doc) if d.code == "OZ701"]
    assert finding.suggestion == "$name"


def test_repeated_tokens_get_their_own_positions() -> None:
    doc = (
        "<Response>\n"
        "  <Speak>$a, $a <!-- $a in a comment --> and $a\n"
        "    again $a</Speak>\n"
        "</Response>\n"
    )
    assert oz7(doc) == [
        "2:10-2:12 OZ701 $a is not defined",
        "2:14-2:16 OZ701 $a is not defined",
        "2:46-2:48 OZ701 $a is not defined",
        "3:11-3:13 OZ701 $a is not defined",
    ]


def test_uses_around_child_elements_comments_and_template_parts_are_placed_exactly() -> None:
    # An element's own text is read between its children: the $a of the Speak is the Speak's,
    # those in a comment, a PI or a template part are not uses, one in CDATA is.
    line = (
        '  <UserInput><Inputs><Input Key="1">$a <!-- $a --> <Speak>$a<?x $a?></Speak>'
        " {{ $a }} $a <![CDATA[$a]]> <?php echo $a; ?> $a</Input></Inputs></UserInput>"
    )
    assert oz7(f"<Response>\n{line}\n</Response>\n") == [
        "2:37-2:39 OZ701 $a is not defined",
        "2:59-2:61 OZ701 $a is not defined",
        "2:87-2:89 OZ701 $a is not defined",
        "2:99-2:101 OZ701 $a is not defined",
        "2:123-2:125 OZ701 $a is not defined",
    ]


def test_property_access_checks_the_base_name() -> None:
    doc = '<Response><Var Id="call">x</Var><Speak>$call.from $cal.from</Speak></Response>'
    assert oz7(doc) == ["1:51-1:60 OZ701 $cal is not defined; did you mean $call?"]


def test_names_match_ignoring_case() -> None:
    doc = '<Response><var id="Greeting">Hi</var><Speak>$greeting</Speak></Response>'
    assert oz7(doc) == []


def test_used_before_its_var() -> None:
    doc = (
        "<Response>\n"
        "  <Speak>$late</Speak>\n"
        '  <Var Id="late">now</Var>\n'
        "  <Speak>$late</Speak>\n"
        "</Response>\n"
    )
    assert oz7(doc) == ["2:10-2:15 OZ701 $late is used before its Var on line 3"]


def test_a_var_later_in_the_same_loop_counts() -> None:
    doc = (
        "<Response>\n"
        '  <Array Id="a"><Item>1</Item></Array>\n'
        '  <ForEach Source="a">\n'
        "    <Speak>$previous</Speak>\n"
        '    <Var Id="previous">$item</Var>\n'
        "  </ForEach>\n"
        "</Response>\n"
    )
    assert oz7(doc) == []


def test_alarm_fields_are_set_inside_received_only() -> None:
    doc = (
        "<Response>\n"
        "  <ReceiveAlarmNotification>\n"
        "    <Received>\n"
        '      <SendSms Recipient="+3620" Message="Account $account zone $zone, $zonee"/>\n'
        "    </Received>\n"
        "  </ReceiveAlarmNotification>\n"
        "  <Speak>$eventcode</Speak>\n"
        "</Response>\n"
    )
    assert oz7(doc) == [
        "4:72-4:78 OZ701 $zonee is not defined; did you mean $zone?",
        "7:10-7:20 OZ701 $eventcode is set only inside Received (of ReceiveAlarmNotification)",
    ]


VOICEMAIL = (
    "<Response>\n"
    '  <ForEach Source="voicemails">\n'
    '    <MoveFile SourceFile="$item.message" TargetDirectory="$oldmessagepath"/>\n'
    "  </ForEach>\n"
    "  <Speak>Goodbye $username</Speak>\n"
    "</Response>\n"
)


def test_voicemail_names_are_known_in_extension_scripts_and_by_default() -> None:
    assert oz7(VOICEMAIL) == []
    extension = LintSettings(context=Context.EXTENSION, context_origin="--context")
    assert oz7(VOICEMAIL, extension) == []


def test_voicemail_names_are_unknown_in_other_contexts() -> None:
    routing = LintSettings(context=Context.ROUTING, context_origin="--context")
    assert oz7(VOICEMAIL, routing) == [
        "2:20-2:30 OZ703 ForEach Source 'voicemails' names no Array",
        "3:59-3:74 OZ701 $oldmessagepath is not defined",
        "5:18-5:27 OZ701 $username is not defined",
    ]


def test_known_variables_from_the_configuration() -> None:
    doc = '<Response><Speak>$Caller $callee</Speak><ForEach Source="Queue"/></Response>'
    assert len(oz7(doc)) == 3
    settings = LintSettings(known_variables=frozenset({"caller", "CALLEE", "queue"}))
    assert oz7(doc, settings) == []


@pytest.mark.parametrize(
    "value",
    [
        "{{ $user }}",
        "{% if $vip %}Welcome{% endif %}",
        "${customer}",
        "<%= $x %>",
        "Total: $5 and 10$",
    ],
)
def test_template_placeholders_and_prices_are_not_variables(value: str) -> None:
    doc = f'<Response><Speak>{value}</Speak><Play AudioFile="{value}.wav"/></Response>'
    assert oz7(doc) == []
    # Written with character references, `&lt;%=` opens no part (docs/templates.md): its `$x`
    # is an OzML variable.
    escaped = value.replace("<", "&lt;").replace(">", "&gt;")
    doc = f'<Response><Speak>{escaped}</Speak><Play AudioFile="{escaped}.wav"/></Response>'
    assert len(oz7(doc)) == (2 if "<" in value else 0)


def test_php_processing_instructions_are_not_text() -> None:
    doc = "<Response><Speak>Hello <?php echo $name ?></Speak></Response>"
    assert oz7(doc) == []


def test_a_dynamic_var_id_may_define_anything() -> None:
    doc = '<Response><Var Id="{{ key }}">x</Var><Speak>$whatever</Speak></Response>'
    assert oz7(doc) == []


def test_an_undocumented_command_may_define_its_attribute_values() -> None:
    # WaitForMsg stores a message "in a variable"; its attribute names are UNKNOWN.
    doc = '<Response><WaitForMsg Into="reply"/><Speak>$reply</Speak></Response>'
    assert oz7(doc) == []


# --- unused-variable -----------------------------------------------------------------------------


def test_unused_var_and_array() -> None:
    doc = (
        "<Response>\n"
        '  <Var Id="greeting">Welcome</Var>\n'
        '  <Array id="news"><Item>x</Item></Array>\n'
        '  <Var Id="used">x</Var>\n'
        '  <Play AudioFile="$used.wav"/>\n'
        "</Response>\n"
    )
    assert oz7(doc) == [
        "2:12-2:20 OZ702 Var greeting is defined but $greeting is never used",
        "3:14-3:18 OZ702 Array news is defined but no ForEach reads it",
    ]


def test_a_script_that_continues_elsewhere_may_use_its_variables_there() -> None:
    unused = '<Response><Var Id="pin">1234</Var><GoTo>http://app.example/next</GoTo></Response>'
    assert oz7(unused) == []
    menu = (
        '<Response><Var Id="pin">1234</Var>'
        '<UserInput ForwardToURL="http://app.example/dtmf"><InitialCommands>'
        "<Speak>PIN?</Speak></InitialCommands></UserInput></Response>"
    )
    assert oz7(menu) == []


def test_an_array_read_as_a_variable_counts_as_used() -> None:
    doc = '<Response><Array Id="list"><Item>x</Item></Array><Speak>$list</Speak></Response>'
    assert oz7(doc) == []


def test_a_dynamic_foreach_source_may_read_any_array() -> None:
    doc = (
        '<Response><Array Id="a"><Item>x</Item></Array>'
        '<ForEach Source="{{ which }}"><Speak>$item</Speak></ForEach></Response>'
    )
    assert oz7(doc) == []


# --- undefined-array and item-outside-foreach ----------------------------------------------------


def test_undefined_array_with_suggestion_and_defined_later() -> None:
    doc = (
        "<Response>\n"
        '  <ForEach Source="later"><Speak>$item</Speak></ForEach>\n'
        '  <Array Id="later"><Item>x</Item></Array>\n'
        '  <ForEach Source="latr"><Speak>$item</Speak></ForEach>\n'
        "</Response>\n"
    )
    assert oz7(doc) == [
        "2:20-2:25 OZ703 ForEach reads Array later before it is defined on line 3",
        "4:20-4:24 OZ703 ForEach Source 'latr' names no Array; did you mean 'later'?",
    ]


def test_item_outside_foreach_including_the_foreach_element_itself() -> None:
    doc = (
        "<Response>\n"
        '  <Array Id="a"><Item>x</Item></Array>\n'
        '  <ForEach Source="a" Note="$item">\n'
        '    <ForEach Source="a"><Speak>$item.date</Speak></ForEach>\n'
        "  </ForEach>\n"
        "  <Speak>$item.date</Speak>\n"
        "</Response>\n"
    )
    assert oz7(doc) == [
        "3:29-3:34 OZ704 $item is set only inside ForEach",
        "6:10-6:20 OZ704 $item.date is set only inside ForEach",
    ]


def test_a_var_named_item_or_a_known_item_is_not_reported() -> None:
    own = '<Response><Var Id="item">x</Var><Speak>$item</Speak></Response>'
    assert oz7(own) == []
    outside = "<Response><Speak>$item</Speak></Response>"
    assert oz7(outside, LintSettings(known_variables=frozenset({"Item"}))) == []


@pytest.mark.parametrize("rule", [r for r in RULES if r.code.startswith("OZ7")], ids=str)
def test_rule_documentation_examples(rule: type) -> None:
    failing, passing = rule.examples()
    assert [d.code for d in lint(failing)] == [rule.code]
    assert lint(passing) == []


@pytest.mark.parametrize(
    ("command", "value"),
    [
        ("<Play Repeat='{}'>a.wav</Play>", "{{ repeat }}"),
        ("<Delay>{}</Delay>", "{% if slow %}5{% else %}1{% endif %}"),
        ("<UserInput Timeout='{}'><Inputs><Input Key='1'><Hangup/></Input></Inputs></UserInput>",
         "${timeout}"),
        ("<Call Url='{}'>102</Call>", "<?php echo $base ?>/connected.php"),
        ("<SendSms Recipient='{}'>Hi</SendSms>", "$phone"),
        ("<Play Party='{}'>a.wav</Play>", "<%= party %>"),
    ],
)
def test_dynamic_values_are_not_type_checked(command: str, value: str) -> None:
    doc = "<Response>" + command.format(value) + "</Response>"
    found = [d.code for d in lint(doc, "t.xml", LintSettings(known_variables=frozenset({"phone"})))]
    assert found == []


def _nested(rng: random.Random, depth: int = 0) -> str:
    """A menu nesting commands, variable uses and comments at every level."""
    if depth > 3 or rng.random() < 0.3:
        return rng.choice(
            [
                "<Speak>say $x now</Speak>",
                "<Speak><!-- $x --> $x</Speak>",
                "<Speak>$x<!--a--></Speak>",
                "<Hangup/>",
                "<!-- c $x -->",
            ]
        )
    kids = "".join(_nested(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    text = rng.choice(["", " $q ", " <!-- $q --> $q "])
    key = rng.randint(0, 9)
    return f'<UserInput><Inputs><Input Key="{key}">{text}{kids}</Input></Inputs></UserInput>'


def test_a_plain_document_places_its_variables_as_its_tree_does() -> None:
    """Where a use is, around the comments of its element, is read from the text of a plain
    document (its tree is not built) and from the tree otherwise: the findings are the same."""
    from ozml.lint.linter import lint_result
    from ozml.parser import parse

    rng = random.Random(3)
    compared = 0
    for _ in range(400):
        commands = "".join(_nested(rng) for _ in range(rng.randint(1, 5)))
        text = f"<Response>{commands}</Response>"
        plain = lint_result(parse(text, "d.xml", records=True), LintSettings())
        built = parse(text, "d.xml", records=True)
        assert built.document.root is not None  # the tree built before the lint
        found = lint_result(built, LintSettings())
        assert [(d.code, d.span, d.message) for d in plain] == [
            (d.code, d.span, d.message) for d in found
        ], text
        compared += len(found)
    assert compared > 400  # not vacuous: the uses are found and placed
