"""The authoring commands: validate, new, schema, dry-run, scenarios."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import numpy as np
import pytest

from game.commands.authoring import first_sentence
from game.commands.main import main
from game.engine.outcome import classify
from game.scenario.load import check_file, load_scenario
from game.sim import play
from tests.helpers import pact

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCENARIOS = ROOT / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.toml"))
DEFAULT = SCENARIOS / "treaty-2024.toml"


# --- validate --------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_shipped_scenario_validates():
    assert DEFAULT in SHIPPED
    proc = pact("validate", *[str(p.relative_to(ROOT)) for p in SHIPPED])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for p in SHIPPED:
        assert f"{p.relative_to(ROOT)}: ok" in proc.stdout
    assert "Traceback" not in proc.stderr


# How fast validation is: benchmarks/validate.py prints it (no timing assertions in tests).


def test_warnings_are_printed_but_do_not_fail(tmp_path, capsys):
    path = tmp_path / "late.toml"
    path.write_text(
        f'extends = "{(HERE / "data" / "mini.toml").as_posix()}"\n'
        '[scenario]\nid = "late"\n'
        '[[events]]\nid = "party_congress"\ndate = "2031-01"\n'
    )
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert (
        f"{path}:6: warning: events[0].date: date 2031-01 is after the scenario's last month" in out
    )
    assert f"{path}: ok (1 warning)" in out
    assert main(["validate", "--no-warnings", "-q", str(path)]) == 0
    assert capsys.readouterr().out == ""


def test_validate_reports_every_file_and_fails_if_one_fails(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "nowhere.toml"\n')
    assert main(["validate", str(DEFAULT), str(bad)]) == 2
    out = capsys.readouterr().out
    assert f"{DEFAULT}: ok" in out
    assert f"{bad}:1: extends: parent scenario 'nowhere.toml' not found" in out
    assert f"{bad}: 1 error" in out


def test_a_missing_parent_is_likened_only_to_a_name_close_to_it(tmp_path, capsys):
    """The files beside it all end in '.toml': two short names are not alike for that."""
    (tmp_path / "loop2.toml").write_text('extends = "nope.toml"\n')
    (tmp_path / "treaty-2024.toml").write_text(DEFAULT.read_text())
    near = tmp_path / "near.toml"
    near.write_text('extends = "treaty-2O24.toml"\n')
    assert main(["validate", str(tmp_path / "loop2.toml"), str(near)]) == 2
    out = capsys.readouterr().out
    assert "parent scenario 'nope.toml' not found\n" in out
    assert "parent scenario 'treaty-2O24.toml' not found (did you mean 'treaty-2024.toml'?)" in out


def test_validate_takes_a_scenarios_name_as_the_other_commands_do(capsys):
    assert main(["validate", "treaty-2024", "no-such-scenario"]) == 2
    out = capsys.readouterr().out
    assert "treaty-2024: ok" in out
    assert "no-such-scenario: no such file" in out


def test_validate_lists_every_problem_an_override_brings(capsys):
    """run and batch name the first problem an override brings and point to validate, which
    takes the same --set and lists them all."""
    sets = ["--set", "scenario.start=2030-01"]
    assert main(["run", "peninsula-clash", *sets]) == 2
    err = capsys.readouterr().err
    assert "(and 3 more; 'pact validate', which takes --set too, lists them)" in err
    assert main(["validate", "peninsula-clash", *sets]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert len([x for x in lines if "the date is before the scenario starts" in x]) == 4
    assert lines[-1] == "peninsula-clash: 4 errors"
    assert main(["validate", "peninsula-clash"]) == 0


# --- new -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_new_then_edit_validate_and_play(tmp_path):
    proc = pact("new", "my-crisis", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "my-crisis.toml"
    text = path.read_text(encoding="utf-8")
    assert 'id = "my-crisis"' in text and 'name = "My crisis"' in text
    assert text.count("\n# ---") >= 8  # every table is explained
    report = check_file(path)
    assert report.ok and not report.warnings, [str(p) for p in report.problems]

    # an author's edit: a tenser start, a new conditional event
    text = text.replace("tension = 60\n", "tension = 72\n", 1)
    text += (
        "\n[[events]]\n"
        'id = "missile_over_japan"\n'
        'name = "A missile flies over Japan"\n'
        'when = "tension(PRK, USA) >= 50"\n'
        "probability = 0.3\n"
        'effects = [ { kind = "tension", pair = ["PRK", "USA"], add = 6 } ]\n'
    )
    path.write_text(text, encoding="utf-8")
    proc = pact("validate", str(path))
    assert proc.returncode == 0, proc.stdout
    assert f"{path}: ok" in proc.stdout

    sc = load_scenario(path)
    state = play(sc.params, seed=3, runs=np.arange(40), turns=12)
    outcomes = classify(sc.params, state)
    assert outcomes.shape == (40,)
    assert set(np.unique(outcomes)) <= set(range(len(sc.params.outcomes)))
    fired = state.event_count[:, [e.id for e in sc.params.events].index("missile_over_japan")]
    assert (fired > 0).any()


@pytest.mark.slow
def test_new_refuses_to_overwrite(tmp_path):
    path = tmp_path / "taken.toml"
    path.write_text("# mine\n")
    proc = pact("new", str(path))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "already exists" in lines[0]
    assert path.read_text() == "# mine\n"
    # the same without the .toml suffix
    proc = pact("new", "taken", cwd=tmp_path)
    assert proc.returncode == 2 and "already exists" in proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["taken.toml"]  # no temporary file left


@pytest.mark.slow
def test_new_into_a_missing_folder_fails_cleanly(tmp_path):
    proc = pact("new", str(tmp_path / "nowhere" / "x.toml"))
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_new_from_a_scenario_extends_it(tmp_path, capsys):
    target = tmp_path / "variant.toml"
    assert main(["new", str(target), "--from", str(DEFAULT)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "extends = " in text
    report = check_file(target)
    assert report.ok and not report.warnings, [str(p) for p in report.problems]
    assert report.loaded.model.scenario.id == "variant"
    # the commented examples name the parent's real ids; uncommented, they still validate
    assert '# id = "PRK"' in text or '# id = "RUS"' in text
    # An inherited number the parent draws run by run is given as its distribution, and a
    # comment never runs into the code before it.
    assert "# inherited: uniform 0.75 to 0.95" in text  # the 2024 treaty's Art. 4 credibility
    assert all(" # " in line for line in text.splitlines() if "# inherited:" in line)
    assert all(" # an array" in line for line in text.splitlines() if "# an array" in line)
    head, body = text.split("[scenario]\n", 1)
    toml_line = re.compile(r"^#\s+(\[|[a-z_]+ = )")
    body = "\n".join(
        line.lstrip("#").strip() if toml_line.match(line) else line for line in body.splitlines()
    )
    uncommented = head + "[scenario]\n" + body
    target.write_text(uncommented, encoding="utf-8")
    report = check_file(target)
    assert not report.errors, [str(p) for p in report.errors]


def test_new_from_a_shipped_name_and_a_broken_parent(tmp_path, capsys):
    assert main(["new", str(tmp_path / "a.toml"), "--from", "treaty-2024"]) == 0
    broken = tmp_path / "broken.toml"
    broken.write_text("[scenario\n")
    assert main(["new", str(tmp_path / "b.toml"), "--from", str(broken)]) == 2
    assert f"{broken}:1: TOML syntax error" in capsys.readouterr().err
    assert not (tmp_path / "b.toml").exists()


def test_new_prints_next_commands_that_paste_into_a_shell(tmp_path, capsys):
    """A file name with a space is quoted in the commands the hint prints, so that each pastes
    into a shell as it stands."""
    target = tmp_path / "my scen.toml"
    assert main(["new", str(target)]) == 0
    hint = capsys.readouterr().out.splitlines()[-1]
    commands = hint.split("run: ", 1)[1].split("; ")
    assert [shlex.split(c) for c in commands] == [
        ["pact", "validate", str(target)],
        ["pact", "dry-run", str(target)],
    ]


def test_an_empty_file_or_folder_name_is_refused(tmp_path, capsys, monkeypatch):
    """An empty --out would fall back to the default folder (batch) or to printing (show)
    without a word: it is refused, status 2, and nothing is written."""
    monkeypatch.chdir(tmp_path)
    for argv in (
        ["batch", str(DEFAULT), "--runs", "2", "--turns", "1", "--out", ""],
        ["show", str(DEFAULT), "--out", " "],
        ["merge", str(DEFAULT), str(tmp_path), "--out", ""],
    ):
        with pytest.raises(SystemExit) as e:
            main(argv)
        assert e.value.code == 2, argv
        assert "argument --out: expects a file or folder name" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_new_writes_a_schema_directive_in_the_scenarios_folder(tmp_path):
    (tmp_path / "schema.json").write_text("{}")
    assert main(["new", str(tmp_path / "s.toml")]) == 0
    assert (tmp_path / "s.toml").read_text().startswith("#:schema ./schema.json\n")


# --- schema ----------------------------------------------------------------------------------


def test_schema_command_prints_the_committed_schema(capsys):
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    assert out == (SCENARIOS / "schema.json").read_text(encoding="utf-8")
    json.loads(out)


@pytest.mark.slow
def test_schema_out_writes_a_file(tmp_path):
    out = tmp_path / "schema.json"
    out.write_text("old")
    assert main(["schema", "--out", str(out)]) == 0
    assert out.read_text() == (SCENARIOS / "schema.json").read_text(encoding="utf-8")
    proc = pact("schema", "--out", str(tmp_path))
    assert proc.returncode == 2 and "is a folder" in proc.stderr


# --- dry-run ---------------------------------------------------------------------------------


def test_dry_run_reports_coverage(capsys):
    assert main(["dry-run", str(DEFAULT), "--runs", "30", "--seed", "1", "--json"]) == 0
    cov = json.loads(capsys.readouterr().out)
    sc = load_scenario(DEFAULT)
    assert cov["runs"] == 30
    assert [e["id"] for e in cov["events"]] == [e.id for e in sc.params.events]
    assert [c["key"] for c in cov["clauses"]] == sc.params.clause_keys
    assert [a["id"] for a in cov["actions"]] == sc.params.action_ids
    assert abs(sum(o["share"] for o in cov["outcomes"]) - 1.0) < 1e-9
    # a dated event of the opening months fires in every run
    kursk = next(e for e in cov["events"] if e["id"] == "kursk_incursion")
    assert kursk["share"] == 1.0
    assert set(cov["never_chosen"]) == {a["id"] for a in cov["actions"] if a["times"] == 0}
    for a in cov["actions"]:
        assert sum(b["times"] for b in a["by"]) == a["times"]


def test_dry_run_tables(capsys):
    assert main(["dry-run", str(HERE / "data" / "mini.toml"), "--runs", "20"]) == 0
    out = capsys.readouterr().out
    for title in ("Outcomes", "Events", "Treaty clauses", "Actions"):
        assert title in out
    assert "us_rok.defend" in out and "party_congress" in out


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, text",
    [
        (["--runs", "0"], "--runs must be between"),
        (["--turns", "9999"], "--turns must be between"),
        (["--set", "nonsense"], "--set expects KEY=VALUE"),
        (["--set", "actors.XXX.military=3"], "no entry 'XXX'"),
        (["--set", "actors.PRK.military=5000"], "must be at most 1000"),
    ],
)
def test_dry_run_bad_input_is_one_line(args, text):
    proc = pact("dry-run", str(DEFAULT), *args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and text in lines[0], proc.stderr


# --- scenarios -------------------------------------------------------------------------------


@pytest.mark.slow
def test_scenarios_lists_every_shipped_file():
    proc = pact("scenarios")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    for p in SHIPPED:
        sc = load_scenario(p)
        row = next(line for line in lines if line.startswith(p.name + " "))
        assert sc.id in row and sc.name[:20] in row
        # Into a pipe a line is not cut to a terminal's width: the whole first sentence.
        assert first_sentence(sc.model.scenario.description) in row
    assert "INVALID" not in proc.stdout


@pytest.mark.slow
def test_scenarios_marks_invalid_files(tmp_path):
    (tmp_path / "good.toml").write_text((HERE / "data" / "mini.toml").read_text())
    (tmp_path / "bad.toml").write_text('[scenario]\nid = "bad"\n')
    proc = pact("scenarios", str(tmp_path))
    assert proc.returncode == 2  # the list is printed whole, and a script learns of the failure
    bad = next(line for line in proc.stdout.splitlines() if line.startswith("bad.toml"))
    assert "INVALID" in bad
    good = next(line for line in proc.stdout.splitlines() if line.startswith("good.toml"))
    assert "mini" in good and "A small crisis on the Korean peninsula." in good
    assert "1 file failed to validate" in proc.stdout
    proc = pact("scenarios", str(tmp_path / "none"))
    assert proc.returncode == 2 and "is not a folder" in proc.stderr
