"""Fixed parameters of a compiled scenario, kept apart from the state that changes each turn.

Everything here is produced once by :mod:`game.scenario.compile` and never changes during a
run: arrays indexed by actor, pair, rung, treaty, clause instance, action and candidate move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cached_property
from typing import Any

import numpy as np

from .commitments import Commitments
from .names import ATTR, ATTRIBUTES, CLAUSE_KINDS, KIND

# Columns commitments are read from (game.engine.commitments.read): power and nuclear reach.
ATTR_COLS = (ATTR["military"], ATTR["readiness"], ATTR["warheads"], ATTR["delivery"])

__all__ = ["ATTR", "ATTRIBUTES", "ATTR_COLS", "CLAUSE_KINDS", "KIND", "EventSpec", "MoveBlock"]
__all__ += ["DilemmaSpec", "GoalSpec", "OutcomeSpec", "Params", "freeze"]


@dataclass(frozen=True)
class MoveBlock:
    """A dense block of an actor's candidate moves: every target with every action.

    Candidate ``start + t * len(actions) + k`` is action ``actions[k]`` aimed at ``targets[t]``.
    """

    actor: int
    start: int
    targets: np.ndarray  # (T,)
    actions: np.ndarray  # (K,)
    # Scores are in units of the actor's temperature (everything below is divided by it).
    coef: np.ndarray  # (5, K) float32: action weights of the five pair combinations
    table: np.ndarray  # (T, R, K) float32: base appeal minus the penalty for climbing from
    #                    each current rung; -inf where ``codes`` closes the move
    codes: np.ndarray  # (T, R, K) int8: reason code (game.engine.legality) of each target and
    #                    action at each current rung: causes fixed by the scenario, rung range
    hostility: np.ndarray  # (K,) raw hostility (for the no-hostile-alliance rule)
    needs: np.ndarray  # (K, len(names.NEEDS)) bool, columns as Params.action_needs
    # (T, R, K) float32: the climb penalty per unit of ai.jump (table holds jump x this), so a
    # run that draws its own jump adds (its jump - the central jump) x this (game.engine.draws)
    climb: np.ndarray | None = None

    def __post_init__(self):
        # Derived once: the action columns subject to each run-dependent need, the hostile
        # ones, and the row index that gathers each target's table row for every run.
        need_cols = [
            (j, np.nonzero(self.needs[:, j])[0])
            for j in range(self.needs.shape[1])
            if self.needs[:, j].any()
        ]
        object.__setattr__(self, "need_cols", need_cols)
        object.__setattr__(self, "hostile_cols", np.nonzero(self.hostility > 0)[0])
        # The tables as (target x rung, action) rows: row ``t * R + rung`` holds target t's
        # row at that rung, so one np.take gathers a (runs, targets, actions) block.
        n_t, n_r, n_k = self.table.shape
        object.__setattr__(self, "row_offset", (np.arange(n_t) * n_r)[None, :])
        object.__setattr__(self, "table_rows", self.table.reshape(n_t * n_r, n_k))
        object.__setattr__(self, "code_rows", self.codes.reshape(n_t * n_r, n_k))
        if self.climb is not None:
            object.__setattr__(self, "climb_rows", self.climb.reshape(n_t * n_r, n_k))

    def rows(self, rung: np.ndarray) -> np.ndarray:
        """(B, T) row of the flattened tables for the pair's current rung (B, T) with each
        target."""
        return rung + self.row_offset


@dataclass(frozen=True)
class ClauseLists:
    """The clause instances of each kind the month's clause step visits, and which of their
    (instance, counterpart) entries can fire, derived once from the compiled instances.

    An entry can fire only where the counterpart stands outside the instance's treaty (and on
    the map, for a clause that counts only on-map threats); every other entry of the
    (runs, instances, counterparts) clause arrays only ever takes its reset value.
    """

    consult: np.ndarray  # (Ic,) the consultation instances, ascending
    assist: np.ndarray  # (Ia,) the assistance instances, ascending (pledge n = assist[n])
    oppose: np.ndarray  # the instances of oppose_sanctions clauses, ascending
    can_fire: np.ndarray  # (I, A) bool
    # Per instance, int64 columns INST_COLS: treaty, party, ally, trigger rung, consultation
    # instance first (-1 none), delay, response rung, months of coordination, clause.
    table: np.ndarray  # (I, len(INST_COLS)) int64
    amounts: np.ndarray  # (I, 2) float64: tension added, readiness added
    cover: np.ndarray  # (I, G + 1) bool: Params.inst_cover, or every column when unplaced


INST_COLS = ("treaty", "party", "by", "trigger", "consult", "delay", "response", "coord", "clause")


def clause_lists(
    inst_kind, inst_treaty, treaty_parties, on_map_only, on_map, table, amounts, cover
) -> ClauseLists:
    """The clause instances of each kind, and the entries of each that can fire."""
    n_i = inst_kind.shape[0]
    cover = np.ascontiguousarray(cover, dtype=bool)
    n_cover = cover.shape[1] if cover.ndim == 2 else 1  # a scenario may have no instance at all
    can_fire = ~treaty_parties[inst_treaty] & (~on_map_only[:, None] | on_map[None, :])
    return ClauseLists(
        consult=np.nonzero(inst_kind == KIND["consultation"])[0].astype(np.int64),
        assist=np.nonzero(inst_kind == KIND["assistance"])[0].astype(np.int64),
        oppose=np.nonzero(inst_kind == KIND["oppose_sanctions"])[0].astype(np.int64),
        can_fire=np.ascontiguousarray(can_fire, dtype=bool).reshape(n_i, on_map.shape[0]),
        table=np.ascontiguousarray(table, dtype=np.int64).reshape(n_i, len(INST_COLS)),
        amounts=np.ascontiguousarray(amounts, dtype=np.float64).reshape(n_i, 2),
        cover=cover.reshape(n_i, n_cover),
    )


@dataclass(frozen=True)
class EventSpec:
    """A scheduled or conditional scenario event, compiled."""

    id: str
    name: str
    headline: str
    turn: int | None  # fires on (or from) this turn; None = whenever the condition holds
    until: int | None  # last turn it may fire
    when: Any  # compiled Expr or None
    probability: float
    repeat: bool
    effects: list[dict]  # compiled effects: {"kind", ...indices and numbers}


@dataclass(frozen=True)
class OutcomeSpec:
    id: str
    name: str
    when: Any  # compiled Expr; None for the default outcome
    description: str = ""


@dataclass(frozen=True)
class DilemmaSpec:
    """An event with options, compiled: option k is ``params.events[events[k]]`` (an event
    that never fires by itself: it applies when the option is chosen)."""

    id: str
    name: str
    actor: int
    question: str
    turn: int | None  # posed from this turn
    until: int | None  # last turn it may be posed
    when: Any  # compiled Expr or None
    probability: float
    events: list[int]  # the option events, in the order of the options
    labels: list[str]
    says: list[str]
    # How its state weighs an option (game.engine.dilemmas.option_values), over its
    # temperature: goals, partners (x loyalty), risk (x caution).
    value_coef: tuple[float, float, float]
    # The red lines (commitments) each option crosses when chosen: those standing against the
    # catalogue move it amounts to (its ``as_move``); empty for most options.
    lines: list[list[int]] = field(default_factory=list)


@dataclass(frozen=True)
class GoalSpec:
    """One thing a state wants, compiled: its standing is 0 at ``worst`` and 100 at ``best``."""

    actor: int
    id: str
    name: str
    why: str
    weight: float
    standing: int  # column of objective_components, or -1: ``value`` measures it
    value: Any  # compiled Expr or None
    worst: float
    best: float


@dataclass(frozen=True)
class Params:
    """A compiled scenario: names, numbers and compiled conditions.

    Frozen: nothing is written to it after :func:`game.scenario.compile.compile_scenario`, whose
    last step (:func:`freeze`) makes its arrays read-only. What the step and the AI derive from
    the scenario is computed there, once, into the fields below.
    """

    scenario_id: str
    scenario_name: str
    start_year: int
    start_month: int
    turns: int
    # actors
    actor_ids: list[str]
    actor_names: list[str]
    on_map: np.ndarray  # (A,) bool
    attr0: np.ndarray  # (A, NATTR) float64
    # pairs
    tension0: np.ndarray  # (A, A) float64, symmetric
    baseline: np.ndarray  # (A, A) float64, tension the pair relaxes toward at the start
    #                       (events may move it; the state keeps each run's own)
    rung0: np.ndarray  # (A, A) int16, symmetric
    aggressor0: np.ndarray  # (A, A) bool: [victim, attacker]
    regional_pair_mask: np.ndarray  # (A, A) bool: both actors on the map, off-diagonal
    tension_decay: float
    # ladder
    rung_ids: list[str]
    rung_names: list[str]
    rung_groups: list[str]
    rung_up: np.ndarray  # (R,) tension needed to drift up into the rung (inf = never by drift)
    rung_down: np.ndarray  # (R,) tension below which a pair drifts down out of the rung
    thresholds: dict[str, int]  # named thresholds -> rung index (armed_clash, war, nuclear_use...)
    # flashpoints (random incidents whose odds rise with tension)
    fp_pairs: np.ndarray  # (F, 2) int
    fp_base: np.ndarray  # (F,) monthly probability at zero tension
    fp_slope: np.ndarray  # (F,) added probability at tension 100 (quadratic in tension)
    fp_rung: np.ndarray  # (F,) rung a serious incident raises the pair to
    fp_serious: np.ndarray  # (F,) share of incidents that are serious (armed)
    fp_tension: np.ndarray  # (F,) tension added by an incident
    fp_names: list[str]
    # treaties
    treaty_ids: list[str]
    treaty_names: list[str]
    treaty_start: np.ndarray  # (T,) first turn in force (may be negative: in force before start)
    treaty_end: np.ndarray  # (T,) first turn no longer in force (large = indefinite)
    treaty_parties: np.ndarray  # (T, A) bool
    # clauses (one row per clause of a treaty)
    clause_keys: list[str]  # "treaty.clause"
    clause_names: list[str]  # e.g. "Art. 4"
    clause_treaty: np.ndarray  # (Q,)
    clause_kind: np.ndarray  # (Q,) index into CLAUSE_KINDS
    # clause instances: (clause, threatened party, responding ally)
    inst_clause: np.ndarray  # (I,)
    inst_treaty: np.ndarray  # (I,)
    inst_kind: np.ndarray  # (I,)
    inst_party: np.ndarray  # (I,)
    inst_by: np.ndarray  # (I,)
    inst_trigger: np.ndarray  # (I,) rung that triggers (threat rung / armed-attack rung)
    inst_delay: np.ndarray  # (I,) turns between trigger and response
    inst_cred: np.ndarray  # (I,) probability the ally honours the clause
    inst_response: np.ndarray  # (I,) rung the ally moves to against the counterpart
    inst_tension: np.ndarray  # (I,) tension added between the ally and the counterpart
    inst_readiness: np.ndarray  # (I,) readiness added to party and ally
    inst_coord: np.ndarray  # (I,) turns of coordination after consultation
    inst_consult: np.ndarray  # (I,) index of the same treaty's consultation instance, or -1
    inst_on_map_only: np.ndarray  # (I,) bool: only threats or attacks by on-map actors count
    # Instances of each clause kind: a slice when contiguous (the compiler sorts them by kind).
    inst_of_kind: dict[str, slice | np.ndarray]
    inst_by_ally: list[tuple[int, np.ndarray]]  # (ally q, instances in which q responds)
    assist_done0: np.ndarray  # (I, A) bool: assistance already given when the scenario opens
    # actions
    action_ids: list[str]
    action_names: list[str]
    action_headlines: list[str]
    action_category: list[str]
    action_hostility: np.ndarray  # (K,) -1 cooperative .. +1 hostile
    action_rung: np.ndarray  # (K,) floor the action sets on the pair's rung (-1 = none)
    action_tension: np.ndarray  # (K,) tension change on the pair
    action_attack: np.ndarray  # (K,) bool: an armed attack on the target
    action_sanction: np.ndarray  # (K,) bool: a sanction (opposed by oppose_sanctions clauses)
    action_self: np.ndarray  # (K, NATTR) attribute change of the mover
    action_target: np.ndarray  # (K, NATTR) attribute change of the target
    action_spill_tension: np.ndarray  # (K,) tension with the target's enemies at war
    action_spill_rung: np.ndarray  # (K,) rung floor with the target's enemies at war (-1 none)
    action_spill_at: np.ndarray  # (K,) rung of the target's pair from which a third side counts
    action_min_rung: np.ndarray  # (K,)
    action_max_rung: np.ndarray  # (K,)
    action_needs: np.ndarray  # (K, len(names.NEEDS)) bool, columns in the order of names.NEEDS
    action_target_kind: list[str]
    # AI candidates: every (mover, action, target) a mover may choose; candidate 0.. per actor
    cand_actor: np.ndarray  # (C,)
    cand_action: np.ndarray  # (C,) -1 = pass
    cand_target: np.ndarray  # (C,) target actor (= mover for pass)
    actor_cand_start: np.ndarray  # (A + 1,) candidates of actor a: [start[a], start[a+1])
    move_blocks: list[MoveBlock]  # the candidates after each actor's 'hold', in blocks
    doctrine_coef: np.ndarray  # (A, 8) doctrine x AI gains, columns game.ai.moves.COEF
    pass_bias: np.ndarray  # (A,) appeal of holding
    temperature: np.ndarray  # (A,) softmax temperature of each actor's choice
    no_move_reason: np.ndarray  # (A, K, A) int8: why (mover, action, target) is no candidate
    #                             (a game.engine.legality code; 0 where it is a candidate)
    # events and outcomes
    events: list[EventSpec]
    outcomes: list[OutcomeSpec]
    objectives: np.ndarray  # (A, len(names.OBJECTIVES)) weights of each objective in the score
    rivals: np.ndarray  # (A, A) bool: [mover, target] the target is one of the mover's rivals
    partners: np.ndarray  # (A, A) bool: [mover, target] the target is one of its partners
    # assistance pledges and red lines, with the rules their credibility follows
    commit: Commitments | None = None
    extra: dict = field(default_factory=dict)  # blocs and description, for the interface
    # what conditions recall (game.engine.memory)
    move_watch: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), dtype=np.int64))
    #   (M, 3) (mover, action, target or -1 for any) counted for moves() in conditions
    flag_ids: tuple[str, ...] = ()  # flags set by effects, read by flag() in conditions
    # (R,) each rung's position on the AI's reference ladder (game.ai.moves.rung_positions)
    rung_position: np.ndarray | None = None
    goals: list[GoalSpec] = field(default_factory=list)  # what each state wants ([[goals]])
    dilemmas: list[DilemmaSpec] = field(default_factory=list)  # events with options
    # theatres: where fighting happens (game.engine.theatres); none declared: attacks unplaced
    theatre_ids: list[str] = field(default_factory=list)
    theatre_names: list[str] = field(default_factory=list)
    theatre_on_map: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (G,)
    territory: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))  # (G, A)
    attack_theatre: np.ndarray | None = None  # (A, A) [victim, attacker] theatre, -1 unplaced
    fp_theatre: np.ndarray | None = None  # (F,) theatre of a flashpoint's incidents, -1 by rule
    inst_cover: np.ndarray | None = None  # (I, G + 1) bool: an attack in theatre g sets the
    #                                       instance off; the last column: attacks not placed
    allied: np.ndarray | None = None  # (A, A) bool: parties to a common assistance treaty
    front0: np.ndarray | None = None  # (A, A) int16 symmetric: theatre of a pair's fight, -1
    defence_is_attack: bool = False  # an ally's defensive entry counts as an armed attack
    nuclear: Any = None  # game.engine.nuclear.NuclearRules: the top of the ladder
    stance: Any = None  # game.engine.stance.StanceRules: the lines states pursue
    # tempo (game.engine.tempo): signal moves beside the main move, moves that end fighting
    action_signal: np.ndarray | None = None  # (K,) bool: a signal (test, exercise, statement)
    action_lowers_to: np.ndarray | None = None  # (K,) rung the pair falls to at most, -1 none
    action_baseline: np.ndarray | None = None  # (K,) change of the pair's baseline tension
    action_ends_attack: np.ndarray | None = None  # (K,) bool: ends the target's attack on the mover
    action_offer: np.ndarray | None = None  # (K,) bool: its ending waits for the target's yes
    action_refused: list | None = None  # (K,) headline of a refused offer
    action_balance: np.ndarray | None = None  # (K,) bool: effects follow the balance of forces
    action_ally_tension: np.ndarray | None = None  # (K,) tension with allies who count the
    #                                                target a rival (talks with their rival)
    signal_cand: np.ndarray | None = None  # (S,) the signal draw's candidates: each actor's
    #                                        hold, then its signal candidates
    signal_start: np.ndarray | None = None  # (A + 1,) actor a's: signal_cand[start[a]:start[a+1]]
    signal_gain: float = 0.0  # [ai] signal: added to every signal's score in the signal draw
    # uncertain numbers (game.engine.draws): the fields above keep their central values
    draws: tuple = ()  # DrawSpec of each number drawn per run (columns of State.drawn)
    draw_at: dict = field(default_factory=dict)  # {(field, flat index): column of State.drawn}

    def __post_init__(self):
        # Derived once, when the scenario is compiled: what the clause step visits.
        n_i = self.inst_clause.shape[0]
        cover = self.inst_cover if self.inst_cover is not None else np.ones((n_i, 1), bool)
        cols = (self.inst_treaty, self.inst_party, self.inst_by, self.inst_trigger)
        cols += (self.inst_consult, self.inst_delay, self.inst_response, self.inst_coord)
        cols += (self.inst_clause,)
        lists = clause_lists(
            self.inst_kind,
            self.inst_treaty,
            self.treaty_parties,
            self.inst_on_map_only,
            self.on_map,
            np.stack([np.asarray(c, dtype=np.int64) for c in cols], axis=1),
            np.stack([self.inst_tension, self.inst_readiness], axis=1),
            cover,
        )
        object.__setattr__(self, "clause_lists", lists)
        # The drift of rungs with tension (step._drift), by current rung: the tension that
        # lifts a pair to the next rung (inf at the top), and the tension below which it
        # falls (-inf at the bottom).
        top = len(self.rung_ids) - 1
        up_at = np.append(np.asarray(self.rung_up, dtype=np.float64)[1:], np.inf)
        down_at = np.asarray(self.rung_down, dtype=np.float64).copy()
        down_at[0] = -np.inf
        object.__setattr__(self, "drift_at", (up_at[: top + 1], down_at[: top + 1]))

    def inst_count(self, sel) -> int:
        return sel.stop - sel.start if isinstance(sel, slice) else int(np.size(sel))

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    def turn_date(self, turn: int) -> tuple[int, int]:
        """(year, month) of a turn; turn 0 is the scenario's start month."""
        m = self.start_month - 1 + turn
        return self.start_year + m // 12, m % 12 + 1

    def date_label(self, turn: int) -> str:
        y, m = self.turn_date(turn)
        return f"{y:04d}-{m:02d}"

    @cached_property
    def move_lists(self) -> MoveLists:
        """What the compiled moves and their aftermath read (game.engine.move_kernels), built
        on first use."""
        return move_lists(self)

    def kept(self, name: str, build: Callable[[Params], Any]) -> Any:
        """``build(self)``, built on first use and kept (read-only) under ``name``: lists the
        engine derives from the parameters where it uses them (``game.engine.step.month_lists``)."""
        got = self.__dict__.get("_kept_" + name)
        if got is None:
            got = build(self)
            _read_only(got)
            object.__setattr__(self, "_kept_" + name, got)
        return got


