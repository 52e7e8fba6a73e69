"""Inserts no longer write cell rows: new reports are counted from the report table until
they are folded in (layers.report_cells.fold_pending).

Measured on the 1M-report benchmark: appending the delta rows of every insert (0009/0011)
halved the submission rate under load (1,120 to 657 requests/s) and the bulk import (0.98x
to 0.54x of plain COPY). Reports with an id above layers_reportcellstate.folded_id are now
"pending": readers count them from the reports (an id range on the primary key), and
`compact_report_cells` (cron), the importers and, past a threshold, the readers themselves
fold them into the cells under a short SHARE lock.

Updates and deletes of folded reports still append signed deltas (a status change must move
a report between cells); those of pending reports need none, since readers see them as they
are. The insert trigger only bumps the tile generation.
"""

from django.db import migrations


# The full SQL, written out: a migration never builds its SQL from another migration's
# (tests/layers/test_sql_constants.py checks the live functions against the Python constants).
SQL = """
INSERT INTO layers_reportcellstate (id, folded_id, folded_at)
SELECT 1, coalesce(max(id), 0), now() FROM gis_core_report;

CREATE OR REPLACE FUNCTION ht_report_cells_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('ht_tile_generation');
    RETURN NULL;
END;
$$;

DROP TRIGGER report_cells_ins ON gis_core_report;
CREATE TRIGGER report_cells_ins AFTER INSERT ON gis_core_report
    FOR EACH STATEMENT EXECUTE FUNCTION ht_report_cells_insert();
ALTER TABLE gis_core_report ENABLE ALWAYS TRIGGER report_cells_ins;

CREATE OR REPLACE FUNCTION ht_report_cells_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        TRUNCATE layers_reportcell, layers_reportcelltotal;
    EXCEPTION WHEN object_in_use THEN
        -- The same TRUNCATE statement empties them too (Django's flush lists every table).
        DELETE FROM layers_reportcell;
        DELETE FROM layers_reportcelltotal;
    END;
    UPDATE layers_reportcellstate SET folded_id = 0, folded_at = now() WHERE id = 1;
    PERFORM nextval('ht_tile_generation');
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_cells_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    WITH delta AS MATERIALIZED (SELECT location, reported_at, category_id, status, ward_id, -1 AS d FROM old_rows WHERE id <= coalesce((SELECT folded_id FROM layers_reportcellstate WHERE id = 1), 0)),
         cells AS (
    INSERT INTO layers_reportcell (level, cx, cy, month, category_id, status, ward_id, n)
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           r.category_id, r.status, r.ward_id, sum(r.d)::int
    FROM delta r CROSS JOIN (VALUES (13), (15), (17), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(r.d) <> 0
    RETURNING 1
),
         totals AS (
    INSERT INTO layers_reportcelltotal (level, cx, cy, month, n)
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           sum(r.d)::int
    FROM delta r CROSS JOIN (VALUES (11), (12), (13), (14), (15), (16), (17), (18), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4
    HAVING sum(r.d) <> 0
    RETURNING 1
)
    SELECT (SELECT count(*) FROM cells) + (SELECT count(*) FROM totals) INTO written;
    IF written > 0 THEN
        PERFORM nextval('ht_tile_generation');
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_cells_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    WITH delta AS MATERIALIZED (
        WITH changed AS (
            SELECT o.location AS o_loc, o.reported_at AS o_at, o.category_id AS o_cat,
                   o.status AS o_status, o.ward_id AS o_ward,
                   n.location AS n_loc, n.reported_at AS n_at, n.category_id AS n_cat,
                   n.status AS n_status, n.ward_id AS n_ward
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.id <= coalesce((SELECT folded_id FROM layers_reportcellstate WHERE id = 1), 0) AND (o.status IS DISTINCT FROM n.status
               OR o.category_id IS DISTINCT FROM n.category_id
               OR o.ward_id IS DISTINCT FROM n.ward_id
               OR date_trunc('month', o.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')
                  IS DISTINCT FROM date_trunc('month', n.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')
               OR floor(ST_X(o.location) / (360.0::float8 / (1 << 19)))
                  IS DISTINCT FROM floor(ST_X(n.location) / (360.0::float8 / (1 << 19)))
               OR floor(ST_Y(o.location) / (360.0::float8 / (1 << 19)))
                  IS DISTINCT FROM floor(ST_Y(n.location) / (360.0::float8 / (1 << 19))))
        )
        SELECT o_loc AS location, o_at AS reported_at, o_cat AS category_id,
               o_status AS status, o_ward AS ward_id, -1 AS d FROM changed
        UNION ALL
        SELECT n_loc, n_at, n_cat, n_status, n_ward, 1 FROM changed
    ),
         cells AS (
    INSERT INTO layers_reportcell (level, cx, cy, month, category_id, status, ward_id, n)
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           r.category_id, r.status, r.ward_id, sum(r.d)::int
    FROM delta r CROSS JOIN (VALUES (13), (15), (17), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(r.d) <> 0
    RETURNING 1
),
         totals AS (
    INSERT INTO layers_reportcelltotal (level, cx, cy, month, n)
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           sum(r.d)::int
    FROM delta r CROSS JOIN (VALUES (11), (12), (13), (14), (15), (16), (17), (18), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4
    HAVING sum(r.d) <> 0
    RETURNING 1
)
    SELECT (SELECT count(*) FROM cells) + (SELECT count(*) FROM totals) INTO written;
    IF written > 0 THEN
        PERFORM nextval('ht_tile_generation');
    END IF;
    RETURN NULL;
END;
$$;
"""

