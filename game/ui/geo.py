"""Geography for the map: the country asset, projections, viewports and the
strategic points of the scenario.

Pure Python + numpy so that it can be used (and tested) without a display.
The asset is built by ``tools/build_map.py``; see assets/map/PROVENANCE.md.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ASSET_DIR = Path(__file__).resolve().parents[2] / "assets" / "map"
ASSET_PATH = ASSET_DIR / "northeast_asia.json"

ArrayLike = float | Sequence[float] | np.ndarray


# ---------------------------------------------------------------------------
# Projections


@dataclass(frozen=True)
class Extent:
    """A lon/lat box in decimal degrees (east and north positive)."""

    lon_min: float
    lon_max: float
    lat_min: float
    lat_max: float

    def boundary(self, samples: int = 64) -> tuple[np.ndarray, np.ndarray]:
        """Points along the outline of the box. Parallels project to curves,
        so the sides are sampled rather than taken from the corners alone."""
        t = np.linspace(0.0, 1.0, samples)
        lon_span = self.lon_max - self.lon_min
        lat_span = self.lat_max - self.lat_min
        lons = np.concatenate(
            (
                self.lon_min + lon_span * t,
                np.full(samples, self.lon_max),
                self.lon_max - lon_span * t,
                np.full(samples, self.lon_min),
            )
        )
        lats = np.concatenate(
            (
                np.full(samples, self.lat_min),
                self.lat_min + lat_span * t,
                np.full(samples, self.lat_max),
                self.lat_max - lat_span * t,
            )
        )
        return lons, lats

    def contains(self, lon: float, lat: float) -> bool:
        return self.lon_min <= lon <= self.lon_max and self.lat_min <= lat <= self.lat_max


@dataclass(frozen=True)
class LambertConformalConic:
    """Spherical Lambert conformal conic projection on a unit sphere.

    Conformal, with low distortion in the band between the two standard
    parallels, which is why it suits mid-latitude regions that are wider
    than they are tall. Output ``y`` grows northwards.
    """

    lon0: float  # central meridian
    lat0: float  # latitude of origin
    lat1: float  # first standard parallel
    lat2: float  # second standard parallel

    def _constants(self) -> tuple[float, float, float]:
        return _lcc_constants(self.lat0, self.lat1, self.lat2)

    def forward(self, lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        n, f, rho0 = self._constants()
        lat_r = np.radians(np.clip(np.asarray(lat, dtype=np.float64), -89.9, 89.9))
        rho = f / np.tan(np.pi / 4 + lat_r / 2) ** n
        theta = n * np.radians(_wrap180(np.asarray(lon, dtype=np.float64) - self.lon0))
        return rho * np.sin(theta), rho0 - rho * np.cos(theta)

    def inverse(self, x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        n, f, rho0 = self._constants()
        x = np.asarray(x, dtype=np.float64)
        dy = rho0 - np.asarray(y, dtype=np.float64)
        rho = math.copysign(1.0, n) * np.hypot(x, dy)
        theta = np.arctan2(x * math.copysign(1.0, n), dy * math.copysign(1.0, n))
        lon = self.lon0 + np.degrees(theta / n)
        with np.errstate(divide="ignore"):
            lat = np.degrees(2 * np.arctan((f / rho) ** (1 / n)) - np.pi / 2)
        return lon, lat


@lru_cache(maxsize=16)
def _lcc_constants(lat0: float, lat1: float, lat2: float) -> tuple[float, float, float]:
    p0, p1, p2 = (math.radians(v) for v in (lat0, lat1, lat2))
    if math.isclose(p1, p2):
        n = math.sin(p1)
    else:
        n = math.log(math.cos(p1) / math.cos(p2)) / math.log(
            math.tan(math.pi / 4 + p2 / 2) / math.tan(math.pi / 4 + p1 / 2)
        )
    f = math.cos(p1) * math.tan(math.pi / 4 + p1 / 2) ** n / n
    rho0 = f / math.tan(math.pi / 4 + p0 / 2) ** n
    return n, f, rho0


def _wrap180(deg: np.ndarray) -> np.ndarray:
    return (deg + 180.0) % 360.0 - 180.0


# Main theatre: standard parallels 30N and 50N bracket the Korean peninsula,
# Japan, Manchuria and Mongolia; the central meridian runs through the Yellow
# Sea between Beijing and Seoul.
MAIN_PROJECTION = LambertConformalConic(lon0=122.5, lat0=40.0, lat1=30.0, lat2=50.0)
MAIN_EXTENT = Extent(lon_min=95.0, lon_max=150.0, lat_min=20.0, lat_max=60.0)

# Inset: Ukraine, Belarus and western Russia up to Moscow.
INSET_PROJECTION = LambertConformalConic(lon0=33.5, lat0=50.0, lat1=46.0, lat2=54.0)
INSET_EXTENT = Extent(lon_min=22.0, lon_max=45.0, lat_min=44.0, lat_max=56.5)


class Viewport:
    """Fits a projected lon/lat extent into a pixel rectangle.

    The whole extent stays visible and the aspect ratio is kept; the spare
    room on the longer side shows more of the surrounding map. Pixel ``y``
    grows downwards as on screen. ``zoom`` magnifies that fit and ``center``
    (projected coordinates) is the point shown in the middle of the rect;
    by default the middle of the extent.
    """

    def __init__(
        self,
        rect: Sequence[float],
        projection: LambertConformalConic = MAIN_PROJECTION,
        extent: Extent = MAIN_EXTENT,
        margin: float = 0.0,
        zoom: float = 1.0,
        center: tuple[float, float] | None = None,
    ) -> None:
        x, y, w, h = (float(v) for v in tuple(rect)[:4])
        if w <= 0 or h <= 0:
            raise ValueError(f"viewport needs a positive size, got {w}x{h}")
        self.rect = (x, y, w, h)
        self.projection = projection
        self.extent = extent
        bx, by = projection.forward(*extent.boundary())
        self._cx = (bx.min() + bx.max()) / 2
        self._cy = (by.min() + by.max()) / 2
        span_x = bx.max() - bx.min()
        span_y = by.max() - by.min()
        inner_w = max(w - 2 * margin, 1.0)
        inner_h = max(h - 2 * margin, 1.0)
        # Pixels per projected unit (unit sphere radius).
        self.fit_scale = min(inner_w / span_x, inner_h / span_y)
        self.home = (float(self._cx), float(self._cy))
        self.zoom = float(zoom)
        self.scale = self.fit_scale * self.zoom
        if center is not None:
            self._cx, self._cy = (float(v) for v in center)
        self._px0 = x + w / 2
        self._py0 = y + h / 2

    @property
    def center(self) -> tuple[float, float]:
        """Projected coordinates shown in the middle of the rect."""
        return (float(self._cx), float(self._cy))

    @property
    def km_per_px(self) -> float:
        return 6371.0 / self.scale

    def project(self, x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Projected coordinates -> pixels."""
        px = self._px0 + (np.asarray(x) - self._cx) * self.scale
        py = self._py0 - (np.asarray(y) - self._cy) * self.scale
        return px, py

    def unproject(self, px: ArrayLike, py: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Pixels -> projected coordinates."""
        x = self._cx + (np.asarray(px, dtype=np.float64) - self._px0) / self.scale
        y = self._cy - (np.asarray(py, dtype=np.float64) - self._py0) / self.scale
        return x, y

    def lonlat_to_px(self, lon: ArrayLike, lat: ArrayLike):
        """Longitude/latitude (scalars or arrays) -> pixel x, y (same shape)."""
        px, py = self.project(*self.projection.forward(lon, lat))
        return _scalarise(px), _scalarise(py)

    def px_to_lonlat(self, px: ArrayLike, py: ArrayLike):
        """Pixel x, y (scalars or arrays) -> longitude, latitude."""
        lon, lat = self.projection.inverse(*self.unproject(px, py))
        return _scalarise(lon), _scalarise(lat)

    def contains_px(self, px: float, py: float) -> bool:
        x, y, w, h = self.rect
        return x <= px < x + w and y <= py < y + h


def _scalarise(a: np.ndarray):
    a = np.asarray(a)
    return float(a) if a.ndim == 0 else a


# ---------------------------------------------------------------------------
# The country asset


@dataclass(frozen=True)
class Country:
    id: str | None  # ISO 3166-1 numeric, as in the source
    name: str
    iso3: str | None
    # Polygons -> rings -> (N, 2) arrays of [lon, lat]; ring 0 is the outline.
    polygons: tuple[tuple[np.ndarray, ...], ...]

    @property
    def rings(self) -> list[np.ndarray]:
        return [ring for poly in self.polygons for ring in poly]


@dataclass(frozen=True)
class MapLayer:
    title: str
    countries: tuple[Country, ...]
    borders: tuple[np.ndarray, ...]  # land borders, (N, 2) [lon, lat]
    coastlines: tuple[np.ndarray, ...]

    def by_iso3(self, iso3: str) -> Country | None:
        for c in self.countries:
            if c.iso3 == iso3:
                return c
        return None


@dataclass(frozen=True)
class MapData:
    meta: dict
    main: MapLayer
    inset: MapLayer


def _layer(raw: dict) -> MapLayer:
    countries = tuple(
        Country(
            id=c.get("id"),
            name=c["name"],
            iso3=c.get("iso3"),
            polygons=tuple(
                tuple(np.asarray(ring, dtype=np.float64) for ring in poly) for poly in c["polygons"]
            ),
        )
        for c in raw["countries"]
    )
    return MapLayer(
        title=raw.get("title", ""),
        countries=countries,
        borders=tuple(np.asarray(line, dtype=np.float64) for line in raw["borders"]),
        coastlines=tuple(np.asarray(line, dtype=np.float64) for line in raw["coastlines"]),
    )


@lru_cache(maxsize=4)
def load_map(path: Path | str = ASSET_PATH) -> MapData:
    """Read the map asset (cached: the arrays are shared, do not modify them)."""
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    return MapData(meta=raw["meta"], main=_layer(raw["main"]), inset=_layer(raw["inset"]))


# ---------------------------------------------------------------------------
# Geometry helpers


def point_in_rings(x: float, y: float, rings: Sequence[np.ndarray]) -> bool:
    """Even-odd test of a point against a set of closed rings (outlines and
    holes together), all in the same plane coordinates as (x, y)."""
    inside = False
    for ring in rings:
        xs = ring[:, 0]
        ys = ring[:, 1]
        x0, y0 = xs[:-1], ys[:-1]
        x1, y1 = xs[1:], ys[1:]
        straddle = (y0 > y) != (y1 > y)
        if not straddle.any():
            continue
        x0, y0, x1, y1 = x0[straddle], y0[straddle], x1[straddle], y1[straddle]
        cross_x = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        if int(np.count_nonzero(cross_x > x)) % 2:
            inside = not inside
    return inside


def graticule(
    extent: Extent, step: float = 10.0, pad: float = 30.0, samples_per_deg: int = 2
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Meridians and parallels every ``step`` degrees around an extent, as
    (lons, lats) polylines; ``pad`` degrees beyond it so they reach the
    corners of a wide window."""
    lon_a = math.floor((extent.lon_min - pad) / step) * step
    lon_b = math.ceil((extent.lon_max + pad) / step) * step
    lat_a = max(math.floor((extent.lat_min - pad) / step) * step, -80.0)
    lat_b = min(math.ceil((extent.lat_max + pad) / step) * step, 80.0)
    lines = []
    lats = np.linspace(lat_a, lat_b, int((lat_b - lat_a) * samples_per_deg) + 1)
    for lon in np.arange(lon_a, lon_b + step / 2, step):
        lines.append((np.full_like(lats, lon), lats))
    lons = np.linspace(lon_a, lon_b, int((lon_b - lon_a) * samples_per_deg) + 1)
    for lat in np.arange(lat_a, lat_b + step / 2, step):
        lines.append((lons, np.full_like(lons, lat)))
    return lines


# ---------------------------------------------------------------------------
# Strategic points


@dataclass(frozen=True)
class StrategicPoint:
    name: str
    lat: float
    lon: float
    # "capital", "base", "border" (DMZ, crossings) or "city".
    kind: str
    iso3: str  # the state the point lies in
    source: str


_CAPITALS = "facts file §9, CountryCapitials.js list (brandonholmes/lmu-cmsi-370)"

STRATEGIC_POINTS: tuple[StrategicPoint, ...] = (
    # Source: facts file §9, CountryCapitials.js list (brandonholmes/lmu-cmsi-370)
    StrategicPoint("Washington", 38.9072, -77.0369, "capital", "USA", _CAPITALS),
    # Source: facts file §9, CountryCapitials.js list (brandonholmes/lmu-cmsi-370)
    StrategicPoint("Moscow", 55.7558, 37.6173, "capital", "RUS", _CAPITALS),
    # Source: facts file §9, CountryCapitials.js list (brandonholmes/lmu-cmsi-370)
    StrategicPoint("Beijing", 39.9042, 116.4074, "capital", "CHN", _CAPITALS),
    # Source: facts file §9, CountryCapitials.js list (brandonholmes/lmu-cmsi-370)
    StrategicPoint("Pyongyang", 39.0392, 125.7625, "capital", "PRK", _CAPITALS),
    # Source: facts file §9, CountryCapitials.js list (brandonholmes/lmu-cmsi-370)
    StrategicPoint("Seoul", 37.5665, 126.9780, "capital", "KOR", _CAPITALS),
    # Source: facts file §9, CountryCapitials.js list (brandonholmes/lmu-cmsi-370)
    StrategicPoint("Tokyo", 35.7090, 139.7320, "capital", "JPN", _CAPITALS),
    # Source: facts file §9, CountryCapitials.js list (brandonholmes/lmu-cmsi-370)
    StrategicPoint("Kyiv", 50.4501, 30.5234, "capital", "UKR", _CAPITALS),
    # Source: facts file §9, CountryCapitials.js list (brandonholmes/lmu-cmsi-370)
    StrategicPoint("Ulaanbaatar", 47.8864, 106.9057, "capital", "MNG", _CAPITALS),
    # Source: facts file §9, piglix.com "Joint Security Area"
    StrategicPoint(
        "Panmunjom (JSA)",
        37.9558,
        126.6767,
        "border",
        "KOR",
        "facts file §9, piglix.com 'Joint Security Area'",
    ),
    # Source: facts file §9, f8.com Russia/Vladivostok page (43°08'N 131°54'E)
    StrategicPoint(
        "Vladivostok",
        43.13,
        131.90,
        "base",
        "RUS",
        "facts file §9, f8.com Russia/Vladivostok page",
    ),
    # Source: facts file §9, review.clateway.com wiki "Kursk"
    StrategicPoint(
        "Kursk", 51.717, 36.183, "city", "RUS", "facts file §9, review.clateway.com wiki 'Kursk'"
    ),
    # Source: facts file §9, Wikipedia mirror (movatter.jp) "Kadena Airfield"
    StrategicPoint(
        "Kadena AB",
        26.3517,
        127.7694,
        "base",
        "JPN",
        "facts file §9, Wikipedia mirror (movatter.jp) 'Kadena Airfield'",
    ),
    # Source: facts file §9, airports-worldwide.com "Andersen AFB, Guam"
    StrategicPoint(
        "Andersen AFB, Guam",
        13.5811,
        144.9244,
        "base",
        "USA",
        "facts file §9, airports-worldwide.com 'Andersen AFB, Guam'",
    ),
    # Source: facts file §9, Wikipedia "Tumangang" (oldid 1152409524)
    StrategicPoint(
        "Tumangang",
        42.4217,
        130.6026,
        "border",
        "PRK",
        "facts file §9, Wikipedia 'Tumangang' (oldid 1152409524)",
    ),
)

POINTS_BY_NAME: dict[str, StrategicPoint] = {p.name: p for p in STRATEGIC_POINTS}


def strategic_point(name: str) -> StrategicPoint:
    """Look a point up by name ("Seoul", "Kursk", "Panmunjom (JSA)", ...)."""
    return POINTS_BY_NAME[name]


# Capital (or stand-in) for each state the game treats as an actor.
CAPITAL_OF: dict[str, str] = {
    "USA": "Washington",
    "RUS": "Moscow",
    "CHN": "Beijing",
    "PRK": "Pyongyang",
    "KOR": "Seoul",
    "JPN": "Tokyo",
    "UKR": "Kyiv",
    "MNG": "Ulaanbaatar",
}
