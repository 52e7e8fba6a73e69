"""Hotspot detection: where reports of a kind cluster more than chance would explain.

Getis-Ord Gi* (esda) on a grid of flat-topped hexagons in UTM 48N, tested by permutation
(total randomisation) and corrected for the thousands of hexes tested at once with the
Benjamini-Hochberg false discovery rate. Contiguous significant hot hexes become clusters,
each with its ward, its size and its trend against the previous period of the same length.
docs/hotspots.md explains the choices to a planner; the tests check that a planted cluster
is found and uniform noise yields nothing.

The counts per hex are summed in PostGIS (one grouped query for both periods): only a few
thousand (hex, count) rows ever reach Python, however many reports there are.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections import deque
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import shapely
from django.core.cache import cache
from django.db import connection
from pyproj import Transformer

from common.local_time import local_midnight, local_today
from ward_boundaries.models import BoundaryVersion, Ward

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
# The permutation budget: enough for every hex of Móng Cái at 300 m (7,700 hexes / alpha), so
# today's answers are unchanged, and a ceiling on the shuffles (memory: 8 bytes x 7 per
# permutation and neighbourhood size) whatever the grid. Past it the smallest attainable
# p-value is 1/(MAX+1): a cluster needs a few significant hexes to pass the FDR step.
MAX_PERMUTATIONS = 160_000
# Fixed, so the same data and parameters always give the same answer (and the same map).
SEED = 20250701
CACHE_SECONDS = 120
STUDY_AREA_CACHE_SECONDS = 3600
# Axial neighbour offsets of a hex (q, r): the one ring, six hexes at exactly one hex width.
NEIGHBOUR_OFFSETS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1))

_TO_LONLAT = Transformer.from_crs(METRIC_SRID, 4326, always_xy=True)
_TO_METRIC = Transformer.from_crs(4326, METRIC_SRID, always_xy=True)


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
    cells: list[HexCell]
    parameters: dict
    previous_since: dt.date
    previous_until: dt.date
    previous_significant: int = 0
    emerging: list[HotspotCluster] = field(default_factory=list)


# --- Hex geometry (flat-topped hexes; axial coordinates as in redblobgames.com/grids) ---------


def hex_radius(hex_size_m: float) -> float:
    """Circumradius of a hex whose width across flats (= distance between centres) is given."""
    return hex_size_m / math.sqrt(3)


def hex_centres(q: np.ndarray, r: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    return 1.5 * radius * q, math.sqrt(3) * radius * (r + q / 2)


def hex_polygons(q: np.ndarray, r: np.ndarray, radius: float) -> np.ndarray:
    x, y = hex_centres(np.asarray(q, float), np.asarray(r, float), radius)
    angles = np.radians(np.arange(6) * 60.0)
    ring = np.stack(
        [x[:, None] + radius * np.cos(angles), y[:, None] + radius * np.sin(angles)], axis=-1
    )
    # An array of rings gives an array of polygons (the stubs cannot tell from the shape).
    return cast(np.ndarray, shapely.polygons(ring))


# --- Counting in the database ---------------------------------------------------------------

# Raw because the axial hex index (cube rounding of fractional axial coordinates) is plain
# arithmetic PostGIS evaluates per row, twice as fast as ST_HexagonGrid per point and much
# faster than a grid joined to the points by ST_Intersects (benchmarks/bench_hotspots.py), and
# the ORM would need a dozen nested Func()s. Each "OFFSET 0" keeps a subquery from being
# inlined: inlined, every reference to x, y, fq or fr would repeat ST_Transform (6x slower).
# Both periods come back from one pass over the (category, reported_at) index; rejected reports
# (spam, duplicates, out of scope) are not problems on the ground, so they do not count.
_HEX_COUNTS_SQL = """
SELECT (CASE WHEN dq > dr AND dq > ds THEN -rr - rs ELSE rq END)::int AS q,
       (CASE WHEN NOT (dq > dr AND dq > ds) AND dr > ds THEN -rq - rs ELSE rr END)::int AS r,
       count(*) FILTER (WHERE current), count(*) FILTER (WHERE NOT current)
