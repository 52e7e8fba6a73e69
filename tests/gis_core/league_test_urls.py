"""The project's URLs plus the league routes, as they will be once included: api:league-*
under /api/v1/ and web_map:league at /xep-hang/. One include per namespace, so every name
still reverses."""

from django.urls import include, path

from gis_core import urls as project
from gis_core.api import league_urls as api_league_urls
from gis_core.api import urls as api_urls
from web_map import league_urls as web_league_urls
from web_map import urls as web_urls

urlpatterns = [
    path("api/v1/", include((api_urls.urlpatterns + api_league_urls.urlpatterns, "api"))),
    path("", include((web_urls.urlpatterns + web_league_urls.urlpatterns, "web_map"))),
    *(p for p in project.urlpatterns if str(p.pattern) not in ("api/v1/", "")),
]
