"""Mutated scenarios never crash the loader: every outcome is a model or located problems.

Hypothesis deletes keys, changes types, swaps ids and inserts junk at random paths of parsed
scenarios (valid ones, and a file that extends another), then calls validate, the merge,
compile_scenario and the warnings directly; and it mutates the text itself, fed through the
TOML reader. Only ScenarioError (or a list of problems) may come out.
"""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.scenario.compile import compile_scenario
from game.scenario.errors import Problem, ScenarioError
from game.scenario.lint import lint
from game.scenario.load import Locator, Source, check_text, key_lines, merge, validate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MINI = HERE / "data" / "mini.toml"
MINI_TEXT = MINI.read_text(encoding="utf-8")
MINI_RAW = tomllib.loads(MINI_TEXT)
DEFAULT_TEXT = (ROOT / "scenarios" / "treaty-2024.toml").read_text(encoding="utf-8")
DEFAULT_RAW = tomllib.loads(DEFAULT_TEXT)
CHILD_TEXT = f"""extends = "{MINI.as_posix()}"
[scenario]
id = "child"
[[actors]]
id = "PRK"
military = 9
[actors.doctrine]
rivals = ["KOR"]
[[events]]
id = "probe"
name = "Probe"
date = "2025-03"
when = "tension(PRK, KOR) > 50"
effects = [ {{ kind = "attack", by = "PRK", on = "KOR" }} ]
[[events]]
id = "party_congress"
remove = true
[[relations]]
pair = ["KOR", "PRK"]
tension = 70
"""
CHILD_RAW = tomllib.loads(CHILD_TEXT)
BASES = [(MINI_RAW, MINI_TEXT), (DEFAULT_RAW, DEFAULT_TEXT)]

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

IDS = ["PRK", "KOR", "USA", "CHN", "RUS", "XX", "armed_clash", "war", "us_rok", "talks", "probe"]
EXPRESSIONS = [
    "true",
    "turn > 3",
    "tension(PRK, KOR) >= 60",
    "__import__('os')",
    "x.__class__",
    "invoked(us_rok.defend) > 0",
    "max_peak() >= war",
    "((((1))))",
    "1e999 > 0",
    "not not not false",
    "fired(probe) >= 1 and month == 3",
    "rung(PRK, PRK) > armed_clash",
]
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(IDS + EXPRESSIONS),
    st.text(alphabet="()+-*/<>=!. ,_abcdefghlmnoprstuvw0123456789\"'[]{}:@\\\x00", max_size=60),
    st.dates(),
    st.times(),
    st.datetimes(),
    st.lists(st.sampled_from(IDS), max_size=4),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(
        st.sampled_from(["id", "kind", "name", "pair", "x", "remove"]),
        st.sampled_from(IDS + [1, True, "tension"]),
        max_size=3,
    ),
)


def paths(node, prefix=()):
    """Every path in a parsed document (tables and arrays included)."""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


def get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


@st.composite
def mutated(draw, base):
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        all_paths = [p for p in paths(doc) if p]
        if not all_paths:
            break
        path = draw(st.sampled_from(all_paths))
        parent = get(doc, path[:-1])
        key = path[-1]
        op = draw(st.sampled_from(["delete", "replace", "insert", "swap", "duplicate"]))
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(junk)
        elif op == "insert":
            if isinstance(parent, dict):
                parent[draw(st.sampled_from(["x", "remove", "kind", "when", "id", "extends"]))] = (
                    draw(junk)
                )
            else:
                parent.insert(key, draw(junk))
        elif op == "swap":
            ids = [p for p in all_paths if p[-1] == "id"]
            if len(ids) >= 2:
                a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
                pa, pb = get(doc, a[:-1]), get(doc, b[:-1])
                pa["id"], pb["id"] = pb["id"], pa["id"]
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return doc


def run_all(raw: dict, text: str, name: str = "fuzz.toml") -> None:
    try:
        model, problems = validate(raw, text, name)
    except ScenarioError:
        return
    assert all(isinstance(p, Problem) for p in problems)
    for p in problems:
        str(p)  # every problem prints
    if model is not None and not [p for p in problems if p.level == "error"]:
        params = compile_scenario(model)
        lint(model, params)


