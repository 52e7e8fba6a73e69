"""Contact data encrypted at rest: what the database holds (raw SQL, every column as text) is
ciphertext and keyed hashes, never a reporter's phone, name or e-mail; the application still
reads them, sign-in still claims earlier reports, keys rotate, a missing key is a clear error,
and the migration encrypts existing rows and decrypts them again on the way back."""

from __future__ import annotations

import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from rest_framework.test import APIClient

from common.field_crypto import FieldKeyError, phone_hash
from gis_core import sms
from gis_core.key_checks import field_keys_open_stored_contacts
from gis_core.models import Category, Report
from gis_core.retention import reports_anonymise
from tests.ward_boundaries import geometry_cases as cases

REPO = Path(__file__).resolve().parents[2]
POINT = cases.interior_points("mong_cai_wards_2025_derived.geojson")["06709"]
DIGITS = "912345678"  # of 0912 345 678, in any stored form (+84912345678, 0912345678)
NAME = "Nguyễn Thị Bí Mật"
EMAIL = "bimat@example.vn"


def _dump(*tables: str) -> str:
    """Every row of `tables` as text, as pg_dump would show them."""
    parts = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT t::text FROM {table} t")  # noqa: S608 - constant names
            parts.extend(row[0] for row in cursor.fetchall())
    return "\n".join(parts)


def _no_plain_contact(text: str) -> None:
    for secret in (DIGITS, NAME, EMAIL, "Bí Mật", "bimat"):
        assert secret not in text


def _submit(client: APIClient, **contact: str):
    body = {"category": "moi_truong", "description": "Rác", "lon": POINT[0], "lat": POINT[1]}
    body["consent_notice_version"] = settings.PRIVACY_NOTICE_VERSION  # contact needs consent
    response = client.post(reverse("api:report-list"), {**body, **contact}, format="json")
    assert response.status_code == 201, response.content
    return Report.objects.get(public_id=response.json()["id"])


def _raw_phone(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM gis_core_report WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)


