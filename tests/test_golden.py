"""Golden log: (treaty-2024, seed 7) pinned. Any change to the engine, the AI or the default
scenario that changes this game shows here. Regenerate deliberately with
``PACT_REGEN_GOLDEN=1 python -m pytest tests/test_golden.py``."""

import json
import os
from pathlib import Path

from game.sim import run_log

GOLDEN = Path(__file__).resolve().parent / "golden" / "treaty-2024-seed7.json"


def test_golden_log_treaty_2024_seed_7(default_scenario):
    log = run_log(default_scenario.params, seed=7)
    text = json.dumps(log, indent=1, sort_keys=True) + "\n"
    if os.environ.get("PACT_REGEN_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text)
    assert GOLDEN.exists(), "no golden log: run with PACT_REGEN_GOLDEN=1 once"
    expected = json.loads(GOLDEN.read_text())
    for got, want in zip(log["turns"], expected["turns"]):
        assert got == want, f"first difference in {want['date']}"
    assert log == expected
