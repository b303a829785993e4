"""Building a big tree without the cyclic garbage collector walking it again and again.

Parsing and linting a document make objects that live on with the result (the tree, its
records): about ten per element. While they are being made, every few hundred allocations start
a collection of the young objects, and every few young collections an older one, so each object
is walked several times before the work is done: a sixth of the time to open a 50,000-line
document in the language server, a third of `ozml check` on a 5 MB document. None of these
objects is garbage while the work runs (they are freed by reference counting when the result
goes), so the collector is paused for the duration; cycles made meanwhile are collected once it
runs again. Nested pauses are one pause.

Between such pauses, the ``ozml`` program and the language server let the collector run less
often than Python does (`collect_less_often`).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from types import TracebackType
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")

#: The collector's thresholds in the ``ozml`` program and the language server: a pass over the
#: young objects every 50,000 allocations (of objects that can hold others) rather than
#: Python's 700, and an older pass every 20 of those rather than 10.
THRESHOLDS = (50_000, 20, 20)


def collect_less_often() -> None:
    """Set the collector's `THRESHOLDS` for the rest of the process.

    What ozml makes lives for the whole run (modules, classes, the catalog's tables, compiled
    rules) or is acyclic and freed by reference counting as soon as its file is done (trees,
    records, findings): at Python's thresholds, the collector walked them over and over for
    the little garbage only it can free. Starting one run of ``ozml check`` on one file made 25
    to 32 passes (3 to 4 ms of 40 to 55 on this machine's cold starts; docs/performance.md). The
    collector still runs, so cyclic garbage is still freed, after at most `THRESHOLDS` more
    allocations.
    """
    gc.set_threshold(*THRESHOLDS)


class collector_paused:
    """Run the body with the cyclic garbage collector off (as it was before, after).

    A class rather than a generator: it is entered once per parsed document, and a
    `contextlib.contextmanager` costs a microsecond more each time.
    """

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._was_enabled:
            gc.enable()


def paused(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """`function`, run with the collector paused (`collector_paused`): for a function whose
    result, made of many objects, lives on after it returns."""

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with collector_paused():
            return function(*args, **kwargs)

    return run


__all__ = ["THRESHOLDS", "collect_less_often", "collector_paused", "paused"]
