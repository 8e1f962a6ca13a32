"""Monte Carlo batches: many runs stepped together, spread over worker processes.

Runs are cut into chunks of consecutive run indices; every chunk is stepped as one numpy
batch and reduced at once to per-run rows and per-month counts, so memory stays flat however
many runs are asked for. Because every draw depends only on (seed, run, turn), the rows are the
same for any chunk size and any number of workers, and row K replays alone with
``pact run --seed S --run K``.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

import numpy as np

from game.engine import Params, State, TurnRecord
from game.engine.outcome import classify
from game.engine.step import crossings
from game.sim import QuestionTracker, play, questions

from .report import DEFAULT_CHUNK, BatchResult, pairs_that_matter
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
    inst_clause = params.inst_clause
    n_a = params.n_actors
    hostile_action = np.concatenate([[False], params.action_hostility > 0])
    hostile = np.zeros((stop - start, n_a, n_a), dtype=np.int16)
    # Flat index of (run, mover, target 0) for every run and mover.
    rows_aa = (np.arange(stop - start)[:, None] * n_a + np.arange(n_a)[None, :]) * n_a

    def on_turn(rec: TurnRecord, state: State) -> None:
        t = rec.turn
        live = ~state.done | rec.ended
        at_or_above[t] += rec.crossed[live].sum(axis=0)
        if inst_clause.size:
            per_inst = (rec.consult | rec.assist | rec.other).sum(axis=(0, 2))
            np.add.at(clause_turn[t], inst_clause, per_inst)
        # Moves chosen, counted per actor in one bincount: column 0 is holding.
        k = params.cand_action[rec.moves[live]] + 1  # (live runs, A)
        cell = k + (n_k + 1) * np.arange(params.n_actors)[None, :]
        counts = np.bincount(cell.ravel(), minlength=actions.size)
        np.add(actions, counts.reshape(actions.shape), out=actions)
        # Hostile moves per run and directed pair (mover, target).
        hk = hostile_action[params.cand_action[rec.moves] + 1] & live[:, None]
        cell = (rows_aa + params.cand_target[rec.moves])[hk]  # flat (run, mover, target)
        hostile.reshape(-1)[:] += np.bincount(cell, minlength=hostile.size).astype(np.int16)
        if ts is not None:
            ts.on_turn(rec, state)
        qs.on_turn(rec, state)

    state = play(params, seed, np.arange(start, stop), turns, on_turn=on_turn)
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
    }
    if ts is not None:
        out["timeseries"] = ts.arrays(out["runs"])
    return out


# Worker processes compile the scenario once and keep it.
_WORKER: dict = {}


def _init_worker(raw: dict) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    from game.scenario.compile import compile_scenario
    from game.scenario.model import Scenario

    _WORKER["params"] = compile_scenario(Scenario.model_validate(raw))


def _work(seed: int, start: int, stop: int, turns: int, timeseries: bool = False) -> dict:
    return run_chunk(_WORKER["params"], seed, start, stop, turns, timeseries)


def _merge(params: Params, parts: list[dict], **meta) -> BatchResult:
    parts = sorted(parts, key=lambda d: d["start"])
    h, q = len(params.thresholds), len(params.clause_keys)
    t = meta["turns"]

    def cat(key, shape, dtype):
        if not parts:
            return np.zeros(shape, dtype=dtype)
        return np.concatenate([p[key] for p in parts])

    def total(key, shape):
        out = np.zeros(shape, dtype=np.int64)
        for p in parts:
            out += p[key]
        return out

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
        at_or_above=total("at_or_above", (t, h)),
        clause_turn=total("clause_turn", (t, q)),
        actions=total("actions", (params.n_actors, len(params.action_ids) + 1)),
        hostile=cat("hostile", (0, params.n_actors, params.n_actors), np.int16),
        tension=cat("tension", (0, params.n_actors * (params.n_actors - 1) // 2), np.float32),
        cred=cat("cred", (0, params.commit.n), np.float32),
        honoured=cat("honoured", (0, params.commit.n), np.int16),
        declined=cat("declined", (0, params.commit.n), np.int16),
        red_line_count=cat("red_line_count", (0, len(params.commit.red_line_ids)), np.int32),
        question_month=cat("question_month", (0, len(questions(params))), np.int16),
        reached=cat("reached", (0, h, 2), bool),
        **meta,
    )


def simulate(
    scenario,
    runs: int = 10_000,
    seed: int = 0,
    workers: int | None = None,
    turns: int | None = None,
    chunk: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
    timeseries=None,
) -> BatchResult:
    """Run a batch of ``runs`` games of a loaded scenario; the notebook entry point.

    ``workers`` defaults to every core; results do not depend on it, nor on ``chunk``.
    ``progress`` is called with the number of runs just completed. Ctrl-C stops early and
    returns the runs completed so far, with ``interrupted`` set. ``timeseries`` collects each
    run's months (game.montecarlo.timeseries): a path streams them to that Parquet file chunk by
    chunk, True keeps them in memory; read them with ``result.timeseries()``.
    """
    params = scenario.params
    turns = params.turns if turns is None else int(turns)
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if turns < 1:
        raise ValueError("turns must be at least 1")
    workers = max(1, int(workers or os.cpu_count() or 1))
    chunk = max(1, int(chunk))
    spans = [(s, min(s + chunk, runs)) for s in range(0, runs, chunk)]
    workers = min(workers, len(spans))
    parts: list[dict] = []
    sink = TimeseriesSink(params, seed, None if timeseries is True else timeseries)
    want_ts = bool(timeseries)
    interrupted = False
    t0 = time.perf_counter()
    if workers == 1:
        try:
            for s, e in spans:
                parts.append(run_chunk(params, seed, s, e, turns, want_ts))
                if want_ts:
                    sink.add(parts[-1])
                if progress:
                    progress(e - s)
        except KeyboardInterrupt:
            interrupted = True
    else:
        pool = ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(scenario.raw,)
        )
        pending = set()
        todo = list(spans)
        try:
            while todo or pending:
                while todo and len(pending) < workers * 2:
                    s, e = todo.pop(0)
                    pending.add(pool.submit(_work, seed, s, e, turns, want_ts))
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    part = f.result()
                    parts.append(part)
                    if want_ts:
                        sink.add(part)
                    if progress:
                        progress(part["runs"].size)
        except KeyboardInterrupt:
            interrupted = True
            for f in pending:
                f.cancel()
        finally:
            pool.shutdown(wait=not interrupted, cancel_futures=True)
    seconds = time.perf_counter() - t0
    sink.close()
    result = _merge(
        params,
        parts,
        scenario=params.scenario_id,
        seed=int(seed),
        turns=turns,
        requested=int(runs),
        seconds=seconds,
        interrupted=interrupted,
        workers=workers,
        chunk=chunk,
    )
    if want_ts:
        result.extra["timeseries"] = sink.path or sink.tables()
    return result
