"""GeoReport v2 representations of categories and reports. Never the reporter's contact."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from common.api.fields import StrictCharField, StrictFloatField
from common.api.serializers import StrictSerializer
from gis_core.models import CLOSED_STATUSES, Category, RejectionReason, Report, ReportStatus

SERVICE_GROUP = "Phản ánh hiện trường"


def w3c(value: dt.datetime | None) -> str | None:
    """W3C datetime with the city's offset, e.g. 2026-11-23T19:54:10+07:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def service_data(category: Category) -> dict[str, Any]:
    description = category.name_en
    if category.description_vi or category.description_en:
        extra = " / ".join(d for d in (category.description_vi, category.description_en) if d)
        description = f"{category.name_en}. {extra}"
    return {
        "service_code": category.code,
        "service_name": category.name_vi,
        "description": description,
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join([category.code.replace("_", " "), category.name_en]),
        "group": SERVICE_GROUP,
    }


def service_definition(category: Category) -> dict[str, Any]:
    """No extra attributes: a report is a description, a point and optional photos."""
    return {"service_code": category.code, "attributes": []}


def open_or_closed(status: str) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def status_notes(report: Report) -> str:
    """The detailed status, then what the public may read: the rejection reason, the answer
    and the latest public note of the history (transitions prefetched, newest last)."""
    parts = [f"{ReportStatus(report.status).label} ({report.status})"]
    if report.status == ReportStatus.REJECTED and report.rejection_reason:
        reason = dict(RejectionReason.choices).get(report.rejection_reason)
        parts.append(_("Lý do: %(reason)s") % {"reason": reason or report.rejection_reason})
    if report.status == ReportStatus.RESOLVED and report.answer:
        parts.append(report.answer)
    notes = [t.public_note for t in report.transitions.all() if t.public_note]
    if notes and notes[-1] not in parts:
        parts.append(notes[-1])
    return " — ".join(parts)


def address(ward_full_name: str | None) -> str | None:
    """The ward (the only address the city keeps for a report) and the city."""
    return f"{ward_full_name}, {settings.CITY_NAME}" if ward_full_name else None


def request_data(report: Report, request: HttpRequest) -> dict[str, Any]:
    """One service request. Category, ward, agency, photos and transitions must be loaded."""
    photos = [p for p in report.photos.all() if p.is_public]  # blurred and published only
    ward = report.ward
    return {
        "service_request_id": str(report.public_id),
        "status": open_or_closed(report.status),
        "status_notes": status_notes(report),
        "service_name": report.category.name_vi,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.agency.name if report.agency else "",
        "service_notice": "",
        "requested_datetime": w3c(report.reported_at),
        "updated_datetime": w3c(report.updated_at),
        "expected_datetime": w3c(report.due_at),
        "address": address(ward.full_name or ward.name if ward else None),
        "address_id": None,
        "zipcode": None,
        "lat": round(report.location.y, 7),
        "long": round(report.location.x, 7),
        "media_url": request.build_absolute_uri(photos[0].image.url) if photos else None,
    }


def created_data(row: dict[str, Any]) -> dict[str, Any]:
    """The answer to a POST: the id at once (no token), and the ward the report went to."""
    ward = row.get("full_name") or row.get("ward_name")
    where = address(ward) if ward else _("ngoài ranh giới phường/xã")
    return {
        "service_request_id": str(row["public_id"]),
        # In the client's language (Accept-Language), the status code in brackets as ever.
        "service_notice": _("Đã tiếp nhận phản ánh (%(status)s) — %(where)s")
        % {"status": "received", "where": where},
        "account_id": None,
    }


def _text() -> StrictCharField:
    return StrictCharField(required=False, allow_blank=True)


class ServiceRequestInput(StrictSerializer):
    """The types of a POST's form fields (GeoReport v2 names): each given once, lat and long
    ASCII decimal numbers. What the values say is checked by report_submit."""

    service_code = _text()
    lat = StrictFloatField(required=False, allow_null=True)
    long = StrictFloatField(required=False, allow_null=True)
    address_string = _text()
    address_id = _text()
    description = _text()
    media_url = _text()
    first_name = _text()
    last_name = _text()
    phone = _text()
    email = _text()
    account_id = _text()
