"""Monte Carlo batches: many runs stepped together, spread over worker processes.

Runs are cut into chunks of consecutive run indices; every chunk is stepped as one numpy
batch and reduced at once to per-run rows and per-month counts, so memory stays flat however
many runs are asked for. Because every draw depends only on (seed, run, turn), the rows are the
same for any chunk size and any number of workers, and row K replays alone with
``pact run --seed S --run K``.

Chunks run on local worker processes (``pool.WorkerPool``) or on any executor (a Dask cluster).
Each finished chunk passes, in run order, through the batch's ``Tally`` (mergeable totals) and
its sinks (``ChunkSink``: runs.csv and whatever else a results folder holds), then is dropped:
a batch keeps rows only when asked to (``keep_rows``, the notebook default).
"""

from __future__ import annotations

import abc
import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, wait

import numpy as np

from game.engine import Params, State, TurnRecord, initial_state
from game.engine.outcome import classify
from game.engine.step import crossings, other_rows
from game.sim import QuestionTracker, play, questions

from .interrupts import deferred_interrupt
from .pool import WorkerDied, WorkerPool
from .precision import RunningCounts
from .report import BatchResult, csv_block, default_chunk, pairs_that_matter
from .tally import Tally
from .timeseries import Collector, TimeseriesSink


def run_chunk(
    params: Params, seed: int, start: int, stop: int, turns: int, timeseries: bool = False
) -> dict:
    """Step runs [start, stop) of batch ``seed`` and reduce them to rows and monthly counts;
    with ``timeseries`` also each run's months (game.montecarlo.timeseries)."""
    ts = Collector(params) if timeseries else None
    qs = QuestionTracker(params, stop - start)
    n_h = len(params.thresholds)
    n_q = len(params.clause_keys)
    at_or_above = np.zeros((turns, n_h), dtype=np.int64)
    clause_turn = np.zeros((turns, n_q), dtype=np.int64)
    n_k = len(params.action_ids)
    actions = np.zeros((params.n_actors, n_k + 1), dtype=np.int64)
    n_a = params.n_actors
    hostile_action = np.concatenate([[False], params.action_hostility > 0])
    hostile = np.zeros((stop - start, n_a, n_a), dtype=np.int16)

    def on_turn(rec: TurnRecord, state: State) -> None:
        # The live runs' thresholds crossed, moves chosen per actor (column 0: holding) and
        # hostile moves per run and directed pair (mover, target); the clauses invoked in every
        # run (game.engine.month_kernels.tally).
        live = ~state.done | rec.ended
        tally_month(params, rec, live, hostile_action, at_or_above, clause_turn, actions, hostile)
        if ts is not None:
            ts.on_turn(rec, state)
        qs.on_turn(rec, state)

    state = play(params, seed, np.arange(start, stop), turns, on_turn=on_turn, recycle=True)
    iu, ju = np.triu_indices(n_a, 1)
    # Runs that ended early (general nuclear war) hold their last month in the monthly counts.
    for t in range(turns):
        gone = state.done & (state.end_turn <= t)
        if gone.any():
            at_or_above[t] += crossings(params, state.rung[gone]).sum(axis=0)
    pairs = pairs_that_matter(params)
    pi = np.array([p[0] for p in pairs], dtype=np.int64)
    pj = np.array([p[1] for p in pairs], dtype=np.int64)
    out = {
        "start": start,
        "runs": np.arange(start, stop, dtype=np.int64),
        "outcome": classify(params, state).astype(np.int16),
        "end_turn": state.end_turn.astype(np.int16),
        "first_cross": state.first_cross.astype(np.int16),
        "clause_count": state.clause_count.astype(np.int32),
        "event_count": state.event_count.astype(np.int32),
        "peak": state.peak[:, pi, pj].astype(np.int8),
        "at_or_above": at_or_above,
        "clause_turn": clause_turn,
        "actions": actions,
        "hostile": hostile,
        "tension": state.tension[:, iu, ju].astype(np.float32),
        "cred": state.cred.astype(np.float32),
        "honoured": state.honoured.astype(np.int16),
        "declined": state.declined.astype(np.int16),
        "red_line_count": state.red_line_count.astype(np.int32),
        "question_month": qs.first,
        "reached": state.reached.copy(),
        "drawn": state.drawn.copy(),
    }
    if ts is not None:
        out["timeseries"] = ts.arrays(out["runs"])
    return out


