"""Inheritance that can insert: entries placed among inherited ones, outcomes before the
inherited default, remove then add; ``pact show`` writes a variant as one whole file."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario.load import check_file, load_scenario
from game.scenario.show import to_toml
from tests.helpers import pact

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MINI = HERE / "data" / "mini.toml"
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


def variant(tmp_path: Path, body: str, name: str = "v.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'extends = "{MINI.as_posix()}"\n[scenario]\nid = "v"\n{body}', "utf-8")
    return path


def rung_ids(loaded) -> list[str]:
    return [r.id for r in loaded.model.ladder.rungs]


def test_rung_after_an_inherited_one_goes_in_the_middle(tmp_path):
    path = variant(
        tmp_path,
        "[ladder]\nrungs = [\n"
        '  { id = "quarantine", name = "Quarantine", after = "sanctions", down = 40 },\n'
        '  { id = "blockade", name = "Blockade", before = "show_of_force" },\n'
        "]\n",
    )
    report = check_file(path)
    assert report.ok, [str(p) for p in report.problems]
    ids = rung_ids(report.loaded)
    assert ids[:6] == [
        "cooperation",
        "friction",
        "sanctions",
        "quarantine",
        "blockade",
        "show_of_force",
    ]
    # the thresholds still name the same rungs, and they moved up with the insertion
    assert report.loaded.params.thresholds["nuclear_use"] == ids.index("limited_nuclear") == 9
    assert not [p for p in report.warnings if "on top of the inherited ladder" in p.message]


def test_new_rung_without_a_place_goes_on_top_with_a_warning(tmp_path):
    path = variant(tmp_path, '[ladder]\nrungs = [ { id = "quarantine", name = "Q", down = 40 } ]\n')
    report = check_file(path)
    assert report.ok
    assert rung_ids(report.loaded)[-1] == "quarantine"
    [w] = [p for p in report.warnings if "on top of the inherited ladder" in p.message]
    assert (w.file, w.line, w.where) == (str(path), 5, "ladder.rungs[0]")


def test_inherited_rung_can_be_moved(tmp_path):
    path = variant(
        tmp_path, '[ladder]\nrungs = [ { id = "sanctions", after = "show_of_force" } ]\n'
    )
    ids = rung_ids(load_scenario(path))
    assert ids.index("sanctions") == ids.index("show_of_force") + 1


def test_new_outcome_goes_before_the_inherited_default(tmp_path):
    path = variant(
        tmp_path,
        '[[outcomes]]\nid = "mediated"\nname = "Mediated"\nwhen = "fired(beijing_mediates) > 0"\n'
        '[[outcomes]]\nid = "quarantine_war"\nname = "War"\nwhen = "max_peak() >= war"\n'
        'before = "nuclear_use"\n',
    )
    loaded = load_scenario(path)
    ids = [o.id for o in loaded.model.outcomes]
    assert ids[-2:] == ["mediated", "stability"]
    assert ids.index("quarantine_war") == ids.index("nuclear_use") - 1


def test_remove_then_add_replaces_the_entry_in_its_place(tmp_path):
    path = variant(
        tmp_path,
        '[[events]]\nid = "party_congress"\nremove = true\n'
        '[[events]]\nid = "party_congress"\nname = "A new congress"\ndate = "2025-05"\n',
    )
    loaded = load_scenario(path)
    [ev] = [e for e in loaded.model.events if e.id == "party_congress"]
    assert [e.id for e in loaded.model.events][0] == "party_congress"
    assert ev.name == "A new congress" and ev.effects == []  # a new entry, not merged


def test_an_id_given_twice_is_an_error_and_changing_it_once_is_not(tmp_path):
    once = variant(tmp_path, '[[actors]]\nid = "CHN"\nmilitary = 70\n', "once.toml")
    loaded = load_scenario(once)
    chn = next(a for a in loaded.model.actors if a.id == "CHN")
    assert chn.military == 70 and chn.doctrine.rivals == ["USA"]
    twice = variant(
        tmp_path,
        '[[actors]]\nid = "CHN"\nmilitary = 70\n[[actors]]\nid = "CHN"\nname = "PRC"\n',
        "twice.toml",
    )
    [e] = check_file(twice).errors
    assert (e.line, e.where) == (8, "actors[1].id") and "given twice" in e.message


# --- pact show ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_show_of_every_shipped_scenario_validates_alone_and_is_the_same(path, tmp_path):
    loaded = load_scenario(path)
    alone = tmp_path / "alone.toml"
    alone.write_text(to_toml(loaded.raw), encoding="utf-8")
    again = check_file(alone)
    assert again.ok, [str(p) for p in again.errors]
    assert "extends" not in again.loaded.raw
    a = loaded.model.model_dump(exclude={"extends"})
    b = again.loaded.model.model_dump(exclude={"extends"})
    assert a == b


def test_show_command_applies_set_by_pair(tmp_path):
    out = tmp_path / "shown.toml"
    proc = pact(
        "show", str(MINI), "--set", "relations.USA-CHN.tension=77", "--out", str(out), timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    loaded = load_scenario(out)
    [rel] = [r for r in loaded.model.relations if set(r.pair) == {"CHN", "USA"}]
    assert rel.tension == 77
    bad = pact("show", str(MINI), "--set", "relations.USA-JPN.tension=7", timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "no entry 'USA-JPN'" in bad.stderr


def test_a_goal_is_matched_by_its_state_and_id(tmp_path):
    """South Korea and Japan each have a goal 'security': a variant that changes Japan's weight
    changes Japan's goal alone (matched by id alone, it changed South Korea's into a second
    goal of Japan's, refused as 'JPN has two goals with id security')."""
    default = (ROOT / "scenarios" / "treaty-2024.toml").as_posix()

    def of_default(body: str, name: str) -> Path:
        path = tmp_path / name
        path.write_text(f'extends = "{default}"\n[scenario]\nid = "v"\n{body}', "utf-8")
        return path

    path = of_default('[[goals]]\nid = "security"\nactor = "JPN"\nweight = 3.0\n', "v.toml")
    report = check_file(path)
    assert not report.errors, report.errors
    goals = {(g.actor, g.id): g for g in report.loaded.model.goals}
    assert goals[("JPN", "security")].weight == 3.0
    assert goals[("KOR", "security")].weight == 1.0
    assert goals[("KOR", "security")].name.startswith("Distance from its rivals")
    # A second entry for the same state and goal in one file is still an error.
    twice = of_default(
        '[[goals]]\nid = "security"\nactor = "JPN"\nweight = 3.0\n'
        '[[goals]]\nid = "security"\nactor = "JPN"\nweight = 2.0\n',
        "twice.toml",
    )
    [e] = check_file(twice).errors
    assert "given twice" in e.message and "JPN-security" in e.message and e.where.endswith(".id")
