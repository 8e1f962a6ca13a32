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


def test_the_thresholds_say_which_pairs_count(app, scenario, monkeypatch):
    """A lower threshold can be first crossed after a higher one (pairs that stood at it from
    the start do not count): the list says which pairs count, in the engine's words."""
    from game.engine.outcome import CROSSING_RULE

    app.start_session(Session(scenario, scenario.params.actor_ids.index("KOR"), 4))
    settle(app)
    scene = EndScene(app, app.stack.top)
    scene.layout(app.size)
    drawn = []
    real = end.theme.text
    monkeypatch.setattr(
        end.theme, "text", lambda surf, s, *a, **k: drawn.append(s) or real(surf, s, *a, **k)
    )
    scene.draw(pygame.Surface(app.size, pygame.SRCALPHA))
    said = " ".join(s for s in drawn if s.startswith("by ") or s in CROSSING_RULE)
    assert " ".join(said.split()) == f"by {CROSSING_RULE}", drawn


def test_the_goals_on_the_end_screen_have_room_for_their_names(app, scenario, monkeypatch):
    """The names of South Korea's goals were cut to ten letters ("Distance fr..."); those that
    fit the wider column now stand whole."""
    app.start_session(Session(scenario, scenario.params.actor_ids.index("KOR"), 4))
    settle(app)
    play = app.stack.top
    scene = EndScene(app, play)
    scene.layout(app.size)
    room = {}
    real = end.theme.text

    def text(surf, s, *a, max_width=None, **k):
        room[s] = max_width
        return real(surf, s, *a, max_width=max_width, **k)

    monkeypatch.setattr(end.theme, "text", text)
    scene.draw(pygame.Surface(app.size, pygame.SRCALPHA))
    names = [name for name, _, _ in play.panel("card").rows()[:4]]
    fits = [n for n in names if end.theme.text_width(n, 12) <= room[n]]
    assert len(fits) >= 3, {n: (end.theme.text_width(n, 12), room[n]) for n in names}
