"""Photographs with faces that ship in a package, and a synthetic licence plate, for the
blur tests and the benchmark.

- `skimage.data.astronaut()`: a real photograph (NASA, public domain) of the astronaut
  Eileen Collins; her face is around (222, 115) of the 512×512 picture.
- `skimage.data.lfw_subset()`: 100 real faces (25×25, grey) from Labeled Faces in the Wild,
  then 100 patches without a face; a few faces are laid out as a "group photo" on a plain
  background, at known places.
- A plate: a white rectangle with a black frame and black characters (Vietnam's one-line
  plate, "29A 12345") on a red car body, drawn with OpenCV; no real plate is needed.
All of it is in the scikit-image and OpenCV wheels: nothing is downloaded.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image
from skimage import data as skdata

ASTRONAUT_FACE_CENTRE = (222, 115)
Rect = tuple[int, int, int, int]


def astronaut() -> Image.Image:
    return Image.fromarray(skdata.astronaut())


def jpeg_bytes(image: Image.Image, *, artist: str = "Nguyen Van A") -> bytes:
    """The image as a JPEG carrying an EXIF Artist tag (personal data that must go)."""
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x013B] = artist
    image.convert("RGB").save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def lfw_group(n: int = 6, scale: int = 4, first: int = 0) -> tuple[Image.Image, list[Rect]]:
    """`n` LFW patches from `first` on (0-99 are faces, 100-199 are not), each enlarged
    `scale` times, in a row with gaps on a grey wall; (image, their rects)."""
    faces = skdata.lfw_subset()[first : first + n]
    side = 25 * scale
    gap = side // 2
    width, height = gap + n * (side + gap), side * 3
    canvas = np.full((height, width), 150, np.uint8)
    rects = []
    for i, face in enumerate(faces):
        tile = cv2.resize(
            (face * 255).astype(np.uint8), (side, side), interpolation=cv2.INTER_CUBIC
        )
        x, y = gap + i * (side + gap), side
        canvas[y : y + side, x : x + side] = tile
        rects.append((x, y, side, side))
    return Image.fromarray(canvas).convert("RGB"), rects


def plate_photo(plate_width: int = 200, text: str = "29A 12345") -> tuple[Image.Image, Rect]:
    """A 640×480 street scene with a car body and its plate; (image, the plate's rect)."""
    img = np.full((480, 640, 3), (100, 90, 90), np.uint8)
    cv2.rectangle(img, (120, 150), (520, 420), (160, 40, 40), -1)  # RGB: a red car body
    h = int(plate_width * 0.22)
    x0, y0 = 320 - plate_width // 2, 330 - h // 2
    cv2.rectangle(img, (x0, y0), (x0 + plate_width, y0 + h), (245, 245, 245), -1)
    cv2.rectangle(img, (x0, y0), (x0 + plate_width, y0 + h), (0, 0, 0), max(2, plate_width // 100))
    font, scale, thick = cv2.FONT_HERSHEY_SIMPLEX, plate_width / 200, max(2, plate_width // 60)
    (tw, th), _ = cv2.getTextSize(text, font, scale, thick)
    origin = (x0 + (plate_width - tw) // 2, y0 + (h + th) // 2)
    cv2.putText(img, text, origin, font, scale, (0, 0, 0), thick, cv2.LINE_AA)
    return Image.fromarray(img), (x0, y0, plate_width, h)


def contains(box: Rect, point: tuple[float, float]) -> bool:
    x, y, w, h = box
    return x <= point[0] <= x + w and y <= point[1] <= y + h


def covered_fraction(box: Rect, target: Rect) -> float:
    """How much of `target` lies inside `box` (0 to 1)."""
    bx, by, bw, bh = box
    tx, ty, tw, th = target
    ix = max(0, min(bx + bw, tx + tw) - max(bx, tx))
    iy = max(0, min(by + bh, ty + th) - max(by, ty))
    return ix * iy / (tw * th)


def centre(rect: Rect) -> tuple[float, float]:
    return (rect[0] + rect[2] / 2, rect[1] + rect[3] / 2)


def region_difference(a: Image.Image, b: Image.Image, rect: Rect) -> float:
    """Mean absolute difference (0-255) of two same-sized images inside `rect`."""
    x, y, w, h = rect
    pa = np.asarray(a.convert("RGB"), np.float32)[y : y + h, x : x + w]
    pb = np.asarray(b.convert("RGB"), np.float32)[y : y + h, x : x + w]
    return float(np.abs(pa - pb).mean())


def outside_difference(a: Image.Image, b: Image.Image, rects: list[Rect]) -> float:
    """Mean absolute difference outside every rect."""
    pa = np.asarray(a.convert("RGB"), np.float32)
    pb = np.asarray(b.convert("RGB"), np.float32)
    mask = np.ones(pa.shape[:2], bool)
    for x, y, w, h in rects:
        mask[y : y + h, x : x + w] = False
    return float(np.abs(pa - pb)[mask].mean())
