"""The simulator's configuration: API users, extensions, initial calls and behaviour (TOML).

Without a file the simulator starts with the vendor's example users and numbers, so every seed
page's URL example works against a fresh ``ozml simulate`` (docs/simulator.md shows the file)::

    [[users]]
    username = "HTTP_User_1"
    password = "qwe123"

    [[extensions]]
    number = "102"
    type = "Phone"          # "API extension" may place calls with the Call command
    answer = "answer"       # answer | busy | no-answer | not-found | failed | ring
    answer-after = 0.5      # seconds of ringing before it answers
    keys = ["1"]            # DTMF the callee enters at each UserInput prompt

    [[extensions]]
    number = "1000"
    type = "API extension"
    incoming-url = "http://127.0.0.1:8080/incoming"   # IncomingCall goes here

    [[calls]]               # calls in progress when the simulator starts
    id = "Nt3uh"
    caller = "100"
    callee = "102"
    state = "Ringing"       # Ringing | InCall | Hold

    [behaviour]
    ring-time = 90          # seconds before an unanswered call gives up (Busy)
    notify-remote = false   # true: notifications may go to other hosts than this one
    real-time = true        # false: Delay and ringing take no wall time (tests)
    seed = 1                # makes call IDs reproducible
    max-value-bytes = 1048576  # the largest value a script may build (the default: 1 MiB)
    max-calls = 1000        # calls in progress at once; an inbound call beyond it is refused
    notification-answers = "before-hangup"  # or "after-script" (docs/interpreter.md)

    [http-api]
    route-interception-url = "http://127.0.0.1:8080/route"   # RoutingInterception
    3pcc-url = "http://127.0.0.1:8080/3pcc"                 # CallChanged, every call

    [notifications]         # NotificationName per kind, for the assumed ones
    Error = "Error"

    [timing]                # assumed durations (ozml.callmodel.timing)
    seconds-per-word = 0.4
    play-seconds = 5

    [urls]                  # the URL map: notifications to these URLs are answered with
    "http://127.0.0.1:8080/{name}.php" = "app/{name}.xml"   # the file's OzML (ozml.project)

or, instead of ``[urls]``, the map of the project's own configuration::

    url-map = "ozml.toml"   # its [urls] (or pyproject.toml's [tool.ozml.urls])
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn

import attrs

from ozml.callmodel.notifications import KINDS, NotificationNames
from ozml.callmodel.switchboard import RING_MODES
from ozml.callmodel.timing import DEFAULT_TIMING, Timing
from ozml.dataformats import DataError, load_toml
from ozml.files import ReadError, not_utf8, read_file, unreadable
from ozml.interpreter.engine import BEFORE_HANGUP, NOTIFICATION_ANSWERS
from ozml.project.urlmap import UrlMap, UrlMapError

if TYPE_CHECKING:
    from ozml.tomlpositions import TomlPositions

__all__ = [
    "ANSWER_MODES",
    "AddressBook",
    "Behaviour",
    "ConfigError",
    "ExtensionConfig",
    "HttpApi",
    "InitialCall",
    "SimulatorConfig",
    "User",
    "default_config",
    "load_config",
]

#: What an extension does when rung: the call model's outcome words, and ``ring``.
ANSWER_MODES: Final = RING_MODES
API_EXTENSION: Final = "API extension"
INITIAL_STATES: Final = ("Ringing", "InCall", "Hold")
#: The largest number of seconds a setting may hold: a day (inf and nan are refused).
MAX_SECONDS: Final = 86400
#: Calls in progress at once unless ``max-calls`` says otherwise (DESIGN.md: 1,000).
DEFAULT_MAX_CALLS: Final = 1000
#: The largest ``max-calls`` accepted (a thread each, while their scripts run).
MAX_CALLS_LIMIT: Final = 100_000


class ConfigError(Exception):
    """A simulator config file that cannot be read or is invalid; the message says where."""


@attrs.frozen(repr=False)
class User:
    """An API user; the password is never shown in a repr."""

    username: str
    password: str

    def __repr__(self) -> str:
        return f"User({self.username!r}, password='***')"


@attrs.frozen
class ExtensionConfig:
    """One extension, and how it behaves when it is called."""

    number: str
    type: str = "Phone"
    answer: str = "answer"
    answer_after: float = 0.0
    state: str = "Connected"
    keys: tuple[str, ...] = ()
    domain: str = "localhost"
    #: Where an API extension's IncomingCall goes (its "Subscribe for events" URL).
    incoming_url: str = ""

    @property
    def id(self) -> str:
        """The extension's ID as ListExtensions shows it (Gen-B: ``101@localhost``)."""
        return f"{self.number}@{self.domain}"

    @property
    def is_api(self) -> bool:
        return self.type.lower() == API_EXTENSION.lower()