def tally_month(params, rec, live, hostile_action, at_or_above, clause_turn, actions, hostile):
    """One month of ``run_chunk``'s tally, in place (game.engine.month_kernels.tally): the live
    runs' thresholds crossed, moves per actor and hostile moves per run and directed pair,
    and the clauses invoked in every run.

    The consultations held and the assistance given are counted from their list
    (``TurnRecord.invoked``), the other clauses invoked from the only rows of ``other`` the
    moves write (the instances of ``other_rows``): no record is read whole."""
    from game.engine import month_kernels  # numba loads only in a process that plays a month

    invoked = rec.invoked if rec.invoked is not None else np.nonzero(rec.consult | rec.assist)
    clause_turn[rec.turn] += np.bincount(
        params.inst_clause[invoked[1]], minlength=clause_turn.shape[1]
    )
    rows = params.kept("other_rows", other_rows)
    cells = np.take(rec.other, rows, axis=1).reshape(-1).view(np.uint8)
    n_w = cells.shape[0] // 8
    n_o = rec.other.shape[2]
    month_kernels.tally(
        rec.turn,
        rec.crossed,
        live,
        cells[: 8 * n_w].view(np.uint64),
        cells,
        max(rows.size * n_o, 1),
        max(n_o, 1),
        params.inst_clause[rows],
        rec.moves,
        params.cand_action,
        params.cand_target,
        hostile_action,
        at_or_above,
        clause_turn,
        actions,
        hostile,
    )


# Worker processes compile each scenario once and keep it, by the hash of its content.
_WORKER: dict = {}


