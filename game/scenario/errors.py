"""Located problems in scenario files: ``file:line: key.path: message``.

Problems carry the file, the key path inside it and, when it can be found, the line. Lines come
from :func:`key_lines`, a light scan of the TOML text that maps every key path (with the index
of each array entry) to the line it starts on.
"""

from __future__ import annotations

import contextlib
import difflib
import os
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
        return printable(f"{loc}: {prefix}{where}{self.message}")


def printable(text: str) -> str:
    """Text safe to print on a terminal: control characters (ESC, NUL...) written as escapes."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


class ScenarioError(Exception):
    """A scenario that cannot be used; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = [p for p in problems if p.level == "error"] or list(problems)
        super().__init__(str(self.problems[0]) if self.problems else "invalid scenario")

    def one_line(self) -> str:
        if not self.problems:
            return "invalid scenario"
        first = str(self.problems[0])
        more = len(self.problems) - 1
        return (
            first
            if more <= 0
            else f"{first} (and {more} more; 'pact validate', which takes --set too, lists them)"
        )


def format_path(path: Iterable[str | int]) -> str:
    """('events', 3, 'when') -> 'events[3].when'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            if not re.fullmatch(r"[A-Za-z0-9_\-]+", text):
                text = '"' + text.replace('"', '\\"')[:60] + '"'
            out += ("." if out else "") + text
    return out


def suggest(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a close match among options, else ''."""
    word = str(word)
    if len(word) > 200:  # no name is that long: nothing close to suggest
        return ""
    close = difflib.get_close_matches(word, [str(o) for o in options], n=5, cutoff=0.6)
    if not close:
        return ""
    # Of the close ones, the one sharing the longest start: an id's start names what it is
    # ('rus_prk_1999' is a Russia-DPRK treaty mistyped, not 'us_rok_1953').
    best = max(close, key=lambda o: (len(os.path.commonprefix([word, o])), -close.index(o)))
    return f" (did you mean '{best}'?)"


# --- Where keys are: a scan of the TOML text ------------------------------------------------

_BARE = re.compile(r"[A-Za-z0-9_\-]+")
_KEY_LIMIT = 16  # dotted parts of a key that the scan keeps
_SCALAR_END = re.compile(r"[,\]}\n#]")
_SPACE = " \t\r"


