"""Atomic file writes: a temporary file in the same folder, then a rename.

A reader never sees a half-written file, and a failed write leaves the old file as it was.
Every file Pact writes (results, saves, scenarios, schemas, references) goes through here.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(
    path: str | Path, writer: Callable[[object], None], mode: str = "w", replace: bool = True
) -> None:
    """Call ``writer(file)`` on a temporary file beside ``path`` and move it into place.

    ``mode`` is "w" (UTF-8 text, newlines as written) or "wb". With ``replace=False`` an
    existing file is never overwritten: FileExistsError, and nothing changes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        kwargs = {"encoding": "utf-8", "newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _link_new(tmp: str, path: Path) -> None:
    """Give the finished temporary file its name, only if no file has that name."""
    try:
        os.link(tmp, path)  # fails if the file exists, even one that appeared meanwhile
    except FileExistsError:
        raise
    except OSError:
        if path.exists():  # a file system without hard links
            raise FileExistsError(path) from None
        os.replace(tmp, path)


def write_text(path: str | Path, text: str, replace: bool = True) -> None:
    write_atomic(path, lambda f: f.write(text), replace=replace)


def write_bytes(path: str | Path, data: bytes) -> None:
    write_atomic(path, lambda f: f.write(data), mode="wb")
