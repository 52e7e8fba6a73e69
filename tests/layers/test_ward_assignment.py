"""The trigger gives POIs and WiFi sites a ward by the reports' rule (today's boundaries)."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from etl.wifi_demo import DEMO_WIFI_SITES
from layers.models import PointOfInterest, WifiSite
from layers.services import load_demo_wifi

pytestmark = pytest.mark.django_db

# SOURCES.md: Bãi Trà Cổ (156 m) and Mũi Sa Vĩ (32 m) lie offshore of every polygon; their
# nearest pre-2025 ward Trà Cổ (06721) is part of Móng Cái 1 (06712) since 2025-07-01.
NEAREST_2025 = {"06721": "06712"}


def test_osm_pois_get_the_wards_sources_md_expects(tourism_pois, poi_features):
    assert len(poi_features) == 8
    for feature in poi_features:
        props = feature["properties"]
        poi = PointOfInterest.objects.select_related("ward__version").get(
            source_id=f"{props['osm_type']}/{props['osm_id']}"
        )
        assert poi.ward.version.name == "mong-cai-2025", poi.name
        if props["ward_code_2025"]:
            assert (poi.ward.code, poi.ward_match) == (props["ward_code_2025"], "inside"), poi.name
            assert poi.ward_distance_m is None
        else:
            expected = NEAREST_2025[props["nearest_ward_code_2024"]]
            assert (poi.ward.code, poi.ward_match) == (expected, "nearest"), poi.name
            assert poi.ward_distance_m == pytest.approx(props["distance_to_ward_m"], abs=1.0)


def test_den_xa_tac_and_tra_co_beach(tourism_pois):
    temple = PointOfInterest.objects.get(name="Đền Xã Tắc")
    beach = PointOfInterest.objects.get(name="Bãi Trà Cổ")
    assert (temple.ward.code, temple.ward_match) == ("06709", "inside")
    assert (beach.ward.code, beach.ward_match) == ("06712", "nearest")
    assert 150 < beach.ward_distance_m < 160


def test_moving_a_poi_reassigns_its_ward_and_other_saves_keep_it(tourism_pois):
    poi = PointOfInterest.objects.get(name="Đền Xã Tắc")
    poi.location = Point(108.011721, 21.483943, srid=4326)  # the Trà Cổ junction
    poi.save()
    poi.refresh_from_db()
    assert (poi.ward.code, poi.ward_match) == ("06712", "inside")
    poi.category = "di_tich"
    poi.save()
    poi.refresh_from_db()
    assert poi.ward.code == "06712"


def test_poi_far_from_every_ward_is_outside(mong_cai_wards):
    poi = PointOfInterest.objects.create(
        layer="test", source_id="x", name="Hà Nội", location=Point(105.85, 21.03, srid=4326)
    )
    poi.refresh_from_db()
    assert (poi.ward, poi.ward_match, poi.ward_distance_m) == (None, "outside", None)


def test_save_fills_name_ascii(db):
    poi = PointOfInterest.objects.create(
        layer="test", source_id="y", name="Chợ Đêm", location=Point(107.96, 21.52, srid=4326)
    )
    assert PointOfInterest.objects.get(pk=poi.pk).name_ascii == "cho dem"
    poi.name = "Bến Tàu"
    poi.save(update_fields=["name"])
    assert PointOfInterest.objects.get(pk=poi.pk).name_ascii == "ben tau"


def test_import_fills_name_ascii(tourism_pois):
    assert PointOfInterest.objects.get(name="Mũi Sa Vĩ").name_ascii == "mui sa vi"


def test_demo_wifi_sites_all_get_a_ward(demo_wifi):
    sites = WifiSite.objects.select_related("ward")
    assert sites.count() == len(DEMO_WIFI_SITES)
    assert all(s.ward is not None and s.ward.version.name == "mong-cai-2025" for s in sites)
    assert sites.get(name="Đền Xã Tắc").ward.code == "06709"
    assert sites.get(name="Bãi biển Trà Cổ").ward.code == "06712"


def test_moving_a_wifi_site_reassigns_its_ward(demo_wifi):
    site = WifiSite.objects.get(name="Đền Xã Tắc")
    assert site.ward.code == "06709"
    WifiSite.objects.filter(pk=site.pk).update(location=Point(108.0495, 21.484, srid=4326))
    site.refresh_from_db()
    assert (site.ward.code, site.ward_match) == ("06712", "inside")


def test_load_demo_wifi_is_idempotent_and_marks_demo(demo_wifi):
    before = {s.name: (s.pk, s.ward_id) for s in WifiSite.objects.all()}
    WifiSite.objects.filter(name="Ngã ba Trà Cổ").update(hours="changed by hand")
    assert load_demo_wifi() == len(DEMO_WIFI_SITES)
    after = {s.name: (s.pk, s.ward_id) for s in WifiSite.objects.all()}
    assert after == before
    assert WifiSite.objects.get(name="Ngã ba Trà Cổ").hours == "24/7"
    assert not WifiSite.objects.filter(is_demo=False).exists()
    names = set(before)
    assert {"Đền Xã Tắc", "Cụm thông tin cửa khẩu Sa Vĩ", "Bãi biển Trà Cổ"} <= names
