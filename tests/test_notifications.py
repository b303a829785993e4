"""ozml.notifications: the typed classes follow ozml.callmodel.KINDS, forms are read exactly and
within bounds, and every bad body is a NotificationError that says what is wrong."""

from __future__ import annotations

import doctest
import importlib
import re
import subprocess
import sys
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ozml.notifications as notifications
from ozml.callmodel import KINDS, CallState, NotificationNames, RouteState, build_form
from ozml.notifications import (
    CLASSES,
    MAX_BODY_BYTES,
    MAX_FIELDS,
    CallChanged,
    DtmfEntered,
    FinishedUrlRequest,
    IncomingCall,
    Notification,
    NotificationError,
    NotificationTooLarge,
    RecordCompleted,
    RoutingInterception,
    attribute_name,
    check_content_type,
    parse,
    render,
)

MODULES = [
    "ozml.notifications",
    "ozml.notifications.forms",
    "ozml.notifications.kinds",
    "ozml.notifications.answers",
    "ozml.notifications.reading",
    "ozml.notifications.wsgi",
    "ozml.notifications.asgi",
    "ozml.notifications.flask",
    "ozml.notifications.django",
    "ozml.notifications.starlette",
]


@pytest.mark.parametrize("name", MODULES)
def test_exports_exist_and_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    for item in module.__all__:
        assert hasattr(module, item), f"{name}.__all__ names {item}"
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_the_package_exports_every_name_of_the_kinds() -> None:
    """ozml.notifications re-exports the whole of kinds (its curated __all__ also takes a few
    names of forms and answers): a name added to kinds is not left out of the package."""
    import ozml.notifications
    from ozml.notifications import kinds

    assert set(kinds.__all__) <= set(ozml.notifications.__all__)


# -- one definition: the table ---------------------------------------------------------------


@pytest.mark.parametrize("key", list(KINDS))
def test_every_table_field_is_an_attribute(key: str) -> None:
    spec = KINDS[key]
    cls = CLASSES[key]
    assert cls.kind is spec
    values = {f.name: f"v{i}" for i, f in enumerate(spec.fields[1:])}
    form = build_form(key, values)
    note = parse(form, kind=key)
    assert type(note) is cls
    assert note.key == key
    for field in spec.fields:
        attribute = attribute_name(field.name)
        assert isinstance(vars(cls).get(attribute), property), f"{key}.{attribute}"
        sent = form.get(field.name)
        got = getattr(note, attribute)
        got = got.value if isinstance(got, CallState | RouteState) else got
        assert got == sent
        doc = vars(cls)[attribute].__doc__
        assert ("stated" if field.stated else "assumed") in doc
        assert attribute in (cls.__doc__ or "")
    assert dict(note.fields) == form
    assert note.extra == {}


def test_attribute_names() -> None:
    assert attribute_name("DtmfDigits") == "dtmf_digits"
    assert attribute_name("RecordURL") == "record_url"
    assert attribute_name("CallerID") == "caller_id"
    assert attribute_name("LastCallState") == "last_call_state"
    assert attribute_name("NotificationName") == "notification_name"


def test_typed_fields_are_declared_for_type_checkers() -> None:
    """Fields read as enums are annotated on their class, so mypy knows their type."""
    for key, cls in CLASSES.items():
        for field in KINDS[key].fields:
            if field.name in notifications.TYPED_FIELDS:
                assert attribute_name(field.name) in cls.__annotations__, (key, field.name)


def test_a_field_added_to_the_table_is_an_attribute_without_an_edit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import attrs

    from ozml.callmodel import Field
    from ozml.notifications import kinds

    spec = KINDS["DtmfEntered"]
    extended = attrs.evolve(spec, fields=(*spec.fields, Field("MenuName", "assumed", False)))
    monkeypatch.setitem(KINDS, "DtmfEntered", extended)  # type: ignore[arg-type]
    fresh = kinds._classes()["DtmfEntered"]

    class Fresh(kinds.Notification, key="DtmfEntered"):
        __slots__ = ()

    note = Fresh("DtmfEntered", {"MenuName": "main"})
    assert note.menu_name == "main"
    assert fresh is kinds.DtmfEntered  # the declared class is kept


