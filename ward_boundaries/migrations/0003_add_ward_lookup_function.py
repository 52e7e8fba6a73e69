"""ht_ward_lookup(): ht_ward_for_point() plus the ward's columns, as one plan-cached call.

The lookup API answers with the ward's name, unit type, district and version. Joining those
in a statement sent from Python costs a fresh plan per call (about 0.12 ms, as much as the
lookup itself); inside a PL/pgSQL function the plan is cached per session.
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION ht_ward_lookup(
    p geometry, at_date date, only_version bigint DEFAULT NULL
) RETURNS TABLE (
    match text, distance_m double precision, id bigint, code text, name text,
    full_name text, name_ascii text, unit_type text, district_name text, district_code text,
    province_name text, province_code text, population integer,
    version_id bigint, version_name text, valid_from date, valid_to date
)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT r.match, r.distance_m, w.id, w.code::text, w.name::text, w.full_name::text,
           w.name_ascii::text, w.unit_type::text, w.district_name::text,
           w.district_code::text, w.province_name::text, w.province_code::text,
           w.population, v.id, v.name::text, v.valid_from, v.valid_to
    FROM ht_ward_for_point(p, at_date, only_version) r
    JOIN ward_boundaries_ward w ON w.id = r.ward_id
    JOIN ward_boundaries_boundaryversion v ON v.id = w.version_id;
END;
$$;
"""

REVERSE = "DROP FUNCTION IF EXISTS ht_ward_lookup(geometry, date, bigint);"


class Migration(migrations.Migration):
    dependencies = [("ward_boundaries", "0002_add_ward_parts_and_assignment_function")]

    operations = [migrations.RunSQL(sql=SQL, reverse_sql=REVERSE)]
