"""Configuration: ``ozml.toml`` or ``[tool.ozml]`` in ``pyproject.toml``, found like ruff does.

For each file, the configuration is the nearest one found by walking up from the file's folder:
in each folder an ``ozml.toml`` (settings at its top level, or under ``[tool.ozml]``) wins over a
``pyproject.toml``, and a ``pyproject.toml`` counts only when it has a ``[tool.ozml]`` table.
Configurations do not merge: the nearest one is the whole configuration (docs/configuration.md).

Globs in ``per-file-ignores``, ``per-file-contexts``, ``include`` and ``exclude`` are matched the
way `ozml.files` matches ``--exclude``: against every run of consecutive path components of the
file's path relative to the configuration's folder, so ``legacy/*.xml`` matches
``calls/legacy/a.xml`` and ``*.xml`` matches any XML file.

The formatter's settings are the ``[format]`` table (``[tool.ozml.format]``), read into
`ozml.formatter.FormatOptions` (`format_options`); ``ozml check`` reads them only to validate.

A bad configuration raises `ConfigError`, whose message names the file, the key and what is
allowed; ``ozml check`` prints it and exits 2.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ozml.catalog import Context
from ozml.files import Matcher, glob_matcher
from ozml.lint.settings import LintSettings
from ozml.lint.suggest import closest
from ozml.record import Record
from ozml.severity import Severity

if TYPE_CHECKING:
    from pathlib import Path

    from ozml.formatter import FormatOptions
    from ozml.tomlpositions import TomlPositions

CONFIG_NAMES = ("ozml.toml", "pyproject.toml")

KEYS: dict[str, str] = {
    "select": "rules to check: codes (OZ201), prefixes (OZ2), rule names, or ALL",
    "extend-select": "rules to check besides `select`",
    "ignore": "rules not to check",
    "per-file-ignores": "glob → rules not to check in matching files",
    "severity": "rule → info, warning or error",
    "context": "the default context: extension, 3pcc, routing or any",
    "per-file-contexts": "glob → context for matching files",
    "known-variables": "variable and array names supplied from outside the document",
    "include": "globs of the files to check in folders (default *.xml, *.ozml)",
    "exclude": "globs of files and folders not to check",
    "fail-on": "the least severity that makes ozml check exit 1: info, warning or error",
    "max-bytes": "files larger than this many bytes are reported, not parsed",
    "templates": "server-side template syntaxes read as dynamic values: php, asp, jinja, el"
    " (default all; [] for none)",
    "format": "a table of the formatter's settings (ozml fmt; docs/formatter.md)",
    "respect-gitignore": "leave out what .gitignore, .ignore and git's excludes ignore"
    " (default true)",
    "force-exclude": "apply exclude globs and ignore files to files named on the command line"
    " too (default false)",
}

#: The tables that describe the application's documents for the project rules (docs/project.md).
PROJECT_KEYS: dict[str, str] = {
    "urls": "a table: URL of the application → the local file or folder answering it",
    "entry-points": "a table: notification → globs of the documents answering it",
}


#: Tables of the same file that other parts of ozml read (``[api]``: the HTTP API client,
#: ozml.api.credentials); they are not lint settings.
OTHER_TABLES = frozenset({"api"})

#: The keys of the ``[api]`` table (``[tool.ozml.api]``), whose values the HTTP API client reads
#: (`ozml.api.credentials`, docs/live-pbx.md). Every command that loads a configuration checks
#: the table's keys against these, as it checks every other table's: a typo there is the same
#: error for ``ozml check`` as for ``ozml api``.
API_KEYS: dict[str, str] = {
    "url": "the PBX's HTTP API (default http://127.0.0.1:9509)",
    "username": "the API user (OZML_USERNAME wins)",
    "password": "the API user's password (OZML_PASSWORD wins)",
    "timeout": "seconds one request may take in all (default 10)",
    "wire-names": 'a table: "Command.Param" to the spelling sent to the PBX',
}

#: Every key a configuration may hold, in the order an unknown key's message lists them: the lint
#: settings, the project tables, then the tables other parts of ozml read.
_ACCEPTED: tuple[str, ...] = (*KEYS, *PROJECT_KEYS, *sorted(OTHER_TABLES))


class ConfigError(Exception):
    """A configuration file that cannot be used; the message says where and what is allowed."""


def _display(path: Path) -> str:
    """The path relative to the current folder when it is below it, else absolute."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


