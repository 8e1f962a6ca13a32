"""Runs over time: the Parquet file read in pandas equals single-run replays month by month;
the frames are labelled and the same for any workers and chunk size."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from game.montecarlo.report import pairs_that_matter
from game.montecarlo.runner import simulate
from game.sim import play, run_log
from tests.helpers import pact

SEED, RUNS, TURNS = 5, 120, 14


@pytest.fixture(scope="module")
def batch(default_scenario, tmp_path_factory):
    path = tmp_path_factory.mktemp("ts") / "timeseries.parquet"
    res = simulate(
        default_scenario, runs=RUNS, seed=SEED, workers=1, turns=TURNS, chunk=50, timeseries=path
    )
    return res, path


def _replay(params, run):
    """Month by month: (tension, rung) of every pair and (action id, target id) of each actor."""
    months = []

    def on_turn(rec, state):
        moves = []
        for a in range(params.n_actors):
            c = int(rec.moves[0, a])
            k = int(params.cand_action[c])
            t = params.actor_ids[int(params.cand_target[c])] if k >= 0 else None
            moves.append(("hold" if k < 0 else params.action_ids[k], t))
        months.append(
            (state.tension[0].copy(), rec.rung_after[0].copy(), moves, bool(state.done[0]))
        )

    play(params, SEED, [run], TURNS, on_turn=on_turn)
    return months


def test_parquet_equals_single_run_replays_month_by_month(default_scenario, batch):
    p = default_scenario.params
    res, path = batch
    df = pd.read_parquet(path)
    assert len(df) == int(res.end_turn.sum())  # one row per month each run was going
    ids = p.actor_ids
    for k in (0, 37, RUNS - 1):
        rows = df[df["run"] == k].sort_values("month")
        replay = _replay(p, k)
        assert list(rows["month"]) == list(range(res.end_turn[k]))
        for (_, row), (tension, rung, moves, _done) in zip(rows.iterrows(), replay):
            assert pd.Timestamp(row["date"]) == pd.Timestamp(
                p.date_label(int(row["month"])) + "-01"
            )
            for i, j in pairs_that_matter(p):
                name = f"{ids[i]}_{ids[j]}"
                assert row[f"tension_{name}"] == np.float32(tension[i, j])
                assert row[f"rung_{name}"] == p.rung_ids[rung[i, j]]
            for a, (action, target) in enumerate(moves):
                assert row[f"action_{ids[a]}"] == action
                got = row[f"target_{ids[a]}"]
                assert (pd.isna(got) and target is None) or got == target
        # The moves also match the month-by-month log of 'pact run --run K'.
        log = run_log(p, SEED, k, TURNS)
        for m, month in enumerate(log["turns"]):
            acts = {
                e["actor"]: (e["action"], e["target"])
                for e in month["events"]
                if e["kind"] == "action" and not e.get("signal")  # main moves, not signals
            }
            row = rows.iloc[m]
            for a in ids:
                if a in acts:
                    assert (row[f"action_{a}"], row[f"target_{a}"]) == acts[a]
                else:
                    assert row[f"action_{a}"] == "hold"


def test_frames_are_labelled(default_scenario, batch):
    p = default_scenario.params
    res, _ = batch
    ts = res.timeseries()
    rung_col = next(c for c in ts.columns if c.startswith("rung_"))
    assert list(ts[rung_col].cat.categories) == p.rung_ids and ts[rung_col].cat.ordered
    assert ts["date"].min() == pd.Timestamp(p.date_label(0) + "-01")
    runs = res.to_frame()
    assert runs.index.name == "run" and len(runs) == RUNS
    assert set(runs["outcome"].cat.categories) == {o.id for o in p.outcomes}
    peak = next(c for c in runs.columns if c.startswith("peak_"))
    assert runs[peak].cat.ordered and runs[peak].max() in p.rung_ids
    never = res.first_cross[:, 1] < 0
    col = f"first_{list(p.thresholds)[1]}"
    assert runs[col].isna().to_numpy().tolist() == never.tolist()
    assert runs[f"{col}_date"].isna().to_numpy().tolist() == never.tolist()
    assert [c for c in runs.columns if c.startswith("event_")] == [
        f"event_{e.id}" for e in p.events
    ]
    assert "BatchResult" in repr(res) and len(repr(res)) < 200


def test_timeseries_do_not_depend_on_workers_or_chunks(default_scenario, batch):
    res, path = batch
    two = simulate(
        default_scenario, runs=RUNS, seed=SEED, workers=2, turns=TURNS, chunk=17, timeseries=True
    )
    pd.testing.assert_frame_equal(res.timeseries(), two.timeseries())


@pytest.mark.slow
def test_batch_writes_timeseries_monthly_and_data_dictionary(tmp_path):
    out = tmp_path / "b"
    pact(
        "batch",
        "scenarios/treaty-2024.toml",
        "--runs",
        "40",
        "--turns",
        "6",
        "--seed",
        "2",
        "--out",
        str(out),
        "--quiet",
        "--no-plots",
        "--workers",
        "1",
        check=True,
    )
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert set(ts["run"]) == set(range(40))
    dd = json.loads((out / "datadict.json").read_text())
    for fname in ("runs.csv", "timeseries.parquet", "monthly.csv"):
        header = (
            list(pd.read_parquet(out / fname).columns)
            if fname.endswith(".parquet")
            else list(pd.read_csv(out / fname, nrows=1).columns)
        )
        assert header == list(dd["files"][fname]["columns"]), fname
    runs = pd.read_csv(out / "runs.csv")
    ladder = [r["id"] for r in dd["rungs"]]
    assert runs[[c for c in runs.columns if c.startswith("peak_")]].isin(ladder).all().all()
    assert "Rungs" in (out / "data.md").read_text()
    s = json.loads((out / "summary.json").read_text())
    assert sum(d["count"] for d in s["moves"]["PRK"].values()) == int(runs["end_turn"].sum())


def test_monthly_csv_is_the_monthly_frame_as_pandas_writes_it(default_scenario, batch):
    """monthly.csv is written without pandas; its text is the frame's to_csv, byte for byte."""
    from game.montecarlo.frames import monthly_csv, monthly_frame

    res, _ = batch
    text = monthly_csv(res)
    assert text == monthly_frame(res).to_csv(float_format="%.6g")
    assert text.count("\n") == TURNS + 1
    empty = simulate(default_scenario, runs=1, seed=SEED, workers=1, turns=1)
    empty.at_or_above[:] = [[7] + [0] * (empty.at_or_above.shape[1] - 1)]
    assert monthly_csv(empty) == monthly_frame(empty).to_csv(float_format="%.6g")
    assert monthly_csv(empty).splitlines()[1].startswith("0,2024-07-01,7,")


