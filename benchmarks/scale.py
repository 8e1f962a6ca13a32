"""Cost per run-month as the number of actors grows: the default scenario with 8 actors, and
generated scenarios of 12 and 16, in two shapes.

``twin`` (what exists doubles): the extra states are copies of the default scenario's states, in
file order, each under a new id, with the relations, treaties, red lines, theatres, goals,
events and dilemmas among the copies that the originals have among themselves, every id renamed
wherever it stands (quoted, in expressions, as a doctrine's key). At 16 actors the scenario
holds a second Northeast Asia that plays as the first: twice the actors, candidate moves, pairs
that relate and clause instances, and four times the (actor, actor) grid. Its cost per
run-month is what "cost that scales with what exists" is measured by (issue target: 16 actors
at most 2x the 8-actor cost); work done for every cell of the grid, where nothing relates,
shows as more than 2x. The two halves are separate but for one rule: the world's answer to
nuclear use (``[nuclear]``: tension, alert and sanctions between the user and every other
state) reaches across, so a pair of the two halves moves in a run where one of its states
uses nuclear weapons. What a scenario may move is known before the runs (it holds every pair
with a candidate move or a state that may use nuclear weapons: 27 of the 28 pairs at 8 actors,
102 of the 120 in the twin of 16); what does move, run by run, only as they play: the ``live``
column.

``dense`` (treaties pile up): each extra state copies South Korea, Japan or North Korea in turn,
the three most treaty-bound states, with the originals' relations, treaties and goals, the copy
in the original's place. The allies of the copied states (the United States above all) gain a
treaty with each copy, so the clause instances grow about 4x by 16 actors and the consultations
held about 10x: a scenario where what exists grows faster than the actors.

Each TOML is written into a temporary folder and loaded as any scenario is (``--keep DIR`` keeps
it). Prints, per shape and size, the candidate moves, the (mover, target) pairs with some, the
(actor, actor) grid's pairs, the pairs live at run time (off their start in some run-month,
:func:`live_pairs`), the clause instances (one per clause, party and ally), the µs per
run-month of one worker (CPU time, median of ``--repeat`` chunks) and the ratio to the
8-actor cost (the ratio of the two medians). The sizes are timed in rounds, one chunk of each
scenario after the other, so a slow spell of the machine falls on every size alike; the last
column gives the lowest and the highest of the rounds' own ratios, and their median: a round's
ratio pairs two chunks timed a few seconds apart, so a spell that slows one round moves the
median of the rounds' ratios less than it moves the ratio of the medians.

``--phases`` also times each phase of the month (the timers of benchmarks/phases.py) and prints,
for each shape, every phase's µs per run-month at the first and the last size, their ratio and
the excess over what grows with the actors: the last size's cost less the first's times the
ratio of the sizes (at 16 against 8 actors, less twice the 8-actor cost). The phases with a
positive excess are those whose cost grows faster than what exists. The timers cost about a
microsecond a call, a few hundred calls a month, so the totals run a little higher.
Usage: python benchmarks/scale.py [--sizes 8 12 16] [--shapes twin dense] [--runs 1024]
[--repeat 5] [--keep DIR] [--phases]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from game.engine.state import initial_state  # noqa: E402
from game.montecarlo.runner import run_chunk  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.sim import months  # noqa: E402

DEFAULT = ROOT / "scenarios" / "treaty-2024.toml"
SOURCES = ("KOR", "JPN", "PRK")  # states copied in turn


def _blocks(text: str, header: str) -> list[str]:
    """The text of each top-level ``[[header]]`` entry (with its sub-tables), in file order."""
    out = []
    parts = re.split(r"(?m)^(?=\[)", text)
    cur = None
    for part in parts:
        first = part.split("\n", 1)[0].strip()
        if first == f"[[{header}]]":
            cur = [part]
            out.append(cur)
        elif cur is not None and first.lstrip("[").startswith(f"{header}."):
            cur.append(part)
        else:
            cur = None
    return ["".join(c) for c in out]


def _uses(block: str, actor: str) -> bool:
    return f'"{actor}"' in block


_OWN_ID = re.compile(r'(?m)^id = "([\w-]+)"')  # a block's own id: its first id line


def _renamed(block: str, suffix: str) -> str:
    """``block`` with its own ``id`` given ``suffix``."""
    return _OWN_ID.sub(rf'id = "\1{suffix}"', block, count=1)


def generate(n_actors: int, base: str = "", shape: str = "dense") -> str:
    """The default scenario's TOML with ``n_actors - 8`` generated states appended, in the
    ``shape`` the module's docstring describes."""
    text = base or DEFAULT.read_text(encoding="utf-8")
    actors = {re.search(r'(?m)^id = "(\w+)"', b).group(1): b for b in _blocks(text, "actors")}
    extra = n_actors - len(actors)
    if extra < 0:
        raise ValueError(f"the default scenario already has {len(actors)} actors")
    if shape == "twin":
        added = _twin(text, actors, extra)
    elif shape == "dense":
        added = _dense(text, actors, extra)
    else:
        raise ValueError(f"unknown shape {shape!r}: twin or dense")
    return text.rstrip("\n") + "\n\n# --- generated states ---\n\n" + "\n".join(added)


