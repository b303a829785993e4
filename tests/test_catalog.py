"""The catalog against itself, against the research spec and against the five vendor seed pages.

The spec (``ozml-spec.md``) and the seed pages live in the project's shared folder beside the
checkout (``<repo>/../shared``). The seed pages are parsed when they are there; the same tables are
embedded below so that the seed checks run everywhere, and a test keeps the two in step. Checks
that need the spec itself are skipped, with the reason, when it is absent.
"""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.catalog import (
    ALL,
    COMMANDS,
    PARTS,
    ROOTS,
    AliasKind,
    ChildPolicy,
    Command,
    Context,
    ElementKind,
    MatchKind,
    Param,
    Usage,
    ValueType,
    command,
    lookup_element,
    lookup_param,
    values,
)
from ozml.catalog.sources import SOURCES
from ozml.limits import unsigned

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SPEC = SHARED / "ozml-spec.md"
SEED_DIR = SHARED / "seeds"
#: Parameters every HTTP request carries; never parameters of a command in a document (D5).
CREDENTIALS = ("Username", "Password")


# -- the catalog is consistent --------------------------------------------------------------------


def test_element_names_and_aliases_are_unique_ignoring_case() -> None:
    names = Counter(name.lower() for cmd in ALL for name in cmd.all_names)
    assert [name for name, count in names.items() if count > 1] == []


@pytest.mark.parametrize("cmd", ALL, ids=lambda c: c.name)
def test_parameter_names_and_aliases_are_unique_ignoring_case(cmd: Command) -> None:
    names = Counter(name.lower() for param in cmd.params for name in param.all_names)
    assert [name for name, count in names.items() if count > 1] == []


def test_every_name_is_found_by_lookup() -> None:
    for cmd in ALL:
        for name in cmd.all_names:
            match = lookup_element(name)
            assert match is not None
            assert match.command is cmd
            upper = lookup_element(name.upper())
            assert upper is not None
            assert upper.command is cmd
        for param in cmd.params:
            for name in param.all_names:
                found = lookup_param(cmd, name)
                assert found is not None
                assert found.param is param


@pytest.mark.parametrize("kind", list(ValueType), ids=lambda k: k.value)
def test_every_value_type_is_known_to_the_value_checker(kind: ValueType) -> None:
    param = Param("P", kind, "doc", "hu7644", values=("a", "b"))
    # Raises KeyError for a type the checker does not know.
    values.check(param, "a")
    values.check(param, "10")


def _params() -> list[tuple[Command, Param]]:
    return [(cmd, param) for cmd in ALL for param in cmd.params]


@pytest.mark.parametrize(
    ("cmd", "param"), _params(), ids=[f"{c.name}.{p.name}" for c, p in _params()]
)
def test_parameter_data_is_consistent(cmd: Command, param: Param) -> None:
    assert param.name[:1].isupper() or param.name == "_charset_", "canonical names are PascalCase"
    assert param.doc.strip()
    assert "\n" not in param.doc
    assert param.name not in CREDENTIALS
    if param.example is not None:
        assert values.check(param, param.example) is None, f"example {param.example!r}"
    if param.default is not None:
        assert values.check(param, param.default) is None, f"default {param.default!r}"
    if param.type in (ValueType.ENUM, ValueType.PARTY, ValueType.TRANSFEROR):
        assert param.values, "a choice type lists its values"
    else:
        assert not param.values, "only choice types list values"
    if param.only_in and cmd.contexts:
        assert param.only_in <= cmd.contexts
    if param.text:
        assert Usage.OZML in param.usage
    assert param.name != "CallId" or not param.required_in, "CallId is optional (D5)"


@pytest.mark.parametrize("cmd", ALL, ids=lambda c: c.name)
def test_command_data_is_consistent(cmd: Command) -> None:
    assert cmd.doc.strip()
    assert "\n" not in cmd.doc
    assert sum(p.text for p in cmd.params) <= 1, "at most one text parameter (D7)"
    if cmd.children is ChildPolicy.LISTED:
        assert cmd.child_names
    else:
        assert cmd.child_names == ()
    for child in cmd.child_names:
        assert command(child).kind in (ElementKind.PART, ElementKind.COMMAND)
    if cmd.kind is ElementKind.COMMAND:
        # A command usable in documents says where; an HTTP-only one is in no document context.
        assert bool(cmd.contexts) == cmd.in_ozml
    if not cmd.documented:
        assert cmd.params == (), "undocumented commands check no parameters (D6)"


