"""Saved games: a versioned JSON header and the engine state's arrays in one .npz file.

The file is a numpy ``.npz`` archive. Its ``header`` member holds UTF-8 JSON (format name,
version, scenario, player, seed, history); every other member is one array of the engine
``State``. Nothing is pickled: files are read with ``allow_pickle=False`` and every array is
checked against the shape and type the scenario expects before a game is rebuilt from it.
Files are written to a temporary name in the same folder, then renamed over the target, so
a crash never leaves a half-written save.
"""

from __future__ import annotations

import copy
import json
import os
import stat
import sys
import time
import zipfile
import zlib
from dataclasses import fields
from pathlib import Path

import numpy as np

from game.atomic import write_atomic
from game.engine import ATTR, State, initial_state
from game.engine.stance import IDS as STANCES
from game.scenario.paths import PROJECT, find_scenario

FORMAT = "pact-save"
VERSION = 2  # 2: long texts and repeated events of the history are kept once (see _intern)
READS = frozenset({1, 2})
# State arrays that saves of this version may lack: they were added to the engine later, and
# a game saved before then holds the scenario's starting values for them.
_ADDED_LATER = frozenset(
    {
        "baseline",
        "move_count",
        "event_last",
        "flags",
        "front",
        "reached",
        "stance",
        "stance_quiet",
        "drawn",
    }
)
SUFFIX = ".pact"
AUTOSAVE_NAME = "autosave" + SUFFIX
_STATE_PREFIX = "state."
MAX_HEADER = 8_000_000  # bytes of header JSON: the writer refuses more, the reader too


class SaveError(Exception):
    """A save file that cannot be written or read; the message is one line for the player."""


def repo_root() -> Path:
    return PROJECT


def default_save_dir() -> Path:
    """Where saves go: $PACT_SAVE_DIR, else saves/ under the user's data folder, else ./saves.

    Nothing is created here; the folder is made by the first save."""
    env = os.environ.get("PACT_SAVE_DIR")
    if env:
        return Path(env)
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        return Path("saves")
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", home / "AppData" / "Roaming")) / "Pact"
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support" / "Pact"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "pact"
    writable = next((d for d in (base, *base.parents) if d.exists()), None)
    if writable is None or not os.access(writable, os.W_OK):
        return Path("saves")
    return base / "saves"


def _scenario_ref(path: Path) -> str:
    """The scenario's path, relative to the project when it lives inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(repo_root()).as_posix()
    except ValueError:
        return str(path)


def fingerprint(params) -> dict:
    """Sizes that a save's arrays must agree with."""
    return {
        "actors": list(params.actor_ids),
        "rungs": len(params.rung_ids),
        "treaties": len(params.treaty_ids),
        "clauses": len(params.clause_keys),
        "instances": int(params.inst_clause.shape[0]),
        "candidates": int(params.cand_action.shape[0]),
        "events": len(params.events),
    }


def save_game(session, path: Path | str) -> Path:
    """Write the session to ``path`` atomically; returns the path.

    A game whose header would exceed what the reader accepts (MAX_HEADER) is refused with a
    SaveError and the file at ``path`` is left as it was."""
    path = Path(path)
    state = session.state
    arrays: dict[str, np.ndarray] = {}
    scalars: dict[str, int] = {}
    for f in fields(State):
        v = getattr(state, f.name)
        if isinstance(v, np.ndarray):
            arrays[_STATE_PREFIX + f.name] = v
        else:
            scalars[f.name] = int(v)
    y, m = session.params.turn_date(session.turn)
    try:
        strings, events, history = _compact_history(session.history)
    except (ValueError, TypeError) as e:  # a value the reader would refuse (NaN, an object)
        raise SaveError(f"cannot write {path.name}: {_short(e)}") from None
    header = {
        "format": FORMAT,
        "version": VERSION,
        "saved_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "scenario": {
            "id": session.params.scenario_id,
            "name": session.params.scenario_name,
            "path": _scenario_ref(session.scenario.path),
        },
        "player": session.player_id,
        "seed": session.seed,
        "turn": session.turn,
        "over": session.over,
        "date": f"{y:04d}-{m:02d}",
        "scalars": scalars,
        "fingerprint": fingerprint(session.params),
        "strings": strings,
        "event_table": events,
        "history": history,
    }
    try:
        blob = json.dumps(header, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, TypeError) as e:  # a value the reader would refuse (NaN, an object)
        raise SaveError(f"cannot write {path.name}: {_short(e)}") from None
    if len(blob) > MAX_HEADER:
        raise SaveError(
            f"cannot write {path.name}: the game's history is too long to save "
            f"({len(blob) / 1e6:.1f} MB; a save holds at most {MAX_HEADER / 1e6:.0f} MB)"
        )
    arrays["header"] = np.frombuffer(blob, dtype=np.uint8)
    try:
        write_atomic(path, lambda fh: np.savez_compressed(fh, **arrays), mode="wb")
    except OSError as e:
        raise SaveError(f"cannot write {path.name}: {e.strerror or e}") from None
    return path


