"""benchmarks/counts.py's accounting, without valgrind: the lines of callgrind's listing it reads
and the part of the program each function is counted in."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from tests.helpers import ROOT


def _counts():
    spec = importlib.util.spec_from_file_location("counts", ROOT / "benchmarks" / "counts.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# Kernel entries as the counted process reports them: (address, module.kernel).
WHERE = [[0x0E421000, "kernel.score_kernel"], [0x1CBF2000, "clause_kernels.scan"]]


def test_a_kernel_owns_the_code_after_its_entry_and_nothing_far_beyond():
    counts = _counts()
    assert counts._group("???:0x000000000e421000 [???]", WHERE) == "kernel.score_kernel"
    # A kernel it calls, linked in after it, and a second entry ('2) of the same code.
    assert counts._group("???:0x000000000e432820'2 [???]", WHERE) == "kernel.score_kernel"
    assert counts._group("???:0x000000001cbfa620 [???]", WHERE) == "clause_kernels.scan"
    # Below every kernel, or farther than a block past the last one: not a kernel's.
    assert counts._group("???:0x0000000000250e80 [???]", WHERE) == "other code without symbols"
    far = f"???:{0x1CBF2000 + counts._BLOCK:#018x} [???]"
    assert counts._group(far, WHERE) == "other code without symbols"


def test_functions_are_counted_by_the_object_they_lie_in():
    counts = _counts()
    np_so = "[/venv/site-packages/numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so]"
    libc = "[/usr/lib/x86_64-linux-gnu/libc.so.6]"
    py = "[/usr/lib/libpython3.11.so.1.0]"
    assert counts._group(f"???:ufunc_generic_fastcall {np_so}", WHERE) == "numpy"
    memset = f"./string/memset-vec-unaligned-erms.S:__memset_avx2_unaligned_erms {libc}"
    assert counts._group(memset, WHERE) == "memory fills and copies (C library)"
    assert counts._group(f"Modules/gcmodule.c:gc_collect_main {py}", WHERE) == "garbage collector"
    llvm = "???:llvm::Value::~Value() [/venv/site-packages/llvmlite/binding/libllvmlite.so]"
    assert counts._group(llvm, WHERE) == counts._COMPILING
    frame = f"Python/ceval.c:_PyEval_EvalFrameDefault {py}"
    assert counts._group(frame, WHERE) == "interpreter and the rest"


def test_the_listing_lines_are_read_with_their_empty_counts():
    counts = _counts()
    line = "  365,198,201 ( 9.44%) 1,309,643 ( 6.45%)   715,316 ( 9.75%)  ???:0x0e433000 [???]"
    m = counts._LINE.match(line)
    assert m.groups()[:3] == ("365,198,201", "1,309,643", "715,316")
    assert m.group(4) == "???:0x0e433000 [???]"
    line = "   53,074,263 ( 1.37%)   723,061 ( 3.56%)         .           ???:0x241ba000 [???]"
    assert counts._LINE.match(line).groups()[:3] == ("53,074,263", "723,061", ".")


def test_it_refuses_a_chunk_too_small_in_one_line():
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "counts.py"), "--runs", "8"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
