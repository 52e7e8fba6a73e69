"""The board's route; included from web_map.urls, so its name is web_map:board."""

from django.urls import path

from web_map import board

urlpatterns = [
    path("dieu-hanh/", board.board, name="board"),
]
