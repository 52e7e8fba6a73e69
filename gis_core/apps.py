from django.apps import AppConfig


class GisCoreConfig(AppConfig):
    name = "gis_core"
    verbose_name = "Phản ánh hiện trường"

    def ready(self) -> None:
        from gis_core import (
            key_checks,  # noqa: F401  (registers the HT_FIELD_KEYS check)
            video_checks,  # noqa: F401  (registers the ffmpeg system check)
        )
