"""The office's import and export of places and price lists (the files of docs/places-exchange.md).

Export: GET /api/v1/staff/places/export/<file>.<fmt>: places.csv, prices.csv, places.zip
(both CSVs), places.gpkg (layers places and prices); demo places only with ?demo=1.
Import: POST /api/v1/staff/places/import/ (multipart: places and optional prices CSVs, or
gpkg; dry_run): the etl readers check every row, then layers.places.exchange writes all or
nothing. A dry run does the whole work and rolls it back, so it finds what a real import
would; either way the problems come back as "dòng N: cột: lý do" under their file.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.serializers import strict_data
from common.humanize import human_size
from common.strict_types import TypeProblem, parse_bool
from common.uploads import FileLimit, UploadLimits
from common.validation import FieldErrors
from etl.places import ReadResult, read_places_csv, read_places_gpkg, read_prices_csv
from etl.places_write import write_places_csv, write_places_gpkg, write_prices_csv
from layers.api.staff_place_params import ImportBodySerializer
from layers.api.staff_place_views import StaffPlacesAPIView
from layers.places.exchange import ImportRefused, export_records, import_records

DEFAULT_IMPORT_MAX_BYTES = 20 * 1024 * 1024  # a city's places and prices are well under 1 MB
IMPORT_FIELDS = ("places", "prices", "gpkg")
NAME_SHOWN = 80
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "gpkg": "application/geopackage+sqlite3",
}
EXPORTS = {("places", "csv"), ("prices", "csv"), ("places", "zip"), ("places", "gpkg")}


def import_max_bytes() -> int:
    return int(getattr(settings, "PLACES_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES))


def _import_limits() -> UploadLimits:
    max_bytes = import_max_bytes()

    def limit(field: str) -> FileLimit:
        return FileLimit(
            count=1,
            max_bytes=max_bytes,
            too_many=lambda n: _("Chỉ nhận một tệp ở mục %(field)s.") % {"field": field},
            too_large=lambda name: (
                _("“%(name)s”: tệp lớn hơn giới hạn %(limit)s.")
                % {"name": name, "limit": human_size(max_bytes)}
            ),
        )

    return UploadLimits(files={field: limit(field) for field in IMPORT_FIELDS})


class StaffPlaceExportView(StaffPlacesAPIView):
    @extend_schema(
        operation_id="staff_places_export",
        summary="Download places and price lists: places.csv, prices.csv, places.zip, places.gpkg",
        parameters=[OpenApiParameter("demo", bool, description="include demo places")],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, file: str, fmt: str) -> HttpResponse:
        if (file, fmt) not in EXPORTS:
            raise FieldErrors({"file": [_("Không có tệp xuất này.")]})
        try:
            with_demo = parse_bool(request.query_params.get("demo") or "0", form_words=True)
        except TypeProblem as exc:
            raise FieldErrors({"demo": [exc.message]}) from exc
        places, prices = export_records(with_demo=with_demo)
        with tempfile.TemporaryDirectory(prefix="ht-places-") as folder:
            root = Path(folder)
            if fmt == "gpkg":
                data = write_places_gpkg(root / "places.gpkg", places, prices).read_bytes()
            elif fmt == "zip":
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                    archive.write(write_places_csv(root / "places.csv", places), "places.csv")
                    archive.write(write_prices_csv(root / "prices.csv", prices), "prices.csv")
                data = buffer.getvalue()
            elif file == "prices":
                data = write_prices_csv(root / "prices.csv", prices).read_bytes()
            else:
                data = write_places_csv(root / "places.csv", places).read_bytes()
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{file}.{fmt}"'
        response["Cache-Control"] = "private, no-store"
        return response


def _shown_name(upload: Any, default: str) -> str:
    """The uploaded file's own name (no folders), cut, for the problems' headings."""
    return PurePath(str(upload.name or default).replace("\\", "/")).name[:NAME_SHOWN] or default


def _save(upload: Any, path: Path) -> Path:
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _uploads(request: Request) -> dict[str, Any]:
    files = {field: request.FILES.get(field) for field in IMPORT_FIELDS}
    errors: dict[str, list[str]] = {}
    if files["gpkg"] is not None and (files["places"] or files["prices"]):
        errors["gpkg"] = [_("Gửi GeoPackage hoặc tệp CSV, không gửi cả hai.")]
    elif files["gpkg"] is None and files["places"] is None:
        errors["places"] = [_("Hãy chọn tệp địa điểm (CSV) hoặc một GeoPackage.")]
    for field, suffix in (("places", ".csv"), ("prices", ".csv"), ("gpkg", ".gpkg")):
        upload = files[field]
        if upload is not None and not str(upload.name or "").lower().endswith(suffix):
            errors[field] = [
                _("“%(name)s”: tệp ở mục này phải có đuôi %(suffix)s.")
                % {"name": _shown_name(upload, field), "suffix": suffix}
            ]
    if errors:
        raise FieldErrors(errors)
    return files


class StaffPlaceImportView(StaffPlacesAPIView):
    upload_limits = staticmethod(_import_limits)  # each file checked as the body streams

    @extend_schema(
        operation_id="staff_places_import",
        summary="Import places (CSV, optional prices CSV, or a GeoPackage); all or nothing; "
        "dry_run checks without writing",
        request={"multipart/form-data": ImportBodySerializer},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        form = QueryDict(mutable=True)  # read as a form: "1"/"0" are the form's words
        form["dry_run"] = request.data.get("dry_run") or "0"
        dry_run = bool(strict_data(ImportBodySerializer, form, partial=True).get("dry_run"))
        files = _uploads(request)
        with tempfile.TemporaryDirectory(prefix="ht-import-") as folder:
            root = Path(folder)
            if files["gpkg"] is not None:
                shown = _shown_name(files["gpkg"], "places.gpkg")
                places, prices = read_places_gpkg(_save(files["gpkg"], root / "in.gpkg"))
                sources = (f"{shown} (places)", f"{shown} (prices)")
            else:
                places = read_places_csv(_save(files["places"], root / "places.csv"))
                prices = (
                    read_prices_csv(_save(files["prices"], root / "prices.csv"))
                    if files["prices"] is not None
                    else ReadResult()
                )
                sources = (
                    _shown_name(files["places"], "places.csv"),
                    _shown_name(files["prices"], "prices.csv") if files["prices"] else "",
                )
            warnings = places.warnings + prices.warnings
            try:
                counts = import_records(
                    places=places, prices=prices, sources=sources, user=request.user,
                    dry_run=dry_run,
                )  # fmt: skip
            except ImportRefused as exc:
                return Response(
                    {
                        "detail": exc.heading(),
                        "problems": exc.problems,
                        "warnings": warnings,
                        "dry_run": dry_run,
                    },
                    status=400,
                )
        summary = counts.summary()
        if dry_run:
            summary = f"{summary} {_('Chạy thử: không có gì được lưu.')}"
        return Response(
            {
                "dry_run": dry_run,
                "summary": summary,
                "counts": vars(counts),
                "warnings": warnings,
            }
        )
