"""Strict input types on every write endpoint, in query strings and in the importers.

Before: a JSON object, array, number or boolean where text belongs was stored as its Python
repr; "agency": true re-routed to agency 1; "107_9979" and Arabic-Indic digits were read as
numbers by float() and int(). Now each is a 400 naming the field, the value is never echoed,
and nothing is stored.
"""

from __future__ import annotations

import json
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.test import APIClient

from common.api.fields import StrictFieldMixin
from common.api.serializers import STRICT_REPLACEMENTS, StrictSerializer
from gis_core.models import PhoneLoginCode, Report, ReportRating, RoutingChange, StaffProfile
from open311.views import jurisdiction

pytestmark = pytest.mark.django_db

ARABIC_DIGITS = str.maketrans("0123456789", "".join(chr(0x660 + d) for d in range(10)))
FULLWIDTH = str.maketrans("0123456789.", "".join(chr(0xFF10 + d) for d in range(10)) + "\uff0e")


def arabic(text: str) -> str:
    """`text` with its digits in Arabic-Indic (U+0660..U+0669), which str.isdigit() and
    float() take as digits."""
    return text.translate(ARABIC_DIGITS)


def fullwidth(text: str) -> str:
    return text.translate(FULLWIDTH)


ARABIC_LON = arabic("107.9979")
UNDERSCORE_LON = "1_07.9979"  # float() reads 107.9979 (and "107_9979" as 1079979)
GOOD = {"category": "moi_truong", "description": "Rác ở chợ", "lon": 107.9653, "lat": 21.5338}
MARKER = "ZZ-HOSTILE-VALUE-ZZ"  # must never come back in an answer
NOT_TEXT = [{"a": MARKER}, [MARKER], 12345, 1.5, True, False]
# Each in range, so only the number rule refuses it: other digits, underscores, an exponent.
NOT_NUMBER = {
    "lon": [arabic("107.9653"), "1_07.9653", "1.079653e2", fullwidth("107") + ".9653"],
    "lat": [arabic("21.5338"), "2_1.5338", "2.15338e1", fullwidth("21") + ".5338"],
}


def post_json(client, url: str, body) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


def assert_refused(response, field: str, *, marker: str = MARKER) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"], body
    assert body["errors"][field] and all(isinstance(m, str) for m in body["errors"][field])
    assert marker not in response.content.decode()


# ---------------------------------------------------------------- one mechanism, everywhere


def _write_endpoints():
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    for path, _regex, method, callback in generator.endpoints:
        if method in ("POST", "PUT", "PATCH"):
            yield path, method, generator.create_view(callback, method)


def _fields(serializer) -> list[tuple[str, serializers.Field]]:
    found = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListField):
            field = field.child
        found.append((name, field))
        if isinstance(field, serializers.Serializer):
            found.extend(_fields(field))
    return found


def test_every_write_endpoint_reads_its_body_through_strict_fields():
    """A new endpoint cannot forget: its request serializer must be a StrictSerializer whose
    scalar fields are the strict ones (common.api.fields)."""
    checked = []
    for path, method, view in _write_endpoints():
        declared = view.schema.get_request_serializer()
        if declared is None:  # an explicit "no body" (sign-out)
            continue
        bodies = declared.values() if isinstance(declared, dict) else [declared]
        for body in bodies:
            serializer = body() if isinstance(body, type) else body
            assert isinstance(serializer, StrictSerializer), f"{method} {path}: {body!r}"
            for name, field in _fields(serializer):
                plain = [p for p in STRICT_REPLACEMENTS if isinstance(field, p)]
                assert not plain or isinstance(field, StrictFieldMixin), (
                    f"{method} {path}: field {name} is a plain {type(field).__name__}"
                )
        checked.append(path)
    assert {"/api/v1/reports/", "/api/v1/auth/code/"} <= set(checked)
    assert any("reroute" in p for p in checked) and any("rating" in p for p in checked)


# ---------------------------------------------------------------- report submission


@pytest.mark.parametrize("field", ["description", "contact_phone", "contact", "contact_name"])
@pytest.mark.parametrize("value", NOT_TEXT, ids=repr)
def test_report_text_fields_take_only_text(client, world, field, value):
    before = Report.objects.count()
    response = post_json(client, "/api/v1/reports/", {**GOOD, field: value})
    assert_refused(response, field)
    assert Report.objects.count() == before


@pytest.mark.parametrize("field", ["idempotency_key", "device_id"])
@pytest.mark.parametrize("value", [{"k": MARKER}, [MARKER], 7, True])
def test_report_keys_and_contacts_take_only_text(client, world, field, value):
    before = Report.objects.count()
    assert_refused(post_json(client, "/api/v1/reports/", {**GOOD, field: value}), field)
    assert Report.objects.count() == before


