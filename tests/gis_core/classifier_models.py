"""A real category model for tests, trained once per run on the seed set (2 to 3 s), and stored
as the current CategoryModel row by `current_model`: suggestions then come from the same code
and the same stored bytes as in production."""

from __future__ import annotations

import csv
import functools
import hashlib

from django.conf import settings

from gis_core.category_classifier import train
from gis_core.category_suggestions import forget_classifier
from gis_core.category_training import dump_pipeline
from gis_core.models import CategoryModel


@functools.cache
def seed_artifact() -> bytes:
    with settings.CATEGORY_SEED_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return dump_pipeline(train([r["text"] for r in rows], [r["category"] for r in rows]))


def store_model(artifact: bytes, *, current: bool = True) -> CategoryModel:
    forget_classifier()
    return CategoryModel.objects.create(
        is_current=current,
        kept=current,
        decision=CategoryModel.Decision.FIRST,
        artifact=artifact,
        artifact_sha256=hashlib.sha256(artifact).hexdigest(),
        metrics={"n": 0, "top1": 0.0, "top3": 0.0, "per_category": {}},
    )
