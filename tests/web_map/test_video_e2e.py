"""On a phone: the public page of a report plays its clip once the real worker transcoded it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.models import ReportVideo
from tests.gis_core.clip_factory import make_clip
from tests.gis_core.clip_uploads import post_report, wait_until_done
from tests.gis_core.live_media import app_serves_media  # noqa: F401
from tests.gis_core.worker import procrastinate_worker  # noqa: F401
from tests.web_map.phone_browser import axe_serious

pytestmark = pytest.mark.e2e


def test_public_page_plays_the_transcoded_clip_and_seeks(
    procrastinate_worker,  # noqa: F811
    app_serves_media,  # noqa: F811
    phone_page,
    live_server,
    mong_cai_wards,
    seed_categories,
    tmp_path,
):
    page = phone_page
    clip = make_clip(tmp_path / "clip.mp4", seconds=5)
    response = post_report(APIClient(), [clip])
    assert response.status_code == 201, response.content
    public_id = response.json()["id"]
    url = live_server.url + reverse("web_map:report", args=[public_id])
    row = ReportVideo.objects.get(report__public_id=public_id)

    assert wait_until_done(row.pk).status == "ready", procrastinate_worker.output()
    page.goto(url)
    video = page.locator("video.st-video")
    assert video.count() == 1
    assert "/originals/" not in (video.get_attribute("src") or "")
    assert video.get_attribute("poster").endswith(".jpg")
    duration = page.wait_for_function(
        """() => {
            const v = document.querySelector("video.st-video");
            return v && v.readyState >= 1 && Number.isFinite(v.duration) ? v.duration : null;
        }"""
    ).json_value()
    assert duration == pytest.approx(5, abs=0.2)
    # Seeking works (the server answers byte ranges): jump near the end and play from there.
    page.evaluate(
        """() => new Promise((resolve) => {
            const v = document.querySelector("video.st-video");
            v.addEventListener("seeked", resolve, {once: true});
            v.currentTime = 4;
        })"""
    )
    assert page.evaluate("() => document.querySelector('video.st-video').currentTime") >= 3.9
    assert axe_serious(page) == []
    assert page.problems["pageerror"] == [] and page.problems["http"] == []
