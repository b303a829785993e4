"""Configuration: discovery in nested folders, validation messages, resolution per file.

Real files in a temporary tree; every error message is pinned, since users read them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ozml.catalog import Context
from ozml.config import ConfigError, Overrides, Resolver, describe, load
from ozml.diagnostics import Severity
from ozml.lint import lint


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Path]:
    """A temporary folder that is also the current folder (messages show relative paths)."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


# --- discovery ----------------------------------------------------------------------------------


def test_nearest_configuration_wins_in_nested_folders(tree: Path) -> None:
    write(
        tree,
        {
            "pyproject.toml": '[tool.ozml]\ncontext = "extension"\n',
            "calls/ozml.toml": 'context = "3pcc"\n',
            "calls/deep/er/a.xml": "",
            "other/b.xml": "",
            "calls/routing/pyproject.toml": '[project]\nname = "x"\n',  # no [tool.ozml]
            "calls/routing/c.xml": "",
        },
    )
    resolver = Resolver()
    deep = resolver.resolve("calls/deep/er/a.xml")
    assert deep.config is not None
    assert deep.config.label == os.path.join("calls", "ozml.toml")
    assert deep.settings.context is Context.THREE_PCC
    assert deep.settings.context_origin == f"{os.path.join('calls', 'ozml.toml')} context"
    other = resolver.resolve("other/b.xml")
    assert other.config is not None
    assert other.config.label == "pyproject.toml [tool.ozml]"
    assert other.settings.context is Context.EXTENSION
    # A pyproject.toml without [tool.ozml] does not stop the walk.
    assert resolver.resolve("calls/routing/c.xml").settings.context is Context.THREE_PCC


def test_ozml_toml_beats_pyproject_in_the_same_folder(tree: Path) -> None:
    write(
        tree,
        {
            "pyproject.toml": '[tool.ozml]\ncontext = "extension"\n',
            "ozml.toml": '[tool.ozml]\ncontext = "routing"\n',
        },
    )
    resolved = Resolver().resolve("a.xml")
    assert resolved.config is not None
    assert resolved.config.label == "ozml.toml [tool.ozml]"
    assert resolved.settings.context is Context.ROUTING


def test_no_configuration_means_defaults(tree: Path) -> None:
    resolved = Resolver().resolve("a.xml")
    if resolved.config is not None:  # a configuration above the temporary folder
        pytest.skip(f"found {resolved.config.path} above the test folder")
    assert resolved.settings.context is Context.ANY
    assert resolved.settings.context_origin == "the default"


def test_isolated_ignores_configuration_files(tree: Path) -> None:
    write(tree, {"ozml.toml": 'context = "3pcc"\n'})
    assert Resolver(isolated=True).resolve("a.xml").config is None


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            'selct = ["OZ2"]\n',
            "ozml.toml:1:1: selct: unknown key; did you mean 'select'? (allowed: select,"
            " extend-select, ignore, per-file-ignores, severity, context, per-file-contexts,"
            " known-variables, include, exclude, fail-on, max-bytes, templates, format,"
            " respect-gitignore, force-exclude, urls, entry-points, api)",
        ),
        (
            "bogus = 1\n",
            "ozml.toml:1:1: bogus: unknown key (allowed: select, extend-select, ignore,"
            " per-file-ignores, severity, context, per-file-contexts, known-variables, include,"
            " exclude, fail-on, max-bytes, templates, format, respect-gitignore, force-exclude,"
            " urls, entry-points, api)",
        ),
        (
            'select = ["OZ99"]\n',
            "ozml.toml:1:11: select: 'OZ99' is not a rule code, code prefix or rule name"
            " (see `ozml rules`)",
        ),
        (
            'ignore = ["missing-paramter"]\n',
            "ozml.toml:1:11: ignore: 'missing-paramter' is not a rule code, code prefix or rule"
            " name; did you mean 'missing-parameter'?",
        ),
        (
            'select = "OZ2"\n',
            "ozml.toml:1:10: select: expected a list of strings, found a string ('OZ2')",
        ),
        (
            'context = "3PC"\n',
            "ozml.toml:1:11: context: unknown context '3PC' (expected one of: extension, 3pcc,"
            " routing, any)",
        ),
        (
            '[per-file-contexts]\n"calls/*" = "transfer"\n',
            "ozml.toml:2:13: per-file-contexts 'calls/*': unknown context 'transfer' (expected one"
            " of: extension, 3pcc, routing, any)",
        ),
        (
            '[per-file-ignores]\n"legacy/*" = "OZ301"\n',
            "ozml.toml:2:14: per-file-ignores 'legacy/*': expected a list of strings, found a"
            " string ('OZ301')",
        ),
        (
            '[severity]\nOZ402 = "fatal"\n',
            "ozml.toml:2:9: severity 'OZ402': unknown severity 'fatal' (expected one of: info,"
            " warning, error)",
        ),
        (
            'fail-on = 2\n',
            "ozml.toml:1:11: fail-on: expected a string, found a number (2)",
        ),
        (
            "max-bytes = 0\n",
            "ozml.toml:1:13: max-bytes: expected a positive whole number, found a number (0)",
        ),
        ("severity = 3\n", "ozml.toml:1:12: severity: expected a table, found a number (3)"),
        (
            'select = ["OZ2"\n',
            "ozml.toml:2:1: not valid TOML: Unclosed array (at the end of the file)",
        ),
        (
            'context = "3pcc"\n[tool.ozml]\nselect = ["ALL"]\n',
            "ozml.toml:1:1: settings go either at the top level or under [tool.ozml], not both"
            " (found context outside [tool.ozml])",
        ),
    ],
)
def test_bad_configuration_messages(tree: Path, content: str, message: str) -> None:
    write(tree, {"ozml.toml": content})
    with pytest.raises(ConfigError) as caught:
        load(tree / "ozml.toml")
    assert str(caught.value) == message


