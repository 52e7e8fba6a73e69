"""The hotspot study area: every hex touching the wards in force on a day, cached.

Without the zeros of the whole area Gi* would compare busy hexes only with other busy
hexes, and both a real cluster in a quiet ward (judged against no zeros) and a quiet street
between two busy ones would come out wrong. Over the whole country at 300 m the area is 4.4
million hexes and takes seconds to find, so it is kept in the shared cache, keyed by the
versions in force (their ids, last imports and ward counts), as runs of consecutive keys
(50 kB for the country; read back in about 50 ms). Boundaries change once in years.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import shapely
from django.core.cache import cache
from django.db.models import Count, Max
from pyproj import Transformer

from layers.hex_grid import HexSet, empty_hex_set, hexes_touching
from ward_boundaries.models import BoundaryVersion, Ward

STUDY_AREA_CACHE_SECONDS = 3600


def study_area(
    *, day: dt.date, hex_size_m: float, srid: int, province: str | None = None
) -> HexSet:
    """The hexes (in `srid`, metres) touching the union of the wards valid on `day` (of
    `province` only, when given: a province's area is cached apart, keyed by its code too)."""
    versions = list(
        BoundaryVersion.objects.valid_on(day)
        .annotate(wards_n=Count("wards"), wards_top=Max("wards__id"))
        .order_by("pk")
        .values_list("pk", "updated_at", "wards_n", "wards_top")
    )
    # The country's key is the one it always had; a province's adds its code.
    keyed = (versions, hex_size_m, srid, province) if province else (versions, hex_size_m, srid)
    fingerprint = hashlib.sha256(repr(keyed).encode()).hexdigest()[:24]
    key = f"hotspots:area:v2:{fingerprint}"
    packed = cache.get(key)
    if packed is not None:
        return _unpack(packed)
    area = _compute(
        versions=[v[0] for v in versions], hex_size_m=hex_size_m, srid=srid, province=province
    )
    cache.set(key, _pack(area), STUDY_AREA_CACHE_SECONDS)
    return area


def _compute(*, versions: list[int], hex_size_m: float, srid: int, province: str | None) -> HexSet:
    wards = Ward.objects.filter(version__in=versions)
    if province:
        wards = wards.filter(province_code=province)
    geoms = [w.geom.wkb for w in wards.only("geom")]
    if not geoms:
        return empty_hex_set()
    to_metric = Transformer.from_crs(4326, srid, always_xy=True)
    area = shapely.union_all([shapely.from_wkb(bytes(g)) for g in geoms])
    area = shapely.transform(area, lambda xy: np.column_stack(to_metric.transform(*xy.T)))
    return hexes_touching(area, hex_size_m)


def _pack(area: HexSet) -> dict:
    """Runs of consecutive keys (a column of hexes inside the area is one run) and sizes."""
    breaks = np.flatnonzero(np.diff(area.keys) != 1) + 1
    starts = np.r_[0, breaks] if len(area.keys) else np.zeros(0, np.int64)
    lengths = np.diff(np.r_[starts, len(area.keys)])
    return {
        "starts": area.keys[starts],
        "lengths": lengths.astype(np.int64),
        "sizes": area.sizes,
    }


def _unpack(packed: dict) -> HexSet:
    lengths = packed["lengths"]
    n = int(lengths.sum())
    if n == 0:
        return empty_hex_set()
    offsets = np.repeat(packed["starts"] - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return HexSet((np.arange(n, dtype=np.int64) + offsets).astype(np.int64), packed["sizes"])
