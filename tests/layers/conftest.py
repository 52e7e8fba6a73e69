"""Fixtures of the layer tests: many reports, the OSM POIs imported, the demo WiFi loaded."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from etl.pois import read_poi_file
from layers.services import load_demo_wifi, poi_import
from tests.conftest import POIS
from tests.layers.factories import make_many_reports
from tests.layers.forecast_data import planted_city  # noqa: F401 (a fixture)


@pytest.fixture
def client() -> APIClient:
    return APIClient()


@pytest.fixture
def many_reports(mong_cai_wards) -> int:
    """600 reports over Móng Cái and the sea (factories.CITY), over 14 months, many on month
    boundaries; the number of reports."""
    return make_many_reports()


@pytest.fixture
def tourism_pois(mong_cai_wards):
    poi_import(records=read_poi_file(POIS), layer="tourism")


@pytest.fixture
def demo_wifi(mong_cai_wards):
    load_demo_wifi()
