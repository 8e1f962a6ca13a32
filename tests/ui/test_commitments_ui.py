"""The player's side of commitments, driven through the window: a triggered pledge of the
player's state is asked as a decision (honour or decline) before the month ends."""

import pygame

from game.play.session import Session

from .conftest import settle


def start_play(app, scenario, player, seed):
    session = Session(scenario, scenario.params.actor_ids.index(player), seed)
    app.start_session(session)
    settle(app)
    return app.stack.top


def play_until_decision(ui, play, limit=12):
    """End months with the standing order (hold) until a decision is asked of the player."""
    for _ in range(limit):
        if play.session.decisions():
            return
        ui.key(pygame.K_RETURN, "\r")
        assert ui.top is play
    raise AssertionError("no decision was asked")


def test_north_korea_is_asked_to_honour_the_pact_when_russia_is_attacked(ui, app, scenario):
    p = scenario.params
    play = start_play(app, scenario, "PRK", 7)
    dialog = play.panel("decisions")
    assert not dialog.visible()
    play_until_decision(ui, play)
    s = play.session
    # Russia is attacked from the December 2024 month on (Kursk).
    assert p.turn_date(s.turn) >= (2025, 1)
    (d,) = s.decisions()
    com = p.commit
    assert p.actor_names[com.party[d.commitment]] == "Russia" and com.by[d.commitment] == s.player
    assert dialog.visible() and dialog.paints >= 1
    ui.pump()
    assert play.unanswered() == 1
    # The card names what is asked and what each answer does, and offers both buttons.
    assert len(dialog.buttons) == 2 and {b[2] for b in dialog.buttons} == {True, False}
    key = (d.commitment, d.against)

    # Ending the month without an answer is allowed, said, and the decision is asked again.
    turn = s.turn
    ui.key(pygame.K_RETURN, "\r")
    assert s.turn == turn + 1 and app._toast is not None and "unanswered" in app._toast[0]
    again = [(x.commitment, x.against) for x in s.decisions()]
    assert key in again and dialog.visible()

    # N declines (the key answers the first open decision); a click on Honour changes the mind.
    ui.key(pygame.K_n, "n")
    assert play.answers == {key: False}
    ui.pump()
    honour = next(r for r, k, yes in dialog.buttons if k == key and yes)
    ui.click(honour.center)
    assert play.answers == {key: True} and play.unanswered() == 0
    before = float(s.state.cred[0, d.commitment])
    ui.key(pygame.K_RETURN, "\r")
    # Honoured: no longer pending, the pledge's credibility rose, the answers start afresh.
    assert not s.state.pending[0, d.commitment, d.against]
    assert float(s.state.cred[0, d.commitment]) > before
    assert play.answers == {}
    assert key not in [(x.commitment, x.against) for x in s.decisions()]


def test_a_declined_pledge_loses_credibility(ui, app, scenario):
    play = start_play(app, scenario, "PRK", 7)
    play_until_decision(ui, play)
    s = play.session
    (d,) = s.decisions()
    before = float(s.state.cred[0, d.commitment])
    ui.key(pygame.K_n, "n")
    ui.key(pygame.K_RETURN, "\r")
    assert not s.state.pending[0, d.commitment, d.against]
    assert float(s.state.cred[0, d.commitment]) < before


def _tip_text(play) -> list[str]:
    return [line for line, _, _ in play.tip]


def test_treaty_links_and_the_dossier_give_each_pledges_credibility(ui, app, scenario):
    p = scenario.params
    play = start_play(app, scenario, "PRK", 7)
    rus, prk = p.actor_ids.index("RUS"), p.actor_ids.index("PRK")
    link = next(
        lk for lk in play.crisis.links if lk.kind == "treaty" and {lk.i, lk.j} == {rus, prk}
    )
    hit = next(
        pt
        for pt in link.pts
        if play.crisis.link_near(pt) is link and play.panel_at(pt).name == "map"
    )
    ui.move(hit)
    tip = _tip_text(play)
    # The game's own starting credibility (drawn for it when the scenario gives a range).
    n = p.commit.keys.index("rus_prk_2024.art4:RUS>PRK")
    m = p.commit.keys.index("rus_prk_2024.art4:PRK>RUS")
    c, d = (f"{100 * float(play.session.state.cred[0, k]):.0f}%" for k in (n, m))
    assert f"Art. 4, Russia for North Korea: credibility {c} (started {c})" in tip
    assert f"Art. 4, North Korea for Russia: credibility {d} (started {d})" in tip
    # The dossier of Russia, selected, says the same when pointed at.
    play.selected = rus
    ui.move(play.panel("dossier").rect.center)
    assert f"Art. 4, Russia for North Korea: credibility {c} (started {c})" in _tip_text(play)
    # Credibility is the game's: it follows the state's number.
    play.session.state.cred[0, n] = 0.6
    ui.move(hit)
    assert f"Art. 4, Russia for North Korea: credibility 60% (started {c})" in _tip_text(play)


