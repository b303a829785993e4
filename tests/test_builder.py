"""The builder: catalog-shaped classes, exact XML, and the linter's codes and messages."""

from __future__ import annotations

import doctest
import importlib
from collections.abc import Callable
from pathlib import Path

import pytest

import ozml.builder
from ozml.builder import (
    Array,
    AttendedTransfer,
    BlindTransfer,
    BuildError,
    Call,
    CallSetup,
    Comment,
    Delay,
    DeleteFile,
    Dynamic,
    Exit,
    ForEach,
    ForwardCall,
    Hangup,
    Hold,
    InitialCommands,
    Input,
    Inputs,
    Item,
    OnError,
    OnSetup,
    Play,
    Record,
    Reject,
    Request,
    Response,
    Route,
    SendAlarmNotification,
    SendDTMF,
    Speak,
    UnknownElement,
    UserInput,
    Var,
)
from ozml.builder.base import CONTEXT_ORIGIN, child_problem
from ozml.catalog import Context, command
from ozml.generate.builder import TARGET, elements, generate, python_name
from ozml.lint import LintSettings, lint
from ozml.nodes import Element, Text
from ozml.parser import parse

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def test_the_generated_module_matches_the_catalog(repo_root: Path) -> None:
    assert (repo_root / TARGET).read_text(encoding="utf-8") == generate(), (
        "ozml/builder/_generated.py is out of date: run `python -m ozml.generate`"
    )


def test_every_element_of_a_document_has_a_class_and_nothing_else_does() -> None:
    names = {cmd.name for cmd in elements()}
    assert set(ozml.builder._generated.__all__) == names
    assert "ListActiveCalls" not in names  # HTTP-only commands belong to the API client
    for name in names:
        assert getattr(ozml.builder, name).ozml_name == name


def test_keyword_arguments_are_snake_case_of_the_canonical_names() -> None:
    assert [python_name(n) for n in ("TargetCallId", "TransferorParty", "ApiExtension")] == [
        "target_call_id",
        "transferor_party",
        "api_extension",
    ]
    assert python_name("ForwardToURL") == "forward_to_url"
    assert python_name("DeliveryReportURL") == "delivery_report_url"


def test_the_issue_example() -> None:
    built = Response(Speak("Hello", language="en-US"), ForwardCall(destination="102"))
    assert built.to_xml() == HEAD + (
        '<Response>\n  <Speak Language="en-US">Hello</Speak>\n'
        '  <ForwardCall Destination="102"/>\n</Response>\n'
    )


def test_positional_text_parameters() -> None:
    assert Speak("Hello").to_xml() == "<Speak>Hello</Speak>\n"
    assert BlindTransfer("102").to_xml() == "<BlindTransfer>102</BlindTransfer>\n"
    assert BlindTransfer(102).to_xml() == "<BlindTransfer>102</BlindTransfer>\n"
    assert Delay(1).to_xml() == "<Delay>1</Delay>\n"
    assert Delay(1.5).to_xml() == "<Delay>1.5</Delay>\n"
    assert Delay(1e-05).to_xml() == "<Delay>0.00001</Delay>\n"
    assert Call("102", url="http://x/c").to_xml() == '<Call Url="http://x/c">102</Call>\n'
    assert Var("greeting", "Hello").to_xml() == '<Var Id="greeting">Hello</Var>\n'
    assert CallSetup("101", "102").to_xml() == '<CallSetup Caller="101" Callee="102"/>\n'


def test_values_that_element_text_would_change_are_written_as_attributes() -> None:
    assert Route("").to_xml() == '<Route Destination=""/>\n'
    assert Route().to_xml() == "<Route/>\n"
    assert Speak(" padded ").to_xml() == '<Speak Text=" padded "/>\n'
    assert Item("").to_xml() == '<Item Value=""/>\n'


def test_python_values_become_ozml_text() -> None:
    built = UserInput(repeat=True, timeout=10, digits=2, back_key="*")
    assert built.params == {"Repeat": "true", "Timeout": "10", "BackKey": "*", "Digits": "2"}
    assert Play("a.wav", repeat=False).params["Repeat"] == "false"
    assert UserInput(timeout=Dynamic("$t")).params == {"Timeout": "$t"}


