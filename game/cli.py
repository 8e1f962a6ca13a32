"""The ``pact`` command: one subcommand per use (run, batch, compare, play, validate...).

Subcommands live next to what they drive and register themselves here; each module's
``register(subparsers)`` adds its parser and sets ``func``. Bad input never reaches the user as
a traceback: scenario problems and usage errors print one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from game import __version__

# Modules that contribute subcommands, in the order they appear in --help.
SUBCOMMAND_MODULES = (
    "game.cli_run",
    "game.montecarlo.cli",
    "game.ui.cli",
    "game.scenario.cli",
)

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pact",
        description=(
            "Pact: a turn-based simulation of Northeast Asia after the 2024 Russia-DPRK treaty. "
            "Play a scenario on the map, run Monte Carlo batches, or write and check scenarios."
        ),
        epilog="Run 'pact COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"pact {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                continue
            raise
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from game.scenario.errors import ScenarioError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except ScenarioError as e:
        print(f"pact: error: {e.one_line()}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as e:
        print(f"pact: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("pact: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def add_run_options(p: argparse.ArgumentParser, turns_help: str = "months per run") -> None:
    """--seed, --turns and --set: the same for every command that runs a scenario."""
    p.add_argument("--seed", type=int, default=0, metavar="S", help="batch seed (default 0)")
    p.add_argument(
        "--turns",
        type=int,
        default=None,
        metavar="T",
        help=f"{turns_help} (default: the scenario's)",
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario value by key path, validated like the file (repeatable), "
        "e.g. --set actors.PRK.doctrine.aggression=1.5",
    )


def parse_sets(items: list[str]) -> dict:
    """The --set options as {key path: value} (values read as TOML when they parse)."""
    from game.scenario.load import parse_value

    out = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"--set expects KEY=VALUE, got '{item}'")
        key, value = item.split("=", 1)
        out[key.strip()] = parse_value(value.strip())
    return out


def check_turns(turns: int | None) -> None:
    if turns is not None and not 1 <= turns <= 600:
        raise UsageError(f"--turns must be between 1 and 600, got {turns}")


def dump_json(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False)
