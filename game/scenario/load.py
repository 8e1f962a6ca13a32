"""Reading scenario files: TOML -> merged with its parents -> validated -> compiled.

Every problem is reported with the file, the line where it can be found and the key path;
nothing here lets a traceback reach the user for bad input. A file that ``extends`` another is
merged over it (see :func:`merge`); a problem is then reported in whichever file the offending
value comes from, with that file's own line and array indices.
"""

from __future__ import annotations

import copy
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from game.engine.params import Params

from .check import check
from .compile import compile_scenario
from .draws import extract as extract_draws
from .draws import is_distribution
from .errors import (
    PathT,
    Problem,
    ScenarioError,
    format_path,
    key_lines,
    locate,
    long_key,
    suggest,
)
from .model import EFFECT_MODELS, RETIRED, Scenario

MAX_BYTES = 2_000_000  # a scenario is text written by people: 2 MB is far beyond any real one
MAX_EXTENDS = 8  # levels of extends
MAX_NESTING = 12  # tables and arrays inside each other; the format itself needs 6


@dataclass
class LoadedScenario:
    """A scenario ready to play: its file, validated model and compiled parameters."""

    path: Path
    model: Scenario
    params: Params
    raw: dict

    @property
    def id(self) -> str:
        return self.model.scenario.id

    @property
    def name(self) -> str:
        return self.model.scenario.name


@dataclass
class Source:
    """One file of a scenario: the file itself, or one of the files it extends."""

    name: str
    raw: dict
    lines: dict[PathT, int]
    # (what, id, path) of each inherited entry this file removes
    removals: list = field(default_factory=list)


@dataclass
class Report:
    """Everything found about one scenario file: problems (errors and warnings) and, when it is
    valid, the loaded scenario."""

    name: str
    problems: list[Problem] = field(default_factory=list)
    loaded: LoadedScenario | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and self.loaded is not None


# --- Reading one file ------------------------------------------------------------------------


def read_toml(path: Path, label: str | None = None) -> tuple[dict, str]:
    """Parse a TOML file; raise ScenarioError with a located problem if it cannot be read."""
    path = Path(path)
    name = label or str(path)
    try:
        if not path.exists():
            if path.is_symlink():
                raise ScenarioError(
                    [
                        Problem(
                            name,
                            (),
                            "a link that leads nowhere (its target is missing, or links loop)",
                        )
                    ]
                )
            raise ScenarioError([Problem(name, (), "no such file")])
        if path.is_dir():
            raise ScenarioError([Problem(name, (), "is a folder, not a scenario file")])
        if not path.is_file():
            raise ScenarioError([Problem(name, (), "not a regular file")])
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise ScenarioError([Problem(name, (), f"cannot read file ({reason})")]) from None
    if len(data) > MAX_BYTES:
        try:
            size = f"{path.stat().st_size:,} bytes"
        except OSError:
            size = "size unknown"
        raise ScenarioError(
            [
                Problem(
                    name, (), f"file too large ({size}; a scenario may have at most {MAX_BYTES:,})"
                )
            ]
        )
    return parse_toml(data, name)


def parse_toml(data: bytes | str, name: str) -> tuple[dict, str]:
    """Decode and parse scenario text; raise ScenarioError with a located problem."""
    if isinstance(data, str):
        text = data
    else:
        if b"\x00" in data:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            raise ScenarioError([Problem(name, (), "binary data, not a TOML text file", line)])
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise ScenarioError(
                [
                    Problem(
                        name,
                        (),
                        f"not UTF-8 text (byte 0x{data[e.start]:02x}); save the file as UTF-8",
                        line,
                    )
                ]
            ) from None
    if len(text) > MAX_BYTES:
        raise ScenarioError(
            [Problem(name, (), f"text too large (at most {MAX_BYTES:,} characters)")]
        )
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
    if "\x00" in text:
        raise ScenarioError([Problem(name, (), "binary data, not a TOML text file")])
    if not text.strip():
        raise ScenarioError([Problem(name, (), _EMPTY)])
    long = long_key(text, MAX_NESTING)
    if long is not None:
        raise ScenarioError(
            [
                Problem(
                    name,
                    (),
                    f"a key of {long[1]:,} dotted parts is nested deeper than {MAX_NESTING} levels",
                    long[0],
                )
            ]
        )
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg, line = _toml_message(str(e), text)
        raise ScenarioError([Problem(name, (), f"TOML syntax error: {msg}", line)]) from None
    except RecursionError:
        raise ScenarioError(
            [Problem(name, (), "TOML nested too deeply", _deep_line(text))]
        ) from None
    if not raw:
        raise ScenarioError([Problem(name, (), _EMPTY)])
    deep = _too_deep(raw)
    if deep is not None:
        lines = key_lines(text)
        raise ScenarioError(
            [
                Problem(
                    name,
                    deep[:MAX_NESTING],
                    f"nested deeper than {MAX_NESTING} levels",
                    locate(lines, deep),
                )
            ]
        )
    return raw, text


_EMPTY = (
    "empty file: a scenario needs [scenario], [ladder], [[actors]], [[actions]] and "
    "[[outcomes]] (or 'extends' and the changes; 'pact new' writes a starter)"
)


