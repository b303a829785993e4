"""Menu and URL rules: duplicate-input-key, invalid-input-key, menu-without-exit, malformed-url,
relative-url (OZ801-OZ805), with exact positions and messages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.lint import RULES, LintSettings, lint, urls

#: How duplicate-input-key cites the assumption it rests on (spec §7.32).
REPEATED_KEY_CITED = (
    "; undocumented (spec §7.32 [oz4693][hu7663]): the vendor does not say what a key given"
    " to two Input branches of one menu does"
)


def oz8(doc: str) -> list[str]:
    return [
        f"{d.line}:{d.column}-{d.span.end_line}:{d.span.end_column} {d.code} {d.message}"
        for d in lint(doc, "t.xml", LintSettings())
        if d.code.startswith("OZ8")
    ]


def codes(doc: str) -> list[str]:
    return [d.code for d in lint(doc)]


def menu(inputs: str, attributes: str = "") -> str:
    return (
        "<Response>\n"
        f"  <UserInput{attributes}>\n"
        "    <Inputs>\n"
        f"{inputs}"
        "    </Inputs>\n"
        "  </UserInput>\n"
        "</Response>\n"
    )


def branch(key: str) -> str:
    return f'      <Input Key="{key}"><Speak>x</Speak></Input>\n'


# --- duplicate-input-key --------------------------------------------------------------------------


def test_duplicate_key_points_at_the_second_branch() -> None:
    assert oz8(menu(branch("1") + branch("2") + branch("1"))) == [
        "6:19-6:20 OZ801 Input key '1' is already used on line 4 of this menu; if the first"
        " branch runs, as ozml assumes, this one never does" + REPEATED_KEY_CITED,
    ]


def test_dtmf_letters_compare_ignoring_case() -> None:
    assert [f.split()[1] for f in oz8(menu(branch("A") + branch("a")))] == ["OZ801"]


def test_nested_menus_have_their_own_keys() -> None:
    inner = (
        '      <Input Key="1">\n'
        "        <UserInput><Inputs>"
        '<Input Key="1"><Speak>a</Speak></Input><Input Key="2"><Speak>b</Speak></Input>'
        "</Inputs></UserInput>\n"
        "      </Input>\n"
    )
    assert oz8(menu(inner + branch("2"))) == []


def test_dynamic_keys_are_not_compared() -> None:
    assert oz8(menu(branch("{{ key }}") + branch("{{ key }}"))) == []


# --- invalid-input-key ----------------------------------------------------------------------------


def test_key_longer_than_the_default_one_digit() -> None:
    assert oz8(menu(branch("1") + branch("10"))) == [
        "5:19-5:21 OZ802 Input key '10' has 2 digits but the menu reads 1 digit"
        " (Digits defaults to 1); the caller cannot enter it",
    ]


def test_key_length_against_digits_and_a_range() -> None:
    assert oz8(menu(branch("12") + branch("3"), ' Digits="2"')) == [
        "5:19-5:20 OZ802 Input key '3' has 1 digit but the menu reads 2 digits"
        ' (Digits="2"); the caller cannot enter it',
    ]
    ranged = menu(branch("1") + branch("123") + branch("1234"), ' MinDigits="1" MaxDigits="3"')
    assert oz8(ranged) == [
        "6:19-6:23 OZ802 Input key '1234' has 4 digits but the menu reads 1 to 3 digits"
        ' (MinDigits="1", MaxDigits="3"); the caller cannot enter it',
    ]


def test_unknown_digit_counts_are_not_judged() -> None:
    assert oz8(menu(branch("12345"), ' Digits="$length"')) == []
    assert oz8(menu(branch("12345"), ' Digits="many"')) == []  # invalid-value's business


@pytest.mark.parametrize("digits", ["²", "٣", "1_0", "-2"])
def test_digit_counts_the_linter_does_not_read_as_a_number_are_not_judged(digits: str) -> None:
    # "²" is a digit to Python's isdigit, which int() refuses (it was an internal error);
    # the others int() reads, the linter does not (invalid-value reports them).
    doc = menu(branch("12345"), f' Digits="{digits}"')
    assert oz8(doc) == []
    assert "OZ202" in codes(doc)


def test_a_digit_count_of_thousands_of_digits_judges_no_key() -> None:
    # Python refuses to convert more than 4,300 digits: an internal error before.
    many = "9" * 5000
    assert oz8(menu(branch("12345"), f' Digits="{many}"')) == []
    assert oz8(menu(branch("1"), f' MinDigits="0{many}"')) == []


def test_a_million_digits_is_a_digit_count_too() -> None:
    # A million stood for "not given" among the counts: MinDigits="1000000" read as 1.
    assert oz8(menu(branch("1"), ' MinDigits="1000000"')) == [
        "4:19-4:20 OZ802 Input key '1' has 1 digit but the menu reads 1000000 digits"
        ' (MinDigits="1000000"); the caller cannot enter it',
    ]


def test_key_equal_to_the_back_key() -> None:
    assert oz8(menu(branch("1") + branch("*"), ' BackKey="*"')) == [
        "5:19-5:20 OZ802 Input key '*' is also the menu's BackKey, which goes on after this"
        " UserInput [hu7663]; undocumented (spec §7.32 [oz4693][hu7663]): the vendor does not say"
        " whether BackKey or an Input with the same key wins; if BackKey does, this branch never"
        " runs",
    ]


def test_keys_that_are_not_dtmf_are_left_to_invalid_value() -> None:
    assert codes(menu(branch("x"))) == ["OZ202"]


# --- menu-without-exit ----------------------------------------------------------------------------

PROMPT = "<InitialCommands><Speak>Hello</Speak></InitialCommands>"


def test_menu_without_inputs_or_url() -> None:
    doc = f"<Response>\n  <UserInput>{PROMPT}</UserInput>\n</Response>\n"
    assert oz8(doc) == [
        "2:4-2:13 OZ803 UserInput has no Input branch and no ForwardToURL: the keys the caller"
        " presses lead nowhere",
    ]


def test_repeating_menu_without_exit_says_so() -> None:
    doc = f'<Response>\n  <UserInput Repeat="true">{PROMPT}</UserInput>\n</Response>\n'
    assert oz8(doc) == [
        "2:4-2:13 OZ803 UserInput has no Input branch and no ForwardToURL: the keys the caller"
        ' presses lead nowhere, and Repeat="true" plays the prompts until the caller hangs up',
    ]


@pytest.mark.parametrize(
    ("repeat", "repeats"),
    [("TRUE", True), (" true", True), ("\u00a0true", False), ("yes", False)],
)
def test_a_menu_repeats_for_menu_without_exit_as_it_does_in_a_dry_run(
    repeat: str, repeats: bool
) -> None:
    """Repeat is read as the dry run and the graph read it (`read_flag`): ``TRUE`` is true
    (its letter case fixed), ``" true"`` too (XML's white space around a value is layout, an
    assumed reading invalid-value warns of), a value the linter refuses is the default, false.
    The rule read it by Python's strip and lower-casing, so ``"\u00a0true"`` (a no-break space
    is content, and the value no true or false) was said to play the prompts until the caller
    hangs up, which a dry run does not."""
    doc = f'<Response>\n  <UserInput Repeat="{repeat}">{PROMPT}</UserInput>\n</Response>\n'
    said = ' presses lead nowhere, and Repeat="true" plays the prompts until the caller hangs up'
    assert oz8(doc) == [
        "2:4-2:13 OZ803 UserInput has no Input branch and no ForwardToURL: the keys the caller"
        + (said if repeats else " presses lead nowhere")
    ]


@pytest.mark.parametrize(
    "attributes",
    [
        ' ForwardToURL="http://app.example/dtmf"',
        ' enteredUrl="http://app.example/dtmf"',
        ' ExecuteSQL="INSERT INTO keys VALUES (1)"',
    ],
)
def test_a_url_or_sql_is_a_way_out(attributes: str) -> None:
    doc = f"<Response><UserInput{attributes}>{PROMPT}</UserInput></Response>"
    assert oz8(doc) == []


def test_a_dynamic_input_is_a_way_out() -> None:
    assert oz8(menu(branch("{{ k }}"))) == []


# --- malformed-url and relative-url ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("htp://app.example/x", "the PBX requests http:// and https:// URLs, not htp:"),
        ("ftp://app.example/x", "the PBX requests http:// and https:// URLs, not ftp:"),
        ("http//app.example/x", "a ':' is missing after http"),
        ("http:/app.example/x", "it has no host name after http://"),
        ("https://", "it has no host name after https://"),
        ("http://app.example:99999/x", "its port is not a number from 1 to 65535"),
        ("http://app.example:80a/x", "its port is not a number from 1 to 65535"),
        ("localhost:8080/x", "http:// is missing in front of the host name"),
        ("http://[::1/x", "it cannot be read as a URL (Invalid IPv6 URL)"),
    ],
)
def test_malformed_urls(url: str, why: str) -> None:
    doc = f'<Response>\n  <Call Url="{url}">102</Call>\n</Response>\n'
    end = 14 + len(url)
    assert oz8(doc) == [f"2:14-2:{end} OZ804 Call Url {url!r} is not a usable URL: {why}"]


@pytest.mark.parametrize(
    "url",
    [
        "http://app.example/x.php?a=1&amp;b=2",
        "HTTPS://APP.EXAMPLE:8443/",
        "http://[::1]:8080/x",
        "http://app.example/x?id=$id",
        "{{ base_url }}/connected.php",
        "<?= $base ?>/connected.php".replace("<", "&lt;").replace(">", "&gt;"),
    ],
)
def test_good_and_dynamic_urls(url: str) -> None:
    assert oz8(f'<Response><Call Url="{url}">102</Call></Response>') == []


def test_goto_text_url_and_sql() -> None:
    doc = (
        "<Response>\n"
        "  <GoTo>htps://app.example/menu.php</GoTo>\n"
        "  <GoTo>SELECT ozml FROM menus WHERE id = 1</GoTo>\n"
        "</Response>\n"
    )
    assert oz8(doc) == [
        "2:9-2:36 OZ804 GoTo Url 'htps://app.example/menu.php' is not a usable URL:"
        " the PBX requests http:// and https:// URLs, not htps:",
    ]


def test_spaces_are_left_to_invalid_value_but_checked_in_goto() -> None:
    assert codes('<Response><Call Url="http://a b/x">102</Call></Response>') == ["OZ202"]
    assert oz8("<Response><GoTo>http://app.example/a b.php</GoTo></Response>") == [
        "1:17-1:43 OZ804 GoTo Url 'http://app.example/a b.php' is not a usable URL:"
        " it contains white space (encode it as %20)",
    ]


def test_relative_urls() -> None:
    doc = (
        "<Response>\n"
        '  <UserInput ForwardToURL="dtmf.php"><Inputs><Input Key="1"><Hangup/></Input>'
        "</Inputs></UserInput>\n"
        '  <Record FinishedUrl="//app.example/done.php"/>\n'
        '  <SendSms Recipient="+3620" DeliveryReportURL="www.app.example.com/r.php">Hi</SendSms>\n'
        "</Response>\n"
    )
    base = "is a relative URL, and the PBX requests it itself"
    # That the PBX needs an absolute URL is assumed: the vendor only shows absolute ones.
    cited = (
        "; undocumented (spec §4, §5 [oz4801][oz4201]): the vendor shows only absolute http://"
        " URLs and never says whether the PBX resolves a relative one, or against what; that it"
        " needs an absolute URL is assumed"
    )
    assert oz8(doc) == [
        f"2:28-2:36 OZ805 UserInput ForwardToURL 'dtmf.php' {base}{cited}",
        f"3:24-3:46 OZ805 Record FinishedUrl '//app.example/done.php' {base};"
        f" did you mean 'http://app.example/done.php'?{cited}",
        f"4:49-4:74 OZ805 SendSms DeliveryReportURL 'www.app.example.com/r.php' {base};"
        f" did you mean 'http://www.app.example.com/r.php'?{cited}",
    ]


def test_every_url_parameter_is_checked() -> None:
    from ozml.lint.urls import URL_PARAMS

    assert {name: [p.name for p in params] for name, params in URL_PARAMS.items()} == {
        "BlindTransfer": ["FinishedUrl"],
        "Call": ["Url", "ErrorUrl", "FinishedUrl"],
        "Record": ["FinishedUrl"],
        "SendSms": ["DeliveryReportURL"],
        "GoTo": ["Url"],
        "SendAlarmNotification": ["ResultUrl"],
        "UserInput": ["ForwardToURL"],
        "CallSetup": ["ErrorUrl"],
    }


@pytest.mark.parametrize(
    "rule",
    # The per-file ones: the project rules' examples run in a project (test_project_rules.py).
    [r for r in RULES if r.code.startswith("OZ8") and not r.project_rule],
    ids=str,
)
def test_rule_documentation_examples(rule: type) -> None:
    failing, passing = rule.examples()
    assert [d.code for d in lint(failing)] == [rule.code]
    assert lint(passing) == []


@settings(max_examples=400, deadline=None)
@given(
    st.from_regex(urls._PLAIN_URL(), fullmatch=True)
    | st.builds(
        "".join,
        st.lists(st.sampled_from(["http", "https", "HTTP", ":", "//", "/", "a", "-", ".", "@",
                                  "[", "]", "80", "0", "99999", " ", "\t", "?", "#", "é"]),
                 max_size=12),
    )
)
def test_the_short_way_past_plain_urls_finds_what_the_long_way_finds(value: str) -> None:
    """`problem` skips reading the parts of a URL its pattern says is plain; the long way
    finds nothing wrong with any of those."""
    if urls._PLAIN_URL().fullmatch(value):
        assert urls._parsed_problem(value) is None, value
    assert urls.problem(value) == urls._parsed_problem(value), value
