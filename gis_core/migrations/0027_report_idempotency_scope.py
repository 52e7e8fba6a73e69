"""Idempotency keys count per client: unique over (idempotency_scope, idempotency_key), with
the submission's fingerprint stored beside them (gis_core.idempotency).

Both columns are added with a constant default, which PostgreSQL records in the catalogue
without rewriting the table; existing reports (and imports, which never set a scope) keep
the empty scope, so their keys stay unique among themselves as before. ht_report_submit()
takes the scope and fingerprint (after the phone's keyed hash of 0021) and detects a repeat
on the new constraint.
"""

from django.db import migrations, models

COLUMNS = """
    id bigint, public_id uuid, description text, x double precision, y double precision,
    ward_match text, ward_distance_m double precision, status text, source text,
    reported_at timestamptz, created_at timestamptz, updated_at timestamptz,
    category_id bigint, category_code text, name_vi text, name_en text,
    ward_id bigint, ward_code text, ward_name text, full_name text, unit_type text,
    version_id bigint, version_name text, reference_month integer, reference_number integer
"""

SELECT_BACK = """
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
"""

# The signature of 0021: the eleven of 0016, then the phone's keyed hash.
OLD_ARGS = "text, text, double precision, double precision, text, timestamptz, text, text, text, text, bigint, text"  # noqa: E501

FORWARD = f"""
DROP FUNCTION IF EXISTS ht_report_submit({OLD_ARGS});

CREATE OR REPLACE FUNCTION ht_report_submit(
    p_category text, p_description text, p_lon double precision, p_lat double precision,
    p_source text, p_reported_at timestamptz, p_contact_name text, p_contact_phone text,
    p_contact_email text, p_key text, p_reporter bigint, p_contact_phone_hash text,
    p_scope text, p_fingerprint text
) RETURNS TABLE ({COLUMNS})
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH inserted AS (
        INSERT INTO gis_core_report (
            category_id, description, location, status, source, reported_at,
            contact_name, contact_phone, contact_email, idempotency_key, reporter_id,
            contact_phone_hash, idempotency_scope, idempotency_fingerprint
        )
        SELECT c.id, p_description, ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326),
               'received', p_source, coalesce(p_reported_at, now()),
               p_contact_name, p_contact_phone, p_contact_email, p_key, p_reporter,
               p_contact_phone_hash, p_scope, p_fingerprint
        FROM gis_core_category c
        WHERE c.code = p_category AND c.is_active
        ON CONFLICT (idempotency_scope, idempotency_key) DO NOTHING
        RETURNING *
    )
    {SELECT_BACK}
END;
$$;
"""

REVERSE = f"""
DROP FUNCTION IF EXISTS ht_report_submit({OLD_ARGS}, text, text);

CREATE OR REPLACE FUNCTION ht_report_submit(
    p_category text, p_description text, p_lon double precision, p_lat double precision,
    p_source text, p_reported_at timestamptz, p_contact_name text, p_contact_phone text,
    p_contact_email text, p_key text, p_reporter bigint, p_contact_phone_hash text
) RETURNS TABLE ({COLUMNS})
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH inserted AS (
        INSERT INTO gis_core_report (
            category_id, description, location, status, source, reported_at,
            contact_name, contact_phone, contact_email, idempotency_key, reporter_id,
            contact_phone_hash
        )
        SELECT c.id, p_description, ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326),
               'received', p_source, coalesce(p_reported_at, now()),
               p_contact_name, p_contact_phone, p_contact_email, p_key, p_reporter,
               p_contact_phone_hash
        FROM gis_core_category c
        WHERE c.code = p_category AND c.is_active
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING *
    )
    {SELECT_BACK}
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("gis_core", "0026_privacy_consent_access_erasure")]

    operations = [
        migrations.AddField(
            model_name="report",
            name="idempotency_scope",
            field=models.CharField(blank=True, db_default="", default="", max_length=32),
        ),
        migrations.AddField(
            model_name="report",
            name="idempotency_fingerprint",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        # The new constraint first: the function is replaced while a unique index on
        # idempotency_key still exists for the old one's ON CONFLICT.
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                fields=("idempotency_scope", "idempotency_key"),
                name="report_unique_scoped_idempotency_key",
            ),
        ),
        migrations.RunSQL(FORWARD, REVERSE),
        migrations.RemoveConstraint(model_name="report", name="report_unique_idempotency_key"),
    ]
