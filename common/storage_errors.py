"""Storage failures that are the platform's problem, not the client's: answered 503, retryable.

`StorageFull` is raised when a photo cannot be stored because a quota is reached (the upload
quota setting raises it); a full disk (ENOSPC) or a filesystem quota (EDQUOT) raised as OSError
is treated the same way by `common.middleware`.
"""

from __future__ import annotations

import errno

STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


class StorageFull(Exception):
    """Photo storage has no room left; the client may retry later with the same request."""


def is_storage_full(exc: BaseException) -> bool:
    """True for StorageFull and for OSError(ENOSPC/EDQUOT), also when wrapped by another error."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        if isinstance(current, StorageFull):
            return True
        if isinstance(current, OSError) and current.errno in STORAGE_FULL_ERRNOS:
            return True
        current = current.__cause__ or current.__context__
        seen += 1
    return False
