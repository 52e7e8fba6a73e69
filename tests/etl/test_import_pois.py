"""import_pois: OSM GeoJSON and CSV points, upserted by (layer, source_id), all or nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from etl.pois import read_poi_file
from layers.models import PointOfInterest
from layers.services import poi_import
from tests.conftest import POIS

pytestmark = pytest.mark.django_db


def import_pois(path, layer: str, *options: str) -> str:
    out = StringIO()
    call_command("import_pois", str(path), "--layer", layer, *options, stdout=out)
    return out.getvalue()


def write_csv(tmp_path, text: str):
    path = tmp_path / "pois.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_osm_pois_load_with_their_osm_ids():
    out = import_pois(POIS, "tourism")
    assert "8 created, 0 updated, 0 unchanged" in out
    assert PointOfInterest.objects.filter(layer="tourism").count() == 8
    beach = PointOfInterest.objects.get(source_id="way/384652651")
    assert beach.name == "Bãi Trà Cổ" and beach.category == "bai_bien"
    assert beach.tags == "beach;famous" and beach.source == "OpenStreetMap"
    assert beach.source_url == "https://www.openstreetmap.org/way/384652651"
    assert "ODbL" in beach.licence
    assert 107.7 < beach.location.x < 108.15 and 21.3 < beach.location.y < 21.7


def test_reimport_never_duplicates(poi_features):
    import_pois(POIS, "tourism")
    ids = set(PointOfInterest.objects.values_list("pk", flat=True))
    out = import_pois(POIS, "tourism")
    assert "0 created, 0 updated, 8 unchanged" in out
    assert set(PointOfInterest.objects.values_list("pk", flat=True)) == ids
    assert len(poi_features) == PointOfInterest.objects.count() == 8
    # Same file in another layer is another set of points.
    import_pois(POIS, "osm-copy")
    assert PointOfInterest.objects.count() == 16


def test_csv_import_and_update(tmp_path):
    path = write_csv(
        tmp_path,
        "name,lon,lat,category,source_id\n"
        "Chợ Móng Cái,107.9663,21.5268,cho,mc-1\n"
        "Quảng trường Ka Long,107.9621,21.5290,,\n",
    )
    out = import_pois(path, "curated", "--licence", "CC0")
    assert "2 created" in out
    market = PointOfInterest.objects.get(layer="curated", source_id="mc-1")
    assert (market.name, market.category, market.licence) == ("Chợ Móng Cái", "cho", "CC0")
    assert PointOfInterest.objects.filter(source_id="name:Quảng trường Ka Long").exists()
    path = write_csv(
        tmp_path,
        "name;lon;lat;category;source_id\n"
        "Chợ trung tâm Móng Cái;107,9664;21,5268;cho;mc-1\n"
        "Quảng trường Ka Long;107,9621;21,5290;;\n",
    )
    out = import_pois(path, "curated", "--licence", "CC0")
    assert "0 created, 1 updated, 1 unchanged" in out
    market.refresh_from_db()
    assert market.name == "Chợ trung tâm Móng Cái" and market.location.x == pytest.approx(107.9664)


def test_bad_csv_rows_are_refused_with_their_row_numbers(tmp_path):
    path = write_csv(
        tmp_path,
        "name,lon,lat\n"
        "Chợ Móng Cái,107.9663,21.5268\n"
        "Bãi Trà Cổ,108.03,abc\n"
        "\n"
        ",107.9,21.5\n"
        "Mũi Sa Vĩ,21.46,108.05\n",
    )
    with pytest.raises(CommandError) as info:
        import_pois(path, "curated")
    message = str(info.value)
    assert "row 3: lat is not a number" in message and "abc" not in message
    assert "row 5: empty name" in message
    assert "row 6: lat 108.05 is outside -90..90" in message and "swapped" in message
    assert "row 2" not in message
    assert not PointOfInterest.objects.exists()


def test_missing_columns_and_duplicates_are_refused(tmp_path):
    path = write_csv(tmp_path, "ten,x,y\nA,1,2\n")
    with pytest.raises(CommandError, match=r"missing column.*name, lon, lat.*ten, x, y"):
        import_pois(path, "curated")
    path = write_csv(tmp_path, "name,lon,lat\nA,107.9,21.5\nA,107.95,21.52\n")
    with pytest.raises(CommandError, match="row 3: source id 'name:A' already used by row 2"):
        import_pois(path, "curated")
    assert not PointOfInterest.objects.exists()


def test_prune_and_dry_run(tmp_path):
    import_pois(POIS, "tourism")
    path = write_csv(tmp_path, "name,lon,lat,source_id\nBãi Trà Cổ,108.0,21.47,way/384652651\n")
    result = poi_import(records=read_poi_file(path), layer="tourism", prune=True, dry_run=True)
    assert (result.updated, result.deleted, result.dry_run) == (1, 7, True)
    assert PointOfInterest.objects.filter(layer="tourism").count() == 8
    poi_import(records=read_poi_file(path), layer="tourism", prune=True)
    assert PointOfInterest.objects.filter(layer="tourism").count() == 1


def test_geojson_features_that_are_not_points_are_refused(tmp_path):
    path = tmp_path / "pois.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"name": "Cầu Bắc Luân", "source_id": "a"},'
        ' "geometry": {"type": "Point", "coordinates": [107.96, 21.53]}},'
        '{"type": "Feature", "properties": {"name": "Đường", "source_id": "b"},'
        ' "geometry": {"type": "LineString", "coordinates": [[107.9, 21.5], [108, 21.6]]}}]}',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="feature #2: geometry is LineString"):
        import_pois(path, "curated")
    assert not PointOfInterest.objects.exists()


def write_gpkg(path, rows: list[dict], *, crs: int = 4326, layer: str = "pois") -> None:
    """Write `rows` (each with lon/lat in EPSG:4326) as a GeoPackage layer in `crs`."""
    import geopandas as gpd
    from shapely.geometry import Point

    frame = gpd.GeoDataFrame(
        [{k: v for k, v in row.items() if k not in ("lon", "lat", "geometry")} for row in rows],
        geometry=[
            row["geometry"] if "geometry" in row else Point(row["lon"], row["lat"]) for row in rows
        ],
        crs=4326,
    )
    frame.to_crs(crs).to_file(path, layer=layer, driver="GPKG")


def test_gpkg_in_utm_is_reprojected_and_reimport_updates(tmp_path):
    path = tmp_path / "pois.gpkg"
    rows = [
        {"name": "Đền Xã Tắc", "category": "den", "source_id": "qn-1", "lon": 107.9687,
         "lat": 21.5302},
        {"name": "Mũi Sa Vĩ", "category": "attraction", "source_id": "qn-2", "lon": 108.0536,
         "lat": 21.4666, "licence": "CC-BY 4.0"},
    ]  # fmt: skip
    # EPSG:32648 is WGS 84 / UTM 48N (metres), the projected CRS Quảng Ninh data often uses.
    write_gpkg(path, rows, crs=32648)
    out = import_pois(path, "curated")
    assert "2 created, 0 updated, 0 unchanged" in out
    temple = PointOfInterest.objects.get(layer="curated", source_id="qn-1")
    assert temple.name == "Đền Xã Tắc" and temple.category == "den"
    # A UTM round trip is exact to well under a millimetre (~1e-8 degrees).
    assert temple.location.srid == 4326
    assert temple.location.x == pytest.approx(107.9687, abs=1e-7)
    assert temple.location.y == pytest.approx(21.5302, abs=1e-7)
    assert PointOfInterest.objects.get(source_id="qn-2").licence == "CC-BY 4.0"
    ids = set(PointOfInterest.objects.values_list("pk", flat=True))

    rows[0] = {**rows[0], "name": "Đền Xã Tắc Móng Cái", "lon": 107.9690}
    write_gpkg(path, rows, crs=32648)
    out = import_pois(path, "curated")
    assert "0 created, 1 updated, 1 unchanged" in out
    assert set(PointOfInterest.objects.values_list("pk", flat=True)) == ids
    temple.refresh_from_db()
    assert temple.name == "Đền Xã Tắc Móng Cái"
    assert temple.location.x == pytest.approx(107.9690, abs=1e-7)


def test_gpkg_vn2000_layer_chosen_by_option(tmp_path):
    path = tmp_path / "pois.gpkg"
    # EPSG:3405 is VN-2000 / UTM 48N; its datum shift moves points by tens of metres, so
    # the check is that the point lands back near where it was, not at metre coordinates.
    write_gpkg(path, [{"name": "Chợ Móng Cái", "lon": 107.9663, "lat": 21.5268}], crs=3405)
    write_gpkg(path, [{"name": "Bãi Trà Cổ", "lon": 108.03, "lat": 21.47}], layer="beaches")
    with pytest.raises(CommandError, match=r"2 layers .*pois, beaches.*--gpkg-layer"):
        import_pois(path, "curated")
    with pytest.raises(CommandError, match="no layer 'hotels'"):
        import_pois(path, "curated", "--gpkg-layer", "hotels")
    out = import_pois(path, "curated", "--gpkg-layer", "pois")
    assert "1 created" in out
    market = PointOfInterest.objects.get(layer="curated")
    assert market.source_id == "name:Chợ Móng Cái"
    assert market.location.x == pytest.approx(107.9663, abs=1e-3)
    assert market.location.y == pytest.approx(21.5268, abs=1e-3)


def test_bad_gpkg_features_are_refused_by_number_and_nothing_is_written(tmp_path):
    from shapely.geometry import LineString

    path = tmp_path / "pois.gpkg"
    good = {"name": "Chợ Móng Cái", "source_id": "mc-1", "lon": 107.9663, "lat": 21.5268}
    write_gpkg(path, [good])
    import_pois(path, "curated")
    rows = [
        {**good, "name": "Chợ trung tâm"},
        {"name": "", "source_id": "mc-2", "lon": 107.96, "lat": 21.52},
        {"name": "Đường Hùng Vương", "source_id": "mc-3",
         "geometry": LineString([(107.96, 21.52), (107.97, 21.53)])},
        {"name": "Quảng trường", "source_id": "mc-4", "lon": 107.96, "lat": 21.52,
         "source_url": "ftp://example.org"},
    ]  # fmt: skip
    write_gpkg(path, rows, crs=32648)
    with pytest.raises(CommandError) as info:
        import_pois(path, "curated")
    message = str(info.value)
    assert "3 problems; nothing imported" in message
    assert "feature #2: empty name" in message
    assert "feature #3: geometry is LineString; POIs must be Points" in message
    assert "feature #4: source_url 'ftp://example.org' is not an http(s) URL" in message
    assert "feature #1" not in message
    # The good first feature's rename was not written either.
    assert list(PointOfInterest.objects.values_list("name", flat=True)) == ["Chợ Móng Cái"]


def test_gpkg_without_crs_is_refused(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "pois.gpkg"
    frame = gpd.GeoDataFrame({"name": ["A"]}, geometry=[Point(107.9, 21.5)])
    with pytest.warns(UserWarning, match="crs"):
        frame.to_file(path, driver="GPKG")
    with pytest.raises(CommandError, match="has no CRS"):
        import_pois(path, "curated")
    assert not PointOfInterest.objects.exists()
