"""Test points derived from the real Móng Cái polygons, with the reasoning beside each."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import shape

DATA = Path(__file__).resolve().parent.parent.parent / "data" / "mong_cai"

# Across the Ka Long river in Dongxing (China): 1.9 km from the nearest ward (shapely distance
# in degrees × ~105 km), so beyond the 250 m tolerance.
CHINA_DONGXING = (107.97, 21.56)
# Gulf of Tonkin, about 10 km off Trà Cổ.
SEA = (108.10, 21.38)
# Offshore OSM POIs (SOURCES.md): outside every polygon of the generalised coastline.
BAI_TRA_CO = (None, "06721", 155.6)  # beach, 155.6 m from Trà Cổ
MUI_SA_VI_DISTANCE_M = 32


def ward_shapes(filename: str) -> dict[str, shapely.Geometry]:
    features = json.loads((DATA / filename).read_text(encoding="utf-8"))["features"]
    return {f["properties"]["ward_code"]: shape(f["geometry"]) for f in features}


def interior_points(filename: str) -> dict[str, tuple[float, float]]:
    """A point surely inside each ward (shapely's point_on_surface)."""
    return {code: geom.point_on_surface().coords[0] for code, geom in ward_shapes(filename).items()}


def shared_vertices(filename: str) -> list[tuple[tuple[float, float], set[str]]]:
    """Vertices that appear in the rings of two or more wards: on a shared boundary."""
    owners: dict[tuple[float, float], set[str]] = defaultdict(set)
    for code, geom in ward_shapes(filename).items():
        for polygon in geom.geoms:
            for ring in [polygon.exterior, *polygon.interiors]:
                for xy in ring.coords:
                    owners[xy].add(code)
    return sorted((xy, codes) for xy, codes in owners.items() if len(codes) >= 2)


def shared_edge_midpoints(filename: str) -> list[tuple[tuple[float, float], set[str]]]:
    """Midpoints of segments that two wards share (same two vertices, either direction)."""
    owners: dict[frozenset, set[str]] = defaultdict(set)
    for code, geom in ward_shapes(filename).items():
        for polygon in geom.geoms:
            coords = list(polygon.exterior.coords)
            for a, b in itertools.pairwise(coords):
                owners[frozenset((a, b))].add(code)
    result = []
    for segment, codes in owners.items():
        if len(codes) >= 2 and len(segment) == 2:
            (ax, ay), (bx, by) = sorted(segment)
            result.append((((ax + bx) / 2, (ay + by) / 2), codes))
    return sorted(result)
