"""The end of the game: the outcome, the score and the months of the crisis."""

from __future__ import annotations

import numpy as np
import pygame

from game.engine.outcome import CROSSING_RULE, end_reason, threshold_label, where_words
from game.engine.theatres import where_reached
from game.ui import theme
from game.ui.panels.card import ESTIMATING
from game.ui.scenes.common import (
    OverlayScene,
    centred_card,
    veil,
)
from game.ui.widgets import Button, Menu, char_of, is_key


class EndScene(OverlayScene):
    single = True

    def __init__(self, app, play) -> None:
        super().__init__(app)
        self.play = play
        self.session = play.session
        self.menu = Menu(
            [
                Button("New game", app.opener("title"), hint="N", primary=True),
                Button("Look at the map", lambda: app.pop_scene(self), hint="Esc"),
                Button("Quit", app.quit, hint="Q"),
            ]
        )

    def layout(self, size) -> None:
        self.card = centred_card(size, 1000, 640)
        c = self.card
        self.chart = pygame.Rect(c.x + 420, c.y + 92, max(c.w - 450, 10), max(c.h - 220, 10))
        bw = 190
        x0 = c.right - 3 * (bw + 10) - 20
        for k, b in enumerate(self.menu.buttons):
            b.rect = pygame.Rect(x0 + k * (bw + 10), c.bottom - 58, bw, 40)

    def handle(self, ev) -> bool:
        if self.menu.handle(ev):
            return True
        ch = char_of(ev).lower()
        if is_key(ev, pygame.K_ESCAPE):
            self.app.pop_scene(self)
        elif ch == "n":
            self.app.open("title")
        elif ch == "q":
            self.app.quit()
        return True

    def draw(self, surf) -> None:
        s = self.session
        p = s.params
        veil(surf, 170)
        c = self.card
        theme.card(surf, c, 250)
        if bool(s.state.done[0]):
            # The game's own ending: general nuclear war, with no winner.
            theme.fill(surf, c, (90, 12, 16, 90), 8)
            pygame.draw.rect(surf, (255, 40, 40), (c.x, c.y, c.w, 6), border_radius=3)
            theme.text(
                surf,
                "No state wins a general nuclear war: every verdict is a disaster.",
                (c.right - 26, c.y + 22),
                12,
                (255, 120, 120),
                True,
                "topright",
            )
        x, y = c.x + 26, c.y + 22
        name, desc = s.outcome()
        theme.heading(surf, "THE OUTCOME", (x, y), 12, theme.INK_FAINT)
        # The name has the left column (the escalation path's heading stands to its right):
        # the largest size that holds it there.
        room = self.chart.x - x - 16
        size = next((z for z in (30, 26, 22) if theme.text_width(name, z, True) <= room), 18)
        theme.text(surf, name, (x, y + 18), size, theme.INK, True, max_width=room)
        y += 60
        months = s.turn
        y0, m0 = p.turn_date(0)
        sub = f"{months} months from {theme.month_name(y0, m0)}"
        if bool(s.state.done[0]):
            sub += f" \u00b7 the game ended in {end_reason()}"
        theme.text(surf, sub, (x, y), 13, theme.INK_DIM)
        y += 22
        where = where_words(where_reached(p, s.state, 0))
        if where:  # where war and nuclear use happened: Northeast Asia or off the map
            theme.text(surf, where, (x, y), 12, theme.INK_DIM, max_width=c.w - 60)
            y += 18
        if desc:
            for line in theme.wrap(desc, 12, 360, max_lines=2):
                theme.text(surf, line, (x, y), 12, theme.INK_DIM)
                y += 16
        y += 10
        # The player's result.
        me = s.player
        score = float(s.scores()[me])
        theme.heading(surf, f"{s.player_name.upper()} \u00b7 YOUR SCORE", (x, y), 11)
        y += 20
        if self.app.baseline(s) is not None:
            r = theme.text(surf, f"{s.beaten():.0%}", (x, y), 48, theme.GOLD, True)
            theme.text(surf, s.verdict(), (r.right + 14, y + 8), 24, theme.INK, True)
            why = f"better than {s.beaten():.0%} of the AI's futures for {s.player_name} (score {score:.0f})"
        else:  # the AI's futures are still being played (off the window's thread)
            r = theme.text(surf, "\u2026", (x, y), 48, theme.INK_FAINT, True)
            theme.text(surf, ESTIMATING, (r.right + 14, y + 8), 24, theme.INK_DIM, True)
            why = f"score {score:.0f}; the AI's futures for {s.player_name} are being played"
        if s.disaster():
            why = "nuclear weapons were used by or against it"
        # The left column ends where the escalation chart begins.
        room = self.chart.x - 16 - (r.right + 14)
        for k, line in enumerate(theme.wrap(why, 12, room, max_lines=2)):
            theme.text(surf, line, (r.right + 14, y + 38 + 15 * k), 12, theme.INK_FAINT)
        y += 84
        for obj, _, v in self.play.panel("card").rows():
            # The name has most of the row (a goal's name is a phrase), the bar the rest.
            theme.text(surf, obj, (x, y), 12, theme.INK_DIM, max_width=176)
            col = theme.GOOD if v >= 65 else theme.WARN if v >= 40 else theme.BAD
            theme.bar(surf, (x + 184, y + 5, 116, 6), v / 100, col)
            theme.text(surf, f"{v:.0f}", (x + 340, y), 12, theme.INK, True, "topright")
            y += 20
        y += 12
        theme.heading(surf, "EVERY STATE", (x, y), 10, theme.INK_FAINT)
        y += 18
        scores = s.scores()
        order = sorted(range(p.n_actors), key=lambda a: -scores[a])
        for k, a in enumerate(order):
            cx = x + (k % 2) * 180
            cy = y + (k // 2) * 18
            if cy > c.bottom - 80:
                break
            col = theme.GOLD if a == me else theme.INK
            theme.text(surf, p.actor_names[a], (cx, cy), 12, col, a == me, max_width=120)
            theme.text(surf, f"{scores[a]:.0f}", (cx + 160, cy), 12, col, True, "topright")
        y += 18 * ((p.n_actors + 1) // 2) + 14
        if y < c.bottom - 90:
            theme.heading(surf, "THRESHOLDS FIRST CROSSED", (x, y), 10, theme.INK_FAINT)
            y += 16
            # Which pairs count (the engine's rule): so a later month for a lower threshold
            # reads as what it is, pairs that stood at it from the start not counted.
            for line in theme.wrap(f"by {CROSSING_RULE}", 10, 340, max_lines=2):
                theme.text(surf, line, (x, y), 10, theme.INK_FAINT)
                y += 13
            y += 4
            for h, name in enumerate(p.thresholds):
                if y > c.bottom - 76:
                    break
                turn = int(s.state.first_cross[0, h])
                label = threshold_label(name)
                when = theme.month_name(*p.turn_date(turn)) if turn >= 0 else "never"
                colour = theme.rung_colours(p)[int(p.thresholds[name])]
                theme.text(surf, label, (x, y), 12, colour if turn >= 0 else theme.INK_DIM)
                theme.text(
                    surf,
                    when,
                    (x + 340, y),
                    12,
                    theme.INK if turn >= 0 else theme.INK_FAINT,
                    anchor="topright",
                )
                y += 17
        self._chart(surf)
        self.menu.draw(surf)

    def _chart(self, surf) -> None:
        """The escalation path: the highest rung each month, in the region and for the player."""
        s = self.session
        p = s.params
        ch = self.chart
        colours = theme.rung_colours(p)
        theme.heading(surf, "THE ESCALATION PATH", (ch.x, ch.y - 30), 12)
        theme.text(
            surf,
            "highest rung each month",
            (ch.right, ch.y - 30),
            11,
            theme.INK_FAINT,
            anchor="topright",
        )
        n = len(p.rung_ids)
        label_w = 150
        plot = pygame.Rect(ch.x + label_w, ch.y, max(ch.w - label_w, 10), max(ch.h - 30, 10))
        pygame.draw.rect(surf, (12, 17, 26), plot)
        row = plot.h / n

        def ry(r: float) -> float:
            return plot.bottom - (r + 0.5) * row

        for r in range(n):
            y = ry(r)
            theme.text(
                surf,
                p.rung_names[r],
                (plot.x - 8, y),
                10,
                colours[r],
                anchor="midright",
                max_width=label_w - 10,
            )
            pygame.draw.line(surf, (22, 30, 42), (plot.x, y), (plot.right, y))
        for level in p.thresholds.values():
            if 0 < level < n:
                y = plot.bottom - level * row
                for xx in range(plot.x, plot.right, 8):
                    pygame.draw.line(surf, theme.shade(colours[level], 0.6), (xx, y), (xx + 4, y))
        hist = s.history
        turns = max(s.turns, 1)
        xs = lambda k: plot.x + (k + 0.5) * plot.w / turns  # noqa: E731
        if hist:
            start = p.rung0.copy()
            region0 = int(np.where(p.regional_pair_mask, start, -1).max())
            mine0 = int(np.delete(start[s.player], s.player).max())
            pts_r = [(plot.x, ry(max(region0, 0)))]
            pts_p = [(plot.x, ry(mine0))]
            for m in hist:
                pts_r.append((xs(m.turn), ry(m.peak_region)))
                pts_p.append((xs(m.turn), ry(m.peak_player)))
            # Region: coloured steps by rung.
            for (x0, y0), (x1, y1), m in zip(pts_r, pts_r[1:], [None] + hist):
                r = hist[0].peak_region if m is None else m.peak_region
                col = colours[r]
                pygame.draw.line(surf, col, (x0, y0), (x1, y0), 4)
                pygame.draw.line(surf, col, (x1, y0), (x1, y1), 2)
            for (x0, y0), (x1, y1) in zip(pts_p, pts_p[1:]):
                pygame.draw.line(surf, theme.GOLD, (x0, y0 + 3), (x1, y0 + 3), 2)
                pygame.draw.line(surf, theme.GOLD, (x1, y0 + 3), (x1, y1 + 3), 1)
        pygame.draw.rect(surf, theme.PANEL_EDGE, plot, 1)
        for k in range(0, turns, max(turns // 6, 1)):
            y0, m0 = p.turn_date(k)
            theme.text(
                surf,
                theme.month_name(y0, m0, True),
                (xs(k), plot.bottom + 4),
                10,
                theme.INK_FAINT,
                anchor="midtop",
            )
        lx = plot.x
        ly = plot.bottom + 20
        pygame.draw.line(surf, colours[min(4, n - 1)], (lx, ly + 6), (lx + 22, ly + 6), 4)
        theme.text(surf, "Region (states on the map)", (lx + 28, ly), 11, theme.INK_DIM)
        mine = f"{s.player_name} (your worst pair)"
        # Beside the first where the plot is wide enough, else below it.
        if lx + 210 + 28 + theme.text_width(mine, 11) <= plot.right:
            lx += 210
        else:
            ly += 16
        pygame.draw.line(surf, theme.GOLD, (lx, ly + 6), (lx + 22, ly + 6), 2)
        theme.text(surf, mine, (lx + 28, ly), 11, theme.INK_DIM, max_width=plot.right - lx - 28)
