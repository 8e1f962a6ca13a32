"""The compiled kernels' cache, kept in step with the code the kernels hold.

numba stamps a cached kernel with its own file alone, but a kernel holds the code of the parts,
intrinsics and constants it takes from other modules (``game.engine.lanes``, ``rng_kernels``,
``names``...): after a change there alone (an edit, or a pull that brings one), a cached kernel
would run the old code. :func:`drop_stale`, run when the ``game`` package is imported, hashes
the kernel modules (``KERNEL_MODULES``) and the game modules they import, and where that differs
from the hash the cached kernels were compiled under, removes numba's cache files beside them:
every kernel compiles afresh once (``pact warm`` does it ahead). An edit elsewhere keeps them.

numba does not stamp a cached kernel with the settings it was compiled under either: a process
started with ``NUMBA_BOUNDSCHECK=1`` or ``NUMBA_OPT=0`` (to debug, or to profile) that compiles
the kernels leaves its checking or unoptimised code for every later run to load, a third slower
or more. The hash therefore holds the settings that change the code (``CODE_SETTINGS``, read
from the environment, where numba reads them): a run under other settings compiles afresh, and
so does the next run under the usual ones.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

_GAME = Path(__file__).resolve().parent  # the game package

# The modules that compile kernels, under game/ (tests/test_jit_cache.py holds the list to
# every module that imports game.engine.jit).
KERNEL_MODULES = (
    "ai/kernel.py",
    "engine/clause_kernels.py",
    "engine/month_kernels.py",
    "engine/move_kernels.py",
    "engine/rng_kernels.py",
    "engine/stance_kernels.py",
)

# numba's settings (environment variables) that change the machine code of a kernel.
CODE_SETTINGS = (
    "NUMBA_OPT",
    "NUMBA_BOUNDSCHECK",
    "NUMBA_DEBUGINFO",
    "NUMBA_ENABLE_PROFILING",
    "NUMBA_LOOP_VECTORIZE",
    "NUMBA_SLP_VECTORIZE",
    "NUMBA_ENABLE_AVX",
    "NUMBA_CPU_NAME",
    "NUMBA_CPU_FEATURES",
    "NUMBA_DISABLE_INTEL_SVML",
    "NUMBA_EXTEND_VARIABLE_LIFETIMES",
)

_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+([.\w]+)[ \t]+import[ \t]+(\([^)]*\)|[\w, \t]+)|import[ \t]+(game\.[\w.]+))",
    re.M,
)


def imported(path: Path, text: str, game: Path = _GAME) -> set[Path]:
    """The files of game modules that the module at ``path`` (its source ``text``) imports at
    its top level: ``from .x import y``, ``from game.x import y``, ``from game import x``,
    ``import game.x`` (a package's own ``__init__`` is left out)."""
    out = set()
    for m in _IMPORT.finditer(text):
        mod, names = (m.group(1) or m.group(3)), m.group(2) or ""
        if mod.startswith("."):
            base = path.parent
            for _ in range(len(mod) - len(mod.lstrip(".")) - 1):
                base = base.parent
        elif mod == "game" or mod.startswith("game."):
            base = game.parent
        else:
            continue
        target = base.joinpath(*[x for x in mod.lstrip(".").split(".") if x])
        if target.with_suffix(".py").is_file():
            out.add(target.with_suffix(".py"))
        elif target.is_dir():
            out.update(f for n in re.findall(r"\w+", names) if (f := target / f"{n}.py").is_file())
    return out


def sources_digest(game: Path = _GAME, modules=KERNEL_MODULES, environ=None) -> str:
    """A hash of the code the kernels hold: the kernel modules, game/engine/jit.py, and the
    game modules they import; and of the numba settings in ``environ`` (the process's
    environment by default) that change the code compiled from them (``CODE_SETTINGS``)."""
    environ = os.environ if environ is None else environ
    files = {game / m for m in modules} | {game / "engine" / "jit.py"}
    for f in list(files):
        files |= imported(f, f.read_text(encoding="utf-8"), game)
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.relative_to(game).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    for name in CODE_SETTINGS:
        if name in environ:
            h.update(f"{name}={environ[name]}".encode() + b"\0")
    return h.hexdigest()


def drop_stale(game: Path = _GAME, modules=KERNEL_MODULES, environ=None) -> bool:
    """Remove the cached kernels beside the kernel modules when the code they hold, or the
    numba settings they are compiled under, changed since they were compiled (the hash kept
    beside them differs); True if it removed them. A folder that cannot be written (an
    installed package's) is left to numba's own cache."""
    stamp = game / "engine" / "__pycache__" / "kernel-sources.sha256"
    digest = sources_digest(game, modules, environ)
    try:
        if stamp.read_text() == digest:
            return False
    except OSError:
        pass
    try:
        for folder in sorted({(game / m).parent / "__pycache__" for m in modules}):
            for f in folder.glob("*.nb[ic]"):
                f.unlink(missing_ok=True)
        stamp.parent.mkdir(exist_ok=True)
        tmp = stamp.with_name(f"{stamp.name}.{os.getpid()}.tmp")
        tmp.write_text(digest)
        os.replace(tmp, stamp)
    except OSError:
        return False
    return True
