"""`ozml fmt` with formatter settings: each file's nearest configuration, --config, --isolated,
--stdin-filename, the setting options, --color for --diff, -q/-v; real `ozml` processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = '<Response><Call Url="u" CallerId="3" Dialed="1"/><Speak>Hi</Speak></Response>\n'
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n'


def ozml(
    cwd: Path, *args: str, data: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "ozml", "fmt", *args],
        cwd=cwd,
        input=data,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )


def layout(indent: str, call: str) -> str:
    return HEAD + f"{indent}{call}\n{indent}<Speak>Hi</Speak>\n</Response>\n"


CATALOG = '<Call Dialed="1" CallerId="3" Url="u"/>'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = {
        "ozml.toml": "[format]\nindent-width = 4\n",
        "tabs/ozml.toml": '[format]\nindent-style = "tab"\n',
        "sorted/pyproject.toml": '[tool.ozml.format]\nattribute-order = "sort"\n',
        "plain/pyproject.toml": '[project]\nname = "x"\n',  # no [tool.ozml]: looked past
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    for folder in (".", "tabs", "sorted", "plain"):
        (tmp_path / folder / "a.xml").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_each_file_gets_the_settings_of_its_nearest_configuration(project: Path) -> None:
    done = ozml(project, "-v", ".")
    assert done.returncode == 0, done.stderr
    assert read(project / "a.xml") == layout("    ", CATALOG)
    assert read(project / "plain" / "a.xml") == layout("    ", CATALOG)
    assert read(project / "tabs" / "a.xml") == layout("\t", CATALOG)
    assert read(project / "sorted" / "a.xml") == layout(
        "  ", '<Call CallerId="3" Dialed="1" Url="u"/>'
    )
    assert done.stderr.splitlines() == [
        "a.xml: reformatted (settings of ozml.toml)",
        f"{os.path.join('plain', 'a.xml')}: reformatted (settings of ozml.toml)",
        f"{os.path.join('sorted', 'a.xml')}: reformatted (settings of"
        f" {os.path.join('sorted', 'pyproject.toml')} [tool.ozml])",
        f"{os.path.join('tabs', 'a.xml')}: reformatted (settings of"
        f" {os.path.join('tabs', 'ozml.toml')})",
        "4 files reformatted, 0 files already formatted",
    ]
    again = ozml(project, "--check", ".")
    assert (again.returncode, again.stderr) == (0, "0 files would be reformatted, 4 files"
                                                " already formatted\n")


def test_config_file_and_isolated(project: Path) -> None:
    assert ozml(project, "-q", "--config", "tabs/ozml.toml", ".").returncode == 0
    for folder in (".", "tabs", "sorted", "plain"):
        assert read(project / folder / "a.xml") == layout("\t", CATALOG), folder
    assert ozml(project, "-q", "--isolated", ".").returncode == 0
    for folder in (".", "tabs", "sorted", "plain"):
        assert read(project / folder / "a.xml") == layout("  ", CATALOG), folder
    both = ozml(project, "--isolated", "--config", "ozml.toml", ".")
    assert both.returncode == 2
    assert "not allowed with argument" in both.stderr


def test_stdin_filename_picks_that_path_s_configuration(project: Path) -> None:
    tabs = ozml(project, "--stdin-filename", "tabs/new.xml", "-", data=SOURCE)
    assert (tabs.returncode, tabs.stdout, tabs.stderr) == (0, layout("\t", CATALOG), "")
    here = ozml(project, "-", data=SOURCE)
    assert here.stdout == layout("    ", CATALOG)
    isolated = ozml(project, "--isolated", "--stdin-filename", "tabs/new.xml", "-", data=SOURCE)
    assert isolated.stdout == layout("  ", CATALOG)


def test_options_win_over_the_configuration(project: Path) -> None:
    done = ozml(
        project, "--indent-style", "space", "--indent-width", "3", "--attribute-order", "keep",
        "--line-length", "20", "-", "--stdin-filename", "tabs/a.xml", data=SOURCE,
    )
    assert done.stdout == HEAD + (
        '   <Call Url="u"\n'
        '         CallerId="3"\n'
        '         Dialed="1"/>\n'
        "   <Speak>Hi</Speak>\n</Response>\n"
    )
    verbose = ozml(project, "-v", "--check", "--line-length", "20", "tabs/a.xml")
    assert "(settings of" in verbose.stderr
    assert "and the command line)" in verbose.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--line-length", "0"], "ozml: error: --line-length: expected a whole number from 1 to"
         " 320, found a number (0)\n"),
        (["--indent-width", "99"], "ozml: error: --indent-width: expected a whole number from 1"
         " to 16, found a number (99)\n"),
        (["--config", "missing.toml"], "ozml: error: missing.toml: no such file or folder\n"),
        (["--max-bytes", "0"], "ozml: error: --max-bytes must be a positive number of bytes\n"),
        (["--templates", "mako"], "ozml: error: --templates: 'mako' is not a template syntax"
         " (known: php, asp, jinja, el, erb, ejs, aspnet, jsp, twig, django, liquid, nunjucks,"
         " handlebars, mustache, freemarker, velocity)\n"),
    ],
)
def test_bad_options_are_one_line_usage_errors(
    project: Path, args: list[str], message: str
) -> None:
    done = ozml(project, *args, "a.xml")
    assert (done.returncode, done.stderr) == (2, message)
    assert read(project / "a.xml") == SOURCE


def test_a_bad_format_table_stops_the_run(project: Path) -> None:
    (project / "tabs" / "ozml.toml").write_text(
        '[format]\nindent-style = "tabs"\n', encoding="utf-8"
    )
    done = ozml(project, "tabs/a.xml")
    assert done.returncode == 2
    assert done.stderr == (
        f"ozml: error: {os.path.join('tabs', 'ozml.toml')}:2:16: format.indent-style: expected"
        " one of space, tab, found a string ('tabs'); did you mean 'tab'?\n"
    )
    assert "Traceback" not in done.stderr
    assert read(project / "tabs" / "a.xml") == SOURCE
    top = ozml(project, "--config", "tabs/ozml.toml", "a.xml")
    assert top.returncode == 2
    assert read(project / "a.xml") == SOURCE
    # Every configuration is read first: the files before the bad one are not formatted either.
    walk = ozml(project, ".")
    assert walk.returncode == 2
    assert walk.stderr.startswith("ozml: error: ")
    assert len(walk.stderr.splitlines()) == 1
    for folder in (".", "plain", "sorted", "tabs"):
        assert read(project / folder / "a.xml") == SOURCE, folder


def test_diff_in_colour_only_when_asked(project: Path) -> None:
    plain = ozml(project, "--diff", "a.xml")
    assert plain.returncode == 1
    assert "\x1b[" not in plain.stdout
    assert "-<Response><Call" in plain.stdout
    coloured = ozml(project, "--diff", "--color", "always", "a.xml")
    assert coloured.returncode == 1
    assert "\x1b[1m--- a.xml\x1b[0m\n" in coloured.stdout
    assert "\x1b[32m+    <Speak>Hi</Speak>\x1b[0m\n" in coloured.stdout
    assert "\x1b[31m-<Response>" in coloured.stdout
    forced = ozml(project, "--diff", "a.xml", FORCE_COLOR="1")
    assert "\x1b[32m+" in forced.stdout
    assert "\x1b[" not in ozml(project, "--diff", "a.xml", FORCE_COLOR="1", NO_COLOR="1").stdout
    assert "\x1b[" not in ozml(project, "--diff", "--no-color", "a.xml", FORCE_COLOR="1").stdout
    # Uncoloured, the diff is what --color never prints.
    assert plain.stdout == ozml(project, "--diff", "--color", "never", "a.xml").stdout
    assert read(project / "a.xml") == SOURCE


def test_quiet_prints_errors_only(project: Path) -> None:
    done = ozml(project, "-q", "--check", ".")
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "")
    (project / "bad.xml").write_text("<Response>", encoding="utf-8")
    refused = ozml(project, "-q", "bad.xml")
    assert refused.returncode == 1
    assert refused.stderr.startswith("ozml: error: bad.xml:")
    assert len(refused.stderr.splitlines()) == 1


# `{{ x }}` between two commands: a template part of its own line where the configuration
# reads jinja (the default), text of the root (mixed content, written as it is) where it reads
# no template syntax, as `ozml check` then reads it (OZ105).
TEMPLATED = "<Response><Speak>a</Speak>{{ x }}<Hangup/></Response>\n"
AS_PART = HEAD + "  <Speak>a</Speak>\n  {{ x }}\n  <Hangup/>\n</Response>\n"
AS_TEXT = '<?xml version="1.0" encoding="UTF-8"?>\n' + TEMPLATED


def test_a_file_is_read_with_its_configuration_s_max_bytes_and_templates(
    tmp_path: Path,
) -> None:
    (tmp_path / "ozml.toml").write_text("templates = []\n", encoding="utf-8")
    (tmp_path / "small").mkdir()
    (tmp_path / "small" / "ozml.toml").write_text("max-bytes = 40\n", encoding="utf-8")
    for folder in (tmp_path, tmp_path / "small"):
        (folder / "t.xml").write_text(TEMPLATED, encoding="utf-8")
    done = ozml(tmp_path, "t.xml", "small/t.xml")
    assert done.returncode == 1  # the large one is refused
    assert read(tmp_path / "t.xml") == AS_TEXT
    assert read(tmp_path / "small" / "t.xml") == TEMPLATED
    assert done.stderr.startswith(
        f"ozml: error: {os.path.join('small', 't.xml')}:1:1: OZ003 the input is 54 bytes, larger"
        " than the 40-byte limit; it was not parsed; not formatted\n"
    )
    check = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "t.xml"], cwd=tmp_path, capture_output=True,
        text=True, timeout=60,
    )
    assert "OZ105" in check.stdout  # the linter reads the same text
    # The options win over the configuration, as in `ozml check`.
    (tmp_path / "t.xml").write_text(TEMPLATED, encoding="utf-8")
    wins = ozml(tmp_path, "--max-bytes", "100", "--templates", "jinja", "t.xml", "small/t.xml")
    assert wins.returncode == 0, wins.stderr
    assert read(tmp_path / "t.xml") == AS_PART
    assert read(tmp_path / "small" / "t.xml") == AS_PART
    none = ozml(tmp_path, "--isolated", "--templates", "", "-", data=TEMPLATED)
    assert none.stdout == AS_TEXT


def test_workers_read_files_as_their_configuration_says(tmp_path: Path) -> None:
    (tmp_path / "ozml.toml").write_text("max-bytes = 40\n", encoding="utf-8")
    for i in range(80):
        (tmp_path / f"t{i:02}.xml").write_text(TEMPLATED, encoding="utf-8")
    done = ozml(tmp_path, "--check", "--jobs", "2", ".")
    assert done.returncode == 1
    assert done.stderr.count("larger than the 40-byte limit") == 80
    assert done.stderr.endswith("0 files would be reformatted, 0 files already formatted, 80"
                                " files refused\n")
    bigger = ozml(tmp_path, "--jobs", "2", "--max-bytes", "60", ".")
    assert bigger.returncode == 0, bigger.stderr
    assert {read(p) for p in tmp_path.glob("*.xml")} == {AS_PART}


def test_choices_on_the_command_line_are_taken_in_any_letter_case_as_in_the_configuration(
    tmp_path: Path,
) -> None:
    """`indent-style = "TAB"` in a configuration is taken; `--indent-style TAB` was a usage
    error."""
    (tmp_path / "a.xml").write_text(SOURCE, encoding="utf-8")
    given = ozml(tmp_path, "--indent-style", "TAB", "--attribute-order", "Sort", "-", data=SOURCE)
    (tmp_path / "ozml.toml").write_text(
        '[format]\nindent-style = "TAB"\nattribute-order = "Sort"\n', encoding="utf-8"
    )
    configured = ozml(tmp_path, "-", data=SOURCE)
    assert (given.returncode, configured.returncode) == (0, 0), given.stderr + configured.stderr
    assert given.stdout == configured.stdout
    assert "\n\t<" in given.stdout
