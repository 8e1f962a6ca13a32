"""Moments with weight, driven through posted events: the first armed clash stops the month
with an alert that shows the chain of causes, and general nuclear war ends the game with its
own ending and a disaster for the player's state."""

import pygame

from game.play.moments import moments
from game.play.session import Session
from game.ui.play import PlayScene
from game.ui.scenes.alert import AlertScene
from game.ui.scenes.end import EndScene

from .conftest import settle


def start_play(app, scenario, player, seed):
    session = Session(scenario, scenario.params.actor_ids.index(player), seed)
    app.start_session(session)
    settle(app)
    return app.stack.top


def test_the_first_armed_clash_stops_the_month_with_its_chain_of_causes(ui, app, scenario):
    p = scenario.params
    play = start_play(app, scenario, "KOR", 8)
    s = play.session
    clash = list(p.thresholds).index("armed_clash")
    while isinstance(ui.top, PlayScene) and s.turn < 12:
        ui.key(pygame.K_RETURN)
    alert = ui.top
    assert isinstance(alert, AlertScene)
    m = alert.moment
    assert m.kind == "armed_clash" and int(s.state.first_cross[0, clash]) == m.turn
    assert m.turn == s.turn - 1 and set(m.pair) <= set(p.actor_ids)
    assert m.chain and m.chain[-1][0] == m.turn  # the chain runs up to the moment's month
    assert [t for t, _ in m.chain] == sorted(t for t, _ in m.chain)
    turn = s.turn
    ui.key(pygame.K_RETURN)  # Continue: back to the map, the month is not played again
    assert ui.top is play and s.turn == turn
    # It is the first clash: later months with clashes do not stop again for it.
    for _ in range(3):
        if s.over or not isinstance(ui.top, PlayScene):
            break
        ui.key(pygame.K_RETURN)
        assert all(x.kind != "armed_clash" for x in moments(s, s.last_month()))


def test_general_nuclear_war_ends_the_game_with_its_own_ending(ui, app, scenario):
    p = scenario.params
    play = start_play(app, scenario, "RUS", 3)
    s = play.session
    rus, usa = p.actor_ids.index("RUS"), p.actor_ids.index("USA")
    st = s.state
    rung, tension = st.rung.copy(), st.tension.copy()
    rung[0, rus, usa] = rung[0, usa, rus] = p.rung_ids.index("limited_nuclear")
    tension[0, rus, usa] = tension[0, usa, rus] = 100.0
    st.rung, st.tension = rung, tension
    s.version += 1
    play.set_target(usa)
    play.order = (p.action_ids.index("general_nuclear"), usa)
    assert play.order_option().action == p.action_ids.index("general_nuclear")
    ui.click(play.panel("end").button.center)
    alert = ui.top
    assert isinstance(alert, AlertScene) and len(alert.moments) == 1
    assert alert.moment.kind == "general_nuclear_war" and alert.moment.ending
    assert s.over and bool(s.state.done[0])
    assert s.verdict() == "Disaster"
    assert s.verdict(p.actor_ids.index("MNG")) == "Disaster"  # no state wins it
    ui.key(pygame.K_RETURN)
    assert isinstance(ui.top, EndScene)
