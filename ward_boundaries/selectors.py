"""Reads of wards and boundary versions. The ward rule itself lives in SQL (ht_ward_for_point)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, QuerySet

from common.geofuncs import SimplifiedMultiPolygon
from common.local_time import local_today
from ward_boundaries.models import BoundaryVersion, Ward

# --- Overlaps between boundary versions (used by the ward importer) ---------------------------


@dataclass(frozen=True)
class VersionOverlap:
    """A ward of one version sharing area with a ward of another version valid at the same time.

    `valid_from`/`valid_to` bound the days both versions are in force (None: open-ended);
    on those days a report there could go to either ward.
    """

    code: str
    name: str
    version: str
    other_code: str
    other_name: str
    other_version: str
    area_m2: float
    valid_from: dt.date | None
    valid_to: dt.date | None


# ST_Intersects rather than ST_Overlaps: ST_Overlaps is false when one polygon contains the
# other (the same ward imported into two versions), which is the case most worth a warning.
# GREATEST/LEAST skip NULLs, so they give the shared period with NULL meaning open-ended.
_VERSION_OVERLAPS_SQL = """
WITH pairs AS (
    SELECT a.code, a.name, va.name AS version,
           b.code AS other_code, b.name AS other_name, vb.name AS other_version,
           ST_Area(ST_Intersection(a.geom, ST_MakeValid(b.geom))::geography) AS area_m2,
           GREATEST(va.valid_from, vb.valid_from) AS shared_from,
           LEAST(va.valid_to, vb.valid_to) AS shared_to
    FROM ward_boundaries_ward a
    JOIN ward_boundaries_boundaryversion va ON va.id = a.version_id
    JOIN ward_boundaries_ward b ON b.version_id <> a.version_id AND b.geom && a.geom
    JOIN ward_boundaries_boundaryversion vb ON vb.id = b.version_id
    WHERE a.version_id = %(version_id)s
      AND (va.valid_from IS NULL OR vb.valid_to IS NULL OR va.valid_from <= vb.valid_to)
      AND (vb.valid_from IS NULL OR va.valid_to IS NULL OR vb.valid_from <= va.valid_to)
      AND ST_Intersects(a.geom, b.geom)
)
SELECT code, name, version, other_code, other_name, other_version, area_m2,
       shared_from, shared_to
FROM pairs
WHERE area_m2 > %(min_area_m2)s
ORDER BY code, other_version, other_code
"""


def version_overlaps(*, version_id: int, min_area_m2: float = 1000.0) -> list[VersionOverlap]:
    """Wards of `version_id` overlapping, by more than `min_area_m2`, wards of other versions
    whose validity period shares at least one day with this one's.

    Two such versions both apply on the shared days, so the ward of a report there is decided
    by the tie-break of ht_ward_for_point() rather than by the boundaries.
    """
    # Raw because it is one self-join with spheroidal areas of intersections; the ORM would
    # need a subquery per pair, and the parameters keep it injection-safe.
    with connection.cursor() as cursor:
        cursor.execute(
            _VERSION_OVERLAPS_SQL, {"version_id": version_id, "min_area_m2": min_area_m2}
        )
        return [VersionOverlap(*row) for row in cursor.fetchall()]


# --- End of version overlaps --------------------------------------------------------------------


@dataclass(frozen=True)
class WardMatchResult:
    ward: Ward
    match: str  # "inside" | "nearest"
    distance_m: float | None


def ward_for_point(
    *,
    lon: float,
    lat: float,
    at: dt.date | None = None,
    version: BoundaryVersion | None = None,
) -> WardMatchResult | None:
    """The ward a report at (lon, lat) gets: same SQL function as the insert trigger.

    `at` picks the boundary versions valid that day (default: today, local time); `version`
    forces one version. None means outside every ward and beyond the tolerance.
    """
    # Raw because the rule is one SQL function shared with the trigger (going through it is
    # what guarantees the lookup API and stored reports agree); ht_ward_lookup() adds the
    # ward's columns in the same plan-cached call: this is the lookup API's whole cost.
    sql = "SELECT * FROM ht_ward_lookup(ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s, %s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, [lon, lat, at or local_today(), version.pk if version else None])
        values = cursor.fetchone()
        columns = [column.name for column in cursor.description]
    if values is None:
        return None
    row = dict(zip(columns, values, strict=True))
    match, distance = row.pop("match"), row.pop("distance_m")
    version = BoundaryVersion(
        id=row.pop("version_id"),
        name=row.pop("version_name"),
        valid_from=row.pop("valid_from"),
        valid_to=row.pop("valid_to"),
    )
    ward = Ward(version=version, version_id=version.id, **row)
    return WardMatchResult(
        ward=ward, match=match, distance_m=distance if match == "nearest" else None
    )


def wards_for_map(
    *,
    version: BoundaryVersion | None = None,
    day: dt.date | None = None,
    province_code: str | None = None,
):
    """Wards of one version, or of every version valid on `day` (default today); only one
    province's when `province_code` is given."""
    qs = Ward.objects.select_related("version")
    if province_code:
        qs = qs.filter(province_code=province_code)
    if version is not None:
        return qs.filter(version=version)
    day = day or local_today()
    return qs.filter(version__in=BoundaryVersion.objects.valid_on(day))


