"""The ``pact`` command: one subcommand per use (run, batch, compare, play, validate...).

Each family module's ``register(subparsers)`` adds its parsers and sets ``func``. Bad input
never reaches the user as a traceback: scenario problems and usage errors print one line and
exit with status 2.
"""

from __future__ import annotations

import argparse
import sys

from game import __version__
from game.commands import authoring, batch, explore, play, run
from game.commands.common import EXIT_USAGE, UsageError

# The families of subcommands, in the order they appear in --help.
FAMILIES = (run, batch, explore, play, authoring)


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
    for family in FAMILIES:
        family.register(sub)
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
