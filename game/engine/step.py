"""One month of the world, for every run of a batch at once.

``step`` is pure in the sense that matters here: it reads the parameters and the state, the
moves chosen by a policy, and counter-based random numbers; it returns the next state and a
record of what happened. There is no Python loop over runs: loops run over actors, clause
instances, flashpoints and events, and every operation inside them acts on whole batch columns,
or is a compiled loop over the runs (the clause scan, game.engine.clause_kernels, and the
application of moves, game.engine.move_kernels) that gives the same bits.

Order within a month:
1. treaties in force; 2. scenario events; 3. the moves of every state (AI or player), then
the signal moves beside them (game.engine.tempo);
4. random incidents at flashpoints; 5. tension relaxes and rungs drift with tension;
6. treaty clauses: consultation first, then assistance after its delay; 7. the costs of war;
8. peaks, threshold crossings and the end of runs that reached general nuclear war.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, get_type_hints

import numpy as np

from . import commitments as cm
from . import dilemmas, draws, memory, nuclear, rng, tempo
from . import stance as stances
from .context import Context
from .effects import apply_effects
from .params import ATTR, ATTR_COLS, INST_COLS, Params
from .state import State, by_run

Policy = Callable[[Params, State, "Context"], np.ndarray]

_WAR_MIL = 0.004  # share of military strength lost per month at war
_WAR_ECON = 0.5  # economy index points lost per month at war
_WAR_STAB = 0.4  # stability points lost per month at war
_NUC_DAMAGE = 25.0  # economy and stability points lost by the target of nuclear use
_WAR_COLS = np.array([ATTR[c] for c in ("military", "economy", "stability", "readiness")])


@dataclass
class TurnRecord:
    """What happened in one month, per run: the raw material of logs and statistics."""

    turn: int
    moves: np.ndarray  # (B, A) chosen candidate of each actor
    rung_before: np.ndarray  # (B, A, A)
    rung_after: np.ndarray  # (B, A, A)
    events: np.ndarray  # (B, E) bool: fired this month
    incidents: np.ndarray  # (B, F) int8: 0 none, 1 minor, 2 serious
    incident_by: np.ndarray  # (B, F) int16: actor that started a serious incident
    consult: np.ndarray  # (B, I, A) bool: consultation held (instance, counterpart)
    assist: np.ndarray  # (B, I, A) bool: assistance given
    declined: np.ndarray  # (B, I, A) bool: assistance triggered but not honoured
    other: np.ndarray  # (B, I, A) bool: other clause kinds invoked (sanctions, technology)
    crossed: np.ndarray  # (B, H) bool: some pair stands at or above each named threshold
    ended: np.ndarray  # (B,) bool: the run ended this month
    # Commitments (assistance pledges and red lines, see game.engine.commitments):
    honour: np.ndarray  # (B, N, A) bool: decided to honour commitment n against a
    decline: np.ndarray  # (B, N, A) bool: decided to decline it
    odds: np.ndarray  # (B, N, A) float32: the odds of honouring it weighed (AI decisions)
    asked: np.ndarray  # (B, N, A) bool: a player's decision is awaited
    red_line: np.ndarray  # (B, N) bool: a red line was crossed this month
    answered: np.ndarray  # (B, N) bool: a red line's answer was given this month
    cred_before: np.ndarray  # (B, N) credibility at the start of the month
    cred_after: np.ndarray  # (B, N) credibility at its end
    # The top of the ladder (game.engine.nuclear), empty arrays when a scenario has none:
    nuclear_alert: np.ndarray | None = None  # (B, P) bool: a war between nuclear powers
    #                                          (Params.nuclear.pairs) went to nuclear alert
    nuclear_used: np.ndarray | None = None  # (B, A) bool: first nuclear use by each state,
    #                                         which set off the world's reaction
    stance: stances.StanceChange | None = None  # the lines pursued, and why they changed
    signals: np.ndarray | None = None  # (B, A) each actor's signal move beside its main move
    #                                    (its hold candidate: none), None: no signals drawn
    accepted: np.ndarray | None = None  # (B, A) bool: each actor's offer (a ceasefire) was
    #                                     accepted (game.engine.tempo), None: no offers
    invoked: tuple | None = None  # (runs, instances, counterparts) of the consultations held
    #                               and the assistance given (the cells ``consult`` and
    #                               ``assist`` hold), each once; None: read those


def _kernels():
    """(game.engine.clause_kernels, game.engine.move_kernels), imported on first use: numba
    loads only in a process that plays a month."""
    from . import clause_kernels, move_kernels

    return clause_kernels, move_kernels


def counted_pairs(params: Params, level: int, start: np.ndarray | None = None) -> np.ndarray:
    """(A, A) bool: the pairs whose reaching rung ``level`` counts as crossing it.

    A pair counts if it stood below the level at ``start`` (the scenario's opening rungs unless
    given: a forecast passes the rungs it starts from). Below nuclear use only pairs of on-map
    actors count: a war in an off-map theatre (Ukraine) is the background of a scenario, not a
    crossing on the Northeast Asian ladder. Nuclear use counts wherever it happens.
    """
    pairs = (params.rung0 if start is None else start) < level
    if level < params.thresholds["nuclear_use"]:
        pairs = pairs & params.regional_pair_mask
    return pairs


def crossings(params: Params, rung: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """(B, H) bool: some pair stands at or above each named threshold, among the pairs
    ``counted_pairs`` counts for it (from the scenario's start, or from ``start``)."""
    flat = rung.reshape(rung.shape[0], -1)
    out = np.zeros((rung.shape[0], len(params.thresholds)), dtype=bool)
    for h, level in enumerate(params.thresholds.values()):
        pairs = counted_pairs(params, level, start).reshape(-1)
        out[:, h] = (flat[:, pairs] >= level).any(axis=1)
    return out


class MonthLists(NamedTuple):
    """What the month's bookkeeping visits (``month_lists``; ``Params.kept`` keeps it)."""

    levels: np.ndarray  # (H,) the rung of each named threshold
    on_map: np.ndarray  # (G,) bool: the theatres on the map
    placed: bool  # the scenario places fights in theatres
    gnw: int  # the index of general nuclear war among the thresholds
    ev_repeat: np.ndarray  # (E,) bool: the event may fire again
    ev_prob: np.ndarray  # (E,) its probability, where not drawn per run
    ev_col: np.ndarray  # (E,) the column of State.drawn holding it, -1: not drawn
    # (E,) bool: a draw decides the event (its probability drawn per run, or between 0 and 1:
    # one of 1 or more fires without a draw), and the event never fires (0 or less, not drawn)
    ev_reads: np.ndarray
    ev_never: np.ndarray
    # The thresholds as bits, threshold h bit h % 64 of word h // 64: (W, R) int64 those at or
    # below each rung; (W, A * A) int64 those each pair counts for (``counted_pairs``) and
    # those whose crossing it reports by region (started below it, off the diagonal:
    # ``theatres.regions``)
    at_level: np.ndarray
    counted_bits: np.ndarray
    regional_bits: np.ndarray
    mirror: bool  # the pairs' opening rungs, masks and lists are symmetric


def month_lists(params: Params) -> MonthLists:
    """The lists of ``MonthLists``, from the parameters."""
    n_a = params.n_actors
    levels = np.array(list(params.thresholds.values()), dtype=np.int64)
    counted = np.zeros((levels.size, n_a, n_a), dtype=bool)
    regional = np.zeros_like(counted)
    off_diag = ~np.eye(n_a, dtype=bool)
    for h, level in enumerate(levels):
        counted[h] = counted_pairs(params, int(level))
        regional[h] = (params.rung0 < level) & off_diag
    placed = bool(params.theatre_ids)
    on_map = np.asarray(params.theatre_on_map, dtype=bool) if placed else np.zeros(1, bool)
    gnw = list(params.thresholds).index("general_nuclear_war")
    evs = params.events
    prob = np.array([float(ev.probability) for ev in evs], dtype=np.float64)
    col = np.array(
        [params.draw_at.get(("event_probability", e), -1) for e in range(len(evs))],
        dtype=np.int64,
    )
    return MonthLists(
        levels,
        on_map,
        placed,
        gnw,
        np.array([bool(ev.repeat) for ev in evs], dtype=bool),
        prob,
        col,
        (col >= 0) | ((prob > 0.0) & (prob < 1.0)),
        (col < 0) & (prob <= 0.0),
        *_month_bits(params, levels, counted, regional),
    )


def _month_bits(params: Params, levels, counted, regional) -> tuple:
    """``MonthLists.at_level``, ``counted_bits``, ``regional_bits`` and ``mirror``, from the
    pairs each threshold counts and reports by region, (H, A, A) bool each."""
    n_h, n_a = levels.size, params.n_actors
    n_w = -(-n_h // 64)
    top = max(len(params.rung_ids), int(levels.max(initial=0)) + 1)
    at_level = np.zeros((n_w, top), dtype=np.uint64)
    counted_bits = np.zeros((n_w, n_a * n_a), dtype=np.uint64)
    regional_bits = np.zeros_like(counted_bits)
    for h, level in enumerate(levels):
        bit = np.uint64(1) << np.uint64(h % 64)
        at_level[h // 64, level:] |= bit
        counted_bits[h // 64, counted[h].reshape(-1)] |= bit
        regional_bits[h // 64, regional[h].reshape(-1)] |= bit
    mask = params.regional_pair_mask
    mirror = bool(
        np.array_equal(params.rung0, params.rung0.T)
        and np.array_equal(mask, mask.T)
        and np.array_equal(counted, counted.transpose(0, 2, 1))
        and np.array_equal(regional, regional.transpose(0, 2, 1))
    )
    words = (x.view(np.int64) for x in (at_level, counted_bits, regional_bits))
    return (*words, mirror)


def _month_end(params: Params, state: State) -> tuple[np.ndarray, np.ndarray]:
    """The end of a month, in place (game.engine.month_kernels.month_end): coordination runs
    down, peaks rise, first crossings of the named thresholds (``crossings``) and the regions
    where they happened (``theatres.regions``) are kept. Returns ((B, H) thresholds crossed,
    (B,) runs that ended in general nuclear war this month)."""
    from . import month_kernels

    ml = params.kept("month_lists", month_lists)
    crossed = np.zeros((state.batch, ml.levels.size), dtype=bool)
    ended = np.zeros(state.batch, dtype=bool)
    month_kernels.month_end(
        by_run(state.rung),
        by_run(state.front),
        by_run(state.peak),
        by_run(state.coord),
        state.first_cross,
        state.reached,
        state.done,
        state.turn,
        ml.at_level,
        ml.counted_bits,
        ml.regional_bits,
        ml.mirror,
        ml.on_map,
        params.regional_pair_mask.reshape(-1),
        ml.placed,
        ml.gnw,
        crossed,
        ended,
        params.n_actors,
    )
    return crossed, ended


def _events(params: Params, state: State, ctx: Context) -> np.ndarray:
    b = state.batch
    fired = np.zeros((b, len(params.events)), dtype=bool)
    if not params.events:
        return fired
    from . import month_kernels

    t = state.turn
    due = [
        not (ev.turn is not None and (t < ev.turn if ev.when is not None else t != ev.turn))
        and not (ev.until is not None and t > ev.until)
        for ev in params.events
    ]
    # The month's event draws (rng.uniforms) are hashed, and the events due without a condition
    # settled, at once (they read nothing the others change); their effects apply in the
    # events' order, with the others'.
    lists = params.kept("month_lists", month_lists)
    plain = np.array([d and ev.when is None for d, ev in zip(due, params.events)])
    hit = np.zeros(plain.size, dtype=bool)
    # The draws the month reads: those of the events due that a draw decides. The other
    # columns of ``u`` are not written, and not read.
    take = np.flatnonzero(np.array(due) & lists.ev_reads)
    u = np.empty(fired.shape)
    month_kernels.events_due(
        state.keys,
        rng.counter(t, rng.STREAM_EVENT),
        state.done,
        state.event_count,
        state.drawn,
        take,
        plain,
        lists.ev_repeat,
        lists.ev_prob,
        lists.ev_col,
        lists.ev_reads,
        lists.ev_never,
        u,
        fired,
        hit,
    )
    for e, ev in enumerate(params.events):
        if not due[e]:
            continue
        if plain[e]:
            if hit[e]:
                ok = fired[:, e]
                apply_effects(params, state, ev.effects, ok)
                state.event_count[:, e] += ok
            continue
        ok = ~state.done
        if not ev.repeat:
            ok &= state.event_count[:, e] == 0
        if ev.when is not None and ok.any():  # a condition is read where the event may fire
            ok &= ev.when.truth(ctx)
        if lists.ev_reads[e]:
            ok &= u[:, e] < draws.at(params, state, "event_probability", e, ev.probability)
        elif lists.ev_never[e]:
            ok[:] = False
        if ok.any():
            apply_effects(params, state, ev.effects, ok)
            state.event_count[:, e] += ok
            fired[:, e] = ok
    return fired


def other_rows(params: Params) -> np.ndarray:
    """The clause instances whose cells of ``TurnRecord.other`` the moves may set (those of
    opposing sanctions and of technology cooperation: game.engine.move_kernels.apply_moves);
    every other row of ``other`` stays false."""
    rows = np.concatenate([params.clause_lists.oppose, params.move_lists.tech])
    return np.unique(rows).astype(np.int64)


def other_spans(params: Params) -> list[slice]:
    """``other_rows`` as slices of consecutive instances (a scenario's clauses of one kind stand
    together: usually one or two), for clearing them with plain slicing."""
    rows = other_rows(params)
    cuts = np.flatnonzero(np.diff(rows) != 1) + 1
    return [slice(int(g[0]), int(g[-1]) + 1) for g in np.split(rows, cuts) if g.size]


def _moves(
    params: Params,
    state: State,
    moves: np.ndarray,
    active: np.ndarray,
    other=None,
    crossed=None,
    blank=None,
):
    """Apply the chosen move of every actor, run by run (game.engine.move_kernels.apply_moves);
    returns (other, crossed): (B, I, A) the clauses the moves invoked (sanctions opposed,
    technology cooperation), (B, N) the red lines they crossed. The main moves write
    ``state.last_hostility`` afresh; the signal moves (``other`` and ``crossed`` given: the main
    moves' ones, added to in place) merge their hostility into it. ``blank``: an all-false
    (B, I, A) array the main moves may write ``other`` into (a batch stepped in place keeps
    one, ``_KeptRecords.blank_other``), else one is made."""
    signal = other is not None
    if not signal:
        other = np.zeros(state.consult_level.shape, dtype=bool) if blank is None else blank
        crossed = np.zeros((state.batch, params.commit.n), dtype=bool)
    ml, cl, com = params.move_lists, params.clause_lists, params.commit
    threat = params.thresholds.get("threat", params.thresholds["war"])
    _kernels()[1].apply_moves(
        signal,
        np.ascontiguousarray(moves, dtype=np.int64),
        params.cand_action,
        params.cand_target,
        state.done,
        active,
        state.turn,
        state.tension,
        state.rung,
        state.aggressor,
        state.front,
        state.baseline,
        state.attr,
        state.last_hostility,
        state.clause_count,
        state.cred,
        other,
        crossed,
        cl.oppose,
        ml.tech,
        cl.table,
        cl.amounts,
        ml.act_i,
        ml.act_f,
        params.action_self,
        params.action_target,
        params.attack_theatre,
        ml.com,
        com.n_assist,
        ml.exercise,
        cm.GROWTH * com.exercise_gain if com.exercise_gain > 0 else 0.0,
        threat,
        float(com.entrapment),
        ml.host_neg_zero,
    )
    return other, crossed


def _signals(params: Params, state: State, ctx: Context, policy, moves, fixed):
    """(B, A) the month's signal moves, drawn by the policy's ``signals`` beside its main moves
    (game.engine.tempo); None when the policy draws none or the scenario has no signals. A
    player's state makes only the move its player chose."""
    draw = getattr(policy, "signals", None)
    if draw is None or not tempo.has_signals(params):
        return None
    sig = np.asarray(draw(params, state, ctx, moves))
    if fixed is not None:
        sig = np.where(fixed >= 0, params.actor_cand_start[:-1][None, :], sig)
    return sig


def _apply_signals(params: Params, state: State, signals, active, other, crossed):
    """Apply the signal moves after the main moves, through the same move application."""
    return _moves(params, state, signals, active, other, crossed)


def _incidents(params: Params, state: State):
    """Random incidents at the flashpoints, run by run (game.engine.move_kernels.incidents);
    returns (B, F) int8 kind (0 none, 1 minor, 2 serious) and (B, F) int16 the actor that
    started a serious one (-1 none)."""
    b = state.batch
    n_f = params.fp_pairs.shape[0]
    kind = np.zeros((b, n_f), dtype=np.int8)
    by = np.full((b, n_f), -1, dtype=np.int16)
    if n_f == 0:
        return kind, by
    ml = params.move_lists
    _kernels()[1].incidents(
        state.keys,
        rng.counter(state.turn, rng.STREAM_INCIDENT),
        state.done,
        state.drawn,
        ml.fp_i,
        ml.fp_f,
        ml.fp_col,
        params.thresholds["armed_clash"],
        state.tension,
        state.rung,
        state.aggressor,
        state.front,
        params.attack_theatre,
        kind,
        by,
    )
    return kind, by


def _drift(params: Params, state: State, hostile: np.ndarray) -> None:
    """Tension relaxes toward each pair's baseline; rungs follow tension one step at a time;
    the armed attacks of the pairs that stand below the armed clash rung are over
    (game.engine.move_kernels.drift, in place). The tension at which each rung drifts up (inf
    at the top) and below which it drifts down (-inf at the bottom): ``Params.drift_at``."""
    up_at, down_at = params.drift_at
    _kernels()[1].drift(
        params.move_lists.decay_col,
        float(params.tension_decay),
        state.drawn,
        by_run(state.tension),
        by_run(state.baseline),
        by_run(state.rung),
        by_run(hostile),
        by_run(state.aggressor).view(np.uint8),
        params.thresholds["armed_clash"],
        up_at,
        down_at,
        params.n_actors,
    )


def drift_bounds(params: Params, rung: int) -> tuple[float | None, float | None]:
    """The tensions at which a pair standing on ``rung`` drifts (``_drift``): up a rung once
    its tension reaches the first (None: never by drift), down a rung once it falls below the
    second in a month without hostile moves between the two (None: the bottom rung)."""
    top = len(params.rung_ids) - 1
    up = float(params.rung_up[rung + 1]) if rung < top else float("inf")
    down = float(params.rung_down[rung]) if rung > 0 else None
    return (up if np.isfinite(up) else None), down


class _Decisions:
    """The month's decisions on triggered commitments, and what they do to credibility.

    The committed state decides: a player's state through ``answers`` (a decision the engine
    asks for and keeps pending until answered), every other state by weighing the odds of
    :func:`game.engine.commitments.honour_odds` against a counter-based uniform draw. The
    decisions are weighed here (numpy: the odds use its ``exp``) and applied by the clause
    loops (game.engine.clause_kernels), which fill ``honour``, ``decline``, ``odds`` and
    ``waiting``.
    """

    def __init__(self, params: Params, state: State, active, asked, answers, in_place=False):
        self.params, self.state, self.com = params, state, params.commit
        self.active, self.asked, self.answers = active, asked, answers
        # A batch stepped in place keeps its records from month to month (_KeptRecords).
        self.kept = _KeptRecords.of(params, state) if in_place else None
        if self.kept is not None:
            self.honour, self.decline, self.odds, self.waiting = self.kept.decisions
        else:
            shape = (state.batch, self.com.n, params.n_actors)
            self.honour = np.zeros(shape, dtype=bool)
            self.decline = np.zeros(shape, dtype=bool)
            self.odds = np.zeros(shape, dtype=np.float32)
            self.waiting = np.zeros(shape, dtype=bool)
        self._runs = None
        self._ctx = None

    def read(self, runs: np.ndarray) -> None:
        """Read how the commitments stand this month, once, when first needed, in the runs
        ``runs`` (ascending, unique): every run whose decisions this month will weigh. Each
        run's reading depends only on its own row of the state."""
        if self._ctx is None:
            st, p = self.state, self.params
            self._runs = runs
            self._ctx = cm.read(
                self.com,
                st.attr[runs],
                st.rung[runs],
                st.cred[runs],
                self.active[runs],
                st.turn,
                p.thresholds["war"],
                ATTR_COLS,
            )

    def weigh(self, lo: int, rows, ll, o, stream: int):
        """Weigh commitment ``lo + ll[k]`` against ``o[k]`` in run ``rows[k]`` for every k
        (triggered, undecided; runs ascending, then ``ll``, then ``o``, as ``np.nonzero``
        lists them), in runs read; returns (yes, decided, odds recorded), (k,) each: a
        player's decision is taken once answered (odds 0), every other by the draw. An AI ally
        already fighting the attacker honours (``commitments.in_the_fight``); a player's state
        is still asked (the DPRK's pledge to Russia binds while its troops fight Ukraine: the
        question is the player's)."""
        com, st = self.com, self.state
        n_a = self.params.n_actors
        n = lo + ll
        player = np.zeros(rows.size, dtype=bool) if self.asked is None else self.asked[com.by[n]]
        ans = (
            np.full(rows.size, -1, dtype=np.int8)
            if self.answers is None
            else self.answers[rows, n, o].astype(np.int8)
        )
        odds = cm.honour_odds(com, n, o, np.searchsorted(self._runs, rows), self._ctx)
        odds = cm.in_the_fight(com, n, o, st.rung, rows, self.params.thresholds, odds)
        # Draws depend only on (seed, run, month, stream, index): drawing them only in months
        # and for the entries that need them changes nothing.
        u = rng.uniforms_each(st.keys[rows], st.turn, stream, ll * n_a + o)
        yes = np.where(player, ans == 1, u < odds)
        decided = ~player | (ans >= 0)
        return yes, decided, np.where(player, 0.0, odds)

    def records(self) -> tuple:
        """What the clause loops write when they apply decisions: the state's pending
        decisions, this month's waiting, odds, honour and decline, the state's credibility."""
        st = self.state
        return (st.pending, self.waiting, self.odds, self.honour, self.decline, st.cred)

    def gains(self) -> np.ndarray:
        """How credibility moves: honour gain, decline loss, reputation, the tension a decline
        adds, the gain of a consultation (the clause loops' argument)."""
        com = self.com
        return np.array(
            [
                com.honour_gain,
                com.decline_loss,
                com.reputation,
                com.decline_tension,
                com.consult_gain,
            ],
            dtype=np.float64,
        )


class _KeptRecords:
    """The month's clause records (consultations held, assistance given and declined, the
    decisions' honour, decline, odds and waiting) of a batch stepped in place, kept from one
    month to the next: zeroed once, then cleared by the clause loops only at the cells the
    month before wrote, ``was`` (zeroing them afresh each month costs more than the month's
    clauses at a thousand runs and 16 actors); and the record of the clauses the moves
    invoke, cleared only in the rows they may write (``blank_other``); and the month's copies
    of the pairs at its start (``_month_start``). A record of a month stepped in place is good
    only until the next month, as its state is (``game.sim.months`` with ``recycle``): its
    ``rung_before`` is one of those copies, and its ``rung_after`` the state's own rungs."""

    def __init__(self, params: Params, b: int):
        n_a = params.n_actors
        inst = (b, params.inst_clause.shape[0], n_a)
        com = (b, params.commit.n, n_a)
        # consult, assist, declined; honour, decline, odds, waiting
        self.clauses = tuple(np.zeros(inst, dtype=bool) for _ in range(3))
        self.decisions = (
            np.zeros(com, dtype=bool),
            np.zeros(com, dtype=bool),
            np.zeros(com, dtype=np.float32),
            np.zeros(com, dtype=bool),
        )
        self.was = _NOTHING_WRITTEN
        self.known = False  # ``was`` lists the month before's cells (not on the first month)
        self.other = np.zeros(inst, dtype=bool)
        pairs = (b, n_a, n_a)
        self.start = (np.empty(pairs, np.int16), np.empty(pairs, bool), np.empty(pairs, bool))
        # What the consultation scan saw, for the next month's (clause_kernels.scan): each
        # party's rungs, and whether each consultation row was in force; ``scanned`` once the
        # first month stepped in place has written them.
        parties, _ = params.kept("consult_parties", consult_parties)
        self.seen = np.empty((b, parties.size, n_a), np.int16)
        self.was_on = np.zeros((b, params.clause_lists.consult.size), bool)
        self.scanned = False

    def blank_other(self, params: Params) -> np.ndarray:
        """The record of the clauses the moves invoke (``TurnRecord.other``), all false: the
        moves write only its rows of ``other_rows``, and only those are cleared (a few rows
        of the (B, I, A) array, rather than all of it afresh each month)."""
        for rows in params.kept("other_spans", other_spans):
            self.other[:, rows, :] = False
        return self.other

    @classmethod
    def of(cls, params: Params, state: State) -> _KeptRecords:
        """The records kept with ``state`` (made on its first month stepped in place)."""
        kept = state.__dict__.get("_kept_records")
        if kept is None or kept.clauses[0].shape[0] != state.batch:
            kept = cls(params, state.batch)
            state.__dict__["_kept_records"] = kept
        return kept


def _month_start(params: Params, state: State, out=None):
    """The rungs and the armed attacks at the month's start, and the pairs standing at nuclear
    use then, (B, A, A) each: written into ``out`` (the arrays ``_KeptRecords`` keeps for a
    batch stepped in place, rather than three made each month), or into new arrays."""
    if out is None:
        out = (np.empty_like(state.rung), np.empty_like(state.aggressor), None)
    rung, attacked, nuclear = out
    np.copyto(rung, state.rung)
    np.copyto(attacked, state.aggressor)
    nuclear = np.greater_equal(state.rung, params.thresholds["nuclear_use"], out=nuclear)
    return rung, attacked, nuclear


def consult_parties(params: Params) -> tuple[np.ndarray, np.ndarray]:
    """The parties of the consultation clauses, ascending, and the place among them of each
    consultation row's party (``clause_kernels.scan`` keeps what it saw of them)."""
    cl = params.clause_lists
    parties, slot = np.unique(cl.table[cl.consult, INST_COLS.index("party")], return_inverse=True)
    return parties.astype(np.int64), slot.astype(np.int64).reshape(-1)


# The memory of a scan not stepped in place: nothing kept.
_NOTHING_SEEN = (np.zeros((0, 0, 0), np.int16), np.zeros((0, 0), bool))


# The cells a month's clauses wrote (runs ascending): consultations held and assistance given
# (run, instance, counterpart), pledges triggered (run, pledge, counterpart), red lines
# decided (runs, lines): none, for records made afresh.
_NOTHING_WRITTEN = (
    np.zeros((0, 3), np.int64),
    np.zeros((0, 3), np.int64),
    np.zeros((0, 3), np.int64),
    np.zeros(0, np.int64),
    np.zeros(0, np.int64),
)


def _clauses(
    params: Params,
    state: State,
    active: np.ndarray,
    attacked_before: np.ndarray,
    crossed_lines: np.ndarray,
    decisions: _Decisions,
):
    """Consultation, then assistance, for every clause instance and counterpart at once.

    All instances read the state as it stands after the month's moves and incidents; what
    one ally's intervention triggers under other treaties is seen the next month.

    Consult when a threat appears and again whenever it climbs past the last level consulted
    on; the clause re-arms once the pair falls clearly below the trigger, and a new armed attack
    on the party is a fresh threat even on a rung already consulted on. Threats or attacks by
    off-map actors do not count for a clause that says so. Assistance is triggered by an armed
    attack on the party, in a theatre the clause covers, once consultations (if the treaty has
    them) were held; the ally decides (pledge n is the n-th assistance instance), and an
    honoured pledge is answered after its delay: the ally enters the war (``settle``). An
    attack that has ended clears the clause for the next one (and any decision a player was
    asked for). Allies that consult stand more credibly behind their pledge to the threatened
    party. Then the red lines. The loops over runs and the clause entries that can fire are
    compiled (game.engine.clause_kernels); the decisions are weighed in numpy between them,
    reading the commitments once, when the first decision is weighed, for every run that
    decides this month.
    """
    b, t = state.batch, state.turn
    if decisions.kept is not None:
        consult, assist, declined = decisions.kept.clauses
        was, known = decisions.kept.was, decisions.kept.known
        seen, was_on = decisions.kept.seen, decisions.kept.was_on
    else:
        was, known = _NOTHING_WRITTEN, False
        seen, was_on = _NOTHING_SEEN
        # Written only where something happens: fresh zeroed pages (np.zeros), not filled ones.
        consult = np.zeros(state.consult_level.shape, dtype=bool)
        assist = np.zeros(state.consult_level.shape, dtype=bool)
        declined = np.zeros(state.consult_level.shape, dtype=bool)
    cl, com = params.clause_lists, params.commit
    na = com.n_assist
    ck = _kernels()[0]
    ev, ua, fresh = ck.scan(
        ~state.done,
        active,
        state.rung,
        state.aggressor,
        attacked_before,
        state.front,
        state.consult_level,
        state.assist_due,
        state.assist_done,
        state.assist_declined,
        state.pending,
        cl.consult,
        cl.assist,
        cl.can_fire,
        cl.table,
        cl.amounts,
        cl.cover,
        state.tension,
        state.attr,
        ATTR["readiness"],
        state.coord,
        state.clause_count,
        consult,
        was[0],
        was[2],
        known,
        *params.kept("consult_parties", consult_parties),
        seen,
        was_on,
        decisions.kept is not None,
        decisions.kept is not None and decisions.kept.scanned,
    )
    if decisions.kept is not None:
        decisions.kept.scanned = True
    lines = _lines_crossed(params, state, crossed_lines) if com.n > na else None
    f = np.flatnonzero(fresh)
    yes = np.zeros(fresh.size, dtype=bool)
    decided = np.zeros(fresh.size, dtype=bool)
    odds = np.zeros(fresh.size)
    weighed = None
    if f.size:
        rr, ll, oo = ua[f].T
        decisions.read(np.unique(rr if lines is None else np.concatenate([rr, lines[0]])))
        yes[f], decided[f], odds[f] = decisions.weigh(0, rr, ll, oo, rng.STREAM_CREDIBILITY)
        if lines is not None and lines[0].size:
            r2, l2 = lines
            weighed = decisions.weigh(na, r2, l2, com.party[na + l2], rng.STREAM_RED_LINE)
    territory = params.territory if params.theatre_ids else np.zeros((0, params.n_actors), bool)
    given = ck.settle(
        t,
        ua,
        fresh,
        yes,
        decided,
        odds,
        ev,
        *decisions.records(),
        state.honoured,
        state.declined,
        com.by,
        com.party,
        com.kind,
        com.consult,
        decisions.gains(),
        state.assist_due,
        state.assist_done,
        state.assist_declined,
        assist,
        declined,
        state.rung,
        state.tension,
        state.front,
        state.aggressor,
        state.coord,
        state.clause_count,
        cl.assist,
        cl.table,
        cl.amounts,
        params.defence_is_attack,
        territory,
        params.allied,
        was[2],
        was[1],
    )
    answered = np.zeros((b, com.n), dtype=bool)
    if lines is not None:
        _red_lines(params, state, decisions, lines, weighed, answered, was[3:])
    if decisions.kept is not None:
        # (Contiguous, as the lists made afresh are: one compiled form of the loops.)
        red = was[3:] if lines is None else tuple(np.ascontiguousarray(x) for x in lines)
        decisions.kept.was = (ev, given, ua, *red)
        decisions.kept.known = True
    invoked = tuple(np.concatenate(x) for x in zip(ev.T, given.T))
    return consult, assist, declined, answered, invoked


def _lines_crossed(params: Params, state: State, crossed_lines) -> tuple[np.ndarray, np.ndarray]:
    """(runs, red lines) to decide this month, as ``np.nonzero`` lists them: crossed with no
    answer due, or awaiting a player's decision (red line l is commitment n_assist + l)."""
    com = params.commit
    na = com.n_assist
    rl = np.arange(na, com.n)
    waiting = state.pending[:, rl, com.party[rl]]
    return np.nonzero((crossed_lines[:, na:] & (state.answer_due[:, na:] < 0)) | waiting)


def _red_lines(
    params, state, decisions: _Decisions, lines, weighed, answered, was=_NOTHING_WRITTEN[3:]
) -> None:
    """Red lines crossed this month (or awaiting a player's decision), ``lines``, are decided
    (``weighed`` already, or weighed here, reading the commitments as they stand now if no
    pledge was decided before); answers that fall due are given: the declaring state climbs
    against the violator, tension rises, and the moves the answer opens become likelier for a
    while (game.engine.clause_kernels.answer)."""
    com = params.commit
    na = com.n_assist
    rows, ll = lines
    if weighed is None:
        weighed = (np.zeros(0, dtype=bool), np.zeros(0, dtype=bool), np.zeros(0))
        if rows.size:
            decisions.read(np.unique(rows))
            weighed = decisions.weigh(na, rows, ll, com.party[na + ll], rng.STREAM_RED_LINE)
    _kernels()[0].answer(
        state.turn,
        na,
        rows,
        ll,
        *weighed,
        state.done,
        *decisions.records(),
        state.honoured,
        state.declined,
        com.by,
        com.party,
        decisions.gains(),
        com.delay,
        com.response,
        com.tension,
        com.red_line_of,
        com.open_com,
        com.open_months,
        state.answer_due,
        state.rung,
        state.tension,
        state.red_line_count,
        answered,
        state.opened_until,
        *was,
    )


def _war_costs(params: Params, state: State, nuclear_before: np.ndarray) -> None:
    """A state at war pays each month, one newly hit by nuclear use pays more; attributes stay
    within their bounds (game.engine.move_kernels.war_costs, run by run, in place)."""
    _kernels()[1].war_costs(
        by_run(state.rung),
        by_run(nuclear_before),
        by_run(state.attr),
        params.thresholds["war"],
        params.thresholds["nuclear_use"],
        _WAR_COLS,
        1.0 - _WAR_MIL,
        _WAR_ECON,
        _WAR_STAB,
        _NUC_DAMAGE,
        params.n_actors,
    )


# Bookkeeping fields that a finished run keeps updating (or that never change): every other
# per-run array of the state is frozen once its run is done (see ``step``).
_NOT_FROZEN = ("runs", "keys", "done", "end_turn")
_FROZEN = tuple(
    name
    for name, kind in get_type_hints(State).items()
    if kind is np.ndarray and name not in _NOT_FROZEN
)


def step(
    params: Params,
    state: State,
    policy: Policy,
    fixed: np.ndarray | None = None,
    asked: np.ndarray | None = None,
    answers: np.ndarray | None = None,
    choices: np.ndarray | None = None,
    in_place: bool = False,
) -> tuple[State, TurnRecord]:
    """Advance every run of the batch by one month.

    ``policy`` chooses a candidate move for every actor of every run; ``fixed`` (B, A) may
    override it with a player's choice (-1 = leave it to the policy). ``asked`` (A,) bool
    names the players' states: their decisions on triggered commitments are not taken by the
    AI but kept pending (``State.pending``, ``TurnRecord.asked``) until ``answers`` (B, N, A)
    int8 gives them (1 honour, 0 decline, -1 not yet). The dilemmas posed to those states
    (``game.engine.dilemmas``) take the option in ``choices`` (B, D) (-1: not yet); the AI
    chooses for the others. The input state is not modified, unless ``in_place``: then the
    input becomes the next state (its caller gives it up: ``game.sim.months`` with
    ``recycle``), and no state is allocated; the record's clause and decision arrays are then
    kept with the state and reused by its next month (``_KeptRecords``).
    """
    turn = state.turn
    # The finished runs' rows, as they stand, are put back at the end of the month.
    finished = np.nonzero(state.done)[0]
    kept = [getattr(state, name)[finished] for name in _FROZEN] if finished.size else []
    if not in_place:
        state = state.copy()
    ctx = Context(params, state)
    active = ctx.treaty_active()
    kept_start = _KeptRecords.of(params, state).start if in_place else None
    rung_before, attacked_before, nuclear_before = _month_start(params, state, kept_start)
    fired = _events(params, state, ctx)
    dilemma_lines = None
    if params.dilemmas:
        if fired.any():
            ctx = Context(params, state)
        chosen, _, dilemma_lines = dilemmas.resolve(params, state, ctx, asked, choices)
        fired |= chosen
    memory.record_events(state, fired)
    if fired.any():
        ctx = Context(params, state)
        active = ctx.treaty_active()
    ctx.moves_fixed = fixed is not None and bool((fixed >= 0).any())
    moves = np.asarray(policy(params, state, ctx))
    if fixed is not None:
        moves = np.where(fixed >= 0, fixed, moves)
    signals = _signals(params, state, ctx, policy, moves, fixed)
    cred_before = state.cred.copy()
    tempo.balance_of_forces(params, state, moves)
    blank = _KeptRecords.of(params, state).blank_other(params) if in_place else None
    other, crossed_lines = _moves(params, state, moves, active, blank=blank)
    memory.record_moves(params, state, moves)
    if signals is not None:
        other, crossed_lines = _apply_signals(params, state, signals, active, other, crossed_lines)
        memory.record_moves(params, state, signals)
    if dilemma_lines is not None:  # options that amount to a move a red line stands against
        crossed_lines = crossed_lines | dilemma_lines
    accepted = tempo.settle_offers(params, state, moves)
    tempo.ally_unease(params, state, moves)
    inc_kind, inc_by = _incidents(params, state)
    _drift(params, state, state.last_hostility)
    decisions = _Decisions(params, state, active, asked, answers, in_place)
    consult, assist, declined, answered, invoked = _clauses(
        params, state, active, attacked_before, crossed_lines, decisions
    )
    alerted = nuclear.alert(params, state, state.turn)
    used = nuclear.users(params, state, moves, nuclear_before)
    nuclear.react(params, state, used)
    cm.relax(params.commit, state.cred, draws.vary(params, state, "cred0", params.commit.cred0))
    _war_costs(params, state, nuclear_before)
    changed = (rung_before, attacked_before, inc_kind, consult, assist, answered)
    lines = stances.update(params, state, moves, *changed, invoked=invoked)
    # Coordination runs down, peaks rise, the first crossing of each named threshold by a pair
    # that started below it is kept, with where it happened.
    crossed, ended = _month_end(params, state)
    for name, rows in zip(_FROZEN, kept):
        getattr(state, name)[finished] = rows
    state.end_turn = np.where(state.done, state.end_turn, state.turn + 1).astype(np.int32)
    state.done = state.done | ended
    state.turn += 1
    record = TurnRecord(
        turn=turn,
        moves=moves,
        rung_before=rung_before,
        rung_after=state.rung if in_place else state.rung.copy(),
        events=fired,
        incidents=inc_kind,
        incident_by=inc_by,
        consult=consult,
        assist=assist,
        declined=declined,
        other=other,
        crossed=crossed,
        ended=ended,
        honour=decisions.honour,
        decline=decisions.decline,
        odds=decisions.odds,
        asked=decisions.waiting,
        red_line=crossed_lines,
        answered=answered,
        cred_before=cred_before,
        cred_after=state.cred.copy(),
        nuclear_alert=alerted,
        nuclear_used=used,
        stance=lines,
        signals=signals,
        accepted=accepted,
        invoked=invoked,
    )
    return state, record
