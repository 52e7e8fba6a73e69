"""The public league page route; included from web_map.urls, so its name is web_map:league."""

from django.urls import path

from web_map import league

urlpatterns = [
    path("xep-hang/", league.league_page, name="league"),
]
