"""The two pickers before a game: the scenario (files that do not load are shown with why)
and the state to play."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pygame

from game.engine.outcome import score_terms
from game.text import short_goal
from game.ui import theme
from game.ui.scenes.common import (
    ListScene,
    centred_card,
    veil,
)
from game.ui.widgets import Button


def default_entry(entries) -> int:
    """The entry chosen when the picker opens: the default scenario if it loads, else the
    first that does."""
    from game.scenario.paths import DEFAULT_SCENARIO

    name = Path(DEFAULT_SCENARIO).name
    ok = [i for i, e in enumerate(entries) if e.ok]
    return next((i for i in ok if entries[i].file == name), ok[0] if ok else 0)


class ScenarioScene(ListScene):
    def __init__(self, app) -> None:
        super().__init__(app)
        self.entries = app.scenario_entries()
        self.index = default_entry(self.entries)
        self.go = Button("Choose a state", self.choose, hint="Enter", primary=True)

    def choose(self) -> None:
        if self.entries and self.entries[self.index].ok:
            self.app.open("states", self.entries[self.index].loaded)

    def layout(self, size) -> None:
        self.card = centred_card(size, 980, 600)
        c = self.card
        list_w = max(min(340, c.w // 2 - 20), 60)
        self.rows = [
            pygame.Rect(c.x + 16, c.y + 60 + i * 56, list_w, 50) for i in range(len(self.entries))
        ]
        self.detail = pygame.Rect(
            c.x + list_w + 40, c.y + 60, max(c.w - list_w - 60, 10), max(c.h - 130, 10)
        )
        self.go.rect = pygame.Rect(c.right - 236, c.bottom - 58, 220, 40)
        self.back.rect = pygame.Rect(c.right - 376, c.bottom - 58, 128, 40)

    def draw(self, surf) -> None:
        self.app.draw_backdrop(surf)
        veil(surf, 150)
        c = self.card
        theme.card(surf, c, 242)
        theme.heading(surf, "CHOOSE A SCENARIO", (c.x + 18, c.y + 18), 13)
        theme.text(
            surf,
            f"{sum(e.ok for e in self.entries)} scenario(s) in {self.app.scenario_dir.name}/",
            (c.right - 18, c.y + 18),
            11,
            theme.INK_FAINT,
            anchor="topright",
        )
        for i, (e, r) in enumerate(zip(self.entries, self.rows)):
            if r.bottom > c.bottom - 70:
                break
            self.draw_row(surf, r, i)
            if e.ok:
                theme.text(
                    surf, e.name, (r.x + 12, r.y + 8), 14, theme.INK, True, max_width=r.w - 24
                )
                theme.text(
                    surf, e.file, (r.x + 12, r.y + 28), 11, theme.INK_FAINT, max_width=r.w - 24
                )
            else:
                theme.text(
                    surf,
                    f"\u2716 {e.file}",
                    (r.x + 12, r.y + 8),
                    14,
                    theme.BAD,
                    True,
                    max_width=r.w - 24,
                )
                theme.text(
                    surf,
                    "does not load: see why on the right",
                    (r.x + 12, r.y + 28),
                    11,
                    theme.INK_FAINT,
                    max_width=r.w - 24,
                )
        d = self.detail
        if self.entries:
            e = self.entries[self.index]
            y = d.y
            if e.ok:
                p = e.loaded.params
                theme.text(surf, e.name, (d.x, y), 22, theme.INK, True, max_width=d.w)
                y += 34
                y0, m0 = p.turn_date(0)
                facts = (
                    f"From {theme.month_name(y0, m0)} \u00b7 {p.turns} months \u00b7 "
                    f"{p.n_actors} states \u00b7 {len(p.treaty_ids)} treaties"
                )
                theme.text(surf, facts, (d.x, y), 13, theme.GOLD)
                y += 28
                for line in theme.wrap(str(p.extra.get("description", "")), 14, d.w):
                    theme.text(surf, line, (d.x, y), 14, theme.INK)
                    y += 20
                y += 14
                theme.heading(surf, "STATES", (d.x, y), 10, theme.INK_FAINT)
                y += 18
                blocs = p.extra.get("blocs", ["neutral"] * p.n_actors)
                x = d.x
                for a, name in enumerate(p.actor_names):
                    col = theme.BLOC.get(blocs[a], theme.INK_DIM)
                    w = theme.text_width(name, 12, True) + 14
                    if x + w > d.right:
                        x = d.x
                        y += 24
                    theme.chip(surf, (x, y), name, theme.shade(col, 0.55), theme.INK, 12)
                    x += w + 6
                y += 36
                theme.heading(surf, "TREATIES", (d.x, y), 10, theme.INK_FAINT)
                y += 18
                from game.play.rules import treaty_label

                for t in range(len(p.treaty_ids)):
                    if y > self.go.rect.y - 28:
                        theme.text(
                            surf,
                            f"\u2026 and {len(p.treaty_ids) - t} more",
                            (d.x, y),
                            12,
                            theme.INK_FAINT,
                        )
                        break
                    parties = [p.actor_ids[a] for a in np.nonzero(p.treaty_parties[t])[0]]
                    theme.text(
                        surf,
                        treaty_label(p, t, 46),
                        (d.x, y),
                        12,
                        theme.INFO,
                        max_width=d.w - 120,
                    )
                    theme.text(
                        surf,
                        " \u00b7 ".join(parties),
                        (d.right, y),
                        11,
                        theme.INK_DIM,
                        anchor="topright",
                    )
                    y += 18
            else:
                theme.text(surf, e.file, (d.x, y), 20, theme.BAD, True, max_width=d.w)
                y += 34
                theme.text(
                    surf,
                    "This file does not load, so it cannot be played:",
                    (d.x, y),
                    13,
                    theme.INK_DIM,
                )
                y += 24
                for line in theme.wrap(e.error, 13, d.w, max_lines=10):
                    theme.text(surf, line, (d.x, y), 13, theme.WARN)
                    y += 18
        else:
            theme.text(surf, "No scenario files found.", (d.x, d.y), 14, theme.WARN)
        self.back.draw(surf, self.hot == "back")
        self.go.enabled = bool(self.entries) and self.entries[self.index].ok
        self.go.draw(surf, self.hot == "go")


class StateScene(ListScene):
    """The states as a list on the left; a click on the map picks a state too."""

    PREV_KEYS = (*ListScene.PREV_KEYS, pygame.K_LEFT)
    NEXT_KEYS = (*ListScene.NEXT_KEYS, pygame.K_RIGHT)

    def __init__(self, app, loaded) -> None:
        super().__init__(app)
        self.loaded = loaded
        p = loaded.params
        self.params = p
        self.blocs = list(p.extra.get("blocs", ["neutral"] * p.n_actors))
        default = loaded.model.scenario.default_player
        self.index = p.actor_ids.index(default) if default in p.actor_ids else 0
        self.default = self.index
        self.hover_iso: str | None = None
        self.go = Button("Play", self.start, hint="Enter", primary=True)

    def start(self) -> None:
        seed = (
            self.app.seed if self.app.seed is not None else random.SystemRandom().randrange(1 << 31)
        )
        self.app.new_game(self.loaded, self.index, seed)

    def layout(self, size) -> None:
        w, h = size
        self.panel = pygame.Rect(16, 16, min(360, max(w // 3, 120)), max(h - 32, 10))
        n = self.params.n_actors
        row_h = max(min(58, (self.panel.h - 70) // max(n, 1)), 20)
        self.rows = [
            pygame.Rect(
                self.panel.x + 10, self.panel.y + 48 + i * row_h, self.panel.w - 20, row_h - 6
            )
            for i in range(n)
        ]
        self.info = pygame.Rect(
            w - min(420, max(w // 3, 140)) - 16, 16, min(420, max(w // 3, 140)), max(h - 32, 10)
        )
        self.go.rect = pygame.Rect(self.info.x + 16, self.info.bottom - 56, self.info.w - 150, 40)
        self.back.rect = pygame.Rect(self.info.right - 126, self.info.bottom - 56, 110, 40)

    def map_iso(self, pos) -> str | None:
        """The country under ``pos`` on the map, None over the panels."""
        if pos is None or self.panel.collidepoint(pos) or self.info.collidepoint(pos):
            return None
        return self.app.backdrop_map().country_at(*pos)

    def hover(self, pos) -> None:
        super().hover(pos)
        self.hover_iso = self.map_iso(pos) if self.hot is None else None

    def click_elsewhere(self, pos) -> None:
        iso = self.map_iso(pos)
        if iso in self.params.actor_ids:
            self.index = self.params.actor_ids.index(iso)

    def draw(self, surf) -> None:
        p = self.params
        mv = self.app.backdrop_map(self.loaded)
        self.app.draw_backdrop(surf, self.loaded)
        veil(surf, 60)
        iso = p.actor_ids[self.index]
        mv.draw_highlight(surf, iso, theme.GOLD, 3, 60)
        if self.hover_iso and self.hover_iso != iso:
            mv.draw_highlight(surf, self.hover_iso, (255, 236, 170), 2, 30)
        # The list of states.
        pn = self.panel
        theme.card(surf, pn, 238)
        theme.heading(surf, "CHOOSE YOUR STATE", (pn.x + 14, pn.y + 16), 13)
        for a, r in enumerate(self.rows):
            self.draw_row(surf, r, a)
            col = theme.BLOC.get(self.blocs[a], theme.INK_DIM)
            pygame.draw.rect(surf, col, (r.x, r.y, 4, r.h), border_radius=2)
            big = r.h >= 40
            theme.text(
                surf,
                p.actor_names[a],
                (r.x + 14, r.y + (6 if big else r.h // 2)),
                15,
                theme.INK,
                True,
                "topleft" if big else "midleft",
                max_width=r.w - 90,
            )
            theme.text(
                surf, p.actor_ids[a], (r.right - 10, r.y + 6), 11, theme.INK_FAINT, True, "topright"
            )
            if big:
                sub = theme.BLOC_NAMES.get(self.blocs[a], self.blocs[a])
                if a == self.default:
                    sub += " \u00b7 suggested"
                if not bool(p.on_map[a]):
                    sub += " \u00b7 off the main map"
                theme.text(
                    surf,
                    sub,
                    (r.x + 14, r.y + 26),
                    11,
                    theme.BLOC_INK.get(self.blocs[a], theme.INK_DIM),
                    max_width=r.w - 24,
                )
        # The chosen state.
        info = self.info
        theme.card(surf, info, 240)
        a = self.index
        x, y = info.x + 16, info.y + 16
        theme.heading(surf, "YOUR STATE", (x, y), 10, theme.INK_FAINT)
        y += 16
        theme.text(surf, p.actor_names[a], (x, y), 24, theme.INK, True, max_width=info.w - 32)
        y += 36
        at = p.attr0[a]
        facts = [
            ("Military", f"{at[0]:.0f}"),
            ("Warheads", f"{at[1]:,.0f}"),
            ("Economy", f"{at[3]:.0f}"),
            ("Stability", f"{at[4]:.0f}"),
        ]
        cw = (info.w - 32) / 4
        for k, (lab, val) in enumerate(facts):
            theme.text(surf, lab.upper(), (x + k * cw, y), 9, theme.INK_FAINT, True)
            theme.text(surf, val, (x + k * cw, y + 11), 16, theme.INK, True)
        y += 44
        theme.heading(surf, "WHAT COUNTS FOR THE SCORE", (x, y), 10, theme.INK_FAINT)
        y += 18
        # Its goals where it has some (as the game scores it), else its objective weights.
        terms = sorted(score_terms(p, a), key=lambda t: -t[1])
        total = max(sum(w for _, w, _ in terms), 1e-9)
        if len(terms) > 6:  # the lightest told together, so that the shares add up
            rest = terms[5:]
            terms = [*terms[:5], (f"{len(rest)} more", sum(w for _, w, _ in rest), -1)]
        for name, w, _ in terms:
            theme.text(surf, short_goal(name), (x, y), 12, theme.INK_DIM, max_width=150)
            theme.bar(surf, (x + 160, y + 5, info.w - 230, 6), w / total * 2, theme.GOLD)
            theme.text(
                surf, f"{100 * w / total:.0f}%", (info.right - 16, y), 12, theme.INK,
                anchor="topright",
            )  # fmt: skip
            y += 20
        y += 8
        d = self.loaded.model.actors[a].doctrine
        for label, ids in (("Rivals", d.rivals), ("Partners", d.partners)):
            names = (
                ", ".join(p.actor_names[p.actor_ids.index(i)] for i in ids if i in p.actor_ids)
                or "none"
            )
            theme.text(surf, label, (x, y), 12, theme.INK_FAINT, True)
            for line in theme.wrap(names, 12, info.w - 110, max_lines=2):
                theme.text(surf, line, (x + 80, y), 12, theme.INK)
                y += 17
            y += 3
        y += 6
        theme.heading(surf, "TREATIES", (x, y), 10, theme.INK_FAINT)
        y += 18
        from game.play.rules import treaty_label

        tr = [t for t in range(len(p.treaty_ids)) if p.treaty_parties[t, a]]
        for t in tr[:5]:
            if y > self.go.rect.y - 40:
                break
            others = [p.actor_ids[o] for o in np.nonzero(p.treaty_parties[t])[0] if o != a]
            theme.text(
                surf,
                f"{treaty_label(p, t, 40)} \u00b7 {', '.join(others)}",
                (x, y),
                12,
                theme.INFO,
                max_width=info.w - 32,
            )
            y += 17
        if not tr:
            theme.text(surf, "none", (x, y), 12, theme.INK_DIM)
        colours = theme.rung_colours(p)
        y += 10
        if y < self.go.rect.y - 60:
            theme.heading(surf, "AT THE START", (x, y), 10, theme.INK_FAINT)
            y += 18
            rel = sorted(
                (
                    (int(p.rung0[a, o]), float(p.tension0[a, o]), o)
                    for o in range(p.n_actors)
                    if o != a
                ),
                reverse=True,
            )
            for r, tension, o in rel:
                if r < 1 or y > self.go.rect.y - 26:
                    break
                theme.text(surf, p.actor_names[o], (x, y), 12, theme.INK, max_width=120)
                pygame.draw.rect(surf, colours[r], (x + 124, y + 3, 8, 10), border_radius=2)
                theme.text(
                    surf, p.rung_names[r], (x + 138, y), 12, colours[r], max_width=info.w - 200
                )
                theme.text(
                    surf,
                    f"{tension:.0f}",
                    (info.right - 16, y),
                    11,
                    theme.INK_DIM,
                    anchor="topright",
                )
                y += 17
        self.go.label = f"Play {p.actor_names[a]}"
        self.go.draw(surf, self.hot == "go")
        self.back.draw(surf, self.hot == "back")
