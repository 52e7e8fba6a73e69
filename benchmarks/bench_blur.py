"""Privacy before publication (issue 14, part 3): what the media task costs per photo, beside
the upload's own re-encoding and thumbnail, measured in the same run on the same photos.

    .venv/bin/python benchmarks/bench_blur.py

Photos: scikit-image's astronaut (a real photograph with one face) at 512 px and enlarged to
1280, 2048 and 2560 px (the longest a stored photo gets, PHOTO_MAX_EDGE), and a synthetic
street scene with a car plate at 2048 px. Per photo, the median of 5 runs of:
- upload: gis_core.photos.process_photo (decode, orient, sRGB, resize, re-encode, thumbnail),
  the synchronous step every upload had before; and its thumbnail part alone;
- detect: gis_core.blur_detect.detect (frontal + profile both ways + plate cascades);
- blur+encode: pixelate and smooth the boxes, encode the public copy and its thumbnail.
Printed, never asserted; in run_all.sh. Detection runs on at most DETECT_EDGE px.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from PIL import Image  # noqa: E402

from gis_core.blur_detect import DETECT_EDGE, detect  # noqa: E402
from gis_core.photo_blur import blur_boxes  # noqa: E402
from gis_core.photos import encode_public, process_photo  # noqa: E402
from tests.gis_core import blur_samples as samples  # noqa: E402

RUNS = 5


def median_ms(action) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def photos() -> list[tuple[str, Image.Image]]:
    astro = samples.astronaut()
    street, _ = samples.plate_photo(200)
    out = [("astronaut 512", astro)]
    for edge in (1280, 2048, 2560):
        out.append((f"astronaut {edge}", astro.resize((edge, edge), Image.Resampling.LANCZOS)))
    out.append(("street+plate 2048", street.resize((2048, 1536), Image.Resampling.LANCZOS)))
    return out


def thumbnail_only(image: Image.Image) -> bytes:
    thumb = image.copy()
    thumb.thumbnail((settings.PHOTO_THUMB_EDGE, settings.PHOTO_THUMB_EDGE))
    out = io.BytesIO()
    thumb.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def main() -> None:
    print(f"bench_blur: median of {RUNS} runs per photo; detection on ≤ {DETECT_EDGE} px")
    header = (
        f"{'photo':<18} {'upload':>8} {'thumb':>7} {'detect':>8} {'blur+enc':>9} "
        f"{'task':>8} {'boxes':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, image in photos():
        data = samples.jpeg_bytes(image)
        upload_ms, processed = median_ms(lambda data=data: process_photo(data, name="bench.jpg"))
        stored = Image.open(io.BytesIO(processed.content))
        stored.load()
        thumb_ms, _ = median_ms(lambda stored=stored: thumbnail_only(stored))
        detect_ms, found = median_ms(lambda stored=stored: detect(stored))
        rects = [(b.x, b.y, b.w, b.h) for b in found]
        blur_ms, _ = median_ms(
            lambda stored=stored, rects=rects: encode_public(blur_boxes(stored, rects), "JPEG")
        )
        labels = ",".join(sorted({b.label for b in found})) or "-"
        print(
            f"{name:<18} {upload_ms:>6.0f}ms {thumb_ms:>5.0f}ms {detect_ms:>6.0f}ms "
            f"{blur_ms:>7.0f}ms {detect_ms + blur_ms:>6.0f}ms {len(found):>3} {labels}"
        )
    print("task = detect + blur+encode (the worker's time per photo, after the upload's).")


if __name__ == "__main__":
    main()
