"""Draws the app icons of the citizen PWA (a white map pin on the brand red) with Pillow.

Run once after changing the design; the PNGs are committed under web_map/static/web_map/icons/:

    .venv/bin/python scripts/make_pwa_icons.py

"any" icons fill the square with rounded corners; the maskable one keeps the pin inside the
central 80 % safe zone (the launcher crops it to a circle or squircle) on a full red square.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

RED = (178, 24, 43, 255)  # #b2182b
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parents[1] / "web_map" / "static" / "web_map" / "icons"
SUPERSAMPLE = 4  # drawn large, then scaled down: smooth edges without an anti-aliasing API


def _pin(draw: ImageDraw.ImageDraw, size: int, scale: float) -> None:
    """A teardrop pin with a red hole, centred; `scale` is the pin height / icon size."""
    height = size * scale
    radius = height * 0.36
    cx = size / 2
    top = (size - height) / 2
    cy = top + radius
    tip = top + height
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=WHITE)
    # The point: a triangle from the circle's widest tangents down to the tip.
    half = radius * 0.86
    shoulder = cy + radius * 0.5
    draw.polygon([(cx - half, shoulder), (cx + half, shoulder), (cx, tip)], fill=WHITE)
    hole = radius * 0.42
    draw.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=RED)


def icon(size: int, *, maskable: bool = False, rounded: bool = True) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable or not rounded:
        draw.rectangle((0, 0, big, big), fill=RED)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.18, fill=RED)
    _pin(draw, big, 0.5 if maskable else 0.68)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon(192).save(OUT / "icon-192.png", optimize=True)
    icon(512).save(OUT / "icon-512.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    # iOS rounds the corners itself and shows transparency as black: a full square, opaque.
    icon(180, rounded=False).convert("RGB").save(OUT / "apple-touch-icon-180.png", optimize=True)
    icon(32).save(OUT / "favicon-32.png", optimize=True)
    for path in sorted(OUT.glob("*.png")):
        print(path.relative_to(OUT.parents[3]), path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
