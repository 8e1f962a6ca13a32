"""The timeline under the map: a cell per month, coloured by the region's peak; the current
month pulses; a click on a past month shows its news."""

from __future__ import annotations

import pygame

from game.text import sentence_case
from game.ui import theme
from game.ui.panels.base import Panel


class Timeline(Panel):
    name = "timeline"

    def __init__(self, play) -> None:
        super().__init__(play)
        self.hover_month: int | None = None

    def month_rects(self) -> list[tuple[pygame.Rect, int]]:
        t = self.rect
        n = max(self.session.turns, 1)
        x0, x1 = t.x + 86, t.right - 12
        cw = max((x1 - x0) / n, 1.0)
        return [
            (pygame.Rect(round(x0 + k * cw) + 1, t.y + 6, max(round(cw) - 2, 1), 12), k)
            for k in range(n)
        ]

    def _month_at(self, pos) -> int | None:
        """The month under the pointer (the later one where two cells' margins meet)."""
        hits = [k for rect, k in self.month_rects() if rect.inflate(2, 10).collidepoint(pos)]
        return hits[-1] if hits else None

    def hover(self, pos):
        self.hover_month = k = self._month_at(pos)
        return [] if k is None else self._tip(k)

    def leave(self) -> None:
        self.hover_month = None

    def press(self, pos) -> None:
        k = self._month_at(pos)
        s = self.session
        if k is not None and k < s.turn:
            self.play.show_month(None if k == s.turn - 1 else k)

    def _tip(self, k: int):
        s, p = self.session, self.params
        y, m = p.turn_date(k)
        title = theme.month_name(y, m)
        month = next((h for h in s.history if h.turn == k), None)
        if month is None:
            state = "this month" if k == s.turn else "to come"
            return [(title, theme.INK, True), (sentence_case(state), theme.INK_DIM, False)]
        pair = "\u2013".join(month.peak_pair)
        return [
            (title, theme.INK, True),
            (
                f"Region's peak: {p.rung_names[month.peak_region]} ({pair})",
                self.colours[month.peak_region],
                False,
            ),
            (
                f"Your highest: {p.rung_names[month.peak_player]}",
                self.colours[month.peak_player],
                False,
            ),
            ("Click to read that month's news", theme.INK_FAINT, False),
        ]

    def inputs(self):
        return (self.hover_month, self.play.view_turn)

    def paint(self, img, rect) -> None:
        s, p = self.session, self.params
        hover_month, view_turn = self.inputs()
        img.fill((12, 17, 26))
        pygame.draw.line(img, theme.PANEL_EDGE, (0, 0), (rect.w, 0))
        theme.heading(img, "TIMELINE", (12, 10), 10, theme.INK_FAINT)
        peaks = {m.turn: m for m in s.history}
        for cell, k in self.month_rects():
            c = self.local(cell)
            if k in peaks:
                m = peaks[k]
                col = self.colours[m.peak_region]
                frac = 0.35 + 0.65 * m.peak_region / max(len(p.rung_ids) - 1, 1)
                h = max(round(c.h * frac), 3)
                pygame.draw.rect(img, theme.shade(col, 0.35), c, border_radius=2)
                pygame.draw.rect(img, col, (c.x, c.bottom - h, c.w, h), border_radius=2)
            elif k == s.turn:
                pygame.draw.rect(img, (40, 52, 70), c, border_radius=2)
            else:
                pygame.draw.rect(img, (26, 34, 48), c, border_radius=2)
            if view_turn == k or (view_turn is None and k == s.turn - 1):
                pygame.draw.line(
                    img, theme.INK, (c.x, c.bottom + 2), (c.right - 1, c.bottom + 2), 2
                )
            if hover_month == k:
                pygame.draw.rect(img, theme.INK, c.inflate(2, 2), 1, border_radius=2)
            y, mth = p.turn_date(k)
            if mth == 1 or k == 0:
                theme.text(
                    img,
                    str(y) if mth == 1 else theme.month_name(y, mth, True),
                    (c.x, c.bottom + 1),
                    9,
                    theme.INK_FAINT,
                )
            if mth == 1:
                pygame.draw.line(img, theme.RULE, (c.x - 2, c.y - 2), (c.x - 2, c.bottom + 10))

    def draw(self, surf) -> None:
        super().draw(surf)
        s = self.session
        if s.over:
            return
        for cell, k in self.month_rects():
            if k == s.turn:
                k_ = theme.pulse(self.play.app.t, 1.0)
                col = theme.mix(theme.GOLD_DIM, theme.GOLD, k_)
                pygame.draw.rect(surf, col, cell.inflate(2, 2), 2, border_radius=3)
