"""Benchmark `ozml check` against xmllint, lxml and xmlschema on one generated corpus.

Everything is measured in one run, on the same files, as separate processes timed by wall clock
(DESIGN.md, Performance targets):

* ``ozml check DIR`` in one process, and with ``--jobs 2``;
* one ``xmllint --noout --schema schema/ozml.xsd FILE...`` process over every file;
* a bare lxml parse loop in Python (read and parse every file, nothing else): the floor for any
  Python tool built on lxml, and a bare read loop (the same without the parse): the floor for
  any Python tool at all;
* the pure-Python ``xmlschema`` package validating against the same schema. It is slow, so a
  sample of files is timed and the total extrapolated (the output says so);
* cold start: ``ozml check one.xml`` against ``python -c "import lxml.etree"`` (medians);
* peak memory (max RSS of the ``ozml check`` process) at a tenth of the corpus and at all of it.

Each throughput figure is the best of ``--runs`` runs (runs of the tools are interleaved, so
that load from other processes on the machine hits them alike), with CPU time beside wall time.
The measured processes get a bytecode cache, as an installed package has (`bytecode_env`).
Usage::

    python benchmarks/bench_check.py                 # 10,000 files
    python benchmarks/bench_check.py --files 500     # a quick run
    python benchmarks/bench_check.py --json out.json # also write the figures as JSON

Exit status 0 when the benchmark ran (whatever the figures), 2 when a prerequisite is missing
(schema/ozml.xsd, xmllint). With ``--strict`` a missed target exits 1.
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
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCHEMA = REPO / "schema" / "ozml.xsd"
sys.path.insert(0, str(HERE))

from corpus import MISTAKE_RATE, generate  # noqa: E402 (the benchmarks folder is not a package)

#: DESIGN.md targets.
MAX_VS_XMLLINT = 1.0
MIN_VS_XMLSCHEMA = 20.0
MAX_COLD_START = 2.0

LXML_LOOP = """\
import os, sys
from lxml import etree
parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
count = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        with open(os.path.join(folder, name), "rb") as handle:
            data = handle.read()
        try:
            etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            pass
        count += 1
print(count)
"""

READ_LOOP = """\
import os, sys
count = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        with open(os.path.join(folder, name), "rb") as handle:
            handle.read()
        count += 1
print(count)
"""

XMLSCHEMA_SAMPLE = """\
import sys, time
started = time.perf_counter()
import xmlschema
schema = xmlschema.XMLSchema10(sys.argv[1])
loaded = time.perf_counter()
invalid = 0
for path in sys.argv[2:]:
    if not schema.is_valid(path):
        invalid += 1
done = time.perf_counter()
print(loaded - started, done - loaded, invalid)
"""


#: The full linter (`ozml.lint.linter.lint`, no quick check, no cache) on every file, in one
#: process: microseconds per file, apart for clean files and files with findings (read and
#: parse included, as `ozml check` pays them).
LINT_LOOP = """\
import os, sys, time
from ozml.lint.linter import lint
clock = time.process_time
spent = {True: 0.0, False: 0.0}
count = {True: 0, False: 0}
lint(b"<Response><Speek/><ForwardCall/></Response>")  # not timed: loads what findings need
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        path = os.path.join(folder, name)
        started = clock()
        with open(path, "rb") as handle:
            found = lint(handle.read(), path)
        clean = not found
        spent[clean] += clock() - started
        count[clean] += 1
