"""Painting the map's cached picture: sea, land, fills, borders, graticule, labels, markers,
the off-map markers, the scale bar and the Ukraine inset. ``MapView`` paints through these
methods; they read its layout and write nothing but the picture."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pygame

from game.ui import geo
from game.ui.maplayer import _Layer, run_steps
from game.ui.mapsea import _paint_sea, _strips, _Texture
from game.ui.mapstyle import (
    BASE_FILL,
    BORDER,
    BORDER_POINT_FILL,
    CAPITAL_FILL,
    CITY_FILL,
    COAST,
    COUNTRY_LABEL,
    COUNTRY_LABELS,
    FRAME,
    GRATICULE,
    GUAM,
    INSET_LABELS,
    INSET_POINTS,
    INSET_TITLE,
    LABEL,
    LABEL_OFFSETS,
    LABEL_SHADOW,
    MAIN_POINTS,
    SEA_LABEL,
    SEA_LABELS,
    SEA_SHALLOW,
    TITLE_BAR,
    Colour,
)


class MapPainter:
    """The painting half of ``MapView``."""

    def _render(self) -> pygame.Surface:
        return run_steps(self._render_steps())

    def _render_steps(self):
        """The map's picture, painted in steps (a generator that returns the picture): the
        main layer projected into the view a few countries at a time, the sea, the texture,
        the backdrop, the land a few countries at a time, the lines, the labels, the inset.
        Each step takes a few milliseconds, so the picture of a new view or size can be made
        over several frames (``MapView.prepare``) as well as at once (``_render``)."""
        w, h = self._layout_size
        layer = self._main_layer
        if layer is None or layer.vp is not self._view:
            new = _Layer(self._data.main, self._view, later=True)
            yield from new.steps()
            if layer is not None:
                self._static.pop(id(layer), None)
            self._main_layer = new
        area = pygame.Rect(0, 0, w, h)
        yield from self._sized_steps(area.size)
        surf = pygame.Surface((max(w, 1), max(h, 1)))
        step = 10.0 if self._zoom < 2.0 else 5.0
        yield from self._paint_layer_steps(surf, self._main, area, graticule_step=step)
        self._paint_labels(surf, self._main, COUNTRY_LABELS, sea=True)
        yield
        for name in MAIN_POINTS:
            self._paint_point(surf, self._main, name)
        self._paint_offmap(surf)
        self._paint_scale_bar(surf, self._main.vp, (w - 16, round(30 * self._unit)))
        yield
        if self.show_inset:
            yield from self._sized_steps(self._inset_map.size)
            yield from self._paint_inset_steps(surf)
        return surf

    def _paint_layer(
        self, surf: pygame.Surface, layer: _Layer, area: pygame.Rect, graticule_step: float
    ) -> None:
        run_steps(self._paint_layer_steps(surf, layer, area, graticule_step))

    def _paint_layer_steps(
        self, surf: pygame.Surface, layer: _Layer, area: pygame.Rect, graticule_step: float
    ):
        static = self._static.get(id(layer))
        if static is None:
            backdrop = yield from self._backdrop_steps(layer, area, graticule_step)
            static = (backdrop, self._sized(area.size)[1])
            self._static[id(layer)] = static
            yield
        backdrop, texture = static
        prev_clip = surf.get_clip()
        surf.set_clip(area)
        surf.blit(backdrop, area.topleft)

        # Land.
        for k, shape in enumerate(layer.shapes):
            if k % 6 == 5:
                yield
            colour = self._fill_for(shape.iso3)
            for ring in shape.outlines:
                if len(ring) >= 3:
                    pygame.draw.polygon(surf, colour, ring)
                    pygame.draw.aalines(surf, colour, True, ring)
        yield
        # A faint darker rim inside every border gives the fills some depth.
        for shape in layer.shapes:
            rim = _shade(self._fill_for(shape.iso3), 0.82)
            for ring in shape.outlines:
                if len(ring) >= 3:
                    pygame.draw.lines(surf, rim, True, ring, 3)
        surf.blit(texture, area.topleft, special_flags=pygame.BLEND_RGB_MULT)
        yield
        for line in layer.borders:
            pygame.draw.lines(surf, _shade(BORDER, 1.6), False, line, 2)
            pygame.draw.aalines(surf, BORDER, False, line)
        for line in layer.coastlines:
            pygame.draw.aalines(surf, COAST, False, line)
        surf.set_clip(prev_clip)

    def _sized(self, size: tuple[int, int]) -> tuple[pygame.Surface, pygame.Surface]:
        """Sea gradient and land texture of a size: kept while the view zooms and pans."""
        run_steps(self._sized_steps(size))
        return self._by_size[size]

    def _sized_steps(self, size: tuple[int, int]):
        if size in self._by_size:
            return
        sea = pygame.Surface(size)
        for cols in _strips(size[0], 160):
            _paint_sea(sea, pygame.Rect((0, 0), size), cols)
            yield
        tex = _Texture(size)
        while not tex.step():
            yield
        self._by_size[size] = (sea, tex.surface())
        yield

    def _backdrop(self, layer: _Layer, area: pygame.Rect, graticule_step: float) -> pygame.Surface:
        """Sea, graticule and coastal shallows of a layer (no land)."""
        return run_steps(self._backdrop_steps(layer, area, graticule_step))

    def _backdrop_steps(self, layer: _Layer, area: pygame.Rect, graticule_step: float):
        surf = self._sized(area.size)[0].copy()
        # Graticule on the sea only: land is painted over it.
        grid = pygame.Surface(area.size, pygame.SRCALPHA)
        for lons, lats in geo.graticule(layer.vp.extent, graticule_step):
            px, py = layer.vp.lonlat_to_px(lons, lats)
            pts = list(zip((px - area.x).tolist(), (py - area.y).tolist()))
            pygame.draw.aalines(grid, GRATICULE, False, pts)
        surf.blit(grid, (0, 0))
        yield
        self._paint_shallows(surf, layer, area)
        return surf

    def _paint_shallows(self, surf: pygame.Surface, layer: _Layer, area: pygame.Rect) -> None:
        """Lighten the sea near coasts by blurring a land mask. ``surf`` is
        the layer's own surface; ``area`` gives the layer's pixel origin."""
        k = 4
        small = pygame.Surface((max(area.w // k, 1), max(area.h // k, 1)))
        small.fill((0, 0, 0))
        origin = np.array([area.x, area.y], dtype=np.float64)
        for shape in layer.shapes:
            for ring in shape.rings:
                pts = (ring - origin) / k
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
            img = self._kept(
                ("country", text, factor),
                lambda text=text, factor=factor: _spaced_text(
                    self._font(round(19 * factor)),
                    text,
                    COUNTRY_LABEL,
                    spacing=max(1, round(2 * factor)),
                ),
            )
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

    def _kept(self, key: tuple, make) -> pygame.Surface:
        """A label's image, made once for the map's text scale (a new view keeps them)."""
        kept = self.__dict__.setdefault("_label_images", {})
        key = (self._unit, *key)
        img = kept.get(key)
        if img is None:
            if len(kept) > 256:
                kept.clear()
            img = kept[key] = make()
        return img

    def _label_image(self, text: str, size: int, colour: Colour = LABEL) -> pygame.Surface:
        """Text with a soft dark halo so it reads on any fill."""
        return self._kept(
            ("label", text, size, colour), lambda: self._halo_text(text, size, colour)
        )

    def _halo_text(self, text: str, size: int, colour: Colour) -> pygame.Surface:
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
        run_steps(self._paint_inset_steps(surf))

    def _paint_inset_steps(self, surf: pygame.Surface):
        frame = self._inset_frame
        # Drop shadow, then the map, then the title bar and the frame.
        shadow = pygame.Surface(frame.inflate(8, 8).size, pygame.SRCALPHA)
        shadow.fill((0, 0, 0, 90))
        surf.blit(shadow, frame.inflate(8, 8).move(3, 4))
        yield from self._paint_layer_steps(surf, self._inset, self._inset_map, graticule_step=5.0)
        yield
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


# --------------------------------------------------------------------------
# Drawing helpers


def _lcc_k(proj: geo.LambertConformalConic, lat: float) -> float:
    """Scale factor of the conic at a latitude, relative to the sphere."""
    n, f, _ = geo._lcc_constants(proj.lat0, proj.lat1, proj.lat2)
    phi = math.radians(lat)
    rho = f / math.tan(math.pi / 4 + phi / 2) ** n
    return n * rho / math.cos(phi)


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
