"""Sweeps: values parsed as written, every point equal to a batch with --set, files and errors."""

import csv
import json
from pathlib import Path

import pytest

from game.montecarlo.runner import simulate
from game.montecarlo.sweep import SweepValuesError, parse_values, sweep
from game.scenario import load_scenario
from tests.helpers import pact

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = "scenarios/treaty-2024.toml"
ART4 = "treaties.rus_prk_2024.clauses.art4.credibility"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("0.2,0.5,0.8", [0.2, 0.5, 0.8]),
        ("0:1:5", [0.0, 0.25, 0.5, 0.75, 1.0]),
        ("1:4:4", [1, 2, 3, 4]),
        ("1:2:3", [1.0, 1.5, 2.0]),
        ("-1:1:3", [-1, 0, 1]),
        ('"show_of_force","blockade"', ["show_of_force", "blockade"]),
        ("true,false", [True, False]),
        ("3", [3]),
    ],
)
def test_values_are_read_as_written(text, values):
    got = parse_values(text)
    assert got == values
    assert [type(v) for v in got] == [type(v) for v in values]


@pytest.mark.parametrize("text", ["", "  ", "0:1:1", "0:1:x", "1:1:3", "0:1:500", "1,,2"])
def test_bad_values_are_refused(text):
    with pytest.raises(SweepValuesError):
        parse_values(text)


def test_a_range_without_its_count_says_how_to_write_one():
    with pytest.raises(SweepValuesError, match=r"LO:HI:N \(e\.g\. 1:2:5\)"):
        parse_values("1:2")


def test_every_point_is_the_batch_with_that_value():
    doc = sweep(DEFAULT, ART4, [0.0, 1.0], runs=240, seed=4, workers=1, turns=12)
    assert doc["key"] == ART4 and doc["values"] == [0.0, 1.0] and doc["runs"] == 240
    for value, point in zip(doc["values"], doc["points"]):
        sc = load_scenario(ROOT / DEFAULT, {ART4: value})
        alone = simulate(sc, runs=240, seed=4, workers=1, turns=12).summary()
        for table in ("outcomes", "thresholds", "clauses"):
            assert point[table] == alone[table]
        assert sum(d["count"] for d in point["outcomes"].values()) == 240
    # Without credibility the clause is never honoured; fully credible it is.
    never, always = (pt["clauses"]["rus_prk_2024.art4"]["count"] for pt in doc["points"])
    assert never == 0 < always


@pytest.mark.slow
def test_sweep_command_writes_tables_and_a_plot(tmp_path):
    out = tmp_path / "sw"
    res = pact(
        "sweep",
        DEFAULT,
        "actors.PRK.doctrine.aggression=0.5:1.5:3",
        "--runs",
        "150",
        "--turns",
        "8",
        "--workers",
        "1",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    assert "Outcomes" in res.stdout and "aggression" in res.stdout
    doc = json.loads((out / "sweep.json").read_text())
    assert doc["values"] == [0.5, 1.0, 1.5]
    # How it was made, as a batch's summary.json says: the runs, the version, the command.
    assert doc["first_run"] == 0 and doc["made_by"]["command_line"][:2] == ["pact", "sweep"]
    for pt in doc["points"]:
        assert abs(sum(d["p"] for d in pt["outcomes"].values()) - 1.0) < 1e-9
        for d in pt["outcomes"].values():
            assert d["ci95"][0] <= d["p"] <= d["ci95"][1]
    rows = list(csv.DictReader((out / "sweep.csv").open()))
    n_measures = sum(len(doc["points"][0][t]) for t in ("outcomes", "thresholds", "clauses"))
    assert len(rows) == 3 * n_measures
    assert {r["kind"] for r in rows} == {"outcome", "threshold", "clause"}
    assert (out / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sweep_arg", "extra", "message"),
    [
        ("credibility", [], "KEY=VALUES"),
        (f"{ART4}=0:1:1", [], "N must be between 2 and 200"),
        (f"{ART4}=0,1.5", [], f"{ART4}=1.5: "),  # the swept value, as given, not '--set'
        ("actors.XXX.military=1,2", [], "actors.XXX.military=1: no entry 'XXX'"),
        (f"{ART4}=0,1", ["--set", f"{ART4}=0.5"], "both swept and fixed"),
    ],
)
def test_bad_sweeps_fail_in_one_line_before_running(tmp_path, sweep_arg, extra, message):
    out = tmp_path / "never"
    res = pact("sweep", DEFAULT, sweep_arg, *extra, "--runs", "10", "--out", str(out), "--quiet")
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert message in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_a_share_and_its_interval_are_printed_to_one_precision():
    """The sweep's cells: '0.67% (0.30–1.70)', not '0.67% (0.3–1.7)' beside '0.0% (0.00–0.64)'."""
    import re

    from game.commands.batch import _pm

    cells = [
        _pm({"p": p, "ci95": ci})
        for p, ci in [
            (0.0017, [0.0003, 0.0094]),
            (0.0067, [0.003, 0.017]),
            (0.0, [0.0, 0.0064]),
            (0.25, [0.2, 0.3]),
            (0.9995, [0.997, 0.9999]),
        ]
    ]
    assert cells[1] == "0.67% (0.30\u20131.70)" and cells[2] == "0.00% (0.00\u20130.64)"
    assert cells[3] == "25.0% (20.0\u201330.0)" and cells[4].startswith("99.95% ")
    for cell in cells:
        decimals = {len(x) for x in re.findall(r"\.(\d+)", cell)}
        assert len(decimals) == 1, cell
