"""The full linter (or the formatter) of two versions of ozml, side by side on the same files.

This machine's speed moves by a third from one minute to the next, so two versions measured
one after the other cannot be compared. Here each version runs in its own long-lived process
(its source folder first on ``PYTHONPATH``), both read the same corpus once, and they take turns
on chunks of it (``--chunk`` files; which goes first alternates), each timing every file's
`ozml.lint.lint` in CPU time. A slow minute slows both sides' chunks alike, and the median of
the per-chunk ratios says what the change bought. Both processes are pinned to one core
(``--core``; where the system allows it): left to the scheduler, each tends to stay on a core
of its own, and when the host slows one core and not the other, two copies of the same code
measured 1.28 times apart (docs/performance.md). Clean files and files with findings are
counted apart (each version's own verdict: a change of results shows as different counts).
With ``--stage fmt`` each side parses and formats every file (`ozml.formatter.format_result`)
instead, and the two counts are the files already formatted and those that would change.

    git worktree add /tmp/base HEAD~1          # the version to compare with
    python benchmarks/bench_ab.py /tmp/base    # this checkout against it
    python benchmarks/bench_ab.py /tmp/base --corpus DIR --rounds 5
    python benchmarks/bench_ab.py /tmp/base --stage fmt

Without ``--corpus``, a corpus of ``--files`` generated documents (``corpus.py``, a quarter of
them with a mistake by default) is written to a temporary folder first. Nothing is asserted:
the figures are printed, and written as JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

#: One side: loads the corpus, works on every file once (not timed: plans, tables, imports),
#: then answers each "FIRST STOP" line with the CPU time its files from FIRST to STOP took,
#: clean (or already formatted) and the others apart.
WORKER = """\
import os, sys, time
core = int(sys.argv[3])
if core >= 0:
    os.sched_setaffinity(0, {core})
import ozml
from ozml.lint.linter import lint
if sys.argv[2] == "fmt":
    from ozml.formatter import FormatError, format_result
    from ozml.parser import parse

    def work(data, path):
        try:
            return not format_result(parse(data, path)).changed
        except FormatError:
            return False
else:
    def work(data, path):
        return not lint(data, path)
files = []
for folder, dirs, names in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(names):
        path = os.path.join(folder, name)
        with open(path, "rb") as handle:
            files.append((handle.read(), path))
clean = [work(data, path) for data, path in files]
print(len(files), os.path.dirname(os.path.dirname(os.path.abspath(ozml.__file__))), flush=True)
clock = time.process_time
for line in sys.stdin:
    first, stop = map(int, line.split())
    spent = {True: 0.0, False: 0.0}
    count = {True: 0, False: 0}
    for index in range(first, stop):
        data, path = files[index]
        started = clock()
        work(data, path)
        spent[clean[index]] += clock() - started
        count[clean[index]] += 1
    print(spent[True], count[True], spent[False], count[False], flush=True)
