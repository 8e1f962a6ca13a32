"""Clickable pieces shared by the scenes: buttons and vertical menus."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from game.ui import theme


def event_pos(ev) -> tuple[int, int] | None:
    pos = getattr(ev, "pos", None)
    if pos is None:
        return None
    try:
        return int(pos[0]), int(pos[1])
    except (TypeError, ValueError, IndexError):
        return None


def is_click(ev) -> bool:
    return ev.type == pygame.MOUSEBUTTONDOWN and getattr(ev, "button", 1) == 1


def key_of(ev) -> int | None:
    return getattr(ev, "key", None) if ev.type == pygame.KEYDOWN else None


def is_key(ev, *keys) -> bool:
    return ev.type == pygame.KEYDOWN and getattr(ev, "key", None) in keys


def char_of(ev) -> str:
    if ev.type != pygame.KEYDOWN:
        return ""
    u = getattr(ev, "unicode", "")
    return u if isinstance(u, str) else ""


def wheel_of(ev) -> int:
    if ev.type != pygame.MOUSEWHEEL:
        return 0
    y = getattr(ev, "y", 0)
    try:
        return int(y)
    except (TypeError, ValueError):
        return 0


CONFIRM_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)


@dataclass
class Button:
    label: str
    action: Callable[[], None]
    hint: str | None = None
    primary: bool = False
    enabled: bool = True
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))
    size: int = 14

    def draw(self, surf, hot: bool) -> None:
        theme.button(
            surf,
            self.rect,
            self.label,
            hot=hot,
            enabled=self.enabled,
            primary=self.primary,
            hint=self.hint,
            size=self.size,
        )


class Menu:
    """A column of buttons driven by mouse and keyboard (up, down, enter)."""

    def __init__(self, buttons: list[Button]) -> None:
        self.buttons = buttons
        self.focus = next((i for i, b in enumerate(buttons) if b.enabled), 0)
        self.mouse_hot: int | None = None

    def place(self, x: int, y: int, w: int, h: int = 40, gap: int = 10) -> pygame.Rect:
        for i, b in enumerate(self.buttons):
            b.rect = pygame.Rect(x, y + i * (h + gap), w, h)
        total = len(self.buttons) * (h + gap) - gap
        return pygame.Rect(x, y, w, max(total, 0))

    def _move(self, step: int) -> None:
        n = len(self.buttons)
        if not n:
            return
        i = self.focus
        for _ in range(n):
            i = (i + step) % n
            if self.buttons[i].enabled:
                self.focus = i
                return

    def handle(self, ev) -> bool:
        if ev.type == pygame.MOUSEMOTION:
            pos = event_pos(ev)
            self.mouse_hot = None
            if pos is not None:
                for i, b in enumerate(self.buttons):
                    if b.rect.collidepoint(pos) and b.enabled:
                        self.mouse_hot = i
                        self.focus = i
            return False
        if is_click(ev):
            pos = event_pos(ev)
            if pos is None:
                return False
            for b in self.buttons:
                if b.enabled and b.rect.collidepoint(pos):
                    b.action()
                    return True
            return False
        if is_key(ev, pygame.K_UP, pygame.K_w):
            self._move(-1)
            return True
        if is_key(ev, pygame.K_DOWN, pygame.K_s, pygame.K_TAB):
            self._move(1)
            return True
        if is_key(ev, pygame.K_RETURN, pygame.K_KP_ENTER):
            if self.buttons and self.buttons[self.focus].enabled:
                self.buttons[self.focus].action()
            return True
        return False

    def draw(self, surf) -> None:
        for i, b in enumerate(self.buttons):
            b.draw(surf, hot=(i == self.focus))
