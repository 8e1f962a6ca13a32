"""The player card names each goal in its column's whole width: the standing and the weight
end the bar's line, so a name that fits the column is drawn whole."""

import pygame

from game.play.session import Session
from game.ui import theme
from game.ui.panels import card

from .conftest import settle


def test_goal_names_that_fit_their_column_are_drawn_whole(app, scenario, monkeypatch):
    session = Session(scenario, scenario.params.actor_ids.index("USA"), 5)
    app.start_session(session)
    settle(app)
    panel = app.stack.top.panel("card")
    drawn = []

    def text(surf, s, pos, size=13, *args, max_width=None, **kw):
        drawn.append((s, size, max_width))
        return real(surf, s, pos, size, *args, max_width=max_width, **kw)

    real = theme.text
    monkeypatch.setattr(card.theme, "text", text)
    rect = panel.rect
    panel.paint(pygame.Surface(rect.size, pygame.SRCALPHA), rect)
    names = [name for name, _, _ in panel.rows()[:4]]
    assert len(names) >= 3
    for name in names:
        (width,) = [w for s, size, w in drawn if s == name and size == 11]
        # The column is wide enough for these names; before, the weight took a part of it.
        assert theme.text_width(name, 11) <= width, (name, width)
