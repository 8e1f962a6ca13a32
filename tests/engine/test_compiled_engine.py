"""The compiled phases of a month equal their numpy definitions bit for bit on recorded states:
the clause step (game.engine.clause_kernels through step._clauses, oracle
tests/engine/oracle_clauses.py), the moves and what follows them (game.engine.move_kernels
through step._moves, the tempo rules, step._incidents, step._drift and step._war_costs, oracle
tests/engine/oracle_moves.py) and the stance changes (game.engine.stance_kernels
through game.engine.stance.update, oracles tests/engine/oracle_stance.py: the numpy code reading
the dense clause records and the list of clauses invoked). Every month of many runs of the shipped
scenarios and of the generated 16-actor scenario, each month's state is given to both, and
every output and every field of the state after them compared."""

from __future__ import annotations

import importlib
from dataclasses import fields, replace
from pathlib import Path

import numpy as np
import pytest

from game.engine.context import treaty_active
from game.engine.state import State, initial_state
from game.montecarlo.runner import run_chunk
from game.scenario import load_scenario
from tests.engine import oracle_clauses, oracle_moves, oracle_stance
from tests.helpers import generated_scenario

ROOT = Path(__file__).resolve().parents[2]
step_mod = importlib.import_module("game.engine.step")


def _same_state(a: State, b: State) -> list[str]:
    out = []
    for f in fields(State):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            if x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes():
                out.append(f.name)
        elif x != y:
            out.append(f.name)
    return out


def _record(monkeypatch, params, runs: int, seed: int = 5) -> dict:
    """Step ``runs`` runs through every month with both clause steps side by side; returns
    how many consultations, assistance, decisions and red-line answers the states held."""
    new = step_mod._clauses
    seen = {"months": 0, "consult": 0, "assist": 0, "declined": 0, "decided": 0, "answered": 0}

    def both(params, state, active, attacked_before, crossed_lines, decisions):
        ref_state = state.copy()
        ref_dec = oracle_clauses._Decisions(
            params, ref_state, active, decisions.asked, decisions.answers
        )
        ref = oracle_clauses._clauses(
            params, ref_state, active, attacked_before, crossed_lines, ref_dec
        )
        out = new(params, state, active, attacked_before, crossed_lines, decisions)
        names = ("consult", "assist", "declined", "answered")
        for name, x, y in zip(names, out, ref):
            assert x.tobytes() == y.tobytes(), f"month {state.turn}: {name} differs"
        assert _same_state(state, ref_state) == [], f"month {state.turn}"
        for name in ("honour", "decline", "odds", "waiting"):
            x, y = getattr(decisions, name), getattr(ref_dec, name)
            assert x.tobytes() == y.tobytes(), f"month {state.turn}: decisions.{name}"
        seen["months"] += 1
        for name, x in zip(names, out):
            seen[name] += int(x.sum())
        seen["decided"] += int(decisions.honour.sum() + decisions.decline.sum())
        return out

    monkeypatch.setattr(step_mod, "_clauses", both)
    run_chunk(params, seed, 0, runs, params.turns)
    return seen


