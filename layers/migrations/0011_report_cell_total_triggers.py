"""The report cell triggers (0009) also feed layers_reportcelltotal, at levels 11-19.

Same work as 0009 plus an INSERT into the totals table, in one statement per trigger: the
transition rows are read once (a materialized CTE) and summed into both tables. TOTAL_LEVELS must match
layers.report_cells.TOTAL_LEVELS. The reverse restores 0009's functions.
"""

from django.db import migrations


# The full SQL, written out: a migration never builds its SQL from another migration's
# (tests/layers/test_sql_constants.py checks the live functions against the Python constants).
SQL = """
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

-- The reports already stored.
INSERT INTO layers_reportcelltotal (level, cx, cy, month, n)
SELECT l.level,
       floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
       floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
       date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
       count(*)
FROM gis_core_report r CROSS JOIN (VALUES (11), (12), (13), (14), (15), (16), (17), (18), (19)) AS l(level)
GROUP BY 1, 2, 3, 4;
"""

REVERSE = """CREATE OR REPLACE FUNCTION ht_report_cells_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO layers_reportcell (level, cx, cy, month, category_id, status, ward_id, n)
    
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           r.category_id, r.status, r.ward_id, sum(r.d)::int
    FROM (SELECT location, reported_at, category_id, status, ward_id, 1 AS d FROM new_rows) r CROSS JOIN (VALUES (13), (15), (17), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(r.d) <> 0
;
    PERFORM nextval('ht_tile_generation');
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_cells_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO layers_reportcell (level, cx, cy, month, category_id, status, ward_id, n)
    
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           r.category_id, r.status, r.ward_id, sum(r.d)::int
    FROM (SELECT location, reported_at, category_id, status, ward_id, -1 AS d FROM old_rows) r CROSS JOIN (VALUES (13), (15), (17), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(r.d) <> 0
;
    PERFORM nextval('ht_tile_generation');
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_cells_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO layers_reportcell (level, cx, cy, month, category_id, status, ward_id, n)
    
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           r.category_id, r.status, r.ward_id, sum(r.d)::int
    FROM (
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
    ) r CROSS JOIN (VALUES (13), (15), (17), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(r.d) <> 0
;
    IF FOUND THEN
        PERFORM nextval('ht_tile_generation');
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_cells_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM layers_reportcell;
    PERFORM nextval('ht_tile_generation');
    RETURN NULL;
END;
$$;

DELETE FROM layers_reportcelltotal;"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0010_report_cell_totals")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
