"""Where the forecasts are read: the staff API (bounds, who may read it, no personal data), the
planner's CSV export, the operations board's alert (and its version) and the staff digest."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.models import StaffProfile
from layers.board import board_snapshot, board_unchanged
from layers.forecast_model import HORIZON
from layers.forecasts import compute_forecasts
from layers.models import ForecastSeries
from tests.layers.forecast_data import FOOD, WARD
from ward_boundaries.models import Ward

API = "/api/v1/staff/forecasts/"


def _user(name: str, group: str | None, wards=()) -> User:
    user = User.objects.create_user(name, password="x", email=f"{name}@example.vn")
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        profile = StaffProfile.objects.create(user=user)
        profile.wards.set(Ward.objects.filter(version__name="mong-cai-2025", code__in=wards))
    return user


def _client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def forecasts(planted_city):
    compute_forecasts()
    return planted_city


def test_the_api_serves_one_series_to_staff(forecasts):
    client = _client(_user("kh", "agency_officer"))
    body = client.get(API, {"ward": WARD, "category": FOOD}).json()
    series = body["series"]
    assert body["ward"] == WARD and body["category"] == FOOD and "·" in body["label"]
    assert [h["count"] for h in series["history"]] == forecasts["food"]
    assert len(series["forecast"]) == HORIZON
    assert all(f["lower"] <= f["expected"] <= f["upper"] for f in series["forecast"])
    assert series["method"] in {"model", "seasonal_naive", "naive"} and series["method_label"]
    assert series["baseline_mae"] is not None
    assert series["alerts"][0]["count"] == 30
    # The whole city over every category: the parameters absent or empty.
    city = client.get(API).json()
    assert (
        city["ward"] == "" and city["series"]["history"][-1]["count"] == 30 + forecasts["other"][-1]
    )
    assert client.get(API, {"ward": "", "category": ""}).json()["series"] == city["series"]
    # A series with nothing stored: null, not an error.
    assert client.get(API, {"ward": "06757", "category": FOOD}).json()["series"] is None
    # Counts and names only: nothing of a report's text or reporter.
    text = client.get(API, {"ward": WARD, "category": FOOD}).content.decode()
    assert "Quán ăn" not in text and "contact" not in text and "phone" not in text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"ward": "99999"}, "ward"),
        ({"ward": "x" * 51}, "ward"),
        ({"category": "khong_co"}, "category"),
        ({"category": "c" * 500}, "category"),
        ({"ward": "06709\u0000"}, "ward"),
    ],
)
def test_the_api_refuses_unknown_and_long_codes(forecasts, params, field):
    response = _client(_user("op", "operator")).get(API, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_only_staff_read_the_api(forecasts):
    assert _client(None).get(API).status_code == 403
    assert _client(_user("citizen", None)).get(API).status_code == 403
    for role in ("ward_officer", "tourism", "administrator"):
        assert _client(_user(role, role)).get(API).status_code == 200


def test_the_planner_exports_the_forecast_rows_as_csv(forecasts):
    url = reverse("web_map:planner-forecast-export")
    client = _client(_user("op", "operator"))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == HORIZON * ForecastSeries.objects.count()
    food = [r for r in rows if r["ward_code"] == WARD and r["category_code"] == FOOD]
    assert len(food) == HORIZON and food[0]["ward_name"] and food[0]["category_name"]
    assert all(float(r["lower"]) <= float(r["expected"]) <= float(r["upper"]) for r in food)
    one = client.get(url, {"ward": WARD, "category": FOOD}).content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(one)))) == HORIZON
    city = client.get(url, {"ward": "toan-thanh-pho", "category": "tat-ca"})
    city_rows = list(csv.DictReader(io.StringIO(city.content.decode("utf-8-sig"))))
    assert len(city_rows) == HORIZON and city_rows[0]["ward_code"] == ""
    assert client.get(url, {"ward": "nope"}).status_code == 400
    assert _client(None).get(url).status_code == 302  # to the login
    assert _client(_user("citizen", None)).get(url).status_code == 403


def test_the_board_shows_the_alert_and_its_version_moves(planted_city):
    before, version = board_snapshot()
    assert before["forecast_alerts"] == []
    assert board_unchanged(version)
    compute_forecasts()
    assert not board_unchanged(version)  # the new alert changes the version
    payload, _version = board_snapshot()
    food = [a for a in payload["forecast_alerts"] if a["category_code"] == FOOD]
    assert {a["ward_code"] for a in food} == {WARD, ""}
    alert = next(a for a in food if a["ward_code"] == WARD)
    assert alert["count"] == 30 and alert["upper"] < 30 and alert["ward_name"]
    operator = _client(_user("op", "operator"))
    page = operator.get(reverse("web_map:board")).content.decode()
    assert 'id="board-forecast-alert"' in page


def test_the_digest_carries_the_alert_once_to_whom_it_concerns(planted_city):
    _user("op", "operator")
    _user("mc", "ward_officer", wards=[WARD])
    _user("vt", "ward_officer", wards=["06757"])
    compute_forecasts()
    call_command("notify_staff", stdout=io.StringIO())
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Tăng bất thường so với dự báo" in bodies["op@example.vn"]
    assert ": 30 phản ánh tuần từ" in bodies["mc@example.vn"]
    # The other ward's officer has new reports (the planted ones) but no alert of theirs.
    assert "Tăng bất thường" not in bodies.get("vt@example.vn", "")
    mail.outbox.clear()
    call_command("notify_staff", stdout=io.StringIO())
    assert not any("Tăng bất thường" in m.body for m in mail.outbox)  # once
