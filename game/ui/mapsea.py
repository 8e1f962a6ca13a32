"""The map's sea gradient and land texture, which depend on the picture's size only: made in
steps (a strip of sea, an octave of noise at a time), so that a first picture or a new size
can be made over several frames."""

from __future__ import annotations

import numpy as np
import pygame

from game.ui.mapstyle import SEA_BOTTOM, SEA_TOP


def _strips(n: int, width: int) -> list[slice]:
    return [slice(a, min(a + width, n)) for a in range(0, max(n, 1), width)]


def _paint_sea(surf: pygame.Surface, area: pygame.Rect, cols: slice | None = None) -> None:
    """Vertical gradient with a gentle darkening towards the corners (the columns ``cols`` of
    it only, if given: painted strip by strip, the picture is the same)."""
    w, h = area.size
    cols = slice(0, w) if cols is None else cols
    t = np.linspace(0.0, 1.0, h)[None, :, None]
    top = np.array(SEA_TOP, dtype=np.float32)[None, None, :]
    bottom = np.array(SEA_BOTTOM, dtype=np.float32)[None, None, :]
    col = top + (bottom - top) * t
    xs = np.linspace(-1.0, 1.0, w)[cols, None]
    ys = np.linspace(-1.0, 1.0, h)[None, :]
    vignette = 1.0 - 0.22 * np.clip((xs**2 + ys**2) / 2.0, 0.0, 1.0)
    rgb = np.clip(col * vignette[:, :, None], 0, 255).astype(np.uint8)
    sea = pygame.surfarray.make_surface(np.ascontiguousarray(rgb))
    surf.blit(sea, (area.x + (cols.start or 0), area.y))


class _Texture:
    """A faint cloudy noise, multiplied over the map so that flat fills look less synthetic,
    made one octave at a time. Seeded, so every picture looks the same."""

    OCTAVES = ((96, 0.05), (24, 0.03), (6, 0.02))

    def __init__(self, size: tuple[int, int]) -> None:
        self.size = size
        self.rng = np.random.default_rng(1953)
        self.out = np.ones(size, dtype=np.float32)
        self.noise: pygame.Surface | None = None  # the octave in the making, smoothed
        self.strips: list[slice] = []  # the columns still to add it to
        self.done = 0

    def step(self) -> bool:
        """Make the next octave's noise, or add a strip of it; True once all are in."""
        if self.done < len(self.OCTAVES):
            w, h = self.size
            cell, amp = self.OCTAVES[self.done]
            if self.noise is None:
                gw, gh = max(w // cell, 1) + 2, max(h // cell, 1) + 2
                grid = self.rng.random((gw, gh)).astype(np.float32)
                noise = pygame.surfarray.make_surface(
                    np.repeat((grid * 255).astype(np.uint8)[:, :, None], 3, axis=2)
                )
                self.noise = pygame.transform.smoothscale(noise, (w + 2 * cell, h + 2 * cell))
                self.strips = _strips(w, 320)
                return False
            cols = self.strips.pop(0)
            red = pygame.surfarray.pixels_red(self.noise)
            x0, x1 = cell + cols.start, cell + cols.stop
            arr = red[x0:x1, cell : cell + h] / 255.0
            del red  # the surface is locked while its pixels are referenced
            self.out[cols] -= amp * arr.astype(np.float32)
            if not self.strips:
                self.noise = None
                self.done += 1
        return self.done == len(self.OCTAVES)

    def surface(self) -> pygame.Surface:
        tex = np.clip(self.out * 255, 0, 255).astype(np.uint8)
        return pygame.surfarray.make_surface(np.repeat(tex[:, :, None], 3, axis=2))
