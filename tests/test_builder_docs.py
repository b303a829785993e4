"""The Python examples of docs/builder.md, formatter.md and fixes.md run and print what they say.

A ```python block is run (blocks of one page share their names); when the next block is an
```xml or ```text block, it is what the Python block prints, or, when it raises, the exception's
last traceback line. A block after ``<!-- skip: next "reason" -->`` is only compiled.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
_BLOCK = re.compile(r"^(<!-- skip: next .*? -->\n)?```(\w+)\n(.*?)^```$", re.M | re.S)


def blocks(page: Path) -> list[tuple[str, str, bool]]:
    """(language, code, whether it is only illustrative) of each fenced block."""
    text = page.read_text(encoding="utf-8")
    return [(m.group(2), m.group(3), m.group(1) is not None) for m in _BLOCK.finditer(text)]


@pytest.mark.parametrize("name", ["builder.md", "formatter.md", "fixes.md"])
def test_examples_print_what_the_page_shows(name: str) -> None:
    page = DOCS / name
    found = blocks(page)
    namespace: dict[str, object] = {"__name__": "docs_example"}
    ran = 0
    for i, (kind, code, illustrative) in enumerate(found):
        if kind != "python":
            continue
        compiled = compile(code, f"{name} block {i}", "exec")
        if illustrative:
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
        if following is not None and following[0] in ("xml", "text") and not following[2]:
            assert shown.rstrip("\n") == following[1].rstrip("\n"), f"{name} block {i}"
        else:
            assert "Error" not in shown, f"{name} block {i} raised: {shown}"
    assert ran >= 1
