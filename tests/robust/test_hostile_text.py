"""Text from a scenario is text: names holding rich markup print as written in every command,
and names holding NUL or ESC are refused at validation with a located error."""

from __future__ import annotations

import pytest

from tests.helpers import ROOT, pact

SOURCE = (ROOT / "scenarios" / "treaty-2024.toml").read_text()
NAMES = {
    'name = "The 2024 treaty"': 'name = "Stability [draft] [/]"',
    'id = "general_nuclear_war"\nname = "General nuclear war"': (
        'id = "general_nuclear_war"\nname = "[/] war [bold]"'
    ),
    'name = "Blockade / grey-zone clash"': 'name = "Clash [/red]"',
    'article = "Art. 4"': 'article = "[/]Art. 4"',
    'name = "Russia"': 'name = "Russia [/]"',
}


def hostile(tmp_path, changes=NAMES):
    text = SOURCE
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "hostile.toml"
    path.write_text(text)
    return path


QUICK = ("--runs", "30", "--turns", "6", "--workers", "1", "--no-plots")


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (("batch", "{p}", *QUICK, "--out", "{o}"), ["Stability [draft] [/]", "[/]Art. 4"]),
        (("compare", "{p}", "{p}", *QUICK, "--out", "{o}"), ["[/] war [bold]"]),
        (
            ("sweep", "{p}", "actors.PRK.doctrine.aggression=1,2", *QUICK, "--out", "{o}"),
            ["Stability [draft] [/]"],
        ),
        (
            (
                "explore",
                "{p}",
                "--vary",
                "actors.PRK.doctrine.aggression=1:2",
                "--design",
                "grid",
                "--points",
                "2",
                *QUICK,
                "--out",
                "{o}",
            ),
            ["Stability [draft] [/]"],
        ),
        (("dry-run", "{p}", "--runs", "5", "--turns", "6"), ["Stability [draft] [/]", "[/]Art. 4"]),
        (("run", "{p}", "--turns", "6"), []),
        (("validate", "{p}"), []),
        (("scenarios", "{d}"), ["Stability [draft] [/]"]),
    ],
)
def test_markup_in_names_prints_as_written(tmp_path, command, shown):
    path = hostile(tmp_path)
    args = [
        a.format(p=path, o=tmp_path / "out", d=tmp_path) if isinstance(a, str) else a
        for a in command
    ]
    proc = pact(*args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "MarkupError" not in proc.stderr
    for text in shown:
        assert text in proc.stdout, (text, proc.stdout[:2000])


@pytest.mark.parametrize(
    ("bad", "shown"), [("\\u0000", "NUL"), ("\\u001b[2J", "ESC"), ("\\u009b", "U+009B")]
)
def test_control_characters_in_names_are_refused_at_their_line(tmp_path, bad, shown):
    path = hostile(tmp_path, {'name = "North Korea"': f'name = "North{bad} Korea"'})
    line = SOURCE[: SOURCE.index('name = "North Korea"')].count("\n") + 1
    for cmd in (("validate", path), ("batch", path, *QUICK), ("play", path, "--autoplay", "1")):
        proc = pact(*cmd)
        assert proc.returncode == 2, (cmd, proc.stderr)
        out = proc.stdout + proc.stderr
        assert f"hostile.toml:{line}: actors[1].name: control character {shown}" in out
        assert "\x1b" not in out and "\x00" not in out and "Traceback" not in out


def test_a_control_character_in_a_wrong_value_is_printed_as_an_escape(tmp_path):
    path = tmp_path / "v.toml"
    path.write_text('extends = "\\u001b[2J.toml"\n[scenario]\nid = "v"\nname = "V"\n')
    for cmd in (("validate", path), ("batch", path, *QUICK)):
        proc = pact(*cmd)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 2 and "not found" in out
        assert "\x1b" not in out and "\\x1b[2J.toml" in out


def test_the_scenario_list_shows_control_characters_as_escapes(tmp_path):
    (tmp_path / "v.toml").write_text(
        'extends = "\\u001b[2J.toml"\n[scenario]\nid = "v"\nname = "V"\n'
    )
    proc = pact("scenarios", tmp_path)
    assert proc.returncode == 2 and "INVALID" in proc.stdout
    assert "\x1b" not in proc.stdout and "\\x1b[2J" in proc.stdout
