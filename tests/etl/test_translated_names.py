"""POI names and descriptions in English and Chinese enter by every importer (CSV, GeoJSON,
OpenStreetMap tags), a file without them leaves the stored ones alone, and the demo loader
gives agencies, POIs and Wi-Fi sites their names in the three languages."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from etl.demo_translations import DEMO_AGENCY_NAMES, DEMO_WIFI_NOTES
from etl.pois import read_poi_file
from gis_core.models import Agency
from layers.models import PointOfInterest, WifiSite
from layers.services import poi_import

pytestmark = pytest.mark.django_db

OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
 <node id="101" lat="21.5336" lon="107.9650" version="1">
  <tag k="tourism" v="attraction"/><tag k="name" v="Cầu Bắc Luân"/>
  <tag k="name:en" v="Bac Luan Bridge"/><tag k="name:zh" v="北仑大桥"/>
  <tag k="name:zh-Hans" v="北仑河大桥"/><tag k="description" v="Cầu biên giới"/>
  <tag k="description:en" v="Border bridge"/><tag k="description:zh" v="边境大桥"/>
 </node>
 <node id="102" lat="21.5280" lon="107.9622" version="1">
  <tag k="amenity" v="restaurant"/><tag k="name" v="Nhà hàng Biển"/>
  <tag k="name:zh" v="海洋餐厅"/>
 </node>
</osm>
"""


def test_csv_and_geojson_read_names_and_descriptions_in_three_languages(tmp_path):
    csv = tmp_path / "pois.csv"
    csv.write_text(
        "name,lon,lat,name_en,name_zh,description,description_en,description_zh\n"
        "Chợ Móng Cái,107.9663,21.5268,Mong Cai Market,芒街市场,Chợ lớn,Big market,大市场\n",
        encoding="utf-8",
    )
    [row] = read_poi_file(csv)
    assert (row.name_en, row.name_zh) == ("Mong Cai Market", "芒街市场")
    assert (row.description, row.description_en, row.description_zh) == (
        "Chợ lớn",
        "Big market",
        "大市场",
    )
    geojson = tmp_path / "pois.geojson"
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [107.9663, 21.5268]},
        "properties": {"name": "Chợ Móng Cái", "name:en": "Market", "name:zh": "市场"},
    }
    geojson.write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8"
    )
    [row] = read_poi_file(geojson)
    assert (row.name_en, row.name_zh, row.description) == ("Market", "市场", "")


def test_a_file_without_translations_keeps_the_stored_ones(tmp_path, mong_cai_wards):
    path = tmp_path / "pois.csv"
    path.write_text(
        "name,lon,lat,source_id,name_zh\nChợ Móng Cái,107.9663,21.5268,mc-1,芒街市场\n",
        encoding="utf-8",
    )
    poi_import(records=read_poi_file(path), layer="markets")
    PointOfInterest.objects.filter(source_id="mc-1").update(name_en="Mong Cai Market")
    path.write_text("name,lon,lat,source_id\nChợ Móng Cái,107.9663,21.5268,mc-1\n")
    poi_import(records=read_poi_file(path), layer="markets")
    market = PointOfInterest.objects.get(source_id="mc-1")
    assert (market.name_en, market.name_zh) == ("Mong Cai Market", "芒街市场")
    # A file with the column owns it: a new Chinese name replaces the old one.
    path.write_text(
        "name,lon,lat,source_id,name_zh\nChợ Móng Cái,107.9663,21.5268,mc-1,芒街大市场\n"
    )
    poi_import(records=read_poi_file(path), layer="markets")
    assert PointOfInterest.objects.get(source_id="mc-1").name_zh == "芒街大市场"


def test_osm_import_reads_name_zh_hans_before_name_zh_and_the_descriptions(tmp_path):
    path = tmp_path / "mong_cai.osm"
    path.write_text(OSM, encoding="utf-8")
    call_command("import_pois", str(path), stdout=StringIO())
    bridge = PointOfInterest.objects.get(source_id="node/101")
    assert (bridge.name_en, bridge.name_zh) == ("Bac Luan Bridge", "北仑河大桥")
    assert (bridge.description, bridge.description_en, bridge.description_zh) == (
        "Cầu biên giới",
        "Border bridge",
        "边境大桥",
    )
    # Own columns, so the tags text does not repeat them.
    assert "name:zh" not in bridge.tags and "description" not in bridge.tags
    assert PointOfInterest.objects.get(source_id="node/102").name_zh == "海洋餐厅"


def test_load_demo_names_agencies_pois_and_wifi_in_three_languages():
    call_command("load_demo", reports=50, stdout=StringIO())
    agencies = {a.code: (a.name_en, a.name_zh) for a in Agency.objects.all()}
    assert agencies == DEMO_AGENCY_NAMES
    beach = PointOfInterest.objects.get(layer="tourism", source_id="way/384652651")
    assert (beach.name_en, beach.name_zh) == ("Tra Co Beach", "茶古海滩")
    assert not PointOfInterest.objects.filter(layer="tourism", name_zh="").exists()
    notes = {w.name: (w.notes, w.notes_en, w.notes_zh) for w in WifiSite.objects.all()}
    assert notes == DEMO_WIFI_NOTES
    # A second run (--if-empty) on a database loaded before the names existed fills them.
    PointOfInterest.objects.update(name_zh="")
    Agency.objects.update(name_zh="")
    call_command("load_demo", if_empty=True, stdout=StringIO())
    assert not PointOfInterest.objects.filter(layer="tourism", name_zh="").exists()
    assert Agency.objects.get(code="y-te").name_zh == "卫生科"