class Config(Record):
    """One configuration file, validated. `root` is the folder its globs are relative to."""

    path: Path
    #: ``[tool.ozml]`` when the settings are in that table, else "".
    table: str
    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    severities: tuple[tuple[str, Severity], ...]
    context: Context | None
    per_file_contexts: tuple[tuple[str, Context], ...]
    known_variables: tuple[str, ...]
    include: tuple[str, ...] | None
    exclude: tuple[str, ...]
    fail_on: Severity | None
    max_bytes: int | None
    #: The template syntaxes (canonical names, `ozml.templates`); None: the default (all).
    templates: frozenset[str] | None
    #: The ``[format]`` table (`ozml.formatter.FormatOptions`); None when there is none.
    format: FormatOptions | None
    #: ``respect-gitignore`` and ``force-exclude``; None: not set (the command line decides).
    respect_gitignore: bool | None
    force_exclude: bool | None
    #: The ``[urls]`` table: (URL, file or folder as written), validated
    #: (`ozml.project.urlmap.UrlMap.from_config` reads it).
    urls: tuple[tuple[str, str], ...]
    #: The ``[entry-points]`` table: (notification, globs relative to `root`).
    entry_points: tuple[tuple[str, tuple[str, ...]], ...]
    #: What the file asks for that cannot be done (naming OZ001 in ``ignore``), for users.
    warnings: tuple[str, ...]

    #: Two configurations that ask the same are equal, whatever they warned about.
    _UNCOMPARED = frozenset({"warnings"})

    def __init__(
        self,
        path: Path,
        table: str = "",
        select: tuple[str, ...] | None = None,
        extend_select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
        severities: tuple[tuple[str, Severity], ...] = (),
        context: Context | None = None,
        per_file_contexts: tuple[tuple[str, Context], ...] = (),
        known_variables: tuple[str, ...] = (),
        include: tuple[str, ...] | None = None,
        exclude: tuple[str, ...] = (),
        fail_on: Severity | None = None,
        max_bytes: int | None = None,
        templates: frozenset[str] | None = None,
        format: FormatOptions | None = None,
        respect_gitignore: bool | None = None,
        force_exclude: bool | None = None,
        urls: tuple[tuple[str, str], ...] = (),
        entry_points: tuple[tuple[str, tuple[str, ...]], ...] = (),
        warnings: tuple[str, ...] = (),
    ) -> None:
        self._assign(locals())

    @property
    def root(self) -> Path:
        from pathlib import Path  # a clean run without a configuration never needs it

        return Path(os.path.abspath(self.path.parent))

    @property
    def label(self) -> str:
        """``pyproject.toml [tool.ozml]`` or ``calls/ozml.toml``, for messages."""
        shown = _display(self.path)
        return f"{shown} {self.table}" if self.table else shown

    def relative(self, path: str | Path) -> str:
        """`path` relative to the configuration's folder, with ``/`` (string work only)."""
        absolute = os.path.abspath(path)
        root = str(self.root)
        if absolute.startswith(root.rstrip(os.sep) + os.sep):
            absolute = absolute[len(root.rstrip(os.sep)) + 1 :]
        return absolute.replace(os.sep, "/")


# --- reading and validating ----------------------------------------------------------------------


def load(path: Path) -> Config | None:
    """The configuration in `path`; None for a pyproject.toml without ``[tool.ozml]``."""
    found = _load(path)
    return found.config if found is not None else None


def _load(path: Path) -> _Loaded | None:
    """The configuration in `path`, validated, with the table its settings were read from."""
    # Only when there is a configuration to read (cold start, DESIGN.md).
    from ozml.dataformats import DataError, load_toml
    from ozml.files import ReadError, not_utf8, read_file, unreadable

    shown = _display(path)
    text = ""
    try:
        text = read_file(path).decode("utf-8")
        data = load_toml(text)
    except DataError as error:
        from ozml.tomlpositions import invalid_toml

        raise ConfigError(invalid_toml(shown, text, str(error))) from None
    except UnicodeDecodeError as error:
        raise ConfigError(not_utf8(shown, error)) from None
    except ReadError as error:
        raise ConfigError(unreadable(shown, error)) from None
    table = ""
    tool = data.get("tool")
    if path.name == "pyproject.toml":
        section = tool.get("ozml") if isinstance(tool, dict) else None
        if section is None:
            return None
        table = "[tool.ozml]"
    elif isinstance(tool, dict) and "ozml" in tool:
        section = tool["ozml"]
        outside: list[tuple[str, ...]] = [(key,) for key in sorted(set(data) - {"tool"})]
        outside += [("tool", key) for key in sorted(set(tool) - {"ozml"})]
        if outside:
            raise _Reader(path, "", text).fail(
                "", "settings go either at the top level or under [tool.ozml], not both"
                f" (found {', '.join(keys[-1] for keys in outside)} outside [tool.ozml])",
                outside[0], value=False,
            )
        table = "[tool.ozml]"
    else:
        section = data
    read = _Reader(path, table, text)
    if not isinstance(section, dict):
        raise read.fail("", "must be a table", ())  # named by `where`: "[tool.ozml] must..."
    return _Loaded(_validate(read, section), section, read)


