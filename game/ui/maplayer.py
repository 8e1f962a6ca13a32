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
    outlines: list[list[tuple[float, float]]]  # ring 0 of each polygon
    holes: list[list[tuple[float, float]]]
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1
    ring_boxes: list[tuple[float, float, float, float]]


class _Layer:
    """A map layer (main or inset) laid out in a pixel rectangle that is
    local to the MapView's cached surface."""

    def __init__(self, layer: geo.MapLayer, viewport: geo.Viewport) -> None:
        self.layer = layer
        self.vp = viewport
        self.shapes: list[_Shape] = []
        x0, y0, w, h = viewport.rect
        # Every ring and line of the layer is projected in one numpy call, then split.
        rings_of = [[ring for poly in c.polygons for ring in poly] for c in layer.countries]
        arrays = [r for rs in rings_of for r in rs] + list(layer.borders) + list(layer.coastlines)
        projected = self._project(arrays)
        k = 0
        for c, rs in zip(layer.countries, rings_of):
            mine, k = projected[k : k + len(rs)], k + len(rs)
            rings, outlines, holes, boxes = [], [], [], []
            first = [j == 0 for poly in c.polygons for j in range(len(poly))]
            for pts, is_outline in zip(mine, first):
                rings.append(pts)
                boxes.append((pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()))
                (outlines if is_outline else holes).append([tuple(p) for p in pts.tolist()])
            allb = np.array(boxes)
            bbox = (allb[:, 0].min(), allb[:, 1].min(), allb[:, 2].max(), allb[:, 3].max())
            if bbox[2] < x0 or bbox[0] > x0 + w or bbox[3] < y0 or bbox[1] > y0 + h:
                continue  # entirely outside this layer's rectangle
            self.shapes.append(_Shape(c.iso3, c.name, rings, outlines, holes, bbox, boxes))
        # Big countries first so that enclaves are painted over their hosts.
        self.shapes.sort(key=lambda s: -(s.bbox[2] - s.bbox[0]) * (s.bbox[3] - s.bbox[1]))
        nb = len(layer.borders)
        lines = [[tuple(p) for p in pts.tolist()] for pts in projected[k:]]
        self.borders, self.coastlines = lines[:nb], lines[nb:]

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