def test_the_stated_fields() -> None:
    note = parse(
        "NotificationName=RoutingInterception&CallerID=101&OriginalDialedNumber=200"
        "&LastDialedNumber=201&LastCalledExtension=201&LastCallState=NoAnswer"
        "&CallerExtension=Bob"
    )
    assert isinstance(note, RoutingInterception)
    assert note.caller_id == "101"
    assert note.original_dialed_number == "200"
    assert note.last_dialed_number == "201"
    assert note.last_called_extension == "201"
    assert note.last_call_state is RouteState.NO_ANSWER
    assert note.caller_extension == "Bob"

    recorded = parse("NotificationName=RecordCompleted&RecordURL=http%3A%2F%2Fpbx%2Fr.wav")
    assert isinstance(recorded, RecordCompleted)
    assert recorded.record_url == "http://pbx/r.wav"
    assert recorded.call_id is None  # not sent


def test_state_values_outside_the_enum_are_kept_as_text() -> None:
    assert parse("NotificationName=CallChanged&CallState=Parked").call_state == "Parked"
    assert parse("NotificationName=CallChanged&CallState=").call_state == ""
    assert parse("NotificationName=CallChanged").call_state is None
    assert parse("NotificationName=CallChanged&CallState=Hold").call_state is CallState.HOLD


# -- names and letter case -------------------------------------------------------------------


def test_field_names_match_in_any_ascii_case() -> None:
    note = parse("notificationname=dtmfentered&DTMFDIGITS=5&callid=x&Other=1")
    assert isinstance(note, DtmfEntered)
    assert note.name == "dtmfentered"
    assert note.dtmf_digits == "5"
    assert dict(note.fields) == {
        "NotificationName": "dtmfentered",
        "DtmfDigits": "5",
        "CallId": "x",
    }
    assert note.extra == {"Other": "1"}
    assert note.get("dtmfdigits") == "5"
    assert note.get("Other") == "1"
    assert note.get("other") is None  # extra fields keep their exact spelling


def test_non_ascii_lookalikes_match_no_field() -> None:
    # U+212A KELVIN SIGN lowers to "k"; a name with it is an extra field, not a known one.
    note = parse({"NotificationName": "IncomingCall", "Caller\u212a": "1", "CallId": "c"})
    assert note.extra == {"Caller\u212a": "1"}


def test_unknown_notification_name_is_a_plain_notification() -> None:
    note = parse("NotificationName=CallFinished&CallId=1")
    assert type(note) is Notification
    assert note.kind is None
    assert note.key is None
    assert note.name == "CallFinished"
    assert note.fields == {"NotificationName": "CallFinished"}
    assert note.extra == {"CallId": "1"}
    assert repr(note) == "Notification(name='CallFinished', extra={'CallId': '1'})"


def test_shared_names_resolve_to_the_stated_kind_unless_told() -> None:
    # FinishedUrl and ResultUrl requests are assumed to be named CallChanged.
    assert type(parse("NotificationName=CallChanged")) is CallChanged
    finished = parse("NotificationName=CallChanged&Duration=12", kind="Finished")
    assert isinstance(finished, FinishedUrlRequest)
    assert finished.duration == "12"
    renamed = NotificationNames({"Finished": "CallFinished"})
    assert type(parse("NotificationName=CallFinished", names=renamed)) is FinishedUrlRequest
    preferred = NotificationNames({"Finished": "CallChanged"})
    assert type(parse("NotificationName=CallChanged", names=preferred)) is FinishedUrlRequest


def test_kind_given_needs_no_notification_name() -> None:
    note = parse("CallId=1&Duration=3", kind="Finished")
    assert isinstance(note, FinishedUrlRequest)
    assert note.name == ""
    with pytest.raises(ValueError, match="no notification kind 'Nope'"):
        parse("CallId=1", kind="Nope")


