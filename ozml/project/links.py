"""The links of one parsed document: the URL parameters whose URL the PBX requests later.

Each URL parameter of the catalog leads to one kind of request (ozml-spec.md §5.1):

========================  =================  ============  ==========================
parameter                 notification       reply runs    context of the reply
========================  =================  ============  ==========================
GoTo Url                  GoTo               stated        extension, same call
UserInput ForwardToURL    DtmfEntered        stated        extension, same call
Call Url                  CallConnected      stated        extension, the new call
Record FinishedUrl        RecordCompleted    stated        extension or 3pcc
SendSms DeliveryReportURL SMSDeliveryReport  stated        extension
Call/CallSetup ErrorUrl   Error              UNKNOWN       UNKNOWN
Call/BlindTransfer        Finished           UNKNOWN       UNKNOWN
FinishedUrl
SendAlarmNotification     AlarmResult        UNKNOWN       UNKNOWN
ResultUrl
========================  =================  ============  ==========================

"Reply runs" is whether the vendor states that the PBX runs the OzML the URL answers with: for
GoTo [oz4801], DtmfEntered [oz4693], CallConnected [oz4588]; RecordCompleted and
SMSDeliveryReport are among the notifications the ext-control commands answer [oz4688] (and
RecordCompleted the 3PCC commands too [oz4803]). For the others nothing is stated: their
targets are still part of the project (reachable), but nothing certain is claimed about them.
"""

from __future__ import annotations

from collections.abc import Iterator

from ozml import lazy, xmlspace
from ozml.catalog import COMMANDS, Context, Param, Usage, ValueType
from ozml.diagnostics import Span
from ozml.parser import ParseResult
from ozml.record import Record
from ozml.resolve import Resolved, resolve
from ozml.templates import Spans, Where, dynamic_content, text_parts

__all__ = [
    "LINK_KINDS",
    "NOTIFICATION_CONTEXTS",
    "STOPS",
    "URL_PARAMS",
    "Link",
    "LinkKind",
    "document_links",
    "is_sql",
]

_SPACE = lazy.pattern(r"\s")
_URL_TYPES = frozenset({ValueType.URL, ValueType.URL_OR_SQL})

#: Command name → its URL-valued parameters used in OzML documents.
URL_PARAMS: dict[str, tuple[Param, ...]] = {
    cmd.name: params
    for cmd in COMMANDS
    if cmd.in_ozml
    and (params := tuple(p for p in cmd.params if p.type in _URL_TYPES and Usage.OZML in p.usage))
}


class LinkKind(Record):
    """What the PBX does with a URL parameter: which notification it sends there, whether it
    runs the OzML of the reply, and in which context (`ozml.catalog.Context`).

    A record, not an attrs class: the URL rules read this table, and a run with a finding
    pays for each attrs class it defines (`ozml.record`)."""

    #: The notification's key in `ozml.callmodel.notifications.KINDS`.
    notification: str
    #: The vendor states that the reply's OzML runs (False: UNKNOWN, assumed reachable).
    runs: bool
    #: The context the reply's OzML runs in, when stated (None: either, or UNKNOWN).
    context: Context | None
    #: The same call goes on in the target at once (GoTo): the only links a call can loop on
    #: without anybody acting.
    continues: bool
    #: The vendor pages that say so.
    sources: str

    def __init__(
        self, notification: str, runs: bool, context: Context | None, continues: bool, sources: str
    ) -> None:
        self._assign(locals())

    @property
    def fact(self) -> str:
        """``stated [oz4801]`` or ``assumed (spec §5.1)``: how messages and docs cite it."""
        return f"stated {self.sources}" if self.runs else "assumed (spec §5.1: UNKNOWN)"


_EXT = Context.EXTENSION

