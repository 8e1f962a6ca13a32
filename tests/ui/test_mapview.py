"""MapView rendering, caching and hit-testing, on SDL's dummy video driver."""

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.ui import geo  # noqa: E402
from game.ui.mapview import MapView  # noqa: E402

BLOCS = {
    "RUS": (150, 70, 62),
    "PRK": (128, 46, 46),
    "CHN": (168, 92, 70),
    "KOR": (74, 104, 150),
    "JPN": (88, 120, 160),
}


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    pygame.display.init()
    pygame.font.init()
    yield
    pygame.quit()


@pytest.fixture(scope="module")
def view():
    return MapView((0, 0, 1280, 800), BLOCS)


def at(view, name):
    p = geo.strategic_point(name)
    return view.main_viewport.lonlat_to_px(p.lon, p.lat)


@pytest.mark.parametrize(
    ("name", "iso3"), [("Seoul", "KOR"), ("Beijing", "CHN"), ("Tokyo", "JPN"), ("Pyongyang", "PRK")]
)
def test_country_at_capitals(view, name, iso3):
    assert view.country_at(*at(view, name)) == iso3


def test_country_at_sea_and_outside(view):
    vp = view.main_viewport
    assert view.country_at(*vp.lonlat_to_px(150.0, 30.0)) is None  # Pacific
    assert view.country_at(*vp.lonlat_to_px(135.0, 40.0)) is None  # Sea of Japan
    assert view.country_at(-5, 100) is None
    assert view.country_at(1280, 100) is None


def test_country_at_inset(view):
    assert view.country_at(*view.point_px("Kyiv")) == "UKR"
    assert view.country_at(*view.point_px("Kursk")) == "RUS"
    title = view.inset_rect
    assert view.country_at(title.x + 5, title.y + 3) is None


def test_offset_rect_shifts_coordinates():
    moved = MapView((100, 50, 1280, 800), BLOCS)
    x, y = at(moved, "Seoul")
    assert moved.country_at(x, y) == "KOR"
    assert moved.actor_anchor("KOR") == (round(x), round(y))


@pytest.mark.parametrize("size", [(1280, 800), (800, 600)])
def test_render_sizes(size):
    screen = pygame.Surface(size)
    mv = MapView((0, 0, *size), BLOCS)
    mv.draw(screen)
    mv.draw_highlight(screen, "KOR", (255, 230, 120))
    mv.draw_highlight(screen, "UKR", (255, 230, 120))
    assert mv.base_surface().get_size() == size
    # Sea is dark blue, Russia has its fill somewhere.
    r, g, b, _ = screen.get_at(tuple(int(v) for v in mv.main_viewport.lonlat_to_px(150, 30)))
    assert b > r and b > g


def test_cache_reused_until_size_or_fills_change():
    screen = pygame.Surface((1280, 800))
    mv = MapView((0, 0, 1280, 800), BLOCS)
    mv.draw(screen)
    first = mv.base_surface()
    mv.draw(screen)
    mv.set_fills(dict(BLOCS))  # same colours: no rebuild
    mv.set_rect((10, 10, 1280, 800))  # moved, not resized: no rebuild
    mv.draw(screen)
    assert mv.base_surface() is first
    assert mv.rebuild_count == 1

    mv.set_fill("MNG", (90, 110, 90))
    assert mv.base_surface() is not first
    assert mv.rebuild_count == 2

    mv.set_rect((0, 0, 1000, 700))
    mv.draw(screen)
    assert mv.base_surface().get_size() == (1000, 700)
    assert mv.rebuild_count == 3


def test_actor_anchors(view):
    x0, y0, w, h = view.rect
    for iso3 in ("RUS", "CHN", "PRK", "KOR", "JPN", "UKR", "USA", "MNG"):
        pos = view.actor_anchor(iso3)
        assert pos is not None, iso3
        assert x0 <= pos[0] < x0 + w and y0 <= pos[1] < y0 + h, iso3
    assert view.inset_rect.collidepoint(view.actor_anchor("UKR"))
    assert view.actor_anchor("USA")[0] > x0 + w * 0.9
    assert view.actor_anchor("XXX") is None


