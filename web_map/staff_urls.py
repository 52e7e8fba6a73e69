"""Staff page routes; included from web_map.urls, so names are web_map:staff-*."""

from django.urls import path

from web_map import staff, staff_entry, staff_media, staff_places, staff_privacy
from web_map.staff_place_reports import (
    staff_place_history,
    staff_place_reports,
    staff_place_reports_csv,
)

urlpatterns = [
    path("can-bo/", staff.staff_queue, name="staff-queue"),
    path("can-bo/phan-anh/<uuid:public_id>/", staff.staff_report, name="staff-report"),
    path("can-bo/nhap-phan-anh/", staff_entry.staff_report_new, name="staff-report-new"),
    path("can-bo/du-lich/", staff_places.staff_places, name="staff-places"),
    path("can-bo/du-lieu-ca-nhan/", staff_privacy.staff_privacy, name="staff-privacy"),
    path(
        "can-bo/phan-anh/<uuid:public_id>/video/<int:video_id>/goc/",
        staff_media.staff_video_original,
        name="staff-video-original",
    ),
    path(
        "can-bo/phan-anh/<uuid:public_id>/anh/<int:photo_id>/goc/",
        staff_media.staff_photo_original,
        name="staff-photo-original",
    ),
]

# The tourism office's loop back from visitors' reports (web_map.staff_place_reports).
urlpatterns += [
    path(
        "can-bo/du-lich/phan-anh/",
        staff_place_reports,
        name="staff-place-reports",
    ),
    path(
        "can-bo/du-lich/phan-anh/csv/",
        staff_place_reports_csv,
        name="staff-place-reports-csv",
    ),
    path(
        "can-bo/du-lich/dia-diem/<uuid:public_id>/",
        staff_place_history,
        name="staff-place-history",
    ),
]
