"""Credential redaction (`ozml.api.redact.Redactor`) as the secret and the text double.

Each row doubles one size four times (n, 2n, 4n, 8n) and times two steps apart: building a
redactor for the secret, and redacting the text with it (``Redactor.text``; ``Redactor.data``
for the bytes rows). Each step is timed with the redactor of this tree (google-re2) and with
the one before it (Python's ``re``, from git: `OLD`), side by side, with the ratio per
doubling: about 2.0 is linear in the size that doubles, about 1.0 does not depend on it, 4.0
is quadratic. A ratio above `THRESHOLD` is marked ``!``.

The rows:

* ``secret``: a secret of n characters (letters, digits, punctuation, non-ASCII), the text a
  fixed 256 KiB of prose with the secret spelled whole in it twice, percent-encoded and as XML
  references;
* ``text``, ``text bytes``: a secret of 1,000 such characters, the text n characters of prose
  with a spelling of the secret every 16 KiB;
* ``overlap secret``: a secret of n ``a``, the text a fixed 4,000 ``a`` and a ``b``;
* ``overlap text``: a secret of 500 ``a``, the text n characters of 499 ``a`` and a ``b``
  again and again: 500 places where a match could start are alive at once, every one dies at
  the ``b``;
* ``overlap both``: a secret of n ``a``, the text n - 1 ``a`` and a ``b``: as the secret and
  the text double together, the places alive at once double too, and the time grows as the
  product of the two lengths, with either engine (`ozml.api.redact` says why no exact matcher
  does better for every secret);
* ``backslashes``: a secret of n backslashes and a ``Z``, the text 1.5 n backslashes, n = 6,
  12, 18, 24 (not doubling): a backslash is also spelled as two, and Python's ``re`` tried each
  of the C(n, n/2) ways the run splits, 3.5 times longer for each 2 more.

A step that took more than ``--limit`` seconds is not run at the larger sizes of its row.

    python benchmarks/bench_redact.py             # the whole table: a few minutes
    python benchmarks/bench_redact.py --quick     # smaller sizes: under a minute
    python benchmarks/bench_redact.py --rows text,backslashes

Exit status 0 when the table was printed, 2 when the old redactor cannot be read from git.
"""

from __future__ import annotations

import argparse
import functools
import gc
import itertools
import re
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2

from ozml.api.redact import Redactor

#: The last commit whose redactor matched with Python's ``re``.
OLD = "349c894"
THRESHOLD = 2.6
DOUBLINGS = 4
ROOT = Path(__file__).resolve().parent.parent

_PROSE = (
    "The PBX answered the request with a parse error, quoting it back: command=Hold&CallId="
    "Nt3uh at 10:42, extension 102 rang twice & nobody picked up. "
)
_SECRET_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@$^*()-_.~é日ü"


