"""Dilemmas, driven through posted events: an event with options is put to the player's state
on a card, a click chooses an option, and ending the month applies it in the engine; left
unanswered it stands. The honour-or-decline card previews what each answer risks and costs, as
the engine reads it."""

import numpy as np
import pygame

from game.engine.commitments import update_credibility
from game.play.session import Session

from .conftest import settle


def start_play(app, scenario, player, seed):
    session = Session(scenario, scenario.params.actor_ids.index(player), seed)
    app.start_session(session)
    settle(app)
    return app.stack.top


def hold_until(ui, play, ready, limit=14):
    for _ in range(limit):
        if ready():
            return
        ui.key(pygame.K_RETURN, "\r")
        while ui.top is not play:  # an alert: go on
            ui.key(pygame.K_RETURN, "\r")
    raise AssertionError("not reached")


def test_seoul_chooses_lethal_aid_on_the_card_and_the_engine_applies_it(ui, app, scenario):
    p = scenario.params
    play = start_play(app, scenario, "KOR", 5)
    s = play.session
    card = play.panel("dilemmas")
    hold_until(ui, play, lambda: bool(s.dilemmas()))
    (d,) = s.dilemmas()
    dl = p.dilemmas[d.index]
    assert dl.id == "rok_lethal_aid" and len(d.labels) == 3
    # Beside each option, the engine's odds that the AI would take it for Seoul this month.
    from game.engine.context import Context
    from game.engine.dilemmas import choice_odds
    from game.ui.panels.dilemmas import ai_share

    want = choice_odds(p, s.state, d.index, np.arange(1), Context(p, s.state).treaty_active())
    np.testing.assert_allclose(d.ai_odds, want[0])
    assert abs(sum(d.ai_odds) - 1.0) < 1e-9 and min(d.ai_odds) > 0.05
    assert [ai_share(x) for x in (0.001, 0.234, 0.999)] == ["<1%", "23%", ">99%"]
    # Sending shells crosses Putin's warning: the card says whose line, how credible, and the
    # answer; the other options cross nothing.
    shells = d.labels.index("Send shells to Kyiv")
    assert "crosses Russia's red line: Putin's warning" in d.effects[shells]
    assert (
        "credibility" in d.effects[shells] and "its answer: Proxy arms supply" in d.effects[shells]
    )
    assert not any("red line" in d.effects[k] for k in range(3) if k != shells)
    ui.pump()
    assert card.visible() and len(card.buttons) == 3
    # Unanswered, the month ends, nothing of it applies, and it is asked again.
    ui.key(pygame.K_RETURN, "\r")
    while ui.top is not play:
        ui.key(pygame.K_RETURN, "\r")
    assert all(int(s.state.event_count[0, e]) == 0 for e in dl.events)
    assert [x.index for x in s.dilemmas()] == [d.index]
    ui.pump()
    lethal = dl.labels.index("Send shells to Kyiv")
    rect = next(r for r, di, k in card.buttons if di == d.index and k == lethal)
    ui.click(rect.center)
    assert play.choices == {d.index: lethal}
    ukr, rus, kor = (p.actor_ids.index(x) for x in ("UKR", "RUS", "KOR"))
    tension = float(s.tension[kor, rus])
    ui.click(play.panel("end").button.center)
    counts = [int(s.state.event_count[0, e]) for e in dl.events]
    assert counts == [1 if k == lethal else 0 for k in range(3)]
    assert not s.dilemmas() and play.choices == {}
    heads = [ev.get("headline") for ev in s.history[-1].events if ev["kind"] == "event"]
    assert "Seoul sends artillery shells to Ukraine" in heads
    assert float(s.tension[kor, rus]) > tension  # Moscow takes it badly (+15 before drift)
    assert ukr != kor


def test_the_honour_or_decline_card_previews_risk_and_cost_from_the_engine(ui, app, scenario):
    p = scenario.params
    play = start_play(app, scenario, "PRK", 7)
    s = play.session
    hold_until(ui, play, lambda: bool(s.decisions()))
    (d,) = s.decisions()
    com = p.commit
    assert p.rung_names[com.response[d.commitment]] in d.risk
    # The cost to the other pledges is the engine's rule applied to this state.
    cred = s.state.cred.copy()
    update_credibility(com, cred, np.array([0]), np.array([d.commitment]), np.array([False]))
    others = [m for m in range(com.n) if m != d.commitment and cred[0, m] < s.state.cred[0, m]]
    assert others
    for m in others:
        assert f"{com.names[m]} {s.state.cred[0, m]:.0%}\u2192{cred[0, m]:.0%}" in d.standing
    ui.pump()
    lines = " ".join(" ".join(b[2] + b[3]) for b in play.panel("decisions")._blocks(480))
    assert "Risk:" in lines and "Its other pledges:" in lines
    # Decline through the window: the engine lowers the other pledges as previewed (then the
    # month's own drift moves them a little).
    ui.key(pygame.K_n, "n")
    ui.key(pygame.K_RETURN, "\r")
    for m in others:
        assert float(s.state.cred[0, m]) < float(cred[0, m]) + 0.05


def test_the_default_scenario_has_dilemmas_from_the_record(scenario):
    p = scenario.params
    ids = {d.id for d in p.dilemmas}
    assert {"rok_lethal_aid", "rus_missile_tech", "chn_stand_by", "jpn_us_missiles"} <= ids
    assert "usa_troops_korea" in ids
    model = {d.id: d for d in scenario.model.dilemmas}
    for d in p.dilemmas:
        assert len(d.events) >= 2 and len(d.labels) == len(d.events)
        assert "article" in model[d.id].source or "facts" in model[d.id].source


def test_the_card_covers_the_ladder_whole_where_it_cannot_stand_beside_it(ui, app, scenario):
    """In the smallest window the card cannot stand right of the ladder: it covers the
    ladder's column whole (it left a sliver of the ladder's labels at its left)."""
    play = start_play(app, scenario, "KOR", 5)
    size = (960, 600)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
    ui.pump()
    s = play.session
    hold_until(ui, play, lambda: bool(s.dilemmas()))
    ui.pump()
    card, ladder = play.panel("dilemmas").rect, play.panel("ladder").rect
    assert card.x <= ladder.x or card.x >= ladder.right
    assert card.right <= play.rects["map"].right
