"""Cached vector tiles go stale when what they draw changes: bump the generation on commit."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from gis_core.models import Report
from gis_core.signals import reports_written
from layers.models import PointOfInterest
from layers.tiles import bump_after_commit, bump_tile_generation


def _bump_now(**_kwargs) -> None:
    bump_tile_generation()


def connect() -> None:
    reports_written.connect(_bump_now, dispatch_uid="tiles-reports-written")
    for model in (Report, PointOfInterest):
        post_save.connect(bump_after_commit, sender=model, dispatch_uid=f"tiles-{model.__name__}")
        post_delete.connect(
            bump_after_commit, sender=model, dispatch_uid=f"tiles-d-{model.__name__}"
        )
