"""Which moves are open, and for every closed one the reason: the rules of the move catalogue.

Each of an actor's candidate moves (an action aimed at a target, see ``Params.move_blocks``)
gets a reason code every month: ``OPEN`` (0) or the first cause, in the order of ``REASONS``,
that closes it. The AI scores only the open moves and the player's action picker turns the codes
into words; neither decides anything itself.

Causes fixed by the scenario (the doctrine rules an action out toward a target, no treaty ever
gives the pair a defence-technology clause) and the rung range of each action are laid out when
the scenario is compiled, in each block's (targets, rungs, actions) table (``block_table``);
the causes that depend on the run (``failures``) are checked on dense (runs, targets) blocks,
with no loop over runs. The AI closes its scores with the same two: its score table is -inf
where the code table closes a move, and it closes the columns each failure names.
Combinations that are no candidate at all (an action outside the actor's repertoire, a rival's
move toward a partner) have their own codes, fixed at compile time in ``Params.no_move_reason``.
"""

from __future__ import annotations

import numpy as np

from .names import ATTR, KIND, NEED, NEEDS
from .params import MoveBlock, Params
from .state import State

# (name, what it means). The code of a reason is its position; 0 is an open move.
REASONS = (
    ("open", "the move is open"),
    # Fixed by the scenario (compile time).
    ("doctrine", "the mover's doctrine rules the action out toward this target"),
    ("no_tech_link", "no treaty gives the pair a defence-technology clause"),
    # The pair's rung.
    ("rung_low", "the pair's rung is below the action's lowest rung"),
    ("rung_high", "the pair's rung is above the action's highest rung"),
    # The action's needs (one per column of names.NEEDS, in that order).
    ("no_arsenal", "the mover has no deliverable nuclear arsenal"),
    ("tech_not_in_force", "no defence-technology clause between the pair is in force"),
    ("not_at_war", "the action needs war in the pair"),
    ("at_war", "the action needs peace in the pair"),
    ("not_threatened", "the target is not threatened (no pair of its at the threat rung)"),
    ("target_not_at_war", "the target is not at war with anyone"),
    ("not_attacked", "the target is not attacking the mover's territory"),
    # Treaties.
    ("partner_bound", "a no-hostile-alliance clause in force binds the pair (hostile moves)"),
    # No candidate at all (compile time, Params.no_move_reason).
    ("self", "the target is the mover itself"),
    ("not_in_repertoire", "the mover's doctrine never uses the action"),
    ("no_nuclear", "the mover has no warheads and no event can give it any"),
    ("rivals_only", "the action is aimed at rivals and the target is not one"),
    ("partners_only", "the action is aimed at partners and the target is not one"),
    ("not_rival_or_partner", "the target is neither a rival nor a partner of the mover"),
    ("reserved", "the action is reserved to other states (its 'actors')"),
)
CODE = {name: i for i, (name, _) in enumerate(REASONS)}
OPEN = CODE["open"]
DOCTRINE = CODE["doctrine"]
NO_TECH_LINK = CODE["no_tech_link"]
RUNG_LOW = CODE["rung_low"]
RUNG_HIGH = CODE["rung_high"]
PARTNER_BOUND = CODE["partner_bound"]
SELF = CODE["self"]
NOT_IN_REPERTOIRE = CODE["not_in_repertoire"]
NO_NUCLEAR = CODE["no_nuclear"]
RIVALS_ONLY = CODE["rivals_only"]
PARTNERS_ONLY = CODE["partners_only"]
NOT_RIVAL_OR_PARTNER = CODE["not_rival_or_partner"]
RESERVED = CODE["reserved"]
# The code of each unmet need, in the order of names.NEEDS.
NEED_CODE = tuple(
    CODE[n]
    for n in (
        "no_arsenal",
        "tech_not_in_force",
        "not_at_war",
        "at_war",
        "not_threatened",
        "target_not_at_war",
        "not_attacked",
    )
)
assert len(NEED_CODE) == len(NEEDS)
# Codes a candidate can carry in a month (the others mean there is no candidate).
CANDIDATE_CODES = frozenset(range(CODE["self"]))


# ---------------------------------------------------------------- compile time


def links_ever(
    inst_kind: np.ndarray, inst_party: np.ndarray, inst_by: np.ndarray, n_actors: int, kind: str
) -> np.ndarray:
    """(A, A) bool: some clause of this kind, in any treaty, links the pair (either way)."""
    out = np.zeros((n_actors, n_actors), dtype=bool)
    sel = inst_kind == KIND[kind]
    out[inst_party[sel], inst_by[sel]] = True
    return out | out.T


def static_codes(needs: np.ndarray, avoided: np.ndarray, tech_link: np.ndarray) -> np.ndarray:
    """(T, K) int8 causes fixed by the scenario for a block's targets and actions.

    ``needs`` (K, len(NEEDS)) are the actions' needs, ``avoided`` (T, K) where the doctrine rules
    the action out toward the target, ``tech_link`` (T,) whether a defence-technology clause
    links the mover and the target in some treaty.
    """
    no_link = needs[None, :, NEED["tech_clause"]] & ~tech_link[:, None]
    out = np.where(no_link, NO_TECH_LINK, OPEN)
    return np.where(avoided, DOCTRINE, out).astype(np.int8)


