"""The Ozeki 10 HTTP API: a typed client, its errors and results (needs ``ozml[http]``).

``from ozml.api import Client`` loads httpx; everything else here (errors, result types,
credentials) does not, so ``import ozml.api`` works without the optional dependency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozml.api.credentials import (
    DEFAULT_API_URL,
    ApiSettings,
    ConfigError,
    Credentials,
    Secret,
    load_settings,
)
from ozml.api.errors import (
    RESULT_CODES,
    ApiConnectionError,
    ApiError,
    ApiExtensionUnavailable,
    ApiTimeout,
    AuthenticationFailed,
    AuthenticationRequired,
    BadApiUrl,
    CallConnectFailed,
    CallNotFound,
    ConfigAlreadyExists,
    ConfigNotFound,
    ForbiddenAddress,
    ForbiddenUser,
    HttpStatusError,
    HttpUnavailable,
    InappropriateCommand,
    InvalidConfig,
    InvalidParameter,
    MalformedResponse,
    NotImplementedCommand,
    OzmlApiError,
    ParseError,
    SmsDestinationNotFound,
    TransportError,
    UnknownResultCode,
)
from ozml.api.responses import (
    CALL_STATES,
    ActiveCall,
    ActiveCallsResult,
    ApiResult,
    CallHistoryEntry,
    CallHistoryResult,
    Contact,
    ContactsResult,
    Extension,
    ExtensionsResult,
    SmsResult,
)
from ozml.api.validate import InvalidRequest, Problem, RequestWarning, validate_request

if TYPE_CHECKING:
    from ozml.api.client import Client, Exchange

__all__ = [
    "CALL_STATES",
    "DEFAULT_API_URL",
    "RESULT_CODES",
    "ActiveCall",
    "ActiveCallsResult",
    "ApiConnectionError",
    "ApiError",
    "ApiExtensionUnavailable",
    "ApiResult",
    "ApiSettings",
    "ApiTimeout",
    "AuthenticationFailed",
    "AuthenticationRequired",
    "BadApiUrl",
    "CallConnectFailed",
    "CallHistoryEntry",
    "CallHistoryResult",
    "CallNotFound",
    "Client",
    "ConfigAlreadyExists",
    "ConfigError",
    "ConfigNotFound",
    "Contact",
    "ContactsResult",
    "Credentials",
    "Exchange",
    "Extension",
    "ExtensionsResult",
    "ForbiddenAddress",
    "ForbiddenUser",
    "HttpStatusError",
    "HttpUnavailable",
    "InappropriateCommand",
    "InvalidConfig",
    "InvalidParameter",
    "InvalidRequest",
    "MalformedResponse",
    "NotImplementedCommand",
    "OzmlApiError",
    "ParseError",
    "Problem",
    "RequestWarning",
    "Secret",
    "SmsDestinationNotFound",
    "SmsResult",
    "TransportError",
    "UnknownResultCode",
    "load_settings",
    "validate_request",
]


def __getattr__(name: str) -> Any:
    # The client imports httpx; load it only when asked for, so the errors and result types
    # stay usable without the optional dependency.
    if name in ("Client", "Exchange"):
        from ozml.api import client

        return getattr(client, name)
    raise AttributeError(f"module 'ozml.api' has no attribute {name!r}")
