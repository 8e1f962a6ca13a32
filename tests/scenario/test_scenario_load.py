"""Inheritance, merging and where problems are reported; the key-line scanner; --set."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario.errors import ScenarioError, key_lines
from game.scenario.load import (
    MAX_EXTENDS,
    apply_override,
    check_file,
    check_text,
    load_scenario,
    merge,
    parse_value,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MINI = HERE / "data" / "mini.toml"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- merge -----------------------------------------------------------------------------------


def test_tables_merge_key_by_key():
    out = merge({"a": {"x": 1, "y": 2}, "b": 1}, {"a": {"y": 3, "z": 4}})
    assert out == {"a": {"x": 1, "y": 3, "z": 4}, "b": 1}


def test_arrays_of_tables_merge_by_id_and_remove():
    parent = {"events": [{"id": "a", "v": 1}, {"id": "b", "v": 2}, {"id": "c", "v": 3}]}
    child = {"events": [{"id": "b", "v": 20}, {"id": "d", "v": 4}, {"id": "a", "remove": True}]}
    out = merge(parent, child)
    assert out["events"] == [{"id": "b", "v": 20}, {"id": "c", "v": 3}, {"id": "d", "v": 4}]
    assert parent["events"][1]["v"] == 2  # the parent is not modified


def test_relations_merge_by_pair_in_either_order():
    parent = {"relations": [{"pair": ["PRK", "KOR"], "tension": 60, "rung": "x"}]}
    out = merge(parent, {"relations": [{"pair": ["KOR", "PRK"], "tension": 70}]})
    assert out["relations"] == [{"pair": ["KOR", "PRK"], "tension": 70, "rung": "x"}]


def test_nested_arrays_merge_by_id_and_plain_arrays_are_replaced():
    parent = {
        "treaties": [
            {"id": "t", "parties": ["A", "B"], "clauses": [{"id": "c1", "x": 1}, {"id": "c2"}]}
        ]
    }
    child = {"treaties": [{"id": "t", "parties": ["A", "C"], "clauses": [{"id": "c1", "x": 2}]}]}
    out = merge(parent, child)
    assert out["treaties"][0]["parties"] == ["A", "C"]
    assert out["treaties"][0]["clauses"] == [{"id": "c1", "x": 2}, {"id": "c2"}]


def test_remove_of_an_unknown_entry_is_reported():
    found: list = []
    merge({"events": [{"id": "a"}]}, {"events": [{"id": "b", "remove": True}]}, "", found)
    assert found == [
        (("events", 0, "remove"), "nothing to remove: the parent has no events entry 'b'")
    ]


# --- where problems are reported through extends ---------------------------------------------


def test_problem_in_an_added_entry_is_located_in_the_child(tmp_path):
    path = write(
        tmp_path / "c.toml",
        f'extends = "{MINI.as_posix()}"\n[scenario]\nid = "c"\n\n[[events]]\nid = "new"\nname = "New"\n'
        'date = "2025-02"\neffects = [ { kind = "tension", pair = ["PRK", "XYZ"], add = 1 } ]\n',
    )
    [p] = check_file(path).errors
    assert (p.file, p.line, p.where) == (str(path), 9, "events[0].effects[0].pair[1]")


def test_problem_in_a_changed_key_is_located_in_the_child(tmp_path):
    path = write(
        tmp_path / "c.toml",
        f'extends = "{MINI.as_posix()}"\n[scenario]\nid = "c"\n[[events]]\nid = "beijing_mediates"\n'
        'when = "tension(PRK, KRO) > 3"\n',
    )
    [p] = check_file(path).errors
    assert (p.file, p.line, p.where) == (str(path), 6, "events[0].when")


def test_problem_left_by_a_removal_is_located_at_the_removal(tmp_path):
    # removing an action the parent's doctrines still prefer: reported at the removal, which
    # is what to change, naming the place in the parent that still refers to it
    path = write(
        tmp_path / "c.toml",
        f'extends = "{MINI.as_posix()}"\n[scenario]\nid = "c"\n[[actions]]\nid = "missile_test"\nremove = true\n',
    )
    errors = check_file(path).errors
    text = MINI.read_text(encoding="utf-8")
    line = text[: text.index("prefer = { missile_test")].count("\n") + 1
    assert [(p.file, p.line, p.where) for p in errors] == [(str(path), 6, "actions[0].remove")]
    assert f"{MINI}:{line}: actors[0].doctrine.prefer.missile_test: unknown action" in (
        errors[0].message
    )


def test_replaced_array_is_located_in_the_file_that_replaced_it(tmp_path):
    # the child replaces the effects of an inherited event: a bad entry there is the child's
    path = write(
        tmp_path / "c.toml",
        f'extends = "{MINI.as_posix()}"\n[scenario]\nid = "c"\n[[events]]\nid = "party_congress"\n'
        'effects = [ { kind = "attr", actor = "ZZZ", attr = "readiness", add = 1 } ]\n',
    )
    [p] = check_file(path).errors
    assert (p.file, p.line, p.where) == (str(path), 6, "events[0].effects[0].actor")


def test_grandparent_chain_and_depth_limit(tmp_path):
    write(tmp_path / "p0.toml", MINI.read_text(encoding="utf-8"))
    for n in range(1, MAX_EXTENDS + 3):
        write(tmp_path / f"p{n}.toml", f'extends = "p{n - 1}.toml"\n[scenario]\nid = "p{n}"\n')
    assert load_scenario(tmp_path / f"p{MAX_EXTENDS - 1}.toml").id == f"p{MAX_EXTENDS - 1}"
    report = check_file(tmp_path / f"p{MAX_EXTENDS + 2}.toml")
    assert any(f"more than {MAX_EXTENDS} levels of extends" in p.message for p in report.errors)


def test_extends_is_relative_to_the_file_not_the_working_directory(tmp_path, monkeypatch):
    sub = tmp_path / "sub"
    sub.mkdir()
    write(sub / "base.toml", MINI.read_text(encoding="utf-8"))
    write(sub / "v.toml", 'extends = "base.toml"\n[scenario]\nid = "v"\n')
    monkeypatch.chdir(tmp_path)
    assert load_scenario("sub/v.toml").id == "v"


def test_shipped_variants_inherit_from_the_default():
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        sc = load_scenario(path)
        assert sc.params.n_actors >= 2


# --- key lines ---------------------------------------------------------------------------------


def test_key_lines_finds_inline_tables_and_array_entries():
    text = (
        '[ladder]\nrungs = [\n  { id = "a", up = 1 },  # c\n  { id = "b" },\n]\n'
        '[[events]]\nid = \'x\'\neffects = [ { kind = "tension", pair = ["A", "B"] } ]\n'
        '[[events]]\n"quoted key".inner = 1\ns = """\nmulti\n"""\nafter = 2\n'
    )
    lines = key_lines(text)
    assert lines[("ladder", "rungs", 0, "up")] == 3
    assert lines[("ladder", "rungs", 1)] == 4
    assert lines[("events", 0, "effects", 0, "pair", 1)] == 8
    assert lines[("events", 1, "quoted key", "inner")] == 10
    assert lines[("events", 1, "after")] == 14


# --- --set overrides ---------------------------------------------------------------------------


def test_overrides_by_id_and_their_errors():
    sc = load_scenario(MINI, {"actors.PRK.military": 9.0, "scenario.turns": 6})
    assert sc.params.turns == 6
    assert sc.params.attr0[sc.params.actor_ids.index("PRK"), 0] == 9.0
    with pytest.raises(ScenarioError, match=r"no entry 'XYZ' \(the entries: [A-Z]{3}, "):
        load_scenario(MINI, {"actors.XYZ.military": 1.0})
    with pytest.raises(ScenarioError, match=r"no entry 'PRKK' \(did you mean 'PRK'\?\)$"):
        load_scenario(MINI, {"actors.PRKK.military": 1.0})
    with pytest.raises(ScenarioError, match="must be at most 1000"):
        load_scenario(MINI, {"actors.PRK.military": parse_value("5000")})
    raw = {"a": [{"id": "x", "v": 1}]}
    apply_override(raw, "a.x.v", 2, "f")
    assert raw == {"a": [{"id": "x", "v": 2}]}


def test_old_api_still_loads_the_default():
    sc = load_scenario(ROOT / "scenarios" / "treaty-2024.toml")
    assert sc.id == "treaty-2024" and sc.params.turns >= 1


def test_assistance_instances_link_to_their_treaty_consultation():
    from game.engine.params import KIND

    for path in [MINI, *sorted((ROOT / "scenarios").glob("*.toml"))]:
        p = load_scenario(path).params
        kinds = list(p.inst_kind)
        assert kinds == sorted(kinds), "instances of one kind must be contiguous"
        for i, c in enumerate(p.inst_consult):
            if p.inst_kind[i] != KIND["assistance"]:
                assert c == -1
                continue
            if c >= 0:
                assert p.inst_kind[c] == KIND["consultation"]
                assert (p.inst_treaty[c], p.inst_party[c], p.inst_by[c]) == (
                    p.inst_treaty[i],
                    p.inst_party[i],
                    p.inst_by[i],
                )
            else:  # only when the treaty has no consultation for that party and ally
                assert not any(
                    p.inst_kind[j] == KIND["consultation"]
                    and (p.inst_treaty[j], p.inst_party[j], p.inst_by[j])
                    == (p.inst_treaty[i], p.inst_party[i], p.inst_by[i])
                    for j in range(len(kinds))
                )


def test_problem_with_a_set_value_is_reported_as_the_option(tmp_path):
    report = check_file(MINI, {"actors.PRK.militray": 5, "relations.KOR-PRK.tension": 150})
    shown = sorted(str(p) for p in report.errors)
    assert shown == [
        f"{MINI}: actors[0].militray: --set actors.PRK.militray: unknown key 'militray' "
        "(did you mean 'military'?)",
        f"{MINI}: relations[0].tension: --set relations.KOR-PRK.tension: must be at most 100 "
        "(got 150)",
    ]
    assert all(p.line is None for p in report.errors)


@pytest.mark.parametrize(
    "written, meant",
    [("ROK", "KOR"), ("DPRK", "PRK"), ("US", "USA"), ("JP", "JPN"), ("PRC", "CHN")],
)
def test_common_abbreviations_suggest_the_right_id(tmp_path, written, meant):
    parent = ROOT / "scenarios" / "treaty-2024.toml"
    path = write(
        tmp_path / "v.toml",
        f'extends = "{parent.as_posix()}"\n[scenario]\nid = "v"\n'
        f'[[events]]\nid = "x"\nname = "X"\nwhen = "tension({written}, RUS) > 50"\n'
        f'[[relations]]\npair = ["{written}", "MNG"]\ntension = 20\n',
    )
    errors = check_file(path).errors
    assert len(errors) == 2, [str(p) for p in errors]
    for p in errors:
        assert f"unknown actor '{written}' (did you mean '{meant}'?)" in p.message


def test_a_duplicate_id_is_reported_alone_not_through_the_references_it_breaks():
    """An actor's id written as another's: every reference to the id it lost would read as
    unknown, and the first of those would stand for the file in a one-line error. The
    duplicate alone is reported, the cause to fix first."""
    text = MINI.read_text(encoding="utf-8")
    broken = text.replace('[[actors]]\nid = "KOR"', '[[actors]]\nid = "PRK"', 1)
    assert broken != text
    report = check_text(broken, str(MINI), MINI)
    assert [p.message for p in report.errors] == ["duplicate actor id 'PRK'"]
    assert report.errors[0].where == "actors[1].id"


def test_a_misspelt_table_is_one_unknown_key_not_its_numbers_too():
    """The uncertain numbers of a table the scenario does not have are not read as numbers
    that cannot vary: the unknown key (a known table misspelt, most often) is the problem."""
    text = MINI.read_text(encoding="utf-8")
    broken = text + "\n[nucleer]\nalert_base = { low = 0.01, high = 0.03 }\nworld_tension = 3\n"
    report = check_text(broken, str(MINI), MINI)
    assert [p.where for p in report.errors] == ["nucleer"]
    assert "unknown key 'nucleer'" in report.errors[0].message


def test_a_suggestion_prefers_the_id_that_starts_alike():
    """Of the ids close to a mistyped one, the one sharing its start: difflib alone rated
    'us_rok_1953' closest to 'rus_prk_1999', a Russia-DPRK treaty's id mistyped."""
    from game.scenario.errors import suggest

    ids = ["rus_prk_2024", "rus_prk_2000", "chn_prk_1961", "us_rok_1953", "us_japan_1960"]
    assert suggest("rus_prk_1999", ids) == " (did you mean 'rus_prk_2024'?)"
    assert suggest("us_rok_1935", ids) == " (did you mean 'us_rok_1953'?)"
    assert suggest("xus_rok_1953", ids) == " (did you mean 'us_rok_1953'?)"
    assert suggest("zzz", ids) == ""


def test_a_broken_event_does_not_make_the_flag_it_sets_unknown():
    """An event set aside for a bad date still sets its flag as far as the conditions that read
    it are concerned: the date is the one error, not also 'unknown flag'."""
    events = """
[[events]]
id = "deliveries"
name = "Batteries delivered"
date = "2025-13"
effects = [ { kind = "flag", flag = "batteries", set = 1 } ]

[[events]]
id = "alert"
name = "Alert"
when = "flag(batteries) > 0"
effects = [ { kind = "tension", pair = ["PRK", "KOR"], add = 5 } ]
"""
    report = check_text(MINI.read_text(encoding="utf-8") + events, str(MINI), MINI)
    assert [p.message.split(" is ")[-1] for p in report.errors] == [
        "not a valid date (month must be in 1..12)"
    ], [str(p) for p in report.errors]