def test_repeated_names_first_value_counts_raw_keeps_all() -> None:
    note = parse("NotificationName=DtmfEntered&DtmfDigits=1&dtmfdigits=2&X=a&X=b")
    assert note.dtmf_digits == "1"
    assert note.extra == {"X": "a"}
    assert note.raw == (
        ("NotificationName", "DtmfEntered"),
        ("DtmfDigits", "1"),
        ("dtmfdigits", "2"),
        ("X", "a"),
        ("X", "b"),
    )


def test_inputs_of_every_shape_give_the_same_notification() -> None:
    pairs = [("NotificationName", "IncomingCall"), ("CallId", "a b"), ("Caller", "+36")]
    body = urlencode(pairs)
    expected = parse(body)
    assert parse(body.encode()) == expected
    assert parse(dict(pairs)) == expected
    assert parse(pairs) == expected
    assert parse(iter(pairs)) == expected
    assert isinstance(expected, IncomingCall)
    assert expected.caller == "+36"


# -- bad bodies --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "not a notification: no NotificationName field (fields sent: none)"),
        ("CallId=1&Caller=2", "no NotificationName field (fields sent: CallId, Caller)"),
        ("NotificationName=&CallId=1", "an empty NotificationName field"),
        ('{"NotificationName": "IncomingCall"}', "the body is not a form: field 1"),
        ("<Response/>", "the body is not a form: field 1 ('<Response/>') has no '='"),
        ("=1&NotificationName=GoTo", "field 1 has no name"),
        (b"NotificationName=GoTo&A=%ff", "field 2 is not utf-8 text"),
        (b"NotificationName=GoTo&A=\xff", "field 2 is not utf-8 text"),
    ],
)
def test_bodies_that_are_not_notifications(body: str | bytes, message: str) -> None:
    with pytest.raises(NotificationError, match=re.escape(message)) as e:
        parse(body)
    assert e.value.status == 400
    assert isinstance(e.value, ValueError)


def test_size_and_field_count_are_bounded() -> None:
    big = "NotificationName=GoTo&A=" + "x" * MAX_BODY_BYTES
    with pytest.raises(NotificationTooLarge, match="more than the limit of 1 MiB") as e:
        parse(big)
    assert e.value.status == 413
    with pytest.raises(NotificationTooLarge):
        parse({"NotificationName": "GoTo", "A": "x" * MAX_BODY_BYTES})
    many = "&".join(f"f{i}=1" for i in range(MAX_FIELDS + 1))
    with pytest.raises(NotificationTooLarge, match="more than 1,000 fields"):
        parse(many)
    with pytest.raises(NotificationTooLarge, match="more than 1,000 fields"):
        parse([(f"f{i}", "1") for i in range(MAX_FIELDS + 1)])
    assert len(parse("NotificationName=GoTo&" + "&".join(f"f{i}=1" for i in range(998))).raw)
    with pytest.raises(NotificationTooLarge):
        parse("NotificationName=GoTo&A=12345", max_bytes=10)


def test_empty_pieces_are_skipped_as_browsers_do() -> None:
    note = parse("&NotificationName=GoTo&&CallId=1&")
    assert note.raw == (("NotificationName", "GoTo"), ("CallId", "1"))


def test_other_encodings_and_python_types() -> None:
    assert parse(b"NotificationName=GoTo&A=%E9", encoding="latin-1").extra == {"A": "é"}
    with pytest.raises(NotificationError, match="unknown character encoding 'nope'"):
        parse(b"NotificationName=GoTo", encoding="nope")
    with pytest.raises(TypeError, match="names and values are str"):
        parse({"NotificationName": 1})  # type: ignore[dict-item]


def test_content_types() -> None:
    assert check_content_type(None) == "utf-8"
    assert check_content_type("application/x-www-form-urlencoded") == "utf-8"
    assert check_content_type("Application/X-WWW-Form-Urlencoded; charset=ISO-8859-1") == (
        "iso8859-1"
    )
    with pytest.raises(NotificationError, match="is application/json, not application/x-www") as e:
        check_content_type("application/json")
    assert e.value.status == 415
    with pytest.raises(NotificationError, match="unknown character encoding"):
        check_content_type("application/x-www-form-urlencoded; charset=klingon")


