"""The rung names on the map's links keep clear of the off-map states' name plates."""

import pygame
import pytest

from game.play.session import Session

from .conftest import settle


@pytest.mark.parametrize("size", [(960, 600), (1280, 800)])
def test_rung_names_keep_clear_of_the_united_states_plate(ui, app, scenario, size):
    """North Korea's first months: at the smallest window the name of its rivalry with the
    United States first fell under the plate."""
    p = scenario.params
    app.start_session(Session(scenario, p.actor_ids.index("PRK"), 7))
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
    settle(app)
    play = app.stack.top
    seen = 0
    for _ in range(3):
        plate, _, _ = play.crisis._plate(p.actor_ids.index("USA"))
        boxes = play.crisis.label_boxes
        assert not [b for b in boxes if b.colliderect(plate)], (plate, boxes)
        seen += len(boxes)
        ui.key(pygame.K_RETURN, "\r")
        settle(app)
    assert seen  # names were placed, and none under the plate
