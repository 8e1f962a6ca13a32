"""Tooltip lines and facts that more than one panel shows: a pair of states, their treaties."""

from __future__ import annotations

from game.engine import draws
from game.play import rules
from game.ui import theme


def treaties_between(session, a: int, b: int) -> list[str]:
    """The treaties binding ``a`` and ``b``, each as 'name (kind, in force or not)'."""
    p, s = session.params, session
    active = s.active_treaties()
    out = []
    for t in range(len(p.treaty_ids)):
        if p.treaty_parties[t, a] and p.treaty_parties[t, b]:
            kinds = {
                int(p.clause_kind[q])
                for q in range(len(p.clause_keys))
                if int(p.clause_treaty[q]) == t
            }
            what = "mutual defence" if 1 in kinds else "consultation"
            when = (
                "in force"
                if active[t]
                else ("not yet in force" if s.turn < int(p.treaty_start[t]) else "lapsed")
            )
            out.append(f"{rules.treaty_label(p, t, 44)} ({what}, {when})")
    return out


def pledges_between(session, a: int, b: int) -> list[str]:
    """The assistance pledges binding ``a`` and ``b`` (either way), each with its credibility
    now and at the start: 'Art. 4, Russia for North Korea: credibility 68% (started 85%)'."""
    p = session.params
    com = p.commit
    cred = session.state.cred[0]
    started = draws.per_run(p, session.state, "cred0", com.cred0)[0]  # the game's own
    out = []
    for n in range(com.n_assist):
        by, party = int(com.by[n]), int(com.party[n])
        if {by, party} != {a, b}:
            continue
        clause = com.names[n].rsplit(", ", 1)[-1]
        out.append(
            f"{clause}, {p.actor_names[by]} for {p.actor_names[party]}: credibility "
            f"{100 * float(cred[n]):.0f}% (started {100 * float(started[n]):.0f}%)"
        )
    return out


def pair_tip(session, colours, a: int, b: int):
    """A pair of states: their rung, tension, drift, who attacks whom, their treaties."""
    s, p = session, session.params
    r = int(s.rung[a, b])
    lines = [
        (f"{p.actor_names[a]} \u2013 {p.actor_names[b]}", theme.INK, True),
        (f"{p.rung_names[r]} ({p.rung_groups[r] or 'ladder'})", colours[r], True),
        (f"Tension {s.tension[a, b]:.0f} of 100", theme.INK_DIM, False),
    ]
    base = float(s.state.baseline[0, a, b])
    if abs(base - float(s.tension[a, b])) >= 1:
        lines.append((f"Drifting toward {base:.0f} when left alone", theme.INK_FAINT, False))
    if s.state.aggressor[0, a, b]:
        lines.append((f"{p.actor_names[b]} is attacking {p.actor_names[a]}", theme.BAD, False))
    if s.state.aggressor[0, b, a]:
        lines.append((f"{p.actor_names[a]} is attacking {p.actor_names[b]}", theme.BAD, False))
    for t in treaties_between(s, a, b):
        lines.append((t, theme.INFO, False))
    for t in pledges_between(s, a, b):
        lines.append((t, theme.INK_DIM, False))
    return lines
