"""The league page names units as visitors read them: a ward by its name (never the boundary
version's slug gis_core keeps in the key and the CSV), a category in the page's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gis_core.models import Category, Report
from ward_boundaries.models import Ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_in_mong_cai_2(mong_cai_wards):
    cache.clear()  # the league table is cached per period
    ward = Ward.objects.get(version=mong_cai_wards["2025"], code="06709")
    point = ward.geom.point_on_surface
    return Report.objects.create(
        category=Category.objects.get(code="moi_truong"), description="Rác",
        location=Point(point.x, point.y, srid=4326), ward=ward,
    )  # fmt: skip


def league(by: str, language: str = "vi") -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("web_map:league"), {"by": by})
    assert response.status_code == 200
    return response.content.decode()


def test_the_ward_tab_shows_the_ward_name_without_the_version(report_in_mong_cai_2):
    html = league("ward")
    ward = report_in_mong_cai_2.ward
    assert f'data-key="mong-cai-2025/{ward.code}"' in html  # the row is that version's ward
    assert (ward.full_name or ward.name) in html
    assert "mong-cai-2025)" not in html and "(mong-cai" not in html
    # The unit type in the reader's language, the name itself kept (ward_boundaries.names).
    assert f"{ward.name} Ward" in league("ward", "en")
    assert f"{ward.name}坊" in league("ward", "zh-hans")


def test_the_category_tab_names_categories_in_the_page_language(report_in_mong_cai_2):
    assert "Môi trường" in league("category", "vi")
    english = league("category", "en")
    assert "Environment" in english and "Môi trường" not in english
