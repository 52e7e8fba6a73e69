"""The staff pages in English: an operator with Accept-Language: en gets no Vietnamese words
from the interface (data such as ward names, categories and descriptions excepted).

Each page is rendered twice, in Vietnamese and in English; every visible Vietnamese text (text
nodes and the labels a screen reader or a phone's table shows: aria-label, alt, placeholder,
title, data-label) of the Vietnamese page that is not data must be gone from the English page.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from gis_core.models import Agency, Category, Report, ReportTransition, StaffProfile
from tests.hotspot_data import plant_emerging_cluster
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
# The letters only Vietnamese uses among the languages we ship (English has none of them).
VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I
)
SHOWN_ATTRIBUTES = {"aria-label", "alt", "placeholder", "title", "data-label"}
BRAND = "Hiện Trường"


class VisibleText(HTMLParser):
    """The texts a person sees or hears on the page, without scripts, styles and JSON data."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data) -> None:
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def visible(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


@pytest.fixture
def operator_world(client, mong_cai_wards):
    """An operator signed in, one overdue report with a transition (so the history shows)."""
    user = User.objects.create_user("operator", password="x")
    user.groups.add(Group.objects.get_or_create(name="operator")[0])
    StaffProfile.objects.create(user=user)
    agency = Agency.objects.create(code="a", name="Đơn vị A")
    x, y = POINTS["06709"]
    report = Report.objects.create(
        category=Category.objects.get(code="ha_tang"), description="Cống vỡ trước chợ",
        location=Point(x, y, srid=4326), status="assigned", agency=agency,
        contact_phone="+84911222333", contact_name="Người Gửi",
        due_at=timezone.now() - dt.timedelta(hours=30),
    )  # fmt: skip
    ReportTransition.objects.create(
        report=report, from_status="verified", to_status="assigned", actor=user,
        note="Chuyển đơn vị", public_note="Đã chuyển",
    )  # fmt: skip
    client.force_login(user)
    data = [
        Ward.objects.values_list("name", flat=True),
        Category.objects.values_list("name_vi", flat=True),
    ]
    data_texts = {str(t) for qs in data for t in qs} | {
        agency.name, report.description, "Người Gửi", "Chuyển đơn vị", "Đã chuyển", "Rác",
    } | {name for _code, name in settings.LANGUAGES}  # fmt: skip
    # (the language names: the switcher names each language in itself)
    return {"report": report, "data": data_texts}


def interface_texts(html: str, data: set[str]) -> set[str]:
    """The Vietnamese texts of the page that are the interface's, not the data's."""
    found = set()
    for text in visible(html):
        rest = text.replace(BRAND, "")
        for item in sorted(data, key=len, reverse=True):
            rest = rest.replace(item, "")
        if VIETNAMESE.search(rest):
            found.add(text)
    return found


def pages(report) -> list[str]:
    return [
        reverse("web_map:staff-queue"),
        reverse("web_map:staff-report", args=[report.public_id]),
        reverse("web_map:staff-report-new"),
        reverse("web_map:staff-privacy"),
        reverse("web_map:board"),
    ]


def test_staff_pages_in_vietnamese_have_the_interface_texts_checked_below(client, operator_world):
    """The Vietnamese rendering is the reference: it has interface texts and lang="vi"."""
    for url in pages(operator_world["report"]):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="vi">' in html, url
        assert interface_texts(html, operator_world["data"]), url


@pytest.mark.parametrize("page", range(5), ids=["queue", "report", "entry", "privacy", "board"])
def test_staff_page_in_english_keeps_no_vietnamese(client, operator_world, page):
    url = pages(operator_world["report"])[page]
    vi = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    en = response.content.decode()
    assert '<html lang="en">' in en
    left = interface_texts(vi, operator_world["data"]) & set(visible(en))
    assert not left, sorted(left)
    # The data stays as it is: the ward and the report are still on the page.
    if page in (0, 1):
        assert operator_world["report"].description in en


def test_queue_with_an_emerging_hotspot_in_english(client, operator_world):
    """The operator's hotspot alert, and the overdue row's lateness, are English too."""
    cache.clear()
    plant_emerging_cluster()
    url = reverse("web_map:staff-queue")
    vi = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Điểm nóng mới" in vi and "trễ 1 ngày 6 giờ" in vi
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    left = interface_texts(vi, operator_world["data"]) & set(visible(en))
    assert not left, sorted(left)
    assert "1 cluster of reports emerged in the last 30 days" in en
    assert re.search(r"Móng Cái 2 \(06709\): 65 reports in \d+ hexagons, 0 in the 30 days", en)
    cache.clear()
