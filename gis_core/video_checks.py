"""System check: ffprobe and ffmpeg must be installed (scripts/install_system.sh, `need ffmpeg`).

Without them every report with a clip would fail; `manage.py check` (run by migrate,
runserver and the worker) says so at start-up instead.
"""

from __future__ import annotations

import shutil

from django.conf import settings
from django.core import checks


@checks.register()
def ffmpeg_installed(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    missing = [b for b in (settings.FFPROBE_BIN, settings.FFMPEG_BIN) if not shutil.which(b)]
    if not missing:
        return []
    return [
        checks.Warning(
            f"{', '.join(missing)} not found: video clips in reports will be refused.",
            hint="Install Debian's ffmpeg package (scripts/install_system.sh does).",
            id="gis_core.W010",
        )
    ]
