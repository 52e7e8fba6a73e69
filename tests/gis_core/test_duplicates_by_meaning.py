"""Duplicates by meaning (issue 14, part 2): distance, description and photo, each alone and
combined, and a similar category (same agency). Real images drawn with Pillow, stored through
the upload path (report_submit), on PostGIS."""

from __future__ import annotations

import io
import random

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFilter
from rest_framework.test import APIClient

from gis_core import duplicate_score as ds
from gis_core.models import Agency, Category, Report, ReportPhoto, RoutingRule, StaffProfile
from gis_core.photo_hash import hamming
from gis_core.photos import process_photo
from gis_core.selectors import possible_duplicates
from gis_core.services import UploadedPhoto, report_submit
from gis_core.workflow import TransitionError, report_merge

pytestmark = pytest.mark.django_db

LON, LAT = 107.9653, 21.5338
M_LAT = 1 / 110_700  # one metre north at this latitude, in degrees

DRAIN = "Cống thoát nước đầu ngõ 5 bị tắc, nước tràn ra đường"
DRAIN_AGAIN = "cong thoat nuoc dau ngo 5 bi tac k ai xu ly, nuoc tran ra duong"
UNRELATED = "Quán karaoke hát to đến nửa đêm"


def scene(seed: int, size=(800, 600)) -> Image.Image:
    """A photograph-like picture: blurred overlapping shapes in random colours."""
    rnd = random.Random(seed)
    image = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x, y = rnd.randrange(size[0]), rnd.randrange(size[1])
        w, h = rnd.randrange(20, 300), rnd.randrange(20, 300)
        shape = rnd.choice([draw.rectangle, draw.ellipse])
        shape((x, y, x + w, y + h), fill=tuple(rnd.randrange(256) for _ in range(3)))
    return image.filter(ImageFilter.GaussianBlur(2))


def encoded(image: Image.Image, fmt="JPEG", scale=1.0, quality=90) -> bytes:
    if scale != 1.0:
        image = image.resize((int(image.width * scale), int(image.height * scale)))
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    return out.getvalue()


def submit(description="Rác", north_m=0.0, photos=(), category="moi_truong") -> Report:
    done = report_submit(
        category=category,
        description=description,
        lon=LON,
        lat=LAT + north_m * M_LAT,
        photos=[UploadedPhoto(name=f"p{i}.jpg", data=d) for i, d in enumerate(photos)],
    )
    return Report.objects.get(public_id=done.public_id)


def hashes(report: Report) -> list[int]:
    return list(report.photos.values_list("phash", flat=True))


def ask(category="moi_truong", **kwargs):
    return possible_duplicates(
        lon=LON, lat=LAT, category=Category.objects.get(code=category), **kwargs
    )


def test_photo_hash_survives_reencoding_and_resizing_but_not_another_picture():
    original = process_photo(encoded(scene(1)), name="a.jpg")
    smaller = process_photo(encoded(scene(1), "PNG", scale=0.4), name="b.png")
    recompressed = process_photo(encoded(scene(1), quality=30), name="c.jpg")
    other = process_photo(encoded(scene(2)), name="d.jpg")
    assert original.sha256 != smaller.sha256 != recompressed.sha256
    assert hamming(original.phash, smaller.phash) <= 4
    assert hamming(original.phash, recompressed.phash) <= 4
    assert hamming(original.phash, other.phash) >= 20
    assert ds.photo_similarity([original.phash], [smaller.phash]) >= 0.8
    assert ds.photo_similarity([original.phash], [other.phash]) <= 0.2
    assert ds.photo_similarity([original.phash], []) == 0.0


