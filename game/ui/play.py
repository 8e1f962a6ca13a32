"""The map scene: the game itself, composed of panels.

Layout (1280x800): a top bar with the date; the map with the crisis drawn over it, the
escalation ladder in its top-left corner and the legend (or the forecast) in its top-right;
under the map the timeline of months, the news of the month and the dossier of the selected
state; on the right the player's state and the orders for the month with the end-turn button.

Each of these is a panel (``game.ui.panels``) that owns its rectangle, its input, its
tooltips and its drawing. The scene lays out the screen's regions, keeps the interface state
that several panels share (the target, the order, the selected state, the month shown, the
forecast), routes input down the list of panels (the topmost first) and draws them up. To add
a panel, write its class and put it in ``PANELS``.
"""

from __future__ import annotations

import gc
import threading
import time

import numpy as np
import pygame

from game import sim
from game.play import rules
from game.play.forecast import Forecast, forecast_seed
from game.ui import theme
from game.ui.background import RemoteForecast
from game.ui.crisis import CrisisLayer, bloc_fill
from game.ui.mapview import MapView, wants_inset
from game.ui.panels.base import Panel
from game.ui.panels.card import PlayerCard, card_height
from game.ui.panels.decisions import Decisions
from game.ui.panels.dilemmas import Dilemmas
from game.ui.panels.dossier import Dossier
from game.ui.panels.end import EndTurn
from game.ui.panels.forecast import ForecastCard
from game.ui.panels.ladder import Ladder
from game.ui.panels.legend import Legend
from game.ui.panels.map import MapPanel
from game.ui.panels.news import News
from game.ui.panels.orders import Orders
from game.ui.panels.timeline import Timeline
from game.ui.panels.top import TopBar
from game.ui.scene import Scene
from game.ui.widgets import CONFIRM_KEYS, char_of, event_pos, is_click, is_key, wheel_of

LAND_MUTED = (112, 110, 100)
FIRST_PAINT_BUDGET = 0.008  # a frame's drawing time after which no panel paints its first picture

# The panels, in drawing order: later ones are drawn over earlier ones and take input first.
PANELS: tuple[type[Panel], ...] = (
    MapPanel,
    Ladder,
    Legend,
    Decisions,
    Dilemmas,
    ForecastCard,  # over the question cards: the player asked for it (F), and F closes it
    TopBar,
    Timeline,
    News,
    Dossier,
    PlayerCard,
    Orders,
    EndTurn,
)


_warming: threading.Thread | None = None


def _warm_engine(params) -> None:
    """Once per window, a second after the first game's screen is whole: load the engine's
    compiled kernels in a thread (``game.sim.warm``), so that the player's first "End turn"
    does not wait about a second for them; the frames drawn meanwhile barely notice (the
    loading thread yields the interpreter every few milliseconds)."""
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=_warm, args=(params,), name="pact-warm", daemon=True)
        _warming.start()


WARM_AFTER = 1.0  # seconds after the first screen is whole: the window's opening stays light


def _warm(params) -> None:
    time.sleep(WARM_AFTER)
    sim.warm(params)
    # What is loaded by now (the modules, numba's compiler and the kernels: over a hundred
    # thousand objects) lives as long as the window: kept out of the garbage collector's full
    # passes, which would otherwise stop a frame now and then for about 80 ms to scan it.
    gc.freeze()


