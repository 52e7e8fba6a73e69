from django.apps import AppConfig


class EtlConfig(AppConfig):
    name = "etl"
