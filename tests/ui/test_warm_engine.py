"""The play window loads the engine's compiled kernels in a thread once its first game screen is
whole, so that the player's first "End turn" does not wait for them (about a second)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys, tempfile
    import pygame
    from game.scenario import load_scenario
    from game.play.session import Session
    from game.ui import play
    from game.ui.app import App

    sc = load_scenario("scenarios/treaty-2024.toml")
    app = App((1280, 800), save_dir=tempfile.mkdtemp(), seed=7, forecast_runs=200)
    app.start_session(Session(sc, sc.params.actor_ids.index("KOR"), 5))
    app.frame(1 / 60)
    print("after the first frame:", "numba" in sys.modules, play._warming is not None)
    for _ in range(600):
        app.frame(1 / 60)
        if app.stack.top.drawn() and not app.stack.top._opening:
            break
    play._warming.join(60)
    print("after the opening:", "game.ai.kernel" in sys.modules, play._warming.is_alive())
    app.close()
    pygame.quit()
    """
)


def test_the_kernels_load_in_a_thread_once_the_screen_is_whole():
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    # Not while the window opens: its first frames stay light ...
    assert "after the first frame: False False" in lines
    # ... then in a thread of its own, done before any month is played.
    assert "after the opening: True False" in lines