def frame_regions(size, goals: int = 4) -> dict[str, pygame.Rect]:
    """The regions of the screen that panels place themselves in, for a window of ``size``;
    the player card is as tall as the player's state's ``goals`` need."""
    w, h = max(size[0], 1), max(size[1], 1)
    top_h = 46
    side_w = max(300, min(430, round(w * 0.28)))
    side_w = min(side_w, max(w - 200, 1))
    bottom_h = max(140, min(240, round(h * 0.235)))
    map_w = max(w - side_w, 1)
    r = {"window": pygame.Rect(0, 0, w, h), "top": pygame.Rect(0, 0, w, top_h)}
    r["map"] = pygame.Rect(0, top_h, map_w, max(h - top_h - bottom_h, 1))
    r["timeline"] = pygame.Rect(0, r["map"].bottom, map_w, 30)
    below = r["timeline"].bottom
    news_w = max(round(map_w * 0.6), 1)
    r["news"] = pygame.Rect(0, below, news_w, max(h - below, 1))
    r["dossier"] = pygame.Rect(news_w, below, max(map_w - news_w, 1), r["news"].h)
    r["side"] = pygame.Rect(map_w, top_h, side_w, max(h - top_h, 1))
    r["card"] = pygame.Rect(map_w, top_h, side_w, card_height(goals))
    r["end"] = pygame.Rect(map_w, max(h - 78, r["card"].bottom), side_w, 78)
    r["orders"] = pygame.Rect(
        map_w, r["card"].bottom, side_w, max(r["end"].y - r["card"].bottom, 1)
    )
    return r


