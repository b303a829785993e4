"""What ozml does to the files of the checkouts it runs in: nothing it was not asked to.

Each test reproduces one way a hostile or unlucky checkout used to lose or disclose files (a
cache that is a link, a baseline that is a pipe, a link leading out of the walked folder, a
planted cache entry, an endless file where a configuration should be) and pins what happens
now: the file is left alone, the run says why in one line, and the exit status is documented.
Most run the real command line in-process; those about the standard streams run it as a
process.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ozml import cache as cache_module
from ozml.cli import main, parallel

BAD = "<Response>\n  <ForwardCall/>\n</Response>\n"
MESSY = "<Response><Speak>Hello</Speak></Response>"
FORMATTED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Speak>Hello</Speak>\n</Response>\n'
)
FIXABLE = "<Response>\n  <speak>Hello</speak>\n</Response>\n"
ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="needs root (other owners, device nodes)")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def listing(folder: Path) -> dict[str, str]:
    """Every path under `folder` (links not followed) with what it is or holds."""
    found: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            relative = str(path.relative_to(folder))
            if path.is_symlink():
                found[relative] = f"-> {os.readlink(path)}"
            elif path.is_dir():
                found[relative] = "folder"
            else:
                found[relative] = path.read_bytes().decode("utf-8", "replace")
    return found


# --- 1. the cache never follows a link and never deletes what it did not make ------------------


def test_a_cache_that_links_out_of_the_project_is_refused_and_nothing_is_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("venv", "vendor", "videos", "v1-0123456789abcdef"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "precious.txt").write_text(name)
    (repo / ".ozml_cache").symlink_to("..")
    (repo / "bad.xml").write_text(BAD)
    before = listing(tmp_path)
    monkeypatch.chdir(repo)
    code, out, err = run(capsys, "check", "--no-progress", "bad.xml")
    assert code == 1
    assert "ForwardCall needs Destination" in out
    assert err == (
        f"ozml: warning: {repo / '.ozml_cache'}: is a symbolic link, not a folder;"
        " checking without the cache\n"
    )
    assert listing(tmp_path) == before


def test_a_cache_moved_elsewhere_by_a_link_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".ozml_cache").symlink_to(elsewhere)
    (repo / "bad.xml").write_text(BAD)
    monkeypatch.chdir(repo)
    code, _, err = run(capsys, "check", "--no-progress", "bad.xml")
    assert code == 1
    assert err.count("ozml: warning:") == 1
    assert list(elsewhere.iterdir()) == []


@needs_root
def test_a_cache_of_another_user_is_refused(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / ".ozml_cache").mkdir()
    os.chown(here / ".ozml_cache", 65534, 65534)
    (here / "bad.xml").write_text(BAD)
    code, _, err = run(capsys, "check", "--no-progress", "bad.xml")
    assert code == 1
    assert err == (
        f"ozml: warning: {here / '.ozml_cache'}: belongs to user 65534, not to the current"
        " user; checking without the cache\n"
    )
    assert list((here / ".ozml_cache").iterdir()) == []


def test_links_inside_the_cache_are_neither_followed_nor_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("mine")
    repo = tmp_path / "repo"
    (repo / ".ozml_cache").mkdir(parents=True)
    # A link named like an old version folder, and the current version folder as a link.
    (repo / ".ozml_cache" / "v1-0123456789abcdef").symlink_to(outside)
    current = f"v{cache_module.FORMAT}-{cache_module.code_fingerprint()}"
    (repo / ".ozml_cache" / current).symlink_to(outside)
    (repo / "bad.xml").write_text(BAD)
    monkeypatch.chdir(repo)
    code, _, err = run(capsys, "check", "--no-progress", "bad.xml")
    assert code == 1
    assert err == (  # the warning names the link, not the .ozml_cache it is in
        f"ozml: warning: {repo / '.ozml_cache' / current}: is a symbolic link, not a folder;"
        " checking without the cache\n"
    )
    assert listing(outside) == {"precious.txt": "mine"}


OLD_MARK = "ozml lint cache folder: made by ozml, deleted by ozml when its version changes\n"


@pytest.mark.parametrize("forged", ["the old fixed text", "a real mark of another folder"])
def test_a_forged_mark_never_gets_a_committed_folder_deleted(
    here: Path, capsys: pytest.CaptureFixture[str], forged: str
) -> None:
    """The mark used to be a fixed text: a checkout holding `.ozml_cache/v1-.../` with a copy
    of it had that folder, and all in it, deleted by `ozml check`. The mark is now an HMAC of
    the folder's name under the user's secret, which a checkout cannot know."""
    (here / "bad.xml").write_text(BAD)
    old = here / ".ozml_cache" / "v1-0123456789abcdef"
    (old / "sub").mkdir(parents=True)
    (old / "sub" / "precious.txt").write_text("data\n")
    if forged == "the old fixed text":
        (old / cache_module.MARK).write_text(OLD_MARK)
    else:  # copied from the user's own folder of this version: valid, but for another name
        run(capsys, "check", "--no-progress", "bad.xml")
        current = f"v{cache_module.FORMAT}-{cache_module.code_fingerprint()}"
        mark = (here / ".ozml_cache" / current / cache_module.MARK).read_bytes()
        (old / cache_module.MARK).write_bytes(mark)
    before = listing(old)
    for _ in range(2):
        code, out, err = run(capsys, "check", "--no-progress", "bad.xml")
        assert (code, err) == (1, "")
        assert "ForwardCall needs Destination" in out
    assert listing(old) == before
    assert before["sub/precious.txt"] == "data\n"


def test_a_version_folder_that_ozml_did_not_make_is_refused(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder committed under the current version's name, with a forged mark, would be
    deleted by the next ozml if ozml took it over: it is neither used nor changed."""
    (here / "bad.xml").write_text(BAD)
    current = here / ".ozml_cache" / f"v{cache_module.FORMAT}-{cache_module.code_fingerprint()}"
    current.mkdir(parents=True)
    (current / "precious.txt").write_text("data\n")
    (current / cache_module.MARK).write_text(OLD_MARK)
    before = listing(here / ".ozml_cache")
    code, out, err = run(capsys, "check", "--no-progress", "bad.xml")
    assert code == 1
    assert "ForwardCall needs Destination" in out
    assert err == (
        f"ozml: warning: {current}: was not made by ozml for the current user (its mark does"
        " not verify); checking without the cache\n"
    )
    assert listing(here / ".ozml_cache") == before


