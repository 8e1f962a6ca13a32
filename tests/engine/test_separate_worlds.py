"""Two worlds that share no relation, treaty, red line or theatre stay apart month by month,
unless a state uses nuclear weapons: the world's answer to nuclear use (tension with the user,
alerts and sanctions of every non-partner) is the only rule that reaches a state with nothing
between it and the user.

The scenario is the default one beside its twin (benchmarks/scale.py, shape ``twin``): each
original state has a copy, and the copies hold among themselves what the originals hold, but
for the moves their doctrines avoid: copies that avoid nothing climb to nuclear use often
enough to watch the world's answer (the whole twin sees it a few times in a thousand runs).
Every entry of a pair that spans the two worlds, and every clause entry of a party in one world
against a counterpart in the other, must stand at its opening value in every month of every
run without nuclear use. With the world's answer switched off, they stand there in every run,
nuclear use or not; with it on, some runs with nuclear use leave them.
"""

from __future__ import annotations

import re
from dataclasses import fields
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from game.engine.state import State, initial_state
from game.scenario import load_scenario
from game.sim import play
from tests.helpers import generated_scenario

RUNS = 800
SEED = 11


def _without_world_answer(text: str) -> str:
    """The twin with the world's answer to nuclear use switched off (no tension with the user,
    no reaction rungs); nuclear alert and use themselves are left as they are."""
    table = re.search(r"(?ms)^\[nuclear\]\n(.*?)(?=^\[|^#|\Z)", text)
    assert table, "the twin has a [nuclear] table"
    lines = table.group(1).splitlines()
    kept = [x for x in lines if not re.match(r"(world_tension|reaction_\w+)\s*=", x)]
    assert len(kept) == len(lines) - 3, "the [nuclear] table changed its keys"
    body = "world_tension = 0\n" + "\n".join(kept) + "\n"
    return text[: table.start(1)] + body + text[table.end(1) :]


def _bold_copies(text: str) -> str:
    """The twin with its copies' doctrines avoiding nothing (no ``avoid_toward``)."""
    marker = "# --- generated states ---"
    assert marker in text, "the twin marks where its copies begin"
    head, copies = text.split(marker, 1)
    kept = re.sub(r"(?m)^avoid_toward = .*\n", "", copies)
    assert kept != copies, "the twin's copies avoid moves"
    return head + marker + kept


def _play(path: Path):
    """(runs that saw nuclear use, runs where some entry between the worlds left its opening
    value, runs where one did so before any nuclear use), each (RUNS,) bool."""
    params = load_scenario(path).params
    copy = np.array([i.startswith("X") for i in params.actor_ids])
    assert copy.sum() == 8 and not copy[:8].any(), "the twin's copies come after the originals"
    across = copy[:, None] != copy[None, :]  # (A, A): the pair spans the two worlds
    inst_across = copy[params.inst_party][:, None] != copy[None, :]  # (I, A)
    start = initial_state(params, SEED, np.arange(RUNS))
    n_a, n_i = params.n_actors, params.inst_party.shape[0]
    watched = []
    for f in fields(State):
        x = getattr(start, f.name)
        if isinstance(x, np.ndarray) and x.ndim == 3 and x.shape[1:] == (n_a, n_a):
            watched.append((f.name, across))
        elif isinstance(x, np.ndarray) and x.ndim == 3 and x.shape[1:] == (n_i, n_a):
            watched.append((f.name, inst_across))
    assert {"tension", "rung", "aggressor", "coord", "consult_level"} <= {n for n, _ in watched}
    opening = {name: getattr(start, name)[:, mask] for name, mask in watched}
    nuclear_use = params.thresholds["nuclear_use"]
    used = np.zeros(RUNS, dtype=bool)
    left = np.zeros(RUNS, dtype=bool)
    early = np.zeros(RUNS, dtype=bool)

    def on_turn(rec, state) -> None:
        off = np.zeros(RUNS, dtype=bool)
        for name, mask in watched:
            off |= (getattr(state, name)[:, mask] != opening[name]).any(axis=1)
        used[:] |= (state.rung >= nuclear_use).any(axis=(1, 2))  # the answer comes that month
        early[:] |= off & ~used
        left[:] |= off

    play(params, SEED, np.arange(RUNS), params.turns, on_turn=on_turn)
    return used, left, early


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    folder = tmp_path_factory.mktemp("worlds")
    twin = generated_scenario(folder, 16, shape="twin").read_text(encoding="utf-8")
    text = _bold_copies(twin)
    out = {}
    for name, body in (("on", text), ("off", _without_world_answer(text))):
        path = folder / f"twin-{name}.toml"
        path.write_text(body, encoding="utf-8")
        out[name] = _play(path)
    return out


def test_nothing_crosses_between_the_worlds_without_nuclear_use(twins):
    used, left, early = twins["on"]
    assert used.sum() >= 20  # enough runs with nuclear use to see its answer
    assert not early.any(), f"{early.sum()} runs joined the worlds before any nuclear use"
    assert not (left & ~used).any()


def test_the_worlds_answer_to_nuclear_use_is_what_crosses(twins):
    used_on, left_on, _ = twins["on"]
    used_off, left_off, _ = twins["off"]
    assert left_on.sum() >= 0.5 * used_on.sum()  # the answer reaches the other world
    assert used_off.sum() >= 20  # nuclear use goes on without the answer ...
    assert not left_off.any()  # ... and nothing reaches the other world


def test_the_twins_copies_play_as_the_originals(tmp_path):
    """The copies' world is the originals' world under other names, so each pair of copies
    reaches each threshold in about the same share of runs as the pair it copies: the 16-actor
    cost in benchmarks/scale.py measures twice the world, not a more violent one."""
    params = load_scenario(generated_scenario(tmp_path, 16, shape="twin")).params
    ids = params.actor_ids
    copy = {a: ids.index(f"X{k + 1:02d}") for k, a in enumerate(ids[:8])}
    peaks = np.zeros((RUNS, params.n_actors, params.n_actors), dtype=np.int16)

    def on_turn(rec, state) -> None:
        np.maximum(peaks, state.rung, out=peaks)

    play(params, SEED, np.arange(RUNS), params.turns, on_turn=on_turn)
    checked = 0
    for level in ("armed_clash", "war", "nuclear_use"):
        rung = params.thresholds[level]
        for (i, a), (j, b) in combinations(enumerate(ids[:8]), 2):
            first = (peaks[:, i, j] >= rung).mean()
            second = (peaks[:, copy[a], copy[b]] >= rung).mean()
            p = (first + second) / 2
            allowed = 4 * np.sqrt(2 * p * (1 - p) / RUNS) + 0.01
            assert abs(first - second) <= allowed, (level, a, b, first, second)
            checked += first > 0.01
    assert checked >= 3  # pairs that do reach a threshold were compared
