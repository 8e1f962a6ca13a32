"""How coherent the states' lines are: the contradiction share of a batch.

A state's move *contradicts* its move the month before when both months it made a move toward
the same counterpart, both moves have a hostility sign (the action's ``hostility`` is above 0
for a hostile move, below 0 for a conciliatory one; 0 counts as neither), and the signs differ:
a summit after a sanction, a missile test after talks. The *contradiction share* of a state is

    contradictions / comparisons

over every (run, state, counterpart, month) in which that state moved toward that counterpart
with a signed action both in that month and the month before, while the run was live. Holding
one's position is no move; a move toward another counterpart breaks no line with this one.
The *season* variant compares a move with the state's last signed move toward the same
counterpart if that came within the three months before (so a sanction in March and a summit
in May count too).

Only numpy and the parameters' candidate tables are used, so the same measure reads any
version of the engine (the tool ``tools/coherence.py`` runs it on older checkouts too).
"""

from __future__ import annotations

import numpy as np

SEASON = 3  # months within which the season variant compares moves


class Coherence:
    """Tallies comparisons and contradictions per state, month by month, for a batch.

    Call :meth:`on_turn` with each month's record and the state after it (as ``game.sim.play``
    does); read ``comparisons`` / ``contradictions`` (per run and state), or :meth:`share`.
    Also counts each state's uses of each action per run (``uses``).
    """

    def __init__(self, params, batch: int):
        self.params = params
        n_a, n_k = params.n_actors, len(params.action_ids)
        self.sign = np.sign(np.asarray(params.action_hostility, dtype=np.float64)).astype(np.int8)
        self.prev_t = np.full((batch, n_a), -1, dtype=np.int64)  # last month's target, -1 none
        self.prev_s = np.zeros((batch, n_a), dtype=np.int8)  # its hostility sign
        self.last_s = np.zeros((batch, n_a, n_a), dtype=np.int8)  # last signed move per target
        self.last_turn = np.full((batch, n_a, n_a), -(10**6), dtype=np.int64)
        self.comparisons = np.zeros((batch, n_a), dtype=np.int64)
        self.contradictions = np.zeros((batch, n_a), dtype=np.int64)
        self.season_comparisons = np.zeros((batch, n_a), dtype=np.int64)
        self.season_contradictions = np.zeros((batch, n_a), dtype=np.int64)
        self.uses = np.zeros((batch, n_a, n_k), dtype=np.int64)

    def on_turn(self, rec, state) -> None:
        p = self.params
        live = ~np.asarray(state.done) | np.asarray(rec.ended)  # the run played this month
        k = p.cand_action[rec.moves]  # (B, A)
        t = np.where(k >= 0, p.cand_target[rec.moves], -1)
        s = np.where(k >= 0, self.sign[np.maximum(k, 0)], 0)
        moved = live[:, None] & (k >= 0)
        signed = moved & (s != 0)
        same = signed & (t == self.prev_t) & (self.prev_s != 0)
        self.comparisons += same
        self.contradictions += same & (s != self.prev_s)
        rows, cols = np.nonzero(signed)
        tt = t[rows, cols]
        recent = self.last_turn[rows, cols, tt] >= rec.turn - SEASON
        ls = self.last_s[rows, cols, tt]
        np.add.at(self.season_comparisons, (rows[recent], cols[recent]), 1)
        bad = recent & (ls != s[rows, cols])
        np.add.at(self.season_contradictions, (rows[bad], cols[bad]), 1)
        self.last_s[rows, cols, tt] = s[rows, cols]
        self.last_turn[rows, cols, tt] = rec.turn
        mr, mc = np.nonzero(moved)
        np.add.at(self.uses, (mr, mc, k[mr, mc]), 1)
        self.prev_t = np.where(live[:, None], np.where(signed, t, -1), self.prev_t)
        self.prev_s = np.where(live[:, None], np.where(signed, s, 0), self.prev_s)

    def share(self, actor: int | None = None, season: bool = False) -> tuple[float, int, int]:
        """(share, contradictions, comparisons) of one state, or of all states together."""
        num = self.season_contradictions if season else self.contradictions
        den = self.season_comparisons if season else self.comparisons
        if actor is not None:
            num, den = num[:, actor], den[:, actor]
        c, n = int(num.sum()), int(den.sum())
        return (c / n if n else float("nan")), c, n

    def interval(self, season: bool = False, z: float = 1.959963984540054) -> tuple[float, float]:
        """A 95% interval of the overall share that treats runs as the independent units (a
        ratio estimator over runs: moves within one run are not independent draws)."""
        num = (self.season_contradictions if season else self.contradictions).sum(axis=1)
        den = (self.season_comparisons if season else self.comparisons).sum(axis=1)
        n = num.size
        tot = den.sum()
        if n < 2 or tot == 0:
            return float("nan"), float("nan")
        r = num.sum() / tot
        resid = num - r * den
        se = np.sqrt(n / (n - 1) * np.sum(resid**2)) / tot
        return float(r - z * se), float(r + z * se)

    def per_run(self, actor: int, action: int) -> np.ndarray:
        """(B,) how often the state took the action in each run."""
        return self.uses[:, actor, action]
