"""The compiled kernels' cache follows every module whose code they hold (game.kernel_cache):
numba stamps a kernel with its own file alone, so a change in a module a kernel takes parts,
intrinsics or constants from must drop the cached kernels."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from game import kernel_cache as jit
from tests.helpers import ROOT

GAME = ROOT / "game"


def test_the_kernel_modules_are_every_module_that_compiles_kernels():
    uses = re.compile(
        r"^\s*(from\s+(\.jit|game\.engine\.jit)\s+import|import\s+game\.engine\.jit)", re.M
    )
    found = {
        f.relative_to(GAME).as_posix()
        for f in GAME.rglob("*.py")
        if f.name != "jit.py" and uses.search(f.read_text(encoding="utf-8"))
    }
    assert found == set(jit.KERNEL_MODULES)


def test_the_modules_a_kernel_imports_are_found():
    deps = {
        f.relative_to(GAME).as_posix()
        for f in jit.imported(GAME / "ai" / "kernel.py", (GAME / "ai" / "kernel.py").read_text())
    }
    # from game.engine import lanes as V / tempo; from game.engine.x import y; from .moves import
    assert {"engine/lanes.py", "engine/tempo.py", "engine/jit.py", "engine/names.py"} <= deps
    assert {"engine/rng_kernels.py", "engine/move_kernels.py", "ai/moves.py"} <= deps
    assert "engine/step.py" not in deps


def _tree(tmp_path: Path) -> Path:
    game = tmp_path / "game"
    for pkg in ("engine", "ai"):
        shutil.copytree(GAME / pkg, game / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    return game


def _cached(game: Path) -> list[Path]:
    """Fake cache files of a kernel of each package (numba's names)."""
    out = []
    for pkg, mod in (("engine", "move_kernels"), ("ai", "kernel")):
        folder = game / pkg / "__pycache__"
        folder.mkdir(exist_ok=True)
        for ext in ("nbi", "nbc"):
            f = folder / f"{mod}.apply-1.py311.{ext}"
            f.write_bytes(b"x")
            out.append(f)
    return out


def test_a_change_where_a_kernel_takes_code_from_drops_the_cached_kernels(tmp_path):
    game = _tree(tmp_path)
    files = _cached(game)
    assert jit.drop_stale(game)  # no hash kept yet: whatever is cached is of unknown code
    assert not any(f.exists() for f in files)
    files = _cached(game)
    assert not jit.drop_stale(game)  # the same code: the cache stays
    assert all(f.exists() for f in files)
    step = game / "engine" / "step.py"  # no kernel holds its code
    step.write_text(step.read_text() + "\n# a comment\n")
    assert not jit.drop_stale(game) and all(f.exists() for f in files)
    lanes = game / "engine" / "lanes.py"  # the score kernel inlines its intrinsics
    lanes.write_text(lanes.read_text() + "\n# a comment\n")
    assert jit.drop_stale(game)
    assert not any(f.exists() for f in files)
    assert (game / "engine" / "__pycache__" / "kernel-sources.sha256").read_text() == (
        jit.sources_digest(game)
    )


def test_kernels_compiled_under_other_numba_settings_are_dropped(tmp_path):
    """A process started with a numba setting that changes the machine code (bounds checks,
    no optimisation, profiling) would leave its kernels for every later run to load."""
    game = _tree(tmp_path)
    jit.drop_stale(game, environ={})  # the hash of the usual settings kept
    files = _cached(game)
    assert not jit.drop_stale(game, environ={"NUMBA_NUM_THREADS": "1"})  # no code changes
    assert all(f.exists() for f in files)
    assert jit.drop_stale(game, environ={"NUMBA_BOUNDSCHECK": "1"})
    assert not any(f.exists() for f in files)
    files = _cached(game)  # compiled with bounds checks
    assert not jit.drop_stale(game, environ={"NUMBA_BOUNDSCHECK": "1"})
    assert all(f.exists() for f in files)
    assert jit.drop_stale(game, environ={})  # back to the usual settings: compiled afresh
    assert not any(f.exists() for f in files)
