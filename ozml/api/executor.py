"""The HTTP executor: runs a script against a live call through the PBX's HTTP API.

``ozml run --live --call-id Nt3uh script.xml`` runs the script's control flow locally (menus,
loops, variables, GoTo, Delay are the engine's) and turns every call-control command into an
API request for that call: ``<ForwardCall Destination="104"/>`` becomes
``GET /api?command=ForwardCall&CallId=Nt3uh&Destination=104&Username=...&Password=...``.
The call a command acts on defaults to the live call, as in OzML it defaults to the notified call
(D5). Each request and the PBX's answer appear in the trace (credentials as ``***``).

A result code other than 200 is the command's failure (a failed BlindTransfer continues with the
next command, D9); a PBX that cannot be reached stops the run. Nothing is ever retried here
beyond what the client allows (only read-only List commands, which a script never sends).
Commands the HTTP API is taken to have no request for (Reject, Route, MoveFile, ...) are refused
with the reason in the trace, which says where that is only assumed (for each of them today:
spec §1.3, §9).

Every request is checked against the catalog's HTTP view before it is sent
(`ozml.api.validate`): one that breaks what the vendor states (``Play needs Party in an HTTP
request``) is not sent and stops the run, with the linter's code and words; one that breaks only
what ozml assumes is sent, after a warning on standard error.

Settings (``--executor-option KEY=VALUE``): ``config=FILE`` (the TOML with ``[api]``; default
``ozml.toml``), ``timeout=SECONDS``, ``api-extension=NUMBER`` (Call's ApiExtension when the
script gives none), ``hangup-at-end=no`` (do not hang up the live call when the script reaches
its end; by default the end hangs up, as D9 says the PBX does), ``validate=no`` (send every
request as it is; ``ozml run --live --no-validate`` sets it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ClassVar, Final

from ozml.api.client import Client
from ozml.api.credentials import ConfigError, check_timeout, load_settings
from ozml.api.errors import ApiError, BadApiUrl, OzmlApiError, TransportError
from ozml.api.fetcher import HttpFetcher
from ozml.api.validate import validate_request
from ozml.api.wire import HTTP_COMMANDS, canonical, no_request, vendor_spelling
from ozml.catalog import ValueType
from ozml.catalog import command as catalog_command
from ozml.interpreter.context import Call
from ozml.interpreter.executor import (
    BaseExecutor,
    ExecutorError,
    ExecutorSettings,
    Outcome,
    Step,
    handles,
)
from ozml.interpreter.fetch import Fetcher
from ozml.nodes import Element
from ozml.writer import write

__all__ = ["HttpExecutor", "from_settings"]

#: OzML commands the HTTP API also has: each becomes one request.
SENT: Final = tuple(name for name, cmd in HTTP_COMMANDS.items() if cmd.in_ozml)

_NO_REQUEST = "the HTTP API has no request for {0}: it only works in OzML the PBX runs itself"


def _refusal(name: str) -> str:
    """Why a live run leaves out OzML command `name`; where the catalog only assumes that the
    HTTP API has no request for it, the reason says so (`ozml.api.wire.no_request`)."""
    cmd = catalog_command(name)
    return _NO_REQUEST.format(name) if cmd.usage_fact.stated else no_request(cmd)


#: The result word of a successful request, where a plain "ok" would say less.
_RESULTS: Final = {
    "BlindTransfer": "transferred",
    "AttendedTransfer": "transferred",
    "ForwardCall": "transferred",
    "Call": "placed",
    "CallSetup": "placed",
    "Request": "placed",
    "SendAlarmNotification": "placed",
}

#: The --executor-option keys this executor understands.
_OPTIONS: Final = (
    "config", "isolated", "timeout", "api-extension", "hangup-at-end", "validate"
)


def _call_params(command: str) -> tuple[str, ...]:
    """The parameters naming the call a command acts on by default (CallId, TransferredCallId)."""
    cmd = HTTP_COMMANDS[command]
    return tuple(
        p.name for p in cmd.params if p.type is ValueType.CALL_ID and p.name != "TargetCallId"
    )


class HttpExecutor(BaseExecutor):
    """Sends each call-control step to the PBX as an HTTP API request."""

    name: ClassVar[str] = "http"
    #: An HTTP request carries every parameter, whatever the script's context: Play's Party,
    #: Hangup's CallId are the request's own (spec §7).
    runs_ozml: ClassVar[bool] = False
    refusals: ClassVar[Mapping[str, str]] = {
        refused: _refusal(refused)
        for refused in (
            "Reject",
            "Route",
            "MoveFile",
            "DeleteFile",
            "Beep",
            "WaitForMsg",
            "SendMsg",
            "ReceiveAlarmNotification",
        )
    }

    def __init__(
        self,
        client: Client,
        call_id: str,
        *,
        api_extension: str | None = None,
        hangup_at_end: bool = True,
        fetcher: Fetcher | None = None,
        validate: bool = True,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.client = client
        self.call_id = call_id
        self.api_extension = api_extension
        self.hangup_at_end = hangup_at_end
        self.validate = validate
        self._warn = warn or _to_stderr
        self._fetcher = fetcher

    def fetcher(self) -> Fetcher | None:
        return self._fetcher

    def _params(self, step: Step) -> list[tuple[str, str]]:
        params = dict(step.params)
        for name in _call_params(step.command):
            if not params.get(name, "").strip():
                params[name] = step.call.call_id or self.call_id
        if step.command == "Call" and self.api_extension and not params.get("ApiExtension"):
            params["ApiExtension"] = self.api_extension
        if step.command == "Request" and step.element is not None:
            # Over HTTP the Request's handlers travel as OzML in RequestOzML [hu7642].
            params["RequestOzML"] = write(Element("Response", children=(step.element,)))
        cmd = HTTP_COMMANDS[step.command]
        order = {p.name: i for i, p in enumerate(cmd.params)}
        ordered = sorted(params.items(), key=lambda item: order.get(item[0], len(order)))
        if step.element is None:
            return ordered
        # A parameter the document writes as one of the vendor's other spellings
        # (TranferredCallId) goes out under that spelling, as `ozml api` sends it: which one
        # the PBX reads is undocumented (D2), so ozml does not swap one for the other.
        spelt: dict[str, str] = {}
        for attr in step.element.attributes:
            spelling = vendor_spelling(cmd, attr.name)
            known = canonical(cmd, attr.name)
            if spelling is not None and known is not None:
                spelt[known] = spelling
        return [(spelt.get(key, key), value) for key, value in ordered]

    def _check(self, command: str, params: list[tuple[str, str]]) -> None:
        """Stop the run before a request that breaks what the vendor states; warn of what
        ozml only assumes."""
        problems = validate_request(command, params)
        errors = [str(p) for p in problems if p.is_error]
        if errors:
            raise ExecutorError(
                f"not sent: {'; '.join(errors)} (--no-validate sends it anyway)"
            )
        for problem in problems:
            self._warn(f"{command}: {problem}")

    @handles(*SENT)
    def send(self, step: Step) -> Outcome:
        if step.implicit and step.command == "Hangup" and not self.hangup_at_end:
            return Outcome(result="skipped", detail="hangup-at-end=no: the live call stays up")
        params = self._params(step)
        if self.validate:
            self._check(step.command, params)
        shown = ""
        try:
            # The request made, or refused (a value that is no UTF-8 text): in the try.
            shown = self.client.url_for(step.command, params)
            result = self.client.send(step.command, params)
        except ApiError as error:
            return Outcome(
                ok=False,
                result="failed",
                detail=f"{shown} -> {error.code} {error.message}",
                data={"code": str(error.code), "message": error.message, "request": shown},
            )
        except (TransportError, BadApiUrl, ValueError) as error:
            # No usable answer, or a request that cannot be sent (too long for a URL, a name
            # the API cannot take): the run cannot go on as the script means.
            raise ExecutorError(str(error)) from None
        return Outcome(
            result=_RESULTS.get(step.command, "ok"),
            detail=f"{shown} -> {result.code} {result.message}",
            data={"code": str(result.code), "message": result.message, "request": shown},
        )


def _to_stderr(message: str) -> None:
    """A warning in the command line's one style (`ozml.cli.common.warning`)."""
    from ozml.report.style import printable

    print(f"ozml: warning: {printable(message)}", file=sys.stderr, flush=True)


