"""One trigger function assigns the ward of every row with a place: reports, POIs, Wi-Fi sites.

Until now reports (gis_core 0002) and map layers (layers 0004) each had their own copy of
the same body, differing only in the day they asked ht_ward_for_point() about. Here that day
comes from the trigger's argument: the name of a timestamp column (a report's reported_at),
read in local time (Asia/Ho_Chi_Minh, common.local_time.LOCAL_TIME_ZONE); without an
argument, today's local date (a place has no time of its own). The tables switch to it in
their own apps' migrations (gis_core 0018, layers 0015), which drop the old copies.
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION ht_assign_ward() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    stamp timestamptz := now();
    r record;
BEGIN
    IF TG_NARGS > 0 THEN
        -- Dynamic, because a trigger function cannot name a column of every table it serves.
        EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) INTO stamp USING NEW;
    END IF;
    SELECT * INTO r
    FROM ht_ward_for_point(NEW.location, (stamp AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
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
"""

REVERSE = "DROP FUNCTION IF EXISTS ht_assign_ward();"


class Migration(migrations.Migration):
    dependencies = [("ward_boundaries", "0003_add_ward_lookup_function")]

    operations = [migrations.RunSQL(sql=SQL, reverse_sql=REVERSE)]
