"""``--jobs``: parallel runs print exactly what a single process prints, in the same order; the
progress line stays off when output is piped and in CI."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ozml.cli.parallel import PARALLEL_FROM, default_jobs
from ozml.progress import Progress, wanted

SNIPPETS = [
    "<Speak>Hello</Speak>",
    "<ForwardCall/>",
    "<speak>x</speak>",
    "<Hangup/><Speak>late</Speak>",
    '<Play Repeat="yes">a.wav</Play>',
    "<Var Id='v'>1</Var><Speak>$w</Speak>",
    "<Call Url='htp://x'>1</Call>",
    "<Speak>fine</Speak> <!-- ozml: noqa -->",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough files (in nested folders, some broken, one unreadable) to use the workers."""
    root = tmp_path_factory.mktemp("corpus")
    count = PARALLEL_FROM * 3
    for i in range(count):
        folder = root / f"d{i % 7}" / f"e{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        body = SNIPPETS[i % len(SNIPPETS)]
        text = f"<Response>\n  {body}\n</Response>\n" if i % 23 else "<Response><Speak>"
        (folder / f"f{i:03}.xml").write_text(text, encoding="utf-8")
    (root / "ozml.toml").write_text('[per-file-contexts]\n"d3/**" = "3pcc"\n', encoding="utf-8")
    return root


def run(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.mark.parametrize("output", ["text", "json", "sarif"])
def test_jobs_output_is_identical_to_one_process(corpus: Path, output: str) -> None:
    one = run(corpus, "--format", output, "--jobs", "1", ".", "missing.xml")
    two = run(corpus, "--format", output, "--jobs", "2", ".", "missing.xml")
    three = run(corpus, "--format", output, "--jobs", "3", "d1", ".", "d2/e1/f002.xml")
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr == "ozml: error: missing.xml: no such file or folder\n"
    assert three.stdout == run(corpus, "--format", output, "--jobs", "1", "d1", ".",
                               "d2/e1/f002.xml").stdout  # fmt: skip
    if output == "text":
        assert one.stdout.count("OZ") > PARALLEL_FROM  # plenty of findings to order


def test_default_jobs_is_every_usable_core() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert default_jobs() == expected


def test_no_progress_line_when_piped_or_in_ci(corpus: Path) -> None:
    # Output captured by a pipe: nothing but findings on stdout, nothing on stderr.
    done = run(corpus, "--jobs", "2", "d0")
    assert done.stderr == ""
    assert "\r" not in done.stdout


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_wanted_only_on_a_terminal_outside_ci() -> None:
    assert wanted(FakeTerminal(), {})
    assert not wanted(io.StringIO(), {})
    assert not wanted(FakeTerminal(), {"CI": "true"})
    assert not wanted(FakeTerminal(), {"GITHUB_ACTIONS": "true"})
    assert not wanted(FakeTerminal(), {"GITLAB_CI": "true"})
    assert not wanted(FakeTerminal(), {"TERM": "dumb"})


def test_progress_appears_after_a_second_and_is_throttled() -> None:
    now = [0.0]
    stream = FakeTerminal()
    progress = Progress(stream, enabled=True, clock=lambda: now[0])
    progress.update(2)
    assert stream.getvalue() == ""  # a short run prints nothing
    now[0] = 1.5
    progress.update(0)
    assert stream.getvalue() == "\r\x1b[2Kchecked 2 files, 2 findings (1 files/s)"
    now[0] = 1.55
    progress.update(1)
    assert stream.getvalue().count("\r\x1b[2K") == 1  # not redrawn within 0.1 s
    progress.clear()
    assert stream.getvalue().endswith("\r\x1b[2K")
    assert not progress.shown
    progress.clear()  # nothing to erase twice
    assert stream.getvalue().count("\r\x1b[2K") == 2


def test_progress_bar_with_a_known_total() -> None:
    progress = Progress(FakeTerminal(), enabled=True, total=8, clock=lambda: 2.0)
    progress.start = 0.0
    for _ in range(2):
        progress.update(1)
    assert progress.line(2.0) == "[######------------------] 2/8 files, 2 findings (1 files/s)"


def test_disabled_progress_counts_but_never_writes() -> None:
    stream = FakeTerminal()
    progress = Progress(stream, enabled=False, delay=0.0)
    progress.update(3)
    progress.done()
    assert (progress.files, progress.findings, stream.getvalue()) == (1, 3, "")


def _workers(
    monkeypatch: pytest.MonkeyPatch,
    files: int,
    jobs: int | None,
    busy: float,
    long_runs: list[bool] | None = None,
) -> int:
    """How many workers `reports` starts for `files` files with `jobs` (None: the default)
    when other processes keep `busy` cores busy. The workers are not started for real;
    `long_runs` receives whether the run was planned as a long one."""
    from ozml.catalog import Context
    from ozml.cli import check, parallel
    from ozml.files import Found
    from ozml.lint import LintSettings

    started: list[int] = []

    def pretend(
        items: object, checker: object, workers: int, *, long_run: bool = False
    ) -> Iterator[object]:
        started.append(workers)
        if long_runs is not None:
            long_runs.append(long_run)
        return iter(())

    monkeypatch.setattr(parallel, "busy_cores", lambda: busy)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)
    monkeypatch.setattr(check, "_parallel_reports", pretend)

    class Nothing:
        settings = LintSettings()

        class _quick:  # stands for the module `ozml.lint.quick`
            @staticmethod
            def prepare(context: Context, *, long_run: bool = False) -> None:
                return None

        def check(self, item: Found) -> None:
            return None

    used: list[int] = []
    items = [Found(f"f{i}.xml", f"f{i}.xml") for i in range(files)]
    list(check.reports(items, Nothing(), jobs, used))  # type: ignore[arg-type]
    assert used == (started or [0])
    return used[0]


