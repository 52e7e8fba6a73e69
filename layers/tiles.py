"""Mapbox Vector Tiles of reports and points of interest, encoded by PostGIS (ST_AsMVT).

Report tiles up to zoom MAX_AGGREGATED_ZOOM carry one point per cell of about 8 pixels with
its `count`, summed from the pre-aggregated cells (layers.report_cells), so a tile over half
a million reports costs what a tile over a thousand does. Finer tiles carry the reports
themselves (`id`, `category`, `status`: never a reporter's contact), at most
MAX_POINTS_PER_TILE of them, newest first.

Tiles are cached (the "tiles" cache) under the current tile generation: the newest report id
(a submission raises it without writing anything more) and a sequence that every other change
bumps: the cell triggers on updates and deletes of folded reports, signals after commit on
ORM saves, imports and ward reassignment, and each fold.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from typing import Any

from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import F

from common.db_routing import read_connection
from gis_core.selectors import reports_filtered
from layers.heat import PIXELS_LEVEL_OFFSET, cell_filters
from layers.report_cells import cell_counts_sql, cell_size, fold_if_many_pending

MAX_ZOOM = 22
MAX_AGGREGATED_ZOOM = 14
MAX_POINTS_PER_TILE = 5_000
EXTENT = 4096
REPORT_LAYER = "reports"
POI_LAYER = "pois"


@dataclass(frozen=True)
class TileBounds:
    west: float
    south: float
    east: float
    north: float


def tile_bounds(z: int, x: int, y: int) -> TileBounds:
    """The tile's edges in degrees (web-mercator tiles, y counted from the north)."""
    n = 2**z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return TileBounds(
        west=x / n * 360 - 180, south=lat(y + 1), east=(x + 1) / n * 360 - 180, north=lat(y)
    )


