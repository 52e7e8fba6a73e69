"""One language setting for every page: each page is rendered by Django in the visitor's
language (the django_language cookie), says so in <html lang>, loads that language's JS
catalog before its modules, and carries the same switcher (every language named in itself,
the current one marked), which posts to set_language so the choice holds on every page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse

from gis_core.models import Category, Report, StaffProfile

pytestmark = pytest.mark.django_db

PUBLIC = ["web_map:index", "web_map:tourist", "web_map:league", "web_map:sign-in"]
STAFF = ["web_map:staff-queue", "web_map:planner", "web_map:board", "web_map:staff-report-new"]
SWITCH = re.compile(r'<form class="ht-lang".*?</form>', re.S)
BUTTON = re.compile(r"<button [^>]*>[^<]*</button>")


def switcher(html: str) -> list[dict[str, str]]:
    """The switcher's buttons: value, name shown, and whether marked current."""
    forms = SWITCH.findall(html)
    assert len(forms) == 1, "one switcher per page"
    buttons = []
    for tag in BUTTON.findall(forms[0]):
        buttons.append(
            {
                "value": re.search(r'value="([^"]+)"', tag).group(1),
                "name": re.search(r">([^<]*)</button>", tag).group(1),
                "current": 'aria-current="true"' in tag and " disabled" in tag,
            }
        )
    return buttons


def check_page(html: str, language: str) -> None:
    assert f'<html lang="{language}">' in html
    buttons = switcher(html)
    assert [(b["value"], b["name"]) for b in buttons] == list(settings.LANGUAGES)
    assert [b["value"] for b in buttons if b["current"]] == [language]
    modules = [m.start() for m in re.finditer(r'<script type="module"', html)]
    if modules:
        catalog = html.find(f'src="/jsi18n/{language}/?v=')
        assert 0 <= catalog < modules[0], "the JS catalog of the page's language loads first"


def staff_client() -> Client:
    user = User.objects.create_user("operator", password="x")
    user.groups.add(Group.objects.get_or_create(name="operator")[0])
    StaffProfile.objects.create(user=user)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_page_in_the_cookie_language_with_the_one_switcher(mong_cai_wards, language):
    report = Report.objects.create(
        category=Category.objects.get(code="moi_truong"), description="Rác",
        location=Point(107.96, 21.53, srid=4326),
    )  # fmt: skip
    public = Client()
    staff = staff_client()
    for client in (public, staff):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    urls = [(public, reverse(name)) for name in PUBLIC]
    urls.append((public, reverse("web_map:report", args=[report.public_id])))
    urls += [(staff, reverse(name)) for name in STAFF]
    for client, url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        check_page(response.content.decode(), language)


def test_switching_stores_the_cookie_and_returns_to_the_page(mong_cai_wards):
    client = Client()
    tourist = reverse("web_map:tourist")
    response = client.post(reverse("set_language"), {"language": "en", "next": tourist})
    assert response.status_code == 302 and response["Location"] == tourist
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # Another page follows the same setting, without any parameter in its URL.
    html = client.get(reverse("web_map:league")).content.decode()
    check_page(html, "en")
