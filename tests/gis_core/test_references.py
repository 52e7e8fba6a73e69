"""Report references (MC-2612-0042): given by the database on every insert path, unique,
numbered within the local month, shown by the API and pages, found by citizens and staff."""

from __future__ import annotations

import datetime as dt
import re
import threading

import numpy as np
import pandas as pd
import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.bulk_import import reports_bulk_insert
from gis_core.models import Category, Report, StaffRole
from gis_core.references import format_reference, parse_reference
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
REFERENCE = re.compile(r"^MC-(\d{4})-(\d{4,})$")
LOCAL = dt.timezone(dt.timedelta(hours=7))


def submit(client=None, **overrides):
    x, y = POINTS["06709"]
    body = {"category": "moi_truong", "description": "Rác ở chợ", "lon": x, "lat": y}
    body.update(overrides)
    return (client or APIClient()).post(reverse("api:report-list"), body, format="json")


def number(reference: str) -> int:
    return int(REFERENCE.match(reference).group(2))


def test_format_and_parse_are_inverse(settings):
    assert format_reference(202612, 42) == "MC-2612-0042"
    assert format_reference(202601, 123456) == "MC-2601-123456"
    assert parse_reference("MC-2612-0042") == (202612, 42)
    assert parse_reference("  mc-2612-42 ") == (202612, 42)  # typed from an SMS
    for wrong in ("HL-2612-0042", "MC-2613-0001", "MC-2612-0000", "MC2612-1", "", None, 42):
        assert parse_reference(wrong) is None
    settings.REFERENCE_PREFIX = "HL"
    assert format_reference(202612, 7) == "HL-2612-0007"
    assert parse_reference("HL-2612-0007") == (202612, 7)


def test_api_submissions_get_consecutive_references_of_the_local_month(mong_cai_wards):
    first = submit().json()["properties"]["reference"]
    second = submit().json()["properties"]["reference"]
    month = timezone.localtime().strftime("%y%m")
    assert REFERENCE.match(first).group(1) == month
    assert number(second) == number(first) + 1
    stored = Report.objects.get(public_id=submit().json()["id"])
    assert stored.reference == format_reference(stored.reference_month, stored.reference_number)
    # The list and the detail show the same reference.
    detail = APIClient().get(reverse("api:report-detail", args=[stored.public_id])).json()
    assert detail["properties"]["reference"] == stored.reference
    listed = APIClient().get(reverse("api:report-list")).json()["features"]
    assert stored.reference in {f["properties"]["reference"] for f in listed}


def test_every_insert_path_numbers_by_the_local_month_of_the_report(mong_cai_wards):
    category = Category.objects.get(code="khac")
    x, y = POINTS["06709"]
    # 2024-03-31 23:30 in Móng Cái is still March there, though April 1st began in UTC+8.
    late_march = dt.datetime(2024, 3, 31, 23, 30, tzinfo=LOCAL)
    orm = Report.objects.create(
        category=category, description="orm", location=Point(x, y, srid=4326),
        reported_at=late_march,
    )  # fmt: skip
    assert orm.reference == ""  # set by the database: read it back
    orm.refresh_from_db()
    assert orm.reference_month == 202403 and orm.reference.startswith("MC-2403-")
    with connection.cursor() as cursor:  # plain SQL, as another program would write
        cursor.execute(
            "INSERT INTO gis_core_report (category_id, description, location, reported_at) "
            "VALUES (%s, 'sql', ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s) "
            "RETURNING reference_month, reference_number",
            [category.pk, x, y, late_march],
        )
        month, n = cursor.fetchone()
    assert (month, n) == (202403, orm.reference_number + 1)


