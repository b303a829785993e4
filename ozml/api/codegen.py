"""Generates the client's per-command methods and their reference page from the catalog.

One typed, documented method per HTTP command (``client.forward_call(call_id=...,
destination=...)``) is written into ``ozml/api/methods.py``, and the reference of every method,
result type and exception into ``docs/api-client.md``. Both are checked in;
``python -m ozml.generate --check`` fails when the catalog changed and they were not regenerated.
"""

from __future__ import annotations

import keyword
import re
import textwrap
from pathlib import Path

import attrs

from ozml.api import errors, responses
from ozml.api.wire import (
    HTTP_COMMANDS,
    NEVER_RETRIED,
    READ_ONLY,
    http_required,
    http_requirements,
)
from ozml.catalog import Command, Param, ValueType

METHODS_PATH = Path("ozml/api/methods.py")
DOCS_PATH = Path("docs/api-client.md")


def snake(name: str) -> str:
    """``ForwardCall`` → ``forward_call``, ``SendDTMF`` → ``send_dtmf``, ``From`` → ``from_``."""
    plain = name.strip("_").replace("OzML", "Ozml")
    plain = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", plain)
    plain = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", plain).lower()
    return f"{plain}_" if keyword.iskeyword(plain) else plain


def _annotation(param: Param) -> str:
    if param.type in (ValueType.INTEGER, ValueType.SECONDS):
        return "int | str"
    if param.type is ValueType.BOOLEAN:
        return "bool | str"
    return "str"


def result_type(cmd: Command) -> type[responses.ApiResult]:
    return responses.RESULT_TYPES.get(cmd.name, responses.ApiResult)


def _exceptions(cmd: Command) -> list[str]:
    out = []
    for code in cmd.result_codes:
        if code == 200:
            continue
        name = next(c.__name__ for c in _error_classes() if code == c.CODE)
        out.append(f"{name} ({code})")
    return out


def _error_classes() -> list[type[errors.ApiError]]:
    classes = [
        getattr(errors, name)
        for name in errors.__all__
        if isinstance(getattr(errors, name), type)
        and issubclass(getattr(errors, name), errors.ApiError)
        and getattr(errors, name).CODE
    ]
    return sorted(classes, key=lambda c: c.CODE)


def _docstring(cmd: Command, required: tuple[Param, ...]) -> list[str]:
    lines = [cmd.doc, ""]
    assumed = {r.param for r in http_requirements(cmd) if not r.stated}
    example = "&".join(
        f"{p.name}={p.example or '…'}"
        for p in cmd.http_params
        if p in required or p in assumed
    )
    lines += textwrap.wrap(
        f"Sends ``command={cmd.name}{'&' + example if example else ''}`` [{cmd.source}].",
        width=88,
        break_long_words=False,
    )
    if not cmd.documented:
        lines += [
            "",
            "The vendor does not document this command's parameters; any given as keyword",
            "arguments are sent as they are.",
        ]
    if cmd.http_params:
        lines += ["", "Args:"]
        for param in cmd.http_params:
            note = (
                ""
                if param in required
                else " Optional; ozml assumes it is mandatory and warns when it is left out."
                if param in assumed
                else " Optional."
            )
            lines += textwrap.wrap(
                f"{snake(param.name)}: ``{param.name}``: {param.doc}{note}",
                width=88,
                initial_indent="    ",
                subsequent_indent="        ",
            )
    raises = _exceptions(cmd)
    if raises:
        lines += ["", "Raises:"]
        lines += textwrap.wrap(
            ", ".join(raises) + "; a `TransportError` when no usable answer came back.",
            width=88,
            initial_indent="    ",
            subsequent_indent="    ",
        )
    lines.append("")
    if cmd.name in NEVER_RETRIED:
        lines.append("Never retried: a second attempt could act on a call twice.")
    else:
        lines.append("Read-only: retried once when the connection could not be made.")
    return lines


def _q(text: str) -> str:
    return '"' + text + '"'


