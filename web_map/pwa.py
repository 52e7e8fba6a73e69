"""The citizen map as an installable PWA: the web app manifest and the service worker.

Both are Django views, not static files: the manifest carries the city's name from settings,
and the service worker must be served from `/` (its scope is the folder it is served from) and
must list the exact URLs of the app shell, which in production are ManifestStaticFilesStorage's
hashed names. The list is read from the map page itself (its <script>/<link> tags), the ES
module graph under main.js and the url() references of its CSS, so a module or stylesheet
added by anyone is precached without touching this file.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from web_map.views import map_config

THEME_COLOUR = "#b2182b"
BACKGROUND_COLOUR = "#ffffff"
ICONS = {
    "any-192": "web_map/icons/icon-192.png",
    "any-512": "web_map/icons/icon-512.png",
    "maskable-512": "web_map/icons/icon-maskable-512.png",
    "apple-180": "web_map/icons/apple-touch-icon-180.png",
    "favicon-32": "web_map/icons/favicon-32.png",
}

# <script src>, <link href> (stylesheets, icons, manifest): what the page loads by itself.
_TAG_RE = re.compile(r"<(script|link)\b([^>]*)>", re.I)
_ATTR_RE = re.compile(r'\b(src|href|rel)="([^"]*)"', re.I)
# Static ES module imports, re-exports and dynamic imports with a relative specifier.
_IMPORT_RE = re.compile(
    r"""(?:\bimport\s*(?:[\w*{}\s,$]+\s*from\s*)?|\bexport\s*[\w*{}\s,$]*\s*from\s*|\bimport\s*\(\s*)"""
    r"""["'](\.{1,2}/[^"']+)["']"""
)
_CSS_URL_RE = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def manifest_data() -> dict:
    """The web app manifest (https://www.w3.org/TR/appmanifest/), Vietnamese first."""
    name = f"Hiện Trường · {settings.CITY_NAME}"
    index = reverse("web_map:index")
    return {
        "id": index,
        "name": name,
        "short_name": "Hiện Trường",
        "description": _("Gửi phản ánh hiện trường kèm ảnh và vị trí, kể cả khi mất mạng."),
        "lang": "vi",
        "dir": "ltr",
        "start_url": index,
        "scope": index,
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["government", "utilities"],
        "icons": [
            {"src": static(ICONS["any-192"]), "sizes": "192x192", "type": "image/png"},
            {"src": static(ICONS["any-512"]), "sizes": "512x512", "type": "image/png"},
            {
                "src": static(ICONS["maskable-512"]),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


@require_safe
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    body = json.dumps(manifest_data(), ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type="application/manifest+json; charset=utf-8")


def _static_name(url: str) -> str | None:
    """ "/static/web_map/js/main.3f2a.js" -> "web_map/js/main.js"; None outside STATIC_URL."""
    prefix = settings.STATIC_URL
    if not url.startswith(prefix):
        return None
    name = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
    hashed = getattr(staticfiles_storage, "hashed_files", None)
    if hashed:
        return _unhashed(hashed).get(name, name)
    return name


_INVERSE: dict[tuple[int, int], dict[str, str]] = {}


def _unhashed(hashed: dict[str, str]) -> dict[str, str]:
    """Hashed name -> original name, built once per loaded manifest."""
    key = (id(hashed), len(hashed))
    if key not in _INVERSE:
        _INVERSE.clear()
        _INVERSE[key] = {value: name for name, value in hashed.items()}
    return _INVERSE[key]


def _static_path(name: str) -> Path | None:
    """The file a static name stands for: the app's source, else the collected copy."""
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except NotImplementedError:  # remote storage: nothing to stat or parse
        pass
    return None


def _references(name: str, path: Path) -> list[str]:
    """Static names a JS module imports or a stylesheet points at (relative to it)."""
    stat = path.stat()
    return list(_references_of(name, str(path), stat.st_size, stat.st_mtime_ns))


@lru_cache(maxsize=256)
def _references_of(name: str, path: str, size: int, mtime_ns: int) -> tuple[str, ...]:
    """Read once per file version (size and mtime are part of the key): sw.js is fetched on
    every navigation, as browsers check for a new worker, and Leaflet alone is 150 KB."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    if name.endswith(".js") or name.endswith(".mjs"):
        specs = _IMPORT_RE.findall(text)
    elif name.endswith(".css"):
        specs = [s for s in _CSS_URL_RE.findall(text) if not s.startswith(("data:", "#", "/"))]
        specs = [s for s in specs if "://" not in s]
    else:
        return ()
    base = posixpath.dirname(name)
    return tuple(
        posixpath.normpath(posixpath.join(base, s.split("?")[0].split("#")[0])) for s in specs
    )


def _page_assets(html: str) -> tuple[list[str], list[str]]:
    """(static names, other same-origin URLs such as the JS catalog) the page loads itself."""
    names: list[str] = []
    others: list[str] = []
    for tag, attrs in _TAG_RE.findall(html):
        values = {k.lower(): v for k, v in _ATTR_RE.findall(attrs)}
        url = values.get("src") if tag.lower() == "script" else values.get("href")
        if not url or not url.startswith("/") or url.startswith("//"):
            continue
        if tag.lower() == "link" and "manifest" in values.get("rel", ""):
            continue  # fetched by the browser on its own terms, and not needed offline
        name = _static_name(url)
        if name is None:
            others.append(url.replace("&amp;", "&"))
        else:
            names.append(name)
    return names, others


def shell(request: HttpRequest) -> dict:
    """What the service worker precaches: the page, its files and everything they import."""
    html = render_to_string("web_map/index.html", {"config": map_config(request)}, request)
    names, others = _page_assets(html)
    # Icons, and the images Leaflet's default marker loads by itself (no page or CSS names them).
    names += [ICONS["any-192"], ICONS["apple-180"]]
    names += [f"web_map/vendor/leaflet/images/marker-{n}.png" for n in ("icon-2x", "shadow")]
    seen: dict[str, Path] = {}
    queue = list(names)
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        path = _static_path(name)
        if path is None:
            continue  # referenced but absent (a broken import shows in the page's own tests)
        seen[name] = path
        queue.extend(_references(name, path))
    static_urls = [static(name) for name in seen]
    index = reverse("web_map:index")
    urls = [index, *others, *static_urls]
    # The version changes with any URL (hashed names in production) and, for unhashed names
    # (development, tests), with a file's size or modification time.
    digest = hashlib.sha256("\n".join(urls).encode())
    for path in seen.values():
        stat = path.stat()
        digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    return {
        "version": digest.hexdigest()[:16],
        "index": index,
        "precache": urls,
        "static_prefix": settings.STATIC_URL,
        # Network first, cache as fallback: ward outlines and categories still show offline.
        "data": [
            reverse("api:ward-list"),
            reverse("api:ward-outlines"),
            reverse("api:category-list"),
        ],
    }


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script; `no-cache` so a deploy is picked up on the next visit."""
    context = {
        "shell_json": json.dumps(shell(request), ensure_ascii=False).replace("<", "\\u003c"),
        "language_cookie": settings.LANGUAGE_COOKIE_NAME,
    }
    body = render_to_string("web_map/sw.js", context)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
