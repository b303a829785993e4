"""What a run makes only when it needs it (cold start, DESIGN.md).

`loader`: public names of a package loaded on first use (PEP 562), so that importing one module
of the package does not load the others: `ozml check` imports only what it needs. The packages
`ozml`, `ozml.lint`, `ozml.flow`, `ozml.project` and `ozml.callmodel` use it.

`pattern`: a module's regular expression compiled the first time it is used. Compiling one takes
tens to hundreds of microseconds, and a run with a finding loads some seventy modules, most of
whose expressions serve only some documents (comments, template parts, URLs, syntax errors).
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable
from typing import Any, AnyStr


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


def pattern(source: AnyStr, flags: int = 0) -> Callable[[], re.Pattern[AnyStr]]:
    """A function that gives `source` (a str or bytes pattern) compiled with `flags`, compiled
    when it is first called (``_COMMENT().finditer(text)``)."""

    @functools.cache
    def compiled() -> re.Pattern[AnyStr]:
        return re.compile(source, flags)

    return compiled
