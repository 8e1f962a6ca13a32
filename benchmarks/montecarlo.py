"""Monte Carlo throughput: runs per second of the default scenario (36 months).

Prints runs/s with one worker and with two at the default chunk (``report.default_chunk``: the
runs cut evenly over the workers, at most 4,096 a chunk) and at chunks of 1,024, the cost per
run-month (wall time of the one-worker batch over runs x months), the speed-up of batched
stepping over stepping runs one at a time, and the peak memory. The default-chunk batches are
timed ``--repeat`` times, one worker and two in turn, so that a slow spell of the machine falls
on both alike; each prints the median and the range of its rounds. Then where the workers'
time goes in one more default batch on every core: the share of it spent stepping chunks (the
rest is the pool's: starting, handing over, waiting for the last chunk) and the cost per
run-month while stepping, which two processes sharing the machine raise above one alone's.
Usage: python benchmarks/montecarlo.py [--runs N] [--repeat R] [--million]
                                       [--chunks [--sizes N ...] [--scenario FILE]]
                                       [--peak N [--turns T]] [--cluster N]

``--chunks`` prints only the chunk-size study: runs/s of one worker at chunks of 256, 1,024,
4,096 and 16,384 runs (or ``--sizes``; the same rows at every size), each chunk's state in MB
and the CPU µs per run-month of each, for the default scenario or ``--scenario``. A chunk whose
state outgrows the processor's cache costs more per run-month: the default chunk keeps within
``runner.CACHE_STATE_BYTES`` (``--chunks --scenario`` a 16-actor scenario from
benchmarks/scale.py shows it).
``--peak N`` runs only a batch of N runs written as ``pact batch`` writes it (runs.csv streamed
chunk by chunk, totals instead of rows) and prints its rate and the peak resident memory of the
main process and of the largest worker process. ``--cluster N`` prints only the local and the
Dask LocalCluster rates of a batch of N runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import game.montecarlo.runner as runner  # noqa: E402
from game.montecarlo.runner import ChunkSink, simulate  # noqa: E402
from game.montecarlo.sinks import folder_sinks  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.sim import play  # noqa: E402


def rate_single(params, n: int) -> float:
    t = time.perf_counter()
    for r in range(n):
        play(params, 1, [r])
    return n / (time.perf_counter() - t)


def rate_batch(sc, runs: int, chunk: int | None, workers: int, executor=None) -> float:
    return rated(sc, runs, chunk, workers, executor)[0]


def rated(sc, runs: int, chunk: int | None, workers: int, executor=None) -> tuple[float, int]:
    """(runs/s, the chunk used) of a batch (``chunk`` None: the default)."""
    res = simulate(sc, runs=runs, seed=1, workers=workers, chunk=chunk, executor=executor)
    return res.n / res.seconds, res.chunk


class _Busy(ChunkSink):
    """Adds up the seconds each chunk spent in its worker (``_timed``)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.chunks = 0

    def add(self, part: dict) -> None:
        if "_busy" in part:
            self.seconds += part.pop("_busy")
            self.chunks += 1


def _timed(*args, **kwargs) -> dict:
    t = time.perf_counter()
    part = _work(*args, **kwargs)
    part["_busy"] = time.perf_counter() - t
    return part


_work = runner._work


def busy_share(sc, runs: int, workers: int) -> tuple[float, float] | None:
    """(share of the workers' wall time spent stepping chunks, us per run-month while
    stepping) of one default batch; None with one core (the batch runs in this process, not
    on workers). The workers find ``_timed`` by name: run this file as a script, or register
    the module under its name before importing it otherwise."""
    busy = _Busy()
    runner._work = _timed  # the forked workers inherit it
    try:
        res = simulate(sc, runs=runs, seed=1, workers=workers, sinks=[busy])
    finally:
        runner._work = _work
    if busy.chunks == 0:
        return None
    return busy.seconds / (res.workers * res.seconds), 1e6 * busy.seconds / (res.n * res.turns)


def rate_cluster(sc, runs: int, workers: int) -> float | None:
    """Runs/s of the default batch on a Dask LocalCluster of ``workers`` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        return None
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        ex = client.get_executor()
        rate_batch(sc, 2_000, 1024, workers, ex)  # workers compile the scenario once
        return rate_batch(sc, runs, 1024, workers, ex)


def local_and_cluster(sc, runs: int, cores: int) -> None:
    """The default batch on local worker processes and on a Dask LocalCluster, side by side."""
    best = rate_batch(sc, runs, 1024, cores)
    print(f"default (1024), {cores} workers, {runs:,} runs: {best:10,.0f} runs/s")
    dask = rate_cluster(sc, runs, cores)
    if dask is None:
        print("Dask LocalCluster: not installed (pip install 'pact[cluster]')")
    else:
        print(
            f"default (1024), Dask LocalCluster of {cores} worker processes, {runs:,} runs: "
            f"{dask:10,.0f} runs/s ({dask / best:.2f}x local)"
        )


def peak(sc, runs: int, turns: int | None, workers: int) -> None:
    """A streamed batch of ``runs`` runs, as pact batch writes it; rate and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        sinks = folder_sinks(Path(tmp), sc.params, 1)
        t = time.perf_counter()
        res = simulate(
            sc, runs=runs, seed=1, workers=workers, turns=turns, sinks=sinks, keep_rows=False
        )
        dt = time.perf_counter() - t
        size = (Path(tmp) / "runs.csv").stat().st_size
    print(
        f"{res.n:,} runs x {res.turns} months, {workers} workers, streamed: {dt:,.1f} s "
        f"({res.n / dt:,.0f} runs/s), runs.csv {size / 2**20:,.0f} MiB"
    )


