"""Pact: a turn-based simulation of Northeast Asia after the 2024 Russia-DPRK treaty.

For notebooks::

    import game
    sc = game.load_scenario("treaty-2024")          # a name, as on the command line, or a path
    res = game.simulate(sc, runs=100_000, seed=1, timeseries=True)
    res                                             # <BatchResult treaty-2024: 100,000 runs ...>
    runs = res.to_frame()                           # pandas: one labelled row per run
    months = res.timeseries()                       # pandas: one row per run and month
    res.summary()["outcomes"]                       # shares with 95% Wilson intervals
    res.write("results/mine")                       # every file 'pact batch' writes
    doc = game.sweep("treaty-2024", "treaties.rus_prk_2024.clauses.art4.credibility",
                     [0.2, 0.5, 0.85])
    doc = game.explore("treaty-2024", {"actors.PRK.doctrine.aggression": (0.5, 2)},
                       points=8, runs=2_000)

``workers`` defaults to every core of the machine (``os.cpu_count()``); results never depend
on it, nor on ``chunk``: every random draw is a function of (seed, run, month, stream).
"""

from game.kernel_cache import drop_stale as _drop_stale

__version__ = "0.1.0"

__all__ = ["load_scenario", "simulate", "sweep", "explore", "__version__"]


def load_scenario(path, overrides=None):
    """Read, validate and compile a scenario: a path, or a scenario's name ("treaty-2024") found
    in ./scenarios or the shipped scenarios, as the command line finds it. ``overrides`` maps
    key paths to values, like ``--set`` (e.g. {"actors.PRK.doctrine.aggression": 1.5}).
    Raises ``game.scenario.ScenarioError`` naming the file and place when it is invalid."""
    from game.scenario import load_scenario as _load
    from game.scenario.paths import find_scenario

    return _load(find_scenario(path), overrides)


def simulate(
    scenario,
    runs=10_000,
    seed=0,
    workers=None,
    turns=None,
    chunk=None,
    progress=None,
    timeseries=None,
    executor=None,
    first_run=0,
):
    """Run a Monte Carlo batch of ``runs`` games and return a ``BatchResult``.

    ``scenario``: a loaded scenario, a path or a name. ``workers``: processes (default: every
    core, ``os.cpu_count()``). ``turns``: months per run (default: the scenario's). ``chunk``:
    runs stepped together (default: the runs cut evenly over the workers, at most 4,096 a chunk,
    as many as the processor's cache serves well and what the memory holds). ``progress(k)`` is called as k more runs complete. ``timeseries``:
    True keeps each run's months in memory, a path streams them to that Parquet file; read them
    with ``result.timeseries()``. The rows are the same for any ``workers`` and ``chunk``, and
    run K replays alone (``pact run --seed S --run K``). Ctrl-C returns the runs completed.
    ``executor``: any concurrent.futures.Executor to run the chunks on, e.g. a Dask cluster's
    ``distributed.Client(address).get_executor()``; the rows equal a local batch's.
    ``first_run``: run indices first_run .. first_run + runs - 1 (a part of a larger batch).
    """
    from game.montecarlo.runner import simulate as _simulate

    if not hasattr(scenario, "params"):
        scenario = load_scenario(scenario)
    return _simulate(
        scenario,
        runs=runs,
        seed=seed,
        workers=workers,
        turns=turns,
        chunk=chunk,
        progress=progress,
        timeseries=timeseries,
        executor=executor,
        first_run=first_run,
    )


def sweep(path, key, values, runs=10_000, seed=0, workers=None, turns=None, sets=None):
    """One batch per value of a scenario key, the same runs at every value; returns the
    content of sweep.json (see game.montecarlo.sweep.sweep). ``path``: a path or a name."""
    from game.montecarlo.sweep import sweep as _sweep
    from game.scenario.paths import find_scenario

    return _sweep(
        find_scenario(path),
        key,
        values,
        runs=runs,
        seed=seed,
        workers=workers,
        turns=turns,
        sets=sets,
    )


def explore(
    path, ranges, design="lhs", points=8, runs=2_000, seed=0, workers=None, turns=None, sets=None
):
    """Vary several keys at once: ``ranges`` maps key paths to (lo, hi); ``design`` "lhs"
    (``points`` points of a Latin hypercube) or "grid" (``points`` values per key). Every point
    runs the baseline's seed and runs. Returns the content of explore.json: the points with
    their values and shares, paired differences against the baseline and the sensitivity
    ranking (see game.montecarlo.explore)."""
    from game.montecarlo.explore import Vary
    from game.montecarlo.explore import explore as _explore
    from game.scenario.paths import find_scenario

    varies = [
        Vary(k, float(lo), float(hi), isinstance(lo, int) and isinstance(hi, int))
        for k, (lo, hi) in ranges.items()
    ]
    return _explore(
        find_scenario(path),
        varies,
        design,
        points,
        runs=runs,
        seed=seed,
        workers=workers,
        turns=turns,
        sets=sets,
    )


_drop_stale()  # cached kernels compiled from code that has changed since (game.kernel_cache)
