"""Reports' contact columns encrypted at rest (common.encrypted_fields), the phone's keyed
hash beside them for sign-in, and ht_report_submit() taking that hash.

The columns become text in place (varchar to text rewrites nothing), the hash column is
added with its default, then the rows with a contact are encrypted in batches (reverse:
decrypted) without touching `updated_at`. A trigger blanks the hash whenever the phone is
blanked (retention, erasure, any ORM update), and a check refuses a phone without its hash.
"""

import django.core.validators
from django.db import migrations, models

import common.encrypted_fields
from gis_core.contact_crypto import contacts_rewrite, decrypt_row, encrypt_row

# ht_report_submit() as in gis_core 0016, with or without the phone's hash parameter.
_SUBMIT = """
CREATE OR REPLACE FUNCTION ht_report_submit(
    p_category text, p_description text, p_lon double precision, p_lat double precision,
    p_source text, p_reported_at timestamptz, p_contact_name text, p_contact_phone text,
    p_contact_email text, p_key text, p_reporter bigint{hash_param}
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
            contact_name, contact_phone, contact_email, idempotency_key, reporter_id{hash_column}
        )
        SELECT c.id, p_description, ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326),
               'received', p_source, coalesce(p_reported_at, now()),
               p_contact_name, p_contact_phone, p_contact_email, p_key, p_reporter{hash_value}
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
_ARGS = "text, text, double precision, double precision, text, timestamptz, text, text, text, text, bigint"

SQL = f"""
DROP FUNCTION IF EXISTS ht_report_submit({_ARGS});
{_SUBMIT.format(hash_param=", p_contact_phone_hash text", hash_column=", contact_phone_hash",
                hash_value=", p_contact_phone_hash")}

CREATE OR REPLACE FUNCTION ht_report_blank_phone_hash() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.contact_phone_hash := '';
    RETURN NEW;
END;
$$;
CREATE TRIGGER report_blank_phone_hash
    BEFORE INSERT OR UPDATE OF contact_phone ON gis_core_report
    FOR EACH ROW WHEN (NEW.contact_phone = '' AND NEW.contact_phone_hash <> '')
    EXECUTE FUNCTION ht_report_blank_phone_hash();

ALTER TABLE gis_core_report ADD CONSTRAINT report_phone_has_hash
    CHECK (contact_phone = '' OR contact_phone_hash <> '');
"""

REVERSE = f"""
ALTER TABLE gis_core_report DROP CONSTRAINT IF EXISTS report_phone_has_hash;
DROP TRIGGER IF EXISTS report_blank_phone_hash ON gis_core_report;
DROP FUNCTION IF EXISTS ht_report_blank_phone_hash();
DROP FUNCTION IF EXISTS ht_report_submit({_ARGS}, text);
{_SUBMIT.format(hash_param="", hash_column="", hash_value="")}
"""


def encrypt(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        contacts_rewrite(cursor, encrypt_row)


def decrypt(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        contacts_rewrite(cursor, decrypt_row)


class Migration(migrations.Migration):
    dependencies = [
        ("gis_core", "0018_report_ward_trigger_uses_ht_assign_ward"),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="contact_name",
            field=common.encrypted_fields.EncryptedTextField(
                blank=True, db_default="", max_length=120
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="contact_phone",
            field=common.encrypted_fields.EncryptedPhoneField(
                blank=True, db_default="", hash_field="contact_phone_hash", max_length=30
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="contact_email",
            field=common.encrypted_fields.EncryptedTextField(
                blank=True,
                db_default="",
                max_length=254,
                validators=[django.core.validators.EmailValidator()],
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="contact_phone_hash",
            field=common.encrypted_fields.PhoneHashField(db_default="", source="contact_phone"),
        ),
        migrations.RunPython(encrypt, decrypt),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("contact_phone_hash", ""), _negated=True),
                fields=["contact_phone_hash"],
                name="report_phone_hash_idx",
            ),
        ),
        migrations.RunSQL(SQL, REVERSE),
    ]