def chunk_study(sc, sizes=(256, 1024, 4096, 16384)) -> None:
    """Runs/s of one worker at each chunk size, on the same runs (one of the largest chunk),
    with each chunk's state in MB: past ``runner.CACHE_STATE_BYTES`` of it, the cost per
    run-month rises (the default chunk stays below, ``runner.chunk_in_cache``)."""
    from game.montecarlo import runner

    runs = max(sizes)
    months = sc.params.turns
    per = runner._state_bytes(sc.params)
    # The engine's compiled loops load on the first month stepped: not in any size's figure.
    rate_batch(sc, min(sizes), min(sizes), 1)
    print(
        f"chunk study, {sc.params.scenario_id} ({sc.params.n_actors} actors, {per / 1e3:.1f} KB "
        f"of state a run): {runs:,} runs, 1 worker (rows identical at every chunk size); "
        f"the default chunk keeps within {runner.chunk_in_cache(sc.params):,} runs "
        f"({runner.CACHE_STATE_BYTES / 1e6:.0f} MB of state)"
    )
    for chunk in sizes:
        cpu = time.process_time()
        rate = rate_batch(sc, runs, chunk, 1)
        cpu = time.process_time() - cpu
        us = 1e6 * cpu / (runs * months)
        print(
            f"chunk {chunk:6,} ({chunk * per / 1e6:5.1f} MB of state): {rate:8,.0f} runs/s, "
            f"{us:6.1f} us CPU per run-month"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=20_000, help="runs of the default batches")
    ap.add_argument(
        "--repeat", type=int, default=3, help="rounds of the default-chunk batches (median)"
    )
    ap.add_argument("--chunks", action="store_true", help="only the chunk-size study")
    ap.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[256, 1024, 4096, 16384],
        metavar="N",
        help="chunk sizes of the study (with --chunks)",
    )
    ap.add_argument(
        "--scenario",
        default=None,
        metavar="FILE",
        help="scenario of the study (with --chunks; default: the default scenario)",
    )
    ap.add_argument(
        "--million", action="store_true", help="also run 1,000,000 runs for peak memory"
    )
    ap.add_argument("--peak", type=int, default=0, metavar="N", help="only a streamed batch")
    ap.add_argument("--turns", type=int, default=None, metavar="T", help="months, with --peak")
    ap.add_argument("--cluster", type=int, default=0, metavar="N", help="only local vs Dask")
    args = ap.parse_args()
    sc = load_scenario(ROOT / "scenarios" / "treaty-2024.toml")
    cores = os.cpu_count() or 1
    if args.peak:
        peak(sc, args.peak, args.turns, cores)
    elif args.cluster:
        local_and_cluster(sc, args.cluster, cores)
    elif args.chunks:
        chunk_study(load_scenario(args.scenario) if args.scenario else sc, tuple(args.sizes))
    else:
        months = sc.params.turns
        print(f"scenario treaty-2024, {months} months, {cores} cores, {args.runs:,} runs")
        single = rate_single(sc.params, 40)
        print(f"one run at a time, 1 worker   : {single:10,.0f} runs/s")
        counts = sorted({1, 2, cores})
        rounds: dict[int, list[float]] = {w: [] for w in counts}
        chunks: dict[int, int] = {}
        for _ in range(max(1, args.repeat)):
            for w in counts:
                rate, chunks[w] = rated(sc, args.runs, None, w)
                rounds[w].append(rate)
        r1 = statistics.median(rounds[1])
        for w in counts:
            rn = statistics.median(rounds[w])
            spread = f"rounds {min(rounds[w]):,.0f}-{max(rounds[w]):,.0f}"
            what = f"{1e6 / (rn * months):.1f} us per run-month" if w == 1 else f"{rn / r1:.2f}x"
            label = f"default chunk ({chunks[w]:,}), {w} worker{'s' if w > 1 else ' '}"
            print(f"{label}: {rn:10,.0f} runs/s ({what}; median of {len(rounds[w])}, {spread})")
        for w in sorted({1, 2, cores}):
            rk = rate_batch(sc, args.runs, 1024, w)
            print(f"chunk 1,024, {w} worker(s)      : {rk:10,.0f} runs/s")
        print(f"batching ratio (default chunk / one run at a time, 1 worker): {r1 / single:6.1f}x")
        share = busy_share(sc, args.runs, cores)
        if share is not None:
            print(
                f"{cores} workers, one default batch: stepping {100 * share[0]:.1f}% of their "
                f"wall time (the pool's: {100 - 100 * share[0]:.1f}%), {share[1]:.2f} us per "
                "run-month while stepping"
            )
        if args.million:
            t = time.perf_counter()
            res = simulate(sc, runs=1_000_000, seed=1, workers=cores, keep_rows=False)
            dt = time.perf_counter() - t
            print(f"1,000,000 runs: {dt:.1f} s ({res.n / dt:,.0f} runs/s)")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: main process {own:,.0f} MiB, largest worker process {kids:,.0f} MiB")


if __name__ == "__main__":
    main()
