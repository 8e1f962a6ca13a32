#!/usr/bin/env python3
"""Build the game's map asset from Natural Earth country shapes.

This is a developer tool: the game never runs it and never needs npm or a
network connection. It reads ``countries-50m.json`` from the npm package
``world-atlas`` (Natural Earth 1:50m Admin 0 countries, as TopoJSON), decodes
the topology itself, simplifies the shared arcs with Douglas-Peucker, clips
the result to two regions and writes ``assets/map/northeast_asia.json``:

* ``main``  - the Northeast Asia theatre (the game's main map);
* ``inset`` - Ukraine and western Russia, for the Kursk inset.

Usage::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz   # unpacks to ./package
    python3 tools/build_map.py --source package

See assets/map/PROVENANCE.md for the licences and the parameters used.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "assets" / "map" / "northeast_asia.json"
SOURCE_FILE = "countries-50m.json"

# ISO 3166-1 numeric -> alpha-3 for every state that can end up in either
# region. Entries that the source leaves without a numeric id (Kosovo, the
# Siachen Glacier) get no code and are drawn with the neutral land colour.
ISO3_BY_NUMERIC = {
    "004": "AFG",
    "008": "ALB",
    "031": "AZE",
    "040": "AUT",
    "048": "BHR",
    "050": "BGD",
    "051": "ARM",
    "064": "BTN",
    "070": "BIH",
    "096": "BRN",
    "100": "BGR",
    "104": "MMR",
    "112": "BLR",
    "116": "KHM",
    "144": "LKA",
    "156": "CHN",
    "158": "TWN",
    "191": "HRV",
    "203": "CZE",
    "208": "DNK",
    "231": "ETH",
    "233": "EST",
    "246": "FIN",
    "248": "ALA",
    "250": "FRA",
    "268": "GEO",
    "276": "DEU",
    "296": "KIR",
    "300": "GRC",
    "316": "GUM",
    "344": "HKG",
    "348": "HUN",
    "356": "IND",
    "360": "IDN",
    "364": "IRN",
    "368": "IRQ",
    "380": "ITA",
    "392": "JPN",
    "398": "KAZ",
    "408": "PRK",
    "410": "KOR",
    "414": "KWT",
    "417": "KGZ",
    "418": "LAO",
    "428": "LVA",
    "440": "LTU",
    "446": "MAC",
    "458": "MYS",
    "462": "MDV",
    "496": "MNG",
    "498": "MDA",
    "499": "MNE",
    "512": "OMN",
    "524": "NPL",
    "578": "NOR",
    "580": "MNP",
    "583": "FSM",
    "584": "MHL",
    "585": "PLW",
    "586": "PAK",
    "608": "PHL",
    "616": "POL",
    "634": "QAT",
    "642": "ROU",
    "643": "RUS",
    "674": "SMR",
    "682": "SAU",
    "688": "SRB",
    "702": "SGP",
    "703": "SVK",
    "704": "VNM",
    "705": "SVN",
    "706": "SOM",
    "752": "SWE",
    "760": "SYR",
    "762": "TJK",
    "764": "THA",
    "784": "ARE",
    "792": "TUR",
    "795": "TKM",
    "804": "UKR",
    "807": "MKD",
    "840": "USA",
    "860": "UZB",
    "887": "YEM",
}


@dataclass(frozen=True)
class Region:
    """A lon/lat clipping box plus the simplification settings for it."""

    key: str
    title: str
    # (lon_min, lat_min, lon_max, lat_max). Deliberately wider than the
    # extent the game fits to the screen: a conic projection fans out towards
    # the pole, so the corners of a wide window show far more longitude than
    # the nominal extent.
    clip: tuple[float, float, float, float]
    # Countries are kept when one of their rings has a vertex in this box.
    select: tuple[float, float, float, float]
    # Douglas-Peucker tolerance in degrees of latitude (about 111 km each).
    tolerance_deg: float
    # Rings smaller than this (square degrees of latitude) are dropped.
    min_ring_area: float


REGIONS = (
    Region(
        key="main",
        title="Northeast Asia theatre",
        clip=(45.0, 0.0, 180.0, 72.0),
        select=(45.0, 0.0, 180.0, 72.0),
        tolerance_deg=0.02,
        min_ring_area=0.004,
    ),
    Region(
        key="inset",
        title="Ukraine and western Russia (Kursk inset)",
        clip=(12.0, 40.0, 55.0, 61.0),
        select=(12.0, 40.0, 55.0, 61.0),
        tolerance_deg=0.01,
        min_ring_area=0.002,
    ),
)


# ---------------------------------------------------------------------------
# TopoJSON decoding


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Turn the quantised, delta-encoded arcs into absolute lon/lat arrays."""
    transform = topology.get("transform")
    arcs = []
    for raw in topology["arcs"]:
        pts = np.asarray(raw, dtype=np.float64)
        if transform is not None:
            # Positions after the first are offsets from the previous one.
            pts = np.cumsum(pts, axis=0)
            pts = pts * np.asarray(transform["scale"]) + np.asarray(transform["translate"])
        arcs.append(pts[:, :2])
    return arcs


