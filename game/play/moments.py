"""The moments that stop a month: the first armed clash, the first war, the first nuclear
alert, the first nuclear use and general nuclear war, each with the chain of what led to it.

A moment is read from the engine: a threshold is first crossed in the month just played when
the state's ``first_cross`` says so (the engine's own counting, ``step.counted_pairs``); a
nuclear alert is the first climb of any pair to the scenario's 'nuclear_alert' rung. The chain
of causes is the pair's story in the months before, as the news told it: the moves between the
two, incidents, treaty clauses and ladder steps, oldest first. No pygame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.engine.outcome import END_THRESHOLD, threshold_label
from game.play.headlines import month_headlines

# The thresholds that stop the month when first crossed, lowest first.
MOMENT_THRESHOLDS = ("armed_clash", "war", "nuclear_use", "general_nuclear_war")
ALERT_RUNG = "nuclear_alert"  # a rung of the ladder, when the scenario has one
CHAIN_MONTHS = 4  # months of the pair's story told before the moment
_CAUSE_TAGS = {"LADDER", "CLASH", "INCIDENT", "TREATY", "MILITARY", "YOUR MOVE", "EVENT"}


@dataclass
class Moment:
    kind: str  # a threshold's name, or 'nuclear_alert'
    title: str  # "War"
    pair: tuple[str, str]  # the actor ids of the pair that crossed it
    turn: int  # the month it happened in
    chain: list[tuple[int, str]] = field(default_factory=list)  # (month, headline), oldest first
    ending: bool = False  # the game ends with it
    involves_player: bool = False


def moments(session, month) -> list[Moment]:
    """The moments of ``month`` (the session's last played month), gravest last."""
    p = session.params
    out: list[Moment] = []
    rises = [ev for ev in month.events if ev.get("kind") == "rung" and ev.get("direction") == "up"]
    first = session.state.first_cross[0]
    for h, name in enumerate(p.thresholds):
        if name not in MOMENT_THRESHOLDS or int(first[h]) != month.turn:
            continue
        level = int(p.thresholds[name])
        pair = _pair_reaching(p, rises, level) or tuple(month.peak_pair) or ("", "")
        out.append(_moment(session, month, name, threshold_label(name), pair))
        out[-1].ending = name == END_THRESHOLD
    if ALERT_RUNG in p.rung_ids:
        level = p.rung_ids.index(ALERT_RUNG)
        pair = _pair_reaching(p, rises, level, exact=True)
        if pair is not None and not _reached_before(session, month, level):
            out.append(_moment(session, month, ALERT_RUNG, p.rung_names[level], pair))
    ending = [m for m in out if m.ending]
    if ending:
        return ending  # the end of the game says it all
    order = {k: i for i, k in enumerate(("armed_clash", "war", ALERT_RUNG, *MOMENT_THRESHOLDS[2:]))}
    return sorted(out, key=lambda m: order.get(m.kind, 0))


def _pair_reaching(p, rises, level: int, exact: bool = False):
    """The pair whose climb this month took it to ``level`` (or above), the highest first."""
    best = None
    for ev in rises:
        to = p.rung_ids.index(ev["to"])
        if (to == level if exact else to >= level) and (best is None or to > best[0]):
            best = (to, tuple(ev["pair"]))
    return best[1] if best else None


def _reached_before(session, month, level: int) -> bool:
    p = session.params
    for m in session.history:
        if m.turn >= month.turn:
            break
        for ev in m.events:
            if ev.get("kind") == "rung" and p.rung_ids.index(ev["to"]) >= level:
                return True
    return bool((p.rung0 >= level).any())


def _moment(session, month, kind: str, title: str, pair: tuple[str, str]) -> Moment:
    return Moment(
        kind=kind,
        title=title,
        pair=(str(pair[0]), str(pair[1])),
        turn=month.turn,
        chain=chain_of_causes(session, month.turn, pair),
        involves_player=session.player_id in pair,
    )


def chain_of_causes(session, turn: int, pair, per_month: int = 3) -> list[tuple[int, str]]:
    """The pair's story up to month ``turn``: the headlines about either of its two states (the
    moves between them, incidents, clauses, ladder steps) of the last ``CHAIN_MONTHS`` months,
    oldest first, the most important of each month."""
    p, two = session.params, set(pair)
    out: list[tuple[int, str]] = []
    for m in session.history:
        if not turn - CHAIN_MONTHS < m.turn <= turn:
            continue
        heads = month_headlines(p, m.events, session.player_id)
        about = [h for h in heads if h.tag in _CAUSE_TAGS and h.actors]
        mine = [h for h in about if len(two & set(h.actors)) >= 2]  # between the two
        if not mine:  # a move or a clause that touched one of the two
            mine = [h for h in about if two & set(h.actors)]
        # The month's most important story last, so that the chain ends with the moment.
        out += [(m.turn, h.text) for h in reversed(mine[:per_month])]
    return out