# --- Provinces --------------------------------------------------------------------------------


def province_exists(code: str) -> bool:
    """Whether any ward of any version lies in province `code`."""
    return Ward.objects.filter(province_code=code).exists()


def province_codes() -> list[str]:
    """Every province code of any version's wards, in order: for an error message."""
    return list(
        Ward.objects.exclude(province_code="")
        .order_by("province_code")
        .values_list("province_code", flat=True)
        .distinct()
    )


def ward_ids_for_province(code: str) -> list[int]:
    """The wards a filter by province means: every version's wards of that province (a
    report keeps the ward of its own date, so older versions' wards count too)."""
    return list(Ward.objects.filter(province_code=code).order_by("id").values_list("id", flat=True))


def provinces_in_force(day: dt.date | None = None) -> list[tuple[str, str]]:
    """(code, name) of the provinces of the versions valid on `day` (default today), by code:
    the choices of a province filter."""
    rows = (
        Ward.objects.filter(version__in=BoundaryVersion.objects.valid_on(day or local_today()))
        .exclude(province_code="")
        .order_by("province_code", "province_name")
        .values_list("province_code", "province_name")
        .distinct()
    )
    names: dict[str, str] = {}
    for code, name in rows:
        names.setdefault(code, name or code)
    return list(names.items())


# Metres per degree of latitude (and of longitude at the equator): the tolerance of a
# simplification is given in metres and applied in degrees.
METRES_PER_DEGREE = 111_320.0
# Six decimals are 0.11 m: finer than any boundary survey, half the characters of GEOS's 15.
OUTLINE_DECIMALS = 6


def ward_outlines_geojson(wards, *, tolerance_m: float) -> dict[int, str]:
    """{ward id: GeoJSON geometry} simplified to `tolerance_m` (ST_SimplifyPreserveTopology)
    with coordinates rounded to OUTLINE_DECIMALS: for drawing at a zoom where a pixel is
    larger than the tolerance. Never used to decide a ward: the lookup keeps the full polygons.
    """
    from django.contrib.gis.db.models.functions import AsGeoJSON

    simplified = SimplifiedMultiPolygon("geom", tolerance_m / METRES_PER_DEGREE)
    rows = (
        Ward.objects.filter(id__in=[w.id for w in wards])
        .annotate(outline=AsGeoJSON(simplified, precision=OUTLINE_DECIMALS))
        .values_list("id", "outline")
    )
    return dict(rows)


def wards_with_outlines(wards: QuerySet[Ward], *, tolerance_m: float) -> QuerySet[Ward]:
    """`wards` with `outline` (ward_outlines_geojson's simplified GeoJSON) in the same query,
    and without their full polygons: a list of choices that also draws them on a small map."""
    from django.contrib.gis.db.models.functions import AsGeoJSON

    simplified = SimplifiedMultiPolygon("geom", tolerance_m / METRES_PER_DEGREE)
    return wards.defer("geom").annotate(outline=AsGeoJSON(simplified, precision=OUTLINE_DECIMALS))


