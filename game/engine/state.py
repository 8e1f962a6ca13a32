"""The world state: a record of numpy arrays with a leading batch axis (one row per run)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from . import draws
from .params import Params
from .rng import run_keys


@dataclass
class State:
    """Everything that changes from turn to turn, for a batch of B runs.

    ``turn`` is the month about to be played (0 = the scenario's start). An interactive game is
    a batch of one.
    """

    seed: int
    runs: np.ndarray  # (B,) int64: index of each run in its batch
    keys: np.ndarray  # (B,) uint64: per-run random key
    turn: int
    attr: np.ndarray  # (B, A, NATTR) float64
    tension: np.ndarray  # (B, A, A) float64, symmetric
    baseline: np.ndarray  # (B, A, A) float64, symmetric: tension each pair relaxes toward
    rung: np.ndarray  # (B, A, A) int16, symmetric
    peak: np.ndarray  # (B, A, A) int16, highest rung so far
    aggressor: np.ndarray  # (B, A, A) bool: [victim, attacker] while the attack lasts
    last_hostility: np.ndarray  # (B, A, A) float64: hostility of a's last move toward t
    coord: np.ndarray  # (B, A, A) int16: turns left of a's coordination against t
    revoked: np.ndarray  # (B, T) bool: treaty ended by an event
    forced: np.ndarray  # (B, T) bool: treaty brought into force by an event
    consult_level: np.ndarray  # (B, I, A) int16: rung of the last consultation, -1 if none
    assist_due: np.ndarray  # (B, I, A) int32: turn assistance is due, -1 if none pending
    assist_done: np.ndarray  # (B, I, A) bool: assistance given during the current attack
    assist_declined: np.ndarray  # (B, I, A) bool: credibility failed for the current attack
    cred: np.ndarray  # (B, N) float64: current credibility of each commitment
    pending: np.ndarray  # (B, N, A) bool: a player's decision on a triggered commitment awaited
    answer_due: np.ndarray  # (B, N) int32: turn a red line's answer is due, -1 if none pending
    opened_until: np.ndarray  # (B, M) int32: first turn a move opened by an answer is no longer
    honoured: np.ndarray  # (B, N) int16: decisions to honour each commitment
    declined: np.ndarray  # (B, N) int16: decisions to decline it
    red_line_count: np.ndarray  # (B, L) int32: answers given under each red line
    clause_count: np.ndarray  # (B, Q) int32: invocations per clause
    event_count: np.ndarray  # (B, E) int32
    first_cross: np.ndarray  # (B, H) int32: first turn each threshold was crossed, -1 never
    done: np.ndarray  # (B,) bool: the run has ended (general nuclear war)
    front: np.ndarray  # (B, A, A) int16 symmetric: theatre of the pair's latest fight, -1 none
    reached: np.ndarray  # (B, H, 2) bool: a pair crossed each threshold in Northeast Asia (0)
    #                      or off the map (1) (game.engine.theatres.regions)
    end_turn: np.ndarray  # (B,) int32: turns played
    # What conditions recall (game.engine.memory):
    move_count: np.ndarray  # (B, M) int32: moves of each watched (mover, action, target)
    event_last: np.ndarray  # (B, E) int32: turn each event last fired, -1 never
    flags: np.ndarray  # (B, F) float64: flags set by event effects
    # The line each state pursues toward each counterpart (game.engine.stance):
    stance: np.ndarray  # (B, A, A) int8 [mover, counterpart]: a stance of game.engine.stance
    stance_quiet: np.ndarray  # (B, A, A) int16: months without a signed move between them
    # Each run's value of the scenario's uncertain numbers (game.engine.draws), set at the start:
    drawn: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # (B, D) float64,
    #                                                     columns as Params.draws

    @property
    def batch(self) -> int:
        return int(self.runs.shape[0])

    def copy(self) -> State:
        kw = {}
        for f in fields(self):
            v = getattr(self, f.name)
            kw[f.name] = v.copy() if isinstance(v, np.ndarray) else v
        return State(**kw)

    def take(self, rows) -> State:
        """The sub-batch of the given rows (for replaying or inspecting single runs)."""
        kw = {}
        for f in fields(self):
            v = getattr(self, f.name)
            kw[f.name] = v[rows].copy() if isinstance(v, np.ndarray) else v
        return State(**kw)


def by_run(x: np.ndarray) -> np.ndarray:
    """``x`` (B, ...) as (B, n): the same memory seen flat within each run, for the compiled
    loops that write into it. A state's arrays are C-contiguous, so this is always a view;
    anything else is an error, never a copy the loops would write into in vain."""
    flat = x.reshape(x.shape[0], -1)
    if flat.size and not np.may_share_memory(flat, x):
        raise ValueError("by_run needs an array whose runs are contiguous")
    return flat


def _standing_consultations(params: Params, b: int) -> np.ndarray:
    """Threats standing when the scenario opens count as already consulted on, except armed
    attacks under way, which are consulted on in the first month."""
    n_i, n_a = params.inst_clause.shape[0], params.n_actors
    level = np.full((n_i, n_a), -1, dtype=np.int16)
    for i in range(n_i):
        t = params.inst_treaty[i]
        if not params.treaty_start[t] <= 0 < params.treaty_end[t]:
            continue
        p = params.inst_party[i]
        r = params.rung0[p]
        # A party already under attack is consulted on in the first month, in the log.
        on = (r >= params.inst_trigger[i]) & ~params.treaty_parties[t] & ~params.aggressor0[p]
        level[i] = np.where(on, r, -1)
    return np.broadcast_to(level, (b, n_i, n_a)).copy()


def initial_state(params: Params, seed: int, runs) -> State:
    """The start of the scenario for the given run indices of the batch with this seed."""
    runs = np.asarray(runs, dtype=np.int64).reshape(-1)
    b = runs.shape[0]
    a = params.n_actors
    n_i = params.inst_clause.shape[0]
    n_t = len(params.treaty_ids)
    com = params.commit

    def tile(x, dtype):
        return np.broadcast_to(np.asarray(x, dtype=dtype), (b, *np.shape(x))).copy()

    state = State(
        seed=int(seed),
        runs=runs,
        keys=run_keys(seed, runs),
        turn=0,
        attr=tile(params.attr0, np.float64),
        tension=tile(params.tension0, np.float64),
        baseline=tile(params.baseline, np.float64),
        rung=tile(params.rung0, np.int16),
        peak=tile(params.rung0, np.int16),
        aggressor=tile(params.aggressor0, bool),
        last_hostility=np.zeros((b, a, a)),
        coord=np.zeros((b, a, a), dtype=np.int16),
        revoked=np.zeros((b, n_t), dtype=bool),
        forced=np.zeros((b, n_t), dtype=bool),
        consult_level=_standing_consultations(params, b),
        assist_due=np.full((b, n_i, a), -1, dtype=np.int32),
        assist_done=tile(params.assist_done0, bool),
        assist_declined=np.zeros((b, n_i, a), dtype=bool),
        cred=tile(com.cred0, np.float64),
        pending=np.zeros((b, com.n, a), dtype=bool),
        answer_due=np.full((b, com.n), -1, dtype=np.int32),
        opened_until=np.zeros((b, com.open_com.shape[0]), dtype=np.int32),
        honoured=np.zeros((b, com.n), dtype=np.int16),
        declined=np.zeros((b, com.n), dtype=np.int16),
        red_line_count=np.zeros((b, len(com.red_line_ids)), dtype=np.int32),
        clause_count=np.zeros((b, len(params.clause_keys)), dtype=np.int32),
        event_count=np.zeros((b, len(params.events)), dtype=np.int32),
        first_cross=np.full((b, len(params.thresholds)), -1, dtype=np.int32),
        done=np.zeros(b, dtype=bool),
        front=tile(params.front0, np.int16),
        reached=np.zeros((b, len(params.thresholds), 2), dtype=bool),
        end_turn=np.zeros(b, dtype=np.int32),
        move_count=np.zeros((b, len(params.move_watch)), dtype=np.int32),
        event_last=np.full((b, len(params.events)), -1, dtype=np.int32),
        flags=np.zeros((b, len(params.flag_ids)), dtype=np.float64),
        stance=tile(_opening_stance(params), np.int8),
        stance_quiet=np.zeros((b, a, a), dtype=np.int16),
    )
    draws.start(params, state)
    return state


def _opening_stance(params: Params) -> np.ndarray:
    rules = params.stance
    n_a = params.n_actors
    return np.zeros((n_a, n_a), dtype=np.int8) if rules is None else rules.initial


def branch(state: State, seed: int, runs, row: int = 0, params: Params | None = None) -> State:
    """Futures of one run: row ``row`` of ``state`` copied into a batch of the given run
    indices, each with its own key from (``seed``, run), so the futures differ only by chance.
    Given ``params``, each future also draws its own uncertain numbers (game.engine.draws) by
    its key, as the batch's runs do: who looks ahead does not know the world's values.

    Branching the scenario's start gives exactly the batch ``initial_state(params, seed, runs)``.
    """
    runs = np.asarray(runs, dtype=np.int64).reshape(-1)
    out = state.take(np.full(runs.shape[0], int(row), dtype=np.int64))
    out.seed = int(seed)
    out.runs = runs
    out.keys = run_keys(seed, runs)
    if params is not None and params.draws:
        draws.start(params, out, opening=out.turn == 0)
    return out
