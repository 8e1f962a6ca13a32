"""Projection, viewport and map-asset checks (no display needed)."""

import numpy as np
import pytest

from game.ui import geo


@pytest.fixture(scope="module")
def vp():
    return geo.Viewport((0, 0, 1280, 800))


def px(vp, name):
    p = geo.strategic_point(name)
    return vp.lonlat_to_px(p.lon, p.lat)


def test_round_trip_main(vp):
    lon, lat = np.meshgrid(np.linspace(70, 175, 40), np.linspace(5, 70, 30))
    x, y = vp.lonlat_to_px(lon, lat)
    assert x.shape == lon.shape
    lon2, lat2 = vp.px_to_lonlat(x, y)
    assert np.allclose(lon2, lon, atol=1e-9)
    assert np.allclose(lat2, lat, atol=1e-9)


def test_round_trip_scalar_and_inset():
    inset = geo.Viewport((10, 20, 300, 230), geo.INSET_PROJECTION, geo.INSET_EXTENT)
    x, y = inset.lonlat_to_px(30.5234, 50.4501)
    assert isinstance(x, float) and isinstance(y, float)
    lon, lat = inset.px_to_lonlat(x, y)
    assert lon == pytest.approx(30.5234) and lat == pytest.approx(50.4501)


@pytest.mark.parametrize("size", [(1280, 800), (800, 600), (600, 900)])
def test_extent_fits_and_keeps_aspect(size):
    w, h = size
    vp = geo.Viewport((0, 0, w, h))
    x, y = vp.lonlat_to_px(*geo.MAIN_EXTENT.boundary())
    assert x.min() >= -1e-6 and x.max() <= w + 1e-6
    assert y.min() >= -1e-6 and y.max() <= h + 1e-6
    # The extent touches the rectangle on its tight side.
    assert max(x.max() - x.min() - w, y.max() - y.min() - h) == pytest.approx(0, abs=1e-6)
    # Same scale on both axes: a small square stays square.
    cx, cy = vp.lonlat_to_px(122.5, 40.0)
    lon1, lat1 = vp.px_to_lonlat(cx + 10, cy)
    lon2, lat2 = vp.px_to_lonlat(cx, cy - 10)
    km_x = (lon1 - 122.5) * 111.2 * np.cos(np.radians(40.0))
    km_y = (lat2 - 40.0) * 111.2
    assert km_x == pytest.approx(km_y, rel=0.01)


def test_seoul_inside_and_east_of_beijing(vp):
    sx, sy = px(vp, "Seoul")
    bx, _ = px(vp, "Beijing")
    assert 0 <= sx < 1280 and 0 <= sy < 800
    assert sx > bx


def test_pyongyang_north_of_seoul(vp):
    _, py = px(vp, "Pyongyang")
    _, sy = px(vp, "Seoul")
    assert py < sy


def test_guam_is_off_the_main_map(vp):
    x, y = px(vp, "Andersen AFB, Guam")
    assert not vp.contains_px(x, y)


def test_points_have_sources():
    names = {p.name for p in geo.STRATEGIC_POINTS}
    for needed in ("Washington", "Moscow", "Kursk", "Tumangang", "Panmunjom (JSA)"):
        assert needed in names
    for p in geo.STRATEGIC_POINTS:
        assert p.source.startswith("facts file §9, ")
        assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180
    for iso3, capital in geo.CAPITAL_OF.items():
        assert geo.strategic_point(capital).iso3 == iso3


def test_asset_contents():
    data = geo.load_map()
    main = {c.iso3 for c in data.main.countries}
    assert {"RUS", "CHN", "MNG", "PRK", "KOR", "JPN", "TWN", "PHL", "VNM", "LAO"} <= main
    assert {"UKR", "RUS", "BLR"} <= {c.iso3 for c in data.inset.countries}
    assert "source" in data.meta and "licence" in " ".join(data.meta)
    for country in data.main.countries + data.inset.countries:
        for ring in country.rings:
            assert len(ring) >= 4
            assert np.array_equal(ring[0], ring[-1])
            assert np.array_equal(np.round(ring, 3), ring)
    assert data.main.borders and data.main.coastlines


def test_asset_is_modest():
    assert geo.ASSET_PATH.stat().st_size < 1_500_000


def test_point_in_rings_with_hole():
    outer = np.array([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], dtype=float)
    hole = np.array([[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]], dtype=float)
    assert geo.point_in_rings(2, 2, [outer, hole])
    assert not geo.point_in_rings(5, 5, [outer, hole])
    assert not geo.point_in_rings(12, 5, [outer, hole])


def test_capitals_fall_in_their_country():
    data = geo.load_map()
    for layer, names in (
        (data.main, ("Beijing", "Pyongyang", "Seoul", "Tokyo", "Ulaanbaatar")),
        (data.inset, ("Kyiv", "Moscow")),
    ):
        for name in names:
            p = geo.strategic_point(name)
            country = layer.by_iso3(p.iso3)
            assert country is not None and geo.point_in_rings(p.lon, p.lat, country.rings), name
