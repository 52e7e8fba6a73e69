"""api/v1/: one "api" namespace over the routes each app owns, so names stay api:<name>.

Each app lists its own routes; they are put together here, at the top, so no app has to
include another's (the layers point one way: see the README's architecture section).
"""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("gis_core.api.urls")),
    path("", include("ward_boundaries.api.urls")),
    path("", include("layers.api.urls")),
]
