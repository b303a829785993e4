"""The URL map: which local file answers which URL of the application (docs/project.md).

An Ozeki application is rarely one document: the PBX fetches further OzML from the URLs that
GoTo, UserInput's ForwardToUrl, Call's Url and the other URL parameters name. The ``[urls]``
table of the configuration says which local file answers which URL, in three kinds of entry:

* exact: ``"http://ivr.example.com/menu.php" = "app/menu.xml"``;
* pattern: ``"http://ivr.example.com/{name}.php" = "app/{name}.xml"``, where ``{name}`` stands
  for the text of one path segment, or of one query parameter's value
  (``".../lang.php?lang={lang}"``);
* prefix: a URL whose path ends with ``/`` maps to a folder, the rest of the path kept verbatim.

A URL is matched after its scheme and host are lower-cased, a default port dropped and its
fragment left out. Query parameters match by name in any order; parameters an entry does not
name are ignored. The most specific entry wins: exact over pattern over prefix; of exact
entries the one naming more query parameters, of patterns the one with more literal text, of
prefixes the longest; then the first written.

A link value that holds a ``$variable`` or a server-side template part is dynamic: when every
dynamic part falls inside placeholders, the link targets every file matching the target with
those placeholders as globs (none: the link is dead); otherwise it is not followed. What is a
part and what is a variable is not this module's to say: the parts are where the parser found
them (`ozml.templates`, the one rule: ``&#123;{`` or a CDATA section's ``{{`` is literal text),
and the variables are `ozml.templates.variables` of the value, as ``ozml check`` and the dry
run read them.

This module is usable without the linter (the dry run and the simulator use it): it imports
nothing from ``ozml.lint``, ``ozml.interpreter`` or ``ozml.cli``.
"""

from __future__ import annotations

import enum
import glob
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, urlsplit

import attrs

from ozml import templates, xmlspace
from ozml.templates import Spans

__all__ = [
    "Entry",
    "EntryKind",
    "Target",
    "TargetKind",
    "UrlMap",
    "UrlMapError",
    "UrlMapSource",
]

