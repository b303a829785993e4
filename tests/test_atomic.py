"""`ozml.atomic`: every write ozml makes replaces a regular file atomically, or refuses.

Refused: links (never followed), pipes, devices, sockets, folders, hard-linked files, and files
whose owner cannot be kept. Kept: the owner, group and permission bits of the replaced file.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ozml.atomic import RefusedWrite, SafeFolder, check_replaceable, write_atomic

ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="needs root (device nodes, other owners)")


def test_write_atomic_replaces_content_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a.xml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.xml"]


def test_write_atomic_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.xml", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.xml").stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.xml"
    target.write_bytes(b"old")

    def disk_error(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", disk_error)
    with pytest.raises(OSError, match="Input/output error"):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.xml"]


def test_a_read_only_folder_raises_and_leaves_the_file(tmp_path: Path) -> None:
    if ROOT:
        pytest.skip("root can write into read-only folders")
    target = tmp_path / "a.xml"
    target.write_bytes(b"old")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            write_atomic(target, b"new")
    finally:
        tmp_path.chmod(0o700)
    assert target.read_bytes() == b"old"


# --- refusals ---------------------------------------------------------------------------------


def test_a_symbolic_link_is_never_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.xml"
    real.write_bytes(b"old")
    link = tmp_path / "link.xml"
    link.symlink_to(real)
    with pytest.raises(RefusedWrite, match="is a symbolic link"):
        write_atomic(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"old"


def test_a_dangling_link_is_not_replaced_either(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "nowhere" / "x.json")
    with pytest.raises(RefusedWrite, match="symbolic link"):
        write_atomic(link, b"new")
    assert link.is_symlink()


def test_a_named_pipe_is_refused_and_stays_a_pipe(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(RefusedWrite, match="is a named pipe, not a regular file"):
        write_atomic(pipe, b"new")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


@needs_root
def test_a_device_node_is_refused(tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    with pytest.raises(RefusedWrite, match="is a character device"):
        write_atomic(null, b"new")
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_dev_null_itself_is_refused() -> None:
    with pytest.raises(RefusedWrite, match="character device"):
        check_replaceable("/dev/null")


def test_a_folder_and_a_socket_are_refused(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(RefusedWrite, match="is a folder"):
        write_atomic(tmp_path / "folder", b"x")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "sock"))
        with pytest.raises(RefusedWrite, match="is a socket"):
            write_atomic(tmp_path / "sock", b"x")
    finally:
        server.close()


def test_a_hard_linked_file_is_refused_and_its_links_stay_one_file(tmp_path: Path) -> None:
    first = tmp_path / "a.xml"
    first.write_bytes(b"old")
    second = tmp_path / "b.xml"
    os.link(first, second)
    with pytest.raises(RefusedWrite, match="has 2 hard links"):
        write_atomic(first, b"new")
    assert first.read_bytes() == second.read_bytes() == b"old"
    assert os.stat(first).st_ino == os.stat(second).st_ino


def test_a_file_swapped_while_being_written_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.xml"
    target.write_bytes(b"old")
    other = tmp_path / "other.xml"
    other.write_bytes(b"someone else's")
    real_fsync = os.fsync

    def swap(fd: int) -> None:
        real_fsync(fd)
        os.rename(other, target)

    monkeypatch.setattr(os, "fsync", swap)
    with pytest.raises(RefusedWrite, match="changed while ozml was writing it"):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["a.xml"]


# --- owner and group ----------------------------------------------------------------------------


@needs_root
def test_owner_group_and_special_bits_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.xml"
    target.write_bytes(b"old")
    os.chown(target, 65534, 65534)
    target.chmod(0o2640)  # set-group-ID: cleared by a change of owner unless set again
    write_atomic(target, b"new")
    info = os.stat(target)
    assert (info.st_uid, info.st_gid) == (65534, 65534)
    assert stat.S_IMODE(info.st_mode) == 0o2640
    assert target.read_bytes() == b"new"


@needs_root
def test_a_file_of_another_user_is_refused_when_its_owner_cannot_be_kept() -> None:
    # As an ordinary user (uid 65534) in a folder anyone may write, a file of uid 65533 could
    # be replaced, but not given back to its owner: ozml refuses.
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        _refused_as_another_user(Path(folder))


def _refused_as_another_user(tmp_path: Path) -> None:
    tmp_path.chmod(0o777)
    target = tmp_path / "theirs.xml"
    target.write_bytes(b"old")
    os.chown(target, 65533, 65533)
    target.chmod(0o666)
    code = (
        "import os, sys\n"
        "from ozml.atomic import write_atomic, RefusedWrite\n"
        "os.setgid(65534); os.setuid(65534)\n"
        "try:\n"
        f"    write_atomic({str(target)!r}, b'new')\n"
        "except RefusedWrite as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "ozml cannot keep its owner and group" in done.stdout
    assert target.read_bytes() == b"old"
    assert os.stat(target).st_uid == 65533
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.xml"]


# --- SafeFolder -------------------------------------------------------------------------------


def test_a_safe_folder_never_opens_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "file").write_text("x")
    with SafeFolder.open(str(tmp_path)) as top:
        with pytest.raises(RefusedWrite, match="is a symbolic link, not a folder"):
            SafeFolder.open("link", top)
        with pytest.raises(RefusedWrite, match="is a regular file, not a folder"):
            SafeFolder.open("file", top, create=True)
        with SafeFolder.open("real", top) as real:
            assert real.write("a", b"1")
            assert real.read("a", 10) == b"1"
            assert real.read("a", 0) is None  # larger than the limit
            assert not real.write("a", b"2", replace=False)
            assert real.read("a", 10) == b"1"


def test_a_safe_folder_reads_and_writes_no_link_inside_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "entry").symlink_to(outside)
    with SafeFolder.open(str(tmp_path / "cache")) as folder:
        assert folder.read("entry", 100) is None
        with pytest.raises(RefusedWrite, match="symbolic link"):
            folder.write("entry", b"overwritten")
    assert outside.read_text() == "secret"


def test_remove_tree_does_not_follow_links_inside(tmp_path: Path) -> None:
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "file").write_text("kept")
    (tmp_path / "top" / "old").mkdir(parents=True)
    (tmp_path / "top" / "old" / "link").symlink_to(keep)
    with SafeFolder.open(str(tmp_path / "top")) as top:
        top.remove_tree("old")
    assert not (tmp_path / "top" / "old").exists()
    assert (keep / "file").read_text() == "kept"


@needs_root
def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    (tmp_path / "theirs").mkdir()
    os.chown(tmp_path / "theirs", 65534, 65534)
    with SafeFolder.open(str(tmp_path)) as top, pytest.raises(
        RefusedWrite, match="belongs to user 65534"
    ):
        SafeFolder.open("theirs", top)


# --- logs -------------------------------------------------------------------------------------


def test_a_log_is_appended_to_a_regular_file_only(tmp_path: Path) -> None:
    from ozml.atomic import open_append

    log = tmp_path / "log.txt"
    for line in (b"one\n", b"two\n"):
        fd = open_append(log)
        os.write(fd, line)
        os.close(fd)
    assert log.read_bytes() == b"one\ntwo\n"
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(RefusedWrite, match="is a named pipe"):
        open_append(tmp_path / "pipe")
    (tmp_path / "link").symlink_to(log)
    with pytest.raises(RefusedWrite, match="is a symbolic link"):
        open_append(tmp_path / "link")
    assert log.read_bytes() == b"one\ntwo\n"


def test_the_language_server_refuses_a_log_file_that_is_a_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    (tmp_path / "log").symlink_to(victim)
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "lsp", "--log-file", str(tmp_path / "log")],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"ozml: error: {tmp_path / 'log'}: not written: is a")
    assert victim.read_text() == "keep"


def test_a_name_near_the_systems_limit_is_rewritten(tmp_path: Path) -> None:
    """The temporary file's name repeated the file's and added 19 bytes: a name of 237 to 255
    bytes could never be rewritten ("File name too long")."""
    target = tmp_path / ("é" * 100 + "a" * 51 + ".xml")  # 255 bytes in UTF-8
    assert len(os.fsencode(target.name)) == 255
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_read_only_file_is_refused_for_a_user_who_may_not_write_it() -> None:
    """A file of mode 0444 was replaced (only the folder needs to be writable for that), where
    a plain write, and every other program, fails. Run as an unprivileged user (root may write
    any file), in a folder that user can reach (pytest's own is private to root)."""
    with tempfile.TemporaryDirectory() as top:
        _refuse_read_only(Path(top))


def _refuse_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    target = folder / "a.xml"
    target.write_bytes(b"old")
    target.chmod(0o444)
    # Everything is imported first: the unprivileged user may not read this Python's library.
    program = "import os, sys\nfrom ozml.atomic import RefusedWrite, write_atomic\n"
    if ROOT:
        os.chown(folder, 65534, 65534)
        os.chown(target, 65534, 65534)
        tmp_path.chmod(0o755)
        program += "os.setgid(65534)\nos.setuid(65534)\n"
    program += (
        "try:\n"
        f"    write_atomic({str(target)!r}, b'new')\n"
        "except RefusedWrite as error:\n"
        "    print(error)\n"
        "    sys.exit(2)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == (
        "is read-only (mode 0444); ozml leaves a file it may not write unchanged\n"
    )
    assert target.read_bytes() == b"old"


def test_the_generators_never_write_through_a_linked_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m ozml.generate` made its folders with mkdir(parents=True), through a link
    (`docs -> ../elsewhere` had the pages written there), and a refused write was a
    traceback."""
    import ozml.generate as generate

    root = tmp_path / "repo"
    root.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "docs").symlink_to(elsewhere)
    monkeypatch.setattr(
        generate, "all_outputs", lambda root: {Path("docs/rules/OZ001.md"): "page\n"}
    )
    with pytest.raises(RefusedWrite, match="docs: is a symbolic link"):
        generate.write_all(root)
    assert list(elsewhere.iterdir()) == []
    (root / "docs").unlink()
    assert generate.write_all(root) == [Path("docs/rules/OZ001.md")]
    assert (root / "docs" / "rules" / "OZ001.md").read_text() == "page\n"


# --- extended attributes and access control lists -----------------------------------------------


def _xattrs_supported(folder: Path) -> bool:
    probe = folder / ".probe"
    probe.write_bytes(b"")
    try:
        os.setxattr(probe, "user.ozml-probe", b"1")
    except (AttributeError, OSError):
        return False
    finally:
        probe.unlink()
    return True


def test_extended_attributes_are_kept(tmp_path: Path) -> None:
    if not _xattrs_supported(tmp_path):
        pytest.skip("this file system keeps no user extended attributes")
    target = tmp_path / "a.xml"
    target.write_bytes(b"old")
    os.setxattr(target, "user.origin", b"https://example.com/a.xml")
    os.setxattr(target, "user.empty", b"")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(os.listxattr(target)) == ["user.empty", "user.origin"]
    assert os.getxattr(target, "user.origin") == b"https://example.com/a.xml"
    assert os.getxattr(target, "user.empty") == b""


def test_an_access_control_list_is_kept(tmp_path: Path) -> None:
    """A file shared by an ACL (``setfacl -m u:65534:rw``) stays shared after a rewrite: the
    real setfacl and getfacl, as a user would set and read it."""
    if not _xattrs_supported(tmp_path):
        pytest.skip("this file system keeps no extended attributes")
    target = tmp_path / "a.xml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    subprocess.run(["setfacl", "-m", "u:65534:rw,g:65534:r", str(target)], check=True)
    before = subprocess.run(
        ["getfacl", "-c", "-n", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert "user:65534:rw-" in before
    mode = stat.S_IMODE(target.stat().st_mode)
    write_atomic(target, b"new")
    after = subprocess.run(
        ["getfacl", "-c", "-n", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert after == before
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() == b"new"


def test_an_attribute_that_cannot_be_kept_refuses_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A label the system does not let this user set (an SELinux context without the right to
    # relabel): cannot be made here, so the refusal of the system call is simulated.
    if not _xattrs_supported(tmp_path):
        pytest.skip("this file system keeps no user extended attributes")
    target = tmp_path / "a.xml"
    target.write_bytes(b"old")
    os.setxattr(target, "user.label", b"kept")

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "setxattr", refused)
    with pytest.raises(RefusedWrite, match=r"extended attribute user\.label"):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert os.getxattr(target, "user.label") == b"kept"
    assert [p.name for p in tmp_path.iterdir()] == ["a.xml"]
