"""Batches and their processes: workers end with Pact, a dead worker costs only its chunk, and
an interrupted write leaves the old results folder or the new one, never a mix.

Signals go to a real ``pact batch`` subprocess; the process table (/proc) says which workers
are left. Waits poll for a state and give up after a generous deadline: nothing here measures
time.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc"),
]

DEADLINE = 120.0


def _start(out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"}
    args = ["batch", "scenarios/treaty-2024.toml", "--out", str(out), "--quiet", *extra]
    return subprocess.Popen(
        [sys.executable, "-m", "game", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def _alive(pid: int) -> bool:
    st = _stat(pid)
    return st is not None and st[0] not in ("Z", "X")


def _children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = _stat(int(d))
            if st and st[1] == pid and st[0] not in ("Z", "X"):
                out.append(int(d))
    return out


def _until(what, cond):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting for {what}")


def _staging(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.partial-*"))


def _rows_written(out: Path) -> bool:
    """The batch has written its first chunk's rows (so workers are busy stepping)."""
    for d in _staging(out):
        f = d / "runs.csv"
        if f.exists() and f.stat().st_size > 2000:
            return True
    return False


def _running(pids: list[int]) -> int | None:
    """The first of ``pids`` the kernel has running (state R), None if all wait."""
    for pid in pids:
        st = _stat(pid)
        if st is not None and st[0] == "R":
            return pid
    return None


def _workers_of(proc) -> list[int]:
    return _until(
        "two workers", lambda: (lambda k: k if len(k) >= 2 else None)(_children(proc.pid))
    )


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_with_the_batch(tmp_path, sig):
    out = tmp_path / "res"
    proc = _start(out, "--runs", "2000000", "--workers", "2", "--batch-size", "200")
    try:
        workers = _workers_of(proc)
        _until("rows", lambda: _rows_written(out))
        proc.send_signal(sig)
        proc.wait(timeout=DEADLINE)
        _until("no worker left", lambda: not any(_alive(w) for w in workers))
    finally:
        proc.kill()
        proc.wait()
    if sig == signal.SIGTERM:  # a clean end: no half-written folder, no output folder
        assert proc.returncode != 0
        assert not _staging(out) and not out.exists()
    else:  # the killed batch's staging folder goes with the next batch into the same place
        assert _staging(out) and not out.exists()
        res = _start(out, "--runs", "10", "--turns", "1", "--no-plots")
        assert res.wait(timeout=DEADLINE) == 0
        assert not _staging(out) and (out / "summary.json").exists()


def test_batch_into_a_closed_pipe_ends(tmp_path):
    out = tmp_path / "res"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = (
        f"{sys.executable} -m game batch scenarios/treaty-2024.toml --runs 600 --turns 6 "
        f"--workers 2 --batch-size 100 --no-plots --out {out} | head -1"
    )
    res = subprocess.run(
        cmd, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=DEADLINE
    )
    assert res.returncode == 0 and len(res.stdout.splitlines()) == 1


def test_a_killed_worker_costs_only_its_chunk(tmp_path):
    out = tmp_path / "res"
    # The kill must fall on a worker with a chunk in hand. A worker can wait idle while the
    # other holds the chunk the batch emits next, so the test kills one seen running (state R,
    # not asleep on its pipe), and chunks take long enough (tens of milliseconds each) that
    # one seen running is still on its chunk when the signal lands, however fast the engine.
    runs, size = 30_000, 1_000
    proc = _start(
        out,
        "--runs",
        str(runs),
        "--turns",
        "12",
        "--workers",
        "2",
        "--batch-size",
        str(size),
        "--no-plots",
    )
    try:
        workers = _workers_of(proc)
        _until("rows", lambda: _rows_written(out))
        busy = _until("a worker stepping", lambda: _running(workers))
        os.kill(busy, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=DEADLINE)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 3, stderr
    s = json.loads((out / "summary.json").read_text())
    missing = s["missing_runs"]
    assert len(missing) == 1 and missing[0][1] - missing[0][0] == size
    start, stop = missing[0]
    assert f"Runs {start:,}-{stop - 1:,} are missing" in stdout
    assert f"--first-run {start} --runs {size}" in stdout
    rows = [int(r["run"]) for r in csv.DictReader((out / "runs.csv").open())]
    assert rows == [k for k in range(runs) if not start <= k < stop]
    assert s["runs"] == runs - size and sum(d["count"] for d in s["outcomes"].values()) == s["runs"]


def _batch(out: Path, seed: int, *extra: str) -> subprocess.CompletedProcess:
    proc = _start(
        out, "--runs", "400", "--turns", "6", "--seed", str(seed), "--workers", "2", *extra
    )
    stdout, stderr = proc.communicate(timeout=DEADLINE)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _consistent(out: Path) -> dict:
    """The folder is one batch: its summary, tally and rows agree."""
    s = json.loads((out / "summary.json").read_text())
    rows = list(csv.DictReader((out / "runs.csv").open()))
    assert len(rows) == s["runs"] and {r["seed"] for r in rows} == {str(s["seed"])}
    assert json.loads((out / "tally.json").read_text())["n"] == s["runs"]
    return s


@pytest.mark.parametrize("when", ["plotting", "twice"])
def test_interrupted_writes_leave_the_old_folder_or_the_new(tmp_path, when):
    out = tmp_path / "res"
    assert _batch(out, 1).returncode == 0
    old = _snapshot(out)
    proc = _start(
        out,
        "--runs",
        "3000",
        "--turns",
        "6",
        "--seed",
        "2",
        "--workers",
        "2",
        "--batch-size",
        "100",
    )
    try:
        if when == "plotting":
            _until(
                "a plot being written",
                lambda: any(".png" in p.name for d in _staging(out) for p in d.iterdir()),
            )
            proc.send_signal(signal.SIGINT)
        else:
            _until("rows", lambda: _rows_written(out))
            proc.send_signal(signal.SIGINT)
            proc.send_signal(signal.SIGINT)
        stdout, _ = proc.communicate(timeout=DEADLINE)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 130
    assert not _staging(out)
    now = _snapshot(out)
    if now == old:
        assert "is as it was" in stdout
    else:  # the new batch, whole: its runs completed before Ctrl-C, its own summary
        s = _consistent(out)
        assert s["seed"] == 2 and s["interrupted"]
    if when == "plotting":
        assert now == old