def _dense(text: str, actors: dict, extra: int) -> list[str]:
    relations = _blocks(text, "relations")
    treaties = _blocks(text, "treaties")
    goals = _blocks(text, "goals")
    added = []
    for k in range(extra):
        src = SOURCES[k % len(SOURCES)]
        new = f"X{k + 1:02d}"

        def swap(block: str, src=src, new=new) -> str:
            return re.sub(rf"\b{src}\b", new, block)  # quoted or bare (in expressions)

        actor = swap(actors[src])
        actor = re.sub(r'(?m)^name = "([^"]*)"', rf'name = "\1 ({new})"', actor, count=1)
        added.append(actor)
        added += [swap(r) for r in relations if _uses(r, src)]
        for t in treaties:
            if _uses(t, src):
                added.append(_renamed(swap(t), f"_{new.lower()}"))
        added += [_renamed(swap(g), f"_{new.lower()}") for g in goals if _owner(g) == src]
    return added


def _owner(goal: str) -> str:
    """The actor a ``[[goals]]`` block belongs to."""
    return re.search(r'(?m)^actor = "(\w+)"', goal).group(1)


def _twin(text: str, actors: dict, extra: int) -> list[str]:
    """The first ``extra`` states copied, with what the originals have among themselves: their
    relations, treaties, red lines and theatres, and their goals, events and dilemmas (what the
    states want and what happens to them, so that the copies play as the originals do)."""
    if extra > len(actors):
        raise ValueError(f"a twin has at most {len(actors)} states to copy")
    new = {src: f"X{k + 1:02d}" for k, src in enumerate(list(actors)[:extra])}
    name = re.compile(rf"\b({'|'.join(map(re.escape, actors))})\b")
    treaties = _blocks(text, "treaties")
    copied = {_OWN_ID.search(b).group(1) for b in treaties if set(name.findall(b)) <= new.keys()}
    cited = re.compile(rf"\b({'|'.join(map(re.escape, copied)) or '(?!)'})\.")

    def swap(block: str) -> str:
        # Ids quoted or bare (in expressions), and the clauses of copied treaties cited.
        block = name.sub(lambda m: new.get(m.group(1), m.group(1)), block)
        return cited.sub(lambda m: f"{m.group(1)}_x.", block)

    added = []
    for src, dst in new.items():
        actor = swap(actors[src])
        added.append(re.sub(r'(?m)^name = "([^"]*)"', rf'name = "\1 ({dst})"', actor, count=1))
    for header in ("relations", "treaties", "red_lines", "theatres", "goals", "events", "dilemmas"):
        for block in _blocks(text, header):
            named = set(name.findall(block))
            if named and named <= new.keys():
                added.append(swap(block) if header == "relations" else _renamed(swap(block), "_x"))
    return added


def costs(
    paths: list[Path], runs: int, repeat: int, timers=None
) -> list[tuple[object, list[float], dict[str, float]]]:
    """(params, CPU µs per run-month of each round's chunk of ``runs`` runs, µs per run-month
    of each phase over all rounds) per scenario, timed in rounds: each round times one chunk
    of every scenario in turn. ``timers``: benchmarks/phases.py with its timers installed (no
    phases without)."""
    loaded = [load_scenario(path).params for path in paths]
    for params in loaded:
        run_chunk(params, 0, 0, 16, params.turns)  # warm-up
    times: list[list[float]] = [[] for _ in loaded]
    spent: list[dict[str, float]] = [{} for _ in loaded]
    for r in range(repeat):
        for params, out, phases in zip(loaded, times, spent):
            if timers is not None:
                timers._self.clear()
            t = time.process_time()
            run_chunk(params, 0, r * runs, (r + 1) * runs, params.turns)
            dt = time.process_time() - t
            out.append(1e6 * dt / (runs * params.turns))
            if timers is not None:
                timers._self["outside the timed phases"] = dt - sum(timers._self.values())
                for name, sec in timers._self.items():
                    phases[name] = phases.get(name, 0.0) + 1e6 * sec / (
                        repeat * runs * params.turns
                    )
    return list(zip(loaded, times, spent))


