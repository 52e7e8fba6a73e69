"""SQL-injection strings in every filter of every public GET endpoint.

Each payload goes into one parameter at a time (the others left valid), on the real PostGIS
test database. Every answer must be a 400 naming the parameter, a 404, or a normal 200 (an
empty or unwidened list): never a 500, never slower than a sleep payload, and afterwards every
table is still there with the same row counts.
"""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
from django.apps import apps
from django.db import connection

from tests.tile_math import tile_xy

PAYLOADS = [
    "' OR '1'='1",
    "' OR 1=1--",
    '" OR ""="',
    "1) OR (1=1",
    "admin'--",
    "%' OR '%'='",
    "'; DROP TABLE gis_core_report; --",
    "1; DELETE FROM ward_boundaries_ward",
    "' UNION SELECT username, password FROM auth_user--",
    "' UNION SELECT NULL, NULL, NULL, NULL--",
    "'||(SELECT version())||'",
    "'; SELECT pg_sleep(3);--",
    "1 AND 1=(SELECT COUNT(*) FROM pg_sleep(3))",
    "';COPY (SELECT 1) TO PROGRAM 'touch /tmp/ht_sqli_pwned';--",
    "107.9,21.5,108,21.6) OR (1=1",
    "\x00' OR 1=1 --",
    "ST_AsText(ST_MakeEnvelope(0,0,1,1))",
]

LOOKUP = {"lon": "107.9653", "lat": "21.5338"}
# Endpoint → (baseline valid parameters, parameters to inject).
REPORT_FILTERS = ["bbox", "ward", "category", "status", "since", "until"]
ENDPOINTS: dict[str, tuple[dict, list[str]]] = {
    "/api/v1/reports/": ({}, [*REPORT_FILTERS, "page", "page_size"]),
    "/api/v1/reports/heat/": ({"zoom": "12"}, ["zoom", *REPORT_FILTERS]),
    "/api/v1/reports/grid/": ({"zoom": "12"}, ["zoom", *REPORT_FILTERS]),
    "/api/v1/reports/duplicates/": (
        {**LOOKUP, "category": "moi_truong"},
        ["lon", "lat", "category"],
    ),
    "/api/v1/reports/count/": ({"bbox": "107.85,21.45,108.15,21.62"}, REPORT_FILTERS),
    "/api/v1/wards/": ({}, ["version", "date", "simplify"]),
    "/api/v1/wards/lookup/": (LOOKUP, ["lon", "lat", "date", "version"]),
    "/api/v1/wards/stats/": ({}, ["since", "until", "version"]),
    "/api/v1/pois/": ({}, ["q", "layer", "category", "near", "limit"]),
    "/api/v1/wifi/nearest/": (LOOKUP, ["lon", "lat", "limit"]),
    "/api/v1/league/": ({}, ["by", "since", "until", "province"]),
    "/api/v1/league.csv": ({}, ["by", "since", "until", "province"]),
    "/api/v1/exports/reports.geojson": ({}, REPORT_FILTERS),
    "/api/v1/exports/reports.csv": ({}, REPORT_FILTERS),
    "/api/v1/hotspots/": ({}, ["category", "since", "until", "hex_size", "province"]),
    "/open311/v2/requests.json": (
        {},
        [
            "service_request_id",
            "service_code",
            "status",
            "start_date",
            "end_date",
            "jurisdiction_id",
        ],
    ),
    "/open311/v2/services.json": ({}, ["jurisdiction_id"]),
}
# Payloads in path segments (quoted by the client): ids, codes and layer keys.
PATHS = [
    "/api/v1/exports/layers/{}.geojson",
    "/open311/v2/requests/{}.json",
    "/open311/v2/services/{}.json",
    "/api/v1/reports/{}/",
]
TILE_FILTERS = {
    "reports": ["category", "status", "ward", "since", "until"],
    "pois": ["layer", "category"],
}
# Filters that match exactly: an injected string must find nothing (an "OR 1=1" that widened
# the query would return every report).
EXACT = {"/api/v1/reports/": ("ward", "category", "status")}
SLOW_SECONDS = 2.5  # the sleep payloads ask for 3 s


def tile_endpoints(world) -> tuple[dict[str, tuple[dict, list[str]]], list[str]]:
    """The tiles over the world's first report (its cell at zoom 12, the report itself at 15,
    and the POI tile at 14), so the report filters run on a tile with data; and a tile path
    that takes the payload as its x."""
    lon, lat = world["reports"][0].location.coords
    endpoints = {}
    for kind, z in (("reports", 12), ("reports", 15), ("pois", 14)):
        x, y = tile_xy(lon, lat, z)
        endpoints[f"/tiles/{kind}/{z}/{x}/{y}.pbf"] = ({}, TILE_FILTERS[kind])
    _, y = tile_xy(lon, lat, 12)
    return endpoints, [f"/tiles/reports/12/{{}}/{y}.pbf"]


def _table_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._default_manager.count()
    return counts