def test_a_whole_number_of_any_length_is_written() -> None:
    # str() refuses more than 4,300 digits: a ValueError from inside the builder before.
    many = 10**5000 + 7
    assert UserInput(digits=many).params["Digits"] == "1" + "0" * 4999 + "7"
    assert UserInput(digits=12).params["Digits"] == "12"


def test_nesting_follows_the_catalog() -> None:
    menu = Response(
        UserInput(
            InitialCommands(Speak("Press 1 for sales"), Delay(2)),
            Inputs(
                Input(1, BlindTransfer(200)),
                Input("2", UserInput(Inputs(Input("*", Hangup())))),
            ),
            timeout=5,
        ),
        Array("names", "Alice", Item("Bob")),
        ForEach("names", Speak("Hello $item")),
        Request(
            "102@localhost",
            OnSetup(Speak("Ringing")),
            OnError(Comment(" nothing to do "), Hangup()),
        ),
    )
    assert menu.to_xml() == HEAD + (
        "<Response>\n"
        '  <UserInput Timeout="5">\n'
        "    <InitialCommands>\n"
        "      <Speak>Press 1 for sales</Speak>\n"
        "      <Delay>2</Delay>\n"
        "    </InitialCommands>\n"
        "    <Inputs>\n"
        '      <Input Key="1">\n'
        "        <BlindTransfer>200</BlindTransfer>\n"
        "      </Input>\n"
        '      <Input Key="2">\n'
        "        <UserInput>\n"
        "          <Inputs>\n"
        '            <Input Key="*">\n'
        "              <Hangup/>\n"
        "            </Input>\n"
        "          </Inputs>\n"
        "        </UserInput>\n"
        "      </Input>\n"
        "    </Inputs>\n"
        "  </UserInput>\n"
        '  <Array Id="names">\n'
        "    <Item>Alice</Item>\n"
        "    <Item>Bob</Item>\n"
        "  </Array>\n"
        '  <ForEach Source="names">\n'
        "    <Speak>Hello $item</Speak>\n"
        "  </ForEach>\n"
        '  <Request DialedAddress="102@localhost">\n'
        "    <OnSetup>\n"
        "      <Speak>Ringing</Speak>\n"
        "    </OnSetup>\n"
        "    <OnError>\n"
        "      <!-- nothing to do -->\n"
        "      <Hangup/>\n"
        "    </OnError>\n"
        "  </Request>\n"
        "</Response>\n"
    )
    assert lint(menu.to_xml()) == []
    assert parse(menu.to_xml()).document == menu.to_document()


def test_elements_are_values() -> None:
    assert Speak("Hi", party="all") == Speak("Hi", party="all")
    assert Speak("Hi") != Speak("Hi", party="all")
    assert repr(Response(Speak("Hi", party="all"))) == "Response(Speak(text='Hi', party='all'))"
    assert str(Response(Hangup())) == Response(Hangup()).to_xml()
    assert Response(Hangup()).to_bytes() == Response(Hangup()).to_xml().encode("utf-8")


# --- the linter's codes and messages ------------------------------------------------------------


def findings(xml: str, context: Context = Context.ANY) -> list[tuple[str, str]]:
    """The linter's (code, message) pairs for `xml`, with the builder's context origin."""
    settings = LintSettings(context=context, context_origin=CONTEXT_ORIGIN)
    return [(d.code, d.message) for d in lint(xml, settings=settings)]


def wrap(*commands: str) -> str:
    return "<Response>" + "".join(commands) + "</Response>"


def menu(inputs: str) -> str:
    return wrap(f"<UserInput><Inputs>{inputs}</Inputs></UserInput>")


FOREACH_ITEM = '<ForEach Source="a"><Item>x</Item></ForEach>'