@pytest.mark.django_db
def test_database_holds_no_plain_contact_and_the_app_reads_it(mong_cai_wards, seed_categories):
    report = _submit(
        APIClient(), contact_name=NAME, contact_phone="0912 345 678", contact_email=EMAIL
    )
    _no_plain_contact(_dump("gis_core_report"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_phone, contact_email, contact_phone_hash "
            "FROM gis_core_report WHERE id = %s",
            [report.pk],
        )
        name, phone, email, hashed = cursor.fetchone()
    assert all(value.startswith("gAAAAA") for value in (name, phone, email))  # Fernet tokens
    assert hashed == phone_hash("+84912345678") and len(hashed) == 64
    report.refresh_from_db()
    assert (report.contact_name, report.contact_phone, report.contact_email) == (
        NAME,
        "+84912345678",
        EMAIL,
    )
    # Empty stays empty, so "has a contact" is still a plain comparison.
    bare = _submit(APIClient())
    assert Report.objects.filter(contact_phone="").get() == bare
    assert list(Report.objects.exclude(contact_email="")) == [report]


@pytest.mark.django_db
def test_encrypted_columns_refuse_comparisons_except_the_phone_by_its_hash(
    mong_cai_wards, seed_categories
):
    report = _submit(APIClient(), contact_name=NAME, contact_phone="0912345678")
    assert list(Report.objects.filter(contact_phone="+84 912 345 678")) == [report]
    assert not Report.objects.filter(contact_phone="+84999999999").exists()
    with pytest.raises(FieldError):
        list(Report.objects.filter(contact_name=NAME))
    with pytest.raises(FieldError):
        list(Report.objects.filter(contact_phone__contains=DIGITS))


@pytest.mark.django_db
def test_sign_in_claims_earlier_reports_and_keeps_no_plain_phone(
    mong_cai_wards, seed_categories, tmp_path
):
    sms.outbox.clear()
    earlier = _submit(APIClient(), contact_phone="0912 345 678", contact_name=NAME)
    other = _submit(APIClient(), contact_phone="0999 999 999")
    # A legacy import with the same phone is claimed too (the COPY path writes the hash).
    legacy = tmp_path / "legacy.csv"
    legacy.write_text(
        "id,category,description,lon,lat,reported_at,contact_phone,contact_name\n"
        f"L1,moi_truong,Cũ,{POINT[0]},{POINT[1]},2025-08-01 08:00,+84912345678,{NAME}\n",
        encoding="utf-8",
    )
    call_command("import_reports", str(legacy), stdout=StringIO(), stderr=StringIO())
    imported = Report.objects.get(idempotency_key="legacy:L1")
    assert imported.contact_phone == "+84912345678" and imported.contact_name == NAME

    client = APIClient()
    asked = client.post(reverse("api:auth-code"), {"phone": "0912345678"}, format="json")
    assert asked.status_code == 202
    response = client.post(
        reverse("api:auth-login"), {"phone": "0912345678", "code": _code()}, format="json"
    )
    assert response.json() == {"phone": "+84912345678", "claimed_reports": 2}
    user = get_user_model().objects.get(reports=earlier)
    assert set(Report.objects.filter(reporter=user)) == {earlier, imported}
    assert Report.objects.get(pk=other.pk).reporter is None
    # Neither the report rows, nor the account, nor the login codes hold the phone in clear.
    _no_plain_contact(
        _dump("gis_core_report", "auth_user", "gis_core_phonelogincode", "gis_core_citizenphone")
    )
    assert user.username == phone_hash("+84912345678")
    export = client.get(reverse("api:my-export")).json()
    assert export["account"]["phone"] == "+84912345678"


@pytest.mark.django_db
def test_blanking_the_phone_blanks_its_hash(mong_cai_wards, seed_categories):
    report = _submit(APIClient(), contact_phone="0912345678")
    Report.objects.filter(pk=report.pk).update(contact_phone="")  # an ORM update (erasure)
    assert Report.objects.values_list("contact_phone_hash", flat=True).get(pk=report.pk) == ""
    report = _submit(APIClient(), contact_phone="0912345678")
    Report.objects.filter(pk=report.pk).update(status="resolved", resolved_at="2020-01-01T00:00Z")
    reports_anonymise(cutoff=report.created_at.replace(year=2100))
    assert Report.objects.values_list("contact_phone_hash", flat=True).get(pk=report.pk) == ""
    assert not Report.objects.filter(contact_phone="0912345678").exists()


@pytest.mark.django_db
def test_keys_rotate_and_a_missing_key_is_a_clear_error(mong_cai_wards, seed_categories, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    report = _submit(APIClient(), contact_name=NAME, contact_phone="0912345678")
    before = _raw_phone(report.pk)

    settings.FIELD_ENCRYPTION_KEYS = [new, old]  # a new key first: old rows still open
    assert Report.objects.get(pk=report.pk).contact_name == NAME
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "1 report(s)" in out.getvalue()

    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key can go now
    assert Report.objects.get(pk=report.pk).contact_phone == "+84912345678"
    assert _raw_phone(report.pk) != before  # re-encrypted, under the new key only
    assert Fernet(new).decrypt(_raw_phone(report.pk).encode()) == b"+84912345678"
    assert Report.objects.filter(contact_phone="0912345678").get() == report  # hash kept

    settings.FIELD_ENCRYPTION_KEYS = [old]  # the new key lost: a clear error, not ciphertext
    with pytest.raises(FieldKeyError, match="HT_FIELD_KEYS"):
        Report.objects.get(pk=report.pk)
    errors = field_keys_open_stored_contacts(databases=["default"])
    assert [e.id for e in errors] == ["gis_core.E020"]
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert field_keys_open_stored_contacts(databases=["default"]) == []


def test_a_malformed_key_stops_start_up_without_echoing_it():
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.SECRET_KEY"],
        cwd=REPO,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "HT_FIELD_KEYS": "not-a-key-x"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "HT_FIELD_KEYS: key 1 of 1 is not a Fernet key" in result.stderr
    assert "not-a-key-x" not in result.stderr


@pytest.mark.django_db(transaction=True)
def test_migration_encrypts_existing_rows_and_reverse_decrypts(mong_cai_wards, seed_categories):
    before = [("gis_core", "0018_report_ward_trigger_uses_ht_assign_ward")]
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    category = Category.objects.get(code="khac").pk
    try:
        executor.migrate(before)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO gis_core_report (category_id, description, location, contact_name,"
                " contact_phone, contact_email) VALUES (%s, 'cũ', ST_SetSRID(ST_MakePoint(%s, %s),"
                " 4326), %s, '+84912345678', %s) RETURNING id, updated_at",
                [category, POINT[0], POINT[1], NAME, EMAIL],
            )
            pk, updated_at = cursor.fetchone()
            cursor.execute(
                "INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active,"
                " first_name, last_name, email, date_joined)"
                " VALUES ('+84912345678', '!', false, false, true, '', '', '', now())"
            )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        _no_plain_contact(_dump("gis_core_report", "auth_user"))
        report = Report.objects.get(pk=pk)
        assert (report.contact_name, report.contact_phone, report.contact_email) == (
            NAME,
            "+84912345678",
            EMAIL,
        )
        assert report.updated_at == updated_at  # the retention clock is not reset
        assert Report.objects.filter(contact_phone="0912345678").get() == report

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT contact_name, contact_phone, contact_email FROM gis_core_report"
                " WHERE id = %s",
                [pk],
            )
            assert cursor.fetchone() == (NAME, "+84912345678", EMAIL)
            cursor.execute("SELECT count(*) FROM auth_user WHERE username = '+84912345678'")
            assert cursor.fetchone()[0] == 1
    finally:
        MigrationExecutor(connection).migrate(after)