def _method(cmd: Command) -> list[str]:
    required = http_required(cmd)
    rtype = result_type(cmd).__name__
    name = snake(cmd.name)
    out: list[str] = []
    if cmd.documented:
        args = [
            f"{snake(p.name)}: {_annotation(p)}"
            + ("" if p in required else " | None = None")
            for p in cmd.http_params
        ]
        signature = ", ".join(["self", *(["*", *args] if args else [])])
        pairs = "".join(f"({_q(p.name)}, {snake(p.name)}), " for p in cmd.http_params)
        call = f"return self._call({_q(cmd.name)}, ({pairs}), {rtype})"
    else:
        signature = "self, **params: str"
        call = f"return self._call({_q(cmd.name)}, tuple(params.items()), {rtype})"
    header = f"    def {name}({signature}) -> {rtype}:"
    if len(header) > 100:
        out.append(f"    def {name}(")
        out.append("        self,")
        if cmd.documented and cmd.http_params:
            out.append("        *,")
            for p in cmd.http_params:
                default = "" if p in required else " | None = None"
                out.append(f"        {snake(p.name)}: {_annotation(p)}{default},")
        out.append(f"    ) -> {rtype}:")
    else:
        out.append(header)
    doc = _docstring(cmd, required)
    out.append(f'        """{doc[0]}')
    out += [f"        {line}".rstrip() for line in doc[1:]]
    out.append('        """')
    if len(f"        {call}") > 100 and cmd.documented:
        out.append("        return self._call(")
        out.append(f"            {_q(cmd.name)},")
        out.append("            (")
        for p in cmd.http_params:
            out.append(f"                ({_q(p.name)}, {snake(p.name)}),")
        out.append("            ),")
        out.append(f"            {rtype},")
        out.append("        )")
    else:
        out.append(f"        {call}")
    return out


def methods_module() -> str:
    types = sorted({result_type(c).__name__ for c in HTTP_COMMANDS.values()})
    lines = [
        '"""One method per HTTP API command (generated from the catalog by ozml.api.codegen).',
        "",
        "Do not edit: run ``python -m ozml.generate``. Parameters are keyword-only, named in",
        "snake_case after the catalog's canonical names, and sent in the catalog's order (which is",
        "the order of the vendor's URL examples); None means \"not sent\".",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import abc",
        "from collections.abc import Sequence",
        "from typing import TypeVar",
        "",
        "from ozml.api.responses import (",
        *(f"    {t}," for t in types),
        ")",
        "",
        '__all__ = ["CommandMethods", "Value"]',
        "",
        "#: A parameter's value: text, a whole number, or a boolean (sent as true/false).",
        "Value = str | int | bool",
        'R = TypeVar("R", bound=ApiResult)',
        "",
        "",
        "class CommandMethods(abc.ABC):",
        '    """The HTTP API commands; `ozml.api.Client` supplies `_call`."""',
        "",
        "    @abc.abstractmethod",
        "    def _call(",
        "        self, command: str, params: Sequence[tuple[str, Value | None]], result: type[R]",
        "    ) -> R:",
        '        """Send `command` with the given parameters (None values left out)."""',
    ]
    for cmd in HTTP_COMMANDS.values():
        lines.append("")
        lines += _method(cmd)
    return "\n".join(lines) + "\n"