ERRORS: list[tuple[Callable[[], object], str, Context]] = [
    (lambda: Play("a.wav", repeat="yes"), wrap('<Play Repeat="yes">a.wav</Play>'), Context.ANY),  # type: ignore[arg-type]
    (lambda: Delay(-1), wrap("<Delay>-1</Delay>"), Context.ANY),
    (lambda: Delay("soon"), wrap("<Delay>soon</Delay>"), Context.ANY),  # type: ignore[arg-type]
    (lambda: Speak("x", party="everyone"), wrap('<Speak Party="everyone">x</Speak>'), Context.ANY),  # type: ignore[arg-type]
    (lambda: Speak("x", party="calee"), wrap('<Speak Party="calee">x</Speak>'), Context.ANY),  # type: ignore[arg-type]
    (lambda: Speak("x", party="All"), wrap('<Speak Party="All">x</Speak>'), Context.ANY),  # type: ignore[arg-type]
    (lambda: Record(format="WAV"), wrap('<Record Format="WAV"/>'), Context.ANY),  # type: ignore[arg-type]
    (lambda: ForwardCall("1 0 2"), wrap('<ForwardCall Destination="1 0 2"/>'), Context.ANY),
    (lambda: Input("x1"), menu('<Input Key="x1"/>'), Context.ANY),
    (lambda: Var("1st", "v"), wrap('<Var Id="1st">v</Var>'), Context.ANY),
    (
        lambda: SendAlarmNotification("1000", 12345, 110, 10, 30),
        wrap(
            '<SendAlarmNotification PhoneNumber="1000" AccountNumber="12345" EventCode="110"'
            ' PartitionNumber="10" ZoneNumber="30"/>'
        ),
        Context.ANY,
    ),
    (lambda: ForwardCall(None), wrap("<ForwardCall/>"), Context.ANY),  # type: ignore[arg-type]
    (lambda: Speak(None), wrap("<Speak/>"), Context.ANY),  # type: ignore[arg-type]
    (lambda: SendDTMF("all", None), wrap('<SendDTMF Party="all"/>'), Context.ANY),  # type: ignore[arg-type]
    (lambda: Inputs(Speak("x")), menu("<Speak>x</Speak>"), Context.ANY),  # type: ignore[arg-type]
    # What the vendor does not show (an Item in ForEach, a prompt directly in UserInput): the
    # builder makes no such document, and says what the linter's warning says, that it is
    # undocumented, not that the vendor forbids it.
    (lambda: ForEach("a", Item("x")), wrap(FOREACH_ITEM), Context.ANY),  # type: ignore[arg-type]
    (lambda: UserInput(Speak("x")), wrap("<UserInput><Speak>x</Speak></UserInput>"), Context.ANY),  # type: ignore[arg-type]
    (lambda: Response(Input(1)), wrap('<Input Key="1"/>'), Context.ANY),  # type: ignore[arg-type]
    (lambda: Response(Speak("a"), Reject()), wrap("<Speak>a</Speak><Reject/>"), Context.ANY),
    (lambda: Input(1, Reject()), menu('<Input Key="1"><Reject/></Input>'), Context.ANY),
    (lambda: Response(Speak("x")).to_xml("3pcc"), wrap("<Speak>x</Speak>"), Context.THREE_PCC),
    (lambda: Response(Play("a")).to_xml("3pcc"), wrap("<Play>a</Play>"), Context.THREE_PCC),
    (lambda: Response(Hold()).to_xml(Context.EXTENSION), wrap("<Hold/>"), Context.EXTENSION),
    (
        lambda: Response(BlindTransfer(1, transferor_party="caller")).to_xml("extension"),
        wrap('<BlindTransfer TransferorParty="caller">1</BlindTransfer>'),
        Context.EXTENSION,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("build", "xml", "context"), ERRORS)
def test_build_errors_carry_the_linters_code_and_message(
    build: Callable[[], object], xml: str, context: Context
) -> None:
    with pytest.raises(BuildError) as caught:
        build()
    assert (caught.value.code, caught.value.message) in findings(xml, context)
    assert str(caught.value) == f"{caught.value.code} {caught.value.message}"


def test_children_the_vendor_does_not_show_are_refused_as_undocumented() -> None:
    # Speak, Play, Hangup, Call, ... take no children argument: the builder makes only the
    # shapes the vendor shows. The check under it words the refusal as the linter's warning
    # does (spec §2 leaves them UNKNOWN), never "Speak takes no child elements".
    for parent, child in (("Speak", "Play"), ("Hangup", "Speak"), ("Call", "Speak")):
        problem = child_problem(command(parent), command(child))
        xml = wrap(f"<{parent}>1<{child}>a</{child}></{parent}>")
        assert ("OZ104", problem) in findings(xml), (parent, child)
        assert problem is not None
        assert "is undocumented (spec §2 [" in problem
        assert "takes no child elements" not in problem
    assert child_problem(command("Speak"), command("Response")) == (
        "Response is the document root and cannot be nested in Speak"
    )
    assert child_problem(command("Exit"), command("Speak")) is None  # undocumented (D6)


def test_unreachable_commands_say_where_the_script_ends() -> None:
    with pytest.raises(BuildError) as caught:
        Response(Hangup(), Speak("bye"))
    # The linter adds the line; a document being built has none yet. That Hangup ends the
    # script is ozml's assumption (D9), and both say so.
    cited = (
        "; undocumented (spec §7.6 [oz4585]): the vendor does not say that the commands after a"
        " Hangup of the current call do not run, and one of its responses holds several Hangups"
    )
    assert caught.value.message == (
        "Speak never runs if the script ends at Hangup, as ozml assumes (D9)" + cited
    )
    assert ("OZ402", "Speak never runs if the script ends at Hangup on line 1, as ozml assumes"
            " (D9)" + cited) in findings(wrap("<Hangup/><Speak>bye</Speak>"))
    with pytest.raises(BuildError) as caught:
        Response(Reject(), Speak("bye"))
    assert caught.value.message == "Speak is never run: the script ends at Reject"  # stated
    Response(Hangup(call_id="other"), Speak("still runs"))  # another call: the script goes on


def test_wrong_python_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="Speak Text: list is not a value for a string parameter"):
        Speak(["Hello"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Play Repeat: int is not a value for a boolean parameter"):
        Play("a.wav", repeat=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Response cannot hold str 'Hello'"):
        Response("Hello")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Dynamic\('soon'\): the value holds no \$variable"):
        Dynamic("soon")


@pytest.mark.parametrize("method", ["to_xml", "to_document", "to_bytes", "check"])
@pytest.mark.parametrize("context", [None, 3, ["3pcc"], b"3pcc"])
def test_a_context_of_the_wrong_kind_is_a_type_error_naming_it(
    method: str, context: object
) -> None:
    # to_xml(None) raised AttributeError ('NoneType' object has no attribute 'value') for a
    # document with a command, and passed silently for an empty one.
    for built in (Response(Play("a.wav"), Route("1")), Response()):
        with pytest.raises(TypeError, match=r"context must be a Context or its name \('extension'"):
            getattr(built, method)(context)
    with pytest.raises(ValueError, match="unknown context 'bogus'"):
        Response().to_xml("bogus")
    assert Response(Hold()).to_xml(" 3PCC ") == Response(Hold()).to_xml(Context.THREE_PCC)


def test_what_xml_cannot_hold_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="a comment cannot hold '--'"):
        Comment("a -- b")
    with pytest.raises(ValueError, match=r"Speak Text holds '\\x07'"):
        Speak("bell\x07")


# --- template parts: plain text and Dynamic ------------------------------------------------------


def test_plain_text_that_looks_like_a_template_is_written_with_references_and_reads_back() -> (
    None
):
    # Written `{{ a &lt; b }}` once: ozml read that back as a template part, kept as written.
    # Then as CDATA, which a template engine runs as any text (docs/templates.md).
    for text in ("{{ a < b }}", '{{ "]]>" }}', "Hello {{ name }}", "${x} & {# y #}", "{{ x }}\ry"):
        built = Response(Speak(text))
        read = parse(built.to_xml())
        assert read.problems == ()
        assert read.document == built.to_document()
        assert read.document.root is not None
        speak = read.document.root.children[0]
        assert isinstance(speak, Element)
        assert speak.children == (Text(text),)
        assert speak.children[0].templates == ()  # plain text, not a template part
    assert Speak("{{ a < b }}").to_xml() == "<Speak>&#123;{ a &lt; b }}</Speak>\n"
    # Parts of the other syntaxes are escaped as any text is, which no template reads.
    assert Speak("<%= x %>").to_xml() == "<Speak>&lt;%= x %&gt;</Speak>\n"
    assert Var("v", "{% raw %}").to_xml() == '<Var Id="v">&#123;% raw %}</Var>\n'
    assert UnknownElement("Note", text="{{ x }}").to_xml() == "<Note>&#123;{ x }}</Note>\n"


def test_no_template_engine_reads_a_part_in_plain_text_beside_dynamic_parts() -> None:
    """In a template (a document with `Dynamic` parts) plain text never opens a part, also where
    ozml would read none: an opener whose closer is in another text, as a template engine pairs
    them, or whose part would hold markup."""
    built = Response(Speak('{{ 7*7 ~ "'), Speak('" }}'), Speak(Dynamic("{{ greeting }}")))
    written = built.to_xml()
    assert '<Speak>&#123;{ 7*7 ~ "</Speak>' in written
    assert written.count("{{") == 1  # the Dynamic part's
    assert parse(written).document == built.to_document()


def test_a_comment_holding_a_template_opener_in_a_template_is_refused() -> None:
    """A template engine runs a part in a comment too, and no reference can be written there."""
    assert "<!--{{ x }}-->" in Response(Comment("{{ x }}"), Speak("Hi")).to_xml()  # no template
    for text in ("{{ x }}", "<?php echo 1; ?>", "${x}"):
        built = Response(Comment(text), Speak(Dynamic("{{ greeting }}")))
        with pytest.raises(ValueError, match="which a template engine reads as the start"):
            built.to_xml()


def test_plain_values_are_checked_as_plain_text() -> None:
    # As the linter checks them with no template syntax on; a $variable is dynamic still.
    with pytest.raises(BuildError) as caught:
        Delay("{{ s }}")  # type: ignore[arg-type]
    settings = LintSettings(templates=frozenset())
    found = [(d.code, d.message) for d in lint(wrap("<Delay>{{ s }}</Delay>"), settings=settings)]
    assert (caught.value.code, caught.value.message) in found
    assert Delay("$s").to_xml() == "<Delay>$s</Delay>\n"  # type: ignore[arg-type]
    assert Delay(Dynamic("{{ s }}")).to_xml() == "<Delay>{{ s }}</Delay>\n"


def test_plain_text_an_attribute_value_cannot_keep_plain_is_refused() -> None:
    message = r"Speak Text: ' {{ x }} ' holds '{{ x }}', which ozml reads as a template part"
    with pytest.raises(ValueError, match=message):
        Speak(" {{ x }} ")
    with pytest.raises(ValueError, match=r"Speak Note: '\$\{x\}' holds '\$\{x\}'"):
        Speak("x").with_unknown_attribute("Note", "${x}")
    with pytest.raises(ValueError, match="Foo A: "):
        UnknownElement("Foo", attributes={"A": "{{ x }}"})
    assert Speak(Dynamic(" {{ x }} ")).to_xml() == '<Speak Text=" {{ x }} "/>\n'
    # What escaping hides is taken: `&lt;%` is no part.
    assert Speak(" <% x %> ").to_xml() == '<Speak Text=" &lt;% x %&gt; "/>\n'


def test_dynamic_template_parts_are_written_as_they_are() -> None:
    built = Response(
        Speak(Dynamic("{% if a < b %}Hello{% endif %} & bye")),
        Speak(Dynamic("Balance: <?= $row['balance'] ?>")),
        Play(Dynamic("{{ jingle }}"), repeat=Dynamic("<% = repeat %>")),
        Call(Dynamic("${ext}"), url=Dynamic('http://x/?a=<?php echo "1&2"; ?>')),
    )
    xml = built.to_xml()
    assert "<Speak>{% if a < b %}Hello{% endif %} &amp; bye</Speak>" in xml
    assert "<Speak>Balance: <?= $row['balance'] ?></Speak>" in xml
    assert '<Play Repeat="<% = repeat %>">{{ jingle }}</Play>' in xml
    assert '<Call Url="http://x/?a=<?php echo "1&2"; ?>">${ext}</Call>' in xml
    assert parse(xml).problems == ()
    assert parse(xml).document == built.to_document()


def test_a_dynamic_value_s_php_code_ends_where_php_ends_it() -> None:
    # A `?>` in one of its strings does not end it: the parser reads the part whole too.
    value = "Hi <?php echo 'a ?> b'; ?> there"
    built = Response(Speak(Dynamic(value)), Call("100", url=Dynamic(value)))
    xml = built.to_xml()
    assert f"<Speak>{value}</Speak>" in xml
    assert f'<Call Url="{value}">100</Call>' in xml
    assert parse(xml).problems == ()
    assert parse(xml).document == built.to_document()
    assert lint(xml) == []


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Speak(Dynamic("<?php echo $x; ?>")), "an XML processing instruction"),
        (lambda: Speak(Dynamic('{{ "<b>" }}')), "in element text it cannot hold markup"),
        (lambda: Speak(Dynamic(' {{ "x" }} ')), "it cannot hold the value's quote"),
        (lambda: Call("1", url=Dynamic('${a["k"]}')), "it cannot hold the value's quote"),
    ],
)
def test_a_dynamic_part_that_would_not_read_back_as_one_is_refused(
    build: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build()


def test_template_parts_and_the_characters_ozml_masks_them_with_are_refused_together() -> None:
    with pytest.raises(ValueError, match="a character ozml masks template parts with"):
        Response(Speak("\ue000"), Speak(Dynamic("{{ a < b }}"))).to_xml()
    # A part that is XML as it is was built, and read back as plain text (ozml fmt escaped it).
    with pytest.raises(ValueError, match="a character ozml masks template parts with"):
        Response(Speak("\ue000"), Speak(Dynamic("{{ x }}"))).to_xml()
    # Either alone is written.
    built = Response(Speak("\ue000"), Speak(Dynamic("$x")))
    assert parse(built.to_xml()).document == built.to_document()


# --- the escape hatch ---------------------------------------------------------------------------


def test_unknown_attributes_are_explicit_and_reported_by_the_linter() -> None:
    built = Response(Speak("Hi").with_unknown_attribute("Emotion", "cheerful"))
    xml = built.to_xml()
    assert '<Speak Emotion="cheerful">Hi</Speak>' in xml
    assert [(d.code, d.message) for d in lint(xml)] == [("OZ103", "Speak has no parameter Emotion")]
    with pytest.raises(ValueError, match=r"party is Speak's Party: pass it as party=\.\.\."):
        Speak("Hi").with_unknown_attribute("party", "all")


def test_unknown_elements_are_explicit_and_reported_by_the_linter() -> None:
    built = Response(
        UnknownElement("Whisper", Speak("inner"), attributes={"To": "102"}),
        UnknownElement("Note", text="free text"),
    )
    xml = built.to_xml()
    assert '<Whisper To="102">\n    <Speak>inner</Speak>\n  </Whisper>' in xml
    assert "<Note>free text</Note>" in xml
    assert [d.code for d in lint(xml)] == ["OZ102", "OZ102"]
    assert parse(xml).document == built.to_document()
    with pytest.raises(ValueError, match=r"speak is Speak: use ozml\.builder\.Speak"):
        UnknownElement("speak")
    with pytest.raises(ValueError, match="element name 'no good' is not an XML name"):
        UnknownElement("no good")


def test_an_attribute_given_twice_is_refused() -> None:
    # UnknownElement's own with_unknown_attribute wrote <Foo E="1" E="2"/>, not well-formed.
    with pytest.raises(ValueError, match="Foo already has an attribute E"):
        UnknownElement("Foo", attributes={"E": "1"}).with_unknown_attribute("E", "2")
    with pytest.raises(ValueError, match="Foo already has an attribute E"):
        UnknownElement("Foo").with_unknown_attribute("E", "1").with_unknown_attribute("E", "2")
    with pytest.raises(ValueError, match="Speak already has an attribute E"):
        Speak("x").with_unknown_attribute("E", "1").with_unknown_attribute("E", "2")
    # Names differing in letter case are two attributes to XML.
    built = UnknownElement("Foo").with_unknown_attribute("E", "1").with_unknown_attribute("e", "2")
    assert parse(built.to_xml()).problems == ()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: UnknownElement("a:Foo"), "element name 'a:Foo' has a namespace prefix"),
        (lambda: UnknownElement("xml:Foo"), "element name 'xml:Foo' has a namespace prefix"),
        (
            lambda: Speak("x").with_unknown_attribute("a:b", "y"),
            "attribute name 'a:b' has a namespace prefix",
        ),
        (
            lambda: UnknownElement("Foo", attributes={"a:b": "y"}),
            "attribute name 'a:b' has a namespace prefix",
        ),
        (
            lambda: DeleteFile(attributes={"a:b": "y"}),
            "attribute name 'a:b' has a namespace prefix",
        ),
        (lambda: Speak("x").with_unknown_attribute("xmlns:xml", "u"), "declares a namespace"),
        (lambda: Speak("x").with_unknown_attribute("xmlns:xmlns", "u"), "declares a namespace"),
        (lambda: Speak("x").with_unknown_attribute("xmlns:a", ""), "declares a namespace"),
        (lambda: Speak("x").with_unknown_attribute("xmlns:a", "urn:a"), "declares a namespace"),
        (lambda: Speak("x").with_unknown_attribute("xmlns", "urn:a"), "declares a namespace"),
        (lambda: Speak("x").with_unknown_attribute("xml:a:b", "y"), "xml: must be followed"),
        (lambda: Speak("x").with_unknown_attribute("xml:-a", "y"), "xml: must be followed"),
    ],
)
def test_namespace_prefixes_and_declarations_are_refused(
    build: Callable[[], object], message: str
) -> None:
    # Each wrote XML that parse reports as not well-formed (OZ001), or put OzML in a namespace.
    with pytest.raises(ValueError, match=message):
        build()


