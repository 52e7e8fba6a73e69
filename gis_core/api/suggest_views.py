"""`POST /api/v1/categories/suggest/`: the categories a description sounds like, for the
citizen's form while they type. Anonymous and cheap: the text is capped at a description's
length, the model is in memory, and nothing is written."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import PublicJsonAPIView
from common.api.fields import StrictCharField
from common.api.serializers import StrictSerializer, strict_data
from common.body_limits import REPORT_JSON_BODY_BYTES, body_limit
from gis_core.category_suggestions import suggest_categories

SUGGESTIONS = 3


class SuggestSerializer(StrictSerializer):
    text = StrictCharField(
        allow_blank=True,
        max_length=settings.REPORT_DESCRIPTION_MAX_CHARS,
        help_text="The description as typed so far",
    )


@body_limit(REPORT_JSON_BODY_BYTES)  # a description at most, even as \uXXXX escapes
class CategorySuggestView(PublicJsonAPIView):
    @extend_schema(
        operation_id="categories_suggest",
        summary="Suggested categories for a description (best first, probabilities)",
        description=(
            "`[{code, score}]`, at most three, from the city's own trained model; empty for a "
            "text under a few letters or while no model is trained. A suggestion only: the "
            "reporter chooses, and staff confirm."
        ),
        request=SuggestSerializer,
        responses={
            200: inline_serializer(
                "CategorySuggestion",
                {"code": serializers.CharField(), "score": serializers.FloatField()},
                many=True,
            ),
            400: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request: Request) -> Response:
        data = strict_data(SuggestSerializer, request.data)
        found = suggest_categories(data.get("text") or "", top=SUGGESTIONS)
        return Response([{"code": s.code, "score": s.score} for s in found])
