"""The ``pact`` command: one subcommand per use (run, batch, compare, play, validate...).

Each family module's ``register(subparsers)`` adds its parsers and sets ``func``. Bad input
never reaches the user as a traceback: scenario problems and usage errors print one line and
exit with status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from game import __version__
from game.commands.common import EXIT_USAGE, UsageError, check_seed


def families() -> tuple:
    """The families of subcommands, in the order they appear in --help. Imported when the
    parser is built, inside ``main``'s guard: a Ctrl-C while they load is a clean interrupt."""
    from game.commands import authoring, batch, explore, play, run

    return (run, batch, explore, play, authoring)


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
    for family in families():
        family.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        # Inside the guard: a Ctrl-C while these load what they need is a clean interrupt too.
        _safe_streams()
        _ctrl_c_never_ignored()
        return _main(argv)
    except KeyboardInterrupt:
        print("pact: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (pact ... | head): stop quietly
        _quiet_stdout()
        return 0
    except Exception as e:
        # A library may wrap a Ctrl-C that lands inside its import (pydantic raises a
        # RuntimeError from the KeyboardInterrupt): still a clean interrupt.
        if not _caused_by_ctrl_c(e):
            raise
        print("pact: interrupted", file=sys.stderr)
        return 130


def _ctrl_c_never_ignored() -> None:
    """A Ctrl-C that lands where Python cannot raise it (a finalizer, a callback of a C
    library: pydantic's compiling of a pattern) is printed as "Exception ignored" with a
    traceback, and the command goes on. Handed back to the main thread instead (from another
    thread, once this hook has returned: raised in the hook, it would be ignored again), it
    stops the command as any Ctrl-C does."""
    import _thread
    import threading

    before = sys.unraisablehook
    if getattr(before, "pact_ctrl_c", False):  # installed by an earlier call
        return

    def hook(unraisable) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            threading.Timer(0.001, _thread.interrupt_main).start()
        else:
            before(unraisable)

    hook.pact_ctrl_c = True
    sys.unraisablehook = hook


def _caused_by_ctrl_c(e: BaseException | None) -> bool:
    """Whether a KeyboardInterrupt is among the causes of ``e``: chained to it, or, from
    pydantic's compiled core, written into it. A Ctrl-C that lands while pydantic builds a
    model's validator comes back as a ``SchemaError`` whose message ends in the interrupt's
    own line, with no cause kept."""
    seen = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, KeyboardInterrupt):
            return True
        if type(e).__module__.startswith("pydantic_core"):
            lines = str(e).strip().splitlines()
            if lines and lines[-1].strip().startswith("KeyboardInterrupt"):
                return True
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return False


def _main(argv: list[str] | None) -> int:
    from game.scenario.errors import ScenarioError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        check_seed(getattr(args, "seed", None))
        return int(args.func(args) or 0)
    except ScenarioError as e:
        print(f"pact: error: {e.one_line()}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as e:
        print(f"pact: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        raise
    except OSError as e:  # a file that cannot be written or read: full disk, read-only, ...
        print(f"pact: error: {os_error_line(e)}", file=sys.stderr)
        return EXIT_USAGE


def _safe_streams() -> None:
    """Text the terminal's encoding cannot show (PYTHONIOENCODING=ascii, a Latin-1 console)
    is written as escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if enc != "utf8" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError, AttributeError):
                stream.reconfigure(errors="backslashreplace")


def _quiet_stdout() -> None:
    """Point stdout at the null device, so that flushing it at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def os_error_line(e: OSError) -> str:
    """An OSError as one line naming the file, e.g. 'results/x/runs.csv: No space left on
    device'."""
    from game.atomic import describe

    where = " ".join(str(e.filename if e.filename is not None else "").split())[:300]
    return f"{where}: {describe(e)}" if where else describe(e)
