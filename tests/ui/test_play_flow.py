"""Whole games driven through posted pygame events: menus, orders, end turn, save, load, quit.

Assertions are on the engine state and the session's history, never on timings or on the
AI's choices (the engine's numbers are tuned elsewhere)."""

import numpy as np
import pygame
import pytest

from game.play.session import Session
from game.ui.play import PlayScene
from game.ui.scenes.end import EndScene
from game.ui.scenes.help import HelpScene
from game.ui.scenes.load import LoadScene
from game.ui.scenes.message import MessageScene
from game.ui.scenes.pause import PauseScene
from game.ui.scenes.pickers import ScenarioScene, StateScene
from game.ui.scenes.title import TitleScene

from .conftest import settle


def start_play(app, scenario, player="KOR", seed=5):
    session = Session(scenario, scenario.params.actor_ids.index(player), seed)
    app.start_session(session)
    settle(app)
    return app.stack.top


def option_index(play, action_id):
    p = play.params
    for i, o in enumerate(play.options()):
        if o.action >= 0 and p.action_ids[o.action] == action_id:
            return i
    raise AssertionError(action_id)


@pytest.mark.slow
def test_whole_game_through_events(ui, app, scenario, save_dir):
    app.replace_all(TitleScene(app))
    ui.pump()
    ui.key(pygame.K_RETURN)  # "New game" has the focus
    picker = ui.top
    assert isinstance(picker, ScenarioScene)
    files = [e.file for e in picker.entries]
    ui.click(picker.rows[files.index("treaty-2024.toml")].center)
    ui.click(picker.go.rect.center)
    states = ui.top
    assert isinstance(states, StateScene)
    ui.click(states.rows[states.params.actor_ids.index("JPN")].center)
    ui.click(states.go.rect.center)

    play = ui.top
    assert isinstance(play, PlayScene)
    s = play.session
    p = s.params
    assert s.player_id == "JPN" and s.turn == 0

    # Aim at North Korea with its chip, then order a public warning from the list.
    prk = p.actor_ids.index("PRK")
    orders = play.panel("orders")
    ui.click(next(r for r, a in orders.chip_rects() if a == prk).center)
    assert play.target == prk
    i = option_index(play, "warning")
    assert play.options()[i].open
    orders.ensure_visible(i)
    ui.click(orders.row_rect(i).center)
    chosen = play.order_option()
    assert chosen.cand == play.options()[i].cand

    ui.click(play.panel("end").button.center)
    assert s.turn == 1
    month = s.history[-1]
    assert month.player_move == chosen.cand
    assert p.cand_action[month.player_move] == p.action_ids.index("warning")
    assert {"kind": "action", "actor": "JPN", "action": "warning", "target": "PRK"}.items() <= next(
        ev for ev in month.events if ev["kind"] == "action" and ev["actor"] == "JPN"
    ).items()
    assert app.autosave_path().is_file()

    # Keyboard: another order down the list, Enter ends the turn.
    ui.key(pygame.K_DOWN)
    chosen = play.order_option()
    ui.key(pygame.K_RETURN)
    assert s.turn == 2
    assert s.history[-1].player_move == chosen.cand

    # Save from the pause menu.
    ui.key(pygame.K_ESCAPE)
    pause = ui.top
    assert isinstance(pause, PauseScene)
    ui.click(pause.menu.buttons[1].rect.center)
    assert ui.top is play
    saved = [f for f in save_dir.glob("*.pact") if f.name != "autosave.pact"]
    assert len(saved) == 1
    saved_rung = s.state.rung.copy()
    saved_attr = s.state.attr.copy()

    ui.key(pygame.K_SPACE)
    assert s.turn == 3

    # Load it back from the pause menu's list of saves.
    ui.key(pygame.K_ESCAPE)
    ui.click(ui.top.menu.buttons[2].rect.center)
    loader = ui.top
    assert isinstance(loader, LoadScene)
    row = [path for path, _, _ in loader.saves].index(saved[0])
    ui.click(loader.row_rect(row).center)
    play2 = ui.top
    assert isinstance(play2, PlayScene) and play2 is not play
    s2 = play2.session
    assert s2.turn == 2 and s2.player_id == "JPN" and len(s2.history) == 2
    np.testing.assert_array_equal(s2.state.rung, saved_rung)
    np.testing.assert_array_equal(s2.state.attr, saved_attr)

    # And the loaded game plays on.
    ui.key(pygame.K_RETURN)
    assert s2.turn == 3

    pygame.event.post(pygame.event.Event(pygame.QUIT))
    ui.pump()
    assert not app.running


