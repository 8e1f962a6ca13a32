"""How coherent the states' lines are: the contradiction share (game.engine.coherence) per state
and overall, for the default scenario and peninsula-clash, with North Korea's sanctions and
Mongolia's summits per run.

Usage: python tools/coherence.py [SCENARIO ...] [--runs N] [--seed S] [--set KEY=VALUE ...]

Run from another checkout (``cd OTHER && PYTHONPATH=. python THIS/tools/coherence.py``) it
measures that checkout's engine with this measure.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if "game" not in sys.modules and not any(
    (Path(p or ".").resolve() / "game").is_dir() for p in sys.path
):
    sys.path.insert(0, str(ROOT))

from game.engine import initial_state  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.scenario.load import parse_value  # noqa: E402
from game.sim import months  # noqa: E402

CHUNK = 2000


def _measure():
    """game.engine.coherence of this checkout, loaded by path (older engines lack it)."""
    spec = importlib.util.spec_from_file_location(
        "_coherence", ROOT / "game" / "engine" / "coherence.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.Coherence


def measure(params, seed: int, runs: int):
    """The tallies of ``runs`` runs, merged over chunks."""
    coherence = _measure()
    parts = []
    for lo in range(0, runs, CHUNK):
        rows = np.arange(lo, min(lo + CHUNK, runs))
        tally = coherence(params, rows.size)
        for rec, state in months(params, initial_state(params, seed, rows)):
            tally.on_turn(rec, state)
        parts.append(tally)
    out = parts[0]
    for other in parts[1:]:
        for name in (
            "comparisons",
            "contradictions",
            "season_comparisons",
            "season_contradictions",
            "uses",
        ):
            setattr(out, name, np.concatenate([getattr(out, name), getattr(other, name)]))
    return out


def report(params, tally, runs: int, seed: int) -> None:
    print(f"{params.scenario_id}: {runs:,} runs, seed {seed}")
    lo, hi = tally.interval()
    sh, c, n = tally.share()
    ss, sc, sn = tally.share(season=True)
    slo, shi = tally.interval(season=True)
    print(f"  overall     month before {sh:6.1%} [{lo:.1%}, {hi:.1%}] ({c:,}/{n:,})")
    print(f"              season       {ss:6.1%} [{slo:.1%}, {shi:.1%}] ({sc:,}/{sn:,})")
    for a, name in enumerate(params.actor_names):
        sh, c, n = tally.share(a)
        ss, _, sn = tally.share(a, season=True)
        if n or sn:
            print(f"  {name:<15} month before {sh:6.1%} ({c:,}/{n:,})   season {ss:6.1%}")
    for actor, action, label in (
        ("PRK", "sanction", "North Korea's sanctions"),
        ("MNG", "summit", "Mongolia's summits"),
    ):
        if actor in params.actor_ids and action in params.action_ids:
            x = tally.per_run(params.actor_ids.index(actor), params.action_ids.index(action))
            print(
                f"  {label} per run: mean {x.mean():.2f}, median {np.median(x):.0f}, "
                f"90th percentile {np.percentile(x, 90):.0f}"
            )
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "scenarios",
        nargs="*",
        default=[
            str(ROOT / "scenarios/treaty-2024.toml"),
            str(ROOT / "scenarios/peninsula-clash.toml"),
        ],
    )
    ap.add_argument("--runs", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    a = ap.parse_args()
    sets = {k: parse_value(v) for k, v in (s.split("=", 1) for s in a.set)}
    for path in a.scenarios:
        params = load_scenario(path, sets or None).params
        report(params, measure(params, a.seed, a.runs), a.runs, a.seed)


if __name__ == "__main__":
    main()
