"""The forecast played in a process of its own gives the odds of the forecast played in the
frame loop, bit for bit; a newer forecast replaces the one in hand; the process ends when it is
closed; a process that cannot start or dies leaves the forecast to the frame loop."""

import os
import signal
import time

import pytest

from game.play.forecast import Forecast
from game.play.session import Session
from game.ui.background import ForecastProcess, RemoteForecast


@pytest.fixture
def worker():
    w = ForecastProcess()
    yield w
    w.close()


@pytest.fixture(scope="module")
def game(scenario):
    s = Session(scenario, scenario.params.actor_ids.index("KOR"), 9)
    for _ in range(2):
        s.end_turn(None)
    return s


def _local(s, **kw):
    return Forecast(s.params, s.state, s.player, **kw).run()


def test_the_process_forecast_is_the_frame_loop_forecast(scenario, game, worker):
    kw = dict(runs=240, months=12, seed=17, chunk=100)
    f = worker.start(scenario, game.state, game.player, **kw)
    assert isinstance(f, RemoteForecast) and worker.alive()
    got = f.run()
    assert got == _local(game, **kw)
    assert max(got.odds.values()) > 0  # the comparison covers futures that climb
    assert f.done and f.progress == 1.0 and f.local is None  # played in the process
    # The worker keeps the scenario: a second forecast of another month needs only the state.
    later = Session(scenario, game.player, 9)
    later.end_turn(None)
    kw2 = dict(runs=120, months=6, seed=3, chunk=50)
    assert worker.start(scenario, later.state, later.player, **kw2).run() == _local(later, **kw2)


def test_a_newer_forecast_replaces_the_one_in_hand(scenario, game, worker):
    first = worker.start(scenario, game.state, game.player, runs=2000, seed=1, chunk=100)
    second = worker.start(scenario, game.state, game.player, runs=100, months=4, seed=2)
    assert second.run() == _local(game, runs=100, months=4, seed=2, chunk=250)
    worker.poll()
    assert not first.done and first.error == "replaced"
    second.cancel()  # a finished forecast stays as it is
    assert second.done
    third = worker.start(scenario, game.state, game.player, runs=2000, seed=4, chunk=100)
    third.cancel()
    fourth = worker.start(scenario, game.state, game.player, runs=60, months=2, seed=5)
    assert fourth.run() == _local(game, runs=60, months=2, seed=5, chunk=250)
    assert not third.done


def test_closing_ends_the_process(scenario, game, worker):
    f = worker.start(scenario, game.state, game.player, runs=2000, seed=1, chunk=50)
    proc = worker.proc
    worker.wait(5.0)  # the worker has started on it
    worker.close()
    assert not proc.is_alive() and proc.exitcode is not None
    assert not f.done
    # Closed, the window's forecasts are worked in the frame loop.
    assert isinstance(worker.start(scenario, game.state, game.player, runs=10), Forecast)


def test_a_process_that_cannot_start_leaves_the_forecast_to_the_frame_loop(
    scenario, game, monkeypatch
):
    import multiprocessing.process

    def refuse(self):
        raise OSError("no processes here")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    w = ForecastProcess()
    f = w.start(scenario, game.state, game.player, runs=80, months=3, seed=6, chunk=40)
    assert isinstance(f, Forecast) and "no processes here" in w.failed
    assert f.run() == _local(game, runs=80, months=3, seed=6, chunk=40)
    w.close()


def test_a_process_that_dies_hands_its_forecast_to_the_frame_loop(scenario, game, worker):
    kw = dict(runs=300, months=12, seed=8, chunk=50)
    f = worker.start(scenario, game.state, game.player, **kw)
    worker.wait(10.0)
    os.kill(worker.pid, signal.SIGKILL)
    worker.proc.join(10)
    end = time.monotonic() + 60
    while f.local is None and not f.done and time.monotonic() < end:
        f.advance(0.0)
    assert f.local is not None and worker.failed
    assert f.run() == _local(game, **kw)


def test_no_process_asked_for_is_the_frame_loop(scenario, game):
    w = ForecastProcess(None)
    assert isinstance(w.start(scenario, game.state, game.player, runs=10), Forecast)
    assert w.proc is None


def test_two_workers_each_play_a_part_and_the_parts_are_the_whole(scenario, game):
    w = ForecastProcess(workers=2)
    try:
        kw = dict(runs=600, months=8, seed=21, chunk=128)
        f = w.start(scenario, game.state, game.player, **kw)
        assert len(w.workers) == 2 and w.alive()
        assert f.parts == [(0, 300), (300, 600)]
        got = f.run()
        assert f.local is None and got == _local(game, **kw)
        # Too few futures for two: one worker plays them all.
        small = w.start(scenario, game.state, game.player, runs=300, months=3, seed=2)
        assert small.parts == [(0, 300)]
        assert small.run() == _local(game, runs=300, months=3, seed=2, chunk=250)
    finally:
        w.close()
    assert not w.workers and w.proc is None


def test_the_second_worker_dying_hands_the_forecast_to_the_frame_loop(scenario, game):
    w = ForecastProcess(workers=2)
    try:
        kw = dict(runs=800, months=12, seed=8, chunk=50)
        f = w.start(scenario, game.state, game.player, **kw)
        w.wait(10.0)
        os.kill(w.workers[1].proc.pid, signal.SIGKILL)
        w.workers[1].proc.join(10)
        end = time.monotonic() + 60
        while f.local is None and not f.done and time.monotonic() < end:
            f.advance(0.0)
        assert f.local is not None and w.failed
        assert f.run() == _local(game, **kw)
    finally:
        w.close()


def test_without_a_chunk_the_workers_step_theirs_and_the_frame_loop_its_own(
    scenario, game, worker, monkeypatch
):
    from game.play.forecast import FRAME_CHUNK, WORKER_CHUNK

    assert worker._start()
    sent = []
    box = worker.workers[0].outbox

    class Recorded:  # the worker's outbox, with what is put in it kept
        def put(self, msg):
            sent.append(msg)
            box.put(msg)

        def get(self, *a, **k):
            return box.get(*a, **k)

    monkeypatch.setattr(worker.workers[0], "outbox", Recorded())
    f = worker.start(scenario, game.state, game.player, runs=300, months=2, seed=3)
    job = next(m for m in sent if m[0] == "job")
    assert job[-2] == WORKER_CHUNK  # (..., runs, months, seed, chunk, rows)
    assert f._kwargs["chunk"] == FRAME_CHUNK  # what a lost worker's forecast is worked in
    assert f.run() == _local(game, runs=300, months=2, seed=3, chunk=FRAME_CHUNK)
    # Without the processes, the frame loop's chunk.
    local = ForecastProcess(None).start(scenario, game.state, game.player, runs=10)
    assert local._chunk == FRAME_CHUNK


def test_the_map_screen_leaves_the_chunk_to_the_forecast_process(app, scenario, monkeypatch):
    # The screen asks for the forecast; the process steps it in the rows its place calls for.
    asked = []
    real = ForecastProcess.start

    def start(self, *args, **kwargs):
        asked.append(kwargs)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ForecastProcess, "start", start)
    play = app.start_session(Session(scenario, scenario.params.actor_ids.index("KOR"), 4))
    play.toggle_forecast()
    assert asked and "chunk" not in asked[0]
    play.cancel_forecast()
