"""Hotspot detection: where reports of a kind cluster more than chance would explain.

Getis-Ord Gi* on a grid of flat-topped hexagons in UTM 48N, tested by permutation (total
randomisation) and corrected for the thousands (over the whole country, millions) of hexes
tested at once with the Benjamini-Hochberg false discovery rate (layers.gi_star). Contiguous
significant hot hexes become clusters, each with its ward, its size and its trend against the
previous period of the same length. docs/hotspots.md explains the choices to a planner; the
tests check that a planted cluster is found and uniform noise yields nothing.

The counts per hex are summed in PostGIS (one grouped query for both periods): only a few
thousand (hex, count) rows ever reach Python, however many reports there are. The study
area's hexes are cached (layers.hotspot_area) and every per-hex step is an array operation.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, overload

import numpy as np
import shapely
from django.core.cache import cache
from django.db import connection
from pyproj import Transformer

from common.local_time import local_midnight, local_today
from layers.gi_star import (
    MAX_PERMUTATIONS,
    SEED,
    PeriodTest,
    benjamini_hochberg,
    gi_star_test,
    permutations_needed,
)
from layers.hex_grid import (
    NEIGHBOUR_OFFSETS,
    hex_centres,
    hex_keys,
    hex_polygons,
    hex_radius,
    key_coords,
    positions,
    with_neighbourhoods,
)
from layers.hotspot_area import STUDY_AREA_CACHE_SECONDS, study_area

__all__ = [
    "MAX_PERMUTATIONS",
    "SEED",
    "STUDY_AREA_CACHE_SECONDS",
    "benjamini_hochberg",
    "hex_polygons",
    "hex_radius",
    "permutations_needed",
]

# UTM zone 48N (WGS 84): metres, so hexes have a true size. Móng Cái (107.6-108.1°E) lies at
# the zone's eastern edge, where the scale error is still under 0.1 %.
METRIC_SRID = 32648
DEFAULT_HEX_SIZE_M = 300.0
# The hex sizes the API accepts (and precomputes): block-sized clusters, district-sized, and
# neighbourhoods. Every other size would be a new analysis of seconds for each new float, and
# 100 m gives ten times the hexes of 300 m (a minute of CPU and a gigabyte before this list).
ALLOWED_HEX_SIZES_M = (300.0, 500.0, 1000.0)
# The longest period the API analyses: the planner's default of 12 months. Its cost grows with
# the reports read, twice the period (the previous period is read too).
MAX_PERIOD_DAYS = 366
DEFAULT_ALPHA = 0.05
DEFAULT_PERMUTATIONS = 999
CACHE_SECONDS = 120

_TO_LONLAT = Transformer.from_crs(METRIC_SRID, 4326, always_xy=True)


@dataclass(frozen=True)
class HexCell:
    """One hex of the grid: axial coordinates, centre, counts and its Gi* test."""

    q: int
    r: int
    lon: float
    lat: float
    count: int
    previous_count: int
    z: float
    p: float
    significant: bool
    cluster_id: int | None


@dataclass(frozen=True)
class HotspotCluster:
    """Contiguous significant hot hexes with reports; `geometry` is GeoJSON in WGS 84."""

    id: int
    lon: float
    lat: float
    hex_count: int
    report_count: int
    previous_count: int
    change_pct: float | None
    ward_code: str | None
    ward_name: str | None
    max_z: float
    emerging: bool
    hexes: tuple[tuple[int, int], ...]
    geometry: dict


@dataclass(frozen=True)
class HotspotResult:
    clusters: list[HotspotCluster]
    cells: Sequence[HexCell]
    parameters: dict
    previous_since: dt.date
    previous_until: dt.date
    previous_significant: int = 0
    emerging: list[HotspotCluster] = field(default_factory=list)


# --- Counting in the database ---------------------------------------------------------------

# Raw because the axial hex index (cube rounding of fractional axial coordinates) is plain
# arithmetic PostGIS evaluates per row, twice as fast as ST_HexagonGrid per point and much
# faster than a grid joined to the points by ST_Intersects (benchmarks/bench_hotspots.py), and
# the ORM would need a dozen nested Func()s. Each "OFFSET 0" keeps a subquery from being
# inlined: inlined, every reference to x, y, fq or fr would repeat ST_Transform (6x slower).
# Both periods come back from one pass over the (category, reported_at) index; rejected reports
# (spam, duplicates, out of scope) are not problems on the ground, so they do not count.
# {by} carries a province column through every level when the counts of every province come
# back at once (precompute_hotspots: one pass instead of one per province).
_HEX_COUNTS_SQL = """
SELECT {by_out}(CASE WHEN dq > dr AND dq > ds THEN -rr - rs ELSE rq END)::int AS q,
       (CASE WHEN NOT (dq > dr AND dq > ds) AND dr > ds THEN -rq - rs ELSE rr END)::int AS r,
       count(*) FILTER (WHERE current), count(*) FILTER (WHERE NOT current)
