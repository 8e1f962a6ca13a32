"""The engine's reason codes: each is true of the move it closes, in every shipped scenario, and
the AI scores exactly the moves the codes leave open."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.ai.policy import scores
from game.engine import legality as lg
from game.engine import treaty_active
from game.engine.names import ATTR, KIND, NEED, NEEDS
from game.engine.step import Context
from game.scenario import load_scenario
from tests.engine.states import random_states

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


@pytest.fixture(scope="module", params=SHIPPED, ids=lambda p: p.stem)
def shipped(request):
    return load_scenario(request.param)


def _linked(p, kind: str, a: int, t: int, active=None) -> bool:
    """A clause of this kind binds a and t (in a treaty in force, if ``active`` is given)."""
    for i in range(p.inst_kind.shape[0]):
        if p.inst_kind[i] != KIND[kind]:
            continue
        if {int(p.inst_party[i]), int(p.inst_by[i])} != {a, t}:
            continue
        if active is None or active[p.inst_treaty[i]]:
            return True
    return False


def expected_code(sc, state, row: int, active: np.ndarray, a: int, k: int, t: int) -> int:
    """The reason a candidate is closed, worked out move by move from the scenario's rules."""
    p, model = sc.params, sc.model
    needs = {n for n in NEEDS if p.action_needs[k, NEED[n]]}
    rung = state.rung[row]
    r = int(rung[a, t])
    war = p.thresholds["war"]
    threat = p.thresholds.get("threat", war)
    avoid_toward = model.actors[a].doctrine.avoid_toward.get(p.actor_ids[t], ())
    arsenal = state.attr[row, a, ATTR["warheads"]] * state.attr[row, a, ATTR["delivery"]]
    causes = [
        ("doctrine", p.action_ids[k] in avoid_toward),
        ("no_tech_link", "tech_clause" in needs and not _linked(p, "tech_cooperation", a, t)),
        ("rung_low", r < p.action_min_rung[k]),
        ("rung_high", r > p.action_max_rung[k]),
        ("no_arsenal", "nuclear" in needs and arsenal <= 0),
        (
            "tech_not_in_force",
            "tech_clause" in needs and not _linked(p, "tech_cooperation", a, t, active),
        ),
        ("not_at_war", "at_war" in needs and r < war),
        ("at_war", "not_at_war" in needs and r >= war),
        ("not_threatened", "target_threatened" in needs and rung[t].max() < threat),
        ("target_not_at_war", "target_at_war" in needs and rung[t].max() < war),
        ("not_attacked", "attacked" in needs and not state.aggressor[row, a, t]),
        (
            "partner_bound",
            p.action_hostility[k] > 0 and _linked(p, "no_hostile_alliance", a, t, active),
        ),
    ]
    return next((lg.CODE[name] for name, hit in causes if hit), lg.OPEN)


def test_reasons_are_true_on_random_states(shipped):
    """Every candidate of 25 random states of each scenario: the code the engine gives is the
    first cause that closes it, and the AI's scores are finite exactly on the open moves."""
    p = shipped.params
    moves = [c for c in range(p.cand_actor.size) if p.cand_action[c] >= 0]
    seen = set()
    for state, rows in random_states(p, 25, seed=11):
        active = treaty_active(p, state)
        codes = lg.move_codes(p, state, active)
        finite = np.isfinite(scores(p, state, Context(p, state)))
        assert np.array_equal(finite, codes == lg.OPEN)
        assert (codes[:, p.actor_cand_start[:-1]] == lg.OPEN).all(), "holding is always open"
        for i in rows:
            for c in moves:
                a, k, t = int(p.cand_actor[c]), int(p.cand_action[c]), int(p.cand_target[c])
                want = expected_code(shipped, state, i, active[i], a, k, t)
                assert codes[i, c] == want, (
                    f"{p.actor_ids[a]} {p.action_ids[k]} -> {p.actor_ids[t]}: "
                    f"{lg.REASONS[codes[i, c]][0]}, expected {lg.REASONS[want][0]}"
                )
                seen.add(want)
    assert lg.OPEN in seen and len(seen) > 3, "the random states exercise several rules"


def test_no_candidate_reasons(shipped):
    """Each (mover, action, target) is a candidate (code 0) or has the reason it is none."""
    p, model = shipped.params, shipped.model
    cands = {
        (int(a), int(k), int(t)) for a, k, t in zip(p.cand_actor, p.cand_action, p.cand_target)
    }
    gaining = {
        e.actor
        for ev in model.events
        for e in ev.effects
        if e.kind == "attr" and e.attr == "warheads"
    }
    for a, actor in enumerate(model.actors):
        d = actor.doctrine
        for k, act in enumerate(model.actions):
            for t in range(p.n_actors):
                code = int(p.no_move_reason[a, k, t])
                if (a, k, t) in cands:
                    assert code == lg.OPEN
                    continue
                tid = p.actor_ids[t]
                if t == a:
                    want = "self"
                elif act.id in d.avoid:
                    want = "not_in_repertoire"
                elif act.actors is not None and actor.id not in act.actors:
                    want = "reserved"
                elif "nuclear" in act.needs and actor.warheads == 0 and actor.id not in gaining:
                    want = "no_nuclear"
                elif act.target == "rival":
                    assert tid not in d.rivals
                    want = "rivals_only"
                elif act.target == "partner":
                    assert tid not in d.partners
                    want = "partners_only"
                else:
                    assert tid not in d.rivals and tid not in d.partners
                    want = "not_rival_or_partner"
                assert lg.REASONS[code][0] == want, (a, act.id, tid)


def test_doctrine_rules_close_moves_in_shipped_scenarios():
    """The doctrine's avoid_toward rules close candidates in the shipped scenarios (the action
    picker once showed them only as 'not open this month')."""
    found = 0
    for path in SHIPPED:
        p = load_scenario(path).params
        for blk in p.move_blocks:
            found += int((blk.codes == lg.DOCTRINE).sum())
    assert found > 0


def test_reason_table():
    names = [name for name, _ in lg.REASONS]
    assert names[0] == "open" and len(set(names)) == len(names)
    assert len(lg.NEED_CODE) == len(NEEDS)
    assert len(lg.REASONS) <= np.iinfo(np.int8).max
    assert set(lg.CANDIDATE_CODES) == {lg.CODE[n] for n in names[: names.index("self")]}


def test_block_table_orders_fixed_causes_before_rungs():
    static = np.array([[lg.OPEN, lg.DOCTRINE]], dtype=np.int8)
    table = lg.block_table(static, np.array([1, 0]), np.array([2, 2]), top=3)
    assert table.shape == (1, 4, 2) and table.dtype == np.int8
    assert list(table[0, :, 0]) == [lg.RUNG_LOW, lg.OPEN, lg.OPEN, lg.RUNG_HIGH]
    assert (table[0, :, 1] == lg.DOCTRINE).all()
