"""The forecast in processes of their own, so that the play window never waits on the engine.

A step of 250 futures (``FRAME_CHUNK``) takes milliseconds, more than a frame has; worked in
slices inside the frame loop (``Forecast.advance``) it makes every frame it touches late.
``ForecastProcess`` plays the forecast in worker processes instead (one per core, up to
``MAX_WORKERS``), started at the window's first forecast and kept for the window's life: the
scenario travels once to each (its merged data; a worker compiles its own ``Params`` from it, as
the batch's workers do), each forecast travels as a job (the game state, the player, the runs,
months and seed, and the rows of the futures that worker plays), and each worker runs the very
same ``Forecast`` on its rows and sends its progress and its part of the tally back. Every future
has its own random key, so the parts put together are the in-loop forecast, bit for bit.

The first worker also plays the game's AI baseline (``game.play.standing.ai_baseline``: the
futures the player's result is measured against), asked for when a game opens: it runs in a
thread of the worker beside the forecasts, so that neither waits on the other, and its
``Baseline`` is the one ``ai_baseline`` makes in the window, bit for bit. Without the processes
it is made in a thread of the window's own process.

A new job or a cancellation reaches the workers between two steps, and the job in hand is
dropped (a baseline is never dropped). The workers end with the window (``close``), and with
their parent however that ends (the kernel's parent-death signal on Linux; elsewhere when a
pipe closes). If a process cannot start or dies, the forecasts they held go on in the frame
loop, in slices, as before, and the baselines in a thread.
No pygame.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing as mp
import os
import threading
import time
from multiprocessing.connection import wait as wait_ready

from game.play.forecast import (
    FRAME_CHUNK,
    WORKER_CHUNK,
    Forecast,
    ForecastPart,
    ForecastResult,
    split_rows,
)
from game.ui.forecast_worker import Worker

MAX_WORKERS = 2  # forecast processes at most (each holds the engine: about 200 MiB)
MIN_PART = 250  # futures a worker is given at least: fewer are not worth a second process


class RemoteBaseline:
    """A game's AI baseline being made off the window's thread: by the worker process, or
    (without one, or once it is lost) by a thread of this process. ``result`` is the
    ``Baseline`` once it is made; ``advance`` takes the worker's news without waiting."""

    def __init__(self, owner: ForecastProcess, job: int, params, seed: int, runs: int) -> None:
        self._owner = owner
        self.job = job
        self.params, self.seed, self.runs = params, int(seed), int(runs)
        self.result = None
        self.error: str | None = None
        self.local: threading.Thread | None = None  # the fallback's thread

    @property
    def done(self) -> bool:
        return self.result is not None

    def advance(self) -> bool:
        if self.result is None and self.local is None:
            self._owner.poll()
        return self.result is not None

    def run(self, timeout: float = 600.0):
        """Wait for the baseline (tests, scripts, a screenshot)."""
        end = time.monotonic() + timeout
        while not self.advance():
            if time.monotonic() > end:
                raise TimeoutError("the AI baseline was not made in time")
            if self.local is not None:
                self.local.join(0.05)
            else:
                self._owner.wait(0.05)
        return self.result

    def _fall_back(self) -> None:
        """Make it in a thread of this process (it holds the interpreter now and then, so the
        frames slow a little while it runs; they never stop)."""
        if self.result is not None or self.local is not None:
            return
        from game.play.standing import ai_baseline

        def work() -> None:
            self.result = ai_baseline(self.params, self.seed, self.runs)

        self.local = threading.Thread(target=work, daemon=True, name="pact-baseline")
        self.local.start()


