"""Subdivided ward parts (kept by trigger) and the one SQL function that decides a point's ward.

Every path that needs a ward (the report trigger, reassign_wards, the lookup API) calls
ht_ward_for_point(), so they cannot disagree. The rule:

1. Inside: wards of the versions valid on `at_date` (or only `only_version`) whose polygon
   covers the point (ST_Covers: boundary points count). A point on a shared edge or vertex is
   covered by several; the lowest ward code wins, then the most recent version, then the
   lowest id. Deterministic, and easy to state to staff.
2. Nearest: otherwise the ward at the smallest geodesic distance (spheroid) if that distance is
   <= the tolerance (session setting hientruong.ward_tolerance_m, default 250 m); ties again by
   lowest code.
3. Outside: otherwise no row.
"""

from django.db import migrations

PARTS_SQL = """
CREATE OR REPLACE FUNCTION ht_ward_parts_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Raw because the parts are a physical index structure of the ward polygon, rebuilt
    -- whenever the polygon changes, whatever path changed it.
    DELETE FROM ward_boundaries_wardpart WHERE ward_id = NEW.id;
    INSERT INTO ward_boundaries_wardpart (ward_id, geom)
    SELECT NEW.id, ST_Subdivide(ST_MakeValid(NEW.geom), 64);
    RETURN NULL;
END;
$$;

CREATE TRIGGER ward_parts_refresh_ins
    AFTER INSERT ON ward_boundaries_ward
    FOR EACH ROW EXECUTE FUNCTION ht_ward_parts_refresh();
CREATE TRIGGER ward_parts_refresh_upd
    AFTER UPDATE OF geom ON ward_boundaries_ward
    FOR EACH ROW WHEN (NOT ST_Equals(OLD.geom, NEW.geom) OR OLD.geom IS NULL)
    EXECUTE FUNCTION ht_ward_parts_refresh();
"""

PARTS_REVERSE = """
DROP TRIGGER IF EXISTS ward_parts_refresh_ins ON ward_boundaries_ward;
DROP TRIGGER IF EXISTS ward_parts_refresh_upd ON ward_boundaries_ward;
DROP FUNCTION IF EXISTS ht_ward_parts_refresh();
"""

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION ht_ward_tolerance_m() RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(nullif(current_setting('hientruong.ward_tolerance_m', true), '')::float8, 250)
$$;

CREATE OR REPLACE FUNCTION ht_ward_for_point(
    p geometry,
    at_date date,
    only_version bigint DEFAULT NULL,
    tolerance_m double precision DEFAULT NULL
) RETURNS TABLE (ward_id bigint, match text, distance_m double precision)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    tol double precision := coalesce(tolerance_m, ht_ward_tolerance_m());
    deg double precision;
BEGIN
    IF p IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT w.id, 'inside'::text, NULL::double precision
        FROM ward_boundaries_wardpart wp
        JOIN ward_boundaries_ward w ON w.id = wp.ward_id
        JOIN ward_boundaries_boundaryversion v ON v.id = w.version_id
        WHERE wp.geom && p
          AND ST_Covers(wp.geom, p)
          AND CASE WHEN only_version IS NOT NULL THEN v.id = only_version
                   ELSE (v.valid_from IS NULL OR v.valid_from <= at_date)
                    AND (v.valid_to IS NULL OR v.valid_to >= at_date) END
        ORDER BY w.code, v.valid_from DESC NULLS LAST, w.id
        LIMIT 1;
    IF FOUND OR tol <= 0 THEN
        RETURN;
    END IF;
    -- A degree box that surely holds every point within `tol` metres (a degree of longitude
    -- shrinks with latitude), so the GiST index prunes before the geodesic distance is computed.
    deg := tol / (111000.0 * greatest(cos(radians(abs(ST_Y(p)) + 1)), 0.01)) * 1.1;
    RETURN QUERY
        SELECT c.id, 'nearest'::text, c.d
        FROM (
            SELECT w.id, w.code, v.valid_from,
                   min(ST_Distance(wp.geom::geography, p::geography)) AS d
            FROM ward_boundaries_wardpart wp
            JOIN ward_boundaries_ward w ON w.id = wp.ward_id
            JOIN ward_boundaries_boundaryversion v ON v.id = w.version_id
            WHERE ST_DWithin(wp.geom, p, deg)
              AND CASE WHEN only_version IS NOT NULL THEN v.id = only_version
                       ELSE (v.valid_from IS NULL OR v.valid_from <= at_date)
                        AND (v.valid_to IS NULL OR v.valid_to >= at_date) END
            GROUP BY w.id, w.code, v.valid_from
        ) c
        WHERE c.d <= tol
        ORDER BY c.d, c.code, c.valid_from DESC NULLS LAST, c.id
        LIMIT 1;
END;
$$;
"""

FUNCTION_REVERSE = """
DROP FUNCTION IF EXISTS ht_ward_for_point(geometry, date, bigint, double precision);
DROP FUNCTION IF EXISTS ht_ward_tolerance_m();
"""


class Migration(migrations.Migration):
    dependencies = [("ward_boundaries", "0001_initial")]

    operations = [
        migrations.RunSQL(sql=PARTS_SQL, reverse_sql=PARTS_REVERSE),
        migrations.RunSQL(sql=FUNCTION_SQL, reverse_sql=FUNCTION_REVERSE),
    ]
