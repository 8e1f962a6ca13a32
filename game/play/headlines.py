"""A month's events written as newspaper headlines, most important first. No pygame."""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.names import hostility_kind
from game.report import commitment_story, describe
from game.text import sentence_case


@dataclass(frozen=True)
class Headline:
    tag: str  # short kicker shown before the text: LADDER, TREATY, MILITARY...
    text: str
    tone: str  # escalation, calm, treaty, event, player, alarm, neutral
    rung: int | None = None  # ladder rung the story is about, for its colour
    weight: int = 0  # higher comes first
    actors: tuple[str, ...] = ()  # actor ids the story is about


def _name(params, actor_id: str) -> str:
    try:
        return params.actor_names[params.actor_ids.index(actor_id)]
    except ValueError:
        return actor_id


def _clause(params, ev: dict) -> str:
    """The treaty and the article of a clause's story: "US-ROK Mutual Defense Treaty, Art. III",
    the article left out where the treaty's name already says it ("Camp David Commitment to
    Consult" and its "Commitment to Consult")."""
    treaty = _treaty(params, ev["treaty"])
    article = str(ev.get("article", ""))
    return treaty if not article or article.lower() in treaty.lower() else f"{treaty}, {article}"


def _treaty(params, treaty_id: str) -> str:
    from game.play.rules import treaty_label

    try:
        return treaty_label(params, params.treaty_ids.index(treaty_id), 40)
    except ValueError:
        return treaty_id


def _chooser(params, event_id) -> str | None:
    """The state whose dilemma an option's event answers (None for an ordinary event)."""
    for d in params.dilemmas:
        if any(params.events[e].id == event_id for e in d.events):
            return params.actor_ids[d.actor]
    return None


def headline(params, ev: dict, player: str | None = None) -> Headline:
    """One event as a headline."""
    k = ev.get("kind")
    n = lambda a: _name(params, a)  # noqa: E731
    thresholds = params.thresholds
    war = thresholds.get("war", len(params.rung_ids))
    if k == "event":
        text = ev.get("headline") or ev.get("name", "")
        chooser = _chooser(params, ev.get("id"))
        if chooser is not None and chooser == player:  # the player's answer to a dilemma
            return Headline("YOUR CHOICE", text, "player", None, 70, (chooser,))
        return Headline("EVENT", text, "event", None, 40)
    if k == "action":
        a, t = ev["actor"], ev["target"]
        try:
            kk = params.action_ids.index(ev["action"])
            cat = params.action_category[kk]
            host = float(params.action_hostility[kk])
            r = int(params.action_rung[kk])
        except ValueError:
            cat, host, r = "move", 0.0, -1
        text = ev.get("headline") or f"{n(a)}: {ev['action']} ({n(t)})"
        if a == player:
            return Headline("YOUR MOVE", text, "player", r if r >= 0 else None, 70, (a, t))
        tone = {"hostile": "escalation", "cooperative": "calm"}.get(hostility_kind(host), "neutral")
        weight = 50 + int(20 * max(host, 0)) + (10 if player in (a, t) else 0)
        return Headline(cat.upper(), text, tone, r if r >= 0 else None, weight, (a, t))
    if k == "incident":
        a, b = ev["pair"]
        if ev.get("serious"):
            by = ev.get("by", a)
            other = b if by == a else a
            return Headline(
                "CLASH",
                f"{sentence_case(ev['name'])}: {n(by)} opens fire on {n(other)}",
                "alarm",
                thresholds.get("armed_clash"),
                85,
                (a, b),
            )
        return Headline(
            "INCIDENT",
            f"{sentence_case(ev['name'])} raises {n(a)}\u2013{n(b)} tension",
            "escalation",
            None,
            45,
            (a, b),
        )
    if k == "rung":
        a, b = ev["pair"]
        to = params.rung_ids.index(ev["to"]) if ev["to"] in params.rung_ids else None
        if ev.get("direction") == "up":
            verb = "climb to" if to is None or to < war else "go to"
            weight = 60 + 3 * (to or 0)
            return Headline(
                "LADDER", f"{n(a)} and {n(b)} {verb} {ev['name']}", "escalation", to, weight, (a, b)
            )
        return Headline(
            "LADDER", f"{n(a)} and {n(b)} step down to {ev['name']}", "calm", to, 55, (a, b)
        )
    if k == "consultation":
        return Headline(
            "TREATY",
            f"{n(ev['by'])} and {n(ev['party'])} consult on the threat from {n(ev['against'])} "
            f"({_clause(params, ev)})",
            "treaty",
            None,
            58,
            (ev["by"], ev["party"], ev["against"]),
        )
    if k == "assistance":
        return Headline(
            "TREATY",
            f"{n(ev['by'])} comes to {n(ev['party'])}'s aid against {n(ev['against'])} "
            f"({_clause(params, ev)})",
            "alarm",
            war,
            90,
            (ev["by"], ev["party"], ev["against"]),
        )
    if k == "declined":
        return Headline(
            "TREATY",
            f"{n(ev['by'])} fails to honour its pledge to {n(ev['party'])} against "
            f"{n(ev['against'])}",
            "treaty",
            None,
            75,
            (ev["by"], ev["party"], ev["against"]),
        )
    if k == "clause":
        what = str(ev.get("clause_kind", "")).replace("_", " ")
        return Headline(
            "TREATY",
            f"{n(ev['by'])} stands by {n(ev['party'])} against {n(ev['against'])} ({what})",
            "treaty",
            None,
            48,
            (ev["by"], ev["party"], ev["against"]),
        )
    if k == "end":
        return Headline(
            "CATASTROPHE",
            f"The region is engulfed in {ev.get('reason', 'war')}",
            "alarm",
            len(params.rung_ids) - 1,
            100,
        )
    if k in ("red_line", "red_line_answer", "asked", "decision"):
        tag, text = commitment_story(params, ev, player)
        who = tuple(x for x in (ev.get("by"), ev.get("party"), ev.get("against")) if x)
        # A decision the player's state must take leads (it waits for an answer), then a red
        # line it crossed or the answer it draws, then the decision it took (as its choices
        # and moves do), all before the month's ordinary moves; other commitments' stories of
        # the player's state just after.
        mine = 80 if k in ("red_line", "red_line_answer") else 60
        if k in ("asked", "decision") and player is not None and ev.get("by") == player:
            mine = 85 if k == "asked" else 75
        return Headline(tag, text, "treaty", None, mine if player in who else 30, who)
    text = describe(params, ev)
    return Headline(str(k).upper(), " ".join(text.split()[1:]) or text, "neutral", None, 10)


def month_headlines(params, events: list[dict], player: str | None = None) -> list[Headline]:
    """The month's headlines, most important first (stable among equals)."""
    items = [headline(params, ev, player) for ev in events]
    order = sorted(range(len(items)), key=lambda i: -items[i].weight)
    return [items[i] for i in order]
