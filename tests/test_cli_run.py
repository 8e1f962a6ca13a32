"""`pact run`: a readable, reproducible log; JSON that follows the contract; clean errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import pact

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = "scenarios/treaty-2024.toml"
SMALL = ROOT / "tests" / "data" / "clause-cascade.toml"


def test_run_prints_a_month_by_month_log_ending_in_an_outcome():
    out = pact("run", DEFAULT, "--seed", "7", check=True).stdout
    assert out.count("\n20") >= 36  # one header line per month, 2024-07 onwards
    assert "2024-07  July 2024" in out and "2027-06  June 2027" in out
    assert out.rstrip().splitlines()[-1].lstrip().startswith("Scores:")
    assert "OUTCOME:" in out


@pytest.mark.slow
def test_same_seed_same_bytes_other_seed_other_game():
    a = pact("run", DEFAULT, "--seed", "7", check=True).stdout
    b = pact("run", DEFAULT, "--seed", "7", check=True).stdout
    c = pact("run", DEFAULT, "--seed", "8", check=True).stdout
    assert a == b
    assert a != c


def test_json_follows_the_contract():
    doc = json.loads(pact("run", DEFAULT, "--seed", "7", "--json", check=True).stdout)
    assert set(doc) >= {"scenario", "seed", "turns", "outcome"}
    assert doc["scenario"] == "treaty-2024" and doc["seed"] == 7
    assert [m["turn"] for m in doc["turns"]] == list(range(len(doc["turns"])))
    assert doc["turns"][0]["date"] == "2024-07"
    kinds = {e["kind"] for m in doc["turns"] for e in m["events"]}
    assert {"action", "rung", "event", "consultation"} <= kinds
    for m in doc["turns"]:
        for e in m["events"]:
            if e["kind"] in ("consultation", "assistance"):
                assert {"treaty", "clause", "party", "by", "against"} <= set(e)
    assert {"id", "name", "end_turn", "peak_rungs", "first_crossed", "clauses_invoked"} <= set(
        doc["outcome"]
    )


@pytest.mark.slow
def test_json_assistance_events_carry_the_contract_fields():
    doc = json.loads(pact("run", str(SMALL), "--seed", "1", "--json", check=True).stdout)
    assists = [e for m in doc["turns"] for e in m["events"] if e["kind"] == "assistance"]
    assert assists and assists[0]["by"] == "ALY" and assists[0]["against"] == "ATK"


BROKEN = {
    "syntax": ("[scenario\nid = 'x'", "TOML syntax error"),
    "unknown actor in treaty": (
        lambda t: t.replace('parties = ["DEF", "ALY"]', 'parties = ["DEF", "DPRK"]'),
        "treaties[0].parties[1]: unknown actor 'DPRK'",
    ),
    "misspelt key": (
        lambda t: t.replace("passivity = 10", "pasivity = 10", 1),
        "did you mean 'passivity'",
    ),
    "wrong type": (
        lambda t: t.replace("military = 10", 'military = "strong"', 1),
        "actors[0].military",
    ),
    "out of range": (lambda t: t.replace("credibility = 1.0", "credibility = 1.7"), "credibility"),
    "bad date": (lambda t: t.replace('start = "2030-01"', 'start = "2030-13"'), "scenario.start"),
    "unknown rung": (
        lambda t: t.replace('response = "war"', 'response = "warr"'),
        "did you mean 'war'",
    ),
    "bad expression": (
        lambda t: t.replace('when = "max_peak() >= war"', "when = \"__import__('os')\""),
        "outcomes[0].when",
    ),
    "missing table": (
        lambda t: t.replace("[scenario]", "[scenery]"),
        "missing required key 'scenario'",
    ),
    "empty": ("", "empty file"),
    "binary": (b"\x00\x01\x02garbage", "binary"),
    "not utf-8": (b"name = '\xff\xfe'\n", "not UTF-8"),
    "duplicate id": (lambda t: t.replace('id = "ALY"', 'id = "DEF"'), "duplicate actor id 'DEF'"),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_scenarios_give_one_located_line_and_status_2(tmp_path, kind):
    content, expected = BROKEN[kind]
    path = tmp_path / f"{kind.replace(' ', '_')}.toml"
    if callable(content):
        new = content(SMALL.read_text())
        assert new != SMALL.read_text()
        path.write_text(new)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    res = pact("run", str(path))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert str(path) in lines[0]
    assert expected in lines[0], lines[0]


@pytest.mark.slow
def test_missing_file_and_folder(tmp_path):
    for target, words in ((tmp_path / "nope.toml", "no such file"), (tmp_path, "folder")):
        res = pact("run", str(target))
        assert res.returncode == 2 and "Traceback" not in res.stderr
        assert words in res.stderr


@pytest.mark.slow
def test_bad_flags_exit_2():
    assert pact("run", DEFAULT, "--turns", "0").returncode == 2
    assert pact("run", DEFAULT, "--seed", "x").returncode == 2
    assert pact("run", DEFAULT, "--set", "nonsense").returncode == 2


def test_warm_compiles_the_kernels_a_later_start_loads():
    """`pact warm` (an install step) leaves the AI's kernels in numba's cache: a new process
    warming up for a game (the AI's month, and the draw a month with a player's moves takes,
    signals or none in the scenario) loads them instead of compiling them."""
    out = pact("warm", check=True).stdout
    assert "compiled" in out
    mini = ROOT / "tests" / "scenario" / "data" / "mini.toml"  # a scenario without signals
    for path in (ROOT / DEFAULT, mini):
        probe = (
            "from game.ai import kernel; from game.scenario import load_scenario; "
            "from game.sim import warm; "
            f"warm(load_scenario({str(path)!r}).params); "
            "print(sum(kernel.score_kernel.stats.cache_hits.values()), "
            "sum(kernel.score_kernel.stats.cache_misses.values()), "
            "sum(kernel.draw_kernel.stats.cache_hits.values()))"
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        run = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
        )
        hits, misses, draw_hits = run.stdout.split()
        assert (int(hits), int(misses), int(draw_hits)) == (1, 0, 1), path.name


def test_every_commands_help_is_wrapped_to_the_terminal(monkeypatch):
    """Each command's --help wraps its description to the terminal's width; only an example
    command line of an epilog ("  pact ...") may run longer."""
    import argparse

    from game.commands.main import build_parser

    monkeypatch.setenv("COLUMNS", "80")
    parser = build_parser()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {"batch", "sweep", "explore", "play"} <= set(subs.choices)
    for name, sub in subs.choices.items():
        text = sub.format_help()
        long = [x for x in text.splitlines() if len(x) > 80 and not x.startswith("  pact ")]
        assert not long, (name, long)
