"""Every performance target of DESIGN.md, measured side by side in one run, as one table.

Each row compares ozml with its reference in the same run, as the median of interleaved pairs:
the two commands of a pair run one right after the other (which goes first alternates), the
pair's ratio is taken, and the median of the ratios is shown, so that load from other processes
on the machine hits both sides of each ratio alike. The rows:

* the full linter (no quick check, no cache), microseconds per 800-byte file, clean and with
  findings (read and parse included);
* ``ozml check`` on the corpus (10,000 files, 5% with a mistake) with ``--jobs 1`` and with the
  default jobs, against one ``xmllint --noout --schema schema/ozml.xsd FILE...`` process;
* the same on a corpus where 25% of the files have a mistake;
* a 5 MB and a 50 MB document with one finding, against xmllint on the same file, with the
  peak memory of ``ozml check`` beside the file's size;
* cold start: ``ozml check one.xml`` from a wheel installed in a fresh virtual environment,
  against ``python -c "import lxml.etree"`` in the same environment, for a clean file and for
  one with a finding (which loads the linter);
* ``ozml fmt --check`` on the corpus against ``ozml check --jobs 1`` (files per second);
* what each recogniser of the quick check (`ozml.lint.quick`) buys: ``ozml check --jobs 1`` on
  the corpus with 5% mistakes, on the same corpus with a comment in every file, and on one
  clean file, without the regular expressions, without the strict schema and without either,
  each against the same command with both (a recogniser is worth keeping only when it buys
  more than 1.3× on the corpus);
* the language server's two rows (`bench_lsp.py`, a real server over stdio);
* the doubling table's last ratio per dimension and its verdict (`bench_linear.py`).

    python benchmarks/bench_table.py                  # everything: about ten minutes
    python benchmarks/bench_table.py --files 1000 --pairs 3 --no-50mb --no-lsp --no-linear
    python benchmarks/bench_table.py --json figures.json

Exit status 0 when the table was printed, 2 when a prerequisite is missing (xmllint, the
schema). The figures are never asserted by a test (a test runs this at a tiny size).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCHEMA = REPO / "schema" / "ozml.xsd"
sys.path.insert(0, str(HERE))

import bench_check  # noqa: E402 (the benchmarks folder is not a package)
from bench_check import LINT_LOOP, Run, bytecode_env, run  # noqa: E402
from corpus import big_document, generate  # noqa: E402

MiB = 1024 * 1024


class Table:
    """The rows printed at the end: what, measured, goal, and whether the goal is met."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []
        self.figures: dict[str, Any] = {}

    def add(self, what: str, measured: str, goal: str, met: bool | None) -> None:
        verdict = "-" if met is None else ("met" if met else "not met")
        self.rows.append((what, measured, goal, verdict))
        print(f"  {what}: {measured} (goal {goal}: {verdict})", flush=True)

    def print(self) -> None:
        print()
        print("| | measured (medians of interleaved pairs) | goal | |")
        print("| --- | --- | --- | --- |")
        for row in self.rows:
            print("| " + " | ".join(row) + " |")


def interleaved(commands: Sequence[Callable[[], Run]], pairs: int) -> list[list[Run]]:
    """Run each command `pairs` times, the order rotating each round: one list per command."""
    runs: list[list[Run]] = [[] for _ in commands]
    for round_ in range(pairs):
        order = list(range(len(commands)))
        shift = round_ % len(order)
        for index in order[shift:] + order[:shift]:
            runs[index].append(commands[index]())
    return runs


def ratio(mine: list[Run], theirs: list[Run]) -> float:
    """The median of the pairs' ratios of wall time."""
    return statistics.median(a.seconds / b.seconds for a, b in zip(mine, theirs, strict=True))


