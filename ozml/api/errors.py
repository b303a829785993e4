"""Every way an HTTP API request can fail, as one exception class each.

The PBX answers every request with HTTP 200 and an XML body whose ``<Code>`` says how it went
(ozml-spec.md §6.1, §6.3 [oz4235]). Each documented code other than 200 is raised as its own
exception class carrying the code and the PBX's message, so callers can catch exactly the case
they handle (``except CallNotFound``). The vendor's literal message templates live here, once:
the simulator answers with them and the docs list them.

Failures before there is an answer (refused connection, timeout, an HTTP status other than 200,
a body that is not the API's XML) are `TransportError` subclasses. No error message, ``str`` or
``repr`` ever contains the username or password: the client scrubs them before raising.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

__all__ = [
    "RESULT_CODES",
    "ApiConnectionError",
    "ApiError",
    "ApiExtensionUnavailable",
    "ApiTimeout",
    "AuthenticationFailed",
    "AuthenticationRequired",
    "BadApiUrl",
    "CallConnectFailed",
    "CallNotFound",
    "ConfigAlreadyExists",
    "ConfigNotFound",
    "ForbiddenAddress",
    "ForbiddenUser",
    "HttpStatusError",
    "HttpUnavailable",
    "InappropriateCommand",
    "InvalidConfig",
    "InvalidParameter",
    "MalformedResponse",
    "NotImplementedCommand",
    "OzmlApiError",
    "ParseError",
    "ResultCode",
    "SmsDestinationNotFound",
    "TransportError",
    "UnknownResultCode",
    "error_for",
    "message_for",
]


class ResultCode(NamedTuple):
    """One documented result code of the HTTP API [oz4235]."""

    code: int
    name: str
    template: str


#: The documented result codes with the vendor's literal message templates (spec §6.3).
#: ``{0}``/``{1}`` are filled from the request, e.g. 601 → "Call not found with ID 'g67th7'".
RESULT_CODES: dict[int, ResultCode] = {
    rc.code: rc
    for rc in (
        ResultCode(200, "OK", "Command successfully executed"),
        ResultCode(300, "ParseError", "Error occured during parsing message: '{0}'"),
        ResultCode(301, "NotImplementedCommand", "Not implemented command: '{0}'"),
        ResultCode(302, "InvalidParameter", "Missing or invalid parameter '{0}' for command '{1}'"),
        ResultCode(303, "InappropriateCommand", "Command '{0}' cannot be used here"),
        ResultCode(304, "Authentication required", "Authentication required"),
        ResultCode(305, "Authentication failed", "Authentication failed, bad username or password"),
        ResultCode(306, "Forbidden User", "User is not allowed to use API in ACL"),
        ResultCode(307, "ForbiddenAddress", "Use API from this address is forbidden"),
        ResultCode(
            401,
            "ApiExtensionUnavailable",
            "API extension '{0}' unavailable, please check configuration or permissions",
        ),
        ResultCode(
            402, "CallConnectFailed", "Call connect to '{0}' failed with result state '{1}'"
        ),
        ResultCode(501, "SmsDestinationNotFound", "Destination of the SMS is not found"),
        ResultCode(601, "CallNotFound", "Call not found with ID '{0}'"),
        ResultCode(701, "ConfigNotFound", "Configuration for type '{0}' not found"),
        ResultCode(702, "InvalidConfig", "Invalid configuration for type '{0}'"),
        ResultCode(703, "ConfigAlreadyExists", "Extension configuration already exists"),
    )
}


def message_for(code: int, *args: str) -> str:
    """The vendor's message for `code` with its placeholders filled in order."""
    return RESULT_CODES[code].template.format(*args)


class OzmlApiError(Exception):
    """Base of every error the HTTP API client raises."""


