"""Assigns wards to many points at once, in process, with the database's rule.

The bulk path of imports: shapely 2's vectorised `intersects_xy` on prepared ward polygons
(for a point, *intersects* is exactly *covers*: interior or boundary). Wards are tried in
the trigger's tie-break order (lowest code first, then the most recent version), each
only on points still unassigned that fall in its bounding box and in its validity period,
so the first ward that covers a point is the one ht_ward_for_point() would pick.

Points no ward covers are few (the sea, across the border, a generalised coastline); they
are sent to ht_ward_for_point() itself in one query for the nearest-within-tolerance step,
so the geodesic distance is the database's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import connection

from ward_boundaries.models import BoundaryVersion, Ward

MATCH_INSIDE = 1
MATCH_NEAREST = 2
MATCH_OUTSIDE = 0
MATCH_NAMES = {MATCH_INSIDE: "inside", MATCH_NEAREST: "nearest", MATCH_OUTSIDE: "outside"}

_NO_DAY = np.datetime64("NaT", "D")


@dataclass(frozen=True)
class _WardShape:
    ward_id: int
    version_id: int
    valid_from: np.datetime64  # NaT when open
    valid_to: np.datetime64
    geom: shapely.Geometry
    bounds: tuple[float, float, float, float]


@dataclass
class BulkAssignment:
    """Per point: ward id (-1 when none), match code and distance in metres (NaN unless nearest)."""

    ward_id: np.ndarray
    match: np.ndarray
    distance_m: np.ndarray

    def match_name(self, i: int) -> str:
        return MATCH_NAMES[int(self.match[i])]


def _day(value: dt.date | None) -> np.datetime64:
    return np.datetime64(value, "D") if value is not None else _NO_DAY


# Above this many wards, candidates come from an STRtree of the wards' boxes instead of a box
# test of every point against every ward: a city's dozens of wards are faster scanned, a
# country's thousands would cost a pass over all points per ward (140k points/s at 3,321).
TREE_MIN_SHAPES = 64


class BulkWardAssigner:
    """Holds prepared ward polygons; `assign` is safe to call many times."""

    def __init__(self, shapes: list[_WardShape]):
        self.shapes = shapes
        for shape in shapes:
            shapely.prepare(shape.geom)
        self._tree = (
            shapely.STRtree([shape.geom for shape in shapes])
            if len(shapes) >= TREE_MIN_SHAPES
            else None
        )

    @classmethod
    def from_database(cls, *, version: BoundaryVersion | None = None) -> BulkWardAssigner:
        wards = Ward.objects.select_related("version").order_by("code", "id")
        if version is not None:
            wards = wards.filter(version=version)
        rows = [
            (
                w.id,
                w.code,
                w.version_id,
                w.version.valid_from,
                w.version.valid_to,
                bytes(w.geom.wkb),
            )
            for w in wards
        ]
        # The trigger's order: code, then the most recent version (valid_from DESC NULLS LAST), id.
        rows.sort(key=lambda r: (r[1], -(r[3].toordinal()) if r[3] else float("inf"), r[0]))
        shapes = []
        for ward_id, _code, version_id, valid_from, valid_to, wkb in rows:
            geom = shapely.from_wkb(wkb)
            shapes.append(
                _WardShape(ward_id, version_id, _day(valid_from), _day(valid_to), geom, geom.bounds)
            )
        return cls(shapes)

    def assign_inside(self, lon: np.ndarray, lat: np.ndarray, day: np.ndarray | None) -> np.ndarray:
        """Ward id of the first ward (in tie-break order) covering each point, -1 for none."""
        lon = np.asarray(lon, dtype="float64")
        lat = np.asarray(lat, dtype="float64")
        result = np.full(lon.shape, -1, dtype="int64")
        if day is not None:
            day = np.asarray(day, dtype="datetime64[D]")
        if self._tree is not None:
            return self._assign_inside_tree(lon, lat, day, result)
        for shape in self.shapes:
            minx, miny, maxx, maxy = shape.bounds
            candidates = (
                (result == -1) & (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
            )
            if day is not None:
                if not np.isnat(shape.valid_from):
                    candidates &= day >= shape.valid_from
                if not np.isnat(shape.valid_to):
                    candidates &= day <= shape.valid_to
            idx = np.flatnonzero(candidates)
            if idx.size == 0:
                continue
            hit = shapely.intersects_xy(shape.geom, lon[idx], lat[idx])
            result[idx[hit]] = shape.ward_id
        return result

    def _assign_inside_tree(
        self, lon: np.ndarray, lat: np.ndarray, day: np.ndarray | None, result: np.ndarray
    ) -> np.ndarray:
        """assign_inside for many wards: (point, ward) pairs whose boxes meet from the tree,
        each ward then tested on its own candidates only; the first ward in tie-break order
        (the lowest index) among those covering a point wins, as in the scan."""
        points, shape_idx = self._tree.query(shapely.points(lon, lat))  # type: ignore[union-attr]
        order = np.lexsort((points, shape_idx))
        points, shape_idx = points[order], shape_idx[order]
        hit = np.zeros(points.size, dtype=bool)
        starts = np.flatnonzero(np.r_[True, shape_idx[1:] != shape_idx[:-1]])
        ends = np.r_[starts[1:], shape_idx.size]
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            shape = self.shapes[int(shape_idx[start])]
            idx = points[start:end]
            ok = np.ones(idx.size, dtype=bool)
            if day is not None:
                if not np.isnat(shape.valid_from):
                    ok &= day[idx] >= shape.valid_from
                if not np.isnat(shape.valid_to):
                    ok &= day[idx] <= shape.valid_to
            ok[ok] = shapely.intersects_xy(shape.geom, lon[idx[ok]], lat[idx[ok]])
            hit[start:end] = ok
        points, shape_idx = points[hit], shape_idx[hit]
        # Lowest ward index per point: sort by (point, index) and keep each point's first.
        order = np.lexsort((shape_idx, points))
        points, shape_idx = points[order], shape_idx[order]
        first = np.r_[True, points[1:] != points[:-1]]
        ward_ids = np.fromiter(
            (s.ward_id for s in self.shapes), dtype="int64", count=len(self.shapes)
        )
        result[points[first]] = ward_ids[shape_idx[first]]
        return result

    def assign(
        self,
        lon: np.ndarray,
        lat: np.ndarray,
        day: np.ndarray | None = None,
        *,
        version: BoundaryVersion | None = None,
    ) -> BulkAssignment:
        """The full rule: inside in process, then nearest/outside through the database function.

        `day` holds each point's local date (datetime64[D]); None means "ignore validity"
        which is right only when the assigner was built for one `version`.
        """
        ward_id = self.assign_inside(lon, lat, day)
        match = np.where(ward_id >= 0, MATCH_INSIDE, MATCH_OUTSIDE).astype("int8")
        distance = np.full(ward_id.shape, np.nan)
        missing = np.flatnonzero(ward_id < 0)
        if missing.size:
            days = (
                [str(d) for d in np.asarray(day, dtype="datetime64[D]")[missing]]
                if day is not None
                else [dt.date.today().isoformat()] * missing.size
            )
            for i, (wid, kind, dist) in zip(
                missing,
                nearest_in_database(
                    np.asarray(lon)[missing], np.asarray(lat)[missing], days, version=version
                ),
                strict=True,
            ):
                if wid is not None:
                    ward_id[i] = wid
                    match[i] = MATCH_NEAREST if kind == "nearest" else MATCH_INSIDE
                    distance[i] = dist if kind == "nearest" else np.nan
        return BulkAssignment(ward_id=ward_id, match=match, distance_m=distance)


def nearest_in_database(
    lon: np.ndarray, lat: np.ndarray, days: list[str], *, version: BoundaryVersion | None = None
) -> list[tuple[int | None, str | None, float | None]]:
    """ht_ward_for_point() for a batch of points, in input order, in one round trip."""
    if len(days) == 0:
        return []
    # Raw because it must call the same SQL function as the trigger, set-based over arrays.
    sql = """
        SELECT r.ward_id, r.match, r.distance_m
        FROM unnest(%s::float8[], %s::float8[], %s::date[]) WITH ORDINALITY AS p(x, y, d, n)
        LEFT JOIN LATERAL ht_ward_for_point(ST_SetSRID(ST_MakePoint(p.x, p.y), 4326), p.d, %s) r
            ON true
        ORDER BY p.n
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                [float(v) for v in lon],
                [float(v) for v in lat],
                days,
                version.pk if version else None,
            ],
        )
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]
