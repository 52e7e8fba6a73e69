"""Keeps layers_reportcell in step with gis_core_report, whatever writes the reports.

Statement-level AFTER triggers read the statement's transition tables, so a one-row
submission appends a handful of delta rows and a million-row COPY appends its aggregate in
one set-based INSERT. They are ENABLE ALWAYS: the bulk importer switches per-row triggers off
with session_replication_role = replica, and these must still count its rows.

An UPDATE counts only rows whose cell key changed (finest-level cell, local month, category,
status or ward): a -1 for the old key and a +1 for the new one, summed per key.

Every write also bumps the sequence ht_tile_generation, which keys the tile cache
(layers.tiles): a write makes every cached tile stale without touching a shared row.

Cell levels (13, 15, 17, 19) must match layers.report_cells.CELL_LEVELS, and the month is
local to Asia/Ho_Chi_Minh like every date filter (gis_core.selectors.local_midnight).
"""

from django.db import migrations

CELL_SELECT = """
    SELECT l.level,
           floor(ST_X(r.location) / (360.0::float8 / (1 << l.level)))::int,
           floor(ST_Y(r.location) / (360.0::float8 / (1 << l.level)))::int,
           date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
           r.category_id, r.status, r.ward_id, sum(r.d)::int
    FROM {source} r CROSS JOIN (VALUES (13), (15), (17), (19)) AS l(level)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(r.d) <> 0
"""

UPDATE_SOURCE = """(
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
    )"""

INSERT = "INSERT INTO layers_reportcell (level, cx, cy, month, category_id, status, ward_id, n)"

SQL = f"""
CREATE SEQUENCE ht_tile_generation;

CREATE OR REPLACE FUNCTION ht_report_cells_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    {INSERT}
    {CELL_SELECT.format(source="(SELECT location, reported_at, category_id, status, ward_id, 1 AS d FROM new_rows)")};
    PERFORM nextval('ht_tile_generation');
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_cells_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    {INSERT}
    {CELL_SELECT.format(source="(SELECT location, reported_at, category_id, status, ward_id, -1 AS d FROM old_rows)")};
    PERFORM nextval('ht_tile_generation');
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_cells_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    {INSERT}
    {CELL_SELECT.format(source=UPDATE_SOURCE)};
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

CREATE TRIGGER report_cells_ins AFTER INSERT ON gis_core_report
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ht_report_cells_insert();
CREATE TRIGGER report_cells_upd AFTER UPDATE ON gis_core_report
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ht_report_cells_update();
CREATE TRIGGER report_cells_del AFTER DELETE ON gis_core_report
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ht_report_cells_delete();
CREATE TRIGGER report_cells_trunc AFTER TRUNCATE ON gis_core_report
    FOR EACH STATEMENT EXECUTE FUNCTION ht_report_cells_truncate();

ALTER TABLE gis_core_report ENABLE ALWAYS TRIGGER report_cells_ins;
ALTER TABLE gis_core_report ENABLE ALWAYS TRIGGER report_cells_upd;
ALTER TABLE gis_core_report ENABLE ALWAYS TRIGGER report_cells_del;
ALTER TABLE gis_core_report ENABLE ALWAYS TRIGGER report_cells_trunc;

-- The reports already stored.
{INSERT}
{CELL_SELECT.format(source="(SELECT location, reported_at, category_id, status, ward_id, 1 AS d FROM gis_core_report)")};
"""

REVERSE = """
DROP TRIGGER IF EXISTS report_cells_ins ON gis_core_report;
DROP TRIGGER IF EXISTS report_cells_upd ON gis_core_report;
DROP TRIGGER IF EXISTS report_cells_del ON gis_core_report;
DROP TRIGGER IF EXISTS report_cells_trunc ON gis_core_report;
DROP FUNCTION IF EXISTS ht_report_cells_insert();
DROP FUNCTION IF EXISTS ht_report_cells_update();
DROP FUNCTION IF EXISTS ht_report_cells_delete();
DROP FUNCTION IF EXISTS ht_report_cells_truncate();
DROP SEQUENCE IF EXISTS ht_tile_generation;
DELETE FROM layers_reportcell;
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0008_report_cells")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