def test_xml_attributes_need_no_declaration_and_are_written() -> None:
    built = Response(
        Speak("Hi").with_unknown_attribute("xml:lang", "en"),
        UnknownElement("Note", attributes={"xml:space": "preserve"}, text=" kept "),
    )
    xml = built.to_xml()
    assert '<Speak xml:lang="en">Hi</Speak>' in xml
    assert parse(xml).problems == ()
    assert parse(xml).document == built.to_document()


def test_unknown_element_text_with_white_space_at_its_ends_is_refused_unless_preserved() -> None:
    # <Note> </Note> was written, and read back as <Note/>.
    with pytest.raises(ValueError, match=r"Note text ' ': white space alone is layout"):
        UnknownElement("Note", text=" ")
    with pytest.raises(ValueError, match=r"Note text '\\n\\t': white space alone"):
        UnknownElement("Note", Speak("x"), text="\n\t")
    # Written as <Note>aaa\n<Speak>, and read back without the line end.
    with pytest.raises(ValueError, match=r"Note text 'aaa\\n': white space around text"):
        UnknownElement("Note", Speak("x"), text="aaa\n")
    # A no-break space is no XML white space: text, written and read back (ozml.xmlspace).
    nbsp = Response(UnknownElement("Note", Speak("x"), text="\xa0"))
    assert parse(nbsp.to_xml()).document == nbsp.to_document()
    kept = Response(UnknownElement("Note", text=" ", attributes={"xml:space": "preserve"}))
    assert parse(kept.to_xml()).document == kept.to_document()
    assert UnknownElement("Note", text="").to_xml() == "<Note/>\n"


