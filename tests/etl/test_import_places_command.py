"""import_places / export_places against the database, through the layers place services.

These need the models and services of branch "places" (PointOfInterest.kind/hours/public_id,
PlacePrice, layers place_create/place_update/price_set): they pass once it is merged.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from etl.place_kinds import PLACE_KINDS
from etl.places import read_places_csv, read_places_gpkg, read_prices_csv
from layers.models import PlacePrice, PointOfInterest

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
SAMPLE_PLACES = REPO / "data" / "places_sample.csv"
SAMPLE_PRICES = REPO / "data" / "prices_sample.csv"


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write_rows(path: Path, table: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    return path


@pytest.fixture
def office_user(django_user_model):
    return django_user_model.objects.create_user(username="dulich", password="x-unused-x")


def test_the_apps_kinds_are_the_files_kinds():
    codes = [code for code, _label in PointOfInterest._meta.get_field("kind").choices]
    assert codes == list(PLACE_KINDS)


def test_a_good_file_creates_places_and_prices(office_user):
    out = run("import_places", SAMPLE_PLACES, "--prices", SAMPLE_PRICES, "--user", "dulich")
    assert "6 tạo mới, 0 cập nhật, 0 không đổi" in out and "6 thêm" in out
    places = PointOfInterest.objects.filter(source="office")
    assert sorted(places.values_list("source_id", flat=True)) == sorted(
        r["ref"] for r in rows(SAMPLE_PLACES)
    )
    hotel = places.get(source_id="vd-ks-01")
    assert hotel.kind == "accommodation" and hotel.accommodation_type == "hotel"
    assert hotel.star_rating == 3 and hotel.hours == {"always": True}
    assert hotel.name_zh == "卡隆示例酒店（示例）"
    assert (round(hotel.location.x, 4), round(hotel.location.y, 4)) == (107.9652, 21.5301)
    market = places.get(source_id="vd-cho-05")
    assert market.hours["fri"] == [["18:00", "01:00"]] and market.hours["mon"] == []
    assert PlacePrice.objects.filter(place__source="office").count() == 6
    double = PlacePrice.objects.get(place=hotel, item="Phòng đôi")
    assert double.price_vnd == 650000 and double.unit_zh == "晚" and double.valid_to is None
    assert double.created_by == office_user


def test_one_bad_row_writes_nothing_and_names_line_7(tmp_path, office_user):
    table = rows(SAMPLE_PLACES)
    table[5]["kind"] = "casino"  # the sixth data row: line 7 (the header is line 1)
    bad = write_rows(tmp_path / "places.csv", table)
    with pytest.raises(CommandError) as caught:
        run("import_places", bad, "--prices", SAMPLE_PRICES, "--user", "dulich")
    message = str(caught.value)
    assert "dòng 7: kind: “casino” không phải là loại địa điểm" in message
    assert "không có gì được ghi" in message
    assert PointOfInterest.objects.count() == 0 and PlacePrice.objects.count() == 0


def test_a_bad_price_refuses_the_places_too(tmp_path):
    table = rows(SAMPLE_PRICES)
    table[2]["price_vnd"] = "900.000"  # line 4
    table[4]["ref"] = "khong-co"  # line 6
    bad = write_rows(tmp_path / "prices.csv", table)
    with pytest.raises(CommandError) as caught:
        run("import_places", SAMPLE_PLACES, "--prices", bad)
    message = str(caught.value)
    assert "dòng 4: price_vnd:" in message
    assert "dòng 6: ref: không có địa điểm nào mang ref “khong-co”" in message
    assert PointOfInterest.objects.count() == 0 and PlacePrice.objects.count() == 0


def test_reimport_updates_by_ref_without_duplicates(tmp_path):
    run("import_places", SAMPLE_PLACES, "--prices", SAMPLE_PRICES)
    ids = dict(PointOfInterest.objects.values_list("source_id", "pk"))
    again = run("import_places", SAMPLE_PLACES, "--prices", SAMPLE_PRICES)
    assert "0 tạo mới, 0 cập nhật, 6 không đổi" in again and "0 thêm, 6 không đổi" in again
    table = rows(SAMPLE_PLACES)
    table[2]["name"] = "Quán Phở Mẫu Mới (ví dụ)"
    changed = run("import_places", write_rows(tmp_path / "p.csv", table))
    assert "0 tạo mới, 1 cập nhật, 5 không đổi" in changed
    assert dict(PointOfInterest.objects.values_list("source_id", "pk")) == ids
    assert PointOfInterest.objects.get(pk=ids["vd-an-03"]).name == "Quán Phở Mẫu Mới (ví dụ)"
    assert PlacePrice.objects.count() == 6


def test_prices_may_name_a_place_already_in_the_database(tmp_path):
    run("import_places", SAMPLE_PLACES)
    one = write_rows(tmp_path / "one.csv", rows(SAMPLE_PLACES)[:1])
    out = run("import_places", one, "--prices", SAMPLE_PRICES)  # prices of all six places
    assert "6 thêm" in out


def test_dry_run_writes_nothing():
    out = run("import_places", SAMPLE_PLACES, "--prices", SAMPLE_PRICES, "--dry-run")
    assert "6 tạo mới" in out and "Chạy thử" in out
    assert PointOfInterest.objects.count() == 0


@pytest.mark.parametrize("suffix", [".csv", ".gpkg"])
def test_export_then_import_round_trip(tmp_path, suffix):
    run("import_places", SAMPLE_PLACES, "--prices", SAMPLE_PRICES)
    out = tmp_path / f"places{suffix}"
    extra = ["--prices", tmp_path / "prices.csv"] if suffix == ".csv" else []
    assert "6 địa điểm và 6 giá" in run("export_places", out, *extra)
    if suffix == ".csv":
        places, prices = read_places_csv(out), read_prices_csv(tmp_path / "prices.csv")
    else:
        places, prices = read_places_gpkg(out)
    assert places.errors == [] and prices.errors == []
    by_id = {str(p.public_id): p for p in PointOfInterest.objects.all()}
    assert {r.ref for r in places.records} == set(by_id)  # refs are the public ids
    sample = {r.name: r for r in read_places_csv(SAMPLE_PLACES).records}
    for record in places.records:
        original = sample[record.name]
        assert record.hours == original.hours and record.kind == original.kind
        assert record.lon == pytest.approx(original.lon) and record.lat == pytest.approx(
            original.lat
        )
    again = run("import_places", out, *extra)
    assert "0 tạo mới, 0 cập nhật, 6 không đổi" in again and "0 thêm, 6 không đổi" in again
    assert PointOfInterest.objects.count() == 6 and PlacePrice.objects.count() == 6
