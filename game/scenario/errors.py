"""Located problems in scenario files: ``file:line: key.path: message``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PathT = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario file; ``level`` is 'error' or 'warning'."""

    file: str
    path: PathT
    message: str
    line: int | None = None
    level: str = "error"

    @property
    def where(self) -> str:
        return format_path(self.path)

    def __str__(self) -> str:
        loc = self.file if self.line is None else f"{self.file}:{self.line}"
        prefix = "warning: " if self.level == "warning" else ""
        where = f"{self.where}: " if self.path else ""
        return f"{loc}: {prefix}{where}{self.message}"


class ScenarioError(Exception):
    """A scenario that cannot be used; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = [p for p in problems if p.level == "error"] or list(problems)
        super().__init__(str(self.problems[0]) if self.problems else "invalid scenario")

    def one_line(self) -> str:
        first = str(self.problems[0])
        more = len(self.problems) - 1
        return first if more <= 0 else f"{first} (and {more} more; see 'pact validate')"


def format_path(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def suggest(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a close match among options, else ''."""
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


def _split_key(text: str) -> list[str]:
    parts = []
    for raw in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', text):
        raw = raw.strip()
        if raw and raw[0] in "\"'":
            raw = raw[1:-1]
        if raw:
            parts.append(raw)
    return parts


def key_lines(text: str) -> dict[PathT, int]:
    """Map key paths (with array-of-table indices) to the 1-based line they are defined on.

    A light scan of TOML structure: table headers, arrays of tables and ``key =`` lines. It is
    only used to point at a line in error messages, so it favours robustness over completeness.
    """
    lines: dict[PathT, int] = {}
    counters: dict[PathT, int] = {}
    current: PathT = ()
    depth = 0  # inside a multi-line array or inline table: keys there are not top level
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if depth == 0:
            m = _HEADER.match(line)
            if m:
                is_array = m.group(1) == "[["
                names = _split_key(m.group(2))
                resolved: list[str | int] = []
                for name in names[:-1]:
                    resolved.append(name)
                    idx = counters.get(tuple(resolved))
                    if idx is not None:
                        resolved.append(idx)
                resolved.append(names[-1])
                if is_array:
                    key = tuple(resolved)
                    counters[key] = counters.get(key, -1) + 1
                    resolved.append(counters[key])
                current = tuple(resolved)
                lines.setdefault(current, n)
                if is_array:
                    lines.setdefault(current[:-1], n)
                continue
            km = _KEY.match(line)
            if km and not stripped.startswith("#"):
                path = current + tuple(_split_key(km.group(1)))
                lines.setdefault(path, n)
        depth += _bracket_delta(line)
        depth = max(depth, 0)
    return lines


def _bracket_delta(line: str) -> int:
    """Net opening brackets on a line, ignoring strings and comments."""
    delta = 0
    quote = None
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "[{":
            delta += 1
        elif ch in "]}":
            delta -= 1
        i += 1
    return delta


def locate(lines: dict[PathT, int], path: PathT) -> int | None:
    """The line of the longest prefix of ``path`` that the scan found."""
    for cut in range(len(path), 0, -1):
        hit = lines.get(tuple(path[:cut]))
        if hit is not None:
            return hit
    return None
