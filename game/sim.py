"""Playing scenarios forward: whole batches, and the month-by-month log of a single run."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from game.ai import doctrine_policy
from game.engine import Params, State, TurnRecord, draws, initial_state, rng, step
from game.engine.commitments import RED_LINE, TYPE_NAMES
from game.engine.outcome import classify, end_reason, score
from game.engine.params import ATTR, KIND
from game.engine.stance import changes as stance_changes
from game.engine.state import branch
from game.engine.step import Context
from game.engine.theatres import where_reached


def months(
    params: Params,
    state: State,
    turns: int | None = None,
    policy=doctrine_policy,
    recycle: bool = False,
    recycle_start: bool = False,
) -> Iterator[tuple[TurnRecord, State]]:
    """Step a batch month by month from ``state``: yields each month's record and the state
    after it, ``turns`` times (by default to the scenario's end), stopping early once every
    run has ended. The input state is not modified. With ``recycle`` every month after the
    first steps the state yielded before it in place (no state allocated): a yielded state,
    and the clause and decision arrays of its record, are good only until the next month is
    asked for. With ``recycle_start`` too, the first month steps ``state`` itself in place (a
    caller that made it for this and gives it up)."""
    left = params.turns - state.turn if turns is None else int(turns)
    for n in range(max(left, 0)):
        own = recycle and (n > 0 or recycle_start)
        state, rec = step(params, state, policy, in_place=own)
        yield rec, state
        if state.done.all():
            break


def play(
    params: Params,
    seed: int,
    runs,
    turns: int | None = None,
    on_turn: Callable[[TurnRecord, State], None] | None = None,
    policy=doctrine_policy,
    state: State | None = None,
    recycle: bool = False,
) -> State:
    """Step the given runs of the batch ``seed`` for ``turns`` months; return the final state.

    From the scenario's start unless ``state`` is given: then every run continues from row 0
    of that state (``game.engine.state.branch``), and ``turns`` defaults to the months left.
    With ``recycle`` the months are stepped in place (``months``): the state ``on_turn`` is
    given is good only during the call.
    """
    start = (
        initial_state(params, seed, runs)
        if state is None
        else branch(state, seed, runs, params=params)
    )
    final = start
    # The start is made here and given up: with ``recycle`` its first month steps it in place.
    for rec, final in months(params, start, turns, policy, recycle, recycle_start=True):
        if on_turn is not None:
            on_turn(rec, final)
    return final


def questions(params: Params) -> list[dict]:
    """The scenario's forecast questions ([[questions]]): id, name, description, the compiled
    condition ``when`` and ``by``, the last month that counts."""
    return params.extra.get("questions", [])


def question_hits(params: Params, state: State) -> np.ndarray:
    """(B, Q) bool: each question's condition holds on ``state`` in a month that still counts
    (the month just played, ``state.turn - 1``, is on or before the question's date)."""
    qs = questions(params)
    out = np.zeros((state.batch, len(qs)), dtype=bool)
    if not qs:
        return out
    ctx = Context(params, state)
    month = state.turn - 1
    for q, spec in enumerate(qs):
        if month <= spec["by"]:
            out[:, q] = spec["when"].truth(ctx)
    return out


class QuestionTracker:
    """The first month each question resolved yes in each run (-1: not by its date)."""

    def __init__(self, params: Params, batch: int):
        self.params = params
        self.first = np.full((batch, len(questions(params))), -1, dtype=np.int16)

    def on_turn(self, rec: TurnRecord, state: State) -> None:
        if not self.first.shape[1]:
            return
        live = ~state.done | rec.ended
        hit = question_hits(self.params, state) & live[:, None] & (self.first < 0)
        self.first[hit] = rec.turn


def _pair(params: Params, i: int, j: int) -> list[str]:
    return [params.actor_ids[i], params.actor_ids[j]]


def turn_events(params: Params, rec: TurnRecord, row: int = 0) -> list[dict]:
    """The events of one month of one run, in the order they happened."""
    ids = params.actor_ids
    out: list[dict] = []
    for e in np.nonzero(rec.events[row])[0]:
        ev = params.events[e]
        out.append({"kind": "event", "id": ev.id, "name": ev.name, "headline": ev.headline})
    for a in range(params.n_actors):
        refused = rec.accepted is not None and not rec.accepted[row, a]
        out += _action_event(params, a, int(rec.moves[row, a]), refused=refused)
        if rec.signals is not None:
            out += _action_event(params, a, int(rec.signals[row, a]), signal=True)
    for f in np.nonzero(rec.incidents[row])[0]:
        i, j = params.fp_pairs[f]
        serious = bool(rec.incidents[row, f] == 2)
        ev = {
            "kind": "incident",
            "name": params.fp_names[f],
            "pair": _pair(params, i, j),
            "serious": serious,
        }
        if serious:
            ev["by"] = ids[int(rec.incident_by[row, f])]
        out.append(ev)
    before, after = rec.rung_before[row], rec.rung_after[row]
    ii, jj = np.nonzero(np.triu(before != after, 1))
    for i, j in zip(ii, jj):
        out.append(
            {
                "kind": "rung",
                "pair": _pair(params, i, j),
                "from": params.rung_ids[before[i, j]],
                "to": params.rung_ids[after[i, j]],
                "name": params.rung_names[after[i, j]],
                "direction": "up" if after[i, j] > before[i, j] else "down",
            }
        )
    out += _commitment_events(params, rec, row)
    out += _nuclear_events(params, rec, row)
    for kind, arr in (
        ("consultation", rec.consult),
        ("assistance", rec.assist),
        ("clause", rec.other),
    ):
        inst, against = np.nonzero(arr[row])
        for i, o in zip(inst, against):
            q = params.inst_clause[i]
            treaty, clause = params.clause_keys[q].split(".", 1)
            out.append(
                {
                    "kind": kind,
                    "treaty": treaty,
                    "clause": clause,
                    "article": params.clause_names[q],
                    "clause_kind": _KIND_NAMES[params.inst_kind[i]],
                    "party": ids[params.inst_party[i]],
                    "by": ids[params.inst_by[i]],
                    "against": ids[o],
                }
            )
    if rec.stance is not None:
        out += stance_changes(params, rec.stance, row)
    if rec.ended[row]:
        out.append({"kind": "end", "reason": end_reason()})
    return out


_KIND_NAMES = {v: k for k, v in KIND.items()}


def _action_event(
    params: Params, a: int, c: int, signal: bool = False, refused: bool = False
) -> list[dict]:
    """The move of actor ``a`` (candidate ``c``) as a log event; none for holding. A signal
    move (game.engine.tempo) is marked so; an offer (a ceasefire) says whether it was refused
    (``refused``: the month's answer, game.engine.tempo.settle_offers)."""
    k = int(params.cand_action[c])
    if k < 0:
        return []
    t = int(params.cand_target[c])
    ids = params.actor_ids
    offer = params.action_offer is not None and bool(params.action_offer[k])
    refused = offer and refused
    text = params.action_refused[k] if refused else params.action_headlines[k]
    head = text.format(
        actor=params.actor_names[a], target=params.actor_names[t], action=params.action_names[k]
    )
    ev = {
        "kind": "action",
        "actor": ids[a],
        "action": params.action_ids[k],
        "target": ids[t],
        "headline": head,
    }
    if signal:
        ev["signal"] = True
    if offer:
        ev["accepted"] = not refused
    return [ev]


def _commitment_events(params: Params, rec: TurnRecord, row: int) -> list[dict]:
    """Red lines crossed, decisions on triggered commitments (who weighed which, with the odds
    and the credibility before and after), decisions awaited from a player, answers given."""
    com, ids = params.commit, params.actor_ids
    out: list[dict] = []

    def base(n: int) -> dict:
        d = {
            "commitment": com.keys[n],
            "name": com.names[n],
            "type": TYPE_NAMES[com.kind[n]],
            "by": ids[com.by[n]],
            "party": ids[com.party[n]],
        }
        if com.kind[n] == RED_LINE:
            d["action"] = params.action_ids[com.action[n]]
            if com.target[n] >= 0:
                d["target"] = ids[com.target[n]]
        return d

    for n in np.nonzero(rec.red_line[row])[0]:
        out.append({"kind": "red_line", **base(n)})
    decided = rec.honour[row] | rec.decline[row]
    for n, o in zip(*np.nonzero(decided)):
        ev = {"kind": "decision", **base(n), "against": ids[o]}
        ev["honoured"] = bool(rec.honour[row, n, o])
        # Whole, not rounded: a share rounded twice (here, then in a sentence) may read one
        # point off the same share rounded once elsewhere (the preview of a move).
        ev["odds"] = float(rec.odds[row, n, o])
        ev["credibility_before"] = float(rec.cred_before[row, n])
        ev["credibility_after"] = float(rec.cred_after[row, n])
        out.append(ev)
    for n, o in zip(*np.nonzero(rec.asked[row])):
        out.append({"kind": "asked", **base(n), "against": ids[o]})
    for n in np.nonzero(rec.answered[row])[0]:
        ev = {"kind": "red_line_answer", **base(n)}
        ev["rung"] = params.rung_ids[com.response[n]]
        out.append(ev)
    return out


def _nuclear_events(params: Params, rec: TurnRecord, row: int) -> list[dict]:
    """Wars between nuclear powers that went to nuclear alert, and the world's answer to a
    state's nuclear use (game.engine.nuclear)."""
    nr, ids, out = params.nuclear, params.actor_ids, []
    if nr is None or rec.nuclear_alert is None:
        return out
    for p in np.nonzero(rec.nuclear_alert[row])[0]:
        i, j = nr.pairs[p]
        out.append(
            {
                "kind": "nuclear_alert",
                "pair": _pair(params, i, j),
                "rung": params.rung_ids[nr.alert_rung],
            }
        )
    for u in np.nonzero(rec.nuclear_used[row])[0]:
        partner = params.partners[u] | params.partners[:, u]
        armed = params.attr0[:, ATTR["warheads"]] > 0
        others = [x for x in range(params.n_actors) if x != u]
        ev = {"kind": "world_reaction", "user": ids[u], "tension": nr.world_tension}
        ev["alerts"] = (
            [ids[x] for x in others if armed[x] and not partner[x]]
            if nr.reaction_alert >= 0
            else []
        )
        ev["sanctions"] = (
            [ids[x] for x in others if not partner[x]] if nr.reaction_sanctions >= 0 else []
        )
        ev["partners_break"] = [ids[x] for x in others if partner[x]] if nr.partner_break else []
        out.append(ev)
    return out


def warm(params: Params) -> None:
    """Play one month of one run, for its side effect: the engine's compiled kernels are loaded
    into this process (and compiled into numba's cache if it lacks them), so that the next
    month played does not wait for them (about a second)."""
    run_log(params, 0, 0, 1)
    # The draws from weights kept apart, which a month a player's moves are fixed in takes
    # (the AI's own months draw in the score kernel).
    state = initial_state(params, 0, [0])
    ctx = Context(params, state)
    ctx.moves_fixed = True
    doctrine_policy(params, state, ctx)
    # The draws of a few entries, which a first month may not take (decisions on pledges).
    rng.uniforms_each(np.zeros(0, dtype=np.uint64), 0, 0, np.zeros(0, dtype=np.int64))


def run_log(params: Params, seed: int, run: int = 0, turns: int | None = None) -> dict:
    """The full log of run ``run`` of batch ``seed``: {scenario, seed, run, turns, outcome}."""
    months: list[dict] = []
    tracker = QuestionTracker(params, 1)

    def collect(rec: TurnRecord, state: State) -> None:
        tracker.on_turn(rec, state)
        months.append(
            {
                "turn": rec.turn,
                "date": params.date_label(rec.turn),
                "events": turn_events(params, rec),
            }
        )

    final = play(params, seed, [run], turns, on_turn=collect)
    out = {
        "scenario": params.scenario_id,
        "seed": int(seed),
        "run": int(run),
        "turns": months,
        "outcome": outcome_summary(params, final, 0),
    }
    if questions(params):
        ended = bool(final.done[0])
        out["questions"] = question_results(params, tracker.first[0], len(months), ended)
    return out


def question_results(params: Params, first: np.ndarray, played: int, ended: bool = False) -> dict:
    """How each question resolved in one run: yes (with the month), no, or open when the run
    stopped before the question's date (``played`` months, fewer than the scenario's) and had
    not ended (``ended``: the game is over, and what has not come true will not)."""
    out = {}
    for q, spec in enumerate(questions(params)):
        t = int(first[q])
        d = {"name": spec["name"], "by": params.date_label(spec["by"])}
        if t >= 0:
            d.update(resolved="yes", month=t, date=params.date_label(t))
        elif played - 1 < spec["by"] and not ended:
            d["resolved"] = "open"  # it may still come true by its date
            d["note"] = f"the run stopped after {played} months, before the question's date"
        else:
            d["resolved"] = "no"
        out[spec["id"]] = d
    return out


def outcome_summary(params: Params, state: State, row: int) -> dict:
    """The outcome of one run with its metrics."""
    o = int(classify(params, state)[row])
    n_a = params.n_actors
    peaks = {}
    for i in range(n_a):
        for j in range(i + 1, n_a):
            p = int(state.peak[row, i, j])
            if p > int(params.rung0[i, j]):
                peaks[f"{params.actor_ids[i]}-{params.actor_ids[j]}"] = params.rung_ids[p]
    first = {
        name: (None if state.first_cross[row, h] < 0 else int(state.first_cross[row, h]))
        for h, name in enumerate(params.thresholds)
    }
    clauses = {
        k: int(state.clause_count[row, q])
        for q, k in enumerate(params.clause_keys)
        if state.clause_count[row, q] > 0
    }
    com = params.commit
    cred0 = draws.vary(params, state, "cred0", com.cred0)
    cred0 = cred0[row] if cred0.ndim == 2 else cred0  # the run's own when drawn
    credibility = {
        com.keys[n]: round(float(state.cred[row, n]), 3)
        for n in range(com.n)
        if abs(state.cred[row, n] - cred0[n]) > 5e-4
        or state.honoured[row, n]
        or state.declined[row, n]
    }
    sc = score(params, state)[row]
    out = {
        "id": params.outcomes[o].id,
        "name": params.outcomes[o].name,
        "end_turn": int(state.end_turn[row]),
        "peak_rungs": peaks,
        "first_crossed": first,
        "clauses_invoked": clauses,
        "credibility": credibility,
        "red_lines_answered": {
            rid: int(state.red_line_count[row, j])
            for j, rid in enumerate(com.red_line_ids)
            if state.red_line_count[row, j] > 0
        },
        "scores": {params.actor_ids[a]: round(float(sc[a]), 1) for a in range(n_a)},
        "where": where_reached(params, state, row),
    }
    if params.draws:  # the run's value of each uncertain number (game.engine.draws)
        out["drawn"] = {
            s.label: round(float(state.drawn[row, d]), 6) for d, s in enumerate(params.draws)
        }
        out["credibility_start"] = {
            k: round(float(cred0[com.keys.index(k)]), 3)
            for k in credibility
            if ("cred0", com.keys.index(k)) in params.draw_at
        }
    return out
