"""The project: every document of one application, the links between them, its entry points.

`Project.build` starts from the entry points' documents and the files the URL map names, parses
each once, finds its links (`ozml.project.links`), resolves each link through the map
(`ozml.project.urlmap`) and goes on with the documents the links lead to. Everything after is
linear in documents + links: reachability from the entry points (a breadth-first walk) and the
strongly connected components of any subset of the links (Tarjan's algorithm, iterative).

The public API, for the lint rules (OZ811-OZ815), ``ozml graph`` and the dry run:

* `Project.documents`: `Document` (path, parse result or read error, links, entry points);
* `Project.edges`: `Edge` (the linking document, the `Link` with its element, parameter,
  position and notification kind, the `Target` the map resolved, the documents it leads to);
* `Project.dead_links`, `Project.unreachable`, `Project.reachable`;
* `Project.notifications(index)`, `Project.contexts(index)`: what a document answers;
* `Project.components(keep)`, `Project.endless_cycles()`.

``Project.from_config(config)`` builds the project of a configuration in one call.
"""

from __future__ import annotations

import glob
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol

import attrs

from ozml.catalog import Context
from ozml.parser import ParseResult
from ozml.project.links import NOTIFICATION_CONTEXTS, Link, document_links
from ozml.project.urlmap import Target, TargetKind, UrlMap
from ozml.resolve import Resolved, resolve

__all__ = [
    "Document",
    "Edge",
    "Loader",
    "Project",
    "ProjectSource",
    "entry_documents",
    "load_file",
]

#: Reads one document: its parse result, or the reason it cannot be read (for users).
Loader = Callable[[Path], "ParseResult | str"]


class ProjectSource(Protocol):
    """What `Project.from_config` reads: `ozml.config.Config` has these."""

    @property
    def urls(self) -> tuple[tuple[str, str], ...]: ...

    @property
    def root(self) -> Path: ...

    @property
    def entry_points(self) -> tuple[tuple[str, tuple[str, ...]], ...]: ...


@attrs.define(eq=False)
class Document:
    """One document of the project."""

    index: int
    #: Absolute and normalised.
    path: Path
    result: ParseResult | None
    #: Why the document could not be read (None when it was).
    error: str | None = None
    links: list[Link] = attrs.field(factory=list)
    #: Its elements, resolved against the catalog (`ozml.resolve.resolve`), once.
    records: list[Resolved] = attrs.field(factory=list)
    #: The notifications of ``[entry-points]`` it answers.
    entry_points: list[str] = attrs.field(factory=list)

    @property
    def ok(self) -> bool:
        return self.result is not None and self.result.document.root is not None


@attrs.frozen(eq=False)
class Edge:
    """One link of a document, resolved: `targets` are the indexes of the documents it leads
    to (none for a dead, unmapped, dynamic or non-URL link)."""

    source: int
    link: Link
    target: Target
    targets: tuple[int, ...]

    @property
    def dead(self) -> bool:
        """A URL the map covers but no file answers, or one of the application's own hosts
        that no entry covers."""
        kind = self.target.kind
        return kind is TargetKind.DEAD or (kind is TargetKind.UNMAPPED and self.target.own)

    @property
    def endless(self) -> bool:
        """A GoTo the script always reaches without waiting, to one known document: a call can
        go round a cycle of these for ever (OZ813)."""
        return self.link.unconditional and self.link.kind.continues and len(self.targets) == 1 \
            and not self.target.dynamic


def load_file(syntaxes: Iterable[str] | None = None, max_bytes: int | None = None) -> Loader:
    """A `Loader` reading files with `ozml.files.read_file` and `ozml.parser.parse`."""
    from ozml.files import DEFAULT_MAX_BYTES, ReadError, read_file
    from ozml.parser import parse

    limit = max_bytes or DEFAULT_MAX_BYTES
    chosen = None if syntaxes is None else frozenset(syntaxes)

    def load(path: Path) -> ParseResult | str:
        try:
            data = read_file(path, limit)
        except ReadError as error:
            return str(error)
        return parse(data, str(path), max_bytes=limit, templates=chosen)

    return load


