"""The project: the documents of one application, the links between them, and the URL map.

`ozml.project.urlmap` says which local file answers which URL (the ``[urls]`` table);
`ozml.project.links` finds the links of one parsed document; `ozml.project.graph` builds the
whole project once (documents, resolved links, entry points, reachability, cycles). The
cross-document lint rules (OZ811-OZ815), the dry run, the simulator and ``ozml graph`` read it.
Nothing here imports the linter, the interpreter or the command line (import-linter holds it).
The names below are loaded on first use (PEP 562), so that the per-file linter, which reads
only `ozml.project.links`, does not load the URL map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ozml.lazy import loader

if TYPE_CHECKING:
    from ozml.project.urlmap import Entry, EntryKind, Target, TargetKind, UrlMap, UrlMapError

_HOMES = dict.fromkeys(
    ("Entry", "EntryKind", "Target", "TargetKind", "UrlMap", "UrlMapError"), "ozml.project.urlmap"
)

__getattr__ = loader(__name__, _HOMES, globals())

__all__ = ["Entry", "EntryKind", "Target", "TargetKind", "UrlMap", "UrlMapError"]