def test_text_alone_ranks_similar_words_above_unrelated_ones_at_the_same_place():
    unrelated = submit(UNRELATED, north_m=5)
    similar = submit(DRAIN_AGAIN, north_m=25)  # farther, but said the same way
    found = ask(text=DRAIN)
    assert [d.report.pk for d in found] == [similar.pk, unrelated.pk]
    first, second = found
    assert first.text_match and not second.text_match
    assert first.text_similarity > 0.35 > second.text_similarity
    assert first.photo_similarity == second.photo_similarity == 0.0
    # Without a description the order is the former one: nearest first.
    assert [d.report.pk for d in ask()] == [unrelated.pk, similar.pk]


def test_photo_alone_ranks_the_same_picture_above_another_one():
    mine = submit(photos=[encoded(scene(7))])
    same_picture = submit(north_m=30, photos=[encoded(scene(7), "PNG", scale=0.5)])
    other_picture = submit(north_m=10, photos=[encoded(scene(8))])
    no_photo = submit(north_m=20)
    found = ask(photo_hashes=hashes(mine), exclude_id=mine.pk)
    by_pk = {d.report.pk: d for d in found}
    assert found[0].report.pk == same_picture.pk
    assert by_pk[same_picture.pk].photo_similarity >= 0.8 and by_pk[same_picture.pk].photo_match
    assert by_pk[other_picture.pk].photo_similarity <= 0.2
    assert not by_pk[other_picture.pk].photo_match
    assert by_pk[no_photo.pk].photo_similarity == 0.0
    # The descriptions are all the same "Rác": text does not tell them apart.
    assert len({round(d.text_similarity, 6) for d in found}) == 1
    without = ask(exclude_id=mine.pk)
    assert without[0].report.pk == other_picture.pk


def test_distance_alone_closer_first_and_the_radius_is_a_wall():
    far = submit(DRAIN, north_m=40)
    near = submit(DRAIN, north_m=10)
    outside = submit(DRAIN, north_m=60)  # the same words, beyond the 50 m radius
    found = ask(text=DRAIN)
    assert [d.report.pk for d in found] == [near.pk, far.pk]
    assert outside.pk not in {d.report.pk for d in found}
    assert found[0].near and not found[1].near
    assert found[0].closeness == pytest.approx(0.8, abs=0.02)
    assert found[0].text_similarity == pytest.approx(found[1].text_similarity)


def test_combined_text_and_photo_beat_either_alone():
    mine = submit(DRAIN, photos=[encoded(scene(3))])
    both = submit(DRAIN_AGAIN, north_m=20, photos=[encoded(scene(3), scale=0.6)])
    text_only = submit(DRAIN_AGAIN, north_m=20, photos=[encoded(scene(4))])
    photo_only = submit(UNRELATED, north_m=20, photos=[encoded(scene(3), scale=0.6)])
    neither = submit(UNRELATED, north_m=10, photos=[encoded(scene(5))])
    found = ask(text=DRAIN, photo_hashes=hashes(mine), exclude_id=mine.pk)
    order = [d.report.pk for d in found]
    assert order[0] == both.pk and order[-1] == neither.pk
    assert set(order[1:3]) == {text_only.pk, photo_only.pk}
    by_pk = {d.report.pk: d for d in found}
    assert by_pk[both.pk].text_match and by_pk[both.pk].photo_match
    assert by_pk[text_only.pk].text_match and not by_pk[text_only.pk].photo_match
    assert by_pk[photo_only.pk].photo_match and not by_pk[photo_only.pk].text_match
    assert all(0 <= d.score <= 1 for d in found)


