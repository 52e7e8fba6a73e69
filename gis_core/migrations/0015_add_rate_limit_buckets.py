"""Rate limits shared by every worker: an UNLOGGED table of GCRA buckets and one SQL function
that checks and charges all of a request's buckets in one round trip (gis_core.ratelimit).

UNLOGGED because a counter lost in a crash costs nothing (limits restart empty) while the
write-ahead log would double the cost of every charge. The function is plpgsql so that the
"charge every key or none" rule runs inside the database, atomically, with its plan cached.
"""

from django.db import migrations, models

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION ht_rate_limit_hit(
    keys text[], emission_s float8[], window_s float8[]
) RETURNS float8 LANGUAGE plpgsql AS $$
-- Generic cell rate algorithm: a bucket allows window/emission requests at once, then one
-- every emission seconds. Returns 0 when every key accepted the request (each was charged),
-- otherwise the seconds until all would accept it (and no key stays charged).
DECLARE
    t timestamptz := clock_timestamp();
    n int := coalesce(array_length(keys, 1), 0);
    charged boolean[] := array_fill(false, ARRAY[greatest(n, 1)]);
    wait float8 := 0;
    i int;
    current_tat timestamptz;
BEGIN
    FOR i IN 1 .. n LOOP
        INSERT INTO gis_core_ratelimitbucket AS b (key, tat)
        VALUES (keys[i], t + make_interval(secs => emission_s[i]))
        ON CONFLICT (key) DO UPDATE
            SET tat = greatest(b.tat, t) + make_interval(secs => emission_s[i])
            WHERE greatest(b.tat, t) + make_interval(secs => emission_s[i])
                  <= t + make_interval(secs => window_s[i]);
        IF FOUND THEN
            charged[i] := true;
        ELSE
            SELECT b.tat INTO current_tat FROM gis_core_ratelimitbucket b WHERE b.key = keys[i];
            wait := greatest(wait, extract(epoch FROM
                current_tat + make_interval(secs => emission_s[i])
                - make_interval(secs => window_s[i]) - t));
        END IF;
    END LOOP;
    IF wait > 0 THEN
        FOR i IN 1 .. n LOOP
            IF charged[i] THEN
                UPDATE gis_core_ratelimitbucket
                SET tat = tat - make_interval(secs => emission_s[i]) WHERE key = keys[i];
            END IF;
        END LOOP;
    END IF;
    RETURN greatest(wait, 0);
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("gis_core", "0014_add_answer_photos")]

    operations = [
        migrations.CreateModel(
            name="RateLimitBucket",
            fields=[
                ("key", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("tat", models.DateTimeField()),
            ],
        ),
        migrations.RunSQL(
            sql="ALTER TABLE gis_core_ratelimitbucket SET UNLOGGED",
            reverse_sql="ALTER TABLE gis_core_ratelimitbucket SET LOGGED",
        ),
        migrations.RunSQL(
            sql=FUNCTION_SQL,
            reverse_sql="DROP FUNCTION IF EXISTS ht_rate_limit_hit(text[], float8[], float8[])",
        ),
    ]
