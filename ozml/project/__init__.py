"""The project: the documents of one application, the links between them, and the URL map.

`ozml.project.urlmap` says which local file answers which URL (the ``[urls]`` table);
`ozml.project.links` finds the links of one parsed document; `ozml.project.graph` builds the
whole project once (documents, resolved links, entry points, reachability, cycles). The
cross-document lint rules (OZ811-OZ815), the dry run, the simulator and ``ozml graph`` read it.
Nothing here imports the linter, the interpreter or the command line (import-linter holds it).
"""

from __future__ import annotations

from ozml.project.urlmap import Entry, EntryKind, Target, TargetKind, UrlMap, UrlMapError

__all__ = ["Entry", "EntryKind", "Target", "TargetKind", "UrlMap", "UrlMapError"]
