"""The interface defects found playing whole games, each driven through posted events: the
order list's scroll, closed orders, the window's smallest size, folding the map's cards, the
ladder's drift tensions, Continue after a finished game, the save folder, the default scenario,
treaties of the same name, and the zoom that shows a scaled picture until the wheel is still."""

import pygame
import pytest

from game.engine.step import drift_bounds
from game.play.rules import treaty_label
from game.play.savefile import save_game
from game.play.session import Session
from game.ui.options import MIN_SIZE, WindowOptionError, WindowOptions
from game.ui.panels.map import ZOOM_SETTLE
from game.ui.scenes.pause import PauseScene, save_folder_words
from game.ui.scenes.pickers import ScenarioScene
from game.ui.scenes.title import TitleScene

from .conftest import settle


def start_play(app, scenario, player="KOR", seed=5):
    session = Session(scenario, scenario.params.actor_ids.index(player), seed)
    app.start_session(session)
    settle(app)
    return app.stack.top


def test_the_order_list_is_seen_from_its_top_for_another_target_and_month(ui, app, scenario):
    play = start_play(app, scenario)
    orders = play.panel("orders")
    assert len(play.options()) > orders.visible_rows()
    ui.move(orders.list.center)
    ui.wheel(-3)
    assert orders.scroll > 0
    prk = scenario.params.actor_ids.index("PRK")
    ui.click(next(r for r, a in orders.chip_rects() if a == prk).center)
    assert play.target == prk and orders.scroll == 0
    ui.move(orders.list.center)
    ui.wheel(-3)
    assert orders.scroll > 0
    ui.click(play.panel("end").button.center)
    assert play.session.turn == 1 and orders.scroll == 0


def test_a_click_on_a_closed_order_says_why_and_keeps_the_order(ui, app, scenario):
    play = start_play(app, scenario)
    orders = play.panel("orders")
    closed = next(i for i, o in enumerate(play.options()) if not o.open)
    before = play.order_option()
    orders.ensure_visible(closed)
    ui.click(orders.row_rect(closed).center)
    assert play.order_option() is before
    text, tone, _ = app._toast
    assert tone == "warn" and play.options()[closed].reason in text


@pytest.mark.parametrize("size", [(960, 600), (1120, 700), (1280, 800)])
def test_the_panels_do_not_overlap_from_the_smallest_window_up(ui, app, scenario, size):
    play = start_play(app, scenario)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
    ui.pump()
    assert app.size == size
    r = play.rects
    tiles = ["top", "map", "timeline", "news", "dossier", "card", "orders", "end"]
    for k, a in enumerate(tiles):
        assert r[a].w > 0 and r[a].h > 0
        assert pygame.Rect((0, 0), size).contains(r[a]), a
        for b in tiles[k + 1 :]:
            assert not r[a].colliderect(r[b]), (a, b)
    cards = [play.panel("ladder").rect, play.panel("legend").rect]
    assert not cards[0].colliderect(cards[1])
    assert all(r["map"].contains(c) for c in cards)
    orders = play.panel("orders")
    assert orders.visible_rows() >= 4
    assert orders.list.bottom <= orders.preview.y and orders.preview.bottom <= r["end"].y


def test_the_window_is_never_smaller_than_its_smallest_layout(ui, app, scenario):
    start_play(app, scenario)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=640, h=400, size=(640, 400)))
    ui.pump()
    assert app.size == MIN_SIZE
    with pytest.raises(WindowOptionError, match="960x600"):
        WindowOptions(size=(640, 400))


def test_the_ladder_and_the_map_key_fold_to_their_headings(ui, app, scenario):
    play = start_play(app, scenario)
    ladder, legend, mapp = play.panel("ladder"), play.panel("legend"), play.panel("map")
    under = (ladder.rect.x + 40, ladder.rect.bottom - 20)
    assert not mapp.on_open_map(under)
    ui.click((ladder.rect.x + 40, ladder.rect.y + 12))
    assert ladder.folded and ladder.rect.h < 40
    assert mapp.on_open_map(under)  # the map under it zooms and clicks again
    ui.key(pygame.K_l, "l")
    assert not ladder.folded
    full = legend.rect.h
    ui.key(pygame.K_k, "k")
    assert legend.folded and legend.rect.h < full
    ui.click((legend.rect.x + 40, legend.rect.y + 12))
    assert not legend.folded


def test_a_small_window_shows_the_map_key_folded_and_the_whole_dossier(ui, app, scenario):
    """At the smallest window the open map key would hide a third of the map and the dossier
    lost its attributes at its foot: the key starts folded there (the player's own choice kept
    from then on), and the dossier takes its short form."""
    from game.ui.panels.dossier import TIGHT_H

    play = start_play(app, scenario)
    legend = play.panel("legend")
    assert not legend.folded  # the default window
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=960, h=600, size=(960, 600)))
    ui.pump()
    assert legend.folded
    assert play.rects["dossier"].h < TIGHT_H
    ui.key(pygame.K_k, "k")
    assert not legend.folded
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1000, h=620, size=(1000, 620)))
    ui.pump()
    assert not legend.folded  # opened by the player: it stays open


