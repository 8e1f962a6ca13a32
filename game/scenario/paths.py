"""Where scenarios are: the project folder, its shipped scenarios, and how a scenario named on
the command line, in a save or in a menu is found."""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SHIPPED = PROJECT / "scenarios"
DEFAULT_SCENARIO = "scenarios/treaty-2024.toml"


def scenario_folder() -> Path:
    """./scenarios when there is one here, else the shipped scenarios."""
    here = Path("scenarios")
    return here if here.is_dir() else SHIPPED


def find_scenario(ref: str | Path) -> Path:
    """A scenario reference: a path as given (from here, else from the project folder), or a
    scenario's name ('treaty-2024') in ./scenarios or the shipped ones. When nothing matches,
    the reference itself, so that reading it reports it missing under the name given."""
    p = Path(ref)
    if p.exists():
        return p  # a folder too: reading it says what is wrong
    candidates = [p.with_name(p.name + ".toml")]
    if not p.is_absolute():
        candidates.append(PROJECT / p)
    for folder in dict.fromkeys((scenario_folder(), SHIPPED)):
        candidates += [folder / p.name, folder / (p.name + ".toml")]
    return next((c for c in candidates if c.is_file()), p)