def test_names_and_values_of_the_wrong_kind_are_type_errors_naming_them() -> None:
    with pytest.raises(TypeError, match="Speak Foo: the value of an attribute must be a str"):
        Speak("x").with_unknown_attribute("Foo", 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="attribute name must be a str, found int 5"):
        Speak("x").with_unknown_attribute(5, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="element name must be a str, found int 5"):
        UnknownElement(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Foo A: the value of an attribute must be a str"):
        UnknownElement("Foo", attributes={"A": 5})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="Foo attributes must be a mapping"):
        UnknownElement("Foo", attributes=[("A", "5")])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Foo text must be a str, found int 5"):
        UnknownElement("Foo", text=5)  # type: ignore[arg-type]
    # "argument of type 'int' is not iterable" before.
    with pytest.raises(TypeError, match="Comment text must be a str, found int 5"):
        Comment(5)  # type: ignore[arg-type]
    # A ValueError ("holds no $variable or template placeholder") before.
    with pytest.raises(TypeError, match="Dynamic text must be a str, found int 5"):
        Dynamic(5)  # type: ignore[arg-type]


def test_undocumented_commands_take_attributes_as_written() -> None:
    built = Response(DeleteFile(attributes={"File": "old.wav"}), Exit())
    xml = built.to_xml()
    assert '<DeleteFile File="old.wav"/>' in xml
    assert [(d.code, d.severity.label) for d in lint(xml)] == [
        ("OZ502", "info"),
        ("OZ502", "info"),
    ]


