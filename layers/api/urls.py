"""Map-layer routes, included under api/v1/ in the "api" namespace by config.api_urls."""

from django.urls import path, re_path

from layers.api import (
    board_views,
    count_views,
    export_views,
    heat_views,
    hotspot_views,
    place_report_views,
    place_views,
    views,
    ward_views,
)

urlpatterns = [
    path("wards/", ward_views.WardListView.as_view(), name="ward-list"),
    path("reports/heat/", heat_views.ReportHeatView.as_view(), name="report-heat"),
    path("reports/grid/", heat_views.ReportGridView.as_view(), name="report-grid"),
    path("layers/", views.LayerListView.as_view(), name="layer-list"),
    path("pois/", views.PoiListView.as_view(), name="poi-list"),
    path("places/", place_views.PlaceListView.as_view(), name="place-list"),
    path("places/<uuid:public_id>/", place_views.PlaceDetailView.as_view(), name="place-detail"),
    path(
        "places/<uuid:public_id>/reports/",
        place_report_views.PlaceReportCreateView.as_view(),
        name="place-reports",
    ),
    path("reports/count/", count_views.ReportCountView.as_view(), name="report-count"),
    path("hotspots/", hotspot_views.HotspotView.as_view(), name="hotspots"),
    path("staff/board/", board_views.StaffBoardView.as_view(), name="staff-board"),
    path("wifi/nearest/", views.WifiNearestView.as_view(), name="wifi-nearest"),
    re_path(
        r"^exports/layers/(?P<key>[-a-z0-9_]+)\.(?P<fmt>geojson|csv|gpkg)$",
        export_views.LayerExportView.as_view(),
        name="export-layer",
    ),
]
