"""``--watch``: run a command again whenever one of its files changes.

The files are polled with `os.stat` (no extra dependency, and it works the same on every
platform and file system, network mounts included): every `INTERVAL` seconds the command's file
list is made again (so new and deleted files count) and each file's modification time, size and
inode are compared with the previous poll's. A change starts a new run after a short pause, so
that an editor's several writes make one run. Each run begins with a header line on standard
error (after clearing the screen when standard output is a terminal); Ctrl-C (or SIGTERM) ends
the watch with exit status 0.

The runs read and lint their files on an `ozml.xmlthread.XmlThread`, which is replaced once the
files that changed come to its budget: lxml keeps every name a thread has read for as long as
the thread lives, so on one thread a watch kept every name written to a watched file in every
version it read (versions of 6.7 MB of new names added 6.5 MiB each, without end). The rest of
a run stays on the main thread, which alone may handle signals and which waits while the
thread works (`ozml.cli.check.reports`): the output keeps its order, and Ctrl-C ends the watch
at once, the thread once it has done the files it was given (10 ms of work, or one file).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable
from types import FrameType

from ozml.cli.common import is_terminal
from ozml.heap import give_back
from ozml.xmlthread import XmlThread

#: Seconds between two polls.
INTERVAL = 0.5
#: Seconds to wait after a change is seen, for the writes that follow it.
SETTLE = 0.1

Snapshot = dict[str, tuple[int, int, int] | None]


def snapshot(paths: Iterable[str]) -> Snapshot:
    """Each path's (modification time, size, inode), or None when it cannot be read; keyed by
    absolute path."""
    state: Snapshot = {}
    for given in paths:
        path = os.path.abspath(given)  # one key per file, however it was written
        if path in state:
            continue
        try:
            info = os.stat(path)
        except OSError:
            state[path] = None
            continue
        state[path] = (info.st_mtime_ns, info.st_size, info.st_ino)
    return state


def changed(old: Snapshot, new: Snapshot) -> list[str]:
    """The paths added, removed or modified between two snapshots, in name order."""
    return sorted(path for path in old.keys() | new.keys() if old.get(path) != new.get(path))


def changed_size(old: Snapshot, new: Snapshot) -> int:
    """The size in bytes of the files of `new` that `old` does not hold as they are: all a
    watch knows of what may be new to lxml in what a run reads (`XmlThread.count`)."""
    return sum(
        state[1] for path, state in new.items() if state is not None and old.get(path) != state
    )


def _relative(path: str) -> str:
    """`path` relative to the current folder when it lies inside it (as findings show paths)."""
    if not os.path.isabs(path):
        return path
    here = os.path.join(os.getcwd(), "")
    return path[len(here) :] if path.startswith(here) else path


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _header(text: str) -> None:
    if is_terminal(sys.stdout):
        sys.stdout.write("\x1b[2J\x1b[H")  # clear the screen, cursor to the top
        sys.stdout.flush()
    stamp = time.strftime("%H:%M:%S")
    print(f"[{stamp}] {text}", file=sys.stderr, flush=True)



def watch(
    run: Callable[[list[str], XmlThread], int],
    files: Callable[[], list[str]],
    *,
    interval: float = INTERVAL,
) -> int:
    """Run `run` now and again after each change to what `files` lists or to the files the
    run reported reading (`run` appends them to the list it is given); exit 0 on Ctrl-C.
    `run` reads XML on the thread it is given, and only there."""
    previous = signal.signal(signal.SIGTERM, _stop)
    thread = XmlThread("ozml-watch")
    try:
        reason = "Starting in watch mode."
        read: Snapshot = {}
        while True:
            _header(f"{reason} Checking...")
            # Taken before the run, so that a change made while it runs starts another.
            before = snapshot(files())
            thread.count(changed_size(read, before))
            sources: list[str] = []
            run(sources, thread)
            # What a run left in reference cycles is freed now, not when the collector next
            # runs, which a waiting watch may not make it do for hours. The cycles known to
            # hold a large document and its thread's names are broken where they form (the
            # pull parser's tag matcher, `ozml.xmlparser.read_through`; the streamed lint's
            # shared analyses, `ozml.lint.stream`); this guards against any other. Then the
            # memory freed goes back to the system while the watch waits (`ozml.heap`).
            # About 10 ms a run.
            gc.collect()
            give_back()
            before.update(snapshot(sources))
            read = before
            sys.stdout.flush()
            print(
                f"[{time.strftime('%H:%M:%S')}] Watching for changes (Ctrl-C ends)...",
                file=sys.stderr,
                flush=True,
            )
            while True:
                time.sleep(interval)
                after = snapshot([*sources, *files()])
                difference = changed(before, after)
                if difference:
                    time.sleep(SETTLE)
                    break
            names = [_relative(path) for path in difference[:3]]
            shown = ", ".join(names) + (" ..." if len(difference) > 3 else "")
            from ozml.report.style import printable

            reason = f"Change detected: {printable(shown)}."
    except KeyboardInterrupt:
        print("", file=sys.stderr, flush=True)
        return 0
    finally:
        thread.shutdown()
        signal.signal(signal.SIGTERM, previous)


__all__ = ["INTERVAL", "changed", "changed_size", "snapshot", "watch"]