print(*(spent[k] / max(count[k], 1) * 1e6 for k in (True, False)), count[True], count[False])
"""


class Run:
    """One finished child process: wall time, CPU time, exit status, max RSS, output."""

    def __init__(
        self, seconds: float, cpu: float, status: int, max_rss_kb: int, stdout: bytes
    ) -> None:
        self.seconds = seconds
        self.cpu = cpu
        self.status = status
        self.max_rss_kb = max_rss_kb
        self.stdout = stdout


#: The environment of every measured process (see `bytecode_env`).
ENV: dict[str, str] = dict(os.environ)


def bytecode_env(cache: Path) -> dict[str, str]:
    """The environment with a bytecode cache in `cache`.

    An installed package has its ``.pyc`` files; a source checkout run with
    PYTHONDONTWRITEBYTECODE=1 has none and recompiles every module of ozml at each start, which
    is not what users run. The measured processes therefore get a bytecode cache of their own
    (PYTHONPYCACHEPREFIX, in the benchmark's temporary folder), filled by an untimed first run;
    nothing is written into the source tree.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


#: What starts the measured commands (`run`): a small Python process of its own, which reads
#: one job a line (JSON) and answers with its figures. A process started by this one would
#: count this one's memory as its own: Linux gives a child, in its ``ru_maxrss``, the largest
#: resident size of every memory it had, and until it runs its command a child has its
#: parent's (``fork``, or ``vfork`` as Python starts one). A benchmark that has made a 50 MB
#: document holds a few hundred MiB: the 50 MB row once read 236 MiB for a check that peaked at
#: 138. The launcher holds about ten.
_LAUNCHER = r"""
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    out = open(job["out"], "wb") if job["out"] else subprocess.DEVNULL
    started = time.perf_counter()
    process = subprocess.Popen(job["command"], env=job["env"], cwd=job["cwd"],
                               stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if job["out"]:
        out.close()
    print(json.dumps([seconds, usage.ru_utime + usage.ru_stime,
                      os.waitstatus_to_exitcode(status), usage.ru_maxrss]), flush=True)
"""
_launcher: list[subprocess.Popen[str]] = []


def _launch() -> subprocess.Popen[str]:
    """The launcher (`_LAUNCHER`), started when first needed; it ends with this process."""
    if not _launcher or _launcher[0].poll() is not None:
        _launcher[:] = [
            subprocess.Popen(
                [sys.executable, "-I", "-c", _LAUNCHER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        ]
    return _launcher[0]


def run(command: Sequence[str], cwd: Path | None = None, capture: bool = False) -> Run:
    """Run a command, timing it by wall clock and taking its own max RSS from wait4, from the
    launcher (`_LAUNCHER`), so that the memory is the command's, not this process's."""
    launcher = _launch()
    assert launcher.stdin is not None
    assert launcher.stdout is not None
    with tempfile.NamedTemporaryFile() as out:
        job = {
            "command": list(command),
            "env": ENV,
            "cwd": None if cwd is None else str(cwd),
            "out": out.name if capture else None,
        }
        launcher.stdin.write(json.dumps(job) + "\n")
        launcher.stdin.flush()
        answer = launcher.stdout.readline()
        if not answer:
            raise SystemExit(f"the benchmark's launcher stopped running {list(command)}")
        seconds, cpu, status, maxrss = json.loads(answer)
        stdout = out.read()
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    rss = maxrss // 1024 if sys.platform == "darwin" else maxrss
    return Run(seconds, cpu, status, rss, stdout)


def ozml(*args: str) -> list[str]:
    return [sys.executable, "-m", "ozml", *args]


def check_options() -> list[str]:
    """Options that make every `ozml check` run do the whole work: no cache of findings."""
    done = subprocess.run(
        ozml("check", "--help"), capture_output=True, text=True, check=False, env=ENV
    )
    return ["--no-cache"] if "--no-cache" in done.stdout else []


def best(runs: list[Run]) -> float:
    return min(r.seconds for r in runs)


def best_cpu(runs: list[Run]) -> float:
    return min(r.cpu for r in runs)


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}x"


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="corpus size (default 10000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--mistake-rate",
        type=float,
        default=MISTAKE_RATE,
        help=f"share of files with a mistake (default {MISTAKE_RATE})",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per throughput figure")
    parser.add_argument("--cold-runs", type=int, default=20, help="runs per cold-start median")
    parser.add_argument("--sample", type=int, default=500, help="files xmlschema validates")
    parser.add_argument("--workdir", type=Path, help="where to write the corpus (default: temp)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    if not SCHEMA.is_file():
        print(
            f"bench_check: {SCHEMA.relative_to(REPO)} is missing; generate it with"
            " `python -m ozml.generate`",
            file=sys.stderr,
        )
        return 2
    xmllint = shutil.which("xmllint")
    if xmllint is None:
        print("bench_check: xmllint is not installed (apt install libxml2-utils)", file=sys.stderr)
        return 2
    if args.files < 10:
        print("bench_check: --files must be at least 10", file=sys.stderr)
        return 2

    owned = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="ozml-bench-")) if owned else args.workdir
    try:
        return _benchmark(args, workdir, xmllint)
    finally:
        if owned:
            shutil.rmtree(workdir, ignore_errors=True)


def _benchmark(args: argparse.Namespace, workdir: Path, xmllint: str) -> int:
    ENV.clear()
    ENV.update(bytecode_env(workdir / "pycache"))
    corpus = workdir / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    tenth = max(args.files // 10, 1)
    paths = generate(
        corpus, args.files, args.seed, per_folder=tenth, mistake_rate=args.mistake_rate
    )
    relative = [str(p.relative_to(corpus)) for p in paths]
    average = sum(p.stat().st_size for p in paths) / len(paths)
    cpus = os.cpu_count() or 1
    print(
        f"corpus: {len(paths):,} files, {average:.0f} bytes on average (seed {args.seed},"
        f" mistake rate {args.mistake_rate:g});"
        f" {cpus} CPUs; Python {sys.version.split()[0]}"
    )

    plain = check_options()
    # Untimed first runs: they fill the bytecode cache (ozml's modules, lxml, xmlschema) and
    # say what ozml finds in the corpus.
    run(ozml("rules"))
    run([sys.executable, "-c", XMLSCHEMA_SAMPLE, str(SCHEMA), relative[0]], corpus)
    stats = run(
        ozml("check", *plain, "--statistics", "--format", "json", "."), corpus, capture=True
    )
    findings = sum(item["count"] for item in json.loads(stats.stdout or b"[]"))
    print(f"ozml check reports {findings:,} findings (exit status {stats.status})")

    ozml_one: list[Run] = []
    ozml_two: list[Run] = []
    lint_runs: list[Run] = []
    lxml_runs: list[Run] = []
    read_runs: list[Run] = []
    linter_runs: list[tuple[float, float]] = []
    for _ in range(args.runs):
        ozml_one.append(run(ozml("check", *plain, "--quiet", "--jobs", "1", "."), corpus))
        lint_runs.append(run([xmllint, "--noout", "--schema", str(SCHEMA), *relative], corpus))
        ozml_two.append(run(ozml("check", *plain, "--quiet", "--jobs", "2", "."), corpus))
        lxml_runs.append(run([sys.executable, "-c", LXML_LOOP, "."], corpus))
        read_runs.append(run([sys.executable, "-c", READ_LOOP, "."], corpus))
        per_file = run([sys.executable, "-c", LINT_LOOP, "."], corpus, capture=True).stdout.split()
        linter_runs.append((float(per_file[0]), float(per_file[1])))

    sample = relative[: min(args.sample, len(relative))]
    schema_run = run(
        [sys.executable, "-c", XMLSCHEMA_SAMPLE, str(SCHEMA), *sample], corpus, capture=True
    )
    load_s, validate_s, invalid = (float(x) for x in schema_run.stdout.split())
    xmlschema_total = load_s + validate_s / len(sample) * len(paths)

    one_file = corpus / relative[0]
    cold_ozml: list[Run] = []
    cold_lxml: list[Run] = []
    for _ in range(args.cold_runs):
        cold_ozml.append(run(ozml("check", *plain, str(one_file))))
        cold_lxml.append(run([sys.executable, "-c", "import lxml.etree"]))
    cold_ozml_ms = statistics.median(r.seconds for r in cold_ozml) * 1000
    cold_lxml_ms = statistics.median(r.seconds for r in cold_lxml) * 1000
    cold_cpu_ratio = statistics.median(r.cpu for r in cold_ozml) / statistics.median(
        r.cpu for r in cold_lxml
    )

    first_tenth = corpus / "part000"
    rss_small = min(
        run(ozml("check", *plain, "--quiet", "--jobs", "1", str(first_tenth))).max_rss_kb
        for _ in range(2)
    )
    rss_large = min(r.max_rss_kb for r in ozml_one)

    t_ozml, t_two, t_lint, t_lxml = best(ozml_one), best(ozml_two), best(lint_runs), best(lxml_runs)
    vs_xmllint = t_ozml / t_lint
    vs_xmlschema = xmlschema_total / t_ozml
    cold_ratio = cold_ozml_ms / cold_lxml_ms
    growth = (rss_large - rss_small) / rss_small

    rows = [
        (
            "ozml check (1 process)",
            t_ozml,
            best_cpu(ozml_one),
            f"{fmt_ratio(vs_xmllint)} of xmllint",
        ),
        (
            "ozml check --jobs 2",
            t_two,
            best_cpu(ozml_two),
            f"{fmt_ratio(t_two / t_lint)} of xmllint",
        ),
        ("xmllint --schema (1 process)", t_lint, best_cpu(lint_runs), invalid_note(lint_runs)),
        ("lxml parse loop (Python)", t_lxml, best_cpu(lxml_runs), "read + parse only"),
        ("read loop (Python)", best(read_runs), best_cpu(read_runs), "read only"),
        (
            f"xmlschema (extrapolated from {len(sample)})",
            xmlschema_total,
            None,
            f"{invalid} of {len(sample)} sampled files invalid",
        ),
    ]
    print()
    print(f"{'':34} {'wall s':>8} {'cpu s':>7} {'files/s':>9}  note")
    for name, seconds, cpu, note in rows:
        shown = "" if cpu is None else f"{cpu:.3f}"
        print(f"{name:34} {seconds:8.3f} {shown:>7} {len(paths) / seconds:9,.0f}  {note}")
    print()
    print("targets (DESIGN.md):")
    met_lint = vs_xmllint <= MAX_VS_XMLLINT
    met_schema = vs_xmlschema >= MIN_VS_XMLSCHEMA
    met_cold = cold_ratio <= MAX_COLD_START
    print(
        f"  ozml check / xmllint          {fmt_ratio(vs_xmllint):>8}"
        f"   target <= {MAX_VS_XMLLINT:.1f}x   {verdict(met_lint)}"
    )
    print(
        f"  xmlschema / ozml check        {fmt_ratio(vs_xmlschema):>8}"
        f"   target >= {MIN_VS_XMLSCHEMA:.0f}x    {verdict(met_schema)}"
        f"   (xmlschema extrapolated from {len(sample)} files)"
    )
    print(
        f"  cold start ozml / import lxml {fmt_ratio(cold_ratio):>8}"
        f"   target <= {MAX_COLD_START:.1f}x   {verdict(met_cold)}"
        f"   (medians of {args.cold_runs}: {cold_ozml_ms:.0f} ms vs {cold_lxml_ms:.0f} ms)"
    )
    cpu_vs_xmllint = best_cpu(ozml_one) / best_cpu(lint_runs)
    print(
        f"  by CPU time instead of wall time: ozml check / xmllint {fmt_ratio(cpu_vs_xmllint)},"
        f" cold start {fmt_ratio(cold_cpu_ratio)}"
    )
    clean_us = statistics.median(r[0] for r in linter_runs)
    findings_us = statistics.median(r[1] for r in linter_runs)
    print(
        f"  full linter per file (CPU, median of {len(linter_runs)} interleaved runs):"
        f" {clean_us:.0f} µs clean, {findings_us:.0f} µs with findings"
        f"   target <= 50 / <= 100 µs"
    )
    print(
        f"  peak RSS {tenth:,} files {rss_small / 1024:.1f} MiB, {len(paths):,} files"
        f" {rss_large / 1024:.1f} MiB ({growth:+.1%})"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "files": len(paths),
                    "average_bytes": round(average),
                    "cpus": cpus,
                    "seconds": {
                        "ozml_check": t_ozml,
                        "ozml_check_jobs2": t_two,
                        "xmllint_schema": t_lint,
                        "lxml_parse_loop": t_lxml,
                        "xmlschema_extrapolated": xmlschema_total,
                    },
                    # The floor of any Python tool: interpreter start, walk and read, no parse.
                    "read_loop_seconds": best(read_runs),
                    "xmlschema_sample": len(sample),
                    "ratios": {
                        "ozml_vs_xmllint": vs_xmllint,
                        "xmlschema_vs_ozml": vs_xmlschema,
                        "cold_start": cold_ratio,
                        "ozml_vs_xmllint_cpu": cpu_vs_xmllint,
                        "cold_start_cpu": cold_cpu_ratio,
                    },
                    "cpu_seconds": {
                        "ozml_check": best_cpu(ozml_one),
                        "ozml_check_jobs2": best_cpu(ozml_two),
                        "xmllint_schema": best_cpu(lint_runs),
                        "lxml_parse_loop": best_cpu(lxml_runs),
                    },
                    "read_loop_cpu_seconds": best_cpu(read_runs),
                    "cold_start_ms": {"ozml_check": cold_ozml_ms, "import_lxml": cold_lxml_ms},
                    "peak_rss_kib": {str(tenth): rss_small, str(len(paths)): rss_large},
                    "findings": findings,
                    "full_linter_us_per_file": {"clean": clean_us, "with_findings": findings_us},
                },
                indent=2,
            )
            + "\n"
        )
    if args.strict and not (met_lint and met_schema and met_cold):
        return 1
    return 0


def invalid_note(runs: list[Run]) -> str:
    status = runs[0].status
    return "all files valid" if status == 0 else f"exit status {status} (some files invalid)"


if __name__ == "__main__":
    raise SystemExit(main())
