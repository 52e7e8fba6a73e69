"""Open311 answers people in their language and programs in a stable one (issue 12): each
error's `description` follows Accept-Language (Vietnamese by default, English, Chinese),
its `code` (the HTTP status, as GeoReport v2 has it) and the parameter name leading the
description never change, and no description repeats what the client sent. A request's
language is stored on the report, for the messages its reporter gets.

Exact English of the new Open311 messages, and every Chinese assertion, need the catalogs the
lead merges (locale/en, locale/zh_Hans); the rest runs as is.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pytest

from gis_core.models import Report
from open311.models import ApiKey
from open311.views import jurisdiction

BASE = "/open311/v2"
FORM = "application/x-www-form-urlencoded"
VALID = {"service_code": "ha_tang", "lat": "21.53", "long": "107.97", "description": "Ổ gà"}
MARKER = "ZZ<b>echo</b>ZZ"
LANGUAGES = {
    "vi": {},
    "en": {"HTTP_ACCEPT_LANGUAGE": "en"},
    "zh": {"HTTP_ACCEPT_LANGUAGE": "zh-CN"},
}
CJK = re.compile(r"[\u4e00-\u9fff]")
VIETNAMESE_WORDS = ("Không", "dịch vụ", "vĩ độ", "khoảng cho phép", "mã")

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(seed_categories, mong_cai_wards) -> str:
    return ApiKey.issue("languages")[1]


def post(client, key: str, fmt: str = "json", headers: dict | None = None, **fields):
    body = urlencode({"api_key": key, **fields})
    return client.post(f"{BASE}/requests.{fmt}", body, content_type=FORM, **(headers or {}))


def errors_of(answer) -> list[dict]:
    """The error list of a JSON or an XML answer, as [{code, description}]."""
    if answer["Content-Type"].startswith("application/json"):
        return answer.json()
    root = ET.fromstring(answer.content)
    assert root.tag == "errors"
    return [
        {"code": int(e.findtext("code")), "description": e.findtext("description")}
        for e in root.findall("error")
    ]


def bad_latitude(client, key, fmt, headers):
    return post(client, key, fmt, headers, **{**VALID, "lat": "91"})


def unknown_service_posted(client, key, fmt, headers):
    return post(client, key, fmt, headers, **{**VALID, "service_code": "khong_co"})


def unknown_service_asked(client, key, fmt, headers):
    return client.get(f"{BASE}/services/khong_co.{fmt}", **headers)


CASES = {
    "bad latitude": (bad_latitude, 400, "lat"),
    "unknown service_code (POST)": (unknown_service_posted, 400, "service_code"),
    "unknown service_code (GET)": (unknown_service_asked, 404, "service_code"),
}
VIETNAMESE = {
    "bad latitude": "lat: 91.0 nằm ngoài khoảng cho phép: vĩ độ phải từ -90 đến 90.",
    "unknown service_code (POST)": "service_code: Không có dịch vụ với mã này. Các mã hợp lệ: ",
    "unknown service_code (GET)": (
        "service_code: Không có dịch vụ với mã này; danh sách các dịch vụ ở GET services."
    ),
}
ENGLISH = {
    "bad latitude": "lat: 91.0 is out of range: latitude must be -90 to 90.",
    "unknown service_code (POST)": "service_code: No service with this code. Valid codes: ",
    "unknown service_code (GET)": (
        "service_code: No service with this code; the list of services is at GET services."
    ),
}


def answers(client, key, case: str) -> dict[tuple[str, str], list[dict]]:
    """The error lists of `case` in each language and format."""
    call, status, _field = CASES[case]
    found = {}
    for language, headers in LANGUAGES.items():
        for fmt in ("json", "xml"):
            answer = call(client, key, fmt, headers)
            assert answer.status_code == status, answer.content
            found[(language, fmt)] = errors_of(answer)
    return found


@pytest.mark.parametrize("case", list(CASES))
def test_codes_and_field_names_are_the_same_in_every_language(client, key, case):
    _call, status, field = CASES[case]
    found = answers(client, key, case)
    shapes = {
        key: [(e["code"], e["description"].split(": ", 1)[0]) for e in errors]
        for key, errors in found.items()
    }
    assert set(map(tuple, shapes.values())) == {tuple(shapes[("vi", "json")])}
    assert (status, field) in shapes[("vi", "json")]
    assert not Report.objects.exists()


@pytest.mark.parametrize("case", list(CASES))
def test_errors_are_vietnamese_by_default(client, key, case):
    _call, _status, field = CASES[case]
    for fmt in ("json", "xml"):
        errors = answers(client, key, case)[("vi", fmt)]
        wanted = [e["description"] for e in errors if e["description"].startswith(f"{field}: ")]
        assert wanted and wanted[0].startswith(VIETNAMESE[case]), errors


@pytest.mark.parametrize("case", list(CASES))
def test_errors_are_english_for_an_english_client(client, key, case):
    """The new messages need the English catalog entries (tr_langmsg.json)."""
    _call, _status, field = CASES[case]
    errors = answers(client, key, case)[("en", "json")]
    wanted = [e["description"] for e in errors if e["description"].startswith(f"{field}: ")]
    assert wanted and wanted[0].startswith(ENGLISH[case]), errors


@pytest.mark.parametrize("case", list(CASES))
def test_errors_are_chinese_for_a_chinese_client(client, key, case):
    """Needs the zh_Hans catalog."""
    _call, _status, field = CASES[case]
    errors = answers(client, key, case)[("zh", "json")]
    wanted = [e["description"] for e in errors if e["description"].startswith(f"{field}: ")]
    assert wanted, errors
    text = wanted[0].removeprefix(f"{field}: ")
    assert CJK.search(text), text
    assert not any(word in text for word in VIETNAMESE_WORDS), text


def test_the_answer_says_its_language(client, key):
    answer = post(client, key, headers=LANGUAGES["en"], **{**VALID, "lat": "91"})
    assert answer["Content-Language"] == "en"
    assert post(client, key, **{**VALID, "lat": "91"})["Content-Language"] == "vi"


def hostile_requests(client, key, fmt: str):
    yield client.get(f"{BASE}/services/{MARKER}.{fmt}")
    yield client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": MARKER})
    yield client.get(f"{BASE}/requests/{MARKER}.{fmt}")
    yield client.get(f"{BASE}/requests.{fmt}", {"service_request_id": f"{MARKER},{MARKER}2"})
    yield client.get(f"{BASE}/requests.{fmt}", {"status": MARKER})
    yield client.get(f"{BASE}/requests.{fmt}", {"start_date": MARKER, "end_date": MARKER})
    yield client.get(f"{BASE}/tokens/{MARKER}.{fmt}")
    yield post(client, key, fmt, **{**VALID, "service_code": MARKER})
    yield post(client, key, fmt, **{**VALID, "lat": MARKER, "long": MARKER})
    yield post(client, key, fmt, **{**VALID, "media_url": MARKER})
    yield post(client, key, fmt, **{**VALID, "jurisdiction_id": MARKER})
    yield post(client, MARKER, fmt, **VALID)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_error_repeats_the_input(client, key, fmt):
    for answer in hostile_requests(client, key, fmt):
        assert 400 <= answer.status_code < 500, answer.content
        body = answer.content.decode()
        assert "ZZ" not in body and "echo" not in body, body
        errors = errors_of(answer)
        assert errors and all(e["code"] == answer.status_code for e in errors)
        # One message per field, however many bad values it had.
        descriptions = [e["description"] for e in errors]
        assert len(descriptions) == len(set(descriptions)), descriptions
    assert not Report.objects.exists()


def test_the_jurisdiction_message_names_ours(client, key):
    answer = client.get(f"{BASE}/services.json", {"jurisdiction_id": "halong"})
    [error] = answer.json()
    assert error["description"].startswith("jurisdiction_id: ")
    assert jurisdiction() in error["description"] and "halong" not in error["description"]


@pytest.mark.parametrize(
    ("headers", "stored"),
    [
        ({}, "vi"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.8"}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}, "zh-hans"),
    ],
)
def test_a_request_stores_the_clients_language(client, key, headers, stored):
    answer = post(client, key, headers=headers, **VALID)
    assert answer.status_code == 201, answer.content
    report = Report.objects.get(public_id=answer.json()[0]["service_request_id"])
    assert report.language == stored


def test_the_service_notice_follows_the_language(client, key):
    """The English one needs the English catalog entry (tr_langmsg.json)."""
    vi = post(client, key, **VALID).json()[0]["service_notice"]
    en = post(client, key, headers=LANGUAGES["en"], **VALID).json()[0]["service_notice"]
    assert vi.startswith("Đã tiếp nhận phản ánh (received) — ")
    assert en.startswith("Report accepted (received) — ")
