"""Save files: round trip, atomic writes, versions, damage and refusal to unpickle."""

import io
import json
import zipfile
from dataclasses import fields

import numpy as np
import pytest

from game.engine import State, initial_state
from game.play.savefile import SaveError, list_saves, load_game, read_header, save_game
from game.play.session import Session


@pytest.fixture
def played(scenario):
    s = Session(scenario, scenario.params.actor_ids.index("KOR"), 11)
    for _ in range(3):
        s.end_turn(None)
    return s


def test_round_trip(played, tmp_path):
    path = save_game(played, tmp_path / "game.pact")
    header = read_header(path)
    assert header["format"] == "pact-save" and header["version"] == 2
    assert header["player"] == "KOR" and header["turn"] == 3
    back = load_game(path)
    assert back.player_id == "KOR" and back.seed == 11 and back.turn == 3
    assert [m.to_json() for m in back.history] == [m.to_json() for m in played.history]
    for name in (f.name for f in fields(State)):  # the state, not what is kept beside it
        value = getattr(played.state, name)
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(getattr(back.state, name), value)
            assert getattr(back.state, name).dtype == value.dtype
        else:
            assert getattr(back.state, name) == value
    # The reloaded game continues exactly as the original would.
    a = played.end_turn(None)
    b = back.end_turn(None)
    assert a.events == b.events
    np.testing.assert_array_equal(played.state.rung, back.state.rung)


def test_atomic_write_leaves_no_temporary_files(played, tmp_path):
    save_game(played, tmp_path / "a.pact")
    save_game(played, tmp_path / "a.pact")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pact"]


def test_failed_write_keeps_the_old_file(played, tmp_path, monkeypatch):
    path = save_game(played, tmp_path / "a.pact")
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez_compressed", boom)
    with pytest.raises(SaveError, match="cannot write"):
        save_game(played, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pact"]


def _rewrite(src, dst, change):
    with np.load(src, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    change(arrays)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    dst.write_bytes(buf.getvalue())


def _header(arrays):
    return json.loads(arrays["header"].tobytes().decode())


def _set_header(arrays, header):
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)


def test_wrong_version_is_refused(played, tmp_path):
    good = save_game(played, tmp_path / "good.pact")

    def bump(arrays):
        h = _header(arrays)
        h["version"] = 99
        _set_header(arrays, h)

    _rewrite(good, tmp_path / "v99.pact", bump)
    with pytest.raises(SaveError, match="version 99; this game reads versions 1 and 2"):
        load_game(tmp_path / "v99.pact")


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip at all", b"PK\x03\x04garbage", b"\x93NUMPY\x01\x00garbage"],
)
def test_garbage_is_refused(tmp_path, data):
    path = tmp_path / "bad.pact"
    path.write_bytes(data)
    with pytest.raises(SaveError):
        load_game(path)