@needs_root
def test_root_in_another_users_checkout_makes_no_cache(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root used to leave a root-owned `.ozml_cache/` in the checkout, which its owner could
    not remove, and every later run of the owner's warned that it belonged to user 0."""
    with tempfile.TemporaryDirectory(dir="/tmp") as top:
        repo = Path(top) / "repo"
        home = Path(top) / "home"
        for folder in (repo, home):
            folder.mkdir()
            os.chown(folder, 65534, 65534)
        os.chmod(top, 0o755)
        (repo / "bad.xml").write_text(BAD)
        monkeypatch.chdir(repo)
        for _ in range(2):
            code, out, err = run(capsys, "check", "--no-progress", "bad.xml")
            assert (code, err) == (1, "")
            assert "ForwardCall needs Destination" in out
        assert sorted(p.name for p in repo.iterdir()) == ["bad.xml"]
        # The owner's own run then makes the owner's cache, without a word.
        # (Python's own files may be root's alone: everything is imported before setuid.)
        code_text = (
            "import contextlib, io, os, sys\n"
            "from ozml.cli import main\n"
            "import ozml.atomic, ozml.cache\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['check', '--no-progress', '--no-cache', 'bad.xml'])\n"
            "os.setgid(65534); os.setuid(65534)\n"
            f"os.environ['XDG_CACHE_HOME'] = {str(home)!r}\n"
            "sys.exit(main(['check', '--no-progress', 'bad.xml']))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code_text], capture_output=True, text=True, cwd=repo
        )
        assert (done.returncode, done.stderr) == (1, "")
        assert (repo / ".ozml_cache").stat().st_uid == 65534
        assert list((repo / ".ozml_cache").rglob("*.json"))


@needs_root
def test_root_in_another_users_checkout_uses_only_a_cache_of_its_own(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with tempfile.TemporaryDirectory(dir="/tmp") as top:
        repo = Path(top)
        os.chown(repo, 65534, 65534)
        (repo / "bad.xml").write_text(BAD)
        monkeypatch.chdir(repo)
        # The owner's cache: passed over, untouched, without a warning.
        (repo / ".ozml_cache").mkdir()
        os.chown(repo / ".ozml_cache", 65534, 65534)
        code, _, err = run(capsys, "check", "--no-progress", "bad.xml")
        assert (code, err) == (1, "")
        assert list((repo / ".ozml_cache").iterdir()) == []
        # A cache of root's own that is already there is used as before.
        os.chown(repo / ".ozml_cache", 0, 0)
        run(capsys, "check", "--no-progress", "bad.xml")
        assert list((repo / ".ozml_cache").rglob("*.json"))


# --- 13. cache entries cannot be planted or rewritten --------------------------------------------


def test_a_rewritten_cache_entry_never_hides_a_finding(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "bad.xml").write_text(BAD)
    first = run(capsys, "check", "--no-progress", "bad.xml")
    entries = list((here / ".ozml_cache").rglob("*.json"))
    assert len(entries) == 1
    seal, _, payload = entries[0].read_bytes().partition(b"\n")
    assert json.loads(payload)["findings"]
    # Whoever can write the cache rewrites the entry to say "clean", keeping its first line.
    entries[0].write_bytes(seal + b"\n" + json.dumps({"encoding": None, "findings": []}).encode())
    assert run(capsys, "check", "--no-progress", "bad.xml") == first


def test_a_planted_cache_entry_is_never_looked_up(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Names a planter could compute (hashes of the content and settings) are not the names
    ozml uses: they are keyed with the user's own secret."""
    import hashlib

    from ozml.cache import settings_key
    from ozml.lint import LintSettings

    (here / "bad.xml").write_text(BAD)
    folder = here / ".ozml_cache" / f"v{cache_module.FORMAT}-{cache_module.code_fingerprint()}"
    folder.mkdir(parents=True)
    data = BAD.encode()
    settings = hashlib.sha256(settings_key(LintSettings()).encode()).hexdigest()
    digest = hashlib.sha256(settings.encode())
    digest.update(data)
    clean = json.dumps({"encoding": None, "findings": []}).encode()
    for name in (digest.hexdigest(), hashlib.sha256(data).hexdigest()):
        (folder / f"{name}.json").write_bytes(clean)
        (folder / f"{name[2:]}.json").write_bytes(clean)
    code, out, _ = run(capsys, "check", "--no-progress", "bad.xml")
    assert code == 1
    assert "ForwardCall needs Destination" in out


def test_a_pickle_in_the_cache_is_never_loaded(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pickle

    (here / "bad.xml").write_text(BAD)
    run(capsys, "check", "--no-progress", "bad.xml")
    (entry,) = (here / ".ozml_cache").rglob("*.json")
    entry.write_bytes(pickle.dumps({"findings": []}))
    code, out, _ = run(capsys, "check", "--no-progress", "bad.xml")
    assert code == 1
    assert "ForwardCall needs Destination" in out


def test_the_secret_lives_outside_the_project_and_is_private(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = here / "home-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    (here / "bad.xml").write_text(BAD)
    run(capsys, "check", "--no-progress", "bad.xml")
    key = home / "ozml" / "cache-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "ozml").stat().st_mode) == 0o700
    assert len(key.read_bytes()) == 64


def test_a_secret_that_is_a_link_switches_the_cache_off(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = here / "home-cache"
    (home / "ozml").mkdir(parents=True)
    (here / "known").write_text("0" * 64)
    (home / "ozml" / "cache-key").symlink_to(here / "known")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    (here / "bad.xml").write_text(BAD)
    code, _, err = run(capsys, "check", "--no-progress", "bad.xml")
    assert (code, err) == (1, "")
    assert not (here / ".ozml_cache").exists()


# --- 2. every writer refuses what is not a regular file ------------------------------------------


@pytest.mark.parametrize("make", ["fifo", "device", "folder", "hardlink", "link"])
def test_write_baseline_refuses_what_is_not_a_regular_file(
    here: Path, capsys: pytest.CaptureFixture[str], make: str
) -> None:
    target = here / "baseline.json"
    (here / "bad.xml").write_text(BAD)
    if make == "fifo":
        os.mkfifo(target)
        reason = "is a named pipe, not a regular file"
    elif make == "device":
        if not ROOT:
            pytest.skip("making a device node needs root")
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        reason = "is a character device, not a regular file"
    elif make == "folder":
        target.mkdir()
        reason = "is a folder, not a regular file"
    elif make == "hardlink":
        (here / "other.json").write_text("{}")
        os.link(here / "other.json", target)
        reason = "has 2 hard links"
    else:
        (here / "elsewhere.json").write_text("{}")
        target.symlink_to(here / "elsewhere.json")
        reason = "is a symbolic link"
    kind = stat.S_IFMT(os.lstat(target).st_mode)
    code, _, err = run(
        capsys, "check", "--no-progress", "--no-cache", "--write-baseline", "baseline.json", "."
    )
    assert code == 2
    assert err.startswith(f"ozml: error: baseline.json: not written: {reason}")
    assert err.count("\n") == 1
    assert stat.S_IFMT(os.lstat(target).st_mode) == kind
    if make in ("hardlink", "link"):
        other = "other.json" if make == "hardlink" else "elsewhere.json"
        assert (here / other).read_text() == "{}"


def test_schema_output_refuses_a_pipe(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(here / "schema.xsd")
    code, _, err = run(capsys, "schema", "--output", "schema.xsd")
    assert code == 2
    assert "schema.xsd: not written: is a named pipe, not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(here / "schema.xsd").st_mode)


def test_fmt_fix_and_add_noqa_refuse_a_hard_linked_file(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "a.xml").write_text(FIXABLE)
    os.link(here / "a.xml", here / "b.xml")
    for args in (
        ["fmt", "a.xml"],
        ["check", "--no-progress", "--no-cache", "--fix", "a.xml"],
        ["check", "--no-progress", "--no-cache", "--add-noqa", "a.xml"],
    ):
        code, _, err = run(capsys, *args)
        assert code in (1, 2), args
        assert "a.xml" in err, args
        assert "has 2 hard links" in err, args
        assert (here / "a.xml").read_text() == FIXABLE
        assert os.stat(here / "a.xml").st_ino == os.stat(here / "b.xml").st_ino


@needs_root
def test_fmt_keeps_the_owner_group_and_mode_of_the_file(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = here / "a.xml"
    target.write_text(MESSY)
    os.chown(target, 65534, 65534)
    target.chmod(0o640)
    assert run(capsys, "fmt", "a.xml")[0] == 0
    info = os.stat(target)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)
    assert target.read_text() == FORMATTED


def _acl(path: Path) -> str:
    return subprocess.run(
        ["getfacl", "-c", "-n", str(path)], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize(
    ("args", "text", "expected"),
    [(("fmt", "a.xml"), MESSY, FORMATTED), (("check", "--fix", "a.xml"), FIXABLE, None)],
)
def test_rewrites_keep_the_access_control_list_of_the_file(
    here: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    text: str,
    expected: str | None,
) -> None:
    target = here / "a.xml"
    target.write_text(text)
    target.chmod(0o600)
    shared = subprocess.run(["setfacl", "-m", "u:65534:rw", str(target)], capture_output=True)
    if shared.returncode != 0:
        pytest.skip(f"this file system keeps no access control list: {shared.stderr!r}")
    before = _acl(target)
    assert "user:65534:rw-" in before
    run(capsys, *args)
    assert target.read_text() != text
    if expected is not None:
        assert target.read_text() == expected
    assert _acl(target) == before


def _saved_meanwhile(path: Path, text: str) -> None:
    """What an editor does when it saves: a new file renamed over the old one."""
    fresh = path.with_name(path.name + ".editor-save")
    fresh.write_text(text)
    os.replace(fresh, path)


EDIT = "<Response>\n  <Hangup/>\n</Response>\n<!-- the user's newer save -->\n"


@pytest.mark.parametrize("command", ["fmt", "fix", "add-noqa"])
def test_an_edit_saved_while_ozml_works_on_the_file_is_kept(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """The file is saved anew after ozml read it and before it writes: the save stays, the
    run says so, exit 2. Before, the older content ozml read was formatted (or fixed) and
    written over the newer one, and the run said "1 file reformatted"."""
    import ozml.fixes
    import ozml.formatter
    import ozml.lint.noqa

    target = here / "a.xml"
    target.write_text(FIXABLE)
    module, name = {
        "fmt": (ozml.formatter, "format_result"),
        "fix": (ozml.fixes, "fix_result"),
        "add-noqa": (ozml.lint.noqa, "add"),
    }[command]
    real = getattr(module, name)

    def meanwhile(*args: object, **kwargs: object) -> object:
        _saved_meanwhile(target, EDIT)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, meanwhile)
    args = {
        "fmt": ["fmt", "a.xml"],
        "fix": ["check", "--no-progress", "--no-cache", "--fix", "a.xml"],
        "add-noqa": ["check", "--no-progress", "--no-cache", "--add-noqa", "a.xml"],
    }[command]
    code, out, err = run(capsys, *args)
    assert target.read_text() == EDIT
    assert "a.xml" in err
    assert "changed since ozml read it; left as it is now" in err
    assert code == 2 if command == "fmt" else code in (1, 2)
    assert "1 file reformatted" not in out + err
    assert sorted(p.name for p in here.iterdir()) == ["a.xml"]  # no temporary file left


def test_write_atomic_replaces_only_what_it_was_based_on(tmp_path: Path) -> None:
    from ozml.atomic import RefusedWrite, write_atomic

    target = tmp_path / "a.xml"
    target.write_bytes(b"old")
    with pytest.raises(RefusedWrite, match="changed since ozml read it"):
        write_atomic(target, b"new", based_on=b"older")
    with pytest.raises(RefusedWrite, match="changed since ozml read it"):
        write_atomic(target, b"new", based_on=b"ol")  # a prefix is not the content
    assert target.read_bytes() == b"old"
    write_atomic(target, b"new", based_on=b"old")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml"]


# --- 3. links that lead out of the walked folder ------------------------------------------------


def test_fmt_of_a_folder_never_rewrites_a_file_outside_it_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "outside").mkdir()
    victim = tmp_path / "outside" / "victim.xml"
    victim.write_text(MESSY)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "link.xml").symlink_to("../outside/victim.xml")
    (repo / "mine.xml").write_text(MESSY)
    monkeypatch.chdir(repo)
    code, _, err = run(capsys, "fmt", ".")
    assert code == 0
    assert victim.read_text() == MESSY
    assert (repo / "mine.xml").read_text() == FORMATTED
    assert "ozml: warning: link.xml: not followed: a symbolic link to a file outside ." in err
    # --fix and --add-noqa walk the same way.
    (repo / "mine.xml").write_text(FIXABLE)
    victim.write_text(FIXABLE)
    run(capsys, "check", "--no-progress", "--no-cache", "--fix", ".")
    run(capsys, "check", "--no-progress", "--no-cache", "--add-noqa", ".")
    assert victim.read_text() == FIXABLE


def test_check_of_a_folder_does_not_disclose_a_file_outside_it_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "config.xml").symlink_to(secret)
    monkeypatch.chdir(repo)
    _, out, err = run(capsys, "check", "--no-progress", ".")
    assert "hunter2" not in out + err
    assert "not followed" in err


def test_a_link_named_explicitly_is_rewritten_at_its_target_and_stays_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "menu.xml"
    target.write_text(MESSY)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "menu.xml").symlink_to("../shared/menu.xml")
    monkeypatch.chdir(repo)
    assert run(capsys, "fmt", "menu.xml")[0] == 0
    assert (repo / "menu.xml").is_symlink()
    assert target.read_text() == FORMATTED


def test_a_link_inside_the_walked_folder_is_followed(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "real").mkdir()
    (here / "real" / "a.xml").write_text(MESSY)
    (here / "alias.xml").symlink_to("real/a.xml")
    code, _, err = run(capsys, "fmt", ".")
    assert (code, "warning" in err) == (0, False)
    assert (here / "alias.xml").is_symlink()
    assert (here / "real" / "a.xml").read_text() == FORMATTED


# --- 7. files the user names are read with the same limits as documents ---------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["/dev/zero"], "/dev/zero: not a regular file"),
        (["big.json"], "big.json: is 10,485,761 bytes"),
        (["pipe"], "pipe: not a regular file"),
        (["."], ".: is a folder"),
    ],
)
def test_a_baseline_that_is_not_a_file_or_too_large_is_refused_at_once(
    here: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    (here / "a.xml").write_text(BAD)
    os.mkfifo(here / "pipe")
    with open(here / "big.json", "wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    code, _, err = run(capsys, "check", "--baseline", *args, "a.xml")
    assert code == 2
    assert err.startswith(f"ozml: error: {expected}")
    assert err.count("\n") == 1


@pytest.mark.parametrize("kind", ["device", "pipe", "huge"])
def test_a_configuration_that_is_not_a_file_or_too_large_is_refused_at_once(
    here: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    (here / "a.xml").write_text(BAD)
    if kind == "device":
        (here / "ozml.toml").symlink_to("/dev/zero")
        reason = "not a regular file"
    elif kind == "pipe":
        os.mkfifo(here / "ozml.toml")
        reason = "not a regular file"
    else:
        with open(here / "ozml.toml", "wb") as handle:
            handle.truncate(10 * 1024 * 1024 + 1)
        reason = "is 10,485,761 bytes, larger than the 10,485,760-byte limit"
    code, _, err = run(capsys, "check", "--no-progress", "a.xml")
    assert (code, err) == (2, f"ozml: error: ozml.toml: {reason}\n")


# --- 8. --jobs is capped --------------------------------------------------------------------------


def test_jobs_is_capped_by_the_files_and_the_cores(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    started: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    class Recording(real):  # type: ignore[valid-type,misc]
        def __init__(self, max_workers: int, **kwargs: object) -> None:
            started.append(max_workers)
            super().__init__(max_workers, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    for i in range(100):
        (here / f"f{i:03}.xml").write_text(BAD)
    code, out, _ = run(capsys, "check", "--no-progress", "--no-cache", "--jobs", "100000", ".")
    assert code == 1
    assert out.count("ForwardCall needs Destination") == 100
    assert started == [min(parallel.max_jobs(), 4)]  # 100 files: 4 batches of 32
    assert parallel.max_jobs() == parallel.JOBS_PER_CORE * parallel.default_jobs()


# --- 14. a bug on one file never stops the others -------------------------------------------------


def test_an_internal_error_on_one_file_is_reported_and_the_others_are_checked(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ozml.lint import linter

    real = linter.lint_result

    def flaky(result, *args, **kwargs):  # type: ignore[no-untyped-def]
        if result.source.path.endswith("b.xml"):
            raise RuntimeError("a bug")
        return real(result, *args, **kwargs)

    monkeypatch.setattr(linter, "lint_result", flaky)
    monkeypatch.delenv("OZML_DEBUG", raising=False)
    for name in ("a.xml", "b.xml", "c.xml"):
        (here / name).write_text(BAD)
    code, out, err = run(capsys, "check", "--no-progress", "--no-cache", ".")
    assert code == 3
    assert out.count("ForwardCall needs Destination") == 2
    assert "a.xml" in out
    assert "c.xml" in out
    assert err.startswith("ozml: error: b.xml: internal error: RuntimeError: a bug")


def test_fmt_goes_on_after_an_internal_error_on_one_file(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ozml import formatter

    real = formatter.format_result

    def flaky(result, *args, **kwargs):  # type: ignore[no-untyped-def]
        if result.source.path.endswith("b.xml"):
            raise RuntimeError("a bug")
        return real(result, *args, **kwargs)

    monkeypatch.setattr(formatter, "format_result", flaky)
    monkeypatch.delenv("OZML_DEBUG", raising=False)
    for name in ("a.xml", "b.xml", "c.xml"):
        (here / name).write_text(MESSY)
    code, _, err = run(capsys, "fmt", ".")
    assert code == 3
    assert (here / "a.xml").read_text() == (here / "c.xml").read_text() == FORMATTED
    assert (here / "b.xml").read_text() == MESSY
    assert "ozml: internal error: b.xml: RuntimeError: a bug (left unchanged;" in err


# --- 15. crashes that are now one line and exit 2 ------------------------------------------------


@pytest.mark.parametrize("command", ["check", "fmt"])
def test_a_glob_that_is_not_valid_is_a_usage_error(
    here: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    (here / "a.xml").write_text(BAD)
    code, out, err = run(capsys, command, "--exclude", "[z-a]", ".")
    assert (code, out) == (2, "")
    assert err == (
        "ozml: error: '[z-a]' is not a valid glob: bad character range z-a at position 1\n"
    )


def test_a_glob_that_is_not_valid_in_the_configuration_names_the_file(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "a.xml").write_text(BAD)
    (here / "ozml.toml").write_text('exclude = ["[z-a]"]\n')
    code, _, err = run(capsys, "check", "--no-progress", "a.xml")
    assert code == 2
    assert err.startswith("ozml: error: ozml.toml:1:12: exclude: '[z-a]' is not a valid glob")


@needs_root
def test_a_folder_that_cannot_be_searched_above_the_file_is_passed_over() -> None:
    """Run as an ordinary user from inside a folder whose parent it may not search."""
    with tempfile.TemporaryDirectory(dir="/tmp") as top:
        locked = Path(top) / "locked"
        inner = locked / "inner"
        inner.mkdir(parents=True)
        (inner / "a.xml").write_text(BAD)
        for folder in (Path(top), locked, inner):
            os.chown(folder, 65534, 65534)
        os.chown(inner / "a.xml", 65534, 65534)
        code = (
            "import os, sys, locale\n"
            "from ozml.cli import main, build_parser\n"
            "import ozml.cli.check, ozml.config, ozml.files, ozml.report.text, ozml.report.style\n"
            "import ozml.lint.linter, ozml.lint.quick, ozml.parser, ozml.lint.registry\n"
            "build_parser('check')\n"
            "os.setgid(65534); os.setuid(65534)\n"
            f"os.chdir({str(inner)!r})\n"
            f"os.chmod({str(locked)!r}, 0o600)\n"
            "sys.exit(main(['check', '--no-progress', '--no-cache', 'a.xml']))\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "ForwardCall needs Destination" in done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("output", ["text", "json", "sarif"])
def test_a_full_standard_output_is_an_io_error(here: Path, output: str) -> None:
    (here / "bad.xml").write_text(BAD)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "ozml", "check", "--no-cache", "--format", output, "bad.xml"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 2
    assert done.stderr == "ozml: error: cannot write to standard output: no space left on device\n"


def test_a_closed_standard_output_is_an_io_error(here: Path) -> None:
    (here / "bad.xml").write_text(BAD)
    done = subprocess.run(
        f"{sys.executable} -m ozml check --no-cache bad.xml >&-", shell=True,
        capture_output=True, text=True,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "ozml: error: cannot write to standard output: standard output is closed\n"
    )


@pytest.mark.parametrize("args", ["--version", "--help", "", "check --help", "rules"])
@pytest.mark.parametrize("stdout", [">&-", "> /dev/full"])
def test_help_and_version_that_cannot_be_written_are_an_io_error(
    here: Path, args: str, stdout: str
) -> None:
    """argparse drops a failure to write its help or version: `ozml --help > /dev/full` passed
    for a success, and `ozml --version >&-` ended in a traceback."""
    done = subprocess.run(
        f"{sys.executable} -m ozml {args} {stdout}", shell=True, capture_output=True, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("ozml: error: cannot write to standard output: ")
    assert done.stderr.count("\n") == 1, done.stderr


def test_a_closed_standard_error_never_sends_messages_into_the_report(here: Path) -> None:
    """With standard error closed, Python's print wrote the messages meant for it to standard
    output, ahead of the JSON report; and a later file could have been given its number."""
    (here / "bad.xml").write_text(BAD)
    done = subprocess.run(
        f"{sys.executable} -m ozml check --no-cache --format json missing.xml bad.xml 2>&-",
        shell=True, capture_output=True, text=True,
    )
    assert done.returncode == 2
    assert json.loads(done.stdout)[0]["code"] == "OZ201"
    done = subprocess.run(
        f"{sys.executable} -m ozml run bad.xml 2>&-", shell=True, capture_output=True, text=True
    )
    assert done.returncode == 1  # refused for its lint error: not an internal error (3)
    done = subprocess.run(
        f"{sys.executable} -m ozml fmt bad.xml 2>&-", shell=True, capture_output=True, text=True
    )
    assert done.returncode == 0
    formatted = (here / "bad.xml").read_text()  # formatted, and nothing but the document
    assert formatted.startswith("<?xml")
    assert formatted.endswith("</Response>\n")


def test_a_reader_that_goes_away_is_an_io_error_not_a_clean_run(here: Path) -> None:
    for i in range(2000):
        (here / f"f{i:04}.xml").write_text(BAD)
    process = subprocess.Popen(
        [sys.executable, "-m", "ozml", "check", "--no-cache", "--jobs", "1", "."],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=120) == 2
    assert process.stderr.read() == b"ozml: error: cannot write to standard output: broken pipe\n"


def test_a_closed_standard_input_is_an_io_error(here: Path) -> None:
    done = subprocess.run(
        f"{sys.executable} -m ozml check --no-cache - <&-", shell=True,
        capture_output=True, text=True,
    )
    assert done.returncode == 2
    assert done.stderr == "ozml: error: -: standard input is closed\n"


# --- 12. no baseline or setting hides a document that is not XML ---------------------------------

BROKEN = "<Response><Speak>hi</Speak"


def test_a_baseline_never_records_or_hides_a_broken_document(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "broken.xml").write_text(BROKEN)
    (here / "bad.xml").write_text(BAD)
    code, out, _ = run(capsys, "check", "--no-progress", "--write-baseline", "base.json", ".")
    assert code == 1  # the broken file still fails the run that writes the baseline
    assert out.startswith("broken.xml:1:27: OZ001 ")
    recorded = json.loads((here / "base.json").read_text())["findings"]
    assert [entry["code"] for entry in recorded] == ["OZ201"]
    # A baseline that names the broken file anyway (written by hand, or by an older ozml).
    recorded.append({"path": "broken.xml", "code": "OZ001", "fingerprint": "x", "count": 1})
    (here / "base.json").write_text(json.dumps({"version": 1, "findings": recorded}))
    code, out, err = run(capsys, "check", "--no-progress", "--baseline", "base.json", ".")
    assert code == 1
    assert out.startswith("broken.xml:1:27: OZ001 ")
    assert "OZ201" not in out
    assert err.startswith("ozml: warning: base.json: 1 entry for OZ001-OZ003 ignored:")


def test_settings_that_name_oz001_are_warned_about_and_change_nothing(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "broken.xml").write_text(BROKEN)
    (here / "ozml.toml").write_text(
        'ignore = ["OZ002"]\n[severity]\nOZ003 = "info"\nOZ201 = "info"\n'
    )
    code, out, err = run(capsys, "check", "--no-progress", "--ignore", "OZ001", "broken.xml")
    assert code == 1
    assert out.startswith("broken.xml:1:27: OZ001 ")
    warned = [line.split(": ")[1:3] for line in err.splitlines()]
    assert warned == [
        ["warning", "--ignore"],
        ["warning", "ozml.toml:1:1"],
        ["warning", "ozml.toml:3:1"],
    ]
    assert "OZ002 cannot be ignored or weakened, and stay on" in err
    assert "severity 'OZ003': OZ003 cannot be ignored" in err


# --- the report file (-o) --------------------------------------------------------------------


def test_output_file_is_never_written_through_a_link_or_onto_a_folder(here: Path, capsys) -> None:
    (here / "a.xml").write_text("<Response>\n  <ForwardCall/>\n</Response>\n")
    target = here / "precious.txt"
    target.write_text("keep")
    (here / "link.txt").symlink_to(target)
    code, out, err = run(capsys, "check", "-o", "link.txt", "a.xml")
    assert (code, out) == (2, "")
    assert err.startswith("ozml: error: link.txt: not written: is a symbolic link")
    assert target.read_text() == "keep"
    code, out, err = run(capsys, "check", "-o", ".", "a.xml")
    assert (code, out) == (2, "")
    assert err.startswith("ozml: error: .: not written: is a folder")
    # A run that stops on a bad configuration leaves the old report in place.
    (here / "report.txt").write_text("old")
    (here / "ozml.toml").write_text("nonsense = 1\n")
    code, out, err = run(capsys, "check", "-o", "report.txt", "a.xml")
    assert code == 2
    assert (here / "report.txt").read_text() == "old"


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("check", "a.xml"),
        ("check", "./a.xml"),
        ("graph", "a.xml"),
        ("graph", "./a.xml"),
        ("test", "a.xml"),
        ("test", "a.scenario.toml"),
    ],
)
def test_a_report_is_never_written_over_a_file_the_run_read(
    here: Path, capsys: pytest.CaptureFixture[str], command: str, name: str
) -> None:
    """`ozml check a.xml -o a.xml` replaced the document with its own report (so did graph
    and test); the document is read here through a link, and still recognised."""
    (here / "a.xml").write_text(BAD)
    (here / "alias.xml").symlink_to("a.xml")
    (here / "a.scenario.toml").write_text('script = "alias.xml"\nforce = true\n')
    before = listing(here)
    given = "a.scenario.toml" if command == "test" else "alias.xml"
    option = "--output" if command == "graph" else "--output-file"
    args = [command, given, option, name]
    if command == "check":
        args[1:1] = ["--no-cache", "--no-progress"]
    code, _, err = run(capsys, *args)
    assert code == 2, err
    assert "which this run read; ozml does not write over its input" in err
    assert listing(here) == before


@pytest.mark.parametrize(
    "args",
    [
        ["check", "-o", "", "a.xml"],
        ["check", "--baseline", "", "a.xml"],
        ["check", "--write-baseline", "", "a.xml"],
        ["check", "--config", "", "a.xml"],
        ["check", "--stdin-filename", "", "-"],
        ["fmt", "--stdin-filename", "", "-"],
        ["graph", "-o", "", "a.xml"],
        ["schema", "-o", ""],
        ["test", "-o", ""],
        ["run", "--scenario", "", "a.xml"],
        ["run", "--notification", "", "a.xml"],
        ["run", "--executor", "", "a.xml"],
        ["run", "--api-url", "", "a.xml"],
        ["api", "--api-url", "", "Hangup"],
        ["simulate", "--config", ""],
        ["lsp", "--log-file", ""],
    ],
)
def test_an_empty_value_for_an_option_that_names_something_is_a_usage_error(
    here: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """`-o ''` wrote the report to standard output, `--baseline ''` and `--write-baseline ''`
    were taken for no baseline, `--config ''` read the current folder as a file: each now
    says the value names nothing, exit 2, and nothing is written."""
    (here / "a.xml").write_text(BAD)
    before = listing(here)
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    option = next(a for a in args if a.startswith("-") and a != "-")
    assert f"ozml: error: argument {option}" in err
    assert ": an empty value names nothing" in err
    assert listing(here) == before


def test_executor_options_in_a_dry_run_are_a_usage_error(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dry run has no executor: `--executor-option x` was taken silently."""
    (here / "a.xml").write_text("<Response><Hangup/></Response>\n")
    code, out, err = run(capsys, "run", "a.xml", "--executor-option", "validate=maybe")
    assert (code, out) == (2, "")
    assert err == (
        "ozml: error: --executor-option is for runs with an executor (--live, --executor)\n"
    )


def test_a_folder_that_cannot_be_read_gets_one_error_and_no_warning() -> None:
    """`ozml check locked/` said both "permission denied" and "no matching files in this
    folder". Run as an unprivileged user (root reads any folder)."""
    with tempfile.TemporaryDirectory() as top:
        os.chmod(top, 0o755)
        locked = Path(top) / "locked"
        locked.mkdir()
        (locked / "a.xml").write_text(BAD)
        locked.chmod(0)
        code = (
            "import os, sys\n"
            "from ozml.cli import main, build_parser\n"
            "import ozml.cli.check, ozml.config, ozml.files, ozml.report.text, ozml.report.style\n"
            "import ozml.lint.quick\n"
            "build_parser('check')\n"
            + ("os.setgid(65534); os.setuid(65534)\n" if ROOT else "")
            + f"os.chdir({top!r})\n"
            "sys.exit(main(['check', '--no-progress', '--no-cache', 'locked']))\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        locked.chmod(0o755)
    assert done.returncode == 2
    assert done.stderr == "ozml: error: locked: permission denied\n"
