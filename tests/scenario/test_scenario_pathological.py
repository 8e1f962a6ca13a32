"""Files built to make validation slow are refused (or validated) with the right message; the
work is linear in their size (benchmarks/validate.py prints how long each takes)."""

from __future__ import annotations

from game.scenario.load import check_file, check_text
from tests.helpers import ROOT


def dotted_key_file(parts: int = 500_000) -> str:
    """One dotted key of ``parts`` parts: about 1 MB at the default."""
    return ".".join(["a"] * parts) + " = 1\n"


def removals_file(removed: int = 10_000, added: int = 0) -> str:
    """A variant removing ``removed`` entries its parent does not have (after ``added`` new
    ones, which a did-you-mean search over every known id would also have to consider)."""
    lines = ['extends = "treaty-2024.toml"', "[scenario]", 'id = "storm"', 'name = "Storm"']
    for i in range(added):
        lines += ["[[events]]", f'id = "new_event_{i}"']
    for i in range(removed):
        lines += ["[[events]]", f'id = "no_such_event_{i}"', "remove = true"]
    return "\n".join(lines) + "\n"


def test_a_key_of_half_a_million_parts_is_refused_at_its_line(tmp_path):
    path = tmp_path / "dotted.toml"
    path.write_text("# a comment\n" + dotted_key_file())
    report = check_file(path)
    assert not report.ok
    (p,) = report.errors
    assert p.line == 2 and "500,000 dotted parts" in p.message and "deeper than 12" in p.message


def test_long_keys_in_headers_and_inline_tables_are_refused(tmp_path):
    key = ".".join(["k"] * 40)
    for text, line in ((f"[{key}]\nx = 1\n", 1), (f"x = 1\ny = {{ {key} = 1 }}\n", 2)):
        report = check_text(text, "t.toml", tmp_path / "t.toml")
        assert [(e.line, "40 dotted parts" in e.message) for e in report.errors] == [(line, True)]


def test_many_dots_in_text_are_not_keys():
    """A description with many sentences on one line is text, not a deep key."""
    source = (ROOT / "scenarios" / "treaty-2024.toml").read_text()
    prose = "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Eleven. Twelve. 13. 14."
    text = source.replace("[scenario]\n", f'[scenario]\nnotes = "{prose}"\n', 1)
    assert text != source
    report = check_text(text, "t.toml", ROOT / "scenarios" / "t.toml")
    assert not [e for e in report.errors if "dotted parts" in e.message]


def test_ten_thousand_unknown_removals_each_get_a_located_error(tmp_path):
    (tmp_path / "treaty-2024.toml").write_text(
        (ROOT / "scenarios" / "treaty-2024.toml").read_text()
    )
    path = tmp_path / "storm.toml"
    path.write_text(removals_file())
    report = check_file(path)
    errs = [e for e in report.errors if "nothing to remove" in e.message]
    assert len(errs) == 10_000
    assert errs[0].path == ("events", 0, "remove") and errs[0].line == 7
    assert "'no_such_event_9999'" in errs[-1].message


def test_removals_after_thousands_of_new_entries(tmp_path):
    (tmp_path / "treaty-2024.toml").write_text(
        (ROOT / "scenarios" / "treaty-2024.toml").read_text()
    )
    path = tmp_path / "storm.toml"
    path.write_text(removals_file(removed=5_000, added=5_000))
    report = check_file(path)
    assert len([e for e in report.errors if "nothing to remove" in e.message]) == 5_000
    assert any("at most 500 entries" in e.message for e in report.errors)


def test_a_near_miss_removal_still_gets_a_hint(tmp_path):
    (tmp_path / "treaty-2024.toml").write_text(
        (ROOT / "scenarios" / "treaty-2024.toml").read_text()
    )
    from game.scenario.load import load_scenario

    first = load_scenario(tmp_path / "treaty-2024.toml").model.events[0].id
    path = tmp_path / "v.toml"
    path.write_text(
        'extends = "treaty-2024.toml"\n[scenario]\nid = "v"\nname = "V"\n'
        f'[[events]]\nid = "{first}x"\nremove = true\n'
    )
    (err,) = [e for e in check_file(path).errors if "nothing to remove" in e.message]
    assert f"did you mean '{first}'" in err.message
