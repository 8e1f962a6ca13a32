"""Human-readable text for logs and outcomes."""

from __future__ import annotations

import calendar

from game.engine import Params, stance
from game.engine.outcome import threshold_label, where_words


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
        # A signal beside the month's main move (game.engine.tempo) is marked as one.
        return f"{'SIGNAL' if ev.get('signal') else 'MOVE':<12}{ev['headline']}"
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
    if k in ("red_line", "decision", "asked", "red_line_answer"):
        return _describe_commitment(params, ev)
    if k == "nuclear_alert":
        a, b = ev["pair"]
        rung = params.rung_names[params.rung_ids.index(ev["rung"])]
        return f"NUCLEAR     the war of {n(a)} and {n(b)} climbs to {rung.lower()}"
    if k == "world_reaction":
        parts = [f"every state's tension with {n(ev['user'])} rises"]
        if ev["alerts"]:
            parts.append("alerts: " + ", ".join(n(x) for x in ev["alerts"]))
        if ev["sanctions"]:
            parts.append("sanctions: " + ", ".join(n(x) for x in ev["sanctions"]))
        if ev["partners_break"]:
            parts.append("partners break away: " + ", ".join(n(x) for x in ev["partners_break"]))
        return f"WORLD       {n(ev['user'])} has used nuclear weapons: " + "; ".join(parts)
    if k == "stance":
        return f"STANCE      {stance.describe(params, ev)}"
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
    lines += format_questions(log.get("questions", {}))
    lines += format_outcome(params, log["outcome"])
    return "\n".join(lines) + "\n"


def format_questions(qs: dict) -> list[str]:
    """How each forecast question resolved in the run."""
    if not qs:
        return []
    lines = ["QUESTIONS:"]
    for d in qs.values():
        how = {"yes": f"YES in {d.get('date')}", "open": "OPEN"}.get(d["resolved"], "NO")
        note = f" ({d['note']})" if d.get("note") else ""
        by = "" if d["by"] in d["name"] else f" (by {d['by']})"
        lines.append(f"  {d['name']}{by}: {how}{note}")
    return [*lines, ""]


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
    if out.get("where"):
        lines.append("  Where: " + where_words(out["where"]))
    if out["clauses_invoked"]:
        lines.append("  Treaty clauses invoked:")
        for key, count in out["clauses_invoked"].items():
            q = params.clause_keys.index(key)
            lines.append(f"    {key} ({params.clause_names[q]}): {count}x")
    else:
        lines.append("  Treaty clauses invoked: none")
    if out.get("credibility"):
        lines.append("  Credibility of commitments at the end (start -> end):")
        com = params.commit
        for key, value in out["credibility"].items():
            n = com.keys.index(key)
            start = out.get("credibility_start", {}).get(key, com.cred0[n])
            lines.append(f"    {com.names[n]} ({key}): {start:.0%} -> {value:.0%}")
    for rid, count in out.get("red_lines_answered", {}).items():
        name = params.commit.red_line_names[params.commit.red_line_ids.index(rid)]
        lines.append(f"  Red line answered: {name}: {count}x")
    if out.get("drawn"):
        drawn = ", ".join(f"{k} = {v:.4g}" for k, v in out["drawn"].items())
        lines.append(f"  Uncertain numbers drawn for this run: {drawn}")
    scores = ", ".join(f"{_name(params, a)} {v:.0f}" for a, v in out["scores"].items())
    lines.append(f"  Scores: {scores}")
    return lines


def _describe_commitment(params: Params, ev: dict) -> str:
    """A line for a red line crossed, a decision on a commitment, or a red line's answer."""
    tag, text = commitment_story(params, ev)
    return f"{tag:<11} {text}"


def commitment_story(params: Params, ev: dict, player: str | None = None) -> tuple[str, str]:
    """(tag, text) of a red line crossed, a decision on a commitment awaited or taken, or a red
    line's answer: the log's line and the game's dispatch. A decision the ``player``'s state
    took is its player's, not a draw: no odds."""
    n = lambda a: _name(params, a)  # noqa: E731
    k = ev["kind"]
    red = ev["type"] == "red_line"
    what = (
        f"{params.action_names[params.action_ids.index(ev['action'])].lower()}"
        + (f" to {n(ev['target'])}" if "target" in ev else "")
        if red
        else ""
    )
    name = f"[{ev['name']}]"
    if k == "red_line":
        return "RED LINE", f"{n(ev['party'])} crosses {n(ev['by'])}'s red line ({what}) {name}"
    if k == "red_line_answer":
        rung = params.rung_names[params.rung_ids.index(ev["rung"])]
        return "ANSWER", f"{n(ev['by'])} answers {n(ev['party'])}: {rung} {name}"
    if k == "asked":
        if red:
            return "DECIDE", f"{n(ev['by'])} must decide whether to answer {n(ev['party'])} {name}"
        return "DECIDE", (
            f"{n(ev['by'])} must decide whether to honour its pledge to "
            f"{n(ev['party'])} against {n(ev['against'])} {name}"
        )
    verb = "honours" if ev["honoured"] else "declines"
    if red:
        head = f"{n(ev['by'])} weighs its red line toward {n(ev['party'])} and {verb} it"
    else:
        head = (
            f"{n(ev['by'])} weighs its pledge to {n(ev['party'])} against {n(ev['against'])} "
            f"and {verb} it"
        )
    # The month's change: the decision's, and what else moved the credibility that month.
    cred = (
        f"credibility {ev['credibility_before']:.0%} -> {ev['credibility_after']:.0%} "
        "over the month"
    )
    if ev["by"] != player:
        cred = f"odds {ev['odds']:.0%}, {cred}"
    return ("HONOURED" if ev["honoured"] else "DECLINED"), f"{head} ({cred}) {name}"