#: (command, parameter) → what a link there is (see the module docstring).
LINK_KINDS: dict[tuple[str, str], LinkKind] = {
    ("GoTo", "Url"): LinkKind("GoTo", True, _EXT, True, "[oz4801][oz5047]"),
    ("UserInput", "ForwardToURL"): LinkKind("DtmfEntered", True, _EXT, False, "[oz4693][oz5047]"),
    ("Call", "Url"): LinkKind("CallConnected", True, _EXT, False, "[oz4588][oz5047]"),
    ("Record", "FinishedUrl"): LinkKind("RecordCompleted", True, None, False, "[oz4803][oz5047]"),
    ("SendSms", "DeliveryReportURL"): LinkKind(
        "SMSDeliveryReport", True, _EXT, False, "[oz4589][oz4688]"
    ),
    ("Call", "ErrorUrl"): LinkKind("Error", False, None, False, "[oz4588]"),
    ("CallSetup", "ErrorUrl"): LinkKind("Error", False, None, False, "[hu7666]"),
    ("Call", "FinishedUrl"): LinkKind("Finished", False, None, False, "[hu7632]"),
    ("BlindTransfer", "FinishedUrl"): LinkKind("Finished", False, None, False, "[oz4583]"),
    ("SendAlarmNotification", "ResultUrl"): LinkKind("AlarmResult", False, None, False, "[oz5554]"),
}

#: Notification (`ozml.callmodel.notifications.KINDS` key) → the context its answer runs in,
#: where the vendor says (D4; spec §5.1: which commands answer which notification). Those not
#: here (RecordCompleted: both; Error, Finished, AlarmResult: not documented) have none.
NOTIFICATION_CONTEXTS: dict[str, Context] = {
    "IncomingCall": _EXT,
    "CallConnected": _EXT,
    "DtmfEntered": _EXT,
    "GoTo": _EXT,
    "IncomingSMS": _EXT,
    "SMSDeliveryReport": _EXT,
    "CallChanged": Context.THREE_PCC,
    "RoutingInterception": Context.ROUTING,
}

#: Commands after which a call does not go on by itself to the next command of the same
#: script: UserInput waits for the caller's keys [oz4693]; Hangup [oz4592] and Reject [oz4691]
#: end the call, Exit (undocumented, D6) is taken to end the script; a transfer hands the call
#: to someone else [oz4583][oz4582]; Route answers a routing decision [oz4594]; WaitForMsg waits.
STOPS = frozenset(
    {
        "UserInput",
        "Hangup",
        "Reject",
        "Exit",
        "BlindTransfer",
        "ForwardCall",
        "AttendedTransfer",
        "Route",
        "WaitForMsg",
    }
)


def is_sql(param: Param, value: str) -> bool:
    """Whether a GoTo value is an SQL query (SQL OzML), not a URL: spaces and no ``://``."""
    return (
        param.type is ValueType.URL_OR_SQL
        and "://" not in value
        and _SPACE().search(value) is not None
    )


class Link:
    """One URL parameter of a document's element: where it is and what it leads to."""

    __slots__ = ("_span", "attribute", "command", "hidden", "kind", "param", "rec", "result",
                 "templates", "unconditional", "value")

    def __init__(
        self,
        result: ParseResult,
        rec: Resolved,
        param: Param,
        value: str,
        attribute: str | None,
        unconditional: bool,
        templates: Spans = (),
        hidden: bool = False,
    ) -> None:
        self.result = result
        self.rec = rec
        #: The command's canonical name (``GoTo``) and the parameter (``Url``).
        assert rec.command is not None
        self.command = rec.command.name
        self.param = param
        #: The value, stripped (the element text when `attribute` is None).
        self.value = value
        #: The attribute as written (``ForwardToUrl``), or None for the element text.
        self.attribute = attribute
        self.kind = LINK_KINDS.get((self.command, param.name)) or LinkKind(
            "GoTo", False, None, False, ""
        )
        #: A GoTo the script always reaches without waiting or ending (a direct child of the
        #: root, after no command of `STOPS`, in a document whose structure no template part
        #: can change): a call at the start of the document comes here for sure.
        self.unconditional = unconditional
        #: Where the parser found template parts in `value` (`ozml.templates`, the one rule:
        #: the URL map reads these, never the value's characters, as its parts).
        self.templates = templates
        #: The element's text is dynamic where `value` does not show it: a processing
        #: instruction (``<GoTo>http://a/<?php echo $p ?>.php</GoTo>``) or a part standing as
        #: a node of its own among its children. Such a link is not followed.
        self.hidden = hidden
        self._span: Span | None = None

    @property
    def label(self) -> str:
        """``GoTo`` (a URL written as the element text) or ``UserInput ForwardToUrl``: how
        messages name the link."""
        return self.command if self.attribute is None else f"{self.command} {self.attribute}"

    @property
    def written(self) -> str:
        """``ForwardToUrl`` or ``text`` (the element text): what the finding points at."""
        return self.attribute if self.attribute is not None else "text"

    @property
    def span(self) -> Span:
        """Where the value is: the attribute's value, or the element text (worked out only
        when asked: a clean project never needs a position)."""
        if self._span is None:
            source = self.result.source
            element = self.rec.element
            if self.attribute is None:
                self._span = source.text_span(element)
            else:
                self._span = source.attribute_span(element, self.attribute, value=True)
        return self._span

    def __repr__(self) -> str:
        return f"Link({self.command} {self.written}={self.value!r})"


