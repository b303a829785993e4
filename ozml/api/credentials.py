"""Where the client finds the PBX's address and the API user's credentials.

Credentials never come from an OzML document (DESIGN.md D5): they come from the environment
(``OZML_USERNAME``, ``OZML_PASSWORD``, ``OZML_API_URL``) or from the ``[api]`` table of the
configuration file (``ozml.toml``, or ``[tool.ozml.api]`` in ``pyproject.toml``). Both are
wrapped in `Secret`, whose ``str`` and ``repr`` are ``***``, so a credential printed by
accident, logged, or put in a trace or an exception shows nothing; the one way to the value is
`Secret.reveal`, used only to build the request.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final, NoReturn
from urllib.parse import urlsplit

import attrs

from ozml.catalog.values import written

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_TIMEOUT",
    "HOLDS_CREDENTIALS",
    "MAX_URL_LENGTH",
    "ApiSettings",
    "ConfigError",
    "Credentials",
    "Secret",
    "TableError",
    "api_endpoint",
    "check_table",
    "check_timeout",
    "find_config",
    "load_settings",
    "url_problem",
]

DEFAULT_API_URL: Final = "http://127.0.0.1:9509"
DEFAULT_TIMEOUT: Final = 10.0
REDACTED: Final = "***"
#: The longest timeout accepted, in seconds: a day (far larger ones overflow the socket layer).
MAX_TIMEOUT: Final = 86400.0
#: httpx refuses longer URLs; a base URL this long is a mistake, shown only in part.
MAX_URL_LENGTH: Final = 65536
#: Why a base URL with a user name or password in it is refused (said without the URL).
HOLDS_CREDENTIALS: Final = (
    "must not hold credentials: set OZML_USERNAME and OZML_PASSWORD instead"
)


def api_endpoint(url: str) -> str:
    """The ``.../api`` endpoint of the base URL `url` (which may name it already)."""
    base = url.rstrip("/")
    return base if base.endswith("/api") else f"{base}/api"


def url_problem(url: str, *, strict: bool = False) -> str | None:
    """Why `url` cannot be the PBX's base URL, or None: checked by its parts, and with
    `strict` also as httpx will read it (httpx is imported only then: `ozml check` validates
    the ``[api]`` table without it). The reason never holds a user name or password: a URL
    with either is refused before anything else is said about it."""
    authority = url.partition("//")[2]
    for end in "/?#":
        authority = authority.partition(end)[0]
    if "@" in authority:
        return HOLDS_CREDENTIALS
    if len(url) > MAX_URL_LENGTH:
        return f"longer than {MAX_URL_LENGTH} characters"
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError as error:
        return str(error)
    if parts.scheme not in ("http", "https") or not hostname:
        return "expected http://HOST:PORT"
    if parts.query or parts.fragment:
        return "expected no query or fragment"
    if any(c.isspace() or not c.isprintable() for c in hostname):
        return "the host name has a space or a control character"
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port <= 65535:
        found = parts.netloc.rpartition(":")[2]
        return "port out of range (1-65535)" if found.isdigit() else f"invalid port {found!r}"
    if strict:
        import httpx

        try:
            # The host is read (IDNA-decoded) when the first request is made: read it now.
            _ = httpx.URL(api_endpoint(url)).host
        except httpx.InvalidURL as error:
            return str(error)
        except UnicodeError as error:  # idna.IDNAError: an A-label (xn--) that is not one
            return f"the host name is not a valid internationalised name ({error})"
    return None


def check_timeout(value: float, where: str = "timeout") -> float:
    """`value` as a timeout in seconds; ValueError (naming `where`) unless 0 < value <= a day."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where} must be a number of seconds")
    # Compared before any conversion: an integer past float's range (TOML reads up to 4,300
    # digits) makes math.isfinite and float() raise OverflowError.
    if not 0 < value <= MAX_TIMEOUT:  # also refuses nan
        if isinstance(value, float) or abs(value) < 10**15:
            found = f"{value:g}"
        else:
            sign = "negative " if value < 0 else ""
            found = f"a {sign}number of {len(written(abs(value)))} digits"
        raise ValueError(
            f"{where} must be more than 0 and at most {MAX_TIMEOUT:g} seconds, found {found}"
        )
    return float(value)


