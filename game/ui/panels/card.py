"""The player's card, top right: the state, its score and verdict against what the AI achieves
for it, where the game is heading, what the state wants (its goals, or its objectives with their
weights) with their standing, and the state's numbers; a goal's tip says why the state wants it."""

from __future__ import annotations

import numpy as np
import pygame

from game.engine.outcome import score_terms
from game.engine.params import ATTR
from game.text import short_goal
from game.ui import theme
from game.ui.panels.base import Panel

# The card's height with two rows of goals (two goals a row), and the pitch of those rows; a
# state with more goals has rows a little closer, and numbers too, so that the orders below
# keep their room in the smallest window (the card grows by EXTRA_ROW_H a further row).
CARD_H = 196
GOAL_ROW_H = 30
TIGHT_GOAL_ROW_H = 26
ATTR_ROW_H = 27
TIGHT_ATTR_ROW_H = 25
EXTRA_ROW_H = 14


def goal_rows(n_goals: int) -> int:
    """Rows of goals on the card (two a row, at least two rows)."""
    return max((n_goals + 1) // 2, 2)


def card_height(n_goals: int) -> int:
    """The card's height for a state with ``n_goals`` goals."""
    return CARD_H + EXTRA_ROW_H * (goal_rows(n_goals) - 2)


ESTIMATING = "expected result: estimating\u2026"
ATTR_SHOWN = (
    ("military", "Military", "{:.1f}"),
    ("warheads", "Warheads", "{:,.0f}"),
    ("delivery", "Delivery", "{:.2f}"),
    ("economy", "Economy", "{:.1f}"),
    ("stability", "Stability", "{:.0f}"),
    ("readiness", "Readiness", "{:.0f}"),
    ("resolve", "Resolve", "{:.2f}"),
)


class PlayerCard(Panel):
    name = "card"

    def heading(self) -> str:
        """Where the game is heading: the forecast's word when one of this month is done, else
        the outcome if the game ended now (the session words both)."""
        return self.session.heading(self.play.forecast_result())

    def inputs(self):
        return (self.heading(), self.play.baseline_known)

    def score_tip(self):
        s = self.session
        me = s.player
        if not self.play.baseline_known:
            text = (
                f"The AI is playing games for {s.player_name} from the start; the share of them "
                "its score beats shows here once they are played."
            )
            lines = [(ESTIMATING, theme.INK, True), (text, theme.INK_DIM, False)]
            return [(part, c, b) for t, c, b in lines for part in theme.wrap(t, 11, 340)]
        futures = s.baseline().futures(s.turn, me)
        lines = [
            (f"Better than {s.beaten():.0%} of the futures", theme.INK, True),
            (
                f"{s.player_name}'s score is {float(s.scores()[me]):.0f}; in "
                f"{s.baseline().runs} games the AI plays for it from the start, the middle "
                f"score at this month is {float(np.median(futures)):.0f}.",
                theme.INK_DIM,
                False,
            ),
            (f"Verdict now: {s.verdict()}", theme.INK, False),
        ]
        if s.disaster():
            lines.append(
                ("Nuclear weapons were used by or against it: a disaster", theme.BAD, True)
            )
        return [(part, c, b) for text, c, b in lines for part in theme.wrap(text, 11, 340)]

    def rows(self) -> list[tuple[str, float, float]]:
        """(short name, weight, standing 0-100) of what the player's state wants, the heaviest
        first: its goals, or its four objectives when it has none."""
        s, me = self.session, self.session.player
        terms = score_terms(self.params, me)
        if terms and terms[0][2] >= 0:  # its goals, in the order s.goals() gives them
            rows = [(short_goal(n), w, v) for (n, w, _), (_, v) in zip(terms, s.goals())]
            return sorted(rows, key=lambda r: -r[1])
        comp = s.objectives()[me]
        return [(n, w, float(comp[c])) for n, w, c in terms]

    def pitches(self) -> tuple[int, int]:
        """(goal row pitch, numbers row pitch): tighter for a state with more than two rows."""
        tight = goal_rows(len(self.rows())) > 2
        return (TIGHT_GOAL_ROW_H, TIGHT_ATTR_ROW_H) if tight else (GOAL_ROW_H, ATTR_ROW_H)

    def goals_bottom(self) -> int:
        """Where the rows of goals end."""
        return 72 + self.pitches()[0] * goal_rows(len(self.rows()))

    def hover(self, pos):
        """The score (what it is measured against), or a goal: what the state wants, and why."""
        x, y = pos[0] - self.rect.x, pos[1] - self.rect.y
        if y < 64 and x > self.rect.w - 150:
            return self.score_tip()
        goals = sorted(self.session.goals(), key=lambda gs: -gs[0].weight)
        col_w = (self.rect.w - 48) // 2
        k = 2 * ((y - 72) // self.pitches()[0]) + (1 if x > 16 + col_w + 8 else 0)
        if not 72 <= y < self.goals_bottom() or not 0 <= k < len(goals):
            return []
        g, v = goals[k]
        lines = [(g.name, theme.INK, True), (f"standing {v:.0f} of 100", theme.INK_DIM, False)]
        lines += [(part, theme.INK_DIM, False) for part in theme.wrap(g.why, 11, 340)]
        return lines

    def paint(self, img, rect) -> None:
        s = self.session
        me = s.player
        x = 16
        bloc = self.blocs[me]
        pygame.draw.rect(img, theme.BLOC.get(bloc, theme.INK_DIM), (0, 0, 4, rect.h))
        theme.heading(img, "YOUR STATE", (x, 10), 10, theme.INK_FAINT)
        theme.text(img, s.player_name, (x, 24), 19, theme.INK, True, max_width=rect.w - 120)
        # The score relative to what the AI achieves for this state: the share of its futures
        # beaten at this month, under a heading that says so, and the verdict below it (the
        # tip gives the score itself). Until the AI's futures are played, a placeholder.
        known = self.play.baseline_known
        share = f"{s.beaten():.0%}" if known else "\u2026"
        colour = theme.GOLD if known else theme.INK_FAINT
        theme.heading(
            img, "AI's futures beaten", (rect.w - 16, 10), 10, theme.INK_FAINT, "topright"
        )
        theme.text(img, share, (rect.w - 16, 21), 24, colour, True, "topright")
        verdict = theme.text(
            img,
            s.verdict() if known else ESTIMATING,
            (rect.w - 16, 50),
            11,
            theme.INK_DIM,
            anchor="topright",
        )
        # Where the game is heading, in the room the verdict leaves (the placeholder is wider).
        room = verdict.left - 10 - x
        theme.text(img, self.heading(), (x, 50), 11, theme.INK_DIM, max_width=room)
        # What the state wants: its goals (or its objectives with their weights).
        rows = self.rows()
        pitch, attr_pitch = self.pitches()
        y = 72
        col_w = (rect.w - 2 * x - 16) // 2
        for k, (name, weight, v) in enumerate(rows):
            cx = x + (k % 2) * (col_w + 16)
            cy = y + (k // 2) * pitch
            # The name has its column's width; its standing and weight end the bar's line.
            theme.text(img, name, (cx, cy), 11, theme.INK_DIM, max_width=col_w)
            value = theme.text(
                img, f"{v:.0f}", (cx + col_w, cy + 12), 11, theme.INK, True, "topright"
            )
            times = theme.text(
                img, f"\u00d7{weight:.1f}", (value.left - 5, cy + 13), 10, theme.INK_FAINT,
                anchor="topright",
            )  # fmt: skip
            col = theme.GOOD if v >= 65 else theme.WARN if v >= 40 else theme.BAD
            theme.bar(img, (cx, cy + 17, max(times.left - 6 - cx, 8), 5), v / 100, col)
        # Attributes, below every row of goals.
        y = self.goals_bottom() + 6
        pygame.draw.line(img, theme.RULE, (x, y - 5), (rect.w - x, y - 5))
        at = s.attr[me]
        cols = 4
        cw = (rect.w - 2 * x) / cols
        for k, (attr, label, fmt) in enumerate(ATTR_SHOWN):
            cx = x + (k % cols) * cw
            cy = y + (k // cols) * attr_pitch
            theme.text(img, label, (cx, cy), 9, theme.INK_FAINT, True)
            theme.text(img, fmt.format(float(at[ATTR[attr]])), (cx, cy + 9), 12, theme.INK, True)
        pygame.draw.line(img, theme.PANEL_EDGE, (0, rect.h - 1), (rect.w, rect.h - 1))
