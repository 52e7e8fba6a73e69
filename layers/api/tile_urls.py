"""Vector tile routes, mounted at /tiles/ by config.urls."""

from django.urls import path

from layers.api import tile_views

app_name = "tiles"

urlpatterns = [
    path(
        "reports/<int:z>/<int:x>/<int:y>.pbf", tile_views.ReportTileView.as_view(), name="reports"
    ),
    path("pois/<int:z>/<int:x>/<int:y>.pbf", tile_views.PoiTileView.as_view(), name="pois"),
]