def _toml_message(msg: str, text: str) -> tuple[str, int | None]:
    """tomllib's message without its position, and the line it names."""
    line = None
    if " (at line " in msg:
        head, _, tail = msg.partition(" (at line ")
        try:
            line = int(tail.split(",")[0])
            col = tail.split("column ")[1].rstrip(")")
            msg = f"{head} (column {col})"
        except (IndexError, ValueError):
            msg = head
    elif msg.endswith(" (at end of document)"):
        msg = msg.removesuffix(" (at end of document)") + " (at the end of the file)"
        line = text.count("\n") + (0 if text.endswith("\n") else 1)
    if msg.startswith("Illegal character '\\n'"):
        msg = (
            "a string is not closed before the end of the line"
            + msg[len("Illegal character '\\n'") :]
        )
    if line is not None and msg.startswith("Cannot overwrite a value"):
        line, msg = _overwritten(text, line, msg)
    if line is not None:
        lines = text.splitlines()
        here = lines[line - 1] if 0 < line <= len(lines) else ""
        if re.search(r"=\s*\d{4}-\d{1,2}\s*(#.*)?$", here):
            msg += '; write a month in quotes, e.g. "2024-07"'
    # "Cannot declare ('a', 'b') twice" -> "Cannot declare [a.b] twice"
    if msg.startswith("Cannot declare (") and ") twice" in msg:
        inner = msg[len("Cannot declare (") : msg.index(") twice")]
        keys = [k.strip().strip("'\"") for k in inner.split(",") if k.strip()]
        msg = f"Cannot declare [{'.'.join(keys)}] twice" + msg[msg.index(") twice") + 7 :]
    return msg, line


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_\-.]+)\s*\]\]?")


def _given_twice(lines: list[str], line: int, msg: str) -> str:
    """'Cannot overwrite a value' at a ``key = value`` line: the key, and the line above in the
    same table that gave it first, where there is one."""
    m = _ASSIGNED.match(lines[line - 1])
    if not m:
        return msg
    key = m.group(1).strip()
    for n in range(line - 1, 0, -1):
        above = lines[n - 1]
        if _HEADER.match(above) or above.lstrip().startswith("["):
            break
        k = _ASSIGNED.match(above)
        if k and k.group(1).strip() == key:
            return f"'{key}' is given twice in this table (first on line {n})"
    return f"'{key}' is given a second value ({msg})"


_ASSIGNED = re.compile(r"\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")


def _overwritten(text: str, line: int, msg: str) -> tuple[int, str]:
    """'Cannot overwrite a value' at a [[name]] header that a sub-table header above already
    made a table, most often because the entry's own header above is misspelt: say so, at
    the misspelt header."""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    m = _HEADER.match(here)
    if not m:
        return line, _given_twice(lines, line, msg)
    name = m.group(1)
    sub = misspelt = None
    for n, ln in enumerate(lines[: line - 1], start=1):
        h = _HEADER.match(ln)
        if not h:
            continue
        key = h.group(1)
        if sub is None and key.startswith(name + "."):
            sub = (n, key)
        if key != name and key.lower() == name.lower():
            misspelt = (n, ln.split("#")[0].strip())
    if sub is None:
        return line, msg
    text_sub = f"line {sub[0]}'s [[{sub[1]}]] already made '{name}' a table"
    if misspelt is not None:
        return misspelt[0], (
            f"{misspelt[1]} is not [[{name}]]: the [[{sub[1]}]] below it (line {sub[0]}) "
            f"belongs to no [[{name}]] entry, and [[{name}]] on line {line} then fails "
            f"(Cannot overwrite a value); spell the header [[{name}]]"
        )
    return line, f"{msg}: {text_sub} (is the [[{name}]] entry it belongs to spelt differently?)"


def _deep_line(text: str) -> int | None:
    depth = 0
    for n, line in enumerate(text.splitlines(), start=1):
        for ch in line:
            if ch in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    return n
            elif ch in "]}":
                depth -= 1
    return None


