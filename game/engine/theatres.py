"""Theatres: where an attack happens, which clauses it sets off, and where war is reported.

A scenario names its theatres (the Korean peninsula, Japan, the Russian Far East, Ukraine and
Kursk, the open sea ...) and the states whose territory lies in each. An armed attack on a
state happens in the theatre of its territory that it shares with the attacker (Ukraine's
incursion into Kursk: the Ukrainian front), else in the first theatre that lists it; incidents
at a flashpoint may name their own (at sea). Each pair keeps the theatre of its latest fight
(``State.front``).

Clauses name the theatres they cover (US-Japan Art. V: "territories under the administration
of Japan"): an attack elsewhere does not set them off. A defensive intervention under a clause
is an answer to the attacker, not a new armed attack on it, and strikes no one else unless the
theatre holds the territory of the attacker's allies.

War and nuclear use are reported by region: Northeast Asia (theatres on the map) or off the
map; a pair whose fight was never placed counts where its two states are.
"""

from __future__ import annotations

import numpy as np

REGIONS = ("northeast_asia", "off_map")
REGION_LABELS = {"northeast_asia": "Northeast Asia", "off_map": "off the map"}
# Thresholds whose crossings are reported by region (summary, runs.csv, printed table).
REPORTED = ("war", "nuclear_use")


def attack_theatres(territory: np.ndarray) -> np.ndarray:
    """(A, A) int16 [victim, attacker]: the theatre an attack happens in, -1 if the victim has
    no territory in any theatre. A theatre holding both states' territory comes first, then
    the first theatre that holds the victim's."""
    n_g, n_a = territory.shape
    out = np.full((n_a, n_a), -1, dtype=np.int16)
    for v in range(n_a):
        own = np.nonzero(territory[:, v])[0]
        if own.size == 0:
            continue
        for a in range(n_a):
            shared = own[territory[own, a]]
            out[v, a] = shared[0] if shared.size else own[0]
    return out


def place(front: np.ndarray, rows, i, j, theatre) -> None:
    """Record that pairs (i, j) of the given rows fight in ``theatre`` (-1 keeps the old)."""
    rows, i, j, theatre = np.broadcast_arrays(rows, i, j, np.asarray(theatre, dtype=np.int16))
    ok = theatre >= 0
    if not ok.any():
        return
    rows, i, j, theatre = rows[ok], i[ok], j[ok], theatre[ok]
    front[rows, i, j] = theatre
    front[rows, j, i] = theatre


def in_northeast_asia(params, front: np.ndarray) -> np.ndarray:
    """(B, A, A) bool: each pair's fight lies in Northeast Asia (its theatre on the map; a pair
    not placed: both states on the map)."""
    if not params.theatre_ids:
        return np.broadcast_to(params.regional_pair_mask, front.shape)
    on = np.append(params.theatre_on_map, False)[front]  # -1 reads the appended False
    return np.where(front >= 0, on, params.regional_pair_mask[None])


def regions(params, rung: np.ndarray, front: np.ndarray) -> np.ndarray:
    """(B, H, 2) bool: some pair that started below each named threshold stands at or above it,
    in Northeast Asia (column 0) and off the map (column 1)."""
    b = rung.shape[0]
    out = np.zeros((b, len(params.thresholds), 2), dtype=bool)
    ne = in_northeast_asia(params, front)
    off_diag = ~np.eye(params.n_actors, dtype=bool)
    for h, level in enumerate(params.thresholds.values()):
        at = (rung >= level) & ((params.rung0 < level) & off_diag)[None]
        if not at.any():
            continue
        out[:, h, 0] = (at & ne).any(axis=(1, 2))
        out[:, h, 1] = (at & ~ne).any(axis=(1, 2))
    return out


def region_word(reached: np.ndarray) -> np.ndarray:
    """(B,) object: '', 'northeast_asia', 'off_map' or 'both' from (B, 2) region flags."""
    words = np.array(["", REGIONS[0], REGIONS[1], "both"], dtype=object)
    return words[reached[:, 0].astype(int) + 2 * reached[:, 1].astype(int)]


def where_reached(params, state, row: int) -> dict:
    """Where war and nuclear use happened in one run: {threshold: [regions]} (thresholds never
    crossed are left out)."""
    names = list(params.thresholds)
    out = {}
    for key in REPORTED:
        if key in names:
            flags = state.reached[row, names.index(key)]
            places = [r for r, f in zip(REGIONS, flags) if f]
            if places:
                out[key] = places
    return out
