"""scenarios/README.md: the generated reference is current, complete, and its example works."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from game.engine.expr import FUNCTIONS
from game.engine.outcome import classify
from game.scenario import model as m
from game.scenario.load import check_file, load_scenario
from game.scenario.reference import BEGIN, END, SECTIONS, reference_markdown
from game.sim import play

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
README = ROOT / "scenarios" / "README.md"


def readme() -> str:
    return README.read_text(encoding="utf-8")


def generated() -> str:
    text = readme()
    return text[text.index(BEGIN) : text.index(END) + len(END)]


def all_models() -> set[type[BaseModel]]:
    seen: set = set()
    todo = [m.Scenario]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for f in cls.model_fields.values():
            stack = [f.annotation]
            while stack:
                a = stack.pop()
                if isinstance(a, type) and issubclass(a, BaseModel):
                    todo.append(a)
                stack.extend(typing.get_args(a))
    return seen


def test_readme_reference_is_current():
    assert generated() + "\n" == reference_markdown(), (
        "the README reference is stale: run 'python -m game.scenario.reference --write'"
    )


def test_each_table_is_introduced_by_whole_sentences():
    """The sentence before "Written as" is the table's docstring's first paragraph, whole:
    not its first line, cut mid-sentence."""
    leads = re.findall(r"^(.*) Written as .*$", generated(), flags=re.M)
    assert len(leads) == len(SECTIONS)
    cut = [lead for lead in leads if not lead.rstrip().endswith((".", "?", ")"))]
    assert not cut, cut


def test_every_model_and_key_is_documented():
    models = all_models()
    documented = {model for _, _, model in SECTIONS} | set(m.EFFECT_MODELS)
    assert models <= documented, models - documented
    section = generated()
    for model in models:
        assert model.__doc__, model.__name__
        for name, info in model.model_fields.items():
            key = info.alias or name
            assert info.description, f"{model.__name__}.{name} has no description"
            assert f"| `{key}` |" in section, f"{model.__name__}.{key} missing from the README"


def test_every_function_and_effect_kind_is_documented():
    text = readme()
    for name in FUNCTIONS:
        assert f"`{name}(" in text, name
    for em in m.EFFECT_MODELS:
        kind = typing.get_args(em.model_fields["kind"].annotation)[0]
        assert f'kind = "{kind}"' in text


def test_readme_explains_extends_and_editor_support():
    text = readme()
    for needle in ("remove = true", "#:schema ./schema.json", ".taplo.toml", "matched by `pair`"):
        assert needle in text, needle


def worked_example() -> str:
    text = readme()
    start = text.index("<!-- worked example")
    block = re.search(r"```toml\n(.*?)```", text[start:], re.S)
    return block.group(1)


def test_worked_example_validates_without_warnings_and_runs(tmp_path):
    text = worked_example()
    parent = (ROOT / "scenarios" / "treaty-2024.toml").as_posix()
    path = tmp_path / "russia-china-pact.toml"
    path.write_text(text.replace('extends = "treaty-2024.toml"', f'extends = "{parent}"'))
    report = check_file(path)
    assert report.ok and not report.warnings, [str(p) for p in report.problems]
    sc = load_scenario(path)
    ids = sc.params.treaty_ids
    assert "rus_chn_2025" in ids and "east_china_sea_clash" in [e.id for e in sc.params.events]
    state = play(sc.params, seed=0, runs=np.arange(60))
    e = [x.id for x in sc.params.events].index("east_china_sea_clash")
    assert (state.event_count[:, e] > 0).any()
    assert classify(sc.params, state).shape == (60,)


def worked_example_2(tmp_path) -> Path:
    text = readme()
    start = text.index("<!-- worked example 2")
    block = re.search(r"```toml\n(.*?)```", text[start:], re.S).group(1)
    parent = (ROOT / "scenarios" / "treaty-2024.toml").as_posix()
    path = tmp_path / "taiwan-quarantine.toml"
    path.write_text(block.replace('extends = "treaty-2024.toml"', f'extends = "{parent}"'))
    return path


def test_worked_example_2_inserts_and_reserves_and_runs(tmp_path):
    from game.montecarlo.runner import simulate
    from game.scenario.dryrun import coverage
    from game.scenario.show import to_toml

    path = worked_example_2(tmp_path)
    report = check_file(path)
    assert report.ok and not report.warnings, [str(p) for p in report.problems]
    sc = report.loaded
    rungs = [r.id for r in sc.model.ladder.rungs]
    assert rungs.index("quarantine") == rungs.index("buildup") + 1  # in the middle
    assert rungs[-1] == "general_nuclear"
    outcomes = [o.id for o in sc.model.outcomes]
    assert outcomes.index("quarantine_crisis") == outcomes.index("heightened_tensions") - 1
    assert outcomes[-1] == "stability"
    # dry run and batch: the reserved moves are made, and only by their states
    cov = coverage(sc.params, seed=0, runs=40)
    assert cov["runs"] == 40
    result = simulate(sc, runs=200, seed=1, workers=1)
    actors = [a.id for a in sc.model.actors]
    actions = [a.id for a in sc.model.actions]
    for action, owner in (("quarantine", "CHN"), ("porcupine_drill", "TWN")):
        col = result.actions[:, actions.index(action) + 1]
        assert col[actors.index(owner)] > 0, action
        assert col.sum() == col[actors.index(owner)], action
    twn = result.actions[actors.index("TWN")]
    allowed = {"negotiate", "warning", "exercise", "porcupine_drill"}
    assert {actions[k - 1] for k in np.nonzero(twn[1:])[0] + 1} <= allowed
    # pact show: the whole merged scenario, valid alone, the same scenario
    alone = tmp_path / "alone.toml"
    alone.write_text(to_toml(sc.raw), encoding="utf-8")
    again = check_file(alone)
    assert again.ok and not again.errors, [str(p) for p in again.errors]
    assert again.loaded.model.model_dump(exclude={"extends"}) == sc.model.model_dump(
        exclude={"extends"}
    )
