"""What the map page carries for a fast first screen: a modulepreload for every module of
main.js's graph (one wave instead of one round trip per import level), and the report counts
around the initial view (so the first screen asks no count)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

from gis_core.models import Category, Report
from tests.web_map.map_page import page_config, page_html
from web_map.templatetags.module_preload import module_graph

pytestmark = pytest.mark.django_db
PRELOAD_RE = re.compile(r'<link rel="modulepreload" href="/static/([^"]+)">')
IMPORT_RE = re.compile(r"""^\s*import\s[^;]*?from\s*["'](\.{1,2}/[^"']+)["']""", re.M)


def imports_by_hand(entry: str) -> set[str]:
    """Every module reachable from `entry` by static imports, read line by line."""
    import posixpath

    found, queue = set(), [entry]
    while queue:
        name = queue.pop()
        with open(finders.find(name), encoding="utf-8") as handle:
            text = handle.read()
        for spec in IMPORT_RE.findall(text):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), spec))
            if target not in found:
                found.add(target)
                queue.append(target)
    return found - {entry}


def test_every_module_of_the_map_is_preloaded(client):
    html = page_html(client)
    head = html.split("</head>", 1)[0]
    preloaded = PRELOAD_RE.findall(head)
    assert "web_map/js/reports.js" in preloaded and "web_map/js/wards.js" in preloaded
    assert set(preloaded) == set(module_graph("web_map/js/main.js"))
    assert imports_by_hand("web_map/js/main.js") <= set(preloaded)
    assert len(preloaded) == len(set(preloaded))


def test_the_page_carries_the_counts_around_its_first_view(client, mong_cai_wards):
    category = Category.objects.get(code="moi_truong")
    lat, lon = settings.MAP_CENTER
    Report.objects.create(
        category=category, description="ở giữa", location=Point(lon, lat, srid=4326)
    )
    Report.objects.create(  # 25 km east: outside the small screen's view, inside the large
        category=category, description="xa", location=Point(lon + 0.24, lat, srid=4326)
    )
    counts = page_config(page_html(client))["initialReportCounts"]
    inner, outer = counts["inner"], counts["outer"]
    assert outer[0] < inner[0] < lon < inner[2] < outer[2]
    assert outer[1] < inner[1] < lat < inner[3] < outer[3]
    assert (counts["innerCount"], counts["outerCount"]) == (1, 2)
    api = APIClient()
    for box, n in ((inner, counts["innerCount"]), (outer, counts["outerCount"])):
        answer = api.get("/api/v1/reports/count/", {"bbox": ",".join(map(str, box))}).json()
        assert answer["count"] == n
