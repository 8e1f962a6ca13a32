"""What the window is opened with: typed options, checked when they are made. No pygame.

Whoever opens the window (the ``play`` command, a test, a notebook) builds ``WindowOptions``; a
bad value raises ``WindowOptionError``, whose message the caller can word with its own name
for the option.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_SIZE = (1280, 800)
MIN_SIZE, MAX_SIZE = (960, 600), (7680, 4320)  # below MIN_SIZE the panels do not fit
MAX_AUTOPLAY = 600  # months
SCREENSHOT_SUFFIXES = (".png", ".bmp", ".tga", ".jpg", ".jpeg")


class WindowOptionError(ValueError):
    """A bad value of one window option. The message starts with the option's field name, which
    ``named`` replaces with the caller's own name for it (a command-line flag, say)."""

    def __init__(self, option: str, message: str) -> None:
        assert message.startswith(option), (option, message)
        super().__init__(message)
        self.option = option

    def named(self, name: str) -> str:
        return name + str(self)[len(self.option) :]


@dataclass(frozen=True)
class WindowOptions:
    """How to open the window; see ``game.ui.app.open_window``."""

    scenario: Path | None = None  # a scenario file; None: the menus (or the default scenario)
    player: str | None = None  # a state's id: play it at once, without the menus
    seed: int | None = None  # None: a new seed each game (0 when headless)
    autoplay: int | None = None  # the AI plays this many months, then the window closes
    screenshot: Path | None = None  # a picture of the map screen when autoplay ends
    size: tuple[int, int] = DEFAULT_SIZE
    fullscreen: bool = False

    def __post_init__(self) -> None:
        w, h = self.size
        if not (MIN_SIZE[0] <= w <= MAX_SIZE[0] and MIN_SIZE[1] <= h <= MAX_SIZE[1]):
            raise WindowOptionError(
                "size",
                f"size must be between {MIN_SIZE[0]}x{MIN_SIZE[1]} and {MAX_SIZE[0]}x{MAX_SIZE[1]}, "
                f"got '{w}x{h}'",
            )
        if self.autoplay is not None and not 0 <= self.autoplay <= MAX_AUTOPLAY:
            raise WindowOptionError(
                "autoplay",
                f"autoplay must be between 0 and {MAX_AUTOPLAY} months, got {self.autoplay}",
            )
        if self.screenshot is not None:
            shot = Path(self.screenshot)
            if shot.suffix.lower() not in SCREENSHOT_SUFFIXES:
                kinds = ", ".join(SCREENSHOT_SUFFIXES)
                raise WindowOptionError(
                    "screenshot",
                    f"screenshot must name a picture file ({kinds}), got '{self.screenshot}'",
                )
            if shot.parent and not shot.parent.exists():
                raise WindowOptionError(
                    "screenshot", f"screenshot: folder {shot.parent} does not exist"
                )

    @property
    def headless(self) -> bool:
        """Autoplay or a screenshot: no menus, no autosave, the window closes by itself."""
        return self.autoplay is not None or self.screenshot is not None
