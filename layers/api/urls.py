"""Map-layer routes, included under api/v1/ in the "api" namespace by gis_core.api.urls."""

from django.urls import path

from layers.api import count_views, hotspot_views, views

urlpatterns = [
    path("layers/", views.LayerListView.as_view(), name="layer-list"),
    path("pois/", views.PoiListView.as_view(), name="poi-list"),
    path("reports/count/", count_views.ReportCountView.as_view(), name="report-count"),
    path("hotspots/", hotspot_views.HotspotView.as_view(), name="hotspots"),
    path("wifi/nearest/", views.WifiNearestView.as_view(), name="wifi-nearest"),
]
