"""The import structure of ``game``: every module imports on its own, no module imports itself
back through others, no layer imports one above it, and the rules load without pygame.

The rules are data, at the top: move a unit between layers, or allow it another outside
package, here.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GAME = ROOT / "game"

# Layers, lowest first. A module may import modules of its own unit (the longest name below
# that is its own or a package holding it) and of units on lower layers; never a unit on its
# own layer or above. ``game`` is the package's own face for notebooks (game.simulate...).
LAYERS: list[tuple[str, ...]] = [
    ("game.text",),  # words every part prints: imports nothing of the game
    ("game.engine", "game.atomic"),
    ("game.ai", "game.report"),
    ("game.sim",),
    ("game.scenario",),
    ("game.play", "game.montecarlo"),
    ("game.ui", "game"),
    ("game.commands",),
    ("game.__main__",),  # python -m game: the one module that imports game.commands
]

# Units that may use only the standard library and these outside packages.
ONLY_OUTSIDE: dict[str, set[str]] = {
    "game.engine": {"numpy", "numba"},
}

# Modules (standard or outside) that only these units may import.
KEPT_IN: dict[str, set[str]] = {
    "pygame": {"game.ui"},
    "argparse": {"game.commands"},
}

# Packages that must load without pygame (every module under them is imported).
NO_PYGAME = ("game.engine", "game.play")


# --- reading the code -------------------------------------------------------------------------


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(GAME.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()
LEVEL = {unit: i for i, layer in enumerate(LAYERS) for unit in layer}


def unit_of(module: str) -> str:
    name = module
    while name not in LEVEL:
        if "." not in name:
            raise AssertionError(f"{module} is on no layer: add its unit to LAYERS")
        name = name.rsplit(".", 1)[0]
    return name


class Import:
    """One import statement's target, where it is written."""

    def __init__(self, source: str, target: str, line: int, text: str) -> None:
        self.source, self.target, self.line, self.text = source, target, line, text

    def __str__(self) -> str:
        where = MODULES[self.source].relative_to(ROOT).as_posix()
        return f"{where}:{self.line}: {self.text}  ({self.source} -> {self.target})"


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST):
    """Every node, except the bodies of ``if TYPE_CHECKING:`` (annotations only, never run)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _type_checking(child):
            for sub in child.orelse:
                yield sub
                yield from _walk(sub)
            continue
        yield child
        yield from _walk(child)


def imports_of(module: str) -> list[Import]:
    """Every import in the module, at the top or inside functions; targets are full names
    (``from a import b`` is ``a.b`` when that is a module of ours, else ``a``)."""
    path = MODULES[module]
    source = path.read_text(encoding="utf-8")
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    lines = source.splitlines()
    for node in _walk(ast.parse(source, str(path))):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        text = lines[node.lineno - 1].strip()
        if isinstance(node, ast.Import):
            out += [Import(module, a.name, node.lineno, text) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for a in node.names:
                full = f"{origin}.{a.name}"
                target = full if full in MODULES else origin
                out.append(Import(module, target, node.lineno, text))
    # One row per target and line: ``from a import x, y`` is one import of a.
    return list({(i.target, i.line): i for i in out}.values())


ALL_IMPORTS = [imp for m in MODULES for imp in imports_of(m)]
OURS = [imp for imp in ALL_IMPORTS if imp.target in MODULES]


def _top(name: str) -> str:
    return name.split(".")[0]


# --- (b) static checks ------------------------------------------------------------------------


def test_every_module_is_on_a_layer():
    for module in MODULES:
        unit_of(module)


def test_no_import_cycle():
    graph = defaultdict(set)
    for imp in OURS:
        if imp.target != imp.source:
            graph[imp.source].add(imp.target)
    cycles = _strongly_connected(graph)
    lines = []
    for group in cycles:
        lines.append("cycle: " + ", ".join(sorted(group)))
        lines += [f"  {imp}" for imp in OURS if imp.source in group and imp.target in group]
    assert not cycles, "modules that import each other:\n" + "\n".join(lines)


def test_no_import_against_the_layers():
    bad = []
    for imp in OURS:
        src, dst = unit_of(imp.source), unit_of(imp.target)
        if src != dst and LEVEL[dst] >= LEVEL[src]:
            bad.append(
                f"  {imp}: {src} (layer {LEVEL[src]}) may not import {dst} (layer {LEVEL[dst]})"
            )
    assert not bad, "imports against the layering (see LAYERS):\n" + "\n".join(bad)


def test_outside_packages_stay_where_they_belong():
    stdlib = set(sys.stdlib_module_names)
    bad = []
    for imp in ALL_IMPORTS:
        top = _top(imp.target)
        if top == "game" or not top:
            continue
        unit = unit_of(imp.source)
        for restricted, allowed in ONLY_OUTSIDE.items():
            if unit == restricted and top not in stdlib and top not in allowed:
                bad.append(f"  {imp}: {unit} uses only the standard library and {sorted(allowed)}")
        if top in KEPT_IN and unit not in KEPT_IN[top]:
            bad.append(f"  {imp}: only {sorted(KEPT_IN[top])} may import {top}")
    assert not bad, "outside imports out of place (see ONLY_OUTSIDE, KEPT_IN):\n" + "\n".join(bad)


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of two or more modules that reach each other (Tarjan, iteratively)."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        group.add(top)
                        if top == node:
                            break
                    if len(group) > 1:
                        groups.append(group)
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return groups


def test_the_static_checks_see_what_they_should():
    """The reader finds imports inside functions and resolves relative ones; the cycle finder
    finds a loop (so the checks above could fail)."""
    run = imports_of("game.commands.run")
    assert any(i.target == "game.sim" and i.line > 20 for i in run)  # inside cmd_run
    runner = {i.target for i in imports_of("game.montecarlo.runner")}
    assert "game.montecarlo.report" in runner  # from .report import ...
    report = {i.target for i in imports_of("game.montecarlo.report")}
    assert "game.montecarlo.runner" not in report  # only under TYPE_CHECKING
    loop = _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert loop == [{"a", "b", "c"}]


# --- (a) every module imports on its own ------------------------------------------------------

# In one interpreter, each module is imported after every module of ``game`` is forgotten, so
# it runs as in a fresh interpreter; outside packages stay loaded, which only saves time.
_IMPORT_EACH = """
import importlib, json, sys, traceback
failed = {}
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "game" or m.startswith("game.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except BaseException:
        failed[name] = traceback.format_exc(limit=-3)
print(json.dumps(failed))
"""

IMPORTABLE = [m for m in MODULES if m != "game.__main__"]  # that one runs the command


@pytest.fixture(scope="module")
def import_failures() -> dict[str, str]:
    """Two interpreters side by side, each importing half of the modules."""
    halves = [IMPORTABLE[0::2], IMPORTABLE[1::2]]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _IMPORT_EACH, *half],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for half in halves
    ]
    failed = {}
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        failed.update(json.loads(out.strip().splitlines()[-1]))
    return failed


@pytest.mark.parametrize("module", IMPORTABLE)
def test_module_imports_on_its_own(module, import_failures):
    assert module not in import_failures, import_failures[module]


# --- (c) the rules load without pygame --------------------------------------------------------


def test_engine_and_play_load_without_pygame():
    names = [m for m in MODULES if any(m == p or m.startswith(p + ".") for p in NO_PYGAME)]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'pygame')\n"
        "assert not loaded, 'pygame loaded: ' + ', '.join(loaded[:5])\n"
    )
    out = _python(code)
    assert out.returncode == 0, out.stderr


def test_reading_a_scenario_does_not_load_the_compiled_kernels():
    """Loading and checking the shipped scenarios (which evaluates their conditions on sample
    states) stays in numpy: numba, about a second to import, loads only where months are
    played, so ``pact validate`` and the window's first frames stay quick."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from game.scenario import load_scenario\n"
        "for path in sorted(Path('scenarios').glob('*.toml')):\n"
        "    load_scenario(path)\n"
        "assert 'numba' not in sys.modules, 'numba loaded'\n"
    )
    out = _python(code)
    assert out.returncode == 0, out.stderr


def _python(code: str) -> subprocess.CompletedProcess:
    """``code`` run by a new interpreter in the repository."""
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=_env()
    )


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT), "SDL_VIDEODRIVER": "dummy"}