def test_the_dossier_names_the_line_a_rival_pursues_toward_the_player(ui, app, scenario):
    from game.engine import stance

    p = scenario.params
    play = start_play(app, scenario, "PRK", 7)
    usa, prk = p.actor_ids.index("USA"), p.actor_ids.index("PRK")
    play.selected = usa
    play.session.state.stance[0, usa, prk] = stance.COERCION
    ui.move(play.panel("dossier").rect.center)
    want = f"Its line toward you: {stance.line(p, play.session.state.stance[0], usa, prk)}"
    assert want.startswith("Its line toward you: coercion") and want in _tip_text(play)
    play.session.state.stance[0, usa, prk] = stance.DETENTE
    play.selected = p.actor_ids.index("RUS")  # a partner: no line to keep
    ui.move(play.panel("map").rect.center)
    ui.move(play.panel("dossier").rect.center)
    assert not any(t.startswith("Its line toward you") for t in _tip_text(play))


def test_red_lines_are_drawn_from_the_declaring_state_with_a_tooltip(ui, app, scenario):
    p = scenario.params
    com = p.commit
    play = start_play(app, scenario, "RUS", 7)
    rus, kor = p.actor_ids.index("RUS"), p.actor_ids.index("KOR")
    lines = [lk for lk in play.crisis.links if lk.kind == "red_line"]
    warned = {(lk.i, lk.j) for lk in lines}
    assert (rus, kor) in warned and all(i == rus for i, _ in warned)
    link = next(lk for lk in lines if lk.j == kor)
    assert com.names[link.ref] == "Putin's warning on lethal arms for Kyiv"
    assert "RUS\u2192KOR" in play.panel("legend").pairs()["red_line"]
    hit = next(
        pt
        for pt in link.pts
        if play.crisis.link_near(pt) is link and play.panel_at(pt).name == "map"
    )
    ui.move(hit)
    tip = _tip_text(play)
    assert tip[0] == com.names[link.ref] and "Red line of Russia, warning South Korea" in tip
    assert any(t.startswith("Crossed if South Korea orders: ") and "Ukraine" in t for t in tip)
    c = f"{100 * float(play.session.state.cred[0, link.ref]):.0f}%"  # the game's own start
    assert f"Credibility {c} (started {c})" in tip and "Answered never so far" in tip
    # The count is the game's: one answer given under the line.
    play.session.state.red_line_count[0, com.red_line_of[link.ref]] = 1
    ui.move(hit)
    assert "Answered once so far" in _tip_text(play)


def test_the_move_preview_says_what_a_move_sets_off(scenario):
    from game.engine.anticipation import consequences
    from game.play import rules

    p = scenario.params
    ids = p.actor_ids
    # South Korea arming Ukraine crosses Russia's red line, at the credibility Seoul reads.
    s = Session(scenario, ids.index("KOR"), 7)
    arms = p.action_ids.index("arms_supply")
    ukr = ids.index("UKR")
    (c,) = consequences(p, s.state, s.active_treaties()[None, :], 0, s.player, arms, ukr)
    lines = [(ln.label, ln.text) for ln in rules.preview(s, arms, ukr)]
    assert (
        "Red line",
        f"Crosses Russia's red line: {c.name} (credibility {100 * c.held:.0f}%, "
        f"{100 * c.credibility:.0f}% while Russia fights its wars)",
    ) in lines
    assert c.credibility < c.held  # Russia's war in Ukraine stretches what Seoul reads
    # The same move against Japan crosses nothing.
    assert not [ln for ln in rules.preview(s, arms, ids.index("JPN")) if ln.label == "Red line"]
    # North Korea striking South Korea sets off the US pledge, with its credibility now.
    s = Session(scenario, ids.index("PRK"), 7)
    strike, kor = p.action_ids.index("strike"), ids.index("KOR")
    n = p.commit.keys.index("us_rok_1953.art3:USA>KOR")
    s.state.cred[0, n] = 0.5
    found = consequences(p, s.state, s.active_treaties()[None, :], 0, s.player, strike, kor)
    pledge = next(x for x in found if x.kind == "assistance")
    texts = [ln.text for ln in rules.preview(s, strike, kor) if ln.label == "Sets off"]
    assert (
        f"US-ROK Mutual Defense Treaty, Art. III (credibility {100 * pledge.held:.0f}%, "
        f"chance {100 * pledge.chance:.0f}%)"
    ) in texts
    assert abs(pledge.held - 0.5) < 1e-12 and pledge.credibility == pledge.held  # at peace
    assert pledge.credibility < 0.9  # the number of the game now, not the scenario's start
    assert any(t.startswith("consultations with United States") for t in texts)


def test_the_last_month_asks_nothing_again(ui, app, scenario):
    """A decision left unanswered in the game's last month is not 'asked again': the game is
    over, and the end screen shows no such note."""
    from game.scenario import load_scenario

    play = start_play(app, scenario, "PRK", 7)
    play_until_decision(ui, play)
    last = play.session.turn + 1  # a game that ends with the month the decision is asked in
    short = load_scenario(scenario.path, {"scenario.turns": last})
    app._toast = None
    play = start_play(app, short, "PRK", 7)
    play_until_decision(ui, play)
    assert play.unanswered() == 1 and play.session.turn == last - 1
    ui.key(pygame.K_RETURN, "\r")
    assert play.session.over and app._toast is None