def test_kinds() -> None:
    assert {c.kind for c in ROOTS} == {ElementKind.ROOT}
    assert {c.kind for c in PARTS} == {ElementKind.PART}
    assert {c.kind for c in COMMANDS} == {ElementKind.COMMAND}
    assert ALL == ROOTS + PARTS + COMMANDS
    assert [c.name for c in ROOTS] == ["Response"]


def test_every_part_has_a_home() -> None:
    homes = {child for cmd in ALL for child in cmd.child_names}
    assert {p.name for p in PARTS} - homes == set()


def test_decisions_in_the_catalog() -> None:
    # D1: older names are legacy aliases.
    for old, new in (
        ("Forward", "ForwardCall"),
        ("OzML", "Response"),
        ("GetCallHistory", "ListCallHistory"),
    ):
        match = lookup_element(old)
        assert match is not None
        assert match.command.name == new
        assert match.alias is not None
        assert match.alias.kind is AliasKind.LEGACY
    dialled = lookup_param(command("Call"), "Dialled")
    assert dialled is not None
    assert dialled.param.name == "Dialed"
    assert dialled.alias is not None
    assert dialled.alias.kind is AliasKind.LEGACY
    # D2: canonical spellings, the Gen-B typos as misspelling aliases.
    for cmd_name, typo, canonical in (
        ("AttendedTransfer", "TranferredCallId", "TransferredCallId"),
        ("BlindTransfer", "TranferorParty", "TransferorParty"),
        ("SendSms", "DelivaryReportURL", "DeliveryReportURL"),
    ):
        found = lookup_param(command(cmd_name), typo)
        assert found is not None
        assert found.param.name == canonical
        assert found.alias is not None
        assert found.alias.kind is AliasKind.MISSPELLING
    # D3: lower-case vendor spellings are case variants, not aliases.
    for written, canonical in (("var", "Var"), ("array", "Array"), ("speak", "Speak")):
        match = lookup_element(written)
        assert match is not None
        assert match.command.name == canonical
        assert match.kind is MatchKind.CASE
    # D5: HTTP-only commands.
    for name in ("ListActiveCalls", "ListExtensions", "ListCallHistory", "ListAddressbookContacts"):
        assert command(name).usage == frozenset({Usage.HTTP})
    # D6: undocumented commands.
    assert {c.name for c in COMMANDS if not c.documented} == {
        "ListExtensionTypes",
        "Beep",
        "DeleteFile",
        "WaitForMsg",
        "Exit",
        "ListAddressbookNames",
    }
    # D7: the text parameter of each command that has one.
    text_params = {c.name: p.name for c in COMMANDS if (p := c.text_param) is not None}
    assert {
        "Speak": "Text",
        "Delay": "Time",
        "BlindTransfer": "Target",
        "Call": "Dialed",
        "Play": "AudioFile",
        "GoTo": "Url",
        "Var": "Value",
        "SendSms": "Message",
        "SendMsg": "Text",
    }.items() <= text_params.items()
    # D4: contexts of the context-bound commands.
    assert command("Route").contexts == frozenset({Context.ROUTING})
    for name in ("AttendedTransfer", "ForwardCall", "Hold", "Unhold", "SendDTMF"):
        assert command(name).contexts == frozenset({Context.THREE_PCC})
    speak_party = command("Speak").param("Party")
    assert speak_party.required_in == frozenset({Context.THREE_PCC})


# -- against the spec ----------------------------------------------------------------------------


def _spec_source_keys() -> set[str]:
    if not SPEC.is_file():
        pytest.skip(f"the spec is not beside the checkout ({SPEC})")
    text = SPEC.read_text(encoding="utf-8")
    table = text.split("## 0.", 1)[1].split("\n## 1.", 1)[0]
    return set(re.findall(r"^\| (\w+) \| https?://", table, re.M))


def test_the_spec_source_table_is_read() -> None:
    keys = _spec_source_keys()
    assert {"hu7633", "oz4254", "ghIVR", "hu6083"} <= keys
    assert len(keys) > 80


