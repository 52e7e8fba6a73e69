"""The exchange files of places and prices (etl.places, etl.places_write, etl.hours): CSV and
GeoPackage round trips, every kind of bad row named by its line, BOM, formula-safe export."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import sqlite3
import types
from pathlib import Path

import pytest

from etl import place_import, places_write
from etl.hours import HoursProblem, hours_to_text, parse_hours
from etl.limits import ImportLimits
from etl.place_kinds import PLACE_KINDS
from etl.places import (
    PLACE_COLUMNS,
    PRICE_COLUMNS,
    PlaceRecord,
    PriceRecord,
    read_places_csv,
    read_places_gpkg,
    read_prices_csv,
    unknown_price_refs,
)
from etl.places_write import write_places_csv, write_places_gpkg, write_prices_csv

PLACES_HEADER = ",".join(PLACE_COLUMNS)
PRICES_HEADER = ",".join(PRICE_COLUMNS)


def place(ref: str = "ks-1", **values) -> PlaceRecord:
    base = {
        "row": 0,
        "ref": ref,
        "kind": "accommodation",
        "name": "Khách sạn Thử nghiệm",
        "lon": 107.9663,
        "lat": 21.5268,
        "name_en": "Test Hotel",
        "name_zh": "测试酒店",
        "address": "1 Hùng Vương, Ka Long",
        "phone": "+84 203 3881 234",
        "website": "https://example.org/ks",
        "accommodation_type": "hotel",
        "star_rating": 3,
        "hours": parse_hours("24/7"),
        "accessibility": "Có thang máy",
        "description": "Dòng một\nDòng hai",
        "verified_at": dt.date(2025, 3, 1),
    }
    return PlaceRecord(**{**base, **values})


def price(ref: str = "ks-1", **values) -> PriceRecord:
    base = {
        "row": 0,
        "ref": ref,
        "item": "Phòng đôi",
        "item_en": "Double room",
        "item_zh": "双人间",
        "unit": "đêm",
        "unit_en": "night",
        "unit_zh": "晚",
        "price_vnd": 650000,
        "valid_from": dt.date(2025, 1, 1),
        "valid_to": None,
    }
    return PriceRecord(**{**base, **values})


def without_row(records):
    return [dataclasses.replace(r, row=0) for r in records]


def csv_file(tmp_path, name: str, header: str, *lines: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding=encoding)
    return path


def good_place_line(ref: str = "p1", **cells) -> str:
    values = dict.fromkeys(PLACE_COLUMNS, "")
    values.update({"ref": ref, "kind": "food", "name": "Quán Thử", "lon": "107.96", "lat": "21.52"})
    values.update(cells)
    return ",".join(f'"{values[c]}"' if "," in values[c] else values[c] for c in PLACE_COLUMNS)


def good_price_line(ref: str = "p1", **cells) -> str:
    values = dict.fromkeys(PRICE_COLUMNS, "")
    values.update({"ref": ref, "item": "Phở bò", "price_vnd": "50000", "valid_from": "2025-01-01"})
    values.update(cells)
    return ",".join(values[c] for c in PRICE_COLUMNS)


# --- hours ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("mon-fri 08:00-17:30; sat 08:00-12:00; sun closed", None),
        ("24/7", None),
        ("mon-thu closed; fri-sat 18:00-02:00; sun closed", None),
        ("mon 07:00-11:00,13:30-17:00; tue-sun closed", None),
        ("Mon - Fri 08:00 - 17:30", "mon-fri 08:00-17:30; sat-sun closed"),
        ("sat-mon 10:00-14:00", "mon 10:00-14:00; tue-fri closed; sat-sun 10:00-14:00"),
        ("mon,wed 09:00-10:00", "mon 09:00-10:00; tue closed; wed 09:00-10:00; thu-sun closed"),
        ("", None),
    ],
)
def test_hours_text_round_trips(text, canonical):
    hours = parse_hours(text)
    written = hours_to_text(hours)
    assert written == (canonical if canonical is not None else text)
    assert parse_hours(written) == hours


def test_hours_json_is_the_contracts():
    assert parse_hours("") == {}
    assert parse_hours("24/7") == {"always": True}
    hours = parse_hours("mon 07:00-11:00,13:30-17:00; fri-sat 18:00-02:00")
    assert hours["mon"] == [["07:00", "11:00"], ["13:30", "17:00"]]
    assert hours["fri"] == hours["sat"] == [["18:00", "02:00"]]  # past midnight: close < open
    assert hours["tue"] == hours["sun"] == [] and hours["always"] is False
    assert list(hours) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "always"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("mon 8-17", "HH:MM-HH:MM"),
        ("xyz 08:00-10:00", "không phải là ngày"),
        ("mon 08:00-10:00; mon closed", "hai lần"),
        ("mon 08:00-12:00,11:00-13:00", "chồng lên nhau"),
        ("mon 25:00-26:00", "không phải là giờ hợp lệ"),
        ("mon 09:00-09:00", "cùng một lúc"),
        ("open every day", "không hiểu"),
    ],
)
def test_bad_hours_say_what_is_wrong(text, says):
    with pytest.raises(HoursProblem) as caught:
        parse_hours(text)
    assert says in caught.value.message


# --- CSV round trip ------------------------------------------------------------------------


def test_csv_round_trip_keeps_every_value(tmp_path):
    places = [
        place(),
        place(
            "cho-1",
            kind="market",
            name="Chợ Trung tâm",
            accommodation_type="",
            star_rating=None,
            ocop_stars=4,
            hours=parse_hours("mon-sun 05:00-18:00"),
            verified_at=None,
            phone="",
            website="",
        ),
    ]
    prices = [price(), price(item="Phòng đơn", price_vnd=450000, valid_to=dt.date(2025, 12, 31))]
    write_places_csv(tmp_path / "places.csv", places)
    write_prices_csv(tmp_path / "prices.csv", prices)
    read_places = read_places_csv(tmp_path / "places.csv")
    read_prices = read_prices_csv(tmp_path / "prices.csv")
    assert read_places.errors == [] and read_prices.errors == []
    assert read_places.warnings == []
    assert without_row(read_places.records) == places
    assert without_row(read_prices.records) == prices
    assert [r.row for r in read_places.records] == [2, 4]  # row 2 spans two lines


def test_gpkg_round_trip_with_both_layers(tmp_path):
    places = [place(), place("wc-1", kind="toilet", name="Nhà vệ sinh", accommodation_type="")]
    prices = [price(), price(item="Phòng VIP", ocop_stars=None, price_vnd=12_000_000_000)]
    path = write_places_gpkg(tmp_path / "places.gpkg", places, prices)
    read_places, read_prices = read_places_gpkg(path)
    assert read_places.errors == [] and read_prices.errors == []
    assert without_row(read_places.records) == places
    assert without_row(read_prices.records) == prices
    assert [r.row for r in read_prices.records] == [1, 2]
    with sqlite3.connect(path) as db:
        tables = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents"))
        srs = db.execute(
            "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'places'"
        ).fetchone()
    assert tables == {"places": "features", "prices": "attributes"} and srs == (4326,)


def test_gpkg_in_another_crs_is_reprojected(tmp_path):
    geopandas = importlib.import_module("geopandas")
    path = write_places_gpkg(tmp_path / "a.gpkg", [place()], [])
    frame = geopandas.read_file(path, layer="places").to_crs(32648)  # UTM 48N, metres
    frame.to_file(tmp_path / "utm.gpkg", layer="places", driver="GPKG")
    read, prices = read_places_gpkg(tmp_path / "utm.gpkg")
    assert read.errors == [] and prices.records == []
    assert "prices" in prices.warnings[0]
    assert read.records[0].lon == pytest.approx(107.9663, abs=1e-7)
    assert read.records[0].lat == pytest.approx(21.5268, abs=1e-7)


def test_gpkg_rows_are_numbered_by_position_in_their_layer(tmp_path):
    places = [place("a"), place("b", kind="spa"), place("c")]
    prices = [price("a"), price("a", item="x", price_vnd=0)]
    # Records are plain data: an invalid one written to a file must be refused on the way in.
    path = write_places_gpkg(tmp_path / "bad.gpkg", places, [])
    write_places_gpkg(tmp_path / "bad2.gpkg", [place("a")], [])
    read, _ = read_places_gpkg(path)
    assert read.errors == [
        "dòng 2: kind: “spa” không phải là loại địa điểm; dùng một trong: " + ", ".join(PLACE_KINDS)
    ]
    pyogrio = importlib.import_module("pyogrio")
    pandas = importlib.import_module("pandas")
    table = pandas.DataFrame(
        {
            "ref": [p.ref for p in prices],
            "item": [p.item for p in prices],
            "price_vnd": [p.price_vnd for p in prices],
            "valid_from": ["2025-01-01", "2025-01-01"],
        }
    )
    pyogrio.write_dataframe(table, tmp_path / "bad2.gpkg", layer="prices", driver="GPKG")
    _, read_prices = read_places_gpkg(tmp_path / "bad2.gpkg")
    assert len(read_prices.errors) == 1 and read_prices.errors[0].startswith(
        "dòng 2: price_vnd: phải là số đồng lớn hơn 0"
    )


def test_gpkg_without_places_layer_or_with_a_line_is_refused(tmp_path):
    geopandas = importlib.import_module("geopandas")
    shapely = importlib.import_module("shapely.geometry")
    frame = geopandas.GeoDataFrame(
        {"ref": ["a", "b"], "kind": ["food", "food"], "name": ["A", "B"]},
        geometry=[shapely.Point(107.9, 21.5), shapely.LineString([(107.9, 21.5), (108, 21.6)])],
        crs=4326,
    )
    frame.to_file(tmp_path / "roads.gpkg", layer="roads", driver="GPKG")
    places, _ = read_places_gpkg(tmp_path / "roads.gpkg")
    assert places.errors == ["GeoPackage không có lớp “places” (các lớp của nó: roads)"]
    frame.to_file(tmp_path / "line.gpkg", layer="places", driver="GPKG")
    places, _ = read_places_gpkg(tmp_path / "line.gpkg")
    assert places.errors == [
        "dòng 2: geom: hình học là LineString; địa điểm phải là một điểm (Point)"
    ]
    assert [r.ref for r in places.records] == ["a"]


def test_gpkg_feature_count_is_bounded(tmp_path):
    path = write_places_gpkg(tmp_path / "p.gpkg", [place("a"), place("b")], [])
    limits = ImportLimits(max_bytes=10**9, max_features=1, max_vertices=10)
    places, _ = read_places_gpkg(path, limits=limits)
    assert "IMPORT_MAX_FEATURES" in places.errors[0] and places.records == []


# --- CSV errors, each with its line ---------------------------------------------------------


def test_every_bad_place_cell_names_its_line_and_column(tmp_path):
    path = csv_file(
        tmp_path,
        "places.csv",
        PLACES_HEADER,
        good_place_line("p1"),  # line 2
        good_place_line("p2", kind="spa"),
        good_place_line("p3", lon="107,96"),
        good_place_line("p4", lat="95"),
        good_place_line("p5", star_rating="6"),
        good_place_line("p6", ocop_stars="three"),
        good_place_line("p7", hours="mon 8-17"),
        good_place_line("p8", verified_at="01/03/2025"),
        good_place_line("p1"),  # line 10: duplicate ref
        good_place_line("", name=""),
        good_place_line("p11", website="example.org"),
        good_place_line("p12", accommodation_type="hotel"),
        good_place_line("p13", accommodation_type="villa", kind="accommodation"),
        good_place_line("p14", lon="2.35", lat="48.85"),
        good_place_line("p15", name="x" * 201),
    )
    result = read_places_csv(path)
    assert [r.ref for r in result.records] == ["p1"]
    errors = result.errors
    expected_prefixes = [
        "dòng 3: kind: “spa” không phải là loại địa điểm",
        "dòng 4: lon: Phải là một số thập phân",
        "dòng 5: lat: 95.0 nằm ngoài khoảng cho phép",
        "dòng 6: star_rating: phải là số nguyên từ 1 đến 5",
        "dòng 7: ocop_stars: phải là số nguyên từ 1 đến 5",
        "dòng 8: hours: không hiểu khoảng giờ “8-17”",
        "dòng 9: verified_at: Đây không phải là ngày (YYYY-MM-DD).",
        "dòng 10: ref: trùng với dòng 2",
        "dòng 11: ref: bắt buộc, không được để trống",
        "dòng 11: name: bắt buộc, không được để trống",
        "dòng 12: website: phải là địa chỉ bắt đầu bằng http:// hoặc https://",
        "dòng 13: accommodation_type: chỉ dùng cho địa điểm loại accommodation",
        "dòng 14: accommodation_type: “villa” không phải là loại hình lưu trú",
        "dòng 15: lon, lat: toạ độ nằm ngoài Việt Nam",
        "dòng 16: name: dài quá 200 ký tự",
    ]
    assert len(errors) == len(expected_prefixes), errors
    for error, prefix in zip(errors, expected_prefixes, strict=True):
        assert error.startswith(prefix), (error, prefix)


def test_every_bad_price_cell_names_its_line_and_column(tmp_path):
    path = csv_file(
        tmp_path,
        "prices.csv",
        PRICES_HEADER,
        good_price_line("p1"),
        good_price_line("p1", price_vnd="50.000"),
        good_price_line("p1", price_vnd="0"),
        good_price_line("p1", price_vnd="-5"),
        good_price_line("p1", valid_from=""),
        good_price_line("p1", item="Bún", valid_to="2024-12-31"),
        good_price_line("p1", item="Trà", valid_from="2025-02-30"),
        good_price_line("p1"),  # line 9: same item, unit and date as line 2
        good_price_line("p1", item="Nem", ocop_stars="0"),
        good_price_line("p1", item="Chè", price_vnd="\uff11\uff12"),  # fullwidth 12
    )
    result = read_prices_csv(path)
    assert [r.row for r in result.records] == [2]
    expected = [
        "dòng 3: price_vnd: phải là số đồng lớn hơn 0",
        "dòng 4: price_vnd: phải là số đồng lớn hơn 0",
        "dòng 5: price_vnd: phải là số đồng lớn hơn 0",
        "dòng 6: valid_from: bắt buộc, không được để trống",
        "dòng 7: valid_to: phải từ ngày valid_from (2025-01-01) trở đi",
        "dòng 8: valid_from: Đây không phải là ngày (YYYY-MM-DD).",
        "dòng 9: item: trùng với dòng 2 (cùng ref, item, unit và valid_from)",
        "dòng 10: ocop_stars: phải là số nguyên từ 1 đến 5",
        "dòng 11: price_vnd: phải là số đồng lớn hơn 0",
    ]
    assert len(result.errors) == len(expected), result.errors
    for error, prefix in zip(result.errors, expected, strict=True):
        assert error.startswith(prefix), (error, prefix)


def test_a_price_for_an_unknown_place_is_refused(tmp_path):
    path = csv_file(
        tmp_path, "prices.csv", PRICES_HEADER, good_price_line("p1"), good_price_line("ghost")
    )
    result = unknown_price_refs(read_prices_csv(path), known_refs={"p1"})
    assert [r.ref for r in result.records] == ["p1"]
    assert result.errors == [
        "dòng 3: ref: không có địa điểm nào mang ref “ghost” (trong tệp địa điểm hay cơ sở dữ liệu)"
    ]


def test_missing_columns_are_one_error_naming_them(tmp_path):
    path = csv_file(tmp_path, "places.csv", "ref,name,kind", "p1,Quán,food")
    result = read_places_csv(path)
    assert result.errors == ["dòng 1: lon, lat: thiếu cột bắt buộc"]
    assert result.records == []
    prices = read_prices_csv(csv_file(tmp_path, "prices.csv", "ref,item", "p1,Phở"))
    assert prices.errors == ["dòng 1: price_vnd, valid_from: thiếu cột bắt buộc"]


def test_unknown_columns_are_ignored_with_a_warning(tmp_path):
    path = csv_file(
        tmp_path, "places.csv", PLACES_HEADER + ",note,Colour", good_place_line() + ",x,y"
    )
    result = read_places_csv(path)
    assert result.errors == [] and len(result.records) == 1
    assert result.warnings == ["cột không dùng đến, đã bỏ qua: note, colour"]


def test_bom_and_semicolons_and_blank_lines(tmp_path):
    # Excel's "CSV UTF-8" starts with a BOM; a Vietnamese-locale Excel may separate by ";",
    # and an hours cell holds ";" too (quoted), which must not fool the delimiter choice.
    header = ";".join(PLACE_COLUMNS)
    cells = dict.fromkeys(PLACE_COLUMNS, "")
    cells.update(ref="p1", kind="food", name="Quán Phở", lon="107.96", lat="21.52")
    cells["hours"] = '"mon-fri 06:00-10:00; sat-sun closed"'
    line = ";".join(cells[c] for c in PLACE_COLUMNS)
    path = tmp_path / "places.csv"
    path.write_text(f"{header}\r\n\r\n{line}\r\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = read_places_csv(path)
    assert result.errors == []
    (record,) = result.records
    assert record.ref == "p1" and record.row == 3  # the blank line 2 keeps its number
    assert record.hours["mon"] == [["06:00", "10:00"]] and record.hours["sat"] == []


def test_not_utf8_and_missing_file(tmp_path):
    path = csv_file(
        tmp_path, "places.csv", PLACES_HEADER, good_place_line(name="Café"), encoding="cp1252"
    )
    assert "UTF-8" in read_places_csv(path).errors[0]
    assert read_places_csv(tmp_path / "none.csv").errors[0].startswith("không có tệp")


def test_csv_size_is_bounded(tmp_path):
    path = csv_file(
        tmp_path, "places.csv", PLACES_HEADER, good_place_line("a"), good_place_line("b")
    )
    limits = ImportLimits(max_bytes=10**9, max_features=1, max_vertices=10)
    result = read_places_csv(path, limits=limits)
    assert "IMPORT_MAX_FEATURES" in result.errors[0] and result.records == []


# --- formula injection --------------------------------------------------------------------


def test_export_defuses_formulas_and_import_restores_the_text(tmp_path):
    evil = place(
        '=HYPERLINK("http://x")',
        name="=1+1",
        phone="+84 203 3881 234",
        address="@SUM(A1)",
        description="-2+3",
    )
    path = write_places_csv(tmp_path / "places.csv", [evil])
    raw = path.read_bytes().decode("utf-8-sig")
    data_line = raw.split("\r\n")[1]
    for cell in ("'=1+1", "'+84 203 3881 234", "'@SUM(A1)", "'-2+3", "\"'=HYPERLINK("):
        assert cell in data_line
    assert ",107.9663,21.5268," in data_line  # numbers stay numbers
    back = read_places_csv(path)
    assert back.errors == [] and without_row(back.records) == [evil]
    prices_path = write_prices_csv(tmp_path / "prices.csv", [price(item="=cmd|' /C calc'!A0")])
    assert "'=cmd" in prices_path.read_bytes().decode("utf-8-sig")


def test_failed_export_leaves_no_partial_file(tmp_path):
    target = tmp_path / "places.gpkg"
    target.write_bytes(b"old")

    def half_then_fail(partial):
        partial.write_bytes(b"half a GeoPackage")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        places_write._replace(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["places.gpkg"]
    write_places_gpkg(target, [place()], [price()])
    assert read_places_gpkg(target)[0].records[0].ref == "ks-1"
    assert [p.name for p in tmp_path.iterdir()] == ["places.gpkg"]


def test_the_sample_files_read_clean_and_their_prices_have_places():
    data = Path(__file__).resolve().parents[2] / "data"
    places = read_places_csv(data / "places_sample.csv")
    prices = read_prices_csv(data / "prices_sample.csv")
    assert places.errors == places.warnings == [] and 5 <= len(places.records) <= 8
    unknown_price_refs(prices, {r.ref for r in places.records})
    assert prices.errors == [] and len(prices.records) >= 5
    assert all("(ví dụ)" in r.name for r in places.records)  # invented, and says so


def test_place_data_and_changed_fields():
    record = place()
    created = place_import.place_data(record, creating=True)
    assert created["source"] == "office" and created["source_id"] == "ks-1"
    assert (created["location"].x, created["location"].y, created["location"].srid) == (
        107.9663,
        21.5268,
        4326,
    )
    update = place_import.place_data(record, creating=False)
    assert "source" not in update and "source_id" not in update
    same = types.SimpleNamespace(**{k: v for k, v in update.items()})
    assert place_import.changed_fields(same, update) == []
    same.name, same.ocop_stars = "Tên cũ", None
    assert place_import.changed_fields(same, {**update, "ocop_stars": None}) == ["name"]
    assert place_import.as_public_id("ks-1") is None
    assert place_import.as_public_id("0b5e3f7e-58a4-4c1e-9d59-5f0c1f5d1a11") is not None
