"""Map-layer routes, included under api/v1/ in the "api" namespace by config.api_urls."""

from django.urls import path, re_path

from layers.api import (
    board_views,
    count_views,
    export_views,
    forecast_views,
    heat_views,
    hotspot_views,
    place_map_views,
    place_report_views,
    place_views,
    staff_place_exchange_views,
    staff_place_views,
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
    path("staff/forecasts/", forecast_views.StaffForecastView.as_view(), name="staff-forecasts"),
    path("staff/places/", staff_place_views.StaffPlaceListView.as_view(), name="staff-places"),
    path(
        "staff/places/import/",
        staff_place_exchange_views.StaffPlaceImportView.as_view(),
        name="staff-places-import",
    ),
    re_path(
        r"^staff/places/export/(?P<file>places|prices)\.(?P<fmt>csv|zip|gpkg)$",
        staff_place_exchange_views.StaffPlaceExportView.as_view(),
        name="staff-places-export",
    ),
    path(
        "staff/places/<uuid:public_id>/",
        staff_place_views.StaffPlaceDetailView.as_view(),
        name="staff-place",
    ),
    path(
        "staff/places/<uuid:public_id>/prices/",
        staff_place_views.StaffPlacePriceView.as_view(),
        name="staff-place-prices",
    ),
    path(
        "staff/places/<uuid:public_id>/prices/<int:price_id>/close/",
        staff_place_views.StaffPlacePriceCloseView.as_view(),
        name="staff-place-price-close",
    ),
    path(
        "staff/places/<uuid:public_id>/photos/",
        staff_place_views.StaffPlacePhotoView.as_view(),
        name="staff-place-photos",
    ),
    path(
        "staff/places/<uuid:public_id>/photos/<int:photo_id>/",
        staff_place_views.StaffPlacePhotoRemoveView.as_view(),
        name="staff-place-photo",
    ),
    path("staff/places/map/", place_map_views.StaffPlaceMapView.as_view(), name="staff-place-map"),
    path("wifi/nearest/", views.WifiNearestView.as_view(), name="wifi-nearest"),
    re_path(
        r"^exports/layers/(?P<key>[-a-z0-9_]+)\.(?P<fmt>geojson|csv|gpkg)$",
        export_views.LayerExportView.as_view(),
        name="export-layer",
    ),
]
