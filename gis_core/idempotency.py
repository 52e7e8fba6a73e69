"""Idempotency keys scoped per client, and the fingerprint that tells a retry from a reuse.

A key alone is not enough: two clients may pick the same one (a counter, a short random
string), and the second used to receive the first one's report while its own was dropped.
So a key counts only within its client's scope: the device id the client keeps with its
outbox, else the signed-in account, else the session, else one shared anonymous scope.
The scope is stored only as a hash of (scope, key) in Report.idempotency_scope, so two
reports from one device cannot be linked through it, and the database's unique constraint
is over (idempotency_scope, idempotency_key). Imported reports keep an empty scope.

The fingerprint is a hash of the submission's normalised fields and media digests: the
same key with the same fingerprint is a retry (answered with the first report), with a
different one a conflict (409).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from common.validation import FieldErrors

DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
IMPORT_SCOPE = ""  # bulk imports and reports stored before scopes existed


class IdempotencyConflict(Exception):
    """The key was used before, in this scope, for a different submission."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Mã idempotency_key này đã được dùng cho một phản ánh khác: "
                "hãy dùng mã mới cho mỗi phản ánh mới."
            )
        )


def device_id_or_error(raw: str | None) -> str | None:
    """The client's device id (8-64 ASCII letters, digits, - and _), None when absent."""
    value = (raw or "").strip()
    if not value:
        return None
    if DEVICE_ID.fullmatch(value) is None:
        raise FieldErrors(
            {"device_id": [_("Phải gồm 8-64 ký tự: chữ cái, chữ số, - hoặc _ (ASCII).")]}
        )
    return value


def client_scope(
    *, device_id: str | None = None, user_id: int | None = None, session_key: str | None = None
) -> str:
    """Who the key belongs to, most stable first: a device's outbox outlives sign-in and
    sign-out, an account outlives a session."""
    if device_id:
        return f"device:{device_id}"
    if user_id:
        return f"user:{user_id}"
    if session_key:
        return f"session:{session_key}"
    return "anonymous"


def scope_hash(scope: str, key: str) -> str:
    """What Report.idempotency_scope stores for `key` in `scope` (32 hex digits)."""
    return hashlib.sha256(f"{scope}\n{key}".encode()).hexdigest()[:32]


def _video_digest(upload: Any) -> str:
    """SHA-256 of a clip (a Django File), streamed: clips are never read into memory whole."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def fingerprint(
    fields: dict[str, Any], photos: Sequence[bytes] = (), videos: Sequence[Any] = ()
) -> str:
    """A keyed hash (HMAC with SECRET_KEY) of the normalised fields (text stripped, numbers
    as numbers) and of each photo's and clip's bytes: equal for an exact retry, different for
    another report. Keyed because the fields include the contact phone, which a plain hash
    beside the report's other columns would let anyone holding the table guess back."""
    normal = {
        name: (value.strip() if isinstance(value, str) else value)
        for name, value in sorted(fields.items())
    }
    normal["photos"] = [hashlib.sha256(data).hexdigest() for data in photos]
    normal["videos"] = [_video_digest(video.file) for video in videos]
    text = json.dumps(normal, sort_keys=True, ensure_ascii=False, default=str)
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()
