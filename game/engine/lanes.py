"""Runs side by side: vectors of LANES float32 or float64 lanes for the compiled kernels.

A kernel that steps LANES runs at once keeps each run's value of a quantity in one lane of a
vector, and one instruction works on all of them. numba does not vectorise such code by itself
where a lane reads a table at its own place (it cannot prove the loads and stores apart), so
these intrinsics write the vector operations out: each is one LLVM instruction (or a few) on
``<LANES x float>``, ``<LANES x double>``, ``<LANES x i1>`` masks or the lanes of an array
row; two more turn LANES rows into LANES columns in registers (``gather_rows``,
``store_columns``).

LANES is 16 where the kernels are compiled for a processor with AVX-512 (sixteen float32 in
one register) and 8 elsewhere (AVX2's eight): at 16 on AVX-512 the AI's score kernel takes
about an eighth less time, and on AVX2 alone, where each operation is split in two, about as
much or a little more. The width changes the speed only: each lane is one run's arithmetic,
the same whatever stands beside it.

Every operation is the IEEE 754 operation of the scalar code it replaces, lane by lane (no
fast-math flags, no contraction: a product then a sum round twice, as numpy does; ``fma``
rounds once, where the scalar code fused), so a kernel written with them gives the same bits
as one written a lane at a time.

Arrays of lanes are 2-d with a last axis of ``LANES`` (C order): ``load(a, i)`` reads row i.
"""

from __future__ import annotations

import numpy as np
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic, models, register_model


def _width() -> int:
    """16 lanes where numba compiles for a processor with AVX-512, else 8: the features it
    compiles for are ``NUMBA_CPU_FEATURES`` when set, else the host's (as numba reads them)."""
    from numba.core import config
    from numba.core.codegen import get_host_cpu_features

    features = config.CPU_FEATURES if config.CPU_FEATURES is not None else get_host_cpu_features()
    return 16 if "+avx512f" in features.split(",") else 8


LANES = _width()

ir = cgutils.ir  # numba's own LLVM IR module (llvmlite.ir)


class _Vec(types.Type):
    def __init__(self, dtype):
        self.dtype = dtype
        super().__init__(name=f"{dtype}x{LANES}")


class _Mask(types.Type):
    def __init__(self):
        super().__init__(name=f"boolx{LANES}")


f32v = _Vec(types.float32)
f64v = _Vec(types.float64)
maskv = _Mask()
_F = ir.FloatType()
_D = ir.DoubleType()
_VF = ir.VectorType(_F, LANES)
_VD = ir.VectorType(_D, LANES)
_ELEM = {types.float32: _F, types.float64: _D}
_VM = ir.VectorType(ir.IntType(1), LANES)
_VI = ir.VectorType(ir.IntType(32), LANES)


@register_model(_Vec)
class _VecModel(models.PrimitiveModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, ir.VectorType(_ELEM[fe_type.dtype], LANES))


@register_model(_Mask)
class _MaskModel(models.PrimitiveModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, _VM)


def _row_ptr(context, builder, aryty, ary, i, elem):
    """A pointer to the vector of row i of a (rows, LANES) C-order array."""
    ptr = cgutils.get_item_pointer(
        context, builder, aryty, ary, [i, context.get_constant(types.intp, 0)], wraparound=False
    )
    return builder.bitcast(ptr, ir.PointerType(ir.VectorType(elem, LANES)))


def _row_of(context, builder, sig, args, elem):
    """A pointer to the vector of row args[1] of the (rows, LANES) array args[0]."""
    ary = context.make_array(sig.args[0])(context, builder, args[0])
    i = context.cast(builder, args[1], sig.args[1], types.intp)
    return _row_ptr(context, builder, sig.args[0], ary, i, elem)


def _lanes_of(a, dtype) -> bool:
    return isinstance(a, types.Array) and a.ndim == 2 and a.layout == "C" and a.dtype == dtype


def _vec_of(a):
    """The lanes type of a (rows, LANES) float array, None for another."""
    if isinstance(a, types.Array) and a.dtype in _ELEM and _lanes_of(a, a.dtype):
        return f32v if a.dtype == types.float32 else f64v
    return None


