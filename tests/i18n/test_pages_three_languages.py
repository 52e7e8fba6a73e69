"""Every page in real Chromium in each of the three languages (vi, en, zh-hans), chosen as a
user chooses it (the django_language cookie the switcher stores; once through the switcher
itself): <html lang> follows, no string of another language's catalog is left on the page
(data names aside, from the rows the page shows), no Vietnamese-only letter on an English or
Chinese page, no Chinese on a Vietnamese or English one (the switcher's "中文" aside), and on
the Chinese page the CJK sample is drawn with real glyphs (no missing-glyph boxes).

Citizen and visitor pages open on the 390×844 phone; the staff queue and report as the staff
e2e tests do (390×844), the planner on a desktop, the board on the wall screen. One browser
serves the module; each case gets its own context (cookies) on the live server.

Many cases fail until every string has its three languages: each failure lists what is left,
by kind. HT_I18N_REPORT=<file> appends every case's findings to that file (a worklist).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.utils import timezone
from django.utils.translation import get_language_info
from playwright.sync_api import sync_playwright

from gis_core.accounts import citizen_for_phone
from gis_core.models import Agency, Report, ReportRating, ReportTransition, StaffProfile
from layers.models import PointOfInterest
from layers.services import load_demo_wifi
from tests.conftest import WARDS_2025, load_version_directly, reseed_layer_registry
from tests.i18n.page_text import (
    CJK,
    LANGUAGES,
    VIETNAMESE,
    catalog_strings,
    fragments,
    glyph_problems,
    leaks,
    lines_matching,
    meaningful,
    visible_texts,
)
from tests.ward_boundaries import geometry_cases as cases
from tests.web_map.browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, outside_blocker
from tests.web_map.map_page import HAI_NINH, MONG_CAI_1, MONG_CAI_3
from tests.web_map.phone_browser import PHONE
from ward_boundaries.models import Ward

pytestmark = pytest.mark.e2e

CJK_SAMPLE = "反映问题处理中"  # seven different characters
STAFF_PHONE = {"viewport": {"width": 390, "height": 844}}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
WALL = {"viewport": {"width": 1920, "height": 1080}}
CITIZEN_PHONE = "+84912345678"


@dataclass
class World:
    """The rows the pages show, and the data texts among them (allowed in any language)."""

    report: Report
    citizen: User
    staff: User
    data: set[str] = field(default_factory=set)


def language_names() -> set[str]:
    """The switcher's names, each language named in itself (settings and Django's own)."""
    names = {name for _code, name in settings.LANGUAGES}
    return names | {get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES}


def _report(category, where, description: str, **extra) -> Report:
    lat, lon = where
    return Report.objects.create(
        category=category, description=description, location=Point(lon, lat, srid=4326), **extra
    )


def _import_places() -> None:
    call_command(
        "import_pois", str(cases.DATA / "mong_cai_poi_osm.geojson"), "--layer", "tourism",
        stdout=StringIO(),
    )  # fmt: skip
    load_demo_wifi()
    reseed_layer_registry()


@pytest.fixture
def world(live_server, categories, request) -> World:
    """Both ward versions; reports of several states (one resolved with an answer, a deadline
    and a history, from a signed-up citizen), an agency, an operator; the tourist places and
    free Wi-Fi (tourist page, planner only: importing them takes a while)."""
    # The units in force (every page shows today's); the 2017 ones only cost time here.
    load_version_directly(WARDS_2025, "mong-cai-2025", dt.date(2025, 7, 1), None)
    agency = Agency.objects.create(code="ioc", name="Trung tâm Điều hành đô thị thông minh")
    citizen = citizen_for_phone(CITIZEN_PHONE)
    staff = User.objects.create_user("dieuhanh", password="x")
    staff.groups.add(Group.objects.get_or_create(name="operator")[0])
    StaffProfile.objects.create(user=staff)
    now = timezone.now()
    env, infra = categories["moi_truong"], categories["ha_tang"]
    main = _report(
        env, MONG_CAI_1, "Rác đổ trước cổng chợ", status="resolved", agency=agency,
        reporter=citizen, contact_phone=CITIZEN_PHONE, contact_name="Nguyễn Văn An",
        answer="Đã thu gom xong.", due_at=now + dt.timedelta(days=1),
        resolved_at=now - dt.timedelta(hours=2),
    )  # fmt: skip
    Report.objects.filter(pk=main.pk).update(reported_at=now - dt.timedelta(days=2))
    ReportTransition.objects.create(
        report=main, from_status="assigned", to_status="resolved", actor=staff,
        note="Gọi đội vệ sinh", public_note="Đội vệ sinh đã đến",
    )  # fmt: skip
    ReportRating.objects.create(report=main, value="satisfied")
    others = [
        _report(infra, HAI_NINH, "Ổ gà giữa đường", status="verified"),
        _report(env, MONG_CAI_3, "Cống bốc mùi", status="assigned", agency=agency,
                due_at=now - dt.timedelta(hours=30)),
        _report(infra, (MONG_CAI_1[0] + 0.0005, MONG_CAI_1[1]), "Đèn đường hỏng"),
    ]  # fmt: skip
    callspec = getattr(request.node, "callspec", None)
    if callspec and callspec.params.get("page") in ("tourist", "planner"):
        _import_places()
    main.refresh_from_db()
    data = {
        *language_names(),
        *Ward.objects.values_list("name", flat=True),
        "Quảng Ninh",
        agency.name,
        staff.username,
        "Nguyễn Văn An", "Gọi đội vệ sinh", "Đội vệ sinh đã đến", main.answer,
        main.description, *(r.description for r in others),
    }  # fmt: skip
    for poi in PointOfInterest.objects.all():
        data.update(v for v in (poi.name, poi.name_en, poi.address, poi.opening_hours) if v)
    return World(report=main, citizen=citizen, staff=staff, data=data)


@pytest.fixture
def live_url(live_server) -> str:
    return live_server.url


# --- The pages ---------------------------------------------------------------------------------


def _open_map_popup(page, world: World) -> None:
    """The popup of a report on its own in view: status, category, ward, time."""
    page.locator(".ht-report-marker[data-report-id]").first.click()
    page.locator(".leaflet-popup .ht-report-popup").wait_for()


def _open_map_form(page, world: World) -> None:
    """Then the report form, as the phone opens it (the button): its labels and hints."""
    page.keyboard.press("Escape")
    page.tap("#report-fab")
    page.locator("#report-panel").wait_for(state="visible")


def _open_place(page, world: World) -> None:
    page.fill("#tr-search", "tra co")
    page.locator("#tr-results button").first.click()
    page.wait_for_function("() => document.querySelector('#tr-details h2')?.textContent")


def _open_staff_report(page, world: World) -> None:
    page.locator("#history .st-history__item").first.wait_for()


@dataclass(frozen=True)
class PageCase:
    """Where a page is, who sees it on what screen, when it has settled, what to open."""

    url: Callable[[World], str]
    ready: str
    device: dict
    signed_in: str = ""  # "citizen" or "staff"
    steps: tuple[Callable, ...] = ()


MAP_READY = "body[data-wards-loaded=true][data-reports-loaded=true]"
STAFF_READY = "body[data-staff-ready=true]"


def _planner_layers(page, world: World) -> None:
    page.wait_for_selector("body[data-layers-loaded=true]", state="attached")


PAGES: dict[str, PageCase] = {
    "map": PageCase(
        url=lambda w: "/", ready=MAP_READY, device=PHONE, steps=(_open_map_popup, _open_map_form)
    ),
    "tourist": PageCase(
        url=lambda w: "/du-lich/",
        ready="body[data-layers-loaded=true]",
        device=PHONE,
        steps=(_open_place,),
    ),
    "public-report": PageCase(
        url=lambda w: f"/phan-anh/{w.report.public_id}/", ready="#report-reference", device=PHONE
    ),
    "sign-in": PageCase(url=lambda w: "/dang-nhap/", ready="form.ct-form", device=PHONE),
    "my-reports": PageCase(
        url=lambda w: "/cua-toi/", ready="article.ct-report", device=PHONE, signed_in="citizen"
    ),
    "league": PageCase(url=lambda w: "/xep-hang/", ready="h1", device=PHONE),
    "staff-queue": PageCase(
        url=lambda w: "/can-bo/", ready=STAFF_READY, device=STAFF_PHONE, signed_in="staff"
    ),
    "staff-report": PageCase(
        url=lambda w: f"/can-bo/phan-anh/{w.report.public_id}/",
        ready=STAFF_READY,
        device=STAFF_PHONE,
        signed_in="staff",
        steps=(_open_staff_report,),
    ),
    "planner": PageCase(
        url=lambda w: "/quy-hoach/",
        ready="#pl-map[data-ready=true]",
        device=DESKTOP,
        signed_in="staff",
        steps=(_planner_layers,),
    ),
    "board": PageCase(
        url=lambda w: "/dieu-hanh/",
        ready="body[data-board-ready=true]",
        device=WALL,
        signed_in="staff",
    ),
}


# --- The browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    """One Chromium for the module (each case opens its own context)."""
    with pytest.MonkeyPatch.context() as mp:
        # The sync API keeps an event loop in this thread; the ORM calls stay synchronous.
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # No kept-alive server connections holding database sessions past the teardown.
        mp.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
                connections.close_all()
    connections.close_all()


def _cookie(origin: str, name: str, value: str) -> dict:
    return {"name": name, "value": value, "domain": urlsplit(origin).hostname, "path": "/"}


def _session(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def open_page(chromium, live_url, world) -> Iterator[Callable]:
    """Opens a page in a language (the cookie set before navigating, the browser itself in
    Vietnamese, so only the cookie can choose), settled and with its panels opened."""
    contexts = []

    def _open(name: str, language: str | None):
        case = PAGES[name]
        origin = live_url
        context = chromium.new_context(**case.device, locale="vi-VN")
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", outside_blocker(origin, {"external": []}))
        cookies = []
        if language:
            cookies.append(_cookie(origin, settings.LANGUAGE_COOKIE_NAME, language))
        if case.signed_in:
            user = world.citizen if case.signed_in == "citizen" else world.staff
            cookies.append(_cookie(origin, settings.SESSION_COOKIE_NAME, _session(user)))
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(origin + case.url(world))
        page.wait_for_selector(case.ready, state="attached")
        for step in case.steps:
            step(page, world)
        page.errors = errors
        return page

    yield _open
    for context in contexts:
        context.close()
    # While Playwright's loop runs, ORM connections are context-local: close this test's.
    connections.close_all()


# --- The checks --------------------------------------------------------------------------------


def language_problems(page, language: str, data: set[str]) -> dict[str, object]:
    """Everything on the page now that is not in `language`; empty when the page is right."""
    problems: dict[str, object] = {}
    lang = page.evaluate("document.documentElement.lang")
    if lang.lower() != language:
        problems["<html lang>"] = lang
    texts = visible_texts(page)
    for other, found_there in leaks(language, texts, data).items():
        problems[f"strings of the {other} catalogs"] = found_there
    if language != "vi":
        if found := lines_matching(VIETNAMESE, texts, data):
            problems["lines with Vietnamese letters"] = found
    if language != "zh-hans":
        if found := lines_matching(CJK, texts, data):
            problems["lines with Chinese characters"] = found
    else:
        if found := glyph_problems(page, CJK_SAMPLE):
            problems["CJK glyphs"] = found
    if page.errors:
        problems["script errors"] = page.errors
    return problems


def report(name: str, language: str, problems: dict[str, object]) -> str:
    lines = [f"{name} in {language}:"]
    for what, items in problems.items():
        if isinstance(items, list):
            lines.append(f"  {what} ({len(items)}):")
            lines += [f"    - {item}" for item in items]
        else:
            lines.append(f"  {what}: {items}")
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_is_wholly_in_its_language(open_page, world, page, language):
    shown = open_page(page, language)
    problems = language_problems(shown, language, world.data)
    if os.environ.get("HT_I18N_REPORT"):
        with open(os.environ["HT_I18N_REPORT"], "a", encoding="utf-8") as out:
            out.write(report(page, language, problems or {"nothing": "left"}) + "\n")
    assert not problems, report(page, language, problems)


# --- The switcher, and the checks themselves -------------------------------------------------


def test_the_switcher_sets_the_language_of_the_next_pages(open_page, world, live_url):
    """vi → en → zh-hans → vi through the map's switcher: the cookie is stored, the next page
    (no cookie set by the test) comes in that language, and so does the map itself."""
    page = open_page("map", None)
    assert page.evaluate("document.documentElement.lang") == "vi"
    for language in ("en", "zh-hans", "vi"):
        with page.expect_navigation():
            page.click(f"form.ht-lang button[value={language}]")
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        assert cookies.get(settings.LANGUAGE_COOKIE_NAME) == language
        page.goto(live_url + "/dang-nhap/")
        assert page.evaluate("document.documentElement.lang").lower() == language, "sign-in"
        page.goto(live_url + "/")
        page.wait_for_selector(MAP_READY, state="attached")
        assert page.evaluate("document.documentElement.lang").lower() == language, "map"


def _plant(page, text: str) -> None:
    page.evaluate(
        """(text) => { const p = document.createElement('p'); p.textContent = text;
            (document.querySelector('main') || document.body).prepend(p); }""",
        text,
    )


def test_the_check_finds_an_english_sentence_planted_in_the_vietnamese_page(open_page, world):
    """The Vietnamese sign-in page passes the check until an English sentence of the catalog
    is planted in it; then the check names that sentence, and only it. Chinese planted next is
    caught by the plain check for Chinese characters."""
    page = open_page("sign-in", "vi")
    assert language_problems(page, "vi", world.data) == {}
    english = next(
        s
        for s in sorted(catalog_strings("en") - catalog_strings("vi"))
        if s.startswith("Sign in with your phone") or s.startswith("Click the map")
    )
    _plant(page, english)
    expected = [f for f in fragments(english) if meaningful(f)]
    assert language_problems(page, "vi", world.data) == {"strings of the en catalogs": expected}
    # On the English page the same sentence is its own text.
    assert leaks("en", [english], world.data) == {}
    _plant(page, "附近的问题")
    assert language_problems(page, "vi", world.data) == {
        "strings of the en catalogs": expected,
        "lines with Chinese characters": ["附近的问题"],
    }


def test_the_glyph_check_finds_characters_no_font_has(open_page, world):
    """Real CJK glyphs pass (fonts-noto-cjk); characters no installed font draws (private use
    area) come out as identical boxes 0.6em wide, which the check reports, also beside real
    Chinese characters."""
    page = open_page("sign-in", "zh-hans")
    assert glyph_problems(page, CJK_SAMPLE) == []
    missing = glyph_problems(page, "\ue000\ue001\ue002\ue003")
    assert any("4 characters drawn as 1 different images" in p for p in missing), missing
    assert sum("not 1em" in p for p in missing) == 4, missing
    mixed = glyph_problems(page, "反映\ue000\ue001")
    assert any("4 characters drawn as 3 different images" in p for p in mixed), mixed
    assert not any("'反'" in p or "'映'" in p for p in mixed), mixed