# --- the seed pages, rebuilt ------------------------------------------------------------------

SEEDS = {
    "000_7e1efc6b61ad5924.txt": lambda: Response(ForwardCall("102")),
    "001_fb3cae56d1ef797a.txt": lambda: Response(
        Speak("The caller will be attended transfered to call ID HL1bE.", party="all"),
        AttendedTransfer("HL1bE", transferor_party="caller"),
    ),
    "002_d4fcc56718698779.txt": lambda: Response(
        Call(
            "102",
            url="http://yourdomain.com/ozml_example/call_connected.php",
            caller_id="3000",
        )
    ),
    "003_603ea5e86fe9fff6.txt": lambda: Response(
        Speak("You will be blind transfered to 102 in 1 seconds."),
        Delay(1),
        BlindTransfer("102"),
        Speak("Sorry, but blind transfer failed to extension 102"),
    ),
    "004_dbfc1748eed35524.txt": lambda: Response(CallSetup(caller="101", callee="102")),
}


@pytest.mark.parametrize("page", sorted(SEEDS))
def test_seed_examples_rebuilt_write_what_fmt_makes_of_the_vendor_xml(
    shared_dir: Path, page: str
) -> None:
    from ozml.formatter import format_text

    lines = (shared_dir / "seeds" / page).read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("OzML"))
    vendor = next(line for line in lines[at:] if line.lstrip().startswith("<"))
    built = SEEDS[page]()
    assert isinstance(built, Response)
    assert built.to_xml() == format_text(vendor)
    assert lint(built.to_xml()) == []


# --- documentation --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ozml.builder", "ozml.builder.base", "ozml.generate.builder"])
def test_docstring_examples_run(name: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert failures == 0
    assert tried > 0


def test_public_names_exist() -> None:
    for name in ozml.builder.__all__:
        assert hasattr(ozml.builder, name), name
    assert len(set(ozml.builder.__all__)) == len(ozml.builder.__all__)


def _nested(levels: int) -> Response:
    """A document `levels` elements deep: ForEach loops around a Speak, in a Response."""
    node: ozml.builder.OzmlElement = Speak("deep")
    for _ in range(levels - 2):
        node = ForEach("a", node)
    return Response(Array("a", Item("x")), node)


def test_as_deep_as_a_parser_reads_and_no_deeper() -> None:
    # Building each element's children by recursion took three Python frames a level: 250
    # levels raised RecursionError. Past 256, what the parser reads, the builder refuses.
    text = str(_nested(256))
    assert parse(text).problems == ()
    with pytest.raises(BuildError) as caught:
        _nested(257)
    assert str(caught.value) == (
        "OZ001 not well-formed XML: elements are nested too deeply (the limit is 256 levels)"
    )
