"""Damaged and hostile save files, opened through the Load menu: every one shows a message and
the game in progress goes on (or, for a harmless flip, a valid game loads and plays on)."""

from __future__ import annotations

import io
import json
import random
import zipfile

import numpy as np
import pygame
import pytest

from game.play.savefile import SaveError, load_game, save_game
from game.play.session import Session
from game.ui.play import PlayScene
from game.ui.scenes.load import LoadScene
from game.ui.scenes.message import MessageScene


def _start(app, scenario):
    session = Session(scenario, scenario.params.actor_ids.index("KOR"), 5)
    app.start_session(session)
    app.frame(1 / 60)
    play = app.play_scene()
    for _ in range(2):
        play.end_turn(ai=True)
    app.frame(1 / 60)
    return play


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


def _npy(arr) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


def _with_header(good, path, change=None, text=None) -> None:
    m = _members(good)
    header = json.loads(np.load(io.BytesIO(m["header.npy"])).tobytes().decode())
    if change is not None:
        change(header)
    blob = (text or json.dumps(header)).encode() if text is None else text.encode()
    if text is None:
        blob = json.dumps(header).encode()
    m["header.npy"] = _npy(np.frombuffer(blob, dtype=np.uint8))
    _zip(path, m)


def _with_array(good, path, name, change) -> None:
    m = _members(good)
    arr = np.load(io.BytesIO(m[f"state.{name}.npy"]))
    m[f"state.{name}.npy"] = _npy(change(arr.copy()))
    _zip(path, m)


def _huge_claim(good, path) -> None:
    """An .npy header claiming 2**45 elements, followed by a few bytes."""
    m = _members(good)
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": "<f8", "fortran_order": False, "shape": (2**45,)}
    )
    m["state.attr.npy"] = buf.getvalue() + b"\0" * 64
    _zip(path, m)


def _header_text(good, path, replace: tuple[str, str]) -> None:
    m = _members(good)
    text = np.load(io.BytesIO(m["header.npy"])).tobytes().decode()
    assert replace[0] in text
    text = text.replace(*replace, 1)
    m["header.npy"] = _npy(np.frombuffer(text.encode(), dtype=np.uint8))
    _zip(path, m)