def block_table(
    static: np.ndarray, min_rung: np.ndarray, max_rung: np.ndarray, top: int
) -> np.ndarray:
    """(T, R, K) int8 code of each target and action at each current rung of the pair, from
    the block's fixed causes ``static`` (T, K) and the actions' rung ranges (K,)."""
    levels = np.arange(top + 1)[:, None]
    rung = np.where(
        levels < min_rung[None, :], RUNG_LOW, np.where(levels > max_rung[None, :], RUNG_HIGH, OPEN)
    )
    return np.where(static[:, None, :] != OPEN, static[:, None, :], rung[None]).astype(np.int8)


# ---------------------------------------------------------------- each month


def links(params: Params, active: np.ndarray, kind: str) -> np.ndarray | None:
    """(B, A, A) bool: a clause of this kind in force binds the pair (either way); None if the
    scenario has no such clause."""
    insts = params.inst_of_kind[kind]
    if params.inst_count(insts) == 0:
        return None
    b, n_a = active.shape[0], params.n_actors
    out = np.zeros((b, n_a, n_a), dtype=bool)
    for i in np.arange(params.inst_kind.shape[0])[insts]:
        p, q = params.inst_party[i], params.inst_by[i]
        on = active[:, params.inst_treaty[i]]
        out[:, p, q] |= on
        out[:, q, p] |= on
    return out


def threat_rung(params: Params) -> int:
    """The rung from which a pair counts as a threat (needs 'target_threatened')."""
    return int(params.thresholds.get("threat", params.thresholds["war"]))


class PairFacts:
    """The per-pair facts of one month that decide which moves are open."""

    def __init__(self, params: Params, state: State, active: np.ndarray):
        self.params = params
        self.rung_int = state.rung  # (B, A, A)
        war = params.thresholds["war"]
        self.at_war = state.rung >= war
        arsenal = state.attr[:, :, ATTR["warheads"]] * state.attr[:, :, ATTR["delivery"]]
        self.has_nuclear = arsenal > 0  # (B, A)
        self.attacked = state.aggressor  # (B, A, A) [victim, attacker]: an attack under way
        self.worst = state.rung.max(axis=2)  # (B, A): each actor's most dangerous pair
        self.threat_level = threat_rung(params)
        self.war_level = war
        self._active = active
        self._tech = None
        self._nha = None

    def tech(self) -> np.ndarray | None:
        if self._tech is None:
            self._tech = links(self.params, self._active, "tech_cooperation")
        return self._tech

    def nha(self) -> np.ndarray | None:
        if self._nha is None:
            self._nha = links(self.params, self._active, "no_hostile_alliance")
        return self._nha

    def need_met(self, j: int, a: int, tg: np.ndarray) -> np.ndarray:
        """(B, T) or (B, 1) bool: need ``j`` (column of names.NEEDS) holds for mover ``a``
        toward each of the targets ``tg``."""
        if j == NEED["nuclear"]:
            return self.has_nuclear[:, a][:, None]
        if j == NEED["tech_clause"]:
            tech = self.tech()
            if tech is None:
                return np.zeros((self.rung_int.shape[0], 1), dtype=bool)
            return tech[:, a, tg]
        if j == NEED["at_war"]:
            return self.at_war[:, a, tg]
        if j == NEED["not_at_war"]:
            return ~self.at_war[:, a, tg]
        if j == NEED["target_threatened"]:
            return self.worst[:, tg] >= self.threat_level
        if j == NEED["target_at_war"]:
            return self.worst[:, tg] >= self.war_level
        if j == NEED["attacked"]:
            return self.attacked[:, a, tg]
        raise ValueError(f"no need with column {j}")  # pragma: no cover


def failures(facts: PairFacts, blk: MoveBlock):
    """The run-dependent causes that close moves of a block, in order of precedence: yields
    (action columns, (B, T) or (B, 1) bool where the cause holds, reason code)."""
    a, tg = blk.actor, blk.targets
    for j, cols in blk.need_cols:
        fail = ~facts.need_met(j, a, tg)
        if fail.any():
            yield cols, fail, NEED_CODE[j]
    if blk.hostile_cols.size:
        nha = facts.nha()
        if nha is not None:
            bound = nha[:, a, tg]
            if bound.any():
                yield blk.hostile_cols, bound, PARTNER_BOUND


def block_codes(facts: PairFacts, blk: MoveBlock, rows: np.ndarray | None = None) -> np.ndarray:
    """(B, T, K) int8 reason code of every move of a block in every run (0 = open): the first
    of the causes fixed by the scenario, the rung range and ``failures``.

    ``rows`` (B, T) may pass ``blk.rows`` of the pairs' current rungs, if already at hand.
    """
    if rows is None:
        rows = blk.rows(facts.rung_int[:, blk.actor, blk.targets])
    codes = np.take(blk.code_rows, rows, axis=0)  # (B, T, K): fixed causes and rung ranges
    for cols, fail, code in failures(facts, blk):
        sub = codes[:, :, cols]
        codes[:, :, cols] = np.where((sub == OPEN) & fail[:, :, None], np.int8(code), sub)
    return codes


def move_codes(params: Params, state: State, active: np.ndarray) -> np.ndarray:
    """(B, C) int8 reason code of every candidate move in every run; holding is always open.

    ``active`` (B, T) are the treaties in force this month (``context.treaty_active``).
    """
    facts = PairFacts(params, state, active)
    out = np.zeros((state.batch, params.cand_actor.shape[0]), dtype=np.int8)
    for blk in params.move_blocks:
        c = block_codes(facts, blk)
        out[:, blk.start : blk.start + c.shape[1] * c.shape[2]] = c.reshape(state.batch, -1)
    return out
