"""The league per province (?province=): only the reports in that province's wards, ranked among
themselves; every figure equals a direct count; precompute_league stores one table per
province in force beside the country's, and a bad code is a translated 400."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from gis_core.league import (
    default_periods,
    league_precompute,
    league_table,
    league_table_cached,
    league_tables_by_province,
)
from gis_core.models import Agency, Category, Report
from tests.two_provinces import IN_HANOI, add_hanoi_ward
from ward_boundaries.models import Ward

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = dt.datetime(2026, 10, 5, 9, 0, tzinfo=TZ)
OCTOBER = {"since": dt.date(2026, 10, 1), "until": dt.date(2026, 10, 31)}
NOW = dt.datetime(2026, 11, 1, 0, 0, tzinfo=TZ)
IN_MONG_CAI = Point(107.9653, 21.5338, srid=4326)  # province 22 (Quảng Ninh)
AT_SEA = Point(108.6, 21.0, srid=4326)  # in no ward, so in no province


@pytest.fixture
def two_provinces(mong_cai_wards) -> Ward:
    """Móng Cái's versions (province 22) and one ward of Hà Nội (province 01) in force beside."""
    return add_hanoi_ward()


def make(agency, *, where: Point, hours: float | None = None, due: float = 8, category="ha_tang"):
    return Report.objects.create(
        category=Category.objects.get(code=category),
        description="x",
        location=where,
        agency=agency,
        status="resolved" if hours is not None else "assigned",
        reported_at=T0,
        resolved_at=T0 + dt.timedelta(hours=hours) if hours is not None else None,
        due_at=T0 + dt.timedelta(hours=due),
    )


@pytest.fixture
def reports(two_provinces) -> dict[str, Agency]:
    """Agency "qn" works in Móng Cái only, "hn" in Hà Nội only, "both" in both and at sea."""
    units = {c: Agency.objects.create(code=c, name=c.upper()) for c in ("qn", "hn", "both")}
    for hours in (1, 2, 3, 20, 30):
        make(units["qn"], where=IN_MONG_CAI, hours=hours)
    make(units["qn"], where=IN_MONG_CAI)  # open, overdue at NOW
    for hours in (1, 2, 3, 4, 5, 6):
        make(units["hn"], where=IN_HANOI, hours=hours)
    for hours in (1, 50):
        make(units["both"], where=IN_MONG_CAI, hours=hours)
    for hours in (2, 3, 40):
        make(units["both"], where=IN_HANOI, hours=hours, category="moi_truong")
    make(units["both"], where=AT_SEA, hours=1)
    make(None, where=IN_HANOI)  # not routed, in Hà Nội
    assert Report.objects.filter(ward=two_provinces).count() == 10
    return units


def by_key(rows):
    return {r.key: r for r in rows}


def direct(province: str, **filters) -> int:
    """The reports of October in `province`'s wards, counted by the ORM."""
    return Report.objects.filter(
        ward__province_code=province,
        reported_at__gte=dt.datetime(2026, 10, 1, tzinfo=TZ),
        reported_at__lt=dt.datetime(2026, 11, 1, tzinfo=TZ),
        **filters,
    ).count()


@pytest.mark.parametrize("province", ["22", "01"])
def test_a_province_holds_only_its_reports_and_counts_equal_a_direct_count(reports, province):
    rows = league_table(by="agency", province=province, now=NOW, **OCTOBER)
    keys = {r.key for r in rows}
    assert keys == ({"qn", "both"} if province == "22" else {"hn", "both", ""})
    for row in rows:
        agency = {"agency__code": row.key} if row.key else {"agency__isnull": True}
        assert row.received == direct(province, **agency)
        assert row.resolved == direct(province, status="resolved", **agency)
    assert sum(r.received for r in rows) == direct(province)
    # "both" ranks among its own province's units only; the report at sea is in no province.
    both = by_key(rows)["both"]
    assert both.received == (2 if province == "22" else 3)
    country = by_key(league_table(by="agency", now=NOW, **OCTOBER))["both"]
    assert country.received == 6


def test_a_ward_of_another_province_never_appears(reports, two_provinces):
    hanoi = league_table(by="ward", province="01", now=NOW, **OCTOBER)
    assert [r.key for r in hanoi] == ["test-hanoi/00004"]
    assert hanoi[0].received == direct("01") == 10
    assert hanoi[0].rank == 1
    mong_cai = league_table(by="ward", province="22", now=NOW, **OCTOBER)
    assert mong_cai and all(r.key.startswith("mong-cai-") for r in mong_cai)
    assert sum(r.received for r in mong_cai) == direct("22") == 8
    # The country-wide table has both, and the row of reports in no ward.
    country = {r.key for r in league_table(by="ward", now=NOW, **OCTOBER)}
    assert {"test-hanoi/00004", ""} <= country


