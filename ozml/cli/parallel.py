"""Per-file work in worker processes, results in the order of the files: the one policy of
``ozml check`` and ``ozml fmt`` (how many workers, from how many files, in which batches).

A run starts workers only for work there is: ``--jobs N`` from `PARALLEL_FROM` files on, never
more than `max_jobs()` nor one per batch of the files found before the first worker starts; the
default (no ``--jobs``) only from `AUTO_PARALLEL_FROM` files (`CHECK_AUTO_PARALLEL_FROM` for
``ozml check``), with the cores other processes leave idle (`auto_jobs`). Files go to the
workers in batches of `BATCH` files or `BATCH_BYTES` bytes, whichever comes first, each batch
allowed twice as much as the one before up to `BATCH_GROWTH` times that, a bounded window of
batches in flight; results come back in the order of the files, whatever the number of
workers.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import argparse
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

#: Fewer files than this are handled in this process even with --jobs: starting workers costs
#: more than it saves (and a single file must start fast).
PARALLEL_FROM = 64
#: The same without --jobs: the default starts workers only for a corpus where they pay for
#: themselves. How large that is depends on what a file costs, so each command says it
#: (docs/performance.md, measured on two idle cores): `ozml fmt` formats every file in full,
#: and 1,000 files took 0.84 of the time in two workers that they took in one process (500
#: files 0.98)...
AUTO_PARALLEL_FROM = 1000
#: ... while `ozml check` proves most files clean without a tree: two workers made 1,000 files
#: (5% of them with findings) 1.10 times as slow as one process, 1,050 files 1.06 times, and
#: were faster from 2,000 files (0.93; 0.79 with 25% of files with findings).
CHECK_AUTO_PARALLEL_FROM = 2000
#: Files sent to a worker at once, at first: small enough that every worker has a batch on a
#: small corpus.
BATCH = 32
#: ... and a batch ends once its files hold this many bytes: a big file is a batch of its own,
#: so that one worker does not wait on another's batch of big files.
BATCH_BYTES = 64 * 1024
#: Each batch may hold twice as many files and bytes as the one before, up to `BATCH` and
#: `BATCH_BYTES` times this. A batch's round trip (the executor's threads handing it on, the
#: result's way back) costs about half a millisecond of the parent's time whatever its size:
#: on 10,000 files and two cores, batches of 32 files made the run 1.2 times as long as
#: batches of 256 (docs/performance.md). A large last batch leaves the other worker idle for
#: at most its own time (256 small files: a few tens of milliseconds).
BATCH_GROWTH = 8
#: Workers per core at most, whatever --jobs asks for: more only add memory and switching.
JOBS_PER_CORE = 4


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def busy_cores() -> float:
    """How many cores other processes keep busy now: on Linux, the runnable tasks other than
    this one (``/proc/loadavg``'s fourth field, the median of a few readings, since the
    one-minute load average lags by tens of seconds); elsewhere the load average."""
    try:
        readings = []
        for _ in range(5):
            with open("/proc/loadavg", "rb") as handle:
                running = handle.read().split()[3].split(b"/")[0]
            readings.append(int(running) - 1)  # this process is one of them
        readings.sort()
        return float(max(readings[2], 0))
    except (OSError, IndexError, ValueError):
        pass
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def auto_jobs() -> int:
    """``--jobs`` when it is not given: the cores other processes leave idle (at least one).

    On a machine whose other cores are busy a second worker only competes with them, and the
    run is slower than in one process (measured: 10,000 files on two cores with one busy,
    1.33-1.52 s in one process, 1.63-1.76 s in two). The workers start only for a corpus of
    `AUTO_PARALLEL_FROM` files or more (`plan`).
    """
    cores = default_jobs()
    return max(1, min(cores, int(cores - busy_cores() + 0.5)))


def max_jobs() -> int:
    """The most worker processes a run starts (``--jobs 100000`` is capped to this)."""
    return JOBS_PER_CORE * default_jobs()


def add_jobs_option(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    verb: str,
    auto_from: int = AUTO_PARALLEL_FROM,
) -> None:
    """``-j N``/``--jobs N`` for a command that `verb`s files under this policy, whose default
    starts workers from `auto_from` files."""
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help=f"{verb} files in N processes (default: the idle cores, for {auto_from}"
        f" files or more; at most {JOBS_PER_CORE} per core and one per {BATCH} files); output"
        " order does not change",
    )


def jobs_problem(jobs: int | None) -> str | None:
    """What is wrong with ``--jobs`` as given (None: nothing)."""
    return "--jobs must be at least 1" if jobs is not None and jobs < 1 else None


def plan(
    items: Iterable[T], jobs: int | None, auto_from: int = AUTO_PARALLEL_FROM
) -> tuple[Iterator[T], int, int]:
    """The items (all of them, in order), how many workers to start for them (0: none), and
    how many items were looked at to decide (at least that many are to come). `jobs` is
    ``--jobs`` (None: the default, which starts workers from `auto_from` items); only the
    first few items are looked at."""
    stream = iter(items)
    if jobs is None:
        head = list(islice(stream, auto_from))
        jobs = auto_jobs() if len(head) >= auto_from else 1
    else:
        jobs = min(jobs, max_jobs())
        wanted = max(PARALLEL_FROM, jobs * BATCH) if jobs > 1 else PARALLEL_FROM
        head = list(islice(stream, wanted))
    workers = min(jobs, -(-len(head) // BATCH)) if jobs > 1 and len(head) >= PARALLEL_FROM else 0
    return chain(head, stream), workers, len(head)


def batches(items: Iterable[T], file_of: Callable[[T], str | None]) -> Iterator[list[T]]:
    """The items in batches of `BATCH` items or `BATCH_BYTES` bytes (of the files `file_of`
    names; None: no file), whichever comes first; each batch may hold twice as many as the one
    before it, up to `BATCH_GROWTH` times the first."""
    batch: list[T] = []
    size = 0
    most, most_bytes = BATCH, BATCH_BYTES
    for item in items:
        batch.append(item)
        path = file_of(item)
        if path:
            with contextlib.suppress(OSError):  # the worker reports it
                size += os.stat(path).st_size
        if len(batch) >= most or size >= most_bytes:
            yield batch
            batch = []
            size = 0
            if most < BATCH * BATCH_GROWTH:
                most, most_bytes = 2 * most, 2 * most_bytes
    if batch:
        yield batch


def in_order(
    items: Iterable[T],
    workers: int,
    *,
    sent: Callable[[T], Any],
    remote: Callable[[list[Any]], list[R]],
    here: Callable[[T], R],
    file_of: Callable[[T], str | None],
    initializer: Callable[..., None],
    initargs: tuple[Any, ...] = (),
    before_fork: Callable[[], None] | None = None,
) -> Iterator[R]:
    """The result of each item, in order, from `workers` worker processes.

    `sent(item)` is what a worker is given for an item (None: the item is handled here, by
    `here`, such as standard input or a discovery problem); `remote` (a module-level function,
    run in a worker set up by `initializer(*initargs)`) turns a batch of them into their
    results. With ``fork``, `before_fork` loads in this process whatever every worker would
    otherwise load for itself.
    """
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    if "fork" in methods and before_fork is not None:
        before_fork()
    pending: deque[tuple[list[T], list[Any], Future[list[R]]]] = deque()
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=initializer, initargs=initargs
    ) as pool:
        try:
            for batch in batches(items, file_of):
                payloads = [sent(item) for item in batch]
                chosen = [p for p in payloads if p is not None]
                pending.append((batch, payloads, pool.submit(remote, chosen)))
                # A bounded window of batches in flight keeps memory flat.
                while len(pending) > 2 * workers:
                    yield from _merge(*pending.popleft(), here)
            while pending:
                yield from _merge(*pending.popleft(), here)
        finally:
            for _, _, future in pending:
                future.cancel()


def _merge(
    batch: list[T], payloads: list[Any], future: Future[list[R]], here: Callable[[T], R]
) -> Iterator[R]:
    """A batch's results in order: the worker's, with what is handled here filled in."""
    done = iter(future.result())
    for item, payload in zip(batch, payloads, strict=True):
        yield here(item) if payload is None else next(done)


__all__ = [
    "AUTO_PARALLEL_FROM",
    "BATCH",
    "BATCH_BYTES",
    "BATCH_GROWTH",
    "CHECK_AUTO_PARALLEL_FROM",
    "JOBS_PER_CORE",
    "PARALLEL_FROM",
    "add_jobs_option",
    "auto_jobs",
    "batches",
    "busy_cores",
    "default_jobs",
    "in_order",
    "jobs_problem",
    "max_jobs",
    "plan",
]