def _cited() -> dict[str, str]:
    """Where each source key is cited → the key."""
    cited: dict[str, str] = {}
    for cmd in ALL:
        cited[cmd.name] = cmd.source
        for alias in cmd.aliases:
            cited[f"{cmd.name} alias {alias.name}"] = alias.source
        for param in cmd.params:
            cited[f"{cmd.name}.{param.name}"] = param.source
            for alias in param.aliases:
                cited[f"{cmd.name}.{param.name} alias {alias.name}"] = alias.source
    return cited


def test_every_source_key_is_in_the_spec() -> None:
    keys = _spec_source_keys()
    assert {where: key for where, key in _cited().items() if key not in keys} == {}


def test_every_source_key_has_an_address() -> None:
    assert {where: key for where, key in _cited().items() if key not in SOURCES} == {}
    assert all(address.startswith(("http://", "https://")) for address in SOURCES.values())


def test_source_addresses_are_the_spec_table() -> None:
    _spec_source_keys()  # skips without the spec
    table = SPEC.read_text(encoding="utf-8").split("## 0.", 1)[1].split("\n## 1.", 1)[0]
    assert dict(re.findall(r"^\| (\w+) \| (https?://\S+)", table, re.M)) == SOURCES


# -- against the seed pages ----------------------------------------------------------------------

#: The "More information" list of the English seed pages, as printed (vendor spellings).
MORE_INFORMATION = [
    "AttendedTransfer",
    "BlindTransfer",
    "Call",
    "ForwardCall",
    "ListCallHistory",
    "Hangup",
    "Hold",
    "ListActiveCalls",
    "ListExtensions",
    "ListExtensionTypes",
    "Play",
    "Record",
    "Request",
    "SendDTMF",
    "Speak",
    "Unhold",
    "ReceiveMessage",
    "SendEmail",
    "SendMessage",
    "SendSMS",
    "Array",
    "Beep",
    "Delay",
    "DeleteFile",
    "ForEach",
    "GoTo",
    "MoveFile",
    "Reject",
    "Route",
    "SendAlarmNotification",
    "SendMsg",
    "UserInput",
    "Var",
    "WaitForMsg",
    "CallSetup",
    "Exit",
    "ListAddressbokkContacts",
    "ListAddressbookNames",
    "ReceiveAlarmNotification",
]
#: Vendor spellings in that list → catalog names.
VENDOR_NAMES = {"ListAddressbokkContacts": "ListAddressbookContacts", "SendSMS": "SendSms"}


class Row(NamedTuple):
    name: str
    example: str
    mandatory: bool


#: The request-parameter tables of the five seed pages (Username and Password included).
SEED_TABLES: dict[str, list[Row]] = {
    "ForwardCall": [
        Row("CallId", "345fad34", False),
        Row("Destination", "500", True),
        Row("Username", "admin", True),
        Row("Password", "abc123", True),
    ],
    "AttendedTransfer": [
        Row("TranferredCallId", "345fad34", False),
        Row("TargetCallId", "355dsc10", True),
        Row("Username", "admin", True),
        Row("Password", "abc123", True),
    ],
    "Call": [
        Row("Dialed", "100", True),
        Row("ApiExtension", "1000", False),
        Row("CallerId", "1000", False),
        Row("CallerDisplayName", "John Smith", False),
        Row("Url", "http://yourapp.com/callconnected.php", False),
        Row("ResponseOzML", "hello", False),
        Row("ErrorUrl", "http://yourapp.com/error.php", False),
        Row("FinishedUrl", "http://yourapp.com/callfinished.php", False),
        Row("RingTime", "120", False),
        Row("Username", "admin", True),
        Row("Password", "abc123", True),
    ],
    "BlindTransfer": [
        Row("CallId", "345fad34", False),
        Row("TranferorParty", "caller", False),
        Row("Target", "100", True),
        Row("FinishedUrl", "http://yourapp.com/callfinished.php", False),
        Row("Username", "admin", True),
        Row("Password", "abc123", True),
    ],
    "CallSetup": [
        Row("Callee", "101", True),
        Row("Caller", "102", True),
        Row("ErrorUrl", "http://yourapp.com/error.php", False),
        Row("Username", "admin", True),
        Row("Password", "abc123", True),
    ],
}