class ConfigError(Exception):
    """A config file that cannot be read or has a bad ``[api]`` table."""


class Secret:
    """A string that never shows itself: ``str``, ``repr`` and format are ``***``.

    It is not an attrs class, so ``attrs.asdict`` of what holds it keeps the `Secret` (not its
    value); it has no ``__dict__``, copies are itself, and it refuses to be pickled: the value
    leaves it only through `reveal`.
    """

    __slots__ = ("__value",)
    __value: str

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"a Secret holds a str, not {type(value).__name__}")
        object.__setattr__(self, "_Secret__value", value)

    def reveal(self) -> str:
        """The real value, for building the request and nothing else."""
        return self.__value

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Secret cannot be changed")

    def __str__(self) -> str:
        return REDACTED

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __format__(self, spec: str) -> str:
        return REDACTED

    def __bool__(self) -> bool:
        return bool(self.__value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self.__value.encode(), other.__value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self.__value))

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: object) -> Secret:
        return self

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret is not pickled: pickles end up in files and caches")


@attrs.frozen
class Credentials:
    """The API user's name and password; both are secrets (D5: never printed)."""

    username: Secret
    password: Secret

    @classmethod
    def of(cls, username: str, password: str) -> Credentials:
        return cls(Secret(username), Secret(password))

    def values(self) -> tuple[str, ...]:
        """The revealed values, for scrubbing them out of anything shown to people."""
        return tuple(s.reveal() for s in (self.username, self.password) if s.reveal())


@attrs.frozen
class ApiSettings:
    """Everything the client needs to reach the PBX.

    `wire_names` renames parameters on the wire, keyed ``"Command.Param"`` (e.g.
    ``{"AttendedTransfer.TransferredCallId": "TranferredCallId"}``), for a PBX that expects a
    spelling other than the canonical one; the vendor does not say which spellings Ozeki 10
    accepts everywhere (ozml-spec.md §8).
    """

    url: str = DEFAULT_API_URL
    credentials: Credentials | None = None
    timeout: float = DEFAULT_TIMEOUT
    wire_names: Mapping[str, str] = attrs.field(factory=dict)
    #: Where each value came from ("--api-url", "OZML_API_URL", "ozml.toml", "default").
    url_origin: str = "default"


def _read_config(path: Path, *, explicit: bool) -> Mapping[str, object]:
    """The ``[api]`` table of the configuration file at `path` (empty without one).

    The file is loaded as every command loads it (`ozml.config.api_table`): validated whole,
    so an unknown key, in ``[api]`` or in any other table, is the error ``ozml check`` gives.
    """
    from ozml import config as project

    try:
        return project.api_table(path, explicit=explicit)
    except project.ConfigError as error:
        raise ConfigError(str(error)) from None


def find_config(start: Path) -> Path | None:
    """The configuration file `ozml check` would use for a file in `start`: the nearest folder
    (walking up) with an ``ozml.toml``, or a ``pyproject.toml`` that has ``[tool.ozml]``
    (`ozml.config.find`, the one search)."""
    from ozml import config as project

    try:
        found = project.find(start)
    except project.ConfigError as error:
        raise ConfigError(str(error)) from None
    return found.path if found is not None else None


class TableError(ValueError):
    """A value of the ``[api]`` table the client cannot use; `key` is its path in the table
    (``("timeout",)``, ``("wire-names", "A.B")``), for the message's position."""

    def __init__(self, message: str, *key: str) -> None:
        super().__init__(message)
        self.key = key