# Strings this long or longer are written once in the header's "strings" table and referred
# to by index from the history, and every distinct event once in its "event_table" (a month
# lists the indices of its events): an event that repeats every month costs a number a month.
_INTERN_MIN = 16
_REF = "$str"


def _compact_history(months) -> tuple[list[str], list, list]:
    """(strings, event table, months) of the history as the header stores them."""
    strings: list[str] = []
    seen: dict[str, int] = {}
    table: list = []
    known: dict[str, int] = {}
    history = []
    for month in months:
        d = month.to_json()
        refs = []
        for ev in d["events"]:
            key = json.dumps(ev, sort_keys=True, allow_nan=False)
            if key not in known:
                known[key] = len(table)
                table.append(_intern(ev, strings, seen))
            refs.append(known[key])
        d["events"] = refs
        history.append(_intern(d, strings, seen))
    return strings, table, history


def _intern(value, strings: list[str], seen: dict[str, int]):
    if isinstance(value, str) and len(value) >= _INTERN_MIN:
        if value not in seen:
            seen[value] = len(strings)
            strings.append(value)
        return {_REF: seen[value]}
    if isinstance(value, dict):
        return {k: _intern(v, strings, seen) for k, v in value.items()}
    if isinstance(value, list):
        return [_intern(v, strings, seen) for v in value]
    return value


def _expand(value, strings: list[str]):
    """The history as written before interning; ValueError for a reference out of range."""
    if isinstance(value, dict):
        if len(value) == 1 and _REF in value:
            i = value[_REF]
            if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < len(strings):
                raise ValueError("a text reference out of range")
            return strings[i]
        return {k: _expand(v, strings) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, strings) for v in value]
    return value


# Everything that can go wrong while decoding a damaged archive member.
_DAMAGE = (
    OSError,
    ValueError,
    EOFError,
    KeyError,
    TypeError,
    OverflowError,
    MemoryError,
    RecursionError,
    NotImplementedError,
    RuntimeError,
    zipfile.BadZipFile,
    zlib.error,
)


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise SaveError(f"{path.name}: no such file") from None
    except IsADirectoryError:
        raise SaveError(f"{path.name} is a folder, not a save") from None
    except zipfile.BadZipFile:
        raise SaveError(f"{path.name} is not a Pact save (not a save archive)") from None
    except _DAMAGE as e:
        raise SaveError(f"{path.name} cannot be read ({_short(e)})") from None


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return _printable(text)[:80]


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _member(zf: zipfile.ZipFile, name: str, shape=None, dtype=None, max_size=None) -> np.ndarray:
    """One array of the archive, read without numpy's loader: its .npy header is checked
    (no objects, the expected shape and type, a bounded size) before any data is read, so a
    damaged or hostile file can neither allocate without bound nor unpickle anything."""
    fmt = np.lib.format
    with zf.open(name + ".npy") as fp:
        version = fmt.read_magic(fp)
        if version == (1, 0):
            got_shape, fortran, got_dtype = fmt.read_array_header_1_0(fp)
        elif version == (2, 0):
            got_shape, fortran, got_dtype = fmt.read_array_header_2_0(fp)
        else:
            raise ValueError(f"unknown array format {version}")
        if got_dtype.hasobject:
            raise ValueError("holds Python objects")
        if shape is not None and tuple(got_shape) != tuple(shape):
            raise ValueError("wrong shape")
        if dtype is not None and got_dtype != np.dtype(dtype):
            raise ValueError("wrong type")
        count = 1
        for n in got_shape:
            count *= int(n)
        if max_size is not None and count > max_size:
            raise ValueError("too large")
        nbytes = count * got_dtype.itemsize
        data = fp.read(nbytes)
        if len(data) != nbytes:
            raise ValueError("cut short")
    arr = np.frombuffer(data, dtype=got_dtype, count=count)
    return arr.reshape(got_shape, order="F" if fortran else "C").copy()


