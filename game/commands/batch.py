"""``pact batch``, ``pact compare`` and ``pact sweep``: headless Monte Carlo from the command line."""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import json
import os
import signal
import sys
from pathlib import Path

from game import __version__
from game.commands.common import (
    ExamplesFormatter,
    UsageError,
    add_run_options,
    add_set_option,
    check_turns,
    parse_sets,
    path_arg,
)
from game.engine.outcome import AFTER_THE_RUNS, CROSSING_RULE
from game.scenario.paths import find_scenario
from game.text import counted, percent

MAX_RUNS_DEFAULT = 1_000_000  # the most runs a batch to --precision steps unless told


def _common(p: argparse.ArgumentParser, runs: int = 10_000, merges: bool = False) -> None:
    """The options every command that runs batches takes (``merges``: its folders join with
    'pact merge', as a batch's do)."""
    p.add_argument(
        "--runs", type=int, default=runs, metavar="N", help=f"number of runs (default {runs:,})"
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="W",
        help=f"worker processes (default: all {os.cpu_count()} cores); results do not depend on it",
    )
    p.add_argument(
        "--batch-size",
        type=int,
        default=None,
        metavar="B",
        help="runs stepped together in one batch (default: the runs cut evenly over the "
        "workers, at most 4,096 a chunk, as many as the processor's cache serves well and what "
        "the memory holds); results do not depend on it",
    )
    p.add_argument(
        "--out",
        type=path_arg,
        default=None,
        metavar="DIR",
        help="output folder (default: results/<scenario>-<time>)",
    )
    add_run_options(p)
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar and no tables: one line saying what ran and where it was written",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print the result document (the JSON file written) on stdout instead of tables",
    )
    p.add_argument(
        "--first-run",
        type=int,
        default=0,
        metavar="K",
        help="run indices K to K+N-1 instead of 0 to N-1: split one batch over machines "
        "(each with its own K) and join the folders with 'pact merge'"
        if merges
        else "run indices K to K+N-1 instead of 0 to N-1: other runs of the same batches, "
        "recorded in the JSON written (only batch folders join with 'pact merge')",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run the chunks on a Dask distributed cluster (e.g. tcp://host:8786; needs "
        "pip install 'pact[cluster]' here and on the workers); results equal a local run",
    )


def register(sub) -> None:
    p = sub.add_parser(
        "batch",
        help="run a Monte Carlo batch and write statistics, tables and plots",
        description="Run many games of a scenario (numpy batches over worker processes) and "
        "write summary.json (outcome and clause probabilities with 95% Wilson intervals, "
        "threshold crossings, moves chosen), runs.csv (one row per run, streamed as chunks "
        "finish), timeseries.parquet (one row per run and month), monthly.csv, a data "
        "dictionary (datadict.json, data.md), tally.json (totals, for pact merge), PNG plots and "
        "report.html, published as one folder. Ctrl-C stops at once and writes every chunk "
        "already finished. If a worker process dies, only its runs are lost: they are named, "
        "listed in summary.json, and the exit status is 3.",
    )
    p.add_argument("scenario", help="scenario file (TOML)")
    _common(p, merges=True)
    p.add_argument(
        "--no-timeseries",
        action="store_true",
        help="skip timeseries.parquet (per run and month: tension and rung of the rival pairs, "
        "moves chosen; about 50 bytes per run and month)",
    )
    p.add_argument(
        "--precision",
        default=None,
        metavar="X",
        help="run until every reported probability's 95%% half-width is within X: a share "
        "(0.005: half a percentage point, absolute) or a percentage (10%%: of each estimate, "
        "relative; probabilities no run reached are left out). Steps --runs runs, then more, "
        "checking after each chunk and stopping at the first that meets it (chunks grow as "
        "the runs do: it stops within about a quarter of the runs needed); the result is "
        "exactly 'pact batch --runs N' for the N it stopped at",
    )
    p.add_argument(
        "--max-runs",
        type=int,
        default=None,
        metavar="N",
        help=f"with --precision: stop at this many runs, even below --runs (default "
        f"{MAX_RUNS_DEFAULT:,})",
    )
    p.set_defaults(func=cmd_batch)

    c = sub.add_parser(
        "compare",
        help="compare two scenarios run for run (common random numbers)",
        description="Run two scenarios with the same seed and run indices (common random "
        "numbers) and report each outcome's and clause's difference in probability with a "
        "95% paired interval, e.g. the 2024 treaty against the 2000 wording.",
    )
    c.add_argument("a", help="first scenario file")
    c.add_argument("b", help="second scenario file")
    _common(c)
    c.set_defaults(func=cmd_compare)

    w = sub.add_parser(
        "sweep",
        help="run a batch for each value of one scenario key and plot the outcomes against it",
        description="Run one batch per value of a scenario key (the same seed and runs at "
        "every value: common random numbers) and report how outcome and threshold "
        "probabilities, with 95% Wilson intervals, move with it. Writes sweep.json, "
        "sweep.csv (one row per value and measure) and sweep.png. Each point equals "
        "'pact batch --set KEY=VALUE' with the same seed.",
        epilog="examples:\n"
        "  pact sweep scenarios/treaty-2024.toml "
        "treaties.rus_prk_2024.clauses.art4.credibility=0:1:6\n"
        "  pact sweep scenarios/treaty-2024.toml actors.PRK.doctrine.aggression=0.5,1,1.5,2 "
        "--runs 20000",
        formatter_class=ExamplesFormatter,
    )
    m = sub.add_parser(
        "merge",
        help="join the folders of one batch run in parts (--first-run) into one folder",
        description="Join batch folders that ran different runs of the same batch (the same "
        "scenario, --set values, seed and months; e.g. one per machine with its own --first-run) "
        "into the folder one batch of all their runs writes: runs.csv in run order, "
        "summary.json and plots from the parts' totals (tally.json), and timeseries.parquet "
        "joined in run order where every part has one (none ran with --no-timeseries).",
    )
    m.add_argument("scenario", help="the scenario file the parts ran (checked by its content)")
    m.add_argument("parts", nargs="+", metavar="DIR", help="batch folders to join")
    m.add_argument("--out", type=path_arg, required=True, metavar="DIR", help="output folder")
    add_set_option(m, "the --set values the parts ran with")
    m.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    m.set_defaults(func=cmd_merge)

    w.add_argument("scenario", help="scenario file (TOML)")
    w.add_argument(
        "sweep",
        metavar="KEY=VALUES",
        help="the key path to vary and its values: a list (0.2,0.5,0.8) or a range LO:HI:N "
        "(N evenly spaced values, both ends included)",
    )
    _common(w)
    w.set_defaults(func=cmd_sweep)


def _check(args) -> None:
    if args.runs < 1 or args.runs > 1_000_000_000:
        raise UsageError(f"--runs must be between 1 and 1,000,000,000, got {args.runs}")
    if args.workers is not None and not 1 <= args.workers <= 256:
        raise UsageError(f"--workers must be between 1 and 256, got {args.workers}")
    if args.batch_size is not None and not 1 <= args.batch_size <= 1_000_000:
        raise UsageError(f"--batch-size must be between 1 and 1,000,000, got {args.batch_size}")
    if not 0 <= args.first_run <= 2**62 - args.runs:
        raise UsageError(f"--first-run must be between 0 and 2**62 - runs, got {args.first_run}")
    check_turns(args.turns)


def _check_memory(args, params, kept_runs: int = 0, copies: int = 1) -> None:
    """Refuse a --batch-size (or, where rows are kept, --runs) that would not fit in memory."""
    from game.montecarlo.report import default_chunk
    from game.montecarlo.runner import chunk_cap, memory_problem

    workers = 1 if args.scheduler else min(args.workers or os.cpu_count() or 1, args.runs)
    chunk = args.batch_size
    if chunk is None:  # as the batch will choose it
        chunk = default_chunk(args.runs, workers, chunk_cap(params, workers))
    why = memory_problem(params, min(chunk, args.runs), workers, kept_runs, copies=copies)
    if why:
        raise UsageError(why)


@contextlib.contextmanager
def _executor(args):
    """The Dask cluster's executor for --scheduler, else None (local worker processes)."""
    if not args.scheduler:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            "--scheduler needs Dask: pip install 'pact[cluster]' (dask and distributed)"
        ) from None
    try:
        client = Client(args.scheduler, timeout=30)
    except (OSError, TimeoutError, ValueError) as e:
        raise UsageError(f"--scheduler {args.scheduler}: cannot connect ({e})") from None
    try:
        args.workers = args.workers or max(1, sum(client.nthreads().values()))
        yield client.get_executor()
    finally:
        client.close()


