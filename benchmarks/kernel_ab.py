"""One compiled kernel against a variant of it, called on the same recorded arguments in one
process: how much faster the variant is, and whether it writes the same bits.

KERNEL is the dotted name of a compiled kernel that the engine calls through its module
(``game.ai.kernel.score_kernel``, ``game.engine.clause_kernels.scan``,
``game.engine.move_kernels.drift``...). VARIANT is a Python file: a copy of that module with
the change to try, loaded as a module of the same package (its relative imports work as the
original's). A chunk of ``--runs`` runs of the scenario is stepped to ``--month``, and the
arguments of the kernel's first call in that month are kept. Then the engine's kernel and the
variant's are called in turns, ``--calls`` times each, every call on fresh copies of the
arguments (a kernel writes into them); the copying is not timed.

Prints the µs per run of each (the fastest call, and the median), the variant's time over the
engine's, and whether every array the two wrote (the arguments after the call, and what the
kernel returns) holds the same bits; status 1 when they differ. Timed in one process, in
turns, the two meet the same moments of the machine: an unchanged copy of the module gives
ratios within about two hundredths of 1 (the fastest calls of a kernel that runs for well
under a millisecond move most: read its medians), where paired.py (whole engines, two
processes) moves by a tenth or more on a busy machine. The arguments were
just copied, so they stand in the cache as a copy leaves them: this is the kernel's own work,
not what a batch pays to bring its state from memory (time whole engines for that).
Usage: python benchmarks/kernel_ab.py KERNEL VARIANT [--scenario FILE] [--runs 512]
[--month 12] [--calls 80]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from game.engine.state import initial_state  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.sim import months  # noqa: E402

DEFAULT = ROOT / "scenarios" / "treaty-2024.toml"


class Refused(Exception):
    """What cannot be timed, said in one line (status 2)."""


def _kernel(dotted: str):
    """(module, name) of a kernel named ``package.module.kernel``."""
    mod_name, _, name = dotted.rpartition(".")
    try:
        module = importlib.import_module(mod_name) if mod_name else None
    except ImportError:
        module = None
    if module is None or not callable(getattr(module, name, None)):
        raise Refused(f"no kernel {dotted!r} (give package.module.kernel)")
    return module, name


def load_variant(module, path: Path):
    """The file ``path`` loaded as a module of ``module``'s package."""
    if not path.is_file():
        raise Refused(f"{path}: no such file")
    package = module.__name__.rpartition(".")[0]
    name = f"{package}._variant_{path.stem}" if package else f"_variant_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    variant = importlib.util.module_from_spec(spec)
    sys.modules[name] = variant
    try:
        spec.loader.exec_module(variant)
    except Exception as exc:  # the variant is the user's code: say where it failed
        raise Refused(f"{path}: {type(exc).__name__}: {_first_line(exc)}") from None
    return variant


def record(params, module, name: str, runs: int, month: int) -> tuple:
    """(args, kwargs) of the first call of ``module.name`` while month ``month`` (0 = the
    first) of runs 0..runs-1 (seed 0) is stepped, copied; None if it is not called then."""
    original = getattr(module, name)
    seen: list = []
    armed = [month == 0]

    def keep(*args, **kw):
        if armed[0] and not seen:
            seen.append(_fresh(args, kw))
        return original(*args, **kw)

    setattr(module, name, keep)
    try:
        start = initial_state(params, 0, np.arange(runs))
        for n, _ in enumerate(months(params, start, turns=month + 1, recycle=True)):
            armed[0] = n + 1 == month
    finally:
        setattr(module, name, original)
    return seen[0] if seen else None


def _first_line(exc: Exception) -> str:
    """The line of an error that says what is wrong (numba's compiler puts the stage it
    failed in first)."""
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    said = [ln for ln in lines if not ln.startswith("Failed in ")]
    return (said or lines or [""])[0]


def _fresh(args, kw) -> tuple[list, dict]:
    """Copies of a call's arrays, positional and named (a kernel writes into its arguments)."""

    def copy(x):
        return x.copy() if isinstance(x, np.ndarray) else x

    return [copy(a) for a in args], {k: copy(v) for k, v in kw.items()}


def _arrays(out) -> list:
    """The arrays a kernel returned (one, a tuple of them, or none)."""
    if isinstance(out, np.ndarray):
        return [out]
    if isinstance(out, tuple):
        return [x for x in out if isinstance(x, np.ndarray)]
    return []