_DOC_INTRO = """\
# HTTP API client reference

`ozml.api.Client` speaks the Ozeki 10 HTTP API (D1): every command is a `GET
{base}/api?command=NAME&Param=value...&Username=U&Password=P` request answered by XML with a
result code. It needs the optional dependency httpx (`pip install ".[http]"`). This page is
generated from the catalog by `ozml/api/codegen.py`: every method, result type and exception is
listed. How to configure it and run scripts against a live call: [live-pbx.md](live-pbx.md).
The local PBX to try it against: [simulator.md](simulator.md).

<!-- skip: next "needs a PBX or ozml simulate on 127.0.0.1:9509" -->
```python
from ozml.api import Client, CallNotFound

with Client("http://127.0.0.1:9509") as client:      # credentials from OZML_USERNAME/OZML_PASSWORD
    client.forward_call(call_id="Nt3uh", destination="104")
    for call in client.list_active_calls().calls:
        print(call.call_id, call.call_state)
    try:
        client.hangup(call_id="nosuch")
    except CallNotFound as error:
        print(error.code, error.message)   # 601 Call not found with ID 'nosuch'
```

## The client

`Client(url=None, credentials=None, *, timeout=None, settings=None, config=None, trace=None)`

- `url`: the API's base URL; default `OZML_API_URL`, then `[api] url` of `ozml.toml` (or the
  file `config` names), then `http://127.0.0.1:9509`. `/api` is appended unless it is there.
  It is checked when the client is made, as httpx would check it (scheme, host, a port from 1
  to 65535, length): a bad one raises `BadApiUrl` at once, not from the first request. A URL
  with a user and password in it is refused too: credentials do not belong in URLs that get
  printed.
- `credentials`: `Credentials.of(username, password)`; default `OZML_USERNAME` and
  `OZML_PASSWORD`, then `[api] username`/`password` of `ozml.toml`. Both are `Secret`s: their
  `str`, `repr` and format are `***`, `attrs.asdict` of what holds them keeps the `Secret`
  (not its value), copies are the same object and pickling raises `TypeError`; the value comes
  out only through `Secret.reveal()`. See "Credentials are never shown" below.
- `timeout`: the most seconds one call of a method may take, all in all: connecting, sending,
  and reading the whole answer (default 10; more than 0, at most a day). See "Timeouts" below.
- `settings`: an `ApiSettings(url, credentials, timeout, wire_names)` instead of the above;
  `load_settings(url=..., config=..., timeout=...)` builds one the way the command line does.
- `trace`: a callable that receives an `Exchange` (command, redacted query, seconds, attempt,
  code and message, or the error) after every attempt, successful or not.
- `validate` (default `True`): check every request against the catalog before sending it (see
  "Validation" below); `False` sends every request as it is. `on_warning`: a callable that
  receives each warning's `Problem` instead of Python's `warnings`.

Methods besides the per-command ones below:

- `client.send(command, params)` sends any command with `params` as `(name, value)` pairs, in
  that order. A known command's parameter names may be written in any case or by an alias
  (`callid`, `Dialled`); they are sent under their canonical names, but for the vendor's other
  spellings of a parameter (`TranferorParty`), which are sent as the vendor writes them: which
  one the PBX reads is undocumented (D2). Unknown commands and names are sent as written. The
  result is typed as the command's method would type it.
- `client.url_for(command, params)` is the request URL with the credentials shown as `***`;
  nothing is sent.
- `client.redact(text)` is `text` with the credentials replaced as below, for showing a result's
  data.
- `client.base_url`, `client.settings`; `close()`, or use the client as a context manager.

One client may be shared by threads; it keeps up to 100 connections to the PBX open. It follows
no redirects and reads no proxy or `.netrc` settings from the environment: requests carry
credentials and go to the PBX named, nowhere else.

An answer is read up to 16 MiB (a PBX answer is a few kilobytes), counted after decoding: the
client asks for no compression (`Accept-Encoding: identity`), decodes the gzip or deflate a
server sends anyway without ever holding more than the limit (a few hundred kilobytes of gzip
can hold gigabytes), and stops reading at the limit. A larger answer, or one in another
encoding, raises `MalformedResponse`.

Every value is percent-encoded (`&`, `=`, `#`, `+`, `%` and spaces always, spaces as `+`; `:`,
`/` and `@` are left as the vendor's examples write them), so no value can add a parameter:
`speak(text="hi&Password=x")` sends `Text=hi%26Password%3Dx`.

**Credentials are never shown.** They never appear in a trace, a log line, an error, or the repr
of the client, its settings or an `Exchange`, and neither does anything a server echoes of them:
the PBX's 300 ParseError quotes the request, a proxy may put the request path in its HTTP reason
phrase. An answer is parsed as it came, and what is shown to people is redacted: the reason
phrase, the result's `message`, the message of every error, every trace and log line. A
result's data (list records, `fields`, `total_records`, `sms_id`) is the PBX's, exactly as it
sent it, never redacted: a password of `102` may also be an extension's number, a password of
`200` is also the result code. A program that shows a result's data to people, and must not
show whatever a server echoes of the credentials, passes the text through `client.redact(text)`
(as `print(client.redact(str(result)))`). What is replaced by `***`:

- each credential in any spelling a URL, XML or a repr gives it: plain; percent-encoded as
  `quote` or `quote_plus` write it, with upper- or lower-case hex digits in any mix, a space as
  `+`; XML character references and entities; `\\xNN` escapes; non-ASCII characters also in
  Latin-1 or left out (as httpx decodes a reason phrase). Values of 3 characters or more: a
  shorter one would garble every message it happens to occur in;
- the value of every `Username=` or `Password=` pair, of any length.

**How long redaction takes.** The spellings of the credentials make one expression, which
google-re2 compiles in time linear in the credentials and matches without backtracking. Measured
with `benchmarks/bench_redact.py` (which times the redactor before, Python's `re`, beside it) on
7 December 2026: building the redactor for a password of 16,000 characters takes 0.8 s (Python's
`re`: 16 s); `ozml api --url-only` with a password of 16,000 `a` takes 1.1-1.8 s in all (it took
5.7 s). Redacting a text takes time linear in the text for given credentials: 8 MiB with a
1,000-character password spelled in it every 16 KiB, 0.7 s (1.0 s). A password whose spellings
split one run of text in many ways no longer takes exponential time: 24 backslashes against 36,
0.1 ms (4 s; 40 against 60 never finished). One cost is still the product of two lengths: a text
that spells a long, self-overlapping part of a credential again and again (a password of 16,000
`a` against 15,999 `a` and a `b`) keeps every place where a match could start alive at once: 3.1
s (4.8 s), growing by 2.4-2.6 for each doubling of both from 4,000 on (Python's `re`: 4.7),
after a jump from 2,000 to 4,000 where the matching automaton outgrows its cache (4 ms to 0.5
s). No exact matcher is known to do better for every credential: a space matches a `+` too,
which makes finding a credential pattern matching with wildcards, for which no linear algorithm
is known (`ozml.api.redact`). Should google-re2 refuse the expression (it has a memory budget
that grows with the expression), Python's `re` matches it with the same result, so nothing goes
unredacted.

httpx and httpcore log requests, reason phrases and headers at DEBUG and INFO. A redacting
filter sits on every logger of both hierarchies (a filter on the parent logger alone would miss
the records of `httpcore.http11` and the others, which propagate past it), so a handler on the
root logger at DEBUG sees `***` too.

**Timeouts.** `timeout` is a deadline for the whole exchange, not for each read: every socket
operation (connecting, TLS, each write and each read of the status line, headers and body) gets
only the time left, so a server that drips its answer a byte at a time cannot hold a request
longer than the timeout plus a scheduling delay. A read-only command's retry (below) shares its
first attempt's deadline. Name resolution is the one step the deadline cannot cut short: give an
IP address or a name from `/etc/hosts` where that matters. On timeout, `ApiTimeout`, whichever
step ran out of time, connecting included. No exception the client raises keeps httpx's own (as
`__context__` or `__cause__`), which holds the request URL and with it the credentials.

**Retries.** Commands that place, move, change or end calls, or send messages, are never retried:
a second attempt could ring a phone twice or move a call that has already moved. Only the
read-only commands are retried, once, only when the connection could not be made at all (it was
refused, so the request cannot have reached the PBX), and only while the deadline leaves time:

{read_only}

**Validation.** Before a request goes on the wire it is checked against the catalog's HTTP
view (`ozml.api.validate`), with the linter's codes and words ([lint.md](lint.md)): a mandatory
parameter missing (OZ201 missing-parameter: `ForwardCall needs Destination`), a value that does
not fit its type or allowed values (OZ202 invalid-value: `Speak Party must be caller, callee or
all, found 'everyone'`), an unknown or repeated parameter (OZ103, OZ107), a URL the PBX cannot
request (OZ804). What the vendor states is an error: the method raises `InvalidRequest` (a
`ValueError`) and nothing is sent. What ozml only assumes (a parameter the two documentation
generations disagree on, a type the vendor's table does not state) is a warning: the request is
sent after a `RequestWarning` whose message says it is undocumented and cites the spec, as the
linter words it (`; undocumented (spec §7.20 [oz4591][hu7649]): ...`). A value in the wrong
letter case (`Party=Caller`) is a warning too (OZ303). Undocumented commands (D6) are not
checked.

<!-- skip: next "needs a PBX or ozml simulate on 127.0.0.1:9509" -->
```python
import warnings

from ozml.api import Client, InvalidRequest

with Client("http://127.0.0.1:9509") as client:
    try:
        client.send("Speak", [("CallId", "Nt3uh"), ("Text", "hi"), ("Party", "everyone")])
    except InvalidRequest as error:
        print(error)
        # prints: error OZ202 Speak Party must be caller, callee or all, found 'everyone'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.send_sms(recipient="+062554670", message="Hello")
    print(caught[0].message)
    # prints: SendSms: warning OZ201 SendSms needs ApiExtension in an HTTP request; (...)
```

`InvalidRequest.problems` holds every `Problem` (`code`, `name`, `severity`, `message`, `param`,
`suggestion`, `assumed`). `validate_request(command, params)` returns them without sending
anything; the typed methods' required arguments are the parameters whose absence is an error.

A timeout while waiting for the answer is never retried, not even for those: the `ApiTimeout`
message says that the PBX may still have run the command. A request whose URL would be longer
than httpx allows (a huge parameter value) raises `BadApiUrl` and is not sent.

**Wire names.** Parameters are sent under the catalog's canonical names: the methods' keyword
arguments always, `send` unless it was given one of the vendor's other spellings
(`TranferredCallId`), which it sends as given. Which spelling the PBX reads is undocumented
([D2](decisions.md#d2)); the one URL example that shows it sends `TransferorParty` although its
table says `TranferorParty`. Where a PBX wants another spelling, map it, and it is sent whatever
the spelling given: `[api.wire-names] "AttendedTransfer.TransferredCallId" = "TranferredCallId"`
in `ozml.toml` or `ApiSettings(wire_names=...)`.

## Methods

Keyword-only parameters in snake_case; `None` (the default of optional ones) is not sent. Whole
numbers may be passed as `int`, booleans as `bool` (sent `true`/`false`). The call a
call-control command acts on (`CallId`, `TransferredCallId`) has no notified call to default to
over HTTP (D5): it is required where both documentation generations make it mandatory (Hangup,
Hold, Unhold, Play, Record), and "required: assumed" where the Ozeki 10 page marks it optional
(AttendedTransfer, BlindTransfer, ForwardCall, SendDTMF, Speak). "required: assumed" marks a
parameter whose absence is only a warning (see "Validation" above): the argument is optional.
"""


