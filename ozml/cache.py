"""The lint cache: findings of files that did not change are not worked out again.

Like ruff's cache, entries live in ``.ozml_cache/`` at the project root (the folder of the
configuration file, else the current folder). An entry is keyed by a hash of

* the file's bytes,
* the settings the file is linted with (context and its origin, rule selection, severities,
  known variables, size limit), and
* the ozml version and a fingerprint of ozml's own source files (so that an edited rule in a
  development checkout never serves stale findings),

so a changed file, changed settings or another ozml simply miss. Each entry is one small JSON
file written atomically (a temporary file renamed over it), so parallel workers never see half
an entry; nothing is kept in memory. Entries of other ozml versions are removed when a run
starts. A cache folder that cannot be written switches the cache off for the run, silently:
caching is an optimisation, never a reason to fail. ``ozml check --no-cache`` switches it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ozml.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from ozml.lint.settings import LintSettings

FOLDER = ".ozml_cache"
#: Bumped when the entry format changes.
FORMAT = 1
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by ozml.\n"
)

_CODE: str | None = None


def code_fingerprint() -> str:
    """A hash of ozml's version and of its source files' names, sizes and change times."""
    global _CODE
    if _CODE is None:
        from ozml import __version__

        package = Path(__file__).resolve().parent
        digest = hashlib.sha256(f"{__version__}/{FORMAT}".encode())
        for folder, subfolders, files in os.walk(package):
            subfolders.sort()
            for name in sorted(files):
                if name.endswith((".py", ".xsd")):
                    with contextlib.suppress(OSError):
                        info = os.stat(os.path.join(folder, name))
                        relative = os.path.relpath(os.path.join(folder, name), package)
                        digest.update(f"{relative}:{info.st_size}:{info.st_mtime_ns};".encode())
        _CODE = digest.hexdigest()[:16]
    return _CODE


def settings_key(settings: LintSettings) -> str:
    """A stable text of everything in the settings that can change findings or their messages."""
    parts = [
        settings.context.value,
        settings.context_origin,
        str(settings.context_locked),
        ",".join(sorted(settings.select)) if settings.select is not None else "*",
        ",".join(sorted(settings.extend_select)),
        ",".join(sorted(settings.ignore)),
        ",".join(f"{c}={s.value}" for c, s in sorted(settings.severities.items())),
        ",".join(sorted(settings.known_variables)),
        str(settings.max_bytes),
    ]
    return "\x1f".join(parts)


def encode(diagnostics: list[Diagnostic], encoding: str | None) -> str:
    items: list[Any] = []
    for d in diagnostics:
        s = d.span
        fix = None
        if d.fix is not None:
            fix = [d.fix.message, d.fix.safe, [[e.start, e.end, e.text] for e in d.fix.edits]]
        items.append(
            [
                d.code,
                d.name,
                int(d.severity),
                d.message,
                [s.line, s.column, s.end_line, s.end_column, s.start, s.end],
                d.suggestion,
                fix,
            ]
        )
    return json.dumps({"encoding": encoding, "findings": items}, ensure_ascii=False)


def decode(text: str) -> tuple[list[Diagnostic], str | None]:
    data = json.loads(text)
    out: list[Diagnostic] = []
    for code, name, severity, message, span, suggestion, fix in data["findings"]:
        made_fix = None
        if fix is not None:
            edits = tuple(Edit(a, b, t) for a, b, t in fix[2])
            made_fix = Fix(fix[0], edits, safe=fix[1])
        out.append(
            Diagnostic(
                code, name, Severity(severity), message, Span(*span),
                suggestion=suggestion, fix=made_fix,
            )
        )
    return out, data["encoding"]


class Cache:
    """The cache of one project root. Workers may share it: entries are written atomically."""

    def __init__(self, root: str | Path) -> None:
        self.base = Path(root) / FOLDER
        self.folder = self.base / f"v{FORMAT}-{code_fingerprint()}"
        self.enabled = True
        self._keys: dict[int, tuple[LintSettings, str]] = {}
        self._made: set[str] = set()

    def prepare(self) -> None:
        """Make the folder (with a CACHEDIR.TAG and a .gitignore) and drop older entries.

        Called once per run by the main process, before workers start.
        """
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tag = self.base / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(_TAG, encoding="ascii")
            ignore = self.base / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# made by ozml\n*\n", encoding="ascii")
        except OSError:
            self.enabled = False
            return
        for entry in self.base.iterdir():
            if entry.is_dir() and entry != self.folder and entry.name.startswith("v"):
                shutil.rmtree(entry, ignore_errors=True)

    def key(self, data: bytes, settings: LintSettings) -> str:
        known = self._keys.get(id(settings))
        if known is None or known[0] is not settings:
            known = (settings, hashlib.sha256(settings_key(settings).encode()).hexdigest())
            self._keys[id(settings)] = known
        digest = hashlib.sha256(known[1].encode())
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key[2:]}.json"

    def get(self, key: str) -> tuple[list[Diagnostic], str | None] | None:
        """The cached findings (and the document's declared encoding), or None."""
        if not self.enabled:
            return None
        try:
            text = self._path(key).read_text(encoding="utf-8")
            return decode(text)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, or damaged: worked out again and rewritten

    def put(self, key: str, diagnostics: list[Diagnostic], encoding: str | None) -> None:
        if not self.enabled:
            return
        path = self._path(key)
        folder = path.parent
        try:
            if key[:2] not in self._made:
                folder.mkdir(parents=True, exist_ok=True)
                self._made.add(key[:2])
            fd, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(encode(diagnostics, encoding))
                os.replace(temp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError:
            self.enabled = False


__all__ = ["FOLDER", "FORMAT", "Cache", "code_fingerprint", "decode", "encode", "settings_key"]