@pytest.mark.parametrize("by", ["agency", "ward", "category", "channel"])
def test_one_pass_per_province_equals_one_query_per_province(reports, by):
    tables = league_tables_by_province(by=by, now=NOW, **OCTOBER)
    assert set(tables) == {"01", "22"}
    for code, rows in tables.items():
        assert rows == league_table(by=by, province=code, now=NOW, **OCTOBER)


def test_api_filters_by_province_and_refuses_a_bad_one(reports):
    client = APIClient()
    url = reverse("api:league-table")
    body = client.get(url, {"by": "agency", "province": "01", **_iso(OCTOBER)}).json()
    assert body["province"] == "01"
    assert {r["key"] for r in body["rows"]} == {"hn", "both", ""}
    csv = client.get(reverse("api:league-table-csv"), {"province": "01", **_iso(OCTOBER)})
    assert 'filename="league-agency-01-2026-10-01-2026-10-31.csv"' in csv["Content-Disposition"]
    assert "qn" not in csv.content.decode("utf-8-sig").split()
    for bad in ("99", "2;2", "x" * 11):
        with translation.override("en"):
            response = client.get(url, {"province": bad}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["province"]
    unknown = client.get(url, {"province": "99"}, HTTP_ACCEPT_LANGUAGE="vi").json()
    assert "01, 22" in unknown["errors"]["province"][0]


def test_precompute_stores_the_country_and_each_province(reports, settings):
    settings.LEAGUE_CACHE_SECONDS = 600
    settings.LEAGUE_MAX_REPORTS_PUBLIC = 3
    today = dt.date(2026, 10, 31)
    # Five default periods, each country-wide and for the two provinces in force.
    assert league_precompute(today) == 15
    out = io.StringIO()
    call_command("precompute_league", stdout=out)
    assert "2 province(s)" in out.getvalue()
    by, since, until = default_periods(today)[0]
    for code in ("01", "22"):
        cached = league_table_cached(by=by, since=since, until=until, province=code)
        assert {r.key: r.received for r in cached} == {
            r.key: r.received for r in league_table(by=by, since=since, until=until, province=code)
        }
    period = {"by": by, "since": since.isoformat(), "until": until.isoformat(), "province": "01"}
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get(reverse("api:league-table"), period)
    assert response.status_code == 200  # past the public bound of 3, from the cache
    assert {r["key"] for r in response.json()["rows"]} == {"hn", "both", ""}
    assert not [q for q in queries if "gis_core_report" in q["sql"]]
    # The bound counts the province's reports: 10 in Hà Nội, over 3, for a period not stored.
    other = {**period, "since": (since + dt.timedelta(days=1)).isoformat()}
    assert APIClient().get(reverse("api:league-table"), other).status_code == 400
    settings.LEAGUE_MAX_REPORTS_PUBLIC = 10
    assert APIClient().get(reverse("api:league-table"), other).status_code == 200


def test_one_province_in_force_stores_only_the_country(mong_cai_wards, settings):
    settings.LEAGUE_CACHE_SECONDS = 600
    assert league_precompute(dt.date(2026, 10, 31)) == 5


def test_page_picker_and_province_table(reports, client):
    page = client.get(reverse("web_map:league"), {"province": "01", **_iso(OCTOBER)})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<select name="province">' in html
    assert '<option value="01" selected>Thành phố Hà Nội (01)</option>' in html
    assert 'data-key="hn"' in html and 'data-key="qn"' not in html
    # The tabs and the CSV keep the province.
    assert "by=ward&amp;since=2026-10-01&amp;until=2026-10-31&amp;province=01" in html
    ward = client.get(reverse("web_map:league"), {"by": "ward", "province": "22", **_iso(OCTOBER)})
    assert "test-hanoi/00004" not in ward.content.decode()
    bad = client.get(reverse("web_map:league"), {"province": "99"})
    assert bad.status_code == 400
    assert '<select name="province">' in bad.content.decode()


def test_no_picker_with_one_province(mong_cai_wards, client):
    html = client.get(reverse("web_map:league")).content.decode()
    assert 'name="province"' not in html


def _iso(period: dict) -> dict[str, str]:
    return {k: v.isoformat() for k, v in period.items()}
