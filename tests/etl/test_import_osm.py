"""import_pois with OpenStreetMap XML: layers from the tag mapping, upserted by OSM id."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from etl.osm import DEFAULT_MAPPING, load_mapping, parse_other_tags
from layers.models import PointOfInterest

pytestmark = pytest.mark.django_db

NODES = """
 <node id="101" lat="21.5336" lon="107.9650" version="1">
  <tag k="tourism" v="hotel"/><tag k="name" v="{hotel}"/><tag k="name:en" v="Ka Long Hotel"/>
  <tag k="addr:housenumber" v="12"/><tag k="addr:street" v="Trần Phú"/>
  <tag k="addr:city" v="Móng Cái"/><tag k="phone" v="+84 203 3881 111;+84 912 000 000"/>
  <tag k="website" v="https://kalong.example.vn"/><tag k="stars" v="3"/>
 </node>
 <node id="102" lat="21.5280" lon="107.9622" version="1">
  <tag k="amenity" v="restaurant"/><tag k="name" v="Nhà hàng Hải Sản &quot;Biển&quot;"/>
  <tag k="opening_hours" v="Mo-Su 10:00-22:00"/><tag k="cuisine" v="seafood"/>
 </node>
 <node id="103" lat="21.5370" lon="107.9684" version="1">
  <tag k="amenity" v="cafe"/><tag k="name" v="Cà phê Bắc Luân"/>
  <tag k="internet_access" v="wlan"/><tag k="internet_access:fee" v="no"/>
  <tag k="contact:phone" v="0203 3771 234"/>
 </node>
 <node id="104" lat="21.5225" lon="107.9743" version="1">
  <tag k="tourism" v="attraction"/><tag k="name" v="Trung tâm Vui chơi Móng Cái"/>
 </node>
 <node id="105" lat="21.5300" lon="107.9700" version="1"/>
 <node id="106" lat="21.5301" lon="107.9701" version="1"><tag k="amenity" v="bench"/></node>
 <node id="107" lat="21.5302" lon="107.9702" version="1"><tag k="amenity" v="cafe"/></node>
 <node id="201" lat="21.482" lon="108.010" version="1"/>
 <node id="202" lat="21.482" lon="108.014" version="1"/>
 <node id="203" lat="21.485" lon="108.014" version="1"/>
 <node id="204" lat="21.485" lon="108.010" version="1"/>
 <way id="300" version="1">
  <nd ref="201"/><nd ref="202"/><nd ref="203"/><nd ref="204"/><nd ref="201"/>
  <tag k="natural" v="beach"/><tag k="name" v="Bãi Trà Cổ"/><tag k="surface" v="sand"/>
 </way>
