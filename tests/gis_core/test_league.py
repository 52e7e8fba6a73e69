"""The unit league table: every figure against a hand calculation, the ranking, the period's
local-date bounds, merged reports left out, and no personal data on any public output."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.league import LeagueRow, _ranked, league_table
from gis_core.models import Agency, Category, Report

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = dt.datetime(2026, 10, 5, 9, 0, tzinfo=TZ)
OCTOBER = {"since": dt.date(2026, 10, 1), "until": dt.date(2026, 10, 31)}
# Overdue is judged at this moment in the hand calculations: the end of October, locally.
NOW = dt.datetime(2026, 11, 1, 0, 0, tzinfo=TZ)
IN_CITY = Point(107.9653, 21.5338, srid=4326)
AT_SEA = Point(108.6, 21.0, srid=4326)  # far outside every ward
PERSONAL = ("Nguyễn Văn Bí Mật", "0912345678", "bimat@example.vn", "Mô tả riêng tư")


def make(
    agency: Agency | None,
    *,
    hours: float | None = None,
    due: float | None = None,
    status: str | None = None,
    at: dt.datetime = T0,
    category: str = "ha_tang",
    location: Point = IN_CITY,
) -> Report:
    """A report of `agency` made `at`, resolved `hours` later (if given), due `due` hours
    after it was made (if given), with a reporter's contact that must never leak."""
    return Report.objects.create(
        category=Category.objects.get(code=category),
        description=PERSONAL[3],
        location=location,
        agency=agency,
        status=status or ("resolved" if hours is not None else "assigned"),
        reported_at=at,
        resolved_at=at + dt.timedelta(hours=hours) if hours is not None else None,
        due_at=at + dt.timedelta(hours=due) if due is not None else None,
        contact_name=PERSONAL[0],
        contact_phone=PERSONAL[1],
        contact_email=PERSONAL[2],
    )


@pytest.fixture
def agencies(db) -> dict[str, Agency]:
    """Six units in known states over October 2026 (see the hand calculations in the tests)."""
    units = {
        code: Agency.objects.create(code=code, name=name)
        for code, name in (
            ("a", "Phòng Quản lý đô thị"),
            ("b", "Công ty Môi trường"),
            ("c", "Công an phường"),
            ("d", "Ban Quản lý chợ"),
            ("e", "Điện lực Móng Cái"),
            ("f", "Ban Quản lý dự án"),
        )
    }
    # A: resolved after 2, 4, 10, 1, 3 h, due after 8 h; one still open (overdue at NOW, due
    # 5/10 17:00), one rejected.
    for hours in (2, 4, 10, 1, 3):
        make(units["a"], hours=hours, due=8)
    make(units["a"], due=8)
    make(units["a"], status="rejected")
    # B: resolved after 20, 30, 40, 50, 60 h, due after 24 h.
    b = [make(units["b"], hours=hours, due=24) for hours in (20, 30, 40, 50, 60)]
    # A duplicate merged into one of B's: left out entirely (not received, not rejected).
    merged = make(units["b"], status="rejected")
    Report.objects.filter(pk=merged.pk).update(merged_into=b[0])
    # C: only two resolved (both on time): listed, unranked.
    make(units["c"], hours=1, due=8)
    make(units["c"], hours=1, due=8)
    # D: five resolved after 6 h, due after 8 h. E: five after 2 h, one of them without a due;
    # and open: three past their deadline (made 10/10, 20/10, 30/10 at 9:00, due 8 h later),
    # one due in 2036.
    for _ in range(5):
        make(units["d"], hours=6, due=8)
    for due in (8, 8, 8, 8, None):
        make(units["e"], hours=2, due=due)
    for day in (10, 20, 30):
        make(units["e"], due=8, at=T0.replace(day=day))
    make(units["e"], due=10 * 365 * 24, at=T0.replace(day=31))
    # F: resolves nothing; five in progress, due 6/10 17:00.
    for _ in range(5):
        make(units["f"], due=8, status="in_progress", at=T0.replace(day=6))
    # Not routed yet (no agency, no deadline): the operations centre's backlog.
    make(None, status="received")
    make(None, status="verified", at=T0.replace(day=20))
    return units


