"""Public representations. Hand-built GeoJSON (RFC 7946) for speed; never contact data."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from gis_core.models import Category, Report


def category_data(category: Category) -> dict[str, str]:
    return {"code": category.code, "name_vi": category.name_vi, "name_en": category.name_en}


def report_feature(report: Report, request=None, photos=None) -> dict[str, Any]:
    """One report as a GeoJSON Feature; the only shape any public endpoint gives a report.

    `photos` saves a query when the caller already holds them (a report just created).
    """
    ward = report.ward
    photo_data = []
    for photo in report.photos.all() if photos is None else photos:
        url, thumb = photo.image.url, photo.thumbnail.url
        if request is not None:
            url, thumb = request.build_absolute_uri(url), request.build_absolute_uri(thumb)
        photo_data.append(
            {"url": url, "thumbnail_url": thumb, "width": photo.width, "height": photo.height}
        )
    return {
        "type": "Feature",
        "id": str(report.public_id),
        "geometry": {
            "type": "Point",
            "coordinates": [round(report.location.x, 7), round(report.location.y, 7)],
        },
        "properties": {
            "id": str(report.public_id),
            "category": category_data(report.category),
            "description": report.description,
            "status": report.status,
            "status_label": report.get_status_display(),
            "ward": (
                {
                    "code": ward.code,
                    "name": ward.name,
                    "full_name": ward.full_name,
                    "version": ward.version.name,
                }
                if ward is not None
                else None
            ),
            "ward_match": report.ward_match,
            "ward_distance_m": (
                round(report.ward_distance_m, 1) if report.ward_distance_m is not None else None
            ),
            "reported_at": report.reported_at.isoformat(),
            "photos": photo_data,
        },
    }


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name_vi = serializers.CharField()
    name_en = serializers.CharField()


class ReportCreateSerializer(serializers.Serializer):
    """Documents the POST body (JSON or multipart); validation happens in report_submit."""

    category = serializers.CharField(help_text="Category code, e.g. moi_truong")
    description = serializers.CharField(max_length=4000)
    lon = serializers.FloatField(
        required=False, help_text="WGS84 longitude; optional with a GPS photo"
    )
    lat = serializers.FloatField(required=False, help_text="WGS84 latitude")
    contact = serializers.CharField(required=False, help_text="Phone or e-mail; private")
    contact_name = serializers.CharField(required=False)
    contact_phone = serializers.CharField(required=False)
    contact_email = serializers.CharField(required=False)
    idempotency_key = serializers.CharField(required=False, max_length=100)
    photos = serializers.ListField(child=serializers.FileField(), required=False)
