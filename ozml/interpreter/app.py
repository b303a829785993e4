"""The virtual PBX in front of a running web application: ``ozml test --app URL``.

A dry run answers every fetch from the scenario's ``[urls]``. Testing an application, the
same engine, executor, clock and scenario run, but what the scenario does not answer is POSTed
over HTTP to the URL the OzML names, as the PBX posts it (ozml-spec.md §5: form-encoded,
``NotificationName`` first, every form built by `ozml.callmodel.build_form`):

1. The call starts with the scenario's ``[call]`` notification (IncomingCall by default) POSTed
   to the application's URL (`first_form`); what it answers is the call's script. A scenario
   that names a ``script`` starts with that script instead (nothing is POSTed for it).
2. Every later fetch (GoTo, ForwardToURL's DtmfEntered, CallConnected, RecordCompleted,
   ErrorUrl, FinishedUrl, ResultUrl, DeliveryReportURL) goes to the URL the OzML names:
   the scenario's ``[urls]`` entry when it lists that URL (so part of an application can be
   stood in for), else the application over HTTP (`AppFetcher`).

The trace is the dry run's: the IncomingCall POST is not an event of its own (a dry run of a
script has none either; the script is its answer), and its answer's positions name its URL.
HTTP itself is plugged in (`Poster`: `ozml.api.fetcher.HttpFetcher` in ``ozml test``); this
module never opens a connection. It never lints either (the interpreter does not import the
linter): ``ozml test`` puts the first answer through the same lint gate as a script.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urlsplit

import attrs

from ozml.callmodel.notifications import KINDS, build_form
from ozml.interpreter.context import Position
from ozml.interpreter.engine import FETCH_FAILED, CallResult, RunResult
from ozml.interpreter.fetch import Answer, FetchError, Request
from ozml.interpreter.program import Program, compile_document, no_ozml_root
from ozml.interpreter.runner import DryRun
from ozml.interpreter.scenario import Scenario
from ozml.interpreter.trace import END, TraceEvent, TraceSink
from ozml.parser import parse

#: The seconds an application has to answer one notification, unless told otherwise.
DEFAULT_TIMEOUT = 10.0
#: What an expectation or a ``[urls]`` key writes for the application's URL (no trailing /).
APP_PLACEHOLDER = "{app}"


class AppUnreachable(Exception):
    """The application gave no HTTP answer to the call's first notification (refused, reset,
    timed out): the scenario cannot run. The message says where and why, in one line."""


class Exchange(Protocol):
    """What came of one POST: the HTTP status (None: no answer), the error, the body."""

    @property
    def status(self) -> int | None: ...

    @property
    def error(self) -> str | None: ...

    @property
    def body(self) -> bytes: ...


class Poster(Protocol):
    """POSTs a form and says what came of it, never raising (`ozml.api.fetcher.HttpFetcher`)."""

    def post(self, url: str, form: Mapping[str, str]) -> Exchange: ...


class NoAnswer(FetchError):
    """A POST that got no HTTP answer at all (as opposed to an error status)."""


def is_loopback(url: str) -> bool:
    """Whether `url` names this machine (localhost, 127.0.0.0/8, ::1)."""
    host = urlsplit(url).hostname or ""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_app_url(url: str, allow_remote: bool = False) -> str:
    """`url` when the virtual PBX may POST to it; ValueError saying why not otherwise."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as error:
        raise ValueError(f"{url!r} is not a URL: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http:// or https:// URL with a host")
    if not allow_remote and not is_loopback(url):
        raise ValueError(
            f"{url} is not on this machine (localhost, 127.0.0.1, ::1); the application under"
            " test is your local process (pass --app-allow-remote to test one on another host)"
        )
    return url


class AppFetcher:
    """The scenario's ``[urls]`` first, then the application over HTTP.

    Only loopback URLs are POSTed to, plus the application's own host when `allow_remote`;
    any other URL the OzML names fails the fetch, as an unlisted URL does in a dry run.
    Redirects are never followed (the `Poster` follows none): a 3xx answer fails the fetch
    with its status. Every fetch is kept in `requests`.
    """

    def __init__(
        self,
        answers: Mapping[str, Answer],
        poster: Poster,
        app_url: str,
        *,
        allow_remote: bool = False,
    ) -> None:
        self.answers = dict(answers)
        self.poster = poster
        self.app_url = app_url
        self.allow_remote = allow_remote
        self.requests: list[Request] = []
        #: URLs answered over HTTP, in order, with the status (None: no answer).
        self.posted: list[tuple[str, int | None]] = []

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        if is_loopback(url):
            return True
        app = urlsplit(self.app_url)
        return self.allow_remote and (parts.hostname or "") == (app.hostname or "")

    def fetch(self, url: str, form: Mapping[str, str]) -> bytes:
        self.requests.append(Request(url, dict(form)))
        answer = self.answers.get(url)
        if answer is not None:
            if answer.error is not None:
                raise FetchError(answer.error)
            return answer.body or b""
        if not self.allowed(url):
            where = "loopback addresses" + (
                " and the application's host" if self.allow_remote else ""
            )
            raise FetchError(
                f"{url}: not sent: --app POSTs only to {where}, and the scenario's [urls]"
                " does not answer it"
            )
        exchange = self.poster.post(url, form)
        self.posted.append((url, exchange.status))
        if exchange.error is not None:
            error = NoAnswer if exchange.status is None else FetchError
            raise error(f"{url}: {exchange.error}")
        return exchange.body


