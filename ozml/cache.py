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
an entry; nothing is kept in memory. ``ozml check --no-cache`` switches the cache off.

The cache sits in other people's checkouts, so it trusts nothing it finds there
(docs/security.md):

* It never follows a link and never deletes what it did not make. Its folders are opened by
  descriptor without following links (`ozml.atomic.SafeFolder`); a ``.ozml_cache`` (or a
  version folder in it) that is a link, a file or another user's is refused with one warning
  naming it, and the run goes on uncached. ``CACHEDIR.TAG`` and ``.gitignore`` are added only
  to a ``.ozml_cache`` ozml has just made. ozml makes one only in a folder of the current
  user's: run as root in someone else's checkout, it leaves no root-owned folder its owner
  could not remove, and the run is uncached, silently (a ``.ozml_cache`` of its own that is
  already there is used).
* The folder of each ozml version holds a mark file with an HMAC of the folder's name under
  the user's secret (below), written only into a folder ozml has just made (or an empty one).
  When a run starts, the folders of other versions are deleted only if they are the user's
  own and their mark verifies (never through a link: `shutil.rmtree` with a folder
  descriptor). A folder of an older ozml, whose mark was a fixed text anyone could copy, is
  deleted only if every file in it is that mark or an entry sealed under the user's secret;
  anything else keeps it, whole. A folder of the current version whose mark does not verify
  is refused with one warning.
* Entries cannot be forged. The key is an HMAC of the settings and the file's bytes under a
  secret of the current user's, kept outside the project (``$XDG_CACHE_HOME/ozml/cache-key``,
  else ``~/.cache/ozml/cache-key``, mode 0600), and each entry starts with an HMAC of its key
  and content under the same secret, checked on every read. Whoever can write ``.ozml_cache``
  (a committed folder, a shared checkout) can neither plant an entry under a name ozml will
  look up nor rewrite an entry it finds there: a broken file is never reported clean from the
  cache. Entries are JSON, never unpickled.

A cache folder that cannot be made or written, or a secret that cannot be had, switches the
cache off for the run, silently: caching is an optimisation, never a reason to fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ozml.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from ozml.lint.settings import LintSettings

if TYPE_CHECKING:
    from ozml.atomic import SafeFolder

FOLDER = ".ozml_cache"
#: Bumped when the entry format changes.
FORMAT = 2
#: The mark file in each version folder: only folders whose mark verifies are ever deleted.
MARK = "OZML_CACHE_FOLDER"
#: The mark's first line; the second is an HMAC of the folder's name under the user's secret.
_MARK_HEAD = b"ozml lint cache folder: made by ozml, deleted by ozml when its version changes\n"
#: The whole mark that ozml wrote before marks were keyed: a fixed text, so it proves nothing
#: (see `Cache._drop_old_format`).
_OLD_MARK = _MARK_HEAD
_VERSION_NAME = re.compile(r"v\d+-[0-9a-f]{16}")
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
#: The largest cache entry read back (a document at the size limit with a finding on every line).
_MAX_ENTRY = 256 * 1024 * 1024
_SECRET_NAME = "cache-key"
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
        ",".join(sorted(settings.templates)),
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
    return json.dumps({"encoding": encoding, "findings": items})


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


def user_secret() -> bytes | None:
    """The current user's cache secret (made on first use), or None when it cannot be had.

    It lives in the user's own cache folder, outside every project: ``$XDG_CACHE_HOME/ozml``
    (else ``~/.cache/ozml``), a folder of mode 0700 holding a file of mode 0600. A folder or
    file that is a link or another user's is not used.
    """
    from ozml.atomic import SUPPORTED, SafeFolder

    if not SUPPORTED:
        return None
    home = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(home):
        home = os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(home):
            return None
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(home, 0o700)
        with SafeFolder.open(home, owned=False) as top, SafeFolder.open(
            "ozml", top, create=True, mode=0o700
        ) as folder:
            secret = folder.read(_SECRET_NAME, 256)
            if secret is None:
                made = secrets.token_hex(32).encode()
                folder.write(_SECRET_NAME, made, replace=False, mode=0o600)
                secret = folder.read(_SECRET_NAME, 256)
            info = folder.status(_SECRET_NAME)
    except OSError:
        return None
    if secret is None or len(secret) < 32 or info is None or info.st_mode & 0o077:
        return None
    return secret


