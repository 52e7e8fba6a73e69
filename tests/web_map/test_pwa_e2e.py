"""The citizen map as a PWA in a real Chromium phone: installed once online, then offline.

The service worker must have taken control (after one online visit and a reload) before the
context goes offline; from then on the page, the form and the outbox come from the caches and
IndexedDB, and a report queued offline reaches PostGIS exactly once when the link returns.
"""

from __future__ import annotations

import base64
import io
import time
import uuid

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from PIL import Image
from playwright.sync_api import sync_playwright

from gis_core.models import Report
from tests.web_map.browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from tests.web_map.map_page import MONG_CAI_1, png_bytes
from tests.web_map.phone_browser import PHONE, axe_serious, tap_latlng

pytestmark = pytest.mark.e2e

REPORTS_URL = "/api/v1/reports/"
PHOTO_B64 = base64.b64encode(png_bytes()).decode()

QUEUE_JS = """async ({url, key, category, description, lat, lon, photo}) => {
    const { queueReport } = await import("/static/web_map/js/outbox.js");
    const bytes = Uint8Array.from(atob(photo), (c) => c.charCodeAt(0));
    const files = photo ? [{field: "photos", blob: new Blob([bytes], {type: "image/png"}),
                            name: "hien-truong.png"}] : [];
    await queueReport({
        url,
        fields: {category, description, lat, lon, idempotency_key: key, source: "web"},
        files,
    });
}"""


