"""How the engine's compiled kernels are compiled: the one place that says so.

A kernel is a plain Python function over numpy arrays and scalars, compiled by numba on first
use. The settings hold for every kernel:

* ``cache=True``: the machine code is written beside the module (or to numba's cache folder
  where that is read-only) and reused by every later start, so only the first start after an
  install or an engine change pays for compiling;
* ``fastmath=False`` and numpy's error model: floating point follows IEEE 754 as numpy does
  (no reassociation, division by zero gives inf or nan, never an exception), so a kernel can
  give the same bits as the numpy definition it replaces;
* ``nogil=True``: a kernel releases the GIL, so the window's thread keeps drawing while a
  forecast steps in the same process.

numba stamps a kernel's cache with its own file alone, but a kernel holds the code of the
parts, intrinsics and constants it takes from other modules (``lanes``, ``rng_kernels``,
``names``...): after a change there alone, a cached kernel would run the old code.
``game.kernel_cache`` removes such caches when the package is imported (the engine itself reads
and writes no files).
"""

from __future__ import annotations

import numba

kernel = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy")

part = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", inline="always")
"""A piece of a kernel, with the kernels' settings, that numba copies into every kernel calling
it rather than calling it: a call passes each array argument by taking and dropping a
reference, which costs about as much as the arithmetic of a small piece called once per run.
A copied piece with branches still takes and drops a reference to each array it is given,
each time it is entered (numba removes such pairs only where no branch stands between them):
where a loop enters one for every move or pair and most have nothing for it to do, the loop
asks first (``move_kernels.apply_moves`` before ``_end_fighting``)."""
