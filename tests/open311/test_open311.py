"""The Open311 GeoReport v2 server against real PostGIS: shapes (JSON Schema, and XML that
says the same as the JSON), errors, filters, privacy, wards and a real client library."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gis_core.models import Category, Report, ReportChannel, ReportPhoto, ReportSource
from gis_core.services import report_submit
from gis_core.workflow import report_transition
from open311.models import ApiKey, hash_key
from tests.open311 import schemas
from ward_boundaries.models import Ward

BASE = "/open311/v2"
SECRET_NAME, SECRET_PHONE, SECRET_EMAIL = "Trần Bí Mật", "0912345678", "bimat@example.vn"
FORM = "application/x-www-form-urlencoded"


# --- helpers -----------------------------------------------------------------------------


def xml_to_data(element: ET.Element) -> Any:
    """An XML answer as plain data, by the spec's element names (lists per XML_LIST_ITEMS)."""
    children = list(element)
    item = schemas.XML_LIST_ITEMS.get(element.tag)
    if item is not None:
        assert all(c.tag == item for c in children), (element.tag, [c.tag for c in children])
        return [xml_to_data(c) for c in children]
    if children:
        return {c.tag: xml_to_data(c) for c in children}
    return element.text or ""


def as_xml_text(value: Any) -> Any:
    """What a JSON value looks like once written as XML text."""
    if isinstance(value, dict):
        return {k: as_xml_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_xml_text(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def get_both(client: Client, path: str, schema: dict, root: str, expect: int = 200, params=None):
    """GETs path.json and path.xml; checks the JSON against `schema` and that the XML has the
    spec's root element and says exactly the same. Returns the JSON data."""
    query = f"?{urlencode(params)}" if params else ""
    as_json = client.get(f"{BASE}/{path}.json{query}")
    assert as_json.status_code == expect, as_json.content
    assert as_json["Content-Type"].startswith("application/json")
    data = as_json.json()
    jsonschema.validate(data, schema)
    as_xml = client.get(f"{BASE}/{path}.xml{query}")
    assert as_xml.status_code == expect
    assert as_xml["Content-Type"].startswith("text/xml")
    tree = ET.fromstring(as_xml.content)
    assert tree.tag == root
    assert xml_to_data(tree) == as_xml_text(data)
    return data


def post(client: Client, fmt: str = "json", **fields):
    return client.post(f"{BASE}/requests.{fmt}", urlencode(fields), content_type=FORM)


def submit(code: str, lon: float, lat: float, text: str = "Cống thoát nước bị vỡ") -> Report:
    done = report_submit(
        category=code,
        description=text,
        lon=lon,
        lat=lat,
        contact_name=SECRET_NAME,
        contact_phone=SECRET_PHONE,
        contact_email=SECRET_EMAIL,
        consent_notice_version="2026-01",
    )
    return Report.objects.get(public_id=done.public_id)


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture
def services(db) -> dict[str, Category]:
    """Two active services and an inactive one; get_or_create so a flushed database (after a
    live-server test) still has them."""
    rows = {}
    for code, vi, en, active in [
        ("moi_truong", "Môi trường", "Environment", True),
        ("ha_tang", "Hạ tầng", "Infrastructure", True),
        ("open311_cu", "Danh mục cũ", "Retired category", False),
    ]:
        rows[code], _ = Category.objects.update_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "is_active": active}
        )
    return rows


@pytest.fixture
def api_key(db) -> str:
    return ApiKey.issue("tests")[1]


@pytest.fixture
def ward_point(mong_cai_wards) -> tuple[Ward, float, float]:
    """A point inside Phường Móng Cái 2 (2025 boundaries, in force today)."""
    ward = Ward.objects.get(version=mong_cai_wards["2025"], code="06709")
    point = ward.geom.point_on_surface
    return ward, point.x, point.y