def test_chunk_table_equals_the_arrays_pyarrow_converts(default_scenario):
    """The table built from buffers holds what pa.array makes of the same arrays (nulls where a
    state holds)."""
    import pyarrow as pa

    from game.montecarlo.runner import run_chunk
    from game.montecarlo.timeseries import chunk_table

    p = default_scenario.params
    arrays = run_chunk(p, SEED, 0, 30, TURNS, timeseries=True)["timeseries"]
    table = chunk_table(p, SEED, arrays)
    live = arrays["live"]
    rr, mm = np.nonzero(live)
    assert table.num_rows == rr.size
    assert table.column("run").to_pylist() == arrays["runs"][rr].tolist()
    for a, actor in enumerate(p.actor_ids):
        tg = arrays["target"][rr, mm, a]
        want = pa.array(tg.astype(np.int16), pa.int16(), mask=tg < 0)
        got = table.column(f"target_{actor}").combine_chunks().indices
        assert got.equals(want), actor
        assert got.null_count == int((tg < 0).sum())
    assert (arrays["target"] < 0).any(), "no holding month: nulls untested"


def test_a_batch_folder_is_written_without_pandas(tmp_path):
    """pandas (half a second and 60 MiB to load) is not needed to write a batch's folder."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from game.commands.main import main\n"
        f"rc = main(['batch', 'treaty-2024', '--runs', '20', '--turns', '3', '--workers', '1',"
        f" '--no-plots', '--quiet', '--out', {str(tmp_path / 'out')!r}])\n"
        "assert rc in (0, None), rc\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "out" / "timeseries.parquet").is_file()
    assert (tmp_path / "out" / "monthly.csv").is_file()


def test_every_column_of_the_data_dictionary_says_something_of_its_own(default_scenario):
    """No two columns of a file share a description: clauses of the same article number in
    different treaties (Art. II of two treaties) are told apart by their kind and treaty, the
    two pledges of one article and one red line drawn for two states by who is bound to whom."""
    from game.montecarlo.frames import data_dictionary

    params = default_scenario.params
    dd = data_dictionary(params, params.turns)
    for name, f in dd["files"].items():
        said = [c["description"] for c in f["columns"].values()]
        assert len(set(said)) == len(said), name
