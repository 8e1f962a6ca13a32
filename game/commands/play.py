"""``pact play``: the game in a window. pygame is imported only when the command runs.

The arguments become the window's typed options; a bad value, whether the options or the window
refuse it, is one line naming the flag and exit status 2.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from game.commands.common import UsageError, path_arg
from game.ui.options import DEFAULT_SIZE, WindowOptionError, WindowOptions

# The flag that sets each window option, to name it in error messages.
FLAGS = {
    "scenario": "SCENARIO",
    "player": "--as",
    "seed": "--seed",
    "autoplay": "--autoplay",
    "screenshot": "--screenshot",
    "size": "--size",
    "fullscreen": "--fullscreen",
}


def register(sub) -> None:
    p = sub.add_parser(
        "play",
        help="play a scenario on the map of Northeast Asia",
        description="Open the game window: pick a scenario and a state, then play month by "
        "month on the map. With --as the game starts at once as that state. With --autoplay "
        "the AI plays the months for you and the window closes (add --screenshot to keep a "
        "picture of the final map); this works without a display (SDL_VIDEODRIVER=dummy). "
        "A game you play is saved after every month (to $PACT_SAVE_DIR, else the user's data "
        "folder): Continue and Load game on the title screen take it up again. An autoplayed "
        "game is not saved, and leaves the autosave as it was.",
    )
    p.add_argument(
        "scenario",
        nargs="?",
        default=None,
        help="scenario file (default scenarios/treaty-2024.toml; looked up in the project "
        "folder if not found here)",
    )
    p.add_argument(
        "--as",
        dest="as_",
        metavar="ACTOR",
        help="play this state (its id, e.g. KOR) and skip the menus",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="random seed of the game (default: a new one each game; 0 with --autoplay)",
    )
    p.add_argument(
        "--autoplay",
        type=int,
        default=None,
        metavar="N",
        help="let the AI play N months for you, then exit (nothing is saved)",
    )
    p.add_argument(
        "--screenshot",
        type=path_arg,
        metavar="FILE",
        help="save a picture of the map screen when autoplay ends, then exit (PNG, or JPEG, "
        "BMP or TGA by the file's extension)",
    )
    p.add_argument(
        "--size",
        metavar="WxH",
        default=None,
        help="window size (default 1280x800); the window can be resized",
    )
    p.add_argument("--fullscreen", action="store_true", help="start in full screen (F11 toggles)")
    p.set_defaults(func=cmd_play)


def cmd_play(args: argparse.Namespace) -> int:
    from game.scenario.paths import find_scenario

    size = parse_size(args.size)
    try:
        options = WindowOptions(
            scenario=None if args.scenario is None else find_scenario(args.scenario),
            player=args.as_,
            seed=args.seed,
            autoplay=args.autoplay,
            screenshot=None if args.screenshot is None else Path(args.screenshot),
            size=size,
            fullscreen=args.fullscreen,
        )
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        from game.ui.app import open_window

        return open_window(options)
    except WindowOptionError as e:
        raise UsageError(e.named(FLAGS[e.option])) from None


def parse_size(text: str | None) -> tuple[int, int]:
    """--size WxH as a pair of numbers (the window checks the range)."""
    if not text:
        return DEFAULT_SIZE
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size expects WIDTHxHEIGHT, e.g. 1280x800, got '{text}'") from None
    return w, h