@pytest.mark.slow
def test_game_runs_to_its_end_screen(ui, app, scenario):
    play = start_play(app, scenario, "PRK")
    s = play.session
    for _ in range(s.turns + 2):
        if isinstance(ui.top, EndScene):
            break
        ui.key(pygame.K_RETURN)
    assert s.over
    end = ui.top
    assert isinstance(end, EndScene)
    assert len(s.history) == s.turn
    ui.key(pygame.K_ESCAPE)  # look at the final map
    assert ui.top is play
    # The card says how the game ended, not where it would stand "if it ended now".
    assert s.heading(None) == f"Ended in: {s.outcome()[0]}"
    ui.key(pygame.K_RETURN)  # the results again, not another month
    assert isinstance(ui.top, EndScene) and s.turn == len(s.history)
    ui.click(ui.top.menu.buttons[0].rect.center)  # new game
    assert isinstance(ui.top, TitleScene)


def _write_wrong_version(path, good):
    import io
    import json
    import zipfile

    with np.load(good, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    header = json.loads(arrays["header"].tobytes().decode())
    header["version"] = 99
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())
    assert zipfile.is_zipfile(path)


def test_corrupt_or_wrong_version_save_keeps_the_game(ui, app, scenario, save_dir):
    play = start_play(app, scenario, "KOR")
    ui.key(pygame.K_RETURN)
    ui.key(pygame.K_RETURN)
    s = play.session
    before = (s.turn, s.version, s.state.rung.copy())
    save_dir.mkdir(parents=True, exist_ok=True)
    (save_dir / "broken.pact").write_bytes(b"PK\x03\x04 this is not a saved game")
    _write_wrong_version(save_dir / "future.pact", app.autosave_path())

    for name in ("broken.pact", "future.pact"):
        ui.key(pygame.K_ESCAPE)
        ui.click(ui.top.menu.buttons[2].rect.center)
        loader = ui.top
        assert isinstance(loader, LoadScene)
        row = [path.name for path, _, _ in loader.saves].index(name)
        loader.index = row
        ui.key(pygame.K_RETURN)
        msg = ui.top
        assert isinstance(msg, MessageScene)
        assert name in msg.body
        if name == "future.pact":
            assert "version 99" in msg.body
        assert app.play_scene() is play and app.session() is s
        assert (s.turn, s.version) == before[:2]
        np.testing.assert_array_equal(s.state.rung, before[2])
        ui.key(pygame.K_RETURN)  # dismiss the message
        while ui.top is not play:
            ui.key(pygame.K_ESCAPE)
    ui.key(pygame.K_RETURN)
    assert s.turn == before[0] + 1


def test_closed_moves_cannot_be_ordered(ui, app, scenario):
    play = start_play(app, scenario, "KOR")
    closed = [i for i, o in enumerate(play.options()) if not o.open]
    assert closed, "the catalogue shows moves that are closed this month"
    order = play.order_option()
    i = closed[0]
    orders = play.panel("orders")
    orders.ensure_visible(i)
    ui.click(orders.row_rect(i).center)
    assert play.order_option() == order
    assert all(o.reason for o in play.options() if not o.open)


