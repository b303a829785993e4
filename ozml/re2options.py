"""The options ozml compiles google-re2 expressions with (`ozml.gitignore`, `ozml.api.redact`).

An expression only tells whether and where it matches: nothing is captured, and an expression
google-re2 refuses raises `re2.error` for the caller to answer, without google-re2 logging it
too. With `latin1` each byte is one character (a path as git sees it), otherwise the input is
UTF-8. `max_mem` is the memory budget, google-re2's own where it is not given.

re2 is imported on the first call, not with this module: a run that matches nothing with it
never loads it (cold start, DESIGN.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import re2


def matcher_options(*, latin1: bool, max_mem: int | None = None) -> re2.Options:
    """google-re2's options for an expression that only matches (see the module)."""
    import re2

    options = re2.Options()
    if latin1:
        options.encoding = type(options.encoding).LATIN1
    options.log_errors = False
    options.never_capture = True
    if max_mem is not None:
        options.max_mem = max_mem
    return options
