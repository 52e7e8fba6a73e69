"""The map page through the Django test client: config, escaping, and no CDN anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.views import serve
from django.test import RequestFactory
from django.urls import reverse

from tests.ward_boundaries.test_national_wards import national_wards, partition_file  # noqa: F401
from tests.web_map.map_page import page_config, page_html

pytestmark = pytest.mark.django_db

ASSET_RE = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"')
JS_DIR = Path(settings.BASE_DIR) / "web_map" / "static" / "web_map" / "js"
VENDOR_HINT = "vendor files missing: run `bash scripts/build_frontend.sh`"


def test_index_renders_map_and_form(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "web_map/index.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert 'name="viewport"' in html
    for element_id in ("map", "report-panel", "report-form", "lookup-result", "lang-en"):
        assert f'id="{element_id}"' in html
    # Photos from the camera or the gallery (any image: the phone re-encodes to JPEG first).
    picker = 'class="ht-file-input" type="file" accept="image/*"'
    assert f'id="f-photos" name="photos" {picker} multiple' in html
    assert f'id="f-photos-camera" {picker} capture="environment"' in html
    assert 'id="f-videos" name="videos"' in html
    assert f'maxlength="{settings.REPORT_DESCRIPTION_MAX_CHARS}"' in html


def test_config_comes_from_settings_and_reverse(client):
    config = page_config(page_html(client))
    assert config["urls"] == {
        "wards": reverse("api:ward-list"),
        "wardLookup": reverse("api:ward-lookup"),
        "reports": reverse("api:report-list"),
        "categories": reverse("api:category-list"),
        "duplicates": reverse("api:report-duplicates"),
        "categorySuggest": reverse("api:category-suggest"),
        "reportPage": "/phan-anh/{id}/",
        "reportByReference": "/phan-anh/{reference}/",
        "reportDetail": "/api/v1/reports/{id}/",
        "reportTiles": "/tiles/reports/{z}/{x}/{y}.pbf",
        "reportCount": "/api/v1/reports/count/",
        "serviceWorker": "/sw.js",
    }
    assert config["reportsMaxInView"] == settings.MAP_REPORTS_MAX_IN_VIEW
    assert config["center"] == list(settings.MAP_CENTER)
    assert config["zoom"] == settings.MAP_ZOOM
    assert config["tiles"] == {
        "url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    assert config["language"] == "vi"
    assert (config["videoMaxCount"], config["videoMaxBytes"], config["videoMaxSeconds"]) == (
        getattr(settings, "VIDEO_MAX_COUNT", 2),
        getattr(settings, "VIDEO_MAX_BYTES", 100 * 1024 * 1024),
        getattr(settings, "VIDEO_MAX_SECONDS", 60),
    )
    assert config["statuses"][0] == "received"
    moi_truong = next(c for c in config["categories"] if c["code"] == "moi_truong")
    assert moi_truong == {
        "code": "moi_truong",
        "name_vi": "Môi trường",
        "name_en": "Environment",
        "name_zh": "环境",
        "for_places": False,  # the tourism ones come first on a place's form
    }


def test_config_is_escaped_for_html(client, settings):
    settings.MAP_TILE_ATTRIBUTION = "</script><script>alert(1)</script>"
    html = page_html(client)
    assert "<script>alert(1)" not in html
    assert page_config(html)["tiles"]["attribution"] == settings.MAP_TILE_ATTRIBUTION


def test_no_cdn_assets(client):
    html = page_html(client)
    assets = ASSET_RE.findall(html)
    assert assets, "no scripts or stylesheets found"
    for url in assets:
        # Static files, or the app's own views (the web app manifest, the JS catalog).
        app_view = url.startswith("/") and not url.startswith("//")
        assert url.startswith(settings.STATIC_URL) or app_view, f"{url} is not served by the app"
        if app_view and not url.startswith(settings.STATIC_URL):
            assert client.get(url.replace("&amp;", "&")).status_code == 200, url
    for text in [html] + [p.read_text(encoding="utf-8") for p in JS_DIR.glob("*.js")]:
        for cdn in ("unpkg", "cdnjs", "jsdelivr", "googleapis", "cloudflare", "//cdn."):
            assert cdn not in text


def test_page_assets_and_vendor_files_are_served(client):
    """Every referenced asset, the JS modules main.js imports and Leaflet's images resolve."""
    html = page_html(client)
    paths = [
        url.removeprefix(settings.STATIC_URL)
        for url in ASSET_RE.findall(html)
        if url.startswith(settings.STATIC_URL)  # not the manifest or the JS catalog (views)
    ]
    for module in JS_DIR.glob("*.js"):
        for name in re.findall(r'from "\./([\w.]+\.js)"', module.read_text(encoding="utf-8")):
            paths.append(f"web_map/js/{name}")
    leaflet_css = finders.find("web_map/vendor/leaflet/leaflet.css")
    assert leaflet_css, VENDOR_HINT
    for image in re.findall(r"url\((images/[\w-]+\.png)\)", Path(leaflet_css).read_text()):
        paths.append(f"web_map/vendor/leaflet/{image}")
    assert any(p.endswith("leaflet.markercluster.js") for p in paths)

    factory = RequestFactory()
    for path in sorted(set(paths)):
        assert finders.find(path), f"{path}: {VENDOR_HINT}"
        response = serve(factory.get(settings.STATIC_URL + path), path, insecure=True)
        assert response.status_code == 200, path
        assert b"".join(response.streaming_content), path


def test_index_is_read_only(client):
    assert client.post(reverse("web_map:index")).status_code == 405


def test_ward_layer_names_the_initial_province_only_nationally(client, mong_cai_wards, request):
    """One province in force (a city): no hint. The whole country: the province at the map's
    centre, whose wards the page asks for beside the country view (wards.js)."""
    assert page_config(page_html(client))["wardLayer"] == {
        "outlines": "/api/v1/wards/outlines/",
        "national": False,
    }
    request.getfixturevalue("national_wards")
    layer = page_config(page_html(client))["wardLayer"]
    assert layer["national"] is True
    assert layer["initial"] == {
        "center": list(settings.MAP_CENTER),
        "zoom": settings.MAP_ZOOM,
        "provinces": ["22"],  # Móng Cái lies in Quảng Ninh
    }
