"""Baselines: accept the findings a project has today, and report only new ones.

``ozml check --write-baseline FILE`` records every current finding; ``--baseline FILE`` then
reports only findings that are not in it. A finding is matched by its file, its code and a
fingerprint of its content: the text the finding points at and the text of its line(s), with
white space collapsed. Line numbers and messages are left out, so inserting or deleting lines
elsewhere in the file, re-indenting, or a reworded message in a newer ozml does not turn old
findings into new ones. Identical findings on identical lines are counted: a third copy of a line
that the baseline holds twice is new.

The file is JSON, sorted, one entry per (path, code, fingerprint), so that it diffs well in
review. Paths are relative to the baseline file's folder, with ``/``.

A baseline never accepts a document that was not checked at all (OZ001-OZ003,
`ozml.diagnostics.UNCHECKED_DOCUMENT`): they are not written into it, entries for them in a
baseline file are ignored (and `Baseline.refused` counts them, for a warning), and such a file
fails every run until it is mended.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ozml.dataformats import DataError, load_json
from ozml.diagnostics import UNCHECKED_DOCUMENT, Diagnostic
from ozml.positions import Source

VERSION = 1
_SPACE = re.compile(r"\s+")


class BaselineError(Exception):
    """A baseline file that cannot be read; the message names the file."""


#: The most characters of a finding's lines its fingerprint reads. A finding on longer lines (a
#: document written on one line) reads the characters around its own text instead, this many
#: in all: with the whole line read for each finding, a baseline or a SARIF report of n
#: findings on one line cost n times the line. Lines of ordinary documents are far shorter,
#: so their fingerprints are the same as ever.
CONTEXT_CHARS = 4096


def fingerprint(diagnostic: Diagnostic, source: Source | None) -> str:
    """A content hash of a finding that survives line shifts and message changes: its code, the
    text it points at and the text of its lines (at most `CONTEXT_CHARS` of them, around it),
    white space collapsed."""
    parts = [diagnostic.code]
    if source is not None:
        span = diagnostic.span
        text = source.text
        first = source.line_range(span.line)[0]
        last = source.line_range(span.end_line)[1]
        if last - first > CONTEXT_CHARS:
            half = CONTEXT_CHARS // 2
            first, last = max(first, span.start - half), min(last, span.end + half)
        parts.append(_SPACE.sub(" ", text[span.start : span.end]).strip())
        parts.append(_SPACE.sub(" ", text[first:last]).strip())
    else:  # no text to point at (an unreadable file): the message is all there is
        parts.append(diagnostic.message)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _key_path(path: str, folder: Path) -> str:
    """A finding's path as stored: relative to the baseline's folder when it is a real file."""
    if path in ("-", "<stdin>") or path.startswith("<"):
        return path
    relative = os.path.relpath(os.path.abspath(path), folder)
    return relative.replace(os.sep, "/")


class Baseline:
    """The accepted findings, as counts per (path, code, fingerprint)."""

    def __init__(
        self, folder: Path, counts: dict[tuple[str, str, str], int], refused: int = 0
    ) -> None:
        self.folder = folder
        self.counts = counts
        self._left = dict(counts)
        #: Entries of the file for findings no baseline may accept (OZ001-OZ003), ignored.
        self.refused = refused

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        from ozml.files import ReadError, not_utf8, read_file, unreadable

        file = Path(path)
        try:
            data = load_json(read_file(file).decode("utf-8"))
        except ReadError as error:
            if str(error) == "no such file or folder":
                raise BaselineError(
                    f"{path}: no such baseline file (write one with --write-baseline)"
                ) from None
            raise BaselineError(unreadable(path, error)) from None
        except DataError as error:
            raise BaselineError(f"{path}: not a baseline file: {error}") from None
        except UnicodeDecodeError as error:
            raise BaselineError(not_utf8(path, error, "not a baseline file:")) from None
        counts: dict[tuple[str, str, str], int] = {}
        refused = 0
        try:
            if data.get("version") != VERSION:
                raise BaselineError(
                    f"{path}: baseline version {data.get('version')!r} is not supported"
                    f" (expected {VERSION}); write it again with --write-baseline"
                )
            for entry in data["findings"]:
                key = (str(entry["path"]), str(entry["code"]), str(entry["fingerprint"]))
                if key[1] in UNCHECKED_DOCUMENT:
                    refused += 1
                    continue
                counts[key] = counts.get(key, 0) + int(entry.get("count", 1))
        except (AttributeError, KeyError, TypeError, ValueError):
            raise BaselineError(
                f"{path}: not a baseline file: expected an object with version {VERSION} and a"
                " list of findings, each with path, code and fingerprint"
            ) from None
        return cls(file.absolute().parent, counts, refused)

    def new(
        self, path: str, diagnostics: Iterable[Diagnostic], source: Source | None
    ) -> list[Diagnostic]:
        """The findings of one file that the baseline does not account for."""
        stored = _key_path(path, self.folder)
        left = self._left
        out: list[Diagnostic] = []
        for diagnostic in diagnostics:
            key = (stored, diagnostic.code, fingerprint(diagnostic, source))
            remaining = left.get(key, 0)
            if remaining:
                left[key] = remaining - 1
            else:
                out.append(diagnostic)
        return out

    def fixed(self) -> int:
        """Baseline findings not seen (so far) in this run: fixed, or in files not checked."""
        return sum(self._left.values())


class BaselineWriter:
    """Collects findings during a run and writes them as a baseline at the end."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.folder = self.path.absolute().parent
        self.entries: dict[tuple[str, str, str], list[Any]] = {}

    def add(self, path: str, diagnostics: Iterable[Diagnostic], source: Source | None) -> None:
        """Record a file's findings (but never those of a document that was not checked)."""
        stored = _key_path(path, self.folder)
        for diagnostic in diagnostics:
            if diagnostic.code in UNCHECKED_DOCUMENT:
                continue
            key = (stored, diagnostic.code, fingerprint(diagnostic, source))
            entry = self.entries.setdefault(key, [0, diagnostic.message])
            entry[0] += 1

    def content(self) -> str:
        findings = [
            {"path": p, "code": c, "fingerprint": f, "count": n, "message": message}
            for (p, c, f), (n, message) in sorted(self.entries.items())
        ]
        document = {"version": VERSION, "tool": "ozml", "findings": findings}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def write(self) -> int:
        """Write the file atomically; the number of findings recorded."""
        from ozml.atomic import write_atomic

        write_atomic(self.path, self.content().encode("utf-8"))
        return sum(n for n, _ in self.entries.values())


__all__ = ["CONTEXT_CHARS", "VERSION", "Baseline", "BaselineError", "BaselineWriter", "fingerprint"]