def for_app(scenario: Scenario, app_url: str) -> Scenario:
    """The scenario with ``{app}`` in its ``[expect]`` lines, its ``[urls]`` keys and the OzML
    they answer replaced by the application's URL (without its trailing slash): one scenario
    file serves an application on whatever port it listens."""
    base = app_url.rstrip("/")

    def fill(text: str) -> str:
        return text.replace(APP_PLACEHOLDER, base)

    def answer(given: Answer) -> Answer:
        if given.body is None or APP_PLACEHOLDER.encode() not in given.body:
            return given
        return attrs.evolve(
            given, body=given.body.replace(APP_PLACEHOLDER.encode(), base.encode("utf-8"))
        )

    expect = scenario.expect
    expect = attrs.evolve(
        expect,
        trace=None if expect.trace is None else tuple(fill(line) for line in expect.trace),
        includes=tuple(fill(line) for line in expect.includes),
    )
    urls = {fill(url): answer(given) for url, given in scenario.urls.items()}
    return attrs.evolve(scenario, expect=expect, urls=urls)


def first_kind(scenario: Scenario) -> str:
    """The key in `ozml.callmodel.KINDS` of the call's first notification (``[call]
    notification``, by key or by its NotificationName); ValueError when there is none."""
    wanted = scenario.call.notification
    if wanted in KINDS:
        return wanted
    names = scenario.dry_run.names
    for key in KINDS:
        if names.name(key) == wanted:
            return key
    raise ValueError(
        f"{scenario.path}: call.notification: --app sends the call's first notification and"
        f" knows no {wanted!r} (expected one of: {', '.join(KINDS)})"
    )


def first_form(scenario: Scenario) -> dict[str, str]:
    """The form of the call's first notification: CallId, Caller and Callee from ``[call]``
    (those the kind carries and the scenario gives), the kind's fields from ``[call] params``,
    then the other params in their order. NotificationName first, as the PBX sends it."""
    key = first_kind(scenario)
    call = scenario.call
    fields = {f.name for f in KINDS[key].fields}
    values = {
        name: value
        for name, value in (("CallId", call.call_id), ("Caller", call.caller),
                            ("Callee", call.callee))
        if name in fields and value
    }
    extra: list[tuple[str, str]] = []
    for name, value in call.params.items():
        if name in fields and name != "NotificationName":
            values[name] = value
        elif name != "NotificationName":
            extra.append((name, value))
    return build_form(key, values, scenario.dry_run.names, extra)


@attrs.frozen
class Opening:
    """The call's first notification and what the application answered: the OzML, or why
    there is none (an HTTP error status, a body that is not OzML)."""

    url: str
    form: Mapping[str, str]
    body: bytes | None = None
    failure: str | None = None


def ring(scenario: Scenario, app_url: str, fetcher: AppFetcher) -> Opening:
    """POST the call's first notification to `app_url` (``[urls]`` first, as for every fetch).

    Raises `AppUnreachable` when no HTTP answer came at all; an answer that is an error
    status or not OzML is the opening's `failure` (the run ends ``fetch-failed``).
    """
    form = first_form(scenario)
    try:
        body = fetcher.fetch(app_url, form)
    except NoAnswer as error:
        raise AppUnreachable(
            f"no application answered at {app_url} ({_reason(str(error), app_url)});"
            " start it first, or check the URL and --app-timeout"
        ) from None
    except FetchError as error:
        return Opening(app_url, form, failure=str(error))
    if body.strip():
        parsed = parse(body, app_url)
        root = parsed.document.root
        why = (
            (parsed.problems[0].message if parsed.problems else "not well-formed")
            if root is None
            else no_ozml_root(root)
        )
        if why is not None:
            return Opening(app_url, form, failure=f"{app_url} answered no usable OzML: {why}")
    return Opening(app_url, form, body=body)


def _reason(message: str, url: str) -> str:
    prefix = f"{url}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def empty_program(url: str) -> Program:
    """The program of an empty answer (nothing to do), as the engine makes it for a fetch."""
    return Program(url, (), None)


def compile_answer(body: bytes, url: str) -> Program:
    """The program of a well-formed answer (`ring` has checked it)."""
    if not body.strip():
        return empty_program(url)
    parsed = parse(body, url)
    return compile_document(parsed.document, url, parsed.source)


def failed_opening(
    scenario: Scenario, opening: Opening, fetcher: AppFetcher, sink: TraceSink | None = None
) -> DryRun:
    """The run of a call whose first notification got no usable answer: it ends at once,
    ``fetch-failed``, the reason (with the HTTP status) in the detail."""
    reason = opening.failure or "no answer"
    call_id = scenario.call.call_id
    event = TraceEvent(0.0, call_id, Position(opening.url), END, {}, FETCH_FAILED, reason, 0)
    if sink is not None:
        sink.emit(event)
    result = RunResult(FETCH_FAILED, reason, 0.0, 0, (CallResult(call_id, FETCH_FAILED, reason),))
    return DryRun(result, (event,), tuple(fetcher.requests))


__all__ = [
    "APP_PLACEHOLDER",
    "DEFAULT_TIMEOUT",
    "AppFetcher",
    "AppUnreachable",
    "Exchange",
    "NoAnswer",
    "Opening",
    "Poster",
    "check_app_url",
    "compile_answer",
    "empty_program",
    "failed_opening",
    "first_form",
    "first_kind",
    "for_app",
    "is_loopback",
    "ring",
]
