"""A thread to read XML on for as long as a process lives, whose memory of names stays bounded.

lxml gives each thread one dictionary of names, which every parser made on that thread shares:
a new parser does not start a new one (lxml's ``_ParserDictionaryContext``). libxml2 adds to it
every element name, attribute name, namespace prefix and processing-instruction target it reads
(and short texts), and never removes one. The language server reads what an editor sends for as
long as the editor is open, so it kept every name ever typed: edits that each brought 40 new
element names of 500 letters added 11 MiB to it every 500 edits, without end. A fresh parser
per document does not help (the dictionary is the thread's); a fresh thread does: the
dictionary goes with its thread, once no tree read on that thread is left.

`XmlThread` is such a thread, replaced by a new one once it was given `BUDGET` characters that
may hold names it has not read: a document it had not read, whole, and of an edited one, what
the edit changed (`new_text`). Its dictionary then holds the names of the documents open when
it started, and at most a few times its budget more (about 8.5 bytes for a byte of short names
that are all new, 1.8 for names of 200 letters), however long the session. Typing in a
document costs a few dozen characters a keystroke, so a thread lives for tens of thousands of
them. A new thread starts when the next work comes, as the old one has nothing to do; the
first lint on it takes about a millisecond longer (its parser, the pages of its memory and
lxml's dictionary are made again).

`ozml check` reads each file once and ends: it keeps its one thread. ``ozml check --watch``
reads the files again after every change for as long as it runs: it reads them on an
`XmlThread`, and counts towards the budget, once a run, the size of the files that changed
(`count`), which is all it knows of what may be new in them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from ozml.untouched import common_prefix, common_suffix

_T = TypeVar("_T")

#: How many characters that may hold new names (`new_text`) an `XmlThread` is given to read
#: before it is replaced.
BUDGET = 1 << 20


class XmlThread:
    """One thread that runs what it is given in order (reading XML with lxml, among other
    things), replaced by a new thread once it was given `budget` characters that may hold
    names it has not read.

    Only one thread may give it work (the language server's event loop): the order of the
    work is the order it was given in, also across a replacement (the new thread starts once
    the old one has done all it was given)."""

    def __init__(self, name: str, budget: int = BUDGET) -> None:
        self._name = name
        self._budget = budget
        self._given = 0
        self._pool = self._new_pool()
        #: The thread replaced last, until it has ended.
        self._old: ThreadPoolExecutor | None = None
        #: How many times the thread was replaced.
        self.replaced = 0

    def _new_pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)

    def submit(self, size: int, work: Callable[..., _T], /, *args: Any) -> Future[_T]:
        """Run ``work(*args)`` on the thread after what it was given before; `size` is how much
        of what it reads may be names not read before (`new_text`), counted towards the
        budget."""
        if self._given >= self._budget:
            # Not as soon as the budget is spent, while the work that spent it runs: starting
            # a thread waits for it to run, which a busy thread holding the GIL delays.
            self._replace()
        self._given += size
        return self._pool.submit(work, *args)

    def count(self, size: int) -> None:
        """Count `size` characters that may hold new names towards the budget, for the work
        given next: for work whose new text is known as a whole (what changed among the files
        a run reads), not per piece of work, which is then given with size 0."""
        self._given += size

    def _replace(self) -> None:
        old = self._old = self._pool
        self._pool = self._new_pool()
        self._given = 0
        self.replaced += 1
        # The new thread first waits for the old one to finish what it was given and end: the
        # work keeps its order, and never runs on both threads at once (what the language
        # server keeps per document is used by one thread at a time).
        old.shutdown(wait=False)
        self._pool.submit(old.shutdown, wait=True)

    def shutdown(self) -> None:
        """Stop the thread once the work under way is done; the work not begun is dropped."""
        if self._old is not None:
            self._old.shutdown(wait=False, cancel_futures=True)
        self._pool.shutdown(wait=False, cancel_futures=True)


#: The characters no name holds: XML's white space and markup. A run of any others may be read
#: as a name, as a few (a prefix and a local name), or as a short text, which lxml keeps too.
_ENDS_NAME = " \t\r\n<>/=\"'&;"
_RUN = re.compile(f"[^{_ENDS_NAME}]*+")
#: Up to the last character in `_ENDS_NAME` of what it is given.
_TO_LAST_END = re.compile(f"(?s:.*)[{_ENDS_NAME}]")
#: White space that lxml keeps as it reads it: a run shorter than 60 characters.
_BLANKS = 64


def new_text(old: str | None, new: str) -> int:
    """How many characters of `new` may be read as names not read in `old`, an earlier version
    of the same document (None: none was read): what an edit changed, with the runs of
    characters that may be names on either side of it (an edit within a name makes a new one,
    of the name's length), and a run of white space.

    A run that does not touch the edit is the same in both versions, between the same
    characters: whatever lxml can read it as, it read in `old` already."""
    if old is None:
        return len(new)
    if old is new:
        return 0
    start = common_prefix(old, new)
    end = len(new) - common_suffix(old, new, min(len(old), len(new)) - start)
    before = start - _run_start(new, start)
    run = _RUN.match(new, end)
    assert run is not None  # a run may be empty
    return (end - start) + before + (run.end() - end) + _BLANKS


def _run_start(text: str, at: int) -> int:
    """Where the run of characters that may be names ending at `at` begins, in time linear in
    its length."""
    window = 64
    while True:
        lo = max(0, at - window)
        found = _TO_LAST_END.match(text, lo, at)
        if found is not None:
            return found.end()
        if lo == 0:
            return 0
        window *= 4


__all__ = ["BUDGET", "XmlThread", "new_text"]
