"""The API's response XML, parsed safely into typed results.

Every answer is ``<Response><Code>…</Code><Message>…</Message> …payload… </Response>``
(ozml-spec.md §6.2). The payloads of the List commands become tuples of small records; both
documentation generations' shapes are read (Gen-B ``<ActiveCalls><Call>``, Gen-A ``<CallInfo>``;
Gen-B repeated ``<CallHistory>``, Gen-A ``<Calls><Call>``). Parsing never expands entities,
never loads a DTD, never touches the network and refuses a DOCTYPE, like the OzML parser.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
from lxml import etree

from ozml.api.errors import MalformedResponse
from ozml.xmlparser import xml_parser

__all__ = [
    "CALL_STATES",
    "RESULT_TYPES",
    "ActiveCall",
    "ActiveCallsResult",
    "ApiResult",
    "CallHistoryEntry",
    "CallHistoryResult",
    "Contact",
    "ContactsResult",
    "Extension",
    "ExtensionsResult",
    "SmsResult",
    "parse_response",
]

#: The call states of ListActiveCalls and CallChanged (spec §5.2 [oz4587]).
CALL_STATES: Final = (
    "Ringing",
    "InCall",
    "Hold",
    "Error",
    "Cancelled",
    "Transferred",
    "Busy",
    "Completed",
    "Answered",
)

#: Answers larger than this are refused (a PBX answer is a few kilobytes; a list page more).
MAX_RESPONSE_BYTES: Final = 16 * 1024 * 1024


@attrs.frozen
class ApiResult:
    """A successful (code 200) answer.

    `fields` holds every other simple element of the answer by name (e.g. ``TotalRecords``,
    ``SmsId``), so nothing the PBX sends is lost even where ozml has no typed field for it.
    """

    command: str
    code: int
    message: str
    notification_name: str | None = None
    fields: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class ActiveCall:
    """One call of ListActiveCalls [hu7637][oz4058]."""

    call_id: str
    call_state: str | None = None
    source: str | None = None
    caller_id: str | None = None
    destination: str | None = None
    caller_dialed: str | None = None
    callee_dialed: str | None = None
    start_time: str | None = None
    ring_duration: float | None = None
    talk_duration: float | None = None


@attrs.frozen
class ActiveCallsResult(ApiResult):
    """ListActiveCalls: the calls in progress."""

    calls: tuple[ActiveCall, ...] = ()


@attrs.frozen
class Extension:
    """One extension of ListExtensions [hu7638][oz4701]."""

    id: str
    type: str | None = None
    phone_number: str | None = None
    state: str | None = None


@attrs.frozen
class ExtensionsResult(ApiResult):
    """ListExtensions: the configured extensions."""

    extensions: tuple[Extension, ...] = ()


@attrs.frozen
class CallHistoryEntry:
    """One past call of ListCallHistory [hu7634][oz4804]."""

    call_id: str | None = None
    start_time: str | None = None
    direction: str | None = None
    source: str | None = None
    destination: str | None = None
    state: str | None = None
    dialed: str | None = None
    caller_id: str | None = None
    type: str | None = None


@attrs.frozen
class CallHistoryResult(ApiResult):
    """ListCallHistory: one page of past calls; `total_records` counts all that match."""

    total_records: int | None = None
    calls: tuple[CallHistoryEntry, ...] = ()


@attrs.frozen
class Contact:
    """One contact of ListAddressbookContacts [hu7668]."""

    name: str | None = None
    phone_number: str | None = None
    email: str | None = None


@attrs.frozen
class ContactsResult(ApiResult):
    """ListAddressbookContacts: one page of contacts; `total_records` counts all that match."""

    total_records: int | None = None
    contacts: tuple[Contact, ...] = ()


@attrs.frozen
class SmsResult(ApiResult):
    """SendSms: `sms_id` identifies the message when it was sent [oz4591]."""

    sms_id: str | None = None


#: The typed result class of each command with a payload; every other command gives `ApiResult`.
RESULT_TYPES: Final[Mapping[str, type[ApiResult]]] = {
    "ListActiveCalls": ActiveCallsResult,
    "ListExtensions": ExtensionsResult,
    "ListCallHistory": CallHistoryResult,
    "ListAddressbookContacts": ContactsResult,
    "SendSms": SmsResult,
}


def _local(el: etree._Element) -> str:
    tag = el.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _kids(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def _texts(el: etree._Element) -> dict[str, str]:
    """Name → stripped text of each child element that has no element children of its own."""
    return {_local(c): (c.text or "").strip() for c in _kids(el) if not _kids(c)}


def _opt(values: Mapping[str, str], name: str) -> str | None:
    value = values.get(name)
    return value if value else None


# Numbers as the API writes them: ASCII digits only. int() and float() also take other scripts'
# digits (２００), underscores (2_00) and, for float, nan and inf: none of them is the PBX's.
_DIGITS: Final = re.compile(r"[0-9]+")
_DECIMAL: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: The most digits a result code or a count is read with (int() refuses more than 4,300).
_MAX_DIGITS: Final = 18
_SHOWN: Final = 40


def _quoted(raw: str) -> str:
    """`raw` as an error message quotes it: its repr, cut to `_SHOWN` characters."""
    return repr(raw[:_SHOWN]) + ("..." if len(raw) > _SHOWN else "")


def _whole(raw: str) -> int | None:
    """`raw` as a whole number of ASCII digits, or None."""
    if len(raw) > _MAX_DIGITS or not _DIGITS.fullmatch(raw):
        return None
    return int(raw)


def _number(values: Mapping[str, str], name: str, command: str) -> float | None:
    raw = _opt(values, name)
    if raw is None:
        return None
    number = float(raw) if len(raw) <= 100 and _DECIMAL.fullmatch(raw) else math.nan
    if not math.isfinite(number):
        raise MalformedResponse(f"{command}: {name} is not a number: {_quoted(raw)}")
    return number


def _count(values: Mapping[str, str], command: str, *names: str) -> int | None:
    for name in names:
        raw = _opt(values, name)
        if raw is not None:
            number = _whole(raw)
            if number is None:
                problem = f"{name} is not a whole number: {_quoted(raw)}"
                raise MalformedResponse(f"{command}: {problem}")
            return number
    return None


def _records(
    root: etree._Element, records: frozenset[str], containers: frozenset[str]
) -> list[etree._Element]:
    """The records of a list answer, each exactly once, in document order.

    Both generations' shapes are read by one rule, decided once per element: an element with
    child elements is a *container* when it is named in `containers` and holds elements that
    have children of their own (``<ActiveCalls><Call>...``, ``<Calls><Call>...``); otherwise it
    is a *record* when it is named in `records` or sits in a container (``<CallInfo>`` alone or
    inside ``<ActiveCalls>``, a Gen-B ``<CallHistory>`` of fields). A record's simple children
    are its fields and it is not searched further, so no record is ever found twice, whichever
    wrapper and record names a PBX combines.
    """
    found: list[etree._Element] = []
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        element, in_container = stack.pop()
        pending: list[tuple[etree._Element, bool]] = []
        for child in _kids(element):
            kids = _kids(child)
            if not kids:
                continue  # a field of the answer itself (Code, TotalRecords, ...)
            name = _local(child)
            if name in containers and any(_kids(k) for k in kids):
                pending.append((child, True))
            elif name in records or in_container:
                found.append(child)
            else:
                pending.append((child, False))
        stack.extend(reversed(pending))
    found.sort(key=_document_order(root))
    return found


def _document_order(root: etree._Element) -> Callable[[etree._Element], int]:
    order = {id(el): i for i, el in enumerate(root.iter())}
    return lambda el: order[id(el)]


_ACTIVE_CALL_RECORDS: Final = frozenset({"Call", "CallInfo"})  # Gen-B, Gen-A [oz149]
_ACTIVE_CALL_CONTAINERS: Final = frozenset({"ActiveCalls"})
_HISTORY_RECORDS: Final = frozenset({"CallHistory", "Call"})  # Gen-B, Gen-A [oz4804]
_HISTORY_CONTAINERS: Final = frozenset({"CallHistory", "Calls"})
_EXTENSION_RECORDS: Final = frozenset({"ExtensionSummary"})
_EXTENSION_CONTAINERS: Final = frozenset({"Extensions"})
_CONTACT_RECORDS: Final = frozenset({"Contact"})
_CONTACT_CONTAINERS: Final = frozenset({"Contacts"})


_NOT_FIELDS: Final = frozenset({"Code", "Message", "NotificationName"}) | (
    _ACTIVE_CALL_RECORDS | _ACTIVE_CALL_CONTAINERS | _HISTORY_RECORDS | _HISTORY_CONTAINERS
    | _EXTENSION_RECORDS | _EXTENSION_CONTAINERS | _CONTACT_RECORDS | _CONTACT_CONTAINERS
)


def _active_calls(root: etree._Element, command: str) -> tuple[ActiveCall, ...]:
    calls = []
    for record in _records(root, _ACTIVE_CALL_RECORDS, _ACTIVE_CALL_CONTAINERS):
        v = _texts(record)
        calls.append(
            ActiveCall(
                call_id=v.get("CallId", ""),
                call_state=_opt(v, "CallState"),
                source=_opt(v, "Source"),
                caller_id=_opt(v, "CallerId"),
                destination=_opt(v, "Destination"),
                caller_dialed=_opt(v, "CallerDialed"),
                # The Gen-B table spells it CelleeDialed, its XML CalleeDialed (spec §8 #8).
                callee_dialed=_opt(v, "CalleeDialed") or _opt(v, "CelleeDialed"),
                start_time=_opt(v, "StartTime"),
                ring_duration=_number(v, "RingDuration", command),
                talk_duration=_number(v, "TalkDuration", command),
            )
        )
    return tuple(calls)


def _extensions(root: etree._Element) -> tuple[Extension, ...]:
    found = []
    for record in _records(root, _EXTENSION_RECORDS, _EXTENSION_CONTAINERS):
        v = _texts(record)
        found.append(
            Extension(
                id=v.get("Id", ""),
                type=_opt(v, "Type"),
                phone_number=_opt(v, "PhoneNumber"),
                state=_opt(v, "State"),
            )
        )
    return tuple(found)


def _history(root: etree._Element) -> tuple[CallHistoryEntry, ...]:
    entries = []
    for record in _records(root, _HISTORY_RECORDS, _HISTORY_CONTAINERS):
        v = _texts(record)
        entries.append(
            CallHistoryEntry(
                call_id=_opt(v, "CallId"),
                start_time=_opt(v, "StartTime"),
                direction=_opt(v, "Direction"),
                source=_opt(v, "Source"),
                destination=_opt(v, "Destination"),
                state=_opt(v, "State"),
                dialed=_opt(v, "Dialed"),
                caller_id=_opt(v, "CallerId"),
                type=_opt(v, "Type"),
            )
        )
    return tuple(entries)


def _contacts(root: etree._Element) -> tuple[Contact, ...]:
    found = []
    for record in _records(root, _CONTACT_RECORDS, _CONTACT_CONTAINERS):
        v = _texts(record)
        found.append(
            Contact(
                name=_opt(v, "Name"),
                phone_number=_opt(v, "PhoneNumber"),
                email=_opt(v, "Email"),
            )
        )
    return tuple(found)


def _preview(body: bytes) -> str:
    text = body[:80].decode("utf-8", "replace")
    return repr(text + ("…" if len(body) > 80 else ""))


def parse_root(body: bytes, command: str) -> etree._Element:
    """The ``<Response>`` element of an answer; `MalformedResponse` when it is not one."""
    if not body.strip():
        raise MalformedResponse(f"{command}: the answer is empty (expected the API's XML)")
    if len(body) > MAX_RESPONSE_BYTES:
        raise MalformedResponse(
            f"{command}: the answer is larger than {MAX_RESPONSE_BYTES} bytes, which is refused"
        )
    try:
        root = etree.fromstring(body, xml_parser())
    except etree.XMLSyntaxError as error:
        line = f"line {error.lineno}: " if error.lineno else ""
        raise MalformedResponse(
            f"{command}: the answer is not XML ({line}{error.msg}); it starts {_preview(body)}"
        ) from None
    docinfo: Any = root.getroottree().docinfo  # lxml-stubs lack DocInfo.doctype
    if docinfo.doctype:
        raise MalformedResponse(f"{command}: the answer has a DOCTYPE, which is refused")
    if _local(root) != "Response":
        raise MalformedResponse(
            f"{command}: the answer's root is <{_local(root)}>, expected <Response>"
        )
    return root


def parse_response(body: bytes, command: str) -> tuple[int, str, ApiResult]:
    """Parse an answer into ``(code, message, result)``.

    The result is typed for the command (`RESULT_TYPES`) and only meaningful when code is 200;
    the caller turns other codes into exceptions (`ozml.api.errors.error_for`).
    """
    root = parse_root(body, command)
    values = _texts(root)
    raw_code = values.get("Code")
    if raw_code is None:
        raise MalformedResponse(f"{command}: the answer has no <Code> element")
    code = _whole(raw_code)
    if code is None:
        raise MalformedResponse(f"{command}: <Code> is not a number: {_quoted(raw_code)}")
    message = values.get("Message", "")
    notification = _opt(values, "NotificationName")
    # An empty list's wrapper (<ActiveCalls/>) is the payload, not a field of the answer.
    fields = {k: v for k, v in values.items() if k not in _NOT_FIELDS}
    head = (command, code, message, notification, fields)
    result: ApiResult
    if code != 200:
        result = ApiResult(*head)
    elif command == "ListActiveCalls":
        result = ActiveCallsResult(*head, calls=_active_calls(root, command))
    elif command == "ListExtensions":
        result = ExtensionsResult(*head, extensions=_extensions(root))
    elif command == "ListCallHistory":
        total = _count(values, command, "TotalRecords", "NumberOfCalls")
        result = CallHistoryResult(*head, total_records=total, calls=_history(root))
    elif command == "ListAddressbookContacts":
        total = _count(values, command, "TotalRecords")
        result = ContactsResult(*head, total_records=total, contacts=_contacts(root))
    elif command == "SendSms":
        result = SmsResult(*head, sms_id=_opt(values, "SmsId"))
    else:
        result = ApiResult(*head)
    return code, message, result
