"""Duplicates by meaning (issue 14, part 2): does the combined score find the real duplicate
first, and what does it cost, beside the former distance-only ordering in the same run.

    .venv/bin/python benchmarks/bench_duplicates.py

Planted set (seeded, on the benchmark database, inside one transaction rolled back at the
end): 60 incidents 300 m apart in Móng Cái. Each has a new report (a seed-set description
from data/category_seed.csv and a photo hash) and, within the category's 50 m, 1 true
duplicate and 4 other open reports of the same category (other seed descriptions of that
category: the same vocabulary, a different problem) at uniform random distances. The true
duplicate re-words the new report: its marks stripped in half the incidents, a third of its
words dropped, "không" written "k"; in half the incidents it carries the same photo
re-encoded (its hash with 0-4 bits flipped), else none; the others' photos are unrelated
(independent random hashes). Precision@1: how often the first candidate is the true one,
for the combined score (text and photo: the operator's page), the combined score with the
text alone (the citizen's check before sending: no photo), and nearest first (before).

Cost: `possible_duplicates` at a dense spot holding 120 open reports within 50 m (so the 50
nearest are all scored), p50/p95 wall and CPU over 300 calls each, with the combined score
(text and photo hashes) and with the distance-only ordering; then the public endpoint
GET /api/v1/reports/duplicates/ with a 300-character description, through Django's test
client (no HTTP server, no network). Printed, never asserted.
"""

from __future__ import annotations

