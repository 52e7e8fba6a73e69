"""JSON the API cannot store is a 400 with the error shape, on every write endpoint: nesting
deeper than any honest body (a 500 RecursionError before) and lone surrogates (a 500 when
the error echoed them into a UTF-8 response)."""

from __future__ import annotations

import json

import pytest

from gis_core.models import PhoneLoginCode, Report

WRITE_ENDPOINTS = ["/api/v1/reports/", "/api/v1/auth/code/", "/api/v1/auth/login/"]


def post_raw(client, url: str, body: str):
    return client.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="vi")


@pytest.mark.django_db
@pytest.mark.parametrize("url", WRITE_ENDPOINTS)
@pytest.mark.parametrize("depth", [40, 5000])
def test_deep_nesting_is_a_400(client, url, depth):
    response = post_raw(client, url, "[" * depth + "]" * depth)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "lồng nhau" in response.json()["errors"]["non_field_errors"][0]
    assert not Report.objects.exists() and not PhoneLoginCode.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "field"),
    [("/api/v1/reports/", "description"), ("/api/v1/auth/code/", "phone")],
)
def test_a_lone_surrogate_is_a_400_naming_the_field(client, url, field):
    body = '{"' + field + '": "abc\\ud800def"}'  # the escape reaches the parser as written
    response = post_raw(client, url, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    json.loads(response.content.decode("utf-8"))  # the answer itself is valid UTF-8 JSON
    assert not Report.objects.exists() and not PhoneLoginCode.objects.exists()


@pytest.mark.django_db
def test_ordinary_nesting_and_text_still_pass_the_parser(client, seed_categories):
    body = {"category": "ha_tang", "description": "Ổ gà 🕳️", "lon": 107.97, "lat": 21.53}
    response = post_raw(client, "/api/v1/reports/", json.dumps(body))
    assert response.status_code == 201, response.content
