"""The tourism office's pages about visitors' reports at places: who may open them, the
ranking and its CSV (formula-safe, no reporter's data), a place's history with overcharging
beside the listed price, and the planner's endpoint of places with their counts."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from layers.models import PlaceReport
from tests.layers.place_reports import REPORTER, link_report, list_price, make_place

pytestmark = pytest.mark.django_db

ROLES = ["citizen", "ward_officer", "agency_officer", "tourism", "operator", "administrator"]
ALLOWED = {"tourism", "operator", "administrator"}
EVIL_NAME = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def users(db) -> dict[str, User]:
    made = {"citizen": User.objects.create_user("+84900000001")}
    for role in ROLES[1:]:
        user = User.objects.create_user(f"u-{role}", password="x", email=f"{role}@example.vn")
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        made[role] = user
    return made


@pytest.fixture
def places(db) -> dict:
    hotel = make_place("Khách sạn Biển Trà Cổ")
    price = list_price(hotel, price_vnd=450_000)
    charged = link_report(
        hotel, category="du_lich_chat_chem", price=price, charged_vnd=700_000, days_ago=2
    )
    unknown = link_report(hotel, category="du_lich_chat_chem", charged_vnd=300_000, days_ago=3)
    drain = link_report(hotel, category="ha_tang", days_ago=4)
    evil = make_place(EVIL_NAME, kind="food")
    link_report(evil, days_ago=1)
    return {"hotel": hotel, "charged": charged, "unknown": unknown, "drain": drain, "evil": evil}


def client_for(users, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_who_may_open_the_pages(users, places, role):
    client = client_for(users, role)
    urls = [
        reverse("web_map:staff-place-reports"),
        reverse("web_map:staff-place-reports-csv"),
        reverse("web_map:staff-place-history", args=[places["hotel"].public_id]),
    ]
    for url in urls:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        elif role in ALLOWED:
            assert response.status_code == 200, (url, response.status_code)
        else:
            assert response.status_code == 403, (url, response.status_code)
            text = response.content.decode()
            assert "dành cho phòng du lịch, trung tâm điều hành và quản trị viên" in text
            assert "Forbidden" not in text and places["hotel"].name not in text


def test_ranking_page_in_vietnamese_with_counts_and_links(users, places):
    html = client_for(users, "tourism").get(reverse("web_map:staff-place-reports")).content.decode()
    assert '<html lang="vi">' in html
    assert "Phản ánh về địa điểm du lịch" in html and "Tải bảng (CSV)" in html
    hotel = places["hotel"]
    history = reverse("web_map:staff-place-history", args=[hotel.public_id])
    # The hotel first: 3 open reports against the other place's one.
    assert html.index(hotel.name) < html.index("=HYPERLINK")
    assert f'href="{history}"' in html
    assert "Lưu trú" in html and "Ăn uống" in html  # kinds by name, not code
    # Overcharging beside the listed price, and "không rõ" where no price was named.
    assert "Giá niêm yết 450.000 ₫/đêm — đã thu 700.000 ₫ (+56%)" in html
    assert "Giá niêm yết: không rõ — đã thu 300.000 ₫" in html
    for value in REPORTER.values():
        assert value not in html


def test_a_tourism_user_is_linked_to_the_reports_they_may_open(users, places):
    charged_url = reverse("web_map:staff-report", args=[places["charged"].public_id])
    drain_url = reverse("web_map:staff-report", args=[places["drain"].public_id])
    history = reverse("web_map:staff-place-history", args=[places["hotel"].public_id])
    tourism = client_for(users, "tourism")
    html = tourism.get(history).content.decode()
    assert charged_url in html and drain_url not in html  # a drain is not theirs to open
    assert tourism.get(charged_url).status_code == 200
    assert tourism.get(drain_url).status_code == 404
    operator_html = client_for(users, "operator").get(history).content.decode()
    assert charged_url in operator_html and drain_url in operator_html


def test_history_page_shows_reports_prices_and_changes_without_contact(users, places):
    hotel = places["hotel"]
    day = timezone.localdate(places["charged"].reported_at)
    list_price(hotel, price_vnd=520_000, valid_from=day)
    first = hotel.prices.get(price_vnd=450_000)
    response = client_for(users, "operator").get(
        reverse("web_map:staff-place-history", args=[hotel.public_id])
    )
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="vi">' in html
    assert places["charged"].reference in html and places["drain"].reference in html
    assert "Chặt chém, bán cao hơn giá niêm yết" in html  # the category's name
    assert "Giá niêm yết 450.000 ₫/đêm — đã thu 700.000 ₫ (+56%)" in html
    assert "520.000 ₫/đêm" in html and "đang áp dụng" in html
    # The closed row shows its end; the new one is open-ended.
    closed = day - dt.timedelta(days=1)
    assert f"áp dụng {first.valid_from:%d/%m/%Y} \N{EN DASH} {closed:%d/%m/%Y}" in html
    assert f"áp dụng từ {day:%d/%m/%Y}" in html
    assert "Tạo mới" in html and "Thêm giá" in html  # the audit
    for value in REPORTER.values():
        assert value not in html
    missing = reverse("web_map:staff-place-history", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(users, "operator").get(missing).status_code == 404


def test_csv_is_formula_safe_and_holds_no_personal_data(users, places):
    response = client_for(users, "tourism").get(reverse("web_map:staff-place-reports-csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig")
    for value in (*REPORTER.values(), "Phản ánh của du khách"):
        assert value not in body
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["name"] for r in rows] == [places["hotel"].name, "'" + EVIL_NAME]
    first = rows[0]
    assert first["rank"] == "1" and first["kind"] == "accommodation"
    assert (first["open_reports"], first["reports_30_days"], first["overcharging_reports"]) == (
        "3",
        "3",
        "2",
    )
    assert first["place_id"] == str(places["hotel"].public_id) and first["prices_stale"] == "0"


def test_planner_endpoint_counts_only_for_staff(users, places):
    url = reverse("api:staff-place-map")
    assert Client().get(url).status_code == 403
    assert client_for(users, "citizen").get(url).status_code == 403
    body = client_for(users, "ward_officer").get(url).json()
    by_name = {p["name"]: p for p in body["places"]}
    assert by_name[places["hotel"].name]["reports"] == 3
    assert by_name[places["hotel"].name]["kind"] == "accommodation"
    assert body["kinds"]["accommodation"] == {
        "name_vi": "Lưu trú",
        "name_en": "Accommodation",
        "name_zh": "住宿",
    }
    assert set(body["places"][0]) == {
        "id",
        "name",
        "name_en",
        "name_zh",
        "kind",
        "lon",
        "lat",
        "reports",
    }
    text = str(body)
    for value in REPORTER.values():
        assert value not in text
    # A period before the reports: every place, none counted. A bad date names the field.
    early = client_for(users, "ward_officer").get(
        url, {"since": "2020-01-01", "until": "2020-12-31"}
    )
    assert early.status_code == 200 and all(p["reports"] == 0 for p in early.json()["places"])
    bad = client_for(users, "ward_officer").get(url, {"since": "hôm qua"})
    assert bad.status_code == 400 and "since" in bad.json()["errors"]
    assert PlaceReport.objects.count() == 4
