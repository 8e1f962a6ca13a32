"""Pact: a turn-based simulation of Northeast Asia after the 2024 Russia-DPRK treaty.

For notebooks::

    import game
    sc = game.load_scenario("scenarios/treaty-2024.toml")
    res = game.simulate(sc, runs=100_000, seed=1)
    res.summary()["outcomes"]
    res.to_csv("runs.csv")
"""

__version__ = "0.1.0"

__all__ = ["load_scenario", "simulate", "__version__"]


def load_scenario(path, overrides=None):
    """Read, validate and compile a scenario file (see game.scenario.load_scenario)."""
    from game.scenario import load_scenario as _load

    return _load(path, overrides)


def simulate(scenario, runs=10_000, seed=0, workers=None, turns=None, chunk=1024, progress=None):
    """Run a Monte Carlo batch (see game.montecarlo.runner.simulate); accepts a path too."""
    from game.montecarlo.runner import simulate as _simulate

    if not hasattr(scenario, "params"):
        scenario = load_scenario(scenario)
    return _simulate(
        scenario, runs=runs, seed=seed, workers=workers, turns=turns, chunk=chunk, progress=progress
    )
