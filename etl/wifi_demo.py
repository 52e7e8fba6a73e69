"""Demo free-WiFi sites for Móng Cái. DEMO DATA: invented, not a survey of real hotspots.

No open source lists Móng Cái's public WiFi (see data/mong_cai/SOURCES.md, "Not found"), so
these rows exist only to show the WiFi layer; every one is stored with is_demo=True and
must not be presented as fact. Names, SSIDs, providers, hours and radii are all invented.

Coordinates: Đền Xã Tắc and Cầu Bắc Luân's gate reuse the OpenStreetMap points of
data/mong_cai/mong_cai_poi_osm.geojson (a few metres off); the Trà Cổ beach and Sa Vĩ sites are
moved a little inland from the OSM points (which lie offshore of the ward polygons); the
market, Quảng trường 3/2 and Ngã ba Trà Cổ are APPROXIMATE (placed by hand, ±200 m).
"""

from __future__ import annotations

DEMO_PROVIDER = "Demo: UBND TP Móng Cái"
DEMO_SSID = "MongCai-Free-WiFi"

# (name, lon, lat, hours, coverage_radius_m, how the coordinates were chosen)
DEMO_WIFI_SITES: list[tuple[str, float, float, str, int, str]] = [
    ("Đền Xã Tắc", 107.96530, 21.53378, "06:00-21:00", 60, "OSM way/610783746"),
    (
        "Cụm thông tin cửa khẩu Sa Vĩ",
        108.06750,
        21.49250,
        "07:00-18:00",
        80,
        "near OSM node/3099046008 (Mũi Sa Vĩ), moved inland",
    ),
    (
        "Bãi biển Trà Cổ",
        108.04950,
        21.48400,
        "24/7",
        150,
        "near OSM way/384652651, moved to the beach road",
    ),
    ("Chợ Trung tâm Móng Cái", 107.96650, 21.52950, "06:00-19:00", 100, "approximate"),
    ("Quảng trường 3/2", 107.96150, 21.52700, "24/7", 120, "approximate"),
    (
        "Cửa khẩu quốc tế Bắc Luân",
        107.96830,
        21.53690,
        "07:00-22:00",
        80,
        "near OSM way/286780025 (Cầu Bắc Luân), south end",
    ),
    ("Ngã ba Trà Cổ", 108.01170, 21.48390, "24/7", 50, "OSM node/5784054226, approximate"),
]
