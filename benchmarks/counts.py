"""Work per run-month counted, not timed: instructions and cache misses of each compiled kernel
and of the rest, at 8 actors and at 16 (valgrind's callgrind).

Timings on a shared machine move by a fifth from one round to the next, more than most engine
changes gain or lose. Counts do not move: the same build, scenario and runs give the same
instructions every time. For each size this steps one chunk of runs of the ``twin`` scenario of
benchmarks/scale.py (the default scenario at 8 actors, and its second Northeast Asia at 16)
under callgrind, after two chunks of warm-up that are not counted, and prints per run-month:

* the instructions executed, in thousands;
* the misses of a modelled second-level cache (``--l2``, 4 MiB by default), in lines of 64
  bytes: the data a step reads or writes from farther away than that cache. A run's state at
  16 actors is about four times its size at 8, and a chunk's state outgrows the cache: these
  show where the time that the instructions do not explain goes.

Each is given for every compiled kernel (by name), for numpy's own loops, the memory fills and
copies of the C library, the garbage collector and the interpreter with the rest, with the
ratio of the sizes and the excess: the last size's count less the first's times the ratio of
the actors. A positive excess is work that grows faster than what exists.

The counts include what a chunk costs whatever its runs (the interpreter above all), so a
larger ``--runs`` leaves more to the per-run work; ``--marginal`` also counts a chunk of twice
the runs and prints what the added runs cost, per run-month: the work of one more run.

The kernels are compiled for a processor without AVX-512 (``NUMBA_CPU_NAME=haswell``, its
features named), as valgrind cannot run AVX-512 code: the counts are of that code, not of the
code a batch runs on a processor with AVX-512 (where the AI kernel also scores 16 runs side by
side, not 8: game.engine.lanes). They are compiled outside valgrind, playing a chunk of each
size, into a cache folder of their own (``--cache``, a temporary one by default: about half a
minute a size). Needs valgrind, callgrind_control and callgrind_annotate (Debian's package
``valgrind``). Two sizes at 512 runs, counted side by side, take about two minutes with the
compiling, under a minute and a half without; ``--marginal`` about three minutes more.
Usage: python benchmarks/counts.py [--sizes 8 16] [--runs 512] [--marginal] [--l2 BYTES]
                                   [--cache DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The modules whose kernels are counted by name (every module of the engine that compiles one).
KERNEL_MODULES = (
    "game.ai.kernel",
    "game.engine.clause_kernels",
    "game.engine.month_kernels",
    "game.engine.move_kernels",
    "game.engine.rng_kernels",
    "game.engine.stance_kernels",
)
_BLOCK = 4 << 20  # bytes after a kernel's entry still counted as its code
_COMPILING = "LLVM (numba's compiler library)"
_WARM = 2  # chunks stepped before counting: compiled and cached, every path taken once
_WAIT = 600  # seconds a counted run waits to be told to count, before it gives up


def _child(args) -> None:
    """Inside valgrind: warm up, tell the parent where each kernel's code lies, wait until it
    turns counting on, step the counted chunk."""
    import importlib

    from numba.core.registry import CPUDispatcher

    from game.montecarlo.runner import run_chunk
    from game.scenario import load_scenario

    params = load_scenario(args.child).params
    n = args.runs
    for k in range(_WARM):
        run_chunk(params, 0, (k + 1) * 100_000, (k + 1) * 100_000 + n, params.turns)
    where = []
    for name in KERNEL_MODULES:
        mod = importlib.import_module(name)
        for attr, obj in vars(mod).items():
            if not isinstance(obj, CPUDispatcher):
                continue
            for cres in obj.overloads.values():
                at = cres.library.get_pointer_to_function(cres.fndesc.llvm_func_name)
                if at:
                    where.append([at, f"{name.rsplit('.', 1)[-1]}.{attr}"])
    Path(args.flag + ".json").write_text(json.dumps(where), encoding="utf-8")
    Path(args.flag).write_text("ready", encoding="utf-8")
    go, deadline = Path(args.flag + ".go"), time.monotonic() + _WAIT
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit("counts.py: never told to count (the parent is gone?)")
        time.sleep(0.2)
    run_chunk(params, 0, 0, n, params.turns)


def _group(name: str, where: list) -> str:
    """The part of the program a function of callgrind's list belongs to (``where``: the
    kernels' entries, sorted by address)."""
    if name.startswith("???:0x"):
        at = int(name[4:].split()[0].split("'")[0], 16)
        k = bisect.bisect_right(where, at, key=lambda w: w[0]) - 1
        # A kernel's code is one block from its entry on (the kernels it calls are linked into
        # it); code without a name elsewhere is numba's own or a library's without symbols.
        if k >= 0 and at - where[k][0] < _BLOCK:
            return where[k][1]
        return "other code without symbols"
    if "llvm" in name.lower():
        return _COMPILING
    if "gcmodule" in name or "traverse" in name or "visit_" in name:
        return "garbage collector"
    if re.search(r"mem(set|cpy|move)", name):
        return "memory fills and copies (C library)"
    if "numpy" in name or "_multiarray" in name:
        return "numpy"
    return "interpreter and the rest"


