"""Batches on any executor and on a Dask cluster give the rows of a local batch, bit for bit.

The cluster here is a Dask ``LocalCluster`` with two single-thread workers in this process
(``processes=False``: the same scheduler, protocol and task path as a real cluster, without
starting worker processes), listening on TCP so that a ``pact batch --scheduler`` subprocess
can use it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from game.montecarlo.runner import simulate
from tests.helpers import pact

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            protocol="tcp",
            dashboard_address=None,
        ) as lc,
        distributed.Client(lc) as client,
    ):
        yield lc, client


def _csv(res, path):
    res.to_csv(path)
    return path.read_bytes()


def test_any_executor_gives_the_local_rows(default_scenario, cluster, tmp_path):
    _, client = cluster
    local = simulate(default_scenario, runs=700, seed=5, turns=9, chunk=700, workers=1)
    on_dask = simulate(
        default_scenario, runs=700, seed=5, turns=9, chunk=96, executor=client.get_executor()
    )
    with ThreadPoolExecutor(3) as pool:
        threads = simulate(default_scenario, runs=700, seed=5, turns=9, chunk=50, executor=pool)
    want = _csv(local, tmp_path / "local.csv")
    assert _csv(on_dask, tmp_path / "dask.csv") == want
    assert _csv(threads, tmp_path / "threads.csv") == want
    assert on_dask.summary()["outcomes"] == local.summary()["outcomes"]


@pytest.mark.slow
def test_batch_on_a_scheduler_writes_the_local_runs_csv(cluster, tmp_path):
    lc, _ = cluster
    common = ("batch", "scenarios/treaty-2024.toml", "--runs", "500", "--seed", "8")
    common += ("--turns", "6", "--quiet", "--no-plots")
    local = pact(*common, "--workers", "1", "--out", tmp_path / "local", check=True)
    remote = pact(
        *common,
        "--scheduler",
        lc.scheduler_address,
        "--batch-size",
        "64",
        "--out",
        tmp_path / "dask",
    )
    assert remote.returncode == 0, remote.stderr
    assert f"cluster {lc.scheduler_address}" in remote.stdout
    a = (tmp_path / "local" / "runs.csv").read_bytes()
    assert (tmp_path / "dask" / "runs.csv").read_bytes() == a
    assert local.returncode == 0