def instances_of_kind(inst_kind: np.ndarray) -> dict[str, slice | np.ndarray]:
    """The clause instances of each kind: a slice when they are contiguous, else an index."""
    out: dict[str, slice | np.ndarray] = {}
    for kind, k in KIND.items():
        idx = np.nonzero(inst_kind == k)[0]
        if idx.size and np.array_equal(idx, np.arange(idx[0], idx[-1] + 1)):
            out[kind] = slice(int(idx[0]), int(idx[-1]) + 1)
        else:
            out[kind] = idx
    return out


def instances_by_ally(inst_by: np.ndarray, n_actors: int) -> list[tuple[int, np.ndarray]]:
    """[(ally q, the clause instances in which q responds)] for every ally with some."""
    return [(q, np.nonzero(inst_by == q)[0]) for q in range(n_actors) if (inst_by == q).any()]


def _read_only(value: Any) -> None:
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, (list, tuple)):
        for v in value:
            _read_only(v)
    elif isinstance(value, dict):
        for v in value.values():
            _read_only(v)
    elif is_dataclass(value) and not isinstance(value, type):
        # MoveBlock, EventSpec, OutcomeSpec, Commitments: their fields and derived arrays.
        _read_only(list(vars(value).values()))


def freeze(params: Params) -> Params:
    """Make every array of the parameters read-only (the dataclass itself is frozen)."""
    for f in fields(params):
        _read_only(getattr(params, f.name))
    _read_only(params.clause_lists)
    _read_only(params.drift_at)
    return params


