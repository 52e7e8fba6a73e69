"""The e-mail channel against a real IMAP server (pymap, tests/gis_core/imap_server.py):
messages appended with IMAP APPEND become reports with their photos, answered by the receipt;
bad ones are refused with a logged reason and a reply, flagged, and leave nothing stored."""

from __future__ import annotations

import json
import logging
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from gis_core.email_intake import handle_raw
from gis_core.models import ContactConsent, Report, ReportPhoto
from gis_core.tasks import send_receipt
from tests.gis_core.imap_server import (  # noqa: F401 (the fixtures)
    append,
    flags_by_message_id,
    imap_server,
    reports_mailbox,
)
from tests.gis_core.photo_factory import image_bytes, publish_pending_photos
from tests.ward_boundaries import geometry_cases as cases

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
SENDER = "nguoi.dan@example.vn"

pytestmark = pytest.mark.django_db


def message(
    subject: str,
    body: str | None,
    *,
    photos=(),
    sender: str = SENDER,
    charset: str = "",
    headers: dict[str, str] | None = None,
) -> tuple[str, bytes]:
    """(Message-ID, raw bytes) of a citizen's message."""
    msg = EmailMessage()
    msg["From"] = f"Nguyễn Văn A <{sender}>"
    msg["To"] = "phananh@mongcai.gov.vn"
    msg["Subject"] = subject
    msg["Message-ID"] = message_id = make_msgid(domain="example.vn")
    for name, value in (headers or {}).items():
        msg[name] = value
    if body is not None:
        msg.set_content(body)
    for name, data in photos:
        msg.add_attachment(data, maintype="image", subtype="jpeg", filename=name)
    raw = msg.as_bytes()
    if charset:  # declare a charset nobody knows, as a broken mailer would
        raw = raw.replace(b'charset="utf-8"', f'charset="{charset}"'.encode())
    return message_id, raw


def receipt_jobs() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT args FROM procrastinate_jobs WHERE task_name = 'gis_core.send_receipt'"
        )
        rows = [json.loads(a) if isinstance(a, str) else a for (a,) in cursor.fetchall()]
    return [row["report_id"] for row in rows]


def stored_files() -> list[str]:
    return default_storage.listdir("reports")[0] if default_storage.exists("reports") else []


def run() -> str:
    from io import StringIO

    out = StringIO()
    call_command("fetch_email_reports", stdout=out)
    return out.getvalue()


