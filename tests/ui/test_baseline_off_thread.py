"""The AI baseline a game's verdict is measured against is made off the window's thread: by the
forecast process beside a forecast in hand, or by a thread without one, bit for bit the baseline
``ai_baseline`` makes; the score shows a placeholder until it is made, and a game of the same
scenario and seed opened again (the scenario loaded anew) finds it made."""

import numpy as np
import pytest

from game.play.session import Session
from game.play.standing import ai_baseline
from game.scenario import load_scenario
from game.ui.app import App
from game.ui.background import ForecastProcess, RemoteForecast
from game.ui.panels.card import ESTIMATING

from .conftest import SCENARIO


@pytest.mark.parametrize("context", ["spawn", None])
def test_the_baseline_made_off_the_thread_is_the_one_made_in_it(scenario, context):
    worker = ForecastProcess(context)
    try:
        s = Session(scenario, scenario.params.actor_ids.index("PRK"), 4)
        s.end_turn(None)
        # A forecast in hand goes on while the baseline is made, and is not dropped by it.
        f = worker.start(scenario, s.state, s.player, runs=200, months=6, seed=2, chunk=50)
        b = worker.baseline(scenario, 31, runs=24)
        got = b.run()
        expected = ai_baseline(scenario.params, 31, 24)
        assert got.scores.shape == expected.scores.shape == (scenario.params.turns + 1, 24, 8)
        assert np.array_equal(got.scores, expected.scores)
        assert (b.local is None) == (context is not None)  # in the process when there is one
        assert f.run().runs == 200 and (context is None or isinstance(f, RemoteForecast))
        # Another seed is another baseline (the comparison is not between two constants).
        assert not np.array_equal(worker.baseline(scenario, 32, runs=24).run().scores, got.scores)
    finally:
        worker.close()


def test_the_score_waits_for_the_baseline_and_a_reopened_game_finds_it(scenario, save_dir):
    app = App((1280, 800), save_dir=save_dir, autosave=False)
    try:
        seed = 90_217  # a seed no other test plays, so that no baseline of it is made yet
        s = Session(scenario, scenario.params.actor_ids.index("JPN"), seed)
        play = app.start_session(s)
        app.frame(1 / 60)
        card = play.panel("card")
        assert not play.baseline_known and s.known_baseline() is None
        assert card.score_tip()[0][0] == ESTIMATING
        made = app.baseline(s, wait=True)
        app.frame(1 / 60)
        assert play.baseline_known and s.known_baseline() is made
        assert card.score_tip()[0][0].startswith("Better than")
        assert np.array_equal(made.scores, ai_baseline(scenario.params, seed).scores)
        # The same game opened again, its scenario loaded anew from the file: no new job.
        jobs = app.forecasts()._next
        again = Session(load_scenario(SCENARIO), s.player, seed)
        assert again.params is not s.params and again.known_baseline() is None
        play2 = app.start_session(again)
        assert play2.baseline_known and again.known_baseline() is made
        assert app.forecasts()._next == jobs
        # A saved game loaded: no new job either.
        again.end_turn(None)
        saved = app.save_game()
        assert saved is not None and app.load_game(saved)
        loaded = app.play_scene()
        assert loaded.session is not again and loaded.session.seed == seed
        assert loaded.baseline_known and app.forecasts()._next == jobs
        # Another seed is another game: its baseline is asked for.
        other = app.start_session(Session(scenario, s.player, seed + 1))
        assert not other.baseline_known and app.forecasts()._next == jobs + 1
    finally:
        app.close()