# The columns of MoveLists.act_i and act_f: each action's effects, as the move kernels read them.
ACT_I = ("rung", "spill_rung", "spill_at", "lowers_to", "attack", "sanction", "ends_attack")
ACT_I += ("offer", "tech", "balance")
ACT_F = ("tension", "hostility", "spill_tension", "baseline", "ally_tension")
# The columns of MoveLists.com (commitments) and fp_i / fp_f (flashpoints).
COM_COLS = ("by", "party", "action", "target", "start", "end")
FP_I = ("i", "j", "rung", "theatre")
FP_F = ("fp_base", "fp_slope", "fp_serious", "fp_tension")


@dataclass(frozen=True)
class MoveLists:
    """The month's moves and their aftermath as the compiled loops read them (game.engine.
    move_kernels), derived once from the compiled scenario: the actions' effects as two tables
    (a scenario without the tempo fields gets actions that end nothing and offer nothing), the
    clause instances that moves invoke, the commitments that moves cross or touch, and the
    flashpoints with the column of State.drawn of each uncertain number (-1: not drawn)."""

    act_i: np.ndarray  # (K, len(ACT_I)) int64
    act_f: np.ndarray  # (K, len(ACT_F)) float64
    tech: np.ndarray  # the instances of tech_cooperation clauses, ascending
    host_neg_zero: bool  # some action's hostility is -0.0 (merging signals must see it)
    com: np.ndarray  # (N, len(COM_COLS)) int64
    exercise: np.ndarray  # (K,) bool: Commitments.exercise_actions (none without commitments)
    fp_i: np.ndarray  # (F, len(FP_I)) int64
    fp_f: np.ndarray  # (F, len(FP_F)) float64: the scenario's values
    fp_col: np.ndarray  # (F, len(FP_F)) int64: their columns of State.drawn, -1 none
    decay_col: int  # the column of State.drawn of the tension decay, -1 none


