"""The forecast card says how many months its futures play: twelve, or fewer near the end."""

import pygame

from game.play.session import Session
from game.scenario import load_scenario
from game.ui.panels import forecast as card

from .conftest import settle


def test_the_card_names_the_months_its_futures_play(ui, app, scenario, monkeypatch):
    short = load_scenario(scenario.path, {"scenario.turns": 4})
    app.start_session(Session(short, short.params.actor_ids.index("KOR"), 3))
    settle(app)
    headings = []
    real = card.theme.heading
    monkeypatch.setattr(
        card.theme,
        "heading",
        lambda img, text, *a, **k: headings.append(text) or real(img, text, *a, **k),
    )
    ui.key(pygame.K_f, "f")
    settle(app)
    assert app.stack.top.show_forecast
    shown = [h for h in headings if h.startswith("FORECAST")]
    assert shown and set(shown) == {"FORECAST \u00b7 NEXT 4 MONTHS"}, headings