def _record_moves(monkeypatch, params, runs: int, seed: int = 5) -> dict:
    """Step ``runs`` runs through every month with the compiled moves and their aftermath and
    their numpy definitions side by side: the main moves and the signal moves, the balance of
    forces, the offers, ally unease, incidents, drift and war costs. Returns how often each
    did something in the recorded months."""
    import game.engine.tempo as tempo_mod

    seen = dict.fromkeys(
        ("calls", "moves", "signals", "other", "crossed", "balance", "accepted", "unease"), 0
    )
    seen["endings"] = 0  # moves that end fighting or move a baseline as they are made
    seen.update(dict.fromkeys(("incidents", "serious", "up", "down", "at_war"), 0))

    def side_by_side(name, new, ref, count, module=step_mod):
        def both(params, state, *args, **kw):
            # Keywords go to the engine's function alone: the buffers it may write into (the
            # main moves' ``blank`` record), which the numpy definition makes afresh.
            ref_state = state.copy()
            ref_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
            before = state.copy()
            want = ref(params, ref_state, *ref_args)
            got = new(params, state, *args, **kw)
            outs = got if isinstance(got, tuple) else (got,)
            refs = want if isinstance(want, tuple) else (want,)
            for x, y in zip(outs, refs):
                if x is None or y is None:
                    assert x is None and y is None, f"month {state.turn}: {name}"
                else:
                    assert x.tobytes() == y.tobytes(), f"month {state.turn}: {name} differs"
            assert _same_state(state, ref_state) == [], f"month {state.turn}: {name}"
            count(params, before, state, args, got)
            return got

        monkeypatch.setattr(module, name, both)

    def moves_seen(params, before, state, args, out):
        moves, active, *signal = args
        seen["calls"] += 1
        k = params.cand_action[moves]
        seen["signals" if signal else "moves"] += int((k >= 0).sum())
        if params.action_lowers_to is not None:
            kk = np.maximum(k, 0)
            ends = (params.action_lowers_to[kk] >= 0) | (params.action_baseline[kk] != 0)
            if params.action_offer is not None:
                ends &= ~params.action_offer[kk]
            seen["endings"] += int((ends & (k >= 0) & ~before.done[:, None]).sum())
        seen["other"] += int(out[0].sum())
        seen["crossed"] += int(out[1].sum())

    def oracle_moves_both(params, state, moves, active, other=None, crossed=None):
        if other is None:
            return oracle_moves._moves(params, state, moves, active)
        return oracle_moves.apply_signals(params, state, moves, active, other, crossed)

    def changed(key, field):
        def count(params, before, state, args, out):
            seen[key] += int((getattr(before, field) != getattr(state, field)).sum())

        return count

    def accepted(params, before, state, args, out):
        seen["accepted"] += 0 if out is None else int(out.sum())

    def incident(params, before, state, args, out):
        seen["incidents"] += int((out[0] > 0).sum())
        seen["serious"] += int((out[0] == 2).sum())

    def drifted(params, before, state, args, out):
        seen["up"] += int((state.rung > before.rung).sum())
        seen["down"] += int((state.rung < before.rung).sum())

    def at_war(params, before, state, args, out):
        seen["at_war"] += int((state.rung >= params.thresholds["war"]).any(axis=2).sum())

    side_by_side("_moves", step_mod._moves, oracle_moves_both, moves_seen)
    for name, count in (
        ("balance_of_forces", changed("balance", "attr")),
        ("settle_offers", accepted),
        ("ally_unease", changed("unease", "tension")),
    ):
        new, ref = getattr(tempo_mod, name), getattr(oracle_moves, name)
        side_by_side(name, new, ref, count, module=tempo_mod)
    side_by_side("_incidents", step_mod._incidents, oracle_moves.incidents, incident)
    side_by_side("_drift", step_mod._drift, oracle_moves.drift, drifted)
    side_by_side("_war_costs", step_mod._war_costs, oracle_moves.war_costs, at_war)
    run_chunk(params, seed, 0, runs, params.turns)
    return seen


def _scenario(tmp_path, scenario):
    if scenario == "generated-16":
        return load_scenario(generated_scenario(tmp_path, 16)).params
    return load_scenario(ROOT / "scenarios" / f"{scenario}.toml").params


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["treaty-2024", "peninsula-clash", "generated-16"])
def test_compiled_clauses_equal_the_numpy_definition(monkeypatch, tmp_path, scenario):
    params = _scenario(tmp_path, scenario)
    seen = _record(monkeypatch, params, runs=192)
    assert seen["months"] == params.turns
    # The recorded states exercise what the kernels do: consultations, assistance given and
    # declined, decisions taken, red lines answered.
    assert seen["consult"] > 0 and seen["assist"] > 0 and seen["decided"] > 0, seen
    if params.commit.n > params.commit.n_assist:  # the scenario declares red lines
        assert seen["answered"] > 0, seen


