"""Finding faces and licence plates in a photo, with the detectors that ship inside OpenCV.

The Haar cascades come in the `opencv-python-headless` wheel (`cv2.data.haarcascades`), so
nothing is downloaded at run time and the city's machine needs no GPU. OpenCV 5 dropped the
cascades from its wheels, hence the `<5` pin in pyproject.toml.

- Faces: the frontal cascade, and the profile cascade on the image and on its mirror (it is
  trained on one side only).
- Plates: `haarcascade_russian_plate_number.xml`. It was trained on Russian plates (one line
  of black characters on white), which look like Vietnam's long one-line plates; the
  two-line square plates of motorbikes are found less often. Its boxes are loose (shifted by
  up to a quarter of the plate's width), hence the wide margins below.

Measured (tests/gis_core/test_photo_blur.py, benchmarks/bench_blur.py): the astronaut's face
found; 95 of the 100 faces of scikit-image's LFW subset, each alone on a grey wall (1 box on
the 100 patches without a face); 7 synthetic plates of 100-400 px wide all covered.

Detection runs on a copy at most DETECT_EDGE pixels on its long side (time grows with the
pixel count; a face under ~24 px at that scale, ~38 px in a 2048 px photo, is missed) and
the boxes are scaled back.
Every box gets a margin (hair, ears, the plate's frame), and overlapping boxes are merged, so
staff see one box per face. What a cascade misses, staff add by hand (gis_core.photo_redaction).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from PIL import Image

DETECT_EDGE = 1280
FACE_MIN_PX = 24  # at detection scale
PLATE_MIN = (40, 12)
# Fraction of the box's own width/height added on each side.
FACE_MARGIN = (0.20, 0.20)
PLATE_MARGIN = (0.25, 0.30)
# More neighbours: fewer false boxes, more missed ones. Plates at 3 (measured on synthetic
# plates: 27/28 found, no false box on the scikit-image sample photos), faces at 5.
FACE_NEIGHBOURS = 5
PLATE_NEIGHBOURS = 3

_lock = threading.Lock()  # one classifier object is not safe to share between threads


@dataclass(frozen=True)
class Box:
    """A rectangle in the photo's pixels, with what the detector took it for."""

    x: int
    y: int
    w: int
    h: int
    label: str  # "face" | "plate" | "other"

    def area(self) -> int:
        return self.w * self.h


@cache
def _cascade(name: str) -> cv2.CascadeClassifier:
    folder: str = cv2.data.haarcascades  # type: ignore[attr-defined]  # not in cv2's stubs
    classifier = cv2.CascadeClassifier(folder + name)
    if classifier.empty():  # pragma: no cover - a broken OpenCV install
        raise RuntimeError(f"OpenCV cascade {name} is missing from this installation.")
    return classifier


def _detect(name: str, gray: np.ndarray, neighbours: int, min_size: tuple[int, int]) -> list:
    found = _cascade(name).detectMultiScale(
        gray, scaleFactor=1.1, minNeighbors=neighbours, minSize=min_size
    )
    return [tuple(int(v) for v in row) for row in found] if len(found) else []


def _with_margin(box: Box, margin: tuple[float, float], width: int, height: int) -> Box:
    dx, dy = round(box.w * margin[0]), round(box.h * margin[1])
    x0, y0 = max(0, box.x - dx), max(0, box.y - dy)
    x1, y1 = min(width, box.x + box.w + dx), min(height, box.y + box.h + dy)
    return Box(x0, y0, x1 - x0, y1 - y0, box.label)


def _overlap(a: Box, b: Box) -> bool:
    """Intersection over the smaller box above 30 %: the same face found twice."""
    ix = max(0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    return ix * iy > 0.3 * min(a.area(), b.area())


def merge_boxes(boxes: list[Box]) -> list[Box]:
    """Overlapping boxes joined into their union (repeated until none overlap)."""
    merged = list(boxes)
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                a, b = merged[i], merged[j]
                if _overlap(a, b):
                    x0, y0 = min(a.x, b.x), min(a.y, b.y)
                    x1, y1 = max(a.x + a.w, b.x + b.w), max(a.y + a.h, b.y + b.h)
                    label = a.label if a.area() >= b.area() else b.label
                    merged[i] = Box(x0, y0, x1 - x0, y1 - y0, label)
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return sorted(merged, key=lambda b: (b.y, b.x))


def detect(image: Image.Image) -> list[Box]:
    """Faces and plates in `image` (any mode), as boxes with margins in its own pixels."""
    width, height = image.size
    scale = min(1.0, DETECT_EDGE / max(width, height))
    gray_image = image.convert("L")
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        gray_image = gray_image.resize(size, Image.Resampling.BILINEAR)
    # No histogram equalisation: on photos with large plain areas it cost faces (61 of the 100
    # LFW faces found with it on a grey wall, 95 without; the same plates either way).
    gray = np.ascontiguousarray(np.asarray(gray_image, dtype=np.uint8))
    mirror = cv2.flip(gray, 1)
    gw = gray.shape[1]
    found: list[tuple[tuple[int, int, int, int], str]] = []
    face_min = (FACE_MIN_PX, FACE_MIN_PX)
    with _lock:
        for rect in _detect("haarcascade_frontalface_default.xml", gray, FACE_NEIGHBOURS, face_min):
            found.append((rect, "face"))
        for rect in _detect("haarcascade_profileface.xml", gray, FACE_NEIGHBOURS, face_min):
            found.append((rect, "face"))
        for x, y, w, h in _detect("haarcascade_profileface.xml", mirror, FACE_NEIGHBOURS, face_min):
            found.append(((gw - x - w, y, w, h), "face"))
        for rect in _detect(
            "haarcascade_russian_plate_number.xml", gray, PLATE_NEIGHBOURS, PLATE_MIN
        ):
            found.append((rect, "plate"))
    boxes = []
    for (x, y, w, h), label in found:
        box = Box(round(x / scale), round(y / scale), round(w / scale), round(h / scale), label)
        margin = FACE_MARGIN if label == "face" else PLATE_MARGIN
        boxes.append(_with_margin(box, margin, width, height))
    return merge_boxes([b for b in boxes if b.w > 0 and b.h > 0])
