"""The forecast, a card over the map's bottom-right corner shown on demand (F): the odds of
war and of each threshold over the next twelve months, played out by the AI in the
background, and new war month by month."""

from __future__ import annotations

import pygame

from game.engine.outcome import REQUIRED_THRESHOLDS, threshold_label
from game.text import counted
from game.ui import theme
from game.ui.panels.base import Panel


def pct(v: float) -> str:
    if v <= 0:
        return "0%"
    if v < 0.01:
        return "<1%"
    return f"{100 * v:.0f}%"


class ForecastCard(Panel):
    name = "forecast"
    alpha = True
    over_map = True

    def place(self, frame):
        m = frame["map"]
        return pygame.Rect(m.right - 280, m.bottom - 246, 276, 242)

    def visible(self) -> bool:
        return self.play.show_forecast

    def press(self, pos) -> None:
        self.play.show_forecast = False

    def draw(self, surf) -> None:
        if self.visible():
            super().draw(surf)

    def inputs(self):
        f = self.play.forecast
        return (id(f), f.done if f else None, round(f.progress, 2) if f and not f.done else 1)

    def paint(self, img, rect) -> None:
        f = self.play.forecast
        p = self.params
        box = rect.inflate(-6, -6)
        inner = theme.card(img, box, 242)
        ahead = (
            f"NEXT {counted(f.months, 'month').upper()}" if f is not None else "THE MONTHS AHEAD"
        )
        theme.heading(img, f"FORECAST \u00b7 {ahead}", (inner.x, inner.y), 11)
        y = inner.y + 20
        if f is None:
            return
        theme.text(
            img, "F closes", (inner.right, inner.bottom), 10, theme.INK_FAINT, anchor="bottomright"
        )
        if not f.done:
            theme.text(
                img,
                f"Playing {f.runs:,} futures, the AI for every state\u2026",
                (inner.x, y),
                12,
                theme.INK_DIM,
                max_width=inner.w,
            )
            theme.bar(img, (inner.x, y + 24, inner.w, 8), f.progress, theme.GOLD)
            theme.text(img, f"{100 * f.progress:.0f}%", (inner.x, y + 38), 11, theme.INK_FAINT)
            return
        res = f.result
        y0, m0 = p.turn_date(res.start_turn)
        about = (
            f"{res.runs:,} futures from {theme.month_name(y0, m0, True)}, the AI for every "
            "state: the share with a pair newly on each rung"
        )
        for line in theme.wrap(about, 11, inner.w, max_lines=2):
            theme.text(img, line, (inner.x, y), 11, theme.INK_DIM)
            y += 14
        y += 6
        war_col = self.colours[int(p.thresholds["war"])]
        rows = [
            ("You: new war", res.player_war, theme.GOLD, True),  # a war of the player's state
            *(
                (threshold_label(n), res.odds[n], self.colours[int(p.thresholds[n])], n == "war")
                for n in REQUIRED_THRESHOLDS
            ),
        ]
        # The labels' column as wide as its widest (the player's state's name is in the
        # first), up to half the card.
        widest = max(theme.text_width(label, 12, strong) for label, _, _, strong in rows)
        label_w = int(min(max(130, widest + 8), inner.w // 2))
        for label, v, col, strong in rows:
            theme.text(
                img,
                label,
                (inner.x, y + 6),
                12,
                theme.INK if strong else theme.INK_DIM,
                strong,
                "midleft",
                max_width=label_w - 4,
            )
            theme.bar(img, (inner.x + label_w, y + 2, inner.w - label_w - 38, 9), v, col)
            theme.text(img, pct(v), (inner.right, y + 6), 12, theme.INK, True, "midright")
            y += 17
        if res.likeliest_war:
            a, b, v = res.likeliest_war
            theme.text(
                img,
                f"Likeliest war: {p.actor_names[p.actor_ids.index(a)]} \u2013 "
                f"{p.actor_names[p.actor_ids.index(b)]} ({pct(v)})",
                (inner.x, y + 2),
                11,
                theme.INK_DIM,
                max_width=inner.w,
            )
            y += 18
        # Month by month: the share of futures with a new war (on the map) by then.
        cum = res.cumulative["war"]
        y += 4
        theme.text(
            img,
            "New war by month",
            (inner.x, y),
            10,
            theme.INK_FAINT,
            max_width=inner.w - 50,
        )
        y += 14
        h = max(inner.bottom - y - 14, 8)
        n = max(len(cum), 1)
        bw = inner.w / n
        pygame.draw.line(img, theme.RULE, (inner.x, y + h), (inner.right, y + h))
        for k in range(len(cum)):
            x = round(inner.x + k * bw) + 1
            w = max(round(bw) - 2, 1)
            rh = round(h * cum[k])
            if rh:
                pygame.draw.rect(img, war_col, (x, y + h - rh, w, rh))
