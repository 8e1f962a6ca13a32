"""Join the folders of one batch run in parts (``--first-run``) into the folder of the whole.

Each part's tally.json holds its totals; they add up. runs.csv files are merged by run index,
streamed line by line, and the parts' time series (timeseries.parquet) are joined in run order,
a row group at a time, so the joined folder equals the one a single batch of all the runs
writes (timings apart; the Parquet file holds the same rows, in groups of its own), and memory
stays flat.
"""

from __future__ import annotations

import heapq
import json
from pathlib import Path

import numpy as np

from .report import BatchResult, csv_header_line, finish_folder
from .tally import Tally


class MergeError(Exception):
    """The folders are not parts of one batch (a one-line reason naming the folder)."""


def _read_part(folder: Path) -> tuple[dict, Tally]:
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        tally = Tally.from_json(json.loads((folder / "tally.json").read_text(encoding="utf-8")))
    except FileNotFoundError as e:
        raise MergeError(f"{folder}: no {Path(e.filename).name}: not a batch folder") from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise MergeError(f"{folder}: cannot read its summary or tally ({e})") from None
    return summary, tally


def _rows(path: Path, header: str):
    """(run, line) of every row of a runs.csv whose header is ``header``."""
    with open(path, encoding="utf-8", newline="") as f:
        if f.readline() != header:
            raise MergeError(f"{path}: its columns differ from the scenario's")
        for line in f:
            yield int(line.split(",", 1)[0]), line


def _running(params, path: Path) -> list:
    """The convergence plot's counts (``precision.RunningCounts``) of the joined runs, read
    from the outcome and first-crossing columns of their runs.csv (``path``, in run order),
    a block of rows at a time."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pa_csv

    from .precision import RunningCounts

    firsts = [f"first_{h}" for h in params.thresholds]
    ids = pa.array([o.id for o in params.outcomes])
    columns = pa_csv.ConvertOptions(
        include_columns=["outcome", *firsts],
        column_types={"outcome": pa.string(), **{c: pa.int64() for c in firsts}},
    )
    counts = RunningCounts(params)
    with pa_csv.open_csv(path, convert_options=columns) as rows:
        for block in rows:
            outcome = pc.index_in(block.column("outcome"), value_set=ids).to_numpy(
                zero_copy_only=False
            )
            crossed = np.zeros((block.num_rows, len(firsts)), dtype=bool)
            for k, c in enumerate(firsts):  # a month where crossed, empty where never
                crossed[:, k] = block.column(c).is_valid().to_numpy(zero_copy_only=False)
            counts.add_rows(outcome.astype(np.int64), crossed)
    return counts.points()


def _timeseries(folders: list[Path], out: Path) -> bool:
    """Join the parts' timeseries.parquet into ``out``, in run order (the parts' runs are
    disjoint ranges: in order of their first runs), a row group at a time; False, and nothing
    written, where some part has none (a batch run with --no-timeseries)."""
    import pyarrow.parquet as pq

    from .timeseries import FILE

    if not folders or not all((f / FILE).is_file() for f in folders):
        return False
    tmp = out.with_name(out.name + ".tmp")
    import pyarrow as pa

    writer = schema = None
    try:
        for f in folders:
            try:
                source = pq.ParquetFile(f / FILE)
                tables = (source.read_row_group(g) for g in range(source.num_row_groups))
                for table in tables:
                    if writer is None:
                        schema = table.schema
                        writer = pq.ParquetWriter(tmp, schema, compression="zstd")
                    elif not table.schema.equals(schema):
                        raise MergeError(f"{f / FILE}: its columns differ from the other parts'")
                    writer.write_table(table)
            except (OSError, pa.ArrowException) as e:
                raise MergeError(f"{f / FILE}: cannot read it ({e})") from None
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        return False
    tmp.replace(out)
    return True


def merge_folders(
    scenario, folders: list[Path], tmp: Path, plots: bool = True, made_by: dict | None = None
) -> BatchResult:
    """Write into ``tmp`` the folder of the batch whose parts are ``folders``.

    Every part must come from the same scenario content (overrides included), seed, turns and
    Pact version, and no run may be in two parts.
    """
    from .runner import _merge, scenario_key

    params = scenario.params
    key = scenario_key(scenario.raw)
    parts = [(f, *_read_part(f)) for f in folders]
    first = parts[0][1]
    for f, s, _ in parts:
        made = s.get("made_by", {})
        if made.get("scenario_sha256") != key:
            raise MergeError(f"{f}: made from other scenario content (or other --set values)")
        for k in ("seed", "turns"):
            if s[k] != first[k]:
                raise MergeError(f"{f}: {k} {s[k]}, but {folders[0]} has {first[k]}")
        if made.get("pact_version") != first.get("made_by", {}).get("pact_version"):
            raise MergeError(f"{f}: made by another version of Pact")
    tally = parts[0][2]
    for f, _, t in parts[1:]:
        try:
            tally = tally.merge(t)
        except ValueError as e:
            raise MergeError(f"{f}: {e}") from None
    header = csv_header_line(params)
    with open(tmp / "runs.csv", "w", encoding="utf-8", newline="") as out:
        out.write(header)
        for _, line in heapq.merge(*(_rows(f / "runs.csv", header) for f, _, _ in parts)):
            out.write(line)
    lo = min(s["first_run"] for _, s, _ in parts)
    hi = max(s["first_run"] + s["requested_runs"] for _, s, _ in parts)
    res = _merge(
        params,
        [],
        tally=tally,
        scenario=params.scenario_id,
        seed=int(first["seed"]),
        turns=int(first["turns"]),
        requested=hi - lo,
        first_run=lo,
        seconds=sum(s.get("time_seconds") or 0.0 for _, s, _ in parts),
        interrupted=any(s["interrupted"] for _, s, _ in parts),
        workers=0,
        chunk=0,
        missing=[],
    )
    made = dict(made_by if made_by is not None else first.get("made_by", {}))
    made["merged_from"] = [
        {"folder": str(f), "first_run": s["first_run"], "runs": s["runs"]} for f, s, _ in parts
    ]
    res.extra["provenance"] = made
    res.extra["running"] = _running(params, tmp / "runs.csv")
    from .timeseries import FILE

    in_order = [f for f, s, _ in sorted(parts, key=lambda part: part[1]["first_run"])]
    if _timeseries(in_order, tmp / FILE):
        res.extra["timeseries"] = tmp / FILE
    finish_folder(res, tmp, plots=plots)
    return res
