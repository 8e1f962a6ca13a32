"""Atomic file writes: a temporary file in the same folder, then a rename.

A reader never sees a half-written file, and a failed write leaves the old file as it was.
Every file Pact writes (results, saves, scenarios, schemas, references) goes through here.

The new file gets the permissions a plain ``open()`` would give it (the user's umask), or
those of the file it replaces. Only regular files are replaced: a symbolic link, a device or
a folder at the target is refused with :class:`NotRegularFile` and left as it is. The
temporary file's name carries the writer's process id, so one left behind by a killed
process is removed by the next write to the same folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

_TMP_SUFFIX = ".tmp"


class NotRegularFile(OSError):
    """The target exists and is not a regular file (a link, a device, a folder...)."""


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _existing(path: Path) -> os.stat_result | None:
    """The target's own status (links not followed), None if nothing has that name;
    NotRegularFile if it is anything but a regular file."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        kind = _kind(st.st_mode)
        raise NotRegularFile(
            errno.EEXIST,
            f"is {kind}, not a regular file; only regular files are replaced",
            str(path),
        )
    return st


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _tmp_prefix(name: str) -> str:
    return f".{name}.{os.getpid()}."


def _remove_stale(folder: Path, name: str) -> None:
    """Delete temporary files of ``name`` left by writers that no longer run (killed mid-write)."""
    head = f".{name}."
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(head) and entry.name.endswith(_TMP_SUFFIX)):
            continue
        pid_text = entry.name[len(head) :].split(".", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a pid at all: leave its file alone
    except OSError:
        return True
    return True


def write_atomic(
    path: str | Path, writer: Callable[[object], None], mode: str = "w", replace: bool = True
) -> None:
    """Call ``writer(file)`` on a temporary file beside ``path`` and move it into place.

    ``mode`` is "w" (UTF-8 text, newlines as written) or "wb". With ``replace=False`` an
    existing file is never overwritten: FileExistsError, and nothing changes. A target that
    is not a regular file raises NotRegularFile (an OSError) before anything is written.
    """
    path = Path(path)
    try:
        _write(path, writer, mode, replace)
    except NotRegularFile:
        raise
    except OSError as e:  # name the target, not the temporary file, in the message
        if e.filename == str(path) or e.errno is None:
            raise
        raise OSError(e.errno, e.strerror or str(e), str(path)) from None


def _write(path: Path, writer: Callable[[object], None], mode: str, replace: bool) -> None:
    old = _existing(path)
    if old is not None and not replace:
        raise FileExistsError(errno.EEXIST, "exists", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(path.parent, path.name)
    perms = stat.S_IMODE(old.st_mode) if old is not None else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=_tmp_prefix(path.name), suffix=_TMP_SUFFIX, dir=path.parent)
    try:
        kwargs = {"encoding": "utf-8", "newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as f:
            with contextlib.suppress(OSError):
                os.fchmod(f.fileno(), perms)
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        if replace:
            _existing(path)  # still a regular file (or nothing) just before the rename
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
        if os.path.lexists(path):  # a file system without hard links
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.replace(tmp, path)


def write_text(path: str | Path, text: str, replace: bool = True) -> None:
    write_atomic(path, lambda f: f.write(text), replace=replace)


def write_bytes(path: str | Path, data: bytes) -> None:
    write_atomic(path, lambda f: f.write(data), mode="wb")


def describe(e: OSError) -> str:
    """An OSError as a short reason for a one-line message ("Permission denied", "No space
    left on device", "is a symbolic link, not a regular file; ...")."""
    return e.strerror or type(e).__name__