def test_messages_become_reports_with_photos_answered_once(
    mong_cai_wards,
    seed_categories,
    reports_mailbox,  # noqa: F811
):
    server, folder = reports_mailbox.server, reports_mailbox.folder
    x, y = POINTS["06709"]
    gx, gy = POINTS["06757"]
    plain_id, plain = message(
        "Môi trường: rác ở chợ",
        f"Rác chất đống cạnh chợ.\nVị trí: {y:.6f}, {x:.6f}\n-- \nA, 0912345678",
    )
    photos_id, with_photos = message(
        "Đèn đường hỏng",
        f"Xem: https://www.google.com/maps/place/X/@{y:.6f},{x:.6f},17z",
        photos=[("a.jpg", image_bytes("JPEG")), ("b.jpg", image_bytes("JPEG", size=(80, 60)))],
    )
    gps_id, with_gps = message(
        "Hạ tầng", "Cống vỡ, xem ảnh.", photos=[("cong.jpg", image_bytes("JPEG", gps=(gx, gy)))]
    )
    for raw in (plain, with_photos, with_gps):
        append(server, folder, raw)

    assert run().startswith("3 stored, 0 already stored, 0 refused")

    reports = {r.idempotency_key: r for r in Report.objects.select_related("category", "ward")}
    assert len(reports) == 3
    by_subject = {r.description.split("\n")[0]: r for r in reports.values()}
    first = by_subject["Môi trường: rác ở chợ"]
    assert first.status == "received" and first.category.code == "moi_truong"
    assert first.ward.code == "06709"
    assert "0912345678" not in first.description  # the signature is not published
    assert first.contact_email == SENDER  # encrypted at rest, read back through the ORM
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_email FROM gis_core_report WHERE id = %s", [first.pk])
        assert SENDER not in cursor.fetchone()[0]
    lit = by_subject["Đèn đường hỏng"]
    assert lit.category.code == "khac" and lit.ward.code == "06709"
    assert ReportPhoto.objects.filter(report=lit).count() == 2
    assert publish_pending_photos() == 3  # the media task (blur, then public)
    assert all(default_storage.exists(p.image.name) for p in ReportPhoto.objects.filter(report=lit))
    located = by_subject["Hạ tầng"]
    assert located.category.code == "ha_tang" and located.ward.code == "06757"  # EXIF GPS
    assert b"Nguyen Van A" not in ReportPhoto.objects.get(report=located).image.read()
    consents = ContactConsent.objects.filter(report__in=reports.values())
    assert {(c.channel, c.notice_version) for c in consents} == {("email", "2026-01")}
    assert {(r.channel, r.source) for r in reports.values()} == {("email", "email")}

    # Each is answered by its receipt, queued with the report and sent by the worker's task.
    assert sorted(receipt_jobs()) == sorted(r.pk for r in reports.values())
    mail.outbox.clear()
    for report_id in receipt_jobs():
        send_receipt(report_id=report_id)
    assert {m.to[0] for m in mail.outbox} == {SENDER}
    assert {m.subject for m in mail.outbox} == {
        f"Đã nhận phản ánh {r.reference}" for r in reports.values()
    }
    assert all(m.subject.rsplit(" ", 1)[1] + "/" in m.body for m in mail.outbox)  # its link

    flags = flags_by_message_id(server, folder)
    assert flags == {plain_id: {"\\Seen"}, photos_id: {"\\Seen"}, gps_id: {"\\Seen"}}

    # The next run finds nothing unseen; even made unseen again, nothing new is stored.
    assert run().startswith("0 stored")
    imap = server.client()
    imap.select(folder)
    imap.store("1:*", "-FLAGS", "(\\Seen)")
    imap.logout()
    files = stored_files()
    assert run().startswith("0 stored, 3 already stored, 0 refused")
    assert Report.objects.count() == 3 and ReportPhoto.objects.count() == 3
    assert stored_files() == files and len(receipt_jobs()) == 3


def test_a_crash_before_marking_leaves_it_unseen_and_the_retry_stores_nothing_new(
    mong_cai_wards,
    seed_categories,
    reports_mailbox,  # noqa: F811
):
    server, folder = reports_mailbox.server, reports_mailbox.folder
    x, y = POINTS["06709"]
    message_id, raw = message("Rác", f"geo:{y:.6f},{x:.6f}", photos=[("a.jpg", image_bytes())])
    append(server, folder, raw)
    # The report committed, then the run died before it could mark the message.
    assert handle_raw("1", raw).outcome == "stored"
    assert flags_by_message_id(server, folder) == {message_id: set()}
    assert run().startswith("0 stored, 1 already stored")
    assert Report.objects.count() == 1 and ReportPhoto.objects.count() == 1
    assert len(receipt_jobs()) == 1  # answered once
    assert flags_by_message_id(server, folder) == {message_id: {"\\Seen"}}


