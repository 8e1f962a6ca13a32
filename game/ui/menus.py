"""The scenes around the map: title, scenario picker, choice of state, pause menu, help,
messages, the list of saves, and the end of the game."""

from __future__ import annotations

import random

import numpy as np
import pygame

from game.engine.outcome import end_reason, threshold_label
from game.ui import theme
from game.ui.scene import Scene
from game.ui.widgets import Button, Menu, char_of, event_pos, is_click, is_key, wheel_of

VEIL = (6, 9, 14)


def veil(surf, alpha: int = 170) -> None:
    theme.fill(surf, surf.get_rect(), (*VEIL, alpha))


def centred_card(size, w: int, h: int) -> pygame.Rect:
    sw, sh = size
    w, h = min(w, max(sw - 40, 40)), min(h, max(sh - 40, 40))
    return pygame.Rect((sw - w) // 2, (sh - h) // 2, w, h)


# ----------------------------------------------------------------------- title


class TitleScene(Scene):
    def __init__(self, app) -> None:
        super().__init__(app)
        self.menu = Menu([])
        self._build()

    def _build(self) -> None:
        has_auto = self.app.autosave_path().is_file()
        self.menu = Menu(
            [
                Button("New game", self.app.open_scenarios, hint="N", primary=True),
                Button("Continue", self.app.continue_autosave, hint="C", enabled=has_auto),
                Button("Load game", self.app.open_load, hint="L"),
                Button("How to play", self.app.open_help, hint="F1"),
                Button("Quit", self.app.quit, hint="Esc"),
            ]
        )

    def resume(self) -> None:
        self._build()
        self.layout(self.app.size)

    def layout(self, size) -> None:
        w, h = size
        x = max(round(w * 0.07), 20)
        y = max(round(h * 0.46), 150)
        self.menu.place(x, y, 280, 42, 10)

    def handle(self, ev) -> bool:
        if self.menu.handle(ev):
            return True
        ch = char_of(ev).lower()
        if is_key(ev, pygame.K_ESCAPE):
            self.app.quit()
            return True
        if ch == "n":
            self.app.open_scenarios()
            return True
        if ch == "l":
            self.app.open_load()
            return True
        if ch == "c" and self.menu.buttons[1].enabled:
            self.app.continue_autosave()
            return True
        if is_key(ev, pygame.K_F1) or ch == "?":
            self.app.open_help()
            return True
        return ev.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.KEYDOWN)

    def draw(self, surf) -> None:
        w, h = surf.get_size()
        self.app.draw_backdrop(surf)
        # A dark band on the left for the title and the menu.
        band = self.app.gradient((max(round(w * 0.62), 1), h))
        surf.blit(band, (0, 0))
        x = max(round(w * 0.07), 20)
        y = max(round(h * 0.16), 30)
        logo = theme.spaced("PACT", 72, theme.GOLD, True, 14)
        surf.blit(logo, (x - 4, y))
        y += logo.get_height() + 4
        theme.text(
            surf,
            "Northeast Asia after the 2024 Russia\u2013North Korea treaty",
            (x, y),
            20,
            theme.INK,
            True,
        )
        y += 30
        tagline = (
            "Alliances, deterrence and the escalation ladder: keep your state safe "
            "without sliding into a war that turns nuclear."
        )
        for line in theme.wrap(tagline, 15, max(min(round(w * 0.42), 560), 200)):
            theme.text(surf, line, (x, y), 15, theme.INK_DIM)
            y += 21
        self.menu.draw(surf)
        theme.text(
            surf,
            "F1 help   \u00b7   F11 full screen   \u00b7   Esc quit",
            (x, h - 28),
            12,
            theme.INK_FAINT,
        )


# ------------------------------------------------------------------ pick from a list


PREV_KEYS: tuple[int, ...] = (pygame.K_UP, pygame.K_w)
NEXT_KEYS: tuple[int, ...] = (pygame.K_DOWN, pygame.K_s, pygame.K_TAB)


def list_step(ev, prev_keys=PREV_KEYS, next_keys=NEXT_KEYS) -> int:
    """-1 or +1 when a key moves the pick in a list up or down, else 0."""
    if is_key(ev, *prev_keys):
        return -1
    if is_key(ev, *next_keys):
        return 1
    return 0


