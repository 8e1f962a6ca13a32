"""What every panel of the map screen is: a rectangle, the events it takes, its drawing, and a
declared statement of what its drawing depends on.

A panel paints onto a surface of its own that is kept between frames. ``inputs()`` is the one
place that says what that picture is drawn from besides the game (which the key always holds:
the session and its version): the interface state it reads, such as the hovered row or the
chosen target. The picture is painted again exactly when that key changes, so a panel's cache
goes stale only if its painter reads something its ``inputs()`` does not name; keep the two
side by side.
"""

from __future__ import annotations

import pygame

from game.ui import theme

Tip = list[tuple[str, tuple, bool]]  # tooltip lines: text, colour, bold


class Panel:
    name = "panel"  # its key in PlayScene.rects and PlayScene.panel()
    alpha = False  # painted on a transparent surface (cards over the map) or on the panel colour
    over_map = False  # a card drawn over the map: the map neither zooms nor clicks under it

    def __init__(self, play) -> None:
        self.play = play
        self.session = play.session
        self.params = play.params
        self.colours = play.colours
        self.blocs = play.blocs
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.frame: dict[str, pygame.Rect] = {}  # the screen's regions it was laid out in
        self._key = None
        self._img: pygame.Surface | None = None
        self.paints = 0  # how many times the picture was painted (the cache's misses)

    # ----------------------------------------------------------------- layout
    def place(self, frame: dict[str, pygame.Rect]) -> pygame.Rect:
        """The panel's rectangle in the window, from the screen's regions (``frame``)."""
        return frame[self.name]

    def layout(self, frame: dict[str, pygame.Rect]) -> None:
        self.frame = frame
        self.rect = pygame.Rect(self.place(frame))
        self._key = None

    # ------------------------------------------------------------------ input
    def visible(self) -> bool:
        return True

    def contains(self, pos) -> bool:
        """Under the pointer: events at ``pos`` stop at this panel."""
        return self.visible() and self.rect.collidepoint(pos)

    def hover(self, pos) -> Tip:
        """The pointer is over this panel: note what is under it; the tooltip to show."""
        return []

    def leave(self) -> None:
        """The pointer is elsewhere: forget what was under it."""

    def press(self, pos) -> None:
        """The left button went down at ``pos`` on this panel."""

    def wheel(self, pos, dy: int) -> None:
        """The wheel turned by ``dy`` notches with the pointer over this panel."""

    def key(self, ev, ch: str, mods: int) -> bool:
        """A key the scene did not take; True if this panel used it."""
        return False

    def update(self, dt: float) -> None:
        """Background work between frames."""

    # ---------------------------------------------------------------- drawing
    def inputs(self) -> tuple:
        """Everything besides the game that the painted picture depends on."""
        return ()

    def cache_key(self) -> tuple:
        s = self.session
        return (self.rect.size, id(s), s.version, self.inputs())

    def paint(self, img: pygame.Surface, rect: pygame.Rect) -> None:
        """Paint the panel's picture; ``rect`` is the picture's own rectangle (at 0, 0)."""

    def painted(self) -> bool:
        """The panel has its picture (it may be painted over a few frames at first)."""
        return self._img is not None

    def draw(self, surf: pygame.Surface) -> None:
        key = self.cache_key()
        if self._img is None and not self.play.may_paint_first():
            # The window's first frames share the panels' first paintings: this one is
            # painted in a coming frame, its place kept empty meanwhile.
            if not self.alpha:
                surf.fill(theme.PANEL, self.rect)
            return
        if self._img is None or key != self._key:
            img = pygame.Surface(self.rect.size, pygame.SRCALPHA if self.alpha else 0)
            if not self.alpha:
                img.fill(theme.PANEL)
            self.paint(img, pygame.Rect((0, 0), self.rect.size))
            self._img, self._key = img, key
            self.paints += 1
        surf.blit(self._img, self.rect.topleft)

    def local(self, rect: pygame.Rect) -> pygame.Rect:
        """A window rectangle in the coordinates of the panel's picture."""
        return rect.move(-self.rect.x, -self.rect.y)


class FoldingCard(Panel):
    """A card over the map that folds to its heading: a click on the heading or its key
    (``fold_key``) folds it or opens it again, and the map under it is free meanwhile."""

    alpha = True
    over_map = True
    head_h = 32  # the folded card's height: its heading only
    fold_key = 0

    def __init__(self, play) -> None:
        super().__init__(play)
        self.folded = False
        self.chosen = False  # folded or opened by the player (else the card may choose)

    def toggle(self) -> None:
        self.folded = not self.folded
        self.chosen = True
        self.layout(self.frame)  # only this card moves: the others keep their pictures
        self.play.rects[self.name] = self.rect

    def press(self, pos) -> None:
        if pos[1] < self.rect.y + self.head_h:
            self.toggle()

    def key(self, ev, ch, mods) -> bool:
        if (
            getattr(ev, "type", None) == pygame.KEYDOWN
            and getattr(ev, "key", None) == self.fold_key
        ):
            self.toggle()
            return True
        return False
