"""`ozml api COMMAND Param=value ...`: send one HTTP API request and print the answer.

The parameters are sent in the order given, credentials last, from ``OZML_USERNAME`` and
``OZML_PASSWORD`` (or ``[api]`` of ``ozml.toml``): never from the command line, where other
users of the machine could read them. So ``ozml api ForwardCall CallId=Nt3uh Destination=104``
sends exactly the vendor's example request
``/api?command=ForwardCall&CallId=Nt3uh&Destination=104&Username=...&Password=...``.

Before anything is sent, the request is checked against the catalog's HTTP view
(`ozml.api.validate`) with the linter's codes and words: a request that breaks what the vendor
states (``ForwardCall needs Destination``, ``Speak Party must be caller, callee or all, found
'everyone'``) is refused, with exit 2 and no network traffic; one that breaks only what ozml
assumes is sent after a warning on standard error. ``--no-validate`` sends any request as it is.
So is a request for an OzML command that the HTTP API is only assumed to have no request for
(SendMsg, Delay, ...: their Ozeki 10 pages merely look OzML-only, spec §1.3): the warning says
so, and its parameters are checked against the command's OzML table, every finding a warning.

``--config FILE`` reads the ``[api]`` table of FILE (an ``ozml.toml``, a ``pyproject.toml`` with
``[tool.ozml.api]``, or any TOML with an ``[api]`` table) instead of the nearest configuration;
``--isolated`` reads none (the environment and the options only). Every error is one line,
``ozml: error: ...``; the checks' warnings are ``ozml: warning: ...`` lines.

Exit codes: 0 the PBX answered 200; 1 it answered another result code (printed with its
meaning); 2 bad usage, a request refused by validation, a config problem, httpx missing, or no
usable answer (refused connection, timeout, HTTP error, not the API's XML).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ozml.cli.common import (
    add_config_options,
    config_choice,
    error,
    nonempty,
    one_of,
    warning,
)
from ozml.cli.common import error as _fail  # the name used where `error` is a local
from ozml.cli.exits import FINDINGS, OK, USAGE

if TYPE_CHECKING:
    from ozml.api.credentials import ApiSettings
    from ozml.api.responses import ApiResult

HELP = "Send one HTTP API request to the PBX (or the simulator) and print the answer."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("command", metavar="COMMAND", help="the API command, e.g. ForwardCall")
    parser.add_argument(
        "params", metavar="Param=value", nargs="*",
        help="parameters, sent in the order given (credentials come from the environment)",
    )
    parser.add_argument(
        "--api-url", metavar="URL", type=nonempty,
        help="the PBX's API (default: $OZML_API_URL, [api] url of ozml.toml,"
        " http://127.0.0.1:9509)",
    )
    add_config_options(parser, what="the [api] table (URL, credentials, timeout)")
    parser.add_argument(
        "--timeout", metavar="SECONDS", type=float,
        help="the most the whole request may take, connecting and answer included (10)",
    )
    parser.add_argument(
        "--format", "--output-format", dest="format", **one_of(("text", "json")), default="text",
        help="how to print the answer"
    )
    parser.add_argument(
        "--url-only", action="store_true",
        help="print the request URL (credentials as ***) and send nothing",
    )
    parser.add_argument(
        "--unchecked", action="store_true",
        help="send command and parameter names the catalog does not know, as written",
    )
    parser.add_argument(
        "--no-validate", action="store_true",
        help="send the request even when it lacks a mandatory parameter or has an invalid"
        " value (it is checked against the catalog by default)",
    )


def _suggest(name: str, choices: Sequence[str]) -> str:
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[close[0]]!r}?)" if close else ""


def parse_params(command: str, items: Sequence[str]) -> list[tuple[str, str]]:
    """``Name=value`` words → pairs in the order given.

    Names are kept as written: the validator reports unknown and repeated ones (OZ103, OZ107)
    in the user's spelling, and the client sends known ones (in any case, or by an alias)
    under their canonical names.
    """
    from ozml.api.wire import is_valid_name
    from ozml.files import bad_byte

    pairs: list[tuple[str, str]] = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValueError(f"expected Param=value, found {item!r}")
        if name.lower() in ("username", "password"):
            raise ValueError(
                f"{name} is not taken from the command line (other users could read it there):"
                " set OZML_USERNAME and OZML_PASSWORD, or [api] in ozml.toml"
            )
        if not is_valid_name(name):
            raise ValueError(f"invalid parameter name {name!r}")
        at = bad_byte(value)
        if at is not None:
            raise ValueError(
                f"{name}: not UTF-8 text (bad byte at offset {at}); parameters are sent as UTF-8"
            )
        pairs.append((name, value))
    return pairs


def _validate(command: str, params: Sequence[tuple[str, str]], unchecked: bool) -> bool:
    """Print what is wrong with the request; whether it may be sent (no errors)."""
    from ozml.api.validate import validate_request

    problems = validate_request(command, params, check_names=not unchecked)
    for problem in problems:
        (error if problem.is_error else warning)(f"{problem.code} {problem.message}")
    errors = sum(1 for p in problems if p.is_error)
    if errors:
        count = f"{errors} error{'s' if errors != 1 else ''}"
        error(f"not sent: {count} (--no-validate sends it anyway)")
    return not errors


def _settings(args: argparse.Namespace) -> ApiSettings:
    """The client's settings: the options, the environment, then ``--config FILE`` or the
    nearest configuration (none with ``--isolated``)."""
    from ozml.api.credentials import load_settings

    config_file, isolated = config_choice(args)
    return load_settings(
        url=args.api_url, config=config_file, timeout=args.timeout, isolated=isolated
    )


def _check_command(command: str, unchecked: bool) -> str | None:
    """Why `command` is refused, or None. An OzML command the HTTP API is only assumed to have
    no request for (SendMsg: spec §1.3) is not refused: a warning says that it is assumed."""
    from ozml.api.wire import HTTP_COMMANDS, assumed_request, http_command, no_request
    from ozml.catalog import lookup_element

    if http_command(command) is not None or unchecked:
        return None
    assumed = assumed_request(command)
    if assumed is not None:
        warning(f"{no_request(assumed)}; sending it anyway")
        return None
    match = lookup_element(command)
    if match is not None and match.command.in_http:
        return (
            f"{command} is the older name of {match.command.name}; Ozeki 10 knows"
            f" {match.command.name} (D1)"
        )
    if match is not None:
        return f"{match.command.name} is an OzML command only; the HTTP API has no request for it"
    return (
        f"unknown API command {command!r}{_suggest(command, list(HTTP_COMMANDS))}"
        " (`ozml commands` lists them; --unchecked sends it anyway)"
    )


def _plain(value: Any, redact: Callable[[str], str]) -> Any:
    """`value` as JSON takes it, every text in it passed through `redact` (the answer's data
    is the PBX's as it sent it, and a server may echo the credentials in it)."""
    import attrs

    if attrs.has(type(value)):
        return {k: _plain(v, redact) for k, v in attrs.asdict(value, recurse=False).items()}
    if isinstance(value, tuple | list):
        return [_plain(v, redact) for v in value]
    if isinstance(value, dict):
        return {_plain(k, redact): _plain(v, redact) for k, v in value.items()}
    if isinstance(value, str):
        return redact(value)
    return value


def _rows(result: ApiResult) -> tuple[tuple[str, ...], list[tuple[str, ...]]] | None:
    """The payload as a table (header, rows), for the List commands."""
    import attrs

    from ozml.api import responses as r

    tables: dict[type[r.ApiResult], tuple[str, type[Any]]] = {
        r.ActiveCallsResult: ("calls", r.ActiveCall),
        r.ExtensionsResult: ("extensions", r.Extension),
        r.CallHistoryResult: ("calls", r.CallHistoryEntry),
        r.ContactsResult: ("contacts", r.Contact),
    }
    found = tables.get(type(result))
    if found is None:
        return None
    attribute, record_type = found
    fields = [f.name for f in attrs.fields(record_type)]

    def cell(value: object) -> str:
        if value is None:
            return "-"
        return f"{value:g}" if isinstance(value, float) else str(value)

    records = getattr(result, attribute)
    return tuple(f.upper() for f in fields), [tuple(cell(getattr(x, f)) for f in fields)
                                              for x in records]


def _print_text(result: ApiResult, redact: Callable[[str], str]) -> None:
    """The answer for people: what the PBX sent is escaped (a server is not trusted to send
    nothing that a terminal would act on) and redacted (nor to echo no credentials)."""
    from ozml.report.style import printable
    from ozml.report.table import table

    def shown_text(text: str) -> str:
        return printable(redact(text))

    print(shown_text(f"{result.code} {result.message}"))
    shown = _rows(result)
    for key, value in result.fields.items():
        print(shown_text(f"{key}: {value}"))
    if shown is not None:
        header, rows = shown
        if rows:
            cells = [tuple(shown_text(cell) for cell in row) for row in rows]
            sys.stdout.write(table(header, cells))
        else:
            print("(none)")


def run(args: argparse.Namespace) -> int:
    try:
        import httpx  # noqa: F401  (only to say clearly that it is missing)
    except ImportError:
        return _fail("the HTTP API client needs httpx: install ozml[http]")
    from ozml.api import Client
    from ozml.api.credentials import ConfigError, check_timeout
    from ozml.api.errors import ApiError, BadApiUrl, TransportError

    refusal = _check_command(args.command, args.unchecked)
    if refusal is not None:
        return _fail(refusal)
    try:
        if args.timeout is not None:
            check_timeout(args.timeout, "--timeout")
        params = parse_params(args.command, args.params)
        if not args.no_validate and not _validate(args.command, params, args.unchecked):
            return USAGE
        settings = _settings(args)
        # Validated above (or not at all, with --no-validate): the client does not do it again.
        client = Client(settings=settings, validate=False)
    except (ValueError, ConfigError) as problem:
        return _fail(str(problem))
    with client:
        try:
            if args.url_only:
                print(client.url_for(args.command, params))
                return OK
            if settings.credentials is None:
                warning(
                    "no credentials: set OZML_USERNAME and OZML_PASSWORD (sending without them)"
                )
            result = client.send(args.command, params)
        except ApiError as refused:
            if args.format == "json":
                print(json.dumps({"code": refused.code, "message": refused.message,
                                  "name": refused.name, "command": refused.command}))
            return _fail(str(refused), FINDINGS)
        except (TransportError, BadApiUrl, ValueError) as problem:
            return _fail(str(problem))
    if args.format == "json":
        print(json.dumps(_plain(result, client.redact), indent=2))
    else:
        _print_text(result, client.redact)
    return OK