def test_anchor_without_inset():
    mv = MapView((0, 0, 1280, 800), show_inset=False)
    assert mv.actor_anchor("UKR") is None
    assert mv.actor_anchor("RUS") == mv.point_px("Vladivostok")
    assert mv.country_at(*mv.point_px("Beijing")) == "CHN"


def test_highlight_changes_pixels(view):
    screen = pygame.Surface((1280, 800))
    view.draw(screen)
    before = pygame.image.tobytes(screen, "RGB")
    view.draw_highlight(screen, "JPN", (255, 255, 0))
    assert pygame.image.tobytes(screen, "RGB") != before


def _whole_overlay(view, iso3, colour, width, fill_alpha) -> pygame.Surface:
    """The highlight drawn the plain way: the country's rings on a transparent picture of
    each layer's whole rectangle, put on a picture of the whole map."""
    w, h = view._layout_size
    over = pygame.Surface((w, h), pygame.SRCALPHA)
    for layer, area in ((view._main, pygame.Rect(0, 0, w, h)), (view._inset, view._inset_map)):
        shape = layer.shape(iso3)
        if shape is None:
            continue
        part = pygame.Surface(area.size, pygame.SRCALPHA)
        outlines = [[(x - area.x, y - area.y) for x, y in r.tolist()] for r in shape.outlines]
        holes = [[(x - area.x, y - area.y) for x, y in r.tolist()] for r in shape.holes]
        for ring in outlines:
            pygame.draw.polygon(part, (*colour, fill_alpha), ring)
        for ring in holes:
            pygame.draw.polygon(part, (0, 0, 0, 0), ring)
        for ring in outlines:
            pygame.draw.lines(part, (*colour, 150), True, ring, width + 1)
            pygame.draw.aalines(part, (*colour, 255), True, ring)
        if layer is view._main:
            part.fill((0, 0, 0, 0), view._inset_frame.inflate(2, 2))
        over.blit(part, area.topleft)
    return over


@pytest.mark.parametrize("iso3", ["JPN", "RUS", "UKR"])
def test_highlight_blits_only_the_country_and_paints_what_the_whole_overlay_paints(view, iso3):
    screen = pygame.Surface((1280, 800))
    view.draw(screen)
    whole = screen.copy()
    overlay = _whole_overlay(view, iso3, (255, 255, 0), 2, 36)
    whole.blit(overlay, view._rect.topleft)
    view.draw_highlight(screen, iso3, (255, 255, 0))
    assert pygame.image.tobytes(screen, "RGB") == pygame.image.tobytes(whole, "RGB")
    part, _ = view._highlights[(iso3, (255, 255, 0), 2, 36)]
    assert part.get_width() * part.get_height() < overlay.get_width() * overlay.get_height()


def test_zoom_keeps_the_place_under_the_pointer_and_stays_in_bounds():
    mv = MapView((20, 40, 900, 560), BLOCS)
    seoul = mv.point_px("Seoul")
    assert mv.country_at(*seoul) == "KOR"
    assert mv.zoom_at(seoul[0], seoul[1], 2.5)
    assert mv.zoom == 2.5
    after = mv.point_px("Seoul")
    assert abs(after[0] - seoul[0]) <= 1 and abs(after[1] - seoul[1]) <= 1
    assert mv.country_at(*after) == "KOR"
    # Distances on the map grow with the zoom.
    tokyo = mv.point_px("Tokyo")
    mv.reset_view()
    tokyo0, seoul0 = mv.point_px("Tokyo"), mv.point_px("Seoul")
    assert seoul0 == seoul
    d0 = ((tokyo0[0] - seoul0[0]) ** 2 + (tokyo0[1] - seoul0[1]) ** 2) ** 0.5
    d1 = ((tokyo[0] - after[0]) ** 2 + (tokyo[1] - after[1]) ** 2) ** 0.5
    assert abs(d1 / d0 - 2.5) < 0.02
    # The zoom is clamped, and at the whole-theatre view there is nothing to pan.
    assert not mv.zoom_at(seoul[0], seoul[1], 0.5)
    assert not mv.pan_by(200, 0)
    mv.zoom_at(seoul[0], seoul[1], 1000)
    assert mv.zoom == pytest.approx(6.0)
    assert not mv.zoom_at(seoul[0], seoul[1], 2)


