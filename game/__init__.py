"""Pact: a turn-based simulation of Northeast Asia after the 2024 Russia-DPRK treaty.

For notebooks::

    import game
    sc = game.load_scenario("scenarios/treaty-2024.toml")
    res = game.simulate(sc, runs=100_000, seed=1)
    res.summary()["outcomes"]
    res.to_csv("runs.csv")
    doc = game.sweep("scenarios/treaty-2024.toml",
                     "treaties.rus_prk_2024.clauses.art4.credibility", [0.2, 0.5, 0.85])
"""

__version__ = "0.1.0"

__all__ = ["load_scenario", "simulate", "sweep", "__version__"]


def load_scenario(path, overrides=None):
    """Read, validate and compile a scenario file (see game.scenario.load_scenario)."""
    from game.scenario import load_scenario as _load

    return _load(path, overrides)


def simulate(
    scenario,
    runs=10_000,
    seed=0,
    workers=None,
    turns=None,
    chunk=1024,
    progress=None,
    executor=None,
    first_run=0,
):
    """Run a Monte Carlo batch (see game.montecarlo.runner.simulate); accepts a path too.

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
        executor=executor,
        first_run=first_run,
    )


def sweep(path, key, values, runs=10_000, seed=0, workers=None, turns=None, sets=None):
    """One batch per value of a scenario key, the same runs at every value; returns the
    content of sweep.json (see game.montecarlo.sweep.sweep)."""
    from game.montecarlo.sweep import sweep as _sweep

    return _sweep(path, key, values, runs=runs, seed=seed, workers=workers, turns=turns, sets=sets)