def arc_index(ref: int) -> tuple[int, bool]:
    """A negative reference ~i means arc i walked backwards."""
    return (ref, False) if ref >= 0 else (~ref, True)


def geometry_polygons(geom: dict) -> list[list[list[int]]]:
    """Arc references of a geometry as polygons -> rings -> arc refs."""
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return list(geom["arcs"])
    return []


def stitch_ring(refs: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Join the arcs of one ring; consecutive arcs share an end point."""
    parts = []
    for n, ref in enumerate(refs):
        i, backwards = arc_index(ref)
        pts = arcs[i][::-1] if backwards else arcs[i]
        parts.append(pts if n == 0 else pts[1:])
    return np.vstack(parts)


# ---------------------------------------------------------------------------
# Simplification


def douglas_peucker(pts: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify a polyline, keeping both ends.

    Distances are measured on a local equirectangular plane (longitude scaled
    by the cosine of the arc's mean latitude), so the tolerance means roughly
    the same ground distance everywhere.
    """
    if len(pts) <= 2:
        return pts
    k = math.cos(math.radians(float(np.clip(pts[:, 1].mean(), -85.0, 85.0))))
    plane = np.column_stack((pts[:, 0] * k, pts[:, 1]))
    keep = np.zeros(len(pts), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        seg = plane[b] - plane[a]
        rel = plane[a + 1 : b] - plane[a]
        length = math.hypot(seg[0], seg[1])
        if length == 0.0:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(rel[:, 0] * seg[1] - rel[:, 1] * seg[0]) / length
        j = int(np.argmax(dist))
        if dist[j] > tolerance:
            m = a + 1 + j
            keep[m] = True
            stack.append((a, m))
            stack.append((m, b))
    return pts[keep]


def simplify_closed_arc(pts: np.ndarray, tolerance: float) -> np.ndarray:
    """A closed arc (an island) has no natural split point: split it at the
    vertex farthest from its start so that Douglas-Peucker keeps its shape."""
    if len(pts) < 4:
        return pts
    j = int(np.argmax(np.hypot(*(pts - pts[0]).T)))
    if j in (0, len(pts) - 1):
        return douglas_peucker(pts, tolerance)
    first = douglas_peucker(pts[: j + 1], tolerance)
    second = douglas_peucker(pts[j:], tolerance)
    return np.vstack((first, second[1:]))


# ---------------------------------------------------------------------------
# Clipping


def clip_ring(ring: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """Sutherland-Hodgman clip of a closed ring to an axis-aligned box.

    The result may run along the box edge; the box is wider than anything the
    game shows, so those edges stay off screen.
    """
    lon0, lat0, lon1, lat1 = box
    pts = (
        [tuple(p) for p in ring[:-1]] if np.allclose(ring[0], ring[-1]) else list(map(tuple, ring))
    )
    edges = (
        (0, lon0, True),
        (0, lon1, False),
        (1, lat0, True),
        (1, lat1, False),
    )
    for axis, value, keep_above in edges:
        if not pts:
            break

        def inside(p, axis=axis, value=value, keep_above=keep_above):
            return p[axis] >= value if keep_above else p[axis] <= value

        def cross(p, q, axis=axis, value=value):
            t = (value - p[axis]) / (q[axis] - p[axis])
            x = p[0] + t * (q[0] - p[0])
            y = p[1] + t * (q[1] - p[1])
            return (value, y) if axis == 0 else (x, value)

        out = []
        prev = pts[-1]
        for cur in pts:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
        pts = out
    if len(pts) < 3:
        return np.empty((0, 2))
    pts.append(pts[0])
    return np.asarray(pts)


def clip_polyline(pts: np.ndarray, box: tuple[float, float, float, float]) -> list[np.ndarray]:
    """Split a polyline into the runs that enter the box. Each run keeps one
    point outside the box at either end so the line reaches past the edge."""
    lon0, lat0, lon1, lat1 = box
    inside = (pts[:, 0] >= lon0) & (pts[:, 0] <= lon1) & (pts[:, 1] >= lat0) & (pts[:, 1] <= lat1)
    # A segment is kept if either end is inside the box.
    seg = inside[:-1] | inside[1:]
    runs = []
    start = None
    for i, on in enumerate(seg):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append(pts[start : i + 1])
            start = None
    if start is not None:
        runs.append(pts[start:])
    return [r for r in runs if len(r) >= 2]


# ---------------------------------------------------------------------------
# Output helpers


def ring_area(ring: np.ndarray) -> float:
    """Absolute shoelace area in square degrees of latitude."""
    k = math.cos(math.radians(float(np.clip(ring[:, 1].mean(), -85.0, 85.0))))
    x = ring[:, 0] * k
    y = ring[:, 1]
    return abs(float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))) / 2.0


def rounded(pts: np.ndarray) -> list[list[float]]:
    """Round to 3 decimals (about 100 m) and drop repeated points."""
    r = np.round(pts, 3)
    if len(r) > 1:
        dup = np.all(r[1:] == r[:-1], axis=1)
        r = np.vstack((r[:1], r[1:][~dup]))
    return [[float(x), float(y)] for x, y in r]


def box_overlaps(pts: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    lon0, lat0, lon1, lat1 = box
    return bool(
        np.any(
            (pts[:, 0] >= lon0) & (pts[:, 0] <= lon1) & (pts[:, 1] >= lat0) & (pts[:, 1] <= lat1)
        )
    )


def build_region(
    region: Region,
    geometries: list[dict],
    raw_arcs: list[np.ndarray],
    arc_users: list[set[int]],
) -> dict:
    tol = region.tolerance_deg
    # Simplify each arc once so that neighbours share exactly the same border.
    simple = []
    for pts in raw_arcs:
        closed = len(pts) > 3 and np.allclose(pts[0], pts[-1])
        simple.append(simplify_closed_arc(pts, tol) if closed else douglas_peucker(pts, tol))

    countries = []
    used_arcs: set[int] = set()
    for g_index, geom in enumerate(geometries):
        polys_out = []
        touches_select = False
        geom_arcs = set()
        for poly in geometry_polygons(geom):
            rings_out = []
            for n, refs in enumerate(poly):
                ring = stitch_ring(refs, simple)
                if n == 0 and ring_area(ring) < region.min_ring_area:
                    rings_out = []
                    break  # the outer ring is too small: drop the whole polygon
                if n > 0 and ring_area(ring) < region.min_ring_area:
                    continue
                if box_overlaps(ring, region.select):
                    touches_select = True
                clipped = clip_ring(ring, region.clip)
                if len(clipped) < 4:
                    if n == 0:
                        rings_out = []
                        break
                    continue
                ring_pts = rounded(clipped)
                if len(ring_pts) < 4:
                    if n == 0:
                        rings_out = []
                        break
                    continue
                rings_out.append(ring_pts)
                geom_arcs.update(arc_index(r)[0] for r in refs)
            if rings_out:
                polys_out.append(rings_out)
        if not polys_out or not touches_select:
            continue
        used_arcs.update(geom_arcs)
        numeric = geom.get("id")
        countries.append(
            {
                "id": numeric,
                "name": geom["properties"]["name"],
                "iso3": ISO3_BY_NUMERIC.get(numeric) if numeric else None,
                "polygons": polys_out,
                "_index": g_index,
            }
        )

    # Arcs used by two countries are land borders; arcs used by one are coast.
    borders, coast = [], []
    for i in sorted(used_arcs):
        for run in clip_polyline(simple[i], region.clip):
            line = rounded(run)
            if len(line) < 2:
                continue
            (borders if len(arc_users[i]) > 1 else coast).append(line)

    for c in countries:
        del c["_index"]
    countries.sort(key=lambda c: (c["iso3"] is None, c["iso3"] or "", c["name"]))
    return {
        "title": region.title,
        "clip_box": list(region.clip),
        "select_box": list(region.select),
        "tolerance_deg": tol,
        "min_ring_area_sq_deg": region.min_ring_area,
        "countries": countries,
        "borders": borders,
        "coastlines": coast,
    }


def dump(doc: dict) -> str:
    """Compact JSON with one country or line set per text line, so that a
    regenerated asset gives a readable diff."""
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    out = ["{", f'"meta":{json.dumps(doc["meta"], **compact)},']
    keys = [k for k in doc if k != "meta"]
    for ki, key in enumerate(keys):
        region = doc[key]
        out.append(f'"{key}":{{')
        scalars = [k for k in region if k not in ("countries", "borders", "coastlines")]
        for k in scalars:
            out.append(f'"{k}":{json.dumps(region[k], **compact)},')
        for li, list_key in enumerate(("countries", "borders", "coastlines")):
            items = region[list_key]
            out.append(f'"{list_key}":[')
            for ii, item in enumerate(items):
                sep = "," if ii < len(items) - 1 else ""
                out.append(json.dumps(item, **compact) + sep)
            out.append("]," if li < 2 else "]")
        out.append("}," if ki < len(keys) - 1 else "}")
    out.append("}")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("package"),
        help="unpacked world-atlas npm package (directory holding package.json)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    src = args.source / SOURCE_FILE
    raw = src.read_bytes()
    topology = json.loads(raw)
    package = json.loads((args.source / "package.json").read_text())

    geometries = [g for g in topology["objects"]["countries"]["geometries"] if geometry_polygons(g)]
    raw_arcs = decode_arcs(topology)
    arc_users: list[set[int]] = [set() for _ in raw_arcs]
    for g_index, geom in enumerate(geometries):
        for poly in geometry_polygons(geom):
            for refs in poly:
                for ref in refs:
                    arc_users[arc_index(ref)[0]].add(g_index)

    doc = {
        "meta": {
            "source": f"npm package {package['name']} {package['version']}, file {SOURCE_FILE}",
            "source_sha256": hashlib.sha256(raw).hexdigest(),
            "data": "Natural Earth 1:50m Admin 0 countries (as redistributed by world-atlas)",
            "data_licence": "Natural Earth: public domain",
            "package_licence": f"{package['name']}: {package.get('license', 'ISC')}",
            "generator": "tools/build_map.py",
            "coordinates": "[lon, lat] in decimal degrees (WGS84), rounded to 3 decimals",
            "polygons": "each country has polygons; each polygon is a list of closed rings, "
            "the first the outline and any others holes",
            "borders": "polylines shared by two countries (land borders)",
            "coastlines": "polylines used by one country only (coasts)",
            "iso3": "ISO 3166-1 alpha-3 mapped by this script from the numeric id; "
            "null where the source has no id",
            "boundaries": "as drawn by the source (Natural Earth's de facto view); "
            "in this edition Crimea is part of the Russia polygon",
        }
    }
    for region in REGIONS:
        doc[region.key] = build_region(region, geometries, raw_arcs, arc_users)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = dump(doc)
    json.loads(text)  # refuse to write something that does not parse
    args.out.write_text(text, encoding="utf-8")
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1024:.0f} KiB)")
    for region in REGIONS:
        part = doc[region.key]
        npts = sum(len(r) for c in part["countries"] for p in c["polygons"] for r in p)
        names = ", ".join(c["iso3"] or c["name"] for c in part["countries"])
        print(f"  {region.key}: {len(part['countries'])} countries, {npts} ring points: {names}")


if __name__ == "__main__":
    main()
