"""The title screen: new game, continue, load, help, quit, over the map of the theatre."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.scene import Scene
from game.ui.widgets import Button, Menu, char_of, is_key


class TitleScene(Scene):
    root = True

    def __init__(self, app) -> None:
        super().__init__(app)
        self.menu = Menu([])
        self._build()

    def _build(self) -> None:
        has_auto = self.app.autosave_playable()
        self.menu = Menu(
            [
                Button("New game", self.app.opener("scenarios"), hint="N", primary=True),
                Button("Continue", self.app.continue_autosave, hint="C", enabled=has_auto),
                Button("Load game", self.app.opener("load"), hint="L"),
                Button("How to play", self.app.opener("help"), hint="F1"),
                Button("Quit", self.app.quit, hint="Esc"),
            ]
        )

    def resume(self) -> None:
        self._build()
        self.layout(self.app.size)

    def layout(self, size) -> None:
        w, h = size
        x = max(round(w * 0.07), 20)
        y = max(round(h * 0.46), 150)
        self.menu.place(x, y, 280, 42, 10)

    def handle(self, ev) -> bool:
        if self.menu.handle(ev):
            return True
        ch = char_of(ev).lower()
        if is_key(ev, pygame.K_ESCAPE):
            self.app.quit()
            return True
        if ch == "n":
            self.app.open("scenarios")
            return True
        if ch == "l":
            self.app.open("load")
            return True
        if ch == "c" and self.menu.buttons[1].enabled:
            self.app.continue_autosave()
            return True
        if is_key(ev, pygame.K_F1) or ch == "?":
            self.app.open("help")
            return True
        return ev.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.KEYDOWN)

    def draw(self, surf) -> None:
        w, h = surf.get_size()
        self.app.draw_backdrop(surf)
        # A dark band on the left for the title and the menu.
        band = self.app.gradient((max(round(w * 0.62), 1), h))
        surf.blit(band, (0, 0))
        x = max(round(w * 0.07), 20)
        y = max(round(h * 0.16), 30)
        logo = theme.spaced("PACT", 72, theme.GOLD, True, 14)
        surf.blit(logo, (x - 4, y))
        y += logo.get_height() + 4
        theme.text(
            surf,
            "Northeast Asia after the 2024 Russia\u2013North Korea treaty",
            (x, y),
            20,
            theme.INK,
            True,
        )
        y += 30
        tagline = (
            "Alliances, deterrence and the escalation ladder: keep your state safe "
            "without sliding into a war that turns nuclear."
        )
        for line in theme.wrap(tagline, 15, max(min(round(w * 0.42), 560), 200)):
            theme.text(surf, line, (x, y), 15, theme.INK_DIM)
            y += 21
        self.menu.draw(surf)
        theme.text(
            surf,
            "F1 help   \u00b7   F11 full screen   \u00b7   Esc quit",
            (x, h - 28),
            12,
            theme.INK_FAINT,
        )
