"""Does any single order win the game? For each state of a scenario, play ``--games`` games in
which the player gives the same order every month (each of its moves toward each target, and
holding; a month in which the order is closed is played as holding) and the AI plays everyone
else, and judge each game as ``pact play`` does: against the AI's own futures for that state
(``game.play.standing``). An order dominates if it reaches the top verdict in most games.

Prints, per state, the orders with the highest share of top verdicts, holding's share, how many
orders reach the top verdict in most games, and the costs and gains of the best order as the
play window's preview shows them (``game.play.rules.costs_and_gains``).

    python tools/order_tradeoffs.py [--games 200] [--scenario scenarios/treaty-2024.toml]
        [--states KOR,PRK] [--csv out.csv] [--top 3]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).absolute().parents[1]))

from game.engine.outcome import RELATIVE_VERDICTS, relative_verdict  # noqa: E402
from game.play.rules import costs_and_gains  # noqa: E402
from game.play.session import Session  # noqa: E402
from game.play.standing import ai_baseline, hold_candidate, play_as, verdicts  # noqa: E402
from game.scenario import load_scenario  # noqa: E402

GAME_SEED = 11  # as the standing test plays them
BASELINE_SEED = 1


def order_name(p, c: int) -> str:
    k, t = int(p.cand_action[c]), int(p.cand_target[c])
    return "hold" if k < 0 else f"{p.action_ids[k]} -> {p.actor_ids[t]}"


def judge(p, player: int, cand: int, games: int, baseline) -> dict:
    final = play_as(p, GAME_SEED, games, player, lambda p, s: np.full(s.batch, cand))
    counts = Counter(verdicts(p, final, player, baseline))
    top = relative_verdict(np.inf)
    good = {name for bound, name in RELATIVE_VERDICTS if bound >= 0.35}
    return {
        "top": counts[top] / games,
        "good": sum(counts[w] for w in good) / games,
        "disaster": counts["Disaster"] / games,
        "counts": counts,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--scenario", default="scenarios/treaty-2024.toml")
    ap.add_argument("--states", default="", help="comma-separated state ids (default: all)")
    ap.add_argument("--actions", default="", help="comma-separated action ids (default: all)")
    ap.add_argument("--csv", default="", help="write every order's figures to this file")
    ap.add_argument("--top", type=int, default=3, help="orders listed per state")
    args = ap.parse_args(argv)
    sc = load_scenario(Path(args.scenario))
    p = sc.params
    wanted = [x.strip().upper() for x in args.states.split(",") if x.strip()]
    states = [p.actor_ids.index(x) for x in wanted] if wanted else range(p.n_actors)
    baseline = ai_baseline(p, BASELINE_SEED)
    top = relative_verdict(np.inf)
    rows = []
    start = time.perf_counter()
    print(
        f"{p.scenario_name}: {args.games} games per order, the same order every month; "
        f"'{top}' = top verdict, 'good' = Success or better, 'bottom' = the lowest verdict (against the AI's futures)"
    )
    dominated_any = False
    for a in states:
        lo, hi = int(p.actor_cand_start[a]), int(p.actor_cand_start[a + 1])
        hold = hold_candidate(p, a)
        acts = {x.strip() for x in args.actions.split(",") if x.strip()}
        cands = [
            c
            for c in range(lo, hi)
            if not acts or c == hold or p.action_ids[int(p.cand_action[c])] in acts
        ]
        results = {c: judge(p, a, c, args.games, baseline) for c in cands}
        for c, r in results.items():
            rows.append((p.actor_ids[a], order_name(p, c), r["top"], r["good"], r["disaster"]))
        ranked = sorted(results, key=lambda c: (-results[c]["top"], -results[c]["good"]))
        winners = [c for c in ranked if results[c]["top"] > 0.5]
        dominated_any |= bool(winners)
        h = results[hold]
        print(
            f"\n{p.actor_ids[a]} ({p.actor_names[a]}): {len(cands)} orders; hold: {top} "
            f"{h['top']:.0%}, good {h['good']:.0%}; orders with {top} in most games: "
            f"{len(winners)}"
        )
        for c in ranked[: args.top]:
            r = results[c]
            print(
                f"  {order_name(p, c):28s} {top} {r['top']:4.0%}  good {r['good']:4.0%}  "
                f"bottom {r['disaster']:4.0%}"
            )
        best = next((c for c in ranked if c != hold), None)
        if best is not None:
            costs, gains = costs_and_gains(
                Session(sc, a, 0), int(p.cand_action[best]), int(p.cand_target[best])
            )
            print(f"    {order_name(p, best)}: gains {'; '.join(gains) or 'none'}")
            print(f"    {' ' * len(order_name(p, best))}  costs {'; '.join(costs) or 'none'}")
    print(
        f"\n{'some order dominates' if dominated_any else 'no single order dominates'} "
        f"({time.perf_counter() - start:.0f} s)"
    )
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["state", "order", "top_share", "good_share", "disaster_share"])
            w.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
