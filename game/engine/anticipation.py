"""What one move would set off through the commitments in force: the words behind the AI's
anticipation, for previews and explanations.

The AI weighs the same quantities for a whole batch at once (``game.ai.kernel.score_kernel``);
this reads them for one move of one run, from the same tables and the same reading of
credibility, so a preview and the AI cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import commitments as cm
from .commitments import ASSIST
from .params import ATTR_COLS, Params
from .state import State


@dataclass(frozen=True)
class Consequence:
    """A commitment a move could set off, and how likely that is."""

    kind: str  # "assistance", "consultation" or "red_line"
    name: str  # the clause or red line
    by: int  # the state that would answer
    credibility: float  # as the mover reads it this month (0 for consultations: not a pledge)
    chance: float  # chance the move sets it off (one step of look-ahead)
    # The credibility the commitment holds (State.cred, what a decision moves); the mover
    # reads less where the committed state is stretched by wars (commitments.effective).
    held: float = 0.0


def consequences(
    params: Params, state: State, active: np.ndarray, row: int, actor: int, action: int, target: int
) -> list[Consequence]:
    """Every commitment that move (actor, action, target) could set off in run ``row``, most
    likely first. ``active`` is the (B, T) treaties-in-force array of the month."""
    com = params.commit
    war = params.thresholds["war"]
    sub = slice(row, row + 1)
    rd = cm.read(
        com,
        state.attr[sub],
        state.rung[sub],
        state.cred[sub],
        active[sub],
        state.turn,
        war,
        ATTR_COLS,
    )
    out: list[Consequence] = []
    hostile = params.action_hostility[action] > 0
    if hostile:
        r_new = max(int(state.rung[row, actor, target]), int(params.action_rung[action]))
        attack = bool(params.action_attack[action])
        for j in np.nonzero(com.protect_party == target)[0]:
            if com.protect_by[j] == actor:
                continue
            n = int(com.protect_com[j])
            held = 0.0
            if n >= 0:
                cred = float(rd.eff[0, n])
                held = float(state.cred[row, n])
                kind, name = "assistance", com.names[n]
            else:
                cred = 1.0 if active[row, com.protect_treaty[j]] else 0.0
                kind, name = "consultation", params.treaty_names[com.protect_treaty[j]]
            table = com.risk_attack if attack else com.risk_plain
            chance = float(table[j, r_new]) * cred
            if chance > 0.005:
                shown = cred if kind == "assistance" else 0.0
                out.append(Consequence(kind, name, int(com.protect_by[j]), shown, chance, held))
    for n in range(com.n_assist, com.n):
        if com.party[n] != actor or com.action[n] != action:
            continue
        if com.target[n] >= 0 and com.target[n] != target:
            continue
        cred = float(rd.eff[0, n])
        if cred > 0:
            held = float(state.cred[row, n])
            out.append(Consequence("red_line", com.names[n], int(com.by[n]), cred, cred, held))
    out.sort(key=lambda c: -c.chance)
    return out


__all__ = ["ASSIST", "Consequence", "consequences"]