def _shape(zf: zipfile.ZipFile, name: str) -> tuple | None:
    """The shape of an array of the archive (None if it cannot be read); only its header is
    read."""
    fmt = np.lib.format
    try:
        with zf.open(name + ".npy") as fp:
            version = fmt.read_magic(fp)
            read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
            shape = read(fp)[0]
    except _DAMAGE:
        return None
    return tuple(shape)


def read_header(path: Path | str) -> dict:
    """The JSON header of a save (for listing saves), its shown fields checked; raises SaveError."""
    path = Path(path)
    zf = _open(path)
    try:
        return _header(zf, path)
    finally:
        zf.close()


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number a save can hold")


def _header(zf: zipfile.ZipFile, path: Path) -> dict:
    try:
        if "header.npy" not in zf.namelist():
            raise SaveError(f"{path.name} is not a Pact save (no header)")
        raw = _member(zf, "header", dtype=np.uint8, max_size=MAX_HEADER)
        if raw.ndim != 1:
            raise SaveError(f"{path.name} is not a Pact save (bad header)")
        header = json.loads(raw.tobytes().decode("utf-8"), parse_constant=_refuse_constant)
    except SaveError:
        raise
    except (*_DAMAGE, UnicodeDecodeError) as e:
        raise SaveError(f"{path.name} is damaged ({_short(e)})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise SaveError(f"{path.name} is not a Pact save")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SaveError(f"{path.name} is damaged (its format version is not a number)")
    if version not in READS:
        raise SaveError(
            f"{path.name} was saved in format version {version}; this game reads "
            f"version{'s' if len(READS) > 1 else ''} {' and '.join(map(str, sorted(READS)))}"
        )
    sc = header.get("scenario")
    if not isinstance(sc, dict):
        raise SaveError(f"{path.name} is damaged (scenario)")
    for where, value in (
        ("scenario id", sc.get("id")),
        ("scenario name", sc.get("name", "")),
        ("scenario path", sc.get("path", "")),
        ("player", header.get("player")),
        ("date", header.get("date", "")),
        ("saved_at", header.get("saved_at", "")),
    ):
        if not isinstance(value, str) or len(value) > 4096 or not value.isprintable():
            raise SaveError(f"{path.name} is damaged ({where})")
    return header


def _find_scenario(ref: str) -> Path:
    path = find_scenario(ref)
    if not path.is_file():
        raise SaveError(f"the save's scenario file {ref} cannot be found")
    return path


def _int(value, lo: int, hi: int) -> int:
    """An integer of the header within [lo, hi]; ValueError otherwise (bool, float, text...)."""
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise ValueError(f"{value!r:.40} is not a whole number in {lo}..{hi}")
    return value


def load_game(path: Path | str, scenario=None):
    """Rebuild a Session from a save file; raises SaveError with a one-line reason.

    Everything is checked before a Session exists: the header's types, every array's shape,
    type and range (the ranges the engine keeps: tension 0-100, rungs on the ladder, finite
    numbers...) and that every month of the history can be shown. ``scenario`` (a
    LoadedScenario) skips reading the scenario file when the caller has it.
    """
    from game.scenario import ScenarioError, load_scenario

    path = Path(path)
    zf = _open(path)
    try:
        header = _header(zf, path)
        sc_ref = header["scenario"]
        if scenario is None or scenario.params.scenario_id != sc_ref["id"]:
            try:
                scenario = load_scenario(_find_scenario(str(sc_ref.get("path", ""))))
            except ScenarioError as e:
                raise SaveError(f"the save's scenario does not load: {e.one_line()}") from None
        params = scenario.params
        if params.scenario_id != sc_ref["id"]:
            raise SaveError(
                f"{path.name} belongs to scenario '{sc_ref['id']}', not '{params.scenario_id}'"
            )
        if header.get("fingerprint") != fingerprint(params):
            raise SaveError(f"{path.name} does not match the current version of its scenario")
        player_id = header["player"]
        if player_id not in params.actor_ids:
            raise SaveError(f"{path.name}: unknown state '{player_id}'")
        try:
            seed = _int(header.get("seed"), 0, 2**64 - 1)
            scalars = header.get("scalars")
            if not isinstance(scalars, dict):
                raise ValueError("no scalars")
        except ValueError as e:
            raise SaveError(f"{path.name} is damaged (header: {_short(e)})") from None
        state = _state(zf, path, params, seed, scalars)
        history = _history(header, path, params, state)
        from game.play.session import Session

        return Session(scenario, params.actor_ids.index(player_id), seed, state, history)
    finally:
        zf.close()


def _state(zf: zipfile.ZipFile, path: Path, params, seed: int, scalars: dict) -> State:
    template = initial_state(params, seed, [0])
    names = set(zf.namelist())
    kw = {}
    for f in fields(State):
        ref = getattr(template, f.name)
        if not isinstance(ref, np.ndarray):
            try:
                kw[f.name] = _int(scalars.get(f.name), -(2**63), 2**64 - 1)
            except ValueError:
                raise SaveError(f"{path.name} is damaged ({f.name})") from None
            continue
        key = _STATE_PREFIX + f.name
        if key + ".npy" not in names and f.name in _ADDED_LATER:
            kw[f.name] = ref.copy()  # saved before the engine kept it: the scenario's own
            continue
        if key + ".npy" not in names:
            raise SaveError(f"{path.name} is damaged (missing {f.name})")
        saved = _shape(zf, key) if f.name == "drawn" else None
        if (
            saved is not None
            and len(saved) == 2
            and saved[0] == ref.shape[0] != 0
            and saved[1] != ref.shape[1]
        ):
            # Saved when the scenario gave ranges to other numbers (or to none): the game takes
            # its own draws under the scenario as it is now, as for any number edited since.
            kw[f.name] = ref.copy()
            continue
        try:
            kw[f.name] = _member(zf, key, shape=ref.shape, dtype=ref.dtype)
        except _DAMAGE as e:
            raise SaveError(f"{path.name} is damaged ({f.name}: {_short(e)})") from None
    state = State(**kw)
    problem = _out_of_range(state, template, params)
    if problem:
        word = {"rung": "ladder", "peak": "ladder peaks", "attr": "attributes"}.get(
            problem, problem
        )
        raise SaveError(f"{path.name} is damaged ({word} out of range)")
    return state


def _out_of_range(state: State, template: State, params) -> str | None:
    """The first array of ``state`` outside the range the engine keeps it in, or None."""
    top = len(params.rung_ids) - 1
    turns = int(params.turns)
    if state.seed != template.seed:
        return "seed"
    if not 0 <= state.turn <= turns:
        return f"month {state.turn}"
    if not np.array_equal(state.runs, template.runs) or not np.array_equal(
        state.keys, template.keys
    ):
        return "random keys"
    bounds = {
        "tension": (0.0, 100.0),
        "baseline": (0.0, 100.0),
        "rung": (0, top),
        "peak": (0, top),
        "cred": (0.0, 1.0),
        "consult_level": (-1, top),
        "first_cross": (-1, turns),
        "end_turn": (0, turns),
        "stance": (0, len(STANCES) - 1),
        "stance_quiet": (0, 10**9),
    }
    for f in fields(State):
        arr = getattr(state, f.name)
        if not isinstance(arr, np.ndarray) or arr.dtype == bool or f.name in ("runs", "keys"):
            continue
        if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
            return f.name
        lo, hi = bounds.get(f.name, (-1, 10**9) if arr.dtype.kind in "iu" else (-1e12, 1e12))
        if arr.size and (arr.min() < lo or arr.max() > hi):
            return f.name
    attr = state.attr
    if attr.size and attr.min() < 0:
        return "attributes"
    for name in ("stability", "readiness"):
        if name in ATTR and attr[..., ATTR[name]].max(initial=0) > 100:
            return name
    if np.any(state.peak < state.rung):
        return "peak"
    return None


def _shown_event(params, ev, player: str) -> None:
    """ValueError (or another error of _DAMAGE) unless the event makes a printable headline."""
    from game.play.headlines import headline

    if not isinstance(ev, dict):
        raise ValueError("event")
    h = headline(params, ev, player)
    if not isinstance(h.text, str) or not h.text.isprintable():
        raise ValueError("event text")


def _history(header: dict, path: Path, params, state: State) -> list:
    """The months played, checked: whole numbers in range, and every event makes a headline."""
    from game.play.session import Month

    top = len(params.rung_ids) - 1
    n_cand = int(params.cand_action.shape[0])
    try:
        strings = header.get("strings", [])
        if not isinstance(strings, list) or not all(isinstance(x, str) for x in strings):
            raise ValueError("text table")
        raw = _expand(header.get("history"), strings)
        if not isinstance(raw, list) or len(raw) > state.turn:
            raise ValueError("history")
        table = None  # version 1 lists each month's events whole
        if header["version"] >= 2:
            table = _expand(header.get("event_table"), strings)
            if not isinstance(table, list):
                raise ValueError("event table")
            for ev in table:
                _shown_event(params, ev, header["player"])
        history = []
        last = -1
        for d in raw:
            if not isinstance(d, dict) or not isinstance(d.get("events"), list):
                raise ValueError("month")
            turn = _int(d.get("turn"), last + 1, state.turn - 1)
            last = turn
            for k in ("peak_region", "peak_player", "peak_all"):
                _int(d.get(k), 0, top)
            _int(d.get("player_move"), -1, max(n_cand - 1, -1))
            pair = d.get("peak_pair", [])
            if (
                not isinstance(pair, list)
                or len(pair) > 2
                or any(a not in params.actor_ids for a in pair)
            ):
                raise ValueError("peak pair")
            if table is not None:
                refs = d["events"]
                d = {
                    **d,
                    "events": [copy.deepcopy(table[_int(i, 0, len(table) - 1)]) for i in refs],
                }
            else:
                for ev in d["events"]:
                    _shown_event(params, ev, header["player"])
            history.append(Month.from_json(d))
    except SaveError:
        raise
    except (*_DAMAGE, AttributeError, IndexError) as e:
        raise SaveError(f"{path.name} is damaged (history: {_short(e)})") from None
    return history


def list_saves(folder: Path | str) -> list[tuple[Path, dict | None, str]]:
    """Saves in a folder, newest first: (path, header or None, error text). Never raises: a
    folder that cannot be read lists nothing, a file that cannot be read is listed with why."""
    folder = Path(folder)
    found = []
    try:
        for p in folder.glob("*" + SUFFIX):
            if p.name.startswith("."):
                continue
            try:
                st = p.stat()
            except OSError:
                continue  # gone meanwhile, or a link to nowhere
            if stat.S_ISREG(st.st_mode):
                found.append((st.st_mtime, p))
    except OSError:
        return []
    found.sort(key=lambda t: t[0], reverse=True)
    out = []
    for _, p in found[:50]:
        try:
            out.append((p, read_header(p), ""))
        except SaveError as e:
            out.append((p, None, str(e)))
    return out
