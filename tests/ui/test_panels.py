"""The map screen's panels: each cached picture is painted again exactly when one of the
inputs it declares changes, and is then the picture a fresh paint gives (so no painter reads
interface state its ``inputs()`` leaves out); and every module of the window is short."""

from pathlib import Path

import pygame

import game.ui
from game.play.session import Session
from game.ui.panels.base import Panel

from .conftest import settle

LIMIT = 500


def test_every_ui_module_is_under_500_lines():
    root = Path(game.ui.__file__).parent
    sizes = {
        str(f.relative_to(root)): len(f.read_text(encoding="utf-8").splitlines())
        for f in root.rglob("*.py")
    }
    assert "play.py" in sizes and "panels/orders.py" in sizes
    assert {f: n for f, n in sizes.items() if n >= LIMIT} == {}


def _cached(play) -> list[Panel]:
    """The panels drawn from a cached picture (the map draws from the map's own caches)."""
    return [p for p in play.panels if p.name != "map" and p.visible()]


def _fresh(panel) -> pygame.Surface:
    img = pygame.Surface(panel.rect.size, pygame.SRCALPHA if panel.alpha else 0)
    if not panel.alpha:
        from game.ui import theme

        img.fill(theme.PANEL)
    panel.paint(img, pygame.Rect((0, 0), panel.rect.size))
    return img


def _same(a: pygame.Surface, b: pygame.Surface) -> bool:
    return a.get_size() == b.get_size() and bytes(a.get_view("2")) == bytes(b.get_view("2"))


def _exercise(app, play, steps) -> set[tuple[str, int]]:
    """Make each change, draw a frame, and check every cached panel after it; the (panel,
    input) pairs the changes moved."""
    session = play.session
    exercised: set[tuple[str, int]] = set()

    def step(change) -> None:
        before = {p.name: (p.inputs(), p.paints) for p in play.panels}
        version = session.version
        change()
        app.frame(1 / 60)
        for p in _cached(play):
            inputs, paints = before[p.name]
            moved = {k for k, (x, y) in enumerate(zip(inputs, p.inputs())) if x != y}
            exercised.update((p.name, k) for k in moved)
            again = bool(moved) or session.version != version
            assert p.paints - paints == int(again), (p.name, moved)
            assert _same(p._img, _fresh(p)), f"{p.name}: the cached picture is stale"

    for change in steps:
        step(change)
    return exercised


def test_a_panel_is_painted_again_when_any_of_its_inputs_changes(app, scenario):
    # A seed no other test plays: the AI baseline is made while this game is played.
    session = Session(scenario, scenario.params.actor_ids.index("KOR"), 91_205)
    play = app.start_session(session)
    for _ in range(3):
        play.end_turn()
    settle(app)
    orders, end, top = play.panel("orders"), play.panel("end"), play.panel("top")
    news, timeline = play.panel("news"), play.panel("timeline")
    others = [a for a in range(session.params.n_actors) if a not in (session.player, play.target)]
    open_action = next(o for o in play.options() if o.open and o.action >= 0)
    steps = [
        lambda: setattr(orders, "hover_chip", others[0]),
        lambda: setattr(orders, "hover_row", 2),
        lambda: orders.scroll_list(2),
        lambda: play.set_target(others[1]),
        lambda: setattr(play, "order", (open_action.action, play.target)),
        lambda: setattr(end, "hot", True),
        lambda: setattr(top, "hover_button", "help"),
        lambda: setattr(timeline, "hover_month", 1),
        lambda: play.show_month(0),
        lambda: news.scroll_by(1),
        lambda: setattr(play, "selected", others[2]),
        play.panel("ladder").toggle,
        play.panel("legend").toggle,
        play.toggle_forecast,
        lambda: play.forecast.advance(0.001),
        lambda: play.forecast.run(),  # to its end, wherever it is played
        lambda: app.baseline(session, wait=True),  # the score's placeholder gives way
        play.end_turn,
    ]
    exercised = _exercise(app, play, steps)
    assert not play.show_forecast and session.turn == 4
    # A game where the player is asked a decision: North Korea when Russia is attacked.
    session = Session(scenario, scenario.params.actor_ids.index("PRK"), 7)
    play = app.start_session(session)
    for _ in range(12):
        if session.decisions():
            break
        play.end_turn()
    assert session.decisions(), "North Korea is asked to honour its pledge to Russia"
    settle(app)
    dialog = play.panel("decisions")
    d = session.decisions()[0]
    key = (d.commitment, d.against)
    steps = [
        lambda: setattr(dialog, "hot", (key, True)),
        lambda: play.answer(key, False),
        lambda: play.answer(key, True),
        lambda: setattr(dialog, "hot", None),
    ]
    exercised |= _exercise(app, play, steps)
    # A game where the player is put a dilemma: South Korea on lethal arms for Kyiv.
    session = Session(scenario, scenario.params.actor_ids.index("KOR"), 5)
    play = app.start_session(session)
    for _ in range(12):
        if session.dilemmas():
            break
        play.end_turn()
        while app.stack.top is not play:
            app.pop_scene()
    assert session.dilemmas(), "South Korea is put the lethal-aid dilemma"
    settle(app)
    card = play.panel("dilemmas")
    d = session.dilemmas()[0].index
    steps = [
        lambda: setattr(card, "hot", (d, 0)),
        lambda: play.choose(d, 1),
        lambda: setattr(card, "hot", None),
    ]
    exercised |= _exercise(app, play, steps)
    declared = {(p.name, k) for p in play.panels for k in range(len(p.inputs()))}
    assert declared - exercised == set(), "every declared input was changed once"


def test_the_first_pictures_are_painted_over_a_few_frames_each_once(app, scenario):
    session = Session(scenario, scenario.params.actor_ids.index("JPN"), 2)
    play = app.start_session(session)
    app.baseline(session, wait=True)  # the score's picture is not painted again for it
    app.frame(1 / 60)
    assert not play.drawn()  # the map and most panels come in the next frames
    settle(app)
    assert [p.paints for p in _cached(play)] == [1] * len(_cached(play))
    assert play.map.rebuild_count == 1


def test_drawing_a_frame_without_changes_paints_nothing(app, scenario):
    session = Session(scenario, scenario.params.actor_ids.index("JPN"), 2)
    play = app.start_session(session)
    app.baseline(session, wait=True)
    settle(app)
    paints = [p.paints for p in play.panels]
    for _ in range(3):
        app.frame(1 / 60)
    assert [p.paints for p in play.panels] == paints
    assert [p.paints for p in _cached(play)] == [1] * len(_cached(play))


def test_the_news_scrolls_with_the_wheel_and_stops_at_its_last_headline(ui, app, scenario):
    session = Session(scenario, scenario.params.actor_ids.index("KOR"), 5)
    play = app.start_session(session)
    for _ in range(3):
        play.end_turn()
    news = play.panel("news")
    n = len(news.items()[1])
    assert n > 3, "a month of this crisis has several headlines"
    ui.move(news.rect.center)
    ui.wheel(-2)
    assert news.scroll == 2
    for _ in range(n):
        ui.wheel(-3)
    assert news.scroll == n - 1
    ui.wheel(1)
    assert news.scroll == n - 2
    ui.key(pygame.K_HOME)
    assert news.scroll == 0 and play.view_turn is None
