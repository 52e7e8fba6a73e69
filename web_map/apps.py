from django.apps import AppConfig


class WebMapConfig(AppConfig):
    name = "web_map"
