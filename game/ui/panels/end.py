"""The foot of the side bar: the order as it stands and the end-turn button (the results once
the game is over)."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.panels.base import Panel


class EndTurn(Panel):
    name = "end"

    def __init__(self, play) -> None:
        super().__init__(play)
        self.button = pygame.Rect(0, 0, 0, 0)
        self.hot = False

    def place(self, frame):
        e = frame["end"]
        self.button = pygame.Rect(e.x + 12, e.y + 30, e.w - 24, 40)
        return e

    def hover(self, pos):
        self.hot = self.button.collidepoint(pos)
        return []

    def leave(self) -> None:
        self.hot = False

    def press(self, pos) -> None:
        if self.button.collidepoint(pos):
            self.play.confirm()

    def inputs(self):
        return (self.play.order, self.hot, self.play.unanswered())

    def paint(self, img, rect) -> None:
        s, p = self.session, self.params
        pygame.draw.line(img, theme.PANEL_EDGE, (0, 0), (rect.w, 0))
        o = self.play.order_option()
        if s.over:
            summary = "The game is over."
        elif o.action < 0:
            summary = "Order: hold position"
        else:
            summary = f"Order: {p.action_names[o.action]} \u2192 {p.actor_names[o.target]}"
        colour, bold = theme.INK_DIM, False
        left = 0 if s.over else self.play.unanswered()
        if left:  # the order stands in the orders panel; the open decisions need the eye
            pledges, choices = self.play.open_pledges() > 0, self.play.open_dilemmas() > 0
            how = " \u00b7 ".join(
                ("Y honour, N decline",) * pledges + ("choose on the card",) * choices
            )
            summary = f"{left} decision{'s' if left > 1 else ''} unanswered: {how}"
            colour, bold = theme.WARN, True
        theme.text(img, summary, (16, 10), 12, colour, bold, max_width=rect.w - 32)
        label = "RESULTS" if s.over else "END TURN"
        theme.button(
            img, self.local(self.button), label, hot=self.hot, primary=True, hint="Enter", size=15
        )
