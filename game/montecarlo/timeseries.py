"""Runs over time: per run and month, the tension and rung of the rival pairs and the moves
chosen, collected chunk by chunk and written to a Parquet file (``timeseries.parquet``).

A chunk's collector (``Collector``) is fed every month's record while the chunk is stepped and
returns plain numpy arrays; ``chunk_table`` turns them into a pyarrow table with one row per
run and month the run was still going (a run that ended in general nuclear war has no rows
after its last month); ``TimeseriesSink`` writes the tables as the runner hands them over, in run
order, so the file's rows are the same for any number of workers and any chunk size.

pyarrow is imported only here and only when a table is built or read; tables are built from
numpy buffers, so writing them does not load pandas (reading them into a frame does).
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

import numpy as np

from game.engine import Params, State, TurnRecord

FILE = "timeseries.parquet"
HOLD = "hold"  # the action column's word for holding (no move)


def pairs_that_matter(params: Params) -> list[tuple[int, int]]:
    """Pairs (i < j) in which one side counts the other a rival: the ones reported per run
    (peaks in runs.csv, tension and rung in the time series)."""
    out = []
    for i in range(params.n_actors):
        for j in range(i + 1, params.n_actors):
            if params.rivals[i, j] or params.rivals[j, i]:
                out.append((i, j))
    return out


rival_pairs = pairs_that_matter


def pair_name(params: Params, i: int, j: int) -> str:
    return f"{params.actor_ids[i]}_{params.actor_ids[j]}"


class Collector:
    """Gathers one chunk's monthly arrays; call ``on_turn`` every month, then ``arrays()``."""

    def __init__(self, params: Params):
        pairs = rival_pairs(params)
        self.params = params
        self.pi = np.array([p[0] for p in pairs], dtype=np.int64)
        self.pj = np.array([p[1] for p in pairs], dtype=np.int64)
        self.months: list[dict] = []

    def on_turn(self, rec: TurnRecord, state: State) -> None:
        p = self.params
        live = ~state.done | rec.ended
        k = p.cand_action[rec.moves]
        self.months.append(
            {
                "live": live.copy(),
                "tension": state.tension[:, self.pi, self.pj].astype(np.float32),
                "rung": rec.rung_after[:, self.pi, self.pj].astype(np.int8),
                "action": k.astype(np.int16),
                "target": np.where(k >= 0, p.cand_target[rec.moves], -1).astype(np.int16),
            }
        )

    def arrays(self, runs: np.ndarray) -> dict:
        """(B, T, ...) arrays of the chunk, month first stacked then run first."""
        if not self.months:
            b = runs.size
            p, a = self.pi.size, self.params.n_actors
            return {
                "runs": runs,
                "live": np.zeros((b, 0), bool),
                "tension": np.zeros((b, 0, p), np.float32),
                "rung": np.zeros((b, 0, p), np.int8),
                "action": np.zeros((b, 0, a), np.int16),
                "target": np.zeros((b, 0, a), np.int16),
            }
        out = {"runs": runs}
        for key in ("live", "tension", "rung", "action", "target"):
            out[key] = np.stack([m[key] for m in self.months], axis=1)
        return out


def month_dates(params: Params, turns: int) -> np.ndarray:
    """datetime64[D] of the first day of each month 0..turns-1."""
    return np.array(
        [_dt.date(*params.turn_date(t), 1) for t in range(turns)], dtype="datetime64[D]"
    )


def schema(params: Params):
    import pyarrow as pa

    rung_t = pa.dictionary(pa.int8(), pa.string())
    act_t = pa.dictionary(pa.int16(), pa.string())
    fields = [
        pa.field("run", pa.int64()),
        pa.field("seed", pa.int64()),
        pa.field("month", pa.int16()),
        pa.field("date", pa.date32()),
    ]
    for i, j in rival_pairs(params):
        fields.append(pa.field(f"tension_{pair_name(params, i, j)}", pa.float32()))
    for i, j in rival_pairs(params):
        fields.append(pa.field(f"rung_{pair_name(params, i, j)}", rung_t))
    for a in params.actor_ids:
        fields.append(pa.field(f"action_{a}", act_t))
        fields.append(pa.field(f"target_{a}", act_t))
    return pa.schema(fields)