def _old_redactor() -> Callable[[list[str]], Any]:
    """`Redactor` as it was at `OLD`, read from git and loaded as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{OLD}:ozml/api/redact.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("ozml_redact_before_re2")
    sys.modules[module.__name__] = module  # attrs and dataclasses look their module up
    exec(compile(source, f"{OLD}:ozml/api/redact.py", "exec"), module.__dict__)
    old: Callable[[list[str]], Any] = module.Redactor
    return old


def _secret(n: int) -> str:
    """n characters of `_SECRET_CHARACTERS`, in an order that does not repeat soon."""
    size = len(_SECRET_CHARACTERS)
    return "".join(_SECRET_CHARACTERS[(i * 7 + i // size) % size] for i in range(n))


def _prose(n: int) -> str:
    return (_PROSE * (n // len(_PROSE) + 1))[:n]


def _spelled(secret: str, how: int) -> str:
    """`secret` percent-encoded (`how` 0), as XML references (1), or plain with its non-ASCII
    characters percent-encoded (2)."""
    if how == 0:
        return "".join(f"%{b:02X}" for b in secret.encode())
    if how == 1:
        return "".join(f"&#{ord(c)};" if i % 2 else f"&#x{ord(c):x};" for i, c in enumerate(secret))
    return "".join(c if c.isascii() else "".join(f"%{b:02x}" for b in c.encode()) for c in secret)


def _with_secret(secret: str, n: int, every: int) -> str:
    """n characters of prose with a spelling of `secret` every `every` characters."""
    pieces, size, how = [], 0, 0
    while size < n:
        piece = _prose(every) + _spelled(secret, how % 3)
        pieces.append(piece)
        size += len(piece)
        how += 1
    return "".join(pieces)[:n]


@dataclass(frozen=True)
class Row:
    name: str
    #: The secret and the text (str; the bytes rows redact its UTF-8) at size n.
    make: Callable[[int], tuple[str, str]]
    sizes: tuple[int, ...]
    quick: tuple[int, ...]
    as_bytes: bool = False


def _sizes(first: int) -> tuple[int, ...]:
    return tuple(first << i for i in range(DOUBLINGS))


ROWS = (
    Row(
        "secret",
        lambda n: (_secret(n), _prose(1 << 17) + _spelled(_secret(n), 0) + _prose(1 << 17)
                   + _spelled(_secret(n), 1)),
        _sizes(2_000),
        _sizes(500),
    ),
    Row("text", lambda n: (_secret(1_000), _with_secret(_secret(1_000), n, 1 << 14)),
        _sizes(1 << 20), _sizes(1 << 17)),
    Row("text bytes", lambda n: (_secret(1_000), _with_secret(_secret(1_000), n, 1 << 14)),
        _sizes(1 << 20), _sizes(1 << 17), as_bytes=True),
    Row("overlap secret", lambda n: ("a" * n, "a" * 3_999 + "b"), _sizes(2_000), _sizes(500)),
    Row("overlap text", lambda n: ("a" * 500, ("a" * 499 + "b") * (n // 500)),
        _sizes(1 << 16), _sizes(1 << 14)),
    Row("overlap both", lambda n: ("a" * n, "a" * (n - 1) + "b"), _sizes(2_000), _sizes(500)),
    Row("backslashes", lambda n: ("\\" * n + "Z", "\\" * (n + n // 2)), (6, 12, 18, 24),
        (6, 12, 18, 24)),
)


def _purge() -> None:
    """Empty the caches of compiled expressions (Python's ``re`` and google-re2 keep the last
    ones compiled): a build is timed as the first of its expression."""
    re.purge()
    re2.purge()


def _timed(step: Callable[[], object]) -> float:
    """The median of up to three runs of `step`, fewer when one takes a second or more."""
    times: list[float] = []
    while len(times) < 3 and sum(times) < 1.0:
        _purge()
        gc.collect()
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _one(row: Row, n: int, make: Callable[[list[str]], Any]) -> tuple[float, float]:
    """The build and match times of `row` at size `n` with the redactor class `make`."""
    secret, text = row.make(n)
    built = _timed(functools.partial(make, ["admin", secret]))
    redactor = make(["admin", secret])
    if row.as_bytes:
        data = text.encode()
        redactor.data(b"")  # made at the first use: built, not matched
        matched = _timed(functools.partial(redactor.data, data))
        shown = redactor.data(data).decode()
    else:
        matched = _timed(functools.partial(redactor.text, text))
        shown = redactor.text(text)
    if secret in shown:
        raise AssertionError(f"{row.name}: the secret of {n} characters was shown")
    return built, matched


def _measure(
    row: Row, sizes: tuple[int, ...], make: Callable[[list[str]], Any], limit: float
) -> dict[str, list[float | None]]:
    """The build and match times of `row` at each of `sizes` with the redactor class `make`;
    None past a step that took more than `limit` seconds."""
    found: dict[str, list[float | None]] = {"build": [], "match": []}
    done = False
    for n in sizes:
        built, matched = (None, None) if done else _one(row, n, make)
        found["build"].append(built)
        found["match"].append(matched)
        done = done or max(built or 0.0, matched or 0.0) > limit
    return found


def _cell(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.1f}" if seconds < 10 else f"{seconds * 1000:.0f}"


def _ratios(times: list[float | None]) -> str:
    out = []
    for before, after in itertools.pairwise(times):
        if before is None or after is None:
            out.append("   -")
            continue
        ratio = after / before if before > 0 else float("inf")
        out.append(f"{ratio:4.2f}{'!' if ratio > THRESHOLD else ' '}")
    return " ".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--rows", help="comma-separated row names (default: all)")
    parser.add_argument("--limit", type=float, default=15.0, help="seconds past which a row stops")
    options = parser.parse_args(argv)
    try:
        old = _old_redactor()
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"bench_redact: cannot read the redactor of {OLD} from git: {error}", file=sys.stderr)
        return 2
    wanted = set(options.rows.split(",")) if options.rows else None
    print(f"ms at n, 2n, 4n, 8n; ratio per doubling (! above {THRESHOLD}); "
          f"re2 = this tree, re = {OLD}")
    print(f"{'row':<15} {'step':<6} {'n':>8} {'engine':<6} {'times (ms)':<40} ratios")
    for row in ROWS:
        if wanted is not None and row.name not in wanted:
            continue
        sizes = row.quick if options.quick else row.sizes
        for engine, make in (("re2", Redactor), ("re", old)):
            found = _measure(row, sizes, make, options.limit)
            for step in ("build", "match"):
                cells = " ".join(f"{_cell(t):>9}" for t in found[step])
                print(f"{row.name:<15} {step:<6} {sizes[0]:>8} {engine:<6} {cells:<40} "
                      f"{_ratios(found[step])}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
