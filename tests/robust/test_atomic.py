"""The atomic writer: permissions from the umask or the replaced file, only regular files
replaced, the target named in errors, temporary files of killed writers cleaned up."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from game.atomic import NotRegularFile, write_atomic, write_bytes, write_text


def _mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


@pytest.fixture
def umask():
    def set_mask(mask: int) -> None:
        os.umask(mask)

    old = os.umask(0o022)
    os.umask(old)
    yield set_mask
    os.umask(old)


def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path, umask):
    umask(0o002)
    write_text(tmp_path / "a.txt", "x")
    assert _mode(tmp_path / "a.txt") == 0o664
    umask(0o077)
    write_text(tmp_path / "b.txt", "x")
    assert _mode(tmp_path / "b.txt") == 0o600


def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    umask(0o077)
    target = tmp_path / "shared.json"
    target.write_text("old")
    os.chmod(target, 0o664)
    write_text(target, "new")
    assert target.read_text() == "new"
    assert _mode(target) == 0o664


def test_a_symlink_at_the_target_is_refused_and_kept(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(NotRegularFile) as e:
        write_text(link, "new")
    assert "symbolic link" in e.value.strerror and e.value.filename == str(link)
    assert link.is_symlink() and real.read_text() == "keep"


def test_a_device_at_the_target_is_refused_and_kept():
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    before = os.stat("/dev/null")
    with pytest.raises(NotRegularFile) as e:
        write_bytes("/dev/null", b"x")
    assert "device" in e.value.strerror
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_folder_at_the_target_is_refused(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(NotRegularFile):
        write_text(tmp_path / "d", "x")
    assert (tmp_path / "d").is_dir()


def test_an_error_names_the_target_not_the_temporary_file(tmp_path):
    def fail(f):
        raise OSError(28, "No space left on device", f.name)

    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(OSError) as e:
        write_atomic(target, fail)
    assert e.value.filename == str(target) and e.value.errno == 28
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_a_temporary_file_of_a_killed_writer_is_removed_by_the_next_write(tmp_path):
    target = tmp_path / "summary.json"
    code = (
        "import os, signal, sys\n"
        "from game.atomic import write_atomic\n"
        "def w(f):\n"
        "    f.write('partial'); f.flush()\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        f"write_atomic({str(target)!r}, w)\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": root}, timeout=60
    )
    assert proc.returncode == -9
    left = [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
    assert len(left) == 1 and not target.exists()  # SIGKILL cannot be caught: the next write cleans
    write_text(target, "{}")
    assert os.listdir(tmp_path) == ["summary.json"]


def test_a_live_writers_temporary_file_is_left_alone(tmp_path):
    mine = tmp_path / f".x.json.{os.getppid()}.abc.tmp"  # the parent process is alive
    mine.write_text("in progress")
    write_text(tmp_path / "x.json", "{}")
    assert mine.exists()


def test_replace_false_never_overwrites(tmp_path):
    target = tmp_path / "new.toml"
    target.write_text("mine")
    with pytest.raises(FileExistsError):
        write_text(target, "theirs", replace=False)
    assert target.read_text() == "mine"