class RemoteForecast:
    """A forecast played by the worker processes, each playing a part of its futures; reads
    like ``Forecast`` (``runs``, ``months``, ``progress``, ``done``, ``result``, ``advance``).
    The parts' tallies are put together here (``Forecast.absorb``), so the result is the one
    forecast's, bit for bit. Falls back to a ``Forecast`` worked in the frame loop if a worker
    is lost."""

    background = True

    def __init__(
        self, owner: ForecastProcess, job: int, args: tuple, kwargs: dict, parts: list
    ) -> None:
        self._owner = owner
        self.job = job
        self._args, self._kwargs = args, kwargs
        params, state = args[0], args[1]
        self.runs = int(kwargs["runs"])
        self.months = max(1, min(int(kwargs["months"]), max(params.turns - state.turn, 1)))
        self.start_turn = int(state.turn)
        self.parts = list(parts)  # the (lo, hi) rows each worker plays, in worker order
        self._progress = {lo: 0.0 for lo, _ in self.parts}
        self._received: dict[int, ForecastPart] = {}
        self.result: ForecastResult | None = None
        self.error: str | None = None
        self.local: Forecast | None = None  # the in-loop fallback, once a worker is lost

    @property
    def progress(self) -> float:
        if self.local is not None:
            return self.local.progress
        if self.result is not None:
            return 1.0
        done = sum((hi - lo) * self._progress[lo] for lo, hi in self.parts)
        return min(done / max(self.runs, 1), 0.999)

    @property
    def done(self) -> bool:
        return self.result is not None

    def _took_progress(self, value) -> None:
        lo, progress = value
        if lo in self._progress:
            self._progress[lo] = float(progress)

    def _took_part(self, part: ForecastPart) -> bool:
        """Keep a worker's part; True once every part is in and the result is made."""
        self._received[part.lo] = part
        self._progress[part.lo] = 1.0
        if len(self._received) < len(self.parts):
            return False
        whole = Forecast(*self._args, **self._kwargs)
        for lo, _ in self.parts:
            whole.absorb(self._received[lo])
        whole.finish()
        self.result = whole.result
        return True

    def advance(self, budget_s: float = 0.006) -> bool:
        """Take the workers' news (no waiting); in the fallback, work ``budget_s`` seconds."""
        if self.result is None:
            self._owner.poll()
        if self.result is None and self.local is not None and self.local.advance(budget_s):
            self.result = self.local.result
        return self.result is not None

    def run(self, timeout: float = 600.0) -> ForecastResult:
        """Wait for the result (tests, scripts)."""
        end = time.monotonic() + timeout
        while not self.advance(0.05):
            if time.monotonic() > end:
                raise TimeoutError("the forecast process gave no result")
            if self.local is None:
                self._owner.wait(0.05)
        assert self.result is not None
        return self.result

    def cancel(self) -> None:
        if self.result is None:
            self._owner.cancel(self)

    def _fall_back(self) -> None:
        if self.result is None and self.local is None:
            self.local = Forecast(*self._args, **self._kwargs)


def default_workers() -> int:
    """How many forecast processes the window starts: one per core but one, which the window's
    own frames keep (at least one worker, at most ``MAX_WORKERS``). On two cores a second
    worker makes the forecast about a quarter faster and the frames drawn meanwhile later."""
    return max(1, min(MAX_WORKERS, (os.cpu_count() or 1) - 1))