def median_s(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def ozml_cmd(python: str, *args: str) -> list[str]:
    return [python, "-m", "ozml", *args]


def expected(result: Run, code: int, what: str) -> Run:
    """`result`, once it has ended as a correct run of `what` does (exit status `code`): a
    run that failed (an error in ozml, a process killed) is never timed as if it had worked."""
    if result.status != code:
        raise SystemExit(
            f"bench_table: {what} exited with status {result.status}, expected {code}:"
            " its time would be the time of a failure"
        )
    return result


def corpus_rows(
    table: Table, args: argparse.Namespace, workdir: Path, rate: float, xmllint: str
) -> None:
    corpus = workdir / f"corpus-{rate:g}"
    paths = generate(
        corpus, args.files, args.seed, per_folder=max(args.files // 10, 1), mistake_rate=rate
    )
    relative = [str(p.relative_to(corpus)) for p in paths]
    name = f"{args.files:,} files, {rate:.0%} with mistakes"
    print(f"-- ozml check, {name}", flush=True)
    py = sys.executable
    plain = ["--no-cache", "--quiet"]
    run(ozml_cmd(py, "check", *plain, "."), corpus)  # untimed: fills the bytecode cache

    def one() -> Run:
        done = run(ozml_cmd(py, "check", *plain, "--jobs", "1", "."), corpus)
        return expected(done, 1, f"ozml check --jobs 1 on {corpus}")

    def default() -> Run:
        return expected(run(ozml_cmd(py, "check", *plain, "."), corpus), 1, f"ozml check {corpus}")

    def lint() -> Run:
        return run([xmllint, "--noout", "--schema", str(SCHEMA), *relative], corpus)

    j1, dj, x1 = interleaved([one, default, lint], args.pairs)
    r1, rd = ratio(j1, x1), ratio(dj, x1)
    strict = rate <= 0.05
    goal1, goald = (1.5, 1.0) if strict else (2.0, 1.5)
    table.add(
        f"`ozml check` {name}, `--jobs 1`, vs one `xmllint --noout --schema`",
        f"{r1:.2f}× ({median_s(j1):.2f} s vs {median_s(x1):.2f} s)",
        f"≤ {goal1}×",
        r1 <= goal1,
    )
    table.add(
        f"same, default jobs ({os.cpu_count()} cores)",
        f"{rd:.2f}× ({median_s(dj):.2f} s)",
        f"≤ {goald}×",
        rd <= goald,
    )
    table.figures[f"check_{rate:g}"] = {
        "jobs1_vs_xmllint": r1,
        "default_vs_xmllint": rd,
        "seconds": {"jobs1": median_s(j1), "default": median_s(dj), "xmllint": median_s(x1)},
    }
    if strict:
        linter_rows(table, args, corpus)
        fmt_row(table, args, corpus, one)
        quick_rows(table, args, corpus, workdir)


def linter_rows(table: Table, args: argparse.Namespace, corpus: Path) -> None:
    print("-- the full linter, per file", flush=True)
    clean: list[float] = []
    dirty: list[float] = []
    for _ in range(args.pairs):
        out = run([sys.executable, "-c", LINT_LOOP, "."], corpus, capture=True).stdout.split()
        clean.append(float(out[0]))
        dirty.append(float(out[1]))
    c, d = statistics.median(clean), statistics.median(dirty)
    table.add(
        "full linter, per 800-byte file (clean / with findings)",
        f"{c:.0f} µs / {d:.0f} µs (CPU)",
        "≤ 50 µs / ≤ 100 µs",
        c <= 50 and d <= 100,
    )
    table.figures["linter_us"] = {"clean": c, "with_findings": d}


def fmt_row(table: Table, args: argparse.Namespace, corpus: Path, check: Callable[[], Run]) -> None:
    print("-- ozml fmt --check", flush=True)

    def fmt() -> Run:
        return run(ozml_cmd(sys.executable, "fmt", "--check", "--quiet", "."), corpus)

    fmts, checks = interleaved([fmt, check], args.pairs)
    # files per second of fmt over files per second of check: ≥ 1 is at least check's speed
    speed = ratio(checks, fmts)
    table.add(
        f"`ozml fmt --check` {args.files:,} files, speed relative to `ozml check --jobs 1`",
        f"{speed:.2f}× ({args.files / median_s(fmts):,.0f} files/s)",
        "≥ 1.0×",
        speed >= 1.0,
    )
    table.figures["fmt_vs_check_speed"] = speed


#: ``ozml check`` with a recogniser of the quick check left out: argv[1] names it (``regex``,
#: ``schema``, ``both``, or ``none`` for the command as it is, started the same way), the rest
#: are the command's arguments. Without the regular expressions every document goes to the
#: schema; without the schema the regular expressions start at once (not after `REGEX_AFTER`
#: documents), and what they do not recognise goes to the linter; without either, every
#: document does.
WITHOUT = """\
import sys
from ozml.lint import quick
for name in ("_recogniser", "_by_schema", "REGEX_AFTER"):  # what is replaced must exist
    assert hasattr(quick, name), f"ozml.lint.quick has no {name}: update bench_table.WITHOUT"
left_out = sys.argv[1]
if left_out in ("regex", "both"):
    quick._recogniser = lambda context: None
if left_out in ("schema", "both"):
    quick._by_schema = lambda prover, data: False
    quick.REGEX_AFTER = 1
from ozml.cli import main
raise SystemExit(main(sys.argv[2:]))
"""

#: Below this a recogniser is not worth its second definition of a clean document.
KEEP_ABOVE = 1.3


def quick_rows(table: Table, args: argparse.Namespace, corpus: Path, workdir: Path) -> None:
    """What each recogniser of the quick check buys: on the corpus, on the same corpus with a
    comment in every file (which the regular expressions do not read), and on one clean file."""
    print("-- what the quick check's recognisers buy", flush=True)
    with_comments = workdir / "corpus-commented"
    generate(
        with_comments,
        args.files,
        args.seed,
        per_folder=max(args.files // 10, 1),
        mistake_rate=0.05,
        comment_rate=1.0,
    )
    clean = next(p for p in sorted(corpus.rglob("*.xml")) if _clean(p))
    names = ("none", "regex", "schema", "both")

    def bought(where: Path, paths: str, pairs: int, status: int) -> dict[str, list[Run]]:
        def without(left_out: str) -> Callable[[], Run]:
            def command() -> Run:
                done = run(
                    [sys.executable, "-c", WITHOUT, left_out, "check", "--no-cache", "--quiet",
                     "--jobs", "1", paths],
                    where,
                )  # fmt: skip
                return expected(done, status, f"ozml check without {left_out} on {where}")

            return command

        runs = interleaved([without(n) for n in names], pairs)
        return dict(zip(names, runs, strict=True))

    sets = {
        "corpus": bought(corpus, ".", args.pairs, 1),
        "commented": bought(with_comments, ".", args.pairs, 1),
        "one_file": bought(corpus, str(clean.relative_to(corpus)), 4 * args.pairs, 0),
    }
    ratios = {
        where: {n: ratio(runs[n], runs["none"]) for n in names[1:]} for where, runs in sets.items()
    }

    def shown(name: str) -> str:
        corpus_s = median_s(sets["corpus"][name])
        one_ms = median_s(sets["one_file"][name]) * 1000
        return (
            f"{ratios['corpus'][name]:.2f}× ({corpus_s:.2f} s); with comments"
            f" {ratios['commented'][name]:.2f}×; one file {ratios['one_file'][name]:.2f}×"
            f" ({one_ms:.0f} ms)"
        )

    for name, what, them in (
        ("regex", "regular expressions", "them"),
        ("schema", "strict schema", "it"),
    ):
        table.add(
            f"the quick check's {what}: `ozml check --jobs 1` without {them} / with {them}"
            f" ({args.files:,} files, 5% with mistakes; the same with a comment in each;"
            " one clean file)",
            shown(name),
            f"> {KEEP_ABOVE}× on the corpus to be kept",
            ratios["corpus"][name] > KEEP_ABOVE,
        )
    table.add(
        "the whole quick check: without it / with it",
        f"{shown('both')}, with both {median_s(sets['corpus']['none']):.2f} s and"
        f" {median_s(sets['one_file']['none']) * 1000:.0f} ms",
        "-",
        None,
    )
    table.figures["quick_check_buys"] = ratios


def _clean(path: Path) -> bool:
    """Whether `ozml check` finds nothing in `path` (the one-file rows need a clean file)."""
    done = subprocess.run(
        ozml_cmd(sys.executable, "check", "--no-cache", "--quiet", str(path)),
        env=bench_check.ENV,
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def big_rows(table: Table, args: argparse.Namespace, workdir: Path, xmllint: str) -> None:
    for megabytes in args.big:
        path = workdir / f"big-{megabytes}mb.xml"
        path.write_text(big_document(megabytes * 1_000_000, args.seed), encoding="utf-8")
        size = path.stat().st_size
        print(f"-- a {megabytes} MB document with one finding", flush=True)
        # As many pairs for the 50 MB document as for the rest: xmllint's time on it moves by
        # a third from one run to the next, and three pairs left the verdict to chance.
        pairs = args.pairs

        def mine(path: Path = path, size: int = size) -> Run:
            # Over the default size limit (10 MiB) a document is reported, not parsed.
            limit = str(2 * size)
            done = run(
                ozml_cmd(
                    sys.executable,
                    "check",
                    "--no-cache",
                    "--quiet",
                    "--max-bytes",
                    limit,
                    str(path),
                )
            )
            return expected(done, 1, f"ozml check on {path} (one finding)")

        def theirs(path: Path = path) -> Run:
            return run([xmllint, "--noout", "--schema", str(SCHEMA), str(path)])

        ours, lint = interleaved([mine, theirs], pairs)
        r = ratio(ours, lint)
        rss = statistics.median(x.max_rss_kb for x in ours) * 1024
        table.add(
            f"{megabytes} MB document with one finding, vs xmllint --schema",
            f"{r:.1f}× ({median_s(ours):.1f} s, {rss / MiB:.0f} MiB = {rss / size:.1f}× the"
            f" file{', within the limit' if rss <= 10 * size else ''}; xmllint"
            f" {median_s(lint):.2f} s)",
            "≤ 5×, memory ≤ 10× the file",
            r <= 5 and rss <= 10 * size,
        )
        table.figures[f"big_{megabytes}mb"] = {
            "ratio": r,
            "seconds": median_s(ours),
            "xmllint_seconds": median_s(lint),
            "peak_rss_bytes": rss,
            "file_bytes": size,
        }


def cold_row(table: Table, args: argparse.Namespace, workdir: Path) -> None:
    """A wheel of this checkout installed in a fresh virtual environment, as users have it."""
    print("-- cold start (a wheel in a fresh virtual environment)", flush=True)
    wheels = workdir / "wheels"
    venv = workdir / "venv"

    def quietly(command: list[str]) -> None:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

    quietly(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)]
    )
    quietly([sys.executable, "-m", "venv", str(venv)])
    python = str(venv / "bin" / "python")
    wheel = next(wheels.glob("ozml-*.whl"))
    quietly([python, "-m", "pip", "install", "-q", str(wheel)])
    one = workdir / "one.xml"
    one.write_text("<Response><Speak>Hello.</Speak><Hangup/></Response>\n", encoding="utf-8")
    # The same file with one mistake: what a pre-commit run on a changed file with a finding
    # starts like (the linter, the tree and the findings are loaded; the clean path needs none).
    found = workdir / "one-finding.xml"
    found.write_text("<Response><Speek>Hello.</Speek><Hangup/></Response>\n", encoding="utf-8")
    ozml_bin = str(venv / "bin" / "ozml")

    def theirs() -> Run:
        return run([python, "-c", "import lxml.etree"])

    for path, status, what, key in (
        (one, 0, "one file", "cold_start"),
        (found, 1, "one file with a finding", "cold_start_finding"),
    ):

        def mine(path: Path = path, status: int = status) -> Run:
            done = run([ozml_bin, "check", "--no-cache", str(path)])
            return expected(done, status, f"ozml check {path.name}")

        mine()
        theirs()  # untimed: compile nothing later (an installed wheel has its bytecode)
        ours, lxml = interleaved([mine, theirs], args.cold_pairs)
        r = ratio(ours, lxml)
        table.add(
            f"cold start, {what}, wheel in a fresh venv, vs `python -c \"import lxml.etree\"`",
            f"{r:.2f}× ({median_s(ours) * 1000:.0f} vs {median_s(lxml) * 1000:.0f} ms)",
            "≤ 1.6×",
            r <= 1.6,
        )
        table.figures[key] = {
            "ratio": r,
            "ozml_ms": median_s(ours) * 1000,
            "lxml_ms": median_s(lxml) * 1000,
        }


def figures_of(script: str, sizes: list[str], options: list[str], out: Path) -> Any:
    """Run another benchmark of this folder (its output hidden) and read the figures it writes
    as JSON to `out`."""
    subprocess.run(
        [sys.executable, str(HERE / script), *sizes, *options, "--json", str(out)],
        stdout=subprocess.DEVNULL,
        check=True,
        env=bench_check.ENV,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def lsp_rows(table: Table, args: argparse.Namespace, workdir: Path) -> None:
    print("-- language server (bench_lsp.py)", flush=True)
    figures = figures_of(
        "bench_lsp.py",
        ["--lines", str(args.lsp_lines), "--open-lines", str(args.lsp_open_lines)],
        ["--edits", "16", "--opens", "3"],
        workdir / "lsp.json",
    )
    edit = figures["finding"]["completed_ms"]
    plain = figures["finding"]["plain_ms"]
    table.add(
        f"language server, {args.lsp_lines:,} lines, edit then diagnostics, with a completion"
        " request in between",
        f"{edit:.0f} ms ({plain:.0f} without)",
        "≤ 30 ms",
        edit <= 30,
    )
    opened = figures["open_ms"]
    table.add(
        f"language server, open a {args.lsp_open_lines:,}-line document",
        f"{opened / 1000:.2f} s",
        "≤ 1.5 s",
        opened <= 1500,
    )
    table.figures["lsp"] = figures


def doubling_verdict(rows: list[dict[str, Any]]) -> tuple[dict[str, float], list[str]]:
    """The doubling table's verdict as bench_linear.py gives it, from its JSON rows: per
    dimension the ratio of its last doubling (the larger over the stages), and the rows it
    flagged. A row is flagged when its last doubling (the largest sizes, the least noisy) is
    above the threshold after a second measurement; the first doublings are runs of a few
    milliseconds, which the machine moves more than the code does."""
    last: dict[str, float] = {}
    flagged: list[str] = []
    for row in rows:
        ratios = [r for r in row["ratios"] if r is not None]
        if ratios:
            last[row["dimension"]] = max(last.get(row["dimension"], 0.0), ratios[-1])
        if row["flagged"]:
            flagged.append(f"{row['dimension']} ({row['stage']})")
    return last, flagged


def linear_rows(table: Table, args: argparse.Namespace, workdir: Path) -> None:
    print(
        f"-- doubling table (bench_linear.py --scale {args.linear_scale}, the check and lint"
        " stages; the whole table: run it alone)",
        flush=True,
    )
    rows = figures_of(
        "bench_linear.py",
        ["--scale", str(args.linear_scale)],
        ["--repeats", "3", "--stages", "check,check long run,lint"],
        workdir / "linear.json",
    )
    last, flagged = doubling_verdict(rows)
    shown = ", ".join(f"{dim} {value:.2f}" for dim, value in sorted(last.items()))
    if flagged:
        shown += "; flagged: " + ", ".join(flagged)
    table.add(
        "linear in every dimension: time ratio of the last doubling (check and lint stages,"
        " the larger of the two; a flagged row measured twice)",
        shown,
        "about 2 (≤ 2.6)",
        not flagged,
    )
    table.figures["linear_last_ratio"] = last
    table.figures["linear_flagged"] = flagged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="corpus size (default 10000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pairs", type=int, default=5, help="interleaved pairs per ratio")
    parser.add_argument("--cold-pairs", type=int, default=20, help="pairs for the cold start")
    parser.add_argument("--no-50mb", action="store_true", help="only the 5 MB document")
    parser.add_argument("--big-mb", type=int, default=5, help="size of the smaller document")
    parser.add_argument("--no-cold", action="store_true", help="skip the wheel's cold start")
    parser.add_argument("--no-lsp", action="store_true", help="skip the language server rows")
    parser.add_argument("--lsp-lines", type=int, default=5000)
    parser.add_argument("--lsp-open-lines", type=int, default=50000)
    parser.add_argument("--no-linear", action="store_true", help="skip the doubling table")
    parser.add_argument(
        "--linear-scale", type=float, default=0.5, help="bench_linear.py's --scale (default 0.5)"
    )
    parser.add_argument("--workdir", type=Path, help="where to write files (default: temp)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    args.big = [args.big_mb] if args.no_50mb else [args.big_mb, 10 * args.big_mb]
    xmllint = shutil.which("xmllint")
    if xmllint is None or not SCHEMA.is_file():
        print(
            "bench_table: needs xmllint (apt install libxml2-utils) and schema/ozml.xsd",
            file=sys.stderr,
        )
        return 2
    if args.files < 10:
        print("bench_table: --files must be at least 10", file=sys.stderr)
        return 2
    owned = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="ozml-table-")) if owned else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    bench_check.ENV.clear()
    bench_check.ENV.update(bytecode_env(workdir / "pycache"))
    print(f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; {args.pairs} pairs per ratio")
    table = Table()
    try:
        corpus_rows(table, args, workdir, 0.05, xmllint)
        corpus_rows(table, args, workdir, 0.25, xmllint)
        big_rows(table, args, workdir, xmllint)
        if not args.no_cold:
            cold_row(table, args, workdir)
        if not args.no_lsp:
            lsp_rows(table, args, workdir)
        if not args.no_linear:
            linear_rows(table, args, workdir)
    finally:
        if owned:
            shutil.rmtree(workdir, ignore_errors=True)
    table.print()
    if args.json:
        args.json.write_text(json.dumps(table.figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
