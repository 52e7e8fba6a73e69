"""The one rule for how far from the wards a report may be: at most
REPORT_MAX_DISTANCE_FROM_WARD_KM (default 50 km, geodesic) from some ward of any version.

A point inside a ward or a few kilometres out at sea still gets no ward or the nearest one,
as before; lon 180, lat 90 is refused. The API, Open311 (both through
gis_core.services.report_submit) and the importers (gis_core.bulk_import) all ask here.

The query first asks the GiST index whether a ward part lies within m / 113 km planar degrees,
which is surely within m geodesic metres (the common case: a point in the city, about 0.05
ms). Only otherwise does it use the trigger's nearest-ward technique (ward_boundaries 0002): a
degree box that surely holds every point within the distance prunes, and the few parts left
get the exact geodesic ST_DWithin (a few ms, the first time on a connection). With no ward loaded at
all (a new installation) there is no territory to measure from, so every point passes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

DEFAULT_MAX_KM = 50.0

# Raw because it is the spatial index probe plus a geodesic check; the box half-width is the
# trigger's formula (a degree of longitude shrinks with latitude). One point is asked without
# unnest: planning the plainer statement costs half as much, on every submission.
_NEAR_ONE_SQL = """
    SELECT CASE
        -- Surely near: within m / 113 km of planar degrees, a geodesic distance of at most m
        -- (a degree spans at most 111.7 km); the GiST index answers, no geodesic arithmetic.
        WHEN EXISTS (
            SELECT 1 FROM ward_boundaries_wardpart wp
            WHERE ST_DWithin(wp.geom, ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 4326),
                             %(m)s / 113000.0)
        ) THEN true
        WHEN NOT EXISTS (SELECT 1 FROM ward_boundaries_wardpart) THEN true
        ELSE EXISTS (
            SELECT 1 FROM ward_boundaries_wardpart wp
            WHERE ST_DWithin(
                wp.geom, ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 4326),
                %(m)s / (111000.0 * greatest(cos(radians(abs(%(y)s) + 1)), 0.01)) * 1.1
            )
              AND ST_DWithin(wp.geom::geography,
                             ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 4326)::geography, %(m)s)
        )
    END
"""
_NEAR_MANY_SQL = """
    SELECT CASE
        WHEN EXISTS (
            SELECT 1 FROM ward_boundaries_wardpart wp
            WHERE ST_DWithin(wp.geom, q.p, %(m)s / 113000.0)
        ) THEN true
        WHEN NOT EXISTS (SELECT 1 FROM ward_boundaries_wardpart) THEN true
        ELSE EXISTS (
            SELECT 1 FROM ward_boundaries_wardpart wp
            WHERE ST_DWithin(wp.geom, q.p,
                             %(m)s / (111000.0 * greatest(cos(radians(abs(u.y) + 1)), 0.01)) * 1.1)
              AND ST_DWithin(wp.geom::geography, q.p::geography, %(m)s)
        )
    END
    FROM unnest(%(x)s::float8[], %(y)s::float8[]) WITH ORDINALITY AS u(x, y, n)
    CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(u.x, u.y), 4326) AS p) q
    ORDER BY u.n
"""


def max_distance_km() -> float:
    """The setting; 0 (or less) turns the rule off."""
    return float(getattr(settings, "REPORT_MAX_DISTANCE_FROM_WARD_KM", DEFAULT_MAX_KM))


def points_near_wards(lon: Sequence[float] | np.ndarray, lat: Sequence[float] | np.ndarray):
    """Per point, True when within the distance of some ward (or the rule does not apply);
    one round trip for the whole batch."""
    km = max_distance_km()
    lon = np.asarray(lon, dtype="float64")
    if km <= 0 or lon.size == 0:
        return np.ones(lon.shape, dtype=bool)
    params = {"m": km * 1000.0, "x": lon.tolist(), "y": np.asarray(lat, dtype="float64").tolist()}
    with connection.cursor() as cursor:
        cursor.execute(_NEAR_MANY_SQL, params)
        return np.fromiter((row[0] for row in cursor.fetchall()), dtype=bool, count=lon.size)


def point_near_wards(lon: float, lat: float) -> bool:
    """points_near_wards for one point (a submission): one round trip, ~0.05 ms in the city."""
    km = max_distance_km()
    if km <= 0:
        return True
    with connection.cursor() as cursor:
        cursor.execute(_NEAR_ONE_SQL, {"m": km * 1000.0, "x": float(lon), "y": float(lat)})
        return bool(cursor.fetchone()[0])


def far_from_wards_message() -> str:
    """The refusal, in the active language (no coordinates echoed)."""
    return _(
        "Vị trí này cách mọi phường, xã của hệ thống hơn %(km)s km; hãy kiểm tra kinh độ và "
        "vĩ độ (hoặc vị trí GPS của ảnh, video)."
    ) % {"km": f"{max_distance_km():g}"}
