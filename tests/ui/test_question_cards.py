"""A pledge's decision and a dilemma asked in one month, in the smallest window: the cards do
not cover each other's buttons, and the forecast asked for shows over them."""

import pygame

from game.play.session import Session
from game.scenario import load_scenario
from tests.conftest import ROOT

from .conftest import settle


def test_one_question_card_at_a_time_where_both_do_not_fit(ui, app):
    sc = load_scenario(ROOT / "scenarios" / "peninsula-clash.toml")
    app.start_session(Session(sc, sc.params.actor_ids.index("USA"), 2))
    settle(app)
    play = app.stack.top
    for _ in range(2):  # two months with the standing order; alerts closed as they come
        play.end_turn()
        while app.stack.top is not play:
            app.pop_scene()
        settle(app)
    assert play.decisions() and play.dilemmas()
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=960, h=600, size=(960, 600)))
    ui.pump()
    settle(app)
    pledge, dilemma = play.panel("decisions"), play.panel("dilemmas")
    assert pledge.visible() and pledge.buttons
    if dilemma.visible():  # where both fit, they stand apart
        top = dilemma.rect.bottom - dilemma.height
        assert all(r.bottom <= top for r, _, _ in pledge.buttons)
    # Once the pledges are answered (Y), the dilemma's card stands, whatever the room.
    for _ in play.decisions():
        ui.key(pygame.K_y, "y")
    settle(app)
    assert all(play.answer_of(d) is not None for d in play.decisions())
    assert dilemma.visible() and dilemma.buttons
    order = [p.name for p in play.panels]
    assert order.index("forecast") > order.index("dilemmas") > order.index("decisions")
