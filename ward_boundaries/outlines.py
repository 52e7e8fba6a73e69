"""The outlines the planner draws: the whole country at a glance, one province in full.

With the national partition in force (3,321 units in 34 provinces) drawing every ward's full
polygon took the planner 4.4 s before anything else showed. So there are two answers:

- the country view (no province): the wards dissolved into their provinces and simplified to
  COUNTRY_TOLERANCE_M, a quarter of a pixel at zoom 6 (about 50 KB for 34 provinces, against
  6.4 MB for every ward at full detail);
- one province's wards at full detail (six decimals), with the properties the planner reads.

Where the versions in force hold a single province (the Móng Cái demo) there is nothing to
dissolve: the answer without a province is every ward at full detail, as the planner drew it
before.

Both are computed once per state of the boundaries (the country view right after a ward
import, warm_country_outlines): the cache key and the ETag carry
`outline_fingerprint` (which ward rows exist and their last write), so an import or an edit
in the admin gives a new key, and a browser revalidating an unchanged answer gets a 304
without the body being read. Nothing here is personal data.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from django.core.cache import cache

from ward_boundaries.selectors import (
    outline_fingerprint,
    province_count,
    province_outlines,
    versions_in_force,
    ward_outlines,
)

# A pixel at zoom 6 near 16° N is about 2.3 km; a quarter of it keeps coasts and borders
# looking right at zooms 5-7 and costs 50 KB for the whole country.
COUNTRY_TOLERANCE_M = 500.0
# The fingerprint changes with the boundaries, so an entry is never stale; a week only bounds
# what old states occupy.
CACHE_SECONDS = 7 * 24 * 3600
CACHE_PREFIX = "ward-outlines:v1"
logger = logging.getLogger(__name__)
COUNTRY_VIEW = "country"
WARDS_VIEW = "wards"


@dataclass(frozen=True)
class OutlineState:
    """What an answer depends on: the versions in force and their wards' fingerprint."""

    version_ids: tuple[int, ...]
    tag: str

    def etag(self, province: str | None) -> str:
        return f'"outlines-{self.tag}-{province or "all"}"'

    def cache_key(self, province: str | None) -> str:
        return f"{CACHE_PREFIX}:{self.tag}:{province or ''}"


def outline_state() -> OutlineState:
    """Today's versions in force and a short digest of them and their wards (two small reads)."""
    versions = versions_in_force()
    ids = tuple(version_id for version_id, _name in versions)
    names = ",".join(f"{version_id}={name}" for version_id, name in versions)
    head = hashlib.sha1(names.encode(), usedforsecurity=False).hexdigest()[:8]
    return OutlineState(version_ids=ids, tag=f"{head}-{outline_fingerprint(list(ids))}")


def outlines_body(state: OutlineState, province: str | None) -> bytes:
    """The GeoJSON answer for `province` (None: the country view) as UTF-8 bytes, from the
    cache when this state of the boundaries was answered before."""
    key = state.cache_key(province)
    body = cache.get(key)
    if body is None:
        body = json.dumps(_collection(state, province), ensure_ascii=False, separators=(",", ":"))
        body = body.encode()
        cache.set(key, body, CACHE_SECONDS)
    return body


def warm_country_outlines() -> None:
    """Computes and caches the answer without a province for the boundaries in force now (after
    an import: the first planner to open does not wait for the dissolve). A failure is logged,
    never raised: the endpoint computes it on demand anyway."""
    try:
        outlines_body(outline_state(), None)
    except Exception:  # the import has committed; a cold cache is only slower
        logger.exception("could not precompute the country outlines")


def _collection(state: OutlineState, province: str | None) -> dict:
    ids = list(state.version_ids)
    if province is None and province_count(ids) > 1:
        return _country(province_outlines(ids, tolerance_m=COUNTRY_TOLERANCE_M))
    return {
        "type": "FeatureCollection",
        "view": WARDS_VIEW,
        "province": province,
        "features": [_ward_feature(row) for row in ward_outlines(ids, province_code=province)],
    }


def _country(provinces: list[tuple]) -> dict:
    features = [
        {
            "type": "Feature",
            "id": code,
            "geometry": json.loads(geometry),
            "properties": {"province_code": code, "province_name": name, "ward_count": count},
        }
        for code, name, count, geometry in provinces
    ]
    return {
        "type": "FeatureCollection",
        "view": COUNTRY_VIEW,
        "tolerance_m": COUNTRY_TOLERANCE_M,
        "features": features,
    }


def _ward_feature(row: dict) -> dict:
    return {
        "type": "Feature",
        "id": row["code"],
        "geometry": json.loads(row["outline"]),
        "properties": {
            "code": row["code"],
            "name": row["name"],
            "unit_type": row["unit_type"],
            "province_code": row["province_code"],
            "province_name": row["province_name"],
            "version": row["version_name"],
        },
    }