FROM (
    SELECT rq, rr, rs, abs(rq - fq) AS dq, abs(rr - fr) AS dr, abs(rs + fq + fr) AS ds,
           current{by}
    FROM (
        SELECT fq, fr, round(fq) AS rq, round(fr) AS rr, round(-fq - fr) AS rs, current{by}
        FROM (
            SELECT (2.0::float8 / 3.0 * x) / %(radius)s::float8 AS fq,
                   (-x / 3.0::float8 + sqrt(3.0::float8) / 3.0 * y) / %(radius)s::float8 AS fr,
                   current{by}
            FROM (
                SELECT ST_X(g) AS x, ST_Y(g) AS y, current{by}
                FROM (
                    SELECT ST_Transform(r.location, {srid}) AS g,
                           r.reported_at >= %(start)s AS current{by_source}
                    FROM gis_core_report r {by_join}
                    WHERE r.reported_at >= %(previous_start)s AND r.reported_at < %(end)s
                      AND r.status <> 'rejected' {category_filter} {province_filter}
                    OFFSET 0
                ) transformed OFFSET 0
            ) metric OFFSET 0
        ) axial OFFSET 0
    ) rounded OFFSET 0
) cube
GROUP BY {group_by}
"""
# A province's reports are those in its wards (of every boundary version), as every ?province=
# filter counts them; a report in no ward (at sea, across the border) is in no province.
_PROVINCE_FILTER = (
    "AND r.ward_id IN (SELECT pw.id FROM ward_boundaries_ward pw "
    "WHERE pw.province_code = %(province)s)"
)

HexCounts = dict[tuple[int, int], tuple[int, int]]


def _hex_counts_sql(*, category: str | None, province: str | None, per_province: bool) -> str:
    by = ", province" if per_province else ""
    return _HEX_COUNTS_SQL.format(
        srid=METRIC_SRID,
        by=by,
        by_out="province, " if per_province else "",
        by_source=", pw.province_code AS province" if per_province else "",
        by_join="JOIN ward_boundaries_ward pw ON pw.id = r.ward_id" if per_province else "",
        group_by="1, 2, 3" if per_province else "1, 2",
        category_filter=(
            "AND r.category_id = (SELECT id FROM gis_core_category WHERE code = %(category)s)"
            if category
            else ""
        ),
        province_filter=_PROVINCE_FILTER if province else "",
    )


def _hex_count_params(
    *,
    category: str | None,
    previous_since: dt.date,
    since: dt.date,
    until: dt.date,
    hex_size_m: float,
    province: str | None = None,
) -> dict[str, Any]:
    return {
        "radius": hex_radius(hex_size_m),
        "previous_start": local_midnight(previous_since),
        "start": local_midnight(since),
        "end": local_midnight(until + dt.timedelta(days=1)),
        "category": category,
        "province": province,
    }


def hex_counts(
    *,
    category: str | None,
    previous_since: dt.date,
    since: dt.date,
    until: dt.date,
    hex_size_m: float,
    province: str | None = None,
) -> HexCounts:
    """{(q, r): (count in [since, until], count in [previous_since, since))}, local days;
    with `province`, of the reports in that province's wards only."""
    sql = _hex_counts_sql(category=category, province=province, per_province=False)
    params = _hex_count_params(
        category=category,
        previous_since=previous_since,
        since=since,
        until=until,
        hex_size_m=hex_size_m,
        province=province,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(q, r): (cur, prev) for q, r, cur, prev in cursor.fetchall()}


