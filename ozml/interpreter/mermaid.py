"""A run's trace drawn as a Mermaid ``sequenceDiagram``: for pull requests and bug reports.

The diagram is drawn from the trace events (`ozml.interpreter.trace.TraceEvent`), one event at
a time, never from a second reading of the run: whatever the text, JSON and golden traces say,
the diagram says in pictures. Participants: ``Caller`` (the call being answered), ``PBX`` and
``App`` (whoever answers the PBX's requests: the scenario's ``[urls]``, the URL map, or the
application under ``--app``), then one participant per number the run rings (a transfer's
target, a Call's callee, a Route's destination) and per other call (``call-1.1``, the call a
Call placed), declared where they first appear.

* commands the caller hears or that act on the call: ``PBX->>Caller: t=0s Speak "Welcome."``
* keys the caller presses, or the caller hanging up: ``Caller->>PBX: t=3s DTMF "1" [matched]``
* requests to the application and its answers: ``PBX->>App: t=10s DtmfEntered DtmfDigits="7"``
  then ``App-->>PBX: t=10s OzML from http…`` (``App--xPBX`` when the fetch failed)
* ringing a number and how it ended: ``PBX->>N1: t=5s BlindTransfer "102"``, then
  ``N1-->>PBX: t=5s transferred`` or ``N1--xPBX: t=5s busy``
* what the PBX does on its own (Var, Delay, SendSms, ...) and a call's end: notes

Every line starts with the event's virtual time (``t=1.5s``, as golden lines write it), and one
event is one to three lines. Text from documents, scenarios and applications can hold anything,
so it is escaped where Mermaid would read it as structure: ``#``, ``;``, ``:``, ``%``, ``<``,
``>`` (and ``,`` and ``@`` in a participant's name) become Mermaid's entity codes (``#35;``),
control and line-separator characters become ``\\uNNNN``; values are cut at `MAX_VALUE`
characters so lines stay short. The output is deterministic: the same events, the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TextIO

from ozml import xmlspace
from ozml.catalog import lookup_element
from ozml.catalog.model import ValueType
from ozml.interpreter.fetch import MAP_ORIGIN
from ozml.interpreter.trace import END, FETCH, INPUT, NOTIFY, TraceEvent, format_time, quote
from ozml.report.style import printable

#: The longest value a message shows, in characters; a longer one is cut and ends with ``…``.
MAX_VALUE = 48
#: The longest free text (a failure's reason) a message shows.
MAX_REASON = 80
HEADER = "sequenceDiagram"
INDENT = "    "
CALLER = "Caller"
PBX = "PBX"
APP = "App"

#: Commands that ring a number, with the parameter naming it; what they answer is drawn
#: back from that number.
RINGING: Mapping[str, str] = {
    "BlindTransfer": "Target",
    "ForwardCall": "Destination",
    "AttendedTransfer": "TargetCallId",
    "Call": "Dialed",
    "CallSetup": "Callee",
    "Request": "DialedAddress",
    "Route": "Destination",
    "SendAlarmNotification": "PhoneNumber",
}
#: Results of a ringing command that mean it went through.
ANSWERED = frozenset({"transferred", "answered", "ok", "routed"})
#: Commands drawn as the PBX acting on the call (the others are notes over the PBX).
ON_CALL = frozenset({
    "Speak", "Play", "Beep", "SendDTMF", "Record", "UserInput", "Hold", "Unhold", "Hangup",
    "Reject", "ReceiveAlarmNotification",
})

#: Characters Mermaid reads as structure in a message or a note, as its entity codes. A
#: message's text runs from its first ``:`` to ``#``, ``;`` or the end of the line; ``%``
#: could start a directive (``%%{init}``), ``<``/``>`` an HTML tag (``<br>``); a ``:`` could
#: let a ``style...:...#...;`` line lose its last ``;`` (Mermaid's entity pre-pass); U+FB02 is
#: the first character of Mermaid's own entity placeholders.
_MESSAGE_ESCAPES = {
    "#": "#35;", ";": "#59;", ":": "#58;", "%": "#37;", "<": "#60;", ">": "#62;",
    "\ufb02": "#64258;",
}
#: A participant's name also stops at ``,`` and ``@``.
_NAME_ESCAPES = {**_MESSAGE_ESCAPES, ",": "#44;", "@": "#64;"}
_MESSAGE_SPECIAL = re.compile("[#;:%<>\ufb02\u2028\u2029]")
_NAME_SPECIAL = re.compile("[#;:%<>\ufb02\u2028\u2029,@]")


def _escaped(text: str, special: re.Pattern[str], table: Mapping[str, str]) -> str:
    # Control and bidirectional characters first (``\\x0a``: never a new line), then the
    # line separators JavaScript's `.` stops at, then Mermaid's own.
    safe = printable(text)

    def one(match: re.Match[str]) -> str:
        found = match.group()
        return table.get(found) or f"\\u{ord(found):04x}"

    return special.sub(one, safe)


def escape_text(text: str) -> str:
    """`text` as a message or a note can hold it (one line, nothing Mermaid reads)."""
    return _escaped(text, _MESSAGE_SPECIAL, _MESSAGE_ESCAPES)


def escape_name(text: str) -> str:
    """`text` as a participant's displayed name can hold it: without the XML white space
    around it (`ozml.xmlspace`); other white space at its ends, which Mermaid would trim as
    JavaScript's ``trim`` does, written as escapes (a number of U+00A0 alone shows as
    ``\\u00a0``, not as nothing)."""
    shown = _escaped(xmlspace.strip(text), _NAME_SPECIAL, _NAME_ESCAPES)
    rest = shown.lstrip()
    lead, core = shown[: len(shown) - len(rest)], rest.rstrip()
    tail = rest[len(core) :]
    if lead or tail:
        shown = f"{_code_points(lead)}{core}{_code_points(tail)}"
    return shown or "(empty)"


def _code_points(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in text)


def cut(text: str, limit: int = MAX_VALUE) -> str:
    """`text` shortened to `limit` characters, the last one ``…`` when it was longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text_parameter(command: str) -> tuple[str | None, frozenset[str]]:
    """The parameter a command may write as element text (D7), and its URL parameters."""
    match = lookup_element(command)
    if match is None:
        return None, frozenset()
    params = match.command.params
    text = next((p.name for p in params if p.text), None)
    urls = frozenset(p.name for p in params if p.type is ValueType.URL)
    return text, urls


