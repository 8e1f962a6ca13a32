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


def test_every_goal_of_the_state_is_on_the_card_above_its_numbers(app, scenario, monkeypatch):
    """South Korea has five goals: the card grows a row for the fifth (it showed four), its
    numbers follow below, and the orders start under it."""
    kor = scenario.params.actor_ids.index("KOR")
    goals = [g for g in scenario.params.goals if g.actor == kor]
    assert len(goals) == 5
    app.start_session(Session(scenario, kor, 5))
    settle(app)
    play = app.stack.top
    panel = play.panel("card")
    drawn = {}

    def text(surf, s, pos, *args, **kw):
        drawn.setdefault(s, pos)
        return real(surf, s, pos, *args, **kw)

    real = theme.text
    monkeypatch.setattr(card.theme, "text", text)
    panel.paint(pygame.Surface(panel.rect.size, pygame.SRCALPHA), panel.rect)
    names = [name for name, _, _ in panel.rows()]
    assert len(names) == 5 and all(n in drawn for n in names)
    lowest = max(drawn[n][1] for n in names)
    assert drawn["Military"][1] > lowest + 20  # the numbers below the last row of goals
    assert panel.rect.h == card.card_height(5) > card.CARD_H
    assert play.panel("orders").rect.y >= panel.rect.bottom
    # A goal of the third row has its tip.
    tip = panel.hover((panel.rect.x + 20, panel.rect.y + 72 + 2 * card.TIGHT_GOAL_ROW_H + 5))
    assert tip and tip[0][0] in {g.name for g in goals}