def test_bad_messages_are_refused_logged_answered_flagged_and_store_nothing(
    mong_cai_wards,
    seed_categories,
    reports_mailbox,  # noqa: F811
    caplog,
    settings,
):
    server, folder = reports_mailbox.server, reports_mailbox.folder
    x, y = POINTS["06709"]
    cases_ = {
        "no_location": message("Rác ở chợ", "Rác chất đống, không rõ chỗ."),
        "no_text": message("", None),
        "unreadable": message("Rác", f"Rác ở {y:.6f}, {x:.6f}", charset="x-khong-co"),
        "invalid:photos": message(
            "Rác", f"{y:.6f}, {x:.6f}", photos=[("hong.jpg", image_bytes()[:300])]
        ),
        "invalid:lat,lon": message("Rác", "20.50, 107.97"),  # 100 km south, at sea
        "too_big": message("Rác", f"{y:.6f}, {x:.6f}", photos=[("to.jpg", image_bytes())]),
    }
    settings.IMAP_MAX_MESSAGE_BYTES = len(cases_["too_big"][1]) - 1
    for _id, raw in cases_.values():
        append(server, folder, raw)
    mail.outbox.clear()
    files = stored_files()

    with caplog.at_level(logging.WARNING, logger="gis_core.email_intake"):
        assert run().startswith(f"0 stored, 0 already stored, {len(cases_)} refused")

    assert Report.objects.count() == 0 and ContactConsent.objects.count() == 0
    assert stored_files() == files and receipt_jobs() == []
    logged = [r.getMessage() for r in caplog.records]
    for reason in cases_:
        assert any(line.endswith(f"reason {reason}") for line in logged), (reason, logged)
    assert all(SENDER not in line for line in logged)
    flags = flags_by_message_id(server, folder)
    assert flags == {mid: {"\\Seen", "\\Flagged"} for mid, _raw in cases_.values()}

    replies = {m.extra_headers["In-Reply-To"]: m for m in mail.outbox}
    assert set(replies) == {mid for mid, _raw in cases_.values()}
    for reply in replies.values():
        assert reply.to == [SENDER] and reply.subject == "Phản ánh qua e-mail chưa được tiếp nhận"
        assert reply.extra_headers["Auto-Submitted"] == "auto-replied"
    said = {reason: replies[mid].body for reason, (mid, _raw) in cases_.items()}
    assert "Thư chưa cho biết vị trí: hãy ghi toạ độ (ví dụ 21.53, 107.97)" in said["no_location"]
    assert "Thư không có nội dung" in said["no_text"]
    assert "Không đọc được nội dung thư." in said["unreadable"]
    assert "hong.jpg" in said["invalid:photos"]
    assert "50 km" in said["invalid:lat,lon"]
    assert "Thư quá lớn" in said["too_big"]
    assert run().startswith("0 stored, 0 already stored, 0 refused")  # never read again


def test_robots_get_no_reply_and_refused_messages_can_be_moved(
    mong_cai_wards,
    seed_categories,
    reports_mailbox,  # noqa: F811
    settings,
):
    server, folder = reports_mailbox.server, reports_mailbox.folder
    imap = server.client()
    assert imap.create(f'"{folder} Tu choi"')[0] == "OK"  # a name that needs quoting
    imap.logout()
    settings.IMAP_REFUSED_FOLDER = f"{folder} Tu choi"
    _id, raw = message(
        "Trả lời tự động: vắng mặt",
        "Tôi đang nghỉ phép, ở 21.53, 107.97.",
        headers={"Auto-Submitted": "auto-replied"},
    )
    append(server, folder, raw)
    mail.outbox.clear()
    assert run().startswith("0 stored, 0 already stored, 1 refused")
    assert mail.outbox == [] and Report.objects.count() == 0
    assert flags_by_message_id(server, folder) == {}
    assert list(flags_by_message_id(server, f'"{settings.IMAP_REFUSED_FOLDER}"').values()) == [
        {"\\Seen", "\\Flagged"}
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ở đây: 21.531, 107.967", (107.967, 21.531)),
        ("107.967; 21.531 (kinh độ trước)", (107.967, 21.531)),
        (
            "https://www.google.com/maps/place/Ch%E1%BB%A3/@21.52,107.96,17z/data=!3d21.531!4d107.967",
            (107.967, 21.531),
        ),
        ("https://maps.google.com/?q=21.531,107.967", (107.967, 21.531)),
        ("https://www.google.com/maps/search/?api=1&query=21.531%2C107.967", (107.967, 21.531)),
        (
            "https://www.openstreetmap.org/?mlat=21.531&mlon=107.967#map=15/21.5/107.9",
            (107.967, 21.531),
        ),
        ("https://www.openstreetmap.org/#map=17/21.531/107.967", (107.967, 21.531)),
        ("geo:21.531,107.967", (107.967, 21.531)),
        ("Giá 12.500, số nhà 3.5, 21.5", None),
        ("https://maps.app.goo.gl/AbCdEf", None),
    ],
)
def test_the_place_in_a_message_text(text, expected):
    from gis_core.email_location import point_in_text

    assert point_in_text(text) == expected
