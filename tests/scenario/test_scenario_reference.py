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