_LINE = re.compile(
    r"^\s*([\d,]+|\.)\s*(?:\([^)]*\))?\s+([\d,]+|\.)\s*(?:\([^)]*\))?\s+([\d,]+|\.)\s*"
    r"(?:\([^)]*\))?\s+(\S.*)$"
)


def _parse(out: Path, where: list) -> dict[str, list[int]]:
    """Instructions and modelled second-level misses (reads and writes) per part."""
    text = subprocess.run(
        ["callgrind_annotate", "--threshold=100", "--show=Ir,DLmr,DLmw", str(out)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    where = sorted(where)
    parts: dict[str, list[int]] = {}
    for line in text.splitlines():
        m = _LINE.match(line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        ir, mr, mw = (0 if g == "." else int(g.replace(",", "")) for g in m.groups()[:3])
        name = m.group(4)  # function [object]
        part = parts.setdefault(_group(name, where), [0, 0])
        part[0] += ir
        part[1] += mr + mw
    return parts


def _start(scenario: Path, runs: int, work: Path, cache: Path, l2: int, tag: str):
    """Start one counted child under callgrind; returns (process, flag path, output path)."""
    flag = work / f"ready-{tag}"
    out = work / f"callgrind-{tag}.out"
    for old in (flag, Path(f"{flag}.go"), Path(f"{flag}.json"), out):
        old.unlink(missing_ok=True)  # a kept folder's last count
    env = _compiler_env(cache)
    cmd = [
        "valgrind", "--tool=callgrind", "--instr-atstart=no", "--cache-sim=yes",
        f"--LL={l2},16,64", f"--callgrind-out-file={out}",
        sys.executable, __file__, "--child", str(scenario), "--runs", str(runs),
        "--flag", str(flag),
    ]  # fmt: skip
    with open(work / f"log-{tag}.txt", "w") as log:  # the child keeps its own copy
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    return proc, flag, out


def _count(jobs: list, work: Path) -> list[tuple[dict, int]]:
    """Wait for each child to be ready, turn counting on, let it step; returns the parts. A
    failure or an interrupt stops every child still running."""
    try:
        return _counted(jobs, work)
    finally:
        for proc, *_ in jobs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _counted(jobs: list, work: Path) -> list[tuple[dict, int]]:
    results = []
    for proc, flag, out, _ in jobs:
        while not flag.exists():
            if proc.poll() is not None:
                log = (work / f"log-{out.stem.split('-', 1)[1]}.txt").read_text()
                raise SystemExit(f"counts.py: the counted run failed:\n{log[-2000:]}")
            time.sleep(0.5)
        subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True,
                       capture_output=True)  # fmt: skip
        Path(str(flag) + ".go").write_text("go", encoding="utf-8")
    for proc, flag, out, months in jobs:
        if proc.wait() != 0:
            raise SystemExit(f"counts.py: the counted run ended with status {proc.returncode}")
        where = json.loads(Path(str(flag) + ".json").read_text(encoding="utf-8"))
        results.append((_parse(out, where), months))
    return results


def _print(sizes, per_size, title: str) -> None:
    a0, a1 = sizes[0], sizes[-1]
    grow = a1 / a0
    first, last = per_size[0], per_size[-1]
    print(f"\n{title}")
    print(f"{'part':38} {'instructions (thousands)':>32}   {'second-level misses (lines)':>32}")
    print(
        f"{'':38} {a0:>7} {a1:>7} {'ratio':>6} {'excess':>8}   "
        f"{a0:>7} {a1:>7} {'ratio':>6} {'excess':>8}"
    )
    names = sorted(set(first) | set(last), key=lambda k: -last.get(k, [0, 0])[0])
    total0, total1 = [0.0, 0.0], [0.0, 0.0]
    for k in names:
        x, y = first.get(k, [0.0, 0.0]), last.get(k, [0.0, 0.0])
        total0 = [total0[0] + x[0], total0[1] + x[1]]
        total1 = [total1[0] + y[0], total1[1] + y[1]]
        if max(abs(x[0]), abs(y[0])) >= 0.05 or max(abs(x[1]), abs(y[1])) >= 0.5:
            _row(k, x, y, grow)  # the smaller parts are counted in the total alone
    _row("total", total0, total1, grow)


def _row(name, x, y, grow) -> None:
    def ratio(a, b):
        return f"{b / a:6.2f}" if a > 0 else f"{'':>6}"

    print(
        f"{name[:38]:38} {x[0]:7.2f} {y[0]:7.2f} {ratio(x[0], y[0])} {y[0] - grow * x[0]:+8.2f}   "
        f"{x[1]:7.1f} {y[1]:7.1f} {ratio(x[1], y[1])} {y[1] - grow * x[1]:+8.1f}"
    )


def _per_run_month(parts: dict, run_months: int) -> dict[str, list[float]]:
    return {k: [v[0] / 1e3 / run_months, v[1] / run_months] for k, v in parts.items()}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the module docstring (benchmarks/counts.py) for what each column counts.",
    )
    ap.add_argument("--sizes", type=int, nargs=2, default=[8, 16], metavar=("FIRST", "LAST"),
                    help="the two numbers of actors compared, twin scenarios (default 8 16; "
                    "8 is the default scenario)")  # fmt: skip
    ap.add_argument("--runs", type=int, default=512, help="runs in the counted chunk (default 512)")
    ap.add_argument("--marginal", action="store_true",
                    help="also count a chunk of twice the runs: the cost of one more run")  # fmt: skip
    ap.add_argument("--l2", type=int, default=4 << 20,
                    help="bytes of the modelled second-level cache (default 4 MiB)")  # fmt: skip
    ap.add_argument("--cache", type=Path, default=None,
                    help="keep the kernels compiled for counting here (default: a temporary "
                    "folder, compiled again each time)")  # fmt: skip
    ap.add_argument("--keep", type=Path, default=None,
                    help="keep callgrind's files here (for callgrind_annotate or kcachegrind)")  # fmt: skip
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--flag", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args)
        return
    missing = [t for t in ("valgrind", "callgrind_control", "callgrind_annotate")
               if shutil.which(t) is None]  # fmt: skip
    if missing:
        print(f"counts.py: needs {', '.join(missing)} (Debian's package valgrind)",
              file=sys.stderr)  # fmt: skip
        raise SystemExit(2)
    if args.runs < 16 or any(n < 8 for n in args.sizes):
        print("counts.py: --runs must be at least 16 and every size at least 8", file=sys.stderr)
        raise SystemExit(2)
    scale = _scale()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        cache = args.cache or work / "numba-cache"
        cache.mkdir(parents=True, exist_ok=True)
        paths = []
        for n in args.sizes:
            path = work / f"scale-twin-{n}.toml"
            path.write_text(scale.generate(n, shape="twin"), encoding="utf-8")
            paths.append(path)
        for path in paths:
            _compile(path, cache)
        from game.scenario import load_scenario

        turns = [load_scenario(p).params.turns for p in paths]
        chunks = [args.runs, 2 * args.runs] if args.marginal else [args.runs]
        counted = {}
        for runs in chunks:
            print(f"counting {len(paths)} sizes at {runs} runs under callgrind ...", flush=True)
            jobs = []
            for n, path, t in zip(args.sizes, paths, turns):
                proc, flag, out = _start(path, runs, work, cache, args.l2, f"{n}-{runs}")
                jobs.append((proc, flag, out, runs * t))
            counted[runs] = _count(jobs, work)
    where = f"modelled second-level cache {args.l2 / (1 << 20):g} MiB"
    base = [_per_run_month(p, m) for p, m in counted[args.runs]]
    _print(args.sizes, base, f"per run-month, chunk of {args.runs} runs ({where})")
    if args.marginal:
        more = []
        for (p1, m1), (p2, m2) in zip(counted[args.runs], counted[2 * args.runs]):
            diff = {k: [p2.get(k, [0, 0])[j] - p1.get(k, [0, 0])[j] for j in (0, 1)]
                    for k in set(p1) | set(p2)}  # fmt: skip
            more.append(_per_run_month(diff, m2 - m1))
        _print(args.sizes, more, f"per run-month of the {args.runs} runs added to a chunk")


def _compile(scenario: Path, cache: Path) -> None:
    """Compile the kernels for counting, outside valgrind (inside, compiling takes an age), and
    play a chunk of ``scenario`` with them: every path its counted run takes is compiled."""
    print(f"compiling the kernels for counting ({scenario.stem}) ...", flush=True)
    env = _compiler_env(cache)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from game.scenario import load_scenario;"
        "from game.montecarlo.runner import run_chunk;"
        "p = load_scenario(sys.argv[2]).params; run_chunk(p, 0, 0, 64, p.turns)"
    )
    subprocess.run([sys.executable, "-c", code, str(ROOT), str(scenario)], env=env, check=True)


# What the counted code is compiled for: a processor valgrind can run (no AVX-512). numba keys its
# cache by the processor's name and features; both are given, so that the code compiled outside
# valgrind is the code found inside it (where the processor reports other features).
_CPU_NAME = "haswell"
_CPU_FEATURES = (
    "+64bit,+avx,+avx2,+bmi,+bmi2,+cmov,+cx16,+cx8,+f16c,+fma,+fxsr,+lzcnt,+mmx,+movbe,"
    "+pclmul,+popcnt,+sahf,+sse,+sse2,+sse3,+sse4.1,+sse4.2,+ssse3,+xsave"
)


def _compiler_env(cache: Path) -> dict:
    return dict(
        os.environ,
        NUMBA_CPU_NAME=_CPU_NAME,
        NUMBA_CPU_FEATURES=_CPU_FEATURES,
        NUMBA_CACHE_DIR=str(cache),
    )


def _scale():
    """benchmarks/scale.py, for its generated scenarios."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("scale", Path(__file__).with_name("scale.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("counts.py: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
