"""A second province beside Móng Cái's (province 22): one square ward of Hà Nội (province 01)
in force since 2025-07-01, for the tests of ?province= on the league and the hotspots."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from ward_boundaries.models import BoundaryVersion, Ward

# About 2.1 × 2.2 km around Ba Đình: a few dozen hexes of 300 m.
HANOI_BOX = (105.80, 21.02, 105.82, 21.04)
IN_HANOI = Point(105.81, 21.03, srid=4326)
HANOI_WARD_KEY = "test-hanoi/00004"


def add_hanoi_ward() -> Ward:
    version = BoundaryVersion.objects.create(name="test-hanoi", valid_from=dt.date(2025, 7, 1))
    square = Polygon.from_bbox(HANOI_BOX)
    square.srid = 4326
    return Ward.objects.create(
        version=version,
        code="00004",
        name="Ba Đình",
        unit_type="phuong",
        province_code="01",
        province_name="Thành phố Hà Nội",
        geom=MultiPolygon(square, srid=4326),
    )
