"""import_reports: bulk path, row-numbered errors, idempotent re-runs, wards like the trigger."""

from __future__ import annotations

import csv
import json
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.models import Report
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db

POINTS = cases.interior_points("mong_cai_wards_2024_clean.geojson")

CSV = """id,category,description,lon,lat,reported_at,status,contact_phone
A1,moi_truong,Rác thải ở chợ,{kl[0]},{kl[1]},2024-05-01 08:00,received,0912345678
A2,ha_tang,Cống vỡ,{vt[0]},{vt[1]},2025-08-02T10:00:00+07:00,resolved,
A3,khong_co,Sai danh mục,{kl[0]},{kl[1]},2024-05-01,,
A4,moi_truong,Toạ độ đảo ngược,21.53,107.97,2024-05-01,,
A5,moi_truong,,{kl[0]},{kl[1]},2024-05-01,,
A6,moi_truong,Ngoài biển,108.10,21.38,2024-05-01,,
A7,moi_truong,Ngày sai,{kl[0]},{kl[1]},hôm qua,,
A1,moi_truong,Trùng id,{kl[0]},{kl[1]},2024-05-01,,
A8,moi_truong,NaN,nan,21.5,2024-05-01,,
""".format(kl=POINTS["06709"], vt=POINTS["06757"])


