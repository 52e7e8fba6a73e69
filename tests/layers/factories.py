"""Test data of the layer tests: many reports spread over the city and 14 months."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.gis.geos import Point
from django.utils import timezone

from gis_core.models import Category, Report

# (west, south, east, north) of make_many_reports: Móng Cái and the sea off it.
CITY = (107.85, 21.45, 108.15, 21.62)
STATUSES = ["received", "verified", "assigned", "resolved"]


def local(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_many_reports(n: int = 600, seed: int = 7) -> int:
    """`n` reports in CITY over 14 months, many on month boundaries; returns the report count."""
    rng = random.Random(seed)
    categories = list(Category.objects.filter(code__in=["moi_truong", "ha_tang", "khac"]))
    start = dt.date(2025, 9, 1)
    west, south, east, north = CITY
    reports = []
    for i in range(n):
        day = start + dt.timedelta(days=rng.randrange(0, 425))
        if i % 10 == 0:  # the first and last minutes of a local month
            day = day.replace(day=1)
            at = local(day, 0, 0) if i % 20 == 0 else local(day, 0, 0) - dt.timedelta(minutes=1)
        else:
            at = local(day, rng.randrange(0, 24), rng.randrange(0, 60))
        reports.append(
            Report(
                category=rng.choice(categories),
                description=f"r{i}",
                location=Point(rng.uniform(west, east), rng.uniform(south, north), srid=4326),
                status=rng.choice(STATUSES),
                reported_at=at,
            )
        )
    Report.objects.bulk_create(reports)
    return Report.objects.count()