def test_the_default_uses_the_idle_cores_for_a_large_run_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ozml.cli.parallel import CHECK_AUTO_PARALLEL_FROM as AUTO_PARALLEL_FROM

    # Two idle cores, a large run: two workers; a smaller one stays in this process.
    assert _workers(monkeypatch, AUTO_PARALLEL_FROM, None, busy=0.0) == 2
    assert _workers(monkeypatch, AUTO_PARALLEL_FROM - 1, None, busy=0.0) == 0
    # One of the two cores busy (measured: two workers are then slower than one process).
    assert _workers(monkeypatch, AUTO_PARALLEL_FROM, None, busy=1.0) == 0
    assert _workers(monkeypatch, AUTO_PARALLEL_FROM, None, busy=0.4) == 2
    assert _workers(monkeypatch, AUTO_PARALLEL_FROM, None, busy=5.0) == 0
    # --jobs is obeyed whatever the load, from PARALLEL_FROM files on.
    assert _workers(monkeypatch, PARALLEL_FROM, 2, busy=1.0) == 2
    assert _workers(monkeypatch, PARALLEL_FROM - 1, 2, busy=0.0) == 0


def test_each_command_starts_workers_by_default_from_its_own_size() -> None:
    """`ozml fmt` formats every file in full and pays for workers on smaller runs than
    `ozml check`, which proves most files clean without a tree (docs/performance.md); the
    --jobs help of each says its own size."""
    from ozml.cli import build_parser
    from ozml.cli.parallel import AUTO_PARALLEL_FROM, CHECK_AUTO_PARALLEL_FROM, plan

    assert CHECK_AUTO_PARALLEL_FROM > AUTO_PARALLEL_FROM
    middle = list(range(AUTO_PARALLEL_FROM))
    assert plan(middle, None, CHECK_AUTO_PARALLEL_FROM)[1] == 0
    helps = {}
    parser = build_parser()
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():  # type: ignore[union-attr]
            for option in sub._actions:
                if "--jobs" in option.option_strings:
                    helps[name] = option.help or ""
    assert f"for {CHECK_AUTO_PARALLEL_FROM} files" in helps["check"]
    assert f"for {AUTO_PARALLEL_FROM} files" in helps["fmt"]


