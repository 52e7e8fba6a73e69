"""Clip intake: ffprobe decides what a file is before anything is kept.

A clip is accepted when ffprobe (run on the upload's file on disk, with a timeout) finds a
container phones write (MP4/MOV/3GP or WebM/Matroska), a video stream in a codec ffmpeg can
transcode, and a duration within HT_VIDEO_MAX_SECONDS; the size is checked first, without
probing. The extension and Content-Type are not trusted. Refusals are sentences for the
uploader in their language (gettext, Vietnamese msgids). GPS is read from the container tags
(ISO 6709), because a report sent without coordinates takes its location from a clip as it
does from a photo; the transcoded copy drops every tag (gis_core.video_transcode).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from common.humanize import human_size

# ffprobe's format_name for the two families phones record in.
CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "webm"}
VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "h263"}
AUDIO_CODECS = {"aac", "mp3", "opus", "vorbis", "alac", "amr_nb", "amr_wb", "ac3", "eac3", "flac"}
AUDIO_CODECS |= {f"pcm_{s}" for s in ("s16le", "s16be", "s24le", "s32le", "f32le", "u8")}
MAX_SIDE = 8192  # 8K; anything larger is no phone clip and would take the worker minutes
# Only the two demuxers, and local files only: a playlist or concat script renamed .mp4
# would otherwise make ffmpeg read other files or URLs into the output.
INPUT_GUARD = ("-format_whitelist", "mov,matroska", "-protocol_whitelist", "file")
GPS_TAGS = ("com.apple.quicktime.location.iso6709", "location", "location-eng")
# ISO 6709 as phones write it: "+21.5338+107.9653/", "+21.5338+107.9653+012.000/",
# also the degrees-minutes(-seconds) forms "+2131.99+10757.91/".
_NUMBER = r"\d+(?:\.\d+)?"
_ISO6709 = re.compile(rf"^([+-])({_NUMBER})([+-])({_NUMBER})(?:[+-]{_NUMBER})?(?:CRS.*)?/?$")


class VideoError(ValueError):
    """A clip that cannot be accepted; the message says why, for the uploader."""


@dataclass(frozen=True)
class ProbedVideo:
    path: str
    name: str
    container: str  # "mp4" or "webm"
    video_codec: str
    audio_codec: str | None
    duration_s: float
    width: int
    height: int
    size_bytes: int
    gps: tuple[float, float] | None  # (lon, lat)


def _seconds(value: float, *, above: float | None = None) -> str:
    """Whole seconds; a duration refused for being over `above` never reads as `above`."""
    shown = round(value)
    if above is not None and shown <= above:
        shown = math.ceil(value) if math.ceil(value) > above else int(above) + 1
    return f"{shown:d}"


def _iso6709_part(sign: str, digits: str, degree_digits: int) -> float:
    whole, _, fraction = digits.partition(".")
    if len(whole) <= degree_digits:
        value = float(digits)
    elif len(whole) <= degree_digits + 2:  # DDMM.MMM
        value = int(whole[:-2]) + float(whole[-2:] + "." + (fraction or "0")) / 60
    else:  # DDMMSS.SSS
        value = (
            int(whole[:-4])
            + int(whole[-4:-2]) / 60
            + float(whole[-2:] + "." + (fraction or "0")) / 3600
        )
    return -value if sign == "-" else value


def parse_iso6709(text: str) -> tuple[float, float] | None:
    """(lon, lat) from an ISO 6709 string, or None when absent or nonsensical."""
    match = _ISO6709.match((text or "").strip())
    if not match:
        return None
    lat_sign, lat_digits, lon_sign, lon_digits = match.groups()
    try:
        lat = _iso6709_part(lat_sign, lat_digits, 2)
        lon = _iso6709_part(lon_sign, lon_digits, 3)
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return (lon, lat)


def clip_gps(tags: dict[str, str]) -> tuple[float, float] | None:
    lowered = {str(k).lower(): v for k, v in (tags or {}).items()}
    for key in GPS_TAGS:
        if key in lowered:
            point = parse_iso6709(str(lowered[key]))
            if point is not None:
                return point
    return None


def ffprobe_json(path: str, *args: str, timeout: float | None = None) -> dict:
    """ffprobe's JSON for `path` (no decoding: headers and the index only)."""
    command = [settings.FFPROBE_BIN, "-v", "error", *INPUT_GUARD, "-of", "json", *args, path]
    result = subprocess.run(  # noqa: S603 - settings.FFPROBE_BIN and our arguments, no shell
        command,
        capture_output=True,
        timeout=timeout or settings.VIDEO_PROBE_TIMEOUT_S,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        raise VideoError(result.stderr.decode("utf-8", "replace").strip()[-300:])
    return json.loads(result.stdout or b"{}")


def _duration_from_packets(path: str) -> float | None:
    """WebM from a browser's MediaRecorder has no duration in its header: the last packet's
    end time instead (demuxing only, no decoding)."""
    data = ffprobe_json(
        path, "-select_streams", "v:0", "-show_entries", "packet=pts_time,duration_time"
    )
    end = None
    for packet in data.get("packets", []):
        try:
            t = float(packet.get("pts_time")) + float(packet.get("duration_time") or 0)
        except (TypeError, ValueError):
            continue
        end = t if end is None else max(end, t)
    return end


def _display_size(stream: dict) -> tuple[int, int]:
    """Width and height as shown: a portrait phone clip is stored landscape and rotated."""
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    rotation = stream.get("tags", {}).get("rotate")
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            rotation = side["rotation"]
    try:
        if abs(int(float(rotation or 0))) % 180 == 90:
            width, height = height, width
    except ValueError:
        pass
    return width, height


def check_size(*, name: str, size_bytes: int) -> None:
    """The size limit, checked before a clip is copied or probed."""
    max_bytes = settings.VIDEO_MAX_BYTES
    if size_bytes > max_bytes:
        raise VideoError(
            _("Video “%(name)s” nặng %(size)s; tối đa %(max)s mỗi video.")
            % {"name": name, "size": human_size(size_bytes), "max": human_size(max_bytes)}
        )


def probe_video(path: str, *, name: str, size_bytes: int) -> ProbedVideo:
    """Checks one clip on disk; VideoError with the uploader's message if it is refused."""
    check_size(name=name, size_bytes=size_bytes)
    not_a_video = _("Tệp “%(name)s” không phải video MP4, MOV hoặc WebM.") % {"name": name}
    if size_bytes == 0:
        raise VideoError(not_a_video)
    try:
        data = ffprobe_json(path, "-show_format", "-show_streams")
    except (VideoError, subprocess.TimeoutExpired, json.JSONDecodeError):
        raise VideoError(not_a_video) from None
    except OSError:  # ffprobe missing (system check gis_core.W010) or not runnable
        raise VideoError(_("Máy chủ tạm thời chưa nhận được video; hãy thử lại sau.")) from None
    fmt = data.get("format", {})
    container = CONTAINERS.get(fmt.get("format_name", ""))
    streams = data.get("streams", [])
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video"
            and not s.get("disposition", {}).get("attached_pic")  # a cover image, not a clip
        ),
        None,
    )
    if container is None or video is None:
        raise VideoError(not_a_video)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    unsupported = [
        codec
        for codec, allowed in (
            (video.get("codec_name"), VIDEO_CODECS),
            (audio.get("codec_name") if audio else None, AUDIO_CODECS),
        )
        if codec is not None and codec not in allowed
    ]
    if unsupported:
        raise VideoError(
            _("Video “%(name)s” được mã hoá theo chuẩn chưa hỗ trợ (%(codec)s).")
            % {"name": name, "codec": ", ".join(unsupported)}
        )
    width, height = _display_size(video)
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise VideoError(
            _("Video “%(name)s” có kích thước khung hình không hợp lệ.") % {"name": name}
        )
    try:
        duration = float(fmt.get("duration") or video.get("duration") or "nan")
    except ValueError:
        duration = math.nan
    if not math.isfinite(duration) or duration <= 0:
        try:
            duration = _duration_from_packets(path) or math.nan
        except (VideoError, subprocess.TimeoutExpired, json.JSONDecodeError):
            duration = math.nan
    if not math.isfinite(duration) or duration <= 0:
        raise VideoError(not_a_video)
    max_seconds = settings.VIDEO_MAX_SECONDS
    if duration > max_seconds + 0.5:  # phones stop a 60 s recording at 60.02 s
        raise VideoError(
            _("Video dài %(seconds)s giây; tối đa %(max)s giây.")
            % {"seconds": _seconds(duration, above=max_seconds), "max": _seconds(max_seconds)}
        )
    tags = {**(fmt.get("tags") or {})}
    return ProbedVideo(
        path=path,
        name=name,
        container=container,
        video_codec=video.get("codec_name", ""),
        audio_codec=audio.get("codec_name") if audio else None,
        duration_s=round(duration, 3),
        width=width,
        height=height,
        size_bytes=size_bytes,
        gps=clip_gps(tags),
    )


@contextmanager
def upload_path(upload):
    """A path on disk for a Django upload: the temporary file of a large one, a copy of a
    small one held in memory (at most FILE_UPLOAD_MAX_MEMORY_SIZE)."""
    path = getattr(upload, "temporary_file_path", None)
    if path is not None:
        upload.file.flush()
        yield path()
        return
    name = getattr(upload, "name", None)
    if isinstance(name, str) and os.path.isfile(name) and not isinstance(upload, UploadedFile):
        yield name  # a plain file opened from disk (tests, commands)
        return
    suffix = Path(name or "").suffix[:10]
    with tempfile.NamedTemporaryFile(prefix="ht-clip-", suffix=suffix) as out:
        upload.seek(0)
        shutil.copyfileobj(upload, out, 1 << 20)
        out.flush()
        yield out.name