class PlayScene(Scene):
    root = True

    def __init__(self, app, session) -> None:
        super().__init__(app)
        self.session = session
        p = session.params
        self.params = p
        self.blocs = list(p.extra.get("blocs", ["neutral"] * p.n_actors))
        self.colours = theme.rung_colours(p)
        off_map = not np.asarray(p.theatre_on_map, dtype=bool).all()
        self.wants_inset = wants_inset(p.actor_ids, off_map)  # where the map has room for it
        self.map = MapView(
            (0, 46, 900, 560), self._fills(), default_fill=LAND_MUTED, show_inset=self.wants_inset
        )
        self.crisis = CrisisLayer(self.map, p)
        self.rects: dict[str, pygame.Rect] = {}
        # Interface state that several panels read (never the game's).
        self.target = self._default_target()
        self.selected: int | None = self.target
        self.order = (-1, self.target)
        self.view_turn: int | None = None  # the month whose news is shown (None: the latest)
        self.forecast: Forecast | RemoteForecast | None = None
        self._forecast_key = None
        self.show_forecast = False
        self.tip: list[tuple[str, tuple, bool]] = []
        self.tip_pos = (0, 0)
        self._options_key = None
        self._options: list[rules.Option] = []
        # The player's answers to this month's decisions: (commitment, counterpart) -> honour.
        self.answers: dict[tuple[int, int], bool] = {}
        self._decisions_key = None
        self._decisions: list = []
        # The player's choices in this month's dilemmas: dilemma index -> option index.
        self.choices: dict[int, int] = {}
        self._dilemmas_key = None
        self._dilemmas: list = []
        self._frame_start = 0.0  # when this frame's drawing began (perf_counter)
        self._opening = True  # until every panel has its first picture
        self.panels: list[Panel] = [kind(self) for kind in PANELS]
        self._by_name = {panel.name: panel for panel in self.panels}
        # The AI baseline the verdict is measured against: made off the window's thread (the
        # score shows "estimating" until then); asked for now, before the first frame.
        self.baseline_known = app.baseline(session) is not None

    def panel(self, name: str) -> Panel:
        return self._by_name[name]

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

    def decisions(self) -> list:
        """The player's triggered pledges awaiting an answer this month (``Session.decisions``)."""
        key = (self.session.version, id(self.session))
        if key != self._decisions_key:
            self._decisions = self.session.decisions()
            self._decisions_key = key
        return self._decisions

    def dilemmas(self) -> list:
        """The dilemmas put to the player's state this month (``Session.dilemmas``)."""
        key = (self.session.version, id(self.session))
        if key != self._dilemmas_key:
            self._dilemmas = self.session.dilemmas()
            self._dilemmas_key = key
        return self._dilemmas

    def choose(self, dilemma: int, option: int) -> None:
        self.choices[dilemma] = option

    def answer_of(self, d) -> bool | None:
        return self.answers.get((d.commitment, d.against))

    def answer(self, key: tuple[int, int], honour: bool) -> None:
        self.answers[key] = honour

    def open_pledges(self) -> int:
        """Decisions on pledges of this month still without an answer."""
        return sum(self.answer_of(d) is None for d in self.decisions())

    def open_dilemmas(self) -> int:
        """Dilemmas of this month still without a choice."""
        return sum(d.index not in self.choices for d in self.dilemmas())

    def unanswered(self) -> int:
        """Decisions and dilemmas of this month still without an answer."""
        return self.open_pledges() + self.open_dilemmas()

    def order_option(self) -> rules.Option:
        for o in self.options():
            same = o.action == self.order[0] and (o.action < 0 or o.target == self.order[1])
            if same and o.open:
                return o
        return self.options()[0]

    # ----------------------------------------------------------------- layout
    def layout(self, size) -> None:
        frame = frame_regions(size, len(self.panel("card").rows()))
        for panel in self.panels:
            panel.layout(frame)
        self.rects = {**frame, **{panel.name: panel.rect for panel in self.panels}}

    # ----------------------------------------------------------------- events
    def panel_at(self, pos) -> Panel | None:
        """The topmost panel under ``pos``."""
        return next((p for p in reversed(self.panels) if p.contains(pos)), None)

    def hover(self, pos) -> None:
        """The pointer is at ``pos``: the panel under it notes what it points at and gives the
        tooltip; every other panel forgets its hover."""
        under = self.panel_at(pos)
        for panel in self.panels:
            if panel is not under:
                panel.leave()
        self.tip = under.hover(pos) if under is not None else []
        self.tip_pos = pos

    def handle(self, ev) -> bool:
        mapp = self.panel("map")
        if ev.type == pygame.MOUSEMOTION:
            pos = event_pos(ev)
            if pos is not None:
                if mapp.drag(ev, pos):
                    self.tip = []
                else:
                    self.hover(pos)
            return True
        if ev.type == pygame.MOUSEBUTTONUP and getattr(ev, "button", 0) == 1:
            mapp.release()
            return True
        if ev.type == pygame.MOUSEWHEEL:
            under = self.panel_at(self.app.mouse)
            if under is not None:
                under.wheel(self.app.mouse, wheel_of(ev))
                self.hover(self.app.mouse)  # the view moved under the pointer: a fresh tip
            return True
        if is_click(ev):
            pos = event_pos(ev)
            under = self.panel_at(pos) if pos is not None else None
            if under is not None:
                under.press(pos)
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
                self.app.open("pause")
        elif is_key(ev, pygame.K_F1) or ch == "?":
            self.app.open("help")
        elif is_key(ev, *CONFIRM_KEYS):
            self.confirm()
        elif is_key(ev, pygame.K_f):
            self.toggle_forecast()
        elif is_key(ev, pygame.K_s) and mods & pygame.KMOD_CTRL:
            self.app.save_game()
        else:
            if not any(panel.key(ev, ch, mods) for panel in reversed(self.panels)):
                return False
            # A key may move what lies under the pointer (the map zoomed or reset): the tip
            # is worked out again where the pointer stands, not left where it was.
            self.hover(self.app.mouse)
        return True

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
        self.panel("orders").scroll = 0  # another target's list, seen from its top

    def cycle_target(self, step: int) -> None:
        others = [a for a in range(self.params.n_actors) if a != self.session.player]
        if not others:
            return
        k = others.index(self.target) if self.target in others else 0
        self.set_target(others[(k + step) % len(others)])

    def show_month(self, turn: int | None) -> None:
        """Show the news of month ``turn`` (None: the latest), from its top."""
        self.view_turn = turn
        self.panel("news").scroll = 0

    def confirm(self) -> None:
        """Enter or the end-turn button: play the month, or show the results once it is over."""
        if self.session.over:
            self.app.open("end", self)
        else:
            self.end_turn()

    def toggle_forecast(self) -> None:
        s = self.session
        if self.show_forecast:
            self.show_forecast = False
            return
        if s.over:
            self.app.toast("The game is over: nothing left to forecast", "warn")
            return
        if self.forecast is None or self._forecast_key != (id(s), s.version):
            self.cancel_forecast()
            # Played in the window's forecast process; in the frame loop if there is none.
            self.forecast = self.app.forecasts().start(
                s.scenario,
                s.state,
                s.player,
                runs=self.app.forecast_runs,
                seed=forecast_seed(s.seed, s.turn),
            )
            self._forecast_key = (id(s), s.version)
        self.show_forecast = True

    def forecast_result(self):
        """The forecast's result if one of this very month is done, else None."""
        f, s = self.forecast, self.session
        fresh = f is not None and f.done and self._forecast_key == (id(s), s.version)
        return f.result if fresh else None

    def end_turn(self, ai: bool = False) -> None:
        """Play the month with the current order (or the AI's choice for the player)."""
        s = self.session
        if s.over:
            return
        cand = None if ai else self.order_option().cand
        asked = {(d.commitment, d.against) for d in self.decisions()}
        posed = {d.index for d in self.dilemmas()}
        left = self.unanswered()
        s.end_turn(
            cand,
            {k: v for k, v in self.answers.items() if k in asked},
            ai_decides=ai,
            choices={d: k for d, k in self.choices.items() if d in posed},
        )
        self.answers = {}
        self.choices = {}
        if left and not ai and not s.over:  # the last month asks nothing again
            self.app.toast(
                f"{left} decision{'s' if left > 1 else ''} left unanswered: asked again", "warn"
            )
        self.map.set_fills(self._fills())
        self.show_month(None)
        self._options_key = None
        self.order = (-1, self.target)  # each month starts from holding position
        self.panel("orders").scroll = 0  # and its list is seen from the top
        self.cancel_forecast()
        self.show_forecast = False
        self.app.after_turn(self, alert=not ai)

    def cancel_forecast(self) -> None:
        """Drop a forecast still being played (the game moved on, or the scene closes)."""
        f = self.forecast
        if f is not None and not f.done:
            if isinstance(f, RemoteForecast):
                f.cancel()
            self.forecast = None

    def exit(self) -> None:
        self.cancel_forecast()

    # --------------------------------------------------------------- updating
    def update(self, dt: float) -> None:
        if not self.baseline_known:
            self.baseline_known = self.app.baseline(self.session) is not None
        f = self.forecast
        # A forecast in the frame loop is worked on while shown; one in the forecast process
        # is only read (its progress, its result), which costs the frame nothing.
        if f is not None and not f.done and (self.show_forecast or isinstance(f, RemoteForecast)):
            f.advance(self.app.forecast_budget)

    # ----------------------------------------------------------------- drawing
    def may_paint_first(self) -> bool:
        """A panel may paint its first picture in this frame: in the scene's first frames,
        while the frame's drawing has taken less than ``FIRST_PAINT_BUDGET`` seconds (so
        that they share the work, the map's picture in the making included)."""
        if not self._opening:
            return True  # a card that shows up later is painted at once
        return time.perf_counter() - self._frame_start < FIRST_PAINT_BUDGET

    def panels_waiting(self) -> bool:
        """In the scene's first frames, a panel over or beside the map still lacks its first
        picture (they come before the map's, which takes longer)."""
        return self._opening and not all(
            p.painted() for p in self.panels if p.visible() and p.name != "map"
        )

    def drawn(self) -> bool:
        """Every panel has its first picture and the map its picture of the current view."""
        return all(p.painted() for p in self.panels if p.visible())

    def draw(self, surf) -> None:
        self._frame_start = time.perf_counter()
        for panel in self.panels:
            panel.draw(surf)
        if self._opening:
            self._opening = not self.drawn()
            if not self._opening:
                _warm_engine(self.session.params)
        side = self.rects["side"]
        pygame.draw.line(surf, theme.PANEL_EDGE, (side.x, side.y), (side.x, side.bottom))
        if self.tip:
            theme.tooltip(surf, self.tip_pos, self.tip)
