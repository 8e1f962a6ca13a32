"""The forecast: a few thousand futures of the next twelve months, with the AI for everyone.

The futures are the engine's own: the current game (a batch of one) is branched into a batch
(``game.engine.state.branch``: every row the same state, each with its own random key) and
stepped by ``game.sim.months``, the loop that ``pact run`` and ``pact batch`` play through. They
are read with the engine's own definitions: a threshold is crossed when ``crossings`` says so,
counted from the state the forecast starts from, and each future ends in the outcome
``classify`` gives it. From the scenario's start, with the same seed and runs, the forecast's
odds are those of ``pact batch`` exactly.

The batch is stepped in chunks of rows, a month at a time, so the play window keeps drawing
frames while the forecast runs. A forecast can also be played in parts, each a range of its rows
(``rows``): every future has its own random key, so a part's futures are the whole forecast's,
and the parts' tallies (``part``) put together (``absorb``, then ``finish``) give the whole
forecast's result, bit for bit. No pygame.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from game.engine.outcome import classify
from game.engine.state import branch
from game.engine.step import counted_pairs, crossings
from game.sim import months as play_months

DEFAULT_RUNS = 2000
DEFAULT_MONTHS = 12
# Rows stepped together: small where the forecast is worked in slices of the frame loop (a step
# must fit in a frame), larger in a process of its own, where fewer and larger steps cost less
# (each step pays a fixed cost of Python and numpy calls): a whole default forecast at once,
# whose step of a month takes a few tens of milliseconds, the longest a new job waits.
FRAME_CHUNK = 250
WORKER_CHUNK = DEFAULT_RUNS


@dataclass
class ForecastPart:
    """The tally of the futures ``lo:hi`` of a forecast, as ``Forecast.part`` gives it."""

    lo: int
    hi: int
    first: np.ndarray  # (hi - lo, thresholds) month of first crossing, -1: none
    player_war: np.ndarray  # (hi - lo,) the player's state crossed war with someone
    pair_war: np.ndarray  # (A, A) futures in which each pair crossed war
    outcomes: np.ndarray  # (outcomes,) futures ending at each outcome


def split_rows(runs: int, parts: int) -> list[tuple[int, int]]:
    """``runs`` rows cut into at most ``parts`` contiguous ranges of near-equal size."""
    parts = max(1, min(int(parts), int(runs)))
    edges = [runs * k // parts for k in range(parts + 1)]
    return [(a, b) for a, b in zip(edges, edges[1:]) if b > a]


@dataclass
class ForecastResult:
    runs: int
    months: int
    start_turn: int
    # threshold name -> share of futures that cross it (``crossings``, from the forecast's start)
    odds: dict[str, float]
    # threshold name -> (months,) cumulative share by the end of each month
    cumulative: dict[str, list[float]]
    player_war: float  # share of futures in which a pair with the player's state crosses war
    # outcome id -> share of futures that stand at that outcome (``classify``) when they end
    outcomes: dict[str, float]
    likeliest_war: tuple[str, str, float] | None  # the pair most often crossing war, how often

    def heading(self, params) -> tuple[str, float]:
        """The outcome most futures end in (its name) and the share that do."""
        shares = [self.outcomes.get(o.id, 0.0) for o in params.outcomes]
        o = int(np.argmax(shares))
        return params.outcomes[o].name, shares[o]


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
        chunk: int = FRAME_CHUNK,
        rows: tuple[int, int] | None = None,
    ) -> None:
        """``rows`` (lo, hi): play only those futures (a part, read with ``part``)."""
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
        lo, hi = (0, self.runs) if rows is None else (int(rows[0]), int(rows[1]))
        if not 0 <= lo <= hi <= self.runs:
            raise ValueError(f"rows {lo}:{hi} outside the forecast's {self.runs} futures")
        self._rows = (lo, hi)
        self._start = state.rung[0].copy()
        n_a, n_h = params.n_actors, len(params.thresholds)
        self._first = np.full((self.runs, n_h), -1, dtype=np.int32)  # month of first crossing
        self._war_pairs = counted_pairs(params, int(params.thresholds["war"]), self._start)
        self._player_war = np.zeros(self.runs, dtype=bool)
        self._pair_war = np.zeros((n_a, n_a), dtype=np.int64)
        self._outcomes = np.zeros(len(params.outcomes), dtype=np.int64)
        self._work = self._jobs()
        self._done_steps = 0
        self._total_steps = -(-(hi - lo) // self._chunk) * self.months
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
        first_row, last_row = self._rows
        for lo in range(first_row, last_row, self._chunk):
            hi = min(lo + self._chunk, last_row)
            start = branch(self._state, self._seed, np.arange(lo, hi), params=p)
            first = self._first[lo:hi]
            at_war = np.zeros((hi - lo, p.n_actors, p.n_actors), dtype=bool)
            played, futures = 0, start
            for _, futures in play_months(p, start, self.months, recycle=True):
                hit = crossings(p, futures.rung, self._start)
                first[(first < 0) & hit] = played
                at_war |= (futures.rung >= war) & self._war_pairs[None]
                played += 1
                self._done_steps += 1
                yield
            self._done_steps += self.months - played  # every future of the chunk ended early
            self._player_war[lo:hi] = at_war[:, self.player, :].any(axis=1)
            self._pair_war += at_war.sum(axis=0)
            self._outcomes += np.bincount(classify(p, futures), minlength=len(p.outcomes))

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
                if self._rows == (0, self.runs):
                    self.finish()
                else:
                    self._done_steps = self._total_steps
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

    def part(self) -> ForecastPart:
        """The tally of this forecast's rows, once they are played (``advance`` returned True)."""
        lo, hi = self._rows
        return ForecastPart(
            lo,
            hi,
            self._first[lo:hi].copy(),
            self._player_war[lo:hi].copy(),
            self._pair_war.copy(),
            self._outcomes.copy(),
        )

    def absorb(self, part: ForecastPart) -> None:
        """Take in the tally of futures played elsewhere (a part of this same forecast)."""
        self._first[part.lo : part.hi] = part.first
        self._player_war[part.lo : part.hi] = part.player_war
        self._pair_war += part.pair_war
        self._outcomes += part.outcomes

    def finish(self) -> None:
        """Read the result off the tally: every future played here or absorbed."""
        p = self.params
        odds, cumulative = {}, {}
        for h, name in enumerate(p.thresholds):
            first = self._first[:, h]
            odds[name] = float((first >= 0).mean())
            cumulative[name] = [
                float(((first >= 0) & (first <= m)).mean()) for m in range(self.months)
            ]
        pw = np.triu(self._pair_war, 1)  # rungs are symmetric: each pair once
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
            outcomes={o.id: float(self._outcomes[k] / self.runs) for k, o in enumerate(p.outcomes)},
            likeliest_war=likeliest,
        )


def forecast_seed(game_seed: int, turn: int) -> int:
    """A seed for the forecast of a month, distinct from the game's own stream."""
    return (int(game_seed) * 1_000_003 + int(turn) * 7_919 + 0x5EED) & 0x7FFFFFFFFFFFFFFF
