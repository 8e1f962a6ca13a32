"""``pact explore``: many scenario keys varied at once (grid or Latin hypercube), with a
sensitivity ranking and a tornado plot."""

from __future__ import annotations

import json
import sys

from game.commands.common import ExamplesFormatter, UsageError, parse_sets


def register(sub) -> None:
    p = sub.add_parser(
        "explore",
        help="vary several scenario keys at once (grid or Latin hypercube) and rank their effects",
        description="Run the scenario as written (the baseline) and at every point of a design "
        "over several keys, every point with the same seed and runs (common random numbers). "
        "Writes experiments.csv (one row per point with its values and every share), results.csv (each point's "
        "outcome and threshold shares with 95% Wilson intervals and the paired difference "
        "against the baseline with Newcombe's interval), sensitivity.csv (each key's effect "
        "from LO to HI on each measure, ranked), explore.json and tornado.png. --runs is per point "
        "(default here 2,000).",
        epilog="example:\n  pact explore treaty-2024 --vary actors.PRK.doctrine.aggression=0.5:2 "
        "--vary actors.USA.doctrine.caution=0.5:2 --design lhs --points 8 --runs 2000",
        formatter_class=ExamplesFormatter,
    )
    p.add_argument("scenario", help="scenario file (TOML) or name")
    p.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="KEY=LO:HI",
        required=True,
        help="a key path and its range (repeatable); whole-number LO and HI vary it over whole "
        "numbers",
    )
    p.add_argument(
        "--design",
        choices=("grid", "lhs"),
        default="lhs",
        help="grid: --points values per key, every combination; lhs: --points points of a "
        "Latin hypercube (default)",
    )
    p.add_argument("--points", type=int, default=8, metavar="N", help="see --design (default 8)")
    from game.commands.batch import _common

    _common(p, runs=2000)
    p.set_defaults(func=cmd_explore)


def cmd_explore(args) -> int:
    from rich.table import Table

    from game.atomic import write_bytes, write_text
    from game.commands.batch import (
        _check,
        _console,
        _made_by,
        _out_dir,
        _pct,
        _print_short,
        _run,
        _spct,
        esc,
    )
    from game.montecarlo.explore import (
        SHOWN,
        ExploreError,
        experiments_csv,
        explore,
        parse_vary,
        plot_tornado,
        results_csv,
        sensitivity_csv,
    )
    from game.scenario import load_scenario
    from game.scenario.paths import find_scenario

    _check(args)
    try:
        varies = [parse_vary(v) for v in args.vary]
        sets = parse_sets(args.set)
        both = [v.key for v in varies if v.key in sets]
        if both:
            raise UsageError(f"{both[0]} is both varied and fixed with --set")
        path = find_scenario(args.scenario)
        console = _console()

        def run(sc, label):
            return _run(sc, args, console, label)

        doc = explore(
            path,
            varies,
            args.design,
            args.points,
            runs=args.runs,
            seed=args.seed,
            turns=args.turns,
            sets=sets,
            run=run,
        )
    except ExploreError as e:
        raise UsageError(str(e)) from None
    doc["first_run"] = args.first_run
    doc["made_by"] = _made_by(load_scenario(path, sets), sets)
    folder = _out_dir(args, f"explore-{doc['scenario']}")
    png = plot_tornado(doc) if not args.no_plots and doc["sensitivity"] else None
    from game.montecarlo.html import explore_report

    with folder as tmp:  # published in one step, as a batch's folder
        write_text(tmp / "explore.json", json.dumps(doc, indent=2) + "\n")
        write_text(tmp / "experiments.csv", experiments_csv(doc))
        write_text(tmp / "results.csv", results_csv(doc))
        write_text(tmp / "sensitivity.csv", sensitivity_csv(doc))
        if png:
            write_bytes(tmp / "tornado.png", png)
        write_text(tmp / "report.html", explore_report(doc, png))
        folder.publish()
    out = folder.out
    written = sorted(out.iterdir())
    if args.json or args.quiet:
        top = doc["ranking"][0] if doc["ranking"] else None
        rank = (
            f"largest effect: {top['key']} on {doc['measure_names'][top['measure']]} "
            f"{_spct(top['effect'])}; "
            if top
            else ""
        )
        line = (
            f"{doc['scenario']}: {len(doc['points'])}-point {doc['design']} design x "
            f"{doc['runs']:,} runs; {rank}wrote {out}"
        )
        _print_short(args, doc, line)
        if doc["fit_note"]:  # never dropped: the ranking above cannot be trusted
            print(f"Warning: {doc['fit_note']}.", file=sys.stderr if args.json else sys.stdout)
        return 130 if doc["interrupted"] else 0
    names = doc["measure_names"]
    # Thresholds crossed in the table (every measure is in results.csv).
    shown = [m for m in doc["shown"] if m.startswith("crossed:")]
    t = Table(
        title=f"{esc(doc['scenario_name'])}: {len(doc['points'])}-point {doc['design']} design, "
        f"{doc['runs']:,} runs per point: share of runs crossing each threshold (point - "
        "baseline, paired); the outcomes are in results.csv",
        title_justify="left",
    )
    t.add_column("point", justify="right")
    for k in doc["keys"]:
        t.add_column(esc(k["key"].split(".", 1)[-1]), justify="right")
    for m in shown:
        t.add_column(esc(names[m]), justify="right")
    t.add_row("base", *([""] * len(doc["keys"])), *(_pct(doc["baseline"][m]["p"]) for m in shown))
    for pt in doc["points"]:
        cells = []
        for m in shown:
            d = pt["measures"][m]
            star = "*" if d.get("significant") else ""
            cells.append(f"{_pct(d['p'])} ({_spct(d['diff'])}{star})")
        t.add_row(str(pt["point"]), *(f"{v:.3g}" for v in pt["values"].values()), *cells)
    console.print(t)
    if doc["ranking"]:
        r = Table(
            title=f"Sensitivity ranking (largest effect LO to HI over {SHOWN})",
            title_justify="left",
        )
        for col in ("rank", "key", "largest effect on", "effect", "95% CI"):
            r.add_column(col, justify="right" if col in ("rank", "effect", "95% CI") else "left")
        for i, row in enumerate(doc["ranking"], 1):
            e = doc["sensitivity"][row["measure"]]["effects"][row["key"]]
            ci = "-" if not e["ci95"] else f"{_spct(e['ci95'][0])} .. {_spct(e['ci95'][1])}"
            r.add_row(str(i), esc(row["key"]), esc(names[row["measure"]]), _spct(e["effect"]), ci)
        console.print(r)
    console.print(
        f"*: significant after Holm's adjustment ({doc['test_method']}). Effects: linear fit "
        "on the points, values scaled LO=0, HI=1."
    )
    if doc["fit_note"]:
        console.print(f"Warning: {doc['fit_note']}.", style="yellow", markup=False)
    if doc["interrupted"]:
        console.print(f"[yellow]Interrupted: {len(doc['points'])} points completed.[/yellow]")
    console.print(esc("Wrote " + ", ".join(str(p) for p in written)))
    return 130 if doc["interrupted"] else 0
