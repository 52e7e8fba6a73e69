"""ffmpeg, off the request: a clip becomes an H.264/AAC MP4 any phone plays, and a poster.

At most 720p (the short side ≤ 720, the long side ≤ 1280, aspect kept, even dimensions, never
upscaled), `+faststart` so playback starts before the whole file arrives, and no metadata at
all: container and stream tags, chapters and the encoder's name are dropped (`-map_metadata
-1`, `-map_chapters -1`, bitexact), so a phone's GPS, make, model and creation time stop at
the private original. The poster is taken from the transcoded file, so it carries nothing
either. Outputs are written into a temporary folder and only then stored (atomically).
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from gis_core.videos import INPUT_GUARD, ffprobe_json

# Landscape: within 1280×720; portrait: within 720×1280. min() so a small clip is not enlarged.
SCALE = (
    "scale=w='if(gte(iw,ih),min(1280,iw),min(720,iw))'"
    ":h='if(gte(iw,ih),min(720,ih),min(1280,ih))'"
    ":force_original_aspect_ratio=decrease:force_divisible_by=2,format=yuv420p"
)
DEMUXER = {"mp4": "mov", "webm": "matroska"}


class TranscodeError(RuntimeError):
    """ffmpeg could not make the clip; the message is for staff (the failure_reason)."""


@dataclass(frozen=True)
class Transcoded:
    video_path: Path
    poster_path: Path
    duration_s: float
    width: int
    height: int
    size_bytes: int


def _run(command: list[str], timeout: float) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - settings.FFMPEG_BIN and our arguments, no shell
            command, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        raise TranscodeError(f"ffmpeg ran longer than {timeout:g} s and was stopped.") from None
    if result.returncode != 0:
        lines = [ln for ln in result.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        raise TranscodeError(
            f"ffmpeg exited with status {result.returncode}: " + " | ".join(lines[-3:])[-500:]
        )


def transcode(original: str, workdir: str, *, container: str | None = None) -> Transcoded:
    """Writes video.mp4 and poster.jpg into `workdir` (a temporary folder of the caller)."""
    out = Path(workdir)
    video, poster = out / "video.mp4", out / "poster.jpg"
    timeout = settings.VIDEO_TRANSCODE_TIMEOUT_S
    demuxer = ["-f", DEMUXER[container]] if container in DEMUXER else []
    ffmpeg = [settings.FFMPEG_BIN, "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    _run(
        [
            *ffmpeg,
            *INPUT_GUARD,
            *demuxer,
            "-i",
            original,
            "-map",
            "0:v:0",
            "-map",
            "0:a:0?",
            "-map_metadata",
            "-1",
            "-map_metadata:s",
            "-1",
            "-map_chapters",
            "-1",
            "-t",
            f"{settings.VIDEO_MAX_SECONDS + 1:g}",
            "-vf",
            SCALE,
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "23",
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            "-ac",
            "2",
            "-fflags",
            "+bitexact",
            "-flags:v",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
            str(video),
        ],
        timeout,
    )
    info = ffprobe_json(str(video), "-show_format", "-show_streams")
    stream = next(s for s in info.get("streams", []) if s.get("codec_type") == "video")
    duration = float(info["format"]["duration"])
    _run(
        [
            *ffmpeg,
            "-ss",
            f"{min(1.0, duration / 2):.3f}",
            "-i",
            str(video),
            "-frames:v",
            "1",
            "-q:v",
            "3",
            "-map_metadata",
            "-1",
            "-fflags",
            "+bitexact",
            "-flags:v",
            "+bitexact",
            "-f",
            "image2",
            str(poster),
        ],
        min(timeout, 60),
    )
    if not poster.exists() or poster.stat().st_size == 0:
        raise TranscodeError("ffmpeg wrote no poster frame.")
    return Transcoded(
        video_path=video,
        poster_path=poster,
        duration_s=round(duration, 3),
        width=int(stream["width"]),
        height=int(stream["height"]),
        size_bytes=video.stat().st_size,
    )


def temporary_workdir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="ht-transcode-")
