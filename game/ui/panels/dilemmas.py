"""The dilemmas of the month, a card at the foot of the map: an event with options put to the
player's state (``Session.dilemmas``), with the question, each option with what it does (the
scenario's words and its effects) and how often the AI would take it for the player's state
(the engine's odds), and a button to choose it. The choice goes with the month's order; a
dilemma left unanswered stands and is asked again while it can be."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.panels.base import Panel
from game.ui.panels.ladder import beside_ladder

WIDTH = 560
# Beside each option, how often the AI would take it for the player's state this month.
AI_NOTE = "AI n%: how often the AI would choose it for you, weighing your goals, partners, risk"


def ai_share(p: float) -> str:
    """'24%', '<1%' or '>99%' for the AI's chance of taking an option."""
    if p < 0.005:
        return "<1%"
    if p > 0.995:
        return ">99%"
    return f"{round(100 * p)}%"


class Dilemmas(Panel):
    name = "dilemmas"
    alpha = True
    over_map = True

    def __init__(self, play) -> None:
        super().__init__(play)
        self.height = 0  # how far up the card reaches from the foot of its rectangle
        self.buttons: list[tuple[pygame.Rect, int, int]] = []  # window rect, dilemma, option
        self.hot: tuple[int, int] | None = None

    def place(self, frame):
        m = frame["map"]
        w = min(WIDTH, m.w - 20)
        h = max(min(300, m.h - 20), 60)
        return pygame.Rect(beside_ladder(m, w), m.bottom - h - 10, w, h)

    def asked(self) -> list:
        """The dilemma shown: the first one not chosen yet (or the first), alone."""
        ds = self.play.dilemmas()
        open_ = [d for d in ds if d.index not in self.play.choices]
        return (open_ or ds)[:1]

    def visible(self) -> bool:
        if self.session.over or not self.play.dilemmas():
            return False
        # A pledge's decision card above, reaching down to where this card would stand (a low
        # map): the pledge is answered first, and this card waits for the room till then.
        pledge = self.play.panel("decisions")
        if pledge.visible() and self.play.open_pledges():
            reach = pledge.rect.y + (pledge.height or pledge.rect.h)
            return self.rect.bottom - (self.height or self.rect.h) >= reach
        return True

    def contains(self, pos) -> bool:
        top = self.rect.bottom - self.height
        return self.visible() and self.rect.collidepoint(pos) and pos[1] >= top

    def _button_at(self, pos):
        return next(((d, k) for r, d, k in self.buttons if r.collidepoint(pos)), None)

    def hover(self, pos):
        self.hot = self._button_at(pos)
        return []

    def leave(self) -> None:
        self.hot = None

    def press(self, pos) -> None:
        hit = self._button_at(pos)
        if hit is not None:
            self.play.choose(*hit)

    def draw(self, surf) -> None:
        if self.visible():
            super().draw(surf)

    def inputs(self):
        return (tuple(sorted(self.play.choices.items())), self.hot)

    def paint(self, img, rect) -> None:
        shown = self.asked()
        self.buttons = []
        if not shown:
            self.height = 0
            return
        d = shown[0]
        w = rect.w - 40
        q = theme.wrap(d.question, 13, w, True, max_lines=3)
        # The buttons as wide as the longest option's name (bold, with its padding), up to
        # two fifths of the card; what each option does beside its button, whole.
        bw = int(min(max([188, *(theme.text_width(x, 12, True) + 24 for x in d.labels)]), w * 0.4))
        rows = []
        for k, label in enumerate(d.labels):
            what = " ".join(
                x for x in (d.says[k], f"({d.effects[k]})" if d.effects[k] else "") if x
            )
            what += f" \u00b7 AI {ai_share(d.ai_odds[k])}"
            rows.append((k, label, theme.wrap(what, 11, w - bw - 12, max_lines=6)))
        height = 30 + 17 * len(q) + 10 + sum(max(34, 14 * len(lines) + 8) for *_, lines in rows)
        height += 30
        self.height = min(height, rect.h)
        box = pygame.Rect(0, rect.h - self.height, rect.w, self.height).inflate(-6, -6)
        inner = theme.card(img, box, 245)
        pygame.draw.rect(img, theme.GOLD, box, 1, border_radius=6)
        count = len(self.play.dilemmas())
        title = "A DILEMMA" if count == 1 else f"DILEMMA 1 OF {count}"
        theme.heading(img, f"{title} \u00b7 {d.name.upper()}", (inner.x, inner.y), 11, theme.GOLD)
        y = inner.y + 20
        for line in q:
            theme.text(img, line, (inner.x, y), 13, theme.INK, True)
            y += 17
        y += 8
        chosen = self.play.choices.get(d.index)
        for k, label, lines in rows:
            r = pygame.Rect(inner.x, y, bw, 28)
            theme.button(
                img,
                r,
                label,
                hot=self.hot == (d.index, k),
                primary=chosen == k,
                size=12,
            )
            self.buttons.append((r.move(self.rect.topleft), d.index, k))
            ty = y + 2
            for line in lines:
                theme.text(img, line, (inner.x + bw + 12, ty), 11, theme.INK_DIM)
                ty += 14
            y += max(34, 14 * len(lines) + 8)
        theme.text(img, AI_NOTE, (inner.x, y), 10, theme.INK_FAINT)
        y += 14
        note = "Not chosen yet: asked again next month" if chosen is None else "Chosen"
        theme.text(img, note, (inner.x, y), 10, theme.WARN if chosen is None else theme.INK_FAINT)
