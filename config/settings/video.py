"""Settings fragment (video): clip limits, private storage of originals, the task queue.

Star-imported at the end of base.py; every value can be overridden from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

_VAR_DIR = Path(os.environ.get("HT_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))

# Per clip, at most VIDEO_MAX_COUNT clips per report. Phones record 60 s of 1080p in ~100 MB.
VIDEO_MAX_SECONDS = float(os.environ.get("HT_VIDEO_MAX_SECONDS", "60"))
VIDEO_MAX_BYTES = int(os.environ.get("HT_VIDEO_MAX_BYTES", str(100 * 1024 * 1024)))
VIDEO_MAX_COUNT = 2
# ffprobe reads headers only; a file it cannot read in this time is refused, not waited on.
VIDEO_PROBE_TIMEOUT_S = float(os.environ.get("HT_VIDEO_PROBE_TIMEOUT_S", "15"))
# A transcode taking longer than this is killed and the clip marked failed (for staff).
VIDEO_TRANSCODE_TIMEOUT_S = float(os.environ.get("HT_VIDEO_TRANSCODE_TIMEOUT_S", "900"))
FFMPEG_BIN = os.environ.get("HT_FFMPEG", "ffmpeg")
FFPROBE_BIN = os.environ.get("HT_FFPROBE", "ffprobe")

# Originals as uploaded: they carry the phone's GPS track and device, so they live outside
# MEDIA_ROOT (never under the public /media/ URL), on local disk, for staff only.
PRIVATE_MEDIA_ROOT: Path | str = Path(
    os.environ.get("HT_PRIVATE_MEDIA_ROOT", _VAR_DIR / "private-media")
)

# Uploads above FILE_UPLOAD_MAX_MEMORY_SIZE (base.py) go to a temporary file, which ffprobe
# reads by path: a 100 MB clip never sits in memory. DATA_UPLOAD_MAX_MEMORY_SIZE does not count
# the file parts of a multipart body, so clips need no change there.

# The task queue (procrastinate, docs/task-queue.md): tasks are in gis_core/tasks.py.
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "tasks"
# The private original of a clip (with its GPS and device tags) is deleted this many days
# after its public copy is ready (`expire_video_originals`, daily): staff keep the
# transcoded file; a clip that failed keeps its original until its report is anonymised.
VIDEO_ORIGINAL_DAYS = int(os.environ.get("HT_VIDEO_ORIGINAL_DAYS", "30"))
