"""A results folder is one batch or none: written aside, then published in one step.

Every file of a batch is written into a hidden folder beside the destination
(``.NAME.partial-PID-`` and a random suffix); only when all are written does the folder take
the destination's name, in one rename (an atomic exchange when a previous batch's folder is there, on Linux).
Ctrl-C, SIGTERM, a full disk or a crash while writing leave the previous folder as it was, and
a reader never sees a new runs.csv beside an old summary.json. Default folder names are unique:
two batches started in the same second get ``NAME`` and ``NAME-2``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .interrupts import deferred_interrupt

# A folder a new batch may replace holds one of these, and only files of these kinds: anything
# else (a folder, notes.txt, a script) says it is not only Pact's, and it is left alone.
RESULT_FILES = ("summary.json", "compare.json", "sweep.json", "explore.json")
RESULT_KINDS = (".json", ".csv", ".png", ".parquet", ".html")
RESULT_OTHERS = ("data.md",)  # Pact's files of other kinds (a batch's data dictionary)
_RENAME_EXCHANGE = 2


class FolderError(Exception):
    """The destination cannot take the results (a file, or a folder of other things)."""


def check_destination(out: Path) -> None:
    """Refuse a destination that is a file, or a folder holding anything but Pact results."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise FolderError(f"{out}: exists and is not a folder")
    if out.is_dir():
        entries = list(out.iterdir())
        ours = {p.name for p in entries} & set(RESULT_FILES)
        other = [
            p
            for p in entries
            if p.is_dir() or (p.suffix not in RESULT_KINDS and p.name not in RESULT_OTHERS)
        ]
        if entries and (not ours or other):
            shown = sorted(p.name for p in (other or entries))[0]
            raise FolderError(
                f"{out}: holds files that are not Pact results (e.g. {shown}); "
                "choose a new or empty folder"
            )


def unique_folder(parent: Path, name: str) -> Path:
    """Claim ``parent/name`` (or ``name-2``, ``name-3``, ...) by creating it empty."""
    parent.mkdir(parents=True, exist_ok=True)
    for k in range(1, 10_000):
        path = parent / (name if k == 1 else f"{name}-{k}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise FolderError(f"{parent}: no free folder name for {name}")


class ResultsFolder:
    """``with ResultsFolder(out) as tmp: ...write into tmp...; publish()``.

    Leaving the block without ``publish()`` (an error, Ctrl-C) removes everything written and
    leaves ``out`` as it was. With ``unique``, ``out`` is a name to claim when publishing:
    ``out``, else ``out-2``, ``out-3``, ... (``self.out`` then says which).
    """

    def __init__(self, out: str | Path, unique: bool = False):
        self.out = Path(out)
        self.unique = unique
        self.tmp: Path | None = None
        self.published = False

    def __enter__(self) -> Path:
        if not self.unique:
            check_destination(self.out)
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:  # name the folder asked for, and what stood in its way
            raise OSError(
                e.errno, f"cannot make its folder ({e.filename}: {e.strerror})", str(self.out)
            ) from e
        _remove_leftovers(self.out)
        try:
            self.tmp = Path(
                tempfile.mkdtemp(
                    prefix=f".{self.out.name}.partial-{os.getpid()}-", dir=self.out.parent
                )
            )
        except OSError as e:  # the hidden folder beside it is the user's --out to them
            raise OSError(e.errno, e.strerror, str(self.out)) from e
        # mkdtemp makes the folder 0700: give it the mode the user's umask gives a new folder.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o777 & ~umask)
        return self.tmp

    def publish(self) -> None:
        """Give the finished folder its name in one step; the old batch's folder goes."""
        assert self.tmp is not None
        with deferred_interrupt():
            for name in os.listdir(self.tmp):
                _fsync(self.tmp / name)
            _fsync(self.tmp)
            if self.unique:
                self.out = unique_folder(self.out.parent, self.out.name)
            old = _swap(self.tmp, self.out)
            self.published = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        _fsync(self.out.parent)

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.published and self.tmp is not None:
            with deferred_interrupt():
                shutil.rmtree(self.tmp, ignore_errors=True)
        if isinstance(exc, OSError) and self.tmp is not None:
            # A file of the hidden staging folder failed: name it as the user knows it.
            where = self.out
            if exc.filename is not None:
                try:
                    where = self.out / Path(exc.filename).relative_to(self.tmp)
                except ValueError:
                    return
            raise OSError(exc.errno, exc.strerror, str(where)) from exc


def _remove_leftovers(out: Path) -> None:
    """Remove the staging folders of batches into ``out`` whose process is gone (killed)."""
    for p in out.parent.glob(f".{out.name}.partial-*"):
        try:
            pid = int(p.name[len(f".{out.name}.partial-") :].split("-")[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _running(pid):
            shutil.rmtree(p, ignore_errors=True)
    for p in out.parent.glob(f".{out.name}.old-*"):
        shutil.rmtree(p, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _swap(new: Path, out: Path) -> Path | None:
    """Move ``new`` to ``out``; return where the old folder now is (to delete), if any."""
    try:
        os.rename(new, out)  # no folder there, or an empty one (a claimed unique name)
        return None
    except OSError as e:
        if e.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
    check_destination(out)
    if _exchange(new, out):
        return new
    # No atomic exchange here: move the old folder aside, then the new one in.
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, aside / out.name)
    os.rename(new, out)
    return aside


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