def scenario_key(raw: dict) -> str:
    """A hash of a scenario's merged content (overrides included): the same key, the same runs."""
    text = json.dumps(raw, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _params_for(key: str, raw: dict) -> Params:
    params = _WORKER.get(key)
    if params is None:
        from game.scenario.compile import compile_scenario
        from game.scenario.draws import model_of

        params = compile_scenario(model_of(raw))
        _WORKER.clear()  # one scenario at a time: a sweep's points do not pile up
        _WORKER[key] = params
    return params


def _init_worker(key: str, raw: dict) -> None:
    _params_for(key, raw)


def _before_fork(key: str, raw: dict) -> None:
    """Compile the scenario and play one month here, before the local workers are forked: they
    inherit the parameters and the engine's loaded kernels (game.engine.jit) instead of each
    compiling the one and loading the others from numba's cache (about half a second of CPU
    per worker)."""
    if WorkerPool.forks():
        run_chunk(_params_for(key, raw), 0, 0, 1, 1)


def _work(
    key: str,
    raw: dict,
    seed: int,
    start: int,
    stop: int,
    turns: int,
    csv: bool = False,
    timeseries: bool = False,
) -> dict:
    """One chunk on any executor's worker (a local process, a thread, a Dask worker); with
    ``csv``, its runs.csv lines too (under "csv"), so that the parent only writes them; with
    ``timeseries``, each run's months (under "timeseries")."""
    params = _params_for(key, raw)
    part = run_chunk(params, seed, start, stop, turns, timeseries)
    if csv:
        part["csv"] = csv_block(params, seed, part)
    return part


def _merge(params: Params, parts: list[dict], **meta) -> BatchResult:
    """The rows kept (``parts``, possibly none) and the batch's totals as one result."""
    parts = sorted(parts, key=lambda d: d["start"])
    h, q = len(params.thresholds), len(params.clause_keys)

    def cat(key, shape, dtype):
        if not parts:
            return np.zeros(shape, dtype=dtype)
        return np.concatenate([p[key] for p in parts])

    n_pairs = len(pairs_that_matter(params))
    return BatchResult(
        params=params,
        runs=cat("runs", (0,), np.int64),
        outcome=cat("outcome", (0,), np.int16),
        end_turn=cat("end_turn", (0,), np.int16),
        first_cross=cat("first_cross", (0, h), np.int16),
        clause_count=cat("clause_count", (0, q), np.int32),
        event_count=cat("event_count", (0, len(params.events)), np.int32),
        peak=cat("peak", (0, n_pairs), np.int8),
        at_or_above=meta["tally"]["at_or_above"],
        clause_turn=meta["tally"]["clause_turn"],
        actions=meta["tally"]["actions"],
        hostile=cat("hostile", (0, params.n_actors, params.n_actors), np.int16),
        tension=cat("tension", (0, params.n_actors * (params.n_actors - 1) // 2), np.float32),
        cred=cat("cred", (0, params.commit.n), np.float32),
        honoured=cat("honoured", (0, params.commit.n), np.int16),
        declined=cat("declined", (0, params.commit.n), np.int16),
        red_line_count=cat("red_line_count", (0, len(params.commit.red_line_ids)), np.int32),
        question_month=cat("question_month", (0, len(questions(params))), np.int16),
        reached=cat("reached", (0, h, 2), bool),
        drawn=cat("drawn", (0, len(params.draws)), np.float64),
        **meta,
    )


class ChunkSink(abc.ABC):
    """Receives a batch's chunks in run order, as they finish; see ``simulate``.

    ``add(part)`` gets each chunk's dict (``run_chunk``'s keys: "runs", "outcome", ...), in
    increasing run order, with chunks that failed or were not run left out; ``close(result)``
    is called once at the end with the ``BatchResult`` (also after Ctrl-C, not after an error).
    A sink holds what it needs and no more: the batch itself keeps no rows unless asked to.
    A sink with ``wants_csv`` set finds the chunk's runs.csv lines under "csv" when the chunk
    ran on a worker (formatted there, in parallel); it formats them itself otherwise.
    """

    wants_csv = False

    @abc.abstractmethod
    def add(self, part: dict) -> None:
        """Take one finished chunk (``run_chunk``'s dict), in run order."""

    def close(self, result: BatchResult) -> None:  # noqa: B027 - optional: most sinks need no end
        return None


class _KeepRows(ChunkSink):
    def __init__(self) -> None:
        self.parts: list[dict] = []

    def add(self, part: dict) -> None:
        self.parts.append({k: v for k, v in part.items() if k not in ("csv", "timeseries")})


class _Enough(Exception):
    """``stop_when`` is satisfied: no more chunks."""


_LOST = (WorkerDied, BrokenExecutor)


def _lost(e: BaseException) -> bool:
    """A chunk whose worker died (here, in a process pool, or on a Dask cluster)."""
    return isinstance(e, _LOST) or type(e).__name__ == "KilledWorker"


def chunk_spans(
    first_run: int, runs: int, chunk: int, least: int | None = None, head: int | None = None
) -> list[tuple[int, int]]:
    """The chunks (start, stop) that step runs ``first_run`` to ``first_run + runs - 1``: of
    ``chunk`` runs each. With ``least`` (a batch that may stop early, once ``stop_when`` holds,
    but not before ``least`` runs): those runs in chunks of ``head``, then chunks of a quarter
    of the runs already stepped (at least ``head``, at most ``chunk``), so that a batch stopped
    at the end of a chunk has stepped at most about a quarter more runs than it needed, where
    chunks of ``chunk`` runs would overshoot by up to a whole chunk. Results do not depend on
    the cut."""
    stop = first_run + runs
    if least is None:
        return [(s, min(s + chunk, stop)) for s in range(first_run, stop, chunk)]
    head = max(1, min(head or chunk, chunk))
    spans = []
    s = first_run
    while s < stop:
        done = s - first_run
        size = head if done < least else min(chunk, max(head, done // 4))
        end = min(s + size, first_run + least if done < least else stop, stop)
        spans.append((s, end))
        s = end
    return spans


def simulate(
    scenario,
    runs: int = 10_000,
    seed: int = 0,
    workers: int | None = None,
    turns: int | None = None,
    chunk: int | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    executor: Executor | None = None,
    first_run: int = 0,
    sinks: list[ChunkSink] | tuple = (),
    keep_rows: bool = True,
    stop_when: Callable[[Tally], bool] | None = None,
    least: int | None = None,
    timeseries=None,
) -> BatchResult:
    """Run a batch of ``runs`` games of a loaded scenario; the notebook entry point.

    Runs ``first_run`` to ``first_run + runs - 1`` of batch ``seed``: a batch split over
    machines by ``first_run`` gives, merged, the rows of the whole. ``workers`` defaults to
    every core; results do not depend on it, nor on ``chunk``, the runs stepped together
    (default: ``report.default_chunk``, within what the memory holds). ``executor`` runs the
    chunks on any ``concurrent.futures.Executor`` instead (a Dask cluster's
    ``client.get_executor()``, a thread pool) with the same results. ``progress`` is called with
    the number of runs just completed. Each finished chunk passes, in run order, through a
    ``Tally`` (the totals the summary needs) and then ``sinks``; ``keep_rows=False`` keeps no
    rows, so memory stays flat at any run count. Ctrl-C stops at once and returns every chunk
    already finished, with ``interrupted`` set; a chunk whose worker died is left out and its
    runs listed in ``missing``. ``stop_when(tally)``, asked after each chunk, ends the batch
    early when true (e.g. once every interval is narrow enough); ``requested`` is then the runs
    completed. ``least``: the runs such a batch steps at the least; where ``chunk`` is not
    given, the chunks after them grow with the runs stepped (``chunk_spans``), so that it stops
    near the runs it needed. ``timeseries`` collects each run's months
    (game.montecarlo.timeseries): a path streams them to that Parquet file chunk by chunk, True
    keeps them in memory; read them with ``result.timeseries()``.
    """
    params = scenario.params
    turns = params.turns if turns is None else int(turns)
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if turns < 1:
        raise ValueError("turns must be at least 1")
    if first_run < 0:
        raise ValueError("first_run must be at least 0")
    workers = max(1, int(workers or os.cpu_count() or 1))
    head = None
    if chunk is None:
        fits = chunk_cap(params, workers)
        chunk = default_chunk(runs, workers, fits)
        if least is not None and stop_when is not None:
            head = default_chunk(min(int(least), runs), workers, fits)
    chunk = max(1, int(chunk))
    spans = chunk_spans(first_run, runs, chunk, None if head is None else int(least), head)
    if executor is None:
        workers = min(workers, len(spans))
    tally = Tally.empty(params, turns)
    keeper = _KeepRows() if keep_rows else None
    running = RunningCounts(params)
    ts_sink = TimeseriesSink(params, seed, None if timeseries is True else timeseries)
    want_ts = bool(timeseries)
    chain: list = [tally, running, *([keeper] if keeper else []), *sinks]
    if want_ts:
        chain.append(ts_sink)
    missing: list[tuple[int, int, str]] = []
    interrupted = False
    t0 = time.perf_counter()

    def emit(part: dict) -> None:
        with deferred_interrupt():  # a sink never sees half a chunk
            for sink in chain:
                sink.add(part)
        if progress:
            progress(int(part["runs"].size))
        if stop_when is not None and stop_when(tally):
            raise _Enough

    try:
        if executor is None and workers == 1:
            try:
                for s, e in spans:
                    emit(run_chunk(params, seed, s, e, turns, want_ts))
            except KeyboardInterrupt:
                interrupted = True
        else:
            csv = any(getattr(sink, "wants_csv", False) for sink in sinks)
            interrupted = _run_on(
                executor,
                workers,
                scenario.raw,
                spans,
                (seed, turns, csv, want_ts),
                emit,
                missing.append,
            )
    except _Enough:
        runs = tally.done[-1][1] - first_run
    seconds = time.perf_counter() - t0
    result = _merge(
        params,
        keeper.parts if keeper else [],
        tally=tally,
        scenario=params.scenario_id,
        seed=int(seed),
        turns=turns,
        requested=int(runs),
        first_run=int(first_run),
        seconds=seconds,
        interrupted=interrupted,
        workers=workers,
        chunk=chunk,
        missing=missing,
    )
    result.extra["running"] = running.points()
    for sink in sinks:
        sink.close(result)
    if want_ts:
        ts_sink.close(result)
        result.extra["timeseries"] = ts_sink.path or ts_sink.tables()
    return result


def _run_on(executor, workers, raw, spans, task: tuple, emit, lose) -> bool:
    """Run ``spans`` on ``executor`` (a local pool if None) and pass every finished chunk to
    ``emit`` in run order; ``lose((start, stop, why))`` for a chunk whose worker died.
    ``task`` is (seed, turns, csv, timeseries) for ``_work``. Returns True if Ctrl-C stopped
    it."""
    seed, turns, csv, want_ts = task
    key = scenario_key(raw)
    own = executor is None
    if own:
        _before_fork(key, raw)
        executor = WorkerPool(workers, initializer=_init_worker, initargs=(key, raw))
    window = 2 * workers  # chunks submitted or waiting for an earlier one, at most
    pending: dict = {}  # future -> span index
    ready: dict[int, dict | None] = {}  # span index -> part (None: lost)
    nxt = 0  # the next span to submit
    out = 0  # the next span to emit
    interrupted = False

    def flush(upto: int) -> int:
        o = out
        while o < upto and o in ready:
            part = ready.pop(o)
            if part is not None:
                emit(part)
            o += 1
        return o

    try:
        while out < len(spans):
            while nxt < len(spans) and nxt < out + window:
                s, e = spans[nxt]
                try:
                    pending[executor.submit(_work, key, raw, seed, s, e, turns, csv, want_ts)] = nxt
                except _LOST as exc:
                    ready[nxt] = None
                    lose((s, e, str(exc) or type(exc).__name__))
                nxt += 1
            if pending:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for f in done:
                    i = pending.pop(f)
                    exc = f.exception()
                    if exc is None:
                        ready[i] = f.result()
                    elif _lost(exc):
                        ready[i] = None
                        lose((*spans[i], str(exc) or type(exc).__name__))
                    else:
                        raise exc
            out = flush(len(spans))
    except KeyboardInterrupt:
        interrupted = True
    finally:
        for f in pending:
            f.cancel()
        if own:  # stopped early (Ctrl-C, SIGTERM, an error): end the workers at once
            with deferred_interrupt():
                executor.shutdown(wait=out >= len(spans), cancel_futures=True)
    if interrupted:
        # Every chunk already finished is kept, in run order, whatever came before it.
        for i in sorted(ready):
            if ready[i] is not None:
                emit(ready[i])
    return interrupted


# --- Memory --------------------------------------------------------------------------------


# A month holds the state, its record and what the next month keeps of it: up to about twice the
# state's own bytes, by the peak resident memory of a chunk of 4,000 runs (10.2 KB a run for the
# default scenario's 5.3 KB of state, 31 KB for the 16-actor twin's 19 KB), and a little more
# while the month's numpy work makes its arrays (tests/montecarlo/test_default_chunk.py).
_MONTH_OVER_STATE = 2.15


def chunk_bytes(params: Params, chunk: int) -> int:
    """About the peak memory of stepping ``chunk`` runs together: the state's bytes for one run,
    measured on the scenario's starting state, grown by what a month holds beside it
    (``_MONTH_OVER_STATE``), and a float32 weight for every candidate move."""
    return int(chunk) * params.kept("run_bytes", _run_bytes)


def _run_bytes(params: Params) -> int:
    own = params.kept("state_bytes", _state_bytes)
    return int(_MONTH_OVER_STATE * own) + 4 * len(params.cand_action)


def _state_bytes(params: Params) -> int:
    """The bytes of one run's state, measured on the scenario's starting state."""
    state = initial_state(params, 0, np.arange(1))
    arrays = (getattr(state, f.name) for f in dataclasses.fields(state))
    return sum(x.nbytes for x in arrays if isinstance(x, np.ndarray))


# Every phase of a month walks the chunk's state. Once that state outgrows what the processor
# keeps in its cache, each run-month costs more: on the 2-core Xeon our figures come from, the
# cost per run-month rose by a third to a half past 21-24 MB of state (the default scenario's
# 5.4 KB a run past 4,352 runs, the 16-actor twin's 19.5 KB past 1,088; benchmarks/montecarlo.py
# --chunks --scenario FILE prints the study). Below it, larger chunks only save the fixed cost of
# each month's calls, a few percent from 2,000 runs up. A default chunk keeps its state within
# this, with a margin.
CACHE_STATE_BYTES = 20_000_000


def chunk_in_cache(params: Params) -> int:
    """The most runs whose state stays within ``CACHE_STATE_BYTES`` (a multiple of 64, at
    least 64)."""
    per = params.kept("state_bytes", _state_bytes)
    return max(64, CACHE_STATE_BYTES // max(1, per) // 64 * 64)


def chunk_cap(params: Params, workers: int, available: int | None = None) -> int:
    """The most runs a chunk chosen by default steps: as many as the cache serves well
    (``chunk_in_cache``), and no more than the memory holds with ``workers`` chunks at once
    (``chunk_that_fits``)."""
    fits = chunk_that_fits(params, workers, available)
    cache = chunk_in_cache(params)
    return cache if fits is None else min(cache, fits)


def row_bytes(params: Params) -> int:
    """Bytes of one run's row as a batch keeps it (``keep_rows``)."""
    part = run_chunk(params, 0, 0, 1, 1)
    return sum(v.nbytes for k, v in part.items() if isinstance(v, np.ndarray) and len(v) == 1)


def available_memory() -> int | None:
    """Bytes of memory available for new work (Linux MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def _gb(x: float) -> str:
    return f"{x / 1e9:,.1f} GB" if x >= 1e8 else f"{x / 1e6:,.0f} MB"


ROOM = 0.8  # the share of the memory available that a batch may use


def chunk_that_fits(params: Params, workers: int, available: int | None = None) -> int | None:
    """The most runs a chunk may step with ``workers`` chunks stepped at once in the memory
    available (``ROOM`` of it), or None if the memory available is unknown."""
    avail = available_memory() if available is None else available
    if avail is None:
        return None
    return max(1, int(avail * ROOM / max(1, int(workers)) / chunk_bytes(params, 1)))


def memory_problem(
    params: Params,
    chunk: int,
    workers: int,
    kept_runs: int = 0,
    available: int | None = None,
    copies: int = 1,
) -> str | None:
    """Why a batch would not fit in memory (a sentence naming the option to change), or None.

    ``workers`` chunks are stepped at once; ``kept_runs`` rows are held, ``copies`` times
    (compare holds both scenarios' rows). The batch may use ``ROOM`` of the memory available.
    """
    avail = available_memory() if available is None else available
    if avail is None:
        return None
    room = avail * ROOM
    per_chunk = chunk_bytes(params, chunk)
    if per_chunk * workers > room:
        fit = chunk_that_fits(params, workers, avail)
        return (
            f"--batch-size {chunk:,} needs about {_gb(per_chunk)} in each of {workers} "
            f"worker(s), and {_gb(avail)} is available: use --batch-size {fit:,} or less "
            f"(or leave it out: the default fits), or fewer --workers"
        )
    if kept_runs:
        per_run = copies * row_bytes(params)
        rows = kept_runs * per_run
        if rows + per_chunk * workers > room:
            fit = max(1, int((room - per_chunk * workers) / per_run))
            return (
                f"--runs {kept_runs:,} keeps about {_gb(rows)} of rows in memory, and "
                f"{_gb(avail)} is available: use --runs {fit:,} or less"
            )
    return None