def test_a_similar_category_needs_a_strong_sign_and_can_be_merged():
    agency = Agency.objects.create(code="mt", name="Phòng Tài nguyên và Môi trường")
    for code in ("moi_truong", "du_lich_ve_sinh"):
        RoutingRule.objects.create(category=Category.objects.get(code=code), agency=agency)
    same_words = submit(DRAIN_AGAIN, north_m=10, category="du_lich_ve_sinh")
    other_words = submit(UNRELATED, north_m=5, category="du_lich_ve_sinh")
    elsewhere = submit(DRAIN_AGAIN, north_m=10, category="an_ninh_trat_tu")  # another agency
    same_category = submit(DRAIN_AGAIN, north_m=10)
    found = ask(text=DRAIN)
    assert [d.report.pk for d in found] == [same_category.pk, same_words.pk]
    assert not found[1].same_category and found[1].score < found[0].score
    assert other_words.pk not in {d.report.pk for d in found}
    mine = submit(DRAIN)
    report_merge(duplicate_id=mine.pk, survivor_id=same_words.pk)
    with pytest.raises(TransitionError, match="cùng lĩnh vực"):
        report_merge(duplicate_id=same_category.pk, survivor_id=elsewhere.pk)


def test_public_check_ranks_by_the_typed_description_within_bounds():
    unrelated = submit(UNRELATED, north_m=5)
    similar = Report.objects.create(
        category=Category.objects.get(code="moi_truong"),
        description=DRAIN_AGAIN,
        location=Point(LON, LAT + 25 * M_LAT, srid=4326),
        contact_phone="0911111111",
    )
    url = reverse("api:report-duplicates")
    query = {"lon": LON, "lat": LAT, "category": "moi_truong"}
    body = APIClient().get(url, {**query, "text": DRAIN}).json()
    assert [f["id"] for f in body["features"]] == [str(similar.public_id), str(unrelated.public_id)]
    first = body["features"][0]["properties"]
    assert first["duplicate_score"] > body["features"][1]["properties"]["duplicate_score"]
    assert first["text_similarity"] > 0.35
    plain = APIClient().get(url, query)
    assert plain.json()["features"][0]["id"] == str(unrelated.public_id)
    assert "0911111111" not in plain.content.decode()
    too_long = APIClient().get(url, {**query, "text": "a" * (ds.TEXT_MAX_CHARS + 1)})
    assert too_long.status_code == 400 and set(too_long.json()["errors"]) == {"text"}
    twice = APIClient().get(f"{url}?lon={LON}&lat={LAT}&category=moi_truong&text=a&text=b")
    assert twice.status_code == 400 and set(twice.json()["errors"]) == {"text"}


def test_operator_page_lists_score_and_what_matched():
    mine = submit(DRAIN, photos=[encoded(scene(11))])
    twin = submit(DRAIN_AGAIN, north_m=10, photos=[encoded(scene(11), scale=0.5)])
    stranger = submit(UNRELATED, north_m=40, photos=[encoded(scene(12))])
    user = User.objects.create_user("operator", password="x")
    user.groups.add(Group.objects.get_or_create(name="operator")[0])
    StaffProfile.objects.create(user=user)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("web_map:staff-report", args=[mine.public_id])).content.decode()
    dups = page[page.index('class="st-dups"') :]
    assert dups.index(str(twin.public_id)) < dups.index(str(stranger.public_id))
    twin_item = dups[dups.index(str(twin.public_id)) : dups.index(str(stranger.public_id))]
    for label in ("Mức trùng", "gần", "mô tả giống", "ảnh giống"):
        assert label in twin_item
    stranger_item = dups[dups.index(str(stranger.public_id)) :].split("</li>")[0]
    assert "ảnh giống" not in stranger_item and "mô tả giống" not in stranger_item
    assert 'id="merge-form"' in page and str(twin.public_id) in page


def test_fill_photo_hashes_restores_what_upload_computed():
    report = submit(photos=[encoded(scene(21)), encoded(scene(22))])
    at_upload = hashes(report)
    assert all(h is not None for h in at_upload)
    ReportPhoto.objects.update(phash=None)
    out = io.StringIO()
    call_command("fill_photo_hashes", "--batch-size", "1", stdout=out)
    assert "2 photo(s) hashed, 0 unreadable." in out.getvalue()
    assert hashes(report) == at_upload
    call_command("fill_photo_hashes", stdout=out)
    assert "0 photo(s) hashed" in out.getvalue()