class _Scanner:
    """Walks TOML text that has already parsed, recording the line of every key and entry.

    It understands just enough TOML (headers, arrays of tables, dotted and quoted keys, inline
    tables, arrays, strings) to know where each value starts; every loop advances, and any
    surprise ends the scan with what was found so far.
    """

    def __init__(self, text: str):
        self.s = text
        self.n = len(text)
        self.i = 0
        self.line = 1
        self.lines: dict[PathT, int] = {}
        self.counters: dict[PathT, int] = {}
        # Parts of a dotted key kept (the rest are read past): no valid key is deeper, and
        # recording every prefix of a key of k parts costs k squared.
        self.key_limit = _KEY_LIMIT
        self.long_key: tuple[int, int] | None = None  # (line, parts) of the first longer key

    # low-level movement
    def _advance(self, to: int) -> None:
        self.line += self.s.count("\n", self.i, to)
        self.i = to

    def _skip_space(self, newlines: bool) -> None:
        while self.i < self.n:
            ch = self.s[self.i]
            if ch in _SPACE:
                self.i += 1
            elif ch == "\n" and newlines:
                self.i += 1
                self.line += 1
            elif ch == "#":
                end = self.s.find("\n", self.i)
                self.i = self.n if end < 0 else end
                if not newlines:
                    return
            else:
                return

    def _record(self, path: PathT) -> None:
        self.lines.setdefault(path, self.line)

    def _string(self) -> str:
        """Read a string starting at self.i; return its (roughly unescaped) text."""
        s = self.s
        for quote in ('"""', "'''"):
            if s.startswith(quote, self.i):
                start = self.i + 3
                end = s.find(quote, start)
                while end >= 0 and quote == '"""' and _escaped(s, end):
                    end = s.find(quote, end + 1)
                end = self.n if end < 0 else end
                while s.startswith(quote[0], end + 3) and end + 3 < self.n:
                    end += 1  # up to two quotes may close a multi-line string
                text = s[start:end]
                self._advance(min(end + 3, self.n))
                return text
        quote = s[self.i]
        j = self.i + 1
        while j < self.n and s[j] != quote and s[j] != "\n":
            j += 2 if (quote == '"' and s[j] == "\\") else 1
        text = s[self.i + 1 : j]
        self.i = min(j + 1, self.n)
        return text

    def _key(self) -> list[str]:
        """A possibly dotted, possibly quoted key; stops before '=' or ']'."""
        parts: list[str] = []
        count = 0
        while self.i < self.n:
            self._skip_space(False)
            if self.i >= self.n:
                break
            ch = self.s[self.i]
            if ch in "\"'":
                part = self._string()
            else:
                m = _BARE.match(self.s, self.i)
                if not m:
                    break
                part = m.group(0)
                self.i = m.end()
            count += 1
            if count <= self.key_limit:
                parts.append(part)
            self._skip_space(False)
            if self.i < self.n and self.s[self.i] == ".":
                self.i += 1
                continue
            break
        if count > self.key_limit and self.long_key is None:
            self.long_key = (self.line, count)
        return parts

    def _value(self, path: PathT, depth: int = 0) -> None:
        self._skip_space(False)
        if self.i >= self.n or depth > 64:
            return
        ch = self.s[self.i]
        if ch == "[":
            self.i += 1
            idx = 0
            while self.i < self.n:
                self._skip_space(True)
                if self.i >= self.n:
                    return
                if self.s[self.i] == "]":
                    self.i += 1
                    return
                if self.s[self.i] == ",":
                    self.i += 1
                    idx += 1
                    continue
                before = self.i
                self._record((*path, idx))
                self._value((*path, idx), depth + 1)
                if self.i == before:
                    self.i += 1
        elif ch == "{":
            self.i += 1
            while self.i < self.n:
                self._skip_space(True)
                if self.i >= self.n:
                    return
                c = self.s[self.i]
                if c == "}":
                    self.i += 1
                    return
                if c == ",":
                    self.i += 1
                    continue
                before = self.i
                key = self._key()
                if key:
                    for cut in range(1, len(key) + 1):
                        self._record((*path, *key[:cut]))
                self._skip_space(False)
                if self.i < self.n and self.s[self.i] == "=":
                    self.i += 1
                    self._value((*path, *key), depth + 1)
                if self.i == before:
                    self.i += 1
        elif ch in "\"'":
            self._string()
        else:
            m = _SCALAR_END.search(self.s, self.i)
            self.i = self.n if m is None else m.start()

    def _header(self) -> None:
        is_array = self.s.startswith("[[", self.i)
        self.i += 2 if is_array else 1
        names = self._key()
        self._skip_space(False)
        close = "]]" if is_array else "]"
        if self.s.startswith(close, self.i):
            self.i += len(close)
        resolved: list[str | int] = []
        for name in names[:-1]:
            resolved.append(name)
            self._record(tuple(resolved))
            idx = self.counters.get(tuple(resolved))
            if idx is not None:
                resolved.append(idx)
        if names:
            resolved.append(names[-1])
        if is_array:
            key = tuple(resolved)
            self.counters[key] = self.counters.get(key, -1) + 1
            self._record(key)
            resolved.append(self.counters[key])
        self.current = tuple(resolved)
        self._record(self.current)

    def scan(self) -> dict[PathT, int]:
        self.current: PathT = ()
        while self.i < self.n:
            self._skip_space(True)
            if self.i >= self.n:
                break
            before = self.i
            if self.s[self.i] == "[":
                self._header()
            else:
                key = self._key()
                for cut in range(1, len(key) + 1):
                    self._record((*self.current, *key[:cut]))
                self._skip_space(False)
                if key and self.i < self.n and self.s[self.i] == "=":
                    self.i += 1
                    self._value((*self.current, *key))
            if self.i == before:
                self.i += 1
            # whatever is left on the line (a comment) is skipped by _skip_space
        return self.lines


def _escaped(s: str, pos: int) -> bool:
    backslashes = 0
    j = pos - 1
    while j >= 0 and s[j] == "\\":
        backslashes += 1
        j -= 1
    return backslashes % 2 == 1


def long_key(text: str, limit: int) -> tuple[int, int] | None:
    """(line, parts) of the first key of more than ``limit`` dotted parts, or None.

    Linear in the text, and only run on a text with a line of more than ``limit`` dots: a
    parser spends time quadratic in the parts of a dotted key, so such keys are refused before
    parsing."""
    if not any(line.count(".") > limit for line in text.splitlines()):
        return None
    scanner = _Scanner(text)
    scanner.key_limit = limit
    with contextlib.suppress(IndexError, ValueError, RecursionError):
        scanner.scan()
    return scanner.long_key


def key_lines(text: str) -> dict[PathT, int]:
    """Map key paths (with array indices) to the 1-based line their value starts on.

    ``[[events]]`` entries are ``("events", n)``; keys inside inline tables and entries of
    multi-line arrays are found too, e.g. ``("ladder", "rungs", 3, "up")``. Only used to point at
    a line in messages, so a surprise ends the scan quietly with what was found.
    """
    scanner = _Scanner(text)
    try:
        return scanner.scan()
    except (IndexError, ValueError, RecursionError):
        return scanner.lines


def locate(lines: dict[PathT, int], path: PathT) -> int | None:
    """The line of the longest prefix of ``path`` that the scan found."""
    for cut in range(len(path), 0, -1):
        hit = lines.get(tuple(path[:cut]))
        if hit is not None:
            return hit
    return None