def test_compiled_clauses_equal_the_numpy_definition_when_defence_is_attack(monkeypatch):
    """The scenario rule that makes an ally's entry an armed attack takes the other branch of
    the intervention."""
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    params = replace(params, defence_is_attack=True)
    seen = _record(monkeypatch, params, runs=64, seed=9)
    assert seen["assist"] > 0, seen


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["treaty-2024", "peninsula-clash", "generated-16"])
def test_compiled_moves_equal_the_numpy_definition(monkeypatch, tmp_path, scenario):
    params = _scenario(tmp_path, scenario)
    seen = _record_moves(monkeypatch, params, runs=192)
    assert seen["calls"] >= params.turns
    # Every rule of the phases acted in the recorded months (a shipped scenario's only move
    # that ends fighting is an offer, the ceasefire: ended by settle_offers, not as it is made).
    assert all(seen[k] > 0 for k in seen if k not in ("other", "endings")), seen


def test_compiled_moves_equal_the_numpy_definition_on_sanctions_opposed(monkeypatch):
    """A scenario whose allies oppose sanctions on a party: the clause's branch of the move
    application (and, in a shorter record for the quick loop, the rest of the phases)."""
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    seen = _record_moves(monkeypatch, params, runs=256, seed=2)
    assert seen["other"] > 0, seen
    # The quick loop's record meets every rule of the phases too (offers accepted among them).
    assert all(v > 0 for k, v in seen.items() if k != "endings"), seen


def test_compiled_moves_equal_the_numpy_definition_on_moves_that_end_fighting(monkeypatch):
    """A ceasefire that is not an offer ends the fighting and lowers the baseline as it is made,
    and a summit that lowers the baseline moves it: the move application's branch for such
    moves, which no shipped scenario's move takes."""
    sets = {"actions.ceasefire.offer": False, "actions.summit.baseline": -5.0}
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml", sets).params
    seen = _record_moves(monkeypatch, params, runs=128, seed=3)
    assert seen["endings"] > 0, seen


def _record_stances(monkeypatch, params, runs: int, seed: int = 5) -> dict:
    """Step ``runs`` runs through every month with both stance updates side by side; returns
    how many stances changed for a treaty invoked, and in all."""
    import game.engine.stance as stance_mod

    new = stance_mod.update
    seen = {"months": 0, "treaty": 0, "changed": 0, "reasons": [0] * len(stance_mod.REASONS)}

    def both(params, state, moves, *changed, invoked=None):
        ref_state, lists_state = state.copy(), state.copy()
        ref = oracle_stance.update(params, ref_state, moves, *changed)
        lists = oracle_stance.update(params, lists_state, moves, *changed, invoked=invoked)
        out = new(params, state, moves, *changed, invoked=invoked)
        for name in ("before", "after", "reason", "detail"):
            x, y, z = getattr(out, name), getattr(ref, name), getattr(lists, name)
            assert x.dtype == y.dtype == z.dtype, f"month {state.turn}: {name} dtype differs"
            assert x.tobytes() == y.tobytes(), f"month {state.turn}: {name} differs"
            assert x.tobytes() == z.tobytes(), f"month {state.turn}: {name} differs (lists)"
        assert _same_state(state, ref_state) == [], f"month {state.turn}"
        assert _same_state(state, lists_state) == [], f"month {state.turn} (lists)"
        for why in range(1, len(stance_mod.REASONS)):
            seen["reasons"][why] += int((out.reason == why).sum())
        seen["months"] += 1
        seen["treaty"] += int((out.reason == stance_mod.TREATY).sum())
        seen["changed"] += int((out.reason != 0).sum())
        return out

    monkeypatch.setattr(stance_mod, "update", both)
    run_chunk(params, seed, 0, runs, params.turns)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["treaty-2024", "peninsula-clash", "generated-16"])
