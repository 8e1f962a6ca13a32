"""The map with the crisis drawn over it: hover a state or a link for its tooltip, click to
select (and aim at) a state, wheel or +/- to zoom, drag to move the view, 0 for the whole
theatre. Drawn every frame from the map's and the crisis layer's own caches."""

from __future__ import annotations

import pygame

from game.engine.params import ATTR
from game.ui import theme
from game.ui.crisis import POSTURE_NAMES, posture_level
from game.ui.mapstyle import SEA_TOP
from game.ui.panels import ladder
from game.ui.panels.base import Panel
from game.ui.panels.tips import pair_tip, pledges_between, treaties_between
from game.ui.redlines import red_line_tip
from game.ui.widgets import is_key

ZOOM_STEP = 1.25  # map magnification per wheel notch or +/- key
DRAG_START = 6  # pixels the pointer must move with the button down before the map drags
# While the wheel turns, the last picture of the map is shown scaled to the new view; the map
# is drawn anew once the wheel has been still this long (seconds).
ZOOM_SETTLE = 0.15
# The map's picture of a new view (or size, or colours) is made a few steps a frame, this many
# seconds of work each, while the last picture stands in (``MapView.prepare``).
PAINT_BUDGET = 0.005


class MapPanel(Panel):
    name = "map"

    def __init__(self, play) -> None:
        super().__init__(play)
        self.map = play.map
        self.crisis = play.crisis
        self.hover_actor: int | None = None
        self.hover_iso: str | None = None
        # Dragging: where the left button went down, and whether it moved far enough to be a
        # drag rather than a click.
        self._drag_from: tuple[int, int] | None = None
        self._dragging = False
        # A zoom in progress: the picture before it, the view it was drawn in, and when the
        # map is drawn anew (``ZOOM_SETTLE``).
        self._preview: tuple[pygame.Surface, object] | None = None
        self._settle_at = 0.0

    def place(self, frame):
        m = frame["map"]
        # The Ukraine inset shares the map's left side with the ladder: where the map is too low
        # for both (a wide, low window), the ladder keeps its readable rows and the inset goes.
        _, ih = self.map.inset_size(m.size)
        room = m.h - 30 - ladder.full_height(self.play.params, ladder.MIN_ROW)
        self.map.set_inset(self.play.wants_inset and room >= ih + 34)
        self.map.set_rect(m)
        return m

    def cards(self) -> list[Panel]:
        return [p for p in self.play.panels if p.over_map]

    def on_open_map(self, pos) -> bool:
        """Off the cards and the inset: where the map zooms and drags."""
        if not self.rect.collidepoint(pos) or any(c.contains(pos) for c in self.cards()):
            return False
        inset = self.map.inset_rect
        return inset is None or not inset.collidepoint(pos)

    # ---------------------------------------------------------------- input
    def hover(self, pos):
        if self.zooming() or not self.map.ready():
            return []  # the shapes are projected for the new view once its picture is made
        iso = self.map.country_at(*pos)
        self.hover_iso = iso
        self.hover_actor = None
        ids = self.params.actor_ids
        if iso in ids:
            self.hover_actor = ids.index(iso)
        lk = self.crisis.link_near(pos, 5.0, self.hover_actor)
        if lk is not None:
            return self._link_tip(lk)
        if self.hover_actor is not None:
            return self._actor_tip(self.hover_actor)
        if iso:
            return [
                (self._country_name(iso), theme.INK, True),
                ("Not a party to the crisis", theme.INK_DIM, False),
            ]
        return []

    def leave(self) -> None:
        self.hover_actor = self.hover_iso = None

    def press(self, pos) -> None:
        self.settle()
        if self.on_open_map(pos):
            self._drag_from = pos  # a click or the start of a drag: the release tells
        else:
            self.click(pos)

    def drag(self, ev, pos) -> bool:
        """Follow a drag of the map with the left button; True while the map is dragged."""
        if self._drag_from is None:
            return False
        buttons = getattr(ev, "buttons", None) or (0,)
        if not buttons[0]:
            self.end_drag()  # the button came up outside the window
            return False
        dx, dy = pos[0] - self._drag_from[0], pos[1] - self._drag_from[1]
        if not self._dragging and dx * dx + dy * dy < DRAG_START**2:
            return False
        self._dragging = True
        self.map.drag_offset = (dx, dy)
        self.leave()
        return True

    def release(self) -> None:
        pressed, dragged = self._drag_from, self._dragging
        self.end_drag()
        if pressed is not None and not dragged:
            self.click(pressed)  # a press on the map that did not drag is a click

    def end_drag(self) -> None:
        """Finish a drag: the view moves by the distance dragged."""
        if self._dragging:
            dx, dy = self.map.drag_offset
            self.map.drag_offset = (0, 0)
            self.map.pan_by(dx, dy)
        self._drag_from = None
        self._dragging = False

    def click(self, pos) -> None:
        """Select the state under the pointer (or at the far end of the link under it)."""
        play, s = self.play, self.session
        iso = self.map.country_at(*pos)
        ids = self.params.actor_ids
        if iso in ids:
            a = ids.index(iso)
        else:
            lk = self.crisis.link_near(pos, 5.0)
            if lk is None:
                return
            a = lk.j if lk.i == s.player else lk.i
        play.selected = a
        if a != s.player:
            play.set_target(a)

    def wheel(self, pos, dy: int) -> None:
        if self.on_open_map(pos) and dy:
            self.end_drag()
            if self._preview is None:  # (one in hand stays: the map is not drawn anew yet)
                self._preview = (self._picture(), self.map.view)
            self.map.zoom_at(pos[0], pos[1], ZOOM_STEP ** max(-4, min(dy, 4)))
            self._settle_at = self.play.app.t + ZOOM_SETTLE
            self.play.tip = []

    def painted(self) -> bool:
        return self.map.ready() and not self.zooming()

    def zooming(self) -> bool:
        """A wheel zoom is under way: the scaled picture stands in for the map."""
        return self._preview is not None and self.play.app.t < self._settle_at

    def settle(self) -> None:
        """End a wheel zoom now: the map's picture in its new view is made from the next
        frame on (the scaled one stands in until it is)."""
        self._settle_at = 0.0

    def _picture(self) -> pygame.Surface:
        """The map as last drawn (base and crisis overlay), in the map's own pixels."""
        r = self.rect
        pic = pygame.Surface(r.size)
        self._draw_last(pic, (0, 0))
        return pic

    def _draw_last(self, surf, at) -> None:
        """The map's last picture and the crisis over it, as they were (the sea if there is
        none yet), at ``at``."""
        r = self.rect
        last = self.map.last_picture()
        if last is None or last.get_size() != r.size:
            surf.fill(SEA_TOP, pygame.Rect(at, r.size))
            return
        surf.blit(last, at)
        over = self.crisis.cached_overlay()
        if over is not None:
            surf.blit(over, at, area=r)

    def _draw_preview(self, surf) -> None:
        """The picture from before the zoom, scaled and moved to the new view (the inset,
        which does not zoom, stays as it was)."""
        pic, old = self._preview
        new, r = self.map.view, self.rect
        k = new.scale / old.scale
        ax, ay = new.project(*old.unproject(0.0, 0.0))
        target = pygame.Rect(round(float(ax)), round(float(ay)), round(r.w * k), round(r.h * k))
        shown = target.clip(pygame.Rect((0, 0), r.size))
        surf.fill(theme.PANEL, r)
        if shown.w > 0 and shown.h > 0:
            src = pygame.Rect(
                int((shown.x - target.x) / k),
                int((shown.y - target.y) / k),
                max(int(shown.w / k), 1),
                max(int(shown.h / k), 1),
            ).clip(pic.get_rect())
            if src.w > 0 and src.h > 0:
                part = pygame.transform.scale(pic.subsurface(src), shown.size)
                surf.blit(part, shown.move(r.topleft))
        inset = self.map.inset_rect
        if inset is not None:
            surf.blit(pic, inset.topleft, area=inset.move(-r.x, -r.y))

    def zoom(self, factor: float) -> None:
        """Zoom the map about its middle (keyboard)."""
        self.end_drag()
        self.settle()
        c = self.rect.center
        self.map.zoom_at(c[0], c[1], factor)

    def key(self, ev, ch, mods) -> bool:
        if ch in ("+", "=") or is_key(ev, pygame.K_KP_PLUS):
            self.zoom(ZOOM_STEP)
        elif ch == "-" or is_key(ev, pygame.K_KP_MINUS):
            self.zoom(1 / ZOOM_STEP)
        elif ch == "0" or is_key(ev, pygame.K_KP0):
            self.end_drag()
            self.settle()
            self.map.reset_view()
        else:
            return False
        return True

    # ----------------------------------------------------------------- tips
    def _country_name(self, iso: str) -> str:
        from game.ui import geo

        c = geo.load_map().main.by_iso3(iso)
        return c.name if c else iso

    def _link_tip(self, lk):
        if lk.kind == "hostile":
            return pair_tip(self.session, self.colours, lk.i, lk.j)
        if lk.kind == "red_line":
            return red_line_tip(self.session, lk.ref)
        p = self.params
        lines = [(f"{p.actor_names[lk.i]} \u2013 {p.actor_names[lk.j]}", theme.INK, True)]
        for t in treaties_between(self.session, lk.i, lk.j):
            lines.append((t, theme.INFO, False))
        for t in pledges_between(self.session, lk.i, lk.j):
            lines.append((t, theme.INK_DIM, False))
        return lines

    def _actor_tip(self, a: int):
        s, p = self.session, self.params
        level, other = s.posture(a)
        lv = posture_level(level, p.thresholds)
        bloc = self.blocs[a]
        lines = [
            (p.actor_names[a] + ("  (you)" if a == s.player else ""), theme.INK, True),
            (theme.BLOC_NAMES.get(bloc, bloc), theme.BLOC_INK.get(bloc, theme.INK_DIM), False),
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

    # -------------------------------------------------------------- drawing
    def draw(self, surf) -> None:
        """The map and the crisis over it, drawn from their own caches (keyed on the game, the
        view, the focus and the cards to keep labels from)."""
        s, m, r = self.session, self.map, self.rect
        t = self.play.app.t
        prev_clip = surf.get_clip()
        surf.set_clip(r.clip(prev_clip))
        if self.zooming() or not m.ready():
            # The picture of the new view is made a few steps a frame; the last one (scaled
            # to the new view after a zoom) stands in meanwhile.
            if not self.zooming() and not self.play.panels_waiting():
                m.prepare(PAINT_BUDGET)
            if self._preview is not None:
                self._draw_preview(surf)
            else:
                self._draw_last(surf, r.topleft)
            surf.set_clip(prev_clip)
            return
        self._preview = None
        m.draw(surf)
        focus = frozenset(x for x in (self.hover_actor,) if x is not None)
        cards = tuple(c.rect for c in self.cards() if c.visible())
        if m.inset_rect is not None:
            cards += (m.inset_rect,)
        over = self.crisis.overlay(
            s, surf.get_size(), focus, s.player, self.play.selected, self.hover_iso, cards
        )
        dx, dy = m.drag_offset
        surf.blit(over, r.move(dx, dy).topleft, area=r)
        if (dx, dy) == (0, 0):
            self.crisis.draw_pulses(surf, t)
            self._player_marker(surf, t)
            self.crisis.draw_badges(surf, s, s.player)
        if m.zoom > 1.0:
            theme.chip(
                surf,
                (r.centerx, r.bottom - 8),
                f"Zoom \u00d7{m.zoom:.1f}  \u00b7  drag to move  \u00b7  0: whole theatre",
                theme.PANEL,
                theme.INK_DIM,
                outline=theme.PANEL_EDGE,
                anchor="midbottom",
                bold=False,
            )
        surf.set_clip(prev_clip)

    def _player_marker(self, surf, t: float) -> None:
        pos = self.map.actor_anchor(self.session.player_id)
        if pos is None or not self.rect.collidepoint(pos):
            return
        k = theme.pulse(t, 0.7)
        rad = round(9 + 5 * k)
        ring = theme.glow_dot(rad + 4, theme.GOLD)
        ring.set_alpha(round(110 + 80 * (1 - k)))
        surf.blit(ring, ring.get_rect(center=pos))
        pygame.draw.circle(surf, theme.GOLD, pos, rad, 2)
