"""The forecast worker process: its loop (``serve``) and the window's handle on one (``Worker``).

A worker holds the scenarios it was sent (by a key, so that each travels once), plays one
forecast job at a time (a range of the futures of a ``Forecast``) and sends its progress and its
part of the tally back; a newer job or a cancellation arriving drops the job in hand. The AI
baselines it is asked for run in threads of their own beside the jobs. It runs at a lower
priority than the window and ends with it. ``game.ui.background`` spreads the window's forecasts
over its workers. No pygame.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import threading
import time

from game.play.forecast import Forecast

PROGRESS_EVERY = 0.05  # seconds between the worker's progress reports
WORKER_NICENESS = 5  # the window's frames come first on a busy machine


def serve(conn, parent: int) -> None:
    """The worker: play forecast jobs one at a time; any message arriving drops the job in hand
    (a newer job replaces it, a cancellation or the stop ends it), except a baseline, which
    starts in a thread of its own while the job goes on."""
    from game.montecarlo.pool import die_with_parent
    from game.montecarlo.runner import _params_for

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the window's to handle
    _lower_priority(0, parent)
    lock = threading.Lock()  # the baselines' threads send on the same pipe

    def send(msg) -> None:
        with lock:
            conn.send(msg)

    raws: dict[str, dict] = {}

    def params_of(key: str, raw: dict | None):
        if raw is not None:
            raws.clear()
            raws[key] = raw
        return _params_for(key, raws[key])

    def baseline(msg) -> None:
        _, job, key, raw, seed, runs = msg
        try:
            params = params_of(key, raw)
        except Exception as e:
            send(("baseline-error", job, f"{type(e).__name__}: {e}"))
            return
        threading.Thread(
            target=_baseline_job, args=(send, job, params, seed, runs), daemon=True
        ).start()

    msg = None
    while True:
        if msg is None:
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                return
        kind = msg[0]
        if kind == "stop":
            return
        if kind == "baseline":
            baseline(msg)
            msg = None
            continue
        if kind != "job":  # a cancellation of a job no longer in hand
            msg = None
            continue
        _, job, key, raw, state, player, runs, months, seed, chunk, rows = msg
        msg = None
        try:
            f = Forecast(params_of(key, raw), state, player, runs, months, seed, chunk, rows)
            last = time.monotonic()
            while not f.advance(0.02):
                if conn.poll():
                    msg = conn.recv()
                    if msg[0] == "baseline":
                        baseline(msg)
                        msg = None
                        continue
                    if msg[0] == "cancel" and msg[1] != job:
                        msg = None  # not this job's
                        continue
                    break
                if time.monotonic() - last >= PROGRESS_EVERY:
                    send(("progress", job, (rows[0], f.progress)))
                    last = time.monotonic()
            else:
                send(("result", job, f.part()))
        except (EOFError, OSError, BrokenPipeError):
            return
        except Exception as e:  # the job's failure is reported; the worker goes on
            with contextlib.suppress(OSError):
                send(("error", job, f"{type(e).__name__}: {e}"))


def _lower_priority(pid: int, parent: int | None = None) -> None:
    """Give process ``pid`` (0: this one) ``WORKER_NICENESS`` more than the window's process
    (``parent``, or this one), where the system allows it."""
    with contextlib.suppress(OSError, AttributeError):
        base = os.getpriority(os.PRIO_PROCESS, parent or 0)
        if os.getpriority(os.PRIO_PROCESS, pid) < base + WORKER_NICENESS:
            os.setpriority(os.PRIO_PROCESS, pid, base + WORKER_NICENESS)


def _baseline_job(send, job: int, params, seed: int, runs: int) -> None:
    """A thread of the worker: make a game's AI baseline and send it."""
    from game.play.standing import ai_baseline

    try:
        msg = ("baseline", job, ai_baseline(params, seed, runs))
    except Exception as e:  # reported; the window makes it itself, where errors show
        msg = ("baseline-error", job, f"{type(e).__name__}: {e}")
    with contextlib.suppress(OSError, EOFError, BrokenPipeError):
        send(msg)


class Worker:
    """One forecast process, its pipe and the thread that sends to it."""

    def __init__(self, ctx, index: int) -> None:
        self._conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(
            target=serve, args=(child, os.getpid()), daemon=True, name=f"pact-forecast-{index}"
        )
        self.proc.start()
        child.close()
        _lower_priority(self.proc.pid)  # from its start: its imports come second too
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()
        # Sends go through a thread: a first large message never holds a frame while the
        # worker is still starting up.
        self.sender = threading.Thread(target=self._send_loop, daemon=True)
        self.sender.start()
        self.sent_raw: dict | None = None  # the scenario data this worker holds
        self.sent_key = ""

    def _send_loop(self) -> None:
        while True:
            msg = self.outbox.get()
            if msg is None:
                return
            try:
                self._conn.send(msg)
            except (OSError, ValueError):
                return  # the worker is gone: ``poll`` notices and falls back

    def key(self, raw: dict, fresh: str) -> tuple[str, dict | None]:
        """The worker's name for a scenario's data, and the data if the worker lacks it."""
        if raw is self.sent_raw:
            return self.sent_key, None
        self.sent_raw, self.sent_key = raw, fresh
        return fresh, raw

    def close(self, timeout: float) -> None:
        """Ask the worker to stop, wait a little, then end it outright."""
        proc = self.proc
        self.outbox.put(("stop",))
        self.outbox.put(None)
        self.sender.join(timeout)
        proc.join(timeout)
        if proc.is_alive():
            proc.terminate()
            proc.join(timeout)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout)
        with contextlib.suppress(OSError):
            self._conn.close()
