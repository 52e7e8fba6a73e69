"""Open311 as clients in the wild use it: credentials in the query string, and feeds that stay
well-formed XML whatever a description holds."""

from __future__ import annotations

from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pytest
from django.contrib.gis.geos import Point

from gis_core.models import Category, Report
from open311.models import ApiKey
from open311.views import jurisdiction

BASE = "/open311/v2"
FORM = "application/x-www-form-urlencoded"
FIELDS = {"service_code": "ha_tang", "lat": "21.53", "long": "107.97", "description": "Ổ gà"}


@pytest.fixture
def key(db, seed_categories) -> str:
    return ApiKey.issue("classic client")[1]


def test_api_key_and_jurisdiction_in_the_query_string_are_read(client, key, mong_cai_wards):
    query = urlencode({"api_key": key, "jurisdiction_id": jurisdiction()})
    answer = client.post(f"{BASE}/requests.json?{query}", urlencode(FIELDS), content_type=FORM)
    assert answer.status_code == 201, answer.content
    assert Report.objects.filter(public_id=answer.json()[0]["service_request_id"]).exists()


def test_a_wrong_jurisdiction_in_the_query_string_is_refused(client, key, mong_cai_wards):
    query = urlencode({"api_key": key, "jurisdiction_id": "elsewhere.example"})
    answer = client.post(f"{BASE}/requests.json?{query}", urlencode(FIELDS), content_type=FORM)
    assert answer.status_code == 404
    assert "jurisdiction_id" in answer.content.decode()
    assert not Report.objects.exists()


def test_the_form_body_wins_over_the_query_string(client, key, mong_cai_wards):
    query = urlencode({"api_key": key})
    body = urlencode({**FIELDS, "api_key": "wrong"})
    answer = client.post(f"{BASE}/requests.json?{query}", body, content_type=FORM)
    assert answer.status_code == 403
    assert not Report.objects.exists()


def test_a_control_character_in_a_description_is_refused_with_its_name(client, key):
    body = urlencode({**FIELDS, "api_key": key, "description": "Ổ gà\x0b lớn"})
    answer = client.post(f"{BASE}/requests.json", body, content_type=FORM)
    assert answer.status_code == 400
    assert "\\x0b" in answer.content.decode()
    assert not Report.objects.exists()


def test_the_api_refuses_control_characters_too(client, seed_categories):
    answer = client.post(
        "/api/v1/reports/",
        {"category": "ha_tang", "lon": 107.97, "lat": 21.53, "description": "Ổ gà\x1b[31m"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "\\x1b" in answer.json()["errors"]["description"][0]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_feeds_stay_well_formed_xml_for_an_older_row_with_control_characters(
    client, seed_categories
):
    report = Report.objects.create(
        category=Category.objects.get(code="ha_tang"),
        description="Ổ gà\x0b\x1f lớn\ufffe",
        location=Point(107.97, 21.53, srid=4326),
    )
    for path in (f"{BASE}/requests.xml", f"{BASE}/requests/{report.public_id}.xml"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        root = ET.fromstring(answer.content)  # raises on ill-formed XML
        texts = [e.text for e in root.iter("description")]
        assert texts == ["Ổ gà lớn"], path
