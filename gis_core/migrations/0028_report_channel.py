"""Every channel into one queue: `channel` says how a report reached the city, `entered_by`
which staff member typed it in (a call to the hotline, a letter, a walk-in).

Both columns are added without rewriting the table (a constant default; a nullable FK).
Existing rows: "app" (the default), "web" where the web map wrote them (source web), and
"open311" where an Open311 consent record says so; imports, admin and demo rows keep "app".
ht_report_submit() takes the channel and the entering staff member after the fingerprint.
"""

import django.db.models.deletion
from django.conf import settings
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

# The signature of 0027: the twelve of 0021, then the idempotency scope and fingerprint.
OLD_ARGS = "text, text, double precision, double precision, text, timestamptz, text, text, text, text, bigint, text, text, text"  # noqa: E501

FORWARD = f"""
DROP FUNCTION IF EXISTS ht_report_submit({OLD_ARGS});

CREATE OR REPLACE FUNCTION ht_report_submit(
    p_category text, p_description text, p_lon double precision, p_lat double precision,
    p_source text, p_reported_at timestamptz, p_contact_name text, p_contact_phone text,
    p_contact_email text, p_key text, p_reporter bigint, p_contact_phone_hash text,
    p_scope text, p_fingerprint text, p_channel text, p_entered_by bigint
) RETURNS TABLE ({COLUMNS})
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH inserted AS (
        INSERT INTO gis_core_report (
            category_id, description, location, status, source, reported_at,
            contact_name, contact_phone, contact_email, idempotency_key, reporter_id,
            contact_phone_hash, idempotency_scope, idempotency_fingerprint,
            channel, entered_by_id
        )
        SELECT c.id, p_description, ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326),
               'received', p_source, coalesce(p_reported_at, now()),
               p_contact_name, p_contact_phone, p_contact_email, p_key, p_reporter,
               p_contact_phone_hash, p_scope, p_fingerprint,
               p_channel, p_entered_by
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
DROP FUNCTION IF EXISTS ht_report_submit({OLD_ARGS}, text, bigint);

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

# Only the rows whose channel is known from elsewhere: the web map's and Open311's.
EXISTING_CHANNELS = """
UPDATE gis_core_report SET channel = 'web' WHERE source = 'web';
UPDATE gis_core_report r SET channel = 'open311'
FROM gis_core_contactconsent c
WHERE c.report_id = r.id AND c.channel = 'open311';
"""

CHANNEL_CHOICES = [
    ("app", "Ứng dụng"),
    ("web", "Bản đồ web"),
    ("hotline", "Đường dây nóng"),
    ("walk_in", "Trực tiếp"),
    ("letter", "Thư, đơn"),
    ("email", "Thư điện tử"),
    ("zalo", "Zalo"),
    ("open311", "Open311"),
]
SOURCE_CHOICES = [
    ("api", "API"),
    ("web", "Web map"),
    ("import", "Bulk import"),
    ("admin", "Admin"),
    ("demo", "Demo data"),
    ("staff", "Cán bộ nhập"),
    ("email", "Hộp thư e-mail"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("gis_core", "0027_report_idempotency_scope"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="channel",
            field=models.CharField(
                choices=CHANNEL_CHOICES, db_default="app", default="app", max_length=10
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="entered_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="entered_reports",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="source",
            field=models.CharField(
                choices=SOURCE_CHOICES, db_default="api", default="api", max_length=10
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("entered_by__isnull", False)),
                fields=["entered_by"],
                name="report_entered_by_idx",
            ),
        ),
        migrations.RunSQL(EXISTING_CHANNELS, migrations.RunSQL.noop),
        migrations.RunSQL(FORWARD, REVERSE),
    ]