@pytest.mark.parametrize(
    ("axis", "value"), [(axis, v) for axis, values in NOT_NUMBER.items() for v in values], ids=repr
)
def test_report_coordinates_take_only_numbers(client, world, axis, value):
    before = Report.objects.count()
    response = post_json(client, "/api/v1/reports/", {**GOOD, axis: value})
    assert_refused(response, axis)
    assert Report.objects.count() == before
    # ASCII decimal text and JSON numbers are still taken.
    for lon, lat in [("107.9653", "21.5338"), (107.9653, 21.5338), (" 107.9653 ", "+21.5338")]:
        response = post_json(client, "/api/v1/reports/", {**GOOD, "lon": lon, "lat": lat})
        assert response.status_code == 201, response.content


def test_a_phone_in_other_digits_or_as_a_list_is_refused(client, world):
    before = Report.objects.count()
    response = post_json(client, "/api/v1/reports/", {**GOOD, "contact_phone": ["0912345678"]})
    assert_refused(response, "contact_phone")
    assert Report.objects.count() == before


def test_a_form_field_sent_twice_is_refused(client, world):
    """In a form, a repeated field is how an array is sent: refused, not "the last one"."""
    before = Report.objects.count()
    body = urlencode(
        [("category", "moi_truong"), ("description", "một"), ("description", MARKER),
         ("lon", "107.9653"), ("lat", "21.5338")]
    )  # fmt: skip
    response = client.post(
        "/api/v1/reports/", body, content_type="application/x-www-form-urlencoded"
    )
    assert_refused(response, "description")
    assert Report.objects.count() == before


def test_multipart_coordinates_follow_the_same_rule(client, world):
    before = Report.objects.count()
    response = client.post("/api/v1/reports/", {**GOOD, "lon": ARABIC_LON})
    assert_refused(response, "lon", marker=ARABIC_LON)
    assert Report.objects.count() == before


# ---------------------------------------------------------------- rating, sign-in


@pytest.mark.parametrize("field", ["value", "comment"])
@pytest.mark.parametrize("value", [{"a": MARKER}, [MARKER], 1, True])
def test_rating_takes_only_text(client, world, field, value):
    report = world["reports"][3]  # resolved
    body = {"value": "satisfied", "comment": "", field: value}
    assert_refused(post_json(client, f"/api/v1/reports/{report.public_id}/rating/", body), field)
    assert not ReportRating.objects.exists()


@pytest.mark.parametrize("url", ["/api/v1/auth/code/", "/api/v1/auth/login/"])
def test_sign_in_phone_takes_only_text(client, world, url):
    """84912345678 as a JSON number was read as the phone +84912345678."""
    assert_refused(post_json(client, url, {"phone": 84912345678, "code": "123456"}), "phone")
    assert not PhoneLoginCode.objects.exists() and not User.objects.exists()


def test_sign_in_code_takes_only_text(client, world):
    """The right code as a JSON number (123456) signed in: str() made it "123456"."""
    from django.utils import timezone

    from gis_core.accounts import _hash

    phone = "+84912345678"
    PhoneLoginCode.objects.create(
        phone=phone,
        code_hash=_hash(phone, "123456"),
        expires_at=timezone.now() + timezone.timedelta(minutes=5),
    )
    body = {"phone": "0912345678", "code": 123456}
    assert_refused(post_json(client, "/api/v1/auth/login/", body), "code")
    assert not User.objects.exists()


# ---------------------------------------------------------------- staff actions


@pytest.fixture
def operator(world):
    user = User.objects.create_user("operator-1", password="x")
    user.groups.add(Group.objects.get(name="operator"))
    StaffProfile.objects.create(user=user)
    client = APIClient()
    client.force_login(user)
    return client


def _verified(world) -> Report:
    return world["reports"][1]


def _agency_written_as(pk: int, form: str):
    """The agency id as a hostile client writes it: true for 1, 1.0, digits with an
    underscore or in Arabic-Indic, each of which int() took."""
    return {
        "true": True,
        "float": float(pk),
        "underscore": "_".join(str(pk)) if pk > 9 else f"0_{pk}",
        "arabic": arabic(str(pk)),
    }[form]


@pytest.mark.parametrize("form", ["true", "float", "underscore", "arabic"])
def test_reroute_agency_takes_only_an_integer_id(operator, world, form):
    from gis_core.models import Agency

    other = Agency.objects.create(code="khac", name="Khác", contact_email="k@example.vn")
    report = _verified(world)
    url = f"/api/v1/staff/reports/{report.public_id}/reroute/"
    body = {"agency": _agency_written_as(other.pk, form), "reason": "Sai"}
    assert_refused(post_json(operator, url, body), "agency")
    assert not RoutingChange.objects.exists()
    report.refresh_from_db()
    assert report.agency_id is None
    # The id as a JSON integer or its ASCII digits still re-routes.
    response = post_json(operator, url, {"agency": str(other.pk), "reason": "Sai đơn vị"})
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.agency_id == other.pk


