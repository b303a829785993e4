"""The HTTP API's request form: which parameters, in which order, spelled and encoded how.

A request is ``GET {base}/api?command=NAME&Param=value...&Username=U&Password=P`` (D1, the seed
pages' URL examples). Parameters go in the order given, credentials last. Every name and value is
percent-encoded so that no value can smuggle in another parameter (``&``, ``=``, ``#``, ``+``,
``%`` and spaces are always encoded); ``:``, ``/`` and ``@`` are left as they are, which RFC 3986
allows in a query and which keeps URLs such as ``Url=http://yourapp.com/callconnected.php`` byte
for byte the vendor's examples. Spaces become ``+``, as in the vendor's ``hello+world``.

This module is shared by the client and the simulator, so both agree on what a request means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final
from urllib.parse import quote_plus

from ozml.catalog import COMMANDS, Command, Context, Param, Usage, ValueType, lookup_param

__all__ = [
    "CREDENTIAL_PARAMS",
    "HTTP_COMMANDS",
    "NEVER_RETRIED",
    "READ_ONLY",
    "encode",
    "http_command",
    "http_required",
    "query_string",
    "redact_query",
    "wire_name",
]

#: Characters left unencoded besides letters, digits and ``-._~``.
SAFE: Final = ":/@"
CREDENTIAL_PARAMS: Final = ("Username", "Password")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

#: The commands the HTTP API accepts, by canonical name.
HTTP_COMMANDS: Final[Mapping[str, Command]] = {c.name: c for c in COMMANDS if c.in_http}

#: Commands that only read: the client may retry them once after a failed connection.
READ_ONLY: Final = frozenset(name for name in HTTP_COMMANDS if name.startswith("List"))

#: Every other HTTP command places, moves, changes or ends calls (or sends messages): never
#: retried, because a second attempt could ring a phone twice or move a call that already moved.
NEVER_RETRIED: Final = frozenset(HTTP_COMMANDS) - READ_ONLY

_EVERYWHERE = frozenset(Context.concrete())


def http_command(name: str) -> Command | None:
    """The HTTP command with this name, case-insensitively (``listactivecalls`` works)."""
    found = HTTP_COMMANDS.get(name)
    if found is not None:
        return found
    lowered = name.lower()
    return next((c for n, c in HTTP_COMMANDS.items() if n.lower() == lowered), None)


def http_required(cmd: Command) -> tuple[Param, ...]:
    """The parameters an HTTP request for `cmd` must carry.

    Those mandatory in every context, plus the call a call-control command acts on: in OzML its
    ``CallId`` (or ``TransferredCallId``) defaults to the notified call (D5), but a bare HTTP
    request has no notified call, so there it must be given.
    """
    required = []
    for param in cmd.params:
        if Usage.HTTP not in param.usage:
            continue
        if (param.required_in and param.required_in >= _EVERYWHERE) or (
            cmd.in_ozml and param.type is ValueType.CALL_ID
        ):
            required.append(param)
    return tuple(required)


def wire_name(cmd: Command, param: Param, overrides: Mapping[str, str] | None = None) -> str:
    """The name `param` is sent under: the canonical one unless configured otherwise."""
    if overrides:
        return overrides.get(f"{cmd.name}.{param.name}", param.name)
    return param.name


def canonical(cmd: Command, name: str) -> str | None:
    """The canonical name of a parameter as written (any case, any alias), or None."""
    match = lookup_param(cmd, name)
    return match.param.name if match else None


def is_valid_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def encode(value: str) -> str:
    """Percent-encode one name or value for the query string."""
    return quote_plus(value, safe=SAFE)


def query_string(
    command: str,
    params: Iterable[tuple[str, str]],
    credentials: Sequence[tuple[str, str]] = (),
) -> str:
    """``command=NAME&P1=v1...&Username=U&Password=P``, in exactly that order."""
    pairs = [("command", command), *params, *credentials]
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs)


_CREDENTIAL_VALUE = re.compile(r"(?i)(^|[?&])(username|password)=[^&#\s\"']*")


def redact_query(query: str) -> str:
    """The query (or a whole URL) with every credential value replaced by ``***``."""
    return _CREDENTIAL_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}=***", query)
