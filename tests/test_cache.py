"""The lint cache: unchanged files are not linted again; any change of content, settings or
ozml misses; a broken cache never breaks a run."""

from __future__ import annotations

from pathlib import Path

import pytest

from ozml import cache as cache_module
from ozml.cache import Cache, decode, encode, settings_key
from ozml.catalog import Context
from ozml.cli import main
from ozml.lint import LintSettings, lint
from ozml.lint import linter as linter_module

BAD = "<Response>\n  <ForwardCall/>\n  <speak>x</speak>\n</Response>\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.xml").write_text(BAD, encoding="utf-8")
    return tmp_path


class Counter:
    """Counts the full lint runs (quick-checked clean files never reach it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = linter_module.lint_result

        def counting(*args: object, **kwargs: object) -> object:
            self.calls += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(linter_module, "lint_result", counting)


def check(*args: str) -> int:
    return main(["check", "--no-progress", *args])


def test_a_second_run_reads_the_cache(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    counter = Counter(monkeypatch)
    assert check("a.xml") == 1
    first = capsys.readouterr().out
    assert counter.calls == 1
    assert check("a.xml") == 1
    assert capsys.readouterr().out == first  # same findings, same excerpts
    assert counter.calls == 1
    assert (project / ".ozml_cache" / "CACHEDIR.TAG").read_text().startswith("Signature: ")
    assert (project / ".ozml_cache" / ".gitignore").read_text().endswith("*\n")


def test_changed_content_and_changed_settings_miss(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    counter = Counter(monkeypatch)
    check("a.xml")
    (project / "a.xml").write_text(BAD.replace("x", "y"), encoding="utf-8")
    check("a.xml")
    assert counter.calls == 2
    check("--context", "3pcc", "a.xml")
    assert counter.calls == 3
    (project / "ozml.toml").write_text('ignore = ["OZ303"]\n', encoding="utf-8")
    check("a.xml")
    assert counter.calls == 4
    out = capsys.readouterr().out
    assert "OZ303" not in out.split("Found")[-2]  # the last run honours the new setting


def test_no_cache_neither_reads_nor_writes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = Counter(monkeypatch)
    check("--no-cache", "a.xml")
    check("--no-cache", "a.xml")
    assert counter.calls == 2
    assert not (project / ".ozml_cache").exists()


def test_the_cache_lives_at_the_configuration_root(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "ozml.toml").write_text("", encoding="utf-8")
    (project / "sub").mkdir()
    (project / "sub" / "b.xml").write_text(BAD, encoding="utf-8")
    monkeypatch.chdir(project / "sub")
    check("b.xml")
    assert (project / ".ozml_cache").is_dir()
    assert not (project / "sub" / ".ozml_cache").exists()


def test_a_damaged_entry_is_worked_out_again(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    counter = Counter(monkeypatch)
    check("a.xml")
    first = capsys.readouterr().out
    for entry in (project / ".ozml_cache").rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    check("a.xml")
    assert capsys.readouterr().out == first
    assert counter.calls == 2


def test_a_file_in_place_of_the_cache_is_refused_with_one_warning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".ozml_cache").write_text("a file where the folder should be", encoding="utf-8")
    assert check("a.xml") == 1
    captured = capsys.readouterr()
    assert "ForwardCall needs Destination" in captured.out
    assert captured.err == (
        "ozml: warning: .ozml_cache: is a regular file, not a folder;"
        " checking without the cache\n"
    ).replace(".ozml_cache:", f"{project / '.ozml_cache'}:")
    assert (project / ".ozml_cache").read_text() == "a file where the folder should be"


def test_an_unwritable_cache_is_switched_off_silently(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache_module.os, "mkdir", refuse)
    assert check("a.xml") == 1
    captured = capsys.readouterr()
    assert "ForwardCall needs Destination" in captured.out
    assert captured.err == ""


def current_name() -> str:
    return f"v{cache_module.FORMAT}-{cache_module.code_fingerprint()}"


def prepared(root: Path) -> Cache:
    cache = Cache(root)
    assert cache.prepare() is None
    return cache


def test_marked_folders_of_other_versions_are_removed(project: Path) -> None:
    check("a.xml")  # makes the current folder, with its mark
    old = project / ".ozml_cache" / "v1-0123456789abcdef"
    old.mkdir(parents=True)
    (old / "x.json").write_text("{}", encoding="utf-8")
    (old / "sub").mkdir()
    (old / "sub" / "y.json").write_text("{}", encoding="utf-8")
    (old / cache_module.MARK).write_bytes(prepared(project).mark(old.name))
    check("a.xml")
    assert not old.exists()
    folders = [p.name for p in (project / ".ozml_cache").iterdir() if p.is_dir()]
    assert folders == [current_name()]


def test_the_mark_is_keyed_to_the_user_and_the_folder(project: Path) -> None:
    check("a.xml")
    cache = prepared(project)
    mark = (project / ".ozml_cache" / current_name() / cache_module.MARK).read_bytes()
    assert mark == cache.mark(current_name())
    assert mark.startswith(b"ozml lint cache folder: ")
    assert cache.mark("v1-0123456789abcdef") != mark
    other = Cache(project)
    other._secret = b"another user's secret, 64 bytes long, padded out to length...."
    assert other.mark(current_name()) != mark


def _old_format_folder(project: Path) -> Path:
    """The folder an ozml from before keyed marks left: sealed entries and the fixed mark."""
    (project / "b.xml").write_text(BAD.replace("x", "y"), encoding="utf-8")
    check("a.xml", "b.xml")
    current = project / ".ozml_cache" / current_name()
    old = current.rename(project / ".ozml_cache" / "v2-0123456789abcdef")
    (old / cache_module.MARK).write_bytes(
        b"ozml lint cache folder: made by ozml, deleted by ozml when its version changes\n"
    )
    assert len(list(old.glob("*.json"))) == 2
    return old


def test_a_folder_of_an_older_ozml_holding_only_sealed_entries_is_removed(
    project: Path,
) -> None:
    old = _old_format_folder(project)
    check("a.xml")
    assert not old.exists()
    assert (project / ".ozml_cache" / current_name()).is_dir()


@pytest.mark.parametrize(
    "extra", ["a foreign file", "an entry that does not verify", "a subfolder", "a leftover"]
)
def test_a_folder_of_an_older_ozml_holding_anything_else_is_kept_whole(
    project: Path, extra: str
) -> None:
    old = _old_format_folder(project)
    if extra == "a foreign file":
        (old / "notes.txt").write_text("mine", encoding="utf-8")
    elif extra == "an entry that does not verify":
        (old / ("0" * 64 + ".json")).write_text("{}", encoding="utf-8")
    elif extra == "a subfolder":
        (old / "sub").mkdir()
    else:
        (old / f".{'1' * 64}.json.0123abcd.tmp").write_text("{}", encoding="utf-8")
    before = sorted((p.name, p.read_bytes() if p.is_file() else b"") for p in old.iterdir())
    check("a.xml")
    check("a.xml")
    assert sorted((p.name, p.read_bytes() if p.is_file() else b"") for p in old.iterdir()) == (
        before
    )


def test_a_cache_folder_ozml_did_not_make_gets_no_tag_or_gitignore(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".ozml_cache").mkdir()
    (project / ".ozml_cache" / "README").write_text("committed", encoding="utf-8")
    counter = Counter(monkeypatch)
    check("a.xml")
    check("a.xml")
    assert counter.calls == 1  # the cache works in it
    names = sorted(p.name for p in (project / ".ozml_cache").iterdir())
    assert names == ["README", current_name()]


def test_an_empty_version_folder_is_marked_and_used(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run stopped between making its folder and marking it leaves an empty folder."""
    (project / ".ozml_cache" / current_name()).mkdir(parents=True)
    counter = Counter(monkeypatch)
    check("a.xml")
    check("a.xml")
    assert counter.calls == 1
    assert capsys.readouterr().err == ""
    mark = (project / ".ozml_cache" / current_name() / cache_module.MARK).read_bytes()
    assert mark == prepared(project).mark(current_name())


