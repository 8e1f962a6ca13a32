"""``pact run``: one game, headless, with the AI playing every state; a month-by-month log."""

from __future__ import annotations

import argparse
import sys

from game.commands.common import (
    MAX_RUN,
    UsageError,
    add_run_options,
    check_turns,
    dump_json,
    parse_sets,
)


def register(sub) -> None:
    p = sub.add_parser(
        "run",
        help="play one game headless and print its month-by-month log",
        description="Play one game of a scenario with the AI choosing for every state, and print "
        "a readable month-by-month log (moves, ladder changes, treaty invocations, events) "
        "ending in the outcome. The same scenario and seed always give the same game.",
    )
    p.add_argument("scenario", help="scenario file (TOML), e.g. scenarios/treaty-2024.toml")
    add_run_options(p, turns_help="months to play")
    p.add_argument(
        "--run",
        type=int,
        default=0,
        metavar="K",
        help="replay run K of the batch with this seed (default 0): the same run as row K of "
        "'pact batch --seed S'",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    p.set_defaults(func=cmd_run)
    w = sub.add_parser(
        "warm",
        help="compile the engine's kernels now, so that the first game starts without compiling",
        description="Play one month of the default scenario, which compiles the engine's "
        "kernels into numba's cache beside the code. Every later start loads them. An install "
        "runs it once ('make'); without it the first game of a fresh install compiles them.",
    )
    w.set_defaults(func=cmd_warm)


def cmd_run(args: argparse.Namespace) -> int:
    from game.report import format_log
    from game.scenario import load_scenario
    from game.scenario.paths import find_scenario
    from game.sim import run_log

    check_turns(args.turns)
    if not 0 <= args.run <= MAX_RUN:
        raise UsageError(f"--run must be between 0 and 2**63-1 ({MAX_RUN}), got {args.run}")
    sc = load_scenario(find_scenario(args.scenario), parse_sets(args.set))
    log = run_log(sc.params, args.seed, args.run, args.turns)
    if args.json:
        sys.stdout.write(dump_json(log) + "\n")
    else:
        sys.stdout.write(format_log(sc.params, log))
    return 0


def cmd_warm(args: argparse.Namespace) -> int:
    from game.scenario import load_scenario
    from game.scenario.paths import find_scenario
    from game.sim import warm

    params = load_scenario(find_scenario("treaty-2024")).params
    warm(params)
    # A batch's chunk of one run and one month: the batch's own kernels (its monthly tally).
    from game.montecarlo.runner import run_chunk

    run_chunk(params, 0, 0, 1, 1)
    print("pact: the engine's kernels are compiled")
    return 0
