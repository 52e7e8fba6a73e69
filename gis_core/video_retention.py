"""How long the private originals of clips are kept.

An original carries what the phone recorded besides the picture: GPS track, device, owner.
Once the public copy (metadata dropped) is ready, the original is evidence of nothing more,
so it goes after VIDEO_ORIGINAL_DAYS. A clip whose transcoding failed keeps its original for
staff until the report's contact data is anonymised (gis_core.retention), then it goes too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import Q

from gis_core.models import CLOSED_STATUSES, Report, ReportVideo


@dataclass(frozen=True)
class ExpiredOriginals:
    clips: int
    bytes_freed: int


def video_originals_expire(
    *, ready_before: dt.datetime, anonymised_before: dt.datetime, dry_run: bool = False
) -> ExpiredOriginals:
    """Deletes originals of clips ready before `ready_before`, and of any clip whose report
    closed and was anonymised (no contact left) before `anonymised_before`."""
    anonymised = Report.objects.filter(
        status__in=CLOSED_STATUSES,
        updated_at__lt=anonymised_before,
        contact_name="",
        contact_phone="",
        contact_email="",
        reporter__isnull=True,
    ).values("pk")
    due = ReportVideo.objects.exclude(original="").filter(
        Q(status=ReportVideo.Status.READY, updated_at__lt=ready_before) | Q(report__in=anonymised)
    )
    clips = list(due.only("id", "original", "original_size_bytes"))
    if dry_run:
        return ExpiredOriginals(len(clips), sum(c.original_size_bytes for c in clips))
    freed = 0
    for clip in clips:
        name, storage = clip.original.name, clip.original.storage
        with transaction.atomic():
            # The row first, then the file after commit: a crash leaves an orphan file for
            # the next run to find, never a row pointing at nothing.
            ReportVideo.objects.filter(pk=clip.pk).update(original="")
            transaction.on_commit(partial(storage.delete, name))
        freed += clip.original_size_bytes
    return ExpiredOriginals(len(clips), freed)