def test_stances_read_from_the_clauses_invoked_equal_the_numpy_definition(
    monkeypatch, tmp_path, scenario
):
    params = _scenario(tmp_path, scenario)
    seen = _record_stances(monkeypatch, params, runs=192)
    assert seen["months"] == params.turns
    assert seen["treaty"] > 0, seen
    # Every reason a stance changes for is met in the recorded months (the generated scenario's
    # pairs cross no threshold by a rung's rise that leaves them free to turn).
    import game.engine.stance as stance_mod

    met = [why for why, n in enumerate(seen["reasons"]) if n]
    want = set(range(1, len(stance_mod.REASONS)))
    if scenario == "generated-16":
        want.discard(stance_mod.THRESHOLD)
    assert want <= set(met), seen


def test_compiled_stances_equal_the_numpy_definitions(monkeypatch):
    """A shorter record for the quick loop."""
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    seen = _record_stances(monkeypatch, params, runs=48, seed=11)
    assert seen["months"] == params.turns and seen["changed"] > 0, seen


def _drift_numpy(params, state, hostile) -> None:
    """The numpy definition of the rungs' drift with tension, before its tables (the oracle of
    step._drift)."""
    from game.engine import draws

    decay = draws.at(params, state, "tension_decay", 0, params.tension_decay)
    if np.ndim(decay):
        decay = decay[:, None, None]
    state.tension += decay * (state.baseline - state.tension)
    r = state.rung.astype(np.int64)
    top = len(params.rung_ids) - 1
    nxt = np.minimum(r + 1, top)
    up = (state.tension >= params.rung_up[nxt]) & (r < top)
    touched = (hostile > 0) | (np.swapaxes(hostile, 1, 2) > 0)
    down = (state.tension < params.rung_down[r]) & (r > 0) & ~touched & ~up
    new = r + up - down
    n_a = params.n_actors
    new[:, np.arange(n_a), np.arange(n_a)] = 0
    state.rung = new.astype(np.int16)
    state.aggressor &= state.rung >= params.thresholds["armed_clash"]


def test_drift_by_tables_equals_the_numpy_definition():
    """Every rung, at tensions on both sides of its drift bounds and on them, with and without
    hostile moves between the pair; and the armed attacks that end as their pair drifts below
    the armed clash rung."""
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    from game.engine.state import initial_state

    gen = np.random.default_rng(4)
    state = initial_state(params, 1, np.arange(512))
    n_a, top = params.n_actors, len(params.rung_ids) - 1
    rung = gen.integers(0, top + 1, (512, n_a, n_a)).astype(np.int16)
    state.rung = np.triu(rung, 1) + np.swapaxes(np.triu(rung, 1), 1, 2)
    bounds = np.concatenate([params.rung_up[np.isfinite(params.rung_up)], params.rung_down])
    ten = gen.choice(np.concatenate([bounds, bounds + 0.5, bounds - 0.5, [0.0, 100.0]]), rung.shape)
    state.tension = np.clip(np.triu(ten, 1) + np.swapaxes(np.triu(ten, 1), 1, 2), 0, 100)
    hostile = np.where(gen.random(rung.shape) < 0.2, 0.5, 0.0)
    state.aggressor = gen.random(rung.shape) < 0.3  # some on the diagonal: cleared too
    ref, before, attacks = state.copy(), state.rung.copy(), state.aggressor.copy()
    step_mod._drift(params, state, hostile)
    _drift_numpy(params, ref, hostile)
    assert state.rung.dtype == ref.rung.dtype
    assert np.array_equal(state.rung, ref.rung) and np.array_equal(state.tension, ref.tension)
    assert np.array_equal(state.aggressor, ref.aggressor)
    assert (state.rung > before).any() and (state.rung < before).any()  # drift both ways
    assert (attacks & ~state.aggressor).any() and state.aggressor.any()  # ended and kept