def move_lists(p: Params) -> MoveLists:
    """The MoveLists of a compiled scenario."""
    n_k = len(p.action_ids)

    def col(name, dtype, default):
        v = getattr(p, name, None)
        return np.full(n_k, default, dtype) if v is None else np.asarray(v).astype(dtype)

    ends = p.action_lowers_to is not None  # without it, no move ends anything
    offer = col("action_offer", np.int64, 0)
    act_i = np.stack(
        [
            col("action_rung", np.int64, -1),
            col("action_spill_rung", np.int64, -1),
            col("action_spill_at", np.int64, 0),
            col("action_lowers_to", np.int64, -1),
            col("action_attack", np.int64, 0),
            col("action_sanction", np.int64, 0),
            col("action_ends_attack", np.int64, 0) if ends else np.zeros(n_k, np.int64),
            offer,
            np.asarray(p.action_needs[:, 1], dtype=np.int64),
            col("action_balance", np.int64, 0),
        ],
        axis=1,
    ).reshape(n_k, len(ACT_I))
    act_f = np.stack(
        [
            col("action_tension", np.float64, 0.0),
            col("action_hostility", np.float64, 0.0),
            col("action_spill_tension", np.float64, 0.0),
            col("action_baseline", np.float64, 0.0) if ends else np.zeros(n_k),
            col("action_ally_tension", np.float64, 0.0),
        ],
        axis=1,
    ).reshape(n_k, len(ACT_F))
    host = act_f[:, 1]
    com = p.commit
    if com is None:
        com_t, exercise = np.zeros((0, len(COM_COLS)), np.int64), np.zeros(n_k, bool)
    else:
        com_t = np.stack([np.asarray(getattr(com, c), dtype=np.int64) for c in COM_COLS], axis=1)
        exercise = np.asarray(com.exercise_actions, dtype=bool).reshape(n_k)
    n_f = p.fp_pairs.shape[0]
    theatre = np.full(n_f, -1) if p.fp_theatre is None else p.fp_theatre
    fp_i = np.stack([p.fp_pairs[:, 0], p.fp_pairs[:, 1], p.fp_rung, theatre], axis=1).astype(
        np.int64
    )
    fp_f = np.stack([np.asarray(getattr(p, c), dtype=np.float64) for c in FP_F], axis=1)
    fp_col = np.array(
        [[p.draw_at.get((c, f), -1) for c in FP_F] for f in range(n_f)], dtype=np.int64
    )
    out = MoveLists(
        act_i=np.ascontiguousarray(act_i),
        act_f=np.ascontiguousarray(act_f),
        tech=np.nonzero(p.inst_kind == KIND["tech_cooperation"])[0].astype(np.int64),
        host_neg_zero=bool(((host == 0) & np.signbit(host)).any()),
        com=np.ascontiguousarray(com_t.reshape(-1, len(COM_COLS))),
        exercise=exercise,
        fp_i=np.ascontiguousarray(fp_i.reshape(n_f, len(FP_I))),
        fp_f=np.ascontiguousarray(fp_f.reshape(n_f, len(FP_F))),
        fp_col=fp_col.reshape(n_f, len(FP_F)),
        decay_col=int(p.draw_at.get(("tension_decay", 0), -1)),
    )
    _read_only(out)
    return out
