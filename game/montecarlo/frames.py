"""Labelled pandas frames of a batch and the data dictionary written next to its files.

``runs_frame`` is runs.csv as a frame (one row per run), ``timeseries_frame`` the Parquet file
of runs over time, ``monthly_frame`` the monthly totals the escalation and clause plots are
drawn from. Rungs, outcomes and actions are pandas categoricals with the scenario's ids (rungs
ordered as the ladder), months carry their dates. ``data_dictionary`` names every column, its
unit and its values; ``data_markdown`` prints it as data.md.

pandas is imported only when a frame is built.
"""

from __future__ import annotations

import numpy as np

from game.engine import Params
from game.engine.commitments import RED_LINE
from game.engine.draws import draw_column
from game.engine.names import CLAUSE_KINDS
from game.engine.outcome import CROSSING_RULE, threshold_label
from game.engine.theatres import REPORTED, region_word
from game.sim import questions
from game.text import sentence_case

from .timeseries import FILE as TIMESERIES_FILE
from .timeseries import HOLD, month_dates, pair_name, rival_pairs

MONTH_NOTE = "month 0 is the scenario's first month; a month's values are those at its end"


def _clause(p, q: int) -> str:
    """A clause in words, told apart from the others of the same article number: its article,
    its kind (the scenario's word) and its treaty ("Art. III, an assistance clause of the
    US-ROK Mutual Defense Treaty")."""
    kind = CLAUSE_KINDS[int(p.clause_kind[q])]
    a = "an" if kind[0] in "aeiou" else "a"
    treaty = p.treaty_names[int(p.clause_treaty[q])]
    return f"{p.clause_names[q]}, {a} {kind} clause of the {treaty}"


def _pledge(p, j: int) -> str:
    """A commitment in words, told apart from its mirror (the two parties' pledges under one
    article) and from the same red line drawn for two states: its name, who is bound, to whom."""
    com = p.commit
    by, party = p.actor_names[int(com.by[j])], p.actor_names[int(com.party[j])]
    if int(com.kind[j]) == RED_LINE:
        return f"'{com.names[j]}' ({by}'s red line, drawn for {party})"
    return f"'{com.names[j]}' ({by}'s pledge to {party})"


def _rung_cat(params: Params, codes):
    import pandas as pd

    return pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.int64), categories=params.rung_ids, ordered=True
    )


def runs_frame(r):
    """One row per run (index ``run``), labelled: outcome, peak rungs and actions as
    categoricals, first crossings as months (nullable) with their dates."""
    import pandas as pd

    p = r.params
    n = r.n
    cols: dict = {"seed": np.full(n, r.seed, dtype=np.int64)}
    cols["outcome"] = pd.Categorical.from_codes(
        r.outcome.astype(np.int64), categories=[o.id for o in p.outcomes]
    )
    cols["end_turn"] = r.end_turn.astype(np.int16)
    for c, (i, j) in enumerate(rival_pairs(p)):
        cols[f"peak_{pair_name(p, i, j)}"] = _rung_cat(p, r.peak[:, c])
    dates = month_dates(p, max(r.turns, 1))
    for h, name in enumerate(p.thresholds):
        ft = r.first_cross[:, h].astype(np.int64)
        cols[f"first_{name}"] = pd.array(np.where(ft >= 0, ft, 0), dtype="Int16")
        cols[f"first_{name}"][ft < 0] = pd.NA
        cols[f"first_{name}_date"] = pd.to_datetime(
            np.where(ft >= 0, dates[np.clip(ft, 0, dates.size - 1)], np.datetime64("NaT"))
        )
    for q, key in enumerate(p.clause_keys):
        cols[f"clause_{key}"] = r.clause_count[:, q]
    com = p.commit
    for j, key in enumerate(com.keys):
        cols[f"credibility_{key}"] = r.cred[:, j]
    for j, key in enumerate(com.keys):
        cols[f"honoured_{key}"] = r.honoured[:, j]
    for j, key in enumerate(com.keys):
        cols[f"declined_{key}"] = r.declined[:, j]
    for j, rid in enumerate(com.red_line_ids):
        cols[f"answered_{rid}"] = r.red_line_count[:, j]
    for e, ev in enumerate(p.events):
        cols[f"event_{ev.id}"] = r.event_count[:, e]
    for q, spec in enumerate(questions(p)):
        m = r.question_month[:, q].astype(np.int64)
        cols[f"question_{spec['id']}"] = pd.array(np.where(m >= 0, m, 0), dtype="Int16")
        cols[f"question_{spec['id']}"][m < 0] = pd.NA
    if r.reached is not None:
        names = list(p.thresholds)
        for key in REPORTED:
            if key in names:
                cols[f"where_{key}"] = region_word(r.reached[:, names.index(key)]).astype(str)
    if r.drawn is not None:
        for d, spec in enumerate(p.draws):
            cols[draw_column(spec.label)] = r.drawn[:, d]
    df = pd.DataFrame(cols, index=pd.Index(r.runs, name="run"))
    df.attrs["outcome_names"] = {o.id: o.name for o in p.outcomes}
    df.attrs["rung_names"] = dict(zip(p.rung_ids, p.rung_names))
    return df


