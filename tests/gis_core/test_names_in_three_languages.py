"""Category and agency names in the reader's language (Vietnamese, English, Chinese), with
Vietnamese wherever a translation is blank: the helper, the categories API, the public report
page, the league page and API, and the seeded names the migration filled."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from common.localized import all_languages, language_suffix, localized
from gis_core.categories import SEED_CATEGORIES
from gis_core.league import league_table
from gis_core.models import Agency, Category, Report, ReportChannel
from gis_core.models.reports import ReportSource
from gis_core.models.workflow import ReminderSent
from ward_boundaries.models import Ward, WardMatch
from web_map.templatetags.citizen import category_name

pytestmark = pytest.mark.django_db

IN_CITY = Point(107.9653, 21.5338, srid=4326)
DAY = dt.datetime(2026, 12, 2, 7, 5, tzinfo=dt.UTC)
PERIOD = "?since=2026-12-01&until=2026-12-31"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "vi"), ("en", "en"), ("en-gb", "en"), ("zh-hans", "zh"), ("zh-cn", "zh"), ("fr", "vi")],
)
def test_language_suffix_maps_codes_to_the_three_columns(language, expected):
    assert language_suffix(language) == expected


def test_localized_picks_the_language_column_and_falls_back_to_vietnamese():
    category = Category(code="x", name_vi="Môi trường", name_en="Environment", name_zh="环境")
    assert localized(category, "name", "vi") == "Môi trường"
    assert localized(category, "name", "en") == "Environment"
    assert localized(category, "name", "zh-hans") == "环境"
    category.name_zh = "  "  # blank, as an untranslated row has it
    assert localized(category, "name", "zh-hans") == "Môi trường"
    # A model with a plain `name` (Vietnamese) column, and a values() row.
    agency = Agency(code="a", name="Phòng Y tế", name_en="Health Office")
    assert localized(agency, "name", "en") == "Health Office"
    assert localized(agency, "name", "zh-hans") == "Phòng Y tế"
    row = {"name_vi": "Khác", "name_en": "", "name_zh": None}
    assert all_languages(row, "name") == {"vi": "Khác", "en": "Khác", "zh": "Khác"}
    assert localized(None, "name") == ""


def test_localized_follows_the_active_language():
    category = Category(code="x", name_vi="Môi trường", name_en="Environment", name_zh="环境")
    with translation.override("zh-hans"):
        assert localized(category, "name") == "环境" == category_name(category)
    with translation.override("en"):
        assert localized(category, "name") == "Environment" == category_name(category)
    with translation.override("vi"):
        assert localized(category, "name") == "Môi trường" == category_name(category)


def test_every_seeded_category_has_its_chinese_name_in_the_database():
    """Filled by gis_core 0035 for databases seeded before the column existed."""
    expected = {row["code"]: row["name_zh"] for row in SEED_CATEGORIES}
    assert all(expected.values())
    stored = dict(Category.objects.filter(code__in=expected).values_list("code", "name_zh"))
    assert stored == expected
    assert stored["moi_truong"] == "环境" and stored["an_toan_giao_thong"] == "交通安全"


def test_the_categories_api_carries_the_chinese_name(seed_categories):
    Category.objects.filter(code="khac").update(name_zh="")
    rows = {r["code"]: r for r in APIClient().get(reverse("api:category-list")).json()}
    assert rows["moi_truong"] == {
        "code": "moi_truong",
        "name_vi": "Môi trường",
        "name_en": "Environment",
        "name_zh": "环境",
        "for_places": False,
    }
    assert rows["du_lich_chat_chem"]["for_places"] is True
    assert rows["du_lich_chat_chem"]["name_zh"] == "宰客、高于公示价格收费"
    assert rows["khac"]["name_zh"] == ""  # untranslated: a client shows name_vi
    assert localized(rows["khac"], "name", "zh-hans") == "Khác"


@pytest.fixture
def report(city_agency, mong_cai_wards) -> Report:
    category = Category.objects.get(code="moi_truong")
    made = Report.objects.create(
        category=category,
        description="Rác đổ trước cổng chợ",
        location=IN_CITY,
        agency=city_agency,
        status="resolved",
        due_at=DAY + dt.timedelta(days=2),
        resolved_at=DAY + dt.timedelta(days=1),
    )
    Report.objects.filter(pk=made.pk).update(reported_at=DAY)
    made.refresh_from_db()
    return made


def test_report_api_and_submitted_report_carry_the_chinese_category_name(report):
    detail = APIClient().get(reverse("api:report-detail", args=[report.public_id])).json()
    assert detail["properties"]["category"]["name_zh"] == "环境"
    created = APIClient().post(
        reverse("api:report-list"),
        {"category": "an_toan_giao_thong", "description": "Đèn tín hiệu hỏng", "lon": 107.9653,
         "lat": 21.5338},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    category = created.json()["properties"]["category"]
    assert category == {
        "code": "an_toan_giao_thong",
        "name_vi": "An toàn giao thông",
        "name_en": "Traffic safety",
        "name_zh": "交通安全",
    }


def test_the_public_report_page_names_the_category_in_the_readers_language(report):
    url = reverse("web_map:report", args=[report.public_id])
    client = Client()
    pages = {
        language: client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        for language in ("vi", "en", "zh-hans")
    }
    assert '<html lang="zh-hans">' in pages["zh-hans"]
    assert "Môi trường" in pages["vi"] and "环境" not in pages["vi"]
    assert "Environment" in pages["en"] and "Môi trường" not in pages["en"]
    assert "环境" in pages["zh-hans"] and "Môi trường" not in pages["zh-hans"]
    Category.objects.filter(code="moi_truong").update(name_zh="")
    untranslated = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Môi trường" in untranslated and "环境" not in untranslated


def test_the_league_page_names_categories_and_agencies_in_the_readers_language(report):
    Agency.objects.filter(pk=report.agency_id).update(
        name_en="Smart City Operations Centre", name_zh="智慧城市运营中心"
    )
    client = Client()
    url = reverse("web_map:league") + PERIOD

    def page(by: str, language: str) -> str:
        response = client.get(f"{url}&by={by}", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        return response.content.decode()

    assert "Môi trường" in page("category", "vi")
    assert "Environment" in page("category", "en")
    chinese = page("category", "zh-hans")
    assert "环境" in chinese and "Môi trường" not in chinese
    assert "Trung tâm Điều hành đô thị thông minh" in page("agency", "vi")
    assert "Smart City Operations Centre" in page("agency", "en")
    assert "智慧城市运营中心" in page("agency", "zh-hans")


def test_the_league_api_gives_the_names_in_every_language(report):
    Agency.objects.filter(pk=report.agency_id).update(name_zh="智慧城市运营中心")
    response = APIClient().get(
        reverse("api:league-table"), {"by": "agency", "since": "2026-12-01", "until": "2026-12-31"}
    )
    row = response.json()["rows"][0]
    assert (row["name"], row["name_en"], row["name_zh"]) == (
        "Trung tâm Điều hành đô thị thông minh",
        "",
        "智慧城市运营中心",
    )
    csv = APIClient().get(
        reverse("api:league-table-csv"), {"since": "2026-12-01", "until": "2026-12-31"}
    )
    assert "name_zh" not in csv.content.decode("utf-8-sig").splitlines()[0]


def test_unnamed_league_rows_are_named_in_vietnamese_whatever_the_active_language(report):
    """One cached table serves every reader: a channel row's name is not the language of the
    request that happened to compute it."""
    Report.objects.filter(pk=report.pk).update(agency=None, channel=ReportChannel.HOTLINE)
    with translation.override("en"):
        rows = {
            r.key: r
            for r in league_table(
                by="channel", since=dt.date(2026, 12, 1), until=dt.date(2026, 12, 31)
            )
        }
        centre = league_table(by="agency", since=dt.date(2026, 12, 1), until=dt.date(2026, 12, 31))
    assert rows["hotline"].name == "Đường dây nóng"
    assert centre[0].key == "" and centre[0].name == "Trung tâm điều hành (chưa chuyển đơn vị)"
    assert {f.name for f in dataclasses.fields(rows["hotline"])} >= {"name_en", "name_zh"}


@pytest.mark.parametrize(
    "choices",
    [Ward.UnitType, WardMatch, ReportSource, ReminderSent.Kind],
    ids=lambda c: c.__qualname__,
)
def test_visitor_facing_choices_have_vietnamese_source_labels(choices):
    """Labels are gettext msgids in Vietnamese (catalogs give English and Chinese): none is
    English text left from before, which no catalog would translate."""
    english_words = {"the", "a", "ward", "data", "map", "import", "due", "every", "time"}
    with translation.override("vi"):
        for label in choices.labels:
            words = {w.lower() for w in str(label).split()}
            assert not words & english_words, label


def test_the_board_names_categories_and_agencies_in_the_readers_language(report):
    from gis_core.board import board_counts, board_newest

    # Open and past its due time: counted as overdue at the board's "now".
    Report.objects.filter(pk=report.pk).update(status="assigned")
    Agency.objects.filter(pk=report.agency_id).update(name_zh="智慧城市运营中心")
    with translation.override("zh-hans"):
        assert board_newest()[0]["category"] == "环境"
        counts = board_counts(now=report.due_at + dt.timedelta(hours=1))
        assert [g.name for g in counts.by_agency] == ["智慧城市运营中心"]
    with translation.override("en"):
        assert board_newest()[0]["category"] == "Environment"
        # No English name: the Vietnamese one.
        counts = board_counts(now=report.due_at + dt.timedelta(hours=1))
        assert [g.name for g in counts.by_agency] == ["Trung tâm Điều hành đô thị thông minh"]