class Cache:
    """The cache of one project root. Workers may share it: entries are written atomically."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.base = self.root / FOLDER
        self.name = f"v{FORMAT}-{code_fingerprint()}"
        self.folder = self.base / self.name
        self.enabled = True
        self._keys: dict[int, tuple[LintSettings, Any]] = {}
        self._secret: bytes | None = None
        self._version: SafeFolder | None = None

    def __getstate__(self) -> dict[str, Any]:
        # A worker started without fork gets no descriptors: it opens the folder again.
        state = {k: getattr(self, k) for k in ("root", "base", "name", "folder", "enabled")}
        state["_secret"] = self._secret
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._keys = {}
        self._version = None
        if self.enabled:
            self._reopen()

    def prepare(self) -> str | None:
        """Open (or make) the folder, and drop the folders of other ozml versions.

        Called once per run by the main process, before workers start. Returns a warning for
        users when a cache folder is refused (a link, a file, another user's, a version folder
        whose mark does not verify); the cache is then off for the run, as it is (silently)
        when it cannot be made at all, or when the project root is not the user's folder.
        """
        from ozml.atomic import RefusedWrite, SafeFolder

        self._secret = user_secret()
        if self._secret is None:
            self.enabled = False
            return None
        path = self.base
        try:
            with SafeFolder.open(str(self.root), owned=False) as root:
                made = self._make_base(root)
                if made is None:
                    self.enabled = False  # someone else's folder: no cache of ours in it
                    return None
                with SafeFolder.open(FOLDER, root) as base:
                    if made:
                        base.write("CACHEDIR.TAG", _TAG.encode("ascii"), replace=False)
                        base.write(".gitignore", b"# made by ozml\n*\n", replace=False)
                    path = self.folder
                    version = self._open_version(base)
                    self._version = version
                    if not self._claim(version):
                        raise RefusedWrite(
                            "was not made by ozml for the current user (its mark does not"
                            " verify)"
                        )
                    self._drop_other_versions(base)
        except RefusedWrite as error:
            self.enabled = False
            self._close()
            return f"{path}: {error}; checking without the cache"
        except OSError:
            self.enabled = False
            self._close()
        return None

    def _make_base(self, root: SafeFolder) -> bool | None:
        """Make ``.ozml_cache`` in the project root: True if made now, False if it was there,
        None if it is to be left alone.

        It is made only in a folder of the current user's: root, run in another user's
        checkout, would leave a folder its owner cannot remove. There, an existing
        ``.ozml_cache`` of the current user's is used; any other folder is passed over
        silently (it is expected to be its owner's), and a link or a file is left to be
        refused with the usual warning. Only a folder made now gets ``CACHEDIR.TAG`` and
        ``.gitignore``: one that was there (a committed folder, say) is not ozml's to add
        files to.
        """
        uid = os.geteuid()
        if os.fstat(root.fd).st_uid == uid:
            try:
                os.mkdir(FOLDER, 0o777, dir_fd=root.fd)
            except FileExistsError:
                return False
            return True
        info = root.status(FOLDER)
        if info is None or (stat.S_ISDIR(info.st_mode) and info.st_uid != uid):
            return None
        return False

    def _open_version(self, base: SafeFolder) -> SafeFolder:
        """Open the folder of this ozml version, making it (with its mark) when missing."""
        from ozml.atomic import SafeFolder

        try:
            os.mkdir(self.name, 0o777, dir_fd=base.fd)
        except FileExistsError:
            return SafeFolder.open(self.name, base)
        version = SafeFolder.open(self.name, base)
        try:
            version.write(MARK, self.mark(self.name), replace=False)
        except BaseException:
            version.close()
            raise
        return version

    def _claim(self, version: SafeFolder) -> bool:
        """Whether the version folder carries this user's mark.

        A folder that holds nothing, or only the temporary file of a mark being written, is
        one that another run of ozml has just made (or was stopped making): the mark is
        waited for a moment, and written to an empty folder. A folder with anything else in
        it and no valid mark was not made by ozml for this user: it is not used.
        """
        expected = self.mark(self.name)
        pending = f".{MARK}."
        for _ in range(10):
            # Listed first, read after: a mark listed is complete (it is linked into place
            # once written), so a listing with it and a read that fails is a forgery.
            names = [name for name, _ in version.entries()]
            if version.read(MARK, len(expected)) == expected:
                return True
            if not names:
                version.write(MARK, expected, replace=False)
            elif all(name.startswith(pending) for name in names):
                time.sleep(0.01)
            else:
                return False
        return version.read(MARK, len(expected)) == expected

    def mark(self, name: str) -> bytes:
        """The content of the mark file of the version folder `name`: only the user's ozml
        can write it, so it proves that ozml made the folder."""
        key = hmac.new(self._secret or b"", b"ozml cache folder mark", hashlib.sha256).digest()
        mac = hmac.new(key, name.encode("ascii"), hashlib.sha256).hexdigest()
        return _MARK_HEAD + mac.encode("ascii") + b"\n"

    def _drop_other_versions(self, base: SafeFolder) -> None:
        """Delete the folders of other ozml versions that ozml provably made; leave everything
        else alone."""
        from ozml.atomic import SafeFolder

        uid = os.geteuid()
        for name, info in base.entries():
            if name == self.name or not _VERSION_NAME.fullmatch(name):
                continue
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid:
                continue
            try:
                with SafeFolder.open(name, base) as old:
                    mark = old.read(MARK, 1024)
                    if mark is not None and hmac.compare_digest(mark, self.mark(name)):
                        base.remove_tree(name)
                    elif mark == _OLD_MARK:
                        self._drop_old_format(base, old, name)
            except OSError:
                continue

    def _drop_old_format(self, base: SafeFolder, old: SafeFolder, name: str) -> None:
        """Delete a folder with the old, unkeyed mark if it holds nothing but that mark and
        entries sealed under the user's secret: then everything in it is ozml's own output.

        Anything else (another file, a folder, a link, an entry that does not verify) keeps
        the folder and everything in it. Only the names checked are removed, and the folder
        itself only once it is empty.
        """
        entries: list[str] = []
        for entry, info in old.entries():
            if entry == MARK:
                continue
            if not _ENTRY_NAME.fullmatch(entry) or not stat.S_ISREG(info.st_mode):
                return
            entries.append(entry)
        for entry in entries:
            data = old.read(entry, _MAX_ENTRY)
            if data is None or self._unsealed(entry[: -len(".json")], data) is None:
                return
        for entry in [*entries, MARK]:
            os.unlink(entry, dir_fd=old.fd)
        os.rmdir(name, dir_fd=base.fd)

    def _reopen(self) -> None:
        """Open the version folder made by `prepare` (in a worker), without making anything."""
        from ozml.atomic import SafeFolder

        try:
            with SafeFolder.open(str(self.root), owned=False) as root, SafeFolder.open(
                FOLDER, root
            ) as base:
                self._version = SafeFolder.open(self.name, base)
        except OSError:
            self.enabled = False

    def _close(self) -> None:
        if self._version is not None:
            self._version.close()
            self._version = None

    def key(self, data: bytes, settings: LintSettings) -> str:
        """The name of a file's entry: an HMAC of its settings and bytes under the secret."""
        known = self._keys.get(id(settings))
        if known is None or known[0] is not settings:
            mac = hmac.new(self._secret or b"", digestmod=hashlib.sha256)
            mac.update(settings_key(settings).encode("utf-8", "surrogatepass") + b"\0")
            known = self._keys[id(settings)] = (settings, mac)
        mac = known[1].copy()
        mac.update(data)
        return str(mac.hexdigest())

    def get(self, key: str) -> tuple[list[Diagnostic], str | None] | None:
        """The cached findings (and the document's declared encoding), or None."""
        version = self._version
        if not self.enabled or version is None:
            return None
        data = version.read(f"{key}.json", _MAX_ENTRY)
        if data is None:
            return None
        payload = self._unsealed(key, data)
        if payload is None:
            return None  # not written by this user's ozml: worked out again and rewritten
        try:
            return decode(payload.decode("utf-8"))
        except (ValueError, KeyError, TypeError):
            return None  # damaged: worked out again and rewritten

    def put(self, key: str, diagnostics: list[Diagnostic], encoding: str | None) -> None:
        version = self._version
        if not self.enabled or version is None:
            return
        payload = encode(diagnostics, encoding).encode("utf-8")
        try:
            version.write(f"{key}.json", self._seal(key, payload) + b"\n" + payload)
        except OSError:
            self.enabled = False

    def _unsealed(self, key: str, data: bytes) -> bytes | None:
        """The payload of the entry `data` stored under `key`, or None if its seal is wrong."""
        seal, _, payload = data.partition(b"\n")
        return payload if hmac.compare_digest(seal, self._seal(key, payload)) else None

    def _seal(self, key: str, payload: bytes) -> bytes:
        """The HMAC that proves an entry was written by this user's ozml for this key."""
        mac = hmac.new(self._secret or b"", key.encode("ascii") + b"\0", hashlib.sha256)
        mac.update(payload)
        return mac.hexdigest().encode("ascii")


__all__ = [
    "FOLDER",
    "FORMAT",
    "MARK",
    "Cache",
    "code_fingerprint",
    "decode",
    "encode",
    "settings_key",
    "user_secret",
]
