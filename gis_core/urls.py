from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView

from gis_core.health import healthz

urlpatterns = [
    # The API first: it takes nearly all the traffic, and URL resolution tries patterns in order.
    path("api/v1/", include("gis_core.api.urls")),
    # Probes (proxy, load balancer, systemd): a real PostGIS query, JSON, no auth.
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("tiles/", include("layers.api.tile_urls")),
    path("open311/v2/", include("open311.urls")),
    path("admin/", admin.site.urls),
    path("", include("web_map.urls")),
    # Media (photos) are public by design; a reverse proxy serves them in production.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]

# A database outage or full storage raised outside a view still gets the retryable 503.
handler404 = "gis_core.middleware.not_found"
handler500 = "gis_core.middleware.server_error"
