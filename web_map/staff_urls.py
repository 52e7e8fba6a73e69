"""Staff page routes; included from web_map.urls, so names are web_map:staff-*."""

from django.urls import path

from web_map import staff, staff_entry, staff_media, staff_places, staff_privacy

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
]
