"""The project pass is linear: its time as the documents, or the links of each, double.

The project rules (OZ811-OZ815, docs/project.md) run over the whole application once per
``ozml check``: every document is read and parsed once, the links are resolved through the URL
map, reachability, the strongly connected components (Tarjan) and the variables along every path
are worked out. This benchmark builds generated applications at sizes n, 2n, 4n and 8n in one
dimension at a time and times `ozml.lint.project.check_project` on each (the median CPU time of
``--repeats`` runs), printing the ratio per doubling: about 2.0 is linear, and a ratio above
2.6 (``--threshold``) is flagged.

* **documents**: a chain of menus, each linking by GoTo and ForwardToURL to the next two, with
  a variable defined at the entry point and used along the way, and a loop back to the start
  through a menu (a cycle that is not endless);
* **links**: one document with n GoTo links inside menu branches, each to its own document;
* **dead links**: n links of one document to files that do not exist (the findings' cost).

    python benchmarks/bench_project.py            # n = 250 documents or links
    python benchmarks/bench_project.py --n 50 --repeats 1

Exit status 0 when the table was printed (with ``--strict``: 1 when a row is flagged).
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ozml.lint import LintSettings
from ozml.lint.project import check_project
from ozml.project.urlmap import UrlMap

HOST = "http://ivr.example.com"
SETTINGS = LintSettings()


def _menu(keys: list[tuple[str, str]], forward: str, extra: str = "") -> str:
    inputs = "".join(
        f'      <Input Key="{key}">\n        <GoTo>{url}</GoTo>\n      </Input>\n'
        for key, url in keys
    )
    return (
        "<Response>\n"
        f"{extra}"
        f'  <UserInput Timeout="5" ForwardToURL="{forward}">\n'
        "    <InitialCommands>\n      <Speak>Choose.</Speak>\n    </InitialCommands>\n"
        f"    <Inputs>\n{inputs}    </Inputs>\n"
        "  </UserInput>\n"
        "</Response>\n"
    )


def documents(folder: Path, n: int) -> None:
    for i in range(n):
        keys = [(str(k + 1), f"{HOST}/d{(i + k + 1) % n}.php") for k in range(2)]
        extra = '  <Var Id="caller">x</Var>\n' if i == 0 else "  <Speak>$caller</Speak>\n"
        (folder / f"d{i}.xml").write_text(_menu(keys, f"{HOST}/d{(i + 1) % n}.php", extra))


def links(folder: Path, n: int) -> None:
    keys = [(str(k % 10), f"{HOST}/d{k + 1}.php") for k in range(n)]
    (folder / "d0.xml").write_text(_menu(keys, f"{HOST}/d1.php"))
    for k in range(n):
        (folder / f"d{k + 1}.xml").write_text("<Response>\n  <Hangup/>\n</Response>\n")


def dead_links(folder: Path, n: int) -> None:
    keys = [(str(k % 10), f"{HOST}/missing{k}.php") for k in range(n)]
    (folder / "d0.xml").write_text(_menu(keys, f"{HOST}/missing.php"))


DIMENSIONS: dict[str, Callable[[Path, int], None]] = {
    "documents": documents,
    "links": links,
    "dead links": dead_links,
}


def measure(folder: Path, repeats: int) -> float:
    url_map = UrlMap.parse({f"{HOST}/{{name}}.php": "{name}.xml"}, folder)
    entries = [("IncomingCall", ["d0.xml"])]
    times = []
    for _ in range(repeats):
        started = time.process_time()
        check_project(url_map, entries, lambda path: SETTINGS)
        times.append(time.process_time() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=250, help="the smallest size (default 250)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per cell (median)")
    parser.add_argument("--threshold", type=float, default=2.6)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a row is flagged")
    args = parser.parse_args(argv)
    sizes = [args.n * 2**k for k in range(4)]
    print(f"ozml project pass; median CPU time of {args.repeats} runs; flag > {args.threshold}")
    print(f"{'dimension':<12} " + " ".join(f"{f'n={s}':>10}" for s in sizes) + "   ratios")
    flagged = 0
    work = Path(tempfile.mkdtemp(prefix="ozml-project-"))
    try:
        for name, make in DIMENSIONS.items():
            seconds = []
            for size in sizes:
                folder = work / f"{name.replace(' ', '-')}-{size}"
                folder.mkdir()
                make(folder, size)
                seconds.append(measure(folder, args.repeats))
            ratios = [b / a if a > 0 else float("nan") for a, b in itertools.pairwise(seconds)]
            flag = any(r > args.threshold for r in ratios)
            flagged += flag
            cells = " ".join(f"{s * 1000:8.1f}ms" for s in seconds)
            shown = "  ".join(f"{r:.2f}" for r in ratios)
            print(f"{name:<12} {cells}   {shown}{'  FLAGGED' if flag else ''}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(DIMENSIONS)} rows, {flagged} flagged")
    return 1 if args.strict and flagged else 0


if __name__ == "__main__":
    sys.exit(main())
