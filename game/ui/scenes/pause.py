"""The pause menu over the map: resume, save, load, help, quit."""

from __future__ import annotations

from pathlib import Path

import pygame

from game.ui import theme
from game.ui.scenes.common import (
    OverlayScene,
    centred_card,
    veil,
)
from game.ui.widgets import Button, Menu, char_of, is_key


def save_folder_words(folder, width: int) -> str:
    """The save folder as a path the player can find (the home folder as ~), its start cut
    when it is wider than ``width`` pixels at the pause menu's size."""
    path = Path(folder).expanduser().absolute()
    try:
        words = "~/" + path.relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError, KeyError):
        words = str(path)
    words = words.rstrip("/") + "/"
    while len(words) > 4 and theme.text_width(words, 10) > width:
        words = "\u2026" + words[2:]
    return words


class PauseScene(OverlayScene):
    def __init__(self, app) -> None:
        super().__init__(app)
        self.menu = Menu(
            [
                Button("Resume", app.pop_scene, hint="Esc", primary=True),
                Button("Save game", self.save, hint="S"),
                Button("Load game", app.opener("load"), hint="L"),
                Button("How to play", app.opener("help"), hint="F1"),
                Button("Quit to title", app.opener("title")),
                Button("Quit game", app.quit, hint="Q"),
            ]
        )

    def save(self) -> None:
        self.app.save_game()
        self.app.pop_scene(self)

    def layout(self, size) -> None:
        self.card = centred_card(size, 340, 430)
        self.menu.place(self.card.x + 30, self.card.y + 64, self.card.w - 60, 40, 10)

    def handle(self, ev) -> bool:
        if self.menu.handle(ev):
            return True
        ch = char_of(ev).lower()
        if is_key(ev, pygame.K_ESCAPE):
            self.app.pop_scene(self)
        elif ch == "s":
            self.save()
        elif ch == "l":
            self.app.open("load")
        elif ch == "q":
            self.app.quit()
        elif is_key(ev, pygame.K_F1) or ch == "?":
            self.app.open("help")
        return True

    def draw(self, surf) -> None:
        veil(surf, 150)
        c = self.card
        theme.card(surf, c, 246)
        theme.heading(surf, "PAUSED", (c.centerx, c.y + 24), 15, anchor="midtop")
        self.menu.draw(surf)
        s = self.app.session()
        if s is not None:
            theme.text(
                surf,
                f"seed {s.seed} \u00b7 saves in",
                (c.centerx, c.bottom - 30),
                10,
                theme.INK_FAINT,
                anchor="midbottom",
            )
            theme.text(
                surf,
                save_folder_words(self.app.save_dir, c.w - 24),
                (c.centerx, c.bottom - 14),
                10,
                theme.INK_FAINT,
                anchor="midbottom",
            )
