"""PostGIS functions the ORM lacks, as named expressions (so no call site spells SQL names).

Each is a thin Func with its output type fixed, usable in annotate()/values() like Django's own
GIS functions (django.contrib.gis.db.models.functions).
"""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models import MultiPolygonField
from django.db.models import FloatField, Func, IntegerField, Value

from common.srid import WGS84


class StX(Func):
    """ST_X(point): the longitude of a WGS84 point."""

    function = "ST_X"
    output_field = FloatField()


class StY(Func):
    """ST_Y(point): the latitude of a WGS84 point."""

    function = "ST_Y"
    output_field = FloatField()


class Floor(Func):
    """floor(x) as an integer: the index of the grid cell a coordinate falls in."""

    function = "floor"
    output_field = IntegerField()


class SimplifiedMultiPolygon(Func):
    """ST_Multi(ST_SimplifyPreserveTopology(geom, tolerance_deg)): an outline for drawing that
    stays a MultiPolygon even when simplification leaves one part."""

    function = "ST_Multi"
    output_field = MultiPolygonField(srid=WGS84)

    def __init__(self, expression: Any, tolerance_deg: float, **extra: Any) -> None:
        simplified = Func(
            expression,
            Value(tolerance_deg, output_field=FloatField()),
            function="ST_SimplifyPreserveTopology",
        )
        super().__init__(simplified, **extra)