@intrinsic
def load(typingctx, a, i):
    """Row i of a float32 or float64 (rows, LANES) array."""
    vec = _vec_of(a)
    if vec is None or not isinstance(i, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        return builder.load(_row_of(context, builder, sig, args, _ELEM[sig.args[0].dtype]), align=4)

    return vec(a, i), codegen


@intrinsic
def store(typingctx, a, i, v):
    """Row i of a float32 or float64 (rows, LANES) array = v."""
    vec = _vec_of(a)
    if vec is None or not isinstance(i, types.Integer) or v != vec:
        return None

    def codegen(context, builder, sig, args):
        ptr = _row_of(context, builder, sig, args, _ELEM[sig.args[0].dtype])
        builder.store(args[2], ptr, align=4)
        return context.get_dummy_value()

    return types.none(a, i, v), codegen


@intrinsic
def load_mask(typingctx, a, i):
    """Row i of a bool (rows, LANES) array, as a mask."""
    if not (_lanes_of(a, types.boolean) and isinstance(i, types.Integer)):
        return None

    def codegen(context, builder, sig, args):
        byte = ir.IntType(8)
        v = builder.load(_row_of(context, builder, sig, args, byte), align=1)
        return builder.icmp_unsigned("!=", v, ir.Constant(ir.VectorType(byte, LANES), None))

    return maskv(a, i), codegen


@intrinsic
def any_bits(typingctx, a, i, bits):
    """The lanes where row i of an int64 (rows, LANES) array shares a set bit with ``bits``."""
    if not (_lanes_of(a, types.int64) and isinstance(i, types.Integer)):
        return None
    if not isinstance(bits, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        i64 = ir.IntType(64)
        v = builder.load(_row_of(context, builder, sig, args, i64), align=8)
        b = context.cast(builder, args[2], sig.args[2], types.int64)
        both = builder.and_(v, _splat(builder, b, ir.VectorType(i64, LANES)))
        return builder.icmp_unsigned("!=", both, ir.Constant(ir.VectorType(i64, LANES), None))

    return maskv(a, i, bits), codegen


def _splat(builder, x, vty):
    v = builder.insert_element(ir.Constant(vty, None), x, ir.Constant(ir.IntType(32), 0))
    return builder.shuffle_vector(v, ir.Constant(vty, None), ir.Constant(_VI, None))


@intrinsic
def splat(typingctx, x):
    """x in every lane (a float32, or a float64)."""
    if x not in _ELEM:
        return None
    vec = f32v if x == types.float32 else f64v

    def codegen(context, builder, sig, args):
        return _splat(builder, args[0], ir.VectorType(_ELEM[sig.args[0]], LANES))

    return vec(x), codegen


def _pairwise(name, accepts, result, emit):
    """An intrinsic of two arguments: ``accepts(a, b)`` says whether it takes their types,
    ``result(a)`` is its type and ``emit(builder, x, y)`` its instruction."""

    def fn(typingctx, a, b):
        if not accepts(a, b):
            return None

        def codegen(context, builder, sig, args):
            return emit(builder, *args)

        return result(a)(a, b), codegen

    fn.__name__ = f"lanes_{name}"
    return intrinsic(fn)


def _binary(op, kind=None):
    """An operation of two vectors of one type (``kind``: that type, or any vector of floats)."""

    def accepts(a, b):
        return a == b and (a == kind if kind is not None else isinstance(a, _Vec))

    return _pairwise(op, accepts, lambda a: a, lambda builder, x, y: getattr(builder, op)(x, y))


add = _binary("fadd")
sub = _binary("fsub")
mul = _binary("fmul")
div = _binary("fdiv")


def _compare(op, ordered=True):
    """A comparison of two float32 vectors, lane by lane: false where either is NaN, but for
    an unordered one (``!=``, true there, as Python's != of floats)."""

    def emit(builder, x, y):
        return (builder.fcmp_ordered if ordered else builder.fcmp_unordered)(op, x, y)

    return _pairwise(op, lambda a, b: a == f32v and b == f32v, lambda a: maskv, emit)


eq = _compare("==")
gt = _compare(">")
le = _compare("<=")
ne = _compare("!=", ordered=False)


@intrinsic
def select(typingctx, m, a, b):
    """a where m, else b, in each lane."""
    if not (m == maskv and isinstance(a, _Vec) and a == b):
        return None

    def codegen(context, builder, sig, args):
        return builder.select(*args)

    return a(m, a, b), codegen


@intrinsic
def fma(typingctx, a, b, c):
    """a x b + c rounded once, in each lane."""
    if not (a == b == c and isinstance(a, _Vec)):
        return None

    def codegen(context, builder, sig, args):
        return builder.call(_fma_fn(builder, args[0].type), list(args))

    return a(a, b, c), codegen


@intrinsic
def narrow(typingctx, x):
    """Each float64 lane rounded to float32 (as np.float32 of a float64)."""
    if x != f64v:
        return None

    def codegen(context, builder, sig, args):
        return builder.fptrunc(args[0], _VF)

    return f32v(x), codegen


either = _binary("or_", maskv)
both = _binary("and_", maskv)


@intrinsic
def mask_if(typingctx, x):
    """The bool x in every lane."""
    if not isinstance(x, types.Boolean):
        return None

    def codegen(context, builder, sig, args):
        return _splat(builder, args[0], _VM)  # a bool's value is one bit

    return maskv(x), codegen


def _fma_fn(builder, vty):
    """LLVM's fused multiply-add of vectors of type ``vty``."""
    name = f"llvm.fma.v{LANES}f{32 if vty.element == _F else 64}"
    return cgutils.get_or_insert_function(builder.module, ir.FunctionType(vty, [vty] * 3), name)


def _f32(bits: int) -> float:
    return float(np.uint32(bits).view(np.float32))


# numpy's float32 exp (the AVX2 + FMA3 loop of numpy/_core/src/umath/loops_exponent_log):
# x = n ln 2 + r by Cody and Waite's reduction, a rational approximation of exp(r), and n added
# to the exponent (a division by a power of two where the result is subnormal).
_XMAX, _XMIN = _f32(0x42B17218), _f32(0xC2CFF1B5)
_LOG2E, _MAGIC = _f32(0x3FB8AA3B), _f32(0x4B400000)
_LN2_HI, _LN2_LO = _f32(0xBF317200), _f32(0xB5BFBE8E)
_NUM = (_f32(0x3A053DD8), _f32(0x3BDD7159), _f32(0x3D517D8C), _f32(0x3E7D4C58))
_NUM += (_f32(0x3F39CBD5), _f32(0x3F800000))  # P5 .. P0
_DEN = (_f32(0x3CB0E832), _f32(0xBE8C6857), _f32(0x3F800000))  # Q2 .. Q0


@intrinsic
def exp(typingctx, x):
    """numpy's float32 exp in each lane, bit for bit (every float32 was compared once)."""
    if x != f32v:
        return None

    def codegen(context, builder, sig, args):
        def c(v):
            return ir.Constant(_VF, [ir.Constant(_F, v)] * LANES)

        fma_ = _fma_fn(builder, _VF)

        def f(a, b, d):
            return builder.call(fma_, [a, b, d])

        x = args[0]
        nan = builder.fcmp_unordered("uno", x, x)
        big = builder.fcmp_ordered(">=", x, c(_XMAX))
        small = builder.fcmp_ordered("<=", x, c(_XMIN))
        x = builder.select(builder.or_(builder.or_(nan, big), small), c(0.0), x)
        q = builder.fmul(x, c(_LOG2E))
        q = builder.fsub(builder.fadd(q, c(_MAGIC)), c(_MAGIC))  # rounded to an integer
        r = f(q, c(_LN2_HI), x)
        r = f(q, c(_LN2_LO), r)
        r = f(q, c(0.0), r)
        num = f(c(_NUM[0]), r, c(_NUM[1]))
        for p in _NUM[2:]:
            num = f(num, r, c(p))
        den = f(c(_DEN[0]), r, c(_DEN[1]))
        den = f(den, r, c(_DEN[2]))
        poly = builder.fdiv(num, den)
        # poly x 2^n: n added to the exponent, at most down to 2^-125; below that numpy
        # divides by 2 to the rest (1 elsewhere), the same number, rounded once, as the
        # product with 2 to minus the rest (at most 2^-25, a normal number) gives.
        lo = c(-125.0)
        n_hi = builder.fptosi(builder.select(builder.fcmp_ordered(">", q, lo), q, lo), _VI)
        rest = builder.fsub(q, lo)
        n_lo = builder.fptosi(
            builder.select(builder.fcmp_ordered("<", rest, c(0.0)), rest, c(0.0)), _VI
        )
        shift = ir.Constant(_VI, [ir.Constant(ir.IntType(32), 23)] * LANES)

        def scaled(v, n):
            bits = builder.add(builder.bitcast(v, _VI), builder.shl(n, shift))
            return builder.bitcast(bits, _VF)

        y = builder.fmul(scaled(poly, n_hi), scaled(c(1.0), n_lo))
        y = builder.select(nan, c(float("nan")), y)
        y = builder.select(big, c(float("inf")), y)
        return builder.select(small, c(0.0), y)

    return f32v(x), codegen


def _shuffle(builder, a, b, mask):
    return builder.shuffle_vector(
        a, b, ir.Constant(_VI, [ir.Constant(ir.IntType(32), m) for m in mask])
    )


def transpose_masks(n: int) -> list[tuple[int, list[int], list[int]]]:
    """The shuffles that turn n rows of n lanes into their n columns (n a power of two), one
    round per width w from n / 2 down to 1: rows i and i + w (i without the bit w) trade the
    off-diagonal w x w blocks of each 2w x 2w block. Each round is (w, lo, hi): lo and hi pick
    the lanes of the two new rows from the pair laid end to end (lane p of row i + w is lane
    n + p)."""
    rounds = []
    w = n // 2
    while w:
        lo = [p if not p & w else n + (p ^ w) for p in range(n)]
        hi = [p | w if not p & w else n + p for p in range(n)]
        rounds.append((w, lo, hi))
        w //= 2
    return rounds


def _transpose(builder, rows: list) -> list:
    """The LANES columns of LANES vectors, as vectors (log2(LANES) rounds of shuffles)."""
    rows = list(rows)
    for w, lo, hi in transpose_masks(LANES):
        out = list(rows)
        for i in range(LANES):
            if not i & w:
                out[i] = _shuffle(builder, rows[i], rows[i | w], lo)
                out[i | w] = _shuffle(builder, rows[i], rows[i | w], hi)
        rows = out
    return rows


@intrinsic
def gather_rows(typingctx, table, at, i, k, dst):
    """dst[j, l] = table[at[i, l] + k + j] for j < LANES, in each lane l: LANES consecutive
    entries of a float32 table read at each lane's own place, turned into LANES vectors (the
    table must hold LANES - 1 entries past the last one read)."""
    if not (isinstance(table, types.Array) and table.ndim == 1 and table.dtype == types.float32):
        return None
    if not (_lanes_of(at, types.uint64) and _lanes_of(dst, types.float32)):
        return None
    if not (isinstance(i, types.Integer) and isinstance(k, types.Integer)):
        return None

    def codegen(context, builder, sig, args):
        tab = context.make_array(sig.args[0])(context, builder, args[0])
        ary = context.make_array(sig.args[1])(context, builder, args[1])
        dty = sig.args[4]
        d = context.make_array(dty)(context, builder, args[4])
        i = context.cast(builder, args[2], sig.args[2], types.intp)
        k = context.cast(builder, args[3], sig.args[3], types.intp)
        i64 = ir.IntType(64)
        idx = builder.load(_row_ptr(context, builder, sig.args[1], ary, i, i64), align=8)
        base = builder.bitcast(tab.data, ir.PointerType(_F))
        rows = []
        for lane in range(LANES):
            j = builder.add(builder.extract_element(idx, ir.Constant(ir.IntType(32), lane)), k)
            ptr = builder.bitcast(builder.gep(base, [j]), ir.PointerType(_VF))
            rows.append(builder.load(ptr, align=4))
        for j, col in enumerate(_transpose(builder, rows)):
            jj = context.get_constant(types.intp, j)
            builder.store(col, _row_ptr(context, builder, dty, d, jj, _F), align=4)
        return context.get_dummy_value()

    return types.none(table, at, i, k, dst), codegen


@intrinsic
def store_columns(typingctx, tile, c, out, b):
    """out[b + j, c:c + LANES] = tile[c:c + LANES, j] for each lane j: LANES rows of lanes
    written as LANES runs' rows (a LANES x LANES transpose in registers)."""
    if not (_lanes_of(tile, types.float32) and _lanes_of(out, types.float32)):
        return None
    if not (isinstance(c, types.Integer) and isinstance(b, types.Integer)):
        return None

    def codegen(context, builder, sig, args):
        tty, oty = sig.args[0], sig.args[2]
        t = context.make_array(tty)(context, builder, args[0])
        o = context.make_array(oty)(context, builder, args[2])
        c = context.cast(builder, args[1], sig.args[1], types.intp)
        b = context.cast(builder, args[3], sig.args[3], types.intp)
        one = context.get_constant(types.intp, 1)
        rows, at = [], c
        for _ in range(LANES):
            rows.append(builder.load(_row_ptr(context, builder, tty, t, at, _F), align=4))
            at = builder.add(at, one)
        cols = _transpose(builder, rows)
        at = b
        for j in range(LANES):
            ptr = cgutils.get_item_pointer(context, builder, oty, o, [at, c], wraparound=False)
            builder.store(cols[j], builder.bitcast(ptr, ir.PointerType(_VF)), align=4)
            at = builder.add(at, one)
        return context.get_dummy_value()

    return types.none(tile, c, out, b), codegen


def _reduce(pred):
    def fn(typingctx, m):
        if m != maskv:
            return None

        def codegen(context, builder, sig, args):
            byte = ir.IntType(LANES)
            bits = builder.bitcast(args[0], byte)
            want = ir.Constant(byte, (1 << LANES) - 1 if pred == "every" else 0)
            return builder.icmp_unsigned("==" if pred == "every" else "!=", bits, want)

        return types.boolean(m), codegen

    fn.__name__ = f"lanes_{pred}"
    return intrinsic(fn)


every = _reduce("every")  # whether the mask holds in every lane
some = _reduce("some")  # whether it holds in some lane
