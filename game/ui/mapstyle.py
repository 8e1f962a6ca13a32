"""How the strategic map looks: its palette, the names written on it, the points marked on
it and where each actor is anchored."""

from __future__ import annotations

Colour = tuple[int, int, int]

# --- palette ---------------------------------------------------------------
SEA_TOP: Colour = (21, 36, 54)
SEA_BOTTOM: Colour = (30, 52, 74)
SEA_SHALLOW: Colour = (20, 30, 34)  # added to the sea near coasts
LAND_DEFAULT: Colour = (148, 139, 116)
LAND_FAR: Colour = (122, 117, 104)  # countries far from the theatre
COAST: Colour = (14, 24, 36)
BORDER: Colour = (34, 30, 28)
GRATICULE = (150, 180, 210, 34)
LABEL: Colour = (238, 232, 214)
LABEL_SHADOW: Colour = (10, 14, 20)
COUNTRY_LABEL = (240, 234, 220, 150)
SEA_LABEL: Colour = (112, 146, 178)
CAPITAL_FILL: Colour = (246, 240, 222)
BASE_FILL: Colour = (236, 188, 80)
BORDER_POINT_FILL: Colour = (226, 120, 96)
CITY_FILL: Colour = (226, 96, 80)
FRAME: Colour = (196, 186, 160)
TITLE_BAR = (12, 18, 28, 225)

# Country names drawn across the land: ISO3 -> (text, lon, lat, size factor).
COUNTRY_LABELS: dict[str, tuple[str, float, float, float]] = {
    "RUS": ("RUSSIA", 118.0, 58.2, 1.6),
    "CHN": ("CHINA", 110.0, 34.0, 1.6),
    "MNG": ("MONGOLIA", 103.5, 46.3, 1.15),
    "KAZ": ("KAZAKHSTAN", 78.0, 48.5, 0.95),
    "PRK": ("N. KOREA", 126.9, 40.35, 0.62),
    "KOR": ("S. KOREA", 128.15, 36.25, 0.62),
    "JPN": ("JAPAN", 145.2, 38.6, 1.05),
    "TWN": ("TAIWAN", 124.0, 23.0, 0.62),
    "PHL": ("PHILIPPINES", 126.0, 16.5, 0.75),
    "VNM": ("VIETNAM", 108.6, 15.2, 0.62),
    "LAO": ("LAOS", 102.8, 19.7, 0.62),
    "THA": ("THAILAND", 100.7, 16.0, 0.62),
    "MMR": ("MYANMAR", 96.0, 22.0, 0.62),
    "IND": ("INDIA", 84.0, 24.0, 0.95),
}

SEA_LABELS: tuple[tuple[str, float, float], ...] = (
    ("Sea of Japan", 134.8, 40.4),
    ("(East Sea)", 134.8, 39.6),
    ("Yellow Sea", 123.4, 35.2),
    ("East China Sea", 125.8, 29.0),
    ("Sea of Okhotsk", 149.0, 53.0),
    ("Pacific Ocean", 150.0, 33.0),
    ("South China Sea", 115.0, 16.5),
)

INSET_LABELS: dict[str, tuple[str, float, float, float]] = {
    "UKR": ("UKRAINE", 31.0, 48.6, 0.9),
    "RUS": ("RUSSIA", 41.5, 53.6, 0.9),
    "BLR": ("BELARUS", 27.9, 53.5, 0.65),
}

# Label placement around a marker: (dx, dy, anchor) with anchor one of
# "l" (text starts at the offset), "r" (text ends there) or "c" (centred).
LABEL_OFFSETS: dict[str, tuple[int, int, str]] = {
    "Beijing": (-8, 0, "r"),
    "Pyongyang": (-8, -2, "r"),
    "Seoul": (8, 3, "l"),
    "Panmunjom (JSA)": (-8, 6, "r"),
    "Tokyo": (8, 3, "l"),
    "Ulaanbaatar": (0, -12, "c"),
    "Vladivostok": (8, -3, "l"),
    "Tumangang": (8, 7, "l"),
    "Kadena AB": (8, 0, "l"),
    "Kyiv": (-8, 0, "r"),
    "Kursk": (8, 0, "l"),
    "Moscow": (8, 0, "l"),
}

# Points drawn on each map. Washington and Guam are drawn as off-map markers.
MAIN_POINTS = (
    "Beijing",
    "Pyongyang",
    "Seoul",
    "Tokyo",
    "Ulaanbaatar",
    "Panmunjom (JSA)",
    "Vladivostok",
    "Tumangang",
    "Kadena AB",
)
INSET_POINTS = ("Kyiv", "Kursk", "Moscow")
GUAM = "Andersen AFB, Guam"
INSET_TITLE = "Ukraine theatre \u2014 Kursk"
MAX_ZOOM = 6.0  # the main map magnifies up to this factor of the whole-theatre fit

# Where an actor is anchored: a strategic point name, or "USA" for the
# off-map United States marker at the east edge.
DEFAULT_ANCHORS: dict[str, str] = {
    "CHN": "Beijing",
    "PRK": "Pyongyang",
    "KOR": "Seoul",
    "JPN": "Tokyo",
    "MNG": "Ulaanbaatar",
    "RUS": "Moscow",  # shown in the inset; Vladivostok is the Pacific stand-in
    "UKR": "Kyiv",
    "USA": "USA",
}
