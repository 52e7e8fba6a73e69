"""Short human references (MC-2612-0042): a number per local month, set by the database.

Every insert path gets one: `report_reference_ins` fills `reference_month` (YYYYMM of
`reported_at` in Asia/Ho_Chi_Minh) and `reference_number` from a sequence of that month,
`ht_report_ref_YYYYMM`, created on first use. Sequences take no row lock, so concurrent
submissions never wait on each other (a counter row would serialise them until commit).
Numbers of a rolled-back insert are skipped: references are unique and stable, not gapless.
The bulk importer, whose COPY runs with triggers off, takes its numbers from the same
sequences (ht_report_reference_block). Existing reports are numbered in time order.
ht_report_submit() returns the two columns so the API answers with the reference.
"""

from django.conf import settings
from django.db import migrations, models

SQL = r"""
CREATE OR REPLACE FUNCTION ht_report_reference_sequence(p_month integer) RETURNS regclass
LANGUAGE plpgsql AS $$
DECLARE
    seq text := 'ht_report_ref_' || p_month;
    found regclass := to_regclass(seq);
BEGIN
    IF found IS NULL THEN
        BEGIN
            EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', seq);
        EXCEPTION WHEN unique_violation OR duplicate_table THEN
            NULL; -- another session created it first
        END;
        found := to_regclass(seq);
    END IF;
    RETURN found;
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_reference_month(p_at timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (extract(year FROM p_at AT TIME ZONE 'Asia/Ho_Chi_Minh') * 100
            + extract(month FROM p_at AT TIME ZONE 'Asia/Ho_Chi_Minh'))::integer
$$;

-- p_count numbers of one month, for the bulk importer (not contiguous when others insert).
CREATE OR REPLACE FUNCTION ht_report_reference_block(p_month integer, p_count integer)
RETURNS SETOF bigint
LANGUAGE plpgsql AS $$
DECLARE
    seq regclass := ht_report_reference_sequence(p_month);
BEGIN
    RETURN QUERY SELECT nextval(seq) FROM generate_series(1, p_count);
END;
$$;

CREATE OR REPLACE FUNCTION ht_report_assign_reference() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.reference_month := ht_report_reference_month(NEW.reported_at);
    NEW.reference_number := nextval(ht_report_reference_sequence(NEW.reference_month));
    RETURN NEW;
END;
$$;

CREATE TRIGGER report_reference_ins
    BEFORE INSERT ON gis_core_report
    FOR EACH ROW
    WHEN (NEW.reference_number IS NULL)
    EXECUTE FUNCTION ht_report_assign_reference();

-- Existing reports, numbered in time order within their month; then each month's sequence
-- continues after its last number.
WITH numbered AS (
    SELECT id, ht_report_reference_month(reported_at) AS m,
           row_number() OVER (
               PARTITION BY ht_report_reference_month(reported_at) ORDER BY reported_at, id
           ) AS n
    FROM gis_core_report
    WHERE reference_number IS NULL
)
UPDATE gis_core_report r SET reference_month = numbered.m, reference_number = numbered.n
FROM numbered WHERE r.id = numbered.id;

DO $$
DECLARE
    row record;
BEGIN
    FOR row IN SELECT reference_month AS m, max(reference_number) AS last
               FROM gis_core_report GROUP BY reference_month LOOP
        PERFORM setval(ht_report_reference_sequence(row.m), row.last);
    END LOOP;
END;
$$;

DROP FUNCTION IF EXISTS ht_report_submit(
    text, text, double precision, double precision, text, timestamptz, text, text, text, text, bigint
);

CREATE OR REPLACE FUNCTION ht_report_submit(
    p_category text, p_description text, p_lon double precision, p_lat double precision,
    p_source text, p_reported_at timestamptz, p_contact_name text, p_contact_phone text,
    p_contact_email text, p_key text, p_reporter bigint
) RETURNS TABLE (
    id bigint, public_id uuid, description text, x double precision, y double precision,
    ward_match text, ward_distance_m double precision, status text, source text,
    reported_at timestamptz, created_at timestamptz, updated_at timestamptz,
    category_id bigint, category_code text, name_vi text, name_en text,
    ward_id bigint, ward_code text, ward_name text, full_name text, unit_type text,
    version_id bigint, version_name text, reference_month integer, reference_number integer
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH inserted AS (
        INSERT INTO gis_core_report (
            category_id, description, location, status, source, reported_at,
            contact_name, contact_phone, contact_email, idempotency_key, reporter_id
        )
        SELECT c.id, p_description, ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326),
               'received', p_source, coalesce(p_reported_at, now()),
               p_contact_name, p_contact_phone, p_contact_email, p_key, p_reporter
        FROM gis_core_category c
        WHERE c.code = p_category AND c.is_active
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING *
    )
    SELECT i.id, i.public_id, i.description::text, ST_X(i.location), ST_Y(i.location),
           i.ward_match::text, i.ward_distance_m, i.status::text, i.source::text,
           i.reported_at, i.created_at, i.updated_at,
           c.id, c.code::text, c.name_vi::text, c.name_en::text,
           w.id, w.code::text, w.name::text, w.full_name::text, w.unit_type::text,
           v.id, v.name::text, i.reference_month::integer, i.reference_number::integer
    FROM inserted i
    JOIN gis_core_category c ON c.id = i.category_id
    LEFT JOIN ward_boundaries_ward w ON w.id = i.ward_id
    LEFT JOIN ward_boundaries_boundaryversion v ON v.id = w.version_id;
END;
$$;
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS report_reference_ins ON gis_core_report;
DROP FUNCTION IF EXISTS ht_report_assign_reference();
DROP FUNCTION IF EXISTS ht_report_reference_block(integer, integer);
DO $$
DECLARE
    row record;
BEGIN
    FOR row IN SELECT c.relname FROM pg_class c
               WHERE c.relkind = 'S' AND c.relname LIKE 'ht\_report\_ref\_%' LOOP
        EXECUTE format('DROP SEQUENCE IF EXISTS %I', row.relname);
    END LOOP;
END;
$$;
DROP FUNCTION IF EXISTS ht_report_reference_sequence(integer);
DROP FUNCTION IF EXISTS ht_report_reference_month(timestamptz);
DROP FUNCTION IF EXISTS ht_report_submit(
    text, text, double precision, double precision, text, timestamptz, text, text, text, text, bigint
);

CREATE OR REPLACE FUNCTION ht_report_submit(
    p_category text, p_description text, p_lon double precision, p_lat double precision,
    p_source text, p_reported_at timestamptz, p_contact_name text, p_contact_phone text,
    p_contact_email text, p_key text, p_reporter bigint
) RETURNS TABLE (
    id bigint, public_id uuid, description text, x double precision, y double precision,
    ward_match text, ward_distance_m double precision, status text, source text,
    reported_at timestamptz, created_at timestamptz, updated_at timestamptz,
    category_id bigint, category_code text, name_vi text, name_en text,
    ward_id bigint, ward_code text, ward_name text, full_name text, unit_type text,
    version_id bigint, version_name text
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH inserted AS (
        INSERT INTO gis_core_report (
            category_id, description, location, status, source, reported_at,
            contact_name, contact_phone, contact_email, idempotency_key, reporter_id
        )
        SELECT c.id, p_description, ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326),
               'received', p_source, coalesce(p_reported_at, now()),
               p_contact_name, p_contact_phone, p_contact_email, p_key, p_reporter
        FROM gis_core_category c
        WHERE c.code = p_category AND c.is_active
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING *
    )
    SELECT i.id, i.public_id, i.description::text, ST_X(i.location), ST_Y(i.location),
           i.ward_match::text, i.ward_distance_m, i.status::text, i.source::text,
           i.reported_at, i.created_at, i.updated_at,
           c.id, c.code::text, c.name_vi::text, c.name_en::text,
           w.id, w.code::text, w.name::text, w.full_name::text, w.unit_type::text,
           v.id, v.name::text
    FROM inserted i
    JOIN gis_core_category c ON c.id = i.category_id
    LEFT JOIN ward_boundaries_ward w ON w.id = i.ward_id
    LEFT JOIN ward_boundaries_boundaryversion v ON v.id = w.version_id;
END;
$$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('gis_core', '0015_add_rate_limit_buckets'),
        ('ward_boundaries', '0003_add_ward_lookup_function'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='reference_month',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='report',
            name='reference_number',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.UniqueConstraint(fields=('reference_month', 'reference_number'), name='report_unique_reference'),
        ),
        migrations.RunSQL(sql=SQL, reverse_sql=REVERSE),
    ]
