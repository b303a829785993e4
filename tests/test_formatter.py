"""The formatter: exact output for the documented normalisations and refusals."""

from __future__ import annotations

import pytest

from ozml.formatter import FormatError, format_text
from ozml.lint import lint
from ozml.nodes import ProcessingInstruction
from ozml.parser import parse

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def test_vendor_example_on_one_line_is_laid_out() -> None:
    source = (
        '<?xml version="1.0"?> <Response> <ForwardCall Destination="102"></ForwardCall> </Response>'
    )
    assert (
        format_text(source)
        == HEAD + '<Response>\n  <ForwardCall Destination="102"/>\n</Response>\n'
    )


def test_single_quotes_and_attribute_order_are_normalised() -> None:
    source = "<Response> <Call Url='http://x/?a=1&amp;b=2' CallerId='3000'>102</Call> </Response>"
    assert format_text(source) == HEAD + (
        '<Response>\n  <Call CallerId="3000" Url="http://x/?a=1&amp;b=2">102</Call>\n</Response>\n'
    )


def test_names_and_value_case_are_made_canonical() -> None:
    source = (
        "<OzML><speak party='All'>Hi</speak><Forward Destination='1'/>"
        "<AttendedTransfer TargetCallId='t' tranferorparty='caller'/>"
        "<UserInput repeat='True' enteredUrl='http://x/'/></OzML>"
    )
    # The vendor's other spellings (TranferorParty, enteredUrl) stay, in the vendor's letter
    # case: which one the PBX reads is undocumented (D2), and misspelt-name's rename is unsafe.
    assert format_text(source) == HEAD + (
        "<Response>\n"
        '  <Speak Party="all">Hi</Speak>\n'
        '  <ForwardCall Destination="1"/>\n'
        '  <AttendedTransfer TargetCallId="t" TranferorParty="caller"/>\n'
        '  <UserInput Repeat="true" enteredUrl="http://x/"/>\n'
        "</Response>\n"
    )


def test_the_formatter_makes_no_unsafe_fix() -> None:
    # What it renames is what `ozml check --fix` renames safely; never misspelt-name's rename.
    from ozml.fixes import fix_source

    source = (
        "<Response><speak Party='All'>Hi</speak><Call Dialled='1' Url='http://x/'/>"
        "<AttendedTransfer TargetCallId='t' TranferredCallId='a'/>"
        "<SendSms Recipient='+3620' DelivaryReportURL='http://x/'>Hi</SendSms></Response>"
    )
    formatted = format_text(source)
    assert {d.code for d in lint(formatted)} == {"OZ302"}
    assert {d.code for d in lint(fix_source(source).text)} == {"OZ302"}
    assert 'TranferredCallId="a"' in formatted
    assert 'DelivaryReportURL="http://x/"' in formatted


def test_keep_names_changes_layout_only() -> None:
    source = "<OzML><speak party='All'>Hi</speak></OzML>"
    assert format_text(source, keep_names=True) == HEAD + (
        '<OzML>\n  <speak party="All">Hi</speak>\n</OzML>\n'
    )


def test_unknown_names_are_never_guessed_and_duplicates_are_not_made() -> None:
    source = (
        "<Response><Speek>x</Speek><ForwardCall Destinaton='1'/>"
        "<AttendedTransfer TargetCallId='t' TransferredCallId='a' TranferredCallId='b'/>"
        "<Speak text='a' TEXT='b'/></Response>"
    )
    out = format_text(source)
    assert "<Speek>x</Speek>" in out
    assert 'Destinaton="1"' in out
    assert 'TransferredCallId="a" TranferredCallId="b"' in out
    assert '<Speak Text="a" TEXT="b"/>' in out
    assert parse(out).ok


def test_text_around_text_only_content_is_stripped() -> None:
    source = "<Response>\n  <Speak>\n      Hello\n      world\n  </Speak>\n</Response>"
    assert format_text(source) == HEAD + (
        "<Response>\n  <Speak>Hello\n      world</Speak>\n</Response>\n"
    )


