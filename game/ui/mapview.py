"""The strategic map of Northeast Asia, drawn with pygame.

``MapView`` renders the static parts of the map (sea, land, country fills,
borders, graticule, labels, markers and the Ukraine inset) once into a cached
surface and only rebuilds it when its size or the country fills change, so a
frame costs one blit. It also answers "which country is under the mouse"
and "where do I draw this actor" for the rest of the UI.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence

import numpy as np
import pygame

from game.ui import geo
from game.ui.maplayer import _Layer, run_steps
from game.ui.mappaint import MapPainter
from game.ui.mapstyle import (
    DEFAULT_ANCHORS,
    GUAM,
    INSET_POINTS,
    LAND_DEFAULT,
    MAIN_POINTS,
    MAX_ZOOM,
    SEA_TOP,
    Colour,
)


def wants_inset(actor_ids, off_map_theatre: bool) -> bool:
    """Whether a scenario has something in the Ukraine inset: a state anchored there (Russia
    aside, which has its Pacific stand-in on the main map) or a theatre off the main map."""
    placed = (DEFAULT_ANCHORS.get(a) for a in actor_ids if a != "RUS")
    return off_map_theatre or any(name in INSET_POINTS for name in placed)


class MapView(MapPainter):
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
        self._highlights: dict[tuple, tuple[pygame.Surface, tuple[int, int]]] = {}
        # Per-layer sea/graticule/shallows and texture: they depend on the
        # size only, so a change of fills does not redo them.
        self._static: dict[int, tuple[pygame.Surface, pygame.Surface]] = {}
        self._by_size: dict[tuple[int, int], tuple[pygame.Surface, pygame.Surface]] = {}
        self.rebuild_count = 0
        self._job: tuple[tuple, object] | None = None  # (key, steps) of a picture in the making
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

    @staticmethod
    def inset_size(size) -> tuple[int, int]:
        """(width, height) of the inset's map (its title bar apart) in a map of ``size``: a
        quarter of the width, at most about two fifths of the height (a wide, low window)."""
        w, h = size
        iw = round(min(max(w * 0.27, 200), 420, max(h, 1) * 0.42 * 1.3))
        return iw, round(iw / 1.3)

    def set_inset(self, shown: bool) -> None:
        """Show or hide the inset (a scenario without Ukraine, a map too low for it)."""
        if shown != self.show_inset:
            self.show_inset = shown
            self._layout()

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
            center=self._view.center,
        )

    # ------------------------------------------------------------------- view
    @property
    def view(self) -> geo.Viewport:
        """The main map's viewport in the map's own pixels (zoom and pan included)."""
        return self._view

    @property
    def zoom(self) -> float:
        """Magnification of the main map: 1 shows the whole theatre."""
        return self._zoom

    @property
    def view_key(self) -> tuple:
        """Changes whenever the main map's view does (for caches of things drawn on it)."""
        return (self._zoom, self._view.center)

    def zoom_at(self, px: float, py: float, factor: float) -> bool:
        """Magnify the main map by ``factor`` about the target-surface pixel (px, py), which
        keeps showing the same place; the zoom stays between 1 and MAX_ZOOM. Returns whether
        the view changed."""
        new = min(max(self._zoom * factor, 1.0), MAX_ZOOM)
        if math.isclose(new, self._zoom):
            return False
        vp = self._view
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
        vp = self._view
        cx, cy = vp.center
        self._center = (cx - dx / vp.scale, cy + dy / vp.scale)
        self._relayout_main()
        return self._view.center != vp.center

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
        """A new view of the main map: its viewport now (cheap), its shapes projected when
        something first needs them (``_main``), so that a zoom step costs nothing until the
        map is drawn or hit-tested in the new view."""
        w, h = self._layout_size
        self._view = self._main_vp(max(w, 1), max(h, 1))
        self._offmap = self._place_offmap(max(w, 1), max(h, 1))
        self._highlights.clear()
        self._job = None

    @property
    def _main(self) -> _Layer:
        """The main map's shapes projected into the current view."""
        layer = self._main_layer
        if layer is None or layer.vp is not self._view:
            if layer is not None:
                self._static.pop(id(layer), None)
            layer = self._main_layer = _Layer(self._data.main, self._view)
        return layer

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
        self._job = None
        w, h = max(w, 1), max(h, 1)
        self._unit = max(0.75, min(w / 1280, h / 800)) ** 0.5  # text/marker scale
        if getattr(self, "_main_layer", None) is not None:
            self._static.pop(id(self._main_layer), None)
        self._main_layer: _Layer | None = None
        self._view = self._main_vp(w, h)

        margin = round(12 * self._unit)
        title_h = round(22 * self._unit)
        iw, ih = self.inset_size((w, h))
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
        gx, gy = self._view.lonlat_to_px(g.lon, g.lat)
        cx = min(max(gx, edge), w - edge)
        cy = min(max(gy, edge), h - edge)
        dx, dy = gx - cx, gy - cy
        norm = math.hypot(dx, dy)
        out[GUAM] = (cx, cy, dx / norm, dy / norm) if norm > 1 else (cx, cy, 0.0, 0.0)
        # The United States: east edge, at the latitude band of Japan.
        _, uy = self._view.lonlat_to_px(geo.MAIN_EXTENT.lon_max, 37.0)
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

    def _picture_key(self) -> tuple:
        return (
            self._layout_size,
            self.view_key,
            tuple(sorted(self._fills.items())),
            self.default_fill,
        )

    def ready(self) -> bool:
        """The cached picture shows the current size, view and fills."""
        return self._base is not None and self._base_key == self._picture_key()

    def prepare(self, budget_s: float = 0.008) -> bool:
        """Make the picture of the current size, view and fills a few steps at a time: at
        least one step, then more while another as long as the last fits in ``budget_s``
        seconds. True once it is made (the
        next ``draw`` costs a blit); until then the old picture is kept, for a caller to show
        scaled or as it is."""
        key = self._picture_key()
        if self._base is not None and self._base_key == key:
            return True
        if self._job is None or self._job[0] != key:
            self._job = (key, self._render_steps())
        start = time.perf_counter()
        steps = self._job[1]
        while True:
            began = time.perf_counter()
            try:
                next(steps)
            except StopIteration as done:
                self._job = None
                self._take(done.value, key)
                return True
            now = time.perf_counter()
            # Another step only if one as long as the last still fits in the budget.
            if now - start + (now - began) >= budget_s:
                return False

    def last_picture(self) -> pygame.Surface | None:
        """The picture last made, whatever view, size or fills it shows (None before the
        first)."""
        return self._base

    def _take(self, picture: pygame.Surface, key: tuple) -> None:
        self._base, self._base_key = picture, key
        self._highlights.clear()
        self.rebuild_count += 1

    def base_surface(self) -> pygame.Surface:
        """The cached map image, rebuilt only when size, view or fills changed (a picture in
        the making is finished)."""
        key = self._picture_key()
        if self._base is None or self._base_key != key:
            job, self._job = self._job, None
            steps = job[1] if job is not None and job[0] == key else self._render_steps()
            self._take(run_steps(steps), key)
        return self._base

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
            x, y = self._view.lonlat_to_px(p.lon, p.lat)
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
        cached = self._highlights.get(key)
        if cached is None:
            # Only the part the country covers is drawn and blitted: a whole-map blending
            # blit costs about a millisecond a frame while the mouse rests on a country.
            cached = self._highlight_overlay(iso3, colour, width, fill_alpha)
            if len(self._highlights) > 32:
                self._highlights.clear()
            self._highlights[key] = cached
        part, (dx, dy) = cached
        surface.blit(part, (self._rect.x + dx, self._rect.y + dy))

    def _highlight_overlay(
        self, iso3: str, colour: Colour, width: int, fill_alpha: int
    ) -> tuple[pygame.Surface, tuple[int, int]]:
        """The highlight of a country: its picture, as large as the country's box on the map
        (and in the inset), and where that box is in the map's pixels."""
        w, h = self._layout_size
        layers = [(self._main, pygame.Rect(0, 0, w, h))]
        if self.show_inset:
            layers.append((self._inset, self._inset_map))
        pad = width + 2
        parts = []
        for layer, area in layers:
            shape = layer.shape(iso3)
            if shape is None:
                continue
            x0, y0, x1, y1 = shape.bbox
            box = (
                pygame.Rect(math.floor(x0) - pad, math.floor(y0) - pad, 0, 0)
                .union(pygame.Rect(math.ceil(x1) + pad, math.ceil(y1) + pad, 1, 1))
                .clip(area)
            )
            if box.w <= 0 or box.h <= 0:
                continue
            parts.append((layer, box, shape))
        if not parts:
            return pygame.Surface((1, 1), pygame.SRCALPHA), (0, 0)
        whole = parts[0][1].unionall([b for _, b, _ in parts[1:]])
        over = pygame.Surface(whole.size, pygame.SRCALPHA)
        for layer, box, shape in parts:
            # Drawn on a picture of the layer's rectangle, clipped to the country's box: the
            # drawing costs what the box holds, and the pixels are those of the whole layer.
            area = layers[0][1] if layer is self._main else self._inset_map
            part = pygame.Surface(area.size, pygame.SRCALPHA)
            inner = box.move(-area.x, -area.y)
            part.set_clip(inner)
            if area.topleft == (0, 0):
                outlines, holes = shape.outlines, shape.holes
            else:
                origin = np.array(area.topleft, dtype=np.float64)
                outlines = [r - origin for r in shape.outlines]
                holes = [r - origin for r in shape.holes]
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
            over.blit(part, (box.x - whole.x, box.y - whole.y), area=inner)
        return over, whole.topleft
