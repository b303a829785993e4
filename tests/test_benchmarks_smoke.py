"""The benchmarks run: the corpus is deterministic and bench_check.py works end to end.

Benchmarks are scripts, not timed tests: nothing here asserts a speed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import document, generate  # noqa: E402


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.xml"))}


def test_corpus_is_deterministic_and_about_800_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 60, seed=3, per_folder=25)
    generate(tmp_path / "b", 60, seed=3, per_folder=25)
    generate(tmp_path / "c", 60, seed=4, per_folder=25)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    assert _tree(tmp_path / "a") != _tree(tmp_path / "c")
    assert [p.parent.name for p in first[:26:25]] == ["part000", "part001"]
    sizes = [p.stat().st_size for p in first]
    assert 650 <= sum(sizes) / len(sizes) <= 950


def test_a_commented_corpus_is_the_same_documents_with_a_comment_and_the_same_findings(
    tmp_path: Path,
) -> None:
    # The quick check's rows compare the corpus with and without comments: only the comment
    # and the blank line after it may differ, so the findings are the same but for the lines
    # they are on.
    from corpus import COMMENT

    from ozml.lint import lint

    plain = generate(tmp_path / "plain", 80, seed=5, per_folder=80, mistake_rate=0.25)
    some = generate(tmp_path / "some", 80, seed=5, per_folder=80, mistake_rate=0.25,
                    comment_rate=0.5)  # fmt: skip
    commented = 0
    for a, b in zip(plain, some, strict=True):
        text, other = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
        if other != text:
            commented += 1
            assert other.replace(COMMENT + "\n", "", 1) == text
        # (messages may name a line, two lines further down in the commented document)
        assert [d.code for d in lint(other)] == [d.code for d in lint(text)]
    assert 20 <= commented <= 60


def test_corpus_documents_are_mostly_clean_with_some_findings() -> None:
    import random

    from ozml.lint import lint

    rng = random.Random(1)
    results = [lint(document(rng)) for _ in range(200)]
    dirty = sum(1 for found in results if found)
    assert 2 <= dirty <= 40  # about one in twenty has a mistake


@pytest.mark.skipif(not (REPO / "schema" / "ozml.xsd").is_file(), reason="no schema/ozml.xsd")
def test_bench_check_runs_end_to_end(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "bench_check.py"),
            "--files", "50", "--runs", "1", "--cold-runs", "2", "--sample", "5",
            "--json", str(figures),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("corpus: 50 files,")
    for label in (
        "ozml check (1 process)",
        "ozml check --jobs 2",
        "xmllint --schema (1 process)",
        "lxml parse loop (Python)",
        "xmlschema (extrapolated from 5)",
        "ozml check / xmllint",
        "xmlschema / ozml check",
        "cold start ozml / import lxml",
        "peak RSS 5 files",
    ):
        assert label in out
    data = json.loads(figures.read_text())
    assert data["files"] == 50
    assert set(data["seconds"]) == {
        "ozml_check",
        "ozml_check_jobs2",
        "xmllint_schema",
        "lxml_parse_loop",
        "xmlschema_extrapolated",
    }
    assert all(value > 0 for value in data["seconds"].values())


def test_bench_check_fails_clearly_without_the_schema(tmp_path: Path) -> None:
    # A copy of the benchmarks folder in a tree without schema/ozml.xsd.
    bench = tmp_path / "benchmarks"
    bench.mkdir()
    for name in ("bench_check.py", "corpus.py"):
        (bench / name).write_text((REPO / "benchmarks" / name).read_text())
    done = subprocess.run(
        [sys.executable, str(bench / "bench_check.py"), "--files", "20"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "bench_check: schema/ozml.xsd is missing; generate it with `python -m ozml.generate`\n"
    )


def test_bench_linear_runs_and_prints_the_doubling_table(tmp_path: Path) -> None:
    figures = tmp_path / "linear.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "bench_linear.py"),
            "--quick", "--scale", "0.005", "--json", str(figures),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("ozml linear-time benchmark;")
    assert "ratios per doubling" in out
    from bench_linear import DIMENSIONS, KINDS

    rows = json.loads(figures.read_text())
    assert {(r["dimension"], r["stage"]) for r in rows} == {
        (d.name, s) for d in DIMENSIONS for s in d.stages
    }
    # Every kind of input has a dimension, and every stage times one.
    assert {d.kind for d in DIMENSIONS} == set(KINDS)
    assert {s for d in DIMENSIONS for s in d.stages} == {
        s for stages in KINDS.values() for s in stages
    }
    for dim in DIMENSIONS:
        assert f"\n{dim.name}: " in out
        for stage in dim.stages:
            assert f"{dim.name:<17} {stage:<15}" in out
    for row in rows:
        assert len(row["sizes"]) == 4
        assert row["sizes"] == [row["sizes"][0] * 2**k for k in range(4)]
        assert len(row["ratios"]) == 3
    assert out.rstrip().splitlines()[-1].startswith(f"{len(rows)} rows, ")


def test_bench_linear_documents_grow_with_their_dimension() -> None:
    from bench_linear import DIMENSIONS

    from ozml.parser import parse

    for dim in DIMENSIONS:
        small, large = dim.generate(20), dim.generate(40)
        if dim.kind == "scenario":  # the script beside it stays the same
            assert len(large) > len(small), dim.name
        else:
            assert len(large) > 1.5 * len(small), dim.name
        if dim.kind not in ("document", "builder"):
            continue
        well_formed = not parse(large).problems
        assert well_formed is (dim.name != "broken nesting"), dim.name


def test_bench_simulator_quick_places_every_call_and_prints_the_figures(tmp_path: Path) -> None:
    pytest.importorskip("httpx")  # the simulator's notifications need it
    figures = tmp_path / "simulator.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "bench_simulator.py"),
            "--quick", "--json", str(figures),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert out.startswith("simulator benchmark: 20 inbound calls, 5 placed at a time,")
    for label in (
        "simulator: calls completed",
        "notifications (60), sim side",
        "IncomingCall",
        "DtmfEntered",
        "RecordCompleted",
        "app handler time",
        "reference: 60 POSTs, client side",
        "notifications/s, simulator / reference",
        "p99 notification latency, sim / ref",
        "peak RSS: simulator",
    ):
        assert label in out
    assert "calls completed: 20 of 20; errors: 0" in out
    data = json.loads(figures.read_text())
    (run,) = data["simulator"]
    assert run["completed"] == 20
    assert run["notifications"] == 60
    assert run["errors"] == []
    assert data["reference"][0]["posts"] == 60
    assert data["reference"][0]["errors"] == []


def test_bench_simulator_fails_when_calls_do_not_complete() -> None:
    pytest.importorskip("httpx")
    # IncomingCall goes to a page the application does not have (404): every call ends in
    # Error after its first notification, so none completes and the benchmark must say so.
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bench_simulator as b\n"
        "config = b.simulator_config\n"
        "b.simulator_config = lambda url, real: config(url + '/nowhere', real)\n"
        "b.STALL = 3.0\n"
        "sys.exit(b.main(['--quick']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(REPO / "benchmarks")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "calls completed: 0 of 20;" in done.stdout
    assert "20 calls ended Error, not CalleeHungUp" in done.stdout
    assert "IncomingCall: HTTP 404" in done.stdout


@pytest.mark.skipif(not (REPO / "schema" / "ozml.xsd").is_file(), reason="no schema/ozml.xsd")
def test_bench_table_prints_every_row_side_by_side(tmp_path: Path) -> None:
    # The rows that need no network or server (the cold start installs a wheel with pip, the
    # language server rows have their own test): at a tiny size, every row is printed once in
    # the closing table, and the figures are written.
    figures = tmp_path / "table.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "bench_table.py"),
            "--files", "30", "--pairs", "1", "--big-mb", "1", "--no-50mb",
            "--no-cold", "--no-lsp", "--no-linear", "--json", str(figures),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = done.stdout[done.stdout.index("| | measured") :].splitlines()
    assert table[1] == "| --- | --- | --- | --- |"
    rows = [line.split(" | ")[0].lstrip("| ") for line in table[2:]]
    assert rows == [
        "`ozml check` 30 files, 5% with mistakes, `--jobs 1`, vs one `xmllint --noout --schema`",
        f"same, default jobs ({os.cpu_count()} cores)",
        "full linter, per 800-byte file (clean / with findings)",
        "`ozml fmt --check` 30 files, speed relative to `ozml check --jobs 1`",
        "the quick check's regular expressions: `ozml check --jobs 1` without them / with them"
        " (30 files, 5% with mistakes; the same with a comment in each; one clean file)",
        "the quick check's strict schema: `ozml check --jobs 1` without it / with it"
        " (30 files, 5% with mistakes; the same with a comment in each; one clean file)",
        "the whole quick check: without it / with it",
        "`ozml check` 30 files, 25% with mistakes, `--jobs 1`, vs one `xmllint --noout --schema`",
        f"same, default jobs ({os.cpu_count()} cores)",
        "1 MB document with one finding, vs xmllint --schema",
    ]
    for line in table[2:]:
        assert line.endswith((" | met |", " | not met |", " | - | - |")), line
    data = json.loads(figures.read_text())
    assert set(data) == {
        "check_0.05",
        "check_0.25",
        "linter_us",
        "fmt_vs_check_speed",
        "quick_check_buys",
        "big_1mb",
    }
    assert set(data["quick_check_buys"]) == {"corpus", "commented", "one_file"}
    for ratios in data["quick_check_buys"].values():
        assert set(ratios) == {"regex", "schema", "both"}
    assert data["big_1mb"]["file_bytes"] >= 1_000_000
    assert data["big_1mb"]["peak_rss_bytes"] > 0


def test_bench_table_judges_the_doubling_table_as_bench_linear_does() -> None:
    # The row takes bench_linear.py's verdict (its `flagged`, on the last doubling after a
    # second measurement), not the largest ratio of the noisy first doublings.
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_table
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    rows = [
        {"dimension": "elements", "stage": "check", "ratios": [3.1, 2.0, 2.1], "flagged": False},
        {"dimension": "elements", "stage": "lint", "ratios": [1.9, 2.2, None], "flagged": False},
        {"dimension": "text", "stage": "lint", "ratios": [2.0, 2.0, 3.4], "flagged": True},
        {"dimension": "nesting", "stage": "check", "ratios": [None, None], "flagged": False},
    ]
    last, flagged = bench_table.doubling_verdict(rows)
    assert last == {"elements": 2.2, "text": 3.4}
    assert flagged == ["text (lint)"]


def test_bench_project_prints_the_doubling_rows() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "bench_project.py"),
            "--n", "5", "--repeats", "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].split() == ["dimension", "n=5", "n=10", "n=20", "n=40", "ratios"]
    assert [line.split()[0] for line in lines[2:4]] == ["documents", "links"]
    assert lines[4].startswith("dead links ")
    for line in lines[2:5]:
        assert len(line.split("ms")) == 5  # four sizes, then three ratios
    # Whether a row is flagged depends on the machine's load at this tiny size: not asserted.
    assert re.fullmatch(r"3 rows, [0-3] flagged", lines[-1])


@pytest.mark.parametrize("stage", ["lint", "fmt"])
def test_bench_ab_compares_two_source_folders_in_one_run(tmp_path: Path, stage: str) -> None:
    figures = tmp_path / "ab.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "bench_ab.py"),
            str(REPO),
            "--files", "40", "--rounds", "1", "--chunk", "10", "--json", str(figures),
            "--stage", stage,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "new/base, median of the chunks" in done.stdout
    found = json.loads(figures.read_text())
    assert found["files"] == 40
    assert found["stage"] == stage
    assert ("unchanged" in done.stdout) == (stage == "fmt")
    # The same code on both sides: the same verdicts on every file.
    assert found["base"]["clean_files"] == found["new"]["clean_files"]
    assert found["base"]["clean_files"] + found["base"]["findings_files"] == 40
    assert found["clean_ratio"] > 0
    # Both sides on one core (the first this process may use), where the system allows it.
    if hasattr(os, "sched_getaffinity"):
        assert found["core"] == min(os.sched_getaffinity(0))
        assert f"both on core {found['core']}" in done.stdout


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no core affinity here")
def test_bench_ab_refuses_a_core_it_may_not_use() -> None:
    beyond = max(os.sched_getaffinity(0)) + 1
    script = str(REPO / "benchmarks" / "bench_ab.py")
    done = subprocess.run(
        [sys.executable, script, str(REPO), "--core", str(beyond)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert f"--core {beyond}: this process may use cores" in done.stderr


def test_bench_ab_refuses_a_folder_without_ozml(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_ab.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "holds no ozml package" in done.stderr
