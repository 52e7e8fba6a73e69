"""Staff redaction of a report's photo: its blur boxes, and republishing with new ones.

GET gives the photo's boxes (in the original's pixels) and its state; POST takes the whole
list staff want (existing boxes by id, new ones as x, y, w, h) and republishes the public
copy from the private original (gis_core.photo_redaction.photo_republish). Scoped like every
staff endpoint (a report outside the user's scope is a 404); the tourism office may not.
"""

from __future__ import annotations

import uuid

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView
from common.api.fields import StrictIntegerField
from common.api.serializers import StrictSerializer, strict_data
from gis_core.models import ReportPhoto
from gis_core.photo_redaction import MAX_BOXES, box_json, photo_republish
from gis_core.staff import can_redact_photos, reports_for_staff, staff_role

BOX_BODY_BYTES = 16 * 1024  # 50 boxes of five integers each, with room to spare
COORDINATE_MAX = 20_000  # photos.DEFAULT_MAX_SIDE


class BlurBoxSerializer(StrictSerializer):
    id = StrictIntegerField(required=False, min_value=1, max_value=2**31 - 1)
    x = StrictIntegerField(required=False, min_value=0, max_value=COORDINATE_MAX)
    y = StrictIntegerField(required=False, min_value=0, max_value=COORDINATE_MAX)
    w = StrictIntegerField(required=False, min_value=1, max_value=COORDINATE_MAX)
    h = StrictIntegerField(required=False, min_value=1, max_value=COORDINATE_MAX)

    def validate(self, attrs):
        if "id" not in attrs and not all(k in attrs for k in ("x", "y", "w", "h")):
            raise ValidationError(_("Mỗi vùng che mới cần đủ x, y, w và h (điểm ảnh)."))
        return attrs


class RedactionSerializer(StrictSerializer):
    boxes = BlurBoxSerializer(many=True, max_length=MAX_BOXES)  # type: ignore[call-arg]  # DRF 3.15+


def _photo_or_404(user, public_id: uuid.UUID, photo_id: int) -> ReportPhoto:
    report = reports_for_staff(user).filter(public_id=public_id).only("pk").first()
    photo = ReportPhoto.objects.filter(pk=photo_id, report_id=report.pk).first() if report else None
    if photo is None:
        raise Http404(_("Không có ảnh này trong phạm vi của bạn."))
    return photo


def redaction_json(photo: ReportPhoto) -> dict:
    return {
        "id": photo.pk,
        "width": photo.width,
        "height": photo.height,
        "redaction": photo.redaction,
        "redaction_label": str(photo.get_redaction_display()),
        "public_url": photo.image.url if photo.is_public else None,
        "boxes": [box_json(b) for b in photo.blur_boxes.all()],
    }


def _refused(detail: str) -> Response:
    return Response({"detail": detail}, status=403)


class StaffPhotoRedactionView(JsonAPIView):
    max_body_bytes = BOX_BODY_BYTES

    @extend_schema(
        operation_id="staff_photo_redaction",
        summary="A photo's blur boxes (original pixels) and whether it is published",
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, public_id: uuid.UUID, photo_id: int) -> Response:
        if staff_role(request.user) is None:
            return _refused(_("Chỉ dành cho cán bộ: hãy đăng nhập bằng tài khoản cán bộ."))
        return Response(redaction_json(_photo_or_404(request.user, public_id, photo_id)))

    @extend_schema(
        operation_id="staff_photo_republish",
        summary="Set a photo's blur boxes and republish it from the private original; audited",
        request=RedactionSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, public_id: uuid.UUID, photo_id: int) -> Response:
        if staff_role(request.user) is None:
            return _refused(_("Chỉ dành cho cán bộ: hãy đăng nhập bằng tài khoản cán bộ."))
        if not can_redact_photos(request.user):
            return _refused(_("Vai trò của bạn không được sửa vùng che của ảnh."))
        photo = _photo_or_404(request.user, public_id, photo_id)
        data = strict_data(RedactionSerializer, request.data)
        photo = photo_republish(photo_id=photo.pk, actor=request.user, boxes=data["boxes"])
        return Response(redaction_json(photo))
