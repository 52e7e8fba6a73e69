"""Clips through the API: a report sent with clips, and a wait for the worker to finish one
(shared by the video tests and the phone's video e2e test)."""

from __future__ import annotations

from pathlib import Path

from rest_framework.test import APIClient

from gis_core.models import ReportVideo
from tests.gis_core.worker import wait_for

URL = "/api/v1/reports/"


def post_report(client: APIClient, clips: list[Path], **fields):
    body = {"category": "moi_truong", "description": "Nước thải đổ ra đường", **fields}
    handles = [open(p, "rb") for p in clips]
    try:
        body["videos"] = handles
        return client.post(URL, body, format="multipart")
    finally:
        for handle in handles:
            handle.close()


def wait_until_done(video_id: int, timeout: float = 45) -> ReportVideo:
    return wait_for(
        lambda: ReportVideo.objects.filter(pk=video_id).exclude(status="processing").first(),
        timeout=timeout,
        what=f"clip {video_id} to leave 'processing'",
    )
