"""Report routes (public, reporter, staff, exports), included by config.api_urls."""

from django.urls import include, path, re_path

from gis_core.api import (
    auth_views,
    export_views,
    me_views,
    staff_photo_views,
    staff_views,
    suggest_views,
    views,
)

urlpatterns = [
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path(
        "categories/suggest/", suggest_views.CategorySuggestView.as_view(), name="category-suggest"
    ),
    path("privacy-notice/", views.PrivacyNoticeView.as_view(), name="privacy-notice"),
    path("reports/", views.ReportListCreateView.as_view(), name="report-list"),
    path("reports/duplicates/", views.ReportDuplicatesView.as_view(), name="report-duplicates"),
    path("reports/<uuid:public_id>/", views.ReportDetailView.as_view(), name="report-detail"),
    path(
        "reports/<uuid:public_id>/rating/",
        views.ReportRatingView.as_view(),
        name="report-rating",
    ),
    path("auth/code/", auth_views.LoginCodeView.as_view(), name="auth-code"),
    path("auth/login/", auth_views.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="auth-logout"),
    path("me/reports/", auth_views.MyReportsView.as_view(), name="my-reports"),
    path("me/export/", me_views.MyDataExportView.as_view(), name="my-export"),
    path("me/erasure/", me_views.MyErasureView.as_view(), name="my-erasure"),
    path("staff/reports/", staff_views.StaffReportListView.as_view(), name="staff-report-list"),
    path(
        "staff/reports/<uuid:public_id>/",
        staff_views.StaffReportDetailView.as_view(),
        name="staff-report-detail",
    ),
    path(
        "staff/reports/<uuid:public_id>/transition/",
        staff_views.StaffTransitionView.as_view(),
        name="staff-report-transition",
    ),
    path(
        "staff/reports/<uuid:public_id>/reroute/",
        staff_views.StaffRerouteView.as_view(),
        name="staff-report-reroute",
    ),
    path(
        "staff/reports/<uuid:public_id>/merge/",
        staff_views.StaffMergeView.as_view(),
        name="staff-report-merge",
    ),
    path(
        "staff/reports/<uuid:public_id>/category/",
        staff_views.StaffRecategoriseView.as_view(),
        name="staff-report-category",
    ),
    path(
        "staff/reports/<uuid:public_id>/priority/",
        staff_views.StaffPriorityView.as_view(),
        name="staff-report-priority",
    ),
    path(
        "staff/reports/<uuid:public_id>/photos/<int:photo_id>/redaction/",
        staff_photo_views.StaffPhotoRedactionView.as_view(),
        name="staff-photo-redaction",
    ),
    path("", include("gis_core.api.league_urls")),
    re_path(
        r"^exports/reports\.(?P<fmt>geojson|csv|gpkg)$",
        export_views.ReportExportView.as_view(),
        name="export-reports",
    ),
]
