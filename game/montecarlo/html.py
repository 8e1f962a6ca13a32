"""One self-contained report.html per batch, compare or explore: the tables and the plots
(embedded as base64 PNG), readable in any browser without the other files."""

from __future__ import annotations

import base64
import html
from datetime import UTC, datetime

from game.engine.outcome import AFTER_THE_RUNS, CROSSING_RULE
from game.text import percent

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222;
       line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.8em;
border-bottom: 1px solid #ddd; }
.meta { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.88em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #eee; text-align: right; }
th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0; }
.note { color: #555; font-size: 0.85em; }
.warn { color: #a04000; font-size: 0.9em; }
.wide { overflow-x: auto; }
"""


def esc(x) -> str:
    return html.escape(str(x))


def img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{esc(alt)}" src="data:image/png;base64,{data}">'


def table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
        "</table></div>"
    )


def page(title: str, meta: str, sections: list[tuple[str, str]]) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta">{esc(meta)} &middot; written {stamp}</p>',
    ]
    for heading, content in sections:
        parts.append(f"<h2>{esc(heading)}</h2>{content}")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def pct(x) -> str:
    return "-" if x is None else percent(x)


def spct(x) -> str:
    if x is None:
        return "-"
    return f"{x * 100:+.2f} pp"


def ci(d: dict, key: str = "ci95", fmt=pct) -> str:
    v = d.get(key)
    return "-" if not v else f"{fmt(v[0])} to {fmt(v[1])}"


def batch_report(s: dict, plots: dict[str, bytes]) -> str:
    """A batch: outcomes, thresholds, questions, clauses and every plot."""
    secs = [
        (
            "Outcomes",
            table(
                ["Outcome", "Runs", "Share", "95% interval (Wilson)"],
                [
                    [d["name"], f"{d['count']:,}", pct(d["p"]), ci(d)]
                    for d in s["outcomes"].values()
                ],
            )
            + (img(plots["outcomes.png"], "outcomes") if "outcomes.png" in plots else ""),
        ),
        (
            f"Thresholds crossed ({CROSSING_RULE})",
            table(
                ["Threshold", "Rung", "Share", "95% interval", "Median month"],
                [
                    [d["name"], d["rung"], pct(d["p"]), ci(d), d["median_date"] or "-"]
                    for d in s["thresholds"].values()
                ],
            )
            + (img(plots["escalation.png"], "escalation") if "escalation.png" in plots else ""),
        ),
    ]
    if s.get("where"):
        secs.append(
            (
                "Where it happened (share of runs; a run may count in both)",
                table(
                    ["Threshold", "Region", "Share", "95% interval"],
                    [
                        [d["name"], r["name"], pct(r["p"]), ci(r)]
                        for d in s["where"].values()
                        for r in d["regions"].values()
                    ],
                ),
            )
        )
    if s.get("questions"):
        secs.append(
            (
                "Forecast questions",
                table(
                    ["Question", "By", "Share resolved yes", "95% interval", "Half-way"],
                    [
                        [
                            d["name"],
                            d["by"] + (f" ({AFTER_THE_RUNS})" if d["horizon_short"] else ""),
                            pct(d["p"]),
                            ci(d),
                            f"{pct(h['p'])} by {h['date']}" if (h := d.get("half_way")) else "-",
                        ]
                        for d in s["questions"].values()
                    ],
                )
                + (img(plots["questions.png"], "questions") if "questions.png" in plots else ""),
            )
        )
    secs.append(
        (
            "Treaty clauses invoked",
            table(
                ["Clause", "Article", "Share of runs", "95% interval", "Mean times"],
                [
                    [k, d["article"], pct(d["p"]), ci(d), f"{d['mean_invocations']:.2f}"]
                    for k, d in s["clauses"].items()
                ],
            )
            + (img(plots["clauses.png"], "clauses") if "clauses.png" in plots else ""),
        )
    )
    if s.get("dilemmas"):
        secs.append(
            (
                "Dilemmas (share of the runs that answered each taking each option)",
                table(
                    ["Dilemma", "Chooser", "Runs answered", "Option", "Share", "95% interval"],
                    [
                        [
                            d["name"] if k == 0 else "",
                            d["actor"] if k == 0 else "",
                            f"{d['answered']['count']:,}" if k == 0 else "",
                            o["label"],
                            pct(o["p"]),
                            ci(o),
                        ]
                        for d in s["dilemmas"].values()
                        for k, o in enumerate(d["options"].values())
                    ],
                ),
            )
        )
    if s.get("uncertain"):
        secs.append(
            (
                "Uncertain numbers (each run draws its own; see the draw:* columns of runs.csv)",
                table(
                    ["Scenario key", "Distribution"],
                    [[k, d["described"]] for k, d in s["uncertain"].items()],
                ),
            )
        )
    if "convergence.png" in plots:
        secs.append(("Precision", img(plots["convergence.png"], "convergence")))
    meta = f"{s['runs']:,} runs, {s['turns']} months from {s['start']}, seed {s['seed']}"
    if s.get("interrupted"):
        meta += f" (interrupted: {s['runs']:,} of {s['requested_runs']:,})"
    return page(f"{s['scenario_name']} ({s['scenario']})", meta, secs)


def compare_report(cmp: dict, png: bytes | None) -> str:
    """A comparison: outcome and clause differences with their marks, and the plot."""

    def rows(key):
        out = []
        for k, d in cmp[key].items():
            if d["diff"] is None:
                out.append(
                    [
                        d.get("name", k),
                        pct(d["p_a"]),
                        pct(d["p_b"]),
                        f"only in {d['only_in'].upper()}",
                        "-",
                        "-",
                    ]
                )
                continue
            mark = " *" if d.get("significant") else ""
            out.append(
                [
                    d.get("name", k),
                    pct(d["p_a"]),
                    pct(d["p_b"]),
                    spct(d["diff"]) + mark,
                    ci(d, fmt=spct),
                    f"{d['p_value']:.3g}",
                ]
            )
        return out

    heads = ["", "A", "B", "A - B", "95% interval (paired)", "p (McNemar)"]
    note = (
        f'<p class="note">* significant after Holm\'s adjustment ({esc(cmp["test_method"])}). '
        f"Intervals: {esc(cmp['interval_method'])}. {esc(cmp.get('interval_note', ''))}.</p>"
    )
    secs = [
        ("Outcomes", table(heads, rows("outcomes")) + note),
        ("Treaty clauses invoked", table(heads, rows("clauses")) + note),
    ]
    if png:
        secs.append(("Differences", img(png, "compare")))
    return page(
        f"{cmp['a']} (A) against {cmp['b']} (B)",
        f"{cmp['runs']:,} paired runs (common random numbers), {cmp['turns']} months, seed {cmp['seed']}",
        secs,
    )


def explore_report(doc: dict, png: bytes | None) -> str:
    """An experiment design: the experiments table with the shares, the ranking, the tornado."""
    names = doc["measure_names"]
    keys = [k["key"] for k in doc["keys"]]
    shown = doc["shown"]
    rows = [["baseline", *([""] * len(keys)), *(pct(doc["baseline"][m]["p"]) for m in shown)]]
    for pt in doc["points"]:
        cells = []
        for m in shown:
            d = pt["measures"][m]
            star = " *" if d.get("significant") else ""
            cells.append(f"{pct(d['p'])} ({spct(d['diff'])}{star})")
        rows.append([pt["point"], *(f"{pt['values'][k]:.4g}" for k in keys), *cells])
    secs = [
        (
            "Keys varied",
            table(["Key", "LO", "HI"], [[k["key"], k["lo"], k["hi"]] for k in doc["keys"]]),
        ),
        (
            "Experiments and outcomes",
            table(["Point", *(k.split(".", 1)[-1] for k in keys), *(names[m] for m in shown)], rows)
            + '<p class="note">Share of runs (difference from the baseline, paired, in '
            "percentage points). Every point runs the baseline's seed and runs. * significant "
            f"after Holm's adjustment ({esc(doc['test_method'])}).</p>",
        ),
    ]
    if doc["ranking"]:
        rk = []
        for i, row in enumerate(doc["ranking"], 1):
            e = doc["sensitivity"][row["measure"]]["effects"][row["key"]]
            rk.append([i, row["key"], names[row["measure"]], spct(e["effect"]), ci(e, fmt=spct)])
        secs.append(
            (
                "Sensitivity ranking",
                table(["Rank", "Key", "Largest effect on", "Effect LO to HI", "95% interval"], rk)
                + f'<p class="note">{esc(doc["sensitivity_method"])}.</p>'
                + (f'<p class="warn">{esc(doc["fit_note"])}.</p>' if doc.get("fit_note") else ""),
            )
        )
    if png:
        secs.append(("Tornado plot", img(png, "tornado")))
    return page(
        f"{doc['scenario_name']}: {len(doc['points'])}-point {doc['design']} design",
        f"{doc['runs']:,} runs per point, {doc['turns']} months, seed {doc['seed']}",
        secs,
    )
