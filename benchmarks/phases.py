"""Where a batch's time goes: the share of each phase of a month, at one chunk size.

Wraps the engine's phase functions with timers (each phase's own time, without the phases it
calls), steps one chunk of the default scenario through ``run_chunk`` as a batch does, and
prints each phase's milliseconds per month, its share and its microseconds per run-month.
Times are CPU seconds of the process (a loaded machine inflates them less than wall time).
The wrappers cost about a microsecond a call, a few hundred calls a month: small beside a
chunk of 1,024 runs, not beside a chunk of 1.
Usage: python benchmarks/phases.py [--chunk 1024] [--scenario FILE] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import game.ai.kernel as kernel  # noqa: E402
import game.ai.policy as policy  # noqa: E402
import game.engine.clause_kernels as clause_kernels  # noqa: E402
import game.engine.commitments as cm  # noqa: E402
import game.engine.context as context  # noqa: E402
import game.engine.dilemmas as dilemmas  # noqa: E402
import game.engine.memory as memory  # noqa: E402
import game.engine.move_kernels as move_kernels  # noqa: E402
import game.engine.nuclear as nuclear  # noqa: E402
import game.engine.stance as stance  # noqa: E402
import game.engine.state as state_mod  # noqa: E402
import game.engine.tempo as tempo  # noqa: E402
import game.engine.theatres as theatres  # noqa: E402
import game.montecarlo.runner as runner  # noqa: E402
import game.sim as sim  # noqa: E402
from game.scenario import load_scenario  # noqa: E402

step = importlib.import_module("game.engine.step")  # game.engine.step is also a function

# (phase, owner, attribute): the function is replaced by a timed one under the phase's name.
PHASES = [
    ("state copy", state_mod.State, "copy"),
    ("treaties in force", context, "treaty_active"),
    ("events", step, "_events"),
    ("dilemmas", dilemmas, "resolve"),
    ("memory", memory, "record_events"),
    ("memory", memory, "record_moves"),
    ("AI: nuclear reach", policy, "_nuclear"),
    ("AI: scores kernel (and the AI's draws)", kernel, "score_kernel"),
    ("AI: score inputs", policy, "_scores"),
    ("AI: weights kept (a player's month)", policy, "softmax_weights"),
    ("AI: draw kernel (a player's month)", kernel, "draw_kernel"),
    ("AI: draw inputs (a player's month)", policy, "_draw"),
    ("AI: the rest", policy, "doctrine_policy"),
    ("apply moves", step, "_moves"),
    ("apply moves", step, "_apply_signals"),
    ("apply moves", tempo, "balance_of_forces"),
    ("apply moves", tempo, "settle_offers"),
    ("apply moves", tempo, "ally_unease"),
    ("incidents", step, "_incidents"),
    ("drift", step, "_drift"),
    ("clauses", step, "_clauses"),
    ("clauses: compiled scan", clause_kernels, "scan"),
    ("clauses: compiled scan", clause_kernels, "settle"),
    ("clauses: compiled scan", clause_kernels, "answer"),
    ("apply moves: compiled loops", move_kernels, "apply_moves"),
    ("apply moves: compiled loops", move_kernels, "balance"),
    ("apply moves: compiled loops", move_kernels, "settle_offers"),
    ("apply moves: compiled loops", move_kernels, "ally_unease"),
    ("commitment decisions", step._Decisions, "read"),
    ("commitment decisions", step._Decisions, "weigh"),
    ("red lines", step, "_red_lines"),
    ("nuclear", nuclear, "alert"),
    ("nuclear", nuclear, "users"),
    ("nuclear", nuclear, "react"),
    ("stances", stance, "update"),
    ("war costs", step, "_war_costs"),
    ("crossings", step, "crossings"),
    ("where (regions)", theatres, "regions"),
    ("month end: peaks, crossings, regions", step, "_month_end"),
    ("credibility", cm, "relax"),
    ("questions", sim.QuestionTracker, "on_turn"),
    # Called by step() itself: without this row its time is step's own.
    ("commitment decisions", step._Decisions, "__init__"),
    ("step: the rest", step, "step"),
]

_self: dict[str, float] = defaultdict(float)
_stack: list[float] = []  # time spent in timed callees, per open timed call


def _timed(name: str, fn):
    def wrapper(*a, **k):
        t0 = time.process_time()
        _stack.append(0.0)
        try:
            return fn(*a, **k)
        finally:
            dt = time.process_time() - t0
            inner = _stack.pop()
            _self[name] += dt - inner
            if _stack:
                _stack[-1] += dt

    return wrapper


def install() -> None:
    for name, owner, attr in PHASES:
        setattr(owner, attr, _timed(name, getattr(owner, attr)))
    # game.sim imported step, and bound the policy as a default argument, by name.
    sim.step = step.step
    # The per-month tally of run_chunk (a closure) is timed through play's on_turn.
    play = runner.play

    def timed_play(*a, on_turn=None, **k):
        on_turn = _timed("batch tally per month", on_turn)
        return play(*a, on_turn=on_turn, policy=policy.doctrine_policy, **k)

    runner.play = timed_play


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--chunk", type=int, default=1024)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "treaty-2024.toml"))
    ap.add_argument("--repeat", type=int, default=3, help="chunks timed (after one warm-up)")
    args = ap.parse_args()
    sc = load_scenario(args.scenario)
    p = sc.params
    runner.run_chunk(p, 1, 0, min(args.chunk, 64), p.turns)  # warm-up, untimed
    install()
    total = 0.0
    for r in range(args.repeat):
        t0 = time.process_time()
        runner.run_chunk(p, 1, r * args.chunk, (r + 1) * args.chunk, p.turns)
        total += time.process_time() - t0
    months = args.repeat * p.turns
    run_months = months * args.chunk
    timed = sum(_self.values())
    _self["outside the timed phases"] = total - timed
    print(
        f"{p.scenario_id}: {p.n_actors} actors, chunk {args.chunk:,}, {args.repeat} chunks x "
        f"{p.turns} months: {total:.2f} s, {1e6 * total / run_months:.2f} us per run-month"
    )
    print(f"{'phase':38} {'ms/month':>9} {'share':>7} {'us/run-month':>13}")
    for name, sec in sorted(_self.items(), key=lambda kv: -kv[1]):
        print(
            f"{name:38} {1e3 * sec / months:9.2f} {100 * sec / total:6.1f}% "
            f"{1e6 * sec / run_months:13.3f}"
        )


if __name__ == "__main__":
    main()
