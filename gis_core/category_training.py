"""Training the category classifier on the city's own confirmed reports (issue 14, part 1).

Nightly (gis_core.tasks.train_category_model, or `manage.py train_category_model`). Reports
whose category staff have confirmed (verified or later, never rejected or merged) are put in
time order and the newest are held out: the model is judged on reports newer than any it
learnt from, as it will be used. The rest, with the seed set (data/category_seed.csv), train
a new model. It replaces the current one only if it is not worse on the same held-out reports
(category_classifier.not_worse); the current model is measured again on them, in this run.
A young city with too few confirmed reports is judged on the seed's own held-out rows instead,
and the row says which. The model served is the one measured (no refit on everything): the
next night's comparison then stays fair, since neither model has seen the newest reports. The
held-out share is capped, so a big city's model trails its newest reports by days, not months.

Every run leaves a CategoryModel row with its figures and what it saw (counts, dates and id
ranges, never a description); exactly one row is current.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import pickle
import random
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from sklearn.pipeline import Pipeline

from gis_core.category_classifier import Metrics, evaluate, not_worse, train
from gis_core.classifier_selectors import ConfirmedText, confirmed_report_texts
from gis_core.models import CategoryModel
from gis_core.selectors import categories_active

logger = logging.getLogger(__name__)

SEED_HELD_OUT_PER_CATEGORY = 15  # the seed rows judged on when the city has too few reports
MAX_FEATURES = 300_000  # n-grams kept: bounds the model's size for a big city's history
HELD_OUT_MAX = 2_000  # at most this many newest reports held out (see the module's docstring)


class TrainingError(ValueError):
    """Nothing to train on (fewer than two categories with examples); the message says so."""


class ModelUnreadable(ValueError):
    """A stored model whose bytes do not match its checksum or do not load."""


@dataclass
class TrainingSet:
    train_texts: list[str]
    train_labels: list[str]
    test_texts: list[str]
    test_labels: list[str]
    evaluated_on: str  # "time_split" | "seed_held_out"
    data_seen: dict[str, Any] = field(default_factory=dict)


def seed_rows(path: Path, codes: set[str]) -> list[tuple[str, str]]:
    """(category code, text) of the seed set, for the categories in `codes` only."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(r["category"], r["text"]) for r in csv.DictReader(handle)]
    return [(code, text) for code, text in rows if code in codes and text.strip()]


def training_set(
    *,
    reports: Sequence[ConfirmedText],
    seed: Sequence[tuple[str, str]],
    held_out_share: float,
    min_held_out: int,
) -> TrainingSet:
    """The time split: `reports` oldest first, the newest share (at most HELD_OUT_MAX) held
    out; below `min_held_out` held-out reports, the seed's own held-out rows instead."""
    ordered = sorted(reports, key=lambda r: (r.reported_at, r.id))
    n_test = min(HELD_OUT_MAX, round(len(ordered) * held_out_share))
    seed_train: list[tuple[str, str]]
    seed_test: list[tuple[str, str]]
    if n_test >= min_held_out:
        learnt, held = ordered[: len(ordered) - n_test], ordered[len(ordered) - n_test :]
        seed_train, seed_test = list(seed), []
        evaluated_on = "time_split"
    else:
        learnt, held = list(ordered), []
        shuffled = list(seed)
        random.Random(14).shuffle(shuffled)  # noqa: S311 (a fixed split, not a secret)
        per_code: Counter[str] = Counter()
        seed_train, seed_test = [], []
        for code, text in shuffled:
            per_code[code] += 1
            target = seed_test if per_code[code] <= SEED_HELD_OUT_PER_CATEGORY else seed_train
            target.append((code, text))
        evaluated_on = "seed_held_out"
    train_labels = [r.category for r in learnt] + [c for c, _t in seed_train]
    data_seen: dict[str, Any] = {
        "reports": len(learnt),
        "seed": len(seed_train),
        "held_out": len(held) + len(seed_test),
        "evaluated_on": evaluated_on,
        "per_category": dict(sorted(Counter(train_labels).items())),
    }
    if learnt:
        data_seen["reports_from"] = learnt[0].reported_at.isoformat()
        data_seen["reports_to"] = learnt[-1].reported_at.isoformat()
        data_seen["report_ids"] = [min(r.id for r in learnt), max(r.id for r in learnt)]
    if held:
        data_seen["held_out_from"] = held[0].reported_at.isoformat()
        data_seen["held_out_to"] = held[-1].reported_at.isoformat()
    return TrainingSet(
        train_texts=[r.text for r in learnt] + [t for _c, t in seed_train],
        train_labels=train_labels,
        test_texts=[r.text for r in held] + [t for _c, t in seed_test],
        test_labels=[r.category for r in held] + [c for c, _t in seed_test],
        evaluated_on=evaluated_on,
        data_seen=data_seen,
    )