def differences(fn_a, fn_b, args, kw, names: list[str]) -> list[str]:
    """The arrays that differ, by name, after one call of each on fresh copies: the
    arguments (what a kernel writes in place), then what it returns."""
    (a_args, a_kw), (b_args, b_kw) = _fresh(args, kw), _fresh(args, kw)
    a_out = fn_a(*a_args, **a_kw)
    b_out = fn_b(*b_args, **b_kw)
    out = []
    for k, (x, y) in enumerate(zip(a_args, b_args)):
        if isinstance(x, np.ndarray) and (x.dtype != y.dtype or x.tobytes() != y.tobytes()):
            out.append(names[k] if k < len(names) else f"argument {k}")
    ra, rb = _arrays(a_out), _arrays(b_out)
    if len(ra) != len(rb) or any(
        x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes()
        for x, y in zip(ra, rb)
    ):
        out.append("the returned arrays")
    return out


def timings(fns, args, kw, calls: int) -> list[list[float]]:
    """Seconds of each call of each function, called in turns (the order swapped every
    round), each on fresh copies of the arguments."""
    times: list[list[float]] = [[] for _ in fns]
    for r in range(calls):
        order = range(len(fns)) if r % 2 == 0 else reversed(range(len(fns)))
        for k in order:
            a, w = _fresh(args, kw)
            t = time.perf_counter()
            fns[k](*a, **w)
            times[k].append(time.perf_counter() - t)
    return times


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except Refused as exc:
        print(f"kernel_ab.py: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kernel_ab.py: interrupted", file=sys.stderr)
        return 130


def _main(argv: list[str] | None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("kernel", help="dotted name, e.g. game.engine.move_kernels.drift")
    ap.add_argument("variant", type=Path, help="a copy of the kernel's module, changed")
    ap.add_argument("--scenario", type=Path, default=DEFAULT, help="scenario file")
    ap.add_argument("--runs", type=int, default=512, help="runs in the recorded chunk")
    ap.add_argument("--month", type=int, default=12, help="month recorded (0 = the first)")
    ap.add_argument("--calls", type=int, default=80, help="calls timed of each")
    args = ap.parse_args(argv)
    if args.runs < 1 or args.calls < 1 or args.month < 0:
        ap.error("--runs and --calls take a positive number, --month one of 0 or more")
    if not args.scenario.is_file():
        raise Refused(f"{args.scenario}: no such file")
    module, name = _kernel(args.kernel)
    variant = load_variant(module, args.variant)
    mine = getattr(variant, name, None)
    if not callable(mine):
        raise Refused(f"{args.variant} defines no {name}")
    params = load_scenario(args.scenario).params
    if args.month >= params.turns:
        raise Refused(f"the scenario has {params.turns} months (0-{params.turns - 1})")
    got = record(params, module, name, args.runs, args.month)
    if got is None:
        raise Refused(
            f"{args.kernel} was not called through its module in month {args.month} (a caller "
            "that imported it by name, or a month it has nothing to do)"
        )
    call_args, call_kw = got
    engine = getattr(module, name)
    fn = getattr(engine, "py_func", engine)
    names = list(inspect.signature(fn).parameters)
    try:
        differ = differences(engine, mine, call_args, call_kw, names)  # compiles both first
    except Exception as exc:  # the variant's code failed to compile or to run
        raise Refused(f"{args.variant}: {type(exc).__name__}: {_first_line(exc)}") from None
    t_engine, t_variant = timings((engine, mine), call_args, call_kw, args.calls)
    per = 1e6 / args.runs
    best = (min(t_engine) * per, min(t_variant) * per)
    middle = (statistics.median(t_engine) * per, statistics.median(t_variant) * per)
    print(
        f"{args.kernel} against {args.variant.name}: {args.scenario.name}, {args.runs:,} runs, "
        f"month {args.month}, {args.calls} calls each, in turns"
    )
    print(f"{'':10} {'fastest':>9} {'median':>9}  us per run")
    print(f"{'engine':10} {best[0]:9.3f} {middle[0]:9.3f}")
    print(f"{'variant':10} {best[1]:9.3f} {middle[1]:9.3f}")
    print(
        f"variant / engine: {best[1] / best[0]:.3f} (fastest calls), "
        f"{middle[1] / middle[0]:.3f} (medians)"
    )
    if differ:
        print(f"outputs differ: {', '.join(differ)}")
        return 1
    print("outputs: the same bits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