class SequenceDiagram:
    """Turns trace events into the lines of one diagram, keeping its participants."""

    def __init__(self) -> None:
        #: call ID -> participant; the first call is the Caller.
        self.calls: dict[str, str] = {}
        #: The participants of other calls declared so far (a call only notified about,
        #: never spoken to, gets no column).
        self.declared: set[str] = set()
        #: number (or call ID) rung -> participant.
        self.numbers: dict[str, str] = {}
        self.call: str | None = None
        self._commands: dict[str, tuple[str | None, frozenset[str]]] = {}

    @staticmethod
    def header() -> list[str]:
        return [HEADER, *(f"{INDENT}participant {name}" for name in (CALLER, PBX, APP))]

    # -- participants ----------------------------------------------------------------------

    def _party(self, call: str) -> str:
        """The participant of call `call` (the first call's is the Caller)."""
        found = self.calls.get(call)
        if found is None:
            found = CALLER if not self.calls else f"Call{len(self.calls) + 1}"
            self.calls[call] = found
        return found

    def _use(self, party: str, call: str, out: list[str]) -> str:
        """`party`, declared (``participant Call2 as call call-1.1``) where it is first used."""
        if party != CALLER and party not in self.declared:
            self.declared.add(party)
            out.append(f"{INDENT}participant {party} as call {escape_name(call)}")
        return party

    def _number(self, number: str, out: list[str]) -> str:
        """The participant of a number the run rings, declared on its first appearance."""
        key = xmlspace.strip(number)
        found = self.numbers.get(key)
        if found is None:
            found = f"N{len(self.numbers) + 1}"
            self.numbers[key] = found
            out.append(f"{INDENT}participant {found} as {escape_name(cut(key))}")
        return found

    # -- text ------------------------------------------------------------------------------

    def _params(self, command: str, params: Mapping[str, str], skip: Iterable[str] = ()) -> str:
        """The parameters worth a message: the text parameter's value first, quoted, then
        the others but URLs (a URL shows where the PBX requests it), every value cut."""
        known = self._commands.get(command)
        if known is None:
            known = self._commands[command] = _text_parameter(command)
        text, urls = known
        left_out = {*urls, *skip}
        parts = []
        if text is not None and text in params:
            parts.append(quote(cut(params[text])))
        for name, value in params.items():
            if name != text and name not in left_out:
                parts.append(f"{name}={quote(cut(value))}")
        return " ".join(parts)

    @staticmethod
    def _message(source: str, arrow: str, target: str, text: str) -> str:
        return f"{INDENT}{source}{arrow}{target}: {escape_text(text)}"

    @staticmethod
    def _note(over: str, text: str) -> str:
        return f"{INDENT}Note over {over}: {escape_text(text)}"

    # -- events ----------------------------------------------------------------------------

    def lines(self, event: TraceEvent) -> list[str]:
        """The lines one event adds (participants it introduces first)."""
        out: list[str] = []
        party = self._party(event.call)
        if event.call != self.call:
            self.call = event.call
            out.append(self._note(f"{CALLER},{APP}", f"call {event.call}"))
        at = f"t={format_time(event.time)}"
        command = event.command
        if command == INPUT:
            self._input(event, party, at, out)
        elif command == FETCH:
            shown = self._params(command, event.params, skip=("Url",))
            out.append(self._message(PBX, "->>", APP, f"{at} DtmfEntered {shown}".rstrip()))
            self._answer(event, event.params.get("Url", ""), at, out)
        elif command == NOTIFY:
            self._notify(event, at, out)
        elif command == END:
            detail = f" ({cut(event.detail, MAX_REASON)})" if event.detail else ""
            over = f"{self._use(party, event.call, out)},{PBX}"
            out.append(self._note(over, f"{at} end [{event.result}]{detail}"))
        elif command == "GoTo":
            out.append(self._message(PBX, "->>", APP, f"{at} GoTo"))
            self._answer(event, event.params.get("Url", ""), at, out)
        elif command in RINGING and not xmlspace.is_blank(event.params.get(RINGING[command], "")):
            self._ring(event, at, out)
        else:
            self._command(event, party, at, out)
        return out

    def _outcome(self, event: TraceEvent) -> str:
        return "" if event.result == "ok" else f" [{event.outcome}]"

    def _command(self, event: TraceEvent, party: str, at: str, out: list[str]) -> None:
        shown = self._params(event.command, event.params)
        text = f"{at} {event.command} {shown}".rstrip() + self._outcome(event)
        if event.command in ON_CALL or event.command in RINGING:  # a Route "" rejects the caller
            out.append(self._message(PBX, "->>", self._use(party, event.call, out), text))
        else:
            out.append(self._note(PBX, text))
        if event.result == "caller-hangup":
            when = event.time if event.end is None else event.end
            caller = self._use(party, event.call, out)
            out.append(self._message(caller, "-x", PBX, f"t={format_time(when)} hangs up"))

    def _input(self, event: TraceEvent, party: str, at: str, out: list[str]) -> None:
        self._use(party, event.call, out)
        digits = event.params.get("Digits")
        if event.result == "hangup":
            out.append(self._message(party, "-x", PBX, f"{at} hangs up"))
        elif digits is not None:
            out.append(
                self._message(party, "->>", PBX, f"{at} DTMF {quote(cut(digits))} [{event.result}]")
            )
        else:
            out.append(self._note(f"{party},{PBX}", f"{at} no key [{event.result}]"))

    def _ring(self, event: TraceEvent, at: str, out: list[str]) -> None:
        number = self._number(event.params[RINGING[event.command]], out)
        shown = self._params(event.command, event.params)
        out.append(self._message(PBX, "->>", number, f"{at} {event.command} {shown}".rstrip()))
        arrow = "-->>" if event.result in ANSWERED else "--x"
        out.append(self._message(number, arrow, PBX, f"{at} {event.outcome}"))

    def _notify(self, event: TraceEvent, at: str, out: list[str]) -> None:
        name = event.params.get("NotificationName", "notification")
        url = event.params.get("Url")
        if url is None:  # the OzML was given (Call's ResponseOzML): nothing is requested
            out.append(self._note(PBX, f"{at} {name} runs ResponseOzML"))
            return
        if event.result == "sent":
            out.append(self._message(PBX, "-)", APP, f"{at} {name} to {cut(url)} (no answer)"))
            return
        out.append(self._message(PBX, "->>", APP, f"{at} {name}"))
        self._answer(event, url, at, out)

    def _answer(self, event: TraceEvent, url: str, at: str, out: list[str]) -> None:
        if event.result in ("failed", "refused"):
            reason = cut(event.detail, MAX_REASON) if event.detail else event.result
            out.append(self._message(APP, "--x", PBX, f"{at} no OzML ({reason})"))
            return
        origin = event.origin.replace(MAP_ORIGIN, "URL map ", 1)
        origin = f" ({origin})" if origin else ""
        out.append(self._message(APP, "-->>", PBX, f"{at} OzML from {cut(url)}{origin}"))


class MermaidSink:
    """Writes a run as a Mermaid sequence diagram, line by line as the events come (the
    header when the sink is made, so a run without events is still a diagram)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.diagram = SequenceDiagram()
        stream.write("".join(line + "\n" for line in self.diagram.header()))

    def emit(self, event: TraceEvent) -> None:
        self.stream.write("".join(line + "\n" for line in self.diagram.lines(event)))


def render(events: Iterable[TraceEvent]) -> str:
    """The diagram of `events`, as `MermaidSink` writes it."""
    diagram = SequenceDiagram()
    lines = diagram.header()
    for event in events:
        lines.extend(diagram.lines(event))
    return "".join(line + "\n" for line in lines)


__all__ = [
    "HEADER",
    "MAX_REASON",
    "MAX_VALUE",
    "MermaidSink",
    "SequenceDiagram",
    "cut",
    "escape_name",
    "escape_text",
    "render",
]
