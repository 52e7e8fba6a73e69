"""Video clips: ffprobe at the door, the real worker transcodes, the public gets a clean MP4.

Clips are made by the real ffmpeg (tests/gis_core/clip_factory.py); the worker is the real
`manage.py procrastinate worker` subprocess on the test database (tests/gis_core/worker.py).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.models import Report, ReportVideo
from gis_core.videos import VideoError, parse_iso6709, probe_video
from tests.gis_core.clip_factory import (
    GPS,
    make_clip,
    probe,
    revealing_tags,
    truncated_after_header,
)
from tests.gis_core.clip_uploads import URL, post_report, wait_until_done
from tests.gis_core.live_media import app_serves_media  # noqa: F401
from tests.gis_core.worker import procrastinate_worker  # noqa: F401


def staff_user(name: str, group: str, wards: tuple | list = ()):
    from django.contrib.auth.models import Group, User

    from gis_core.models import StaffProfile
    from ward_boundaries.models import Ward

    user = User.objects.create_user(name, password="x")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    profile = StaffProfile.objects.create(user=user)
    profile.wards.set(Ward.objects.filter(version__name="mong-cai-2025", code__in=wards))
    return user


def jobs_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = %s",
            ["gis_core.transcode_video"],
        )
        return cursor.fetchone()[0]


def files_under(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


# --- The whole path: upload, located by the clip's GPS, real worker, served clean ----------


def test_clip_locates_the_report_is_transcoded_by_the_worker_and_served_without_gps(
    procrastinate_worker,  # noqa: F811
    app_serves_media,  # noqa: F811
    live_server,
    mong_cai_wards,
    seed_categories,
    settings,
    tmp_path,
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # the upload goes to a temporary file, as 100 MB do
    clip = make_clip(tmp_path / "VID_20261201.mp4", seconds=5)
    assert revealing_tags(probe(clip)), "the test clip should carry GPS"
    jobs_before = jobs_count()
    # Other tests of the run may have published clips in the same media folder.
    public_before = {p for p in files_under(settings.MEDIA_ROOT) if p.suffix == ".mp4"}

    response = post_report(APIClient(), [clip])  # no lon/lat: the clip's GPS places it

    assert response.status_code == 201, response.content
    feature = response.json()
    lon, lat = feature["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx(GPS, abs=1e-4)
    assert feature["properties"]["ward"] is not None
    [video] = feature["properties"]["videos"]
    assert video == {"url": None, "poster_url": None, "duration_s": 5.0, "status": "processing"}
    # One job per clip, committed with the report; the original is private.
    assert jobs_count() == jobs_before + 1
    row = ReportVideo.objects.get(report__public_id=feature["id"])
    original = Path(row.original.path)
    assert original.is_file() and Path(settings.PRIVATE_MEDIA_ROOT) in original.parents
    public_now = {p for p in files_under(settings.MEDIA_ROOT) if p.suffix == ".mp4"}
    assert public_now == public_before, "nothing of the clip is public before it is ready"

    done = wait_until_done(row.pk)
    assert done.status == "ready", (done.failure_reason, procrastinate_worker.output())

    detail = APIClient().get(f"{URL}{feature['id']}/").json()
    [video] = detail["properties"]["videos"]
    assert video["status"] == "ready" and video["duration_s"] == pytest.approx(5, abs=0.2)
    assert "originals" not in video["url"] and video["url"].endswith(".mp4")
    media_url = live_server.url + urlsplit(video["url"]).path
    poster_url = live_server.url + urlsplit(video["poster_url"]).path

    # A phone seeks with a byte range: 206 with the range, then the rest of the file.
    head = requests.get(media_url, headers={"Range": "bytes=0-1023"}, timeout=10)
    assert head.status_code == 206 and len(head.content) == 1024
    total = int(head.headers["Content-Range"].rsplit("/", 1)[1])
    assert head.headers["Content-Range"] == f"bytes 0-1023/{total}"
    assert head.headers["Accept-Ranges"] == "bytes" and head.headers["Content-Type"] == "video/mp4"
    rest = requests.get(media_url, headers={"Range": "bytes=1024-"}, timeout=10)
    assert rest.status_code == 206 and len(rest.content) == total - 1024
    served = tmp_path / "served.mp4"
    served.write_bytes(head.content + rest.content)

    info = probe(served)
    assert revealing_tags(info) == {}, revealing_tags(info)
    assert info["format"]["format_name"].startswith("mov,mp4")
    codecs = {s["codec_type"]: s["codec_name"] for s in info["streams"]}
    assert codecs == {"video": "h264", "audio": "aac"}
    data = served.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat"), "faststart: the index comes first"

    poster = requests.get(poster_url, timeout=10)
    assert poster.status_code == 200 and poster.content[:3] == b"\xff\xd8\xff"
    assert b"Exif" not in poster.content[:200]
    # The original is not reachable under /media/, by its name or by climbing out.
    name = Path(row.original.name)
    for path in (f"/media/{name}", f"/media/../{Path(settings.PRIVATE_MEDIA_ROOT).name}/{name}"):
        assert requests.get(live_server.url + path, timeout=10).status_code == 404


def test_a_clip_ffmpeg_cannot_decode_is_marked_failed_for_staff_and_never_public(
    procrastinate_worker,  # noqa: F811
    mong_cai_wards,
    seed_categories,
    tmp_path,
):
    good = make_clip(tmp_path / "good.mp4", seconds=2, gps=None)
    broken = truncated_after_header(good, tmp_path / "broken.mp4")
    lon, lat = GPS
    response = post_report(APIClient(), [broken], lon=lon, lat=lat)
    assert response.status_code == 201, response.content  # ffprobe reads its index: accepted

    row = ReportVideo.objects.get(report__public_id=response.json()["id"])
    done = wait_until_done(row.pk)
    assert done.status == "failed" and "ffmpeg" in done.failure_reason
    assert not done.video and not done.poster
    assert Path(done.original.path).is_file()  # kept for staff
    [video] = APIClient().get(f"{URL}{response.json()['id']}/").json()["properties"]["videos"]
    assert video["status"] == "failed" and video["url"] is None and video["poster_url"] is None
    assert "ffmpeg" not in str(video)
    public_page = APIClient().get(reverse("web_map:report", args=[row.report.public_id]))
    assert (
        "ffmpeg" not in public_page.content.decode()
        and "originals" not in public_page.content.decode()
    )

    # Staff see the reason and may download the original; others may not.
    staff_page = reverse("web_map:staff-report", args=[row.report.public_id])
    original = reverse("web_map:staff-video-original", args=[row.report.public_id, row.pk])
    operator, other = (
        staff_user("operator", "operator"),
        staff_user("ward_far", "ward_officer", ["06757"]),
    )
    as_operator = Client()
    as_operator.force_login(operator)
    html = as_operator.get(staff_page).content.decode()
    assert done.failure_reason[:40] in html and original in html
    staff_json = as_operator.get(f"/api/v1/staff/reports/{row.report.public_id}/").json()
    assert "ffmpeg" in staff_json["properties"]["videos"][0]["failure_reason"]
    download = as_operator.get(original)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == broken.read_bytes()
    as_other = Client()
    as_other.force_login(other)
    assert as_other.get(original).status_code == 404
    assert Client().get(original).status_code == 302  # to the sign-in page


# --- Refusals: in the user's language, nothing kept -----------------------------------------


@pytest.fixture
def nothing_stored(db, settings):
    before = (jobs_count(), len(files_under(settings.PRIVATE_MEDIA_ROOT)))
    yield
    assert Report.objects.count() == 0 and ReportVideo.objects.count() == 0
    assert (jobs_count(), len(files_under(settings.PRIVATE_MEDIA_ROOT))) == before


def test_an_overlong_clip_is_refused_with_its_length(
    nothing_stored, mong_cai_wards, settings, tmp_path
):
    settings.VIDEO_MAX_SECONDS = 2
    clip = make_clip(tmp_path / "long.mp4", seconds=3)
    response = post_report(APIClient(), [clip])
    assert response.status_code == 400
    assert response.json()["errors"]["videos"] == ["Video dài 3 giây; tối đa 2 giây."]


def test_a_text_file_named_mp4_is_refused(nothing_stored, mong_cai_wards, tmp_path):
    fake = tmp_path / "ghi-chu.mp4"
    fake.write_text("Đây không phải video.\n" * 50, encoding="utf-8")
    lon, lat = GPS
    response = post_report(APIClient(), [fake], lon=lon, lat=lat)
    assert response.status_code == 400
    assert response.json()["errors"]["videos"] == [
        "Tệp “ghi-chu.mp4” không phải video MP4, MOV hoặc WebM."
    ]


def test_three_clips_are_refused(nothing_stored, mong_cai_wards, tmp_path):
    clip = make_clip(tmp_path / "a.mp4", seconds=1)
    response = post_report(APIClient(), [clip, clip, clip])
    assert response.status_code == 400
    # Refused as the third starts streaming (common.uploads), before a byte of it is read.
    assert response.json()["errors"]["videos"] == [
        "Mỗi phản ánh có tối đa 2 video; đã dừng ở video thứ 3."
    ]


def test_a_clip_over_the_size_limit_is_refused_before_probing(
    nothing_stored, mong_cai_wards, settings, tmp_path
):
    settings.VIDEO_MAX_BYTES = 2 * 1024 * 1024
    big = tmp_path / "big.mov"
    big.write_bytes(b"\0" * (3 * 1024 * 1024))  # not even a video: the size decides first
    lon, lat = GPS
    response = post_report(APIClient(), [big], lon=lon, lat=lat)
    assert response.status_code == 400
    [message] = response.json()["errors"]["videos"]
    # Refused as it passes 2 MB while streaming: the rest of it is never read.
    assert message == "Video “big.mov” lớn hơn 2,0 MB, mức tối đa mỗi video."


def test_refusals_follow_the_language_of_the_request(nothing_stored, mong_cai_wards, tmp_path):
    from django.utils import translation

    with translation.override("en"):
        english = translation.gettext("Tệp “%(name)s” không phải video MP4, MOV hoặc WebM.")
    fake = tmp_path / "notes.mp4"
    fake.write_text("not a video\n", encoding="utf-8")
    lon, lat = GPS
    response = post_report(APIClient(HTTP_ACCEPT_LANGUAGE="en"), [fake], lon=lon, lat=lat)
    assert response.status_code == 400
    assert response.json()["errors"]["videos"] == [english % {"name": "notes.mp4"}]


# --- Intake details ---------------------------------------------------------------------------


def test_probe_reads_phone_gps_tags_of_mov_and_webm(tmp_path, settings):
    mov = make_clip(tmp_path / "IMG_0042.MOV", seconds=1, fmt="mov", gps="+21.5338+107.9653+012.5/")
    probed = probe_video(str(mov), name="IMG_0042.MOV", size_bytes=mov.stat().st_size)
    assert probed.container == "mp4" and probed.gps == pytest.approx((107.9653, 21.5338))
    webm = make_clip(tmp_path / "clip.webm", seconds=1, fmt="webm")
    probed = probe_video(str(webm), name="clip.webm", size_bytes=webm.stat().st_size)
    assert probed.container == "webm" and probed.video_codec == "vp9"
    assert probed.gps == pytest.approx(GPS)
    assert probed.duration_s == pytest.approx(1, abs=0.1)


def test_probe_refuses_a_playlist_renamed_mp4(tmp_path):
    target = make_clip(tmp_path / "real.mp4", seconds=1)
    playlist = tmp_path / "playlist.mp4"
    playlist.write_text(f"#EXTM3U\n#EXTINF:1,\n{target}\n#EXT-X-ENDLIST\n", encoding="utf-8")
    with pytest.raises(VideoError, match="không phải video"):
        probe_video(str(playlist), name="playlist.mp4", size_bytes=playlist.stat().st_size)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+21.5338+107.9653/", (107.9653, 21.5338)),
        ("+21.5338+107.9653+012.000/", (107.9653, 21.5338)),
        ("-33.8688+151.2093CRSWGS_84/", (151.2093, -33.8688)),
        ("+2132.028+10757.918/", (107 + 57.918 / 60, 21 + 32.028 / 60)),
        ("+00.0000+000.0000/", None),
        ("+91.0000+107.0000/", None),
        ("somewhere", None),
        ("", None),
    ],
)
def test_iso6709(text, expected):
    result = parse_iso6709(text)
    assert result == (pytest.approx(expected) if expected else None)


def test_transcode_keeps_aspect_within_720p_and_drops_every_tag(tmp_path, settings):
    from gis_core.video_transcode import transcode

    portrait = make_clip(tmp_path / "portrait.mov", seconds=0.4, size="1080x1920", fmt="mov")
    result = transcode(str(portrait), str(tmp_path), container="mp4")
    assert (result.width, result.height) == (720, 1280)
    info = probe(result.video_path)
    assert revealing_tags(info) == {}
    assert result.poster_path.read_bytes()[:3] == b"\xff\xd8\xff"


def test_report_without_coordinates_and_clip_without_gps_asks_for_a_place(
    nothing_stored, mong_cai_wards, tmp_path
):
    clip = make_clip(tmp_path / "nogps.mp4", seconds=1, gps=None)
    response = post_report(APIClient(), [clip])
    assert response.status_code == 400 and set(response.json()["errors"]) == {"lon", "lat"}


def test_media_ranges(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "x.mp4").write_bytes(bytes(range(256)) * 4)  # 1024 bytes
    url = "/media/videos/x.mp4"
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == bytes(range(256)) * 4
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and part["Content-Range"] == "bytes 10-19/1024"
    assert b"".join(part.streaming_content) == bytes(range(10, 20))
    tail = client.get(url, HTTP_RANGE="bytes=-4")
    assert tail["Content-Range"] == "bytes 1020-1023/1024"
    assert b"".join(tail.streaming_content) == bytes(range(252, 256))
    past = client.get(url, HTTP_RANGE="bytes=2000-")
    assert past.status_code == 416 and past["Content-Range"] == "bytes */1024"
    assert client.get("/media/../settings.py").status_code == 404
    assert client.get("/media/videos/%2e%2e/%2e%2e/etc/passwd").status_code == 404
    assert client.get("/media/videos/").status_code == 404


def test_public_page_says_a_clip_is_being_prepared(db, mong_cai_wards, tmp_path):
    clip = make_clip(tmp_path / "clip.mp4", seconds=1)
    response = post_report(APIClient(), [clip])  # no worker here: it stays processing
    assert response.status_code == 201
    page = APIClient().get(reverse("web_map:report", args=[response.json()["id"]]))
    html = page.content.decode()
    assert "Video đang được xử lý…" in html and "<video" not in html
    assert "originals" not in html


def test_failed_clips_can_be_queued_again(db, mong_cai_wards, tmp_path):
    from django.core.management import call_command

    clip = make_clip(tmp_path / "clip.mp4", seconds=1)
    response = post_report(APIClient(), [clip])
    row = ReportVideo.objects.get(report__public_id=response.json()["id"])
    ReportVideo.objects.filter(pk=row.pk).update(status="failed", failure_reason="disk full")
    before = jobs_count()
    call_command("retranscode_videos", "--failed")
    row.refresh_from_db()
    assert (row.status, row.failure_reason, jobs_count()) == ("processing", "", before + 1)


def test_request_body_limit_does_not_count_the_clips(db, mong_cai_wards, settings, tmp_path):
    """DATA_UPLOAD_MAX_MEMORY_SIZE (41 MiB, for the form fields) leaves file parts out, so
    two 100 MB clips are not refused by it; here with a limit far below one clip."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    clip = make_clip(tmp_path / "clip.mp4", seconds=2, size="640x360")
    assert clip.stat().st_size > 10 * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = post_report(APIClient(), [clip, clip])
    assert response.status_code == 201, response.content
    assert len(response.json()["properties"]["videos"]) == 2
