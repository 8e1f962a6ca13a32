"""Cost per run-month as the number of actors grows: the default scenario with 8 actors, and
generated scenarios of 12 and 16.

A generated scenario is the default one with extra states appended, each a copy of an existing
state on the map (South Korea, Japan, North Korea in turn) under a new id: its doctrine, its
relations with the others and its treaties (with the copy as the party), so that the pairs,
candidate moves and clause instances grow as they would in a larger scenario. The TOML is
written into a temporary folder and loaded as any scenario is (``--keep DIR`` keeps it).
Prints, per size, the candidate moves, the clause instances (one per clause, party and ally),
the µs per run-month of one worker (CPU time, median of ``--repeat`` chunks) and the ratio to
the 8-actor cost (issue target: 16 actors at most 2x). The sizes are timed in rounds, one chunk
of each size after the other, so a slow spell of the machine falls on every size alike; the
last column gives the lowest and highest of the rounds' own ratios.
Usage: python benchmarks/scale.py [--sizes 8 12 16] [--runs 1024] [--repeat 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.montecarlo.runner import run_chunk  # noqa: E402
from game.scenario import load_scenario  # noqa: E402

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


def generate(n_actors: int, base: str = "") -> str:
    """The default scenario's TOML with ``n_actors - 8`` copied states appended."""
    text = base or DEFAULT.read_text(encoding="utf-8")
    actors = {re.search(r'(?m)^id = "(\w+)"', b).group(1): b for b in _blocks(text, "actors")}
    extra = n_actors - len(actors)
    if extra < 0:
        raise ValueError(f"the default scenario already has {len(actors)} actors")
    relations = _blocks(text, "relations")
    treaties = _blocks(text, "treaties")
    added = []
    for k in range(extra):
        src = SOURCES[k % len(SOURCES)]
        new = f"X{k + 1:02d}"

        def swap(block: str, src=src, new=new) -> str:
            return block.replace(f'"{src}"', f'"{new}"')

        actor = swap(actors[src])
        actor = re.sub(r'(?m)^name = "([^"]*)"', rf'name = "\1 ({new})"', actor, count=1)
        added.append(actor)
        added += [swap(r) for r in relations if _uses(r, src)]
        for t in treaties:
            if _uses(t, src):
                t = swap(t)
                t = re.sub(r'(?m)^id = "(\w+)"', rf'id = "\1_{new.lower()}"', t, count=1)
                added.append(t)
    return text.rstrip("\n") + "\n\n# --- generated states ---\n\n" + "\n".join(added)


def costs(paths: list[Path], runs: int, repeat: int) -> list[tuple[object, list[float]]]:
    """(params, CPU µs per run-month of each round's chunk of ``runs`` runs) per scenario,
    timed in rounds: each round times one chunk of every scenario in turn."""
    loaded = [load_scenario(path).params for path in paths]
    for params in loaded:
        run_chunk(params, 0, 0, 16, params.turns)  # warm-up
    times: list[list[float]] = [[] for _ in loaded]
    for r in range(repeat):
        for params, out in zip(loaded, times):
            t = time.process_time()
            run_chunk(params, 0, r * runs, (r + 1) * runs, params.turns)
            out.append(1e6 * (time.process_time() - t) / (runs * params.turns))
    return list(zip(loaded, times))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[8, 12, 16])
    ap.add_argument("--runs", type=int, default=1024, help="runs in the timed chunk")
    ap.add_argument("--repeat", type=int, default=5, help="rounds timed")
    ap.add_argument("--keep", type=Path, default=None, help="write the scenarios here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for n in args.sizes:
            path = folder / f"scale-{n}.toml"
            path.write_text(generate(n), encoding="utf-8")
            paths.append(path)
        results = costs(paths, args.runs, args.repeat)
        first = results[0][1]
        print(
            f"{'actors':>6} {'moves':>6} {'instances':>9} {'us/run-month':>13} {'vs first':>8}  rounds"
        )
        for params, times in results:
            us = statistics.median(times)
            rounds = [t / f for t, f in zip(times, first)]
            print(
                f"{params.n_actors:6} {params.cand_action.shape[0]:6} "
                f"{params.inst_clause.shape[0]:9} {us:13.1f} {us / statistics.median(first):8.2f}"
                f"  {min(rounds):.2f}-{max(rounds):.2f}"
            )


if __name__ == "__main__":
    main()
