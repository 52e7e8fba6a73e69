"""The boundary file reader: formats, CRSs, refusals and repairs. Pure: no database."""

from __future__ import annotations

import json
import unicodedata
import zipfile

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from etl.wards import BoundaryFileError, file_gaps, file_overlaps, read_ward_file
from tests.conftest import DATA, WARDS_2024

RAW_2024 = DATA / "mong_cai_wards_2024_gadm41_raw.geojson"

# Two adjacent squares (about 1 km) in Móng Cái.
KA_LONG = box(107.960, 21.520, 107.970, 21.530)
TRAN_PHU = box(107.970, 21.520, 107.980, 21.530)


def frame(rows: list[dict], crs=4326) -> gpd.GeoDataFrame:
    geoms = [row.pop("geometry") for row in rows]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=crs)


def two_wards(**overrides) -> list[dict]:
    rows = [
        {
            "ward_code": "06709",
            "name": "Ka Long",
            "full_name": "Phường Ka Long",
            "geometry": KA_LONG,
        },
        {
            "ward_code": "06712",
            "name": "Trần Phú",
            "full_name": "Phường Trần Phú",
            "geometry": TRAN_PHU,
        },
    ]
    for key, value in overrides.items():
        rows[1][key] = value
    return rows


def write_geojson(path, features: list[dict]):
    """A GeoJSON written by hand, so null and odd geometries survive as they are."""
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def feature(code, name, geometry) -> dict:
    geom = None if geometry is None else shapely.geometry.mapping(geometry)
    return {"type": "Feature", "properties": {"ward_code": code, "name": name}, "geometry": geom}


def refused(path, **kwargs) -> str:
    with pytest.raises(BoundaryFileError) as info:
        read_ward_file(path, **kwargs)
    return str(info.value)


# --- formats ---------------------------------------------------------------------------------


def test_reads_the_real_clean_file():
    records, repairs = read_ward_file(WARDS_2024)
    assert len(records) == 17 and repairs == []
    ka_long = next(r for r in records if r.code == "06709")
    assert (ka_long.name, ka_long.full_name, ka_long.unit_type) == (
        "Ka Long",
        "Phường Ka Long",
        "phuong",
    )
    assert ka_long.district_code == "194" and ka_long.province_name == "Tỉnh Quảng Ninh"
    assert isinstance(ka_long.geometry, MultiPolygon) and ka_long.geometry.is_valid
    assert {r.unit_type for r in records} == {"phuong", "xa"}


def test_geojson_names_become_nfc_and_unit_type_comes_from_the_prefix(tmp_path):
    nfd = unicodedata.normalize("NFD", "Thị trấn Trần Phú")
    path = write_geojson(tmp_path / "w.geojson", [feature("1", nfd, KA_LONG)])
    [record], _ = read_ward_file(path)
    assert record.full_name == "Thị trấn Trần Phú"
    assert unicodedata.is_normalized("NFC", record.full_name)
    assert (record.name, record.unit_type, record.name_ascii) == (
        "Trần Phú",
        "thi_tran",
        "Tran Phu",
    )


def test_unit_type_field_wins_over_the_name(tmp_path):
    path = tmp_path / "w.geojson"
    frame(two_wards(unit_type="Xã")).to_file(path)
    records, _ = read_ward_file(path)
    assert [r.unit_type for r in records] == ["phuong", "xa"]


