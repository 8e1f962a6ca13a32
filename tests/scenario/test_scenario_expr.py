"""Conditions are data: nothing outside the whitelisted language gets through the checks."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest

from game.scenario.load import validate

HERE = Path(__file__).resolve().parent
TEXT = (HERE / "data" / "mini.toml").read_text(encoding="utf-8")
RAW = tomllib.loads(TEXT)

DANGEROUS = [
    "__import__('os').system('true')",
    "().__class__.__bases__[0].__subclasses__()",
    "(1).__class__",
    "tension.__globals__",
    "getattr(tension, '__globals__')",
    "globals()",
    "locals()",
    "vars()",
    "open('/etc/passwd')",
    "exec('1')",
    "eval('1')",
    "compile('1', 'x', 'eval')",
    "__builtins__",
    "__name__ == '__main__'",
    "lambda: 1",
    "[x for x in (1,)]",
    "{1: 2}[1]",
    "f'{turn}' == '1'",
    "(y := 1)",
    "1 if true else 0",
    "turn ** 99999999",
    "turn << 2",
    "'a' * 1000000",
    "max(*[1, 2])",
    "tension(PRK, KOR, x=1)",
    "invoked(us_rok.defend.__class__)",
    "invoked(__import__.system)",
    "fired(__class__)",
    "attr(PRK, __dict__)",
    "9" * 400,
    "not " * 200 + "true",
]


@pytest.mark.parametrize("src", DANGEROUS)
def test_condition_is_rejected_with_a_located_problem(src):
    raw = copy.deepcopy(RAW)
    raw["events"][1]["when"] = src
    model, problems = validate(raw, TEXT, "mini.toml")
    errors = [p for p in problems if p.level == "error"]
    assert errors, f"accepted: {src!r}"
    assert errors[0].where.startswith("events[1].when")
    line = TEXT[: TEXT.index('when = "tension(PRK, KOR) >= 75')].count("\n") + 1
    assert errors[0].line == line


@pytest.mark.parametrize(
    "src",
    [
        "true",
        "turn >= 3 and month == 6",
        "40 <= tension(PRK, KOR) < 80",
        "rung(PRK, KOR) >= armed_clash or max_peak() >= war",
        "invoked(us_rok.defend) >= 1 and not in_force(chn_prk)",
        "attr(PRK, military) / max(attr(KOR, military), 1) > 0.2",
        "fired(party_congress) >= 1 and abs(tension(CHN, USA) - 50) < 10",
        'fired("party_congress") >= 1',
    ],
)
def test_condition_in_the_language_is_accepted(src):
    raw = copy.deepcopy(RAW)
    raw["events"][1]["when"] = src
    model, problems = validate(raw, TEXT, "mini.toml")
    assert model is not None and not [p for p in problems if p.level == "error"], problems


@pytest.mark.parametrize("src", ["turn >= ", "not", "turn >= 3 and"])
def test_an_expression_that_stops_short_is_located_at_its_end(src):
    """Python gives no column where an expression's text ends before the expression does:
    the problem says so, at the end of the text."""
    raw = copy.deepcopy(RAW)
    raw["events"][1]["when"] = src
    _, problems = validate(raw, TEXT, "mini.toml")
    error = next(p for p in problems if p.level == "error")
    assert "stops short" in error.message
    assert f"(column {len(src.strip())})" in error.message