def by_key(rows: list[LeagueRow]) -> dict[str, LeagueRow]:
    return {r.key: r for r in rows}


def test_agency_figures_match_hand_calculation(agencies):
    rows = by_key(league_table(by="agency", now=NOW, **OCTOBER))
    a = rows["a"]
    # 5 resolved + 1 open + 1 rejected = 7 received.
    assert (a.received, a.resolved, a.rejected, a.open) == (7, 5, 1, 1)
    # Sorted hours [1, 2, 3, 4, 10]: median 3; p90 at position 0.9 × 4 = 3.6, so
    # 4 + 0.6 × (10 − 4) = 7.6. On time (≤ 8 h): 1, 2, 3, 4 → 4 of 5 resolved + 1 open past
    # its deadline = 4 of 6 = 66.7 %.
    assert (a.resolved_with_due, a.resolved_on_time, a.overdue_open) == (5, 4, 1)
    assert (a.on_time_of, a.on_time_pct) == (6, 66.7)
    assert (a.median_hours, a.p90_hours) == (3.0, 7.6)
    # Due 5/10 17:00, at NOW (1/11 00:00) 26 days 7 h late = 631 h; made 8 h before that.
    assert (a.oldest_overdue_hours, a.oldest_open_hours) == (631.0, 639.0)
    b = rows["b"]
    # The merged duplicate is not counted: 5 received, 0 rejected.
    assert (b.received, b.resolved, b.rejected, b.open) == (5, 5, 0, 0)
    # Hours [20, 30, 40, 50, 60]: median 40; p90 = 50 + 0.6 × 10 = 56; ≤ 24 h: only 20 → 20 %.
    assert (b.resolved_on_time, b.on_time_pct, b.median_hours, b.p90_hours) == (1, 20.0, 40, 56)
    assert (b.overdue_open, b.oldest_overdue_hours, b.oldest_open_hours) == (0, None, None)
    e = rows["e"]
    # 5 resolved + 4 open; one resolved had no due time, one open is due in 2036: on time 4 of
    # (4 resolved with a due + 3 overdue) = 57.1 %, not the 4 of 4 = 100 % of resolved alone.
    assert (e.received, e.resolved, e.open, e.overdue_open) == (9, 5, 4, 3)
    assert (e.resolved_with_due, e.resolved_on_time, e.on_time_pct) == (4, 4, 57.1)
    assert (e.median_hours, e.p90_hours) == (2.0, 2.0)
    # The oldest overdue was due 10/10 17:00: 21 days 7 h = 511 h before NOW.
    assert (e.oldest_overdue_hours, e.oldest_open_hours) == (511.0, 519.0)
    f = rows["f"]
    # Nothing resolved, 5 overdue: 0 of 5 on time, ranked (resolved + overdue = 5).
    assert (f.received, f.resolved, f.overdue_open, f.on_time_pct) == (5, 0, 5, 0.0)
    assert (f.median_hours, f.oldest_overdue_hours) == (None, 607.0)  # 25 days 7 h
    centre = rows[""]
    assert centre.name == "Trung tâm điều hành (chưa chuyển đơn vị)"
    # Two waiting to be routed, with no deadline yet: none overdue, no on-time figure; the
    # older was made 5/10 9:00, 26 days 15 h = 639 h before NOW.
    assert (centre.received, centre.open, centre.overdue_open) == (2, 2, 0)
    assert (centre.on_time_pct, centre.rank, centre.oldest_open_hours) == (None, None, 639.0)


def test_overdue_is_judged_at_now(agencies):
    """At 25/10 00:00 E's report due 30/10 17:00 is not late yet: 2 overdue, 4 of 6 on time."""
    e = by_key(league_table(by="agency", now=dt.datetime(2026, 10, 25, tzinfo=TZ), **OCTOBER))["e"]
    # The oldest, due 10/10 17:00: 14 days 7 h = 343 h.
    assert (e.overdue_open, e.on_time_pct, e.oldest_overdue_hours) == (2, 66.7, 343.0)


