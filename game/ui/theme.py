"""Look of the play window: palette, fonts, cached text and the small drawing helpers that
every scene uses (panels, bars, chips, buttons, tooltips)."""

from __future__ import annotations

import math
from pathlib import Path

import pygame

Colour = tuple[int, int, int]

FONT_DIR = Path(__file__).absolute().parents[2] / "assets" / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSansCondensed.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSansCondensed-Bold.ttf"

# --- palette: deep navy panels that continue the map's sea, warm ivory ink, one gold accent
BG: Colour = (9, 13, 20)
PANEL: Colour = (15, 21, 31)
PANEL_HI: Colour = (22, 30, 44)
PANEL_EDGE: Colour = (46, 60, 80)
RULE: Colour = (34, 45, 62)
INK: Colour = (234, 229, 214)
INK_DIM: Colour = (156, 164, 174)
INK_FAINT: Colour = (100, 112, 128)
GOLD: Colour = (238, 190, 84)
GOLD_DIM: Colour = (150, 122, 62)
GOOD: Colour = (118, 200, 146)
BAD: Colour = (236, 100, 84)
WARN: Colour = (238, 168, 72)
INFO: Colour = (138, 180, 228)
SELECT: Colour = (246, 240, 226)

BLOC: dict[str, Colour] = {"west": (72, 122, 196), "east": (196, 68, 56), "neutral": (134, 150, 92)}
BLOC_INK: dict[str, Colour] = {
    "west": (150, 190, 245),
    "east": (245, 150, 136),
    "neutral": (196, 206, 150),
}
BLOC_NAMES = {"west": "Western bloc", "east": "Eastern bloc", "neutral": "Non-aligned"}

TONE: dict[str, Colour] = {
    "neutral": INK_DIM,
    "good": GOOD,
    "bad": BAD,
    "warn": WARN,
    "info": INFO,
    "calm": GOOD,
    "escalation": WARN,
    "alarm": BAD,
    "treaty": INFO,
    "event": (200, 190, 160),
    "player": GOLD,
}

CATEGORY_COLOUR: dict[str, Colour] = {
    "diplomacy": (120, 190, 170),
    "information": (170, 160, 220),
    "economy": (220, 190, 100),
    "military": (226, 110, 90),
}


def mix(a: Colour, b: Colour, t: float) -> Colour:
    t = max(0.0, min(1.0, t))
    return tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))


def shade(c: Colour, f: float) -> Colour:
    return tuple(max(0, min(255, round(v * f))) for v in c[:3])


# --- the escalation ladder's colours, by the band between named thresholds
_BANDS = (
    ((86, 170, 142), (206, 204, 118)),  # below 'threat': cooperation to pressure
    ((238, 184, 72), (240, 130, 52)),  # threat to armed clash: crisis
    ((232, 88, 58), (206, 46, 50)),  # armed clash to war: fighting
    ((178, 30, 60), (196, 44, 120)),  # war to nuclear use
    ((226, 86, 222), (255, 236, 255)),  # nuclear use and beyond
)


