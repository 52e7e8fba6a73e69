"""Reports' ward triggers call the one assignment function, ht_assign_ward('reported_at')
(ward_boundaries 0004), instead of their own copy, which is dropped. Same triggers, same
WHEN clauses (the bulk importer's switch, moves and time changes only), same answers."""

from django.db import migrations

SQL = """
DROP TRIGGER IF EXISTS report_assign_ward_ins ON gis_core_report;
DROP TRIGGER IF EXISTS report_assign_ward_upd ON gis_core_report;

CREATE TRIGGER report_assign_ward_ins
    BEFORE INSERT ON gis_core_report
    FOR EACH ROW
    WHEN (current_setting('hientruong.bulk_assigned', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ht_assign_ward('reported_at');

CREATE TRIGGER report_assign_ward_upd
    BEFORE UPDATE OF location, reported_at ON gis_core_report
    FOR EACH ROW
    WHEN (NOT (OLD.location ~= NEW.location) OR OLD.reported_at IS DISTINCT FROM NEW.reported_at)
    EXECUTE FUNCTION ht_assign_ward('reported_at');

DROP FUNCTION IF EXISTS ht_report_assign_ward();
"""

REVERSE = """
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

DROP TRIGGER IF EXISTS report_assign_ward_ins ON gis_core_report;
DROP TRIGGER IF EXISTS report_assign_ward_upd ON gis_core_report;

CREATE TRIGGER report_assign_ward_ins
    BEFORE INSERT ON gis_core_report
    FOR EACH ROW
    WHEN (current_setting('hientruong.bulk_assigned', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ht_report_assign_ward();

CREATE TRIGGER report_assign_ward_upd
    BEFORE UPDATE OF location, reported_at ON gis_core_report
    FOR EACH ROW
    WHEN (NOT (OLD.location ~= NEW.location) OR OLD.reported_at IS DISTINCT FROM NEW.reported_at)
    EXECUTE FUNCTION ht_report_assign_ward();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("gis_core", "0017_add_report_videos"),
        ("ward_boundaries", "0004_add_assign_ward_function"),
    ]

    operations = [migrations.RunSQL(sql=SQL, reverse_sql=REVERSE)]