def _doc_methods() -> list[str]:
    out: list[str] = []
    for cmd in HTTP_COMMANDS.values():
        required = http_required(cmd)
        rtype = result_type(cmd).__name__
        out += ["", f"### `{snake(cmd.name)}` — {cmd.name}", "", cmd.doc, ""]
        if not cmd.documented:
            out.append("Undocumented by the vendor (D6): keyword arguments are sent as given.")
            out.append("")
        if cmd.http_params:
            out += [
                "| argument | wire name | required | description |",
                "| --- | --- | --- | --- |",
            ]
            assumed = {r.param for r in http_requirements(cmd) if not r.stated}
            for p in cmd.http_params:
                req = "yes" if p in required else "assumed" if p in assumed else "no"
                out.append(f"| `{snake(p.name)}` | `{p.name}` | {req} | {p.doc} |")
            out.append("")
        codes = ", ".join(str(c) for c in cmd.result_codes if c != 200) or "not documented"
        retry = (
            "Never retried"
            if cmd.name in NEVER_RETRIED
            else "Retried once when the connection could not be made"
        )
        out.append(f"Returns `{rtype}`. Documented error codes: {codes}. {retry}.")
    return out


def _doc_results() -> list[str]:
    out = [
        "",
        "## Result types",
        "",
        "Every method returns an `ApiResult` (or a subclass) when the code is 200: `command`,",
        "`code`, `message`, `notification_name`, and `fields` (every other simple element of the",
        "answer by name). The typed payloads:",
        "",
    ]
    classes: list[type[object]] = [
        responses.ActiveCallsResult,
        responses.ActiveCall,
        responses.ExtensionsResult,
        responses.Extension,
        responses.CallHistoryResult,
        responses.CallHistoryEntry,
        responses.ContactsResult,
        responses.Contact,
        responses.SmsResult,
    ]
    base_fields = {"command", "code", "message", "notification_name", "fields"}
    for cls in classes:
        fields = [
            f"`{f.name}`"
            for f in attrs.fields(cls)  # type: ignore[arg-type]
            if f.name not in base_fields
        ]
        doc = (cls.__doc__ or "").strip()
        out.append(f"- `{cls.__name__}`: {doc} Fields: {', '.join(fields)}.")
    out += [
        "",
        "`CALL_STATES` lists the documented call states (Ringing, InCall, Hold, Error, Cancelled,",
        "Transferred, Busy, Completed, Answered).",
    ]
    return out