def valid_tile(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


def tile_generation() -> str:
    """The current tile generation: the sequence every change bumps, and the newest report
    id, which a new report raises without any write of its own (cheap: one index probe)."""
    with read_connection().cursor() as cursor:
        # Raw because a sequence's state has no ORM expression.
        cursor.execute(
            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END,"
            " (SELECT coalesce(max(id), 0) FROM gis_core_report) FROM ht_tile_generation"
        )
        bumps, newest = cursor.fetchone()
        return f"{bumps}.{newest}"


def bump_tile_generation() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('ht_tile_generation')")


def bump_after_commit(**_kwargs) -> None:
    """Signal receiver: the write is visible once committed, so bump then (again)."""
    transaction.on_commit(bump_tile_generation)


def _aggregated_report_tile(z: int, x: int, y: int, filters: dict) -> bytes:
    level = z + PIXELS_LEVEL_OFFSET
    bounds = tile_bounds(z, x, y)
    where = cell_filters(**filters)
    if where is None:
        return b""
    size = cell_size(level)
    # Whole cells: a cell straddling the tile's north or south edge (cells are square in
    # degrees, tiles are not) is summed entirely, then drawn in the tile holding its centre.
    whole = TileBounds(
        west=bounds.west,
        south=math.floor(bounds.south / size) * size,
        east=bounds.east,
        north=(math.floor(bounds.north / size) + 1) * size,
    )
    bbox = _clip_bbox(whole, filters)
    if bbox is None:
        return b""
    fold_if_many_pending()
    cells_sql, params = cell_counts_sql(level, replace(where, bbox=bbox))
    params.update(
        z=z,
        x=x,
        y=y,
        csize=size,
        west=bounds.west,
        east=bounds.east,
        south=bounds.south,
        north=bounds.north,
        extent=EXTENT,
    )
    # Raw because ST_AsMVT encodes the tile in the database; a cell belongs to the one tile
    # holding its centre (half-open bounds), so summing the tiles of a zoom counts each
    # report once.
    sql = f"""
        WITH cells AS ({cells_sql}),
        centres AS (
            SELECT (cx + 0.5::float8) * %(csize)s::float8 AS lon,
                   (cy + 0.5::float8) * %(csize)s::float8 AS lat, n
            FROM cells
        )
        SELECT ST_AsMVT(t, '{REPORT_LAYER}', %(extent)s, 'geom') FROM (
            SELECT ST_AsMVTGeom(
                       ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3857),
                       ST_TileEnvelope(%(z)s, %(x)s, %(y)s), %(extent)s, 0, false
                   ) AS geom,
                   n AS count
            FROM centres
            WHERE lon >= %(west)s::float8 AND lon < %(east)s::float8
              AND lat >= %(south)s::float8 AND lat < %(north)s::float8
        ) AS t
    """  # noqa: S608 - cells_sql is built from constant fragments, values are parameters
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return bytes(cursor.fetchone()[0] or b"")


def _clip_bbox(bounds: TileBounds, filters: dict):
    """The tile's box, cut to the filter's bbox when there is one; None if they miss."""
    west, south, east, north = bounds.west, bounds.south, bounds.east, bounds.north
    if filters.get("bbox"):
        bx0, by0, bx1, by1 = filters["bbox"]
        west, south, east, north = max(west, bx0), max(south, by0), min(east, bx1), min(north, by1)
        if west > east or south > north:
            return None
    return (west, south, east, north)


def _point_report_tile(z: int, x: int, y: int, filters: dict) -> bytes:
    bounds = tile_bounds(z, x, y)
    bbox = _clip_bbox(bounds, filters)
    if bbox is None:
        return b""
    qs = (
        reports_filtered(**{**filters, "bbox": bbox})
        .annotate(category_code=F("category__code"))
        .order_by("-reported_at", "-id")
        .values("location", "public_id", "category_code", "status")[:MAX_POINTS_PER_TILE]
    )
    try:
        inner, inner_params = qs.query.sql_with_params()
    except EmptyResultSet:  # a filter Django knows matches nothing, e.g. an unknown ward code
        return b""
    # Raw because ST_AsMVT wraps the filtered report query (Django builds and parameterises
    # that inner query); only public columns are selected.
    sql = f"""
        SELECT ST_AsMVT(t, '{REPORT_LAYER}', %s, 'geom') FROM (
            SELECT ST_AsMVTGeom(ST_Transform(q.location, 3857), ST_TileEnvelope(%s, %s, %s),
                                %s, 64, true) AS geom,
                   q.public_id::text AS id, q.category_code AS category, q.status
            FROM ({inner}) AS q
        ) AS t
    """  # noqa: S608
    with read_connection().cursor() as cursor:
        cursor.execute(sql, [EXTENT, z, x, y, EXTENT, *inner_params])
        return bytes(cursor.fetchone()[0] or b"")


def report_tile(z: int, x: int, y: int, filters: dict) -> bytes:
    """The MVT bytes of the reports tile (empty bytes when nothing is in it)."""
    if z <= MAX_AGGREGATED_ZOOM:
        return _aggregated_report_tile(z, x, y, filters)
    return _point_report_tile(z, x, y, filters)


def poi_tile(z: int, x: int, y: int, *, layer: str = "", category: str = "") -> bytes:
    """The MVT bytes of the points-of-interest tile (public business data only)."""
    # Raw because ST_AsMVT encodes the tile in the database.
    sql = f"""
        SELECT ST_AsMVT(t, '{POI_LAYER}', %(extent)s, 'geom') FROM (
            SELECT ST_AsMVTGeom(ST_Transform(p.location, 3857),
                                ST_TileEnvelope(%(z)s, %(x)s, %(y)s), %(extent)s, 64, true) AS geom,
                   p.id, p.name, p.name_en, p.name_zh, p.layer, p.category
            FROM layers_pointofinterest p
            WHERE p.location && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4326)
              AND (%(layer)s = '' OR p.layer = %(layer)s)
              AND (%(category)s = '' OR p.category = %(category)s)
        ) AS t
    """  # noqa: S608 - only the constant layer name is formatted in
    params: dict[str, Any] = {
        "z": z,
        "x": x,
        "y": y,
        "extent": EXTENT,
        "layer": layer,
        "category": category,
    }
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return bytes(cursor.fetchone()[0] or b"")


def cache_key(kind: str, z: int, x: int, y: int, filters: dict, generation: str) -> str:
    digest = hashlib.sha1(repr(sorted(filters.items())).encode(), usedforsecurity=False)
    return f"tile:{kind}:{generation}:{z}/{x}/{y}:{digest.hexdigest()[:16]}"


def cached_tile(kind: str, z: int, x: int, y: int, filters: dict) -> tuple[bytes, str]:
    """(tile bytes, ETag) from the cache or freshly encoded; the ETag names the generation."""
    generation = tile_generation()
    key = cache_key(kind, z, x, y, filters, generation)
    etag = f'"{key.split(":", 2)[2].replace(":", "-")}"'
    cache = caches["tiles"]
    data = cache.get(key)
    if data is None:
        if kind == REPORT_LAYER:
            data = report_tile(z, x, y, filters)
        else:
            data = poi_tile(z, x, y, **filters)
        cache.set(key, data)
    return data, etag
