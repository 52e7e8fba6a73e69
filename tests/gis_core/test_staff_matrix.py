"""Every staff endpoint × every role: who sees which report, who sees contacts, who may act.

A report outside someone's scope is "not found" (404) for them, whatever id they try, so
staff cannot learn that it exists (IDOR).
"""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.models import Agency, Category, Report, StaffProfile
from tests.query_count import assert_queries_flat
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
PHONE = "+84911222333"
ROLES = [
    "anonymous",
    "citizen",
    "operator",
    "ward_own",
    "ward_other",
    "agency_own",
    "agency_other",
    "administrator",
    "tourism",
]


@pytest.fixture
def world(mong_cai_wards):
    v2025 = mong_cai_wards["2025"]
    agency_a = Agency.objects.create(code="a", name="A", contact_email="a@example.vn")
    agency_b = Agency.objects.create(code="b", name="B", contact_email="b@example.vn")
    users = {"citizen": User.objects.create_user("+84900000000")}

    def staff(name, group, wards=(), agency=None):
        user = User.objects.create_user(name, password="x")
        user.groups.add(Group.objects.get(name=group))
        profile = StaffProfile.objects.create(user=user, agency=agency)
        profile.wards.set(Ward.objects.filter(version=v2025, code__in=wards))
        users[name] = user

    staff("operator", "operator")
    staff("administrator", "administrator")
    staff("ward_own", "ward_officer", wards=["06709"])
    staff("ward_other", "ward_officer", wards=["06757"])
    staff("agency_own", "agency_officer", agency=agency_a)
    staff("agency_other", "agency_officer", agency=agency_b)
    staff("tourism", "tourism")

    def report(status="assigned") -> Report:
        x, y = POINTS["06709"]
        return Report.objects.create(
            category=Category.objects.get(code="ha_tang"), description="Cống vỡ",
            location=Point(x, y, srid=4326), status=status, agency=agency_a,
            contact_phone=PHONE, contact_name="Người Gửi",
        )  # fmt: skip

    return {"users": users, "report": report, "agency_b": agency_b}


def client_for(world, role) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


LIST_EXPECT = {
    # role: (status, sees the report, sees the contact)
    "anonymous": (403, False, False),
    "citizen": (403, False, False),
    "operator": (200, True, True),
    "ward_own": (200, True, True),
    "ward_other": (200, False, False),
    "agency_own": (200, True, False),
    "agency_other": (200, False, False),
    "administrator": (200, True, True),
    "tourism": (200, False, False),  # a drain is not a tourism report (see below for those)
}


@pytest.mark.parametrize("role", ROLES)
def test_queue_and_detail(world, role):
    report = world["report"]()
    client = client_for(world, role)
    status, sees, contact = LIST_EXPECT[role]
    response = client.get(reverse("api:staff-report-list"))
    assert response.status_code == status
    text = response.content.decode()
    assert (str(report.public_id) in text) is sees
    assert (PHONE in text) is contact and ("Người Gửi" in text) is contact
    detail = client.get(reverse("api:staff-report-detail", args=[report.public_id]))
    expected_detail = 403 if status == 403 else (200 if sees else 404)
    assert detail.status_code == expected_detail
    assert (PHONE in detail.content.decode()) is (contact and sees)