def _doc_errors() -> list[str]:
    out = [
        "",
        "## Exceptions",
        "",
        "All derive from `OzmlApiError`. A result code other than 200 raises the `ApiError`",
        "subclass of that code, carrying `code`, `message` (the PBX's text) and `command`; its",
        "`str` is `COMMAND: PBX answered CODE (NAME): MESSAGE`. The message templates are the",
        "vendor's literal strings [oz4235]:",
        "",
        "| exception | code | message template |",
        "| --- | --- | --- |",
    ]
    for cls in _error_classes():
        rc = errors.RESULT_CODES[cls.CODE]
        out.append(f"| `{cls.__name__}` | {rc.code} | `{rc.template}` |")
    out += [
        "| `UnknownResultCode` | any other | the PBX's message as sent |",
        "",
        "When no usable answer came back, a `TransportError` subclass is raised instead:",
        "",
        "| exception | when |",
        "| --- | --- |",
        "| `ApiConnectionError` | the connection was refused or failed |",
        "| `ApiTimeout` | the whole exchange did not end within the timeout: the connection"
        " could not be made in time (nothing was sent), or the answer did not come in time (the"
        " PBX may have run the command) |",
        "| `HttpStatusError` | an HTTP status other than 200 (`status` holds it) |",
        "| `MalformedResponse` | the body is not the API's XML, or has no `<Code>` |",
        "",
        "`BadApiUrl` (also a `ValueError`) is raised for a base URL httpx would refuse, and for"
        " a request too long to be sent as a URL. `HttpUnavailable` is raised when httpx is not"
        " installed.",
    ]
    return out


def docs_page() -> str:
    listed = "\n".join(f"- {name}" for name in sorted(READ_ONLY))
    intro = _DOC_INTRO.replace("{read_only}", listed)
    lines = [intro.rstrip("\n"), *_doc_methods(), *_doc_results(), *_doc_errors()]
    return "\n".join(lines) + "\n"


def outputs(root: Path) -> dict[Path, str]:
    return {METHODS_PATH: methods_module(), DOCS_PATH: docs_page()}