@attrs.frozen
class InitialCall:
    """A call already in progress when the simulator starts (e.g. the seeds' ``Nt3uh``)."""

    id: str
    caller: str
    callee: str
    state: str = "InCall"


@attrs.frozen
class AddressBook:
    """An address book for ListAddressbookContacts: contacts as (name, phone number, e-mail)."""

    name: str
    contacts: tuple[tuple[str, str, str], ...] = ()


@attrs.frozen
class Behaviour:
    ring_time: float = 90.0
    real_time: bool = True
    seed: int | None = None
    #: Seconds the simulator waits for the application when it POSTs a notification.
    notify_timeout: float = 10.0
    #: The API extension used by Call when the request names none (None: ApiExtension required).
    default_api_extension: str | None = None
    #: Whether notifications may go to other hosts than this machine (default: loopback only).
    notify_remote: bool = False
    #: The largest value, in UTF-8 bytes, a script run on a call may build (None: the
    #: interpreter's default, ozml.limits.MAX_VALUE_BYTES); passing it ends the call.
    max_value_bytes: int | None = None
    #: The most calls in progress at once: each has a thread while its script runs, and an
    #: inbound call placed through the control endpoint beyond it is refused (HTTP 503).
    max_calls: int = DEFAULT_MAX_CALLS
    #: When the answer to RecordCompleted runs if it falls due while the call is up: the
    #: engine's `notification_answers` (before-hangup or after-script).
    notification_answers: str = BEFORE_HANGUP


@attrs.frozen
class HttpApi:
    """The PBX's HTTP API configuration: where routing and 3PCC notifications go."""

    #: RoutingInterception for every new call to an extension ("" : the dial plan decides).
    route_interception_url: str = ""
    #: The 3PCC subscriber: CallChanged on every state change of every call.
    call_changed_url: str = ""


@attrs.frozen
class SimulatorConfig:
    users: tuple[User, ...]
    extensions: tuple[ExtensionConfig, ...]
    calls: tuple[InitialCall, ...] = ()
    address_books: tuple[AddressBook, ...] = ()
    behaviour: Behaviour = Behaviour()
    http_api: HttpApi = HttpApi()
    names: NotificationNames = attrs.field(factory=NotificationNames)
    timing: Timing = DEFAULT_TIMING
    #: The URL map (``[urls]``, as in ``ozml.toml``): the notifications to the URLs it covers
    #: are answered with its files instead of being POSTed; None: every one is POSTed.
    urls: UrlMap | None = attrs.field(default=None, eq=False)
    #: Names the map's configuration in messages (the file it was read from).
    urls_label: str = ""

    def extension(self, number: str) -> ExtensionConfig | None:
        """The extension with this number (``102``) or ID (``102@localhost``)."""
        for ext in self.extensions:
            if number in (ext.number, ext.id):
                return ext
        return None