def test_median_of_three(db):
    unit = Agency.objects.create(code="x", name="X")
    for hours in (2, 4, 10):
        make(unit, hours=hours, due=5)
    (row,) = league_table(by="agency", **OCTOBER)
    # median of [2, 4, 10] = 4; p90 at 0.9 × 2 = 1.8: 4 + 0.8 × (10 − 4) = 8.8; 2 of 3 on time.
    assert (row.median_hours, row.p90_hours, row.on_time_pct) == (4.0, 8.8, 66.7)
    assert row.rank is None  # 3 resolved < 5
    (ranked,) = league_table(by="agency", min_resolved=3, **OCTOBER)
    assert ranked.rank == 1


def test_ranking_order_and_unranked_at_the_bottom(agencies):
    rows = league_table(by="agency", now=NOW, **OCTOBER)
    # The operations centre's backlog first, unranked. Then D 100 %, A 66.7 %, E 57.1 %
    # (first at 100 % if its overdue reports were not counted), B 20 %, F 0 % (ranked on its
    # 5 overdue reports). C (2 resolved < 5) is listed, unranked.
    assert [(r.key, r.rank) for r in rows] == [
        ("", None),
        ("d", 1),
        ("a", 2),
        ("e", 3),
        ("b", 4),
        ("f", 5),
        ("c", None),
    ]
    # Ranked and under 50 % on time (LEAGUE_SLOW_ON_TIME_PCT): B and F.
    assert [r.key for r in rows if r.below_threshold] == ["b", "f"]


def test_the_threshold_is_a_setting(agencies, settings):
    settings.LEAGUE_SLOW_ON_TIME_PCT = 60
    rows = league_table(by="agency", now=NOW, **OCTOBER)
    assert [r.key for r in rows if r.below_threshold] == ["e", "b", "f"]


def _row(key: str, *, pct: float | None, median: float, received: int) -> LeagueRow:
    return LeagueRow(
        key=key, name=key, received=received, resolved=9, rejected=0, open=0,
        resolved_with_due=9, resolved_on_time=0, on_time_pct=pct, median_hours=median,
        p90_hours=median,
    )  # fmt: skip


def test_ties_go_to_more_received_and_no_due_figure_ranks_last():
    rows = [
        _row("no_due", pct=None, median=1, received=99),
        _row("few", pct=90, median=5, received=10),
        _row("many", pct=90, median=5, received=30),
        _row("faster", pct=90, median=4, received=1),
    ]
    assert [r.key for r in _ranked(rows, min_resolved=5)] == ["faster", "many", "few", "no_due"]


def test_period_bounds_are_local_dates(db):
    unit = Agency.objects.create(code="x", name="X")
    for at in (
        dt.datetime(2026, 9, 30, 23, 59, 59, tzinfo=TZ),  # out: the day before, locally
        dt.datetime(2026, 10, 1, 0, 0, tzinfo=TZ),  # in (= 2026-09-30 17:00 UTC)
        dt.datetime(2026, 10, 31, 23, 59, 59, tzinfo=TZ),  # in
        dt.datetime(2026, 11, 1, 0, 0, tzinfo=TZ),  # out
    ):
        make(unit, at=at, status="received")
    (row,) = league_table(by="agency", **OCTOBER)
    assert row.received == 2
    assert league_table(by="agency", since=dt.date(2026, 10, 2), until=dt.date(2026, 10, 30)) == []


def test_by_category(agencies):
    make(agencies["a"], hours=1, due=8, category="moi_truong")
    rows = by_key(league_table(by="category", **OCTOBER))
    assert set(rows) == {"ha_tang", "moi_truong"}
    env = rows["moi_truong"]
    assert (env.name, env.received, env.resolved, env.on_time_pct, env.rank) == (
        "Môi trường", 1, 1, 100.0, None,
    )  # fmt: skip
    # Every October report but the merged duplicate and the one above: 7+5+2+5+9+5+2 = 35.
    assert rows["ha_tang"].received == 35


