"""The HTTP API client: one request per command, typed results, one exception per failure.

Requests are ``GET {base}/api?command=NAME&...&Username=U&Password=P`` (ozml.api.wire); the
answer's XML is parsed safely (ozml.api.responses); a result code other than 200 is raised as
its own exception (ozml.api.errors). Credentials are `Secret`s. An answer is parsed as it came,
so a result's data is the PBX's (an extension numbered like the password stays that number);
what is shown to people is redacted (ozml.api.redact): the result's message, every error, trace
and log line. The timeout is a deadline for the whole exchange
(ozml.api.deadline). Commands that place or move calls are never retried; read-only List
commands are retried once, only when the connection could not be made at all.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Final, TypeVar

import attrs

from ozml import __version__
from ozml.api.bodies import HEADERS, UnreadableBody, read_body
from ozml.api.credentials import (
    HOLDS_CREDENTIALS,
    MAX_URL_LENGTH,
    ApiSettings,
    Credentials,
    api_endpoint,
    check_timeout,
    load_settings,
    url_problem,
)
from ozml.api.errors import (
    ApiConnectionError,
    ApiTimeout,
    BadApiUrl,
    HttpStatusError,
    HttpUnavailable,
    MalformedResponse,
    error_for,
)
from ozml.api.methods import CommandMethods, Value
from ozml.api.redact import Redactor, install_log_filter
from ozml.api.responses import MAX_RESPONSE_BYTES, RESULT_TYPES, ApiResult, parse_response
from ozml.api.validate import InvalidRequest, Problem, RequestWarning, validate_request
from ozml.api.wire import (
    NEVER_RETRIED,
    READ_ONLY,
    canonical,
    is_valid_name,
    query_string,
    redact_query,
    request_command,
    wire_name,
)
from ozml.catalog import values

__all__ = ["Client", "Exchange"]

R = TypeVar("R", bound=ApiResult)
log = logging.getLogger("ozml.api")

#: Connections one client opens at most (its threads wait for a free one beyond that).
MAX_CONNECTIONS: Final = 100


@attrs.frozen
class Exchange:
    """One request and its outcome, as a trace sees it: never with credentials."""

    command: str
    query: str
    seconds: float
    attempt: int = 1
    code: int | None = None
    message: str = ""
    error: str | None = None

    def __str__(self) -> str:
        outcome = self.error or f"{self.code} {self.message}"
        return f"GET /api?{self.query} -> {outcome}"


_SHOWN_URL: Final = 200


def _shown(url: str) -> str:
    return repr(url if len(url) <= _SHOWN_URL else url[:_SHOWN_URL] + "...")


def _check_url(url: str) -> str:
    """The endpoint of base URL `url`, checked the way httpx will check it
    (`ozml.api.credentials.url_problem`, which the configuration's ``[api] url`` is checked
    with too): `BadApiUrl` for anything it would refuse, up front, instead of an exception
    from the first request."""
    problem = url_problem(url, strict=True)
    if problem == HOLDS_CREDENTIALS:
        raise BadApiUrl(f"the API URL {problem}")
    if problem is not None:
        shown = f" {_shown(url)}" if len(url) <= MAX_URL_LENGTH else ""
        raise BadApiUrl(f"invalid API URL{shown}: {problem}")
    return api_endpoint(url)


def _check_types(command: str, params: Sequence[tuple[str, object]]) -> None:
    """TypeError for a parameter whose name is not a str or whose value is not a `Value` (nor
    None): a bytes, float, list or other object would be sent as its Python repr (b'hi', nan,
    [1, 2]), which no PBX reads as meant."""
    for key, value in params:
        if not isinstance(key, str):
            raise TypeError(f"{command}: a parameter name is a str, not {type(key).__name__}")
        if value is not None and not isinstance(value, str | int):  # bool is an int
            raise TypeError(
                f"{command} {key}: {type(value).__name__} is not a parameter value"
                " (send a str, an int or a bool)"
            )


@attrs.frozen
class _Answer:
    """An HTTP answer as it entered the client (not redacted: parsed first, then redacted
    where it is shown)."""

    status: int
    reason: str
    #: None when the body was refused unread: past MAX_RESPONSE_BYTES, or in an encoding ozml
    #: does not decode (`problem` says which).
    body: bytes | None = attrs.field(repr=False)
    problem: str | None = None


class Client(CommandMethods):
    """A client of one PBX's HTTP API. Thread-safe; close it (or use ``with``) when done.

    Every argument is optional: `url`, `credentials` and `timeout` default to the environment
    (``OZML_API_URL``, ``OZML_USERNAME``, ``OZML_PASSWORD``), then ``ozml.toml`` (or `config`),
    then ``http://127.0.0.1:9509``, no credentials and 10 seconds. `trace` receives every
    `Exchange`.

    Every request is checked against the catalog's HTTP view before it is sent
    (`ozml.api.validate`): one that breaks what the vendor states raises `InvalidRequest` and
    is not sent; one that breaks what ozml only assumes is sent, after a `RequestWarning`
    (or a call of `on_warning` with the `Problem`, when given). `validate=False` sends every
    request as it is.
    """

    def __init__(
        self,
        url: str | None = None,
        credentials: Credentials | None = None,
        *,
        timeout: float | None = None,
        settings: ApiSettings | None = None,
        config: Path | None = None,
        trace: Callable[[Exchange], None] | None = None,
        validate: bool = True,
        on_warning: Callable[[Problem], None] | None = None,
    ) -> None:
        try:
            import httpx
        except ImportError:
            raise HttpUnavailable() from None
        if settings is None:
            settings = load_settings(url=url, config=config, timeout=timeout)
        elif url is not None or timeout is not None:
            settings = attrs.evolve(
                settings,
                url=url or settings.url,
                timeout=settings.timeout if timeout is None else timeout,
            )
        if credentials is not None:
            settings = attrs.evolve(settings, credentials=credentials)
        check_timeout(settings.timeout)
        from ozml.api.deadline import DeadlineTransport

        self.settings = settings
        self.validate = validate
        self._on_warning = on_warning
        self._endpoint = _check_url(settings.url)
        self._trace = trace
        self._httpx = httpx
        creds = settings.credentials
        self._redactor = Redactor(creds.values() if creds is not None else ())
        install_log_filter(self._redactor)
        self._http = httpx.Client(
            timeout=httpx.Timeout(settings.timeout),
            # Every pooled connection is kept alive: closing "surplus" idle connections while
            # other threads pick them up is where concurrent use of one pool goes wrong. The
            # transport bounds the whole exchange by the timeout, not each read.
            transport=DeadlineTransport(max_connections=MAX_CONNECTIONS),
            follow_redirects=False,
            # No proxies or .netrc from the environment: requests carry credentials and go to
            # the PBX the user named, nowhere else.
            trust_env=False,
            # No compression: a PBX answer is a few kilobytes, and a compressed one can
            # decode to far more than the size limit (ozml.api.bodies).
            headers={"User-Agent": f"ozml/{__version__}", **HEADERS},
        )

    @property
    def base_url(self) -> str:
        """The endpoint requests go to, e.g. ``http://127.0.0.1:9509/api``."""
        return self._endpoint

    def __repr__(self) -> str:
        user = "***" if self.settings.credentials else "none"
        return f"Client(url={self._endpoint!r}, credentials={user})"

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- requests ---------------------------------------------------------------------------

    def send(self, command: str, params: Iterable[tuple[str, Value | None]] = ()) -> ApiResult:
        """Send any command with `params` as ``(name, value)`` pairs, in that order.

        A known command's parameter names may be written in any case or by an alias; they are
        sent under their canonical (or configured) names, but for the vendor's other spellings
        (``TranferredCallId``), which are sent as the vendor writes them: which one the PBX
        reads is undocumented (`ozml.api.wire.wire_name`). So are those of an OzML command the
        HTTP API is only assumed to have no request for (SendMsg: `ozml.api.wire.assumed_request`).
        Unknown commands and names are sent as written.
        """
        cmd = request_command(command)
        name = cmd.name if cmd else command
        result = RESULT_TYPES.get(name, ApiResult)
        return self._call(name, list(params), result)

    def redact(self, text: str) -> str:
        """`text` with this client's credentials replaced by ``***``, in every spelling a URL,
        XML or a repr gives them (`ozml.api.redact`).

        A result's data is the PBX's, as it sent it; a program that shows it to people (prints
        a result, logs it) and must not show whatever a server echoes of the credentials passes
        the text through this.
        """
        return self._redactor.text(text)

    def url_for(self, command: str, params: Iterable[tuple[str, Value | None]] = ()) -> str:
        """The URL a request would use, with the credentials shown as ``***``."""
        return f"{self._endpoint}?{redact_query(self._query(command, list(params)))}"

    def _credential_pairs(self) -> list[tuple[str, str]]:
        creds = self.settings.credentials
        if creds is None:
            return []
        return [("Username", creds.username.reveal()), ("Password", creds.password.reveal())]

    def _query(self, command: str, params: Sequence[tuple[str, Value | None]]) -> str:
        cmd = request_command(command)
        name = cmd.name if cmd else command
        if not is_valid_name(name):
            raise ValueError(f"invalid command name {command!r}")
        _check_types(name, params)
        pairs: list[tuple[str, str]] = []
        for key, value in params:
            if value is None:
                continue
            if key.lower() in ("username", "password", "command"):
                raise ValueError(
                    f"{key} is set by the client (credentials come from the environment"
                    " or config), not passed as a parameter"
                )
            sent = key
            if cmd is not None and cmd.documented:
                known = canonical(cmd, key)
                if known is not None:
                    sent = wire_name(cmd, cmd.param(known), self.settings.wire_names, key)
            if not is_valid_name(sent):
                raise ValueError(f"invalid parameter name {key!r}")
            text = values.written(value)
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as error:
                # Said here, before the credentials are added: no frame of it holds them.
                raise ValueError(
                    f"{key}: not UTF-8 text (character {error.start} is a lone surrogate, a byte"
                    " that was not UTF-8 where it came from); parameters are sent as UTF-8"
                ) from None
            pairs.append((sent, text))
        return query_string(name, pairs, self._credential_pairs())

    def _record(self, exchange: Exchange) -> None:
        log.debug("%s", exchange)
        if self._trace is not None:
            self._trace(exchange)

    def _receive(self, url: str) -> _Answer:
        """GET `url`: the one place every answer enters the client.

        At most MAX_RESPONSE_BYTES + 1 of the body are read, and held, decoded or not (a
        hostile or broken server must not make the client hold gigabytes: `read_body`); the
        caller's deadline bounds the whole exchange.
        """
        with self._http.stream("GET", url) as response:
            try:
                body = read_body(response, MAX_RESPONSE_BYTES)
            except UnreadableBody as error:
                return _Answer(response.status_code, response.reason_phrase, None, str(error))
        too_large = f"the answer is larger than {MAX_RESPONSE_BYTES} bytes, which is refused"
        return _Answer(
            response.status_code, response.reason_phrase, body, too_large if body is None else None
        )

    def _check(self, command: str, params: Sequence[tuple[str, Value | None]]) -> None:
        """Refuse a request that breaks what the vendor states; warn of what ozml assumes."""
        problems = validate_request(command, params)
        if any(p.is_error for p in problems):
            raise InvalidRequest(command, problems)
        for problem in problems:
            if self._on_warning is not None:
                self._on_warning(problem)
            else:
                warnings.warn(f"{command}: {problem}", RequestWarning, stacklevel=4)

    def _call(
        self, command: str, params: Sequence[tuple[str, Value | None]], result: type[R]
    ) -> R:
        from ozml.api.deadline import deadline

        _check_types(command, params)  # before validation, which reads every value as text
        if self.validate:
            self._check(command, params)
        shown = redact_query(self._query(command, params))
        attempts = 2 if command in READ_ONLY else 1
        install_log_filter()  # on loggers httpx or httpcore created since the last request
        outcome: R | Exception | None = None
        with deadline(self.settings.timeout):
            for attempt in range(1, attempts + 1):
                outcome = self._attempt(
                    command, params, shown, attempt, attempt < attempts, result
                )
                if outcome is not None:
                    break
        # Raised here, outside any except block and in a frame that holds no URL: the error
        # has no __context__ or __cause__ (httpx's exceptions hold the request, credentials
        # and all), and no frame of its traceback holds the credentials or the raw answer.
        if isinstance(outcome, Exception):
            raise outcome
        assert outcome is not None  # the last attempt always has an outcome
        return outcome

    def _attempt(
        self,
        command: str,
        params: Sequence[tuple[str, Value | None]],
        shown: str,
        attempt: int,
        may_retry: bool,
        result: type[R],
    ) -> R | Exception | None:
        """One request: its result, the exception to raise, or None to try again (a read-only
        command whose connection could not be made, while the deadline leaves time)."""
        from ozml.api.deadline import time_left

        httpx = self._httpx
        redact = self._redactor.text
        started = time.perf_counter()
        try:
            answer = self._receive(f"{self._endpoint}?{self._query(command, params)}")
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            reason = redact(str(error) or type(error).__name__)
            self._record(Exchange(command, shown, _since(started), attempt, error=reason))
            left = time_left()
            if may_retry and left is not None and left > 0:
                return None  # read-only, and the request cannot have reached the PBX
            hint = " (is the PBX's HTTP API listening there? set --api-url or OZML_API_URL)"
            if isinstance(error, httpx.ConnectTimeout):
                return ApiTimeout(
                    f"{command}: could not connect to {self.settings.url} within"
                    f" {self.settings.timeout:g} s, so nothing was sent{hint}"
                )
            return ApiConnectionError(
                f"{command}: cannot connect to {self.settings.url}: {reason}{hint}"
            )
        except httpx.TimeoutException:
            self._record(Exchange(command, shown, _since(started), attempt, error="timed out"))
            maybe = (
                "; the PBX may still have run it, so it is not retried"
                if command in NEVER_RETRIED
                else ""
            )
            return ApiTimeout(
                f"{command}: no answer from {self.settings.url} within"
                f" {self.settings.timeout:g} s{maybe}"
            )
        except httpx.HTTPError as error:
            reason = redact(str(error) or type(error).__name__)
            self._record(Exchange(command, shown, _since(started), attempt, error=reason))
            return ApiConnectionError(
                f"{command}: request to {self.settings.url} failed: {reason}"
            )
        except httpx.InvalidURL as error:  # the query made the URL too long
            reason = redact(str(error) or type(error).__name__)
            return BadApiUrl(f"{command}: the request cannot be sent: {reason}")
        return self._answer(command, shown, answer, started, attempt, result)

    def _answer(
        self,
        command: str,
        shown: str,
        answer: _Answer,
        started: float,
        attempt: int,
        result: type[R],
    ) -> R | Exception:
        """The result of an answer, or the exception to raise for it."""
        seconds = _since(started)
        redact = self._redactor.text
        if answer.status != 200:
            status = redact(f"HTTP {answer.status} {answer.reason}".rstrip())
            self._record(Exchange(command, shown, seconds, attempt, error=status))
            return HttpStatusError(
                f"{command}: {self.settings.url} answered {status}"
                " (the API answers 200 with an XML result code)",
                answer.status,
            )
        if answer.body is None:
            reason = f"{command}: {answer.problem}"
            self._record(Exchange(command, shown, seconds, attempt, error=reason))
            return MalformedResponse(reason)
        try:
            code, _, parsed = parse_response(answer.body, command)
        except MalformedResponse:
            reason = self._malformed(answer.body, command)
            self._record(Exchange(command, shown, seconds, attempt, error=reason))
            return MalformedResponse(reason)
        # The data stays as the PBX sent it; the message is text for people, where a PBX
        # quotes the request (300 ParseError).
        message = redact(parsed.message)
        parsed = attrs.evolve(parsed, message=message)
        self._record(Exchange(command, shown, seconds, attempt, code=code, message=message))
        if code != 200:
            return error_for(code, message, command)
        if not isinstance(parsed, result):  # an unknown command parsed as the base type
            found = type(parsed).__name__
            return TypeError(f"{command}: expected {result.__name__}, parsed {found}")
        return parsed

    def _malformed(self, body: bytes, command: str) -> str:
        """Why `body` is not the API's XML, with no credential in it.

        The reason quotes the answer, cut short (its start, a value): it is made again from the
        body redacted as bytes, so that a credential the cut would split is replaced whole, and
        then redacted as text (what parsing decoded: character references, CDATA joined to
        text). Parsing the redacted body fails too unless the echo was the fault.
        """
        try:
            parse_response(self._redactor.data(body), command)
        except MalformedResponse as error:
            return self._redactor.text(str(error))
        return f"{command}: the answer is not the API's XML where it quotes the credentials"


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 6)
