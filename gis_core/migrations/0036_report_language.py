"""Report.language: the language the citizen reported in, so the receipt and every status
message reach them in it (issue 12); and Vietnamese labels for the sources, the consent
channel "e-mail" and the reminder kinds, which were English.

The column is added without rewriting the table (a constant default): existing rows, and
every insert that does not name it (the bulk importer's COPY, the admin), are Vietnamese.
ht_report_submit() takes the language after the entering staff member.
"""

from django.db import migrations, models

# As gis_core 0028 left them (ht_report_submit()'s result and read-back are unchanged).
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

# The signature of 0028: fourteen up to the fingerprint, then the channel and entered_by.
OLD_ARGS = "text, text, double precision, double precision, text, timestamptz, text, text, text, text, bigint, text, text, text, text, bigint"  # noqa: E501

FORWARD = f"""
DROP FUNCTION IF EXISTS ht_report_submit({OLD_ARGS});

CREATE OR REPLACE FUNCTION ht_report_submit(
    p_category text, p_description text, p_lon double precision, p_lat double precision,
    p_source text, p_reported_at timestamptz, p_contact_name text, p_contact_phone text,
    p_contact_email text, p_key text, p_reporter bigint, p_contact_phone_hash text,
    p_scope text, p_fingerprint text, p_channel text, p_entered_by bigint, p_language text
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
            channel, entered_by_id, language
        )
        SELECT c.id, p_description, ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326),
               'received', p_source, coalesce(p_reported_at, now()),
               p_contact_name, p_contact_phone, p_contact_email, p_key, p_reporter,
               p_contact_phone_hash, p_scope, p_fingerprint,
               p_channel, p_entered_by, coalesce(p_language, 'vi')
        FROM gis_core_category c
        WHERE c.code = p_category AND c.is_active
        ON CONFLICT (idempotency_scope, idempotency_key) DO NOTHING
        RETURNING *
    )
    {SELECT_BACK}
END;
$$;
"""

# 0028's function, in full.
REVERSE = f"""
DROP FUNCTION IF EXISTS ht_report_submit({OLD_ARGS}, text);

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

LANGUAGE_CHOICES = [("vi", "Tiếng Việt"), ("en", "English"), ("zh-hans", "中文")]
CONSENT_CHANNEL_CHOICES = [
    ("web", "Bản đồ web"),
    ("app", "Ứng dụng (API)"),
    ("open311", "Open311"),
    ("import", "Nhập dữ liệu"),
    ("staff", "Cán bộ nhập"),
    ("email", "Thư điện tử"),
]
REMINDER_KIND_CHOICES = [("before_due", "Trước hạn xử lý"), ("overdue", "Quá hạn xử lý")]
SOURCE_CHOICES = [
    ("api", "API"),
    ("web", "Bản đồ web"),
    ("import", "Nhập dữ liệu"),
    ("admin", "Trang quản trị"),
    ("demo", "Dữ liệu mẫu"),
    ("staff", "Cán bộ nhập"),
    ("email", "Hộp thư e-mail"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("gis_core", "0035_names_in_three_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="language",
            field=models.CharField(
                choices=LANGUAGE_CHOICES, db_default="vi", default="vi", max_length=10
            ),
        ),
        migrations.AlterField(
            model_name="contactconsent",
            name="channel",
            field=models.CharField(choices=CONSENT_CHANNEL_CHOICES, max_length=10),
        ),
        migrations.AlterField(
            model_name="remindersent",
            name="kind",
            field=models.CharField(choices=REMINDER_KIND_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="report",
            name="source",
            field=models.CharField(
                choices=SOURCE_CHOICES, db_default="api", default="api", max_length=10
            ),
        ),
        migrations.RunSQL(FORWARD, REVERSE),
    ]
