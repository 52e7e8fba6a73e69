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

import importlib

from django.db import migrations

m0011 = importlib.import_module("layers.migrations.0011_report_cell_total_triggers")

# No state row (a test database flushed) means nothing is folded.
FOLDED = "coalesce((SELECT folded_id FROM layers_reportcellstate WHERE id = 1), 0)"

DELETED = (
    "SELECT location, reported_at, category_id, status, ward_id, -1 AS d FROM old_rows "
    f"WHERE id <= {FOLDED}"
)
UPDATED = m0011.UPDATED.replace(
    "WHERE o.status IS DISTINCT FROM n.status",
    f"WHERE o.id <= {FOLDED} AND (o.status IS DISTINCT FROM n.status",
).replace(
    "IS DISTINCT FROM floor(ST_Y(n.location) / (360.0::float8 / (1 << 19)))\n        )",
    "IS DISTINCT FROM floor(ST_Y(n.location) / (360.0::float8 / (1 << 19))))\n        )",
)
assert UPDATED.count(FOLDED) == 1 and UPDATED.count("(1 << 19))))") == 1

SQL = (
    f"""
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
"""
    + m0011.function("ht_report_cells_delete", DELETED)
    + m0011.function("ht_report_cells_update", UPDATED)
)

REVERSE = (
    m0011.SQL[: m0011.SQL.index("-- The reports already stored.")]
    + """
DROP TRIGGER report_cells_ins ON gis_core_report;
CREATE TRIGGER report_cells_ins AFTER INSERT ON gis_core_report
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ht_report_cells_insert();
ALTER TABLE gis_core_report ENABLE ALWAYS TRIGGER report_cells_ins;
DELETE FROM layers_reportcellstate;
"""
)


class Migration(migrations.Migration):
    dependencies = [("layers", "0012_report_cell_state")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
