"""Server messages follow the request's language: Vietnamese by default, English on request.

Before, the unknown-category error was an English f-string whatever the language, and the
sign-in message had no plural form for English.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core import sms
from tests.ward_boundaries import geometry_cases as cases

POINTS_2025 = cases.interior_points("mong_cai_wards_2025_derived.geojson")
pytestmark = pytest.mark.django_db
PHONE = "0912 345 678"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def submit_bad_latitude(client: APIClient, **headers):
    x, _y = POINTS_2025["06709"]
    body = {"category": "moi_truong", "description": "Rác ở chợ", "lon": x, "lat": 95}
    body["consent_notice_version"] = settings.PRIVACY_NOTICE_VERSION
    return client.post(reverse("api:report-list"), body, format="json", **headers)


def unknown_category(client: APIClient, **headers):
    x, y = POINTS_2025["06709"]
    params = {"lon": x, "lat": y, "category": "khong-co"}
    return client.get(reverse("api:report-duplicates"), params, **headers)


def wrong_code(client: APIClient, **headers):
    sms.outbox.clear()
    client.post(reverse("api:auth-code"), {"phone": PHONE}, format="json")
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)
    wrong = "000000" if code != "000000" else "111111"
    body = {"phone": PHONE, "code": wrong}
    return client.post(reverse("api:auth-login"), body, format="json", **headers)


def test_bad_coordinate_vietnamese_by_default_english_on_request(mong_cai_wards):
    body = submit_bad_latitude(APIClient()).json()
    assert body["detail"] == "Dữ liệu không hợp lệ: lat." and body["code"] == "invalid"
    assert body["errors"]["lat"] == ["95.0 nằm ngoài khoảng cho phép: vĩ độ phải từ -90 đến 90."]
    english = submit_bad_latitude(APIClient(), **EN).json()
    assert english["detail"] == "Invalid input: lat." and english["code"] == "invalid"
    assert english["errors"]["lat"] == ["95.0 is out of range: latitude must be -90 to 90."]


def test_unknown_category_vietnamese_by_default_english_on_request(mong_cai_wards):
    response = unknown_category(APIClient())
    assert response.status_code == 400
    [message] = response.json()["errors"]["category"]
    assert message.startswith("Lĩnh vực không hợp lệ. Các mã hợp lệ: ")
    assert "moi_truong" in message and "khong-co" not in message  # the input is not echoed
    [english] = unknown_category(APIClient(), **EN).json()["errors"]["category"]
    assert english.startswith("Unknown category. Valid codes: ") and "moi_truong" in english


def test_wrong_sign_in_code_vietnamese_by_default_english_on_request():
    first = wrong_code(APIClient())
    assert first.status_code == 400
    assert first.json()["errors"]["code"] == ["Mã không đúng; còn 4 lần thử cho mã này."]
    english = wrong_code(APIClient(), **EN).json()
    # A new code was asked for, so again four attempts are left: the English plural form.
    assert english["errors"]["code"] == ["Wrong code; 4 attempts left for this code."]
    assert english["detail"] == "Invalid input: code."


def test_error_code_is_stable_beside_the_translated_detail(mong_cai_wards):
    """`code` is for programs: the same in every language, one per kind of refusal."""
    client = APIClient()
    missing = client.get("/api/v1/reports/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert missing.json()["detail"] == "Không có phản ánh với mã này."
    english = client.get("/api/v1/reports/00000000-0000-0000-0000-000000000000/", **EN)
    assert english.json()["code"] == "not_found"
    forbidden = client.get(reverse("api:my-reports"))
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    assert unknown_category(client, **EN).json()["code"] == "invalid"


ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}  # a phone set to Chinese (China)


def test_the_three_errors_in_chinese(mong_cai_wards):
    """A visitor's phone in Chinese gets the same refusals in Simplified Chinese, the codes
    unchanged: a bad coordinate, an unknown category, a wrong sign-in code."""
    latitude = submit_bad_latitude(APIClient(), **ZH).json()
    assert latitude["code"] == "invalid" and latitude["detail"] == "输入无效：lat。"
    [range_error] = latitude["errors"]["lat"]
    assert (
        "95.0" in range_error and "-90" in range_error and re.search("[\u4e00-\u9fff]", range_error)
    )
    [category] = unknown_category(APIClient(), **ZH).json()["errors"]["category"]
    assert "moi_truong" in category and "khong-co" not in category
    assert re.search("[\u4e00-\u9fff]{2}", category)
    code = wrong_code(APIClient(), **ZH).json()
    assert code["errors"]["code"] == ["验证码错误；此验证码还可尝试 4 次。"]
    for text in (latitude["detail"], range_error, category, code["detail"]):
        assert not re.search("[ăâđêôơưạảấầẩậắằẳặẹẻếềểệịọỏốồổộớờởợụủứừửựỵỷỹ]", text), text
