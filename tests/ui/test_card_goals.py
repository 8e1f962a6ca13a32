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


def test_the_heading_keeps_clear_of_the_estimating_placeholder(app, scenario, monkeypatch):
    """While the AI's futures are played the placeholder beside the score is wider than the
    verdict that replaces it: the line saying where the game is heading stops short of it."""
    app.start_session(Session(scenario, scenario.params.actor_ids.index("KOR"), 5))
    settle(app)
    play = app.stack.top
    play.baseline_known = False
    panel = play.panel("card")
    monkeypatch.setattr(panel, "heading", lambda: "Heading for: Major war in Northeast Asia (100%)")
    placed = {}

    def text(surf, s, *args, **kw):
        placed[s] = real(surf, s, *args, **kw)
        return placed[s]

    real = theme.text
    monkeypatch.setattr(card.theme, "text", text)
    panel.paint(pygame.Surface(panel.rect.size, pygame.SRCALPHA), panel.rect)
    heading = next(r for s, r in placed.items() if s.startswith(("If it ended", "Heading")))
    assert not heading.colliderect(placed[card.ESTIMATING])
