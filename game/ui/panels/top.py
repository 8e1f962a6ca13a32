"""The top bar: the logo, the scenario, the date, the crisis peak and the three buttons."""

from __future__ import annotations

import numpy as np
import pygame

from game.text import counted
from game.ui import theme
from game.ui.panels.base import Panel

BUTTONS = (
    ("forecast", "Forecast", "F"),
    ("help", "Help", "F1"),
    ("menu", "Menu", "Esc"),
)


class TopBar(Panel):
    name = "top"

    def __init__(self, play) -> None:
        super().__init__(play)
        self.buttons: dict[str, pygame.Rect] = {}
        self.hover_button: str | None = None

    def place(self, frame):
        r = frame["top"]
        bw = 96
        self.buttons = {
            "menu": pygame.Rect(r.right - bw - 10, 8, bw, 30),
            "help": pygame.Rect(r.right - 2 * bw - 18, 8, bw, 30),
            "forecast": pygame.Rect(r.right - 3 * bw - 26, 8, bw + 8, 30),
        }
        return r

    def _button_at(self, pos) -> str | None:
        return next((n for n, r in self.buttons.items() if r.collidepoint(pos)), None)

    def hover(self, pos):
        self.hover_button = self._button_at(pos)
        return []

    def leave(self) -> None:
        self.hover_button = None

    def press(self, pos) -> None:
        name = self._button_at(pos)
        if name == "menu":
            self.play.app.open("pause")
        elif name == "help":
            self.play.app.open("help")
        elif name == "forecast":
            self.play.toggle_forecast()

    def inputs(self):
        return (self.hover_button, self.play.show_forecast)

    def paint(self, img, rect) -> None:
        s, p = self.session, self.params
        img.fill((10, 14, 22))
        pygame.draw.line(img, theme.PANEL_EDGE, (0, rect.h - 1), (rect.w, rect.h - 1))
        mid = rect.h // 2
        # Right: where the whole crisis stands, next to the buttons.
        peak = int(s.rung.max())
        i, j = np.unravel_index(int(np.argmax(s.rung)), s.rung.shape)
        bx = self.buttons["forecast"].x - self.rect.x - 16
        label = f"{p.rung_names[peak]}  {p.actor_ids[i]}\u2013{p.actor_ids[j]}"
        col = self.colours[peak]
        chip = theme.chip(
            img, (bx, mid), label, theme.shade(col, 0.35), col, 12, col, "midright", 8
        )
        # Left: the logo, the scenario and the date, leaving out what does not fit.
        logo = theme.spaced("PACT", 20, theme.GOLD, True, 4)
        turn = min(s.turn, s.turns - 1)
        y, m = p.turn_date(turn)
        when = "Game over" if s.over else theme.month_name(y, m)
        sub = (
            f"Month {min(s.turn + 1, s.turns)} of {s.turns}"
            if not s.over
            else f"after {counted(s.turn, 'month')}"
        )
        name_w = min(theme.text_width(p.scenario_name, 13), 220)
        heading_w = theme.spaced("CRISIS PEAK", 10, theme.INK_FAINT).get_width() + 20
        parts = {
            "name": name_w + 54,
            "when": theme.text_width(when, 19, True) + 10,
            "sub": theme.text_width(sub, 12) + 10,
            "heading": heading_w,
        }
        room = chip.x - 16 - (16 + logo.get_width() + 14)
        for drop in ("heading", "name", "sub"):
            if sum(parts.values()) <= room:
                break
            parts.pop(drop)
        x = 16
        img.blit(logo, logo.get_rect(midleft=(x, mid)))
        x += logo.get_width() + 14
        if "name" in parts:
            pygame.draw.line(img, theme.RULE, (x, 10), (x, rect.h - 10))
            x += 14
            theme.text(
                img, p.scenario_name, (x, mid), 13, theme.INK_DIM, anchor="midleft", max_width=220
            )
            x += name_w + 26
        r1 = theme.text(img, when, (x, mid - 1), 19, theme.INK, True, "midleft")
        if "sub" in parts:
            theme.text(img, sub, (r1.right + 10, mid + 1), 12, theme.INK_DIM, anchor="midleft")
        if "heading" in parts:
            theme.heading(
                img, "CRISIS PEAK", (chip.x - 10, mid + 1), 10, theme.INK_FAINT, "midright"
            )
        for name, label_, hint in BUTTONS:
            on = name == "forecast" and self.play.show_forecast
            theme.button(
                img,
                self.local(self.buttons[name]),
                label_,
                hot=self.hover_button == name or on,
                hint=hint,
                size=12,
            )
