"""The list of saved games, newest first, to load one from."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.scenes.common import (
    OverlayScene,
    centred_card,
    draw_pick_row,
    list_step,
    veil,
)
from game.ui.widgets import event_pos, is_click, is_key, wheel_of


class LoadScene(OverlayScene):
    def __init__(self, app) -> None:
        super().__init__(app)
        from game.play.savefile import list_saves

        self.saves = list_saves(app.save_dir)
        self.index = 0
        self.scroll = 0
        self.rows: list[pygame.Rect] = []
        self.hover: int | None = None

    def layout(self, size) -> None:
        self.card = centred_card(size, 700, 520)
        c = self.card
        self.list_rect = pygame.Rect(c.x + 16, c.y + 56, c.w - 32, max(c.h - 100, 10))
        self.row_h = 50
        n = max(self.list_rect.h // self.row_h, 1)
        self.visible = n

    def row_rect(self, i: int) -> pygame.Rect:
        return pygame.Rect(
            self.list_rect.x,
            self.list_rect.y + (i - self.scroll) * self.row_h,
            self.list_rect.w,
            self.row_h - 6,
        )

    def _load(self, i: int) -> None:
        if 0 <= i < len(self.saves):
            path = self.saves[i][0]
            self.app.pop_scene(self)
            self.app.load_game(path)

    def handle(self, ev) -> bool:
        n = len(self.saves)
        if ev.type == pygame.MOUSEMOTION:
            pos = event_pos(ev)
            self.hover = None
            if pos:
                for i in range(self.scroll, min(n, self.scroll + self.visible)):
                    if self.row_rect(i).collidepoint(pos):
                        self.hover = i
            return True
        if ev.type == pygame.MOUSEWHEEL:
            self.scroll = max(0, min(self.scroll - wheel_of(ev), max(n - self.visible, 0)))
            return True
        if is_click(ev):
            pos = event_pos(ev)
            if pos is None:
                return True
            if not self.card.collidepoint(pos):
                self.app.pop_scene(self)
                return True
            for i in range(self.scroll, min(n, self.scroll + self.visible)):
                if self.row_rect(i).collidepoint(pos):
                    self._load(i)
                    return True
            return True
        step = list_step(ev)
        if is_key(ev, pygame.K_ESCAPE, pygame.K_BACKSPACE):
            self.app.pop_scene(self)
        elif step and n:
            self.index = (self.index + step) % n
            self._follow()
        elif is_key(ev, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self._load(self.index)
        return True

    def _follow(self) -> None:
        if self.index < self.scroll:
            self.scroll = self.index
        elif self.index >= self.scroll + self.visible:
            self.scroll = self.index - self.visible + 1

    def draw(self, surf) -> None:
        veil(surf, 160)
        c = self.card
        # Opaque: it may open over the pause menu, whose buttons showed through.
        theme.card(surf, c, 255)
        theme.heading(surf, "LOAD A SAVED GAME", (c.x + 18, c.y + 18), 13)
        theme.text(
            surf,
            f"{self.app.save_dir}",
            (c.right - 18, c.y + 20),
            10,
            theme.INK_FAINT,
            anchor="topright",
            max_width=c.w // 2,
        )
        if not self.saves:
            theme.text(
                surf,
                "No saved games yet. The game saves itself every month.",
                (c.x + 20, c.y + 64),
                13,
                theme.INK_DIM,
            )
        for i in range(self.scroll, min(len(self.saves), self.scroll + self.visible)):
            path, header, error = self.saves[i]
            r = self.row_rect(i)
            draw_pick_row(surf, r, i == self.index, i == self.hover)
            if header is not None:
                sc = header.get("scenario", {})
                title = (
                    f"{sc.get('name', '?')} \u00b7 {header.get('player', '?')} \u00b7 "
                    f"{header.get('date', '')}"
                )
                theme.text(
                    surf, title, (r.x + 12, r.y + 6), 14, theme.INK, True, max_width=r.w - 200
                )
                theme.text(
                    surf,
                    _shown(path.name),
                    (r.x + 12, r.y + 26),
                    11,
                    theme.INK_FAINT,
                    max_width=r.w - 200,
                )
                theme.text(
                    surf,
                    f"saved {header.get('saved_at', '')}",
                    (r.right - 12, r.y + 8),
                    11,
                    theme.INK_DIM,
                    anchor="topright",
                )
            else:
                theme.text(
                    surf,
                    f"\u2716 {_shown(path.name)}",
                    (r.x + 12, r.y + 6),
                    14,
                    theme.BAD,
                    True,
                    max_width=r.w - 24,
                )
                theme.text(
                    surf, _shown(error), (r.x + 12, r.y + 26), 11, theme.WARN, max_width=r.w - 24
                )
        theme.text(
            surf,
            "Enter: load \u00b7 Esc: back",
            (c.centerx, c.bottom - 14),
            11,
            theme.INK_FAINT,
            anchor="midbottom",
        )


def _shown(text: str) -> str:
    """A file name or message as drawable text: control characters become '?'."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)
