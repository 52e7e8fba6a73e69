"""Heavy reads are rate-limited per address through the shared GCRA buckets: exports, list
pages above the size threshold, Open311 lists and hotspots answer 429 with Retry-After once
an address has used its share; other addresses and staff go on, light reads are free."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
WINDOW = 600


@pytest.fixture(autouse=True)
def _limits(settings):
    """Small limits, so a test needs only a few requests (the test settings turn them off)."""
    settings.READ_LIMIT_EXPORT = (3, WINDOW)
    settings.READ_LIMIT_LIST = (2, WINDOW)
    settings.READ_LIMIT_HOTSPOTS = (2, WINDOW)
    settings.READ_LIMIT_STAFF = (50, WINDOW)
    cache.clear()
    yield
    cache.clear()


def _refused(response) -> None:
    assert response.status_code == 429, response.content[:200]
    assert 0 < int(response["Retry-After"]) <= WINDOW


def test_the_fourth_export_in_the_window_is_a_429(world):
    client = Client()
    for path in ("reports.csv", "reports.geojson", "reports.csv"):
        assert client.get(f"/api/v1/exports/{path}").status_code == 200
    refused = client.get("/api/v1/exports/reports.csv")
    _refused(refused)
    body = refused.json()
    assert body["retry_after"] == int(refused["Retry-After"])
    assert body["detail"].startswith("Quá nhiều yêu cầu tải dữ liệu lớn")
    # Another address has its own bucket; a bad request is refused before any charge.
    assert client.get("/api/v1/exports/reports.csv", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/api/v1/exports/reports.csv", {"since": "x"}).status_code == 400


def test_layer_exports_share_the_export_limit(world):
    from layers.models import Layer

    layer = Layer.objects.filter(audience=Layer.Audience.PUBLIC, kind=Layer.Kind.WIFI).first()
    assert layer is not None, "the seed migration's Wi-Fi layer"
    client = Client()
    for _ in range(3):
        assert client.get(f"/api/v1/exports/layers/{layer.key}.csv").status_code == 200
    _refused(client.get(f"/api/v1/exports/layers/{layer.key}.geojson"))
    _refused(client.get("/api/v1/exports/reports.csv"))


def test_staff_are_not_held_to_the_address_limit(world):
    client = Client()
    client.force_login(User.objects.create_user("operator", password="x", is_staff=True))
    for _ in range(5):
        assert client.get("/api/v1/exports/reports.csv").status_code == 200
    # Their own bucket: the address still has its whole share, and no more.
    anonymous = Client()
    for _ in range(3):
        assert anonymous.get("/api/v1/exports/reports.csv").status_code == 200
    _refused(anonymous.get("/api/v1/exports/reports.csv"))


def test_big_list_pages_are_limited_and_normal_ones_are_not(world):
    client = APIClient()
    for _ in range(5):
        assert client.get("/api/v1/reports/", {"page_size": 50}).status_code == 200
    for _ in range(2):
        assert client.get("/api/v1/reports/", {"page_size": 1000}).status_code == 200
    _refused(client.get("/api/v1/reports/", {"page_size": 1000}))
    assert client.get("/api/v1/reports/", {"page_size": 500}).status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_lists_are_limited(world, fmt):
    client = Client()
    for _ in range(2):
        assert client.get(f"/open311/v2/requests.{fmt}").status_code == 200
    refused = client.get(f"/open311/v2/requests.{fmt}")
    _refused(refused)
    assert b"rate_limit" in refused.content  # Open311's own error list


def test_hotspots_are_limited(world):
    client = APIClient()
    for _ in range(2):
        assert client.get("/api/v1/hotspots/").status_code in (200, 404)
    _refused(client.get("/api/v1/hotspots/"))


def test_an_export_asked_again_is_answered_from_the_cache(world, settings):
    from gis_core.models import Report

    settings.EXPORT_CACHE_SECONDS = 60
    client = Client()
    first = client.get("/api/v1/exports/reports.csv").content
    Report.objects.update(description="Đã sửa sau lần tải đầu")
    assert client.get("/api/v1/exports/reports.csv").content == first
    assert "Đã sửa".encode() in client.get("/api/v1/exports/reports.csv?status=received").content
