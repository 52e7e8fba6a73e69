"""The tourism office's reads of visitors' reports about places: the ranking (open first,
then the last 30 days, ties by name), overcharging beside the listed price, and one place's
history of reports, prices and changes merged newest first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from layers.places.report_selectors import (
    overcharge,
    place_history,
    place_overcharges,
    places_ranked,
    places_with_report_counts,
)
from layers.places.services import place_update, price_close
from tests.layers.place_reports import link_report, list_price, make_place

pytestmark = pytest.mark.django_db


def test_ranking_open_first_then_last_30_days_then_name_in_one_query():
    now = timezone.now()
    alpha, beta, gamma, delta = (make_place(n) for n in ("Alpha", "Beta", "Gamma", "Delta"))
    make_place("Không ai phản ánh")
    # Beta: 2 open. Alpha and Gamma: 1 open each; Gamma has 2 more (resolved) this month.
    link_report(beta, status="received")
    link_report(beta, status="assigned", days_ago=90)
    link_report(alpha, status="verified", days_ago=40)
    link_report(gamma, status="in_progress", days_ago=45)
    link_report(gamma, status="resolved", days_ago=3)
    link_report(gamma, status="resolved", days_ago=29.9)
    # Delta: nothing open; one resolved 31 days ago (outside) and one rejected today.
    link_report(delta, status="resolved", days_ago=31)
    link_report(delta, status="rejected", days_ago=0.5)
    with CaptureQueriesContext(connection) as queries:
        rows = list(places_ranked(now))
    assert len(queries) == 1
    assert [p.name for p in rows] == ["Beta", "Gamma", "Alpha", "Delta"]
    counts = {p.name: (p.open_reports, p.recent_reports) for p in rows}
    assert counts == {"Beta": (2, 1), "Gamma": (1, 2), "Alpha": (1, 0), "Delta": (0, 0)}
    # Ties are by name: Alpha and Gamma again level, Alpha first.
    link_report(alpha, status="resolved", days_ago=2)
    link_report(alpha, status="resolved", days_ago=2)
    assert [p.name for p in places_ranked(now)][:3] == ["Beta", "Alpha", "Gamma"]


def test_ranking_counts_overcharging_and_reads_the_price_date():
    now = timezone.now()
    hotel = make_place("Khách sạn Biển")
    row = list_price(hotel)
    link_report(hotel, category="du_lich_chat_chem", price=row, charged_vnd=700_000)
    link_report(hotel, category="du_lich_chat_chem", status="rejected")
    link_report(hotel, category="du_lich_ve_sinh")
    (ranked,) = places_ranked(now)
    assert ranked.overcharging_reports == 1 and ranked.open_reports == 2
    assert ranked.prices_updated_at == row.created_at


def test_overcharge_difference_in_vnd_and_whole_per_cent():
    hotel = make_place("Khách sạn Biển")
    row = list_price(hotel, price_vnd=450_000)
    report = link_report(hotel, category="du_lich_chat_chem", price=row, charged_vnd=700_000)
    (charge,) = place_overcharges(hotel)
    assert charge.report.pk == report.pk and charge.price.pk == row.pk
    assert (charge.difference_vnd, charge.difference_pct) == (250_000, 56)  # 55.56 %
    # Half up, a lower charge is negative, and an unknown side leaves both unknown.
    row.price_vnd = 200_000
    assert overcharge(report, row, 201_000).difference_pct == 1  # 0.5 % rounds up
    assert overcharge(report, row, 150_000).difference_pct == -25
    assert overcharge(report, None, 700_000).difference_vnd is None
    assert overcharge(report, row, None).difference_pct is None
    row.price_vnd = 0
    assert overcharge(report, row, 10_000).difference_pct is None


def test_history_merges_reports_prices_and_changes_newest_first():
    office = User.objects.create_user("du-lich", password="x")
    hotel = make_place("Khách sạn Biển", user=office)
    first = list_price(hotel, user=office, valid_from=timezone.localdate() - dt.timedelta(days=9))
    second = list_price(
        hotel,
        user=office,
        price_vnd=500_000,
        valid_from=timezone.localdate() - dt.timedelta(days=2),
    )
    place_update(user=office, place=hotel, values={"address": "Trà Cổ"})
    report = link_report(
        hotel, category="du_lich_chat_chem", price=second, charged_vnd=800_000, days_ago=0
    )
    older = link_report(hotel, days_ago=30)
    entries = place_history(hotel)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    kinds = [(e.kind, e.item.pk) for e in entries]
    assert kinds[0] == ("report", report.pk) and kinds[-1] == ("report", older.pk)
    assert ("price", first.pk) in kinds and ("price", second.pk) in kinds
    changes = [e.item.action for e in entries if e.kind == "change"]
    assert sorted(changes) == ["create", "price_add", "price_add", "update"]
    assert entries[0].overcharge is not None and entries[0].overcharge.difference_vnd == 300_000
    # The closed price row is still there, with its end.
    first.refresh_from_db()
    assert first.valid_to == second.valid_from - dt.timedelta(days=1)
    price_close(user=office, price=second, valid_to=timezone.localdate())
    assert place_history(hotel)[0].kind == "change"
    # No contact column was loaded with the reports.
    loaded = entries[0].item.get_deferred_fields()
    assert {"contact_name", "contact_phone", "contact_email", "reporter_id"} <= loaded


def test_every_place_with_its_report_count_in_a_period_in_one_query():
    now = timezone.now()
    a, b = make_place("A"), make_place("B", kind="food")
    make_place("C", kind="market")
    for days in (1, 2, 3):
        link_report(a, days_ago=days)
    link_report(b, days_ago=1)
    link_report(b, days_ago=1, status="rejected")
    link_report(b, days_ago=100)
    with CaptureQueriesContext(connection) as queries:
        rows = places_with_report_counts(since=now - dt.timedelta(days=10), until=now, limit=10)
    assert len(queries) == 1
    assert [(r["name"], r["kind"], r["reports"]) for r in rows] == [
        ("A", "accommodation", 3),
        ("B", "food", 1),
        ("C", "market", 0),
    ]
    assert abs(rows[0]["lon"] - a.location.x) < 1e-9 and abs(rows[0]["lat"] - a.location.y) < 1e-9
    assert len(places_with_report_counts(since=now, until=now, limit=2)) == 2
