"""Scenario authoring commands: ``pact validate``, ``new``, ``schema``, ``dry-run``, ``show``,
``scenarios``.

Problems in scenario files are printed as ``FILE:LINE: key.path: message``; bad input of any
kind ends with one line and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import sys
from pathlib import Path

from game.atomic import write_text
from game.commands.common import (
    UsageError,
    add_run_options,
    add_set_option,
    check_turns,
    parse_sets,
    path_arg,
)
from game.scenario.paths import find_scenario, scenario_folder
from game.text import counted

MAX_SHOWN = 200  # problems printed per file; the rest are counted
DEFAULT_RUNS = 200


def register(sub) -> None:
    v = sub.add_parser(
        "validate",
        help="check scenario files and print every problem with its file and line",
        description="Check scenario files: TOML syntax, types and ranges of every key, "
        "references between tables (actors, rungs, treaties, events, actions), dates and "
        "conditions. Every problem is printed as FILE:LINE: key.path: message. Warnings "
        "(legal but suspicious: an event that can never fire, a treaty that never binds, an "
        "unreachable rung...) are printed too but do not fail. Exit status 0 when every file "
        "is valid, 2 when one is not.",
    )
    v.add_argument(
        "files", nargs="+", metavar="FILE", help="scenario files (TOML), or scenarios' names"
    )
    v.add_argument("-q", "--quiet", action="store_true", help="print problems only, no summary")
    v.add_argument("--no-warnings", action="store_true", help="do not print warnings")
    add_set_option(
        v,
        "check each file as run and batch read it with these overrides (repeatable): "
        "every problem they bring, where run and batch name the first",
    )
    v.set_defaults(func=cmd_validate)

    n = sub.add_parser(
        "new",
        help="write a commented starter scenario (or a variant of an existing one)",
        description="Write NAME.toml: a small, complete, valid scenario with comments "
        "explaining every table, to change one thing at a time. With --from, write a variant "
        "that extends the given scenario, with commented examples of changes. An existing "
        "file is never overwritten.",
    )
    n.add_argument(
        "name", metavar="NAME", help="file to write: NAME.toml, or a path ending in .toml"
    )
    n.add_argument("--from", dest="parent", metavar="SCENARIO", help="scenario file to extend")
    n.set_defaults(func=cmd_new)

    s = sub.add_parser(
        "schema",
        help="print the JSON Schema of the scenario format (for editor completion)",
        description="Print the JSON Schema of scenario files, generated from the same models "
        "the validator uses (scenarios/schema.json is this output). Point your editor at it, "
        "e.g. with a '#:schema ./schema.json' first line (Taplo / Even Better TOML).",
    )
    s.add_argument(
        "--out", type=path_arg, metavar="FILE", help="write it to FILE instead of printing it"
    )
    s.set_defaults(func=cmd_schema)

    d = sub.add_parser(
        "dry-run",
        help="run a short batch and report which events, clauses and actions were used",
        description="Run a short batch of a scenario and report coverage for its author: "
        "which events fired and in what share of runs, which treaty clauses were invoked (and "
        "assistance declined), which actions were chosen and by whom, which never were, which "
        "rungs no pair stood on, and the outcome distribution.",
    )
    d.add_argument("scenario", metavar="SCENARIO", help="scenario file (TOML)")
    d.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, metavar="N", help=f"runs (default {DEFAULT_RUNS})"
    )
    add_run_options(d)
    d.add_argument("--json", action="store_true", help="print one JSON document instead of tables")
    d.set_defaults(func=cmd_dry_run)

    sh = sub.add_parser(
        "show",
        help="print a scenario as one whole TOML file (its parents and --set options merged)",
        description="Print the scenario a file describes as one whole TOML file: a variant "
        "merged over the scenarios it extends, with --set options applied. The output "
        "validates on its own (save it to read or change what a variant produces).",
    )
    sh.add_argument("scenario", metavar="SCENARIO", help="scenario file (TOML)")
    add_set_option(sh, "override a value by key path, as for run and batch (repeatable)")
    sh.add_argument(
        "--out", type=path_arg, metavar="FILE", help="write it to FILE instead of printing it"
    )
    sh.set_defaults(func=cmd_show)

    ls = sub.add_parser(
        "scenarios",
        help="list the scenarios in a folder (default: scenarios/)",
        description="List the scenario files in a folder with their id, name and the first "
        "sentence of their description; files that fail to validate are marked (the exit "
        "status is then 2).",
    )
    ls.add_argument("folder", nargs="?", metavar="DIR", help="folder (default: scenarios)")
    ls.set_defaults(func=cmd_scenarios)


# --- validate --------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from game.scenario.load import check_file

    failed = 0
    out = sys.stdout
    sets = parse_sets(args.set) or None
    for name in args.files:
        report = _safe_check(check_file, str(find_scenario(name)), sets)
        shown = [p for p in report.problems if not (args.no_warnings and p.level == "warning")]
        for p in shown[:MAX_SHOWN]:
            out.write(f"{p}\n")
        if len(shown) > MAX_SHOWN:
            out.write(f"{name}: ... and {len(shown) - MAX_SHOWN} more problems\n")
        n_err, n_warn = len(report.errors), len(report.warnings)
        if n_err or not report.ok:
            failed += 1
        if not args.quiet:
            if n_err:
                status = f"{counted(n_err, 'error')}" + (
                    f", {counted(n_warn, 'warning')}" if n_warn else ""
                )
            else:
                status = "ok" + (f" ({counted(n_warn, 'warning')})" if n_warn else "")
            out.write(f"{name}: {status}\n")
    out.flush()
    return 2 if failed else 0


def _safe_check(fn, name: str, *args):
    """check_file, with a last guard: an unexpected failure is a one-line problem, not a trace."""
    from game.scenario.errors import Problem
    from game.scenario.load import Report

    try:
        return fn(name, *args)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as e:  # a bug of ours, reported as such rather than as a traceback
        msg = f"internal error while checking this file ({type(e).__name__}: {e}); please report it"
        return Report(name, [Problem(name, (), msg)])


# --- new -------------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from game.scenario.load import check_text, load_scenario
    from game.scenario.starter import scenario_id, schema_directive, starter, title_of, variant

    raw_name = args.name.strip()
    if not raw_name:
        raise UsageError("new: give a name, e.g. 'pact new my-crisis'")
    target = Path(raw_name)
    if target.suffix.lower() != ".toml":
        target = target.with_name(target.name + ".toml")
    if target.exists() or target.is_symlink():
        raise UsageError(f"{target} already exists: choose another name or delete it first")
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"{target}: folder '{folder}' does not exist")
    stem = target.name[: -len(".toml")]
    sid, title = scenario_id(stem), title_of(stem)
    if args.parent:
        parent_path = find_scenario(args.parent)
        parent = load_scenario(parent_path)
        try:
            rel = os.path.relpath(parent_path.resolve(), folder.resolve())
        except ValueError:  # another drive
            rel = str(parent_path.resolve())
        schema = schema_directive(target, folder, parent_path.parent)
        drawn = {d.label: d.describe() for d in parent.params.draws}
        text = variant(sid, title, parent.model, Path(rel).as_posix(), schema, drawn)
    else:
        schema = schema_directive(target, folder, scenario_folder())
        text = starter(sid, title, schema)
    # What we write must be valid: check it before it reaches the author's disk.
    report = check_text(text, str(target), target)
    if report.errors:
        raise UsageError(f"new: the starter file would not validate: {report.errors[0]}")
    write_new(target, text)
    print(f"wrote {target}")
    name = shlex.quote(str(target))  # each command pastes into a shell as it is printed
    print(f"next: edit it, then run: pact validate {name}; pact dry-run {name}")
    return 0


def write_new(path: Path, text: str) -> None:
    """Write a new file atomically; never replace an existing one."""
    try:
        write_text(path, text, replace=False)
    except FileExistsError:
        raise UsageError(f"{path} already exists: choose another name or delete it first") from None
    except OSError as e:
        raise UsageError(f"cannot write {path} ({e.strerror or e})") from None


def write_replace(path: Path, text: str) -> None:
    """Write (or replace) a file atomically."""
    try:
        write_text(path, text)
    except OSError as e:
        raise UsageError(f"cannot write {path} ({e.strerror or e})") from None


def cmd_schema(args: argparse.Namespace) -> int:
    from game.scenario.schema import schema_text

    text = schema_text()
    if args.out:
        out = Path(args.out)
        if out.is_dir():
            raise UsageError(
                f"--out {out} is a folder; give a file name, e.g. {out / 'schema.json'}"
            )
        if not out.parent.is_dir():
            raise UsageError(f"--out {out}: folder '{out.parent}' does not exist")
        write_replace(out, text)
        print(f"wrote {out}")
    else:
        sys.stdout.write(text)
    return 0


# --- dry-run ---------------------------------------------------------------------------------


def cmd_dry_run(args: argparse.Namespace) -> int:
    import json

    from game.scenario.dryrun import coverage, render
    from game.scenario.errors import ScenarioError
    from game.scenario.load import check_file

    if not 1 <= args.runs <= 100_000:
        raise UsageError(f"--runs must be between 1 and 100000, got {args.runs}")
    check_turns(args.turns)
    overrides = parse_sets(args.set)
    path = find_scenario(args.scenario)
    report = _safe_check(check_file, str(path), overrides)
    if report.errors or report.loaded is None:
        raise ScenarioError(report.errors or report.problems)
    for w in report.warnings:
        print(w, file=sys.stderr)
    cov = coverage(report.loaded.params, seed=args.seed, runs=args.runs, turns=args.turns)
    if args.json:
        sys.stdout.write(json.dumps(cov, indent=2, ensure_ascii=False) + "\n")
        return 0
    from game.commands.common import console

    render(cov, console(highlight=False))
    return 0


# --- show ------------------------------------------------------------------------------------


def cmd_show(args: argparse.Namespace) -> int:
    from game.scenario.errors import ScenarioError
    from game.scenario.load import check_file
    from game.scenario.show import to_toml

    overrides = parse_sets(args.set)
    path = find_scenario(args.scenario)
    report = _safe_check(check_file, str(path), overrides)
    if report.errors or report.loaded is None:
        raise ScenarioError(report.errors or report.problems)
    sets = "".join(f"\n  --set {item}" for item in args.set)
    header = f"The whole scenario {path.name} describes, written by 'pact show'.{sets}"
    text = to_toml(report.loaded.raw, header)
    if args.out:
        write_replace(Path(args.out), text)
    else:
        sys.stdout.write(text)
    return 0


# --- scenarios -------------------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    return _SENTENCE.split(text, maxsplit=1)[0] if text else ""


def cmd_scenarios(args: argparse.Namespace) -> int:
    from game.scenario.errors import printable
    from game.scenario.load import check_file

    folder = Path(args.folder) if args.folder else scenario_folder()
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    files = sorted(folder.glob("*.toml"))
    if not files:
        print(f"no scenario files (*.toml) in {folder}")
        return 0
    rows = []
    bad = 0
    for f in files:
        report = _safe_check(check_file, str(f))
        if report.ok:
            meta = report.loaded.model.scenario
            rows.append((f.name, meta.id, f"{meta.name} - {first_sentence(meta.description)}"))
        else:
            bad += 1
            first = report.errors[0] if report.errors else None
            where = f" (line {first.line})" if first and first.line else ""
            what = f"{first.where}: " if first and first.path else ""
            rows.append((f.name, "INVALID", f"{what}{first.message if first else '?'}{where}"))
    # Lines are cut to a terminal's width; into a pipe or a file they go whole.
    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else None
    w_file = max(len(r[0]) for r in rows)
    w_id = max(len(r[1]) for r in rows)
    for name, sid, text in rows:
        head = f"{name:<{w_file}}  {sid:<{w_id}}  "
        room = max(width - len(head) - 1, 30) if width else len(text)
        if len(text) > room:
            text = text[: room - 3].rstrip() + "..."
        print(printable(head + text))
    if bad:
        print(f"{counted(bad, 'file')} failed to validate: 'pact validate FILE' shows why.")
    return 2 if bad else 0
