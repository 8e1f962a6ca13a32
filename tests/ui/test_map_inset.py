"""The Ukraine inset is drawn only for a scenario with something in it."""

from game.play.session import Session
from game.scenario import load_scenario
from game.ui.mapview import wants_inset
from tests.conftest import ROOT

from .conftest import settle

MINI = ROOT / "tests" / "scenario" / "data" / "mini.toml"


def test_the_inset_follows_what_the_scenario_has_there():
    assert wants_inset(["RUS", "PRK", "UKR"], off_map_theatre=False)  # Kyiv lies in it
    assert not wants_inset(["RUS", "JPN", "USA"], off_map_theatre=False)  # Russia has Vladivostok
    assert wants_inset(["RUS", "JPN"], off_map_theatre=True)  # a fight off the main map


def _map(app, path, player):
    sc = load_scenario(path)
    app.start_session(Session(sc, sc.params.actor_ids.index(player), 3))
    settle(app)
    return app.stack.top.map


def test_a_scenario_without_ukraine_has_no_inset_and_the_article_has_one(app):
    mini = _map(app, MINI, "KOR")
    assert "UKR" not in load_scenario(MINI).params.actor_ids
    assert not mini.show_inset and mini.inset_rect is None
    assert _map(app, ROOT / "scenarios" / "treaty-2024.toml", "KOR").inset_rect is not None


def test_a_low_map_keeps_the_ladder_readable_and_drops_the_inset(ui, app):
    """In a wide, low window the inset took the height the ladder needs, whose rows were
    squeezed into each other: the ladder keeps readable rows, and the inset goes."""
    import pygame

    from game.ui.panels.ladder import MIN_ROW

    play_map = _map(app, ROOT / "scenarios" / "treaty-2024.toml", "KOR")
    play = app.stack.top
    assert play_map.inset_rect is not None  # at 1280x800 there is room for both
    for size in ((1920, 600), (960, 600)):
        pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
        ui.pump()
        assert app.size == size and play_map.inset_rect is None
        ladder = play.panel("ladder")
        _, row = ladder._rows(ladder.rect.inflate(-6, -6))
        assert row >= MIN_ROW, (size, row)
