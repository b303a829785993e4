"""One typed class per notification kind, made from ozml.callmodel.KINDS, and `parse`.

The table is the one definition of what each notification carries: every field of a kind
becomes a read-only attribute of its class, named in snake_case (``DtmfDigits`` →
``dtmf_digits``, ``RecordURL`` → ``record_url``, ``CallerID`` → ``caller_id``), whose value is
the text the PBX sent, or None when the field was not sent. Two fields are typed: ``CallState``
(`CallState`) and RoutingInterception's ``LastCallState`` (`RouteState`), each an enum member
when the text is one of its values and the text itself otherwise. A field added to the table is
an attribute at once; the class docstrings list the fields, each marked stated (the vendor
documents it) or assumed (ozml's nearest guess: the vendor names few fields, ozml-spec.md §5.1).
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final

from ozml.callmodel.notifications import KINDS, Field, Kind, NotificationNames
from ozml.callmodel.states import CallState, RouteState
from ozml.notifications.forms import (
    MAX_BODY_BYTES,
    MAX_FIELDS,
    NotificationError,
    decode_form,
    form_pairs,
)

__all__ = [
    "CLASSES",
    "TYPED_FIELDS",
    "AlarmResultRequest",
    "CallChanged",
    "CallConnected",
    "DtmfEntered",
    "ErrorUrlRequest",
    "FinishedUrlRequest",
    "GoTo",
    "IncomingCall",
    "IncomingSMS",
    "Notification",
    "RecordCompleted",
    "RoutingInterception",
    "SMSDeliveryReport",
    "attribute_name",
    "parse",
    "resolve",
]

_NAME_FIELD: Final = "NotificationName"
_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

#: Fields read as an enum: the member when the text is one of its values, else the text.
TYPED_FIELDS: Final[Mapping[str, type[CallState] | type[RouteState]]] = {
    "CallState": CallState,
    "LastCallState": RouteState,
}


def attribute_name(field: str) -> str:
    """The attribute of a table field: ``DtmfDigits`` → ``dtmf_digits``, ``RecordURL`` →
    ``record_url``."""
    return _WORD.sub("_", field).lower()


def _key(name: str) -> str | None:
    """How a name is matched: ASCII letters in any case (the PBX writes names as the table
    does; other spellings are accepted). A name with other characters matches no field."""
    return name.lower() if name.isascii() else None


def _describe(field: Field) -> str:
    how = "stated" if field.stated else "assumed"
    where = f", {field.source}" if field.source else ""
    return f"{field.name}: {field.meaning} ({how}{where})."


def _getter(field: Field) -> Callable[[Notification], Any]:
    name = field.name
    enum = TYPED_FIELDS.get(name)
    if enum is None:

        def text(self: Notification) -> str | None:
            return self.fields.get(name)

        return text

    members = {member.value: member for member in enum}

    def typed(self: Notification) -> object:
        value = self.fields.get(name)
        return None if value is None else members.get(value, value)

    return typed


_RESERVED: Final = frozenset({"name", "fields", "extra", "raw", "get", "kind", "key"})


class Notification:
    """A notification the PBX sent: its ``NotificationName``, fields and everything else.

    `name` is the NotificationName as sent ("" when a request to ErrorUrl, FinishedUrl or
    ResultUrl was read with ``parse(..., kind=...)`` and had none). `fields` holds the fields of
    the kind's table entry that were sent, under the table's spelling; `extra` every other field
    under the spelling sent, both in the order sent; `raw` every pair exactly as received,
    repeats included. When a name is repeated, its first value counts.

    This class itself stands for a notification whose name is in no table entry: its
    `fields` hold only NotificationName and `extra` all the rest.
    """

    __slots__ = ("extra", "fields", "name", "raw")

    #: The table entry of this kind (None for an unknown NotificationName).
    kind: ClassVar[Kind | None] = None

    def __init__(
        self,
        name: str,
        fields: Mapping[str, str],
        extra: Mapping[str, str] = types.MappingProxyType({}),
        raw: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.name = name
        self.fields: Mapping[str, str] = types.MappingProxyType(dict(fields))
        self.extra: Mapping[str, str] = types.MappingProxyType(dict(extra))
        self.raw: tuple[tuple[str, str], ...] = tuple(raw)

    def __init_subclass__(cls, *, key: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if key is None:
            return
        spec = KINDS[key]
        cls.kind = spec
        lines = []
        for field in spec.fields:
            attribute = attribute_name(field.name)
            if attribute in _RESERVED or attribute in vars(cls):
                raise TypeError(f"{key}'s field {field.name} would hide {cls.__name__}.{attribute}")
            setattr(cls, attribute, property(_getter(field), doc=_describe(field)))
            lines.append(f"    ``{attribute}`` ← {_describe(field)}")
        where = f"Sent to {spec.url} [{spec.source}]."
        name = "" if spec.stated_name else f" Its NotificationName, {spec.name!r}, is assumed."
        cls.__doc__ = (
            f"{(cls.__doc__ or '').strip()}\n\n{where}{name}\n\nFields (ozml.callmodel.KINDS):\n\n"
            + "\n".join(lines)
            + "\n"
        )

    @property
    def notification_name(self) -> str | None:
        """NotificationName: the kind of notification, as sent (None when it was not)."""
        return self.fields.get(_NAME_FIELD)

    @property
    def key(self) -> str | None:
        """The table key of this kind (``"DtmfEntered"``, ``"Finished"``, ...), or None."""
        return None if self.kind is None else self.kind.key

    def get(self, name: str, default: str | None = None) -> str | None:
        """Any field by name: a table field in any letter case, else an extra field as sent."""
        key = _key(name)
        for known in self.fields:
            if known.lower() == key:
                return self.fields[known]
        return self.extra.get(name, default)

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, Notification)
            and (self.name, dict(self.fields), dict(self.extra), self.raw)
            == (other.name, dict(other.fields), dict(other.extra), other.raw)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{attribute_name(n)}={v!r}" for n, v in self.fields.items())
        if self.extra:
            shown += f", extra={dict(self.extra)!r}"
        if self.kind is None:
            return f"Notification(name={self.name!r}, extra={dict(self.extra)!r})"
        return f"{type(self).__name__}({shown})"

    if TYPE_CHECKING:  # the fields made from the table, for type checkers: text or None

        def __getattr__(self, name: str) -> str | None:
            raise AttributeError(name)


class RoutingInterception(Notification, key="RoutingInterception"):
    """A call waits to be routed: answer with Route, or with nothing to let the dial plan
    decide."""

    __slots__ = ()
    last_call_state: RouteState | str | None


class CallChanged(Notification, key="CallChanged"):
    """A 3PCC call changed state."""

    __slots__ = ()
    call_state: CallState | str | None


class IncomingCall(Notification, key="IncomingCall"):
    """A call arrived at the API extension."""

    __slots__ = ()


class CallConnected(Notification, key="CallConnected"):
    """The callee of a Call command answered; the query parameters of Call's Url are in
    `extra`."""

    __slots__ = ()


class DtmfEntered(Notification, key="DtmfEntered"):
    """Keys entered in a UserInput menu matched no Input key."""

    __slots__ = ()


class RecordCompleted(Notification, key="RecordCompleted"):
    """A Record command's recording ended."""

    __slots__ = ()


