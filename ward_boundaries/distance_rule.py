"""The one rule for how far from the wards a report may be: at most
REPORT_MAX_DISTANCE_FROM_WARD_KM (default 50 km, geodesic) from some ward of any version.

A point inside a ward or a few kilometres out at sea still gets no ward or the nearest one,
as before; lon 180, lat 90 is refused. The API, Open311 (both through
gis_core.services.report_submit) and the importers (gis_core.bulk_import) all ask here.

First: does a ward part lie within m / 113 km planar degrees, which is surely within m geodesic
metres? For one submission the process's copy of the ward parts answers (the common case, a
point in the city, with no round trip); for a batch the GiST index does. Only for the other
points does the trigger's nearest-ward technique (ward_boundaries
0002) follow: a degree box that surely holds every point within the distance prunes, and the
few parts left get the exact geodesic ST_DWithin (a few ms). With no ward loaded at
all (a new installation) there is no territory to measure from, so every point passes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import shapely
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

DEFAULT_MAX_KM = 50.0

# Raw because they are spatial index probes plus a geodesic check. Surely near: within m / 113
# km of planar degrees lies within m geodesic metres (a degree spans at most 111.7 km), which
# the GiST index answers alone. Asked first, on its own: a statement that also held the
# geodesic branch would be planned whole every time (about 6 ms, the geography estimates).
_SURELY_NEAR_MANY_SQL = """
    SELECT EXISTS (
        SELECT 1 FROM ward_boundaries_wardpart wp
        WHERE ST_DWithin(wp.geom, ST_SetSRID(ST_MakePoint(u.x, u.y), 4326), %(m)s / 113000.0)
    )
    FROM unnest(%(x)s::float8[], %(y)s::float8[]) WITH ORDINALITY AS u(x, y, n)
    ORDER BY u.n
"""
# The exact answer for the rest: the trigger's nearest-ward technique (a degree box that surely
# holds every point within the distance prunes; the few parts left get the geodesic check).
_NEAR_MANY_SQL = """
    SELECT NOT EXISTS (SELECT 1 FROM ward_boundaries_wardpart)
        OR EXISTS (
            SELECT 1 FROM ward_boundaries_wardpart wp
            WHERE ST_DWithin(wp.geom, q.p,
                             %(m)s / (111000.0 * greatest(cos(radians(abs(u.y) + 1)), 0.01)) * 1.1)
              AND ST_DWithin(wp.geom::geography, q.p::geography, %(m)s)
        )
    FROM unnest(%(x)s::float8[], %(y)s::float8[]) WITH ORDINALITY AS u(x, y, n)
    CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(u.x, u.y), 4326) AS p) q
    ORDER BY u.n
"""


def max_distance_km() -> float:
    """The setting; 0 (or less) turns the rule off."""
    return float(getattr(settings, "REPORT_MAX_DISTANCE_FROM_WARD_KM", DEFAULT_MAX_KM))


def points_near_wards(lon: Sequence[float] | np.ndarray, lat: Sequence[float] | np.ndarray):
    """Per point, True when within the distance of some ward (or the rule does not apply):
    one round trip for the batch, a second for the points not surely near."""
    km = max_distance_km()
    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    if km <= 0 or lon.size == 0:
        return np.ones(lon.shape, dtype=bool)
    near = _ask(_SURELY_NEAR_MANY_SQL, km, lon, lat)
    rest = np.flatnonzero(~near)
    if rest.size:
        near[rest] = _ask(_NEAR_MANY_SQL, km, lon[rest], lat[rest])
    return near


def _ask(sql: str, km: float, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    params = {"m": km * 1000.0, "x": lon.tolist(), "y": lat.tolist()}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return np.fromiter((row[0] for row in cursor.fetchall()), dtype=bool, count=lon.size)


# The ward parts as shapely polygons, kept in the process for the submissions' surely-near
# question (no round trip: ~20 µs). Read again after SHAPES_TTL_S, or at once when this process
# saves or deletes a ward (ward_boundaries.apps); another process's boundary import is seen
# within the TTL. Only "surely near" is answered from them, so a stale copy never refuses a
# point: at worst it spares the database question for a point near a ward since removed.
SHAPES_TTL_S = 60.0
_shapes: tuple[float, np.ndarray] | None = None


def _ward_shapes() -> np.ndarray:
    global _shapes
    now = time.monotonic()
    if _shapes is None or now - _shapes[0] > SHAPES_TTL_S:
        with connection.cursor() as cursor:
            # Raw: the parts' polygons as WKB, for shapely; no model instances needed.
            cursor.execute("SELECT ST_AsBinary(geom) FROM ward_boundaries_wardpart")
            parts = shapely.from_wkb([bytes(row[0]) for row in cursor.fetchall()])
        _shapes = (now, np.asarray(parts))
    return _shapes[1]


def forget_ward_shapes(**_: object) -> None:
    """Drops the process's copy of the ward parts (a ward was saved or deleted)."""
    global _shapes
    _shapes = None


def point_near_wards(lon: float, lat: float) -> bool:
    """points_near_wards for one point (a submission): a point in the city is answered from
    the process's copy of the ward parts with no round trip; only one out of it asks the
    database (the exact geodesic check)."""
    km = max_distance_km()
    if km <= 0:
        return True
    parts = _ward_shapes()
    point = shapely.Point(float(lon), float(lat))
    if parts.size and bool(shapely.dwithin(parts, point, km * 1000.0 / 113000.0).any()):
        return True
    # Not surely near by the same test the batch's first question makes: the exact one.
    xs, ys = np.array([float(lon)]), np.array([float(lat)])
    return bool(_ask(_NEAR_MANY_SQL, km, xs, ys)[0])


def far_from_wards_message() -> str:
    """The refusal, in the active language (no coordinates echoed)."""
    return _(
        "Vị trí này cách mọi phường, xã của hệ thống hơn %(km)s km; hãy kiểm tra kinh độ và "
        "vĩ độ (hoặc vị trí GPS của ảnh, video)."
    ) % {"km": f"{max_distance_km():g}"}
