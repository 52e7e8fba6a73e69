"""GET /api/v1/wards/outlines/: the planner's outlines, the country's provinces or one
province's wards, with an ETag from the boundaries in force and the body cached.

Over the small national partition of test_national_wards (three provinces, 44 units, the
Móng Cái hole) beside the Móng Cái demo wards; and over Móng Cái alone, one province.
"""

from __future__ import annotations

from io import StringIO

import pytest
import shapely
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.ward_boundaries.test_national_wards import national_wards, partition_file  # noqa: F401
from ward_boundaries.models import BoundaryVersion, Ward
from ward_boundaries.outlines import outline_state

pytestmark = pytest.mark.django_db

URL = reverse("api:ward-outlines")


def in_force() -> list[Ward]:
    versions = BoundaryVersion.objects.filter(name__in=["vn-test-national", "mong-cai-2025"])
    return list(Ward.objects.filter(version__in=versions).order_by("code"))


def get(params=None, **headers):
    return APIClient().get(URL, params or {}, **headers)


def geometry(feature) -> shapely.Geometry:
    return shapely.geometry.shape(feature["geometry"])


@pytest.mark.usefixtures("national_wards")
def test_country_view_is_one_simplified_outline_per_province():
    response = get()
    assert response.status_code == 200
    body = response.json()
    assert body["view"] == "country"
    wards = in_force()
    by_province: dict[str, list[Ward]] = {}
    for ward in wards:
        by_province.setdefault(ward.province_code, []).append(ward)
    assert sorted(by_province) == ["01", "20", "22"]
    assert [f["id"] for f in body["features"]] == ["01", "20", "22"]
    for feature in body["features"]:
        props = feature["properties"]
        members = by_province[props["province_code"]]
        assert props["ward_count"] == len(members)
        assert props["province_name"] == members[0].province_name
        # The dissolved province covers its wards: same area within 2 %, one piece of land.
        shape = geometry(feature)
        assert shape.is_valid
        union = shapely.union_all([shapely.from_wkb(bytes(w.geom.wkb)) for w in members])
        assert shape.area == pytest.approx(union.area, rel=0.02)
        assert shapely.symmetric_difference(shape, union).area < 0.02 * union.area
        # Simplified: fewer vertices than the wards it dissolves.
        assert shapely.get_num_coordinates(shape) < sum(w.geom.num_coords for w in members) / 3
    # Smaller than every province's wards at full detail put together.
    detail = sum(len(get({"province": code}).content) for code in by_province)
    assert len(response.content) < detail / 3


@pytest.mark.usefixtures("national_wards")
def test_province_view_is_its_wards_in_force_at_full_detail():
    response = get({"province": "22"})
    assert response.status_code == 200
    body = response.json()
    assert body["view"] == "wards" and body["province"] == "22"
    expected = [w for w in in_force() if w.province_code == "22"]
    # Quảng Ninh: the national units around the hole and Móng Cái's six 2025 wards, not its
    # 2024 ones (no longer in force).
    assert [f["id"] for f in body["features"]] == [w.code for w in expected]
    assert "06712" in {w.code for w in expected}
    versions = {f["properties"]["version"] for f in body["features"]}
    assert versions == {"vn-test-national", "mong-cai-2025"}
    for feature, ward in zip(body["features"], expected, strict=True):
        assert feature["properties"] == {
            "code": ward.code,
            "name": ward.name,
            "unit_type": ward.unit_type,
            "province_code": "22",
            "province_name": ward.province_name,
            "version": ward.version.name,
        }
        full = shapely.from_wkb(bytes(ward.geom.wkb))
        drawn = geometry(feature)
        assert shapely.get_num_coordinates(drawn) == shapely.get_num_coordinates(full)
        assert shapely.hausdorff_distance(drawn, full) < 1e-6  # six decimals


def test_one_province_in_force_answers_every_ward_as_before(mong_cai_wards):
    body = get().json()
    assert body["view"] == "wards"
    codes = sorted(
        Ward.objects.filter(version__name="mong-cai-2025").values_list("code", flat=True)
    )
    assert sorted(f["id"] for f in body["features"]) == codes
    province = Ward.objects.get(version__name="mong-cai-2025", code=codes[0]).province_code
    assert get({"province": province}).json()["features"] == body["features"]


@pytest.mark.usefixtures("national_wards")
def test_etag_304_cache_control_and_a_new_tag_after_an_edit():
    first = get({"province": "20"})
    etag = first["ETag"]
    assert etag.startswith('"outlines-') and etag.endswith('-20"')
    assert "max-age" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert get()["ETag"] != etag  # the country view has its own tag

    again = get({"province": "20"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    weak = get({"province": "20"}, HTTP_IF_NONE_MATCH=f'"other", W/{etag}')
    assert weak.status_code == 304

    # An outline edited in place (the admin saves the row): a new tag and the new shape, not
    # the cached body of the old one.
    ward = Ward.objects.filter(province_code="20", version__name="vn-test-national").order_by(
        "code"
    )[0]
    ward.name = "Phường Đổi Tên"
    ward.save()
    edited = get({"province": "20"}, HTTP_IF_NONE_MATCH=etag)
    assert edited.status_code == 200
    assert edited["ETag"] != etag
    names = {f["id"]: f["properties"]["name"] for f in edited.json()["features"]}
    assert names[ward.code] == "Phường Đổi Tên"


@pytest.mark.usefixtures("national_wards")
def test_the_country_view_is_computed_once_then_read_from_the_cache():
    with CaptureQueriesContext(connection) as cold:
        assert get().status_code == 200
    assert any("ST_Union" in q["sql"] for q in cold.captured_queries)
    assert cache.get(outline_state().cache_key(None)) is not None
    with CaptureQueriesContext(connection) as warm:
        body = get().content
    assert not any(
        "ST_Union" in q["sql"] or "ST_AsGeoJSON" in q["sql"] for q in warm.captured_queries
    )
    assert len(warm.captured_queries) <= 2  # the versions in force and their fingerprint
    assert b'"view":"country"' in body


@pytest.mark.parametrize(
    ("value", "start"),
    [
        ("99", "Không có tỉnh, thành phố mã 99. Các mã: 01, 20, 22"),
        ("2-2", "Mã tỉnh, thành phố không hợp lệ"),
        ("x" * 11, "Mã tỉnh, thành phố không hợp lệ"),
    ],
)
@pytest.mark.usefixtures("national_wards")
def test_a_bad_province_is_a_400_in_vietnamese(value, start):
    response = get({"province": value}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Dữ liệu không hợp lệ: province."
    assert body["errors"]["province"][0].startswith(start)
    assert "ETag" not in response


def test_an_import_precomputes_the_country_view(
    partition_file,  # noqa: F811
    mong_cai_wards,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_wards",
            str(partition_file),
            "--version",
            "vn-test-national",
            "--valid-from",
            "2025-07-01",
            stdout=StringIO(),
        )
    assert cache.get(outline_state().cache_key(None)) is not None
    with CaptureQueriesContext(connection) as first:
        assert get().json()["view"] == "country"
    assert not any("ST_Union" in q["sql"] for q in first.captured_queries)
