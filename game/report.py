"""Human-readable text for logs and outcomes."""

from __future__ import annotations

import calendar

from game.engine import Params
from game.engine.outcome import threshold_label


def month_name(params: Params, turn: int) -> str:
    y, m = params.turn_date(turn)
    return f"{calendar.month_name[m]} {y}"


def _name(params: Params, actor_id: str) -> str:
    return params.actor_names[params.actor_ids.index(actor_id)]


def describe(params: Params, ev: dict) -> str:
    """One line for one log event."""
    k = ev["kind"]
    n = lambda a: _name(params, a)  # noqa: E731
    if k == "event":
        return f"EVENT       {ev['headline']}"
    if k == "action":
        return f"MOVE        {ev['headline']}"
    if k == "incident":
        a, b = ev["pair"]
        if ev["serious"]:
            return f"INCIDENT    {ev['name']}: armed clash started by {n(ev['by'])} ({n(a)}-{n(b)})"
        return f"INCIDENT    {ev['name']} ({n(a)}-{n(b)})"
    if k == "rung":
        a, b = ev["pair"]
        arrow = "up  " if ev["direction"] == "up" else "down"
        before = params.rung_names[params.rung_ids.index(ev["from"])]
        return f"LADDER {arrow} {n(a)}-{n(b)}: {before} -> {ev['name']}"
    if k in ("consultation", "assistance", "declined", "clause"):
        treaty = params.treaty_names[params.treaty_ids.index(ev["treaty"])]
        head = {
            "consultation": f"CONSULT     {n(ev['by'])} consults with {n(ev['party'])} on the threat from {n(ev['against'])}",
            "assistance": f"ASSIST      {n(ev['by'])} comes to {n(ev['party'])}'s aid against {n(ev['against'])}",
            "declined": f"WITHHELD    {n(ev['by'])} does not honour its pledge to {n(ev['party'])} against {n(ev['against'])}",
            "clause": f"CLAUSE      {n(ev['by'])} acts for {n(ev['party'])} against {n(ev['against'])} ({ev['clause_kind'].replace('_', ' ')})",
        }[k]
        return f"{head} [{treaty}, {ev['article']}]"
    if k == "end":
        return f"END         the run ends: {ev['reason']}"
    return f"{k.upper():<11} {ev}"


def format_log(params: Params, log: dict) -> str:
    """The month-by-month log of one run, ending in its outcome."""
    lines = []
    title = f"{params.scenario_name} - seed {log['seed']}, run {log['run']}"
    lines += [title, "=" * len(title), ""]
    for month in log["turns"]:
        lines.append(f"{month['date']}  {month_name(params, month['turn'])}")
        evs = month["events"]
        if not evs:
            lines.append("  (a quiet month)")
        for ev in evs:
            lines.append("  " + describe(params, ev))
        lines.append("")
    lines += format_outcome(params, log["outcome"])
    return "\n".join(lines) + "\n"


def format_outcome(params: Params, out: dict) -> list[str]:
    lines = [f"OUTCOME: {out['name']} (after {out['end_turn']} months)"]
    if out["peak_rungs"]:
        lines.append("  Pairs that climbed the ladder (peak rung):")
        for pair, rung in out["peak_rungs"].items():
            a, b = pair.split("-")
            lines.append(
                f"    {_name(params, a)}-{_name(params, b)}: "
                f"{params.rung_names[params.rung_ids.index(rung)]}"
            )
    crossed = [
        f"{threshold_label(k)} in {params.date_label(v)}"
        for k, v in out["first_crossed"].items()
        if v is not None
    ]
    lines.append("  Thresholds first crossed: " + (", ".join(crossed) if crossed else "none"))
    if out["clauses_invoked"]:
        lines.append("  Treaty clauses invoked:")
        for key, count in out["clauses_invoked"].items():
            q = params.clause_keys.index(key)
            lines.append(f"    {key} ({params.clause_names[q]}): {count}x")
    else:
        lines.append("  Treaty clauses invoked: none")
    scores = ", ".join(f"{_name(params, a)} {v:.0f}" for a, v in out["scores"].items())
    lines.append(f"  Scores: {scores}")
    return lines