def test_render() -> None:
    from ozml.builder import Hangup, Response

    assert render(None) == b'<?xml version="1.0" encoding="UTF-8"?>\n<Response/>\n'
    assert render(Response(Hangup())).endswith(b"<Hangup/>\n</Response>\n")
    assert render("<Response/>") == b"<Response/>"
    assert render(b"<Response/>") == b"<Response/>"


def test_importing_the_core_loads_no_framework_nor_runtime_layers() -> None:
    probe = (
        "import sys, ozml.notifications, ozml.notifications.wsgi, ozml.notifications.asgi\n"
        "import ozml.notifications.flask, ozml.notifications.django, ozml.notifications.starlette\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('flask', 'django', 'starlette', 'werkzeug', 'httpx', 'uvicorn')"
        " or m.startswith(('ozml.simulator', 'ozml.interpreter', 'ozml.lint', 'ozml.cli')))\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -- round trip --------------------------------------------------------------------------------

_KNOWN = sorted({f.name for spec in KINDS.values() for f in spec.fields} - {"NotificationName"})
_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("+&=% #;"),
    max_size=12,
)
_NAMES = st.one_of(
    st.sampled_from(_KNOWN),
    st.sampled_from(_KNOWN).map(str.swapcase),
    _TEXT.filter(bool),
)


@settings(max_examples=300, deadline=None)
@given(
    key=st.sampled_from([*KINDS, None]),
    unknown_name=_TEXT,
    form=st.dictionaries(_NAMES, _TEXT, max_size=8),
    shape=st.sampled_from(["bytes", "str", "mapping", "pairs"]),
)
def test_form_round_trip(
    key: str | None, unknown_name: str, form: dict[str, str], shape: str
) -> None:
    """Any fields, encoded as the PBX encodes them, come back exactly: in `fields` under the
    table's spelling when the kind has them, else in `extra` as sent."""
    form = {k: v for k, v in form.items() if k.lower() != "notificationname"}
    # The first of names that differ only in letter case would hide the rest (first counts).
    seen: set[str] = set()
    form = {k: v for k, v in form.items() if k.lower() not in seen and not seen.add(k.lower())}
    name = KINDS[key].name if key else "X" + unknown_name
    sent = [("NotificationName", name), *form.items()]
    body = urlencode(sent)
    given: Any = {
        "bytes": body.encode(),
        "str": body,
        "mapping": dict(sent),
        "pairs": sent,
    }[shape]
    note = parse(given, kind=key)
    spec = KINDS[key] if key else None
    table = {f.name.lower(): f.name for f in spec.fields} if spec else {}
    expected_fields = {"NotificationName": name}
    expected_extra = {}
    for field, value in form.items():
        if field.isascii() and field.lower() in table:
            expected_fields[table[field.lower()]] = value
        else:
            expected_extra[field] = value
    assert dict(note.fields) == expected_fields
    assert list(note.extra.items()) == list(expected_extra.items())
    assert note.raw == tuple(sent)
    assert note.name == name
    for field, value in expected_fields.items():
        got = getattr(note, attribute_name(field))
        assert (got.value if isinstance(got, CallState | RouteState) else got) == value


_BODIES = st.binary(max_size=200) | st.text(max_size=200)


def _named(body: bytes | str) -> bytes | str:
    prefix = "NotificationName=GoTo&"
    return prefix.encode() + body if isinstance(body, bytes) else prefix + body


