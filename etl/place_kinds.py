"""The codes of a place's kind and accommodation type, shared by the exchange files and the app.

They live here, in a module that imports nothing, so the file readers (which may import no
app) and ``layers.PointOfInterest.kind`` (issue 13, /work/notes/PLACES.md) use one list; a
test in tests/etl checks that the app's choices carry exactly these codes.
"""

from __future__ import annotations

PLACE_KINDS: tuple[str, ...] = (
    "attraction",
    "accommodation",
    "food",
    "ocop_shop",
    "market",
    "transport",
    "border_gate",
    "toilet",
    "info_point",
    "wifi",
)
ACCOMMODATION_TYPES: tuple[str, ...] = ("hotel", "guesthouse", "homestay")
