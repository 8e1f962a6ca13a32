"""Red lines drawn on the map: a dashed red link from the state that declared a red line to each
state it warned, while the line stands, and the tooltip that says what crosses it.

The commitments are the engine's (``params.commit``, kind ``RED_LINE``); this module only
places and words them.
"""

from __future__ import annotations

from game.engine import draws
from game.engine.commitments import RED_LINE
from game.ui import theme
from game.ui.strokes import Link, bezier, fill_ribbon, trim

RED = (236, 84, 72)


def standing(params, turn: int) -> list[int]:
    """The red-line commitments that stand in month ``turn``."""
    com = params.commit
    return [
        n
        for n in range(com.n)
        if int(com.kind[n]) == RED_LINE and int(com.start[n]) <= turn < int(com.end[n])
    ]


def red_line_links(layer, session) -> list[Link]:
    """One link per standing red line, from the declaring state to the warned one."""
    com = session.params.commit
    out = []
    for n in standing(session.params, session.turn):
        i, j = int(com.by[n]), int(com.party[n])
        ends = layer.ends(i, j)
        if ends is None:
            continue
        sign = layer._bend_sign(ends[0], ends[1])
        pts = trim(bezier(ends[0], ends[1], -0.1 * sign, cap=26), 12, 12)
        link = Link(i, j, "red_line", pts, 2, RED, None, "red_line", ends[2])
        link.ref = n
        out.append(link)
    return out


def paint_red_lines(surf, links, focus) -> None:
    dim = bool(focus)
    for lk in links:
        if lk.kind != "red_line":
            continue
        on = not dim or lk.i in focus or lk.j in focus
        for geo in lk.dashes(3.6, 11, 5):
            fill_ribbon(surf, geo, (10, 6, 6, 170 if on else 50))
        for geo in lk.dashes(2.0, 11, 5):
            fill_ribbon(surf, geo, (*RED, 240 if on else 70))


def red_line_tip(session, n: int):
    """Tooltip lines of red-line commitment ``n``: its name, who warned whom, what crosses it,
    its credibility and how often it was answered."""
    p, com = session.params, session.params.commit
    by, party = p.actor_names[com.by[n]], p.actor_names[com.party[n]]
    move = p.action_names[com.action[n]]
    target = int(com.target[n])
    crossing = f"{move} \u2192 {p.actor_names[target]}" if target >= 0 else move
    cred = float(session.state.cred[0, n])
    started = float(draws.per_run(p, session.state, "cred0", com.cred0)[0, n])  # the game's own
    answered = int(session.state.red_line_count[0, com.red_line_of[n]])
    times = "never" if answered == 0 else "once" if answered == 1 else f"{answered} times"
    return [
        (com.names[n], RED, True),
        (f"Red line of {by}, warning {party}", theme.INK, False),
        (f"Crossed if {party} orders: {crossing}", theme.INK_DIM, False),
        (
            f"Credibility {100 * cred:.0f}% (started {100 * started:.0f}%)",
            theme.INFO,
            False,
        ),
        (f"Answered {times} so far", theme.INK_DIM, False),
    ]