def hex_counts_by_province(
    *,
    category: str | None,
    previous_since: dt.date,
    since: dt.date,
    until: dt.date,
    hex_size_m: float,
) -> dict[str, HexCounts]:
    """{province code: hex_counts(province=code)} for every province with reports in either
    period, from one pass over the period (a hex on a border is counted in each province
    whose wards hold reports in it, as each province's own count does)."""
    sql = _hex_counts_sql(category=category, province=None, per_province=True)
    params = _hex_count_params(
        category=category,
        previous_since=previous_since,
        since=since,
        until=until,
        hex_size_m=hex_size_m,
    )
    out: dict[str, HexCounts] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for province, q, r, cur, prev in cursor.fetchall():
            out.setdefault(province, {})[(q, r)] = (cur, prev)
    return out


# --- Clusters -------------------------------------------------------------------------------


def _components(
    members: set[tuple[int, int]],
) -> list[list[tuple[int, int]]]:
    """Connected components of hexes over the six-neighbour adjacency."""
    seen: set[tuple[int, int]] = set()
    out = []
    for start in sorted(members):
        if start in seen:
            continue
        seen.add(start)
        queue, component = deque([start]), []
        while queue:
            q, r = queue.popleft()
            component.append((q, r))
            for dq, dr in NEIGHBOUR_OFFSETS:
                nb = (q + dq, r + dr)
                if nb in members and nb not in seen:
                    seen.add(nb)
                    queue.append(nb)
        out.append(sorted(component))
    return out


def _wards_at(points: list[tuple[float, float]], day: dt.date) -> list[tuple[str, str] | None]:
    """(code, name) of the ward of each point, by the same rule as reports (ht_ward_lookup)."""
    if not points:
        return []
    # Raw because the ward rule is one SQL function shared with the insert trigger; one
    # statement looks up every centroid at once.
    sql = """
        SELECT p.i, w.code, w.name
        FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS p(lon, lat, i)
        LEFT JOIN LATERAL ht_ward_lookup(ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326), %s)
            w ON true
        ORDER BY p.i
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [[p[0] for p in points], [p[1] for p in points], day])
        found = {i: (code, name) for i, code, name in cursor.fetchall() if code}
    return [found.get(i) for i in range(1, len(points) + 1)]


def _to_lonlat_geojson(geom) -> dict:
    geom = shapely.transform(geom, lambda xy: np.column_stack(_TO_LONLAT.transform(*xy.T)))
    return shapely.geometry.mapping(shapely.set_precision(geom, 1e-6))


# --- The analysis -----------------------------------------------------------------------------


def previous_period(since: dt.date, until: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before [since, until]."""
    days = (until - since).days + 1
    return since - dt.timedelta(days=days), since - dt.timedelta(days=1)


