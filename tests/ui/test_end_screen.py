"""The end screen's outcome keeps to its column, clear of the escalation path beside it."""

import pygame

from game.play.session import Session
from game.ui.scenes import end
from game.ui.scenes.end import EndScene

from .conftest import settle


def test_a_long_outcome_name_keeps_to_its_column(app, scenario, monkeypatch):
    app.start_session(Session(scenario, scenario.params.actor_ids.index("KOR"), 4))
    settle(app)
    play = app.stack.top
    name = "Major war in Northeast Asia"
    monkeypatch.setattr(play.session, "outcome", lambda: (name, "A war between the powers."))
    scene = EndScene(app, play)
    scene.layout(app.size)
    placed = {}
    real = end.theme.text

    def text(surf, s, *a, **k):
        placed[s] = real(surf, s, *a, **k)
        return placed[s]

    monkeypatch.setattr(end.theme, "text", text)
    scene.draw(pygame.Surface(app.size, pygame.SRCALPHA))
    assert name in placed  # whole, not cut short
    assert placed[name].right <= scene.chart.x, (placed[name], scene.chart)
