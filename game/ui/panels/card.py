"""The player's card, top right: the state, its score and verdict, where the game is heading,
the objectives with their weights, and the state's numbers."""

from __future__ import annotations

import pygame

from game.engine.params import ATTR
from game.ui import theme
from game.ui.panels.base import Panel

OBJECTIVES = ("Security", "Alliance", "Economy", "Peace")
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
        return (self.heading(),)

    def paint(self, img, rect) -> None:
        s, p = self.session, self.params
        me = s.player
        x = 16
        bloc = self.blocs[me]
        pygame.draw.rect(img, theme.BLOC.get(bloc, theme.INK_DIM), (0, 0, 4, rect.h))
        theme.heading(img, "YOUR STATE", (x, 10), 10, theme.INK_FAINT)
        theme.text(img, s.player_name, (x, 24), 19, theme.INK, True, max_width=rect.w - 120)
        sc = float(s.scores()[me])
        verdict = s.verdict()
        theme.text(img, f"{sc:.0f}", (rect.w - 16, 8), 30, theme.GOLD, True, "topright")
        theme.text(
            img, f"score \u00b7 {verdict}", (rect.w - 16, 46), 11, theme.INK_DIM, anchor="topright"
        )
        theme.text(img, self.heading(), (x, 50), 11, theme.INK_DIM, max_width=rect.w - 130)
        # Objectives.
        comp = s.objectives()[me]
        weights = p.objectives[me]
        y = 72
        col_w = (rect.w - 2 * x - 16) // 2
        for k, name in enumerate(OBJECTIVES):
            cx = x + (k % 2) * (col_w + 16)
            cy = y + (k // 2) * 30
            theme.text(img, name, (cx, cy), 11, theme.INK_DIM)
            theme.text(
                img,
                f"\u00d7{weights[k]:.1f}",
                (cx + theme.text_width(name, 11) + 6, cy),
                10,
                theme.INK_FAINT,
            )
            v = float(comp[k])
            theme.text(img, f"{v:.0f}", (cx + col_w, cy), 11, theme.INK, True, "topright")
            col = theme.GOOD if v >= 65 else theme.WARN if v >= 40 else theme.BAD
            theme.bar(img, (cx, cy + 15, col_w, 5), v / 100, col)
        # Attributes.
        y = 138
        pygame.draw.line(img, theme.RULE, (x, y - 5), (rect.w - x, y - 5))
        at = s.attr[me]
        cols = 4
        cw = (rect.w - 2 * x) / cols
        for k, (attr, label, fmt) in enumerate(ATTR_SHOWN):
            cx = x + (k % cols) * cw
            cy = y + (k // cols) * 27
            theme.text(img, label, (cx, cy), 9, theme.INK_FAINT, True)
            theme.text(img, fmt.format(float(at[ATTR[attr]])), (cx, cy + 9), 12, theme.INK, True)
        pygame.draw.line(img, theme.PANEL_EDGE, (0, rect.h - 1), (rect.w, rect.h - 1))
