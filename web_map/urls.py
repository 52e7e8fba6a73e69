from django.urls import include, path

from web_map import views

app_name = "web_map"

urlpatterns = [
    path("", views.index, name="index"),
    path("", include("web_map.league_urls")),
    path("", include("web_map.staff_urls")),
    path("", include("web_map.public_report_urls")),
    path("", include("web_map.citizen_urls")),
]