def _timers():
    """benchmarks/phases.py, its timers installed around the engine's phases."""
    spec = importlib.util.spec_from_file_location("phases", Path(__file__).with_name("phases.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.install()
    return mod


def print_phases(shape: str, first, last) -> None:
    """Each phase's cost at the first and the last size of a shape, and its excess over what
    grows with the actors (module docstring), largest first."""
    (p0, _, ph0), (p1, _, ph1) = first, last
    grow = p1.n_actors / p0.n_actors
    print(
        f"\n{shape}: each phase at {p0.n_actors} and {p1.n_actors} actors, us per run-month; "
        f"excess = the {p1.n_actors}-actor cost less {grow:g}x the {p0.n_actors}-actor one"
    )
    print(f"{'phase':40} {p0.n_actors:>7} {p1.n_actors:>7} {'ratio':>6} {'excess':>7}")
    rows = [(ph1.get(k, 0.0) - grow * ph0.get(k, 0.0), k) for k in set(ph0) | set(ph1)]
    for excess, k in sorted(rows, reverse=True):
        a, b = ph0.get(k, 0.0), ph1.get(k, 0.0)
        ratio = f"{b / a:6.2f}" if a > 0 else f"{'':>6}"
        print(f"{k:40} {a:7.3f} {b:7.3f} {ratio} {excess:+7.3f}")


# The (B, A, A) arrays that hold a pair's state (the stance's are the stance rules' own).
PAIR_STATE = ("tension", "baseline", "rung", "aggressor", "coord", "front", "last_hostility")


def live_pairs(params, runs: int = 256) -> float:
    """The pairs (unordered) that stand off their starting state, in some array of
    ``PAIR_STATE`` either way round, averaged over the run-months of ``runs`` runs (seed 0):
    what exists at run time. A pair that never leaves its start costs an engine nothing it
    could not skip; a pair some rule may move in some run cannot be left out of a list made
    before the runs."""
    start = initial_state(params, 0, np.arange(runs))
    upper = np.triu_indices(params.n_actors, 1)
    total = 0
    n_months = 0
    for _, state in months(params, start, recycle=True):
        off = np.zeros((state.batch, upper[0].size), dtype=bool)
        for name in PAIR_STATE:
            now, then = getattr(state, name), getattr(start, name)
            moved = (now != then) | (now.transpose(0, 2, 1) != then.transpose(0, 2, 1))
            off |= moved[:, upper[0], upper[1]]
        total += int(off.sum())
        n_months += 1
    return total / (runs * max(n_months, 1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[8, 12, 16])
    ap.add_argument(
        "--shapes", nargs="+", choices=("twin", "dense"), default=["twin", "dense"],
        help="how the extra states are made (see above)",
    )  # fmt: skip
    ap.add_argument("--runs", type=int, default=1024, help="runs in the timed chunk")
    ap.add_argument("--repeat", type=int, default=5, help="rounds timed")
    ap.add_argument("--keep", type=Path, default=None, help="write the scenarios here")
    ap.add_argument(
        "--phases", action="store_true",
        help="also time each phase, and print its excess over what grows with the actors",
    )  # fmt: skip
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        paths, labels = [], []
        for shape in args.shapes:
            for n in args.sizes:
                path = folder / f"scale-{shape}-{n}.toml"
                path.write_text(generate(n, shape=shape), encoding="utf-8")
                paths.append(path)
                labels.append((shape, n == args.sizes[0]))
        results = costs(paths, args.runs, args.repeat, _timers() if args.phases else None)
        print(
            f"{'shape':>5} {'actors':>6} {'moves':>6} {'pairs':>6} {'grid':>5} {'live':>5} "
            f"{'instances':>9} {'us/run-month':>13} {'vs first':>8}  rounds (median)"
        )
        for (shape, is_first), (params, times, _) in zip(labels, results):
            if is_first:
                first = times
            us = statistics.median(times)
            rounds = [t / f for t, f in zip(times, first)]
            pairs = len(set(zip(params.cand_actor.tolist(), params.cand_target.tolist())))
            grid = params.n_actors * (params.n_actors - 1) // 2
            print(
                f"{shape:>5} {params.n_actors:6} {params.cand_action.shape[0]:6} {pairs:6} "
                f"{grid:5} {live_pairs(params):5.1f} {params.inst_clause.shape[0]:9} {us:13.1f} "
                f"{us / statistics.median(first):8.2f}  {min(rounds):.2f}-{max(rounds):.2f} "
                f"({statistics.median(rounds):.2f})"
            )
        if args.phases and len(args.sizes) > 1:
            n = len(args.sizes)
            for k, shape in enumerate(args.shapes):
                print_phases(shape, results[k * n], results[k * n + n - 1])


if __name__ == "__main__":
    main()
