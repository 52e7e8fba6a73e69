"""Suggested categories (issue 14, part 1): the public endpoint, the stored suggestion of new
reports, and staff taking it (the only way it changes a report)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.category_suggestions import fill_suggestions, suggest_categories
from gis_core.models import (
    Agency,
    Category,
    CategoryChange,
    Report,
    RoutingChange,
    RoutingRule,
    StaffProfile,
)
from gis_core.recategorise import report_recategorise
from gis_core.workflow import TransitionError
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
URL = "/api/v1/categories/suggest/"
DRAIN = "Cống thoát nước trước nhà bị tắc, mưa xuống là nước tràn lên mặt đường"
RUBBISH = "Rac thai do trom ven duong, boc mui hoi thoi ca tuan k ai don"


def post(client, body, **extra):
    return client.post(URL, json.dumps(body), content_type="application/json", **extra)


def test_suggestions_are_the_best_active_categories_with_scores(client, current_model):
    response = post(client, {"text": DRAIN})
    assert response.status_code == 200
    found = response.json()
    assert 1 <= len(found) <= 3 and set(found[0]) == {"code", "score"}
    assert found[0]["code"] == "ha_tang"
    scores = [s["score"] for s in found]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1
    assert post(client, {"text": RUBBISH}).json()[0]["code"] == "moi_truong"  # no diacritics


def test_an_inactive_category_is_never_suggested(client, current_model):
    Category.objects.filter(code="ha_tang").update(is_active=False)
    codes = [s["code"] for s in post(client, {"text": DRAIN}).json()]
    assert codes and "ha_tang" not in codes


def test_short_text_or_no_model_gives_no_suggestion(client, db):
    assert post(client, {"text": DRAIN}).json() == []  # no model trained yet: not an error


def test_a_short_text_gives_none(client, current_model):
    assert post(client, {"text": "cống"}).json() == []
    assert post(client, {"text": ""}).json() == []


def test_bad_input_is_a_clear_400_in_the_users_language(client, current_model, settings):
    too_long = post(client, {"text": "a" * (settings.REPORT_DESCRIPTION_MAX_CHARS + 1)})
    assert too_long.status_code == 400 and "text" in too_long.json()["errors"]
    assert post(client, {"text": 42}).status_code == 400  # a string is a string
    assert post(client, {"text": ["cống"]}).status_code == 400
    missing = post(client, {})
    assert missing.status_code == 400 and "text" in missing.json()["errors"]
    english = post(client, {"text": 42}, HTTP_ACCEPT_LANGUAGE="en")
    assert "must be text" in json.dumps(english.json()["errors"]["text"]).lower()
    huge = client.post(URL, "x" * 40_000, content_type="application/json")
    assert huge.status_code == 413


def test_the_longest_description_is_answered(client, current_model, settings):
    text = (DRAIN + " ") * (settings.REPORT_DESCRIPTION_MAX_CHARS // (len(DRAIN) + 1))
    response = post(client, {"text": text[: settings.REPORT_DESCRIPTION_MAX_CHARS]})
    assert response.status_code == 200 and response.json()[0]["code"] == "ha_tang"


def make(text: str, code: str = "moi_truong", status: str = "received") -> Report:
    x, y = POINTS["06709"]
    return Report.objects.create(
        category=Category.objects.get(code=code),
        description=text,
        location=Point(x, y, srid=4326),
        status=status,
    )


def test_new_reports_get_their_suggestion_after_they_are_stored(mong_cai_wards, current_model):
    drain, short, closed = make(DRAIN), make("ổ gà"), make(DRAIN, status="resolved")
    assert fill_suggestions() == 2  # the resolved one is not waiting for anyone
    drain.refresh_from_db(), short.refresh_from_db(), closed.refresh_from_db()
    assert drain.suggested_category.code == "ha_tang" and drain.suggested_score > 0.2
    assert short.suggested_category is None and short.suggested_score == 0.0  # not retried
    assert closed.suggested_score is None
    assert fill_suggestions() == 0


def test_without_a_model_nothing_is_written(mong_cai_wards, db):
    report = make(DRAIN)
    assert fill_suggestions() == 0
    report.refresh_from_db()
    assert report.suggested_score is None  # waits for a model


def test_staff_take_the_suggestion_and_routing_follows(mong_cai_wards, current_model):
    city = Agency.objects.create(code="ioc", name="IOC")
    works = Agency.objects.create(code="qldt", name="Phòng Quản lý đô thị")
    RoutingRule.objects.create(agency=city)
    RoutingRule.objects.create(category=Category.objects.get(code="ha_tang"), agency=works)
    report = make(DRAIN, status="verified")
    Report.objects.filter(pk=report.pk).update(agency=city)
    fill_suggestions()
    change = report_recategorise(report_id=report.pk, category_code="ha_tang", reason="Cống")
    report.refresh_from_db()
    assert report.category.code == "ha_tang" and report.agency == works
    assert change.from_suggestion and change.from_category.code == "moi_truong"
    assert RoutingChange.objects.get(report=report).to_agency == works
    other = report_recategorise(report_id=report.pk, category_code="moi_truong")
    assert not other.from_suggestion


def test_a_report_already_handed_over_keeps_its_category(mong_cai_wards, current_model):
    report = make(DRAIN, status="assigned")
    with pytest.raises(TransitionError, match="trước khi phản ánh được chuyển xử lý"):
        report_recategorise(report_id=report.pk, category_code="ha_tang")
    for code in ("moi_truong", "khong_co"):
        with pytest.raises(TransitionError):
            report_recategorise(report_id=make(DRAIN).pk, category_code=code)
    assert not CategoryChange.objects.exists()


def staff(name: str, group: str) -> APIClient:
    user = User.objects.create_user(name, password="x")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    StaffProfile.objects.create(user=user)
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_only_the_operations_centre_changes_a_category(mong_cai_wards, current_model):
    report = make(DRAIN)
    url = reverse("api:staff-report-category", args=[report.public_id])
    officer = staff("ward", "ward_officer")
    assert officer.post(url, {"category": "ha_tang"}, format="json").status_code in (403, 404)
    operator = staff("operator", "operator")
    assert operator.post(url, {"category": 7}, format="json").status_code == 400
    refused = operator.post(url, {"category": "moi_truong"}, format="json")
    assert refused.status_code == 409 and "đã thuộc lĩnh vực" in refused.json()["detail"]
    done = operator.post(url, {"category": "ha_tang", "reason": "Cống"}, format="json")
    assert done.status_code == 200
    assert done.json()["properties"]["category"]["code"] == "ha_tang"


def test_the_queue_filters_reports_the_suggestion_disagrees_with(mong_cai_wards, current_model):
    wrong, right = make(DRAIN), make(RUBBISH)
    fill_suggestions()
    operator = staff("operator", "operator")
    rows = operator.get(reverse("api:staff-report-list"), {"disagrees": "1"}).json()["features"]
    assert [f["id"] for f in rows] == [str(wrong.public_id)]
    assert rows[0]["properties"]["suggested_category"] == "ha_tang"
    every = operator.get(reverse("api:staff-report-list")).json()["features"]
    assert {f["id"] for f in every} == {str(wrong.public_id), str(right.public_id)}


def test_the_public_never_sees_a_suggestion(mong_cai_wards, current_model, client):
    report = make(DRAIN)
    fill_suggestions()
    body = client.get(reverse("api:report-detail", args=[report.public_id])).content.decode()
    assert "suggested" not in body


def test_suggest_categories_agrees_with_the_endpoint(client, current_model):
    direct = [(s.code, s.score) for s in suggest_categories(DRAIN)]
    assert direct == [(s["code"], s["score"]) for s in post(client, {"text": DRAIN}).json()]