import csv
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import bench_db`
import bench_db  # inserts the repo root into sys.path

bench_db.setup()

from django.contrib.gis.geos import Point  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from common.text import strip_marks  # noqa: E402
from gis_core.models import Category, Report, ReportPhoto  # noqa: E402
from gis_core.selectors import possible_duplicates  # noqa: E402

SEED = 1402
INCIDENTS = 60
OTHERS = 4
DENSE = 120
CALLS = 300
LON0, LAT0 = 107.93, 21.52
M_LAT = 1 / 110_700
M_LON = 1 / 103_600  # one metre east at 21.5°


class Rollback(Exception):
    pass


def seed_rows() -> dict[str, list[str]]:
    rows = csv.DictReader((bench_db.ROOT / "data" / "category_seed.csv").open(encoding="utf-8"))
    by_category: dict[str, list[str]] = {}
    for row in rows:
        by_category.setdefault(row["category"], []).append(row["text"])
    return by_category


def reword(text: str, rnd: random.Random) -> str:
    words = [w for w in text.split() if rnd.random() > 1 / 3]
    words = ["k" if w.lower() == "không" else w for w in words]
    out = " ".join(words)
    return strip_marks(out) if rnd.random() < 0.5 else out


def random_hash(rnd: random.Random) -> int:
    return rnd.getrandbits(64) - (1 << 63)


def flip(value: int, bits: int, rnd: random.Random) -> int:
    unsigned = value & ((1 << 64) - 1)
    for bit in rnd.sample(range(64), bits):
        unsigned ^= 1 << bit
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


def report(category, text: str, east_m: float, north_m: float, lon: float, lat: float, photo):
    r = Report.objects.create(
        category=category,
        description=text,
        location=Point(lon + east_m * M_LON, lat + north_m * M_LAT, srid=4326),
        reported_at=timezone.now() - dt_days(1),
    )
    if photo is not None:
        ReportPhoto.objects.create(
            report=r, image="bench/x.jpg", thumbnail="bench/x-thumb.jpg",
            content_type="image/jpeg", width=1, height=1, size_bytes=1, sha256="0" * 64,
            phash=photo,
        )  # fmt: skip
    return r


def dt_days(n: int):
    import datetime as dt

    return dt.timedelta(days=n)


def at_distance(rnd: random.Random, metres: float) -> tuple[float, float]:
    import math

    angle = rnd.uniform(0, 2 * math.pi)
    return metres * math.cos(angle), metres * math.sin(angle)


def plant(rnd: random.Random, texts: dict[str, list[str]]) -> list[dict]:
    categories = {c.code: c for c in Category.objects.filter(code__in=texts)}
    codes = sorted(categories)
    cases = []
    for i in range(INCIDENTS):
        lon, lat = LON0 + (i % 10) * 300 * M_LON, LAT0 + (i // 10) * 300 * M_LAT
        code = codes[i % len(codes)]
        category = categories[code]
        pool = rnd.sample(texts[code], OTHERS + 1)
        mine_text, others = pool[0], pool[1:]
        mine_photo = random_hash(rnd)
        with_photo = i % 2 == 0
        dup_photo = flip(mine_photo, rnd.randint(0, 4), rnd) if with_photo else None
        radius = category.duplicate_radius_m
        true = report(
            category, reword(mine_text, rnd), *at_distance(rnd, rnd.uniform(2, radius - 2)),
            lon, lat, dup_photo,
        )  # fmt: skip
        for text in others:
            report(
                category, text, *at_distance(rnd, rnd.uniform(2, radius - 2)), lon, lat,
                random_hash(rnd) if rnd.random() < 0.5 else None,
            )  # fmt: skip
        cases.append(
            {
                "lon": lon, "lat": lat, "category": category, "text": mine_text,
                "photo": [mine_photo], "true": true.pk, "with_photo": with_photo,
            }
        )  # fmt: skip
    return cases


def precision_at_1(cases: list[dict], **how) -> float:
    hits = 0
    for case in cases:
        kwargs = {}
        if how.get("text"):
            kwargs["text"] = case["text"]
        if how.get("photo"):
            kwargs["photo_hashes"] = case["photo"]
        found = possible_duplicates(
            lon=case["lon"], lat=case["lat"], category=case["category"],
            ranking=how.get("ranking", "combined"), **kwargs,
        )  # fmt: skip
        hits += bool(found) and found[0].report.pk == case["true"]
    return hits / len(cases)


def timed(fn, calls: int = CALLS) -> tuple[list[float], list[float]]:
    for _ in range(20):
        fn()
    wall, cpu = [], []
    for _ in range(calls):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def line(name: str, wall: list[float], cpu: list[float]) -> str:
    p = bench_db.percentile
    return (
        f"{name:<44} wall p50 {p(wall, 50):6.1f} ms  p95 {p(wall, 95):6.1f} ms | "
        f"CPU p50 {p(cpu, 50):6.1f} ms  p95 {p(cpu, 95):6.1f} ms"
    )


def main() -> None:
    rnd = random.Random(SEED)
    texts = seed_rows()
    try:
        with transaction.atomic():
            cases = plant(rnd, texts)
            combined = precision_at_1(cases, text=True, photo=True)
            text_only = precision_at_1(cases, text=True)
            nearest = precision_at_1(cases, ranking="distance")
            with_photo = [c for c in cases if c["with_photo"]]
            print(
                f"planted: {len(cases)} incidents, 1 true duplicate + {OTHERS} others of the "
                f"same category within 50 m each; {len(with_photo)} with the same photo"
            )
            print(
                f"precision@1  combined (text + photo): {combined:.2f} | combined, text only "
                f"(citizen's check): {text_only:.2f} | nearest first (before): {nearest:.2f}"
            )
            print(
                f"  on the {len(with_photo)} with a photo: combined "
                f"{precision_at_1(with_photo, text=True, photo=True):.2f}, text only "
                f"{precision_at_1(with_photo, text=True):.2f}, nearest "
                f"{precision_at_1(with_photo, ranking='distance'):.2f}"
            )

            # The dense spot: 120 open reports within 50 m, half with a photo.
            env = Category.objects.get(code="moi_truong")
            lon, lat = LON0 - 0.05, LAT0
            pool = texts["moi_truong"]
            for _ in range(DENSE):
                report(
                    env, rnd.choice(pool), *at_distance(rnd, rnd.uniform(0, 48)), lon, lat,
                    random_hash(rnd) if rnd.random() < 0.5 else None,
                )  # fmt: skip
            query = rnd.choice(pool)[:300]
            photos = [random_hash(rnd), random_hash(rnd)]

            def combined_call():
                possible_duplicates(lon=lon, lat=lat, category=env, text=query, photo_hashes=photos)

            def distance_call():
                possible_duplicates(lon=lon, lat=lat, category=env, ranking="distance")

            client = Client(HTTP_HOST="localhost")
            params = {"lon": lon, "lat": lat, "category": "moi_truong", "text": query}

            def endpoint_call():
                response = client.get("/api/v1/reports/duplicates/", params)
                assert response.status_code == 200, response.content

            print(f"cost at a spot with {DENSE} open reports within 50 m ({CALLS} calls each):")
            print(line("possible_duplicates, distance only (before)", *timed(distance_call)))
            print(line("possible_duplicates, combined (text + photo)", *timed(combined_call)))
            print(line("GET /api/v1/reports/duplicates/ with text", *timed(endpoint_call)))
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
