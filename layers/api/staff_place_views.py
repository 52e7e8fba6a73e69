"""/api/v1/staff/places/...: the tourism office's editing API (the page /can-bo/du-lich/).

Session auth with CSRF (DRF's SessionAuthentication checks it on every unsafe method).
The tourism office and administrators only (layers.places.access); everyone else gets a
403 in their language. Every write goes through layers.places.services, which checks it
(FieldErrors: the API's 400 naming each field, nothing written) and audits it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView
from common.api.serializers import strict_data
from common.validation import FieldErrors
from gis_core.photo_storage import check_media_quota
from gis_core.photos import PhotoError, process_photo
from gis_core.upload_limits import photo_uploads
from layers.api.staff_place_json import list_item, place_detail
from layers.api.staff_place_params import (
    PhotoBodySerializer,
    PlaceBodySerializer,
    PriceBodySerializer,
    PriceCloseSerializer,
    close_day,
    place_values,
    price_values,
)
from layers.models import PlaceKind, PlacePhoto, PointOfInterest
from layers.places import services
from layers.places.access import can_edit_places, refusal_message, with_verifier
from layers.places.office import (
    OFFICE_LIST_MAX,
    office_place,
    office_places,
    place_changes,
    price_history,
    price_of,
)

Q_MAX_CHARS = 100


class StaffPlacesAPIView(JsonAPIView):
    """Refuses anyone but the tourism office and administrators, before any work."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not can_edit_places(request.user):
            raise PermissionDenied(refusal_message(request.user))


def place_or_404(public_id: uuid.UUID) -> PointOfInterest:
    place = office_place(public_id)
    if place is None:
        raise Http404(_("Không có địa điểm này."))
    return place


def detail_response(place: PointOfInterest, status: int = 200, **extra: Any) -> Response:
    fresh = place_or_404(place.public_id)  # the ward, photos and prices as now stored
    body = place_detail(fresh, price_history(fresh), place_changes(fresh))
    return Response({**body, **extra}, status=status)


def _list_params(request: Request) -> tuple[str, str]:
    q = str(request.query_params.get("q") or "").strip()
    kind = str(request.query_params.get("kind") or "").strip()
    errors: dict[str, list[str]] = {}
    if len(q) > Q_MAX_CHARS:
        errors["q"] = [_("q dài tối đa %(max)s ký tự.") % {"max": Q_MAX_CHARS}]
    if kind and kind not in PlaceKind.values:
        errors["kind"] = [_("kind (loại địa điểm) không hợp lệ: %(value)s.") % {"value": kind[:40]}]
    if errors:
        raise FieldErrors(errors)
    return q, kind


class StaffPlaceListView(StaffPlacesAPIView):
    @extend_schema(
        operation_id="staff_places_list",
        summary="Every place for the tourism office's map (q: names/address, kind)",
        parameters=[
            OpenApiParameter("q", str, description="text in the names or the address"),
            OpenApiParameter("kind", str, description="one kind (PlaceKind)"),
        ],
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        q, kind = _list_params(request)
        found = office_places(q=q, kind=kind, limit=OFFICE_LIST_MAX)
        return Response(
            {
                "count": found.count,
                "truncated": found.count > len(found.places),
                "places": [list_item(p) for p in found.places],
            }
        )

    @extend_schema(
        operation_id="staff_places_create",
        summary="Add a place (name, kind, lon, lat, ...); audited",
        request=PlaceBodySerializer,
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        values = with_verifier(place_values(request.data), request.user)
        place = services.place_create(user=request.user, values=values)
        return detail_response(place, status=201)


class StaffPlaceDetailView(StaffPlacesAPIView):
    @extend_schema(
        operation_id="staff_places_detail",
        summary="One place with its price history, photos and audit trail",
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, public_id: uuid.UUID) -> Response:
        return detail_response(place_or_404(public_id))

    @extend_schema(
        operation_id="staff_places_update",
        summary="Change some fields of a place (only those sent); audited",
        request=PlaceBodySerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def patch(self, request: Request, public_id: uuid.UUID) -> Response:
        place = place_or_404(public_id)
        changed = services.place_update(
            user=request.user,
            place=place,
            values=with_verifier(place_values(request.data), request.user),
        )
        return detail_response(place, changed=changed)

    @extend_schema(
        operation_id="staff_places_delete",
        summary="Delete a place with its prices and photos; the audit keeps what it was",
        responses={204: None, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def delete(self, request: Request, public_id: uuid.UUID) -> Response:
        services.place_delete(user=request.user, place=place_or_404(public_id))
        return Response(status=204)


class StaffPlacePriceView(StaffPlacesAPIView):
    @extend_schema(
        operation_id="staff_places_price_add",
        summary="List a price (closes the same item's current row the day before); audited",
        request=PriceBodySerializer,
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        place = place_or_404(public_id)
        price, written = services.price_set(
            user=request.user, place=place, values=price_values(request.data)
        )
        return detail_response(place, status=201 if written else 200, price_id=price.pk)


class StaffPlacePriceCloseView(StaffPlacesAPIView):
    @extend_schema(
        operation_id="staff_places_price_close",
        summary="End a listed price on valid_to (its last day); audited",
        request=PriceCloseSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, public_id: uuid.UUID, price_id: int) -> Response:
        place = place_or_404(public_id)
        price = price_of(place, price_id)
        if price is None:
            raise Http404(_("Không có giá này."))
        services.price_close(user=request.user, price=price, valid_to=close_day(request.data))
        return detail_response(place)


def _photo_limits():
    return photo_uploads("image")


class StaffPlacePhotoView(StaffPlacesAPIView):
    upload_limits = staticmethod(_photo_limits)  # checked as the body streams

    @extend_schema(
        operation_id="staff_places_photo_add",
        summary="Add a photo (multipart: image, credit); re-encoded, metadata dropped; audited",
        request={"multipart/form-data": PhotoBodySerializer},
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        place = place_or_404(public_id)
        upload = request.FILES.get("image")
        errors: dict[str, list[str]] = {}
        try:
            credit = strict_data(
                PhotoBodySerializer, {"credit": request.data.get("credit")}, partial=True
            ).get("credit")
        except FieldErrors as exc:
            errors.update(exc.errors)
            credit = None
        if upload is None:
            errors["image"] = [_("image (tệp ảnh) là bắt buộc.")]
        if errors:
            raise FieldErrors(errors)
        if not str(credit or "").strip():  # before the photo is decoded: the cheaper check
            raise FieldErrors({"credit": [_("credit (tác giả và giấy phép của ảnh) là bắt buộc.")]})
        name = (upload.name or "photo")[-80:]
        try:
            processed = process_photo(upload.read(), name=name)
        except PhotoError as exc:
            raise FieldErrors({"image": [str(exc)]}) from exc
        check_media_quota(len(processed.content))
        image = ContentFile(processed.content, name=f"{uuid.uuid4().hex}.{processed.extension}")
        order = place.photos.count()
        services.photo_add(
            user=request.user, place=place, image=image, credit=str(credit), sort_order=order
        )
        return detail_response(place, status=201)


class StaffPlacePhotoRemoveView(StaffPlacesAPIView):
    @extend_schema(
        operation_id="staff_places_photo_remove",
        summary="Remove a photo and its file; audited",
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def delete(self, request: Request, public_id: uuid.UUID, photo_id: int) -> Response:
        place = place_or_404(public_id)
        photo = PlacePhoto.objects.filter(place=place, pk=photo_id).select_related("place").first()
        if photo is None:
            raise Http404(_("Không có ảnh này."))
        services.photo_remove(user=request.user, photo=photo)
        return detail_response(place)
