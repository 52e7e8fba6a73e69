"""The PWA's manifest and service worker through the Django test client (no browser)."""

from __future__ import annotations

import json
import posixpath
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.management import call_command
from PIL import Image

from web_map.pwa import _references

pytestmark = pytest.mark.django_db

SHELL_RE = re.compile(r"^const SHELL = (\{.*\});$", re.M)


def sw_shell(client) -> dict:
    response = client.get("/sw.js")
    assert response.status_code == 200
    match = SHELL_RE.search(response.content.decode())
    assert match, "SHELL constant missing from sw.js"
    return json.loads(match.group(1))


def static_file(url: str) -> str:
    assert url.startswith(settings.STATIC_URL), url
    found = finders.find(url[len(settings.STATIC_URL) :])
    assert found, f"{url} is not a static file"
    return found


def test_manifest_is_json_with_the_fields_an_installable_app_needs(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    data = json.loads(response.content.decode("utf-8"))
    assert data["name"] == f"Hiện Trường · {settings.CITY_NAME}"
    assert data["short_name"] == "Hiện Trường"
    assert data["lang"] == "vi"
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["theme_color"] == "#b2182b"
    assert re.fullmatch(r"#[0-9a-f]{6}", data["background_color"])
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_manifest_icons_exist_with_their_declared_size(client):
    data = json.loads(client.get("/manifest.webmanifest").content.decode("utf-8"))
    for icon in data["icons"]:
        width, height = (int(v) for v in icon["sizes"].split("x"))
        with Image.open(static_file(icon["src"])) as image:
            assert image.format == "PNG" and icon["type"] == "image/png"
            assert image.size == (width, height), icon["src"]
        if icon.get("purpose") == "maskable":
            with Image.open(static_file(icon["src"])) as image:
                # A maskable icon is cropped to a circle: its corners must be opaque brand red.
                assert image.convert("RGBA").getpixel((4, 4)) == (178, 24, 43, 255)


def test_map_page_links_manifest_and_touch_icon(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    match = re.search(r'<link rel="apple-touch-icon" sizes="180x180" href="([^"]+)">', html)
    assert match
    with Image.open(static_file(match.group(1))) as image:
        assert image.size == (180, 180)
        assert image.mode == "RGB"  # iOS shows transparency as black


def test_service_worker_is_served_uncached_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert client.post("/sw.js").status_code == 405


def test_service_worker_precaches_the_app_shell_and_only_existing_urls(client):
    shell = sw_shell(client)
    urls = shell["precache"]
    assert len(urls) == len(set(urls))
    assert urls[0] == "/"
    assert re.fullmatch(r"[0-9a-f]{16}", shell["version"])
    for name in [
        "web_map/js/main.js",
        "web_map/js/outbox.js",
        "web_map/js/report_form.js",
        "web_map/js/l10n.js",
        "web_map/css/map.css",
        "web_map/vendor/leaflet/leaflet.js",
        "web_map/vendor/leaflet/leaflet.css",
        "web_map/vendor/markercluster/leaflet.markercluster.js",
        "web_map/vendor/vectorgrid/Leaflet.VectorGrid.bundled.min.js",
        "web_map/icons/icon-192.png",
        "web_map/vendor/leaflet/images/marker-icon.png",  # from leaflet.css url()
    ]:
        assert settings.STATIC_URL + name in urls, name
    # Every module the page imports, however deep, is in the list.
    html = client.get("/").content.decode()
    for url in re.findall(r'<script[^>]*\bsrc="([^"]+)"', html):
        assert url.replace("&amp;", "&") in urls, url
    for url in urls:
        if url.startswith(settings.STATIC_URL):
            static_file(url)
        else:
            assert client.get(url).status_code == 200, url
    assert not any(url.startswith("/api/") for url in urls)
    # Network first: the wards (and, nationally, the country view) and categories offline.
    assert shell["data"] == ["/api/v1/wards/", "/api/v1/wards/outlines/", "/api/v1/categories/"]


def test_the_cache_version_follows_the_urls(client, settings):
    before = sw_shell(client)["version"]
    assert sw_shell(client)["version"] == before  # stable while nothing changes
    # Another static URL prefix stands for a deploy with other (hashed) names.
    settings.STATIC_URL = "/static2/"
    assert sw_shell(client)["version"] != before


def test_module_graph_reads_every_import_form(tmp_path):
    source = tmp_path / "main.js"
    source.write_text(
        'import { a } from "./a.js";\n'
        "import {\n  b,\n  c,\n} from './b.js';\n"
        'import * as exifr from "../vendor/exifr/exifr.lite.esm.js";\n'
        'import "./side.js";\n'
        'export { d } from "./d.js";\n'
        'const lazy = () => import("./lazy.js");\n'
        'import leaflet from "leaflet";  // bare: not a file of ours\n'
        '// "./not-an-import.js"\n',
        encoding="utf-8",
    )
    assert sorted(_references("web_map/js/main.js", source)) == [
        "web_map/js/a.js",
        "web_map/js/b.js",
        "web_map/js/d.js",
        "web_map/js/lazy.js",
        "web_map/js/side.js",
        "web_map/vendor/exifr/exifr.lite.esm.js",
    ]
    css = tmp_path / "x.css"
    css.write_text(
        '.a{background:url(images/layers.png)} .b{background:url("data:image/png;base64,xx")}'
        " .c{background:url('../img/pin.svg#x')} .d{background:url(https://cdn.example/x.png)}",
        encoding="utf-8",
    )
    assert sorted(_references("vendor/leaflet/leaflet.css", css)) == [
        "vendor/img/pin.svg",
        "vendor/leaflet/images/layers.png",
    ]


class HashedNames(ManifestStaticFilesStorage):
    """Production's names (common.static_storage.StaticStorage) without its compression,
    which is slow and changes no name."""

    support_js_module_import_aggregation = True


def test_production_precache_lists_the_hashed_names_and_their_imports(client, settings, tmp_path):
    """With collectstatic's hashed names (as in production), sw.js lists exactly those, and
    every module a hashed module imports (rewritten to hashed names too) is in the list."""
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": f"{__name__}.HashedNames"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    urls = sw_shell(client)["precache"]
    hashed = re.compile(r"\.[0-9a-f]{12}\.\w+$")
    static_urls = [u for u in urls if u.startswith(settings.STATIC_URL)]
    assert static_urls and all(hashed.search(u) for u in static_urls), static_urls
    for url in static_urls:
        assert (tmp_path / url[len(settings.STATIC_URL) :]).is_file(), url
    main = next(u for u in static_urls if "/web_map/js/main." in u)
    source = (tmp_path / main[len(settings.STATIC_URL) :]).read_text(encoding="utf-8")
    imports = re.findall(r'from\s*"(\./[^"]+)"', source)
    assert imports
    for spec in imports:
        assert hashed.search(spec), spec
        assert posixpath.normpath(posixpath.join(posixpath.dirname(main), spec)) in urls, spec