def entry_documents(
    root: Path,
    entry_points: Iterable[tuple[str, Iterable[str]]],
    unmatched: Callable[[str, str], None] | None = None,
) -> dict[str, list[Path]]:
    """The files of each ``[entry-points]`` notification: its globs matched below `root`
    (``**`` for any number of folders), sorted. `unmatched` is told of each (notification,
    glob) that matches no file."""
    found: dict[str, list[Path]] = {}
    for name, globs in entry_points:
        paths: dict[str, None] = {}
        for pattern in globs:
            joined = os.path.join(glob.escape(os.fspath(root)), pattern)
            matched = False
            for match in sorted(glob.glob(joined, recursive=True)):
                if os.path.isfile(match):
                    matched = True
                    paths.setdefault(os.path.normpath(os.path.abspath(match)), None)
            if not matched and unmatched is not None:
                unmatched(name, pattern)
        found.setdefault(name, []).extend(Path(p) for p in paths)
    return found


class Project:
    """Every document of one application and the links between them (`build`)."""

    def __init__(self, url_map: UrlMap) -> None:
        self.url_map = url_map
        self.documents: list[Document] = []
        self.edges: list[Edge] = []
        #: Notification → the indexes of the documents answering it.
        self.entry_points: dict[str, list[int]] = {}
        #: Per document, the indexes of its edges in `edges` (`outgoing`).
        self._out: list[list[int]] = []
        #: Per document, the indexes of the edges leading to it.
        self._in: list[list[int]] = []
        self._by_path: dict[str, int] = {}
        self._reachable: list[bool] | None = None

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        url_map: UrlMap,
        entry_points: Mapping[str, Iterable[Path]] | None = None,
        load: Loader | None = None,
        *,
        also: Iterable[Path] = (),
    ) -> Project:
        """The project of `url_map`: the documents of `entry_points` (notification → files),
        every file the map names, the documents in `also`, and every document a link leads
        to. Each is read once with `load` (default `load_file()`)."""
        project = cls(url_map)
        reader = load or load_file()
        queue: deque[int] = deque()
        for name, paths in (entry_points or {}).items():
            chosen = project.entry_points.setdefault(name, [])
            for path in paths:
                index = project._add(path, queue)
                chosen.append(index)
                project.documents[index].entry_points.append(name)
        for path in url_map.files():
            project._add(path, queue)
        for path in also:
            project._add(path, queue)
        while queue:
            document = project.documents[queue.popleft()]
            loaded = reader(document.path)
            if isinstance(loaded, str):
                document.error = loaded
                continue
            document.result = loaded
            root = loaded.document.root
            document.records = resolve(root) if root is not None else []
            document.links = document_links(loaded, document.records)
            syntaxes = loaded.templates
            for link in document.links:
                if link.hidden:
                    target = Target(TargetKind.DYNAMIC, link.value, dynamic=True)
                else:
                    target = url_map.resolve(link.value, syntaxes, link.templates)
                targets = tuple(project._add(p, queue) for p in target.paths)
                number = len(project.edges)
                project.edges.append(Edge(document.index, link, target, targets))
                project._out[document.index].append(number)
                for index in targets:
                    project._in[index].append(number)
        return project

    @classmethod
    def from_config(cls, config: ProjectSource, load: Loader | None = None) -> Project | None:
        """The project of a configuration (`ozml.config.Config`): its ``[urls]`` map and its
        ``[entry-points]``; None when it has no URL map."""
        url_map = UrlMap.from_config(config)
        if url_map is None:
            return None
        return cls.build(url_map, entry_documents(config.root, config.entry_points), load)

    def _add(self, path: Path, queue: deque[int]) -> int:
        key = os.path.normpath(os.path.abspath(path))
        index = self._by_path.get(key)
        if index is None:
            index = self._by_path[key] = len(self.documents)
            self.documents.append(Document(index, Path(key), None))
            self._out.append([])
            self._in.append([])
            queue.append(index)
        return index

    # --- reading ----------------------------------------------------------------------------

    def document(self, path: str | os.PathLike[str]) -> Document | None:
        """The document at `path` (any spelling of it), or None when it is not part of the
        project."""
        index = self._by_path.get(os.path.normpath(os.path.abspath(path)))
        return None if index is None else self.documents[index]

    def outgoing(self, index: int) -> list[Edge]:
        return [self.edges[i] for i in self._out[index]]

    def incoming(self, index: int) -> list[Edge]:
        return [self.edges[i] for i in self._in[index]]

    def fetched(self, index: int) -> bool:
        """Whether some link of the project leads to the document (it answers a request the
        PBX makes because of another document)."""
        return bool(self._in[index])

    def notifications(self, index: int) -> list[str]:
        """The notifications the document answers: its entry points', then those of the
        links leading to it, each once, in that order."""
        found = dict.fromkeys(self.documents[index].entry_points)
        for number in self._in[index]:
            found.setdefault(self.edges[number].link.kind.notification, None)
        return list(found)

    def contexts(self, index: int) -> frozenset[Context]:
        """The contexts the document runs in, as far as its notifications say
        (`ozml.project.links.NOTIFICATION_CONTEXTS`); empty when none says."""
        return frozenset(
            NOTIFICATION_CONTEXTS[name]
            for name in self.notifications(index)
            if name in NOTIFICATION_CONTEXTS
        )

    @property
    def dead_links(self) -> list[Edge]:
        return [edge for edge in self.edges if edge.dead]

    @property
    def reachable(self) -> list[bool] | None:
        """Per document, whether a chain of links leads to it from an entry point; None when
        no entry point is configured (nothing can be said)."""
        if not self.entry_points:
            return None
        if self._reachable is None:
            seen = [False] * len(self.documents)
            queue: deque[int] = deque()
            for indexes in self.entry_points.values():
                for index in indexes:
                    if not seen[index]:
                        seen[index] = True
                        queue.append(index)
            while queue:
                for number in self._out[queue.popleft()]:
                    for index in self.edges[number].targets:
                        if not seen[index]:
                            seen[index] = True
                            queue.append(index)
            self._reachable = seen
        return self._reachable

    @property
    def unreachable(self) -> list[Document]:
        """The documents no chain of links leads to from an entry point (none without entry
        points)."""
        seen = self.reachable
        if seen is None:
            return []
        return [d for d in self.documents if not seen[d.index]]

    def components(self, keep: Callable[[Edge], bool] = lambda edge: True) -> list[list[int]]:
        """The strongly connected components of the documents over the edges `keep` keeps
        (Tarjan's algorithm, iterative: no recursion limit), each a list of document indexes;
        in reverse topological order, as Tarjan's algorithm finds them."""
        count = len(self.documents)
        successors: list[list[int]] = [[] for _ in range(count)]
        for edge in self.edges:
            if keep(edge):
                successors[edge.source].extend(edge.targets)
        return list(_tarjan(successors))

    def endless_cycles(self) -> list[tuple[list[int], list[Edge]]]:
        """The cycles a call can go round for ever (`Edge.endless` edges only): per strongly
        connected component with a cycle, its documents and the edges on it."""
        components = self.components(lambda edge: edge.endless)
        where = [-1] * len(self.documents)
        for number, component in enumerate(components):
            for index in component:
                where[index] = number
        edges: dict[int, list[Edge]] = {}
        for edge in self.edges:
            if edge.endless and where[edge.source] == where[edge.targets[0]]:
                edges.setdefault(where[edge.source], []).append(edge)
        return [(components[number], found) for number, found in sorted(edges.items())]

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)


def _tarjan(successors: list[list[int]]) -> Iterator[list[int]]:
    """Tarjan's strongly connected components, iteratively, in linear time."""
    count = len(successors)
    index_of = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    counter = 0
    for start in range(count):
        if index_of[start] != -1:
            continue
        work: list[tuple[int, int]] = [(start, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            following = successors[node]
            descended = False
            while position < len(following):
                nxt = following[position]
                position += 1
                if index_of[nxt] == -1:
                    work.append((node, position))
                    work.append((nxt, 0))
                    descended = True
                    break
                if on_stack[nxt]:
                    low[node] = min(low[node], index_of[nxt])
            if descended:
                continue
            if low[node] == index_of[node]:
                component: list[int] = []
                while True:
                    top = stack.pop()
                    on_stack[top] = False
                    component.append(top)
                    if top == node:
                        break
                yield component
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