def url_values(rec: Resolved) -> Iterator[tuple[Param, str, str | None]]:
    """The URLs one element gives the PBX to request: (parameter, value, the attribute as
    written or None for the element text), empty values and SQL OzML left out. The one reading
    of an element's URLs, for the links between documents and for the URL rules."""
    cmd = rec.command
    params = URL_PARAMS.get(cmd.name) if cmd is not None else None
    if params is None:
        return
    for param in params:
        given = rec.written_for(param)
        if given is not None:
            attribute: str | None = given[0]
            value: str | None = attribute_url(param, given[1])
        elif param.text and rec.text:
            value, attribute = rec.text, None
            if is_sql(param, value):
                continue
        else:
            continue
        if value:
            yield param, value, attribute


def attribute_url(param: Param, written: str) -> str | None:
    """The URL an element's attribute whose value is `written` gives the PBX to request, when
    it is the first of the element's attributes that stand for `param`, a URL parameter
    (`url_values`): its value without white space around it; None when that is empty or SQL
    OzML."""
    value = xmlspace.strip(written)
    return value if value and not is_sql(param, value) else None


def _value_parts(result: ParseResult, rec: Resolved, param: Param, attribute: str | None,
                 value: str) -> tuple[Spans, bool]:
    """Where the parser found template parts in a link's `value` (stripped, as `url_values`
    gives it), and whether its element's text is dynamic where `value` does not show it
    (`Link.hidden`)."""
    if attribute is not None:
        place = rec.place_of(param)
        assert place is not None
        spans = rec.value_templates(place)
        if not spans:
            return (), False
        written = rec.written[place][1]
        lead = len(written) - len(written.lstrip())
        return tuple((start - lead, end - lead) for start, end in spans), False
    element = rec.element
    if len(element.children) == 1:
        return text_parts(element), False  # its text alone: no node beside it to hide a part
    from ozml.nodes import Element, Text  # the tree is built: its classes are loaded

    others = tuple(child for child in element.children if not isinstance(child, Text))
    hidden = bool(others) and dynamic_content(Element(element.tag, children=others),
                                              result.templates)
    return text_parts(element), hidden


def _fixed_structure(result: ParseResult) -> bool:
    """Whether no template part can change which commands the document holds (parts only in
    attribute values change values, not commands)."""
    if any(part.where != Where.VALUE for part in result.template_parts):
        return False
    root = result.document.root
    from ozml.nodes import ProcessingInstruction  # the tree is built: its classes are loaded

    return root is None or not any(isinstance(c, ProcessingInstruction) for c in root.children)


def document_links(result: ParseResult, records: list[Resolved] | None = None) -> list[Link]:
    """The links of a parsed document, in document order: every URL parameter with a value
    that is not an SQL query (GoTo's SQL OzML). Dynamic values are links too (`UrlMap.resolve`
    decides what they lead to). `records` are the document's resolved elements when the
    caller has them."""
    root = result.document.root
    if root is None:
        return []
    if records is None:
        records = resolve(root)
    fixed = _fixed_structure(result)
    stopped = False
    found: list[Link] = []
    for rec in records:
        cmd = rec.command
        top = rec.parent is not None and rec.parent.parent is None
        for param, value, attribute in url_values(rec):
            unconditional = fixed and top and not stopped and cmd is not None and (
                cmd.name == "GoTo"
            )
            spans, hidden = _value_parts(result, rec, param, attribute, value)
            found.append(
                Link(result, rec, param, value, attribute, unconditional, spans, hidden)
            )
        if top and cmd is not None and (cmd.name in STOPS or cmd.name == "GoTo"):
            stopped = True  # after a GoTo the call goes on in the other document
    return found
