"""Fixtures of the layer tests: the OSM POIs imported, the demo WiFi loaded."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from etl.pois import read_poi_file
from layers.services import load_demo_wifi, poi_import
from tests.conftest import POIS


@pytest.fixture
def client() -> APIClient:
    return APIClient()


@pytest.fixture
def tourism_pois(mong_cai_wards):
    poi_import(records=read_poi_file(POIS), layer="tourism")


@pytest.fixture
def demo_wifi(mong_cai_wards):
    load_demo_wifi()