def timeseries_frame(source, params: Params):
    """The runs over time as a frame (a path to the Parquet file or a list of pyarrow tables):
    one row per run and month, ``date`` as a timestamp, rungs ordered as the ladder."""
    import pandas as pd
    import pyarrow as pa

    if isinstance(source, list):
        table = pa.concat_tables(source) if source else None
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(source)
    if table is None:
        from .timeseries import schema

        table = schema(params).empty_table()
    df = table.to_pandas()
    df["date"] = pd.to_datetime(df["date"])
    for col in df.columns:
        if col.startswith("rung_"):
            df[col] = df[col].cat.set_categories(params.rung_ids, ordered=True)
        elif col.startswith("action_"):
            df[col] = df[col].cat.set_categories([HOLD, *params.action_ids])
        elif col.startswith("target_"):
            df[col] = df[col].cat.set_categories(params.actor_ids)
    df.attrs["rung_names"] = dict(zip(params.rung_ids, params.rung_names))
    return df


def monthly_frame(r):
    """The monthly totals of a batch: the share of runs with a pair at or above each threshold
    and the mean invocations per run of each clause, one row per month."""
    import pandas as pd

    p = r.params
    n = max(r.n, 1)
    cols: dict = {"date": pd.to_datetime(month_dates(p, r.turns))}
    for h, name in enumerate(p.thresholds):
        cols[f"at_or_above_{name}"] = r.at_or_above[:, h] / n
    for q, key in enumerate(p.clause_keys):
        cols[f"clause_{key}"] = r.clause_turn[:, q] / n
    return pd.DataFrame(cols, index=pd.Index(np.arange(r.turns), name="month"))


def monthly_csv(r) -> str:
    """monthly.csv: ``monthly_frame(r).to_csv(float_format="%.6g")`` written without pandas
    (the same text), so that a batch that writes no frame does not load it."""
    import csv
    import io

    p = r.params
    n = max(r.n, 1)
    names = [f"at_or_above_{name}" for name in p.thresholds]
    names += [f"clause_{key}" for key in p.clause_keys]
    values = np.concatenate([r.at_or_above[: r.turns] / n, r.clause_turn[: r.turns] / n], axis=1)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["month", "date", *names])
    dates = month_dates(p, r.turns).astype(str)
    for t in range(r.turns):
        w.writerow([t, dates[t], *(f"{v:.6g}" for v in values[t].tolist())])
    return buf.getvalue()


def _col(desc: str, unit: str = "", values: str | list | None = None) -> dict:
    d = {"description": desc}
    if unit:
        d["unit"] = unit
    if values is not None:
        d["values"] = values
    return d