class ForecastProcess:
    """The play window's forecast workers (started on the first forecast): each forecast is
    played in parts, one per worker; the first worker also makes the AI baselines."""

    def __init__(self, context: str | None = "spawn", workers: int | None = None) -> None:
        self.context = context  # None: no process, every forecast worked in the frame loop
        self.n_workers = default_workers() if workers is None else max(1, int(workers))
        self.workers: list[Worker] = []
        self.failed: str | None = None if context else "no process asked for"
        self._started = False
        self._jobs: dict[int, RemoteForecast] = {}
        self._baselines: dict[int, RemoteBaseline] = {}
        self._next = 0

    @property
    def proc(self):
        """The first worker's process (the one that also makes the baselines)."""
        return self.workers[0].proc if self.workers else None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def alive(self) -> bool:
        return bool(self.workers) and all(w.proc.is_alive() for w in self.workers)

    def _start(self) -> bool:
        if self._started:
            return self.failed is None
        self._started = True
        if self.failed is not None:
            return False
        try:
            ctx = mp.get_context(self.context)
            for k in range(self.n_workers):
                self.workers.append(Worker(ctx, k))
        except Exception as e:  # no process (a sandbox, no semaphores...): forecast in-loop
            self.failed = f"{type(e).__name__}: {e}"
            self._close_workers(0.5)
            return False
        return True

    def _key(self, w: Worker, raw: dict) -> tuple[str, dict | None]:
        return w.key(raw, f"scenario-{self._next}")

    def start(self, scenario, state, player: int, **kwargs) -> RemoteForecast | Forecast:
        """A forecast of ``state`` (a game of ``scenario``, a LoadedScenario): in the workers
        if they run, else a ``Forecast`` for the frame loop. ``kwargs`` as ``Forecast`` takes;
        without a ``chunk``, the workers step ``WORKER_CHUNK`` rows together and a forecast
        worked in the frame loop (from the start, or once a worker is lost) ``FRAME_CHUNK``."""
        kwargs.setdefault("runs", 2000)
        kwargs.setdefault("months", 12)
        kwargs.setdefault("seed", 0)
        chunk = kwargs.pop("chunk", None)
        state = state.copy()  # the job is pickled later, by the sending threads
        args = (scenario.params, state, int(player))
        in_loop = {**kwargs, "chunk": chunk or FRAME_CHUNK}
        if not self._start():
            return Forecast(*args, **in_loop)
        kwargs["chunk"] = chunk or WORKER_CHUNK
        self._next += 1
        runs = int(kwargs["runs"])
        parts = split_rows(runs, min(len(self.workers), max(1, runs // MIN_PART)))
        f = RemoteForecast(self, self._next, args, in_loop, parts)
        # Only the newest job is worked on: the ones before it are dropped by the workers.
        replaced = list(self._jobs.values())
        for old in replaced:
            old.error = "replaced"
        self._jobs = {f.job: f}
        job = tuple(kwargs[k] for k in _JOB_KEYS)
        for w, rows in zip(self.workers, parts):
            key, raw = self._key(w, scenario.raw)
            w.outbox.put(("job", f.job, key, raw, state, int(player), *job, rows))
        for w in self.workers[len(parts) :]:  # a worker without a part drops what it holds
            for old in replaced:
                w.outbox.put(("cancel", old.job))
        return f

    def baseline(self, scenario, seed: int, runs: int | None = None) -> RemoteBaseline:
        """The AI baseline of a game of ``scenario`` (a LoadedScenario) played with ``seed``
        (``game.play.standing.ai_baseline``): in the first worker if it runs, else in a
        thread."""
        from game.play.standing import BASELINE_RUNS

        runs = BASELINE_RUNS if runs is None else int(runs)
        if not self._start():
            b = RemoteBaseline(self, 0, scenario.params, seed, runs)
            b._fall_back()
            return b
        self._next += 1
        b = RemoteBaseline(self, self._next, scenario.params, seed, runs)
        w = self.workers[0]
        key, raw = self._key(w, scenario.raw)
        self._baselines[b.job] = b
        w.outbox.put(("baseline", b.job, key, raw, int(seed), runs))
        return b

    def cancel(self, f: RemoteForecast) -> None:
        if self._jobs.pop(f.job, None) is not None and self.failed is None:
            for w in self.workers:
                w.outbox.put(("cancel", f.job))

    def poll(self) -> None:
        """Take every message waiting from the workers, without waiting."""
        if not self.workers or self.failed is not None:
            return
        for w in self.workers:
            try:
                while w._conn.poll(0):
                    self._took(*w._conn.recv())
            except (EOFError, OSError):
                self._lost("a forecast process ended")
                return
            if w.proc.exitcode is not None:
                self._lost(f"a forecast process ended ({w.proc.exitcode})")
                return

    def _took(self, kind: str, job: int, value) -> None:
        if kind.startswith("baseline"):
            self._took_baseline(kind, job, value)
            return
        f = self._jobs.get(job)
        if f is None:
            return
        if kind == "progress":
            f._took_progress(value)
        elif kind == "result":
            if f._took_part(value):
                del self._jobs[job]
        else:  # the job failed in a worker: play it here, where errors show
            f.error = str(value)
            f._fall_back()
            del self._jobs[job]

    def _took_baseline(self, kind: str, job: int, value) -> None:
        b = self._baselines.pop(job, None)
        if b is None:
            return
        if kind == "baseline":
            b.result = value
        else:  # it failed in the worker: make it here, where errors show
            b.error = str(value)
            b._fall_back()

    def wait(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for a message from any worker."""
        if self.workers and self.failed is None:
            with contextlib.suppress(OSError, EOFError, ValueError):
                wait_ready([w._conn for w in self.workers], timeout)

    def _lost(self, why: str) -> None:
        self.failed = why
        for f in self._jobs.values():
            f._fall_back()
        for b in self._baselines.values():
            b._fall_back()
        self._baselines = {}

    def close(self, timeout: float = 2.0) -> None:
        """End the workers (with the window)."""
        self.failed = self.failed or "closed"
        self._started = True
        self._jobs = {}
        self._baselines = {}
        self._close_workers(timeout)

    def _close_workers(self, timeout: float) -> None:
        workers, self.workers = self.workers, []
        for w in workers:
            w.close(timeout)


_JOB_KEYS = ("runs", "months", "seed", "chunk")


_DIGESTS: dict[int, tuple[dict, str]] = {}


def scenario_digest(raw: dict) -> str:
    """A name for a scenario's content (its merged data): the same for the same scenario
    loaded twice, so that a game reopened or loaded finds its baseline made already."""
    kept = _DIGESTS.get(id(raw))
    if kept is None or kept[0] is not raw:
        text = json.dumps(raw, sort_keys=True, default=str).encode()
        if len(_DIGESTS) >= 8:
            _DIGESTS.pop(next(iter(_DIGESTS)))
        kept = _DIGESTS[id(raw)] = (raw, hashlib.sha256(text).hexdigest())
    return kept[1]
