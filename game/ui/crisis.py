"""The crisis drawn over the map: who threatens whom, who is bound to whom.

Links between states are curves between their capitals (Russia's Pacific end is Vladivostok;
Moscow and Kyiv sit in the Ukraine inset). Hostile links take the colour of the pair's rung
on the escalation ladder and grow thicker with tension; an arrowhead marks the victim of an
armed attack. Treaty links join the parties of treaties in force: a double line for a mutual
defence (assistance) clause, a dashed line for consultation only, a faint dotted line for a
treaty signed but not yet binding. A clause invoked this month makes its link pulse. A red
line standing this month is a dashed red link from the state that declared it to the state it
warned (``game.ui.redlines``).

The static part is painted once per change of game state or focus into a cached overlay;
only the pulses are drawn every frame.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from game.engine.params import KIND
from game.ui import theme
from game.ui.mapstyle import INSET_POINTS, LABEL_OFFSETS
from game.ui.redlines import paint_red_lines, red_line_links
from game.ui.strokes import (
    Link,
    bezier,
    fill_ribbon,
    label_spots,
    nearest_edge,
    point_at,
    stroke,
    trim,
)

# Badges move off the city marker, away from the side its name is written on.
_BADGE_SHIFT = {"l": (-4, 0), "r": (4, 0), "c": (0, 4)}

# Where an actor's links end on the main map when its usual anchor is in the inset.
MAIN_FALLBACK = {"RUS": "Vladivostok"}

TREATY_COLOUR = {"west": (150, 196, 250), "east": (250, 160, 140), "neutral": (210, 214, 170)}


class CrisisLayer:
    def __init__(self, mapview, params) -> None:
        self.map = mapview
        self.params = params
        self.colours = theme.rung_colours(params)
        self.blocs = list(params.extra.get("blocs", ["neutral"] * params.n_actors))
        self._key = None
        self._geo_key = None
        self._surf: pygame.Surface | None = None
        self.links: list[Link] = []
        self._links_of = None  # (version, id) of the game state the links were built for
        self.pulses: list[tuple[Link, str, int]] = []  # link, kind, index of the sender
        self.label_boxes: list[pygame.Rect] = []  # the rung names last painted (screen pixels)

    # ----------------------------------------------------------------- anchors
    def _anchors(self):
        mv = self.map
        inset = mv.inset_rect
        main, side = {}, {}
        for a, iso in enumerate(self.params.actor_ids):
            pos = mv.actor_anchor(iso)
            if pos is None:
                continue
            if inset is not None and inset.collidepoint(pos):
                side[a] = pos
                alt = MAIN_FALLBACK.get(iso)
                if alt:
                    p2 = mv.point_px(alt)
                    if p2 is not None:
                        main[a] = p2
            else:
                main[a] = pos
        return main, side

    def ends(self, i: int, j: int):
        """Screen end points of the link between i and j, and whether it leaves the inset."""
        main, side = self._anchors_cache
        if i in side and j in side:
            return side[i], side[j], False
        a = main.get(i, side.get(i))
        b = main.get(j, side.get(j))
        if a is None or b is None:
            return None
        return a, b, (i not in main) or (j not in main)

    # ---------------------------------------------------------------- building
    def _bend_sign(self, p0, p2) -> float:
        cx, cy = self._centre
        mx, my = (p0[0] + p2[0]) / 2, (p0[1] + p2[1]) / 2
        dx, dy = p2[0] - p0[0], p2[1] - p0[1]
        nx, ny = -dy, dx
        return 1.0 if (mx - cx) * nx + (my - cy) * ny >= 0 else -1.0

    def links_of(self, session) -> list[Link]:
        """The links of the game as it stands (built now if it moved since they were, even
        before the overlay is drawn)."""
        if self._links_of != (session.version, id(session)):
            self.build(session)
        return self.links

    def build(self, session) -> None:
        """Work out the links of the current month."""
        self._links_of = (session.version, id(session))
        p = self.params
        self._anchors_cache = self._anchors()
        pts_all = list(self._anchors_cache[0].values())
        r = self.map.rect
        self._centre = (
            (sum(x for x, _ in pts_all) / len(pts_all), sum(y for _, y in pts_all) / len(pts_all))
            if pts_all
            else r.center
        )
        rung = session.rung
        tension = session.tension
        n = p.n_actors
        links: list[Link] = []
        # Treaty links.
        active = session.active_treaties()
        pairs: dict[tuple[int, int], dict] = {}
        for t in range(len(p.treaty_ids)):
            parties = list(np.nonzero(p.treaty_parties[t])[0])
            upcoming = (
                (not active[t])
                and session.turn < int(p.treaty_start[t])
                and not bool(session.state.revoked[0, t])
            )
            if not active[t] and not upcoming:
                continue
            kinds = {
                int(p.clause_kind[q])
                for q in range(len(p.clause_keys))
                if int(p.clause_treaty[q]) == t
            }
            for x in range(len(parties)):
                for y in range(x + 1, len(parties)):
                    key = (int(parties[x]), int(parties[y]))
                    d = pairs.setdefault(
                        key, {"assist": False, "consult": False, "active": False, "upcoming": False}
                    )
                    if active[t]:
                        d["active"] = True
                        d["assist"] |= KIND["assistance"] in kinds
                        d["consult"] |= KIND["consultation"] in kinds or bool(kinds)
                    else:
                        d["upcoming"] = True
        for (i, j), d in pairs.items():
            ends = self.ends(i, j)
            if ends is None:
                continue
            bi, bj = self.blocs[i], self.blocs[j]
            colour = TREATY_COLOUR.get(bi if bi == bj else "neutral", TREATY_COLOUR["neutral"])
            style = "assist" if d["assist"] else "consult" if d["active"] else "upcoming"
            sign = self._bend_sign(ends[0], ends[1])
            pts = trim(bezier(ends[0], ends[1], -0.2 * sign, cap=22), 10, 10)
            links.append(Link(i, j, "treaty", pts, 2, colour, None, style, ends[2]))
        # Hostile links: every pair off the bottom rung or under real tension.
        friends = {k for k, d in pairs.items() if d["active"]}
        for i in range(n):
            for j in range(i + 1, n):
                rr = int(rung[i, j])
                if rr < 1 and tension[i, j] < 40:
                    continue
                if (i, j) in friends and rr < 2:
                    continue
                ends = self.ends(i, j)
                if ends is None:
                    continue
                sign = self._bend_sign(ends[0], ends[1])
                pts = trim(bezier(ends[0], ends[1], 0.22 * sign, cap=30), 10, 10)
                if rr >= p.thresholds.get("threat", 3):
                    width = 2.0 + 3.5 * (float(tension[i, j]) / 100.0) ** 1.5
                else:
                    width = 1.2 + 1.3 * float(tension[i, j]) / 100.0
                if ends[2]:
                    width = min(width, 3.0)
                links.append(Link(i, j, "hostile", pts, width, self.colours[rr], rr, "", ends[2]))
        links += red_line_links(self, session)
        self.links = links
        # This month's treaty invocations make their links pulse.
        self.pulses = []
        last = session.last_month()
        if last is not None and last.turn == session.turn - 1:
            ids = p.actor_ids
            for ev in last.events:
                if ev.get("kind") in ("consultation", "assistance", "declined", "clause"):
                    try:
                        a, b = ids.index(ev["by"]), ids.index(ev["party"])
                    except (KeyError, ValueError):
                        continue
                    key = (min(a, b), max(a, b))
                    for link in links:
                        if link.kind == "treaty" and (link.i, link.j) == key:
                            self.pulses.append((link, ev["kind"], a))
                            break

    # ----------------------------------------------------------------- drawing
    def cached_overlay(self) -> pygame.Surface | None:
        """The overlay as last drawn (screen-sized), without building anything."""
        return self._surf

    def overlay(
        self, session, screen_size, focus: frozenset, player: int, selected, hover, avoid=()
    ):
        """The cached overlay (screen-sized, transparent) for this state and focus; labels keep
        clear of the ``avoid`` rectangles (cards drawn over the map)."""
        geo_key = (
            session.version,
            id(session),
            screen_size,
            tuple(self.map.rect),
            self.map.view_key,
        )
        key = geo_key + (focus, player, selected, hover, tuple(tuple(r) for r in avoid))
        if key == self._key and self._surf is not None:
            return self._surf
        if geo_key != self._geo_key:
            self.build(session)
            self._geo_key = geo_key
        surf = self._surf
        if surf is None or surf.get_size() != screen_size:
            surf = pygame.Surface(screen_size, pygame.SRCALPHA)
        else:
            surf.fill((0, 0, 0, 0))
        ids = self.params.actor_ids
        if hover is not None and hover != player:
            self.map.draw_highlight(surf, hover, (255, 236, 170), 2, 34)
        if selected is not None and selected != player:
            self.map.draw_highlight(surf, ids[selected], (250, 246, 236), 2, 26)
        self.map.draw_highlight(surf, ids[player], theme.GOLD, 2, 0)
        clip = self.map.rect
        surf.set_clip(clip)
        self._paint(surf, focus, player, session, avoid)
        surf.set_clip(None)
        self._surf, self._key = surf, key
        return surf

    def _paint(self, surf, focus, player, session, avoid=()) -> None:
        dim = bool(focus)
        aggressor = session.state.aggressor[0]
        th = self.params.thresholds
        treaty = [lk for lk in self.links if lk.kind == "treaty"]
        hostile = sorted(
            (lk for lk in self.links if lk.kind == "hostile"), key=lambda lk: (lk.rung, lk.width)
        )
        threat_rung = th.get("threat", 3)
        for lk in hostile:
            on = not dim or lk.i in focus or lk.j in focus
            mine = player in (lk.i, lk.j) or lk.i in focus or lk.j in focus
            if lk.rung < threat_rung and not mine:
                continue  # background rivalries: only around the player or the focus
            a = 150 if lk.rung < threat_rung else 225
            if not dim and player not in (lk.i, lk.j):
                a = 150  # context: the rivalries that do not involve the player
            if lk.cross:
                a = min(a, 160)
            if not on:
                a = 45
            fill_ribbon(surf, lk.ribbon(lk.width + 2.5), (6, 8, 12, min(a, 150)))
            fill_ribbon(surf, lk.ribbon(lk.width), (*lk.colour, a))
            for victim, attacker in ((lk.i, lk.j), (lk.j, lk.i)):
                if aggressor[victim, attacker]:
                    self._arrow(surf, lk, victim, (*lk.colour, a))
        # Treaty links on top: thin, so they stay visible across the rivalries.
        for lk in treaty:
            on = not dim or lk.i in focus or lk.j in focus
            a = 245 if on else 70
            col = (*lk.colour, a)
            shadow = (6, 10, 16, 170 if on else 50)
            if lk.style == "assist":
                for d in (-2.0, 2.0):
                    fill_ribbon(surf, lk.ribbon(3.0, d), shadow)
                for d in (-2.0, 2.0):
                    fill_ribbon(surf, lk.ribbon(1.5, d), col)
            elif lk.style == "consult":
                for geo in lk.dashes(3.2, 8, 5):
                    fill_ribbon(surf, geo, shadow)
                for geo in lk.dashes(1.7, 8, 5):
                    fill_ribbon(surf, geo, col)
            else:
                for geo in lk.dashes(1.6, 2, 5):
                    fill_ribbon(surf, geo, (*lk.colour, 150 if on else 50))
        paint_red_lines(surf, self.links, focus)
        # Names of the rungs on the links that matter: the focus's (or the player's) pairs
        # at the threat threshold or above, placed where they hide nothing else.
        threat = th.get("threat", 3)
        who = focus or frozenset((player,))
        wanted = sorted(
            (
                lk
                for lk in hostile
                if (lk.i in who or lk.j in who) and lk.rung >= threat and not lk.cross
            ),
            key=lambda lk: -lk.rung,
        )
        taken: list[pygame.Rect] = [pygame.Rect(r) for r in avoid]
        main, side = self._anchors_cache
        for pos in list(main.values()) + list(side.values()):
            taken.append(pygame.Rect(pos[0] - 9, pos[1] - 9, 18, 18))
        # And the off-map states' name plates, drawn over the labels.
        for a, iso in enumerate(self.params.actor_ids):
            plate = self._plate(a) if self.map.anchors.get(iso) == "USA" else None
            if plate is not None:
                taken.append(plate[0].inflate(4, 4))
        placed = 0
        self.label_boxes = []
        for lk in wanted:
            if placed >= 4:
                break
            name = self.params.rung_names[lk.rung]
            img = theme.render(name, 11, lk.colour, True)
            for (x, y), anchor in label_spots(lk.pts, img.get_size()):
                rect = img.get_rect(center=(round(x), round(y)))
                box = rect.inflate(10, 4)
                if not self.map.rect.contains(box):
                    continue
                if any(box.colliderect(o) for o in taken):
                    continue
                taken.append(box.inflate(4, 4))
                self.label_boxes.append(box)
                if math.dist((x, y), anchor) > 14:
                    pygame.draw.aaline(surf, (*lk.colour, 200), anchor, nearest_edge(box, anchor))
                theme.fill(surf, box, (8, 12, 18, 225), 4)
                pygame.draw.rect(
                    surf, (*theme.shade(lk.colour, 0.75), 255), box, 1, border_radius=4
                )
                surf.blit(img, rect)
                placed += 1
                break

    def _badges(self, surf, session, player: int) -> None:
        """A round badge with the state's code where its links meet, over the links; the
        ring takes the colour of the state's worst pair. Off-map states get a name plate."""
        p = self.params
        main, side = self._anchors_cache
        font_h = 9
        for a, iso in enumerate(p.actor_ids):
            col = theme.BLOC.get(self.blocs[a], theme.INK_DIM)
            level, _ = session.posture(a)
            ring = theme.GOLD if a == player else self.colours[level]
            if self.map.anchors.get(iso) == "USA":
                plate = self._plate(a)
                if plate is None:
                    continue
                box, name, sub = plate
                pygame.draw.rect(surf, (*theme.shade(col, 0.45), 245), box, border_radius=4)
                pygame.draw.rect(surf, (*ring, 255), box, 1, border_radius=4)
                surf.blit(name, name.get_rect(midtop=(box.centerx, box.y + 3)))
                surf.blit(sub, sub.get_rect(midbottom=(box.centerx, box.bottom - 3)))
                continue
            for pos, point in (
                (main.get(a), self._main_point(iso)),
                (side.get(a), self.map.anchors.get(iso)),
            ):
                if pos is None:
                    continue
                # Sit beside the city's own label rather than on it.
                dx, dy = _BADGE_SHIFT.get(LABEL_OFFSETS.get(point, (0, 0, "c"))[2], (0, 0))
                if point == "Ulaanbaatar":
                    dx, dy = 0, 5
                x, y = round(pos[0]) + dx, round(pos[1]) + dy
                pygame.draw.circle(surf, (6, 8, 12, 170), (x, y + 1), 11)
                pygame.draw.circle(surf, (*theme.shade(col, 0.7), 255), (x, y), 10)
                pygame.draw.circle(surf, (*ring, 255), (x, y), 10, 2)
                code = theme.render(iso, font_h, theme.INK, True)
                surf.blit(code, code.get_rect(center=(x, y)))

    def _plate(self, a: int):
        """(box, name, sub) of the name plate of off-map state ``a`` (the United States), None
        where it has no place on the map."""
        pos = self.map.actor_anchor(self.params.actor_ids[a])
        if pos is None:
            return None
        name = theme.render(self.params.actor_names[a].upper(), 10, theme.INK, True)
        sub = theme.render("off the map", 9, theme.INK_DIM)
        box = pygame.Rect(0, 0, max(name.get_width(), sub.get_width(), 110) + 14, 32)
        box.midright = (pos[0] - 10, pos[1])
        return box, name, sub

    def _main_point(self, iso: str) -> str | None:
        target = self.map.anchors.get(iso)
        if target in INSET_POINTS:
            return MAIN_FALLBACK.get(iso)
        return target

    def _arrow(self, surf, lk: Link, victim: int, colour) -> None:
        frac = 0.9 if victim == lk.j else 0.1
        (x, y), (dx, dy) = point_at(lk.pts, frac)
        if victim == lk.i:
            dx, dy = -dx, -dy
        size = 7 + lk.width
        nx, ny = -dy, dx
        tip = (x + dx * size * 0.5, y + dy * size * 0.5)
        base = (x - dx * size * 0.5, y - dy * size * 0.5)
        pts = [
            tip,
            (base[0] + nx * size * 0.55, base[1] + ny * size * 0.55),
            (base[0] - nx * size * 0.55, base[1] - ny * size * 0.55),
        ]
        pygame.draw.polygon(surf, (6, 8, 12, 200), [(px + 1, py + 1) for px, py in pts])
        pygame.draw.polygon(surf, colour, pts)
        pygame.draw.aalines(surf, colour, True, pts)

    def draw_badges(self, screen, session, player: int) -> None:
        """The states' badges, over the links and their pulses."""
        prev = screen.get_clip()
        screen.set_clip(self.map.rect)
        self._badges(screen, session, player)
        screen.set_clip(prev)

    def draw_pulses(self, screen, t: float) -> None:
        """Links of clauses invoked this month breathe, and a light runs along them."""
        if not self.pulses:
            return
        prev = screen.get_clip()
        screen.set_clip(self.map.rect)
        for n, (lk, kind, sender) in enumerate(self.pulses):
            k = theme.pulse(t + n * 0.21, 0.9)
            hot = (
                (255, 214, 120)
                if kind == "assistance"
                else ((170, 170, 170) if kind == "declined" else (200, 236, 255))
            )
            col = theme.mix(lk.colour, hot, 0.4 + 0.6 * k)
            stroke(screen, lk.pts, 2.0 + 2.5 * k, col)
            frac = (t * 0.55 + n * 0.37) % 1.0
            if sender == lk.j:
                frac = 1.0 - frac
            (x, y), _ = point_at(lk.pts, frac)
            dot = theme.glow_dot(9, hot)
            screen.blit(dot, dot.get_rect(center=(round(x), round(y))))
        screen.set_clip(prev)

    def link_near(self, pos, max_dist: float = 6.0, actor: int | None = None) -> Link | None:
        """The link passing closest to a screen point (only the actor's links if given)."""
        best, best_d = None, max_dist
        x, y = pos
        for lk in self.links:
            if actor is not None and actor not in (lk.i, lk.j):
                continue
            for (x0, y0), (x1, y1) in zip(lk.pts, lk.pts[1:]):
                dx, dy = x1 - x0, y1 - y0
                seg = dx * dx + dy * dy
                t = 0.0 if seg == 0 else max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / seg))
                d = math.hypot(x - (x0 + t * dx), y - (y0 + t * dy))
                if d < best_d + (lk.width / 2 if lk.kind == "hostile" else 0):
                    best, best_d = lk, d
        return best


def bloc_fill(bloc: str, posture: int, thresholds: dict) -> tuple[int, int, int]:
    """A country's fill: its bloc's hue, deeper the closer it stands to war."""
    base = theme.BLOC.get(bloc, theme.BLOC["neutral"])
    threat = thresholds.get("threat", 3)
    clash = thresholds.get("armed_clash", 6)
    war = thresholds.get("war", 8)
    if posture >= war:
        level = 3
    elif posture >= clash:
        level = 2
    elif posture >= threat:
        level = 1
    else:
        level = 0
    muted = theme.mix(base, (128, 126, 116), 0.55)
    deep = theme.shade(base, 0.86)
    return theme.mix(muted, deep, level / 3)


POSTURE_NAMES = ("Calm", "Crisis", "Armed conflict", "At war")


def posture_level(posture: int, thresholds: dict) -> int:
    if posture >= thresholds.get("war", 8):
        return 3
    if posture >= thresholds.get("armed_clash", 6):
        return 2
    if posture >= thresholds.get("threat", 3):
        return 1
    return 0
