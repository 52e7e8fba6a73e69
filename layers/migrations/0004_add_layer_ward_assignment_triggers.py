"""The database assigns the ward of every POI and WiFi site, by the rule that assigns reports.

One trigger function serves both tables (same column names). It calls ht_ward_for_point()
(ward_boundaries 0002) with today's date in Asia/Ho_Chi_Minh: a place has no "reported_at",
so it belongs to the ward in force today. Only an insert or a moved point re-decides the ward;
reassign runs can still set it by hand. Existing POIs are assigned once here.
"""

from django.db import migrations

SQL = """
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

UPDATE layers_pointofinterest p
SET ward_id = r.ward_id,
    ward_match = coalesce(r.match, 'outside'),
    ward_distance_m = r.distance_m
FROM layers_pointofinterest q
LEFT JOIN LATERAL ht_ward_for_point(
    q.location, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, NULL, NULL
) r ON true
WHERE q.id = p.id;
"""

REVERSE = """
DROP TRIGGER IF EXISTS poi_assign_ward_ins ON layers_pointofinterest;
DROP TRIGGER IF EXISTS poi_assign_ward_upd ON layers_pointofinterest;
DROP TRIGGER IF EXISTS wifi_assign_ward_ins ON layers_wifisite;
DROP TRIGGER IF EXISTS wifi_assign_ward_upd ON layers_wifisite;
DROP FUNCTION IF EXISTS ht_layer_assign_ward();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0003_fill_poi_name_ascii"),
        ("ward_boundaries", "0002_add_ward_parts_and_assignment_function"),
    ]

    operations = [migrations.RunSQL(sql=SQL, reverse_sql=REVERSE)]
