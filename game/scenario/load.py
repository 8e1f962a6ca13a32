"""Reading scenario files: TOML -> merged with its parent -> validated -> compiled.

Every problem is reported with the file, the line where it can be found and the key path;
nothing here lets a traceback reach the user for bad input.
"""

from __future__ import annotations

import copy
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from game.engine.params import Params

from .check import check
from .compile import compile_scenario
from .errors import PathT, Problem, ScenarioError, key_lines, locate, suggest
from .model import Scenario

MAX_BYTES = 2_000_000  # a scenario is text written by people: 2 MB is far beyond any real one
MAX_EXTENDS = 8


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


def read_toml(path: Path, label: str | None = None) -> tuple[dict, str]:
    """Parse a TOML file; raise ScenarioError with a located problem if it cannot be read."""
    name = label or str(path)
    if not path.exists():
        raise ScenarioError([Problem(name, (), "no such file")])
    if path.is_dir():
        raise ScenarioError([Problem(name, (), "is a folder, not a scenario file")])
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError(
                [Problem(name, (), f"file too large ({size:,} bytes; at most {MAX_BYTES:,})")]
            )
        data = path.read_bytes()
    except OSError as e:
        raise ScenarioError([Problem(name, (), f"cannot read file ({e.strerror})")]) from None
    if b"\x00" in data:
        raise ScenarioError([Problem(name, (), "binary data, not a TOML text file")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ScenarioError(
            [Problem(name, (), f"not UTF-8 text (byte 0x{data[e.start]:02x})", line)]
        ) from None
    if not text.strip():
        raise ScenarioError([Problem(name, (), "empty file: a scenario needs [scenario], [ladder], [[actors]], [[actions]] and [[outcomes]]")])
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        line = None
        if "(at line " in msg:
            try:
                line = int(msg.split("(at line ")[1].split(",")[0])
            except (IndexError, ValueError):
                line = None
            msg = msg.split(" (at line ")[0]
        raise ScenarioError([Problem(name, (), f"TOML syntax error: {msg}", line)]) from None
    except RecursionError:
        raise ScenarioError([Problem(name, (), "TOML nested too deeply")]) from None
    return raw, text


_KEYED = {"relations": "pair"}


def _key_of(item: Any, field: str) -> Any:
    v = item.get(field) if isinstance(item, dict) else None
    return tuple(sorted(v)) if isinstance(v, list) and all(isinstance(x, str) for x in v) else v


def merge(parent: Any, child: Any, name: str = "") -> Any:
    """Child values override the parent's; tables merge; arrays of tables merge by id.

    An array of tables whose entries carry ``id`` (``pair`` for relations) is merged entry by
    entry: an entry with a known id changes that entry, a new id is appended, and an entry
    with ``remove = true`` deletes it. Other arrays are replaced whole.
    """
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        for k, v in child.items():
            out[k] = merge(parent[k], v, k) if k in parent else v
        return out
    if (
        isinstance(parent, list)
        and isinstance(child, list)
        and all(isinstance(x, dict) for x in parent + child)
    ):
        field = _KEYED.get(name, "id")
        if all(_key_of(x, field) is not None for x in parent + child):
            out = [copy.deepcopy(x) for x in parent]
            index = {_key_of(x, field): i for i, x in enumerate(out)}
            removed = set()
            for item in child:
                key = _key_of(item, field)
                if item.get("remove") is True:
                    removed.add(key)
                    continue
                if key in index:
                    out[index[key]] = merge(out[index[key]], item, "")
                else:
                    index[key] = len(out)
                    out.append(item)
            return [x for x in out if _key_of(x, field) not in removed]
    return copy.deepcopy(child)


def resolve_extends(path: Path, raw: dict, chain: tuple[Path, ...] = ()) -> dict:
    """Merge a file over the scenario it ``extends``, recursively, reporting cycles."""
    parent_ref = raw.get("extends")
    if parent_ref is None:
        return raw
    name = str(path)
    if not isinstance(parent_ref, str) or not parent_ref.strip():
        raise ScenarioError([Problem(name, ("extends",), "must be a file name")])
    parent = (path.parent / parent_ref).resolve()
    here = path.resolve()
    chain = (*chain, here)
    if parent in chain:
        loop = " -> ".join(p.name for p in (*chain, parent))
        raise ScenarioError([Problem(name, ("extends",), f"cycle in extends: {loop}")])
    if len(chain) > MAX_EXTENDS:
        raise ScenarioError([Problem(name, ("extends",), f"more than {MAX_EXTENDS} levels of extends")])
    if not parent.is_file():
        raise ScenarioError([Problem(name, ("extends",), f"parent scenario '{parent_ref}' not found")])
    try:
        praw, _ = read_toml(parent, str(path.parent / parent_ref))
        praw = resolve_extends(parent, praw, chain)
    except ScenarioError as e:
        first = e.problems[0]
        raise ScenarioError(
            [Problem(name, ("extends",), f"in parent '{parent_ref}': {first}")]
        ) from None
    child = {k: v for k, v in raw.items() if k != "extends"}
    return merge(praw, child)


def _clean_loc(raw: Any, loc: tuple) -> PathT:
    """Drop the discriminator tags pydantic inserts into locations of tagged unions."""
    out: list = []
    cur = raw
    for part in loc:
        if isinstance(cur, dict):
            if part in cur:
                out.append(part)
                cur = cur[part]
            elif isinstance(part, str) and cur.get("kind") == part:
                continue
            elif part == "raise_to" and "raise" in cur:
                out.append("raise")
                cur = cur["raise"]
            else:
                out.append(part)
                cur = None
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
        else:
            out.append(part)
            cur = None
    return tuple(out)


def _model_at(model: type[BaseModel], loc: PathT):
    """The pydantic model that owns the last key of ``loc`` (for did-you-mean suggestions)."""
    import typing

    cur: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(cur, type) and issubclass(cur, BaseModel)):
            return None
        f = cur.model_fields.get(part)
        if f is None:
            return None
        ann = f.annotation
        args = typing.get_args(ann)
        cand = [a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)]
        if not cand:
            for a in args:
                for b in typing.get_args(a):
                    if isinstance(b, type) and issubclass(b, BaseModel):
                        cand.append(b)
        cur = cand[0] if cand else None
    return cur if isinstance(cur, type) and issubclass(cur, BaseModel) else None