"""


def write_osm(tmp_path, hotel: str = "Khách sạn Ka Long"):
    path = tmp_path / "mong_cai.osm"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">'
        + NODES.format(hotel=hotel)
        + "</osm>\n",
        encoding="utf-8",
    )
    return path


def import_osm(path, *options: str) -> str:
    out = StringIO()
    call_command("import_pois", str(path), *options, stdout=out)
    return out.getvalue()


def test_osm_nodes_and_areas_go_to_their_layers(tmp_path, mong_cai_wards):
    out = import_osm(write_osm(tmp_path))
    assert "Layer hotels: 1 created" in out and "Layer tourism: 2 created" in out
    assert "Layer food: 2 created" in out and "Layer wifi: 1 created" in out
    # GDAL drops untagged nodes (105); the bench (106) has no rule, the cafe 107 no name.
    assert "Skipped 1 feature(s) no rule maps and 1 mapped feature(s) without a name" in out
    rows = set(PointOfInterest.objects.values_list("layer", "source_id", "category"))
    assert rows == {
        ("hotels", "node/101", "hotel"),
        ("food", "node/102", "restaurant"),
        ("food", "node/103", "cafe"),
        ("wifi", "node/103", "wifi"),
        ("tourism", "node/104", "attraction"),
        ("tourism", "way/300", "beach"),
    }
    hotel = PointOfInterest.objects.select_related("ward").get(source_id="node/101")
    assert (hotel.name, hotel.name_en) == ("Khách sạn Ka Long", "Ka Long Hotel")
    assert hotel.address == "12, Trần Phú, Móng Cái"
    assert hotel.phone == "+84 203 3881 111" and hotel.website == "https://kalong.example.vn"
    assert hotel.tags == "tourism=hotel;stars=3"
    assert hotel.source == "OpenStreetMap" and hotel.licence.startswith("ODbL 1.0, ©")
    assert hotel.source_url == "https://www.openstreetmap.org/node/101"
    assert hotel.name_ascii == "khach san ka long"
    assert (hotel.ward.code, hotel.ward_match) == ("06709", "inside")
    food = PointOfInterest.objects.get(source_id="node/102")
    assert food.name == 'Nhà hàng Hải Sản "Biển"' and food.opening_hours == "Mo-Su 10:00-22:00"
    cafe = PointOfInterest.objects.get(layer="wifi", source_id="node/103")
    assert cafe.phone == "0203 3771 234" and "internet_access=wlan" in cafe.tags
    beach = PointOfInterest.objects.select_related("ward").get(source_id="way/300")
    assert beach.name == "Bãi Trà Cổ" and "surface=sand" in beach.tags
    assert 108.010 < beach.location.x < 108.014 and 21.482 < beach.location.y < 21.485
    assert (beach.ward.code, beach.ward_match) == ("06712", "inside")
    assert beach.source_url == "https://www.openstreetmap.org/way/300"


def test_reimport_updates_by_osm_id_never_duplicates(tmp_path):
    path = write_osm(tmp_path)
    import_osm(path)
    ids = set(PointOfInterest.objects.values_list("pk", flat=True))
    out = import_osm(path)
    layer_lines = [line for line in out.splitlines() if line.startswith("Layer ")]
    assert len(layer_lines) == 4
    assert all("0 created, 0 updated" in line for line in layer_lines)
    assert set(PointOfInterest.objects.values_list("pk", flat=True)) == ids
    out = import_osm(write_osm(tmp_path, hotel="Khách sạn Ka Long Mới"))
    assert "Layer hotels: 0 created, 1 updated, 0 unchanged" in out
    assert PointOfInterest.objects.count() == len(ids) == 6
    hotel = PointOfInterest.objects.get(source_id="node/101")
    assert hotel.name == "Khách sạn Ka Long Mới" and hotel.name_ascii == "khach san ka long moi"


def test_layer_option_and_prune(tmp_path):
    path = write_osm(tmp_path)
    out = import_osm(path, "--layer", "tourism")
    assert "Layer tourism: 2 created" in out and "hotels" not in out
    assert set(PointOfInterest.objects.values_list("layer", flat=True)) == {"tourism"}
    PointOfInterest.objects.create(
        layer="tourism", source_id="node/999", name="Đã xoá", location="POINT(107.97 21.53)"
    )
    PointOfInterest.objects.create(
        layer="tourism", source_id="mc-1", name="Từ CSV", location="POINT(107.97 21.53)"
    )
    out = import_osm(path, "--layer", "tourism", "--prune")
    assert "Layer tourism: 0 created, 0 updated, 2 unchanged, 1 deleted" in out
    assert not PointOfInterest.objects.filter(source_id="node/999").exists()
    assert PointOfInterest.objects.filter(source_id="mc-1").exists()
    with pytest.raises(CommandError, match="layer 'nowhere' is not in the mapping"):
        import_osm(path, "--layer", "nowhere")


def test_bad_mapping_is_refused_and_nothing_stored(tmp_path):
    path = write_osm(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text('{"rules": [', encoding="utf-8")
    with pytest.raises(CommandError, match="mapping is not valid UTF-8 JSON"):
        import_osm(path, "--mapping", str(broken))
    unknown = tmp_path / "unknown.json"
    unknown.write_text(
        json.dumps(
            {
                "rules": [
                    {"tag": "tourism", "values": ["hotel"], "layer": "hotels", "colour": "red"},
                    {"tag": "amenity", "values": "cafe", "layer": "Food Places"},
                ]
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as info:
        import_osm(path, "--mapping", str(unknown))
    message = str(info.value)
    assert "rule #1: unknown key 'colour'" in message and "nothing imported" in message
    assert 'rule #2: "values" must be a non-empty list of strings' in message
    assert "rule #2: \"layer\" 'Food Places' must be a slug" in message
    top = tmp_path / "top.json"
    top.write_text('{"rulez": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="unknown key 'rulez'"):
        import_osm(path, "--mapping", str(top))
    assert not PointOfInterest.objects.exists()


def test_custom_mapping_and_ocop_shops(tmp_path):
    path = tmp_path / "shops.osm"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">'
        '<node id="1" lat="21.53" lon="107.96"><tag k="shop" v="seafood"/>'
        '<tag k="name" v="Chả mực Hạ Long"/><tag k="ocop" v="4"/></node>'
        '<node id="2" lat="21.53" lon="107.97"><tag k="shop" v="convenience"/>'
        '<tag k="name" v="Tạp hoá Ka Long"/></node>'
        '<node id="3" lat="21.52" lon="107.97"><tag k="barrier" v="border_control"/>'
        '<tag k="name" v="Cửa khẩu Quốc tế Móng Cái"/></node>'
        "</osm>\n",
        encoding="utf-8",
    )
    import_osm(path)
    rows = set(PointOfInterest.objects.values_list("layer", "source_id", "category", "ocop_stars"))
    assert rows == {
        ("shops", "node/1", "ocop", 4),
        ("shops", "node/2", "convenience", None),
        ("border_gate", "node/3", "border_control", None),
    }
    mapping = tmp_path / "mine.json"
    mapping.write_text(
        json.dumps({"rules": [{"tag": "shop", "values": ["*"], "layer": "cua-hang"}]}),
        encoding="utf-8",
    )
    out = import_osm(path, "--mapping", str(mapping), "--source", "OSM extract 2026")
    assert "Layer cua-hang: 2 created" in out
    assert set(
        PointOfInterest.objects.filter(layer="cua-hang").values_list("source", flat=True)
    ) == {"OSM extract 2026"}


def test_shipped_mapping_loads_and_other_tags_parse():
    rules = load_mapping(DEFAULT_MAPPING)
    assert rules[0].layer == "border_gate" and any(r.also for r in rules)
    text = r'"a"=>"1","b:c"=>"x, \"y\"=>z","back"=>"\\","empty"=>""'
    assert parse_other_tags(text) == {"a": "1", "b:c": 'x, "y"=>z', "back": "\\", "empty": ""}
    assert parse_other_tags(None) == {}


def test_geojson_still_needs_a_layer(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("name,lon,lat\nA,107.9,21.5\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--layer is required"):
        import_osm(path)


def test_dry_run_and_missing_osm_driver(tmp_path, monkeypatch):
    path = write_osm(tmp_path)
    out = import_osm(path, "--dry-run")
    assert "Layer hotels: 1 created" in out and "Dry run: nothing was saved." in out
    assert not PointOfInterest.objects.exists()
    import pyogrio

    monkeypatch.setattr(pyogrio, "list_drivers", lambda: {"GeoJSON": "rw"})
    with pytest.raises(CommandError, match="GDAL's OSM driver is missing"):
        import_osm(path)
    assert not PointOfInterest.objects.exists()
