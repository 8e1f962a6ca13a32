"""The map scene: the game itself.

Layout (1280x800): a top bar with the date; the map with the crisis drawn over it, the
escalation ladder in its top-left corner and the legend (or the forecast) in its top-right;
under the map the timeline of months, the news of the month and the dossier of the selected
state; on the right the player's state and the orders for the month with the end-turn button.
"""

from __future__ import annotations

import numpy as np
import pygame

from game.engine.outcome import REQUIRED_THRESHOLDS, threshold_label
from game.engine.params import ATTR
from game.play import rules
from game.play.forecast import Forecast, forecast_seed
from game.play.headlines import month_headlines
from game.ui import theme
from game.ui.crisis import POSTURE_NAMES, CrisisLayer, bloc_fill, posture_level
from game.ui.mapview import MapView
from game.ui.scene import Scene
from game.ui.widgets import CONFIRM_KEYS, char_of, event_pos, is_click, is_key, wheel_of

LAND_MUTED = (112, 110, 100)
ZOOM_STEP = 1.25  # map magnification per wheel notch or +/- key
DRAG_START = 6  # pixels the pointer must move with the button down before the map drags
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


class PlayScene(Scene):
    def __init__(self, app, session) -> None:
        super().__init__(app)
        self.session = session
        p = session.params
        self.params = p
        self.blocs = list(p.extra.get("blocs", ["neutral"] * p.n_actors))
        self.colours = theme.rung_colours(p)
        self.map = MapView((0, 46, 900, 560), self._fills(), default_fill=LAND_MUTED)
        self.crisis = CrisisLayer(self.map, p)
        self.rects: dict[str, pygame.Rect] = {}
        self._cache: dict[str, tuple] = {}
        # Interface state (never the game's): what is selected, hovered, scrolled.
        self.target = self._default_target()
        self.selected: int | None = self.target
        self.order = (-1, self.target)
        self.hover_actor: int | None = None
        self.hover_iso: str | None = None
        self.hover_row: int | None = None
        self.hover_chip: int | None = None
        self.hover_button: str | None = None
        self.hover_month: int | None = None
        self.list_scroll = 0
        self.news_scroll = 0
        self.view_turn: int | None = None
        self.forecast: Forecast | None = None
        self._forecast_key = None
        self.show_forecast = False
        self.tip: list[tuple[str, tuple, bool]] = []
        self.tip_pos = (0, 0)
        self._options_key = None
        self._options: list[rules.Option] = []
        self._legend_h = 0
        # Map dragging: where the left button went down on the map, and whether it moved far
        # enough to be a drag rather than a click.
        self._drag_from: tuple[int, int] | None = None
        self._dragging = False

    # ------------------------------------------------------------------ facts
    def _fills(self) -> dict:
        s = self.session
        out = {}
        for a, iso in enumerate(self.params.actor_ids):
            level, _ = s.posture(a)
            out[iso] = bloc_fill(self.blocs[a], level, self.params.thresholds)
        return out

    def _default_target(self) -> int:
        s = self.session
        row = s.rung[s.player].astype(float) * 1000 + s.tension[s.player]
        row[s.player] = -1
        return int(np.argmax(row))

    def options(self) -> list[rules.Option]:
        key = (self.session.version, id(self.session), self.target)
        if key != self._options_key:
            self._options = rules.options(self.session, self.target)
            self._options_key = key
        return self._options

    def order_option(self) -> rules.Option:
        for o in self.options():
            same = o.action == self.order[0] and (o.action < 0 or o.target == self.order[1])
            if same and o.open:
                return o
        return self.options()[0]

    # ----------------------------------------------------------------- layout
    def layout(self, size) -> None:
        w, h = max(size[0], 1), max(size[1], 1)
        top_h = 46
        side_w = max(300, min(430, round(w * 0.28)))
        side_w = min(side_w, max(w - 200, 1))
        bottom_h = max(140, min(240, round(h * 0.235)))
        tl_h = 30
        map_w = max(w - side_w, 1)
        map_h = max(h - top_h - bottom_h, 1)
        r = self.rects
        r["top"] = pygame.Rect(0, 0, w, top_h)
        r["map"] = pygame.Rect(0, top_h, map_w, map_h)
        r["timeline"] = pygame.Rect(0, r["map"].bottom, map_w, tl_h)
        news_w = max(round(map_w * 0.6), 1)
        r["news"] = pygame.Rect(0, r["timeline"].bottom, news_w, max(h - r["timeline"].bottom, 1))
        r["dossier"] = pygame.Rect(
            news_w, r["timeline"].bottom, max(map_w - news_w, 1), r["news"].h
        )
        r["side"] = pygame.Rect(map_w, top_h, side_w, max(h - top_h, 1))
        r["card"] = pygame.Rect(map_w, top_h, side_w, 196)
        r["end"] = pygame.Rect(map_w, max(h - 78, r["card"].bottom), side_w, 78)
        r["orders"] = pygame.Rect(
            map_w, r["card"].bottom, side_w, max(r["end"].y - r["card"].bottom, 1)
        )
        o = r["orders"]
        r["chips"] = pygame.Rect(o.x + 12, o.y + 30, o.w - 24, 26)
        pv_h = 150 if h >= 760 else 104
        r["preview"] = pygame.Rect(
            o.x + 10, max(o.bottom - pv_h - 6, r["chips"].bottom), o.w - 20, pv_h
        )
        r["list"] = pygame.Rect(
            o.x + 8,
            r["chips"].bottom + 8,
            o.w - 16,
            max(r["preview"].y - r["chips"].bottom - 14, 1),
        )
        e = r["end"]
        r["end_button"] = pygame.Rect(e.x + 12, e.y + 30, e.w - 24, 40)
        bw = 96
        r["btn_menu"] = pygame.Rect(w - bw - 10, 8, bw, 30)
        r["btn_help"] = pygame.Rect(w - 2 * bw - 18, 8, bw, 30)
        r["btn_forecast"] = pygame.Rect(w - 3 * bw - 26, 8, bw + 8, 30)
        self.map.set_rect(r["map"])
        inset = self.map.inset_rect
        m = r["map"]
        ladder_h = 24 * len(self.params.rung_ids) + 40
        bottom_limit = (inset.y - 10) if inset is not None else m.bottom - 10
        ladder_h = max(min(ladder_h, bottom_limit - m.y - 10), 60)
        r["ladder"] = pygame.Rect(m.x + 10, m.y + 10, 236, ladder_h)
        r["legend"] = pygame.Rect(m.right - 272, m.y + 44, 262, 190)
        r["forecast"] = pygame.Rect(m.right - 280, m.bottom - 246, 276, 242)
        self._cache.clear()

    def row_h(self) -> int:
        return 19

    def visible_rows(self) -> int:
        return max(self.rects["list"].h // self.row_h(), 1)

    def row_rect(self, index: int) -> pygame.Rect:
        lst = self.rects["list"]
        return pygame.Rect(
            lst.x, lst.y + (index - self.list_scroll) * self.row_h(), lst.w, self.row_h()
        )

    def chip_rects(self) -> list[tuple[pygame.Rect, int]]:
        c = self.rects["chips"]
        others = [a for a in range(self.params.n_actors) if a != self.session.player]
        label_w = 50
        n = max(len(others), 1)
        cw = max(min((c.w - label_w) // n - 4, 52), 24)
        out = []
        for k, a in enumerate(others):
            out.append((pygame.Rect(c.x + label_w + k * (cw + 4), c.y, cw, c.h), a))
        return out

    def month_rects(self) -> list[tuple[pygame.Rect, int]]:
        t = self.rects["timeline"]
        n = max(self.session.turns, 1)
        x0, x1 = t.x + 86, t.right - 12
        cw = max((x1 - x0) / n, 1.0)
        return [
            (pygame.Rect(round(x0 + k * cw) + 1, t.y + 6, max(round(cw) - 2, 1), 12), k)
            for k in range(n)
        ]

    def news_items(self):
        s = self.session
        turn = self.view_turn
        if turn is None:
            month = s.last_month()
        else:
            month = next((m for m in s.history if m.turn == turn), None)
        if month is None:
            return None, []
        return month, month_headlines(self.params, month.events, s.player_id)

    # ----------------------------------------------------------------- events
    def handle(self, ev) -> bool:
        s = self.session
        if ev.type == pygame.MOUSEMOTION:
            pos = event_pos(ev)
            if pos is not None and not self._drag_motion(ev, pos):
                self._hover(pos)
            return True
        if ev.type == pygame.MOUSEBUTTONUP and getattr(ev, "button", 0) == 1:
            pressed, dragged = self._drag_from, self._dragging
            self._end_drag()
            if pressed is not None and not dragged:
                self._click(pressed)  # a press on the map that did not drag is a click
            return True
        if ev.type == pygame.MOUSEWHEEL:
            dy = wheel_of(ev)
            pos = self.app.mouse
            if self.rects["list"].collidepoint(pos):
                self.scroll_list(-dy)
            elif self.rects["news"].collidepoint(pos):
                last = max(len(self.news_items()[1]) - 1, 0)
                self.news_scroll = max(0, min(self.news_scroll - dy, last))
            elif self._on_open_map(pos) and dy:
                self._end_drag()
                self.map.zoom_at(pos[0], pos[1], ZOOM_STEP ** max(-4, min(dy, 4)))
                self._hover(pos)
            return True
        if is_click(ev):
            pos = event_pos(ev)
            if pos is not None:
                if self._on_open_map(pos):
                    self._drag_from = pos  # a click or the start of a drag: the release tells
                else:
                    self._click(pos)
            return True
        if ev.type == pygame.MOUSEBUTTONDOWN and getattr(ev, "button", 0) == 3:
            self.selected = None
            return True
        if ev.type != pygame.KEYDOWN:
            return False
        ch = char_of(ev)
        mods = getattr(ev, "mod", 0) or 0
        if is_key(ev, pygame.K_ESCAPE):
            if self.show_forecast:
                self.show_forecast = False
            else:
                self.app.open_pause()
            return True
        if is_key(ev, pygame.K_F1) or ch == "?":
            self.app.open_help()
            return True
        if is_key(ev, *CONFIRM_KEYS):
            if s.over:
                self.app.open_end(self)
            else:
                self.end_turn()
            return True
        if is_key(ev, pygame.K_f):
            self.toggle_forecast()
            return True
        if is_key(ev, pygame.K_s) and mods & pygame.KMOD_CTRL:
            self.app.save_game()
            return True
        if is_key(ev, pygame.K_UP, pygame.K_w):
            self.move_order(-1)
            return True
        if is_key(ev, pygame.K_DOWN, pygame.K_s):
            self.move_order(1)
            return True
        if is_key(ev, pygame.K_LEFT, pygame.K_a):
            self.cycle_target(-1)
            return True
        if is_key(ev, pygame.K_RIGHT, pygame.K_d, pygame.K_TAB):
            self.cycle_target(-1 if mods & pygame.KMOD_SHIFT else 1)
            return True
        if is_key(ev, pygame.K_h):
            self.order = (-1, self.target)
            return True
        if is_key(ev, pygame.K_PAGEUP):
            self.news_scroll = max(0, self.news_scroll - 3)
            return True
        if is_key(ev, pygame.K_PAGEDOWN):
            self.news_scroll = min(self.news_scroll + 3, max(len(self.news_items()[1]) - 1, 0))
            return True
        if is_key(ev, pygame.K_HOME):
            self.view_turn = None
            self.news_scroll = 0
            return True
        if ch in ("+", "=") or is_key(ev, pygame.K_KP_PLUS):
            self.zoom_map(ZOOM_STEP)
            return True
        if ch == "-" or is_key(ev, pygame.K_KP_MINUS):
            self.zoom_map(1 / ZOOM_STEP)
            return True
        if ch == "0" or is_key(ev, pygame.K_KP0):
            self._end_drag()
            self.map.reset_view()
            return True
        if ch and ch.isdigit():
            chips = self.chip_rects()
            k = int(ch) - 1
            if k < len(chips):
                self.set_target(chips[k][1])
            return True
        return False

    # ------------------------------------------------------------- map view
    def _on_card(self, pos) -> bool:
        """On a card drawn over the map: the ladder, the map key or the forecast."""
        r = self.rects
        return (
            r["ladder"].collidepoint(pos)
            or (r["legend"].collidepoint(pos) and pos[1] < r["legend"].y + self._legend_h)
            or (self.show_forecast and r["forecast"].collidepoint(pos))
        )

    def _on_open_map(self, pos) -> bool:
        """On the main map, off the cards and the inset: where the map zooms and drags."""
        if not self.rects["map"].collidepoint(pos) or self._on_card(pos):
            return False
        inset = self.map.inset_rect
        return inset is None or not inset.collidepoint(pos)

    def zoom_map(self, factor: float) -> None:
        """Zoom the map about its middle (keyboard)."""
        self._end_drag()
        c = self.rects["map"].center
        self.map.zoom_at(c[0], c[1], factor)

    def _drag_motion(self, ev, pos) -> bool:
        """Follow a drag of the map with the left button; True while the map is dragged."""
        if self._drag_from is None:
            return False
        buttons = getattr(ev, "buttons", None) or (0,)
        if not buttons[0]:
            self._end_drag()  # the button came up outside the window
            return False
        dx, dy = pos[0] - self._drag_from[0], pos[1] - self._drag_from[1]
        if not self._dragging and dx * dx + dy * dy < DRAG_START**2:
            return False
        self._dragging = True
        self.map.drag_offset = (dx, dy)
        self.tip = []
        self.hover_actor = self.hover_iso = None
        return True

    def _end_drag(self) -> None:
        """Finish a drag: the view moves by the distance dragged."""
        if self._dragging:
            dx, dy = self.map.drag_offset
            self.map.drag_offset = (0, 0)
            self.map.pan_by(dx, dy)
        self._drag_from = None
        self._dragging = False

    def _hover(self, pos) -> None:
        r = self.rects
        self.hover_actor = self.hover_iso = None
        self.hover_row = self.hover_chip = self.hover_button = self.hover_month = None
        self.tip = []
        self.tip_pos = pos
        for name in ("btn_forecast", "btn_help", "btn_menu", "end_button"):
            if r[name].collidepoint(pos):
                self.hover_button = name
                return
        if r["list"].collidepoint(pos):
            idx = self.list_scroll + (pos[1] - r["list"].y) // self.row_h()
            opts = self.options()
            if 0 <= idx < len(opts):
                self.hover_row = idx  # the preview below the list explains the move
            return
        for rect, a in self.chip_rects():
            if rect.collidepoint(pos):
                self.hover_chip = a
                self.tip = self._pair_tip(self.session.player, a)
                return
        if r["timeline"].collidepoint(pos):
            for rect, k in self.month_rects():
                if rect.inflate(2, 10).collidepoint(pos):
                    self.hover_month = k
                    self.tip = self._month_tip(k)
            return
        if r["news"].collidepoint(pos):
            _, items = self.news_items()
            idx = self.news_scroll + (pos[1] - r["news"].y - 30) // 19
            if pos[1] >= r["news"].y + 30 and 0 <= idx < len(items):
                room = r["news"].w - 14 - 82 - 10
                if theme.text_width(items[idx].text, 13) > room:  # only cut headlines
                    self.tip = [(items[idx].text, theme.INK, False)]
            return
        if r["ladder"].collidepoint(pos):
            self.tip = self._rung_tip(pos)
            return
        if r["map"].collidepoint(pos):
            if self._on_card(pos):
                return
            iso = self.map.country_at(*pos)
            self.hover_iso = iso
            ids = self.params.actor_ids
            if iso in ids:
                self.hover_actor = ids.index(iso)
            lk = self.crisis.link_near(pos, 5.0, self.hover_actor)
            if lk is not None:
                self.tip = self._link_tip(lk)
            elif self.hover_actor is not None:
                self.tip = self._actor_tip(self.hover_actor)
            elif iso:
                name = self._country_name(iso)
                self.tip = [
                    (name, theme.INK, True),
                    ("Not a party to the crisis", theme.INK_DIM, False),
                ]

    def _country_name(self, iso: str) -> str:
        from game.ui import geo

        layer = geo.load_map().main
        c = layer.by_iso3(iso)
        return c.name if c else iso

    def _click(self, pos) -> None:
        r = self.rects
        s = self.session
        if r["btn_menu"].collidepoint(pos):
            self.app.open_pause()
            return
        if r["btn_help"].collidepoint(pos):
            self.app.open_help()
            return
        if r["btn_forecast"].collidepoint(pos):
            self.toggle_forecast()
            return
        if r["end_button"].collidepoint(pos):
            if s.over:
                self.app.open_end(self)
            else:
                self.end_turn()
            return
        for rect, a in self.chip_rects():
            if rect.collidepoint(pos):
                self.set_target(a)
                return
        if r["list"].collidepoint(pos):
            idx = self.list_scroll + (pos[1] - r["list"].y) // self.row_h()
            opts = self.options()
            if 0 <= idx < len(opts):
                o = opts[idx]
                if o.open:
                    self.order = (o.action, o.target)
                else:
                    self.app.toast(f"Unavailable: {o.reason}", "warn")
            return
        if r["timeline"].collidepoint(pos):
            for rect, k in self.month_rects():
                if rect.inflate(2, 10).collidepoint(pos) and k < s.turn:
                    self.view_turn = None if k == s.turn - 1 else k
                    self.news_scroll = 0
            return
        if self.show_forecast and r["forecast"].collidepoint(pos):
            self.show_forecast = False
            return
        if r["map"].collidepoint(pos) and not self._on_card(pos):
            iso = self.map.country_at(*pos)
            ids = self.params.actor_ids
            if iso in ids:
                a = ids.index(iso)
                self.selected = a
                if a != s.player:
                    self.set_target(a)
            else:
                lk = self.crisis.link_near(pos, 5.0)
                if lk is not None:
                    other = lk.j if lk.i == s.player else lk.i
                    self.selected = other
                    if other != s.player:
                        self.set_target(other)

    # ---------------------------------------------------------------- actions
    def set_target(self, a: int) -> None:
        if a == self.session.player or not 0 <= a < self.params.n_actors:
            return
        self.target = a
        self.selected = a
        action = self.order[0]
        self._options_key = None
        keep = any(o.action == action and o.open for o in self.options())
        self.order = (action if keep else -1, a)

    def cycle_target(self, step: int) -> None:
        others = [a for a in range(self.params.n_actors) if a != self.session.player]
        if not others:
            return
        k = others.index(self.target) if self.target in others else 0
        self.set_target(others[(k + step) % len(others)])

    def move_order(self, step: int) -> None:
        opts = self.options()
        cur = next((i for i, o in enumerate(opts) if o is self.order_option()), 0)
        i = cur
        while 0 <= i + step < len(opts):
            i += step
            if opts[i].open:
                self.order = (opts[i].action, opts[i].target)
                break
        self.ensure_visible(i)

    def ensure_visible(self, idx: int) -> None:
        vis = self.visible_rows()
        if idx < self.list_scroll:
            self.list_scroll = idx
        elif idx >= self.list_scroll + vis:
            self.list_scroll = idx - vis + 1
        self.scroll_list(0)

    def scroll_list(self, step: int) -> None:
        n = len(self.options())
        self.list_scroll = max(0, min(self.list_scroll + step, max(n - self.visible_rows(), 0)))

    def toggle_forecast(self) -> None:
        s = self.session
        if self.show_forecast:
            self.show_forecast = False
            return
        if s.over:
            self.app.toast("The game is over: nothing left to forecast", "warn")
            return
        if self.forecast is None or self._forecast_key != (id(s), s.version):
            self.forecast = Forecast(
                s.params,
                s.state,
                s.player,
                runs=self.app.forecast_runs,
                seed=forecast_seed(s.seed, s.turn),
                chunk=200,
            )
            self._forecast_key = (id(s), s.version)
        self.show_forecast = True

    def end_turn(self, ai: bool = False) -> None:
        """Play the month with the current order (or the AI's choice for the player)."""
        s = self.session
        if s.over:
            return
        cand = None if ai else self.order_option().cand
        s.end_turn(cand)
        self.map.set_fills(self._fills())
        self.view_turn = None
        self.news_scroll = 0
        self._options_key = None
        self.order = (-1, self.target)  # each month starts from holding position
        if self.forecast is not None and not self.forecast.done:
            self.forecast = None
        self.show_forecast = False
        self.app.after_turn(self)

    # --------------------------------------------------------------- updating
    def update(self, dt: float) -> None:
        if self.forecast is not None and not self.forecast.done and self.show_forecast:
            self.forecast.advance(self.app.forecast_budget)

    # ----------------------------------------------------------------- tips
    def _pair_tip(self, a: int, b: int):
        s, p = self.session, self.params
        r = int(s.rung[a, b])
        lines = [
            (f"{p.actor_names[a]} \u2013 {p.actor_names[b]}", theme.INK, True),
            (f"{p.rung_names[r]} ({p.rung_groups[r] or 'ladder'})", self.colours[r], True),
            (f"Tension {s.tension[a, b]:.0f} of 100", theme.INK_DIM, False),
        ]
        base = float(s.state.baseline[0, a, b])
        if abs(base - float(s.tension[a, b])) >= 1:
            lines.append((f"Drifting toward {base:.0f} when left alone", theme.INK_FAINT, False))
        if s.state.aggressor[0, a, b]:
            lines.append((f"{p.actor_names[b]} is attacking {p.actor_names[a]}", theme.BAD, False))
        if s.state.aggressor[0, b, a]:
            lines.append((f"{p.actor_names[a]} is attacking {p.actor_names[b]}", theme.BAD, False))
        for t in self._treaties_between(a, b):
            lines.append((t, theme.INFO, False))
        return lines

    def _rung_tip(self, pos):
        """The ladder row under the mouse: the rung, its group, and every pair standing on it."""
        s, p = self.session, self.params
        box = self.rects["ladder"].inflate(-6, -6)
        n = len(p.rung_ids)
        top = box.y + 28
        row_h = max((box.bottom - 6 - top) // n, 8)
        k = (pos[1] - top) // row_h
        if not 0 <= k < n:
            return []
        r = n - 1 - k
        lines = [(p.rung_names[r], self.colours[r], True)]
        if p.rung_groups[r]:
            lines.append((p.rung_groups[r], theme.INK_DIM, False))
        for name, level in p.thresholds.items():
            if level == r:
                label = threshold_label(name, short=True).lower()
                lines.append((f"Threshold: {label} starts here", theme.WARN, False))
        pairs = [
            f"{p.actor_names[i]} \u2013 {p.actor_names[j]}"
            for i in range(p.n_actors)
            for j in range(i + 1, p.n_actors)
            if int(s.rung[i, j]) == r
        ]
        if pairs:
            lines += [(x, theme.INK, False) for x in pairs[:8]]
            if len(pairs) > 8:
                lines.append((f"and {len(pairs) - 8} more", theme.INK_FAINT, False))
        else:
            lines.append(("No pair stands here", theme.INK_FAINT, False))
        return lines

    def _treaties_between(self, a: int, b: int) -> list[str]:
        p, s = self.params, self.session
        active = s.active_treaties()
        out = []
        for t in range(len(p.treaty_ids)):
            if p.treaty_parties[t, a] and p.treaty_parties[t, b]:
                kinds = {
                    int(p.clause_kind[q])
                    for q in range(len(p.clause_keys))
                    if int(p.clause_treaty[q]) == t
                }
                what = "mutual defence" if 1 in kinds else "consultation"
                when = (
                    "in force"
                    if active[t]
                    else ("not yet in force" if s.turn < int(p.treaty_start[t]) else "lapsed")
                )
                out.append(f"{rules.short_treaty(p.treaty_names[t], 44)} ({what}, {when})")
        return out

    def _link_tip(self, lk):
        if lk.kind == "hostile":
            return self._pair_tip(lk.i, lk.j)
        p = self.params
        lines = [(f"{p.actor_names[lk.i]} \u2013 {p.actor_names[lk.j]}", theme.INK, True)]
        for t in self._treaties_between(lk.i, lk.j):
            lines.append((t, theme.INFO, False))
        return lines

    def _actor_tip(self, a: int):
        s, p = self.session, self.params
        level, other = s.posture(a)
        lv = posture_level(level, p.thresholds)
        lines = [
            (p.actor_names[a] + ("  (you)" if a == s.player else ""), theme.INK, True),
            (
                theme.BLOC_NAMES.get(self.blocs[a], self.blocs[a]),
                theme.BLOC_INK.get(self.blocs[a], theme.INK_DIM),
                False,
            ),
            (
                f"{POSTURE_NAMES[lv]}: {p.rung_names[level]} with {p.actor_names[other]}",
                self.colours[level],
                False,
            ),
        ]
        if a != s.player:
            r = int(s.rung[s.player, a])
            lines.append(
                (
                    f"With you: {p.rung_names[r]}, tension {s.tension[s.player, a]:.0f}",
                    self.colours[r],
                    False,
                )
            )
        at = s.attr[a]
        lines.append(
            (
                f"Military {at[ATTR['military']]:.1f} \u00b7 warheads "
                f"{at[ATTR['warheads']]:,.0f} \u00b7 stability {at[ATTR['stability']]:.0f}",
                theme.INK_DIM,
                False,
            )
        )
        lines.append(
            ("Click to select" + ("" if a == s.player else " as target"), theme.INK_FAINT, False)
        )
        return lines

    def _month_tip(self, k: int):
        s, p = self.session, self.params
        y, m = p.turn_date(k)
        title = theme.month_name(y, m)
        month = next((h for h in s.history if h.turn == k), None)
        if month is None:
            state = "this month" if k == s.turn else "to come"
            return [(title, theme.INK, True), (state.capitalize(), theme.INK_DIM, False)]
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

    # ----------------------------------------------------------------- drawing
    def _cached(self, surf, name: str, key, rect: pygame.Rect, painter, alpha=False) -> None:
        hit = self._cache.get(name)
        if hit is None or hit[0] != key:
            img = pygame.Surface(rect.size, pygame.SRCALPHA if alpha else 0)
            if not alpha:
                img.fill(theme.PANEL)
            painter(img, pygame.Rect((0, 0), rect.size))
            hit = (key, img)
            self._cache[name] = hit
        surf.blit(hit[1], rect.topleft)

    def draw(self, surf) -> None:
        s = self.session
        r = self.rects
        v = (id(s), s.version)
        t = self.app.t
        prev_clip = surf.get_clip()
        surf.set_clip(r["map"].clip(prev_clip))
        self.map.draw(surf)
        focus = frozenset(x for x in (self.hover_actor,) if x is not None)
        cards = (r["ladder"], r["legend"]) + ((r["forecast"],) if self.show_forecast else ())
        if self.map.inset_rect is not None:
            cards += (self.map.inset_rect,)
        over = self.crisis.overlay(
            s, surf.get_size(), focus, s.player, self.selected, self.hover_iso, cards
        )
        dx, dy = self.map.drag_offset
        surf.blit(over, r["map"].move(dx, dy).topleft, area=r["map"])
        if (dx, dy) == (0, 0):
            self.crisis.draw_pulses(surf, t)
            self._player_marker(surf, t)
            self.crisis.draw_badges(surf, s, s.player)
        if self.map.zoom > 1.0:
            theme.chip(
                surf,
                (r["map"].centerx, r["map"].bottom - 8),
                f"Zoom \u00d7{self.map.zoom:.1f}  \u00b7  drag to move  \u00b7  0: whole theatre",
                theme.PANEL,
                theme.INK_DIM,
                outline=theme.PANEL_EDGE,
                anchor="midbottom",
                bold=False,
            )
        surf.set_clip(prev_clip)
        self._cached(surf, "ladder", (v, self.hover_chip), r["ladder"], self._paint_ladder, True)
        self._cached(surf, "legend", v, r["legend"], self._paint_legend, True)
        if self.show_forecast:
            self._draw_forecast(surf, r["forecast"])
        self._cached(
            surf, "top", (v, self.hover_button, self.show_forecast), r["top"], self._paint_top
        )
        self._cached(
            surf,
            "timeline",
            (v, self.hover_month, self.view_turn),
            r["timeline"],
            self._paint_timeline,
        )
        self._draw_current_month(surf, t)
        self._cached(
            surf, "news", (v, self.view_turn, self.news_scroll), r["news"], self._paint_news
        )
        self._cached(surf, "dossier", (v, self.selected), r["dossier"], self._paint_dossier)
        self._cached(surf, "card", (v, self._heading()), r["card"], self._paint_card)
        self._cached(
            surf,
            "orders",
            (v, self.target, self.order, self.hover_row, self.hover_chip, self.list_scroll),
            r["orders"],
            self._paint_orders,
        )
        self._cached(
            surf,
            "end",
            (v, self.order, self.hover_button == "end_button"),
            r["end"],
            self._paint_end,
        )
        pygame.draw.line(
            surf, theme.PANEL_EDGE, (r["side"].x, r["side"].y), (r["side"].x, r["side"].bottom)
        )
        if self.tip:
            theme.tooltip(surf, self.tip_pos, self.tip)

    def _player_marker(self, surf, t: float) -> None:
        pos = self.map.actor_anchor(self.session.player_id)
        if pos is None or not self.rects["map"].collidepoint(pos):
            return
        k = theme.pulse(t, 0.7)
        rad = round(9 + 5 * k)
        ring = theme.glow_dot(rad + 4, theme.GOLD)
        ring.set_alpha(round(110 + 80 * (1 - k)))
        surf.blit(ring, ring.get_rect(center=pos))
        pygame.draw.circle(surf, theme.GOLD, pos, rad, 2)

    # --- top bar
    def _paint_top(self, img, rect) -> None:
        s, p = self.session, self.params
        img.fill((10, 14, 22))
        pygame.draw.line(img, theme.PANEL_EDGE, (0, rect.h - 1), (rect.w, rect.h - 1))
        mid = rect.h // 2
        # Right: where the whole crisis stands, next to the buttons.
        peak = int(s.rung.max())
        i, j = np.unravel_index(int(np.argmax(s.rung)), s.rung.shape)
        bx = self.rects["btn_forecast"].x - 16
        label = f"{p.rung_names[peak]}  {p.actor_ids[i]}\u2013{p.actor_ids[j]}"
        chip = theme.chip(
            img,
            (bx, mid),
            label,
            theme.shade(self.colours[peak], 0.35),
            self.colours[peak],
            12,
            self.colours[peak],
            "midright",
            8,
        )
        # Left: the logo, the scenario and the date, leaving out what does not fit.
        logo = theme.spaced("PACT", 20, theme.GOLD, True, 4)
        turn = min(s.turn, s.turns - 1)
        y, m = p.turn_date(turn)
        when = "Game over" if s.over else theme.month_name(y, m)
        sub = (
            f"Month {min(s.turn + 1, s.turns)} of {s.turns}"
            if not s.over
            else f"after {s.turn} months"
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
        for name, label_, hint in (
            ("btn_forecast", "Forecast", "F"),
            ("btn_help", "Help", "F1"),
            ("btn_menu", "Menu", "Esc"),
        ):
            on = name == "btn_forecast" and self.show_forecast
            theme.button(
                img,
                self.rects[name],
                label_,
                hot=self.hover_button == name or on,
                hint=hint,
                size=12,
            )

    # --- escalation ladder
    def _ladder_pairs(self):
        s, p = self.session, self.params
        me = s.player
        mine, others = [], []
        for a in range(p.n_actors):
            if a != me and s.rung[me, a] >= 1:
                mine.append((int(s.rung[me, a]), a))
        threat = p.thresholds.get("threat", 3)
        for i in range(p.n_actors):
            for j in range(i + 1, p.n_actors):
                if me in (i, j):
                    continue
                if s.rung[i, j] >= threat:
                    others.append((int(s.rung[i, j]), float(s.tension[i, j]), i, j))
        others.sort(reverse=True)
        return mine, [(r, i, j) for r, _, i, j in others[:3]]

    def _moves_since_last(self) -> dict:
        s = self.session
        last = s.last_month()
        out = {}
        if last is None:
            return out
        for ev in last.events:
            if ev.get("kind") == "rung":
                a, b = ev["pair"]
                out[frozenset((a, b))] = ev.get("direction")
        return out

    def _paint_ladder(self, img, rect) -> None:
        s, p = self.session, self.params
        box = rect.inflate(-6, -6)
        theme.card(img, box, 236)
        theme.heading(img, "ESCALATION LADDER", (box.x + 10, box.y + 8), 11)
        peak = int(s.rung.max())
        n = len(p.rung_ids)
        top = box.y + 28
        row_h = max((box.bottom - 6 - top) // n, 8)
        mine, others = self._ladder_pairs()
        moved = self._moves_since_last()
        my_peak = max((r for r, _ in mine), default=0)
        size = 12 if row_h >= 18 else 10
        for r in range(n):
            y = top + (n - 1 - r) * row_h
            col = self.colours[r]
            lit = r <= peak
            sw = pygame.Rect(box.x + 10, y + 2, 6, row_h - 3)
            pygame.draw.rect(img, col if lit else theme.shade(col, 0.45), sw, border_radius=2)
            if r == my_peak and mine:
                theme.fill(img, (box.x + 18, y + 1, box.w - 24, row_h - 1), (*col, 38), 3)
            # Chips, right to left: the player's pairs (filled), then other hot pairs (outlined).
            chips = [(a, None) for rr, a in mine if rr == r]
            chips += [(i, j) for rr, i, j in others if rr == r]
            x = box.right - 6
            for shown, (a, b) in enumerate(chips):
                if b is None:
                    label = p.actor_ids[a]
                    d = moved.get(frozenset((s.player_id, p.actor_ids[a])))
                    if d == "up":
                        label = "\u25b2" + label
                    elif d == "down":
                        label = "\u25bc" + label
                    bg = theme.shade(theme.BLOC.get(self.blocs[a], theme.INK_DIM), 0.8)
                    if self.hover_chip == a:
                        bg = theme.shade(bg, 1.3)
                    fg, line = theme.INK, None
                else:
                    label = f"{p.actor_ids[a]}\u00b7{p.actor_ids[b]}"
                    bg, fg, line = None, theme.INK_DIM, theme.INK_FAINT
                w = theme.text_width(label, 10, True) + 8
                if x - w < box.x + 130 and shown:
                    more = f"+{len(chips) - shown}"
                    x = (
                        theme.text(
                            img, more, (x - 2, y + row_h // 2), 10, theme.INK_DIM, True, "midright"
                        ).x
                        - 3
                    )
                    break
                placed = theme.chip(
                    img, (x, y + row_h // 2), label, bg, fg, 10, line, "midright", 4
                )
                x = placed.x - 3
            theme.text(
                img,
                p.rung_names[r],
                (box.x + 22, y + row_h // 2),
                size,
                theme.INK if lit else theme.INK_DIM,
                r == my_peak and bool(mine),
                "midleft",
                max_width=x - box.x - 26,
            )
        # Thresholds: a rule where each named threshold begins, its name riding on it.
        for name, level in p.thresholds.items():
            if not 0 < level < n:
                continue
            y = top + (n - level) * row_h
            tag = threshold_label(name, short=True).upper()
            col = self.colours[level]
            x0 = box.x + 20
            pygame.draw.line(img, theme.shade(col, 0.7), (x0, y), (box.right - 8, y), 1)
            if row_h < 19:
                continue  # too tight for the names: the rules alone mark the thresholds
            lab = theme.spaced(tag, 8, theme.mix(col, (255, 255, 255), 0.25), True, 1)
            lr = lab.get_rect(midleft=(x0 + 6, y))
            pygame.draw.rect(img, (15, 21, 31), lr.inflate(8, -2))
            img.blit(lab, lr)

    # --- legend
    def _legend_pairs(self) -> dict[str, list[str]]:
        """Pairs bound by each style of treaty link this month, e.g. {'assist': ['USA·KOR']}."""
        ids = self.params.actor_ids
        out: dict[str, list[str]] = {"assist": [], "consult": [], "upcoming": []}
        for lk in self.crisis.links:
            if lk.kind == "treaty":
                out.setdefault(lk.style, []).append(f"{ids[lk.i]}\u00b7{ids[lk.j]}")
        return out

    def _paint_legend(self, img, rect) -> None:
        from game.ui.crisis import TREATY_COLOUR, dashed, offset, stroke

        pairs = self._legend_pairs()
        box = rect.inflate(-6, -6)
        x0 = box.x + 10
        text_x = x0 + 44
        width = box.right - 10 - text_x
        rows = []
        for kind, label in (
            ("assist", "Defence pacts"),
            ("consult", "Consultation"),
            ("upcoming", "Signed, not in force"),
        ):
            names = pairs.get(kind, [])
            if not names and kind == "upcoming":
                continue
            lines = theme.wrap(f"{label}: " + ("  ".join(names) if names else "none"), 11, width)
            rows.append((kind, lines))
        rows.append(("hostile", ["Rivalry \u00b7 colour: rung \u00b7 width: tension"]))
        height = 28 + sum(4 + 14 * len(lines) for _, lines in rows) + 40
        card = pygame.Rect(box.x, box.y, box.w, min(height, box.h))
        self._legend_h = card.bottom + 3 - rect.y
        theme.card(img, card, 228)
        y = card.y + 8
        theme.heading(img, "MAP KEY", (x0, y), 10)
        y += 20

        def sample(kind, yy):
            pts = [(x0, yy), (x0 + 34, yy)]
            if kind == "assist":
                for d in (-2.2, 2.2):
                    stroke(img, offset(pts, d), 1.6, TREATY_COLOUR["west"])
            elif kind == "consult":
                dashed(img, pts, 1.8, TREATY_COLOUR["west"], 8, 5)
            elif kind == "upcoming":
                dashed(img, pts, 1.4, TREATY_COLOUR["east"], 2, 5)
            else:
                for k, c in enumerate((self.colours[2], self.colours[4], self.colours[7])):
                    seg = [(x0 + 12 * k, yy), (x0 + 12 * k + 11, yy)]
                    stroke(img, seg, 2 + 2 * k, c)

        for kind, lines in rows:
            sample(kind, y + 7)
            for k, line in enumerate(lines):
                head, _, rest = line.partition(": ") if k == 0 else ("", "", line)
                if kind == "hostile":
                    theme.text(
                        img,
                        line,
                        (text_x, y + 7),
                        11,
                        theme.INK_DIM,
                        anchor="midleft",
                        max_width=box.right - 10 - text_x,
                    )
                elif k == 0 and rest:
                    r = theme.text(
                        img, head + ":", (text_x, y + 7), 11, theme.INK_DIM, anchor="midleft"
                    )
                    theme.text(
                        img,
                        rest,
                        (r.right + 5, y + 7),
                        11,
                        theme.INK,
                        True,
                        anchor="midleft",
                        max_width=box.right - 10 - r.right - 5,
                    )
                else:
                    theme.text(
                        img,
                        line,
                        (text_x, y + 7),
                        11,
                        theme.INK if k else theme.INK_DIM,
                        k > 0,
                        anchor="midleft",
                    )
                y += 14
            y += 4
        y += 2
        for k, bloc in enumerate(("west", "east", "neutral")):
            cx = x0 + k * 66
            lo = bloc_fill(bloc, 0, self.params.thresholds)
            hi = bloc_fill(bloc, 99, self.params.thresholds)
            pygame.draw.rect(img, lo, (cx, y + 2, 10, 10))
            pygame.draw.rect(img, hi, (cx + 10, y + 2, 10, 10))
            theme.text(
                img,
                {"west": "West", "east": "East", "neutral": "Neutral"}[bloc],
                (cx + 24, y + 7),
                11,
                theme.INK_DIM,
                anchor="midleft",
            )
        theme.text(img, "darker fill: closer to war", (x0, y + 20), 10, theme.INK_FAINT)

    # --- forecast
    def _draw_forecast(self, surf, rect) -> None:
        f = self.forecast
        key = (
            "forecast",
            id(f),
            f.done if f else None,
            round(f.progress, 2) if f and not f.done else 1,
        )
        self._cached(surf, "forecast", key, rect, self._paint_forecast, True)

    def _paint_forecast(self, img, rect) -> None:
        f = self.forecast
        p = self.params
        box = rect.inflate(-6, -6)
        inner = theme.card(img, box, 242)
        theme.heading(img, "FORECAST \u00b7 NEXT 12 MONTHS", (inner.x, inner.y), 11)
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
        theme.text(
            img,
            f"{res.runs:,} futures from {theme.month_name(y0, m0, True)}, the AI for every state",
            (inner.x, y),
            11,
            theme.INK_DIM,
            max_width=inner.w,
        )
        y += 20
        war_col = self.colours[int(p.thresholds["war"])]
        rows = [
            (f"{self.session.player_name} at war", res.player_war, theme.GOLD, True),
            *(
                (threshold_label(n), res.odds[n], self.colours[int(p.thresholds[n])], n == "war")
                for n in REQUIRED_THRESHOLDS
            ),
        ]
        label_w = 130
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
            theme.text(img, _pct(v), (inner.right, y + 6), 12, theme.INK, True, "midright")
            y += 17
        if res.likeliest_war:
            a, b, v = res.likeliest_war
            theme.text(
                img,
                f"Likeliest war: {p.actor_names[p.actor_ids.index(a)]} \u2013 "
                f"{p.actor_names[p.actor_ids.index(b)]} ({_pct(v)})",
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

    # --- timeline
    def _paint_timeline(self, img, rect) -> None:
        s, p = self.session, self.params
        img.fill((12, 17, 26))
        pygame.draw.line(img, theme.PANEL_EDGE, (0, 0), (rect.w, 0))
        theme.heading(img, "TIMELINE", (12, 10), 10, theme.INK_FAINT)
        off = pygame.Vector2(self.rects["timeline"].topleft)
        peaks = {m.turn: m for m in s.history}
        for cell, k in self.month_rects():
            c = cell.move(-off.x, -off.y)
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
            if self.view_turn == k or (self.view_turn is None and k == s.turn - 1):
                pygame.draw.line(
                    img, theme.INK, (c.x, c.bottom + 2), (c.right - 1, c.bottom + 2), 2
                )
            if self.hover_month == k:
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

    def _draw_current_month(self, surf, t: float) -> None:
        s = self.session
        if s.over:
            return
        for cell, k in self.month_rects():
            if k == s.turn:
                k_ = theme.pulse(t, 1.0)
                col = theme.mix(theme.GOLD_DIM, theme.GOLD, k_)
                pygame.draw.rect(surf, col, cell.inflate(2, 2), 2, border_radius=3)

    # --- news
    def _paint_news(self, img, rect) -> None:
        s, p = self.session, self.params
        pygame.draw.line(img, theme.RULE, (rect.w - 1, 0), (rect.w - 1, rect.h))
        month, items = self.news_items()
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
                f"You lead {s.player_name}. Choose an order on the right, then end "
                "the turn (Enter).",
                (x, y),
                12,
                theme.GOLD,
                max_width=rect.w - 28,
            )
            return
        y0, m0 = p.turn_date(month.turn)
        theme.heading(img, f"DISPATCHES \u00b7 {theme.month_name(y0, m0).upper()}", (x, 10), 11)
        if self.view_turn is not None:
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
        y = 30
        tag_w = 82
        for h in items[self.news_scroll :]:
            if y + 18 > rect.h:
                break
            col = theme.TONE.get(h.tone, theme.INK_DIM)
            if h.rung is not None and h.tag in ("LADDER", "CLASH"):
                col = self.colours[h.rung]
            chip = pygame.Rect(x, y + 2, tag_w - 8, 15)
            pygame.draw.rect(img, theme.shade(col, 0.28), chip, border_radius=3)
            theme.text(img, h.tag, chip.center, 9, col, True, "center")
            ink = theme.GOLD if h.tone == "player" else theme.INK
            theme.text(
                img,
                h.text,
                (x + tag_w, y + 9),
                13,
                ink,
                h.weight >= 80,
                "midleft",
                max_width=rect.w - x - tag_w - 10,
            )
            y += 19
        rest = len(items) - self.news_scroll - (y - 30) // 19
        if rest > 0:
            theme.text(
                img,
                f"+{rest} more (scroll)",
                (rect.w - 12, rect.h - 4),
                10,
                theme.INK_FAINT,
                anchor="bottomright",
            )

    # --- dossier of the selected state
    def _paint_dossier(self, img, rect) -> None:
        s, p = self.session, self.params
        a = self.selected
        x = 14
        if a is None:
            theme.heading(img, "DOSSIER", (x, 10), 11)
            theme.text(img, "Click a state on the map.", (x, 34), 13, theme.INK_DIM)
            return
        bloc = self.blocs[a]
        pygame.draw.rect(img, theme.BLOC.get(bloc, theme.INK_DIM), (0, 0, 4, rect.h))
        theme.heading(img, "DOSSIER", (x, 10), 11)
        name = p.actor_names[a] + ("  \u00b7  you" if a == s.player else "")
        theme.text(img, name, (x, 26), 16, theme.INK, True, max_width=rect.w - 28)
        level, other = s.posture(a)
        lv = posture_level(level, p.thresholds)
        y = 48
        theme.text(
            img,
            f"{theme.BLOC_NAMES.get(bloc, bloc)} \u00b7 {POSTURE_NAMES[lv]}",
            (x, y),
            12,
            theme.BLOC_INK.get(bloc, theme.INK_DIM),
        )
        y += 18
        if a != s.player:
            r = int(s.rung[s.player, a])
            theme.text(img, "With you", (x, y), 11, theme.INK_FAINT)
            theme.text(
                img,
                p.rung_names[r],
                (x + 64, y),
                12,
                self.colours[r],
                True,
                max_width=rect.w - x - 150,
            )
            theme.bar(
                img, (rect.w - 82, y + 4, 46, 6), s.tension[s.player, a] / 100, self.colours[r]
            )
            theme.text(
                img,
                f"{s.tension[s.player, a]:.0f}",
                (rect.w - 12, y),
                11,
                theme.INK_DIM,
                anchor="topright",
            )
            y += 17
            tr = self._treaties_between(s.player, a)
            theme.text(img, "Treaties", (x, y), 11, theme.INK_FAINT)
            theme.text(
                img,
                tr[0] if tr else "none with you",
                (x + 64, y),
                12,
                theme.INFO if tr else theme.INK_DIM,
                max_width=rect.w - x - 76,
            )
            y += 17
        else:
            theme.text(img, "Worst pair", (x, y), 11, theme.INK_FAINT)
            theme.text(
                img,
                f"{p.rung_names[level]} with {p.actor_names[other]}",
                (x + 64, y),
                12,
                self.colours[level],
                True,
                max_width=rect.w - x - 76,
            )
            y += 34
        last = self._last_move(a)
        theme.text(img, "Last move", (x, y), 11, theme.INK_FAINT)
        theme.text(img, last, (x + 64, y), 12, theme.INK, max_width=rect.w - x - 76)
        y += 19
        at = s.attr[a]
        stats = [
            ("MIL", f"{at[ATTR['military']]:.0f}"),
            ("NUK", f"{at[ATTR['warheads']]:,.0f}"),
            ("ECO", f"{at[ATTR['economy']]:.0f}"),
            ("STAB", f"{at[ATTR['stability']]:.0f}"),
            ("READY", f"{at[ATTR['readiness']]:.0f}"),
        ]
        cw = (rect.w - 2 * x) / len(stats)
        for k, (lab, val) in enumerate(stats):
            cx = x + k * cw
            if y + 30 > rect.h:
                break
            theme.text(img, lab, (cx, y), 9, theme.INK_FAINT, True)
            theme.text(img, val, (cx, y + 11), 13, theme.INK, True)

    def _last_move(self, a: int) -> str:
        last = self.session.last_month()
        if last is None:
            return "\u2014"
        aid = self.params.actor_ids[a]
        for ev in last.events:
            if ev.get("kind") == "action" and ev.get("actor") == aid:
                k = self.params.action_ids.index(ev["action"])
                tgt = self.params.actor_names[self.params.actor_ids.index(ev["target"])]
                return f"{self.params.action_names[k]} \u2192 {tgt}"
        return "held its position"

    # --- the player's card
    def _heading(self) -> str:
        f, s = self.forecast, self.session
        fresh = f is not None and f.done and self._forecast_key == (id(s), s.version)
        return s.heading(f.result if fresh else None)

    def _paint_card(self, img, rect) -> None:
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
        theme.text(img, self._heading(), (x, 50), 11, theme.INK_DIM, max_width=rect.w - 130)
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

    # --- orders
    def _paint_orders(self, img, rect) -> None:
        s, p = self.session, self.params
        off = pygame.Vector2(self.rects["orders"].topleft)
        y0, m0 = p.turn_date(min(s.turn, s.turns - 1))
        head = theme.heading(img, f"ORDERS \u00b7 {theme.month_name(y0, m0).upper()}", (16, 10), 11)
        hint = "\u2190 \u2192 target   \u2191 \u2193 move"
        if head.right + theme.text_width(hint, 10) + 24 < rect.w:
            theme.text(img, hint, (rect.w - 14, 10), 10, theme.INK_FAINT, anchor="topright")
        # Target chips.
        chips = self.rects["chips"].move(-off.x, -off.y)
        theme.text(img, "Target", (chips.x, chips.centery), 11, theme.INK_DIM, anchor="midleft")
        for rr, a in self.chip_rects():
            c = rr.move(-off.x, -off.y)
            sel = a == self.target
            hot = a == self.hover_chip
            bg = theme.shade(
                theme.BLOC.get(self.blocs[a], theme.INK_DIM),
                0.75 if sel else (0.45 if hot else 0.3),
            )
            pygame.draw.rect(img, bg, c, border_radius=4)
            if sel:
                pygame.draw.rect(img, theme.GOLD, c, 2, border_radius=4)
            theme.text(
                img,
                p.actor_ids[a],
                (c.centerx, c.centery - 2),
                11,
                theme.INK if sel else theme.INK_DIM,
                True,
                "center",
            )
            r = int(s.rung[s.player, a])
            pygame.draw.rect(
                img, self.colours[r], (c.x + 4, c.bottom - 5, c.w - 8, 3), border_radius=1
            )
        # The catalogue.
        lst = self.rects["list"].move(-off.x, -off.y)
        opts = self.options()
        current = self.order_option()
        rh = self.row_h()
        vis = self.visible_rows()
        prev_cat = None
        for idx in range(self.list_scroll, min(len(opts), self.list_scroll + vis)):
            o = opts[idx]
            row = pygame.Rect(lst.x, lst.y + (idx - self.list_scroll) * rh, lst.w, rh)
            chosen = o is current
            if chosen:
                pygame.draw.rect(img, (48, 42, 24), row, border_radius=3)
                pygame.draw.rect(img, theme.GOLD, (row.x, row.y + 2, 3, row.h - 4))
            elif idx == self.hover_row:
                pygame.draw.rect(img, (30, 40, 56), row, border_radius=3)
            if o.action < 0:
                glyph_col, letter, name = theme.INK_DIM, "\u2013", "Hold position"
            else:
                cat = p.action_category[o.action]
                glyph_col = theme.CATEGORY_COLOUR.get(cat, theme.INK_DIM)
                letter, name = cat[:1].upper(), p.action_names[o.action]
                if prev_cat is not None and cat != prev_cat:
                    pygame.draw.line(img, theme.RULE, (row.x + 6, row.y), (row.right - 6, row.y))
                prev_cat = cat
            g = pygame.Rect(row.x + 8, row.y + 3, 13, 13)
            pygame.draw.rect(
                img, theme.shade(glyph_col, 0.9 if o.open else 0.35), g, border_radius=3
            )
            theme.text(img, letter, g.center, 9, (12, 14, 20), True, "center")
            ink = theme.INK if o.open else theme.INK_FAINT
            if chosen:
                ink = theme.GOLD
            right = ""
            rcol = theme.INK_FAINT
            if not o.open:
                right = o.short
            elif o.action >= 0:
                rset = int(p.action_rung[o.action])
                now = int(s.rung[s.player, self.target])
                dt = float(p.action_tension[o.action])
                if rset > now:
                    right, rcol = f"\u25b2 {p.rung_names[rset]}", self.colours[rset]
                elif abs(dt) > 0:
                    sign = "+" if dt > 0 else "\u2212"
                    right = f"{sign}{abs(dt):.0f} tension"
                    rcol = theme.BAD if dt > 0 else theme.GOOD
            rw = 0
            if right:
                rr = theme.text(
                    img,
                    right,
                    (row.right - 8, row.centery),
                    10,
                    rcol,
                    anchor="midright",
                    max_width=150,
                )
                rw = rr.w + 12
            theme.text(
                img,
                name,
                (row.x + 28, row.centery),
                12,
                ink,
                chosen,
                "midleft",
                max_width=row.w - 36 - rw,
            )
        if len(opts) > vis:
            track = pygame.Rect(lst.right - 3, lst.y, 3, vis * rh)
            pygame.draw.rect(img, (30, 38, 52), track)
            frac = vis / len(opts)
            th = max(round(track.h * frac), 12)
            ty = track.y + round((track.h - th) * self.list_scroll / max(len(opts) - vis, 1))
            pygame.draw.rect(img, theme.INK_FAINT, (track.x, ty, 3, th))
        # Preview of the hovered (or chosen) move.
        pv = self.rects["preview"].move(-off.x, -off.y)
        theme.fill(img, pv, (11, 16, 24), 5)
        pygame.draw.rect(img, theme.RULE, pv, 1, border_radius=5)
        shown = (
            opts[self.hover_row]
            if self.hover_row is not None and self.hover_row < len(opts)
            else current
        )
        if shown.action < 0:
            title = "Hold position"
        else:
            title = f"{p.action_names[shown.action]} \u2192 {p.actor_names[shown.target]}"
        tag, tone = rules.stance(p, shown.action)
        tcol = theme.TONE.get(tone, theme.INK_DIM)
        chip = theme.chip(
            img,
            (pv.right - 8, pv.y + 15),
            tag.upper(),
            theme.shade(tcol, 0.25),
            tcol,
            9,
            None,
            "midright",
            5,
        )
        theme.text(
            img, title, (pv.x + 10, pv.y + 7), 13, theme.INK, True, max_width=chip.x - pv.x - 18
        )
        y = pv.y + 27
        lines: list[rules.Line] = []
        if not shown.open:
            lines.append(rules.Line("Closed", shown.reason, "bad"))
        lines += rules.preview(s, shown.action, shown.target)
        desc = rules.describe_action(s, shown.action) if shown.action >= 0 else ""
        if desc:
            lines.append(rules.Line("Note", desc, "neutral"))
        for ln in lines:
            col = theme.TONE.get(ln.tone, theme.INK_DIM)
            parts = theme.wrap(ln.text, 12, pv.w - 90)
            for k, part in enumerate(parts):
                if y + 15 > pv.bottom - 2:
                    break
                if k == 0:
                    theme.text(
                        img, ln.label, (pv.x + 10, y), 10, theme.INK_FAINT, True, max_width=64
                    )
                theme.text(img, part, (pv.x + 78, y - 1), 12, col)
                y += 15

    def _paint_end(self, img, rect) -> None:
        s, p = self.session, self.params
        pygame.draw.line(img, theme.PANEL_EDGE, (0, 0), (rect.w, 0))
        o = self.order_option()
        if s.over:
            summary = "The game is over."
        elif o.action < 0:
            summary = "Order: hold position"
        else:
            summary = f"Order: {p.action_names[o.action]} \u2192 {p.actor_names[o.target]}"
        theme.text(img, summary, (16, 10), 12, theme.INK_DIM, max_width=rect.w - 32)
        btn = self.rects["end_button"].move(-self.rects["end"].x, -self.rects["end"].y)
        label = "RESULTS" if s.over else "END TURN"
        theme.button(
            img,
            btn,
            label,
            hot=self.hover_button == "end_button",
            primary=True,
            hint="Enter",
            size=15,
        )


def _pct(v: float) -> str:
    if v <= 0:
        return "0%"
    if v < 0.01:
        return "<1%"
    return f"{100 * v:.0f}%"
