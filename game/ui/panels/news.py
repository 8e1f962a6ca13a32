"""The news of the month under the map (or the briefing before the first month): headlines
with their tags, scrolled with the wheel or Page Up/Down; cut headlines show whole as tips."""

from __future__ import annotations

import pygame

from game.play.headlines import month_headlines
from game.ui import theme
from game.ui.panels.base import Panel
from game.ui.widgets import is_key

ROW_H = 19
TOP = 30  # the first headline's y under the heading
TAG_W = 82


class News(Panel):
    name = "news"

    def __init__(self, play) -> None:
        super().__init__(play)
        self.scroll = 0

    def items(self):
        """The month shown (the latest, or the one picked on the timeline) and its headlines."""
        s = self.session
        turn = self.play.view_turn
        if turn is None:
            month = s.last_month()
        else:
            month = next((m for m in s.history if m.turn == turn), None)
        if month is None:
            return None, []
        return month, month_headlines(self.params, month.events, s.player_id)

    def scroll_by(self, step: int) -> None:
        last = max(len(self.items()[1]) - 1, 0)
        self.scroll = max(0, min(self.scroll + step, last))

    def wheel(self, pos, dy: int) -> None:
        self.scroll_by(-dy)

    def key(self, ev, ch, mods) -> bool:
        if is_key(ev, pygame.K_PAGEUP):
            self.scroll = max(0, self.scroll - 3)
        elif is_key(ev, pygame.K_PAGEDOWN):
            self.scroll = min(self.scroll + 3, max(len(self.items()[1]) - 1, 0))
        elif is_key(ev, pygame.K_HOME):
            self.play.show_month(None)
        else:
            return False
        return True

    def hover(self, pos):
        _, items = self.items()
        idx = self.scroll + (pos[1] - self.rect.y - TOP) // ROW_H
        if pos[1] >= self.rect.y + TOP and 0 <= idx < len(items):
            room = self.rect.w - 14 - TAG_W - 10
            if theme.text_width(items[idx].text, 13) > room:  # only cut headlines
                return [(items[idx].text, theme.INK, False)]
        return []

    def inputs(self):
        return (self.play.view_turn, self.scroll)

    def paint(self, img, rect) -> None:
        s, p = self.session, self.params
        view_turn, scroll = self.inputs()
        pygame.draw.line(img, theme.RULE, (rect.w - 1, 0), (rect.w - 1, rect.h))
        month, items = self.items()
        x = 14
        if month is None:
            theme.heading(img, "BRIEFING", (x, 10), 11)
            desc = str(p.extra.get("description", "")) or p.scenario_name
            y = 32
            for line in theme.wrap(desc, 13, rect.w - 28):
                if y > rect.h - 36:
                    break
                theme.text(img, line, (x, y), 13, theme.INK)
                y += 18
            y += 6
            theme.text(
                img,
                f"Your state: {s.player_name}. Choose an order on the right, then end "
                "the turn (Enter).",
                (x, y),
                12,
                theme.GOLD,
                max_width=rect.w - 28,
            )
            return
        y0, m0 = p.turn_date(month.turn)
        theme.heading(img, f"DISPATCHES \u00b7 {theme.month_name(y0, m0).upper()}", (x, 10), 11)
        if view_turn is not None:
            theme.text(
                img,
                "earlier month \u00b7 Home: latest",
                (rect.w - 12, 10),
                10,
                theme.INK_FAINT,
                anchor="topright",
            )
        elif not items:
            theme.text(img, "A quiet month.", (x, 34), 13, theme.INK_DIM)
        y = TOP
        fit = max((rect.h - TOP) // ROW_H, 1)
        shown = items[scroll:]
        if len(shown) > fit:
            shown = shown[: fit - 1]  # the last row says how many more there are
        for h in shown:
            col = theme.TONE.get(h.tone, theme.INK_DIM)
            if h.rung is not None and h.tag in ("LADDER", "CLASH"):
                col = self.colours[h.rung]
            chip = pygame.Rect(x, y + 2, TAG_W - 8, 15)
            pygame.draw.rect(img, theme.shade(col, 0.28), chip, border_radius=3)
            theme.text(img, h.tag, chip.center, 9, col, True, "center")
            ink = theme.GOLD if h.tone == "player" else theme.INK
            theme.text(
                img,
                h.text,
                (x + TAG_W, y + 9),
                13,
                ink,
                h.weight >= 80,
                "midleft",
                max_width=rect.w - x - TAG_W - 10,
            )
            y += ROW_H
        rest = len(items) - scroll - len(shown)
        if rest > 0:
            theme.text(
                img,
                f"+{rest} more (scroll)",
                (rect.w - 12, y + ROW_H // 2),
                10,
                theme.INK_FAINT,
                anchor="midright",
            )
