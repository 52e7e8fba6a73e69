"""The base of every API view: JSON only, so content negotiation is a constant.

DRF's default negotiation parses the Accept header and the query string (for ?format=) on
every request, about 0.2 ms: a fifth of a report submission's whole cost.
"""

from __future__ import annotations

from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from common.api.errors import add_error_code
from common.validation import FieldErrors, nul_errors


class JsonOnlyNegotiation(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        content_type = request.content_type or ""
        for parser in parsers:
            if content_type.startswith(parser.media_type):
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return (renderers[0], renderers[0].media_type)


class JsonAPIView(APIView):
    renderer_classes = (JSONRenderer,)
    content_negotiation_class = JsonOnlyNegotiation

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A NUL in any parameter or text field is refused here, once for every view: PostgreSQL
        # cannot take it, and each filter or serializer would otherwise turn it into a 500.
        # The body's size was checked before (common.body_limits, in process_view).
        errors = nul_errors(kwargs) or nul_errors(request.query_params)
        if not errors and request.method in ("POST", "PUT", "PATCH"):
            errors = nul_errors(request.data)
        if errors:
            raise FieldErrors(errors)

    def finalize_response(self, request, response, *args, **kwargs):
        # One place for every error answer of every view, whether raised or returned.
        if response.status_code >= 400 and hasattr(response, "data"):
            response.data = add_error_code(response.data, response.status_code)
        return super().finalize_response(request, response, *args, **kwargs)


class PublicJsonAPIView(JsonAPIView):
    """A public read-only endpoint: no session lookup, since nothing depends on who asks."""

    authentication_classes = ()
