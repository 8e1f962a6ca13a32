"""The AI answers a dilemma by its options' weights: over a batch, options with more weight are
chosen more often (separated intervals), and with the weights made equal the order goes."""

import dataclasses

import numpy as np

from game.montecarlo.stats import wilson
from game.sim import play

RUNS = 400


def _shares(params, dilemma_id):
    final = play(params, 3, np.arange(RUNS), turns=10)
    d = next(d for d in params.dilemmas if d.id == dilemma_id)
    counts = np.array([int(final.event_count[:, e].sum()) for e in d.events])
    return counts, counts.sum()


def test_the_ai_chooses_in_proportion_to_the_weights(scenario):
    p = scenario.params
    counts, n = _shares(p, "rok_lethal_aid")  # weights: lethal 1, non-lethal 3, stay out 1.5
    assert n > RUNS / 2
    lethal, non_lethal, stay_out = (wilson(int(c), int(n)) for c in counts)
    assert non_lethal[0] > max(lethal[1], stay_out[1])
    # Mechanism off: equal weights, and no option stands clear of the others.
    d = next(d for d in p.dilemmas if d.id == "rok_lethal_aid")
    flat = dataclasses.replace(d, weights=[1.0, 1.0, 1.0])
    same = dataclasses.replace(p, dilemmas=[flat if x is d else x for x in p.dilemmas])
    counts, n = _shares(same, "rok_lethal_aid")
    lo = [wilson(int(c), int(n)) for c in counts]
    assert max(a for a, _ in lo) < min(b for _, b in lo)
