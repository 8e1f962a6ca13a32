"""The interactive path: a month of one game and the forecast of 2,000 futures x 12 months
from a mid-game state (issue target: the forecast in at most 0.5 s).

A game of the default scenario is played as South Korea for ``--months`` months (the AI plays
for everyone), then the forecast is run whole (``Forecast.run``) at the chunk of rows of the
frame loop's fallback, at the forecast process's chunk and at one chunk, then as the window runs
it: in the forecast worker processes (``ForecastProcess``; one, two, and as many as the window
starts on this machine, each playing a part of the futures; wall seconds from the job sent to the result put
together, the workers started and warm beforehand), and a month of the game is ended. Prints
medians of ``--repeat`` (CPU and wall seconds).
Usage: python benchmarks/forecast.py [--months 12] [--runs 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.play.forecast import DEFAULT_MONTHS, FRAME_CHUNK, WORKER_CHUNK, Forecast  # noqa: E402
from game.play.session import Session  # noqa: E402
from game.scenario import load_scenario  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median (CPU s, wall s) of ``repeat`` calls of ``fn``."""
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--months", type=int, default=12, help="months played before the forecast")
    ap.add_argument("--runs", type=int, default=2000, help="futures")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sc = load_scenario(ROOT / "scenarios" / "treaty-2024.toml")
    p = sc.params
    s = Session(sc, p.actor_ids.index("KOR"), 9)
    for _ in range(args.months):
        s.end_turn(None)
    print(
        f"treaty-2024 as KOR, from month {s.turn} ({p.date_label(s.turn)}); "
        f"{args.runs:,} futures x {DEFAULT_MONTHS} months"
    )
    chunks = (
        (f"frame-loop chunk ({FRAME_CHUNK:,} rows)", FRAME_CHUNK),
        (f"forecast process ({WORKER_CHUNK:,} rows)", WORKER_CHUNK),
        ("one chunk", args.runs),
    )
    for label, chunk in chunks:
        cpu, wall = timed(
            lambda chunk=chunk: Forecast(
                p, s.state, s.player, runs=args.runs, seed=1, chunk=chunk
            ).run(),
            args.repeat,
        )
        print(f"forecast, {label:29}: {cpu:6.2f} s CPU, {wall:6.2f} s wall")

    from game.ui.background import ForecastProcess, default_workers

    for n in sorted({1, 2, default_workers()}):
        workers = ForecastProcess(workers=n)
        try:
            # Start the workers and load the engine in each (a forecast big enough for all).
            workers.start(sc, s.state, s.player, runs=500 * n, months=2, seed=2).run()
            _, wall = timed(
                lambda workers=workers: workers.start(
                    sc, s.state, s.player, runs=args.runs, seed=1
                ).run(),
                args.repeat,
            )
        finally:
            workers.close()
        label = f"forecast, {n} worker process{'es' if n > 1 else ''}"
        label += " (the window's)" if n == default_workers() else ""
        print(f"{label:39}:            {wall:6.2f} s wall")

    def month():
        game = Session(sc, s.player, s.seed, state=s.state, history=s.history)
        game.end_turn(None)

    cpu, wall = timed(month, max(args.repeat, 5))
    print(
        f"one month of the game (end_turn)       : {1e3 * cpu:6.1f} ms CPU, {1e3 * wall:6.1f} ms wall"
    )


if __name__ == "__main__":
    main()