def default_config() -> SimulatorConfig:
    """The vendor's example users (HTTP_User_1/qwe123, admin/abc123), extensions 100-105 with
    101 an API extension, and the seeds' call ``Nt3uh`` ringing from 100 to 102."""
    phones = [ExtensionConfig(str(n)) for n in (100, 102, 103, 104, 105)]
    return SimulatorConfig(
        users=(User("HTTP_User_1", "qwe123"), User("admin", "abc123")),
        extensions=(ExtensionConfig("101", type=API_EXTENSION), *phones),
        calls=(InitialCall("Nt3uh", "100", "102", "Ringing"),),
        address_books=(
            AddressBook(
                "address_book_1",
                (("John Doe", "+36 20 555 6666", "email@address.com"),),
            ),
        ),
    )


class _Reader:
    """Typed access to one table of the file, with messages that name the key and say where
    it is written (``sim.toml:6:10: extensions[1]: answer must be ...``)."""

    def __init__(
        self,
        path: Path,
        where: str,
        table: Mapping[str, Any],
        known: set[str],
        at: tuple[str | int, ...] = (),
        positions: TomlPositions | None = None,
    ) -> None:
        self.path, self.where, self.table = path, where, table
        #: The table's path in the file, and where each key and value is written.
        self.at, self.positions = at, positions
        unknown = sorted(set(table) - known)
        if unknown:
            self.fail(
                f"unknown key {unknown[0]!r} (expected one of: {', '.join(sorted(known))})",
                unknown[0], value=False,
            )

    def child(
        self, where: str, table: Mapping[str, Any], known: set[str], *at: str | int
    ) -> _Reader:
        """The reader of the table at `at` below this one."""
        return _Reader(self.path, where, table, known, (*self.at, *at), self.positions)

    def fail(self, problem: str, key: str | None = None, *, value: bool = True) -> NoReturn:
        """The error `problem` at the value of `key` (its key, with `value` false; the table,
        without `key` or where the table has no such key)."""
        from ozml.tomlpositions import located

        at = self.at if key is None else (*self.at, key)
        shown = located(str(self.path), self.positions, at, value=value)
        raise ConfigError(f"{shown}: {self.where}: {problem}")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if value is None:
            self.fail(f"{key} is required", key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # numbers such as extension 102 may be written bare
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{key} must be a non-empty string", key)
        return str(value)

    def optional(self, key: str) -> str:
        value = self.table.get(key, "")
        if not isinstance(value, str):
            self.fail(f"{key} must be a string", key)
        return str(value)

    def number(self, key: str, default: float) -> float:
        value = self.table.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value <= MAX_SECONDS  # also refuses nan
        ):
            self.fail(f"{key} must be a number of seconds from 0 to {MAX_SECONDS}", key)
        return float(value)

    def url(self, key: str) -> str:
        value = self.optional(key).strip()
        if value and not value.lower().startswith(("http://", "https://")):
            self.fail(f"{key} must be an http:// or https:// URL, found {value!r}", key)
        return value

    def choice(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key, default)
        if value not in allowed:
            self.fail(f"{key} must be one of {', '.join(allowed)}, found {value!r}", key)
        return value

    def tables(self, key: str) -> list[Mapping[str, Any]]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(f"{key} must be an array of tables ([[{key}]])", key)
        return list(value)