def ward_ids_for_code(code: str) -> list[int]:
    """The wards a filter by `code` means: the wards with that code, and the wards of other
    boundary versions lying mostly (over half their area) inside one of them.

    After the 2025 merger a report keeps the ward of its own date, so the 2025 ward Móng
    Cái 1 holds only reports from July 2025; filtering by it should also take the pre-2025
    wards it absorbed, or a planner's two-year view of the area would miss most of it.
    """
    # Raw because the area share is a PostGIS expression over a self-join of the wards.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT w.id FROM ward_boundaries_ward w WHERE w.code = %(code)s
            UNION
            SELECT o.id
            FROM ward_boundaries_ward w
            JOIN ward_boundaries_ward o
              ON o.version_id <> w.version_id AND o.geom && w.geom
             AND ST_Area(ST_Intersection(o.geom, w.geom)) > 0.5 * ST_Area(o.geom)
            WHERE w.code = %(code)s
            """,
            {"code": code},
        )
        return sorted(row[0] for row in cursor.fetchall())


# --- Outlines for drawing (ward_boundaries.outlines) ------------------------------------------


def versions_in_force(day: dt.date | None = None) -> list[tuple[int, str]]:
    """(id, name) of the boundary versions valid on `day` (default today), by id."""
    return list(
        BoundaryVersion.objects.valid_on(day or local_today())
        .order_by("id")
        .values_list("id", "name")
    )


def outline_fingerprint(version_ids: list[int]) -> str:
    """A digest of those versions' wards as they are now: which rows, and each row's last
    write (xmin changes on every UPDATE, so an outline edited in the admin changes it too).
    Reads only the ward rows' headers, never their polygons: a millisecond for 3,321 wards."""
    # Raw because xmin is a system column the ORM cannot name.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*), md5(coalesce(
                string_agg(w.id::text || ':' || w.xmin::text, ',' ORDER BY w.id), ''))
            FROM ward_boundaries_ward w
            WHERE w.version_id = ANY(%s)
            """,
            [list(version_ids)],
        )
        count, digest = cursor.fetchone()
    return f"{count}-{digest[:16]}"


def province_count(version_ids: list[int]) -> int:
    """How many provinces those versions' wards lie in (an empty code counts as one)."""
    return (
        Ward.objects.filter(version_id__in=version_ids).values("province_code").distinct().count()
    )


def province_outlines(version_ids: list[int], *, tolerance_m: float) -> list[tuple]:
    """(province code, province name, ward count, GeoJSON geometry) per province of those
    versions' wards, by code: the wards dissolved into their province (ST_Union), parts
    smaller than a tolerance square dropped (islets a country map cannot show), simplified to
    `tolerance_m` (ST_SimplifyPreserveTopology) on a grid of four decimals (11 m) and made
    valid again. For a map of the whole country; a second of work, so the caller caches it."""
    # Raw because the dissolve is a PostGIS aggregate the ORM has no expression for. The snap
    # to 1e-7 degrees (1 cm) lets shared edges close; simplifying each part on its own can
    # leave an islet's shell inside another (or collapse it on the grid), so ST_MakeValid's
    # "structure" method unions the shells back into valid polygons.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH dissolved AS (
                SELECT province_code, max(province_name) AS province_name, count(*) AS wards,
                       ST_Union(ST_SnapToGrid(geom, 1e-7)) AS geom
                FROM ward_boundaries_ward
                WHERE version_id = ANY(%(versions)s)
                GROUP BY province_code
            ), kept AS (
                SELECT d.province_code, ST_Collect(part.geom) AS geom
                FROM dissolved d, ST_Dump(d.geom) part
                WHERE ST_Area(part.geom) >= %(tolerance)s * %(tolerance)s
                GROUP BY d.province_code
            )
            SELECT d.province_code, d.province_name, d.wards,
                   ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(
                       ST_SnapToGrid(ST_SimplifyPreserveTopology(k.geom, %(tolerance)s), 1e-4),
                       'method=structure'), 3)), 4)
            FROM dissolved d JOIN kept k USING (province_code)
            ORDER BY d.province_code
            """,
            {"versions": list(version_ids), "tolerance": tolerance_m / METRES_PER_DEGREE},
        )
        return cursor.fetchall()


def ward_outlines(version_ids: list[int], *, province_code: str | None = None) -> list[dict]:
    """Those versions' wards (one province's when `province_code` is given), by code, with
    their full polygons as GeoJSON rounded to OUTLINE_DECIMALS (`outline`): for drawing."""
    from django.contrib.gis.db.models.functions import AsGeoJSON

    wards = Ward.objects.filter(version_id__in=version_ids)
    if province_code:
        wards = wards.filter(province_code=province_code)
    return list(
        wards.order_by("code", "version_id")
        .annotate(
            outline=AsGeoJSON("geom", precision=OUTLINE_DECIMALS), version_name=F("version__name")
        )
        .values(
            "code", "name", "unit_type", "province_code", "province_name", "version_name", "outline"
        )
    )
