from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from common.health import healthz
from gis_core.media_views import media
from web_map.catalog import javascript_catalog

urlpatterns = [
    # The API first: it takes nearly all the traffic, and URL resolution tries patterns in order.
    path("api/v1/", include("config.api_urls")),
    # Probes (proxy, load balancer, systemd): a real PostGIS query, JSON, no auth.
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("tiles/", include("layers.api.tile_urls")),
    path("open311/v2/", include("open311.urls")),
    path("admin/", admin.site.urls),
    # Translations: the JS catalog per language, and Django's set_language (the switcher).
    path("jsi18n/<str:language>/", javascript_catalog, name="javascript-catalog"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("web_map.urls")),
    # Media (photos, transcoded clips) are public by design; a reverse proxy serves them in
    # production. This view answers byte ranges, so a phone can seek in a clip.
    path("media/<path:path>", media),
]

# A database outage or full storage raised outside a view still gets the retryable 503.
handler404 = "common.middleware.not_found"
handler500 = "common.middleware.server_error"
