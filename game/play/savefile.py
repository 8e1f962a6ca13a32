"""Saved games: a versioned JSON header and the engine state's arrays in one .npz file.

The file is a numpy ``.npz`` archive. Its ``header`` member holds UTF-8 JSON (format name,
version, scenario, player, seed, history); every other member is one array of the engine
``State``. Nothing is pickled: files are read with ``allow_pickle=False`` and every array is
checked against the shape and type the scenario expects before a game is rebuilt from it.
Files are written to a temporary name in the same folder, then renamed over the target, so
a crash never leaves a half-written save.
"""

from __future__ import annotations

import json
import os
import sys
import time
import zipfile
from dataclasses import fields
from pathlib import Path

import numpy as np

from game.atomic import write_atomic
from game.engine import State, initial_state
from game.scenario.paths import PROJECT, find_scenario

FORMAT = "pact-save"
VERSION = 1
# State arrays that saves of this version may lack: they were added to the engine later, and
# a game saved before then holds the scenario's starting values for them.
_ADDED_LATER = frozenset({"baseline", "move_count", "event_last", "flags"})
SUFFIX = ".pact"
AUTOSAVE_NAME = "autosave" + SUFFIX
_STATE_PREFIX = "state."
_MAX_HEADER = 8_000_000


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
    """Write the session to ``path`` atomically; returns the path."""
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
        "date": f"{y:04d}-{m:02d}",
        "scalars": scalars,
        "fingerprint": fingerprint(session.params),
        "history": [month.to_json() for month in session.history],
    }
    blob = json.dumps(header, ensure_ascii=False).encode("utf-8")
    arrays["header"] = np.frombuffer(blob, dtype=np.uint8)
    try:
        write_atomic(path, lambda fh: np.savez_compressed(fh, **arrays), mode="wb")
    except OSError as e:
        raise SaveError(f"cannot write {path.name}: {e.strerror or e}") from None
    return path


def _open(path: Path):
    try:
        return np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise SaveError(f"{path.name}: no such file") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
        raise SaveError(f"{path.name} is not a Pact save ({_short(e)})") from None


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:80]


def read_header(path: Path | str) -> dict:
    """The JSON header of a save (for listing saves); raises SaveError."""
    path = Path(path)
    npz = _open(path)
    try:
        return _header(npz, path)
    finally:
        npz.close()


def _header(npz, path: Path) -> dict:
    try:
        if "header" not in npz.files:
            raise SaveError(f"{path.name} is not a Pact save (no header)")
        raw = npz["header"]
        if raw.dtype != np.uint8 or raw.ndim != 1 or raw.size > _MAX_HEADER:
            raise SaveError(f"{path.name} is not a Pact save (bad header)")
        header = json.loads(raw.tobytes().decode("utf-8"))
    except SaveError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, KeyError, UnicodeDecodeError) as e:
        raise SaveError(f"{path.name} is damaged ({_short(e)})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise SaveError(f"{path.name} is not a Pact save")
    version = header.get("version")
    if version != VERSION:
        raise SaveError(
            f"{path.name} was saved in format version {version}; this game reads version {VERSION}"
        )
    return header


def _find_scenario(ref: str) -> Path:
    path = find_scenario(ref)
    if not path.is_file():
        raise SaveError(f"the save's scenario file {ref} cannot be found")
    return path


def load_game(path: Path | str, scenario=None):
    """Rebuild a Session from a save file; raises SaveError with a one-line reason.

    ``scenario`` (a LoadedScenario) skips reading the scenario file when the caller has it.
    """
    from game.play.session import Month, Session
    from game.scenario import ScenarioError, load_scenario

    path = Path(path)
    npz = _open(path)
    try:
        header = _header(npz, path)
        try:
            sc_ref = header["scenario"]
            player_id = str(header["player"])
            seed = int(header["seed"])
            scalars = dict(header["scalars"])
            history = [Month.from_json(m) for m in header["history"]]
        except (KeyError, TypeError, ValueError) as e:
            raise SaveError(f"{path.name} is damaged (header: {_short(e)})") from None
        if scenario is None or scenario.params.scenario_id != sc_ref.get("id"):
            try:
                scenario = load_scenario(_find_scenario(str(sc_ref.get("path", ""))))
            except ScenarioError as e:
                raise SaveError(f"the save's scenario does not load: {e.one_line()}") from None
        params = scenario.params
        if params.scenario_id != sc_ref.get("id"):
            raise SaveError(
                f"{path.name} belongs to scenario '{sc_ref.get('id')}', not '{params.scenario_id}'"
            )
        if header.get("fingerprint") != fingerprint(params):
            raise SaveError(f"{path.name} does not match the current version of its scenario")
        if player_id not in params.actor_ids:
            raise SaveError(f"{path.name}: unknown state '{player_id}'")
        template = initial_state(params, seed, [0])
        kw = {}
        for f in fields(State):
            ref = getattr(template, f.name)
            if not isinstance(ref, np.ndarray):
                if f.name not in scalars:
                    raise SaveError(f"{path.name} is damaged (missing {f.name})")
                kw[f.name] = int(scalars[f.name])
                continue
            key = _STATE_PREFIX + f.name
            if key not in npz.files and f.name in _ADDED_LATER:
                kw[f.name] = ref.copy()  # saved before the engine kept it: the scenario's own
                continue
            if key not in npz.files:
                raise SaveError(f"{path.name} is damaged (missing {f.name})")
            try:
                arr = npz[key]
            except (ValueError, OSError, EOFError, zipfile.BadZipFile) as e:
                raise SaveError(f"{path.name} is damaged ({f.name}: {_short(e)})") from None
            if arr.shape != ref.shape or arr.dtype != ref.dtype:
                raise SaveError(f"{path.name} is damaged ({f.name} has the wrong shape or type)")
            kw[f.name] = arr.copy()
        state = State(**kw)
        if not 0 <= state.turn <= params.turns:
            raise SaveError(f"{path.name} is damaged (month {state.turn} out of range)")
        if not np.all(np.isfinite(state.attr)) or not np.all(np.isfinite(state.tension)):
            raise SaveError(f"{path.name} is damaged (numbers out of range)")
        top = len(params.rung_ids) - 1
        if state.rung.min() < 0 or state.rung.max() > top:
            raise SaveError(f"{path.name} is damaged (ladder out of range)")
        return Session(scenario, params.actor_ids.index(player_id), seed, state, history)
    finally:
        npz.close()


def list_saves(folder: Path | str) -> list[tuple[Path, dict | None, str]]:
    """Saves in a folder, newest first: (path, header or None, error text)."""
    folder = Path(folder)
    try:
        files = [p for p in folder.glob("*" + SUFFIX) if p.is_file() and not p.name.startswith(".")]
    except OSError:
        return []
    files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    out = []
    for p in files[:50]:
        try:
            out.append((p, read_header(p), ""))
        except SaveError as e:
            out.append((p, None, str(e)))
    return out