def test_shapefile_folder_shp_and_zip(tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    frame(two_wards()).to_file(folder / "wards.shp")
    archive = tmp_path / "wards.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    for path in (folder, folder / "wards.shp", archive):
        records, _ = read_ward_file(path)
        assert [r.code for r in records] == ["06709", "06712"], path
        assert records[1].name == "Trần Phú"


def test_geopackage_with_two_layers(tmp_path):
    path = tmp_path / "wards.gpkg"
    frame(two_wards()).to_file(path, layer="wards_2024")
    frame(two_wards()[:1]).to_file(path, layer="wards_2025")
    assert len(read_ward_file(path, layer="wards_2024")[0]) == 2
    assert len(read_ward_file(path, layer="wards_2025")[0]) == 1
    message = refused(path)
    assert "2 layers" in message and "wards_2024" in message and "wards_2025" in message
    assert "no layer 'nope'" in refused(path, layer="nope")


@pytest.mark.parametrize("epsg", [9210, 3405])
def test_vn2000_projected_file_is_reprojected(tmp_path, epsg):
    path = tmp_path / f"vn2000_{epsg}.gpkg"
    projected = frame(two_wards()).to_crs(epsg)
    assert projected.total_bounds[0] > 100_000  # metres, not degrees
    projected.to_file(path)
    records, repairs = read_ward_file(path)
    assert repairs == []
    for record, original in zip(records, (KA_LONG, TRAN_PHU), strict=True):
        assert record.geometry.bounds == pytest.approx(original.bounds, abs=1e-7)  # ~1 cm


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_no_crs_lonlat_is_assumed_wgs84_and_noted(tmp_path):
    folder = tmp_path / "noprj"
    folder.mkdir()
    frame(two_wards(), crs=None).to_file(folder / "w.shp")
    records, repairs = read_ward_file(folder)
    assert len(records) == 2
    assert len(repairs) == 1 and "no CRS" in str(repairs[0]) and "EPSG:4326" in str(repairs[0])


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_no_crs_projected_coordinates_are_refused(tmp_path):
    folder = tmp_path / "noprj"
    folder.mkdir()
    projected = frame(two_wards()).to_crs(9210).set_crs(None, allow_override=True)
    projected.to_file(folder / "w.shp")
    message = refused(folder)
    assert "no CRS" in message and "not longitude/latitude" in message


# --- refusals --------------------------------------------------------------------------------


def test_unreadable_and_unsupported_files(tmp_path):
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", "utf-8")
    assert "cannot read" in refused(broken)
    csv = tmp_path / "wards.csv"
    csv.write_text("a,b\n1,2\n", "utf-8")
    assert "unsupported file type '.csv'" in refused(csv)
    assert "no such file" in refused(tmp_path / "missing.geojson")


def test_empty_file(tmp_path):
    path = write_geojson(tmp_path / "empty.geojson", [])
    assert "no features" in refused(path)


def test_missing_code_field_lists_the_fields(tmp_path):
    path = tmp_path / "w.geojson"
    frame(two_wards()).rename(columns={"ward_code": "ma_xa"}).to_file(path)
    message = refused(path)
    assert "no code field 'ward_code'" in message
    assert "ma_xa" in message and "full_name" in message
    assert len(read_ward_file(path, code_field="ma_xa")[0]) == 2


def test_missing_name_field(tmp_path):
    path = tmp_path / "w.geojson"
    frame(two_wards()).drop(columns=["name"]).to_file(path)
    assert "no name field 'name'" in refused(path)
    assert len(read_ward_file(path, name_field="full_name")[0]) == 2


def test_empty_code_names_the_feature(tmp_path):
    path = write_geojson(
        tmp_path / "w.geojson",
        [feature("06709", "Phường Ka Long", KA_LONG), feature("", "Phường Trần Phú", TRAN_PHU)],
    )
    assert "feature #2: empty code" in refused(path)


def test_duplicate_codes_name_both_features(tmp_path):
    path = write_geojson(
        tmp_path / "w.geojson",
        [
            feature("06709", "Phường Ka Long", KA_LONG),
            feature("06712", "Phường Trần Phú", TRAN_PHU),
            feature("06709", "Phường Hải Hoà", box(107.98, 21.52, 107.99, 21.53)),
        ],
    )
    message = refused(path)
    assert "features #1 (Phường Ka Long) and #3 (Phường Hải Hoà) both have code 06709" in message


def test_null_and_non_polygon_geometries_are_named(tmp_path):
    path = write_geojson(
        tmp_path / "w.geojson",
        [
            feature("06709", "Phường Ka Long", None),
            feature("06712", "Phường Trần Phú", shapely.Point(107.97, 21.52)),
            feature("06715", "Phường Ninh Dương", shapely.LineString([(107.9, 21.5), (108, 21.6)])),
        ],
    )
    message = refused(path)
    assert "3 problems" in message
    assert "feature #1 (code 06709): no geometry" in message
    assert "feature #2 (code 06712): geometry is a Point" in message
    assert "feature #3 (code 06715): geometry is a LineString" in message


def test_unknown_unit_type_is_refused(tmp_path):
    path = write_geojson(tmp_path / "w.geojson", [feature("06709", "Ka Long", KA_LONG)])
    message = refused(path)
    assert "feature #1 (code 06709)" in message and "cannot tell the unit type" in message
    path = tmp_path / "typed.geojson"
    frame(two_wards(unit_type="quận")).to_file(path)
    assert "feature #2 (code 06712): unit_type 'quận'" in refused(path)


def test_too_long_code_is_refused(tmp_path):
    path = write_geojson(tmp_path / "w.geojson", [feature("0670900000001", "Xã A", KA_LONG)])
    assert "longer than 10 characters" in refused(path)


# --- repairs ---------------------------------------------------------------------------------


def test_bow_tie_is_repaired_and_reported(tmp_path):
    bow_tie = Polygon([(107.96, 21.52), (107.97, 21.53), (107.97, 21.52), (107.96, 21.53)])
    assert not bow_tie.is_valid
    path = write_geojson(
        tmp_path / "w.geojson",
        [feature("06709", "Phường Ka Long", KA_LONG), feature("06712", "Xã Bow", bow_tie)],
    )
    records, repairs = read_ward_file(path)
    fixed = records[1].geometry
    assert fixed.is_valid and isinstance(fixed, MultiPolygon) and len(fixed.geoms) == 2
    assert len(repairs) == 1
    note = str(repairs[0])
    assert "ward 06712 (feature #2)" in note and "Self-intersection" in note
    assert "make_valid" in note


def test_polygon_with_a_dangling_line_keeps_only_polygonal_parts(tmp_path):
    # The hole touches the shell along an edge: make_valid returns a polygon plus a line.
    shell = [(107.96, 21.52), (107.98, 21.52), (107.98, 21.54), (107.96, 21.54)]
    hole = [(107.96, 21.52), (107.97, 21.52), (107.97, 21.53)]
    path = write_geojson(
        tmp_path / "w.geojson", [feature("06709", "Phường Ka Long", Polygon(shell, [hole]))]
    )
    [record], [note] = read_ward_file(path)
    assert record.geometry.geom_type == "MultiPolygon" and record.geometry.is_valid
    assert "LineString" in str(note)


# --- topology of one file --------------------------------------------------------------------


def test_raw_gadm_file_has_overlaps_and_gaps():
    records, _ = read_ward_file(RAW_2024)
    overlaps = file_overlaps(records)
    pairs = {(o.code, o.other_code): o for o in overlaps}
    assert len(overlaps) == 13
    worst = pairs[("06733", "06739")]  # Hải Tiến / Quảng Nghĩa, about 0.15 km²
    assert 140_000 < worst.area_m2 < 160_000
    assert "Hải Tiến" in str(worst) and "Quảng Nghĩa" in str(worst)
    gaps = file_gaps(records)
    assert gaps is not None and gaps.count == 21 and 0.5e6 < gaps.total_m2 < 0.7e6


def test_clean_file_has_no_overlap_or_gap_worth_a_warning():
    records, _ = read_ward_file(WARDS_2024)
    assert file_overlaps(records) == []
    assert file_gaps(records) is None
