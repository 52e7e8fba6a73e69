"""The pages citizens and visitors read (a report's public page, sign-in, my reports, the
league table, the tourist page) in English: no Vietnamese sentence of the page is left, the
<html lang> follows the language, and the Vietnamese page keeps its wording and dates."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse

from gis_core import sms
from gis_core.models import Category, Report, ReportTransition

pytestmark = pytest.mark.django_db

# Letters only Vietnamese uses among the page's languages.
VIETNAMESE = re.compile(
    "[ăâđêôơưạảãáàấầẩẫậắằẳẵặẹẻẽéèếềểễệịỉĩíìọỏõóòốồổỗộớờởỡợụủũúùứừửữựỵỷỹýỳ]", re.IGNORECASE
)
ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "data-wait-text")
# Names, not sentences: the brand, the city, ward and agency names, the language switch.
NAMES = ("Hiện Trường", "Móng Cái", "Tiếng Việt", "Trung tâm Điều hành đô thị thông minh")
DESCRIPTION = "Rác đổ trước cổng chợ"


class _Text(HTMLParser):
    """The text a reader sees or hears: text nodes and the labelling attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.lines += [v.strip() for k, v in attrs if k in ATTRIBUTES and v and v.strip()]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.lines += [line.strip() for line in data.splitlines() if line.strip()]


def visible_lines(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.lines


def vietnamese_left(vi_html: str, en_html: str, data: tuple[str, ...] = ()) -> list[str]:
    """The English page's lines in Vietnamese, names and data aside (the Vietnamese page has
    such lines, so the check has something to find)."""

    def sentences(html: str) -> set[str]:
        lines = set()
        for line in visible_lines(html):
            line = unicodedata.normalize("NFC", line)
            for name in sorted(data + NAMES, key=len, reverse=True):
                line = line.replace(name, "")
            if VIETNAMESE.search(line):
                lines.add(line.strip(" ·:()—-"))
        return lines

    assert sentences(vi_html), "the Vietnamese page has no Vietnamese text"
    return sorted(sentences(en_html))


def both(client: Client, url: str) -> tuple[str, str]:
    client.cookies.pop("django_language", None)
    vi = client.get(url)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert vi.status_code == english.status_code == 200
    return vi.content.decode(), english.content.decode()


@pytest.fixture
def reports(city_agency, mong_cai_wards):
    """A resolved report with a deadline, an answer and a history, and a duplicate merged into
    it, both sent from the citizen's phone on 2 December 2026."""
    category = Category.objects.get(code="moi_truong")
    at = dt.datetime(2026, 12, 2, 7, 5, tzinfo=dt.UTC)  # 14:05 in Vietnam
    survivor = Report.objects.create(
        category=category, description=DESCRIPTION, location=Point(107.97, 21.53, srid=4326),
        contact_phone="+84912345678", status="resolved", answer="Đã thu gom.",
        agency=city_agency, due_at=at + dt.timedelta(days=2), resolved_at=at + dt.timedelta(days=1),
    )  # fmt: skip
    Report.objects.filter(pk=survivor.pk).update(reported_at=at)
    ReportTransition.objects.create(report=survivor, from_status="new", to_status="resolved")
    duplicate = Report.objects.create(
        category=category, description=DESCRIPTION, location=Point(107.97, 21.53, srid=4326),
        contact_phone="+84912345678", merged_into=survivor,
    )  # fmt: skip
    survivor.refresh_from_db()
    return survivor, duplicate


def ward_names(report: Report) -> tuple[str, ...]:
    ward = report.ward
    return tuple(n for n in (ward and ward.full_name, ward and ward.name) if n)


def test_the_public_report_page_in_english(reports):
    survivor, duplicate = reports
    client = Client()
    data = (DESCRIPTION, "Đã thu gom.", *ward_names(survivor))
    for report in (survivor, duplicate):
        vi, english = both(client, reverse("web_map:report", args=[report.public_id]))
        assert '<html lang="vi">' in vi and '<html lang="en">' in english
        assert vietnamese_left(vi, english, data) == []
    vi, english = both(client, reverse("web_map:report", args=[survivor.public_id]))
    # Vietnamese dates as Vietnamese write them; English ones in Django's English format.
    assert "Ngày phản ánh</dt><dd>02/12/2026</dd>" in vi and "14:05 02/12/2026" in vi
    assert "12/02/2026" in english and "02/12/2026" not in english


def test_sign_in_and_my_reports_in_english(reports):
    survivor, _duplicate = reports
    client = Client()
    vi, english = both(client, reverse("web_map:sign-in"))
    assert '<html lang="en">' in english and vietnamese_left(vi, english) == []
    sms.outbox.clear()
    code_page = client.post(reverse("web_map:sign-in"), {"phone": "0912 345 678"})
    assert "mã có hiệu lực 5 phút" in code_page.content.decode()
    english_code = client.post(
        reverse("web_map:sign-in"), {"phone": "0912 345 678", "resend": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert '<html lang="en">' in english_code.content.decode()
    assert vietnamese_left(code_page.content.decode(), english_code.content.decode()) == []
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)
    client.post(reverse("web_map:sign-in"), {"phone": "0912 345 678", "code": code})

    vi, english = both(client, reverse("web_map:my-reports"))
    assert '<html lang="en">' in english
    assert f"02/12/2026 14:05 · {survivor.ward.full_name or survivor.ward.name}" in vi
    assert "12/02/2026 2:05 p.m." in english  # Django's English date and time
    data = (DESCRIPTION, "Đã thu gom.", *ward_names(survivor))
    assert vietnamese_left(vi, english, data) == []


def test_the_league_page_in_english(reports):
    client = Client()
    url = reverse("web_map:league") + "?since=2026-12-01&until=2026-12-31"
    for by in ("agency", "ward", "category", "channel"):
        vi, english = both(client, f"{url}&by={by}")
        assert '<html lang="vi">' in vi and '<html lang="en">' in english
        assert "từ 01/12/2026 đến 31/12/2026" in vi
        names = (*ward_names(reports[0]), "Môi trường")  # the category's data row
        assert vietnamese_left(vi, english, names) == []


def test_the_tourist_page_title_and_search_in_english():
    client = Client()
    vi, english = both(client, reverse("web_map:tourist"))
    assert '<html lang="vi">' in vi and '<html lang="en">' in english
    assert "<title>Du lịch Móng Cái · Hiện Trường</title>" in vi
    assert 'placeholder="Tìm địa điểm (vd. tra co)"' in vi
    english_lines = visible_lines(english)
    for line in ("Du lịch Móng Cái · Hiện Trường", "Du lịch Móng Cái", "Tìm địa điểm (vd. tra co)"):
        assert line in visible_lines(vi) and line not in english_lines