def run(path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_reports", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_rows_land_bad_rows_are_listed_by_row_number(mong_cai_wards, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_text(CSV, encoding="utf-8")
    out, err = run(path)
    assert "3 reports imported, 6 bad rows skipped (of 9 rows)" in out
    # The point, category and description are judged by the API's rules, in its words.
    assert "row 3: category: Không có lĩnh vực “khong_co”. Các mã hợp lệ: an_ninh" in err
    assert "row 4: lat: 107.97 nằm ngoài khoảng cho phép" in err
    assert "lon=107.97, lat=21.53 thì nằm trong: kinh độ và vĩ độ có vẻ bị đảo." in err
    assert "row 5: description: Trường này là bắt buộc." in err
    assert "row 7: reported_at: 'hôm qua' is not a date/time." in err
    assert "row 8: id: 'legacy:A1' repeats an earlier row." in err
    assert "row 9: lon: Phải là một số hữu hạn (không phải NaN hay vô cực)." in err

    stored = {r.idempotency_key: r for r in Report.objects.select_related("ward__version")}
    assert set(stored) == {"legacy:A1", "legacy:A2", "legacy:A6"}
    assert stored["legacy:A1"].ward.code == "06709"
    assert stored["legacy:A1"].ward.version.name == "mong-cai-2024"
    assert stored["legacy:A1"].contact_phone == "+84912345678"  # as the API stores it
    # 2025-08-02 is after the merger: Vĩnh Thực's point is in the new Xã Vĩnh Thực (06757).
    assert stored["legacy:A2"].ward.version.name == "mong-cai-2025"
    assert stored["legacy:A2"].status == "resolved"
    assert stored["legacy:A6"].ward is None and stored["legacy:A6"].ward_match == "outside"
    # The COPY path (per-row triggers off) still feeds the heatmap's pre-aggregated cells.
    from gis_core.selectors import report_heat_raw
    from layers.heat import report_heat

    assert sorted(report_heat(zoom=12)[1]) == sorted(report_heat_raw(zoom=12)[1])
    assert sum(n for *_, n in report_heat(zoom=12, status="resolved")[1]) == 1


def test_dry_run_gives_the_verdicts_and_stores_nothing(mong_cai_wards, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_text(CSV, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_reports", str(path), "--dry-run", stdout=out, stderr=err)
    assert out.getvalue() == "dry run: 3 good rows, 6 bad rows; nothing stored.\n"
    assert "row 8: id: 'legacy:A1' repeats an earlier row." in err.getvalue()
    assert not Report.objects.exists()


def test_reimport_adds_nothing(mong_cai_wards, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_text(CSV, encoding="utf-8")
    run(path)
    out, _ = run(path)
    assert "0 reports imported" in out
    assert Report.objects.count() == 3


def test_bulk_wards_equal_the_trigger_wards(mong_cai_wards, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_text(CSV, encoding="utf-8")
    run(path)
    # Re-decide every imported row with the trigger by touching reported_at (fires the
    # update trigger) and compare with what the bulk path stored.
    before = dict(Report.objects.values_list("id", "ward_id"))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE gis_core_report SET reported_at = reported_at + interval '1 microsecond'"
        )
    after = dict(Report.objects.values_list("id", "ward_id"))
    assert before == after


def test_geojson_input_and_whole_file_refusals(mong_cai_wards, tmp_path):
    x, y = POINTS["06721"]
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [x, y]},
                "properties": {"category": "khac", "description": "Bò trên đường", "id": "g1"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[x, y], [x, y + 0.01]]},
                "properties": {"category": "khac", "description": "Đường", "id": "g2"},
            },
        ],
    }
    path = tmp_path / "legacy.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    out, err = run(path)
    assert "1 reports imported, 1 bad rows skipped" in out
    assert "row 2: geometry: expected a Point, got LineString." in err
    # No reported_at: the report is dated now, so today's wards apply (Trà Cổ is in Móng Cái 1).
    ward = Report.objects.select_related("ward__version").get().ward
    assert (ward.code, ward.version.name) == ("06712", "mong-cai-2025")

    missing = tmp_path / "missing_columns.csv"
    missing.write_text("category,description,x,y\nkhac,a,1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"missing column.*lon, lat.*the file has: category"):
        run(missing)
    assert Report.objects.count() == 1


def test_forked_renderer_path_gives_the_same_rows(mong_cai_wards):
    """Large imports render CSV in a forked child; force that path on a small batch."""
    import numpy as np
    import pandas as pd

    from gis_core.bulk_import import reports_bulk_insert
    from gis_core.models import Category

    points = list(POINTS.values())
    n = 300
    frame = pd.DataFrame(
        {
            "row": np.arange(1, n + 1),
            "category_id": Category.objects.get(code="khac").pk,
            "description": ['Có "ngoặc kép", dấu phẩy\nvà xuống dòng'] * n,
            "lon": [points[i % len(points)][0] for i in range(n)],
            "lat": [points[i % len(points)][1] for i in range(n)],
            "reported_at": pd.Series([pd.Timestamp("2024-04-01 10:00", tz="Asia/Ho_Chi_Minh")] * n),
            "status": "received",
            "idempotency_key": [f"fork:{i}" for i in range(n)],
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
        }
    )
    counted: list[int] = []
    assert reports_bulk_insert(frame, fork_above=0, progress=counted.append) == n
    assert sum(counted) >= n  # rows counted through the pipe (quoted newlines count extra)
    stored = Report.objects.order_by("idempotency_key")
    assert stored.count() == n
    assert {r.description for r in stored} == {'Có "ngoặc kép", dấu phẩy\nvà xuống dòng'}
    expected = {code for code in POINTS}
    assert {r.ward.code for r in stored.select_related("ward")} == expected


def test_reference_check_refuses_a_missing_ward(mong_cai_wards):
    """The bulk path checks foreign keys once per distinct value; a missing one fails."""
    import numpy as np
    from django.db import connection, transaction

    from gis_core.bulk_import import _check_references_once
    from gis_core.models import Category

    category = Category.objects.get(code="khac").pk
    with pytest.raises(ValueError, match="ward_boundaries_ward: a referenced row disappeared"):
        with transaction.atomic(), connection.cursor() as cursor:
            _check_references_once(cursor, np.array([category]), np.array([10**9]))


def test_bulk_insert_leaves_the_transaction_as_it_found_it(mong_cai_wards):
    """Triggers and foreign keys work again for later writes in the caller's transaction."""
    import numpy as np
    import pandas as pd
    from django.contrib.gis.geos import Point
    from django.db import connection, transaction

    from gis_core.bulk_import import reports_bulk_insert
    from gis_core.models import Category

    x, y = POINTS["06709"]
    category = Category.objects.get(code="khac")
    frame = pd.DataFrame(
        {
            "row": np.arange(1, 3),
            "category_id": category.pk,
            "description": "bulk",
            "lon": [x, x],
            "lat": [y, y],
            "reported_at": pd.Series([pd.Timestamp("2024-04-01 10:00", tz="Asia/Ho_Chi_Minh")] * 2),
            "status": "received",
            "idempotency_key": ["t:1", "t:2"],
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
        }
    )
    with transaction.atomic():
        assert reports_bulk_insert(frame) == 2
        later = Report.objects.create(
            category=category,
            description="after",
            location=Point(x, y, srid=4326),
            reported_at=pd.Timestamp("2024-04-01 10:00", tz="Asia/Ho_Chi_Minh"),
        )
        later.refresh_from_db()
        assert later.ward.code == "06709"  # the assignment trigger ran
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"


def sign_in_by_phone(client, phone: str):
    """The citizen's sign-in: an SMS code for `phone`, then the code (gis_core.accounts)."""
    from gis_core import sms

    sms.outbox.clear()
    assert client.post(reverse("api:auth-code"), {"phone": phone}, format="json").status_code == 202
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)
    return client.post(reverse("api:auth-login"), {"phone": phone, "code": code}, format="json")