@pytest.fixture
def mixed_reports(services, city_agency) -> dict[str, Report]:
    """Reports in every kind of state, each with the reporter's contact stored."""
    lon, lat = 107.97, 21.53
    rows = {
        "new": submit("moi_truong", lon, lat, "Rác thải đổ trộm"),
        "rejected": submit("moi_truong", lon, lat, "Quảng cáo"),
        "resolved": submit("ha_tang", lon, lat, "Đèn đường hỏng"),
        "old": submit("ha_tang", lon, lat, "Ổ gà cũ"),
    }
    r = rows["rejected"]
    report_transition(
        report_id=r.pk,
        from_status="received",
        to_status="rejected",
        reason="spam",
        note="internal: số điện thoại lạ",
        public_note="Không phải phản ánh hiện trường",
    )
    r = rows["resolved"]
    for before, after in [
        ("received", "verified"),
        ("verified", "assigned"),
        ("assigned", "in_progress"),
    ]:
        report_transition(report_id=r.pk, from_status=before, to_status=after)
    report_transition(
        report_id=r.pk,
        from_status="in_progress",
        to_status="resolved",
        answer="Đã thay bóng đèn.",
        public_note="Hoàn thành",
    )
    ReportPhoto.objects.create(
        report=r,
        image=f"reports/{r.public_id}/0-abc.jpg",
        thumbnail=f"reports/{r.public_id}/0-abc-thumb.jpg",
        content_type="image/jpeg",
        width=10,
        height=10,
        size_bytes=100,
        sha256="0" * 64,
        redaction="done",  # blurred and published (a pending photo has no media_url)
    )
    long_ago = timezone.now() - dt.timedelta(days=120)
    Report.objects.filter(pk=rows["old"].pk).update(reported_at=long_ago)
    for key, report in rows.items():
        rows[key] = Report.objects.get(pk=report.pk)
    return rows


# --- discovery and services --------------------------------------------------------------


def test_discovery_points_at_this_endpoint(client):
    data = get_both(client, "discovery", schemas.DISCOVERY, "discovery")
    assert data["endpoints"][0]["url"] == "http://testserver/open311/v2"


def test_services_are_the_active_categories(client, services):
    data = get_both(client, "services", schemas.SERVICES, "services")
    codes = {s["service_code"] for s in data}
    assert {"moi_truong", "ha_tang"} <= codes
    assert "open311_cu" not in codes
    env = next(s for s in data if s["service_code"] == "moi_truong")
    assert env["service_name"] == "Môi trường"
    assert "Environment" in env["description"]
    assert (env["metadata"], env["type"]) == (False, "realtime")


def test_service_definition_and_unknown_service(client, services):
    data = get_both(client, "services/ha_tang", schemas.SERVICE_DEFINITION, "service_definition")
    assert data == {"service_code": "ha_tang", "attributes": []}
    for code in ("khong_co", "open311_cu"):  # unknown, and retired
        errors = get_both(client, f"services/{code}", schemas.ERRORS, "errors", expect=404)
        assert errors[0]["code"] == 404
        assert errors[0]["description"].startswith("service_code: ")
        assert code not in errors[0]["description"]  # the input is not echoed


def test_jurisdiction_is_checked(client, services, api_key):
    get_both(
        client,
        "services",
        schemas.SERVICES,
        "services",
        params={"jurisdiction_id": "mongcai.quangninh.gov.vn"},
    )
    errors = get_both(
        client,
        "services",
        schemas.ERRORS,
        "errors",
        expect=404,
        params={"jurisdiction_id": "halong"},
    )
    assert "jurisdiction_id" in errors[0]["description"]
    answer = post(
        client,
        api_key=api_key,
        jurisdiction_id="halong",
        service_code="ha_tang",
        lat=21.53,
        long=107.97,
        description="x",
    )
    assert answer.status_code == 404


# --- POST requests -----------------------------------------------------------------------


def test_post_creates_a_report_in_the_right_ward(client, services, api_key, ward_point):
    ward, lon, lat = ward_point
    answer = post(
        client,
        api_key=api_key,
        service_code="moi_truong",
        lat=lat,
        long=lon,
        description="Nước thải chảy ra đường",
        first_name="Văn",
        last_name="An",
        email="an@example.vn",
        phone="0900000001",
    )
    assert answer.status_code == 201, answer.content
    created = answer.json()
    jsonschema.validate(created, schemas.CREATED)
    assert "Phường Móng Cái 2" in created[0]["service_notice"]

    report = Report.objects.select_related("ward").get(public_id=created[0]["service_request_id"])
    assert report.ward == ward and report.ward_match == "inside"
    assert report.source == ReportSource.API
    assert report.channel == ReportChannel.OPEN311
    assert (report.contact_name, report.contact_email, report.contact_phone) == (
        "Văn An",
        "an@example.vn",
        "+84900000001",  # stored normalised by ht_report_submit()
    )
    [shown] = get_both(
        client,
        f"requests/{report.public_id}",
        schemas.REQUESTS,
        "service_requests",
    )
    assert shown["address"] == "Phường Móng Cái 2, Móng Cái"
    assert (shown["status"], shown["service_code"]) == ("open", "moi_truong")
    assert abs(shown["lat"] - lat) < 1e-6 and abs(shown["long"] - lon) < 1e-6