#: The example HTTP API requests of the seed pages (the AttendedTransfer page shows none).
SEED_URLS: dict[str, str] = {
    "ForwardCall": "http://127.0.0.1:9509/api?command=ForwardCall&CallId=Nt3uh&Destination=104"
    "&Username=HTTP_User_1&Password=qwe123",
    "Call": "http://127.0.0.1:9509/api?command=Call&Dialed=102&ApiExtension=101"
    "&Url=http://yourapp.com/callconnected.php&ErrorUrl=http://yourapp.com/error.php"
    "&Username=HTTP_User_1&Password=qwe123",
    "BlindTransfer": "http://127.0.0.1:9509/api?command=BlindTransfer&CallId=Nt3uh"
    "&TransferorParty=caller&Target=104&Username=HTTP_User_1&Password=qwe123",
    "CallSetup": "http://127.0.0.1:9509/api?command=CallSetup&Caller=101&Callee=103"
    "&Username=HTTP_User_1&Password=qwe123",
}


def _seed_pages() -> dict[str, str]:
    """Seed command name → page text, read from the shared folder (empty when absent)."""
    if not SEED_DIR.is_dir():
        return {}
    pages = {}
    for path in sorted(SEED_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        pages[text.split(" command", 1)[0].strip()] = text
    return pages


def _parse_table(page: str) -> list[Row]:
    section = page.split("Request parameters\n", 1)[1].split("Response parameters", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) < 4 or cells[0] == "Parameter name":
            continue
        assert cells[3] in ("yes", "no"), line
        rows.append(Row(cells[0], cells[1], cells[3] == "yes"))
    return rows


def _parse_url(page: str) -> str | None:
    found = re.search(r"^URL request\n(http://\S+)$", page, re.M)
    return found.group(1) if found else None


def _parse_more_information(page: str) -> list[str]:
    section = page.split("More information\n", 1)[1]
    items = [line[2:].strip() for line in section.splitlines() if line.startswith("- ")]
    return [item.removesuffix(" command") for item in items]


def _tables() -> dict[str, list[Row]]:
    pages = _seed_pages()
    if not pages:
        return SEED_TABLES
    return {name: _parse_table(text) for name, text in pages.items()}


def test_embedded_seed_data_matches_the_seed_pages() -> None:
    pages = _seed_pages()
    if not pages:
        pytest.skip(f"the seed pages are not beside the checkout ({SEED_DIR})")
    assert sorted(pages) == sorted(SEED_TABLES)
    for name, text in pages.items():
        assert _parse_table(text) == SEED_TABLES[name], name
        assert _parse_url(text) == SEED_URLS.get(name), name
    # The English pages print the list with " command" suffixes; the French and Spanish ones
    # translate it, so they are not compared.
    english = [_parse_more_information(t) for t in pages.values() if "- Call command" in t]
    assert english
    assert all(names == MORE_INFORMATION for names in english)


def test_the_catalog_has_exactly_the_39_commands_of_the_seed_list() -> None:
    expected = [VENDOR_NAMES.get(name, name) for name in MORE_INFORMATION]
    assert len(expected) == len(set(expected)) == 39
    assert sorted(c.name for c in COMMANDS) == sorted(expected)


def _seed_rows() -> list[tuple[str, Row]]:
    return [(name, row) for name, rows in _tables().items() for row in rows]


@pytest.mark.parametrize(
    ("cmd_name", "row"), _seed_rows(), ids=[f"{c}.{r.name}" for c, r in _seed_rows()]
)
def test_seed_parameter_is_in_the_catalog(cmd_name: str, row: Row) -> None:
    cmd = command(cmd_name)
    assert cmd.usage == frozenset({Usage.OZML, Usage.HTTP}), "the page shows OzML and a URL"
    found = lookup_param(cmd, row.name)
    if row.name in CREDENTIALS:
        assert found is None, "credentials come from configuration, never from a document (D5)"
        return
    assert found is not None, f"{cmd_name} has no parameter {row.name}"
    param = found.param
    if found.kind is MatchKind.ALIAS:
        # The page spells a D2 typo: it is an alias of the canonical name.
        assert found.alias is not None
        assert found.alias.kind is AliasKind.MISSPELLING
        assert row.name in ("TranferredCallId", "TranferorParty")
    else:
        assert found.kind is MatchKind.EXACT
    assert Usage.HTTP in param.usage
    assert Usage.OZML in param.usage
    if row.mandatory:
        assert param.is_required(Context.ANY, cmd.contexts)
        assert all(param.is_required(c, cmd.contexts) for c in cmd.contexts)
    elif any(param.is_required(c, cmd.contexts) for c in Context):
        # Optional on this Ozeki 10 page, mandatory in some context per the older pages: ozml
        # follows the older page only as an assumption (a warning), never as a stated fact.
        assert not param.required.stated
        assert cmd.source in param.required.sources
    assert param.example is not None
    assert values.check(param, row.example) is None, f"the page's example {row.example!r}"


def test_every_seed_command_parameter_for_documents_is_on_its_page() -> None:
    # The reverse direction: what the catalog adds to a seed command is only what the spec's
    # other sources document (TransferorParty of AttendedTransfer appears in the page's example).
    extra = {}
    for name, rows in _tables().items():
        listed = {lookup_param(command(name), r.name) for r in rows} - {None}
        known = {pm.param.name for pm in listed if pm is not None}
        extra[name] = sorted(p.name for p in command(name).params if p.name not in known)
    assert extra == {
        "ForwardCall": [],
        "AttendedTransfer": ["TransferorParty"],
        "Call": [],
        "BlindTransfer": [],
        "CallSetup": [],
    }


def _urls() -> dict[str, str]:
    pages = _seed_pages()
    if not pages:
        return SEED_URLS
    return {name: url for name, text in pages.items() if (url := _parse_url(text))}


@pytest.mark.parametrize("cmd_name", sorted(SEED_URLS))
def test_seed_url_example_uses_catalog_names(cmd_name: str) -> None:
    url = _urls()[cmd_name]
    split = urllib.parse.urlsplit(url)
    assert (split.scheme, split.port, split.path) == ("http", 9509, "/api")  # D1
    query = urllib.parse.parse_qsl(split.query, strict_parsing=True)
    assert query[0] == ("command", cmd_name)
    cmd = command(cmd_name)
    for name, value in query[1:]:
        if name in CREDENTIALS:
            continue
        found = lookup_param(cmd, name)
        assert found is not None, name
        assert found.kind is MatchKind.EXACT, name
        assert values.check(found.param, value) is None, f"{name}={value}"


# -- stated or assumed (issue 11) ----------------------------------------------------------------


def test_every_basis_cites_known_sources_and_assumed_ones_a_spec_section() -> None:
    from ozml.catalog.audit import all_facts

    facts = all_facts(ALL)
    assert facts
    for fact in facts:
        assert fact.basis.sources, fact
        assert set(fact.basis.sources) <= set(SOURCES), fact
        if not fact.basis.stated:
            assert re.fullmatch(r"§\d+(\.\d+)?( #\d+)?", fact.basis.spec), fact
            assert fact.basis.why, fact


def test_what_the_spec_leaves_open_is_assumed() -> None:
    # Spec §2/§9: children of UserInput (beyond its parts), Call, BlindTransfer; Request's
    # handlers (§7.13); SendEmail's text form (§7.18); CallSetup's result codes (§6.3).
    for name in ("UserInput", "Call", "BlindTransfer", "Request"):
        assert not command(name).children_fact.stated, name
    assert not command("SendEmail").no_text_fact.stated
    assert not command("CallSetup").result_codes_fact.stated
    assert not command("Speak").param("Party").required.stated
    assert not command("BlindTransfer").param("TransferorParty").required.stated
    assert not command("Route").context_fact(Context.THREE_PCC).stated
    # ...and what the vendor states is stated.
    assert command("Play").param("Party").required.stated
    assert command("SendDTMF").param("Party").required.stated
    assert command("ForwardCall").param("Destination").required.stated
    assert command("Inputs").children_fact.stated
    assert command("Route").context_fact(Context.EXTENSION).stated


def test_child_elements_are_assumed_absent_unless_the_vendor_says_so() -> None:
    # Spec §2: "Only combinations that appear in the docs/samples are listed; everything else
    # is UNKNOWN", and §7 says of the commands' children "none seen" or "none documented": no
    # page says that Speak, Play, Hangup, ... take no child elements. That they take none was
    # stated (Speak's said "stated [hu7644]"), so <Speak>x<Play>a.wav</Play></Speak> was an
    # error while the same in Call, which §2 names as open, was a warning.
    for cmd in ALL:
        if cmd.children is ChildPolicy.NONE and cmd.children_basis is None:
            assert not cmd.children_fact.stated, cmd.name
            assert cmd.children_fact.spec == "§2", cmd.name
            assert cmd.source in cmd.children_fact.sources, cmd.name
            assert "UNKNOWN" in cmd.children_fact.why, cmd.name
    # What §2's table lists, with its sources, is the vendor's: the root holds commands,
    # Inputs holds Input, Array holds Item, ReceiveAlarmNotification holds Received.
    stated_content = {c.name: c.children_fact for c in ALL if c.children_fact.stated}
    assert {name: basis.keys for name, basis in stated_content.items()} == {
        "Response": "[oz4254]",
        "Inputs": "[oz4693][oz4801]",
        "Array": "[oz5404][hu7650]",
        "ReceiveAlarmNotification": "[oz5556][hu7670]",
    }
    assert command("Speak").children_fact.label() == (
        "assumed (spec §2 [hu7644]: the vendor shows no child elements in Speak; whether it"
        " takes any is UNKNOWN)"
    )
    assert command("Beep").children_fact.why == (
        "its page was not found; whether Beep takes child elements is UNKNOWN"
    )


def test_element_text_is_assumed_absent_unless_the_vendor_says_so() -> None:
    # Spec §1: one parameter of a command may be written as its text [oz4254]; §7's "Text?"
    # column marks it "doc" or "ex" where known and "—" (no evidence) elsewhere. "Takes no
    # text" was stated for every element but SendEmail (ForwardCall's said "stated [hu7633]").
    from ozml.catalog import ALL

    stated_no_text = {
        c.name for c in ALL if c.documented and c.text_param is None and c.no_text_fact.stated
    }
    assert stated_no_text == {"Reject"}  # "no parameters" [oz4691][hu7657]
    assert command("Reject").no_text_fact.label() == "stated [oz4691][hu7657][oz4254]"
    for name, cited in (
        ("ForwardCall", "spec §7.4 [oz4584][hu7633]"),
        ("Hangup", "spec §7.6 [oz4585][oz4689][hu7635]"),
        ("Hold", "spec §7.7 [oz4086][hu7636]"),
        ("Unhold", "spec §7.16 [oz4592][hu7645]"),
        ("AttendedTransfer", "spec §7.1 [oz4582][hu7630]"),
        ("SendDTMF", "spec §7.14 [oz4580][hu7643]"),
        ("Record", "spec §7.12 [oz4803][oz4776][hu7641]"),
        ("CallSetup", "spec §7.35 [hu7666]"),
        ("Response", "spec §2 [oz4254][oz5404]"),
    ):
        basis = command(name).no_text_fact
        assert not basis.stated, name
        assert basis.citation() == cited, name
        assert basis.why.endswith("is assumed"), name
    # A parameter the vendor shows as text stays stated.
    assert command("Speak").param("Text").as_text.stated


def test_types_are_no_stricter_than_the_spec() -> None:
    sms = command("SendSms")
    assert values.check(sms.param("Sender"), "ExampleShop") is None
    assert values.check(sms.param("Recipient"), "+36 20 555 6666") is None
    account = command("SendAlarmNotification").param("AccountNumber")
    assert values.check(account, "1234") is None
    assert values.check(account, "0012") is None
    for bad in ("123", "12345", "+123"):
        assert values.check(account, bad) == "a number of exactly 4 digits", bad
    assert values.check(account, "-123") is not None
    email = command("SendEmail").param("Recipient")
    for bad in ("admin @localhost", "admin@local host", "a b@c.org"):
        assert values.check(email, bad) is not None, bad
    # A type the spec does not state is an assumption, whatever ozml checks.
    for cmd_name in ("CallSetup", "Request", "Route"):
        for param in command(cmd_name).params:
            if param.type is not ValueType.URL:
                assert not param.typed.stated, (cmd_name, param.name)


@pytest.mark.parametrize("cmd", ALL, ids=lambda c: c.name)
def test_ozml_command_and_the_reference_page_show_the_same_basis(cmd: Command) -> None:
    from ozml.catalog.audit import context_statement, fact_rows
    from ozml.cli.command import describe
    from ozml.generate.docs import command_page

    shown = describe(cmd)
    page = command_page(cmd)
    for param, fact, value, label in fact_rows(cmd):
        subject = f"{param} {fact}" if param else fact
        assert f"  {subject}: {value}\n      {label}\n" in shown
        cell = f"`{param}`" if param else ""
        assert f"| {cell} | {fact} | {value.replace('|', chr(92) + '|')} | {label} |" in page
    # One statement of where it may be used, for every element (`ozml command Response` said
    # "-" where its page says "every context"; Beep's lacked the page's note).
    assert f"Contexts:      {context_statement(cmd)}\n" in shown
    assert f"| Contexts | {context_statement(cmd)} |" in page
    if cmd.kind is ElementKind.COMMAND and cmd.in_ozml and not cmd.context_known:
        assert "(assumed)" in shown
        assert "the context rules leave it alone" in shown


def test_the_audit_table_in_decisions_lists_every_assumed_fact() -> None:
    from ozml.catalog.audit import all_facts
    from ozml.generate.docs import AUDIT_END, AUDIT_START

    text = (Path(__file__).resolve().parent.parent / "docs" / "decisions.md").read_text(
        encoding="utf-8"
    )
    table = text.split(AUDIT_START, 1)[1].split(AUDIT_END, 1)[0]
    facts = all_facts(ALL)
    assert f"{len(facts)} facts: " in table
    for fact in facts:
        if not fact.basis.stated:
            assert fact.label in table, fact


@settings(max_examples=300)
@given(st.from_regex(r"[+-]?0{0,3}[0-9]{1,24}", fullmatch=True), st.booleans())
def test_a_whole_number_is_read_as_int_reads_it_up_to_eighteen_digits(
    text: str, padded: bool
) -> None:
    number = values.whole_number(text)
    if padded:  # int() counts leading zeros against its 4,300 digits
        sign = text[0] if text[0] in "+-" else ""
        assert values.whole_number(sign + "0" * 5000 + text.lstrip("+-")) == number
    if len(text.lstrip("+-").lstrip("0")) <= 18:
        assert number == int(text)
    else:
        assert number == (-values.PAST if text.startswith("-") else values.PAST)


@pytest.mark.parametrize("text", ["", "1.0", " 1", "1_000", "²", "٣", "0x10", "1e3", "+"])
def test_what_the_linter_does_not_read_as_a_whole_number(text: str) -> None:
    assert values.whole_number(text) is None


@settings(max_examples=200)
@given(st.from_regex(r"[+-]?[0-9]{1,30}", fullmatch=True))
def test_a_signed_number_is_its_digits_read_as_a_content_length_is(text: str) -> None:
    """One reading of digits (`ozml.limits.unsigned`) for a parameter and for the
    Content-Length of the notification reader and the simulator: a sign aside, the same."""
    magnitude = unsigned(text.lstrip("+-"))
    assert magnitude is not None
    assert values.whole_number(text) == (-magnitude if text.startswith("-") else magnitude)
    if text[0] in "+-":
        assert unsigned(text) is None  # a Content-Length has no sign
    else:
        assert unsigned(text) == magnitude


def test_a_value_of_thousands_of_digits_is_checked_against_its_bounds() -> None:
    # Python refuses to convert more than 4,300 digits: an internal error before.
    digits = command("UserInput").param("Digits")
    assert values.check(digits, "9" * 5000) is None
    assert values.check(digits, "-" + "9" * 5000) == "a whole number of at least 1"


def test_python_values_are_written_as_ozml_and_the_api_write_them() -> None:
    assert values.written(True) == "true"
    assert values.written(False) == "false"
    assert values.written(-12) == "-12"
    assert values.written("as is") == "as is"
    # str() refuses more than 4,300 digits.
    assert values.written(10**5000 + 7) == "1" + "0" * 4999 + "7"
    assert values.written(-(10**5000)) == "-1" + "0" * 5000


def test_a_number_of_seconds_is_read_as_the_linter_reads_one() -> None:
    assert values.seconds("2.5") == 2.5
    assert values.seconds("9" * 400) == float("inf")  # valid: too long for a float
    for text in ("1e3", "inf", "-1", " 1", ".5", "5."):
        assert values.seconds(text) is None, text
