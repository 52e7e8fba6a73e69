from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Lớp bản đồ"

    def ready(self) -> None:
        from layers import signals

        signals.connect()
