"""Training the category classifier (issue 14, part 1): what it learns from, the time split,
keeping a new model only if it is not worse, and a stored model that is damaged."""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import zlib

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.utils import timezone

from gis_core.category_suggestions import forget_classifier, suggest_categories
from gis_core.category_training import (
    SEED_HELD_OUT_PER_CATEGORY,
    TrainingError,
    seed_rows,
    train_category_model,
    training_set,
)
from gis_core.classifier_selectors import ConfirmedText, confirmed_report_texts
from gis_core.models import Category, CategoryModel, Report
from tests.gis_core.classifier_models import store_model
from tests.gis_core.worker import procrastinate_worker  # noqa: F401
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
NOW = timezone.now()


def report(text: str, code: str, *, days_ago: float, status: str = "verified", **extra) -> Report:
    x, y = POINTS["06709"]
    return Report.objects.create(
        category=Category.objects.get(code=code),
        description=text,
        location=Point(x, y, srid=4326),
        status=status,
        reported_at=NOW - dt.timedelta(days=days_ago),
        **extra,
    )


def seed_by_category(settings) -> dict[str, list[str]]:
    codes = set(Category.objects.values_list("code", flat=True))
    found: dict[str, list[str]] = {}
    for code, text in seed_rows(settings.CATEGORY_SEED_CSV, codes):
        found.setdefault(code, []).append(text)
    return found


def test_only_reports_whose_category_staff_confirmed_are_learnt(mong_cai_wards):
    kept = [
        report("Cống vỡ trước nhà", "ha_tang", days_ago=3, status=s)
        for s in ("verified", "assigned", "in_progress", "resolved")
    ]
    report("Chưa ai xem", "ha_tang", days_ago=2, status="received")
    report("Sai lĩnh vực", "ha_tang", days_ago=2, status="rejected")
    merged = report("Trùng", "ha_tang", days_ago=2, status="resolved")
    merged.merged_into = kept[0]
    merged.save(update_fields=["merged_into"])
    found = confirmed_report_texts(limit=100)
    assert sorted(r.id for r in found) == sorted(r.pk for r in kept)
    newest = confirmed_report_texts(limit=2)
    assert newest[0].reported_at >= newest[1].reported_at


def test_the_newest_reports_are_held_out_and_the_seed_is_learnt():
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    reports = [
        ConfirmedText(id=i, reported_at=start + dt.timedelta(hours=i), text=f"t{i}", category="a")
        for i in range(100)
    ]
    seed = [("a", "s1"), ("b", "s2")]
    data = training_set(reports=reports[::-1], seed=seed, held_out_share=0.2, min_held_out=10)
    assert data.evaluated_on == "time_split"
    assert data.test_texts == [f"t{i}" for i in range(80, 100)]  # the newest fifth, in order
    assert data.train_texts[:80] == [f"t{i}" for i in range(80)]
    assert data.train_texts[80:] == ["s1", "s2"]
    assert data.data_seen["reports"] == 80 and data.data_seen["held_out"] == 20
    assert data.data_seen["report_ids"] == [0, 79]
    assert "t85" not in str(data.data_seen)  # counts and dates, never a description


def test_too_few_reports_are_judged_on_the_seeds_held_out_rows(settings):
    seed = [(code, f"{code} {i}") for code in ("a", "b") for i in range(40)]
    data = training_set(reports=[], seed=seed, held_out_share=0.2, min_held_out=80)
    assert data.evaluated_on == "seed_held_out"
    assert len(data.test_texts) == 2 * SEED_HELD_OUT_PER_CATEGORY
    assert not set(data.test_texts) & set(data.train_texts)


def test_the_first_model_is_kept_current_and_suggests(settings):
    settings.CATEGORY_MODEL_CHECK_SECONDS = 0
    row = train_category_model()
    assert row.is_current and row.kept and row.decision == "first"
    assert row.metrics["evaluated_on"] == "seed_held_out"
    assert row.metrics["top1"] > 0.6 and row.metrics["top3"] > row.metrics["top1"]
    assert set(row.metrics["per_category"]) >= {"ha_tang", "moi_truong"}
    assert row.data_seen["reports"] == 0 and row.data_seen["seed"] > 600
    forget_classifier()
    found = suggest_categories("Cống thoát nước bị tắc, nước tràn ra đường mỗi khi mưa")
    assert found and found[0].code == "ha_tang"


def plant(settings, *, wrong: bool) -> None:
    """Old confirmed reports (seed texts, labelled right or wrong three times over) and the
    newest ones (the same texts, labelled right): the held-out fifth judges both models."""
    settings.CATEGORY_MODEL_MIN_HELD_OUT = 20
    texts = seed_by_category(settings)
    codes = ["ha_tang", "moi_truong", "an_toan_giao_thong"]
    shifted = dict(zip(codes, codes[1:] + codes[:1], strict=True))
    for code in codes:
        for i, text in enumerate(texts[code][:10]):
            label = shifted[code] if wrong else code
            for copy in range(3):
                report(text, label, days_ago=200 - i - copy / 10)
            report(text, code, days_ago=5 - i / 10)  # newest: always right


