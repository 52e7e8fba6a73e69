"""Where the places services live (helper "places", issue 13), found once for both commands.

They are written on a parallel branch as keyword-only functions place_create, place_update
and price_set in a module layers/places*.py; the first candidate that defines all three is
used, so these commands need no change whichever name that module gets when merged.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

CANDIDATES = ("layers.places_services", "layers.places", "layers.services")
FUNCTIONS = ("place_create", "place_update", "price_set")


def place_services() -> ModuleType:
    """The module holding place_create, place_update and price_set."""
    for name in CANDIDATES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        if all(callable(getattr(module, function, None)) for function in FUNCTIONS):
            return module
    raise CommandError(
        _("Chưa có dịch vụ địa điểm (place_create, place_update, price_set) trong layers.")
    )
