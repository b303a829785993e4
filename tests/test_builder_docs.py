"""The Python examples of docs/builder.md, formatter.md and fixes.md run and print what they say.

A ```python block is run (blocks of one page share their names); when the next block is an
```xml or ```text block, it is what the Python block prints, or, when it raises, the exception's
last traceback line. A block whose first line is ``# not run`` is only compiled.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def blocks(page: Path) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _BLOCK.finditer(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("name", ["builder.md", "formatter.md", "fixes.md"])
def test_examples_print_what_the_page_shows(name: str) -> None:
    page = DOCS / name
    found = blocks(page)
    namespace: dict[str, object] = {"__name__": "docs_example"}
    ran = 0
    for i, (kind, code) in enumerate(found):
        if kind != "python":
            continue
        compiled = compile(code, f"{name} block {i}", "exec")
        if code.startswith("# not run"):
            continue
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            try:
                exec(compiled, namespace)
                shown = output.getvalue()
            except Exception as error:
                shown = f"{type(error).__module__}.{type(error).__qualname__}: {error}\n"
        ran += 1
        following = found[i + 1] if i + 1 < len(found) else None
        if following is not None and following[0] in ("xml", "text"):
            assert shown.rstrip("\n") == following[1].rstrip("\n"), f"{name} block {i}"
        else:
            assert "Error" not in shown, f"{name} block {i} raised: {shown}"
    assert ran >= 1