def _too_deep(raw: Any) -> PathT | None:
    """The path of a value nested deeper than MAX_NESTING, if any (iterative, so it is safe)."""
    stack: list[tuple[Any, PathT]] = [(raw, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_NESTING:
            return path
        if isinstance(value, dict):
            stack.extend((v, (*path, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value))
    return None


# --- Inheritance -----------------------------------------------------------------------------

# What matches an inherited entry: its id, but a relation's pair, and a goal's state and id
# (two states may each have a goal 'security').
_KEYED: dict[str, Any] = {"relations": "pair", "goals": ("actor", "id")}


def _key_field(name: Any) -> Any:
    return _KEYED.get(name, "id") if isinstance(name, str) else "id"


def _field_name(field: Any) -> str:
    """The key that names an entry, where a problem with it is reported ('id' of a goal)."""
    return field[-1] if isinstance(field, tuple) else field


def _key_of(item: Any, field: Any) -> Any:
    if isinstance(field, tuple):
        parts = tuple(_key_of(item, f) for f in field)
        return parts if all(isinstance(x, str) for x in parts) else None
    v = item.get(field) if isinstance(item, dict) else None
    if isinstance(v, list):
        return tuple(sorted(v)) if v and all(isinstance(x, str) for x in v) else None
    return v if isinstance(v, str | int) and not isinstance(v, bool) else None


PLACEMENT = ("after", "before")  # keys that place an entry among the inherited ones
# Arrays whose order means something: a variant keeps the inherited order unless it places an
# entry with 'after' or 'before'.
_ORDERED = {"rungs", "outcomes"}
_SINGULAR = {
    "rungs": "rung",
    "actors": "actor",
    "relations": "relation",
    "treaties": "treaty",
    "clauses": "clause",
    "actions": "action",
    "events": "event",
    "outcomes": "outcome",
    "red_lines": "red line",
    "opens": "entry",
}


def _shown_key(key: Any) -> str:
    return "-".join(key) if isinstance(key, tuple) else str(key)


class _Gone:
    """The place of an entry a variant removed (an entry with the same id may take it again)."""

    def __init__(self, key: Any):
        self.key = key


def merge(
    parent: Any,
    child: Any,
    name: str = "",
    problems: list | None = None,
    path: PathT = (),
    removals: list | None = None,
) -> Any:
    """Child values override the parent's; tables merge; arrays of tables merge by id.

    An array of tables whose entries all carry ``id`` (``pair`` for relations) is merged entry
    by entry: an entry with a known id changes that entry, a new id is added, and an entry
    with ``remove = true`` deletes it (an entry with the same id after it adds it back, in its
    place). ``after = ID`` or ``before = ID`` places an entry (new or inherited) next to
    another; new outcomes go before the inherited default outcome, other new entries at the
    end. An id given twice in the child (other than remove then add) is a problem. Other
    arrays are replaced whole. Problems are appended to ``problems`` as (path, message) or
    (path, message, level), with the child's indices; ``removals`` collects (kind, id, path)
    of each entry deleted.
    """
    if isinstance(parent, dict) and isinstance(child, dict) and not is_distribution(child):
        out = dict(parent)  # (a distribution is one value: it replaces the parent's whole)
        for k, v in child.items():
            if k in parent:
                out[k] = merge(parent[k], v, k, problems, (*path, k), removals)
            elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                out[k] = merge([], v, k, problems, (*path, k), removals)
            else:
                out[k] = copy.deepcopy(v)
        return out
    if (
        isinstance(parent, list)
        and isinstance(child, list)
        and all(isinstance(x, dict) for x in parent + child)
    ):
        field = _key_field(name)
        if all(_key_of(x, field) is not None for x in parent + child):
            return _merge_keyed(parent, child, name, field, problems, path, removals)
    return copy.deepcopy(child)


def _merge_keyed(
    parent: list, child: list, name: Any, field: Any, problems, path: PathT, removals
) -> list:
    found: list = [] if problems is None else problems
    what = _SINGULAR.get(name, "entry") if isinstance(name, str) else "entry"
    if not child and parent:
        found.append(
            (
                path,
                f"an empty array changes nothing in a file that extends another: the inherited "
                f"{name} stay (delete entries one by one with remove = true)",
            )
        )
    out: list = [copy.deepcopy(x) for x in parent]
    inherited = {_key_of(x, field): i for i, x in enumerate(parent)}
    seen: dict[Any, int] = {}  # key -> child index of the entry that defined or changed it
    dropped: dict[Any, int] = {}  # key -> child index of its removal
    placed: list[tuple[int, Any, str, Any]] = []
    kept_order: list[tuple[int, Any]] = []  # inherited entries the child changes, in its order
    added: list[tuple[int, Any, dict]] = []
    known: list[str] | None = None  # the parent's ids, as shown, for did-you-mean
    hints = 0
    for n, item in enumerate(child):
        key = _key_of(item, field)
        shown = _shown_key(key)
        if key in seen:
            found.append(
                (
                    (*path, n, _field_name(field)),
                    f"{what} '{shown}' is given twice in this file (entry {seen[key]} already "
                    f"{'changes' if key in inherited else 'adds'} it): change an entry with one "
                    f"table that has its {' and '.join(field) if isinstance(field, tuple) else field}",
                )
            )
            continue
        item = dict(item)
        place = {k: item.pop(k) for k in PLACEMENT if k in item}
        if "remove" in item:
            flag = item.pop("remove")
            if flag is True:
                if key in dropped:
                    found.append(((*path, n, "remove"), f"{what} '{shown}' is removed twice"))
                    continue
                dropped[key] = n
                hit = _index_of(out, key, field)
                if hit is None:
                    if known is None:
                        known = [_shown_key(k) for k in inherited]
                    # A few hints help an author; thousands would cost len(parent) each.
                    hint = suggest(shown, known) if hints < _MAX_HINTS else ""
                    hints += 1
                    found.append(
                        (
                            (*path, n, "remove"),
                            f"nothing to remove: the parent has no {name} entry '{shown}'{hint}",
                        )
                    )
                else:
                    out[hit] = _Gone(key)
                    if removals is not None:
                        removals.append((what, shown, (*path, n, "remove")))
                continue
            if flag is not False:
                found.append(((*path, n, "remove"), "must be true (to delete the entry) or false"))
        seen[key] = n
        hit = _index_of(out, key, field)
        gone = next((i for i, x in enumerate(out) if isinstance(x, _Gone) and x.key == key), None)
        if hit is not None:
            out[hit] = merge(out[hit], item, "", problems, (*path, n), removals)
            if not place:
                kept_order.append((n, key))
        elif gone is not None:
            out[gone] = merge({}, item, "", problems, (*path, n), removals)  # back in its place
        else:
            added.append((n, key, merge({}, item, "", problems, (*path, n), removals)))
        if place:
            placed.append((n, key, *_placement(place, found, (*path, n))))
    # Inherited entries of an ordered array keep the parent's order.
    if name in _ORDERED:
        last = -1
        for n, key in kept_order:
            pos = inherited[key]
            if pos < last:
                found.append(
                    (
                        (*path, n),
                        f"inherited {name} keep the order of the scenario this file extends: "
                        f"listing them in another order changes nothing; to move '"
                        f'{_shown_key(key)}\', give it after = "ID" or before = "ID"',
                    )
                )
                break
            last = pos
    out = [x for x in out if not isinstance(x, _Gone)]
    default = len(out) - 1 if name == "outcomes" and out and "when" not in out[-1] else None
    unplaced = {n for n, *_ in placed}
    for n, key, entry in added:
        if default is not None and "when" not in entry:
            found.append(
                (
                    (*path, n),
                    f"new outcome '{_shown_key(key)}' has no 'when', so it would be a second "
                    f"default after the inherited '{_shown_key(_key_of(out[default], field))}'; "
                    f"give it a 'when', or remove the inherited default with remove = true",
                )
            )
            continue
        if default is not None and n not in unplaced:
            out.insert(default, entry)  # before the inherited default outcome
            default += 1
        else:
            out.append(entry)
            if name == "rungs" and parent and n not in unplaced:
                found.append(
                    (
                        (*path, n),
                        f"new rung '{_shown_key(key)}' goes on top of the inherited ladder, "
                        f"above '{_shown_key(_key_of(parent[-1], field))}'; say where it "
                        f'belongs with after = "ID" (or before = "ID")',
                        "warning",
                    )
                )
    for n, key, side, ref in placed:
        if side is None:
            continue
        me = _index_of(out, key, field)
        if ref == key:
            found.append(((*path, n, side), f"an entry cannot be placed {side} itself"))
            continue
        entry = out.pop(me)
        at = _index_of(out, ref, field)
        if at is None:
            out.insert(me, entry)
            known = [_shown_key(_key_of(x, field)) for x in out]
            found.append(
                (
                    (*path, n, side),
                    f"no {what} '{ref}' to place it {side}{suggest(str(ref), known)}",
                )
            )
            continue
        out.insert(at + 1 if side == "after" else at, entry)
    return out


_MAX_HINTS = 20  # did-you-mean hints per array for entries removed that the parent lacks


def _index_of(items: list, key: Any, field: Any) -> int | None:
    for i, x in enumerate(items):
        if not isinstance(x, _Gone) and _key_of(x, field) == key:
            return i
    return None


def _placement(place: dict, found: list, at: PathT) -> tuple[str | None, Any]:
    """('after' or 'before', the id) of an entry's placement keys; problems go to found."""
    if len(place) > 1:
        found.append(((*at, "before"), "give 'after' or 'before', not both"))
        return None, None
    side, ref = next(iter(place.items()))
    if not isinstance(ref, str) or not ref:
        found.append(((*at, side), f"expected the id of an entry, got {_shown(ref)}"))
        return None, None
    return side, ref


def _strip_remove(raw: dict) -> None:
    """Drop 'remove = false' from entries of a file that extends nothing (it is a no-op)."""
    for value in raw.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and item.get("remove") is False:
                    del item["remove"]


def resolve_layers(
    path: Path, raw: dict, text: str, name: str
) -> tuple[dict, list[Source], list[Problem]]:
    """Merge a file over the scenarios it extends, recursively.

    Returns the merged document, the files involved (this one first) and the problems of the
    merge itself (``remove`` of an unknown entry). Missing parents, cycles and unreadable
    parents raise ScenarioError, located at the ``extends`` line that names them.
    """
    sources: list[Source] = []
    problems: list[Problem] = []

    def load(p: Path, r: dict, t: str, label: str, chain: tuple[Path, ...]) -> dict:
        lines = key_lines(t)
        src = Source(label, r, lines)
        sources.append(src)
        ref = r.get("extends")
        if ref is None:
            _strip_remove(r)
            return r
        at = locate(lines, ("extends",))

        def fail(msg: str):
            raise ScenarioError([Problem(label, ("extends",), msg, at)])

        if not isinstance(ref, str) or not ref.strip():
            fail('must be the file name of a scenario, e.g. extends = "treaty-2024.toml"')
        here = p.resolve()
        chain = (*chain, here)
        parent_path = p.parent / ref.strip()
        try:
            parent = parent_path.resolve()
        except (OSError, RuntimeError, ValueError):
            fail(f"'{ref}' is not a usable file name")
        if parent in chain:
            loop = " -> ".join(x.name for x in (*chain, parent))
            fail(f"cycle in extends: {loop}")
        if len(chain) > MAX_EXTENDS:
            fail(f"more than {MAX_EXTENDS} levels of extends")
        try:
            exists, is_dir = parent.exists(), parent.is_dir()
        except OSError:
            exists, is_dir = False, False
        if not exists:
            try:
                options = (
                    [x.stem for x in parent.parent.glob("*.toml")] if parent.parent.is_dir() else []
                )
            except OSError:
                options = []
            # Names compared without their '.toml', which every one shares and would make
            # any two short names look alike.
            near = suggest(Path(ref).stem, options).replace("'?)", ".toml'?)")
            fail(f"parent scenario '{ref}' not found{near}")
        if is_dir:
            fail(f"parent '{ref}' is a folder, not a scenario file")
        parent_label = os.path.normpath(os.path.join(os.path.dirname(label), ref.strip()))
        praw, ptext = read_toml(parent, parent_label)
        merged_parent = load(parent, praw, ptext, parent_label, chain)
        child = {k: v for k, v in r.items() if k != "extends"}
        found: list = []
        out = merge(merged_parent, child, "", found, (), src.removals)
        problems.extend(Problem(label, f[0], f[1], locate(lines, f[0]), *f[2:]) for f in found)
        return out

    try:
        merged = load(path, raw, text, name, ())
    except ScenarioError as e:
        errs = list(e.problems)
        if errs and errs[0].file != name:
            # the trouble is in a file this one extends: say so at this file's extends line
            at = locate(key_lines(text), ("extends",))
            first = errs.pop(0)
            ref = raw.get("extends")
            errs.insert(0, Problem(name, ("extends",), f"cannot use '{ref}': {first}", at))
        raise ScenarioError(errs) from None
    except RecursionError:
        raise ScenarioError([Problem(name, ("extends",), "extends nested too deeply")]) from None
    return merged, sources, problems


def resolve_extends(path: Path, raw: dict, chain: tuple[Path, ...] = ()) -> dict:
    """Merge a file over the scenario it ``extends`` (kept for callers of the old API)."""
    merged, _, problems = resolve_layers(Path(path), raw, "", str(path))
    if problems:
        raise ScenarioError(problems)
    return merged


# --- Where a problem is ------------------------------------------------------------------------


def _translate(merged: Any, layer: Any, path: PathT, shadow: int = -1) -> tuple[list, int]:
    """Follow ``path`` (indices of the merged document) into one file's own document.

    Returns that file's path (its own indices) and how many parts of ``path`` it has.
    Array entries are matched by id (pair for relations), so an entry that a child added or
    changed is found under its index in the child. An array without ids is replaced whole by
    the child-most file that has it: ``shadow`` (the depth a child-er file reached) stops the
    walk at such an array in this file.
    """
    out: list = []
    m, node = merged, layer
    prev: Any = None
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or not isinstance(m, list) or not 0 <= part < len(m):
                break
            field = _key_field(prev)
            key = _key_of(m[part], field)
            hit = None
            if key is not None:
                for j, x in enumerate(node):
                    if _key_of(x, field) == key:
                        hit = j
                        break
            elif part < len(node) and shadow < len(out):
                hit = part
            if hit is None:
                break
            out.append(hit)
            m, node = m[part], node[hit]
        else:
            if not isinstance(node, dict) or part not in node:
                break
            out.append(part)
            node = node[part]
            m = m.get(part) if isinstance(m, dict) else None
        prev = part
    return out, len(out)


class Locator:
    """Turns (merged path, message) into a Problem in the right file, line and indices."""

    def __init__(
        self, merged: Any, sources: list[Source], overrides: dict[PathT, str] | None = None
    ):
        self.merged = merged
        self.sources = sources
        self.overrides = overrides or {}

    def __call__(self, path: PathT, message: str, level: str = "error") -> Problem:
        path = tuple(path)
        for at, key in self.overrides.items():
            if path[: len(at)] == at:
                # the value comes from the command line: say so, not the file's line
                return Problem(self.sources[0].name, path, f"{key}: {message}", None, level)
        if len(self.sources) == 1 or not path:
            src = self.sources[0]
            return Problem(src.name, path, message, locate(src.lines, path), level)
        best, best_depth, best_path = 0, -1, list(path)
        for n, src in enumerate(self.sources):
            own, depth = _translate(self.merged, src.raw, path, best_depth)
            if depth > best_depth:
                best, best_depth, best_path = n, depth, own
        src = self.sources[best]
        shown = (*best_path, *path[best_depth:])
        return Problem(src.name, shown, message, locate(src.lines, shown), level)


# --- Validation ----------------------------------------------------------------------------


def _clean_loc(raw: Any, loc: tuple) -> PathT:
    """Drop the discriminator tags pydantic inserts into locations of tagged unions."""
    out: list = []
    cur = raw
    tagged = False  # the tag of the table ``cur`` was passed over
    for part in loc:
        if isinstance(cur, dict):
            if isinstance(part, str) and cur.get("kind") == part and not tagged:
                # The tag comes first, also where a key has the kind's name (an attr effect's
                # 'attr', a flag effect's 'flag').
                tagged = True
                continue
            if part in cur:
                out.append(part)
                cur = cur[part]
                tagged = False
            elif part == "raise_to" and "raise" in cur:
                out.append("raise")
                cur = cur["raise"]
            else:
                out.append(part)
                cur = None
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
            tagged = False
        else:
            out.append(part)
            cur = None
    return tuple(out)


def _model_at(model: type[BaseModel], loc: PathT):
    """The pydantic model that owns the last key of ``loc`` (for did-you-mean suggestions)."""
    import typing

    cur: Any = model
    for n, part in enumerate(loc[:-1]):
        if isinstance(part, int):
            continue
        if not (isinstance(cur, type) and issubclass(cur, BaseModel)):
            return None
        f = cur.model_fields.get(part)
        if f is None:
            return None
        if part == "effects":
            return _effect_model(loc[n + 2] if n + 2 < len(loc) else None)
        ann = f.annotation
        cand = []
        todo = [ann]
        while todo:
            a = todo.pop()
            if isinstance(a, type) and issubclass(a, BaseModel):
                cand.append(a)
            todo.extend(typing.get_args(a))
        cur = cand[0] if cand else None
    return cur if isinstance(cur, type) and issubclass(cur, BaseModel) else None


def _effect_model(kind: Any):
    for m in EFFECT_MODELS:
        if m.model_fields["kind"].annotation.__args__[0] == kind:
            return m
    return None


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return (
            "an array"
            if len(json.dumps(value, default=str)) > 60
            else json.dumps(value, default=str)
        )
    shown = json.dumps(value, default=str, ensure_ascii=False)
    return shown if len(shown) <= 60 else shown[:57] + '..."'


_TYPE_WORDS = {
    "int_type": "an integer",
    "float_type": "a number",
    "string_type": "a string (in quotes)",
    "bool_type": "true or false",
    "list_type": "an array [...]",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "date_type": "a date",
}


def _message(err: dict, loc: PathT, raw: Any) -> tuple[PathT, str]:
    """A readable message for a pydantic error, and the path to report it at."""
    t = err["type"]
    inp = err.get("input")
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        key = loc[-1] if loc else "?"
        if t == "literal_error":
            options = err.get("ctx", {}).get("expected", "")
            return loc, f"unknown key '{key}': expected one of {options}"
        return (
            loc,
            f"'{key}' is not a valid identifier (a letter, then letters, digits, '_' or '-')",
        )
    if t == "extra_forbidden":
        key = loc[-1] if loc else "?"
        if key == "remove":
            return (
                loc,
                "'remove = true' only works in a file that extends another (it deletes the parent's entry)",
            )
        if key in RETIRED:
            return loc, f"'{key}' is no longer read: {RETIRED[key]}"
        if key in PLACEMENT:
            return (
                loc,
                f"'{key}' places an entry among those a file inherits: it only works in a "
                f"file that extends another (here, write the entries in order)",
            )
        owner = _model_at(Scenario, loc)
        options = []
        if owner is not None:
            options = [f.alias or n for n, f in owner.model_fields.items()]
        known = f"; known keys: {', '.join(options)}" if options and len(options) <= 14 else ""
        hint = suggest(str(key), options)
        return loc, f"unknown key '{key}'{hint or known}"
    if t == "missing":
        return loc, f"missing required key '{loc[-1]}'" if loc else "missing required key"
    if t in ("union_tag_invalid", "union_tag_not_found"):
        kinds = [m.model_fields["kind"].annotation.__args__[0] for m in EFFECT_MODELS]
        if t == "union_tag_not_found":
            return loc, f"an effect needs a 'kind': one of {', '.join(kinds)}"
        tag = err.get("ctx", {}).get("tag", "?")
        return (
            *loc,
            "kind",
        ), f"unknown effect kind '{tag}'{suggest(str(tag), kinds)}; one of {', '.join(kinds)}"
    if t == "list_type" and isinstance(inp, dict) and loc and isinstance(loc[-1], str):
        subs = [k for k, v in inp.items() if isinstance(v, list)]
        if subs:
            key = loc[-1]
            return loc, (
                f"expected [[{key}]] entries, got a table made by a [[{key}.{subs[0]}]] header "
                f"that has no [[{key}]] entry above it (is the header above spelt differently?)"
            )
    if t in _TYPE_WORDS:
        return loc, f"expected {_TYPE_WORDS[t]}, got {_shown(inp)}"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        return loc, msg[len("Value error, ") :]
    if t == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = [x.strip().strip("'") for x in expected.replace(" or ", ", ").split(",")]
        return loc, f"{_shown(inp)} is not one of {expected}{suggest(str(inp), options)}"
    ctx = err.get("ctx") or {}
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "less_than_equal": ("at most", "le"),
        "greater_than": ("more than", "gt"),
        "less_than": ("less than", "lt"),
    }
    if t in bounds:
        word, key = bounds[t]
        limit = ctx.get(key)
        if isinstance(limit, float) and limit.is_integer() and abs(limit) < 1e15:
            limit = int(limit)
        return loc, f"must be {word} {limit} (got {_shown(inp)})"
    if t == "string_too_long":
        return loc, f"too long: at most {ctx.get('max_length')} characters (got {len(str(inp))})"
    if t == "string_too_short":
        return loc, "must not be empty"
    if t in ("too_long", "too_short"):
        size = ctx.get("actual_length")
        if t == "too_long":
            return loc, f"at most {ctx.get('max_length')} entries allowed here (got {size})"
        return loc, f"needs at least {ctx.get('min_length')} entries (got {size})"
    if t == "finite_number":
        return loc, f"expected a finite number, got {_shown(inp)}"
    if t == "string_pattern_mismatch":
        if loc and len(loc) >= 1:
            return loc, f"{_shown(inp)} is not a valid {_id_kind(loc)}"
        return loc, f"{_shown(inp)} is not valid"
    return loc, f"{msg[0].lower()}{msg[1:]} (got {_shown(inp)})"


def _id_kind(loc: PathT) -> str:
    names = [p for p in loc if isinstance(p, str)]
    last = names[-1] if names else ""
    actorish = {
        "pair",
        "parties",
        "covers",
        "rivals",
        "partners",
        "by",
        "on",
        "actor",
        "aggressor",
        "default_player",
    }
    if last in actorish or (names[:1] == ["actors"] and last == "id"):
        return "actor id (2-8 capitals or digits, starting with a capital, e.g. 'PRK')"
    return "id (a letter, then letters, digits, '_' or '-', at most 48)"


def validate(
    raw: dict,
    text: str,
    name: str,
    sources: list[Source] | None = None,
    overrides: dict[PathT, str] | None = None,
) -> tuple[Scenario | None, list[Problem]]:
    """Validate a merged TOML document; return the model (or None) and every problem found.

    ``overrides`` maps the merged paths set from the command line to the option as the user
    gave it ("--set KEY"): problems there are reported as the option's. A reference left dangling by an entry a file removed is reported
    at that removal.
    """
    sources = sources or [Source(name, raw, key_lines(text))]
    where = Locator(raw, sources, overrides)
    # Uncertain numbers (game.scenario.draws): validated at their central value.
    central, draws, bad = extract_draws(raw)
    model, problems = _validate(central, where)
    if bad:
        problems = _unique([where(p, m) for p, m in bad] + problems)
        model = None
    elif model is not None:
        model._draws = draws
    return model, _blame_siblings(_blame_removals(problems, sources), sources)


def _blame_siblings(problems: list[Problem], sources: list[Source]) -> list[Problem]:
    """A problem between two keys of one table (thresholds out of order) found in a parent,
    when this file set the other key: report it where this file made the change."""
    child = sources[0]
    out = []
    for p in problems:
        if p.file != child.name and len(p.path) >= 2 and isinstance(p.path[-1], str):
            for other in re.findall(r"'([A-Za-z0-9_\-]+)'", p.message):
                at = (*p.path[:-1], other)
                if other != p.path[-1] and at in child.lines:
                    p = Problem(child.name, at, p.message, child.lines[at], p.level)
                    break
        out.append(p)
    return out


def _blame_removals(problems: list[Problem], sources: list[Source]) -> list[Problem]:
    removed: dict[tuple[str, str], tuple[Source, PathT]] = {}
    for src in sources:
        for what, ident, at in src.removals:
            removed.setdefault((what, ident), (src, at))
    if not removed:
        return problems
    out = []
    for p in problems:
        hit = None
        for (what, ident), (src, at) in removed.items():
            if f"unknown {what} '{ident}'" in p.message and p.file != src.name:
                hit = src, at, what, ident
                break
        if hit is None:
            out.append(p)
            continue
        src, at, what, ident = hit
        out.append(
            Problem(
                src.name,
                at,
                f"removing {what} '{ident}' leaves a reference to it: {p}",
                locate(src.lines, at),
                p.level,
            )
        )
    return _unique(out)


def _validate(raw: dict, where: Locator) -> tuple[Scenario | None, list[Problem]]:
    try:
        model = Scenario.model_validate(raw)
    except ValidationError as e:
        problems = []
        errors = e.errors()
        for err in errors:
            loc = _clean_loc(raw, tuple(err["loc"]))
            loc, msg = _message(err, loc, raw)
            problems.append(where(loc, msg))
        return None, _unique(problems + _check_rest(raw, errors, where))
    except RecursionError:
        return None, [where((), "document nested too deeply")]
    return model, _unique([where(p, m) for p, m in check(model)])


_PRUNABLE = ("relations", "treaties", "actions", "events", "outcomes")


def _check_rest(raw: dict, errors: list[dict], where: Locator) -> list[Problem]:
    """Cross-reference problems of the entries that did pass, so that one run shows them too.

    When every type error sits inside entries of relations, treaties, actions, events or
    outcomes, those entries are set aside and the rest is checked; problems that name a
    set-aside entry, or a flag its effects set, are left out (they would only repeat the first
    error).
    """
    bad: dict[str, set[int]] = {}
    for err in errors:
        loc = err["loc"]
        if len(loc) >= 2 and loc[0] in _PRUNABLE and isinstance(loc[1], int):
            bad.setdefault(loc[0], set()).add(loc[1])
        else:
            return []
    pruned = dict(raw)
    kept: dict[str, list[int]] = {}
    dropped: list[str] = []
    for table, idx in bad.items():
        items = raw.get(table)
        if not isinstance(items, list):
            return []
        kept[table] = [i for i in range(len(items)) if i not in idx]
        pruned[table] = [items[i] for i in kept[table]]
        for i in idx:
            item = items[i] if i < len(items) else None
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                dropped.append(item["id"])
            # The flags its effects set: conditions reading them are not wrong on that account.
            effects = item.get("effects") if isinstance(item, dict) else None
            for eff in effects if isinstance(effects, list) else ():
                if isinstance(eff, dict) and isinstance(eff.get("flag"), str):
                    dropped.append(eff["flag"])
    try:
        model = Scenario.model_validate(pruned)
    except (ValidationError, RecursionError):
        return []
    out = []
    for path, msg in check(model):
        if any(f"'{d}'" in msg or f"'{d}." in msg for d in dropped):
            continue
        if len(path) >= 2 and path[0] in kept and isinstance(path[1], int):
            path = (path[0], kept[path[0]][path[1]], *path[2:])
        out.append(where(path, msg))
    return out


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set = set()
    out = []
    for p in problems:
        key = (p.file, p.line, p.path, p.message, p.level)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# --- --set overrides ---------------------------------------------------------------------------


def apply_override(raw: dict, key: str, value: Any, name: str, shown: str = "") -> PathT:
    """Set ``key`` (a dotted path; list entries by id, e.g. ``actors.PRK.military``, relations
    by pair, e.g. ``relations.CHN-USA.tension``) to value; return the path it set. ``shown``:
    the option as the user gave it, which problems name (``--set KEY`` by default)."""
    shown = shown or f"--set {key}"
    parts = [p for p in key.split(".") if p]
    if not parts:
        raise ScenarioError([Problem(name, (), f"{shown}: empty key")])
    cur: Any = raw
    walked: list = []
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        if isinstance(cur, list):
            hit = None
            if part.isdigit() and int(part) < len(cur):
                hit = int(part)
            else:
                for i, item in enumerate(cur):
                    if isinstance(item, dict) and part in _entry_names(item):
                        hit = i
                        break
            if hit is None:
                ids = [n for x in cur if isinstance(x, dict) for n in _entry_names(x)[:1]]
                hint = suggest(part, ids)
                if not hint and 0 < len(ids) <= 30:
                    hint = f" (the entries: {', '.join(map(str, ids))})"
                raise ScenarioError(
                    [Problem(name, tuple(walked), f"{shown}: no entry '{part}'{hint}")]
                )
            walked.append(hit)
            if last:
                cur[hit] = value
            else:
                cur = cur[hit]
            continue
        if not isinstance(cur, dict):
            raise ScenarioError(
                [Problem(name, tuple(walked), f"{shown}: '{part}' is not inside a table")]
            )
        walked.append(part)
        if last:
            cur[part] = value
        else:
            if part not in cur:
                cur[part] = {}
            cur = cur[part]
    return tuple(walked)


def _entry_names(item: dict) -> list[str]:
    """How --set may name an array entry: its id, or a relation's pair either way round."""
    if isinstance(item.get("id"), str):
        return [item["id"]]
    pair = item.get("pair")
    if isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair):
        return [f"{pair[0]}-{pair[1]}", f"{pair[1]}-{pair[0]}"]
    return []


def parse_value(text: str) -> Any:
    """A --set value: TOML syntax when it parses (numbers, booleans, arrays, strings)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError):
        return text


# --- The whole pipeline ------------------------------------------------------------------------


def _in_order(problems: list[Problem], name: str) -> list[Problem]:
    """Errors before warnings; this file before the files it extends; then by line."""
    files = {name: 0}
    for p in problems:
        files.setdefault(p.file, len(files))
    return sorted(problems, key=lambda p: (p.level != "error", files[p.file], p.line or 0))


def check_text(
    data: bytes | str, name: str, path: Path | None = None, overrides: dict[str, Any] | None = None
) -> Report:
    """Every problem of a scenario given as text (``path`` locates the files it extends)."""
    report = Report(name)
    try:
        raw, text = parse_toml(data, name)
        _check_doc(report, Path(path) if path else Path(name), raw, text, overrides)
    except ScenarioError as e:
        report.problems = list(e.problems)
    report.problems = _in_order(report.problems, name)
    return report


def check_file(
    path: str | Path,
    overrides: dict[str, Any] | None = None,
    label: str | None = None,
    shown: dict[str, str] | None = None,
) -> Report:
    """Read, merge, validate, compile and lint a scenario file; never raises for bad input.
    ``shown``: how the user gave some of ``overrides``' keys, for the problems to name (a
    sweep's "KEY=VALUE"); the others are named as ``--set KEY``."""
    path = Path(path)
    name = label or str(path)
    report = Report(name)
    try:
        raw, text = read_toml(path, name)
        _check_doc(report, path, raw, text, overrides, shown)
    except ScenarioError as e:
        report.problems = list(e.problems)
    report.problems = _in_order(report.problems, name)
    return report


def _check_doc(
    report: Report,
    path: Path,
    raw: dict,
    text: str,
    overrides: dict[str, Any] | None,
    shown: dict[str, str] | None = None,
) -> None:
    name = report.name
    merged, sources, problems = resolve_layers(path, raw, text, name)
    changed: dict[PathT, str] = {}
    for key, value in (overrides or {}).items():
        as_given = (shown or {}).get(key) or f"--set {key}"
        changed[apply_override(merged, key, value, name, as_given)] = as_given
    model, found = validate(merged, text, name, sources, changed)
    problems = problems + found
    report.problems = problems
    if model is None or any(p.level == "error" for p in problems):
        return
    params = compile_scenario(model)
    report.problems = problems + _unique(_warnings(model, params, merged, sources))
    report.loaded = LoadedScenario(path=path, model=model, params=params, raw=merged)


def _warnings(
    model: Scenario, params: Params, merged: dict, sources: list[Source]
) -> list[Problem]:
    from .lint import PAST, lint

    where = Locator(merged, sources)
    child = sources[0]
    out: list[Problem] = []
    inherited_past: list[str] = []
    for path, message in lint(model, params):
        p = where(path, message, "warning")
        if p.file != child.name and PAST in message and len(path) >= 2:
            table, n = path[0], path[1]
            entry = getattr(model, str(table), None)
            if isinstance(entry, list) and isinstance(n, int) and n < len(entry):
                inherited_past.append(f"{table}.{entry[n].id}")
                continue
        out.append(p)
    if inherited_past:
        shown = ", ".join(inherited_past[:8]) + (" ..." if len(inherited_past) > 8 else "")
        at = ("scenario", "start") if ("scenario", "start") in child.lines else ("extends",)
        out.append(
            Problem(
                child.name,
                at,
                f"{len(inherited_past)} inherited entries are dated {PAST} and never fire or "
                f"bind: {shown} (delete them with remove = true if they are not wanted)",
                locate(child.lines, at),
                "warning",
            )
        )
    if len(sources) > 1:
        parent_meta = sources[1].raw.get("scenario")
        child_meta = child.raw.get("scenario")
        pid = parent_meta.get("id") if isinstance(parent_meta, dict) else None
        own = child_meta.get("id") if isinstance(child_meta, dict) else None
        if pid is not None and own == pid:
            out.append(
                Problem(
                    child.name,
                    ("scenario", "id"),
                    f"the same id '{pid}' as the scenario it extends: results, saves and "
                    f"reports of the two would be mixed up; give the variant its own id",
                    locate(child.lines, ("scenario", "id")),
                    "warning",
                )
            )
        if pid is not None and not (isinstance(child_meta, dict) and "id" in child_meta):
            at = ("scenario",) if ("scenario",) in child.lines else ("extends",)
            out.append(
                Problem(
                    child.name,
                    ("scenario", "id"),
                    f"keeps the id '{pid}' of the scenario it extends; give the variant its own "
                    f"[scenario] id",
                    locate(child.lines, at),
                    "warning",
                )
            )
    return out


def load_scenario(
    path: str | Path, overrides: dict[str, Any] | None = None, shown: dict[str, str] | None = None
) -> LoadedScenario:
    """Read, merge, validate and compile a scenario file; raise ScenarioError on any problem.
    ``shown``: as :func:`check_file`."""
    report = check_file(path, overrides, shown=shown)
    if report.errors or report.loaded is None:
        raise ScenarioError(
            report.errors or report.problems or [Problem(report.name, (), "invalid scenario")]
        )
    return report.loaded


__all__ = [
    "MAX_BYTES",
    "LoadedScenario",
    "Report",
    "Source",
    "apply_override",
    "check_file",
    "check_text",
    "format_path",
    "load_scenario",
    "merge",
    "parse_toml",
    "parse_value",
    "read_toml",
    "resolve_extends",
    "resolve_layers",
    "validate",
]
