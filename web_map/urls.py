from django.urls import include, path

from web_map import tourist, views

app_name = "web_map"

urlpatterns = [
    path("", views.index, name="index"),
    path("du-lich/", tourist.tourist_map, name="tourist"),
    path("", include("web_map.league_urls")),
    path("", include("web_map.staff_urls")),
    path("", include("web_map.board_urls")),
    path("", include("web_map.planner_urls")),
    path("", include("web_map.public_report_urls")),
    path("", include("web_map.citizen_urls")),
    path("", include("web_map.pwa_urls")),
]
