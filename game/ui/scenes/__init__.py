"""The scenes of the window, by name: ``App.open(name, *args)`` makes and shows them.

A scene class may say how it is opened: ``root = True`` replaces every scene on the stack
(the title, a game); ``single = True`` is not opened again over itself (help, the results).
"""

from __future__ import annotations

from game.ui.play import PlayScene
from game.ui.scene import Scene
from game.ui.scenes.alert import AlertScene
from game.ui.scenes.end import EndScene
from game.ui.scenes.help import HelpScene
from game.ui.scenes.load import LoadScene
from game.ui.scenes.message import MessageScene
from game.ui.scenes.pause import PauseScene
from game.ui.scenes.pickers import ScenarioScene, StateScene
from game.ui.scenes.title import TitleScene

SCENES: dict[str, type[Scene]] = {
    "title": TitleScene,
    "scenarios": ScenarioScene,
    "states": StateScene,
    "play": PlayScene,
    "pause": PauseScene,
    "help": HelpScene,
    "load": LoadScene,
    "end": EndScene,
    "message": MessageScene,
    "alert": AlertScene,
}
