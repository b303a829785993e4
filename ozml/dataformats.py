"""Reading TOML and JSON text (configuration, scenarios, credentials, baselines): every way the
standard library refuses a text is one error, `DataError`, with the place where it can say.

`tomllib` and `json` raise their own decode errors for text that is not TOML or JSON, but two
refusals escape them: a number of more digits than Python converts (4,300 by default,
`sys.get_int_max_str_digits`; a plain ValueError), and arrays or tables nested deeper than
Python recurses (RecursionError). Both reached users as internal errors, or as a message that
named neither the file nor the place. One TOML text tomllib would read is refused too, where it
is written: a key of more than `MAX_KEY_PARTS` dotted parts, which tomllib reads in time that
grows with the square of its parts.
"""

from __future__ import annotations

import re
import sys
import tomllib
from typing import Any


class DataError(ValueError):
    """The text is not TOML (`load_toml`) or JSON (`load_json`); the message says why and,
    where it can, the line and column."""


#: A number where a value begins (after ``=``, ``:``, ``[`` or ``,``, and a sign): its digits,
#: which TOML allows underscores between.
_NUMBER = re.compile(r"[=:\[,]\s*[+-]?([0-9][0-9_]*)")


def _long_number(text: str) -> str:
    """The message for a number of more digits than Python converts, at the first such."""
    limit = sys.get_int_max_str_digits()
    for found in _NUMBER.finditer(text):
        if limit and len(found.group(1).replace("_", "")) > limit:
            start = found.start(1)
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            return f"a number of more than {limit:,} digits (at line {line}, column {column})"
    return f"a number of more than {limit:,} digits"


_TOO_DEEP = "arrays or tables nested too deeply"

#: The most dotted parts a key or a table header may have (``tool.ozml.format`` has three).
#: tomllib builds, for each part of a key, the path to it from the root and looks it up, so its
#: time grows with the square of a key's parts: a key of 12,800 parts takes seconds, one of a
#: million (a few megabytes) would never be read. A longer key is refused before tomllib reads
#: it; files of ozml's have keys of a few parts.
MAX_KEY_PARTS = 64
#: A line with `MAX_KEY_PARTS` dots (a key spans no line end): only a text with one can hold
#: such a key, and only such a text is scanned for it.
_MANY_DOTS = re.compile(rf"^(?:[^.\n]*+\.){{{MAX_KEY_PARTS}}}", re.MULTILINE)


def load_toml(text: str) -> dict[str, Any]:
    """The TOML document `text`, or `DataError`."""
    if _MANY_DOTS.search(text) is not None:
        from ozml.tomlpositions import TomlPositions

        found = TomlPositions(text).first_long_key(MAX_KEY_PARTS)
        if found is not None:
            raise DataError(
                f"a key of more than {MAX_KEY_PARTS} dotted parts, which ozml does not read"
                f" (at line {found[0]}, column {found[1]})"
            )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataError(str(error)) from None
    except RecursionError:
        raise DataError(_TOO_DEEP) from None
    except ValueError:  # int() of too many digits (tomllib's other errors are its own)
        raise DataError(_long_number(text)) from None


def load_json(text: str) -> Any:
    """The JSON value `text`, or `DataError`."""
    import json  # not on the way of a TOML file

    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(str(error)) from None
    except RecursionError:
        raise DataError(_TOO_DEEP.replace("tables", "objects")) from None
    except ValueError:  # int() of too many digits
        raise DataError(_long_number(text)) from None


__all__ = ["MAX_KEY_PARTS", "DataError", "load_json", "load_toml"]