def test_post_answers_xml_by_default_shape(client, services, api_key):
    answer = post(
        client,
        "xml",
        api_key=api_key,
        service_code="ha_tang",
        lat=21.53,
        long=107.97,
        description="Cột điện nghiêng",
    )
    assert answer.status_code == 201
    tree = ET.fromstring(answer.content)
    assert tree.tag == "service_requests"
    [request] = list(tree)
    assert request.tag == "request"
    assert [c.tag for c in request] == ["service_request_id", "service_notice", "account_id"]
    uuid.UUID(request.findtext("service_request_id"))


VALID = {"service_code": "ha_tang", "lat": "21.53", "long": "107.97", "description": "Ổ gà"}


@pytest.mark.parametrize(
    ("fields", "status", "named"),
    [
        ({**VALID, "api_key": None}, 403, "api_key"),
        ({**VALID, "api_key": "wrong"}, 403, "api_key"),
        ({**VALID, "service_code": "khong_co"}, 400, "service_code"),
        ({**VALID, "service_code": None}, 400, "service_code"),
        ({**VALID, "lat": "91"}, 400, "lat"),
        ({**VALID, "long": "abc"}, 400, "long"),
        ({**VALID, "description": None}, 400, "description"),
        ({**VALID, "email": "not-an-email"}, 400, "email"),
        ({**VALID, "media_url": "file:///etc/passwd"}, 400, "media_url"),
        (
            {"service_code": "ha_tang", "address_string": "Hùng Vương", "description": "x"},
            400,
            "lat: ",
        ),
    ],
)
def test_post_errors_name_the_field(client, services, api_key, fields, status, named):
    data = {"api_key": api_key, **fields}
    data = {k: v for k, v in data.items() if v is not None}
    for fmt in ("json", "xml"):
        answer = post(client, fmt, **data)
        assert answer.status_code == status, answer.content
        if fmt == "json":
            errors = answer.json()
            jsonschema.validate(errors, schemas.ERRORS)
        else:
            errors = xml_to_data(ET.fromstring(answer.content))
        assert any(named in e["description"] for e in errors), errors
        assert all(int(e["code"]) == status for e in errors)
    assert not Report.objects.exists()


def test_an_inactive_key_is_refused(client, services):
    key, raw = ApiKey.issue("revoked")
    key.is_active = False
    key.save()
    assert post(client, api_key=raw, **VALID).status_code == 403


# --- GET requests ------------------------------------------------------------------------


def test_requests_list_statuses_notes_and_default_window(client, mixed_reports):
    data = get_both(client, "requests", schemas.REQUESTS, "service_requests")
    by_id = {r["service_request_id"]: r for r in data}
    ids = [str(mixed_reports[k].public_id) for k in ("resolved", "rejected", "new")]
    assert list(by_id) == ids  # newest first; the 120-day-old report is outside 90 days
    new, rejected, resolved = (
        by_id[str(mixed_reports[k].public_id)] for k in ("new", "rejected", "resolved")
    )
    assert (new["status"], rejected["status"], resolved["status"]) == ("open", "closed", "closed")
    assert new["status_notes"].startswith("Tiếp nhận (received)")
    assert "Tin rác" in rejected["status_notes"]
    assert "Không phải phản ánh hiện trường" in rejected["status_notes"]
    assert "Đã thay bóng đèn." in resolved["status_notes"]
    assert resolved["agency_responsible"] == "Trung tâm Điều hành đô thị thông minh"
    assert resolved["expected_datetime"] is not None
    assert resolved["media_url"].startswith("http://testserver/media/reports/")
    assert new["media_url"] is None and new["agency_responsible"] == ""


def test_requests_never_show_personal_data(client, mixed_reports):
    for fmt in ("json", "xml"):
        body = client.get(f"{BASE}/requests.{fmt}").content.decode()
        one = client.get(f"{BASE}/requests/{mixed_reports['new'].public_id}.{fmt}")
        for text in (body, one.content.decode()):
            for secret in (SECRET_NAME, SECRET_PHONE, "912345678", SECRET_EMAIL, "internal:"):
                assert secret not in text