@pytest.mark.slow
@SETTINGS
@given(st.data())
def test_mutated_documents_never_crash(data):
    base, text = data.draw(st.sampled_from(BASES))
    run_all(data.draw(mutated(base)), text)


@pytest.mark.slow
@SETTINGS
@given(st.data())
def test_mutated_children_merge_and_never_crash(data):
    child = data.draw(mutated(CHILD_RAW))
    found: list = []
    parent = {k: v for k, v in MINI_RAW.items()}
    merged = merge(parent, {k: v for k, v in child.items() if k != "extends"}, "", found)
    sources = [
        Source("child.toml", child, key_lines(CHILD_TEXT)),
        Source("mini.toml", MINI_RAW, key_lines(MINI_TEXT)),
    ]
    where = Locator(merged, sources)
    for path, message in found:
        assert isinstance(where(path, message), Problem)
    try:
        model, problems = validate(merged, CHILD_TEXT, "child.toml", sources)
    except ScenarioError:
        return
    if model is not None and not [p for p in problems if p.level == "error"]:
        lint(model, compile_scenario(model))


@st.composite
def mutated_text(draw, text: str):
    ops = draw(st.integers(min_value=1, max_value=3))
    for _ in range(ops):
        n = len(text)
        i = draw(st.integers(min_value=0, max_value=n))
        j = draw(st.integers(min_value=i, max_value=min(n, i + 40)))
        op = draw(st.sampled_from(["delete", "insert", "replace", "dup-line"]))
        piece = draw(
            st.one_of(
                st.text(max_size=12),
                st.sampled_from(
                    [
                        "[",
                        "]",
                        "[[",
                        "]]",
                        "{",
                        "}",
                        '"',
                        "'",
                        "=",
                        "\n",
                        "#",
                        ".",
                        "\x00",
                        "\ufeff",
                        '"""',
                        "1e400",
                        "nan",
                        "-",
                    ]
                ),
            )
        )
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + piece + text[i:]
        elif op == "replace":
            text = text[:i] + piece + text[j:]
        else:
            lines = text.splitlines(keepends=True)
            if lines:
                k = draw(st.integers(min_value=0, max_value=len(lines) - 1))
                lines.insert(k, lines[k])
                text = "".join(lines)
    return text


@pytest.mark.slow
@SETTINGS
@given(st.data())
def test_mutated_text_never_crashes(data):
    source = data.draw(st.sampled_from([MINI_TEXT, CHILD_TEXT]))
    text = data.draw(mutated_text(source))
    as_bytes = data.draw(st.booleans())
    payload = text.encode("utf-8", errors="surrogatepass") if as_bytes else text
    report = check_text(payload, "fuzz.toml", HERE / "fuzz.toml")
    for p in report.problems:
        assert isinstance(p, Problem)
        assert "internal error" not in p.message
        str(p)
    if report.errors:
        assert report.loaded is None


@SETTINGS
@given(st.text(max_size=80))
def test_key_scanner_never_crashes(text):
    key_lines(text)


def test_dates_and_times_in_unusual_places():
    raw = copy.deepcopy(MINI_RAW)
    raw["scenario"]["start"] = dt.datetime(2025, 1, 15, 10, 30)
    raw["treaties"][0]["signed"] = dt.date(1953, 10, 1)
    model, problems = validate(raw, MINI_TEXT, "dates.toml")
    assert model is not None, problems
    assert model.scenario.start == dt.date(2025, 1, 15)


def test_a_scenario_without_treaties_compiles_and_plays():
    """No treaty, so no clause instance: the engine's lists are empty, not malformed, and the
    months play (found by the fuzzing above)."""
    import numpy as np

    from game.sim import play

    raw, text = BASES[0]  # the mini scenario: nothing else names its treaties' clauses
    raw = copy.deepcopy(raw)
    raw.pop("treaties", None)
    for key in ("questions", "dilemmas", "pledges"):
        raw.pop(key, None)
    model, problems = validate(raw, text, "no-treaties.toml")
    assert model is not None, [str(p) for p in problems if p.level == "error"]
    params = compile_scenario(model)
    assert params.clause_lists.table.shape == (0, params.clause_lists.table.shape[1])
    final = play(params, 3, np.arange(16), turns=6)
    assert int(final.turn) == 6 and final.rung.shape[0] == 16
