"""Blurring rectangles of a photo so that what was there cannot be recovered.

A light Gaussian blur can be partly undone (deconvolution) and a face stays recognisable
under it; so each box is first pixelated to blocks of about a sixth of its short side (all
detail finer than a block is averaged away for good: only ~6×6 colours remain of a face),
then smoothed with a Gaussian of the block's size, which hides the block edges without
bringing anything back. The pixels outside the boxes are untouched.
"""

from __future__ import annotations

from collections.abc import Iterable

from PIL import Image, ImageFilter

BLOCKS_ACROSS = 6  # blocks over the box's short side
MIN_BLOCK_PX = 6


def block_size(w: int, h: int) -> int:
    return max(MIN_BLOCK_PX, min(w, h) // BLOCKS_ACROSS)


def blur_boxes(image: Image.Image, boxes: Iterable[tuple[int, int, int, int]]) -> Image.Image:
    """A copy of `image` with every (x, y, w, h) box pixelated and smoothed (clipped to it)."""
    out = image.copy()
    width, height = out.size
    for x, y, w, h in boxes:
        x0, y0 = max(0, int(x)), max(0, int(y))
        x1, y1 = min(width, int(x) + int(w)), min(height, int(y) + int(h))
        if x1 - x0 < 1 or y1 - y0 < 1:
            continue
        region = out.crop((x0, y0, x1, y1))
        block = block_size(x1 - x0, y1 - y0)
        small = region.resize(
            (max(1, (x1 - x0) // block), max(1, (y1 - y0) // block)), Image.Resampling.BOX
        )
        coarse = small.resize(region.size, Image.Resampling.NEAREST)
        out.paste(coarse.filter(ImageFilter.GaussianBlur(radius=block / 2)), (x0, y0))
    return out
