"""Shared set-up for the play-window tests: SDL's dummy drivers, a window with its saves in a
temporary folder, and a driver that plays through posted pygame events, as a player would."""

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.play.savefile import repo_root  # noqa: E402
from game.scenario import load_scenario  # noqa: E402

SCENARIO = repo_root() / "scenarios" / "treaty-2024.toml"


@pytest.fixture(scope="session", autouse=True)
def _saves_in_a_temporary_folder(tmp_path_factory):
    """Windows opened without an explicit folder (the CLI tests) save here, not in $HOME."""
    old = os.environ.get("PACT_SAVE_DIR")
    os.environ["PACT_SAVE_DIR"] = str(tmp_path_factory.mktemp("pact-saves"))
    yield
    if old is None:
        os.environ.pop("PACT_SAVE_DIR", None)
    else:
        os.environ["PACT_SAVE_DIR"] = old


@pytest.fixture(scope="session")
def scenario():
    return load_scenario(SCENARIO)


def settle(app, limit: int = 600) -> None:
    """Frames until the map screen on top has every first picture: the map's and the panels'
    are painted over the window's first few frames."""
    for _ in range(limit):
        app.frame(1 / 60)
        drawn = getattr(app.stack.top, "drawn", None)
        if drawn is None or drawn():
            return
    raise AssertionError("the map screen was never drawn whole")


class Driver:
    """Posts input events to the window and runs frames."""

    def __init__(self, app):
        self.app = app

    def key(self, k, unicode="", mod=0, frames=1):
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=k, unicode=unicode, mod=mod, scancode=0)
        )
        self.pump(frames)

    def move(self, pos, frames=1):
        pos = (int(pos[0]), int(pos[1]))
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
        )
        self.pump(frames)

    def click(self, pos, button=1, frames=1):
        pos = (int(pos[0]), int(pos[1]))
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
        )
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
        self.pump(frames)

    def wheel(self, dy, frames=1):
        pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=dy, flipped=False))
        self.pump(frames)

    def pump(self, frames=1):
        for _ in range(frames):
            self.app.frame(1 / 60)

    @property
    def top(self):
        return self.app.stack.top


@pytest.fixture
def save_dir(tmp_path):
    return tmp_path / "saves"


@pytest.fixture
def app(save_dir):
    from game.ui.app import App

    window = App((1280, 800), save_dir=save_dir, seed=7, forecast_runs=200)
    yield window
    window.close()
    pygame.quit()


@pytest.fixture
def ui(app):
    return Driver(app)
