"""scenarios/schema.json: generated from the models, and every shipped scenario conforms."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from game.scenario.schema import scenario_schema, schema_text, toml_to_json

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCHEMA_FILE = ROOT / "scenarios" / "schema.json"
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def doc(path: Path) -> dict:
    return toml_to_json(tomllib.loads(path.read_text(encoding="utf-8")))


def test_committed_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "scenarios/schema.json is stale: run 'pact schema --out scenarios/schema.json'"
    )


def test_schema_uses_keywords_older_editors_understand():
    schema = scenario_schema()
    jsonschema.Draft4Validator.check_schema(schema)  # Taplo documents Draft 4
    text = json.dumps(schema)
    for keyword in ('"$defs"', '"const"', '"discriminator"', '"format"', '"type": "null"'):
        assert keyword not in text, keyword


@pytest.mark.parametrize(
    "path",
    [*SHIPPED, HERE / "data" / "mini.toml"],
    ids=lambda p: p.name,
)
def test_scenario_conforms_to_the_schema(validator, path):
    errors = sorted(validator.iter_errors(doc(path)), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_toml_dates_become_strings_that_conform(validator):
    data = doc(HERE / "data" / "mini.toml")
    import datetime as dt

    data["treaties"][0]["signed"] = toml_to_json(dt.date(1953, 10, 1))
    assert data["treaties"][0]["signed"] == "1953-10-01"
    assert not list(validator.iter_errors(data))


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda d: d.update(senario={}), "senario"),
        (lambda d: d["scenario"].update(turns="36"), "turns"),
        (lambda d: d["scenario"].update(start="July 2024"), "start"),
        (lambda d: d["actors"][0].update(resolve=1.5), "resolve"),
        (lambda d: d["actors"][0].update(id="prk"), "id"),
        (lambda d: d["events"][0]["effects"][0].update(kind="explode"), "effects"),
        (lambda d: d["events"][0].pop("date"), "events"),
        (lambda d: d.pop("actors"), "actors"),
    ],
)
def test_schema_rejects_what_the_validator_rejects(validator, change, where):
    data = doc(HERE / "data" / "mini.toml")
    change(data)
    assert list(validator.iter_errors(data)), where


def test_a_child_file_needs_only_its_changes(validator):
    child = {
        "extends": "treaty-2024.toml",
        "scenario": {"id": "v"},
        "events": [{"id": "munitions", "remove": True}],
        "relations": [{"pair": ["PRK", "KOR"], "tension": 70}],
        "treaties": [{"id": "us_rok_1953", "clauses": [{"id": "art3", "credibility": 0.5}]}],
    }
    assert not list(validator.iter_errors(child))
    child["actors"] = [{"military": 5}]  # a changed entry needs its id
    assert list(validator.iter_errors(child))


# --- an editor's validator --------------------------------------------------------------------


def _check_jsonschema(*files: Path):
    """check-jsonschema (the validator pre-commit and editors' CI use) over files, as TOML."""
    import subprocess
    import sys

    pytest.importorskip("check_jsonschema")
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA_FILE)]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_editor_validator_accepts_shipped_files_and_locates_an_error(tmp_path):
    variants = [HERE / "broken" / "warn-new-rung-on-top.toml"]
    ok = _check_jsonschema(*SHIPPED, HERE / "data" / "mini.toml", *variants)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # one error in a whole file and one in a variant: each reported at its own key, not as
    # one "matches neither form" over the whole file
    whole = tmp_path / "whole.toml"
    whole.write_text(
        (HERE / "data" / "mini.toml")
        .read_text(encoding="utf-8")
        .replace("turns = 24", 'turns = "24"')
    )
    part = tmp_path / "part.toml"
    part.write_text('extends = "mini.toml"\n[[actors]]\nid = "KOR"\nmilitray = 20\n')
    bad = _check_jsonschema(whole, part)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert f"{whole}::$.scenario.turns: '24' is not of type 'integer'" in bad.stdout
    assert f"{part}::$.actors[0]: Additional properties are not allowed ('militray'" in bad.stdout


def test_schema_root_chooses_the_form_by_extends():
    schema = scenario_schema()
    assert "anyOf" not in schema and "oneOf" not in schema
    assert schema["if"] == {"required": ["extends"]}
    change = schema["definitions"]["RungChange"]["properties"]
    assert {"after", "before", "remove"} <= set(change)
