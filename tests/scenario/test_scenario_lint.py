"""Warnings: legal but suspicious scenarios are flagged, located, and still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario.load import check_file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MINI = (HERE / "data" / "mini.toml").as_posix()


def child(tmp_path: Path, body: str, name: str = "child.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'extends = "{MINI}"\n[scenario]\nid = "child"\n{body}', encoding="utf-8")
    return path


def warnings_of(path: Path) -> list:
    report = check_file(path)
    assert not report.errors, [str(p) for p in report.errors]
    assert report.loaded is not None  # warnings never stop a scenario from loading
    return report.warnings


CASES = [
    (
        "event-before-start",
        '[[events]]\nid = "party_congress"\ndate = "2024-06"\n',
        6,
        "events[0].date",
        "date 2024-06 is before the scenario starts (2025-01): it never fires",
    ),
    (
        "event-after-end",
        '[[events]]\nid = "party_congress"\ndate = "2027-01"\n',
        6,
        "events[0].date",
        "after the scenario's last month (2026-12, turn 23)",
    ),
    (
        "until-before-start",
        '[[events]]\nid = "late"\nname = "Late"\nwhen = "true"\nuntil = "2024-12"\n',
        8,
        "events[0].until",
        "until 2024-12 is before the scenario starts",
    ),
    (
        "constant-false",
        '[[events]]\nid = "never"\nname = "Never"\nwhen = "1 > 2 and true"\n',
        7,
        "events[0].when",
        "condition '1 > 2 and true' is always false",
    ),
    (
        "turn-out-of-range",
        '[[events]]\nid = "never"\nname = "Never"\nwhen = "turn >= 30"\n',
        7,
        "events[0].when",
        "never holds from 2025-01 to 2026-12",
    ),
    (
        "month-never-in-window",
        '[[events]]\nid = "never"\nname = "Never"\ndate = "2025-02"\nuntil = "2025-05"\nwhen = "month == 9"\n',
        9,
        "events[0].when",
        "never holds from 2025-02 to 2025-05",
    ),
    (
        "probability-zero",
        '[[events]]\nid = "beijing_mediates"\nprobability = 0.0\n',
        6,
        "events[0].probability",
        "probability 0: it never fires",
    ),
    (
        "treaty-after-end",
        '[[treaties]]\nid = "later"\nname = "Later"\nparties = ["USA", "KOR"]\nsigned = "2026-06"\nin_force = "2030-01"\n',
        9,
        "treaties[0].in_force",
        "enters into force in 2030-01, after the scenario's last month (2026-12): it never binds",
    ),
    (
        "treaty-lapsed",
        '[[treaties]]\nid = "chn_prk"\nlapses = "2020-01"\n',
        6,
        "treaties[0].lapses",
        "lapses in 2020-01, before the scenario starts (2025-01): it never binds",
    ),
    (
        "consultation-above-assistance",
        '[[treaties]]\nid = "us_rok"\n  [[treaties.clauses]]\n  id = "consult"\n  trigger = "limited_strikes"\n',
        8,
        "treaties[0].clauses[0].trigger",
        "consultation triggers at 'limited_strikes', above the assistance trigger 'armed_clash' of clause 'defend'",
    ),
    (
        "action-nobody-takes",
        '[[actions]]\nid = "aid"\nname = "Send aid"\ncategory = "economy"\ntarget = "any"\nhostility = -0.3\n'
        '[[actors]]\nid = "PRK"\n[actors.doctrine]\navoid = ["aid"]\n[[actors]]\nid = "KOR"\n[actors.doctrine]\navoid = ["aid"]\n'
        '[[actors]]\nid = "USA"\n[actors.doctrine]\navoid = ["aid"]\n[[actors]]\nid = "CHN"\n[actors.doctrine]\navoid = ["aid"]\n',
        4,
        "actions[0]",
        "no actor can ever take this action: every actor avoids it",
    ),
    (
        "outcome-always-false",
        '[[outcomes]]\nid = "tension"\nwhen = "false"\n',
        6,
        "outcomes[0].when",
        "condition 'false' is always false: no run ends here",
    ),
    (
        "outcome-always-true",
        '[[outcomes]]\nid = "clash"\nwhen = "true or 1 > 2"\n',
        6,
        "outcomes[0].when",
        "is always true: the outcomes after it are never reached",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_warning(case, tmp_path):
    name, body, line, path, text = case
    found = warnings_of(child(tmp_path, body))
    hits = [w for w in found if text in w.message]
    assert hits, [str(w) for w in found]
    assert hits[0].line == line and hits[0].where == path, str(hits[0])
    assert str(hits[0]).startswith(f"{tmp_path / 'child.toml'}:{line}: warning: {path}: ")


def test_unreachable_rung(tmp_path):
    # A rung with no 'up' that no action, event, clause, flashpoint or relation puts a pair on,
    # and that no pair can drift down into, since the rung above it never drifts down.
    text = (HERE / "data" / "mini.toml").read_text(encoding="utf-8")
    clash = '{ id = "armed_clash",      name = "Armed clash",          group = "Crisis",              down = 50 },'
    assert clash in text
    text = text.replace(
        clash,
        '{ id = "ultimatum", name = "Ultimatum", group = "Crisis" },\n  '
        + clash.replace("down = 50", "down = 0"),
    )
    path = tmp_path / "ladder.toml"
    path.write_text(text, encoding="utf-8")
    hit = [w for w in warnings_of(path) if "no pair can reach rung 'ultimatum'" in w.message]
    assert hit and hit[0].where == "ladder.rungs[4]"
    assert hit[0].line == text[: text.index('{ id = "ultimatum"')].count("\n") + 1
    # when pairs can drift down from armed_clash, they reach it: no warning
    path.write_text(text.replace("down = 0 },", "down = 50 },", 1), encoding="utf-8")
    assert not [w for w in warnings_of(path) if "ultimatum" in w.message]
    # nor when an action puts pairs there
    path.write_text(
        text.replace('rung = "show_of_force"\ntension = 5', 'rung = "ultimatum"\ntension = 5'),
        encoding="utf-8",
    )
    assert not [w for w in warnings_of(path) if "ultimatum" in w.message]


def test_a_forced_treaty_is_not_flagged(tmp_path):
    body = (
        '[[treaties]]\nid = "later"\nname = "Later"\nparties = ["USA", "KOR"]\nsigned = "2030-01"\n'
        '[[events]]\nid = "early"\nname = "Early"\ndate = "2025-06"\n'
        'effects = [ { kind = "treaty", treaty = "later", to = "force" } ]\n'
    )
    assert not [w for w in warnings_of(child(tmp_path, body)) if "never binds" in w.message]


def test_variant_keeping_the_parent_id(tmp_path):
    path = tmp_path / "same.toml"
    path.write_text(f'extends = "{MINI}"\n[defaults]\ntension = 25\n')
    found = warnings_of(path)
    assert any("keeps the id 'mini' of the scenario it extends" in w.message for w in found)


def test_inherited_past_entries_are_summarised(tmp_path):
    body = '[scenario]\nstart = "2025-06"\n'
    path = tmp_path / "later.toml"
    path.write_text(f'extends = "{MINI}"\n{body}id = "later"\n')
    found = warnings_of(path)
    assert len(found) == 1, [str(w) for w in found]
    assert found[0].file == str(path) and found[0].line == 3
    assert "1 inherited entries are dated before the scenario starts" in found[0].message
    assert "events.party_congress" in found[0].message


def test_starter_and_shipped_scenarios_load(tmp_path):
    assert warnings_of(HERE / "data" / "mini.toml") == []
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        warnings_of(path)  # warnings allowed, errors not