def _corpus(good, folder) -> dict[str, str]:
    """name -> what the message must mention (besides the file name)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: dict[str, str] = {}

    def case(name, expect=""):
        cases[name] = expect
        return folder / name

    raw = good.read_bytes()
    case("five-bytes.pact", "not a Pact save").write_bytes(b"hello")
    case("empty.pact", "not a Pact save").write_bytes(b"")
    case("cut.pact").write_bytes(raw[: len(raw) // 2])
    np.save(str(case("bare-npy.pact", "not a Pact save")) + ".npy", np.arange(4))
    (folder / "bare-npy.pact.npy").rename(folder / "bare-npy.pact")
    _huge_claim(good, case("huge-claim.pact", "attr"))
    _with_header(good, case("scenario-is-text.pact", "scenario"), lambda h: h.update(scenario="x"))
    _header_text(good, case("seed-infinity.pact", "damaged"), ('"seed": 5', '"seed": Infinity'))
    _header_text(good, case("turn-nan.pact", "damaged"), ('"turn": 2', '"turn": NaN'))
    _with_header(
        good, case("version-text.pact", "version is not a number"), lambda h: h.update(version="1")
    )
    _with_header(good, case("version-99.pact", "version 99"), lambda h: h.update(version=99))
    _with_header(
        good, case("player-control.pact", "player"), lambda h: h.update(player="KOR\x00\x1b[2J")
    )
    _with_header(
        good,
        case("bad-event.pact", "history"),
        lambda h: (
            h["event_table"].append({"kind": "action", "actor": "KOR"}),
            h["history"][0]["events"].append(len(h["event_table"]) - 1),
        ),
    )
    _with_header(
        good, case("month-order.pact", "history"), lambda h: h["history"][1].update(turn=0)
    )
    _with_header(
        good,
        case("event-ref.pact", "history"),
        lambda h: h["history"][0]["events"].append(len(h["event_table"])),
    )
    _with_header(
        good, case("peak-in-history.pact", "history"), lambda h: h["history"][0].update(peak_all=99)
    )
    _with_array(good, case("peak-range.pact", "ladder"), "peak", lambda a: a + 50)
    _with_array(good, case("tension-1e300.pact", "tension"), "tension", lambda a: a + 1e300)
    _with_array(good, case("attr-nan.pact", "attr"), "attr", lambda a: a * np.nan)
    m = _members(good)
    m["header.npy"] = _npy(np.frombuffer(b"[" * 100_000, dtype=np.uint8))
    _zip(case("deep-json.pact", "damaged"), m)
    m = _members(good)
    buf = io.BytesIO()
    np.save(buf, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    m["state.attr.npy"] = buf.getvalue()
    _zip(case("pickled.pact", "attr"), m)
    case("a-folder.pact").mkdir()
    return cases


def _open_and_pick(ui, play, name):
    ui.key(pygame.K_ESCAPE)
    ui.click(ui.top.menu.buttons[2].rect.center)
    loader = ui.top
    assert isinstance(loader, LoadScene)
    names = [p.name for p, _, _ in loader.saves]
    loader.index = names.index(name)
    ui.key(pygame.K_RETURN, frames=2)


def _back_to(ui, play):
    for _ in range(6):
        if ui.top is play:
            return
        ui.key(pygame.K_ESCAPE)
    assert ui.top is play


def test_every_damaged_save_gives_a_message_and_the_game_goes_on(ui, app, scenario, save_dir):
    play = _start(app, scenario)
    s = play.session
    good = save_game(s, save_dir / "good.pact")
    cases = _corpus(good, save_dir)
    before = (s.turn, s.version, s.state.rung.copy())
    for name, expect in cases.items():
        if name == "a-folder.pact":  # a folder is not listed at all
            ui.key(pygame.K_ESCAPE)
            ui.click(ui.top.menu.buttons[2].rect.center)
            assert name not in [p.name for p, _, _ in ui.top.saves]
            _back_to(ui, play)
            continue
        with pytest.raises(SaveError):  # the reader itself refuses it, with its own message
            load_game(save_dir / name, scenario=scenario)
        _open_and_pick(ui, play, name)
        msg = ui.top
        assert isinstance(msg, MessageScene), name
        assert name in msg.body and expect in msg.body, (name, msg.body)
        assert "The current game goes on" in msg.body
        assert app.play_scene() is play and app.session() is s
        assert (s.turn, s.version) == before[:2]
        np.testing.assert_array_equal(s.state.rung, before[2])
        ui.key(pygame.K_RETURN)
        _back_to(ui, play)
    ui.key(pygame.K_RETURN)
    assert s.turn == before[0] + 1


def test_random_bit_flips_never_end_the_game(ui, app, scenario, save_dir):
    play = _start(app, scenario)
    good = save_game(play.session, save_dir / "good.pact").read_bytes()
    rng = random.Random(16)
    loaded = refused = 0
    for k in range(24):
        data = bytearray(good)
        pos = rng.randrange(len(data))
        data[pos] ^= 1 << rng.randrange(8)
        name = f"flip-{k:02d}.pact"
        (save_dir / name).write_bytes(bytes(data))
        current = app.play_scene()
        _open_and_pick(ui, current, name)
        top = ui.top
        if isinstance(top, MessageScene):
            refused += 1
            assert app.play_scene() is current
            ui.key(pygame.K_RETURN)
        else:  # the flip hit nothing that matters: a whole, valid game was loaded
            loaded += 1
            assert isinstance(top, PlayScene) and top is not current
        _back_to(ui, app.play_scene())
        (save_dir / name).unlink()
    # The game still plays.
    s = app.session()
    turn = s.turn
    ui.key(pygame.K_RETURN)
    assert s.turn == turn + 1
    assert refused >= 12, (loaded, refused)


@pytest.mark.parametrize("where", ["title", "pause"])
def test_a_load_menu_over_an_unreadable_folder_is_empty(app, ui, scenario, tmp_path, where):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    app.save_dir = blocker / "saves"  # a folder that cannot exist
    if where == "pause":
        _start(app, scenario)
        ui.key(pygame.K_ESCAPE)
        ui.click(ui.top.menu.buttons[2].rect.center)
    else:
        app.open("title")
        app.open("load")
        ui.pump(2)
    assert isinstance(ui.top, LoadScene) and ui.top.saves == []