def test_unmarked_folders_are_never_removed(project: Path) -> None:
    for name in ("v1-0123456789abcdef", "vendor", "v2-fedcba9876543210"):
        folder = project / ".ozml_cache" / name
        folder.mkdir(parents=True)
        (folder / "keep.txt").write_text("mine", encoding="utf-8")
    check("a.xml")
    for name in ("v1-0123456789abcdef", "vendor", "v2-fedcba9876543210"):
        assert (project / ".ozml_cache" / name / "keep.txt").read_text() == "mine"


def test_the_declared_encoding_is_kept_for_excerpts(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = '<?xml version="1.0" encoding="iso-8859-1"?>\n<Response><Speek>café</Speek></Response>\n'
    (project / "l.xml").write_bytes(text.encode("latin-1"))
    check("l.xml")
    first = capsys.readouterr().out
    check("l.xml")
    assert capsys.readouterr().out == first
    assert "<Speek>café</Speek>" in first


def test_entries_round_trip_findings_with_fixes() -> None:
    found = lint(BAD)
    assert any(d.fix is not None for d in found)
    again, encoding = decode(encode(found, "utf-8"))
    assert again == found
    offsets = [(d.span.start, d.span.end) for d in found]
    assert [(d.span.start, d.span.end) for d in again] == offsets
    assert encoding == "utf-8"


def test_the_settings_key_covers_what_changes_findings() -> None:
    base = LintSettings()
    variants = [
        LintSettings(context=Context.THREE_PCC),
        LintSettings(context_origin="elsewhere"),
        LintSettings(select=frozenset({"OZ2"})),
        LintSettings(extend_select=frozenset({"OZ2"})),
        LintSettings(ignore=frozenset({"OZ2"})),
        LintSettings(severities={"OZ201": LintSettings().fail_on}),
        LintSettings(known_variables=frozenset({"x"})),
        LintSettings(max_bytes=10),
        LintSettings(context_locked=True),
    ]
    keys = {settings_key(base)} | {settings_key(v) for v in variants}
    assert len(keys) == len(variants) + 1


def test_the_key_depends_on_the_bytes(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.prepare()
    settings = LintSettings()
    assert cache.key(b"<a/>", settings) != cache.key(b"<b/>", settings)
    assert cache.key(b"<a/>", settings) == cache.key(b"<a/>", settings)
