"""The strategic map of Northeast Asia, drawn with pygame.

``MapView`` renders the static parts of the map (sea, land, country fills,
borders, graticule, labels, markers and the Ukraine inset) once into a cached
surface and only rebuilds it when its size or the country fills change, so a
frame costs one blit. It also answers "which country is under the mouse"
and "where do I draw this actor" for the rest of the UI.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pygame

from game.ui import geo

Colour = tuple[int, int, int]

# --- palette ---------------------------------------------------------------
SEA_TOP: Colour = (21, 36, 54)
SEA_BOTTOM: Colour = (30, 52, 74)
SEA_SHALLOW: Colour = (20, 30, 34)  # added to the sea near coasts
LAND_DEFAULT: Colour = (148, 139, 116)
LAND_FAR: Colour = (122, 117, 104)  # countries far from the theatre
COAST: Colour = (14, 24, 36)
BORDER: Colour = (34, 30, 28)
GRATICULE = (150, 180, 210, 34)
LABEL: Colour = (238, 232, 214)
LABEL_SHADOW: Colour = (10, 14, 20)
COUNTRY_LABEL = (240, 234, 220, 150)
SEA_LABEL: Colour = (112, 146, 178)
CAPITAL_FILL: Colour = (246, 240, 222)
BASE_FILL: Colour = (236, 188, 80)
BORDER_POINT_FILL: Colour = (226, 120, 96)
CITY_FILL: Colour = (226, 96, 80)
FRAME: Colour = (196, 186, 160)
TITLE_BAR = (12, 18, 28, 225)

# Country names drawn across the land: ISO3 -> (text, lon, lat, size factor).
COUNTRY_LABELS: dict[str, tuple[str, float, float, float]] = {
    "RUS": ("RUSSIA", 118.0, 58.2, 1.6),
    "CHN": ("CHINA", 110.0, 34.0, 1.6),
    "MNG": ("MONGOLIA", 103.5, 46.3, 1.15),
    "KAZ": ("KAZAKHSTAN", 78.0, 48.5, 0.95),
    "PRK": ("N. KOREA", 126.9, 40.35, 0.62),
    "KOR": ("S. KOREA", 128.15, 36.25, 0.62),
    "JPN": ("JAPAN", 145.2, 38.6, 1.05),
    "TWN": ("TAIWAN", 124.0, 23.0, 0.62),
    "PHL": ("PHILIPPINES", 126.0, 16.5, 0.75),
    "VNM": ("VIETNAM", 108.6, 15.2, 0.62),
    "LAO": ("LAOS", 102.8, 19.7, 0.62),
    "THA": ("THAILAND", 100.7, 16.0, 0.62),
    "MMR": ("MYANMAR", 96.0, 22.0, 0.62),
    "IND": ("INDIA", 84.0, 24.0, 0.95),
}

SEA_LABELS: tuple[tuple[str, float, float], ...] = (
    ("Sea of Japan", 134.8, 40.4),
    ("(East Sea)", 134.8, 39.6),
    ("Yellow Sea", 123.4, 35.2),
    ("East China Sea", 125.8, 29.0),
    ("Sea of Okhotsk", 149.0, 53.0),
    ("Pacific Ocean", 150.0, 33.0),
    ("South China Sea", 115.0, 16.5),
)

INSET_LABELS: dict[str, tuple[str, float, float, float]] = {
    "UKR": ("UKRAINE", 31.0, 48.6, 0.9),
    "RUS": ("RUSSIA", 41.5, 53.6, 0.9),
    "BLR": ("BELARUS", 27.9, 53.5, 0.65),
}

# Label placement around a marker: (dx, dy, anchor) with anchor one of
# "l" (text starts at the offset), "r" (text ends there) or "c" (centred).
LABEL_OFFSETS: dict[str, tuple[int, int, str]] = {
    "Beijing": (-8, 0, "r"),
    "Pyongyang": (-8, -2, "r"),
    "Seoul": (8, 3, "l"),
    "Panmunjom (JSA)": (-8, 6, "r"),
    "Tokyo": (8, 3, "l"),
    "Ulaanbaatar": (0, -12, "c"),
    "Vladivostok": (8, -3, "l"),
    "Tumangang": (8, 7, "l"),
    "Kadena AB": (8, 0, "l"),
    "Kyiv": (-8, 0, "r"),
    "Kursk": (8, 0, "l"),
    "Moscow": (8, 0, "l"),
}

# Points drawn on each map. Washington and Guam are drawn as off-map markers.
MAIN_POINTS = (
    "Beijing",
    "Pyongyang",
    "Seoul",
    "Tokyo",
    "Ulaanbaatar",
    "Panmunjom (JSA)",
    "Vladivostok",
    "Tumangang",
    "Kadena AB",
)
INSET_POINTS = ("Kyiv", "Kursk", "Moscow")
GUAM = "Andersen AFB, Guam"
INSET_TITLE = "Ukraine theatre \u2014 Kursk"
MAX_ZOOM = 6.0  # the main map magnifies up to this factor of the whole-theatre fit

# Where an actor is anchored: a strategic point name, or "USA" for the
# off-map United States marker at the east edge.
DEFAULT_ANCHORS: dict[str, str] = {
    "CHN": "Beijing",
    "PRK": "Pyongyang",
    "KOR": "Seoul",
    "JPN": "Tokyo",
    "MNG": "Ulaanbaatar",
    "RUS": "Moscow",  # shown in the inset; Vladivostok is the Pacific stand-in
    "UKR": "Kyiv",
    "USA": "USA",
}


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


class MapView:
    """Cached, interactive map of the Northeast Asia theatre.

    ``rect`` is the area of the target surface the map occupies, as a
    ``pygame.Rect`` or ``(x, y, w, h)``. ``fills`` maps ISO-3 codes to RGB
    colours; countries without an entry get ``default_fill``. All pixel
    positions taken and returned are in the target surface's coordinates.
    """

    def __init__(
        self,
        rect: pygame.Rect | Sequence[int],
        fills: Mapping[str, Colour] | None = None,
        *,
        default_fill: Colour = LAND_DEFAULT,
        show_inset: bool = True,
        inset_corner: str = "bottomleft",
        anchors: Mapping[str, str] | None = None,
        font_path: str | None = None,
        map_data: geo.MapData | None = None,
    ) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        if inset_corner not in ("topleft", "topright", "bottomleft", "bottomright"):
            raise ValueError(f"unknown inset corner {inset_corner!r}")
        self._data = map_data or geo.load_map()
        self._rect = pygame.Rect(rect)
        self._fills: dict[str, Colour] = dict(fills or {})
        self.default_fill = default_fill
        self.show_inset = show_inset
        self.inset_corner = inset_corner
        self.anchors = dict(DEFAULT_ANCHORS if anchors is None else anchors)
        self._font_path = font_path
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._base: pygame.Surface | None = None
        self._base_key: tuple | None = None
        self._layout_size: tuple[int, int] | None = None
        self._highlights: dict[tuple, pygame.Surface] = {}
        # Per-layer sea/graticule/shallows and texture: they depend on the
        # size only, so a change of fills does not redo them.
        self._static: dict[int, tuple[pygame.Surface, pygame.Surface]] = {}
        self._by_size: dict[tuple[int, int], tuple[pygame.Surface, pygame.Surface]] = {}
        self.rebuild_count = 0
        # The main map's view: magnification and the projected point in the middle (None:
        # the middle of the theatre). The inset never zooms.
        self._zoom = 1.0
        self._center: tuple[float, float] | None = None
        # While the player drags the map, the cached image is drawn shifted by this many
        # pixels; the view itself moves once, when the drag ends (``pan_by``).
        self.drag_offset: tuple[int, int] = (0, 0)
        self._layout()

    # ------------------------------------------------------------------ state
    @property
    def rect(self) -> pygame.Rect:
        return self._rect.copy()

    def set_rect(self, rect: pygame.Rect | Sequence[int]) -> None:
        """Move or resize the map. Only a new size triggers a rebuild."""
        self._rect = pygame.Rect(rect)
        if self._rect.size != self._layout_size:
            self._layout()

    @property
    def fills(self) -> dict[str, Colour]:
        return dict(self._fills)

    def set_fills(self, fills: Mapping[str, Colour]) -> None:
        """Replace the country colours; the base is rebuilt on the next draw
        only if they actually changed."""
        new = {k: tuple(v) for k, v in fills.items()}
        if new != self._fills:
            self._fills = new
            self._base_key = None

    def set_fill(self, iso3: str, colour: Colour | None) -> None:
        new = dict(self._fills)
        if colour is None:
            new.pop(iso3, None)
        else:
            new[iso3] = tuple(colour)
        self.set_fills(new)

    @property
    def main_viewport(self) -> geo.Viewport:
        """Projection of the main map in target-surface pixels (zoom and pan included)."""
        return geo.Viewport(
            tuple(self._rect),
            geo.MAIN_PROJECTION,
            geo.MAIN_EXTENT,
            zoom=self._zoom,
            center=self._main.vp.center,
        )

    # ------------------------------------------------------------------- view
    @property
    def zoom(self) -> float:
        """Magnification of the main map: 1 shows the whole theatre."""
        return self._zoom

    @property
    def view_key(self) -> tuple:
        """Changes whenever the main map's view does (for caches of things drawn on it)."""
        return (self._zoom, self._main.vp.center)

    def zoom_at(self, px: float, py: float, factor: float) -> bool:
        """Magnify the main map by ``factor`` about the target-surface pixel (px, py), which
        keeps showing the same place; the zoom stays between 1 and MAX_ZOOM. Returns whether
        the view changed."""
        new = min(max(self._zoom * factor, 1.0), MAX_ZOOM)
        if math.isclose(new, self._zoom):
            return False
        vp = self._main.vp
        x, y = vp.unproject(px - self._rect.x, py - self._rect.y)
        cx, cy = vp.center
        k = self._zoom / new
        self._zoom = new
        self._center = (float(x + (cx - x) * k), float(y + (cy - y) * k))
        self._relayout_main()
        return True

    def pan_by(self, dx: float, dy: float) -> bool:
        """Move the main map's content by (dx, dy) pixels, as far as the theatre's edges
        allow. Returns whether the view changed."""
        vp = self._main.vp
        cx, cy = vp.center
        self._center = (cx - dx / vp.scale, cy + dy / vp.scale)
        self._relayout_main()
        return self._main.vp.center != vp.center

    def reset_view(self) -> bool:
        """Back to the whole theatre. Returns whether the view changed."""
        if self._zoom == 1.0 and self._center is None:
            return False
        self._zoom, self._center = 1.0, None
        self._relayout_main()
        return True

    def _main_vp(self, w: int, h: int) -> geo.Viewport:
        """The main layer's viewport (local pixels), its centre kept inside the theatre."""
        fit = geo.Viewport((0, 0, w, h))
        if self._center is None:
            return fit
        hx, hy = fit.home
        # At zoom z the view may move by the part of the whole-theatre view it no longer shows.
        room = 1.0 - 1.0 / self._zoom
        rx, ry = w / 2 / fit.fit_scale * room, h / 2 / fit.fit_scale * room
        cx = min(max(self._center[0], hx - rx), hx + rx)
        cy = min(max(self._center[1], hy - ry), hy + ry)
        self._center = (cx, cy)
        return geo.Viewport((0, 0, w, h), zoom=self._zoom, center=self._center)

    def _relayout_main(self) -> None:
        w, h = self._layout_size
        self._static.pop(id(self._main), None)
        self._main = _Layer(self._data.main, self._main_vp(max(w, 1), max(h, 1)))
        self._offmap = self._place_offmap(max(w, 1), max(h, 1))
        self._highlights.clear()

    @property
    def inset_rect(self) -> pygame.Rect | None:
        """The inset frame (title bar included) in target-surface pixels."""
        if not self.show_inset:
            return None
        return self._inset_frame.move(self._rect.topleft)

    # ----------------------------------------------------------------- layout
    def _layout(self) -> None:
        w, h = self._rect.size
        self._layout_size = (w, h)
        self._base_key = None
        self._highlights.clear()
        self._static.clear()
        self._by_size.clear()
        w, h = max(w, 1), max(h, 1)
        self._unit = max(0.75, min(w / 1280, h / 800)) ** 0.5  # text/marker scale
        self._main = _Layer(self._data.main, self._main_vp(w, h))

        margin = round(12 * self._unit)
        title_h = round(22 * self._unit)
        iw = round(min(max(w * 0.27, 200), 420))
        ih = round(iw / 1.3)
        fx = margin if "left" in self.inset_corner else w - margin - iw
        fy = margin if "top" in self.inset_corner else h - margin - ih - title_h
        self._inset_frame = pygame.Rect(fx, fy, iw, ih + title_h)
        self._inset_map = pygame.Rect(fx, fy + title_h, iw, ih)
        self._inset = _Layer(
            self._data.inset,
            geo.Viewport(tuple(self._inset_map), geo.INSET_PROJECTION, geo.INSET_EXTENT, margin=4),
        )
        self._offmap = self._place_offmap(w, h)

    def _place_offmap(self, w: int, h: int) -> dict[str, tuple[float, float, float, float]]:
        """Positions of the off-map markers: name -> (x, y, arrow dx, dy)."""
        out: dict[str, tuple[float, float, float, float]] = {}
        edge = 26 * self._unit
        g = geo.strategic_point(GUAM)
        gx, gy = self._main.vp.lonlat_to_px(g.lon, g.lat)
        cx = min(max(gx, edge), w - edge)
        cy = min(max(gy, edge), h - edge)
        dx, dy = gx - cx, gy - cy
        norm = math.hypot(dx, dy)
        out[GUAM] = (cx, cy, dx / norm, dy / norm) if norm > 1 else (cx, cy, 0.0, 0.0)
        # The United States: east edge, at the latitude band of Japan.
        _, uy = self._main.vp.lonlat_to_px(geo.MAIN_EXTENT.lon_max, 37.0)
        out["USA"] = (w - edge * 1.2, min(max(uy, edge * 2), h - edge * 3), 1.0, 0.0)
        return out

    # ------------------------------------------------------------------ fonts
    def _font(self, size: int, bold: bool = False) -> pygame.font.Font:
        size = max(12, round(size * self._unit))
        key = (size, bold)
        if key not in self._fonts:
            font = pygame.font.Font(self._font_path, size)
            font.set_bold(bold and self._font_path is not None)
            self._fonts[key] = font
        return self._fonts[key]

    # ---------------------------------------------------------------- drawing
    def draw(self, surface: pygame.Surface) -> None:
        """Blit the (cached) map onto ``surface`` at ``rect``, shifted by ``drag_offset``
        (the inset stays in its corner)."""
        base = self.base_surface()
        dx, dy = self.drag_offset
        if dx == 0 and dy == 0:
            surface.blit(base, self._rect.topleft)
            return
        prev = surface.get_clip()
        surface.set_clip(self._rect.clip(prev))
        surface.fill(SEA_TOP, self._rect)
        surface.blit(base, (self._rect.x + dx, self._rect.y + dy))
        if self.show_inset:
            frame = self._inset_frame.inflate(8, 8).move(3, 4).union(self._inset_frame)
            surface.blit(base, frame.move(self._rect.topleft), area=frame)
        surface.set_clip(prev)

    def base_surface(self) -> pygame.Surface:
        """The cached map image, rebuilt only when size, view or fills changed."""
        key = (
            self._layout_size,
            self.view_key,
            tuple(sorted(self._fills.items())),
            self.default_fill,
        )
        if self._base is None or self._base_key != key:
            self._base = self._render()
            self._base_key = key
            self._highlights.clear()
            self.rebuild_count += 1
        return self._base

    def _render(self) -> pygame.Surface:
        w, h = self._layout_size
        surf = pygame.Surface((max(w, 1), max(h, 1)))
        step = 10.0 if self._zoom < 2.0 else 5.0
        self._paint_layer(surf, self._main, pygame.Rect(0, 0, w, h), graticule_step=step)
        self._paint_labels(surf, self._main, COUNTRY_LABELS, sea=True)
        for name in MAIN_POINTS:
            self._paint_point(surf, self._main, name)
        self._paint_offmap(surf)
        self._paint_scale_bar(surf, self._main.vp, (w - 16, round(30 * self._unit)))
        if self.show_inset:
            self._paint_inset(surf)
        return surf

    def _paint_layer(
        self, surf: pygame.Surface, layer: _Layer, area: pygame.Rect, graticule_step: float
    ) -> None:
        static = self._static.get(id(layer))
        if static is None:
            static = (self._backdrop(layer, area, graticule_step), self._sized(area.size)[1])
            self._static[id(layer)] = static
        backdrop, texture = static
        prev_clip = surf.get_clip()
        surf.set_clip(area)
        surf.blit(backdrop, area.topleft)

        # Land.
        for shape in layer.shapes:
            colour = self._fill_for(shape.iso3)
            for ring in shape.outlines:
                if len(ring) >= 3:
                    pygame.draw.polygon(surf, colour, ring)
                    pygame.draw.aalines(surf, colour, True, ring)
        # A faint darker rim inside every border gives the fills some depth.
        for shape in layer.shapes:
            rim = _shade(self._fill_for(shape.iso3), 0.82)
            for ring in shape.outlines:
                if len(ring) >= 3:
                    pygame.draw.lines(surf, rim, True, ring, 3)
        surf.blit(texture, area.topleft, special_flags=pygame.BLEND_RGB_MULT)
        for line in layer.borders:
            pygame.draw.lines(surf, _shade(BORDER, 1.6), False, line, 2)
            pygame.draw.aalines(surf, BORDER, False, line)
        for line in layer.coastlines:
            pygame.draw.aalines(surf, COAST, False, line)
        surf.set_clip(prev_clip)

    def _sized(self, size: tuple[int, int]) -> tuple[pygame.Surface, pygame.Surface]:
        """Sea gradient and land texture of a size: kept while the view zooms and pans."""
        out = self._by_size.get(size)
        if out is None:
            sea = pygame.Surface(size)
            _paint_sea(sea, pygame.Rect((0, 0), size))
            out = (sea, _texture(size))
            self._by_size[size] = out
        return out

    def _backdrop(self, layer: _Layer, area: pygame.Rect, graticule_step: float) -> pygame.Surface:
        """Sea, graticule and coastal shallows of a layer (no land)."""
        surf = self._sized(area.size)[0].copy()
        # Graticule on the sea only: land is painted over it.
        grid = pygame.Surface(area.size, pygame.SRCALPHA)
        for lons, lats in geo.graticule(layer.vp.extent, graticule_step):
            px, py = layer.vp.lonlat_to_px(lons, lats)
            pts = list(zip((px - area.x).tolist(), (py - area.y).tolist()))
            pygame.draw.aalines(grid, GRATICULE, False, pts)
        surf.blit(grid, (0, 0))
        self._paint_shallows(surf, layer, area)
        return surf

    def _paint_shallows(self, surf: pygame.Surface, layer: _Layer, area: pygame.Rect) -> None:
        """Lighten the sea near coasts by blurring a land mask. ``surf`` is
        the layer's own surface; ``area`` gives the layer's pixel origin."""
        k = 4
        small = pygame.Surface((max(area.w // k, 1), max(area.h // k, 1)))
        small.fill((0, 0, 0))
        for shape in layer.shapes:
            for ring in shape.rings[:]:
                pts = [((x - area.x) / k, (y - area.y) / k) for x, y in ring.tolist()]
                if len(pts) >= 3:
                    pygame.draw.polygon(small, SEA_SHALLOW, pts)
                    pygame.draw.lines(small, SEA_SHALLOW, True, pts, 3)
        blur = pygame.transform.smoothscale(
            small, (max(small.get_width() // 3, 1), max(small.get_height() // 3, 1))
        )
        blur = pygame.transform.smoothscale(blur, small.get_size())
        halo = pygame.transform.smoothscale(blur, area.size)
        surf.blit(halo, (0, 0), special_flags=pygame.BLEND_RGB_ADD)

    def _fill_for(self, iso3: str | None) -> Colour:
        if iso3 is not None and iso3 in self._fills:
            return self._fills[iso3]
        return self.default_fill

    def _paint_labels(
        self,
        surf: pygame.Surface,
        layer: _Layer,
        labels: Mapping[str, tuple[str, float, float, float]],
        sea: bool,
    ) -> None:
        for _iso3, (text, lon, lat, factor) in labels.items():
            font = self._font(round(19 * factor))
            img = _spaced_text(font, text, COUNTRY_LABEL, spacing=max(1, round(2 * factor)))
            # If the inset hides the label, slide it east a little at a time.
            for shift in (0.0, 3.0, 6.0, 9.0):
                x, y = layer.vp.lonlat_to_px(lon + shift, lat)
                rect = img.get_rect(center=(round(x), round(y)))
                if not self._covered_by_inset(layer, rect):
                    surf.blit(img, rect)
                    break
        if sea:
            font = self._font(15)
            font.set_italic(True)
            for text, lon, lat in SEA_LABELS:
                x, y = layer.vp.lonlat_to_px(lon, lat)
                img = font.render(text, True, SEA_LABEL)
                rect = img.get_rect(center=(round(x), round(y)))
                if not self._covered_by_inset(layer, rect):
                    surf.blit(img, rect)
            font.set_italic(False)

    def _covered_by_inset(self, layer: _Layer, rect: pygame.Rect) -> bool:
        if layer is not self._main:
            return False
        w, h = self._layout_size
        if not pygame.Rect(0, 0, w, h).contains(rect):
            return True
        return self.show_inset and self._inset_frame.inflate(6, 6).colliderect(rect)

    def _paint_point(self, surf: pygame.Surface, layer: _Layer, name: str) -> None:
        p = geo.strategic_point(name)
        x, y = layer.vp.lonlat_to_px(p.lon, p.lat)
        if self._covered_by_inset(layer, pygame.Rect(round(x) - 3, round(y) - 3, 6, 6)):
            return
        s = self._unit
        _marker(surf, p.kind, (x, y), s)
        dx, dy, anchor = LABEL_OFFSETS.get(name, (8, 0, "l"))
        size = 16 if p.kind == "capital" else 14
        img = self._label_image(name, size)
        pos = (round(x + dx * s), round(y + dy * s))
        rect = img.get_rect()
        if anchor == "l":
            rect.midleft = pos
        elif anchor == "r":
            rect.midright = pos
        else:
            rect.center = pos
        surf.blit(img, rect)

    def _label_image(self, text: str, size: int, colour: Colour = LABEL) -> pygame.Surface:
        """Text with a soft dark halo so it reads on any fill."""
        font = self._font(size)
        fg = font.render(text, True, colour)
        shadow = font.render(text, True, LABEL_SHADOW)
        out = pygame.Surface((fg.get_width() + 4, fg.get_height() + 4), pygame.SRCALPHA)
        shadow.set_alpha(90)
        for ox, oy in ((0, 1), (2, 1), (1, 0), (1, 2), (0, 0), (2, 2), (2, 0), (0, 2)):
            out.blit(shadow, (ox, oy))
        shadow.set_alpha(170)
        out.blit(shadow, (2, 3))
        out.blit(fg, (1, 1))
        return out

    def _paint_offmap(self, surf: pygame.Surface) -> None:
        s = self._unit
        # Guam: an arrow at the edge pointing towards the island.
        gx, gy, dx, dy = self._offmap[GUAM]
        if dx == 0.0 and dy == 0.0:
            self._paint_point(surf, self._main, GUAM)
        else:
            _arrow(surf, (gx, gy), (dx, dy), BASE_FILL, 11 * s)
            _marker(surf, "base", (gx - dx * 16 * s, gy - dy * 16 * s), s)
            img = self._label_image("Guam (Andersen AFB)", 14)
            rect = img.get_rect(midright=(round(gx - dx * 16 * s - 9 * s), round(gy - dy * 16 * s)))
            surf.blit(img, rect)
        # The United States: a tab at the east edge, pointing east.
        ux, uy, _, _ = self._offmap["USA"]
        _arrow(surf, (ux + 10 * s, uy), (1.0, 0.0), CAPITAL_FILL, 11 * s)
        _marker(surf, "capital", (ux - 6 * s, uy), s)
        title = self._label_image("United States", 16)
        sub = self._label_image("Washington, off map", 12, (200, 196, 184))
        surf.blit(title, title.get_rect(bottomright=(round(ux - 14 * s), round(uy + 2 * s))))
        surf.blit(sub, sub.get_rect(topright=(round(ux - 14 * s), round(uy + 1 * s))))

    def _paint_scale_bar(
        self, surf: pygame.Surface, vp: geo.Viewport, bottom_right: tuple[int, int]
    ) -> None:
        # The conic's scale is true on the standard parallels; use 40N.
        km_per_px = vp.km_per_px / _lcc_k(vp.projection, 40.0)
        for km in (2000, 1000, 500, 250, 100):
            length = km / km_per_px
            if length <= 160 * self._unit:
                break
        x1, y = bottom_right
        x0 = round(x1 - length)
        col = (206, 204, 194)
        pygame.draw.line(surf, LABEL_SHADOW, (x0, y + 1), (x1, y + 1), 3)
        pygame.draw.line(surf, col, (x0, y), (x1, y), 2)
        for xx in (x0, (x0 + x1) // 2, x1):
            pygame.draw.line(surf, col, (xx, y - 4), (xx, y), 1)
        img = self._label_image(f"{km:,} km", 13)
        surf.blit(img, img.get_rect(bottomright=(x1 + 2, y - 4)))

    def _paint_inset(self, surf: pygame.Surface) -> None:
        frame = self._inset_frame
        # Drop shadow, then the map, then the title bar and the frame.
        shadow = pygame.Surface(frame.inflate(8, 8).size, pygame.SRCALPHA)
        shadow.fill((0, 0, 0, 90))
        surf.blit(shadow, frame.inflate(8, 8).move(3, 4))
        self._paint_layer(surf, self._inset, self._inset_map, graticule_step=5.0)
        prev = surf.get_clip()
        surf.set_clip(self._inset_map)
        self._paint_labels(surf, self._inset, INSET_LABELS, sea=False)
        self._paint_kursk_front(surf)
        for name in INSET_POINTS:
            self._paint_point(surf, self._inset, name)
        surf.set_clip(prev)
        bar = pygame.Surface((frame.w, self._inset_map.y - frame.y), pygame.SRCALPHA)
        bar.fill(TITLE_BAR)
        surf.blit(bar, frame.topleft)
        img = self._label_image(INSET_TITLE, 17)
        surf.blit(img, img.get_rect(midleft=(frame.x + 7, frame.y + bar.get_height() // 2 + 1)))
        pygame.draw.rect(surf, (8, 12, 18), frame.inflate(2, 2), 1)
        pygame.draw.rect(surf, FRAME, frame, 1)
        pygame.draw.line(
            surf, FRAME, (frame.x, self._inset_map.y), (frame.right - 1, self._inset_map.y)
        )

    def _paint_kursk_front(self, surf: pygame.Surface) -> None:
        """Rings around Kursk mark the area of the DPRK deployment."""
        p = geo.strategic_point("Kursk")
        x, y = self._inset.vp.lonlat_to_px(p.lon, p.lat)
        r = round(20 * self._unit)
        glow = pygame.Surface((2 * r + 2, 2 * r + 2), pygame.SRCALPHA)
        for i in range(r, 3, -1):
            alpha = round(90 * (1 - i / r) ** 1.5)
            pygame.draw.circle(glow, (255, 196, 96, alpha), (r + 1, r + 1), i)
        pygame.draw.circle(glow, (255, 210, 120, 200), (r + 1, r + 1), r - 2, 1)
        pygame.draw.circle(glow, (255, 210, 120, 120), (r + 1, r + 1), round(r * 0.62), 1)
        surf.blit(glow, (round(x) - r - 1, round(y) - r - 1))

    # ------------------------------------------------------------ interaction
    def country_at(self, px: float, py: float) -> str | None:
        """ISO-3 code of the country under a target-surface pixel, or None
        for sea, for countries without a code and outside the map."""
        x = px - self._rect.x
        y = py - self._rect.y
        w, h = self._layout_size
        if not (0 <= x < w and 0 <= y < h):
            return None
        if self.show_inset and self._inset_frame.collidepoint(x, y):
            if not self._inset_map.collidepoint(x, y):
                return None  # title bar
            shape = self._inset.hit(x, y)
        else:
            shape = self._main.hit(x, y)
        return shape.iso3 if shape else None

    def point_px(self, name: str) -> tuple[int, int] | None:
        """Target-surface pixel of a strategic point drawn on the map (main
        map or inset), or None if it is not drawn."""
        if name == GUAM:
            gx, gy, _, _ = self._offmap[GUAM]
            return (round(gx + self._rect.x), round(gy + self._rect.y))
        p = geo.strategic_point(name)
        if name in INSET_POINTS:
            if not self.show_inset:
                return None
            x, y = self._inset.vp.lonlat_to_px(p.lon, p.lat)
        elif name in MAIN_POINTS:
            x, y = self._main.vp.lonlat_to_px(p.lon, p.lat)
        else:
            return None
        return (round(x + self._rect.x), round(y + self._rect.y))

    def actor_anchor(self, iso3: str) -> tuple[int, int] | None:
        """Target-surface pixel where an actor is represented: its capital
        (Moscow and Kyiv in the inset), or the off-map tab for the USA.
        Without the inset RUS falls back to Vladivostok and UKR to None."""
        target = self.anchors.get(iso3)
        if target is None:
            return None
        if target == "USA":
            ux, uy, _, _ = self._offmap["USA"]
            return (round(ux - 6 * self._unit + self._rect.x), round(uy + self._rect.y))
        pos = self.point_px(target)
        if pos is None and iso3 == "RUS":
            pos = self.point_px("Vladivostok")
        return pos

    def draw_highlight(
        self,
        surface: pygame.Surface,
        iso3: str,
        colour: Colour = (255, 236, 150),
        width: int = 2,
        fill_alpha: int = 36,
    ) -> None:
        """Outline (and faintly tint) a country on ``surface``, in the main
        map and in the inset. Call after ``draw``."""
        self.base_surface()  # make sure the cache matches the current state
        key = (iso3, tuple(colour), width, fill_alpha)
        overlay = self._highlights.get(key)
        if overlay is None:
            overlay = self._highlight_overlay(iso3, colour, width, fill_alpha)
            if len(self._highlights) > 32:
                self._highlights.clear()
            self._highlights[key] = overlay
        surface.blit(overlay, self._rect.topleft)

    def _highlight_overlay(
        self, iso3: str, colour: Colour, width: int, fill_alpha: int
    ) -> pygame.Surface:
        w, h = self._layout_size
        over = pygame.Surface((max(w, 1), max(h, 1)), pygame.SRCALPHA)
        layers = [(self._main, pygame.Rect(0, 0, w, h))]
        if self.show_inset:
            layers.append((self._inset, self._inset_map))
        for layer, area in layers:
            shape = layer.shape(iso3)
            if shape is None:
                continue
            part = pygame.Surface(area.size, pygame.SRCALPHA)
            off = area.topleft
            outlines = [[(x - off[0], y - off[1]) for x, y in r] for r in shape.outlines]
            holes = [[(x - off[0], y - off[1]) for x, y in r] for r in shape.holes]
            if fill_alpha > 0:
                for ring in outlines:
                    if len(ring) >= 3:
                        pygame.draw.polygon(part, (*colour, fill_alpha), ring)
                for ring in holes:
                    if len(ring) >= 3:
                        pygame.draw.polygon(part, (0, 0, 0, 0), ring)
            for ring in outlines:
                if len(ring) >= 3:
                    if width > 1:
                        pygame.draw.lines(part, (*colour, 150), True, ring, width + 1)
                    pygame.draw.aalines(part, (*colour, 255), True, ring)
            if layer is self._main and self.show_inset:
                # Keep the main map's highlight out of the inset box.
                part.fill((0, 0, 0, 0), self._inset_frame.inflate(2, 2))
            over.blit(part, area.topleft)
        return over


# --------------------------------------------------------------------------
# Drawing helpers


def _lcc_k(proj: geo.LambertConformalConic, lat: float) -> float:
    """Scale factor of the conic at a latitude, relative to the sphere."""
    n, f, _ = geo._lcc_constants(proj.lat0, proj.lat1, proj.lat2)
    phi = math.radians(lat)
    rho = f / math.tan(math.pi / 4 + phi / 2) ** n
    return n * rho / math.cos(phi)


def _paint_sea(surf: pygame.Surface, area: pygame.Rect) -> None:
    """Vertical gradient with a gentle darkening towards the corners."""
    w, h = area.size
    t = np.linspace(0.0, 1.0, h)[None, :, None]
    top = np.array(SEA_TOP, dtype=np.float32)[None, None, :]
    bottom = np.array(SEA_BOTTOM, dtype=np.float32)[None, None, :]
    col = top + (bottom - top) * t
    xs = np.linspace(-1.0, 1.0, w)[:, None]
    ys = np.linspace(-1.0, 1.0, h)[None, :]
    vignette = 1.0 - 0.22 * np.clip((xs**2 + ys**2) / 2.0, 0.0, 1.0)
    rgb = np.clip(col * vignette[:, :, None], 0, 255).astype(np.uint8)
    sea = pygame.surfarray.make_surface(np.ascontiguousarray(rgb))
    surf.blit(sea, area.topleft)


def _texture(size: tuple[int, int]) -> pygame.Surface:
    """A faint cloudy noise, multiplied over the map so that flat fills look
    less synthetic. Seeded, so every rebuild looks the same."""
    rng = np.random.default_rng(1953)
    w, h = size
    out = np.ones((w, h), dtype=np.float32)
    for cell, amp in ((96, 0.05), (24, 0.03), (6, 0.02)):
        gw, gh = max(w // cell, 1) + 2, max(h // cell, 1) + 2
        grid = rng.random((gw, gh)).astype(np.float32)
        noise = pygame.surfarray.make_surface(
            np.repeat((grid * 255).astype(np.uint8)[:, :, None], 3, axis=2)
        )
        noise = pygame.transform.smoothscale(noise, (w + 2 * cell, h + 2 * cell))
        arr = pygame.surfarray.pixels_red(noise)[cell : cell + w, cell : cell + h] / 255.0
        out -= amp * arr.astype(np.float32)
    tex = np.clip(out * 255, 0, 255).astype(np.uint8)
    return pygame.surfarray.make_surface(np.repeat(tex[:, :, None], 3, axis=2))


def _shade(colour: Colour, factor: float) -> Colour:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)


def _spaced_text(
    font: pygame.font.Font, text: str, colour: tuple[int, ...], spacing: int
) -> pygame.Surface:
    """Render letter-spaced text (map-style country names)."""
    glyphs = [font.render(ch, True, colour[:3]) for ch in text]
    width = sum(g.get_width() for g in glyphs) + spacing * (len(glyphs) - 1)
    out = pygame.Surface((max(width, 1), font.get_height()), pygame.SRCALPHA)
    x = 0
    for g in glyphs:
        out.blit(g, (x, 0))
        x += g.get_width() + spacing
    if len(colour) > 3:
        out.fill((255, 255, 255, colour[3]), special_flags=pygame.BLEND_RGBA_MULT)
    return out


def _marker(surf: pygame.Surface, kind: str, pos: tuple[float, float], scale: float) -> None:
    x, y = round(pos[0]), round(pos[1])
    r = max(3, round(4 * scale))
    if kind == "capital":
        pygame.draw.circle(surf, LABEL_SHADOW, (x, y + 1), r + 3)
        pygame.draw.circle(surf, CAPITAL_FILL, (x, y), r + 2, 1)
        pygame.draw.circle(surf, CAPITAL_FILL, (x, y), r - 1)
    elif kind == "base":
        pts = [(x, y - r - 2), (x + r + 1, y + r), (x - r - 1, y + r)]
        pygame.draw.polygon(surf, LABEL_SHADOW, [(px, py + 1) for px, py in pts])
        pygame.draw.polygon(surf, BASE_FILL, pts)
        pygame.draw.aalines(surf, (60, 44, 20), True, pts)
    elif kind == "border":
        pts = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
        pygame.draw.polygon(surf, LABEL_SHADOW, [(px, py + 1) for px, py in pts])
        pygame.draw.polygon(surf, BORDER_POINT_FILL, pts)
        pygame.draw.aalines(surf, (50, 24, 18), True, pts)
    else:
        pygame.draw.circle(surf, LABEL_SHADOW, (x, y + 1), r + 1)
        pygame.draw.circle(surf, CITY_FILL, (x, y), r)
        pygame.draw.circle(surf, (40, 16, 12), (x, y), r, 1)


def _arrow(
    surf: pygame.Surface,
    tip: tuple[float, float],
    direction: tuple[float, float],
    colour: Colour,
    size: float,
) -> None:
    dx, dy = direction
    nx, ny = -dy, dx
    tx, ty = tip
    bx, by = tx - dx * size, ty - dy * size
    pts = [
        (tx, ty),
        (bx + nx * size * 0.55, by + ny * size * 0.55),
        (bx - nx * size * 0.55, by - ny * size * 0.55),
    ]
    pygame.draw.polygon(surf, LABEL_SHADOW, [(x + 1, y + 1) for x, y in pts])
    pygame.draw.polygon(surf, colour, pts)
    pygame.draw.aalines(surf, colour, True, pts)
