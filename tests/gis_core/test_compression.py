"""gzip for GET answers the map downloads (common.compression); a POST is never touched."""

from __future__ import annotations

import gzip

import pytest
from django.contrib.gis.geos import Point
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.test import APIClient

from common.compression import GzipGetMiddleware, weak_match
from gis_core.models import Category, Report
from tests.tile_math import tile_xy

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_report_lists_and_tiles_are_gzipped(mong_cai_wards):
    category = Category.objects.get(code="moi_truong")
    reports = [
        Report.objects.create(
            category=category,
            description=f"Rác thải {i}",
            location=Point(107.97 + i * 1e-4, 21.53, srid=4326),
        )
        for i in range(30)
    ]
    client = APIClient()
    plain = client.get("/api/v1/reports/?page_size=30")
    packed = client.get("/api/v1/reports/?page_size=30", **GZIP)
    assert packed["Content-Encoding"] == "gzip" and not plain.has_header("Content-Encoding")
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) * 4 < len(plain.content)
    x, y = tile_xy(*reports[15].location.coords, 16)
    tile = client.get(f"/tiles/reports/16/{x}/{y}.pbf", **GZIP)  # one point per report
    assert tile.status_code == 200 and tile["Content-Encoding"] == "gzip"
    assert len(gzip.decompress(tile.content)) > 1024


def test_the_map_page_is_gzipped(client, mong_cai_wards):
    response = client.get("/", **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert b"map-config" in gzip.decompress(response.content)


def test_a_submission_is_never_compressed(mong_cai_wards):
    response = APIClient().post(
        "/api/v1/reports/",
        {"category": "moi_truong", "description": "x" * 2000, "lon": 107.97, "lat": 21.53},
        format="json",
        **GZIP,
    )
    assert response.status_code == 201 and len(response.content) > 1024
    assert not response.has_header("Content-Encoding")


def test_small_partial_and_binary_answers_pass_untouched():
    middleware = GzipGetMiddleware(lambda request: None)
    request = RequestFactory().get("/", **GZIP)
    small = middleware.process_response(request, HttpResponse(b"{}" * 100, "application/json"))
    assert not small.has_header("Content-Encoding")
    photo = middleware.process_response(request, HttpResponse(b"\xff" * 5000, "image/jpeg"))
    assert not photo.has_header("Content-Encoding")
    partial = HttpResponse(b"a" * 5000, "text/plain", status=206)
    assert not middleware.process_response(request, partial).has_header("Content-Encoding")
    big = middleware.process_response(request, HttpResponse(b"a" * 5000, "text/plain"))
    assert big["Content-Encoding"] == "gzip"
    no_gzip = middleware.process_response(
        RequestFactory().get("/"), HttpResponse(b"a" * 5000, "text/plain")
    )
    assert not no_gzip.has_header("Content-Encoding")


def test_weak_etags_match():
    assert weak_match('W/"abc"', '"abc"')
    assert weak_match('"x", W/"abc"', '"abc"')
    assert not weak_match('"abd"', '"abc"')
    assert not weak_match(None, '"abc"')