#: Stands for one dynamic part of a link value while it is matched: a private-use character
#: no literal text of an entry holds, so only a placeholder can match it.
DYNAMIC = "\ue0ff"
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BRACES = re.compile(r"[{}]")
_ADJACENT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}\{")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UrlMapError(ValueError):
    """A ``[urls]`` entry that cannot be used: `key` is the entry's URL, `message` says why."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


class EntryKind(enum.Enum):
    EXACT = "exact"
    PATTERN = "pattern"
    PREFIX = "prefix"


#: How entries of each kind rank: a lower rank wins.
_RANK = {EntryKind.EXACT: 0, EntryKind.PATTERN: 1, EntryKind.PREFIX: 2}


@attrs.frozen
class Entry:
    """One ``[urls]`` entry, validated.

    `origin` is the scheme, host and port (``http://ivr.example.com:80``) it serves; `path` the
    URL path as written (a regular expression for a pattern); `query` the parameters it names
    (name → literal value, or a regular expression for a pattern); `target` the file or folder
    (absolute, normalised) with ``{name}`` placeholders kept for a pattern.
    """

    url: str
    target_written: str
    kind: EntryKind
    origin: str
    path: str
    query: tuple[tuple[str, str], ...]
    target: str
    order: int
    #: Patterns: the placeholder names, and the regular expressions of path and query values.
    names: tuple[str, ...] = ()
    path_re: re.Pattern[str] | None = attrs.field(default=None, eq=False)
    query_re: tuple[tuple[str, re.Pattern[str]], ...] = attrs.field(default=(), eq=False)
    #: How specific the entry is within its kind (more first).
    weight: int = 0

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (_RANK[self.kind], -self.weight, self.order)

    def build(self, values_by_name: Mapping[str, str]) -> str:
        """The URL of a pattern entry with each placeholder replaced (tests, ``ozml graph``)."""
        return _PLACEHOLDER.sub(lambda m: values_by_name[m.group(1)], self.url)


class TargetKind(enum.Enum):
    """What a link's URL leads to."""

    #: One or more files answer it (`Target.paths`).
    MAPPED = "mapped"
    #: An entry covers it, but no file answers: a dead link.
    DEAD = "dead"
    #: No entry covers it (`Target.own` says whether its host is the application's).
    UNMAPPED = "unmapped"
    #: A dynamic part stands outside any placeholder: not followed, nothing reported.
    DYNAMIC = "dynamic"
    #: Not an absolute http:// or https:// URL (relative, SQL, malformed): not followed.
    NOT_URL = "not-url"


@attrs.frozen
class Target:
    """Where a URL leads (`UrlMap.resolve`)."""

    kind: TargetKind
    url: str
    #: The files answering it (MAPPED), in path order.
    paths: tuple[Path, ...] = ()
    #: The entry that covers it (MAPPED, DEAD).
    entry: Entry | None = None
    #: The file, or for a dynamic link the glob, that would answer it (MAPPED, DEAD).
    expected: str = ""
    #: The link's value is dynamic (its parts inside placeholders were read as globs).
    dynamic: bool = False
    #: UNMAPPED: its scheme and host are those of an entry (the application's own URL).
    own: bool = False


class UrlMapSource(Protocol):
    """What `UrlMap.from_config` reads: `ozml.config.Config` has these."""

    @property
    def urls(self) -> tuple[tuple[str, str], ...]: ...

    @property
    def root(self) -> Path: ...


def _origin(scheme: str, host: str, port: int | None) -> str:
    scheme = scheme.lower()
    if port is None or _DEFAULT_PORTS.get(scheme) == port:
        return f"{scheme}://{host.lower()}"
    return f"{scheme}://{host.lower()}:{port}"


def _normalised(root: Path, written: str) -> str:
    """`written` (relative to `root`, or absolute) as a normalised absolute path; a path that
    goes upwards is allowed."""
    joined = os.path.join(os.fspath(root), written.replace("/", os.sep))
    return os.path.normpath(joined)


def parse_entry(url: str, target: object, root: Path, order: int = 0) -> Entry:
    """One entry of ``[urls]``; a `UrlMapError` says what is wrong with it."""
    if not isinstance(target, str):
        raise UrlMapError(url, f"expected a file or folder path as a string, found {target!r}")
    if not target.strip():
        raise UrlMapError(url, "the file or folder path is empty")
    if "\x00" in target:
        raise UrlMapError(url, "the file or folder path holds a NUL character")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UrlMapError(url, f"not a URL: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not url[len(scheme) + 1 :].startswith("//"):
        raise UrlMapError(url, "expected an absolute http:// or https:// URL")
    host = parts.hostname or ""
    if not host:
        raise UrlMapError(url, f"no host name after {scheme}://")
    if _BRACES.search(parts.netloc):
        raise UrlMapError(url, "a placeholder may stand in the path or a query value, not the host")
    if parts.fragment or url.endswith("#"):
        raise UrlMapError(url, "a fragment (#...) is never sent to the server: leave it out")
    if re.search(r"\s", url):
        raise UrlMapError(url, "a URL holds no white space (encode it as %20)")
    path = parts.path or "/"
    query = parse_qsl(parts.query, keep_blank_values=True)
    names_seen: dict[str, None] = {}
    for name, _ in query:
        if _BRACES.search(name):
            raise UrlMapError(url, f"a query parameter's name cannot be a placeholder ({name})")
        if name in names_seen:
            raise UrlMapError(url, f"the query parameter {name} is named twice")
        names_seen[name] = None
    placeholders = [m.group(1) for m in _PLACEHOLDER.finditer(path)]
    for _, value in query:
        placeholders += [m.group(1) for m in _PLACEHOLDER.finditer(value)]
    stray = _BRACES.search(_PLACEHOLDER.sub("", path + "".join(v for _, v in query)))
    if stray:
        raise UrlMapError(
            url, "a { or } that is not a placeholder; write {name} with a name of letters,"
            " digits and _"
        )
    seen: set[str] = set()
    for name in placeholders:
        if name in seen:
            raise UrlMapError(url, f"the placeholder {{{name}}} is used twice")
        seen.add(name)
    for segment in [*path.split("/"), *(v for _, v in query)]:
        if _ADJACENT.search(segment):
            raise UrlMapError(url, f"two placeholders side by side in {segment!r} cannot be told"
                                   " apart: put text between them")
    target_names = set(_PLACEHOLDER.findall(target))
    missing = sorted(target_names - set(placeholders))
    if missing:
        raise UrlMapError(
            url, f"the file path uses {{{missing[0]}}}, which the URL does not have"
        )
    if _BRACES.search(_PLACEHOLDER.sub("", target)):
        raise UrlMapError(url, "the file path has a { or } that is not a placeholder")
    origin = _origin(scheme, host, port)
    absolute = _normalised(root, target)
    if placeholders:
        # A placeholder never takes a / or \ into the file path; query values are compared
        # decoded, so a placeholder there takes any other character.
        path_re = re.compile(_pattern(path, "/\\?#"))
        query_re = tuple((name, re.compile(_pattern(value, "/\\"), re.S)) for name, value in query)
        literal = len(_PLACEHOLDER.sub("", path)) + sum(
            len(name) + len(_PLACEHOLDER.sub("", value)) for name, value in query
        )
        return Entry(url, target, EntryKind.PATTERN, origin, path, tuple(query), absolute, order,
                     names=tuple(placeholders), path_re=path_re, query_re=query_re,
                     weight=literal)
    if path.endswith("/"):
        if query:
            raise UrlMapError(url, "a prefix (a URL ending with /) takes no query")
        return Entry(url, target, EntryKind.PREFIX, origin, path, (), absolute, order,
                     weight=len(path))
    return Entry(url, target, EntryKind.EXACT, origin, path, tuple(query), absolute, order,
                 weight=len(query))


def _pattern(written: str, stop: str) -> str:
    """A regular expression for a written path or query value: each placeholder is a named
    group of one or more characters that are none of `stop`."""
    out: list[str] = []
    at = 0
    chars = f"[^{re.escape(stop)}]"
    for match in _PLACEHOLDER.finditer(written):
        out.append(re.escape(written[at : match.start()]))
        out.append(f"(?P<{match.group(1)}>{chars}+?)")
        at = match.end()
    out.append(re.escape(written[at:]))
    return "".join(out)


def _dynamic_spans(
    value: str, spans: Spans | None, syntaxes: frozenset[str], uses: Spans | None
) -> list[tuple[int, int]]:
    """Where the dynamic parts of `value` are: its template parts of `syntaxes` (at `spans`,
    where the parser found them; None: those `value` holds written as an attribute value) and
    its ``$variable`` uses (at `uses`; None: those `ozml.templates.variables` finds outside
    the parts)."""
    if spans is None:
        spans = templates.written_parts(value, syntaxes, attribute=True)
    found = list(templates.parts(value, spans, syntaxes))
    if uses is None:
        found += [m.span() for m in templates.variables(value, spans, syntaxes)]
    else:
        found += uses
    found.sort()  # two sorted runs: one merge
    return found


def _masked(
    value: str, spans: Spans | None, syntaxes: frozenset[str], uses: Spans | None
) -> tuple[str, bool]:
    """`value` with each dynamic part (`_dynamic_spans`) replaced by one `DYNAMIC` character."""
    dynamic = _dynamic_spans(value, spans, syntaxes, uses)
    if not dynamic:
        return value, False
    out: list[str] = []
    at = 0
    for start, end in dynamic:
        out.append(value[at:start])
        out.append(DYNAMIC)
        at = end
    out.append(value[at:])
    return "".join(out), True


class UrlMap:
    """The ``[urls]`` table of one configuration (`from_config`), and `resolve`."""

    def __init__(self, entries: Iterable[Entry], root: Path) -> None:
        self.root = root
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._exact: dict[tuple[str, str], list[Entry]] = {}
        self._patterns: dict[str, list[Entry]] = {}
        self._prefixes: dict[str, list[Entry]] = {}
        for entry in self.entries:
            if entry.kind is EntryKind.EXACT:
                self._exact.setdefault((entry.origin, entry.path), []).append(entry)
            elif entry.kind is EntryKind.PATTERN:
                self._patterns.setdefault(entry.origin, []).append(entry)
            else:
                self._prefixes.setdefault(entry.origin, []).append(entry)
        for group in (*self._exact.values(), *self._patterns.values(), *self._prefixes.values()):
            group.sort(key=lambda e: e.sort_key)
        self.origins = frozenset(e.origin for e in self.entries)
        #: Whether the file system has each path (asked once per path per map).
        self._exists: dict[str, bool] = {}
        self._globbed: dict[str, tuple[Path, ...]] = {}

    @classmethod
    def parse(cls, table: Mapping[str, object], root: Path) -> UrlMap:
        """The map of a ``[urls]`` table; `root` is the folder its paths are relative to.
        A bad entry raises `UrlMapError`."""
        return cls([parse_entry(url, target, root, i) for i, (url, target) in
                    enumerate(table.items())], root)

    @classmethod
    def from_config(cls, config: UrlMapSource | None) -> UrlMap | None:
        """The map of a configuration (`ozml.config.Config`, already validated), or None when
        it has no ``[urls]`` table."""
        if config is None or not config.urls:
            return None
        return cls.parse(dict(config.urls), config.root)

    def __bool__(self) -> bool:
        return bool(self.entries)

    # --- resolving -------------------------------------------------------------------------

    def resolve(
        self,
        url: str,
        syntaxes: Iterable[str] = templates.DEFAULT,
        spans: Spans | None = None,
        *,
        uses: Spans | None = None,
    ) -> Target:
        """Where `url` (a link's value) leads.

        `syntaxes` are the template syntaxes whose parts are dynamic (the document's
        ``templates`` setting, names or aliases); a ``$variable`` outside them always is.
        `spans` are where the parser found template parts in `url` (`Attribute.templates`,
        `ozml.templates.text_parts`: a ``&#123;{`` or a CDATA section's ``{{`` has none, and
        is literal text); None for a URL read from no document, whose parts are those it
        holds written as an attribute value (`ozml.templates.written_parts`).
        `uses` are where the ``$variable`` uses in `url` are, in order, outside its parts,
        when the caller knows them: a run's URL, whose variables the engine has filled in, has
        only those it left as written, and every other ``$`` in it is literal text
        (`ozml.interpreter.fetch.MapAnswers`). None: those `ozml.templates.variables` finds.
        """
        value = xmlspace.strip(url)  # the URL as the engine and project links read it
        if value != url and (spans or uses):
            lead = len(url) - len(xmlspace.lstrip(url))
            if spans:
                spans = tuple((start - lead, end - lead) for start, end in spans)
            if uses:
                uses = tuple((start - lead, end - lead) for start, end in uses)
        masked, dynamic = _masked(value, spans, templates.names(syntaxes), uses)
        try:
            parts = urlsplit(masked)
            port = parts.port
        except ValueError:
            kind = TargetKind.DYNAMIC if dynamic else TargetKind.NOT_URL
            return Target(kind, value, dynamic=dynamic)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not masked[len(scheme) + 1 :].startswith("//"):
            if DYNAMIC in masked[: len(scheme) + 3]:
                return Target(TargetKind.DYNAMIC, value, dynamic=True)
            return Target(TargetKind.NOT_URL, value, dynamic=dynamic)
        if DYNAMIC in parts.netloc:
            return Target(TargetKind.DYNAMIC, value, dynamic=True)
        host = parts.hostname or ""
        if not host:
            return Target(TargetKind.NOT_URL, value, dynamic=dynamic)
        origin = _origin(scheme, host, port)
        path = _without_dot_segments(parts.path or "/")
        query: dict[str, str] = {}
        for name, item in parse_qsl(parts.query, keep_blank_values=True):
            if DYNAMIC in name:
                return Target(TargetKind.DYNAMIC, value, dynamic=True)
            query.setdefault(name, item)
        found = self._exact_match(origin, path, query)
        if found is not None:
            return self._answer(value, found, found.target, dynamic)
        for entry in self._patterns.get(origin, ()):
            target = self._pattern_target(entry, path, query)
            if target is not None:
                return self._answer(value, entry, target, dynamic)
        for entry in self._prefixes.get(origin, ()):
            if path.startswith(entry.path):
                rest = path[len(entry.path) :]
                if DYNAMIC in rest:
                    return Target(TargetKind.DYNAMIC, value, entry=entry, dynamic=True)
                target = entry.target
                if rest:
                    target = os.path.normpath(os.path.join(entry.target, rest))
                return self._answer(value, entry, target, dynamic)
        if DYNAMIC in path:
            return Target(TargetKind.DYNAMIC, value, dynamic=True)
        return Target(TargetKind.UNMAPPED, value, dynamic=dynamic, own=origin in self.origins)

    def _exact_match(self, origin: str, path: str, query: Mapping[str, str]) -> Entry | None:
        for entry in self._exact.get((origin, path), ()):
            if all(query.get(name) == wanted for name, wanted in entry.query):
                return entry
        return None

    def _pattern_target(self, entry: Entry, path: str, query: Mapping[str, str]) -> str | None:
        """The target of a matching pattern entry, with each dynamic part of a placeholder as
        ``*`` (a glob then), or None when the entry does not match."""
        assert entry.path_re is not None
        match = entry.path_re.fullmatch(path)
        if match is None:
            return None
        captured = dict(match.groupdict())
        for name, pattern in entry.query_re:
            given = query.get(name)
            if given is None:
                return None
            found = pattern.fullmatch(given)
            if found is None:
                return None
            captured.update(found.groupdict())
        if any(DYNAMIC in text for text in captured.values()):
            # A glob: the literal parts escaped, each dynamic part a DYNAMIC (``*``).
            return _PLACEHOLDER.sub(
                lambda m: _glob_part(captured[m.group(1)]), glob.escape(entry.target)
            )
        return _PLACEHOLDER.sub(lambda m: captured[m.group(1)], entry.target)

    def _answer(self, url: str, entry: Entry, target: str, dynamic: bool) -> Target:
        if DYNAMIC in target:
            paths = self._glob(target)
            shown = target.replace(DYNAMIC, "*")
            kind = TargetKind.MAPPED if paths else TargetKind.DEAD
            return Target(kind, url, paths, entry, shown, dynamic=True)
        if self._is_file(target):
            return Target(TargetKind.MAPPED, url, (Path(target),), entry, target, dynamic)
        return Target(TargetKind.DEAD, url, (), entry, target, dynamic)

    def _is_file(self, path: str) -> bool:
        known = self._exists.get(path)
        if known is None:
            known = self._exists[path] = os.path.isfile(path)
        return known

    def _glob(self, pattern: str) -> tuple[Path, ...]:
        found = self._globbed.get(pattern)
        if found is None:
            wanted = pattern.replace(DYNAMIC, "*")
            found = tuple(
                Path(p) for p in sorted(glob.glob(wanted)) if os.path.isfile(p)
            )
            self._globbed[pattern] = found
        return found

    # --- the files the map names ------------------------------------------------------------

    def files(self, suffixes: Iterable[str] = (".xml", ".ozml")) -> Iterator[Path]:
        """Every existing file some entry can answer with: exact targets, the files matching
        a pattern's target (each placeholder a ``*``), and the files below a prefix's folder
        whose names end with one of `suffixes`. Each once, in entry order."""
        seen: set[str] = set()
        wanted = tuple(suffixes)
        for entry in sorted(self.entries, key=lambda e: e.order):
            if entry.kind is EntryKind.EXACT:
                candidates: Iterable[str] = (entry.target,) if self._is_file(entry.target) else ()
            elif entry.kind is EntryKind.PATTERN:
                candidates = [
                    str(p) for p in self._glob(_PLACEHOLDER.sub(DYNAMIC, glob.escape(entry.target)))
                ]
            else:
                candidates = _walk(entry.target, wanted)
            for path in candidates:
                if path not in seen:
                    seen.add(path)
                    yield Path(path)


def _without_dot_segments(path: str) -> str:
    """The path as an HTTP client sends it: ``.`` and ``..`` segments removed (RFC 3986 5.2.4),
    so that a link never leads above the folder of a prefix entry."""
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for segment in segments[1:]:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    if segments[-1] in (".", ".."):
        out.append("")
    return "/" + "/".join(out)


def _glob_part(captured: str) -> str:
    """A captured placeholder value as a glob: literal text escaped, dynamic parts ``*``."""
    if DYNAMIC not in captured:
        return captured
    return DYNAMIC.join(glob.escape(piece) for piece in captured.split(DYNAMIC))


def _walk(folder: str, suffixes: tuple[str, ...]) -> Iterator[str]:
    """The files below `folder` whose names end with one of `suffixes`, sorted, never
    following a symbolic link to a folder."""
    for current, folders, names in os.walk(folder):
        folders.sort()
        for name in sorted(names):
            if name.lower().endswith(suffixes):
                yield os.path.join(current, name)