def draw_pick_row(surf, r: pygame.Rect, picked: bool, hot: bool = False) -> None:
    """The background of a list row: lit when picked or under the pointer, gold-edged when
    picked."""
    lit = picked or hot
    pygame.draw.rect(surf, (44, 40, 26) if lit else theme.PANEL_HI, r, border_radius=5)
    if picked:
        pygame.draw.rect(surf, theme.GOLD, r, 1, border_radius=5)


class ListScene(Scene):
    """A list of rows to pick one from, with a "go" and a "back" button.

    A click on a row picks it; up and down (and the extra keys of ``PREV_KEYS`` and
    ``NEXT_KEYS``) move the pick round the list; Enter or Space presses "go", Esc or
    Backspace presses "back", F1 opens the help. Subclasses set ``self.go`` and lay out
    ``self.rows`` and both buttons.
    """

    PREV_KEYS: tuple[int, ...] = PREV_KEYS
    NEXT_KEYS: tuple[int, ...] = NEXT_KEYS
    go: Button

    def __init__(self, app) -> None:
        super().__init__(app)
        self.index = 0
        self.rows: list[pygame.Rect] = []
        self.back = Button("Back", app.pop_scene, hint="Esc")
        self.hot: str | None = None  # "go" or "back" under the pointer

    def button_at(self, pos) -> str | None:
        if pos:
            if self.go.rect.collidepoint(pos):
                return "go"
            if self.back.rect.collidepoint(pos):
                return "back"
        return None

    def hover(self, pos) -> None:
        """The pointer moved to ``pos`` (None when the event has no position)."""
        self.hot = self.button_at(pos)

    def click_elsewhere(self, pos) -> None:
        """A click on neither a row nor a button."""

    def handle(self, ev) -> bool:
        if ev.type == pygame.MOUSEMOTION:
            self.hover(event_pos(ev))
            return True
        if is_click(ev):
            pos = event_pos(ev)
            if pos is None:
                return True
            for i, r in enumerate(self.rows):
                if r.collidepoint(pos):
                    self.index = i
                    return True
            hit = self.button_at(pos)
            if hit == "go":
                self.go.action()
            elif hit == "back":
                self.back.action()
            else:
                self.click_elsewhere(pos)
            return True
        if is_key(ev, pygame.K_ESCAPE, pygame.K_BACKSPACE):
            self.back.action()
            return True
        step = list_step(ev, self.PREV_KEYS, self.NEXT_KEYS)
        if step and self.rows:
            self.index = (self.index + step) % len(self.rows)
            return True
        if is_key(ev, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.go.action()
            return True
        if is_key(ev, pygame.K_F1):
            self.app.open_help()
            return True
        return ev.type == pygame.KEYDOWN

    def draw_row(self, surf, r: pygame.Rect, i: int) -> None:
        """The background of row ``i``, outlined in gold when it is the pick."""
        draw_pick_row(surf, r, i == self.index)


# -------------------------------------------------------------- scenario picker


class ScenarioScene(ListScene):
    def __init__(self, app) -> None:
        super().__init__(app)
        self.entries = app.scenario_entries()
        self.index = next((i for i, e in enumerate(self.entries) if e.ok), 0)
        self.go = Button("Choose a state", self.choose, hint="Enter", primary=True)

    def choose(self) -> None:
        if self.entries and self.entries[self.index].ok:
            self.app.open_states(self.entries[self.index].loaded)

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
                from game.play.rules import short_treaty

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
                        short_treaty(p.treaty_names[t], 46),
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


# ------------------------------------------------------------- choose a state


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
        wts = p.objectives[a]
        total = max(float(wts.sum()), 1e-9)
        for k, name in enumerate(("Security", "Alliance", "Economy", "Peace")):
            theme.text(surf, name, (x, y), 12, theme.INK_DIM)
            theme.bar(surf, (x + 80, y + 5, info.w - 150, 6), float(wts[k]) / total * 2, theme.GOLD)
            theme.text(
                surf,
                f"{100 * wts[k] / total:.0f}%",
                (info.right - 16, y),
                12,
                theme.INK,
                anchor="topright",
            )
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
        from game.play.rules import short_treaty

        tr = [t for t in range(len(p.treaty_ids)) if p.treaty_parties[t, a]]
        for t in tr[:5]:
            if y > self.go.rect.y - 40:
                break
            others = [p.actor_ids[o] for o in np.nonzero(p.treaty_parties[t])[0] if o != a]
            theme.text(
                surf,
                f"{short_treaty(p.treaty_names[t], 40)} \u00b7 {', '.join(others)}",
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


# ------------------------------------------------------------------- overlays


class OverlayScene(Scene):
    opaque = False
    modal = True


class PauseScene(OverlayScene):
    def __init__(self, app) -> None:
        super().__init__(app)
        self.menu = Menu(
            [
                Button("Resume", app.pop_scene, hint="Esc", primary=True),
                Button("Save game", self.save, hint="S"),
                Button("Load game", app.open_load, hint="L"),
                Button("How to play", app.open_help, hint="F1"),
                Button("Quit to title", app.to_title),
                Button("Quit game", app.quit, hint="Q"),
            ]
        )

    def save(self) -> None:
        self.app.save_game()
        self.app.pop_scene(self)

    def layout(self, size) -> None:
        self.card = centred_card(size, 340, 430)
        self.menu.place(self.card.x + 30, self.card.y + 64, self.card.w - 60, 40, 10)

    def handle(self, ev) -> bool:
        if self.menu.handle(ev):
            return True
        ch = char_of(ev).lower()
        if is_key(ev, pygame.K_ESCAPE):
            self.app.pop_scene(self)
        elif ch == "s":
            self.save()
        elif ch == "l":
            self.app.open_load()
        elif ch == "q":
            self.app.quit()
        elif is_key(ev, pygame.K_F1) or ch == "?":
            self.app.open_help()
        return True

    def draw(self, surf) -> None:
        veil(surf, 150)
        c = self.card
        theme.card(surf, c, 246)
        theme.heading(surf, "PAUSED", (c.centerx, c.y + 24), 15, anchor="midtop")
        self.menu.draw(surf)
        s = self.app.session()
        if s is not None:
            theme.text(
                surf,
                f"seed {s.seed} \u00b7 saves in {self.app.save_dir.name}/",
                (c.centerx, c.bottom - 16),
                10,
                theme.INK_FAINT,
                anchor="midbottom",
            )


HELP_KEYS = (
    ("Enter / Space", "end the turn with your order"),
    ("\u2191 \u2193  or  W S", "choose an order in the list"),
    ("\u2190 \u2192  Tab  or  1-9", "choose the target state"),
    ("H", "hold position this month"),
    ("Click a state", "select it (and aim at it)"),
    ("F", "forecast: 2,000 futures, next 12 months"),
    ("Timeline click", "read an earlier month's news"),
    ("Wheel on map", "zoom the map in and out"),
    ("Drag the map", "move it when zoomed in"),
    ("+  \u2212  0", "zoom in, out, whole theatre"),
    ("Wheel / PgUp PgDn", "scroll orders and news"),
    ("Ctrl+S", "save the game"),
    ("Esc", "pause menu: save, load, quit"),
    ("F1  or  ?", "this help"),
    ("F11", "full screen"),
)

HELP_TEXT = (
    "Each month every state makes one move. Choose yours from the catalogue on the right: "
    "greyed moves are closed this month and say why. Hostile moves raise tension and can push "
    "a pair up the escalation ladder; treaties drag allies in when their partners are "
    "threatened or attacked. Your score weighs security, alliances, economy and peace by what "
    "your state cares about. The crisis is on the map: coloured curves are rivalries (colour = "
    "rung, width = tension), blue and red double lines are defence pacts, dashed lines "
    "consultation pacts; a pulsing link is a clause invoked this month. The game autosaves "
    "every month."
)


class HelpScene(OverlayScene):
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


class MessageScene(OverlayScene):
    def __init__(self, app, title: str, body: str, tone: str = "warn") -> None:
        super().__init__(app)
        self.title = title
        self.body = body
        self.tone = tone
        self.ok = Button("OK", lambda: app.pop_scene(self), hint="Enter", primary=True)
        self.hot = False

    def layout(self, size) -> None:
        lines = min(len(theme.wrap(self.body, 13, 520 - 48)), 5)
        self.card = centred_card(size, 520, 52 + 19 * lines + 76)
        self.ok.rect = pygame.Rect(self.card.centerx - 70, self.card.bottom - 56, 140, 38)

    def handle(self, ev) -> bool:
        if ev.type == pygame.MOUSEMOTION:
            pos = event_pos(ev)
            self.hot = bool(pos and self.ok.rect.collidepoint(pos))
            return True
        if is_key(ev, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE, pygame.K_SPACE):
            self.app.pop_scene(self)
            return True
        if is_click(ev):
            pos = event_pos(ev)
            if pos and self.ok.rect.collidepoint(pos):
                self.app.pop_scene(self)
        return True

    def draw(self, surf) -> None:
        veil(surf, 140)
        c = self.card
        theme.card(surf, c, 248)
        col = theme.TONE.get(self.tone, theme.WARN)
        pygame.draw.rect(surf, col, (c.x, c.y + 6, 4, c.h - 12), border_radius=2)
        theme.text(surf, self.title, (c.x + 24, c.y + 20), 17, col, True, max_width=c.w - 48)
        y = c.y + 52
        for line in theme.wrap(self.body, 13, c.w - 48, max_lines=5):
            theme.text(surf, line, (c.x + 24, y), 13, theme.INK)
            y += 19
        self.ok.draw(surf, self.hot)


class LoadScene(OverlayScene):
    def __init__(self, app) -> None:
        super().__init__(app)
        from game.play.savefile import list_saves

        self.saves = list_saves(app.save_dir)
        self.index = 0
        self.scroll = 0
        self.rows: list[pygame.Rect] = []
        self.hover: int | None = None

    def layout(self, size) -> None:
        self.card = centred_card(size, 700, 520)
        c = self.card
        self.list_rect = pygame.Rect(c.x + 16, c.y + 56, c.w - 32, max(c.h - 100, 10))
        self.row_h = 50
        n = max(self.list_rect.h // self.row_h, 1)
        self.visible = n

    def row_rect(self, i: int) -> pygame.Rect:
        return pygame.Rect(
            self.list_rect.x,
            self.list_rect.y + (i - self.scroll) * self.row_h,
            self.list_rect.w,
            self.row_h - 6,
        )

    def _load(self, i: int) -> None:
        if 0 <= i < len(self.saves):
            path = self.saves[i][0]
            self.app.pop_scene(self)
            self.app.load_game(path)

    def handle(self, ev) -> bool:
        n = len(self.saves)
        if ev.type == pygame.MOUSEMOTION:
            pos = event_pos(ev)
            self.hover = None
            if pos:
                for i in range(self.scroll, min(n, self.scroll + self.visible)):
                    if self.row_rect(i).collidepoint(pos):
                        self.hover = i
            return True
        if ev.type == pygame.MOUSEWHEEL:
            self.scroll = max(0, min(self.scroll - wheel_of(ev), max(n - self.visible, 0)))
            return True
        if is_click(ev):
            pos = event_pos(ev)
            if pos is None:
                return True
            if not self.card.collidepoint(pos):
                self.app.pop_scene(self)
                return True
            for i in range(self.scroll, min(n, self.scroll + self.visible)):
                if self.row_rect(i).collidepoint(pos):
                    self._load(i)
                    return True
            return True
        step = list_step(ev)
        if is_key(ev, pygame.K_ESCAPE, pygame.K_BACKSPACE):
            self.app.pop_scene(self)
        elif step and n:
            self.index = (self.index + step) % n
            self._follow()
        elif is_key(ev, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self._load(self.index)
        return True

    def _follow(self) -> None:
        if self.index < self.scroll:
            self.scroll = self.index
        elif self.index >= self.scroll + self.visible:
            self.scroll = self.index - self.visible + 1

    def draw(self, surf) -> None:
        veil(surf, 160)
        c = self.card
        theme.card(surf, c, 248)
        theme.heading(surf, "LOAD A SAVED GAME", (c.x + 18, c.y + 18), 13)
        theme.text(
            surf,
            f"{self.app.save_dir}",
            (c.right - 18, c.y + 20),
            10,
            theme.INK_FAINT,
            anchor="topright",
            max_width=c.w // 2,
        )
        if not self.saves:
            theme.text(
                surf,
                "No saved games yet. The game saves itself every month.",
                (c.x + 20, c.y + 64),
                13,
                theme.INK_DIM,
            )
        for i in range(self.scroll, min(len(self.saves), self.scroll + self.visible)):
            path, header, error = self.saves[i]
            r = self.row_rect(i)
            draw_pick_row(surf, r, i == self.index, i == self.hover)
            if header is not None:
                sc = header.get("scenario", {})
                title = (
                    f"{sc.get('name', '?')} \u00b7 {header.get('player', '?')} \u00b7 "
                    f"{header.get('date', '')}"
                )
                theme.text(
                    surf, title, (r.x + 12, r.y + 6), 14, theme.INK, True, max_width=r.w - 200
                )
                theme.text(
                    surf, path.name, (r.x + 12, r.y + 26), 11, theme.INK_FAINT, max_width=r.w - 200
                )
                theme.text(
                    surf,
                    f"saved {header.get('saved_at', '')}",
                    (r.right - 12, r.y + 8),
                    11,
                    theme.INK_DIM,
                    anchor="topright",
                )
            else:
                theme.text(
                    surf,
                    f"\u2716 {path.name}",
                    (r.x + 12, r.y + 6),
                    14,
                    theme.BAD,
                    True,
                    max_width=r.w - 24,
                )
                theme.text(surf, error, (r.x + 12, r.y + 26), 11, theme.WARN, max_width=r.w - 24)
        theme.text(
            surf,
            "Enter: load \u00b7 Esc: back",
            (c.centerx, c.bottom - 14),
            11,
            theme.INK_FAINT,
            anchor="midbottom",
        )


# ----------------------------------------------------------------------- end


class EndScene(OverlayScene):
    def __init__(self, app, play) -> None:
        super().__init__(app)
        self.play = play
        self.session = play.session
        self.menu = Menu(
            [
                Button("New game", app.to_title, hint="N", primary=True),
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
            self.app.to_title()
        elif ch == "q":
            self.app.quit()
        return True

    def draw(self, surf) -> None:
        s = self.session
        p = s.params
        veil(surf, 170)
        c = self.card
        theme.card(surf, c, 250)
        x, y = c.x + 26, c.y + 22
        name, desc = s.outcome()
        theme.heading(surf, "THE OUTCOME", (x, y), 12, theme.INK_FAINT)
        theme.text(surf, name, (x, y + 18), 30, theme.INK, True, max_width=c.w - 60)
        y += 60
        months = s.turn
        y0, m0 = p.turn_date(0)
        sub = f"{months} months from {theme.month_name(y0, m0)}"
        if bool(s.state.done[0]):
            sub += f" \u00b7 the game ended in {end_reason()}"
        theme.text(surf, sub, (x, y), 13, theme.INK_DIM)
        y += 22
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
        r = theme.text(surf, f"{score:.0f}", (x, y), 48, theme.GOLD, True)
        theme.text(surf, s.verdict(), (r.right + 14, y + 8), 24, theme.INK, True)
        theme.text(surf, "out of 100", (r.right + 14, y + 38), 12, theme.INK_FAINT)
        y += 70
        comp = s.objectives()[me]
        for k, obj in enumerate(("Security", "Alliance", "Economy", "Peace")):
            v = float(comp[k])
            theme.text(surf, obj, (x, y), 12, theme.INK_DIM)
            col = theme.GOOD if v >= 65 else theme.WARN if v >= 40 else theme.BAD
            theme.bar(surf, (x + 80, y + 5, 220, 6), v / 100, col)
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
            y += 18
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
        lx += 210
        pygame.draw.line(surf, theme.GOLD, (lx, ly + 6), (lx + 22, ly + 6), 2)
        theme.text(surf, f"{s.player_name} (your worst pair)", (lx + 28, ly), 11, theme.INK_DIM)


# ----------------------------------------------------------------- scenarios


class ScenarioEntry:
    def __init__(self, path, loaded=None, error: str = "") -> None:
        self.path = path
        self.file = path.name
        self.loaded = loaded
        self.error = error

    @property
    def ok(self) -> bool:
        return self.loaded is not None

    @property
    def name(self) -> str:
        return self.loaded.model.scenario.name if self.loaded else self.file


def find_scenarios(folder) -> list[ScenarioEntry]:
    from game.scenario import ScenarioError, load_scenario

    out = []
    try:
        files = sorted(folder.glob("*.toml"))
    except OSError:
        files = []
    for f in files:
        try:
            out.append(ScenarioEntry(f, load_scenario(f)))
        except ScenarioError as e:
            out.append(ScenarioEntry(f, None, e.one_line()))
        except Exception as e:  # a broken file must not take the menu down
            out.append(ScenarioEntry(f, None, f"{type(e).__name__}: {e}"))
    return out


__all__ = [
    "EndScene",
    "HelpScene",
    "LoadScene",
    "MessageScene",
    "PauseScene",
    "ScenarioScene",
    "StateScene",
    "TitleScene",
    "find_scenarios",
]