def data_dictionary(params: Params, turns: int, seed: int | None = None) -> dict:
    """Every file, column, unit and name a batch writes (the content of datadict.json)."""
    p = params
    pairs = [pair_name(p, i, j) for i, j in rival_pairs(p)]
    rung = "a rung id of the ladder (see 'rungs'; ordered lowest first)"
    runs: dict = {
        "run": _col("run index in the batch; 'pact run --seed S --run K' replays run K"),
        "seed": _col("batch seed"),
        "outcome": _col(
            "outcome id of the run (see 'outcomes')", values=[o.id for o in p.outcomes]
        ),
        "end_turn": _col("months played (fewer than the batch's if the run ended early)", "months"),
    }
    for name in pairs:
        runs[f"peak_{name}"] = _col(f"highest rung of the pair {name} during the run", "", rung)
    for name in p.thresholds:
        runs[f"first_{name}"] = _col(
            f"first month the threshold '{threshold_label(name)}' was crossed ({CROSSING_RULE}); "
            "empty if never",
            "month index",
        )
    for q, key in enumerate(p.clause_keys):
        runs[f"clause_{key}"] = _col(f"invocations of {_clause(p, q)}", "count")
    com = p.commit
    for j, key in enumerate(com.keys):
        runs[f"credibility_{key}"] = _col(f"credibility of {_pledge(p, j)} at the end", "0-1")
    for j, key in enumerate(com.keys):
        runs[f"honoured_{key}"] = _col(f"decisions to honour {_pledge(p, j)}", "count")
    for j, key in enumerate(com.keys):
        runs[f"declined_{key}"] = _col(f"decisions to decline {_pledge(p, j)}", "count")
    for j, rid in enumerate(com.red_line_ids):
        runs[f"answered_{rid}"] = _col(
            f"answers given under the red line '{com.red_line_names[j]}'", "count"
        )
    for ev in p.events:
        runs[f"event_{ev.id}"] = _col(f"times the event '{ev.name}' fired", "count")
    for spec in questions(p):
        runs[f"question_{spec['id']}"] = _col(
            f"month the question '{spec['name']}' resolved yes (by {p.date_label(spec['by'])}); "
            "empty if it did not",
            "month index",
        )
    for key in REPORTED:
        if key in p.thresholds:
            runs[f"where_{key}"] = _col(
                f"where a pair first crossed {key.replace('_', ' ')}: northeast_asia, off_map, "
                "both, or empty if it was not crossed",
                "",
            )
    for spec in p.draws:
        runs[draw_column(spec.label)] = _col(
            f"the run's value of the scenario's uncertain number {spec.label} "
            f"({spec.describe()}), drawn once at the start",
            "as the scenario key",
        )
    ts: dict = {
        "run": runs["run"],
        "seed": runs["seed"],
        "month": _col(f"month index ({MONTH_NOTE})", "month index"),
        "date": _col("first day of the month", "date"),
    }
    for name in pairs:
        ts[f"tension_{name}"] = _col(f"tension of the pair {name} at the end of the month", "0-100")
    for name in pairs:
        ts[f"rung_{name}"] = _col(f"rung of the pair {name} at the end of the month", "", rung)
    for a in p.actor_ids:
        ts[f"action_{a}"] = _col(
            f"the move {a} chose that month ('{HOLD}': none)", "", [HOLD, *p.action_ids]
        )
        ts[f"target_{a}"] = _col(
            f"the state {a}'s move aimed at (empty when holding)", "", "actor id"
        )
    monthly: dict = {
        "month": ts["month"],
        "date": ts["date"],
    }
    for name in p.thresholds:
        monthly[f"at_or_above_{name}"] = _col(
            f"share of runs with a pair at or above '{threshold_label(name)}' that month "
            f"({CROSSING_RULE}; runs that ended keep their last month)",
            "share of runs (0-1)",
        )
    for q, key in enumerate(p.clause_keys):
        monthly[f"clause_{key}"] = _col(f"invocations of {_clause(p, q)} that month", "per run")
    return {
        "scenario": p.scenario_id,
        "scenario_name": p.scenario_name,
        "month_0": p.date_label(0),
        "months": turns,
        "month_note": MONTH_NOTE,
        "seed": seed,
        "files": {
            "runs.csv": {"rows": "one per run", "columns": runs},
            TIMESERIES_FILE: {
                "rows": "one per run and month the run was going (none after a run ended)",
                "columns": ts,
            },
            "monthly.csv": {"rows": "one per month", "columns": monthly},
        },
        "rungs": [
            {"index": k, "id": rid, "name": p.rung_names[k], "group": p.rung_groups[k]}
            for k, rid in enumerate(p.rung_ids)
        ],
        "thresholds": {
            name: {"name": threshold_label(name), "rung": p.rung_ids[level]}
            for name, level in p.thresholds.items()
        },
        "outcomes": {o.id: {"name": o.name, "description": o.description} for o in p.outcomes},
        "actions": {aid: p.action_names[k] for k, aid in enumerate(p.action_ids)},
        "actors": dict(zip(p.actor_ids, p.actor_names)),
    }


def data_markdown(dd: dict) -> str:
    """The data dictionary as a readable Markdown page (data.md)."""
    out = [
        f"# Data dictionary: {dd['scenario_name']} ({dd['scenario']})",
        "",
        f"Month 0 is {dd['month_0']}; {dd['months']} months. {sentence_case(dd['month_note'])}.",
        "",
    ]
    for fname, spec in dd["files"].items():
        out += [f"## {fname}", "", f"Rows: {spec['rows']}.", "", "| column | unit | meaning |"]
        out.append("|---|---|---|")
        for col, d in spec["columns"].items():
            vals = d.get("values")
            extra = (
                ""
                if vals is None
                else f" Values: {vals if isinstance(vals, str) else ', '.join(vals)}."
            )
            out.append(f"| `{col}` | {d.get('unit', '')} | {d['description']}.{extra} |")
        out.append("")
    out += ["## Rungs (lowest first)", "", "| index | id | name |", "|---|---|---|"]
    out += [f"| {r['index']} | `{r['id']}` | {r['name']} |" for r in dd["rungs"]]
    out += ["", "## Thresholds", "", "| id | name | rung |", "|---|---|---|"]
    out += [f"| `{k}` | {v['name']} | `{v['rung']}` |" for k, v in dd["thresholds"].items()]
    out += ["", "## Outcomes", "", "| id | name | meaning |", "|---|---|---|"]
    out += [f"| `{k}` | {v['name']} | {v['description']} |" for k, v in dd["outcomes"].items()]
    out += ["", "## Actions", "", "| id | name |", "|---|---|"]
    out += [f"| `{k}` | {v} |" for k, v in dd["actions"].items()]
    return "\n".join(out) + "\n"