def test_a_long_parallel_run_compiles_the_regular_expressions_before_the_workers_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The workers inherit the quick check's regular expressions from a long run's parent
    instead of each compiling its own after `REGEX_AFTER` files; a short run does not pay for
    them (its workers never reach that many files)."""
    import threading

    from ozml.catalog import Context
    from ozml.cli.parallel import CHECK_AUTO_PARALLEL_FROM as AUTO_PARALLEL_FROM
    from ozml.lint import quick

    long_runs: list[bool] = []
    assert _workers(monkeypatch, AUTO_PARALLEL_FROM, None, busy=0.0, long_runs=long_runs) == 2
    assert _workers(monkeypatch, PARALLEL_FROM, 2, busy=0.0, long_runs=long_runs) == 2
    # --jobs decides from the first few files how many workers to start; whether the run is
    # long is counted on, up to REGEX_AFTER files.
    assert _workers(monkeypatch, quick.REGEX_AFTER, 2, busy=0.0, long_runs=long_runs) == 2
    assert AUTO_PARALLEL_FROM >= quick.REGEX_AFTER > PARALLEL_FROM
    assert long_runs == [True, False, True]

    compiled: dict[bool, bool] = {}

    def prepare(long_run: bool) -> None:  # in a thread of its own: a fresh quick check
        quick.prepare(Context.ROUTING, long_run=long_run)
        compiled[long_run] = quick._prover(Context.ROUTING).regex is not None

    for long_run in (False, True):
        thread = threading.Thread(target=prepare, args=(long_run,))
        thread.start()
        thread.join()
    assert compiled == {False: False, True: True}


@pytest.mark.parametrize("files", [3, 2])
def test_a_long_run_in_this_process_takes_the_regular_expressions_from_its_first_file(
    monkeypatch: pytest.MonkeyPatch, files: int
) -> None:
    """A run of `REGEX_AFTER` files or more checked in this process has the quick check's
    regular expressions before its first file (not after validating that many files against
    the schema); a shorter one never compiles them before it needs them."""
    from ozml.catalog import Context
    from ozml.cli import check
    from ozml.files import Found
    from ozml.lint import LintSettings, quick

    monkeypatch.setattr(quick, "REGEX_AFTER", 3)
    events: list[str] = []

    class Checker:
        settings = LintSettings(context=Context.ROUTING)

        class _quick:  # stands for the module `ozml.lint.quick`
            @staticmethod
            def prepare(context: Context, *, long_run: bool = False) -> None:
                events.append(f"prepare {context.value} long_run={long_run}")

        def check(self, item: Found) -> None:
            events.append(f"check {item.path}")

    items = [Found(f"f{i}.xml", f"f{i}.xml") for i in range(files)]
    list(check.reports(items, Checker(), 1))  # type: ignore[arg-type]
    checks = [f"check f{i}.xml" for i in range(files)]
    if files >= 3:
        assert events == ["prepare routing long_run=True", *checks]
    else:
        assert events == checks


def test_busy_cores_reads_the_runnable_tasks_besides_this_one() -> None:
    from ozml.cli.parallel import busy_cores

    busy = busy_cores()
    assert busy >= 0.0
    if os.path.exists("/proc/loadavg"):
        assert busy == int(busy)  # a count of tasks, not the lagging load average


def test_batches_end_at_a_number_of_files_or_of_bytes(tmp_path: Path) -> None:
    from ozml.cli.check import _file_of
    from ozml.cli.parallel import BATCH, BATCH_BYTES, batches
    from ozml.files import Found, Problem

    small = tmp_path / "small.xml"
    small.write_bytes(b"<Response/>\n")
    big = tmp_path / "big.xml"
    big.write_bytes(b" " * BATCH_BYTES)
    items: list[Found | Problem] = [Found(f"s{i}", str(small)) for i in range(BATCH + 3)]
    sizes = [len(b) for b in batches(items, _file_of)]
    assert sizes == [BATCH, 3]
    mixed: list[Found | Problem] = [
        Found("a", str(small)),
        Found("big", str(big)),
        Found("b", str(small)),
        Found("gone", str(tmp_path / "missing.xml")),  # the worker reports it
        Problem("p", "no such file"),
    ]
    assert [[i.path for i in b] for b in batches(mixed, _file_of)] == [
        ["a", "big"],
        ["b", "gone", "p"],
    ]


def test_each_batch_may_hold_twice_the_one_before_up_to_a_limit(tmp_path: Path) -> None:
    """Small first batches give every worker work on a small corpus; larger ones later save
    the round trips of a long run (docs/performance.md)."""
    from ozml.cli.check import _file_of
    from ozml.cli.parallel import BATCH, BATCH_BYTES, BATCH_GROWTH, batches
    from ozml.files import Found, Problem

    small = tmp_path / "small.xml"
    small.write_bytes(b"<Response/>\n")
    sizes = [BATCH << k for k in range(BATCH_GROWTH.bit_length())]
    assert sizes[-1] == BATCH * BATCH_GROWTH
    expected = [*sizes, sizes[-1], 5]
    items: list[Found | Problem] = [Found(f"s{i}", str(small)) for i in range(sum(expected))]
    assert [len(b) for b in batches(items, _file_of)] == expected
    # Bytes grow alike: a file of the first batch's bytes ends the first batch alone, but
    # not the second, which ends at twice that.
    big = tmp_path / "big.xml"
    big.write_bytes(b" " * BATCH_BYTES)
    bigs: list[Found | Problem] = [Found(f"b{i}", str(big)) for i in range(4)]
    assert [len(b) for b in batches(bigs, _file_of)] == [1, 2, 1]


# --- ozml fmt --jobs: the same policy (ozml.cli.parallel), the same output and files ------------


def fmt(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ozml", "fmt", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def contents(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.xml"))}


@pytest.mark.parametrize("mode", [["--check"], ["--diff"], [], ["-v"]])
def test_fmt_jobs_print_and_write_what_one_process_does(
    corpus: Path, tmp_path: Path, mode: list[str]
) -> None:
    import shutil

    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(corpus, one)
    shutil.copytree(corpus, two)
    by_one = fmt(one, *mode, "--jobs", "1", ".", "missing.xml")
    by_two = fmt(two, *mode, "--jobs", "2", ".", "missing.xml")
    assert (by_one.returncode, by_one.stdout, by_one.stderr) == (
        by_two.returncode,
        by_two.stdout,
        by_two.stderr,
    )
    assert by_one.returncode == 2  # missing.xml
    assert by_one.stderr.count("not well-formed") >= 8  # every 23rd file is broken
    assert contents(one) == contents(two)
    changed = contents(one) != contents(corpus)
    assert changed == (mode in ([], ["-v"]))  # only a plain run rewrites files


def test_fmt_starts_the_workers_check_would_start(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ozml.cli import main, parallel

    started: list[int] = []
    real = parallel.in_order

    def recording(items: object, workers: int, **kwargs: object) -> Iterator[object]:
        started.append(workers)
        return real(items, workers, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "in_order", recording)
    monkeypatch.chdir(corpus)
    assert main(["fmt", "--check", "--jobs", "3", "."]) == 1
    assert main(["fmt", "--check", "--jobs", "1", "."]) == 1
    assert main(["fmt", "--check", "d0"]) == 1  # the default: too few files for workers
    assert started == [3]
    assert main(["fmt", "--jobs", "0", "."]) == 2
    assert capsys.readouterr().err.endswith("ozml: error: --jobs must be at least 1\n")
