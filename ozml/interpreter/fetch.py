"""Where more OzML comes from: GoTo, UserInput's ForwardToURL, and notifications.

A fetcher gets a URL (or, with SQL OzML, the query GoTo names) and the form fields the PBX would
POST, and returns the OzML bytes the application answered. The engine knows nothing about HTTP:
dry runs answer from the scenario (`ScenarioFetcher`), live runs plug in an HTTP fetcher.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import attrs


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


class ScenarioFetcher:
    """Answers from a table of URL → Answer; a URL the table does not know is a FetchError."""

    def __init__(self, answers: Mapping[str, Answer]) -> None:
        self.answers = dict(answers)
        self.requests: list[Request] = []

    def fetch(self, url: str, form: Mapping[str, str]) -> bytes:
        self.requests.append(Request(url, dict(form)))
        answer = self.answers.get(url)
        if answer is None:
            raise FetchError(f"the scenario has no answer for {url}")
        if answer.error is not None:
            raise FetchError(answer.error)
        return answer.body or b""


class NoFetcher:
    """The fetcher of a run that was given none: every fetch fails with a clear reason."""

    def fetch(self, url: str, form: Mapping[str, str]) -> bytes:
        raise FetchError(f"no fetcher is configured to request {url}")


__all__ = ["Answer", "FetchError", "Fetcher", "NoFetcher", "Request", "ScenarioFetcher"]
