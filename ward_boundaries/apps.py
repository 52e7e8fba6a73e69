from django.apps import AppConfig


class WardBoundariesConfig(AppConfig):
    name = "ward_boundaries"
    verbose_name = "Ranh giới phường/xã"