class _Loaded(Record):
    """A configuration, its settings' table as read, and its reader (positions, for messages
    about values read later: `api_table`)."""

    config: Config
    section: Mapping[str, Any]
    read: _Reader

    def __init__(self, config: Config, section: Mapping[str, Any], read: _Reader) -> None:
        self._assign(locals())


def load_explicit(path: Path) -> Config:
    """The configuration in a file named by ``--config``: it must exist and hold settings.

    Any file name is allowed; a ``pyproject.toml`` must have a ``[tool.ozml]`` table, and any
    other file holds the settings at its top level or under ``[tool.ozml]``. A missing file, or
    one that is not a regular file, is a `ConfigError`.
    """
    return _load_explicit(path).config


def _load_explicit(path: Path) -> _Loaded:
    from ozml.files import unreadable

    shown = _display(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise ConfigError(unreadable(shown, error)) from None
    if stat.S_ISDIR(mode):
        raise ConfigError(f"{shown}: is a folder; --config takes a file")
    found = _load(path)
    if found is None:
        raise ConfigError(f"{shown}: has no [tool.ozml] table")
    return found


def api_table(path: Path, *, explicit: bool = False) -> Mapping[str, Any]:
    """The ``[api]`` table of the configuration in `path` (``[tool.ozml.api]``; empty when it
    has none), for the HTTP API client to read its values.

    The whole configuration is loaded and validated first, as for every command that loads
    it: an unknown key in any table (``[api]`` too, against `API_KEYS`) is the same
    `ConfigError`. The URL is then also checked as the client's HTTP library reads it, which
    only the client loads (`ozml.api.credentials.check_table`): a URL it refuses is an error
    at its place in the file. `explicit`: the file was named by ``--config``
    (`load_explicit`'s rules).
    """
    found = _load_explicit(path) if explicit else _load(path)
    if found is None:
        return {}
    table = found.section.get("api", {})
    if not isinstance(table, dict):
        return {}
    _check_api(found.read, table, strict=True)
    return table


class _Reader:
    """Reads the settings of one file; every error names the file, the position of the key or
    value it is about (`ozml.tomlpositions`), the key and what is allowed."""

    def __init__(self, path: Path, table: str, text: str = "") -> None:
        self.path = path
        self.shown = _display(path)
        self.table_name = table
        #: The path of the settings' table in the file (``[tool.ozml]``'s, or the root).
        self.base: tuple[str, ...] = ("tool", "ozml") if table else ()
        #: The file's text, where a message finds its key or value (`where`).
        self.text = text
        self._positions: TomlPositions | None = None
        #: What the file asks for that cannot be done, for users (the file is still valid).
        self.warnings: list[str] = []

    def where(
        self, at: Sequence[str | int], *, value: bool = True, table: bool = True
    ) -> str:
        """``ozml.toml:3:10: [tool.ozml] ``: the start of a message about the value (or, with
        `value` false, the key) at `at`, a path in the settings' table; with `table` false,
        without the table's name."""
        from ozml.tomlpositions import TomlPositions, located

        if self._positions is None and self.text:
            # Only for a message: a valid file is never scanned (cold start, DESIGN.md).
            self._positions = TomlPositions(self.text)
        where = located(self.shown, self._positions, (*self.base, *at), value=value)
        name = self.table_name + " " if self.table_name and table else ""
        return f"{where}: {name}"

    def fail(
        self, key: str, message: str, at: Sequence[str | int], *, value: bool = True
    ) -> ConfigError:
        """The error about `key` (as messages name it) whose value (or, with `value` false,
        whose key) is at the path `at`."""
        return ConfigError(f"{self.where(at, value=value)}{key + ': ' if key else ''}{message}")

    def fail_at(self, table: str, key: str, message: str) -> ConfigError:
        """An error about the entry `key` of the table `table`, at its key
        (``ozml.toml:4:1: urls "http://...": message``)."""
        return self.fail(f"{table} {_quoted_key(key)}", message, (table, key), value=False)

    def known_keys(self, key: str, table: Mapping[str, Any], allowed: Sequence[str]) -> None:
        """An error for the first key of the table `key` that is not `allowed`, worded as
        for an unknown key at the top level (``ozml.toml:2:1: api.urll: unknown key; ...``)."""
        strange = next((name for name in table if name not in allowed), None)
        if strange is not None:
            raise self.fail(
                f"{key}.{strange}", _unknown_key(strange, allowed), (key, strange), value=False
            )

    def strings(self, key: str, value: Any, at: Sequence[str | int]) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"expected a list of strings, found {_shown(value)}", at)
        return value

    def globs(self, key: str, value: Any, at: Sequence[str | int]) -> tuple[str, ...]:
        found = tuple(self.strings(key, value, at))
        for index, glob in enumerate(found):
            self.glob(key, glob, (*at, index))
        return found

    def glob(self, key: str, glob: str, at: Sequence[str | int], *, value: bool = True) -> str:
        try:
            glob_matcher(glob)
        except ValueError as error:
            raise self.fail(key, str(error), at, value=value) from None
        return glob

    def ignorable(self, key: str, value: Any, at: Sequence[str | int]) -> tuple[str, ...]:
        """Codes to leave out or weaken; naming one of OZ001-OZ003 is warned about (it stays
        on whatever the configuration says)."""
        found = self.codes(key, value, at)
        message = unchecked_named(found)
        if message is not None:
            self.warnings.append(f"{self.where(at, value=False)}{key}: {message}")
        return found

    def codes(self, key: str, value: Any, at: Sequence[str | int]) -> tuple[str, ...]:
        out: list[str] = []
        for index, item in enumerate(self.strings(key, value, at)):
            try:
                out.append(normalise_code(item))
            except ValueError as error:
                raise self.fail(key, str(error), (*at, index)) from None
        return tuple(out)

    def table(self, key: str, value: Any, at: Sequence[str | int]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table, found {_shown(value)}", at)
        return value

    def context(self, key: str, value: Any, at: Sequence[str | int]) -> Context:
        if not isinstance(value, str):
            raise self.fail(key, f"expected a string, found {_shown(value)}", at)
        try:
            return Context.parse(value)
        except ValueError as error:
            raise self.fail(key, str(error), at) from None

    def boolean(self, key: str, value: Any, at: Sequence[str | int]) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, found {_shown(value)}", at)
        return value

    def templates(self, key: str, value: Any, at: Sequence[str | int]) -> frozenset[str]:
        from ozml.syntaxes import names

        written = self.strings(key, value, at)
        for index, name in enumerate(written):
            try:
                names([name])
            except ValueError as error:
                raise self.fail(key, str(error), (*at, index)) from None
        return names(written)

    def severity(self, key: str, value: Any, at: Sequence[str | int]) -> Severity:
        if not isinstance(value, str):
            raise self.fail(key, f"expected a string, found {_shown(value)}", at)
        try:
            return Severity.parse(value)
        except ValueError as error:
            raise self.fail(key, str(error), at) from None


def _quoted_key(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shown(value: object) -> str:
    kinds = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "a table"}
    return kinds.get(type(value), type(value).__name__) + f" ({value!r})"


def unchecked_named(codes: Sequence[str]) -> str | None:
    """A warning when `codes` name one of OZ001-OZ003 itself, which no setting can turn off
    or weaken (`ozml.lint.settings` keeps them on); prefixes and ALL are not warned about."""
    from ozml.diagnostics import UNCHECKED_DOCUMENT

    named = [code for code in codes if code in UNCHECKED_DOCUMENT]
    if not named:
        return None
    return (
        f"{', '.join(named)} cannot be ignored or weakened, and stay on: a document that is not"
        " well-formed, has a DTD or is too large is never checked, so it always fails the run"
    )


def normalise_code(item: str) -> str:
    """``ALL``, a code, a code prefix (``OZ2``) or a rule name, as a code or prefix."""
    from ozml.lint import registry  # loads every rule: only when codes are named

    text = item.strip()
    upper = text.upper()
    if upper and (upper == "ALL" or any(code.startswith(upper) for code in registry.BY_CODE)):
        return upper
    rule = registry.find(text)
    if rule is not None:
        return rule.code
    guess = closest(text, [*registry.BY_CODE, *registry.BY_NAME])
    hint = f"; did you mean {guess!r}?" if guess else " (see `ozml rules`)"
    raise ValueError(f"{item!r} is not a rule code, code prefix or rule name{hint}")


def _validate(read: _Reader, data: Mapping[str, Any]) -> Config:
    unknown = sorted(set(data) - set(_ACCEPTED))
    if unknown:
        key = unknown[0]
        from ozml.formatter import FORMAT_KEYS

        if key in FORMAT_KEYS:
            table = "[tool.ozml.format]" if read.table_name else "[format]"
            raise read.fail(
                key,
                f"unknown key here; {key} is a formatter setting: put it in the {table} table"
                " (docs/formatter.md)",
                (key,), value=False,
            )
        raise read.fail(key, _unknown_key(key, _ACCEPTED), (key,), value=False)
    path = read.path
    options: dict[str, Any] = {"path": path, "table": read.table_name}
    handlers: dict[str, Callable[[str, Any, tuple[str]], object]] = {
        "select": read.codes,
        "extend-select": read.codes,
        "ignore": read.ignorable,
        "known-variables": lambda k, v, at: tuple(read.strings(k, v, at)),
        "include": read.globs,
        "exclude": read.globs,
        "context": read.context,
        "fail-on": read.severity,
        "templates": read.templates,
        "respect-gitignore": read.boolean,
        "force-exclude": read.boolean,
    }
    for key, value in data.items():
        attribute = key.replace("-", "_")
        at = (key,)
        if key in handlers:
            options[attribute] = handlers[key](key, value, at)
        elif key == "per-file-ignores":
            options[attribute] = tuple(
                (
                    read.glob(key, glob, (key, glob), value=False),
                    read.ignorable(f"{key} {glob!r}", codes, (key, glob)),
                )
                for glob, codes in read.table(key, value, at).items()
            )
        elif key == "per-file-contexts":
            options[attribute] = tuple(
                (
                    read.glob(key, glob, (key, glob), value=False),
                    read.context(f"{key} {glob!r}", ctx, (key, glob)),
                )
                for glob, ctx in read.table(key, value, at).items()
            )
        elif key == "severity":
            levels = read.table(key, value, at)
            for name, level in levels.items():
                if str(level).strip().lower() != "error":
                    read.ignorable(f"{key} {name!r}", [name], (key, name))
            options["severities"] = tuple(
                (code, read.severity(f"{key} {name!r}", level, (key, name)))
                for name, level in levels.items()
                for code in _expand(read, f"{key} {name!r}", name, (key, name))
            )
        elif key == "max-bytes":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise read.fail(
                    key, f"expected a positive whole number, found {_shown(value)}", at
                )
            options[attribute] = value
        elif key == "urls":
            options[attribute] = _urls(read, path, read.table(key, value, at))
        elif key == "entry-points":
            options[attribute] = _entry_points(read, read.table(key, value, at))
        elif key == "api":
            # Its values are the client's to read (`api_table`); its keys are checked here.
            # A value is never shown: this table holds credentials.
            if not isinstance(value, dict):
                raise read.fail(key, "expected a table", at, value=False)
            read.known_keys(key, value, tuple(API_KEYS))
            _check_api(read, value)
        elif key == "format":
            from ozml.formatter import FORMAT_KEYS, FormatOptions, SettingError

            layout = read.table(key, value, at)
            read.known_keys(key, layout, tuple(FORMAT_KEYS))
            try:
                options[attribute] = FormatOptions.from_table(layout)
            except SettingError as error:
                raise read.fail(f"{key}.{error.key}", error.reason, (key, error.key)) from None
    options["warnings"] = tuple(read.warnings)
    return Config(**options)


def _check_api(read: _Reader, table: Mapping[str, Any], *, strict: bool = False) -> None:
    """A `ConfigError` at the first value of the ``[api]`` table the client cannot use
    (`ozml.api.credentials.check_table`; `strict`: also as httpx reads a URL). The message
    never shows a value but the timeout's: the table holds credentials."""
    from ozml.api.credentials import TableError, check_table

    name = "[tool.ozml.api]" if read.table_name else "[api]"
    try:
        check_table(table, name=name, strict=strict)
    except TableError as error:
        where = read.where(("api", *error.key), table=False)
        raise ConfigError(f"{where}{error}") from None


def _unknown_key(key: str, allowed: Sequence[str]) -> str:
    """What an unknown `key` is told: the allowed key most like it, if one is, and them all."""
    guess = closest(key, allowed)
    hint = f"; did you mean {guess!r}?" if guess else ""
    return f"unknown key{hint} (allowed: {', '.join(allowed)})"


def _urls(read: _Reader, path: Path, table: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The ``[urls]`` table, each entry checked as `ozml.project.urlmap` reads it."""
    from pathlib import Path

    from ozml.project.urlmap import UrlMapError, parse_entry

    root = Path(os.path.abspath(path.parent))
    out = []
    for order, (url, target) in enumerate(table.items()):
        try:
            parse_entry(url, target, root, order)
        except UrlMapError as error:
            raise read.fail_at("urls", url, error.message) from None
        out.append((url, target))
    return tuple(out)


def _entry_points(
    read: _Reader, table: Mapping[str, Any]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The ``[entry-points]`` table: a notification name → a glob or a list of globs."""
    from ozml.callmodel.notifications import KINDS

    out = []
    for name, globs in table.items():
        if name not in KINDS:
            guess = closest(name, list(KINDS))
            hint = f"did you mean {guess!r}? " if guess else ""
            raise read.fail_at(
                "entry-points", name, f"not a notification; {hint}(known: {', '.join(KINDS)})"
            )
        written = [globs] if isinstance(globs, str) else globs
        if not isinstance(written, list) or not all(isinstance(g, str) for g in written):
            raise read.fail_at(
                "entry-points", name, f"expected a glob or a list of globs, found {_shown(globs)}"
            )
        for glob in written:
            try:
                glob_matcher(glob)
            except ValueError as error:
                raise read.fail_at("entry-points", name, str(error)) from None
        out.append((name, tuple(written)))
    return tuple(out)


def _expand(read: _Reader, key: str, name: str, at: Sequence[str | int]) -> list[str]:
    """The codes a severity key stands for (a code, prefix, name or ALL)."""
    try:
        code = normalise_code(name)
    except ValueError as error:
        raise read.fail(key, str(error), at, value=False) from None
    from ozml.lint import registry

    return [c for c in registry.BY_CODE if code == "ALL" or c.startswith(code)]


# --- finding the configuration of a file ---------------------------------------------------------


def find(start: Path) -> Config | None:
    """The nearest configuration at or above `start` (a folder), or None."""
    return Resolver().config_in(start)


class Overrides(Record):
    """What the command line says; it wins over every configuration."""

    context: Context | None
    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    fail_on: Severity | None
    max_bytes: int | None
    known_variables: tuple[str, ...]
    #: ``--templates``: the template syntaxes (canonical names); None: the configuration's.
    templates: frozenset[str] | None

    def __init__(
        self,
        context: Context | None = None,
        select: tuple[str, ...] | None = None,
        extend_select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        fail_on: Severity | None = None,
        max_bytes: int | None = None,
        known_variables: tuple[str, ...] = (),
        templates: frozenset[str] | None = None,
    ) -> None:
        self._assign(locals())


class Resolved(Record):
    """A file's settings and where each of the file-specific parts came from."""

    settings: LintSettings
    config: Config | None
    #: The per-file-ignores globs that matched.
    ignores_from: tuple[str, ...]

    def __init__(
        self,
        settings: LintSettings,
        config: Config | None,
        ignores_from: tuple[str, ...] = (),
    ) -> None:
        self._assign(locals())


class Resolver:
    """Maps files to their settings; configurations and settings are cached per folder and key.

    Files with the same configuration and the same matching globs share one `LintSettings`
    object, so that a caller can cache per settings object (the rules to run, a cache key).
    """

    def __init__(
        self,
        overrides: Overrides | None = None,
        *,
        isolated: bool = False,
        warn: Callable[[str], None] | None = None,
        config_file: Path | None = None,
    ) -> None:
        self.overrides = overrides or Overrides()
        #: Ignore every configuration file (``--isolated``).
        self.isolated = isolated
        #: ``--config FILE``: this configuration for every file, none looked up. Loaded now, so
        #: that a bad or missing file is a `ConfigError` before any file is checked.
        self.config_file: Config | None = None
        #: Whether a configuration this resolver has read maps URLs (`Config.urls`): while
        #: none does, a run has no project pass to start (`ozml.cli.check`).
        self.maps_urls = False
        if config_file is not None and not isolated:
            self.config_file = load_explicit(config_file)
            self.maps_urls = bool(self.config_file.urls)
            if warn is not None:
                for warning in self.config_file.warnings:
                    warn(warning)
        #: Told, once per configuration file, of its `Config.warnings`.
        self.warn = warn
        #: Absolute folder -> its configuration (strings: pathlib costs every start).
        self._folders: dict[str, Config | None] = {}
        self._written: dict[str, Config | None] = {}
        self._settings: dict[tuple[object, ...], Resolved] = {}
        #: Each configuration's exclude globs (`excludes`), by its path.
        self._excluders: dict[str, Matcher] = {}

    def config_in(self, folder: str | Path) -> Config | None:
        """The nearest configuration at or above `folder` (``--config``'s, when given)."""
        if self.isolated:
            return None
        if self.config_file is not None:
            return self.config_file
        # Looked up once per folder as written: a run asks for every file, and building Path
        # objects for each would cost more than checking a clean file.
        written = os.fspath(folder)
        if written in self._written:
            return self._written[written]
        found = self._config_in(os.path.abspath(written))
        self._written[written] = found
        return found

    def _config_in(self, folder: str) -> Config | None:
        visited: list[str] = []
        found: Config | None = None
        current: str | None = folder
        while current is not None:
            if current in self._folders:
                found = self._folders[current]
                break
            visited.append(current)
            found = _config_here(current)
            if found is not None:
                if found.urls:
                    self.maps_urls = True
                if self.warn is not None:
                    for warning in found.warnings:
                        self.warn(warning)
                break
            parent = os.path.dirname(current)
            current = parent if parent != current else None
        for seen in visited:
            self._folders[seen] = found
        return found

    def config_for(self, path: str | Path) -> Config | None:
        """The configuration of a file (or, for a folder, of the files in it)."""
        file = os.fspath(path)
        return self.config_in(file if os.path.isdir(file) else os.path.dirname(file) or os.curdir)

    def excludes(self, config: Config, path: str | Path) -> bool:
        """Whether `config`'s ``exclude`` leaves out the file at `path`, its globs matched
        against the path from the configuration's folder (as for a file named explicitly:
        the built-in excludes, such as ``.git``, apply to walked folders only). A file outside
        that folder (a ``--config`` file's, kept elsewhere) has no such path: False."""
        if not config.exclude:
            return False
        relative = config.relative(path)
        if os.path.isabs(relative):
            return False
        key = str(config.path)
        matcher = self._excluders.get(key)
        if matcher is None:
            matcher = self._excluders[key] = Matcher(None, config.exclude)
        return matcher.excluded(relative, walked=False)

    def _matches(self, glob: str, relative: str) -> bool:
        return glob_matcher(glob).included(relative)

    def resolve(self, path: str | Path) -> Resolved:
        """The settings of the file at `path`, with their origins."""
        config = self.config_in(os.path.dirname(os.fspath(path)) or os.curdir)
        if config is None:
            key: tuple[object, ...] = (None,)
            ignores: tuple[str, ...] = ()
            context: tuple[str, Context] | None = None
        else:
            relative = config.relative(path)
            ignores = tuple(g for g, _ in config.per_file_ignores if self._matches(g, relative))
            context = next(
                ((g, c) for g, c in config.per_file_contexts if self._matches(g, relative)), None
            )
            key = (config.path, ignores, context)
        found = self._settings.get(key)
        if found is None:
            found = self._settings[key] = Resolved(
                self._build(config, ignores, context), config, ignores
            )
        return found

    def settings_for(self, path: str | Path) -> LintSettings:
        return self.resolve(path).settings

    def resolve_folder(self, folder: str | Path) -> Resolved:
        """The settings a folder's files get before any per-file glob applies."""
        config = self.config_in(folder)
        return Resolved(self._build(config, (), None), config)

    def _build(
        self, config: Config | None, ignores: tuple[str, ...], context: tuple[str, Context] | None
    ) -> LintSettings:
        cli = self.overrides
        options: dict[str, Any] = {}
        if cli.context is not None:
            options.update(context=cli.context, context_origin="--context", context_locked=True)
        elif config is not None and context is not None:
            options.update(
                context=context[1],
                context_origin=f"{config.label} per-file-contexts {context[0]!r}",
            )
        elif config is not None and config.context is not None:
            options.update(context=config.context, context_origin=f"{config.label} context")
        select = cli.select if cli.select is not None else (config.select if config else None)
        if select is not None:
            options["select"] = select
        extend = (config.extend_select if config else ()) + cli.extend_select
        options["extend_select"] = extend
        ignore = list(config.ignore if config else ()) + list(cli.ignore)
        if config is not None:
            per_file = dict(config.per_file_ignores)
            for glob in ignores:
                ignore.extend(per_file[glob])
        options["ignore"] = ignore
        if config is not None and config.severities:
            options["severities"] = dict(config.severities)
        known = (config.known_variables if config else ()) + cli.known_variables
        options["known_variables"] = frozenset(known)
        fail_on = cli.fail_on or (config.fail_on if config else None)
        if fail_on is not None:
            options["fail_on"] = fail_on
        max_bytes = cli.max_bytes or (config.max_bytes if config else None)
        if max_bytes is not None:
            options["max_bytes"] = max_bytes
        templates = cli.templates if cli.templates is not None else (
            config.templates if config else None
        )
        if templates is not None:
            options["templates"] = templates
        return LintSettings(**options)


def _config_here(folder: str) -> Config | None:
    for name in CONFIG_NAMES:
        candidate = os.path.join(folder, name)
        try:
            folder_named_so = stat.S_ISDIR(os.stat(candidate).st_mode)
        except OSError:
            # Missing, or in a folder that cannot be searched: there is no configuration here
            # that ozml could read, so the lookup goes on above.
            continue
        if not folder_named_so:  # a pipe or a device is refused by `load`, with its name
            from pathlib import Path

            found = load(Path(candidate))
            if found is not None:
                return found
    return None


# --- showing the resolved settings ---------------------------------------------------------------


def describe(resolver: Resolver, path: str) -> list[str]:
    """The lines ``ozml check --show-settings PATH`` prints."""
    resolved = resolver.resolve_folder(path) if os.path.isdir(path) else resolver.resolve(path)
    settings, config = resolved.settings, resolved.config
    from ozml.lint import registry

    mapped = config is not None and bool(config.urls)  # the project rules run only then
    rules = [r for r in registry.RULES if mapped or not r.project_rule]
    enabled = [rule.code for rule in rules if settings.enabled(rule.code)]
    lines = [f"Settings for {'the files in ' if os.path.isdir(path) else ''}{path}"]
    lines.append(f"  configuration: {config.label if config else '(none found; defaults)'}")
    lines.append(f"  context: {settings.context.value} (from {settings.context_origin})")
    # None is every rule; an empty selection (``select = []``) none but extend-select's.
    chosen = "ALL" if settings.select is None else _list(sorted(settings.select))
    lines.append(f"  select: {chosen}")
    lines.append(f"  extend-select: {_list(sorted(settings.extend_select))}")
    ignored = _list(sorted(settings.ignore))
    if resolved.ignores_from:
        ignored += f" (per-file-ignores: {_list(resolved.ignores_from)})"
    lines.append(f"  ignore: {ignored}")
    severities = ", ".join(f"{c}={s.label}" for c, s in sorted(settings.severities.items()))
    lines.append(f"  severity: {severities or '-'}")
    lines.append(f"  known-variables: {_list(sorted(settings.known_variables))}")
    lines.append(f"  fail-on: {settings.fail_on.label}")
    lines.append(f"  max-bytes: {settings.max_bytes}")
    lines.append(f"  templates: {_list(sorted(settings.templates))}")
    if config is not None:
        lines.append(f"  include: {_list(config.include) if config.include else '*.xml, *.ozml'}")
        lines.append(f"  exclude: {_list(config.exclude)}")
        if config.respect_gitignore is not None:
            lines.append(f"  respect-gitignore: {str(config.respect_gitignore).lower()}")
        if config.force_exclude is not None:
            lines.append(f"  force-exclude: {str(config.force_exclude).lower()}")
        if config.urls:
            count = len(config.urls)
            lines.append(f"  urls: {count} entries (the project rules run: docs/project.md)")
        if config.entry_points:
            lines.append(f"  entry-points: {_list([name for name, _ in config.entry_points])}")
    lines.append(f"  rules enabled ({len(enabled)}): {_list(enabled)}")
    lines.append(f"  format: {format_line(format_options(config))}")
    return lines


def format_options(config: Config | None) -> FormatOptions:
    """The formatter's settings of a configuration (the defaults without a ``[format]`` table)."""
    if config is not None and config.format is not None:
        return config.format
    from ozml.formatter import DEFAULT_OPTIONS

    return DEFAULT_OPTIONS


def format_line(options: FormatOptions) -> str:
    """``line-length=100, indent-width=2, ...``: the settings as `--show-settings` shows them."""
    shown = {True: "true", False: "false"}
    return ", ".join(
        f"{key}={shown[value] if isinstance(value, bool) else value}"
        for key, value in options.items()
    )


def _list(items: Sequence[str] | frozenset[str]) -> str:
    return ", ".join(items) if items else "-"


__all__ = [
    "CONFIG_NAMES",
    "KEYS",
    "PROJECT_KEYS",
    "Config",
    "ConfigError",
    "Overrides",
    "Resolved",
    "Resolver",
    "describe",
    "find",
    "format_line",
    "format_options",
    "load",
    "load_explicit",
    "normalise_code",
]
