"""ht_report_submit() also records the signed-in reporter (accounts), so a citizen's own
reports can be listed; the previous signature is dropped."""

from django.db import migrations

SQL = """
DROP FUNCTION IF EXISTS ht_report_submit(
    text, text, double precision, double precision, text, timestamptz, text, text, text, text
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

REVERSE = """
DROP FUNCTION IF EXISTS ht_report_submit(
    text, text, double precision, double precision, text, timestamptz, text, text, text, text, bigint
);

CREATE OR REPLACE FUNCTION ht_report_submit(
    p_category text, p_description text, p_lon double precision, p_lat double precision,
    p_source text, p_reported_at timestamptz, p_contact_name text, p_contact_phone text,
    p_contact_email text, p_key text
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
            contact_name, contact_phone, contact_email, idempotency_key
        )
        SELECT c.id, p_description, ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326),
               'received', p_source, coalesce(p_reported_at, now()),
               p_contact_name, p_contact_phone, p_contact_email, p_key
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
    dependencies = [("gis_core", "0010_seed_staff_groups")]

    operations = [migrations.RunSQL(sql=SQL, reverse_sql=REVERSE)]