def test_truncated_file_is_refused(played, tmp_path):
    good = save_game(played, tmp_path / "good.pact").read_bytes()
    bad = tmp_path / "cut.pact"
    bad.write_bytes(good[: len(good) // 2])
    with pytest.raises(SaveError):
        load_game(bad)


def test_wrong_shapes_and_types_are_refused(played, tmp_path):
    good = save_game(played, tmp_path / "good.pact")

    def reshape(arrays):
        arrays["state.rung"] = arrays["state.rung"][:, :3, :3]

    _rewrite(good, tmp_path / "shape.pact", reshape)
    with pytest.raises(SaveError, match="rung"):
        load_game(tmp_path / "shape.pact")

    def retype(arrays):
        arrays["state.attr"] = arrays["state.attr"].astype(np.float32)

    _rewrite(good, tmp_path / "type.pact", retype)
    with pytest.raises(SaveError, match="attr"):
        load_game(tmp_path / "type.pact")

    def drop(arrays):
        del arrays["state.tension"]

    _rewrite(good, tmp_path / "missing.pact", drop)
    with pytest.raises(SaveError, match="tension"):
        load_game(tmp_path / "missing.pact")

    def bad_rung(arrays):
        arrays["state.rung"] = np.full_like(arrays["state.rung"], 99)

    _rewrite(good, tmp_path / "range.pact", bad_rung)
    with pytest.raises(SaveError, match="ladder"):
        load_game(tmp_path / "range.pact")


def test_saves_from_before_moving_baselines_still_load(played, tmp_path):
    good = save_game(played, tmp_path / "good.pact")

    def drop(arrays):
        del arrays["state.baseline"]

    _rewrite(good, tmp_path / "older.pact", drop)
    back = load_game(tmp_path / "older.pact")
    # the scenario's own opening for this game (its uncertain numbers drawn as run 0 of its seed)
    opening = initial_state(played.params, played.seed, [0]).baseline[0]
    np.testing.assert_array_equal(back.state.baseline[0], opening)
    assert back.turn == played.turn


def test_saves_from_before_stances_still_load(played, tmp_path):
    good = save_game(played, tmp_path / "good.pact")

    def drop(arrays):
        del arrays["state.stance"], arrays["state.stance_quiet"]

    _rewrite(good, tmp_path / "older.pact", drop)
    back = load_game(tmp_path / "older.pact")
    np.testing.assert_array_equal(back.state.stance[0], played.params.stance.initial)
    assert not back.state.stance_quiet.any()
    back.end_turn(None)  # and the game goes on


def test_an_unknown_stance_is_refused(played, tmp_path):
    good = save_game(played, tmp_path / "good.pact")

    def bad(arrays):
        arrays["state.stance"] = np.full_like(arrays["state.stance"], 9)

    _rewrite(good, tmp_path / "bad.pact", bad)
    with pytest.raises(SaveError, match="stance"):
        load_game(tmp_path / "bad.pact")


def test_pickled_arrays_are_never_loaded(played, tmp_path):
    good = save_game(played, tmp_path / "good.pact")

    def inject(arrays):
        arrays["state.attr"] = np.array([{"payload": "would run on unpickling"}], dtype=object)

    with np.load(good, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    inject(arrays)
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # numpy pickles the object array into the archive
    (tmp_path / "pickle.pact").write_bytes(buf.getvalue())
    with pytest.raises(SaveError):
        load_game(tmp_path / "pickle.pact")


def test_not_a_pact_archive(tmp_path):
    path = tmp_path / "other.pact"
    buf = io.BytesIO()
    np.savez(buf, x=np.arange(3))
    path.write_bytes(buf.getvalue())
    with pytest.raises(SaveError, match="not a Pact save"):
        load_game(path)
    with zipfile.ZipFile(tmp_path / "plain.pact", "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(SaveError):
        load_game(tmp_path / "plain.pact")


def test_list_saves_reports_broken_files(played, tmp_path):
    save_game(played, tmp_path / "one.pact")
    (tmp_path / "two.pact").write_bytes(b"junk")
    listed = {p.name: (h, err) for p, h, err in list_saves(tmp_path)}
    assert listed["one.pact"][0]["player"] == "KOR"
    assert listed["two.pact"][0] is None and listed["two.pact"][1]


def test_state_fields_all_saved(played, tmp_path):
    path = save_game(played, tmp_path / "a.pact")
    with np.load(path, allow_pickle=False) as npz:
        names = set(npz.files)
    for f in State.__dataclass_fields__:
        if isinstance(getattr(played.state, f), np.ndarray):
            assert f"state.{f}" in names


def test_default_save_folder(monkeypatch, tmp_path):
    from game.play.savefile import default_save_dir

    monkeypatch.setenv("PACT_SAVE_DIR", str(tmp_path / "mine"))
    assert default_save_dir() == tmp_path / "mine"
    monkeypatch.delenv("PACT_SAVE_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr("sys.platform", "linux")
    assert default_save_dir() == tmp_path / "data" / "pact" / "saves"
    assert not (tmp_path / "data").exists()  # nothing is created until a save is written


def test_writer_and_reader_share_the_header_limit(played, tmp_path, monkeypatch):
    """A game whose header would be over the limit is refused when saving, and the last good
    save stays; the reader refuses a header over the same limit."""
    import game.play.savefile as sf

    path = save_game(played, tmp_path / "autosave.pact")
    before = path.read_bytes()
    size = len(json.dumps(read_header(path)).encode())
    monkeypatch.setattr(sf, "MAX_HEADER", size // 2)
    with pytest.raises(SaveError, match="too long to save"):
        save_game(played, path)
    assert path.read_bytes() == before
    with pytest.raises(SaveError, match="damaged"):
        load_game(path)  # written under the larger limit: too large for this reader


def test_repeated_long_texts_are_saved_once(played, tmp_path):
    """Headlines that come back every month cost one copy in the save, not one a month."""
    text = "A long headline that a scenario repeats every single month " * 20
    for month in played.history:
        month.events.extend({"kind": "event", "id": "x", "headline": text} for _ in range(50))
    path = save_game(played, tmp_path / "long.pact")
    with np.load(path, allow_pickle=False) as npz:
        raw = npz["header"].tobytes().decode()
    assert raw.count(text) == 1
    back = load_game(path)
    assert [m.to_json() for m in back.history] == [m.to_json() for m in played.history]


def test_version_one_saves_still_load(played, tmp_path):
    good = save_game(played, tmp_path / "good.pact")

    def to_v1(arrays):
        from game.play.savefile import _expand

        h = _header(arrays)
        strings = h.pop("strings")
        table = _expand(h.pop("event_table"), strings)
        h["history"] = _expand(h["history"], strings)
        for month in h["history"]:
            month["events"] = [table[i] for i in month["events"]]
        h["version"] = 1
        _set_header(arrays, h)

    _rewrite(good, tmp_path / "v1.pact", to_v1)
    back = load_game(tmp_path / "v1.pact")
    assert [m.to_json() for m in back.history] == [m.to_json() for m in played.history]


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"hello", "not a Pact save (not a save archive)")],
)
def test_messages_say_what_is_wrong(tmp_path, data, message):
    path = tmp_path / "x.pact"
    path.write_bytes(data)
    with pytest.raises(SaveError) as e:
        load_game(path)
    assert message in str(e.value) and "pickled" not in str(e.value)


def test_a_version_written_as_text_is_named_as_such(played, tmp_path):
    good = save_game(played, tmp_path / "good.pact")

    def text_version(arrays):
        h = _header(arrays)
        h["version"] = "1"
        _set_header(arrays, h)

    _rewrite(good, tmp_path / "v.pact", text_version)
    with pytest.raises(SaveError, match="version is not a number"):
        load_game(tmp_path / "v.pact")


def test_a_value_the_reader_would_refuse_is_refused_when_saving(played, tmp_path):
    path = save_game(played, tmp_path / "autosave.pact")
    before = path.read_bytes()
    played.history[-1].events.append({"kind": "note", "value": float("nan")})
    with pytest.raises(SaveError, match="cannot write autosave.pact"):
        save_game(played, path)
    assert path.read_bytes() == before


def test_an_event_repeated_every_month_costs_a_number_a_month(played, tmp_path):
    """250 events with long headlines, all firing every month of a 600-month game: the save
    stays far below the limit (each distinct event is written once)."""
    from game.play.savefile import MAX_HEADER
    from game.play.session import Month

    events = [
        {"kind": "event", "id": f"e{k}", "name": f"Event {k}", "headline": f"{k} " + "x" * 1990}
        for k in range(250)
    ]
    played.history = [
        Month(turn=t, events=list(events), player_move=0, peak_region=1, peak_player=1, peak_all=1)
        for t in range(600)
    ]
    path = save_game(played, tmp_path / "long.pact")
    size = len(np.load(path, allow_pickle=False)["header"])
    assert size < MAX_HEADER / 4, size


def test_saves_from_before_the_scenario_gave_ranges_still_load(played, tmp_path):
    good = save_game(played, tmp_path / "good.pact")
    assert played.state.drawn.shape[1] > 0  # the default scenario draws some numbers per run

    def no_ranges(arrays):
        arrays["state.drawn"] = np.zeros((1, 0))

    _rewrite(good, tmp_path / "older.pact", no_ranges)
    back = load_game(tmp_path / "older.pact")
    # the game's own draws under the scenario as it is now: run 0 of its seed
    np.testing.assert_array_equal(back.state.drawn, played.state.drawn)
    back.end_turn(None)

    def two_runs(arrays):  # any other shape is damage
        arrays["state.drawn"] = np.zeros((2, 0))

    _rewrite(good, tmp_path / "bad.pact", two_runs)
    with pytest.raises(SaveError, match="drawn"):
        load_game(tmp_path / "bad.pact")