def test_by_ward_keeps_boundary_versions_apart(mong_cai_wards):
    unit = Agency.objects.create(code="x", name="X")
    new = make(unit, hours=3, due=8)
    old = make(unit, hours=5, due=8, at=dt.datetime(2025, 3, 3, 9, tzinfo=TZ))
    make(unit, location=AT_SEA, status="received")
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.ward.version.name == "mong-cai-2025" and old.ward.version.name == "mong-cai-2024"
    rows = by_key(league_table(by="ward", since=dt.date(2025, 1, 1), until=dt.date(2026, 12, 31)))
    assert set(rows) == {f"mong-cai-2025/{new.ward.code}", f"mong-cai-2024/{old.ward.code}", ""}
    recent = rows[f"mong-cai-2025/{new.ward.code}"]
    # Titled in each language, never with the version's slug (which only the key carries).
    assert new.ward.unit_type == "phuong"
    assert (recent.name, recent.name_en) == (f"Phường {new.ward.name}", f"{new.ward.name} Ward")
    assert recent.name_zh == f"{new.ward.name}坊"
    assert (recent.received, recent.median_hours) == (1, 3.0)
    assert rows[f"mong-cai-2024/{old.ward.code}"].median_hours == 5.0
    assert rows[""].name == "Ngoài địa giới các phường, xã"


def test_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="by must be one of"):
        league_table(by="agency; DROP TABLE x", **OCTOBER)


# --- The JSON endpoint ---------------------------------------------------------------------


def hours_late(due: dt.datetime, *, before: dt.datetime, after: dt.datetime) -> tuple:
    """The bounds, in hours to 0.1, of how late `due` was when a request ran before..after."""
    return (round((before - due).total_seconds() / 3600, 1) - 0.1,
            round((after - due).total_seconds() / 3600, 1) + 0.1)  # fmt: skip


def test_json_endpoint(agencies, django_assert_max_num_queries):
    url = reverse("api:league-table")
    before = timezone.now()
    # Two queries: the bounded count of the period (public callers), then the one grouped pass.
    with django_assert_max_num_queries(2):
        response = APIClient().get(
            url, {"by": "agency", "since": "2026-10-01", "until": "2026-10-31"}
        )
    after = timezone.now()
    assert response.status_code == 200
    data = response.json()
    assert (data["by"], data["since"], data["until"]) == ("agency", "2026-10-01", "2026-10-31")
    assert [r["key"] for r in data["rows"]] == ["", "d", "a", "e", "b", "f", "c"]
    a = data["rows"][2]
    # Overdue is judged now (the request's moment): A's open report, due 5/10 17:00, is late.
    low, high = hours_late(T0 + dt.timedelta(hours=8), before=before, after=after)
    assert low <= a.pop("oldest_overdue_hours") <= high
    assert low + 8 <= a.pop("oldest_open_hours") <= high + 8
    assert a == {
        "key": "a", "name": "Phòng Quản lý đô thị", "received": 7, "resolved": 5, "rejected": 1,
        "open": 1, "resolved_with_due": 5, "resolved_on_time": 4, "on_time_pct": 66.7,
        "median_hours": 3.0, "p90_hours": 7.6, "rank": 2,
        "rated": 0, "satisfied": 0, "acceptable": 0, "dissatisfied": 0,
        "satisfaction_score": None, "overdue_open": 1, "below_threshold": False,
        "name_en": "", "name_zh": "",
    }  # fmt: skip
    marked = {r["key"]: r["below_threshold"] for r in data["rows"]}
    assert marked == {"": False, "d": False, "a": False, "e": False, "b": True, "f": True,
                      "c": False}  # fmt: skip
    text = json.dumps(data, ensure_ascii=False)
    assert not [p for p in PERSONAL if p in text]


def test_json_defaults_to_agencies_over_the_last_90_days(db):
    data = APIClient().get(reverse("api:league-table")).json()
    today = timezone.localdate()
    assert data["by"] == "agency" and data["until"] == today.isoformat()
    assert data["since"] == (today - dt.timedelta(days=90)).isoformat()


@pytest.mark.parametrize(
    "params,fields",
    [
        ({"by": "person"}, ["by"]),
        ({"since": "2026-13-01"}, ["since"]),
        ({"since": "yesterday", "until": "x"}, ["since", "until"]),
        ({"since": "2026-10-31", "until": "2026-10-01"}, ["until"]),
        ({"since": "2020-01-01", "until": "2026-10-01"}, ["since"]),
    ],
)
def test_bad_input_is_a_400_naming_the_fields(db, params, fields):
    for name in ("api:league-table", "api:league-table-csv"):
        response = APIClient().get(reverse(name), params)
        assert response.status_code == 400
        assert sorted(response.json()["errors"]) == fields