def test_the_ladder_tip_gives_the_tensions_at_which_a_pair_climbs_and_falls(ui, app, scenario):
    play = start_play(app, scenario)
    p = scenario.params
    ladder = play.panel("ladder")
    top, row_h = ladder._rows(ladder.rect.inflate(-6, -6))
    found = 0
    for r in range(1, len(p.rung_ids) - 1):
        ui.move((ladder.rect.x + 40, top + (len(p.rung_ids) - 1 - r) * row_h + row_h // 2))
        text = " ".join(line for line, _, _ in play.tip)
        up, down = drift_bounds(p, r)
        assert p.rung_names[r] in text
        if up is not None:
            assert f"climbs at tension {up:.0f}" in text
            found += 1
        if down is not None:
            assert f"falls below {down:.0f}" in text
    assert found


def test_continue_is_offered_only_for_a_game_still_going_on(app, scenario):
    s = Session(scenario, 0, 3)
    save_game(s, app.autosave_path())
    title = app.replace_all(TitleScene(app))
    assert title.menu.buttons[1].enabled
    while not s.over:
        s.end_turn(ai_decides=True)
    save_game(s, app.autosave_path())
    title = app.replace_all(TitleScene(app))
    assert not title.menu.buttons[1].enabled
    app.continue_autosave()
    assert isinstance(app.stack.top, TitleScene)


def test_the_pause_menu_names_the_folder_saves_go_to(ui, app, scenario, save_dir):
    start_play(app, scenario)
    ui.key(pygame.K_ESCAPE)
    assert isinstance(ui.top, PauseScene)
    words = save_folder_words(app.save_dir, 2000)
    assert words == str(save_dir.absolute()) + "/" or words.startswith("~/")
    assert words.rstrip("/").endswith(save_dir.name)
    ui.click(ui.top.menu.buttons[1].rect.center)
    assert any(save_dir.glob("*.pact"))


def test_the_scenario_picker_opens_on_the_default_scenario(app):
    picker = ScenarioScene(app)
    files = [e.file for e in picker.entries]
    assert files[0] != "treaty-2024.toml"  # the default is not simply the first file
    assert files[picker.index] == "treaty-2024.toml"


def test_treaties_with_the_same_short_name_show_their_year(scenario):
    p = scenario.params
    labels = [treaty_label(p, t) for t in range(len(p.treaty_ids))]
    assert len(set(labels)) == len(labels)
    assert "Russia-DPRK Treaty (2024)" in labels and "Russia-DPRK Treaty (2000)" in labels


def test_a_wheel_zoom_scales_the_last_picture_and_draws_the_map_once_still(ui, app, scenario):
    play = start_play(app, scenario)
    m = play.map
    for _ in range(300):  # the map's first picture is made over the first frames
        if play.drawn():
            break
        ui.pump()
    built = m.rebuild_count
    ui.move(play.rects["map"].center)
    for _ in range(4):
        ui.wheel(1)
    assert m.zoom == pytest.approx(1.25**4)
    assert m.rebuild_count == built  # the scaled picture stands in while the wheel turns
    ui.pump(round(ZOOM_SETTLE * 60) + 2)
    assert m.rebuild_count == built and not m.ready()  # its picture made a step a frame
    for _ in range(300):
        if m.ready():
            break
        ui.pump()
    assert m.rebuild_count == built + 1  # then the map is drawn once, in its new view
    assert m.ready() and m.last_picture() is m.base_surface()


def test_a_tooltip_follows_a_keyboard_zoom(ui, app, scenario):
    """The map zoomed with a key moves what lies under a still pointer: the tip is worked out
    again there (a country's tip stayed up, pointing at another place, until the mouse moved)."""
    play = start_play(app, scenario)
    for _ in range(300):
        if play.drawn():
            break
        ui.pump()
    mapp = play.panel("map")
    m = play.rects["map"]
    spot = (m.x + m.w * 3 // 5, m.y + m.h * 3 // 5)  # over the map, clear of its cards
    ui.move(spot)
    assert play.panel_at(spot) is mapp
    before = list(play.tip)
    assert before  # something on the map has a tip there
    for _ in range(6):
        ui.key(pygame.K_KP_PLUS, "+")
    assert play.map.zoom > 3
    assert play.tip == mapp.hover(spot)  # the tip of what is under the pointer now
    assert play.tip != before  # and another place than before: the zoom moved the map


def test_the_ladder_shows_the_players_own_pairs_as_chips(app, scenario, monkeypatch):
    """Japan stands on sanctions and pressure with Russia, North Korea and China: the ladder
    names all three on that rung (shortening the rung's name), where it showed one and '+2'."""
    from game.play.session import Session
    from game.ui import theme

    session = Session(scenario, scenario.params.actor_ids.index("JPN"), 5)
    play = app.start_session(session)
    for _ in range(6):
        play.end_turn()
    settle(app)
    ladder = play.panel("ladder")
    mine, _ = ladder._pairs()
    p = scenario.params
    crowded = [r for r in {r for r, _ in mine} if sum(rr == r for rr, _ in mine) >= 3]
    assert crowded, "a rung holds three of Japan's pairs"
    labels = []
    chip = theme.chip

    def record(img, pos, label, *a, **k):
        labels.append(label.lstrip("\u25b2\u25bc"))
        return chip(img, pos, label, *a, **k)

    monkeypatch.setattr(theme, "chip", record)
    img = pygame.Surface(ladder.rect.size, pygame.SRCALPHA)
    ladder.paint(img, pygame.Rect((0, 0), ladder.rect.size))
    assert {p.actor_ids[a] for _, a in mine} <= set(labels)