def test_signing_in_claims_reports_imported_with_the_phone_written_any_way(
    mong_cai_wards, tmp_path
):
    x, y = POINTS["06709"]
    path = tmp_path / "phones.csv"
    path.write_text(
        "id,category,description,lon,lat,reported_at,contact_phone\n"
        f"P1,moi_truong,Rác ở chợ,{x},{y},2024-05-01 08:00,0912 345 678\n"
        f"P2,ha_tang,Cống vỡ,{x},{y},2024-05-02 08:00,+84 912-345-678\n"
        f"P3,ha_tang,Đèn hỏng,{x},{y},2024-05-03 08:00,0987 654 321\n",
        encoding="utf-8",
    )
    assert "3 reports imported" in run(path)[0]
    client = APIClient()
    signed_in = sign_in_by_phone(client, "84912345678")
    assert signed_in.status_code == 200, signed_in.content
    assert signed_in.json() == {"phone": "+84912345678", "claimed_reports": 2}
    mine = client.get(reverse("api:my-reports")).json()["features"]
    expected = Report.objects.filter(idempotency_key__in=["legacy:P1", "legacy:P2"])
    assert {f["id"] for f in mine} == {str(r.public_id) for r in expected}
    assert Report.objects.get(idempotency_key="legacy:P3").reporter is None


def api_verdict(client, row: dict) -> tuple[dict[str, str], str | None]:
    """({field: messages}, stored contact phone) of POSTing the row to the API (with the
    privacy notice's consent, which an app sends with contact data and an import has not)."""
    body = {**row, "consent_notice_version": settings.PRIVACY_NOTICE_VERSION}
    response = client.post(reverse("api:report-list"), body, format="json")
    if response.status_code == 201:
        stored = Report.objects.get(public_id=response.json()["id"])
        return {}, stored.contact_phone
    assert response.status_code == 400, response.content
    return {f: " ".join(m) for f, m in response.json()["errors"].items()}, None


def import_verdict(tmp_path, row: dict) -> tuple[dict[str, str], str | None]:
    """({field: message}, stored contact phone) of importing the row from a CSV file."""
    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["id", *row])
        writer.writeheader()
        writer.writerow({"id": "V1", **row})
    Report.objects.all().delete()
    _, err = run(path)
    errors = dict(line.removeprefix("row 1: ").split(": ", 1) for line in err.splitlines())
    stored = Report.objects.filter(idempotency_key="legacy:V1").first()
    return errors, stored.contact_phone if stored else None


@pytest.mark.parametrize(
    "change,bad_fields",
    [
        ({"lon": 21.53, "lat": 107.97}, {"lat"}),  # swapped: out of range, with the hint
        ({"lon": 200, "lat": -95}, {"lon", "lat"}),
        ({"lon": 180, "lat": 90}, {"lon", "lat"}),  # valid, but thousands of km from any ward
        ({"lon": "abc"}, {"lon"}),
        ({"lat": ""}, {"lat"}),
        ({"description": "x" * 4001}, {"description"}),
        ({"description": "   "}, {"description"}),
        ({"contact_email": "not-an-address"}, {"contact_email"}),
        ({"contact_email": "a" * 250 + "@example.vn"}, {"contact_email"}),
        ({"contact_phone": "0" * 31}, {"contact_phone"}),
        ({"contact_name": "N" * 121}, {"contact_name"}),
        ({"category": "khong_co"}, {"category"}),
        ({"contact_phone": "0912.345.678"}, set()),  # stored normalised, both ways
        ({"contact_phone": "+1 202 555 0100"}, set()),  # a visitor's number: kept as given
        ({"description": "x" * 4000, "contact_email": "ban@example.vn"}, set()),
    ],
)
def test_the_api_and_the_importer_give_one_verdict(mong_cai_wards, tmp_path, change, bad_fields):
    x, y = POINTS["06709"]
    row = {"category": "moi_truong", "description": "Rác ở chợ", "lon": x, "lat": y, **change}
    api_errors, api_phone = api_verdict(APIClient(), row)
    imported_errors, imported_phone = import_verdict(tmp_path, row)
    assert set(api_errors) == bad_fields
    assert imported_errors == api_errors
    assert imported_phone == api_phone
