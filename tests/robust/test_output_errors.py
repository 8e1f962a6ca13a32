"""Every output that cannot be written ends the command with one line and exit status 2:
a path that cannot exist, a file system that refuses (read-only, full), a device at --out."""

from __future__ import annotations

import errno
import os

import pytest

from game.commands.main import main
from tests.helpers import ROOT, pact

SC = "scenarios/treaty-2024.toml"
SC2 = "scenarios/treaty-2000.toml"
QUICK = ("--runs", "20", "--workers", "1", "--turns", "3", "--quiet", "--no-plots")
COMMANDS = {
    "batch": ("batch", SC, *QUICK),
    "compare": ("compare", SC, SC2, *QUICK),
    "sweep": ("sweep", SC, "actors.PRK.doctrine.aggression=0.5,1", *QUICK),
}


def _one_line_exit_2(proc, *needles: str) -> None:
    err = proc.stderr.strip()
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and len(err.splitlines()) == 1, proc.stderr
    assert err.startswith("pact: error: ")
    for n in needles:
        assert n in err, err


@pytest.mark.parametrize("cmd", sorted(COMMANDS))
def test_out_under_a_path_that_cannot_be_created(cmd, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = pact(*COMMANDS[cmd], "--out", blocker / "sub")
    _one_line_exit_2(proc, str(blocker / "sub"))


@pytest.mark.parametrize("cmd", sorted(COMMANDS))
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_out_on_a_full_or_read_only_file_system(cmd, code, tmp_path, monkeypatch, capsys):
    """The disk refuses the data (as a full disk or a read-only mount does): one line."""
    import game.atomic

    def refuse(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(game.atomic.os, "fsync", refuse)
    args = [str(ROOT / a) if a.endswith(".toml") else a for a in COMMANDS[cmd]]
    rc = main([*args, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1, err
    assert err.startswith(f"pact: error: {tmp_path / 'o'}") and os.strerror(code) in err
    # No half-written file (whether a batch folder is published whole is the runner's part).
    assert not [p for p in (tmp_path / "o").rglob("*.tmp")]


def test_out_in_proc_is_one_line():
    proc = pact(*COMMANDS["batch"], "--out", "/proc/1/pact-out")
    _one_line_exit_2(proc, "/proc/1/pact-out")


def test_schema_out_to_a_device_is_refused_and_the_device_kept():
    import stat

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    proc = pact("schema", "--out", "/dev/full")
    _one_line_exit_2(proc, "/dev/full", "device")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_schema_out_unwritable_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = pact("schema", "--out", blocker / "schema.json")
    _one_line_exit_2(proc)


def test_play_screenshot_unwritable_is_one_line(tmp_path):
    (tmp_path / "shot.png").mkdir()  # a folder where the picture should go
    proc = pact("play", SC, "--autoplay", "1", "--screenshot", tmp_path / "shot.png")
    _one_line_exit_2(proc, "shot.png")
    assert (tmp_path / "shot.png").is_dir()