def _message(err: dict, loc: PathT) -> str:
    t = err["type"]
    if t == "extra_forbidden":
        key = loc[-1] if loc else "?"
        owner = _model_at(Scenario, loc)
        options = []
        if owner is not None:
            options = [f.alias or n for n, f in owner.model_fields.items()]
        return f"unknown key '{key}'{suggest(str(key), options)}"
    if t == "missing":
        return f"missing required key '{loc[-1]}'" if loc else "missing required key"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    inp = err.get("input")
    if t.startswith(("string_pattern", "literal_error", "less_than", "greater_than")) or t in (
        "int_parsing",
        "float_parsing",
        "bool_parsing",
        "int_type",
        "float_type",
        "string_type",
        "bool_type",
        "list_type",
        "dict_type",
        "model_type",
        "int_from_float",
    ):
        shown = json.dumps(inp, default=str) if not isinstance(inp, dict) else "a table"
        if len(shown) > 60:
            shown = shown[:57] + "..."
        msg = f"{msg[0].lower()}{msg[1:]} (got {shown})"
    return msg


def validate(raw: dict, text: str, name: str) -> tuple[Scenario | None, list[Problem]]:
    """Validate a merged TOML document; return the model (or None) and every problem found."""
    lines = key_lines(text)

    def problem(path: PathT, message: str, level: str = "error") -> Problem:
        return Problem(name, path, message, locate(lines, path), level)

    try:
        model = Scenario.model_validate(raw)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = _clean_loc(raw, tuple(err["loc"]))
            problems.append(problem(loc, _message(err, loc)))
        return None, problems
    except RecursionError:
        return None, [problem((), "document nested too deeply")]
    return model, [problem(p, m) for p, m in check(model)]


def apply_override(raw: dict, key: str, value: Any, name: str) -> None:
    """Set ``key`` (a dotted path; list entries by id, e.g. ``actors.PRK.military``) to value."""
    parts = [p for p in key.split(".") if p]
    if not parts:
        raise ScenarioError([Problem(name, (), f"--set: empty key in '{key}'")])
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
                    if isinstance(item, dict) and item.get("id") == part:
                        hit = i
                        break
            if hit is None:
                ids = [str(x.get("id")) for x in cur if isinstance(x, dict)]
                raise ScenarioError(
                    [Problem(name, tuple(walked), f"--set {key}: no entry '{part}'{suggest(part, ids)}")]
                )
            walked.append(hit)
            if last:
                cur[hit] = value
            else:
                cur = cur[hit]
            continue
        if not isinstance(cur, dict):
            raise ScenarioError([Problem(name, tuple(walked), f"--set {key}: '{part}' is not inside a table")])
        walked.append(part)
        if last:
            cur[part] = value
        else:
            if part not in cur:
                cur[part] = {}
            cur = cur[part]


def parse_value(text: str) -> Any:
    """A --set value: TOML syntax when it parses (numbers, booleans, arrays, strings)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> LoadedScenario:
    """Read, merge, validate and compile a scenario file; raise ScenarioError on any problem."""
    path = Path(path)
    name = str(path)
    raw, text = read_toml(path, name)
    raw = resolve_extends(path, raw)
    for key, value in (overrides or {}).items():
        apply_override(raw, key, value, name)
    model, problems = validate(raw, text, name)
    errors = [p for p in problems if p.level == "error"]
    if model is None or errors:
        raise ScenarioError(errors or problems)
    params = compile_scenario(model)
    return LoadedScenario(path=path, model=model, params=params, raw=raw)