# --- CSV -----------------------------------------------------------------------------------


def test_csv_export(agencies):
    agencies["a"].name = "=HYPERLINK(1)"
    agencies["a"].save()
    response = APIClient().get(
        reverse("api:league-table-csv"), {"since": "2026-10-01", "until": "2026-10-31"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="league-agency-2026-10-01-2026-10-31.csv"'
    )
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "rank,key,name,received,resolved,rejected,open,resolved_with_due,resolved_on_time,"
        "on_time_pct,median_hours,p90_hours,rated,satisfied,acceptable,dissatisfied,"
        "satisfaction_score,overdue_open,oldest_overdue_hours,oldest_open_hours,below_threshold"
    )
    # The ages depend on the clock (overdue is judged now): cut them out of the lines.
    fixed = [",".join(line.split(",")[:18] + line.split(",")[20:]) for line in lines[1:]]
    assert fixed[0] == ",,Trung tâm điều hành (chưa chuyển đơn vị),2,0,0,2,0,0,,,,0,0,0,0,,0,0"
    assert fixed[1] == "1,d,Ban Quản lý chợ,5,5,0,0,5,5,100.0,6.0,6.0,0,0,0,0,,0,0"
    # A formula-like name is defused; unranked rows have an empty rank.
    assert fixed[2] == "2,a,'=HYPERLINK(1),7,5,1,1,5,4,66.7,3.0,7.6,0,0,0,0,,1,0"
    # Below the threshold: 1 in the last column.
    assert fixed[4] == "4,b,Công ty Môi trường,5,5,0,0,5,1,20.0,40.0,56.0,0,0,0,0,,0,1"
    assert fixed[5] == "5,f,Ban Quản lý dự án,5,0,0,5,0,0,0.0,,,0,0,0,0,,5,1"
    assert fixed[6] == ",c,Công an phường,2,2,0,0,2,2,100.0,1.0,1.0,0,0,0,0,,0,0"
    assert len(lines) == 8
    assert not [p for p in PERSONAL if p in body.decode("utf-8")]


def test_csv_default_filename(db):
    response = APIClient().get(reverse("api:league-table-csv"), {"by": "ward"})
    today = timezone.localdate()
    since = today - dt.timedelta(days=90)
    assert response["Content-Disposition"] == (
        f'attachment; filename="league-ward-{since.isoformat()}-{today.isoformat()}.csv"'
    )


# --- The public page -----------------------------------------------------------------------


def test_page_renders_the_ranking(agencies, client):
    agencies["b"].name = "<script>alert(1)</script>"
    agencies["b"].save()
    response = client.get(
        reverse("web_map:league"), {"by": "agency", "since": "2026-10-01", "until": "2026-10-31"}
    )
    assert response.status_code == 200
    html = response.content.decode("utf-8")
    for agency in ("Điện lực Móng Cái", "Ban Quản lý chợ", "Phòng Quản lý đô thị"):
        assert agency in html
    assert html.index("Ban Quản lý chợ") < html.index("Phòng Quản lý đô thị")
    assert html.index("Phòng Quản lý đô thị") < html.index("Điện lực Móng Cái")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)" in html
    assert "66,7%" in html or "66.7%" in html
    csv_url = (
        reverse("api:league-table-csv") + "?by=agency&amp;since=2026-10-01&amp;until=2026-10-31"
    )
    assert csv_url in html
    assert 'href="/xep-hang/?by=ward&amp;since=2026-10-01&amp;until=2026-10-31"' in html
    assert 'value="2026-10-01"' in html
    assert not [p for p in PERSONAL if p in html]


