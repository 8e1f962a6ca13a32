"""benchmarks/kernel_ab.py: a kernel against a variant of its module, on recorded arguments. A
copy of the module writes the same bits; a change is named by the arrays it wrote otherwise;
what cannot be timed is refused in one line with status 2."""

from __future__ import annotations

import importlib.util

import pytest

from tests.helpers import ROOT

MOVES = ROOT / "game" / "engine" / "move_kernels.py"
SMALL = ["--runs", "8", "--month", "2", "--calls", "2"]
# drift's relaxation of tension toward the baseline, as the module writes it
RELAX = "tr[k] = t + d * (br[k] - t)"


def _kernel_ab():
    spec = importlib.util.spec_from_file_location("kernel_ab", ROOT / "benchmarks" / "kernel_ab.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _variant(tmp_path, name: str, old: str = "", new: str = ""):
    text = MOVES.read_text(encoding="utf-8")
    assert text.count(old) == 1 or not old
    path = tmp_path / f"{name}.py"
    path.write_text(text.replace(old, new) if old else text, encoding="utf-8")
    return path


def test_a_copy_of_the_module_writes_the_same_bits(tmp_path, capsys):
    copy = _variant(tmp_path, "same")
    status = _kernel_ab().main(["game.engine.move_kernels.drift", str(copy), *SMALL])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "outputs: the same bits" in out
    assert "variant / engine:" in out


def test_a_changed_kernel_is_named_by_what_it_wrote(tmp_path, capsys):
    slower = _variant(tmp_path, "half", RELAX, "tr[k] = t + d * 0.5 * (br[k] - t)")
    status = _kernel_ab().main(["game.engine.move_kernels.drift", str(slower), *SMALL])
    out = capsys.readouterr().out
    assert status == 1, out
    assert "outputs differ: tension" in out


@pytest.mark.parametrize(
    "args, says",
    [
        (["game.engine.move_kernels.nothing", "{same}"], "no kernel"),
        (["game.engine.move_kernels.drift", "{missing}"], "no such file"),
        (["game.engine.move_kernels.drift", "{empty}"], "defines no drift"),
        (["game.engine.move_kernels.drift", "{same}", "--month", "36"], "has 36 months"),
        (["game.engine.move_kernels.drift", "{broken}", *SMALL], "NameError"),
    ],
)
def test_what_cannot_be_timed_is_refused_in_one_line(tmp_path, capsys, args, says):
    files = {
        "same": _variant(tmp_path, "same"),
        "missing": tmp_path / "missing.py",
        "empty": tmp_path / "empty.py",
        "broken": _variant(tmp_path, "broken", RELAX, "tr[k] = t + d * (br[k] - nowhere)"),
    }
    files["empty"].write_text("", encoding="utf-8")
    argv = [a.format(**{k: str(v) for k, v in files.items()}) for a in args]
    assert _kernel_ab().main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kernel_ab.py: ") and says in err and "\n" not in err, err
