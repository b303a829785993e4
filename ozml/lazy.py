"""Public names of a package loaded on first use (PEP 562), so that importing one module of
the package does not load the others: `ozml check` imports only what it needs (cold start,
DESIGN.md). The packages `ozml`, `ozml.lint`, `ozml.flow`, `ozml.project` and `ozml.callmodel` use
it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def loader(package: str, homes: dict[str, str], names: dict[str, Any]) -> Callable[[str], Any]:
    """The module ``__getattr__`` of `package`: a name of `homes` (name → the module that
    defines it) is imported from its module on first use and kept in `names` (the package's
    ``globals()``), so the next use does not come here."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        names[name] = value
        return value

    return __getattr__
