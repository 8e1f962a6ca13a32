"""The forecast: a few thousand futures of the next twelve months, with the AI for everyone.

The current game (a batch of one) is copied into every row of a batch; each row gets its own
random key, so the futures differ only by chance. The batch is stepped in chunks of rows, a
little at a time, so the play window keeps drawing frames while the forecast runs.
No pygame.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from game.ai import doctrine_policy
from game.engine import step
from game.engine.rng import run_keys

DEFAULT_RUNS = 2000
DEFAULT_MONTHS = 12
THRESHOLD_ORDER = ("armed_clash", "war", "nuclear_use", "general_nuclear_war")
THRESHOLD_LABELS = {
    "threat": "Threat",
    "armed_clash": "Armed clash",
    "war": "War",
    "nuclear_use": "Nuclear use",
    "general_nuclear_war": "General nuclear war",
}


@dataclass
class ForecastResult:
    runs: int
    months: int
    start_turn: int
    # threshold name -> share of futures in which some pair that stood below it reaches it
    odds: dict[str, float]
    # threshold name -> (months,) cumulative share by the end of each month
    cumulative: dict[str, list[float]]
    player_war: float  # share of futures in which the player's state goes to war
    region_war: float  # share of futures with a new war between two states on the map
    region_cumulative: list[float]  # (months,) the same, by the end of each month
    likeliest_war: tuple[str, str, float] | None  # the pair most often at war, and how often


class Forecast:
    """An incremental Monte Carlo of the months ahead from one game state."""

    def __init__(
        self,
        params,
        state,
        player: int,
        runs: int = DEFAULT_RUNS,
        months: int = DEFAULT_MONTHS,
        seed: int = 0,
        chunk: int = 250,
    ) -> None:
        if state.batch != 1:
            raise ValueError("forecast from a single game")
        self.params = params
        self.runs = int(runs)
        self.months = max(1, min(int(months), max(params.turns - state.turn, 1)))
        self.player = int(player)
        self.start_turn = int(state.turn)
        self._state = state
        self._seed = int(seed)
        self._chunk = max(1, int(chunk))
        self._r0 = state.rung[0].copy()
        names = [n for n in THRESHOLD_ORDER if n in params.thresholds]
        self._names = names
        self._first = {n: np.full(self.runs, -1, dtype=np.int32) for n in names}
        n_a = params.n_actors
        self._player_war = np.zeros(self.runs, dtype=bool)
        self._region_first = np.full(self.runs, -1, dtype=np.int32)
        self._pair_war = np.zeros((n_a, n_a), dtype=np.int64)
        self._work = self._jobs()
        self._done_steps = 0
        self._total_steps = -(-self.runs // self._chunk) * self.months
        self.result: ForecastResult | None = None

    @property
    def progress(self) -> float:
        if self.result is not None:
            return 1.0
        return min(self._done_steps / max(self._total_steps, 1), 0.999)

    @property
    def done(self) -> bool:
        return self.result is not None

    def _jobs(self):
        p = self.params
        war = int(p.thresholds["war"])
        below_war = self._r0 < war
        for lo in range(0, self.runs, self._chunk):
            hi = min(lo + self._chunk, self.runs)
            rows = np.arange(lo, hi)
            st = self._state.take(np.zeros(hi - lo, dtype=np.int64))
            st.runs = rows.astype(np.int64)
            st.keys = run_keys(self._seed, rows)
            at_war_ever = np.zeros((hi - lo, p.n_actors, p.n_actors), dtype=bool)
            for m in range(self.months):
                st, _ = step(p, st, doctrine_policy)
                rung = st.rung
                for name in self._names:
                    level = int(p.thresholds[name])
                    hit = ((rung >= level) & (self._r0 < level)[None]).any(axis=(1, 2))
                    first = self._first[name][lo:hi]
                    first[(first < 0) & hit] = m
                new_war = (rung >= war) & below_war[None]
                at_war_ever |= new_war
                self._player_war[lo:hi] |= new_war[:, self.player, :].any(axis=1)
                region = (new_war & p.regional_pair_mask[None]).any(axis=(1, 2))
                first = self._region_first[lo:hi]
                first[(first < 0) & region] = m
                self._done_steps += 1
                yield
                if st.done.all():
                    self._done_steps += self.months - m - 1
                    break
            self._pair_war += at_war_ever.sum(axis=0)

    def advance(self, budget_s: float = 0.006) -> bool:
        """Work for about ``budget_s`` seconds; True once the forecast is complete."""
        if self.result is not None:
            return True
        start = time.perf_counter()
        end = start + budget_s
        while True:
            t0 = time.perf_counter()
            try:
                next(self._work)
            except StopIteration:
                self._finish()
                return True
            now = time.perf_counter()
            # Stop before a step that would likely overrun the budget (one step at least).
            if now + (now - t0) >= end:
                return False

    def run(self) -> ForecastResult:
        while not self.advance(1.0):
            pass
        assert self.result is not None
        return self.result

    def _finish(self) -> None:
        p = self.params
        odds, cumulative = {}, {}
        for name in self._names:
            first = self._first[name]
            odds[name] = float((first >= 0).mean())
            cumulative[name] = [
                float(((first >= 0) & (first <= m)).mean()) for m in range(self.months)
            ]
        pw = np.triu(self._pair_war, 1)
        likeliest = None
        if pw.max() > 0:
            i, j = np.unravel_index(int(np.argmax(pw)), pw.shape)
            likeliest = (p.actor_ids[i], p.actor_ids[j], float(pw[i, j] / self.runs))
        self.result = ForecastResult(
            runs=self.runs,
            months=self.months,
            start_turn=self.start_turn,
            odds=odds,
            cumulative=cumulative,
            player_war=float(self._player_war.mean()),
            region_war=float((self._region_first >= 0).mean()),
            region_cumulative=[
                float(((self._region_first >= 0) & (self._region_first <= m)).mean())
                for m in range(self.months)
            ],
            likeliest_war=likeliest,
        )


def forecast_seed(game_seed: int, turn: int) -> int:
    """A seed for the forecast of a month, distinct from the game's own stream."""
    return (int(game_seed) * 1_000_003 + int(turn) * 7_919 + 0x5EED) & 0x7FFFFFFFFFFFFFFF