class SMSDeliveryReport(Notification, key="SMSDeliveryReport"):
    """The delivery state of a SendSms message became known."""

    __slots__ = ()


class IncomingSMS(Notification, key="IncomingSMS"):
    """An SMS arrived at the API extension."""

    __slots__ = ()


class GoTo(Notification, key="GoTo"):
    """A GoTo command fetched its URL."""

    __slots__ = ()


class ErrorUrlRequest(Notification, key="Error"):
    """The request to a Call's or CallSetup's ErrorUrl: an error occurred during the call."""

    __slots__ = ()
    call_state: CallState | str | None


class FinishedUrlRequest(Notification, key="Finished"):
    """The request to a Call's or BlindTransfer's FinishedUrl: the call ended."""

    __slots__ = ()
    call_state: CallState | str | None


class AlarmResultRequest(Notification, key="AlarmResult"):
    """The request to SendAlarmNotification's ResultUrl: the alarm succeeded or failed."""

    __slots__ = ()
    call_state: CallState | str | None


def _classes() -> dict[str, type[Notification]]:
    declared = {
        cls.kind.key: cls
        for cls in Notification.__subclasses__()
        if cls.kind is not None and cls.__module__ == __name__
    }
    # A kind added to the table without a class here still gets one, named after its key.
    return {
        key: declared.get(key) or types.new_class(key, (Notification,), {"key": key})
        for key in KINDS
    }