def _extension(top: _Reader, index: int, table: Mapping[str, Any]) -> ExtensionConfig:
    known = {
        "number", "type", "answer", "answer-after", "state", "keys", "domain", "incoming-url",
    }
    r = top.child(f"extensions[{index}]", table, known, "extensions", index)
    keys = table.get("keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        r.fail("keys must be a list of strings", "keys")
    return ExtensionConfig(
        number=r.text("number"),
        type=r.text("type", "Phone"),
        answer=r.choice("answer", "answer", ANSWER_MODES),
        answer_after=r.number("answer-after", 0.0),
        state=r.text("state", "Connected"),
        keys=tuple(keys),
        domain=r.text("domain", "localhost"),
        incoming_url=r.url("incoming-url"),
    )


def _behaviour(top: _Reader, table: Mapping[str, Any]) -> Behaviour:
    known = {
        "ring-time", "real-time", "seed", "notify-timeout", "default-api-extension",
        "notify-remote", "max-value-bytes", "max-calls", "notification-answers",
    }
    r = top.child("[behaviour]", table, known, "behaviour")
    real_time = table.get("real-time", True)
    notify_remote = table.get("notify-remote", False)
    if not isinstance(real_time, bool) or not isinstance(notify_remote, bool):
        wrong = "real-time" if not isinstance(real_time, bool) else "notify-remote"
        r.fail("real-time and notify-remote must be true or false", wrong)
    seed = table.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        r.fail("seed must be a whole number", "seed")
    api = table.get("default-api-extension")
    limit = table.get("max-value-bytes")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        r.fail("max-value-bytes must be a whole number of bytes, at least 1", "max-value-bytes")
    max_calls = table.get("max-calls", DEFAULT_MAX_CALLS)
    if isinstance(max_calls, bool) or not isinstance(max_calls, int) or not (
        1 <= max_calls <= MAX_CALLS_LIMIT
    ):
        r.fail(f"max-calls must be a whole number from 1 to {MAX_CALLS_LIMIT}", "max-calls")
    answers = table.get("notification-answers", BEFORE_HANGUP)
    if answers not in NOTIFICATION_ANSWERS:
        r.fail(
            f"notification-answers must be {' or '.join(NOTIFICATION_ANSWERS)}",
            "notification-answers",
        )
    return Behaviour(
        ring_time=r.number("ring-time", 90.0),
        real_time=bool(real_time),
        seed=seed,
        notify_timeout=r.number("notify-timeout", 10.0),
        default_api_extension=None if api is None else r.text("default-api-extension"),
        notify_remote=notify_remote,
        max_value_bytes=limit,
        max_calls=max_calls,
        notification_answers=answers,
    )


def _table(top: _Reader, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    raw = data.get(key, {})
    if not isinstance(raw, dict):
        top.fail(f"{key} must be a table ([{key}])", key)
    return dict(raw)


def _http_api(top: _Reader, data: Mapping[str, Any]) -> HttpApi:
    table = _table(top, data, "http-api")
    r = top.child("[http-api]", table, {"route-interception-url", "3pcc-url"}, "http-api")
    return HttpApi(r.url("route-interception-url"), r.url("3pcc-url"))


def _names(top: _Reader, data: Mapping[str, Any]) -> NotificationNames:
    table = _table(top, data, "notifications")
    r = top.child("[notifications]", table, set(KINDS), "notifications")
    return NotificationNames({key: r.text(key) for key in table})


def _timing(top: _Reader, data: Mapping[str, Any]) -> Timing:
    table = _table(top, data, "timing")
    r = top.child("[timing]", table, {"seconds-per-word", "play-seconds"}, "timing")
    return Timing(
        seconds_per_word=r.number("seconds-per-word", DEFAULT_TIMING.seconds_per_word),
        play_seconds=r.number("play-seconds", DEFAULT_TIMING.play_seconds),
    )


def _urls(path: Path, top: _Reader, data: Mapping[str, Any]) -> tuple[UrlMap | None, str]:
    """The URL map and the name of the file it is read from: the ``[urls]`` table, read as
    ``ozml.toml``'s is (paths relative to the file's folder), or the ``[urls]`` of the
    configuration ``url-map`` names (``ozml.toml``, ``pyproject.toml``: paths relative to it)."""
    if "url-map" in data:
        if "urls" in data:
            top.fail("give the URL map as [urls] or as url-map, not both", "url-map", value=False)
        return _url_map_file(top, top.text("url-map"))
    if "urls" not in data:
        return None, ""
    table = _table(top, data, "urls")
    try:
        return UrlMap.parse(table, path.resolve().parent) or None, str(path)
    except UrlMapError as error:
        r = top.child(f"urls {error.key!r}", table, set(table), "urls")
        r.fail(error.message, error.key, value=False)


def _url_map_file(top: _Reader, written: str) -> tuple[UrlMap, str]:
    """The URL map of the project configuration `written` (relative to the file's folder)."""
    from ozml.config import ConfigError as ProjectConfigError
    from ozml.config import load_explicit

    where = top.path.parent / written
    try:
        project = load_explicit(where)
    except ProjectConfigError as error:
        top.child("url-map", {}, set()).fail(str(error), "url-map")
    found = UrlMap.from_config(project)
    if found is None:
        top.child("url-map", {}, set()).fail(f"{project.label} has no [urls] table", "url-map")
    return found, project.label


def load_config(path: Path) -> SimulatorConfig:
    """Read a simulator config file; tables it omits keep the defaults of `default_config`.

    The default initial call (``Nt3uh``) is kept only when the file keeps the default
    extensions too.
    """
    try:
        text = read_file(path).decode("utf-8")
    except ReadError as error:
        raise ConfigError(unreadable(path, error)) from None
    except UnicodeDecodeError as error:
        raise ConfigError(not_utf8(path, error)) from None
    try:
        data = load_toml(text)
    except DataError as error:
        from ozml.tomlpositions import invalid_toml

        raise ConfigError(invalid_toml(str(path), text, str(error))) from None
    from ozml.tomlpositions import TomlPositions

    top = _Reader(
        path,
        "top level",
        data,
        {
            "users", "extensions", "calls", "address-books", "behaviour", "http-api",
            "notifications", "timing", "urls", "url-map",
        },
        positions=TomlPositions(text),
    )
    base = default_config()
    users = base.users
    if "users" in data:
        found = []
        for i, table in enumerate(top.tables("users")):
            r = top.child(f"users[{i}]", table, {"username", "password"}, "users", i)
            found.append(User(r.text("username"), r.text("password")))
        users = tuple(found)
    extensions = base.extensions
    if "extensions" in data:
        extensions = tuple(_extension(top, i, t) for i, t in enumerate(top.tables("extensions")))
    # The seeds' call Nt3uh is between default extensions: it starts only with them.
    calls = base.calls if "extensions" not in data else ()
    if "calls" in data:
        found_calls = []
        for i, table in enumerate(top.tables("calls")):
            r = top.child(f"calls[{i}]", table, {"id", "caller", "callee", "state"}, "calls", i)
            found_calls.append(
                InitialCall(
                    r.text("id"),
                    r.text("caller"),
                    r.text("callee"),
                    r.choice("state", "InCall", INITIAL_STATES),
                )
            )
        calls = tuple(found_calls)
    books = base.address_books
    if "address-books" in data:
        found_books = []
        for i, table in enumerate(top.tables("address-books")):
            r = top.child(f"address-books[{i}]", table, {"name", "contacts"}, "address-books", i)
            contacts = []
            for j, contact in enumerate(r.tables("contacts")):
                where = f"address-books[{i}].contacts[{j}]"
                c = r.child(where, contact, {"name", "phone-number", "email"}, "contacts", j)
                contacts.append((c.text("name"), c.optional("phone-number"), c.optional("email")))
            found_books.append(AddressBook(r.text("name"), tuple(contacts)))
        books = tuple(found_books)
    behaviour = base.behaviour
    if "behaviour" in data:
        raw = data["behaviour"]
        if not isinstance(raw, dict):
            top.fail("behaviour must be a table ([behaviour])", "behaviour")
        behaviour = _behaviour(top, raw)
    config = SimulatorConfig(
        users,
        extensions,
        calls,
        books,
        behaviour,
        _http_api(top, data),
        _names(top, data),
        _timing(top, data),
        *_urls(path, top, data),
    )
    seen: set[str] = set()
    for index, extension in enumerate(extensions):
        if extension.number in seen:
            twice = top.child(f"extensions[{index}]", {}, set(), "extensions", index)
            twice.fail(f"extension {extension.number} is defined twice", "number")
        seen.add(extension.number)
    known = seen | {extension.id for extension in extensions}
    for index, call in enumerate(calls):
        for key, number in (("caller", call.caller), ("callee", call.callee)):
            if number not in known:
                placed = top.child(f"call {call.id}", {}, set(), "calls", index)
                placed.fail(f"{number} is not a configured extension", key)
    return config
