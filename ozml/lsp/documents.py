"""Open documents: incremental text sync, per-version caches, and linting that keeps up.

Each open document keeps its text and version; an edit is applied to it at once. Derived views
(line index, tolerant scan, lint result) are cached per version, so only the edited document is
ever re-linted. Linting runs on one worker thread: while it works the server keeps reading edits,
and when it finishes on a version that is no longer current the result is dropped and the
latest text is linted instead. A burst of edits thus costs at most the lint in flight plus one
lint of the last version, and the last version always wins.

The thread is replaced by a new one once the documents opened and the text typed since it
started come to a megabyte (`ozml.xmlthread`): lxml keeps every name a thread has read for as
long as the thread lives, so one thread would keep every name ever typed. (The event loop's
thread reads XML only to format a document the quick check proved clean, whose names are all
the catalog's.)

A lint's result belongs to the very document and text it was made from: the document the store
holds then must be the one linted (not one opened again under its URI) and hold that same text
object, at that version, with those settings. A version number alone does not tell: an editor
may send one number twice, count back onto the number of a version being linted, or close a
document and open it again at version 1 while its old text is still being linted.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs
from lsprotocol import types

from ozml.diagnostics import Diagnostic
from ozml.lsp.convert import UTF16, LineIndex
from ozml.lsp.incremental import Memo
from ozml.lsp.scan import Scan, scan
from ozml.parser import ParseResult
from ozml.syntaxes import DEFAULT
from ozml.xmlthread import XmlThread, new_text


@attrs.define
class Analysis:
    """The lint of one version of a document; `result` is None when the quick check proved the
    text clean without parsing it."""

    version: int
    result: ParseResult | None
    diagnostics: list[Diagnostic]
    published: list[types.Diagnostic]
    #: The text linted (the very object: `OpenDocument.current` compares by identity; None
    #: for an analysis made otherwise, which is never current).
    text: str | None = attrs.field(default=None, kw_only=True)


@attrs.define
class OpenDocument:
    uri: str
    text: str
    version: int
    path: Path | None = None
    encoding: str = UTF16
    analysis: Analysis | None = None
    #: What the last lint leaves for the next (`ozml.lsp.incremental`), used on the lint thread.
    memo: Memo | None = None
    #: The last parse of the document that read it, on the lint thread: what the next parse
    #: starts from (`ozml.parser.parse`'s `previous`).
    parsed: ParseResult | None = None
    _index: LineIndex | None = None
    _scan: Scan | None = None
    #: When the text last changed (time.monotonic), for the debounce.
    changed_at: float = 0.0
    #: Bumped when the settings change: a lint made with the old settings is stale too.
    epoch: int = 0
    #: The text last given to the lint thread (`ozml.xmlthread.new_text`).
    given: str | None = None

    @property
    def index(self) -> LineIndex:
        if self._index is None or self._index.text is not self.text:
            self._index = LineIndex(self.text, self.encoding)
        return self._index

    def index_of(self, text: str) -> LineIndex:
        """A line index of `text` (a version of this document), the kept one when it matches;
        safe to call from the lint thread."""
        kept = self._index
        if kept is not None and kept.text is text:
            return kept
        return LineIndex(text, self.encoding)

    def scanned(self, syntaxes: frozenset[str] = DEFAULT) -> Scan:
        """The scan of the current text, its template parts read with `syntaxes` (those the
        document is read with: ``settings.templates``)."""
        kept = self._scan
        if kept is None or kept.text is not self.text or kept.syntaxes != syntaxes:
            kept = self._scan = scan(self.text, syntaxes)
        return kept

    def known_scan(self, syntaxes: frozenset[str] = DEFAULT) -> Scan:
        """The last scan made, of this version or an earlier one (the first is made now): what
        the text still shares with it need not be read again (`ozml.lsp.scan.open_stack`)."""
        kept = self._scan
        return kept if kept is not None and kept.syntaxes == syntaxes else self.scanned(syntaxes)

    @property
    def current(self) -> Analysis | None:
        """The lint result if it is of the current text (that very text, at this version)."""
        analysis = self.analysis
        if analysis is not None and analysis.text is self.text and analysis.version == self.version:
            return analysis
        return None

    def apply(self, changes: Sequence[types.TextDocumentContentChangeEvent], version: int) -> None:
        """Apply a didChange's edits in order, each to the result of the one before."""
        index = self.index.changed(changes)
        self.text = index.text
        self._index = index
        self.version = version
        self.changed_at = time.monotonic()


def path_of(uri: str) -> Path | None:
    """The local file of a ``file:`` URI, if it is one."""
    if not uri.startswith("file:"):
        return None
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    path = unquote(parsed.path)
    if len(path) > 2 and path[0] == "/" and path[2] == ":":  # file:///C:/... on Windows
        path = path[1:]
    return Path(path)


