"""/can-bo/du-lich/: the tourism office's page for places, prices and photos on a map.

The page is a shell: staff_places.js reads and writes through /api/v1/staff/places/...
(layers.api.staff_place_views), which checks the role again on every request. The same
rule (layers.places.access) decides who sees this page and its link in the staff header.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from layers.models import AccommodationType, PlaceKind
from layers.places.access import can_edit_places, refusal_message
from web_map.staff_shell import page_config, role_label, staff_required

PLACE_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
EXPORTS = (("places", "csv"), ("prices", "csv"), ("places", "zip"), ("places", "gpkg"))


def _api_urls() -> dict[str, str]:
    """The API's routes as patterns ({id}, {price}, {photo}) for the script (api.fillUrl)."""

    def pattern(name: str, **kwargs: object) -> str:
        url = reverse(f"api:{name}", kwargs={"public_id": PLACE_PLACEHOLDER, **kwargs})
        return url.replace(PLACE_PLACEHOLDER, "{id}").replace("/999999/", "/{n}/")

    return {
        "list": reverse("api:staff-places"),
        "import": reverse("api:staff-places-import"),
        "place": pattern("staff-place"),
        "prices": pattern("staff-place-prices"),
        "priceClose": pattern("staff-place-price-close", price_id=999999),
        "photos": pattern("staff-place-photos"),
        "photo": pattern("staff-place-photo", photo_id=999999),
        **{
            f"export_{file}_{fmt}": reverse(
                "api:staff-places-export", kwargs={"file": file, "fmt": fmt}
            )
            for file, fmt in EXPORTS
        },
    }


@require_safe
@staff_required
def staff_places(request: HttpRequest) -> HttpResponse:
    if not can_edit_places(request.user):
        raise PermissionDenied(refusal_message(request.user))
    config = {
        **page_config(request),
        "api": _api_urls(),
        "kinds": [[value, str(label)] for value, label in PlaceKind.choices],
        "accommodationTypes": [[value, str(label)] for value, label in AccommodationType.choices],
        "staleDays": settings.TOURISM_PRICE_STALE_DAYS,
    }
    context = {
        "config": config,
        "role_label": role_label(request.user),
        "kinds": PlaceKind.choices,
        "accommodation_types": AccommodationType.choices,
        "stale_days": settings.TOURISM_PRICE_STALE_DAYS,
    }
    return render(request, "web_map/staff_places.html", context)
