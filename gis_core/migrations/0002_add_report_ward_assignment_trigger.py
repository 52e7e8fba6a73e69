"""The database assigns each report's ward, so every insert path gets the same answer.

The trigger calls ht_ward_for_point() (ward_boundaries 0002) with the report's local date
(Asia/Ho_Chi_Minh), which picks the boundary versions in force when the report was made.

The bulk importer assigns wards in process with the same rule (tested to agree point for
point) and sets `hientruong.bulk_assigned = on` for its own transaction only; the WHEN clause
then skips the trigger without even calling the function.
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION ht_report_assign_ward() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    SELECT * INTO r
    FROM ht_ward_for_point(NEW.location, (NEW.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
    IF FOUND THEN
        NEW.ward_id := r.ward_id;
        NEW.ward_match := r.match;
        NEW.ward_distance_m := r.distance_m;
    ELSE
        NEW.ward_id := NULL;
        NEW.ward_match := 'outside';
        NEW.ward_distance_m := NULL;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER report_assign_ward_ins
    BEFORE INSERT ON gis_core_report
    FOR EACH ROW
    WHEN (current_setting('hientruong.bulk_assigned', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ht_report_assign_ward();

-- Only a moved point or a changed report time re-decides the ward; saving a status change
-- keeps a ward that reassign_wards --version set on purpose.
CREATE TRIGGER report_assign_ward_upd
    BEFORE UPDATE OF location, reported_at ON gis_core_report
    FOR EACH ROW
    WHEN (NOT (OLD.location ~= NEW.location) OR OLD.reported_at IS DISTINCT FROM NEW.reported_at)
    EXECUTE FUNCTION ht_report_assign_ward();
"""

REVERSE = """
DROP TRIGGER IF EXISTS report_assign_ward_ins ON gis_core_report;
DROP TRIGGER IF EXISTS report_assign_ward_upd ON gis_core_report;
DROP FUNCTION IF EXISTS ht_report_assign_ward();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("gis_core", "0001_initial"),
        ("ward_boundaries", "0002_add_ward_parts_and_assignment_function"),
    ]

    operations = [migrations.RunSQL(sql=SQL, reverse_sql=REVERSE)]