def find_hotspots(
    *,
    category: str | None,
    since: dt.date,
    until: dt.date,
    hex_size_m: float = DEFAULT_HEX_SIZE_M,
    alpha: float = DEFAULT_ALPHA,
    permutations: int = DEFAULT_PERMUTATIONS,
    province: str | None = None,
    counts: HexCounts | None = None,
) -> HotspotResult:
    """Significant clusters of reports (of one category, or all) reported in [since, until],
    local days, with their trend against the previous period of the same length.

    The grid is the study area (the wards valid on `until`) plus every hex with reports in
    either period plus one ring of neighbours around those, so a cluster off the map's edge
    is still judged against zeros. Both periods are tested on the same grid; a cluster none
    of whose hexes was significant in the previous period is `emerging`.

    `province`: the study area is that province's wards and only the reports in them count,
    so the grid, the permutations and the FDR step are the province's own. `counts`: the
    hex counts already summed (hex_counts_by_province, for the precompute command).
    """
    previous_since, previous_until = previous_period(since, until)
    if counts is None:
        counts = hex_counts(
            category=category,
            previous_since=previous_since,
            since=since,
            until=until,
            hex_size_m=hex_size_m,
            province=province,
        )
    area = study_area(day=until, hex_size_m=hex_size_m, srid=METRIC_SRID, province=province)
    counted = hex_keys([k[0] for k in counts], [k[1] for k in counts])
    grid, _ = with_neighbourhoods(area, counted)
    current, previous = np.zeros(len(grid)), np.zeros(len(grid))
    at = positions(grid.keys, counted)
    current[at] = [c[0] for c in counts.values()]
    previous[at] = [c[1] for c in counts.values()]
    # Both periods on the same grid: the second test reuses the first's shuffles.
    draws: dict = {}
    now = gi_star_test(grid, current, alpha=alpha, permutations=permutations, draws_cache=draws)
    before = gi_star_test(grid, previous, alpha=alpha, permutations=permutations, draws_cache=draws)
    del draws
    radius = hex_radius(hex_size_m)
    clusters = _clusters(grid.keys, current, previous, now, before, radius=radius, until=until)
    cells = HexCells(
        keys=grid.keys,
        current=current,
        previous=previous,
        test=now,
        cluster_of={k: c.id for c in clusters for k in c.hexes},
        radius=radius,
    )
    return HotspotResult(
        clusters=clusters,
        cells=cells,
        parameters={
            "category": category,
            "province": province,
            "since": since.isoformat(),
            "until": until.isoformat(),
            "hex_size_m": hex_size_m,
            "alpha": alpha,
            "permutations": permutations,
            "permutations_used": now.permutations,
            "seed": SEED,
            "method": "Getis-Ord Gi* (binary weights: hex + six neighbours), one-sided "
            "permutation test under total randomisation, Benjamini-Hochberg FDR",
            "hexes_tested": len(grid),
            "srid": METRIC_SRID,
        },
        previous_since=previous_since,
        previous_until=previous_until,
        previous_significant=int(before.significant.sum()),
        emerging=[c for c in clusters if c.emerging],
    )


def _clusters(
    keys: np.ndarray,
    current: np.ndarray,
    previous: np.ndarray,
    now: PeriodTest,
    before: PeriodTest,
    *,
    radius: float,
    until: dt.date,
) -> list[HotspotCluster]:
    """The significant hexes holding reports, joined into clusters, biggest first.

    An empty hex next to a busy one is significant too (its neighbourhood is hot), but
    drawing it would show planners a hotspot where nobody reported anything."""
    hot_at = np.flatnonzero(now.significant & (current > 0))
    hot_q, hot_r = key_coords(keys[hot_at])
    index = {(int(q), int(r)): int(i) for q, r, i in zip(hot_q, hot_r, hot_at, strict=True)}
    components = sorted(
        _components(set(index)), key=lambda c: (-sum(current[index[k]] for k in c), c[0])
    )
    clusters: list[HotspotCluster] = []
    centres: list[tuple[float, float]] = []
    for number, component in enumerate(components, start=1):
        ids = [index[k] for k in component]
        q_arr = np.array([k[0] for k in component], dtype=float)
        r_arr = np.array([k[1] for k in component], dtype=float)
        x, y = hex_centres(q_arr, r_arr, radius)
        weight = current[ids]
        clon, clat = _TO_LONLAT.transform(
            float(np.average(x, weights=weight)), float(np.average(y, weights=weight))
        )
        centres.append((clon, clat))
        now_n, before_n = int(current[ids].sum()), int(previous[ids].sum())
        polygons = hex_polygons(q_arr, r_arr, radius)
        clusters.append(
            HotspotCluster(
                id=number,
                lon=round(clon, 6),
                lat=round(clat, 6),
                hex_count=len(component),
                report_count=now_n,
                previous_count=before_n,
                change_pct=round(100 * (now_n - before_n) / before_n, 1) if before_n else None,
                ward_code=None,
                ward_name=None,
                max_z=round(float(now.z[ids].max()), 2),
                emerging=not bool(before.significant[ids].any()),
                hexes=tuple(component),
                geometry=_to_lonlat_geojson(shapely.union_all(polygons)),
            )
        )
    wards = _wards_at(centres, until)
    return [
        replace(c, ward_code=w[0] if w else None, ward_name=w[1] if w else None)
        for c, w in zip(clusters, wards, strict=True)
    ]