def test_blank_lines_between_nodes_are_kept_as_one() -> None:
    source = HEAD + (
        "<!-- header -->\n\n\n<Response>\n"
        "  <Speak>a</Speak>\n\n\n\n  <!-- second -->\n  <Speak>b</Speak>\n"
        "  <UserInput>\n\n    <InitialCommands><Speak>c</Speak>\n\n<Speak>d</Speak>"
        "</InitialCommands></UserInput>\n\n  <?php x ?>\n</Response>\n\n<!-- end -->\n"
    )
    assert format_text(source) == HEAD + (
        "<!-- header -->\n"
        "\n"
        "<Response>\n"
        "  <Speak>a</Speak>\n"
        "\n"
        "  <!-- second -->\n"
        "  <Speak>b</Speak>\n"
        "  <UserInput>\n"
        "    <InitialCommands>\n"
        "      <Speak>c</Speak>\n"
        "\n"
        "      <Speak>d</Speak>\n"
        "    </InitialCommands>\n"
        "  </UserInput>\n"
        "\n"
        "  <?php x ?>\n"
        "</Response>\n"
        "\n"
        "<!-- end -->\n"
    )


@pytest.mark.parametrize(
    "source",
    [
        # The vendor's PHP sample (docs/templates.md): PHP code before the root.
        "<?php\n$row = fetch();\n?>\n<Response><Speak><?php echo $row; ?></Speak></Response>",
        "<Response><Speak><?= $balance ?></Speak></Response>",
        "<Response><Speak><?PHP echo 1; ?></Speak></Response>",
        # PHP reads comments too: the code runs wherever it stands.
        "<!-- <?php echo 1; ?> --><Response><Hangup/></Response>",
    ],
)
def test_a_php_template_without_a_declaration_gets_none(source: str) -> None:
    # With PHP's short_open_tag on, an added `<?xml` would open PHP code: a syntax error.
    formatted = format_text(source)
    assert not formatted.startswith("<?xml")
    assert format_text(formatted) == formatted
    # Written with one, it keeps it (canonical), and one without PHP code gets it.
    assert format_text("<?xml version='1.0'?>" + source).startswith(HEAD)
    assert format_text("<Response><Speak>$x</Speak></Response>").startswith(HEAD)


def test_a_processing_instruction_keeps_the_white_space_after_its_target() -> None:
    # `<?php` and a line end before a block of code: not joined onto the code's first line
    # (the vendor's sample: tests/test_templates.py).
    source = (
        "<?php\r\n$x = 1;\r\n?>\r\n<Response>\r\n<Speak><?php\techo $x; ?></Speak>\r\n"
        "<?app\n\n  a b ?></Response>\r\n"
    )
    formatted = format_text(source)
    assert formatted == (
        "<?php\r\n$x = 1;\r\n?>\r\n<Response>\r\n  <Speak><?php\techo $x; ?></Speak>\r\n"
        "  <?app\r\n\r\n  a b ?>\r\n</Response>\r\n"
    )
    assert format_text(formatted) == formatted
    # Before no text too: PHP reads `<?php ?>` as an empty block, `<?php?>` not as one.
    for empty in ("<?php ?>", "<?php\n?>", "<?php?>"):
        assert format_text(f"<Response>{empty}</Response>") == f"<Response>{empty}</Response>\n"
    # What XML reads is the same: the white space after a target only separates it.
    assert [(pi.target, pi.text) for pi in _instructions(source)] == [
        (pi.target, pi.text) for pi in _instructions(formatted)
    ]


def _instructions(text: str) -> list[ProcessingInstruction]:
    document = parse(text).document
    assert document.root is not None
    found = [n for n in document.prolog if isinstance(n, ProcessingInstruction)]
    for element in document.root.iter():
        found += [n for n in element.children if isinstance(n, ProcessingInstruction)]
    return found