#: The class of each table key (``CLASSES["Finished"] is FinishedUrlRequest``).
CLASSES: Final[Mapping[str, type[Notification]]] = types.MappingProxyType(_classes())

_DEFAULT_NAMES: Final = NotificationNames()


def resolve(name: str, names: NotificationNames | None = None) -> str | None:
    """The table key a NotificationName stands for (letter case ignored), or None.

    Several kinds may share a name (the requests to FinishedUrl and ResultUrl are assumed to be
    named CallChanged): a name the user configured wins, then a name the vendor states, then
    the first in the table. Pass ``kind=`` to `parse` where the URL says which one it is.
    """
    wanted = _key(name)
    if not wanted:
        return None
    names = names or _DEFAULT_NAMES
    found = [key for key in KINDS if _key(names.name(key)) == wanted]
    if not found:
        return None
    return min(
        found,
        key=lambda key: (key not in names.overrides, not KINDS[key].stated_name),
    )


def parse(
    form: bytes | str | Mapping[str, str] | Iterable[tuple[str, str]],
    *,
    names: NotificationNames | None = None,
    kind: str | None = None,
    encoding: str = "utf-8",
    max_bytes: int = MAX_BODY_BYTES,
    max_fields: int = MAX_FIELDS,
) -> Notification:
    """The typed notification of one PBX POST.

    `form` is the body as the PBX sends it (bytes or str, ``application/x-www-form-urlencoded``)
    or a form a framework already decoded (a mapping, or ``(name, value)`` pairs). Its
    ``NotificationName`` chooses the class (`resolve`; `names` holds the names a user
    configured for assumed ones); an unknown name gives a plain `Notification`. `kind` (a key of
    ozml.callmodel.KINDS) says what the request is when the URL tells it, as for the requests to
    ErrorUrl, FinishedUrl and ResultUrl, which then need no NotificationName.

    Field names are matched in any ASCII letter case (the PBX sends them as the table writes
    them). NotificationError when the body is not a form, is larger than `max_bytes` or has
    more than `max_fields` fields, or has no NotificationName (and no `kind`). Linear time.
    """
    if isinstance(form, bytes | str):
        pairs = decode_form(form, encoding=encoding, max_bytes=max_bytes, max_fields=max_fields)
    else:
        pairs = form_pairs(form, max_bytes=max_bytes, max_fields=max_fields)
    name = next((value for field, value in pairs if _key(field) == "notificationname"), None)
    if kind is not None:
        if kind not in KINDS:
            raise ValueError(f"no notification kind {kind!r} (known: {', '.join(KINDS)})")
        key: str | None = kind
    elif not name:
        sent = ", ".join(field for field, _ in pairs[:5]) or "none"
        more = ", ..." if len(pairs) > 5 else ""
        what = "an empty" if name == "" else "no"
        raise NotificationError(
            f"not a notification: {what} NotificationName field (fields sent: {sent}{more})"
        )
    else:
        key = resolve(name, names)
    spec = None if key is None else KINDS[key]
    known = {_NAME_FIELD.lower(): _NAME_FIELD}
    if spec is not None:
        known = {f.name.lower(): f.name for f in spec.fields}
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    for field, value in pairs:
        table_name = known.get(_key(field) or "")
        if table_name is not None:
            fields.setdefault(table_name, value)
        else:
            extra.setdefault(field, value)
    cls = Notification if key is None else CLASSES[key]
    return cls(name or "", fields, extra, pairs)
