"""`python -m ozml.generate [--check]`: regenerate (or check) the generated artefacts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ozml.generate import drift, write_all


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m ozml.generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if any file is out of date")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    args = parser.parse_args()
    if args.check:
        stale = drift(args.root)
        for path in stale:
            print(f"out of date: {path} (run `python -m ozml.generate`)", file=sys.stderr)
        return 1 if stale else 0
    try:
        for path in write_all(args.root):
            print(f"wrote {path}")
    except OSError as error:  # a link, a file that cannot be replaced, a full disk
        where = f"{error.filename}: " if error.filename else ""
        print(f"python -m ozml.generate: error: {where}{error.strerror or error}", file=sys.stderr)
        return 2
    return 0


sys.exit(main())
