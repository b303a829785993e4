"""`ozml check`: output formats, exit codes, discovery, stdin, rule selection and --jobs.

Most tests run the real command line in-process (`ozml.cli.main`) and pin its exact output; a few
run it as a subprocess (`python -m ozml`) to cover what only a real process shows: exit status,
stdin pipes, and that errors never print a traceback.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ozml.cli import main

BAD = "<Response>\n  <ForwardCall/>\n  <Speek>hi</Speek>\n</Response>\n"
CLEAN = "<Response>\n  <Speak>Hello</Speak>\n</Response>\n"
WARN = "<Response>\n  <speak>Hello</speak>\n</Response>\n"
INFO = "<Response>\n  <Beep/>\n</Response>\n"

BAD_TEXT = """\
bad.xml:2:4: OZ201 ForwardCall needs Destination
  2 |   <ForwardCall/>
    |    ^~~~~~~~~~~

bad.xml:3:4: OZ102 unknown element Speek in Response; did you mean Speak?
  3 |   <Speek>hi</Speek>
    |    ^~~~~

"""


def ozml(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary working folder, so that shown paths are short and relative."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


# --- output formats ------------------------------------------------------------------------------


def test_text_output_has_excerpts_carets_and_summary(here: Path, capsys) -> None:
    write(here, {"bad.xml": BAD, "clean.xml": CLEAN})
    code, out, err = ozml(capsys, "bad.xml", "clean.xml")
    assert out == BAD_TEXT + "Found 2 findings (2 errors) in 1 file; 2 files checked.\n"
    assert (code, err) == (1, "")


def test_clean_run_prints_nothing_and_exits_0(here: Path, capsys) -> None:
    write(here, {"a.xml": CLEAN, "b.xml": CLEAN})
    assert ozml(capsys, "a.xml", "b.xml") == (0, "", "")
    assert ozml(capsys, "--statistics", "a.xml") == (0, "", "")
    assert ozml(capsys, "--format", "concise", "a.xml") == (0, "", "")


def test_quiet_prints_findings_only(here: Path, capsys) -> None:
    write(here, {"bad.xml": BAD, "clean.xml": CLEAN})
    assert ozml(capsys, "-q", "bad.xml") == (1, BAD_TEXT, "")
    assert ozml(capsys, "--quiet", "clean.xml") == (0, "", "")


def test_concise_output_is_one_line_per_finding(here: Path, capsys) -> None:
    write(here, {"bad.xml": BAD})
    code, out, _ = ozml(capsys, "--format", "concise", "bad.xml")
    assert out == (
        "bad.xml:2:4: OZ201 ForwardCall needs Destination\n"
        "bad.xml:3:4: OZ102 unknown element Speek in Response; did you mean Speak?\n"
        "Found 2 findings (2 errors) in 1 file; 1 file checked.\n"
    )
    assert code == 1
    code, out, _ = ozml(capsys, "--format", "concise", "--quiet", "bad.xml")
    assert out.count("\n") == 2


def test_json_output_has_positions_severity_suggestion_and_fix(here: Path, capsys) -> None:
    write(here, {"bad.xml": BAD})
    code, out, err = ozml(capsys, "--format", "json", "bad.xml")
    assert (code, err) == (1, "")
    findings = json.loads(out)
    assert findings[0] == {
        "path": "bad.xml",
        "line": 2,
        "column": 4,
        "end_line": 2,
        "end_column": 15,
        "code": "OZ201",
        "name": "missing-parameter",
        "severity": "error",
        "message": "ForwardCall needs Destination",
        "suggestion": None,
        "fixable": False,
        "fix": None,
    }
    speek = findings[1]
    assert (speek["code"], speek["suggestion"], speek["fixable"]) == ("OZ102", "Speak", True)
    assert speek["fix"]["message"] == "Rename Speek to Speak"
    assert speek["fix"]["safe"] is False  # a guessed name changes what the script does
    assert [
        (e["line"], e["column"], e["end_column"], e["text"]) for e in speek["fix"]["edits"]
    ] == [
        (3, 4, 9, "Speak"),
        (3, 14, 19, "Speak"),
    ]
    # The edits' offsets are character offsets of the source text.
    first = speek["fix"]["edits"][0]
    assert BAD[first["start_offset"] : first["end_offset"]] == "Speek"


def test_json_output_of_a_clean_run_is_an_empty_list(here: Path, capsys) -> None:
    write(here, {"clean.xml": CLEAN})
    assert ozml(capsys, "--format", "json", "clean.xml") == (0, "[]\n", "")


def test_statistics_count_each_code_most_frequent_first(here: Path, capsys) -> None:
    write(here, {"a.xml": BAD, "b.xml": BAD.replace("Speek", "Speak"), "c.xml": WARN})
    code, out, _ = ozml(capsys, "--statistics", "a.xml", "b.xml", "c.xml")
    assert out == (
        "2  OZ201  missing-parameter   error\n"
        "1  OZ102  unknown-element     error\n"
        "1  OZ303  non-canonical-case  warning\n"
        "Found 4 findings (3 errors, 1 warning) in 3 files; 3 files checked.\n"
    )
    assert code == 1
    code, out, _ = ozml(capsys, "--statistics", "--format", "json", "a.xml", "b.xml", "c.xml")
    assert json.loads(out)[0] == {
        "code": "OZ201",
        "name": "missing-parameter",
        "severity": "error",
        "count": 2,
        "fixable": 0,
    }
    for fmt in ("sarif", "github", "junit"):  # made of findings: they printed the findings
        code, out, err = ozml(capsys, "--statistics", "--format", fmt, "a.xml")
        assert (code, out) == (2, "")
        assert err == (
            "ozml: error: --statistics prints counts per rule in the text, concise and json"
            f" formats, not {fmt}\n"
        )


def test_colour_only_when_asked_and_never_with_no_color(
    here: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(here, {"bad.xml": BAD})
    assert "\x1b[" not in ozml(capsys, "bad.xml")[1]  # captured output is not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = ozml(capsys, "bad.xml")[1]
    assert "\x1b[1;31mOZ201\x1b[0m" in out
    assert "\x1b[" not in ozml(capsys, "--no-color", "bad.xml")[1]
    assert "\x1b[" not in ozml(capsys, "--format", "json", "bad.xml")[1]


def test_long_lines_are_cut_around_the_span(here: Path, capsys) -> None:
    speaks = "<Speak>x</Speak>" * 20
    line = f"<Response>{speaks}<ForwardCall/>{speaks}</Response>\n"
    write(here, {"long.xml": line})
    out = ozml(capsys, "long.xml")[1]
    source_line, caret_line = out.splitlines()[1:3]
    assert source_line.startswith("  1 | ...")
    assert source_line.endswith("...")
    caret = caret_line.index("^")
    assert source_line[caret : caret + len("ForwardCall")] == "ForwardCall"
    assert caret_line.endswith("^" + "~" * 10)


def test_binary_input_is_a_finding_with_a_clean_excerpt(here: Path, capsys) -> None:
    write(here, {"blob.xml": b"\x00\x01\x02\x1b[31m binary"})
    code, out, _ = ozml(capsys, "blob.xml")
    assert code == 1
    assert out.startswith("blob.xml:1:1: OZ001 not well-formed XML:")
    assert "the input is binary data, not XML text" in out
    assert "  1 | ????[31m binary\n    | ^\n" in out
    assert "\x1b" not in out


# --- exit codes and severities -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "fail_on", "expected"),
    [
        (WARN, None, 1),  # the default fails on warnings
        (WARN, "error", 0),
        (WARN, "warning", 1),
        (INFO, None, 0),  # an info finding is shown but does not fail
        (INFO, "info", 1),
        (BAD, "error", 1),
        (CLEAN, "info", 0),
    ],
)
def test_fail_on_sets_the_least_failing_severity(
    here: Path, capsys, content: str, fail_on: str | None, expected: int
) -> None:
    write(here, {"doc.xml": content})
    args = ["doc.xml"] if fail_on is None else ["--fail-on", fail_on, "doc.xml"]
    assert ozml(capsys, *args)[0] == expected


def test_info_findings_are_counted_in_the_summary(here: Path, capsys) -> None:
    write(here, {"info.xml": INFO})
    code, out, _ = ozml(capsys, "info.xml")
    assert out.endswith("Found 1 finding (1 info) in 1 file; 1 file checked.\n")
    assert code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--select", "OZ99", "x.xml"],
            "--select: 'OZ99' is not a rule code, code prefix or rule name",
        ),
        (["--ignore", "nonsense", "x.xml"], "--ignore: 'nonsense' is not a rule code"),
        (["--jobs", "0", "x.xml"], "--jobs must be at least 1"),
        (["--max-bytes", "0", "x.xml"], "--max-bytes must be a positive number of bytes"),
    ],
)
def test_bad_option_values_are_usage_errors(here: Path, capsys, args: list[str], message: str):
    write(here, {"x.xml": CLEAN})
    code, out, err = ozml(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.startswith(f"ozml: error: {message}")
    assert err.count("\n") == 1


def test_no_path_checks_the_current_folder_and_unknown_options_are_usage_errors(
    here: Path, capsys
) -> None:
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        "ozml: warning: .: no matching files in this folder\n"
        "ozml: error: no files to check in . (--allow-empty accepts that)\n"
    )
    write(here, {"bad.xml": BAD, "sub/clean.xml": CLEAN})
    assert ozml(capsys) == ozml(capsys, ".")
    assert ozml(capsys)[1].endswith("2 files checked.\n")
    assert main(["check", "--format", "xml", "x.xml"]) == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


# --- rule selection and settings -----------------------------------------------------------------


def test_select_and_ignore_take_codes_prefixes_and_names(here: Path, capsys) -> None:
    write(here, {"bad.xml": BAD})

    def codes(*args: str) -> list[str]:
        out = ozml(capsys, "--format", "json", *args, "bad.xml")[1]
        return [f["code"] for f in json.loads(out)]

    assert codes() == ["OZ201", "OZ102"]
    assert codes("--select", "OZ2") == ["OZ201"]
    assert codes("--select", "oz102") == ["OZ102"]
    assert codes("--ignore", "OZ201") == ["OZ102"]
    assert codes("--ignore", "unknown-element,missing-parameter") == []
    assert codes("--select", "OZ1", "--extend-select", "OZ201") == ["OZ201", "OZ102"]
    assert codes("--select", "ALL", "--ignore", "OZ1") == ["OZ201"]


def test_context_option_sets_the_lint_context(here: Path, capsys) -> None:
    write(here, {"speak.xml": CLEAN})
    assert ozml(capsys, "speak.xml")[0] == 0
    code, out, _ = ozml(capsys, "--format", "concise", "--context", "3pcc", "speak.xml")
    assert (
        "speak.xml:2:4: OZ201 Speak needs Party in a 3pcc script (context from --context);"
        " undocumented (spec §7.15"
    ) in out
    assert code == 1


def test_max_bytes_reports_the_real_size_without_parsing(here: Path, capsys) -> None:
    write(here, {"big.xml": CLEAN})
    size = len(CLEAN.encode())
    code, out, _ = ozml(capsys, "--format", "concise", "--max-bytes", "20", "big.xml")
    assert out.splitlines()[0] == (
        f"big.xml:1:1: OZ003 the input is {size:,} bytes, larger than the 20-byte limit;"
        " it was not parsed"
    )
    assert code == 1


# --- standard input ------------------------------------------------------------------------------


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_is_checked_and_shown_as_stdin(here: Path, capsys, monkeypatch) -> None:
    _stdin(monkeypatch, BAD.encode())
    code, out, _ = ozml(capsys, "--format", "concise", "-")
    assert out.splitlines()[0] == "-:2:4: OZ201 ForwardCall needs Destination"
    assert code == 1


def test_stdin_filename_names_the_input(here: Path, capsys, monkeypatch) -> None:
    _stdin(monkeypatch, BAD.encode())
    code, out, _ = ozml(capsys, "--stdin-filename", "calls/in.xml", "-")
    assert out.startswith("calls/in.xml:2:4: OZ201 ForwardCall needs Destination\n  2 |")
    assert code == 1


def test_stdin_over_the_size_limit_is_not_read_to_its_end(here: Path, capsys, monkeypatch):
    """Standard input may never end (``ozml check - < /dev/zero`` read forever to count it):
    it is read to one byte past the limit, and the finding gives no size."""

    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            buffer[:] = b" " * len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    out = ozml(capsys, "--format", "concise", "--max-bytes", "100", "-")[1]
    assert "-:1:1: OZ003 the input is larger than the 100-byte limit; it was not parsed" in out


@pytest.mark.parametrize("limit", [10**12, 2**63 - 1, 10**30])
def test_a_large_limit_reads_standard_input_as_any_other(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    """Standard input is read a piece at a time: a limit of a terabyte (or more than an index
    can hold) made a buffer of its size first (a MemoryError, an OverflowError: exit 3)."""
    data = b"<Response>" + b"<Speak>Hi.</Speak>" * 200_000 + b"</Response>\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert ozml(capsys, "--no-cache", "--max-bytes", str(limit), "-")[0] == 0


# --- folders, include and exclude ----------------------------------------------------------------

TREE: dict[str, str | bytes] = {
    "examples/good/a.xml": CLEAN,
    "examples/good/b.ozml": BAD,
    "examples/good/notes.txt": BAD,
    "examples/bad/c.xml": BAD,
    "examples/bad/deeper/d.xml": BAD,
    "examples/z.xml": WARN,
    "examples/.git/e.xml": BAD,
}


def checked(capsys, *args: str) -> list[str]:
    """The files a run reports findings for, in output order (every file here has findings but
    a.xml)."""
    out = ozml(capsys, "--format", "concise", "--quiet", *args)[1]
    paths: list[str] = []
    for line in out.splitlines():
        path = line.split(":", 1)[0]
        if path not in paths:
            paths.append(path)
    return paths


def test_folders_are_walked_in_name_order_files_before_subfolders(here: Path, capsys) -> None:
    write(here, TREE)
    assert checked(capsys, "examples") == [
        "examples/z.xml",
        "examples/bad/c.xml",
        "examples/bad/deeper/d.xml",
        "examples/good/b.ozml",
    ]
    _code, out, _ = ozml(capsys, "examples")
    assert out.endswith("in 4 files; 5 files checked.\n")  # a.xml is clean; .git is skipped


def test_dot_is_not_shown_in_front_of_paths(here: Path, capsys) -> None:
    write(here, {"x/bad.xml": BAD})
    assert checked(capsys, ".") == ["x/bad.xml"]


@pytest.mark.parametrize(
    "pattern", ["examples/bad", "bad", "bad/*", "bad/**", "examples/bad/", "./examples/bad"]
)
def test_exclude_matches_folders_wherever_the_walk_starts(here: Path, capsys, pattern: str):
    write(here, TREE)
    expected_from_top = ["examples/z.xml", "examples/good/b.ozml"]
    assert checked(capsys, "--exclude", pattern, ".") == expected_from_top
    assert checked(capsys, "--exclude", pattern, "examples") == expected_from_top


def test_exclude_globs_stay_inside_one_component(here: Path, capsys) -> None:
    write(here, TREE)
    # `*.ozml` drops b.ozml only; `ex*` matches the folder name, not every path under it.
    assert checked(capsys, "--exclude", "*.ozml", "examples") == [
        "examples/z.xml",
        "examples/bad/c.xml",
        "examples/bad/deeper/d.xml",
    ]
    assert checked(capsys, "--exclude", "deep*", "--exclude", "z.*", "examples") == [
        "examples/bad/c.xml",
        "examples/good/b.ozml",
    ]
    assert checked(capsys, "--exclude", "ex*", ".") == []


def test_include_replaces_the_default_globs(here: Path, capsys) -> None:
    write(here, TREE)
    assert checked(capsys, "--include", "*.txt", "examples") == ["examples/good/notes.txt"]
    assert checked(capsys, "--include", "*.txt", "--include", "z.xml", "examples") == [
        "examples/z.xml",
        "examples/good/notes.txt",
    ]
    assert checked(capsys, "--include", "bad/*.xml", "examples") == ["examples/bad/c.xml"]


def test_named_files_are_checked_whatever_their_name_but_excludes_apply(here: Path, capsys):
    write(here, TREE)
    assert checked(capsys, "examples/good/notes.txt") == ["examples/good/notes.txt"]
    assert checked(capsys, "--exclude", "*.txt", "examples/good/notes.txt") == []
    # Default excludes (.git and the like) apply only to walked folders.
    assert checked(capsys, "examples/.git/e.xml") == ["examples/.git/e.xml"]


def test_a_file_reached_twice_is_checked_once(here: Path, capsys) -> None:
    write(here, TREE)
    out = ozml(capsys, "examples/z.xml", "examples", "./examples/z.xml")[1]
    assert out.count("examples/z.xml:") == 1
    assert out.endswith("5 files checked.\n")


# --- unreadable paths ----------------------------------------------------------------------------


def test_missing_path_is_an_io_error_after_the_others_are_checked(here: Path, capsys) -> None:
    write(here, {"bad.xml": BAD})
    code, out, err = ozml(capsys, "nothere.xml", "bad.xml")
    assert code == 2
    assert err == "ozml: error: nothere.xml: no such file or folder\n"
    assert out == BAD_TEXT + (
        "Found 2 findings (2 errors) in 1 file; 1 file checked. 1 path could not be read.\n"
    )


def test_broken_symlinks_are_reported(here: Path, capsys) -> None:
    write(here, {"docs/ok.xml": CLEAN})
    os.symlink("nowhere.xml", here / "docs" / "link.xml")
    code, out, err = ozml(capsys, "docs")
    assert (code, out, err) == (2, "", "ozml: error: docs/link.xml: broken symbolic link\n")
    code, _, err = ozml(capsys, "docs/link.xml")
    assert (code, err) == (2, "ozml: error: docs/link.xml: broken symbolic link\n")


def test_special_files_are_reported_not_read(here: Path, capsys) -> None:
    """A FIFO would block a reader forever: it is reported, never opened."""
    write(here, {"docs/ok.xml": CLEAN})
    os.mkfifo(here / "docs" / "pipe.xml")
    code, _, err = ozml(capsys, "docs")
    assert (code, err) == (2, "ozml: error: docs/pipe.xml: not a regular file\n")
    code, _, err = ozml(capsys, "docs/pipe.xml")
    assert (code, err) == (2, "ozml: error: docs/pipe.xml: not a regular file\n")


def test_symlinked_files_are_followed_inside_the_walked_folder_and_linked_folders_are_not(
    here: Path, capsys
) -> None:
    write(here, {"real/bad.xml": BAD, "docs/ok.xml": CLEAN})
    os.symlink("../real/bad.xml", here / "docs" / "linked.xml")
    os.symlink("../real", here / "docs" / "loop")
    # Walking the whole tree, the link leads to a file inside it: followed, and the file is
    # checked once, under its first name in walk order (docs/ before real/).
    assert checked(capsys, ".") == ["docs/linked.xml"]
    # Walking docs/ only, the link leads out of it: neither read nor rewritten, and said.
    code, out, err = ozml(capsys, "--quiet", "docs")
    assert (code, out) == (0, "")
    assert err == (
        "ozml: warning: docs/linked.xml: not followed: a symbolic link to a file outside docs"
        " (name the link itself to check it)\n"
    )
    # Named explicitly, it is the user's choice: followed.
    assert checked(capsys, "docs/linked.xml") == ["docs/linked.xml"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_unreadable_file_and_folder_are_reported(here: Path, capsys) -> None:
    write(here, {"docs/secret.xml": CLEAN, "docs/ok.xml": BAD, "locked/x.xml": CLEAN})
    (here / "docs" / "secret.xml").chmod(0)
    (here / "locked").chmod(0)
    try:
        code, out, err = ozml(capsys, "docs", "locked")
    finally:
        (here / "docs" / "secret.xml").chmod(0o644)
        (here / "locked").chmod(0o755)
    assert code == 2
    assert err == (
        "ozml: error: docs/secret.xml: permission denied\nozml: error: locked: permission denied\n"
    )
    assert "docs/ok.xml:2:4: OZ201" in out


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(), reason="needs Linux /proc")
def test_a_file_that_fails_to_read_is_reported_even_as_root(here: Path, capsys) -> None:
    """Reading /proc/self/mem from its start fails with EIO for every user, root included."""
    write(here, {"docs/ok.xml": BAD})
    code, out, err = ozml(capsys, "/proc/self/mem", "docs")
    assert code == 2
    assert err == "ozml: error: /proc/self/mem: input/output error\n"
    assert "docs/ok.xml:2:4: OZ201" in out
    assert "1 path could not be read" in out


# --- --jobs --------------------------------------------------------------------------------------


def test_jobs_2_prints_exactly_what_jobs_1_prints(here: Path, capsys) -> None:
    files: dict[str, str | bytes] = {}
    kinds = [BAD, CLEAN, WARN, INFO, b"\x00binary", "<Response><Speak>unclosed</Response>"]
    for i in range(90):
        files[f"corpus/{i // 30}/f{i:03}.xml"] = kinds[i % len(kinds)]
    write(here, files)
    os.symlink("gone.xml", here / "corpus" / "1" / "f045b.xml")
    for fmt in ("text", "json", "concise"):
        args = ["--format", fmt, "corpus", "missing.xml", "corpus/0/f001.xml"]
        one = ozml(capsys, "--jobs", "1", *args)
        two = ozml(capsys, "--jobs", "2", *args)
        assert one == two
        assert one[0] == 2
        assert one[2] == (
            "ozml: error: corpus/1/f045b.xml: broken symbolic link\n"
            "ozml: error: missing.xml: no such file or folder\n"
        )


def test_jobs_with_stdin_keeps_stdin_in_its_place(here: Path, capsys, monkeypatch) -> None:
    write(here, {"a.xml": BAD, "b.xml": WARN})
    _stdin(monkeypatch, INFO.encode())
    one = ozml(capsys, "--format", "concise", "a.xml", "-", "b.xml")
    _stdin(monkeypatch, INFO.encode())
    two = ozml(capsys, "--format", "concise", "--jobs", "2", "a.xml", "-", "b.xml")
    assert one == two
    assert [line.split(":")[0] for line in one[1].splitlines()[:-1]] == [
        "a.xml",
        "a.xml",
        "-",
        "b.xml",
    ]


# --- as a real process ---------------------------------------------------------------------------


def _process(
    args: list[str], cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "ozml", "check", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
    )


def test_process_exit_codes_and_output(here: Path) -> None:
    write(here, {"bad.xml": BAD, "clean.xml": CLEAN})
    done = _process(["bad.xml", "clean.xml"], here)
    assert done.returncode == 1
    assert (
        done.stdout.decode()
        == BAD_TEXT + "Found 2 findings (2 errors) in 1 file; 2 files checked.\n"
    )
    assert _process(["clean.xml"], here).returncode == 0


def test_process_reads_stdin_from_a_pipe(here: Path) -> None:
    done = _process(["--format", "json", "--stdin-filename", "in.xml", "-"], here, BAD.encode())
    assert done.returncode == 1
    assert [f["path"] for f in json.loads(done.stdout)] == ["in.xml", "in.xml"]


def test_process_io_errors_are_one_line_without_traceback(here: Path) -> None:
    write(here, {"clean.xml": CLEAN})
    done = _process(["missing", "clean.xml", "--jobs", "2"], here)
    assert done.returncode == 2
    assert done.stderr.decode() == "ozml: error: missing: no such file or folder\n"
    assert b"Traceback" not in done.stdout + done.stderr
    bad = _process(["--select", "OZ99", "clean.xml"], here)
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith("ozml: error: --select: 'OZ99'")


def test_process_output_survives_undecodable_text(here: Path) -> None:
    write(here, {"latin.xml": "<Response>\n  <Speek>café</Speek>\n</Response>\n"})
    env_done = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "latin.xml"],
        cwd=here,
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert env_done.returncode == 1
    assert b"<Speek>caf\\xe9</Speek>" in env_done.stdout
    assert b"Traceback" not in env_done.stderr