@pytest.mark.parametrize("name", ["treaty-2024", "peninsula-clash", "treaty-1961"])
def test_a_batch_stepped_in_place_equals_one_stepped_anew_in_every_month(name):
    """Months stepped in place pass over the consultation rows whose party's rungs have not
    moved since the scan last saw them (``clause_kernels.scan`` with ``memo``); months stepped
    anew walk every row. The two states agree in every field, every month."""
    from game.engine.step import _KeptRecords
    from game.sim import months

    params = load_scenario(ROOT / "scenarios" / f"{name}.toml").params
    start = initial_state(params, 5, np.arange(128))
    anew = [s.copy() for _, s in months(params, start, params.turns)]
    n = 0
    for m, (_, s) in enumerate(months(params, start, params.turns, recycle=True)):
        for f in fields(State):
            a, b = getattr(s, f.name), getattr(anew[m], f.name)
            assert np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b, (m, f.name)
        n += 1
    kept = _KeptRecords.of(params, s)
    assert n == len(anew) and kept.scanned and kept.was_on.any()  # the memory was read


def test_the_records_of_months_stepped_in_place_equal_those_of_months_stepped_anew():
    """A batch stepped in place keeps its clause records from month to month and clears them
    only where the month before wrote, and its copies of the rungs at the month's start: every
    month's records equal those made afresh."""
    from game.sim import months

    # The peninsula's war: pledges are honoured and declined (in the default scenario, the
    # pledges triggered are mostly of allies already fighting, which honour them).
    params = load_scenario(ROOT / "scenarios" / "peninsula-clash.toml").params
    start = initial_state(params, 7, np.arange(96))
    names = ("consult", "assist", "declined", "honour", "decline", "odds", "asked", "answered")
    names += ("rung_before", "rung_after", "other")
    fresh = [{n: getattr(rec, n).tobytes() for n in names} for rec, _ in months(params, start, 24)]
    seen = dict.fromkeys(names, 0)
    for m, (rec, _) in enumerate(months(params, start, 24, recycle=True)):
        for n in names:
            assert getattr(rec, n).tobytes() == fresh[m][n], f"month {m}: {n}"
            seen[n] += int(np.count_nonzero(getattr(rec, n)))
    # The months recorded wrote and cleared each kind of record.
    assert all(seen[n] > 0 for n in ("consult", "assist", "declined", "honour", "odds")), seen
    assert seen["other"] > 0, seen


