"""``pact dry-run``: a short batch that shows an author what their scenario actually does.

Which events fired and in what share of runs, which treaty clauses were invoked (and which
assistance was declined), which actions were chosen and by whom, which were never chosen,
which rungs no pair ever stood on, and the outcome distribution.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine.params import Params


def coverage(
    params: Params, seed: int = 0, runs: int = 200, turns: int | None = None
) -> dict[str, Any]:
    """Play ``runs`` runs of batch ``seed`` and count what happened in them."""
    from game.engine.outcome import classify
    from game.sim import play

    n_a, n_k = params.n_actors, len(params.action_ids)
    n_q, n_r = len(params.clause_keys), len(params.rung_ids)
    rows = np.arange(runs)
    chosen = np.zeros((runs, n_a, n_k), dtype=bool)
    times = np.zeros((n_a, n_k), dtype=np.int64)
    declined = np.zeros((runs, n_q), dtype=bool)
    stood = np.zeros((runs, n_r), dtype=bool)
    done = np.zeros(runs, dtype=bool)
    inst_clause = np.asarray(params.inst_clause, dtype=np.int64)
    months = 0

    def on_turn(rec, state) -> None:
        nonlocal months
        months += 1
        live = ~done
        k = np.asarray(params.cand_action)[np.asarray(rec.moves)]  # (B, A)
        for a in range(n_a):
            ok = live & (k[:, a] >= 0)
            if ok.any():
                chosen[rows[ok], a, k[ok, a]] = True
                np.add.at(times[a], k[ok, a], 1)
        if inst_clause.size:
            dec = np.asarray(rec.declined).any(axis=2) & live[:, None]  # (B, I)
            for i in np.nonzero(dec.any(axis=0))[0]:
                declined[:, inst_clause[i]] |= dec[:, i]
        after = np.asarray(rec.rung_after).reshape(runs, -1)
        for r in range(n_r):
            stood[:, r] |= (after == r).any(axis=1) & live
        done[:] = state.done

    final = play(params, seed, rows, turns, on_turn=on_turn)
    outcome = np.asarray(classify(params, final))
    share = lambda mask: float(np.asarray(mask).mean()) if runs else 0.0  # noqa: E731

    events = [
        {
            "id": ev.id,
            "name": ev.name,
            "share": share(final.event_count[:, e] > 0),
            "mean": float(final.event_count[:, e].mean()),
        }
        for e, ev in enumerate(params.events)
    ]
    clauses = [
        {
            "key": key,
            "article": params.clause_names[q],
            "share": share(final.clause_count[:, q] > 0),
            "mean": float(final.clause_count[:, q].mean()),
            "declined": share(declined[:, q]),
        }
        for q, key in enumerate(params.clause_keys)
    ]
    actions = []
    for k, aid in enumerate(params.action_ids):
        by = sorted(
            (
                (params.actor_ids[a], share(chosen[:, a, k]), int(times[a, k]))
                for a in range(n_a)
                if times[a, k] > 0
            ),
            key=lambda x: (-x[2], x[0]),
        )
        actions.append(
            {
                "id": aid,
                "name": params.action_names[k],
                "share": share(chosen[:, :, k].any(axis=1)),
                "times": int(times[:, k].sum()),
                "by": [{"actor": x, "share": s, "times": t} for x, s, t in by],
            }
        )
    counts = np.bincount(outcome, minlength=len(params.outcomes))
    return {
        "scenario": params.scenario_id,
        "name": params.scenario_name,
        "seed": int(seed),
        "runs": int(runs),
        "turns": int(months),
        "outcomes": [
            {
                "id": o.id,
                "name": o.name,
                "share": float(counts[n] / max(runs, 1)),
                "runs": int(counts[n]),
            }
            for n, o in enumerate(params.outcomes)
        ],
        "events": events,
        "clauses": clauses,
        "actions": actions,
        "never_chosen": [a["id"] for a in actions if a["times"] == 0],
        "rungs": [
            {"id": rid, "share": share(stood[:, r])} for r, rid in enumerate(params.rung_ids)
        ],
        "never_reached": [rid for r, rid in enumerate(params.rung_ids) if not stood[:, r].any()],
    }


def _pct(x: float) -> str:
    if x == 0:
        return "-"
    if x < 0.005:
        return "<1%"
    # The share rounded as its two decimals are (0.165 is '0.17' beside it, so '17%', not the
    # '16%' that rounding 16.5 would give).
    return f"{round(float(f'{x:.2f}') * 100)}%"


def _widest(items) -> int:
    return min(max((len(x) for x in items), default=8), 40)


def render(cov: dict[str, Any], console) -> None:
    """Print a coverage report as rich tables."""
    from rich.markup import escape
    from rich.table import Table

    runs = cov["runs"]
    console.print(
        f"[bold]{escape(cov['name'])}[/bold] ({cov['scenario']}): {runs} runs of {cov['turns']} months, "
        f"seed {cov['seed']}. Shares are of runs."
    )

    t = Table(title="Outcomes", title_justify="left")
    t.add_column("outcome", min_width=24)
    t.add_column("runs", justify="right")
    t.add_column("share", justify="right")
    for o in cov["outcomes"]:
        t.add_row(escape(f"{o['name']} ({o['id']})"), str(o["runs"]), _pct(o["share"]))
    console.print(t)

    if cov["events"]:
        t = Table(title="Events: share of runs in which each fired", title_justify="left")
        t.add_column("event", no_wrap=True, min_width=_widest(e["id"] for e in cov["events"]))
        t.add_column("fired in", justify="right")
        t.add_column("times per run", justify="right")
        for e in cov["events"]:
            style = "dim" if e["share"] == 0 else ""
            t.add_row(
                e["id"],
                _pct(e["share"]) if e["share"] else "never",
                f"{e['mean']:.2f}",
                style=style,
            )
        console.print(t)

    if cov["clauses"]:
        t = Table(
            title="Treaty clauses: share of runs in which each was invoked",
            title_justify="left",
        )
        t.add_column("clause", no_wrap=True, min_width=_widest(c["key"] for c in cov["clauses"]))
        t.add_column("article", overflow="ellipsis", no_wrap=True, max_width=16)
        t.add_column("invoked", justify="right", no_wrap=True)
        t.add_column("per run", justify="right", no_wrap=True)
        t.add_column("declined", justify="right", no_wrap=True)
        for c in cov["clauses"]:
            style = "dim" if c["share"] == 0 else ""
            t.add_row(
                c["key"],
                escape(c["article"]),
                _pct(c["share"]) if c["share"] else "never",
                f"{c['mean']:.2f}",
                _pct(c["declined"]),
                style=style,
            )
        console.print(t)

    t = Table(
        title="Actions: share of runs in which each was chosen, and by whom", title_justify="left"
    )
    t.add_column("action", no_wrap=True, min_width=_widest(a["id"] for a in cov["actions"]))
    t.add_column("chosen in", justify="right")
    t.add_column("times", justify="right")
    t.add_column("by (times)")
    for a in sorted(cov["actions"], key=lambda x: -x["times"]):
        by = ", ".join(f"{b['actor']} {b['times']}" for b in a["by"][:6])
        if len(a["by"]) > 6:
            by += ", ..."
        style = "dim" if a["times"] == 0 else ""
        t.add_row(
            a["id"], _pct(a["share"]) if a["times"] else "never", str(a["times"]), by, style=style
        )
    console.print(t)

    if cov["never_chosen"]:
        console.print(
            f"[yellow]Never chosen in {runs} runs:[/yellow] {', '.join(cov['never_chosen'])}"
        )
    else:
        console.print("Every action was chosen at least once.")
    if cov["never_reached"]:
        console.print(f"[yellow]Rungs no pair stood on:[/yellow] {', '.join(cov['never_reached'])}")
    never_fired = [e["id"] for e in cov["events"] if e["share"] == 0]
    if never_fired:
        console.print(f"[yellow]Events that never fired:[/yellow] {', '.join(never_fired)}")