def test_map_hover_select_and_tooltips(ui, app, scenario):
    play = start_play(app, scenario, "KOR")
    s = play.session
    seoul = play.map.actor_anchor("KOR")
    ui.move((seoul[0] + 3, seoul[1] + 14))
    assert play.panel("map").hover_actor == s.params.actor_ids.index("KOR")
    assert play.tip
    tokyo = play.map.actor_anchor("JPN")
    ui.click((tokyo[0], tokyo[1] + 6))
    jpn = s.params.actor_ids.index("JPN")
    assert play.selected == jpn and play.target == jpn
    ladder = play.rects["ladder"]
    ui.move((ladder.centerx, ladder.y + 40))
    assert play.tip and play.tip[0][0] in s.params.rung_names
    ui.move(play.rects["timeline"].center)
    # The wheel scrolls the list of orders by a row a notch, and no further than its last page.
    orders = play.panel("orders")
    n, vis = len(play.options()), orders.visible_rows()
    assert n > vis + 3, "the catalogue is longer than its box at 1280x800"
    ui.move(orders.list.center)
    ui.wheel(-3)
    assert orders.scroll == 3
    for _ in range(n // 4 + 2):
        ui.wheel(-4)
    assert orders.scroll == n - vis
    assert orders.row_rect(n - 1).bottom <= orders.list.bottom
    ui.wheel(2)
    assert orders.scroll == n - vis - 2
    for _ in range(n // 4 + 2):
        ui.wheel(4)
    assert orders.scroll == 0


def test_drawing_never_changes_the_game(ui, app, scenario):
    play = start_play(app, scenario, "KOR")
    ui.key(pygame.K_RETURN)
    s = play.session
    state = s.state.copy()
    version = s.version
    for pos in ((500, 380), (650, 400), (1000, 400), (300, 700), (100, 150)):
        ui.move(pos, frames=2)
    assert s.version == version
    for name in ("rung", "tension", "attr", "peak", "aggressor"):
        np.testing.assert_array_equal(getattr(s.state, name), getattr(state, name))


def test_forecast_on_demand(ui, app, scenario):
    play = start_play(app, scenario, "KOR")
    s = play.session
    turn, version = s.turn, s.version
    ui.key(pygame.K_f)
    assert play.show_forecast and play.forecast is not None
    for _ in range(5000):
        if play.forecast.done:
            break
        ui.pump()
    res = play.forecast.result
    assert res is not None and res.runs == app.forecast_runs and res.months == 12
    for v in (*res.odds.values(), res.player_war, *res.outcomes.values()):
        assert 0.0 <= v <= 1.0
    assert sum(res.outcomes.values()) == pytest.approx(1.0)
    assert s.heading(res).startswith("Heading for: ") and s.heading(None).startswith("If it ")
    assert res.odds["nuclear_use"] <= res.odds["armed_clash"] or res.odds["armed_clash"] == 1.0
    assert (s.turn, s.version) == (turn, version)
    ui.key(pygame.K_f)
    assert not play.show_forecast


def test_help_pause_resize_and_fullscreen(ui, app, scenario):
    play = start_play(app, scenario, "KOR")
    ui.key(pygame.K_F1)
    assert isinstance(ui.top, HelpScene)
    ui.key(pygame.K_a)
    assert ui.top is play
    ui.key(pygame.K_SLASH, unicode="?")
    assert isinstance(ui.top, HelpScene)
    ui.click((5, 5))
    assert ui.top is play

    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1024, h=700, size=(1024, 700)))
    ui.pump()
    assert app.size == (1024, 700)
    assert play.rects["side"].right == 1024 and play.rects["map"].h > 300
    assert play.map.rect == play.rects["map"]

    ui.key(pygame.K_F11)
    assert app.fullscreen
    ui.key(pygame.K_F11)
    assert not app.fullscreen and app.size == (1024, 700)

    ui.key(pygame.K_ESCAPE)
    assert isinstance(ui.top, PauseScene)
    ui.key(pygame.K_ESCAPE)
    assert ui.top is play


