"""Scenes and the scene stack.

The window shows a stack of scenes (title, scenario picker, the map, a pause menu over it...).
Input goes to the top scene first and travels down until a scene takes it; a modal scene
stops it there. Drawing starts at the highest opaque scene and goes up, so menus can be
drawn over the map. Drawing only reads: the game changes in event handlers, through the
session, never while a frame is being painted.
"""

from __future__ import annotations

import pygame


class Scene:
    opaque = True  # hides the scenes below it
    modal = True  # input it does not take goes no further
    root = False  # opening it replaces every scene on the stack
    single = False  # not opened again when it is already on top

    def __init__(self, app) -> None:
        self.app = app

    # Life cycle
    def enter(self) -> None:
        """Pushed onto the stack."""

    def resume(self) -> None:
        """The scene above it was removed."""

    def exit(self) -> None:
        """Removed from the stack."""

    # Frame
    def layout(self, size: tuple[int, int]) -> None:
        """The window has this size (called on entry and on every resize)."""

    def handle(self, ev: pygame.event.Event) -> bool:
        """Take an input event; True if used."""
        return False

    def update(self, dt: float) -> None:
        """Advance animations and background work by ``dt`` seconds."""

    def draw(self, surf: pygame.Surface) -> None:
        """Paint the scene; must not change the game."""


class SceneStack:
    def __init__(self) -> None:
        self.scenes: list[Scene] = []

    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    def push(self, scene: Scene, size: tuple[int, int]) -> Scene:
        self.scenes.append(scene)
        scene.layout(size)
        scene.enter()
        return scene

    def pop(self, scene: Scene | None = None) -> Scene | None:
        if not self.scenes:
            return None
        if scene is not None and scene in self.scenes:
            self.scenes.remove(scene)
            gone = scene
        else:
            gone = self.scenes.pop()
        gone.exit()
        if self.scenes:
            self.scenes[-1].resume()
        return gone

    def clear(self) -> None:
        while self.scenes:
            self.scenes.pop().exit()

    def find(self, kind: type) -> Scene | None:
        for s in reversed(self.scenes):
            if isinstance(s, kind):
                return s
        return None

    def handle(self, ev: pygame.event.Event) -> bool:
        for scene in reversed(list(self.scenes)):
            if scene not in self.scenes:
                continue
            if scene.handle(ev):
                return True
            if scene.modal:
                return False
        return False

    def update(self, dt: float) -> None:
        for scene in list(self.scenes):
            scene.update(dt)

    def layout(self, size: tuple[int, int]) -> None:
        for scene in self.scenes:
            scene.layout(size)

    def draw(self, surf: pygame.Surface) -> None:
        start = 0
        for i, scene in enumerate(self.scenes):
            if scene.opaque:
                start = i
        for scene in self.scenes[start:]:
            scene.draw(surf)