def test_pan_moves_the_map_but_never_past_the_theatre():
    mv = MapView((0, 0, 900, 560), BLOCS)
    whole = mv.main_viewport
    xs0, ys0 = whole.unproject([0, 900], [560, 0])  # projected x and y, lowest to highest
    mv.zoom_at(450, 280, 2.0)
    before = mv.point_px("Seoul")
    assert mv.pan_by(60, -30)
    moved = mv.point_px("Seoul")
    assert abs(moved[0] - before[0] - 60) <= 1 and abs(moved[1] - before[1] + 30) <= 1
    # However far it is dragged, the view shows only what the whole-theatre view showed.
    for dx, dy in ((10_000, 10_000), (-10_000, -10_000)):
        mv.pan_by(dx, dy)
        xs, ys = mv.main_viewport.unproject([0, 900], [560, 0])
        assert xs0[0] - 1e-9 <= xs[0] < xs[1] <= xs0[1] + 1e-9
        assert ys0[0] - 1e-9 <= ys[0] < ys[1] <= ys0[1] + 1e-9
    # Dragged up and left as far as it goes, the view shows the theatre's south-east corner.
    assert xs[1] == pytest.approx(xs0[1]) and ys[0] == pytest.approx(ys0[0])


def test_view_change_rebuilds_the_cache_and_drag_offset_shifts_the_picture():
    mv = MapView((0, 0, 640, 400), BLOCS)
    surf = pygame.Surface((640, 400))
    mv.draw(surf)
    n = mv.rebuild_count
    mv.draw(surf)
    assert mv.rebuild_count == n
    mv.zoom_at(320, 200, 2.0)
    zoomed = pygame.Surface((640, 400))
    mv.draw(zoomed)
    assert mv.rebuild_count == n + 1
    assert pygame.image.tobytes(zoomed, "RGB") != pygame.image.tobytes(surf, "RGB")
    mv.drag_offset = (40, 0)
    dragged = pygame.Surface((640, 400))
    mv.draw(dragged)
    assert mv.rebuild_count == n + 1  # dragging shows the cached picture, shifted
    assert dragged.get_at((400, 60)) == zoomed.get_at((360, 60))


def test_a_picture_made_step_by_step_is_the_one_made_at_once():
    staged = MapView((0, 0, 900, 560), BLOCS)
    assert not staged.ready() and staged.last_picture() is None
    staged.zoom_at(500, 250, 2.0)
    frames = 0
    while not staged.prepare(0.0):  # a single step a call
        frames += 1
        assert staged.rebuild_count == 0 and staged.last_picture() is None
    assert frames > 10 and staged.ready() and staged.rebuild_count == 1
    at_once = MapView((0, 0, 900, 560), BLOCS)
    at_once.zoom_at(500, 250, 2.0)
    picture = staged.base_surface()
    assert pygame.image.tobytes(picture, "RGB") == pygame.image.tobytes(
        at_once.base_surface(), "RGB"
    )
    # A new view: the last picture is kept (to stand in) until the new one is made.
    staged.zoom_at(450, 280, 1.25)
    assert not staged.ready() and staged.last_picture() is picture
    staged.prepare(0.0)
    staged.set_fills({**BLOCS, "KOR": (200, 60, 60)})  # the picture in the making is dropped
    while not staged.prepare(0.0):
        pass
    assert staged.rebuild_count == 2
    at_once.zoom_at(450, 280, 1.25)
    at_once.set_fills({**BLOCS, "KOR": (200, 60, 60)})
    assert pygame.image.tobytes(staged.base_surface(), "RGB") == pygame.image.tobytes(
        at_once.base_surface(), "RGB"
    )
    assert pygame.image.tobytes(picture, "RGB") != pygame.image.tobytes(
        staged.base_surface(), "RGB"
    )
