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


class ScenarioEntry:
    """A scenario file found in a folder: loaded, or the one-line reason it does not load."""

    def __init__(self, path: Path, loaded=None, error: str = "") -> None:
        self.path = path
        self.file = path.name
        self.loaded = loaded
        self.error = error

    @property
    def ok(self) -> bool:
        return self.loaded is not None

    @property
    def name(self) -> str:
        return self.loaded.model.scenario.name if self.loaded else self.file


def find_scenarios(folder: Path) -> list[ScenarioEntry]:
    """Every ``*.toml`` in ``folder``, by file name, each loaded or with why it does not load."""
    from game.scenario import ScenarioError, load_scenario

    out = []
    try:
        files = sorted(folder.glob("*.toml"))
    except OSError:
        files = []
    for f in files:
        try:
            out.append(ScenarioEntry(f, load_scenario(f)))
        except ScenarioError as e:
            out.append(ScenarioEntry(f, None, e.one_line()))
        except Exception as e:  # a broken file must not take the menu down
            out.append(ScenarioEntry(f, None, f"{type(e).__name__}: {e}"))
    return out
