"""Shared fixtures: the real Móng Cái boundaries (both versions) loaded into the test database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon

from ward_boundaries.models import BoundaryVersion, Ward

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "mong_cai"
TEST_DATA = Path(__file__).resolve().parent / "data"

WARDS_2024 = DATA / "mong_cai_wards_2024_clean.geojson"
WARDS_2025 = DATA / "mong_cai_wards_2025_derived.geojson"
POIS = DATA / "mong_cai_poi_osm.geojson"


def load_version_directly(path: Path, name: str, valid_from, valid_to) -> BoundaryVersion:
    """Loads a GeoJSON of wards with plain ORM calls, so ward tests do not depend on the ETL."""
    version = BoundaryVersion.objects.create(name=name, valid_from=valid_from, valid_to=valid_to)
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        props = feature["properties"]
        geom = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
        if geom.geom_type == "Polygon":
            geom = MultiPolygon(geom, srid=4326)
        Ward.objects.create(
            version=version,
            code=props["ward_code"],
            name=props["name"],
            full_name=props.get("full_name", ""),
            unit_type=props["unit_type"],
            district_name=props.get("district") or "",
            district_code=props.get("district_code") or "",
            province_name=props.get("province") or "",
            province_code=props.get("province_code") or "",
            geom=geom,
        )
    return version


@pytest.fixture
def mong_cai_wards(db) -> dict[str, BoundaryVersion]:
    """Both real versions: the 17 pre-2025 units and the 6 units in force since 2025-07-01."""
    v2024 = load_version_directly(WARDS_2024, "mong-cai-2024", None, dt.date(2025, 6, 30))
    v2025 = load_version_directly(WARDS_2025, "mong-cai-2025", dt.date(2025, 7, 1), None)
    return {"2024": v2024, "2025": v2025}


@pytest.fixture
def poi_features() -> list[dict]:
    return json.loads(POIS.read_text(encoding="utf-8"))["features"]


@pytest.fixture
def city_agency(db):
    """An agency with the city-wide default routing rule, so verified reports can be assigned."""
    from gis_core.models import Agency, RoutingRule

    agency = Agency.objects.create(
        code="ioc", name="Trung tâm Điều hành đô thị thông minh", contact_email="ioc@example.vn"
    )
    RoutingRule.objects.create(category=None, ward=None, agency=agency)
    return agency


@pytest.fixture
def seed_categories(db):
    """The migration's categories, again: a transactional test before this one may have
    flushed the tables (TransactionTestCase empties them after each test)."""
    from gis_core.categories import SEED_CATEGORIES
    from gis_core.models import Category

    for order, row in enumerate(SEED_CATEGORIES, start=1):
        Category.objects.get_or_create(code=row["code"], defaults={**row, "sort_order": order})


@pytest.fixture
def categories(transactional_db) -> dict:
    """The seed categories by code, for live-server tests: TransactionTestCase flushes the
    rows the seed migration made, so they are put back."""
    from gis_core.categories import SEED_CATEGORIES
    from gis_core.models import Category

    rows = {}
    for order, row in enumerate(SEED_CATEGORIES, start=1):
        rows[row["code"]], _ = Category.objects.get_or_create(
            code=row["code"], defaults={**row, "sort_order": order}
        )
    return rows


@pytest.fixture
def current_model(db, settings):
    """The seed-trained category model, current (tests/gis_core/classifier_models.py); app
    servers look for a newer one on every call."""
    from gis_core.category_suggestions import forget_classifier
    from tests.gis_core.classifier_models import seed_artifact, store_model

    settings.CATEGORY_MODEL_CHECK_SECONDS = 0
    yield store_model(seed_artifact())
    forget_classifier()


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A desktop Chromium page on the live server whose problems are collected (JS errors,
    dialogs, failed same-origin requests; tests/web_map/browser.py); other hosts are refused."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from playwright.sync_api import sync_playwright

    from tests.web_map.browser import (
        CHROMIUM,
        CHROMIUM_ARGS,
        TIMEOUT_MS,
        new_problems,
        outside_blocker,
        watch,
    )

    # The sync API keeps an asyncio loop alive in this thread; the ORM calls in the test body
    # are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Server threads serve the browser's keep-alive connections: with CONN_MAX_AGE they would
    # hold database sessions until the sockets close, racing the test database's teardown.
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)
    problems = new_problems()
    origin = live_server.url
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.route("**/*", outside_blocker(origin, problems))
        watch(page, origin, problems)
        try:
            yield page
        finally:
            browser.close()
            # While the loop runs, Django's connections are context-local: ORM calls made in
            # the test got their own session, which would outlive the test database.
            connections.close_all()


@pytest.fixture(autouse=True, scope="session")
def _redis_answers_in_redis_mode():
    """With HT_CACHE=redis (make test's second pass) the caches must really be on Redis: the
    fail-open backend would otherwise let every test pass on misses alone."""
    from django.conf import settings

    if settings.CACHE_MODE == "redis":
        import redis

        for alias, config in settings.CACHES.items():
            try:
                redis.Redis.from_url(config["LOCATION"], socket_connect_timeout=2).ping()
            except redis.RedisError as error:
                pytest.exit(f"HT_CACHE=redis but cache {alias!r} does not answer: {error}", 2)
    yield


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: a cached hotspot analysis or tile of another
    test's data must never answer for this one."""
    from django.core.cache import caches

    from ward_boundaries.distance_rule import forget_ward_shapes

    for alias in ("default", "tiles"):
        caches[alias].clear()
    forget_ward_shapes()  # the distance rule's in-process copy of the ward parts
    yield


def reseed_layer_registry() -> None:
    """Puts the seeded layer registry back after a TransactionTestCase flush (live-server
    tests): the seed migration's own function, so tests list the layers a deployment has."""
    import importlib

    from django.apps import apps

    importlib.import_module("layers.migrations.0006_seed_layers").seed(apps, None)
    importlib.import_module("layers.migrations.0017_names_in_three_languages").fill(apps, None)
