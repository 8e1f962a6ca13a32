"""A monkey at the keyboard: 5,000 random clicks, keys, wheel turns and resizes, seeded, must
never raise, must always leave a scene on the window, and must get round the menus into games
that it plays on. When the monkey quits the game, the window is opened again."""

import random

import pygame
import pytest

from game.ui.app import App
from game.ui.scenes.title import TitleScene

KEYS = [
    pygame.K_RETURN,
    pygame.K_SPACE,
    pygame.K_ESCAPE,
    pygame.K_UP,
    pygame.K_DOWN,
    pygame.K_LEFT,
    pygame.K_RIGHT,
    pygame.K_TAB,
    pygame.K_f,
    pygame.K_F1,
    pygame.K_h,
    pygame.K_s,
    pygame.K_l,
    pygame.K_n,
    pygame.K_c,
    pygame.K_q,
    pygame.K_1,
    pygame.K_3,
    pygame.K_9,
    pygame.K_PAGEUP,
    pygame.K_PAGEDOWN,
    pygame.K_HOME,
    pygame.K_BACKSPACE,
    pygame.K_a,
    pygame.K_d,
    pygame.K_w,
    pygame.K_F11,
    pygame.K_KP_ENTER,
]


def random_event(rng: random.Random, size):
    w, h = size
    pos = (rng.randrange(-20, w + 20), rng.randrange(-20, h + 20))
    roll = rng.random()
    if roll < 0.30:
        return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    if roll < 0.62:
        return pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=rng.choice((1, 1, 1, 3)))
    if roll < 0.67:
        return pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)
    if roll < 0.73:
        return pygame.event.Event(
            pygame.MOUSEWHEEL, x=0, y=rng.choice((-3, -1, 1, 2)), flipped=False
        )
    if roll < 0.988:
        k = rng.choice(KEYS)
        mod = pygame.KMOD_CTRL if rng.random() < 0.05 else 0
        uni = "?" if rng.random() < 0.02 else ""
        return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=uni, scancode=0)
    if roll < 0.994:
        nw, nh = rng.randrange(200, 1700), rng.randrange(150, 1100)
        return pygame.event.Event(pygame.VIDEORESIZE, w=nw, h=nh, size=(nw, nh))
    if roll < 0.997:
        return pygame.event.Event(
            pygame.WINDOWSIZECHANGED, x=rng.randrange(300, 1500), y=rng.randrange(200, 1000)
        )
    return pygame.event.Event(pygame.QUIT)


def new_app(save_dir):
    app = App((1280, 800), save_dir=save_dir, seed=3, forecast_runs=120)
    app.replace_all(TitleScene(app))
    return app


@pytest.mark.slow
def test_monkey(tmp_path):
    rng = random.Random(20240619)
    app = new_app(tmp_path / "saves")
    restarts = 0
    posted = 0
    seen: set[str] = set()  # the kinds of scene the monkey had on top
    months = 0  # months played in all the games it started
    try:
        while posted < 5000:
            for _ in range(rng.randint(1, 4)):
                pygame.event.post(random_event(rng, app.size))
                posted += 1
            before = app.session()
            turn = before.turn if before is not None else None
            app.frame(1 / 60)
            if not app.running:
                pygame.quit()
                restarts += 1
                app = new_app(tmp_path / "saves")
                continue
            assert app.stack.top is not None, "the window always shows a scene"
            seen.add(type(app.stack.top).__name__)
            if before is not None and app.session() is before:
                months += before.turn - turn
        app.frame(1 / 60)
    finally:
        pygame.quit()
    menus = {"TitleScene", "ScenarioScene", "StateScene", "PauseScene", "HelpScene", "LoadScene"}
    assert menus | {"PlayScene"} <= seen, sorted(seen)
    assert months >= 10, "the monkey's games went on, month after month"
    assert restarts >= 1, "quitting closes the window (and the test opens it again)"
