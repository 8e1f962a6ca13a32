"""Curves and strokes for the crisis drawn over the map: Bezier links between capitals,
offset and dashed lines, ribbons filled as polygons, and the ``Link`` that keeps its geometry."""

from __future__ import annotations

import math

import pygame


def bezier(p0, p2, bend: float, n: int = 24, cap: float = 34.0) -> list[tuple[float, float]]:
    """Quadratic curve from p0 to p2, its middle pushed sideways by ``bend`` x length (at most
    ``cap`` pixels, so that long links stay nearly straight)."""
    x0, y0 = p0
    x2, y2 = p2
    dx, dy = x2 - x0, y2 - y0
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    if length > 260:
        cap = min(cap, 12.0)
    elif length < 70:
        bend = math.copysign(0.55, bend)  # short links bulge so they can be seen
    push = math.copysign(min(abs(bend) * length, cap), bend)
    cx, cy = (x0 + x2) / 2 + nx * push, (y0 + y2) / 2 + ny * push
    out = []
    for k in range(n + 1):
        t = k / n
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        out.append((a * x0 + b * cx + c * x2, a * y0 + b * cy + c * y2))
    return out


def trim(pts, start: float, end: float):
    """The polyline without its first ``start`` and last ``end`` pixels (less when short)."""
    seg = [math.dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1)]
    total = sum(seg)
    start, end = min(start, total * 0.22), min(end, total * 0.22)
    if total <= start + end + 2:
        return pts
    return sub_path(pts, seg, start, total - end)


def sub_path(pts, seg, a: float, b: float):
    out = []
    acc = 0.0
    for i, s in enumerate(seg):
        lo, hi = acc, acc + s
        if hi >= a and lo <= b and s > 0:
            t0 = max(0.0, (a - lo) / s)
            t1 = min(1.0, (b - lo) / s)
            p, q = pts[i], pts[i + 1]
            p0 = (p[0] + (q[0] - p[0]) * t0, p[1] + (q[1] - p[1]) * t0)
            p1 = (p[0] + (q[0] - p[0]) * t1, p[1] + (q[1] - p[1]) * t1)
            if not out:
                out.append(p0)
            out.append(p1)
        acc = hi
    return out or pts[:1]


def offset(pts, d: float):
    """The polyline shifted sideways by ``d`` pixels."""
    out = []
    n = len(pts)
    for i in range(n):
        a = pts[max(i - 1, 0)]
        b = pts[min(i + 1, n - 1)]
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = math.hypot(dx, dy) or 1.0
        out.append((pts[i][0] - dy / length * d, pts[i][1] + dx / length * d))
    return out


def stroke(surf, pts, width: float, colour) -> None:
    """A smooth polyline of any width: a filled ribbon with anti-aliased edges."""
    if len(pts) < 2:
        return
    if width <= 1.2:
        pygame.draw.aalines(surf, colour, False, pts)
        return
    left = offset(pts, width / 2)
    right = offset(pts, -width / 2)
    poly = left + right[::-1]
    pygame.draw.polygon(surf, colour, poly)
    pygame.draw.aalines(surf, colour, True, poly)


def dashed(surf, pts, width: float, colour, dash: float = 7, gap: float = 5) -> None:
    seg = [math.dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1)]
    total = sum(seg)
    pos = 0.0
    while pos < total:
        part = sub_path(pts, seg, pos, min(pos + dash, total))
        if len(part) >= 2:
            stroke(surf, part, width, colour)
        pos += dash + gap


def point_at(pts, frac: float):
    """Point and unit direction at a fraction of the polyline's length."""
    seg = [math.dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1)]
    total = sum(seg) or 1.0
    goal = frac * total
    acc = 0.0
    for i, s in enumerate(seg):
        if acc + s >= goal and s > 0:
            t = (goal - acc) / s
            p, q = pts[i], pts[i + 1]
            return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t), (
                (q[0] - p[0]) / s,
                (q[1] - p[1]) / s,
            )
        acc += s
    p, q = pts[-2], pts[-1]
    s = math.dist(p, q) or 1.0
    return q, ((q[0] - p[0]) / s, (q[1] - p[1]) / s)


def label_spots(pts, size):
    """Places to try for a link's label: on the curve first, then around its middle."""
    w, h = size
    for frac in (0.5, 0.38, 0.62, 0.28, 0.72):
        p, _ = point_at(pts, frac)
        yield p, p
    mid, _ = point_at(pts, 0.5)
    for dist in (1.0, 1.6, 2.3):
        for ang in (180, 0, 90, 270, 135, 225, 45, 315):
            rad = math.radians(ang)
            dx = math.cos(rad) * (w / 2 + 14) * dist
            dy = math.sin(rad) * (h / 2 + 10) * dist
            yield (mid[0] + dx, mid[1] + dy), mid


def nearest_edge(box: pygame.Rect, p):
    return (min(max(p[0], box.left), box.right - 1), min(max(p[1], box.top), box.bottom - 1))


class Link:
    """A drawn link, with its ribbons and dashes computed once and kept."""

    __slots__ = (
        "i",
        "j",
        "kind",
        "pts",
        "width",
        "colour",
        "rung",
        "style",
        "cross",
        "ref",
        "_geo",
    )

    def __init__(self, i, j, kind, pts, width, colour, rung=None, style="", cross=False):
        self.i, self.j, self.kind, self.pts = i, j, kind, pts
        self.width, self.colour, self.rung, self.style = width, colour, rung, style
        self.cross = cross  # runs between the inset and the main map
        self.ref = -1  # what the link stands for, by kind (a red line: its commitment)
        self._geo: dict = {}

    def ribbon(self, width: float, d: float = 0.0):
        key = ("r", width, d)
        geo = self._geo.get(key)
        if geo is None:
            geo = ribbon(offset(self.pts, d) if d else self.pts, width)
            self._geo[key] = geo
        return geo

    def dashes(self, width: float, dash: float, gap: float):
        key = ("d", width, dash, gap)
        geo = self._geo.get(key)
        if geo is None:
            pts = self.pts
            seg = [math.dist(pts[k], pts[k + 1]) for k in range(len(pts) - 1)]
            total = sum(seg)
            geo = []
            pos = 0.0
            while pos < total:
                part = sub_path(pts, seg, pos, min(pos + dash, total))
                if len(part) >= 2:
                    geo.append(ribbon(part, width))
                pos += dash + gap
            self._geo[key] = geo
        return geo


def ribbon(pts, width: float):
    """The outline of a polyline drawn ``width`` pixels wide (or the line itself if thin)."""
    if len(pts) < 2:
        return ("none", pts)
    if width <= 1.2:
        return ("line", pts)
    left = offset(pts, width / 2)
    right = offset(pts, -width / 2)
    return ("poly", left + right[::-1])


def fill_ribbon(surf, geo, colour) -> None:
    kind, pts = geo
    if kind == "line":
        pygame.draw.aalines(surf, colour, False, pts)
    elif kind == "poly":
        pygame.draw.polygon(surf, colour, pts)
        pygame.draw.aalines(surf, colour, True, pts)
