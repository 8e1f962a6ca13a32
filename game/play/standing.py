"""How well a state is doing, measured against what the AI achieves for it.

At the start of a game a small batch of futures of the same scenario is played with the AI for
every state, the player's too (``ai_baseline``). The player's score at a month is read against
the scores the AI's futures have at that month: the share of them it beats ("better than 72% of
futures"), and the verdict is a word for how far it stands from their median, in widths of their
spread (``game.engine.outcome.relative_verdict``): an AI-played game sits at the middle of the
scale by construction. No pygame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from game.ai import doctrine_policy
from game.engine import initial_state, step, treaty_active
from game.engine.legality import OPEN, move_codes
from game.engine.outcome import (
    nuclear_disaster,
    relative_verdict,
    score,
    share_beaten,
    verdict_position,
)
from game.sim import months

BASELINE_RUNS = 120


def baseline_seed(game_seed: int) -> int:
    """The seed of a game's AI baseline, distinct from the game's own stream."""
    return (int(game_seed) * 2_654_435_761 + 0xBA5E) & 0x7FFFFFFFFFFFFFFF


@dataclass
class Baseline:
    """The AI's futures of a scenario: the score of every state at the start of every month."""

    scores: np.ndarray  # (turns + 1, runs, A); a run that ended early keeps its last score

    @property
    def runs(self) -> int:
        return int(self.scores.shape[1])

    def futures(self, turn: int, actor: int) -> np.ndarray:
        """(runs,) the AI's scores for ``actor`` at month ``turn``."""
        return self.scores[min(max(int(turn), 0), self.scores.shape[0] - 1), :, actor]

    def share(self, turn: int, actor: int, value) -> np.ndarray:
        """Share of the AI's futures that a score of ``value`` beats at month ``turn``."""
        return share_beaten(value, self.futures(turn, actor))

    def position(self, turn: int, actor: int, value) -> np.ndarray:
        """Where a score of ``value`` stands against the AI's futures (``verdict_position``)."""
        return verdict_position(value, self.futures(turn, actor))


def ai_baseline(params, seed: int, runs: int = BASELINE_RUNS) -> Baseline:
    """Play ``runs`` futures of the scenario from its start with the AI for every state."""
    start = initial_state(params, baseline_seed(seed), np.arange(runs))
    out = [score(params, start)]
    for _, state in months(params, start, params.turns, recycle=True):
        out.append(score(params, state))
    while len(out) < params.turns + 1:
        out.append(out[-1])
    return Baseline(np.stack(out))


def play_as(params, seed: int, runs: int, player: int, choose: Callable) -> object:
    """Play ``runs`` games of the scenario from its start in which ``player``'s move each month
    is ``choose(params, state)`` ((B,) candidate indices; a closed one is played as holding)
    and the AI plays every other state (and the player's commitments). The final state."""
    state = initial_state(params, seed, np.arange(runs))
    hold = hold_candidate(params, player)
    for _ in range(params.turns):
        if state.done.all():
            break
        want = np.asarray(choose(params, state), dtype=np.int64)
        codes = move_codes(params, state, treaty_active(params, state))
        ok = codes[np.arange(state.batch), want] == OPEN
        fixed = np.full((state.batch, params.n_actors), -1, dtype=np.int64)
        fixed[:, player] = np.where(ok, want, hold)
        state, _ = step(params, state, doctrine_policy, fixed)
    return state


def hold_candidate(params, player: int) -> int:
    """The candidate index of holding position for ``player``."""
    lo, hi = int(params.actor_cand_start[player]), int(params.actor_cand_start[player + 1])
    return next((c for c in range(lo, hi) if int(params.cand_action[c]) < 0), lo)


def verdicts(params, state, player: int, baseline: Baseline) -> list[str]:
    """The verdict of every game of a final batch ``state`` for ``player``."""
    pos = baseline.position(params.turns, player, score(params, state)[:, player])
    bad = nuclear_disaster(params, state, player)
    return [relative_verdict(float(x), bool(d)) for x, d in zip(pos, bad)]
