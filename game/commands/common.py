"""What every subcommand shares: the usage error and its exit status, --seed/--turns/--set."""

from __future__ import annotations

import argparse
import json

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


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
    add_set_option(
        p,
        "override a scenario value by key path, validated like the file (repeatable), "
        "e.g. --set actors.PRK.doctrine.aggression=1.5",
    )


def add_set_option(p: argparse.ArgumentParser, text: str) -> None:
    """--set KEY=VALUE, repeatable, read by :func:`parse_sets`: the one definition every
    command that reads a scenario with overrides shares, each with its own help."""
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=text)


def path_arg(value: str) -> str:
    """The argparse type of a file or folder named on the command line: an empty name is
    refused, where it would otherwise fall back to a default or name the current folder without
    a word."""
    if not value.strip():
        raise argparse.ArgumentTypeError("expects a file or folder name, got an empty one")
    return value


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


MAX_SEED = 2**64 - 1  # seeds are 64-bit: a larger one would silently equal another
MAX_RUN = 2**63 - 1  # run indices are 64-bit signed


def check_seed(seed: int | None) -> None:
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise UsageError(f"--seed must be between 0 and 2**64-1 ({MAX_SEED}), got {seed}")


def check_turns(turns: int | None) -> None:
    if turns is not None and not 1 <= turns <= 600:
        raise UsageError(f"--turns must be between 1 and 600, got {turns}")


def dump_json(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False)


def console(**kwargs):
    """A rich Console whose closed pipe (``pact ... | head``) ends the command like any other
    closed pipe: quietly, with status 0 (rich itself exits with status 1)."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return _Console(**kwargs)


class ExamplesFormatter(argparse.HelpFormatter):
    """Help whose description is wrapped to the terminal's width like every other command's,
    and whose text with line breaks of its own (the examples of an epilog) is kept as written."""

    def _fill_text(self, text, width, indent):
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)
