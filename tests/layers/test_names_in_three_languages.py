"""Map-layer data in Vietnamese, English and Chinese: POI names, descriptions and category
names, layer names and Wi-Fi notes in the APIs, search by any of the three names, and a
human name for every POI category code the importers write."""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from rest_framework.test import APIClient

from common.localized import localized
from etl.demo_translations import DEMO_POI_TEXTS, DEMO_WIFI_NOTES
from etl.osm import DEFAULT_MAPPING, load_mapping
from layers.models import Layer, PointOfInterest
from layers.poi_categories import POI_CATEGORY_NAMES, poi_category_name
from layers.services import fill_poi_translations
from tests.conftest import POIS

pytestmark = pytest.mark.django_db


def pois(**params) -> list[dict]:
    response = APIClient().get(reverse("api:poi-list"), params)
    assert response.status_code == 200
    return response.json()["features"]


def importer_category_codes() -> set[str]:
    """Every category code the importers write: each OSM mapping rule's category, or the tag
    values of a rule that names none (a wildcard's values are unbounded: left out), and the
    codes of the demo's curated GeoJSON."""
    codes = set()
    for rule in load_mapping(DEFAULT_MAPPING):
        codes |= {rule.category} if rule.category else {v for v in rule.values if v != "*"}
    features = json.loads(POIS.read_text(encoding="utf-8"))["features"]
    codes |= {f["properties"]["category"] for f in features}
    return codes


def test_every_code_the_importers_write_has_names_in_three_languages():
    codes = importer_category_codes()
    assert {"bai_bien", "di_tich", "beach", "temple_historic", "hotel", "cafe"} <= codes
    missing = sorted(codes - set(POI_CATEGORY_NAMES))
    assert missing == []
    for code in codes:
        names = POI_CATEGORY_NAMES[code]
        assert all(names) and names.vi != code and names.en != code, code
        # Chinese is written in Chinese characters (OCOP and Wi-Fi may keep their Latin names).
        assert any("\u4e00" <= ch <= "\u9fff" for ch in names.zh), code


def test_an_unknown_code_is_named_by_itself_with_spaces():
    assert poi_category_name("cho_dem") == ("cho dem", "cho dem", "cho dem")


def test_poi_features_carry_names_descriptions_and_category_names(tourism_pois):
    PointOfInterest.objects.filter(source_id="way/384652651").update(
        name_en="Tra Co Beach",
        name_zh="茶古海滩",
        description="Bãi cát trắng dài.",
        description_en="A long white-sand beach.",
        description_zh="长长的白沙海滩。",
    )
    features = {f["properties"]["name"]: f["properties"] for f in pois(limit=50)}
    beach = features["Bãi Trà Cổ"]
    assert {k: beach[k] for k in ("name", "name_en", "name_zh", "category")} == {
        "name": "Bãi Trà Cổ",
        "name_en": "Tra Co Beach",
        "name_zh": "茶古海滩",
        "category": "bai_bien",
    }
    assert (beach["description"], beach["description_en"], beach["description_zh"]) == (
        "Bãi cát trắng dài.",
        "A long white-sand beach.",
        "长长的白沙海滩。",
    )
    assert (beach["category_name_vi"], beach["category_name_en"], beach["category_name_zh"]) == (
        "Bãi biển",
        "Beach",
        "海滩",
    )
    # Untranslated: blank columns, which the clients' rule turns into the Vietnamese name.
    temple = features["Đền Xã Tắc"]
    assert (temple["name_en"], temple["name_zh"], temple["description_zh"]) == ("", "", "")
    assert localized(temple, "name", "zh-hans") == "Đền Xã Tắc"
    assert localized(beach, "name", "zh-hans") == "茶古海滩"
    assert temple["category_name_zh"] == "地标景点"


def test_an_unmapped_category_code_reads_as_itself(mong_cai_wards):
    PointOfInterest.objects.create(
        layer="tourism", name="Chợ đêm", category="cho_dem", source_id="x/1",
        location=Point(107.966, 21.529, srid=4326),
    )  # fmt: skip
    [feature] = pois(q="cho dem")
    props = feature["properties"]
    assert (props["category_name_vi"], props["category_name_en"], props["category_name_zh"]) == (
        "cho dem",
        "cho dem",
        "cho dem",
    )


def test_search_finds_a_poi_by_its_chinese_and_english_names(tourism_pois):
    fill_poi_translations(layer="tourism")
    for q in ("茶古", "茶古海滩", "Tra Co Beach", "tra co beach", "TRA CO", "Trà Cổ Beach"):
        names = {f["properties"]["name"] for f in pois(q=q)}
        assert "Bãi Trà Cổ" in names, q
    names = {f["properties"]["name"] for f in pois(q="北仑河")}
    assert names == {"Cầu Bắc Luân"}
    assert {f["properties"]["name"] for f in pois(q="Bac Luan Bridge")} == {"Cầu Bắc Luân"}
    assert pois(q="东京") == []


def test_demo_translations_fill_blanks_only(tourism_pois):
    PointOfInterest.objects.filter(source_id="way/384652651").update(name_en="Trà Cổ Beach")
    changed = fill_poi_translations(layer="tourism")
    assert changed == len(DEMO_POI_TEXTS)
    beach = PointOfInterest.objects.get(source_id="way/384652651")
    assert beach.name_en == "Trà Cổ Beach"  # an existing English name is kept
    assert beach.name_zh == "茶古海滩" and beach.description_zh
    assert fill_poi_translations(layer="tourism") == 0  # nothing blank is left to fill
    assert not PointOfInterest.objects.filter(layer="tourism", name_zh="").exists()


def test_wifi_features_carry_notes_in_three_languages(demo_wifi):
    response = APIClient().get(reverse("api:wifi-nearest"), {"lon": 107.9653, "lat": 21.5338})
    nearest = response.json()["features"][0]["properties"]
    assert nearest["name"] == "Đền Xã Tắc"
    vi, en, zh = DEMO_WIFI_NOTES["Đền Xã Tắc"]
    assert (nearest["notes"], nearest["notes_en"], nearest["notes_zh"]) == (vi, en, zh)
    assert "密码" in nearest["notes_zh"] and "password" in nearest["notes_en"]


def test_the_layers_api_carries_the_chinese_names():
    Layer.objects.filter(key="wifi").update(name_zh="")
    layers = {layer["key"]: layer for layer in APIClient().get(reverse("api:layer-list")).json()}
    assert {k: layers["tourism"][k] for k in ("name_vi", "name_en", "name_zh")} == {
        "name_vi": "Điểm tham quan",
        "name_en": "Attractions",
        "name_zh": "旅游景点",
    }
    assert layers["wifi"]["name_zh"] == ""
    assert localized(layers["wifi"], "name", "zh-hans") == "Wi-Fi miễn phí"
    # The other fields the map reads are still there.
    assert {"key", "kind", "poi_layer", "color", "visible_by_default"} <= set(layers["tourism"])
