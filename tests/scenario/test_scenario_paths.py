"""Finding a scenario from a path or a name, wherever the command runs."""

from game.scenario.paths import SHIPPED, find_scenario


def test_paths_and_names_find_the_shipped_scenarios(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./scenarios here
    target = SHIPPED / "treaty-2024.toml"
    for ref in ("treaty-2024", "treaty-2024.toml", "scenarios/treaty-2024.toml", str(target)):
        assert find_scenario(ref).resolve() == target.resolve(), ref


def test_a_local_scenario_wins_over_a_shipped_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    mine = tmp_path / "scenarios" / "treaty-2024.toml"
    mine.write_text("# mine\n")
    assert find_scenario("treaty-2024").resolve() == mine.resolve()
    (tmp_path / "here.toml").write_text("# here\n")
    assert find_scenario("here").resolve() == (tmp_path / "here.toml").resolve()


def test_nothing_found_gives_the_reference_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert str(find_scenario("no-such-scenario")) == "no-such-scenario"
