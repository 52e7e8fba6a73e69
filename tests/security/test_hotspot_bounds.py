"""Hotspots cannot be made expensive: a few hex sizes, a period of at most a year, a capped
permutation budget, and anonymous callers are answered from stored results only."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.models import Category, StaffRole
from layers.hotspots import MAX_PERMUTATIONS, permutations_needed
from layers.models import HotspotSnapshot
from tests.hotspot_data import plant_emerging_cluster

pytestmark = pytest.mark.django_db
URL = "/api/v1/hotspots/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_client(db):
    """A planner as the planner page has them: a staff role (a group), no admin access."""
    user = User.objects.create_user("planner", password="x")
    user.groups.add(Group.objects.get_or_create(name=StaffRole.OPERATOR)[0])
    client = APIClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("size", ["100", "300.0001", "2000", "5e2", "\uff15\uff10\uff10", "inf"])
def test_a_hex_size_outside_the_list_is_a_400_naming_it(size):
    response = APIClient().get(URL, {"hex_size": size})
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["hex_size"]
    # One fixed message listing the allowed sizes: the input is not echoed.
    assert body["errors"]["hex_size"] == [
        "hex_size phải là một trong các giá trị: 300, 500, 1000 (mét)."
    ]
    assert HotspotSnapshot.objects.count() == 0


def test_a_period_longer_than_a_year_is_a_400():
    until = timezone.localdate()
    since = until - dt.timedelta(days=400)
    response = APIClient().get(URL, {"since": since.isoformat(), "until": until.isoformat()})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["since"]


def test_the_permutation_budget_is_capped():
    # 100 m hexes over the city and its surroundings: ~70,000 hexes wanted 1.4M shuffles.
    assert permutations_needed(hexes=70_000, alpha=0.05, permutations=999) == MAX_PERMUTATIONS
    assert MAX_PERMUTATIONS <= 200_000
    # Móng Cái at 300 m (~7,700 hexes) is inside the budget: its answers are unchanged.
    assert permutations_needed(hexes=7_700, alpha=0.05, permutations=999) == 154_000


def test_an_anonymous_cache_miss_starts_no_analysis(mong_cai_wards, staff_client):
    plant_emerging_cluster(days_ago=2)
    until = timezone.localdate()
    period = {"since": (until - dt.timedelta(days=29)).isoformat(), "until": until.isoformat()}
    anonymous = APIClient()

    other = anonymous.get(URL, period)
    assert other.status_code == 404
    assert list(other.json()["errors"]) == ["since"]
    assert other.json()["precomputed"] == {"days": 90, "hex_sizes": [300, 500, 1000]}
    default = anonymous.get(URL, {"hex_size": "500"})
    assert default.status_code == 404 and int(default["Retry-After"]) > 0
    # Nothing was analysed: no stored answer, nothing in the cache.
    assert HotspotSnapshot.objects.count() == 0
    assert not cache._list_cache_files()  # the file cache the answers would be kept in

    # A staff member's analysis is stored, and from then on served to everyone.
    computed = staff_client.get(URL, period)
    assert computed.status_code == 200 and len(computed.json()["features"]) == 1
    assert HotspotSnapshot.objects.count() == 1
    again = anonymous.get(URL, period)
    assert again.status_code == 200 and again.json() == computed.json()
    assert HotspotSnapshot.objects.count() == 1


def test_the_precompute_command_serves_the_default_period_to_everyone(mong_cai_wards):
    plant_emerging_cluster(days_ago=2)
    out = StringIO()
    call_command("precompute_hotspots", stdout=out)
    active = Category.objects.filter(is_active=True).count()
    assert HotspotSnapshot.objects.filter(default_period=True).count() == 3 * (1 + active)
    assert out.getvalue().startswith(f"{3 * (1 + active)} hotspot answer(s) stored")
    stored = HotspotSnapshot.objects.count()
    for size in ("300", "500.0", "1000"):
        response = APIClient().get(URL, {"hex_size": size, "category": "moi_truong"})
        assert response.status_code == 200
        assert response.json()["parameters"]["hex_size_m"] == float(size)
    assert HotspotSnapshot.objects.count() == stored  # served, not recomputed
