"""Planner routes; included from web_map.urls, so names are web_map:planner*."""

from django.urls import path

from web_map import planner

urlpatterns = [
    path("quy-hoach/", planner.planner_map, name="planner"),
    path("quy-hoach/xuat-ban-do/", planner.planner_export, name="planner-export"),
    path(
        "quy-hoach/xuat-du-bao.csv",
        planner.planner_forecast_export,
        name="planner-forecast-export",
    ),
]
