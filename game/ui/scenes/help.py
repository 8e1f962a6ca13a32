"""How to play: the keys and a short text, over whatever scene is open."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.scenes.common import (
    OverlayScene,
    centred_card,
    veil,
)
from game.ui.widgets import is_click

HELP_KEYS = (
    ("Enter / Space", "end the turn with your order"),
    ("\u2191 \u2193  or  W S", "choose an order in the list"),
    ("\u2190 \u2192  Tab  or  1-9", "choose the target state"),
    ("H", "hold position this month"),
    ("Click a state", "select it (and aim at it)"),
    ("F", "forecast: 2,000 futures of the next 12 months (fewer near the end)"),
    ("Timeline click", "read an earlier month's news"),
    ("Wheel on map", "zoom the map in and out"),
    ("Drag the map", "move it when zoomed in"),
    ("+  \u2212  0", "zoom in, out, whole theatre"),
    ("Wheel", "scroll orders and news"),
    ("PgUp PgDn", "scroll the news"),
    ("L  K", "fold the ladder, the map key"),
    ("Ctrl+S", "save the game"),
    ("Esc", "pause menu: save, load, quit"),
    ("F1  or  ?", "this help"),
    ("F11", "full screen"),
)

HELP_TEXT = (
    "Each month every state makes one move. Choose yours from the catalogue on the right: "
    "greyed moves are closed this month and say why. Hostile moves raise tension and can push "
    "a pair up the escalation ladder; treaties drag allies in when their partners are "
    "threatened or attacked. Your score weighs what your state wants (hover a goal for why) and "
    "is read against what the AI achieves for it. The crisis is on the map: coloured curves "
    "are rivalries (colour = rung, width = tension), blue and red double lines are defence pacts, dashed lines "
    "consultation pacts; a pulsing link is a clause invoked this month. The game autosaves "
    "every month."
)


class HelpScene(OverlayScene):
    single = True

    def layout(self, size) -> None:
        w = min(760, max(size[0] - 40, 40))
        lines = len(theme.wrap(HELP_TEXT, 13, w - 48))
        rows = (len(HELP_KEYS) + 1) // 2
        self.card = centred_card(size, 760, 50 + 18 * lines + 34 + 22 * rows + 44)

    def handle(self, ev) -> bool:
        if ev.type == pygame.KEYDOWN or is_click(ev):
            self.app.pop_scene(self)
        return True

    def draw(self, surf) -> None:
        veil(surf, 160)
        c = self.card
        theme.card(surf, c, 248)
        x, y = c.x + 24, c.y + 20
        theme.heading(surf, "HOW TO PLAY", (x, y), 14)
        y += 30
        for line in theme.wrap(HELP_TEXT, 13, c.w - 48):
            theme.text(surf, line, (x, y), 13, theme.INK)
            y += 18
        y += 14
        theme.heading(surf, "KEYS", (x, y), 11, theme.INK_FAINT)
        y += 20
        half = (len(HELP_KEYS) + 1) // 2
        colw = (c.w - 48) // 2
        for k, (key, what) in enumerate(HELP_KEYS):
            cx = x + (k // half) * colw
            cy = y + (k % half) * 22
            theme.chip(surf, (cx, cy), key, theme.PANEL_HI, theme.GOLD, 11, theme.PANEL_EDGE)
            theme.text(surf, what, (cx + 124, cy + 1), 12, theme.INK_DIM, max_width=colw - 130)
        theme.text(
            surf,
            "Press any key to close",
            (c.centerx, c.bottom - 14),
            11,
            theme.INK_FAINT,
            anchor="midbottom",
        )