FROM (
    SELECT rq, rr, rs, abs(rq - fq) AS dq, abs(rr - fr) AS dr, abs(rs + fq + fr) AS ds, current
    FROM (
        SELECT fq, fr, round(fq) AS rq, round(fr) AS rr, round(-fq - fr) AS rs, current
        FROM (
            SELECT (2.0::float8 / 3.0 * x) / %(radius)s::float8 AS fq,
                   (-x / 3.0::float8 + sqrt(3.0::float8) / 3.0 * y) / %(radius)s::float8 AS fr,
                   current
            FROM (
                SELECT ST_X(g) AS x, ST_Y(g) AS y, current
                FROM (
                    SELECT ST_Transform(location, {srid}) AS g, reported_at >= %(start)s AS current
                    FROM gis_core_report
                    WHERE reported_at >= %(previous_start)s AND reported_at < %(end)s
                      AND status <> 'rejected' {category_filter}
                    OFFSET 0
                ) transformed OFFSET 0
            ) metric OFFSET 0
        ) axial OFFSET 0
    ) rounded OFFSET 0
) cube
GROUP BY 1, 2
"""


def hex_counts(
    *,
    category: str | None,
    previous_since: dt.date,
    since: dt.date,
    until: dt.date,
    hex_size_m: float,
) -> dict[tuple[int, int], tuple[int, int]]:
    """{(q, r): (count in [since, until], count in [previous_since, since))}, local days."""
    sql = _HEX_COUNTS_SQL.format(
        srid=METRIC_SRID,
        category_filter=(
            "AND category_id = (SELECT id FROM gis_core_category WHERE code = %(category)s)"
            if category
            else ""
        ),
    )
    params: dict[str, Any] = {
        "radius": hex_radius(hex_size_m),
        "previous_start": local_midnight(previous_since),
        "start": local_midnight(since),
        "end": local_midnight(until + dt.timedelta(days=1)),
        "category": category,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(q, r): (cur, prev) for q, r, cur, prev in cursor.fetchall()}


# --- The study area ---------------------------------------------------------------------------


def study_area_hexes(*, day: dt.date, hex_size_m: float) -> list[tuple[int, int]]:
    """Hexes touching the union of the wards valid on `day`: zeros there are data too.

    Without them Gi* would compare busy hexes only with other busy hexes, and both a real
    cluster in a quiet ward (judged against no zeros) and a quiet street between two busy
    ones would come out wrong. Cached: boundaries change once in years.
    """
    versions = list(BoundaryVersion.objects.valid_on(day).values_list("pk", flat=True))
    key = f"hotspots:area:v1:{sorted(versions)}:{hex_size_m}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    geoms = [w.geom.wkb for w in Ward.objects.filter(version__in=versions).only("geom")]
    if not geoms:
        cache.set(key, [], STUDY_AREA_CACHE_SECONDS)
        return []
    area = shapely.union_all([shapely.from_wkb(bytes(g)) for g in geoms])
    area = shapely.transform(area, lambda xy: np.column_stack(_TO_METRIC.transform(*xy.T)))
    shapely.prepare(area)
    radius = hex_radius(hex_size_m)
    minx, miny, maxx, maxy = area.bounds
    q = np.arange(math.floor(minx / (1.5 * radius)) - 1, math.ceil(maxx / (1.5 * radius)) + 2)
    # r range: y = sqrt(3) R (r + q/2), so r spans (y / (sqrt(3) R) - q/2) over the box.
    step = math.sqrt(3) * radius
    r_lo = math.floor(miny / step - q.max() / 2) - 1
    r_hi = math.ceil(maxy / step - q.min() / 2) + 1
    grid_q, grid_r = np.meshgrid(q, np.arange(r_lo, r_hi + 1), indexing="ij")
    qq, rr = grid_q.ravel(), grid_r.ravel()
    x, y = hex_centres(qq, rr, radius)
    in_box = (x >= minx - radius) & (x <= maxx + radius) & (y >= miny - step) & (y <= maxy + step)
    qq, rr = qq[in_box], rr[in_box]
    inside = shapely.intersects(area, hex_polygons(qq, rr, radius))
    cells = [(int(a), int(b)) for a, b in zip(qq[inside], rr[inside], strict=True)]
    cache.set(key, cells, STUDY_AREA_CACHE_SECONDS)
    return cells


# --- Statistics -------------------------------------------------------------------------------


def benjamini_hochberg(p: np.ndarray, alpha: float) -> np.ndarray:
    """Which tests the Benjamini-Hochberg step-up rejects at false discovery rate `alpha`
    (the same threshold as esda.fdr, as a mask)."""
    m = len(p)
    if m == 0:
        return np.zeros(0, bool)
    ranked = np.sort(p)
    below = np.flatnonzero(ranked <= alpha * np.arange(1, m + 1) / m)
    if len(below) == 0:
        return np.zeros(m, bool)
    return p <= ranked[below[-1]]


def _draw_distinct(rng: np.random.Generator, pool: int, rows: int, k: int) -> np.ndarray:
    """`rows` draws of k distinct indices below `pool` (sampling without replacement)."""
    if pool <= 64:
        return np.argsort(rng.random((rows, pool)), axis=1)[:, :k]
    draws = rng.integers(0, pool, size=(rows, k))
    while k > 1:
        s = np.sort(draws, axis=1)
        dup = np.flatnonzero((s[:, 1:] == s[:, :-1]).any(axis=1))
        if len(dup) == 0:
            break
        draws[dup] = rng.integers(0, pool, size=(len(dup), k))
    return draws


def permutations_needed(*, hexes: int, alpha: float, permutations: int) -> int:
    """At least `permutations`, and enough that the smallest attainable p-value, 1/(P+1),
    is below the first Benjamini-Hochberg threshold alpha/m: with 999 permutations no
    p-value goes below 0.001, while with 6,000 hexes a cluster of 10 needs 8e-5. Capped at
    MAX_PERMUTATIONS (the budget of one analysis)."""
    return min(MAX_PERMUTATIONS, max(permutations, math.ceil(hexes / alpha)))


def _hot_pvalues(
    y: np.ndarray, sizes: np.ndarray, observed: np.ndarray, permutations: int
) -> np.ndarray:
    """One-sided permutation p-values of each hex's Gi* sum (itself + its neighbours).

    The null is Getis and Ord's own, total randomisation: the counts are shuffled over all
    hexes, so a hex with k cells in its neighbourhood is compared with sums of k counts
    drawn without replacement from all of them. That distribution depends only on k, so
    one set of draws per k serves every hex (cheap enough for the many permutations FDR
    needs). esda's conditional randomisation keeps the hex's own count fixed, which suits
    local Moran but not Gi*: the heart of a cluster would be judged on its neighbours
    alone, and with two clusters in the city each heart is "explained" by the other's counts.
    """
    rng = np.random.default_rng(SEED)
    p = np.ones(len(y))
    for k in np.unique(sizes):
        draws = np.sort(y[_draw_distinct(rng, len(y), permutations, int(k))].sum(axis=1))
        members = np.flatnonzero(sizes == k)
        # Ties count against the hex (>=), as in esda.
        larger = permutations - np.searchsorted(draws, observed[members], side="left")
        p[members] = (larger + 1) / (permutations + 1)
    return p


@dataclass(frozen=True)
class _PeriodTest:
    z: np.ndarray
    p: np.ndarray
    significant: np.ndarray
    permutations: int


def _star_weights(neighbours: list[np.ndarray]):
    """Binary weights with each hex its own neighbour (the diagonal Gi* needs), built once
    for both periods: esda would otherwise copy the matrix to fill the diagonal, each time."""
    from libpysal.weights import W

    # Islands (Vĩnh Thực) make the graph disconnected, which is fine and not worth a warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return W({i: [i, *nb.tolist()] for i, nb in enumerate(neighbours)}, silence_warnings=True)


def _gi_star(
    y: np.ndarray,
    neighbours: list[np.ndarray],
    *,
    alpha: float,
    permutations: int,
    weights=None,
) -> _PeriodTest:
    from esda.getisord import G_Local

    n = len(y)
    used = permutations_needed(hexes=n, alpha=alpha, permutations=permutations)
    if n < 3 or y.sum() == 0 or np.all(y == y[0]):
        return _PeriodTest(np.zeros(n), np.ones(n), np.zeros(n, bool), used)
    # Binary weights, self included (star): Gi* sums the hex and its six neighbours. Its
    # z-score is esda's (analytical moments under total randomisation); the p-value comes
    # from permutations under the same null, since counts are far from normal.
    w = weights if weights is not None else _star_weights(neighbours)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with np.errstate(invalid="ignore", divide="ignore"):  # no variance: z is 0 below
            g = G_Local(y, w, transform="B", star=True, permutations=0)
    z = np.nan_to_num(np.asarray(g.Zs, float))
    sizes = np.array([len(nb) + 1 for nb in neighbours])
    observed = y + np.array([y[nb].sum() for nb in neighbours])
    p = _hot_pvalues(y, sizes, observed, used)
    return _PeriodTest(z, p, benjamini_hochberg(p, alpha) & (z > 0), used)


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
) -> HotspotResult:
    """Significant clusters of reports (of one category, or all) reported in [since, until],
    local days, with their trend against the previous period of the same length.

    The grid is the study area (the wards valid on `until`) plus every hex with reports in
    either period plus one ring of neighbours around those, so a cluster off the map's edge
    is still judged against zeros. Both periods are tested on the same grid; a cluster none
    of whose hexes was significant in the previous period is `emerging`.
    """
    previous_since, previous_until = previous_period(since, until)
    counts = hex_counts(
        category=category,
        previous_since=previous_since,
        since=since,
        until=until,
        hex_size_m=hex_size_m,
    )
    grid = set(study_area_hexes(day=until, hex_size_m=hex_size_m))
    for q, r in counts:
        grid.add((q, r))
        grid.update((q + dq, r + dr) for dq, dr in NEIGHBOUR_OFFSETS)
    keys = sorted(grid)
    index = {key: i for i, key in enumerate(keys)}
    neighbours = [
        np.array(
            [index[(q + dq, r + dr)] for dq, dr in NEIGHBOUR_OFFSETS if (q + dq, r + dr) in index],
            dtype=np.int64,
        )
        for q, r in keys
    ]
    current = np.array([counts.get(k, (0, 0))[0] for k in keys], dtype=float)
    previous = np.array([counts.get(k, (0, 0))[1] for k in keys], dtype=float)
    weights = _star_weights(neighbours) if len(keys) >= 3 else None
    now = _gi_star(current, neighbours, alpha=alpha, permutations=permutations, weights=weights)
    before = _gi_star(previous, neighbours, alpha=alpha, permutations=permutations, weights=weights)

    radius = hex_radius(hex_size_m)
    q_arr = np.array([k[0] for k in keys], dtype=float)
    r_arr = np.array([k[1] for k in keys], dtype=float)
    x, y = hex_centres(q_arr, r_arr, radius)
    lon, lat = _TO_LONLAT.transform(x, y) if keys else (np.zeros(0), np.zeros(0))

    # A cluster is made of significant hexes that hold reports: an empty hex next to a busy
    # one is significant too (its neighbourhood is hot), but drawing it would show planners
    # a hotspot where nobody reported anything.
    hot = {keys[i] for i in np.flatnonzero(now.significant & (current > 0))}
    components = sorted(_components(hot), key=lambda c: (-sum(current[index[k]] for k in c), c[0]))
    centres = []
    for component in components:
        ids = [index[k] for k in component]
        weight = current[ids]
        centres.append(
            (float(np.average(x[ids], weights=weight)), float(np.average(y[ids], weights=weight)))
        )
    centre_lonlat = [_TO_LONLAT.transform(cx, cy) for cx, cy in centres]
    wards = _wards_at(centre_lonlat, until)

    clusters: list[HotspotCluster] = []
    cluster_of: dict[tuple[int, int], int] = {}
    for number, (component, (clon, clat), ward) in enumerate(
        zip(components, centre_lonlat, wards, strict=True), start=1
    ):
        ids = [index[k] for k in component]
        now_n, before_n = int(current[ids].sum()), int(previous[ids].sum())
        polygons = hex_polygons(q_arr[ids], r_arr[ids], radius)
        clusters.append(
            HotspotCluster(
                id=number,
                lon=round(clon, 6),
                lat=round(clat, 6),
                hex_count=len(component),
                report_count=now_n,
                previous_count=before_n,
                change_pct=round(100 * (now_n - before_n) / before_n, 1) if before_n else None,
                ward_code=ward[0] if ward else None,
                ward_name=ward[1] if ward else None,
                max_z=round(float(now.z[ids].max()), 2),
                emerging=not bool(before.significant[ids].any()),
                hexes=tuple(component),
                geometry=_to_lonlat_geojson(shapely.union_all(polygons)),
            )
        )
        cluster_of.update({k: number for k in component})

    cells = [
        HexCell(
            q=q,
            r=r,
            lon=round(float(lon[i]), 6),
            lat=round(float(lat[i]), 6),
            count=int(current[i]),
            previous_count=int(previous[i]),
            z=round(float(now.z[i]), 3),
            p=float(now.p[i]),
            significant=bool(now.significant[i]),
            cluster_id=cluster_of.get((q, r)),
        )
        for i, (q, r) in enumerate(keys)
    ]
    return HotspotResult(
        clusters=clusters,
        cells=cells,
        parameters={
            "category": category,
            "since": since.isoformat(),
            "until": until.isoformat(),
            "hex_size_m": hex_size_m,
            "alpha": alpha,
            "permutations": permutations,
            "permutations_used": now.permutations,
            "seed": SEED,
            "method": "Getis-Ord Gi* (binary weights: hex + six neighbours), one-sided "
            "permutation test under total randomisation, Benjamini-Hochberg FDR",
            "hexes_tested": len(keys),
            "srid": METRIC_SRID,
        },
        previous_since=previous_since,
        previous_until=previous_until,
        previous_significant=int(before.significant.sum()),
        emerging=[c for c in clusters if c.emerging],
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
