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
from urllib.parse import quote_plus, unquote_plus

import attrs

from ozml.catalog import COMMANDS, AliasKind, Command, Context, Param, Usage, lookup_param
from ozml.catalog.model import Basis

__all__ = [
    "CREDENTIAL_PARAMS",
    "HTTP_COMMANDS",
    "NEVER_RETRIED",
    "READ_ONLY",
    "HttpRequirement",
    "assumed_request",
    "encode",
    "http_command",
    "http_required",
    "http_requirements",
    "no_request",
    "query_string",
    "redact_query",
    "request_command",
    "vendor_spelling",
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

#: OzML commands the HTTP API is only assumed to have no request for (`assumed_request`).
_ASSUMED_OZML_ONLY: Final[Mapping[str, Command]] = {
    c.name.lower(): c for c in COMMANDS if not c.in_http and not c.usage_fact.stated
}

_EVERYWHERE = frozenset(Context.concrete())


def http_command(name: str) -> Command | None:
    """The HTTP command with this name, case-insensitively (``listactivecalls`` works)."""
    found = HTTP_COMMANDS.get(name)
    if found is not None:
        return found
    lowered = name.lower()
    return next((c for n, c in HTTP_COMMANDS.items() if n.lower() == lowered), None)


def assumed_request(name: str) -> Command | None:
    """The OzML command with this name (case-insensitively) that the HTTP API is taken to have
    no request for only by assumption (its `Command.usage_fact` is assumed: SendMsg, whose
    Ozeki 10 page merely looks OzML-only, spec §1.3): a request for it may be sent, after a
    warning (`no_request`). None for any other name, and for a command the vendor states is
    OzML only."""
    return _ASSUMED_OZML_ONLY.get(name.lower())


def request_command(name: str) -> Command | None:
    """The catalog command a request named `name` is for: an HTTP command, or an OzML command
    the HTTP API is only assumed to have no request for (`assumed_request`)."""
    return http_command(name) or assumed_request(name)


def no_request(cmd: Command) -> str:
    """``the HTTP API has no request for Delay``, with ``; undocumented (spec §1.3 [hu7652]):
    why`` where that is only assumed: how ``ozml api`` warns of it and ``ozml run --live``
    says why it leaves the command out."""
    return cmd.usage_fact.qualify(f"the HTTP API has no request for {cmd.name}")


@attrs.frozen
class HttpRequirement:
    """One parameter an HTTP request for a command must carry, and how sure that is.

    `basis` is the catalog's: *stated* when the vendor's documentation says so for the HTTP API,
    so a request without it is refused (an error); *assumed* when it is ozml's reading of
    documentation that does not say it outright: a request without it gets a warning citing
    `basis` and is sent.
    """

    param: Param
    basis: Basis

    @property
    def stated(self) -> bool:
        return self.basis.stated

    @property
    def sources(self) -> tuple[str, ...]:
        return self.basis.sources

    @property
    def spec(self) -> str:
        return self.basis.spec

    @property
    def why(self) -> str:
        return self.basis.why

    def citation(self) -> str:
        """``spec §7.3 [oz4571][hu7632]``, as the catalog cites its assumed facts."""
        return self.basis.citation()


def http_requirements(cmd: Command) -> tuple[HttpRequirement, ...]:
    """Every parameter an HTTP request for `cmd` must carry, in the catalog's order.

    Those mandatory in every context (with the basis of that), and those the catalog marks
    mandatory over HTTP only (`Param.http_required`, from `ozml.catalog.contextual.HTTP_FACTS`:
    the call a call-control command acts on, which in OzML defaults to the notified call (D5),
    Play's Party, the ApiExtension of SendEmail, Call and SendSms).
    """
    found: list[HttpRequirement] = []
    for param in cmd.params:
        if Usage.HTTP not in param.usage:
            continue
        if param.required_in and param.required_in >= _EVERYWHERE:
            found.append(HttpRequirement(param, param.required))
        elif param.http_required is not None:
            found.append(HttpRequirement(param, param.http_required))
    return tuple(found)


def http_required(cmd: Command) -> tuple[Param, ...]:
    """The parameters an HTTP request for `cmd` must carry, as the vendor states it.

    A request without one of these is refused (by `ozml.api.validate`, and by the simulator,
    which answers 302). Requirements ozml only assumes are left out: they warn, never refuse.
    """
    return tuple(r.param for r in http_requirements(cmd) if r.stated)


def wire_name(
    cmd: Command,
    param: Param,
    overrides: Mapping[str, str] | None = None,
    written: str | None = None,
) -> str:
    """The name `param` is sent under: the configured one (`overrides`, ``Command.Param``);
    else, when it was `written` as one of the vendor's other spellings (``TranferredCallId``,
    D2), that spelling, in the vendor's letter case: which one the PBX reads is UNKNOWN (spec
    §8), so ozml does not swap one for the other; else the canonical name (a name in another
    letter case or a legacy name, D1, D3, goes out canonical)."""
    if overrides:
        configured = overrides.get(f"{cmd.name}.{param.name}")
        if configured is not None:
            return configured
    if written is not None:
        spelling = vendor_spelling(cmd, written)
        if spelling is not None:
            return spelling
    return param.name


def vendor_spelling(cmd: Command, name: str) -> str | None:
    """The vendor's other spelling of a parameter of `cmd` that `name` is, in the vendor's
    letter case (``tranferredcallid`` → ``TranferredCallId``); None for any other name."""
    match = lookup_param(cmd, name)
    if match is None or match.alias is None or match.alias.kind is AliasKind.LEGACY:
        return None
    return match.alias.name


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


#: A name and its value in a query (or a URL, or a URL quoted in a message).
_FIELD = re.compile(r"(^|[?&])([^=&#\s\"']*)=[^&#\s\"']*")
#: The credentials' names, as a server reads them: percent-decoded, in any letter case.
_CREDENTIAL_NAMES = frozenset({"username", "password"})


def redact_query(query: str) -> str:
    """The query (or a whole URL) with every credential value replaced by ``***``: a field
    whose name, read as a server reads it (``Pass%77ord``, `` Password``), is a credential's."""
    return _FIELD.sub(_redacted_field, query)


def _redacted_field(match: re.Match[str]) -> str:
    name = match.group(2)
    if unquote_plus(name).strip().lower() not in _CREDENTIAL_NAMES:
        return match.group()
    return f"{match.group(1)}{name}=***"