def _probe_paths(client, paths: list[str], tally: Counter, problems: list[str]) -> None:
    """Every payload in every path parameter: a refusal or a miss, never a 5xx or a sleep."""
    for template in paths:
        for payload in PAYLOADS:
            url = template.format(_quote(payload))
            started = time.monotonic()
            response = client.get(url)
            tally["requests"] += 1
            tally[response.status_code] += 1
            if response.status_code not in (200, 400, 404):
                problems.append(f"{template} with {payload!r}: {response.status_code}")
            if time.monotonic() - started > SLOW_SECONDS:
                problems.append(f"{template} with {payload!r}: slow")


@pytest.mark.django_db
def test_sql_injection_in_every_filter(client, world, capsys):
    tiles, tile_paths = tile_endpoints(world)
    # Before the counts are taken: a valid tile request may fold pending reports into cells.
    for url in tiles:
        assert "/pois/" in url or client.get(url).content, f"{url} holds no report"
    tables_before = set(connection.introspection.table_names())
    counts_before = _table_counts()
    total_reports = client.get("/api/v1/reports/").json()["count"]
    assert total_reports == len(world["reports"])
    endpoints = {**ENDPOINTS, **tiles}
    tally: Counter = Counter()
    problems = []

    def check(url: str, params: dict, label: str) -> None:
        started = time.monotonic()
        response = client.get(url, params)
        elapsed = time.monotonic() - started
        tally["requests"] += 1
        tally[response.status_code] += 1
        if response.status_code >= 500 or response.status_code not in (200, 400, 404):
            problems.append(f"{label}: {response.status_code}")
        if elapsed > SLOW_SECONDS:
            problems.append(f"{label}: took {elapsed:.1f} s (a sleep payload ran?)")
        if response.status_code == 400 and response["Content-Type"].startswith("application/json"):
            body = response.json()
            if (
                isinstance(body, dict)
                and "errors" in body
                and label.split("?")[1] not in str(body["errors"])
            ):
                problems.append(f"{label}: 400 does not name the parameter: {body}")
        if response.status_code == 200 and url in EXACT and params_key(params) in EXACT[url]:
            if response.json()["count"] != 0:
                problems.append(f"{label}: matched {response.json()['count']} reports")

    def params_key(params: dict) -> str:
        return next(k for k in params if k not in endpoints[url][0] or params[k] in PAYLOADS)

    for url, (baseline, names) in endpoints.items():
        for name in names:
            for payload in PAYLOADS:
                check(url, {**baseline, name: payload}, f"{url}?{name}")
    _probe_paths(client, [*PATHS, *tile_paths], tally, problems)

    assert set(connection.introspection.table_names()) == tables_before
    assert _table_counts() == counts_before
    assert not os.path.exists("/tmp/ht_sqli_pwned")  # noqa: S108 - what a payload tries to create
    with capsys.disabled():
        print(
            f"\nsql injection: {len(PAYLOADS)} payloads, {tally['requests']} requests "
            f"({tally[200]} 200, {tally[400]} 400, {tally[404]} 404), "
            f"{sum(v for k, v in tally.items() if isinstance(k, int) and k >= 500)} 5xx, "
            f"tables and row counts unchanged"
        )
    assert not problems, "\n".join(problems[:50])


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


EXTREMES = [
    "0001-01-01",
    "9999-12-31",
    "-1",
    "0",
    "1e309",
    "NaN",
    "-inf",
    "99999999999999999999999",
    "1,2,3,4",
    "-180,-90,180,90",
    "",
    " ",
    "%",
    "_",
    "\\",
    "ổ gà",
    "x" * 5000,
]


@pytest.mark.django_db
def test_extreme_values_in_every_filter(client, world, capsys):
    """Boundary values (calendar ends, infinities, huge integers, long strings) the fuzzer
    finds only by luck: each is a 400 or a normal answer, never a 500."""
    problems, requests = [], 0
    tiles, _ = tile_endpoints(world)
    for url, (baseline, names) in {**ENDPOINTS, **tiles}.items():
        for name in names:
            for value in EXTREMES:
                response = client.get(url, {**baseline, name: value})
                requests += 1
                if response.status_code not in (200, 400, 404):
                    problems.append(f"{url}?{name}={value[:30]!r}: {response.status_code}")
    for z, x, y in ((-1, 0, 0), (31, 0, 0), (99, 1, 1), (3, 8, 8), (0, 0, 99999999999999999999)):
        for kind in ("reports", "pois"):
            response = client.get(f"/tiles/{kind}/{z}/{x}/{y}.pbf")
            requests += 1
            if response.status_code not in (200, 204, 400, 404):
                problems.append(f"/tiles/{kind}/{z}/{x}/{y}.pbf: {response.status_code}")
    with capsys.disabled():
        print(f"\nextreme values: {requests} requests, {len(problems)} 5xx/unexpected")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    [
        "/can-bo/?ward=06709%00",
        "/quy-hoach/xuat-ban-do/?ward=%00",
        "/?q=%00",
        "/api/v1/wards/?x=%00",
    ],
)
def test_a_nul_in_any_address_is_a_400_not_a_500(path):
    from django.test import Client

    client = Client()
    response = client.get(path)
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_unknown_api_paths_are_json_404s():
    from django.test import Client

    client = Client()
    for path in ("/api/v1/no-such-thing/", "/tiles/no-such-layer/1/0/0.pbf"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Không tìm thấy.", "code": "not_found"}
    assert client.get("/khong-co-trang-nay/").status_code == 404  # a page for people