def dump_pipeline(model: Pipeline) -> bytes:
    """The model's bytes to store: without the vectorizer's list of dropped n-grams, which
    scikit-learn keeps only for introspection and which can outweigh the model itself."""
    vectorizer = model.named_steps["tfidf"]
    if hasattr(vectorizer, "stop_words_"):
        vectorizer.stop_words_ = None
    return zlib.compress(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL), 6)


def load_pipeline(artifact: bytes, sha256: str) -> Pipeline:
    """The stored model; raises ModelUnreadable if its bytes are not what was written. Only
    the training service writes these rows, and the checksum catches a damaged copy."""
    data = bytes(artifact)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ModelUnreadable("checksum mismatch")
    try:
        model = pickle.loads(zlib.decompress(data))  # noqa: S301 (our own rows, checksummed)
    except Exception as error:  # any failure to rebuild it is the same: unreadable
        raise ModelUnreadable(f"{type(error).__name__}: {error}") from error
    if not isinstance(model, Pipeline) or not hasattr(model, "predict_proba"):
        raise ModelUnreadable("not a classifier pipeline")
    return model


def current_model_row() -> CategoryModel | None:
    return CategoryModel.objects.filter(is_current=True).first()


def _metrics_json(metrics: Metrics, evaluated_on: str) -> dict[str, Any]:
    return {**asdict(metrics), "evaluated_on": evaluated_on}


def train_category_model() -> CategoryModel:
    """Trains, judges and stores one model (see the module's docstring); returns its row,
    current if it was kept. Raises TrainingError when there is nothing to learn from."""
    codes = set(categories_active().values_list("code", flat=True))
    reports = [
        r
        for r in confirmed_report_texts(limit=settings.CATEGORY_MODEL_MAX_REPORTS)
        if r.category in codes
    ]
    data = training_set(
        reports=reports,
        seed=seed_rows(settings.CATEGORY_SEED_CSV, codes),
        held_out_share=settings.CATEGORY_MODEL_HELD_OUT,
        min_held_out=settings.CATEGORY_MODEL_MIN_HELD_OUT,
    )
    if len(set(data.train_labels)) < 2 or not data.test_texts:
        raise TrainingError(_("Chưa đủ dữ liệu để huấn luyện: cần mô tả của ít nhất hai lĩnh vực."))
    started = time.perf_counter()
    model = train(data.train_texts, data.train_labels, max_features=MAX_FEATURES)
    seconds = time.perf_counter() - started
    metrics = evaluate(model, data.test_texts, data.test_labels)

    current = current_model_row()
    previous: Metrics | None = None
    decision = CategoryModel.Decision.FIRST
    if current is not None:
        try:
            previous = evaluate(
                load_pipeline(current.artifact, current.artifact_sha256),
                data.test_texts,
                data.test_labels,
            )
            keep = not_worse(metrics, previous)
            decision = CategoryModel.Decision.NOT_WORSE if keep else CategoryModel.Decision.WORSE
        except ModelUnreadable as error:
            logger.error("category model #%s unreadable (%s): replaced", current.pk, error)
            decision = CategoryModel.Decision.CURRENT_UNREADABLE
    keep = decision != CategoryModel.Decision.WORSE
    artifact = dump_pipeline(model)
    with transaction.atomic():
        # Two runs at once: the second to get here sees the first's model as current.
        locked = CategoryModel.objects.select_for_update().filter(is_current=True).first()
        if keep and (locked.pk if locked else None) != (current.pk if current else None):
            keep, decision = False, CategoryModel.Decision.REPLACED_MEANWHILE
        if keep and locked is not None:
            CategoryModel.objects.filter(pk=locked.pk).update(is_current=False)
        row = CategoryModel.objects.create(
            is_current=keep,
            kept=keep,
            decision=decision,
            artifact=artifact,
            artifact_sha256=hashlib.sha256(artifact).hexdigest(),
            metrics=_metrics_json(metrics, data.evaluated_on),
            previous_metrics=_metrics_json(previous, data.evaluated_on) if previous else None,
            data_seen={**data.data_seen, "artifact_bytes": len(artifact)},
            training_seconds=round(seconds, 3),
        )
    logger.info(
        "category model #%s: top-1 %.3f top-3 %.3f on %s (%s), %s",
        row.pk,
        metrics.top1,
        metrics.top3,
        data.evaluated_on,
        metrics.n,
        decision,
    )
    return row