class DocumentStore:
    """The documents the editor has open, by URI."""

    def __init__(self) -> None:
        self._docs: dict[str, OpenDocument] = {}
        self.encoding = UTF16

    def open(self, uri: str, text: str, version: int) -> OpenDocument:
        doc = OpenDocument(uri, text, version, path_of(uri), self.encoding)
        doc.changed_at = time.monotonic()
        self._docs[uri] = doc
        return doc

    def get(self, uri: str) -> OpenDocument | None:
        return self._docs.get(uri)

    def close(self, uri: str) -> None:
        self._docs.pop(uri, None)

    def all(self) -> list[OpenDocument]:
        return list(self._docs.values())


Analyse = Callable[[OpenDocument, str, int], Analysis]


class LintScheduler:
    """Lints documents on a worker thread, one lint per document at a time, last version wins."""

    def __init__(
        self,
        store: DocumentStore,
        analyse: Analyse,
        publish: Callable[[OpenDocument, Analysis], None],
        debounce: Callable[[], float],
        closed: Callable[[OpenDocument], None] | None = None,
    ) -> None:
        self._store = store
        self._analyse = analyse
        self._publish = publish
        self._debounce = debounce
        #: Told of a document closed while it was linted (what the lint kept for it may go).
        self._closed = closed
        #: The lint under way for each URI; a task removes itself when it ends, so that the
        #: table holds only what runs (not every document ever opened).
        self._tasks: dict[str, asyncio.Task[None]] = {}
        #: The thread the lints run on, one after the other (`ozml.xmlthread`).
        self._thread = XmlThread("ozml-lint")

    def request(self, uri: str) -> None:
        """Lint the document's current version soon (a lint already under way picks it up,
        also when the document was closed and opened again meanwhile)."""
        task = self._tasks.get(uri)
        if task is None or task.done():
            task = self._tasks[uri] = asyncio.get_running_loop().create_task(self._run(uri))
            task.add_done_callback(functools.partial(self._ended, uri))

    def _ended(self, uri: str, task: asyncio.Task[None]) -> None:
        if self._tasks.get(uri) is task:
            del self._tasks[uri]

    def _holds(self, doc: OpenDocument, text: str, version: int, epoch: int) -> bool:
        """Whether a lint of `text` at `version` with the settings of `epoch` is the lint of
        the document the store holds now: that very document, text, version and settings."""
        return (
            self._store.get(doc.uri) is doc
            and doc.text is text
            and doc.version == version
            and doc.epoch == epoch
        )

    async def _run(self, uri: str) -> None:
        while True:
            doc = self._store.get(uri)
            if doc is None:
                return
            quiet = self._debounce()
            if quiet > 0 and (wait := doc.changed_at + quiet - time.monotonic()) > 0:
                await asyncio.sleep(wait)
                continue  # the document may have changed, or been closed or replaced
            version, epoch, text = doc.version, doc.epoch, doc.text
            analysis = await self._lint(doc, text, version)
            if self._holds(doc, text, version, epoch):
                doc.analysis = analysis
                self._publish(doc, analysis)
                return
            if self._store.get(uri) is None and self._closed is not None:
                self._closed(doc)
            # Stale: the text, the settings or the document itself changed; lint what is there.

    async def _lint(self, doc: OpenDocument, text: str, version: int) -> Analysis:
        """The lint of `text`, made on the lint thread once the lints asked before are done."""
        new, doc.given = new_text(doc.given, text), text
        return await asyncio.wrap_future(
            self._thread.submit(new, self._analyse, doc, text, version)
        )

    async def current(self, uri: str) -> Analysis | None:
        """The lint of the document's current text (`linted`'s, without the document)."""
        found = await self.linted(uri)
        return found[1] if found is not None else None

    async def linted(self, uri: str) -> tuple[OpenDocument, Analysis] | None:
        """The open document and the lint of its current text, waiting for the lint under way
        or making one; None when the document is not open, or changed while it was linted for
        this question. The pair is consistent until the caller next awaits."""
        while True:
            doc = self._store.get(uri)
            if doc is None:
                return None
            if (found := doc.current) is not None:
                return doc, found
            task = self._tasks.get(uri)
            if task is None or task.done():
                break
            await asyncio.shield(task)  # it lints the document the store holds when it ends
        version, epoch, text = doc.version, doc.epoch, doc.text
        analysis = await self._lint(doc, text, version)
        if not self._holds(doc, text, version, epoch):
            return None
        doc.analysis = analysis
        return doc, analysis

    def restart(self) -> None:
        """Lint every open document again (the settings changed); lints under way are stale."""
        for doc in self._store.all():
            doc.epoch += 1
            doc.analysis = None
            self.request(doc.uri)

    def shutdown(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
        self._thread.shutdown()