def test_the_rows_the_moves_write_are_cleared_as_spans_of_consecutive_instances(monkeypatch):
    """A batch stepped in place clears only the rows of ``other`` the moves may write, as
    slices: together they hold those rows, each once, and no other."""
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    for rows in ([2, 3, 4, 9, 11, 12], [5], [], [0, 1, 2]):
        monkeypatch.setattr(step_mod, "other_rows", lambda p, rows=rows: np.array(rows, np.int64))
        spans = step_mod.other_spans(params)
        covered = [i for sl in spans for i in range(sl.start, sl.stop)]
        assert covered == rows
        assert all(a.stop < b.start for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize("change", ["spill", "negative zero"])
def test_compiled_signal_moves_equal_the_numpy_definition_where_they_spill_or_say_minus_zero(
    monkeypatch, change
):
    """The signal moves merge their hostility only where they set it, unless they spill over
    onto the target's enemies or some action's hostility is a negative zero: scenarios whose
    signals do each (treaty-2024's do neither) take the merge over the whole row."""
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    sig = params.action_signal
    if change == "spill":
        spill = np.where(sig, 2.0, params.action_spill_tension)
        params = replace(
            params,
            action_spill_tension=spill,
            action_spill_at=np.where(sig, 0, params.action_spill_at),
        )
    else:
        first = np.nonzero(sig)[0][0]
        hostility = params.action_hostility.copy()
        hostility[first] = -0.0
        params = replace(params, action_hostility=hostility)
        assert params.move_lists.host_neg_zero
    seen = _record_moves(monkeypatch, params, runs=64, seed=4)
    assert seen["signals"] > 0, seen


def test_entrapment_on_a_mutual_pair_near_the_top_equals_the_numpy_definition():
    """A mutual treaty's two pledges worry the same pair: where both parties make hostile moves
    in one month, the pair takes both worries, and near 100 the clip binds. The compiled loop
    clips after each worry, the numpy definition once after both: the same bits."""
    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    ids = params.actor_ids
    usa, kor, prk = ids.index("USA"), ids.index("KOR"), ids.index("PRK")
    com = params.commit
    pledged = {(int(com.by[n]), int(com.party[n])) for n in range(com.n_assist)}
    assert {(usa, kor), (kor, usa)} <= pledged  # the mutual pair
    runs = 64
    state = initial_state(params, 1, np.arange(runs))
    start = np.linspace(90.0, 100.0, runs)  # the last runs start at the top
    state.tension[:, usa, kor] = start
    state.tension[:, kor, usa] = start
    hold = params.actor_cand_start[:-1]
    moves = np.broadcast_to(hold, (runs, params.n_actors)).copy()
    for mover, action in ((usa, "exercise"), (kor, "sanction")):
        k = params.action_ids.index(action)
        c = np.nonzero(
            (params.cand_actor == mover) & (params.cand_action == k) & (params.cand_target == prk)
        )[0]
        assert c.size == 1, action
        moves[:, mover] = c[0]
    active = treaty_active(params, state)
    ref = state.copy()
    got = step_mod._moves(params, state, moves, active)
    want = oracle_moves._moves(params, ref, moves, active)
    for x, y in zip(got, want):
        assert x.tobytes() == y.tobytes()
    assert _same_state(state, ref) == []
    # Both worries reached the pair, and the clip bound in the runs that started near the top.
    moved = state.tension[:, usa, kor] - start
    assert (moved[start < 95] > 0).all()
    assert ((start < 100.0) & (state.tension[:, usa, kor] == 100.0)).sum() >= 3


def test_an_answer_alone_turns_a_pledged_pair_to_coercion():
    """A pair with nothing else between its two sides this month, but the answer to one of its
    red lines or pledges, is settled by rule 3 (a red line answered), as the numpy definition
    settles it; its other runs count a month of quiet."""
    import game.engine.stance as stance_mod

    params = load_scenario(ROOT / "scenarios" / "treaty-2024.toml").params
    from game.engine.state import initial_state

    lists = params.kept("stance_lists", stance_mod._lists)
    pledged = np.flatnonzero(lists.com_start[1:] != lists.com_start[:-1])
    assert pledged.size, "the scenario holds a pair with a red line or pledge"
    p = int(pledged[0])
    n = int(lists.com_n[lists.com_start[p]])
    state = initial_state(params, 2, np.arange(32))
    state.stance[:] = stance_mod.WAIT
    hold = np.broadcast_to(params.actor_cand_start[:-1], (32, params.n_actors)).copy()
    answered = np.zeros((32, params.commit.n), dtype=bool)
    answered[::2, n] = True
    none = np.zeros(state.consult_level.shape, dtype=bool)
    quiet = np.zeros((32, params.fp_pairs.shape[0]), dtype=np.int8)
    ref = state.copy()
    args = (hold, state.rung.copy(), state.aggressor.copy(), quiet, none, none, answered)
    got = stance_mod.update(params, state, *args)
    want = oracle_stance.update(params, ref, *args)
    assert got.reason.tobytes() == want.reason.tobytes()
    assert (got.reason[::2, p] == stance_mod.RED_LINE).all()
    assert (got.reason[1::2, p] != stance_mod.RED_LINE).all()
    assert (state.stance_quiet[1::2] == ref.stance_quiet[1::2]).all()