def install(page, origin: str) -> None:
    """One online visit: the worker installs (precache) and controls the page after a reload."""
    page.goto(origin + "/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    # The ward outlines went through the worker: cached for the offline visit.
    page.wait_for_selector("body[data-wards-loaded=true]")


def queue(page, *, key: str, category: str = "moi_truong", photo: bool = True, **extra) -> None:
    lat, lon = MONG_CAI_1
    page.evaluate(
        QUEUE_JS,
        {
            "url": REPORTS_URL,
            "key": key,
            "category": category,
            "description": extra.get("description", "Rác thải ven đường, gửi khi mất mạng"),
            "lat": lat,
            "lon": lon,
            "photo": PHOTO_B64 if photo else "",
        },
    )


def outbox_count(page, n: int) -> None:
    page.wait_for_selector(f"body[data-outbox-count='{n}']")


def open_outbox(page) -> None:
    toggle = page.locator("#outbox-toggle")
    toggle.wait_for(state="visible")
    if page.locator("#outbox").is_hidden():
        toggle.tap()
    page.locator("#outbox").wait_for(state="visible")


def test_sw_precaches_only_urls_that_answer(phone_session, live_server, categories):
    page = phone_session.page
    install(page, live_server.url)
    urls = page.evaluate(
        """async () => {
            const names = (await caches.keys()).filter((n) => n.startsWith("ht-shell-"));
            const cache = await caches.open(names[0]);
            const path = (r) => new URL(r.url).pathname + new URL(r.url).search;
            return {names, urls: (await cache.keys()).map(path)};
        }"""
    )
    assert len(urls["names"]) == 1
    assert "/" in urls["urls"] and "/static/web_map/js/outbox.js" in urls["urls"]
    for url in urls["urls"]:
        response = page.request.get(live_server.url + url)
        assert response.status == 200, url
    # Chromium's own verdict: nothing in the app stops it from offering to install it (a
    # Playwright context is incognito-like, which Chromium names as the only reason).
    cdp = phone_session.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"].endswith("/manifest.webmanifest")
    icons = page.request.get(live_server.url + "/manifest.webmanifest").json()["icons"]
    for icon in icons:
        body = page.request.get(live_server.url + icon["src"]).body()
        size = tuple(int(v) for v in icon["sizes"].split("x"))
        assert Image.open(io.BytesIO(body)).size == size


def test_offline_report_waits_survives_closing_and_arrives_once(
    phone_session, live_server, mong_cai_wards, categories
):
    context, page = phone_session.context, phone_session.page
    origin = live_server.url
    install(page, origin)

    context.set_offline(True)
    assert page.reload().from_service_worker  # the page itself came from the worker's cache
    page.wait_for_selector("#map.leaflet-container")
    page.wait_for_selector("body[data-wards-loaded=true]")  # outlines from the cache
    assert page.evaluate("() => navigator.onLine") is False
    # The report form opens with no network, and a report with a photo is made as usual.
    tap_latlng(page, *MONG_CAI_1)  # with the form closed, a tap opens it there
    page.locator("#report-form").wait_for(state="visible")
    page.wait_for_function("() => Boolean(window.hienTruong.form.pin)")
    page.set_input_files(
        "#f-photos", files=[{"name": "cong.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.locator("#photo-list li").first.wait_for()
    page.select_option("#f-category", "moi_truong")
    page.fill("#f-description", "Rác thải ven đường, gửi khi mất mạng")
    page.tap("#report-form [type=submit]")
    page.locator("#report-done").wait_for(state="visible")
    assert "sẽ tự gửi khi có mạng" in page.locator("#report-done").inner_text()
    outbox_count(page, 1)
    key = page.evaluate(
        """async () => (await (await import("/static/web_map/js/outbox.js")).pendingReports())[0]
            .fields.idempotency_key"""
    )
    open_outbox(page)
    item = page.locator("#outbox li[data-state=waiting]")
    assert item.count() == 1
    text = item.inner_text()
    assert "Chờ gửi" in text and "Môi trường" in text and "1 ảnh" in text
    assert Report.objects.count() == 0

    # The tab is closed; a new one (still offline) lists the report again.
    page.close()
    page = context.new_page()
    page.goto(origin + "/")
    outbox_count(page, 1)
    open_outbox(page)
    assert page.locator("#outbox li[data-state=waiting]").count() == 1
    # A second tab is open too when the connection returns: the report still arrives once.
    other = context.new_page()
    other.goto(origin + "/")
    outbox_count(other, 1)

    posts = []
    context.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and REPORTS_URL in r.url else None,
    )
    context.set_offline(False)
    outbox_count(page, 0)
    outbox_count(other, 0)
    assert page.locator("#outbox-toggle").is_hidden()
    stored = Report.objects.get()
    assert stored.idempotency_key == key
    assert stored.photos.count() == 1
    assert len(posts) == 1
    # The tab that sent it says so, with the report's reference.
    said = [p.locator("#outbox .ht-outbox__status").text_content() for p in (page, other)]
    assert f"Đã gửi phản ánh {stored.reference}." in said, said
    assert phone_session.problems["pageerror"] == []


def test_cancelled_report_never_arrives(phone_session, live_server, mong_cai_wards, categories):
    context, page = phone_session.context, phone_session.page
    install(page, live_server.url)
    context.set_offline(True)
    # A "report a problem here" link (the tourist view) opens the cached page, form open there.
    lat, lon = MONG_CAI_1
    assert page.goto(f"{live_server.url}/?lat={lat}&lon={lon}").from_service_worker
    page.locator("#report-form").wait_for(state="visible")
    cancelled, kept = str(uuid.uuid4()), str(uuid.uuid4())
    queue(page, key=cancelled, description="Phản ánh sẽ bị hủy")
    outbox_count(page, 1)
    open_outbox(page)
    page.locator("#outbox li[data-state=waiting] .ht-outbox__cancel").tap()
    outbox_count(page, 0)
    assert page.locator("#outbox-toggle").is_hidden()
    # A later report is sent when the link returns; the cancelled one never is.
    queue(page, key=kept, photo=False)
    outbox_count(page, 1)
    context.set_offline(False)
    outbox_count(page, 0)
    assert list(Report.objects.values_list("idempotency_key", flat=True)) == [kept]


def test_refused_report_is_kept_as_failed_with_the_reason_and_can_be_removed(
    phone_session, live_server, mong_cai_wards, categories
):
    context, page = phone_session.context, phone_session.page
    install(page, live_server.url)
    context.set_offline(True)
    page.reload()
    queue(page, key=str(uuid.uuid4()), category="khong_co_linh_vuc_nay", photo=False)
    context.set_offline(False)
    failed = page.locator("#outbox li[data-state=failed]")
    failed.wait_for(state="attached")
    outbox_count(page, 1)
    open_outbox(page)
    reason = page.locator("#outbox li[data-state=failed] .ht-outbox__error").inner_text().strip()
    assert reason and "category" not in reason  # the field's own message, not its API name
    assert Report.objects.count() == 0
    page.locator("#outbox li[data-state=failed] .ht-outbox__cancel").tap()
    outbox_count(page, 0)


def test_outbox_list_is_accessible_on_a_phone(
    phone_session, live_server, mong_cai_wards, categories
):
    context, page = phone_session.context, phone_session.page
    install(page, live_server.url)
    context.set_offline(True)
    page.reload()
    queue(page, key=str(uuid.uuid4()))
    queue(page, key=str(uuid.uuid4()), category="ha_tang", photo=False)
    outbox_count(page, 2)
    open_outbox(page)
    assert page.evaluate("() => document.activeElement.id") == "outbox-title"
    for selector in ["#outbox-toggle", "#outbox .ht-outbox__close", "#outbox .ht-outbox__cancel"]:
        for box in [el.bounding_box() for el in page.locator(selector).all()]:
            assert box["width"] >= 44 and box["height"] >= 44, selector
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    assert axe_serious(page) == []
    page.keyboard.press("Escape")
    assert page.locator("#outbox").is_hidden()
    assert page.evaluate("() => document.activeElement.id") == "outbox-toggle"


def test_background_sync_asks_the_open_page_to_send(
    phone_session, live_server, mong_cai_wards, categories
):
    """The worker's `sync` event (fired here through the DevTools protocol, as Chromium fires it
    when the link returns) makes the page send what waits."""
    context, page = phone_session.context, phone_session.page
    install(page, live_server.url)
    page.evaluate(
        """() => {
            window.__messages = [];
            const keep = (e) => window.__messages.push(e.data);
            navigator.serviceWorker.addEventListener("message", keep);
        }"""
    )
    # An "online" page whose report POSTs get no answer: the report waits. Registering the
    # sync while online fires it at once; the page tries, fails, and the report still waits.
    # One handler for the whole test, switched by a flag: unrouting while the outbox's retry
    # timer has a POST in flight races Playwright (the request handled twice).
    blocked = {"on": True}

    def reports(route):
        if blocked["on"]:
            route.abort("internetdisconnected")
        else:
            route.fallback()  # to the context's handler (same-site requests go through)

    page.route("**" + REPORTS_URL, reports)
    key = str(uuid.uuid4())
    queue(page, key=key, photo=False)
    outbox_count(page, 1)
    page.wait_for_function("() => window.__messages.some((m) => m.type === 'ht-outbox-flush')")
    page.evaluate("() => { window.__messages = []; }")
    assert Report.objects.count() == 0
    blocked["on"] = False
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_function("() => true")  # lets the protocol events in
    registration = next(r for r in registrations if not r["isDeleted"])
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "tag": "ht-outbox",
            "lastChance": False,
        },
    )
    page.wait_for_function("() => window.__messages.some((m) => m.type === 'ht-outbox-flush')")
    outbox_count(page, 0)
    assert list(Report.objects.values_list("idempotency_key", flat=True)) == [key]


def test_waiting_report_survives_a_browser_restart(
    live_server, mong_cai_wards, categories, monkeypatch, tmp_path
):
    """The phone restarts: the browser quits with a report waiting and starts again on the same
    profile, still offline (the page from the worker's cache, the report from IndexedDB); when
    the link returns the report arrives once."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)
    origin = live_server.url
    profile = tmp_path / "profile"

    def only_this_site(route):
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    with sync_playwright() as pw:

        def start(*, offline: bool):
            context = pw.chromium.launch_persistent_context(
                str(profile),
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                locale="vi-VN",
                **PHONE,
            )
            context.set_default_timeout(TIMEOUT_MS)
            context.route("**/*", only_this_site)
            context.set_offline(offline)
            return context, context.pages[0] if context.pages else context.new_page()

        context, page = start(offline=False)
        try:
            install(page, origin)
            context.set_offline(True)
            page.reload()
            key = str(uuid.uuid4())
            queue(page, key=key)
            outbox_count(page, 1)
        finally:
            context.close()

        context, page = start(offline=True)
        try:
            assert page.goto(origin + "/").from_service_worker
            outbox_count(page, 1)
            assert Report.objects.count() == 0
            context.set_offline(False)
            outbox_count(page, 0)
        finally:
            context.close()
            connections.close_all()
    stored = Report.objects.get()
    assert stored.idempotency_key == key and stored.photos.count() == 1


def test_a_language_switch_holds_on_a_slow_link(phone_session, live_server, categories):
    """The worker keeps the map page in the language it was installed in; after the visitor
    switches to English on another page, a link slower than the worker's patience must not
    bring the cached Vietnamese map back: the worker waits for the English one (the cached
    page's Content-Language against the language cookie)."""
    page, context = phone_session.page, phone_session.context
    install(page, live_server.url)
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.goto(live_server.url + "/xep-hang/")
    page.locator("form.ht-lang button[value=en]").tap()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    index = live_server.url + "/"
    seen = []

    def slow_map_page(route):
        # Slower than the worker's 8 s navigation timeout: the weak link being simulated.
        if route.request.method == "GET" and not seen:
            seen.append(route.request.url)
            time.sleep(9)
        route.fallback()

    context.route(index, slow_map_page)
    page.goto(index, wait_until="commit", timeout=30_000)
    page.wait_for_function("() => document.readyState !== 'loading'", timeout=30_000)
    assert seen == [index], "the worker's fetch of the map page was not seen"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("navigator.serviceWorker.controller !== null")