def test_scenario_picker_shows_broken_files(tmp_path, save_dir):
    from game.ui.app import App

    folder = tmp_path / "scenarios"
    folder.mkdir()
    from game.play.savefile import repo_root

    good = (repo_root() / "scenarios" / "treaty-2024.toml").read_text(encoding="utf-8")
    (folder / "a-good.toml").write_text(good, encoding="utf-8")
    (folder / "b-broken.toml").write_text(
        "[scenario]\nid = 'x'\nthis is not toml", encoding="utf-8"
    )
    app = App((1280, 800), save_dir=save_dir, scenario_dir=folder, seed=1)
    try:
        app.replace_all(TitleScene(app))
        app.open("scenarios")
        app.frame(1 / 60)
        picker = app.stack.top
        assert [e.file for e in picker.entries] == ["a-good.toml", "b-broken.toml"]
        broken = picker.entries[1]
        assert not broken.ok and broken.error
        picker.index = 1
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)
        )
        app.frame(1 / 60)
        assert app.stack.top is picker  # a file that does not load cannot be chosen
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_UP, mod=0, unicode="", scancode=0)
        )
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)
        )
        app.frame(1 / 60)
        assert isinstance(app.stack.top, StateScene)
    finally:
        pygame.quit()


def _drag(ui, start, end, steps=4):
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEMOTION, pos=start, rel=(0, 0), buttons=(0, 0, 0))
    )
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1))
    for k in range(1, steps + 1):
        pos = (
            start[0] + (end[0] - start[0]) * k // steps,
            start[1] + (end[1] - start[1]) * k // steps,
        )
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(1, 0, 0))
        )
    ui.pump()


@pytest.mark.slow
def test_map_zooms_with_the_wheel_and_keys_and_pans_by_dragging(ui, app, scenario):
    play = start_play(app, scenario, "KOR")
    s = play.session
    state, version = s.state.copy(), s.version
    seoul = play.map.actor_anchor("KOR")
    ui.move(seoul)
    ui.wheel(2)
    assert play.map.zoom == pytest.approx(1.25**2)
    after = play.map.actor_anchor("KOR")
    assert abs(after[0] - seoul[0]) <= 1 and abs(after[1] - seoul[1]) <= 1
    # Links and markers follow the view: the overlay is rebuilt for it.
    ui.pump(2)
    # Dragging shows the picture shifted, and the view moves when the button comes up.
    start = (after[0] + 40, after[1] + 60)
    selected = play.selected
    _drag(ui, start, (start[0] - 80, start[1] - 50))
    assert play.map.drag_offset == (-80, -50)
    assert play.map.actor_anchor("KOR") == after
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(start[0] - 80, start[1] - 50), button=1)
    )
    ui.pump()
    assert play.map.drag_offset == (0, 0)
    assert play.selected == selected  # a drag is not a click on the country under it
    moved = play.map.actor_anchor("KOR")
    assert abs(moved[0] - (after[0] - 80)) <= 1 and abs(moved[1] - (after[1] - 50)) <= 1
    # Keys: + and - zoom about the middle of the map, 0 shows the whole theatre again.
    ui.key(pygame.K_EQUALS, "=")
    assert play.map.zoom == pytest.approx(1.25**3)
    ui.key(pygame.K_MINUS, "-")
    assert play.map.zoom == pytest.approx(1.25**2)
    ui.key(pygame.K_0, "0")
    assert play.map.zoom == 1.0
    assert play.map.actor_anchor("KOR") == seoul
    # The wheel over the orders list still scrolls it rather than zooming the map.
    ui.move(play.panel("orders").list.center)
    ui.wheel(-3)
    assert play.map.zoom == 1.0
    # A release outside the window ends a drag too; none of this touches the game.
    _drag(ui, (seoul[0] + 40, seoul[1] + 60), (seoul[0] + 100, seoul[1] + 60))
    ui.move((seoul[0] + 100, seoul[1] + 60))
    assert play.map.drag_offset == (0, 0)
    assert s.version == version
    for name in ("rung", "tension", "attr"):
        np.testing.assert_array_equal(getattr(s.state, name), getattr(state, name))
