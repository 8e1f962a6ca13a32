"""The decisions of the month, a card over the middle of the map: each pledge of the player's
state that was triggered (an ally under armed attack, a red line crossed) asks honour or
decline, with what each does and the pledge's credibility now. The answers go with the month's
order; a decision left unanswered stays open and is asked again next month."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.panels.base import Panel
from game.ui.panels.ladder import beside_ladder

WIDTH = 520
TEXT_W = WIDTH - 40


class Decisions(Panel):
    name = "decisions"
    alpha = True
    over_map = True

    def __init__(self, play) -> None:
        super().__init__(play)
        self.height = 0  # how far down the card reaches, once painted
        self.buttons: list[tuple[pygame.Rect, tuple[int, int], bool]] = []  # window rects
        self.hot: tuple[tuple[int, int], bool] | None = None
        self.hidden = 0  # decisions that did not fit on the card

    def place(self, frame):
        m = frame["map"]
        w = min(WIDTH, m.w - 20)
        return pygame.Rect(beside_ladder(m, w), m.y + 60, w, max(m.h - 80, 60))

    def visible(self) -> bool:
        return not self.session.over and bool(self.play.decisions())

    def contains(self, pos) -> bool:
        return self.visible() and self.rect.collidepoint(pos) and pos[1] < self.rect.y + self.height

    def _button_at(self, pos):
        return next(((k, yes) for r, k, yes in self.buttons if r.collidepoint(pos)), None)

    def hover(self, pos):
        self.hot = self._button_at(pos)
        return []

    def leave(self) -> None:
        self.hot = None

    def press(self, pos) -> None:
        hit = self._button_at(pos)
        if hit is not None:
            self.play.answer(*hit)

    def key(self, ev, ch, mods) -> bool:
        """Y honours and N declines the first decision not yet answered."""
        if not self.visible() or ch.lower() not in ("y", "n"):
            return False
        open_ = [d for d in self.play.decisions() if self.play.answer_of(d) is None]
        if not open_:
            return False
        d = open_[0]
        self.play.answer((d.commitment, d.against), ch.lower() == "y")
        return True

    def draw(self, surf) -> None:
        if self.visible():
            super().draw(surf)

    def inputs(self):
        return (tuple(sorted(self.play.answers.items())), self.hot)

    def _blocks(self, w: int) -> list[tuple]:
        """Each decision as (decision, question lines, honour lines, decline lines, height)."""
        out = []
        # Open decisions first: those that did not fit come up as these are answered.
        order = sorted(self.play.decisions(), key=lambda d: self.play.answer_of(d) is not None)
        for d in order:
            q = theme.wrap(d.question, 13, w, True, max_lines=3)
            honour = f"Honour: {d.honour}"
            if d.risk:
                honour += f" Risk: {d.risk}."
            if d.cascade:
                honour += f" May set off: {d.cascade}."
            decline = f"Decline: {d.decline}"
            if d.standing:
                decline += f" Its other pledges: {d.standing}."
            h = theme.wrap(honour, 11, w, max_lines=5)
            n = theme.wrap(decline, 11, w, max_lines=4)
            height = 17 * len(q) + 20 + 14 * (len(h) + len(n)) + 8 + 34 + 14
            out.append((d, q, h, n, height))
        return out

    def paint(self, img, rect) -> None:
        inner_w = rect.w - 40
        blocks = self._blocks(inner_w)
        avail = rect.h - 60
        shown, used = [], 0
        for b in blocks:
            if shown and used + b[4] > avail:
                break
            shown.append(b)
            used += b[4]
        self.hidden = len(blocks) - len(shown)
        self.height = min(used + 56 + (16 if self.hidden else 0), rect.h)
        box = pygame.Rect(0, 0, rect.w, self.height).inflate(-6, -6)
        inner = theme.card(img, box, 245)
        pygame.draw.rect(img, theme.WARN, box, 1, border_radius=6)
        count = len(blocks)
        title = "A DECISION AWAITS YOU" if count == 1 else f"{count} DECISIONS AWAIT YOU"
        theme.heading(img, title, (inner.x, inner.y), 11, theme.WARN)
        theme.text(
            img,
            "Y honour \u00b7 N decline",
            (inner.right, inner.y),
            10,
            theme.INK_FAINT,
            anchor="topright",
        )
        y = inner.y + 22
        self.buttons = []
        for d, q, h, n, _ in shown:
            for line in q:
                theme.text(img, line, (inner.x, y), 13, theme.INK, True)
                y += 17
            cred = f"Credibility of this pledge now: {100 * d.credibility:.0f}%"
            theme.text(img, cred, (inner.x, y + 2), 11, theme.INFO)
            theme.bar(img, (inner.x + 230, y + 7, 120, 5), d.credibility, theme.INFO)
            y += 20
            for line in h:
                theme.text(img, line, (inner.x, y), 11, theme.INK_DIM)
                y += 14
            for line in n:
                theme.text(img, line, (inner.x, y), 11, theme.INK_DIM)
                y += 14
            y += 8
            key = (d.commitment, d.against)
            chosen = self.play.answers.get(key)
            for k, (label, yes, hint) in enumerate(
                (("Honour", True, "Y"), ("Decline", False, "N"))
            ):
                r = pygame.Rect(inner.x + k * 150, y, 140, 30)
                theme.button(
                    img,
                    r,
                    label,
                    hot=self.hot == (key, yes),
                    primary=chosen is yes,
                    hint=hint,
                    size=13,
                )
                self.buttons.append((r.move(self.rect.topleft), key, yes))
            state = (
                "Not answered yet"
                if chosen is None
                else ("You will honour it" if chosen else "You will decline it")
            )
            colour = theme.WARN if chosen is None else theme.INK
            theme.text(img, state, (inner.x + 310, y + 15), 11, colour, True, "midleft")
            y += 34 + 14
        if self.hidden:
            theme.text(
                img,
                f"and {self.hidden} more: they come up as these are answered",
                (inner.x, y - 8),
                11,
                theme.INK_FAINT,
            )