@pytest.mark.parametrize("field", ["from_status", "to_status", "note", "public_note", "answer"])
def test_transition_fields_take_only_text(operator, world, field):
    report = world["reports"][0]
    body = {"from_status": "received", "to_status": "verified", field: {"a": MARKER}}
    url = f"/api/v1/staff/reports/{report.public_id}/transition/"
    assert_refused(post_json(operator, url, body), field)
    report.refresh_from_db()
    assert report.status == "received"


@pytest.mark.parametrize("form", ["{%s}", "urn:uuid:%s"])
def test_merge_into_takes_only_a_uuid_text(operator, world, form):
    """uuid.UUID() also reads braces and a urn: prefix."""
    report, survivor = world["reports"][0], world["reports"][1]
    value = form % survivor.public_id
    url = f"/api/v1/staff/reports/{report.public_id}/merge/"
    assert_refused(post_json(operator, url, {"into": value}), "into")
    report.refresh_from_db()
    assert report.merged_into_id is None


# ---------------------------------------------------------------- Open311 (form-encoded)


def _open311(client, world, **fields):
    body = {
        "api_key": world["open311_key"],
        "jurisdiction_id": jurisdiction(),
        "service_code": "ha_tang",
        "lat": "21.5338",
        "long": "107.9653",
        "description": "Ổ gà",
        **fields,
    }
    return client.post(
        "/open311/v2/requests.json",
        urlencode(body, doseq=True),
        content_type="application/x-www-form-urlencoded",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("long", arabic("107.9653")),
        ("long", "1_07.9653"),
        ("lat", arabic("21.5")),
        ("lat", "2.15e1"),
        ("description", ["một", MARKER]),
        ("service_code", ["ha_tang", "moi_truong"]),
        ("phone", ["0912345678", "0912345679"]),
    ],
)
def test_open311_post_fields_follow_the_same_rule(client, world, field, value):
    before = Report.objects.count()
    response = _open311(client, world, **{field: value})
    assert response.status_code == 400, response.content
    descriptions = [e["description"] for e in response.json()]
    assert any(d.startswith(f"{field}:") for d in descriptions), descriptions
    assert MARKER not in response.content.decode()
    assert Report.objects.count() == before
    assert _open311(client, world).status_code == 201  # decimal text is still taken


# ---------------------------------------------------------------- query strings


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/reports/duplicates/?category=ha_tang&lon=10_7.9979&lat=21.53", "lon"),
        (f"/api/v1/reports/duplicates/?category=ha_tang&lon=107.97&lat={arabic('21.53')}", "lat"),
        ("/api/v1/reports/?page=1_0", "page"),
        (f"/api/v1/reports/?page_size={arabic('10')}", "page_size"),
        ("/api/v1/reports/?bbox=10_7.9,21.4,108.1,21.6", "bbox"),
        ("/api/v1/wards/lookup/?lon=1_07.97&lat=21.53", "lon"),
    ],
)
def test_query_string_numbers_follow_the_same_rule(client, world, url, field):
    response = client.get(url)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


# ---------------------------------------------------------------- importers


def _import(path) -> str:
    out, err = StringIO(), StringIO()
    call_command("import_reports", str(path), stdout=out, stderr=err)
    return err.getvalue() + out.getvalue()


def _csv(tmp_path, lon: str, lat: str = "21.5338"):
    path = tmp_path / "reports.csv"
    path.write_text(
        "category,description,lon,lat\n"
        "moi_truong,Hàng tốt,107.9653,21.5338\n"
        f"moi_truong,Hàng xấu,{lon},{lat}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("lon", [ARABIC_LON, UNDERSCORE_LON, "1.079653e2"])
def test_import_refuses_a_coordinate_that_is_not_ascii_decimal(tmp_path, world, lon):
    before = Report.objects.count()
    err = _import(_csv(tmp_path, lon))
    assert "row 2: lon:" in err, err
    assert Report.objects.count() == before + 1  # the good row only
    assert not Report.objects.filter(description="Hàng xấu").exists()


def test_geojson_import_refuses_an_object_where_text_belongs(tmp_path, world):
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [107.9653, 21.5338]},
            "properties": {"category": "moi_truong", "description": description},
        }
        for description in ("Văn bản", {"a": 1})
    ]
    path = tmp_path / "reports.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    before = Report.objects.count()
    assert "row 2: description:" in _import(path)
    assert Report.objects.count() == before + 1
    assert not Report.objects.filter(description__contains="{").exists()


@pytest.mark.parametrize("lon", [ARABIC_LON, UNDERSCORE_LON])
def test_poi_import_refuses_a_coordinate_that_is_not_ascii_decimal(tmp_path, world, lon):
    from layers.models import PointOfInterest

    path = tmp_path / "pois.csv"
    path.write_text(f"name,lon,lat\nChợ,{lon},21.5268\n", encoding="utf-8")
    before = PointOfInterest.objects.count()
    with pytest.raises(CommandError) as info:
        call_command("import_pois", str(path), "--layer", "curated")
    assert "row 2: lon is not a number" in str(info.value)
    assert PointOfInterest.objects.count() == before