def test_page_marks_slow_units_and_shows_the_centre_backlog(agencies, client):
    """Ranked units under the threshold carry a visible mark (not colour alone); the centre's
    backlog is the first row, highlighted, with its count waiting to be routed; the page says
    how it ranks."""
    html = client.get(
        reverse("web_map:league"), {"by": "agency", "since": "2026-10-01", "until": "2026-10-31"}
    ).content.decode("utf-8")
    rows = re.findall(r'<tr class="(\w*)" data-key="(\w*)">(.*?)</tr>', html, flags=re.S)
    assert [(cls, key) for cls, key, _ in rows] == [
        ("centre", ""), ("", "d"), ("", "a"), ("", "e"), ("slow", "b"), ("slow", "f"),
        ("unranked", "c"),
    ]  # fmt: skip
    cells = {key: body for _, key, body in rows}
    assert [k for k, body in cells.items() if "dưới ngưỡng" in body] == ["b", "f"]
    assert "Trung tâm điều hành (chưa chuyển đơn vị)" in cells[""]
    assert '<td class="overdue">2 chờ chuyển</td>' in cells[""]
    assert '<td class="overdue">3</td>' in cells["e"]
    # The oldest of E's overdue reports, due 10/10 17:00, is weeks late: shown in days.
    assert re.search(r'<td class="wide">\d+ ngày</td>', cells["e"])
    assert "phản ánh để quá hạn mà chưa xong cũng tính là trễ" in html
    assert "Đơn vị đúng hạn dưới 50% được đánh dấu" in html


def test_age_label():
    from web_map.league import age_label

    assert [age_label(h) for h in (None, 0.4, 47.9, 48.0, 631.0)] == [
        "\N{EN DASH}", "0 giờ", "47 giờ", "2 ngày", "26 ngày",
    ]  # fmt: skip


def test_ward_statistics_count_overdue(mong_cai_wards):
    """The ward statistics keep their fields and add the overdue open reports."""
    unit = Agency.objects.create(code="x", name="X")
    make(unit, hours=3, due=8)
    make(unit, due=8)  # open, due 5/10 17:00: overdue now
    response = APIClient().get(
        reverse("api:ward-stats"), {**{k: str(v) for k, v in OCTOBER.items()}}
    )
    assert response.status_code == 200
    (ward,) = [f["properties"] for f in response.json()["features"] if f["properties"]["received"]]
    assert (ward["received"], ward["resolved"], ward["overdue_open"]) == (2, 1, 1)
    assert (ward["on_time_pct"], ward["median_hours"]) == (50.0, 3.0)


def test_page_by_category_and_bad_dates(agencies, client):
    html = client.get(
        reverse("web_map:league"), {"by": "category", "since": "2026-10-01", "until": "2026-10-31"}
    ).content.decode()
    assert Category.objects.get(code="ha_tang").name_vi in html
    response = client.get(reverse("web_map:league"), {"since": "2026-10-31", "until": "x"})
    assert response.status_code == 400
    assert "until" in response.content.decode() and "<table>" not in response.content.decode()


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    assert "operationId: league_table\n" in text and "operationId: league_table_csv" in text
    assert "text/csv" in text


def test_rating_distribution_and_satisfaction_score(db):
    """3 rated reports of one category: satisfied, acceptable, dissatisfied
    -> score 100 × (1 + 0.5) / 3 = 50.0; a fourth, unrated, is not in the denominator."""
    import datetime as dt

    from django.contrib.gis.geos import Point
    from django.utils import timezone

    from gis_core.models import Category, Report, ReportRating

    category = Category.objects.get(code="y_te_co_so")
    when = timezone.now() - dt.timedelta(days=2)
    for value in ("satisfied", "acceptable", "dissatisfied", None):
        report = Report.objects.create(
            category=category, description="x", location=Point(107.96, 21.53, srid=4326),
            status="resolved", reported_at=when, resolved_at=when + dt.timedelta(hours=5),
        )  # fmt: skip
        if value:
            ReportRating.objects.create(report=report, value=value)
    today = timezone.localdate()
    rows = league_table(by="category", since=today - dt.timedelta(days=7), until=today)
    (row,) = [r for r in rows if r.key == "y_te_co_so"]
    assert (row.received, row.rated, row.satisfied, row.acceptable, row.dissatisfied) == (
        4, 3, 1, 1, 1,
    )  # fmt: skip
    assert row.satisfaction_score == 50.0


