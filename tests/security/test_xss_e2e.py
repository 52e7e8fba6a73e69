"""XSS payloads in every user-controlled text field never execute, in real headless Chromium.

Each field holds as many payload classes as its length allows (a field of 4,000 characters
holds them all). Then every page that shows those fields is opened, with the popups, tooltips
and panels that show them opened too: the public map, the public report page, the citizen
page, the staff queue and report pages, the tourist map, the league and the planner.

A payload "executes" if any of: a dialog opens (they call alert), `window.__xss` gets set
(they all set it), an element or attribute from a payload exists in the DOM (img[src=x],
on* handlers, javascript: links, srcdoc frames, a script mentioning __xss), or a template
expression was evaluated ("{{7*7}}" or "${7*7}" turned into 49).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.test import Client
from django.utils import timezone

from gis_core.models import (
    Agency,
    Category,
    Report,
    ReportRating,
    ReportTransition,
    StaffProfile,
)
from tests.web_map.map_page import HAI_NINH, MONG_CAI_1, MONG_CAI_3, click_latlng
from ward_boundaries.models import Ward

pytestmark = pytest.mark.e2e

PAYLOADS = {
    "img onerror": '<img src=x onerror="__xss=1;alert(1)">',
    "script tag": "<script>__xss=1;alert(2)</script>",
    "svg onload breakout": '"><svg onload="__xss=1;alert(3)">',
    "javascript: URL": "javascript:__xss=1;alert(4)",
    "attribute breakout": "' onfocus='__xss=1' autofocus x='",
    "iframe srcdoc": '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "template injection": "tpl{{7*7}}tpl${7*7}tpl",
}
CLASSES = list(PAYLOADS)
PLACED: Counter = Counter()  # payload class → fields holding it
_rotation = [0]


def fit(field: str, max_length: int | None) -> str:
    """As many payload classes as fit in max_length, starting where the last field stopped,
    so that short fields between them still carry every class."""
    chosen: list[str] = []
    start = _rotation[0]
    for i in range(len(CLASSES)):
        name = CLASSES[(start + i) % len(CLASSES)]
        candidate = " ".join([*(PAYLOADS[c] for c in chosen), PAYLOADS[name]])
        if max_length is None or len(candidate) <= max_length:
            chosen.append(name)
    _rotation[0] = (start + max(1, len(chosen))) % len(CLASSES)
    for name in chosen:
        PLACED[name] += 1
    return " ".join(PAYLOADS[c] for c in chosen)


def hostile(model, field: str) -> str:
    return fit(f"{model.__name__}.{field}", model._meta.get_field(field).max_length)


# Loaded or failed; lazy images far from view may never start, and no payload is lazy.
IMAGES_SETTLED = "() => [...document.images].every((img) => img.complete || img.loading === 'lazy')"
DETECT = """() => {
    const found = [];
    if (window.__xss) found.push("window.__xss set");
    const bad = document.querySelectorAll(
        'img[src="x"], [onerror], [onload], [onfocus], [autofocus][x], iframe[srcdoc], '
        + 'a[href^="javascript:" i], [src^="javascript:" i]'
    );
    for (const el of bad) found.push("element: " + el.outerHTML.slice(0, 120));
    // Executable scripts only: json_script data blocks (type application/json) hold the
    // payloads as escaped data, which is how they are meant to travel.
    for (const s of document.scripts) {
        const js = !s.type || /javascript|module/i.test(s.type);
        if (js && s.text.includes("__xss")) found.push("script: " + s.text.slice(0, 120));
    }
    if (document.body.innerText.includes("tpl49tpl")) found.push("template evaluated");
    return found;
}"""


@pytest.fixture
def hostile_world(live_server, mong_cai_wards, categories):
    from layers.models import Layer, PointOfInterest

    now = timezone.now()
    ward = Ward.objects.get(version__name="mong-cai-2025", code="06712")  # Móng Cái 1
    ward.name, ward.full_name = hostile(Ward, "name"), hostile(Ward, "full_name")
    ward.save()
    category = categories["moi_truong"]
    category.name_vi, category.name_en = hostile(Category, "name_vi"), hostile(Category, "name_en")
    category.save()
    agency = Agency.objects.create(code="xss", name=hostile(Agency, "name"))
    citizen = User.objects.create_user("+84912345678")
    lat, lon = MONG_CAI_1
    answered = Report.objects.create(
        category=category,
        description=hostile(Report, "description"),
        answer=hostile(Report, "answer"),
        contact_name=hostile(Report, "contact_name"),
        contact_phone="+84912345678",
        reporter=citizen,
        location=Point(lon, lat, srid=4326),
        status="resolved",
        agency=agency,
        reported_at=now - dt.timedelta(days=3),
        resolved_at=now - dt.timedelta(days=1),
    )
    operator = User.objects.create_user("op-xss", password="x")
    operator.groups.add(Group.objects.get_or_create(name="operator")[0])
    StaffProfile.objects.create(user=operator)
    for from_status, to_status in (("received", "verified"), ("verified", "resolved")):
        ReportTransition.objects.create(
            report=answered,
            from_status=from_status,
            to_status=to_status,
            actor=operator,
            note=hostile(ReportTransition, "note"),
            public_note=hostile(ReportTransition, "public_note"),
        )
    ReportRating.objects.create(
        report=answered,
        value="dissatisfied",
        comment=hostile(ReportRating, "comment"),
        rater=citizen,
    )
    rejected = Report.objects.create(
        category=categories["ha_tang"],
        description=hostile(Report, "description"),
        location=Point(HAI_NINH[1], HAI_NINH[0], srid=4326),
        status="rejected",
        reporter=citizen,
        agency=agency,
    )
    ReportTransition.objects.create(
        report=rejected,
        from_status="received",
        to_status="rejected",
        actor=operator,
        note=hostile(ReportTransition, "note"),
        public_note=hostile(ReportTransition, "public_note"),  # the rejection text
    )
    Layer.objects.get_or_create(
        key="tourism",
        defaults={
            "name_vi": hostile(Layer, "name_vi"),
            "name_en": hostile(Layer, "name_en"),
            "kind": "pois",
            "poi_layer": "tourism",
            "color": "#2b8cbe",
            "visible_by_default": True,
            "sort_order": 40,
        },
    )
    poi = PointOfInterest(
        layer="tourism",
        location=Point(MONG_CAI_3[1], MONG_CAI_3[0], srid=4326),
        category=hostile(PointOfInterest, "category"),
        website="javascript:__xss=1;alert(4)//https://x.vn",
    )
    for name in ("name", "name_en", "address", "opening_hours", "price_range"):
        setattr(poi, name, hostile(PointOfInterest, name))
    if hasattr(poi, "name_ascii"):
        poi.name_ascii = "xss"
    poi.save()
    PLACED["javascript: URL"] += 1  # the website
    return {"answered": answered, "rejected": rejected, "operator": operator, "citizen": citizen}


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_no_payload_executes_anywhere(browser_page, live_server, hostile_world, capsys):
    page = browser_page
    origin = live_server.url
    views: list[str] = []
    executed: list[str] = []

    def check(where: str) -> None:
        # Every image has loaded or failed, so an onerror/onload handler would have fired.
        page.wait_for_function(IMAGES_SETTLED)
        found = page.evaluate(DETECT)
        if page.problems["dialog"]:
            found.append(f"dialogs: {page.problems['dialog']}")
            page.problems["dialog"].clear()
        executed.extend(f"{where}: {f}" for f in found)
        views.append(where)

    def hover_all(selector: str, where: str, limit: int = 12) -> None:
        """Hovers each element and checks the page while its tooltip (opened on mouseover,
        closed on mouseout) is shown."""
        items = page.locator(selector)
        for i in range(min(items.count(), limit)):
            try:
                items.nth(i).hover(timeout=2000, force=True)
            except Exception:  # noqa: BLE001, S112 - an element under another: nothing to show
                continue
            check(f"{where} {i}")

    answered, rejected = hostile_world["answered"], hostile_world["rejected"]

    # The public map: ward labels, legend, the report popups, the ward card of a lookup.
    page.goto(origin + "/")
    page.wait_for_selector("body[data-wards-loaded=true]")
    page.wait_for_selector("body[data-reports-loaded=true]")
    check("map")
    for report in (answered, rejected):
        marker = page.locator(f'.ht-report-marker[data-report-id="{report.public_id}"]')
        if marker.count():
            marker.first.click()
            page.locator(".leaflet-popup .ht-report-popup").last.wait_for()
            check(f"map popup {report.status}")
            page.evaluate("window.hienTruong.map.closePopup()")
    click_latlng(page, *MONG_CAI_1)
    page.wait_for_function("() => !document.querySelector('#lookup-result.ht-location--pending')")
    check("map report form + ward card")
    hover_all("path.leaflet-interactive", "map ward tooltip")

    # The public report pages (history with public notes, answer, rejection text).
    for report in (answered, rejected):
        page.goto(f"{origin}/phan-anh/{report.public_id}/")
        check(f"public report page {report.status}")

    # The tourist map: layer list, marker tooltip, details panel (name, address, hours, web).
    page.goto(origin + "/du-lich/")
    page.wait_for_selector("body[data-layers-loaded=true]")
    check("tourist map")
    markers = page.locator("#tr-map path.leaflet-interactive")
    markers.first.wait_for()
    markers.first.hover(force=True)
    check("tourist tooltip")
    markers.first.click(force=True)
    page.locator("#tr-details").wait_for(state="visible")
    check("tourist details")
    assert page.locator("#tr-details a[href^='javascript']").count() == 0

    # The league, by agency, ward and category.
    for by in ("agency", "ward", "category"):
        page.goto(f"{origin}/xep-hang/?by={by}")
        page.wait_for_load_state("networkidle")
        check(f"league by {by}")

    # The citizen's page (their reports, answers, the rating form).
    sign_in(page, live_server, hostile_world["citizen"])
    page.goto(origin + "/cua-toi/")
    check("citizen page")

    # Staff: the queue with its map popups, each report with full history and notes.
    sign_in(page, live_server, hostile_world["operator"])
    page.goto(origin + "/can-bo/")
    page.wait_for_selector("body[data-staff-ready=true]")
    check("staff queue")
    points = page.locator("#staff-map path.leaflet-interactive")
    for i in range(points.count()):
        points.nth(i).click(force=True)
        page.locator("#staff-map .leaflet-popup-content a").first.wait_for()
        check(f"staff queue popup {i}")
    for report in (answered, rejected):
        page.goto(f"{origin}/can-bo/phan-anh/{report.public_id}/")
        page.wait_for_selector("body[data-staff-ready=true]")
        check(f"staff report page {report.status}")

    # The planner: layer control, ward choropleth and hotspot tooltips, POI tooltips.
    page.goto(origin + "/quy-hoach/")
    page.wait_for_selector("#pl-map[data-ready=true]")
    page.wait_for_selector("body[data-layers-loaded=true]")
    check("planner")
    for toggle in page.locator(".leaflet-control-layers-overlays input").all():
        if not toggle.is_checked():
            toggle.check(force=True)
    # Each layer switched on starts its load; wait until every one has drawn (or failed).
    page.evaluate(
        "() => Promise.all(Object.values(window.planner.layers).map((layer) => layer.pending))"
    )
    hover_all("#pl-map path.leaflet-interactive", "planner tooltip", limit=20)

    tried = sum(PLACED.values())
    with capsys.disabled():
        print(f"\nxss: {len(views)} page/popup views checked")
        for name in CLASSES:
            print(
                f"xss: {name}: placed in {PLACED[name]} fields, executed 0"
                if not executed
                else f"xss: {name}: placed in {PLACED[name]} fields"
            )
        print(f"xss: {tried} payload placements, {len(executed)} executions")
    assert not executed, "\n".join(executed)
