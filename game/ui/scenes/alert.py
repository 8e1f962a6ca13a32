"""A moment with weight over the map: the first armed clash, war, nuclear alert or nuclear
use (``game.play.moments``) stops the month with a screen that names it and shows the chain of
causes that led to it; general nuclear war ends the game. Enter, Space, Esc or the button go on
(to the next moment of the month, then the map or the results)."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.scenes.common import OverlayScene, centred_card, veil
from game.ui.widgets import Button, event_pos, is_click, is_key

SEVERITY = {
    "armed_clash": ("FIRST ARMED CLASH", (236, 150, 64)),
    "war": ("WAR", (232, 88, 58)),
    "nuclear_alert": ("NUCLEAR ALERT", (214, 96, 200)),
    "nuclear_use": ("NUCLEAR USE", (255, 70, 90)),
    "general_nuclear_war": ("GENERAL NUCLEAR WAR", (255, 40, 40)),
}


class AlertScene(OverlayScene):
    def __init__(self, app, play, moments: list, then_end: bool = False) -> None:
        super().__init__(app)
        self.play = play
        self.moments = list(moments)
        self.index = 0
        self.then_end = then_end
        self.go = Button("Continue", self.next, hint="Enter", primary=True)
        self.hot = False

    @property
    def moment(self):
        return self.moments[self.index]

    def next(self) -> None:
        """The next moment of the month, or back to the map (or on to the results)."""
        if self.index + 1 < len(self.moments):
            self.index += 1
            return
        self.app.pop_scene(self)
        if self.then_end:
            self.app.open("end", self.play)

    def layout(self, size) -> None:
        self.card = centred_card(size, 640, 440)
        self.go.rect = pygame.Rect(self.card.right - 200, self.card.bottom - 58, 176, 40)

    def handle(self, ev) -> bool:
        if ev.type == pygame.MOUSEMOTION:
            pos = event_pos(ev)
            self.hot = bool(pos and self.go.rect.collidepoint(pos))
        elif is_key(ev, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE, pygame.K_ESCAPE):
            self.next()
        elif is_click(ev):
            pos = event_pos(ev)
            if pos and self.go.rect.collidepoint(pos):
                self.next()
        return True

    def lines(self) -> list[tuple[str, str]]:
        """(month, headline) of the chain of causes, oldest first."""
        p = self.play.params
        return [(theme.month_name(*p.turn_date(t)), text) for t, text in self.moment.chain]

    def draw(self, surf) -> None:
        m, p = self.moment, self.play.params
        title, col = SEVERITY.get(m.kind, (m.title.upper(), theme.BAD))
        veil(surf, 190)
        c = self.card
        theme.card(surf, c, 250)
        pygame.draw.rect(
            surf, col, (c.x, c.y, c.w, 6), border_top_left_radius=6, border_top_right_radius=6
        )
        x, y = c.x + 28, c.y + 24
        when = theme.month_name(*p.turn_date(m.turn))
        theme.heading(surf, when.upper(), (x, y), 11, theme.INK_FAINT)
        if len(self.moments) > 1:
            theme.text(
                surf,
                f"{self.index + 1} of {len(self.moments)}",
                (c.right - 24, y),
                11,
                theme.INK_FAINT,
                anchor="topright",
            )
        y += 20
        theme.text(surf, title, (x, y), 30, col, True, max_width=c.w - 56)
        y += 44
        names = [p.actor_names[p.actor_ids.index(a)] for a in m.pair if a in p.actor_ids]
        who = " and ".join(names) if names else ""
        sub = f"{who}: {m.title.lower()}" if who else m.title
        if m.ending:
            sub = f"{who}: the game ends here"
        elif m.involves_player:
            sub += " \u2014 your state is in it"
        theme.text(surf, sub, (x, y), 15, theme.INK, True, max_width=c.w - 56)
        y += 34
        theme.heading(surf, "HOW IT CAME TO THIS", (x, y), 10, theme.INK_FAINT)
        y += 20
        rows = self.lines()[-9:]
        room = self.go.rect.y - 14
        for k, (month, text) in enumerate(rows):
            if y + 18 > room:
                break
            last = k == len(rows) - 1
            theme.text(surf, month, (x, y), 11, theme.INK_FAINT, max_width=86)
            pygame.draw.circle(surf, col if last else theme.INK_DIM, (x + 98, y + 8), 3)
            if not last:
                pygame.draw.line(surf, theme.RULE, (x + 98, y + 12), (x + 98, y + 24))
            theme.text(
                surf,
                text,
                (x + 110, y),
                13,
                theme.INK if last else theme.INK_DIM,
                last,
                max_width=c.right - 28 - x - 110,
            )
            y += 22
        if not rows:
            theme.text(surf, "It came without warning.", (x, y), 13, theme.INK_DIM)
        self.go.label = (
            "See the end"
            if m.ending or (self.then_end and self.index + 1 == len(self.moments))
            else "Continue"
        )
        self.go.draw(surf, self.hot)
