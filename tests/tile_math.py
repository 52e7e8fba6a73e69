"""Which web-mercator tile holds a point, by the slippy-map formula, written here on its own
as an oracle (layers.tiles only goes the other way, from a tile to its bounds)."""

from __future__ import annotations

import math


def tile_fraction(lon: float, lat: float, z: int) -> tuple[float, float]:
    """(x, y) of (lon, lat) in zoom-`z` tile units: the tile's column and row, and how far
    into it the point lies (y counted from the north)."""
    n = 2**z
    x = (lon + 180) / 360 * n
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return x, y


def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    """(x, y) of the zoom-`z` tile holding (lon, lat)."""
    x, y = tile_fraction(lon, lat, z)
    return int(x), int(y)


def tiles_over(bbox: tuple[float, float, float, float], z: int) -> list[tuple[int, int]]:
    """Every (x, y) of zoom `z` touching bbox = (west, south, east, north)."""
    x0, y1 = tile_xy(bbox[0], bbox[1], z)
    x1, y0 = tile_xy(bbox[2], bbox[3], z)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