def test_an_unknown_key_lists_every_key_a_configuration_accepts(tree: Path) -> None:
    """The list is every key ozml reads, and each key it lists is one a file may hold."""
    from ozml.config import KEYS, OTHER_TABLES, PROJECT_KEYS

    write(tree, {"ozml.toml": "bogus = 1\n"})
    with pytest.raises(ConfigError) as caught:
        load(tree / "ozml.toml")
    listed = str(caught.value).split("(allowed: ", 1)[1].rstrip(")").split(", ")
    assert set(listed) == {*KEYS, *PROJECT_KEYS, *OTHER_TABLES}
    refused = []
    for key in listed:
        write(tree, {"ozml.toml": f"{key} = 1\n"})
        try:
            load(tree / "ozml.toml")
        except ConfigError as error:
            refused += [key] if "unknown key" in str(error) else []
    assert refused == []


def test_errors_in_pyproject_name_the_table(tree: Path) -> None:
    write(tree, {"pyproject.toml": '[tool.ozml]\nfail-on = "never"\n'})
    with pytest.raises(ConfigError) as caught:
        Resolver().resolve("a.xml")
    assert str(caught.value) == (
        "pyproject.toml:2:11: [tool.ozml] fail-on: unknown severity 'never' (expected one of: info,"
        " warning, error)"
    )


def test_a_bad_configuration_in_a_subfolder_names_its_path(tree: Path) -> None:
    write(tree, {"calls/ozml.toml": "include = [1]\n"})
    with pytest.raises(ConfigError) as caught:
        Resolver().resolve("calls/a.xml")
    assert str(caught.value) == (
        f"{os.path.join('calls', 'ozml.toml')}:1:11: include: expected a list of strings,"
        " found a list ([1])"
    )


# --- resolution -----------------------------------------------------------------------------------

FULL = """\
select = ["OZ2", "unreachable-command", "OZ7"]
extend-select = ["OZ303"]
ignore = ["OZ202"]
known-variables = ["caller"]
fail-on = "error"
max-bytes = 5000
context = "extension"

[per-file-ignores]
"legacy/*.xml" = ["OZ303", "OZ701"]

[per-file-contexts]
"3pcc/**" = "3pcc"
"*.route.xml" = "routing"

[severity]
OZ402 = "error"
OZ7 = "info"
"""


def test_every_key_reaches_the_settings(tree: Path) -> None:
    write(tree, {"ozml.toml": FULL})
    settings = Resolver().settings_for("a.xml")
    assert settings.select == frozenset({"OZ2", "OZ402", "OZ7"})
    assert settings.extend_select == frozenset({"OZ303"})
    assert settings.ignore == frozenset({"OZ202"})
    assert settings.known_variables == frozenset({"caller"})
    assert settings.fail_on is Severity.ERROR
    assert settings.max_bytes == 5000
    assert settings.context is Context.EXTENSION
    assert settings.severities == {
        "OZ402": Severity.ERROR,
        "OZ701": Severity.INFO,
        "OZ702": Severity.INFO,
        "OZ703": Severity.INFO,
        "OZ704": Severity.INFO,
        "OZ705": Severity.INFO,
    }
    candidates = ("OZ201", "OZ202", "OZ303", "OZ402", "OZ101")
    assert [code for code in candidates if settings.enabled(code)] == ["OZ201", "OZ303", "OZ402"]


def test_per_file_ignores_and_contexts(tree: Path) -> None:
    write(tree, {"ozml.toml": FULL})
    resolver = Resolver()
    legacy = resolver.resolve("calls/legacy/old.xml")
    assert legacy.ignores_from == ("legacy/*.xml",)
    assert legacy.settings.ignore == frozenset({"OZ202", "OZ303", "OZ701"})
    three = resolver.settings_for("3pcc/deep/x.xml")
    assert three.context is Context.THREE_PCC
    assert three.context_origin == "ozml.toml per-file-contexts '3pcc/**'"
    assert resolver.settings_for("a.route.xml").context is Context.ROUTING


