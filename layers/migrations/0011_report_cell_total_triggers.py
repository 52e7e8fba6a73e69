"""The report cell triggers (0009) also feed layers_reportcelltotal, at levels 11-19.

Same work as 0009 plus an INSERT into the totals table, in one statement per trigger: the
transition rows are read once (a materialized CTE) and summed into both tables. TOTAL_LEVELS must match
layers.report_cells.TOTAL_LEVELS. The reverse restores 0009's functions.
"""

import importlib

from django.db import migrations

m0009 = importlib.import_module("layers.migrations.0009_report_cell_triggers")

TOTAL_LEVELS = "(11), (12), (13), (14), (15), (16), (17), (18), (19)"

CELLS = """
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
"""

TOTALS = f"""
    INSERT INTO layers_reportcelltotal (level, cx, cy, month, n)
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           sum(r.d)::int
    FROM delta r CROSS JOIN (VALUES {TOTAL_LEVELS}) AS l(level)
    GROUP BY 1, 2, 3, 4
    HAVING sum(r.d) <> 0
    RETURNING 1
"""


def function(name: str, source: str) -> str:
    """A trigger function: one statement reads the delta rows once and feeds both tables."""
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    WITH delta AS MATERIALIZED ({source}),
         cells AS ({CELLS}),
         totals AS ({TOTALS})
    SELECT (SELECT count(*) FROM cells) + (SELECT count(*) FROM totals) INTO written;
    IF written > 0 THEN
        PERFORM nextval('ht_tile_generation');
    END IF;
    RETURN NULL;
END;
$$;
"""


INSERTED = "SELECT location, reported_at, category_id, status, ward_id, 1 AS d FROM new_rows"
DELETED = "SELECT location, reported_at, category_id, status, ward_id, -1 AS d FROM old_rows"
UPDATED = m0009.UPDATE_SOURCE.strip()[1:-1]  # the changed rows, -1 old and +1 new

SQL = (
    function("ht_report_cells_insert", INSERTED)
    + function("ht_report_cells_delete", DELETED)
    + function("ht_report_cells_update", UPDATED)
    + """
CREATE OR REPLACE FUNCTION ht_report_cells_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM layers_reportcell;
    DELETE FROM layers_reportcelltotal;
    PERFORM nextval('ht_tile_generation');
    RETURN NULL;
END;
$$;
"""
    + f"""
-- The reports already stored.
INSERT INTO layers_reportcelltotal (level, cx, cy, month, n)
SELECT l.level,
       floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
       floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
       date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
       count(*)
FROM gis_core_report r CROSS JOIN (VALUES {TOTAL_LEVELS}) AS l(level)
GROUP BY 1, 2, 3, 4;
"""
)

REVERSE = (
    m0009.SQL[m0009.SQL.index("CREATE OR REPLACE FUNCTION") : m0009.SQL.index("CREATE TRIGGER")]
    + "DELETE FROM layers_reportcelltotal;"
)


class Migration(migrations.Migration):
    dependencies = [("layers", "0010_report_cell_totals")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