TRANSITION_EXPECT = {
    # assigned -> in_progress: the handling agency's step (and the operations centre's)
    "anonymous": 403,
    "citizen": 403,
    "operator": 200,
    "ward_own": 403,
    "ward_other": 404,
    "agency_own": 200,
    "agency_other": 404,
    "administrator": 200,
    "tourism": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_transition(world, role):
    report = world["report"]()
    response = client_for(world, role).post(
        reverse("api:staff-report-transition", args=[report.public_id]),
        {"from_status": "assigned", "to_status": "in_progress", "note": "đang xử lý"},
        format="json",
    )
    assert response.status_code == TRANSITION_EXPECT[role], response.content
    report.refresh_from_db()
    assert (report.status == "in_progress") is (TRANSITION_EXPECT[role] == 200)
    if TRANSITION_EXPECT[role] == 200:
        assert report.transitions.get().actor == world["users"][role]


VERIFY_EXPECT = {**TRANSITION_EXPECT, "ward_own": 200, "agency_own": 404, "agency_other": 404}


@pytest.mark.parametrize("role", ROLES)
def test_verification_by_ward(world, role):
    report = world["report"](status="received")
    report.agency = None
    report.save(update_fields=["agency"])
    response = client_for(world, role).post(
        reverse("api:staff-report-transition", args=[report.public_id]),
        {"from_status": "received", "to_status": "verified"},
        format="json",
    )
    assert response.status_code == VERIFY_EXPECT[role], response.content


ACTION_EXPECT = {
    # re-route and merge: the operations centre only; others are refused before any lookup
    "anonymous": 403,
    "citizen": 403,
    "operator": 200,
    "ward_own": 403,
    "ward_other": 403,
    "agency_own": 403,
    "agency_other": 403,
    "administrator": 200,
    "tourism": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_reroute_and_merge(world, role):
    report = world["report"]()
    client = client_for(world, role)
    reroute = client.post(
        reverse("api:staff-report-reroute", args=[report.public_id]),
        {"agency": world["agency_b"].pk, "reason": "Sai đơn vị"},
        format="json",
    )
    assert reroute.status_code == ACTION_EXPECT[role], reroute.content
    duplicate = world["report"](status="received")
    merge = client.post(
        reverse("api:staff-report-merge", args=[duplicate.public_id]),
        {"into": str(report.public_id)},
        format="json",
    )
    assert merge.status_code == ACTION_EXPECT[role], merge.content
    duplicate.refresh_from_db()
    assert (duplicate.merged_into_id == report.pk) is (ACTION_EXPECT[role] == 200)


def test_tourism_office_reads_visitor_reports_and_acts_on_none(world):
    """The tourism role sees the reports of the tourism categories (for_places), city-wide,
    without the reporter's contact, and may change nothing; other reports stay hidden."""
    report = world["report"](status="received")
    Report.objects.filter(pk=report.pk).update(
        category=Category.objects.get(code="du_lich_chat_chem")
    )
    other = world["report"](status="received")
    client = client_for(world, "tourism")
    listed = client.get(reverse("api:staff-report-list")).content.decode()
    assert str(report.public_id) in listed and str(other.public_id) not in listed
    assert PHONE not in listed and "Người Gửi" not in listed
    detail = client.get(reverse("api:staff-report-detail", args=[report.public_id]))
    assert detail.status_code == 200 and PHONE not in detail.content.decode()
    assert client.get(reverse("api:staff-report-detail", args=[other.public_id])).status_code == 404
    page = client.get(reverse("web_map:staff-report", args=[report.public_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert PHONE not in html and "Người Gửi" not in html
    assert 'data-to-status="verified"' not in html and "st-actions" not in html
    assert client.get(reverse("web_map:staff-report", args=[other.public_id])).status_code == 404
    for to_status in ("verified", "rejected", "assigned"):
        response = client.post(
            reverse("api:staff-report-transition", args=[report.public_id]),
            {"from_status": "received", "to_status": to_status, "reason": "spam"},
            format="json",
        )
        assert response.status_code == 403, (to_status, response.content)
    report.refresh_from_db()
    assert report.status == "received" and not report.transitions.exists()
    priority = client.post(
        reverse("api:staff-report-priority", args=[report.public_id]),
        {"priority": "urgent", "reason": "x"},
        format="json",
    )
    assert priority.status_code == 403


def test_idor_on_random_and_foreign_ids_is_404(world):
    import uuid

    client = client_for(world, "ward_other")
    for target in (uuid.uuid4(), world["report"]().public_id):
        assert client.get(reverse("api:staff-report-detail", args=[target])).status_code == 404


def test_illegal_or_stale_transition_is_409_and_names_the_problem(world):
    report = world["report"]()
    client = client_for(world, "operator")
    stale = client.post(
        reverse("api:staff-report-transition", args=[report.public_id]),
        {"from_status": "received", "to_status": "verified"},
        format="json",
    )
    assert stale.status_code == 409 and "có người vừa thay đổi nó" in stale.json()["detail"]


def test_staff_posts_need_the_csrf_token(world):
    report = world["report"]()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world["users"]["operator"])
    response = client.post(
        reverse("api:staff-report-transition", args=[report.public_id]),
        {"from_status": "assigned", "to_status": "in_progress"},
        format="json",
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_resolving_with_answer_photos(world):
    """The answer form carries photos: checked like a reporter's, stored as the answer's."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.gis_core.photo_factory import image_bytes, publish_pending_photos

    report = world["report"](status="in_progress")
    client = client_for(world, "agency_own")
    url = reverse("api:staff-report-transition", args=[report.public_id])
    bad = client.post(
        url,
        {
            "from_status": "in_progress", "to_status": "resolved", "answer": "Xong",
            "photos": [SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")],
        },
        format="multipart",
    )  # fmt: skip
    assert bad.status_code == 400 and "x.jpg" in bad.json()["errors"]["photos"][0]
    report.refresh_from_db()
    assert report.status == "in_progress" and not report.photos.exists()
    done = client.post(
        url,
        {
            "from_status": "in_progress", "to_status": "resolved", "answer": "Đã thay nắp cống",
            "photos": [SimpleUploadedFile("after.png", image_bytes("PNG"), "image/png")],
        },
        format="multipart",
    )  # fmt: skip
    assert done.status_code == 200, done.content
    public = APIClient().get(reverse("api:report-detail", args=[report.public_id])).json()
    assert public["properties"]["answer_photos"] == []  # blurred first, like a citizen's
    assert publish_pending_photos() == 1
    public = APIClient().get(reverse("api:report-detail", args=[report.public_id])).json()
    props = public["properties"]
    assert len(props["answer_photos"]) == 1 and props["photos"] == []
    page = APIClient().get(reverse("web_map:report", args=[report.public_id])).content.decode()
    assert "Ảnh kết quả 1" in page


# --- IDOR on citizens' things: own reports, ratings, the data export, photos ---------------
# A citizen's resources are reached only through the session ("me/"), never through an id in
# the URL; report ids are public (every report is on the public map) but their contact data
# and the right to rate belong to the reporter. Photos (the reporter's and the answer's) are
# public like the report once blurred (gis_core.photo_redaction), EXIF stripped, at unguessable
# URLs (report uuid + 64-bit random name); the unblurred originals are staff's only
# (tests/gis_core/test_photo_blur.py). The matrix checks the public copies and that guessing fails.

CITIZEN_ROLES = ["anonymous", "owner", "other_citizen", "operator", "agency_own"]
OWNER_PHONE = "+84933444555"


@pytest.fixture
def citizens(world):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from gis_core.models import ReportPhoto
    from tests.gis_core.photo_factory import image_bytes

    owner = User.objects.create_user(OWNER_PHONE)
    other = User.objects.create_user("+84933000999")
    report = world["report"](status="resolved")
    Report.objects.filter(pk=report.pk).update(
        reporter=owner, contact_phone=OWNER_PHONE, resolved_at=timezone.now()
    )
    report.refresh_from_db()
    photos = {}
    for kind in ("report", "answer"):
        name = default_storage.save(
            f"reports/{report.public_id}/{kind[0]}0-{kind}.png", ContentFile(image_bytes("PNG"))
        )
        ReportPhoto.objects.create(
            report=report, image=name, thumbnail=name, content_type="image/png",
            width=64, height=48, size_bytes=1, sha256="0" * 64, kind=kind, redaction="done",
        )  # fmt: skip
        photos[kind] = "/media/" + name
    users = {**world["users"], "owner": owner, "other_citizen": other}
    return {"report": report, "users": users, "photos": photos}


def citizen_client(citizens, role):
    from django.test import Client

    client = Client()
    if role != "anonymous":
        client.force_login(citizens["users"][role])
    return client


MY_REPORTS_EXPECT = {
    # role: (API status, sees the owner's report) for GET me/reports/ and me/export/
    "anonymous": (403, False),
    "owner": (200, True),
    "other_citizen": (200, False),
    "operator": (200, False),  # staff have their own queue; "me" is only what they sent
    "agency_own": (200, False),
}


@pytest.mark.parametrize("role", CITIZEN_ROLES)
def test_me_endpoints_show_only_ones_own(citizens, role):
    report = citizens["report"]
    client = citizen_client(citizens, role)
    status, sees = MY_REPORTS_EXPECT[role]
    owner_id = citizens["users"]["owner"].pk
    for name in ("api:my-reports", "api:my-export"):
        # Account ids smuggled into the query are ignored: "me" is the session's user.
        url = reverse(name) + f"?reporter={owner_id}&user={owner_id}&id={owner_id}"
        response = client.get(url)
        assert response.status_code == status, (name, response.status_code)
        text = response.content.decode()
        assert (str(report.public_id) in text) is sees, name
        assert (OWNER_PHONE in text) is (sees and name == "api:my-export"), name
    page = client.get(reverse("web_map:my-reports"))
    assert page.status_code == (302 if role == "anonymous" else 200)
    assert (str(report.public_id) in page.content.decode()) is sees


RATE_EXPECT = {
    # role: (API rating status, web rating form status)
    "anonymous": (403, 302),  # the form sends visitors to sign in
    "owner": (201, 302),  # accepted, back to "my reports"
    "other_citizen": (403, 404),  # the form does not even admit the report exists for them
    "operator": (403, 404),
    "agency_own": (403, 404),
}


@pytest.mark.parametrize("role", CITIZEN_ROLES)
def test_only_the_reporter_rates(citizens, role):
    from gis_core.models import ReportRating

    report = citizens["report"]
    api_status, web_status = RATE_EXPECT[role]
    client = citizen_client(citizens, role)
    web = client.post(reverse("web_map:rate", args=[report.public_id]), {"value": "satisfied"})
    assert web.status_code == web_status
    if role == "owner":
        ReportRating.objects.filter(report=report).delete()  # let the API try too
    api = APIClient()
    if role != "anonymous":
        api.force_login(citizens["users"][role])
    response = api.post(
        reverse("api:report-rating", args=[report.public_id]), {"value": "satisfied"}, format="json"
    )
    assert response.status_code == api_status, response.content
    assert ReportRating.objects.filter(report=report).exists() is (role == "owner")


@pytest.mark.parametrize("role", CITIZEN_ROLES)
def test_public_report_and_photos_for_every_role(citizens, role):
    """The report (without contact) and both kinds of photo are public; guessed names are not."""
    report = citizens["report"]
    client = citizen_client(citizens, role)
    detail = client.get(reverse("api:report-detail", args=[report.public_id]))
    assert detail.status_code == 200 and OWNER_PHONE not in detail.content.decode()
    props = detail.json()["properties"]
    assert len(props["photos"]) == 1 and len(props["answer_photos"]) == 1
    for kind, url in citizens["photos"].items():
        assert client.get(url).status_code == 200, kind
    folder = f"/media/reports/{report.public_id}/"
    for guess in ("r1-report.png", "a0-0000000000000000.png", "../../etc/passwd", ""):
        assert client.get(folder + guess).status_code == 404, guess
    assert client.get(f"/media/reports/{uuid.uuid4()}/r0-report.png").status_code == 404


def test_rating_a_random_report_id_is_404(citizens):
    client = APIClient()
    client.force_login(citizens["users"]["owner"])
    response = client.post(
        reverse("api:report-rating", args=[uuid.uuid4()]), {"value": "satisfied"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["operator", "ward_own", "agency_own"])
def test_queue_queries_do_not_grow_with_the_reports_listed(world, role):
    """Every role's scope is one query; the page's rows, their photos and clips are read in
    a fixed number of queries, however many reports are listed."""
    world["report"]()
    client = client_for(world, role)

    def listed() -> int:
        body = client.get(reverse("api:staff-report-list")).json()
        return len(body["features"])

    def add_reports() -> None:
        for _ in range(15):
            world["report"]()

    # Session, user, groups, (staff profile, and a ward officer's ward ids, read as values so
    # the planner knows the ward's size), count, page, photos, clips, and one INSERT into the
    # contact access log (for roles that see contact data).
    few, many = assert_queries_flat(listed, add_reports, at_most=10 if role == "ward_own" else 9)
    assert (few, many) == (1, 16)
