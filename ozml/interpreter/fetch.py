"""Where more OzML comes from: GoTo, UserInput's ForwardToURL, and notifications.

A fetcher gets a URL (or, with SQL OzML, the query GoTo names) and the form fields the PBX would
POST, and returns the OzML bytes the application answered. The engine knows nothing about HTTP:
dry runs answer from the scenario (`ScenarioFetcher`), live runs plug in an HTTP fetcher.

A dry run whose script has a configuration with a URL map (``[urls]`` in ``ozml.toml``,
`ozml.project.urlmap`) answers a URL the scenario does not list with the file the map gives
(`MapAnswers`): the application's own documents stand in for it. The scenario still wins.

A run's URL is the one the PBX requests: the engine has filled in its variables, so a template
part in it is the text it is (the dry run leaves ``{{ $box }}`` to the template) and so is a
``$`` a variable's value brought. Only the references the engine left as written (an undefined
variable) are still OzML variable uses, and the engine says where they are
(`ozml.interpreter.substitute.Rendered`): the map takes those, and nothing else, as dynamic.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from ozml import xmlspace
from ozml.files import ReadError, read_file
from ozml.interpreter.substitute import uses_of
from ozml.interpreter.trace import first_named

if TYPE_CHECKING:
    from ozml.interpreter.trace import TraceEvent, TraceSink
    from ozml.project.urlmap import UrlMap


class FetchError(Exception):
    """The OzML could not be fetched; the message says why, in one line."""


@runtime_checkable
class Fetcher(Protocol):
    """Turns a URL and the notification's form fields into OzML bytes, or raises FetchError."""

    def fetch(self, url: str, form: Mapping[str, str]) -> bytes: ...


@attrs.frozen
class Answer:
    """What a scenario says a URL answers: OzML bytes, or a failure with its reason."""

    body: bytes | None = None
    error: str | None = None


@attrs.frozen
class Request:
    """One fetch the engine made, kept by `ScenarioFetcher` for tests and traces."""

    url: str
    form: Mapping[str, str]


#: The most files an ambiguous URL's error names.
_NAMED = 10
#: The most references left as written that a guessed answer's origin names.
_KEPT = 3