"""


class Side:
    """One version of ozml in its own process, ready to work on chunks of the corpus."""

    def __init__(
        self, name: str, source: Path, corpus: Path, stage: str = "lint", core: int = -1
    ) -> None:
        self.name = name
        env = dict(os.environ, PYTHONPATH=str(source))
        # Started in the corpus folder: `python -c` puts the current folder first on the path,
        # and a checkout's own folder there would win over PYTHONPATH.
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, ".", stage, str(core)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=corpus,
        )
        files, loaded = self._line().split(maxsplit=1)
        self.files = int(files)
        if Path(loaded.strip()).resolve() != source.resolve():
            self.close()
            raise SystemExit(f"bench_ab: the {name} side loaded ozml from {loaded.strip()}")
        #: Seconds and files, clean and with findings, over every chunk.
        self.spent = {True: 0.0, False: 0.0}
        self.count = {True: 0, False: 0}

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"bench_ab: the {self.name} side stopped (see its error above)")
        return line

    def chunk(self, first: int, stop: int) -> tuple[float, float]:
        """Work on files first..stop-1; the seconds spent on clean (or already formatted) files
        and on the others."""
        stdin: IO[str] | None = self.process.stdin
        assert stdin is not None
        stdin.write(f"{first} {stop}\n")
        stdin.flush()
        clean_s, clean_n, dirty_s, dirty_n = self._line().split()
        self.spent[True] += float(clean_s)
        self.spent[False] += float(dirty_s)
        self.count[True] += int(clean_n)
        self.count[False] += int(dirty_n)
        return float(clean_s), float(dirty_s)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()

    def per_file_us(self, clean: bool) -> float:
        return self.spent[clean] / max(self.count[clean], 1) * 1e6


def compare(
    base: Path,
    new: Path,
    corpus: Path,
    rounds: int,
    chunk: int,
    stage: str = "lint",
    core: int = -1,
) -> dict[str, object]:
    """Both versions on `corpus` in turns (see the module's documentation); `core` is the core
    both processes run on (-1: wherever the system puts them)."""
    sides = [Side("base", base, corpus, stage, core), Side("new", new, corpus, stage, core)]
    files = sides[0].files
    ratios: dict[bool, list[float]] = {True: [], False: []}
    try:
        for round_ in range(rounds):
            for number, first in enumerate(range(0, files, chunk)):
                stop = min(first + chunk, files)
                order = sides if (number + round_) % 2 == 0 else sides[::-1]
                spent = {side.name: side.chunk(first, stop) for side in order}
                for k, clean in enumerate((True, False)):
                    if spent["base"][k] > 0 and spent["new"][k] > 0:
                        ratios[clean].append(spent["new"][k] / spent["base"][k])
    finally:
        for side in sides:
            side.close()
    figures: dict[str, object] = {
        "files": files, "rounds": rounds, "chunk": chunk, "stage": stage, "core": core,
    }
    for side in sides:
        figures[side.name] = {
            "clean_us": side.per_file_us(True),
            "findings_us": side.per_file_us(False),
            "clean_files": side.count[True] // rounds,
            "findings_files": side.count[False] // rounds,
        }
    for clean, key in ((True, "clean"), (False, "findings")):
        figures[f"{key}_ratio"] = statistics.median(ratios[clean]) if ratios[clean] else None
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="source folder of the version to compare with")
    parser.add_argument(
        "--new", type=Path, default=REPO, help="source folder of the other (default: this one)"
    )
    parser.add_argument("--corpus", type=Path, help="a folder of documents (default: generated)")
    parser.add_argument("--files", type=int, default=3000, help="generated documents")
    parser.add_argument("--mistake-rate", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the corpus")
    parser.add_argument("--chunk", type=int, default=250, help="files per turn")
    parser.add_argument(
        "--stage",
        choices=("lint", "fmt"),
        default="lint",
        help="what each side does to a file: lint it (default), or parse and format it",
    )
    parser.add_argument(
        "--core",
        type=int,
        default=None,
        help="the core both sides run on (default: the first this process may use; -1: not"
        " pinned, which measures the difference between cores too)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    core = args.core
    if not hasattr(os, "sched_setaffinity"):
        core = -1  # not on this system: the scheduler places them
    elif core is None:
        core = min(os.sched_getaffinity(0))
    elif core >= 0 and core not in os.sched_getaffinity(0):
        parser.error(f"--core {core}: this process may use cores {sorted(os.sched_getaffinity(0))}")
    for folder in (args.base, args.new):
        if not (folder / "ozml" / "__init__.py").is_file():
            parser.error(f"{folder} holds no ozml package (ozml/__init__.py)")
    with tempfile.TemporaryDirectory(prefix="ozml-bench-ab-") as scratch:
        corpus = args.corpus
        if corpus is None:
            sys.path.insert(0, str(HERE))
            from corpus import generate

            corpus = Path(scratch) / "corpus"
            generate(corpus, args.files, seed=args.seed, mistake_rate=args.mistake_rate)
        figures = compare(
            args.base, args.new, corpus, args.rounds, args.chunk, args.stage, core
        )
    where = f"both on core {core}" if core >= 0 else "not pinned"
    print(
        f"{figures['files']} files, {args.rounds} rounds, chunks of {args.chunk}, {args.stage},"
        f" {where}"
    )
    good, other = ("unchanged", "changed") if args.stage == "fmt" else ("clean", "with findings")
    for name in ("base", "new"):
        side = figures[name]
        assert isinstance(side, dict)
        print(
            f"{name:>5}: {good} {side['clean_us']:.0f} µs ({side['clean_files']} files),"
            f" {other} {side['findings_us']:.0f} µs ({side['findings_files']} files)"
        )
    shown = {k: figures[f"{k}_ratio"] for k in ("clean", "findings")}
    labels = {"clean": good, "findings": other}
    print(
        "new/base, median of the chunks: "
        + ", ".join(
            f"{labels[k]} {v:.3f}" if isinstance(v, float) else f"{labels[k]} -"
            for k, v in shown.items()
        )
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
