"""Hotspots per province (?province=): the study area is that province's wards and only the
reports in them count, so another province's cluster never shows; the precompute command
stores each province's answers beside the country's (one pass of counts for all of them);
a bad province is a 400 naming the field."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.models import Category, Report
from layers.hotspot_snapshots import default_period, precompute_defaults
from layers.hotspots import find_hotspots, hex_counts, hex_counts_by_province, previous_period
from layers.models import HotspotSnapshot
from tests.layers.test_hotspots import CENTRES, add_reports, disc_points, uniform_points
from tests.two_provinces import HANOI_BOX, add_hanoi_ward

pytestmark = pytest.mark.django_db

URL = "/api/v1/hotspots/"
SINCE, UNTIL = dt.date(2025, 9, 1), dt.date(2025, 11, 29)
DAYS = (UNTIL - SINCE).days + 1
HANOI_CENTRE = (105.805, 21.035)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def two_provinces(mong_cai_wards):
    return add_hanoi_ward()


def hanoi_uniform(n: int, seed: int) -> list[tuple[float, float]]:
    """n points uniform over the Hà Nội test ward (a box)."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = HANOI_BOX
    xs, ys = rng.uniform(minx, maxx, n).tolist(), rng.uniform(miny, maxy, n).tolist()
    return list(zip(xs, ys, strict=True))


@pytest.fixture
def clusters(two_provinces):
    """A cluster in Móng Cái 2 (province 22) and one in Hà Nội (01), each among noise."""
    mong_cai = disc_points(CENTRES["06709"], 150, 150, seed=1) + uniform_points(800, seed=2)
    hanoi = disc_points(HANOI_CENTRE, 120, 100, seed=3) + hanoi_uniform(150, seed=4)
    add_reports(mong_cai + hanoi, start=SINCE, days=DAYS, seed=5)
    return {"22": len(mong_cai), "01": len(hanoi)}


def period(**kw) -> dict:
    return {"category": "moi_truong", "since": SINCE, "until": UNTIL, **kw}


def test_a_province_is_its_own_study_area(clusters):
    country = find_hotspots(**period())
    hanoi = find_hotspots(**period(province="01"))
    mong_cai = find_hotspots(**period(province="22"))
    # Each province counts its own reports only, on its own (much smaller) grid.
    assert sum(c.count for c in hanoi.cells) == clusters["01"]
    assert sum(c.count for c in mong_cai.cells) == clusters["22"]
    assert sum(c.count for c in country.cells) == clusters["01"] + clusters["22"]
    assert hanoi.parameters["hexes_tested"] < 200 < mong_cai.parameters["hexes_tested"]
    assert (
        hanoi.parameters["hexes_tested"] + mong_cai.parameters["hexes_tested"]
        == country.parameters["hexes_tested"]
    )
    assert hanoi.parameters["province"] == "01"
    # Every Hà Nội hex lies in Hà Nội's box (plus its ring): none is Móng Cái's.
    assert all(105.79 < c.lon < 105.83 and 21.01 < c.lat < 21.05 for c in hanoi.cells)
    assert [c.ward_code for c in hanoi.clusters] == ["00004"]
    assert [c.ward_code for c in mong_cai.clusters] == ["06709"]
    assert {c.ward_code for c in country.clusters} == {"00004", "06709"}


def test_one_pass_counts_every_province_as_its_own_query(clusters):
    previous_since, _ = previous_period(SINCE, UNTIL)
    kw = {"previous_since": previous_since, "since": SINCE, "until": UNTIL, "hex_size_m": 300.0}
    every = hex_counts_by_province(category="moi_truong", **kw)
    assert set(every) == {"01", "22"}
    for code, counts in every.items():
        assert counts == hex_counts(category="moi_truong", province=code, **kw)
    # A report in no ward (at sea) is in no province, but counts country-wide.
    add_reports([(108.6, 21.0)], start=SINCE, days=1, seed=6)
    assert hex_counts_by_province(category="moi_truong", **kw) == every
    assert sum(c for c, _ in hex_counts(category="moi_truong", **kw).values()) == 1 + sum(
        clusters.values()
    )


def test_precompute_stores_each_province_beside_the_country(clusters):
    today = UNTIL
    since, until = default_period(today)
    done = precompute_defaults(hex_sizes=(300.0,), categories=["moi_truong"], today=today)
    assert sorted(p.get("province") or "" for p, _ in done) == ["", "01", "22"]
    rows = HotspotSnapshot.objects.filter(default_period=True, since=since, until=until)
    assert sorted(rows.values_list("province", flat=True)) == ["", "01", "22"]
    for code in ("01", "22"):
        row = rows.get(province=code)
        assert row.key.endswith(f":p{code}")
        direct = find_hotspots(category="moi_truong", since=since, until=until, province=code)
        assert [f["properties"]["ward_code"] for f in row.answer["features"]] == [
            c.ward_code for c in direct.clusters
        ]
        assert row.answer["parameters"]["hexes_tested"] == direct.parameters["hexes_tested"]
    assert [f["properties"]["ward_code"] for f in rows.get(province="01").answer["features"]] == [
        "00004"
    ]


def test_the_api_serves_a_province_and_refuses_a_bad_one(two_provinces):
    add_reports(
        disc_points(HANOI_CENTRE, 120, 100, seed=3) + hanoi_uniform(150, seed=4),
        start=timezone.localdate() - dt.timedelta(days=20),
        days=10,
        seed=7,
    )
    out = StringIO()
    call_command("precompute_hotspots", "--province", "01", stdout=out)
    active = Category.objects.filter(is_active=True).count()
    assert out.getvalue().startswith(f"{3 * (1 + active)} hotspot answer(s) stored")
    assert set(HotspotSnapshot.objects.values_list("province", flat=True)) == {"01"}
    anonymous = APIClient()
    body = anonymous.get(URL, {"province": "01"}).json()
    assert body["parameters"]["province"] == "01"
    assert [f["properties"]["ward_code"] for f in body["features"]] == ["00004"]
    # The country's answer was not stored by --province: not served, not started.
    missing = anonymous.get(URL)
    assert missing.status_code == 404
    assert missing.json()["precomputed"]["provinces"] == ["01", "22"]
    assert (
        Report.objects.count() == 270 and HotspotSnapshot.objects.filter(province="").count() == 0
    )
    for bad in ("99", "0 1", "x" * 11):
        response = anonymous.get(URL, {"province": bad})
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["province"]
    # A staff member's analysis of a province is stored under it.
    staff = APIClient()
    staff.force_login(User.objects.create_user("planner", password="x", is_staff=True))
    answer = staff.get(URL, {"province": "22", "category": "moi_truong"})
    assert answer.status_code == 200 and answer.json()["features"] == []
    assert HotspotSnapshot.objects.filter(province="22", category="moi_truong").count() == 1
    with pytest.raises(CommandError, match="99"):
        call_command("precompute_hotspots", "--province", "99", stdout=StringIO())
