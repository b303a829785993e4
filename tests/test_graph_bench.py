"""benchmarks/bench_graph.py runs: it prints the doubling table of every stage of `ozml graph`.

The timings themselves are not tested (DESIGN.md: benchmarks, never timed tests); the ratios it
prints are in the report of a run (docs/graph.md, Speed).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks" / "bench_graph.py"


def test_bench_graph_prints_every_dimension_and_stage_with_the_ratios() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--n", "40", "--repeat", "1"],
        capture_output=True, text=True, cwd=REPO, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["dimension", "stage", "n=40", "n=80", "n=160", "2n/n", "4n/2n"]
    sys.path.insert(0, str(BENCH.parent))
    try:
        from bench_graph import DIMENSIONS, STAGES
    finally:
        sys.path.remove(str(BENCH.parent))
    rows = lines[1:-1]
    assert len(rows) == len(DIMENSIONS) * len(STAGES)
    for row, (dimension, stage) in zip(
        rows, [(d, s) for d in DIMENSIONS for s in STAGES], strict=True
    ):
        assert row.startswith(f"{dimension:<24}{stage:<18}")
        assert row.count("ms") == 3
    assert lines[-1].endswith("row(s) over the threshold 2.6")


def test_bench_graph_refuses_a_size_the_parser_would_refuse() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--n", "4000"],
        capture_output=True, text=True, cwd=REPO, timeout=300, check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].endswith(
        "n=16000 makes a document the parser refuses; choose a smaller --n"
    )
