"""The worker pool hands a worker its next task while it runs the one before: a result comes
back from each task, in any order of finishing, and a task still waiting in a dead worker's pipe
runs on the worker that takes its place (only the task the dead one was running fails)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from game.montecarlo.pool import DEPTH, WorkerDied, WorkerPool

DEADLINE = 60


def _double(x: int) -> int:
    return 2 * x


def _nap(x: int, seconds: float) -> int:
    time.sleep(seconds)
    return x


def _until(cond) -> None:
    end = time.monotonic() + DEADLINE
    while not cond():
        assert time.monotonic() < end, "gave up waiting"
        time.sleep(0.01)


def test_every_task_returns_its_own_result():
    with WorkerPool(2) as pool:
        futures = [pool.submit(_nap, k, 0.002 * (k % 5)) for k in range(40)]
        assert [f.result(timeout=DEADLINE) for f in futures] == list(range(40))
        futures = [pool.submit(_double, k) for k in range(40)]
        assert [f.result(timeout=DEADLINE) for f in futures] == [2 * k for k in range(40)]


def test_a_task_waiting_behind_a_killed_one_runs_on_its_replacement():
    assert DEPTH >= 2
    with WorkerPool(1) as pool:
        running = pool.submit(_nap, 1, DEADLINE)
        waiting = pool.submit(_double, 21)
        (worker,) = pool._workers
        # Both tasks are in the one worker's hands: the first running, the second in its pipe.
        _until(lambda: len(worker.tasks) == 2 and running.running())
        dead = pool.pids[0]
        os.kill(dead, signal.SIGKILL)
        with pytest.raises(WorkerDied, match=str(dead)):
            running.result(timeout=DEADLINE)
        assert waiting.result(timeout=DEADLINE) == 42
        assert pool.pids[0] != dead


def test_shutdown_returns_with_every_result_in():
    pool = WorkerPool(2)
    futures = [pool.submit(_nap, k, 0.01) for k in range(6)]
    pool.shutdown(wait=True)
    assert [f.result(timeout=0) for f in futures] == list(range(6))
    with pytest.raises(RuntimeError):
        pool.submit(_double, 1)


def _unpicklable(x: int):
    return lambda: x  # a result that cannot be sent back


def test_a_result_that_cannot_be_sent_fails_its_task_alone():
    with WorkerPool(1) as pool:
        bad = pool.submit(_unpicklable, 1)
        good = pool.submit(_double, 4)
        with pytest.raises(RuntimeError, match="could not be sent back"):
            bad.result(timeout=DEADLINE)
        assert good.result(timeout=DEADLINE) == 8
