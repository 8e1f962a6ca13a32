"""What the scenes around the map share: the veil over the map, a centred card, lists to
pick one row from, and overlays."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.scene import Scene
from game.ui.widgets import Button, event_pos, is_click, is_key

VEIL = (6, 9, 14)


def veil(surf, alpha: int = 170) -> None:
    theme.fill(surf, surf.get_rect(), (*VEIL, alpha))


def centred_card(size, w: int, h: int) -> pygame.Rect:
    sw, sh = size
    w, h = min(w, max(sw - 40, 40)), min(h, max(sh - 40, 40))
    return pygame.Rect((sw - w) // 2, (sh - h) // 2, w, h)


# ------------------------------------------------------------------ pick from a list


PREV_KEYS: tuple[int, ...] = (pygame.K_UP, pygame.K_w)
NEXT_KEYS: tuple[int, ...] = (pygame.K_DOWN, pygame.K_s, pygame.K_TAB)


def list_step(ev, prev_keys=PREV_KEYS, next_keys=NEXT_KEYS) -> int:
    """-1 or +1 when a key moves the pick in a list up or down, else 0."""
    if is_key(ev, *prev_keys):
        return -1
    if is_key(ev, *next_keys):
        return 1
    return 0


def draw_pick_row(surf, r: pygame.Rect, picked: bool, hot: bool = False) -> None:
    """The background of a list row: lit when picked or under the pointer, gold-edged when
    picked."""
    lit = picked or hot
    pygame.draw.rect(surf, (44, 40, 26) if lit else theme.PANEL_HI, r, border_radius=5)
    if picked:
        pygame.draw.rect(surf, theme.GOLD, r, 1, border_radius=5)


class ListScene(Scene):
    """A list of rows to pick one from, with a "go" and a "back" button.

    A click on a row picks it; up and down (and the extra keys of ``PREV_KEYS`` and
    ``NEXT_KEYS``) move the pick round the list; Enter or Space presses "go", Esc or
    Backspace presses "back", F1 opens the help. Subclasses set ``self.go`` and lay out
    ``self.rows`` and both buttons.
    """

    PREV_KEYS: tuple[int, ...] = PREV_KEYS
    NEXT_KEYS: tuple[int, ...] = NEXT_KEYS
    go: Button

    def __init__(self, app) -> None:
        super().__init__(app)
        self.index = 0
        self.rows: list[pygame.Rect] = []
        self.back = Button("Back", app.pop_scene, hint="Esc")
        self.hot: str | None = None  # "go" or "back" under the pointer

    def button_at(self, pos) -> str | None:
        if pos:
            if self.go.rect.collidepoint(pos):
                return "go"
            if self.back.rect.collidepoint(pos):
                return "back"
        return None

    def hover(self, pos) -> None:
        """The pointer moved to ``pos`` (None when the event has no position)."""
        self.hot = self.button_at(pos)

    def click_elsewhere(self, pos) -> None:
        """A click on neither a row nor a button."""

    def handle(self, ev) -> bool:
        if ev.type == pygame.MOUSEMOTION:
            self.hover(event_pos(ev))
            return True
        if is_click(ev):
            pos = event_pos(ev)
            if pos is None:
                return True
            for i, r in enumerate(self.rows):
                if r.collidepoint(pos):
                    self.index = i
                    return True
            hit = self.button_at(pos)
            if hit == "go":
                self.go.action()
            elif hit == "back":
                self.back.action()
            else:
                self.click_elsewhere(pos)
            return True
        if is_key(ev, pygame.K_ESCAPE, pygame.K_BACKSPACE):
            self.back.action()
            return True
        step = list_step(ev, self.PREV_KEYS, self.NEXT_KEYS)
        if step and self.rows:
            self.index = (self.index + step) % len(self.rows)
            return True
        if is_key(ev, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.go.action()
            return True
        if is_key(ev, pygame.K_F1):
            self.app.open("help")
            return True
        return ev.type == pygame.KEYDOWN

    def draw_row(self, surf, r: pygame.Rect, i: int) -> None:
        """The background of row ``i``, outlined in gold when it is the pick."""
        draw_pick_row(surf, r, i == self.index)


class OverlayScene(Scene):
    opaque = False
    modal = True
