"""The forecast, and ``pact play`` from the command line (autoplay, screenshot, bad flags)."""

import os
import subprocess
import sys

import numpy as np
import pygame
import pytest

from game.commands.main import main
from game.play.forecast import Forecast
from game.play.savefile import AUTOSAVE_NAME, repo_root
from game.play.session import Session


def test_forecast_is_reproducible_and_leaves_the_game_alone(scenario):
    s = Session(scenario, scenario.params.actor_ids.index("KOR"), 9)
    s.end_turn(None)
    before = s.state.copy()
    a = Forecast(s.params, s.state, s.player, runs=120, months=6, seed=4, chunk=50).run()
    b = Forecast(s.params, s.state, s.player, runs=120, months=6, seed=4, chunk=120).run()
    assert a == b
    assert a.runs == 120 and a.months == 6 and len(a.cumulative["war"]) == 6
    for name, curve in a.cumulative.items():
        assert all(x <= y for x, y in zip(curve, curve[1:]))
        assert curve[-1] == pytest.approx(a.odds[name])
    np.testing.assert_array_equal(s.state.rung, before.rung)
    np.testing.assert_array_equal(s.state.keys, before.keys)


def test_forecast_advances_in_small_steps(scenario):
    s = Session(scenario, 0, 1)
    f = Forecast(s.params, s.state, s.player, runs=60, months=3, seed=1, chunk=20)
    steps = 0
    while not f.advance(0.0):
        steps += 1
        assert 0.0 <= f.progress < 1.0
    assert f.done and f.progress == 1.0 and steps >= 8


def test_autoplay_screenshot(tmp_path):
    shot = tmp_path / "map.png"
    rc = main(["play", "--as", "KOR", "--autoplay", "3", "--seed", "2", "--screenshot", str(shot)])
    assert rc == 0
    img = pygame.image.load(str(shot))
    assert img.get_size() == (1280, 800)


def test_autoplay_leaves_the_saves_alone(tmp_path, monkeypatch):
    """An autoplayed game is not saved (``pact play --help`` and the README say so): the
    autosave of the game being played stays as it was."""
    saves = tmp_path / "saves"
    saves.mkdir()
    kept = saves / AUTOSAVE_NAME
    kept.write_bytes(b"the player's game")
    monkeypatch.setenv("PACT_SAVE_DIR", str(saves))
    assert main(["play", "--as", "KOR", "--autoplay", "2", "--seed", "2"]) == 0
    assert sorted(p.name for p in saves.iterdir()) == [AUTOSAVE_NAME]
    assert kept.read_bytes() == b"the player's game"


def test_default_scenario_is_found_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shot = tmp_path / "x.png"
    rc = main(
        [
            "play",
            "scenarios/treaty-2024.toml",
            "--as",
            "jpn",
            "--autoplay",
            "1",
            "--screenshot",
            str(shot),
        ]
    )
    assert rc == 0 and shot.is_file()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["play", "--as", "XYZ", "--autoplay", "1"], "no state 'XYZ'"),
        (["play", "--as", "KOR", "--autoplay", "-1"], "--autoplay"),
        (["play", "--as", "KOR", "--size", "big"], "--size"),
        (["play", "--as", "KOR", "--autoplay", "1", "--screenshot", "out.txt"], "--screenshot"),
        (["play", "no/such/file.toml", "--as", "KOR", "--autoplay", "1"], "no such file"),
    ],
)
def test_bad_flags_are_one_line_usage_errors(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pact: error:") and message in err and "\n" not in err


def test_engine_and_help_do_not_load_pygame():
    code = (
        "import sys, game.engine, game.commands.main\n"
        "game.commands.main.build_parser()\n"
        "import game.commands.play, game.play.session, game.play.savefile, game.play.forecast, game.play.rules\n"
        "assert 'pygame' not in sys.modules, 'pygame imported'\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=repo_root(), capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr


QUIT_WITH_FORECAST = """
import os, sys
import pygame
import game.ui.app as window
from game.commands.main import main

run = window.App.run

def run_then_close(app):
    play = app.play_scene()
    play.toggle_forecast()  # 2,000 futures: still being played when the window closes
    while play.forecast.progress == 0.0:
        app.frame(1 / 60)
        app.forecasts().wait(0.05)
    print("worker", app.forecasts().pid, flush=True)
    assert app.forecasts().alive() and not play.forecast.done
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    return run(app)

window.App.run = run_then_close
sys.exit(main(["play", "--as", "KOR", "--seed", "1"]))
"""


def test_play_quits_cleanly_with_the_forecast_process_running():
    out = subprocess.run(
        [sys.executable, "-c", QUIT_WITH_FORECAST],
        cwd=repo_root(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    pid = int(out.stdout.split("worker", 1)[1].split()[0])
    with pytest.raises(ProcessLookupError):  # gone with the window, not left behind
        os.kill(pid, 0)