def test_bulk_import_numbers_each_month_in_time_order_and_the_trigger_continues(mong_cai_wards):
    category = Category.objects.get(code="khac")
    x, y = POINTS["06709"]
    times = [
        pd.Timestamp("2023-05-20 09:00", tz="Asia/Ho_Chi_Minh"),
        pd.Timestamp("2023-05-02 09:00", tz="Asia/Ho_Chi_Minh"),
        pd.Timestamp("2023-06-01 00:10", tz="Asia/Ho_Chi_Minh"),  # June locally, May in UTC
        pd.Timestamp("2023-05-11 09:00", tz="Asia/Ho_Chi_Minh"),
    ]
    frame = pd.DataFrame(
        {
            "row": np.arange(1, 5),
            "category_id": category.pk,
            "description": ["a", "b", "c", "d"],
            "lon": x,
            "lat": y,
            "reported_at": pd.Series(times),
            "status": "received",
            "idempotency_key": [f"ref:{i}" for i in range(4)],
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
        }
    )
    assert reports_bulk_insert(frame) == 4
    stored = {r.description: r for r in Report.objects.filter(idempotency_key__startswith="ref:")}
    may = sorted((stored[d] for d in "abd"), key=lambda r: r.reported_at)
    assert [r.reference_month for r in may] == [202305] * 3
    assert [r.reference_number for r in may] == sorted(r.reference_number for r in may)
    assert len({r.reference_number for r in may}) == 3
    assert stored["c"].reference_month == 202306
    later = Report.objects.create(
        category=category, description="after", location=Point(x, y, srid=4326),
        reported_at=dt.datetime(2023, 5, 28, 12, tzinfo=LOCAL),
    )  # fmt: skip
    later.refresh_from_db()
    assert later.reference_month == 202305
    assert later.reference_number > max(r.reference_number for r in may)


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_never_share_a_reference(mong_cai_wards, seed_categories):
    references: list[str] = []

    def worker():
        try:
            for _ in range(5):
                references.append(submit().json()["properties"]["reference"])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(references) == 20 and len(set(references)) == 20


def test_public_page_opens_at_the_reference(client, mong_cai_wards):
    feature = submit().json()
    reference = feature["properties"]["reference"]
    page = client.get(f"/phan-anh/{reference}/")
    assert page.status_code == 200
    assert reference in page.content.decode()
    assert client.get(f"/phan-anh/{reference.lower()}/").status_code == 200
    assert client.get(f"/phan-anh/{feature['id']}/").status_code == 200
    month = REFERENCE.match(reference).group(1)
    assert client.get(f"/phan-anh/MC-{month}-99999999/").status_code == 404
    assert client.get(f"/phan-anh/HL-{month}-{number(reference):04d}/").status_code == 404


def test_staff_find_a_report_by_its_reference(client, mong_cai_wards):
    operator = User.objects.create_user("op", password="x", is_staff=True)
    operator.groups.add(Group.objects.get_or_create(name=StaffRole.OPERATOR)[0])
    wanted = submit(description="Cống vỡ ở chợ").json()["properties"]["reference"]
    submit(description="Một phản ánh khác")
    client.force_login(operator)
    page = client.get(reverse("web_map:staff-queue"), {"reference": wanted.lower()})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cống vỡ ở chợ" in html and "Một phản ánh khác" not in html
    assert wanted in html
    bad = client.get(reverse("web_map:staff-queue"), {"reference": "không phải mã"})
    assert "Mã phản ánh không hợp lệ (dạng MC-2612-0042)." in bad.content.decode()
    api = APIClient()
    api.force_login(operator)
    body = api.get(reverse("api:staff-report-list"), {"reference": wanted}).json()
    assert [f["properties"]["reference"] for f in body["features"]] == [wanted]
    refused = api.get(
        reverse("api:staff-report-list"), {"reference": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400 and "reference" in refused.json()["errors"]


def test_bulk_numbers_stay_unique_when_live_inserts_interleave(mong_cai_wards):
    """Submissions taking numbers while the import reserves its block break the run; the
    importer then takes the numbers one by one. A sequence stepping by 2 interleaves exactly
    as another writer taking every other number would."""
    from gis_core.bulk_import import reserve_references

    with connection.cursor() as cursor:
        cursor.execute("SELECT ht_report_reference_sequence(201901)::text")
        sequence = cursor.fetchone()[0]
        cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 2")  # our own sequence name
        times = pd.Series(pd.date_range("2019-01-05", periods=5, freq="D", tz="Asia/Ho_Chi_Minh"))
        months, numbers = reserve_references(cursor, times.dt.tz_localize(None))
    assert list(months) == [201901] * 5
    assert len(set(numbers)) == 5 and list(numbers) == sorted(numbers)
    assert numbers[-1] - numbers[0] == 8  # every other number, still in time order
