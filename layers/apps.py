from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Lớp bản đồ"

    def ready(self) -> None:
        from gis_core.digest_sections import register_digest_section
        from layers import signals
        from layers.forecast_digest import forecast_digest_lines

        signals.connect()
        register_digest_section("forecast_alerts", forecast_digest_lines)
