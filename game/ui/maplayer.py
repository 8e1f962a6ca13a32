"""A map layer (the main map or the Ukraine inset) projected into its pixel rectangle: the
shapes the painter fills and the map view hit-tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.ui import geo


@dataclass
class _Shape:
    """One country projected into a layer's local pixel space."""

    iso3: str | None
    name: str
    rings: list[np.ndarray]  # float (N, 2) pixel rings, outlines and holes
    outlines: list[np.ndarray]  # ring 0 of each polygon
    holes: list[np.ndarray]
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1
    ring_boxes: list[tuple[float, float, float, float]]


class _Layer:
    """A map layer (main or inset) laid out in a pixel rectangle that is
    local to the MapView's cached surface."""

    def __init__(self, layer: geo.MapLayer, viewport: geo.Viewport, *, later: bool = False) -> None:
        self.layer = layer
        self.vp = viewport
        self.shapes: list[_Shape] = []
        self.borders: list[np.ndarray] = []
        self.coastlines: list[np.ndarray] = []
        self.ready = False
        self._steps = self._build()
        if not later:
            self.finish()

    def finish(self) -> _Layer:
        """Build what is left now."""
        for _ in self._steps:
            pass
        return self

    def steps(self):
        """The build in steps of a few countries each (a generator), for a build spread over
        several frames; the layer is ``ready`` after the last."""
        return self._steps

    def _build(self):
        x0, y0, w, h = self.vp.rect
        layer = self.layer
        # Every ring and line of the layer is projected in one numpy call, then split. The
        # rings stay (N, 2) float arrays: pygame draws them as they are, hit tests read them.
        rings_of = [[ring for poly in c.polygons for ring in poly] for c in layer.countries]
        arrays = [r for rs in rings_of for r in rs] + list(layer.borders) + list(layer.coastlines)
        projected = self._project(arrays)
        yield
        k = 0
        for n, (c, rs) in enumerate(zip(layer.countries, rings_of)):
            if n % 16 == 15:
                yield
            mine, k = projected[k : k + len(rs)], k + len(rs)
            first = [j == 0 for poly in c.polygons for j in range(len(poly))]
            lo = np.array([pts.min(axis=0) for pts in mine])
            hi = np.array([pts.max(axis=0) for pts in mine])
            boxes = [tuple(b) for b in np.column_stack((lo, hi)).tolist()]
            bbox = (*lo.min(axis=0).tolist(), *hi.max(axis=0).tolist())
            if bbox[2] < x0 or bbox[0] > x0 + w or bbox[3] < y0 or bbox[1] > y0 + h:
                continue  # entirely outside this layer's rectangle
            outlines = [pts for pts, is_outline in zip(mine, first) if is_outline]
            holes = [pts for pts, is_outline in zip(mine, first) if not is_outline]
            self.shapes.append(_Shape(c.iso3, c.name, list(mine), outlines, holes, bbox, boxes))
        # Big countries first so that enclaves are painted over their hosts.
        self.shapes.sort(key=lambda s: -(s.bbox[2] - s.bbox[0]) * (s.bbox[3] - s.bbox[1]))
        nb = len(layer.borders)
        self.borders, self.coastlines = projected[k : k + nb], projected[k + nb :]
        self.ready = True

    def _project(self, arrays: list[np.ndarray]) -> list[np.ndarray]:
        """(N, 2) lon/lat arrays -> (N, 2) pixel arrays, clipped to keep pygame's int maths
        sane."""
        if not arrays:
            return []
        allpts = np.concatenate(arrays)
        px, py = self.vp.lonlat_to_px(allpts[:, 0], allpts[:, 1])
        big = 4 * max(self.vp.rect[2], self.vp.rect[3])
        pts = np.column_stack((np.clip(px, -big, big), np.clip(py, -big, big)))
        return np.split(pts, np.cumsum([len(a) for a in arrays])[:-1])

    def hit(self, x: float, y: float) -> _Shape | None:
        # Smallest candidates first, so an enclave wins over its host.
        for shape in reversed(self.shapes):
            bx0, by0, bx1, by1 = shape.bbox
            if not (bx0 <= x <= bx1 and by0 <= y <= by1):
                continue
            rings = [
                r
                for r, (rx0, ry0, rx1, ry1) in zip(shape.rings, shape.ring_boxes)
                if rx0 <= x <= rx1 and ry0 <= y <= ry1
            ]
            if rings and geo.point_in_rings(x, y, rings):
                return shape
        return None

    def shape(self, iso3: str) -> _Shape | None:
        for s in self.shapes:
            if s.iso3 == iso3:
                return s
        return None


def run_steps(steps):
    """Run a generator of steps to its end; what it returns."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
