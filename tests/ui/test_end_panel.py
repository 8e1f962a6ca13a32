"""The end-turn panel says how to answer each kind of open question: Y and N answer a pledge,
a dilemma is chosen on its card."""

from types import SimpleNamespace

import pygame

from game.play.session import Session
from game.ui.panels import end

from .conftest import settle


def _summary(app, monkeypatch, pledges: int, dilemmas: int) -> str:
    play = app.stack.top
    monkeypatch.setattr(play, "decisions", lambda: [SimpleNamespace(k=k) for k in range(pledges)])
    monkeypatch.setattr(play, "answer_of", lambda d: None)
    monkeypatch.setattr(
        play, "dilemmas", lambda: [SimpleNamespace(index=k) for k in range(dilemmas)]
    )
    play.choices = {}
    drawn = []
    real = end.theme.text
    monkeypatch.setattr(
        end.theme, "text", lambda img, s, *a, **k: drawn.append(s) or real(img, s, *a, **k)
    )
    panel = play.panel("end")
    panel.paint(pygame.Surface(panel.rect.size, pygame.SRCALPHA), panel.rect)
    return next(s for s in drawn if "unanswered" in s)


def test_each_open_question_is_told_how_it_is_answered(app, scenario, monkeypatch):
    app.start_session(Session(scenario, scenario.params.actor_ids.index("KOR"), 2))
    settle(app)
    both = _summary(app, monkeypatch, 1, 1)
    assert both == "2 decisions unanswered: Y honour, N decline \u00b7 choose on the card"
    assert _summary(app, monkeypatch, 0, 1) == "1 decision unanswered: choose on the card"
    assert _summary(app, monkeypatch, 2, 0) == "2 decisions unanswered: Y honour, N decline"
