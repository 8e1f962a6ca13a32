"""A merged scenario written back as TOML: what ``pact show`` prints.

A variant (``extends``) holds only its changes; the file written here holds the whole
scenario its parents and ``--set`` options make, and validates on its own. Tables come out
as ``[table]`` and arrays of tables as ``[[array]]`` (``[[treaties.clauses]]`` under each
treaty), other values inline.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from typing import Any

from .draws import is_distribution

_BARE = re.compile(r"^[A-Za-z0-9_\-]+$")
# The order of the top-level tables in a written scenario (others follow, in their order).
ORDER = (
    "scenario",
    "defaults",
    "ladder",
    "ai",
    "commitments",
    "actors",
    "relations",
    "treaties",
    "red_lines",
    "actions",
    "events",
    "outcomes",
)


def _key(k: Any) -> str:
    k = str(k)
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):  # never valid in a scenario; written as TOML says
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, _dt.datetime | _dt.date | _dt.time):
        return v.isoformat()
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return json.dumps(str(v))


def _is_table_array(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _body(path: tuple[str, ...], table: dict, lines: list[str]) -> None:
    """The keys of one table: plain values first, then its sub-tables and arrays of tables."""
    later = []
    for k, v in table.items():
        if (isinstance(v, dict) and v and path and not is_distribution(v)) or _is_table_array(v):
            later.append((k, v))
        else:
            lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in later:
        sub = (*path, _key(k))
        if isinstance(v, dict):
            lines.extend(["", f"[{'.'.join(sub)}]"])
            _body(sub, v, lines)
        else:
            for entry in v:
                lines.extend(["", f"[[{'.'.join(sub)}]]"])
                _body(sub, entry, lines)


def to_toml(doc: dict, header: str = "") -> str:
    """A scenario document (as read from TOML and merged) as TOML text."""
    lines: list[str] = [f"# {line}".rstrip() for line in header.splitlines()]
    keys = [k for k in ORDER if k in doc] + [k for k in doc if k not in ORDER and k != "extends"]
    plain = {k: doc[k] for k in keys if not isinstance(doc[k], dict | list) or doc[k] == []}
    for k, v in plain.items():
        lines.append(f"{_key(k)} = {_value(v)}")
    for k in keys:
        v = doc[k]
        if k in plain:
            continue
        if isinstance(v, dict):
            lines.extend(["", f"[{_key(k)}]"])
            _body((_key(k),), v, lines)
        elif _is_table_array(v):
            for entry in v:
                lines.extend(["", f"[[{_key(k)}]]"])
                _body((_key(k),), entry, lines)
        else:
            lines.append(f"{_key(k)} = {_value(v)}")
    return "\n".join(lines).lstrip("\n") + "\n"
