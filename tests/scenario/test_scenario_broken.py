"""A corpus of broken scenario files: each gives its expected, located error and no traceback.

Each file in ``broken/`` starts with one or more lines ``# expect: FILE:LINE: PATH: TEXT``:
FILE is ``.`` for the file itself (or a file name beside it), LINE and PATH are ``-`` when the
problem has none, and TEXT must occur in the message. ``# warn:`` lines expect a warning the
same way; a file with warnings only must still load. Files whose name starts with ``_`` are
helpers (parents of others). Cases that cannot be committed (binary, huge, missing) are
generated in a temporary folder.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from game.scenario.errors import ScenarioError
from game.scenario.load import check_file, load_scenario
from tests.helpers import pact

HERE = Path(__file__).resolve().parent
BROKEN = HERE / "broken"
ROOT = HERE.parents[1]
MINI = HERE / "data" / "mini.toml"
EXPECT = re.compile(
    r"^# (?P<level>expect|warn): (?P<file>[^:]+):(?P<line>\d+|-): (?P<path>[^:]*?): (?P<text>.+)$"
)
CASES = sorted(p for p in BROKEN.glob("*.toml") if not p.name.startswith("_"))


def expectations(path: Path) -> list[dict]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = EXPECT.match(line)
        if not m:
            break
        e = m.groupdict()
        e["file"] = (
            str(path) if e["file"] == "." else os.path.normpath(str(path.parent / e["file"]))
        )
        e["line"] = None if e["line"] == "-" else int(e["line"])
        e["path"] = "" if e["path"] == "-" else e["path"]
        e["level"] = "error" if e["level"] == "expect" else "warning"
        out.append(e)
    return out


def matches(problem, e: dict) -> bool:
    return (
        os.path.normpath(problem.file) == e["file"]
        and problem.line == e["line"]
        and problem.where == e["path"]
        and e["text"] in problem.message
        and problem.level == e["level"]
    )


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    for path in CASES:
        assert expectations(path), f"{path.name} has no '# expect:' first line"


def _warns_only(path: Path) -> bool:
    return all(e["level"] == "warning" for e in expectations(path))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_broken_file_gives_its_located_error(path: Path):
    report = check_file(path)
    if _warns_only(path):
        assert report.ok, "\n".join(map(str, report.problems))
        for e in expectations(path):
            assert any(matches(p, e) for p in report.problems), (
                f"{path.name}: expected {e}, got:\n" + "\n".join(str(p) for p in report.problems)
            )
        return
    assert report.errors, f"{path.name} passed validation"
    assert report.loaded is None
    for e in expectations(path):
        assert any(matches(p, e) for p in report.problems), (
            f"{path.name}: expected {e}, got:\n" + "\n".join(str(p) for p in report.problems)
        )
    # the one-line form used by every other command names the file too
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    line = info.value.one_line()
    assert "\n" not in line
    assert line.startswith(str(report.errors[0]))


@pytest.mark.slow
def test_validate_command_on_the_whole_corpus():
    """One subprocess over every broken file: exit 2, no traceback, each expected line printed."""
    proc = pact("validate", *[str(p) for p in CASES], timeout=180)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    out = proc.stdout
    for path in CASES:
        for e in expectations(path):
            loc = e["file"] if e["line"] is None else f"{e['file']}:{e['line']}"
            where = f" {e['path']}:" if e["path"] else ""
            if e["level"] == "warning":
                where = " warning:" + where
            pattern = f"{loc}:{where} "
            hits = [ln for ln in out.splitlines() if ln.startswith(pattern) and e["text"] in ln]
            assert hits, f"{path.name}: no line starting {pattern!r} with {e['text']!r}"
        if not _warns_only(path):
            assert f"{path}: " in out  # the summary line of every file


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    ["nan.toml", "expr-call-import.toml", "extends-cycle.toml", "syntax-unclosed-string.toml"],
)
def test_other_commands_print_one_line_and_exit_2(name: str):
    path = BROKEN / name
    for cmd in (["run", str(path)], ["dry-run", str(path), "--runs", "2"]):
        proc = pact(*cmd, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("pact: error: ")


# --- generated cases: what cannot (or should not) be committed --------------------------------


def _validate(*files: Path) -> subprocess.CompletedProcess:
    return pact("validate", *map(str, files), timeout=60)


def _one(report, text: str, line: int | None = "any", path: str | None = None):
    assert report.loaded is None and report.errors
    hits = [p for p in report.errors if text in p.message]
    assert hits, "\n".join(map(str, report.problems))
    if line != "any":
        assert hits[0].line == line, str(hits[0])
    if path is not None:
        assert hits[0].where == path, str(hits[0])
    return hits[0]


def test_ten_megabyte_file(tmp_path):
    big = tmp_path / "big.toml"
    with big.open("wb") as f:
        f.write(b"# padding\n" * 1_000_000)
    assert big.stat().st_size >= 10_000_000
    p = _one(check_file(big), "file too large")
    assert p.file == str(big)
    proc = _validate(big)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{big}: file too large" in proc.stdout


def test_binary_garbage(tmp_path):
    path = tmp_path / "garbage.toml"
    path.write_bytes(bytes(range(256)) * 40)
    _one(check_file(path), "binary data", line=1)
    proc = _validate(path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{path}:1: binary data" in proc.stdout


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    text = MINI.read_text(encoding="utf-8").replace(
        'name = "North Korea"', 'name = "Corée du Nord"'
    )
    path.write_bytes(text.encode("latin-1", errors="replace"))
    line = text[: text.index("Corée")].count("\n") + 1
    _one(check_file(path), "not UTF-8 text (byte 0xe9)", line=line)
    proc = _validate(path)
    assert proc.returncode == 2 and f"{path}:{line}: not UTF-8" in proc.stdout


def test_missing_path_and_folder(tmp_path):
    missing = tmp_path / "nowhere.toml"
    _one(check_file(missing), "no such file", line=None, path="")
    _one(check_file(tmp_path), "is a folder", line=None, path="")
    proc = _validate(missing, tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{missing}: no such file" in proc.stdout
    assert f"{tmp_path}: is a folder" in proc.stdout


def test_truly_empty_and_whitespace_files(tmp_path):
    for name, data in (
        ("zero.toml", b""),
        ("blank.toml", b"  \n\t\n"),
        ("bom.toml", b"\xef\xbb\xbf"),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        _one(check_file(path), "empty file")


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINI.read_bytes())
    assert check_file(path).ok


def test_deep_toml_nesting_is_refused_with_a_line(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text('[scenario]\nid = "x"\nx = ' + "[" * 50_000 + "\n")
    p = _one(check_file(path), "nested too deeply")
    assert p.line == 3


def test_too_many_events_is_a_located_error(tmp_path):
    path = tmp_path / "many.toml"
    body = "".join(
        f'[[events]]\nid = "e{i}"\nname = "E{i}"\ndate = "2025-02"\n' for i in range(501)
    )
    path.write_text(f'extends = "{MINI.as_posix()}"\n{body}')
    _one(check_file(path), "at most 500 entries", line=2, path="events")


def test_too_many_clause_instances_is_a_located_error(tmp_path):
    path = tmp_path / "instances.toml"
    actors = "".join(
        f'[[actors]]\nid = "A{i:02d}"\nname = "A{i}"\nmilitary = 1\n' for i in range(16)
    )
    clauses = "".join(
        f'  [[treaties.clauses]]\n  id = "c{j}"\n  kind = "consultation"\n  article = "Art. {j}"\n'
        for j in range(12)
    )
    parties = ", ".join(f'"A{i:02d}"' for i in range(16))
    path.write_text(
        f'extends = "{MINI.as_posix()}"\n{actors}[[treaties]]\nid = "bloc"\nname = "Bloc"\n'
        f'parties = [{parties}]\nsigned = "2020-01"\n{clauses}'
    )
    _one(check_file(path), "too many clause instances", path="treaties[0].clauses")


# --- mutations of a whole valid file (for what a child file cannot express) -------------------

MUTATIONS = [
    # (name, old text, new text, marker of the expected line, path, message)
    (
        "missing-threshold",
        'war = "conventional_war"\n',
        "",
        "[ladder.thresholds]",
        "ladder.thresholds",
        "missing required threshold 'war'",
    ),
    (
        "duplicate-event",
        'id = "beijing_mediates"',
        'id = "party_congress"',
        'id = "party_congress"#2',
        "events[1].id",
        "duplicate event id 'party_congress'",
    ),
    (
        "remove-without-extends",
        'id = "beijing_mediates"\n',
        'id = "beijing_mediates"\nremove = true\n',
        "remove = true",
        "events[1].remove",
        "only works in a file that extends another",
    ),
    (
        "renamed-actor",
        'id = "KOR"',
        'id = "ROK"',
        'rivals = ["KOR", "USA"]',
        "actors[0].doctrine.rivals[0]",
        "unknown actor 'KOR'",
    ),
    (
        "hyphen-rung",
        'id = "armed_clash", ',
        'id = "armed-clash",',
        'armed_clash = "armed_clash"',
        "ladder.thresholds.armed_clash",
        "unknown rung 'armed_clash' (did you mean 'armed-clash'?)",
    ),
    (
        "outcome-without-when",
        'when = "max_peak() >= nuclear_use"\n',
        "",
        '[[outcomes]]\nid = "nuclear_use"',
        "outcomes[1].when",
        "only the last outcome may omit 'when'",
    ),
    (
        "last-outcome-with-when",
        'name = "Stability"\n',
        'name = "Stability"\nwhen = "true"\n',
        '[[outcomes]]\nid = "stability"',
        "outcomes[5]",
        "the last outcome is the default",
    ),
    (
        "down-above-up",
        "up = 25, down = 15",
        "up = 25, down = 35",
        "up = 25, down = 35",
        "ladder.rungs[1].down",
        "down (35.0) is above up (25.0)",
    ),
    (
        "no-actions",
        "\n[[actions]]\n",
        "\n[[moves]]\n",
        "[[moves]]\nid",
        "moves",
        "unknown key 'moves'",
    ),
    (
        "missing-scenario-table",
        "[scenario]\n",
        "[scenery]\n",
        "[scenery]",
        "scenery",
        "unknown key 'scenery' (did you mean 'scenario'?)",
    ),
]


def _line_of(text: str, marker: str) -> int:
    nth = 1
    if "#" in marker and marker.rsplit("#", 1)[1].isdigit():
        marker, n = marker.rsplit("#", 1)
        nth = int(n)
    pos = -1
    for _ in range(nth):
        pos = text.index(marker, pos + 1)
    return text[:pos].count("\n") + 1


@pytest.mark.parametrize("case", MUTATIONS, ids=lambda c: c[0])
def test_mutation_of_a_whole_file(case, tmp_path):
    name, old, new, marker, path, message = case
    text = MINI.read_text(encoding="utf-8")
    assert old in text, f"{name}: the starter no longer contains {old!r}"
    text = text.replace(old, new, 1)
    target = tmp_path / f"{name}.toml"
    target.write_text(text, encoding="utf-8")
    report = check_file(target)
    hits = [p for p in report.errors if message in p.message and p.where == path]
    assert hits, "\n".join(map(str, report.problems))
    assert hits[0].line == _line_of(text, marker), str(hits[0])
