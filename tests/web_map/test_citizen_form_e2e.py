"""The citizen's report form on a phone (390×844, touch) in real Chromium against the live server.

One thumb: "my location" with its accuracy circle, a photo whose EXIF GPS places the pin after
the citizen confirms, photos resized on the phone, a progress bar with cancel, errors that clear
as fields are fixed, a tap on a cluster that moves the pin, the confirmation with the report's
reference and a link to its public page; axe-core finds nothing serious at each step.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from PIL import Image

from gis_core.models import Report, ReportPhoto
from tests.gis_core.photo_factory import _dms
from tests.gis_core.worker import procrastinate_worker, sms_files, wait_for  # noqa: F401
from tests.web_map.map_page import (
    MONG_CAI_1,
    MONG_CAI_3,
    assert_no_problems,
    open_map,
    wait_for_lookup,
)
from tests.web_map.phone_browser import axe_serious, tap_latlng

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
OUTBOX_JS = REPO / "web_map" / "static" / "web_map" / "js" / "outbox.js"
REPORTS_API = "**/api/v1/reports/"


def pin_latlng(page) -> tuple[float, float] | None:
    return page.evaluate(
        "() => { const p = window.hienTruong.form.pin; if (!p) return null;"
        " const l = p.getLatLng(); return [l.lat, l.lng]; }"
    )


def lookup_says(page, text: str) -> None:
    page.wait_for_function(
        "(text) => document.querySelector('#lookup-result').textContent.includes(text)", arg=text
    )


def big_photo(size=(4000, 3000), orientation: int | None = None, gps=None) -> bytes:
    """A camera-sized JPEG with detail (so it does not compress to nothing)."""
    w, h = size
    base = Image.radial_gradient("L").resize((w, h))
    noise = Image.effect_noise((w, h), 40)
    image = Image.merge("RGB", (base, noise, Image.linear_gradient("L").resize((w, h))))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps is not None:
        lon, lat = gps
        exif[0x8825] = {1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def multipart_parts(body: bytes, content_type: str) -> list[tuple[str, str | None, bytes]]:
    """(field name, file name, bytes) of each part of a multipart/form-data body."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    return [
        (
            part.get_param("name", header="content-disposition"),
            part.get_filename(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    ]


def move_map_above_sheet(page, latlon: tuple[float, float], zoom: int) -> None:
    """Shows (lat, lon) 120 px below the map's top (above the form) with the reports for that
    view loaded: the reload the move scheduled is run now and awaited."""
    page.evaluate(
        """async ([lat, lon, zoom]) => {
            const {map, reports} = window.hienTruong;
            map.setView([lat, lon], zoom, {animate: false});
            map.panBy([0, map.getSize().y / 2 - 120], {animate: false});
            clearTimeout(reports.timer);
            await reports.reload();
        }""",
        [*latlon, zoom],
    )


def drawn_box(page, selector: str) -> dict:
    """The box of the first `selector` once it is drawn: markercluster and VectorGrid may
    redraw an element right after a reload, so the box is read in the page, in one step,
    when the element has a size (a locator's box can go stale between the two)."""
    return page.wait_for_function(
        """(selector) => {
            const el = document.querySelector(selector);
            const r = el && el.getBoundingClientRect();
            return r && r.width > 0 ? {x: r.x, y: r.y, width: r.width, height: r.height} : null;
        }""",
        arg=selector,
    ).json_value()


def open_form_from_button(page) -> None:
    page.tap("#report-fab")
    page.locator("#report-panel").wait_for(state="visible")


def fill_what(page, description: str = "Cống thoát nước bị tắc") -> None:
    page.select_option("#f-category", "moi_truong")
    page.fill("#f-description", description)


def record_progress(page) -> None:
    """Keeps every value the progress bar takes (the upload is over before a poll could see it)."""
    page.evaluate(
        """() => {
            window.__progress = [];
            const el = document.querySelector('#report-progress');
            new MutationObserver(() => {
                const value = el.getAttribute('value');
                if (value === null) return;
                window.__progress.push(Number(value));
                const label = document.querySelector('#report-progress-label');
                window.__progressLabel = label.textContent;
            }).observe(el, {attributes: true, attributeFilter: ['value']});
        }"""
    )


def wait_done(page) -> None:
    page.locator("#report-done").wait_for(state="visible")
    assert page.locator("#report-form").is_hidden(), "the confirmation replaces the form"


def test_whole_flow_on_a_phone(phone_session, live_server, map_data, sms_files, request):  # noqa: F811
    """Locate, photo-first, progress, confirmation with the reference, the public page by
    reference, and the receipt SMS sent by the real worker."""
    worker = request.getfixturevalue("procrastinate_worker")  # after sms_files set its env
    page, context = phone_session.page, phone_session.context
    context.grant_permissions(["geolocation"], origin=live_server.url)
    lat3, lon3 = MONG_CAI_3
    context.set_geolocation({"latitude": lat3, "longitude": lon3, "accuracy": 30})
    open_map(page, live_server)

    # The form opens from the button, before any tap on the map (photo-first works from here).
    open_form_from_button(page)
    assert page.locator("#lookup-result").inner_text().startswith("Chưa chọn vị trí")
    assert pin_latlng(page) is None
    assert axe_serious(page) == []

    # "Vị trí của tôi": the pin at the device's position, its accuracy circle, the ward named.
    page.tap("#locate-me")
    lookup_says(page, "Móng Cái 3")
    lat, lon = pin_latlng(page)
    assert abs(lat - lat3) < 1e-6 and abs(lon - lon3) < 1e-6
    assert page.locator("path.ht-accuracy").count() == 1
    assert page.locator("#locate-status").inner_text() == "Độ chính xác khoảng 30 m."
    assert page.locator(".ht-form-pin").count() == 1

    # A photo taken in Móng Cái 1: its EXIF place is offered, and used once confirmed.
    lat1, lon1 = MONG_CAI_1
    photo = big_photo((1600, 1200), gps=(lon1, lat1))
    page.set_input_files(
        "#f-photos", files=[{"name": "cong.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    prompt = page.locator("#photo-location")
    prompt.wait_for(state="visible")
    assert "Dùng vị trí trong ảnh?" in prompt.inner_text()
    page.wait_for_function(
        "() => document.querySelector('.ht-attachment--photo img')?.naturalWidth > 0"
    )
    assert axe_serious(page) == []
    page.tap("#photo-location-use")
    lookup_says(page, "Móng Cái 1")
    lat, lon = pin_latlng(page)
    assert abs(lat - lat1) < 1e-4 and abs(lon - lon1) < 1e-4
    assert prompt.is_hidden()
    assert page.locator("path.ht-accuracy").count() == 0, (
        "the circle was the device's, not the photo's"
    )

    # Sending without category or description: both say so; each clears as it is fixed.
    page.tap("#report-form [type=submit]")
    category_error = page.locator("#e-category")
    description_error = page.locator("#e-description")
    category_error.wait_for(state="visible")
    assert description_error.is_visible()
    assert category_error.inner_text() == "Trường này là bắt buộc."
    assert axe_serious(page) == []
    page.select_option("#f-category", "moi_truong")
    category_error.wait_for(state="hidden")
    assert description_error.is_visible()
    page.fill("#f-description", "Cống thoát nước bị tắc, nước tràn ra đường")
    description_error.wait_for(state="hidden")
    page.fill("#f-phone", "0912 345 678")
    page.check("#f-consent")  # contact data goes only with consent to the notice shown
    assert (
        "Chỉ cán bộ xử lý thấy số điện thoại; không công khai."
        in page.locator("#phone-privacy").inner_text()
    )

    # Sent with a progress bar; the confirmation replaces the form, in view, focused.
    record_progress(page)
    before = set(Report.objects.values_list("pk", flat=True))
    page.tap("#report-form [type=submit]")
    wait_done(page)
    assert max(page.evaluate("window.__progress"), default=0) > 0, "no upload progress shown"
    label = page.evaluate("window.__progressLabel")
    assert re.fullmatch(r"Đang gửi… \d+% \([\d,.]+ [KM]B / [\d,.]+ [KM]B\)", label), label
    assert page.evaluate("document.activeElement.id") == "report-done-title"
    box = page.locator("#report-done-title").bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 844

    (report,) = Report.objects.exclude(pk__in=before).select_related("ward")
    assert report.ward.code == "06712"  # Móng Cái 1, where the photo was taken
    assert report.contact_phone == "+84912345678"
    assert report.photos.count() == 1
    api = page.evaluate(
        "async (id) => (await (await fetch(`/api/v1/reports/${id}/`)).json()).properties",
        str(report.public_id),
    )
    done = page.locator("#report-done")
    assert "Phường Móng Cái 1" in done.inner_text()
    reference = api["reference"]
    assert re.fullmatch(r"MC-\d{4}-\d{4,}", reference), reference
    assert page.locator("#report-done-reference").inner_text() == f"Mã phản ánh: {reference}"
    assert "0912" not in json.dumps(api), "the phone never reaches a public endpoint"
    # The receipt SMS: the same reference and the link to its page, sent by the worker.
    sent = wait_for(lambda: list(sms_files.glob("*.txt")), timeout=30, what="the receipt SMS")
    sms = sent[0].read_text(encoding="utf-8")
    assert sms.startswith("To: +84912345678\n"), worker.output()
    assert f"đã nhận phản ánh {reference}" in sms and f"/phan-anh/{reference}/" in sms
    assert axe_serious(page) == []

    # The link opens the report's public page at the reference the citizen was given.
    link = page.locator("#report-done-link")
    assert link.get_attribute("href") == f"/phan-anh/{reference}/"
    link.tap()
    page.wait_for_url(f"**/phan-anh/{reference}/")
    assert "Cống thoát nước bị tắc" in page.content()
    assert page.locator("#report-reference").inner_text() == reference
    # The id page is the same report.
    page.goto(f"{live_server.url}/phan-anh/{report.public_id}/")
    assert "Cống thoát nước bị tắc" in page.content()
    assert_no_problems(page)


def test_camera_photo_is_resized_before_upload(phone_session, live_server, map_data):
    """A 4000×3000 photo, EXIF-rotated: what travels is ≤ 2048 px, upright, much smaller."""
    page = phone_session.page
    open_map(page, live_server)
    tap_latlng(page, *MONG_CAI_3)  # with the form closed, a tap opens it there
    wait_for_lookup(page)
    lookup_says(page, "Móng Cái 3")

    original = big_photo((4000, 3000), orientation=6)  # taken with the phone upright
    captured = []

    def capture(route):
        request = route.request
        if request.method == "POST":
            captured.append((request.headers["content-type"], request.post_data_buffer))
        route.continue_()

    page.route(REPORTS_API, capture)
    page.set_input_files(
        "#f-photos-camera",
        files=[{"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": original}],
    )
    page.wait_for_function(
        "() => document.querySelector('.ht-attachment--photo img')?.naturalWidth > 0"
    )
    fill_what(page)
    page.tap("#report-form [type=submit]")
    wait_done(page)

    (content_type, body) = captured[-1]
    photos = [data for name, _, data in multipart_parts(body, content_type) if name == "photos"]
    assert len(photos) == 1
    sent = Image.open(io.BytesIO(photos[0]))
    assert sent.format == "JPEG"
    assert sent.size == (1536, 2048), "longest side 2048, EXIF orientation applied"
    assert sent.getexif().get(0x0112) in (None, 1)
    assert len(photos[0]) < len(original) / 2
    print(f"photo upload: {len(original) / 1e6:.1f} MB taken, {len(photos[0]) / 1e3:.0f} KB sent")  # noqa: T201

    report = Report.objects.get(
        public_id=page.locator("#report-done").get_attribute("data-report-id")
    )
    stored = ReportPhoto.objects.get(report=report)
    assert (stored.width, stored.height) == (1536, 2048)

    # "Gửi phản ánh khác": a fresh form at the same place.
    page.tap("#report-again")
    page.locator("#report-form").wait_for(state="visible")
    assert page.locator("#report-done").is_hidden()
    assert page.input_value("#f-description") == ""
    assert page.locator(".ht-attachment").count() == 0
    assert page.locator("#report-form [type=submit]").inner_text() == "Gửi phản ánh"
    lookup_says(page, "Móng Cái 3")
    assert pin_latlng(page) is not None
    assert_no_problems(page)


def test_tap_on_cluster_moves_the_pin(phone_session, live_server, map_data):
    page = phone_session.page
    open_map(page, live_server)
    page.wait_for_selector(".marker-cluster")
    open_form_from_button(page)
    # The cluster in the part of the map above the bottom sheet.
    move_map_above_sheet(page, MONG_CAI_1, 14)
    box = drawn_box(page, ".marker-cluster")
    panel_top = page.locator("#report-panel").bounding_box()["y"]
    assert box["y"] + box["height"] < panel_top, "the cluster is visible above the form"
    zoom = page.evaluate("window.hienTruong.map.getZoom()")

    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => window.hienTruong.form.pin !== null")
    lookup_says(page, "Móng Cái 1")
    assert page.evaluate("window.hienTruong.map.getZoom()") == zoom, "the tap zoomed in"
    assert page.locator(".leaflet-popup").count() == 0
    lat, lon = pin_latlng(page)
    assert abs(lat - MONG_CAI_1[0]) < 0.01 and abs(lon - MONG_CAI_1[1]) < 0.01

    # What was typed stays when the pin moves again; dragging is a move too.
    fill_what(page, "Rác ở gần chợ")
    tap_latlng(page, MONG_CAI_1[0] + 0.002, MONG_CAI_1[1] - 0.004)
    page.wait_for_function(
        "(lat) => Math.abs(window.hienTruong.form.pin.getLatLng().lat - lat) < 2e-4",
        arg=MONG_CAI_1[0] + 0.002,
    )
    assert page.input_value("#f-description") == "Rác ở gần chợ"
    pin = page.locator(".ht-form-pin").bounding_box()
    x, y = pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y + 10, steps=5)
    page.mouse.move(x + 60, y + 20, steps=5)
    page.mouse.up()
    page.wait_for_function(
        "(lng) => window.hienTruong.form.pin.getLatLng().lng > lng + 1e-4",
        arg=MONG_CAI_1[1] - 0.004,
    )
    wait_for_lookup(page)
    assert "Móng Cái 1" in page.locator("#lookup-result").inner_text()

    # After sending, markers answer taps again (popups open).
    page.tap("#report-form [type=submit]")
    wait_done(page)
    assert (
        page.evaluate("document.querySelector('#map').classList.contains('ht-reports-inert')")
        is False
    )
    assert_no_problems(page)


def test_tap_on_a_tile_cell_moves_the_pin(phone_session, live_server, map_data, settings):
    """Dense views draw report tiles; a cell tapped while the form is open does not zoom either."""
    settings.MAP_REPORTS_MAX_IN_VIEW = 2
    page = phone_session.page
    page.goto(live_server.url + "/")
    page.wait_for_selector("#map[data-report-mode=tiles]")
    open_form_from_button(page)
    move_map_above_sheet(page, MONG_CAI_1, 13)
    box = drawn_box(page, ".leaflet-htReportTiles-pane path")
    zoom = page.evaluate("window.hienTruong.map.getZoom()")
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => window.hienTruong.form.pin !== null")
    lookup_says(page, "Móng Cái 1")
    assert page.evaluate("window.hienTruong.map.getZoom()") == zoom, "the tap zoomed in"
    assert_no_problems(page)


def test_server_error_by_its_field_cancel_and_network_failure(phone_session, live_server, map_data):
    page = phone_session.page
    open_map(page, live_server)
    tap_latlng(page, *MONG_CAI_3)
    lookup_says(page, "Móng Cái 3")
    fill_what(page)
    before = Report.objects.count()

    # Not an image: the phone sends it as it is and the server's refusal shows by the photos.
    page.set_input_files(
        "#f-photos",
        files=[{"name": "giay-to.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4"}],
    )
    page.tap("#report-form [type=submit]")
    photo_error = page.locator("#e-photos")
    photo_error.wait_for(state="visible")
    assert "giay-to.jpg" in photo_error.inner_text()
    assert "BytesIO" not in photo_error.inner_text()
    assert axe_serious(page) == []
    page.tap('.ht-attachment__remove[aria-label*="giay-to.jpg"]')
    photo_error.wait_for(state="hidden")

    # Cancel while sending: nothing is sent, the citizen is told, and can send again.
    held = []
    page.route(REPORTS_API, lambda route: held.append(route))  # never answered
    page.set_input_files(
        "#f-photos",
        files=[{"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": big_photo((1200, 900))}],
    )
    page.tap("#report-form [type=submit]")
    page.locator("#report-progress-box").wait_for(state="visible")
    page.tap("#report-cancel")
    alert = page.locator("#form-alert")
    alert.wait_for(state="visible")
    assert alert.inner_text().startswith("Đã hủy gửi")
    box, head = alert.bounding_box(), page.locator(".ht-panel__head").bounding_box()
    assert box["y"] >= head["y"] + head["height"] - 1, "the alert is not under the sticky head"
    assert box["y"] + box["height"] <= 844, "the alert is on screen"
    assert page.locator("#report-progress-box").is_hidden()
    assert page.locator("#report-form [type=submit]").is_enabled()
    page.unroute(REPORTS_API)

    # No answer at all: saved for later when the outbox is there, otherwise a visible alert.
    page.route(REPORTS_API, lambda route: route.abort("internetdisconnected"))
    page.tap("#report-form [type=submit]")
    if OUTBOX_JS.exists():
        wait_done(page)
        assert page.locator("#report-done-title").inner_text() == "Đã lưu, sẽ tự gửi khi có mạng"
        assert page.locator("#report-done-reference").is_hidden()
        assert page.evaluate("document.activeElement.id") == "report-done-title"
    else:
        page.wait_for_function(
            "() => document.querySelector('#form-alert').textContent.startsWith('Không có kết nối')"
        )
        box = alert.bounding_box()
        head = page.locator(".ht-panel__head").bounding_box()
        assert box["y"] >= head["y"] + head["height"] - 1, "the alert is not under the sticky head"
        assert box["y"] + box["height"] <= 844
    assert Report.objects.count() == before
    assert axe_serious(page) == []
    assert_no_problems(page, allowed_http=[("POST", "/api/v1/reports/", 400)])


def make_clip(path: Path, seconds: int) -> bytes:
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi",
            "-i", f"testsrc=size=160x120:rate=10:duration={seconds}",
            "-c:v", "libvpx", "-b:v", "50k", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


def test_video_clips_are_checked_on_the_phone(
    phone_session,
    live_server,
    map_data,
    settings,
    tmp_path,
):
    settings.VIDEO_MAX_SECONDS = 3
    settings.VIDEO_MAX_BYTES = 200_000
    page = phone_session.page
    open_map(page, live_server)
    open_form_from_button(page)
    assert page.locator("#f-videos").get_attribute("accept").startswith("video/mp4,video/quicktime")
    assert page.locator("#f-videos-camera").get_attribute("capture") == "environment"
    assert "3 giây" in page.locator("#video-limits").inner_text()

    short = make_clip(tmp_path / "short.webm", 2)
    long = make_clip(tmp_path / "long.webm", 6)
    clip = {"mimeType": "video/webm", "buffer": short}
    page.set_input_files("#f-videos", files=[{"name": "a.webm", **clip}])
    item = page.locator(".ht-attachment--video")
    page.wait_for_function(
        "() => document.querySelector('.ht-attachment--video')?.dataset.duration === '2'"
    )
    assert "a.webm" in item.inner_text() and "2 giây" in item.inner_text()

    page.set_input_files(
        "#f-videos", files=[{"name": "dai.webm", "mimeType": "video/webm", "buffer": long}]
    )
    videos_error = page.locator("#e-videos")
    videos_error.wait_for(state="visible")
    assert "dai.webm" in videos_error.inner_text() and "tối đa 3 giây" in videos_error.inner_text()
    assert item.count() == 1

    big = {"name": "to.webm", "mimeType": "video/webm", "buffer": b"\0" * 300_000}
    page.set_input_files("#f-videos", files=[big])
    page.wait_for_function(
        "() => document.querySelector('#e-videos').textContent.includes('to.webm')"
    )
    text = videos_error.inner_text()
    assert "293 KB" in text and "195 KB" in text and "300000" not in text

    page.set_input_files(
        "#f-videos", files=[{"name": "b.webm", **clip}, {"name": "c.webm", **clip}]
    )
    page.wait_for_function(
        "() => document.querySelector('#e-videos').textContent.includes('Tối đa 2 video.')"
    )
    assert item.count() == 2
    assert axe_serious(page) == []
    page.tap('.ht-attachment__remove[aria-label="Bỏ video a.webm"]')
    assert item.count() == 1
    assert_no_problems(page)


FONT_SIZES = (
    "(sels) => sels.map((s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"
)
# Heights of the form's visible controls (file inputs are opened by their labels).
CONTROL_HEIGHTS = """() => [...document.querySelectorAll(
    '#report-panel button, #report-panel label.ht-button, #report-panel select, #report-panel input'
  )].filter((el) => el.offsetParent !== null && !el.classList.contains('ht-file-input'))
    .map((el) => [el.id || el.getAttribute('for'), el.getBoundingClientRect().height])"""


def test_form_text_follows_the_font_setting_and_targets_are_44px(
    phone_session,
    live_server,
    map_data,
):
    """A larger browser font (the root size, as the browser's setting changes it) enlarges every
    text of the form; every control stays at least 44 px high."""
    page = phone_session.page
    open_map(page, live_server)
    assert page.locator("#report-fab").bounding_box()["height"] >= 44
    open_form_from_button(page)
    selectors = [
        "#report-panel-title",
        "#lookup-result",
        "#locate-me",
        "label[for=f-photos]",
        "label[for=f-category]",
        "#f-description",
        "#phone-privacy",
        "#video-limits",
        "#report-form [type=submit]",
    ]
    before = page.evaluate(FONT_SIZES, selectors)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    after = page.evaluate(FONT_SIZES, selectors)
    for selector, small, large in zip(selectors, before, after, strict=True):
        assert large >= 1.9 * small, f"{selector}: {small}px -> {large}px"
    page.evaluate("document.documentElement.style.fontSize = ''")
    heights = page.evaluate(CONTROL_HEIGHTS)
    assert len(heights) >= 8
    assert [(name, h) for name, h in heights if h < 44] == []