class HexCells(Sequence[HexCell]):
    """Every hex of the grid as a HexCell, made when read: over the whole country the grid
    has millions of hexes, and the alert and the API read none of them."""

    def __init__(
        self,
        *,
        keys: np.ndarray,
        current: np.ndarray,
        previous: np.ndarray,
        test: PeriodTest,
        cluster_of: dict[tuple[int, int], int],
        radius: float,
    ) -> None:
        self._keys, self._current, self._previous = keys, current, previous
        self._test, self._cluster_of, self._radius = test, cluster_of, radius
        self._coords: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, i: int) -> HexCell: ...
    @overload
    def __getitem__(self, i: slice) -> list[HexCell]: ...
    def __getitem__(self, i: int | slice) -> HexCell | list[HexCell]:
        if isinstance(i, slice):
            return [self._cell(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._cell(i)

    def __iter__(self) -> Iterator[HexCell]:
        return (self._cell(i) for i in range(len(self)))

    def _cell(self, i: int) -> HexCell:
        if self._coords is None:
            all_q, all_r = key_coords(self._keys)
            x, y = hex_centres(all_q.astype(float), all_r.astype(float), self._radius)
            self._coords = (all_q, all_r, *_TO_LONLAT.transform(x, y))
        all_q, all_r, lon, lat = self._coords
        q, r = int(all_q[i]), int(all_r[i])
        return HexCell(
            q=q,
            r=r,
            lon=round(float(lon[i]), 6),
            lat=round(float(lat[i]), 6),
            count=int(self._current[i]),
            previous_count=int(self._previous[i]),
            z=round(float(self._test.z[i]), 3),
            p=float(self._test.p[i]),
            significant=bool(self._test.significant[i]),
            cluster_id=self._cluster_of.get((q, r)),
        )


ALERT_DAYS = 30
ALERT_CACHE_SECONDS = 600


def emerging_hotspots_alert(*, today: dt.date | None = None) -> list[HotspotCluster]:
    """Emerging clusters of all reports over the last ALERT_DAYS days, for the operations
    centre's queue page; cached ALERT_CACHE_SECONDS (shared by the workers) so the page stays
    fast. `refresh_hotspot_alert` from cron keeps it warm, so no page pays for the analysis."""
    until = today or local_today()
    alerts = cache.get(_alert_key(until))
    if alerts is None:
        alerts = refresh_hotspot_alert(today=until)
    return alerts


def emerging_hotspots_alert_stored(*, today: dt.date | None = None) -> list[HotspotCluster] | None:
    """The stored alert, or None when it is not stored: the board's poll reads it without
    ever running the analysis (its full answer calls emerging_hotspots_alert)."""
    return cache.get(_alert_key(today or local_today()))


def _alert_key(until: dt.date) -> str:
    return f"hotspots:alert:v1:{until.isoformat()}"


def refresh_hotspot_alert(*, today: dt.date | None = None) -> list[HotspotCluster]:
    """Runs the alert's analysis now and stores it for the queue pages."""
    until = today or local_today()
    result = find_hotspots(
        category=None, since=until - dt.timedelta(days=ALERT_DAYS - 1), until=until
    )
    cache.set(_alert_key(until), result.emerging, ALERT_CACHE_SECONDS)
    return result.emerging
