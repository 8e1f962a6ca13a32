"""The play window: the pygame display, the frame loop, the scene stack and the moves between
scenes (new game, save, load, pause, end)."""

from __future__ import annotations

import os
import time
from collections import deque
from pathlib import Path

import pygame

from game.text import counted
from game.ui import theme
from game.ui.options import DEFAULT_SIZE, MIN_SIZE, WindowOptionError, WindowOptions
from game.ui.scene import Scene, SceneStack

FPS = 60


class App:
    def __init__(
        self,
        size=DEFAULT_SIZE,
        *,
        save_dir: Path | str | None = None,
        scenario_dir: Path | str | None = None,
        seed: int | None = None,
        fullscreen: bool = False,
        autosave: bool = True,
        forecast_runs: int = 2000,
        forecast_process: str | None = "spawn",
    ) -> None:
        from game.play.savefile import default_save_dir, repo_root

        pygame.display.init()
        pygame.font.init()
        theme.reset_caches()
        pygame.display.set_caption("Pact \u2014 Northeast Asia")
        self.windowed_size = (max(int(size[0]), MIN_SIZE[0]), max(int(size[1]), MIN_SIZE[1]))
        pygame.display.set_icon(_icon())
        self.screen = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
        self.fullscreen = False
        self.stack = SceneStack()
        self.clock = pygame.time.Clock()
        self.t = 0.0
        self.running = True
        self.mouse = (-1, -1)
        self.save_dir = Path(save_dir) if save_dir else default_save_dir()
        self.scenario_dir = Path(scenario_dir) if scenario_dir else repo_root() / "scenarios"
        self.seed = seed
        self.autosave_enabled = autosave
        self.forecast_runs = forecast_runs
        self.forecast_budget = 0.006  # seconds of forecast work per frame (in-loop fallback)
        # The forecasts' worker process (None: forecasts are worked in the frame loop).
        self._forecast_context = forecast_process
        self._forecasts = None
        # The games' AI baselines, by (scenario content, seed): made (Baseline) or in the
        # making (RemoteBaseline); kept for the window's life.
        self._baselines: dict[tuple[str, int], object] = {}
        self._toast: tuple[str, str, float] | None = None
        self._backdrop = None  # (key, MapView)
        self._gradient = None
        self._scenarios = None
        self.frame_ms: deque[float] = deque(maxlen=1000)
        if fullscreen:
            self.toggle_fullscreen()

    # ------------------------------------------------------------------ frame
    @property
    def size(self) -> tuple[int, int]:
        return self.screen.get_size()

    def frame(self, dt: float | None = None) -> None:
        """One frame: handle pending input, advance, draw, show."""
        start = time.perf_counter()
        for ev in pygame.event.get():
            self.dispatch(ev)
            if not self.running:
                return
        if dt is None:
            dt = self.clock.tick() / 1000.0
        self.t += min(dt, 0.25)
        self.stack.update(dt)
        self.draw()
        pygame.display.flip()
        self.frame_ms.append((time.perf_counter() - start) * 1000.0)

    def draw(self) -> None:
        surf = self.screen
        if not self.stack.scenes or self.stack.scenes[0].opaque is False:
            surf.fill(theme.BG)
        self.stack.draw(surf)
        self._draw_toast(surf)

    def run(self) -> int:
        while self.running:
            self.frame(self.clock.tick(FPS) / 1000.0)
        return 0

    def dispatch(self, ev) -> None:
        if ev.type == pygame.QUIT:
            self.quit()
            return
        if ev.type == pygame.VIDEORESIZE:
            self.on_resize(getattr(ev, "w", None), getattr(ev, "h", None))
            return
        if ev.type == pygame.WINDOWSIZECHANGED:
            # Also sent when the program itself changes the mode: lay out for the size the
            # window has now, without asking for another one.
            self.screen = pygame.display.get_surface() or self.screen
            self.stack.layout(self.size)
            return
        if ev.type == pygame.KEYDOWN and getattr(ev, "key", None) == pygame.K_F11:
            self.toggle_fullscreen()
            return
        if ev.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            pos = getattr(ev, "pos", None)
            if pos is not None:
                try:
                    self.mouse = (int(pos[0]), int(pos[1]))
                except (TypeError, ValueError, IndexError):
                    return
        self.stack.handle(ev)

    def on_resize(self, w, h) -> None:
        try:
            w, h = int(w), int(h)
        except (TypeError, ValueError):
            w, h = self.screen.get_size()
        # The window does not shrink below the size its panels are laid out for.
        w, h = max(w, MIN_SIZE[0]), max(h, MIN_SIZE[1])
        self.screen = pygame.display.get_surface() or self.screen
        if not self.fullscreen and self.screen.get_size() != (w, h):
            self.screen = pygame.display.set_mode((w, h), pygame.RESIZABLE)
        if not self.fullscreen:
            self.windowed_size = self.screen.get_size()
        self.stack.layout(self.size)

    def toggle_fullscreen(self) -> None:
        if self.fullscreen:
            self.screen = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
            if self.screen.get_size() != self.windowed_size:
                # Some drivers keep the full-screen size on the first call back.
                self.screen = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
        else:
            self.windowed_size = self.screen.get_size()
            self.screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        self.fullscreen = not self.fullscreen
        self.stack.layout(self.size)

    def quit(self) -> None:
        self.running = False

    def forecasts(self):
        """The window's forecast worker (``game.ui.background``), made on first use."""
        from game.ui.background import ForecastProcess

        if self._forecasts is None:
            self._forecasts = ForecastProcess(self._forecast_context)
        return self._forecasts

    def baseline(self, session, wait: bool = False):
        """The AI baseline of ``session``'s game (what its verdict is measured against) if it
        is made, else None (``wait``: wait for it): the first call asks the forecast process
        to make it, and the frames go on meanwhile. A game of the same scenario and seed,
        reopened or loaded, finds it made."""
        from game.ui.background import RemoteBaseline, scenario_digest

        known = session.known_baseline()
        key = (scenario_digest(session.scenario.raw), int(session.seed))
        kept = self._baselines.get(key)
        if known is not None:
            self._baselines[key] = known
            return known
        if kept is None:
            kept = self._baselines[key] = self.forecasts().baseline(session.scenario, session.seed)
        if isinstance(kept, RemoteBaseline):
            if wait:
                kept.run()
            elif not kept.advance():
                return None
            kept = self._baselines[key] = kept.result
        session.use_baseline(kept)
        return kept

    def close(self) -> None:
        """End what the window started: the forecast process."""
        if self._forecasts is not None:
            self._forecasts.close()

    # ----------------------------------------------------------------- scenes
    def push(self, scene: Scene) -> Scene:
        return self.stack.push(scene, self.size)

    def pop_scene(self, scene: Scene | None = None) -> None:
        self.stack.pop(scene)

    def replace_all(self, scene: Scene) -> Scene:
        self.stack.clear()
        return self.push(scene)

    def play_scene(self):
        from game.ui.play import PlayScene

        return self.stack.find(PlayScene)

    def session(self):
        play = self.play_scene()
        return play.session if play is not None else None

    def open(self, name: str, *args) -> Scene:
        """Show the scene registered as ``name`` (``game.ui.scenes.SCENES``), made with
        ``args``: over the current ones, or in place of them all for a root scene."""
        from game.ui.scenes import SCENES

        kind = SCENES[name]
        if kind.single and isinstance(self.stack.top, kind):
            return self.stack.top
        scene = kind(self, *args)
        return self.replace_all(scene) if kind.root else self.push(scene)

    def opener(self, name: str, *args):
        """A button's action that opens scene ``name``."""
        return lambda: self.open(name, *args)

    # ------------------------------------------------------------------ games
    def new_game(self, loaded, player: int, seed: int):
        from game.play.session import Session

        session = Session(loaded, player, seed)
        return self.start_session(session)

    def start_session(self, session):
        return self.open("play", session)

    def after_turn(self, play, alert: bool = True) -> None:
        """Called by the map scene once a month has been played: a moment with weight stops
        it with its alert (``alert``; not when the AI played the month), the end of the game
        opens the results."""
        from game.play.moments import moments

        s = play.session
        if self.autosave_enabled:
            self.autosave(s)
        found = moments(s, s.last_month()) if alert and s.last_month() else []
        if found:
            self.open("alert", play, found, s.over)
        elif s.over:
            self.open("end", play)

    def autosave_path(self) -> Path:
        from game.play.savefile import AUTOSAVE_NAME

        return self.save_dir / AUTOSAVE_NAME

    def autosave(self, session) -> None:
        from game.play.savefile import SaveError, save_game

        try:
            save_game(session, self.autosave_path())
        except SaveError as e:
            self.toast(f"Autosave failed: {e}", "bad")

    def save_game(self, path: Path | None = None) -> Path | None:
        from game.play.savefile import SUFFIX, SaveError, save_game

        s = self.session()
        if s is None:
            self.toast("No game to save", "warn")
            return None
        if path is None:
            y, m = s.date()
            stamp = time.strftime("%Y%m%d-%H%M%S")
            path = (
                self.save_dir
                / f"{s.params.scenario_id}-{s.player_id}-{y:04d}{m:02d}-{stamp}{SUFFIX}"
            )
        try:
            save_game(s, path)
        except SaveError as e:
            self.open("message", "Could not save", str(e), "bad")
            return None
        self.toast(f"Game saved: {Path(path).name}", "good")
        return Path(path)

    def load_game(self, path) -> bool:
        """Load a save; on failure show why and leave the current game as it is."""
        from game.play.savefile import SaveError, load_game

        current = self.session()
        try:
            session = load_game(path, scenario=current.scenario if current else None)
        except Exception as e:  # a save, however damaged, never ends the game in progress
            if not isinstance(e, SaveError):
                e = SaveError(f"{Path(path).name} cannot be read ({type(e).__name__})")
            what = "The current game goes on." if current else ""
            self.open("message", "Could not load the saved game", f"{e}. {what}".strip(), "bad")
            return False
        self.start_session(session)
        self.toast(f"Loaded {Path(path).name}", "good")
        return True

    def autosave_playable(self) -> bool:
        """There is an autosave of a game still going on (a finished game is not continued)."""
        from game.play.savefile import SaveError, read_header

        if not self.autosave_path().is_file():
            return False
        try:
            return not read_header(self.autosave_path()).get("over", False)
        except SaveError:
            return True  # loading it says what is wrong

    def continue_autosave(self) -> None:
        if self.autosave_playable():
            self.load_game(self.autosave_path())

    def scenario_entries(self):
        from game.scenario.paths import find_scenarios

        if self._scenarios is None:
            self._scenarios = find_scenarios(self.scenario_dir)
        return self._scenarios

    # --------------------------------------------------------------- backdrop
    def backdrop_map(self, loaded=None):
        """A map of the whole window for the menus, coloured by bloc."""
        from game.ui.crisis import bloc_fill
        from game.ui.mapview import MapView

        if loaded is None:
            ok = [e for e in self.scenario_entries() if e.ok]
            loaded = ok[0].loaded if ok else None
        fills = {}
        if loaded is not None:
            p = loaded.params
            blocs = p.extra.get("blocs", ["neutral"] * p.n_actors)
            for a, iso in enumerate(p.actor_ids):
                row = p.rung0[a].copy()
                row[a] = 0
                fills[iso] = bloc_fill(blocs[a], int(row.max()), p.thresholds)
        key = self.size
        if self._backdrop is None or self._backdrop[0] != key:
            self._backdrop = (key, MapView((0, 0, *self.size), fills, default_fill=(112, 110, 100)))
        else:
            self._backdrop[1].set_fills(fills)
        return self._backdrop[1]

    def draw_backdrop(self, surf, loaded=None) -> None:
        self.backdrop_map(loaded).draw(surf)

    def gradient(self, size) -> pygame.Surface:
        """A dark veil fading out to the right, for text over the map."""
        if self._gradient is None or self._gradient.get_size() != size:
            w, h = size
            g = pygame.Surface((w, h), pygame.SRCALPHA)
            for x in range(w):
                t = min(max((x / max(w, 1) - 0.5) / 0.5, 0.0), 1.0)
                a = round(238 * (1 - t * t * (3 - 2 * t)))
                pygame.draw.line(g, (6, 9, 14, a), (x, 0), (x, h))
            self._gradient = g
        return self._gradient

    # ---------------------------------------------------------------- toasts
    def toast(self, text: str, tone: str = "info") -> None:
        self._toast = (text, tone, self.t + 3.0)

    def _draw_toast(self, surf) -> None:
        if self._toast is None:
            return
        text, tone, until = self._toast
        if self.t > until:
            self._toast = None
            return
        col = theme.TONE.get(tone, theme.INFO)
        img = theme.render(theme.ellipsize(text, 13, surf.get_width() - 80), 13, theme.INK)
        rect = img.get_rect(midtop=(surf.get_width() // 2, 56)).inflate(28, 14)
        theme.fill(surf, rect, (12, 17, 26, 240), 6)
        pygame.draw.rect(surf, col, rect, 1, border_radius=6)
        pygame.draw.rect(surf, col, (rect.x, rect.y + 4, 3, rect.h - 8))
        surf.blit(img, img.get_rect(center=rect.center))

    def screenshot(self, path) -> None:
        """Save the window as a PNG (atomically); OSError if the file cannot be written."""
        from game.atomic import write_atomic

        path = Path(path)
        write_atomic(path, lambda f: pygame.image.save(self.screen, f, path.name), mode="wb")


def _icon() -> pygame.Surface:
    """The window icon: a gold ladder on the navy of the map's sea."""
    icon = pygame.Surface((32, 32), pygame.SRCALPHA)
    pygame.draw.rect(icon, (15, 21, 31), (0, 0, 32, 32), border_radius=6)
    for x in (10, 21):
        pygame.draw.line(icon, theme.GOLD, (x, 5), (x, 26), 3)
    for k, y in enumerate((8, 14, 20, 25)):
        col = theme.mix((86, 170, 142), (232, 88, 58), k / 3)
        pygame.draw.line(icon, col, (11, y), (20, y), 2)
    return icon


def open_window(options: WindowOptions) -> int:
    """Open the window as ``options`` say, and play (or autoplay). A state the scenario does not
    have raises ``WindowOptionError``, before the window opens."""
    from game.play.session import Session, pick_player
    from game.scenario import load_scenario
    from game.scenario.paths import DEFAULT_SCENARIO, find_scenario

    headless = options.headless
    given = options.player or headless or options.scenario is not None
    path = options.scenario or find_scenario(DEFAULT_SCENARIO)
    loaded = load_scenario(path) if given else None  # bad files fail here, before the window
    player = None
    if loaded is not None:
        try:
            player = pick_player(
                loaded.params, options.player, loaded.model.scenario.default_player
            )
        except KeyError:
            ids = ", ".join(loaded.params.actor_ids)
            raise WindowOptionError(
                "player", f"player: no state '{options.player}' in this scenario (one of {ids})"
            ) from None
    seed = options.seed
    app = App(
        options.size,
        seed=seed,
        autosave=not headless,
        fullscreen=options.fullscreen and not headless,
    )
    try:
        if loaded is not None and (options.player or headless):
            if seed is None:
                seed = 0 if headless else int.from_bytes(os.urandom(4), "little")
            app.start_session(Session(loaded, player, seed))
        else:
            app.open("title")
            if loaded is not None:
                app.open("states", loaded)
        if headless:
            play = app.play_scene()
            for _ in range(options.autoplay or 0):
                if play.session.over:
                    break
                play.end_turn(ai=True)
            # Back to the map screen (autoplay does not stop at the results).
            while app.stack.top is not play:
                app.pop_scene()
            if options.screenshot is not None:  # the picture shows the verdict, not "estimating"
                app.baseline(play.session, wait=True)
            app.frame(1 / FPS)
            app.frame(1 / FPS)
            for _ in range(600):  # the map and the panels are painted over a few frames
                if play.drawn():
                    break
                app.frame(1 / FPS)
            app.frame(1 / FPS)
            if options.screenshot is not None:
                app.screenshot(options.screenshot)
                print(
                    f"pact: screenshot of {play.session.params.scenario_name}, "
                    f"{play.session.player_name}, after {counted(play.session.turn, 'month')}: "
                    f"{options.screenshot}"
                )
            return 0
        return app.run()
    finally:
        app.close()
        pygame.quit()
