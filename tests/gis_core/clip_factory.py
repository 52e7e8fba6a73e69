"""Video clips made by the real ffmpeg for the tests: test pattern + tone, with GPS tags as
phones write them (MP4 `location`, QuickTime `com.apple.quicktime.location.ISO6709`)."""

from __future__ import annotations

import json
import struct
import subprocess
from pathlib import Path

GPS = (107.9981, 21.5174)  # (lon, lat) in Phường Móng Cái 1
ISO6709 = "+21.5174+107.9981/"
# Tag names that would give away where, when or with what a clip was recorded.
REVEALING = ("location", "gps", "iso6709", "make", "model", "creation_time", "date", "software")


def make_clip(
    path: Path,
    *,
    seconds: float = 5,
    size: str = "320x240",
    fmt: str = "mp4",
    gps: str | None = ISO6709,
    audio: bool = True,
) -> Path:
    """A clip like a phone's: H.264/AAC MP4 or MOV (with make/model tags), or VP9/Opus WebM."""
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "lavfi", "-i", f"testsrc=size={size}:rate=25",
    ]  # fmt: skip
    if audio:
        command += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]
    command += ["-t", f"{seconds:g}"]
    if fmt == "webm":
        command += ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"]
        command += ["-c:a", "libopus"] if audio else []
    else:
        command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        command += ["-c:a", "aac"] if audio else []
    if fmt == "mov":
        command += ["-movflags", "use_metadata_tags", "-metadata", "com.apple.quicktime.make=Apple"]
        command += ["-metadata", "com.apple.quicktime.model=iPhone 15"]
        if gps:
            command += ["-metadata", f"com.apple.quicktime.location.ISO6709={gps}"]
    elif gps:
        command += ["-metadata", f"location={gps}"]
    if fmt == "mp4":
        command += ["-movflags", "+faststart"]
    subprocess.run([*command, str(path)], check=True, timeout=60)
    return path


def truncated_after_header(source: Path, path: Path) -> Path:
    """A faststart MP4 cut just after the media box header: ffprobe reads its index and
    accepts it, ffmpeg finds no media data and fails."""
    data = source.read_bytes()
    offset = 0
    while offset < len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if kind == b"mdat":
            path.write_bytes(data[: offset + 8])
            return path
        offset += size
    raise AssertionError("no mdat box")


def probe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        check=True,
        capture_output=True,
        timeout=30,
    ).stdout
    return json.loads(out)


def all_tags(info: dict) -> dict[str, str]:
    """Every tag of the container and its streams, keys lowercased (stream keys prefixed)."""
    tags = {k.lower(): v for k, v in info["format"].get("tags", {}).items()}
    for stream in info["streams"]:
        for k, v in stream.get("tags", {}).items():
            tags[f"{stream['codec_type']}:{k.lower()}"] = v
    return tags


def revealing_tags(info: dict) -> dict[str, str]:
    return {k: v for k, v in all_tags(info).items() if any(word in k for word in REVEALING)}