def rung_colours(params) -> list[Colour]:
    """One colour per rung: calm greens, crisis ambers, fighting reds, nuclear magentas."""
    n = len(params.rung_ids)
    th = params.thresholds
    war = th.get("war", n)
    edges = [
        0,
        th.get("threat", max(1, war // 3)),
        th.get("armed_clash", war),
        war,
        th.get("nuclear_use", n),
        n,
    ]
    out: list[Colour] = []
    for r in range(n):
        band = 0
        for b in range(5):
            if edges[b] <= r < max(edges[b + 1], edges[b] + 1):
                band = b
        lo, hi = edges[band], max(edges[band + 1] - 1, edges[band])
        t = 0.0 if hi == lo else (r - lo) / (hi - lo)
        out.append(mix(_BANDS[band][0], _BANDS[band][1], t))
    return out


# --- fonts and text


class Fonts:
    _cache: dict[tuple[int, bool], pygame.font.Font] = {}

    @classmethod
    def get(cls, size: int, bold: bool = False) -> pygame.font.Font:
        size = max(6, int(size))
        key = (size, bold)
        font = cls._cache.get(key)
        if font is None:
            if not pygame.font.get_init():
                pygame.font.init()
            path = FONT_BOLD if bold else FONT_REGULAR
            try:
                font = pygame.font.Font(str(path), size)
            except (OSError, FileNotFoundError):
                font = pygame.font.Font(None, round(size * 1.3))
                font.set_bold(bold)
            cls._cache[key] = font
        return font


_TEXT: dict[tuple, pygame.Surface] = {}


def reset_caches() -> None:
    """Forget fonts and rendered text: call after (re)initialising pygame, because fonts
    opened before ``pygame.quit()`` must not be used again."""
    Fonts._cache.clear()
    _TEXT.clear()
    _FILLS.clear()


def render(text: str, size: int = 13, colour: Colour = INK, bold: bool = False) -> pygame.Surface:
    """Rendered text, cached: panels redraw the same strings every frame."""
    key = (text, size, bold, tuple(colour))
    surf = _TEXT.get(key)
    if surf is None:
        if len(_TEXT) > 4000:
            _TEXT.clear()
        font = Fonts.get(size, bold)
        surf = font.render(text, True, colour[:3])
        if len(colour) > 3:
            surf.set_alpha(colour[3])
        _TEXT[key] = surf
    return surf


def text_width(text: str, size: int = 13, bold: bool = False) -> int:
    return Fonts.get(size, bold).size(text)[0]


def ellipsize(text: str, size: int, width: int, bold: bool = False) -> str:
    font = Fonts.get(size, bold)
    if font.size(text)[0] <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.size(text[:mid].rstrip() + "\u2026")[0] <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "\u2026" if lo > 0 else ""


def wrap(text: str, size: int, width: int, bold: bool = False, max_lines: int = 0) -> list[str]:
    font = Fonts.get(size, bold)
    lines: list[str] = []
    for para in text.split("\n"):
        words = para.split()
        line = ""
        for w in words:
            trial = f"{line} {w}" if line else w
            if font.size(trial)[0] <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = w
        lines.append(line)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = ellipsize(lines[-1] + " \u2026", size, width, bold)
    return lines


def text(
    surf: pygame.Surface,
    s: str,
    pos,
    size: int = 13,
    colour: Colour = INK,
    bold: bool = False,
    anchor: str = "topleft",
    max_width: int | None = None,
) -> pygame.Rect:
    if max_width is not None:
        s = ellipsize(s, size, max_width, bold)
    img = render(s, size, colour, bold)
    rect = img.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
    surf.blit(img, rect)
    return rect


def spaced(
    s: str, size: int, colour: Colour, bold: bool = True, spacing: int = 2
) -> pygame.Surface:
    """Letter-spaced capitals for headings."""
    key = ("\x00spaced", s, size, bold, tuple(colour), spacing)
    surf = _TEXT.get(key)
    if surf is None:
        glyphs = [render(ch, size, colour, bold) for ch in s]
        w = sum(g.get_width() for g in glyphs) + spacing * max(len(glyphs) - 1, 0)
        h = max((g.get_height() for g in glyphs), default=1)
        surf = pygame.Surface((max(w, 1), max(h, 1)), pygame.SRCALPHA)
        x = 0
        for g in glyphs:
            surf.blit(g, (x, 0))
            x += g.get_width() + spacing
        _TEXT[key] = surf
    return surf


def heading(surf, s: str, pos, size: int = 11, colour: Colour = GOLD, anchor="topleft"):
    img = spaced(s.upper(), size, colour)
    rect = img.get_rect(**{anchor: pos})
    surf.blit(img, rect)
    return rect


# --- shapes

_FILLS: dict[tuple, pygame.Surface] = {}


def fill(surf: pygame.Surface, rect, colour, radius: int = 0) -> None:
    """Fill a rectangle, blending when the colour has an alpha channel."""
    rect = pygame.Rect(rect)
    if rect.w <= 0 or rect.h <= 0:
        return
    if len(colour) == 3 or colour[3] >= 255:
        pygame.draw.rect(surf, colour[:3], rect, border_radius=radius)
        return
    key = (rect.size, tuple(colour), radius)
    tile = _FILLS.get(key)
    if tile is None:
        if len(_FILLS) > 300:
            _FILLS.clear()
        tile = pygame.Surface(rect.size, pygame.SRCALPHA)
        pygame.draw.rect(tile, colour, tile.get_rect(), border_radius=radius)
        _FILLS[key] = tile
    surf.blit(tile, rect)


def panel(
    surf: pygame.Surface,
    rect,
    alpha: int = 255,
    radius: int = 0,
    edge: bool = True,
    colour: Colour = PANEL,
) -> None:
    rect = pygame.Rect(rect)
    fill(surf, rect, (*colour, alpha), radius)
    if edge:
        pygame.draw.rect(surf, PANEL_EDGE, rect, 1, border_radius=radius)


def card(
    surf: pygame.Surface, rect, alpha: int = 232, title: str | None = None, radius: int = 6
) -> pygame.Rect:
    """A floating card with a soft shadow; returns the content area."""
    rect = pygame.Rect(rect)
    fill(surf, rect.move(0, 3).inflate(6, 6), (0, 0, 0, 70), radius + 3)
    panel(surf, rect, alpha, radius)
    inner = rect.inflate(-20, -16)
    if title:
        heading(surf, title, (inner.x, inner.y), 11)
        inner = pygame.Rect(inner.x, inner.y + 20, inner.w, inner.h - 20)
    return inner


def bar(surf, rect, frac: float, colour: Colour, back: Colour = (34, 44, 58)) -> None:
    rect = pygame.Rect(rect)
    pygame.draw.rect(surf, back, rect, border_radius=2)
    w = round(rect.w * max(0.0, min(1.0, frac)))
    if w > 0:
        pygame.draw.rect(surf, colour, (rect.x, rect.y, w, rect.h), border_radius=2)


def chip(
    surf,
    pos,
    label: str,
    bg: Colour,
    fg: Colour = INK,
    size: int = 11,
    outline: Colour | None = None,
    anchor: str = "topleft",
    pad: int = 5,
    bold: bool = True,
) -> pygame.Rect:
    img = render(label, size, fg, bold)
    rect = pygame.Rect(0, 0, img.get_width() + 2 * pad, img.get_height() + 2)
    setattr(rect, anchor, (round(pos[0]), round(pos[1])))
    if bg is not None:
        pygame.draw.rect(surf, bg, rect, border_radius=3)
    if outline is not None:
        pygame.draw.rect(surf, outline, rect, 1, border_radius=3)
    surf.blit(img, (rect.x + pad, rect.y + 1))
    return rect


def button(
    surf,
    rect,
    label: str,
    hot: bool = False,
    enabled: bool = True,
    primary: bool = False,
    hint: str | None = None,
    size: int = 14,
) -> None:
    rect = pygame.Rect(rect)
    if primary and enabled:
        base = (176, 132, 46) if not hot else (206, 158, 60)
        pygame.draw.rect(surf, base, rect, border_radius=5)
        pygame.draw.rect(surf, GOLD, rect, 1, border_radius=5)
        fg = (20, 16, 8)
    else:
        base = PANEL_HI if not hot else (34, 46, 66)
        pygame.draw.rect(surf, base, rect, border_radius=5)
        pygame.draw.rect(
            surf, GOLD_DIM if hot and enabled else PANEL_EDGE, rect, 1, border_radius=5
        )
        fg = INK if enabled else INK_FAINT
    if hint:
        himg = render(hint, 11, fg if primary and enabled else INK_FAINT)
        limg = render(label, size, fg, True)
        total = limg.get_width() + 8 + himg.get_width()
        x = rect.centerx - total // 2
        surf.blit(limg, limg.get_rect(midleft=(x, rect.centery)))
        surf.blit(himg, himg.get_rect(midleft=(x + limg.get_width() + 8, rect.centery + 1)))
    else:
        limg = render(label, size, fg, True)
        surf.blit(limg, limg.get_rect(center=rect.center))


def tooltip(
    surf: pygame.Surface, pos, lines: list[tuple[str, Colour, bool]], width: int = 280
) -> None:
    """A small card near ``pos`` with (text, colour, bold) lines, kept inside the window."""
    if not lines:
        return
    wrapped: list[tuple[str, Colour, bool]] = []
    for s, c, b in lines:
        for part in wrap(s, 12, width - 20, b):
            wrapped.append((part, c, b))
    lh = 16
    w = min(width, max(text_width(s, 12, b) for s, _, b in wrapped) + 20)
    h = lh * len(wrapped) + 12
    sw, sh = surf.get_size()
    x = pos[0] + 16
    y = pos[1] + 18
    if x + w > sw - 4:
        x = pos[0] - w - 12
    if y + h > sh - 4:
        y = pos[1] - h - 8
    x, y = max(4, x), max(4, y)
    rect = pygame.Rect(x, y, w, h)
    fill(surf, rect.move(0, 2).inflate(4, 4), (0, 0, 0, 90), 6)
    fill(surf, rect, (12, 17, 26, 246), 5)
    pygame.draw.rect(surf, GOLD_DIM, rect, 1, border_radius=5)
    for i, (s, c, b) in enumerate(wrapped):
        text(surf, s, (x + 10, y + 6 + i * lh), 12, c, b)


def glow_dot(radius: int, colour: Colour) -> pygame.Surface:
    key = ("\x00glow", radius, tuple(colour))
    surf = _TEXT.get(key)
    if surf is None:
        surf = pygame.Surface((2 * radius + 2, 2 * radius + 2), pygame.SRCALPHA)
        for r in range(radius, 0, -1):
            a = round(255 * (1 - r / radius) ** 1.6)
            pygame.draw.circle(surf, (*colour[:3], a), (radius + 1, radius + 1), r)
        _TEXT[key] = surf
    return surf


def pulse(t: float, hz: float = 1.0) -> float:
    """0..1, smooth, for things that breathe."""
    return 0.5 + 0.5 * math.sin(2 * math.pi * hz * t)


def month_name(year: int, month: int, short: bool = False) -> str:
    import calendar

    name = calendar.month_abbr[month] if short else calendar.month_name[month]
    return f"{name} {year}"
