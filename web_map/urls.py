from django.urls import path

from web_map import views

app_name = "web_map"

urlpatterns = [
    path("", views.index, name="index"),
]