def _out_dir(args, name: str):
    """The results folder: --out (a folder of Pact results, an empty one or none), else a new
    folder results/<name>-<time> (-2, -3, ... if taken: two batches never share one)."""
    from game.montecarlo.folder import FolderError, ResultsFolder, check_destination

    if not args.out:
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        return ResultsFolder(Path("results") / f"{name}-{stamp}", unique=True)
    try:
        check_destination(Path(args.out))
    except FolderError as e:
        raise UsageError(f"--out {e}") from None
    return ResultsFolder(args.out)


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def _run(
    sc,
    args,
    console,
    label: str,
    executor=None,
    sinks=(),
    keep_rows=True,
    timeseries=None,
    stop_when=None,
    least=None,
):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from game.montecarlo.runner import simulate

    def go(progress=None):
        return simulate(
            sc,
            runs=args.runs,
            seed=args.seed,
            workers=args.workers,
            turns=args.turns,
            chunk=args.batch_size,
            progress=progress,
            executor=executor,
            first_run=args.first_run,
            sinks=sinks,
            keep_rows=keep_rows,
            timeseries=timeseries,
            stop_when=stop_when,
            least=least,
        )

    if args.quiet or args.json:
        return go()
    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("runs"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as prog:
        # A batch that stops once its target is met does not know its runs: no total (the bar
        # pulses, the count goes on), rather than a total of --max-runs it will not reach.
        task = prog.add_task(label, total=None if least is not None else args.runs)
        return go(lambda k: prog.advance(task, k))


def esc(text) -> str:
    """Text from a scenario, shown as written: rich markup ('[/]', '[draft]') escaped."""
    from rich.markup import escape

    return escape(str(text))


_pct = percent  # a share as a percentage (game.text)


def _spct(x: float) -> str:
    """A signed difference of shares, with more digits for small ones."""
    if abs(x) < 5e-5:
        return "0.0%"
    return f"{x:+.2%}" if abs(x) < 0.01 else f"{x:+.1%}"


def _console():
    """Wide enough for the tables when the output is a file or a pipe."""
    from game.commands.common import console

    return console() if sys.stdout.isatty() else console(width=120)


def print_summary(console, s: dict) -> None:
    from rich.table import Table

    t = Table(
        title=f"{esc(s['scenario_name'])} - {s['runs']:,} runs, {s['turns']} months, "
        f"seed {s['seed']}",
        title_justify="left",
    )
    t.add_column("Outcome")
    t.add_column("Runs", justify="right")
    t.add_column("p", justify="right")
    t.add_column("95% CI (Wilson)", justify="right")
    for d in s["outcomes"].values():
        lo, hi = d["ci95"]
        t.add_row(esc(d["name"]), f"{d['count']:,}", _pct(d["p"]), f"{_pct(lo)} - {_pct(hi)}")
    console.print(t)
    t = Table(title=f"Thresholds crossed ({CROSSING_RULE})", title_justify="left")
    for col in ("Threshold", "Rung", "p", "95% CI", "Median month"):
        t.add_column(col, justify="right" if col != "Threshold" else "left")
    for d in s["thresholds"].values():
        lo, hi = d["ci95"]
        t.add_row(
            esc(d["name"]),
            esc(d["rung"]),
            _pct(d["p"]),
            f"{_pct(lo)} - {_pct(hi)}",
            d["median_date"] or "-",
        )
    console.print(t)
    if s.get("where"):
        t = Table(
            title="Where it happened (share of runs; a run may count in both)", title_justify="left"
        )
        for col in ("Threshold", "Region", "p", "95% CI"):
            t.add_column(col, justify="right" if col in ("p", "95% CI") else "left")
        for d in s["where"].values():
            for r in d["regions"].values():
                lo, hi = r["ci95"]
                t.add_row(d["name"], r["name"], _pct(r["p"]), f"{_pct(lo)} - {_pct(hi)}")
        console.print(t)
    t = Table(title="Treaty clauses invoked (share of runs)", title_justify="left")
    for col in ("Clause", "Article", "p", "95% CI", "Mean times"):
        t.add_column(col, justify="right" if col not in ("Clause", "Article") else "left")
    for key, d in s["clauses"].items():
        lo, hi = d["ci95"]
        t.add_row(
            esc(key),
            esc(d["article"]),
            _pct(d["p"]),
            f"{_pct(lo)} - {_pct(hi)}",
            f"{d['mean_invocations']:.2f}",
        )
    console.print(t)
    print_dilemmas(console, s)
    if s.get("uncertain"):
        t = Table(
            title="Uncertain numbers (each run draws its own: the draw:* columns of runs.csv)",
            title_justify="left",
        )
        t.add_column("Scenario key")
        t.add_column("Distribution")
        for key, d in s["uncertain"].items():
            t.add_row(esc(key), esc(d["described"]))
        console.print(t)
    print_questions(console, s)


def print_dilemmas(console, s: dict) -> None:
    """Each dilemma's options: the share of the runs that answered it taking each."""
    from rich.table import Table

    if not s.get("dilemmas"):
        return
    t = Table(
        title="Dilemmas (share of the runs that answered each taking each option; Answered: runs)",
        title_justify="left",
    )
    for col in ("Dilemma", "Chooser", "Answered", "Option", "p", "95% CI (Wilson)"):
        t.add_column(col, justify="left" if col in ("Dilemma", "Chooser", "Option") else "right")
    for d in s["dilemmas"].values():
        for k, o in enumerate(d["options"].values()):
            lo, hi = o["ci95"]
            t.add_row(
                esc(d["name"]) if k == 0 else "",
                d["actor"] if k == 0 else "",
                f"{d['answered']['count']:,}" if k == 0 else "",
                esc(o["label"]),
                _pct(o["p"]),
                f"{_pct(lo)} - {_pct(hi)}",
            )
    console.print(t)


def print_questions(console, s: dict) -> None:
    """The scenario's forecast questions: share of runs resolved yes by each date."""
    from rich.table import Table

    if not s.get("questions"):
        return
    t = Table(
        title="Questions (share of runs in which each holds by its date)", title_justify="left"
    )
    for col in ("Question", "By", "p", "95% CI (Wilson)", "Half-way"):
        t.add_column(col, justify="left" if col == "Question" else "right")
    for d in s["questions"].values():
        lo, hi = d["ci95"]
        mid = d.get("half_way")
        half = f"{_pct(mid['p'])} by {mid['date']}" if mid else "-"
        by = d["by"] + (f" ({AFTER_THE_RUNS})" if d["horizon_short"] else "")
        t.add_row(d["name"], by, _pct(d["p"]), f"{_pct(lo)} - {_pct(hi)}", half)
    console.print(t)


def cmd_batch(args) -> int:
    from game.montecarlo.precision import check
    from game.montecarlo.report import finish_folder, shares
    from game.montecarlo.sinks import folder_sinks, provenance
    from game.montecarlo.timeseries import FILE as TIMESERIES_FILE
    from game.scenario import load_scenario

    _check(args)
    signal.signal(signal.SIGTERM, _terminate)  # end as Ctrl-C would: workers, staging folder
    console = _console()
    sets = parse_sets(args.set)
    sc = load_scenario(find_scenario(args.scenario), sets)
    target = _precision_target(args)
    stop_when, least = None, None
    if target is not None:
        # One streamed batch up to --max-runs, stopped after the first chunk (from --runs on,
        # or the cap where it is lower) at which every interval meets the target: the runs of
        # 'pact batch --runs N'. Past --runs, the chunks grow with the runs stepped
        # (runner.chunk_spans), so the batch stops near the runs the target needs.
        least = min(args.runs, args.max_runs)
        args.runs = args.max_runs

        def stop_when(tally):
            return tally.n >= least and check(shares(sc.params, tally), target)["met"]

    _check_memory(args, sc.params)
    folder = _out_dir(args, sc.id)
    try:
        with _executor(args) as executor, folder as tmp:
            sinks = folder_sinks(tmp, sc.params, args.seed)
            ts_path = None if args.no_timeseries else tmp / TIMESERIES_FILE
            res = _run(
                sc,
                args,
                console,
                sc.id,
                executor,
                sinks,
                keep_rows=False,
                timeseries=ts_path,
                stop_when=stop_when,
                least=least,
            )
            if res.n == 0:
                console.print("[red]Interrupted before any run completed; nothing written.[/red]")
                return 130
            res.extra["provenance"] = provenance(sc, __version__, sets)
            if target is not None:
                reached = check(shares(sc.params, res.tally), target)
                res.extra["precision"] = {**reached, "describe": target.describe()}
            finish_folder(res, tmp, plots=not args.no_plots)
            folder.publish()
    except KeyboardInterrupt:  # again, or while writing: the folder is the old one or none
        console.print(
            "[red]Interrupted while writing the results: nothing written"
            + (f"; {args.out} is as it was.[/red]" if args.out else ".[/red]")
        )
        return 130
    out = folder.out
    s = res.summary()
    if args.json or args.quiet:
        top = max(s["outcomes"].values(), key=lambda d: d["p"])
        stop = " (interrupted)" if res.interrupted else ""
        stop += f" on cluster {args.scheduler}" if args.scheduler else ""
        line = (
            f"{sc.id}: {res.n:,} runs{stop}, {res.turns} months, seed {res.seed}; most runs: "
            f"{top['name']} {_pct(top['p'])}; wrote {out}"
        )
        _print_short(args, s, line)
        # Never dropped: the batch is not whole, or not as precise as asked.
        for text in [*_missing_lines(res), _precision_shortfall(s)]:
            if text:
                print(text, file=sys.stderr if args.json else sys.stdout)
        return 130 if res.interrupted else (3 if res.missing else 0)
    print_summary(console, s)
    rate = res.n / res.seconds if res.seconds else float("nan")
    where = f"cluster {args.scheduler}" if args.scheduler else counted(res.workers, "worker")
    console.print(f"{res.n:,} runs in {res.seconds:.1f} s ({rate:,.0f} runs/s, {where})")
    for text in _missing_lines(res):
        console.print(text, style="yellow", markup=False)
    if res.interrupted:
        console.print(
            f"[yellow]Interrupted: wrote the {res.n:,} runs completed of {res.requested:,}.[/yellow]"
        )
    _print_precision(console, s)
    console.print("Wrote " + esc(", ".join(str(p) for p in sorted(out.iterdir()))))
    return 130 if res.interrupted else (3 if res.missing else 0)


def _made_by(scenario, sets: dict) -> dict:
    """How a result was made (Pact's version, the scenario's files and content hash, the
    overrides, the command line): summary.json's ``made_by``, for the other commands' JSON."""
    from game.montecarlo.sinks import provenance

    return provenance(scenario, __version__, sets)


def _missing_lines(res) -> list[str]:
    """What to say about the chunks whose worker died."""
    return [
        f"Runs {start:,}-{stop - 1:,} are missing: {why}. Run them again with "
        f"--first-run {start} --runs {stop - start} and join with 'pact merge'."
        for start, stop, why in res.missing
    ]


def _precision_shortfall(s: dict) -> str | None:
    """What to say when a batch run to --precision stopped at its cap short of it."""
    pr = s.get("precision")
    w = pr and not pr["met"] and pr["worst"]
    if not w:
        return None
    return (
        f"Precision not met at {s['runs']:,} runs (the cap): {w['group']} {w['id']} "
        f"is {_pct(w['p'])} +/-{w['half'] * 100:.2g} points; about "
        f"{pr['runs_needed']:,} runs would meet {pr['describe']}."
    )


def _print_precision(console, s: dict) -> None:
    pr = s.get("precision")
    if pr and pr["met"]:
        console.print(
            f"Precision: every reported probability within {pr['describe']} after {s['runs']:,} "
            "runs."
        )
    short = _precision_shortfall(s)
    if short:
        console.print(short, style="yellow", markup=False)


def _precision_target(args):
    if getattr(args, "precision", None) is None:
        if getattr(args, "max_runs", None) is not None:
            raise UsageError("--max-runs caps a batch run to --precision: give --precision too")
        return None
    from game.montecarlo.precision import parse_target

    if args.max_runs is None:
        args.max_runs = MAX_RUNS_DEFAULT
    if not 1 <= args.max_runs <= 50_000_000:
        raise UsageError(f"--max-runs must be between 1 and 50,000,000, got {args.max_runs}")
    try:
        return parse_target(args.precision)
    except ValueError as e:
        raise UsageError(str(e)) from None


def _print_short(args, doc: dict, line: str) -> None:
    """--json: the document on stdout; --quiet: one line."""
    if args.json:
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        print(line)


def cmd_compare(args) -> int:
    from rich.table import Table

    from game.atomic import write_bytes, write_text
    from game.montecarlo.report import compare, plot_compare
    from game.scenario import load_scenario

    _check(args)
    console = _console()
    sets = parse_sets(args.set)
    a = load_scenario(find_scenario(args.a), sets)
    b = load_scenario(find_scenario(args.b), sets)
    _check_memory(args, a.params, kept_runs=args.runs, copies=2)
    folder = _out_dir(args, f"compare-{a.id}-vs-{b.id}")
    with _executor(args) as executor:
        ra = _run(a, args, console, a.id, executor)
        if ra.interrupted:
            console.print("[yellow]Interrupted: nothing written.[/yellow]")
            return 130
        rb = _run(b, args, console, b.id, executor)
    if rb.interrupted:
        console.print("[yellow]Interrupted: nothing written.[/yellow]")
        return 130
    cmp = compare(ra, rb)
    cmp["first_run"] = args.first_run
    cmp["made_by"] = {"a": _made_by(a, sets), "b": _made_by(b, sets)}
    from game.montecarlo.html import compare_report

    png = None if args.no_plots else plot_compare(cmp)
    with folder as tmp:  # one step: the old compare.json, .png and report.html, or the new ones
        write_text(tmp / "compare.json", json.dumps(cmp, indent=2) + "\n")
        if png:
            write_bytes(tmp / "compare.png", png)
        write_text(tmp / "report.html", compare_report(cmp, png))
        folder.publish()
    out = folder.out
    if args.json or args.quiet:
        rows = [d for t in ("outcomes", "clauses") for d in cmp[t].values() if "significant" in d]
        sig = sum(d["significant"] for d in rows)
        line = (
            f"{a.id} vs {b.id}: {cmp['runs']:,} paired runs; {sig} of {len(rows)} differences "
            f"significant after Holm's adjustment; wrote {out}"
        )
        _print_short(args, cmp, line)
        return 0
    unseen = []  # clauses both scenarios have and neither invoked: tested, not shown
    for title, key in (("Outcomes", "outcomes"), ("Clauses invoked (share of runs)", "clauses")):
        t = Table(
            title=f"{title}: {a.id} (A) vs {b.id} (B), {cmp['runs']:,} paired runs",
            title_justify="left",
        )
        for col in ("", "A", "B", "A - B", "95% CI (paired)"):
            t.add_column(col, justify="left" if not col else "right")
        for k, d in cmp[key].items():
            if key == "clauses" and d["diff"] is not None and not (d["p_a"] or d["p_b"]):
                # Invoked in neither: left out, as in the plot (a clause only one scenario
                # has is shown even where never invoked), and named under the table.
                unseen.append(k)
                continue
            if d["diff"] is None:
                where = d["only_in"].upper()
                t.add_row(
                    esc(d.get("name", k)),
                    "-" if d["p_a"] is None else _pct(d["p_a"]),
                    "-" if d["p_b"] is None else _pct(d["p_b"]),
                    f"only in {where}",
                    "-",
                )
                continue
            lo, hi = d["ci95"]
            mark = " *" if d.get("significant") else ""
            t.add_row(
                esc(d.get("name", k)),
                _pct(d["p_a"]),
                _pct(d["p_b"]),
                f"{_spct(d['diff'])}{mark}",
                f"{_spct(lo)} .. {_spct(hi)}",
            )
        console.print(t)
    _print_compare_commitments(console, cmp, a.id, b.id)
    tested = sum(
        1 for key in ("outcomes", "clauses") for d in cmp[key].values() if "significant" in d
    )
    console.print(
        f"* significant after Holm's adjustment for {tested} comparisons (exact McNemar tests, "
        f"family-wise 5%)"
        + (
            f", {len(unseen)} of them of clauses invoked in neither, not shown above "
            f"({', '.join(unseen)})"
            if unseen
            else ""
        )
        + f". Intervals: {cmp['interval_method']}. {cmp['interval_note']}."
    )
    console.print(
        esc(
            f"Wrote {out / 'compare.json'}"
            + ("" if args.no_plots else f", {out / 'compare.png'}")
            + f", {out / 'report.html'}"
        )
    )
    sys.stdout.flush()
    return 0


def _print_paired_means(console, title: str, table: dict, fmt: str) -> None:
    """Rows of a paired table of means whose interval excludes zero, largest difference first."""
    from rich.table import Table

    t = Table(
        title=f"{title}; pairs that differ after Holm's adjustment for {len(table)} comparisons",
        title_justify="left",
    )
    for col in ("", "A", "B", "A - B", "95% CI (paired)"):
        t.add_column(col, justify="left" if not col else "right")
    rows = [(k, d) for k, d in table.items() if d.get("significant")]
    for k, d in sorted(rows, key=lambda kd: -abs(kd[1]["diff"])):
        lo, hi = d["ci95"]
        t.add_row(
            k,
            format(d["mean_a"], fmt),
            format(d["mean_b"], fmt),
            f"{d['diff']:+.2f}",
            f"{lo:+.2f} .. {hi:+.2f}",
        )
    console.print(t)


def _print_compare_commitments(console, cmp: dict, a_id: str, b_id: str) -> None:
    """Hostile moves per run that differ, and commitments' credibility, A against B."""
    from rich.table import Table

    _print_paired_means(
        console,
        f"Hostile moves per run, mover > target: {a_id} (A) vs {b_id} (B)",
        cmp["hostile_moves"],
        ".2f",
    )
    _print_paired_means(
        console, f"Tension at the end: {a_id} (A) vs {b_id} (B)", cmp["tension"], ".1f"
    )
    t = Table(
        title="Commitments: credibility at the end (mean) and share of runs in which each was "
        "weighed (triggered and decided)",
        title_justify="left",
    )
    for col in ("", "cred. A", "cred. B", "A - B (95% CI)", "weighed A", "weighed B"):
        t.add_column(col, justify="left" if not col else "right")

    def f(x, pct=True):
        return "-" if x is None else (_pct(x) if pct else f"{x:.2f}")

    for k, d in cmp["commitments"].items():
        diff = "-"
        if "credibility_diff" in d:
            lo, hi = d["ci95"]
            diff = f"{d['credibility_diff']:+.3f} ({lo:+.3f} .. {hi:+.3f})"
        t.add_row(
            k,
            f(d["credibility_a"], False),
            f(d["credibility_b"], False),
            diff,
            f(d["weighed_a"]),
            f(d["weighed_b"]),
        )
    console.print(t)


def _pm(d: dict) -> str:
    """A share with its interval, in percent: "2.0% (0.6-5.1)" (a Wilson interval is not
    symmetric, and a half-width would put a rare share's low end below 0)."""
    lo, hi = (100 * x for x in d["ci95"])
    # The share and its interval to one precision: the share's (game.text.percent), or two
    # decimals where the interval ends below 1%.
    digits = max(len(_pct(d["p"]).rstrip("%").partition(".")[2]), 2 if hi < 1 else 1)
    return f"{100 * d['p']:.{digits}f}% ({lo:.{digits}f}\u2013{hi:.{digits}f})"


def cmd_sweep(args) -> int:
    from rich.table import Table

    from game.atomic import write_bytes, write_text
    from game.montecarlo.sweep import (
        SweepValuesError,
        load_points,
        parse_values,
        plot_sweep,
        sweep_csv,
        sweep_doc,
    )

    _check(args)
    key, sep, text = args.sweep.partition("=")
    key = key.strip()
    if not sep or not key:
        raise UsageError(
            f"expected KEY=VALUES, e.g. actors.PRK.doctrine.aggression=0.5:2:4, got '{args.sweep}'"
        )
    try:
        values = parse_values(text)
    except SweepValuesError as e:
        raise UsageError(f"{key}: {e}") from None
    sets = parse_sets(args.set)
    if key in sets:
        raise UsageError(f"{key} is both swept and fixed with --set")
    scenarios = load_points(
        find_scenario(args.scenario), key, values, sets
    )  # all validated before any run
    console = _console()
    short = key.rsplit(".", 1)[-1]
    _check_memory(args, scenarios[0].params)
    folder = _out_dir(args, f"sweep-{scenarios[0].id}-{short}")
    results = []
    interrupted = False
    with _executor(args) as executor:
        for v, sc in zip(values, scenarios):
            res = _run(sc, args, console, f"{short}={v}", executor, keep_rows=False)
            if res.interrupted:
                interrupted = True
                break
            results.append(res)
    if not results:
        console.print("[yellow]Interrupted before a value was complete: nothing written.[/yellow]")
        return 130
    doc = sweep_doc(key, values, results)
    doc["first_run"] = args.first_run
    doc["made_by"] = _made_by(scenarios[0], sets)
    params = results[0].params
    armed = params.thresholds["armed_clash"]
    shown = tuple(n for n, lvl in params.thresholds.items() if lvl >= armed)
    with folder as tmp:  # one step: the old sweep's files or the new ones
        write_text(tmp / "sweep.json", json.dumps(doc, indent=2) + "\n")
        write_text(tmp / "sweep.csv", sweep_csv(doc))
        if not args.no_plots:
            write_bytes(tmp / "sweep.png", plot_sweep(doc, shown))
        folder.publish()
    out = folder.out
    written = sorted(out.iterdir())
    pts = doc["points"]
    if args.json or args.quiet:
        stop = " (interrupted)" if interrupted else ""
        line = (
            f"{doc['scenario']}: sweep of {key}, {len(pts)} values{stop} x {doc['runs']:,} runs; "
            f"wrote {out}"
        )
        _print_short(args, doc, line)
        return 130 if interrupted else 0
    console.print(
        f"[bold]{esc(doc['scenario_name'])}[/bold]: sweep of {esc(key)}, "
        f"{doc['runs']:,} runs per value "
        f"({doc['turns']} months, seed {doc['seed']}, the same runs at every value)"
    )
    outcome_ids = [o for o in pts[0]["outcomes"] if any(pt["outcomes"][o]["p"] for pt in pts)]
    for title, table, ids in (
        ("Outcomes", "outcomes", outcome_ids),
        ("Thresholds crossed", "thresholds", list(shown)),
    ):
        t = Table(title=title, title_justify="left")
        t.add_column(esc(short), justify="right")
        for i in ids:
            t.add_column(esc(pts[0][table][i].get("name", i.replace("_", " "))), justify="right")
        for pt in pts:
            t.add_row(str(pt["value"]), *(_pm(pt[table][i]) for i in ids))
        console.print(t)
    console.print("(low\u2013high): the 95% Wilson interval, in percent.")
    if interrupted:
        console.print(
            f"[yellow]Interrupted: wrote the {len(pts)} of {len(values)} values completed.[/yellow]"
        )
    console.print("Wrote " + esc(", ".join(str(p) for p in written)))
    return 130 if interrupted else 0


def cmd_merge(args) -> int:
    from game.montecarlo.folder import FolderError, ResultsFolder, check_destination
    from game.montecarlo.merge import MergeError, merge_folders
    from game.montecarlo.sinks import provenance
    from game.scenario import load_scenario

    sets = parse_sets(args.set)
    sc = load_scenario(find_scenario(args.scenario), sets)
    out = Path(args.out)
    parts = [Path(p) for p in args.parts]
    try:
        check_destination(out)
    except FolderError as e:
        raise UsageError(f"--out {e}") from None
    if any(p.resolve() == out.resolve() for p in parts if p.exists()):
        raise UsageError(f"--out {out}: is one of the folders to join")
    console = _console()
    folder = ResultsFolder(out)
    try:
        with folder as tmp:
            res = merge_folders(
                sc, parts, tmp, not args.no_plots, provenance(sc, __version__, sets)
            )
            folder.publish()
    except MergeError as e:
        raise UsageError(str(e)) from None
    print_summary(console, res.summary())
    gaps = res.summary()["missing_runs"]
    if gaps:
        shown = ", ".join(f"{a:,}-{b - 1:,}" for a, b in gaps[:5])
        console.print(f"[yellow]Runs missing from the parts: {shown}.[/yellow]")
    console.print("Wrote " + esc(", ".join(str(p) for p in sorted(out.iterdir()))))
    return 0