def check_table(
    table: Mapping[str, object], *, name: str = "[api]", strict: bool = False
) -> None:
    """`TableError` for the first value of an ``[api]`` table (called `name` in messages)
    that the client cannot use; the message never shows a string value (the table holds
    credentials). `ozml.config` asks it for every command that loads a configuration, so a
    wrong value is the error ``ozml check`` gives as much as ``ozml api``; `strict` (the
    client's own reading) also checks the URL as httpx reads it."""
    for key in ("url", "username", "password"):
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            raise TableError(f"{name} {key} must be a string", key)
    url = table.get("url")
    if isinstance(url, str):
        if not url.strip():
            raise TableError(
                f"{name} url is empty: leave the key out for the default, {DEFAULT_API_URL}",
                "url",
            )
        problem = url_problem(url, strict=strict)
        if problem is not None:
            sep = " " if problem == HOLDS_CREDENTIALS else " is invalid: "
            raise TableError(f"{name} url{sep}{problem}", "url")
    if "timeout" in table:
        try:
            check_timeout(table["timeout"], f"{name} timeout")  # type: ignore[arg-type]
        except ValueError as error:
            raise TableError(str(error), "timeout") from None
    names = table.get("wire-names", {})
    if not isinstance(names, dict):
        raise TableError(f'{name[:-1]}.wire-names] must map "Command.Param" to a string',
                         "wire-names")
    for wired, spelling in names.items():
        if not isinstance(spelling, str):
            raise TableError(f'{name[:-1]}.wire-names] must map "Command.Param" to a string',
                             "wire-names", wired)


def _text(table: Mapping[str, object], key: str) -> str | None:
    value = table.get(key)
    return value if isinstance(value, str) else None


def _variable(env: Mapping[str, str], name: str) -> str | None:
    """The environment variable `name` (a credential), refused when it is not UTF-8 text (the
    request sends it as UTF-8); the message says where, never what the value holds."""
    from ozml.files import bad_byte

    value = env.get(name)
    at = bad_byte(value) if value else None
    if at is not None:
        raise ConfigError(
            f"{name}: not UTF-8 text (bad byte at offset {at}); credentials are sent as UTF-8"
        )
    return value


def load_settings(
    *,
    url: str | None = None,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
    timeout: float | None = None,
    cwd: Path | None = None,
    isolated: bool = False,
) -> ApiSettings:
    """Settings from, in order of precedence: arguments, environment, config file, defaults.

    `config` names the TOML file; without it the file `ozml check` would use in `cwd` (or the
    current directory) is read: the nearest ``ozml.toml``, or ``pyproject.toml`` with
    ``[tool.ozml]``, walking up. Its ``[api]`` table (``[tool.ozml.api]``) holds the settings;
    the rest of the file is the linter's, and the whole file is validated as ``ozml check``
    validates it. With `isolated` (``--isolated``) no file is read: the arguments and the
    environment only. Raises `ConfigError` for an unreadable or invalid file.
    """
    env = os.environ if environ is None else environ
    path: Path | None
    if isolated:
        path = None
    else:
        path = config if config is not None else find_config((cwd or Path.cwd()).resolve())
    # Checked whole, as the client reads it (`check_table`, strict), or a ConfigError.
    table = _read_config(path, explicit=config is not None) if path is not None else {}
    origin = "default"
    found_url = DEFAULT_API_URL
    if url:
        found_url, origin = url, "--api-url"
    elif env.get("OZML_API_URL"):
        found_url, origin = env["OZML_API_URL"], "OZML_API_URL"
    elif isinstance(table.get("url"), str):
        found_url, origin = str(table["url"]), str(path)
    username = _variable(env, "OZML_USERNAME") or _text(table, "username")
    password = _variable(env, "OZML_PASSWORD") or _text(table, "password")
    credentials = Credentials.of(username, password or "") if username else None
    found_timeout = timeout
    if found_timeout is None:
        raw = table.get("timeout", DEFAULT_TIMEOUT)
        found_timeout = check_timeout(raw)  # type: ignore[arg-type]
    names = table.get("wire-names", {})
    return ApiSettings(
        url=found_url.rstrip("/"),
        credentials=credentials,
        timeout=found_timeout,
        wire_names=dict(names) if isinstance(names, dict) else {},
        url_origin=origin,
    )
