"""The state picker shows what the game scores a state on: its goals where it has some."""

from game.text import short_goal
from game.ui.scenes import pickers
from game.ui.scenes.pickers import StateScene


def test_the_picker_lists_the_goals_a_state_is_scored_on(ui, app, scenario, monkeypatch):
    p = scenario.params
    kor = p.actor_ids.index("KOR")
    goals = [short_goal(g.name) for g in p.goals if g.actor == kor]
    assert goals  # South Korea is scored on its goals, not on its objective weights
    drawn = []
    real = pickers.theme.text
    monkeypatch.setattr(
        pickers.theme, "text", lambda surf, s, *a, **k: drawn.append(s) or real(surf, s, *a, **k)
    )
    scene = StateScene(app, scenario)
    scene.index = kor
    app.replace_all(scene)
    ui.pump()
    assert len(goals) == 5 and set(goals) <= set(drawn), drawn  # every one (the fifth was cut)
    shares = [int(t[:-1]) for t in drawn if t.endswith("%") and t[:-1].isdigit()]
    assert len(shares) == len(goals) and abs(sum(shares) - 100) <= len(goals) // 2, shares
    assert "Security" not in drawn  # an objective's name: the scoring the game does not use
