"""Where a batch's chunks go as they finish: runs.csv streamed chunk by chunk, and what the
batch's folder says about how it was made.

A sink (``runner.ChunkSink``) receives every finished chunk in run order (``add``) and the
finished ``BatchResult`` once (``close``). ``FOLDER_SINKS`` lists the sinks every batch folder
gets: each entry is called as ``make(folder, params, seed)`` when the batch starts and returns a
sink that writes its file(s) inside ``folder`` (the folder is published only after ``close``).
Another module adds a file to every batch folder by appending its maker::

    from game.montecarlo.sinks import FOLDER_SINKS
    FOLDER_SINKS.append(lambda folder, params, seed: TimeseriesParquet(folder / "x.parquet"))
"""

from __future__ import annotations

import hashlib
import os
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

from game.engine import Params

from .report import BatchResult, csv_block, csv_header_line
from .runner import ChunkSink


class RunsCsv(ChunkSink):
    """runs.csv written chunk by chunk: the same bytes as ``BatchResult.to_csv``."""

    wants_csv = True

    def __init__(self, path: Path, params: Params, seed: int):
        self.params, self.seed = params, seed
        self.f = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - open for the batch
        self.f.write(csv_header_line(params))

    def add(self, part: dict) -> None:
        text = part.get("csv")
        self.f.write(text if text is not None else csv_block(self.params, self.seed, part))

    def close(self, result: BatchResult) -> None:
        self.f.flush()
        os.fsync(self.f.fileno())
        self.f.close()


FOLDER_SINKS: list[Callable[[Path, Params, int], ChunkSink]] = [
    lambda folder, params, seed: RunsCsv(folder / "runs.csv", params, seed),
]


def folder_sinks(folder: Path, params: Params, seed: int) -> list[ChunkSink]:
    """The sinks of a batch written into ``folder`` (see ``FOLDER_SINKS``)."""
    return [make(folder, params, seed) for make in FOLDER_SINKS]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def scenario_files(path: str | Path | None) -> dict[str, str]:
    """SHA-256 of a scenario file and of every file it extends, by file name as written."""
    out: dict[str, str] = {}
    p = Path(path) if path else None
    for _ in range(16):
        if p is None or not p.is_file() or str(p) in out:
            break
        out[str(p)] = _sha256(p)
        try:
            ref = tomllib.loads(p.read_text(encoding="utf-8")).get("extends")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            break
        p = p.parent / ref.strip() if isinstance(ref, str) and ref.strip() else None
    return out


def provenance(
    scenario, version: str, overrides: dict | None = None, argv: list[str] | None = None
) -> dict:
    """How a batch was made, for summary.json: Pact's ``version``, the scenario's files and the
    hash of its content with overrides applied, the overrides, and the command line."""
    from .runner import scenario_key

    return {
        "pact_version": version,
        "python": sys.version.split()[0],
        "scenario_files": scenario_files(getattr(scenario, "path", None)),
        "scenario_sha256": scenario_key(scenario.raw),
        "overrides": dict(overrides or {}),
        "command_line": ["pact", *(sys.argv[1:] if argv is None else argv)],
    }
