"""Suggested categories, served from the current stored model (issue 14, part 1).

Each app server keeps the current model in memory and looks for a newer one at most every
CATEGORY_MODEL_CHECK_SECONDS (one indexed query). No model, or one that does not load, means
no suggestion: logged once per model, never an error for the citizen. A suggestion never
changes a report: staff confirm it (gis_core.recategorise), and only then does routing see it.

Reports get their suggestion after they are stored, in batches (`fill_suggestions`, from the
queue's minute task), so a submission never waits for the model; the staff page works one
out on the spot for a report the batch has not reached yet.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from sklearn.pipeline import Pipeline

from gis_core.category_classifier import suggest
from gis_core.category_training import ModelUnreadable, load_pipeline
from gis_core.classifier_selectors import reports_awaiting_suggestion
from gis_core.models import Category, CategoryModel, Report

logger = logging.getLogger(__name__)

FILL_BATCH = 500


@dataclass(frozen=True)
class Suggestion:
    code: str
    score: float


@dataclass
class _Loaded:
    checked_at: float = float("-inf")
    model_id: int | None = None
    pipeline: Pipeline | None = None


_loaded = _Loaded()
_lock = threading.Lock()


def forget_classifier() -> None:
    """Drops the model held in memory: the next suggestion looks again (tests, a reload)."""
    global _loaded
    with _lock:
        _loaded = _Loaded()


def current_classifier() -> Pipeline | None:
    """The current model, loaded once per app server and model; None without a usable one."""
    global _loaded
    now = time.monotonic()
    if now - _loaded.checked_at < settings.CATEGORY_MODEL_CHECK_SECONDS:
        return _loaded.pipeline
    with _lock:
        model_id = (
            CategoryModel.objects.filter(is_current=True).values_list("id", flat=True).first()
        )
        if model_id is not None and model_id == _loaded.model_id:
            _loaded.checked_at = now
            return _loaded.pipeline
        pipeline = None
        if model_id is not None:
            row = CategoryModel.objects.only("artifact", "artifact_sha256").get(pk=model_id)
            try:
                pipeline = load_pipeline(row.artifact, row.artifact_sha256)
            except ModelUnreadable as error:
                logger.error("category model #%s unreadable (%s): no suggestions", model_id, error)
        _loaded = _Loaded(checked_at=now, model_id=model_id, pipeline=pipeline)
        return pipeline


def _active_codes() -> set[str]:
    return set(Category.objects.filter(is_active=True).values_list("code", flat=True))


def suggest_categories(
    text: str, *, top: int = 3, active: set[str] | None = None
) -> list[Suggestion]:
    """The `top` active categories for a description, best first with their probability;
    none for a text too short to judge or without a usable model. `active`, the active
    codes when the caller already has them (a batch asks once, not once per report)."""
    text = " ".join((text or "").split())
    if sum(ch.isalpha() for ch in text) < settings.CATEGORY_SUGGEST_MIN_CHARS:
        return []
    pipeline = current_classifier()
    if pipeline is None:
        return []
    try:
        ranked = suggest(pipeline, text, top=len(pipeline.classes_))
    except Exception:  # a model that loads but cannot answer: no suggestion, and say so
        logger.exception("category model failed to suggest")
        return []
    active = _active_codes() if active is None else active
    return [Suggestion(code, round(score, 4)) for code, score in ranked if code in active][:top]


def report_suggestion(report: Report) -> Suggestion | None:
    """The stored suggestion of a report, or one worked out now if it has none yet."""
    if report.suggested_score is not None:
        category = report.suggested_category if report.suggested_category_id else None
        return Suggestion(category.code, report.suggested_score) if category else None
    found = suggest_categories(report.description, top=1)
    return found[0] if found else None


@transaction.atomic
def fill_suggestions(*, limit: int = FILL_BATCH) -> int:
    """Stores the suggestion of up to `limit` reports still waiting for one; returns how many.
    A text too short to judge is stored as "no suggestion" (score 0), so it is not retried.
    Without a usable model nothing is written: those reports wait for one."""
    pipeline = current_classifier()
    if pipeline is None:
        return 0
    reports = list(
        reports_awaiting_suggestion()
        .select_for_update(skip_locked=True)
        .only("id", "description")[:limit]
    )
    if not reports:
        return 0
    ids = dict(Category.objects.filter(is_active=True).values_list("code", "id"))
    active = set(ids)
    for report in reports:
        found = suggest_categories(report.description, top=1, active=active)
        report.suggested_category_id = ids.get(found[0].code) if found else None
        report.suggested_score = found[0].score if found else 0.0
    Report.objects.bulk_update(reports, ["suggested_category", "suggested_score"])
    return len(reports)