def _yes(value: str, option: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("yes", "true", "1", "on"):
        return True
    if lowered in ("no", "false", "0", "off"):
        return False
    raise ValueError(f"--executor-option {option} must be yes or no, found {value!r}")


def from_settings(settings: ExecutorSettings) -> HttpExecutor:
    """The factory `ozml run --live` calls (registered as the executor named "http")."""
    options = dict(settings.options)
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise ValueError(
            f"unknown --executor-option {unknown[0]!r} for the http executor"
            f" (known: {', '.join(_OPTIONS)})"
        )
    if settings.call.call_id == Call().call_id:
        raise ExecutorError(
            "a live run needs --call-id: the ID of a call in progress"
            " (list them with `ozml api ListActiveCalls`)"
        )
    timeout: float | None = None
    if "timeout" in options:
        try:
            timeout = float(options["timeout"])
        except ValueError:
            raise ValueError(
                f"--executor-option timeout must be seconds, found {options['timeout']!r}"
            ) from None
        check_timeout(timeout, "--executor-option timeout")
    config = Path(options["config"]) if "config" in options else None
    try:
        api = load_settings(
            url=settings.api_url,
            config=config,
            timeout=timeout,
            isolated=_yes(options.get("isolated", "no"), "isolated"),
        )
        # The executor validates each request itself (to stop the run, and to warn once).
        client = Client(settings=api, validate=False)
        fetcher = HttpFetcher(timeout=api.timeout)
    except (ConfigError, BadApiUrl) as error:
        raise ExecutorError(str(error)) from None
    except OzmlApiError as error:  # httpx missing
        raise ExecutorError(str(error)) from None
    return HttpExecutor(
        client,
        settings.call.call_id,
        api_extension=options.get("api-extension"),
        hangup_at_end=_yes(options.get("hangup-at-end", "yes"), "hangup-at-end"),
        fetcher=fetcher,
        validate=_yes(options.get("validate", "yes"), "validate"),
    )
