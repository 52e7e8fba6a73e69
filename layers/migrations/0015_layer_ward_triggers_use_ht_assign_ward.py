"""POIs' and Wi-Fi sites' ward triggers call the one assignment function, ht_assign_ward()
(ward_boundaries 0004; no argument: today's local date), instead of their own copy, which is
dropped. Same triggers, same WHEN clauses, same answers."""

from django.db import migrations

SQL = """
DROP TRIGGER IF EXISTS poi_assign_ward_ins ON layers_pointofinterest;
DROP TRIGGER IF EXISTS poi_assign_ward_upd ON layers_pointofinterest;
DROP TRIGGER IF EXISTS wifi_assign_ward_ins ON layers_wifisite;
DROP TRIGGER IF EXISTS wifi_assign_ward_upd ON layers_wifisite;

CREATE TRIGGER poi_assign_ward_ins
    BEFORE INSERT ON layers_pointofinterest
    FOR EACH ROW EXECUTE FUNCTION ht_assign_ward();
CREATE TRIGGER poi_assign_ward_upd
    BEFORE UPDATE OF location ON layers_pointofinterest
    FOR EACH ROW WHEN (NOT (OLD.location ~= NEW.location))
    EXECUTE FUNCTION ht_assign_ward();

CREATE TRIGGER wifi_assign_ward_ins
    BEFORE INSERT ON layers_wifisite
    FOR EACH ROW EXECUTE FUNCTION ht_assign_ward();
CREATE TRIGGER wifi_assign_ward_upd
    BEFORE UPDATE OF location ON layers_wifisite
    FOR EACH ROW WHEN (NOT (OLD.location ~= NEW.location))
    EXECUTE FUNCTION ht_assign_ward();

DROP FUNCTION IF EXISTS ht_layer_assign_ward();
"""

REVERSE = """
CREATE OR REPLACE FUNCTION ht_layer_assign_ward() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    SELECT * INTO r
    FROM ht_ward_for_point(
        NEW.location, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, NULL, NULL
    );
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

DROP TRIGGER IF EXISTS poi_assign_ward_ins ON layers_pointofinterest;
DROP TRIGGER IF EXISTS poi_assign_ward_upd ON layers_pointofinterest;
DROP TRIGGER IF EXISTS wifi_assign_ward_ins ON layers_wifisite;
DROP TRIGGER IF EXISTS wifi_assign_ward_upd ON layers_wifisite;

CREATE TRIGGER poi_assign_ward_ins
    BEFORE INSERT ON layers_pointofinterest
    FOR EACH ROW EXECUTE FUNCTION ht_layer_assign_ward();
CREATE TRIGGER poi_assign_ward_upd
    BEFORE UPDATE OF location ON layers_pointofinterest
    FOR EACH ROW WHEN (NOT (OLD.location ~= NEW.location))
    EXECUTE FUNCTION ht_layer_assign_ward();

CREATE TRIGGER wifi_assign_ward_ins
    BEFORE INSERT ON layers_wifisite
    FOR EACH ROW EXECUTE FUNCTION ht_layer_assign_ward();
CREATE TRIGGER wifi_assign_ward_upd
    BEFORE UPDATE OF location ON layers_wifisite
    FOR EACH ROW WHEN (NOT (OLD.location ~= NEW.location))
    EXECUTE FUNCTION ht_layer_assign_ward();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0014_drop_report_insert_trigger"),
        ("ward_boundaries", "0004_add_assign_ward_function"),
    ]

    operations = [migrations.RunSQL(sql=SQL, reverse_sql=REVERSE)]
