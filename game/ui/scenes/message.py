"""A message over the current scene (an error loading or saving), dismissed with a key."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.scenes.common import (
    OverlayScene,
    centred_card,
    veil,
)
from game.ui.widgets import Button, event_pos, is_click, is_key


class MessageScene(OverlayScene):
    def __init__(self, app, title: str, body: str, tone: str = "warn") -> None:
        super().__init__(app)
        self.title = title
        self.body = body
        self.tone = tone
        self.ok = Button("OK", lambda: app.pop_scene(self), hint="Enter", primary=True)
        self.hot = False

    def layout(self, size) -> None:
        lines = min(len(theme.wrap(self.body, 13, 520 - 48)), 5)
        self.card = centred_card(size, 520, 52 + 19 * lines + 76)
        self.ok.rect = pygame.Rect(self.card.centerx - 70, self.card.bottom - 56, 140, 38)

    def handle(self, ev) -> bool:
        if ev.type == pygame.MOUSEMOTION:
            pos = event_pos(ev)
            self.hot = bool(pos and self.ok.rect.collidepoint(pos))
            return True
        if is_key(ev, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE, pygame.K_SPACE):
            self.app.pop_scene(self)
            return True
        if is_click(ev):
            pos = event_pos(ev)
            if pos and self.ok.rect.collidepoint(pos):
                self.app.pop_scene(self)
        return True

    def draw(self, surf) -> None:
        veil(surf, 140)
        c = self.card
        theme.card(surf, c, 248)
        col = theme.TONE.get(self.tone, theme.WARN)
        pygame.draw.rect(surf, col, (c.x, c.y + 6, 4, c.h - 12), border_radius=2)
        theme.text(surf, self.title, (c.x + 24, c.y + 20), 17, col, True, max_width=c.w - 48)
        y = c.y + 52
        for line in theme.wrap(self.body, 13, c.w - 48, max_lines=5):
            theme.text(surf, line, (c.x + 24, y), 13, theme.INK)
            y += 19
        self.ok.draw(surf, self.hot)