def shown_path(path: str | os.PathLike[str]) -> str:
    """A file as messages name it: relative to the working folder when it is below it."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return Path(absolute if relative.startswith("..") else relative).as_posix()


class MapAnswers:
    """The answers of a URL map: the file it gives for a URL, read as every file ozml is named
    (a regular file of at most 10 MiB), each file once.

    `label` names the configuration in messages (``ozml.toml``, ``pyproject.toml
    [tool.ozml]``).
    """

    def __init__(self, urlmap: UrlMap, label: str) -> None:
        self.urlmap = urlmap
        self.label = label
        self._read: dict[Path, bytes] = {}

    def file(self, url: str) -> Path | None:
        """The one file the map gives for `url`; None when no entry covers it. FetchError
        when an entry covers it but no file, or several files, answer it.

        `url` is a run's, filled in: no template part in it is dynamic, and its only
        ``$variable`` uses are those the engine left as written (`uses_of`: a `Rendered`'s,
        none in a plain str)."""
        from ozml.project.urlmap import TargetKind

        target = self.urlmap.resolve(url, (), uses=uses_of(url))
        if target.kind is TargetKind.DEAD:
            raise FetchError(
                f"{url}: the URL map of {self.label} gives {shown_path(target.expected)},"
                " which is not a file"
            )
        if target.kind is not TargetKind.MAPPED:
            return None
        if len(target.paths) > 1:
            named = first_named([shown_path(p) for p in target.paths], _NAMED)
            raise FetchError(
                f"{url} is ambiguous: the URL map of {self.label} gives"
                f" {len(target.paths)} files for it ({named})"
            )
        return target.paths[0]

    def body(self, path: Path) -> bytes:
        found = self._read.get(path)
        if found is None:
            try:
                found = self._read[path] = read_file(path)
            except ReadError as error:
                raise FetchError(
                    f"cannot read {shown_path(path)} (the URL map of {self.label}): {error}"
                ) from None
        return found


#: Where an answer came from, as `TraceEvent.origin` says it.
SCENARIO_ORIGIN = "scenario"
MAP_ORIGIN = "URL map: "


class ScenarioFetcher:
    """Answers from a table of URL → Answer, then from the URL map when there is one; a URL
    neither knows is a FetchError."""

    def __init__(
        self, answers: Mapping[str, Answer], urlmap: MapAnswers | None = None
    ) -> None:
        self.answers = dict(answers)
        self.urlmap = urlmap
        self.requests: list[Request] = []

    def fetch(self, url: str, form: Mapping[str, str]) -> bytes:
        self.requests.append(Request(url, dict(form)))
        answer = self.answers.get(url)
        if answer is None:
            mapped = None if self.urlmap is None else self.urlmap.file(url)
            if mapped is None:
                raise FetchError(f"the scenario has no answer for {url}")
            assert self.urlmap is not None
            return self.urlmap.body(mapped)
        if answer.error is not None:
            raise FetchError(answer.error)
        return answer.body or b""

    def origin(self, url: str) -> str:
        """Where the answer to `url` came from: ``scenario`` or ``URL map: FILE``; "" when
        the run has no URL map (the scenario is then the only place)."""
        if self.urlmap is None:
            return ""
        if url in self.answers:
            return SCENARIO_ORIGIN
        try:
            mapped = self.urlmap.file(url)
        except FetchError:
            return ""
        return "" if mapped is None else map_origin(url, mapped)


def map_origin(url: str, path: Path) -> str:
    """Where the URL map's answer to `url` came from, as `TraceEvent.origin` says it: ``URL
    map: FILE``. When `url` keeps a reference the run left as written (an undefined variable:
    `uses_of`), the map took it for any text, and FILE is only the one file that matched: a
    guess, and the origin says it is assumed."""
    origin = MAP_ORIGIN + shown_path(path)
    uses = uses_of(url)
    if not uses:
        return origin
    named = list(dict.fromkeys(url[start:end] for start, end in uses))
    kept = first_named(named, _KEPT)
    return (
        f"{origin} (a guess, assumed: the URL keeps {kept} as written, and this is the one"
        " file that matches)"
    )


def _fetched_url(event: TraceEvent) -> str | None:
    """The URL whose answer a fetched event ran (a GoTo, a menu's fetch, a notification)."""
    from ozml.interpreter.trace import FETCH, NOTIFY

    if event.result != "fetched" or event.command not in ("GoTo", FETCH, NOTIFY):
        return None
    url = event.params.get("Url")
    return None if url is None else xmlspace.strip(url)


def with_origin(event: TraceEvent, fetcher: object) -> TraceEvent:
    """`event` saying where its answer came from, when `fetcher` can tell
    (`ScenarioFetcher.origin`)."""
    origin = getattr(fetcher, "origin", None)
    url = _fetched_url(event)
    if url is None or origin is None or event.origin:
        return event
    found = origin(url)
    return event._replace(origin=found) if found else event


def with_origins(events: Iterable[TraceEvent], fetcher: object) -> tuple[TraceEvent, ...]:
    return tuple(with_origin(event, fetcher) for event in events)


class OriginSink:
    """Hands every event to `sink`, saying where each fetched answer came from."""

    def __init__(self, sink: TraceSink, fetcher: object) -> None:
        self.sink = sink
        self.fetcher = fetcher

    def emit(self, event: TraceEvent) -> None:
        self.sink.emit(with_origin(event, self.fetcher))


class MapConfig(Protocol):
    """What `map_answers` reads of a configuration (`ozml.config.Config` has it; the
    interpreter never imports the configuration, which knows the linter's settings)."""

    @property
    def urls(self) -> tuple[tuple[str, str], ...]: ...

    @property
    def root(self) -> Path: ...

    @property
    def label(self) -> str: ...


def map_answers(config: MapConfig | None) -> MapAnswers | None:
    """The answers of a configuration's URL map, None without one. `UrlMapError` for an
    entry that cannot be used (a loaded configuration has been checked already)."""
    from ozml.project.urlmap import UrlMap

    found = UrlMap.from_config(config)
    if not found:
        return None
    assert config is not None
    return MapAnswers(found, config.label)


class NoFetcher:
    """The fetcher of a run that was given none: every fetch fails with a clear reason."""

    def fetch(self, url: str, form: Mapping[str, str]) -> bytes:
        raise FetchError(f"no fetcher is configured to request {url}")


__all__ = [
    "MAP_ORIGIN",
    "SCENARIO_ORIGIN",
    "Answer",
    "FetchError",
    "Fetcher",
    "MapAnswers",
    "MapConfig",
    "NoFetcher",
    "OriginSink",
    "Request",
    "ScenarioFetcher",
    "map_answers",
    "map_origin",
    "shown_path",
    "with_origin",
    "with_origins",
]