def test_files_with_the_same_globs_share_one_settings_object(tree: Path) -> None:
    write(tree, {"ozml.toml": FULL})
    resolver = Resolver()
    assert resolver.settings_for("x/a.xml") is resolver.settings_for("y/b.xml")
    assert resolver.settings_for("legacy/a.xml") is resolver.settings_for("z/legacy/b.xml")
    assert resolver.settings_for("legacy/a.xml") is not resolver.settings_for("x/a.xml")


def test_the_command_line_wins(tree: Path) -> None:
    write(tree, {"ozml.toml": FULL})
    overrides = Overrides(
        context=Context.ROUTING,
        select=("OZ6",),
        ignore=("OZ601",),
        extend_select=("OZ1",),
        fail_on=Severity.INFO,
        max_bytes=10,
    )
    settings = Resolver(overrides).settings_for("3pcc/a.xml")
    assert (settings.context, settings.context_origin, settings.context_locked) == (
        Context.ROUTING,
        "--context",
        True,
    )
    assert settings.select == frozenset({"OZ6"})
    assert settings.ignore == frozenset({"OZ202", "OZ601"})
    assert settings.extend_select == frozenset({"OZ303", "OZ1"})
    assert (settings.fail_on, settings.max_bytes) == (Severity.INFO, 10)


def test_severity_overrides_change_findings(tree: Path) -> None:
    write(tree, {"ozml.toml": '[severity]\nunreachable-command = "error"\nOZ201 = "info"\n'})
    settings = Resolver().settings_for("a.xml")
    found = lint("<Response><Hangup/><ForwardCall/></Response>", "a.xml", settings)
    assert [(d.code, d.severity) for d in found] == [
        ("OZ201", Severity.INFO),
        ("OZ402", Severity.ERROR),
    ]


def test_inline_comment_beats_a_per_file_context(tree: Path) -> None:
    write(tree, {"ozml.toml": '[per-file-contexts]\n"*.xml" = "3pcc"\n'})
    settings = Resolver().settings_for("a.xml")
    doc = "<!-- ozml: context=extension -->\n<Response><Hold/></Response>\n"
    assert [d.message for d in lint(doc, "a.xml", settings)] == [
        "Hold is not valid in an extension script (context from the inline comment on line 1);"
        " use it in 3pcc scripts"
    ]
    assert lint(doc.split("\n", 1)[1], "a.xml", settings) == []


def test_describe_shows_the_resolved_settings(tree: Path) -> None:
    write(tree, {"ozml.toml": FULL})
    lines = describe(Resolver(), "legacy/a.xml")
    assert lines[:12] == [
        "Settings for legacy/a.xml",
        "  configuration: ozml.toml",
        "  context: extension (from ozml.toml context)",
        "  select: OZ2, OZ402, OZ7",
        "  extend-select: OZ303",
        "  ignore: OZ202, OZ303, OZ701 (per-file-ignores: legacy/*.xml)",
        "  severity: OZ402=error, OZ701=info, OZ702=info, OZ703=info, OZ704=info, OZ705=info",
        "  known-variables: caller",
        "  fail-on: error",
        "  max-bytes: 5000",
        "  templates: asp, el, jinja, php",
        "  include: *.xml, *.ozml",
    ]
    assert lines[13].startswith("  rules enabled (")
    (tree / "sub").mkdir()
    assert describe(Resolver(), "sub")[0] == "Settings for the files in sub"


def test_each_glob_is_compiled_once(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a configuration checked each per-file glob by compiling it, and resolving a file
    compiled it again (about half a millisecond a glob, on every start)."""
    from ozml import files

    globs = [f"calls{n}/**/*.xml" for n in range(5)]
    table = "".join(f'"{g}" = ["OZ202"]\n' for g in globs)
    contexts = "".join(f'"{g}" = "3pcc"\n' for g in globs)
    write(
        tree,
        {
            "ozml.toml": f"[per-file-ignores]\n{table}[per-file-contexts]\n{contexts}",
            "calls3/a/b.xml": "",
        },
    )
    files.glob_matcher.cache_clear()
    compiled: list[tuple[str, ...]] = []
    real = files._compile

    def counting(patterns: tuple[str, ...]) -> object:
        if patterns:
            compiled.append(tuple(patterns))
        return real(patterns)

    monkeypatch.setattr(files, "_compile", counting)
    resolved = Resolver().resolve("calls3/a/b.xml")
    assert resolved.settings.context is Context.THREE_PCC
    assert sorted(compiled) == sorted((g,) for g in globs)