def test_a_worse_model_is_not_kept(settings, mong_cai_wards, current_model):
    plant(settings, wrong=True)
    row = train_category_model()
    assert row.metrics["evaluated_on"] == "time_split"
    assert row.previous_metrics["top1"] > row.metrics["top1"]
    assert not row.kept and not row.is_current and row.decision == "worse"
    assert CategoryModel.objects.get(is_current=True).pk == current_model.pk


def test_a_model_not_worse_replaces_the_current_one(settings, mong_cai_wards, current_model):
    plant(settings, wrong=False)
    row = train_category_model()
    assert row.kept and row.is_current and row.decision == "not_worse"
    assert row.metrics["top1"] >= row.previous_metrics["top1"] - 0.005
    assert CategoryModel.objects.filter(is_current=True).get().pk == row.pk
    assert row.data_seen["held_out"] == 24  # the newest fifth of 120 reports (at least 20)


def test_nothing_to_learn_is_a_clear_error(settings, tmp_path):
    empty = tmp_path / "seed.csv"
    empty.write_text("category,text,style\n", encoding="utf-8")
    settings.CATEGORY_SEED_CSV = empty
    with pytest.raises(TrainingError, match="Chưa đủ dữ liệu"):
        train_category_model()
    assert not CategoryModel.objects.exists()


def test_a_damaged_model_gives_no_suggestion_says_so_and_is_replaced(
    caplog, settings, current_model
):
    assert suggest_categories("Rác thải đổ trộm ven đường bốc mùi hôi thối")
    CategoryModel.objects.filter(pk=current_model.pk).update(artifact=b"not a model")
    forget_classifier()
    with caplog.at_level(logging.ERROR, logger="gis_core.category_suggestions"):
        assert suggest_categories("Rác thải đổ trộm ven đường bốc mùi hôi thối") == []
        assert suggest_categories("Rác thải đổ trộm ven đường bốc mùi hôi thối") == []
    unreadable = [r for r in caplog.records if "unreadable" in r.getMessage()]
    assert len(unreadable) == 1  # once per model, not once per request
    row = train_category_model()
    assert row.is_current and row.decision == "current_unreadable"


def test_a_model_that_loads_as_something_else_is_refused(caplog, settings):
    settings.CATEGORY_MODEL_CHECK_SECONDS = 0
    store_model(zlib.compress(pickle.dumps({"not": "a pipeline"})))
    with caplog.at_level(logging.ERROR, logger="gis_core.category_suggestions"):
        assert suggest_categories("Đèn đường hỏng cả tuần nay tối om") == []
    assert any("not a classifier pipeline" in r.getMessage() for r in caplog.records)


def test_the_command_prints_the_figures_per_category(settings, capsys):
    call_command("train_category_model")
    out = capsys.readouterr().out
    assert "top-1" in out and "ha_tang" in out and "precision" in out
    call_command("train_category_model", "--if-missing")
    assert "nothing to do" in capsys.readouterr().out
    assert CategoryModel.objects.count() == 1


def test_the_admin_shows_the_current_models_figures(client, settings):
    from django.contrib.auth.models import User

    settings.CATEGORY_MODEL_CHECK_SECONDS = 0
    row = train_category_model()
    client.force_login(User.objects.create_superuser("admin", password="x"))
    listing = client.get("/admin/gis_core/categorymodel/").content.decode()
    top1 = f"{row.metrics['top1'] * 100:.1f}%"
    assert top1 in listing and "Đúng ở gợi ý đầu" in listing
    page = client.get(f"/admin/gis_core/categorymodel/{row.pk}/change/").content.decode()
    recall = row.metrics["per_category"]["ha_tang"]["recall"]
    assert "Hạ tầng" in page and f"{recall * 100:.1f}%" in page
    assert 'field-artifact"' not in page and "field-artifact " not in page  # the bytes: never
    assert client.get("/admin/gis_core/categorymodel/add/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_worker_fills_suggestions_for_new_reports(mong_cai_wards, seed_categories, request):
    """The minute task, run by the real worker, gives a new report its suggestion."""
    from gis_core.tasks import fill_category_suggestions
    from tests.gis_core.classifier_models import seed_artifact
    from tests.gis_core.worker import defer_periodic_now, wait_for

    store_model(seed_artifact())
    text = "Cống thoát nước trước nhà bị tắc, mưa xuống là nước tràn lên mặt đường"
    fresh = report(text, "moi_truong", days_ago=0, status="received")
    request.getfixturevalue("procrastinate_worker")
    defer_periodic_now(fill_category_suggestions)
    wait_for(
        lambda: Report.objects.filter(pk=fresh.pk, suggested_score__isnull=False).exists(),
        what="the worker to store the suggestion",
    )
    assert Report.objects.get(pk=fresh.pk).suggested_category.code == "ha_tang"
