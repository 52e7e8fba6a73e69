"""Exports: every format reads back with ward codes, and no personal data is ever written."""

from __future__ import annotations

from io import StringIO

import geopandas as gpd
import pytest
import shapely
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from etl.exports import read_back, write
from gis_core.models import Category, Report
from layers.models import PointOfInterest
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
SECRETS = ("+84912345678", "Nguyễn Bí Mật", "bimat@example.vn")


@pytest.fixture
def reports(mong_cai_wards):
    category = Category.objects.get(code="moi_truong")
    made = []
    for code in ("06709", "06757"):
        x, y = POINTS[code]
        made.append(
            Report.objects.create(
                category=category,
                description=f"Rác ở {code}",
                location=Point(x, y, srid=4326),
                contact_phone=SECRETS[0],
                contact_name=SECRETS[1],
                contact_email=SECRETS[2],
            )
        )
    return made


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
def test_report_exports_read_back_without_personal_data(reports, fmt):
    response = APIClient().get(reverse("api:export-reports", args=[fmt]), {"ward": "06757"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="reports.{fmt}"'
    data = response.content
    for secret in SECRETS:
        assert secret.encode() not in data
    table = read_back(data, fmt)
    assert list(table["ward_code"]) == ["06757"]
    assert list(table["id"]) == [str(reports[1].public_id)]
    assert not {"contact_phone", "contact_name", "contact_email"} & set(table.columns)


@pytest.fixture
def tourism_layer(db) -> None:
    """The demo tourism points, imported by the command as a city would."""
    call_command(
        "import_pois",
        str(cases.DATA / "mong_cai_poi_osm.geojson"),
        "--layer",
        "tourism",
        stdout=StringIO(),
    )


def test_layer_export_and_command(reports, tmp_path, poi_features, tourism_layer):
    response = APIClient().get(reverse("api:export-layer", args=["tourism", "csv"]))
    table = read_back(response.content, "csv")
    assert len(table) == 8 and "06709" in set(table["ward_code"])
    assert (
        APIClient().get(reverse("api:export-layer", args=["report-heat", "csv"])).status_code == 404
    )

    out = tmp_path / "reports.gpkg"
    stdout = StringIO()
    call_command("export_data", "reports", "--format", "gpkg", "--out", str(out), stdout=stdout)
    assert "2 features written" in stdout.getvalue()
    assert len(read_back(out.read_bytes(), "gpkg")) == 2
    with pytest.raises(CommandError, match=r"Unknown export 'nope'\. Known: reports, wards"):
        call_command("export_data", "nope", "--out", str(out))


def test_bad_filters_are_400(reports):
    response = APIClient().get(reverse("api:export-reports", args=["csv"]), {"since": "hôm qua"})
    assert response.status_code == 400 and "since" in response.json()["errors"]


HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]


def test_report_csv_escapes_formulas_in_the_api_and_the_command(reports, tmp_path):
    x, y = POINTS["06709"]
    for text in HOSTILE:
        Report.objects.create(
            category=reports[0].category, description=text, location=Point(x, y, srid=4326)
        )
    response = APIClient().get(reverse("api:export-reports", args=["csv"]))
    out = tmp_path / "reports.csv"
    call_command("export_data", "reports", "--format", "csv", "--out", str(out), stdout=StringIO())
    for data in (response.content, out.read_bytes()):
        descriptions = set(read_back(data, "csv")["description"])
        assert {f"'{text}" for text in HOSTILE} <= descriptions
        assert not set(HOSTILE) & descriptions


def test_layer_csv_escapes_a_formula_name(reports, poi_features, tourism_layer):
    poi = PointOfInterest.objects.filter(layer="tourism").order_by("id").first()
    PointOfInterest.objects.filter(pk=poi.pk).update(name="=cmd|' /C calc'!A0")
    response = APIClient().get(reverse("api:export-layer", args=["tourism", "csv"]))
    names = set(read_back(response.content, "csv")["name"])
    assert "'=cmd|' /C calc'!A0" in names and "=cmd|' /C calc'!A0" not in names


def test_csv_keeps_negative_coordinates_as_numbers():
    frame = gpd.GeoDataFrame(
        {"name": ["-2+3"]}, geometry=[shapely.Point(-0.5, -1.25)], crs="EPSG:4326"
    )
    lines = write(frame, "csv").decode("utf-8-sig").splitlines()
    assert lines == ["name,lon,lat", "'-2+3,-0.5,-1.25"]