class ApiError(OzmlApiError):
    """The PBX answered with a result code other than 200.

    `code` and `message` are the ``<Code>`` and ``<Message>`` of the answer; `command` is the
    command that was sent.
    """

    #: The documented code of the subclass (0 on the base class and for undocumented codes).
    CODE: ClassVar[int] = 0

    def __init__(self, code: int, message: str, command: str = "") -> None:
        super().__init__(code, message, command)
        self.code = code
        self.message = message
        self.command = command

    @property
    def name(self) -> str:
        """The documented name of the code, e.g. ``CallNotFound``."""
        known = RESULT_CODES.get(self.code)
        return known.name if known else "unknown result code"

    def __str__(self) -> str:
        where = f"{self.command}: " if self.command else ""
        return f"{where}PBX answered {self.code} ({self.name}): {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, message={self.message!r})"


class ParseError(ApiError):
    """300: the PBX could not parse the request."""

    CODE = 300


class NotImplementedCommand(ApiError):
    """301: the command name is not one the PBX knows."""

    CODE = 301


class InvalidParameter(ApiError):
    """302: a mandatory parameter is missing, or a value is invalid."""

    CODE = 302


class InappropriateCommand(ApiError):
    """303: the command cannot be used in this situation."""

    CODE = 303


class AuthenticationRequired(ApiError):
    """304: the request carried no credentials."""

    CODE = 304


class AuthenticationFailed(ApiError):
    """305: bad username or password."""

    CODE = 305


class ForbiddenUser(ApiError):
    """306: the user may not use the API (access control list)."""

    CODE = 306


class ForbiddenAddress(ApiError):
    """307: the API may not be used from this address."""

    CODE = 307


class ApiExtensionUnavailable(ApiError):
    """401: the API extension is not configured or not permitted."""

    CODE = 401


class CallConnectFailed(ApiError):
    """402: the call could not be connected (busy, not found, ...)."""

    CODE = 402


class SmsDestinationNotFound(ApiError):
    """501: the SMS has no route to its destination."""

    CODE = 501


class CallNotFound(ApiError):
    """601: no active call has the given ID."""

    CODE = 601


class ConfigNotFound(ApiError):
    """701: no configuration of the given type."""

    CODE = 701


class InvalidConfig(ApiError):
    """702: the configuration of the given type is invalid."""

    CODE = 702


class ConfigAlreadyExists(ApiError):
    """703: the extension configuration already exists."""

    CODE = 703


class UnknownResultCode(ApiError):
    """A code the vendor documentation does not list; `code` says which."""


_BY_CODE: dict[int, type[ApiError]] = {
    cls.CODE: cls
    for cls in (
        ParseError,
        NotImplementedCommand,
        InvalidParameter,
        InappropriateCommand,
        AuthenticationRequired,
        AuthenticationFailed,
        ForbiddenUser,
        ForbiddenAddress,
        ApiExtensionUnavailable,
        CallConnectFailed,
        SmsDestinationNotFound,
        CallNotFound,
        ConfigNotFound,
        InvalidConfig,
        ConfigAlreadyExists,
    )
}


def error_for(code: int, message: str, command: str = "") -> ApiError:
    """The exception for a non-200 result code: its own class, or `UnknownResultCode`."""
    return _BY_CODE.get(code, UnknownResultCode)(code, message, command)


class TransportError(OzmlApiError):
    """No usable answer came back: the request may or may not have reached the PBX."""


class ApiConnectionError(TransportError):
    """The connection could not be made (refused, unknown host, reset)."""


class ApiTimeout(TransportError):
    """No answer within the timeout; the PBX may still have run the command."""


class HttpStatusError(TransportError):
    """The server answered with an HTTP status other than 200 (the API always answers 200)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class MalformedResponse(TransportError):
    """The body is not the API's response XML (not XML, or no Code element)."""


class BadApiUrl(OzmlApiError, ValueError):
    """The API's base URL is not an ``http://`` or ``https://`` URL with a host."""


class HttpUnavailable(OzmlApiError):
    """httpx, the optional dependency of the HTTP client, is not installed."""

    def __init__(self) -> None:
        super().__init__("the HTTP API client needs httpx: install ozml[http]")