def test_requests_filters(client, mixed_reports):
    def ids(**params) -> list[str]:
        data = get_both(client, "requests", schemas.REQUESTS, "service_requests", params=params)
        return [r["service_request_id"] for r in data]

    def pid(key: str) -> str:
        return str(mixed_reports[key].public_id)

    assert ids(status="closed") == [pid("resolved"), pid("rejected")]
    assert ids(status="open") == [pid("new")]
    assert ids(status="open,closed") == [pid("resolved"), pid("rejected"), pid("new")]
    assert ids(service_code="ha_tang") == [pid("resolved")]
    assert ids(service_code="ha_tang,moi_truong", status="open") == [pid("new")]
    # service_request_id overrides the date window (spec): the old one is found too.
    assert ids(service_request_id=f"{pid('old')},{pid('new')}") == [pid("new"), pid("old")]
    start = (timezone.now() - dt.timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - dt.timedelta(days=100)).isoformat()
    assert ids(start_date=start, end_date=end) == [pid("old")]
    assert ids(end_date=end) == [pid("old")]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-45"}, "end_date"),
        ({"start_date": "2026-02-01", "end_date": "2026-01-01"}, "start_date"),
        ({"start_date": "2025-01-01", "end_date": "2026-01-01"}, "end_date: "),
        ({"status": "pending"}, "status"),
        ({"service_request_id": "42"}, "service_request_id"),
    ],
)
def test_requests_bad_filters(client, services, params, named):
    errors = get_both(client, "requests", schemas.ERRORS, "errors", expect=400, params=params)
    assert any(named in e["description"] for e in errors)


def test_requests_list_is_a_fixed_number_of_queries(
    client, mixed_reports, django_assert_max_num_queries
):
    for n in range(5):
        submit("moi_truong", 107.97, 21.53, f"Thêm {n}")
    with django_assert_max_num_queries(3):  # rows, photos, public notes
        answer = client.get(f"{BASE}/requests.json")
    assert len(answer.json()) == 8


def test_unknown_request_and_tokens(client, services):
    for raw in (uuid.uuid4(), "not-a-uuid"):
        errors = get_both(client, f"requests/{raw}", schemas.ERRORS, "errors", expect=404)
        assert "service_request_id" in errors[0]["description"]
    errors = get_both(client, "tokens/abc123", schemas.ERRORS, "errors", expect=404)
    assert "service_request_id" in errors[0]["description"]


def test_other_paths_are_an_error_list(client, db):
    answer = client.get(f"{BASE}/services.yaml")
    assert answer.status_code == 404
    assert ET.fromstring(answer.content).tag == "errors"


# --- keys --------------------------------------------------------------------------------


def test_create_key_command_prints_a_key_stored_only_as_a_hash(db):
    out = io.StringIO()
    call_command("create_open311_key", "Móng Cái Smart", stdout=out, stderr=io.StringIO())
    raw = out.getvalue().strip()
    key = ApiKey.authenticate(raw)
    assert key is not None and key.name == "Móng Cái Smart"
    assert key.key_hash == hash_key(raw) and raw not in json.dumps(
        list(ApiKey.objects.values()), default=str
    )
    assert key.prefix == raw[:8]


# --- a real Open311 client ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_georeport_client_reads_this_server(live_server, services):
    """georeport (PyPI) is a read-only GeoReport v2 client; it must understand us in both
    formats. It cannot POST, so the report is made with plain HTTP from the spec."""
    import georeport
    import requests

    root = f"{live_server.url}{BASE}"
    key = ApiKey.issue("live")[1]
    answer = requests.post(
        f"{root}/requests.json",
        data={
            "api_key": key,
            "service_code": "ha_tang",
            "lat": 21.53,
            "long": 107.97,
            "description": "Cột đèn đổ",
            "jurisdiction_id": "mongcai.quangninh.gov.vn",
        },
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    new_id = answer.json()[0]["service_request_id"]

    for fmt in ("json", "xml"):
        client = georeport.GeoReport(
            root, jurisdiction="mongcai.quangninh.gov.vn", output_format=fmt
        )
        listed = client.get_service_list()
        codes = {s["service_code"] for s in listed}
        assert {"ha_tang", "moi_truong"} <= codes
        definition = client.get_service_definition("ha_tang")
        assert definition["service_code"] == "ha_tang"
        found = client.get_service_requests(service_request_id=new_id)
        found = found if isinstance(found, list) else [found]  # xmltodict: one item, no list
        assert [r["service_request_id"] for r in found] == [new_id]
        one = client.get_service_request(new_id)
        assert one["service_code"] == "ha_tang" and one["status"] == "open"