REVERSE = """
CREATE OR REPLACE FUNCTION ht_report_cells_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    WITH delta AS MATERIALIZED (SELECT location, reported_at, category_id, status, ward_id, 1 AS d FROM new_rows),
         cells AS (
    INSERT INTO layers_reportcell (level, cx, cy, month, category_id, status, ward_id, n)
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           r.category_id, r.status, r.ward_id, sum(r.d)::int
    FROM delta r CROSS JOIN (VALUES (13), (15), (17), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(r.d) <> 0
    RETURNING 1
),
         totals AS (
    INSERT INTO layers_reportcelltotal (level, cx, cy, month, n)
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           sum(r.d)::int
    FROM delta r CROSS JOIN (VALUES (11), (12), (13), (14), (15), (16), (17), (18), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4
    HAVING sum(r.d) <> 0
    RETURNING 1
)
    SELECT (SELECT count(*) FROM cells) + (SELECT count(*) FROM totals) INTO written;
    IF written > 0 THEN
        PERFORM nextval('ht_tile_generation');
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_cells_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    WITH delta AS MATERIALIZED (SELECT location, reported_at, category_id, status, ward_id, -1 AS d FROM old_rows),
         cells AS (
    INSERT INTO layers_reportcell (level, cx, cy, month, category_id, status, ward_id, n)
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           r.category_id, r.status, r.ward_id, sum(r.d)::int
    FROM delta r CROSS JOIN (VALUES (13), (15), (17), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(r.d) <> 0
    RETURNING 1
),
         totals AS (
    INSERT INTO layers_reportcelltotal (level, cx, cy, month, n)
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           sum(r.d)::int
    FROM delta r CROSS JOIN (VALUES (11), (12), (13), (14), (15), (16), (17), (18), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4
    HAVING sum(r.d) <> 0
    RETURNING 1
)
    SELECT (SELECT count(*) FROM cells) + (SELECT count(*) FROM totals) INTO written;
    IF written > 0 THEN
        PERFORM nextval('ht_tile_generation');
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_cells_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    WITH delta AS MATERIALIZED (
        WITH changed AS (
            SELECT o.location AS o_loc, o.reported_at AS o_at, o.category_id AS o_cat,
                   o.status AS o_status, o.ward_id AS o_ward,
                   n.location AS n_loc, n.reported_at AS n_at, n.category_id AS n_cat,
                   n.status AS n_status, n.ward_id AS n_ward
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.status IS DISTINCT FROM n.status
               OR o.category_id IS DISTINCT FROM n.category_id
               OR o.ward_id IS DISTINCT FROM n.ward_id
               OR date_trunc('month', o.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')
                  IS DISTINCT FROM date_trunc('month', n.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')
               OR floor(ST_X(o.location) / (360.0::float8 / (1 << 19)))
                  IS DISTINCT FROM floor(ST_X(n.location) / (360.0::float8 / (1 << 19)))
               OR floor(ST_Y(o.location) / (360.0::float8 / (1 << 19)))
                  IS DISTINCT FROM floor(ST_Y(n.location) / (360.0::float8 / (1 << 19)))
        )
        SELECT o_loc AS location, o_at AS reported_at, o_cat AS category_id,
               o_status AS status, o_ward AS ward_id, -1 AS d FROM changed
        UNION ALL
        SELECT n_loc, n_at, n_cat, n_status, n_ward, 1 FROM changed
    ),
         cells AS (
    INSERT INTO layers_reportcell (level, cx, cy, month, category_id, status, ward_id, n)
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           r.category_id, r.status, r.ward_id, sum(r.d)::int
    FROM delta r CROSS JOIN (VALUES (13), (15), (17), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(r.d) <> 0
    RETURNING 1
),
         totals AS (
    INSERT INTO layers_reportcelltotal (level, cx, cy, month, n)
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           sum(r.d)::int
    FROM delta r CROSS JOIN (VALUES (11), (12), (13), (14), (15), (16), (17), (18), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4
    HAVING sum(r.d) <> 0
    RETURNING 1
)
    SELECT (SELECT count(*) FROM cells) + (SELECT count(*) FROM totals) INTO written;
    IF written > 0 THEN
        PERFORM nextval('ht_tile_generation');
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_cells_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM layers_reportcell;
    DELETE FROM layers_reportcelltotal;
    PERFORM nextval('ht_tile_generation');
    RETURN NULL;
END;
$$;


DROP TRIGGER report_cells_ins ON gis_core_report;
CREATE TRIGGER report_cells_ins AFTER INSERT ON gis_core_report
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ht_report_cells_insert();
ALTER TABLE gis_core_report ENABLE ALWAYS TRIGGER report_cells_ins;
DELETE FROM layers_reportcellstate;
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0012_report_cell_state")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
