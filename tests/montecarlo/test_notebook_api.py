"""The notebook API: scenarios by name from any folder, a short repr, explore from Python."""

from __future__ import annotations

import game


def test_scenarios_are_found_by_name_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sc = game.load_scenario("treaty-2024")
    assert sc.id == "treaty-2024"
    res = game.simulate("treaty-2024", runs=30, seed=1, workers=1, turns=3, timeseries=True)
    assert repr(res) == "<BatchResult treaty-2024: 30 runs of 30, 3 months, seed 1>"
    assert len(res.timeseries()) == int(res.end_turn.sum())
    assert "default" in game.simulate.__doc__ and "cpu_count" in game.simulate.__doc__


def test_explore_from_python(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = game.explore(
        "treaty-2024",
        {"actors.PRK.doctrine.aggression": (0.5, 2.0), "actors.USA.doctrine.caution": (0.5, 2.0)},
        points=4,
        runs=40,
        workers=1,
        turns=3,
    )
    assert len(doc["points"]) == 4 and {r["key"] for r in doc["ranking"]} <= {
        "actors.PRK.doctrine.aggression",
        "actors.USA.doctrine.caution",
    }
