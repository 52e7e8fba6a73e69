"""Stored hotspot answers: anonymous API callers are served from these only, never computed.

An analysis takes a second or two of CPU; anyone able to start one with a new parameter set
could keep the server busy. So `precompute_hotspots` (cron) stores the default period (the
last DEFAULT_DAYS days) for every allowed hex size and category, country-wide and for each
province in force (precomputed_provinces), a staff member's analysis is stored too, and an
anonymous request finds its answer here or is told it is not ready.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from common.local_time import local_today
from layers.hotspots import (
    CACHE_SECONDS,
    HotspotResult,
    find_hotspots,
    hex_counts_by_province,
    previous_period,
)
from layers.models import HotspotSnapshot
from ward_boundaries.selectors import provinces_in_force

DEFAULT_DAYS = 90
# A default-period row is served for a day after its `until` (cron may lag past midnight);
# rows not refreshed for a week are deleted by the command.
DEFAULT_STALE_DAYS = 1
KEEP_DAYS = 7


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    until = today or local_today()
    return until - dt.timedelta(days=DEFAULT_DAYS - 1), until


def snapshot_key(params: dict[str, Any]) -> str:
    """The country's key is the one it always was; a province's ends in ":p<code>"."""
    key = (
        f"v1:{params['hex_size_m']:g}:{params['category'] or ''}:"
        f"{params['since'].isoformat()}:{params['until'].isoformat()}"
    )
    province = params.get("province")
    return f"{key}:p{province}" if province else key


def precomputed_provinces(today: dt.date | None = None) -> list[str]:
    """The provinces precompute_hotspots stores by default: every province in force, when
    there are more than one (with one, its answer is the country's less the reports in no
    ward; ?province= is then answered to staff, stored for the public once staff asked)."""
    codes = [code for code, _name in provinces_in_force(today)]
    return codes if len(codes) > 1 else []


def is_default_period(params: dict[str, Any]) -> bool:
    return (params["since"], params["until"]) == default_period()


def hotspots_geojson(result: HotspotResult) -> dict:
    features = [
        {
            "type": "Feature",
            "id": cluster.id,
            "geometry": cluster.geometry,
            "properties": {
                "id": cluster.id,
                "lon": cluster.lon,
                "lat": cluster.lat,
                "hex_count": cluster.hex_count,
                "report_count": cluster.report_count,
                "ward_code": cluster.ward_code,
                "ward_name": cluster.ward_name,
                "max_z": cluster.max_z,
                "previous_count": cluster.previous_count,
                "change_pct": cluster.change_pct,
                "emerging": cluster.emerging,
            },
        }
        for cluster in result.clusters
    ]
    return {
        "type": "FeatureCollection",
        "since": result.parameters["since"],
        "until": result.parameters["until"],
        "previous_since": result.previous_since.isoformat(),
        "previous_until": result.previous_until.isoformat(),
        "parameters": result.parameters,
        "features": features,
    }


def compute_answer(params: dict[str, Any], *, default: bool | None = None) -> dict:
    """Runs the analysis now and stores its answer (the one place an analysis is started for
    the API: staff requests and the precompute command). `default`: whether the period is
    the default one (decided from today's date when not given)."""
    start = time.perf_counter()
    answer = hotspots_geojson(find_hotspots(**params))
    now = timezone.now()
    answer["computed_at"] = now.isoformat()
    HotspotSnapshot.objects.update_or_create(
        key=snapshot_key(params),
        defaults={
            "hex_size_m": params["hex_size_m"],
            "category": params["category"] or "",
            "province": params.get("province") or "",
            "since": params["since"],
            "until": params["until"],
            "default_period": is_default_period(params) if default is None else default,
            "answer": answer,
            "computed_at": now,
            "compute_ms": round((time.perf_counter() - start) * 1000),
        },
    )
    return answer


def cached_answer(params: dict[str, Any]) -> dict:
    """For staff: the answer of the last CACHE_SECONDS, else a new analysis (planners reload;
    a new report shows up at the latest that much later)."""
    key = "hotspots:answer:v1:" + snapshot_key(params)
    answer = cache.get(key)
    if answer is None:
        answer = compute_answer(params)
        cache.set(key, answer, CACHE_SECONDS)
    return answer


def stored_answer(params: dict[str, Any]) -> dict | None:
    """For anyone: a stored answer for exactly these parameters, or for the default period
    the newest stored default period of this hex size and category (the day's row may not be
    computed yet just after midnight). No analysis is ever started here."""
    row = HotspotSnapshot.objects.filter(key=snapshot_key(params)).only("answer").first()
    if row is None and is_default_period(params):
        oldest = params["until"] - dt.timedelta(days=DEFAULT_STALE_DAYS)
        row = (
            HotspotSnapshot.objects.filter(
                default_period=True,
                hex_size_m=params["hex_size_m"],
                category=params["category"] or "",
                province=params.get("province") or "",
                until__gte=oldest,
                until__lte=params["until"],
            )
            .only("answer")
            .order_by("-until")
            .first()
        )
    return row.answer if row is not None else None


def _store(params: dict[str, Any], result: HotspotResult, *, started: float) -> int:
    """Stores an analysis made outside compute_answer (from counts summed for every province
    at once) as compute_answer would; returns its milliseconds."""
    answer = hotspots_geojson(result)
    now = timezone.now()
    answer["computed_at"] = now.isoformat()
    ms = round((time.perf_counter() - started) * 1000)
    HotspotSnapshot.objects.update_or_create(
        key=snapshot_key(params),
        defaults={
            "hex_size_m": params["hex_size_m"],
            "category": params["category"] or "",
            "province": params["province"] or "",
            "since": params["since"],
            "until": params["until"],
            "default_period": True,
            "answer": answer,
            "computed_at": now,
            "compute_ms": ms,
        },
    )
    return ms


def precompute_defaults(
    *,
    hex_sizes: tuple[float, ...],
    categories: list[str | None],
    today: dt.date | None = None,
    country: bool = True,
    provinces: list[str] | None = None,
) -> list[tuple[dict[str, Any], int]]:
    """Stores the default period's answer for every hex size and category, country-wide
    (`country`) and for each of `provinces` (default precomputed_provinces(): every province in
    force when there are more than one); returns each parameter set with its milliseconds.
    The provinces' counts come from one pass over the period per hex size and category, then
    each province is analysed on its own grid. Deletes rows not refreshed for KEEP_DAYS."""
    since, until = default_period(today)
    if provinces is None:
        provinces = precomputed_provinces(until)
    previous_since, _ = previous_period(since, until)
    done = []
    for size in hex_sizes:
        for category in categories:
            params: dict[str, Any] = {
                "category": category,
                "since": since,
                "until": until,
                "hex_size_m": size,
            }
            if country:
                start = time.perf_counter()
                compute_answer(params, default=True)
                done.append((params, round((time.perf_counter() - start) * 1000)))
            if not provinces:
                continue
            start = time.perf_counter()
            counts = hex_counts_by_province(
                category=category,
                previous_since=previous_since,
                since=since,
                until=until,
                hex_size_m=size,
            )
            # The one pass's time is shared out over the provinces it served.
            share = (time.perf_counter() - start) / len(provinces)
            for code in provinces:
                started = time.perf_counter() - share
                one: dict[str, Any] = {**params, "province": code}
                result = find_hotspots(**one, counts=counts.get(code, {}))
                done.append((one, _store(one, result, started=started)))
    HotspotSnapshot.objects.filter(
        computed_at__lt=timezone.now() - dt.timedelta(days=KEEP_DAYS)
    ).delete()
    return done