@settings(max_examples=300, deadline=None)
@given(
    body=_BODIES | _BODIES.map(_named),
    encoding=st.sampled_from(["utf-8", "latin-1", "ascii"]),
)
def test_any_body_is_a_notification_or_says_why_not(body: bytes | str, encoding: str) -> None:
    outcome: Notification | NotificationError
    try:
        outcome = parse(body, encoding=encoding)
    except NotificationError as error:
        outcome = error
    if isinstance(outcome, NotificationError):
        assert str(outcome)
        assert outcome.status in (400, 413, 415)
    else:
        assert outcome.name
        assert len(outcome.raw) >= 1


def test_text_bodies_keep_their_characters_and_decode_escapes_in_the_encoding() -> None:
    assert parse("NotificationName=GoTo&A=%E9+é", encoding="latin-1").extra == {"A": "é é"}
    assert parse("NotificationName=GoTo&A=%C3%A9+é").extra == {"A": "é é"}
    assert parse(b"NotificationName=GoTo&A=%C3%A9+\xc3\xa9").extra == {"A": "é é"}
    with pytest.raises(NotificationError, match="lone surrogates"):
        parse("NotificationName=GoTo&A=\ud800")


#: Codecs Python knows that are no character set: bytes-to-bytes and str-to-str codecs (which
#: bytes.decode refuses with LookupError), and text codecs that are not charsets.
NOT_CHARSETS = [
    "rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri",
    "idna", "punycode", "undefined", "unicode_escape", "raw_unicode_escape",
]


@pytest.mark.parametrize("charset", NOT_CHARSETS)
def test_a_codec_that_is_no_character_set_is_refused_with_415(charset: str) -> None:
    header = f"application/x-www-form-urlencoded; charset={charset}"
    with pytest.raises(NotificationError, match="is not a character encoding") as caught:
        check_content_type(header)
    assert caught.value.status == 415
    for body in (b"NotificationName=GoTo&A=%FF", "NotificationName=GoTo&A=%FF"):
        with pytest.raises(NotificationError) as caught:
            parse(body, encoding=charset)
        assert caught.value.status == 415


def test_charsets_that_are_text_encodings_still_decode() -> None:
    form = "application/x-www-form-urlencoded"
    assert check_content_type(f'{form}; charset="Windows-1250"') == "cp1250"
    assert check_content_type(f"{form}; charset=Shift_JIS") == "shift_jis"
    assert parse(b"NotificationName=GoTo&A=%82%A0", encoding="shift_jis").extra == {"A": "あ"}
    assert parse(b"NotificationName=GoTo&A=%9A", encoding="cp1250").extra == {"A": "š"}


@pytest.mark.parametrize(
    ("charset", "shown"),
    [("utf\x00-8", "'utf\\x00-8'"), ("x" * 5000, repr("x" * 40) + "...")],
)
def test_a_charset_python_cannot_look_up_is_one_short_415(charset: str, shown: str) -> None:
    with pytest.raises(NotificationError) as caught:
        check_content_type(f"application/x-www-form-urlencoded; charset={charset}")
    assert str(caught.value) == f"unknown character encoding {shown}"
    assert caught.value.status == 415


@pytest.mark.parametrize(
    ("limits", "error", "message"),
    [
        ({"max_fields": -1}, ValueError, "max_fields must be 0 or more, not -1"),
        ({"max_bytes": -1}, ValueError, "max_bytes must be 0 or more, not -1"),
        ({"max_fields": 1.5}, TypeError, "max_fields is a whole number, not float"),
        ({"max_bytes": "10"}, TypeError, "max_bytes is a whole number, not str"),
        ({"max_fields": True}, TypeError, "max_fields is a whole number, not bool"),
    ],
)
def test_limits_a_caller_cannot_mean_are_programming_errors(
    limits: dict[str, Any], error: type[Exception], message: str
) -> None:
    # Before, max_fields=-1 refused every form as "more than -1 fields" (a 413 for the PBX).
    for form in ("NotificationName=GoTo", {"NotificationName": "GoTo"}):
        with pytest.raises(error) as caught:
            parse(form, **limits)
        assert str(caught.value) == message
        assert not isinstance(caught.value, NotificationError)
    assert parse("", kind="Error", max_fields=0).raw == ()  # 0 is a limit like any other