def test_comments_stay_before_the_element_they_precede() -> None:
    source = "<Response>\n<!-- greet -->\n<Speak>Hi</Speak>\n  <!-- bye -->\n<Hangup/></Response>"
    assert format_text(source) == HEAD + (
        "<Response>\n"
        "  <!-- greet -->\n"
        "  <Speak>Hi</Speak>\n"
        "  <!-- bye -->\n"
        "  <Hangup/>\n"
        "</Response>\n"
    )


def test_comments_at_the_end_of_a_line_stay_there() -> None:
    source = (
        "<Response> <!-- context note -->\n"
        "  <Speak>Hi</Speak><!-- a --><?pi x?>\n"
        "  <UserInput>\n    <Inputs/>\n  </UserInput>   <!-- after the block -->\n"
        "</Response>"
    )
    assert format_text(source) == HEAD + (
        "<Response> <!-- context note -->\n"
        "  <Speak>Hi</Speak> <!-- a --> <?pi x?>\n"
        "  <UserInput>\n"
        "    <Inputs/>\n"
        "  </UserInput> <!-- after the block -->\n"
        "</Response>\n"
    )


def test_noqa_comments_keep_suppressing_their_line() -> None:
    source = (
        "<Response><Speak>Hi</Speak>\n"
        "<ForwardCall>102</ForwardCall> <!-- ozml: noqa OZ105,OZ201 -->\n"
        "<Speek>x</Speek></Response>"
    )
    assert {d.code for d in lint(source)} == {"OZ102"}
    formatted = format_text(source)
    assert "  <ForwardCall>102</ForwardCall> <!-- ozml: noqa OZ105,OZ201 -->\n" in formatted
    assert {d.code for d in lint(formatted)} == {"OZ102"}


def test_cdata_is_kept() -> None:
    source = "<Response><Speak><![CDATA[Press <1> & wait]]></Speak></Response>"
    assert format_text(source) == HEAD + (
        "<Response>\n  <Speak><![CDATA[Press <1> & wait]]></Speak>\n</Response>\n"
    )


def test_crlf_files_stay_crlf() -> None:
    source = "<Response>\r\n<Speak>Hi</Speak>\r\n</Response>\r\n"
    expected = HEAD + "<Response>\n  <Speak>Hi</Speak>\n</Response>\n"
    assert format_text(source) == expected.replace("\n", "\r\n")
    assert format_text(source.encode()).count("\r\n") == 4


def test_other_encodings_become_utf8_with_the_declaration_saying_so() -> None:
    data = "<?xml version='1.0' encoding='ISO-8859-2'?><Response><Speak>\u0151</Speak></Response>"
    out = format_text(data.encode("iso-8859-2"))
    assert out == HEAD + "<Response>\n  <Speak>\u0151</Speak>\n</Response>\n"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "<Response><Speak>Hi</Response>",
            "x.xml:1:31: OZ001 not well-formed XML: Opening and ending tag mismatch",
        ),
        ("", "x.xml:1:1: OZ001 not well-formed XML: the document is empty"),
        ('<!DOCTYPE Response [<!ENTITY e "x">]><Response>&e;</Response>', "x.xml:1:1: OZ002"),
    ],
)
def test_documents_that_cannot_be_formatted_are_refused(source: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        format_text(source, "x.xml")
    assert str(caught.value).startswith(message)
    assert str(caught.value).endswith("; not formatted")


def test_formatting_a_clean_document_keeps_it_clean() -> None:
    source = (
        "<Response><UserInput Timeout='5'><InitialCommands><Speak>Menu</Speak></InitialCommands>"
        "<Inputs><Input Key='1'><BlindTransfer>102</BlindTransfer></Input></Inputs></UserInput>"
        "</Response>"
    )
    assert lint(source) == []
    assert lint(format_text(source)) == []


def test_formatting_fixes_the_naming_findings_and_no_others() -> None:
    source = "<Response><speak Party='All'>Hi</speak><Forward/></Response>"
    before = {d.code for d in lint(source)}
    after = {d.code for d in lint(format_text(source))}
    assert before == {"OZ201", "OZ301", "OZ303"}
    assert after == {"OZ201"}