def _arrow(values: np.ndarray, typ, mask: np.ndarray | None = None):
    """A pyarrow array of a numpy array's values (``mask``: True where null), built from its
    buffer: pyarrow's ``pa.array`` would import pandas (half a second) to ask whether the
    values are a pandas object."""
    import pyarrow as pa

    values = np.ascontiguousarray(values)
    valid = None
    if mask is not None and mask.any():
        valid = pa.py_buffer(np.packbits(~mask, bitorder="little"))
    nulls = -1 if valid is not None else 0
    return pa.Array.from_buffers(typ, len(values), [valid, pa.py_buffer(values)], nulls)


def _strings(items: list[str]):
    """A pyarrow string array of ``items``, built from its buffers (see ``_arrow``)."""
    import pyarrow as pa

    data = [x.encode("utf-8") for x in items]
    offsets = np.zeros(len(data) + 1, dtype=np.int32)
    offsets[1:] = np.cumsum([len(d) for d in data])
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))]
    return pa.Array.from_buffers(pa.string(), len(data), buffers, 0)


def chunk_table(params: Params, seed: int, arrays: dict):
    """The chunk's arrays (from ``Collector.arrays``) as a pyarrow table: one row per run and
    month the run was going, runs in order, months in order within a run."""
    import pyarrow as pa

    live = arrays["live"]
    b, t = live.shape
    rr, mm = np.nonzero(live)  # row-major: run first, then month
    runs = arrays["runs"][rr]
    dates = month_dates(params, t)[mm] if t else np.zeros(0, "datetime64[D]")
    sch = schema(params)
    rungs = _strings(list(params.rung_ids))
    actions = _strings([HOLD, *params.action_ids])
    actors = _strings(list(params.actor_ids))
    cols = [
        _arrow(runs.astype(np.int64), pa.int64()),
        _arrow(np.full(runs.size, int(seed), dtype=np.int64), pa.int64()),
        _arrow(mm.astype(np.int16), pa.int16()),
        _arrow(dates.astype(np.int32), pa.date32()),  # days since 1970-01-01
    ]
    n_p = arrays["tension"].shape[2]
    for c in range(n_p):
        cols.append(_arrow(arrays["tension"][rr, mm, c].astype(np.float32), pa.float32()))
    for c in range(n_p):
        idx = _arrow(arrays["rung"][rr, mm, c].astype(np.int8), pa.int8())
        cols.append(pa.DictionaryArray.from_arrays(idx, rungs))
    for a in range(params.n_actors):
        k = arrays["action"][rr, mm, a].astype(np.int16)
        cols.append(pa.DictionaryArray.from_arrays(_arrow(k + 1, pa.int16()), actions))
        tg = arrays["target"][rr, mm, a]
        idx = _arrow(tg.astype(np.int16), pa.int16(), mask=tg < 0)
        cols.append(pa.DictionaryArray.from_arrays(idx, actors))
    return pa.Table.from_arrays(cols, schema=sch)


class TimeseriesSink:
    """Writes chunk tables to one Parquet file in run order: a sink of the runner
    (``runner.ChunkSink``), which hands it the chunks in run order however they finish.

    ``path`` None keeps the tables in memory (``tables()``). The file is written to a
    temporary name and moved into place by ``close()``; nothing is written if no chunk came.
    """

    wants_csv = False

    def __init__(self, params: Params, seed: int, path=None):
        self.params = params
        self.seed = int(seed)
        self.path = None if path is None else Path(path)
        self._writer = None
        self._tmp = None
        self._kept: list = []

    def add(self, part: dict) -> None:
        """Take a finished chunk (the runner's part dict with its ``timeseries`` arrays)."""
        self._emit(chunk_table(self.params, self.seed, part.pop("timeseries")))

    def _emit(self, table) -> None:
        if self.path is None:
            self._kept.append(table)
            return
        import pyarrow.parquet as pq

        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._tmp = self.path.with_name(self.path.name + ".tmp")
            self._writer = pq.ParquetWriter(self._tmp, table.schema, compression="zstd")
        self._writer.write_table(table)

    def close(self, result=None) -> None:
        """Finish the file (``result``: the batch's ``BatchResult``, unused)."""
        if self._writer is not None:
            self._writer.close()
            os.replace(self._tmp, self.path)
            self._writer = None

    def tables(self) -> list:
        return list(self._kept)
