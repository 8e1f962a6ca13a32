"""Atomic file writes: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(path: str | Path, writer: Callable[[object], None], mode: str = "w") -> None:
    """Call ``writer(file)`` on a temporary file beside ``path`` and rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        kwargs = {"newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: str | Path, text: str) -> None:
    write_atomic(path, lambda f: f.write(text))


def write_bytes(path: str | Path, data: bytes) -> None:
    write_atomic(path, lambda f: f.write(data), mode="wb")