def test_staff_drill_down_from_a_row_to_its_reports(db, client):
    """Staff see each row linked to their queue filtered to that unit and period; the public
    sees plain names."""
    import datetime as dt

    from django.contrib.auth.models import Group, User
    from django.contrib.gis.geos import Point
    from django.utils import timezone

    from gis_core.models import Agency, Category, Report

    agency = Agency.objects.create(code="dien-luc", name="Điện lực")
    Report.objects.create(
        category=Category.objects.get(code="ha_tang"), description="Đèn hỏng",
        location=Point(107.96, 21.53, srid=4326), agency=agency, status="assigned",
        reported_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    public = client.get(reverse("web_map:league")).content.decode()
    assert "Điện lực" in public and "/can-bo/?agency=dien-luc" not in public
    operator = User.objects.create_user("op", is_staff=True)
    operator.groups.add(Group.objects.get(name="operator"))
    client.force_login(operator)
    page = client.get(reverse("web_map:league")).content.decode()
    assert "/can-bo/?agency=dien-luc&amp;since=" in page
    queue = client.get("/can-bo/?agency=dien-luc").content.decode()
    assert "Đèn hỏng" in queue


# --- The public period bound -----------------------------------------------------------------


def test_public_caller_is_held_to_the_period_bound(agencies, settings):
    """October holds 30-odd reports: with a public bound of 10, the public gets a 400 naming
    `since` (the API, the CSV, the ward statistics and the page), staff get the table."""
    settings.LEAGUE_MAX_REPORTS_PUBLIC = 10
    period = {"since": "2026-10-01", "until": "2026-10-31"}
    for name in ("api:league-table", "api:league-table-csv", "api:ward-stats"):
        response = APIClient().get(reverse(name), period)
        assert response.status_code == 400, name
        assert response.json()["errors"]["since"] == [
            "Khoảng thời gian này có hơn 10 phản ánh: hãy chọn khoảng ngắn hơn."
        ]
    page = APIClient().get(reverse("web_map:league"), period)
    assert page.status_code == 400
    assert "hãy chọn khoảng ngắn hơn" in page.content.decode()

    from django.contrib.auth.models import Group, User

    operator = User.objects.create_user("op-league")
    operator.groups.add(Group.objects.get_or_create(name="operator")[0])
    client = APIClient()
    client.force_login(operator)
    for name in ("api:league-table", "api:league-table-csv", "api:ward-stats"):
        assert client.get(reverse(name), period).status_code == 200, name


def test_a_short_enough_period_is_answered_to_the_public(agencies, settings):
    settings.LEAGUE_MAX_REPORTS_PUBLIC = 10
    response = APIClient().get(
        reverse("api:league-table"), {"since": "2026-09-01", "until": "2026-09-30"}
    )
    assert response.status_code == 200  # no report in September


def test_the_bound_reads_at_most_limit_plus_one_rows(agencies):
    from gis_core.league import period_holds_more_reports
    from tests.query_cost import rows_read

    more, read, _ = rows_read(
        lambda: period_holds_more_reports(limit=3, **OCTOBER), "gis_core_report"
    )
    assert more is True
    assert read == 4  # limit + 1 index entries, not the period's 30-odd reports
    assert not period_holds_more_reports(limit=10_000, **OCTOBER)


def test_a_period_in_the_cache_is_served_to_the_public_past_the_bound(agencies, settings):
    """precompute_league keeps the pages' default periods in the cache: the public gets them
    however many reports they hold, from the cache, with no query of the reports."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gis_core.league import default_periods

    settings.LEAGUE_MAX_REPORTS_PUBLIC = 10
    settings.LEAGUE_CACHE_SECONDS = 600
    today = dt.date(2026, 10, 31)
    call_command("precompute_league", stdout=io.StringIO())  # today's defaults
    by, since, until = default_periods(today)[0]
    from gis_core.league import league_precompute

    assert league_precompute(today) == 5  # four groupings over 90 days, the wards' year
    period = {"by": by, "since": since.isoformat(), "until": until.isoformat()}
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get(reverse("api:league-table"), period)
    assert response.status_code == 200
    assert {r["key"] for r in response.json()["rows"]} >= {"a", "b"}
    assert not [q for q in queries if "gis_core_report" in q["sql"]]
    # Another period, not in the cache, is still held to the bound.
    other = {**period, "since": (since + dt.timedelta(days=1)).isoformat()}
    assert APIClient().get(reverse("api:league-table"), other).status_code == 400
    ward_year = default_periods(today)[-1]
    stats = {"since": ward_year[1].isoformat(), "until": ward_year[2].isoformat()}
    assert APIClient().get(reverse("api:ward-stats"), stats).status_code == 200
